"""The SIP media application family's front door: the application record and the lookups PSTN
audio starts calls with. Other families import this module, never the family's internal ones
(tests/test_front_doors.py)."""

from localchime.families.sip_media_applications.repository import (
    Application,
    application_by_id,
    enabled_rule_for_trigger,
)

__all__ = ["Application", "application_by_id", "enabled_rule_for_trigger"]
