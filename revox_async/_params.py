"""Requests: keyword arguments -> JSON bodies, checked before anything is sent.

``request_converter`` checks what callers pass in, strictly and with detailed
validation, so an error names ``voice.speed``: JSON types (``1`` is not a string),
required keys, finite numbers, integers that fit 64 bits. Values (formats, ranges,
enum members) are the server's to judge. Unknown keys of a nested object are kept
(in its ``extra_fields``) and sent.

An object the server sent is its own authority: passed back in a request (a model
instance as a parameter, an ``Assistant`` to copy), it is sent with the server's
values as they came (its odd values included) and not checked again;
``request_converter`` writes it as a `Served` dict, which its checks read leniently.
What the API requires but allows to be ``null``
(``metadata={"required_nullable": True}``) is sent as ``null`` when ``None``.
"""

from __future__ import annotations

import difflib
import functools
import math
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any, get_args, get_origin

import attrs
import cattrs
from cattrs.cols import list_structure_factory
from cattrs.errors import AttributeValidationNote
from cattrs.gen import make_dict_structure_fn, override

from ._decode import response_converter
from ._hooks import (
    INT64,
    LLM_VARIANTS,
    Served,
    base_converter,
    is_list,
    is_str_literal,
    kind,
    not_an_object,
    optional_inner,
    wire_name,
)
from ._models import LLMModel, Model
from ._types import NOT_GIVEN

__all__ = ["build_body", "check_numbers", "param_types", "request_converter"]


def _missing(key: str, tp: Any) -> KeyError:
    """A required key missing, as cattrs reports one (the path names it)."""
    missing = KeyError(key)
    missing.add_note(AttributeValidationNote(f"Required field {key!r} missing", key, tp))
    return missing


def _structure_model(converter: cattrs.Converter, cls: type[Any]) -> Callable[[Any, Any], Any]:
    """cattrs' generated code, plus what it cannot do: a required-but-nullable key must
    be there, unknown keys are kept, nulls remembered. Fields not on the wire
    (``Assistant.unpatched_calls_notice``) are not read."""
    fields = attrs.fields(cls)
    omit = {"extra_fields", *(a.name for a in fields if a.metadata.get("wire") is False)}
    overrides: dict[str, Any] = {name: override(omit=True) for name in omit}
    overrides.update(
        (a.name, override(rename=wire_name(a))) for a in fields if wire_name(a) != a.name
    )
    known = frozenset(wire_name(a) for a in fields if a.init and a.name not in omit)
    base = make_dict_structure_fn(cls, converter, **overrides)
    must_send = [(wire_name(a), a.type) for a in fields if a.metadata.get("required_nullable")]

    def structure(value: Any, _: Any) -> Any:
        if type(value) is Served:  # the server's own values: read, not judged
            return response_converter.structure(value, cls)
        if type(value) is not dict and not isinstance(value, Mapping):
            not_an_object(value)
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
            obj.extra_fields.update((k, v) for k, v in value.items() if k not in known)
        if None in value.values():
            obj._nulls = frozenset(k for k, v in value.items() if v is None)
        return obj

    return structure


def _structure_list(converter: cattrs.Converter, tp: Any) -> Callable[[Any, Any], Any]:
    # cattrs' own list hook takes any iterable: a string or an object would
    # become a list of characters or keys. JSON arrays only.
    base = list_structure_factory(tp, converter)

    def structure_list(value: Any, _: Any) -> Any:
        if type(value) is not list:
            raise TypeError(f"expected an array, got {kind(value)}")
        return base(value, tp)

    return structure_list


def _is_other_iterable(cls: Any) -> bool:
    return issubclass(cls, Iterable) and not issubclass(cls, (str, bytes, bytearray, Mapping, list))


def _request_converter() -> cattrs.Converter:
    converter = base_converter(lenient=False)
    converter.register_structure_hook_factory(is_list, lambda tp: _structure_list(converter, tp))
    converter.register_structure_hook_factory(
        attrs.has, lambda cls: _structure_model(converter, cls)
    )
    # A tuple, set or generator is sent as a JSON array.
    converter.register_unstructure_hook_func(
        _is_other_iterable, lambda value: [converter.unstructure(item) for item in value]
    )
    return converter


request_converter = _request_converter()


def _describe(exc: BaseException, _: object) -> str:
    if isinstance(exc, KeyError):
        return "T required field missing"
    if isinstance(exc, AttributeError) and exc.name == "items":  # a mapping's, read by cattrs
        return f"T expected an object, got {kind(exc.obj)}"
    return f"{'V' if isinstance(exc, ValueError) else 'T'} {exc}"


def _problems(exc: Exception, root: str) -> list[tuple[bool, str]]:
    """A cattrs error (an exception group) as ``(is_type_error, "path: problem")`` pairs."""
    found = []
    for line in cattrs.transform_error(exc, path=root, format_exception=_describe):
        problem, _, path = line.rpartition(" @ ")
        kind, _, text = problem.partition(" ")
        found.append((kind == "T", f"{path}: {text}"))
    return found


EXTRA_BODY_HINT = " (send fields this SDK does not know yet with extra_body={...})"
"""How an unknown parameter's error ends in Python (the CLI, which has no extra_body, drops it)."""


def _unknown_parameter(name: str, known: Iterable[str], where: str = "") -> TypeError:
    if not where and name in ("timeout", "extra_headers", "extra_query", "extra_body"):
        from ._endpoint import no_per_call_options

        no_per_call_options("this method", {name: None}, {})  # raises, saying why
    hint = difflib.get_close_matches(name, list(known), n=1)
    suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
    extra = "" if where else EXTRA_BODY_HINT
    return TypeError(f"unknown parameter {where + name!r}{suggestion}{extra}")


