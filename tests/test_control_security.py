"""Issue 20, part A: the control API's credential, the files that hold secrets, and what the
server may reach on an operator's behalf (breaks 1, 2, 3, 8 and 9)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from localchime.app import LocalChime
from localchime.config import SettingError, Settings
from localchime.control.token import TOKEN_FILE_NAME, client_token
from tests.harness import InProcessChime, ServerChime

LOCALCHIME = [sys.executable, "-m", "localchime"]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def control(chime: InProcessChime, method: str, path: str, token: str | None = None) -> int:
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    return chime.raw(method, "/_localchime/" + path, b"", headers).status


# --- break 1: the control API needs a credential under --auth verify -------------------------


def test_verify_without_a_configured_token_locks_every_control_route_but_health() -> None:
    app = LocalChime(Settings(ephemeral=True, auth="verify"))
    try:
        chime = InProcessChime(app)
        token = app.settings.control_token
        assert token and len(token) >= 32
        assert control(chime, "GET", "health") == 200
        for method, path in [
            ("POST", "reset"),
            ("GET", "clock"),
            ("GET", "credentials"),
            ("GET", "lambda-functions"),
            ("GET", "faults"),
        ]:
            assert control(chime, method, path) == 401, path
            assert control(chime, method, path, "wrong") == 401, path
        assert control(chime, "POST", "reset", token) == 200
        assert app.control_token.where == f"generated for this ephemeral run: {token}"
    finally:
        app.close()


def test_the_generated_token_is_stored_0600_in_a_0700_data_dir_and_kept_across_restarts(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    first = LocalChime(Settings(data_dir=data, auth="verify"))
    token = first.settings.control_token
    first.close()
    stored = data / TOKEN_FILE_NAME
    assert stored.read_text() == f"{token}\n"
    assert (mode(data), mode(stored)) == (0o700, 0o600)
    second = LocalChime(Settings(data_dir=data, auth="verify"))
    try:
        assert second.settings.control_token == token
        assert second.control_token.where == f"generated, stored in {stored} (mode 0600)"
    finally:
        second.close()


def test_the_token_comes_from_a_file_so_it_never_shows_in_the_process_list(
    tmp_path: Path,
) -> None:
    secret = tmp_path / "token"
    secret.write_text("from-a-file-0123456789\n")
    app = LocalChime(Settings(ephemeral=True, auth="verify", control_token_file=str(secret)))
    try:
        chime = InProcessChime(app)
        assert control(chime, "POST", "reset") == 401
        assert control(chime, "POST", "reset", "from-a-file-0123456789") == 200
        assert app.control_token.where == f"read from {secret}"
    finally:
        app.close()


def test_clients_find_the_token_as_the_server_keeps_it(tmp_path: Path) -> None:
    (tmp_path / TOKEN_FILE_NAME).write_text("in-the-data-dir\n")
    named = tmp_path / "named"
    named.write_text("in-a-named-file\n")
    assert client_token({"LOCALCHIME_DATA_DIR": str(tmp_path)}) == "in-the-data-dir"
    assert (
        client_token(
            {"LOCALCHIME_DATA_DIR": str(tmp_path), "LOCALCHIME_CONTROL_TOKEN_FILE": str(named)}
        )
        == "in-a-named-file"
    )
    assert (
        client_token(
            {"LOCALCHIME_CONTROL_TOKEN": "in-the-env", "LOCALCHIME_DATA_DIR": str(tmp_path)}
        )
        == "in-the-env"
    )
    assert client_token({"LOCALCHIME_DATA_DIR": str(tmp_path / "none")}) is None


def test_mock_chime_under_verify_sends_the_token_itself() -> None:
    from localchime.testing.mock import mock_chime

    with mock_chime(auth="verify") as chime:
        assert chime.control("GET", "clock")["OffsetSeconds"] == 0


def test_a_server_under_verify_makes_a_token_says_where_and_the_cli_finds_it(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    server = ServerChime("--data-dir", str(data), "--auth", "verify").start()
    try:
        assert server.control("POST", "credentials").status == 401
        env = {**os.environ, "LOCALCHIME_DATA_DIR": str(data)}
        env.pop("LOCALCHIME_CONTROL_TOKEN", None)
        result = subprocess.run(
            [*LOCALCHIME, "clock", "show", "--endpoint", server.endpoint],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["OffsetSeconds"] == 0
    finally:
        code, stderr = server.stop()
    assert code == 0
    stored = data / TOKEN_FILE_NAME
    assert f"localchime: control token generated, stored in {stored} (mode 0600)\n" in stderr
    assert stored.read_text().strip() not in stderr


def test_auth_off_refuses_to_listen_beyond_loopback_without_a_token() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOCALCHIME_")}
    result = subprocess.run(
        [*LOCALCHIME, "serve", "--ephemeral", "--host", "0.0.0.0", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert (result.returncode, result.stderr) == (
        2,
        "localchime: --host 0.0.0.0 with --auth off and no control token would let anyone on "
        "the network mint credentials, move the clock and reset; set --control-token-file or "
        "--auth verify, or pass --insecure-bind to accept that\n",
    )


def test_insecure_bind_listens_beyond_loopback_and_says_the_risk() -> None:
    server = ServerChime("--ephemeral", "--host", "0.0.0.0", "--insecure-bind").start()
    code, stderr = server.stop()
    assert code == 0
    assert (
        "localchime: WARNING: listening on 0.0.0.0 with no control token: anyone who reaches "
        "this port can use /_localchime (credentials, clock, reset, handlers)\n"
    ) in stderr


# --- break 9: files that hold secrets are the owner's alone ------------------------------------


def test_the_data_dir_is_0700_and_the_database_files_0600(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    (data / "localchime.db").touch(mode=0o644)
    os.chmod(data / "localchime.db", 0o644)
    app = LocalChime(Settings(data_dir=data))
    try:
        with app.store.write():
            pass
        files = sorted(p.name for p in data.iterdir())
        assert files == ["localchime.db", "localchime.db-shm", "localchime.db-wal"]
        assert mode(data) == 0o700
        assert {name: mode(data / name) for name in files} == dict.fromkeys(files, 0o600)
    finally:
        app.close()


def test_a_bad_token_file_is_named_with_its_rule(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.write_text("\n")
    with pytest.raises(SettingError) as caught:
        LocalChime(Settings(ephemeral=True, control_token_file=str(empty)))
    assert str(caught.value) == (
        f"LOCALCHIME_CONTROL_TOKEN_FILE must name a file holding the token on one line; got {empty}"
    )
