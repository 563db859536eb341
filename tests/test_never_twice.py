"""Nobody is called twice: ``calls.create`` and ``calls.create_many`` against a hostile server.

The server (`tests.hostile_calls`) ignores ``Idempotency-Key``, places calls after
answering errors (or seconds after), drops connections, stalls, writes odd
timestamps and stores numbers its own way. Whatever it does, each row is placed
exactly once: not twice, and not zero times.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

import revox_async as rx
from revox_async import AsyncRevox
from revox_async._resources.calls import _lookup as calls_lookup
from tests.hostile_calls import (
    FAULTS,
    KEY,
    UNKNOWN_OUTCOMES,
    Clock,
    Fault,
    Faults,
    HostileCalls,
    dialled,
)

LATE = 1.0
"""The server places a call this long after the answer that left its outcome unknown."""
WINDOW = 2.0
"""How long the client lets the server work before it looks (``outcome_window``)."""
ASSISTANT = "asst_hostile"
NUMBER = "+33 6 12 00 00 00"


def client(server: HostileCalls, **options: Any) -> AsyncRevox:
    """Short timeouts keep each test quick; the window outlasts the server's lateness."""
    options = {"timeout": 0.3, "max_retries": 3, "outcome_window": WINDOW, **options}
    return AsyncRevox(base_url=server.url, api_key=KEY, **options)


@pytest.fixture
async def hostile() -> AsyncIterator[HostileCalls]:
    server = HostileCalls()
    async with server.serve():
        yield server


def spaced(i: int) -> str:
    """The ``i``-th number, written as people type them: ``+33 6 00 00 00 07``."""
    d = f"{i:08d}"
    return f"+33 6 {d[:2]} {d[2:4]} {d[4:6]} {d[6:]}"


# -- a single create ---------------------------------------------------------------------


@pytest.mark.parametrize("fault", UNKNOWN_OUTCOMES)
async def test_a_single_create_places_one_call_whatever_left_its_outcome_unknown(
    hostile: HostileCalls, fault: Fault
) -> None:
    """A 5xx (52x included), a dropped connection or a stall, the call appearing 1 s
    later: create() returns that call, placed once."""
    hostile.faults = Faults(kinds=(fault,), rate=1.0, fault_attempts=1, late=LATE)
    async with client(hostile) as api:
        call = await api.calls.create(phone_number=NUMBER, assistant_id=ASSISTANT)
    await hostile.settled()
    assert {dialled(NUMBER): 1} == dict(hostile.placed)
    assert [call.id] == list(hostile.calls)


@pytest.mark.parametrize(
    ("clock", "numbers"),
    [("naive", "typed"), ("skewed", "typed"), ("unreadable", "typed"), ("utc", "dialled"),
     ("naive", "dialled")],
)  # fmt: skip
async def test_every_answer_a_500_after_placing_still_places_one_call(
    hostile: HostileCalls, clock: Clock, numbers: Any
) -> None:
    """Every attempt is placed, then answered 500; created_at has no zone, is 11 minutes
    behind or unreadable, or the number is stored without its spaces: one call."""
    hostile.faults = Faults(kinds=("500",), rate=1.0, fault_attempts=99)
    hostile.clock, hostile.numbers = clock, numbers
    async with client(hostile) as api:
        call = await api.calls.create(
            phone_number=NUMBER, assistant_id=ASSISTANT, metadata={"crm_id": "42"}
        )
    await hostile.settled()
    assert {dialled(NUMBER): 1} == dict(hostile.placed)
    assert [call.id] == list(hostile.calls)
    assert "42" == hostile.call(call.id)["metadata"]["crm_id"]


async def test_yesterdays_identical_call_is_not_taken_for_todays(hostile: HostileCalls) -> None:
    """The same number, assistant and variables were called yesterday (the server lists
    oldest first, its clock unreadable): after a 524, today's call is returned."""
    hostile.clock, hostile.sorts = "unreadable", False
    params = {"phone_number": NUMBER, "assistant_id": ASSISTANT, "prompt_variables": {"x": "1"}}
    (yesterday,) = hostile.earlier_calls(params, 1)
    hostile.faults = Faults(kinds=("524",), rate=1.0, fault_attempts=1, late=LATE)
    async with client(hostile) as api:
        call = await api.calls.create(**params)
    await hostile.settled()
    assert {dialled(NUMBER): 1} == dict(hostile.placed)
    assert call.id != yesterday
    assert call.id in hostile.calls


