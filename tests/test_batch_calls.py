"""calls.create_many: every row dialled once, in order, whatever the server does."""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from aioresponses import aioresponses
from yarl import URL

import revox_async as rx
from revox_async import AsyncRevox, SyncRevox
from revox_async import _batch as batch
from revox_async._batch import CALL_KEY_FIELD
from revox_async._journal import key_digest
from revox_async.testing import FaultPlan, MockRevoxServer
from tests.conftest import BASE
from tests.test_resources_wire import call_json, sent


@pytest.fixture
async def assistant_id(api: AsyncRevox, mock: MockRevoxServer) -> str:
    assistant = await api.assistants.create(name="Caller", prompt="You call people.")
    mock.requests.clear()
    return assistant.id


async def no_sleep(delay: float) -> None:
    await asyncio.sleep(0)


def rows(n: int, assistant_id: str) -> list[dict[str, Any]]:
    return [
        {
            "phone_number": f"+3361234{i:04d}",
            "assistant_id": assistant_id,
            "prompt_variables": {"first_name": f"Ada-{i}"},
        }
        for i in range(n)
    ]


async def run(api: AsyncRevox, params: Any, **options: Any) -> rx.BatchResult:
    options = {"concurrency": 4, "rate_limit": None, "on_progress": None, **options}
    return await batch.create_many(api.calls, params, sleep=no_sleep, **options)


def call_posts(mock: MockRevoxServer) -> list[Any]:
    return [r for r in mock.requests if r.method == "POST" and r.path.endswith("/call")]


def searches(mock: MockRevoxServer) -> list[Any]:
    return [r for r in mock.requests if r.path.endswith("/call/search")]


def numbers(mock: MockRevoxServer) -> Counter[str]:
    return Counter(call["to_phone_number"] for call in mock.calls.values())


# -- results ---------------------------------------------------------------------------


async def test_results_follow_input_order_under_random_latency(
    api: AsyncRevox, mock: MockRevoxServer, assistant_id: str
) -> None:
    """Calls finish in any order; results come back in input order, one call per row."""
    mock.faults = FaultPlan(seed=5, latency_jitter=0.02)
    result = await api.calls.create_many(rows(30, assistant_id), concurrency=6)
    assert result.ok
    assert list(range(30)) == [item.index for item in result.results]
    assert [f"+3361234{i:04d}" for i in range(30)] == [c.to_phone_number for c in result.calls]
    assert [item.created_id for item in result.results] == [c.id for c in result.calls]
    assert [item.created for item in result.results] == result.calls
    assert {c.id for c in result.calls} == set(mock.calls)
    assert [] == result.assistants
    assert {"calls"} == {item.kind for item in result.results}


async def test_at_most_concurrency_calls_are_in_flight(
    api: AsyncRevox, mock: MockRevoxServer, assistant_id: str
) -> None:
    """Each POST takes 0.2 s: with concurrency=3 no 0.1 s window sees a 4th POST arrive."""
    mock.faults = FaultPlan(latency=0.2)
    loop = asyncio.get_running_loop()
    started = loop.time()
    result = await api.calls.create_many(rows(9, assistant_id), concurrency=3)
    elapsed = loop.time() - started
    assert result.ok
    arrivals = sorted(r.received_at for r in call_posts(mock))
    assert 9 == len(arrivals)
    assert 3 == max(sum(t <= a < t + 0.1 for a in arrivals) for t in arrivals)
    assert elapsed >= math.ceil(9 / 3) * 0.2


async def test_a_bad_row_fails_alone_before_any_request(
    api: AsyncRevox, mock: MockRevoxServer, assistant_id: str
) -> None:
    """Missing number, no assistant, a naive datetime, the reserved metadata key, not a
    mapping: each fails as its own item, naming the field, and sends nothing."""
    good = {"phone_number": "+33612340000", "assistant_id": assistant_id}
    params: list[Any] = [
        good,
        {"assistant_id": assistant_id},
        {"phone_number": "+33612340000"},
        {**good, "scheduled_at": datetime(2030, 1, 1, 9)},  # naive: refused
        {**good, "metadata": {"crm_id": "1", CALL_KEY_FIELD: "mine"}},
        "+33612340000",
        {**good, "extra_body": {"metadata": {CALL_KEY_FIELD: "mine"}}},
        {**good, "extra_body": {"metadata": "not an object"}},
        {**good, "phone_number": "+33612340001"},
    ]
    result = await api.calls.create_many(params)
    assert [True, False, False, False, False, False, False, False, True] == [
        i.ok for i in result.results
    ]
    errors = {item.index: str(item.error) for item in result.errors}
    assert "phone_number" in errors[1]
    assert "assistant_id or assistant" in errors[2]
    assert "scheduled_at" in errors[3]
    assert f"metadata.{CALL_KEY_FIELD}" in errors[4]
    assert "mapping" in errors[5]
    assert f"metadata.{CALL_KEY_FIELD}" in errors[6]
    assert "metadata: expected an object" in errors[7]
    assert all(not item.retryable for item in result.errors)
    assert 2 == len(call_posts(mock)) == len(mock.calls)


