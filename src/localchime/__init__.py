"""localchime: a self-hosted, wire-compatible Amazon Chime SDK Voice service.

`from localchime import mock_chime` serves chime-sdk-voice in process for tests (moto's idiom);
it is imported on first use, so running the server never loads it.
"""

from typing import Any

from localchime.version import __version__

__all__ = ["__version__", "mock_chime"]


def __getattr__(name: str) -> Any:
    if name == "mock_chime":
        from localchime.testing.mock import mock_chime

        return mock_chime
    raise AttributeError(f"module 'localchime' has no attribute {name!r}")
