"""Concurrent batch creation: ``create_many`` and ``create_many_iter``.

One engine serves two resources: ``assistants.create_many`` creates
assistants, ``calls.create_many`` places calls. What differs (the body, the
path, how a lost answer is looked for) lives in a `RowKind`:
`AssistantRows` lists the assistants and matches what was sent;
`CallRows` stamps each call's ``metadata`` with its row's key
(`CALL_KEY_FIELD`) and searches that phone number's calls for it.

Workers (``concurrency`` of them) pull rows from the input one at a time, so
a 100,000-row generator never means 100,000 coroutines, and the streaming
form holds O(concurrency) rows.

The retries of a row belong to the batch, not to the client: each POST is a
single attempt (``max_retries=0``), and the batch decides, with the pure
`decide`, what an answer means:

* the outcome is unknown (5xx, 408, 409, a timeout, a dropped connection):
  check the server before sending again (`_reconcile`), so nothing is
  created twice even by a server that ignores ``Idempotency-Key``;
* the answer will not get better (401, 403, 404 on the collection, a
  ``Retry-After`` beyond `MAX_RETRY_AFTER`): stop the batch: start no
  new row, report the rest as not sent;
* a ``Retry-After`` within the cap: pause every worker, once;
* anything else retryable: back off and send again, with the same key.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections import Counter
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
    Mapping,
    Sized,
)
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias, cast

import attrs

from ._converter import build_body, decode_model, request_converter, response_converter, to_dict
from ._core import (
    MAX_RETRY_AFTER,
    backoff_delay,
    is_retryable_status,
    new_idempotency_key,
)
from ._endpoint import Request
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIStatusError,
    RevoxError,
)
from ._journal import Journal, JournalEntry, JournalMismatchError, fingerprint
from ._models import Assistant, Call
from ._models.assistants import NULLABLE_PARAMS, PARAM_NAMES, SERVER_FIELDS
from ._reconcile import Reconciler, created_since, is_unknown_outcome_status, still_working

if TYPE_CHECKING:
    from ._client import AsyncRevox
    from ._endpoint import Async
    from ._resources import Assistants, Calls

__all__ = [
    "CALL_KEY_FIELD",
    "AssistantRows",
    "BatchAbortedError",
    "BatchItem",
    "BatchResult",
    "BatchRun",
    "CallRows",
    "CreateManyParams",
    "OnProgress",
    "Pacer",
    "RowKind",
    "Sleep",
    "create_many",
    "create_many_iter",
    "decide",
]

CreateManyParams: TypeAlias = Mapping[str, Any] | Assistant
"""One item of ``create_many``'s input: create keyword arguments, or an Assistant to copy."""

ItemStatus: TypeAlias = Literal["created", "failed", "not_sent"]
Sleep: TypeAlias = Callable[[float], Awaitable[None]]


CALL_KEY_FIELD: Final = "revox_async_key"
"""The ``metadata`` key ``calls.create_many`` puts each call's row key in.

Its value is the row's idempotency key; the check before re-sending searches
the calls to that phone number for it. A row whose own ``metadata`` already
has this key is refused (nothing of the caller's is overwritten)."""


def _default_status(item: BatchItem) -> ItemStatus:
    made = item.assistant is not None or item.call is not None
    return "created" if made or item.assistant_id or item.call_id else "failed"


def _unknown_outcome(error: BaseException | None) -> bool:
    if isinstance(error, APIConnectionError):
        return error.request_sent
    return isinstance(error, APIStatusError) and is_unknown_outcome_status(error.status_code)


def _default_maybe_created(item: BatchItem) -> bool:
    return item.status != "created" and _unknown_outcome(item.error)


def _default_assistant_id(item: BatchItem) -> str | None:
    return item.assistant.id if item.assistant is not None else None


def _default_call_id(item: BatchItem) -> str | None:
    return item.call.id if item.call is not None else None


