"""Issue 20, part A: the control API's credential, the files that hold secrets, and what the
server may reach on an operator's behalf (breaks 1, 2, 3, 8 and 9)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from localchime.app import LocalChime
from localchime.config import SettingError, Settings
from localchime.control.token import TOKEN_FILE_NAME, client_token
from tests.harness import InProcessChime, ServerChime
from tests.pstn_wiring import wire_dial_in
from tests.test_pstn_calls import DIAL_IN, arn, dial, wire

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


# --- break 2: a handler registered over HTTP cannot import anything or stop the server ---------

HANDLERS = """
import sys
import threading


def exits(event, context):
    sys.exit(3)


def interrupts(event, context):
    raise KeyboardInterrupt


def hangs(event, context):
    threading.Event().wait(10)


def hangs_up(event, context):
    return {"SchemaVersion": "1.0", "Actions": [{"Type": "Hangup", "Parameters": {}}]}
"""


@pytest.fixture(scope="module")
def handler_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory the operator lists with --handler-path, holding handlers that misbehave."""
    directory = tmp_path_factory.mktemp("handlers")
    (directory / "sec_a_handlers.py").write_text(HANDLERS)
    return directory


def registered(
    chime: InProcessChime, name: str, token: str | None = None, **where: object
) -> tuple[int, str]:
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    document = {"FunctionArn": arn(name), **where}
    response = chime.raw(
        "POST", "/_localchime/lambda-functions", json.dumps(document).encode(), headers
    )
    return response.status, response.json().get("message", "")


def test_a_handler_over_http_comes_only_from_the_handler_path(handler_dir: Path) -> None:
    app = LocalChime(Settings(ephemeral=True, handler_path=str(handler_dir)))
    try:
        chime = InProcessChime(app)
        assert registered(chime, "exits", Handler="unittest:main") == (
            400,
            "Handler 'unittest:main': unittest is not in the --handler-path directories; a "
            "handler registered through the control API is imported only from there",
        )
        assert registered(chime, "pin", Handler="tests.pstn_handlers:pin")[0] == 400
        assert registered(chime, "nothing", Handler="no_such_module_x:f") == (
            400,
            "Handler 'no_such_module_x:f': cannot import no_such_module_x: no module "
            "no_such_module_x in the --handler-path directories",
        )
        assert registered(chime, "exits", Handler="sec_a_handlers:exits") == (201, "")
    finally:
        app.close()


def test_verify_imports_no_handler_over_http_unless_a_handler_path_is_given() -> None:
    app = LocalChime(Settings(ephemeral=True, auth="verify"))
    try:
        chime = InProcessChime(app)
        status, message = registered(
            chime, "pin", app.settings.control_token, Handler="tests.pstn_handlers:pin"
        )
        assert (status, message) == (
            400,
            "Handler 'tests.pstn_handlers:pin': tests is not in no directory: --handler-path is "
            "unset; a handler registered through the control API is imported only from there",
        )
    finally:
        app.close()


@pytest.mark.parametrize(
    ("handler", "reason"),
    [
        ("exits", "raised SystemExit: 3"),
        ("interrupts", "raised KeyboardInterrupt"),
        ("hangs", "took over 0.2 s; the limit is 0.2 s"),
    ],
)
def test_a_handler_that_exits_interrupts_or_hangs_ends_the_call_as_a_failed_function(
    handler_dir: Path, handler: str, reason: str
) -> None:
    settings = Settings(
        ephemeral=True,
        handler_path=str(handler_dir),
        lambda_timeout_seconds=0.2,
        strict_output=True,
    )
    app = LocalChime(settings)
    try:
        chime = InProcessChime(app)
        wire(chime, chime.client(), handler, Handler=f"sec_a_handlers:{handler}")
        call = dial(chime)["Call"]
        failures = call["Invocations"][0]["Failures"]
        assert failures == [f"Handler sec_a_handlers:{handler} {reason}"] * 2
        assert call["Status"] == "Completed"
        assert call["Participants"][0]["SipResponseCode"] == 480
        assert control(chime, "GET", "health") == 200
    finally:
        app.close()


# --- break 3: the server reaches only the hosts the operator allows ---------------------------


