"""How the phone number family follows the resources its numbers are associated with
(core.events)."""

from __future__ import annotations

from sqlalchemy import Connection

from localchime.core.events import Event, Reactions
from localchime.families.phone_numbers.associations import release_all
from localchime.families.phone_numbers.events import NUMBER_HOLDER_DELETED

REACTIONS = Reactions()


@REACTIONS(NUMBER_HOLDER_DELETED)
def holder_deleted(connection: Connection, event: Event) -> None:
    payload = event.payload
    release_all(
        connection,
        payload["account"],
        payload["region"],
        (payload["name"], payload["value"]),
        payload["at_ms"],
    )
