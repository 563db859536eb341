"""The mock server's own reading of the API's request contract.

Written from the official 0.5.0 SDK's types (the enums, the objects, the 45
settable assistant fields; ``transfer_phone_number`` from the older API),
independently of the client's converter, so that the client and the server
catch each other's mistakes. The client checks no values; this module is
where the documented value rules live, as the API applies them:

* a wrong shape or type (a string for a number, a missing required key, a
  null where null is not allowed) is a **400**;
* a well-typed value the API refuses (an unknown enum value, a phone number
  not in E.164, a time not ``'HH:mm'``/``'H:mma'``, a speed or volume out of
  range, a negative delay, a number under the schema's minimum, an empty string
  where it has ``minLength: 1``) is a **422**. The minimums and non-empty
  strings are read off the official SDK's generated tests, which fill each
  parameter with the schema's minimum or example where it has one;
* either way the error names the field by its path (``voice.speed``,
  ``custom_tools[0].headers[1].key``).

Unknown keys, top-level or nested, are accepted: the API moves ahead of
every client, and a round-tripped object carries keys this module does not
know. An ``llm_model`` with an unknown ``type`` is accepted for the same
reason.
"""

from __future__ import annotations

import base64
import functools
import math
import re
import zoneinfo
from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from typing import Any

__all__ = [
    "ASSISTANT_CREATE",
    "ASSISTANT_UPDATE",
    "CALL_CREATE",
    "CALL_EXPORT",
    "CALL_FILTER",
    "CAMPAIGN_CREATE",
    "CAMPAIGN_UPDATE",
    "ENUMS",
    "FIELDS",
    "LAUNCH",
    "PHONE_NUMBER_UPDATE",
    "SERVER_FIELDS",
    "VOICE_CLONE",
    "VOICE_PREVIEW",
    "RequestRejectedError",
    "validate_body",
]


class RequestRejectedError(Exception):
    """A request the server rejects: 400 (shape or type), 422 (value) or 404 (unknown id)."""

    def __init__(self, field: str, message: str, status: int = 400) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.status = status


Extra = Mapping[str, Collection[str]]
"""Enum values a newer server knows beyond the documented ones, by enum name."""

Check = Callable[[str, Any, Extra], None]
"""``check(path, value, extra)`` raises `RequestRejectedError` or returns."""

_ENUM_TABLE = """\
AssistantType       standalone multi-step sub-assistant
SttModel            stt-rt-v4 stt-rt-v5
FirstSentenceMode   generated static none
BackgroundSound     audio/office.ogg
ThinkingSound       city-ambience.ogg forest-ambience.ogg office-ambience.ogg crowded-room.ogg
                    keyboard-typing.ogg keyboard-typing2.ogg hold_music.ogg
HumanTransferMode   warm cold
VoiceProvider       cartesia elevenlabs gradium
CartesiaModel       sonic-3 sonic-3.5
Weekday             monday tuesday wednesday thursday friday saturday sunday
Outcome             not_interested interested completed requested_callback_later
FieldType           string number boolean enum date datetime
HttpMethod          GET POST PUT PATCH DELETE
DedicatedModelName  gpt-4.1 ministral-3-8b-instruct
RealtimeProvider    openai google
PromptFlowNodeType  promptBlock
CallStatus          initializing queued_for_calling calling post_processing not_launched scheduled
                    paused completed cancelled errored
Result              IVR voicemail human unknown ios-screening-filter
DialError           number_non_attributed too_many_calls busy temporarily_unavailable no_answer
                    no_international_permission precondition_failed non_classified_error
Direction           inbound outbound
SortDirection       asc desc
LaunchMode          ai_first speed_dial
SelectionRowsMode   all_except only
Language            en fr es de it pt ru zh
AudioContentType    audio/webm audio/wav audio/mpeg audio/ogg audio/mp4 video/webm
"""
ENUMS: dict[str, tuple[str, ...]] = {
    name: tuple(values) for name, *values in map(str.split, re.split(r"\n(?=\S)", _ENUM_TABLE))
}
"""The documented enums (the official SDK's ``Literal`` types): a name, then its values (an
indented line goes on); any other value is a 422."""
ENUMS["OutcomeFilter"] = (*ENUMS["Outcome"], "none")
ENUMS["ResultFilter"] = (*ENUMS["Result"], "none")

SERVER_FIELDS = frozenset(
    {
        "id",
        "organization_id",
        "created_at",
        "updated_at",
        "created_by",
        "is_inbound_receptionist",
        "is_realestate_assistant",
        "pending_faq_count",
    }
)
"""Assistant fields only the server sets: ignored when a request body carries them."""

