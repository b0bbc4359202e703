"""SIP media applications: Create, Get, List, Update, Delete, and their logging and Alexa skill
configurations.

An application lives in the Region of the endpoint that created it, and `AwsRegion` must name
that Region (I: docs/pstn-audio.md). Its Lambda function must be in the same Region (SPEC-voice,
M). Deleting it deletes neither its numbers nor its rules (D), but an enabled rule that targets
it must be disabled first (I from D).
"""

from __future__ import annotations

from typing import Any

from localchime.core import quotas
from localchime.core.context import RequestContext
from localchime.core.family import Operations, Params
from localchime.core.ids import new_guid
from localchime.core.pagination import Keyset, Pagination
from localchime.families.sip_media_applications import repository as repo
from localchime.families.sip_media_applications.errors import (
    AlexaSkillsGone,
    ApplicationNotFound,
    BadLambdaRegion,
    TargetedByEnabledRules,
)
from localchime.families.sip_media_applications.repository import Application
from localchime.families.sip_media_applications.resources import APPLICATIONS_PER_REGION
from localchime.families.sip_media_applications.views import application_arn, application_view
from localchime.families.tags import public as tags
from localchime.families.tags.public import check_tags
from localchime.protocol.errors import BadRequest, require

OPERATIONS = Operations()
LISTING = Pagination[Application](
    "ListSipMediaApplications",
    "SipMediaApplications",
    key=lambda r: [r.created_ms, r.application_id],
    view=application_view,
)
"""`--quota-profile aws`: "SIP media applications" per account per Region, the default in the
Amazon Chime SDK endpoints and quotas page of the AWS General Reference."""


@OPERATIONS("CreateSipMediaApplication")
def create_sip_media_application(ctx: RequestContext, params: Params) -> dict[str, Any]:
    given_tags = params.get("Tags", [])
    check_tags(given_tags)
    region = params["AwsRegion"]
    if region != ctx.region:
        raise BadRequest(
            f"AwsRegion is {region}, but this endpoint is {ctx.region}: a SIP media "
            "application is created in the Region of the endpoint called"
        )
    record = Application(
        application_id=new_guid(),
        account=ctx.account,
        region=region,
        name=params["Name"],
        lambda_arn=_lambda_arn(params["Endpoints"], region),
        message_logs=False,
        created_ms=ctx.now_ms,
        updated_ms=ctx.now_ms,
    )
    with ctx.store.write() as connection:
        quotas.check(
            APPLICATIONS_PER_REGION,
            ctx.settings,
            connection,
            ctx.account,
            lambda: repo.count_applications(connection, ctx.account, region),
            scope=f"in {region}",
        )
        repo.insert_application(connection, record)
        tags.put(connection, ctx.account, region, application_arn(record), given_tags)
    return {"SipMediaApplication": application_view(record)}


@OPERATIONS("GetSipMediaApplication")
def get_sip_media_application(ctx: RequestContext, params: Params) -> dict[str, Any]:
    return {"SipMediaApplication": application_view(_visible(ctx, params))}


@OPERATIONS("ListSipMediaApplications")
def list_sip_media_applications(ctx: RequestContext, params: Params) -> dict[str, Any]:
    def fetch(after: Keyset | None, limit: int) -> list[Application]:
        return repo.application_page(ctx.reads, ctx.account, ctx.region, after, limit)

    return LISTING.respond(ctx, params, {}, fetch)


@OPERATIONS("UpdateSipMediaApplication")
def update_sip_media_application(ctx: RequestContext, params: Params) -> dict[str, Any]:
    with ctx.store.write() as connection:
        record = _owned(ctx, connection, params)
        if "Name" in params:
            record.name = params["Name"]
        if "Endpoints" in params:
            record.lambda_arn = _lambda_arn(params["Endpoints"], record.region)
        record.updated_ms = ctx.now_ms
        repo.save_application(connection, record)
    return {"SipMediaApplication": application_view(record)}


@OPERATIONS("DeleteSipMediaApplication")
def delete_sip_media_application(ctx: RequestContext, params: Params) -> None:
    with ctx.store.write() as connection:
        record = _owned(ctx, connection, params)
        targeting = repo.enabled_rules_targeting(connection, record.application_id)
        if targeting:
            raise TargetedByEnabledRules(record.application_id, targeting)
        repo.delete_application(connection, record.application_id)
        tags.drop(connection, application_arn(record))


@OPERATIONS("GetSipMediaApplicationLoggingConfiguration")
def get_logging_configuration(ctx: RequestContext, params: Params) -> dict[str, Any]:
    record = _visible(ctx, params)
    return {"SipMediaApplicationLoggingConfiguration": _logging_view(record)}


@OPERATIONS("PutSipMediaApplicationLoggingConfiguration")
def put_logging_configuration(ctx: RequestContext, params: Params) -> dict[str, Any]:
    configuration = params.get("SipMediaApplicationLoggingConfiguration")
    if configuration is None:
        raise BadRequest("SipMediaApplicationLoggingConfiguration is required")
    with ctx.store.write() as connection:
        record = _owned(ctx, connection, params)
        # An absent flag turns message logs off: the configuration is replaced whole.
        record.message_logs = bool(configuration.get("EnableSipMediaApplicationMessageLogs"))
        record.updated_ms = ctx.now_ms
        repo.save_application(connection, record)
    return {"SipMediaApplicationLoggingConfiguration": _logging_view(record)}


@OPERATIONS("GetSipMediaApplicationAlexaSkillConfiguration")
def get_alexa_skill_configuration(ctx: RequestContext, params: Params) -> None:
    _visible(ctx, params)
    raise AlexaSkillsGone()


@OPERATIONS("PutSipMediaApplicationAlexaSkillConfiguration")
def put_alexa_skill_configuration(ctx: RequestContext, params: Params) -> None:
    _visible(ctx, params)
    raise AlexaSkillsGone()


def _lambda_arn(endpoints: list[dict[str, str]], region: str) -> str:
    """The model holds the pattern and exactly one endpoint; the Region is ours to check."""
    arn = endpoints[0].get("LambdaArn")
    if arn is None:
        raise BadRequest("Endpoints[0].LambdaArn is required")
    if arn.split(":")[3] != region:
        raise BadLambdaRegion(arn, region)
    return arn


def _logging_view(record: Application) -> dict[str, Any]:
    return {"EnableSipMediaApplicationMessageLogs": record.message_logs}


def _visible(ctx: RequestContext, params: Params) -> Application:
    application_id = params["SipMediaApplicationId"]
    found = repo.application(ctx.reads, ctx.account, ctx.region, application_id)
    return require(found, ApplicationNotFound, application_id)


def _owned(ctx: RequestContext, connection: Any, params: Params) -> Application:
    application_id = params["SipMediaApplicationId"]
    found = repo.application_for_update(connection, ctx.account, ctx.region, application_id)
    return require(found, ApplicationNotFound, application_id)
