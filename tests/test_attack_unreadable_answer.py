"""Attack: a create answered 2xx with a body this SDK cannot read (another envelope, a
field of a new type). The server made it; a batch must not call it a retryable failure,
or its journal's re-run creates it again."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from aioresponses import aioresponses

from revox_async import APIResponseValidationError, AsyncRevox
from tests.conftest import BASE, KEY, Sleeps, assistant_json
from tests.test_resources_wire import sent

QUICK = {"timeout": 0.2, "outcome_window": 0.05}
"""A re-run waits out what may remain of run 1's attempt (timeout + window) in the batch's
own wait, which frees the row's slot: kept short."""


async def test_a_row_answered_2xx_unreadably_is_maybe_created_and_never_sent_again(
    mocked: aioresponses, sleeps: Sleeps, tmp_path: Path
) -> None:
    """Run 1: 200 with the assistant under another key: the row may exist, the journal
    keeps it "sent". Run 2, same journal: it looks, finds it, and sends nothing."""
    made = assistant_json(id="asst_made", name="A", prompt="p")
    made["created_at"] = datetime.now(UTC).isoformat()
    mocked.post(f"{BASE}/assistants", payload={"data": made})
    mocked.get(f"{BASE}/assistants", payload={"assistants": [made]}, repeat=True)
    journal = tmp_path / "j.jsonl"
    rows = [{"name": "A", "prompt": "p"}]
    async with AsyncRevox(api_key=KEY, base_url=BASE, **QUICK) as client:
        client._sleep = sleeps
        first = await client.assistants.create_many(rows, journal=journal)
    (item,) = first.results
    assert isinstance(item.error, APIResponseValidationError)
    assert (item.status, item.maybe_created) == ("failed", True)
    async with AsyncRevox(api_key=KEY, base_url=BASE, **QUICK) as client:
        client._sleep = sleeps
        again = await client.assistants.create_many(rows, journal=journal)
    assert ["asst_made"] == [item.created_id for item in again.results]
    assert 1 == len(sent(mocked, "POST", "/assistants"))
