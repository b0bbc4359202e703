"""Termination: its settings, its SIP credentials and its health.

SPEC (Voice Connectors):
- `CallingRegions` is required (the model's doc says so) and holds ISO alpha-2 codes;
  `CidrAllowedList` entries are /27 to /32 IPv4 networks (IPv6 only on DUAL_STACK connectors);
  `DefaultPhoneNumber` must be a number the account holds in this Region; `CpsLimit` defaults
  to 1 and `Disabled` to false.
- Credentials need termination first (R: Terraform), at most 10 per connector under
  `--quota-profile aws` (R); List answers usernames only. A password is kept only as a salted
  SHA-256 digest and never appears in an answer, an error message or a log.
- Deleting termination deletes its credentials and its health record with it (I).
- Health is the time and source of the most recent simulated SIP OPTIONS ping
  (`POST /_localchime/voice-connectors/{id}/termination-pings`). Before any ping it is
  `TerminationHealth: {}`: nothing has been heard, and localchime does not make a time up (I).
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from sqlalchemy import Connection

from localchime.core import quotas
from localchime.core.clock import to_datetime
from localchime.core.context import RequestContext
from localchime.core.family import Operations, Params
from localchime.core.lists import shown
from localchime.families.phone_numbers import public as phone_numbers
from localchime.families.voice_connectors import repository as repo
from localchime.families.voice_connectors.access import owned_connector, visible_connector
from localchime.families.voice_connectors.documents import (
    TERMINATION,
    Build,
    Document,
    delete_setting,
    get_setting,
    put_setting,
    refuse_while_emergency_calling,
)
from localchime.families.voice_connectors.errors import SettingNotFound
from localchime.families.voice_connectors.repository import ConnectorRecord
from localchime.families.voice_connectors.resources import CREDENTIALS_PER_CONNECTOR
from localchime.families.voice_connectors.rules import (
    country_codes,
    plus_prefixed,
    sip_credential,
    termination_cidrs,
)
from localchime.protocol.errors import BadRequest, NotFound

OPERATIONS = Operations()
HEALTH = "termination-health"
"""The stored kind of the last ping: {"Timestamp": ms, "Source": ip}."""
USABLE_NUMBER_STATUSES = ("Unassigned", "Assigned")


def _termination(ctx: RequestContext, params: Params) -> Build:
    given = params["Termination"]

    def build(connection: Connection, connector: ConnectorRecord) -> Document:
        if not given.get("CallingRegions"):
            raise BadRequest(
                "Termination.CallingRegions is required: the ISO 3166-1 alpha-2 codes of the "
                'countries calls may go to, such as ["US"]'
            )
        document: Document = {
            "CpsLimit": given.get("CpsLimit", 1),
            "CallingRegions": country_codes("CallingRegions", given["CallingRegions"]),
            "CidrAllowedList": termination_cidrs(
                given.get("CidrAllowedList", []),
                dual_stack=connector.network_type == "DUAL_STACK",
            ),
            "Disabled": given.get("Disabled", False),
        }
        if "DefaultPhoneNumber" in given:
            document["DefaultPhoneNumber"] = _default_number(
                connection, ctx, plus_prefixed(given["DefaultPhoneNumber"])
            )
        return document

    return build


def _default_number(connection: Connection, ctx: RequestContext, number: str) -> str:
    """Checked when termination is put (docs/voice-connectors.md): a VoiceConnector number the
    account holds in the Region, Unassigned or Assigned."""
    record = phone_numbers.get_for_update(connection, ctx.account, ctx.region, number)
    if record is None:
        raise BadRequest(
            f"DefaultPhoneNumber {number} is not a phone number of this account in {ctx.region}"
        )
    if record.status not in USABLE_NUMBER_STATUSES:
        raise BadRequest(f"DefaultPhoneNumber {number} is {record.status}; it cannot be used")
    if record.product_type != "VoiceConnector":
        raise BadRequest(
            f"DefaultPhoneNumber {number} has ProductType {record.product_type}; a Voice "
            "Connector calls from VoiceConnector numbers"
        )
    return number


@OPERATIONS("PutVoiceConnectorTermination")
def put_termination(ctx: RequestContext, params: Params) -> dict[str, Any]:
    return put_setting(ctx, params, TERMINATION, _termination(ctx, params))


@OPERATIONS("GetVoiceConnectorTermination")
def get_termination(ctx: RequestContext, params: Params) -> dict[str, Any]:
    return get_setting(ctx, params, TERMINATION)


@OPERATIONS("DeleteVoiceConnectorTermination")
def delete_termination(ctx: RequestContext, params: Params) -> None:
    guard = refuse_while_emergency_calling("termination")

    def guard_and_cascade(connection: Connection, connector: ConnectorRecord) -> None:
        guard(connection, connector)
        connector_id = connector.voice_connector_id
        repo.delete_credentials(
            connection, connector_id, repo.usernames_in(connection, connector_id)
        )
        repo.delete_document(connection, connector_id, HEALTH)

    delete_setting(ctx, params, TERMINATION, guard_and_cascade)


@OPERATIONS("GetVoiceConnectorTerminationHealth")
def get_termination_health(ctx: RequestContext, params: Params) -> dict[str, Any]:
    connector = visible_connector(ctx, params["VoiceConnectorId"])
    connector_id = connector.voice_connector_id
    if repo.document(ctx.reads, connector_id, TERMINATION.kind) is None:
        raise SettingNotFound(connector_id, TERMINATION.what)
    ping = repo.document(ctx.reads, connector_id, HEALTH)
    if ping is None:
        return {"TerminationHealth": {}}
    return {
        "TerminationHealth": {"Timestamp": to_datetime(ping["Timestamp"]), "Source": ping["Source"]}
    }


def _digest(password: str) -> str:
    salt = secrets.token_hex(8)
    return salt + "$" + hashlib.sha256((salt + password).encode()).hexdigest()


@OPERATIONS("PutVoiceConnectorTerminationCredentials")
def put_termination_credentials(ctx: RequestContext, params: Params) -> None:
    given = params.get("Credentials", [])
    if not given:
        raise BadRequest("Credentials needs at least one {Username, Password}")
    digests: dict[str, str] = {}
    for credential in given:
        username = sip_credential("Username", credential.get("Username"), username=True)
        password = sip_credential("Password", credential.get("Password"), username=False)
        if username in digests:
            raise BadRequest(f"Credentials names the Username '{username}' more than once")
        digests[username] = _digest(password)
    with ctx.store.write() as connection:
        connector = owned_connector(ctx, connection, params["VoiceConnectorId"])
        connector_id = connector.voice_connector_id
        if repo.document_in(connection, connector_id, TERMINATION.kind) is None:
            raise BadRequest(
                f"Voice Connector {connector_id} has no termination settings; put termination "
                "before its credentials"
            )
        quotas.check(
            CREDENTIALS_PER_CONNECTOR,
            ctx.settings,
            connection,
            ctx.account,
            # Counts the usernames it would have: a Username given again replaces a password.
            lambda: len(set(repo.usernames_in(connection, connector_id)) | set(digests)),
            scope=f"Voice Connector {connector_id}",
            adding=0,
        )
        repo.put_credentials(connection, connector_id, digests, ctx.now_ms)


@OPERATIONS("ListVoiceConnectorTerminationCredentials")
def list_termination_credentials(ctx: RequestContext, params: Params) -> dict[str, Any]:
    connector = visible_connector(ctx, params["VoiceConnectorId"])
    return {"Usernames": repo.usernames(ctx.reads, connector.voice_connector_id)}


@OPERATIONS("DeleteVoiceConnectorTerminationCredentials")
def delete_termination_credentials(ctx: RequestContext, params: Params) -> None:
    names = params["Usernames"]
    if not names:
        raise BadRequest("Usernames needs at least one username to delete")
    with ctx.store.write() as connection:
        connector = owned_connector(ctx, connection, params["VoiceConnectorId"])
        connector_id = connector.voice_connector_id
        unknown = sorted(set(names) - set(repo.usernames_in(connection, connector_id)))
        if unknown:
            raise NotFound(
                f"Voice Connector {connector_id} has no termination credentials for "
                f"{shown(unknown)}; nothing was deleted"
            )
        repo.delete_credentials(connection, connector_id, sorted(set(names)))


def record_ping(connection: Connection, connector_id: str, source: str, at_ms: int) -> None:
    """A SIP OPTIONS ping from `source` reached the connector's termination (control API)."""
    repo.put_document(
        connection, connector_id, HEALTH, {"Timestamp": at_ms, "Source": source}, at_ms
    )
