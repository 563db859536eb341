"""Check before re-sending: matching sent bodies to stored assistants, one listing for many."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from revox_async._reconcile import matches

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
