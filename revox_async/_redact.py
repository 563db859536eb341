"""Cutting credentials out of what an error shows: one matcher for every place.

A secret is replaced by ``[redacted]`` wherever it occurs as a whole token: not
preceded or followed by a character a key is made of (``[A-Za-z0-9_-]``). So a
short key used in tests (``k``, ``test-key``) leaves ``127.0.0.1``, ``ssl`` and
``Connect call failed`` alone, and a real key is never shown.

A key echoed by a server or a library may come escaped: as a JSON string (``\\``
and ``"`` escaped, ``/`` maybe as ``\\/``), a Python ``repr`` (``\\`` and a
quote escaped), or percent-encoded in a URL. Each form is matched. A parsed JSON
body is walked instead, every string in its keys and values matched as text.

>>> redact_text('bad key "sk_live_a1"; try again', ("sk_live_a1",))
'bad key "[redacted]"; try again'
>>> redact_text("Cannot connect to host 127.0.0.1:1 ssl:default", ("k",))
'Cannot connect to host 127.0.0.1:1 ssl:default'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any, Final, TypeVar
from urllib.parse import quote, quote_plus

__all__ = ["redact_error", "redact_text", "redact_value", "shows_secret"]

REDACTED: Final = "[redacted]"
_KEY_CHAR: Final = r"A-Za-z0-9_\-"

_E = TypeVar("_E", bound=BaseException)


def _forms(secret: str) -> set[str]:
    """``secret`` as it may be written by whatever echoes it."""
    backslashed = secret.replace("\\", "\\\\")
    quoted = {
        backslashed,
        backslashed.replace('"', '\\"'),  # a JSON string; a repr in '…'
        backslashed.replace("'", "\\'"),  # a repr in '…' that holds a "
        backslashed.replace('"', '\\"').replace("'", "\\'"),
    }
    return {
        secret,
        *quoted,
        *(form.replace("/", "\\/") for form in quoted),  # JSON may escape '/'
        quote(secret, safe=""),
        quote(secret),
        quote_plus(secret),
    }


@functools.lru_cache(maxsize=64)
def _matcher(secrets: tuple[str, ...]) -> re.Pattern[str] | None:
    forms = {form for secret in secrets if secret for form in _forms(secret)}
    if not forms:
        return None
    # Longest first, so that a key's escaped form wins over the key inside it.
    alternatives = "|".join(map(re.escape, sorted(forms, key=lambda f: (-len(f), f))))
    return re.compile(rf"(?<![{_KEY_CHAR}])(?:{alternatives})(?![{_KEY_CHAR}])")


def _secrets(secrets: str | Iterable[str]) -> tuple[str, ...]:
    return (secrets,) if isinstance(secrets, str) else tuple(secrets)


def shows_secret(text: str, secrets: str | Iterable[str]) -> bool:
    """Whether any of ``secrets`` occurs in ``text`` as a whole token, in any form."""
    matcher = _matcher(_secrets(secrets))
    return matcher is not None and matcher.search(text) is not None


def redact_text(text: str, secrets: str | Iterable[str]) -> str:
    """``text`` with every whole occurrence of ``secrets`` replaced by ``[redacted]``."""
    matcher = _matcher(_secrets(secrets))
    return text if matcher is None else matcher.sub(REDACTED, text)


def redact_value(value: Any, secrets: str | Iterable[str]) -> Any:
    """A parsed JSON value with ``secrets`` cut out of every string, keys included.

    The same object when nothing was found; otherwise a copy of what held it.
    """
    matcher = _matcher(_secrets(secrets))
    return value if matcher is None else _walk(value, matcher)


def _walk(value: Any, matcher: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return matcher.sub(REDACTED, value) if matcher.search(value) else value
    if isinstance(value, Mapping):
        items = [(_walk(k, matcher), _walk(v, matcher)) for k, v in value.items()]
        if all(k is k0 and v is v0 for (k, v), (k0, v0) in zip(items, value.items(), strict=True)):
            return value
        return dict(items)
    if isinstance(value, (list, tuple)):
        walked = [_walk(item, matcher) for item in value]
        if all(new is old for new, old in zip(walked, value, strict=True)):
            return value
        return type(value)(walked) if isinstance(value, tuple) else walked
    return value


def redact_error(error: _E, secrets: str | Iterable[str]) -> _E:
    """``error`` with ``secrets`` cut out of its message, arguments, notes, body and
    headers (changed in place, and returned). The one way the SDK redacts an error."""
    matcher = _matcher(_secrets(secrets))
    if matcher is None:
        return error
    error.args = tuple(_walk(arg, matcher) for arg in error.args)
    for name in ("message", "body"):
        if hasattr(error, name):
            setattr(error, name, _walk(getattr(error, name), matcher))
    notes = getattr(error, "__notes__", None)
    if isinstance(notes, list):
        notes[:] = [_walk(note, matcher) for note in notes]
    headers = getattr(error, "headers", None)
    if isinstance(headers, Mapping) and any(
        isinstance(v, str) and matcher.search(v) for v in headers.values()
    ):
        from multidict import CIMultiDict, CIMultiDictProxy

        # The values redacted, keeping repeats and case-insensitive lookups.
        redacted = CIMultiDict((k, _walk(v, matcher)) for k, v in headers.items())
        error.headers = CIMultiDictProxy(redacted)  # type: ignore[attr-defined]
    return error
