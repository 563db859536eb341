"""``MockRevoxServer``: an in-memory Revox API on 127.0.0.1.

The server owns the request pipeline (auth, injected faults, the request
log, idempotency keys) and the event loop. The rest has a module each:

* ``_state``: `MockState`, the stored objects, the clock and the switches:
  all that the route modules share;
* ``_assistants``, ``_calls``, ``_campaigns``, ``_catalog`` (voices, phone
  numbers, the user): each resource's routes, given the state;
* ``_schema``: the request contract (400 or 422, naming the field);
* ``_lifecycle``: a call's life step by step, `CallPlan`, the mock clock;
* ``_webhooks``: the call-completion webhooks.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import email.utils
import json
import random
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, ClassVar, Generic, Literal, Self, TypeVar, cast, overload

import anyio.from_thread
import attrs
from aiohttp import web

from ._assistants import ODD_VALUES, AssistantRoutes
from ._calls import CallRoutes
from ._campaigns import CampaignRoutes
from ._catalog import CatalogRoutes
from ._common import JSON, error
from ._lifecycle import CallPlan
from ._schema import RequestRejectedError
from ._state import MockState
from ._webhooks import WebhookDelivery

__all__ = ["FaultPlan", "LoggedRequest", "MockRevoxServer"]

_SHUTDOWN_TIMEOUT = 0.25
"""Seconds ``stop()`` gives in-flight handlers before cancelling them (aiohttp's is 60)."""
_TICK = 0.25
"""Real seconds between catch-ups while ``time_scale`` > 0 and no request comes."""

FaultKind = Literal["status", "drop", "commit_then_fail"]
_WRITES = frozenset({"POST", "PATCH", "DELETE"})
T = TypeVar("T")
_Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@attrs.frozen(kw_only=True)
class FaultPlan:
    """Seeded, deterministic trouble: every request draws one number.


        mock.faults = FaultPlan(seed=7, error_rate=0.1, error_statuses=(500, 429),
                                retry_after=0.05, drop_rate=0.05,
                                commit_then_fail_rate=0.05, latency=0.002)

    * ``error_rate``: answer one of ``error_statuses`` without doing the work
      (with ``Retry-After: retry_after`` when that is set);
    * ``drop_rate``: close the connection without an answer;
    * ``commit_then_fail_rate``: do the write, then answer 500 (writes only;
      with ``Retry-After`` too when ``retry_after`` is set);
    * ``latency`` (+ up to ``latency_jitter``): seconds added to every request.
    """

    seed: int = 0
    error_rate: float = 0.0
    error_statuses: Sequence[int] = (500,)
    retry_after: float | None = None
    drop_rate: float = 0.0
    commit_then_fail_rate: float = 0.0
    latency: float = 0.0
    latency_jitter: float = 0.0
    methods: frozenset[str] = frozenset({"GET", "POST", "PATCH", "DELETE"})


@attrs.frozen(kw_only=True)
class _Fault:
    kind: FaultKind
    status: int = 500
    retry_after: float | None = None

    def response(self, status: int, message: str) -> web.Response:
        response = error(status, message)
        if self.retry_after is not None:
            response.headers["Retry-After"] = f"{self.retry_after:g}"
        return response


@attrs.frozen(kw_only=True)
class LoggedRequest:
    """One request as the server saw it (the request log, for assertions)."""

    method: str
    path: str
    headers: Mapping[str, str]
    body: Any
    status: int | None
    """The status answered, or ``None`` when the connection was dropped."""
    fault: FaultKind | None
    received_at: float
    """``time.monotonic()`` when the request arrived."""


class _OnState(Generic[T]):
    """A server attribute that is its `MockState`'s attribute of the same name."""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, server: None, owner: type) -> Self: ...
    @overload
    def __get__(self, server: MockRevoxServer, owner: type) -> T: ...
    def __get__(self, server: MockRevoxServer | None, owner: type) -> T | Self:
        return self if server is None else cast(T, getattr(server._state, self._name))

    def __set__(self, server: MockRevoxServer, value: T) -> None:
        setattr(server._state, self._name, value)


