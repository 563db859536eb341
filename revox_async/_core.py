"""The pure core: options, URLs, headers, backoff and Retry-After, response decoding.

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
import re
import time
from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import quote, urljoin, urlsplit

import attrs

from ._exceptions import (
    MAX_KEPT_BODY_BYTES,
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
    kept_text,
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
DEFAULT_MAX_RESPONSE_BYTES: Final = 64 * 1024 * 1024
"""64 MiB, counted after decompression. Lists are not paginated, so a large
account's ``assistants.list()`` comes in one body: at ~4 KiB per assistant
(long prompts, FAQ items), 64 MiB holds some 16,000 of them, and a client that
holds it parsed needs a few times that in memory, which a worker can afford.
A hostile or broken server cannot make the client read more."""
MIN_DEFAULT_OUTCOME_WINDOW: Final = 30.0
"""The least default ``outcome_window``: an attempt timed out because the server was slow,
and a slow server may still be placing the call long after a short ``timeout``."""
MAX_REDIRECTS: Final = 3
"""How many redirects a GET follows (within its origin) before giving up."""
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
    if found := _CONTROL.search(value):
        raise ValueError(f"header {name!r}: value contains a control character {found[0]!r}")
    return value


_CONTROL: Final = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
"""What aiohttp refuses in a header value (a tab is allowed), refused before sending."""


_TOKEN: Final = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
"""An HTTP header name (RFC 9110 ``token``): nothing that could end it or start another."""
_FRAMING: Final = frozenset({"content-length", "transfer-encoding"})
"""Headers the transport writes from the body; another value would desync the connection."""


def _check_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Checked headers, one per name compared case-insensitively (the last one wins)."""
    checked: dict[str, str] = {}
    names: dict[str, str] = {}
    for name, value in headers.items():
        check_header_value("name", name)
        if not _TOKEN.fullmatch(name):
            raise ValueError(
                f"header {name!r}: not a valid header name (letters, digits and "
                "!#$%&'*+-.^_`|~ only)"
            )
        if name.lower() in _FRAMING:
            raise ValueError(f"header {name!r}: set from the body by the transport, not given")
        check_header_value(name, value)
        earlier = names.get(name.lower())
        if earlier is not None:
            del checked[earlier]
        names[name.lower()] = name
        checked[name] = value
    return checked


def has_header(headers: Mapping[str, str], name: str) -> bool:
    """Whether ``headers`` has ``name`` in any case (``idempotency-key``: ``Idempotency-Key``)."""
    wanted = name.lower()
    return any(given.lower() == wanted for given in headers)


def merge_headers(base: Mapping[str, str], extra: Mapping[str, str]) -> dict[str, str]:
    """``base`` with ``extra`` added, each replacing a header of ``base`` with the same
    name in any case, so that no name is sent twice (two ``Authorization``, say)."""
    if not extra:
        return dict(base)
    replaced = {name.lower() for name in extra}
    merged = {name: value for name, value in base.items() if name.lower() not in replaced}
    merged.update(extra)
    return merged


_SECRET_HEADERS: Final = frozenset({"authorization", "proxy-authorization", "cookie"})


def header_secrets(headers: Mapping[str, str]) -> tuple[str, ...]:
    """What must never show in an exception: credential headers' values and their tokens."""
    secrets: list[str] = []
    for name, value in headers.items():
        if name.lower() in _SECRET_HEADERS and value.strip():
            secrets.append(value)
            token = value.partition(" ")[2].strip()
            if token:
                secrets.append(token)
    return tuple(secrets)


def redact_headers(headers: Mapping[str, str]) -> list[tuple[str, str]]:
    """``headers`` with credential values replaced by ``<redacted>`` (repeats kept)."""
    return [
        (name, "<redacted>" if name.lower() in _SECRET_HEADERS else value)
        for name, value in headers.items()
    ]


def _check_timeout(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name}: expected a number of seconds, got {type(value).__name__}")
    if not value > 0 or math.isinf(value):
        raise ValueError(f"{name}: must be a positive, finite number of seconds")
    return float(value)


def _optional_seconds(name: str, value: float | None) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name}: expected a number of seconds or None, got {type(value).__name__}")
    if not value >= 0 or math.isinf(value):
        raise ValueError(f"{name}: must be a finite number of seconds >= 0")
    return float(value)