_SPEED = {"cartesia": (0.6, 1.5), "elevenlabs": (0.7, 1.2), "gradium": (0.6, 1.5)}
"""A voice's ``speed`` range by provider (the API's own description of the field)."""
_TIME = re.compile(r"(?:[01]?[0-9]|2[0-3]):[0-5][0-9]|(?:1[0-2]|0?[1-9])(?::[0-5][0-9])?(?:am|pm)")
_E164 = re.compile(r"\+[1-9][0-9]{1,14}")


# -- types (400) -----------------------------------------------------------------


def _of_type(kind: type | tuple[type, ...], noun: str) -> Check:
    """A value of ``kind``, else a 400 ``expected <noun>``; a boolean is no number."""

    def check(path: str, value: Any, extra: Extra) -> None:
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise RequestRejectedError(path, f"expected {noun}")

    return check


_str = _of_type(str, "a string")
_bool = _of_type(bool, "a boolean")
_int = _of_type(int, "an integer")
_any_number = _of_type((int, float), "a number")


def _num(path: str, value: Any, extra: Extra) -> None:
    _any_number(path, value, extra)
    if not math.isfinite(value):
        raise RequestRejectedError(path, "expected a finite number", 422)


def _obj(fields: Mapping[str, Check]) -> Check:
    """An object with these keys, each checked by its check: required, but for a key
    written with a ``?`` (``"model?"``); unknown keys are accepted."""
    specs = [(key.removesuffix("?"), check, not key.endswith("?")) for key, check in fields.items()]

    def check(path: str, value: Any, extra: Extra) -> None:
        if not isinstance(value, Mapping):
            raise RequestRejectedError(path, "expected an object")
        for name, field_check, required in specs:
            where = _at(path, name)
            if name in value:
                field_check(where, value[name], extra)
            elif required:
                raise RequestRejectedError(where, "required")

    return check


_object = _obj({})
"""Any JSON object (``metadata``, ``prompt_variables``)."""


def _list(item: Check) -> Check:
    def check(path: str, value: Any, extra: Extra) -> None:
        if not isinstance(value, list):
            raise RequestRejectedError(path, "expected an array")
        for i, element in enumerate(value):
            item(f"{path}[{i}]", element, extra)

    return check


def _nullable(inner: Check) -> Check:
    def check(path: str, value: Any, extra: Extra) -> None:
        if value is not None:
            inner(path, value, extra)

    return check


# -- values (422) ------------------------------------------------------------------


def _enum(name: str) -> Check:
    documented = ENUMS[name]

    def check(path: str, value: Any, extra: Extra) -> None:
        _str(path, value, extra)
        if value not in documented and value not in extra.get(name, ()):
            allowed = ", ".join(repr(v) for v in documented)
            raise RequestRejectedError(path, f"{value!r} is not one of {allowed}", 422)

    return check


def _number(low: float, high: float = math.inf, *, whole: bool = False) -> Check:
    """A number (``whole``: an integer), then a 422 unless ``low <= value <= high``."""
    kind = _int if whole else _num

    def check(path: str, value: Any, extra: Extra) -> None:
        kind(path, value, extra)
        if not low <= value <= high:
            bounds = f"between {low:g} and {high:g}" if high < math.inf else f"at least {low:g}"
            raise RequestRejectedError(path, f"must be {bounds}", 422)

    return check


_non_negative_int = _number(0, whole=True)
_non_negative_num = _number(0)


def _string(valid: Callable[[str], object], problem: str) -> Check:
    """A string, then a 422 ``problem`` (``{value!r}`` in it is the value) unless ``valid``
    answers true; a ``ValueError`` it raises is a no."""

    def check(path: str, value: Any, extra: Extra) -> None:
        _str(path, value, extra)
        try:
            accepted = valid(value)
        except ValueError:  # binascii.Error, or text that is not ASCII, for base64
            accepted = False
        if not accepted:
            raise RequestRejectedError(path, problem.format(value=value), 422)

    return check


_text = _string(bool, "must not be empty")
"""A string of at least one character (the schema's ``minLength: 1``)."""
_phone = _string(_E164.fullmatch, "expected an E.164 phone number, e.g. +14155550100")
_time = _string(
    lambda text: _TIME.fullmatch(text.strip().lower()),
    "expected 'HH:mm' (17:00) or 'H:mma' (6pm, 9:30am)",
)


@functools.cache
def _known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


_timezone = _string(
    lambda name: name in _known_timezones() or not _known_timezones(),  # no tz database here
    "{value!r} is not an IANA timezone name",
)


