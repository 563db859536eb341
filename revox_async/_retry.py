"""The one retry engine: every request, single or bulk, is sent by `Engine.send`.

One pure decision, `decide`, reads what an attempt ended with (an `Outcome`),
how many retries were made, and the request's own rules, and answers:

* **retry** after ``delay`` seconds (the same key, the same body);
* **look first**, then retry: the attempt may have been carried out (its
  outcome is unknown: any 5xx, a 408 or 409, a connection closed after the
  request was written, a read timeout), and the request declares a `Lookup`.
  The loop waits as long as the server may still be working
  (``outcome_window``), looks for what the attempt made, and re-sends only if
  it finds nothing;
* **give up**: raise, after one last look if the outcome is unknown.

`Engine.send` is the one loop that asks it: it paces, sends, logs each attempt
(the ``revox_async`` logger at DEBUG), waits, looks and counts retries
(``RawResponse.retries``). A batch takes part through `Hooks` (its pacing,
journal and concurrency slot), never through a loop of its own. What belongs
to one endpoint (a 409 that will not change on a delete, a POST that must not
be re-sent) is a field of its `Request`, not an ``if`` here.

The server ignores ``Idempotency-Key`` as far as anyone knows, so the lookup is
what makes a create happen once: calls carry their key in
``metadata.revox_async_key`` and are found by it alone; assistants and
campaigns have no such field and are matched on what was sent, among those
created since the first attempt by the server's own clock (its ``Date``); a
campaign's rows are read to confirm its contacts (``Lookup.confirm``).
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import functools
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final, NamedTuple

import attrs
from multidict import MultiDict

from ._core import (
    MAX_BACKOFF,
    MAX_RETRY_AFTER,
    backoff_delay,
    base_headers,
    check_header_value,
    decode_json,
    dumps,
    has_header,
    header_secrets,
    is_retryable_status,
    key_made_at,
    merge_headers,
    new_idempotency_key,
    parse_retry_after,
    status_error,
)
from ._endpoint import Request
from ._exceptions import APIConnectionError, APIError, APIStatusError, OutcomeUnknownError
from ._logging import log_attempt, logger
from ._reconcile import matches
from ._redact import redact_error

if TYPE_CHECKING:
    from ._core import RequestOptions
    from ._transport import Transport

__all__ = [
    "IN_USE",
    "Decision",
    "Engine",
    "Hooks",
    "Listed",
    "Lookup",
    "Outcome",
    "Response",
    "Stop",
    "content_lookup",
    "decide",
    "is_hopeless",
    "is_unknown_outcome",
    "server_time",
]

UNKNOWN_OUTCOME_STATUSES: Final = frozenset({302, 303, 408, 409})
"""Answers below 500 after which the request may have been carried out (every 5xx is,
too): a 303 See Other to a write says it was, and points to the result; so does the 302
of many web frameworks (redirect after POST)."""

CLOCK_SLACK: Final = timedelta(seconds=5)
"""How much earlier than the first attempt (by the server's clock) a match may be stamped:
the ``Date`` header counts whole seconds, and the server's parts may differ a little."""

OWN_CLOCK_SKEW: Final = timedelta(seconds=60)
"""The same, when the server sent no ``Date`` and only our clock is left."""

DOUBT: Final = timedelta(minutes=10)
"""How much older than the cutoff a match may look and still leave the outcome unknown
(neither taken nor re-sent): ``created_at`` and ``Date`` may come from two clocks."""

ZONELESS_DOUBT: Final = timedelta(hours=14)
"""The same for a ``created_at`` without a zone, read as UTC: it may be any zone's time."""

EPOCH_MS_FROM: Final = 1e11
"""A numeric ``created_at`` above this counts milliseconds (1e11 seconds is year 5138)."""

MAX_CLAIMS: Final = 10_000
"""How many ids of what this client created (or found) are kept to rule them out of
content-matched lookups."""

Sleep = Callable[[float], Awaitable[None]]


class Response(NamedTuple):
    """What one logical call received: the last attempt's answer, decoded."""

    status: int
    headers: Mapping[str, str]
    data: Any
    retries: int
    found: bool = False
    """Not answered: found by the lookup after an attempt whose answer was lost."""


class Listed(NamedTuple):
    """What a lookup's listing returned: raw JSON objects and the server's clock."""

    items: Sequence[Mapping[str, Any]]
    server_now: datetime | None = None
    """The server's time when it answered (its ``Date`` header), if it said."""
    cut_short: str | None = None
    """Why what was made may be beyond what was read (not found then settles nothing)."""


Fetch = Callable[["Request[Any]"], Awaitable[Response]]
"""How a lookup sends its listing requests: through this engine, retried as any GET."""


class Lookup(NamedTuple):
    """How a create's lost answer is found: where to list, how to match, what it answers.

    Declared by the create itself (``Calls.create``, ``Assistants.create``, …), so the
    single create and a batch row look the same way. A tuple, not an attrs class: one is
    made per create, and a frozen attrs instance costs several times more to make.
    """

    listing: Callable[[Fetch, Callable[[Mapping[str, Any]], bool]], Awaitable[Listed]]
    """``listing(fetch, wanted)``: the candidates; it may stop early once one is ``wanted``."""
    matches: Callable[[Mapping[str, Any]], bool]
    """Whether a listed object is what this create sent."""
    answer: Callable[[Mapping[str, Any]], Any]
    """The create's response data, built from the object found (``{"call": found}``)."""
    identity: Hashable
    """Creates with the same identity would be found by the same lookup: one waits for
    another's attempt in flight before looking (it may be about to claim the match)."""
    share: Hashable | None = None
    """Lookups with the same ``share`` waiting at once are answered by one listing."""
    recent_only: bool = False
    """Matched on content, not on a key: only objects created since the first attempt (by
    the server's clock) are candidates, and each answers for one create only (claims)."""
    confirm: Callable[[Fetch, Mapping[str, Any]], Awaitable[bool | None]] | None = None
    """``confirm(fetch, match)``, asked of a recent match before it is taken: whether it
    holds what the listing does not show (a campaign's rows); ``None``, it cannot tell,
    leaves the outcome unknown unless another match is taken."""
    look_first: bool = False
    """Look before the first attempt too: the caller chose the key, and an earlier
    attempt with it (another process, a retry after `OutcomeUnknownError`) may have
    made the object. Only for a lookup matched on a key, not on content."""
    keyless: Callable[[Mapping[str, Any]], bool] | None = None
    """For a lookup matched on a key: whether a listed object carries no key at all. A
    server that drops the key would list what an attempt made so: one created since
    the first attempt (or maybe so) leaves the outcome unknown, not sent again."""


@attrs.frozen(kw_only=True)
class Outcome:
    """What a failed attempt ended with, as `decide` sees it."""

    status: int | None = None
    """The HTTP status; ``None`` when no answer came (a connection error or a timeout)."""
    unknown: bool = False
    """The request may have been carried out."""
    retry_after: float | None = None
    should_retry: bool | None = None
    """The server's ``x-should-retry`` header, when it sent ``true`` or ``false``."""

    @classmethod
    def of(cls, error: APIError) -> Outcome:
        if isinstance(error, APIStatusError):
            said = error.headers.get("x-should-retry") if error.headers else None
            return cls(
                status=error.status_code,
                unknown=is_unknown_outcome(error),
                retry_after=error.retry_after,
                should_retry={"true": True, "false": False}.get(said or ""),
            )
        return cls(unknown=is_unknown_outcome(error))


def is_unknown_outcome(error: BaseException | None) -> bool:
    """Whether the request that raised ``error`` may still have been carried out."""
    if isinstance(error, APIStatusError):
        status = error.status_code
        return status >= 500 or status in UNKNOWN_OUTCOME_STATUSES
    return isinstance(error, APIConnectionError) and error.request_sent


def is_hopeless(error: BaseException) -> bool:
    """Whether nothing sent after ``error`` will fare better: a wrong key (401, 403), a
    wrong address or assistant (404), or a server asking to wait past `MAX_RETRY_AFTER`."""
    if not isinstance(error, APIStatusError):
        return False
    retry_after = error.retry_after
    return error.status_code in (401, 403, 404) or (
        retry_after is not None and retry_after > MAX_RETRY_AFTER
    )


@attrs.frozen(kw_only=True)
class Decision:
    """What the loop does after a failed attempt (see `decide`)."""

    retry: bool
    delay: float = 0.0
    """Seconds before the next attempt."""
    look: bool = False
    """The attempt may have been carried out: wait out the window and look first."""
    pause_all: bool = False
    """The server asked to slow down (``Retry-After``, 429): a batch pauses every row."""


def decide(
    outcome: Outcome,
    retries_done: int,
    request: Request[Any],
    *,
    max_retries: int,
    rand: float | None = None,
) -> Decision:
    """What to do after a failed attempt: a pure decision, every request's.

    >>> from revox_async._endpoint import Request
    >>> get = Request("GET", "/assistants", dict)
    >>> decide(Outcome(status=503), 0, get, max_retries=2, rand=0)
    Decision(retry=True, delay=0.5, look=False, pause_all=False)
    >>> decide(Outcome(status=404), 0, get, max_retries=2).retry
    False
    """
    look = outcome.unknown and request.lookup is not None
    status, retry_after = outcome.status, outcome.retry_after
    refused = status is not None and (
        status in request.final_statuses
        or outcome.should_retry is False
        or not (is_retryable_status(status) or outcome.should_retry)
        or (retry_after is not None and retry_after > MAX_RETRY_AFTER)
    )
    if refused:
        return Decision(retry=False, look=look)
    delay = backoff_delay(retries_done, rand) if retry_after is None else retry_after
    pause_all = retry_after is not None or status == 429
    if retries_done >= max_retries:  # out of retries: the others still slow down if asked
        return Decision(
            retry=False, delay=delay if pause_all else 0.0, look=look, pause_all=pause_all
        )
    if outcome.unknown and request.lookup is None and request.not_resent is not None:
        return Decision(retry=False)
    return Decision(retry=True, delay=delay, look=look, pause_all=pause_all)


class Stop(Exception):  # noqa: N818 - a signal, not an error
    """Raised by a `Hooks` method: send nothing more (a batch was stopped)."""


class Hooks:
    """How a caller takes part in `Engine.send`: the defaults are a single request's."""

    async def pace(self) -> None:
        """Before each attempt and each look (a batch's shared pacing; may raise `Stop`)."""

    def sending(self) -> None:
        """Just before each attempt is sent (a batch journals it)."""

    async def back_off(self, delay: float, *, pause_all: bool, sleep: Sleep) -> None:
        """Wait ``delay`` before the next attempt (a batch pauses every row if asked)."""
        await sleep(delay)

    def pause_others(self, delay: float) -> None:
        """The server asked every request to wait ``delay``, and this one does not back
        off (it stops, or waits out an unknown outcome): a batch pauses its other rows."""

    async def wait_outcome(self, seconds: float, sleep: Sleep) -> None:
        """Wait while the server may still be working (a batch frees the row's slot)."""
        await sleep(seconds)


_NO_HOOKS: Final = Hooks()


def server_time(headers: Mapping[str, str]) -> datetime | None:
    """The server's clock from its ``Date`` header, or ``None``."""
    raw = headers.get("Date") or headers.get("date")
    if not raw:
        return None
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _created_at(value: object) -> tuple[datetime, timedelta] | None:
    """An object's ``created_at`` (a zone-less one read as UTC; a number is a Unix time,
    in milliseconds past `EPOCH_MS_FROM`), and how much older than the cutoff it may look
    while being recent (`DOUBT`, or `ZONELESS_DOUBT`); ``None`` if it cannot be read."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            when = datetime.fromtimestamp(value / 1000 if value > EPOCH_MS_FROM else value, UTC)
        except (OverflowError, OSError, ValueError):
            return None
        return when, DOUBT
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC), ZONELESS_DOUBT
    return value, DOUBT


class _Lookups:
    """What lookups share within one client: claims, listings in progress, attempts in flight.

    Only what is in flight is kept, besides the bounded claims: nothing per row or per
    phone number (a long batch stays flat in memory).
    """

    def __init__(self) -> None:
        self.claimed: OrderedDict[str, None] = OrderedDict()
        """The latest `MAX_CLAIMS` ids claimed, oldest first."""
        self._shared: dict[Hashable, _Shared] = {}
        """One per share and scope (headers and query), while lookups use it."""
        self._in_flight: dict[Hashable, int] = {}
        """Attempts in flight by identity."""
        self._ended: dict[Hashable, asyncio.Event] = {}
        """Set when an identity's last attempt in flight ends, made only if a look waits."""
        self._turns: dict[Hashable, tuple[asyncio.Lock, list[int]]] = {}
        """One lock per identity of creates given their key, while any uses it (`turn`)."""
        self.held: OrderedDict[Hashable, float] = OrderedDict()
        """When a create left unknown may be looked for (monotonic time), by identity: its
        last attempt's end plus its window (the latest `MAX_CLAIMS`)."""

    def claim(self, object_id: object) -> None:
        if not isinstance(object_id, str) or not object_id:
            return
        self.claimed[object_id] = None
        self.claimed.move_to_end(object_id)
        if len(self.claimed) > MAX_CLAIMS:
            self.claimed.popitem(last=False)

    def is_claimed(self, object_id: object) -> bool:
        return object_id in self.claimed

    @contextlib.asynccontextmanager
    async def turn(self, identity: Hashable) -> AsyncIterator[None]:
        """One create with ``identity`` at a time: two given one key, at once, would both
        look before either sent, find nothing, and both be made."""
        lock, users = self._turns.setdefault(identity, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            async with lock:
                yield
        finally:
            users[0] -= 1
            if not users[0]:
                del self._turns[identity]

    def hold(self, identity: Hashable, until: float) -> None:
        """A create with ``identity`` was left unknown: no look for it before ``until``."""
        self.held[identity] = max(until, self.held.pop(identity, until))
        if len(self.held) > MAX_CLAIMS:
            self.held.popitem(last=False)

    def started(self, identity: Hashable) -> None:
        self._in_flight[identity] = self._in_flight.get(identity, 0) + 1

    def finished(self, identity: Hashable) -> None:
        count = self._in_flight.pop(identity) - 1
        if count:
            self._in_flight[identity] = count
        elif (ended := self._ended.pop(identity, None)) is not None:
            ended.set()

    async def settled(self, identity: Hashable) -> None:
        """Until no attempt with ``identity`` is in flight."""
        while identity in self._in_flight:
            await self._ended.setdefault(identity, asyncio.Event()).wait()

    async def listing(self, lookup: Lookup, fetch: Fetch, scope: Hashable = ()) -> Listed:
        """The listing of ``lookup``; lookups sharing it, waiting at once, share one.

        A lookup arriving while a listing runs waits for the next one (the running
        one may predate its attempt), and every lookup waiting then shares that next
        listing. A listing that fails fails its caller; the next lists again. Only
        lookups sent the same way (``scope``: headers and query) share: either may scope
        what the server lists (a workspace), and another scope's listing would not show
        what this create made.
        """
        share = lookup.share
        if share is None:
            return await lookup.listing(fetch, lookup.matches)
        key = (share, scope)
        shared = self._shared.setdefault(key, _Shared())
        wanted = shared.started + 1  # a listing that starts after this call
        shared.users += 1
        try:
            async with shared.lock:
                if shared.finished >= wanted:
                    return shared.latest
                await asyncio.sleep(0)  # lookups arriving in this same tick join this listing
                shared.started += 1
                number = shared.started
                listed = await lookup.listing(fetch, lookup.matches)
                shared.latest, shared.finished = listed, number
                return listed
        finally:
            shared.users -= 1
            if not shared.users:  # the next lookup lists anew: nothing kept per scope
                self._shared.pop(key, None)


@attrs.define
class _Shared:
    """One shared listing's turns (see `_Lookups.listing`)."""

    lock: asyncio.Lock = attrs.Factory(asyncio.Lock)
    users: int = 0
    """Lookups waiting for or reading this listing."""
    started: int = 0
    finished: int = 0
    latest: Listed = attrs.Factory(lambda: Listed(()))


class _Headers(NamedTuple):
    """The headers of every request made with one `RequestOptions`."""

    options: RequestOptions
    read: MultiDict[str]
    write: MultiDict[str]  # with ``Content-Type: application/json``
    has_accept: bool
    default_key: str | None  # an ``Idempotency-Key`` among the options' headers (any case)


class Engine:
    """Sends a client's requests: one loop, retries and the lookup before re-sending.

    One per client, shared by its ``with_options`` copies (their claims and
    listings are one client's). ``sleep`` is how the loop waits (tests record it).
    """

    def __init__(
        self,
        transport: Transport,
        base_url: str,
        api_key: str,
        redact: Callable[[APIStatusError], APIStatusError],
    ) -> None:
        self.transport = transport
        self.base_url = base_url
        self.sleep: Sleep = asyncio.sleep
        self.lookups = _Lookups()
        self._api_key = api_key
        self._redact = redact
        self._headers: dict[int, _Headers] = {}

    def headers(
        self, request: Request[Any], options: RequestOptions
    ) -> tuple[Mapping[str, str], str | None]:
        """The headers of ``request`` and the ``Idempotency-Key`` among them: JSON on every
        write (bodiless too, as the official client sends), ``Accept: */*`` for audio, and
        a key on a POST (the request's own, else a default header's, else a new one)."""
        cached = self._headers.get(id(options))
        if cached is None or cached.options is not options:
            if len(self._headers) > 16:
                self._headers.clear()
            read, given = base_headers(self._api_key, options), options.headers
            keys = [value for name, value in given.items() if name.lower() == _KEY_LOWER]
            write = merge_headers(read, {"Content-Type": "application/json"})
            accept = has_header(given, "Accept")
            # A MultiDict: aiohttp takes it as it is, where it converts a dict (~3k instructions).
            cached = _Headers(
                options, MultiDict(read), MultiDict(write), accept, next(iter(keys), None)
            )
            self._headers[id(options)] = cached
        method = request.method
        headers: MultiDict[str] = cached.write if method in _WRITES else cached.read
        if request.binary and not cached.has_accept:
            headers = headers.copy()
            headers["Accept"] = "*/*"
        if method != "POST":
            return headers, None
        key = request.idempotency_key
        if key is None and cached.default_key is not None:  # sent as it is
            return headers, cached.default_key
        if key is None:
            key = new_idempotency_key()  # hex: nothing to check
        elif key == "":
            raise ValueError("idempotency_key: must not be empty")
        else:
            check_header_value(_KEY, key)
        if cached.default_key is not None:  # replaced, in any case
            return merge_headers(headers, {_KEY: key}), key
        headers = headers.copy()
        headers[_KEY] = key
        return headers, key

    async def send(
        self,
        request: Request[Any],
        options: RequestOptions,
        *,
        hooks: Hooks | None = None,
        sent_at: datetime | None = None,
        wait_first: float | None = None,
    ) -> Response:
        """Send ``request`` until it is answered, found, or given up on.

        ``sent_at``: an earlier send of this very request (a batch's re-run) has an
        unknown outcome: wait ``wait_first`` seconds (what remains of its window, as the
        batch counts it: `_journal.ages`), then look before sending. Without it, a
        lookup marked ``look_first`` looks after ``wait_first`` seconds, by default at
        once unless its key is one of this SDK's made recently (`_key_period`); such
        creates with one identity (one key) are sent one at a time (`_Lookups.turn`).
        A request with a `Lookup` that cannot settle an unknown outcome (the lookup
        failed, ``create_deadline`` passed, the batch stopped) raises
        `OutcomeUnknownError`.
        """
        call = _Call(self, request, options, _NO_HOOKS if hooks is None else hooks)
        lookup = request.lookup
        if lookup is not None and lookup.look_first:
            async with self.lookups.turn(lookup.identity):
                return await self._send(call, sent_at, wait_first)
        return await self._send(call, sent_at, wait_first)

    async def _send(
        self, call: _Call, sent_at: datetime | None, wait_first: float | None
    ) -> Response:
        """`send`'s loop: look if a look is due, attempt, and after a failed attempt ask
        `decide` what follows (raise, back off, or plan a look)."""
        request, options = call.request, call.options
        if request.lookup is not None:
            now = time.monotonic()
            call.deadline = now + _deadline(options, call.window)
            if sent_at is not None:
                call.first_sent = sent_at
                call.look_at = now + max(0.0, wait_first or 0.0)
            elif request.lookup.look_first:
                fresh = _key_period(call, key_made_at(request.idempotency_key))
                if wait_first is None:  # this client's own attempts: `_Lookups.held`
                    wait_first = 0.0 if request.lookup.identity in self.lookups.held else fresh
                call.look_at = now + wait_first
        try:
            while True:
                if call.look_at is not None:
                    found = await self._look_when_due(call)
                    if found is not None:
                        return found
                response = await self._attempt(call)
                if response is not None:
                    return response
                await self._after_failure(call)
        except (asyncio.CancelledError, KeyboardInterrupt):
            call.hold()  # cancelled after an attempt (within its turn): outcome unknown too
            raise

    async def _attempt(self, call: _Call) -> Response | None:
        """One attempt: the decoded answer if it succeeded; else ``None``, with
        ``call.error`` set (an error that no later attempt would avoid is raised)."""
        request, hooks, error = call.request, call.hooks, call.error
        if hooks is not _NO_HOOKS:  # a batch's pacing (a single call has none to await)
            try:
                await hooks.pace()
            except Stop:
                if error is None:
                    raise
                raise error from None
        if error is not None and call.deadline is not None and time.monotonic() >= call.deadline:
            raise error  # settled (looked, not found), but out of time to send again
        hooks.sending()
        method, url, lookup = request.method, call.url, request.lookup
        if lookup is not None:
            if call.first_sent is None:
                call.first_sent, call.first_clock = datetime.now(UTC), time.monotonic()
            if call.made_by is not None:  # what this attempt makes may be created from now on
                call.made_by = None
            self.lookups.started(lookup.identity)
        started = time.perf_counter()
        try:
            resp = await self.transport.send(method, url, call.headers, call.data, call.options)
        except APIError as exc:
            _log_attempt(call, type(exc).__name__, started)
            if not isinstance(exc, APIConnectionError) and not is_unknown_outcome(exc):
                raise  # a refused redirect or an oversized body would be the same again
            call.error = exc
            return None
        finally:
            if lookup is not None:
                call.ended = time.monotonic()
                self.lookups.finished(lookup.identity)
        status = resp.status
        _log_attempt(call, status, started)
        if 200 <= status < 300:
            data: Any = resp.content
            if not request.binary:
                data = decode_json(data, status=status, method=method, url=url) if data else None
            return Response(status, resp.headers, data, call.retries)
        retry_after = parse_retry_after(resp.headers)
        error = status_error(
            status=status,
            headers=resp.headers,
            content=resp.content,
            method=method,
            url=url,
            retry_after=retry_after,
        )
        given = header_secrets(call.options.headers)  # an Authorization among the headers
        call.error = self._redact(redact_error(error, given) if given else error)
        return None

    async def _after_failure(self, call: _Call) -> None:
        """What follows a failed attempt, as `decide` says: raise ``call.error``, back
        off before the next attempt, or plan a look (``call.look_at``) before it."""
        error, request, options = call.error, call.request, call.options
        assert error is not None
        outcome = Outcome.of(error)
        decision = decide(outcome, call.retries, request, max_retries=options.max_retries)
        reason = outcome.status or type(error).__name__
        late = call.deadline is not None and time.monotonic() + decision.delay >= call.deadline
        if decision.pause_all and (late or decision.look or not decision.retry):
            call.hooks.pause_others(decision.delay)  # this call does not back off; the others do
        if not decision.retry:
            if not decision.look:
                if outcome.unknown and request.not_resent is not None:
                    error.add_note(request.not_resent)
                raise error
            call.give_up = True
            call.log("%s; looking for what it made before giving up", reason)
            call.look_at = time.monotonic() + call.window
            return
        if late and not decision.look:  # create_deadline would pass before the next attempt
            raise error
        call.retries += 1
        wait = max(decision.delay, call.window) if decision.look else decision.delay
        first = ", looking for what it made first" if decision.look else ""
        call.log(
            "%s; retry %d of %d in %.2f s%s", reason, call.retries, options.max_retries, wait, first
        )
        if decision.look:
            call.look_at = time.monotonic() + wait
        else:
            pause_all = decision.pause_all
            await call.hooks.back_off(decision.delay, pause_all=pause_all, sleep=self.sleep)

    async def _look_when_due(self, call: _Call) -> Response | None:
        """Wait until ``call.look_at`` (the server may still be working), then look: the
        answer built from what was found, or ``None`` to send again (when giving up,
        finding nothing raises ``call.error``)."""
        lookup, look_at = call.request.lookup, call.look_at
        assert lookup is not None
        assert look_at is not None
        call.look_at = None
        look_at = max(look_at, self.lookups.held.get(lookup.identity, look_at))
        if call.deadline is not None and look_at > call.deadline:
            raise call.unsettled(
                "create_deadline would pass before it could be looked up (in "
                f"{look_at - time.monotonic():.0f} s: the server may still be working on it)"
            )
        wait = look_at - time.monotonic()
        try:
            if wait > 0:
                await call.hooks.wait_outcome(wait, self.sleep)
            await call.hooks.pace()
        except Stop:
            raise call.unsettled("stopped before it could be looked up") from None
        await self.lookups.settled(lookup.identity)
        fetch = functools.partial(self.send, options=call.options)
        try:
            found = await self._look(lookup, fetch, call)
        except APIError as exc:
            raise call.unsettled(f"looking it up failed: {exc.message}", exc) from exc
        except _Doubtful as doubt:
            raise call.unsettled(str(doubt)) from None
        if found is not None:
            call.log("found what an attempt made; not sent again")
            return Response(200, {}, found, call.retries, found=True)
        if call.give_up:
            assert call.error is not None
            raise call.error
        return None

    async def _look(self, lookup: Lookup, fetch: Fetch, call: _Call) -> Any | None:
        """The answer built from what an attempt made, or ``None``; `_Doubtful` when a match
        may be what it made yet cannot be taken, or the listing was cut short."""
        scope = (tuple(sorted(call.options.headers.items())), call.url.partition("?")[2])
        listed = await self.lookups.listing(lookup, fetch, scope)
        cutoff = until = None
        if lookup.recent_only or lookup.keyless is not None:
            waited = 0.0 if call.first_clock is None else time.monotonic() - call.first_clock
            cutoff = _cutoff(call.first_sent, listed.server_now, waited)
            until = _until(call.made_by, listed.server_now)
        doubtful = unconfirmed = keyless = False
        for item in listed.items:
            if not isinstance(item, Mapping):
                continue
            if lookup.keyless is not None and cutoff is not None and lookup.keyless(item):
                stamp = _created_at(item.get("created_at"))
                keyless = keyless or (_maybe_since(stamp, cutoff) and _maybe_by(stamp, until))
                continue
            if lookup.recent_only:
                if self.lookups.is_claimed(item.get("id")):
                    continue
                stamp = _created_at(item.get("created_at"))
                if cutoff is not None and (stamp is None or stamp[0] < cutoff):
                    doubtful = doubtful or (_maybe_since(stamp, cutoff) and lookup.matches(item))
                    continue
            if not lookup.matches(item):
                continue
            if lookup.confirm is not None:
                confirmed = await lookup.confirm(fetch, item)
                unconfirmed = unconfirmed or confirmed is None
                if not confirmed or self.lookups.is_claimed(item.get("id")):
                    continue  # claimed by another lookup while this one read
            if lookup.recent_only:
                self.lookups.claim(item.get("id"))
            return lookup.answer(item)
        if doubtful:
            raise _Doubtful(
                "a match was listed that it may have made: its created_at cannot be read, "
                "has no zone, or is just before the first attempt"
            )
        if unconfirmed:
            raise _Doubtful(
                "a match was listed that it may have made: what the listing does not show "
                "of it could not all be read"
            )
        if keyless:
            raise _Doubtful(
                "one listed without any key was made since the first attempt: the server "
                "may drop keys, and it may be what that attempt made"
            )
        if listed.cut_short:
            raise _Doubtful(listed.cut_short)
        return None


class _Doubtful(Exception):  # noqa: N818 - a signal, not an error
    """A content lookup's only matches may or may not be recent, or be what was sent
    (see `Engine._look`): neither taken (they may be older than the create, or hold
    something else) nor ignored (they may be what it made). Its text says why."""


class _Call:
    """One logical call in `Engine.send`: what its attempts share, and where it stands.

    What most calls never change is a class default, set on the call only when it does."""

    deadline: float | None = None
    """When a create stops sending (monotonic time; ``create_deadline``)."""
    retries = 0
    error: APIError | None = None
    """The last attempt's error."""
    first_sent: datetime | None = None
    first_clock: float | None = None
    """When this process sent its first attempt (monotonic time)."""
    made_by: datetime | None = None
    """When an earlier process's attempts may last have made something (`_key_period`),
    until this one sends its own."""
    look_at: float | None = None
    """When to look for what an earlier attempt made (loop time), if a look is due."""
    give_up = False
    """No attempt follows the coming look: finding nothing raises ``error``."""
    ended: float | None = None
    """When its last attempt ended (monotonic time)."""

    def __init__(
        self, engine: Engine, request: Request[Any], options: RequestOptions, hooks: Hooks
    ) -> None:
        self.request = request
        self.options = options
        self.hooks = hooks
        self.url = engine.base_url + request.path
        self.headers, self.key = engine.headers(request, options)
        self.data = None if request.body is None else dumps(request.body)
        self._lookups = engine.lookups

    @property
    def window(self) -> float:
        """How long the server may still be working after an unknown outcome."""
        return self.options.window

    def log(self, message: str, *args: object) -> None:
        """An INFO line about this call: its method and URL, then ``message % args``."""
        logger.info("%s %s: " + message, self.request.method, self.url, *args)

    def hold(self) -> None:
        """A look for this create in this client waits until its last attempt's window
        has passed (the server may still be working on it)."""
        lookup = self.request.lookup
        if lookup is not None and self.ended is not None:
            self._lookups.hold(lookup.identity, self.ended + self.window)

    def unsettled(self, why: str, cause: APIError | None = None) -> OutcomeUnknownError:
        """The error of a create whose outcome no lookup settled, and ``why`` (it is held)."""
        request = self.request
        self.hold()
        key = self.key or request.idempotency_key
        return OutcomeUnknownError(
            f"{request.method} {request.path}: outcome unknown, it may have been carried out "
            f"({why})" + (f"; look it up by its key {key!r} before trying again" if key else ""),
            method=request.method,
            url=request.path,
            idempotency_key=key,
            error=self.error,
            lookup_error=cause,
        )


def _log_attempt(call: _Call, outcome: int | str, started: float) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        elapsed = time.perf_counter() - started
        log_attempt(call.request.method, call.url, outcome, call.retries + 1, elapsed)


_WRITES: Final = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_KEY: Final = "Idempotency-Key"
_KEY_LOWER: Final = "idempotency-key"


def _deadline(options: RequestOptions, window: float) -> float:
    """A create's total time: ``create_deadline``, or by default enough for every attempt
    to time out, be waited out and looked for, with the longest backoffs between."""
    if options.create_deadline is not None:
        return options.create_deadline
    attempts = options.max_retries + 1
    return attempts * (options.timeout + window) + options.max_retries * MAX_BACKOFF + 60.0


def _key_period(call: _Call, made: float | None) -> float:
    """For a create given back a key this SDK ``made`` (`key_made_at`: another process's,
    say an interrupted run's), when what a create made with it may have been created (from
    when the key was made, but not later than now, until its deadline and a last window:
    ``call.first_sent``, ``call.made_by``), and how long to wait before looking for it:
    while that create could still be sending, its last attempt may be under way, so a
    whole attempt and window; for an older key, or one made otherwise, nothing."""
    if made is None:
        return 0.0
    options, window = call.options, call.window
    settled = made + 1 + _deadline(options, window) + options.timeout + window  # whole seconds
    call.first_sent = datetime.fromtimestamp(min(made, time.time()), UTC)
    call.made_by = datetime.fromtimestamp(settled, UTC)
    return min(options.timeout + window, max(0.0, settled - time.time()))


def _maybe_by(stamp: tuple[datetime, timedelta] | None, until: datetime | None) -> bool:
    """Whether an object stamped ``stamp`` (`_created_at`) may have been created by
    ``until`` (`_until`; ``None``: no bound): its ``created_at`` is unreadable, or not
    newer than its doubt allows."""
    return stamp is None or until is None or stamp[0] - stamp[1] <= until


def _maybe_since(stamp: tuple[datetime, timedelta] | None, cutoff: datetime) -> bool:
    """Whether an object stamped ``stamp`` (`_created_at`) may have been created at
    ``cutoff`` or later: its ``created_at`` is unreadable, or not older than its doubt
    allows."""
    return stamp is None or stamp[0] + stamp[1] >= cutoff


def _cutoff(
    first_sent: datetime | None, server_now: datetime | None, waited: float = 0.0
) -> datetime | None:
    """The earliest ``created_at`` what an attempt made may have, by the server's clock.

    The time since the first attempt is the longer of the wall clock's count and
    ``waited`` (the monotonic clock's): the wall clock may have been set back meanwhile
    (NTP), the monotonic one stops while the machine sleeps; either alone could hide
    what the attempt made."""
    if first_sent is None:
        return None
    if server_now is None:
        return first_sent - OWN_CLOCK_SKEW
    elapsed = max(datetime.now(UTC) - first_sent, timedelta(seconds=waited))
    return server_now - elapsed - CLOCK_SLACK


def _until(made_by: datetime | None, server_now: datetime | None) -> datetime | None:
    """The latest ``created_at`` what an earlier process's attempts made may have
    (``made_by``, `_key_period`), by the server's clock: `_cutoff`'s other end, its slack
    the other way."""
    if made_by is None:
        return None
    if server_now is None:
        return made_by + OWN_CLOCK_SKEW
    return server_now - (datetime.now(UTC) - made_by) + CLOCK_SLACK


IN_USE: Final = frozenset({409})
"""A delete's ``final_statuses``: a 409 says the object is in use (a voice an assistant
speaks with), which another attempt will not change."""


def raw(data: Any) -> Any:
    """A decode that keeps the JSON as it came (a lookup's listing reads it raw)."""
    return data


def content_lookup(path: str, field: str, noun: str, sent: Mapping[str, Any]) -> Lookup:
    """The lookup of a create matched on content (an assistant, a campaign): one listing
    of ``GET path`` (shared by the lookups waiting at once), the objects under ``field``
    that hold what was ``sent`` and were created since the first attempt; the create's
    answer is ``{noun: found}``."""
    # listing, matches, answer, identity, share, recent_only: by position, made for each create
    return Lookup(
        collection_listing(path, field),
        functools.partial(matches, sent),
        _answer_as(noun),
        (path, dumps(sent)),
        path,
        True,
    )


@functools.cache
def _answer_as(noun: str) -> Callable[[Mapping[str, Any]], Any]:
    """A lookup's answer, ``{noun: found}``: one function per noun, not one per create."""
    return lambda found: {noun: dict(found)}


@functools.cache
def collection_listing(
    path: str, field: str
) -> Callable[[Fetch, Callable[[Mapping[str, Any]], bool]], Awaitable[Listed]]:
    """A lookup's listing that reads a whole collection: ``GET path``, the list under
    ``field`` (assistants and campaigns are listed in one response)."""

    async def listing(fetch: Fetch, wanted: Callable[[Mapping[str, Any]], bool]) -> Listed:
        response = await fetch(Request("GET", path, raw))
        data = response.data
        items = data.get(field) if isinstance(data, Mapping) else None
        if not isinstance(items, list):  # unreadable: says nothing of what is there
            return Listed((), cut_short=f"GET {path} answered without a list of {field}")
        return Listed(items, server_time(response.headers))

    return listing
