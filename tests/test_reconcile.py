"""Check before re-sending: matching sent bodies to stored assistants, one listing for many."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from revox_async._reconcile import Reconciler, is_unknown_outcome_status, matches

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def stored(aid: str, name: str, *, at: datetime = T0, **fields: Any) -> dict[str, Any]:
    return {"id": aid, "name": name, "prompt": "p", "created_at": at.isoformat(), **fields}


class FakeList:
    """A listing function that counts its calls and can be held open."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.items = items
        self.calls = 0
        self.gate: asyncio.Event | None = None

    async def __call__(self) -> Sequence[Mapping[str, Any]]:
        self.calls += 1
        snapshot = list(self.items)
        if self.gate is not None:
            await self.gate.wait()
        return snapshot


def test_server_defaults_and_filled_nested_fields_still_match() -> None:
    """voice.speed filled in, FAQ ids added, defaults added: still the row that was sent."""
    sent = {
        "name": "a",
        "voice": {"id": "v", "provider": "cartesia"},
        "faq_items": [{"question": "q", "answer": "a"}],
        "max_call_duration_secs": 600,
        "voicemail_message": None,
    }
    server = {
        "id": "x",
        "name": "a",
        "voice": {"id": "v", "provider": "cartesia", "speed": 1.0},
        "faq_items": [{"id": "faq_1", "question": "q", "answer": "a", "source": "human"}],
        "max_call_duration_secs": 600.0,
        "call_retry_config": {"max_retry_attempts": 3},
    }
    assert True is matches(sent, server)


@pytest.mark.parametrize(
    ("sent", "server"),
    [
        ({"name": "a"}, {"name": "b"}),
        ({"voice": {"id": "v"}}, {"voice": {"id": "w", "speed": 1.0}}),
        ({"faq_items": [{"question": "q"}]}, {"faq_items": []}),
        ({"ivr_navigation_enabled": True}, {"ivr_navigation_enabled": 1}),
        ({"voice": {"id": "v"}}, {"voice": None}),
        ({"faq_items": [{"question": "q"}]}, {"faq_items": "q"}),
        ({"webhook_url": "u"}, {}),
    ],
)
def test_a_different_sent_field_does_not_match(sent: Any, server: Any) -> None:
    """Any field sent that the server holds differently (or not at all) rules it out."""
    assert False is matches(sent, server)


async def test_concurrent_checks_share_one_listing() -> None:
    """Ten rows waiting on a check at once cost one GET, not ten."""
    listing = FakeList([stored(f"id{i}", f"row{i}") for i in range(10)])
    reconciler = Reconciler(listing, since=T0)
    found = await asyncio.gather(*(reconciler.find({"name": f"row{i}"}) for i in range(10)))
    assert [f"id{i}" for i in range(10)] == [f["id"] if f else None for f in found]
    assert 1 == listing.calls
    assert 1 == reconciler.listings


async def test_a_listing_already_running_does_not_answer_a_later_check() -> None:
    """A check that arrives mid-listing waits for a fresh one: its create may be newer."""
    listing = FakeList([])
    listing.gate = asyncio.Event()
    reconciler = Reconciler(listing, since=T0)
    early = asyncio.create_task(reconciler.find({"name": "late"}))
    for _ in range(1000):  # bounded: a hang is a failure, not a stuck run
        if listing.calls:
            break
        await asyncio.sleep(0)
    assert listing.calls
    listing.items.append(stored("id1", "late"))  # committed after the first listing began
    late = asyncio.create_task(reconciler.find({"name": "late"}))
    await asyncio.sleep(0)
    listing.gate.set()
    assert (None, "id1") == (await early, (await late or {}).get("id"))
    assert 2 == listing.calls


async def test_identical_rows_each_claim_their_own_assistant() -> None:
    """Three identical rows, two stored copies: two found, one not; none found twice."""
    listing = FakeList([stored("id1", "same"), stored("id2", "same")])
    reconciler = Reconciler(listing, since=T0)
    found = [await reconciler.find({"name": "same"}) for _ in range(3)]
    assert ["id1", "id2", None] == [f["id"] if f else None for f in found]


async def test_claimed_ids_and_old_assistants_are_not_candidates() -> None:
    """A success's own id is claimed; assistants from before `since - skew` are not ours."""
    skew = timedelta(seconds=60)
    listing = FakeList(
        [
            stored("mine", "a"),
            stored("old", "a", at=T0 - skew - timedelta(seconds=1)),
            {"id": "undated", "name": "a"},
            stored("skewed", "a", at=T0 - skew + timedelta(seconds=1)),
        ]
    )
    reconciler = Reconciler(listing, since=T0, clock_skew=skew)
    reconciler.claim("mine")
    found = await reconciler.find({"name": "a"})
    assert "skewed" == (found or {}).get("id")
    assert None is await reconciler.find({"name": "a"})


async def test_a_failed_listing_is_retried_by_the_next_check() -> None:
    """A listing that raises fails its caller; the next check lists again."""
    calls = 0

    async def flaky() -> Sequence[Mapping[str, Any]]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ConnectionError("down")
        return [stored("id1", "a")]

    reconciler = Reconciler(flaky, since=T0)
    with pytest.raises(ConnectionError):
        await reconciler.find({"name": "a"})
    assert "id1" == (await reconciler.find({"name": "a"}) or {}).get("id")


def test_since_must_be_aware() -> None:
    """A naive `since` cannot be compared with the server's times: refused."""
    with pytest.raises(ValueError, match="aware"):
        Reconciler(FakeList([]), since=datetime(2026, 1, 1))


@pytest.mark.parametrize(
    ("status", "unknown"),
    [(500, True), (503, True), (408, True), (409, True), (429, False), (400, False)],
)
def test_which_answers_leave_the_outcome_unknown(status: int, unknown: bool) -> None:
    """5xx, 408 and 409 may follow a commit; 429 and other 4xx were refused."""
    assert unknown == is_unknown_outcome_status(status)
