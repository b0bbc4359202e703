"""ARNs of the resources an operation names, for policy evaluation and messages.

SPEC (ARNs, D): `arn:aws:chime:<region>:<account>:vc/<id>` and `…:sma/<id>`; the phone number
ARN format is unknown, so localchime uses `…:phone-number/<digits>` (docs/behaviour.md).
"""

from __future__ import annotations

from urllib.parse import parse_qs, unquote

import orjson

RESOURCE_TYPES = {
    "phoneNumberId": "phone-number",
    "phoneNumberOrderId": "phone-number-order",
    "voiceConnectorId": "vc",
    "VoiceConnectorId": "vc",
    "voiceConnectorGroupId": "vcg",
    "sipMediaApplicationId": "sma",
    "sipRuleId": "sip-rule",
    "proxySessionId": "proxy-session",
    "VoiceProfileDomainId": "voice-profile-domain",
    "VoiceProfileId": "voice-profile",
}


def chime_arn(region: str, account: str, resource: str) -> str:
    return f"arn:aws:chime:{region}:{account}:{resource}"


def principal_arn(account: str, principal_name: str) -> str:
    return f"arn:aws:iam::{account}:user/{principal_name}"


def canonical_phone_number(raw: str) -> str:
    """A PhoneNumberId as the handlers read it: `+12065550100`, `%2B12065550100`, spaces or
    not, all name the same number. Policies must see the same name, or a Deny on one spelling
    would not stop another."""
    text = unquote(raw.strip()).strip()
    return text if text.startswith("+") else "+" + text


def resource_arn(region: str, account: str, uri_params: dict[str, str]) -> str:
    """The first resource the request path names, or every resource of the account (`*`)."""
    for label, value in uri_params.items():
        kind = RESOURCE_TYPES.get(label)
        if kind is None:
            continue
        if kind == "phone-number":
            value = canonical_phone_number(value)[1:]
        elif kind == "phone-number-order":
            value = value.strip().lower()  # GuidString ids are case-insensitive
        return chime_arn(region, account, f"{kind}/{value}")
    return chime_arn(region, account, "*")


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
