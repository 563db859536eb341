"""MockRevoxServer over real loopback sockets: the assistant contract, switches and faults.

Validation is checked with plain aiohttp requests (the server is the
authority on values, whatever a client sends); the rest goes through
``AsyncRevox`` from the shipped ``revox_client`` fixture.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import threading
import time
import uuid
import zoneinfo
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Any

import aiohttp
import pytest

import revox_async as rx
from revox_async import AsyncRevox
from revox_async.testing import FaultPlan, MockRevoxServer

Send = Callable[..., Awaitable[tuple[int, Any]]]


@pytest.fixture
async def send(revox_mock: MockRevoxServer) -> AsyncIterator[Send]:
    """``await send(method, path, body)`` → ``(status, json)``, authorised, as raw HTTP."""
    async with aiohttp.ClientSession() as session:

        async def request(method: str, path: str, body: Any = None) -> tuple[int, Any]:
            async with session.request(
                method,
                revox_mock.base_url + path,
                json=body,
                headers={"Authorization": f"Bearer {revox_mock.api_key}"},
            ) as resp:
                return resp.status, await resp.json()

        yield request


async def create_raw(send: Send, **params: Any) -> dict[str, Any]:
    status, data = await send("POST", "/assistants", {"name": "n", "prompt": "p", **params})
    assert 201 == status, data
    assistant: dict[str, Any] = data["assistant"]
    return assistant


# -- every field of the contract ------------------------------------------------

TOOL: dict[str, Any] = {
    "name": "book",
    "description": "Book a slot",
    "method": "POST",
    "url": "https://example.com/book/{{slot}}",
    "headers": [{"key": "X-Token", "value": "{{token}}"}],
    "query_params": [{"key": "lang", "value": "en"}],
    "input_schema": [
        {"name": "slot", "required": True, "type": "datetime", "description": "When"},
        {"name": "kind", "required": False, "type": "enum", "enum_options": ["a", "b"]},
    ],
    "body_template": None,
}

EVERY_FIELD: dict[str, Any] = {
    "name": "Front desk",
    "prompt": "You book appointments for a dental clinic.",
    "type": "multi-step",
    "voice": {"id": "79a125e8", "provider": "cartesia", "model": "sonic-3.5", "speed": 1.1, "volume": 1.5},
    "llm_model": {"type": "custom", "api_key": "sk-x", "api_url": "https://llm.example.com/v1", "model_name": "m"},
    "stt_model": "stt-rt-v5",
    "stt_context": {"general": [{"key": "clinic", "value": "dental"}], "terms": ["Invisalign"]},
    "first_sentence": "Hello!",
    "first_sentence_mode": "static",
    "first_sentence_delay_ms": 0,
    "end_of_call_sentence": "Bye.",
    "max_call_duration_secs": 300.5,
    "max_duration_end_message": "Time is up.",
    "voicemail_message": "Call us back!",
    "background_sound": "audio/office.ogg",
    "background_sound_volume": 0.4,
    "thinking_sound": "keyboard-typing2.ogg",
    "thinking_sound_probability": 1,
    "thinking_sound_volume": 0.8,
    "webhook_url": "https://example.com/hook",
    "from_phone_number": "+14155550100",
    "transfer_destinations": [{"label": "Front office", "phone_number": "+33123456789"}],
    "human_transfer_mode": "warm",
    "warm_transfer_summary_instructions": "Summarise.",
    "ivr_navigation_enabled": True,
    "sms_enabled": True,
    "sms_template": "Hi {{first_name}}",
    "voicemail_sms_prompt": "Say we called.",
    "after_call_sms_prompt": "Thank them.",
    "after_call_sms_outcomes": ["interested", "none"],
    "email_notification_address": "a@example.com, b@example.com",
    "email_notification_outcomes": ["requested_callback_later"],
    "slack": {"connection_id": "c1", "channels": [{"id": "C1", "name": None}, {"id": "C2"}], "outcomes": ["interested"], "template": None},
    "zoho": {"connection_id": "z1", "module": "Leads", "field_mapping": [{"source": "email", "zoho_field": "Email"}], "log_call_activity": True, "outcomes": ["completed"]},
    "calendly": {"connection_id": "k1", "event_type_id": "e1"},
    "call_retry_config": {
        "allowed_days": ["saturday"],
        "call_twice_in_a_row": True,
        "calling_windows": [{"calling_window_start_time": "9:30am", "calling_window_end_time": "17:00", "retry_delay_seconds": 0}],
        "max_retry_attempts": 1,
        "timezone": "Europe/Paris",
    },
    "custom_tools": [TOOL],
    "structured_output_config": [{"name": "email", "required": True, "type": "string"}],
    "structured_output_prompt": "Extract the email.",
    "faq_items": [{"question": "Open on Sunday?", "answer": "No."}],
    "cartesia_dictionary_pronunciation_id": "dict_1",
    "precall_lookup_url": "https://example.com/lookup",
    "logo_url": "https://example.com/logo.png",
    "position": {"x": 10, "y": -2.5},
    "prompt_flow": {
        "nodes": [{"id": "n1", "type": "promptBlock", "data": {"title": "Greet", "body": "Say hi"}, "position": {"x": 0, "y": 0}}],
        "edges": [{"id": "e1", "source": "n1", "target": "n1"}],
    },
    "transfer_phone_number": "+33123456789",
}  # fmt: skip

NULLABLE = [
    "after_call_sms_outcomes", "after_call_sms_prompt", "background_sound", "calendly",
    "cartesia_dictionary_pronunciation_id", "custom_tools", "email_notification_address",
    "email_notification_outcomes", "from_phone_number", "human_transfer_mode", "logo_url",
    "max_duration_end_message", "position", "precall_lookup_url", "prompt_flow", "slack",
    "sms_template", "structured_output_prompt", "stt_context", "thinking_sound",
    "transfer_destinations", "voicemail_message", "voicemail_sms_prompt",
    "warm_transfer_summary_instructions", "zoho", "transfer_phone_number",
]  # fmt: skip
NOT_NULLABLE = [
    "name", "prompt", "background_sound_volume", "call_retry_config", "end_of_call_sentence",
    "faq_items", "first_sentence", "first_sentence_delay_ms", "first_sentence_mode",
    "ivr_navigation_enabled", "llm_model", "max_call_duration_secs", "sms_enabled",
    "structured_output_config", "stt_model", "thinking_sound_probability",
    "thinking_sound_volume", "type", "voice", "webhook_url",
]  # fmt: skip


ASSISTANT_FIELDS = {
    *EVERY_FIELD, "id", "organization_id", "created_at", "updated_at", "created_by",
    "is_inbound_receptionist", "is_realestate_assistant", "pending_faq_count",
} - {"transfer_phone_number"}  # fmt: skip
"""§3.1: the 53 fields of the Assistant object in the 0.5.0 contract."""
VOICE_FIELDS = {"id", "provider", "model", "speed", "volume"}
FAQ_ITEM_FIELDS = {"question", "answer", "id", "needs_human_answer", "source"}


def contains(sent: Any, got: Any) -> bool:
    """``got`` has everything ``sent`` had (the server may add keys to objects)."""
    if isinstance(sent, dict):
        return isinstance(got, dict) and all(
            k in got and contains(v, got[k]) for k, v in sent.items()
        )
    if isinstance(sent, list):
        return isinstance(got, list) and len(sent) == len(got) and all(map(contains, sent, got))
    return bool(sent == got)


def test_the_field_lists_cover_the_45_params_and_the_older_transfer_number() -> None:
    """The test's own reading of §3.2: 45 settable fields, plus transfer_phone_number."""
    assert 46 == len(EVERY_FIELD) == len(set(NULLABLE) | set(NOT_NULLABLE))
    assert set(EVERY_FIELD) == set(NULLABLE) | set(NOT_NULLABLE)


