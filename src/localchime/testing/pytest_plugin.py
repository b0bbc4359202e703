"""pytest plugin (auto-loaded once localchime is installed): in-process fixtures for user tests.

    def test_order(localchime):                       # every chime-sdk-voice client is served
        my_app.order_numbers()                         # by an in-memory localchime
        localchime.advance(5)

    @pytest.mark.localchime(quota_profile="aws")       # settings overrides for one test
    def test_quota(localchime): ...

The fixtures read the `LOCALCHIME_*` environment variables like the server does; a
`localchime` marker, or `pytest.mark.parametrize("localchime", [{...}], indirect=True)`, overrides
them per test. The default account is 123456789012 (`localchime.account`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from localchime.app import LocalChime
from localchime.testing.mock import LocalChimeMock


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "localchime(**settings): settings overrides for the localchime fixture, e.g. "
        "quota_profile='aws' or order_fulfilment_seconds=0",
    )


@pytest.fixture
def localchime(request: pytest.FixtureRequest) -> Iterator[LocalChimeMock]:
    """An in-memory localchime serving every chime-sdk-voice client created during the test."""
    overrides: dict[str, Any] = {}
    for marker in reversed(list(request.node.iter_markers("localchime"))):
        overrides.update(marker.kwargs)
    overrides.update(getattr(request, "param", None) or {})
    with LocalChimeMock(**overrides) as mock:
        yield mock


@pytest.fixture
def localchime_app(localchime: LocalChimeMock) -> LocalChime:
    """The LocalChime behind the `localchime` fixture."""
    return localchime.app


@pytest.fixture
def localchime_client(localchime: LocalChimeMock) -> Any:
    """A boto3 chime-sdk-voice client of the default account, served in process."""
    return localchime.client()
