"""Alembic environment: always runs on the connection the Store hands over."""

from alembic import context

from localchime.registry import load
from localchime.store.schema import metadata

load()  # every family's tables join `metadata`, for autogenerate's comparison
connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
