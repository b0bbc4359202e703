"""`--auth verify`: SigV4 against the credentials registry, identity policies, the control
token, and AccessDeniedException where the model lists it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from localchime.app import LocalChime
from localchime.config import Settings
from tests.harness import STRICT_OUTPUT, Chime, InProcessChime, ServerChime, error_of

TOKEN = "staging-token-123"
ACCOUNT = "210987654321"
ADDRESS = {
    "AwsAccountId": ACCOUNT,
    "StreetNumber": "410",
    "StreetInfo": "Terry Ave N",
    "City": "Seattle",
    "State": "WA",
    "Country": "US",
    "PostalCode": "98109",
}
NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"})


@pytest.fixture(scope="module", params=["inprocess", "server"])
def secured(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Chime]:
    if request.param == "inprocess":
        app = LocalChime(
            Settings(
                ephemeral=True, auth="verify", control_token=TOKEN, strict_output=STRICT_OUTPUT
            )
        )
        yield InProcessChime(app)
        app.close()
        return
    env = {
        "LOCALCHIME_BOOTSTRAP_CREDENTIALS": "AKIABOOTSTRAP0000001:bootstrap-secret-value:111122223333"
    }
    server = ServerChime(
        "--data-dir",
        str(tmp_path_factory.mktemp("auth")),
        "--auth",
        "verify",
        "--control-token",
        TOKEN,
        env=env,
    ).start()
    yield server
    server.stop()


def control(chime: Chime, method: str, path: str, document: Any = None, token: str | None = TOKEN):  # type: ignore[no-untyped-def]
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    body = b"" if document is None else json.dumps(document).encode()
    return chime.raw(method, "/_localchime/" + path, body, headers)


def signed_client(chime: Chime, key: str, secret: str) -> Any:
    client = boto3.session.Session().client(
        "chime-sdk-voice",
        region_name="us-east-1",
        endpoint_url=chime.endpoint,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=NO_RETRIES,
    )
    chime._attach(client)
    return client


@pytest.fixture
def alice(secured: Chime) -> Iterator[tuple[Any, str]]:
    created = control(
        secured, "POST", "credentials", {"AccountId": ACCOUNT, "PrincipalName": "alice"}
    )
    assert created.status == 201, created.body
    body = created.json()
    assert body["PrincipalArn"] == f"arn:aws:iam::{ACCOUNT}:user/alice"
    yield signed_client(secured, body["AccessKeyId"], body["SecretAccessKey"]), body["AccessKeyId"]
    assert control(secured, "DELETE", f"credentials/{body['AccessKeyId']}").status == 200


def test_signed_calls_act_in_the_registered_account(secured: Chime, alice) -> None:  # type: ignore[no-untyped-def]
    client, _ = alice
    order = client.create_phone_number_order(
        ProductType="VoiceConnector", E164PhoneNumbers=["+12065550142"]
    )
    order_id = order["PhoneNumberOrder"]["PhoneNumberOrderId"]
    assert (
        client.get_phone_number_order(PhoneNumberOrderId=order_id)["PhoneNumberOrder"]["OrderType"]
        == "New"
    )
    assert client.validate_e911_address(**ADDRESS)["ValidationResult"] == 0


def test_wrong_secret_unknown_key_and_unsigned(secured: Chime, alice) -> None:  # type: ignore[no-untyped-def]
    _, key = alice
    wrong = signed_client(secured, key, "not-the-secret-at-all")
    with pytest.raises(ClientError) as excinfo:
        wrong.list_phone_number_orders()
    assert error_of(excinfo) == (
        403,
        "ForbiddenException",
        "The request signature we calculated does not match the signature you provided. "
        "Check your AWS Secret Access Key and signing method.",
    )
    stranger = signed_client(secured, "AKIAUNKNOWN000000000", "whatever-secret-value")
    with pytest.raises(ClientError) as excinfo:
        stranger.list_phone_number_orders()
    assert error_of(excinfo) == (
        403,
        "ForbiddenException",
        "The security token included in the request is invalid: access key AKIAUNKNOWN000000000 is not registered",
    )
    unsigned = secured.raw("GET", "/phone-number-orders")
    assert unsigned.status == 401
    assert unsigned.headers["x-amzn-errortype"] == "UnauthorizedClientException"
    assert (
        unsigned.json()["Message"]
        == "Missing Authentication Token: the request is not signed with SigV4"
    )


def test_clock_skew_beyond_15_minutes_is_refused(secured: Chime, alice) -> None:  # type: ignore[no-untyped-def]
    client, _ = alice
    assert control(secured, "POST", "clock", {"advance_seconds": 14 * 60}).status == 200
    client.list_phone_number_orders()
    assert control(secured, "POST", "clock", {"advance_seconds": 2 * 60}).status == 200
    with pytest.raises(ClientError) as excinfo:
        client.list_phone_number_orders()
    status, code, message = error_of(excinfo)
    assert (status, code) == (403, "ForbiddenException")
    assert message.startswith("Signature expired: the request was signed at ")
    assert control(secured, "POST", "reset").status == 200
    client.list_phone_number_orders()


def attach(chime: Chime, key: str, name: str, *statements: dict[str, Any]) -> None:
    document = {"Version": "2012-10-17", "Statement": list(statements)}
    response = control(
        chime,
        "POST",
        f"credentials/{key}/policies",
        {"PolicyName": name, "PolicyDocument": document},
    )
    assert response.status == 201, response.body


def test_policies_allow_deny_and_wildcards(secured: Chime, alice) -> None:  # type: ignore[no-untyped-def]
    client, key = alice
    attach(secured, key, "everything", {"Effect": "Allow", "Action": "chime:*", "Resource": "*"})
    client.list_phone_number_orders()
    attach(
        secured, key, "no-e911", {"Effect": "Deny", "Action": "chime:Validate*", "Resource": "*"}
    )
    with pytest.raises(client.exceptions.AccessDeniedException) as excinfo:
        client.validate_e911_address(**ADDRESS)
    assert error_of(excinfo) == (
        403,
        "AccessDeniedException",
        f"User: arn:aws:iam::{ACCOUNT}:user/alice is not authorized to perform: "
        f"chime:ValidateE911Address on resource: arn:aws:chime:us-east-1:{ACCOUNT}:*",
    )
    attach(
        secured,
        key,
        "no-orders",
        {"Effect": "Deny", "Action": ["chime:GetPhoneNumberOrder"], "Resource": "*"},
    )
    with pytest.raises(client.exceptions.ForbiddenException) as excinfo:
        client.get_phone_number_order(PhoneNumberOrderId="0a1b2c3d-0000-4000-8000-000000000000")
    assert error_of(excinfo)[2] == (
        f"User: arn:aws:iam::{ACCOUNT}:user/alice is not authorized to perform: chime:GetPhoneNumberOrder "
        f"on resource: arn:aws:chime:us-east-1:{ACCOUNT}:phone-number-order/0a1b2c3d-0000-4000-8000-000000000000"
    )
    listed = control(secured, "GET", f"credentials/{key}/policies").json()["Policies"]
    assert [p["PolicyName"] for p in listed] == ["everything", "no-e911", "no-orders"]
    assert control(secured, "DELETE", f"credentials/{key}/policies/no-e911").status == 200
    assert client.validate_e911_address(**ADDRESS)["ValidationResult"] == 0


def test_implicit_deny_and_resource_patterns(secured: Chime, alice) -> None:  # type: ignore[no-untyped-def]
    client, key = alice
    attach(
        secured,
        key,
        "seattle-only",
        {
            "Effect": "Allow",
            "Action": ["chime:GetPhoneNumber", "chime:CreatePhoneNumberOrder"],
            "Resource": [
                f"arn:aws:chime:us-east-1:{ACCOUNT}:phone-number/1206*",
                f"arn:aws:chime:us-east-1:{ACCOUNT}:*",
            ],
        },
    )
    client.create_phone_number_order(
        ProductType="VoiceConnector", E164PhoneNumbers=["+12065550143"]
    )
    client.get_phone_number(PhoneNumberId="+12065550143")
    with pytest.raises(client.exceptions.ForbiddenException):
        client.list_phone_number_orders()
    with pytest.raises(client.exceptions.AccessDeniedException):
        client.search_available_phone_numbers(AreaCode="206")


def test_control_token_and_secrets_never_shown(secured: Chime, alice) -> None:  # type: ignore[no-untyped-def]
    _, key = alice
    assert control(secured, "GET", "health", token=None).status == 200
    for path in ("clock", "credentials"):
        refused = control(secured, "GET", path, token=None)
        assert refused.status == 401
        assert refused.json()["error"] == "Unauthorized"
        assert control(secured, "GET", path, token="wrong").status == 401
    listed = control(secured, "GET", "credentials").json()["Credentials"]
    assert key in [c["AccessKeyId"] for c in listed]
    assert all("SecretAccessKey" not in c for c in listed)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"Statement": []}, "PolicyDocument needs a Statement: an object or a non-empty list"),
        (
            {"Statement": [{"Effect": "Maybe", "Action": "*", "Resource": "*"}]},
            "Statement[0].Effect must be Allow or Deny",
        ),
        (
            {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {}}},
            "Statement[0] uses Condition; localchime evaluates only Effect, Action and Resource",
        ),
        ("{not json", "PolicyDocument is not valid JSON: "),
    ],
)
def test_bad_policies_are_refused(secured: Chime, alice, document: Any, message: str) -> None:  # type: ignore[no-untyped-def]
    _, key = alice
    response = control(
        secured,
        "POST",
        f"credentials/{key}/policies",
        {"PolicyName": "bad", "PolicyDocument": document},
    )
    assert response.status == 400
    assert response.json()["message"].startswith(message)


def test_bootstrap_credentials_from_the_environment(secured: Chime) -> None:
    if not isinstance(secured, ServerChime):
        pytest.skip("the bootstrap key is given to the server process")
    client = signed_client(secured, "AKIABOOTSTRAP0000001", "bootstrap-secret-value")
    assert client.list_phone_number_orders()["PhoneNumberOrders"] == []


def _signed_raw(
    chime: Chime, key: str, secret: str, body: bytes, extra: dict[str, str]
) -> dict[str, str]:
    """Headers of a SigV4-signed POST /phone-number-orders, as botocore would sign it."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    host = urlsplit(chime.endpoint).netloc
    request = AWSRequest(
        method="POST",
        url=f"http://{host}/phone-number-orders",
        data=body,
        headers={"content-type": "application/json", **extra},
    )
    SigV4Auth(Credentials(key, secret), "chime", "us-east-1").add_auth(request)
    return {k.lower(): v for k, v in request.headers.items()} | {"host": host}


