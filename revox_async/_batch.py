"""Concurrent batch creation: ``create_many``, and ``create_many_iter``'s `BatchStream`.

Each row's request is the resource's own ``create`` declaration (its checks, its
body, its lookup), sent by the client's one retry engine (``_retry``): the same
retries, unknown outcomes and lookup before re-sending as a single create. What
differs between assistants and calls lives in a `RowKind`; a `BatchItem` reads the
same for both (``created``, ``created_id``).

Rows start while a concurrency slot is free, so a 100,000-row generator never
means 100,000 coroutines. The batch's part in the engine's loop is `_RowHooks`.
An answer that will not get better (`is_hopeless`) stops the batch: no new row
starts, the rest are reported not sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Callable,
    Iterable,
    Iterator,
    Mapping,
    Sized,
)
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias, cast

import attrs

from ._converter import request_converter
from ._core import is_retryable_status, new_idempotency_key
from ._display import batch_html, batch_repr
from ._exceptions import (
    APIError,
    APIResponseValidationError,
    APIStatusError,
    OutcomeUnknownError,
    RevoxError,
)
from ._journal import (
    Journal,
    JournalEntry,
    JournalMismatchError,
    Renamed,
    ages,
    fingerprint,
    key_digest,
)
from ._models import Assistant
from ._models.assistants import NULLABLE_PARAMS, PARAM_NAMES, SERVER_FIELDS
from ._models.calls import Call
from ._retry import Hooks, Sleep, Stop, is_hopeless, is_unknown_outcome

if TYPE_CHECKING:
    from ._client import AsyncRevox
    from ._endpoint import Async, Request
    from ._resources.assistants import Assistants
    from ._resources.calls import Calls

__all__ = [
    "CALL_KEY_FIELD",
    "BatchAbortedError",
    "BatchItem",
    "BatchResult",
    "BatchRun",
    "BatchStream",
    "CreateManyParams",
    "OnProgress",
    "RowKind",
    "Sleep",
    "create_many",
]

CreateManyParams: TypeAlias = Mapping[str, Any] | Assistant
"""One item of ``create_many``'s input: create keyword arguments, or an Assistant to copy."""

ItemStatus: TypeAlias = Literal["created", "failed", "not_sent"]
Kind: TypeAlias = Literal["assistants", "calls"]


CALL_KEY_FIELD: Final = "revox_async_key"
"""The ``metadata`` key ``calls.create_many`` puts each call's row key in.

Its value is the row's idempotency key; the check before re-sending searches
the calls to that phone number for it. A row whose own ``metadata`` already
has this key is refused (nothing of the caller's is overwritten)."""


