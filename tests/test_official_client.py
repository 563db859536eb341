"""A client we did not write speaks to the mock server unchanged: PyPI's ``revox``."""

from __future__ import annotations

import base64
import io
import wave
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


# -- every method of the official client, against the whole mock ------------------------

NO_FILTER: dict[str, Any] = {
    "assignee_ids": [], "assistant_ids": [], "campaign_ids": [], "directions": [],
    "from_phone_numbers": [], "outcomes": [], "results": [], "statuses": [],
}  # fmt: skip
SELECT_ALL: dict[str, Any] = {
    "filters": {
        "assignee_ids": [],
        "directions": [],
        "outcomes": [],
        "results": [],
        "statuses": [],
    },
    "rows": {"call_ids": [], "mode": "all_except"},
}
EXERCISED: set[str] = set()
"""``resource.method`` names the walk below called, checked against the client's own list."""


class Recorder:
    """Wraps the official client: each ``client.resource.method(...)`` call is noted."""

    def __init__(self, client: Any, path: str = "") -> None:
        self._client, self._path = client, path

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._client, name)
        path = f"{self._path}.{name}" if self._path else name
        if callable(target) and self._path and name != "with_raw_response":
            EXERCISED.add(path)
            return target
        if name == "with_raw_response":
            return Recorder(target, self._path)
        return Recorder(target, path)


def public_methods() -> set[str]:
    """Every public method of every resource of the official client."""
    client = revox.Revox(api_key="k", base_url="http://127.0.0.1:9/api")
    found = set()
    for resource in dir(client):
        if resource.startswith(("_", "with_")):
            continue
        value = getattr(client, resource)
        if not type(value).__module__.startswith("revox.resources"):
            continue
        for method in dir(value):
            if not method.startswith(("_", "with_")) and callable(getattr(value, method)):
                found.add(f"{resource}.{method}")
    client.close()
    return found


def test_every_official_method_succeeds_against_the_mock(
    official: Any, server: MockRevoxServer
) -> None:
    """All 36 methods of revox 0.5.0, in the order a user meets them, answered and parsed."""
    client = Recorder(official)
    assert client.auth_status.retrieve().authenticated is True
    user = client.users.retrieve().user
    assert ("user_mock", "org_mock") == (user.id, user.organization_id)

    assistant = client.assistants.create(
        name="Caller",
        prompt="p",
        structured_output_config=[{"name": "email", "required": True, "type": "string"}],
    ).assistant
    assert assistant.id == client.assistants.retrieve(assistant.id).id
    assert "Caller 2" == client.assistants.update(assistant.id, name="Caller 2").assistant.name
    assert [assistant.id] == [a.id for a in client.assistants.list().assistants]
    copy = client.assistants.clone(assistant.id).assistant
    assert client.assistants.delete(copy.id).success is True

    call = client.call.create(phone_number="+33612345678", assistant_id=assistant.id).call
    assert ("queued_for_calling", "+14155550100") == (call.status, call.from_phone_number)
    server.advance(60)
    done = client.call.retrieve(call.id).call
    assert ("completed", "human", 1) == (
        done.status,
        done.last_call_attempt.result,
        done.calls_count,
    )
    assert "sample" == done.call_attempts[0].structured_output["email"]
    other = client.call.create(
        phone_number="+33612345679",
        assistant={"prompt": "inline"},
        scheduled_at="2099-01-01T00:00:00Z",
    ).call
    assert "scheduled" == other.status
    assert client.call.pause(other.id).success is True
    assert client.call.resume(other.id).success is True
    assert client.call.cancel(other.id).success is True
    found = client.call.search(**NO_FILTER, page=1, page_size=10)
    assert (2, {call.id, other.id}) == (found.total_count, {c.id for c in found.calls})
    exported = client.call.export(
        filters={**NO_FILTER, "page": 1, "page_size": 10}, include_metadata=True
    )
    assert exported.filename.endswith(".csv")
    assert call.id in exported.csv
    history = client.call.phone_history().phone_history
    assert history["+33612345678"].reached_human is True

    campaign = client.campaigns.create(
        name="Spring", assistant_id=assistant.id,
        contacts=[{"to_phone_number": "+33600000001", "prompt_variables": {"first_name": "Ada"}}],
    ).campaign  # fmt: skip
    assert 1 == campaign.row_stats.not_launched
    assert "Spring" == client.campaigns.retrieve(campaign.id).campaign.name
    assert (
        3
        == client.campaigns.update(
            campaign.id, max_concurrent_calls=3
        ).campaign.max_concurrent_calls
    )
    assert [campaign.id] == [c.id for c in client.campaigns.list().campaigns]
    launched = client.campaigns.launch(campaign.id, mode="ai_first", selection=SELECT_ALL)
    assert (1, 0) == (launched.launched, launched.skipped.active)
    assert client.campaigns.pause(campaign.id).success is True
    assert client.campaigns.resume(campaign.id).success is True
    server.advance(60)
    rows = client.campaigns.get_rows(campaign.id).rows
    assert ("Ada", "completed") == (rows[0].input_data["first_name"], rows[0].call.status)
    assert "+33600000001" in client.campaigns.export_rows(campaign.id).csv
    stats = client.campaigns.statistics(campaign.id).statistics
    assert (1, 100.0) == (stats.funnel.reached.count, stats.funnel.reached.pct_of_called)
    assert client.campaigns.cancel(campaign.id).success is True
    assert client.campaigns.delete(campaign.id).success is True

    numbers = client.phone_numbers.list().phone_numbers
    assert "+14155550100" == numbers[0].phone_number
    updated = client.phone_numbers.update(
        numbers[0].id, inbound_assistant_id=assistant.id
    ).phone_number
    assert assistant.id == updated.inbound_assistant.id
    assert client.phone_numbers.delete(numbers[1].id).success is True

    voices = client.voices.list().voices
    assert {"cartesia", "elevenlabs", "gradium"} <= {v.provider for v in voices}
    assert (
        "Rachel" == client.voices.retrieve("21m00Tcm4TlvDq8ikWAM", provider="elevenlabs").voice.name
    )
    cloned = client.voices.clone(
        audio=base64.b64encode(b"RIFF....WAVE").decode(),
        content_type="audio/wav",
        language="fr",
        name="Mine",
    )
    assert ("Mine", "fr") == (cloned.name, cloned.language)
    assert client.voices.delete(cloned.id).success is True
    assert client.voices.preview(provider="cartesia", voice_id=voices[0].id) is None
    raw = client.voices.with_raw_response.preview(
        provider="cartesia", voice_id=voices[0].id, text="Hi"
    )
    assert "audio/wav" == raw.headers["content-type"]
    with wave.open(io.BytesIO(raw.read())) as wav:
        assert wav.getnframes() > 0

    assert public_methods() == EXERCISED


def test_the_official_client_has_36_methods() -> None:
    """The list the walk above is checked against is the 0.5.0 surface: 36 methods."""
    methods = public_methods()
    assert 36 == len(methods)
    assert {"call.create", "campaigns.launch", "campaigns.get_rows", "voices.preview"} <= methods
