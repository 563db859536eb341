"""A hostile calls server on 127.0.0.1: what an unlucky user's network does to ``POST /call``.

It ignores ``Idempotency-Key`` (as the live API appears to), and per attempt it can
answer a 5xx (the 52x family of CDNs included) *after* placing the call, place the call
only seconds after answering ("the call appears later"), drop the connection after
reading the request, or take longer than the client waits. It writes ``created_at``
with a zone, without one, minutes off or unreadable; it stores the number as typed or
as dialled and finds it in a search only in the form it stored. It counts what it did,
so a test can say the one thing that matters: **every row was placed exactly once**::

    server = HostileCalls(Faults(kinds=("524",), rate=1.0, late=0.5))
    async with server.serve():
        ...                      # AsyncRevox(base_url=server.url, api_key=KEY, ...)
    assert 1 == server.placed["+33612000000"]

Faults are decided per attempt from ``(seed, number, attempt)``, so a row meets the
same faults whatever order concurrent rows arrive in. Only the first
``Faults.fault_attempts`` attempts of a number may fail: a client that looks before
re-sending always ends with the call placed.

``with server.running():`` serves from a thread of its own, for a CLI subprocess.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import random
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, get_args

from aiohttp import web

KEY = "sk-hostile"
"""The API key the server accepts (a one-letter key would be redacted out of every word
of an error page that contains the letter)."""

Fault = Literal[
    "500", "502", "503", "504", "520", "522", "524", "drop", "slow", "lost", "503-unplaced"
]
FAULTS: tuple[Fault, ...] = get_args(Fault)
PLACED_THEN_STATUS: tuple[Fault, ...] = ("500", "502", "503", "504", "520", "522", "524")
"""Faults that place the call, then answer that status."""
UNKNOWN_OUTCOMES: tuple[Fault, ...] = (*PLACED_THEN_STATUS, "drop", "slow")
"""Every fault after which the call exists (or will, ``late`` seconds on). The two others,
``lost`` (the connection dropped) and ``503-unplaced``, leave no call: the request never
reached the call logic."""
Clock = Literal["utc", "naive", "skewed", "unreadable"]
Numbers = Literal["typed", "dialled"]
Pages = Literal["from-1", "from-0", "422-on-0"]

SKEW = timedelta(minutes=-11)
"""How far the ``skewed`` clock is off: behind, which hides a call from a time cut-off."""


def dialled(number: str) -> str:
    """A number as dialled: ``+``, then its digits (``+33 6 12-00`` is ``+3361200``)."""
    return ("+" if number.lstrip().startswith("+") else "") + "".join(filter(str.isdigit, number))


@dataclass(frozen=True, kw_only=True)
class Faults:
    """What the server does to ``POST /call``, per attempt; the default does no harm."""

    kinds: tuple[Fault, ...] = ()
    """The faults to pick from (one at random, seeded, per failing attempt)."""
    rate: float = 0.0
    """The chance that one of a number's first ``fault_attempts`` attempts fails."""
    fault_attempts: int = 2
    """Attempts of a number after these never fail."""
    late: float = 0.0
    """Seconds after a fault before its call is placed (0: before the answer)."""
    latency: float = 0.0
    """Seconds every ``POST /call`` takes before it does anything (a run that lasts)."""
    slow: float = 1.5
    """How long a ``slow`` attempt takes to place its call and answer (well beyond the
    client's timeout): it is placed then, answered or not."""
    seed: int = 0


