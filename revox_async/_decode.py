"""Responses: JSON the server sent -> models, leniently and lazily.

``response_converter`` reads what the server sends and never refuses a value: a
field it cannot read reads ``None`` and keeps its raw value in ``extra_fields`` (one
debug log line names it). Only a body that is not the expected envelope at all is an
error (`InvalidResponse`). Unknown keys are kept in each model's ``extra_fields`` and
the explicit nulls the server sent are remembered, so ``to_dict`` gives back exactly
what came.

Nested objects (a call's attempts, their transcripts, the embedded assistant) are
decoded when first read, not with their parent: a page of 50 calls holds ~1,600 JSON
objects, and most are never looked at. Their shape (an object, an array of objects)
is checked with the parent, so an odd value still costs its field at once, as before;
inside a well-shaped value nothing can fail (every model salvages its odd values).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar, get_args, get_origin

import attrs
import cattrs

from ._core import InvalidResponse
from ._display import ModelList
from ._hooks import (
    base_converter,
    is_list,
    is_str_literal,
    kind,
    not_an_object,
    optional_inner,
    wire_name,
)
from ._logging import logger
from ._models import Model

__all__ = [
    "InvalidResponse",
    "decode_list",
    "decode_model",
    "decode_success",
    "response_converter",
    "to_dict",
]

_M = TypeVar("_M", bound=Model)


def _nested_shape(tp: Any) -> str | None:
    """``"object"`` or ``"array"`` for an optional field of nested models, else ``None``."""
    args = [arg for arg in get_args(tp) if arg is not type(None)]
    if len(args) == 1 and get_origin(args[0]) is list:
        return "array" if attrs.has(get_args(args[0])[0]) else None
    return "object" if args and all(attrs.has(arg) for arg in args) else None


_shared_nulls: dict[tuple[str, ...], frozenset[str]] = {}
"""One copy of each set of null fields: objects of one shape share it (flat memory)."""


def _shared(nulls: Iterable[str]) -> frozenset[str]:
    key = tuple(nulls)
    shared = _shared_nulls.get(key)
    if shared is None:
        shared = frozenset(key)
        if len(_shared_nulls) < 1024:
            _shared_nulls[key] = shared
    return shared


_LEAVES: dict[object, tuple[type, ...]] = {
    str: (str,),
    int: (int,),
    float: (float, int),
    bool: (bool,),
}
"""The types a leaf field's value is kept as it came in (a JSON integer is a number too;
``True`` is no integer: ``type(True) is bool``); any other value goes through its hook."""


def _leaf_types(a: attrs.Attribute[Any]) -> tuple[type, ...] | None:
    """The types field ``a`` takes as they come, ``NoneType`` first if it is optional;
    ``None`` for a field that is no leaf (its hook reads it)."""
    inner = optional_inner(a.type) or a.type
    types = _LEAVES.get(str if is_str_literal(inner) else inner)
    if types is None or type(None) not in get_args(a.type):
        return types
    return (type(None), *types)


def _default(i: int, a: attrs.Attribute[Any]) -> str:
    """The code of field ``a``'s default (``d{i}`` in the namespace), as __init__ sets it."""
    factory = isinstance(a.default, attrs.Factory)  # type: ignore[arg-type]
    return f"d{i}.factory()" if factory else f"d{i}"


def _value_code(
    i: int, a: attrs.Attribute[Any], cls: type[Any], namespace: dict[str, Any]
) -> list[str]:
    """The lines that set field ``a`` on ``obj`` from the value ``v{i}`` the server sent."""
    converter: cattrs.Converter = namespace["converter"]
    namespace[f"h{i}"] = hook = converter.get_structure_hook(a.type)
    namespace[f"t{i}"] = a.type
    v, call, field = f"v{i}", f"h{i}(v{i}, t{i})", f"obj.{a.name}"
    optional = type(None) in get_args(a.type)
    shape = _nested_shape(a.type) if a.default is None and optional else None
    if shape is not None:  # left unset, read when first used, if of the expected shape
        if a.name not in cls._decoders:  # (`Model.__getattr__`)
            tp = a.type
            cls._decoders = {**cls._decoders, a.name: lambda raw: hook(raw, tp)}
        ok = (
            f"type({v}) is dict"
            if shape == "object"
            else f"type({v}) is list and (not {v} or all(type(x) is dict for x in {v}))"
        )
        return [
            f"if {v} is None:",
            f"    {field} = None",
            f"elif {ok}:",
            f"    pending[{a.name!r}] = {v}",
            "else:",
            f"    {field} = {call}",
        ]
    leaf = _leaf_types(a)
    if leaf is not None:
        check = " or ".join(
            f"{v} is None" if tp is type(None) else f"type({v}) is {tp.__name__}" for tp in leaf
        )
        return [f"{field} = {v} if {check} else {call}"]
    return [f"{field} = None if {v} is None else {call}" if optional else f"{field} = {call}"]


