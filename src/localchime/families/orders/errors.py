"""The orders family's named errors."""

from __future__ import annotations

from localchime.protocol.errors import BadRequest, NotFound


class OrderNotFound(NotFound):
    def __init__(self, order_id: str) -> None:
        super().__init__(f"PhoneNumberOrder {order_id} does not exist in this account and Region")


class NumberNotOrderable(BadRequest):
    """SPEC (R): a number taken between search and order fails with BadRequest."""

    def __init__(self, e164: str, reason: str, status: str | None) -> None:
        if reason == "inventory":
            message = (
                f"E164PhoneNumbers: {e164} is already in this account's inventory with status "
                f"{status}; it cannot be ordered again"
            )
        else:
            # Which account has it is not this caller's business.
            why = "another account holds it" if reason == "held" else "it is being ported in"
            message = f"E164PhoneNumbers: {e164} is not available; {why}"
        super().__init__(message)


class OrderedConcurrently(BadRequest):
    """The inventory's primary key let another request of this account in first."""

    def __init__(self) -> None:
        super().__init__(
            "E164PhoneNumbers: one of these numbers was ordered by a concurrent request of this "
            "account; it is no longer available to order here"
        )
