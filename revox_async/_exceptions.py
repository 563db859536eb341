"""Every error the SDK raises, in one tree.

::

    RevoxError                         anything raised by revox_async
    ├── ClientClosedError              the client was closed
    ├── WaitTimeoutError               ``calls.wait`` ran out of time (``.call``: last seen)
    └── APIError                       something went wrong talking to the API
        ├── OutcomeUnknownError        a create may have happened, and could not be checked
        ├── APIConnectionError         no usable response (refused, reset, DNS…)
        │   └── APITimeoutError        the attempt ran out of time
        ├── APIResponseValidationError a 2xx whose body is not what the API promises
        ├── ResponseTooLargeError      the body went past ``max_response_bytes``
        └── APIStatusError             the server answered 4xx/5xx (or a 3xx not followed)
            ├── BadRequestError            400
            ├── AuthenticationError        401
            ├── PermissionDeniedError      403
            ├── NotFoundError              404
            ├── ConflictError              409
            ├── UnprocessableEntityError   422
            ├── RateLimitError             429
            └── InternalServerError        >= 500

Invalid arguments are caught before any request is sent and raise the
built-in ``TypeError`` (wrong shape or type) or ``ValueError`` (a value out of
range), with the field's path in the message.

A body kept on an exception (``.body``) is at most `MAX_KEPT_BODY_BYTES`
of text: a longer one is cut there and ends with `TRUNCATION_MARKER`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "OutcomeUnknownError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "RevoxError",
    "UnprocessableEntityError",
    "WaitTimeoutError",
]

MAX_KEPT_BODY_BYTES: Final = 64 * 1024
"""How much of a body an exception keeps as text (64 KiB): enough for any real
error message or HTML error page, not enough to hold a hostile one in memory."""
TRUNCATION_MARKER: Final = f" […truncated by revox_async after {MAX_KEPT_BODY_BYTES} bytes]"


def kept_text(content: bytes) -> str:
    """The text an exception keeps of a body: decoded, cut after 64 KiB with a marker."""
    if len(content) <= MAX_KEPT_BODY_BYTES:
        return content.decode("utf-8", "replace")
    return content[:MAX_KEPT_BODY_BYTES].decode("utf-8", "replace") + TRUNCATION_MARKER


def _kept(body: Any) -> Any:
    """A text body longer than the cap, however built, is cut like ``kept_text`` does."""
    if isinstance(body, str) and len(body) > MAX_KEPT_BODY_BYTES:
        return body[:MAX_KEPT_BODY_BYTES] + TRUNCATION_MARKER
    return body


class RevoxError(Exception):
    """The base of every exception this SDK raises."""


class ClientClosedError(RevoxError):
    """The client was used after ``close()``."""


class WaitTimeoutError(RevoxError, TimeoutError):
    """``calls.wait`` gave up before the call ended; ``call`` is the last state seen."""

    def __init__(self, message: str, *, call: Any) -> None:
        super().__init__(message)
        self.call = call


class APIError(RevoxError):
    """A request to the Revox API failed. ``method`` and ``url`` say which."""

    def __init__(self, message: str, *, method: str, url: str) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.url = url


class APIConnectionError(APIError):
    """No usable response arrived: the connection failed or broke.

    ``request_sent`` is ``False`` when no connection could be made (refused, no
    such host): nothing reached the server, so a create did not happen. ``True``
    means the outcome is unknown.
    """

    def __init__(self, message: str, *, method: str, url: str, request_sent: bool = True) -> None:
        super().__init__(message, method=method, url=url)
        self.request_sent = request_sent


class OutcomeUnknownError(APIError):
    """A create may have been carried out, and looking for it could not settle it.

    Raised instead of sending it again: the attempt's answer was lost (a 5xx, a
    dropped connection, a timeout), and the lookup before re-sending failed, or the
    ``create_deadline`` passed, or the batch stopped first. ``idempotency_key`` is
    the key it was sent with (a call also carries it in
    ``metadata.revox_async_key``): look the object up by it before creating it
    again (a call: ``calls.create`` again with that ``idempotency_key`` searches for
    it before dialling, and so does a ``calls.create_many`` row carrying it).
    ``error`` is the last attempt's error; ``lookup_error`` why looking failed.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        url: str,
        idempotency_key: str | None,
        error: APIError | None,
        lookup_error: APIError | None = None,
    ) -> None:
        super().__init__(message, method=method, url=url)
        self.idempotency_key = idempotency_key
        self.error = error
        self.lookup_error = lookup_error


class APITimeoutError(APIConnectionError):
    """An attempt took longer than its timeout."""


class APIResponseValidationError(APIError):
    """A 2xx response whose body is not the JSON the API promises."""

    def __init__(self, message: str, *, method: str, url: str, status_code: int, body: Any) -> None:
        super().__init__(message, method=method, url=url)
        self.status_code = status_code
        self.body = _kept(body)


class ResponseTooLargeError(APIError):
    """The response body went past ``max_response_bytes`` (counted after decompression).

    Reading stopped there and the connection was dropped, so nothing of the body
    is kept. ``max_response_bytes`` says what the limit was; raise it with
    ``AsyncRevox(max_response_bytes=...)`` or ``client.with_options(...)``.
    """

    def __init__(
        self, message: str, *, method: str, url: str, status_code: int, max_response_bytes: int
    ) -> None:
        super().__init__(message, method=method, url=url)
        self.status_code = status_code
        self.max_response_bytes = max_response_bytes


class APIStatusError(APIError):
    """The server answered with a 4xx or 5xx status, or a redirect that is not followed.

    ``body`` is the parsed JSON, or the text when the answer is not JSON (a
    proxy's HTML page, say) or longer than 64 KiB (then cut, with a marker).
    ``retry_after`` is the wait in seconds the server asked for, if it asked.
    A 3xx raises this class itself, with ``body=None``: only a GET follows a
    redirect, within the same origin, at most 3 times.
    """

    status_code: int

    def __init__(
        self,
        message: str,
        *,
        method: str,
        url: str,
        status_code: int,
        headers: Mapping[str, str],
        body: Any,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, method=method, url=url)
        self.status_code = status_code
        self.headers = headers
        self.body = _kept(body)
        self.retry_after = retry_after


class BadRequestError(APIStatusError):
    """400: the request was malformed or failed validation."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, wrong or revoked."""


class PermissionDeniedError(APIStatusError):
    """403: the key may not do this."""


class NotFoundError(APIStatusError):
    """404: no such resource (for example, an unknown assistant id)."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the resource's state."""


class UnprocessableEntityError(APIStatusError):
    """422: the request was well-formed but its values were rejected."""


class RateLimitError(APIStatusError):
    """429: too many requests; ``retry_after`` says how long to wait."""


class InternalServerError(APIStatusError):
    """A 5xx: the server failed."""
