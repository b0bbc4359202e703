"""The three tag operations, for every resource kind declared taggable (today Voice
Connectors `vc/<id>`, SIP media applications `sma/<id>` and voice profile domains
`voice-profile-domain/<id>`; SPEC-voice: Tags). They find the resource an ARN names through
the request's catalogue of declarations (`ctx.resources`), importing no family.

- An ARN that is not a Chime SDK Voice ARN, or names a kind of resource that takes no tags, is a
  BadRequest that says which kinds do.
- An ARN of another partition (`arn:aws-cn:`), of another account, of another Region than the
  endpoint's, or of nothing is one NotFound with one message (I: SPEC-voice), whatever exists,
  so an account learns nothing of another's resources and no tag is written under it.
- A resource holds at most 50 tags (ResourceLimitExceededException beyond); TagResource replaces
  the value of a key the resource already has; UntagResource ignores keys it does not have.
"""

from __future__ import annotations

from typing import Any

from localchime.core.arns import PARTITION
from localchime.core.context import RequestContext
from localchime.core.family import Operations, Params
from localchime.families.tags import repository as tags
from localchime.families.tags.rules import check_tags
from localchime.protocol.errors import BadRequest, NotFound, ResourceLimitExceeded

OPERATIONS = Operations()
MAX_TAGS = 50


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
    taggable = ctx.resources.taggable()
    kinds = ", ".join(f"{r.kind}s ({r.arn_type}/…)" for r in taggable)
    found = ctx.resources.parse(arn)
    if found is None:
        raise BadRequest(
            f"ResourceARN {arn} is not a Chime SDK Voice resource ARN "
            f"(arn:aws:chime:<region>:<account>:<kind>/<id>); taggable: {kinds}"
        )
    resource = found.resource
    if resource is None or not resource.taggable or resource.exists is None:
        raise BadRequest(
            f"ResourceARN {arn} names a {found.arn_type}, which takes no tags; taggable: {kinds}"
        )
    mine = (
        found.partition == PARTITION and found.account == ctx.account and found.region == ctx.region
    )
    # Checked in this order so a foreign ARN never reaches the database: one answer for
    # "not yours" and "not there".
    if not mine or not resource.exists(ctx.reads, ctx.account, ctx.region, found.ident):
        raise NotFound(f"No {resource.kind} {found.ident} in this account and Region ({arn})")
    return arn
