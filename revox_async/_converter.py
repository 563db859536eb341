"""The private cattrs converters: parameters -> JSON bodies, JSON responses -> models.

Two converters are built by one function:

* ``request_converter`` checks what callers pass in, strictly and with
  detailed validation, so an error names ``voice.speed``: JSON types (``1`` is
  not a string), required keys, finite numbers, integers that fit 64 bits.
  Values (formats, ranges, enum members) are the server's to judge.
* ``response_converter`` reads what the server sends and never refuses a
  value: a field it cannot read reads ``None`` and keeps its raw value in
  ``extra_fields`` (one debug log line names it). Only a body that is not the
  expected envelope at all is an error.

Both keep unknown keys in each model's ``extra_fields``, and remember the
explicit nulls the server sent, so ``to_dict`` gives back exactly what came.

An object the server sent is its own authority: passed back in a request (a
model instance as a parameter, an ``Assistant`` to copy), it is sent with the
server's values as they came (its odd values included) and not checked again;
``request_converter`` writes it as a `Served` dict, which its checks read
leniently. What the API requires but allows to be ``null``
(``metadata={"required_nullable": True}``) is sent as ``null`` when ``None``.
"""

from __future__ import annotations

import difflib
import math
import typing
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from itertools import compress, repeat
from operator import is_
from typing import Any, Literal, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.cols import list_structure_factory
from cattrs.errors import AttributeValidationNote
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ._display import ModelList
from ._logging import logger
from ._models import (
    CustomModel,
    DedicatedInstanceModel,
    LLMModel,
    Model,
    OpenRouterModel,
    RealtimeModel,
    UnknownLLMModel,
)
from ._types import NOT_GIVEN

__all__ = [
    "InvalidResponse",
    "Served",
    "build_body",
    "check_numbers",
    "decode_list",
    "decode_model",
    "decode_success",
    "request_converter",
    "response_converter",
    "to_dict",
]

_T = TypeVar("_T")
_M = TypeVar("_M", bound=Model)


class Served(dict[str, Any]):
    """The JSON of an object the server sent, on its way back to it: a plain ``dict`` on
    the wire, and a mark for the request checks, which read it leniently."""

    __slots__ = ()


_LLM_VARIANTS: dict[object, type[LLMModel]] = {
    attrs.fields(cls).type.default: cls
    for cls in (DedicatedInstanceModel, OpenRouterModel, CustomModel, RealtimeModel)
}
_INT64 = 2**63


def _kind(value: object) -> str:
    return "null" if value is None else type(value).__name__


def _structure_str(value: object, _: object) -> str:
    if isinstance(value, str):
        return value
    raise TypeError(f"expected a string, got {_kind(value)}")


def _structure_int(value: object, _: object) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        if -_INT64 <= value < _INT64:
            return value
        raise ValueError("outside the 64-bit integer range")
    raise TypeError(f"expected an integer, got {_kind(value)}")


def _structure_float(value: object, _: object) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if math.isfinite(value):
            return float(value)
        raise ValueError("must be a finite number")
    raise TypeError(f"expected a number, got {_kind(value)}")


def _structure_bool(value: object, _: object) -> bool:
    if isinstance(value, bool):
        return value
    raise TypeError(f"expected a boolean, got {_kind(value)}")


class ServerDatetime(datetime):
    """A datetime that remembers the string it was read from (``to_dict`` writes it back)."""

    __slots__ = ("raw",)
    raw: str

    def __repr__(self) -> str:
        return datetime.__repr__(self).replace(type(self).__name__, "datetime.datetime", 1)


def _structure_timestamp(value: object, _: object) -> object:
    """ISO-8601 strings become aware datetimes; anything else is kept as sent."""
    if not isinstance(value, str):
        return value
    try:
        stamp = ServerDatetime.fromisoformat(value)
    except ValueError:
        return value
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    stamp.raw = value
    return stamp


def _structure_object_or_text(value: object, _: object) -> object:
    """A JSON object or a string, as sent (a tool call's arguments are either)."""
    if value is None or isinstance(value, str | dict):
        return value
    raise TypeError(f"expected an object or a string, got {_kind(value)}")


