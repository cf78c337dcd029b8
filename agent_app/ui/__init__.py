"""Qt widgets, views and models."""
