"""Alembic migrations, run from code: no alembic.ini is needed to upgrade a database."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection

if TYPE_CHECKING:
    from alembic.config import Config

SCRIPT_LOCATION = str(Path(__file__).parent)
_SCRIPT_NAME = re.compile(r"(\d{4})_\w+\.py")
HEAD = max(
    found[1]
    for path in (Path(__file__).parent / "versions").iterdir()
    if (found := _SCRIPT_NAME.fullmatch(path.name))
)
"""The newest revision, read from the script names (`0005_voice_connectors.py` is revision
0005), so adding a migration touches no other file. Startup compares the database with it before
importing Alembic at all; `tests/test_migrations.py` checks that it is Alembic's own head."""


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.attributes["connection"] = connection
    return config


def upgrade(connection: Connection) -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), "head")
