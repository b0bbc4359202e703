"""localchime: a self-hosted, wire-compatible Amazon Chime SDK Voice service."""

__version__ = "0.1.0"
