"""``AsyncRevox``: configuration, the session's life, and the request loop."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

import attrs

from ._core import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    InvalidResponse,
    RequestOptions,
    dumps,
    merge_headers,
    resolve_api_key,
    resolve_base_url,
)
from ._endpoint import (
    PerCall,
    RawResponse,
    Request,
    forget_resources,
    per_call_request,
    with_resources,
)
from ._exceptions import (
    MAX_KEPT_BODY_BYTES,
    APIResponseValidationError,
    ResponseTooLargeError,
    kept_text,
)
from ._logging import setup_from_env
from ._redact import redact_error
from ._types import NOT_GIVEN, NotGiven

if TYPE_CHECKING:
    import aiohttp

    from ._facades import (
        AsyncAssistants,
        AsyncCalls,
        AsyncCampaigns,
        AsyncPhoneNumbers,
        AsyncUsers,
        AsyncVoices,
    )
    from ._models.phone_numbers import AuthStatus
    from ._retry import Hooks, Response

__all__ = ["AsyncRevox", "BaseClient"]

_R = TypeVar("_R")


class BaseClient:
    """What both clients share: their options read back, and ``with_options``.

    ``AsyncRevox`` and ``SyncRevox`` differ only in how a call is run (awaited, or
    handed to the loop thread) and in what ``_derive`` makes.
    """

    _options: RequestOptions
    _base_url: str

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def timeout(self) -> float:
        return self._options.timeout

    @property
    def max_retries(self) -> int:
        return self._options.max_retries

    @property
    def outcome_window(self) -> float:
        """Seconds waited after a create's lost answer before looking for what it made."""
        return self._options.window

    @property
    def max_response_bytes(self) -> int:
        return self._options.max_response_bytes

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self._base_url!r}, timeout={self.timeout:g}, "
            f"max_retries={self.max_retries})"
        )

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
    ) -> Self:
        """A client with some options changed, sharing this one's connections (and a
        ``SyncRevox``'s loop thread).

            quick = client.with_options(timeout=5, max_retries=0)
            await quick.assistants.retrieve(aid)

        ``headers`` are added to (and override) the current ones. Closing the
        derived client does nothing; close the original.
        """
        given = dict(locals())  # the arguments, by name (nothing else is defined yet)
        changes: dict[str, Any] = {
            name: value
            for name, value in given.items()
            if name != "self" and not isinstance(value, NotGiven)
        }
        if not isinstance(headers, NotGiven):
            changes["headers"] = {**self._options.headers, **headers}
        return self._derive(attrs.evolve(self._options, **changes))

    def _derive(self, options: RequestOptions) -> Self:
        """A client sharing this one's connections, with other options."""
        raise NotImplementedError


