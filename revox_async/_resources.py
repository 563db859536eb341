"""The ``assistants`` resource: validated params in, models out."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Unpack

import cattrs

from ._batch import (
    BatchItem,
    BatchResult,
    CreateManyParams,
    OnProgress,
    Pacer,
    create_many,
    create_many_iter,
)
from ._converter import response_converter
from ._core import path_segment
from ._exceptions import APIResponseValidationError
from ._models import Assistant
from ._params import AssistantCreateParams, AssistantUpdateParams, build_assistant_body
from ._raw import raw_method

if TYPE_CHECKING:
    from ._client import AsyncRevox

__all__ = ["AsyncAssistants", "AsyncAssistantsWithRawResponse"]


_structure_assistant = response_converter.get_structure_hook(Assistant)


def _invalid(method: str, url: str, data: Any, why: str) -> APIResponseValidationError:
    return APIResponseValidationError(
        f"{method} {url}: unexpected response body ({why})",
        method=method,
        url=url,
        status_code=200,
        body=data,
    )


def _assistant(data: Any, method: str, url: str, *, envelope: str | None) -> Assistant:
    if envelope is not None:
        if not isinstance(data, Mapping) or envelope not in data:
            raise _invalid(method, url, data, f"no {envelope!r} key")
        data = data[envelope]
    try:
        result: Assistant = _structure_assistant(data, Assistant)
    except (cattrs.BaseValidationError, TypeError, ValueError, KeyError) as exc:
        raise _invalid(method, url, data, str(exc) or type(exc).__name__) from exc
    return result


class AsyncAssistants:
    """Create, read, update, list and delete assistants: ``client.assistants``."""

    def __init__(self, client: AsyncRevox) -> None:
        self._client = client
        self._url = f"{client.base_url}/assistants"

    @property
    def with_raw_response(self) -> AsyncAssistantsWithRawResponse:
        """The same methods, returning :class:`RawResponse` (status, headers, parsed)."""
        return AsyncAssistantsWithRawResponse(self)

    def _with_pacer(self, pacer: Pacer) -> AsyncAssistants:
        client = self._client
        return AsyncAssistants(client._derive(client._options, pacer))

    def _item_url(self, assistant_id: str) -> str:
        return f"{self._url}/{path_segment(assistant_id)}"

    async def create(
        self,
        *,
        idempotency_key: str | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[AssistantCreateParams],
    ) -> Assistant:
        """Create an assistant; ``name`` and ``prompt`` are required.


            assistant = await client.assistants.create(
                name="Front desk",
                prompt="You book appointments for a dental clinic.",
                voice={"id": "79a125e8", "provider": "cartesia"},
                llm_model=OpenRouterModel(openrouter_model_id="openai/gpt-4.1",
                                          openrouter_provider="openai"),
            )

        Every POST carries an ``Idempotency-Key``, the same across retries;
        pass ``idempotency_key`` to choose it (to retry safely across runs).
        ``extra_body`` sends top-level fields this SDK does not know yet.
        """
        body = build_assistant_body(params, extra_body=extra_body, required=("name", "prompt"))
        data = await self._client._request(
            "POST", self._url, body=body, idempotency_key=idempotency_key
        )
        return _assistant(data, "POST", self._url, envelope="assistant")

    async def retrieve(self, assistant_id: str) -> Assistant:
        """Fetch one assistant by id."""
        url = self._item_url(assistant_id)
        data = await self._client._request("GET", url)
        return _assistant(data, "GET", url, envelope=None)

    async def update(
        self,
        assistant_id: str,
        *,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[AssistantUpdateParams],
    ) -> Assistant:
        """Change only the fields given; ``None`` sends ``null``.


            await client.assistants.update(aid, name="Night desk", voicemail_message=None)

        sends ``{"name": "Night desk", "voicemail_message": null}`` and nothing else.
        """
        url = self._item_url(assistant_id)
        body = build_assistant_body(params, extra_body=extra_body)
        data = await self._client._request("PATCH", url, body=body)
        return _assistant(data, "PATCH", url, envelope="assistant")

    async def list(self) -> builtins.list[Assistant]:
        """Every assistant of the account."""
        data = await self._client._request("GET", self._url)
        if not isinstance(data, Mapping) or not isinstance(data.get("assistants"), builtins.list):
            raise _invalid("GET", self._url, data, "no 'assistants' list")
        return [_assistant(item, "GET", self._url, envelope=None) for item in data["assistants"]]

    async def delete(self, assistant_id: str) -> bool:
        """Delete an assistant for good; ``True`` when the server confirms."""
        url = self._item_url(assistant_id)
        data = await self._client._request("DELETE", url)
        if not isinstance(data, Mapping) or not isinstance(data.get("success"), bool):
            raise _invalid("DELETE", url, data, "no boolean 'success'")
        return bool(data["success"])

    async def create_many(
        self,
        params: Iterable[CreateManyParams] | AsyncIterable[CreateManyParams],
        *,
        concurrency: int = 8,
        rate_limit: float | None = None,
        on_progress: OnProgress | None = None,
        journal: str | Path | None = None,
    ) -> BatchResult:
        """Create many assistants concurrently; every input gets a result, in order.


            result = await client.assistants.create_many(
                ({"name": row["name"], "prompt": row["prompt"]} for row in rows),
                concurrency=16,
                journal="stores.journal.jsonl",
            )
            for item in result.errors:
                print(item.index, item.error)

        ``params`` is any iterable or async iterable of ``create()`` keyword
        dicts (or ``Assistant`` objects to copy), read lazily. At most
        ``concurrency`` requests are in flight; ``rate_limit`` caps attempts
        per second. Each row is created at most once, even by a server that
        ignores ``Idempotency-Key``: after an attempt whose outcome is unknown
        the batch lists the assistants (once for every row waiting) before
        sending again. A 401/403, a 404 or a ``Retry-After`` beyond the cap
        stops the batch (``BatchResult.stopped``); the rest are ``not_sent``.
        ``journal`` (a path) records each row's key and outcome as it happens;
        running again with the same journal and input finishes the job.
        ``on_progress(done, total, item)`` is called as each item finishes. If
        the input or ``on_progress`` raises, the rows in flight finish and
        :class:`BatchAbortedError` carries the partial ``result``.
        Cancelling the call cancels the requests in flight (the journal keeps
        the record). See docs/bulk.md.
        """
        return await create_many(
            self,
            params,
            concurrency=concurrency,
            rate_limit=rate_limit,
            on_progress=on_progress,
            journal=journal,
        )

    def create_many_iter(
        self,
        params: Iterable[CreateManyParams] | AsyncIterable[CreateManyParams],
        *,
        concurrency: int = 8,
        rate_limit: float | None = None,
        journal: str | Path | None = None,
    ) -> AsyncIterator[BatchItem]:
        """``create_many``, streamed: yields each ``BatchItem`` as it finishes.


            async for item in client.assistants.create_many_iter(rows, journal="j.jsonl"):
                print(item.index, item.status)

        Items come in completion order and nothing is kept: memory stays flat
        however long the input. Leaving the loop early stops the batch.
        """
        return create_many_iter(
            self, params, concurrency=concurrency, rate_limit=rate_limit, journal=journal
        )


class AsyncAssistantsWithRawResponse:
    """``client.assistants.with_raw_response``: each method returns a :class:`RawResponse`."""

    def __init__(self, resource: AsyncAssistants) -> None:
        self._resource = resource

    create = raw_method(AsyncAssistants.create)
    retrieve = raw_method(AsyncAssistants.retrieve)
    update = raw_method(AsyncAssistants.update)
    list = raw_method(AsyncAssistants.list)
    delete = raw_method(AsyncAssistants.delete)