async def test_every_field_is_accepted_stored_and_returned(send: Send) -> None:
    """A create with all 45 fields (and the older transfer_phone_number) comes back whole."""
    status, data = await send("POST", "/assistants", EVERY_FIELD)
    assert 201 == status, data
    created = data["assistant"]
    assert [] == [k for k, v in EVERY_FIELD.items() if not contains(v, created[k])]
    status, fetched = await send("GET", f"/assistants/{created['id']}")
    assert (200, created) == (status, fetched)


async def test_each_nullable_field_accepts_null(send: Send) -> None:
    """null clears every nullable field."""
    created = await create_raw(send, **EVERY_FIELD)
    status, data = await send("PATCH", f"/assistants/{created['id']}", dict.fromkeys(NULLABLE))
    assert 200 == status, data
    assert dict.fromkeys(NULLABLE) == {k: data["assistant"][k] for k in NULLABLE}


@pytest.mark.parametrize("field", NOT_NULLABLE)
async def test_null_is_a_400_where_not_allowed(send: Send, field: str) -> None:
    """Fields that are optional but not nullable refuse null, naming the field."""
    status, data = await send("POST", "/assistants", {**EVERY_FIELD, field: None})
    assert (400, field) == (status, data["field"])


async def test_the_older_retry_config_shape_still_works(send: Send) -> None:
    """The seed's call_retry_config (no allowed_days, no call_twice_in_a_row) gets the defaults."""
    window = {"calling_window_start_time": "10am", "calling_window_end_time": "6pm", "retry_delay_seconds": 60}  # fmt: skip
    created = await create_raw(send, call_retry_config={"calling_windows": [window]})
    assert {
        "calling_windows": [window],
        "allowed_days": ["monday", "tuesday", "wednesday", "thursday", "friday"],
        "call_twice_in_a_row": False,
        "max_retry_attempts": 3,
        "timezone": None,
    } == created["call_retry_config"]


async def test_unknown_keys_and_variants_are_accepted_and_stored(send: Send) -> None:
    """The API moves ahead: new top-level keys, nested keys and llm_model variants are kept."""
    created = await create_raw(
        send,
        voicemail_detection={"enabled": True},
        voice={"id": "v", "provider": "elevenlabs", "emotion": "calm"},
        llm_model={"type": "mixture", "models": ["a", "b"]},
    )
    assert {"enabled": True} == created["voicemail_detection"]
    assert "calm" == created["voice"]["emotion"]
    assert {"type": "mixture", "models": ["a", "b"]} == created["llm_model"]


async def test_server_set_fields_in_a_body_are_ignored(send: Send) -> None:
    """A body carrying id or created_at (a round-tripped assistant) changes neither."""
    created = await create_raw(send)
    body = {"id": "asst_other", "created_at": "1999", "is_inbound_receptionist": True, "name": "m"}
    status, data = await send("PATCH", f"/assistants/{created['id']}", body)
    assert 200 == status
    kept = ("id", "created_at", "is_inbound_receptionist")
    assert {k: created[k] for k in kept} == {k: data["assistant"][k] for k in kept}


WINDOW: dict[str, Any] = {"calling_window_start_time": "10:00", "calling_window_end_time": "18:00", "retry_delay_seconds": 60}  # fmt: skip
RETRY: dict[str, Any] = {"allowed_days": ["monday"], "call_twice_in_a_row": False, "calling_windows": [WINDOW], "max_retry_attempts": 3}  # fmt: skip
FLOW_NODE: dict[str, Any] = EVERY_FIELD["prompt_flow"]["nodes"][0]
SLACK: dict[str, Any] = EVERY_FIELD["slack"]
ZOHO: dict[str, Any] = EVERY_FIELD["zoho"]