def _speed_for_provider(check: Check) -> Check:
    """``check``, then ``speed`` within its provider's range (`_SPEED`)."""

    def checked(path: str, value: Any, extra: Extra) -> None:
        check(path, value, extra)
        bounds = _SPEED.get(value["provider"])
        speed = value.get("speed")
        if bounds is not None and speed is not None and not bounds[0] <= speed <= bounds[1]:
            raise RequestRejectedError(
                _at(path, "speed"),
                f"must be between {bounds[0]:g} and {bounds[1]:g} for {value['provider']}",
                422,
            )

    return checked


_volume = _number(0.5, 2.0)
_voice = _speed_for_provider(
    _obj(
        {
            "id": _text,
            "provider": _enum("VoiceProvider"),
            "model?": _enum("CartesiaModel"),
            "speed?": _num,
            "volume?": _volume,
        }
    )
)


_LLM_VARIANTS: dict[str, Check] = {
    "dedicated-instance": _obj({"name": _enum("DedicatedModelName")}),
    "openrouter": _obj({"openrouter_model_id": _str, "openrouter_provider": _str}),
    "custom": _obj({"api_key": _str, "api_url": _str, "model_name": _str}),
    "realtime": _obj(
        {
            "provider": _enum("RealtimeProvider"),
            "realtime_model_id": _str,
            "realtime_voice_id?": _nullable(_str),
        }
    ),
}


def _llm_model(path: str, value: Any, extra: Extra) -> None:
    _obj({"type": _str})(path, value, extra)
    variant = _LLM_VARIANTS.get(value["type"])
    if variant is not None:  # an unknown variant is a newer API's: accepted
        variant(path, value, extra)


_KEY_VALUE = _obj({"key": _text, "value": _str})
_FIELD_SPEC = _obj(
    {
        "name": _text,
        "required": _bool,
        "type": _enum("FieldType"),
        "description?": _str,
        "enum_options?": _list(_str),
    }
)
_OUTCOME_LIST = _list(_enum("OutcomeFilter"))
_POSITION = _obj({"x": _num, "y": _num})
_WINDOW = _obj(
    {
        "calling_window_start_time": _time,
        "calling_window_end_time": _time,
        "retry_delay_seconds": _non_negative_int,
    }
)
# allowed_days, call_twice_in_a_row and max_retry_attempts are required by the
# newer API; the older one's shape has neither of the first two, so both work.
_CALL_RETRY_CONFIG = _obj(
    {
        "calling_windows": _list(_WINDOW),
        "allowed_days?": _list(_enum("Weekday")),
        "call_twice_in_a_row?": _bool,
        "max_retry_attempts?": _number(1, whole=True),
        "timezone?": _nullable(_timezone),
    }
)
_CUSTOM_TOOL = _obj(
    {
        "name": _str,
        "description": _text,
        "method": _enum("HttpMethod"),
        "url": _text,
        "headers": _list(_KEY_VALUE),
        "query_params": _list(_KEY_VALUE),
        "input_schema": _list(_FIELD_SPEC),
        "body_template": _nullable(_str),
    }
)
_PROMPT_FLOW = _obj(
    {
        "nodes": _list(
            _obj(
                {
                    "id": _str,
                    "type": _enum("PromptFlowNodeType"),
                    "data": _obj({"title": _str, "body": _str}),
                    "position": _POSITION,
                }
            )
        ),
        "edges": _list(_obj({"id": _str, "source": _str, "target": _str})),
    }
)
_SLACK = _obj(
    {
        "connection_id": _str,
        "channels": _list(_obj({"id": _str, "name?": _nullable(_str)})),
        "outcomes": _OUTCOME_LIST,
        "template?": _nullable(_str),
    }
)
_ZOHO = _obj(
    {
        "connection_id": _str,
        "module": _text,
        "field_mapping": _list(_obj({"source": _text, "zoho_field": _text})),
        "log_call_activity": _bool,
        "outcomes": _OUTCOME_LIST,
        "template?": _nullable(_str),
    }
)
_STT_CONTEXT = _obj(
    {
        "general": _list(_obj({"key": _text, "value": _text})),
        "terms": _list(_text),
    }
)
_TRANSFER_DESTINATION = _obj({"label": _text, "phone_number": _phone})
_FAQ_ITEM = _obj({"question": _str, "answer": _str})
_CALENDLY = _obj({"connection_id": _str, "event_type_id": _str})
_probability = _number(0, 1)

