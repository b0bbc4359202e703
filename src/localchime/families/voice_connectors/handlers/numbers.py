"""Phone number associations with connectors and groups: Associate and Disassociate, each
answering per-number `PhoneNumberErrors` (SPEC: phone number associations). The rules live in
`phone_numbers.associations`, shared with SIP rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection

from localchime.core.context import RequestContext
from localchime.core.family import Operations, Params
from localchime.families.phone_numbers import public as associations
from localchime.families.voice_connectors.access import owned_connector
from localchime.families.voice_connectors.handlers.connectors import target as connector_target
from localchime.families.voice_connectors.handlers.groups import owned_group
from localchime.families.voice_connectors.handlers.groups import target as group_target

OPERATIONS = Operations()
Locate = Callable[[RequestContext, Connection, Params], associations.Target]
"""Finds (and row-locks) the connector or group the request names; NotFound otherwise."""


def _connector(ctx: RequestContext, connection: Connection, params: Params) -> associations.Target:
    connector = owned_connector(ctx, connection, params["VoiceConnectorId"])
    return connector_target(connector.voice_connector_id)


def _group(ctx: RequestContext, connection: Connection, params: Params) -> associations.Target:
    return group_target(owned_group(ctx, connection, params["VoiceConnectorGroupId"]).group_id)


def _associate(ctx: RequestContext, params: Params, locate: Locate) -> dict[str, Any]:
    with ctx.store.write() as connection:
        errors = associations.associate(
            ctx,
            connection,
            locate(ctx, connection, params),
            params["E164PhoneNumbers"],
            force=params.get("ForceAssociate", False),
        )
    return {"PhoneNumberErrors": errors}


def _disassociate(ctx: RequestContext, params: Params, locate: Locate) -> dict[str, Any]:
    with ctx.store.write() as connection:
        target = locate(ctx, connection, params)
        errors = associations.disassociate(ctx, connection, target, params["E164PhoneNumbers"])
    return {"PhoneNumberErrors": errors}


@OPERATIONS("AssociatePhoneNumbersWithVoiceConnector")
def associate_with_connector(ctx: RequestContext, params: Params) -> dict[str, Any]:
    return _associate(ctx, params, _connector)


@OPERATIONS("DisassociatePhoneNumbersFromVoiceConnector")
def disassociate_from_connector(ctx: RequestContext, params: Params) -> dict[str, Any]:
    return _disassociate(ctx, params, _connector)


@OPERATIONS("AssociatePhoneNumbersWithVoiceConnectorGroup")
def associate_with_group(ctx: RequestContext, params: Params) -> dict[str, Any]:
    return _associate(ctx, params, _group)


@OPERATIONS("DisassociatePhoneNumbersFromVoiceConnectorGroup")
def disassociate_from_group(ctx: RequestContext, params: Params) -> dict[str, Any]:
    return _disassociate(ctx, params, _group)
