"""A campaign create whose answer was lost is found by its contacts, not by its name alone.

Another process may make a campaign of the same name and assistant meanwhile, for other
contacts: taking it would leave these contacts out, and launching it would call those
twice. The lookup reads a candidate's rows (its ``row_stats.total`` first) and takes it
only if they are the contacts sent; rows it cannot read leave the outcome unknown.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest
from aioresponses import aioresponses

from revox_async import AsyncRevox, OutcomeUnknownError
from revox_async._resources.campaigns import _row
from revox_async.testing import FaultPlan, MockRevoxServer
from tests.conftest import BASE, KEY, Sleeps
from tests.test_resources_wire import campaign_json, sent

ADA, ALAN = "+33611111111", "+33622222222"
SINCE = datetime(2026, 1, 2, tzinfo=UTC)  # sent, and stored, as its ISO text
CONTACTS: list[Any] = [
    {"to_phone_number": ADA, "prompt_variables": {"name": "Ada", "age": 36, "since": SINCE}},
    {"to_phone_number": ALAN, "prompt_variables": {"name": "Alan", "tags": {"a": 1}}},
]
ROWS: list[dict[str, Any]] = [  # as the server stores them: variables as text, any order
    {
        "id": "r2",
        "row_index": 1,
        "phone_number": ALAN,
        "input_data": {"name": "Alan", "tags": '{"a": 1}'},
    },
    {
        "id": "r1",
        "row_index": 0,
        "phone_number": ADA,
        "input_data": {"age": "36", "name": "Ada", "since": SINCE.isoformat()},
    },
]


def listed(mocked: aioresponses, *campaigns: dict[str, Any]) -> None:
    """After a 503 (nothing made), ``GET /campaigns`` lists ``campaigns``; a second POST,
    if one is sent, makes ``camp_mine``."""
    mocked.post(f"{BASE}/campaigns", status=503, payload={"error": "overloaded"})
    mocked.get(f"{BASE}/campaigns", payload={"campaigns": list(campaigns)}, repeat=True)
    mine = campaign_json(id="camp_mine", name="Daily", created_at=datetime.now(UTC).isoformat())
    mocked.post(f"{BASE}/campaigns", payload={"campaign": mine})


def daily(campaign_id: str | None, **overrides: Any) -> dict[str, Any]:
    """A campaign named "Daily" created just now, with two rows."""
    now = datetime.now(UTC).isoformat()
    return campaign_json(**{"id": campaign_id, "name": "Daily", "created_at": now, **overrides})


async def create(sleeps: Sleeps, contacts: list[Any] = CONTACTS, **params: Any) -> Any:
    """``campaigns.create`` of "Daily" for ``contacts``, retried twice, sleeps recorded."""
    async with AsyncRevox(api_key=KEY, base_url=BASE, max_retries=2) as client:
        client._sleep = sleeps
        return await client.campaigns.create(
            name="Daily", assistant_id="asst_1", contacts=contacts, **params
        )


@pytest.mark.parametrize("row_stats", [{"total": 2}, None], ids=["counted", "not counted"])
async def test_the_campaign_the_attempt_made_is_taken_once_its_rows_are_read(
    mocked: aioresponses, sleeps: Sleeps, row_stats: Any
) -> None:
    """Its rows hold these contacts (another order, variables stored as text): taken, with
    one POST, one listing and one read of its rows."""
    mocked.post(f"{BASE}/campaigns", status=503, payload={"error": "overloaded"})
    made = daily("camp_made", row_stats=row_stats)
    mocked.get(f"{BASE}/campaigns", payload={"campaigns": [made]})
    mocked.get(f"{BASE}/campaigns/camp_made/rows", payload={"rows": ROWS})
    campaign = await create(sleeps)
    assert "camp_made" == campaign.id
    assert 1 == len(sent(mocked, "POST", "/campaigns"))
    assert 1 == len(sent(mocked, "GET", "/campaigns"))
    assert 1 == len(sent(mocked, "GET", "/campaigns/camp_made/rows"))


async def test_numbers_the_server_stored_without_their_spaces_still_match(
    mocked: aioresponses, sleeps: Sleeps
) -> None:
    """Sent as typed ("+33 6 11 ..."), stored as dialled, the caller's number too: taken."""
    mocked.post(f"{BASE}/campaigns", status=503, payload={"error": "overloaded"})
    made = daily("camp_made", from_phone_number="+33100000000")
    mocked.get(f"{BASE}/campaigns", payload={"campaigns": [made]})
    mocked.get(f"{BASE}/campaigns/camp_made/rows", payload={"rows": ROWS})
    typed = [{**CONTACTS[0], "to_phone_number": "+33 6 11 11 11 11"}, CONTACTS[1]]
    campaign = await create(sleeps, typed, from_phone_number="+33 1 00 00 00 00")
    assert "camp_made" == campaign.id
    assert 1 == len(sent(mocked, "POST", "/campaigns"))


FAILED, UNREAD = "looking it up failed", "could not all be read"
ROWS_UNREAD: dict[str, tuple[dict[str, Any], str]] = {
    "a 500": ({"status": 500, "payload": {"error": "x"}}, FAILED),
    "a 404": ({"status": 404, "payload": {"error": "not found"}}, FAILED),
    "a dropped connection": ({"exception": aiohttp.ServerDisconnectedError()}, FAILED),
    "no list of rows": ({"payload": {"rows": None}}, UNREAD),
    "one row of two (a page)": ({"payload": {"rows": ROWS[:1]}}, UNREAD),
}


