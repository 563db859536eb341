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
Every endpoint also takes the per-call options (`PerCall`): ``timeout=``,
``extra_headers=``, ``extra_query=`` and ``extra_body=``, added here once.
Requests are built in the caller's thread; only sending hops to a loop.
`operation` does the same for a method made of several requests
(``create_many``): it is written once, async, and runs in the portal for
``SyncRevox``.
"""

from __future__ import annotations

import functools
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
from urllib.parse import parse_qsl, urlencode

import attrs

from ._core import _check_headers, _check_timeout
from ._core import path_segment as segment  # a path parameter, as exactly one segment
from ._types import NOT_GIVEN, NotGiven

if TYPE_CHECKING:
    from ._client import AsyncRevox
    from ._retry import Fetch, Listed, Lookup, Response
    from ._sync import SyncRevox

__all__ = [
    "Async",
    "PerCall",
    "Raw",
    "RawResponse",
    "Request",
    "Resource",
    "Sync",
    "endpoint",
    "expand_keywords",
    "forget_resources",
    "no_per_call_options",
    "operation",
    "per_call_request",
    "segment",
    "with_resources",
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


class PerCall(NamedTuple):
    """The options one call may change: what the official client takes on every method.

    ``timeout`` is per attempt, as the client option is (and the wait before looking
    for a create's lost answer follows it, at least 30 s, unless the client sets
    ``outcome_window``);
    ``headers`` are added to the client's, replacing a header of the same name in any
    case. ``extra_query`` and ``extra_body`` change the request itself
    (`per_call_request`), or the builder merges ``extra_body`` where it declares it.
    """

    timeout: float | None = None
    headers: Mapping[str, str] | None = None


_PER_CALL_PARAMS = tuple(
    inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=tp)
    for name, tp in (
        ("timeout", float | None),
        ("extra_headers", Mapping[str, str] | None),
        ("extra_query", Mapping[str, object] | None),
        ("extra_body", Mapping[str, object] | None),
    )
)
"""The keywords `endpoint` adds to every endpoint."""
_PER_CALL_NAMES = tuple(param.name for param in _PER_CALL_PARAMS)
_PER_CALL_SET = frozenset(_PER_CALL_NAMES)


def _query_text(name: str, value: object) -> str:
    """One query value as the official client writes it (``True``: ``true``; ``None``: "")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise TypeError(
        f"extra_query[{name!r}]: expected text, a number, a bool, None, a list or a mapping "
        f"of them, got {type(value).__name__}"
    )


def _query_pairs(name: str, value: object) -> list[tuple[str, str]]:
    """A query parameter as the official client encodes it: a list as one comma-joined
    value, a mapping as ``name[key]`` parameters, ``None`` or ``""`` left out."""
    if isinstance(value, Mapping):
        return [
            pair for key, item in value.items() for pair in _query_pairs(f"{name}[{key}]", item)
        ]
    if isinstance(value, (list, tuple)):
        return [(name, ",".join(_query_text(name, item) for item in value if item is not None))]
    text = _query_text(name, value)
    return [(name, text)] if text else []


def _with_query(path: str, query: Mapping[str, object]) -> str:
    """``path`` with ``query``'s parameters, each replacing the endpoint's own of that name
    (``None`` removes it), as the official client merges them."""
    if not isinstance(query, Mapping):
        raise TypeError(f"extra_query: expected a mapping, got {type(query).__name__}")
    pairs: list[tuple[str, str]] = []
    for name, value in query.items():
        if not isinstance(name, str) or not name:
            raise TypeError(f"extra_query: parameter names must be non-empty text, got {name!r}")
        pairs += _query_pairs(name, value)
    path, _, own = path.partition("?")
    own_pairs = parse_qsl(own)
    kept = [(name, value) for name, value in own_pairs if name not in query]
    if own and kept == own_pairs:  # nothing replaced: the endpoint's own text stays as it is
        return f"{path}?{own}&{urlencode(pairs)}" if pairs else f"{path}?{own}"
    pairs = kept + pairs
    return f"{path}?{urlencode(pairs)}" if pairs else path


def _with_body(request: Request[_R], extra: Mapping[str, object]) -> Request[_R]:
    """``request`` with ``extra`` merged into its JSON body (over the declared fields)."""
    if not isinstance(extra, Mapping):
        raise TypeError(f"extra_body: expected a mapping, got {type(extra).__name__}")
    if not extra:
        return request
    if request.method == "GET":  # the official client drops it; dropping input unsaid is worse
        raise TypeError(
            f"extra_body: GET {request.path.partition('?')[0]} sends no body (use extra_query)"
        )
    if request.body is not None and not isinstance(request.body, Mapping):
        raise TypeError(f"extra_body: {request.method} {request.path} has no JSON object body")
    for name in extra:
        if not isinstance(name, str):
            raise TypeError(f"extra_body: field names must be text, got {name!r}")
    from ._converter import check_numbers  # first use: not paid by `import revox_async`

    check_numbers(extra, "extra_body")
    return request._replace(body={**(request.body or {}), **extra})


