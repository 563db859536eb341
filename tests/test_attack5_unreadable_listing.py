"""Attack: the lookup's listing answered 2xx, but not with a list (no body, another
envelope, ``"calls": null``).

After a lost answer the create looks for what its attempt made. A listing that holds
no list was read as "nothing there", and the create was sent again: a call dialled
twice, an assistant made twice. What cannot be read settles nothing: the outcome stays
unknown (`OutcomeUnknownError`), and nothing more is sent.
"""

from __future__ import annotations

from typing import Any

import pytest
from aioresponses import aioresponses

from revox_async import AsyncRevox, OutcomeUnknownError
from tests.conftest import BASE
from tests.test_resources_wire import sent

UNREADABLE: list[dict[str, Any]] = [
    {"status": 200, "body": ""},
    {"payload": {"data": {"calls": [], "assistants": []}}},
    {"payload": {"calls": None, "assistants": None, "total_count": None}},
]


@pytest.mark.parametrize("listing", UNREADABLE)
async def test_a_call_whose_search_answers_no_list_is_not_dialled_again(
    client: AsyncRevox, mocked: aioresponses, listing: dict[str, Any]
) -> None:
    """The POST is answered 500; every search answers 200 without a list of calls: the
    create raises OutcomeUnknownError naming why, after one POST."""
    mocked.post(f"{BASE}/call", status=500, payload={"error": "boom"})
    mocked.post(f"{BASE}/call/search", repeat=True, **listing)
    with pytest.raises(OutcomeUnknownError, match="without a list"):
        await client.calls.create(phone_number="+33612345678", assistant_id="asst_1")
    assert 1 == len(sent(mocked, "POST", "/call"))


@pytest.mark.parametrize("listing", UNREADABLE)
async def test_an_assistant_whose_listing_answers_no_list_is_not_made_again(
    client: AsyncRevox, mocked: aioresponses, listing: dict[str, Any]
) -> None:
    """The same for an assistant: GET /assistants without a list leaves it unknown."""
    mocked.post(f"{BASE}/assistants", status=500, payload={"error": "boom"})
    mocked.get(f"{BASE}/assistants", repeat=True, **listing)
    with pytest.raises(OutcomeUnknownError, match="without a list"):
        await client.assistants.create(name="A", prompt="p")
    assert 1 == len(sent(mocked, "POST", "/assistants"))