@pytest.mark.parametrize("pages", ["from-1", "from-0", "422-on-0"])
async def test_the_call_is_found_however_the_server_counts_pages(
    hostile: HostileCalls, pages: Any
) -> None:
    """120 earlier calls to the number fill more than a page; the server counts pages from
    1 (0 read as 1), from 0, or answers 422 to page 0: after a 502, one new call."""
    hostile.pages = pages
    hostile.earlier_calls({"phone_number": NUMBER, "assistant_id": ASSISTANT}, 120)
    hostile.faults = Faults(kinds=("502",), rate=1.0, fault_attempts=1, late=LATE)
    async with client(hostile) as api:
        call = await api.calls.create(phone_number=NUMBER, assistant_id=ASSISTANT)
    await hostile.settled()
    assert {dialled(NUMBER): 1} == dict(hostile.placed)
    assert call.id == max(hostile.calls)


@pytest.mark.parametrize("yesterday", [False, True])
async def test_a_server_that_drops_metadata_never_gets_the_call_twice(
    hostile: HostileCalls, yesterday: bool
) -> None:
    """The server lists calls without the metadata sent, so the key cannot be found: after
    a 500 that placed the call, a call without any key made since the first attempt
    leaves the outcome unknown; no second dial. Yesterday's keyless call does not."""
    hostile.keeps_metadata = False
    if yesterday:
        hostile.earlier_calls({"phone_number": NUMBER, "assistant_id": ASSISTANT}, 1)
        hostile.faults = Faults(kinds=("503-unplaced",), rate=1.0, fault_attempts=1)
    else:
        hostile.faults = Faults(kinds=("500",), rate=1.0, fault_attempts=1)
    async with client(hostile) as api:
        if yesterday:
            await api.calls.create(phone_number=NUMBER, assistant_id=ASSISTANT)
        else:
            with pytest.raises(rx.OutcomeUnknownError, match="may drop keys"):
                await api.calls.create(phone_number=NUMBER, assistant_id=ASSISTANT)
    await hostile.settled()
    assert {dialled(NUMBER): 1} == dict(hostile.placed)


async def test_settling_in_a_new_client_on_a_server_that_drops_metadata_dials_nobody(
    hostile: HostileCalls,
) -> None:
    """The same, then the error's key brought to a new client (a script run again): the
    keyless call made since the key was made leaves the outcome unknown there too."""
    hostile.keeps_metadata = False
    hostile.faults = Faults(kinds=("500",), rate=1.0, fault_attempts=1)
    async with client(hostile) as api:
        with pytest.raises(rx.OutcomeUnknownError) as first:
            await api.calls.create(phone_number=NUMBER, assistant_id=ASSISTANT)
    key = first.value.idempotency_key
    async with client(hostile) as again:
        with pytest.raises(rx.OutcomeUnknownError, match="may drop keys"):
            await again.calls.create(
                phone_number=NUMBER, assistant_id=ASSISTANT, idempotency_key=key
            )
    await hostile.settled()
    assert {dialled(NUMBER): 1} == dict(hostile.placed)


async def test_a_create_that_cannot_look_raises_outcome_unknown_with_its_key(
    hostile: HostileCalls,
) -> None:
    """A 500 after placing, and every search answers 503: create() does not dial again; it
    raises OutcomeUnknownError carrying the key to look the call up by later."""
    hostile.faults = Faults(kinds=("500",), rate=1.0, fault_attempts=99)
    hostile.lookups_fail = True
    async with client(hostile) as api:
        with pytest.raises(rx.RevoxError) as info:
            await api.calls.create(phone_number=NUMBER, assistant_id=ASSISTANT)
    assert "OutcomeUnknownError" == type(info.value).__name__
    assert isinstance(info.value, rx.OutcomeUnknownError)
    key = info.value.idempotency_key
    assert {key: 1} == dict(hostile.by_key)
    assert f"{key!r}" in str(info.value)
    assert (1, 1) == (hostile.posts, sum(hostile.placed.values()))


async def test_a_create_given_its_key_that_cannot_look_first_dials_nobody(
    hostile: HostileCalls,
) -> None:
    """A key of the caller's may be an earlier attempt's: when the search for it fails,
    create() raises OutcomeUnknownError with that key and dials nobody."""
    hostile.lookups_fail = True
    async with client(hostile) as api:
        with pytest.raises(rx.OutcomeUnknownError, match="looking it up failed") as info:
            await api.calls.create(
                phone_number=NUMBER, assistant_id=ASSISTANT, idempotency_key="row-7"
            )
    assert "row-7" == info.value.idempotency_key
    assert 0 == hostile.posts
    assert hostile.lookups > 0


async def test_a_new_key_of_the_callers_is_looked_for_once_then_dialled_once(
    hostile: HostileCalls,
) -> None:
    """A key never used before: searched for (the number as typed, then as dialled),
    not found, then one call is placed."""
    async with client(hostile) as api:
        await api.calls.create(phone_number=NUMBER, assistant_id=ASSISTANT, idempotency_key="n")
    assert (2, 1, {"n": 1}) == (hostile.lookups, hostile.posts, dict(hostile.by_key))