@attrs.frozen(kw_only=True)
class BatchItem:
    """The outcome of one input row, at its input position (``index``, from 0).

    ``status`` is ``"created"``, ``"failed"`` (sent, or invalid, and not
    created) or ``"not_sent"`` (the batch stopped before sending it).
    ``created`` is what the row made (an `Assistant`, or a `Call` in a calls
    batch: see ``kind``) and ``created_id`` its id. The two names are the same
    for every kind of batch, so code that reads items (a progress bar, a report)
    needs no branch per resource; ``result.assistants`` and ``result.calls`` are
    the typed lists. ``assistant``, ``assistant_id``, ``call`` and ``call_id``
    are their deprecated names (a ``DeprecationWarning``; gone in the next release).
    """

    index: int
    params: Any = attrs.field(repr=False)
    """The input as given."""
    error: Exception | None
    idempotency_key: str | None = attrs.field(repr=False)
    """The key its POSTs carried (for a call, also its ``metadata[CALL_KEY_FIELD]``)."""
    kind: Kind = attrs.field(default="assistants", repr=False)
    """What the batch creates: ``"assistants"`` or ``"calls"``."""
    created: Assistant | Call | None = attrs.field(default=None, repr=False)
    """What the row created; ``None`` for a row a journal says an earlier run created."""
    created_id: str | None = attrs.field()
    """The id of what the row created (this run or an earlier one), else ``None``."""
    status: ItemStatus = attrs.field()
    found_by_check: bool = False
    """Created by an attempt whose answer was lost, and found by the check before re-sending."""
    from_journal: bool = False
    """Created by an earlier run of the same journal; nothing was sent this time."""
    maybe_created: bool = attrs.field()
    """Not reported created, yet the server may have created it: its last attempt
    ended ambiguously and no check could settle it (the batch stopped, or the
    check itself failed). Re-running with the same journal settles it."""

    @created_id.default
    def _created_id(self) -> str | None:
        return self.created.id if self.created is not None else None

    @status.default
    def _status(self) -> ItemStatus:
        return "created" if self.created is not None or self.created_id else "failed"

    @maybe_created.default
    def _maybe_created(self) -> bool:
        return self.status != "created" and is_unknown_outcome(self.error)

    assistant = Renamed[Assistant | None]("created", "assistants")
    """Deprecated: `created` (``None`` in a calls batch)."""
    assistant_id = Renamed[str | None]("created_id", "assistants")
    """Deprecated: `created_id` (``None`` in a calls batch)."""
    call = Renamed[Call | None]("created", "calls")
    """Deprecated: `created` (``None`` in an assistants batch)."""
    call_id = Renamed[str | None]("created_id", "calls")
    """Deprecated: `created_id` (``None`` in an assistants batch)."""

    @property
    def ok(self) -> bool:
        return self.status == "created"

    @property
    def retryable(self) -> bool:
        """Whether sending this row again could succeed (not a validation error)."""
        if self.status == "not_sent":
            return True
        if self.status == "created":
            return False
        error = self.error
        if isinstance(error, APIStatusError):
            status = error.status_code
            return is_retryable_status(status) or status in (401, 403, 404)
        return isinstance(error, APIError)


@attrs.frozen(repr=False)
class BatchResult:
    """Every input's `BatchItem`, in input order.

    ``stop_error`` is the answer that stopped the batch early (a 401, say),
    ``None`` when it ran to the end.
    """

    results: list[BatchItem]
    stop_error: Exception | None = None

    @property
    def assistants(self) -> list[Assistant]:
        """The assistants created (and returned) this run, in input order."""
        return [item.created for item in self.results if isinstance(item.created, Assistant)]

    @property
    def calls(self) -> list[Call]:
        """The calls placed (and returned) this run, in input order."""
        return [item.created for item in self.results if isinstance(item.created, Call)]

    @property
    def created(self) -> list[BatchItem]:
        """The items created, this run or (``from_journal``) an earlier one."""
        return [item for item in self.results if item.status == "created"]

    @property
    def errors(self) -> list[BatchItem]:
        """The items that failed (sent or invalid, not created), in input order."""
        return [item for item in self.results if item.status == "failed"]

    @property
    def not_sent(self) -> list[BatchItem]:
        """The items the batch did not send because it stopped early."""
        return [item for item in self.results if item.status == "not_sent"]

    @property
    def stopped(self) -> str | None:
        """Why the batch stopped early, or ``None``."""
        return None if self.stop_error is None else stop_reason(self.stop_error)

    @property
    def ok(self) -> bool:
        return all(item.status == "created" for item in self.results)

    def __len__(self) -> int:
        return len(self.results)

    def __repr__(self) -> str:
        return batch_repr(self)

    def _repr_html_(self) -> str:
        """A notebook's view: the counts, then each item (failed ones first), escaped."""
        return batch_html(self)


class BatchAbortedError(RevoxError):
    """The batch stopped because the caller's code raised (the input or ``on_progress``),
    or a journal did not match the input.

    The rows in flight were allowed to finish first. ``result`` holds every
    item that finished; ``__cause__`` is the exception that stopped it.
    From ``create_many_iter`` every item was already yielded and ``result``
    is empty.
    """

    def __init__(self, message: str, *, result: BatchResult) -> None:
        super().__init__(message)
        self.result = result


