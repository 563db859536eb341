"""Models: decoding responses, API drift, and exact round trips."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings

import revox_async as rx
from revox_async._converter import response_converter
from tests import strategies
from tests.conftest import assistant_json


def structure(data: Any) -> rx.Assistant:
    return response_converter.structure(data, rx.Assistant)


@settings(max_examples=300, deadline=None)
@given(strategies.assistants)
def test_to_dict_gives_back_exactly_what_the_server_sent(data: dict[str, Any]) -> None:
    """Unknown keys, explicit nulls, timestamps as written: to_dict(fetched) == the JSON."""
    assert data == rx.to_dict(structure(data))


@settings(max_examples=300, deadline=None)
@given(strategies.drifted_assistants)
def test_an_odd_value_never_fails_the_object_and_is_kept(data: dict[str, Any]) -> None:
    """A known field of an unexpected type reads None; to_dict still returns it unchanged."""
    assistant = structure(data)
    assert data == rx.to_dict(assistant)
    assert assistant == structure(rx.to_dict(assistant))


def test_drift_payload_parses_and_keeps_everything() -> None:
    """New fields, enum values and an unknown llm_model variant: parsed, kept, returned."""
    payload = assistant_json(
        sentiment_tracking=True,
        first_sentence_mode="adaptive",
        background_sound="audio/street.ogg",
        voice={"id": "v", "provider": "acme", "speed": 1.0, "model": "sonic-4", "pitch": 2},
        llm_model={"type": "mixture", "models": ["a", "b"]},
        faq_items=[
            {"question": "q", "answer": "a", "id": "f", "source": "imported", "tags": ["x"]}
        ],
    )
    a = structure(payload)
    assert "adaptive" == a.first_sentence_mode
    assert {"sentiment_tracking": True} == a.extra_fields
    assert a.voice is not None
    assert ("acme", "sonic-4", {"pitch": 2}) == (
        a.voice.provider,
        a.voice.model,
        a.voice.extra_fields,
    )
    assert isinstance(a.llm_model, rx.UnknownLLMModel)
    assert ("mixture", {"models": ["a", "b"]}) == (a.llm_model.type, a.llm_model.extra_fields)
    assert a.faq_items is not None
    assert {"tags": ["x"]} == a.faq_items[0].extra_fields
    assert payload == rx.to_dict(a)


@pytest.mark.parametrize(
    ("payload", "cls"),
    [
        ({"type": "dedicated-instance", "name": "gpt-4.1"}, rx.DedicatedInstanceModel),
        (
            {"type": "openrouter", "openrouter_model_id": "m", "openrouter_provider": "p"},
            rx.OpenRouterModel,
        ),
        (
            {"type": "custom", "api_key": "k", "api_url": "u", "model_name": "m"},
            rx.CustomModel,
        ),
        (
            {"type": "realtime", "provider": "google", "realtime_model_id": "g", "realtime_voice_id": None},
            rx.RealtimeModel,
        ),
        ({"type": "mixture", "api_url": "u"}, rx.UnknownLLMModel),
        ({"name": "gpt-4.1"}, rx.UnknownLLMModel),
    ],
)  # fmt: skip
def test_llm_model_is_chosen_by_its_type_tag(payload: dict[str, Any], cls: type) -> None:
    """The tag picks the class, also through the Optional field of Assistant."""
    a = structure(assistant_json(llm_model=payload))
    assert type(a.llm_model) is cls
    assert payload == rx.to_dict(a)["llm_model"]


def test_the_custom_models_key_is_never_shown() -> None:
    """CustomModel's api_key stays out of its repr (and so out of logs and tracebacks)."""
    model = rx.CustomModel(api_key="sk-secret", api_url="https://llm.example", model_name="m")
    assert "sk-secret" not in repr(model)
    assert "sk-secret" not in repr(structure(assistant_json(llm_model=rx.to_dict(model))))


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", 1), ("first_sentence_delay_ms", "400"), ("ivr_navigation_enabled", "yes"),
     ("max_call_duration_secs", "1.5"), ("voice", "v1"), ("faq_items", {"question": "q"}),
     ("llm_model", {"type": "dedicated-instance"})],
)  # fmt: skip
def test_a_value_of_the_wrong_type_reads_none_and_is_kept(
    field: str, value: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """The server is the authority: an odd value costs that field, logged, never the object."""
    caplog.set_level(logging.DEBUG, logger="revox_async")
    a = structure(assistant_json(**{field: value}))
    if field == "llm_model":
        assert isinstance(a.llm_model, rx.DedicatedInstanceModel)
        assert a.llm_model.name is None
    else:
        assert getattr(a, field) is None
        assert {field: value} == a.extra_fields
        assert f"Assistant.{field}" in caplog.text
    assert value == rx.to_dict(a)[field]


def test_a_nested_odd_value_is_kept_where_it_was() -> None:
    """voice.speed = "fast": the voice is read, its speed reads None, to_dict returns "fast"."""
    a = structure(assistant_json(voice={"id": "v", "provider": "cartesia", "speed": "fast"}))
    assert a.voice is not None
    assert (None, {"speed": "fast"}) == (a.voice.speed, a.voice.extra_fields)
    assert {"id": "v", "provider": "cartesia", "speed": "fast"} == rx.to_dict(a)["voice"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-01-02T03:04:05.000Z", datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ("2026-01-02T03:04:05", datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ("yesterday", "yesterday"),
        (1767322845, 1767322845),
        (None, None),
    ],
)
def test_timestamps_become_aware_datetimes_or_stay_as_sent(raw: Any, expected: Any) -> None:
    """ISO-8601 strings parse (naive ones as UTC); anything else is kept, never fatal."""
    a = structure(assistant_json(created_at=raw))
    assert expected == a.created_at
    if isinstance(a.created_at, datetime):
        assert a.created_at.tzinfo is not None
        assert "datetime.datetime(2026, 1, 2, 3, 4, 5" in repr(a.created_at)
    assert raw == rx.to_dict(a)["created_at"]


