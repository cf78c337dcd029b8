"""``python -m agent_app`` entry point."""

import sys

from agent_app.cli import main

sys.exit(main())
