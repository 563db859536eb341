"""The one retry engine: its pure decision, and the lookups it shares within a client."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import revox_async as rx
from revox_async._endpoint import Request
from revox_async._retry import (
    Decision,
    Listed,
    Lookup,
    Outcome,
    _cutoff,
    _Lookups,
    decide,
    is_hopeless,
    is_unknown_outcome,
    server_time,
)

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def status_error(status: int, *, retry_after: float | None = None, **headers: str) -> Any:
    return rx.APIStatusError(
        "x", method="POST", url="u", status_code=status, headers=headers, body=None,
        retry_after=retry_after,
    )  # fmt: skip


def never_listed(*_: Any) -> Any:
    raise AssertionError("not listed")


def create(*, lookup: bool = True, **fields: Any) -> Request[Any]:
    found = Lookup(listing=never_listed, matches=bool, answer=dict, identity="k")
    return Request("POST", "/call", dict, {}, lookup=found if lookup else None, **fields)


GET = Request("GET", "/assistants", dict)


@pytest.mark.parametrize(
    "error",
    [
        status_error(500),
        status_error(502),
        status_error(503),
        status_error(504),
        status_error(520),
        status_error(522),
        status_error(524),
        status_error(408),
        status_error(409),
        rx.APIConnectionError("reset after writing", method="POST", url="u"),
        rx.APITimeoutError("read timeout", method="POST", url="u"),
    ],
    ids=lambda e: str(getattr(e, "status_code", type(e).__name__)),
)
def test_every_answer_after_which_it_may_have_happened_is_an_unknown_outcome(
    error: Any,
) -> None:
    """Every 5xx (52x and 503 included), 408, 409, a drop after sending, a read timeout."""
    assert True is is_unknown_outcome(error)


@pytest.mark.parametrize(
    "error",
    [
        status_error(400),
        status_error(422),
        status_error(429),
        status_error(401),
        rx.APIConnectionError("refused", method="POST", url="u", request_sent=False),
        None,
    ],
)
def test_a_refusal_or_a_connection_never_made_is_a_known_outcome(error: Any) -> None:
    """A 4xx refusal, or nothing reached the server: it did not happen."""
    assert False is is_unknown_outcome(error)


@pytest.mark.parametrize(
    ("outcome", "retries", "expected"),
    [
        (Outcome(status=503, unknown=True), 0, Decision(retry=True, delay=0.5, look=True)),
        (Outcome(status=524, unknown=True), 1, Decision(retry=True, delay=1.0, look=True)),
        (Outcome(unknown=True), 0, Decision(retry=True, delay=0.5, look=True)),
        (Outcome(), 0, Decision(retry=True, delay=0.5)),
        (Outcome(status=500, unknown=True), 2, Decision(retry=False, look=True)),
        (Outcome(status=400), 0, Decision(retry=False)),
        (Outcome(status=404), 0, Decision(retry=False)),
        (
            Outcome(status=429, retry_after=3.0),
            0,
            Decision(retry=True, delay=3.0, pause_all=True),
        ),
        (Outcome(status=429), 0, Decision(retry=True, delay=0.5, pause_all=True)),
        (
            Outcome(status=429, retry_after=3.0),
            2,
            Decision(retry=False, delay=3.0, pause_all=True),
        ),
        (
            Outcome(status=503, unknown=True, retry_after=86400.0),
            0,
            Decision(retry=False, look=True),
        ),
        (
            Outcome(status=500, unknown=True, should_retry=False),
            0,
            Decision(retry=False, look=True),
        ),
        (Outcome(status=400, should_retry=True), 0, Decision(retry=True, delay=0.5)),
    ],
)
def test_what_a_create_does_after_each_outcome(
    outcome: Outcome, retries: int, expected: Decision
) -> None:
    """decide(): retry (looking first when it may have happened), or give up (looking last)."""
    assert expected == decide(outcome, retries, create(), max_retries=2, rand=0)


def test_a_request_without_a_lookup_never_looks() -> None:
    """A GET's 503 is retried plainly: nothing to look for."""
    expected = Decision(retry=True, delay=0.5)
    assert expected == decide(Outcome(status=503, unknown=True), 0, GET, max_retries=2, rand=0)


def test_a_post_that_must_not_be_resent_gives_up_on_an_unknown_outcome() -> None:
    """A launch (no lookup, ``not_resent``) is not sent again after a 502."""
    launch = create(lookup=False, not_resent="look at the campaign first")
    assert Decision(retry=False) == decide(
        Outcome(status=502, unknown=True), 0, launch, max_retries=2
    )


def test_an_endpoint_final_status_is_a_flag_on_its_request() -> None:
    """A 409 on a delete ("in use") is not retried; on a create it is an unknown outcome."""
    delete = Request("DELETE", "/voices/v", dict, final_statuses=frozenset({409}))
    assert False is decide(Outcome(status=409, unknown=True), 0, delete, max_retries=2).retry
    assert True is decide(Outcome(status=409, unknown=True), 0, create(), max_retries=2).retry


def test_x_should_retry_is_read_from_the_answer() -> None:
    """The server's ``x-should-retry`` header, as the official client reads it."""
    assert True is Outcome.of(status_error(400, **{"x-should-retry": "true"})).should_retry
    assert False is Outcome.of(status_error(503, **{"x-should-retry": "false"})).should_retry
    assert None is Outcome.of(status_error(503)).should_retry


