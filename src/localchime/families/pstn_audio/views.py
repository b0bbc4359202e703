"""How a simulated call looks through the control API: the whole call, or a summary for the
list."""

from __future__ import annotations

from typing import Any

from localchime.core.clock import to_datetime
from localchime.families.pstn_audio import machine
from localchime.families.pstn_audio.machine import CallState
from localchime.families.pstn_audio.repository import Invocation
from localchime.protocol.serializer import format_timestamp


def moment(ms: int) -> str:
    return format_timestamp(to_datetime(ms))


def call_summary(state: CallState) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "TransactionId": state["TransactionId"],
        "Status": state["Status"],
        "Direction": state["Direction"],
        "AwsAccountId": state["AccountId"],
        "AwsRegion": state["AwsRegion"],
        "SipMediaApplicationId": state["SipMediaApplicationId"],
        "From": state["Participants"][0]["From"],
        "To": state["Participants"][0]["To"],
        "StartTime": moment(state["CreatedMs"]),
    }
    if state["SipRuleId"] is not None:
        summary["SipRuleId"] = state["SipRuleId"]
    if state["EndedMs"] is not None:
        summary["EndTime"] = moment(state["EndedMs"])
        summary["EndReason"] = state["EndReason"]
    return summary


def call_view(state: CallState, invocations: list[Invocation]) -> dict[str, Any]:
    """The whole call: participants as the handler last saw them, each invocation with the
    handler's raw answer, and what each participant heard."""
    view = call_summary(state)
    view["FunctionArn"] = state["FunctionArn"]
    view["CallId"] = state["Participants"][0]["CallId"]
    view["Participants"] = machine.call_details(state)["Participants"]
    for wire, participant in zip(view["Participants"], state["Participants"], strict=True):
        if participant["SipResponseCode"] is not None:
            wire["SipResponseCode"] = participant["SipResponseCode"]
    view["TransactionAttributes"] = dict(state["Attributes"] or {})
    current = state["Current"]
    if current is not None:
        view["CurrentAction"] = {
            "Type": current["Action"]["Type"],
            "ParticipantTag": current["Leg"],
            "Until": None if current["EndsMs"] is None else moment(current["EndsMs"]),
        }
    view["QueuedActions"] = [action["Type"] for action in state["Queue"]]
    view["Invocations"] = [_invocation(i) for i in invocations]
    view["Media"] = [_media(entry) for entry in state["Media"]]
    return view


def _invocation(invocation: Invocation) -> dict[str, Any]:
    document: dict[str, Any] = {
        "Sequence": invocation.sequence,
        "Time": moment(invocation.at_ms),
        "InvocationEventType": invocation.event_type,
        "Event": invocation.event,
    }
    if invocation.answered:
        document["Answer"] = invocation.answer
    if invocation.failures:
        document["Failures"] = invocation.failures
    if invocation.refusal is not None:
        document["Refused"] = invocation.refusal
    return document


def _media(entry: dict[str, Any]) -> dict[str, Any]:
    document = {"Time": moment(entry["AtMs"])}
    document.update({k: v for k, v in entry.items() if k != "AtMs"})
    return document
