"""create_many at the edges bulk jobs hit: lost answers, wrong keys, long waits, re-runs."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import revox_async as rx
from revox_async import AsyncRevox
from revox_async import _batch as batch
from revox_async.testing import FaultPlan, MockRevoxServer
from tests.conftest import assistant_json


async def no_sleep(delay: float) -> None:
    await asyncio.sleep(0)


def rows(n: int, prefix: str = "row") -> list[dict[str, Any]]:
    return [{"name": f"{prefix}-{i}", "prompt": f"prompt {i}"} for i in range(n)]


async def run(api: AsyncRevox, params: Any, **options: Any) -> rx.BatchResult:
    options = {"concurrency": 4, "rate_limit": None, "on_progress": None, **options}
    return await batch.create_many(api.assistants, params, sleep=no_sleep, **options)


def posts(mock: MockRevoxServer) -> list[Any]:
    return [r for r in mock.requests if r.method == "POST"]


def gets(mock: MockRevoxServer) -> list[Any]:
    return [r for r in mock.requests if r.method == "GET"]


# -- the mock server's switch ---------------------------------------------------------


async def test_a_server_ignoring_keys_creates_once_per_post(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """idempotency="ignore": the same key twice makes two assistants, as the live API would."""
    await api.assistants.create(name="a", prompt="p", idempotency_key="k")
    await api.assistants.create(name="a", prompt="p", idempotency_key="k")
    assert 2 == len(mock.assistants)


def test_the_switch_takes_two_values() -> None:
    """Anything but "honour" or "ignore" is refused."""
    with pytest.raises(ValueError, match="idempotency"):
        MockRevoxServer(idempotency="maybe")  # type: ignore[arg-type]


def test_keys_are_ignored_unless_honouring_is_asked_for() -> None:
    """Like the live API by default; reset() goes back to what the constructor chose."""
    assert "ignore" == MockRevoxServer().idempotency
    honouring = MockRevoxServer(idempotency="honour")
    honouring.idempotency = "ignore"
    honouring.reset()
    assert "honour" == honouring.idempotency


# -- 1. exactly once without server idempotency ---------------------------------------


async def test_a_committed_create_answered_500_is_found_not_sent_again(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """Commit-then-500 against a key-ignoring server: one POST, one GET, one assistant."""
    mock.fail_next("commit_then_fail")
    result = await run(api, rows(1))
    (item,) = result.results
    assert ("created", True) == (item.status, item.found_by_check)
    assert 1 == len(mock.assistants)
    assert isinstance(item.created, rx.Assistant)
    assert set(mock.assistants) == {item.created.id}
    assert (1, 1) == (len(posts(mock)), len(gets(mock)))


async def test_a_dropped_create_that_never_arrived_is_sent_again(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """A drop before the commit: the check finds nothing, the row is sent again with its key."""
    mock.fail_next("drop")
    result = await run(api, rows(1))
    assert result.ok
    assert 1 == len(mock.assistants)
    first, second = posts(mock)
    assert first.headers["Idempotency-Key"] == second.headers["Idempotency-Key"]
    assert not result.results[0].found_by_check


async def test_rows_waiting_on_a_check_share_listings(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """Sixteen rows lose their answers at once: far fewer listings than rows."""
    # Every POST commits then fails; the listings (GETs) are not faulted, whatever
    # order the requests arrive in.
    mock.faults = FaultPlan(commit_then_fail_rate=1.0, methods=frozenset({"POST"}))
    result = await run(api, rows(16), concurrency=16)
    assert 16 == len(result.created)
    assert 16 == sum(item.found_by_check for item in result.results)
    assert 16 == len(mock.assistants)
    assert len(gets(mock)) <= 4


async def test_identical_rows_are_counted_not_merged(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """Three identical rows, every answer lost: three assistants, each reported once."""
    mock.faults = FaultPlan(commit_then_fail_rate=1.0, methods=frozenset({"POST"}))
    same = {"name": "same", "prompt": "p", "voice": {"id": "v", "provider": "cartesia"}}
    result = await run(api, [same, same, same], concurrency=3)
    assert 3 == len(mock.assistants)
    assert set(mock.assistants) == {item.created_id for item in result.results}


async def test_the_last_attempt_lost_is_settled_by_a_check(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """Retries exhausted on a drop: the check decides created or failed, never 'maybe'."""
    mock.faults = FaultPlan(drop_rate=1.0, methods=frozenset({"POST"}))
    result = await run(api, rows(1))
    (item,) = result.results
    assert "failed" == item.status
    assert not item.maybe_created
    assert 0 == len(mock.assistants)
    assert 4 == len(posts(mock))


# -- 4. stop on what will not get better -----------------------------------------------


async def test_a_wrong_key_stops_the_batch(mock: MockRevoxServer) -> None:
    """401: no new row starts; at most `concurrency` POSTs; the rest are not sent."""
    async with AsyncRevox(api_key="wrong", base_url=mock.base_url) as api:
        result = await run(api, rows(50), concurrency=4)
    assert len(posts(mock)) <= 4
    assert 50 == len(result)
    assert 50 - len(posts(mock)) == len(result.not_sent)
    assert len(posts(mock)) == len(result.errors)
    assert "authentication" in (result.stopped or "")
    assert isinstance(result.stop_error, rx.AuthenticationError)
    assert all(item.retryable for item in result.not_sent)


async def test_a_wrong_base_url_stops_the_batch(mock: MockRevoxServer) -> None:
    """404 on the collection URL: the base URL is wrong; stop, say so."""
    async with AsyncRevox(api_key=mock.api_key, base_url=mock.base_url + "/v9") as api:
        result = await run(api, rows(20), concurrency=2)
    assert len(posts(mock)) <= 2
    assert "base URL" in (result.stopped or "")
    assert 18 <= len(result.not_sent)


async def test_a_retry_after_beyond_the_cap_stops_the_batch(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """429 with Retry-After: 86400 on every POST: at most `concurrency` POSTs, then stop."""
    mock.faults = FaultPlan(
        error_rate=1.0, error_statuses=(429,), retry_after=86400, methods=frozenset({"POST"})
    )
    result = await run(api, rows(200), concurrency=4)
    assert len(posts(mock)) <= 4
    assert "86400" in (result.stopped or "")
    assert 200 == len(result)
    assert 0 == len(mock.assistants)


async def test_a_retry_after_within_the_cap_pauses_everyone_once(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """A 429 asking 7 s: every worker waits on that one pause, none waits twice as long."""
    slept: list[float] = []

    async def record(delay: float) -> None:
        slept.append(delay)
        await asyncio.sleep(0)

    mock.fail_next("status", status=429, retry_after=7)
    result = await batch.create_many(
        api.assistants, rows(8), concurrency=4, rate_limit=None, on_progress=None, sleep=record
    )
    assert result.ok
    assert slept
    assert max(slept) <= 7
    assert min(slept) > 6


# -- 2. the journal ------------------------------------------------------------------


async def test_a_rerun_with_the_journal_sends_nothing_already_created(
    api: AsyncRevox, mock: MockRevoxServer, tmp_path: Path
) -> None:
    """Second run, same journal and input: every row reported created, no POST."""
    journal = tmp_path / "j.jsonl"
    first = await run(api, rows(10), journal=journal)
    mock.requests.clear()
    again = await run(api, rows(10), journal=journal)
    assert [] == mock.requests
    assert all(item.from_journal for item in again.results)
    assert [i.created_id for i in first.results] == [i.created_id for i in again.results]


async def test_a_rerun_settles_rows_whose_outcome_was_unknown(
    api: AsyncRevox, mock: MockRevoxServer, tmp_path: Path
) -> None:
    """Rows recorded 'sent' (the process died mid-request): checked, not created again."""
    journal = tmp_path / "j.jsonl"
    mock.faults = FaultPlan(latency=0.3)
    task = asyncio.create_task(run(api, rows(12), journal=journal, concurrency=4))
    await _until(lambda: journal.exists() and journal.read_text().count('"sent"') >= 4)
    task.cancel()  # the requests that left still reach the server, which commits them
    with pytest.raises(asyncio.CancelledError):
        await task
    last = {}
    for line in journal.read_text().splitlines()[1:]:
        record = json.loads(line)
        last[record["row"]] = record["state"]
    assert {0: "sent", 1: "sent", 2: "sent", 3: "sent"} == last  # their keys are on disk
    await _settled(mock)  # a request still connecting when cancelled never arrives
    committed = len(mock.assistants)
    assert 1 <= committed <= 4
    mock.faults = FaultPlan()
    result = await run(api, rows(12), journal=journal)
    assert result.ok
    assert 12 == len(mock.assistants)
    assert Counter(a["name"] for a in mock.assistants.values()) == Counter(
        r["name"] for r in rows(12)
    )
    assert committed == sum(item.found_by_check for item in result.results)


async def _until(condition: Callable[[], bool]) -> None:
    """Wait for ``condition`` (polled), failing the test after 10 s instead of hanging it."""
    try:
        async with asyncio.timeout(10):
            while not condition():  # noqa: ASYNC110 - a file or the server's state, not an event
                await asyncio.sleep(0.01)
    except TimeoutError:
        pytest.fail("waited 10 s in vain")


async def _settled(mock: MockRevoxServer, quiet: float = 0.6) -> None:
    """Wait until the server's store has not changed for ``quiet`` seconds (at most 10 s)."""
    seen, since = -1, asyncio.get_running_loop().time()
    deadline = since + 10
    while True:
        now = asyncio.get_running_loop().time()
        if len(mock.assistants) != seen:
            seen, since = len(mock.assistants), now
        elif now - since >= quiet or now > deadline:
            return
        await asyncio.sleep(0.02)


