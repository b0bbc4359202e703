"""Storage: SQLAlchemy Core tables, repositories and Alembic migrations, on SQLite or PostgreSQL."""

from localchime.store import e911, identities, orders, phone_numbers, porting, timers
from localchime.store.database import Store

__all__ = ["Store", "e911", "identities", "orders", "phone_numbers", "porting", "timers"]
