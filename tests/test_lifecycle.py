"""The aiohttp session's life: lazy, reused, closed, and bound to one loop."""

from __future__ import annotations

import asyncio
import threading

import aiohttp
import pytest

import revox_async as rx
from revox_async import AsyncRevox
from revox_async.testing import MockRevoxServer


@pytest.fixture
def server(revox_mock: MockRevoxServer) -> MockRevoxServer:
    """The plugin's mock server (on its own thread: usable across event loops)."""
    return revox_mock


def test_no_session_exists_before_first_use(server: MockRevoxServer) -> None:
    """Constructing a client outside any loop is fine: the session comes later."""
    client = AsyncRevox(api_key=server.api_key, base_url=server.base_url)
    assert client._transport._session is None


def test_one_client_survives_two_asyncio_runs(server: MockRevoxServer) -> None:
    """A client used in a finished loop gets a fresh session, not 'Event loop is closed'."""
    client = AsyncRevox(api_key=server.api_key, base_url=server.base_url)
    assert [] == asyncio.run(client.assistants.list())
    first = client._transport._session
    assert [] == asyncio.run(client.assistants.list())
    assert first is not client._transport._session
    assert first is not None
    assert first.closed
    asyncio.run(client.close())


async def test_the_session_is_reused(server: MockRevoxServer) -> None:
    """Many calls, one session."""
    async with AsyncRevox(api_key=server.api_key, base_url=server.base_url) as client:
        await client.assistants.list()
        session = client._transport._session
        await client.assistants.list()
        assert session is client._transport._session


async def test_a_closed_client_says_so(server: MockRevoxServer) -> None:
    """After close(), calls raise ClientClosedError; close() is idempotent."""
    client = AsyncRevox(api_key=server.api_key, base_url=server.base_url)
    await client.assistants.list()
    await client.close()
    await client.close()
    assert client.is_closed
    with pytest.raises(rx.ClientClosedError):
        await client.assistants.list()


async def test_a_users_session_is_used_and_left_open(server: MockRevoxServer) -> None:
    """session= is borrowed, not owned."""
    async with aiohttp.ClientSession() as session:
        async with AsyncRevox(
            api_key=server.api_key, base_url=server.base_url, session=session
        ) as client:
            await client.assistants.list()
        assert not session.closed
        assert 1 == len(server.requests)


async def test_a_session_of_another_running_loop_is_refused(server: MockRevoxServer) -> None:
    """Using a client from a second live loop raises a clear RevoxError."""
    client = AsyncRevox(api_key=server.api_key, base_url=server.base_url)
    other = asyncio.new_event_loop()
    thread = threading.Thread(target=other.run_forever, daemon=True)
    thread.start()
    try:
        asyncio.run_coroutine_threadsafe(client.assistants.list(), other).result(5)
        with pytest.raises(rx.RevoxError, match="another running event loop"):
            await client.assistants.list()
        asyncio.run_coroutine_threadsafe(client.close(), other).result(5)
    finally:
        other.call_soon_threadsafe(other.stop)
        thread.join(5)
        other.close()


def test_closing_from_another_loop_abandons_quietly(server: MockRevoxServer) -> None:
    """close() in a new loop after the session's loop ended: no warning, no error."""
    client = AsyncRevox(api_key=server.api_key, base_url=server.base_url)
    asyncio.run(client.assistants.list())
    asyncio.run(client.close())
    assert client.is_closed
