"""Voice profile domains: Create (201), Get, List, Update, Delete.

A domain lives in the Region of the endpoint that created it. Its KMS key must be a key ARN of
that Region: the model holds the pattern; SPEC-voice (D) says symmetric keys only and no aliases.
`ClientRequestToken` makes Create idempotent: the same token with the same parameters answers the
domain it created, with other parameters a ConflictException. Deleting a domain deletes its
profiles (D).
"""

from __future__ import annotations

import re
from typing import Any

from localchime.core import quotas
from localchime.core.context import RequestContext
from localchime.core.family import Operations, Params
from localchime.core.ids import new_guid
from localchime.core.pagination import Keyset, Pagination
from localchime.families.tags import public as tags
from localchime.families.tags.public import check_tags
from localchime.families.voice_analytics import repository as repo
from localchime.families.voice_analytics.errors import DomainNotFound, TokenReused
from localchime.families.voice_analytics.lifecycle import PROFILE_EXPIRE
from localchime.families.voice_analytics.repository import Domain
from localchime.families.voice_analytics.resources import DOMAINS_PER_REGION
from localchime.families.voice_analytics.views import domain_arn, domain_summary, domain_view
from localchime.protocol.errors import BadRequest, require
from localchime.store import timers
from localchime.store.locks import lock_for_account

OPERATIONS = Operations()
LISTING = Pagination[Domain](
    "ListVoiceProfileDomains",
    "VoiceProfileDomains",
    key=lambda r: [r.created_ms, r.domain_id],
    view=domain_summary,
)
KMS_KEY_ARN = re.compile(
    r"arn:aws[a-z-]*:kms:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):(?P<kind>[a-z-]+)/.+"
)


@OPERATIONS("CreateVoiceProfileDomain")
def create_voice_profile_domain(ctx: RequestContext, params: Params) -> dict[str, Any]:
    given_tags = params.get("Tags", [])
    check_tags(given_tags)
    key_arn = _kms_key_arn(params["ServerSideEncryptionConfiguration"]["KmsKeyArn"], ctx.region)
    token = params.get("ClientRequestToken")
    record = Domain(
        domain_id=new_guid(),
        account=ctx.account,
        region=ctx.region,
        name=params["Name"],
        description=params.get("Description"),
        kms_key_arn=key_arn,
        client_token=token,
        created_ms=ctx.now_ms,
        updated_ms=ctx.now_ms,
    )
    with ctx.store.write() as connection:
        # One lock for the token and the quota: two creates with one token cannot both insert.
        lock_for_account(connection, "voice-profile-domains", ctx.account)
        if token is not None:
            earlier = repo.domain_with_token(connection, ctx.account, token)
            if earlier is not None:
                if _same_request(earlier, record):
                    return {"VoiceProfileDomain": domain_view(earlier)}
                raise TokenReused(token, "voice profile domain", earlier.domain_id)
        quotas.check(
            DOMAINS_PER_REGION,
            ctx.settings,
            connection,
            ctx.account,
            lambda: repo.count_domains(connection, ctx.account, ctx.region),
            scope=f"in {ctx.region}",
        )
        repo.insert_domain(connection, record)
        tags.put(connection, ctx.account, ctx.region, domain_arn(record), given_tags)
    return {"VoiceProfileDomain": domain_view(record)}


@OPERATIONS("GetVoiceProfileDomain")
def get_voice_profile_domain(ctx: RequestContext, params: Params) -> dict[str, Any]:
    domain_id = params["VoiceProfileDomainId"]
    found = repo.domain(ctx.reads, ctx.account, ctx.region, domain_id)
    return {"VoiceProfileDomain": domain_view(require(found, DomainNotFound, domain_id))}


@OPERATIONS("ListVoiceProfileDomains")
def list_voice_profile_domains(ctx: RequestContext, params: Params) -> dict[str, Any]:
    def fetch(after: Keyset | None, limit: int) -> list[Domain]:
        return repo.domain_page(ctx.reads, ctx.account, ctx.region, after, limit)

    return LISTING.respond(ctx, params, {}, fetch)


@OPERATIONS("UpdateVoiceProfileDomain")
def update_voice_profile_domain(ctx: RequestContext, params: Params) -> dict[str, Any]:
    domain_id = params["VoiceProfileDomainId"]
    with ctx.store.write() as connection:
        found = repo.domain_for_update(connection, ctx.account, ctx.region, domain_id)
        record = require(found, DomainNotFound, domain_id)
        if "Name" in params:
            record.name = params["Name"]
        if "Description" in params:
            record.description = params["Description"]
        record.updated_ms = ctx.now_ms
        repo.save_domain(connection, record)
    return {"VoiceProfileDomain": domain_view(record)}


@OPERATIONS("DeleteVoiceProfileDomain")
def delete_voice_profile_domain(ctx: RequestContext, params: Params) -> None:
    domain_id = params["VoiceProfileDomainId"]
    with ctx.store.write() as connection:
        found = repo.domain_for_update(connection, ctx.account, ctx.region, domain_id)
        record = require(found, DomainNotFound, domain_id)
        for profile_id in repo.delete_domain(connection, domain_id):
            timers.cancel(connection, PROFILE_EXPIRE, profile_id)
        tags.drop(connection, domain_arn(record))


def _kms_key_arn(arn: str, region: str) -> str:
    found = KMS_KEY_ARN.fullmatch(arn)
    if found is None:
        raise BadRequest(
            f"ServerSideEncryptionConfiguration.KmsKeyArn {arn} is not a KMS key ARN "
            "(arn:aws:kms:<region>:<account>:key/<key-id>)"
        )
    if found["kind"] != "key":
        raise BadRequest(
            f"ServerSideEncryptionConfiguration.KmsKeyArn {arn} names a KMS {found['kind']}; "
            "voice profile domains take the ARN of a symmetric key (key/<key-id>), not an alias"
        )
    if found["region"] != region:
        raise BadRequest(
            f"ServerSideEncryptionConfiguration.KmsKeyArn {arn} is in {found['region']}; the key "
            f"must be in the domain's Region, {region}"
        )
    return arn


def _same_request(earlier: Domain, record: Domain) -> bool:
    return (earlier.region, earlier.name, earlier.description, earlier.kms_key_arn) == (
        record.region,
        record.name,
        record.description,
        record.kms_key_arn,
    )