def _unstructure_timestamp(value: datetime) -> str:
    return value.raw if isinstance(value, ServerDatetime) else value.isoformat()


def _optional_inner(tp: object) -> object | None:
    """``X`` for ``X | None`` (one other member), else ``None``."""
    if get_origin(tp) not in (typing.Union, type(int | None)):
        return None
    args = [a for a in get_args(tp) if a is not type(None)]
    return args[0] if len(args) == 1 and len(get_args(tp)) == 2 else None


_EXACT: dict[object, type] = {str: str, bool: bool}
"""Leaf types whose exact instances need no check (a float may be NaN, an int may not
fit 64 bits)."""


_shared_nulls: dict[frozenset[str], frozenset[str]] = {}
"""One copy of each set of null fields: objects of one shape share it (flat memory)."""


def _is_list(tp: Any) -> bool:
    return get_origin(tp) is list


def _is_str_literal(tp: object) -> bool:
    return get_origin(tp) is Literal and all(isinstance(a, str) for a in get_args(tp))


_INLINE: dict[object, str] = {str: "str", int: "int", float: "float", bool: "bool"}


def _not_an_object(value: object) -> None:
    raise TypeError(f"expected an object, got {_kind(value)}")


def _keep_unknown(obj: Any, value: Mapping[str, Any], known: frozenset[str]) -> None:
    obj.extra_fields.update((k, v) for k, v in value.items() if k not in known)


def _keep_nulls(obj: Any, value: Mapping[str, Any]) -> None:
    nulls = frozenset(compress(value, map(is_, value.values(), repeat(None))))
    shared = _shared_nulls.get(nulls)
    if shared is None and len(_shared_nulls) < 1024:
        shared = _shared_nulls[nulls] = nulls
    obj._nulls = shared or nulls


def _leaf_check(leaf: str, var: str) -> str:
    # An integer is a JSON number too; a bool is not (type(True) is bool).
    if leaf == "float":
        return f"(type({var}) is float or type({var}) is int)"
    return f"type({var}) is {leaf}"


def _inline_structure_fn(
    cls: type[Any], converter: cattrs.Converter, skip: set[str], finish: Mapping[str, Any]
) -> Callable[[Mapping[str, Any], Any], Any]:
    """Responses' structure hook for one model, generated like cattrs' own, but with
    the check of a leaf field (most of them) written inline instead of a hook call:
    decoding an Assistant (54 fields) costs about half as much. Anything else goes
    through the field's cattrs hook; a failure salvages the object (``finish``:
    ``salvage``, the ``known`` keys, ``keep_unknown`` and ``keep_nulls``), all in
    one function, as large responses hold thousands of small objects."""
    lines = ["    res = {}"]
    direct: list[str] = []  # fields passed by name: a missing key reads None, the default
    namespace: dict[str, Any] = {"cls": cls, "MISSING": attrs.NOTHING, **finish}
    for i, a in enumerate(attrs.fields(cls)):
        if not a.init or a.name == "extra_fields" or a.name in skip:
            continue
        inner = _optional_inner(a.type) or a.type
        leaf = "str" if _is_str_literal(inner) else _INLINE.get(inner)
        namespace[f"h{i}"] = converter.get_structure_hook(a.type)
        namespace[f"t{i}"] = a.type
        key = _wire_name(a)
        if a.default is None and type(None) in get_args(a.type):  # optional, default None
            lines.append(f"    v{i} = o.get({key!r})")
            if leaf is None:
                value = f"None if v{i} is None else h{i}(v{i}, t{i})"
            else:
                value = (
                    f"v{i} if v{i} is None or {_leaf_check(leaf, f'v{i}')} else h{i}(v{i}, t{i})"
                )
            lines.append(f"    v{i} = {value}")
            direct.append(f"{a.name}=v{i}")
            continue
        get = f"o[{key!r}]" if a.default is attrs.NOTHING else f"o.get({key!r}, MISSING)"
        lines.append(f"    v = {get}")
        indent = "    "
        if a.default is not attrs.NOTHING:
            lines.append("    if v is not MISSING:")
            indent = "        "
        if leaf is None:
            lines.append(f"{indent}res[{a.name!r}] = h{i}(v, t{i})")
        else:
            allowed = _leaf_check(leaf, "v")
            if inner is not a.type:
                allowed = f"v is None or {allowed}"
            lines.append(f"{indent}res[{a.name!r}] = v if {allowed} else h{i}(v, t{i})")
    rest = ["**res"] if any("res[" in line for line in lines) else []
    if not rest:
        lines.remove("    res = {}")
    lines.append(f"    obj = cls({', '.join([*direct, *rest])})")
    code = [
        "def structure(o, _):",
        "    if type(o) is not dict and not isinstance(o, Mapping):",
        "        not_an_object(o)",
        "    try:",
        *("    " + line for line in lines),
        "    except Exception:",
        "        obj = salvage(o)",
        "    if not known.issuperset(o):",
        "        keep_unknown(obj, o)",
        "    if None in o.values():",
        "        keep_nulls(obj, o)",
        "    obj._served = True",
        "    return obj",
    ]
    namespace.update(Mapping=Mapping, not_an_object=_not_an_object)
    exec("\n".join(code), namespace)  # the code above, made of the model's field names
    structure: Callable[[Mapping[str, Any], Any], Any] = namespace["structure"]
    return structure