_EXPECTED: dict[Any, str] = {
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "a boolean",
}


def _misfit(name: str, tp: Any, value: object) -> str | None:
    """Why a model the server sent does not fit parameter ``name`` of type ``tp`` (an
    assistant given for its id, say); ``None`` when it does. It is not checked further."""
    cls = type(value)
    inner = optional_inner(tp) or tp
    if cls is Served or inner is cls or get_origin(inner) is dict:
        return None  # a free-form object: its caller checks the keys
    if not is_list(inner) and cls in get_args(inner):
        return None
    wanted = _EXPECTED.get(inner) or ("an array" if is_list(inner) else None)
    if wanted is None:
        wanted = " or ".join(a.__name__ for a in get_args(inner) or (inner,) if attrs.has(a))
    hint = " (pass its .id)" if inner is str and name.endswith("id") else ""
    return f"expected {wanted or 'another type'}, got {cls.__name__}{hint}"


def build_body(
    params: Mapping[str, Any],
    fields: Mapping[str, Any],
    *,
    required: Collection[str] = (),
    nullable: Collection[str] | None = None,
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
            if name in required or (nullable is not None and name not in nullable):
                problems.append((True, f"{where}{name}: may not be None (leave it out to keep it)"))
            body[name] = None
            continue
        if type(value) is str and tp is str:
            body[name] = value  # the usual text parameter
            continue
        if type(value) is Served or (isinstance(value, Model) and value._served):
            misfit = _misfit(name, tp, value)
            if misfit is None:
                body[name] = request_converter.unstructure(value)  # the server's own values
            else:
                problems.append((True, f"{where}{name}: {misfit}"))
            continue
        if _plain(tp)(value):
            body[name] = value  # plain JSON, valid as it is: nothing to convert
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
            problems.append((True, f"{where}{name}: expected an object, got {kind(value)}"))
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


_PLAIN: dict[Any, Callable[[Any], bool]] = {}


def _plain(tp: Any) -> Callable[[Any], bool]:
    """Whether plain JSON data is valid for ``tp`` as it is (the usual dict parameter), in
    one pass that builds nothing. ``False`` may only mean "not plain": the full check,
    through ``request_converter``, then tells."""
    check = _PLAIN.get(tp)
    if check is None:
        check = _PLAIN[tp] = _plain_check(tp)
    return check


def _plain_int(v: Any) -> bool:
    return type(v) is int and -INT64 <= v < INT64


_PLAIN_LEAVES: dict[Any, Callable[[Any], bool]] = {
    str: lambda v: type(v) is str,
    bool: lambda v: type(v) is bool,
    int: _plain_int,
    float: lambda v: (type(v) is float and math.isfinite(v)) or _plain_int(v),
}


def _plain_check(tp: Any) -> Callable[[Any], bool]:
    leaf = _PLAIN_LEAVES.get(str if is_str_literal(tp) else tp)
    if leaf is not None:
        return leaf
    if tp in (LLMModel, LLMModel | None):
        return functools.partial(_plain_llm_model, tp is LLMModel)
    inner = optional_inner(tp)
    if inner is not None:
        check = _plain(inner)
        return lambda v: v is None or check(v)
    if is_list(tp) and get_args(tp):
        item = _plain(get_args(tp)[0])
        return lambda v: type(v) is list and all(map(item, v))
    if attrs.has(tp):
        return _plain_model(tp)
    return lambda v: False  # timestamps, free-form objects: the full check reads them


def _plain_llm_model(required: bool, value: Any) -> bool:
    if value is None:
        return not required
    if type(value) is Served:  # the server's own: read, not judged
        return True
    tag = value.get("type") if type(value) is dict else None
    variant = LLM_VARIANTS.get(tag) if type(tag) is str else None
    return variant is not None and _plain(variant)(value)


def _plain_model(cls: type[Any]) -> Callable[[Any], bool]:
    """A model as a JSON object: its required keys there, its known keys' values plain;
    unknown keys are kept as they are, unchecked."""
    read = [
        a
        for a in attrs.fields(cls)
        if a.init and a.name != "extra_fields" and a.metadata.get("wire") is not False
    ]
    required = frozenset(
        wire_name(a)
        for a in read
        if a.default is attrs.NOTHING or a.metadata.get("required_nullable")
    )
    checks: dict[str, Callable[[Any], bool]] | None = None  # made on first use: models nest

    def check(value: Any) -> bool:
        nonlocal checks
        if type(value) is not dict:
            return type(value) is Served  # the server's own: read, not judged
        if not required.issubset(value):
            return False
        if checks is None:  # made whole, then shown: another thread never sees half of it
            checks = {wire_name(a): _plain(a.type) for a in read}
        for key, item in value.items():
            ok = checks.get(key)
            if ok is not None and not ok(item):
                return False
        return True

    return check


def check_numbers(value: Any, path: str) -> None:
    """Refuse numbers JSON cannot carry in untyped data (orjson would write NaN as null)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{path}: must be a finite number")
    elif isinstance(value, int) and not isinstance(value, bool):
        if not -INT64 <= value < INT64:
            raise ValueError(f"{path}: outside the 64-bit integer range")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            check_numbers(item, f"{path}.{key}")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            check_numbers(item, f"{path}[{i}]")


def param_types(model: type[Any], exclude: Iterable[str]) -> dict[str, Any]:
    """The parameter name -> type map of a model's settable fields (nulls allowed)."""
    skip = {"extra_fields", *exclude}
    return {
        a.name: optional_inner(a.type) or a.type
        for a in attrs.fields(model)
        if a.init and a.name not in skip
    }
