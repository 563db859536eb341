"""pytest fixtures for applications that use revox_async (registered on install).

* ``revox_mock``: a running :class:`~revox_async.testing.MockRevoxServer` (on
  its own thread, so sync and async tests alike can use it), emptied before
  and after each test with every switch off (``drift``, ``odd_values``,
  ``unpatched_calls_notice``, ``faults`` and scripted ``fail_next`` faults).
* ``revox_client``: an :class:`~revox_async.AsyncRevox` pointed at it and
  closed after the test (an async fixture: use it from async tests, under
  pytest-asyncio or anyio's pytest plugin).

It lives outside ``revox_async`` and imports nothing from it until a fixture
is used: pytest loads plugins before coverage starts, and merely having the
package installed should cost a test run nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from revox_async import AsyncRevox
    from revox_async.testing import MockRevoxServer

try:  # pytest-asyncio's strict mode only runs the async fixtures it decorated
    from pytest_asyncio import fixture as _async_fixture
except ImportError:  # anyio's plugin (which revox_async brings) runs plain ones
    _async_fixture = pytest.fixture


@pytest.fixture(scope="session")
def revox_mock_server() -> Iterator[MockRevoxServer]:
    """One mock server for the whole session (``revox_mock`` resets it per test)."""
    from revox_async.testing import MockRevoxServer

    with MockRevoxServer(api_key="test-key") as server:
        yield server


@pytest.fixture
def revox_mock(revox_mock_server: MockRevoxServer) -> Iterator[MockRevoxServer]:
    """A mock Revox API on 127.0.0.1, empty and with every switch off at the start of each test."""
    revox_mock_server.reset()
    yield revox_mock_server
    revox_mock_server.reset()


@_async_fixture
async def revox_client(revox_mock: MockRevoxServer) -> AsyncIterator[AsyncRevox]:
    """An ``AsyncRevox`` talking to ``revox_mock``."""
    from revox_async import AsyncRevox

    # The mock is done with a request when it answers: a lost answer is looked for after
    # 50 ms, not after a whole timeout as against a real server.
    async with AsyncRevox(
        api_key=revox_mock.api_key, base_url=revox_mock.base_url, outcome_window=0.05
    ) as client:
        yield client
