"""The IVR driven through whole calls by the simulator: right and wrong PINs, silence, a caller
who hangs up, and an outbound reminder call. No test waits: the clock moves."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import ivr
import pytest
from provision import DIAL_IN, FUNCTION_ARN, provision

from localchime import mock_chime
from localchime.testing import LocalChimeMock

CALLER = "+12065550142"


@pytest.fixture
def chime() -> Iterator[LocalChimeMock]:
    with mock_chime() as chime:
        chime.register_handler(FUNCTION_ARN, ivr.lambda_handler)
        provision(boto3.client("chime-sdk-voice", region_name="us-east-1"), wait=chime.advance)
        yield chime


GREETING_SECONDS = 2
"""The greeting plays about 1.4 s; keys pressed meanwhile are not collected."""


def answered_call(chime: LocalChimeMock) -> str:
    """A call that has heard the greeting and waits for the PIN."""
    transaction_id = str(chime.dial(CALLER, DIAL_IN)["TransactionId"])
    chime.advance(GREETING_SECONDS)
    return transaction_id


def heard(call: dict[str, Any]) -> list[str]:
    return [m["Text"] for m in call["Media"] if m["Type"] == "Speak"]


def test_the_right_pin_says_goodbye(chime: LocalChimeMock) -> None:
    placed = chime.dial(CALLER, DIAL_IN)
    assert heard(placed["Call"]) == [ivr.GREETING]
    chime.advance(GREETING_SECONDS)
    assert heard(chime.call(placed["TransactionId"])) == [ivr.GREETING, ivr.PROMPT]
    call = chime.press(placed["TransactionId"], "1234")
    assert heard(call)[-1] == ivr.GOODBYE
    chime.advance(5)  # the goodbye plays, then the handler's Hangup ends the call
    call = chime.call(placed["TransactionId"])
    assert call["Status"] == "Completed"
    assert call["Participants"][0]["SipResponseCode"] == 0


def test_a_wrong_pin_asks_again_and_three_wrong_pins_hang_up(chime: LocalChimeMock) -> None:
    transaction_id = answered_call(chime)
    call = chime.press(transaction_id, "0000")
    assert heard(call)[-1] == ivr.WRONG
    assert call["Invocations"][-1]["Answer"]["TransactionAttributes"] == {"wrong": "1"}
    chime.advance(GREETING_SECONDS)  # "That PIN is not right." plays, then the prompt again
    assert heard(chime.call(transaction_id))[-2:] == [ivr.WRONG, ivr.PROMPT]
    chime.press(transaction_id, "1111")
    chime.advance(GREETING_SECONDS)
    call = chime.press(transaction_id, "2222")
    assert heard(call)[-1] == ivr.TOO_MANY
    chime.advance(5)
    assert chime.call(transaction_id)["Status"] == "Completed"


def test_silence_is_prompted_twice_then_the_call_ends(chime: LocalChimeMock) -> None:
    transaction_id = chime.dial(CALLER, DIAL_IN)["TransactionId"]
    chime.advance(30)
    call = chime.call(transaction_id)
    assert heard(call) == [ivr.GREETING, ivr.PROMPT, ivr.RETRY, ivr.PROMPT, ivr.SILENCE]
    failed = [i for i in call["Invocations"] if i["InvocationEventType"] == "ACTION_FAILED"]
    assert failed[0]["Event"]["ActionData"]["Type"] == "SpeakAndGetDigits"
    assert call["Status"] == "Completed"


def test_a_caller_who_hangs_up_midway(chime: LocalChimeMock) -> None:
    transaction_id = answered_call(chime)
    chime.press(transaction_id, "12")
    call = chime.hang_up(transaction_id)
    assert [i["InvocationEventType"] for i in call["Invocations"]] == [
        "NEW_INBOUND_CALL",
        "HANGUP",
    ]
    assert call["Status"] == "Completed"
    assert heard(call) == [ivr.GREETING, ivr.PROMPT]


def test_an_outbound_reminder_reads_its_arguments(chime: LocalChimeMock) -> None:
    client = boto3.client("chime-sdk-voice", region_name="us-east-1")
    application_id = client.list_sip_media_applications()["SipMediaApplications"][0][
        "SipMediaApplicationId"
    ]
    transaction_id = client.create_sip_media_application_call(
        FromPhoneNumber=DIAL_IN,
        ToPhoneNumber="+12065550177",
        SipMediaApplicationId=application_id,
        ArgumentsMap={"Message": "Your card has shipped."},
    )["SipMediaApplicationCall"]["TransactionId"]
    assert [i["InvocationEventType"] for i in chime.call(transaction_id)["Invocations"]] == [
        "NEW_OUTBOUND_CALL",
        "RINGING",
    ]
    chime.answer(transaction_id)
    chime.advance(5)
    call = chime.call(transaction_id)
    assert heard(call) == ["Your card has shipped."]
    assert call["Status"] == "Completed"