OnProgress: TypeAlias = Callable[[int, int | None, BatchItem], object]
"""``on_progress(done, total, item)``; ``total`` is ``None`` for inputs of unknown length."""


def stop_reason(error: BaseException) -> str:
    """Why an answer stopped the batch, in a few words."""
    if isinstance(error, APIStatusError):
        status = error.status_code
        if status in (401, 403):
            return f"authentication failed ({status}): check the API key"
        if status == 404:
            if error.url.endswith("/call"):  # the server may mean the row's assistant_id
                return f"{error}: check the base URL, and that the assistant exists"
            return f"{error.method} {error.url} is not found (404): check the base URL"
        if error.retry_after is not None:
            return f"the server asked to wait {error.retry_after:g} s ({status})"
    return str(error)


class Pacer:
    """Shared pacing for concurrent calls: one pause for everyone; an optional rate."""

    def __init__(self, rate_limit: float | None = None, *, sleep: Sleep = asyncio.sleep) -> None:
        if rate_limit is not None and not rate_limit > 0:
            raise ValueError("rate_limit: must be a positive number of requests per second")
        self._interval = 1 / rate_limit if rate_limit else 0.0
        self._sleep = sleep
        self._resume_at = 0.0
        self._next_slot = 0.0

    def _now(self) -> float:
        return asyncio.get_running_loop().time()

    async def before_attempt(self) -> None:
        # A pause may be extended while we sleep: wait again only if it was.
        while (wait := (target := self._resume_at) - self._now()) > 0:
            await self._sleep(wait)
            if self._resume_at == target:
                break
        if self._interval:
            now = self._now()
            slot = max(now, self._next_slot)
            self._next_slot = slot + self._interval
            if slot > now:
                await self._sleep(slot - now)

    def pause(self, seconds: float) -> None:
        self._resume_at = max(self._resume_at, self._now() + seconds)


_FAQ_SERVER_FIELDS = frozenset({"id", "needs_human_answer", "source"})


def copy_params(data: Mapping[str, Any]) -> dict[str, Any]:
    """``create()`` keyword arguments that copy an assistant given as the server's JSON.

    Fields the server sets are dropped (an FAQ item's too); a ``null`` is kept
    where it means something (a nullable parameter such as
    ``voicemail_message``) and dropped where it only means "unset"; keys this
    SDK does not know go to ``extra_body``.
    """
    params: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in data.items():
        if key in SERVER_FIELDS or (value is None and key not in NULLABLE_PARAMS):
            continue
        if key == "faq_items" and isinstance(value, list):
            params[key] = [
                {k: v for k, v in item.items() if k not in _FAQ_SERVER_FIELDS}
                if isinstance(item, Mapping)
                else item
                for item in value
            ]
            continue
        (params if key in PARAM_NAMES else extra)[key] = value
    if extra:
        params["extra_body"] = extra
    return params


async def _aiter(source: Iterable[Any] | AsyncIterable[Any]) -> AsyncGenerator[Any, None]:
    if isinstance(source, AsyncIterable):
        async for item in source:
            yield item
    else:
        for item in source:
            yield item


_DONE = object()
MAX_PARKED_PER_SLOT: Final = 16
"""Rows that wait out an unknown outcome free their slot; at most this many per slot wait
at once (then a row waits in its slot: memory stays bounded by ``concurrency``)."""


