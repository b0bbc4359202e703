"""What makes a set of tags acceptable, for every resource that takes `Tags`."""

from __future__ import annotations

from localchime.protocol.errors import BadRequest


def check_tags(tags: list[dict[str, str]]) -> None:
    """The model bounds the count and the lengths; these are the rules it cannot say."""
    keys = [tag["Key"] for tag in tags]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise BadRequest(f"Tags names the key {', '.join(repeated)} more than once")
    reserved = sorted(key for key in keys if key.lower().startswith("aws:"))
    if reserved:
        # AWS reserves the aws: prefix for its own tags on every service.
        raise BadRequest(f"Tag keys may not start with 'aws:': {', '.join(reserved)}")
