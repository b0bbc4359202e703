"""Alembic's scripts, the HEAD constant and the SQLAlchemy tables must agree."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from localchime.registry import load
from localchime.store import Store, migrations
from localchime.store.schema import metadata


def test_head_constant_matches_scripts() -> None:
    script = ScriptDirectory.from_config(migrations.alembic_config())
    assert script.get_current_head() == migrations.HEAD


def test_migrated_schema_matches_tables(tmp_path) -> None:  # type: ignore[no-untyped-def]
    load()  # every family's tables join the metadata
    store = Store(f"sqlite:///{tmp_path}/m.db")
    store.migrate()
    with store.read() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    store.close()
    assert diff == []


def test_migrate_is_idempotent_and_keeps_the_token_secret(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path}/m.db"
    first = Store(url)
    first.migrate()
    secret = first.meta_value("token_secret")
    first.close()
    second = Store(url)
    second.migrate()
    assert second.meta_value("token_secret") == secret
    second.close()


def test_each_script_is_named_after_its_revision() -> None:
    script = ScriptDirectory.from_config(migrations.alembic_config())
    for revision in script.walk_revisions():
        assert revision.path is not None
        assert Path(revision.path).name.startswith(f"{revision.revision}_")
