"""Attacks on ``calls.create(idempotency_key=...)``, which looks for its key before dialling.

The look finds what an attempt made and was listed. Two creates with one key at once
(a web request retried by a proxy, two workers picking the same job) each looked
before either had sent, found nothing, and each dialled: a key guards nothing within
one client unless the second waits for the first. A key the transport refuses is
refused before the first search, naming the header.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator

import pytest

from revox_async import AsyncRevox, SyncRevox
from tests.hostile_calls import KEY, Faults, HostileCalls

NUMBER = "+33 6 12 00 00 00"
ROW = {"phone_number": NUMBER, "assistant_id": "asst_hostile", "idempotency_key": "order-42"}


@pytest.fixture
async def hostile() -> AsyncIterator[HostileCalls]:
    server = HostileCalls()
    async with server.serve():
        yield server


@pytest.mark.parametrize("fault", [None, "500"])
async def test_creates_with_one_key_at_once_place_one_call(
    hostile: HostileCalls, fault: str | None
) -> None:
    """Three tasks create with key order-42 at once (the first attempt answered 500 after
    placing, or not): one call is placed, and each task gets it."""
    if fault is not None:
        hostile.faults = Faults(kinds=(fault,), rate=1.0, fault_attempts=1)
    async with AsyncRevox(base_url=hostile.url, api_key=KEY, outcome_window=0.1) as api:
        calls = await asyncio.gather(*(api.calls.create(**ROW) for _ in range(3)))
    await hostile.settled()
    assert {"+33612000000": 1} == dict(hostile.placed)
    assert {hostile.by_number[NUMBER][0]} == {call.id for call in calls}


def test_sync_threads_creating_with_one_key_place_one_call() -> None:
    """SyncRevox from three threads, each through its own with_options copy, key
    order-42: one call."""
    server = HostileCalls()
    ids: list[str] = []
    with server.running(), SyncRevox(base_url=server.url, api_key=KEY) as api:

        def create() -> None:
            ids.append(api.with_options(max_retries=1).calls.create(**ROW).id)

        threads = [threading.Thread(target=create) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        server.wait_settled()
    assert {"+33612000000": 1} == dict(server.placed)
    assert 1 == len(set(ids))


async def test_a_key_with_a_control_character_is_refused_before_any_request(
    hostile: HostileCalls,
) -> None:
    """A NUL in the key: ValueError naming Idempotency-Key, and the server saw nothing
    (aiohttp refused it after the first searches, in words naming no field)."""
    async with AsyncRevox(base_url=hostile.url, api_key=KEY) as api:
        with pytest.raises(ValueError, match="'Idempotency-Key': value contains a control"):
            await api.calls.create(**{**ROW, "idempotency_key": "order\x0042"})
    assert (0, 0) == (hostile.posts, hostile.lookups)