def with_(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    changed = copy.deepcopy(base)
    for key, value in changes.items():
        if value is ...:
            del changed[key]
        else:
            changed[key] = value
    return changed


# (params, field named, status): 400 for shape or type, 422 for value.
REJECTED: list[Any] = [
    # top level: types and required
    ({"name": ...}, "name", 400),
    ({"prompt": 3}, "prompt", 400),
    ({"ivr_navigation_enabled": "yes"}, "ivr_navigation_enabled", 400),
    ({"sms_enabled": 1}, "sms_enabled", 400),
    ({"webhook_url": 3}, "webhook_url", 400),
    ({"first_sentence_delay_ms": 1.5}, "first_sentence_delay_ms", 400),
    ({"max_call_duration_secs": "600"}, "max_call_duration_secs", 400),
    ({"email_notification_outcomes": "interested"}, "email_notification_outcomes", 400),
    # enums
    ({"type": "robot"}, "type", 422),
    ({"stt_model": "stt-rt-v9"}, "stt_model", 422),
    ({"first_sentence_mode": "adaptive"}, "first_sentence_mode", 422),
    ({"background_sound": "audio/street.ogg"}, "background_sound", 422),
    ({"thinking_sound": "rain.ogg"}, "thinking_sound", 422),
    ({"human_transfer_mode": "hot"}, "human_transfer_mode", 422),
    ({"after_call_sms_outcomes": ["interested", "great"]}, "after_call_sms_outcomes[1]", 422),
    ({"email_notification_outcomes": ["None"]}, "email_notification_outcomes[0]", 422),
    # non-negative delays and durations, volumes, probability, finite numbers
    ({"first_sentence_delay_ms": -1}, "first_sentence_delay_ms", 422),
    ({"max_call_duration_secs": -5}, "max_call_duration_secs", 422),
    ({"max_call_duration_secs": float("nan")}, "max_call_duration_secs", 422),
    ({"background_sound_volume": -0.1}, "background_sound_volume", 422),
    ({"thinking_sound_volume": -1}, "thinking_sound_volume", 422),
    ({"thinking_sound_probability": 1.5}, "thinking_sound_probability", 422),
    # E.164
    ({"from_phone_number": "0612345678"}, "from_phone_number", 422),
    ({"transfer_phone_number": "+0123456"}, "transfer_phone_number", 422),
    ({"transfer_phone_number": "+1 415 555 0100"}, "transfer_phone_number", 422),
    ({"transfer_destinations": [{"label": "x", "phone_number": "555-1234"}]}, "transfer_destinations[0].phone_number", 422),
    ({"transfer_destinations": [{"phone_number": "+14155550100"}]}, "transfer_destinations[0].label", 400),
    ({"transfer_destinations": {"label": "x"}}, "transfer_destinations", 400),
    # voice: shape, enums, per-provider speed, volume
    ({"voice": "79a125e8"}, "voice", 400),
    ({"voice": {"provider": "cartesia"}}, "voice.id", 400),
    ({"voice": {"id": "v", "provider": "azure"}}, "voice.provider", 422),
    ({"voice": {"id": "v", "provider": "cartesia", "model": "sonic-2"}}, "voice.model", 422),
    ({"voice": {"id": "v", "provider": "cartesia", "speed": "fast"}}, "voice.speed", 400),
    ({"voice": {"id": "v", "provider": "cartesia", "speed": 1.6}}, "voice.speed", 422),
    ({"voice": {"id": "v", "provider": "cartesia", "speed": 0.59}}, "voice.speed", 422),
    ({"voice": {"id": "v", "provider": "elevenlabs", "speed": 1.3}}, "voice.speed", 422),
    ({"voice": {"id": "v", "provider": "elevenlabs", "speed": 0.65}}, "voice.speed", 422),
    ({"voice": {"id": "v", "provider": "gradium", "speed": 1.51}}, "voice.speed", 422),
    ({"voice": {"id": "v", "provider": "gradium", "speed": 0.5}}, "voice.speed", 422),
    ({"voice": {"id": "v", "provider": "cartesia", "volume": 2.5}}, "voice.volume", 422),
    ({"voice": {"id": "v", "provider": "cartesia", "volume": 0.4}}, "voice.volume", 422),
    ({"voice": {"id": "v", "provider": "cartesia", "volume": True}}, "voice.volume", 400),
    # llm_model: the four variants
    ({"llm_model": {}}, "llm_model.type", 400),
    ({"llm_model": {"type": 1}}, "llm_model.type", 400),
    ({"llm_model": {"type": "dedicated-instance"}}, "llm_model.name", 400),
    ({"llm_model": {"type": "dedicated-instance", "name": "gpt-5"}}, "llm_model.name", 422),
    ({"llm_model": {"type": "openrouter", "openrouter_model_id": "m"}}, "llm_model.openrouter_provider", 400),
    ({"llm_model": {"type": "custom", "api_key": "k", "api_url": "u", "api_model_name": "m"}}, "llm_model.model_name", 400),
    ({"llm_model": {"type": "custom", "api_url": "u", "model_name": "m"}}, "llm_model.api_key", 400),
    ({"llm_model": {"type": "realtime", "provider": "azure", "realtime_model_id": "m"}}, "llm_model.provider", 422),
    ({"llm_model": {"type": "realtime", "provider": "openai"}}, "llm_model.realtime_model_id", 400),
    ({"llm_model": {"type": "realtime", "provider": "google", "realtime_model_id": "m", "realtime_voice_id": 5}}, "llm_model.realtime_voice_id", 400),
    # call_retry_config: shape, weekdays, times, non-negative numbers, timezone
    ({"call_retry_config": with_(RETRY, calling_windows=...)}, "call_retry_config.calling_windows", 400),
    ({"call_retry_config": with_(RETRY, allowed_days=["funday"])}, "call_retry_config.allowed_days[0]", 422),
    ({"call_retry_config": with_(RETRY, allowed_days="monday")}, "call_retry_config.allowed_days", 400),
    ({"call_retry_config": with_(RETRY, call_twice_in_a_row="no")}, "call_retry_config.call_twice_in_a_row", 400),
    ({"call_retry_config": with_(RETRY, max_retry_attempts=-1)}, "call_retry_config.max_retry_attempts", 422),
    ({"call_retry_config": with_(RETRY, calling_windows=[with_(WINDOW, calling_window_start_time="25:00")])}, "call_retry_config.calling_windows[0].calling_window_start_time", 422),
    ({"call_retry_config": with_(RETRY, calling_windows=[with_(WINDOW, calling_window_end_time="6 o'clock")])}, "call_retry_config.calling_windows[0].calling_window_end_time", 422),
    ({"call_retry_config": with_(RETRY, calling_windows=[with_(WINDOW, calling_window_end_time=1800)])}, "call_retry_config.calling_windows[0].calling_window_end_time", 400),
    ({"call_retry_config": with_(RETRY, calling_windows=[with_(WINDOW, retry_delay_seconds=-60)])}, "call_retry_config.calling_windows[0].retry_delay_seconds", 422),
    ({"call_retry_config": with_(RETRY, calling_windows=[with_(WINDOW, retry_delay_seconds=...)])}, "call_retry_config.calling_windows[0].retry_delay_seconds", 400),
    ({"call_retry_config": with_(RETRY, timezone=3)}, "call_retry_config.timezone", 400),
    # custom tools
    ({"custom_tools": [with_(TOOL, body_template=...)]}, "custom_tools[0].body_template", 400),
    ({"custom_tools": [with_(TOOL, method="FETCH")]}, "custom_tools[0].method", 422),
    ({"custom_tools": [with_(TOOL, headers=[{"key": "a"}])]}, "custom_tools[0].headers[0].value", 400),
    ({"custom_tools": [with_(TOOL, query_params=None)]}, "custom_tools[0].query_params", 400),
    ({"custom_tools": [with_(TOOL, input_schema=[{"name": "x", "required": True, "type": "int"}])]}, "custom_tools[0].input_schema[0].type", 422),
    # structured output and FAQ
    ({"structured_output_config": [{"name": "x", "required": "yes", "type": "string"}]}, "structured_output_config[0].required", 400),
    ({"structured_output_config": [{"name": "x", "required": True, "type": "string", "enum_options": "a"}]}, "structured_output_config[0].enum_options", 400),
    ({"faq_items": [{"question": "q"}]}, "faq_items[0].answer", 400),
    ({"faq_items": ["Open on Sunday?"]}, "faq_items[0]", 400),
    # prompt flow and position
    ({"prompt_flow": {"nodes": [with_(FLOW_NODE, type="textBlock")], "edges": []}}, "prompt_flow.nodes[0].type", 422),
    ({"prompt_flow": {"nodes": [with_(FLOW_NODE, position={"x": 1})], "edges": []}}, "prompt_flow.nodes[0].position.y", 400),
    ({"prompt_flow": {"nodes": [with_(FLOW_NODE, data={"title": "t"})], "edges": []}}, "prompt_flow.nodes[0].data.body", 400),
    ({"prompt_flow": {"nodes": []}}, "prompt_flow.edges", 400),
    ({"prompt_flow": {"nodes": [], "edges": [{"id": "e", "source": "a"}]}}, "prompt_flow.edges[0].target", 400),
    ({"position": {"x": 1, "y": "2"}}, "position.y", 400),
    # slack, zoho, stt_context, calendly
    ({"slack": with_(SLACK, outcomes=["hot"])}, "slack.outcomes[0]", 422),
    ({"slack": with_(SLACK, channels=[{"name": "general"}])}, "slack.channels[0].id", 400),
    ({"slack": with_(SLACK, connection_id=...)}, "slack.connection_id", 400),
    ({"zoho": with_(ZOHO, log_call_activity=...)}, "zoho.log_call_activity", 400),
    ({"zoho": with_(ZOHO, field_mapping=[{"source": "email"}])}, "zoho.field_mapping[0].zoho_field", 400),
    ({"zoho": with_(ZOHO, outcomes=["nope"])}, "zoho.outcomes[0]", 422),
    ({"stt_context": {"general": [], "terms": "Invisalign"}}, "stt_context.terms", 400),
    ({"stt_context": {"general": [{"key": 1, "value": "v"}], "terms": []}}, "stt_context.general[0].key", 400),
    ({"calendly": {"connection_id": "c"}}, "calendly.event_type_id", 400),
    # the schema's minimums and minLength 1 (API-resources.md §9)
    ({"call_retry_config": with_(RETRY, max_retry_attempts=0)}, "call_retry_config.max_retry_attempts", 422),
    ({"voice": {"id": "", "provider": "cartesia"}}, "voice.id", 422),
    ({"custom_tools": [with_(TOOL, description="")]}, "custom_tools[0].description", 422),
    ({"custom_tools": [with_(TOOL, url="")]}, "custom_tools[0].url", 422),
    ({"custom_tools": [with_(TOOL, headers=[{"key": "", "value": "v"}])]}, "custom_tools[0].headers[0].key", 422),
    ({"custom_tools": [with_(TOOL, query_params=[{"key": "", "value": "v"}])]}, "custom_tools[0].query_params[0].key", 422),
    ({"custom_tools": [with_(TOOL, input_schema=[{"name": "", "required": True, "type": "string"}])]}, "custom_tools[0].input_schema[0].name", 422),
    ({"structured_output_config": [{"name": "", "required": True, "type": "string"}]}, "structured_output_config[0].name", 422),
    ({"transfer_destinations": [{"label": "", "phone_number": "+14155550100"}]}, "transfer_destinations[0].label", 422),
    ({"zoho": with_(ZOHO, module="")}, "zoho.module", 422),
    ({"zoho": with_(ZOHO, field_mapping=[{"source": "", "zoho_field": "Email"}])}, "zoho.field_mapping[0].source", 422),
    ({"zoho": with_(ZOHO, field_mapping=[{"source": "email", "zoho_field": ""}])}, "zoho.field_mapping[0].zoho_field", 422),
    ({"stt_context": {"general": [{"key": "", "value": "v"}], "terms": []}}, "stt_context.general[0].key", 422),
    ({"stt_context": {"general": [{"key": "k", "value": ""}], "terms": []}}, "stt_context.general[0].value", 422),
    ({"stt_context": {"general": [], "terms": [""]}}, "stt_context.terms[0]", 422),
    ({"cartesia_dictionary_pronunciation_id": ""}, "cartesia_dictionary_pronunciation_id", 422),
]  # fmt: skip


@pytest.mark.parametrize(
    ("params", "field", "status"), REJECTED, ids=[f"{f}-{s}" for _, f, s in REJECTED]
)
async def test_rejected_values_name_the_field(
    send: Send, revox_mock: MockRevoxServer, params: dict[str, Any], field: str, status: int
) -> None:
    """Each nested shape and each value rule: 400 (shape) or 422 (value), field named, nothing stored."""
    got_status, data = await send("POST", "/assistants", with_(EVERY_FIELD, **params))
    assert (status, field) == (got_status, data["field"]), data
    assert field in data["message"]
    assert {} == revox_mock.assistants


async def test_updates_are_validated_the_same_way(send: Send) -> None:
    """PATCH takes any subset but applies the same rules, and changes nothing when refused."""
    created = await create_raw(send)
    status, data = await send(
        "PATCH", f"/assistants/{created['id']}", {"name": "m", "voice": {"id": "v", "provider": "elevenlabs", "speed": 1.5}}
    )  # fmt: skip
    assert (422, "voice.speed") == (status, data["field"])
    assert (200, created) == await send("GET", f"/assistants/{created['id']}")


async def test_an_unknown_timezone_is_a_422(send: Send) -> None:
    """call_retry_config.timezone is an IANA name (checked when a tz database exists)."""
    if not zoneinfo.available_timezones():
        pytest.skip("no timezone database here: the server cannot check names")
    status, data = await send(
        "POST", "/assistants", {"name": "n", "prompt": "p", "call_retry_config": with_(RETRY, timezone="Mars/Olympus")}
    )  # fmt: skip
    assert (422, "call_retry_config.timezone") == (status, data["field"])


async def test_the_sdk_surfaces_the_servers_value_errors(revox_client: AsyncRevox) -> None:
    """Through AsyncRevox, a refused value is an UnprocessableEntityError naming the field."""
    with pytest.raises(rx.UnprocessableEntityError) as speed:
        await revox_client.assistants.create(
            name="n", prompt="p", voice={"id": "v", "provider": "cartesia", "speed": 9}
        )
    assert "voice.speed" == speed.value.body["field"]
    with pytest.raises(rx.UnprocessableEntityError) as phone:
        await revox_client.assistants.create(
            name="n",
            prompt="p",
            transfer_destinations=[{"label": "desk", "phone_number": "0612345678"}],
        )
    assert "transfer_destinations[0].phone_number" == phone.value.body["field"]


# -- defaults -----------------------------------------------------------------------


async def test_a_new_assistant_has_every_field_with_the_server_defaults(
    revox_client: AsyncRevox, send: Send
) -> None:
    """All 53 fields of the Assistant object, the older transfer_phone_number, and the defaults."""
    created = await create_raw(send)
    assert 53 == len(ASSISTANT_FIELDS)
    assert {*ASSISTANT_FIELDS, "transfer_phone_number"} == set(created)
    assert {
        "type": "standalone",
        "stt_model": "stt-rt-v4",
        "first_sentence_mode": "generated",
        "first_sentence_delay_ms": 400,
        "background_sound": None,
        "background_sound_volume": 1.0,
        "thinking_sound": None,
        "thinking_sound_probability": 0.5,
        "thinking_sound_volume": 1.0,
        "sms_enabled": False,
        "ivr_navigation_enabled": False,
        "is_inbound_receptionist": False,
        "is_realestate_assistant": False,
        "llm_model": {"type": "dedicated-instance", "name": "gpt-4.1"},
        "max_call_duration_secs": 600.0,
        "transfer_phone_number": None,
        "transfer_destinations": None,
        "faq_items": [],
        "pending_faq_count": 0,
    }.items() <= created.items()
    assert {"id", "email", "first_name", "last_name"} == set(created["created_by"])
    assert ["monday", "tuesday", "wednesday", "thursday", "friday"] == created["call_retry_config"][
        "allowed_days"
    ]

    parsed = await revox_client.assistants.retrieve(created["id"])
    assert isinstance(parsed.created_by, rx.Member)
    assert isinstance(parsed.llm_model, rx.DedicatedInstanceModel)
    assert isinstance(parsed.created_at, datetime)


async def test_full_crud_through_the_sdk(
    revox_client: AsyncRevox, revox_mock: MockRevoxServer
) -> None:
    """create with the newer fields → retrieve → update with a null → list → delete."""
    created = await revox_client.assistants.create(
        name="Front desk",
        prompt="You book appointments.",
        voice={"id": "79a125e8", "provider": "gradium", "speed": 1.4},
        llm_model=rx.RealtimeModel(provider="google", realtime_model_id="gemini-live"),
        custom_tools=[TOOL],
        transfer_destinations=[rx.TransferDestination(label="Desk", phone_number="+14155550100")],
        faq_items=[{"question": "Open on Sunday?", "answer": "No."}],
        voicemail_message="Call us back!",
    )
    assert created.id == str(uuid.UUID(created.id))  # the schema's id format
    assert isinstance(created.llm_model, rx.RealtimeModel)
    assert created.custom_tools is not None
    assert "book" == created.custom_tools[0].name
    assert created.faq_items is not None
    assert created.faq_items[0].id is not None
    assert created == await revox_client.assistants.retrieve(created.id)

    updated = await revox_client.assistants.update(
        created.id, name="Night desk", voicemail_message=None
    )
    assert ("Night desk", None) == (updated.name, updated.voicemail_message)
    assert created.voice == updated.voice  # PATCH merged only what was given
    assert {"name": "Night desk", "voicemail_message": None} == revox_mock.requests[-1].body
    assert updated.unpatched_calls_notice is None

    assert [created.id] == [a.id for a in await revox_client.assistants.list()]
    assert await revox_client.assistants.delete(created.id) is True
    with pytest.raises(rx.NotFoundError):
        await revox_client.assistants.retrieve(created.id)
    assert [] == await revox_client.assistants.list()


async def test_an_id_with_a_slash_stays_one_segment(revox_client: AsyncRevox) -> None:
    """The server receives the whole id in one path segment."""
    with pytest.raises(rx.NotFoundError) as info:
        await revox_client.assistants.retrieve("a/b?c")
    assert "a/b?c" in info.value.body["message"]


async def test_an_unknown_route_is_a_json_404(send: Send) -> None:
    """Paths the API does not have answer JSON like the rest."""
    assert (404, "not_found") == ((r := await send("GET", "/nothing-here"))[0], r[1]["error"])


# -- clone ---------------------------------------------------------------------


async def test_clone_copies_with_a_new_id_name_suffix_and_new_faq_ids(
    revox_client: AsyncRevox, revox_mock: MockRevoxServer
) -> None:
    """POST /assistants/{id}/clone: a "(Copy)", FAQ items included under new ids."""
    original = await revox_client.assistants.create(
        name="Front desk",
        prompt="p",
        faq_items=[{"question": "Open?", "answer": "Yes."}, {"question": "Parking?", "answer": "No."}],
        custom_tools=[TOOL],
    )  # fmt: skip
    copy_ = await revox_client.assistants.clone(original.id)
    assert "Front desk (Copy)" == copy_.name
    assert copy_.id != original.id
    assert {original.id, copy_.id} == set(revox_mock.assistants)
    assert copy_.faq_items is not None
    assert original.faq_items is not None
    assert [(f.question, f.answer) for f in original.faq_items] == [
        (f.question, f.answer) for f in copy_.faq_items
    ]
    assert not {f.id for f in original.faq_items} & {f.id for f in copy_.faq_items}
    assert original.custom_tools == copy_.custom_tools
    assert ("POST", f"/api/assistants/{original.id}/clone", 201) == (
        revox_mock.requests[-1].method,
        revox_mock.requests[-1].path,
        revox_mock.requests[-1].status,
    )

    await revox_client.assistants.update(copy_.id, prompt="changed")
    assert "p" == (await revox_client.assistants.retrieve(original.id)).prompt


async def test_cloning_an_unknown_id_is_a_404(revox_client: AsyncRevox) -> None:
    """Nothing to copy: NotFoundError."""
    with pytest.raises(rx.NotFoundError):
        await revox_client.assistants.clone("asst_missing")


async def test_a_clone_answered_500_after_copying_copies_once(
    revox_client: AsyncRevox, revox_mock: MockRevoxServer
) -> None:
    """Clone committed then answered 500: not sent again (a copy is known by nothing but
    its name, and the server may ignore the key), so one copy, and the 500 is raised."""
    original = await revox_client.assistants.create(name="n", prompt="p")
    revox_mock.fail_next("commit_then_fail", retry_after=0.01)
    with pytest.raises(rx.InternalServerError):
        await revox_client.assistants.clone(original.id)
    assert 2 == len(revox_mock.assistants)
    assert [500] == [r.status for r in revox_mock.requests[-1:]]


# -- unpatchedCallsNotice -----------------------------------------------------------


async def test_the_unpatched_calls_notice_is_absent_by_default_and_on_demand(
    revox_client: AsyncRevox, revox_mock: MockRevoxServer, send: Send
) -> None:
    """mock.unpatched_calls_notice is sent as unpatchedCallsNotice with every PATCH until cleared."""
    created = await create_raw(send)
    _, data = await send("PATCH", f"/assistants/{created['id']}", {"name": "a"})
    assert "unpatchedCallsNotice" not in data

    revox_mock.unpatched_calls_notice = {"count": 2, "variables": ["first_name"]}
    for name in ("b", "c"):
        _, data = await send("PATCH", f"/assistants/{created['id']}", {"name": name})
        assert {"count": 2, "variables": ["first_name"]} == data["unpatchedCallsNotice"]
    updated = await revox_client.assistants.update(created["id"], name="d")
    assert (
        rx.UnpatchedCallsNotice(count=2, variables=["first_name"]) == updated.unpatched_calls_notice
    )
    _, data = await send("GET", f"/assistants/{created['id']}")
    assert "unpatchedCallsNotice" not in data

    revox_mock.reset()
    assert revox_mock.unpatched_calls_notice is None


# -- drift: a newer API ----------------------------------------------------------------


async def test_drift_shows_what_the_0_5_0_contract_does_not_have(
    revox_mock: MockRevoxServer, send: Send
) -> None:
    """A new top-level field, new enum values, a new llm_model type, new keys in voice and FAQ items."""
    created = await create_raw(
        send,
        voice={"id": "v", "provider": "cartesia"},
        faq_items=[{"question": "q", "answer": "a"}],
    )
    revox_mock.drift = True
    _, drifted = await send("GET", f"/assistants/{created['id']}")

    assert set(drifted) - ASSISTANT_FIELDS - {"transfer_phone_number"}
    assert "adaptive" == drifted["first_sentence_mode"]
    assert "audio/street.ogg" == drifted["background_sound"]
    assert drifted["stt_model"] not in ("stt-rt-v4", "stt-rt-v5")
    assert drifted["llm_model"]["type"] not in (
        "dedicated-instance",
        "openrouter",
        "custom",
        "realtime",
    )
    assert set(drifted["voice"]) - VOICE_FIELDS
    assert set(drifted["faq_items"][0]) - FAQ_ITEM_FIELDS

    assert created == revox_mock.assistants[created["id"]]  # only the answer drifted
    revox_mock.drift = False
    assert created == (await send("GET", f"/assistants/{created['id']}"))[1]


async def test_drift_is_parsed_kept_and_sent_back(
    revox_client: AsyncRevox, revox_mock: MockRevoxServer
) -> None:
    """A newer server's fields and variants survive a fetch-and-update round trip."""
    created = await revox_client.assistants.create(
        name="n", prompt="p", voice={"id": "v", "provider": "cartesia"}
    )
    revox_mock.drift = True
    drifted = await revox_client.assistants.retrieve(created.id)
    assert isinstance(drifted.llm_model, rx.UnknownLLMModel)
    assert "mixture" == drifted.llm_model.type
    assert "adaptive" == drifted.first_sentence_mode
    assert drifted.voice is not None
    assert {"emotion": "calm"} == drifted.voice.extra_fields

    await revox_client.assistants.update(
        created.id, llm_model=drifted.llm_model, voice=drifted.voice
    )
    sent = revox_mock.requests[-1].body
    assert rx.to_dict(drifted)["llm_model"] == sent["llm_model"]
    assert "calm" == sent["voice"]["emotion"]
    assert "mixture" == revox_mock.assistants[created.id]["llm_model"]["type"]


async def test_a_drifted_server_accepts_its_own_new_values(
    revox_mock: MockRevoxServer, send: Send
) -> None:
    """first_sentence_mode "adaptive" is a 422 for the 0.5.0 server, fine for the newer one."""
    created = await create_raw(send)
    path = f"/assistants/{created['id']}"
    assert 422 == (await send("PATCH", path, {"first_sentence_mode": "adaptive"}))[0]
    revox_mock.drift = True
    assert 200 == (await send("PATCH", path, {"first_sentence_mode": "adaptive"}))[0]
    assert 422 == (await send("PATCH", path, {"first_sentence_mode": "eventually"}))[0]


# -- odd values: the server is the authority, and can be wrong -------------------------------


async def test_odd_values_true_breaks_the_contract_in_every_answer(
    revox_mock: MockRevoxServer, send: Send
) -> None:
    """ivr_navigation_enabled "yes", voice.speed "fast", an llm_model without type: in every shape."""
    created = await create_raw(send, voice={"id": "v", "provider": "cartesia"})
    revox_mock.odd_values = True
    path = f"/assistants/{created['id']}"
    answers = [
        (await send("GET", path))[1],
        (await send("GET", "/assistants"))[1]["assistants"][0],
        (await send("PATCH", path, {"name": "m"}))[1]["assistant"],
        (await send("POST", f"{path}/clone"))[1]["assistant"],
        (await send("POST", "/assistants", {"name": "n", "prompt": "p"}))[1]["assistant"],
    ]
    for answer in answers:
        assert "yes" == answer["ivr_navigation_enabled"]
        assert "fast" == answer["voice"]["speed"]
        assert "type" not in answer["llm_model"]
    assert "v" == answers[0]["voice"]["id"]
    assert dict(MockRevoxServer.ODD_VALUES) == {
        "ivr_navigation_enabled": "yes",
        "voice.speed": "fast",
        "llm_model": {"name": "gpt-4.1"},
    }
    stored = revox_mock.assistants[created["id"]]
    assert (False, 1.0) == (stored["ivr_navigation_enabled"], stored["voice"]["speed"])


async def test_odd_values_as_a_mapping_of_paths(revox_mock: MockRevoxServer, send: Send) -> None:
    """A mapping picks the fields: a dedicated-instance without name, a nested path created."""
    created = await create_raw(send)
    revox_mock.odd_values = {
        "llm_model": {"type": "dedicated-instance"},
        "call_retry_config.max_retry_attempts": "three",
        "position.x": None,
    }
    _, shown = await send("GET", f"/assistants/{created['id']}")
    assert {"type": "dedicated-instance"} == shown["llm_model"]
    assert "three" == shown["call_retry_config"]["max_retry_attempts"]
    assert {"x": None} == shown["position"]
    revox_mock.reset()
    assert revox_mock.odd_values is False


async def test_odd_values_reach_into_lists(revox_mock: MockRevoxServer, send: Send) -> None:
    """A numeric path segment indexes a list; an index the assistant lacks is skipped."""
    with_faq = await create_raw(send, faq_items=[{"question": "q", "answer": "a"}])
    without = await create_raw(send)
    revox_mock.odd_values = {"faq_items.0.source": "robot", "transfer_destinations.0.label": 7}
    _, shown = await send("GET", f"/assistants/{with_faq['id']}")
    assert ("robot", None) == (shown["faq_items"][0]["source"], shown["transfer_destinations"])
    _, shown = await send("GET", f"/assistants/{without['id']}")
    assert ([], None) == (shown["faq_items"], shown["transfer_destinations"])


def test_switches_can_be_set_when_constructing_and_are_checked() -> None:
    """odd_values and unpatched_calls_notice are keyword arguments too; a wrong type is refused."""
    mock = MockRevoxServer(
        drift=True, odd_values=True, unpatched_calls_notice={"count": 1, "variables": []}
    )
    assert (True, True, {"count": 1, "variables": []}) == (
        mock.drift,
        mock.odd_values,
        mock.unpatched_calls_notice,
    )
    with pytest.raises(TypeError, match="odd_values"):
        mock.odd_values = "yes"  # type: ignore[assignment]
    with pytest.raises(TypeError, match="dotted paths"):
        mock.odd_values = {"": 1}
    with pytest.raises(TypeError, match="unpatched_calls_notice"):
        mock.unpatched_calls_notice = [2]  # type: ignore[assignment]


async def test_the_sdk_meets_odd_values_without_the_server_changing(
    revox_client: AsyncRevox, revox_mock: MockRevoxServer
) -> None:
    """Whatever the SDK makes of an odd answer, the request reached and changed the server."""
    created = await revox_client.assistants.create(name="n", prompt="p")
    revox_mock.odd_values = True
    with contextlib.suppress(rx.APIResponseValidationError):
        await revox_client.assistants.update(created.id, name="m")
    assert "m" == revox_mock.assistants[created.id]["name"]
    assert 200 == revox_mock.requests[-1].status


# -- auth, faults, lifecycle ----------------------------------------------------------


async def test_a_wrong_key_is_a_401(revox_mock: MockRevoxServer) -> None:
    """Bearer auth: a bad key gets AuthenticationError with the JSON body."""
    async with AsyncRevox(api_key="wrong", base_url=revox_mock.base_url) as client:
        with pytest.raises(rx.AuthenticationError) as info:
            await client.assistants.list()
    assert "unauthorized" == info.value.body["error"]


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (500, rx.InternalServerError),
        (503, rx.InternalServerError),
        (429, rx.RateLimitError),
        (408, rx.APIStatusError),
    ],
)
async def test_fail_next_answers_the_status(
    revox_client: AsyncRevox, revox_mock: MockRevoxServer, status: int, error: type[Exception]
) -> None:
    """A scripted status fault answers that status without doing the work (the client
    then looks for what the POST made, after an unknown outcome, and finds nothing)."""
    revox_mock.fail_next("status", status=status)
    with pytest.raises(error):
        await revox_client.with_options(max_retries=0).assistants.create(name="n", prompt="p")
    looked = [] if status == 429 else [(None, 200)]
    assert ({}, [("status", status), *looked]) == (
        revox_mock.assistants,
        [(r.fault, r.status) for r in revox_mock.requests],
    )


