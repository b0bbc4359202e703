"""Testing helpers: `mock_chime` serves chime-sdk-voice in process, and a pytest plugin."""

from localchime.testing.mock import (
    ControlCallError,
    InProcessBackend,
    LocalChimeMock,
    in_process_client,
    mock_chime,
)

__all__ = [
    "ControlCallError",
    "InProcessBackend",
    "LocalChimeMock",
    "in_process_client",
    "mock_chime",
]
