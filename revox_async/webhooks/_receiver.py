"""One receiver of call-completion webhooks, served by aiohttp or any ASGI framework.

Neither aiohttp's server nor any ASGI framework is imported until a request
comes: the receiver is a plain object whose ``aiohttp_handler`` is an
``aiohttp.web`` handler and which is itself an ASGI application.
"""

from __future__ import annotations

import asyncio
import hmac
import inspect
import json
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import unquote

import attrs

from revox_async._core import DEFAULT_MAX_RESPONSE_BYTES
from revox_async._logging import logger

from ._event import CallCompletedEvent, WebhookPayloadError, parse_webhook

if TYPE_CHECKING:
    from aiohttp import web

__all__ = ["DEFAULT_SECRET_HEADER", "WebhookCallback", "WebhookReceiver"]

DEFAULT_SECRET_HEADER: Final = "X-Revox-Webhook-Secret"

WebhookCallback = Callable[[CallCompletedEvent], Awaitable[object] | object]
"""What a receiver calls with each event: an ``async def`` (or a plain function,
which then runs on the event loop: keep it short)."""

_ASGIMessage = dict[str, Any]
_Receive = Callable[[], Awaitable[_ASGIMessage]]
_Send = Callable[[_ASGIMessage], Awaitable[None]]


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


class WebhookReceiver:
    """Receive call-completion webhooks: parse, answer 200 at once, run ``callback`` after.

    ::

        receiver = WebhookReceiver(on_call_ended)               # async def on_call_ended(event)
        aiohttp_app.router.add_post("/revox/webhook", receiver.aiohttp_handler)   # aiohttp
        fastapi_app.mount("/revox/webhook", receiver)           # FastAPI, Starlette: ASGI

    Each POST's body is read (at most ``max_bytes``), parsed with
    `parse_webhook` and answered ``200`` before ``callback`` runs, in a
    task of its own: a slow callback never makes Revox wait, and one that
    raises is logged on the ``revox_async`` logger, never answered as a 500.
    A body that is no event gets ``400`` (``413`` over ``max_bytes``), logged
    as a warning with the reason but not the body. ``await receiver.join()``
    waits for the callbacks still running (at shutdown, or in a test).

    **secret**: the service signs nothing, so anyone who learns the URL can
    post to it. A receiver given ``secret`` accepts only requests that carry
    it, as the last segment of the URL path
    (``https://example.com/revox/webhook/<secret>``: put that in
    ``webhook_url``) or in the ``secret_header`` header (for a proxy that
    adds one); others get ``401``. This is your own protection, and as good
    as the secrecy of the URL: use HTTPS and a long random value
    (``secrets.token_urlsafe(32)``). Mind that the URL, secret included, is
    stored on the assistant and shown to whoever can read it.
    """

    def __init__(
        self,
        callback: WebhookCallback,
        *,
        secret: str | None = None,
        secret_header: str = DEFAULT_SECRET_HEADER,
        max_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        if not callable(callback):
            raise TypeError("callback: expected a function taking a CallCompletedEvent")
        if secret is not None and (not isinstance(secret, str) or not secret):
            raise ValueError("secret: expected a non-empty string, or None")
        if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
            raise ValueError("max_bytes: expected an integer >= 1")
        self.callback = callback
        self.secret = secret
        self.secret_header = secret_header
        self.max_bytes = max_bytes
        self._tasks: set[asyncio.Task[None]] = set()

    def __repr__(self) -> str:
        secret = "set" if self.secret else "none"
        return f"<WebhookReceiver callback={self.callback!r} secret={secret}>"

    @property
    def pending(self) -> int:
        """How many callbacks are still running."""
        return len(self._tasks)

    async def join(self) -> None:
        """Wait until every callback started so far (and any they led to) has finished."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    # -- the framework-free core ----------------------------------------------------

    def _authorized(self, path: str, headers: Mapping[str, str]) -> bool:
        if self.secret is None:
            return True
        expected = self.secret.encode()
        given = [headers.get(self.secret_header.lower(), ""), path.rstrip("/").rpartition("/")[2]]
        # compare_digest on each (both checked: no early exit tells which one was tried)
        return sum(hmac.compare_digest(value.encode(), expected) for value in given) > 0

    def _refuse(self, answer: _Answer, peer: str | None, why: str) -> _Answer:
        logger.warning("webhook from %s refused (%d): %s", peer or "?", answer.status, why)
        return answer

    def _accept(self, body: bytes, peer: str | None) -> _Answer:
        try:
            event = parse_webhook(body, max_bytes=self.max_bytes)
        except WebhookPayloadError as exc:
            return self._refuse(_Answer.of(400, error=str(exc)), peer, exc.reason)
        task = asyncio.get_running_loop().create_task(self._run(event))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return _OK

    def _precheck(
        self, method: str, path: str, headers: Mapping[str, str], peer: str | None
    ) -> _Answer | None:
        if method != "POST":
            return _Answer.of(405, error="webhooks are POSTed")
        if not self._authorized(path, headers):
            return self._refuse(_Answer.of(401, error="unauthorized"), peer, "wrong or no secret")
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            return self._too_large(peer)
        return None

    def _too_large(self, peer: str | None) -> _Answer:
        why = f"the body is larger than max_bytes={self.max_bytes}"
        return self._refuse(_Answer.of(413, error=why), peer, why)

    async def _run(self, event: CallCompletedEvent) -> None:
        try:
            result = self.callback(event)
            if inspect.isawaitable(result):
                await result
        except Exception:
            logger.exception(
                "webhook callback %r failed on the event of call %s",
                self.callback,
                event.call_order_id or event.call_id,
            )

    # -- aiohttp ------------------------------------------------------------------------

    async def aiohttp_handler(self, request: web.Request) -> web.StreamResponse:
        """An ``aiohttp.web`` handler: ``app.router.add_post("/revox/webhook", r.aiohttp_handler)``
        (or ``"/revox/webhook/{secret}"`` with a secret in the path)."""
        from aiohttp import web

        headers = {key.lower(): value for key, value in request.headers.items()}
        answer = self._precheck(request.method, request.path, headers, request.remote)
        if answer is None:
            try:
                body = await _read_capped(request, self.max_bytes)
            except _TooLargeError:
                answer = self._too_large(request.remote)
            else:
                answer = self._accept(body, request.remote)
        return web.Response(status=answer.status, body=answer.body, content_type="application/json")

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
        answer = self._precheck(scope["method"], path, headers, peer)
        if answer is None:
            chunks: list[bytes] = []
            size = 0
            more = True
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > self.max_bytes:
                    answer = self._too_large(peer)
                    break
                chunks.append(chunk)
                more = message.get("more_body", False)
            else:
                answer = self._accept(b"".join(chunks), peer)
        await send(
            {
                "type": "http.response.start",
                "status": answer.status,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": answer.body})

    async def _lifespan(self, receive: _Receive, send: _Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.join()
                await send({"type": "lifespan.shutdown.complete"})
                return


async def _read_capped(request: web.Request, limit: int) -> bytes:
    """The body, counted as it is read (inflated, if compressed) and refused past ``limit``."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_chunked(65536):
        size += len(chunk)
        if size > limit:
            raise _TooLargeError
        chunks.append(chunk)
    return b"".join(chunks)
