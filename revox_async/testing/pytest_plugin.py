"""pytest fixtures for applications that use revox_async (registered on install).

* ``revox_mock``: a running :class:`MockRevoxServer` (on its own thread, so
  sync and async tests alike can use it), reset between tests.
* ``revox_client``: an :class:`AsyncRevox` pointed at it, closed after the
  test (an async fixture: use it from async tests).
* ``revox_sync_client``: the same as a :class:`SyncRevox`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from revox_async.testing._server import MockRevoxServer


@pytest.fixture(scope="session")
def _revox_mock_server() -> Iterator[MockRevoxServer]:
    with MockRevoxServer(api_key="test-key") as server:
        yield server


@pytest.fixture
def revox_mock(_revox_mock_server: MockRevoxServer) -> Iterator[MockRevoxServer]:
    """A mock Revox API on 127.0.0.1, empty at the start of each test."""
    _revox_mock_server.reset()
    yield _revox_mock_server
    _revox_mock_server.reset()


@pytest.fixture
async def revox_client(revox_mock: MockRevoxServer) -> AsyncIterator[object]:
    """An ``AsyncRevox`` talking to ``revox_mock``."""
    from revox_async import AsyncRevox

    async with AsyncRevox(api_key=revox_mock.api_key, base_url=revox_mock.base_url) as client:
        yield client
