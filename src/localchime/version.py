"""localchime's version, in a module of its own so that anything may import it without
importing the package's other modules."""

__version__ = "0.1.0"