@pytest.mark.parametrize(("answer", "why"), ROWS_UNREAD.values(), ids=ROWS_UNREAD)
async def test_a_match_whose_rows_cannot_all_be_read_leaves_the_outcome_unknown(
    mocked: aioresponses, sleeps: Sleeps, answer: dict[str, Any], why: str
) -> None:
    """The only match's rows cannot all be read: neither taken nor sent again (one POST),
    and the error says why."""
    listed(mocked, daily("camp_made"))
    mocked.get(f"{BASE}/campaigns/camp_made/rows", repeat=True, **answer)
    with pytest.raises(OutcomeUnknownError, match=why) as caught:
        await create(sleeps)
    assert 1 == len(sent(mocked, "POST", "/campaigns"))
    assert caught.value.idempotency_key is not None


async def test_a_match_without_an_id_leaves_the_outcome_unknown(
    mocked: aioresponses, sleeps: Sleeps
) -> None:
    """Its rows cannot be asked for: neither taken nor sent again (one POST)."""
    listed(mocked, daily(None))
    with pytest.raises(OutcomeUnknownError, match=UNREAD):
        await create(sleeps)
    assert 1 == len(sent(mocked, "POST", "/campaigns"))


STORED: dict[str, tuple[Any, Any, bool]] = {  # variables sent, input_data stored, a match
    "a number as text": ({"age": 36}, {"age": "36"}, True),
    "an object as spaced JSON": ({"t": {"b": 1, "a": [1]}}, {"t": '{"a": [1], "b": 1}'}, True),
    "a text as JSON": ({"name": "Ada"}, {"name": '"Ada"'}, True),
    "a whole float as the number a server writes": ({"n": 1.0}, {"n": "1"}, True),
    "a whole number stored as a float": ({"n": 1}, {"n": "1.0"}, True),
    "floats written two ways": ({"n": 1000.5, "m": 1000}, {"n": "1.0005e3", "m": "1e3"}, True),
    "another value": ({"age": 36}, {"age": "37"}, False),
    "a variable more": ({"age": 36}, {"age": "36", "x": "1"}, False),
    "too deep to read": ({"d": "x"}, {"d": "[" * 100_000}, False),
    "not an object": ({}, ["x"], False),
}


@pytest.mark.parametrize(("variables", "stored", "expected"), STORED.values(), ids=STORED)
def test_a_contact_matches_the_row_a_server_stores_for_it(
    variables: Any, stored: Any, expected: bool
) -> None:
    """Variables are compared as the text a row holds (``input_data`` is text)."""
    assert expected == (_row(ADA, variables) == _row(ADA, stored))


OTHER_ROWS: dict[str, list[dict[str, Any]]] = {
    "another number": [ROWS[0], {**ROWS[1], "phone_number": "+33699999999"}],
    "other variables": [ROWS[0], {**ROWS[1], "input_data": {"age": "37", "name": "Ada"}}],
    "one contact twice": [ROWS[0], {**ROWS[0], "id": "r3"}],
}


@pytest.mark.parametrize("rows", OTHER_ROWS.values(), ids=OTHER_ROWS)
async def test_neither_the_name_nor_the_contacts_alone_are_enough(
    mocked: aioresponses, sleeps: Sleeps, rows: list[dict[str, Any]]
) -> None:
    """Made meanwhile: "Weekly" with these very contacts, and "Daily" with as many others:
    neither is taken, the create is sent again (two POSTs)."""
    listed(mocked, daily("camp_renamed", name="Weekly"), daily("camp_other"))
    mocked.get(f"{BASE}/campaigns/camp_renamed/rows", payload={"rows": ROWS}, repeat=True)
    mocked.get(f"{BASE}/campaigns/camp_other/rows", payload={"rows": rows}, repeat=True)
    campaign = await create(sleeps)
    assert "camp_mine" == campaign.id
    assert 2 == len(sent(mocked, "POST", "/campaigns"))
    assert 0 == len(sent(mocked, "GET", "/campaigns/camp_renamed/rows"))


async def test_the_rows_are_read_where_the_create_was_sent(
    mocked: aioresponses, sleeps: Sleeps
) -> None:
    """A create sent with ``extra_query`` (a workspace) reads the rows with it too."""
    query = "?workspace=w1"
    mocked.post(f"{BASE}/campaigns{query}", status=503, payload={"error": "overloaded"})
    mocked.get(f"{BASE}/campaigns{query}", payload={"campaigns": [daily("camp_made")]})
    mocked.get(f"{BASE}/campaigns/camp_made/rows{query}", payload={"rows": ROWS})
    campaign = await create(sleeps, extra_query={"workspace": "w1"})
    assert "camp_made" == campaign.id
    assert 1 == len(sent(mocked, "GET", f"/campaigns/camp_made/rows{query}"))


async def test_two_identical_creates_whose_answers_are_lost_each_get_their_own(
    mock: MockRevoxServer, sleeps: Sleeps
) -> None:
    """Against the mock: both POSTs commit then fail; the two lookups read the same rows
    at once, and each takes a different campaign (two campaigns, two ids)."""
    async with AsyncRevox(api_key=mock.api_key, base_url=mock.base_url) as client:
        client._sleep = sleeps
        assistant = await client.assistants.create(name="a", prompt="p")
        mock.faults = FaultPlan(commit_then_fail_rate=1.0, methods=frozenset({"POST"}))
        params = {"name": "Daily", "assistant_id": assistant.id, "contacts": CONTACTS}
        made = await asyncio.gather(*(client.campaigns.create(**params) for _ in range(2)))
    assert set(mock.campaigns) == {campaign.id for campaign in made}
    assert 2 == len(mock.campaigns)
