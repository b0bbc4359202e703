"""One home per control route (issue 19): each `/_localchime` route is declared once, with its
name and fields, and the `localchime` command and the `mock_chime` method that call it are thin
and checked against that declaration here. Every route has both; the mock's are exercised
in-process, the CLI's against a real `localchime serve`; a missing or mistyped field is a 400
that names the field and its rule."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest

from localchime import cli
from localchime.cli import main
from localchime.core.control import Field, RouteSpec, request_for, route_named
from localchime.registry import load
from localchime.testing import mock
from localchime.testing.mock import ControlCallError, LocalChimeMock, mock_chime
from localchime.version import __version__
from tests.harness import ServerChime
from tests.pstn_wiring import wire_dial_in

LOCALCHIME = [sys.executable, "-m", "localchime"]
SPECS: tuple[RouteSpec, ...] = tuple(r.spec for r in load().routes if r.spec is not None)
ARN = "arn:aws:lambda:us-east-1:123456789012:function:bridge"
ADDRESS = {
    "StreetNumber": "1",
    "StreetInfo": "Main St",
    "City": "Seattle",
    "State": "WA",
    "Country": "US",
    "PostalCode": "98101",
}
WRONG_KIND: dict[str, Any] = {
    "string": 5,
    "integer": 1.5,
    "number": "x",
    "boolean": "x",
    "list": "x",
    "object": "x",
}


def cli_commands(group: click.Group, path: str = "") -> Iterator[tuple[str, click.Command]]:
    for name, command in group.commands.items():
        yield f"{path}{name}", command
        if isinstance(command, click.Group):
            yield from cli_commands(command, f"{path}{name} ")


# --- declared once, served by both -----------------------------------------------------------


def test_every_route_is_declared_with_a_unique_name() -> None:
    assert len(SPECS) == len(load().routes) == 32
    names = [spec.name for spec in SPECS]
    assert len(set(names)) == len(names)
    for spec in SPECS:
        assert [f.name for f in spec.path_fields()] == [
            part[1:-1] for part in spec.template.split("/") if part.startswith("{")
        ], spec.name
        assert len({f.name for f in spec.fields}) == len(spec.fields), spec.name


def test_every_route_has_its_cli_command_and_its_mock_method() -> None:
    served_by_cli: dict[str, set[str]] = {}
    for path, command in cli_commands(main):
        for route in cli.SERVES.get(command.callback, ()):  # type: ignore[arg-type]
            served_by_cli.setdefault(route, set()).add(path)
    served_by_mock: dict[str, set[str]] = {}
    for method, routes in mock.SERVES.items():
        for route in routes:
            served_by_mock.setdefault(route, set()).add(method)
    names = {spec.name for spec in SPECS}
    assert set(served_by_cli) == names, names ^ set(served_by_cli)
    assert set(served_by_mock) == names, names ^ set(served_by_mock)
    for method in mock.SERVES:
        assert callable(getattr(LocalChimeMock, method))
    assert served_by_cli["call-event"] == {
        "call press",
        "call answer",
        "call refuse",
        "call hangup",
    }
    assert served_by_mock["call-event"] == {"press", "answer", "refuse", "hang_up"}
    assert (served_by_cli["e911-pin"], served_by_mock["e911-pin"]) == ({"e911 pin"}, {"pin_e911"})


def test_a_request_is_built_from_the_declaration() -> None:
    event = route_named(SPECS, "call-event")
    assert request_for(event, {"TransactionId": "a/b", "Event": "hangup", "Digits": None}) == (
        "POST",
        "/calls/a%2Fb/events",
        {"Event": "hangup"},
    )
    assert request_for(route_named(SPECS, "fault-clear"), {}) == ("DELETE", "/faults", None)
    with pytest.raises(LookupError, match="call-event declares no field Colour"):
        request_for(event, {"TransactionId": "t", "Colour": "red"})
    with pytest.raises(LookupError, match="no control route is named 'nope'"):
        route_named(SPECS, "nope")


def test_a_path_field_the_template_lacks_fails_at_declaration() -> None:
    from localchime.core.family import ControlRoutes

    routes = ControlRoutes()
    with pytest.raises(ValueError, match="path field id is not a segment of /things"):
        routes("GET", "/things", fields=(Field("id", where="path"),))(lambda ctx, req: (200, {}))


def test_help_does_not_load_the_registry() -> None:
    probe = (
        "import sys\nfrom localchime.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('localchime.registry' in sys.modules, 'localchime.families' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.splitlines()[-1] == "False False"


# --- the HTTP route checks its declared fields -----------------------------------------------


def _path(spec: RouteSpec) -> str:
    return request_for(spec, {f.name: "x1" for f in spec.path_fields()})[1]


MISTYPED = [
    (spec.name, field) for spec in SPECS for field in spec.body_fields() if field.kind in WRONG_KIND
]
MISSING = [
    (spec.name, next(f for f in spec.body_fields() if f.required))
    for spec in SPECS
    if any(f.required for f in spec.body_fields())
]


@pytest.fixture(scope="module")
def chime() -> Iterator[LocalChimeMock]:
    with mock_chime() as handle:
        yield handle


@pytest.mark.parametrize(("route", "field"), MISTYPED, ids=[f"{r}.{f.name}" for r, f in MISTYPED])
def test_a_mistyped_field_is_a_400_naming_it(
    chime: LocalChimeMock, route: str, field: Field
) -> None:
    spec = route_named(SPECS, route)
    with pytest.raises(ControlCallError) as refused:
        chime.control(spec.method, _path(spec), {field.name: WRONG_KIND[field.kind]})
    assert (refused.value.status, refused.value.error) == (400, "BadRequest")
    assert refused.value.message == f"{field.name} must be {field.must_be}"


@pytest.mark.parametrize(("route", "field"), MISSING, ids=[f"{r}.{f.name}" for r, f in MISSING])
def test_a_missing_required_field_is_a_400_naming_it(
    chime: LocalChimeMock, route: str, field: Field
) -> None:
    spec = route_named(SPECS, route)
    with pytest.raises(ControlCallError) as refused:
        chime.control(spec.method, _path(spec), {})
    assert (refused.value.status, refused.value.error) == (400, "BadRequest")
    expected = field.missing or f"{field.name} must be given: {field.must_be}"
    assert refused.value.message == expected
    assert field.name in refused.value.message


def test_an_undeclared_field_is_a_400_listing_the_declared_ones(chime: LocalChimeMock) -> None:
    with pytest.raises(ControlCallError) as refused:
        chime.control("POST", "faults", {"Operation": "*", "Colour": "red"})
    assert refused.value.message == (
        "Unknown key 'Colour' in the body; allowed: Operation, Account, Error, Probability, "
        "Count, LatencyMs"
    )


def test_specific_messages_survive_the_generic_checks(chime: LocalChimeMock) -> None:
    with pytest.raises(ControlCallError) as refused:
        chime.control("POST", "clock", {"advance_seconds": "3d"})
    assert refused.value.message == "AdvanceSeconds must be a number of seconds"
    with pytest.raises(ControlCallError) as refused:
        chime.control("POST", "voice-connector-calls", {"From": "+12065550100"})
    assert refused.value.message == "VoiceConnectorId is required: the connector the call uses"


# --- every mock method, exercised ------------------------------------------------------------


def test_the_mock_methods_drive_every_route() -> None:
    with mock_chime() as chime:
        client = chime.client()
        assert chime.health() == {"status": "ok", "version": __version__, "database": "sqlite"}
        moved = chime.set_clock("2030-01-01T00:00:00Z")
        assert 0 <= (moved - dt.datetime(2030, 1, 1, tzinfo=dt.UTC)).total_seconds() < 60
        later = chime.advance(3600)
        assert 3600 <= (later - moved).total_seconds() < 3660
        assert 0 <= (chime.now() - later).total_seconds() < 60

        assert chime.pin_e911(ADDRESS, 2) == {"Pinned": {"ValidationResult": 2}}
        assert chime.e911_pins() == 1
        chime.clear_e911()
        assert chime.e911_pins() == 0

        rule = chime.add_fault("GetGlobalSettings", Error="ThrottledClientException", Count=1)
        assert (rule["Operation"], rule["Error"], rule["Remaining"]) == (
            "GetGlobalSettings",
            "ThrottledClientException",
            1,
        )
        assert [r["Id"] for r in chime.faults()] == [rule["Id"]]
        assert chime.clear_faults(rule["Id"]) == 1
        chime.add_fault(LatencyMs=1)
        assert chime.clear_faults() == 1
        assert chime.faults() == []

        added = chime.add_credential("alice", access_key_id="AKIAALICE0000001")
        assert (added["AccessKeyId"], added["AccountId"]) == ("AKIAALICE0000001", chime.account)
        assert [c["AccessKeyId"] for c in chime.credentials()] == ["AKIAALICE0000001"]
        statement = {"Effect": "Allow", "Action": "chime:*", "Resource": "*"}
        attached = chime.attach_policy("AKIAALICE0000001", "all", {"Statement": [statement]})
        assert attached["PolicyName"] == "all"
        assert [p["PolicyName"] for p in chime.policies("AKIAALICE0000001")] == ["all"]
        chime.detach_policy("AKIAALICE0000001", "all")
        assert chime.policies("AKIAALICE0000001") == []
        chime.remove_credential("AKIAALICE0000001")
        assert chime.credentials() == []

        registered = chime.register_handler(ARN, "tests.pstn_handlers:bridge")
        assert (registered["FunctionArn"], registered["Handler"]) == (
            ARN,
            "tests.pstn_handlers:bridge",
        )
        assert [f["FunctionArn"] for f in chime.handlers()] == [ARN]
        wire_dial_in(chime, client, ARN, "+18445550170", "bridge")  # type: ignore[arg-type]
        placed = chime.dial("+12065550142", "+18445550170")
        transaction_id = placed["TransactionId"]
        assert chime.answer(transaction_id, leg="LEG-B")["Status"] == "InProgress"
        assert chime.hang_up(transaction_id, leg="LEG-B")["Status"] == "Completed"
        assert chime.call(transaction_id)["Status"] == "Completed"
        assert [c["TransactionId"] for c in chime.calls()] == [transaction_id]
        with pytest.raises(ControlCallError) as ended:
            chime.press(transaction_id, "1")
        assert ended.value.status == 409
        with pytest.raises(ControlCallError) as ended:
            chime.refuse(transaction_id)
        assert ended.value.status == 409
        assert chime.unregister_handler(ARN) == {"FunctionArn": ARN}
        assert chime.handlers() == []

        connector_id = client.create_voice_connector(Name="vc", RequireEncryption=False)[
            "VoiceConnector"
        ]["VoiceConnectorId"]
        with pytest.raises(ControlCallError) as unanswered:
            chime.ping_termination(connector_id, "203.0.113.5")
        assert (unanswered.value.status, unanswered.value.message) == (
            409,
            f"Voice Connector {connector_id} has no termination settings to answer a ping",
        )
        call_id = chime.place_connector_call(
            connector_id, "+12065550100", "+13125550199", Speaker="alice"
        )
        assert chime.connector_call(call_id)["Status"] == "InProgress"
        assert chime.end_connector_call(call_id)["Status"] == "Ended"

        order = chime.open_porting_order(["+12065550100"])
        order_id = order["PhoneNumberOrder"]["PhoneNumberOrderId"]
        assert chime.porting_order(order_id)["PhoneNumberOrder"]["Status"] == "Submitted"
        cancelled = chime.porting_event(order_id, "cancel")
        assert cancelled["PhoneNumberOrder"]["Status"] == "CancelRequested"
        assert [h["Event"] for h in chime.porting_history(order_id)] == ["submitted", "cancel"]

        chime.reset()
        assert chime.calls() == []


# --- the CLI against a real server -----------------------------------------------------------


def test_the_cli_commands_call_their_routes(tmp_path: Path) -> None:
    server = ServerChime("--data-dir", str(tmp_path)).start()
    env = {**os.environ, "LOCALCHIME_ENDPOINT": server.endpoint}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*LOCALCHIME, *args], capture_output=True, text=True, env=env, timeout=60
        )

    def ok(*args: str) -> Any:
        result = run(*args)
        assert (result.returncode, result.stderr) == (0, ""), args
        return json.loads(result.stdout)

    try:
        pinned = ok("e911", "pin", "--address", json.dumps(ADDRESS), "--result", "1")
        assert pinned == {"Pinned": {"ValidationResult": 1}}
        assert ok("e911", "count") == {"Count": 1}
        assert ok("e911", "clear") == {"Count": 0}

        added = ok("credentials", "add", "--account", "111122223333", "--principal", "bob")
        key = added["AccessKeyId"]
        assert (added["AccountId"], added["PrincipalName"]) == ("111122223333", "bob")
        document = json.dumps({"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}})
        ok("credentials", "attach", key, "deny", "--document", document)
        assert [p["PolicyName"] for p in ok("credentials", "policies", key)["Policies"]] == ["deny"]
        assert ok("credentials", "detach", key, "deny") == {"Deleted": "deny"}
        assert ok("credentials", "remove", key) == {"Deleted": key}
        assert ok("credentials", "list") == {"Credentials": []}

        assert ok("call", "functions") == {"LambdaFunctions": []}
        missing = run("call", "unregister", ARN)
        assert (missing.returncode, missing.stderr) == (
            1,
            f"localchime: 404: No handler is registered for {ARN}\n",
        )
        unknown = run("connector-call", "show", "nope")
        assert (unknown.returncode, unknown.stderr) == (
            1,
            "localchime: 404: No call through a Voice Connector has TransactionId nope\n",
        )
        hung = run("connector-call", "hangup", "nope")
        assert hung.returncode == 1 and "404" in hung.stderr
        placed = run("connector-call", "place", "nope", "--from", "+12065550100", "--to", "+1")
        assert (placed.returncode, placed.stderr) == (
            1,
            "localchime: 400: To must be an E.164 number such as +12065550100; got '+1'\n",
        )
        pinged = run("voice-connector", "ping", "nope", "--source", "203.0.113.5")
        assert (pinged.returncode, pinged.stderr) == (
            1,
            "localchime: 404: Voice Connector nope does not exist\n",
        )
    finally:
        assert server.stop()[0] == 0


# --- the reference in docs/control-api.md ------------------------------------------------------

DOC = Path(__file__).parent.parent / "docs" / "control-api.md"
BEGIN = "<!-- routes: generated by tests/test_control_routes.py; do not edit -->"
END = "<!-- end of routes -->"


def _field_text(field: Field) -> str:
    where = " (path)" if field.where == "path" else ""
    required = ", required" if field.required else ""
    return f"`{field.name}` {field.kind}{required}{where}" + (
        f": {field.help}" if field.help else ""
    )


def route_reference() -> str:
    """The table of every declared route, its CLI commands, its mock methods and its fields."""
    commands: dict[str, list[str]] = {}
    for path, command in cli_commands(main):
        for route in cli.SERVES.get(command.callback, ()):  # type: ignore[arg-type]
            commands.setdefault(route, []).append(f"`localchime {path}`")
    methods: dict[str, list[str]] = {}
    for method, routes in mock.SERVES.items():
        for route in routes:
            methods.setdefault(route, []).append(f"`{method}`")
    rows = [
        "| Route | Name | CLI | mock_chime | Fields |",
        "|---|---|---|---|---|",
    ]
    for spec in SPECS:
        fields = "<br>".join(_field_text(f) for f in spec.fields) or "none"
        rows.append(
            f"| `{spec.method} /_localchime{spec.template}` | `{spec.name}` | "
            f"{', '.join(commands[spec.name])} | {', '.join(methods[spec.name])} | {fields} |"
        )
    return "\n".join([BEGIN, *rows, END])


def test_the_documented_route_reference_is_the_declared_one() -> None:
    """Regenerate with LOCALCHIME_WRITE_DOCS=1 and this test."""
    text = DOC.read_text()
    start, end = text.index(BEGIN), text.index(END) + len(END)
    if os.environ.get("LOCALCHIME_WRITE_DOCS") == "1":
        DOC.write_text(text[:start] + route_reference() + text[end:])
        text = DOC.read_text()
    assert text[start : text.index(END) + len(END)] == route_reference()
