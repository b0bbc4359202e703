"""Credentials and identity policies for `--auth verify`, managed through the control API.

- POST   /_localchime/credentials                    ← {AccountId, PrincipalName, AccessKeyId?,
  SecretAccessKey?}; generates what is left out; answers the secret this once
- GET    /_localchime/credentials                    → every credential, without secrets
- DELETE /_localchime/credentials/{AccessKeyId}
- POST   /_localchime/credentials/{id}/policies      ← {PolicyName, PolicyDocument}
- GET    /_localchime/credentials/{id}/policies
- DELETE /_localchime/credentials/{id}/policies/{PolicyName}

Any other key in a body is a 400 that lists the allowed ones.
"""

from __future__ import annotations

import re
import secrets
import string
from typing import Any

import orjson

from localchime.auth import repository as identities
from localchime.auth.policy import PolicyError, check_document
from localchime.auth.repository import Credential
from localchime.core.arns import principal_arn
from localchime.core.clock import real_ms, to_datetime
from localchime.core.control import (
    ControlContext,
    ControlError,
    ControlRequest,
    Field,
    Reply,
    bad_control_request,
    control_not_found,
)
from localchime.core.family import ControlRoutes
from localchime.protocol.serializer import format_timestamp
from localchime.store import Store

_ACCESS_KEY = re.compile(r"[A-Z0-9]{16,128}")
_ACCOUNT = re.compile(r"[0-9]{12}")
_NAME = re.compile(r"[\w+=,.@-]{1,64}", re.ASCII)
_KEY_ALPHABET = string.ascii_uppercase + string.digits
ACCOUNT_RULE = "a 12-digit AWS account id"
NAME_RULE = "1-64 letters, digits and +=,.@_-"
CREDENTIAL_FIELDS = (
    Field("AccountId", required=True, help="The 12-digit account it acts for.", rule=ACCOUNT_RULE),
    Field("PrincipalName", required=True, help="Its user name, in its ARN.", rule=NAME_RULE),
    Field("AccessKeyId", help="16-128 capitals and digits; generated if left out."),
    Field("SecretAccessKey", help="At least 16 characters; generated if left out."),
)
KEY = Field("key", required=True, where="path", help="The credential's access key id.")
POLICY_FIELDS = (
    KEY,
    Field("PolicyName", required=True, help="The policy's name.", rule=NAME_RULE),
    Field(
        "PolicyDocument",
        "any",
        required=True,
        help="An IAM policy document (Effect, Action, Resource), as JSON.",
        rule="an IAM policy document",
    ),
)


def _field(document: dict[str, Any], name: str, pattern: re.Pattern[str], rule: str) -> str:
    value = document.get(name)
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise bad_control_request(f"{name} must be {rule}")
    return value


def new_credential(document: dict[str, Any]) -> Credential:
    account = _field(document, "AccountId", _ACCOUNT, ACCOUNT_RULE)
    principal = _field(document, "PrincipalName", _NAME, NAME_RULE)
    key = document.get("AccessKeyId") or "AKIA" + "".join(
        secrets.choice(_KEY_ALPHABET) for _ in range(16)
    )
    if not isinstance(key, str) or not _ACCESS_KEY.fullmatch(key):
        raise bad_control_request("AccessKeyId must be 16-128 upper-case letters and digits")
    secret = document.get("SecretAccessKey") or secrets.token_urlsafe(30)
    if not isinstance(secret, str) or not 16 <= len(secret) <= 128:
        raise bad_control_request("SecretAccessKey must be a string of 16-128 characters")
    return Credential(key, secret, account, principal, real_ms())


