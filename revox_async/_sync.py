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
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import Future
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from ._client import AsyncRevox
from ._core import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    RequestOptions,
)
from ._endpoint import lazy_resource, with_resources
from ._exceptions import ClientClosedError
from ._types import NOT_GIVEN, NotGiven

if TYPE_CHECKING:
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


class _Loop:
    """One process's loop thread, its anyio portal, and the AsyncRevox that lives there.

    Started by hand rather than with ``start_blocking_portal()``: that context
    manager, dropped in a forked child, blocks forever trying to stop a loop
    thread the child does not have.
    """

    def __init__(self, client: AsyncRevox) -> None:
        self.pid = os.getpid()
        self.client = client
        self.ended = False  # stopped by _shutdown
        ready: Future[BlockingPortal] = Future()
        self.thread = threading.Thread(
            target=_serve, args=(ready,), name="revox-async-loop", daemon=True
        )
        self.thread.start()
        self.portal = ready.result()


def _serve(ready: Future[BlockingPortal]) -> None:
    import anyio
    from anyio.from_thread import BlockingPortal

    async def main() -> None:
        async with BlockingPortal() as portal:
            ready.set_result(portal)
            await portal.sleep_until_stopped()

    anyio.run(main)


def _shutdown(loop: _Loop) -> None:
    """Close the session, cancel what still runs, stop the thread (close, collection, exit)."""
    if loop.pid != os.getpid() or threading.get_ident() == loop.thread.ident:
        return  # a forked child never touches its parent's loop
    loop.ended = True  # before the calls in flight are woken
    try:
        loop.portal.call(loop.client.close)
    finally:
        loop.portal.call(loop.portal.stop, True)
        loop.thread.join()


def _abandon_at_exit() -> None:
    """Block this thread until the process ends.

    The loop stopped without ``close()``: the interpreter is exiting (only then
    can that happen while a call waits, as the waiting thread holds the client),
    and Python waited for every thread but daemon threads before it. Like any
    daemon thread blocked in I/O, this one ends with the process, silently,
    instead of raising into a half-printed traceback.
    """
    threading.Event().wait()


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
        if loop is not None and loop.pid == os.getpid():
            return loop
        with self._lock:
            if self.closed:
                raise ClientClosedError("This client is closed; create a new one.")
            loop = self._loop
            if loop is None or loop.pid != os.getpid():
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
class SyncRevox:
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
        make_client = functools.partial(
            AsyncRevox,
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            connect_timeout=connect_timeout,
            default_headers=default_headers,
            max_response_bytes=max_response_bytes,
            outcome_window=outcome_window,
            create_deadline=create_deadline,
        )
        self._configure(_Portal(make_client), None)

    def _configure(self, portal: _Portal, options: RequestOptions | None) -> None:
        self._portal = portal
        self._options = options  # None: the constructor's
        self._bound: tuple[AsyncRevox, AsyncRevox] | None = None
        lazy_resource.forget(self)

    def _client(self, root: AsyncRevox) -> AsyncRevox:
        """The AsyncRevox with this client's options, derived from ``root`` once (a
        ``with_options`` copy takes its cache with it; ``root`` changes after a fork)."""
        if self._options is None:
            return root
        if self._bound is None or self._bound[0] is not root:
            self._bound = (root, root._derive(self._options))
        return self._bound[1]

    def _run(self, fn: Callable[[AsyncRevox], Awaitable[_R]]) -> _R:
        """Run ``fn(async_client)`` in the loop thread and wait for its result."""
        loop = self._portal.loop()
        if threading.get_ident() == loop.thread.ident:
            raise RuntimeError(
                "SyncRevox was called from its own event loop thread (an on_progress "
                "callback, say); it would wait forever. Call it from another thread."
            )
        future: Future[_R] | None = None
        try:
            future = loop.portal.start_task_soon(fn, self._client(loop.client))
            return future.result()
        except BaseException as exc:
            if future is not None:
                future.cancel()  # Ctrl-C while waiting: cancel the call in the loop too
            if isinstance(exc, KeyboardInterrupt):
                raise
            if self._portal.closed:
                raise ClientClosedError("This client was closed during the call.") from exc
            if loop.ended:  # stopped without close(): the interpreter is exiting
                if threading.current_thread().daemon:
                    _abandon_at_exit()
                # The main thread, in an atexit hook that ran after the client's own.
                raise ClientClosedError("This client was closed at interpreter exit.") from exc
            raise

    @property
    def _config(self) -> AsyncRevox:
        return self._client(self._portal.client)

    @property
    def base_url(self) -> str:
        return self._config.base_url

    @property
    def timeout(self) -> float:
        return self._config.timeout

    @property
    def max_retries(self) -> int:
        return self._config.max_retries

    @property
    def max_response_bytes(self) -> int:
        return self._config.max_response_bytes

    def __repr__(self) -> str:
        return repr(self._config).replace("AsyncRevox", "SyncRevox", 1)

    def with_options(
        self,
        *,
        timeout: float | NotGiven = NOT_GIVEN,
        connect_timeout: float | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        headers: Mapping[str, str] | NotGiven = NOT_GIVEN,
        max_response_bytes: int | NotGiven = NOT_GIVEN,
        outcome_window: float | NotGiven | None = NOT_GIVEN,
        create_deadline: float | NotGiven | None = NOT_GIVEN,
    ) -> SyncRevox:
        """A client with some options changed, sharing this one's loop and connections."""
        configured = self._config.with_options(
            timeout=timeout,
            connect_timeout=connect_timeout,
            max_retries=max_retries,
            headers=headers,
            max_response_bytes=max_response_bytes,
            outcome_window=outcome_window,
            create_deadline=create_deadline,
        )
        derived = object.__new__(SyncRevox)
        derived._configure(self._portal, configured._options)
        return derived

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
