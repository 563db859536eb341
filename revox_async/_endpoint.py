"""One declaration per endpoint: the async, sync and raw forms follow from it.

A resource declares each endpoint once, as a method that builds a
`Request` (pure: validation and the JSON body, no I/O)::

    class Assistants(Resource[M]):
        @endpoint
        def retrieve(self, assistant_id: str) -> Request[Assistant]:
            return Request("GET", f"/assistants/{segment('assistant_id', assistant_id)}",
                           decode_model(Assistant))

Reached through a client, that method becomes what the client needs:

==========================================  ======================================
``AsyncRevox().assistants.retrieve(id)``    awaitable ``Assistant``
``SyncRevox().assistants.retrieve(id)``     ``Assistant``
``...assistants.with_raw_response...``      ``RawResponse[Assistant]`` (either way)
==========================================  ======================================

Each form carries the declared signature (``**params: Unpack[TypedDict]``
expanded into keyword parameters for ``help()``, ``inspect`` and editors),
and the sync form's docstring shows sync usage. The type checker sees the
same through the overloads of ``__get__``, keyed on the resource's mode.
Requests are built in the caller's thread; only sending hops to a loop.
`operation` does the same for a method made of several requests
(``create_many``): it is written once, async, and runs in the portal for
``SyncRevox``.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Concatenate,
    Generic,
    NamedTuple,
    ParamSpec,
    TypeVar,
    Union,
    cast,
    get_args,
    get_type_hints,
    overload,
)

import attrs

from ._core import path_segment
from ._types import NOT_GIVEN, NotGiven

if TYPE_CHECKING:
    from ._client import AsyncRevox
    from ._retry import Lookup
    from ._sync import SyncRevox

__all__ = [
    "Async",
    "Raw",
    "RawResponse",
    "Request",
    "Resource",
    "Sync",
    "endpoint",
    "expand_keywords",
    "lazy_resource",
    "operation",
    "segment",
]

_P = ParamSpec("_P")
_R = TypeVar("_R")
_M = TypeVar("_M")
_F = TypeVar("_F", bound=Callable[..., Any])


class Async:
    """Mode of a resource reached through ``AsyncRevox``: methods return awaitables."""


class Sync:
    """Mode of a resource reached through ``SyncRevox``: methods block and return."""


class Raw(Generic[_M]):
    """Mode of ``with_raw_response``: methods return `RawResponse`."""


class Request(NamedTuple, Generic[_R]):
    """One HTTP call, ready to send: what an endpoint declaration returns."""

    method: str
    path: str
    """Below the base URL, e.g. ``/assistants/asst_1`` (ids already encoded)."""
    decode: Callable[[Any], _R]
    body: Any = None
    idempotency_key: str | None = None
    lookup: Lookup | None = None
    """For a create that a server ignoring ``Idempotency-Key`` could carry out twice: where
    to look for what an attempt with an unknown outcome made, and how to know it, before
    sending it again (see ``_retry``)."""
    binary: bool = False
    """The answer is not JSON (audio): ``Accept: */*``, and ``decode`` gets the bytes."""
    not_resent: str | None = None
    """For a POST that a server without idempotency could carry out twice and that
    cannot be checked for: not sent again after an attempt whose outcome is unknown;
    the error raised carries this note (what to look at before trying again)."""
    final_statuses: frozenset[int] = frozenset()
    """Statuses not worth a retry for this endpoint, though they are for others (a 409
    on a delete: "in use" stays so)."""


@attrs.frozen(kw_only=True)
class RawResponse(Generic[_R]):
    """What ``with_raw_response`` methods return: the parsed result, status and headers.

    raw = await client.assistants.with_raw_response.retrieve(aid)
    print(raw.status_code, raw.headers["content-type"], raw.parsed.name)
    """

    status_code: int
    headers: Mapping[str, str]
    parsed: _R
    method: str
    url: str
    retries: int
    """How many retries it took (0: the first attempt answered)."""


def segment(name: str, value: str) -> str:
    """A path parameter, checked and encoded as exactly one path segment."""
    return path_segment(name, value)


class Resource(Generic[_M]):
    """The base of every resource: bound to a client, in one mode."""

    def __init__(self, client: AsyncRevox | SyncRevox, *, raw: bool = False) -> None:
        self._client = client
        self._raw = raw

    def _raw_twin(self) -> Any:
        return type(self)(self._client, raw=True)

    def _in_async_mode(self) -> Any:
        """This resource, typed for what runs in the event loop (operations do)."""
        return self


def _sync_doc(doc: str | None) -> str | None:
    """A docstring as sync code reads it (``await`` dropped, ``SyncRevox`` named)."""
    if doc is None:
        return None
    doc = re.sub(r"\basync (with|for) ", r"\1 ", doc)
    return doc.replace("await ", "").replace("AsyncRevox", "SyncRevox")


def _signature(fn: Callable[..., Any], returns: str) -> inspect.Signature:
    """``fn``'s signature without ``self``, ``**params: Unpack[TD]`` expanded."""
    sig = inspect.signature(fn, eval_str=True)
    params: list[inspect.Parameter] = []
    for param in list(sig.parameters.values())[1:]:
        if param.kind is not param.VAR_KEYWORD:
            params.append(param)
            continue
        typed_dict = get_args(param.annotation)[0]  # Unpack[TD] -> TD
        required = typed_dict.__required_keys__
        for key, tp in get_type_hints(typed_dict).items():  # Required[X] -> X
            default = inspect.Parameter.empty if key in required else NOT_GIVEN
            shown = tp
            if NotGiven in get_args(tp):  # the default says it; the annotation need not
                shown = Union[tuple(a for a in get_args(tp) if a is not NotGiven)]  # noqa: UP007
            params.append(
                param.replace(name=key, kind=param.KEYWORD_ONLY, default=default, annotation=shown)
            )
    required_first = sorted(params, key=lambda p: (p.kind, p.default is not p.empty))
    return sig.replace(parameters=required_first, return_annotation=returns)


def expand_keywords(fn: _F) -> _F:
    """A plain method whose ``**kw: Unpack[TD]`` ``help()`` and ``inspect`` show as keywords."""
    self_param = next(iter(inspect.signature(fn).parameters.values()))
    sig = _signature(fn, inspect.signature(fn).return_annotation)
    fn.__signature__ = sig.replace(parameters=[self_param, *sig.parameters.values()])  # type: ignore[attr-defined]
    return fn


class _Form(Generic[_P, _R]):
    """Shared machinery of `endpoint` and `operation`."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self._fn = fn
        self._name = self.__name__ = fn.__name__  # help(resource) lists it as a method
        self.__doc__ = fn.__doc__
        self.__wrapped__ = fn
        self._signatures: dict[tuple[bool, bool], inspect.Signature] = {}

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self._name = self.__name__ = name

    def _finish(self, obj: Resource[Any], form: Callable[..., Any], sync: bool) -> Any:
        key = (sync, obj._raw)
        sig = self._signatures.get(key)
        if sig is None:
            returned = self._returns(sync, obj._raw)
            sig = self._signatures[key] = _signature(self._fn, returned)
        form.__name__ = form.__qualname__ = self._name
        form.__doc__ = _sync_doc(self.__doc__) if sync else self.__doc__
        form.__signature__ = sig  # type: ignore[attr-defined]
        obj.__dict__[self._name] = form  # later lookups skip the descriptor
        return form

    def _returns(self, sync: bool, raw: bool) -> str:
        returned = str(inspect.signature(self._fn).return_annotation)
        returned = re.sub(r"^(Request|Awaitable|Coroutine)\[(.*)\]$", r"\2", returned)
        returned = f"RawResponse[{returned}]" if raw else returned
        return returned if sync else f"Awaitable[{returned}]"


class endpoint(_Form[_P, _R]):  # noqa: N801 - used as a decorator
    """Declare an endpoint by the method that builds its `Request`."""

    def __init__(self, build: Callable[Concatenate[Any, _P], Request[_R]]) -> None:
        super().__init__(build)

    def declare(self, resource: Resource[Any], *args: Any, **kwargs: Any) -> Request[_R]:
        """The `Request` this endpoint builds for these arguments, unsent (a batch sends
        its rows with the resource's own declaration)."""
        request: Request[_R] = self._fn(resource, *args, **kwargs)
        return request

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> endpoint[_P, _R]: ...
    @overload
    def __get__(self, obj: Resource[Async], owner: type[Any]) -> Callable[_P, Awaitable[_R]]: ...
    @overload
    def __get__(self, obj: Resource[Sync], owner: type[Any]) -> Callable[_P, _R]: ...
    @overload
    def __get__(
        self, obj: Resource[Raw[Async]], owner: type[Any]
    ) -> Callable[_P, Awaitable[RawResponse[_R]]]: ...
    @overload
    def __get__(
        self, obj: Resource[Raw[Sync]], owner: type[Any]
    ) -> Callable[_P, RawResponse[_R]]: ...
    def __get__(self, obj: Resource[Any] | None, owner: type[Any]) -> Any:
        if obj is None:
            return self
        build, raw = self._fn, obj._raw
        if obj._client._blocking:
            sync_client = cast("SyncRevox", obj._client)

            def blocking(*args: Any, **kwargs: Any) -> Any:
                request = build(obj, *args, **kwargs)
                return sync_client._run(lambda c: c._execute(request, raw))

            return self._finish(obj, blocking, sync=True)

        async_client = cast("AsyncRevox", obj._client)

        async def call(*args: Any, **kwargs: Any) -> Any:
            return await async_client._execute(build(obj, *args, **kwargs), raw)

        return self._finish(obj, call, sync=False)


class operation(_Form[_P, _R]):  # noqa: N801 - used as a decorator
    """Declare a method made of several requests, written once as ``async def``."""

    def __init__(self, fn: Callable[Concatenate[Any, _P], Awaitable[_R]]) -> None:
        super().__init__(fn)

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> operation[_P, _R]: ...
    @overload
    def __get__(self, obj: Resource[Async], owner: type[Any]) -> Callable[_P, Awaitable[_R]]: ...
    @overload
    def __get__(self, obj: Resource[Sync], owner: type[Any]) -> Callable[_P, _R]: ...
    def __get__(self, obj: Resource[Any] | None, owner: type[Any]) -> Any:
        if obj is None:
            return self
        if obj._raw:  # several requests make no one raw response
            raise AttributeError(f"{self._name!r} has no with_raw_response form")
        fn, kind = self._fn, type(obj)
        if obj._client._blocking:
            sync_client = cast("SyncRevox", obj._client)

            def blocking(*args: Any, **kwargs: Any) -> Any:
                return sync_client._run(lambda c: fn(kind(c), *args, **kwargs))

            return self._finish(obj, blocking, sync=True)

        async def call(*args: Any, **kwargs: Any) -> Any:
            return await fn(obj, *args, **kwargs)

        return self._finish(obj, call, sync=False)


class lazy_resource:  # noqa: N801 - used like a field declaration
    """A client's resource, made (and its module imported) on first access.

    ``calls = lazy_resource("calls", "Calls")`` in a client class: the first
    ``client.calls`` imports ``revox_async._resources.calls`` and stores
    ``Calls(client)`` on the instance, so later lookups are plain attribute
    reads. `forget` drops them (a client whose options change makes new ones).
    """

    def __init__(self, module: str, name: str) -> None:
        self._module = f"revox_async._resources.{module}"
        self._name = name
        self._attr = name

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self._attr = name

    def __get__(self, obj: Any, owner: type[Any]) -> Any:
        if obj is None:
            return self
        kind = getattr(importlib.import_module(self._module), self._name)
        resource = obj.__dict__[self._attr] = kind(obj)
        return resource

    @staticmethod
    def forget(obj: Any) -> None:
        """Drop the resources ``obj`` made, so the next access makes them afresh."""
        for name, value in vars(type(obj)).items():
            if isinstance(value, lazy_resource):
                obj.__dict__.pop(name, None)