def _check_count(name: str, value: int, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name}: expected an integer, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name}: must be >= {minimum}")
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
    ``RequestOptions(max_response_bytes=2**20)``  refuse bodies over 1 MiB
    ======================================  ==================================

    Header names compare case-insensitively: of ``X-A`` and ``x-a``, the last
    given is kept.
    """

    timeout: float = DEFAULT_TIMEOUT
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    max_retries: int = DEFAULT_MAX_RETRIES
    headers: Mapping[str, str] = attrs.field(factory=dict)
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    outcome_window: float | None = None
    """After an answer that leaves a create's outcome unknown, how long the server may
    still be working on it: waited out before looking for what it made (``None``: the
    attempt ``timeout``, at least `MIN_DEFAULT_OUTCOME_WINDOW`; read it as ``window``)."""
    create_deadline: float | None = None
    """A create's total time, attempts, waits and lookups included (``None``: enough for
    every attempt to time out and be looked for). Past it, ``OutcomeUnknownError``."""

    @property
    def window(self) -> float:
        """``outcome_window`` as the engine waits it, its default filled in."""
        if self.outcome_window is None:
            return max(self.timeout, MIN_DEFAULT_OUTCOME_WINDOW)
        return self.outcome_window

    def __attrs_post_init__(self) -> None:
        """Check each option, in order, naming it (seconds become floats)."""
        checked = {
            "timeout": _check_timeout("timeout", self.timeout),
            "connect_timeout": _check_timeout("connect_timeout", self.connect_timeout),
            "max_retries": _check_count("max_retries", self.max_retries, 0),
            "headers": _check_headers(self.headers),
            "max_response_bytes": _check_count("max_response_bytes", self.max_response_bytes, 1),
            "outcome_window": _optional_seconds("outcome_window", self.outcome_window),
            "create_deadline": _optional_seconds("create_deadline", self.create_deadline),
        }
        for name, value in checked.items():
            object.__setattr__(self, name, value)


def resolve_api_key(api_key: str | None) -> str:
    """The key to send: ``api_key``, else ``REVOX_API_KEY``. Never echoed in an error."""
    name = "api_key" if api_key is not None else "api_key (from REVOX_API_KEY)"
    key = api_key if api_key is not None else os.environ.get("REVOX_API_KEY")
    if key is not None and not isinstance(key, str):
        raise TypeError(f"{name}: expected a string, got {type(key).__name__}")
    if not key:
        raise RevoxError(
            "No API key: pass AsyncRevox(api_key=...) or set the REVOX_API_KEY "
            "environment variable."
        )
    if not (key.isascii() and key.isprintable()) or any(c.isspace() for c in key):
        raise ValueError(
            f"{name}: must be printable ASCII without spaces or line breaks "
            "(check for a stray space or newline; the key is not shown here)"
        )
    return key


def resolve_base_url(base_url: str | None) -> str:
    """The API's root URL: ``base_url``, else ``REVOX_BASE_URL``, else the public API.

    Refused: anything but an absolute http(s) URL with a host, a user name or
    password in it (never echoed), a query or fragment, spaces or control
    characters.
    """
    name = "base_url" if base_url else "base_url (from REVOX_BASE_URL)"
    url = base_url or os.environ.get("REVOX_BASE_URL") or DEFAULT_BASE_URL
    if not isinstance(url, str):
        raise TypeError(f"{name}: expected a string, got {type(url).__name__}")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise ValueError(f"{name}: not a valid URL (it is not shown here)") from None
    if "@" in parts.netloc:
        raise ValueError(
            f"{name}: must not contain a user name or password (the URL is not shown "
            "here; the API key goes in api_key)"
        )
    if not url.isprintable() or any(c.isspace() for c in url):
        raise ValueError(f"{name}: contains spaces or control characters: {url!r}")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{name}: expected an http(s) URL with a host, got {url!r}")
    if parts.query or parts.fragment or "?" in url or "#" in url:
        raise ValueError(f"{name}: must not have a query or fragment, got {url!r}")
    return url.rstrip("/")


def path_segment(name: str, value: str) -> str:
    """``value`` percent-encoded as exactly one path segment, or a clear error.

    Every path parameter passes here. ``/`` and every other reserved byte is
    encoded; ``""``, ``"."`` and ``".."`` are refused, because no encoding keeps
    them one segment (URL normalisation turns ``/assistants/..`` into ``/``).
    """
    if not isinstance(value, str):  # before the cache: a model or a list is unhashable
        hint = " (pass its .id)" if hasattr(value, "id") else ""
        raise TypeError(f"{name}: expected a string, got {type(value).__name__}{hint}")
    return _segment(name, value)


@functools.lru_cache(maxsize=1024)
def _segment(name: str, value: str) -> str:
    if value in ("", ".", ".."):
        raise ValueError(f"{name}: {value!r} is not a valid id")
    try:
        return quote(value, safe="")
    except UnicodeEncodeError:  # a lone surrogate: no bytes can carry it
        raise ValueError(f"{name}: {value!r} is not valid Unicode text") from None


def base_headers(api_key: str, options: RequestOptions) -> dict[str, str]:
    """Every request's headers; the options' own replace these, in any case."""
    return merge_headers(
        {
            "Authorization": f"Bearer {api_key}",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        },
        options.headers,
    )


def new_idempotency_key() -> str:
    """128 random bits, as a UUID4 would carry, for a fraction of its cost, after the
    second it was made: a client given the key back by another process reads when an
    attempt may have used it (`key_made_at`)."""
    return f"revox-async-{int(time.time()):x}-{os.urandom(16).hex()}"


_MADE_KEY: Final = re.compile(r"revox-async-([0-9a-f]{8})-[0-9a-f]{32}")  # until 2106


def key_made_at(key: str | None) -> float | None:
    """When `new_idempotency_key` made ``key`` (seconds since the epoch, by the clock of
    the machine that made it); ``None`` for a key made otherwise."""
    made = None if key is None else _MADE_KEY.fullmatch(key)
    return None if made is None else int(made[1], 16)


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


class InvalidResponse(Exception):  # noqa: N818 - internal, turned into APIResponseValidationError
    """A 2xx body that is not the envelope the endpoint returns."""


_JSON_STARTS: Final = frozenset(b'{["-0123456789tfn')
_OBJECT_STARTS: Final = (b"{", b"[")
_NOT_PARSED: Final = object()


def _parse(content: bytes) -> tuple[Any, str]:
    """The parsed JSON and ``""``, or ``_NOT_PARSED`` and why not.

    A body that cannot start a JSON value (an HTML page, say) is not handed to
    the parser: orjson, failing, briefly holds some 12 times the body (measured
    with orjson 3.13). And the parser's error is not kept: orjson's holds the
    whole body as text in ``.doc``.
    """
    if content[:1] not in _OBJECT_STARTS:  # an object or a list, the usual answer, starts at once
        head = content[:1024].lstrip(b" \t\r\n")
        if head and head[0] not in _JSON_STARTS:
            return _NOT_PARSED, "not JSON"
    try:
        return loads(content), ""
    except RecursionError:  # stdlib json, without orjson, recurses on deep nesting
        return _NOT_PARSED, "nested too deeply to decode"
    except ValueError as exc:
        return _NOT_PARSED, f"not JSON ({str(exc)[:200]})"


def decode_error_body(content: bytes) -> Any:
    """The parsed JSON of an error body, or its text when it is not JSON.

    A body over 64 KiB is no API error message: it is kept as text, cut with a
    marker, and not parsed (the transport reads no more than that of it).
    """
    if not content:
        return None
    if len(content) > MAX_KEPT_BODY_BYTES:
        return kept_text(content)
    parsed, _ = _parse(content)
    return kept_text(content) if parsed is _NOT_PARSED else parsed


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
    """The JSON of a 2xx body; ``APIResponseValidationError`` (keeping 64 KiB of the
    text, and no parser error that would keep all of it) if not."""
    parsed, why = _parse(content)
    if parsed is not _NOT_PARSED:
        return parsed
    raise APIResponseValidationError(
        f"{method} {url} returned {status} with a body that is {why}",
        method=method,
        url=url,
        status_code=status,
        body=kept_text(content),
    )


_REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}


def _origin(url: str) -> tuple[str, str, int] | None:
    """Scheme, host and port; ``None`` for anything but a plain http(s) URL."""
    if not url.isprintable() or any(c.isspace() or c == "\\" for c in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname or "@" in parts.netloc:
        return None
    return scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[scheme]


def redirect_target(
    *, method: str, url: str, status: int, headers: Mapping[str, str], hops: int
) -> str:
    """Where a 3xx answer to ``method url`` leads, if it may be followed; else raise.

    Only a GET follows a redirect (a POST re-sent elsewhere, or turned into a
    GET, would not do what was asked), only within ``url``'s origin (scheme,
    host and port: the key never travels to another host, nor from https to
    http), and at most `MAX_REDIRECTS` times (``hops`` were followed
    already). Anything else raises ``APIStatusError`` naming the Location.
    """
    location = headers.get("Location")
    target = urljoin(url, location) if location else None
    origin = _origin(url)
    why = None
    if status not in _REDIRECTS or target is None:
        why = "it is not a redirect the SDK can follow"
    elif method != "GET":
        why = f"only GET requests follow redirects, so the {method} was not re-sent"
        if status in (302, 303):  # the answer to a request the server may have carried out
            why += f" (a {status} may say the server carried it out)"
    elif origin is None or _origin(target) != origin:
        why = (
            "it leads to another origin (scheme, host or port), or to no plain URL, "
            "and the API key is sent nowhere else"
        )
    elif hops >= MAX_REDIRECTS:
        why = f"the SDK follows at most {MAX_REDIRECTS} redirects"
    if why is None:
        assert target is not None
        return target
    raise APIStatusError(
        f"{method} {url} returned {status} redirecting to {location!r}, which is not "
        f"followed: {why}. A wrong base_url (http for https, a wrong host or path) is "
        "the usual cause.",
        method=method,
        url=url,
        status_code=status,
        headers=headers,
        body=None,
    )