def test_an_invoke_url_must_name_an_allowed_host() -> None:
    app = LocalChime(Settings(ephemeral=True))
    try:
        chime = InProcessChime(app)
        metadata = "http://169.254.169.254/latest/meta-data/"
        assert registered(chime, "meta", InvokeUrl=metadata) == (
            400,
            f"InvokeUrl must name a host on LOCALCHIME_INVOKE_ALLOW (loopback); got {metadata!r}",
        )
        assert registered(chime, "local", InvokeUrl="http://localhost:9/x")[0] == 201
        assert registered(chime, "local6", InvokeUrl="http://[::1]:9/x")[0] == 201
    finally:
        app.close()
    wider = LocalChime(Settings(ephemeral=True, invoke_allow="loopback,10.0.0.0/8,lambda.internal"))
    try:
        chime = InProcessChime(wider)
        assert registered(chime, "lan", InvokeUrl="http://10.1.2.3/x")[0] == 201
        assert registered(chime, "named", InvokeUrl="http://lambda.internal/x")[0] == 201
        assert registered(chime, "other", InvokeUrl="http://11.1.2.3/x")[0] == 400
    finally:
        wider.close()


def test_the_lambda_endpoint_must_name_an_allowed_host() -> None:
    with pytest.raises(SettingError) as caught:
        Settings(lambda_endpoint="http://169.254.169.254:4566")
    assert str(caught.value) == (
        "LOCALCHIME_LAMBDA_ENDPOINT must name a host on LOCALCHIME_INVOKE_ALLOW (default: "
        "loopback only); got 'http://169.254.169.254:4566'"
    )
    assert Settings(lambda_endpoint="http://localhost:4566").lambda_endpoint


def test_a_redirect_from_an_invoke_url_is_not_followed() -> None:
    reached: list[str] = []

    class Redirects(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{server.server_port}/secret")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            reached.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "6")
            self.end_headers()
            self.wfile.write(b"secret")

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirects)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    app = LocalChime(Settings(ephemeral=True, strict_output=True))
    try:
        chime = InProcessChime(app)
        url = f"http://127.0.0.1:{server.server_port}/invocations"
        wire(chime, chime.client(), "redirects", InvokeUrl=url)
        call = dial(chime)["Call"]
        assert (
            call["Invocations"][0]["Failures"]
            == [f"{url} answered HTTP 302; redirects are not followed"] * 2
        )
        assert reached == []
    finally:
        app.close()
        server.shutdown()


# --- break 8: an application invokes only functions its account may ---------------------------

OTHER = "444455556666"


@pytest.mark.parametrize("granted", [False, True])
def test_an_application_invokes_another_accounts_function_only_when_granted(
    granted: bool,
) -> None:
    app = LocalChime(Settings(ephemeral=True, strict_output=True))
    try:
        chime = InProcessChime(app)
        grant = {"AllowedAccounts": [OTHER]} if granted else {}
        status, _ = registered(chime, "hangs_up", Handler="tests.pstn_handlers:announce", **grant)
        assert status == 201
        wire_dial_in(chime, chime.client(OTHER), arn("hangs_up"), DIAL_IN)
        call = dial(chime)["Call"]
        if granted:
            assert call["Invocations"][0].get("Failures", []) == []
            assert "Answer" in call["Invocations"][0]
        else:
            assert (
                call["Invocations"][0]["Failures"]
                == [
                    f"AccessDenied: account {OTHER} may not invoke {arn('hangs_up')}; its "
                    "registration does not list the account in AllowedAccounts"
                ]
                * 2
            )
            assert call["Participants"][0]["SipResponseCode"] == 480
    finally:
        app.close()


def test_allowed_accounts_are_shown_and_checked() -> None:
    app = LocalChime(Settings(ephemeral=True))
    try:
        chime = InProcessChime(app)
        where = {"Handler": "tests.pstn_handlers:pin"}
        assert registered(chime, "pin", AllowedAccounts=["12345"], **where) == (
            400,
            "AllowedAccounts must be a list of 12-digit AWS account ids; got ['12345']",
        )
        assert registered(chime, "pin", AllowedAccounts=[OTHER, OTHER], **where) == (201, "")
        listed = chime.raw("GET", "/_localchime/lambda-functions").json()["LambdaFunctions"]
        assert listed == [
            {
                "FunctionArn": arn("pin"),
                "Handler": "tests.pstn_handlers:pin",
                "AllowedAccounts": [OTHER],
            }
        ]
    finally:
        app.close()
