"""Runtime parameter types read from their one declaration: a ``*Params`` TypedDict, or an
endpoint's own keyword arguments.

``build_body`` checks each value against a ``{name: type}`` map; these maps are derived
here, so a parameter added to its TypedDict (or signature) is accepted and checked with
nothing else to edit.
"""

from __future__ import annotations

import types
import typing
from typing import Any, get_args, get_origin, get_type_hints

import attrs

from revox_async._types import NotGiven

__all__ = ["declared_types", "nullable_names", "union_members"]


def declared_types(source: Any, *names: str, **override: Any) -> dict[str, Any]:
    """``{name: type}`` of a TypedDict's keys (or a function's parameters), as
    ``build_body`` checks them.

    ``NotGiven`` and ``None`` are dropped from each type (whether ``None`` may be sent
    is ``build_body``'s ``nullable``); of a model and its ``...Params`` twin the model
    is kept (its hook checks a plain dict too). ``names`` picks some (a function's
    keywords); ``override`` gives the type where the check differs on purpose (a value
    converted first), or adds a name.

    >>> from typing import TypedDict
    >>> class P(TypedDict, total=False):
    ...     label: str | NotGiven | None
    >>> declared_types(P, page=int)
    {'label': <class 'str'>, 'page': <class 'int'>}
    """
    hints = get_type_hints(source)
    return {name: _checked(hints[name]) for name in names or hints if name != "return"} | override


def nullable_names(source: Any) -> frozenset[str]:
    """The keys of a TypedDict whose type allows ``None`` (``null`` clears them)."""
    hints = get_type_hints(source)
    return frozenset(name for name, tp in hints.items() if type(None) in union_members(tp))


def union_members(tp: Any) -> tuple[Any, ...]:
    """The types of a union (``X | Y``, ``Optional[X]``), or ``(tp,)`` for one type."""
    return get_args(tp) if get_origin(tp) in (typing.Union, types.UnionType) else (tp,)


def _checked(tp: Any) -> Any:
    kept = [m for m in union_members(tp) if m is not NotGiven and m is not type(None)]
    model = next((m for m in kept if isinstance(m, type) and attrs.has(m)), None)
    if model is not None:
        return model
    return kept[0] if len(kept) == 1 else typing.Union[tuple(kept)]  # noqa: UP007
