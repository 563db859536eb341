"""create_many: every input answered, in order, nothing lost, nothing doubled."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from typing import Any, Literal

import pytest

import revox_async as rx
from revox_async import AsyncRevox, SyncRevox
from revox_async import _batch as batch
from revox_async.testing import FaultPlan, MockRevoxServer


@pytest.fixture
def mock(revox_mock: MockRevoxServer) -> MockRevoxServer:
    """The shipped plugin's mock server, emptied for each test."""
    return revox_mock


@pytest.fixture
async def api(mock: MockRevoxServer) -> AsyncIterator[AsyncRevox]:
    async with AsyncRevox(api_key=mock.api_key, base_url=mock.base_url) as client:
        yield client


async def short_sleep(delay: float) -> None:
    """Backoff still yields to the loop, but does not wait seconds."""
    await asyncio.sleep(min(delay, 0.005))


def rows(n: int) -> list[dict[str, Any]]:
    return [{"name": f"assistant-{i}", "prompt": f"prompt {i}"} for i in range(n)]


async def test_results_follow_input_order_under_random_latency(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """Items finish in any order; results come back in input order."""
    mock.faults = FaultPlan(seed=3, latency_jitter=0.02)
    result = await api.assistants.create_many(rows(60), concurrency=8)
    assert list(range(60)) == [item.index for item in result.results]
    assert [f"assistant-{i}" for i in range(60)] == [a.name for a in result.assistants]
    assert result.ok
    assert [] == result.errors
    assert 60 == len(result)
    assert {a.id for a in result.assistants} == set(mock.assistants)


async def test_an_invalid_item_fails_alone(api: AsyncRevox, mock: MockRevoxServer) -> None:
    """Bad params, unknown keys, non-mappings and server refusals are per-item errors."""
    params: list[Any] = [
        {"name": "good-0", "prompt": "p"},
        {"name": "bad-voice", "prompt": "p", "voice": {"provider": "cartesia"}},
        {"name": "typo", "prompt": "p", "nmae": "x"},
        "not a mapping",
        {"name": "refused", "prompt": "p", "extra_body": {"voice": {"id": 1}}},
        {"name": "good-1", "prompt": "p"},
    ]
    result = await api.assistants.create_many(params)
    assert [True, False, False, False, False, True] == [item.ok for item in result.results]
    errors = {item.index: item.error for item in result.errors}
    assert isinstance(errors[1], TypeError)
    assert "voice.id" in str(errors[1])
    assert isinstance(errors[2], TypeError)
    assert isinstance(errors[3], TypeError)
    assert isinstance(errors[4], rx.BadRequestError)
    assert ["good-0", "good-1"] == [a.name for a in result.assistants]
    assert not result.ok
    assert result.results[3].params == "not a mapping"


async def test_a_long_generator_is_read_lazily_with_bounded_tasks(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """1,000 inputs: rows pulled ahead and tasks alive stay O(concurrency), not O(input)."""
    pulled = 0
    most_ahead = 0
    most_tasks = 0

    def params() -> Iterator[dict[str, Any]]:
        nonlocal pulled
        for i in range(1000):
            pulled += 1
            yield {"name": f"a{i}", "prompt": "p"}

    def progress(done: int, total: int | None, item: rx.BatchItem) -> None:
        nonlocal most_ahead, most_tasks
        assert total is None
        most_ahead = max(most_ahead, pulled - done)
        most_tasks = max(most_tasks, len(asyncio.all_tasks()))
        workers = [t for t in asyncio.all_tasks() if "worker" in t.get_coro().__qualname__]  # type: ignore[union-attr]
        assert len(workers) <= 5

    baseline = len(asyncio.all_tasks())
    result = await api.assistants.create_many(params(), concurrency=5, on_progress=progress)
    assert 1000 == len(result.assistants)
    assert most_ahead <= 2 * 5  # in flight, plus finished and waiting to be reported
    # the workers, plus the in-process server's tasks (a few per connection): not 1,000
    assert most_tasks <= baseline + 5 + 3 * 5


async def test_async_iterables_and_assistants_to_copy(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """An async generator works, and so does an Assistant fetched earlier (a copy is made)."""
    original = await api.assistants.create(
        name="orig",
        prompt="p",
        faq_items=[{"question": "q", "answer": "a"}],
        extra_body={"stt_model": "stt-rt-v5"},
    )

    async def params() -> AsyncIterator[Any]:
        yield original
        yield {"name": "second", "prompt": "p"}

    result = await api.assistants.create_many(params())
    copy, second = result.assistants
    assert ("orig", "second") == (copy.name, second.name)
    assert copy.id != original.id
    assert original.faq_items is not None
    assert copy.faq_items is not None
    assert ["q"] == [faq.question for faq in copy.faq_items]
    assert "stt-rt-v5" == mock.assistants[copy.id]["stt_model"]


async def test_progress_counts_every_item(api: AsyncRevox) -> None:
    """on_progress(done, total, item): done climbs to total, once per item."""
    seen: list[tuple[int, int | None]] = []
    await api.assistants.create_many(
        rows(12), concurrency=3, on_progress=lambda d, t, item: seen.append((d, t))
    )
    assert [(i, 12) for i in range(1, 13)] == seen


async def test_a_429_pauses_every_worker(
    api: AsyncRevox, mock: MockRevoxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a 429 with Retry-After, every attempt sent later first waits until the pause ends."""
    mock.fail_next("status", status=429, retry_after=0.3)
    loop = asyncio.get_running_loop()
    events: list[tuple[str, object, float]] = []
    send = api._engine.transport.send

    async def sending(*args: Any) -> Any:
        events.append(("send", asyncio.current_task(), loop.time()))
        response = await send(*args)
        if 429 == response.status:
            events.append(("429", None, loop.time()))
        return response

    async def sleep(delay: float) -> None:  # recorded: the time it would wake up at
        events.append(("sleep", asyncio.current_task(), loop.time() + delay))
        await asyncio.sleep(0)

    monkeypatch.setattr(api._engine.transport, "send", sending)
    result = await batch.create_many(
        api.assistants, rows(20), concurrency=4, rate_limit=None, on_progress=None, sleep=sleep
    )  # fmt: skip
    assert result.ok
    (limited,) = [i for i, event in enumerate(events) if "429" == event[0]]
    pause_ends = events[limited][2] + 0.3
    later = [
        (i, task, at) for i, (what, task, at) in enumerate(events) if i > limited and what == "send"
    ]
    assert later  # rows were sent after the 429
    for i, task, at in later:  # each at the pause's end or later, or after waiting for it
        waited = [
            until for what, who, until in events[limited:i] if what == "sleep" and who is task
        ]
        assert at >= pause_ends or max(waited, default=at) >= pause_ends


async def test_rate_limit_spaces_the_attempts(api: AsyncRevox, mock: MockRevoxServer) -> None:
    """rate_limit=20 spreads 10 requests over at least ~0.45 s, even with 10 workers."""
    await api.assistants.create_many(rows(10), concurrency=10, rate_limit=20)
    arrivals = [r.received_at for r in mock.requests]
    assert max(arrivals) - min(arrivals) >= 0.4  # 9 gaps of 50 ms; unpaced, a few ms


async def test_cancelling_the_batch_cancels_requests_in_flight(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """Cancel: CancelledError promptly, nothing left running, the client still works."""
    mock.faults = FaultPlan(latency=5)
    task = asyncio.create_task(api.assistants.create_many(rows(50), concurrency=4))
    await asyncio.sleep(0.2)
    started = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.monotonic() - started < 1
    ours = [
        t
        for t in asyncio.all_tasks()
        if t is not asyncio.current_task()
        and not t.get_coro().__qualname__.startswith("RequestHandler")  # type: ignore[union-attr]
    ]
    assert [] == ours  # the in-process server's handlers may linger; nothing of ours does
    mock.faults = FaultPlan()
    assert "after" == (await api.assistants.create(name="after", prompt="p")).name


async def test_the_input_failing_stops_the_batch_with_the_partial_result(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """An input raising at row 40: rows in flight finish; the error carries all 40 items."""
    mock.faults = FaultPlan(seed=1, latency_jitter=0.01)

    def params() -> Iterator[dict[str, Any]]:
        yield from rows(40)
        raise LookupError("broken input")

    with pytest.raises(rx.BatchAbortedError, match="broken input") as caught:
        await api.assistants.create_many(params(), concurrency=16)
    assert isinstance(caught.value.__cause__, LookupError)
    result = caught.value.result
    assert list(range(40)) == [item.index for item in result.results]
    assert {a.id for a in result.assistants} == set(mock.assistants)


async def test_a_failing_progress_callback_stops_the_batch(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """on_progress raising: no new row starts; every row sent is in the error's result."""

    def progress(done: int, total: int | None, item: rx.BatchItem) -> None:
        raise KeyError("from the callback")

    with pytest.raises(rx.BatchAbortedError) as caught:
        await api.assistants.create_many(rows(50), concurrency=4, on_progress=progress)
    assert isinstance(caught.value.__cause__, KeyError)
    result = caught.value.result
    assert len(result) < 50
    assert len(mock.assistants) == len(result.assistants)
    assert {a.id for a in result.assistants} == set(mock.assistants)


@pytest.mark.parametrize("concurrency", [0, -1, 1.5, True])
async def test_concurrency_must_be_a_positive_integer(api: AsyncRevox, concurrency: Any) -> None:
    """concurrency=0 would never finish: ValueError."""
    with pytest.raises(ValueError, match="concurrency"):
        await api.assistants.create_many(rows(1), concurrency=concurrency)


async def test_rate_limit_must_be_positive(api: AsyncRevox) -> None:
    """rate_limit=0 is refused."""
    with pytest.raises(ValueError, match="rate_limit"):
        await api.assistants.create_many(rows(1), rate_limit=0)


async def test_a_dict_can_bring_its_own_idempotency_key(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """Re-running a failed row with its key returns the assistant created before, from a
    server that honours keys."""
    # Opted in: an assistant carries no trace of its key, so the batch cannot look for it
    # by key (calls can: tests/test_batch_calls.py); this checks the row's key is the one sent.
    mock.idempotency = "honour"
    first = await api.assistants.create_many(
        [{"name": "a", "prompt": "p", "idempotency_key": "row-1"}]
    )
    again = await api.assistants.create_many(
        [{"name": "a", "prompt": "p", "idempotency_key": "row-1"}]
    )
    assert first.assistants[0].id == again.assistants[0].id
    assert 1 == len(mock.assistants)
    assert "row-1" == first.results[0].idempotency_key


@pytest.mark.slow
@pytest.mark.parametrize("idempotency", ["honour", "ignore"])
async def test_faults_lose_nothing_and_double_nothing(
    mock: MockRevoxServer, idempotency: Literal["honour", "ignore"]
) -> None:
    """25 % faults (500, 429, drops, commit-then-fail), 300 items, keys honoured or not."""
    mock.idempotency = idempotency
    mock.faults = FaultPlan(
        seed=2026,
        error_rate=0.10,
        error_statuses=(500, 429),
        retry_after=0.01,
        drop_rate=0.08,
        commit_then_fail_rate=0.07,
        methods=frozenset({"POST"}),
    )
    async with AsyncRevox(api_key=mock.api_key, base_url=mock.base_url, max_retries=4) as api:
        result = await batch.create_many(
            api.assistants, rows(300), concurrency=16, rate_limit=None, on_progress=None,
            sleep=short_sleep,
        )  # fmt: skip
    faults = Counter(r.fault for r in mock.requests)
    assert faults["commit_then_fail"] > 0
    assert faults["drop"] > 0
    assert faults["status"] > 0
    assert list(range(300)) == [item.index for item in result.results]  # every row reported
    stored_names = Counter(a["name"] for a in mock.assistants.values())
    assert {1} == set(stored_names.values())  # nothing doubled
    assert len(result.created) == len(mock.assistants)  # creations == rows reported created
    for item in result.created:
        assert isinstance(item.created, rx.Assistant)
        assert mock.assistants[item.created.id]["name"] == item.params["name"]
    assert len({item.created_id for item in result.created}) == len(result.created)


def test_sync_create_many(mock_thread_server: MockRevoxServer) -> None:
    """SyncRevox.create_many runs the batch inside the portal's loop."""
    with SyncRevox(api_key=mock_thread_server.api_key, base_url=mock_thread_server.base_url) as c:
        result = c.assistants.create_many(rows(30), concurrency=6)
    assert [f"assistant-{i}" for i in range(30)] == [a.name for a in result.assistants]


@pytest.fixture
def mock_thread_server() -> Iterator[MockRevoxServer]:
    with MockRevoxServer() as server:
        yield server


def test_sync_create_many_keeps_a_journal(
    mock_thread_server: MockRevoxServer, tmp_path: Any
) -> None:
    """SyncRevox.create_many takes journal= too: a second run sends nothing."""
    journal = tmp_path / "j.jsonl"
    with SyncRevox(api_key=mock_thread_server.api_key, base_url=mock_thread_server.base_url) as c:
        c.assistants.create_many(rows(5), journal=journal)
        again = c.assistants.create_many(rows(5), journal=journal)
    assert all(item.from_journal for item in again.results)
    assert 5 == len(mock_thread_server.assistants)
