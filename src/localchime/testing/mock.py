"""In-process localchime for boto3: a botocore `before-send` hook, as moto does it.

The hook hands each prepared request to `LocalChime.handle` and returns its response to botocore,
so a client's whole pipeline (serialization, signing, parsing, modelled exceptions) runs as it
would against a server, without a socket.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from botocore.awsrequest import AWSPreparedRequest, AWSResponse, HeadersDict

from localchime.app import LocalChime
from localchime.protocol.messages import Request

IN_PROCESS_ENDPOINT = "http://localchime.in-process"


class _RawBody:
    """The part of urllib3's response that botocore reads a body through."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_kwargs: Any) -> Iterator[bytes]:
        yield self._body

    def read(self, *_args: Any, **_kwargs: Any) -> bytes:
        body, self._body = self._body, b""
        return body


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    data = body.read()
    if hasattr(body, "seek"):
        body.seek(0)
    return data if isinstance(data, bytes) else data.encode()


def _text(value: str | bytes) -> str:
    """botocore keeps some header values as bytes once signed."""
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


class InProcessBackend:
    """Register on a client with `client.meta.events.register("before-send", backend)`."""

    def __init__(self, app: LocalChime) -> None:
        self.app = app

    def __call__(self, request: AWSPreparedRequest, **_kwargs: Any) -> AWSResponse:
        url = urlsplit(request.url)
        response = self.app.handle(
            Request(
                method=request.method,
                path=url.path or "/",
                query=url.query,
                # urllib3 would add Host on the wire, and SigV4 signs it.
                headers={"host": url.netloc}
                | {k.lower(): _text(v) for k, v in request.headers.items()},
                body=_body_bytes(request.body),
            )
        )
        headers = HeadersDict(response.headers)
        headers["content-length"] = str(len(response.body))
        return AWSResponse(request.url, response.status, headers, _RawBody(response.body))


def in_process_client(app: LocalChime, session: Any = None, **client_kwargs: Any) -> Any:
    """A boto3 chime-sdk-voice client served by `app` in this process."""
    import boto3

    session = session or boto3.session.Session()
    options: dict[str, Any] = {
        "region_name": "us-east-1",
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
        "endpoint_url": IN_PROCESS_ENDPOINT,
    }
    options.update(client_kwargs)
    client = session.client("chime-sdk-voice", **options)
    client.meta.events.register("before-send", InProcessBackend(app))
    return client
