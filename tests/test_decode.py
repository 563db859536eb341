"""Nested objects decoded on first read: same values, same drift, safe from threads."""

from __future__ import annotations

import copy
import pickle
import threading
import types
from typing import Any

import attrs
import pytest

import revox_async as rx
from revox_async._converter import decode_model, response_converter
from revox_async._hooks import wire_name
from tests.conftest import assistant_json


def call_json(**overrides: Any) -> dict[str, Any]:
    attempt = {
        "id": "att1",
        "status": "completed",
        "started_at": "2026-01-02T03:04:05.000Z",
        "transcript": [
            {"role": "assistant", "content": "Hello!", "emotion": "cheerful"},
            {"role": "user", "content": "Hi", "tool_name": None},
        ],
        "speech_events": [{"id": "s1", "speaker": "user", "llm_ttft_ms": 120.5}],
    }
    return {
        "id": "c1",
        "status": "completed",
        "call_attempts": [attempt],
        "last_call_attempt": attempt,
        "assistant": assistant_json(voice={"id": "v", "provider": "cartesia", "pitch": 2}),
        "llm_model": {"type": "mixture", "models": ["a"]},
        "contact": {"first_name": "Ada", "last_name": None},
        "sentiment": {"score": 0.9},
        **overrides,
    }


decode_call = decode_model(rx.Call)


def test_nested_objects_are_decoded_when_first_read() -> None:
    """A call's attempts wait in their JSON until read; then they are models, kept."""
    call = decode_call(call_json())
    assert call._pending is not None
    assert "call_attempts" in call._pending
    attempts = call.call_attempts
    assert attempts is not None
    assert "call_attempts" not in call._pending
    assert attempts is call.call_attempts
    assert isinstance(attempts[0], rx.CallAttempt)
    assert ["Hello!", "Hi"] == [t.content for t in call.transcript]


def test_a_lazy_call_gives_back_exactly_what_the_server_sent() -> None:
    """to_dict, read or not: unknown keys and nulls of nested objects come back at their level."""
    payload = call_json()
    assert payload == rx.to_dict(decode_call(payload))
    read = decode_call(payload)
    assert read.call_attempts is not None
    assert {"emotion": "cheerful"} == read.call_attempts[0].transcript[0].extra_fields  # type: ignore[index]
    assert payload == rx.to_dict(read)


def test_lazy_and_read_objects_are_equal_copied_and_pickled_alike() -> None:
    """Equality, copies and pickles see the decoded values, whichever were read."""
    fresh, read = decode_call(call_json()), decode_call(call_json())
    assert read.assistant is not None
    assert read == fresh
    assert fresh == copy.deepcopy(decode_call(call_json()))
    assert fresh == pickle.loads(pickle.dumps(decode_call(call_json())))
    assert fresh != decode_call(call_json(contact={"first_name": "Grace"}))
    assert repr(fresh) == repr(decode_call(call_json()))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("call_attempts", [{"id": "a1"}, "not an attempt"]),
        ("call_attempts", {"id": "a1"}),
        ("assistant", ["not", "an", "object"]),
        ("contact", "Ada"),
    ],
)
def test_a_nested_value_of_the_wrong_shape_reads_none_at_once(field: str, value: Any) -> None:
    """The shape is checked with the parent: the field reads None, its value kept as sent."""
    call = decode_call(call_json(**{field: value}))
    assert value == call.extra_fields[field]
    assert getattr(call, field) is None
    assert value == rx.to_dict(call)[field]