@with_resources  # each imported on first use: ``import revox_async`` stays fast
class AsyncRevox(BaseClient):
    """The asynchronous Revox client.

        async with AsyncRevox() as client:          # REVOX_API_KEY from the environment
            assistant = await client.assistants.create(name="Front desk", prompt="…")

    ``timeout`` is per attempt (``connect_timeout`` bounds connecting);
    ``max_retries`` counts retries after the first attempt;
    ``max_response_bytes`` bounds a body (64 MiB, counted decompressed).
    ``outcome_window``: after an answer that leaves a create's outcome unknown (a 5xx,
    a timeout, a dropped connection), how long the server may still be working on it,
    waited out before looking for what it made (default: ``timeout``, at least 30 s);
    ``create_deadline``: a create's total time, past which it raises
    ``OutcomeUnknownError`` rather than send again (default: enough for every attempt
    to time out and be looked for). The aiohttp
    session is created on first use, inside the running loop; pass
    ``session=`` to use your own (it is left open on ``close()``).
    """

    _blocking: ClassVar[bool] = False
    if TYPE_CHECKING:  # the resources as editors see them (see _facades)
        assistants: AsyncAssistants
        calls: AsyncCalls
        campaigns: AsyncCampaigns
        voices: AsyncVoices
        phone_numbers: AsyncPhoneNumbers
        users: AsyncUsers

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
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        from ._retry import Engine  # with asyncio: loaded by the first client, not the import
        from ._transport import Transport

        setup_from_env()
        self._api_key = resolve_api_key(api_key)
        self._base_url = resolve_base_url(base_url)
        self._transport = Transport(session)
        self._owns_transport = True
        key = self._api_key
        self._engine = Engine(
            self._transport, self._base_url, key, lambda error: redact_error(error, key)
        )
        self._options = RequestOptions(
            timeout=timeout,
            connect_timeout=connect_timeout,
            max_retries=max_retries,
            headers=default_headers or {},
            max_response_bytes=max_response_bytes,
            outcome_window=outcome_window,
            create_deadline=create_deadline,
        )

    def _derive(self, options: RequestOptions) -> Self:
        """A client sharing this one's transport, with other options (and resources of
        its own: a resource is bound to its client)."""
        derived = object.__new__(type(self))
        derived.__dict__.update(self.__dict__)
        derived._owns_transport = False
        derived._options = options
        forget_resources(derived)
        return derived

    async def auth_status(
        self,
        *,
        timeout: float | None = None,  # noqa: ASYNC109 - per attempt, as on every endpoint
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> AuthStatus:
        """Whether the API key is valid (``.authenticated``).

        status = await client.auth_status()
        """
        from ._converter import decode_model
        from ._models.phone_numbers import AuthStatus

        decode = decode_model(AuthStatus, expect={"authenticated": bool})
        request = Request("GET", "/auth-status", decode)
        result: AuthStatus = await self._execute(
            *per_call_request(request, timeout, extra_headers, extra_query, extra_body)
        )
        return result

    async def close(self) -> None:
        """Close the connection pool (a session you passed in is left open)."""
        if self._owns_transport:
            await self._transport.close()

    @property
    def is_closed(self) -> bool:
        return self._transport.closed

    async def __aenter__(self) -> AsyncRevox:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def _sleep(self) -> Callable[[float], Awaitable[None]]:
        """How the request loop waits between attempts (tests give it a recorder)."""
        return self._engine.sleep

    @_sleep.setter
    def _sleep(self, sleep: Callable[[float], Awaitable[None]]) -> None:
        self._engine.sleep = sleep

    async def _send(
        self,
        request: Request[Any],
        *,
        hooks: Hooks | None = None,
        sent_at: datetime | None = None,
        wait_first: float | None = None,
    ) -> Response:
        """Send a declared request through the engine; its answer, undecoded (the way in
        for an operation made of several requests, such as ``create_many``)."""
        return await self._engine.send(
            request, self._options, hooks=hooks, sent_at=sent_at, wait_first=wait_first
        )

    def _options_for(self, per_call: PerCall | None) -> RequestOptions:
        """The client's options with one call's own (checked already) applied."""
        if per_call is None:
            return self._options
        changes: dict[str, Any] = {}
        if per_call.timeout is not None:
            changes["timeout"] = per_call.timeout
        if per_call.headers:
            changes["headers"] = merge_headers(self._options.headers, per_call.headers)
        return attrs.evolve(self._options, **changes)

    def _decode(self, request: Request[_R], response: Response) -> _R:
        """``request.decode`` of the answer; an answer it refuses is the server's fault."""
        try:
            parsed = request.decode(response.data)
        except InvalidResponse as exc:
            url = self._base_url + request.path
            data = response.data
            encoded = data if isinstance(data, bytes) else dumps(data)  # kept unless large
            if isinstance(data, bytes) or len(encoded) > MAX_KEPT_BODY_BYTES:
                data = kept_text(encoded)
            raise APIResponseValidationError(
                f"{request.method} {url}: unexpected response body ({exc})",
                method=request.method,
                url=url,
                status_code=response.status,
                body=data,
            ) from None
        if request.lookup is not None and request.lookup.recent_only:
            self._engine.lookups.claim(getattr(parsed, "id", None))  # never found for another
        return parsed

    async def _execute(
        self, request: Request[_R], per_call: PerCall | None = None, *, raw: bool = False
    ) -> Any:
        """Send a declared request and decode its answer (a ``RawResponse`` if ``raw``)."""
        try:
            response = await self._engine.send(request, self._options_for(per_call))
            parsed = self._decode(request, response)
        except (APIResponseValidationError, ResponseTooLargeError) as exc:
            if request.lookup is not None:  # a create answered 2xx: made, its answer lost
                exc.add_note(_made_note(request))
            raise
        if not raw:
            return parsed
        return RawResponse(
            status_code=response.status,
            headers=response.headers,
            parsed=parsed,
            method=request.method,
            url=self._base_url + request.path,
            retries=response.retries,
        )


def _made_note(request: Request[Any]) -> str:
    """What to do about a create whose 2xx answer could not be read: it was made."""
    key, lookup = request.idempotency_key, request.lookup
    if key and lookup is not None and not lookup.recent_only:  # found by its key
        return (
            "the server made it; create it again with idempotency_key="
            f"{key!r} to get it (it is searched for before anything is sent)"
        )
    return "the server made it; look for it before creating it again"
