"""Service errors, their HTTP statuses (taken from the model) and their wire form.

The body is `{"Code": "BadRequest", "Message": ...}` with `x-amzn-ErrorType: BadRequestException`.
The short `Code` follows the legacy Chime service (SPEC: wire protocol, inferred); botocore reads
the error code from the header, so boto3 raises the modelled exception class either way.

Families raise named errors (moto's `exceptions.py` style): each family's `errors.py` subclasses
the modelled kinds below, so a call site says what went wrong, never which shape string to send.
"""

from __future__ import annotations

from functools import cache

from localchime.spec.model import service_model

NOT_IMPLEMENTED = "NotImplemented"


@cache
def error_status(shape_name: str) -> int:
    if shape_name == NOT_IMPLEMENTED:
        return 501
    shape = service_model().shape_for(shape_name)
    return int(shape.metadata["error"]["httpStatusCode"])


class ServiceError(Exception):
    """An error a client sees: `shape` names the model's error shape, e.g. BadRequestException."""

    batch_code: str | None = None
    """The ErrorCode a batch operation reports for this error, when it differs from `code`."""

    def __init__(self, shape: str, message: str) -> None:
        super().__init__(message)
        self.shape = shape
        self.message = message

    @property
    def status(self) -> int:
        return error_status(self.shape)

    @property
    def code(self) -> str:
        return self.shape.removesuffix("Exception")


class _ModelledError(ServiceError):
    SHAPE = ""

    def __init__(self, message: str) -> None:
        super().__init__(self.SHAPE, message)


class BadRequest(_ModelledError):
    SHAPE = "BadRequestException"


class NotFound(_ModelledError):
    SHAPE = "NotFoundException"


class Conflict(_ModelledError):
    SHAPE = "ConflictException"


class ResourceLimitExceeded(_ModelledError):
    SHAPE = "ResourceLimitExceededException"


class AccessDenied(_ModelledError):
    SHAPE = "AccessDeniedException"


class Forbidden(_ModelledError):
    SHAPE = "ForbiddenException"


class Unauthorized(_ModelledError):
    SHAPE = "UnauthorizedClientException"


class ServiceUnavailable(_ModelledError):
    SHAPE = "ServiceUnavailableException"


class ServiceFailure(_ModelledError):
    SHAPE = "ServiceFailureException"


class NotImplementedOperation(ServiceError):
    def __init__(self, operation: str) -> None:
        super().__init__(
            NOT_IMPLEMENTED,
            f"localchime does not implement {operation} yet; see `localchime coverage`",
        )
