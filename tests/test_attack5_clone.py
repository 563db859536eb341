"""Attack: ``assistants.clone`` against a server that makes the copy, then answers 500.

A clone is a create (``POST /assistants/{id}/clone`` makes a new assistant), and the
server ignores ``Idempotency-Key``: every retry after a 5xx made another "(Copy)",
four of them at ``max_retries=3``. Like ``voices.clone`` and ``campaigns.launch``, it
is not sent again after an unknown outcome; the error says where to look.
"""

from __future__ import annotations

from revox_async import APIStatusError, AsyncRevox
from revox_async.testing import FaultPlan, MockRevoxServer


async def test_a_clone_answered_500_after_copying_is_not_sent_again() -> None:
    """Every POST copies, then answers 500: one copy, and the 500 raised with a note
    naming where to look for it."""
    async with MockRevoxServer(idempotency="ignore") as mock:
        async with AsyncRevox(
            base_url=mock.base_url, api_key=mock.api_key, max_retries=3, outcome_window=0.05
        ) as api:
            source = await api.assistants.create(name="Src", prompt="p")
            mock.faults = FaultPlan(commit_then_fail_rate=1.0, methods=frozenset({"POST"}))
            try:
                await api.assistants.clone(source.id)
            except APIStatusError as exc:
                error = exc
        names = sorted(assistant["name"] for assistant in mock.assistants.values())
    assert ["Src", "Src (Copy)"] == names
    assert 500 == error.status_code
    assert any("assistants.list()" in note for note in error.__notes__)
