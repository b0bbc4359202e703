"""Testing helpers: serve localchime in-process to boto3 clients, and a pytest plugin."""

from localchime.testing.mock import InProcessBackend, in_process_client

__all__ = ["InProcessBackend", "in_process_client"]