def _field_code(
    i: int, a: attrs.Attribute[Any], cls: type[Any], namespace: dict[str, Any]
) -> list[str]:
    """The lines that read field ``a`` from ``o``, whatever keys it has, and set it. One
    field's odd value must not cost the whole object: it is kept in ``extra_fields``,
    and the field takes its default (a required field missing or unreadable reads
    ``None``)."""
    v, key, value = f"v{i}", repr(wire_name(a)), _value_code(i, a, cls, namespace)
    namespace[f"d{i}"] = None if a.default is attrs.NOTHING else a.default
    return [
        f"{v} = o.get({key}, MISSING)",
        f"if {v} is MISSING:",
        f"    obj.{a.name} = {_default(i, a)}",
        "else:",
        "    try:",
        *(f"        {line}" for line in value),
        "    except Exception:",
        f"        obj.{a.name} = {_default(i, a)}",
        f"        kept(obj, {key}, {v})",
    ]


def _shapes(
    keys: tuple[str, ...], leaves: list[tuple[type, ...] | None], namespace: dict[str, Any]
) -> tuple[
    dict[tuple[type, ...], frozenset[str]], Callable[[Any, tuple[type, ...]], frozenset[str]]
]:
    """The shapes (the type of each field's value) an object was seen with, each mapped to
    its null fields; and how a new shape is learnt, raising `_Unfit` if a leaf's value
    is not of its type. Servers send a few shapes: after the first object of each, its
    leaves are checked all at once, by one lookup.

    Learning a shape also makes ``namespace["get"]`` read the keys by the very strings of
    that object: orjson gives every object the same key strings, which a lookup then
    finds by identity, without comparing their text (equal strings work all the same)."""
    seen: dict[tuple[type, ...], frozenset[str]] = {}

    def learn(o: Mapping[str, Any], types: tuple[type, ...]) -> frozenset[str]:
        if any(ok is not None and tp not in ok for tp, ok in zip(types, leaves, strict=True)):
            raise _Unfit
        nulls = _shared(key for key, tp in zip(keys, types, strict=True) if tp is type(None))
        if len(seen) < 256:
            seen[types] = nulls
        own = {key: key for key in o}
        namespace["get"] = _getter(tuple(own[key] for key in keys))
        return nulls

    return seen, learn


class _Unfit(Exception):  # noqa: N818 - a signal, caught at once
    """An object whose shape the fast path does not take (read field by field instead)."""


