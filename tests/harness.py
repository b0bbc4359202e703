"""One interface to a localchime under test, whether in-process or a real `localchime serve`.

Tests talk to it only as clients do: boto3, raw HTTP, and the /_localchime control API.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
from botocore.config import Config

from localchime.app import LocalChime
from localchime.protocol.messages import Request
from localchime.testing.mock import IN_PROCESS_ENDPOINT, InProcessBackend

DEFAULT_ACCOUNT = "123456789012"
STRICT_OUTPUT = os.environ.setdefault("LOCALCHIME_STRICT_OUTPUT", "true").lower() in (
    "1",
    "true",
    "yes",
    "on",
)
"""An output key the model lacks fails the test; servers the tests start inherit the variable.
Only the run on an older botocore turns it off: its model lacks members we write."""
NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"})


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Chime:
    endpoint: str

    def client(
        self, account: str = DEFAULT_ACCOUNT, region: str = "us-east-1", *, validate: bool = True
    ) -> Any:
        """A boto3 client; `validate=False` skips botocore's own checks, as other SDKs do."""
        client = boto3.session.Session().client(
            "chime-sdk-voice",
            region_name=region,
            endpoint_url=self.endpoint,
            aws_access_key_id=account,
            aws_secret_access_key="secret",
            config=NO_RETRIES.merge(Config(parameter_validation=validate)),
        )
        self._attach(client)
        return client

    def _attach(self, client: Any) -> None:
        """In-process backends hook the client; servers need nothing."""

    def raw(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> RawResponse:
        raise NotImplementedError

    def control(self, method: str, path: str, document: Any = None) -> RawResponse:
        body = b"" if document is None else json.dumps(document).encode()
        return self.raw(method, "/_localchime/" + path, body, {"content-type": "application/json"})

    def advance(self, seconds: float) -> dict[str, Any]:
        response = self.control("POST", "clock", {"advance_seconds": seconds})
        assert response.status == 200, response.body
        return response.json()

    def reset(self) -> None:
        assert self.control("POST", "reset").status == 200


class InProcessChime(Chime):
    endpoint = IN_PROCESS_ENDPOINT

    def __init__(self, app: LocalChime) -> None:
        self.app = app
        self.backend = InProcessBackend(app)

    def _attach(self, client: Any) -> None:
        client.meta.events.register("before-send", self.backend)

    def raw(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> RawResponse:
        parts = urlsplit(path)
        lowered = {k.lower(): v for k, v in (headers or {}).items()}
        response = self.app.handle(Request(method, parts.path, parts.query, lowered, body))
        return RawResponse(
            response.status, {k.lower(): v for k, v in response.headers}, response.body
        )


class ServerChime(Chime):
    """A real `localchime serve` process on a free port."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.args = args
        self.env = {**os.environ, **(env or {})}
        self.process: subprocess.Popen[str] | None = None
        self.endpoint = ""

    def start(self, timeout: float = 20) -> ServerChime:
        command = [sys.executable, "-m", "localchime", "serve", "--port", "0", *self.args]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=self.env
        )
        deadline = time.monotonic() + timeout
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith("localchime ready on ") or time.monotonic() > deadline:
            self.process.kill()
            raise RuntimeError(f"server did not start: {line!r} {self.process.stderr.read()!r}")  # type: ignore[union-attr]
        self.endpoint = line.split()[-1]
        return self

    def stop(self, sig: int = signal.SIGTERM) -> tuple[int, str]:
        assert self.process is not None
        self.process.send_signal(sig)
        try:
            _, stderr = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        return self.process.returncode, stderr

    def raw(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> RawResponse:
        url = urlsplit(self.endpoint)
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return RawResponse(
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                response.read(),
            )
        finally:
            connection.close()


def data_dir(tmp: Path) -> str:
    path = tmp / "data"
    path.mkdir(parents=True, exist_ok=True)
    return str(path)


def error_of(excinfo: Any) -> tuple[int, str, str]:
    """(HTTP status, error code, message) of a boto3 ClientError caught by pytest.raises."""
    response = excinfo.value.response
    return (
        response["ResponseMetadata"]["HTTPStatusCode"],
        response["Error"]["Code"],
        response["Error"]["Message"],
    )


def failure_of(call: Any) -> tuple[str, str]:
    """(error code, message) of the boto3 ClientError that `call()` raises."""
    from botocore.exceptions import ClientError

    try:
        call()
    except ClientError as error:
        return error.response["Error"]["Code"], error.response["Error"]["Message"]
    raise AssertionError("the call succeeded")


def control_error_of(response: RawResponse) -> tuple[int, str, str]:
    """(HTTP status, error, message) of a control API answer."""
    body = response.json()
    return response.status, body["error"], body["message"]
