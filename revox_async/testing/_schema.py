"""The mock server's own reading of the Assistants contract.

Written from ``API.md``, independently of the client's converter, so that the
client's validation and the server's can catch each other's mistakes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["RequestRejectedError", "validate_assistant_params"]


class RequestRejectedError(Exception):
    """A request the server rejects: 400 (shape or type), 422 (value) or 404 (unknown id)."""

    def __init__(self, field: str, message: str, status: int = 400) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.status = status


Check = Callable[[str, Any], None]


def _type(expected: type | tuple[type, ...], label: str) -> Check:
    def check(path: str, value: Any) -> None:
        if isinstance(value, bool) and bool not in (
            expected if isinstance(expected, tuple) else (expected,)
        ):
            raise RequestRejectedError(path, f"expected {label}")
        if not isinstance(value, expected):
            raise RequestRejectedError(path, f"expected {label}")

    return check


_str = _type(str, "a string")
_int = _type(int, "an integer")
_num = _type((int, float), "a number")
_bool = _type(bool, "a boolean")
_TIME = re.compile(r"(?:[01]?[0-9]|2[0-3]):[0-5][0-9]|(?:1[0-2]|0?[1-9])(?::[0-5][0-9])?(?:am|pm)")
_E164 = re.compile(r"\+[1-9][0-9]{1,14}")
_SPEED = {"cartesia": (0.6, 1.5), "elevenlabs": (0.7, 1.2)}


def _time(path: str, value: Any) -> None:
    _str(path, value)
    if not _TIME.fullmatch(value.strip().lower()):
        raise RequestRejectedError(path, "expected 'HH:mm' or 'H:mma'", 422)


def _obj(fields: Mapping[str, tuple[Check, bool]]) -> Check:
    """An object with ``{name: (check, required)}``; unknown keys are accepted."""

    def check(path: str, value: Any) -> None:
        if not isinstance(value, Mapping):
            raise RequestRejectedError(path, "expected an object")
        for name, (field_check, required) in fields.items():
            if name in value:
                field_check(f"{path}.{name}", value[name])
            elif required:
                raise RequestRejectedError(f"{path}.{name}", "required")

    return check


def _list(item: Check) -> Check:
    def check(path: str, value: Any) -> None:
        if not isinstance(value, list):
            raise RequestRejectedError(path, "expected an array")
        for i, element in enumerate(value):
            item(f"{path}[{i}]", element)

    return check


def _nullable(inner: Check) -> Check:
    def check(path: str, value: Any) -> None:
        if value is not None:
            inner(path, value)

    return check


def _voice(path: str, value: Any) -> None:
    _obj({"id": (_str, True), "provider": (_str, True), "speed": (_num, False)})(path, value)
    bounds = _SPEED.get(value["provider"])
    speed = value.get("speed")
    if bounds and speed is not None and not bounds[0] <= speed <= bounds[1]:
        raise RequestRejectedError(
            f"{path}.speed", f"out of range {bounds[0]}-{bounds[1]} for {value['provider']}", 422
        )


_DEDICATED = _obj({"type": (_str, True), "name": (_str, True)})
_OPENROUTER = _obj(
    {"type": (_str, True), "openrouter_model_id": (_str, True), "openrouter_provider": (_str, True)}
)


def _llm_model(path: str, value: Any) -> None:
    _obj({"type": (_str, True)})(path, value)
    variant = {"dedicated-instance": _DEDICATED, "openrouter": _OPENROUTER}.get(value["type"])
    if variant is not None:
        variant(path, value)


def _phone(path: str, value: Any) -> None:
    _str(path, value)
    if not _E164.fullmatch(value):
        raise RequestRejectedError(path, "expected an E.164 phone number", 422)


_WINDOW = _obj(
    {
        "calling_window_start_time": (_time, True),
        "calling_window_end_time": (_time, True),
        "retry_delay_seconds": (_int, True),
    }
)

FIELDS: dict[str, Check] = {
    "name": _str,
    "prompt": _str,
    "background_sound": _nullable(_str),
    "calendly": _nullable(_obj({"connection_id": (_str, True), "event_type_id": (_str, True)})),
    "call_retry_config": _nullable(
        _obj(
            {
                "calling_windows": (_list(_WINDOW), True),
                "max_retry_attempts": (_int, False),
                "timezone": (_nullable(_str), False),
            }
        )
    ),
    "end_of_call_sentence": _nullable(_str),
    "faq_items": _nullable(_list(_obj({"question": (_str, True), "answer": (_str, True)}))),
    "first_sentence": _nullable(_str),
    "first_sentence_delay_ms": _nullable(_int),
    "first_sentence_mode": _nullable(_str),
    "ivr_navigation_enabled": _nullable(_bool),
    "llm_model": _nullable(_llm_model),
    "max_call_duration_secs": _nullable(_num),
    "structured_output_config": _nullable(
        _list(
            _obj(
                {
                    "name": (_str, True),
                    "required": (_bool, True),
                    "type": (_str, True),
                    "description": (_str, False),
                    "enum_options": (_list(_str), False),
                }
            )
        )
    ),
    "transfer_phone_number": _nullable(_phone),
    "voice": _nullable(_voice),
    "voicemail_message": _nullable(_str),
    "webhook_url": _nullable(_str),
}


def validate_assistant_params(body: Any, *, create: bool) -> None:
    """Raise :class:`RequestRejectedError` for the first field the server rejects."""
    if not isinstance(body, Mapping):
        raise RequestRejectedError("body", "expected a JSON object")
    if create:
        for name in ("name", "prompt"):
            if name not in body:
                raise RequestRejectedError(name, "required")
    for name, check in FIELDS.items():
        if name in body:
            if name in ("name", "prompt") and body[name] is None:
                raise RequestRejectedError(name, "may not be null")
            check(name, body[name])