@pytest.mark.parametrize("declared", ["UNSIGNED-PAYLOAD", "sha-of-the-signed-body"])
def test_signed_payload_hash_must_match_the_body(secured: Chime, declared: str) -> None:
    created = control(
        secured, "POST", "credentials", {"AccountId": ACCOUNT, "PrincipalName": "bob"}
    ).json()
    signed_body = b'{"ProductType": "VoiceConnector", "E164PhoneNumbers": ["+12065550101"]}'
    swapped = b'{"ProductType": "VoiceConnector", "E164PhoneNumbers": ["+12065550199"]}'
    import hashlib

    value = hashlib.sha256(signed_body).hexdigest() if declared != "UNSIGNED-PAYLOAD" else declared
    headers = _signed_raw(
        secured,
        created["AccessKeyId"],
        created["SecretAccessKey"],
        signed_body,
        {"x-amz-content-sha256": value},
    )
    response = secured.raw("POST", "/phone-number-orders", swapped, headers)
    assert response.status == 403
    assert (
        response.json()["Message"]
        == "X-Amz-Content-SHA256 does not match the SHA-256 of the request body"
    )
    control(secured, "DELETE", f"credentials/{created['AccessKeyId']}")


def test_odd_signed_host_is_refused_not_a_failure(secured: Chime) -> None:
    if isinstance(secured, ServerChime):
        pytest.skip("uvicorn answers a malformed Host itself")
    created = control(
        secured, "POST", "credentials", {"AccountId": ACCOUNT, "PrincipalName": "carol"}
    ).json()
    body = b'{"ProductType": "VoiceConnector", "E164PhoneNumbers": ["+12065550101"]}'
    headers = _signed_raw(secured, created["AccessKeyId"], created["SecretAccessKey"], body, {}) | {
        "host": "[::1"
    }
    response = secured.raw("POST", "/phone-number-orders", body, headers)
    assert response.status == 403
    control(secured, "DELETE", f"credentials/{created['AccessKeyId']}")