def _scoped(lookup: Lookup, query: Mapping[str, object]) -> Lookup:
    """A create's lookup whose listings carry the create's ``extra_query`` too, as they
    carry its ``extra_headers``: a parameter that scopes the create (an account, a
    workspace) scopes where its lost answer is looked for. Looking elsewhere would find
    nothing and send again; a listing that refuses the parameter fails the lookup,
    and an unsettled create is not sent again. Its ``confirm`` reads in that scope too.
    Its identity stays the create's own: creates given one key take turns, and wait out
    each other's windows, whatever their query."""
    listing, confirm = lookup.listing, lookup.confirm

    def in_scope(fetch: Fetch) -> Fetch:
        async def fetch_in_scope(listed: Request[Any]) -> Response:
            return await fetch(listed._replace(path=_with_query(listed.path, query)))

        return fetch_in_scope

    async def scoped(fetch: Fetch, wanted: Callable[[Mapping[str, Any]], bool]) -> Listed:
        return await listing(in_scope(fetch), wanted)

    async def confirmed(fetch: Fetch, match: Mapping[str, Any]) -> bool | None:
        assert confirm is not None
        return await confirm(in_scope(fetch), match)

    return lookup._replace(listing=scoped, confirm=None if confirm is None else confirmed)


def no_per_call_options(method: str, given: Mapping[str, Any], declared: Mapping[str, Any]) -> None:
    """Refuse a per-call option given to a method made of several requests, saying what
    to do instead (rather than calling it an unknown field)."""
    for name in _PER_CALL_NAMES:
        if name in given and name not in declared:
            raise TypeError(
                f"{name}: not a field, and {method} takes no per-call options (a method "
                "making several requests); set timeout and headers for all its requests "
                "with client.with_options(...)"
            )


def per_call_request(
    request: Request[_R],
    timeout: float | None = None,
    extra_headers: Mapping[str, str] | None = None,
    extra_query: Mapping[str, object] | None = None,
    extra_body: Mapping[str, object] | None = None,
) -> tuple[Request[_R], PerCall | None]:
    """``request`` with one call's options applied, each checked before anything is
    sent; and what remains for the engine (``None``: the client's options as they are)."""
    if extra_body is not None:
        request = _with_body(request, extra_body)
    if extra_query is not None:
        request = request._replace(path=_with_query(request.path, extra_query))
        if request.lookup is not None:
            request = request._replace(lookup=_scoped(request.lookup, extra_query))
    if timeout is None and extra_headers is None:
        return request, None
    if timeout is not None:
        timeout = _check_timeout("timeout", timeout)
    if extra_headers is not None:
        if not isinstance(extra_headers, Mapping):
            kind = type(extra_headers).__name__
            raise TypeError(f"extra_headers: expected a mapping, got {kind}")
        extra_headers = _check_headers(extra_headers)
    return request, PerCall(timeout, extra_headers)


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


