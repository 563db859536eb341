"""What both cattrs converters share: strict JSON leaf checks, timestamps, the
``llm_model`` union, and the way a model is written back (see ``_converter``)."""

from __future__ import annotations

import math
import typing
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Literal, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import AttributeValidationNote
from cattrs.gen import make_dict_unstructure_fn, override

from ._models import (
    CustomModel,
    DedicatedInstanceModel,
    LLMModel,
    OpenRouterModel,
    RealtimeModel,
    UnknownLLMModel,
)

__all__ = [
    "INT64",
    "LLM_VARIANTS",
    "Served",
    "ServerDatetime",
    "base_converter",
    "is_list",
    "is_str_literal",
    "kind",
    "not_an_object",
    "optional_inner",
    "wire_name",
]

INT64 = 2**63
LLM_VARIANTS: dict[object, type[LLMModel]] = {
    attrs.fields(cls).type.default: cls
    for cls in (DedicatedInstanceModel, OpenRouterModel, CustomModel, RealtimeModel)
}


class Served(dict[str, Any]):
    """The JSON of an object the server sent, on its way back to it: a plain ``dict`` on
    the wire, and a mark for the request checks, which read it leniently."""

    __slots__ = ()


class ServerDatetime(datetime):
    """A datetime that remembers the string it was read from (``to_dict`` writes it back)."""

    __slots__ = ("raw",)
    raw: str

    def __setattr__(self, name: str, value: object) -> None:
        # Immutable like every datetime: one value stands for every equal text read.
        raise AttributeError(f"a timestamp's {name} cannot be set")

    def __repr__(self) -> str:
        return datetime.__repr__(self).replace(type(self).__name__, "datetime.datetime", 1)


def kind(value: object) -> str:
    """A JSON value's kind, for error messages (``null``, ``str``, ``list``...)."""
    return "null" if value is None else type(value).__name__


def not_an_object(value: object) -> typing.NoReturn:
    raise TypeError(f"expected an object, got {kind(value)}")


def _exactly(tp: type, what: str) -> Callable[[object, object], Any]:
    """A hook that takes instances of ``tp`` only (cattrs' own converts: ``1`` to ``"1"``)."""

    def structure(value: object, _: object) -> Any:
        if isinstance(value, tp):
            return value
        raise TypeError(f"expected {what}, got {kind(value)}")

    return structure


_structure_str = _exactly(str, "a string")
_structure_bool = _exactly(bool, "a boolean")


def _structure_int(value: object, _: object) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        if -INT64 <= value < INT64:
            return value
        raise ValueError("outside the 64-bit integer range")
    raise TypeError(f"expected an integer, got {kind(value)}")


def _structure_float(value: object, _: object) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if math.isfinite(value):
            return float(value)
        raise ValueError("must be a finite number")
    raise TypeError(f"expected a number, got {kind(value)}")


_recent_stamps: dict[str, ServerDatetime] = {}
"""The last timestamps read, by their text: an object's ``created_at`` is often its
``updated_at``, and the same objects are read again (a call polled until it ends).
A datetime is immutable, so one may stand for every equal text."""


def _structure_timestamp(value: object, _: object) -> object:
    """ISO-8601 strings become aware datetimes; anything else is kept as sent."""
    if not isinstance(value, str):
        return value
    stamp = _recent_stamps.get(value)
    if stamp is not None:
        return stamp
    try:
        stamp = ServerDatetime.fromisoformat(value)
    except ValueError:
        return value
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    object.__setattr__(stamp, "raw", value)
    if len(_recent_stamps) >= 256:
        _recent_stamps.clear()
    _recent_stamps[value] = stamp
    return stamp


def _structure_object_or_text(value: object, _: object) -> object:
    """A JSON object or a string, as sent (a tool call's arguments are either)."""
    if value is None or isinstance(value, str | dict):
        return value
    raise TypeError(f"expected an object or a string, got {kind(value)}")


def _unstructure_timestamp(value: datetime) -> str:
    return value.raw if isinstance(value, ServerDatetime) else value.isoformat()


def optional_inner(tp: object) -> object | None:
    """``X`` for ``X | None`` (one other member), else ``None``."""
    if get_origin(tp) not in (typing.Union, type(int | None)):
        return None
    args = [a for a in get_args(tp) if a is not type(None)]
    return args[0] if len(args) == 1 and len(get_args(tp)) == 2 else None


def is_list(tp: Any) -> bool:
    return get_origin(tp) is list


def is_str_literal(tp: object) -> bool:
    return get_origin(tp) is Literal and all(isinstance(a, str) for a in get_args(tp))


_EXACT: dict[object, type] = {str: str, bool: bool}
"""Leaf types whose exact instances need no check (a float may be NaN, an int may not
fit 64 bits)."""


def wire_name(a: attrs.Attribute[Any]) -> str:
    """The key a field has on the wire: its name, or ``metadata={"wire": "camelCase"}``."""
    wire = a.metadata.get("wire")
    return wire if isinstance(wire, str) else a.name


