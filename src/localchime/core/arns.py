"""ARN spelling shared by every resource, for policy evaluation and messages.

SPEC (ARNs, D): `arn:aws:chime:<region>:<account>:<type>/<id>`; each resource type is declared
once with its resource (`core.resources`); the phone number ARN format is unknown, so
localchime uses `…:phone-number/<digits>` (docs/behaviour.md).
"""

from __future__ import annotations

from urllib.parse import parse_qs, unquote

import orjson

PARTITION = "aws"
"""localchime serves the commercial partition only; an `arn:aws-cn:` ARN names nothing here."""


def chime_arn(region: str, account: str, resource: str) -> str:
    return f"arn:{PARTITION}:chime:{region}:{account}:{resource}"


def principal_arn(account: str, principal_name: str) -> str:
    return f"arn:aws:iam::{account}:user/{principal_name}"


def canonical_phone_number(raw: str) -> str:
    """A PhoneNumberId as the handlers read it: `+12065550100`, `%2B12065550100`, spaces or
    not, all name the same number. Policies must see the same name, or a Deny on one spelling
    would not stop another."""
    text = unquote(raw.strip()).strip()
    return text if text.startswith("+") else "+" + text


ARN_NAMING_OPERATIONS = {
    "TagResource": "body",
    "UntagResource": "body",
    "ListTagsForResource": "query",
}
"""The tag operations name their resource by ARN in the body or the `arn` query parameter,
not in the path; IAM evaluates them against that ARN."""


def named_arn(operation: str, query: str, body: bytes) -> str | None:
    """The ResourceARN a tag operation names, read before the input is parsed (for
    authorization only), or None when there is none to read."""
    where = ARN_NAMING_OPERATIONS.get(operation)
    if where == "query":
        values = parse_qs(query).get("arn")
        return values[0] if values else None
    if where == "body":
        try:
            document = orjson.loads(body or b"{}")
        except orjson.JSONDecodeError:
            return None
        value = document.get("ResourceARN") if isinstance(document, dict) else None
        return value if isinstance(value, str) else None
    return None
