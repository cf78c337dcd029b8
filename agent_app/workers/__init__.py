"""Qt adapters that run services off the GUI thread and bring results back by signals."""
