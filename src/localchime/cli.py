"""The `localchime` command: `serve`, `coverage`, and the commands that drive a running server
through its control API (`clock`, `porting`, `call`, `faults`, `e911`, `credentials`, …).

A control command is thin: `@_serves("route-name")` says which declared control route it calls,
and `_send` builds the request from that route's declaration (`core.control.RouteSpec`), loaded
from the registry only when a command runs, so `localchime --help` stays fast. Paths, methods and
body keys live in the route's declaration, not here (`tests/test_control_routes.py`).

Every error is one line on stderr, `localchime: …`, with no traceback and a non-zero exit code:
2 for a usage or configuration error, 1 for anything else.
"""

from __future__ import annotations

import contextlib
import errno
import http.client
import json
import logging
import os
import socket
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlsplit

import click
import orjson
from click.core import ParameterSource
from sqlalchemy.engine import make_url

from localchime.config import BOOTSTRAP_FORM, ENV_PREFIX, SettingError, Settings
from localchime.control.client import DEFAULT_ENDPOINT, ControlClientError, call, parse_duration
from localchime.core.reach import is_loopback

if TYPE_CHECKING:
    from localchime.app import LocalChime
    from localchime.core.control import RouteSpec

F = Callable[..., Any]
SERVES: dict[F, tuple[str, ...]] = {}
"""Each control command's callback → the names of the control routes it calls."""


class CliError(click.ClickException):
    """An error shown as one line, `localchime: MESSAGE`; the command exits 1."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"localchime: {_first_line(self.format_message())}", file=file, err=True)


class CliUsageError(CliError):
    """A usage or configuration error: one line as well, and exit code 2, as click's own."""

    exit_code = 2


