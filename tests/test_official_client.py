"""A client we did not write speaks to the mock server unchanged: PyPI's ``revox``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from revox_async.testing import MockRevoxServer

revox = pytest.importorskip("revox")


@pytest.fixture
def server(revox_mock: MockRevoxServer) -> MockRevoxServer:
    return revox_mock


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
    assert ["monday", "friday"] == created.call_retry_config.allowed_days

    fetched = official.assistants.retrieve(created.id)
    assert created.name == fetched.name

    updated = official.assistants.update(created.id, name="Night desk", voicemail_message=None)
    assert ("Night desk", None) == (updated.assistant.name, updated.assistant.voicemail_message)
    assert {"name": "Night desk", "voicemail_message": None} == server.requests[-1].body

    assert [created.id] == [a.id for a in official.assistants.list().assistants]
    assert official.assistants.delete(created.id).success is True
    assert {} == server.assistants


def test_official_client_creates_with_the_newer_fields(
    official: Any, server: MockRevoxServer
) -> None:
    """Custom tools, transfer destinations, a realtime llm_model: accepted and read back typed."""
    created = official.assistants.create(
        name="Concierge",
        prompt="You answer for a hotel.",
        type="standalone",
        stt_model="stt-rt-v5",
        llm_model={"type": "realtime", "provider": "openai", "realtime_model_id": "gpt-realtime"},
        voice={"id": "v1", "provider": "cartesia", "model": "sonic-3", "volume": 1.2},
        custom_tools=[
            {
                "name": "availability",
                "description": "Free rooms on a date",
                "method": "GET",
                "url": "https://hotel.example.com/rooms?date={{date}}",
                "headers": [{"key": "X-Key", "value": "k"}],
                "query_params": [],
                "input_schema": [{"name": "date", "required": True, "type": "date"}],
                "body_template": None,
            }
        ],
        transfer_destinations=[{"label": "Reception", "phone_number": "+33123456789"}],
        human_transfer_mode="cold",
        stt_context={"general": [{"key": "hotel", "value": "Le Grand"}], "terms": ["Le Grand"]},
        slack={"connection_id": "c", "channels": [{"id": "C1"}], "outcomes": ["interested"]},
        position={"x": 1.5, "y": 2},
    ).assistant
    assert "realtime" == created.llm_model.type
    assert "gpt-realtime" == created.llm_model.realtime_model_id
    assert "availability" == created.custom_tools[0].name
    assert "date" == created.custom_tools[0].input_schema[0].type
    assert "+33123456789" == created.transfer_destinations[0].phone_number
    assert ("standalone", False, False) == (
        created.type,
        created.sms_enabled,
        created.ivr_navigation_enabled,
    )
    assert "mock" in created.created_by.first_name.lower()
    assert "interested" == server.assistants[created.id]["slack"]["outcomes"][0]


def test_official_client_clones(official: Any, server: MockRevoxServer) -> None:
    """assistants.clone: a "(Copy)" with the FAQ items, under a new id."""
    original = official.assistants.create(
        name="Front desk", prompt="p", faq_items=[{"question": "Open?", "answer": "Yes."}]
    ).assistant
    copy = official.assistants.clone(original.id).assistant
    assert ("Front desk (Copy)", "Yes.") == (copy.name, copy.faq_items[0].answer)
    assert copy.id != original.id
    assert copy.faq_items[0].id != original.faq_items[0].id
    assert {original.id, copy.id} == set(server.assistants)
    with pytest.raises(revox.NotFoundError):
        official.assistants.clone("asst_missing")


def test_official_client_reads_the_unpatched_calls_notice(
    official: Any, server: MockRevoxServer
) -> None:
    """The camelCase unpatchedCallsNotice reaches the official model when the mock sends it."""
    created = official.assistants.create(name="n", prompt="p").assistant
    assert official.assistants.update(created.id, name="m").unpatched_calls_notice is None
    server.unpatched_calls_notice = {"count": 2, "variables": ["first_name"]}
    notice = official.assistants.update(created.id, name="o").unpatched_calls_notice
    assert (2, ["first_name"]) == (notice.count, notice.variables)


def test_official_client_gets_its_own_errors(official: Any, server: MockRevoxServer) -> None:
    """401, 404, 400 and 422 map to the official package's exception classes."""
    with pytest.raises(revox.NotFoundError):
        official.assistants.retrieve("asst_missing")
    with pytest.raises(revox.BadRequestError):
        official.assistants.create(name="n", prompt="p", voice={"provider": "cartesia"})  # type: ignore[typeddict-item]
    with pytest.raises(revox.UnprocessableEntityError) as info:
        official.assistants.create(
            name="n", prompt="p", transfer_destinations=[{"label": "x", "phone_number": "06 12"}]
        )
    assert "transfer_destinations[0].phone_number" == info.value.body["field"]
    wrong = revox.Revox(api_key="wrong", base_url=server.base_url, max_retries=0)
    with pytest.raises(revox.AuthenticationError):
        wrong.assistants.list()
    wrong.close()