async def test_a_dropped_connection_has_no_answer(
    revox_client: AsyncRevox, revox_mock: MockRevoxServer
) -> None:
    """A drop closes the connection: a connection error, logged with status None.

    (A POST: aiohttp itself re-sends a GET once when its connection drops.)
    """
    revox_mock.fail_next("drop")
    with pytest.raises(rx.APIConnectionError):
        await revox_client.with_options(max_retries=0).assistants.create(name="n", prompt="p")
    logged = [(r.method, r.fault, r.status) for r in revox_mock.requests]
    assert [("POST", "drop", None), ("GET", None, 200)] == logged  # then looked: not made
    assert {} == revox_mock.assistants


async def test_faults_are_retried_honouring_retry_after(
    revox_client: AsyncRevox, revox_mock: MockRevoxServer
) -> None:
    """Two 503s with Retry-After 0.1 s, then success: the retries waited as told."""
    revox_mock.fail_next("status", status=503, times=2, retry_after=0.1)
    assert [] == await revox_client.assistants.list()
    times = [r.received_at for r in revox_mock.requests]
    assert ["status", "status", None] == [r.fault for r in revox_mock.requests]
    assert all(later - earlier >= 0.09 for earlier, later in itertools.pairwise(times))


async def test_a_retried_commit_then_fail_creates_once(revox_mock: MockRevoxServer) -> None:
    """The write happened, the answer was a 500: a re-send with the key returns the same
    one (on the wire: the SDK itself would look before re-sending)."""
    revox_mock.idempotency = "honour"
    revox_mock.fail_next("commit_then_fail", retry_after=0.01)
    headers = {"Authorization": f"Bearer {revox_mock.api_key}", "Idempotency-Key": "k-c"}
    body = {"name": "n", "prompt": "p"}
    async with aiohttp.ClientSession() as session:
        url = revox_mock.base_url + "/assistants"
        async with session.post(url, json=body, headers=headers) as first:
            assert 500 == first.status
        async with session.post(url, json=body, headers=headers) as second:
            created = (await second.json())["assistant"]
    assert [created["id"]] == list(revox_mock.assistants)
    assert [500, 201] == [r.status for r in revox_mock.requests]