def base_converter(*, lenient: bool) -> cattrs.Converter:
    """A converter with the leaf, timestamp, optional and ``llm_model`` hooks, and the
    models' unstructure hook; each side adds its own model and list structure hooks."""
    converter = cattrs.Converter(detailed_validation=not lenient)
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(float, _structure_float)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook_func(is_str_literal, _structure_str)
    converter.register_structure_hook(datetime | str | None, _structure_timestamp)
    converter.register_unstructure_hook(datetime, _unstructure_timestamp)
    converter.register_structure_hook(dict[str, Any] | str | None, _structure_object_or_text)
    converter.register_structure_hook_factory(
        lambda tp: optional_inner(tp) is not None, lambda tp: _structure_optional(converter, tp)
    )
    structure_llm_model = _llm_model_hook(converter, lenient=lenient)
    # ``LLMModel | None`` is a different type from ``LLMModel``: register both,
    # or cattrs silently builds the fallback for the optional field.
    converter.register_structure_hook(LLMModel, structure_llm_model)
    converter.register_structure_hook(
        LLMModel | None, lambda v, t: None if v is None else structure_llm_model(v, t)
    )
    converter.register_unstructure_hook_factory(
        attrs.has, lambda cls: _unstructure_model(converter, cls, lenient=lenient)
    )
    return converter


def _structure_optional(converter: cattrs.Converter, tp: Any) -> Callable[[Any, Any], Any]:
    # cattrs dispatches ``X | None`` afresh on every call; resolve X once.
    inner = optional_inner(tp)
    handler = converter.get_structure_hook(inner)
    exact = str if is_str_literal(inner) else _EXACT.get(inner)
    if exact is not None:  # most fields: the value is already what it should be

        def structure_optional_leaf(value: Any, _: Any) -> Any:
            if value is None or type(value) is exact:
                return value
            return handler(value, inner)

        return structure_optional_leaf

    def structure_optional(value: Any, _: Any) -> Any:
        return None if value is None else handler(value, inner)

    return structure_optional


def _llm_model_hook(converter: cattrs.Converter, *, lenient: bool) -> Callable[[Any, Any], Any]:
    variant_hooks: dict[type[Any], Callable[[Any, Any], Any]] = {}

    def structure_llm_model(value: Any, _: Any) -> LLMModel:
        if not isinstance(value, Mapping):
            not_an_object(value)
        if not lenient and "type" not in value and type(value) is not Served:  # say which
            missing = KeyError("type")
            missing.add_note(AttributeValidationNote("required", "type", str))
            raise cattrs.ClassValidationError("llm_model", [missing], UnknownLLMModel)
        tag = value.get("type")
        variant = LLM_VARIANTS.get(tag, UnknownLLMModel) if type(tag) is str else UnknownLLMModel
        hook = variant_hooks.get(variant)
        if hook is None:
            hook = variant_hooks[variant] = converter.get_structure_hook(variant)
        result: LLMModel = hook(value, variant)
        return result

    return structure_llm_model


def _unstructure_model(
    converter: cattrs.Converter, cls: type[Any], *, lenient: bool
) -> Callable[[Any], dict[str, Any]]:
    """A model as JSON: cattrs' generated code, then the nulls the server sent and its
    unknown keys put back. "None means not set": fields left at their default are
    omitted, except a variant's ``type`` tag; fields not on the wire are never written;
    in requests, a required-but-nullable field left at ``None`` is sent as ``null``."""
    omitted = {
        a.name
        for a in attrs.fields(cls)
        if not a.init or a.name == "extra_fields" or a.metadata.get("wire") is False
    }
    overrides: dict[str, Any] = {name: override(omit=True) for name in omitted}
    wire_names = {a.name: wire_name(a) for a in attrs.fields(cls) if a.name not in omitted}
    overrides.update(
        (name, override(rename=wire)) for name, wire in wire_names.items() if wire != name
    )
    tag = attrs.fields_dict(cls).get("type")
    if tag is not None and isinstance(tag.default, str):  # a variant's tag
        overrides["type"] = override(omit_if_default=False)
    sent_null = (
        set()
        if lenient
        else {a.name for a in attrs.fields(cls) if a.metadata.get("required_nullable")}
    )
    for name in sent_null:
        overrides[name] = override(omit_if_default=False, rename=wire_names[name])
    base = make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True, **overrides)
    required = [
        wire_names[a.name]
        for a in attrs.fields(cls)
        if a.default is attrs.NOTHING and a.name in wire_names
    ]
    by_wire = {wire: name for name, wire in wire_names.items()}
    wire_order = tuple(wire_names.values())

    def salvaged(obj: Any) -> dict[str, Any]:
        # An object read from an odd response may lack required parts.
        data = {}
        for name, wire in wire_names.items():
            value = getattr(obj, name)
            if value is not None or name in sent_null:
                data[wire] = converter.unstructure(value)
        return data

    def unstructure(obj: Any) -> dict[str, Any]:
        try:
            data = base(obj)
        except TypeError:
            data = salvaged(obj)
        nulls = obj._nulls
        for key in required:  # unset only when salvaged from an odd response
            if key in data and data[key] is None and key not in nulls:
                del data[key]
        if nulls:  # a set: its order changes with each run, so follow the fields'
            data = {
                key: data.get(key)
                for key in wire_order
                if key in data or (key in nulls and getattr(obj, by_wire[key]) is None)
            }
        for key, value in obj.extra_fields.items():  # unknown keys, null ones too
            data.setdefault(key, value)
        if not lenient and obj._served:
            return Served(data)
        return data

    return unstructure
