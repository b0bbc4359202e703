"""The tags family's front door: what a taggable family calls when it creates a resource with
tags (`check_tags`, `put`) and when it deletes one (`drop`). Other families import this module,
never the family's internal ones (tests/test_front_doors.py)."""

from localchime.families.tags.repository import drop, put
from localchime.families.tags.rules import check_tags

__all__ = ["check_tags", "drop", "put"]
