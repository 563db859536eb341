"""``SyncRevox``: ``AsyncRevox`` for synchronous code, through one anyio blocking portal.

Nothing here knows about HTTP, models or retries: a resource's sync form
builds its request in the caller's thread and hands the sending to
`SyncRevox._run`, which runs it in the portal's event loop (one thread
for the client's whole life, shared by every thread that uses it).
"""

from __future__ import annotations

import functools
import os
import threading
import weakref
from collections.abc import Callable, Coroutine, Mapping
from concurrent.futures import Future
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

from ._client import AsyncRevox, BaseClient
from ._core import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    RequestOptions,
)
from ._endpoint import with_resources
from ._exceptions import ClientClosedError

if TYPE_CHECKING:
    import asyncio

    from anyio.from_thread import BlockingPortal

    from ._facades import (
        SyncAssistants,
        SyncCalls,
        SyncCampaigns,
        SyncPhoneNumbers,
        SyncUsers,
        SyncVoices,
    )
    from ._models.phone_numbers import AuthStatus

__all__ = ["SyncRevox"]

_R = TypeVar("_R")


_pid = os.getpid()
"""This process's id, kept up to date by a fork hook: ``os.getpid()`` is a system call,
and a sync call asks at every call whether it runs in a forked child."""


def _forked() -> None:
    global _pid  # noqa: PLW0603 - the one fork hook writes it
    _pid = os.getpid()


if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork either
    os.register_at_fork(after_in_child=_forked)


class _Loop:
    """One process's loop thread, its anyio portal, and the AsyncRevox that lives there.

    Started by hand rather than with ``start_blocking_portal()``: that context
    manager, dropped in a forked child, blocks forever trying to stop a loop
    thread the child does not have. The portal starts, closes and stops it; each
    call goes in with ``asyncio.run_coroutine_threadsafe`` (one wake-up of the loop,
    one of the caller: ``portal.start_task_soon`` waits for the loop twice).
    """

    def __init__(self, client: AsyncRevox) -> None:
        from asyncio import run_coroutine_threadsafe  # with asyncio: by the first call

        self.pid = _pid
        self.client = client
        self.ended = False  # stopped by _shutdown
        ready: Future[tuple[BlockingPortal, asyncio.AbstractEventLoop]] = Future()
        self.thread = threading.Thread(
            target=_serve, args=(ready,), name="revox-async-loop", daemon=True
        )
        self.thread.start()
        self.portal, events = ready.result()
        self.submit = functools.partial(run_coroutine_threadsafe, loop=events)
        """Hand a coroutine to the loop thread (one wake-up of the loop)."""


def _serve(ready: Future[tuple[BlockingPortal, asyncio.AbstractEventLoop]]) -> None:
    import asyncio

    import anyio
    from anyio.from_thread import BlockingPortal

    async def main() -> None:
        async with BlockingPortal() as portal:
            ready.set_result((portal, asyncio.get_running_loop()))
            await portal.sleep_until_stopped()

    anyio.run(main)


def _shutdown(loop: _Loop) -> None:
    """Close the session, cancel what still runs, stop the thread (close, collection, exit)."""
    if loop.pid != _pid or threading.get_ident() == loop.thread.ident:
        return  # a forked child never touches its parent's loop
    loop.ended = True  # before the calls in flight are woken
    try:
        loop.portal.call(loop.client.close)
    finally:
        loop.portal.call(loop.portal.stop, True)
        loop.thread.join()


class _Portal:
    """The loop of one ``SyncRevox`` and its ``with_options`` copies; started on first
    use, and afresh in a forked child (whose copy of the parent's thread does not run)."""

    def __init__(self, make_client: Callable[[], AsyncRevox]) -> None:
        self._make_client = make_client
        self.client = make_client()  # validates the configuration now
        self.closed = False
        self._lock = threading.Lock()
        self._loop: _Loop | None = None
        self._finalizer: weakref.finalize[Any, Any] | None = None
        self._inherited: object = None

    def loop(self) -> _Loop:
        loop = self._loop
        if loop is not None and loop.pid == _pid:
            return loop
        with self._lock:
            if self.closed:
                raise ClientClosedError("This client is closed; create a new one.")
            loop = self._loop
            if loop is None or loop.pid != _pid:
                if loop is not None and self._finalizer is not None:  # forked
                    self._finalizer.detach()
                    # Keep the parent's session referenced: collecting it here would
                    # close (and write into) connections the parent still uses.
                    self._inherited = (loop, self._inherited)
                    self.client = self._make_client()
                loop = self._loop = _Loop(self.client)
                self._finalizer = weakref.finalize(self, _shutdown, loop)
        return loop

    def close(self) -> None:
        with self._lock:
            self.closed = True
            finalizer, self._finalizer, self._loop = self._finalizer, None, None
        if finalizer is not None:
            finalizer()


