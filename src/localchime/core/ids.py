"""Resource ids in the forms AWS uses."""

from __future__ import annotations

import uuid


def new_guid() -> str:
    """A GuidString: matches `[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}` (SPEC)."""
    return str(uuid.uuid4())