@attrs.frozen(kw_only=True)
class BatchItem:
    """The outcome of one input row, at its input position (``index``, from 0).

    ``status`` is ``"created"``, ``"failed"`` (sent, or invalid, and not
    created) or ``"not_sent"`` (the batch stopped before sending it).
    An assistants batch fills ``assistant``/``assistant_id``, a calls batch
    ``call``/``call_id``; ``created_id`` reads either.
    """

    index: int
    params: Any = attrs.field(repr=False)
    """The input as given."""
    assistant: Assistant | None = attrs.field(default=None, repr=False)
    """The assistant created; ``None`` for a row a journal says an earlier run created."""
    error: Exception | None
    idempotency_key: str | None = attrs.field(repr=False)
    """The key its POSTs carried (for a call, also its ``metadata[CALL_KEY_FIELD]``)."""
    call: Call | None = attrs.field(default=None, repr=False)
    """The call placed; ``None`` for a row a journal says an earlier run placed."""
    assistant_id: str | None = attrs.field(
        default=attrs.Factory(_default_assistant_id, takes_self=True)
    )
    call_id: str | None = attrs.field(default=attrs.Factory(_default_call_id, takes_self=True))
    status: ItemStatus = attrs.field(default=attrs.Factory(_default_status, takes_self=True))
    found_by_check: bool = False
    """Created by an attempt whose answer was lost, and found by the check before re-sending."""
    from_journal: bool = False
    """Created by an earlier run of the same journal; nothing was sent this time."""
    maybe_created: bool = attrs.field(
        default=attrs.Factory(_default_maybe_created, takes_self=True)
    )
    """Not reported created, yet the server may have created it: its last attempt
    ended ambiguously and no check could settle it (the batch stopped, or the
    check itself failed). Re-running with the same journal settles it."""

    @property
    def ok(self) -> bool:
        return self.status == "created"

    @property
    def created_id(self) -> str | None:
        """The id of what the row created (an assistant's or a call's), else ``None``."""
        return self.assistant_id or self.call_id

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
        return [item.assistant for item in self.results if item.assistant is not None]

    @property
    def calls(self) -> list[Call]:
        """The calls placed (and returned) this run, in input order."""
        return [item.call for item in self.results if item.call is not None]

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
        counts = Counter(item.status for item in self.results)
        stopped = f", stopped={self.stopped!r}" if self.stop_error is not None else ""
        return (
            f"BatchResult(created={counts['created']}, failed={counts['failed']}, "
            f"not_sent={counts['not_sent']}{stopped})"
        )


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

    def __init__(
        self,
        rate_limit: float | None = None,
        *,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] | None = None,
    ) -> None:
        if rate_limit is not None and not rate_limit > 0:
            raise ValueError("rate_limit: must be a positive number of requests per second")
        self._interval = 1 / rate_limit if rate_limit else 0.0
        self._sleep = sleep
        self._clock = clock
        self._resume_at = 0.0
        self._next_slot = 0.0

    def _now(self) -> float:
        return self._clock() if self._clock else asyncio.get_running_loop().time()

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


@attrs.frozen(kw_only=True)
class Step:
    """What to do after a failed attempt (see `decide`)."""

    action: Literal["retry", "fail", "stop"]
    delay: float = 0.0
    pause_all: bool = False
    """Pause every worker for ``delay`` (the server asked, with Retry-After or 429)."""
    check_first: bool = False
    """The attempt may have created the assistant: check before anything else."""


def decide(  # noqa: PLR0911 - one return per outcome reads best
    error: Exception, retries_done: int, max_retries: int, rand: float | None = None
) -> Step:
    """What a row does after an attempt raised ``error``: a pure decision.

    >>> decide(APIConnectionError("reset", method="POST", url="u"), 0, 2, rand=0).action
    'retry'
    """
    unknown = _unknown_outcome(error)
    if isinstance(error, APIStatusError):
        status, retry_after = error.status_code, error.retry_after
        if status in (401, 403, 404):
            return Step(action="stop")
        if retry_after is not None and retry_after > MAX_RETRY_AFTER:
            return Step(action="stop", check_first=unknown)
        if not is_retryable_status(status):
            return Step(action="fail")
        if retries_done >= max_retries:
            return Step(action="fail", check_first=unknown)
        if retry_after is not None or status == 429:
            delay = backoff_delay(retries_done, rand) if retry_after is None else retry_after
            return Step(action="retry", delay=delay, pause_all=True, check_first=unknown)
        return Step(action="retry", delay=backoff_delay(retries_done, rand), check_first=unknown)
    if isinstance(error, APIConnectionError):
        if retries_done >= max_retries:
            return Step(action="fail", check_first=unknown)
        return Step(action="retry", delay=backoff_delay(retries_done, rand), check_first=unknown)
    return Step(action="fail")


