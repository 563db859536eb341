"""Attack: settling an unknown outcome as docs/calls.md says, at once, in the same client.

A create whose ``create_deadline`` passes before its look raises `OutcomeUnknownError`
while the server may still be working on the attempt. The documented ways to settle it,
``calls.create`` again or a ``create_many`` row with ``exc.idempotency_key``, looked at
once: the call was not listed yet, and it was dialled again. A look for what an attempt made waits, within one
client, until that attempt's ``outcome_window`` has passed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from revox_async import AsyncRevox, OutcomeUnknownError
from tests.hostile_calls import KEY, Faults, HostileCalls

NUMBER = "+33612345678"
ROW = {"phone_number": NUMBER, "assistant_id": "asst_hostile"}


@pytest.fixture
async def hostile() -> AsyncIterator[HostileCalls]:
    server = HostileCalls(Faults(kinds=("slow",), rate=1.0, fault_attempts=1, slow=0.5))
    async with server.serve():
        yield server


@pytest.fixture
async def slower() -> AsyncIterator[HostileCalls]:
    server = HostileCalls(Faults(kinds=("slow",), rate=1.0, fault_attempts=1, slow=5.0))
    async with server.serve():
        yield server


@pytest.mark.parametrize("how", ["create", "create_many"])
async def test_the_documented_settling_right_after_the_error_does_not_dial_again(
    hostile: HostileCalls, how: str
) -> None:
    """The first POST is placed 0.5 s after it arrives, long after the client's 0.1 s
    timeout; create_deadline passes before the look; settling with its key (sent with
    the default deadline, enough to wait) waits out the 2 s window, finds the call, and
    places nothing."""
    options = {"timeout": 0.1, "outcome_window": 2.0, "create_deadline": 0.2}
    async with AsyncRevox(base_url=hostile.url, api_key=KEY, **options) as client:
        with pytest.raises(OutcomeUnknownError) as caught:
            await client.calls.create(**ROW)
        row = {**ROW, "idempotency_key": caught.value.idempotency_key}
        settling = client.with_options(create_deadline=None)  # the deadline's default
        if how == "create":
            call = await settling.calls.create(**row)
        else:
            (item,) = (await settling.calls.create_many([row])).results
            call = item.created
    await hostile.settled()
    assert {NUMBER: 1} == dict(hostile.placed)
    assert call is not None
    assert ([call.id], 1) == (list(hostile.calls), hostile.posts)


async def test_a_key_from_an_interrupted_run_is_looked_for_once_its_window_has_passed(
    slower: HostileCalls,
) -> None:
    """Another client (a script run again right after the error) brings the key of an
    attempt the server is still placing: the key tells when it was made, so the create
    waits the timeout and the window before looking, finds the call, and places nothing.
    (The server places the call 5 s late, well inside the 8 s window, so that a look at
    once would surely miss it, however loaded the machine.)"""
    hostile = slower
    options = {"timeout": 0.1, "outcome_window": 8.0, "create_deadline": 0.2}
    async with AsyncRevox(base_url=hostile.url, api_key=KEY, **options) as interrupted:
        with pytest.raises(OutcomeUnknownError) as caught:
            await interrupted.calls.create(**ROW)
    row = {**ROW, "idempotency_key": caught.value.idempotency_key}
    async with AsyncRevox(
        base_url=hostile.url, api_key=KEY, timeout=0.1, outcome_window=8.0
    ) as api:
        (item,) = (await api.calls.create_many([row])).results
    await hostile.settled()
    assert {NUMBER: 1} == dict(hostile.placed)
    assert (True, 1) == (item.found_by_check, hostile.posts)
