"""The phone number family's named errors."""

from __future__ import annotations

from localchime.protocol.errors import BadRequest, NotFound, ResourceLimitExceeded


class PhoneNumberNotFound(NotFound):
    def __init__(self, e164: str) -> None:
        super().__init__(f"PhoneNumber {e164} does not exist in this account and Region")


class InvalidPhoneNumberId(BadRequest):
    def __init__(self, raw: str) -> None:
        super().__init__(
            f"PhoneNumberId '{raw}' is not a phone number in E.164 form, such as +12065550100"
        )


class WrongNumberStatus(BadRequest):
    """The number exists but its status does not allow the action."""

    def __init__(self, e164: str, action: str, status: str) -> None:
        super().__init__(f"PhoneNumber {e164} cannot be {action} while its status is {status}")


class AssociationsExist(BadRequest):
    """BadRequest alone; in a batch its ErrorCode is PhoneNumberAssociationsExist (model enum)."""

    batch_code = "PhoneNumberAssociationsExist"

    def __init__(self, e164: str) -> None:
        super().__init__(
            f"PhoneNumber {e164} is associated with a Voice Connector, group or SIP rule; "
            "disassociate it before deleting it",
        )


class NumberQuotaExceeded(ResourceLimitExceeded):
    def __init__(self, held: int, adding: int, quota: int) -> None:
        super().__init__(
            f"This account has {held} provisioned phone numbers; adding {adding} would exceed "
            f"the quota of {quota} (--quota-profile aws)"
        )


class WrongProductType(BadRequest):
    def __init__(self, e164: str, product_type: str, target: str, needed: str) -> None:
        super().__init__(
            f"PhoneNumber {e164} has ProductType {product_type}; only {needed} numbers can be "
            f"associated with a {target}"
        )


class AssociatedElsewhere(BadRequest):
    """In the batch answer its ErrorCode is PhoneNumberAssociationsExist (model enum)."""

    batch_code = "PhoneNumberAssociationsExist"

    def __init__(self, e164: str, name: str, value: str) -> None:
        super().__init__(
            f"PhoneNumber {e164} is already associated with {name} {value}; disassociate it "
            "first or set ForceAssociate to move it"
        )


class NotAssociated(NotFound):
    def __init__(self, e164: str, name: str, value: str) -> None:
        super().__init__(f"PhoneNumber {e164} is not associated with {name} {value}")