def _wire_name(a: attrs.Attribute[Any]) -> str:
    """The key a field has on the wire: its name, or ``metadata={"wire": "camelCase"}``."""
    wire = a.metadata.get("wire")
    return wire if isinstance(wire, str) else a.name


def _model_hooks(
    converter: cattrs.Converter, *, lenient: bool
) -> tuple[Callable[[type[Any]], Any], Callable[[type[Any]], Any]]:
    """Hook factories for every model: cattrs' generated code, plus what it cannot do
    (unknown keys kept, nulls remembered, and in responses, odd values salvaged)."""

    def structure_factory(cls: type[Any]) -> Callable[[Any, Any], Any]:
        # Fields that are not on the wire (``Assistant.unpatched_calls_notice``) are
        # not read from a body: a key of that name is an unknown key like any other.
        skip = {a.name for a in attrs.fields(cls) if a.metadata.get("wire") is False}
        omit: dict[str, Any] = {name: override(omit=True) for name in {"extra_fields", *skip}}
        renamed = {a.name: _wire_name(a) for a in attrs.fields(cls) if _wire_name(a) != a.name}
        omit.update((name, override(rename=wire)) for name, wire in renamed.items())
        fields = {  # wire key -> (attribute, type)
            _wire_name(a): (a.name, a.type)
            for a in attrs.fields(cls)
            if a.init and a.name != "extra_fields" and a.name not in skip
        }
        known = frozenset(fields)
        required = {a.name for a in attrs.fields(cls) if a.init and a.default is attrs.NOTHING}

        def salvage(value: Mapping[str, Any]) -> Any:
            # One field's odd value must not cost the whole object: read the rest.
            kwargs: dict[str, Any] = {}
            odd: dict[str, Any] = {}
            for key, (name, tp) in fields.items():
                if key not in value:
                    continue
                try:
                    kwargs[name] = converter.structure(value[key], tp)
                except Exception:
                    odd[key] = value[key]
                    logger.debug("%s.%s: kept the raw value %.80r", cls.__name__, key, value[key])
            for name in required - kwargs.keys():
                kwargs[name] = None  # a required field missing or unreadable reads None
            obj = cls(**kwargs)
            obj.extra_fields = odd
            return obj

        def keep_unknown(obj: Any, value: Mapping[str, Any]) -> None:
            _keep_unknown(obj, value, known)

        if lenient:
            finish = {"salvage": salvage, "known": known, "keep_unknown": keep_unknown}
            return _inline_structure_fn(cls, converter, skip, {**finish, "keep_nulls": _keep_nulls})
        base = make_dict_structure_fn(cls, converter, **omit)
        must_send = [  # required but nullable: the key must be there, null or not
            (_wire_name(a), a.type)
            for a in attrs.fields(cls)
            if a.metadata.get("required_nullable")
        ]

        def structure(value: Any, _: Any) -> Any:
            if type(value) is Served:  # the server's own values: read, not judged
                return response_converter.structure(value, cls)
            if type(value) is not dict and not isinstance(value, Mapping):
                _not_an_object(value)
            missing = [_missing(key, tp) for key, tp in must_send if key not in value]
            try:
                obj = base(value, cls)
            except cattrs.ClassValidationError as exc:
                if not missing:
                    raise
                raise cattrs.ClassValidationError(
                    exc.message, [*missing, *exc.exceptions], cls
                ) from None
            if missing:
                raise cattrs.ClassValidationError(f"While structuring {cls.__name__}", missing, cls)
            if not known.issuperset(value):
                keep_unknown(obj, value)
            if None in value.values():
                _keep_nulls(obj, value)
            return obj

        return structure

    def unstructure_factory(cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
        # "None means not set": fields left at their default are omitted, except a
        # variant's ``type`` tag; fields that are not on the wire are never written.
        omitted = {
            a.name
            for a in attrs.fields(cls)
            if a.name in ("extra_fields", "_nulls", "_served") or a.metadata.get("wire") is False
        }
        overrides: dict[str, Any] = {name: override(omit=True) for name in omitted}
        wire_names = {a.name: _wire_name(a) for a in attrs.fields(cls) if a.name not in omitted}
        overrides.update(
            (name, override(rename=wire)) for name, wire in wire_names.items() if wire != name
        )
        tag = attrs.fields_dict(cls).get("type")
        if tag is not None and isinstance(tag.default, str):  # a variant's tag
            overrides["type"] = override(omit_if_default=False)
        sent_null = set() if lenient else _required_nullable(cls)  # requests: None is null
        for name in sent_null:
            overrides[name] = override(omit_if_default=False, rename=wire_names[name])
        base = make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True, **overrides)

        required = [a.name for a in attrs.fields(cls) if a.default is attrs.NOTHING]
        by_wire = {wire: name for name, wire in wire_names.items()}
        wire_order = tuple(wire_names.values())

        def salvaged(obj: Any) -> dict[str, Any]:
            # An object read from an odd response may lack required parts.
            data = {}
            for a in attrs.fields(cls):
                value = getattr(obj, a.name)
                if a.name not in omitted and (value is not None or a.name in sent_null):
                    data[wire_names[a.name]] = converter.unstructure(value)
            return data

        def unstructure(obj: Any) -> dict[str, Any]:
            try:
                data = base(obj)
            except TypeError:
                data = salvaged(obj)
            for name in required:  # unset only when salvaged from an odd response
                key = wire_names.get(name, name)
                if key in data and data[key] is None and key not in obj._nulls:
                    del data[key]
            nulls = obj._nulls
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

    return structure_factory, unstructure_factory


