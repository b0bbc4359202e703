"""SIP rules: Create, Get, List, Update (202), Delete.

A rule routes calls to a number (ToPhoneNumber) or to a Voice Connector's host name
(RequestUriHostname) to its target applications, tried in priority order (SPEC-voice, D).
- A ToPhoneNumber trigger is an E.164 SipMediaApplicationDialIn number the account holds in
  this Region; the rule takes it as a `SipRuleId` association (Assigned), released on delete.
- A RequestUriHostname trigger is the OutboundHostName of one of the account's Voice Connectors,
  in any case (stored in lower case).
- One rule per trigger value; at most one target per Region ("Only one SIP application per AWS
  Region can be used", M); each target is an application of the account in its AwsRegion.
- An enabled rule cannot be deleted (M). The trigger cannot change (UpdateSipRule has none).
- A rule left enabled by UpdateSipRule targets applications that exist (I).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from localchime.core import quotas
from localchime.core.arns import canonical_phone_number
from localchime.core.context import RequestContext
from localchime.core.family import Operations, Params
from localchime.core.ids import new_guid
from localchime.core.lists import repeated, shown
from localchime.core.pagination import Keyset, Pagination
from localchime.families.phone_numbers import public as associations
from localchime.families.phone_numbers.public import owned_number
from localchime.families.sip_media_applications import repository as repo
from localchime.families.sip_media_applications.errors import (
    ApplicationNotFound,
    RuleEnabled,
    RuleNotFound,
    TriggerTaken,
)
from localchime.families.sip_media_applications.repository import Rule, Target
from localchime.families.sip_media_applications.resources import RULES_PER_REGION
from localchime.families.sip_media_applications.views import rule_view
from localchime.families.voice_connectors import public as connectors
from localchime.families.voice_connectors.public import outbound_host_name
from localchime.protocol.errors import BadRequest, require

OPERATIONS = Operations()
LISTING = Pagination[Rule](
    "ListSipRules", "SipRules", key=lambda r: [r.created_ms, r.rule_id], view=rule_view
)
"""`--quota-profile aws`: "SIP rules" per account per Region, the default in the Amazon Chime
SDK endpoints and quotas page of the AWS General Reference."""
TO_PHONE_NUMBER = "ToPhoneNumber"
HOST_NAME_SUFFIX = ".voiceconnector.chime.aws"
E164 = re.compile(r"\+[1-9][0-9]{1,14}")


def number_target(rule_id: str) -> associations.Target:
    return associations.Target("SipRuleId", rule_id, "SIP rule", "SipMediaApplicationDialIn")


@OPERATIONS("CreateSipRule")
def create_sip_rule(ctx: RequestContext, params: Params) -> dict[str, Any]:
    trigger_type = params["TriggerType"]
    trigger_value = _trigger_value(trigger_type, params["TriggerValue"])
    record = Rule(
        rule_id=new_guid(),
        account=ctx.account,
        region=ctx.region,
        name=params["Name"],
        disabled=bool(params.get("Disabled", False)),
        trigger_type=trigger_type,
        trigger_value=trigger_value,
        created_ms=ctx.now_ms,
        updated_ms=ctx.now_ms,
    )
    with ctx.store.write() as connection:
        quotas.check(
            RULES_PER_REGION,
            ctx.settings,
            connection,
            ctx.account,
            lambda: repo.count_rules(connection, ctx.account, ctx.region),
            scope=f"in {ctx.region}",
        )
        record.targets = _targets(ctx, connection, params["TargetApplications"])
        if trigger_type == TO_PHONE_NUMBER:
            _take_number(ctx, connection, record)
        else:
            _check_host_name(ctx, connection, trigger_value)
            if repo.rule_with_trigger(connection, trigger_type, trigger_value) is not None:
                raise TriggerTaken(trigger_type, trigger_value)
        _insert(connection, record)
    return {"SipRule": rule_view(record)}


@OPERATIONS("GetSipRule")
def get_sip_rule(ctx: RequestContext, params: Params) -> dict[str, Any]:
    rule_id = params["SipRuleId"]
    found = repo.rule(ctx.reads, ctx.account, ctx.region, rule_id)
    return {"SipRule": rule_view(require(found, RuleNotFound, rule_id))}


@OPERATIONS("ListSipRules")
def list_sip_rules(ctx: RequestContext, params: Params) -> dict[str, Any]:
    application_id = params.get("SipMediaApplicationId")

    def fetch(after: Keyset | None, limit: int) -> list[Rule]:
        return repo.rule_page(ctx.reads, ctx.account, ctx.region, after, limit, application_id)

    return LISTING.respond(ctx, params, {"SipMediaApplicationId": application_id}, fetch)


@OPERATIONS("UpdateSipRule")
def update_sip_rule(ctx: RequestContext, params: Params) -> dict[str, Any]:
    with ctx.store.write() as connection:
        record = _owned(ctx, connection, params["SipRuleId"])
        record.name = params["Name"]
        if "Disabled" in params:
            record.disabled = bool(params["Disabled"])
        if "TargetApplications" in params:
            record.targets = _targets(ctx, connection, params["TargetApplications"])
        elif not record.disabled:
            _check_kept_targets(ctx, connection, record)
        record.updated_ms = ctx.now_ms
        repo.save_rule(connection, record)
    return {"SipRule": rule_view(record)}


@OPERATIONS("DeleteSipRule")
def delete_sip_rule(ctx: RequestContext, params: Params) -> None:
    with ctx.store.write() as connection:
        record = _owned(ctx, connection, params["SipRuleId"])
        if not record.disabled:
            raise RuleEnabled(record.rule_id)
        if record.trigger_type == TO_PHONE_NUMBER:
            _release_number(ctx, connection, record)
        repo.delete_rule(connection, record.rule_id)


def _owned(ctx: RequestContext, connection: Connection, rule_id: str) -> Rule:
    found = repo.rule_for_update(connection, ctx.account, ctx.region, rule_id)
    return require(found, RuleNotFound, rule_id)


def _targets(
    ctx: RequestContext, connection: Connection, given: list[dict[str, Any]]
) -> tuple[Target, ...]:
    """Each target application exists in the account, in the AwsRegion the target names, and
    no two targets share a Region."""
    for index, target in enumerate(given):
        missing = [k for k in ("SipMediaApplicationId", "Priority", "AwsRegion") if k not in target]
        if missing:
            raise BadRequest(f"TargetApplications[{index}] needs {', '.join(missing)}")
    regions = repeated([t["AwsRegion"] for t in given])
    if regions:
        raise BadRequest(
            f"TargetApplications names the Region {shown(regions)} more than once; only one "
            "SIP media application per AWS Region can be a target"
        )
    targets = []
    for index, target in enumerate(given):
        application_id = target["SipMediaApplicationId"]
        application = repo.application_by_id(connection, ctx.account, application_id)
        if application is None:
            raise ApplicationNotFound(application_id, "this account")
        if application.region != target["AwsRegion"]:
            raise BadRequest(
                f"TargetApplications[{index}].AwsRegion is {target['AwsRegion']}, but SIP media "
                f"application {application_id} is in {application.region}; a target's AwsRegion "
                "must be its application's Region"
            )
        targets.append(Target(application_id, target["Priority"], target["AwsRegion"]))
    return tuple(targets)


def _check_kept_targets(ctx: RequestContext, connection: Connection, record: Rule) -> None:
    """A rule left enabled must target applications that exist: deleting an application needs
    its rules disabled first, so enabling one again must not bring back a dangling target."""
    for target in record.targets:
        if repo.application_by_id(connection, ctx.account, target.application_id) is None:
            raise ApplicationNotFound(
                target.application_id,
                f"this account (SIP rule {record.rule_id} targets it; give TargetApplications "
                "to enable the rule)",
            )


def _trigger_value(trigger_type: str, given: str) -> str:
    """A ToPhoneNumber trigger is an E.164 number (the leading `+` may be left out, as in the
    model's E164PhoneNumber); a host name is compared without regard to case (RFC 3261 19.1.4)
    and stored in lower case, as OutboundHostName is."""
    if trigger_type != TO_PHONE_NUMBER:
        return given.strip().lower()
    e164 = canonical_phone_number(given)
    if not E164.fullmatch(e164):
        raise BadRequest(
            f"TriggerValue {given} is not an E.164 phone number (+<country code><number>, at "
            "most 15 digits), which a ToPhoneNumber trigger must be"
        )
    return e164


def _take_number(ctx: RequestContext, connection: Connection, record: Rule) -> None:
    """The trigger number becomes the rule's (Assigned, SipRuleId). A number that another rule
    has already answers the same 409 as its trigger value would."""
    e164 = record.trigger_value
    owned_number(
        connection, ctx, e164
    )  # NotFound first: another account's rule is no business of this one
    if repo.rule_with_trigger(connection, TO_PHONE_NUMBER, e164) is not None:
        raise TriggerTaken(TO_PHONE_NUMBER, e164)
    associations.associate_one(ctx, connection, number_target(record.rule_id), e164, force=False)


def _release_number(ctx: RequestContext, connection: Connection, record: Rule) -> None:
    """The phone number family releases the trigger number, if the rule still holds it."""
    target = number_target(record.rule_id)
    ctx.events.publish(
        connection,
        associations.NUMBER_HOLDER_DELETED,
        account=ctx.account,
        region=ctx.region,
        name=target.name,
        value=target.value,
        at_ms=ctx.now_ms,
    )


def _check_host_name(ctx: RequestContext, connection: Connection, host: str) -> None:
    connector_id = host.removesuffix(HOST_NAME_SUFFIX) if host.endswith(HOST_NAME_SUFFIX) else ""
    found = connector_id and connectors.account_connector_for_update(
        connection, ctx.account, connector_id
    )
    if not found or outbound_host_name(connector_id) != host:
        raise BadRequest(
            f"TriggerValue {host} is not the OutboundHostName of one of this account's Voice "
            "Connectors (<VoiceConnectorId>.voiceconnector.chime.aws)"
        )


def _insert(connection: Connection, record: Rule) -> None:
    """The unique trigger index settles two creates racing for one trigger value (the
    transaction then rolls back whole)."""
    try:
        repo.insert_rule(connection, record)
    except IntegrityError:
        raise TriggerTaken(record.trigger_type, record.trigger_value) from None
