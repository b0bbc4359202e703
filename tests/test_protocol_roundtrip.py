"""The protocol layer against botocore itself, for every operation in the model.

- Request side: botocore's RestJSONSerializer writes random valid inputs; our router must pick
  the same operation and our parser must recover the input exactly, and the validator accept it.
- Response side: our serializer writes random valid outputs; botocore's RestJSONParser must
  recover them exactly.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from botocore.awsrequest import HeadersDict, prepare_request_dict
from botocore.parsers import create_parser
from botocore.serialize import create_serializer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from localchime.protocol.parser import parse_request
from localchime.protocol.router import default_router
from localchime.protocol.serializer import UnknownOutputMember, serialize_output
from localchime.protocol.validator import validate
from localchime.spec.model import operation_model, operation_names
from tests.shape_strategies import for_shape

OPERATIONS = sorted(operation_names())
SERIALIZER = create_serializer("rest-json", include_validation=False)
PARSER = create_parser("rest-json")
EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def test_model_has_96_operations() -> None:
    assert len(OPERATIONS) == 96


def _drop_empty(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_empty(v) for k, v in value.items()}
    return value


def _wire_request(
    operation: Any, params: dict[str, Any]
) -> tuple[str, str, str, dict[str, str], bytes]:
    request = SERIALIZER.serialize_to_request(params, operation)
    prepare_request_dict(request, endpoint_url="https://voice-chime.us-east-1.amazonaws.com")
    url = urlsplit(request["url"])
    body = request["body"]
    if isinstance(body, str):
        body = body.encode()
    headers = {k.lower(): str(v) for k, v in request["headers"].items()}
    return request["method"], url.path, url.query, headers, body or b""


@pytest.mark.parametrize("name", OPERATIONS)
def test_request_roundtrip(name: str) -> None:
    operation = operation_model(name)
    shape = operation.input_shape
    strategy = for_shape(shape) if shape is not None else st.just({})

    @EXAMPLES
    @given(strategy)
    def roundtrip(params: dict[str, Any]) -> None:
        method, path, query, headers, body = _wire_request(operation, params)
        match = default_router().match(method, path, query)
        assert match.operation.name == name
        parsed = parse_request(match, headers, body)
        assert parsed == params
        validate(shape, parsed)

    roundtrip()


@pytest.mark.parametrize("name", OPERATIONS)
def test_response_roundtrip(name: str) -> None:
    operation = operation_model(name)
    shape = operation.output_shape
    if shape is None:
        response = serialize_output(operation, None, "req-1")
        assert response.status == int(operation.http.get("responseCode", 200))
        assert response.body == b""
        return

    @EXAMPLES
    @given(for_shape(shape))
    def roundtrip(output: dict[str, Any]) -> None:
        response = serialize_output(operation, output, "req-1")
        parsed = PARSER.parse(
            {
                "status_code": response.status,
                "headers": HeadersDict(response.headers),
                "body": response.body,
            },
            shape,
        )
        metadata = parsed.pop("ResponseMetadata")
        assert metadata["RequestId"] == "req-1"
        assert parsed == output

    roundtrip()


@pytest.mark.parametrize(
    ("name", "status"),
    [("CreatePhoneNumberOrder", 201), ("GetPhoneNumberOrder", 200), ("DeletePhoneNumber", 204)],
)
def test_success_status_comes_from_the_model(name: str, status: int) -> None:
    assert serialize_output(operation_model(name), {}, "r").status == status


def test_strict_serializer_refuses_a_key_the_model_lacks() -> None:
    operation = operation_model("GetPhoneNumberOrder")
    misspelled = {"PhoneNumberOrder": {"PhoneNumberOrderId": "x", "Stauts": "Processing"}}
    with pytest.raises(UnknownOutputMember, match="PhoneNumberOrder has no member 'Stauts'"):
        serialize_output(operation, misspelled, "req-1", strict=True)


def test_lenient_serializer_leaves_out_a_key_the_model_lacks() -> None:
    operation = operation_model("GetPhoneNumberOrder")
    misspelled = {"PhoneNumberOrder": {"PhoneNumberOrderId": "x", "Stauts": "Processing"}}
    response = serialize_output(operation, misspelled, "req-1")
    assert json.loads(response.body) == {"PhoneNumberOrder": {"PhoneNumberOrderId": "x"}}
