"""``MockRevoxServer``: an in-memory Revox Assistants API on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import email.utils
import json
import random
import threading
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from types import MappingProxyType, TracebackType
from typing import Any, ClassVar, Literal

import attrs
from aiohttp import web

from ._calls import CallRoutes
from ._campaigns import CampaignRoutes, refresh_campaign
from ._catalog import CatalogRoutes, seed_phone_numbers, seed_user, seed_voices
from ._common import JSON as _JSON
from ._common import ORGANIZATION_ID, WEEKDAYS, iso, member, with_retry_defaults
from ._common import error as _error
from ._lifecycle import CallPlan, MockClock, Progress, catch_up, enqueue
from ._schema import SERVER_FIELDS, RequestRejectedError, validate_assistant_params
from ._webhooks import WebhookDelivery, WebhookSender

__all__ = ["FaultPlan", "LoggedRequest", "MockRevoxServer"]

_SHUTDOWN_TIMEOUT = 0.25
_TICK = 0.25
"""Real seconds between catch-ups while ``time_scale`` > 0 and no request comes."""
"""Seconds ``stop()`` gives in-flight handlers before cancelling them (aiohttp's is 60)."""

FaultKind = Literal["status", "drop", "commit_then_fail"]
_WRITES = frozenset({"POST", "PATCH", "DELETE"})


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


class MockRevoxServer:
    """A faithful, in-memory stand-in for the whole Revox API (§4: 37 endpoints).


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
    ``Idempotency-Key``: every POST creates; ``idempotency="honour"`` (or
    ``mock serve --idempotency honour``) answers a creating POST (assistants,
    calls, campaigns, voice clones) whose key it has seen with the first answer.
    Ids of assistants and campaigns are UUIDs, as the schema has them.

    **State** a test reads and seeds (``reset()`` restores it): ``assistants``,
    ``calls``, ``campaigns`` and ``campaign_rows`` (by campaign id), ``voices``
    (seeded presets of each provider, one cloned voice), ``phone_numbers``
    (an owned Twilio number +14155550100 and a verified caller id), ``user``.

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
    POSTs the call-completion event (§8 fields) to its assistant's
    ``webhook_url`` (the stored assistant's, as it was when the call was
    placed, or the inline one), from a task on the server's loop, never
    inside a request. A non-2xx answer or a connection error is retried after
    each of ``webhook_retry_delays``. ``webhook_deliveries`` records each
    (`WebhookDelivery`); ``await deliveries_settled()`` (sync:
    ``wait_deliveries()``) brings the clock up to date, then waits for those
    underway. With ``time_scale`` > 0 the server also catches up on its own
    every 0.25 s, so a call that ends with no request coming still posts.
    Only loopback URLs are called; any other is recorded as ``skipped``.
    """

    ODD_VALUES: ClassVar[Mapping[str, Any]] = MappingProxyType(
        {
            "ivr_navigation_enabled": "yes",
            "voice.speed": "fast",
            "llm_model": {"name": "gpt-4.1"},
        }
    )
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
        self.drift = drift
        self.odd_values = odd_values
        self.unpatched_calls_notice = unpatched_calls_notice
        self._clock = MockClock(time_scale)
        self.assistants: dict[str, dict[str, Any]] = {}
        self.calls: dict[str, dict[str, Any]] = {}
        """Call objects (§3.3) by id: placed ones and campaign rows'."""
        self.campaigns: dict[str, dict[str, Any]] = {}
        """Campaigns (§3.4) by id, without ``row_stats``/``funnel_stats`` (computed)."""
        self.campaign_rows: dict[str, list[dict[str, Any]]] = {}
        """Rows by campaign id: ``{id, row_index, phone_number, input_data, call_id}``."""
        self.voices: dict[str, dict[str, Any]] = seed_voices()
        """VoiceInfo objects by id, camelCase as answered (``isCloned``, ``modelCompat``)."""
        self.phone_numbers: dict[str, dict[str, Any]] = seed_phone_numbers(self._clock.now())
        """PhoneNumber objects by id, with ``inbound_assistant_id`` in place of the object."""
        self.user: dict[str, Any] = seed_user(self._clock.now())
        """What ``GET /users/me`` answers."""
        self.call_plan = call_plan or CallPlan()
        """How calls go (`CallPlan`): read when each attempt starts."""
        self._progress: dict[str, Progress] = {}
        self._webhooks = WebhookSender()
        """Each call's step in its life, by call id (a call seeded without one stays still)."""
        self._state_lock = threading.RLock()
        """Held by each handler and by ``advance``: the test thread and the server's meet here."""
        self.requests: list[LoggedRequest] = []
        self._idempotency: dict[tuple[str, str], tuple[Any, int, dict[str, Any]]] = {}
        self._generation = 0
        """Bumped by ``reset()``: a request from an earlier generation changes nothing."""
        self._scripted: deque[_Fault] = deque()
        self._faults = faults or FaultPlan()
        self._rng = random.Random(self._faults.seed)
        self._runner: web.AppRunner | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._thread: threading.Thread | None = None
        self._thread_loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()

    # -- configuration -----------------------------------------------------

    @property
    def odd_values(self) -> bool | Mapping[str, Any]:
        """``False`` (the default), ``True`` (`ODD_VALUES`), or ``{dotted path: value}``."""
        return self._odd_values

    @odd_values.setter
    def odd_values(self, values: bool | Mapping[str, Any]) -> None:
        if isinstance(values, Mapping):
            if not all(isinstance(path, str) and path for path in values):
                raise TypeError("odd_values keys are dotted paths, e.g. 'voice.speed'")
            values = dict(values)
        elif not isinstance(values, bool):
            raise TypeError("odd_values is True, False or a mapping {dotted path: raw value}")
        self._odd_values: bool | Mapping[str, Any] = values

    @property
    def unpatched_calls_notice(self) -> Mapping[str, Any] | None:
        """Sent as ``unpatchedCallsNotice`` with every PATCH answer while not ``None``."""
        return self._unpatched_calls_notice

    @unpatched_calls_notice.setter
    def unpatched_calls_notice(self, notice: Mapping[str, Any] | None) -> None:
        if notice is not None and not isinstance(notice, Mapping):
            raise TypeError('unpatched_calls_notice is None or {"count": …, "variables": […]}')
        self._unpatched_calls_notice = None if notice is None else dict(notice)

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
        """Script the next ``times`` requests to fail this way, whatever the plan."""
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
        with self._lock, self._state_lock:
            self._generation += 1
            self._clock = MockClock()
            self.assistants.clear()
            self.calls.clear()
            self._progress.clear()
            self.campaigns.clear()
            self.campaign_rows.clear()
            self.voices.clear()
            self.voices.update(seed_voices())
            self.phone_numbers.clear()
            self.phone_numbers.update(seed_phone_numbers(self._clock.now()))
            self.user.clear()
            self.user.update(seed_user(self._clock.now()))
            self.call_plan = CallPlan()
            self.requests.clear()
            self._idempotency.clear()
            self._scripted.clear()
            self._faults = FaultPlan()
            self._rng = random.Random(0)
            self.drift = False
            self.odd_values = False
            self.unpatched_calls_notice = None
            self.idempotency = self._idempotency_chosen
            self._webhooks.reset()

    # -- time ----------------------------------------------------------------

    @property
    def now(self) -> datetime:
        """The mock's current time (aware UTC); reading it brings every call up to it."""
        with self._state_lock:
            return self._catch_up()

    def advance(self, seconds: float) -> None:
        """Move mock time forward, playing every call's life up to the new time.

        Thread-safe: a test may call it while the server answers on its own thread.
        """
        with self._state_lock:
            self._clock.advance(seconds)
            self._catch_up()

    @property
    def time_scale(self) -> float:
        """Mock seconds that pass per real second on their own (0: only `advance` moves time)."""
        return self._clock.time_scale

    @time_scale.setter
    def time_scale(self, scale: float) -> None:
        with self._state_lock:
            self._catch_up()
            self._clock.time_scale = scale

    def _catch_up(self) -> datetime:
        """Apply every step due by now, then the campaign statuses that follow from them."""
        now = self._clock.now()
        for call_id, progress in list(self._progress.items()):
            call = self.calls.get(call_id)
            if call is None:
                del self._progress[call_id]
            else:
                catch_up(call, progress, now, self.call_plan)
        for campaign_id, campaign in self.campaigns.items():
            refresh_campaign(campaign, self._campaign_calls(campaign_id), now)
        self._webhooks.sweep(self.calls, self._progress, self.drift)
        return now

    # -- webhooks --------------------------------------------------------------

    @property
    def webhook_deliveries(self) -> list[WebhookDelivery]:
        """Every call-completion webhook sent, oldest first (`WebhookDelivery`)."""
        return self._webhooks.deliveries

    @property
    def webhook_retry_delays(self) -> Sequence[float]:
        """Real seconds between a delivery's attempts: ``(0.05, 0.2, 0.5)``, so four
        attempts; ``()`` tries once."""
        return self._webhooks.retry_delays

    @webhook_retry_delays.setter
    def webhook_retry_delays(self, delays: Sequence[float]) -> None:
        if not all(isinstance(d, (int, float)) and d >= 0 for d in delays):
            raise ValueError("webhook_retry_delays: real seconds, each >= 0")
        self._webhooks.retry_delays = tuple(float(d) for d in delays)

    async def deliveries_settled(self) -> None:
        """Wait until every webhook delivery started so far is delivered or has failed.

        ``mock.advance(60)`` then ``await mock.deliveries_settled()``: the
        receiver has answered each (its callbacks may still run; see
        ``WebhookReceiver.join``). A delivery ends within its attempts'
        timeouts (5 s each) and ``webhook_retry_delays``; works from any loop.
        The clock is brought up to date first: with ``time_scale`` > 0, a
        call that ended meanwhile has its delivery started, and waited for.
        """
        self._bring_up_to_date()
        await self._webhooks.wait_settled()

    def wait_deliveries(self, timeout: float = 30.0) -> None:
        """`deliveries_settled` for sync code; ``TimeoutError`` after ``timeout`` seconds."""
        self._bring_up_to_date()
        self._webhooks.wait_settled_sync(timeout)

    def _bring_up_to_date(self) -> None:
        with self._state_lock:
            self._catch_up()

    # -- helpers for the route modules ------------------------------------------

    def _campaign_calls(self, campaign_id: str) -> list[dict[str, Any]]:
        rows = self.campaign_rows.get(campaign_id, ())
        return [self.calls[row["call_id"]] for row in rows if row["call_id"] in self.calls]

    def _track(
        self, call: dict[str, Any], at: datetime, scheduled_at: datetime | None = None
    ) -> None:
        """Store a new call and queue it (``scheduled_at``: not before then)."""
        progress = Progress(step="not_launched")
        self.calls[call["id"]] = call
        self._progress[call["id"]] = progress
        enqueue(call, progress, at, self.call_plan, scheduled_at)

    def _caller_id(self, assistant: Mapping[str, Any]) -> str:
        """The number a call is placed from: the assistant's, else the first owned number."""
        chosen = assistant.get("from_phone_number")
        if isinstance(chosen, str):
            return chosen
        owned = [n for n in self.phone_numbers.values() if n.get("type") == "owned_number"]
        return str(owned[0]["phone_number"]) if owned else "+14155550100"

    def _inline_assistant(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """The assistant a call carries when placed with an inline ``assistant`` (not stored)."""
        return _new_assistant({"name": "Inline assistant", **params}, self._clock.now())

    def _extra_enums(self) -> Mapping[str, frozenset[str]] | None:
        return _DRIFT_ENUMS if self.drift else None

    # -- lifecycle ---------------------------------------------------------

    def _app(self) -> web.Application:
        app = web.Application(middlewares=[self._middleware], client_max_size=16 * 2**20)
        app.router.add_post("/api/assistants", self._create)
        app.router.add_get("/api/assistants", self._list)
        app.router.add_get("/api/assistants/{id}", self._retrieve)
        app.router.add_patch("/api/assistants/{id}", self._update)
        app.router.add_delete("/api/assistants/{id}", self._delete)
        app.router.add_post("/api/assistants/{id}/clone", self._clone)
        for routes in (CallRoutes(self), CampaignRoutes(self), CatalogRoutes(self)):
            routes.add_to(app)
        return app

    async def start(self) -> None:
        runner = web.AppRunner(
            self._app(),
            access_log=None,
            handle_signals=False,
            shutdown_timeout=_SHUTDOWN_TIMEOUT,
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        self._runner = runner
        self.port = runner.addresses[0][1]
        self._webhooks.loop = asyncio.get_running_loop()
        self._ticker = asyncio.get_running_loop().create_task(self._tick())

    async def _tick(self) -> None:
        """While time runs on its own, play the calls' lives with no request coming."""
        while True:
            await asyncio.sleep(_TICK)
            if self._clock.time_scale > 0:
                with self._state_lock:
                    self._catch_up()

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
        """Run on a background thread with its own event loop."""
        loop = asyncio.new_event_loop()
        started = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.call_soon(started.set)
            loop.run_forever()

        self._thread_loop = loop
        self._thread = threading.Thread(target=run, name="revox-mock-server", daemon=True)
        self._thread.start()
        started.wait()
        asyncio.run_coroutine_threadsafe(self.start(), loop).result(timeout=10)
        return self

    async def _stop_thread_loop(self) -> None:
        """Stop serving, then let the handlers cut short finish before the loop closes."""
        await self.stop()
        others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        loop, thread = self._thread_loop, self._thread
        if loop is None or thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._stop_thread_loop(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
        self._thread_loop = self._thread = None

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
            if method in _WRITES and r < plan.commit_then_fail_rate:
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
    async def _middleware(
        self,
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
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
            return _error(503, "the mock server was reset while this request waited")
        fault = self._draw_fault(request.method)
        log = {
            "method": request.method,
            "path": request.raw_path,
            "headers": dict(request.headers),
            "body": body,
            "received_at": received_at,
        }
        response: web.StreamResponse
        if fault is not None and fault.kind == "drop":
            self.requests.append(LoggedRequest(**log, status=None, fault="drop"))
            _drop(request)
            return web.Response(status=500)
        if fault is not None and fault.kind == "status":
            response = _error(fault.status, f"injected fault {fault.status}")
            if fault.retry_after is not None:
                response.headers["Retry-After"] = f"{fault.retry_after:g}"
        elif not _authorized(request, self.api_key):
            response = _error(401, "Invalid or missing API key")
        elif isinstance(body, str) or (raw and not isinstance(body, (dict, list))):
            response = _error(400, "Body is not valid JSON", field="body")
        else:
            request[_JSON] = body
            try:
                with self._state_lock:  # handlers never await: the lock is not held across one
                    self._catch_up()
                    response = await handler(request)
                    self._webhooks.sweep(self.calls, self._progress, self.drift)
            except RequestRejectedError as problem:
                response = _error(problem.status, str(problem), field=problem.field)
            except web.HTTPException as problem:  # no such route, or method
                response = _error(problem.status, problem.reason)
            if fault is not None and fault.kind == "commit_then_fail":
                response = _error(500, "injected fault: committed, then failed")
                if fault.retry_after is not None:
                    response.headers["Retry-After"] = f"{fault.retry_after:g}"
        self.requests.append(
            LoggedRequest(**log, status=response.status, fault=fault.kind if fault else None)
        )
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
        with self._state_lock:
            mock_now = self._clock.now()
        return email.utils.format_datetime(min(mock_now, datetime.now(UTC)), usegmt=True)

    # -- handlers --------------------------------------------------------------

    def _find(self, request: web.Request) -> dict[str, Any]:
        assistant_id = request.match_info["id"]
        found = self.assistants.get(assistant_id)
        if found is None:
            raise RequestRejectedError("id", f"no assistant with id {assistant_id!r}", 404)
        return found

    def _present(self, assistant: dict[str, Any]) -> dict[str, Any]:
        shown = copy.deepcopy(assistant)
        if self.drift:
            shown = _drifted(shown)
        odd = self.odd_values
        if odd:
            _inject(shown, self.ODD_VALUES if odd is True else odd)
        return shown

    def _validate(self, body: Any, *, create: bool) -> None:
        validate_assistant_params(body, create=create, extra_enums=self._extra_enums())

    def _replayed(self, request: web.Request) -> web.Response | None:
        """The answer already given to this POST's ``Idempotency-Key``, if any."""
        key = self._key(request)
        if key is None or (request.path, key) not in self._idempotency:
            return None
        seen_body, status, payload = self._idempotency[request.path, key]
        if seen_body != request[_JSON]:
            raise RequestRejectedError("Idempotency-Key", "reused with a different request body")
        return web.json_response(payload, status=status)

    def _key(self, request: web.Request) -> str | None:
        """The POST's ``Idempotency-Key``, unless this server ignores keys."""
        if self.idempotency == "ignore":
            return None
        return request.headers.get("Idempotency-Key")

    def _answer_post(self, request: web.Request, payload: dict[str, Any]) -> web.Response:
        key = self._key(request)
        if key is not None:
            self._idempotency[request.path, key] = (copy.deepcopy(request[_JSON]), 201, payload)
        return web.json_response(payload, status=201)

    async def _create(self, request: web.Request) -> web.Response:
        replayed = self._replayed(request)
        if replayed is not None:
            return replayed
        body = request[_JSON]
        self._validate(body, create=True)
        assistant = _new_assistant(body, self.now)
        self.assistants[assistant["id"]] = assistant
        return self._answer_post(request, {"assistant": self._present(assistant)})

    async def _clone(self, request: web.Request) -> web.Response:
        replayed = self._replayed(request)
        if replayed is not None:
            return replayed
        original = self._find(request)
        now = iso(self.now)
        clone = copy.deepcopy(original)
        clone.update(
            id=_new_id(),
            name=f"{original.get('name', '')} (Copy)",
            created_at=now,
            updated_at=now,
            created_by=member(),
        )
        if isinstance(clone.get("faq_items"), list):
            for item in clone["faq_items"]:
                if isinstance(item, dict):
                    item["id"] = _new_faq_id()
        self.assistants[clone["id"]] = clone
        return self._answer_post(request, {"assistant": self._present(clone)})

    async def _list(self, request: web.Request) -> web.Response:
        return web.json_response(
            {"assistants": [self._present(a) for a in self.assistants.values()]}
        )

    async def _retrieve(self, request: web.Request) -> web.Response:
        return web.json_response(self._present(self._find(request)))

    async def _update(self, request: web.Request) -> web.Response:
        assistant = self._find(request)
        body = request[_JSON]
        self._validate(body, create=False)
        assistant.update(_with_server_fields(body))
        assistant["updated_at"] = iso(self.now)
        payload: dict[str, Any] = {"assistant": self._present(assistant)}
        notice = self.unpatched_calls_notice
        if notice is not None:
            payload["unpatchedCallsNotice"] = copy.deepcopy(dict(notice))
        return web.json_response(payload)

    async def _delete(self, request: web.Request) -> web.Response:
        assistant = self._find(request)
        del self.assistants[assistant["id"]]
        return web.json_response({"success": True})


def _drop(request: web.Request) -> None:
    transport = request.transport
    if transport is not None:
        transport.abort()


def _authorized(request: web.Request, api_key: str) -> bool:
    return request.headers.get("Authorization") == f"Bearer {api_key}"


def _new_id() -> str:
    return str(uuid.uuid4())  # the schema's format for assistant ids (§9)


def _new_faq_id() -> str:
    return f"faq_{uuid.uuid4().hex[:12]}"


def _with_server_fields(params: Mapping[str, Any]) -> dict[str, Any]:
    """Client params as stored: server-set keys dropped, nested server-side parts filled."""
    stored = {k: copy.deepcopy(v) for k, v in params.items() if k not in SERVER_FIELDS}
    if isinstance(stored.get("faq_items"), list):
        stored["faq_items"] = [
            {"id": _new_faq_id(), "needs_human_answer": False, "source": "human", **item}
            for item in stored["faq_items"]
        ]
        stored["pending_faq_count"] = 0
    voice = stored.get("voice")
    if isinstance(voice, dict):
        voice.setdefault("speed", 1.0)
    config = stored.get("call_retry_config")
    if isinstance(config, dict):
        stored["call_retry_config"] = with_retry_defaults(config)
    return stored


def _new_assistant(params: Mapping[str, Any], at: datetime) -> dict[str, Any]:
    """A new assistant: every field of the Assistant object, defaults under the params."""
    now = iso(at)
    return {
        "id": _new_id(),
        "organization_id": ORGANIZATION_ID,
        "type": "standalone",
        "created_at": now,
        "updated_at": now,
        "created_by": member(),
        "voice": None,
        "llm_model": {"type": "dedicated-instance", "name": "gpt-4.1"},
        "stt_model": "stt-rt-v4",
        "stt_context": None,
        "first_sentence": None,
        "first_sentence_mode": "generated",
        "first_sentence_delay_ms": 400,
        "end_of_call_sentence": None,
        "max_call_duration_secs": 600.0,
        "max_duration_end_message": None,
        "voicemail_message": None,
        "background_sound": None,
        "background_sound_volume": 1.0,
        "thinking_sound": None,
        "thinking_sound_probability": 0.5,
        "thinking_sound_volume": 1.0,
        "webhook_url": None,
        "from_phone_number": None,
        "transfer_phone_number": None,
        "transfer_destinations": None,
        "human_transfer_mode": None,
        "warm_transfer_summary_instructions": None,
        "ivr_navigation_enabled": False,
        "sms_enabled": False,
        "sms_template": None,
        "voicemail_sms_prompt": None,
        "after_call_sms_prompt": None,
        "after_call_sms_outcomes": None,
        "email_notification_address": None,
        "email_notification_outcomes": None,
        "slack": None,
        "zoho": None,
        "calendly": None,
        "call_retry_config": {
            "allowed_days": list(WEEKDAYS),
            "call_twice_in_a_row": False,
            "calling_windows": [
                {
                    "calling_window_start_time": "10:00",
                    "calling_window_end_time": "18:00",
                    "retry_delay_seconds": 7200,
                }
            ],
            "max_retry_attempts": 3,
            "timezone": None,
        },
        "custom_tools": None,
        "structured_output_config": [],
        "structured_output_prompt": None,
        "faq_items": [],
        "pending_faq_count": 0,
        "cartesia_dictionary_pronunciation_id": None,
        "precall_lookup_url": None,
        "logo_url": None,
        "position": None,
        "prompt_flow": None,
        "is_inbound_receptionist": False,
        "is_realestate_assistant": False,
        **_with_server_fields(params),
    }


_DRIFT_ENUMS: dict[str, frozenset[str]] = {
    "FirstSentenceMode": frozenset({"adaptive"}),
    "BackgroundSound": frozenset({"audio/street.ogg"}),
    "SttModel": frozenset({"stt-rt-v6"}),
    "CallStatus": frozenset({"voicemail_detected"}),
    "CartesiaModel": frozenset({"sonic-4"}),
}
"""Enum values the drifted (newer) server knows, so it accepts back what it sends."""


def _drifted(assistant: dict[str, Any]) -> dict[str, Any]:
    """The same assistant as a newer API would show it: nothing here is in the 0.5.0 contract."""
    assistant["voicemail_detection"] = {"enabled": True, "timeout_ms": 3000}
    assistant["stt_model"] = "stt-rt-v6"
    if assistant.get("background_sound") is None:
        assistant["background_sound"] = "audio/street.ogg"
    if assistant.get("first_sentence_mode") == "generated":
        assistant["first_sentence_mode"] = "adaptive"
    if assistant.get("llm_model") == {"type": "dedicated-instance", "name": "gpt-4.1"}:
        assistant["llm_model"] = {
            "type": "mixture",
            "models": ["gpt-4.1", "ministral-3-8b-instruct"],
            "strategy": "fastest",
        }
    voice = assistant.get("voice")
    if isinstance(voice, dict):
        voice["emotion"] = "calm"
    for item in assistant.get("faq_items") or ():
        if isinstance(item, dict):
            item["tags"] = ["imported"]
    return assistant


def _inject(assistant: dict[str, Any], values: Mapping[str, Any]) -> None:
    """Put each raw value at its dotted path, creating missing parent objects."""
    for path, value in values.items():
        _put(assistant, path.split("."), copy.deepcopy(value))


def _put(target: dict[str, Any] | list[Any], path: list[str], value: Any) -> None:
    """``target[path[0]]...[path[-1]] = value``; a list index not there skips it."""
    key: Any = path[0]
    if isinstance(target, list):
        if not key.isdigit() or int(key) >= len(target):
            return
        key = int(key)
    if len(path) == 1:
        target[key] = value
        return
    child = target[key] if isinstance(target, list) else target.get(key)
    if not isinstance(child, (dict, list)):
        if path[1].isdigit():  # a list the assistant does not have
            return
        child = target[key] = {}
    _put(child, path[1:], value)
