"""Nobody is called twice where the caller, the clock and the spreadsheet are unlucky.

The eighth attack pass, against the hostile calls server (`tests.hostile_calls`):

* a clock stepped forward between a killed run and its re-run made the rows left in
  flight look an hour old: the re-run looked at once, before the server had placed
  them, and dialled them again. The journal now also records the boot clock, which
  no one steps: on the same boot, a re-run waits by the shorter count of the two;
* an ``Idempotency-Key`` among the client's headers (``with_options(headers=...)``,
  ``default_headers``) was silently replaced by ``calls.create``'s own key: the same
  create again, as one does after a crash, dialled again. It is now the create's
  ``idempotency_key``, as one given in ``extra_headers`` is; a batch's rows keep their
  own keys (one key names one create);
* a phone number a spreadsheet turned into a float (``3.36E+10``, ``33612345678.0``)
  was sent as it was: its digits dial someone else. It is refused, naming the field,
  before anything is sent.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from revox_async import AsyncRevox
from tests.hostile_calls import KEY, Faults, HostileCalls

ASSISTANT = "asst_hostile"


def rows(count: int) -> list[dict[str, Any]]:
    return [{"phone_number": f"+3360000000{i}", "assistant_id": ASSISTANT} for i in range(count)]


# -- a clock stepped forward ------------------------------------------------------------


async def test_a_clock_stepped_forward_after_a_kill_does_not_make_the_rerun_look_too_soon(
    tmp_path: Path,
) -> None:
    """Run 1 is cancelled with 4 rows in flight, which the server places 1 s after they
    arrived; the wall clock then jumps an hour ahead (a VM resumed, NTP): the re-run at
    once still waits out the window by the boot clock, finds the 4 calls and places the
    rest. Each row once."""
    server = HostileCalls(Faults(latency=1.0))
    journal = tmp_path / "calls.journal.jsonl"
    options: dict[str, Any] = {"timeout": 0.3, "max_retries": 3, "outcome_window": 2.0}
    async with server.serve():
        async with AsyncRevox(base_url=server.url, api_key=KEY, **options) as killed:
            batch = killed.calls.create_many(rows(8), concurrency=4, journal=journal)
            first = asyncio.create_task(batch)
            await server.received(4)
            first.cancel()
            with pytest.raises(asyncio.CancelledError):
                await first
        behind = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
        records = [json.loads(line) for line in journal.read_text().splitlines()]
        journal.write_text("".join(json.dumps({**r, "at": behind} if "at" in r else r) + "\n"
                                   for r in records))  # fmt: skip
        async with AsyncRevox(base_url=server.url, api_key=KEY, **options) as again:
            result = await again.calls.create_many(rows(8), concurrency=4, journal=journal)
        await server.settled()
    assert result.ok, result.errors[:3]
    assert {} == server.twice()
    assert 8 == len(server.placed)
    assert 4 <= sum(item.found_by_check for item in result.results)
