"""Never dialled twice: the single create and the batch share one engine and one lookup."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aioresponses import aioresponses

import revox_async as rx
from revox_async import AsyncRevox
from revox_async._batch import CALL_KEY_FIELD
from revox_async._journal import fingerprint
from revox_async._retry import server_time
from revox_async.testing import MockRevoxServer
from tests.conftest import BASE, NOTHING_YET, Sleeps
from tests.test_resources_wire import call_json, sent


@pytest.fixture
async def api(mock: MockRevoxServer) -> AsyncIterator[AsyncRevox]:
    async with AsyncRevox(
        api_key=mock.api_key, base_url=mock.base_url, max_retries=3, outcome_window=0.05
    ) as client:
        yield client


@pytest.fixture
async def assistant_id(api: AsyncRevox, mock: MockRevoxServer) -> str:
    assistant = await api.assistants.create(name="Caller", prompt="You call people.")
    mock.requests.clear()
    return assistant.id


def posts(mock: MockRevoxServer, path: str = "/call") -> list[Any]:
    return [r for r in mock.requests if r.method == "POST" and r.path.endswith(path)]


@pytest.mark.parametrize("fault", ["commit_then_fail", "drop"])
async def test_a_single_create_whose_answer_is_lost_is_found_not_dialled_again(
    api: AsyncRevox, mock: MockRevoxServer, assistant_id: str, fault: str
) -> None:
    """calls.create: the server places the call then answers 500, or the connection drops
    (placed or not): one call, every attempt with the same key."""
    mock.fail_next(fault)  # type: ignore[arg-type]
    raw = await api.calls.with_raw_response.create(
        phone_number="+33612340001", assistant_id=assistant_id
    )
    assert {raw.parsed.id} == set(mock.calls)
    keys = {r.headers["Idempotency-Key"] for r in posts(mock)}
    assert {raw.parsed.metadata[CALL_KEY_FIELD]} == keys


async def test_a_single_create_carries_its_key_in_the_metadata(
    api: AsyncRevox, mock: MockRevoxServer, assistant_id: str
) -> None:
    """The key travels as the header and in metadata, next to the caller's own."""
    call = await api.calls.create(
        phone_number="+33612340002",
        assistant_id=assistant_id,
        metadata={"crm": "7"},
        idempotency_key="mine-1",
    )
    assert {"crm": "7", CALL_KEY_FIELD: "mine-1"} == call.metadata
    assert "mine-1" == posts(mock)[0].headers["Idempotency-Key"]


