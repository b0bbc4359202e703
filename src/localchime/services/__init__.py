"""Service operations, one module per resource family. Importing this package registers them."""

from localchime.services import (  # noqa: F401
    countries,
    deletion,
    e911,
    orders,
    phone_numbers,
    search,
    settings,
)
from localchime.services.registry import HANDLERS, implemented_operations

__all__ = ["HANDLERS", "implemented_operations"]