def test_threads_reading_one_pending_field_each_get_the_whole_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While one thread decodes a field, another reading it decodes it too, never half."""
    call = decode_call(call_json())
    decode = type(call)._decoders["assistant"]
    started, release = threading.Event(), threading.Event()

    def slow(raw: Any) -> Any:
        if not started.is_set():
            started.set()
            release.wait()
        return decode(raw)

    read: list[Any] = []
    monkeypatch.setattr(rx.Call, "_decoders", {**rx.Call._decoders, "assistant": slow})
    first = threading.Thread(target=lambda: read.append(call.assistant))
    first.start()
    started.wait()
    second = call.assistant  # while the first thread is still decoding
    release.set()
    first.join()
    assert isinstance(second, rx.Assistant)
    assert [second] == read
    assert assistant_json(voice={"id": "v", "provider": "cartesia", "pitch": 2}) == rx.to_dict(
        call.assistant  # type: ignore[arg-type]
    )


def test_a_missing_attribute_is_still_an_attribute_error() -> None:
    """Only pending fields are decoded on read; any other name is an AttributeError."""
    call = decode_call(call_json())
    with pytest.raises(AttributeError, match="no attribute 'assistants'"):
        call.assistants  # type: ignore[attr-defined]  # noqa: B018
    assert None is getattr(call, "transcripts", None)


def test_fields_left_out_take_their_defaults_as_init_would() -> None:
    """A missing list with a factory default is a new empty list per object; bookkeeping is reset."""
    decode_page = decode_model(rx.CallPage)
    first, second = decode_page({"total_count": 0}), decode_page({"total_count": 0})
    assert ([], []) == (first.calls, second.calls)
    assert first.calls is not second.calls
    assert ({}, None) == (first.extra_fields, first._pending)
    assert rx.CallPage(total_count=0) == first


READ = [
    wire_name(a)
    for a in attrs.fields(rx.Assistant)
    if a.init and a.name != "extra_fields" and a.metadata.get("wire") is not False
]
"""Every key an assistant is read from."""


def full_assistant(**overrides: Any) -> dict[str, Any]:
    """An assistant with every key the model reads, and no other: the usual answer."""
    return {**dict.fromkeys(READ), **assistant_json(), **overrides}


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"max_call_duration_secs": "600"},  # a word in a number field: kept raw
        {"first_sentence_delay_ms": 400.0},  # a whole float for an int: converted
        {"ivr_navigation_enabled": 1},
        {"name": None},  # a required field null
        {"voice": ["not", "an", "object"]},
        {"faq_items": [{"question": "q", "answer": "a"}, "odd"]},
        {"stt_model": "stt-rt-v9", "type": None},
        {"created_at": "yesterday"},
    ],
)
def test_the_usual_object_and_any_mapping_decode_alike(overrides: dict[str, Any]) -> None:
    """An object with every field and no other takes a faster way, to the same result."""
    hook = response_converter.get_structure_hook(rx.Assistant)
    payload = full_assistant(**overrides)
    assert set(READ) == set(payload)
    fast, usual = hook(payload, rx.Assistant), hook(types.MappingProxyType(payload), rx.Assistant)
    assert usual == fast
    assert (usual.extra_fields, usual._nulls) == (fast.extra_fields, fast._nulls)
    assert rx.to_dict(usual) == rx.to_dict(fast)
    assert payload == rx.to_dict(fast)


def test_a_shape_once_seen_is_checked_at_once() -> None:
    """The types of a full object's values are learnt once per shape, each null set shared."""
    hook = response_converter.get_structure_hook(rx.Assistant)
    shapes = hook.__globals__["shapes"]
    payload = full_assistant(logo_url="https://example.com/new-shape.png", position=None)
    first, second = hook(payload, rx.Assistant), hook(dict(payload), rx.Assistant)
    assert first == second
    assert first._nulls is second._nulls
    assert tuple(map(type, hook.__globals__["get"](payload))) in shapes


def test_equal_timestamp_texts_read_as_one_value_each_written_back_as_sent() -> None:
    """An object's created_at and updated_at of one text are one datetime; the text comes back."""
    decode = decode_model(rx.Assistant)
    zulu = decode(
        assistant_json(created_at="2026-01-02T03:04:05Z", updated_at="2026-01-02T03:04:05Z")
    )
    offset = decode(assistant_json(created_at="2026-01-02T03:04:05+00:00"))
    assert zulu.created_at is zulu.updated_at
    assert offset.created_at == zulu.created_at
    assert "2026-01-02T03:04:05+00:00" == rx.to_dict(offset)["created_at"]
    assert "2026-01-02T03:04:05Z" == rx.to_dict(zulu)["created_at"]


@pytest.mark.parametrize("tag", [["openrouter"], {"a": 1}])
def test_an_llm_model_whose_type_is_no_string_is_kept_as_an_unknown_one(tag: Any) -> None:
    """A server's llm_model {"type": [...]}: read as UnknownLLMModel, sent back as it came."""
    sent = {"id": "a", "name": "n", "prompt": "p", "llm_model": {"type": tag, "k": 1}}
    assistant = response_converter.structure(sent, rx.Assistant)
    assert isinstance(assistant.llm_model, rx.UnknownLLMModel)
    assert sent["llm_model"] == rx.to_dict(assistant)["llm_model"]
