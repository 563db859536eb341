"""The only module that imports aiohttp.

It owns the ``ClientSession`` (created lazily, inside the loop that uses it),
sends one attempt, and translates every aiohttp error into the SDK's own.
aiohttp itself is imported by the first ``Transport`` (the first client), not
by ``import revox_async``: it is most of the package's import time, and a
tool that only imports the package (for types, ``--help``…) should not pay it.
It is not put off any later, so that no request stalls its event loop on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
from collections.abc import AsyncGenerator, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from ._core import RequestOptions
from ._exceptions import APIConnectionError, APITimeoutError, ClientClosedError, RevoxError

if TYPE_CHECKING:
    import aiohttp

__all__ = ["Response", "Transport"]


class Response(NamedTuple):
    """One attempt's answer, read in full."""

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
        return await self._new_session(options)

    async def _new_session(self, options: RequestOptions) -> aiohttp.ClientSession:
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
            skip_auto_headers=("User-Agent",),
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
    def _timeout(options: RequestOptions) -> aiohttp.ClientTimeout:
        """The aiohttp timeout for these options (made afresh: per-request timeouts
        may each differ, and a cache of them would only grow)."""
        import aiohttp

        return aiohttp.ClientTimeout(total=options.timeout, connect=options.connect_timeout)

    async def send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        options: RequestOptions,
    ) -> Response:
        session = self._session
        if (
            session is None
            or self._loop is not asyncio.get_running_loop()
            or session.closed
            or self._closed
        ):
            session = await self._other_session(options)
        extra: dict[str, Any] = {}
        if (options.timeout, options.connect_timeout) != self._session_timeout:
            extra["timeout"] = self._timeout(options)
        try:
            async with session.request(method, url, headers=headers, data=body, **extra) as resp:
                content = await resp.read()
                return Response(resp.status, resp.headers, content)
        except TimeoutError as exc:
            raise APITimeoutError(
                f"{method} {url} timed out after {options.timeout:g} s",
                method=method,
                url=url,
            ) from exc
        except Exception as exc:
            import aiohttp

            if not isinstance(exc, aiohttp.ClientError):
                raise
            raise APIConnectionError(
                f"{method} {url} failed: {type(exc).__name__}: {exc}",
                method=method,
                url=url,
            ) from exc

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
