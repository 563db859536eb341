"""Attack: a lookup that reads only the first pages of a number's calls, from a server
that lists them oldest first whatever ``sort_direction`` says.

The lookup reads at most ten pages of 100, newest first. A number called more than
1,000 times before (a test line, a switchboard) on a server that ignores the sort puts
the call an attempt just made past the last page read: not found, it was dialled
again. A listing cut short whose order is not newest first settles nothing: the
outcome stays unknown. From a server that does sort, the newest calls were read, and
not finding the call there means it was not placed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from revox_async import AsyncRevox, OutcomeUnknownError
from tests.hostile_calls import KEY, Faults, HostileCalls

NUMBER = "+33 6 12 00 00 00"
BODY = {"phone_number": NUMBER, "assistant_id": "asst_hostile"}


@pytest.fixture
async def hostile() -> AsyncIterator[HostileCalls]:
    server = HostileCalls()
    for i in range(1_050):  # more than the ten pages of 100 a lookup reads, a minute apart
        server.earlier_calls(BODY, 1, days_ago=1 - i / 1_440)
    async with server.serve():
        yield server


def client(server: HostileCalls) -> AsyncRevox:
    return AsyncRevox(base_url=server.url, api_key=KEY, outcome_window=0.1, max_retries=2)


async def test_a_call_past_the_pages_read_of_an_unsorted_listing_is_not_dialled_again(
    hostile: HostileCalls,
) -> None:
    """Placed, then answered 500, listed oldest first after 1,050 calls: the create
    raises OutcomeUnknownError saying why, and the number is called once."""
    hostile.sorts = False
    hostile.faults = Faults(kinds=("500",), rate=1.0, fault_attempts=1)
    async with client(hostile) as api:
        with pytest.raises(OutcomeUnknownError, match="not listed newest first"):
            await api.calls.create(**BODY)
    await hostile.settled()
    assert {"+33612000000": 1} == dict(hostile.placed)


async def test_a_server_that_sorts_newest_first_still_gets_the_call_sent_again(
    hostile: HostileCalls,
) -> None:
    """The first POST never reached the call logic (a 503 placing nothing): the newest
    1,000 calls are read, it is not among them, and it is sent again, once."""
    hostile.faults = Faults(kinds=("503-unplaced",), rate=1.0, fault_attempts=1)
    async with client(hostile) as api:
        call = await api.calls.create(**BODY)
    await hostile.settled()
    assert {"+33612000000": 1} == dict(hostile.placed)
    assert call.id == hostile.by_number[NUMBER][-1]
