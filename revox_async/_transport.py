"""The only module that imports aiohttp.

It owns the ``ClientSession`` (created lazily, inside the loop that uses it),
sends one attempt, and translates every aiohttp error into the SDK's own.
An attempt reads no more of a body than ``max_response_bytes`` (64 KiB of an
error's), counted after decompression, and follows a redirect only where
`revox_async._core.redirect_target` allows it (aiohttp's own following
is off: it re-sends POST bodies and keys to other origins).
aiohttp itself is imported by the first ``Transport`` (the first client), not
by ``import revox_async``: it is most of the package's import time, and a
tool that only imports the package (for types, ``--help``…) should not pay it.
It is not put off any later, so that no request stalls its event loop on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import importlib
import io
import re
import string
import time
from collections.abc import AsyncGenerator, Mapping
from typing import TYPE_CHECKING, Any, Final, NamedTuple
from urllib.parse import quote, urlsplit

from ._core import RequestOptions, header_secrets, redact_headers, redirect_target
from ._exceptions import (
    MAX_KEPT_BODY_BYTES,
    APIConnectionError,
    APIError,
    APITimeoutError,
    ClientClosedError,
    ResponseTooLargeError,
    RevoxError,
)
from ._logging import log_redirect
from ._redact import redact_error, shows_secret

if TYPE_CHECKING:
    import aiohttp
    import yarl

__all__ = ["Reply", "Transport"]

_READ_BUFSIZE = 2**16
_LARGE_BODY = 2**20
"""A body longer than this is sent from a stream: aiohttp warns (``ResourceWarning``) that
longer raw bytes may block the loop, and a voice clone's JSON can be ~10 MB."""


_URL_SYMBOLS: Final = "-._~:/?#[]@!$&'()*+,;="
"""Every character an encoded URL may hold besides letters, digits and escapes (RFC 3986)."""
_URL_CHARACTERS: Final = frozenset(string.ascii_letters + string.digits + _URL_SYMBOLS + "%")
_LONE_PERCENT: Final = re.compile(r"%(?![0-9A-Fa-f]{2})")


class Reply(NamedTuple):
    """One attempt's answer as the wire gave it, read in full (an error's: its first 64 KiB
    and one byte more); the engine makes a call's `_retry.Response` of it."""

    status: int
    headers: Mapping[str, str]
    content: bytes


