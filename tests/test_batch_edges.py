"""create_many at the edges bulk jobs hit: lost answers, wrong keys, long waits, re-runs."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import revox_async as rx
from revox_async import AsyncRevox
from revox_async import _batch as batch
from revox_async._batch import decide
from revox_async.testing import FaultPlan, MockRevoxServer


@pytest.fixture
def mock(revox_mock: MockRevoxServer) -> MockRevoxServer:
    """The shipped plugin's mock server, emptied for each test, ignoring keys like the API."""
    revox_mock.idempotency = "ignore"
    return revox_mock


@pytest.fixture
async def api(mock: MockRevoxServer) -> AsyncIterator[AsyncRevox]:
    async with AsyncRevox(api_key=mock.api_key, base_url=mock.base_url, max_retries=3) as client:
        yield client


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
    assert item.assistant is not None
    assert set(mock.assistants) == {item.assistant.id}
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
    assert set(mock.assistants) == {item.assistant_id for item in result.results}


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


@pytest.mark.parametrize(
    ("status", "retry_after", "action", "check_first"),
    [
        (401, None, "stop", False),
        (403, None, "stop", False),
        (404, None, "stop", False),
        (429, 86400.0, "stop", False),
        (503, 86400.0, "stop", True),
        (429, 1.0, "retry", False),
        (500, None, "retry", True),
        (400, None, "fail", False),
        (422, None, "fail", False),
    ],
)
def test_what_each_answer_means(
    status: int, retry_after: float | None, action: str, check_first: bool
) -> None:
    """decide(): stop, retry (checking first when the create may have happened) or fail."""
    error = rx.APIStatusError(
        "x", method="POST", url="u", status_code=status, headers={}, body=None,
        retry_after=retry_after,
    )  # fmt: skip
    step = decide(error, 0, 2, rand=0)
    assert (action, check_first) == (step.action, step.check_first)


def test_retries_exhausted_on_an_unknown_outcome_still_check() -> None:
    """The last attempt lost: fail, but check first."""
    error = rx.APIConnectionError("reset", method="POST", url="u")
    step = decide(error, 2, 2)
    assert ("fail", True) == (step.action, step.check_first)


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
    assert [i.assistant_id for i in first.results] == [i.assistant_id for i in again.results]


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


class RacingAssistants:
    """A fake resource: the 2nd create commits first but answers last; the 1st commits
    after it, then answers 500. A listing between the two sees both, unclaimed."""

    def __init__(self) -> None:
        self.stored: list[rx.Assistant] = []
        self.second_committed = asyncio.Event()
        self.release_second = asyncio.Event()
        self.calls = 0
        self._client = self
        self.max_retries = 2
        self.timeout = 60.0
        self._created: list[str] = []
        self.assistants = self
        self.PARAMS = rx.Assistants.PARAMS

    def with_options(self, **_: Any) -> RacingAssistants:
        return self

    async def _execute(self, request: Any) -> rx.Assistant:
        return await self.create(**request.body)

    async def create(self, **params: Any) -> rx.Assistant:
        self.calls += 1
        made = rx.Assistant(
            id=f"asst_{self.calls}", name=params["name"], prompt=params["prompt"],
            created_at=datetime.now(UTC),
        )  # fmt: skip
        if self.calls == 1:
            await self.second_committed.wait()
            self.stored.append(made)
            raise rx.InternalServerError(
                "500", method="POST", url="u", status_code=500, headers={}, body=None
            )
        self.stored.insert(0, made)
        self.second_committed.set()
        await self.release_second.wait()
        return made

    async def list(self) -> list[rx.Assistant]:
        return list(self.stored)


async def test_a_check_waits_for_an_identical_row_still_in_flight() -> None:
    """Two identical rows: the check of the one answered 500 does not take the assistant
    the other is about to be answered with."""
    fake = RacingAssistants()
    same = {"name": "same", "prompt": "p"}
    run_ = batch.BatchRun(fake, [same, same], concurrency=2, sleep=no_sleep)  # type: ignore[arg-type]

    async def collect() -> list[rx.BatchItem]:
        return [item async for item in run_.items()]

    task = asyncio.create_task(collect())
    for _ in range(50):
        await asyncio.sleep(0)
    fake.release_second.set()
    items = await task
    assert {"asst_1", "asst_2"} == {item.assistant_id for item in items}
