"""The `localchime` command: `serve` and `coverage`."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click
import orjson
from sqlalchemy.engine import make_url

from localchime.config import Settings


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
def serve(
    host: str | None,
    port: int | None,
    data_dir: Path | None,
    database_url: str | None,
    ephemeral: bool | None,
) -> None:
    """Serve the Chime SDK Voice API and the /_localchime control API."""
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        settings = Settings.from_env(
            host=host, port=port, data_dir=data_dir, database_url=database_url, ephemeral=ephemeral
        )
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


if __name__ == "__main__":
    main()