def register_bootstrap(store: Store, spec: str) -> None:
    """`AKID:SECRET:ACCOUNT[:PRINCIPAL]` from LOCALCHIME_BOOTSTRAP_CREDENTIALS."""
    parts = spec.split(":")
    if len(parts) not in (3, 4):
        raise ValueError("LOCALCHIME_BOOTSTRAP_CREDENTIALS must be AKID:SECRET:ACCOUNT[:PRINCIPAL]")
    document = dict(
        zip(("AccessKeyId", "SecretAccessKey", "AccountId", "PrincipalName"), parts, strict=False)
    )
    document.setdefault("PrincipalName", "bootstrap")
    try:
        credential = new_credential(document)
    except ControlError as error:
        raise ValueError(f"LOCALCHIME_BOOTSTRAP_CREDENTIALS: {error.message}") from None
    with store.write() as connection:
        # Replicas starting together all try; the first one in registers it.
        identities.add(connection, credential)


def _public(credential: Credential) -> dict[str, Any]:
    return {
        "AccessKeyId": credential.access_key_id,
        "AccountId": credential.account,
        "PrincipalName": credential.principal_name,
        "PrincipalArn": principal_arn(credential.account, credential.principal_name),
        "CreatedAt": format_timestamp(to_datetime(credential.created_ms)),
    }


ROUTES = ControlRoutes()


@ROUTES("POST", "/credentials", name="credential-add", fields=CREDENTIAL_FIELDS)
def create(ctx: ControlContext, request: ControlRequest) -> Reply:
    credential = new_credential(request.fields())
    with ctx.store.write() as connection:
        if not identities.add(connection, credential):
            raise ControlError(
                409,
                "Conflict",
                f"Access key {credential.access_key_id} is registered already; delete it first",
            )
    return 201, _public(credential) | {"SecretAccessKey": credential.secret_access_key}


@ROUTES("GET", "/credentials", name="credential-list")
def listing(ctx: ControlContext, _request: ControlRequest) -> Reply:
    with ctx.store.read() as connection:
        found = identities.all_credentials(connection)
    return 200, {"Credentials": [_public(c) for c in found]}


@ROUTES("DELETE", "/credentials/{key}", name="credential-remove", fields=(KEY,))
def remove(ctx: ControlContext, request: ControlRequest) -> Reply:
    key = request.params["key"]
    with ctx.store.write() as connection:
        if not identities.delete(connection, key):
            raise _unknown(key)
    return 200, {"Deleted": key}


@ROUTES("POST", "/credentials/{key}/policies", name="policy-attach", fields=POLICY_FIELDS)
def attach(ctx: ControlContext, request: ControlRequest) -> Reply:
    body = request.fields()
    name = _field(body, "PolicyName", _NAME, NAME_RULE)
    document = body.get("PolicyDocument")
    if isinstance(document, str):
        try:
            document = orjson.loads(document)
        except orjson.JSONDecodeError as exc:
            raise bad_control_request(f"PolicyDocument is not valid JSON: {exc}") from None
    try:
        checked = check_document(document)
    except PolicyError as error:
        raise bad_control_request(str(error)) from None
    with ctx.store.write() as connection:
        _require(ctx.store, request.params["key"])
        identities.attach(connection, request.params["key"], name, checked)
    return 201, {"PolicyName": name, "PolicyDocument": checked}


@ROUTES("GET", "/credentials/{key}/policies", name="policy-list", fields=(KEY,))
def list_policies(ctx: ControlContext, request: ControlRequest) -> Reply:
    _require(ctx.store, request.params["key"])
    attached = identities.policies_of(ctx.store.snapshot(), request.params["key"])
    return 200, {"Policies": [{"PolicyName": n, "PolicyDocument": d} for n, d in attached]}


@ROUTES(
    "DELETE",
    "/credentials/{key}/policies/{name}",
    name="policy-detach",
    fields=(KEY, Field("name", required=True, where="path", help="The policy's name.")),
)
def detach(ctx: ControlContext, request: ControlRequest) -> Reply:
    key, name = request.params["key"], request.params["name"]
    with ctx.store.write() as connection:
        if not identities.detach(connection, key, name):
            raise control_not_found(f"No policy {name} on access key {key}")
    return 200, {"Deleted": name}


def _unknown(key: str) -> ControlError:
    return control_not_found(f"No credential with access key {key}")


def _require(store: Store, key: str) -> None:
    if identities.get(store.snapshot(), key) is None:
        raise _unknown(key)
