"""A client we did not write speaks to the mock server unchanged: PyPI's ``revox``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from revox_async.testing import MockRevoxServer

revox = pytest.importorskip("revox")


@pytest.fixture
def server() -> Iterator[MockRevoxServer]:
    with MockRevoxServer(api_key="official-key") as mock:
        yield mock


@pytest.fixture
def official(server: MockRevoxServer) -> Iterator[Any]:
    client = revox.Revox(api_key=server.api_key, base_url=server.base_url, max_retries=0)
    yield client
    client.close()


def test_official_client_crud(official: Any, server: MockRevoxServer) -> None:
    """create (nested voice, llm_model, FAQ, retry windows) → retrieve → update → list → delete."""
    created = official.assistants.create(
        name="Front desk",
        prompt="You book appointments.",
        voice={"id": "79a125e8", "provider": "cartesia", "speed": 1.2},
        llm_model={"type": "dedicated-instance", "name": "gpt-4.1"},
        faq_items=[{"question": "Open on Sunday?", "answer": "No."}],
        call_retry_config={
            "allowed_days": ["monday", "friday"],
            "call_twice_in_a_row": False,
            "calling_windows": [
                {
                    "calling_window_start_time": "10am",
                    "calling_window_end_time": "18:00",
                    "retry_delay_seconds": 7200,
                }
            ],
            "max_retry_attempts": 3,
        },
    ).assistant
    assert created.id in server.assistants
    assert "cartesia" == created.voice.provider
    assert "gpt-4.1" == created.llm_model.name
    assert "No." == created.faq_items[0].answer
    # a field the contract does not list is kept by the server
    assert ["monday", "friday"] == created.call_retry_config.allowed_days

    fetched = official.assistants.retrieve(created.id)
    assert created.name == fetched.name

    updated = official.assistants.update(created.id, name="Night desk", voicemail_message=None)
    assert ("Night desk", None) == (updated.assistant.name, updated.assistant.voicemail_message)
    assert {"name": "Night desk", "voicemail_message": None} == server.requests[-1].body

    assert [created.id] == [a.id for a in official.assistants.list().assistants]
    assert official.assistants.delete(created.id).success is True
    assert {} == server.assistants


def test_official_client_gets_its_own_errors(official: Any, server: MockRevoxServer) -> None:
    """401, 404 and 400 map to the official package's exception classes."""
    with pytest.raises(revox.NotFoundError):
        official.assistants.retrieve("asst_missing")
    with pytest.raises(revox.BadRequestError):
        official.assistants.create(name="n", prompt="p", voice={"provider": "cartesia"})  # type: ignore[typeddict-item]
    wrong = revox.Revox(api_key="wrong", base_url=server.base_url, max_retries=0)
    with pytest.raises(revox.AuthenticationError):
        wrong.assistants.list()
    wrong.close()
