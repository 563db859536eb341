"""One receiver of call-completion webhooks, served by aiohttp or any ASGI framework.

Neither aiohttp's server nor any ASGI framework is imported until a request
comes: the receiver is a plain object whose ``aiohttp_handler`` is an
``aiohttp.web`` handler and which is itself an ASGI application.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import hmac
import inspect
import json
import threading
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import unquote

import attrs

from revox_async._core import DEFAULT_MAX_RESPONSE_BYTES
from revox_async._logging import logger

from ._event import CallCompletedEvent, WebhookPayloadError, parse_webhook

if TYPE_CHECKING:
    from aiohttp import web

__all__ = [
    "DEFAULT_SECRET_HEADER",
    "DEFAULT_SHUTDOWN_TIMEOUT",
    "WebhookCallback",
    "WebhookReceiver",
]

DEFAULT_SECRET_HEADER: Final = "X-Revox-Webhook-Secret"
DEFAULT_SHUTDOWN_TIMEOUT: Final = 30.0
"""Seconds the ASGI lifespan shutdown and ``aiohttp_shutdown`` wait for running callbacks."""

WebhookCallback = Callable[[CallCompletedEvent], Awaitable[object] | object]
"""What a receiver calls with each event: an ``async def`` (run on the event loop)
or a plain function (run in a worker thread, ``asyncio.to_thread``)."""

_ASGIMessage = dict[str, Any]
_Receive = Callable[[], Awaitable[_ASGIMessage]]
_Send = Callable[[_ASGIMessage], Awaitable[None]]

_ENCODINGS: Final = frozenset({"", "identity", "gzip", "deflate"})
"""The Content-Encodings read (the same under aiohttp and ASGI); others get 415."""
_SECRET_CHARS: Final = frozenset(chr(c) for c in range(0x21, 0x7F)) - set("/?#")


@attrs.frozen
class _Answer:
    status: int
    body: bytes

    @classmethod
    def of(cls, status: int, **data: object) -> _Answer:
        return cls(status, json.dumps(data).encode())


_OK = _Answer.of(200, received=True)


class _TooLargeError(Exception):
    pass


class _UnreadableError(Exception):
    """A body that cannot be read: a corrupt or truncated gzip/deflate stream."""


class _ClientGoneError(Exception):
    """The client hung up before its body came whole."""


def _is_async(callback: object) -> bool:
    while isinstance(callback, functools.partial):
        callback = callback.func
    if inspect.iscoroutinefunction(callback):
        return True
    call = getattr(callback, "__call__", None)  # noqa: B004 - an object with an async __call__
    return inspect.iscoroutinefunction(call)


class _Inflater:
    """A gzip or deflate body inflated as it comes, never a byte past ``room + 1`` at a time."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        self._inflate: Any = zlib.decompressobj(16 + zlib.MAX_WBITS) if encoding == "gzip" else None

    @classmethod
    def of(cls, headers: Mapping[str, str]) -> _Inflater | None:
        """The inflater the ``content-encoding`` header asks for, if any."""
        encoding = headers.get("content-encoding", "").strip().lower()
        return cls(encoding) if encoding in ("gzip", "deflate") else None

    def feed(self, data: bytes, room: int) -> bytes:
        """Inflate ``data`` into ``room + 1`` bytes at most (more than ``room``: too large)."""
        if not data:
            return b""
        if self._inflate is None:  # deflate: zlib-wrapped, or raw as some senders do (as aiohttp)
            wbits = zlib.MAX_WBITS if data[0] & 0x0F == 8 else -zlib.MAX_WBITS
            self._inflate = zlib.decompressobj(wbits)
        try:
            out: bytes = self._inflate.decompress(data, room + 1)
        except zlib.error as exc:
            raise _UnreadableError(f"corrupt {self._encoding} body ({exc})") from None
        return out

    def finish(self) -> None:
        if self._inflate is not None and not self._inflate.eof:
            raise _UnreadableError(f"truncated {self._encoding} body")
        if self._inflate is None and self._encoding == "gzip":
            raise _UnreadableError("empty gzip body")


