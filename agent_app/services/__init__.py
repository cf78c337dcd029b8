"""Qt-free services: speech, geo, knowledge base, suggestions, sync, demo data."""
