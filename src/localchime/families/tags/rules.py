"""What makes a set of tags acceptable, for every resource that takes `Tags`."""

from __future__ import annotations

from localchime.core.lists import repeated, shown
from localchime.protocol.errors import BadRequest


def check_tags(tags: list[dict[str, str]]) -> None:
    """The model bounds the count and the lengths; these are the rules it cannot say."""
    keys = [tag["Key"] for tag in tags]
    twice = repeated(keys)
    if twice:
        raise BadRequest(f"Tags names the key {shown(twice)} more than once")
    reserved = [key for key in keys if key.lower().startswith("aws:")]
    if reserved:
        # AWS reserves the aws: prefix for its own tags on every service.
        raise BadRequest(f"Tag keys may not start with 'aws:': {shown(reserved)}")