FIELDS: dict[str, tuple[Check, bool]] = {
    # name: (check, nullable) -- the 45 settable fields of AssistantParams, then the older API's
    "name": (_str, False),
    "prompt": (_str, False),
    "type": (_enum("AssistantType"), False),
    "voice": (_voice, False),
    "llm_model": (_llm_model, False),
    "stt_model": (_enum("SttModel"), False),
    "stt_context": (_STT_CONTEXT, True),
    "first_sentence": (_str, False),
    "first_sentence_mode": (_enum("FirstSentenceMode"), False),
    "first_sentence_delay_ms": (_non_negative_int, False),
    "end_of_call_sentence": (_str, False),
    "max_call_duration_secs": (_non_negative_num, False),
    "max_duration_end_message": (_str, True),
    "voicemail_message": (_str, True),
    "background_sound": (_enum("BackgroundSound"), True),
    "background_sound_volume": (_non_negative_num, False),
    "thinking_sound": (_enum("ThinkingSound"), True),
    "thinking_sound_probability": (_probability, False),
    "thinking_sound_volume": (_non_negative_num, False),
    "webhook_url": (_str, False),
    "from_phone_number": (_phone, True),
    "transfer_destinations": (_list(_TRANSFER_DESTINATION), True),
    "human_transfer_mode": (_enum("HumanTransferMode"), True),
    "warm_transfer_summary_instructions": (_str, True),
    "ivr_navigation_enabled": (_bool, False),
    "sms_enabled": (_bool, False),
    "sms_template": (_str, True),
    "voicemail_sms_prompt": (_str, True),
    "after_call_sms_prompt": (_str, True),
    "after_call_sms_outcomes": (_OUTCOME_LIST, True),
    "email_notification_address": (_str, True),
    "email_notification_outcomes": (_OUTCOME_LIST, True),
    "slack": (_SLACK, True),
    "zoho": (_ZOHO, True),
    "calendly": (_CALENDLY, True),
    "call_retry_config": (_CALL_RETRY_CONFIG, False),
    "custom_tools": (_list(_CUSTOM_TOOL), True),
    "structured_output_config": (_list(_FIELD_SPEC), False),
    "structured_output_prompt": (_str, True),
    "faq_items": (_list(_FAQ_ITEM), False),
    "cartesia_dictionary_pronunciation_id": (_text, True),
    "precall_lookup_url": (_str, True),
    "logo_url": (_str, True),
    "position": (_POSITION, True),
    "prompt_flow": (_PROMPT_FLOW, True),
    "transfer_phone_number": (_phone, True),  # the older API's single transfer number
}
"""Every settable assistant field: its check, and whether ``null`` is allowed."""


def _assistant(*required: str) -> Check:
    """The assistant params of `FIELDS`, with these keys ``required`` (``path`` prefixes
    the field names: ``assistant.prompt`` for the inline assistant of a call)."""

    def check(path: str, body: Any, extra: Extra) -> None:
        if not isinstance(body, Mapping):
            raise RequestRejectedError(path or "body", "expected a JSON object")
        for name in required:
            if name not in body:
                raise RequestRejectedError(_at(path, name), "required")
        for name, (field_check, nullable) in FIELDS.items():
            if body.get(name) is not None:
                field_check(_at(path, name), body[name], extra)
            elif name in body and not nullable:
                raise RequestRejectedError(_at(path, name), "may not be null")

    return check


ASSISTANT_CREATE = _assistant("name", "prompt")
"""``POST /assistants``: ``name`` and ``prompt``, then any settable field."""
ASSISTANT_UPDATE = _assistant()
"""``PATCH /assistants/{id}``: any settable field."""


