"""The pure core: options, URLs, headers, retry decisions, response decoding.

Nothing here does I/O or needs an event loop, so all of it is tested with
plain function calls.
"""

from __future__ import annotations

import email.utils
import functools
import json
import math
import os
import platform
import random
import time
from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import quote

import attrs

from ._exceptions import (
    APIResponseValidationError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RevoxError,
    UnprocessableEntityError,
)
from ._version import __version__

try:
    import orjson
except ImportError:  # tests/test_without_speedups.py runs without it
    orjson = None  # type: ignore[assignment]

DEFAULT_BASE_URL: Final = "https://www.getrevox.com/api"
DEFAULT_TIMEOUT: Final = 60.0
DEFAULT_CONNECT_TIMEOUT: Final = 5.0
DEFAULT_MAX_RETRIES: Final = 2
MAX_RETRY_AFTER: Final = 60.0
"""A server asking for a longer wait gets its error raised at once."""
INITIAL_BACKOFF: Final = 0.5
MAX_BACKOFF: Final = 8.0

_RETRYABLE_STATUSES: Final = frozenset({408, 409, 429})
_STATUS_ERRORS: Final[dict[int, type[APIStatusError]]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}
USER_AGENT: Final = f"revox-async/{__version__} Python/{platform.python_version()}"


def check_header_value(name: str, value: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"header {name!r}: expected a string, got {type(value).__name__}")
    if "\r" in value or "\n" in value:
        raise ValueError(f"header {name!r}: value contains CR or LF")
    return value


def _check_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {
        check_header_value("name", name): check_header_value(name, value)
        for name, value in headers.items()
    }


def _check_timeout(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name}: expected a number of seconds, got {type(value).__name__}")
    if not value > 0 or math.isinf(value):
        raise ValueError(f"{name}: must be a positive, finite number of seconds")
    return float(value)


def _to_timeout(value: float) -> float:
    return _check_timeout("timeout", value)


def _to_connect_timeout(value: float) -> float:
    return _check_timeout("connect_timeout", value)


def _check_retries(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"max_retries: expected an integer, got {type(value).__name__}")
    if value < 0:
        raise ValueError("max_retries: must be >= 0")
    return value


@attrs.frozen(kw_only=True)
class RequestOptions:
    """How requests are sent: per-attempt timeouts, retries and extra headers.

    Frozen; change it per request with ``client.with_options(...)``, which
    uses ``attrs.evolve``.

    ======================================  ==================================
    ``RequestOptions()``                    60 s per attempt, 5 s to connect,
                                            2 retries
    ``RequestOptions(timeout=5)``           5 s per attempt
    ``RequestOptions(max_retries=0)``       one attempt, no retry
    ``RequestOptions(headers={"X-A": "1"})``  one more header on every request
    ======================================  ==================================
    """

    timeout: float = attrs.field(default=DEFAULT_TIMEOUT, converter=_to_timeout)
    connect_timeout: float = attrs.field(
        default=DEFAULT_CONNECT_TIMEOUT, converter=_to_connect_timeout
    )
    max_retries: int = attrs.field(default=DEFAULT_MAX_RETRIES, converter=_check_retries)
    headers: Mapping[str, str] = attrs.field(factory=dict, converter=_check_headers)


def resolve_api_key(api_key: str | None) -> str:
    key = api_key if api_key is not None else os.environ.get("REVOX_API_KEY")
    if not key:
        raise RevoxError(
            "No API key: pass AsyncRevox(api_key=...) or set the REVOX_API_KEY "
            "environment variable."
        )
    check_header_value("Authorization", key)
    return key


def resolve_base_url(base_url: str | None) -> str:
    url = base_url or os.environ.get("REVOX_BASE_URL") or DEFAULT_BASE_URL
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"base_url: expected an http(s) URL, got {url!r}")
    return url.rstrip("/")


@functools.lru_cache(maxsize=1024)
def path_segment(name: str, value: str) -> str:
    """``value`` percent-encoded as exactly one path segment, or a clear error.

    Every path parameter passes here. ``/`` and every other reserved byte is
    encoded; ``""``, ``"."`` and ``".."`` are refused, because no encoding keeps
    them one segment (URL normalisation turns ``/assistants/..`` into ``/``).
    """
    if not isinstance(value, str):
        raise TypeError(f"{name}: expected a string, got {type(value).__name__}")
    if value in ("", ".", ".."):
        raise ValueError(f"{name}: {value!r} is not a valid id")
    return quote(value, safe="")


