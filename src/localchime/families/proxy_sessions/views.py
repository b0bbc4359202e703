"""How a proxy session looks on the wire (the model's ProxySession), as of a reading of the
service clock: its Status and EndedTimestamp depend on when it is read."""

from __future__ import annotations

from typing import Any

from localchime.core.clock import to_datetime
from localchime.families.proxy_sessions.repository import CLOSED, OPEN, Session


def session_view(record: Session, now_ms: int) -> dict[str, Any]:
    closed = record.closed(now_ms)
    view: dict[str, Any] = {
        "ProxySessionId": record.session_id,
        "VoiceConnectorId": record.voice_connector_id,
        "Status": CLOSED if closed else OPEN,
        "ExpiryMinutes": record.expiry_minutes,
        "Capabilities": record.capabilities.split(","),
        "CreatedTimestamp": to_datetime(record.created_ms),
        "UpdatedTimestamp": to_datetime(record.updated_ms),
        "Participants": [
            {"PhoneNumber": participant, "ProxyPhoneNumber": record.proxy_phone_number}
            for participant in (record.participant_1, record.participant_2)
        ],
    }
    if record.name is not None:
        view["Name"] = record.name
    if closed:
        view["EndedTimestamp"] = to_datetime(record.ended_ms)
    if record.number_selection is not None:
        view["NumberSelectionBehavior"] = record.number_selection
    if record.geo_match_level is not None:
        view["GeoMatchLevel"] = record.geo_match_level
        view["GeoMatchParams"] = {
            "Country": record.geo_country or "",
            "AreaCode": record.geo_area_code or "",
        }
    return view