class Transport:
    """One aiohttp session, bound to the event loop that created it."""

    def __init__(self, session: aiohttp.ClientSession | None = None) -> None:
        importlib.import_module("aiohttp")
        self._session = session
        self._owns_session = session is None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        self._closer: AsyncGenerator[None, None] | None = None
        self._session_timeout: tuple[float, float] | None = None

    @property
    def closed(self) -> bool:
        return self._closed

    async def _other_session(self, options: RequestOptions) -> aiohttp.ClientSession:
        """When the session at hand will not do: closed client, borrowed session, or
        none yet for this loop (``send`` checks the usual case inline)."""
        if self._closed:
            raise ClientClosedError("This client is closed; create a new one.")
        if not self._owns_session:
            assert self._session is not None
            return self._session
        import aiohttp

        loop = asyncio.get_running_loop()
        old = self._session
        if old is not None and not old.closed:
            if self._loop is not None and self._loop.is_running():
                raise RevoxError(
                    "This client's connection pool belongs to another running event "
                    "loop; use one client per event loop (or SyncRevox across threads)."
                )
            _abandon(old)
        # The first caller's timeouts become the session's own, so that the
        # usual request passes none (aiohttp then has less to set up).
        self._session_timeout = (options.timeout, options.connect_timeout)
        self._session = session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=100, ttl_dns_cache=300),
            raise_for_status=False,
            timeout=self._timeout(options),
        )
        self._loop = loop
        # asyncio.run() finalizes async generators before it closes its loop:
        # this one closes the session then, so a client that outlives its loop
        # leaves no socket behind and starts afresh in the next one.
        self._closer = _close_at_loop_end(session)
        await anext(self._closer)
        return session

    @staticmethod
    def _timeout(options: RequestOptions, total: float | None = None) -> aiohttp.ClientTimeout:
        """The aiohttp timeout for these options (made afresh: per-request timeouts
        may each differ, and a cache of them would only grow)."""
        import aiohttp

        return aiohttp.ClientTimeout(
            total=options.timeout if total is None else total, connect=options.connect_timeout
        )

    async def send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        options: RequestOptions,
    ) -> Reply:
        session = self._session
        if (
            session is None
            or self._loop is not asyncio.get_running_loop()
            or session.closed
            or self._closed
        ):
            session = await self._other_session(options)
        try:
            return await self._attempt(session, method, url, headers, body, options)
        except APIError as exc:  # a redirect refused may quote a Location holding the key
            redact_error(exc, header_secrets(headers))
            raise
        except RevoxError:
            raise
        except Exception as exc:
            failure = _translate(exc, method, url, headers, options)
            if failure is None:
                raise
        # Raised here, outside the except block, so that a cause left out for
        # showing a credential does not linger as __context__ either.
        error, cause = failure
        raise error from cause

    async def _attempt(
        self,
        session: aiohttp.ClientSession,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        options: RequestOptions,
    ) -> Reply:
        """One attempt: the request, the redirects a GET may follow, the body read."""
        # 64 KiB reads (aiohttp's default is 256 KiB) also bound how much aiohttp
        # itself inflates and buffers ahead of us: ~0.6 MiB instead of ~2 MiB.
        extra: dict[str, Any] = {"allow_redirects": False, "read_bufsize": _READ_BUFSIZE}
        if (options.timeout, options.connect_timeout) != self._session_timeout:
            extra["timeout"] = self._timeout(options)
        deadline = time.monotonic() + options.timeout  # the loop's clock, without asking the loop
        target, hops = url, 0
        while True:
            if hops:  # the attempt's timeout covers its redirects too
                extra["timeout"] = self._timeout(options, max(deadline - time.monotonic(), 0.001))
            data = io.BytesIO(body) if body is not None and len(body) > _LARGE_BODY else body
            wire = wire_url(target)
            async with session.request(method, wire, headers=headers, data=data, **extra) as resp:
                status = resp.status
                if 300 <= status < 400:
                    redirected = redirect_target(
                        method=method, url=target, status=status, headers=resp.headers, hops=hops
                    )
                    hops += 1
                    log_redirect(method, target, status, redirected, hops)
                    target = redirected
                    continue
                if status >= 400:  # only this much of an error is ever kept
                    content = b"".join(await _read(resp, MAX_KEPT_BODY_BYTES))
                    return Reply(status, resp.headers, content)
                limit = options.max_response_bytes
                length = resp.content_length
                if length is not None and length > limit and "Content-Encoding" not in resp.headers:
                    resp.close()  # too long, known without reading it
                    raise _too_large(method, url, status, limit)
                chunks = await _read(resp, limit)
                if sum(map(len, chunks)) > limit:
                    raise _too_large(method, url, status, limit)
                return Reply(status, resp.headers, b"".join(chunks))

    async def close(self) -> None:
        """Close the session if this transport created it (idempotent)."""
        if self._closed:
            return
        self._closed = True
        session, self._session = self._session, None
        closer, self._closer = self._closer, None
        if session is None or not self._owns_session or session.closed:
            return
        if self._loop is not asyncio.get_running_loop():
            _abandon(session)
            return
        await session.close()
        if closer is not None:
            await closer.aclose()
        # Let transports finish closing before the loop may stop.
        await asyncio.sleep(0)


@functools.lru_cache(maxsize=256)
def wire_url(url: str) -> yarl.URL:
    """``url`` as sent: its path and query byte for byte as built, never re-decoded.

    yarl, given a string, decodes the escapes of characters a path may hold
    (``%3B`` to ``;``, ``%3D`` to ``=``…), so an id ``..;`` would reach the wire as
    ``/..;``, which Tomcat/Spring-style servers read as ``..``. Every id is already
    encoded as one segment (`revox_async._core.path_segment`): the URL is taken
    as encoded. Only a ``base_url`` or redirect with characters no URL may hold (a
    non-ASCII host or path, a ``%`` starting no escape) is encoded here first, and
    nothing else in it. The last URLs are kept: a create's is the same every time.
    """
    from yarl import URL

    if _URL_CHARACTERS.issuperset(url) and ("%" not in url or not _LONE_PERCENT.search(url)):
        return URL(url, encoded=True)
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    rest = quote(_LONE_PERCENT.sub("%25", url[len(origin) :]), safe=_URL_SYMBOLS + "%")
    return URL(str(URL(origin)) + rest, encoded=True)


