"""`localchime serve` and `localchime coverage` as a user runs them."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness import ServerChime
from tests.pstn_wiring import wire_dial_in

LOCALCHIME = [sys.executable, "-m", "localchime"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_prints_ready_line_and_stops_cleanly(tmp_path: Path, sig: int) -> None:
    server = ServerChime("--data-dir", str(tmp_path)).start()
    assert server.endpoint.startswith("http://127.0.0.1:")
    assert server.control("GET", "health").json()["status"] == "ok"
    code, stderr = server.stop(sig)
    assert code == 0
    assert "Traceback" not in stderr


def test_port_from_environment_and_flag_wins(tmp_path: Path) -> None:
    env_port, flag_port = free_port(), free_port()
    command = [*LOCALCHIME, "serve", "--data-dir", str(tmp_path)]
    for extra, expected in (([], env_port), (["--port", str(flag_port)], flag_port)):
        process = subprocess.Popen(
            command + extra,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "LOCALCHIME_PORT": str(env_port)},
        )
        assert process.stdout is not None
        assert (
            process.stdout.readline().strip() == f"localchime ready on http://127.0.0.1:{expected}"
        )
        process.send_signal(signal.SIGTERM)
        assert process.wait(20) == 0


def test_default_data_dir_is_dot_localchime(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [*LOCALCHIME, "serve", "--port", "0"], cwd=tmp_path, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    assert process.stdout.readline().startswith("localchime ready on http://127.0.0.1:")
    process.send_signal(signal.SIGTERM)
    assert process.wait(20) == 0
    assert (tmp_path / ".localchime" / "localchime.db").is_file()


def test_ephemeral_writes_nothing(tmp_path: Path) -> None:
    server = ServerChime("--ephemeral", "--data-dir", str(tmp_path / "unused")).start()
    client = server.client()
    client.create_phone_number_order(
        ProductType="VoiceConnector", E164PhoneNumbers=["+12065550100"]
    )
    assert server.stop()[0] == 0
    assert not (tmp_path / "unused").exists()


def test_state_survives_restart(tmp_path: Path) -> None:
    first = ServerChime("--data-dir", str(tmp_path)).start()
    client = first.client()
    order_id = client.create_phone_number_order(
        ProductType="VoiceConnector", E164PhoneNumbers=["+12065550100"], Name="kept"
    )["PhoneNumberOrder"]["PhoneNumberOrderId"]
    first.advance(3600)
    assert first.stop()[0] == 0

    second = ServerChime("--data-dir", str(tmp_path)).start()
    try:
        assert second.control("GET", "clock").json()["offset_seconds"] == 3600
        order = second.client().get_phone_number_order(PhoneNumberOrderId=order_id)[
            "PhoneNumberOrder"
        ]
        assert order["Status"] == "Successful"
        number = second.client().get_phone_number(PhoneNumberId="+12065550100")["PhoneNumber"]
        assert (number["Status"], number["Name"]) == ("Unassigned", "kept")
    finally:
        assert second.stop()[0] == 0


def test_unusable_database_url_fails_with_a_message() -> None:
    result = subprocess.run(
        [
            *LOCALCHIME,
            "serve",
            "--port",
            "0",
            "--database-url",
            "postgresql://nobody:hunter2@127.0.0.1:1/none",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.startswith(
        "localchime: cannot open postgresql://nobody:***@127.0.0.1:1/none: "
        "(psycopg.OperationalError) connection failed"
    )
    assert "hunter2" not in result.stderr
    assert "Traceback" not in result.stderr


def test_port_in_use_fails_with_a_message(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [*LOCALCHIME, "serve", "--port", str(port), "--data-dir", str(tmp_path / "data")],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr == (
        f"localchime: cannot listen on 127.0.0.1:{port}: the port is already in use; "
        "--port 0 picks a free port\n"
    )
    assert not (tmp_path / "data").exists()


def test_bad_environment_value_is_a_usage_error() -> None:
    result = subprocess.run(
        [*LOCALCHIME, "serve"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "LOCALCHIME_PORT": "eighty"},
    )
    assert result.returncode == 2
    assert result.stderr == "localchime: LOCALCHIME_PORT='eighty' is not a valid int\n"


def test_coverage_lists_every_operation() -> None:
    result = subprocess.run(
        [*LOCALCHIME, "coverage", "--json"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert (len(report["implemented"]), report["not_implemented"]) == (96, [])
    assert {
        "CreatePhoneNumberOrder",
        "GetPhoneNumberOrder",
        "ListPhoneNumberOrders",
        "GetPhoneNumber",
    } <= set(report["implemented"])
    text = subprocess.run(
        [*LOCALCHIME, "coverage"], capture_output=True, text=True, timeout=60
    ).stdout
    assert text.startswith("chime-sdk-voice: 96 of 96 operations implemented")
    assert "[ ]" not in text
    assert "  [x] ListVoiceProfileDomains" in text
    assert "  [x] ListProxySessions" in text
    assert "  [x] ListSipMediaApplications" in text
    assert "  [x] ListVoiceConnectors" in text


def test_call_commands_click_through_a_call(tmp_path: Path) -> None:
    """`localchime call` against a live server: register, dial, answer a bridge, hang up, list;
    and a bad registration is one line on stderr with exit 1."""
    server = ServerChime("--data-dir", str(tmp_path)).start()
    try:
        env = {**os.environ, "LOCALCHIME_ENDPOINT": server.endpoint}

        def cli(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [*LOCALCHIME, *args], capture_output=True, text=True, env=env, timeout=60
            )

        arn = "arn:aws:lambda:us-east-1:123456789012:function:bridge"
        assert (
            cli("call", "register", arn, "--handler", "tests.pstn_handlers:bridge").returncode == 0
        )
        failed = cli("call", "register", arn, "--handler", "no_such_module:f")
        assert failed.returncode == 1 and "cannot import" in failed.stderr
        assert len(failed.stderr.strip().splitlines()) == 1
        wire_dial_in(server, server.client(), arn, "+18445550170", "bridge")
        placed = cli("call", "inbound", "--from", "+12065550142", "--to", "+18445550170", "--json")
        transaction_id = json.loads(placed.stdout)["TransactionId"]
        answered = cli("call", "answer", transaction_id, "--leg", "LEG-B")
        assert "ACTION_SUCCESSFUL (CallAndBridge)" in answered.stdout
        hung_up = cli(
            "call", "hangup", transaction_id, "--leg", "LEG-B"
        )  # the handler then ends LEG-A
        assert hung_up.returncode == 0
        assert "Ended: Every participant hung up" in hung_up.stdout
        refused = cli("call", "refuse", transaction_id, "--busy")
        assert refused.returncode == 1 and "has ended" in refused.stderr
        listed = cli("call", "list")
        assert transaction_id in listed.stdout and "Completed" in listed.stdout
    finally:
        server.stop()