def test_to_dict_omits_unset_fields_and_writes_tags() -> None:
    """None means 'not set'; a variant's type tag is always written."""
    assert {"id": "v", "provider": "cartesia"} == rx.to_dict(rx.Voice(id="v", provider="cartesia"))
    assert {"type": "dedicated-instance", "name": "gpt-4.1"} == rx.to_dict(
        rx.DedicatedInstanceModel(name="gpt-4.1")
    )


def test_explicit_nulls_survive_until_the_field_is_set() -> None:
    """A null the server sent is written back; a value set since replaces it."""
    a = structure(assistant_json(voicemail_message=None, webhook_url=None))
    a.webhook_url = "https://example.com/hook"
    out = rx.to_dict(a)
    assert None is out["voicemail_message"]
    assert "https://example.com/hook" == out["webhook_url"]


def test_to_dict_refuses_what_is_not_a_model() -> None:
    """to_dict of a plain dict is a TypeError, not a silent copy."""
    with pytest.raises(TypeError, match="model"):
        rx.to_dict({"id": "x"})  # type: ignore[arg-type]


def test_integral_floats_are_accepted_where_integers_belong() -> None:
    """400.0 from a JSON encoder is still 400."""
    assert 400 == structure(assistant_json(first_sentence_delay_ms=400.0)).first_sentence_delay_ms


def test_the_whole_assistant_of_the_newer_api_is_typed() -> None:
    """Every field of the 0.5.0 assistant lands on its typed attribute, nothing in extras."""
    payload = assistant_json(
        type="multi-step",
        created_by={"id": "u1", "email": "a@b.c", "first_name": None, "last_name": "L"},
        stt_model="stt-rt-v5",
        stt_context={"general": [{"key": "k", "value": "v"}], "terms": ["Revox"]},
        thinking_sound="office-ambience.ogg",
        transfer_destinations=[{"label": "Desk", "phone_number": "+14155550100"}],
        custom_tools=[
            {
                "name": "lookup",
                "description": "d",
                "method": "GET",
                "url": "https://x/{{id}}",
                "headers": [{"key": "A", "value": "b"}],
                "query_params": [],
                "input_schema": [{"name": "id", "required": True, "type": "string"}],
                "body_template": None,
            }
        ],
        prompt_flow={
            "nodes": [
                {
                    "id": "n1",
                    "type": "promptBlock",
                    "data": {"title": "t", "body": "b"},
                    "position": {"x": 1, "y": 2.5},
                }
            ],
            "edges": [{"id": "e", "source": "n1", "target": "n2"}],
        },
        slack={"connection_id": "c", "channels": [{"id": "C1"}], "outcomes": ["interested"]},
        zoho={
            "connection_id": "z",
            "module": "Leads",
            "field_mapping": [{"source": "email", "zoho_field": "Email"}],
            "log_call_activity": True,
            "outcomes": ["none"],
        },
        voice={"id": "v", "provider": "cartesia", "model": "sonic-3", "speed": 1, "volume": 1.5},
        is_inbound_receptionist=False,
    )
    a = structure(payload)
    parts = [a, a.created_by, a.stt_context, a.voice, a.slack, a.zoho, a.prompt_flow]
    assert all(p is not None and not p.extra_fields for p in parts)
    assert a.custom_tools is not None
    assert "lookup" == a.custom_tools[0].name
    assert a.transfer_destinations is not None
    assert "+14155550100" == a.transfer_destinations[0].phone_number
    assert payload == rx.to_dict(a)


def test_the_server_fields_are_the_assistant_fields_no_parameter_sets() -> None:
    """SERVER_FIELDS, read from the model and the params, is what the mock's own schema
    says the server alone sets, and the notice ``update()`` adds (no field of the wire)."""
    from revox_async._models.assistants import SERVER_FIELDS
    from revox_async.testing._schema import SERVER_FIELDS as MOCK_SERVER_FIELDS

    assert MOCK_SERVER_FIELDS | {"unpatched_calls_notice"} == SERVER_FIELDS
