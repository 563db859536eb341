"""Attacks on the engine after the lean round: a row's back-off and pacing, the deadline
during a look, waiting for attempts in flight, cancelled keyed creates, and the threaded
mock's lifecycle.

A row told to retry an answer that made nothing waits its back-off in the batch's own
wait, which a stop cuts short; a row waiting for its pace sends nothing once the batch
stops; a create whose look outlasts ``create_deadline`` sends nothing more; a look waits
for every attempt with its identity; a keyed create cancelled holds its key for the next
one in the client; the threaded mock, started and stopped many times, refused a port, or
stopped with a request and a webhook under way, leaves no thread behind.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from revox_async import APIStatusError, AsyncRevox, BadRequestError, SyncRevox
from revox_async._batch import BatchItem, BatchStream
from revox_async._retry import _Lookups
from revox_async.testing import FaultPlan, MockRevoxServer
from tests.conftest import Sleeps, assistant_json
from tests.hostile_calls import KEY as HOSTILE_KEY
from tests.hostile_calls import Faults, HostileCalls
from tests.test_hostile_server import Server, serve

ROW = {"name": "Front desk", "prompt": "You book appointments."}


class Assistants:
    """``POST /api/assistants`` answering each of ``first`` in turn (making nothing), then
    making the assistant; ``GET /api/assistants`` lists what was made, after ``listing_takes``
    seconds."""

    def __init__(self, *first: web.Response, listing_takes: float = 0.0) -> None:
        self.first = list(first)
        self.listing_takes = listing_takes
        self.made: list[dict[str, Any]] = []
        self.posts = self.listings = 0
        self.server = Server()
        self.server.route("POST", "/api/assistants", self.create)
        self.server.route("GET", "/api/assistants", self.listing)

    async def create(self, request: web.Request) -> web.StreamResponse:
        self.posts += 1
        body = await request.json()
        if self.first:
            return self.first.pop(0)
        made = assistant_json(id=f"asst_{len(self.made) + 1}", **body)
        self.made.append(made)
        return web.json_response({"assistant": made}, status=201)

    async def listing(self, request: web.Request) -> web.StreamResponse:
        self.listings += 1
        await asyncio.sleep(self.listing_takes)
        return web.json_response({"assistants": self.made})


def retry_this() -> web.Response:
    """A 400 the server asks to retry (``x-should-retry: true``): nothing was made."""
    return web.json_response({"error": "try again"}, status=400, headers={"x-should-retry": "true"})


@pytest.fixture
async def served() -> AsyncIterator[Assistants]:
    assistants = Assistants(retry_this())
    async with serve(assistants.server):
        yield assistants


@pytest.fixture
async def api(served: Assistants, sleeps: Sleeps) -> AsyncIterator[AsyncRevox]:
    async with AsyncRevox(api_key="k", base_url=served.server.url + "/api") as client:
        client._sleep = sleeps
        yield client


async def read(stream: BatchStream) -> list[BatchItem]:
    """Every item of ``stream``, by row (a batch that hangs fails here, not forever)."""
    async with asyncio.timeout(30):
        items = [item async for item in stream]
    return sorted(items, key=lambda item: item.index)


async def test_a_row_told_to_retry_waits_its_backoff_in_the_batchs_wait(
    api: AsyncRevox, served: Assistants, sleeps: Sleeps
) -> None:
    """A row answered 400 with x-should-retry (nothing made, nothing to look for) waits
    one backoff through the batch's sleep, not the client's, then is created once."""
    waits = Sleeps()
    (item,) = await read(BatchStream(api.assistants, [ROW], sleep=waits))
    assert ("asst_1", 2, 0) == (item.created_id, served.posts, served.listings)
    assert (1, []) == (len(waits), sleeps)
    assert 0.375 <= waits[0] <= 0.5


async def test_a_stop_cuts_a_rows_backoff_short_and_nothing_more_is_sent(
    api: AsyncRevox, served: Assistants
) -> None:
    """The batch is stopped while a row waits out its backoff (a sleep that never ends on
    its own): the row stops waiting and reports its 400; the server saw one POST."""
    stream: BatchStream

    async def stop_then_hang(seconds: float) -> None:
        stream.stop()
        await asyncio.Event().wait()

    stream = BatchStream(api.assistants, [ROW], sleep=stop_then_hang)
    (item,) = await read(stream)
    assert isinstance(item.error, BadRequestError)
    assert ("failed", False, 1) == (item.status, item.maybe_created, served.posts)


async def test_a_row_waiting_for_its_pace_when_the_batch_stops_sends_nothing(
    api: AsyncRevox, served: Assistants
) -> None:
    """rate_limit=1: the 2nd row waits for its turn; the batch stops during that wait. The
    row is not sent (one POST in all: the 1st row's), and says so."""
    served.first.clear()
    stream: BatchStream

    async def stop(seconds: float) -> None:
        stream.stop()

    rows = [ROW, {**ROW, "name": "Back office"}]
    stream = BatchStream(api.assistants, rows, rate_limit=1, concurrency=2, sleep=stop)
    first, second = await read(stream)
    assert ("created", "not_sent", False) == (first.status, second.status, second.maybe_created)
    assert (1, ["Front desk"]) == (served.posts, [made["name"] for made in served.made])


async def test_a_look_that_outlasts_create_deadline_sends_nothing_more(sleeps: Sleeps) -> None:
    """A create answered 503 (nothing made) looks first; the listing takes longer than
    what is left of its 1 s create_deadline: it found nothing, so the 503 is raised, and
    no second POST is sent."""
    unavailable = web.json_response({"error": "overloaded"}, status=503)
    served = Assistants(unavailable, listing_takes=1.2)
    async with serve(served.server):
        url = served.server.url + "/api"
        options = {"outcome_window": 0, "create_deadline": 1.0, "max_retries": 2}
        async with AsyncRevox(api_key="k", base_url=url, **options) as api:
            api._sleep = sleeps
            with pytest.raises(APIStatusError) as raised:
                await api.assistants.create(**ROW)
    assert (503, 1, 1) == (raised.value.status_code, served.posts, served.listings)
    assert [] == served.made


def threads() -> set[str]:
    return {thread.name for thread in threading.enumerate()}


def test_the_threaded_mock_started_and_stopped_many_times_leaves_no_thread() -> None:
    """Twenty ``with MockRevoxServer()`` blocks, each answering a request: the threads
    alive after are those alive before."""
    before = threads()
    for _ in range(20):
        with (
            MockRevoxServer() as mock,
            SyncRevox(api_key=mock.api_key, base_url=mock.base_url) as api,
        ):
            api.assistants.create(**ROW)
    assert before == threads()


def test_a_threaded_mock_refused_its_port_says_so_and_leaves_no_thread() -> None:
    """A port already listened on: OSError naming the address, and no server thread left
    running (the portal started for it is stopped)."""
    before = threads()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(OSError, match=f"'127.0.0.1', {port}"), MockRevoxServer(port=port):
            pass
    assert before == threads()


def test_a_threaded_mock_stopped_with_a_webhook_and_a_request_under_way_ends_them() -> None:
    """Leaving ``with`` while a webhook waits to be retried and a request sleeps in the
    mock's latency: the delivery is marked failed, the request fails, no thread is left."""
    before = threads()
    failed: list[BaseException] = []
    arrived = threading.Event()

    def latency() -> float:
        arrived.set()
        return 30.0

    with MockRevoxServer() as mock:
        mock.webhook_retry_delays = (60,)
        url, key = mock.base_url, mock.api_key
        with SyncRevox(api_key=key, base_url=url) as api:
            hook = "http://127.0.0.1:9/hook"  # nothing listens: the first attempt fails
            assistant = api.assistants.create(**ROW, webhook_url=hook)
            api.calls.create(phone_number="+33600000001", assistant_id=assistant.id)
            mock.advance(60)
        mock._latency = latency  # type: ignore[method-assign]

        def slow() -> None:
            with SyncRevox(api_key=key, base_url=url, max_retries=0) as api:
                try:
                    api.assistants.list()
                except Exception as exc:
                    failed.append(exc)

        request = threading.Thread(target=slow)
        request.start()
        arrived.wait(30)
    request.join(30)
    assert ["failed"] == [delivery.state for delivery in mock.webhook_deliveries]
    assert (1, before) == (len(failed), threads())


CALL = {"phone_number": "+33612000000", "assistant_id": "asst_hostile"}


class Said(logging.Handler):
    """``said`` is set once the SDK logs a line holding ``words``."""

    def __init__(self, words: str) -> None:
        super().__init__(logging.INFO)
        self.words = words
        self.said = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if self.words in record.getMessage():
            self.said.set()


@pytest.mark.parametrize("when", ["in its attempt", "waiting to look"])
async def test_a_keyed_create_cancelled_holds_its_key_for_the_next_one(
    when: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """calls.create with key order-7 is cancelled (while its POST is under way, or while it
    waits out its window after a timeout); the server places that call 0.5 s after it
    arrived. The next create with order-7, at once in the same client, waits out the 1 s
    window, finds the call and dials nothing."""
    timed_out = Said("looking for what it made")
    sdk = logging.getLogger("revox_async")
    caplog.set_level(logging.INFO, logger="revox_async")
    monkeypatch.setattr(sdk, "handlers", [*sdk.handlers, timed_out])
    hostile = HostileCalls(Faults(kinds=("slow",), rate=1.0, fault_attempts=1, slow=0.5))
    row = {**CALL, "idempotency_key": "order-7"}
    async with hostile.serve():
        options = {"timeout": 0.1 if when == "waiting to look" else 5, "outcome_window": 1.0}
        async with AsyncRevox(base_url=hostile.url, api_key=HOSTILE_KEY, **options) as api:
            first = asyncio.create_task(api.calls.create(**row))
            await hostile.received(1)
            if when == "waiting to look":
                async with asyncio.timeout(30):  # the attempt timed out: it waits out its window
                    await timed_out.said.wait()
            first.cancel()
            with pytest.raises(asyncio.CancelledError):
                await first
            call = await api.calls.create(**row)
        await hostile.settled()
    assert {"+33612000000": 1} == dict(hostile.placed)
    assert ([call.id], 1) == (list(hostile.calls), hostile.posts)


async def test_a_look_waits_for_every_attempt_with_its_identity_even_one_started_as_it_wakes() -> (
    None
):
    """Two lookups wait for identity k's attempt; it ends and another with k starts before
    they run: both keep waiting, and wake when that one ends. One arriving then returns."""
    lookups = _Lookups()
    lookups.started("k")
    waiting = [asyncio.create_task(lookups.settled("k")) for _ in range(2)]
    await asyncio.sleep(0)
    lookups.finished("k")
    lookups.started("k")
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert [False, False] == [task.done() for task in waiting]
    lookups.finished("k")
    async with asyncio.timeout(30):
        await asyncio.gather(*waiting, lookups.settled("k"))


def test_sync_threads_sharing_a_client_create_each_assistant_once() -> None:
    """Four threads share one SyncRevox, each creating three assistants of its own; the mock
    commits half the creates, then answers 500 (its listings never fail): each of the 12
    exists once, and each thread got its own three."""
    got: dict[int, list[str]] = {}
    posts_fail = FaultPlan(seed=3, commit_then_fail_rate=0.5, methods=frozenset({"POST"}))
    with MockRevoxServer(faults=posts_fail) as mock:
        with SyncRevox(api_key=mock.api_key, base_url=mock.base_url, outcome_window=0) as api:

            def create(thread: int) -> None:
                rows = [{"name": f"t{thread}-{n}", "prompt": "p"} for n in range(3)]
                got[thread] = [api.assistants.create(**row).name for row in rows]

            workers = [threading.Thread(target=create, args=(n,)) for n in range(4)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join(60)
        names = sorted(assistant["name"] for assistant in mock.assistants.values())
        faulted = sum(request.fault is not None for request in mock.requests)
    expected = [[f"t{thread}-{n}" for n in range(3)] for thread in range(4)]
    assert expected == [got[thread] for thread in range(4)]
    assert sorted(name for names_of_one in expected for name in names_of_one) == names
    assert faulted > 0
