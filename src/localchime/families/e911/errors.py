"""The E911 family's named errors."""

from __future__ import annotations

from localchime.protocol.errors import AccessDenied


class NotCallersAccount(AccessDenied):
    """SPEC (ValidateE911Address, since 2025-04-03): only the calling account may be named."""

    def __init__(self, account: str) -> None:
        super().__init__(
            f"You are not authorized to validate emergency addresses for account "
            f"{account[:32]}; requests may name only the calling account"
        )
