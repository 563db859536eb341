"""Attack (review 5): this round's safety code, against an unlucky user and odd servers.

* A keyed create cancelled while its POST was in flight (``asyncio.timeout``, Ctrl-C
  in ``SyncRevox``) left no hold: the same create at once, in the same client, looked
  before the server had placed the call, found nothing, and dialled again.
* A server that ignores ``page`` (and ``sort_direction``) repeats its first page: the
  lookup stopped there with more calls counted, took "not found" for an answer, and
  dialled again, though the calls read were not newest first.
* A campaign whose rows are still being added (``row_stats.total`` 0, some rows) read
  as another campaign, and the create was sent again: two campaigns of those contacts.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aioresponses import aioresponses

from revox_async import AsyncRevox, OutcomeUnknownError
from tests.conftest import BASE, Sleeps
from tests.hostile_calls import KEY, Faults, HostileCalls, _call
from tests.test_campaign_lookup import ROWS, create, daily, listed
from tests.test_resources_wire import sent

NUMBER = "+33612345678"
ROW = {"phone_number": NUMBER, "assistant_id": "asst_hostile"}


async def test_a_keyed_create_cancelled_mid_attempt_then_made_again_at_once_dials_once() -> None:
    """The POST arrives and the call is placed 0.5 s later; the create is cancelled
    meanwhile; the same create at once waits out the 2 s window, finds the call, and
    sends nothing."""
    hostile = HostileCalls(Faults(kinds=("slow",), rate=1.0, fault_attempts=1, slow=0.5))
    async with hostile.serve():
        async with AsyncRevox(base_url=hostile.url, api_key=KEY, outcome_window=2.0) as client:
            first = asyncio.create_task(client.calls.create(**ROW, idempotency_key="k1"))
            await hostile.received(1)
            first.cancel()
            with pytest.raises(asyncio.CancelledError):
                await first
            call = await client.calls.create(**ROW, idempotency_key="k1")
        await hostile.settled()
    assert {NUMBER: 1} == dict(hostile.placed)
    assert ([call.id], 1) == (list(hostile.calls), hostile.posts)


@contextlib.asynccontextmanager
async def serving(app: web.Application) -> AsyncIterator[str]:
    """``app`` on 127.0.0.1 (a free port): its base URL."""
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        await runner.cleanup()


def keyed(index: int, key: str, created_at: str) -> dict[str, Any]:
    """A call to ``NUMBER`` made with ``key``, as the search lists it."""
    body = {**ROW, "metadata": {"revox_async_key": key}}
    return _call(f"call_{index}", body, NUMBER, created_at)


@pytest.mark.parametrize("total_count", [101, None], ids=["counted", "not counted"])
async def test_a_call_past_the_first_page_of_a_server_ignoring_page_is_not_dialled_again(
    total_count: int | None,
) -> None:
    """101 calls to the number, oldest first, whatever the page asked; the one made with
    the key is the 101st: settling it raises OutcomeUnknownError and dials nobody."""
    calls = [keyed(i, f"old{i}", f"2026-01-01T00:{i // 60:02d}:{i % 60:02d}Z") for i in range(100)]
    posts: list[object] = []

    async def search(request: web.Request) -> web.Response:
        page: dict[str, Any] = {"calls": calls}  # page 1 (oldest first), always
        if total_count is not None:
            page["total_count"] = total_count
        return web.json_response(page)

    async def place(request: web.Request) -> web.Response:
        posts.append(await request.json())
        return web.json_response({"call": keyed(101, "k1", "2026-12-01T00:00:00Z")})

    app = web.Application()
    app.router.add_post("/call/search", search)
    app.router.add_post("/call", place)
    async with serving(app) as url, AsyncRevox(base_url=url, api_key=KEY) as client:
        with pytest.raises(OutcomeUnknownError, match="not listed newest first"):
            await client.calls.create(**ROW, idempotency_key="k1")
    assert [] == posts


BUILDING: dict[str, tuple[Any, list[dict[str, Any]]]] = {  # row_stats, rows read
    "no row yet": ({"total": 0}, []),
    "one row of two, counted": ({"total": 1}, ROWS[:1]),
    "one row of two, not counted": (None, ROWS[:1]),
}


@pytest.mark.parametrize(("row_stats", "rows"), BUILDING.values(), ids=BUILDING)
async def test_a_campaign_whose_rows_are_still_being_added_is_not_made_again(
    mocked: aioresponses, sleeps: Sleeps, row_stats: Any, rows: list[dict[str, Any]]
) -> None:
    """The only match holds some of the contacts sent, no other: neither taken nor sent
    again (one POST); the outcome stays unknown."""
    listed(mocked, daily("camp_made", row_stats=row_stats))
    mocked.get(f"{BASE}/campaigns/camp_made/rows", payload={"rows": rows}, repeat=True)
    with pytest.raises(OutcomeUnknownError, match="could not all be read"):
        await create(sleeps)
    assert 1 == len(sent(mocked, "POST", "/campaigns"))
