"""Lets the tests import the application module next to them, as a user's project would."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
