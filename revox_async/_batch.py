"""Concurrent batch creation: ``client.assistants.create_many``.

Workers (``concurrency`` of them) pull params from the input one at a time,
so a 100,000-row generator never means 100,000 coroutines. All workers share
one `Pacer`: a 429 pauses them together, and ``rate_limit`` spaces
their attempts.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterable, Callable, Iterable, Mapping, Sized
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs

from ._converter import to_dict
from ._core import new_idempotency_key
from ._exceptions import APIConnectionError, APIStatusError
from ._models import Assistant, FaqItem
from ._models.assistants import NULLABLE_PARAMS, SERVER_FIELDS

if TYPE_CHECKING:
    from ._resources import Assistants

__all__ = ["BatchItem", "BatchResult", "CreateManyParams", "OnProgress", "Pacer"]

CreateManyParams: TypeAlias = Mapping[str, Any] | Assistant
"""One item of ``create_many``'s input: create keyword arguments, or an Assistant to copy."""

_CREATE_KWARGS = frozenset({"idempotency_key", "extra_body"})


@attrs.frozen(kw_only=True)
class BatchItem:
    """The outcome of one input of ``create_many``, at its input position."""

    index: int
    params: Any
    """The input as given."""
    assistant: Assistant | None
    error: Exception | None
    idempotency_key: str | None
    """The key its POSTs carried; retry a failed item with it to rule out a duplicate."""

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def maybe_created(self) -> bool:
        """True when the last attempt's outcome is unknown (a 5xx, a timeout, a dropped
        connection): the server may have created it. Retrying with
        ``idempotency_key`` is safe either way."""
        error = self.error
        if isinstance(error, APIConnectionError):
            return True
        return isinstance(error, APIStatusError) and (
            error.status_code >= 500 or error.status_code == 408
        )


@attrs.frozen
class BatchResult:
    """Every input's `BatchItem`, in input order."""

    results: list[BatchItem]

    @property
    def assistants(self) -> list[Assistant]:
        """The assistants created, in input order."""
        return [item.assistant for item in self.results if item.assistant is not None]

    @property
    def errors(self) -> list[BatchItem]:
        """The items that failed, in input order."""
        return [item for item in self.results if item.error is not None]

    @property
    def ok(self) -> bool:
        return all(item.error is None for item in self.results)

    def __len__(self) -> int:
        return len(self.results)


OnProgress: TypeAlias = Callable[[int, int | None, BatchItem], object]
"""``on_progress(done, total, item)``; ``total`` is ``None`` for inputs of unknown length."""


class Pacer:
    """Shared pacing for concurrent calls: one 429 pauses everyone; an optional rate."""

    def __init__(self, rate_limit: float | None = None) -> None:
        if rate_limit is not None and not rate_limit > 0:
            raise ValueError("rate_limit: must be a positive number of requests per second")
        self._interval = 1 / rate_limit if rate_limit else 0.0
        self._resume_at = 0.0
        self._next_slot = 0.0

    async def before_attempt(self) -> None:
        loop = asyncio.get_running_loop()
        # A pause may be extended while we sleep: check again after each wait.
        while (wait := self._resume_at - loop.time()) > 0:  # noqa: ASYNC110
            await asyncio.sleep(wait)
        if self._interval:
            now = loop.time()
            slot = max(now, self._next_slot)
            self._next_slot = slot + self._interval
            if slot > now:
                await asyncio.sleep(slot - now)

    def pause(self, seconds: float) -> None:
        self._resume_at = max(self._resume_at, asyncio.get_running_loop().time() + seconds)


def create_params(item: object) -> dict[str, Any]:
    """``create()`` keyword arguments for one input (an Assistant is copied)."""
    if isinstance(item, Assistant):
        data = to_dict(item)
        # A null the server sent is kept where it means something (a nullable
        # parameter, such as voicemail_message); elsewhere it only means "unset".
        params = {
            k: v
            for k, v in data.items()
            if k not in SERVER_FIELDS and (v is not None or k in NULLABLE_PARAMS)
        }
        if params.get("faq_items"):
            params["faq_items"] = [
                {"question": faq.question, "answer": faq.answer, **faq.extra_fields}
                for faq in item.faq_items or ()
                if isinstance(faq, FaqItem)
            ]
        extra = {k: params.pop(k) for k in list(item.extra_fields) if k in params}
        if extra:
            params["extra_body"] = extra
        return params
    if isinstance(item, Mapping):
        return dict(item)
    raise TypeError(f"expected a mapping of create params or an Assistant, got {item!r:.200}")


async def _aiter(source: Iterable[Any] | AsyncIterable[Any]) -> AsyncGenerator[Any, None]:
    if isinstance(source, AsyncIterable):
        async for item in source:
            yield item
    else:
        for item in source:
            yield item


async def create_many(
    resource: Assistants[Any],
    params: Iterable[CreateManyParams] | AsyncIterable[CreateManyParams],
    *,
    concurrency: int,
    rate_limit: float | None,
    on_progress: OnProgress | None,
) -> BatchResult:
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValueError("concurrency: must be a whole number >= 1")
    total = len(params) if isinstance(params, Sized) else None
    assistants = resource._with_pacer(Pacer(rate_limit))
    source = _aiter(params)
    pull = asyncio.Lock()
    results: list[BatchItem | None] = []
    done = 0

    async def run(index: int, given: Any) -> BatchItem:
        key: str | None = None
        try:
            kwargs = create_params(given)
            key = kwargs.pop("idempotency_key", None)
            if key is None:
                key = new_idempotency_key()
            assistant = await assistants.create(idempotency_key=key, **kwargs)
        except Exception as exc:  # an item's failure is its own result
            item = BatchItem(
                index=index, params=given, assistant=None, error=exc, idempotency_key=key
            )
            if item.maybe_created:
                exc.add_note(
                    f"The server may have created this assistant before failing; retrying "
                    f"with idempotency_key={key!r} cannot create it twice."
                )
            return item
        return BatchItem(
            index=index, params=given, assistant=assistant, error=None, idempotency_key=key
        )

    async def worker() -> None:
        nonlocal done
        while True:
            async with pull:
                try:
                    given = await anext(source)
                except StopAsyncIteration:
                    return
                index = len(results)
                results.append(None)
            item = await run(index, given)
            results[index] = item
            done += 1
            if on_progress is not None:
                on_progress(done, total, item)

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(concurrency):
                group.create_task(worker())
    except BaseExceptionGroup as group_error:
        # Only the caller's own code can fail a worker (each item's errors are
        # caught): raise what the iterable or on_progress raised, not a wrapper.
        raise group_error.exceptions[0] from None
    finally:
        await source.aclose()
    return BatchResult([item for item in results if item is not None])
