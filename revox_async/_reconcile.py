"""Matching a create's body to what the server stored: the lookup of a content-matched
create (assistants, campaigns) asks `matches` whether a listed object is the one sent.

Calls are not matched this way: each carries its key in ``metadata`` (see
``_resources/calls.py``), so a call is known by its key alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["matches"]


def matches(sent: Any, stored: Any) -> bool:
    """Whether ``stored`` (server JSON) is what ``sent`` (a request body) asked for.

    Only what was sent is compared: the server adds defaults (a whole
    ``call_retry_config``), fills nested objects (``voice.speed``) and gives
    FAQ items ids, so a sent object matches a stored one holding *at least*
    its keys with matching values. Lists match item by item, same length.
    ``None`` sent matches ``None`` or a missing key; ``1`` matches ``1.0``.

    >>> matches({"voice": {"id": "v"}}, {"name": "a", "voice": {"id": "v", "speed": 1.0}})
    True
    >>> matches({"name": "a"}, {"name": "b"})
    False
    """
    if isinstance(sent, Mapping):
        if not isinstance(stored, Mapping):
            return False
        return all(
            (value is None and stored.get(key) is None)
            or (key in stored and matches(value, stored[key]))
            for key, value in sent.items()
        )
    if isinstance(sent, list | tuple):
        return (
            isinstance(stored, list | tuple)
            and len(sent) == len(stored)
            and all(matches(a, b) for a, b in zip(sent, stored, strict=True))
        )
    if isinstance(sent, bool) or isinstance(stored, bool):
        return sent is stored
    return bool(sent == stored)