async def test_an_unknown_assistant_stops_the_batch_saying_so(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """POST /call answered 404 (no such assistant, or a wrong base URL): the batch stops,
    the rest are not sent, and the reason names the assistant."""
    result = await run(api, rows(5, "asst_nope"), concurrency=1)
    assert 1 == len(call_posts(mock))
    assert (1, 4) == (len(result.errors), len(result.not_sent))
    assert result.stopped is not None
    assert "asst_nope" in result.stopped
    assert "that the assistant exists" in result.stopped


async def test_user_metadata_is_kept_and_the_row_key_added(
    api: AsyncRevox, mock: MockRevoxServer, assistant_id: str
) -> None:
    """The call's metadata is the row's, plus revox_async_key = the Idempotency-Key sent."""
    row = {**rows(1, assistant_id)[0], "metadata": {"crm_id": "42", "source": "csv"}}
    result = await api.calls.create_many([row])
    (call,) = result.calls
    (post,) = call_posts(mock)
    key = post.headers["Idempotency-Key"]
    assert {"crm_id": "42", "source": "csv", CALL_KEY_FIELD: key} == call.metadata
    assert key == result.results[0].idempotency_key
    assert {"crm_id": "42", "source": "csv"} == row["metadata"]  # the input is not touched


async def test_a_chosen_key_is_the_one_in_the_metadata(
    client: AsyncRevox, mocked: aioresponses
) -> None:
    """On the wire: the row's idempotency_key travels as the header and in metadata; a key
    the row brings may be an earlier run's, so that number's calls are searched first."""
    mocked.post(f"{BASE}/call/search", payload={"calls": [], "total_count": 0})
    mocked.post(f"{BASE}/call", payload={"call": call_json(metadata={CALL_KEY_FIELD: "row-7"})})
    row = {
        "phone_number": "+33612345678",
        "assistant_id": "asst_1",
        "metadata": {"crm_id": "42"},
        "idempotency_key": "row-7",
    }
    result = await client.calls.create_many([row])
    assert result.ok
    (body,) = sent(mocked, "POST", "/call")
    assert {
        "phone_number": "+33612345678",
        "assistant_id": "asst_1",
        "metadata": {"crm_id": "42", CALL_KEY_FIELD: "row-7"},
    } == body
    assert [("POST", "/api/call/search"), ("POST", "/api/call")] == [
        (method, url.path) for method, url in mocked.requests
    ]
    (request,) = mocked.requests[("POST", URL(f"{BASE}/call"))]
    assert "row-7" == request.kwargs["headers"]["Idempotency-Key"]


# -- exactly once against a server that ignores keys ------------------------------------


async def test_a_committed_call_answered_500_is_found_not_dialled_again(
    api: AsyncRevox, mock: MockRevoxServer, assistant_id: str
) -> None:
    """Commit-then-500: one POST, one search of that number, one call."""
    mock.fail_next("commit_then_fail")
    result = await run(api, rows(1, assistant_id))
    (item,) = result.results
    assert ("created", True) == (item.status, item.found_by_check)
    assert {item.created_id} == set(mock.calls)
    assert 1 == len(call_posts(mock))
    search = searches(mock)[0]  # page 1 (a server counting from 0 is read at page 0 next)
    assert "+33612340000" == search.body["to_phone_number"]
    assert ("created_at", "desc") == (search.body["sort_by"], search.body["sort_direction"])


async def test_lost_answers_in_a_batch_double_nothing(
    api: AsyncRevox, mock: MockRevoxServer, assistant_id: str
) -> None:
    """Several commits answered 500 and dropped connections across 12 rows: 12 calls,
    one per number, each row's key found once."""
    for kind in ("commit_then_fail", "drop", "commit_then_fail", "drop", "commit_then_fail"):
        mock.fail_next(kind)  # type: ignore[arg-type]
    result = await run(api, rows(12, assistant_id), concurrency=4)
    assert result.ok
    assert 12 == len(mock.calls)
    assert all(1 == n for n in numbers(mock).values())
    assert sum(item.found_by_check for item in result.results) >= 1
    keys = Counter(call["metadata"][CALL_KEY_FIELD] for call in mock.calls.values())
    assert all(1 == n for n in keys.values())


async def test_a_dropped_call_that_never_arrived_is_sent_again_with_its_key(
    api: AsyncRevox, mock: MockRevoxServer, assistant_id: str
) -> None:
    """A drop before the commit: the check finds nothing; the re-send keeps key and body."""
    mock.fail_next("drop")
    result = await run(api, rows(1, assistant_id))
    assert result.ok
    assert 1 == len(mock.calls)
    first, second = call_posts(mock)
    assert first.headers["Idempotency-Key"] == second.headers["Idempotency-Key"]
    assert first.body == second.body
    assert not result.results[0].found_by_check


async def test_an_older_call_to_the_same_number_is_not_taken_for_the_row(
    api: AsyncRevox, mock: MockRevoxServer, assistant_id: str
) -> None:
    """The same number was called just before, by someone else (same assistant, same
    variables): the check matches the row's key, not the look-alike, and dials."""
    (row,) = rows(1, assistant_id)
    async with AsyncRevox(api_key=mock.api_key, base_url=mock.base_url) as someone_else:
        await someone_else.calls.create(**row)
    mock.fail_next("drop")
    result = await run(api, [row])
    assert result.ok
    assert not result.results[0].found_by_check
    assert 2 == len(mock.calls)


async def test_a_retry_after_pauses_every_worker_once(
    api: AsyncRevox, mock: MockRevoxServer, assistant_id: str
) -> None:
    """A 429 asking 7 s: the workers wait on that one pause, nobody is doubled."""
    slept: list[float] = []

    async def record(delay: float) -> None:
        slept.append(delay)
        await asyncio.sleep(0)

    mock.fail_next("status", status=429, retry_after=7)
    result = await batch.create_many(
        api.calls, rows(8, assistant_id), concurrency=4, rate_limit=None, on_progress=None,
        sleep=record,
    )  # fmt: skip
    assert result.ok
    assert 8 == len(mock.calls)
    assert slept
    assert 6 < min(slept) <= max(slept) <= 7
    assert 9 == len(call_posts(mock))


async def test_a_rate_limit_spaces_the_posts(
    api: AsyncRevox, mock: MockRevoxServer, assistant_id: str
) -> None:
    """rate_limit=20: 6 calls take at least 5 intervals of 50 ms."""
    result = await api.calls.create_many(rows(6, assistant_id), concurrency=6, rate_limit=20)
    assert result.ok
    arrivals = sorted(r.received_at for r in call_posts(mock))
    assert arrivals[-1] - arrivals[0] >= 5 * 0.05 * 0.9


# -- the journal -----------------------------------------------------------------------


async def test_a_rerun_with_the_journal_dials_nobody_twice(
    api: AsyncRevox, mock: MockRevoxServer, assistant_id: str, tmp_path: Path
) -> None:
    """Second run, same journal and input: every row reported placed, no request at all."""
    journal = tmp_path / "calls.journal.jsonl"
    first = await run(api, rows(6, assistant_id), journal=journal)
    mock.requests.clear()
    again = await run(api, rows(6, assistant_id), journal=journal)
    assert [] == mock.requests
    assert 6 == len(mock.calls)
    assert all(item.from_journal and item.ok for item in again.results)
    assert [i.created_id for i in first.results] == [i.created_id for i in again.results]
    assert [] == again.calls  # nothing was placed this time
    header = json.loads(journal.read_text().splitlines()[0])
    assert "calls" == header["kind"]


@pytest.mark.parametrize("by", ["another-key", None])
async def test_a_row_sent_with_another_api_key_is_left_alone_by_a_rerun(
    api: AsyncRevox, mock: MockRevoxServer, assistant_id: str, tmp_path: Path, by: str | None
) -> None:
    """Row 1's answer was lost in a run with another API key (the journal records a digest
    of it): this key may see another account, where looking would find nothing and dial
    again, so the row is reported maybe created, neither searched for nor sent. A row
    this key sent (or a journal of before digests) is searched for and found."""
    journal = tmp_path / "calls.journal.jsonl"
    await run(api, rows(2, assistant_id), journal=journal)
    records = [json.loads(line) for line in journal.read_text().splitlines()]
    (sent,) = [r for r in records if r.get("row") == 0 and r.get("state") == "sent"]
    assert key_digest(mock.api_key) == sent["by"]
    kept = [r for r in records if not (r.get("row") == 0 and r.get("state") == "created")]
    for record in kept:
        if record is sent:
            record["by"] = by  # another key's digest; None: a journal without digests
    journal.write_text("".join(json.dumps(r) + "\n" for r in kept))
    mock.requests.clear()
    again = await run(api, rows(2, assistant_id), journal=journal)
    first = again.results[0]
    assert 2 == len(mock.calls)
    assert [] == call_posts(mock)
    if by is None:
        assert (True, 1) == (first.ok, len(searches(mock)))
        return
    assert (False, True, []) == (first.ok, first.maybe_created, searches(mock))
    assert isinstance(first.error, rx.OutcomeUnknownError)
    assert "another API key" in str(first.error)
    assert sent["key"] == first.error.idempotency_key


async def test_a_changed_input_is_refused(
    api: AsyncRevox, mock: MockRevoxServer, assistant_id: str, tmp_path: Path
) -> None:
    """Row 2 now names another number than the journal recorded: refused, nothing sent."""
    journal = tmp_path / "j.jsonl"
    await run(api, rows(3, assistant_id), journal=journal)
    changed = rows(3, assistant_id)
    changed[1]["phone_number"] = "+33699999999"
    mock.requests.clear()
    with pytest.raises(rx.BatchAbortedError, match="row 2") as caught:
        await run(api, changed, journal=journal)
    assert isinstance(caught.value.__cause__, rx.JournalMismatchError)
    assert [] == call_posts(mock)


async def test_an_assistants_journal_is_refused_for_calls(
    api: AsyncRevox, mock: MockRevoxServer, assistant_id: str, tmp_path: Path
) -> None:
    """A journal names what it created: an assistants journal cannot resume a calls batch."""
    journal = tmp_path / "j.jsonl"
    await api.assistants.create_many([{"name": "n", "prompt": "p"}], journal=journal)
    with pytest.raises(rx.JournalMismatchError, match="not of calls"):
        await api.calls.create_many(rows(1, assistant_id), journal=journal)
    assert {} == mock.calls


async def test_an_interrupted_run_then_a_rerun_places_each_call_once(
    api: AsyncRevox, mock: MockRevoxServer, assistant_id: str, tmp_path: Path
) -> None:
    """Cancelled with 4 calls in flight (their keys on disk, the server still committing
    them): the re-run checks those, places the rest, and the server holds exactly 12."""
    journal = tmp_path / "j.jsonl"
    mock.faults = FaultPlan(latency=0.3)
    task = asyncio.create_task(run(api, rows(12, assistant_id), journal=journal))
    await _until(lambda: journal.exists() and journal.read_text().count('"sent"') >= 4)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await _settled(mock)
    committed = len(mock.calls)
    assert 1 <= committed <= 4
    mock.faults = FaultPlan()
    result = await run(api, rows(12, assistant_id), journal=journal)
    assert result.ok
    assert 12 == len(mock.calls)
    assert all(1 == n for n in numbers(mock).values())
    assert committed == sum(item.found_by_check for item in result.results)


async def _until(condition: Callable[[], bool]) -> None:
    try:
        async with asyncio.timeout(10):
            while not condition():  # noqa: ASYNC110 - a file, not an event
                await asyncio.sleep(0.01)
    except TimeoutError:
        pytest.fail("waited 10 s in vain")


async def _settled(mock: MockRevoxServer, quiet: float = 0.6) -> None:
    """Wait until the server's calls have not changed for ``quiet`` seconds (at most 10 s)."""
    seen, since = -1, asyncio.get_running_loop().time()
    deadline = since + 10
    while True:
        now = asyncio.get_running_loop().time()
        if len(mock.calls) != seen:
            seen, since = len(mock.calls), now
        elif now - since >= quiet or now > deadline:
            return
        await asyncio.sleep(0.02)


# -- streaming and the sync client -----------------------------------------------------


async def test_the_stream_yields_every_call_as_it_finishes(
    api: AsyncRevox, mock: MockRevoxServer, assistant_id: str
) -> None:
    """create_many_iter: every row once, in some order, each with its call."""
    mock.faults = FaultPlan(seed=2, latency_jitter=0.01)
    items = [item async for item in api.calls.create_many_iter(rows(10, assistant_id))]
    assert list(range(10)) == sorted(item.index for item in items)
    assert {item.created_id for item in items} == set(mock.calls)
    assert all(isinstance(item.created, rx.Call) for item in items)


@pytest.fixture
def sync_server() -> Iterator[MockRevoxServer]:
    with MockRevoxServer(api_key="sync-key", idempotency="ignore") as server:
        yield server


def test_sync_create_many_places_the_calls(sync_server: MockRevoxServer) -> None:
    """SyncRevox: the same operation through the portal, a lost answer found, not doubled."""
    progress: list[int] = []
    with SyncRevox(
        api_key=sync_server.api_key, base_url=sync_server.base_url, outcome_window=0.05
    ) as client:
        assistant = client.assistants.create(name="Caller", prompt="p")
        sync_server.fail_next("commit_then_fail")
        result = client.calls.create_many(
            rows(5, assistant.id),
            concurrency=2,
            on_progress=lambda done, total, item: progress.append(done),
        )
        with pytest.raises(TypeError, match="create_many_iter streams for AsyncRevox"):
            client.calls.create_many_iter([])
    assert result.ok
    assert [1, 2, 3, 4, 5] == progress
    assert 5 == len(sync_server.calls)
    assert 1 == sum(item.found_by_check for item in result.results)
    assert all(isinstance(call, rx.Call) for call in result.calls)


# -- what could hide a placed call from the check, and does not ---------------------------


def _keyed_call(key: str, **fields: Any) -> dict[str, Any]:
    return call_json(id=f"call_{key}", metadata={CALL_KEY_FIELD: key}, **fields)


def _search_answers(mocked: Any, *pages: list[dict[str, Any]], total: int | None = None) -> None:
    for calls in pages:
        payload: dict[str, Any] = {"calls": calls}
        if total is not None:
            payload["total_count"] = total
        mocked.post(f"{BASE}/call/search", payload=payload)


async def test_a_gateway_504_waits_before_the_check(
    client: AsyncRevox, mocked: aioresponses, sleeps: list[float]
) -> None:
    """A proxy answering 504 while the server goes on creating: the check waits as long as
    a timeout would have before searching, then finds the call instead of dialling again."""
    _search_answers(mocked, [], [])  # its own key: looked for first (pages 1, 0), not there
    mocked.post(f"{BASE}/call", status=504, payload={"error": "Gateway Timeout"})
    _search_answers(mocked, [_keyed_call("row-1")], total=1)
    row = {"phone_number": "+33612345678", "assistant_id": "a", "idempotency_key": "row-1"}
    options: dict[str, Any] = {"concurrency": 1, "rate_limit": None, "on_progress": None}
    result = await batch.create_many(client.calls, [row], sleep=sleeps, **options)
    (item,) = result.results
    assert ("created", True, "call_row-1") == (item.status, item.found_by_check, item.created_id)
    assert 1 == len(sent(mocked, "POST", "/call"))
    assert [pytest.approx(client.timeout, abs=0.1)] == sleeps


@pytest.mark.parametrize(("made", "waits"), [(0, True), (86_400, False), (-86_400, True)])
async def test_a_key_this_sdk_made_a_moment_ago_waits_its_window_before_the_search(
    client: AsyncRevox, mocked: aioresponses, sleeps: list[float], made: int, waits: bool
) -> None:
    """A failed-rows file run again at once brings keys this SDK made a moment ago: an
    attempt of the interrupted run may still be under way, so the row waits a timeout and
    the window before searching (the key says when it was made); a key made yesterday is
    searched at once; one made "tomorrow" (another machine's clock ahead) waits too."""
    key = f"revox-async-{int(time.time()) - made:x}-{'0' * 32}"
    _search_answers(mocked, [_keyed_call(key)], total=1)
    row = {"phone_number": "+33612345678", "assistant_id": "a", "idempotency_key": key}
    (item,) = (await batch.create_many(client.calls, [row], sleep=sleeps)).results
    assert (True, f"call_{key}") == (item.found_by_check, item.created_id)
    window = client.timeout + client.outcome_window
    assert [pytest.approx(window, abs=1)] * waits == sleeps


async def test_a_row_a_clear_answer_failed_is_searched_at_once_on_resume(
    client: AsyncRevox, mocked: aioresponses, sleeps: list[float], tmp_path: Path
) -> None:
    """A journal's row refused with a 400 a moment ago: no attempt of it can be under way,
    so the resumed row searches for its key at once (no wait for its window), then dials."""
    journal = tmp_path / "calls.journal.jsonl"
    row = {"phone_number": "+33612345678", "assistant_id": "a"}
    mocked.post(f"{BASE}/call", status=400, payload={"message": "assistant busy"})
    (refused,) = (await client.calls.create_many([row], journal=journal)).results
    _search_answers(mocked, [], [])
    mocked.post(f"{BASE}/call", payload={"call": call_json(id="call_2")})
    (item,) = (await batch.create_many(client.calls, [row], journal=journal, sleep=sleeps)).results
    assert ("failed", "created") == (refused.status, item.status)
    assert ([], 2) == (sleeps, len(sent(mocked, "POST", "/call/search")))


@pytest.mark.parametrize(
    "stored",
    [
        {"created_at": "2001-01-01T00:00:00"},  # no timezone, and long ago
        {"created_at": None},
        {"to_phone_number": "+33612345678"},  # the server dropped the spaces
    ],
)
async def test_the_key_alone_finds_the_call(
    client: AsyncRevox, mocked: aioresponses, stored: dict[str, Any]
) -> None:
    """No time cut-off (a server clock behind ours, a timestamp without a zone) and numbers
    compared as dialled: a call carrying the row's key is that row's call."""
    _search_answers(mocked, [_keyed_call("row-2", **stored)], total=1)
    row = {"phone_number": "+33 6 12 34 56 78", "assistant_id": "a", "idempotency_key": "row-2"}
    (item,) = (await client.calls.create_many([row])).results
    assert (True, "call_row-2") == (item.found_by_check, item.created_id)
    assert [] == sent(mocked, "POST", "/call")


async def test_the_check_reads_past_a_short_page_while_total_count_says_more(
    client: AsyncRevox, mocked: aioresponses
) -> None:
    """A server capping pages at 50 (the check asks for 100): page 1, page 0 refused, then
    on to total_count."""
    others = [call_json(id=f"c{i}") for i in range(100)]
    _search_answers(mocked, others[:50], total=101)
    mocked.post(f"{BASE}/call/search", status=422, payload={"message": "page: at least 1"})
    _search_answers(mocked, others[50:], [_keyed_call("row-3")], total=101)
    row = {"phone_number": "+33612345678", "assistant_id": "a", "idempotency_key": "row-3"}
    (item,) = (await client.calls.create_many([row])).results
    assert (True, "call_row-3") == (item.found_by_check, item.created_id)
    assert [1, 0, 2, 3] == [body["page"] for body in sent(mocked, "POST", "/call/search")]
    assert [] == sent(mocked, "POST", "/call")


async def test_failed_rows_retried_with_their_keys_are_not_dialled_again(
    api: AsyncRevox, mock: MockRevoxServer, assistant_id: str
) -> None:
    """A row whose answer and check both failed, re-run without a journal but with its key
    (what the CLI's failed-rows file holds): found, not placed twice."""
    api._sleep = no_sleep
    mock.fail_next("commit_then_fail")
    mock.fail_next("status", status=503, times=1 + api.max_retries)  # the search, retried
    (first,) = (await run(api, rows(1, assistant_id))).results
    assert (first.status, first.maybe_created) == ("failed", True)
    assert "same idempotency_key" in "".join(first.error.__notes__ if first.error else [])
    again = {**rows(1, assistant_id)[0], "idempotency_key": first.idempotency_key}
    (second,) = (await run(api, [again])).results
    assert ("created", True) == (second.status, second.found_by_check)
    assert 1 == len(mock.calls)
