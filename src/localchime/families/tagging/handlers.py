"""The three tag operations, for Voice Connectors (`vc/<id>`), SIP media applications
(`sma/<id>`) and voice profile domains (`voice-profile-domain/<id>`), the taggable resources
(SPEC-voice: Tags).

- An ARN that is not a Chime SDK Voice ARN, or names a kind of resource that takes no tags, is a
  BadRequest that says which kinds do.
- An ARN of another account, of another Region than the endpoint's, or of nothing is a NotFound
  (I: SPEC-voice), so an account learns nothing of another's resources.
- A resource holds at most 50 tags (ResourceLimitExceededException beyond); TagResource replaces
  the value of a key the resource already has; UntagResource ignores keys it does not have.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from localchime.core.context import RequestContext
from localchime.core.family import Operations, Params
from localchime.families.sip_media_applications import repository as applications
from localchime.families.tags import repository as tags
from localchime.families.tags.rules import check_tags
from localchime.families.voice_analytics import repository as analytics
from localchime.families.voice_connectors import repository as connectors
from localchime.protocol.errors import BadRequest, NotFound, ResourceLimitExceeded
from localchime.store.database import Snapshot

OPERATIONS = Operations()
MAX_TAGS = 50
CHIME_ARN = re.compile(
    r"arn:(?P<partition>aws[a-zA-Z-]*):chime:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):"
    r"(?P<kind>[a-z-]+)/(?P<id>[A-Za-z0-9-]+)"
)
Exists = Callable[[Snapshot, str, str, str], bool]
TAGGABLE: dict[str, tuple[str, Exists]] = {
    "vc": (
        "Voice Connector",
        lambda reads, account, region, ident: (
            connectors.connector(reads, account, region, ident) is not None
        ),
    ),
    "sma": (
        "SIP media application",
        lambda reads, account, region, ident: (
            applications.application(reads, account, region, ident) is not None
        ),
    ),
    "voice-profile-domain": (
        "voice profile domain",
        lambda reads, account, region, ident: (
            analytics.domain(reads, account, region, ident) is not None
        ),
    ),
}


@OPERATIONS("TagResource")
def tag_resource(ctx: RequestContext, params: Params) -> None:
    arn = _taggable(ctx, params["ResourceARN"])
    given = params["Tags"]
    check_tags(given)
    with ctx.store.write() as connection:
        held = {tag["Key"] for tag in tags.tags_in(connection, arn)}
        total = len(held | {tag["Key"] for tag in given})
        if total > MAX_TAGS:
            raise ResourceLimitExceeded(
                f"{arn} would hold {total} tags; a resource holds at most {MAX_TAGS}"
            )
        tags.put(connection, ctx.account, ctx.region, arn, given)


@OPERATIONS("UntagResource")
def untag_resource(ctx: RequestContext, params: Params) -> None:
    arn = _taggable(ctx, params["ResourceARN"])
    with ctx.store.write() as connection:
        tags.remove(connection, arn, params["TagKeys"])


@OPERATIONS("ListTagsForResource")
def list_tags_for_resource(ctx: RequestContext, params: Params) -> dict[str, Any]:
    arn = _taggable(ctx, params["ResourceARN"])
    return {"Tags": tags.tags_of(ctx.reads, arn)}


def _taggable(ctx: RequestContext, arn: str) -> str:
    """The ARN of a taggable resource the caller has, or the error that says why not."""
    found = CHIME_ARN.fullmatch(arn)
    kinds = ", ".join(f"{name}s ({prefix}/…)" for prefix, (name, _) in TAGGABLE.items())
    if found is None:
        raise BadRequest(
            f"ResourceARN {arn} is not a Chime SDK Voice resource ARN "
            f"(arn:aws:chime:<region>:<account>:<kind>/<id>); taggable: {kinds}"
        )
    taggable = TAGGABLE.get(found["kind"])
    if taggable is None:
        raise BadRequest(
            f"ResourceARN {arn} names a {found['kind']}, which takes no tags; taggable: {kinds}"
        )
    name, exists = taggable
    mine = found["account"] == ctx.account and found["region"] == ctx.region
    if not mine or not exists(ctx.reads, ctx.account, ctx.region, found["id"]):
        raise NotFound(f"No {name} {found['id']} in this account and Region ({arn})")
    return arn
