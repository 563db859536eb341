"""``AsyncRevox``: configuration, the session's life, and the request loop."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, TypeVar

import attrs

from ._converter import InvalidResponse, decode_model
from ._core import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    RequestOptions,
    base_headers,
    check_header_value,
    decode_json,
    dumps,
    has_header,
    loads,
    merge_headers,
    new_idempotency_key,
    parse_retry_after,
    resolve_api_key,
    resolve_base_url,
    retry_delay,
    status_error,
)
from ._endpoint import Async, FindCreated, RawResponse, Request, lazy_resource
from ._exceptions import (
    MAX_KEPT_BODY_BYTES,
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    kept_text,
)
from ._logging import log_attempt, logger, setup_from_env
from ._reconcile import is_unknown_outcome_status, still_working
from ._redact import redact_error
from ._resources import Assistants
from ._transport import Transport
from ._types import NOT_GIVEN, NotGiven

if TYPE_CHECKING:
    import aiohttp

    from ._models import AuthStatus
    from ._resources import Calls, Campaigns, PhoneNumbers, Users, Voices

__all__ = ["AsyncRevox", "Response"]

_R = TypeVar("_R")


class Response(NamedTuple):
    """What one logical call received: the last attempt's answer, decoded."""

    status: int
    headers: Mapping[str, str]
    data: Any
    retries: int