def test_deny_holds_whatever_the_spelling_of_the_id(secured: Chime, alice) -> None:  # type: ignore[no-untyped-def]
    client, key = alice
    attach(secured, key, "all", {"Effect": "Allow", "Action": "chime:*", "Resource": "*"})
    attach(
        secured,
        key,
        "not-this-one",
        {
            "Effect": "Deny",
            "Action": "chime:*",
            "Resource": f"arn:aws:chime:*:{ACCOUNT}:phone-number/12065550100",
        },
    )
    for spelling in ("+12065550100", "12065550100", "%2B12065550100", " +12065550100 "):
        with pytest.raises(client.exceptions.ForbiddenException):
            client.get_phone_number(PhoneNumberId=spelling)
    order = "0A1B2C3D-0000-4000-8000-000000000000"
    attach(
        secured,
        key,
        "not-this-order",
        {
            "Effect": "Deny",
            "Action": "chime:*",
            "Resource": f"arn:aws:chime:*:{ACCOUNT}:phone-number-order/{order.lower()}",
        },
    )
    with pytest.raises(client.exceptions.ForbiddenException):
        client.get_phone_number_order(PhoneNumberOrderId=order)


def test_registering_a_key_twice_is_a_conflict(secured: Chime, alice) -> None:  # type: ignore[no-untyped-def]
    _, key = alice
    again = control(
        secured,
        "POST",
        "credentials",
        {"AccountId": "999999999999", "PrincipalName": "mallory", "AccessKeyId": key},
    )
    assert again.status == 409
    assert again.json() == {
        "error": "Conflict",
        "message": f"Access key {key} is registered already; delete it first",
    }
    listed = {
        c["AccessKeyId"]: c for c in control(secured, "GET", "credentials").json()["Credentials"]
    }
    assert listed[key]["AccountId"] == ACCOUNT