class MockRevoxServer:
    """A faithful, in-memory stand-in for the whole Revox API (all 37 endpoints).


        async with MockRevoxServer(api_key="test-key") as mock:
            async with AsyncRevox(api_key=mock.api_key, base_url=mock.base_url) as client:
                ...

        with MockRevoxServer() as mock:      # on a background thread, for sync code
            ...

    It checks bearer auth, validates bodies as the API does (400 for a
    shape or type, 422 for a value, naming the field), answers the wrapped
    and unwrapped shapes, fills server-side fields and defaults, merges PATCH
    bodies, clones, and can inject faults (`FaultPlan`, `fail_next`).
    ``requests`` logs what it saw. Like the live API, it ignores
    ``Idempotency-Key`` (see ``idempotency``). Ids of assistants and campaigns
    are UUIDs, as the schema has them. **State** a test reads and seeds:
    ``assistants``, ``calls``, ``campaigns``... (``reset()`` restores it).

    **Time** is the mock's own: ``now`` (aware UTC) moves only by
    ``advance(seconds)`` while ``time_scale`` is 0 (the default), and by
    ``time_scale`` mock seconds per real second besides (``mock serve`` uses
    60: a call completes in under a real second). Each answer's ``Date`` is
    ``now``, or the real time if that is earlier (see ``_date``). Lifecycles
    catch up at each request, each read of ``now`` and each ``advance``. With
    the default `CallPlan` a call placed now is:

    ==========  =========================================================
    0 s         ``queued_for_calling`` (``scheduled`` until a future
                ``scheduled_at``; a campaign row is ``not_launched``)
    2 s         ``calling``: a new attempt ``ringing``, ``calls_count`` + 1
    5 s         attempt ``ongoing`` (``answered_at``, a live transcript)
    35 s        ``post_processing``: attempt ``completed`` with its
                ``result``, ``ended_at`` and transcript
    37 s        ``completed``: ``outcome``, ``outcome_summary``, the
                ``recording_url``, ``post_call_transcript`` and
                ``structured_output`` (one value per assistant field)
    ==========  =========================================================

    An attempt that meets voicemail (or IVR...) or a dial error (``ringing``
    → ``error`` at 5 s) is retried after the retry delay while the call's
    ``1 + call_retry_config.max_retry_attempts`` attempts last; then the
    call ends ``completed`` (it connected, ``outcome`` null) or ``errored``
    (it never did). ``call_plan`` decides each attempt (`CallPlan`). Pause
    stops new attempts (an attempt underway finishes first); resume re-queues
    (a call whose scheduled or retry time is still to come waits for it again);
    cancel ends the call now. Each answers **409** for a call in a status it
    cannot apply to (a terminal one; resume of an unpaused one), with no
    ``x-should-retry`` header, as the live API documents none: the official
    SDK retries a 409, which changes nothing here. A campaign is
    ``completed`` once it has launched rows and every launched row's call is
    terminal, ``running`` again if more are launched.

    Switches a test flips (``reset()`` turns them all off):

    * ``drift = True``: answer like a newer API: assistants get fields, enum
      values and an ``llm_model`` variant the 0.5.0 contract does not list;
      calls a ``sentiment`` field, attempts a ``carrier`` and the end reason
      ``voicemail_detected``, a completed voicemail call the status
      ``voicemail_detected``; campaigns a ``channel`` and ``row_stats.voicemail``;
      voices ``tags`` (and a Cartesia ``modelCompat`` ``"sonic-4"``); phone
      numbers ``capabilities``; the user a ``role``. Only answers drift:
      nothing stored changes, and the server accepts these values back;
    * ``odd_values = True`` (or ``{"voice.speed": "fast", ...}``): put values
      the contract forbids into every assistant answered at the top level
      (not in the assistants nested in calls, campaigns or phone numbers), as
      if the server broke its own contract (see `ODD_VALUES`);
    * ``unpatched_calls_notice = {"count": 2, "variables": ["first_name"]}``:
      assistant PATCH answers carry it as ``unpatchedCallsNotice``.

    **Webhooks**: when a call seen running reaches a terminal status, the mock
    POSTs the call-completion event (`event_payload`) to its assistant's
    ``webhook_url``, on loopback only (see ``webhook_deliveries``,
    ``deliveries_settled`` and the guide's webhooks page).
    """

    ODD_VALUES: ClassVar[Mapping[str, Any]] = ODD_VALUES
    """What ``odd_values = True`` injects: a string for a boolean, a word for
    a number, an ``llm_model`` with no ``type``. A mapping given instead uses
    the same form: a dotted path (``"voice.speed"``, ``"call_retry_config.
    max_retry_attempts"``, ``"faq_items.0.source"``) to the raw JSON value to
    put there. A missing or null parent object along the path is created; a
    list index the assistant does not have skips that path."""

    def __init__(
        self,
        *,
        api_key: str = "test-key",
        host: str = "127.0.0.1",
        port: int = 0,
        drift: bool = False,
        faults: FaultPlan | None = None,
        odd_values: bool | Mapping[str, Any] = False,
        unpatched_calls_notice: Mapping[str, Any] | None = None,
        idempotency: Literal["honour", "ignore"] = "ignore",
        time_scale: float = 0.0,
        call_plan: CallPlan | None = None,
    ) -> None:
        if idempotency not in ("honour", "ignore"):
            raise ValueError("idempotency: expected 'honour' or 'ignore'")
        self.api_key = api_key
        self._idempotency_chosen: Literal["honour", "ignore"] = idempotency
        self.idempotency = idempotency
        """``"ignore"`` (the default) behaves like the live API, which documents no
        idempotency: every POST creates, whatever its ``Idempotency-Key``.
        ``"honour"`` replays the first answer to a key seen before (a different
        body with it is a 400)."""
        self.host = host
        self.port = port
        self._state = MockState(
            time_scale=time_scale,
            call_plan=call_plan,
            drift=drift,
            odd_values=odd_values,
            unpatched_calls_notice=unpatched_calls_notice,
        )
        self.requests: list[LoggedRequest] = []
        self._idempotency: dict[tuple[str, str], tuple[Any, str]] = {}
        """``(path, key)``: the request body, and the JSON text answered (with a 201)."""
        self._generation = 0
        """Bumped by ``reset()``: a request from an earlier generation changes nothing."""
        self._scripted: deque[_Fault] = deque()
        self._runner: web.AppRunner | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._exits = contextlib.ExitStack()
        """What leaving ``with`` undoes: the server, then its thread's loop."""
        self._lock = threading.RLock()
        self.faults = faults

    # -- state a test reads, seeds and switches (the `MockState`'s) ---------------

    assistants: _OnState[dict[str, dict[str, Any]]] = _OnState()
    calls: _OnState[dict[str, dict[str, Any]]] = _OnState()
    """Call objects by id: placed ones and campaign rows'."""
    campaigns: _OnState[dict[str, dict[str, Any]]] = _OnState()
    """Campaigns by id, without ``row_stats``/``funnel_stats`` (computed)."""
    campaign_rows: _OnState[dict[str, list[dict[str, Any]]]] = _OnState()
    """Rows by campaign id: ``{id, row_index, phone_number, input_data, call_id}``."""
    voices: _OnState[dict[str, dict[str, Any]]] = _OnState()
    """VoiceInfo objects by id, camelCase as answered (``isCloned``, ``modelCompat``);
    seeded with presets of each provider and one cloned voice."""
    phone_numbers: _OnState[dict[str, dict[str, Any]]] = _OnState()
    """PhoneNumber objects by id, with ``inbound_assistant_id`` in place of the object;
    seeded with an owned Twilio number, +14155550100, and a verified caller id."""
    user: _OnState[dict[str, Any]] = _OnState()
    """What ``GET /users/me`` answers."""
    call_plan: _OnState[CallPlan] = _OnState()
    """How calls go (`CallPlan`): read when each attempt starts."""
    drift: _OnState[bool] = _OnState()
    odd_values: _OnState[bool | Mapping[str, Any]] = _OnState()
    """``False`` (the default), ``True`` (`ODD_VALUES`), or ``{dotted path: value}``."""
    unpatched_calls_notice: _OnState[Mapping[str, Any] | None] = _OnState()
    """Sent as ``unpatchedCallsNotice`` with every PATCH answer while not ``None``."""
    time_scale: _OnState[float] = _OnState()
    """Mock seconds that pass per real second on their own (0: only `advance` moves time)."""

    @property
    def now(self) -> datetime:
        """The mock's current time (aware UTC); reading it brings every call up to it."""
        return self._state.now()

    def advance(self, seconds: float) -> None:
        """Move mock time forward, playing every call's life up to the new time.

        Thread-safe: a test may call it while the server answers on its own thread.
        """
        self._state.advance(seconds)

    # -- faults ------------------------------------------------------------------

    @property
    def faults(self) -> FaultPlan:
        return self._faults

    @faults.setter
    def faults(self, plan: FaultPlan | None) -> None:
        with self._lock:
            self._faults = plan or FaultPlan()
            self._rng = random.Random(self._faults.seed)

    def fail_next(
        self,
        kind: FaultKind = "status",
        *,
        status: int = 500,
        times: int = 1,
        retry_after: float | None = None,
    ) -> None:
        """Script the next ``times`` requests to fail this way, whatever the plan
        (``status``: the answer of a ``"status"`` or ``"commit_then_fail"`` fault)."""
        with self._lock:
            self._scripted.extend(
                _Fault(kind=kind, status=status, retry_after=retry_after) for _ in range(times)
            )

    @property
    def base_url(self) -> str:
        if self.port == 0:
            raise RuntimeError("the mock server is not running")
        return f"http://{self.host}:{self.port}/api"

    def reset(self) -> None:
        """Forget everything created, every idempotency key, fault and logged request.

        Switches go off (``idempotency`` returns to the constructor's), the
        seeded voices, phone numbers and user come back, ``call_plan`` and
        ``time_scale`` return to their defaults and ``now`` to the real time.
        Requests still in flight (sent before the reset) get a 503 and change
        nothing.
        """
        with self._lock, self._state.lock:
            self._generation += 1
            self._state.reset()
            self.requests.clear()
            self._idempotency.clear()
            self._scripted.clear()
            self.faults = None
            self.idempotency = self._idempotency_chosen

    # -- webhooks --------------------------------------------------------------

    @property
    def webhook_deliveries(self) -> list[WebhookDelivery]:
        """Every call-completion webhook sent, oldest first (`WebhookDelivery`): to the
        ``webhook_url`` of the call's assistant as it was when the call was placed (or of
        its inline one), from a task on the server's loop, never inside a request."""
        return self._state.webhooks.deliveries

    @property
    def webhook_retry_delays(self) -> Sequence[float]:
        """Real seconds between a delivery's attempts: ``(0.05, 0.2, 0.5)``, so four
        attempts; ``()`` tries once."""
        return self._state.webhooks.retry_delays

    @webhook_retry_delays.setter
    def webhook_retry_delays(self, delays: Sequence[float]) -> None:
        if not all(isinstance(d, (int, float)) and d >= 0 for d in delays):
            raise ValueError("webhook_retry_delays: real seconds, each >= 0")
        self._state.webhooks.retry_delays = tuple(float(d) for d in delays)

    async def deliveries_settled(self) -> None:
        """Wait until every webhook delivery started so far is delivered or has failed.

        ``mock.advance(60)`` then ``await mock.deliveries_settled()``: the
        receiver has answered each (its callbacks may still run; see
        ``WebhookReceiver.join``). A delivery ends within its attempts'
        timeouts (5 s each) and ``webhook_retry_delays``; works from any loop.
        The clock is brought up to date first: with ``time_scale`` > 0, a
        call that ended meanwhile has its delivery started, and waited for.
        """
        self._state.now()
        # Polled: the deliveries may run on another thread's loop (the server's),
        # and each ends, its attempts and their timeouts being bounded.
        while not self._state.webhooks.settled:  # noqa: ASYNC110
            await asyncio.sleep(0.005)

    def wait_deliveries(self, timeout: float = 30.0) -> None:
        """`deliveries_settled` for sync code; ``TimeoutError`` after ``timeout`` seconds."""
        self._state.now()
        deadline = time.monotonic() + timeout
        while not self._state.webhooks.settled:
            if time.monotonic() > deadline:
                raise TimeoutError(f"webhook deliveries still running after {timeout} s")
            time.sleep(0.005)

    # -- lifecycle ---------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(middlewares=[self._middleware], client_max_size=16 * 2**20)
        for routes in (AssistantRoutes, CallRoutes, CampaignRoutes, CatalogRoutes):
            routes(self._state).add_to(app)
        runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=_SHUTDOWN_TIMEOUT
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        self._runner = runner
        self.port = runner.addresses[0][1]
        self._state.webhooks.loop = asyncio.get_running_loop()
        self._ticker = asyncio.get_running_loop().create_task(self._tick())

    async def _tick(self) -> None:
        """While time runs on its own, play the calls' lives with no request coming."""
        while True:
            await asyncio.sleep(_TICK)
            if self._state.time_scale > 0:
                self._state.now()

    async def stop(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
            self._ticker = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> MockRevoxServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    def __enter__(self) -> MockRevoxServer:
        """Run on a background thread with its own event loop (an anyio blocking portal's)."""
        with contextlib.ExitStack() as exits:
            portal = exits.enter_context(anyio.from_thread.start_blocking_portal())
            portal.call(self.start)
            exits.callback(portal.call, self.stop)
            self._exits = exits.pop_all()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._exits.close()

    # -- request pipeline ----------------------------------------------------

    def _draw_fault(self, method: str) -> _Fault | None:
        with self._lock:
            if self._scripted:
                return self._scripted.popleft()
            plan = self._faults
            if method not in plan.methods:
                return None
            r = self._rng.random()
            if r < plan.drop_rate:
                return _Fault(kind="drop")
            r -= plan.drop_rate
            if method in _WRITES:  # a read has nothing to commit: its share is not drawn
                if r < plan.commit_then_fail_rate:
                    return _Fault(kind="commit_then_fail", retry_after=plan.retry_after)
                r -= plan.commit_then_fail_rate
            if r < plan.error_rate:
                status = self._rng.choice(list(plan.error_statuses))
                return _Fault(kind="status", status=status, retry_after=plan.retry_after)
            return None

    def _latency(self) -> float:
        with self._lock:
            plan = self._faults
            jitter = self._rng.random() * plan.latency_jitter if plan.latency_jitter else 0.0
        return plan.latency + jitter

    @web.middleware
    async def _middleware(self, request: web.Request, handler: _Handler) -> web.StreamResponse:
        received_at = time.monotonic()
        generation = self._generation
        body: Any = None
        raw = await request.read()
        if raw:
            try:
                body = json.loads(raw)
            except (ValueError, RecursionError):
                body = raw.decode("utf-8", "replace")
        delay = self._latency()
        if delay:
            await asyncio.sleep(delay)
        if generation != self._generation:
            # Sent before a reset() (a test that ended with requests in flight): it
            # must not write into, or show up in, the next test's empty server.
            return error(503, "the mock server was reset while this request waited")
        fault = self._draw_fault(request.method)
        logged = LoggedRequest(
            method=request.method,
            path=request.raw_path,
            headers=dict(request.headers),
            body=body,
            status=None,
            fault=fault.kind if fault else None,
            received_at=received_at,
        )
        response: web.StreamResponse
        if fault is not None and fault.kind == "drop":
            self.requests.append(logged)
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=500)
        if fault is not None and fault.kind == "status":
            response = fault.response(fault.status, f"injected fault {fault.status}")
        elif request.headers.get("Authorization") != f"Bearer {self.api_key}":
            response = error(401, "Invalid or missing API key")
        elif isinstance(body, str) or (raw and not isinstance(body, (dict, list))):
            response = error(400, "Body is not valid JSON", field="body")
        else:
            request[JSON] = body
            response = await self._handle(request, handler)
            if fault is not None and fault.kind == "commit_then_fail":
                response = fault.response(fault.status, "injected fault: committed, then failed")
        self.requests.append(attrs.evolve(logged, status=response.status))
        response.headers["Date"] = self._date()
        return response

    def _date(self) -> str:
        """The ``Date`` header: the mock's clock, or the real time if that is earlier.

        A client that lost a create's answer looks for an object stamped since its
        first attempt, reading the server's clock from ``Date`` and taking it to run
        at real speed (revox_async does). Stamps come from the mock's clock, which
        stands still by default: a ``Date`` of the real time would, seconds later,
        date an object made by that attempt before the attempt (the client would
        create it again). A clock run ahead (``advance``, ``mock serve``'s 60 times)
        would carry ``Date`` past what real time has elapsed since a stamp (the
        same), so the real time is kept then.
        """
        with self._state.lock:
            mock_now = self._state.clock.now()
        return email.utils.format_datetime(min(mock_now, datetime.now(UTC)), usegmt=True)

    async def _handle(self, request: web.Request, handler: _Handler) -> web.StreamResponse:
        """The route's answer (or the one replayed for its ``Idempotency-Key``), with the
        state brought up to date before it and the webhooks it started sent after."""
        state = self._state
        try:
            with state.lock:  # handlers never await: the lock is not held across one
                state.catch_up()
                response = await self._idempotent(request, handler)
                state.sweep_webhooks()
                return response
        except RequestRejectedError as problem:
            return error(problem.status, str(problem), field=problem.field)
        except web.HTTPException as problem:  # no such route, or method
            return error(problem.status, problem.reason)

    async def _idempotent(self, request: web.Request, handler: _Handler) -> web.StreamResponse:
        """The route's answer; or, honouring keys, the 201 already given to this POST's
        ``Idempotency-Key`` (a 201 is remembered for the next POST with the key)."""
        key = request.headers.get("Idempotency-Key") if request.method == "POST" else None
        if key is None or self.idempotency == "ignore":
            return await handler(request)
        seen = self._idempotency.get((request.path, key))
        if seen is not None:
            if seen[0] != request[JSON]:
                raise RequestRejectedError(
                    "Idempotency-Key", "reused with a different request body"
                )
            return web.Response(text=seen[1], status=201, content_type="application/json")
        response = await handler(request)
        if response.status == 201 and isinstance(response, web.Response):
            self._idempotency[request.path, key] = (
                copy.deepcopy(request[JSON]),
                response.text or "",
            )
        return response
