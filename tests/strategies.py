"""Hypothesis strategies for API payloads, unknown keys included."""

from __future__ import annotations

from typing import Any

import attrs
from hypothesis import strategies as st

from revox_async import _models

_KNOWN = {
    a.name
    for cls in vars(_models).values()
    if isinstance(cls, type) and attrs.has(cls)
    for a in attrs.fields(cls)
} | {"unpatchedCallsNotice"}
"""Every field name of every model: generated unknown keys avoid them all."""

text = st.text(max_size=12)
json_leaf = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | text
json_value = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=6,
)
unknown_keys = st.dictionaries(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=10).filter(
        lambda k: k not in _KNOWN
    ),
    json_value,
    max_size=3,
)
numbers = st.floats(min_value=0, max_value=1e6, allow_nan=False) | st.integers(0, 10**6)
odd_values = st.dictionaries(st.sampled_from(sorted(_KNOWN)), json_value, max_size=4)
"""Known field names with values of any JSON type: what a drifting server may send."""


def obj(required: dict[str, Any], optional: dict[str, Any] | None = None) -> Any:
    return st.fixed_dictionaries(required, optional=optional or {}).flatmap(
        lambda d: unknown_keys.map(lambda extra: {**extra, **d})
    )


def maybe(strategy: Any) -> Any:
    return st.none() | strategy


enum_like = st.sampled_from(["cartesia", "elevenlabs", "gradium", "something-new"])
voices = obj({"id": text, "provider": enum_like}, {"speed": maybe(numbers)})
windows = obj(
    {
        "calling_window_start_time": text,
        "calling_window_end_time": text,
        "retry_delay_seconds": st.integers(0, 10**6),
    }
)
retry_configs = obj(
    {"calling_windows": st.lists(windows, max_size=2)},
    {"max_retry_attempts": maybe(st.integers(0, 10)), "timezone": maybe(text)},
)
faq_items = obj(
    {"question": text, "answer": text},
    {"id": maybe(text), "needs_human_answer": maybe(st.booleans()), "source": maybe(text)},
)
output_fields = obj(
    {"name": text, "required": st.booleans(), "type": text},
    {"description": maybe(text), "enum_options": maybe(st.lists(text, max_size=3))},
)
llm_models = st.one_of(
    obj({"type": st.just("dedicated-instance"), "name": text}),
    obj({"type": st.just("openrouter"), "openrouter_model_id": text, "openrouter_provider": text}),
    obj({"type": st.sampled_from(["realtime", "custom", "x-future"])}),
)
timestamps = maybe(
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()) | st.just("soon") | text
)
assistants = obj(
    {"id": text, "name": text, "prompt": text},
    {
        "organization_id": maybe(text),
        "created_at": timestamps,
        "updated_at": timestamps,
        "background_sound": maybe(st.sampled_from(["audio/office.ogg", "audio/street.ogg"])),
        "calendly": maybe(obj({"connection_id": text, "event_type_id": text})),
        "call_retry_config": maybe(retry_configs),
        "end_of_call_sentence": maybe(text),
        "faq_items": maybe(st.lists(faq_items, max_size=2)),
        "first_sentence": maybe(text),
        "first_sentence_delay_ms": maybe(st.integers(0, 10**5)),
        "first_sentence_mode": maybe(st.sampled_from(["generated", "static", "none", "new"])),
        "ivr_navigation_enabled": maybe(st.booleans()),
        "llm_model": maybe(llm_models),
        "max_call_duration_secs": maybe(numbers),
        "structured_output_config": maybe(st.lists(output_fields, max_size=2)),
        "transfer_phone_number": maybe(text),
        "voice": maybe(voices),
        "voicemail_message": maybe(text),
        "webhook_url": maybe(text),
        "pending_faq_count": maybe(numbers),
    },
)

drifted_assistants = st.tuples(assistants, odd_values).map(lambda t: {**t[0], **t[1]})
"""Assistants where some known fields carry values of unexpected types."""