class _Cli(click.Group):
    """The top-level group: it calls itself `localchime` however it was started (`python -m`
    too), and turns click's own errors (an unknown option, a missing argument, …) into one line
    with a pointer to the command's help."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        if len(args) < 2 and kwargs.get("prog_name") is None:
            kwargs["prog_name"] = "localchime"
        return super().main(*args, **kwargs)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        with _one_line_errors():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        # A subcommand parses its arguments in here, so its errors pass through too.
        with _one_line_errors():
            return super().invoke(ctx)


@contextlib.contextmanager
def _one_line_errors() -> Iterator[None]:
    try:
        yield
    except CliError:
        raise
    except click.UsageError as error:
        if type(error).__name__ == "NoArgsIsHelpError":
            raise  # click >= 8.2 shows a group's help when it is run bare: not an error to reword
        raise _from_usage_error(error) from None
    except click.ClickException as error:
        raise CliError(error.format_message()) from None


def _from_usage_error(error: click.UsageError) -> CliUsageError:
    message = _first_line(error.format_message()).removesuffix(".")
    if error.ctx is not None:
        message += f" (see '{error.ctx.command_path} -h')"
    return CliUsageError(message)


def _first_line(text: object) -> str:
    lines = [line.strip() for line in str(text).strip().splitlines()]
    return lines[0] if lines else ""


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="localchime")
def main() -> None:
    """A self-hosted, wire-compatible Amazon Chime SDK Voice service."""


@main.command(short_help="Serve the Chime SDK Voice API and the control API.")
@click.option(
    "--host",
    default=None,
    help="Address to listen on.  [env var: LOCALCHIME_HOST; default: 127.0.0.1]",
)
@click.option(
    "--port",
    type=int,
    default=None,
    help="Port to listen on, 0 to 65535; 0 picks a free port. "
    " [env var: LOCALCHIME_PORT; default: 4575]",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Directory that holds the SQLite database, localchime.db; created if missing. "
    " [env var: LOCALCHIME_DATA_DIR; default: ./.localchime]",
)
@click.option(
    "--database-url",
    default=None,
    help="A postgresql:// URL, to share one database between replicas instead of SQLite. "
    " [env var: LOCALCHIME_DATABASE_URL]",
)
@click.option(
    "--ephemeral",
    is_flag=True,
    default=None,
    help="Keep everything in memory and write nothing to disk.  [env var: LOCALCHIME_EPHEMERAL]",
)
@click.option(
    "--quota-profile",
    type=click.Choice(["lenient", "aws"]),
    default=None,
    help="Quotas to enforce: lenient enforces none, aws enforces AWS's default quotas. "
    " [env var: LOCALCHIME_QUOTA_PROFILE; default: lenient]",
)
@click.option(
    "--auth",
    type=click.Choice(["off", "verify"]),
    default=None,
    help="Authentication: off accepts any credentials; verify checks SigV4 signatures against "
    "registered credentials and enforces their policies."
    "  [env var: LOCALCHIME_AUTH; default: off]",
)
@click.option(
    "--control-token",
    default=None,
    help="Require 'Authorization: Bearer TOKEN' on every /_localchime path but health; shows "
    "in the process list, so prefer --control-token-file.  [env var: LOCALCHIME_CONTROL_TOKEN]",
)
@click.option(
    "--control-token-file",
    default=None,
    help="A file (mode 0600) holding the control token. With --auth verify and no token the "
    "server makes one in DATA_DIR/control-token.  [env var: LOCALCHIME_CONTROL_TOKEN_FILE]",
)
@click.option(
    "--insecure-bind",
    is_flag=True,
    default=None,
    help="Allow a --host beyond loopback with --auth off and no control token, leaving the "
    "control API open to the network.  [env var: LOCALCHIME_INSECURE_BIND]",
)
@click.option(
    "--handler-path",
    multiple=True,
    type=click.Path(file_okay=False, exists=True),
    help="A directory Python handlers registered through the control API may be imported "
    "from; repeatable. Default: any module with --auth off, none with --auth verify. "
    " [env var: LOCALCHIME_HANDLER_PATH, joined by the path separator]",
)
@click.option(
    "--invoke-allow",
    default=None,
    help="Hosts an InvokeUrl or LOCALCHIME_LAMBDA_ENDPOINT may name, comma-separated: names, "
    "addresses, CIDR blocks, loopback or *.  [env var: LOCALCHIME_INVOKE_ALLOW; default: loopback]",
)
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"]),
    default=None,
    help="What the server logs.  [env var: LOCALCHIME_LOG_LEVEL; default: warning]",
)
@click.option(
    "--access-log/--no-access-log",
    default=None,
    help="Log one line per request (method, operation, status, duration, request id, account) "
    "at INFO; never secrets, phone numbers or addresses.  [env var: LOCALCHIME_ACCESS_LOG]",
)
def serve(**options: Any) -> None:
    """Serve the Chime SDK Voice API and the /_localchime control API until Ctrl-C or SIGTERM.

    Other knobs are environment variables only (LOCALCHIME_ORDER_FULFILMENT_SECONDS and more);
    see docs/configuration.md.
    """
    settings = _settings(options)
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # Only --access-log turns request lines on, whatever the log level.
    access = logging.INFO if settings.access_log else logging.WARNING
    logging.getLogger("localchime.access").setLevel(access)
    _check_bootstrap_credentials(settings)
    _check_token_file(settings, options)
    _check_exposure(settings)
    # Bind before the database is opened, so a port in use leaves no data directory behind.
    sock = _listen(settings)
    _check_data_dir(settings)
    app = _open(settings)
    if app.control_token.value:
        click.echo(f"localchime: control token {app.control_token.where}", err=True)
    _run(app, sock)


def _check_token_file(settings: Settings, options: dict[str, Any]) -> None:
    from localchime.control.token import read_token_file

    if settings.control_token_file is None:
        return
    try:
        read_token_file(Path(settings.control_token_file), "control_token_file")
    except SettingError as error:
        flag = options.get("control_token_file") is not None
        source = "--control-token-file" if flag else ENV_PREFIX + "CONTROL_TOKEN_FILE"
        raise CliUsageError(error.message(source)) from None


def _check_exposure(settings: Settings) -> None:
    """With `--auth off` and no token the control API is open: fine on loopback, where only
    this machine reaches it; anywhere else only when asked for, and said out loud."""
    open_control = settings.auth == "off" and not (
        settings.control_token or settings.control_token_file
    )
    if not open_control or is_loopback(settings.host):
        return
    if not settings.insecure_bind:
        raise CliUsageError(
            f"--host {settings.host} with --auth off and no control token would let anyone on "
            "the network mint credentials, move the clock and reset; set --control-token-file "
            "or --auth verify, or pass --insecure-bind to accept that"
        )
    click.echo(
        f"localchime: WARNING: listening on {settings.host} with no control token: anyone who "
        "reaches this port can use /_localchime (credentials, clock, reset, handlers)",
        err=True,
    )


def _settings(options: dict[str, Any]) -> Settings:
    """Each option is named after its Settings field; a flag left out (None) keeps what the
    environment or the default says. An error names the flag or the variable that set it."""
    paths = options.pop("handler_path", ())
    if paths:
        options["handler_path"] = os.pathsep.join(str(Path(p).resolve()) for p in paths)
    try:
        return Settings.from_env(**options)
    except SettingError as error:
        from_flag = options.get(error.name) is not None
        source = (
            "--" + error.name.replace("_", "-") if from_flag else ENV_PREFIX + error.name.upper()
        )
        raise CliUsageError(error.message(source)) from None
    except ValueError as error:
        raise CliUsageError(str(error)) from None


def _check_bootstrap_credentials(settings: Settings) -> None:
    """Settings checked the form; the parts follow the control API's rules for credentials."""
    if not settings.bootstrap_credentials:
        return
    from localchime.auth.credentials import new_credential
    from localchime.core.control import ControlError

    keys = ("AccessKeyId", "SecretAccessKey", "AccountId", "PrincipalName")
    parts = settings.bootstrap_credentials.split(":")
    document = {"PrincipalName": "bootstrap"} | dict(zip(keys, parts, strict=False))
    try:
        new_credential(document)
    except ControlError as error:
        variable = ENV_PREFIX + "BOOTSTRAP_CREDENTIALS"
        raise CliUsageError(f"{variable} ({BOOTSTRAP_FORM}): {error.message}") from None