class AsyncRevox:
    """The asynchronous Revox client.

        async with AsyncRevox() as client:          # REVOX_API_KEY from the environment
            assistant = await client.assistants.create(name="Front desk", prompt="…")

    ``timeout`` is per attempt (``connect_timeout`` bounds connecting);
    ``max_retries`` counts retries after the first attempt;
    ``max_response_bytes`` bounds a body (64 MiB, counted decompressed). The aiohttp
    session is created on first use, inside the running loop; pass
    ``session=`` to use your own (it is left open on ``close()``).
    """

    _blocking: ClassVar[bool] = False
    assistants: Assistants[Async]
    if TYPE_CHECKING:
        calls: Calls[Async]
        campaigns: Campaigns[Async]
        voices: Voices[Async]
        phone_numbers: PhoneNumbers[Async]
        users: Users[Async]
    else:  # imported on first use: ``import revox_async`` stays fast
        calls = lazy_resource("calls", "Calls")
        campaigns = lazy_resource("campaigns", "Campaigns")
        voices = lazy_resource("voices", "Voices")
        phone_numbers = lazy_resource("phone_numbers", "PhoneNumbers")
        users = lazy_resource("phone_numbers", "Users")

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
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        setup_from_env()
        self._api_key = resolve_api_key(api_key)
        self._base_url = resolve_base_url(base_url)
        self._transport = Transport(session)
        self._owns_transport = True
        self._sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
        """How the request loop waits between attempts (tests give it a recorder)."""
        self._created: deque[str] = deque(maxlen=10_000)
        """Ids this client (and its ``with_options`` copies) created: a check for what an
        ambiguous create made never takes one of them for its own."""
        self._configure(
            RequestOptions(
                timeout=timeout,
                connect_timeout=connect_timeout,
                max_retries=max_retries,
                headers=default_headers or {},
                max_response_bytes=max_response_bytes,
            )
        )

    def _configure(self, options: RequestOptions) -> None:
        self._options = options
        self._headers = base_headers(self._api_key, options)
        self._json_headers = merge_headers(self._headers, {"Content-Type": "application/json"})
        self.assistants = Assistants(self)
        lazy_resource.forget(self)

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
    def max_response_bytes(self) -> int:
        return self._options.max_response_bytes

    def __repr__(self) -> str:
        return (
            f"AsyncRevox(base_url={self._base_url!r}, timeout={self.timeout:g}, "
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
    ) -> AsyncRevox:
        """A client with some options changed, sharing this one's connections.

            quick = client.with_options(timeout=5, max_retries=0)
            await quick.assistants.retrieve(aid)

        ``headers`` are added to (and override) the current ones. Closing the
        derived client does nothing; close the original.
        """
        changes: dict[str, Any] = {}
        if not isinstance(timeout, NotGiven):
            changes["timeout"] = timeout
        if not isinstance(connect_timeout, NotGiven):
            changes["connect_timeout"] = connect_timeout
        if not isinstance(max_retries, NotGiven):
            changes["max_retries"] = max_retries
        if not isinstance(headers, NotGiven):
            changes["headers"] = {**self._options.headers, **headers}
        if not isinstance(max_response_bytes, NotGiven):
            changes["max_response_bytes"] = max_response_bytes
        return self._derive(attrs.evolve(self._options, **changes))

    def _derive(self, options: RequestOptions) -> AsyncRevox:
        """A client sharing this one's transport, with other options."""
        derived = object.__new__(AsyncRevox)
        derived.__dict__.update(self.__dict__)
        derived._owns_transport = False
        derived._configure(options)
        return derived

    async def auth_status(self) -> AuthStatus:
        """Whether the API key is valid (``.authenticated``).

        status = await client.auth_status()
        """
        from ._models.phone_numbers import AuthStatus

        decode = decode_model(AuthStatus, expect={"authenticated": bool})
        result: AuthStatus = await self._execute(Request("GET", "/auth-status", decode))
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

    async def _execute(self, request: Request[_R], raw: bool = False) -> Any:
        """Send a declared request and decode its answer (a ``RawResponse`` if ``raw``)."""
        url = self._base_url + request.path
        response = await self._request(
            request.method,
            url,
            body=request.body,
            idempotency_key=request.idempotency_key,
            find_created=request.find_created,
            binary=request.binary,
            not_resent=request.not_resent,
        )
        try:
            parsed = request.decode(response.data)
            if request.find_created is not None:  # a create: remember what it made
                self._created.append(getattr(parsed, "id", None) or "")
        except InvalidResponse as exc:
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
        if not raw:
            return parsed
        return RawResponse(
            status_code=response.status,
            headers=response.headers,
            parsed=parsed,
            method=request.method,
            url=url,
            retries=response.retries,
        )

    async def _request(
        self,
        method: str,
        url: str,
        *,
        body: Any = None,
        idempotency_key: str | None = None,
        find_created: FindCreated | None = None,
        binary: bool = False,
        not_resent: str | None = None,
    ) -> Response:
        """Send one logical call, retrying as promised; return what it received.

        With ``find_created``, an attempt whose outcome is unknown (a 5xx, 408,
        409, a dropped connection, a timeout) is checked before it is sent again,
        and after the last one (unless ``max_retries`` is 0): the server may have
        created the object and ignore ``Idempotency-Key``. Found, its data is the
        answer. ``binary``: the answer is not JSON; its bytes are the data.
        ``not_resent``: an attempt whose outcome is unknown is not sent again;
        its error is raised with this note.
        """
        since = datetime.now(UTC) if find_created is not None else None
        check: Callable[[], Awaitable[Any]] | None = None
        options = self._options
        if body is None:
            data, headers = None, self._headers
        else:
            data, headers = dumps(body), self._json_headers
        if binary and not has_header(options.headers, "Accept"):
            headers = merge_headers(headers, {"Accept": "*/*"})
        if method == "POST" and (
            idempotency_key is not None or not has_header(options.headers, "Idempotency-Key")
        ):
            key = new_idempotency_key() if idempotency_key is None else idempotency_key
            if key == "":
                raise ValueError("idempotency_key: must not be empty")
            key = check_header_value("Idempotency-Key", key)
            headers = merge_headers(headers, {"Idempotency-Key": key})
        debug = logger.isEnabledFor(logging.DEBUG)
        retries = 0
        while True:
            started = time.perf_counter() if debug else 0.0
            error: APIError
            reason: object
            try:
                resp = await self._transport.send(method, url, headers, data, options)
            except APIError as exc:
                if debug:
                    elapsed = time.perf_counter() - started
                    log_attempt(method, url, type(exc).__name__, retries + 1, elapsed)
                # Only a failed connection is worth another try: a refused redirect
                # or an oversized body would be the same again.
                if not isinstance(exc, APIConnectionError):
                    raise
                error, unknown, reason = exc, exc.request_sent, type(exc).__name__
                delay = retry_delay(retries, options.max_retries)
            else:
                status = resp.status
                if debug:
                    log_attempt(method, url, status, retries + 1, time.perf_counter() - started)
                if 200 <= status < 300:
                    if binary:
                        return Response(status, resp.headers, resp.content, retries)
                    decoded = (
                        decode_json(resp.content, status=status, method=method, url=url)
                        if resp.content
                        else None
                    )
                    return Response(status, resp.headers, decoded, retries)
                retry_after = parse_retry_after(resp.headers)
                error = redact_error(
                    status_error(
                        status=status,
                        headers=resp.headers,
                        content=resp.content,
                        method=method,
                        url=url,
                        retry_after=retry_after,
                    ),
                    self._api_key,
                )
                unknown, reason = is_unknown_outcome_status(status), status
                delay = retry_delay(
                    retries, options.max_retries, status=status, retry_after=retry_after
                )
                if status == 409 and method == "DELETE":
                    delay = None  # "in use" (a voice an assistant speaks with) stays so
            if unknown and not_resent is not None:
                error.add_note(not_resent)
                raise error
            if delay is not None:
                retries += 1
                logger.info(
                    "%s %s: %s; retry %d of %d in %.2f s",
                    method,
                    url,
                    reason,
                    retries,
                    options.max_retries,
                    delay,
                )
                await self._sleep(delay)
            # Checked before each re-send, and after the last attempt of a call that
            # retries (max_retries=0 leaves the deciding to the caller: create_many).
            if unknown and since is not None and find_created and options.max_retries:
                if still_working(error) and (delay or 0) < options.timeout:
                    # We stopped waiting (or a gateway did), the server may not have: give
                    # it as long again before looking, or a create still running is
                    # missed and sent twice.
                    await self._sleep(options.timeout - (delay or 0))
                check = check or find_created(self, since)
                found = await _look_for(check, error)
                if found is not None:
                    logger.info(
                        "%s %s: found what the attempt created; not sent again", method, url
                    )
                    return Response(200, {}, found, retries)
            if delay is None:
                raise error


def _without_key(error: APIStatusError, key: str) -> APIStatusError:
    """The error, with the API key cut out of its message and body if the server echoed it."""
    if key in error.message or key in repr(error.body):
        error.message = error.message.replace(key, "[redacted]")
        error.args = (error.message,)
        if isinstance(error.body, str):
            error.body = error.body.replace(key, "[redacted]")
        else:
            error.body = loads(dumps(error.body).replace(key.encode(), b"[redacted]"))
    return error


async def _look_for(check: Callable[[], Awaitable[Any]], error: APIError) -> Any:
    """What ``check`` finds; if the check fails too, the attempt's own error, with a note."""
    try:
        return await check()
    except APIError as exc:
        error.add_note(
            f"Checking whether it was created anyway failed too ({exc.message}); "
            "it may exist: look before creating it again."
        )
        raise error from None