def _required_nullable(cls: type[Any]) -> set[str]:
    return {a.name for a in attrs.fields(cls) if a.metadata.get("required_nullable")}


def _missing(key: str, tp: Any) -> KeyError:
    """A required key missing, as cattrs reports one (the path names it)."""
    missing = KeyError(key)
    missing.add_note(AttributeValidationNote(f"Required field {key!r} missing", key, tp))
    return missing


def _make_converter(*, lenient: bool) -> cattrs.Converter:
    converter = cattrs.Converter(detailed_validation=not lenient)
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(float, _structure_float)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook_func(_is_str_literal, _structure_str)
    converter.register_structure_hook(datetime | str | None, _structure_timestamp)
    converter.register_unstructure_hook(datetime, _unstructure_timestamp)
    converter.register_structure_hook(dict[str, Any] | str | None, _structure_object_or_text)

    def structure_optional_factory(tp: Any) -> Callable[[Any, Any], Any]:
        # cattrs dispatches ``X | None`` afresh on every call; resolve X once.
        inner = _optional_inner(tp)
        handler = converter.get_structure_hook(inner)
        exact = str if _is_str_literal(inner) else _EXACT.get(inner)
        if exact is not None:  # most fields: the value is already what it should be

            def structure_optional_leaf(value: Any, _: Any) -> Any:
                if value is None or type(value) is exact:
                    return value
                return handler(value, inner)

            return structure_optional_leaf

        def structure_optional(value: Any, _: Any) -> Any:
            return None if value is None else handler(value, inner)

        return structure_optional

    converter.register_structure_hook_factory(
        lambda tp: _optional_inner(tp) is not None, structure_optional_factory
    )

    def structure_list_factory(tp: Any) -> Callable[[Any, Any], Any]:
        # cattrs' own list hook takes any iterable: a string or an object would
        # become a list of characters or keys. JSON arrays only.
        if lenient:  # no error paths to build: one comprehension, empty lists for free
            (item,) = get_args(tp) or (Any,)
            handler = converter.get_structure_hook(item)
            exact = _EXACT.get(item)

            def structure_response_list(value: Any, _: Any) -> Any:
                if type(value) is not list:
                    raise TypeError(f"expected an array, got {_kind(value)}")
                if not value:
                    return []
                if exact is not None:
                    return [v if type(v) is exact else handler(v, item) for v in value]
                return [handler(v, item) for v in value]

            return structure_response_list

        base = list_structure_factory(tp, converter)

        def structure_list(value: Any, _: Any) -> Any:
            if type(value) is not list:
                raise TypeError(f"expected an array, got {_kind(value)}")
            return base(value, tp)

        return structure_list

    converter.register_structure_hook_factory(_is_list, structure_list_factory)

    variant_hooks: dict[type[Any], Callable[[Any, Any], Any]] = {}

    def structure_llm_model(value: Any, _: Any) -> LLMModel:
        if not isinstance(value, Mapping):
            raise TypeError(f"expected an object, got {_kind(value)}")
        if not lenient and "type" not in value and type(value) is not Served:  # say which
            missing = KeyError("type")
            missing.add_note(AttributeValidationNote("required", "type", str))
            raise cattrs.ClassValidationError("llm_model", [missing], UnknownLLMModel)
        variant = _LLM_VARIANTS.get(value.get("type"), UnknownLLMModel)
        hook = variant_hooks.get(variant)
        if hook is None:
            hook = variant_hooks[variant] = converter.get_structure_hook(variant)
        result: LLMModel = hook(value, variant)
        return result

    # ``LLMModel | None`` is a different type from ``LLMModel``: register both,
    # or cattrs silently builds the fallback for the optional field.
    converter.register_structure_hook(LLMModel, structure_llm_model)
    converter.register_structure_hook(
        LLMModel | None, lambda v, t: None if v is None else structure_llm_model(v, t)
    )
    if not lenient:  # parameters: a tuple, set or generator is sent as a JSON array
        converter.register_unstructure_hook_func(
            lambda cls: (
                issubclass(cls, Iterable)
                and not issubclass(cls, (str, bytes, bytearray, Mapping, list))
            ),
            lambda value: [converter.unstructure(item) for item in value],
        )
    structure_factory, unstructure_factory = _model_hooks(converter, lenient=lenient)
    converter.register_structure_hook_factory(attrs.has, structure_factory)
    converter.register_unstructure_hook_factory(attrs.has, unstructure_factory)
    return converter


