"""Every `localchime` error is one line on stderr, `localchime: …`, with no traceback and a
non-zero exit code (2 for a usage or configuration error, 1 for the rest); and the help reads as
complete phrases, with `-h` everywhere."""

from __future__ import annotations

import contextlib
import json
import math
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path

import click
import pytest

from localchime.cli import main
from localchime.config import POSITIVE_SECONDS, SettingError, Settings
from tests.harness import ServerChime

LOCALCHIME = [sys.executable, "-m", "localchime"]


def localchime(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*LOCALCHIME, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def fails(result: subprocess.CompletedProcess[str], code: int, message: str) -> None:
    """The command failed with `code` and exactly one line on stderr: `message`."""
    assert (result.returncode, result.stderr) == (code, message + "\n"), result.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- ports -----------------------------------------------------------------------------------


def test_a_port_out_of_range_is_one_line_naming_the_flag() -> None:
    fails(
        localchime("serve", "--port", "70000", "--ephemeral"),
        2,
        "localchime: --port must be 0 to 65535; got 70000",
    )


def test_a_port_out_of_range_from_the_environment_names_the_variable() -> None:
    fails(
        localchime("serve", "--ephemeral", env={"LOCALCHIME_PORT": "-1"}),
        2,
        "localchime: LOCALCHIME_PORT must be 0 to 65535; got -1",
    )


def test_a_port_in_use_suggests_port_0_and_creates_no_database(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = localchime("serve", "--port", str(port), "--data-dir", str(data_dir))
    fails(
        result,
        1,
        f"localchime: cannot listen on 127.0.0.1:{port}: the port is already in use; "
        "--port 0 picks a free port",
    )
    assert not data_dir.exists()


# --- the data directory ----------------------------------------------------------------------


@contextlib.contextmanager
def read_only_directory(path: Path) -> Iterator[Path]:
    """`path`, made a directory this process cannot write: by its mode, or for root (whom modes
    do not stop) by the immutable attribute; skips the test when neither works."""
    path.mkdir()
    path.chmod(0o555)
    immutable = False
    if os.access(path, os.W_OK):
        immutable = subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0
    try:
        if os.access(path, os.W_OK):
            pytest.skip("cannot make a directory read-only here")
        yield path
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(0o755)


def test_a_read_only_data_directory_says_so(tmp_path: Path) -> None:
    with read_only_directory(tmp_path / "data") as data_dir:
        fails(
            localchime("serve", "--port", "0", "--data-dir", str(data_dir)),
            1,
            f"localchime: data directory {data_dir} is not writable",
        )
        fails(
            localchime("serve", "--port", "0", "--data-dir", str(data_dir / "sub")),
            1,
            f"localchime: cannot create data directory {data_dir / 'sub'}: "
            f"{data_dir} is not writable",
        )


def test_a_data_directory_that_is_a_file_says_so(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    fails(
        localchime("serve", "--port", "0", env={"LOCALCHIME_DATA_DIR": str(tmp_path / "file")}),
        1,
        f"localchime: data directory {tmp_path / 'file'} is not a directory",
    )


# --- environment knobs -----------------------------------------------------------------------


def test_malformed_bootstrap_credentials_name_the_variable_and_the_form(tmp_path: Path) -> None:
    fails(
        localchime(
            "serve",
            "--port",
            "0",
            "--data-dir",
            str(tmp_path / "data"),
            env={"LOCALCHIME_BOOTSTRAP_CREDENTIALS": "foo"},
        ),
        2,
        "localchime: LOCALCHIME_BOOTSTRAP_CREDENTIALS must have the form "
        "AKID:SECRET:ACCOUNT[:PRINCIPAL]",
    )
    assert not (tmp_path / "data").exists()


def test_bootstrap_credentials_with_a_bad_part_name_the_part() -> None:
    fails(
        localchime(
            "serve",
            "--port",
            "0",
            "--ephemeral",
            env={
                "LOCALCHIME_BOOTSTRAP_CREDENTIALS": "AKIAEXAMPLEKEY000001:secret-of-16-chars:1234"
            },
        ),
        2,
        "localchime: LOCALCHIME_BOOTSTRAP_CREDENTIALS (AKID:SECRET:ACCOUNT[:PRINCIPAL]): "
        "AccountId must be a 12-digit AWS account id",
    )


@pytest.mark.parametrize(
    ("variable", "value", "rule"),
    [
        ("ORDER_FULFILMENT_SECONDS", "-5", "must be a finite number of seconds, 0 or more; got -5"),
        ("PORTING_CANCEL_SECONDS", "nan", "must be a finite number of seconds, 0 or more; got nan"),
        (
            "CALLING_NAME_UPDATE_SECONDS",
            "inf",
            "must be a finite number of seconds, 0 or more; got inf",
        ),
        ("LIFECYCLE_POLL_SECONDS", "0", "must be a finite number of seconds above 0; got 0"),
        ("BODY_TIMEOUT_SECONDS", "-1", "must be a finite number of seconds above 0; got -1"),
        ("MAX_NUMBERS_PER_ORDER", "0", "must be a whole number, 1 or more; got 0"),
        ("MAX_BODY_BYTES", "-1", "must be a whole number, 1 or more; got -1"),
        ("QUOTA_PROFILE", "strict", "must be one of: lenient, aws; got 'strict'"),
    ],
)
def test_a_knob_out_of_range_names_the_variable_and_the_rule(
    variable: str, value: str, rule: str
) -> None:
    fails(
        localchime("serve", "--port", "0", "--ephemeral", env={f"LOCALCHIME_{variable}": value}),
        2,
        f"localchime: LOCALCHIME_{variable} {rule}",
    )


SECONDS = [spec.name for spec in fields(Settings) if spec.name.endswith("_seconds")]


@pytest.mark.parametrize("name", SECONDS)
def test_every_seconds_setting_refuses_negative_and_non_finite_values(name: str) -> None:
    for bad in (-0.001, -math.inf, math.inf, math.nan):
        with pytest.raises(SettingError) as excinfo:
            Settings(**{name: bad})  # type: ignore[arg-type]
        assert str(excinfo.value).startswith(f"LOCALCHIME_{name.upper()} must be a finite number")
    assert getattr(Settings(**{name: 0.25}), name) == 0.25  # type: ignore[arg-type]
    if name in POSITIVE_SECONDS:
        with pytest.raises(SettingError, match="above 0; got 0"):
            Settings(**{name: 0})  # type: ignore[arg-type]
    else:
        assert getattr(Settings(**{name: 0}), name) == 0  # type: ignore[arg-type]


# --- the endpoint of the control commands ----------------------------------------------------


def test_an_endpoint_without_a_scheme_suggests_http() -> None:
    fails(
        localchime("clock", "show", "--endpoint", "localhost:4590"),
        2,
        "localchime: --endpoint 'localhost:4590' is not a URL; did you mean http://localhost:4590?",
    )
    fails(
        localchime("health", env={"LOCALCHIME_ENDPOINT": "localhost:4590"}),
        2,
        "localchime: LOCALCHIME_ENDPOINT 'localhost:4590' is not a URL; "
        "did you mean http://localhost:4590?",
    )
    fails(
        localchime("reset", "--endpoint", "ftp://localhost:4590"),
        2,
        "localchime: --endpoint 'ftp://localhost:4590' is not an http:// or https:// URL such as "
        "http://127.0.0.1:4575",
    )


def test_click_usage_errors_are_one_line_pointing_at_the_help() -> None:
    result = localchime("serve", "--prot", "1")
    assert result.returncode == 2
    assert result.stderr.startswith("localchime: No such option")
    assert result.stderr.endswith(" (see 'localchime serve -h')\n")
    assert result.stderr.count("\n") == 1
    fails(
        localchime("porting", "create", "--product-type", "VoiceConnector", "--number", "+1"),
        2,
        "localchime: Missing option '--account' (see 'localchime porting create -h')",
    )


# --- reset and health ------------------------------------------------------------------------


def test_health_and_reset_talk_to_the_running_server(tmp_path: Path) -> None:
    server = ServerChime("--data-dir", str(tmp_path), "--control-token", "sesame").start()
    try:
        server.client().create_phone_number_order(
            ProductType="VoiceConnector", E164PhoneNumbers=["+12065550100"]
        )
        endpoint = {"LOCALCHIME_ENDPOINT": server.endpoint}
        health = localchime("health", env=endpoint)
        assert health.returncode == 0, health.stderr
        assert json.loads(health.stdout)["status"] == "ok"
        fails(
            localchime("reset", env=endpoint),
            1,
            "localchime: 401: The control API needs Authorization: Bearer <token> "
            "(LOCALCHIME_CONTROL_TOKEN)",
        )
        assert server.client().list_phone_number_orders()["PhoneNumberOrders"] != []
        reset = localchime(
            "reset", "--endpoint", server.endpoint, env={"LOCALCHIME_CONTROL_TOKEN": "sesame"}
        )
        assert reset.returncode == 0, reset.stderr
        assert isinstance(json.loads(reset.stdout), dict)
        assert server.client().list_phone_number_orders()["PhoneNumberOrders"] == []
    finally:
        assert server.stop()[0] == 0


def test_health_of_an_unreachable_server_is_one_line_and_exit_1() -> None:
    port = free_port()
    result = localchime("health", "--endpoint", f"http://127.0.0.1:{port}")
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"localchime: cannot reach localchime at http://127.0.0.1:{port}: "
    )
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""


# --- help ------------------------------------------------------------------------------------


def commands(
    group: click.Group, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    for name, command in group.commands.items():
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))


COMMANDS = {" ".join(path): command for path, command in commands(main)}


def test_the_commands_are_all_there() -> None:
    assert sorted(COMMANDS) == [
        "call",
        "call answer",
        "call functions",
        "call hangup",
        "call inbound",
        "call list",
        "call press",
        "call refuse",
        "call register",
        "call show",
        "call unregister",
        "clock",
        "clock advance",
        "clock set",
        "clock show",
        "connector-call",
        "connector-call hangup",
        "connector-call place",
        "connector-call show",
        "coverage",
        "credentials",
        "credentials add",
        "credentials attach",
        "credentials detach",
        "credentials list",
        "credentials policies",
        "credentials remove",
        "e911",
        "e911 clear",
        "e911 count",
        "e911 pin",
        "faults",
        "faults add",
        "faults clear",
        "faults list",
        "health",
        "porting",
        "porting create",
        "porting event",
        "porting history",
        "porting show",
        "reset",
        "serve",
        "voice-connector",
        "voice-connector ping",
    ]


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_every_help_text_is_a_complete_phrase(path: str) -> None:
    """A command's one-line summary is written out (click would cut its docstring at the first
    period, "e.g.", or after 45 characters), and every option says what it is for."""
    command = COMMANDS[path]
    assert command.short_help and command.short_help.endswith("."), path
    assert command.help and command.help.rstrip().endswith("."), path
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, (path, param.name)
            assert param.help.rstrip().endswith((".", "]")), (path, param.name, param.help)


@pytest.mark.parametrize("path", ["", *sorted(COMMANDS)])
def test_dash_h_works_everywhere(path: str) -> None:
    result = localchime(*path.split(), "-h")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Usage: {' '.join(['localchime', *path.split()])} ")
    assert "..." not in result.stdout.replace("[ARGS]...", "")
    assert "-h, --help" in result.stdout