def _getter(keys: tuple[str, ...]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """The values of ``keys``, as a tuple (``KeyError`` if one is missing)."""
    if len(keys) == 1:
        (key,) = keys
        return lambda o: (o[key],)
    return operator.itemgetter(*keys)


def _kept(obj: Any, key: str, value: Any) -> None:
    """Keep a value that could not be read in ``extra_fields`` (one debug line names it)."""
    obj.extra_fields[key] = value
    logger.debug("%s.%s: kept the raw value %.80r", type(obj).__name__, key, value)


def _structure_model(converter: cattrs.Converter, cls: type[Any]) -> Callable[[Any, Any], Any]:
    """A model's structure hook, generated like cattrs' own, but with each leaf field's
    check written inline instead of a hook call, fields set on a bare instance (no
    keyword matching of 54 arguments), nested models left for their first read
    (`Model.__getattr__`), unknown keys and nulls kept, all in one function: large
    responses hold thousands of objects. Fields not on the wire
    (``Assistant.unpatched_calls_notice``) are not read: a key of that name is an
    unknown key like any other. The usual object, a ``dict`` with every field and no
    other key, takes a faster way (`_fast_code`); any surprise there (a missing key, an
    odd value) sends it the field-by-field way."""
    fields_ = attrs.fields(cls)
    read = [
        (i, a)
        for i, a in enumerate(fields_)
        if a.init and a.name != "extra_fields" and a.metadata.get("wire") is not False
    ]
    fields = {wire_name(a): (a.name, a.type) for _, a in read}  # wire key -> (name, type)
    keys = tuple(fields)
    leaves = [_leaf_types(a) for _, a in read]
    namespace: dict[str, Any] = {
        "cls": cls,
        "MISSING": attrs.NOTHING,
        "Mapping": Mapping,
        "new": object.__new__,
        "converter": converter,
        "shared": _shared,
        "known": frozenset(keys),
        "not_an_object": not_an_object,
        "kept": _kept,
        "get": _getter(keys),
    }
    namespace["shapes"], namespace["learn"] = _shapes(keys, leaves, namespace)
    if hasattr(cls, "__attrs_post_init__") or any(a.validator or a.converter for a in fields_):
        raise TypeError(f"{cls.__name__}: a model's fields are set directly, not through __init__")
    defaults = _defaults_code(fields_, read, namespace)
    fast = _fast_code(read, leaves, cls, namespace)
    code = "\n".join(
        [
            "def structure(o, _):",
            f"    if type(o) is dict and len(o) == {len(keys)}:",
            "        try:",
            *(f"            {line}" for line in fast),
            "        except Exception:",
            "            pass  # read field by field below",
            "        else:",
            *(f"            {line}" for line in defaults),
            "            if nulls:",
            "                obj._nulls = nulls",
            "            obj._served = True",
            "            if pending:",
            "                obj._pending = pending",
            "            return obj",
            "    if type(o) is not dict and not isinstance(o, Mapping):",
            "        not_an_object(o)",
            "    obj = new(cls)",
            "    pending = {}",
            *(f"    {line}" for line in defaults),
            *(f"    {line}" for i, a in read for line in _field_code(i, a, cls, namespace)),
            "    if not known.issuperset(o):",
            "        obj.extra_fields.update((k, v) for k, v in o.items() if k not in known)",
            "    nulls = [k for k, v in o.items() if v is None]",
            "    if nulls:",
            "        obj._nulls = shared(nulls)",
            "    obj._served = True",
            "    if pending:",
            "        obj._pending = pending",
            "    return obj",
        ]
    )
    exec(code, namespace)  # the code above, made of the model's field names
    structure: Callable[[Any, Any], Any] = namespace["structure"]
    return structure


def _defaults_code(
    fields_: Sequence[attrs.Attribute[Any]],
    read: list[tuple[int, attrs.Attribute[Any]]],
    namespace: dict[str, Any],
) -> list[str]:
    """The lines that set the fields not read (not on the wire, or bookkeeping) to their
    defaults, as ``__init__`` sets them."""
    read_names = {a.name for _, a in read}
    unread = [
        (i, a)
        for i, a in enumerate(fields_)
        if a.name not in read_names and a.name not in ("extra_fields", "_served")
    ]
    namespace.update((f"d{i}", a.default) for i, a in unread)
    return ["obj.extra_fields = {}", *(f"obj.{a.name} = {_default(i, a)}" for i, a in unread)]


def _fast_code(
    read: list[tuple[int, attrs.Attribute[Any]]],
    leaves: list[tuple[type, ...] | None],
    cls: type[Any],
    namespace: dict[str, Any],
) -> list[str]:
    """The lines that read the usual object: every value at once, the leaves checked by
    the shape of their types and set by one unpacking, then each other field's lines."""
    pairs = list(zip(read, leaves, strict=True))
    targets = [f"obj.{a.name}" if leaf else f"v{i}" for (i, a), leaf in pairs]
    return [
        "vals = get(o)",
        "types = tuple(map(type, vals))",
        "nulls = shapes.get(types)",
        "if nulls is None:",
        "    nulls = learn(o, types)",
        "obj = new(cls)",
        "pending = {}",
        f"{', '.join(targets)}, = vals",
        *(line for (i, a), leaf in pairs if not leaf for line in _value_code(i, a, cls, namespace)),
    ]


def _structure_list(converter: cattrs.Converter, tp: Any) -> Callable[[Any, Any], Any]:
    # cattrs' own list hook takes any iterable: a string or an object would become a
    # list of characters or keys. JSON arrays only; no error paths to build.
    (item,) = get_args(tp) or (Any,)
    handler = converter.get_structure_hook(item)
    exact = {str: str, bool: bool}.get(item)

    def structure_response_list(value: Any, _: Any) -> Any:
        if type(value) is not list:
            raise TypeError(f"expected an array, got {kind(value)}")
        if not value:
            return []
        if exact is not None:
            return [v if type(v) is exact else handler(v, item) for v in value]
        return [handler(v, item) for v in value]

    return structure_response_list


def _response_converter() -> cattrs.Converter:
    converter = base_converter(lenient=True)
    converter.register_structure_hook_factory(is_list, lambda tp: _structure_list(converter, tp))
    converter.register_structure_hook_factory(
        attrs.has, lambda cls: _structure_model(converter, cls)
    )
    return converter


response_converter = _response_converter()


def to_dict(model: Any) -> dict[str, Any]:
    """Turn a model into a JSON-ready ``dict``: what the server sent, exactly.

    Fields left at ``None`` are omitted ("not set") unless the server sent
    them as ``null``; ``extra_fields`` are written back at the level they
    came from, so ``to_dict(fetched)`` has the server's keys and values.

    >>> to_dict(Voice(id="v1", provider="cartesia"))
    {'id': 'v1', 'provider': 'cartesia'}
    """
    if not isinstance(model, Model):
        raise TypeError(f"to_dict() takes a revox_async model, not {kind(model)}")
    result: dict[str, Any] = response_converter.unstructure(model)
    return result


def _unwrap(data: Any, envelope: str | None) -> Any:
    if envelope is None:
        return data
    if not (type(data) is dict or isinstance(data, Mapping)) or envelope not in data:
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
    hook: Callable[[Any, Any], _M] | None = None

    def decode(data: Any) -> _M:
        nonlocal hook
        value = data if envelope is None else _unwrap(data, envelope)
        for key, expected in expect.items():
            is_object = type(value) is dict or isinstance(value, Mapping)
            found = value.get(key) if is_object else None
            if type(found) is not expected and (  # the usual answer: its exact type
                not isinstance(found, expected) or (expected is not bool and type(found) is bool)
            ):
                raise InvalidResponse(f"the answer has no {key!r} ({kind(found)})")
        if hook is None:
            hook = response_converter.get_structure_hook(model)
        try:
            return hook(value, model)
        except TypeError as exc:
            raise InvalidResponse(str(exc)) from None

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