def test_pathological_wildcards_stay_fast() -> None:
    import time

    from localchime.auth.policy import wildcard_match

    began = time.perf_counter()
    assert not wildcard_match(
        "arn:aws:chime:*:*:*:*:*:x", "arn:aws:chime:us-east-1:1:vc/" + ":" * 2000
    )
    assert time.perf_counter() - began < 0.5
    assert wildcard_match("chime:Get*Order", "chime:GetPhoneNumberOrder")
    assert not wildcard_match("chime:Get?", "chime:Get")


def test_tag_operations_are_authorized_on_the_arn_they_name(secured: Chime, alice) -> None:  # type: ignore[no-untyped-def]
    """The tag operations name their resource in the body or the query; a policy scoped to
    one Voice Connector lets its holder tag that connector and no other."""
    client, key = alice
    attach(
        secured,
        key,
        "connectors",
        {"Effect": "Allow", "Action": "chime:CreateVoiceConnector", "Resource": "*"},
    )
    mine = client.create_voice_connector(Name="mine", RequireEncryption=True)["VoiceConnector"]
    other = client.create_voice_connector(Name="other", RequireEncryption=True)["VoiceConnector"]
    attach(
        secured,
        key,
        "tag-mine",
        {
            "Effect": "Allow",
            "Action": ["chime:TagResource", "chime:ListTagsForResource"],
            "Resource": mine["VoiceConnectorArn"],
        },
    )
    client.tag_resource(ResourceARN=mine["VoiceConnectorArn"], Tags=[{"Key": "a", "Value": "b"}])
    assert client.list_tags_for_resource(ResourceARN=mine["VoiceConnectorArn"])["Tags"] == [
        {"Key": "a", "Value": "b"}
    ]
    with pytest.raises(client.exceptions.ForbiddenException) as refused:
        client.tag_resource(
            ResourceARN=other["VoiceConnectorArn"], Tags=[{"Key": "a", "Value": "b"}]
        )
    assert other["VoiceConnectorArn"] in refused.value.response["Error"]["Message"]
    with pytest.raises(client.exceptions.ForbiddenException):
        client.list_tags_for_resource(ResourceARN=other["VoiceConnectorArn"])