async def test_a_reused_key_with_another_body_is_refused(
    revox_client: AsyncRevox, revox_mock: MockRevoxServer
) -> None:
    """The server will not answer a different create from a remembered key."""
    revox_mock.idempotency = "honour"  # opted in: this is the mock's honouring of keys
    await revox_client.assistants.create(name="a", prompt="p", idempotency_key="k1")
    with pytest.raises(rx.BadRequestError, match="Idempotency-Key"):
        await revox_client.assistants.create(name="b", prompt="p", idempotency_key="k1")
    assert 1 == len(revox_mock.assistants)


async def test_only_a_post_is_answered_from_a_remembered_key(revox_mock: MockRevoxServer) -> None:
    """A GET to the create's path with the create's key lists: only POSTs are replayed."""
    revox_mock.idempotency = "honour"
    headers = {"Authorization": f"Bearer {revox_mock.api_key}", "Idempotency-Key": "k-g"}
    async with aiohttp.ClientSession() as session:
        url = revox_mock.base_url + "/assistants"
        async with session.post(url, json={"name": "n", "prompt": "p"}, headers=headers) as made:
            assistant = (await made.json())["assistant"]
        async with session.get(url, headers=headers) as listed:
            answer = (listed.status, await listed.json())
    assert (200, {"assistants": [assistant]}) == answer