async def test_a_changed_input_is_refused_naming_the_row(
    api: AsyncRevox, mock: MockRevoxServer, tmp_path: Path
) -> None:
    """Row 3 differs from what the journal recorded: refused, saying which row."""
    journal = tmp_path / "j.jsonl"
    await run(api, rows(5), journal=journal)
    changed = rows(5)
    changed[2]["prompt"] = "something else"
    mock.requests.clear()
    with pytest.raises(rx.BatchAbortedError, match="row 3") as caught:
        await run(api, changed, journal=journal)
    assert isinstance(caught.value.__cause__, rx.JournalMismatchError)
    assert [] == posts(mock)


async def test_a_journal_for_another_server_is_refused(
    api: AsyncRevox, mock: MockRevoxServer, tmp_path: Path
) -> None:
    """The journal names its base URL: used against another, it is refused."""
    journal = tmp_path / "j.jsonl"
    journal.write_text(
        json.dumps({"revox_async_journal": 1, "base_url": "https://elsewhere/api",
                    "started_at": "2026-01-01T00:00:00+00:00"}) + "\n"
    )  # fmt: skip
    with pytest.raises(rx.JournalMismatchError, match="elsewhere"):
        await run(api, rows(1), journal=journal)


async def test_a_torn_last_line_is_ignored(
    api: AsyncRevox, mock: MockRevoxServer, tmp_path: Path
) -> None:
    """A kill mid-write leaves half a line: the journal still opens and resumes."""
    journal = tmp_path / "j.jsonl"
    await run(api, rows(2), journal=journal)
    with journal.open("a") as handle:
        handle.write('{"row": 1, "sta')
    again = await run(api, rows(3), journal=journal)
    assert [True, True, False] == [item.from_journal for item in again.results]
    assert 3 == len(mock.assistants)