class RowKind:
    """What a batch creates: how an input becomes a create's keyword arguments. The
    request itself is the resource's own ``create`` declaration. This class is the
    assistants' kind (rows of ``assistants.create`` arguments, or Assistants to copy);
    `CallRows` is the calls'."""

    kind: Kind = "assistants"
    """The journal's name for it: a journal of one kind is refused for the other."""
    noun: str = "assistant"
    checks_own_keys: bool = False
    """Whether a row that brings its own ``idempotency_key`` is looked for before its
    first POST (an earlier run may have made it: the failed rows a CLI wrote back
    carry their keys): ``calls.create`` does so with a key it is given. Only where the
    key alone identifies what was made."""

    def __init__(self, resource: Assistants[Async] | Calls[Async]) -> None:
        self.resource = resource
        self._row_of_key: dict[str, int] = {}
        """The row that brought each ``idempotency_key`` given in the input."""

    def params(self, given: object) -> dict[str, Any]:
        """The create keyword arguments of one input (``TypeError`` if it has none). An
        Assistant is copied, with the server's values as they came: not checked again,
        its odd values sent as ``extra_body``."""
        if isinstance(given, Assistant):
            params = copy_params(request_converter.unstructure(given))
            odd = {
                key: params.pop(key)
                for key in given.extra_fields
                if key in PARAM_NAMES & params.keys()
            }
            if odd:
                params["extra_body"] = {**params.get("extra_body", {}), **odd}
            return params
        if isinstance(given, Mapping):
            return dict(given)
        raise TypeError(f"expected a mapping of create params or an Assistant, got {given!r:.200}")

    def check(self, index: int, kwargs: Mapping[str, Any], key: str | None = None) -> None:
        """Refuse a row for what other rows hold (``ValueError`` naming the field): a key
        names one create, and two rows sent with it would both be made."""
        if not isinstance(key, str):
            return
        first = self._row_of_key.setdefault(key, index)
        if first != index:
            raise ValueError(
                f"invalid parameters: idempotency_key: {key!r} is already the key of row "
                f"{first + 1}; one key names one create"
            )

    def request(self, kwargs: dict[str, Any], key: str | None) -> Request[Any]:
        """The checked request of one row (``TypeError``/``ValueError`` naming the field),
        under the row's own key or the journal's, else a new one (`checks_own_keys`)."""
        if key is None and not self.checks_own_keys:
            key = new_idempotency_key()
        declared = type(self.resource).create
        return declared.declare(self.resource, idempotency_key=key, **kwargs)


class CallRows(RowKind):
    """Rows of ``calls.create`` arguments. Each call carries its row's key in
    ``metadata[CALL_KEY_FIELD]`` and a lost answer is found by it alone. The same
    number (as dialled) twice in one input is refused at its second row, unless
    ``allow_repeat_numbers``: one short string per number is kept for that."""

    checks_own_keys = True
    kind = "calls"
    noun = "call"

    def __init__(self, resource: Calls[Async], *, allow_repeat_numbers: bool = False) -> None:
        super().__init__(resource)
        self._first_row: dict[str, int] | None = None if allow_repeat_numbers else {}

    def params(self, given: object) -> dict[str, Any]:
        if isinstance(given, Mapping):
            return dict(given)
        raise TypeError(f"expected a mapping of calls.create params, got {given!r:.200}")

    def check(self, index: int, kwargs: Mapping[str, Any], key: str | None = None) -> None:
        super().check(index, kwargs, key)
        if self._first_row is None:
            return
        from ._resources.calls import dialled

        number = dialled(kwargs.get("phone_number"))
        if not isinstance(number, str) or not number.strip("+"):
            return  # the create's own check names what is wrong with it
        first = self._first_row.setdefault(number.lstrip("+"), index)  # Excel drops the +
        if first != index:
            raise ValueError(
                f"invalid parameters: phone_number: {number} is already called by row "
                f"{first + 1}; pass allow_repeat_numbers=True (the CLI: "
                "--allow-repeat-numbers) to call a number more than once"
            )


