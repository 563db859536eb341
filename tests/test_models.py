"""Models: decoding responses, API drift, and lossless round trips."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import cattrs
import pytest
from hypothesis import given, settings

import revox_async as rx
from revox_async._converter import error_messages, request_converter, response_converter
from tests import strategies
from tests.conftest import assistant_json


def structure(data: Any) -> rx.Assistant:
    return response_converter.structure(data, rx.Assistant)


@settings(max_examples=300, deadline=None)
@given(strategies.assistants)
def test_structure_to_dict_structure_is_identity(data: dict[str, Any]) -> None:
    """Whatever the server sends, unknown keys included, survives a round trip."""
    first = structure(data)
    assert first == structure(rx.to_dict(first))


@settings(max_examples=200, deadline=None)
@given(strategies.assistants)
def test_unknown_keys_reach_to_dict_at_their_level(data: dict[str, Any]) -> None:
    """Every unknown key the server sent is in to_dict's output, where it was."""
    out = rx.to_dict(structure(data))
    known = strategies._KNOWN
    for key, value in data.items():
        if key not in known:
            assert value == out[key]
    voice = data.get("voice")
    if voice:
        for key, value in voice.items():
            if key not in known:
                assert value == out["voice"][key]


def test_drift_payload_parses_and_keeps_everything() -> None:
    """New fields, enum values and an unknown llm_model variant: parsed, kept, returned."""
    payload = assistant_json(
        stt_model="stt-rt-v5",
        first_sentence_mode="adaptive",
        background_sound="audio/street.ogg",
        voice={"id": "v", "provider": "gradium", "speed": 1.0, "model": "sonic-3.5"},
        llm_model={"type": "realtime", "provider": "openai", "realtime_model_id": "gpt-rt"},
        faq_items=[
            {"question": "q", "answer": "a", "id": "f", "source": "imported", "tags": ["x"]}
        ],
    )
    a = structure(payload)
    assert "adaptive" == a.first_sentence_mode
    assert {"stt_model": "stt-rt-v5"} == a.extra_fields
    assert a.voice is not None
    assert ("gradium", {"model": "sonic-3.5"}) == (a.voice.provider, a.voice.extra_fields)
    assert isinstance(a.llm_model, rx.UnknownLLMModel)
    assert "realtime" == a.llm_model.type
    assert {"provider": "openai", "realtime_model_id": "gpt-rt"} == a.llm_model.extra_fields
    assert a.faq_items is not None
    assert {"tags": ["x"]} == a.faq_items[0].extra_fields
    out = rx.to_dict(a)
    assert payload["llm_model"] == out["llm_model"]
    assert payload["voice"] == out["voice"]
    assert "stt-rt-v5" == out["stt_model"]


@pytest.mark.parametrize(
    ("payload", "cls"),
    [
        ({"type": "dedicated-instance", "name": "gpt-4.1"}, rx.DedicatedInstanceModel),
        (
            {"type": "openrouter", "openrouter_model_id": "m", "openrouter_provider": "p"},
            rx.OpenRouterModel,
        ),
        ({"type": "custom", "api_url": "u"}, rx.UnknownLLMModel),
    ],
)
def test_llm_model_is_chosen_by_its_type_tag(payload: dict[str, Any], cls: type) -> None:
    """The tag picks the class, also through the Optional field of Assistant."""
    a = structure(assistant_json(llm_model=payload))
    assert type(a.llm_model) is cls
    assert payload == rx.to_dict(a)["llm_model"]


def test_a_missing_llm_model_tag_is_a_validation_error() -> None:
    """An llm_model without ``type`` cannot be told apart: it is rejected, not guessed."""
    with pytest.raises(cattrs.ClassValidationError) as info:
        request_converter.structure({"name": "gpt-4.1"}, rx.LLMModel)
    assert ["llm_model.type: required field missing"] == error_messages(info.value, "llm_model")


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


def test_to_dict_omits_unset_fields_and_writes_tags() -> None:
    """None means 'not set'; a variant's type tag is always written."""
    assert {"id": "v", "provider": "cartesia"} == rx.to_dict(rx.Voice(id="v", provider="cartesia"))
    assert {"type": "dedicated-instance", "name": "gpt-4.1"} == rx.to_dict(
        rx.DedicatedInstanceModel(name="gpt-4.1")
    )


def test_to_dict_refuses_what_is_not_a_model() -> None:
    """to_dict of a plain dict is a TypeError, not a silent copy."""
    with pytest.raises(TypeError, match="model"):
        rx.to_dict({"id": "x"})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", 1), ("first_sentence_delay_ms", "400"), ("ivr_navigation_enabled", "yes"),
     ("max_call_duration_secs", "1.5"), ("voice", "v1"), ("faq_items", {"question": "q"})],
)  # fmt: skip
def test_wrong_json_types_in_responses_are_rejected(field: str, value: Any) -> None:
    """Strict types: a string is not a number, 1 is not a string."""
    with pytest.raises(Exception):  # noqa: B017, PT011 - cattrs' own error type
        structure(assistant_json(**{field: value}))


def test_integral_floats_are_accepted_where_integers_belong() -> None:
    """400.0 from a JSON encoder is still 400."""
    assert 400 == structure(assistant_json(first_sentence_delay_ms=400.0)).first_sentence_delay_ms