def base_headers(api_key: str, options: RequestOptions) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {api_key}",
        "Accept": "application/json",
        "User-Agent": USER_AGENT,
        **options.headers,
    }


def new_idempotency_key() -> str:
    """128 random bits, as a UUID4 would carry, for a fraction of its cost."""
    return f"revox-async-{os.urandom(16).hex()}"


if orjson is not None:
    _dumps = orjson.dumps
    loads = orjson.loads
else:

    def _dumps(obj: Any) -> bytes:
        # allow_nan=False: never write a bare NaN (not JSON); parameters were checked.
        return json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()

    loads = json.loads


def dumps(obj: Any) -> bytes:
    """The JSON of a request body; a value JSON cannot carry raises ``TypeError``."""
    try:
        return _dumps(obj)
    except (TypeError, ValueError) as exc:  # orjson's error is a TypeError
        raise TypeError(f"the request body cannot be sent as JSON: {exc}") from None


def parse_retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """The wait the server asked for, in seconds, or ``None``.

    ``retry-after-ms`` wins; ``Retry-After`` may be seconds (fractions
    allowed) or an HTTP date.
    """
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        try:
            value = float(raw_ms) / 1000
        except ValueError:
            value = math.nan
        if math.isfinite(value) and value >= 0:
            return value
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        seconds = float(raw)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError):
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
        return max(seconds, 0.0)
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def backoff_delay(retries_done: int, rand: float | None = None) -> float:
    """Exponential backoff with jitter: 0.5 s, 1 s, 2 s … capped at 8 s, minus up to 25 %."""
    base: float = min(INITIAL_BACKOFF * 2.0**retries_done, MAX_BACKOFF)
    jitter = 1 - 0.25 * (random.random() if rand is None else rand)
    return base * jitter


def is_retryable_status(status: int) -> bool:
    return status >= 500 or status in _RETRYABLE_STATUSES


def retry_delay(
    retries_done: int,
    max_retries: int,
    *,
    status: int | None = None,
    retry_after: float | None = None,
    rand: float | None = None,
) -> float | None:
    """How long to wait before the next attempt, or ``None`` to stop and raise.

    ``status`` is the answer's status, ``None`` for a connection error or a
    timeout (both retried). A server asking for more than
    ``MAX_RETRY_AFTER`` seconds gets its error raised at once.

    >>> retry_delay(0, 2, status=503, retry_after=1.5)
    1.5
    >>> retry_delay(2, 2, status=503) is None    # retries used up
    True
    >>> retry_delay(0, 2, status=404) is None    # not worth retrying
    True
    """
    if retries_done >= max_retries:
        return None
    if status is not None and not is_retryable_status(status):
        return None
    if retry_after is None:
        return backoff_delay(retries_done, rand)
    return retry_after if retry_after <= MAX_RETRY_AFTER else None


def decode_error_body(content: bytes) -> Any:
    """The parsed JSON of an error body, or its text when it is not JSON."""
    if not content:
        return None
    try:
        return loads(content)
    except ValueError:
        return content.decode("utf-8", "replace")


def _error_detail(body: Any) -> str:
    if isinstance(body, Mapping):
        for key in ("message", "error", "detail"):
            value = body.get(key)
            if isinstance(value, str):
                return value
            if isinstance(value, Mapping) and isinstance(value.get("message"), str):
                return str(value["message"])
    if isinstance(body, str):
        text = " ".join(body.split())
        return text[:200] + ("…" if len(text) > 200 else "")
    return ""


def status_error(
    *,
    status: int,
    headers: Mapping[str, str],
    content: bytes,
    method: str,
    url: str,
    retry_after: float | None,
) -> APIStatusError:
    """The exception for a 4xx/5xx answer."""
    body = decode_error_body(content)
    cls = _STATUS_ERRORS.get(status)
    if cls is None:
        cls = InternalServerError if status >= 500 else APIStatusError
    detail = _error_detail(body)
    message = f"{method} {url} returned {status}" + (f": {detail}" if detail else "")
    return cls(
        message,
        method=method,
        url=url,
        status_code=status,
        headers=headers,
        body=body,
        retry_after=retry_after,
    )


def decode_json(content: bytes, *, status: int, method: str, url: str) -> Any:
    try:
        return loads(content)
    except ValueError as exc:
        raise APIResponseValidationError(
            f"{method} {url} returned {status} with a body that is not JSON",
            method=method,
            url=url,
            status_code=status,
            body=content.decode("utf-8", "replace"),
        ) from exc