@attrs.define
class _RowHooks(Hooks):
    """A row's part in the engine's loop: shared pacing (one pause for every row when
    the server asks with ``Retry-After`` or a 429), the journal's ``sent`` record before
    each attempt, stopping, and its slot, freed while it waits out an unknown outcome."""

    _run: BatchRun
    _index: int
    _key: str
    _fp: str
    sent: bool
    """Whether the journal says this row was sent (by this run or an earlier one)."""

    async def pace(self) -> None:
        run = self._run
        if run.stopping:
            raise Stop
        await run._pacer.before_attempt()
        if run.stopping:
            raise Stop

    def sending(self) -> None:
        run = self._run
        if run._journal is not None:
            run._journal.sent(self._index, self._key, self._fp, run._by)  # unknown until answered
        self.sent = True

    async def back_off(self, delay: float, *, pause_all: bool, sleep: Sleep) -> None:
        if pause_all:
            self._run._pacer.pause(delay)  # every row waits (in pace)
        else:
            await self._run._wait(delay)

    def pause_others(self, delay: float) -> None:
        self._run._pacer.pause(delay)

    async def wait_outcome(self, seconds: float, sleep: Sleep) -> None:
        run = self._run
        async with run._parked:
            run._slots.release()
            try:
                await run._wait(seconds)
            finally:
                await run._slots.acquire()
        if run.stopping:
            raise Stop


