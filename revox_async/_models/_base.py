"""What every model shares: unknown keys kept, explicit nulls remembered."""

from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from revox_async._display import html_of, model_repr, model_repr_pretty

__all__ = ["Model", "resolve_module"]

_ABSENT = object()


@attrs.define(kw_only=True)
class Model:
    """The base of every revox_async model.

    ``extra_fields`` holds every key the server sent that this version of the
    SDK does not know, and the raw value of any known field it could not read
    (that field then reads ``None``). `revox_async.to_dict` writes them
    back, together with the nulls the server sent, so an object round-trips
    exactly.
    """

    extra_fields: dict[str, Any] = attrs.field(factory=dict, repr=False)
    _nulls: frozenset[str] = attrs.field(init=False, default=frozenset(), repr=False, eq=False)
    """Known fields the server sent as an explicit ``null`` (written back by ``to_dict``)."""
    _served: bool = attrs.field(init=False, default=False, repr=False, eq=False)
    """Whether the server sent this object: sent back in a request, its values are the
    server's own, not checked again (a model built in code is)."""
    _pending: dict[str, Any] | None = attrs.field(init=False, default=None, repr=False, eq=False)
    """Nested objects the server sent, by field, not decoded yet: their fields are left
    unset until first read (``__getattr__``)."""
    _decoders: ClassVar[dict[str, Callable[[Any], Any]]] = {}
    """How each field that may be pending is decoded (set by ``revox_async._decode``)."""

    if not TYPE_CHECKING:  # to type checkers, a model has only its fields

        def __getattr__(self, name: str) -> Any:
            """Decode a pending nested field on its first read, and keep it. Threads
            that read it at once may each decode it (to equal values); each stores
            and returns a whole value, never a half-built one."""
            pending = self._pending if name != "_pending" else None
            raw = pending.get(name, _ABSENT) if pending else _ABSENT
            if raw is _ABSENT:  # decoded meanwhile by another thread, or no such field
                return object.__getattribute__(self, name)
            value = self._decoders[name](raw)
            object.__setattr__(self, name, value)
            pending.pop(name, None)  # only once the value is there
            if not pending:
                object.__setattr__(self, "_pending", None)
            return value

    def __repr__(self) -> str:
        """Class, id and the fields a person looks for first, under 300 characters
        (``to_dict()`` is the full view; see ``revox_async._display``)."""
        return model_repr(self)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        """IPython's pretty form: the ``repr``'s fields, a line each when they do not fit."""
        model_repr_pretty(self, p, cycle)

    def _repr_html_(self) -> str:
        """A notebook's table of the fields (every server string escaped)."""
        return html_of(self)


def resolve_module(module: ModuleType, *, public: bool = False) -> None:
    """Resolve the annotations of every model ``module`` exports, now, while each
    class still names the module that defines its types; ``public``: then say
    where users import them from (``revox_async``), as the package does for
    the models it loads itself. Each model also gets `Model`'s short ``repr`` back
    (attrs writes a full one into every class it defines)."""
    for name in module.__all__:
        obj = getattr(module, name)
        if isinstance(obj, type) and attrs.has(obj):
            attrs.resolve_types(obj)
            if issubclass(obj, Model):
                obj.__repr__ = Model.__repr__  # type: ignore[method-assign]
                obj._repr_pretty_ = Model._repr_pretty_  # type: ignore[method-assign]
        if public and isinstance(obj, type) and obj.__module__ == module.__name__:
            obj.__module__ = "revox_async"
