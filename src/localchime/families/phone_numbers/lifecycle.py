"""Numbers over time: the 7-day deletion queue and calling-name updates.

SPEC (inventory): a deleted number waits 7 days in the deletion queue, then is released to the
pool and leaves the account; a calling-name update takes up to 72 hours.
"""

from __future__ import annotations

from sqlalchemy import Connection

from localchime.config import Settings
from localchime.core.family import Transitions
from localchime.families.phone_numbers import repository as phone_numbers

TRANSITIONS = Transitions()
RELEASE = "number.release"
CALLING_NAME = "number.calling-name"
DELETION_QUEUE_MS = 7 * 86400 * 1000


def number_ref(record: phone_numbers.PhoneNumberRecord) -> str:
    return f"{record.account}|{record.region}|{record.e164}"


def _record(connection: Connection, ref: str) -> phone_numbers.PhoneNumberRecord | None:
    account, region, e164 = ref.split("|")
    return phone_numbers.get_for_update(connection, account, region, e164)


@TRANSITIONS(RELEASE)
def release(connection: Connection, _settings: Settings, ref: str, _due_ms: int) -> None:
    record = _record(connection, ref)
    if record is not None and record.status == "DeleteInProgress":
        phone_numbers.release(connection, record.account, record.region, record.e164)


@TRANSITIONS(CALLING_NAME)
def calling_name_done(connection: Connection, _settings: Settings, ref: str, due_ms: int) -> None:
    record = _record(connection, ref)
    if record is not None and record.calling_name_status == "UpdateInProgress":
        record.calling_name_status = "UpdateSucceeded"
        record.updated_ms = due_ms
        phone_numbers.save(connection, record)