request_converter = _make_converter(lenient=False)
response_converter = _make_converter(lenient=True)


def to_dict(model: Any) -> dict[str, Any]:
    """Turn a model into a JSON-ready ``dict``: what the server sent, exactly.

    Fields left at ``None`` are omitted ("not set") unless the server sent
    them as ``null``; ``extra_fields`` are written back at the level they
    came from, so ``to_dict(fetched)`` has the server's keys and values.

    >>> to_dict(Voice(id="v1", provider="cartesia"))
    {'id': 'v1', 'provider': 'cartesia'}
    """
    if not isinstance(model, Model):
        raise TypeError(f"to_dict() takes a revox_async model, not {_kind(model)}")
    result: dict[str, Any] = response_converter.unstructure(model)
    return result


# -- requests ---------------------------------------------------------------------------


def _describe(exc: BaseException, _: object) -> str:
    kind = "V" if isinstance(exc, ValueError) else "T"
    if isinstance(exc, KeyError):
        return "T required field missing"
    return f"{kind} {exc}"


def _problems(exc: Exception, root: str) -> list[tuple[bool, str]]:
    """A cattrs error (an exception group) as ``(is_type_error, "path: problem")`` pairs."""
    found = []
    for line in cattrs.transform_error(exc, path=root, format_exception=_describe):
        problem, _, path = line.rpartition(" @ ")
        kind, _, text = problem.partition(" ")
        found.append((kind == "T", f"{path}: {text}"))
    return found