_decode_created = decode_model(Assistant, "assistant")
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


def create_params(item: object) -> dict[str, Any]:
    """``create()`` keyword arguments for one input (an Assistant is copied, with the
    server's values as they came: not checked again, its odd values sent as ``extra_body``)."""
    if isinstance(item, Assistant):
        params = copy_params(request_converter.unstructure(item))
        odd = {
            key: params.pop(key) for key in item.extra_fields if key in PARAM_NAMES & params.keys()
        }
        if odd:
            params["extra_body"] = {**params.get("extra_body", {}), **odd}
        return params
    if isinstance(item, Mapping):
        return dict(item)
    raise TypeError(f"expected a mapping of create params or an Assistant, got {item!r:.200}")


async def _aiter(source: Iterable[Any] | AsyncIterable[Any]) -> AsyncGenerator[Any, None]:
    if isinstance(source, AsyncIterable):
        async for item in source:
            yield item
    else:
        for item in source:
            yield item


def _structure(data: Mapping[str, Any]) -> Assistant:
    result: Assistant = response_converter.structure(data, Assistant)
    return result


def _check_concurrency(concurrency: int) -> int:
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValueError("concurrency: must be a whole number >= 1")
    return concurrency


_DONE = object()
_decode_call = decode_model(Call, "call")
CHECK_PAGES: Final = 10
"""How many pages (of 100) of a phone number's calls a check reads at most."""


