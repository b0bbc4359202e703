"""Alembic environment: always runs on the connection the Store hands over."""

from alembic import context

import localchime.registry  # noqa: F401  (importing the families puts their tables on metadata)
from localchime.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
