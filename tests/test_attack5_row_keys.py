"""Attack: one ``idempotency_key`` on two rows of one ``create_many`` input.

A key names one logical create. Two rows that bring the same key (a failed-rows file
concatenated with itself, rows copied in a spreadsheet) both look before their first
POST, both find nothing while neither has been sent, and a server that ignores keys
placed both: one person called twice, or two calls under one key. The second row is
refused, naming the key and the first row, before anything is sent for it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from revox_async import AsyncRevox
from revox_async.testing import MockRevoxServer
from tests.hostile_calls import KEY, HostileCalls

ASSISTANT = "asst_hostile"


@pytest.fixture
async def hostile() -> AsyncIterator[HostileCalls]:
    server = HostileCalls()
    async with server.serve():
        yield server


@pytest.mark.parametrize("second_number", ["+33 6 12 00 00 00", "+33612000000", "+33612000001"])
async def test_a_key_given_to_two_rows_places_one_call_and_refuses_the_second_row(
    hostile: HostileCalls, second_number: str
) -> None:
    """Rows 1 and 2 carry key k-1 (the same number, as typed or as dialled, or another
    one; repeats allowed): one call is placed, row 2 fails naming the key and row 1."""
    rows = [
        {"phone_number": "+33 6 12 00 00 00", "assistant_id": ASSISTANT, "idempotency_key": "k-1"},
        {"phone_number": second_number, "assistant_id": ASSISTANT, "idempotency_key": "k-1"},
    ]
    async with AsyncRevox(base_url=hostile.url, api_key=KEY, outcome_window=0.1) as api:
        result = await api.calls.create_many(rows, concurrency=8, allow_repeat_numbers=True)
    await hostile.settled()
    first, second = result.results
    assert 1 == len(hostile.calls)
    assert ("created", "failed") == (first.status, second.status)
    assert isinstance(second.error, ValueError)
    assert "idempotency_key: 'k-1' is already the key of row 1" in str(second.error)
    assert not second.maybe_created


async def test_an_assistants_batch_refuses_a_key_given_to_two_rows() -> None:
    """The same for assistants, against a mock that ignores keys: one assistant is
    created, the second row with key k-1 fails before it is sent."""
    rows = [{"name": "Same", "prompt": "p", "idempotency_key": "k-1"} for _ in range(2)]
    async with MockRevoxServer(idempotency="ignore") as mock:
        async with AsyncRevox(base_url=mock.base_url, api_key=mock.api_key) as api:
            result = await api.assistants.create_many(rows, concurrency=2)
        made = len(mock.assistants)
    assert 1 == made
    assert ["created", "failed"] == [item.status for item in result.results]
    assert "idempotency_key: 'k-1' is already the key of row 1" in str(result.results[1].error)
