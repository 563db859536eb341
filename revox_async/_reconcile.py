"""Check before re-sending: did a create whose outcome is unknown happen?

The live Revox API documents no idempotency support, so a POST that was
committed and then answered 5xx (or whose connection dropped after sending)
creates a second assistant when it is simply sent again. A client that cannot
rely on ``Idempotency-Key`` has to look first::

    reconciler = Reconciler(list_raw, since=datetime.now(UTC))
    ...                                  # the POST of `body` ended ambiguously
    found = await reconciler.find(body)  # one GET /assistants, shared
    if found is None:
        ...                              # not created: send again, same key
    else:
        ...                              # created: `found` is its raw JSON

Wiring it into a single ``assistants.create()``: build one ``Reconciler``
per call, just before the first attempt, with ``list_raw`` returning the raw
JSON list of ``GET /assistants``; on an attempt whose outcome is unknown (a
5xx, a 408 or 409, a dropped connection, a timeout), ``await
reconciler.find(body)`` with the exact body sent; return the structured
assistant when found, re-send with the same key when not.

Only the pure `matches` decides whether a server assistant is "the one
we sent"; the class adds coalescing (concurrent callers share one listing)
and claiming (a server assistant answers for one row only).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Final

from ._exceptions import APIStatusError, APITimeoutError

__all__ = [
    "DEFAULT_CLOCK_SKEW",
    "UNKNOWN_OUTCOME_STATUSES",
    "Reconciler",
    "created_since",
    "is_unknown_outcome_status",
    "matches",
    "still_working",
]

DEFAULT_CLOCK_SKEW: Final = timedelta(seconds=60)
"""How far the server's clock may be behind ours (see `Reconciler`)."""

UNKNOWN_OUTCOME_STATUSES: Final = frozenset({408, 409})
"""4xx answers after which the create may have happened (every 5xx is, too)."""

ListRaw = Callable[[], Awaitable[Sequence[Mapping[str, Any]]]]


GATEWAY_STATUSES: Final = frozenset({502, 504})
"""5xx answers a proxy gives while the server behind it may still be creating."""


def still_working(error: BaseException) -> bool:
    """Whether the server may still be creating after ``error``: we stopped waiting (a
    timeout), or a gateway did (502, 504), while the request went on behind it."""
    if isinstance(error, APITimeoutError):
        return True
    return isinstance(error, APIStatusError) and error.status_code in GATEWAY_STATUSES


def is_unknown_outcome_status(status: int) -> bool:
    """Whether a POST answered ``status`` may still have created the assistant."""
    return status >= 500 or status in UNKNOWN_OUTCOME_STATUSES


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


def created_since(value: object, cutoff: datetime) -> bool:
    """Whether a ``created_at`` (an aware datetime or ISO-8601 text) is at or after ``cutoff``."""
    created = _created_at(value)
    return created is not None and created.tzinfo is not None and created >= cutoff


def _created_at(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


class Reconciler:
    """Finds the assistant a create with an unknown outcome made, if it made one.

    ``list_raw`` returns every assistant as raw JSON (``GET /assistants``).
    ``since`` is when the first POST it will be asked about was sent, as an
    aware datetime of *this* machine's clock. Only assistants whose
    ``created_at`` is at or after ``since - clock_skew`` are candidates (and
    none without a readable ``created_at``): the server stamps ``created_at``
    with its own clock, which may be behind ours. The default skew, 60 s,
    covers NTP-synchronised machines with room to spare; its cost is that an
    identical assistant created in the minute before ``since`` (by an earlier
    run, say) can be taken for this one. Claim the ids you know are someone
    else's with `claim` to rule them out.

    Concurrent `find` calls share one listing: every caller waiting
    while no listing runs is answered by the next one. A listing that was
    already running when a caller arrived does not answer it (it may predate
    that caller's create).

    A server assistant answers for one row only: `find` claims what it
    returns, and `claim` marks ids that rows got from a success. Two
    identical rows whose creates both ended ambiguously find two different
    assistants, or one and ``None``. Call `claim` for every success
    *before* finding a body identical to one whose attempt is still in flight,
    or the check may claim that row's assistant (``create_many`` waits for such
    attempts before checking).
    """

    def __init__(
        self,
        list_raw: ListRaw,
        *,
        since: datetime | None,
        clock_skew: timedelta = DEFAULT_CLOCK_SKEW,
        claimed: Iterable[str] = (),
    ) -> None:
        if since is not None and since.tzinfo is None:
            raise ValueError("since: expected an aware datetime (datetime.now(UTC))")
        self._list_raw = list_raw
        self._since = None if since is None else since - clock_skew
        self._claimed: set[str] = set(claimed)
        self._lock = asyncio.Lock()
        self._started = 0
        self._finished = 0
        self._latest: Sequence[Mapping[str, Any]] = ()
        self.listings = 0
        """How many listings were made: the requests the checks cost."""

    @property
    def cutoff(self) -> datetime | None:
        """The earliest ``created_at`` a candidate may have: ``since - clock_skew``
        (``None``: no cut-off, for what ``sent`` alone identifies, such as a row's key)."""
        return self._since

    def claim(self, assistant_id: str) -> None:
        """Mark an assistant as some row's own: no `find` returns it."""
        self._claimed.add(assistant_id)

    async def find(self, sent: Mapping[str, Any]) -> dict[str, Any] | None:
        """The unclaimed assistant created since ``since`` that matches ``sent``, claimed."""
        listing = await self._listing()
        for stored in listing:
            assistant_id = stored.get("id")
            if not isinstance(assistant_id, str) or assistant_id in self._claimed:
                continue
            if self._since is not None and not created_since(stored.get("created_at"), self._since):
                continue
            if matches(sent, stored):
                self._claimed.add(assistant_id)
                return dict(stored)
        return None

    async def _listing(self) -> Sequence[Mapping[str, Any]]:
        wanted = self._started + 1  # a listing that starts after this call
        async with self._lock:
            if self._finished >= wanted:
                return self._latest
            await asyncio.sleep(0)  # let checks arriving in this same tick join this listing
            self._started += 1
            number = self._started
            self.listings += 1
            listing = await self._list_raw()
            self._latest, self._finished = listing, number
            return listing
