"""The PSTN audio family's named errors, for the two call operations."""

from __future__ import annotations

from localchime.protocol.errors import BadRequest, NotFound


class ApplicationNotFound(NotFound):
    def __init__(self, application_id: str) -> None:
        super().__init__(
            f"SIP media application {application_id} does not exist in this account and Region"
        )


class CallNotFound(NotFound):
    def __init__(self, application_id: str, transaction_id: str, ended: bool = False) -> None:
        what = "has ended" if ended else "does not exist"
        super().__init__(
            f"The call with TransactionId {transaction_id} of SIP media application "
            f"{application_id} {what}"
        )


class NotInInventory(BadRequest):
    def __init__(self, e164: str) -> None:
        super().__init__(
            f"FromPhoneNumber {e164} is not in this account's phone number inventory in this "
            "Region; a call can only come from a number the account holds"
        )


class BadSipHeader(BadRequest):
    pass
