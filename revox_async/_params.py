"""Request parameters: their static types and their validation.

Everything here is pure: it turns what a caller passed into the JSON body to
send, or raises ``TypeError``/``ValueError`` naming the field, before any I/O.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Required, TypedDict

import attrs
import cattrs

from ._converter import (
    _optional_inner,
    error_messages,
    request_converter,
    response_converter,
    to_dict,
)
from ._models import (
    Assistant,
    BackgroundSound,
    Calendly,
    CallRetryConfig,
    FaqItem,
    FirstSentenceMode,
    LLMModel,
    StructuredOutputField,
    Voice,
)
from ._types import NOT_GIVEN, NotGiven

__all__ = [
    "AssistantCreateParams",
    "AssistantUpdateParams",
    "build_assistant_body",
]


class _AssistantOptionalParams(TypedDict, total=False):
    background_sound: BackgroundSound | NotGiven | None
    calendly: Calendly | Mapping[str, Any] | NotGiven | None
    call_retry_config: CallRetryConfig | Mapping[str, Any] | NotGiven | None
    end_of_call_sentence: str | NotGiven | None
    faq_items: Iterable[FaqItem | Mapping[str, Any]] | NotGiven | None
    first_sentence: str | NotGiven | None
    first_sentence_delay_ms: int | NotGiven | None
    first_sentence_mode: FirstSentenceMode | NotGiven | None
    ivr_navigation_enabled: bool | NotGiven | None
    llm_model: LLMModel | Mapping[str, Any] | NotGiven | None
    max_call_duration_secs: float | NotGiven | None
    structured_output_config: Iterable[StructuredOutputField | Mapping[str, Any]] | NotGiven | None
    transfer_phone_number: str | NotGiven | None
    voice: Voice | Mapping[str, Any] | NotGiven | None
    voicemail_message: str | NotGiven | None
    webhook_url: str | NotGiven | None


class AssistantCreateParams(_AssistantOptionalParams):
    """The keyword arguments of ``assistants.create``: ``name`` and ``prompt`` are required.

    Nested values may be model instances or plain dicts; keys a dict carries
    that the SDK does not know are sent as given.
    """

    name: Required[str]
    prompt: Required[str]


class AssistantUpdateParams(_AssistantOptionalParams, total=False):
    """The keyword arguments of ``assistants.update``: any subset of the create params."""

    name: str | NotGiven
    prompt: str | NotGiven


_SERVER_FIELDS = frozenset(
    {"id", "organization_id", "created_at", "updated_at", "pending_faq_count"}
)
_FIELD_TYPES: dict[str, Any] = {
    a.name: a.type
    for a in attrs.fields(attrs.resolve_types(Assistant))
    if a.name not in _SERVER_FIELDS and a.name != "extra_fields"
}
_FIELD_HOOKS = {
    name: response_converter.get_structure_hook(tp) for name, tp in _FIELD_TYPES.items()
}
"""The fast converter's hook per field, looked up once (validation's happy path)."""
_NOT_NULL = frozenset({"name", "prompt"})
PARAM_NAMES = frozenset(_FIELD_TYPES)

_E164 = re.compile(r"\+[1-9][0-9]{1,14}")
_TIME = re.compile(r"(?:[01]?[0-9]|2[0-3]):[0-5][0-9]|(?:1[0-2]|0?[1-9])(?::[0-5][0-9])?(?:am|pm)")
_SPEED_RANGES = {"cartesia": (0.6, 1.5), "elevenlabs": (0.7, 1.2)}


def _voice_problems(name: str, voice: Voice) -> list[str]:
    bounds = _SPEED_RANGES.get(voice.provider)
    if voice.speed is None or not bounds or bounds[0] <= voice.speed <= bounds[1]:
        return []
    return [
        f"{name}.speed: {voice.speed} is outside {voice.provider}'s range {bounds[0]}–{bounds[1]}"
    ]


def _retry_problems(name: str, config: CallRetryConfig) -> list[str]:
    problems = []
    if config.max_retry_attempts is not None and config.max_retry_attempts < 0:
        problems.append(f"{name}.max_retry_attempts: must be >= 0")
    for i, window in enumerate(config.calling_windows):
        where = f"{name}.calling_windows[{i}]"
        for attr in ("calling_window_start_time", "calling_window_end_time"):
            text = getattr(window, attr)
            if not _TIME.fullmatch(text.strip().lower()):
                problems.append(
                    f"{where}.{attr}: {text!r} is not 'HH:mm' or 'H:mma' (e.g. '17:00', '6pm')"
                )
        if window.retry_delay_seconds < 0:
            problems.append(f"{where}.retry_delay_seconds: must be >= 0")
    return problems


def _phone_problems(name: str, number: str) -> list[str]:
    if _E164.fullmatch(number):
        return []
    return [f"{name}: {number!r} is not in E.164 format (e.g. '+1234567890')"]


def _non_negative_problems(name: str, value: float) -> list[str]:
    return [f"{name}: must be >= 0"] if value < 0 else []


_VALUE_CHECKS: dict[str, Callable[[str, Any], list[str]]] = {
    "voice": _voice_problems,
    "call_retry_config": _retry_problems,
    "transfer_phone_number": _phone_problems,
    "first_sentence_delay_ms": _non_negative_problems,
    "max_call_duration_secs": _non_negative_problems,
}
"""Range and format checks the types alone cannot express (on non-null values)."""


_STRING_FIELDS = frozenset(
    name
    for name, tp in _FIELD_TYPES.items()
    if tp in (str, str | None) or (_optional_inner(tp) or tp) is str
    if name != "transfer_phone_number"  # also has a format to check
)


_LEAVES = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    """A JSON-ready copy: models become dicts, iterables lists; the rest is kept."""
    kind = type(value)
    if kind in _LEAVES:
        return value
    if kind is list:
        return [v if type(v) in _LEAVES else _plain(v) for v in value]
    if kind is dict or isinstance(value, Mapping):
        return {k: v if type(v) in _LEAVES else _plain(v) for k, v in value.items()}
    if attrs.has(kind):
        return to_dict(value)
    if isinstance(value, Iterable) and not isinstance(value, (bytes, bytearray)):
        return [v if type(v) in _LEAVES else _plain(v) for v in value]
    return value


def _unknown_param(name: str) -> TypeError:
    hint = difflib.get_close_matches(name, PARAM_NAMES, n=1)
    suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
    return TypeError(
        f"unknown parameter {name!r}{suggestion} "
        "(send fields this SDK does not know yet with extra_body={...})"
    )


def build_assistant_body(
    params: Mapping[str, Any],
    *,
    extra_body: Mapping[str, Any] | None = None,
    required: Iterable[str] = (),
) -> dict[str, Any]:
    """Validate create/update keyword arguments and return the JSON body.

    A parameter given as ``NOT_GIVEN`` is left out, one given as ``None`` is
    sent as ``null``. Every problem found is reported at once.
    """
    body: dict[str, Any] = {}
    type_problems: list[str] = []
    value_problems: list[str] = []
    for name in required:
        if params.get(name, NOT_GIVEN) is NOT_GIVEN:
            type_problems.append(f"{name}: required parameter missing")
    for name, value in params.items():
        if name not in _FIELD_TYPES:
            raise _unknown_param(name)
        if value is NOT_GIVEN:
            continue
        if value is None:
            if name in _NOT_NULL:
                type_problems.append(f"{name}: may not be None")
            else:
                body[name] = None
            continue
        if type(value) is str and name in _STRING_FIELDS:
            body[name] = value
            continue
        # Models inside become dicts; dicts stay as given, unknown keys and all.
        plain = _plain(value)
        try:
            structured = _FIELD_HOOKS[name](plain, _FIELD_TYPES[name])
        except Exception:
            type_problems.extend(_problems(plain, name))
            continue
        check = _VALUE_CHECKS.get(name)
        if check is not None:
            value_problems.extend(check(name, structured))
        body[name] = plain
    if type_problems:
        raise TypeError("invalid parameters: " + "; ".join(type_problems))
    if value_problems:
        raise ValueError("invalid parameters: " + "; ".join(value_problems))
    if extra_body:
        if not isinstance(extra_body, Mapping):
            raise TypeError("extra_body: expected a mapping of field names to values")
        body.update(extra_body)
    return body


def _problems(plain: Any, name: str) -> list[str]:
    try:
        request_converter.structure(plain, _FIELD_TYPES[name])
    except cattrs.BaseValidationError as exc:
        return error_messages(exc, name)
    except (TypeError, ValueError) as exc:
        return [f"{name}: {exc}"]
    return [f"{name}: invalid value"]  # pragma: no cover - both converters share hooks