def _signature(
    fn: Callable[..., Any], returns: str, added: tuple[inspect.Parameter, ...] = ()
) -> inspect.Signature:
    """``fn``'s signature without ``self``, ``**params: Unpack[TD]`` expanded, and the
    ``added`` keywords it does not declare itself."""
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
    declared = {p.name for p in params}
    params += [param for param in added if param.name not in declared]
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

    _added: tuple[inspect.Parameter, ...] = ()
    """Keywords every form takes besides the declared ones."""

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
            sig = self._signatures[key] = _signature(self._fn, returned, self._added)
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

    _added = _PER_CALL_PARAMS

    def __init__(self, build: Callable[Concatenate[Any, _P], Request[_R]]) -> None:
        super().__init__(build)
        declared = inspect.signature(build).parameters
        self._declares_extra_body = "extra_body" in declared
        self._declares_key = "idempotency_key" in declared

    def declare(self, resource: Resource[Any], *args: Any, **kwargs: Any) -> Request[_R]:
        """The `Request` this endpoint builds for these arguments, unsent (a batch sends
        its rows with the resource's own declaration)."""
        request: Request[_R] = self._fn(resource, *args, **kwargs)
        return request

    # The forms take the declared parameters and the per-call options; a ParamSpec
    # cannot say the latter, so the clients' facades (``_facades``) spell both out.
    @overload
    def __get__(self, obj: None, owner: type[Any]) -> endpoint[_P, _R]: ...
    @overload
    def __get__(self, obj: Resource[Async], owner: type[Any]) -> Callable[..., Awaitable[_R]]: ...
    @overload
    def __get__(self, obj: Resource[Sync], owner: type[Any]) -> Callable[..., _R]: ...
    @overload
    def __get__(
        self, obj: Resource[Raw[Async]], owner: type[Any]
    ) -> Callable[..., Awaitable[RawResponse[_R]]]: ...
    @overload
    def __get__(
        self, obj: Resource[Raw[Sync]], owner: type[Any]
    ) -> Callable[..., RawResponse[_R]]: ...
    def __get__(self, obj: Resource[Any] | None, owner: type[Any]) -> Any:
        if obj is None:
            return self
        build, raw = self._build, obj._raw
        if obj._client._blocking:
            sync_client = cast("SyncRevox", obj._client)

            def blocking(*args: Any, **kwargs: Any) -> Any:
                request, per_call = build(obj, args, kwargs)
                return sync_client._run(lambda c: c._execute(request, per_call, raw=raw))

            return self._finish(obj, blocking, sync=True)

        async_client = cast("AsyncRevox", obj._client)

        async def call(*args: Any, **kwargs: Any) -> Any:
            return await async_client._execute(*build(obj, args, kwargs), raw=raw)

        return self._finish(obj, call, sync=False)

    def _build(
        self, obj: Resource[Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[Request[_R], PerCall | None]:
        """The request for these arguments, with the per-call options taken out of them."""
        if self._declares_key and (headers := obj._client._options.headers):
            _client_key(headers, kwargs)
        if not kwargs or _PER_CALL_SET.isdisjoint(kwargs):  # the usual call: no options
            return self._fn(obj, *args, **kwargs), None
        options = {name: kwargs.pop(name, None) for name in _PER_CALL_NAMES}
        if self._declares_extra_body:
            kwargs["extra_body"] = options.pop("extra_body")
        if self._declares_key and isinstance(options["extra_headers"], Mapping):
            options["extra_headers"] = _key_from_headers(options["extra_headers"], kwargs)
        return per_call_request(self._fn(obj, *args, **kwargs), **options)


def _key_names(headers: object) -> list[str]:
    """The names of the ``Idempotency-Key`` headers (any case) in ``headers``."""
    if not isinstance(headers, Mapping):
        return []
    return [name for name in headers if isinstance(name, str) and name.lower() == "idempotency-key"]


def _client_key(headers: Mapping[str, str], kwargs: dict[str, Any]) -> None:
    """An ``Idempotency-Key`` among the client's headers (``default_headers``,
    ``with_options(headers=...)``) is a create's ``idempotency_key=`` when the call gives
    none (nor ``extra_headers``), as one in ``extra_headers`` is: ``calls.create`` minted
    its own key instead, and the same create again dialled again."""
    named = _key_names(headers)
    if (
        named
        and kwargs.get("idempotency_key") is None
        and not _key_names(kwargs.get("extra_headers"))
    ):
        kwargs["idempotency_key"] = headers[named[-1]]


def _key_from_headers(headers: Mapping[str, str], kwargs: dict[str, Any]) -> dict[str, str]:
    """``headers`` without an ``Idempotency-Key``, which becomes ``idempotency_key=`` for
    an endpoint that takes one (a create keys its lookup with it, so it must be one key)."""
    named = _key_names(headers)
    if not named:
        return dict(headers)
    key, given = headers[named[-1]], kwargs.get("idempotency_key")
    if given is not None and given != key:
        raise ValueError(
            "idempotency_key and extra_headers['Idempotency-Key'] differ: give the key once"
        )
    kwargs["idempotency_key"] = key
    return {name: value for name, value in headers.items() if name not in named}


class operation(_Form[_P, _R]):  # noqa: N801 - used as a decorator
    """Declare a method made of several requests, written once as ``async def``."""

    def __init__(self, fn: Callable[Concatenate[Any, _P], Awaitable[_R]]) -> None:
        super().__init__(fn)
        self._declared = inspect.signature(fn).parameters

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
        fn, kind, name, declared = self._fn, type(obj), self._name, self._declared
        if obj._client._blocking:
            sync_client = cast("SyncRevox", obj._client)

            def blocking(*args: Any, **kwargs: Any) -> Any:
                no_per_call_options(name, kwargs, declared)
                return sync_client._run(lambda c: fn(kind(c), *args, **kwargs))

            return self._finish(obj, blocking, sync=True)

        async def call(*args: Any, **kwargs: Any) -> Any:
            no_per_call_options(name, kwargs, declared)
            return await fn(obj, *args, **kwargs)

        return self._finish(obj, call, sync=False)


RESOURCES = {
    "assistants": "Assistants",
    "calls": "Calls",
    "campaigns": "Campaigns",
    "voices": "Voices",
    "phone_numbers": "PhoneNumbers",
    "users": "Users",
}
"""Each client attribute and the resource class (a name of ``revox_async``) it holds."""

_C = TypeVar("_C", bound=type)


def with_resources(client: _C) -> _C:
    """Give a client class its `RESOURCES`, each made (and its module imported) on first
    access: ``client.calls`` the first time loads ``revox_async.Calls`` (which ``import
    revox_async`` leaves out) and keeps ``Calls(client)`` on the instance, so later
    lookups are plain attribute reads."""
    for attr, name in RESOURCES.items():
        resource = functools.cached_property(functools.partial(_new_resource, name))
        resource.__set_name__(client, attr)
        resource.__doc__ = f"The {name} resource, made on first access."
        setattr(client, attr, resource)
    return client


def _new_resource(name: str, client: Any) -> Any:
    return getattr(importlib.import_module("revox_async"), name)(client)


def forget_resources(client: Any) -> None:
    """Drop the resources ``client`` made, so the next access makes them afresh (a client
    whose options change makes new ones)."""
    for attr in RESOURCES:
        client.__dict__.pop(attr, None)
