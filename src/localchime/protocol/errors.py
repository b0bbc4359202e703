"""Service errors, their HTTP statuses (taken from the model) and their wire form.

The body is `{"Code": "BadRequest", "Message": ...}` with `x-amzn-ErrorType: BadRequestException`.
The short `Code` follows the legacy Chime service (SPEC: wire protocol, inferred); botocore reads
the error code from the header, so boto3 raises the modelled exception class either way.
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


def bad_request(message: str) -> ServiceError:
    return ServiceError("BadRequestException", message)


def not_found(message: str) -> ServiceError:
    return ServiceError("NotFoundException", message)


def conflict(message: str) -> ServiceError:
    return ServiceError("ConflictException", message)


def limit_exceeded(message: str) -> ServiceError:
    return ServiceError("ResourceLimitExceededException", message)


def not_implemented(operation: str) -> ServiceError:
    return ServiceError(
        NOT_IMPLEMENTED, f"localchime does not implement {operation} yet; see `localchime coverage`"
    )