class RowKind:
    """What a batch creates: how a row becomes a body, where it goes, how a lost
    answer is looked for. `AssistantRows` and `CallRows` are the two kinds."""

    kind: str = "assistants"
    """The journal's name for it: a journal of one kind is refused for the other."""
    noun: str = "assistant"
    checks_own_keys: bool = False
    """Whether a row that brings its own ``idempotency_key`` is looked for before its
    first POST (an earlier run may have made it: the failed rows a CLI wrote back
    carry their keys). Only where the key alone identifies what was made."""

    def __init__(self, client: AsyncRevox) -> None:
        self._client = client

    def params(self, given: object) -> dict[str, Any]:
        """The create keyword arguments of one input (``TypeError`` if it has none)."""
        raise NotImplementedError

    def body(self, kwargs: dict[str, Any], extra: Any) -> dict[str, Any]:
        """The checked body (``TypeError``/``ValueError`` naming the field)."""
        raise NotImplementedError

    def keyed(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        """The body to send for a row whose key is ``key``."""
        return body

    def request(self, body: dict[str, Any], key: str) -> Request[Any]:
        raise NotImplementedError

    def made(self, created: Any) -> dict[str, Any]:
        """`BatchItem` fields for what a row created (the object itself)."""
        raise NotImplementedError

    def made_earlier(self, created_id: str | None) -> dict[str, Any]:
        """`BatchItem` fields for what an earlier run created (its id only)."""
        raise NotImplementedError

    def claim(self, body: dict[str, Any], created_id: str) -> None:
        """Mark ``created_id`` as a row's own: no check returns it for another row
        (nothing to do where a row's key alone identifies what it made)."""

    async def find(self, body: dict[str, Any]) -> Any | None:
        """What an attempt of ``body`` whose answer was lost created, or ``None``."""
        raise NotImplementedError


class AssistantRows(RowKind):
    """Rows of ``assistants.create`` arguments (or Assistants to copy); a lost answer
    is looked for in one listing of the assistants, shared by every waiting row,
    matched on the fields sent."""

    def __init__(
        self,
        client: AsyncRevox,
        lister: Assistants[Async],
        *,
        since: datetime,
        claimed: Iterable[str],
    ) -> None:
        super().__init__(client)
        self._lister = lister
        self._params = lister.PARAMS
        self._listed: dict[str, Assistant] = {}
        self.reconciler = Reconciler(self._list_raw, since=since, claimed=claimed)

    async def _list_raw(self) -> list[dict[str, Any]]:
        cutoff = self.reconciler.cutoff  # only recent ones can match: convert only those
        listed = [
            a
            for a in await self._lister.list()
            if cutoff is None or created_since(a.created_at, cutoff)
        ]
        self._listed = {a.id: a for a in listed}
        return [to_dict(a) for a in listed]

    def params(self, given: object) -> dict[str, Any]:
        return create_params(given)

    def body(self, kwargs: dict[str, Any], extra: Any) -> dict[str, Any]:
        return build_body(
            kwargs,
            self._params,
            required=("name", "prompt"),
            nullable=NULLABLE_PARAMS,
            extra_body=extra,
        )

    def request(self, body: dict[str, Any], key: str) -> Request[Any]:
        return Request("POST", "/assistants", _decode_created, body, key)

    def made(self, created: Any) -> dict[str, Any]:
        return {"assistant": created}

    def made_earlier(self, created_id: str | None) -> dict[str, Any]:
        return {"assistant_id": created_id}

    def claim(self, body: dict[str, Any], created_id: str) -> None:
        self.reconciler.claim(created_id)

    async def find(self, body: dict[str, Any]) -> Any | None:
        found = await self.reconciler.find(body)
        if found is None:
            return None
        return self._listed.get(found["id"]) or _structure(found)


class CallRows(RowKind):
    """Rows of ``calls.create`` arguments. Each call carries its row's key in
    ``metadata[CALL_KEY_FIELD]``; a lost answer is looked for among the calls to
    that phone number (one search, newest first, shared by the rows of that number
    waiting at the time), by that key alone: no time cut-off (a server clock
    behind ours, or a timestamp without a zone, cannot hide it), and no claims
    to keep (a key belongs to one row)."""

    checks_own_keys = True

    kind = "calls"
    noun = "call"

    def __init__(self, client: AsyncRevox) -> None:
        super().__init__(client)
        self._by_phone: dict[str, Reconciler] = {}

    def params(self, given: object) -> dict[str, Any]:
        if isinstance(given, Mapping):
            return dict(given)
        raise TypeError(f"expected a mapping of calls.create params, got {given!r:.200}")

    def body(self, kwargs: dict[str, Any], extra: Any) -> dict[str, Any]:
        from ._resources.calls import call_body

        body = call_body(kwargs, extra)
        metadata = body.get("metadata", {})  # extra_body may have set it too
        if not isinstance(metadata, Mapping):
            raise TypeError("invalid parameters: metadata: expected an object of strings")
        if CALL_KEY_FIELD in metadata:
            raise ValueError(
                f"invalid parameters: metadata.{CALL_KEY_FIELD}: reserved by create_many for "
                "the row's key (it finds a call whose answer was lost); rename that key"
            )
        return body

    def keyed(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        return {**body, "metadata": {**body.get("metadata", {}), CALL_KEY_FIELD: key}}

    def request(self, body: dict[str, Any], key: str) -> Request[Any]:
        return Request("POST", "/call", _decode_call, body, key)

    def made(self, created: Any) -> dict[str, Any]:
        return {"call": created}

    def made_earlier(self, created_id: str | None) -> dict[str, Any]:
        return {"call_id": created_id}

    def _reconciler(self, phone: str) -> Reconciler:
        reconciler = self._by_phone.get(phone)
        if reconciler is None:
            from ._resources.calls import recent_calls

            async def list_raw() -> list[dict[str, Any]]:
                return await recent_calls(self._client, phone, pages=CHECK_PAGES)

            reconciler = Reconciler(list_raw, since=None)
            self._by_phone[phone] = reconciler
        return reconciler

    async def find(self, body: dict[str, Any]) -> Any | None:
        sent = {"metadata": {CALL_KEY_FIELD: body["metadata"][CALL_KEY_FIELD]}}
        found = await self._reconciler(body["phone_number"]).find(sent)
        if found is None:
            return None
        call: Call = response_converter.structure(found["call"], Call)
        return call


def _row_kind(
    resource: Assistants[Async] | Calls[Async], *, since: datetime, claimed: Iterable[str]
) -> RowKind:
    from ._resources.calls import Calls

    client = cast("AsyncRevox", resource._client)  # operations run in async mode
    if isinstance(resource, Calls):
        return CallRows(client)  # found by key: no cut-off, no claims (flat memory)
    return AssistantRows(client, resource, since=since, claimed=claimed)


class BatchRun:
    """One batch: its workers, shared pacing, checks and journal.

    ``items()`` yields each `BatchItem` as it finishes (completion
    order); ``stop()`` asks it to start no new row and let those in flight
    finish (what the CLI does on Ctrl-C).
    """

    def __init__(
        self,
        resource: Assistants[Async] | Calls[Async],
        params: Iterable[Any] | AsyncIterable[Any],
        *,
        concurrency: int = 8,
        rate_limit: float | None = None,
        journal: Journal | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._concurrency = _check_concurrency(concurrency)
        self._pacer = Pacer(rate_limit, sleep=sleep)
        self._sleep = sleep
        client = cast("AsyncRevox", resource._client)  # operations run in async mode
        self._max_retries = client.max_retries
        self._single = client.with_options(max_retries=0)
        self._timeout = client.timeout
        self._journal = journal
        since = journal.started_at if journal is not None else datetime.now(UTC)
        recorded = journal.entries.values() if journal is not None else ()
        claimed = itertools.chain(  # never taken for a row: made before, or recorded
            client._created, (entry.assistant_id for entry in recorded if entry.assistant_id)
        )
        self._created = client._created
        self.rows: RowKind = _row_kind(resource, since=since, claimed=claimed)
        """What this batch creates (assistants or calls)."""
        if journal is not None and journal.kind != self.rows.kind:
            raise JournalMismatchError(
                f"{journal.path} records a batch of {journal.kind}, not of {self.rows.kind}: "
                "use another journal"
            )
        self._source = _aiter(params)
        self._pull = asyncio.Lock()
        self._next_index = 0
        self._in_flight: Counter[str] = Counter()
        self._settled = asyncio.Condition()
        self.stop_error: Exception | None = None
        self.abort_error: BaseException | None = None
        self.interrupted = False
        self.requests = 0
        """POSTs sent (checks are counted by ``reconciler.listings``)."""

    @property
    def reconciler(self) -> Reconciler:
        """The check of an assistants batch (a calls batch has one per phone number)."""
        if not isinstance(self.rows, AssistantRows):
            raise AttributeError("a calls batch checks each phone number on its own")
        return self.rows.reconciler

    def stop(self) -> None:
        """Start no new row; rows in flight finish (or are cancelled by the caller)."""
        self.interrupted = True

    def abort(self, error: BaseException) -> None:
        """Stop as `stop` does, because of ``error`` (raised by the caller's code)."""
        if self.abort_error is None:
            self.abort_error = error
        self.interrupted = True

    async def items(self) -> AsyncGenerator[BatchItem, None]:
        queue: asyncio.Queue[object] = asyncio.Queue(maxsize=self._concurrency)
        workers = [asyncio.create_task(self._worker(queue)) for _ in range(self._concurrency)]
        running = len(workers)
        try:
            while running:
                got = await queue.get()
                if got is _DONE:
                    running -= 1
                    continue
                assert isinstance(got, BatchItem)
                yield got
        finally:
            for task in workers:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            await self._source.aclose()

    async def _worker(self, queue: asyncio.Queue[object]) -> None:
        try:
            while not self.interrupted:
                async with self._pull:
                    if self.interrupted:
                        break
                    try:
                        given = await anext(self._source)
                    except StopAsyncIteration:
                        break
                    except Exception as exc:  # the caller's input failed: stop the batch
                        self.abort(exc)
                        break
                    index = self._next_index
                    self._next_index += 1
                item = await self._row(index, given)
                await queue.put(item)
        except Exception as exc:  # a journal mismatch, or a bug: stop, never hang
            self.abort(exc)
        await queue.put(_DONE)

    async def _row(self, index: int, given: Any) -> BatchItem:
        def result(**fields: Any) -> BatchItem:
            return BatchItem(index=index, params=given, **fields)

        key: str | None = None
        try:
            kwargs = self.rows.params(given)
            key = kwargs.pop("idempotency_key", None)
            extra = kwargs.pop("extra_body", None)
            body = self.rows.body(kwargs, extra)
        except (TypeError, ValueError) as exc:
            return result(error=exc, idempotency_key=key)
        fp = fingerprint([kwargs, extra, key])
        entry = self._journal.entries.get(index) if self._journal is not None else None
        unknown = False
        if entry is not None:
            if entry.fingerprint != fp:
                raise JournalMismatchError(
                    f"row {index + 1} of the input is not the row {index + 1} recorded in "
                    f"{self._journal.path if self._journal else 'the journal'}: the input "
                    "changed since that run. Restore it, or use a new journal."
                )
            key = entry.key
            if entry.state == "created":
                return result(
                    error=None,
                    idempotency_key=key,
                    from_journal=True,
                    **self.rows.made_earlier(entry.assistant_id),
                )
            unknown = entry.state == "sent"
        if key is None:
            key = new_idempotency_key()
        elif entry is None and self.rows.checks_own_keys:
            unknown = True  # a key from an earlier run: look before sending
        body = self.rows.keyed(body, key)
        return await self._attempts(index, given, body, key, fp, entry, unknown)

    async def _attempts(  # noqa: PLR0911
        self,
        index: int,
        given: Any,
        body: dict[str, Any],
        key: str,
        fp: str,
        entry: JournalEntry | None,
        unknown: bool,
    ) -> BatchItem:
        journal = self._journal
        retries = 0
        last_error: Exception | None = None
        on_disk = entry.state if entry is not None else None

        def result(**fields: Any) -> BatchItem:
            return BatchItem(index=index, params=given, idempotency_key=key, **fields)

        def fail(error: Exception, *, maybe: bool = False) -> BatchItem:
            item = result(error=error, maybe_created=maybe)
            if journal is not None and not maybe and on_disk is not None:
                journal.failed(index, retryable=item.retryable)
            if maybe:
                how = (
                    "re-run with the same journal to settle it"
                    if journal is not None
                    else "re-run this row with the same idempotency_key to settle it"
                    if self.rows.checks_own_keys
                    else "look for it before creating it again"
                )
                error.add_note(
                    f"The server may have created this {self.rows.noun}; {how} (a re-run "
                    "checks before sending again)."
                    if journal is not None or self.rows.checks_own_keys
                    else f"The server may have created this {self.rows.noun}; {how}."
                )
            return item

        while True:
            if self.stop_error is not None or self.interrupted:
                if last_error is None:
                    return result(error=None, status="not_sent", maybe_created=unknown)
                return fail(last_error, maybe=unknown)
            if unknown:
                await self._pacer.before_attempt()  # a listing waits out a pause too
                try:
                    found = await self._check(fp, body)
                except APIError as exc:
                    if isinstance(exc, APIStatusError) and decide(exc, 0, 0).action == "stop":
                        self._stop(exc)
                    return fail(last_error or exc, maybe=True)
                if found is not None:
                    if journal is not None:
                        journal.created(index, found.id)
                    return result(error=None, found_by_check=True, **self.rows.made(found))
                unknown = False
                if last_error is not None and retries > self._max_retries:
                    return fail(last_error)
            await self._pacer.before_attempt()
            if self.stop_error is not None or self.interrupted:
                continue
            if journal is not None and on_disk != "sent":
                journal.sent(index, key, fp)  # from here until an answer, the outcome is unknown
                on_disk = "sent"
            self._in_flight[fp] += 1
            self.requests += 1
            try:
                # The body was checked above: send it as is, not through create() again.
                created = await self._single._execute(self.rows.request(body, key))
            except (TypeError, ValueError) as exc:  # pragma: no cover - validated above
                return fail(exc)
            except APIError as exc:
                last_error = error = exc
                step = decide(exc, retries, self._max_retries)
            else:
                self.rows.claim(body, created.id)
                self._created.append(created.id)
                if journal is not None:
                    journal.created(index, created.id)
                return result(error=None, **self.rows.made(created))
            finally:
                async with self._settled:
                    self._in_flight[fp] -= 1
                    if not self._in_flight[fp]:
                        del self._in_flight[fp]  # a long batch must not keep every row's key
                    self._settled.notify_all()
            retries += 1
            unknown = step.check_first
            if unknown and still_working(error):
                # We stopped waiting (or a gateway did), the server may not have: give
                # it as long again before looking, or a create still running is missed
                # and sent twice.
                await self._sleep(self._timeout)
            if step.action == "stop":
                self._stop(error)
                return fail(error, maybe=unknown)
            if step.action == "fail":
                if unknown:
                    continue  # check once more: found means created; then fail
                return fail(error)
            if step.pause_all:
                self._pacer.pause(step.delay)
            else:
                await self._sleep(step.delay)

    async def _check(self, fp: str, body: dict[str, Any]) -> Any | None:
        # An identical row's attempt in flight may be about to claim what we would find.
        async with self._settled:
            await self._settled.wait_for(lambda: self._in_flight[fp] == 0)
        return await self.rows.find(body)

    def _stop(self, error: Exception) -> None:
        if self.stop_error is None:
            self.stop_error = error


async def create_many(
    resource: Assistants[Async] | Calls[Async],
    params: Iterable[CreateManyParams] | AsyncIterable[CreateManyParams],
    *,
    concurrency: int,
    rate_limit: float | None,
    on_progress: OnProgress | None,
    journal: str | Path | None = None,
    sleep: Sleep = asyncio.sleep,
) -> BatchResult:
    total = len(params) if isinstance(params, Sized) else None
    with _opened(journal, resource) as opened:
        run = BatchRun(
            resource,
            params,
            concurrency=concurrency,
            rate_limit=rate_limit,
            journal=opened,
            sleep=sleep,
        )
        results: list[BatchItem] = []
        async with contextlib.aclosing(run.items()) as items:
            async for item in items:
                results.append(item)
                if on_progress is not None and run.abort_error is None:
                    try:
                        on_progress(len(results), total, item)
                    except Exception as exc:  # the caller's callback: stop the batch
                        run.abort(exc)
    results.sort(key=lambda item: item.index)
    result = BatchResult(results, run.stop_error)
    if run.abort_error is not None:
        raise _aborted(run.abort_error, result) from run.abort_error
    return result


def _aborted(error: BaseException, result: BatchResult) -> BatchAbortedError:
    what = str(error) if isinstance(error, JournalMismatchError) else repr(error)
    return BatchAbortedError(
        f"create_many stopped: {what}; {len(result)} row(s) finished (see .result)",
        result=result,
    )


async def create_many_iter(
    resource: Assistants[Async] | Calls[Async],
    params: Iterable[CreateManyParams] | AsyncIterable[CreateManyParams],
    *,
    concurrency: int,
    rate_limit: float | None,
    journal: str | Path | None = None,
    sleep: Sleep = asyncio.sleep,
) -> AsyncIterator[BatchItem]:
    with _opened(journal, resource) as opened:
        run = BatchRun(
            resource,
            params,
            concurrency=concurrency,
            rate_limit=rate_limit,
            journal=opened,
            sleep=sleep,
        )
        async with contextlib.aclosing(run.items()) as items:
            async for item in items:
                yield item
    if run.abort_error is not None:
        raise _aborted(run.abort_error, BatchResult([], run.stop_error)) from run.abort_error


@contextlib.contextmanager
def _opened(
    journal: str | Path | Journal | None, resource: Assistants[Async] | Calls[Async]
) -> Iterator[Journal | None]:
    if journal is None or isinstance(journal, Journal):
        yield journal
        return
    from ._resources.calls import Calls

    kind = "calls" if isinstance(resource, Calls) else "assistants"
    opened = Journal.open(Path(journal), base_url=resource._client.base_url, kind=kind)
    try:
        yield opened
    finally:
        opened.close()
