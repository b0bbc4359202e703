"""Service errors, their HTTP statuses (taken from the model) and their wire form.

The body is `{"Code": "BadRequest", "Message": ...}` with `x-amzn-ErrorType: BadRequestException`.
The short `Code` follows the legacy Chime service (SPEC: wire protocol, inferred); botocore reads
the error code from the header, so boto3 raises the modelled exception class either way.

Families raise named errors (moto's `exceptions.py` style): each family's `errors.py` subclasses
the modelled kinds below, so a call site says what went wrong, never which shape string to send.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import ParamSpec, TypeVar

from localchime.spec.model import service_model

NOT_IMPLEMENTED = "NotImplemented"
T = TypeVar("T")
P = ParamSpec("P")


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
    """An error of one fixed model shape, named by the subclass's `SHAPE`."""

    SHAPE = ""

    def __init__(self, message: str) -> None:
        super().__init__(self.SHAPE, message)


class BadRequest(_ModelledError):
    """400, the answer to most bad input: the message names the member and the rule it broke."""

    SHAPE = "BadRequestException"


class NotFound(_ModelledError):
    SHAPE = "NotFoundException"


class Conflict(_ModelledError):
    """409: the resource's state forbids the request now (a pending update, an order in the way);
    the same request may succeed later."""

    SHAPE = "ConflictException"


class ResourceLimitExceeded(_ModelledError):
    """400, not 429: a quota such as the number of provisioned phone numbers (SPEC: quotas)."""

    SHAPE = "ResourceLimitExceededException"


class AccessDenied(_ModelledError):
    SHAPE = "AccessDeniedException"


def forbidden(message: str) -> ServiceError:
    """403 for operations whose model lists no AccessDeniedException: a policy refused, or the
    signature was wrong. Which of the two 403s a denial uses follows the model (SPEC: errors)."""
    return ServiceError("ForbiddenException", message)


def unauthorized(message: str) -> ServiceError:
    """401: the request carries no signature at all under `--auth verify`."""
    return ServiceError("UnauthorizedClientException", message)


def service_unavailable(message: str) -> ServiceError:
    """503: the database is locked or a deadlock was broken; botocore retries it."""
    return ServiceError("ServiceUnavailableException", message)


def service_failure(message: str) -> ServiceError:
    return ServiceError("ServiceFailureException", message)


def require(
    found: T | None, missing: Callable[P, ServiceError], *args: P.args, **kwargs: P.kwargs
) -> T:
    """`found`, unless it is None: then the error `missing(*args, **kwargs)` names what is not
    there. Built only when raised, so the common case pays for no message."""
    if found is None:
        raise missing(*args, **kwargs)
    return found


class NotImplementedOperation(ServiceError):
    def __init__(self, operation: str) -> None:
        super().__init__(
            NOT_IMPLEMENTED,
            f"localchime does not implement {operation} yet; see `localchime coverage`",
        )