async def test_fault_plans_are_seeded_and_deterministic() -> None:
    """The same seed injects the same faults in the same order."""

    async def run() -> list[Any]:
        plan = FaultPlan(seed=42, error_rate=0.3, error_statuses=(500, 503), drop_rate=0.1)
        async with MockRevoxServer(faults=plan) as server:
            async with AsyncRevox(
                api_key=server.api_key, base_url=server.base_url, max_retries=0
            ) as client:
                for _ in range(30):
                    with contextlib.suppress(rx.APIError):
                        await client.assistants.list()
            return [(r.fault, r.status) for r in server.requests]

    first, second = await run(), await run()
    assert first == second
    assert {"drop", "status", None} == {fault for fault, _ in first}


async def test_commit_then_fail_faults_writes_only(revox_mock: MockRevoxServer, send: Send) -> None:
    """``commit_then_fail_rate`` fails writes only: a read has nothing to commit, and
    with no ``error_rate`` every read succeeds (at 0.5, 42 lists in 100 failed)."""
    revox_mock.faults = FaultPlan(seed=3, commit_then_fail_rate=0.5)
    reads = [await send("GET", "/assistants") for _ in range(100)]
    writes = [await send("POST", "/assistants", {"name": "n", "prompt": "p"}) for _ in range(40)]
    assert [200] * 100 == [status for status, _ in reads]
    assert 40 > sum(status == 201 for status, _ in writes)
    assert 40 == len(revox_mock.assistants)


