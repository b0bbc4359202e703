"""pytest plugin (auto-loaded once localchime is installed): in-process fixtures for user tests.

def test_order(localchime_client):
    localchime_client.create_phone_number_order(...)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from localchime.app import LocalChime
from localchime.config import Settings
from localchime.testing.mock import in_process_client


@pytest.fixture
def localchime_app() -> Iterator[LocalChime]:
    """A fresh, in-memory localchime for one test."""
    app = LocalChime(Settings(ephemeral=True))
    yield app
    app.close()


@pytest.fixture
def localchime_client(localchime_app: LocalChime) -> Any:
    """A boto3 chime-sdk-voice client served in-process by `localchime_app`."""
    return in_process_client(localchime_app)
