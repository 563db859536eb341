"""The private cattrs converters: JSON-ready data <-> models.

Two converters are built by one function and differ only in how much they
say when something is wrong:

* ``request_converter`` validates what callers pass in (detailed validation,
  so an error can name ``voice.speed``);
* ``response_converter`` decodes what the server sends, on the hot path,
  without the bookkeeping detailed errors need.

Both are strict about JSON types (``1`` is not a string, ``"1.5"`` is not a
number), lenient about values (an enum value the SDK does not know is kept),
and keep unknown keys in each model's ``extra_fields``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from types import UnionType
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ._models import (
    Assistant,
    DedicatedInstanceModel,
    LLMModel,
    OpenRouterModel,
    UnknownLLMModel,
)

__all__ = [
    "error_messages",
    "request_converter",
    "response_converter",
    "to_dict",
]

_T = TypeVar("_T")

_EXTRA = "extra_fields"

_LLM_VARIANTS: dict[object, type[Any]] = {
    "dedicated-instance": DedicatedInstanceModel,
    "openrouter": OpenRouterModel,
}


def _kind(value: object) -> str:
    return "null" if value is None else type(value).__name__


def _structure_str(value: object, _: object) -> str:
    if isinstance(value, str):
        return value
    raise TypeError(f"expected a string, got {_kind(value)}")


def _structure_int(value: object, _: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise TypeError(f"expected an integer, got {_kind(value)}")


def _structure_float(value: object, _: object) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise TypeError(f"expected a number, got {_kind(value)}")


def _structure_bool(value: object, _: object) -> bool:
    if isinstance(value, bool):
        return value
    raise TypeError(f"expected a boolean, got {_kind(value)}")


def _structure_timestamp(value: object, _: object) -> object:
    """ISO-8601 strings become aware datetimes; anything else is kept as sent."""
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return value
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return value


_EXACT_JSON_TYPES: dict[object, type] = {str: str, int: int, float: float, bool: bool}
"""Types whose exact instances need no conversion (an int for a float does)."""


def _optional_inner(tp: object) -> object | None:
    """``X`` for ``X | None`` (one other member), else ``None``."""
    if get_origin(tp) not in (Union, UnionType):
        return None
    args = get_args(tp)
    if len(args) != 2 or type(None) not in args:
        return None
    inner: object = args[0] if args[1] is type(None) else args[1]
    return inner


def _is_str_literal(tp: object) -> bool:
    return get_origin(tp) is Literal and all(isinstance(a, str) for a in get_args(tp))


def _attrs_hooks(
    converter: cattrs.Converter,
) -> tuple[
    Callable[[type[Any]], Callable[[Any, Any], Any]],
    Callable[[type[Any]], Callable[[Any], dict[str, Any]]],
]:
    """Hook factories for every attrs model: generated code plus ``extra_fields``."""

    def structure_factory(cls: type[Any]) -> Callable[[Any, Any], Any]:
        base = make_dict_structure_fn(cls, converter, extra_fields=override(omit=True))
        known = frozenset(a.name for a in attrs.fields(cls) if a.name != _EXTRA)

        def structure(value: Any, _: Any) -> Any:
            if type(value) is not dict and not isinstance(value, Mapping):
                raise TypeError(f"expected an object, got {_kind(value)}")
            obj = base(value, cls)
            if not known.issuperset(value):
                obj.extra_fields = {k: v for k, v in value.items() if k not in known}
            return obj

        return structure

    def unstructure_factory(cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
        # "None means not set": optional fields left at None are omitted, but a
        # variant's ``type`` tag is always written.
        overrides: dict[str, Any] = {_EXTRA: override(omit=True)}
        if "type" in attrs.fields_dict(cls):
            overrides["type"] = override(omit_if_default=False)
        base = make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True, **overrides)

        def unstructure(obj: Any) -> dict[str, Any]:
            data = base(obj)
            if obj.extra_fields:
                for key, value in obj.extra_fields.items():
                    data.setdefault(key, value)
            return data

        return unstructure

    return structure_factory, unstructure_factory


def _make_converter(*, detailed: bool) -> cattrs.Converter:
    converter = cattrs.Converter(detailed_validation=detailed)
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(float, _structure_float)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook_func(_is_str_literal, _structure_str)

    def structure_optional_factory(tp: Any) -> Callable[[Any, Any], Any]:
        # cattrs dispatches ``X | None`` afresh on every call; resolve X once.
        inner = _optional_inner(tp)
        handler = converter.get_structure_hook(inner)
        exact = str if _is_str_literal(inner) else _EXACT_JSON_TYPES.get(inner)
        if exact is not None:  # the common case, checked inline

            def structure_optional_json(value: Any, _: Any) -> Any:
                if value is None or type(value) is exact:
                    return value
                return handler(value, inner)

            return structure_optional_json

        def structure_optional(value: Any, _: Any) -> Any:
            return None if value is None else handler(value, inner)

        return structure_optional

    converter.register_structure_hook_factory(
        lambda tp: _optional_inner(tp) is not None, structure_optional_factory
    )
    converter.register_structure_hook(datetime | str | None, _structure_timestamp)
    converter.register_unstructure_hook(datetime, datetime.isoformat)

    def structure_llm_model(value: Any, _: Any) -> LLMModel:
        if not isinstance(value, Mapping):
            raise TypeError(f"expected an object, got {_kind(value)}")
        variant = _LLM_VARIANTS.get(value.get("type"), UnknownLLMModel)
        result: LLMModel = converter.structure(value, variant)
        return result

    def structure_optional_llm_model(value: Any, tp: Any) -> LLMModel | None:
        return None if value is None else structure_llm_model(value, tp)

    # ``LLMModel | None`` is a different type from ``LLMModel``: register both,
    # or cattrs silently builds the fallback for the optional field.
    converter.register_structure_hook(LLMModel, structure_llm_model)
    converter.register_structure_hook(LLMModel | None, structure_optional_llm_model)

    structure_factory, unstructure_factory = _attrs_hooks(converter)
    converter.register_structure_hook_factory(attrs.has, structure_factory)
    converter.register_unstructure_hook_factory(attrs.has, unstructure_factory)
    return converter


request_converter = _make_converter(detailed=True)
response_converter = _make_converter(detailed=False)


def to_dict(model: Any) -> dict[str, Any]:
    """Turn a model into a JSON-ready ``dict``, unknown fields included.

    Fields left at ``None`` are omitted ("not set"); ``extra_fields`` are
    written back at the level they came from, so:

        structure(to_dict(a)) == a

    holds for every model, including those fetched from a newer API.

    >>> to_dict(Voice(id="v1", provider="cartesia"))
    {'id': 'v1', 'provider': 'cartesia'}
    """
    if not attrs.has(type(model)):
        raise TypeError(f"to_dict() takes a revox_async model, not {_kind(model)}")
    result: dict[str, Any] = response_converter.unstructure(model)
    return result


def _describe(exc: BaseException, _: object) -> str:
    if isinstance(exc, KeyError):
        return "required field missing"
    return str(exc)


def error_messages(exc: Exception, root: str) -> list[str]:
    """Flatten a cattrs error (an exception group) into ``path: problem`` lines."""
    lines = cattrs.transform_error(exc, path=root, format_exception=_describe)
    return [_path_first(line) for line in lines]


def _path_first(line: str) -> str:
    problem, _, path = line.rpartition(" @ ")
    return f"{path}: {problem}" if problem else line


def structure_assistant(data: Any) -> Assistant:
    """Decode one Assistant from response JSON (fast path, no detailed errors)."""
    result: Assistant = response_converter.structure(data, Assistant)
    return result
