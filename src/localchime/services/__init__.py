"""Service operations, one module per resource family. Importing this package registers them."""

from localchime.services import orders, phone_numbers  # noqa: F401
from localchime.services.registry import HANDLERS, implemented_operations

__all__ = ["HANDLERS", "implemented_operations"]
