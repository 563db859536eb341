"""``MockRevoxServer``: an in-memory Revox Assistants API on 127.0.0.1."""

from __future__ import annotations

import asyncio
import copy
import json
import random
import threading
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Literal

import attrs
from aiohttp import web

from ._schema import RequestRejectedError, validate_assistant_params

__all__ = ["FaultPlan", "LoggedRequest", "MockRevoxServer"]

FaultKind = Literal["status", "drop", "commit_then_fail"]
_WRITES = frozenset({"POST", "PATCH", "DELETE"})
_JSON: web.RequestKey[Any] = web.RequestKey("json", object)


@attrs.frozen(kw_only=True)
class FaultPlan:
    """Seeded, deterministic trouble: every request draws one number.


        mock.faults = FaultPlan(seed=7, error_rate=0.1, error_statuses=(500, 429),
                                retry_after=0.05, drop_rate=0.05,
                                commit_then_fail_rate=0.05, latency=0.002)

    * ``error_rate``: answer one of ``error_statuses`` without doing the work
      (with ``Retry-After: retry_after`` when that is set);
    * ``drop_rate``: close the connection without an answer;
    * ``commit_then_fail_rate``: do the write, then answer 500 (writes only);
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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _error(status: int, message: str, **extra: Any) -> web.Response:
    kind = {
        400: "bad_request",
        401: "unauthorized",
        404: "not_found",
        422: "unprocessable_entity",
    }.get(status, "server_error")
    return web.json_response({"error": kind, "message": message, **extra}, status=status)


class MockRevoxServer:
    """A faithful, in-memory stand-in for the Revox Assistants API.


        async with MockRevoxServer(api_key="test-key") as mock:
            async with AsyncRevox(api_key=mock.api_key, base_url=mock.base_url) as client:
                ...

        with MockRevoxServer() as mock:      # on a background thread, for sync code
            ...

    It checks bearer auth, validates bodies (400/422 naming the field),
    answers the wrapped and unwrapped shapes, fills server-side fields and
    defaults, merges PATCH bodies, honours ``Idempotency-Key`` on POST
    (``idempotency="ignore"`` to behave like a server that does not), and
    can inject faults (:class:`FaultPlan`, :meth:`fail_next`) and API drift
    (``drift=True``). ``requests`` logs what it saw.
    """

    def __init__(
        self,
        *,
        api_key: str = "test-key",
        host: str = "127.0.0.1",
        port: int = 0,
        drift: bool = False,
        faults: FaultPlan | None = None,
        idempotency: Literal["honour", "ignore"] = "honour",
    ) -> None:
        if idempotency not in ("honour", "ignore"):
            raise ValueError("idempotency: expected 'honour' or 'ignore'")
        self.api_key = api_key
        self.idempotency = idempotency
        """``"ignore"`` behaves like the live API, which documents no idempotency:
        every POST creates, whatever its ``Idempotency-Key``."""
        self.host = host
        self.port = port
        self.drift = drift
        self.assistants: dict[str, dict[str, Any]] = {}
        self.requests: list[LoggedRequest] = []
        self._idempotency: dict[str, tuple[Any, int, dict[str, Any]]] = {}
        self._scripted: deque[_Fault] = deque()
        self._faults = faults or FaultPlan()
        self._rng = random.Random(self._faults.seed)
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._thread_loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()

    # -- configuration -----------------------------------------------------

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
        """Forget every assistant, idempotency key, fault and logged request."""
        with self._lock:
            self.assistants.clear()
            self.requests.clear()
            self._idempotency.clear()
            self._scripted.clear()
            self._faults = FaultPlan()
            self._rng = random.Random(0)
            self.drift = False

    # -- lifecycle ---------------------------------------------------------

    def _app(self) -> web.Application:
        app = web.Application(middlewares=[self._middleware], client_max_size=4 * 2**20)
        app.router.add_post("/api/assistants", self._create)
        app.router.add_get("/api/assistants", self._list)
        app.router.add_get("/api/assistants/{id}", self._retrieve)
        app.router.add_patch("/api/assistants/{id}", self._update)
        app.router.add_delete("/api/assistants/{id}", self._delete)
        return app

    async def start(self) -> None:
        runner = web.AppRunner(self._app(), access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        self._runner = runner
        self.port = runner.addresses[0][1]

    async def stop(self) -> None:
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

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        loop, thread = self._thread_loop, self._thread
        if loop is None or thread is None:
            return
        asyncio.run_coroutine_threadsafe(self.stop(), loop).result(timeout=10)
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
                return _Fault(kind="commit_then_fail")
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
        body: Any = None
        raw = await request.read()
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw.decode("utf-8", "replace")
        delay = self._latency()
        if delay:
            await asyncio.sleep(delay)
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
                response = await handler(request)
            except RequestRejectedError as problem:
                response = _error(problem.status, str(problem), field=problem.field)
            if fault is not None and fault.kind == "commit_then_fail":
                response = _error(500, "injected fault: committed, then failed")
        self.requests.append(
            LoggedRequest(**log, status=response.status, fault=fault.kind if fault else None)
        )
        return response

    # -- handlers --------------------------------------------------------------

    def _find(self, request: web.Request) -> dict[str, Any]:
        assistant_id = request.match_info["id"]
        found = self.assistants.get(assistant_id)
        if found is None:
            raise RequestRejectedError("id", f"no assistant with id {assistant_id!r}", 404)
        return found

    def _present(self, assistant: dict[str, Any]) -> dict[str, Any]:
        shown = copy.deepcopy(assistant)
        return _drifted(shown) if self.drift else shown

    async def _create(self, request: web.Request) -> web.Response:
        body = request[_JSON]
        key = request.headers.get("Idempotency-Key") if self.idempotency == "honour" else None
        if key is not None and key in self._idempotency:
            seen_body, status, payload = self._idempotency[key]
            if seen_body != body:
                raise RequestRejectedError(
                    "Idempotency-Key", "reused with a different request body", 400
                )
            return web.json_response(payload, status=status)
        validate_assistant_params(body, create=True)
        assistant = _new_assistant(body)
        self.assistants[assistant["id"]] = assistant
        payload = {"assistant": self._present(assistant)}
        if key is not None:
            self._idempotency[key] = (copy.deepcopy(body), 201, payload)
        return web.json_response(payload, status=201)

    async def _list(self, request: web.Request) -> web.Response:
        return web.json_response(
            {"assistants": [self._present(a) for a in self.assistants.values()]}
        )

    async def _retrieve(self, request: web.Request) -> web.Response:
        return web.json_response(self._present(self._find(request)))

    async def _update(self, request: web.Request) -> web.Response:
        assistant = self._find(request)
        body = request[_JSON]
        validate_assistant_params(body, create=False)
        assistant.update(_with_server_fields(body))
        assistant["updated_at"] = _now()
        return web.json_response({"assistant": self._present(assistant)})

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


def _with_server_fields(params: Mapping[str, Any]) -> dict[str, Any]:
    """Client params as stored: FAQ items and voices get their server-side parts."""
    stored = copy.deepcopy(dict(params))
    if isinstance(stored.get("faq_items"), list):
        stored["faq_items"] = [
            {
                "id": f"faq_{uuid.uuid4().hex[:12]}",
                "needs_human_answer": False,
                "source": "human",
                **item,
            }
            for item in stored["faq_items"]
        ]
        stored["pending_faq_count"] = 0
    voice = stored.get("voice")
    if isinstance(voice, dict):
        voice.setdefault("speed", 1.0)
    return stored


def _new_assistant(params: Mapping[str, Any]) -> dict[str, Any]:
    now = _now()
    return {
        "id": f"asst_{uuid.uuid4().hex}",
        "organization_id": "org_mock",
        "created_at": now,
        "updated_at": now,
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
            "timezone": None,
        },
        "end_of_call_sentence": None,
        "faq_items": [],
        "first_sentence": None,
        "first_sentence_delay_ms": 400,
        "first_sentence_mode": "generated",
        "ivr_navigation_enabled": False,
        "llm_model": {"type": "dedicated-instance", "name": "gpt-4.1"},
        "max_call_duration_secs": 600.0,
        "structured_output_config": [],
        "transfer_phone_number": None,
        "voice": None,
        "voicemail_message": None,
        "webhook_url": None,
        "pending_faq_count": 0,
        **_with_server_fields(params),
    }


def _drifted(assistant: dict[str, Any]) -> dict[str, Any]:
    """The same assistant as a newer API would show it."""
    assistant["stt_model"] = "stt-rt-v5"
    assistant["thinking_sound"] = {"clip": "office-ambience.ogg", "probability": 0.3}
    if assistant.get("background_sound") is None:
        assistant["background_sound"] = "audio/street.ogg"
    if assistant.get("first_sentence_mode") == "generated":
        assistant["first_sentence_mode"] = "adaptive"
    if assistant.get("llm_model") == {"type": "dedicated-instance", "name": "gpt-4.1"}:
        assistant["llm_model"] = {
            "type": "realtime",
            "provider": "openai",
            "realtime_model_id": "gpt-realtime",
            "realtime_voice_id": "alloy",
        }
    voice = assistant.get("voice")
    if isinstance(voice, dict):
        voice["model"] = "sonic-3.5"
    for item in assistant.get("faq_items") or ():
        item["tags"] = ["imported"]
    return assistant