# -- 5. streaming, 7. repr --------------------------------------------------------------


async def test_the_stream_yields_every_item_as_it_finishes(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """create_many_iter yields one item per row, in completion order."""
    mock.faults = FaultPlan(seed=4, latency_jitter=0.01)
    seen = [item async for item in api.assistants.create_many_iter(rows(30), concurrency=6)]
    assert list(range(30)) == sorted(item.index for item in seen)
    assert 30 == len(mock.assistants)


async def test_leaving_the_stream_early_stops_the_batch(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """Break after 5 items: no more rows start, nothing keeps running."""
    async for item in api.assistants.create_many_iter(rows(1000), concurrency=4):
        if item.index >= 4:
            break
    await asyncio.sleep(0.05)
    assert len(posts(mock)) < 20


async def test_the_stream_raises_when_the_input_does(api: AsyncRevox) -> None:
    """The input raising: the items in flight are yielded, then BatchAbortedError."""

    def params() -> Any:
        yield from rows(3)
        raise LookupError("bad row")

    seen: list[rx.BatchItem] = []

    async def consume() -> None:
        async for item in api.assistants.create_many_iter(params()):
            seen.append(item)

    with pytest.raises(rx.BatchAbortedError):
        await consume()
    assert 3 == len(seen)


async def test_a_result_prints_as_counts(api: AsyncRevox, mock: MockRevoxServer) -> None:
    """print(result) for 50 rows is one short line of counts, not the rows."""
    result = await run(api, [*rows(49), {"name": "x"}])
    assert "BatchResult(created=49, failed=1, not_sent=0)" == repr(result)


async def test_a_row_sent_again_on_a_rerun_is_marked_unknown_again(
    api: AsyncRevox, mock: MockRevoxServer, tmp_path: Path
) -> None:
    """A row recorded 'failed' is re-sent: while in flight the journal says 'sent' again,
    so a run killed then is checked on the next re-run, not blindly re-sent."""
    from revox_async._journal import fingerprint

    journal = tmp_path / "j.jsonl"
    row = {"name": "again", "prompt": "p"}
    fp = fingerprint([row, None, None])
    journal.write_text(
        json.dumps({"revox_async_journal": 1, "base_url": mock.base_url,
                    "started_at": "2026-01-01T00:00:00+00:00"}) + "\n"
        + json.dumps({"row": 0, "key": "k0", "fp": fp, "state": "sent"}) + "\n"
        + json.dumps({"row": 0, "state": "failed", "retryable": True}) + "\n"
    )  # fmt: skip
    mock.faults = FaultPlan(latency=0.3)
    task = asyncio.create_task(run(api, [row], journal=journal))
    await _until(lambda: journal.read_text().count('"sent"') >= 2 or task.done())
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    last = json.loads(journal.read_text().splitlines()[-1])
    assert ("sent", "k0") == (last["state"], last["key"])


async def test_a_lookup_waits_for_an_identical_row_still_in_flight() -> None:
    """Two identical rows: the lookup of the one answered 500 does not take the assistant
    the other is about to be answered with (a loopback server: the 2nd POST commits first
    and answers last; the 1st commits after it, then answers 500)."""
    from aiohttp import web

    from tests.test_hostile_server import Server, serve

    stored: list[dict[str, Any]] = []
    second_committed = asyncio.Event()
    posts = 0

    async def create(request: web.Request) -> web.StreamResponse:
        nonlocal posts
        posts += 1
        body = await request.json()
        made = assistant_json(id=f"asst_{posts}", created_at=datetime.now(UTC).isoformat(), **body)
        if posts == 1:
            await second_committed.wait()
            stored.append(made)
            return web.json_response({"error": "boom"}, status=500)
        stored.insert(0, made)
        second_committed.set()
        await asyncio.sleep(0.3)  # the 1st row looks meanwhile, and must wait for this one
        return web.json_response({"assistant": made}, status=201)

    async def listing(request: web.Request) -> web.StreamResponse:
        return web.json_response({"assistants": stored})

    server = Server()
    server.route("POST", "/api/assistants", create)
    server.route("GET", "/api/assistants", listing)
    async with serve(server):
        client = AsyncRevox(
            api_key="k", base_url=server.url + "/api", outcome_window=0, max_retries=0
        )
        async with client:
            same = {"name": "same", "prompt": "p"}
            result = await client.assistants.create_many([same, same], concurrency=2)
    items = result.results
    assert {"asst_1", "asst_2"} == {item.created_id for item in items}
