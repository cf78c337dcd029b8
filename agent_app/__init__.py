"""12345 hotline agent workstation."""

__version__ = "0.1.0"
APP_NAME = "agent-app"
