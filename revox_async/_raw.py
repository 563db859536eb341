"""Raw responses: the parsed model together with the HTTP status and headers."""

from __future__ import annotations

import contextvars
import inspect
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

import attrs

__all__ = ["RawResponse", "bound_signature", "raw_method", "record_response"]

_T = TypeVar("_T")
_P = ParamSpec("_P")
_R = TypeVar("_R")


@attrs.frozen(kw_only=True)
class RawResponse(Generic[_T]):
    """What ``with_raw_response`` methods return.

    >>> raw = await client.assistants.with_raw_response.retrieve(aid)  # doctest: +SKIP
    >>> raw.status_code, raw.headers["content-type"], raw.parsed.name  # doctest: +SKIP
    (200, 'application/json; charset=utf-8', 'Front desk')
    """

    status_code: int
    headers: Mapping[str, str]
    parsed: _T
    method: str
    url: str
    retries: int
    """How many retries it took (0: the first attempt answered)."""


@attrs.frozen
class _Seen:
    status_code: int
    headers: Mapping[str, str]
    method: str
    url: str
    retries: int


_capture: contextvars.ContextVar[list[_Seen] | None] = contextvars.ContextVar(
    "revox_async_capture", default=None
)


def record_response(
    status: int, headers: Mapping[str, str], method: str, url: str, retries: int
) -> None:
    """Called by the request loop; a no-op unless a raw method is listening."""
    seen = _capture.get()
    if seen is not None:
        seen.append(_Seen(status, headers, method, url, retries))


def bound_signature(method: Callable[..., Any], *, raw: bool = False) -> inspect.Signature:
    """``method``'s signature without ``self`` (and returning ``RawResponse[...]`` if raw)."""
    sig = inspect.signature(method)
    sig = sig.replace(parameters=list(sig.parameters.values())[1:])
    if raw:
        sig = sig.replace(return_annotation=f"RawResponse[{sig.return_annotation}]")
    return sig


class raw_method(Generic[_P, _R]):  # noqa: N801 - used like a decorator
    """Turn a resource's ``async def m(...) -> R`` into ``m(...) -> RawResponse[R]``.

    Declared on a class whose instances have ``_resource``, the object whose
    method of the same name does the work.
    """

    def __init__(self, method: Callable[Concatenate[Any, _P], Awaitable[_R]]) -> None:
        self._method = method
        self._name = method.__name__
        self.__doc__ = method.__doc__
        self._signature = bound_signature(method, raw=True)

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> raw_method[_P, _R]: ...
    @overload
    def __get__(
        self, obj: object, owner: type[Any]
    ) -> Callable[_P, Awaitable[RawResponse[_R]]]: ...
    def __get__(self, obj: object, owner: type[Any]) -> Any:
        if obj is None:
            return self
        target: Callable[_P, Awaitable[_R]] = getattr(obj._resource, self._name)  # type: ignore[attr-defined]

        async def call(*args: _P.args, **kwargs: _P.kwargs) -> RawResponse[_R]:
            seen: list[_Seen] = []
            token = _capture.set(seen)
            try:
                parsed = await target(*args, **kwargs)
            finally:
                _capture.reset(token)
            last = seen[-1]
            return RawResponse(
                status_code=last.status_code,
                headers=last.headers,
                parsed=parsed,
                method=last.method,
                url=last.url,
                retries=last.retries,
            )

        call.__name__ = self._name
        call.__doc__ = self.__doc__
        call.__signature__ = self._signature  # type: ignore[attr-defined]
        return call
