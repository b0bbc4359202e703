"""The `localchime` command: `serve`, `coverage`, `clock` and `porting`."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import click
import orjson
from sqlalchemy.engine import make_url

from localchime.config import Settings
from localchime.control.client import DEFAULT_ENDPOINT, ControlClientError, call, parse_duration


@click.group()
@click.version_option(package_name="localchime")
def main() -> None:
    """A self-hosted, wire-compatible Amazon Chime SDK Voice service."""


@main.command()
@click.option("--host", default=None, help="Address to listen on [LOCALCHIME_HOST; 127.0.0.1]")
@click.option(
    "--port", type=int, default=None, help="Port; 0 picks a free one [LOCALCHIME_PORT; 4575]"
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the SQLite database lives [LOCALCHIME_DATA_DIR; ./.localchime]",
)
@click.option(
    "--database-url",
    default=None,
    help="postgresql://… to share one database between replicas [LOCALCHIME_DATABASE_URL]",
)
@click.option(
    "--ephemeral",
    is_flag=True,
    default=None,
    help="Keep everything in memory [LOCALCHIME_EPHEMERAL]",
)
@click.option(
    "--quota-profile",
    type=click.Choice(["lenient", "aws"]),
    default=None,
    help="lenient: no quotas; aws: AWS's default quotas [LOCALCHIME_QUOTA_PROFILE; lenient]",
)
@click.option(
    "--auth",
    type=click.Choice(["off", "verify"]),
    default=None,
    help="off: any credentials; verify: SigV4 and policies [LOCALCHIME_AUTH; off]",
)
@click.option(
    "--control-token",
    default=None,
    help="Require Authorization: Bearer TOKEN on /_localchime/* [LOCALCHIME_CONTROL_TOKEN]",
)
def serve(**options: Any) -> None:
    """Serve the Chime SDK Voice API and the /_localchime control API."""
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        # Each option is named after its Settings field; a flag left out (None) keeps what the
        # environment or the default says.
        settings = Settings.from_env(**options)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    import uvloop

    from localchime.app import LocalChime
    from localchime.server import serve as run_server

    try:
        app = LocalChime(settings)
    except Exception as exc:
        shown = make_url(settings.storage_url).render_as_string(hide_password=True)
        click.echo(f"localchime: cannot open {shown}: {_first_line(exc)}", err=True)
        sys.exit(1)
    try:
        uvloop.run(run_server(app))
    except OSError as exc:
        click.echo(f"localchime: cannot listen on {settings.host}:{settings.port}: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        pass
    finally:
        app.close()


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON")
def coverage(as_json: bool) -> None:
    """List which Chime SDK Voice operations are implemented."""
    from localchime.coverage import coverage_report, coverage_text

    if as_json:
        click.echo(orjson.dumps(coverage_report(), option=orjson.OPT_INDENT_2).decode())
    else:
        click.echo(coverage_text())


ENDPOINT = click.option(
    "--endpoint",
    envvar="LOCALCHIME_ENDPOINT",
    default=DEFAULT_ENDPOINT,
    show_default=True,
    help="The running localchime to talk to [LOCALCHIME_ENDPOINT]",
)


def _print_call(endpoint: str, method: str, path: str, document: object = None) -> None:
    try:
        result = call(endpoint, method, path, document)
    except ControlClientError as error:
        raise click.ClickException(str(error)) from None
    click.echo(json.dumps(result, indent=2))


@main.group()
def clock() -> None:
    """Show or move the service clock of a running localchime."""


@clock.command("show")
@ENDPOINT
def clock_show(endpoint: str) -> None:
    """Print the service clock."""
    _print_call(endpoint, "GET", "/clock")


@clock.command("advance")
@click.argument("duration")
@ENDPOINT
def clock_advance(duration: str, endpoint: str) -> None:
    """Move the clock forward by DURATION (90s, 15m, 2h, 3d, 1d12h); due transitions run."""
    try:
        seconds = parse_duration(duration)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="DURATION") from None
    _print_call(endpoint, "POST", "/clock", {"advance_seconds": seconds})


@clock.command("set")
@click.argument("moment")
@ENDPOINT
def clock_set(moment: str, endpoint: str) -> None:
    """Set the clock to MOMENT (ISO 8601, e.g. 2030-01-01T00:00:00Z)."""
    _print_call(endpoint, "POST", "/clock", {"set": moment})


@main.group()
def porting() -> None:
    """Open and drive porting orders (the stand-in for AWS's port-in support case)."""


@porting.command("create")
@click.option("--account", required=True, help="12-digit account id the numbers port into")
@click.option("--region", default="us-east-1", show_default=True)
@click.option(
    "--product-type",
    type=click.Choice(["VoiceConnector", "SipMediaApplicationDialIn"]),
    required=True,
)
@click.option("--number", "numbers", multiple=True, required=True, help="E.164; repeat for more")
@click.option("--foc-date", default=None, help="Requested FOC date, ISO 8601")
@click.option("--name", default=None)
@click.option("--scenario", type=click.Choice(["happy-path"]), default=None)
@ENDPOINT
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
    """Open a porting order; it starts Submitted."""
    document: dict[str, object] = {
        "AccountId": account,
        "Region": region,
        "ProductType": product_type,
        "E164PhoneNumbers": list(numbers),
    }
    optional = {"RequestedFocDate": foc_date, "Name": name, "scenario": scenario}
    document.update({k: v for k, v in optional.items() if v is not None})
    _print_call(endpoint, "POST", "/porting-orders", document)


@porting.command("event")
@click.argument("order_id")
@click.argument("event")
@click.option("--foc-date", default=None, help="FOC date for confirm-foc or a change, ISO 8601")
@ENDPOINT
def porting_event(order_id: str, event: str, foc_date: str | None, endpoint: str) -> None:
    """Apply EVENT (request-documents, confirm-foc, cancel, …) to a porting order."""
    document = {"event": event} | ({"foc_date": foc_date} if foc_date else {})
    _print_call(endpoint, "POST", f"/porting-orders/{order_id}/events", document)


@porting.command("show")
@click.argument("order_id")
@ENDPOINT
def porting_show(order_id: str, endpoint: str) -> None:
    """Print a porting order and the events it allows now."""
    _print_call(endpoint, "GET", f"/porting-orders/{order_id}")


@porting.command("history")
@click.argument("order_id")
@ENDPOINT
def porting_history(order_id: str, endpoint: str) -> None:
    """Print a porting order's transitions with their times."""
    _print_call(endpoint, "GET", f"/porting-orders/{order_id}/history")


if __name__ == "__main__":
    main()