def _unknown_parameter(name: str, known: Iterable[str], where: str = "") -> TypeError:
    if not where and name in ("timeout", "extra_headers", "extra_query", "extra_body"):
        from ._endpoint import no_per_call_options

        no_per_call_options("this method", {name: None}, {})  # raises, saying why
    hint = difflib.get_close_matches(name, list(known), n=1)
    suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
    extra = "" if where else " (send fields this SDK does not know yet with extra_body={...})"
    return TypeError(f"unknown parameter {where + name!r}{suggestion}{extra}")


def build_body(
    params: Mapping[str, Any],
    fields: Mapping[str, Any],
    *,
    required: Iterable[str] = (),
    nullable: Iterable[str] | None = None,
    extra_body: Mapping[str, Any] | None = None,
    where: str = "",
) -> dict[str, Any]:
    """Check keyword arguments against their declared types and return the JSON body.

    ``NOT_GIVEN`` leaves a parameter out, ``None`` sends ``null`` (refused for a
    parameter not in ``nullable``, when given: the API cannot clear it). Every
    problem is reported at once: ``TypeError`` when any is a wrong type, a
    missing or unknown name, else ``ValueError`` (a non-finite number, say).
    ``where`` prefixes the names in errors (``"assistant."`` for a nested object).
    """
    can_be_null = None if nullable is None else frozenset(nullable)
    body: dict[str, Any] = {}
    problems: list[tuple[bool, str]] = [
        (True, f"{where}{name}: required parameter missing")
        for name in required
        if params.get(name, NOT_GIVEN) is NOT_GIVEN
    ]
    for name, value in params.items():
        tp = fields.get(name)
        if tp is None:
            raise _unknown_parameter(name, fields, where)
        if value is NOT_GIVEN:
            continue
        if value is None:
            if name in required or (can_be_null is not None and name not in can_be_null):
                problems.append((True, f"{where}{name}: may not be None (leave it out to keep it)"))
            body[name] = None
            continue
        if type(value) is str and (tp is str or _is_str_literal(tp)):
            body[name] = value  # bypasses cattrs: a str for a str field has nothing to check
            continue
        if type(value) in (dict, list) and _valid(value, tp):
            body[name] = value  # plain JSON, checked in one pass: nothing to convert
            continue
        if type(value) is Served or (isinstance(value, Model) and value._served):
            body[name] = request_converter.unstructure(value)  # the server's own values
            continue
        plain = request_converter.unstructure(value)  # models inside become dicts
        try:
            request_converter.structure(plain, tp)
        except (cattrs.BaseValidationError, TypeError, ValueError) as exc:
            if isinstance(exc, cattrs.BaseValidationError):
                problems.extend(_problems(exc, where + name))
            else:
                problems.append((not isinstance(exc, ValueError), f"{where}{name}: {exc}"))
            continue
        except AttributeError:  # cattrs reads a mapping's .items(): a str, a list...
            problems.append((True, f"{where}{name}: expected an object, got {_kind(value)}"))
            continue
        body[name] = plain
    if problems:
        is_type = any(kind for kind, _ in problems)
        message = "invalid parameters: " + "; ".join(text for _, text in problems)
        raise TypeError(message) if is_type else ValueError(message)
    if extra_body is not None:
        if not isinstance(extra_body, Mapping):
            raise TypeError("extra_body: expected a mapping of field names to values")
        try:
            check_numbers(extra_body, "extra_body")
        except RecursionError:
            raise TypeError("extra_body: nested too deeply (or it contains itself)") from None
        body.update(extra_body)
    return body