async def test_latency_and_timeouts(revox_mock: MockRevoxServer) -> None:
    """An attempt slower than its timeout raises APITimeoutError."""
    revox_mock.faults = FaultPlan(latency=0.3)
    async with AsyncRevox(
        api_key=revox_mock.api_key, base_url=revox_mock.base_url, timeout=0.05, max_retries=0
    ) as client:
        with pytest.raises(rx.APITimeoutError):
            await client.assistants.list()
    assert 0.3 == revox_mock.faults.latency


async def test_stopping_with_a_slow_request_in_flight_is_prompt() -> None:
    """stop() does not wait aiohttp's default 60 s for a handler stuck in injected latency."""
    server = MockRevoxServer(faults=FaultPlan(latency=30))
    await server.start()
    async with aiohttp.ClientSession() as session:
        in_flight = asyncio.create_task(session.get(f"{server.base_url}/assistants"))
        await asyncio.sleep(0.2)  # the request is in the handler, sleeping
        started = time.monotonic()
        await server.stop()
        assert time.monotonic() - started < 5
        with contextlib.suppress(aiohttp.ClientError):
            (await in_flight).release()


def test_a_threaded_server_also_stops_promptly() -> None:
    """Leaving ``with MockRevoxServer()`` with a slow request in flight is prompt too."""

    async def slow_request(url: str) -> None:
        async with aiohttp.ClientSession() as session:
            with contextlib.suppress(aiohttp.ClientError):
                await session.get(url)

    with MockRevoxServer(faults=FaultPlan(latency=30)) as server:
        loop = asyncio.new_event_loop()
        client_thread = threading.Thread(
            target=loop.run_until_complete, args=(slow_request(f"{server.base_url}/assistants"),)
        )
        client_thread.start()
        time.sleep(0.2)
        started = time.monotonic()
    assert time.monotonic() - started < 5
    client_thread.join(5)
    loop.close()


