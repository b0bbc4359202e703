"""Phone number associations with connectors and groups: Associate and Disassociate, each
answering per-number `PhoneNumberErrors` (SPEC: phone number associations). The rules live in
`phone_numbers.associations`, shared with SIP rules."""

from __future__ import annotations

from typing import Any

from localchime.core.context import RequestContext
from localchime.core.family import Operations, Params
from localchime.families.phone_numbers import associations
from localchime.families.voice_connectors.access import owned_connector
from localchime.families.voice_connectors.connectors import target as connector_target
from localchime.families.voice_connectors.groups import owned_group
from localchime.families.voice_connectors.groups import target as group_target

OPERATIONS = Operations()


@OPERATIONS("AssociatePhoneNumbersWithVoiceConnector")
def associate_with_connector(ctx: RequestContext, params: Params) -> dict[str, Any]:
    with ctx.store.write() as connection:
        connector = owned_connector(ctx, connection, params["VoiceConnectorId"])
        errors = associations.associate(
            ctx,
            connection,
            connector_target(connector.voice_connector_id),
            params["E164PhoneNumbers"],
            force=params.get("ForceAssociate", False),
        )
    return {"PhoneNumberErrors": errors}


@OPERATIONS("DisassociatePhoneNumbersFromVoiceConnector")
def disassociate_from_connector(ctx: RequestContext, params: Params) -> dict[str, Any]:
    with ctx.store.write() as connection:
        connector = owned_connector(ctx, connection, params["VoiceConnectorId"])
        errors = associations.disassociate(
            ctx,
            connection,
            connector_target(connector.voice_connector_id),
            params["E164PhoneNumbers"],
        )
    return {"PhoneNumberErrors": errors}


@OPERATIONS("AssociatePhoneNumbersWithVoiceConnectorGroup")
def associate_with_group(ctx: RequestContext, params: Params) -> dict[str, Any]:
    with ctx.store.write() as connection:
        group = owned_group(ctx, connection, params["VoiceConnectorGroupId"])
        errors = associations.associate(
            ctx,
            connection,
            group_target(group.group_id),
            params["E164PhoneNumbers"],
            force=params.get("ForceAssociate", False),
        )
    return {"PhoneNumberErrors": errors}


@OPERATIONS("DisassociatePhoneNumbersFromVoiceConnectorGroup")
def disassociate_from_group(ctx: RequestContext, params: Params) -> dict[str, Any]:
    with ctx.store.write() as connection:
        group = owned_group(ctx, connection, params["VoiceConnectorGroupId"])
        errors = associations.disassociate(
            ctx, connection, group_target(group.group_id), params["E164PhoneNumbers"]
        )
    return {"PhoneNumberErrors": errors}
