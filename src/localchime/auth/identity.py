"""Who is calling: the account, Region and principal behind a request, and what it may do.

With `--auth off` the account comes from the access key (DESIGN: accounts and regions) and
nothing is enforced. With `--auth verify` the signature is checked against the credentials
registry and the principal's identity policies decide each call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from botocore.model import OperationModel

from localchime.auth import repository as identities
from localchime.auth.policy import is_allowed
from localchime.auth.sigv4 import read_signature, verify
from localchime.config import Settings
from localchime.core.accounts import REGION_NAME, caller_identity
from localchime.core.arns import principal_arn
from localchime.protocol.errors import AccessDenied, BadRequest, ServiceError, forbidden
from localchime.protocol.messages import Request
from localchime.store.database import Snapshot


@dataclass(frozen=True, slots=True)
class Caller:
    account: str
    region: str
    principal: str | None
    """The principal's ARN under `--auth verify`; None when nothing is verified."""
    policies: tuple[dict[str, Any], ...] = ()


def identify(request: Request, settings: Settings, reads: Snapshot, now_ms: int) -> Caller:
    if settings.auth == "off":
        account, region = caller_identity(request.headers.get("authorization"))
        return Caller(account, region, None)
    signature = read_signature(request)
    if not REGION_NAME.fullmatch(signature.region):
        raise BadRequest(
            f"The SigV4 credential scope names Region '{signature.region[:64]}', which is not a Region name"
        )
    credential = identities.get(reads, signature.access_key_id)
    if credential is None:
        raise forbidden(
            f"The security token included in the request is invalid: access key "
            f"{signature.access_key_id[:128]} is not registered"
        )
    verify(request, signature, credential.secret_access_key, now_ms)
    documents = tuple(doc for _, doc in identities.policies_of(reads, credential.access_key_id))
    principal = principal_arn(credential.account, credential.principal_name)
    return Caller(credential.account, signature.region, principal, documents)


def authorize(
    caller: Caller,
    operation: OperationModel,
    path_arn: str,
    named: Callable[[], str | None] = lambda: None,
) -> None:
    """Raises AccessDeniedException where the operation models it, ForbiddenException elsewhere.
    `path_arn` is the resource the request path names (or `*`); `named` gives the ARN a tag
    operation names in its input, evaluated only when a policy must be."""
    if caller.principal is None:
        return
    _authorize_on(caller, operation, named() or path_arn)


def authorize_named(
    caller: Caller, operation: OperationModel, arns: Callable[[], Iterable[str]]
) -> None:
    """After parsing: the action must also be allowed on every resource the input names in its
    body or query (a phone number in BatchUpdatePhoneNumber, the numbers
    AssociatePhoneNumbersWithVoiceConnector takes), as IAM evaluates it against each resource
    the action takes, not only the one in the path."""
    if caller.principal is None:
        return
    for arn in arns():
        _authorize_on(caller, operation, arn)


def _authorize_on(caller: Caller, operation: OperationModel, resource: str) -> None:
    action = f"chime:{operation.name}"
    if is_allowed(list(caller.policies), action, resource):
        return
    modelled = any(e.name == "AccessDeniedException" for e in operation.error_shapes)
    message = (
        f"User: {caller.principal} is not authorized to perform: {action} on resource: {resource}"
    )
    refusal: ServiceError = AccessDenied(message) if modelled else forbidden(message)
    raise refusal
