"""A call as a few lines of text, for `localchime call`: each event and what the handler
answered, what each participant heard, and what the call waits for."""

from __future__ import annotations

from typing import Any


def call_transcript(call: dict[str, Any]) -> str:
    lines = [
        f"Call {call['TransactionId']}  {call['Direction']}  {call['From']} -> {call['To']}  "
        f"{call['Status']}"
    ]
    lines.extend(_invocation_line(i) for i in call["Invocations"])
    if call["Media"]:
        lines.append("Heard:")
        lines.extend(f"  {m['ParticipantTag']}  {_media(m)}" for m in call["Media"])
    current = call.get("CurrentAction")
    if current is not None:
        until = f" until {current['Until']}" if current["Until"] else ""
        lines.append(f"Now: {current['Type']} on {current['ParticipantTag']}{until}")
    if call["Status"] == "Completed":
        lines.append(f"Ended: {call['EndReason']}")
    return "\n".join(lines)


def _invocation_line(invocation: dict[str, Any]) -> str:
    event = invocation["Event"]
    data = event.get("ActionData") or {}
    about = " ".join(
        str(part)
        for part in (
            data.get("Type", ""),
            _result(data),
            event.get("ErrorType", ""),
        )
        if part
    )
    line = f"  {invocation['Sequence']:>3}  {invocation['InvocationEventType']}"
    if about:
        line += f" ({about})"
    if "Failures" in invocation and "Answer" not in invocation:
        return line + f"  -> handler failed: {invocation['Failures'][-1]}"
    answer = invocation.get("Answer")
    actions = answer.get("Actions") if isinstance(answer, dict) else None
    if actions:
        line += "  -> " + ", ".join(str(a.get("Type")) for a in actions if isinstance(a, dict))
    if "Refused" in invocation:
        line += f"  (refused: {invocation['Refused']})"
    return line


def _result(data: dict[str, Any]) -> str:
    if "ReceivedDigits" in data:
        return f"digits {data['ReceivedDigits']!r}"
    if "ErrorType" in data:
        return f"{data['ErrorType']}: {data['ErrorMessage']}"
    if data.get("Type") == "Hangup":
        parameters = data["Parameters"]
        return f"{parameters['ParticipantTag']} {parameters['SipResponseCode']}"
    return ""


def _media(entry: dict[str, Any]) -> str:
    if entry["Type"] == "Speak":
        return f'Speak "{entry["Text"]}"'
    if entry["Type"] == "SendDigits":
        return f"SendDigits {entry['Digits']}"
    return f"{entry['Type']} s3://{entry['BucketName']}/{entry['Key']}"