@dataclass
class HostileCalls:
    """The server's behaviour and what it saw. ``placed`` counts calls per number as
    dialled, ``by_key`` per ``Idempotency-Key`` of the request that placed them."""

    faults: Faults = field(default_factory=Faults)
    clock: Clock = "utc"
    numbers: Numbers = "typed"
    pages: Pages = "from-1"
    sorts: bool = True
    """Whether the search honours ``sort_direction`` (``False``: oldest first, always)."""
    refused: frozenset[str] = frozenset()
    """Numbers (as dialled) whose every ``POST /call`` is answered 400, placing nothing."""
    lookups_fail: bool = False
    keeps_metadata: bool = True
    """Whether a call keeps the ``metadata`` sent (``False``: every call lists it as null)."""
    """Every ``POST /call/search`` answers 503: the client can never find out."""
    assistants: frozenset[str] = frozenset({"asst_hostile"})
    """The assistants ``GET /assistants/{id}`` knows."""

    url: str = ""
    calls: dict[str, tuple[str, str, dict[str, Any]]] = field(default_factory=dict)
    """Each call placed, by id: (number as stored, ``created_at``, the body sent); kept
    small, as the benchmark places 100,000 (`call` gives the JSON)."""
    by_number: dict[str, list[str]] = field(default_factory=dict)
    """The ids of the calls to each number as stored, in the order placed."""
    placed: Counter[str] = field(default_factory=Counter)
    by_key: Counter[str | None] = field(default_factory=Counter)
    attempts: Counter[str] = field(default_factory=Counter)
    """``POST /call`` received, per number as dialled."""
    faulted: Counter[str] = field(default_factory=Counter)
    """Faults dealt, per kind."""
    lookups: int = 0
    """``POST /call/search`` received."""
    _working: set[asyncio.Task[Any]] = field(default_factory=set)
    """``POST /call`` handlers under way, and calls to be placed later."""
    _loop: asyncio.AbstractEventLoop | None = None
    _waiting: list[tuple[int, asyncio.Future[None]]] = field(default_factory=list)
    _ids: Iterator[int] = field(default_factory=itertools.count)

    @property
    def posts(self) -> int:
        """``POST /call`` received, in all."""
        return sum(self.attempts.values())

    async def received(self, count: int) -> None:
        """Once ``count`` ``POST /call`` have arrived in all (in the server's loop)."""
        if self.posts < count:
            arrived = asyncio.get_running_loop().create_future()
            self._waiting.append((count, arrived))
            await arrived

    async def settled(self) -> None:
        """Once every ``POST /call`` received is done and every call due later is placed:
        what to wait for before counting."""
        while self._working - {asyncio.current_task()}:
            await asyncio.gather(*self._working - {asyncio.current_task()}, return_exceptions=True)

    def wait_settled(self) -> None:
        """`settled`, from another thread than the server's (``running()``)."""
        assert self._loop is not None
        asyncio.run_coroutine_threadsafe(self.settled(), self._loop).result(30)

    def twice(self) -> dict[str, int]:
        """The numbers called more than once, with how often: what must be empty."""
        return {number: n for number, n in self.placed.items() if n > 1}

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._auth])
        app.router.add_post("/call", self._create)
        app.router.add_post("/call/search", self._search)
        app.router.add_get("/call/{id}", self._retrieve)
        app.router.add_get("/assistants/{id}", self._assistant)
        return app

    # -- serving -------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def serve(self) -> AsyncIterator[HostileCalls]:
        """Serve on 127.0.0.1 (a free port) in this loop; ``url`` is the base URL."""
        runner = web.AppRunner(self.app(), access_log=None, shutdown_timeout=0.1)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        self._loop = asyncio.get_running_loop()
        try:
            yield self
        finally:
            await runner.cleanup()
            await self.settled()

    @contextlib.contextmanager
    def running(self) -> Iterator[HostileCalls]:
        """Serve from a thread with a loop of its own (for subprocesses to call)."""
        started = threading.Event()
        stop: list[asyncio.Event] = []
        loop: list[asyncio.AbstractEventLoop] = []

        async def main() -> None:
            async with self.serve():
                stop.append(asyncio.Event())
                loop.append(asyncio.get_running_loop())
                started.set()
                await stop[0].wait()

        thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
        thread.start()
        if not started.wait(10):
            raise RuntimeError("the hostile server did not start")
        try:
            yield self
        finally:
            loop[0].call_soon_threadsafe(stop[0].set)
            thread.join(10)

    # -- handlers --------------------------------------------------------------------

    @web.middleware
    async def _auth(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if request.headers.get("Authorization") != f"Bearer {KEY}":
            return web.json_response({"error": "unauthorized"}, status=401)
        response: web.StreamResponse = await handler(request)
        return response

    def _fault(self, number: str) -> Fault | None:
        attempt = self.attempts[number]
        self.attempts[number] += 1
        for count, arrived in self._waiting:
            if count <= self.posts and not arrived.done():
                arrived.set_result(None)
        faults = self.faults
        if not faults.kinds or attempt >= faults.fault_attempts:
            return None
        rng = random.Random(f"{faults.seed}:{number}:{attempt}")
        if rng.random() >= faults.rate:
            return None
        fault = rng.choice(faults.kinds)
        self.faulted[fault] += 1
        return fault

    async def _create(self, request: web.Request) -> web.StreamResponse:  # noqa: PLR0911
        self._track(asyncio.current_task())
        body = await request.json()
        number = body.get("phone_number") if isinstance(body, dict) else None
        if not isinstance(number, str) or not number:
            return web.json_response({"error": "phone_number: required"}, status=422)
        key = request.headers.get("Idempotency-Key")  # counted, never honoured
        fault = self._fault(dialled(number))  # the attempt is counted as it arrives
        if self.faults.latency:
            await asyncio.sleep(self.faults.latency)
        if dialled(number) in self.refused:
            return web.json_response({"error": "phone_number: not a number we call"}, status=400)
        if fault is None:
            return web.json_response({"call": self._place(body, key)})
        if fault == "lost":
            return _drop(request)
        if fault == "503-unplaced":
            return web.json_response({"error": "overloaded"}, status=503)
        if fault == "slow":
            self._later(self.faults.slow, body, key)
            await asyncio.sleep(self.faults.slow)
            return web.json_response({"error": "the client left long ago"}, status=504)
        if self.faults.late:
            self._later(self.faults.late, body, key)
        else:
            self._place(body, key)
        if fault == "drop":
            return _drop(request)
        return web.Response(status=int(fault), text=f"<html>{fault}: origin still working</html>")

    def _later(self, delay: float, body: Mapping[str, Any], key: str | None) -> None:
        async def place() -> None:
            await asyncio.sleep(delay)
            self._place(body, key)

        self._track(asyncio.create_task(place()))

    def _track(self, task: asyncio.Task[Any] | None) -> None:
        if task is not None:
            self._working.add(task)
            task.add_done_callback(self._working.discard)

    def _place(self, body: Mapping[str, Any], key: str | None) -> dict[str, Any]:
        number = body["phone_number"]
        call_id = f"call_{next(self._ids):06d}"
        stored = number if self.numbers == "typed" else dialled(number)
        self.calls[call_id] = (stored, self._created_at(), dict(body))
        self.by_number.setdefault(stored, []).append(call_id)
        self.placed[dialled(number)] += 1
        self.by_key[key] += 1
        return self.call(call_id)

    def earlier_calls(
        self, body: Mapping[str, Any], count: int, *, days_ago: float = 1
    ) -> list[str]:
        """Calls placed before the test (not counted in ``placed``), to the number of
        ``body`` with its content, ``days_ago`` days ago: their ids."""
        stored = body["phone_number"] if self.numbers == "typed" else dialled(body["phone_number"])
        then = (datetime.now(UTC) - timedelta(days=days_ago)).isoformat()
        ids = []
        for _ in range(count):
            call_id = f"call_{next(self._ids):06d}"
            self.calls[call_id] = (stored, then.replace("+00:00", "Z"), dict(body))
            self.by_number.setdefault(stored, []).append(call_id)
            ids.append(call_id)
        return ids

    def call(self, call_id: str) -> dict[str, Any]:
        """A call as ``POST /call`` and the search return it."""
        number, created_at, body = self.calls[call_id]
        if not self.keeps_metadata:
            body = {**body, "metadata": None}
        return _call(call_id, body, number, created_at)

    def _created_at(self) -> str:
        now = datetime.now(UTC)
        if self.clock == "naive":
            return now.strftime("%Y-%m-%d %H:%M:%S")
        if self.clock == "skewed":
            return (now + SKEW).isoformat().replace("+00:00", "Z")
        if self.clock == "unreadable":
            return now.strftime("%a %d %b, around %H h")
        return now.isoformat().replace("+00:00", "Z")

    async def _search(self, request: web.Request) -> web.StreamResponse:
        self.lookups += 1
        if self.lookups_fail:
            return web.json_response({"error": "search unavailable"}, status=503)
        body = await request.json()
        page, size = body.get("page"), body.get("page_size")
        if not isinstance(page, int) or not isinstance(size, int) or size < 1 or page < 0:
            return web.json_response({"error": "page, page_size: whole numbers"}, status=422)
        if self.pages == "422-on-0" and page == 0:
            return web.json_response({"error": "page: must be >= 1"}, status=422)
        first = page if self.pages == "from-0" else max(page, 1) - 1
        number = body.get("to_phone_number")
        ids = self.by_number.get(number, []) if number is not None else list(self.calls)
        found = [call for call in map(self.call, ids) if _wanted(call, body)]  # in the order placed
        if self.sorts and body.get("sort_direction") == "desc":
            found.reverse()
        return web.json_response(
            {"calls": found[first * size : (first + 1) * size], "total_count": len(found)}
        )

    async def _retrieve(self, request: web.Request) -> web.StreamResponse:
        call_id = request.match_info["id"]
        if call_id not in self.calls:
            return web.json_response({"error": "not found"}, status=404)
        return web.json_response({"call": self.call(call_id)})

    async def _assistant(self, request: web.Request) -> web.StreamResponse:
        assistant_id = request.match_info["id"]
        if assistant_id not in self.assistants:
            return web.json_response({"error": "not found"}, status=404)
        return web.json_response(_assistant(assistant_id))  # bare, as the API answers


def _drop(request: web.Request) -> web.StreamResponse:
    """Close the connection: the client gets no answer at all."""
    if request.transport is not None:
        request.transport.close()
    return web.Response()


def _wanted(call: Mapping[str, Any], query: Mapping[str, Any]) -> bool:
    """Whether ``call`` matches a CallFilter (``to_phone_number``: exactly as stored, as a
    plain database column would; the caller picked the calls by it); empty lists filter
    nothing."""
    ids = query.get("call_ids")
    if ids and call["id"] not in ids:
        return False
    assistant_ids = query.get("assistant_ids")
    return not assistant_ids or call["assistant"]["id"] in assistant_ids


def _call(call_id: str, body: Mapping[str, Any], number: str, created_at: str) -> dict[str, Any]:
    """A call just ordered, as ``POST /call`` and the search return it."""
    assistant_id = body.get("assistant_id") or "asst_inline"
    return {
        "id": call_id,
        "organization_id": "org_hostile",
        "status": "queued_for_calling",
        "direction": "outbound",
        "from_phone_number": body.get("from_phone_number") or "+14155550100",
        "to_phone_number": number,
        "created_at": created_at,
        "updated_at": created_at,
        "scheduled_at": body.get("scheduled_at"),
        "is_cancelled": False,
        "is_completed": False,
        "calls_count": 0,
        "call_attempts": [],
        "assistant": _assistant(assistant_id),
        "llm_model": {"type": "dedicated-instance", "name": "gpt-4.1"},
        "first_sentence_delay_ms": 400,
        "contact": {},
        "metadata": body.get("metadata"),  # kept as sent
        "prompt_variables": body.get("prompt_variables"),
        "outcome": None,
    }


def _assistant(assistant_id: str) -> dict[str, Any]:
    """An assistant as the API returns it, inside each call too (its fields shared, not
    copied: the benchmark's server holds 100,000 calls)."""
    return {**ASSISTANT_FIELDS, "id": assistant_id}


ASSISTANT_FIELDS: dict[str, Any] = {
    "organization_id": "org_hostile",
    "name": "Hostile caller",
    "prompt": "You call people about their appointment and note whether they will come.",
    "created_at": "2026-01-02T03:04:05.000Z",
    "updated_at": "2026-01-02T03:04:05.000Z",
    "background_sound": None,
    "calendly": None,
    "call_retry_config": {
        "calling_windows": [
            {
                "calling_window_start_time": "10:00",
                "calling_window_end_time": "18:00",
                "retry_delay_seconds": 7200,
            }
        ],
        "max_retry_attempts": 3,
        "allowed_days": ["monday", "tuesday", "wednesday", "thursday", "friday"],
        "call_twice_in_a_row": False,
        "timezone": None,
    },
    "end_of_call_sentence": None,
    "faq_items": [],
    "first_sentence": "Hello! I am calling about your appointment.",
    "first_sentence_delay_ms": 400,
    "first_sentence_mode": "static",
    "ivr_navigation_enabled": False,
    "llm_model": {"type": "dedicated-instance", "name": "gpt-4.1"},
    "max_call_duration_secs": 600,
    "structured_output_config": [],
    "transfer_phone_number": None,
    "voice": {"id": "v1", "provider": "cartesia", "speed": 1.0},
    "voicemail_message": None,
    "webhook_url": None,
    "pending_faq_count": 0,
}


Spawn = Callable[..., subprocess.Popen[str]]


@contextlib.contextmanager
def cli_processes() -> Iterator[Spawn]:
    """``start(server, *args, cwd=None)`` runs ``revox-async --base-url URL ARGS`` with
    ``REVOX_API_KEY`` set, in a process of its own; any left running at the end is killed."""
    processes: list[subprocess.Popen[str]] = []

    def start(server: HostileCalls, *args: str | Path, cwd: Path | None = None) -> Any:
        command = [sys.executable, "-m", "revox_async", "--base-url", server.url, *map(str, args)]
        env = {**os.environ, "REVOX_API_KEY": KEY}
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=cwd
        )
        processes.append(process)
        return process

    try:
        yield start
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
            process.communicate()
