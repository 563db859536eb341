"""Attacks on the content-matched lookup (assistants, campaigns): what it must not take.

An assistant or a campaign carries no key; after a lost answer the lookup takes a listed
object holding what was sent and created since the first attempt. A match whose
``created_at`` cannot be read may be one made long before (yesterday's campaign of the
same name, with other contacts): taking it would answer with the wrong object, and
skipping it could create the same thing twice. Neither is sent nor taken: the outcome
stays unknown.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aioresponses import aioresponses

from revox_async import AsyncRevox, OutcomeUnknownError
from tests.conftest import BASE, KEY, Sleeps, assistant_json
from tests.test_resources_wire import campaign_json, sent

UNDATED: list[Any] = [None, "yesterday", "", ["2026"]]
"""``created_at`` values no clock can be read from."""


@pytest.mark.parametrize("created_at", UNDATED)
async def test_an_older_campaign_of_the_same_name_with_no_readable_date_is_not_taken(
    mocked: aioresponses, sleeps: Sleeps, created_at: Any
) -> None:
    """The attempt's 503 made nothing; the listing shows an undated campaign with the
    same name and assistant (other contacts): OutcomeUnknownError, not that campaign."""
    mocked.post(f"{BASE}/campaigns", status=503, payload={"error": "overloaded"}, repeat=True)
    old = campaign_json(id="camp_yesterday", name="Daily", created_at=created_at)
    mocked.get(f"{BASE}/campaigns", payload={"campaigns": [old]}, repeat=True)
    async with AsyncRevox(api_key=KEY, base_url=BASE, max_retries=2) as client:
        client._sleep = sleeps
        with pytest.raises(OutcomeUnknownError, match="created_at") as caught:
            await client.campaigns.create(
                name="Daily",
                assistant_id="asst_1",
                contacts=[{"to_phone_number": "+33611111111", "prompt_variables": {}}],
            )
    assert 1 == len(sent(mocked, "POST", "/campaigns"))
    assert caught.value.idempotency_key is not None


@pytest.mark.parametrize("created_at", UNDATED)
async def test_an_identical_assistant_with_no_readable_date_is_neither_taken_nor_doubled(
    mocked: aioresponses, sleeps: Sleeps, created_at: Any
) -> None:
    """A 500 after an unknown outcome, an undated identical assistant listed: one POST,
    and OutcomeUnknownError naming why."""
    mocked.post(f"{BASE}/assistants", status=500, payload={"error": "x"}, repeat=True)
    listed = assistant_json(id="asst_undated", name="Daily", prompt="p", created_at=created_at)
    mocked.get(f"{BASE}/assistants", payload={"assistants": [listed]}, repeat=True)
    async with AsyncRevox(api_key=KEY, base_url=BASE, max_retries=2) as client:
        client._sleep = sleeps
        with pytest.raises(OutcomeUnknownError, match="created_at"):
            await client.assistants.create(name="Daily", prompt="p")
    assert 1 == len(sent(mocked, "POST", "/assistants"))


async def test_a_dated_match_is_taken_even_beside_an_undated_one(
    mocked: aioresponses, sleeps: Sleeps
) -> None:
    """One identical assistant created just now, one undated: the dated one answers."""
    mocked.post(f"{BASE}/assistants", status=500, payload={"error": "x"})
    now = datetime.now(UTC).isoformat()
    undated = assistant_json(id="asst_undated", name="Daily", prompt="p", created_at=None)
    made = assistant_json(id="asst_made", name="Daily", prompt="p", created_at=now)
    mocked.get(f"{BASE}/assistants", payload={"assistants": [undated, made]})
    async with AsyncRevox(api_key=KEY, base_url=BASE, max_retries=2) as client:
        client._sleep = sleeps
        assistant = await client.assistants.create(name="Daily", prompt="p")
    assert "asst_made" == assistant.id
    assert 1 == len(sent(mocked, "POST", "/assistants"))


@pytest.mark.parametrize("scale", [1, 1000])
async def test_a_created_at_in_epoch_seconds_or_milliseconds_is_read_as_a_time(
    mocked: aioresponses, sleeps: Sleeps, scale: int
) -> None:
    """``created_at`` is ``any`` in the API: a Unix time (s or ms) dates the match."""
    mocked.post(f"{BASE}/assistants", status=500, payload={"error": "x"})
    stamp = datetime.now(UTC).timestamp() * scale
    made = assistant_json(id="asst_made", name="Daily", prompt="p", created_at=stamp)
    mocked.get(f"{BASE}/assistants", payload={"assistants": [made]})
    async with AsyncRevox(api_key=KEY, base_url=BASE, max_retries=2) as client:
        client._sleep = sleeps
        assistant = await client.assistants.create(name="Daily", prompt="p")
    assert "asst_made" == assistant.id


async def test_another_campaign_of_the_same_name_made_meanwhile_is_not_taken(
    mocked: aioresponses, sleeps: Sleeps
) -> None:
    """Another process made "Daily" for other contacts a second ago; this create's 503
    made nothing: taking that campaign leaves these contacts out, and launching it calls
    the other contacts twice. The create must be sent again."""
    mocked.post(f"{BASE}/campaigns", status=503, payload={"error": "overloaded"})
    now = datetime.now(UTC).isoformat()
    other = campaign_json(id="camp_other", name="Daily", created_at=now)
    mocked.get(f"{BASE}/campaigns", payload={"campaigns": [other]}, repeat=True)
    other_rows = [{"id": "r1", "row_index": 0, "phone_number": "+33600000000", "input_data": {}}]
    mocked.get(f"{BASE}/campaigns/camp_other/rows", payload={"rows": other_rows}, repeat=True)
    made = campaign_json(id="camp_mine", name="Daily", created_at=now)
    mocked.post(f"{BASE}/campaigns", payload={"campaign": made})
    async with AsyncRevox(api_key=KEY, base_url=BASE, max_retries=2) as client:
        client._sleep = sleeps
        campaign = await client.campaigns.create(
            name="Daily",
            assistant_id="asst_1",
            contacts=[{"to_phone_number": "+33611111111", "prompt_variables": {}}],
        )
    assert "camp_mine" == campaign.id


async def test_an_assistant_stamped_in_zone_less_local_time_is_not_created_again(
    mocked: aioresponses, sleeps: Sleeps
) -> None:
    """The server writes its local time (UTC-5) without a zone: the assistant the 500 made
    seems five hours old. Found, or the outcome left unknown: never a second POST."""
    mocked.post(f"{BASE}/assistants", status=500, payload={"error": "x"})
    local = (datetime.now(UTC) - timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M:%S")
    made = assistant_json(id="asst_made", name="Daily", prompt="p", created_at=local)
    mocked.get(f"{BASE}/assistants", payload={"assistants": [made]}, repeat=True)
    again = assistant_json(id="asst_twice", name="Daily", prompt="p", created_at=local)
    mocked.post(f"{BASE}/assistants", payload={"assistant": again})
    async with AsyncRevox(api_key=KEY, base_url=BASE, max_retries=2) as client:
        client._sleep = sleeps
        with contextlib.suppress(OutcomeUnknownError):
            await client.assistants.create(name="Daily", prompt="p")
    assert 1 == len(sent(mocked, "POST", "/assistants"))


@pytest.mark.parametrize("minutes", [2, 9])
async def test_a_match_just_before_the_cutoff_leaves_the_outcome_unknown(
    mocked: aioresponses, sleeps: Sleeps, minutes: int
) -> None:
    """``created_at`` a few minutes older than the first attempt, by a clock other than the
    one that dates the answer: it may be what the 500 made. Neither taken nor re-sent."""
    mocked.post(f"{BASE}/assistants", status=500, payload={"error": "x"})
    stamp = (datetime.now(UTC) - timedelta(minutes=minutes)).isoformat()
    made = assistant_json(id="asst_made", name="Daily", prompt="p", created_at=stamp)
    mocked.get(f"{BASE}/assistants", payload={"assistants": [made]}, repeat=True)
    async with AsyncRevox(api_key=KEY, base_url=BASE, max_retries=2) as client:
        client._sleep = sleeps
        with pytest.raises(OutcomeUnknownError, match="just before the first attempt"):
            await client.assistants.create(name="Daily", prompt="p")
    assert 1 == len(sent(mocked, "POST", "/assistants"))


async def test_an_identical_assistant_from_an_hour_ago_is_not_taken_and_one_is_made(
    mocked: aioresponses, sleeps: Sleeps
) -> None:
    """An identical assistant made an hour before (dated, with a zone) is another one: the
    500 made nothing, so the create is sent again and answers with the new one."""
    mocked.post(f"{BASE}/assistants", status=500, payload={"error": "x"})
    old = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    earlier = assistant_json(id="asst_old", name="Daily", prompt="p", created_at=old)
    mocked.get(f"{BASE}/assistants", payload={"assistants": [earlier]}, repeat=True)
    made = assistant_json(id="asst_new", name="Daily", prompt="p")
    mocked.post(f"{BASE}/assistants", payload={"assistant": made})
    async with AsyncRevox(api_key=KEY, base_url=BASE, max_retries=2) as client:
        client._sleep = sleeps
        assistant = await client.assistants.create(name="Daily", prompt="p")
    assert "asst_new" == assistant.id
    assert 2 == len(sent(mocked, "POST", "/assistants"))
