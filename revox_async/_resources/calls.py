"""``client.calls``: place calls, follow them to the end, search and export them."""

from __future__ import annotations

import asyncio
import functools
import re
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
    Mapping,
)
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, Unpack, cast, get_type_hints, overload

from revox_async._batch import CALL_KEY_FIELD, BatchResult, BatchStream, OnProgress, create_many
from revox_async._converter import (
    build_body,
    decode_model,
    decode_success,
    response_converter,
    to_dict,
)
from revox_async._core import dumps, new_idempotency_key
from revox_async._endpoint import (
    Async,
    Raw,
    Request,
    Resource,
    Sync,
    endpoint,
    expand_keywords,
    operation,
    segment,
)
from revox_async._exceptions import APIStatusError, WaitTimeoutError
from revox_async._journal import Journal
from revox_async._logging import logger
from revox_async._models.assistants import NULLABLE_PARAMS
from revox_async._models.calls import (
    Call,
    CallCreateParams,
    CallFilterParams,
    CallPage,
    CsvExport,
    PhoneHistory,
)
from revox_async._retry import Fetch, Listed, Lookup, raw
from revox_async._types import NotGiven

from ._params import declared_types, union_members
from .assistants import PARAMS as ASSISTANT_PARAMS

if TYPE_CHECKING:
    from revox_async._client import AsyncRevox

__all__ = [
    "Calls",
    "call_body",
    "dialled",
    "keyed_call_body",
    "phone_param",
    "search_body",
    "timestamp_param",
]

_M = TypeVar("_M")
_T = TypeVar("_T")

PARAMS = declared_types(CallCreateParams, assistant=dict[str, Any], scheduled_at=str)
"""Every ``calls.create`` parameter and its type, read from `CallCreateParams` (a datetime
is turned to text first; an inline ``assistant`` is checked as an assistant's create)."""
FILTERS = declared_types(CallFilterParams, page=int, page_size=int)
_REQUIRED_LISTS = sorted(
    name
    for name, tp in get_type_hints(CallFilterParams).items()
    if NotGiven not in union_members(tp)
)
"""The filters the API requires: those `CallFilterParams` types without `NotGiven`."""
LAST_POLL = 1.0
"""Seconds ``wait``'s poll at its deadline may take: the call may just have ended."""
PAGE_SIZE = 100
"""The pages the SDK asks for on its own (the lookup before re-sending a call, ``export``'s
default): a request size of ours, not a server limit (the API states none)."""
REFUSED_PAGE = frozenset({400, 422})
"""The statuses of a server refusing the page-0 probe: its pages count from 1."""

_wrapped = decode_model(Call, "call")
_page = decode_model(CallPage, expect={"calls": list})
_export = decode_model(CsvExport, expect={"csv": str})


def _phone_history(data: Any) -> dict[str, PhoneHistory]:
    """``{"phone_history": {number: {...}}}`` as ``{number: PhoneHistory}``."""
    from revox_async._converter import InvalidResponse

    found = data.get("phone_history") if isinstance(data, Mapping) else None
    if not isinstance(found, Mapping):
        raise InvalidResponse("no 'phone_history' object")
    one = response_converter.get_structure_hook(PhoneHistory)
    return {
        str(number): one(entry, PhoneHistory)
        for number, entry in found.items()
        if isinstance(entry, Mapping)
    }


def timestamp_param(name: str, value: Any) -> Any:
    """A ``datetime`` as ISO 8601 text; text must be ISO 8601 (sent as given). Without a
    timezone either is ambiguous (the server would guess the zone): refused."""
    if isinstance(value, str):
        try:
            zone = datetime.fromisoformat(value).tzinfo
        except ValueError:
            raise ValueError(
                f"{name}: {value!r} is not ISO 8601 (2026-05-01T09:30+02:00)"
            ) from None
        if zone is None:
            raise ValueError(f"{name}: {value!r} has no timezone (add Z or +02:00)")
        return value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"{name}: a naive datetime; give it a timezone (datetime.now(UTC))")
        return value.isoformat()
    return value


_FLOAT_TEXT = re.compile(r"[+-]?(?:\d+[.,]?\d*[eE][+-]?\d+|\d+[.,]0*)")
"""A number as a spreadsheet writes a float: ``3.36E+10``, ``33612345678.0`` (``3,36E+10``
with a decimal comma, as French or German Excel writes it)."""