@with_resources  # each imported on first use: ``import revox_async`` stays fast
class SyncRevox(BaseClient):
    """The Revox client for synchronous code: ``AsyncRevox``'s methods, blocking.

        with SyncRevox() as client:                    # REVOX_API_KEY from the environment
            assistant = client.assistants.create(name="Front desk", prompt="…")

    One background event loop thread serves the client for its whole life
    and is shared by every thread that uses it; ``close()`` (or leaving the
    ``with`` block) stops it. A client dropped without ``close()`` is closed
    when collected or at interpreter exit, quietly: a call still waiting in a
    daemon thread then ends with the process. It takes ``AsyncRevox``'s
    arguments except ``session``: an aiohttp session belongs to the loop that
    made it, and this client's loop is its own.
    """

    _blocking: ClassVar[bool] = True
    if TYPE_CHECKING:  # the resources as editors see them (see _facades)
        assistants: SyncAssistants
        calls: SyncCalls
        campaigns: SyncCampaigns
        voices: SyncVoices
        phone_numbers: SyncPhoneNumbers
        users: SyncUsers

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        default_headers: Mapping[str, str] | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        outcome_window: float | None = None,
        create_deadline: float | None = None,
    ) -> None:
        arguments = dict(locals())  # AsyncRevox's arguments but session (a test checks)
        del arguments["self"]
        portal = _Portal(functools.partial(AsyncRevox, **arguments))
        self._configure(portal, portal.client._options)

    def _configure(self, portal: _Portal, options: RequestOptions) -> None:
        self._portal = portal
        self._base_url = portal.client.base_url
        self._options = options
        self._bound: tuple[AsyncRevox, AsyncRevox] | None = None

    def _derive(self, options: RequestOptions) -> Self:
        derived = object.__new__(type(self))
        derived._configure(self._portal, options)
        return derived

    def _client(self, root: AsyncRevox) -> AsyncRevox:
        """The AsyncRevox with this client's options, derived from ``root`` once (a
        ``with_options`` copy takes its cache with it; ``root`` changes after a fork)."""
        if self._options is root._options:
            return root
        if self._bound is None or self._bound[0] is not root:
            self._bound = (root, root._derive(self._options))
        return self._bound[1]

    def _run(self, fn: Callable[[AsyncRevox], Coroutine[Any, Any, _R]]) -> _R:
        """Run ``fn(async_client)``'s coroutine in the loop thread and wait for its result."""
        loop = self._portal.loop()
        if threading.get_ident() == loop.thread.ident:
            raise RuntimeError(
                "SyncRevox was called from its own event loop thread (an on_progress "
                "callback, say); it would wait forever. Call it from another thread."
            )
        call = fn(self._client(loop.client))  # not started yet: it runs in the loop
        future: Future[_R] | None = None
        try:
            future = loop.submit(call)
            return future.result()
        except BaseException as exc:
            if future is not None:
                future.cancel()  # Ctrl-C while waiting: cancel the call in the loop too
            else:
                call.close()  # the loop is closed: never started
            if isinstance(exc, KeyboardInterrupt):
                raise
            if self._portal.closed:
                raise ClientClosedError("This client was closed during the call.") from exc
            if loop.ended:  # stopped without close(): the interpreter is exiting
                if threading.current_thread().daemon:
                    # Python already waited for the non-daemon threads; this one, like a
                    # daemon thread blocked in I/O, ends with the process, silently,
                    # instead of raising into a half-printed traceback.
                    threading.Event().wait()
                # The main thread, in an atexit hook that ran after the client's own.
                raise ClientClosedError("This client was closed at interpreter exit.") from exc
            raise

    def auth_status(
        self,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> AuthStatus:
        """Whether the API key is valid (``.authenticated``)."""
        return self._run(
            lambda client: client.auth_status(
                timeout=timeout,
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
            )
        )

    def close(self) -> None:
        """Close the connections and stop the loop thread (idempotent)."""
        self._portal.close()

    @property
    def is_closed(self) -> bool:
        return self._portal.closed

    def __enter__(self) -> SyncRevox:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