class WebhookReceiver:
    """Receive call-completion webhooks: parse, answer 200, then run ``callback``.

    ::

        receiver = WebhookReceiver(on_call_ended)               # async def on_call_ended(event)
        aiohttp_app.router.add_post("/revox/webhook", receiver.aiohttp_handler)   # aiohttp
        fastapi_app.mount("/revox/webhook", receiver)           # FastAPI, Starlette: ASGI

    Each POST's body is read (at most ``max_bytes``, inflated if sent with
    ``Content-Encoding: gzip`` or ``deflate``; another encoding gets ``415``),
    parsed with `parse_webhook` and answered ``200``; only once the answer is
    written does ``callback`` start, in a task of its own (an ``async def``)
    or in a worker thread (a plain function): a slow callback never makes
    Revox wait nor blocks the loop, and one that raises is logged on the
    ``revox_async`` logger, never answered as a 500. A body that is no event
    gets ``400`` (``413`` over ``max_bytes``), logged as a warning with the
    reason but not the body. With ``max_pending``, a request that comes while
    that many callbacks still run gets ``503`` (the sender may retry).

    ``await receiver.join(timeout)`` (from any loop; sync code:
    ``receiver.wait(timeout)``) waits for the callbacks still running: call
    it at shutdown (``aiohttp_shutdown`` does, for ``app.on_shutdown``; the
    ASGI lifespan shutdown does, both for at most ``shutdown_timeout``
    seconds). Callbacks still unfinished then, or cancelled, are logged as a
    warning: their events are lost, the sender having had its 200.

    **secret**: the service signs nothing, so anyone who learns the URL can
    post to it. A receiver given ``secret`` (printable ASCII, without ``/``,
    ``?`` or ``#``) accepts only requests that carry it, as the last segment
    of the URL path (``https://example.com/revox/webhook/<secret>``: put that
    in ``webhook_url``) or in the ``secret_header`` header (for a proxy that
    adds one); others get ``401``. This is your own protection, and as good
    as the secrecy of the URL: use HTTPS and a long random value
    (``secrets.token_urlsafe(32)``). Mind that the URL, secret included, is
    stored on the assistant, shown to whoever can read it, and written to
    the access log of most servers (uvicorn's, aiohttp's): prefer the header
    where a proxy can add it, or turn the access log off.
    """

    def __init__(
        self,
        callback: WebhookCallback,
        *,
        secret: str | None = None,
        secret_header: str = DEFAULT_SECRET_HEADER,
        max_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        max_pending: int | None = None,
        shutdown_timeout: float | None = DEFAULT_SHUTDOWN_TIMEOUT,
    ) -> None:
        if not callable(callback):
            raise TypeError("callback: expected a function taking a CallCompletedEvent")
        if secret is not None and (not isinstance(secret, str) or not secret):
            raise ValueError("secret: expected a non-empty string, or None")
        if secret is not None and not set(secret) <= _SECRET_CHARS:
            raise ValueError(
                "secret: use printable ASCII without spaces, '/', '?' or '#' (it must fit one "
                "URL path segment and a header): secrets.token_urlsafe(32) gives one"
            )
        if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
            raise ValueError("max_bytes: expected an integer >= 1")
        if max_pending is not None and (
            isinstance(max_pending, bool) or not isinstance(max_pending, int) or max_pending < 1
        ):
            raise ValueError("max_pending: expected an integer >= 1, or None")
        if shutdown_timeout is not None and not shutdown_timeout >= 0:
            raise ValueError("shutdown_timeout: expected seconds >= 0, or None (no bound)")
        self.callback = callback
        self.secret = secret
        self.secret_header = secret_header
        self.max_bytes = max_bytes
        self.max_pending = max_pending
        self.shutdown_timeout = shutdown_timeout
        self._is_async = _is_async(callback)
        self._lock = threading.Lock()
        self._running: dict[concurrent.futures.Future[None], str] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def __repr__(self) -> str:
        secret = "set" if self.secret else "none"
        return f"<WebhookReceiver callback={self.callback!r} secret={secret}>"

    @property
    def pending(self) -> int:
        """How many callbacks are still running."""
        with self._lock:
            return len(self._running)

    async def join(self, timeout: float | None = None) -> bool:  # noqa: ASYNC109
        """Wait until every callback started so far (and any they led to) has finished:
        ``True``; after ``timeout`` seconds, log how many still run and give ``False``.

        Works from any event loop or thread, not only the server's."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock:
                running = list(self._running)
            if not running:
                return True
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return self._unfinished(timeout)
            waiters = [asyncio.wrap_future(future) for future in running]
            await asyncio.wait(waiters, timeout=left)

    def wait(self, timeout: float | None = None) -> bool:
        """`join` for sync code (another thread than the server's loop)."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            pass
        else:
            raise RuntimeError("receiver.wait() would block the event loop: await receiver.join()")
        loop = asyncio.new_event_loop()  # of its own: the thread's current loop is left as it is
        try:
            return loop.run_until_complete(self.join(timeout))
        finally:
            loop.close()

    def _unfinished(self, timeout: float | None) -> bool:
        with self._lock:
            calls = sorted(self._running.values())
        if not calls:  # pragma: no cover - all finished since
            return True
        logger.warning(
            "%d webhook callback(s) still running after %s s, their events may be lost: %s",
            len(calls),
            f"{timeout:g}" if timeout is not None else "?",
            ", ".join(calls),
        )
        return False

    async def aiohttp_shutdown(self, app: object = None) -> None:
        """For ``app.on_shutdown.append(receiver.aiohttp_shutdown)``: `join` the callbacks
        for at most ``shutdown_timeout`` seconds."""
        await self.join(self.shutdown_timeout)

    # -- the framework-free core ----------------------------------------------------

    def _authorized(self, path: str, headers: Mapping[str, str]) -> bool:
        if self.secret is None:
            return True
        expected = self.secret.encode()
        given = [headers.get(self.secret_header.lower(), ""), path.rstrip("/").rpartition("/")[2]]
        # compare_digest on each (both checked: no early exit tells which one was tried)
        return (
            sum(hmac.compare_digest(value.encode("utf-8", "replace"), expected) for value in given)
            > 0
        )

    def _refuse(self, answer: _Answer, peer: str | None, why: str) -> _Answer:
        logger.warning("webhook from %s refused (%d): %s", peer or "?", answer.status, why)
        return answer

    async def _event(
        self, body: Awaitable[bytes], peer: str | None
    ) -> tuple[_Answer, CallCompletedEvent | None]:
        """Read and parse a body: the answer to give, and the event when it is one
        (`_ClientGoneError` is left to the framework's side)."""
        try:
            event = parse_webhook(await body, max_bytes=self.max_bytes)
        except _TooLargeError:
            return self._too_large(peer), None
        except _UnreadableError as exc:
            return self._refuse(_Answer.of(400, error=str(exc)), peer, str(exc)), None
        except WebhookPayloadError as exc:
            return self._refuse(_Answer.of(400, error=str(exc)), peer, exc.reason), None
        return _OK, event

    async def _read(self, chunks: AsyncIterator[bytes], inflater: _Inflater | None) -> bytes:
        """The body, counted as it comes (inflated by ``inflater``) and refused past
        ``max_bytes``."""
        parts: list[bytes] = []
        size = 0
        async for chunk in chunks:
            part = chunk if inflater is None else inflater.feed(chunk, self.max_bytes - size)
            size += len(part)
            if size > self.max_bytes:
                raise _TooLargeError
            parts.append(part)
        if inflater is not None:
            inflater.finish()
        return b"".join(parts)

    def _start(self, event: CallCompletedEvent) -> None:
        """Run the callback on ``event``: called once the 200 is written, never before."""
        done: concurrent.futures.Future[None] = concurrent.futures.Future()
        done.set_running_or_notify_cancel()  # never cancelled by a join() that is
        with self._lock:
            self._running[done] = event.call_order_id or event.call_id or "?"
        task = asyncio.get_running_loop().create_task(self._run(event, done))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _precheck(
        self, method: str, path: str, headers: Mapping[str, str], peer: str | None
    ) -> _Answer | None:
        if method != "POST":
            return _Answer.of(405, error="webhooks are POSTed")
        if not self._authorized(path, headers):
            return self._refuse(_Answer.of(401, error="unauthorized"), peer, "wrong or no secret")
        encoding = headers.get("content-encoding", "").strip().lower()
        if encoding not in _ENCODINGS:
            why = f"Content-Encoding {encoding[:40]!r} is not read (gzip, deflate or none)"
            return self._refuse(_Answer.of(415, error=why), peer, why)
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            return self._too_large(peer)
        if self.max_pending is not None and self.pending >= self.max_pending:
            why = f"{self.max_pending} callbacks still running (max_pending)"
            return self._refuse(_Answer.of(503, error=why), peer, why)
        return None

    def _too_large(self, peer: str | None) -> _Answer:
        why = f"the body is larger than max_bytes={self.max_bytes}"
        return self._refuse(_Answer.of(413, error=why), peer, why)

    async def _run(self, event: CallCompletedEvent, done: concurrent.futures.Future[None]) -> None:
        call = event.call_order_id or event.call_id
        try:
            if self._is_async:
                await self.callback(event)  # type: ignore[misc]
            else:
                result = await asyncio.to_thread(self.callback, event)
                if inspect.isawaitable(result):
                    await result
        except asyncio.CancelledError:
            logger.warning(
                "webhook callback %r cancelled before it finished (shutdown?): the event of "
                "call %s is lost",
                self.callback,
                call,
            )
            raise
        except Exception:
            logger.exception(
                "webhook callback %r failed on the event of call %s", self.callback, call
            )
        finally:
            with self._lock:
                self._running.pop(done, None)
            done.set_result(None)

    # -- aiohttp ------------------------------------------------------------------------

    async def aiohttp_handler(self, request: web.Request) -> web.StreamResponse:
        """An ``aiohttp.web`` handler: ``app.router.add_post("/revox/webhook", r.aiohttp_handler)``
        (or ``"/revox/webhook/{secret}"`` with a secret in the path), in an app made with
        ``web.Application(handler_args={"auto_decompress": False})``: aiohttp's parser
        would answer 400 itself, with a traceback, to an encoding it cannot decode."""
        headers = {key.lower(): value for key, value in request.headers.items()}
        answer = self._precheck(request.method, request.path, headers, request.remote)
        if answer is not None:
            return _aiohttp_response(answer)
        # aiohttp inflates gzip and deflate itself, unless the app turned auto_decompress off
        raw = request.body_exists and request.content.total_compressed_bytes is None
        body = self._read(_aiohttp_chunks(request), _Inflater.of(headers) if raw else None)
        try:
            answer, event = await self._event(body, request.remote)
        except _ClientGoneError:
            logger.warning("webhook from %s dropped: the client hung up mid-body", request.remote)
            answer, event = _Answer.of(400, error="the body did not come whole"), None
        response = _aiohttp_response(answer)
        if answer.status != 200:
            response.force_close()  # "Connection: close", and closed once written (below)
        try:  # written before the callback starts: it cannot hold the answer back
            await response.prepare(request)
            await response.write_eof()
        except (ConnectionError, RuntimeError) as exc:  # pragma: no cover - a client gone now
            logger.debug("webhook answer not written: %s", exc)
        # No keep-alive once refused: aiohttp would read the rest of the body, meeting its
        # error again.
        force_close = getattr(request.protocol, "force_close", None)
        if answer.status != 200 and callable(force_close):
            force_close()
        if event is not None:
            self._start(event)
        return response

    # -- ASGI -------------------------------------------------------------------------

    async def __call__(self, scope: Mapping[str, Any], receive: _Receive, send: _Send) -> None:
        """The ASGI application: mount it (``app.mount("/revox/webhook", receiver)``)
        or serve it alone (``uvicorn module:receiver``)."""
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":  # a websocket: not for us
            return
        headers = {
            key.decode("latin-1").lower(): value.decode("latin-1")
            for key, value in scope.get("headers", ())
        }
        client = scope.get("client")
        peer = str(client[0]) if client else None
        path = unquote(str(scope.get("root_path", ""))) + str(scope.get("path", ""))
        event = None
        answer = self._precheck(scope["method"], path, headers, peer)
        if answer is None:
            body = self._read(_asgi_chunks(receive), _Inflater.of(headers))
            try:
                answer, event = await self._event(body, peer)
            except _ClientGoneError:
                return
        await send(
            {
                "type": "http.response.start",
                "status": answer.status,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": answer.body})
        if event is not None:  # the answer is sent: the callback cannot hold it back
            self._start(event)

    async def _lifespan(self, receive: _Receive, send: _Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.join(self.shutdown_timeout)
                await send({"type": "lifespan.shutdown.complete"})
                return


async def _aiohttp_chunks(request: web.Request) -> AsyncIterator[bytes]:
    """The body as aiohttp gives it; what it could not inflate or read whole, as ours."""
    from aiohttp import web

    try:
        async for chunk in request.content.iter_chunked(65536):
            yield chunk
    except web.RequestPayloadError as exc:  # what aiohttp could not inflate or read whole
        cause = exc.__cause__ or exc
        if "decompress" in str(cause.__cause__ or cause) or "Encoding" in type(cause).__name__:
            encoding = request.headers.get("Content-Encoding", "").strip().lower()
            inner = cause.__cause__ or cause.__context__
            reason = (str(cause) if inner is None else str(inner)).strip() or type(cause).__name__
            raise _UnreadableError(f"corrupt {encoding} body ({reason})") from None
        raise _ClientGoneError from None  # pragma: no cover - a body cut short, as aiohttp words it
    except ConnectionError:  # the client hung up mid-body
        raise _ClientGoneError from None


async def _asgi_chunks(receive: _Receive) -> AsyncIterator[bytes]:
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _ClientGoneError
        yield bytes(message.get("body", b""))
        more = message.get("more_body", False)


def _aiohttp_response(answer: _Answer) -> web.Response:
    from aiohttp import web

    return web.Response(status=answer.status, body=answer.body, content_type="application/json")
