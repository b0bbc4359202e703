"""Opaque NextTokens that resume by key, and that cannot be forged or reused with other filters.

Like moto's tokens, each carries a checksum of the request's filters, so a token is rejected if
replayed with a different query. Unlike moto's, it is also signed with HMAC-SHA256 under a secret
kept in the database (shared by replicas, stable across restarts), so a tampered token is a
BadRequest rather than a silently wrong page.

`Pagination` declares a List operation's paging once (the output member, the keyset of an item,
the view) and every List handler answers through it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import orjson

from localchime.core.context import RequestContext
from localchime.protocol.errors import BadRequest

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
        raise BadRequest(f"NextToken was issued by {body.get('o')}, not {operation}")
    if body.get("f") != _filters_digest(filters):
        raise BadRequest(
            "NextToken does not belong to this query: it was issued for different filters"
        )
    return list(body["k"])


def _invalid_token() -> Exception:
    return BadRequest("NextToken is not valid: it is malformed or was altered")


T = TypeVar("T")
Keyset = list[Any]
Fetch = Callable[[Keyset | None, int], Sequence[T]]
"""(the key the previous page ended on, or None; how many rows at most) -> rows in key order."""

DEFAULT_PAGE = 100


@dataclass(frozen=True)
class Tokens:
    """The NextTokens of one operation, bound to the caller and the filters."""

    operation: str

    def resume(
        self, ctx: RequestContext, params: dict[str, Any], filters: dict[str, Any]
    ) -> Keyset | None:
        """The key the client's NextToken carries, or None on a first page."""
        if "NextToken" not in params:
            return None
        scoped = self._scoped(ctx, filters)
        return decode_token(ctx.token_secret, self.operation, scoped, params["NextToken"])

    def token(self, ctx: RequestContext, filters: dict[str, Any], key: Keyset) -> str:
        return encode_token(ctx.token_secret, self.operation, self._scoped(ctx, filters), key)

    @staticmethod
    def _scoped(ctx: RequestContext, filters: dict[str, Any]) -> dict[str, Any]:
        # A token is good only for the account and Region that received it.
        return {**filters, "account": ctx.account, "region": ctx.region}


@dataclass(frozen=True)
class Pagination(Tokens, Generic[T]):
    """Keyset paging for one List operation: every List handler answers through `respond`."""

    items: str
    """The output member that holds the page, e.g. `PhoneNumbers`."""
    key: Callable[[T], Keyset]
    """The keyset of a row: the page after it starts strictly after this key."""
    view: Callable[[T], Any]
    default_size: int = DEFAULT_PAGE

    def respond(
        self, ctx: RequestContext, params: dict[str, Any], filters: dict[str, Any], fetch: Fetch[T]
    ) -> dict[str, Any]:
        limit = int(params.get("MaxResults", self.default_size))
        rows = fetch(self.resume(ctx, params, filters), limit + 1)
        result: dict[str, Any] = {self.items: [self.view(row) for row in rows[:limit]]}
        if len(rows) > limit:
            result["NextToken"] = self.token(ctx, filters, self.key(rows[limit - 1]))
        return result