def _at(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


# -- calls, campaigns, voices, phone numbers ----------------------------------------


_datetime = _string(datetime.fromisoformat, "expected an ISO 8601 time, e.g. 2026-01-02T03:04:05Z")


def _str_map(path: str, value: Any, extra: Extra) -> None:
    """``map<string,string>``: ``metadata``, ``prompt_variables``."""
    _object(path, value, extra)
    for key, item in value.items():
        _str(f"{path}.{key}", item, extra)


_base64 = _string(
    lambda text: base64.b64decode(text, validate=True) is not None, "expected base64 data"
)


def validate_body(body: Any, check: Check, extra: Extra) -> Mapping[str, Any]:
    """``body`` if it is a JSON object ``check`` accepts (field names carry no prefix)."""
    if not isinstance(body, Mapping):
        raise RequestRejectedError("body", "expected a JSON object")
    check("", body, extra)
    return body


_page = _number(1, whole=True)
_SELECTION_FILTERS: dict[str, Check] = {
    "assignee_ids": _list(_str),
    "directions": _list(_enum("Direction")),
    "outcomes": _OUTCOME_LIST,
    "results": _list(_enum("ResultFilter")),
    "statuses": _list(_enum("CallStatus")),
    "query?": _str,
}
"""The filters of a campaign launch's selection; a call search has these and more."""

CALL_FILTER = _obj(
    {
        **_SELECTION_FILTERS,
        "assistant_ids": _list(_str),
        "campaign_ids": _list(_str),
        "from_phone_numbers": _list(_str),
        "page": _page,
        "page_size": _page,
        "call_ids?": _list(_str),
        "sort_by?": _str,
        "sort_direction?": _enum("SortDirection"),
        "to_phone_number?": _str,
    }
)
"""``POST /call/search``: CallFilter; ``page`` and ``page_size`` at least 1 (pages
count from 1, as the official client's tests have them; the contract states no
largest page)."""

CALL_EXPORT = _obj(
    {
        "filters": CALL_FILTER,
        "include_metadata?": _bool,
        "include_structured_output_fields?": _bool,
    }
)
"""``POST /call/export``: ``{filters: CallFilter, include_metadata?, ...}``."""


_CALL_FIELDS = _obj(
    {
        "phone_number": _phone,
        "assistant_id?": _str,
        "from_phone_number?": _phone,
        "prompt_variables?": _str_map,
        "metadata?": _str_map,
        "scheduled_at?": _datetime,
        "skip_calling_window?": _bool,
        "force_now?": _bool,  # what older clients call skip_calling_window
        "concurrency?": _obj({"key": _str}),
    }
)
_INLINE_ASSISTANT = _assistant("prompt")


def _call_create(path: str, body: Any, extra: Extra) -> None:
    _CALL_FIELDS(path, body, extra)
    if "assistant_id" not in body and "assistant" not in body:
        raise RequestRejectedError("assistant_id", "give assistant_id or assistant")
    if "assistant" in body:
        _INLINE_ASSISTANT("assistant", body["assistant"], extra)


CALL_CREATE: Check = _call_create
"""``POST /call``: a number, and ``assistant_id`` or an inline ``assistant`` (both may
come: the inline one is used when ``assistant_id`` is absent, so it is checked, then
``assistant_id`` wins)."""

_max_concurrent = _number(1)
CAMPAIGN_CREATE = _obj(
    {
        "name": _text,
        "assistant_id": _str,
        "contacts": _list(_obj({"to_phone_number": _phone, "prompt_variables": _object})),
        "call_retry_config?": _CALL_RETRY_CONFIG,
        "from_phone_number?": _phone,
        "max_concurrent_calls?": _max_concurrent,
    }
)
"""``POST /campaigns``: a name, an assistant, contacts; the rest optional."""

CAMPAIGN_UPDATE = _obj(
    {
        "name?": _text,
        "from_phone_number?": _nullable(_phone),
        "max_concurrent_calls?": _nullable(_max_concurrent),
        "call_retry_config?": _nullable(_CALL_RETRY_CONFIG),
        "assistant_id?": _str,
    }
)
"""``PATCH /campaigns/{id}``: every field optional; null clears all but ``name``."""

_SELECTION = _obj(
    {
        "filters": _obj(_SELECTION_FILTERS),
        "rows": _obj({"call_ids": _list(_str), "mode": _enum("SelectionRowsMode")}),
    }
)


def _launch(path: str, body: Any, extra: Extra) -> None:
    _obj(
        {
            "mode": _enum("LaunchMode"),
            "selection": _SELECTION,
            "scheduled_at?": _datetime,
        }
    )(path, body, extra)
    if "scheduled_at" in body and body["mode"] != "ai_first":
        raise RequestRejectedError("scheduled_at", "only an ai_first launch can be scheduled", 422)


LAUNCH: Check = _launch
"""``POST /campaigns/{id}/launch-calls``; ``scheduled_at`` is for ``ai_first`` only (422)."""

PHONE_NUMBER_UPDATE = _obj({"inbound_assistant_id?": _nullable(_str), "label?": _nullable(_str)})
"""``PATCH /phone-numbers/{id}``: ``inbound_assistant_id`` and ``label``, both nullable."""

VOICE_CLONE = _obj(
    {
        "name": _text,
        "audio": _base64,
        "contentType": _enum("AudioContentType"),
        "language": _enum("Language"),
    }
)
"""``POST /voices/clone``: base64 ``audio`` in JSON, camelCase ``contentType``."""

VOICE_PREVIEW = _speed_for_provider(
    _obj(
        {
            "provider": _enum("VoiceProvider"),
            "voiceId": _str,
            "model?": _enum("CartesiaModel"),
            "speed?": _num,
            "text?": _str,
            "volume?": _volume,
        }
    )
)
"""``POST /voices/preview``: camelCase ``voiceId``; speed and volume as for a voice."""