@pytest.mark.parametrize(
    ("error", "hopeless"),
    [
        (status_error(401), True),
        (status_error(403), True),
        (status_error(404), True),
        (status_error(503, retry_after=3600.0), True),
        (status_error(503, retry_after=1.0), False),
        (status_error(500), False),
        (rx.APIConnectionError("x", method="POST", url="u"), False),
    ],
)
def test_which_answers_stop_a_batch(error: Any, hopeless: bool) -> None:
    """A wrong key or address, or a wait past the cap: nothing later fares better."""
    assert hopeless == is_hopeless(error)


def test_the_server_clock_is_read_from_its_date_header() -> None:
    """``Date`` in HTTP form; none or garbage gives ``None``."""
    assert T0 == server_time({"Date": "Thu, 01 Jan 2026 12:00:00 GMT"})
    assert None is server_time({"Date": "yesterday"})
    assert None is server_time({})


def test_the_cutoff_follows_the_server_clock_not_ours() -> None:
    """A server clock ten minutes behind ours: the window is taken from its clock."""
    first_sent = datetime.now(UTC) - timedelta(seconds=30)
    behind = datetime.now(UTC) - timedelta(minutes=10)
    cutoff = _cutoff(first_sent, behind)
    assert cutoff is not None
    expected = behind - timedelta(seconds=35)
    assert abs((cutoff - expected).total_seconds()) < 2
    assert None is _cutoff(None, behind)


class FakeListing:
    """A listing that counts its calls and can be held open."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.items = items
        self.calls = 0
        self.gate: asyncio.Event | None = None

    async def __call__(self, fetch: Any, wanted: Any) -> Listed:
        self.calls += 1
        snapshot = list(self.items)
        if self.gate is not None:
            await self.gate.wait()
        return Listed(snapshot)


def shared(listing: FakeListing, name: str) -> Lookup:
    def matches(item: Mapping[str, Any]) -> bool:
        return item.get("name") == name

    return Lookup(listing=listing, matches=matches, answer=dict, identity=name, share="/assistants")


async def test_concurrent_lookups_share_one_listing() -> None:
    """Ten rows looking at once cost one GET, not ten."""
    listing = FakeListing([{"id": f"id{i}", "name": f"row{i}"} for i in range(10)])
    lookups = _Lookups()
    results = await asyncio.gather(
        *(lookups.listing(shared(listing, f"row{i}"), never_listed) for i in range(10))
    )
    assert 1 == listing.calls
    assert 10 == len(results)


async def test_a_listing_already_running_does_not_answer_a_later_lookup() -> None:
    """A lookup that arrives mid-listing waits for a fresh one: its create may be newer."""
    listing = FakeListing([])
    listing.gate = asyncio.Event()
    lookups = _Lookups()
    early = asyncio.create_task(lookups.listing(shared(listing, "late"), never_listed))
    for _ in range(1000):  # bounded: a hang is a failure, not a stuck run
        if listing.calls:
            break
        await asyncio.sleep(0)
    listing.items.append({"id": "id1", "name": "late"})  # committed after it began
    late = asyncio.create_task(lookups.listing(shared(listing, "late"), never_listed))
    await asyncio.sleep(0)
    listing.gate.set()
    assert ([], ["id1"]) == (
        [i["id"] for i in (await early).items],
        [i["id"] for i in (await late).items],
    )
    assert 2 == listing.calls


async def test_a_failed_listing_fails_its_callers_and_the_next_lists_again() -> None:
    """A listing that raises fails everyone who joined it; the next lookup lists anew."""
    calls = 0

    async def flaky(fetch: Any, wanted: Any) -> Listed:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ConnectionError("down")
        return Listed([{"id": "id1"}])

    lookup = Lookup(listing=flaky, matches=bool, answer=dict, identity="a", share="s")
    lookups = _Lookups()
    with pytest.raises(ConnectionError):
        await lookups.listing(lookup, never_listed)
    assert ["id1"] == [i["id"] for i in (await lookups.listing(lookup, never_listed)).items]


def test_claims_are_bounded_and_forget_the_oldest() -> None:
    """Claims keep at most MAX_CLAIMS ids (memory stays flat); the oldest go first."""
    lookups = _Lookups()
    for i in range(10_005):
        lookups.claim(f"id{i}")
    assert (False, True, 10_000) == (
        lookups.is_claimed("id0"),
        lookups.is_claimed("id10004"),
        len(lookups.claimed),
    )


def test_a_key_given_replaces_a_default_key_of_any_case() -> None:
    """A create's own key replaces a default header's key, whatever its case: one is sent."""
    from revox_async._core import RequestOptions
    from revox_async._retry import Engine

    engine = Engine(None, "http://x", "k", redact=lambda error: error)  # type: ignore[arg-type]
    options = RequestOptions(headers={"idempotency-key": "fixed"})
    headers, key = engine.headers(Request("POST", "/assistants", dict, {}, "mine"), options)
    sent = [value for name, value in headers.items() if name.lower() == "idempotency-key"]
    assert (["mine"], "mine") == (sent, key)