def phone_param(name: str, value: Any) -> Any:
    """A phone number, sent as given for the server to judge, unless a spreadsheet made
    it a float: ``3.36E+10`` lost its last digits and ``33612345678.0`` gained a 0, and
    either would dial someone else (``ValueError`` naming the field)."""
    is_digits = not isinstance(value, str) or value.lstrip("+").isdigit()  # the usual case
    if not is_digits and _FLOAT_TEXT.fullmatch(value.strip()):
        raise ValueError(
            f"invalid parameters: {name}: {value!r} is a number a spreadsheet wrote as "
            "a float, whose digits would dial someone else: format the column as text "
            "and give the number as +33612345678"
        )
    return value


def call_body(
    params: Mapping[str, Any], extra_body: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The checked JSON body of ``POST /call`` (``TypeError``/``ValueError`` naming the field).

    ``assistant_id`` or ``assistant`` is required; both are sent when both are given, as
    the official client does (the server uses the inline assistant when the id is absent).
    """
    given = dict(params)
    if "scheduled_at" in given:
        given["scheduled_at"] = timestamp_param("scheduled_at", given["scheduled_at"])
    for name in ("phone_number", "from_phone_number"):
        phone_param(name, given.get(name))
    if _not_given(given.get("assistant_id")) and _not_given(given.get("assistant")):
        raise TypeError("invalid parameters: assistant_id or assistant: one is required")
    body = build_body(given, PARAMS, required=("phone_number",), nullable=(), extra_body=extra_body)
    if isinstance(body.get("assistant"), Mapping):
        body["assistant"] = build_body(
            body["assistant"],
            ASSISTANT_PARAMS,
            required=("prompt",),
            nullable=NULLABLE_PARAMS,
            where="assistant.",
        )
    return body


def keyed_call_body(
    params: Mapping[str, Any], extra_body: Mapping[str, Any] | None, key: str
) -> dict[str, Any]:
    """`call_body` with the create's key in ``metadata[CALL_KEY_FIELD]``: how a lookup knows
    the call an attempt made (the caller's own metadata is kept; the key is refused if
    it is set to anything else)."""
    if not isinstance(key, str) or not key:
        raise ValueError("idempotency_key: must be a non-empty string")
    if key != key.strip():  # a pasted space: another key, searched at once, never found
        raise ValueError(
            f"invalid parameters: idempotency_key: {key!r} has spaces at its ends: "
            "it would not find the call its key placed"
        )
    body = call_body(params, extra_body)
    metadata = body.get("metadata", {})  # extra_body may have set it too
    if not isinstance(metadata, Mapping):
        raise TypeError("invalid parameters: metadata: expected an object of strings")
    if metadata.get(CALL_KEY_FIELD, key) != key:
        raise ValueError(
            f"invalid parameters: metadata.{CALL_KEY_FIELD}: reserved for the call's "
            "idempotency key (a lookup finds a call whose answer was lost by it); rename it"
        )
    body["metadata"] = {**metadata, CALL_KEY_FIELD: key}
    return body


def _not_given(value: Any) -> bool:
    return value is None or isinstance(value, NotGiven)


def search_body(filters: Mapping[str, Any], *, page: int, page_size: int) -> dict[str, Any]:
    """A ``CallFilter`` body: every list the API requires defaults to ``[]`` (no filter)."""
    if isinstance(page, bool) or not isinstance(page, int) or page < 0:
        raise ValueError("page: must be a whole number >= 0 (the first page is 1)")
    if isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1:
        raise ValueError("page_size: must be a whole number >= 1")
    given: dict[str, Any] = {name: [] for name in _REQUIRED_LISTS}
    given.update(filters)
    given.update(page=page, page_size=page_size)
    return build_body(given, FILTERS, nullable=())


def _path(call_id: str, action: str = "") -> str:
    return f"/call/{segment('call_id', call_id)}{action}"


def _lookup(body: dict[str, Any], key: str, *, chosen: bool) -> Lookup:
    """How a create finds the call an attempt with an unknown outcome made: by its key in
    ``metadata``, alone (no time cut-off, no content), among the calls to its number.
    A call there without any key, made since the first attempt, may be that attempt's
    on a server that drops metadata: the outcome stays unknown (`Lookup.keyless`).
    A key the caller ``chosen`` may be an earlier attempt's: looked for before dialling."""

    def matches(call: Mapping[str, Any]) -> bool:
        metadata = call.get("metadata")
        return isinstance(metadata, Mapping) and metadata.get(CALL_KEY_FIELD) == key

    number = body.get("phone_number")
    digits = _digits(number)

    def keyless(call: Mapping[str, Any]) -> bool:  # to this number (a search may list more)
        metadata, to = call.get("metadata"), call.get("to_phone_number")
        unkeyed = not isinstance(metadata, Mapping) or CALL_KEY_FIELD not in metadata
        return unkeyed and (not isinstance(to, str) or _digits(to) == digits)

    return Lookup(
        listing=functools.partial(_calls_to, number),
        matches=matches,
        answer=lambda found: {"call": dict(found)},
        identity=("call", key),
        look_first=chosen,
        keyless=keyless,
    )


def _digits(number: object) -> object:
    """`dialled`, with or without its ``+`` (a spreadsheet drops it): one number."""
    as_dialled = dialled(number)
    return as_dialled.lstrip("+") if isinstance(as_dialled, str) else as_dialled


def dialled(number: object) -> object:
    """A phone number as dialled: ``+``, then digits (``"+33 6 12-34"`` is ``"+3361234"``).
    The ``+`` counts wherever it comes before the first digit: a spreadsheet's ``'+33…``
    or a zero-width space before it is the same number."""
    if not isinstance(number, str):
        return number
    digits = "".join(filter(str.isdigit, number))
    plus = "+" in number[: number.find(digits[:1])] if digits else "+" in number
    return ("+" if plus else "") + digits


LOOKUP_PAGES = 10
"""How many pages (of `PAGE_SIZE`, newest first) of a number's calls a lookup reads."""


async def _calls_to(
    phone: Any, fetch: Fetch, wanted: Callable[[Mapping[str, Any]], bool]
) -> Listed:
    """The newest calls to ``phone`` as typed and as dialled (a server may store either;
    without a ``+``, with one too: a spreadsheet drops it from ``+33612345678``), until
    one is ``wanted``: every page once, wherever the server's pages start (see
    `Pages`), while the server says more remain."""
    listed: list[Mapping[str, Any]] = []
    cut_short = None
    digits = dialled(phone)
    plus = (f"+{digits}",) if isinstance(digits, str) and digits[:1] not in ("+", "") else ()
    for number in dict.fromkeys((phone, digits, *plus)):
        read = len(listed)
        newest = {"to_phone_number": number, "sort_by": "created_at", "sort_direction": "desc"}
        paging: Pages[Mapping[str, Any]] = Pages(PAGE_SIZE, max_pages=LOOKUP_PAGES)
        while not paging.done:
            body = search_body(newest, page=paging.page, page_size=PAGE_SIZE)
            request = Request("POST", "/call/search", raw, body)
            try:
                data = (await fetch(request)).data
            except APIStatusError as exc:
                if not paging.is_refusal(exc.status_code):
                    raise
                listed += paging.refused()
                continue
            got = data.get("calls") if isinstance(data, Mapping) else None
            if not isinstance(got, list):  # unreadable: says nothing of what is there
                return Listed(listed, cut_short="the search answered without a list of calls")
            got = [c for c in got if isinstance(c, Mapping)]
            if any(wanted(call) for call in got):  # found: wherever pages start
                return Listed([*listed, *got])
            total = data.get("total_count")  # data is a mapping: it held the list
            if isinstance(total, bool) or not isinstance(total, int):
                total = None
            listed += paging.take(got, total)
        if paging.cut and not _newest_first(listed[read:]):
            cut_short = (
                f"the calls to {number} are not listed newest first, and the "
                f"{len(listed) - read} read may not hold it"
            )
    return Listed(listed, cut_short=cut_short)


def _newest_first(calls: list[Mapping[str, Any]]) -> bool:
    """Whether calls are listed newest first: each ``created_at`` ISO text (the form the
    server writes, compared as text), none newer than the one before, the last older than
    the first (equal times tell no order)."""
    stamps = [at for call in calls if isinstance(at := call.get("created_at"), str)]
    if len(stamps) < len(calls):
        return False
    return stamps == sorted(stamps, reverse=True) and stamps[0] > stamps[-1]


def _identity(call: Any) -> object:
    """A call's identity, raw or decoded: its id, or its content when it has no id to go by."""
    call_id = call.get("id") if isinstance(call, Mapping) else call.id
    if isinstance(call_id, str):
        return call_id
    return dumps(call if isinstance(call, Mapping) else to_dict(call))


class Pages(Generic[_T]):
    """Where auto-pagination is, and whether it is done (pure: fed one answer at a time).

    Pages count from 1, as the official client's own tests have them; a server
    counting from 0 is found out, at the price of one request. Page 1 comes first;
    unless it holds every call (``total_count``), page 0 is asked next, once:

    * refused (400 or 422: `refused`), or bringing nothing that page 1 did not,
      the server counts from 1 (page 0 is invalid, or read as page 1): page 1's
      calls are yielded and page 2 is next;
    * bringing other calls, the server counts from 0: page 0's calls are yielded,
      then page 1's (the server's order), and page 2 is next.

    It stops at an empty page, a short page when no ``total_count`` says more
    remain (a server may cap the page size: then more pages are read), once
    ``total_count`` calls were seen, at the ``limit``, after ``max_pages`` pages of
    calls, or at a page that brings nothing new (a server that ignores ``page``
    cannot loop it; a warning says so when ``total_count`` promised more). A call
    seen on an earlier page is not yielded twice (a call without an id is known by
    its content).
    """

    def __init__(
        self, page_size: int, limit: int | None = None, *, max_pages: int | None = None
    ) -> None:
        self.page = 1
        """The page to ask for next (0 while probing a server's first page)."""
        self.page_size = page_size
        self.limit = limit
        self.max_pages = max_pages
        self.first_page: int | None = None
        """The server's first page, once known: 1, or 0."""
        self.total_count: int | None = None
        self.done = limit is not None and limit <= 0
        self.cut = False
        """Stopped after ``max_pages`` pages, or at a page that brought nothing new, while
        more may remain."""
        self._held: list[_T] = []
        self._seen: set[object] = set()
        self._yielded = 0
        self._read = 0

    @property
    def probing(self) -> bool:
        """Whether the next request is the probe of page 0."""
        return self.first_page is None and self.page == 0

    def take(self, items: list[_T], total_count: int | None) -> list[_T]:
        """The items of one answer to yield, in order; moves to the next page or finishes."""
        self.total_count = total_count
        if self.first_page is None and self.page == 1:
            if total_count is not None and len(items) >= total_count:
                self.first_page = 1  # page 1 holds every call: page 1 was the first
            else:
                self._held, self.page = items, 0  # hold them until page 0 tells
                return []
        if self.probing:
            held = {_identity(item) for item in self._held}
            if any(_identity(item) not in held for item in items):
                self.first_page, self._read = 0, 1
                return self._next([*items, *self._held], self._held)
            items = self._held
            self.first_page = 1
        return self._next(items, items)

    def is_refusal(self, status: int) -> bool:
        """Whether an error status is the server refusing the page-0 probe."""
        return self.probing and status in REFUSED_PAGE

    def refused(self) -> list[_T]:
        """The probe was refused: pages count from 1; page 1's items to yield."""
        self.first_page = 1
        return self._next(self._held, self._held)

    def _next(self, items: list[_T], last: list[_T]) -> list[_T]:
        """Yield what is new in ``items``; ``last`` is the latest page (the one read
        at the highest page number)."""
        self._held = []
        fresh = []
        for item in items:
            key = _identity(item)
            if key not in self._seen:
                self._seen.add(key)
                fresh.append(item)
        if self.limit is not None:
            fresh = fresh[: self.limit - self._yielded]
        self._yielded += len(fresh)
        self._read += 1
        self.page = max(self.page, 1) + 1
        total = self.total_count
        more = total is not None and len(self._seen) < total
        ended = (
            not last
            or (len(last) < self.page_size and total is None)
            or (total is not None and not more)
            or (self.limit is not None and self._yielded >= self.limit)
            or not fresh
        )
        full = len(last) >= self.page_size if total is None else more
        stalled = not fresh and bool(last) and full  # a server ignoring ``page``: more remain
        self.cut = stalled or (
            not ended and self.max_pages is not None and self._read >= self.max_pages
        )
        self.done = ended or self.cut
        if not fresh and more and last:
            logger.warning(
                "calls.search stopped after %d of the %d calls the server counts: "
                "page %d brought nothing new",
                len(self._seen),
                total,
                self.page - 1,
            )
        return fresh


class Calls(Resource[_M]):
    """Place calls and follow them: ``client.calls``."""

    @property
    def with_raw_response(self) -> Calls[Raw[_M]]:
        """The same methods, returning `RawResponse` (status, headers, parsed)."""
        return cast("Calls[Raw[_M]]", self._raw_twin())

    @endpoint
    def create(
        self,
        *,
        idempotency_key: str | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[CallCreateParams],
    ) -> Request[Call]:
        """Place a call to ``phone_number`` (E.164) with an assistant, now or at ``scheduled_at``.

            call = await client.calls.create(
                phone_number="+33612345678",
                assistant_id=assistant.id,
                prompt_variables={"first_name": "Ada"},
                metadata={"crm_id": "42"},
            )

        Give ``assistant_id`` or an inline ``assistant`` (its create parameters,
        ``prompt`` required). ``scheduled_at`` is a timezone-aware ``datetime``
        or ISO 8601 text. The call carries its idempotency key in
        ``metadata["revox_async_key"]`` (your own metadata is kept). After an
        attempt whose outcome is unknown (a 5xx, a timeout, a dropped
        connection) it waits ``outcome_window``, then searches the calls to
        that number for the key before dialling again, so a server ignoring
        ``Idempotency-Key`` never dials twice; past ``create_deadline`` it raises
        ``OutcomeUnknownError`` (with ``.idempotency_key``) rather than dial again.
        Given your own ``idempotency_key``, it first searches that number's calls
        for one made with it: ``create`` again with that error's key settles it.
        """
        key = new_idempotency_key() if idempotency_key is None else idempotency_key
        body = keyed_call_body(params, extra_body, key)
        return Request(
            "POST",
            "/call",
            _wrapped,
            body,
            idempotency_key=key,
            lookup=_lookup(body, key, chosen=idempotency_key is not None),
        )

    @endpoint
    def retrieve(self, call_id: str) -> Request[Call]:
        """Fetch a call: its status, attempts, transcript and outcome.

        call = await client.calls.retrieve(call_id)
        """
        return Request("GET", _path(call_id), _wrapped)

    @endpoint
    def cancel(self, call_id: str) -> Request[bool]:
        """Cancel a running or scheduled call (an attempt in progress finishes).

        await client.calls.cancel(call_id)
        """
        return Request("POST", _path(call_id, "/cancel"), decode_success)

    @endpoint
    def pause(self, call_id: str) -> Request[bool]:
        """Stop new attempts of a call; ``resume`` continues it.

        await client.calls.pause(call_id)
        """
        return Request("POST", _path(call_id, "/pause"), decode_success)

    @endpoint
    def resume(self, call_id: str) -> Request[bool]:
        """Let a paused call make attempts again.

        await client.calls.resume(call_id)
        """
        return Request("POST", _path(call_id, "/resume"), decode_success)

    @endpoint
    def search_page(
        self, *, page: int = 1, page_size: int = 50, **filters: Unpack[CallFilterParams]
    ) -> Request[CallPage]:
        """One page of calls matching the filters, with ``total_count``; the first page is 1.

            first = await client.calls.search_page(statuses=["completed"], page_size=20)
            print(first.total_count, [c.id for c in first.calls])

        Every filter left out matches everything. ``page`` is sent as given (``0``
        too: the server decides what it means); ``search`` reads every page,
        wherever the server's pages start.
        """
        body = search_body(filters, page=page, page_size=page_size)
        return Request("POST", "/call/search", _page, body)

    @overload
    def search(
        self: Calls[Async],
        *,
        page_size: int = 50,
        limit: int | None = None,
        **filters: Unpack[CallFilterParams],
    ) -> AsyncIterator[Call]: ...
    @overload
    def search(
        self: Calls[Sync],
        *,
        page_size: int = 50,
        limit: int | None = None,
        **filters: Unpack[CallFilterParams],
    ) -> Iterator[Call]: ...
    @expand_keywords
    def search(
        self, *, page_size: int = 50, limit: int | None = None, **filters: Unpack[CallFilterParams]
    ) -> AsyncIterator[Call] | Iterator[Call]:
        """Every call matching the filters, page after page (see `Pages` for when it stops).

            async for call in client.calls.search(statuses=["completed"]):
                print(call.id, call.outcome)

        With ``SyncRevox`` it is a plain iterator (``for call in ...``). ``limit``
        stops after that many calls. Pages are fetched as the loop asks.
        """
        if self._raw:
            raise AttributeError("'search' has no with_raw_response form; use search_page")
        if "page" in filters:
            raise TypeError("page: search fetches every page; search_page(page=...) fetches one")
        search_body(filters, page=1, page_size=page_size)  # bad filters fail here, not later
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
            raise TypeError("limit: expected a whole number or None")
        pages: Pages[Call] = Pages(page_size, limit)
        fetch = cast(Any, self).search_page  # this client's form: awaitable or blocking
        if self._client._blocking:
            return _sync_pages(fetch, pages, filters)
        return _async_pages(fetch, pages, filters)

    @endpoint
    def export(
        self,
        *,
        include_metadata: bool | None = None,
        include_structured_output_fields: bool | None = None,
        page: int = 1,
        page_size: int = PAGE_SIZE,
        **filters: Unpack[CallFilterParams],
    ) -> Request[CsvExport]:
        """The calls matching the filters as CSV (``.csv`` text, ``.save()`` to a file).

            export = await client.calls.export(statuses=["completed"], include_metadata=True)
            export.save("completed.csv")

        The API requires ``page`` and ``page_size`` among the filters and does
        not say whether the export honours them; check the row count against
        ``search_page(...).total_count`` if it matters.
        """
        body: dict[str, Any] = {"filters": search_body(filters, page=page, page_size=page_size)}
        for name, flag in (
            ("include_metadata", include_metadata),
            ("include_structured_output_fields", include_structured_output_fields),
        ):
            if flag is not None:
                if not isinstance(flag, bool):
                    raise TypeError(f"invalid parameters: {name}: expected a boolean")
                body[name] = flag
        return Request("POST", "/call/export", _export, body)

    @endpoint
    def phone_history(self) -> Request[dict[str, PhoneHistory]]:
        """What the organisation's calls to each number came to, keyed by number.

        history = await client.calls.phone_history()
        print(history["+33612345678"].reached_human)
        """
        return Request("GET", "/calls/phone-history", _phone_history)

    @operation
    async def create_many(
        self,
        params: Iterable[Mapping[str, Any]] | AsyncIterable[Mapping[str, Any]],
        *,
        concurrency: int = 8,
        rate_limit: float | None = None,
        on_progress: OnProgress | None = None,
        journal: str | Path | None = None,
        allow_repeat_numbers: bool = False,
    ) -> BatchResult:
        """Place many calls concurrently; every input gets a result, in order.

            result = await client.calls.create_many(
                (
                    {"phone_number": c["phone"], "assistant_id": aid,
                     "prompt_variables": {"first_name": c["first_name"]}}
                    for c in contacts
                ),
                concurrency=4,
                journal="contacts.journal.jsonl",
            )
            for item in result.errors:
                print(item.index, item.error)

        ``params`` is any iterable or async iterable of ``create()`` keyword
        dicts, read lazily; a bad row fails as its own item, before any
        request. Each call is placed at most once, as ``create`` places one (a
        row whose metadata already uses ``revox_async_key`` is refused).
        ``concurrency``, ``rate_limit``, ``journal``, ``on_progress`` and
        stopping work as for ``assistants.create_many`` (see docs/bulk.md);
        ``result.calls`` holds the calls placed. The same
        number (compared as dialled) twice in one input fails at its second
        row unless ``allow_repeat_numbers=True``: calling a person twice must be
        a choice, not a spreadsheet accident.
        """
        return await create_many(
            self._in_async_mode(),
            params,
            concurrency=concurrency,
            rate_limit=rate_limit,
            on_progress=on_progress,
            journal=journal,
            allow_repeat_numbers=allow_repeat_numbers,
        )

    def create_many_iter(
        self,
        params: Iterable[Mapping[str, Any]] | AsyncIterable[Mapping[str, Any]],
        *,
        concurrency: int = 8,
        rate_limit: float | None = None,
        journal: str | Path | Journal | None = None,
        allow_repeat_numbers: bool = False,
    ) -> BatchStream:
        """``create_many``, streamed (``AsyncRevox`` only): yields each ``BatchItem`` as it
        finishes, as ``assistants.create_many_iter`` does (see docs/bulk.md).

            async for item in client.calls.create_many_iter(rows, journal="j.jsonl"):
                print(item.index, item.status, item.created_id)
        """
        return BatchStream(
            self._in_async_mode(),
            params,
            concurrency=concurrency,
            rate_limit=rate_limit,
            journal=journal,
            allow_repeat_numbers=allow_repeat_numbers,
        )

    @operation
    async def wait(
        self,
        call_id: str,
        *,
        timeout: float = 600.0,  # noqa: ASYNC109 - a deadline of polls, not of one await
        poll_interval: float = 2.0,
        max_interval: float = 30.0,
    ) -> Call:
        """Poll a call until it ends (completed, cancelled or errored); return the final call.

            call = await client.calls.create(phone_number="+33612345678", assistant_id=aid)
            done = await client.calls.wait(call.id, timeout=600)
            for turn in done.transcript:
                print(turn.role, turn.content)

        Polls every ``poll_interval`` seconds, growing by half each time up to
        ``max_interval``. After ``timeout`` seconds it raises
        `WaitTimeoutError`, whose ``.call`` is the last state seen (``None`` if no
        answer came). The deadline covers requests in flight too (with their
        retries); the poll at the deadline gets `LAST_POLL` seconds. A call
        that is paused or not launched keeps it waiting.
        """
        for name, value in (
            ("timeout", timeout),
            ("poll_interval", poll_interval),
            ("max_interval", max_interval),
        ):
            if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
                raise ValueError(f"{name}: must be a number of seconds > 0")
        if max_interval < poll_interval:
            raise ValueError("max_interval: must be at least poll_interval")
        segment("call_id", call_id)
        calls: Calls[Async] = self._in_async_mode()
        client = cast("AsyncRevox", self._client)
        loop = asyncio.get_running_loop()
        started, slept, delay = loop.time(), 0.0, float(poll_interval)
        call: Call | None = None
        while True:
            elapsed = max(slept, loop.time() - started)
            deadline = asyncio.timeout(max(timeout - elapsed, min(LAST_POLL, timeout)))
            try:
                async with deadline:
                    call = await calls.retrieve(call_id)  # a slow answer counts, too
            except TimeoutError:
                if not deadline.expired():
                    raise
                call_timed_out = True
            else:
                call_timed_out = False
                if call.is_terminal:
                    return call
            elapsed = max(slept, loop.time() - started)
            if call_timed_out or elapsed >= timeout:
                status = "unknown" if call is None else repr(call.status)
                raise WaitTimeoutError(
                    f"call {call_id!r} is still {status} after {timeout:g} s", call=call
                )
            step = min(delay, timeout - elapsed)
            await client._sleep(step)
            slept += step
            delay = min(delay * 1.5, max_interval)


async def _async_pages(
    fetch: Callable[..., Awaitable[CallPage]], pages: Pages[Call], filters: Mapping[str, Any]
) -> AsyncIterator[Call]:
    while not pages.done:
        try:
            page = await fetch(page=pages.page, page_size=pages.page_size, **filters)
        except APIStatusError as exc:
            if not pages.is_refusal(exc.status_code):
                raise
            calls = pages.refused()
        else:
            calls = pages.take(page.calls, page.total_count)
        for call in calls:
            yield call


def _sync_pages(
    fetch: Callable[..., CallPage], pages: Pages[Call], filters: Mapping[str, Any]
) -> Iterator[Call]:
    while not pages.done:
        try:
            page = fetch(page=pages.page, page_size=pages.page_size, **filters)
        except APIStatusError as exc:
            if not pages.is_refusal(exc.status_code):
                raise
            yield from pages.refused()
        else:
            yield from pages.take(page.calls, page.total_count)