async def _read(resp: aiohttp.ClientResponse, limit: int) -> list[bytes]:
    """The body's chunks, ``limit + 1`` bytes at most: more than ``limit`` means
    there was more, and then the connection is dropped with the rest unread.

    Counted as aiohttp inflates gzip/deflate, so neither an endless body nor a
    compression bomb is ever held beyond the limit.
    """
    chunks: list[bytes] = []
    size = 0
    # readany(), not read(n): read(n) raises aiohttp's buffer and inflate sizes to n.
    while chunk := await resp.content.readany():
        if size + len(chunk) > limit:
            chunks.append(chunk[: limit + 1 - size])
            resp.close()
            break
        chunks.append(chunk)
        size += len(chunk)
    return chunks


def _too_large(method: str, url: str, status: int, limit: int) -> ResponseTooLargeError:
    return ResponseTooLargeError(
        f"{method} {url} returned {status} with a body larger than max_response_bytes="
        f"{limit} ({_size(limit)}, counted decompressed); reading stopped there. "
        "If the account really needs more, raise it: AsyncRevox(max_response_bytes=...) "
        "or client.with_options(max_response_bytes=...).",
        method=method,
        url=url,
        status_code=status,
        max_response_bytes=limit,
    )


def _size(n: int) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n} bytes"


def _translate(
    exc: Exception, method: str, url: str, headers: Mapping[str, str], options: RequestOptions
) -> tuple[APIError, BaseException | None] | None:
    """The SDK's error for an aiohttp (or timeout) error, and the cause safe to chain.

    Some aiohttp errors hold the request's headers (``request_info``), so the
    API key would show in their ``repr``: those headers are redacted, and a
    cause that still shows a credential anywhere in its chain is not chained.
    The message keeps aiohttp's, with each credential in it ``[redacted]``.
    ``None``: not an error to translate.
    """
    import aiohttp

    if not isinstance(exc, (TimeoutError, aiohttp.ClientError)):
        return None
    secrets = header_secrets(headers)
    cause = _scrubbed(exc, secrets)
    error: APIError
    if isinstance(exc, TimeoutError):
        timeout = f"{method} {url} timed out after {options.timeout:g} s"
        error = APITimeoutError(timeout, method=method, url=url)
    else:
        message = f"{method} {url} failed: {type(exc).__name__}: {exc}"
        # Connecting failed: not a byte of the request left, so nothing happened there.
        sent = not isinstance(exc, aiohttp.ClientConnectorError)
        error = APIConnectionError(message, method=method, url=url, request_sent=sent)
    return redact_error(error, secrets), cause


def _scrubbed(exc: BaseException, secrets: tuple[str, ...]) -> BaseException | None:
    """``exc`` with aiohttp's ``request_info`` headers redacted throughout its chain,
    or ``None`` if a secret still shows in the ``str`` or ``repr`` of any link."""
    import aiohttp
    from multidict import CIMultiDict, CIMultiDictProxy

    chain: list[BaseException] = []
    pending: list[BaseException | None] = [exc]
    while pending:
        link = pending.pop()
        if link is None or any(link is seen for seen in chain):
            continue
        chain.append(link)
        pending += (link.__cause__, link.__context__)
    for link in chain:
        if isinstance(link, aiohttp.ClientResponseError):
            info = link.request_info
            redacted = CIMultiDict(redact_headers(info.headers))
            link.request_info = info._replace(headers=CIMultiDictProxy(redacted))
            link.history = ()
            link.args = (link.request_info, link.history)
    for link in chain:
        if shows_secret(f"{link}\n{link!r}", secrets):
            return None
    return exc


async def _close_at_loop_end(session: aiohttp.ClientSession) -> AsyncGenerator[None, None]:
    try:
        yield
    finally:
        if not session.closed:
            await session.close()


def _abandon(session: aiohttp.ClientSession) -> None:
    """Drop a session whose loop has finished, without warnings or loop calls."""
    connector = session.connector
    session.detach()
    if connector is not None:
        with contextlib.suppress(Exception):
            connector._close()
