"""Every error the SDK raises, in one tree.

::

    RevoxError                         anything raised by revox_async
    ├── ClientClosedError              the client was closed
    └── APIError                       something went wrong talking to the API
        ├── APIConnectionError         no usable response (refused, reset, DNS…)
        │   └── APITimeoutError        the attempt ran out of time
        ├── APIResponseValidationError a 2xx whose body is not what the API promises
        └── APIStatusError             the server answered 4xx/5xx
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
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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
    "PermissionDeniedError",
    "RateLimitError",
    "RevoxError",
    "UnprocessableEntityError",
]


class RevoxError(Exception):
    """The base of every exception this SDK raises."""


class ClientClosedError(RevoxError):
    """The client was used after ``close()``."""


class APIError(RevoxError):
    """A request to the Revox API failed. ``method`` and ``url`` say which."""

    def __init__(self, message: str, *, method: str, url: str) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.url = url


class APIConnectionError(APIError):
    """No usable response arrived: the connection failed or broke."""


class APITimeoutError(APIConnectionError):
    """An attempt took longer than its timeout."""


class APIResponseValidationError(APIError):
    """A 2xx response whose body is not the JSON the API promises."""

    def __init__(self, message: str, *, method: str, url: str, status_code: int, body: Any) -> None:
        super().__init__(message, method=method, url=url)
        self.status_code = status_code
        self.body = body


class APIStatusError(APIError):
    """The server answered with a 4xx or 5xx status.

    ``body`` is the parsed JSON, or the text when the answer is not JSON (a
    proxy's HTML page, say). ``retry_after`` is the wait in seconds the server
    asked for, if it asked.
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
        self.body = body
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