@pytest.mark.parametrize("how", ["create", "create_many row"])
async def test_settling_an_unknown_outcome_with_its_key_finds_the_call_instead_of_dialling(
    hostile: HostileCalls, how: str
) -> None:
    """The ways docs/calls.md settles an OutcomeUnknownError, on a server ignoring keys:
    the same create with the error's key, or a create_many row carrying it, searches
    for the key first, finds the call and dials nobody again."""
    hostile.faults = Faults(kinds=("500",), rate=1.0, fault_attempts=99)
    hostile.lookups_fail = True
    async with client(hostile) as api:
        with pytest.raises(rx.OutcomeUnknownError) as info:
            await api.calls.create(phone_number=NUMBER, assistant_id=ASSISTANT)
        hostile.lookups_fail = False
        again = {"phone_number": NUMBER, "assistant_id": ASSISTANT}
        again["idempotency_key"] = info.value.idempotency_key
        if how == "create":
            found = (await api.calls.create(**again)).id
        else:
            (item,) = (await api.calls.create_many([again])).results
            assert ("created", True) == (item.status, item.found_by_check)
            found = item.created_id
    assert [found] == list(hostile.calls)
    assert (1, 1) == (hostile.posts, sum(hostile.placed.values()))


# -- create_many ---------------------------------------------------------------------------


MIXES: list[tuple[Clock, Any]] = [
    ("utc", "typed"),
    ("naive", "dialled"),
    ("skewed", "typed"),
    ("unreadable", "dialled"),
]


@pytest.mark.parametrize(("clock", "numbers"), MIXES)
async def test_create_many_places_each_of_200_rows_once_through_every_fault(
    hostile: HostileCalls, clock: Clock, numbers: Any
) -> None:
    """200 rows, 30 % of first and second attempts faulted with every kind (placed then
    5xx, dropped, stalled, or lost unplaced), calls appearing 1 s later: each once."""
    hostile.faults = Faults(kinds=FAULTS, rate=0.3, late=LATE, seed=len(clock))
    hostile.clock, hostile.numbers = clock, numbers
    rows = [
        {"phone_number": spaced(i), "assistant_id": ASSISTANT, "prompt_variables": {"i": str(i)}}
        for i in range(200)
    ]
    async with client(hostile) as api:
        result = await api.calls.create_many(rows, concurrency=16)
    assert set(FAULTS) == set(hostile.faulted), hostile.faulted
    await hostile.settled()
    assert {} == hostile.twice()
    assert {dialled(row["phone_number"]) for row in rows} == set(hostile.placed)
    assert result.ok, result.errors[:3]
    assert [dialled(r["phone_number"]) for r in rows] == [
        dialled(c.to_phone_number or "") for c in result.calls
    ]
    assert {c.id for c in result.calls} == set(hostile.calls)


async def test_a_batch_cancelled_mid_flight_then_run_again_at_once_places_each_row_once(
    hostile: HostileCalls, tmp_path: Path
) -> None:
    """The task running create_many(journal=...) is cancelled while 4 rows are in flight
    (the server places each 1 s after receiving it); the same call again at once finds
    them instead of dialling them again."""
    hostile.faults = Faults(latency=LATE)
    rows = [{"phone_number": spaced(i), "assistant_id": ASSISTANT} for i in range(12)]
    journal = tmp_path / "calls.journal.jsonl"
    async with client(hostile) as api:
        first = asyncio.create_task(api.calls.create_many(rows, concurrency=4, journal=journal))
        await hostile.received(4)
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
        result = await api.calls.create_many(rows, concurrency=4, journal=journal)
    await hostile.settled()
    assert result.ok, result.errors[:3]
    assert {} == hostile.twice()
    assert 12 == len(hostile.placed)


def test_only_a_keyless_call_to_the_number_may_be_what_an_attempt_made() -> None:
    """A call without the SDK's key, to the number as dialled (or to a number that cannot
    be read), may be the attempt's on a server that drops metadata; a call to another
    number (a search ignoring its filter) or carrying any key is not."""
    lookup = calls_lookup({"phone_number": NUMBER}, "k-1", chosen=False)
    listed = [
        {"to_phone_number": "+33612000000", "metadata": None},
        {"to_phone_number": None, "metadata": {"crm_id": "42"}},
        {"to_phone_number": "+33699999999", "metadata": None},
        {"to_phone_number": NUMBER, "metadata": {"revox_async_key": "k-2"}},
    ]
    assert lookup.keyless is not None
    assert [True, True, False, False] == [lookup.keyless(call) for call in listed]