async def test_the_reserved_metadata_key_set_to_something_else_is_refused(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """metadata.revox_async_key holding another value: refused, naming it, nothing sent."""
    with pytest.raises(ValueError, match=f"metadata.{CALL_KEY_FIELD}"):
        await api.calls.create(
            phone_number="+33612340003", assistant_id="a", metadata={CALL_KEY_FIELD: "x"}
        )
    assert [] == mock.requests


async def test_a_failed_lookup_raises_outcome_unknown_with_the_key(
    mocked: aioresponses, sleeps: Sleeps
) -> None:
    """The POST answered 502 and every search failed too: never dialled again blind."""
    mocked.post(f"{BASE}/call/search", payload=NOTHING_YET)  # the key's: looked for first
    mocked.post(f"{BASE}/call", status=502, payload={"error": "bad gateway"})
    for _ in range(3):
        mocked.post(f"{BASE}/call/search", status=500, payload={"error": "down"})
    async with AsyncRevox(api_key="k", base_url=BASE, max_retries=2) as client:
        client._sleep = sleeps
        with pytest.raises(rx.OutcomeUnknownError) as caught:
            await client.calls.create(
                phone_number="+33612345678", assistant_id="a", idempotency_key="k-1"
            )
    assert "k-1" == caught.value.idempotency_key
    assert isinstance(caught.value.error, rx.InternalServerError)
    assert "outcome unknown" in str(caught.value)
    assert 1 == len(sent(mocked, "POST", "/call"))


async def test_the_errors_key_given_back_to_the_same_client_waits_only_its_window(
    mocked: aioresponses, sleeps: Sleeps
) -> None:
    """Settled at once in the same client (a notebook cell run again): this client knows
    when its attempt ended, so the search waits the rest of outcome_window (7 s), not
    the fresh key's timeout + window (67 s), then finds the call."""
    mocked.post(f"{BASE}/call", status=502, payload={"error": "bad gateway"})
    mocked.post(f"{BASE}/call/search", status=500, payload={"error": "down"}, repeat=True)
    async with AsyncRevox(
        api_key="k", base_url=BASE, max_retries=0, timeout=60, outcome_window=7
    ) as client:
        client._sleep = sleeps
        with pytest.raises(rx.OutcomeUnknownError) as caught:
            await client.calls.create(phone_number="+33612345678", assistant_id="a")
        key = caught.value.idempotency_key
        mocked.clear()
        found = call_json(id="call_1", metadata={CALL_KEY_FIELD: key})
        mocked.post(f"{BASE}/call/search", payload={"calls": [found], "total_count": 1})
        sleeps.clear()
        call = await client.calls.create(
            phone_number="+33612345678", assistant_id="a", idempotency_key=key
        )
    assert "call_1" == call.id
    assert [pytest.approx(7, abs=1)] == sleeps


async def test_past_the_deadline_it_raises_instead_of_waiting_to_look(
    mocked: aioresponses, sleeps: Sleeps
) -> None:
    """A create_deadline shorter than the window: OutcomeUnknownError, one POST only."""
    mocked.post(f"{BASE}/call", status=524, payload={"error": "origin timeout"})
    async with AsyncRevox(
        api_key="k", base_url=BASE, outcome_window=30, create_deadline=1
    ) as client:
        client._sleep = sleeps
        with pytest.raises(rx.OutcomeUnknownError, match="create_deadline"):
            await client.calls.create(phone_number="+33612345678", assistant_id="a")
    assert 1 == len(sent(mocked, "POST", "/call"))


async def test_a_backoff_past_the_create_deadline_is_not_waited(
    mocked: aioresponses, sleeps: Sleeps
) -> None:
    """A 429 asking to wait 3 s, with 1 s left of create_deadline: the 429 is raised at
    once (the attempt after the wait could not be sent), not after waiting 3 s."""
    mocked.post(
        f"{BASE}/assistants",
        status=429,
        payload={"error": "slow down"},
        headers={"Retry-After": "3"},
    )
    async with AsyncRevox(api_key="k", base_url=BASE, create_deadline=1) as client:
        client._sleep = sleeps
        with pytest.raises(rx.RateLimitError):
            await client.assistants.create(name="n", prompt="p")
    assert ([], 1) == (sleeps, len(sent(mocked, "POST", "/assistants")))


@pytest.mark.parametrize("status", [500, 502, 503, 504, 520, 522, 524, 408, 409])
async def test_every_unknown_outcome_waits_the_window_before_looking(
    mocked: aioresponses, sleeps: Sleeps, status: int
) -> None:
    """Any 5xx, 408, 409: wait outcome_window (the server may still be working), look,
    find the call placed meanwhile, and never POST again."""
    mocked.post(f"{BASE}/call/search", payload=NOTHING_YET)  # the key's: looked for first
    mocked.post(f"{BASE}/call", status=status, payload={"error": "x"})
    found = call_json(id="call_late", metadata={CALL_KEY_FIELD: "k-2"})
    mocked.post(f"{BASE}/call/search", payload={"calls": [found], "total_count": 1})
    async with AsyncRevox(api_key="k", base_url=BASE, outcome_window=7) as client:
        client._sleep = sleeps
        call = await client.calls.create(
            phone_number="+33612345678", assistant_id="a", idempotency_key="k-2"
        )
    assert "call_late" == call.id
    assert [pytest.approx(7, abs=0.1)] == sleeps
    assert 1 == len(sent(mocked, "POST", "/call"))


@pytest.mark.parametrize("created_at", ["2026-01-01T00:00:00", None, "not a time"])
async def test_the_key_alone_finds_the_call_whatever_its_timestamp(
    mocked: aioresponses, sleeps: Sleeps, created_at: Any
) -> None:
    """A zone-less, missing or unreadable created_at never hides the call."""
    mocked.post(f"{BASE}/call", status=500, payload={"error": "x"})
    found = call_json(id="c1", metadata={CALL_KEY_FIELD: "k-3"}, created_at=created_at)
    mocked.post(f"{BASE}/call/search", payload={"calls": [found], "total_count": 1})
    async with AsyncRevox(api_key="k", base_url=BASE) as client:
        client._sleep = sleeps
        call = await client.calls.create(
            phone_number="+33612345678", assistant_id="a", idempotency_key="k-3"
        )
    assert "c1" == call.id


async def test_a_number_stored_as_dialled_is_found_by_its_dialled_form(
    mocked: aioresponses, sleeps: Sleeps
) -> None:
    """Typed with spaces, stored without: the typed search finds nothing, the dialled one
    finds the call."""
    mocked.post(f"{BASE}/call", status=500, payload={"error": "x"})
    mocked.post(f"{BASE}/call/search", payload={"calls": [], "total_count": 0})
    found = call_json(id="c2", metadata={CALL_KEY_FIELD: "k-4"}, to_phone_number="+33612000000")
    mocked.post(f"{BASE}/call/search", payload={"calls": [found], "total_count": 1})
    async with AsyncRevox(api_key="k", base_url=BASE) as client:
        client._sleep = sleeps
        call = await client.calls.create(
            phone_number="+33 6 12 00 00 00", assistant_id="a", idempotency_key="k-4"
        )
    assert "c2" == call.id
    searched = [body["to_phone_number"] for body in sent(mocked, "POST", "/call/search")]
    assert ["+33 6 12 00 00 00", "+33612000000"] == searched


def clock_stood_still(mock: MockRevoxServer, seconds: float) -> None:
    """The mock as ``seconds`` of real time after its clock stopped (by default it stands
    still: a slow test or a loaded machine gets there without this)."""
    state = mock._state
    with state.lock:
        state.clock._rebase(state.clock.now() - timedelta(seconds=seconds))


async def test_an_assistant_made_while_the_mock_clock_stood_still_is_found_not_made_again(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """The mock stamps it by its own clock, a minute behind the real time: its Date header
    says that clock too, so the lookup finds the assistant instead of creating another."""
    clock_stood_still(mock, 60)
    mock.fail_next("commit_then_fail")
    raw = await api.assistants.with_raw_response.create(name="Still", prompt="p")
    assert [raw.parsed.id] == list(mock.assistants)
    assert 1 == len(posts(mock, "/assistants"))  # found by the look: not sent again


async def test_an_assistant_is_found_when_the_mock_clock_jumps_ahead_meanwhile(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """An hour passes on the mock's clock during the window (as it does in a minute of
    ``mock serve``'s 60-times clock): Date stays the real time, and the assistant is found."""

    async def an_hour_passes(delay: float) -> None:
        mock.advance(3600)

    api._sleep = an_hour_passes
    mock.fail_next("commit_then_fail")
    raw = await api.assistants.with_raw_response.create(name="Fast", prompt="p")
    assert [raw.parsed.id] == list(mock.assistants)


async def test_the_mock_dates_its_answers_by_its_clock_never_past_the_real_time(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """Date is the mock's clock when it lags the real time, the real time when it runs ahead."""
    clock_stood_still(mock, 60)
    behind = await api.assistants.with_raw_response.list()
    assert mock.now.replace(microsecond=0) == server_time(behind.headers)
    mock.advance(3600)
    before = datetime.now(UTC).replace(microsecond=0)
    ahead = await api.assistants.with_raw_response.list()
    date = server_time(ahead.headers)
    assert date is not None
    assert before <= date <= datetime.now(UTC)


async def test_a_bodiless_post_and_a_delete_say_json_as_the_official_client_does(
    mocked: aioresponses,
) -> None:
    """cancel (no body) and delete carry Content-Type: application/json; a GET does not."""
    mocked.post(f"{BASE}/call/c1/cancel", payload={"success": True})
    mocked.delete(f"{BASE}/assistants/a1", payload={"success": True})
    mocked.get(f"{BASE}/call/c1", payload={"call": call_json()})
    async with AsyncRevox(api_key="k", base_url=BASE) as client:
        await client.calls.cancel("c1")
        await client.assistants.delete("a1")
        await client.calls.retrieve("c1")
    kinds = {
        (method, url.path): call.kwargs["headers"].get("Content-Type")
        for (method, url), calls in mocked.requests.items()
        for call in calls
    }
    assert {
        ("POST", "/api/call/c1/cancel"): "application/json",
        ("DELETE", "/api/assistants/a1"): "application/json",
        ("GET", "/api/call/c1"): None,
    } == kinds


# -- the batch: the same engine ---------------------------------------------------------


def rows(numbers: list[str], assistant_id: str) -> list[dict[str, Any]]:
    return [{"phone_number": n, "assistant_id": assistant_id} for n in numbers]


async def test_the_same_number_twice_is_refused_at_its_second_row(
    api: AsyncRevox, mock: MockRevoxServer, assistant_id: str
) -> None:
    """+33 6 12 00 00 00 and +33612000000 are one person: the second row fails, unsent."""
    numbers = ["+33612000000", "+33600000009", "+33 6 12 00 00 00"]
    result = await api.calls.create_many(rows(numbers, assistant_id))
    assert ["created", "created", "failed"] == [item.status for item in result.results]
    error = result.results[2].error
    assert isinstance(error, ValueError)
    assert "phone_number" in str(error)
    assert "row 1" in str(error)
    assert 2 == len(mock.calls)


async def test_repeat_numbers_are_called_when_the_caller_says_so(
    api: AsyncRevox, mock: MockRevoxServer, assistant_id: str
) -> None:
    """allow_repeat_numbers=True: calling a person twice, on purpose."""
    result = await api.calls.create_many(
        rows(["+33612000000"] * 2, assistant_id), allow_repeat_numbers=True
    )
    assert result.ok
    assert 2 == len(mock.calls)


async def test_a_row_waiting_out_its_window_frees_its_slot(
    mock: MockRevoxServer, assistant_id: str
) -> None:
    """concurrency=1: while row 0 waits out its unknown outcome, row 1 is sent."""
    mock.fail_next("commit_then_fail")
    async with AsyncRevox(
        api_key=mock.api_key, base_url=mock.base_url, outcome_window=0.5
    ) as client:
        result = await client.calls.create_many(
            rows(["+33600000001", "+33600000002"], assistant_id), concurrency=1
        )
    assert result.ok
    assert 2 == len(mock.calls)
    paths = [r.path.rsplit("/", 1)[-1] for r in mock.requests]
    assert ["call", "call", "search"] == paths[:3]


async def test_a_rerun_of_a_timeless_journal_waits_out_the_window_then_looks(
    api: AsyncRevox, mock: MockRevoxServer, assistant_id: str, tmp_path: Path
) -> None:
    """A journal of the previous version (no time on "sent"): its in-flight row is waited
    out once (timeout + outcome_window), looked for, found, not dialled again."""
    row = {"phone_number": "+33600000011", "assistant_id": assistant_id}
    placed = await api.calls.create(**row, idempotency_key="old-1")
    mock.requests.clear()
    journal = tmp_path / "j.jsonl"
    header = {
        "revox_async_journal": 1,
        "base_url": mock.base_url,
        "started_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
        "kind": "calls",
    }
    fp = fingerprint([row, None, None])
    record = {"row": 0, "key": "old-1", "fp": fp, "state": "sent"}
    journal.write_text(json.dumps(header) + "\n" + json.dumps(record) + "\n")
    waits: list[float] = []

    async def recorded(seconds: float) -> None:
        waits.append(seconds)

    from revox_async import _batch as batch

    result = await batch.create_many(
        api.calls,
        [row],
        concurrency=1,
        rate_limit=None,
        on_progress=None,
        journal=journal,
        sleep=recorded,
    )
    (item,) = result.results
    assert (True, placed.id) == (item.found_by_check, item.created_id)
    assert [] == posts(mock)
    assert [pytest.approx(api.timeout + 0.05, abs=0.5)] == waits