def _listen(settings: Settings) -> socket.socket:
    from localchime.server import bind_socket

    try:
        return bind_socket(settings.host, settings.port)
    except OSError as error:
        address = f"[{settings.host}]" if ":" in settings.host else settings.host
        raise CliError(
            f"cannot listen on {address}:{settings.port}: {_bind_failure(error)}"
        ) from None


def _bind_failure(error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return "the port is already in use; --port 0 picks a free port"
    return error.strerror or str(error)


def _check_data_dir(settings: Settings) -> None:
    """SQLite would only say "unable to open database file"; say which directory and why."""
    if settings.database_url or settings.ephemeral:
        return
    problem = _data_dir_problem(settings.data_dir)
    if problem is not None:
        raise CliError(problem)


def _data_dir_problem(data_dir: Path) -> str | None:
    if not os.path.exists(data_dir):
        return _uncreatable(data_dir)
    if not os.path.isdir(data_dir):
        return f"data directory {data_dir} is not a directory"
    if not os.access(data_dir, os.W_OK | os.X_OK):
        return f"data directory {data_dir} is not writable"
    database = data_dir / "localchime.db"
    if os.path.exists(database) and not os.access(database, os.W_OK):
        return f"database file {database} is not writable"
    return None


def _uncreatable(data_dir: Path) -> str | None:
    """Why the missing data_dir could not be created, or None if it can be."""
    ancestor = next(path for path in data_dir.absolute().parents if os.path.exists(path))
    if not os.path.isdir(ancestor):
        return f"cannot create data directory {data_dir}: {ancestor} is not a directory"
    if not os.access(ancestor, os.W_OK | os.X_OK):
        return f"cannot create data directory {data_dir}: {ancestor} is not writable"
    return None


def _open(settings: Settings) -> LocalChime:
    from localchime.app import LocalChime

    try:
        return LocalChime(settings)
    except Exception as error:
        shown = make_url(settings.storage_url).render_as_string(hide_password=True)
        raise CliError(
            f"cannot open {shown}: {_first_line(error) or type(error).__name__}"
        ) from None


def _run(app: LocalChime, sock: socket.socket) -> None:
    import uvloop

    from localchime.server import serve as run_server

    try:
        uvloop.run(run_server(app, sock=sock))
    except KeyboardInterrupt:
        pass
    finally:
        app.close()


@main.command(short_help="List the Chime SDK Voice operations that are implemented.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON instead of text.")
def coverage(as_json: bool) -> None:
    """List which Chime SDK Voice operations are implemented and which answer 501."""
    from localchime.coverage import coverage_report, coverage_text

    if as_json:
        click.echo(orjson.dumps(coverage_report(), option=orjson.OPT_INDENT_2).decode())
    else:
        click.echo(coverage_text())


def _check_endpoint(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """`localhost:4590` parses as scheme `localhost`; urllib would only say "unknown url type"."""
    try:
        parts = urlsplit(value)
        usable = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        usable = False
    if usable:
        return value
    from_env = param.name is not None and (
        ctx.get_parameter_source(param.name) is ParameterSource.ENVIRONMENT
    )
    source = "LOCALCHIME_ENDPOINT" if from_env else "--endpoint"
    if "://" not in value:
        raise CliUsageError(f"{source} {value!r} is not a URL; did you mean http://{value}?")
    raise CliUsageError(
        f"{source} {value!r} is not an http:// or https:// URL such as {DEFAULT_ENDPOINT}"
    )


ENDPOINT = click.option(
    "--endpoint",
    envvar="LOCALCHIME_ENDPOINT",
    default=DEFAULT_ENDPOINT,
    show_default=True,
    show_envvar=True,
    callback=_check_endpoint,
    help="URL of the running localchime to talk to.",
)


def _serves(*routes: str) -> Callable[[F], F]:
    """Marks a command's callback as the CLI of the control routes named `routes`."""

    def mark(callback: F) -> F:
        SERVES[callback] = routes
        return callback

    return mark


@cache
def _routes() -> tuple[RouteSpec, ...]:
    """Every control route's declaration; imports the registry, so only when a command runs."""
    from localchime.registry import load

    return tuple(route.spec for route in load().routes if route.spec is not None)


def _send(endpoint: str, route: str, **values: Any) -> Any:
    """Calls the control route named `route` with `values` keyed by its declared field names."""
    from localchime.core.control import request_for, route_named

    method, path, document = request_for(route_named(_routes(), route), values)
    return _call(endpoint, method, path, document)


def _print_send(endpoint: str, route: str, **values: Any) -> None:
    click.echo(json.dumps(_send(endpoint, route, **values), indent=2))


def _call(endpoint: str, method: str, path: str, document: object) -> Any:
    """The control API's answer; the control token comes from LOCALCHIME_CONTROL_TOKEN."""
    try:
        return call(endpoint, method, path, document)
    except ControlClientError as error:
        raise CliError(str(error)) from None
    except json.JSONDecodeError:
        raise CliError(f"{endpoint} did not answer JSON; is it a localchime server?") from None
    except (OSError, ValueError, http.client.HTTPException) as error:
        # A connection dropped or timed out mid-answer, past what the client reports itself.
        reason = _first_line(error) or type(error).__name__
        raise CliError(f"cannot reach localchime at {endpoint}: {reason}") from None


@main.command(short_help="Wipe all state of a running localchime.")
@ENDPOINT
@_serves("reset")
def reset(endpoint: str) -> None:
    """Wipe all state of the running localchime; its clock returns to real time."""
    _print_send(endpoint, "reset")


@main.command(short_help="Check that a running localchime answers.")
@ENDPOINT
@_serves("health")
def health(endpoint: str) -> None:
    """Print the health of the running localchime as JSON; exit 1 if it cannot be reached."""
    _print_send(endpoint, "health")


@main.group(short_help="Show or move the service clock of a running localchime.")
def clock() -> None:
    """Show or move the service clock of a running localchime."""


@clock.command("show", short_help="Print the service clock.")
@ENDPOINT
@_serves("clock-show")
def clock_show(endpoint: str) -> None:
    """Print the service clock: the time now and its offset from real time, in seconds."""
    _print_send(endpoint, "clock-show")


@clock.command("advance", short_help="Move the clock forward by a duration.")
@click.argument("duration")
@ENDPOINT
@_serves("clock-move")
def clock_advance(duration: str, endpoint: str) -> None:
    """Move the clock forward by DURATION, such as 90s, 15m, 2h, 3d, 1w or 1d12h. Every
    transition due by then has run when it answers."""
    try:
        seconds = parse_duration(duration)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="DURATION") from None
    _print_send(endpoint, "clock-move", AdvanceSeconds=seconds)


@clock.command("set", short_help="Set the clock to a moment.")
@click.argument("moment")
@ENDPOINT
@_serves("clock-move")
def clock_set(moment: str, endpoint: str) -> None:
    """Set the clock to MOMENT, an ISO 8601 time such as 2030-01-01T00:00:00Z. Every transition
    due by then has run when it answers."""
    _print_send(endpoint, "clock-move", Set=moment)


@main.group(short_help="Open and drive porting orders.")
def porting() -> None:
    """Open and drive porting orders, the stand-in for AWS's port-in support case."""


@porting.command("create", short_help="Open a porting order.")
@click.option("--account", required=True, help="The 12-digit AWS account id the numbers port into.")
@click.option(
    "--region", default="us-east-1", show_default=True, help="The AWS Region the numbers port into."
)
@click.option(
    "--product-type",
    type=click.Choice(["VoiceConnector", "SipMediaApplicationDialIn"]),
    required=True,
    help="The product the numbers will serve once ported.",
)
@click.option(
    "--number",
    "numbers",
    multiple=True,
    required=True,
    help="A number to port, in E.164 form such as +12065550100; repeat the option for more.",
)
@click.option(
    "--foc-date", default=None, help="The requested FOC date (the day the numbers move), ISO 8601."
)
@click.option("--name", default=None, help="A name for the order, shown as its Name.")
@click.option(
    "--scenario",
    type=click.Choice(["happy-path"]),
    default=None,
    help="A simulated carrier: happy-path confirms a FOC date, then ports the numbers, "
    "as the service clock moves.",
)
@ENDPOINT
@_serves("porting-create")
def porting_create(
    account: str,
    region: str,
    product_type: str,
    numbers: tuple[str, ...],
    foc_date: str | None,
    name: str | None,
    scenario: str | None,
    endpoint: str,
) -> None:
    """Open a porting order and print it; it starts Submitted."""
    _print_send(
        endpoint,
        "porting-create",
        AccountId=account,
        Region=region,
        ProductType=product_type,
        E164PhoneNumbers=list(numbers),
        RequestedFocDate=foc_date,
        Name=name,
        Scenario=scenario,
    )


@porting.command("event", short_help="Apply a carrier event to a porting order.")
@click.argument("order_id")
@click.argument("event")
@click.option(
    "--foc-date",
    default=None,
    help="The FOC date, ISO 8601, for confirm-foc, request-change or change-accepted.",
)
@ENDPOINT
@_serves("porting-event")
def porting_event(order_id: str, event: str, foc_date: str | None, endpoint: str) -> None:
    """Apply EVENT to the porting order ORDER_ID, as the carrier or AWS support would.

    \b
    EVENT is one of: request-documents, documents-received, confirm-foc,
    request-change, change-accepted, raise-exception, resolve, cancel.
    """
    _print_send(endpoint, "porting-event", id=order_id, Event=event, FocDate=foc_date or None)


@porting.command("show", short_help="Print a porting order and the events it allows.")
@click.argument("order_id")
@ENDPOINT
@_serves("porting-show")
def porting_show(order_id: str, endpoint: str) -> None:
    """Print the porting order ORDER_ID and the events it allows now."""
    _print_send(endpoint, "porting-show", id=order_id)


@porting.command("history", short_help="Print a porting order's transitions.")
@click.argument("order_id")
@ENDPOINT
@_serves("porting-history")
def porting_history(order_id: str, endpoint: str) -> None:
    """Print the transitions of the porting order ORDER_ID, with their times."""
    _print_send(endpoint, "porting-history", id=order_id)


@main.group("call", short_help="Place simulated PSTN calls and act as the caller.")
def call_group() -> None:
    """Place simulated PSTN audio calls and act as the caller or the callee, to click through
    an IVR by hand. Each command answers once the handler has had every event, and prints the
    call as a transcript (or --json)."""


AS_JSON = click.option("--json", "as_json", is_flag=True, help="Print the whole call as JSON.")
LEG = click.option(
    "--leg",
    type=click.Choice(["LEG-A", "LEG-B"]),
    default="LEG-A",
    show_default=True,
    help="The participant: LEG-A is the caller; LEG-B the far end of a CallAndBridge.",
)


@call_group.command("inbound", short_help="Dial a number that a SIP rule routes.")
@click.option("--from", "from_number", required=True, help="The caller's number, E.164.")
@click.option("--to", "to_number", required=True, help="The number dialled, a SIP rule's trigger.")
@click.option(
    "--header",
    "headers",
    multiple=True,
    help="A SIP header as NAME=VALUE (x-… , User-to-User or Diversion); repeat for more.",
)
@AS_JSON
@ENDPOINT
@_serves("call-place")
def call_inbound(
    from_number: str, to_number: str, headers: tuple[str, ...], as_json: bool, endpoint: str
) -> None:
    """Place an inbound PSTN call to --to, as a caller at --from; print the call."""
    sip_headers = dict(_header(h) for h in headers) if headers else None
    placed = _send(endpoint, "call-place", From=from_number, To=to_number, SipHeaders=sip_headers)
    _show_call(placed["Call"], as_json)


@call_group.command("press", short_help="Press keys on a call.")
@click.argument("transaction_id")
@click.argument("digits")
@LEG
@AS_JSON
@ENDPOINT
@_serves("call-event")
def call_press(transaction_id: str, digits: str, leg: str, as_json: bool, endpoint: str) -> None:
    """Press DIGITS (0-9, *, #, A-D) on the call TRANSACTION_ID."""
    _call_event(endpoint, transaction_id, "digits", leg, as_json, Digits=digits)


@call_group.command("answer", short_help="Answer a ringing leg.")
@click.argument("transaction_id")
@LEG
@AS_JSON
@ENDPOINT
@_serves("call-event")
def call_answer(transaction_id: str, leg: str, as_json: bool, endpoint: str) -> None:
    """Pick up a ringing leg of TRANSACTION_ID: the callee of an outbound call (LEG-A) or of a
    CallAndBridge (LEG-B)."""
    _call_event(endpoint, transaction_id, "answer", leg, as_json)


@call_group.command("refuse", short_help="Refuse a ringing leg: busy or no answer.")
@click.argument("transaction_id")
@click.option("--busy", "event", flag_value="busy", default=True, help="Busy (486), the default.")
@click.option("--no-answer", "event", flag_value="no-answer", help="No answer (480).")
@LEG
@AS_JSON
@ENDPOINT
@_serves("call-event")
def call_refuse(transaction_id: str, event: str, leg: str, as_json: bool, endpoint: str) -> None:
    """Let a ringing leg of TRANSACTION_ID be busy or go unanswered."""
    _call_event(endpoint, transaction_id, event, leg, as_json)


@call_group.command("hangup", short_help="Hang up a participant.")
@click.argument("transaction_id")
@LEG
@AS_JSON
@ENDPOINT
@_serves("call-event")
def call_hangup(transaction_id: str, leg: str, as_json: bool, endpoint: str) -> None:
    """Hang up the caller (or --leg LEG-B) of the call TRANSACTION_ID."""
    _call_event(endpoint, transaction_id, "hangup", leg, as_json)


@call_group.command("show", short_help="Print a call.")
@click.argument("transaction_id")
@AS_JSON
@ENDPOINT
@_serves("call-show")
def call_show(transaction_id: str, as_json: bool, endpoint: str) -> None:
    """Print the call TRANSACTION_ID: each event, what the handler answered, what was heard."""
    _show_call(_send(endpoint, "call-show", TransactionId=transaction_id), as_json)


@call_group.command("list", short_help="List the newest calls.")
@ENDPOINT
@_serves("call-list")
def call_list(endpoint: str) -> None:
    """Print the newest 100 calls, newest first, one per line."""
    for summary in _send(endpoint, "call-list")["Calls"]:
        click.echo(
            f"{summary['TransactionId']}  {summary['StartTime']}  {summary['Direction']:<8} "
            f"{summary['From']} -> {summary['To']}  {summary['Status']}"
        )


@call_group.command("register", short_help="Say where the handler of a Lambda ARN lives.")
@click.argument("function_arn")
@click.option("--url", default=None, help="A URL that takes each event as a JSON POST.")
@click.option("--handler", default=None, help="A Python function, package.module:function.")
@ENDPOINT
@_serves("function-register")
def call_register(function_arn: str, url: str | None, handler: str | None, endpoint: str) -> None:
    """Register the handler behind FUNCTION_ARN: a URL (a Lambda Runtime Interface Emulator's
    /2015-03-31/functions/function/invocations works) or a Python import path."""
    _print_send(
        endpoint,
        "function-register",
        FunctionArn=function_arn,
        InvokeUrl=url or None,
        Handler=handler or None,
    )


def _call_event(
    endpoint: str, transaction_id: str, event: str, leg: str, as_json: bool, **extra: str
) -> None:
    answer = _send(
        endpoint,
        "call-event",
        TransactionId=transaction_id,
        Event=event,
        ParticipantTag=leg,
        **extra,
    )
    _show_call(answer, as_json)


def _header(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name:
        raise click.BadParameter(f"{text!r} is not NAME=VALUE", param_hint="--header")
    return name, value


def _show_call(document: dict[str, Any], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(document, indent=2))
        return
    from localchime.families.pstn_audio.transcript import call_transcript

    click.echo(call_transcript(document))


@main.group(short_help="Make API calls fail or answer late, to test retries.")
def faults() -> None:
    """Fault rules: matching API calls get a modelled error or extra latency, so a client's
    retry and error handling can be tested (docs/control-api.md)."""


@faults.command("add", short_help="Add a fault rule.")
@click.option("--operation", default="*", show_default=True, help='An operation name, or "*".')
@click.option("--error", default=None, help="A modelled exception, e.g. ThrottledClientException.")
@click.option("--account", default=None, help="Only calls of this 12-digit account.")
@click.option("--probability", type=float, default=None, help="From 0 to 1; default 1.")
@click.option("--count", type=int, default=None, help="Hit at most this many calls.")
@click.option("--latency-ms", type=int, default=None, help="Delay each hit call this long.")
@ENDPOINT
@_serves("fault-add")
def faults_add(
    operation: str,
    error: str | None,
    account: str | None,
    probability: float | None,
    count: int | None,
    latency_ms: int | None,
    endpoint: str,
) -> None:
    """Add a fault rule and print it with its Id."""
    _print_send(
        endpoint,
        "fault-add",
        Operation=operation,
        Error=error,
        Account=account,
        Probability=probability,
        Count=count,
        LatencyMs=latency_ms,
    )


@faults.command("list", short_help="List the fault rules and their hits.")
@ENDPOINT
@_serves("fault-list")
def faults_list(endpoint: str) -> None:
    """Print the fault rules in the order they are tried, with their hit counts."""
    _print_send(endpoint, "fault-list")


@faults.command("clear", short_help="Remove one fault rule, or all.")
@click.argument("rule_id", required=False)
@ENDPOINT
@_serves("fault-remove", "fault-clear")
def faults_clear(rule_id: str | None, endpoint: str) -> None:
    """Remove the fault rule RULE_ID, or every rule without one."""
    if rule_id:
        _print_send(endpoint, "fault-remove", Id=rule_id)
    else:
        _print_send(endpoint, "fault-clear")


@call_group.command("functions", short_help="List the registered Lambda handlers.")
@ENDPOINT
@_serves("function-list")
def call_functions(endpoint: str) -> None:
    """Print every registered Lambda function and where its handler lives."""
    _print_send(endpoint, "function-list")


@call_group.command("unregister", short_help="Forget the handler of a Lambda ARN.")
@click.argument("function_arn")
@ENDPOINT
@_serves("function-unregister")
def call_unregister(function_arn: str, endpoint: str) -> None:
    """Forget the handler registered for FUNCTION_ARN; exit 1 if there is none."""
    _print_send(endpoint, "function-unregister", FunctionArn=function_arn)


def _json_value(_ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    if value is None:
        return None
    try:
        return json.loads(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not JSON", param=param) from None


@main.group("connector-call", short_help="Place calls through Voice Connectors.")
def connector_call() -> None:
    """Place, show and end calls through Voice Connectors, which voice analytics tasks
    analyse (docs/voice-analytics.md)."""


@connector_call.command("place", short_help="Place a call through a Voice Connector.")
@click.argument("voice_connector_id")
@click.option("--from", "from_number", required=True, help="The caller's number, E.164.")
@click.option("--to", "to_number", required=True, help="The number called, E.164.")
@click.option("--speaker", default=None, help="Labels the caller's voice: one label, one person.")
@click.option("--sentiment", default=None, help="positive, neutral (default) or negative.")
@click.option("--callee-speaker", default=None, help="Labels the callee's voice.")
@click.option("--callee-sentiment", default=None, help="positive, neutral or negative.")
@ENDPOINT
@_serves("connector-call-place")
def connector_call_place(
    voice_connector_id: str,
    from_number: str,
    to_number: str,
    speaker: str | None,
    sentiment: str | None,
    callee_speaker: str | None,
    callee_sentiment: str | None,
    endpoint: str,
) -> None:
    """Place a call in progress through VOICE_CONNECTOR_ID and print it with its
    TransactionId."""
    _print_send(
        endpoint,
        "connector-call-place",
        VoiceConnectorId=voice_connector_id,
        From=from_number,
        To=to_number,
        Speaker=speaker,
        Sentiment=sentiment,
        CalleeSpeaker=callee_speaker,
        CalleeSentiment=callee_sentiment,
    )


@connector_call.command("show", short_help="Print a call and its notifications.")
@click.argument("transaction_id")
@ENDPOINT
@_serves("connector-call-show")
def connector_call_show(transaction_id: str, endpoint: str) -> None:
    """Print the call TRANSACTION_ID and every notification its analytics tasks sent."""
    _print_send(endpoint, "connector-call-show", TransactionId=transaction_id)


@connector_call.command("hangup", short_help="End a call through a Voice Connector.")
@click.argument("transaction_id")
@ENDPOINT
@_serves("connector-call-hangup")
def connector_call_hangup(transaction_id: str, endpoint: str) -> None:
    """Hang up the call TRANSACTION_ID; its active analytics tasks settle."""
    _print_send(endpoint, "connector-call-hangup", TransactionId=transaction_id)


@main.group("voice-connector", short_help="Simulate what the network does to Voice Connectors.")
def voice_connector() -> None:
    """Simulate what AWS learns from the network about Voice Connectors."""


@voice_connector.command("ping", short_help="Ping a Voice Connector's termination.")
@click.argument("voice_connector_id")
@click.option("--source", required=True, help="The IP address the SIP OPTIONS ping comes from.")
@ENDPOINT
@_serves("termination-ping")
def voice_connector_ping(voice_connector_id: str, source: str, endpoint: str) -> None:
    """Record a SIP OPTIONS ping from --source at VOICE_CONNECTOR_ID's termination, now."""
    _print_send(endpoint, "termination-ping", VoiceConnectorId=voice_connector_id, Source=source)


@main.group(short_help="Pin ValidateE911Address outcomes.")
def e911() -> None:
    """Pin what ValidateE911Address answers for an exact address."""


@e911.command("pin", short_help="Pin the outcome for one address.")
@click.option(
    "--address",
    required=True,
    callback=_json_value,
    help="The address as JSON: StreetNumber, StreetInfo, City, State, Country, PostalCode.",
)
@click.option("--result", type=int, required=True, help="The ValidationResult: 0, 1 or 2.")
@click.option("--corrected-address", callback=_json_value, help="The Address to answer, as JSON.")
@click.option(
    "--candidates", callback=_json_value, help="The CandidateAddressList to answer, as JSON."
)
@ENDPOINT
@_serves("e911-pin")
def e911_pin(
    address: Any, result: int, corrected_address: Any, candidates: Any, endpoint: str
) -> None:
    """Pin the answer ValidateE911Address gives for --address."""
    _print_send(
        endpoint,
        "e911-pin",
        Address=address,
        ValidationResult=result,
        CorrectedAddress=corrected_address,
        CandidateAddressList=candidates,
    )


@e911.command("count", short_help="Count the pinned outcomes.")
@ENDPOINT
@_serves("e911-count")
def e911_count(endpoint: str) -> None:
    """Print how many addresses have a pinned outcome."""
    _print_send(endpoint, "e911-count")


@e911.command("clear", short_help="Remove every pinned outcome.")
@ENDPOINT
@_serves("e911-clear")
def e911_clear(endpoint: str) -> None:
    """Remove every pinned outcome; ValidateE911Address decides by its own rules again."""
    _print_send(endpoint, "e911-clear")


@main.group(short_help="Manage credentials and policies for --auth verify.")
def credentials() -> None:
    """Credentials and their identity policies, which --auth verify checks."""


@credentials.command("add", short_help="Register a credential.")
@click.option("--account", required=True, help="The 12-digit account it acts for.")
@click.option("--principal", required=True, help="Its user name, in its ARN.")
@click.option("--access-key-id", default=None, help="16-128 capitals and digits; else generated.")
@click.option("--secret-access-key", default=None, help="At least 16 characters; else generated.")
@ENDPOINT
@_serves("credential-add")
def credentials_add(
    account: str,
    principal: str,
    access_key_id: str | None,
    secret_access_key: str | None,
    endpoint: str,
) -> None:
    """Register a credential and print it, with its secret this once."""
    _print_send(
        endpoint,
        "credential-add",
        AccountId=account,
        PrincipalName=principal,
        AccessKeyId=access_key_id,
        SecretAccessKey=secret_access_key,
    )


@credentials.command("list", short_help="List the credentials.")
@ENDPOINT
@_serves("credential-list")
def credentials_list(endpoint: str) -> None:
    """Print every credential, without its secret."""
    _print_send(endpoint, "credential-list")


@credentials.command("remove", short_help="Remove a credential.")
@click.argument("access_key_id")
@ENDPOINT
@_serves("credential-remove")
def credentials_remove(access_key_id: str, endpoint: str) -> None:
    """Remove the credential ACCESS_KEY_ID and its policies."""
    _print_send(endpoint, "credential-remove", key=access_key_id)


@credentials.command("attach", short_help="Attach a policy to a credential.")
@click.argument("access_key_id")
@click.argument("policy_name")
@click.option("--document", required=True, help="The IAM policy document, as JSON.")
@ENDPOINT
@_serves("policy-attach")
def credentials_attach(access_key_id: str, policy_name: str, document: str, endpoint: str) -> None:
    """Attach the policy POLICY_NAME to ACCESS_KEY_ID, replacing one of that name."""
    _print_send(
        endpoint,
        "policy-attach",
        key=access_key_id,
        PolicyName=policy_name,
        PolicyDocument=document,
    )


@credentials.command("policies", short_help="List a credential's policies.")
@click.argument("access_key_id")
@ENDPOINT
@_serves("policy-list")
def credentials_policies(access_key_id: str, endpoint: str) -> None:
    """Print the policies attached to ACCESS_KEY_ID."""
    _print_send(endpoint, "policy-list", key=access_key_id)


@credentials.command("detach", short_help="Detach a policy from a credential.")
@click.argument("access_key_id")
@click.argument("policy_name")
@ENDPOINT
@_serves("policy-detach")
def credentials_detach(access_key_id: str, policy_name: str, endpoint: str) -> None:
    """Detach the policy POLICY_NAME from ACCESS_KEY_ID."""
    _print_send(endpoint, "policy-detach", key=access_key_id, name=policy_name)


if __name__ == "__main__":
    main()
