"""SigV4 verification for `--auth verify`, recomputed with botocore's own signer.

- No Authorization header (or not SigV4): UnauthorizedClientException, 401.
- Unknown access key, a signature that does not match, or a request time more than 15 minutes
  from the service clock: ForbiddenException, 403. Messages say which, never a secret.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from localchime.protocol.errors import forbidden, unauthorized
from localchime.protocol.messages import Request

MAX_SKEW_MS = 15 * 60 * 1000
SIGNING_NAME = "chime"
"""The model's signingName (SPEC: wire protocol)."""
_AUTHORIZATION = re.compile(
    r"AWS4-HMAC-SHA256\s+Credential=(?P<key>[A-Za-z0-9]{1,128})/(?P<date>[0-9]{8})/(?P<region>[^/]+)/"
    r"(?P<service>[^/]+)/aws4_request,\s*SignedHeaders=(?P<headers>[a-z0-9;\-]+),\s*"
    r"Signature=(?P<signature>[0-9a-f]{64})"
)


@dataclass(frozen=True, slots=True)
class Signature:
    access_key_id: str
    date: str
    region: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str


def read_signature(request: Request) -> Signature:
    header = request.headers.get("authorization")
    if not header:
        raise unauthorized("Missing Authentication Token: the request is not signed with SigV4")
    found = _AUTHORIZATION.fullmatch(header.strip())
    if found is None:
        raise unauthorized(
            "The Authorization header is not a SigV4 signature "
            "(AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...)"
        )
    return Signature(
        found["key"],
        found["date"],
        found["region"],
        found["service"],
        tuple(found["headers"].split(";")),
        found["signature"],
    )


def verify(request: Request, signature: Signature, secret: str, now_ms: int) -> None:
    amz_date = request.headers.get("x-amz-date", "")
    moment = _parse_amz_date(amz_date)
    skew_ms = abs(int(moment.timestamp() * 1000) - now_ms)
    if skew_ms > MAX_SKEW_MS:
        raise forbidden(
            f"Signature expired: the request was signed at {amz_date}, more than 15 minutes from "
            "the service clock"
        )
    if amz_date[:8] != signature.date:
        raise forbidden("The credential scope date does not match X-Amz-Date")
    if signature.service != SIGNING_NAME:
        raise forbidden(
            f"Credential should be scoped to the correct service: '{SIGNING_NAME}', "
            f"not '{signature.service[:32]}'"
        )
    declared_hash = request.headers.get("x-amz-content-sha256")
    if declared_hash is not None and declared_hash != hashlib.sha256(request.body).hexdigest():
        # botocore's canonical request trusts this header instead of hashing the body, so an
        # unchecked one (or UNSIGNED-PAYLOAD) would let a signed request carry any body.
        raise forbidden("X-Amz-Content-SHA256 does not match the SHA-256 of the request body")
    missing = [h for h in signature.signed_headers if h not in request.headers]
    if missing:
        raise forbidden(f"Signed headers are missing from the request: {', '.join(missing)}")
    expected = _expected_signature(request, signature, secret, amz_date)
    if not hmac.compare_digest(expected, signature.signature):
        raise forbidden(
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method."
        )


def _parse_amz_date(value: str) -> dt.datetime:
    try:
        return dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        raise forbidden("X-Amz-Date is missing or not in the form 20261127T120000Z") from None


def _expected_signature(request: Request, signature: Signature, secret: str, amz_date: str) -> str:
    headers = {name: request.headers[name] for name in signature.signed_headers}
    # The Host header is signed as a header; the URL only carries path and query, so an odd
    # Host value cannot break URL parsing.
    url = f"http://localhost{request.path}"
    if request.query:
        url += "?" + request.query
    aws_request = AWSRequest(method=request.method, url=url, headers=headers, data=request.body)
    aws_request.context["timestamp"] = amz_date
    signer = SigV4Auth(
        Credentials(signature.access_key_id, secret), signature.service, signature.region
    )
    try:
        canonical = signer.canonical_request(aws_request)
        return str(signer.signature(signer.string_to_sign(aws_request, canonical), aws_request))
    except ValueError:
        raise forbidden("The request cannot be put in SigV4 canonical form") from None
