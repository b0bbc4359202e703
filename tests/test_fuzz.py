"""Hostile input: random bytes, wrong content types, invalid members for every operation, path
traversal, huge heads and unicode everywhere. Every case gets a 4xx (or 501 for a valid request
to an unimplemented operation), never a 5xx failure, and rejected requests change nothing.

The counts of cases tried are in docs/reliability.md; `FUZZ_EXAMPLES` scales them.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from botocore.awsrequest import prepare_request_dict
from botocore.serialize import create_serializer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from localchime.app import LocalChime
from localchime.config import Settings
from localchime.protocol.messages import Request
from localchime.registry import load
from localchime.spec.model import operation_model, operation_names
from tests.harness import STRICT_OUTPUT, InProcessChime, ServerChime
from tests.shape_strategies import for_shape

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
OPERATIONS = sorted(operation_names())
SERIALIZER = create_serializer("rest-json", include_validation=False)
AUTH = {
    "authorization": "AWS4-HMAC-SHA256 Credential=123456789012/20261127/us-east-1/chime/aws4_request, "
    "SignedHeaders=host, Signature=0"
}
HANDLERS = load().operations
TRIED: Counter[str] = Counter()
ABSENT_IDS = {
    "GuidString": "0a1b2c3d-0000-4000-8000-000000000000",
}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalChime]:
    instance = LocalChime(
        Settings(data_dir=tmp_path_factory.mktemp("fuzz"), strict_output=STRICT_OUTPUT)
    )
    chime = InProcessChime(instance)
    client = chime.client()
    client.create_phone_number_order(
        ProductType="VoiceConnector", E164PhoneNumbers=["+12065550100"]
    )
    chime.advance(5)
    yield instance
    instance.close()
    print(f"\nfuzz cases tried: {dict(TRIED)} total {sum(TRIED.values())}")


def fingerprint(app: LocalChime) -> str:
    digest = hashlib.sha256()
    with app.store.read() as connection:
        for table in app.registry.tables:
            for row in connection.execute(select(table).order_by(*table.primary_key.columns)):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def path_for(name: str, fill: str | None = None) -> tuple[str, str, str]:
    """(method, path, query) of an operation with absent ids in its labels."""
    http = operation_model(name).http
    path, _, query = http["requestUri"].partition("?")
    parts = []
    for segment in path.split("/"):
        if segment.startswith("{"):
            parts.append(quote(fill if fill is not None else "+12065559999", safe=""))
        else:
            parts.append(segment)
    return http["method"], "/".join(parts), query


def allowed(name: str, status: int) -> bool:
    if name not in HANDLERS and status == 501:
        return True
    return status < 500


def send(
    app: LocalChime, method: str, path: str, query: str, body: bytes, headers: dict[str, str]
) -> int:
    return app.handle(Request(method, path, query, {**AUTH, **headers}, body)).status


@pytest.mark.parametrize("name", OPERATIONS)
def test_random_bodies_and_content_types(app: LocalChime, name: str) -> None:
    method, path, query = path_for(name)
    before = fingerprint(app)

    @FUZZ
    @given(
        st.binary(max_size=2048),
        st.sampled_from(
            ["application/json", "text/plain", "application/xml", "", "multipart/form-data"]
        ),
    )
    def case(body: bytes, content_type: str) -> None:
        TRIED["random body"] += 1
        status = send(app, method, path, query, body, {"content-type": content_type})
        assert allowed(name, status), (name, status, body[:50])

    case()
    assert fingerprint(app) == before


def _mutations(value: dict[str, Any], shape: Any) -> list[tuple[str, dict[str, Any]]]:
    """Invalid variants of a valid JSON body: wrong types, missing required, bad enums."""
    variants = []
    for member_name, member in shape.members.items():
        if member.serialization.get("location"):
            continue
        wrong = {
            "string": 12345,
            "integer": "twelve",
            "boolean": "yes",
            "list": "not-a-list",
            "structure": ["not", "an", "object"],
            "map": 7,
            "float": "x",
            "long": "x",
        }
        if member.type_name in wrong:
            variants.append(
                (f"{member_name}: wrong type", value | {member_name: wrong[member.type_name]})
            )
        if member.type_name == "string" and "enum" in member.metadata:
            variants.append(
                (f"{member_name}: not in enum", value | {member_name: "NotAnEnumValue"})
            )
    for required in shape.required_members:
        if not shape.members[required].serialization.get("location") and required in value:
            variants.append(
                (f"{required}: missing", {k: v for k, v in value.items() if k != required})
            )
    return variants


@pytest.mark.parametrize(
    "name", [n for n in OPERATIONS if operation_model(n).input_shape is not None]
)
def test_invalid_members_of_every_operation(app: LocalChime, name: str) -> None:
    operation = operation_model(name)
    shape = operation.input_shape
    before = fingerprint(app)

    @FUZZ
    @given(for_shape(shape), st.randoms(use_true_random=False))
    def case(params: dict[str, Any], rng: random.Random) -> None:
        request = SERIALIZER.serialize_to_request(params, operation)
        prepare_request_dict(request, endpoint_url="https://voice-chime.us-east-1.amazonaws.com")
        url = urlsplit(request["url"])
        body = (
            request["body"]
            if isinstance(request["body"], bytes)
            else (request["body"] or "").encode()
        )
        document = json.loads(body) if body else {}
        variants = _mutations(document, shape)
        if not variants:
            # Nothing in the body to break: break a query integer or a patterned label instead.
            broken_query = _broken_query(shape, url.query)
            broken_path = _broken_label(shape, params, operation)
            if broken_query is None and broken_path is None:
                return
            path = broken_path or url.path
            query = broken_query if broken_query is not None else url.query
            TRIED["invalid label or query"] += 1
            status = send(app, request["method"], path, query, b"", {})
            assert 400 <= status < 500, (name, path, query, status)
            return
        label, broken = rng.choice(variants)
        TRIED["invalid member"] += 1
        status = send(app, request["method"], url.path, url.query, json.dumps(broken).encode(), {})
        assert 400 <= status < 500, (name, label, status)

    case()
    assert fingerprint(app) == before


def _broken_query(shape: Any, query: str) -> str | None:
    for member in shape.members.values():
        if member.serialization.get("location") == "querystring" and member.type_name == "integer":
            wire = member.serialization["name"]
            kept = "&".join(p for p in query.split("&") if p and not p.startswith(wire + "="))
            return (kept + "&" if kept else "") + f"{wire}=notanumber"
    return None


def _broken_label(shape: Any, params: dict[str, Any], operation: Any) -> str | None:
    for member_name, member in shape.members.items():
        if member.serialization.get("location") == "uri" and "pattern" in member.metadata:
            broken = dict(params, **{member_name: " "})
            request = SERIALIZER.serialize_to_request(broken, operation)
            prepare_request_dict(
                request, endpoint_url="https://voice-chime.us-east-1.amazonaws.com"
            )
            return urlsplit(request["url"]).path
    return None


TRAVERSALS = [
    "../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "%2e%2e%2f%2e%2e%2f",
    "/",
    "\x00",
    "..",
    ".",
]


@pytest.mark.parametrize(
    "name", [n for n in OPERATIONS if "{" in operation_model(n).http["requestUri"]]
)
def test_path_traversal_in_ids(app: LocalChime, name: str) -> None:
    before = fingerprint(app)
    for attempt in TRAVERSALS:
        method, path, query = path_for(name, attempt)
        for raw in (path, path.replace(quote(attempt, safe=""), attempt)):
            TRIED["path traversal"] += 1
            status = send(app, method, raw, query, b"{}", {})
            assert allowed(name, status) and not 200 <= status < 300, (name, raw, status)
    assert fingerprint(app) == before


@FUZZ
@given(st.sampled_from(OPERATIONS), st.data())
def test_unicode_in_every_string_field(app: LocalChime, name: str, data: st.DataObject) -> None:
    operation = operation_model(name)
    params = data.draw(for_shape(operation.input_shape)) if operation.input_shape else {}
    request = SERIALIZER.serialize_to_request(params, operation)
    prepare_request_dict(request, endpoint_url="https://voice-chime.us-east-1.amazonaws.com")
    url = urlsplit(request["url"])
    body = (
        request["body"] if isinstance(request["body"], bytes) else (request["body"] or "").encode()
    )
    TRIED["unicode inputs"] += 1
    status = send(app, request["method"], url.path, url.query, body, {})
    assert allowed(name, status), (name, status)


def test_huge_heads_in_process(app: LocalChime) -> None:
    before = fingerprint(app)
    for headers, path in (
        ({"x-padding": "a" * 70_000}, "/phone-number-orders"),
        ({f"x-h{i}": "v" for i in range(150)}, "/phone-number-orders"),
        ({}, "/phone-number-orders/" + "a" * 20_000),
    ):
        TRIED["huge head"] += 1
        response = app.handle(Request("GET", path, "", {**AUTH, **headers}, b""))
        assert response.status == 400
        assert response.header("x-amzn-ErrorType") == "BadRequestException"
        assert "the limit is" in json.loads(response.body)["Message"]
    assert fingerprint(app) == before


def test_server_stays_up_under_hostile_requests(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import http.client

    server = ServerChime("--data-dir", str(tmp_path)).start()
    url = urlsplit(server.endpoint)
    try:
        cases = [
            ("GET", "/phone-number-orders", {"x-big": "a" * 200_000}, b""),
            (
                "POST",
                "/phone-number-orders",
                {"content-type": "application/json"},
                os.urandom(4096),
            ),
            ("GET", "/../../etc/passwd", {}, b""),
            ("POST", "/phone-number-orders", {"content-length": "999999999"}, b"{}"),
            ("GET", "/phone-number-orders?" + "a=b&" * 10_000, {}, b""),
        ]
        for method, path, headers, body in cases:
            TRIED["real server"] += 1
            connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
            try:
                connection.request(method, path, body=body, headers=headers)
                status = connection.getresponse().status
            except (ConnectionError, http.client.HTTPException):
                status = 400  # the HTTP layer hung up on a malformed request: refused, not failed
            finally:
                connection.close()
            assert 400 <= status < 500, (method, path[:40], status)
            assert server.control("GET", "health").status == 200
    finally:
        assert server.stop()[0] == 0


@pytest.mark.parametrize("partial", [b'{"Pro', b""])
def test_a_stalled_body_is_answered_and_dropped(tmp_path, partial: bytes) -> None:  # type: ignore[no-untyped-def]
    import socket
    import time

    server = ServerChime(
        "--data-dir", str(tmp_path), env={"LOCALCHIME_BODY_TIMEOUT_SECONDS": "1"}
    ).start()
    url = urlsplit(server.endpoint)
    try:
        with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
            sock.sendall(
                b'POST /phone-number-orders HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"Pro'
            )
            began = time.monotonic()
            answer = sock.recv(4096).decode()
            waited = time.monotonic() - began
            head, _, body = answer.partition("\r\n\r\n")
            length = int(head.lower().split("content-length: ")[1].split("\r\n")[0])
            while len(body.encode()) < length:
                chunk = sock.recv(4096).decode()
                if not chunk:
                    break
                body += chunk
            answer = head + "\r\n\r\n" + body
        TRIED["stalled body"] += 1
        assert answer.startswith("HTTP/1.1 400")
        assert "The request body did not arrive within 1 s" in answer
        assert 0.8 < waited < 5
        assert server.control("GET", "health").status == 200
    finally:
        assert server.stop()[0] == 0
