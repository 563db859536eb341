"""``send``: raw authorised HTTP to the ``revox_mock`` server, for the mock's own tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from revox_async.testing import MockRevoxServer

Send = Callable[..., Awaitable[tuple[int, Any]]]

NO_FILTER: dict[str, Any] = {
    "assignee_ids": [], "assistant_ids": [], "campaign_ids": [], "directions": [],
    "from_phone_numbers": [], "outcomes": [], "results": [], "statuses": [],
}  # fmt: skip
"""A CallFilter's required lists, all empty: no filter."""


@pytest.fixture
async def send(revox_mock: MockRevoxServer) -> AsyncIterator[Send]:
    """``await send(method, path, body)`` → ``(status, JSON or bytes)``."""
    async with aiohttp.ClientSession() as session:

        async def request(
            method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
        ) -> tuple[int, Any]:
            sent = {"Authorization": f"Bearer {revox_mock.api_key}", **(headers or {})}
            async with session.request(
                method, revox_mock.base_url + path, json=body, headers=sent
            ) as resp:
                if resp.content_type == "application/json":
                    return resp.status, await resp.json()
                return resp.status, await resp.read()

        yield request


async def new_assistant(send: Send, **params: Any) -> dict[str, Any]:
    status, data = await send("POST", "/assistants", {"name": "n", "prompt": "p", **params})
    assert 201 == status, data
    assistant: dict[str, Any] = data["assistant"]
    return assistant


async def place_call(send: Send, assistant_id: str, **params: Any) -> dict[str, Any]:
    body = {"phone_number": "+33612345678", "assistant_id": assistant_id, **params}
    status, data = await send("POST", "/call", body)
    assert 201 == status, data
    call: dict[str, Any] = data["call"]
    return call


async def get_call(send: Send, call_id: str) -> dict[str, Any]:
    status, data = await send("GET", f"/call/{call_id}")
    assert 200 == status, data
    call: dict[str, Any] = data["call"]
    return call
