"""Storage: the database, its units of work, prepared statements, migrations and the platform's
tables (settings, clock, timers). Each family keeps its own tables and repository."""

from localchime.store import timers
from localchime.store.database import Store

__all__ = ["Store", "timers"]
