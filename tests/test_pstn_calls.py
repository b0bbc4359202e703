"""The PSTN audio call simulator: calls driven through the control API against handlers
registered by import path (tests/pstn_handlers.py) or behind a real HTTP server, and the two
call operations through boto3, on every backend."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from localchime.app import LocalChime
from localchime.config import Settings
from tests import pstn_handlers
from tests.harness import Chime, InProcessChime, ServerChime, failure_of
from tests.pstn_wiring import wire_dial_in

DIAL_IN = "+18445550123"
CALLER = "+12065550142"
CALLEE = "+12065550177"
REGION = "us-east-1"
ACCOUNT = "123456789012"


def arn(name: str) -> str:
    return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"


def register(chime: Chime, name: str, **where: str) -> None:
    where = where or {"Handler": f"tests.pstn_handlers:{name}"}
    response = chime.control("POST", "lambda-functions", {"FunctionArn": arn(name), **where})
    assert response.status == 201, response.body


def wire(
    chime: Chime, client: Any, handler: str, *, register_it: bool = True, **where: str
) -> dict[str, Any]:
    """A SIP media application for the handler, and a SIP rule from DIAL_IN to it."""
    if register_it:
        register(chime, handler, **where)
    return wire_dial_in(chime, client, arn(handler), DIAL_IN, handler)


def dial(chime: Chime, **extra: Any) -> dict[str, Any]:
    response = chime.control("POST", "calls", {"From": CALLER, "To": DIAL_IN, **extra})
    assert response.status == 201, response.body
    return dict(response.json())


def dial_to_prompt(chime: Chime) -> str:
    """Dials the pin handler and moves past its 0.5 s greeting: keys pressed while the
    greeting plays are not collected (only a digits action hears them)."""
    transaction_id = str(dial(chime)["TransactionId"])
    chime.advance(1)
    return transaction_id


def event(chime: Chime, transaction_id: str, name: str, **extra: Any) -> dict[str, Any]:
    response = chime.control("POST", f"calls/{transaction_id}/events", {"Event": name, **extra})
    assert response.status == 200, response.body
    return dict(response.json())


def show(chime: Chime, transaction_id: str) -> dict[str, Any]:
    response = chime.control("GET", f"calls/{transaction_id}")
    assert response.status == 200, response.body
    return dict(response.json())


def finish(chime: Chime, transaction_id: str) -> dict[str, Any]:
    """Lets the last words play out (and the Hangup after them), then shows the call."""
    chime.advance(5)
    return show(chime, transaction_id)


def kinds(call: dict[str, Any]) -> list[str]:
    return [i["InvocationEventType"] for i in call["Invocations"]]


def heard(call: dict[str, Any]) -> list[str]:
    return [m.get("Text") or m.get("Key") or m.get("Digits") for m in call["Media"]]


# The event envelope and a whole IVR call


def test_inbound_call_envelope_is_the_real_one(chime: Chime, client: Any) -> None:
    wired = wire(chime, client, "pin")
    placed = dial(chime)
    first = placed["Call"]["Invocations"][0]["Event"]
    assert set(first) == {"SchemaVersion", "Sequence", "InvocationEventType", "CallDetails"}
    assert (first["SchemaVersion"], first["Sequence"], first["InvocationEventType"]) == (
        "1.0",
        1,
        "NEW_INBOUND_CALL",
    )
    details = first["CallDetails"]
    assert details == {
        "TransactionId": placed["TransactionId"],
        "AwsAccountId": ACCOUNT,
        "AwsRegion": REGION,
        "SipRuleId": wired["rule"]["SipRuleId"],
        "SipMediaApplicationId": wired["application"]["SipMediaApplicationId"],
        "Participants": [
            {
                "CallId": placed["CallId"],
                "ParticipantTag": "LEG-A",
                "To": DIAL_IN,
                "From": CALLER,
                "Direction": "Inbound",
                "StartTimeInMilliseconds": details["Participants"][0]["StartTimeInMilliseconds"],
            }
        ],
    }
    assert details["Participants"][0]["StartTimeInMilliseconds"].isdigit()
    assert placed["Call"]["Status"] == "InProgress"
    assert placed["Call"]["CurrentAction"]["Type"] == "Speak"
    assert placed["Call"]["QueuedActions"] == ["SpeakAndGetDigits"]


def test_right_pin_is_greeted_goodbye_and_hung_up(chime: Chime, client: Any) -> None:
    wire(chime, client, "pin")
    transaction_id = dial_to_prompt(chime)
    event(chime, transaction_id, "digits", Digits="1234")
    call = finish(chime, transaction_id)
    assert kinds(call) == ["NEW_INBOUND_CALL", "ACTION_SUCCESSFUL", "HANGUP"]
    assert [i["Sequence"] for i in call["Invocations"]] == [1, 2, 3]
    success = call["Invocations"][1]["Event"]
    assert success["ActionData"]["Type"] == "SpeakAndGetDigits"
    assert success["ActionData"]["ReceivedDigits"] == "1234"
    assert success["CallDetails"]["TransactionAttributes"] == {"step": "pin"}
    assert success["CallDetails"]["Participants"][0]["Status"] == "Connected"
    hangup = call["Invocations"][2]["Event"]
    assert hangup["ActionData"]["Parameters"]["SipResponseCode"] == 0
    assert hangup["ActionData"]["Parameters"]["ParticipantTag"] == "LEG-A"
    assert hangup["CallDetails"]["Participants"][0]["Status"] == "Disconnected"
    assert heard(call) == ["Welcome", "Enter your PIN", "Goodbye"]
    assert call["Status"] == "Completed"
    assert call["Participants"][0]["SipResponseCode"] == 0


def test_wrong_pin_is_told_so(chime: Chime, client: Any) -> None:
    wire(chime, client, "pin")
    transaction_id = dial_to_prompt(chime)
    call = event(chime, transaction_id, "digits", Digits="9999")
    assert call["Invocations"][1]["Event"]["ActionData"]["ReceivedDigits"] == "9999"
    assert heard(call)[-1] == "Wrong PIN"
    assert call["Status"] == "InProgress"  # the words play before the Hangup
    assert finish(chime, transaction_id)["Status"] == "Completed"


def test_terminator_ends_digits_early_and_too_few_digits_repeat(chime: Chime, client: Any) -> None:
    wire(chime, client, "pin")
    transaction_id = dial_to_prompt(chime)
    call = event(chime, transaction_id, "digits", Digits="12#")
    assert kinds(call) == ["NEW_INBOUND_CALL"]
    assert heard(call) == ["Welcome", "Enter your PIN", "Try again", "Enter your PIN"]
    call = event(chime, transaction_id, "digits", Digits="1234")
    assert heard(call)[-1] == "Goodbye"


def test_silence_repeats_the_prompt_then_fails_after_the_last_attempt(
    chime: Chime, client: Any
) -> None:
    wire(chime, client, "pin")
    transaction_id = dial(chime)["TransactionId"]
    # Welcome 0.5 s, prompt 0.84 s, 5 s to answer: the first attempt ends at 6.34 s.
    chime.advance(6)
    assert heard(show(chime, transaction_id)) == ["Welcome", "Enter your PIN"]
    chime.advance(1)
    assert heard(show(chime, transaction_id))[-2:] == ["Try again", "Enter your PIN"]
    chime.advance(10)
    call = show(chime, transaction_id)
    assert kinds(call) == ["NEW_INBOUND_CALL", "ACTION_FAILED", "HANGUP"]
    failed = call["Invocations"][1]["Event"]["ActionData"]
    assert failed["Type"] == "SpeakAndGetDigits"
    assert failed["ErrorType"] == "InvalidDigitsReceived"
    assert heard(call)[-1] == "No PIN"


def test_caller_hanging_up_midway_ends_the_call(chime: Chime, client: Any) -> None:
    wire(chime, client, "pin")
    transaction_id = dial_to_prompt(chime)
    event(chime, transaction_id, "digits", Digits="12")
    call = event(chime, transaction_id, "hangup")
    assert kinds(call) == ["NEW_INBOUND_CALL", "HANGUP"]
    assert call["Invocations"][1]["Event"]["ActionData"]["Parameters"]["SipResponseCode"] == 0
    assert call["Status"] == "Completed"
    again = chime.control(
        "POST", f"calls/{transaction_id}/events", {"Event": "digits", "Digits": "3"}
    )
    assert again.status == 409
    assert "ended" in again.json()["message"]


def test_transaction_attributes_are_kept_and_cleared(chime: Chime, client: Any) -> None:
    wire(chime, client, "counter")
    transaction_id = dial(chime)["TransactionId"]
    for _ in range(3):
        chime.advance(1)
    call = show(chime, transaction_id)
    seen = [i["Event"]["CallDetails"].get("TransactionAttributes") for i in call["Invocations"]]
    assert seen == [None, {"seen": "1"}, {"seen": "2"}, None]


def test_unanswered_inbound_call_times_out_after_30_seconds(chime: Chime, client: Any) -> None:
    wire(chime, client, "counter")  # only pauses: nothing answers the call
    transaction_id = dial(chime)["TransactionId"]
    chime.advance(29)
    assert show(chime, transaction_id)["Status"] == "InProgress"
    chime.advance(2)
    call = show(chime, transaction_id)
    assert call["Status"] == "Completed"
    assert kinds(call)[-1] == "HANGUP"
    assert call["Invocations"][-1]["Event"]["ActionData"]["Parameters"]["SipResponseCode"] == 480


def test_the_handler_is_invoked_at_most_1000_times(chime: Chime, client: Any) -> None:
    wire(chime, client, "forever")
    transaction_id = dial(chime)["TransactionId"]
    chime.advance(5)
    call = show(chime, transaction_id)
    assert len(call["Invocations"]) == 1000
    assert call["Invocations"][-1]["Sequence"] == 1000
    assert call["Status"] == "Completed"
    assert "1,000" in call["EndReason"]


# Outbound calls through the API


def outbound(chime: Chime, client: Any, handler: str = "announce") -> tuple[dict[str, Any], str]:
    wired = wire(chime, client, handler)
    application_id = wired["application"]["SipMediaApplicationId"]
    response = client.create_sip_media_application_call(
        FromPhoneNumber=DIAL_IN,
        ToPhoneNumber=CALLEE,
        SipMediaApplicationId=application_id,
        ArgumentsMap={"Message": "Your table is ready"},
        SipHeaders={"X-Table": "12"},
    )
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 201
    return wired, response["SipMediaApplicationCall"]["TransactionId"]


def test_outbound_call_sends_arguments_then_rings_then_plays_on_answer(
    chime: Chime, client: Any
) -> None:
    _, transaction_id = outbound(chime, client)
    call = show(chime, transaction_id)
    assert kinds(call) == ["NEW_OUTBOUND_CALL", "RINGING"]
    created = call["Invocations"][0]["Event"]
    assert created["ActionData"] == {
        "Type": "CallCreateRequest",
        "Parameters": {"Arguments": {"Message": "Your table is ready"}},
    }
    assert "SipRuleId" not in created["CallDetails"]
    leg = created["CallDetails"]["Participants"][0]
    assert (leg["Direction"], leg["From"], leg["To"], leg["SipHeaders"]) == (
        "Outbound",
        DIAL_IN,
        CALLEE,
        {"X-Table": "12"},
    )
    call = event(chime, transaction_id, "answer")
    assert kinds(call) == ["NEW_OUTBOUND_CALL", "RINGING", "CALL_ANSWERED"]
    chime.advance(5)
    call = show(chime, transaction_id)
    assert heard(call) == ["Your table is ready"]
    assert kinds(call)[-1] == "HANGUP"
    assert call["Status"] == "Completed"


@pytest.mark.parametrize(("refusal", "code"), [("busy", 486), ("no-answer", 480)])
def test_outbound_call_refused(chime: Chime, client: Any, refusal: str, code: int) -> None:
    _, transaction_id = outbound(chime, client)
    call = event(chime, transaction_id, refusal)
    assert kinds(call)[-1] == "HANGUP"
    assert call["Invocations"][-1]["Event"]["ActionData"]["Parameters"]["SipResponseCode"] == code
    assert call["Status"] == "Completed"


def test_update_interrupts_playback_and_sends_the_arguments(chime: Chime, client: Any) -> None:
    wired = wire(chime, client, "interruptible")
    transaction_id = dial(chime)["TransactionId"]
    response = client.update_sip_media_application_call(
        SipMediaApplicationId=wired["application"]["SipMediaApplicationId"],
        TransactionId=transaction_id,
        Arguments={"Agent": "Kim"},
    )
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert response["SipMediaApplicationCall"] == {"TransactionId": transaction_id}
    call = show(chime, transaction_id)
    assert kinds(call) == ["NEW_INBOUND_CALL", "ACTION_INTERRUPTED", "CALL_UPDATE_REQUESTED"]
    update = call["Invocations"][2]["Event"]["ActionData"]
    assert update == {"Type": "CallUpdateRequest", "Parameters": {"Arguments": {"Agent": "Kim"}}}
    assert heard(call)[-1] == "Agent Kim is free"
    assert call["Status"] == "InProgress"  # the interruption's Hangup answer ran nothing


def test_call_operations_refuse_what_aws_refuses(chime: Chime, client: Any) -> None:
    wired = wire(chime, client, "announce")
    application_id = wired["application"]["SipMediaApplicationId"]

    def create(**overrides: Any) -> Any:
        arguments = {
            "FromPhoneNumber": DIAL_IN,
            "ToPhoneNumber": CALLEE,
            "SipMediaApplicationId": application_id,
            **overrides,
        }
        return failure_of(lambda: client.create_sip_media_application_call(**arguments))

    code, message = create(SipMediaApplicationId="00000000-0000-0000-0000-000000000000")
    assert code == "NotFoundException" and "does not exist" in message
    code, message = create(FromPhoneNumber="+12065550100")
    assert code == "BadRequestException" and "inventory" in message
    code, message = create(SipHeaders={"X-AMZN-Trace": "1"})
    assert code == "BadRequestException" and "reserved" in message
    code, message = create(SipHeaders={"Subject": "hi"})
    assert code == "BadRequestException" and "x-" in message
    code, message = create(SipHeaders={"x-long": "a" * 2049})
    assert code == "BadRequestException" and "2048" in message
    other = chime.client("999999999999")
    code, _ = failure_of(
        lambda: other.create_sip_media_application_call(
            FromPhoneNumber=DIAL_IN, ToPhoneNumber=CALLEE, SipMediaApplicationId=application_id
        )
    )
    assert code == "NotFoundException"
    code, message = failure_of(
        lambda: client.update_sip_media_application_call(
            SipMediaApplicationId=application_id, TransactionId="nope", Arguments={}
        )
    )
    assert code == "NotFoundException" and "nope" in message


def test_update_of_an_ended_call_is_not_found(chime: Chime, client: Any) -> None:
    wired, transaction_id = outbound(chime, client)
    event(chime, transaction_id, "busy")
    code, message = failure_of(
        lambda: client.update_sip_media_application_call(
            SipMediaApplicationId=wired["application"]["SipMediaApplicationId"],
            TransactionId=transaction_id,
            Arguments={},
        )
    )
    assert code == "NotFoundException" and "ended" in message


# Actions


def test_bridge_answered_then_far_end_hangs_up(chime: Chime, client: Any) -> None:
    wire(chime, client, "bridge")
    transaction_id = dial(chime)["TransactionId"]
    call = show(chime, transaction_id)
    assert [p["ParticipantTag"] for p in call["Participants"]] == ["LEG-A", "LEG-B"]
    assert call["Participants"][1]["To"] == "+12065550199"
    assert "Status" not in call["Participants"][1]  # still ringing
    call = event(chime, transaction_id, "answer", ParticipantTag="LEG-B")
    assert kinds(call)[-1] == "ACTION_SUCCESSFUL"
    assert [p["Status"] for p in call["Participants"]] == ["Connected", "Connected"]
    call = event(chime, transaction_id, "hangup", ParticipantTag="LEG-B")
    assert kinds(call)[-2:] == ["HANGUP", "HANGUP"]
    tags = [
        i["Event"]["ActionData"]["Parameters"]["ParticipantTag"] for i in call["Invocations"][-2:]
    ]
    assert tags == ["LEG-B", "LEG-A"]
    assert call["Status"] == "Completed"


def test_bridge_not_answered_fails_with_call_not_answered(chime: Chime, client: Any) -> None:
    wire(chime, client, "bridge")
    transaction_id = dial(chime)["TransactionId"]
    chime.advance(11)
    call = show(chime, transaction_id)
    failed = call["Invocations"][1]["Event"]["ActionData"]
    assert (failed["Type"], failed["ErrorType"]) == ("CallAndBridge", "CallNotAnswered")
    assert heard(call) == ["Nobody is there"]


def test_recording_stops_on_its_terminator(chime: Chime, client: Any) -> None:
    wire(chime, client, "record")
    transaction_id = dial(chime)["TransactionId"]
    call = event(chime, transaction_id, "digits", Digits="#")
    success = call["Invocations"][1]["Event"]["ActionData"]
    assert success["RecordingTerminatorUsed"] == "#"
    key = success["RecordingDestination"]["Key"]
    assert key.startswith(f"inbox/{transaction_id}") and key.endswith(".wav")
    assert success["RecordingDestination"]["BucketName"] == "voicemail"
    assert call["Media"][0]["Type"] == "RecordAudio"


def test_receive_digits_reports_each_match(chime: Chime, client: Any) -> None:
    wire(chime, client, "receive")
    transaction_id = dial(chime)["TransactionId"]
    call = event(chime, transaction_id, "digits", Digits="5*12")
    received = [i for i in call["Invocations"] if i["InvocationEventType"] == "DIGITS_RECEIVED"]
    assert len(received) == 1
    assert received[0]["Event"]["ActionData"]["ReceivedDigits"] == "*12"
    assert heard(call) == []  # the answer's Speak waits for the running Pause to end
    chime.advance(61)
    assert heard(show(chime, transaction_id)) == ["You chose *12"]


# Bad answers and failing handlers


BAD = {
    "schema": ("INVALID_LAMBDA_RESPONSE", "SchemaVersionMismatch"),
    "not-an-object": ("INVALID_LAMBDA_RESPONSE", "InvalidResponseFormat"),
    "too-many": ("INVALID_LAMBDA_RESPONSE", "ActionsLimitExceeded"),
    "unknown-type": ("INVALID_LAMBDA_RESPONSE", "UnsupportedActionType"),
    "attributes-size": ("INVALID_LAMBDA_RESPONSE", "TransactionAttributesInvalidMapSize"),
    "attributes-type": ("INVALID_LAMBDA_RESPONSE", "TransactionAttributesInvalidValue"),
    "missing-parameter": ("ACTION_FAILED", "MissingRequiredActionParameter"),
    "bad-parameter": ("ACTION_FAILED", "InvalidActionParameter"),
    "bad-audio": ("ACTION_FAILED", "InvalidAudioSource"),
    "not-simulated": ("ACTION_FAILED", "SystemException"),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_answers_get_the_documented_event(chime: Chime, client: Any, kind: str) -> None:
    assert set(BAD) == set(pstn_handlers.BAD_ANSWERS)
    wire(chime, client, "bad")
    call = dial(chime, SipHeaders={"X-Bad": kind})["Call"]
    expected_event, error_type = BAD[kind]
    assert kinds(call) == ["NEW_INBOUND_CALL", expected_event, "HANGUP"]
    second = call["Invocations"][1]["Event"]
    where = second if expected_event == "INVALID_LAMBDA_RESPONSE" else second["ActionData"]
    assert where["ErrorType"] == error_type
    assert where["ErrorMessage"]
    if kind == "not-simulated":
        assert "JoinChimeMeeting" in where["ErrorMessage"]
    if expected_event == "INVALID_LAMBDA_RESPONSE":
        assert call["Invocations"][0]["Refused"].startswith(error_type)
    assert call["Status"] == "Completed"


def test_a_raising_handler_is_retried_once_then_the_call_ends_with_480(
    chime: Chime, client: Any
) -> None:
    wire(chime, client, "raises")
    call = dial(chime)["Call"]
    assert len(call["Invocations"]) == 1
    failures = call["Invocations"][0]["Failures"]
    assert len(failures) == 2
    assert all("RuntimeError: the handler is broken" in f for f in failures)
    assert "Answer" not in call["Invocations"][0]
    assert call["Status"] == "Completed"
    assert call["Participants"][0]["SipResponseCode"] == 480
    assert "RuntimeError" in call["EndReason"]


def test_an_unregistered_function_ends_the_call_and_says_how_to_register(
    chime: Chime, client: Any
) -> None:
    wire(chime, client, "nobody", register_it=False)
    call = dial(chime)["Call"]
    assert call["Status"] == "Completed"
    assert "lambda-functions" in call["Invocations"][0]["Failures"][0]


def test_an_unreachable_url_ends_the_call(chime: Chime, client: Any) -> None:
    wire(chime, client, "gone", InvokeUrl="http://127.0.0.1:9/invocations")
    call = dial(chime)["Call"]
    assert call["Status"] == "Completed"
    assert "unreachable" in call["Invocations"][0]["Failures"][0]


@pytest.fixture
def http_handler() -> Iterator[str]:
    """The pin handler behind a real HTTP server, as the Lambda Runtime Interface Emulator
    serves a function."""

    class Invocations(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            answer = json.dumps(pstn_handlers.pin(json.loads(body), None)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Invocations)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/2015-03-31/functions/function/invocations"
    server.shutdown()


def test_handler_behind_an_http_server(chime: Chime, client: Any, http_handler: str) -> None:
    wire(chime, client, "remote", InvokeUrl=http_handler)
    transaction_id = dial_to_prompt(chime)
    call = event(chime, transaction_id, "digits", Digits="1234")
    assert heard(call) == ["Welcome", "Enter your PIN", "Goodbye"]
    assert call["Invocations"][0]["Answer"]["TransactionAttributes"] == {"step": "pin"}


def test_a_slow_handler_times_out_and_the_call_ends() -> None:
    app = LocalChime(Settings(ephemeral=True, strict_output=True, lambda_timeout_seconds=0.1))
    try:
        chime = InProcessChime(app)
        wire(chime, chime.client(), "slow")
        call = dial(chime)["Call"]
        assert call["Status"] == "Completed"
        assert all("the limit is 0.1 s" in f for f in call["Invocations"][0]["Failures"])
    finally:
        app.close()


# The control API's own rules


def test_control_calls_refuse_bad_input(chime: Chime, client: Any) -> None:
    wire(chime, client, "pin")
    cases = [
        ({"From": CALLER}, 400, "To"),
        ({"From": "2065550142", "To": DIAL_IN}, 400, "E.164"),
        ({"From": CALLER, "To": "+12065550100"}, 404, "No enabled SIP rule"),
        ({"From": CALLER, "To": DIAL_IN, "SipHeaders": {"X-AMZN-Id": "1"}}, 400, "reserved"),
        ({"From": CALLER, "To": DIAL_IN, "Color": "red"}, 400, "Color"),
    ]
    for document, status, words in cases:
        response = chime.control("POST", "calls", document)
        assert response.status == status, (document, response.body)
        assert words in response.json()["message"]
    transaction_id = dial(chime)["TransactionId"]
    for document, words in [
        ({"Event": "dance"}, "Event must be one of"),
        ({"Event": "digits"}, "Digits"),
        ({"Event": "digits", "Digits": "12x"}, "Digits"),
        ({"Event": "hangup", "ParticipantTag": "LEG-C"}, "ParticipantTag"),
    ]:
        response = chime.control("POST", f"calls/{transaction_id}/events", document)
        assert response.status == 400, document
        assert words in response.json()["message"]
    refused = chime.control("POST", f"calls/{transaction_id}/events", {"Event": "answer"})
    assert refused.status == 409 and "not ringing" in refused.json()["message"]
    missing = chime.control("POST", "calls/nope/events", {"Event": "hangup"})
    assert missing.status == 404
    assert chime.control("GET", "calls/nope").status == 404


def test_calls_are_listed_newest_first(chime: Chime, client: Any) -> None:
    wire(chime, client, "pin")
    first = dial(chime)["TransactionId"]
    chime.advance(1)  # two calls placed in one millisecond have no order between them
    second = dial(chime)["TransactionId"]
    listed = chime.control("GET", "calls").json()["Calls"]
    assert [c["TransactionId"] for c in listed] == [second, first]
    assert listed[0]["Direction"] == "Inbound"


def test_lambda_function_registry(chime: Chime) -> None:
    bad = [
        ({"FunctionArn": "arn:aws:lambda:us-east-1:1:function:x", "Handler": "a:b"}, "FunctionArn"),
        ({"FunctionArn": arn("x")}, "exactly one"),
        ({"FunctionArn": arn("x"), "Handler": "a:b", "InvokeUrl": "http://x"}, "exactly one"),
        ({"FunctionArn": arn("x"), "InvokeUrl": "ftp://x"}, "http://"),
        ({"FunctionArn": arn("x"), "Handler": "no_such_module_here:f"}, "cannot import"),
        ({"FunctionArn": arn("x"), "Handler": "tests.pstn_handlers:missing"}, "no function"),
        ({"FunctionArn": arn("x"), "Handler": "tests.pstn_handlers"}, "package.module:function"),
    ]
    for document, words in bad:
        response = chime.control("POST", "lambda-functions", document)
        assert response.status == 400, document
        assert words in response.json()["message"]
    register(chime, "pin")
    register(chime, "remote", InvokeUrl="http://127.0.0.1:9/invoke")
    listed = chime.control("GET", "lambda-functions").json()["LambdaFunctions"]
    assert listed == [
        {"FunctionArn": arn("pin"), "Handler": "tests.pstn_handlers:pin"},
        {"FunctionArn": arn("remote"), "InvokeUrl": "http://127.0.0.1:9/invoke"},
    ]
    assert chime.control("DELETE", f"lambda-functions/{arn('pin')}").status == 200
    assert chime.control("DELETE", f"lambda-functions/{arn('pin')}").status == 404
    assert len(chime.control("GET", "lambda-functions").json()["LambdaFunctions"]) == 1


# The server: handlers off the request path, calls durable


def test_a_slow_handler_does_not_hold_up_other_requests(tmp_path: Any) -> None:
    server = ServerChime("--data-dir", str(tmp_path)).start()
    try:
        client = server.client()
        register(server, "sleepy", Handler="tests.pstn_handlers:slow")
        wire(server, client, "sleepy", register_it=False)
        placed: dict[str, Any] = {}
        caller = threading.Thread(target=lambda: placed.update(dial(server)))
        caller.start()
        time.sleep(0.05)
        began = time.monotonic()
        assert server.control("GET", "health").status == 200
        client.list_phone_numbers()
        elapsed = time.monotonic() - began
        caller.join()
        assert elapsed < 0.25, elapsed
        assert placed["Call"]["Status"] == "Completed"
    finally:
        server.stop()


def test_a_call_in_progress_survives_a_restart(tmp_path: Any) -> None:
    server = ServerChime("--data-dir", str(tmp_path)).start()
    try:
        wire(server, server.client(), "pin")
        transaction_id = dial_to_prompt(server)
    finally:
        server.stop()
    server = ServerChime("--data-dir", str(tmp_path)).start()
    try:
        event(server, transaction_id, "digits", Digits="1234")
        call = finish(server, transaction_id)
        assert heard(call) == ["Welcome", "Enter your PIN", "Goodbye"]
        assert call["Status"] == "Completed"
    finally:
        server.stop()


def test_lambda_endpoint_is_invoked_as_the_lambda_api() -> None:
    """LOCALCHIME_LAMBDA_ENDPOINT: POST {endpoint}/2015-03-31/functions/{name}/invocations,
    with the ARN's Region and account in the credential scope (how LocalStack picks both)."""
    seen: list[tuple[str, str]] = []

    class LambdaApi(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            seen.append((self.path, self.headers["Authorization"]))
            body = self.rfile.read(int(self.headers["Content-Length"]))
            answer = json.dumps(pstn_handlers.pin(json.loads(body), None)).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *_args: Any) -> None:
            pass

    api = ThreadingHTTPServer(("127.0.0.1", 0), LambdaApi)
    threading.Thread(target=api.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{api.server_port}"
    app = LocalChime(Settings(ephemeral=True, strict_output=True, lambda_endpoint=endpoint))
    try:
        chime = InProcessChime(app)
        wire(chime, chime.client(), "pin-on-localstack", register_it=False)
        call = dial(chime)["Call"]
        assert heard(call) == ["Welcome"]
        assert call["Invocations"][0]["Answer"]["TransactionAttributes"] == {"step": "pin"}
        path, authorization = seen[0]
        assert path == "/2015-03-31/functions/pin-on-localstack/invocations"
        assert f"Credential={ACCOUNT}/" in authorization
        assert f"/{REGION}/lambda/aws4_request" in authorization
    finally:
        app.close()
        api.shutdown()