class BatchRun:
    """One batch: its rows, each sent by the client's engine, with shared pacing, a
    concurrency limit and a journal (opened by ``items()`` when given as a path)."""

    def __init__(
        self,
        rows: RowKind,
        params: Iterable[Any] | AsyncIterable[Any],
        *,
        concurrency: int = 8,
        rate_limit: float | None = None,
        journal: str | Path | Journal | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise ValueError("concurrency: must be a whole number >= 1")
        self._concurrency = concurrency
        self._pacer = Pacer(rate_limit, sleep=sleep)
        self._sleep = sleep
        self._client = cast("AsyncRevox", rows.resource._client)  # operations run in async mode
        self._by = key_digest(self._client._api_key)
        """Which API key this run sends with, as the journal records it."""
        self._journal_given = journal
        self._journal: Journal | None = None
        self.rows = rows
        """What this batch creates (assistants or calls)."""
        self._source = _aiter(params)
        self._slots = asyncio.Semaphore(self._concurrency)
        self._parked = asyncio.Semaphore(self._concurrency * MAX_PARKED_PER_SLOT)
        self._stopped = asyncio.Event()
        self.stop_error: Exception | None = None
        self.abort_error: BaseException | None = None
        self.interrupted = False

    @property
    def stopping(self) -> bool:
        return self.stop_error is not None or self.interrupted

    def stop(self) -> None:
        """Start no new row; rows in flight finish (or are cancelled by the caller). A row
        waiting out an unknown outcome stops waiting: it is reported ``maybe_created``
        (its journal entry stays "sent")."""
        self.interrupted = True
        self._stopped.set()

    def abort(self, error: BaseException) -> None:
        """Stop as `stop` does, because of ``error`` (raised by the caller's code)."""
        if self.abort_error is None:
            self.abort_error = error
        self.stop()

    def _stop(self, error: Exception) -> None:
        if self.stop_error is None:
            self.stop_error = error
        self._stopped.set()

    async def _wait(self, seconds: float) -> None:
        """``sleep(seconds)``, cut short by a stop."""
        if self.stopping:
            return
        sleeper = asyncio.ensure_future(self._sleep(seconds))
        stopper = asyncio.ensure_future(self._stopped.wait())
        try:
            await asyncio.wait((sleeper, stopper), return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeper.cancel()
            stopper.cancel()

    async def items(self) -> AsyncGenerator[BatchItem, None]:
        """Each row's item as it finishes; then, if the caller's code raised,
        `BatchAbortedError` (its ``result`` empty: every item was yielded)."""
        with _opened(self._journal_given, self.rows) as self._journal:
            queue: asyncio.Queue[object] = asyncio.Queue(maxsize=self._concurrency)
            feeder = asyncio.create_task(self._feed(queue))
            try:
                while (got := await queue.get()) is not _DONE:
                    assert isinstance(got, BatchItem)
                    yield got
            finally:
                feeder.cancel()
                await asyncio.gather(feeder, return_exceptions=True)
                await self._source.aclose()
        if self.abort_error is not None:
            result = BatchResult([], self.stop_error)
            raise _aborted(self.abort_error, result) from self.abort_error

    async def _feed(self, queue: asyncio.Queue[object]) -> None:
        """Start a row whenever a slot is free, until the input ends or the batch stops."""
        rows: set[asyncio.Task[None]] = set()
        index = 0
        try:
            while True:
                await self._slots.acquire()
                try:
                    given = _DONE if self.interrupted else await anext(self._source, _DONE)
                except Exception as exc:  # the caller's input failed: stop the batch
                    self.abort(exc)
                    given = _DONE
                if given is _DONE:  # the input ended or the batch stopped: the rest are not sent
                    self._slots.release()
                    break
                task = asyncio.create_task(self._run_row(index, given, queue))
                rows.add(task)
                task.add_done_callback(rows.discard)
                index += 1
                await asyncio.sleep(0)  # the row starts (and sends) before the next is read
            while rows:  # every row started runs to its end (or is cancelled below)
                started = list(rows)
                await asyncio.gather(*started, return_exceptions=True)
                rows.difference_update(started)  # gather of done tasks may not yield
        finally:
            for task in rows:
                task.cancel()
            await asyncio.gather(*rows, return_exceptions=True)
            await queue.put(_DONE)

    async def _run_row(self, index: int, given: Any, queue: asyncio.Queue[object]) -> None:
        try:
            item = await self._row(index, given)
            await queue.put(item)
        except Exception as exc:  # a journal mismatch, or a bug: stop, never hang
            self.abort(exc)
        finally:
            self._slots.release()

    async def _row(self, index: int, given: Any) -> BatchItem:
        result = functools.partial(BatchItem, index=index, params=given, kind=self.rows.kind)
        key: str | None = None
        try:
            kwargs = self.rows.params(given)
            key = own = kwargs.pop("idempotency_key", None)
            extra = kwargs.get("extra_body")
            fp = fingerprint([{k: v for k, v in kwargs.items() if k != "extra_body"}, extra, key])
            entry = self._recorded(index, fp)
            if entry is not None:
                key = entry.key
            request = self.rows.request(kwargs, key or None)
            self.rows.check(index, kwargs, own)
        except JournalMismatchError:
            raise
        except (TypeError, ValueError) as exc:  # refused before sending: no key of ours
            return result(error=exc, idempotency_key=key)
        sent_at, wait_first = self._resume(entry)
        result = functools.partial(result, idempotency_key=request.idempotency_key or "")
        settled = self._from_journal(index, entry, request)
        if settled is not None:
            return result(**settled)
        journal = self._journal
        hooks = _RowHooks(self, index, request.idempotency_key or "", fp, sent=entry is not None)
        try:
            response = await self._client._send(
                request, hooks=hooks, sent_at=sent_at, wait_first=wait_first
            )
            created = self._client._decode(request, response)
        except Stop:
            return result(error=None, status="not_sent", maybe_created=sent_at is not None)
        except OutcomeUnknownError as exc:
            error = exc.error or exc.lookup_error or exc
            if exc.lookup_error is not None and is_hopeless(exc.lookup_error):
                self._stop(exc.lookup_error)
            error.add_note(f"The server may have created this {self.rows.noun}; {self._how()}.")
            return result(error=error, maybe_created=True)
        except APIError as exc:
            made = isinstance(exc, APIResponseValidationError)  # a 2xx, its answer unreadable
            if made:
                exc.add_note(f"The server made this {self.rows.noun}; {self._how()}.")
            elif is_hopeless(exc):
                self._stop(exc)
            item = result(error=exc, maybe_created=made)
            if journal is not None and hooks.sent and not made:  # a made row stays "sent"
                journal.failed(index, retryable=item.retryable)
            return item
        if journal is not None:
            journal.created(index, created.id)
        return result(error=None, created=created, found_by_check=response.found)

    def _recorded(self, index: int, fp: str) -> JournalEntry | None:
        """What the journal knows of row ``index`` (refused if the row is not the same)."""
        journal = self._journal
        entry = journal.entries.get(index) if journal is not None else None
        if journal is not None and entry is not None and entry.fingerprint != fp:
            raise JournalMismatchError(
                f"row {index + 1} of the input is not the row {index + 1} recorded in "
                f"{journal.path}: the input changed since that run. Restore it, or use a "
                "new journal."
            )
        return entry

    def _resume(self, entry: JournalEntry | None) -> tuple[datetime | None, float | None]:
        """Where an earlier run leaves a row: how far back to look for what it made
        before sending (``None``: do not look, unless the request's lookup looks first),
        and how long to wait first: what remains of ``timeout + outcome_window`` by the
        shortest count of the time since it was sent (never below 0: a clock set back
        since then would wait past the deadline); none for a row a clear answer failed."""
        if entry is not None and entry.state == "failed":
            return None, 0.0  # a clear answer ended it: no attempt of it is under way
        if entry is not None and entry.state == "sent":
            client = self._client
            window = client.timeout + client.outcome_window
            if (age := ages(entry)) is not None:  # wait by the shortest, look back by the longest
                return datetime.now(UTC) - timedelta(seconds=age[1]), window - max(0.0, age[0])
            # A journal of the previous version has no time: wait it all out once,
            # and look as far back as its start.
            assert self._journal is not None
            return self._journal.started_at, window
        return None, None

    def _from_journal(
        self, index: int, entry: JournalEntry | None, request: Request[Any]
    ) -> dict[str, Any] | None:
        """A row's item when the journal says all there is: made by an earlier run; or
        sent by one with another API key, outcome unknown (this key may see another
        account, where looking would find nothing and send it again: it is left)."""
        if entry is None:
            return None
        if entry.state == "created":
            return {"error": None, "from_journal": True, "created_id": entry.created_id}
        if entry.state != "sent" or entry.sent_by in (None, self._by):
            return None
        error = OutcomeUnknownError(
            f"row {index + 1} was sent by an earlier run with another API key, and its "
            "outcome is unknown: this key may see another account, where looking for the "
            f"{self.rows.noun} would find nothing and send it again. Re-run with the key "
            "that sent it to settle it.",
            method=request.method,
            url=request.path,
            idempotency_key=request.idempotency_key,
            error=None,
        )
        return {"error": error, "maybe_created": True}

    def _how(self) -> str:
        """How to settle a row whose outcome stayed unknown."""
        if self._journal is not None:
            return "re-run with the same journal to settle it (a re-run looks before sending)"
        if self.rows.checks_own_keys:
            return (
                "re-run this row with the same idempotency_key to settle it (a re-run "
                "looks before sending)"
            )
        return "look for it before creating it again"


class BatchStream(AsyncIterator[BatchItem]):
    """What ``create_many_iter`` returns: each `BatchItem` as it finishes (completion
    order), and the means to stop the batch and to learn why it stopped.

        stream = client.calls.create_many_iter(rows, journal="calls.journal.jsonl")
        asyncio.get_running_loop().add_signal_handler(signal.SIGINT, stream.stop)
        async with contextlib.aclosing(stream):
            async for item in stream:
                print(item.index, item.status, item.created_id)
        if stream.stopped:
            print("stopped early:", stream.stopped)

    Nothing starts before the first item is asked for (the journal is opened then).
    Leaving the loop early (``aclose``) stops the batch: the rows in flight are
    cancelled. If the input raises, every item is yielded first, then
    `BatchAbortedError` (its ``__cause__`` is the input's exception).
    """

    def __init__(
        self,
        resource: Assistants[Async] | Calls[Async],
        params: Iterable[Any] | AsyncIterable[Any],
        *,
        concurrency: int = 8,
        rate_limit: float | None = None,
        journal: str | Path | Journal | None = None,
        sleep: Sleep = asyncio.sleep,
        allow_repeat_numbers: bool = False,
    ) -> None:
        if resource._client._blocking:
            raise TypeError("create_many_iter streams for AsyncRevox; use create_many")
        from ._resources.calls import Calls

        rows = (
            CallRows(resource, allow_repeat_numbers=allow_repeat_numbers)
            if isinstance(resource, Calls)
            else RowKind(resource)
        )
        # The generator holds the run, not the stream: a stream left early is then
        # dropped at once, and its rows cancelled, as an async generator's would be.
        self._run = BatchRun(
            rows,
            params,
            concurrency=concurrency,
            rate_limit=rate_limit,
            journal=journal,
            sleep=sleep,
        )
        self._items = self._run.items()

    def __aiter__(self) -> BatchStream:
        return self

    async def __anext__(self) -> BatchItem:
        return await anext(self._items)

    async def aclose(self) -> None:
        """Stop the batch: rows in flight are cancelled, the journal is closed."""
        await self._items.aclose()

    def stop(self) -> None:
        """Start no new row; the rows in flight finish and are yielded (the CLI's Ctrl-C).
        A row waiting out an unknown outcome stops waiting: it is ``maybe_created``."""
        self._run.stop()

    @property
    def stop_error(self) -> Exception | None:
        """The answer that stopped the batch early (a 401, say), else ``None``."""
        return self._run.stop_error

    @property
    def stopped(self) -> str | None:
        """Why an answer stopped the batch early, in a few words, or ``None``."""
        return None if self.stop_error is None else stop_reason(self.stop_error)


async def create_many(
    resource: Assistants[Async] | Calls[Async],
    params: Iterable[CreateManyParams] | AsyncIterable[CreateManyParams],
    *,
    on_progress: OnProgress | None = None,
    **options: Any,
) -> BatchResult:
    """Every row's `BatchItem`, in input order: a `BatchStream` read to its end
    (``options`` are its own)."""
    total = len(params) if isinstance(params, Sized) else None
    stream = BatchStream(resource, params, **options)
    results: list[BatchItem] = []
    try:
        async with contextlib.aclosing(stream):
            async for item in stream:
                results.append(item)
                if on_progress is not None and stream._run.abort_error is None:
                    try:
                        on_progress(len(results), total, item)
                    except Exception as exc:  # the caller's callback: stop the batch
                        stream._run.abort(exc)
    except BatchAbortedError as exc:
        cause = exc.__cause__
        assert cause is not None
        raise _aborted(cause, _sorted(results, stream.stop_error)) from cause
    return _sorted(results, stream.stop_error)


def _sorted(results: list[BatchItem], stop_error: Exception | None) -> BatchResult:
    return BatchResult(sorted(results, key=lambda item: item.index), stop_error)


def _aborted(error: BaseException, result: BatchResult) -> BatchAbortedError:
    what = str(error) if isinstance(error, JournalMismatchError | OSError) else repr(error)
    return BatchAbortedError(
        f"create_many stopped: {what}; {len(result)} row(s) finished (see .result)",
        result=result,
    )


@contextlib.contextmanager
def _opened(journal: str | Path | Journal | None, rows: RowKind) -> Iterator[Journal | None]:
    """The batch's journal, opened (and closed) here when given as a path."""
    if journal is None or isinstance(journal, Journal):
        if journal is not None:
            journal.require(rows.kind)
        yield journal
        return
    opened = Journal.open(Path(journal), base_url=rows.resource._client.base_url, kind=rows.kind)
    with contextlib.closing(opened):
        yield opened