def _valid(value: Any, tp: Any) -> bool:
    """Whether plain JSON data is valid as is (the usual dict parameter): one pass."""
    try:
        request_converter.structure(value, tp)
    except Exception:  # models inside, tuples, or invalid: the full path will tell
        return False
    return True


def check_numbers(value: Any, path: str) -> None:
    """Refuse numbers JSON cannot carry in untyped data (orjson would write NaN as null)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{path}: must be a finite number")
    elif isinstance(value, int) and not isinstance(value, bool):
        if not -_INT64 <= value < _INT64:
            raise ValueError(f"{path}: outside the 64-bit integer range")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            check_numbers(item, f"{path}.{key}")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            check_numbers(item, f"{path}[{i}]")


def param_types(model: type[Any], exclude: Iterable[str]) -> dict[str, Any]:
    """The parameter name -> type map of a model's settable fields (nulls allowed)."""
    skip = {"extra_fields", "_nulls", "_served", *exclude}
    return {
        a.name: _optional_inner(a.type) or a.type for a in attrs.fields(model) if a.name not in skip
    }


# -- responses ---------------------------------------------------------------------------


class InvalidResponse(Exception):  # noqa: N818 - internal, turned into APIResponseValidationError
    """A 2xx body that is not the envelope the endpoint returns."""


def _unwrap(data: Any, envelope: str | None) -> Any:
    if envelope is None:
        return data
    if not isinstance(data, Mapping) or envelope not in data:
        raise InvalidResponse(f"no {envelope!r} key")
    return data[envelope]


def decode_model(
    model: type[_M],
    envelope: str | None = None,
    *,
    expect: Mapping[str, type | tuple[type, ...]] = {},
) -> Callable[[Any], _M]:
    """A decoder of one model, bare or under ``envelope`` (its code is made on first use,
    so that importing the SDK does not pay for it). ``expect``: the keys, and their
    types, without which a bare answer is not this model (``{}`` or ``{"error": ...}``
    with a 200 would otherwise read as an object of nothing but ``None``)."""
    hooks: list[Callable[[Any, Any], _M]] = []

    def decode(data: Any) -> _M:
        value = _unwrap(data, envelope)
        for key, kind in expect.items():
            found = value.get(key) if isinstance(value, Mapping) else None
            if not isinstance(found, kind) or (kind is not bool and isinstance(found, bool)):
                raise InvalidResponse(f"the answer has no {key!r} ({_kind(found)})")
        if not hooks:
            hooks.append(response_converter.get_structure_hook(model))
        try:
            result: _M = hooks[0](value, model)
        except TypeError as exc:
            raise InvalidResponse(str(exc)) from None
        return result

    return decode


def decode_list(model: type[_M], envelope: str) -> Callable[[Any], list[_M]]:
    """A decoder of ``{envelope: [model, ...]}``; every item is returned."""
    one = decode_model(model)

    def decode(data: Any) -> list[_M]:
        items = _unwrap(data, envelope)
        if not isinstance(items, list):
            raise InvalidResponse(f"{envelope!r} is not a list")
        found: list[_M] = ModelList()  # a list, drawn as a table in a notebook
        for i, item in enumerate(items):
            if isinstance(item, Mapping):
                found.append(one(item))
            else:  # a null or a string holds no object: one odd item costs nothing else
                logger.debug("%s[%d]: skipped %.80r, not an object", envelope, i, item)
        return found

    return decode


def decode_success(data: Any) -> bool:
    """``{"success": bool}``: ``True`` when the server confirms."""
    value = _unwrap(data, "success")
    if not isinstance(value, bool):
        raise InvalidResponse("'success' is not a boolean")
    return value


def structure(data: Any, model: type[_T]) -> _T:
    """Read response JSON into a model (lenient: see the module docstring)."""
    result: _T = response_converter.structure(data, model)
    return result