async def test_bad_json_bodies_are_refused(send: Send, revox_mock: MockRevoxServer) -> None:
    """A body that is not JSON, or not an object, gets a 400 naming the body."""
    async with aiohttp.ClientSession() as session:
        resp = await session.post(
            f"{revox_mock.base_url}/assistants",
            data=b"{not json",
            headers={"Authorization": f"Bearer {revox_mock.api_key}"},
        )
        assert (400, "body") == (resp.status, (await resp.json())["field"])
        resp = await session.post(
            f"{revox_mock.base_url}/assistants",
            data=b"[" * 100_000,
            headers={"Authorization": f"Bearer {revox_mock.api_key}"},
        )
        assert 400 == resp.status
    assert (400, "body") == (
        (r := await send("POST", "/assistants", ["a", "list"]))[0],
        r[1]["field"],
    )


def test_the_sync_context_manager_runs_on_a_thread() -> None:
    """with MockRevoxServer() serves from a background thread, for sync callers."""
    with MockRevoxServer() as server:
        client = AsyncRevox(api_key=server.api_key, base_url=server.base_url)

        async def use() -> str:
            async with client:
                return (await client.assistants.create(name="n", prompt="p")).name

        assert "n" == asyncio.run(use())
        assert 1 == len(server.assistants)
        server.drift = True
        server.odd_values = {"name": 1}
        server.unpatched_calls_notice = {"count": 1, "variables": []}
        server.reset()
        assert ({}, [], False, False, None) == (
            server.assistants,
            server.requests,
            server.drift,
            server.odd_values,
            server.unpatched_calls_notice,
        )
    with pytest.raises(RuntimeError, match="not running"):
        _ = MockRevoxServer().base_url


async def test_a_request_in_flight_across_a_reset_changes_nothing(
    revox_mock: MockRevoxServer,
) -> None:
    """A create still waiting when reset() empties the server gets 503 and stores nothing."""
    revox_mock.faults = FaultPlan(latency=0.3)
    async with rx.AsyncRevox(
        api_key=revox_mock.api_key, base_url=revox_mock.base_url, max_retries=0, outcome_window=0
    ) as client:
        slow = asyncio.create_task(client.assistants.create(name="late", prompt="p"))
        await asyncio.sleep(0.1)
        revox_mock.reset()
        with pytest.raises(rx.InternalServerError, match="reset"):
            await slow
    logged = [(r.method, r.path) for r in revox_mock.requests]
    assert ({}, [("GET", "/api/assistants")]) == (revox_mock.assistants, logged)  # the lookup
