"""Opaque NextTokens that resume by key, and that cannot be forged or reused with other filters.

Like moto's tokens, each carries a checksum of the request's filters, so a token is rejected if
replayed with a different query. Unlike moto's, it is also signed with HMAC-SHA256 under a secret
kept in the database (shared by replicas, stable across restarts), so a tampered token is a
BadRequest rather than a silently wrong page.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import orjson

from localchime.protocol.errors import bad_request

_SIGNATURE_BYTES = 16


def _filters_digest(filters: dict[str, Any]) -> str:
    canonical = orjson.dumps(filters, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(canonical).hexdigest()[:16]


def encode_token(secret: bytes, operation: str, filters: dict[str, Any], key: list[Any]) -> str:
    payload = orjson.dumps({"o": operation, "f": _filters_digest(filters), "k": key})
    signature = hmac.new(secret, payload, hashlib.sha256).digest()[:_SIGNATURE_BYTES]
    return base64.urlsafe_b64encode(signature + payload).decode("ascii").rstrip("=")


def decode_token(secret: bytes, operation: str, filters: dict[str, Any], token: str) -> list[Any]:
    """Returns the key the previous page ended on; any mismatch is a BadRequest."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except ValueError:
        raise _invalid_token() from None
    signature, payload = raw[:_SIGNATURE_BYTES], raw[_SIGNATURE_BYTES:]
    expected = hmac.new(secret, payload, hashlib.sha256).digest()[:_SIGNATURE_BYTES]
    if not hmac.compare_digest(signature, expected):
        raise _invalid_token()
    body = orjson.loads(payload)
    if body.get("o") != operation:
        raise bad_request(f"NextToken was issued by {body.get('o')}, not {operation}")
    if body.get("f") != _filters_digest(filters):
        raise bad_request(
            "NextToken does not belong to this query: it was issued for different filters"
        )
    return list(body["k"])


def _invalid_token() -> Exception:
    return bad_request("NextToken is not valid: it is malformed or was altered")
