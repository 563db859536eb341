"""``client.assistants``: create, read, update, clone, list and delete assistants."""

from __future__ import annotations

import builtins
import functools
from collections.abc import AsyncIterable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar, Unpack, cast

from revox_async._batch import BatchResult, BatchStream, CreateManyParams, OnProgress, create_many
from revox_async._converter import (
    build_body,
    decode_list,
    decode_model,
    decode_success,
    param_types,
)
from revox_async._endpoint import Raw, Request, Resource, endpoint, operation, segment
from revox_async._journal import Journal
from revox_async._models import Assistant, UnpatchedCallsNotice
from revox_async._models.assistants import (
    NULLABLE_PARAMS,
    SERVER_FIELDS,
    AssistantCreateParams,
    AssistantUpdateParams,
)
from revox_async._retry import IN_USE as _IN_USE
from revox_async._retry import content_lookup

__all__ = ["Assistants"]

_M = TypeVar("_M")

PARAMS = param_types(Assistant, exclude=SERVER_FIELDS)
_REQUIRED = ("name", "prompt")
_one = decode_model(Assistant, expect={"id": str})
_wrapped = decode_model(Assistant, "assistant")
_notice = decode_model(UnpatchedCallsNotice)
_list = decode_list(Assistant, "assistants")
_LOOKUP = functools.partial(content_lookup, "/assistants", "assistants", "assistant")
"""How a create finds what an attempt with a lost answer made: the assistant holding
the fields sent, created since the first attempt (see ``_retry``)."""


def _updated(data: Any) -> Assistant:
    assistant = _wrapped(data)
    notice = data.get("unpatchedCallsNotice")
    if isinstance(notice, Mapping):
        assistant.unpatched_calls_notice = _notice(notice)
    return assistant


def _path(assistant_id: str) -> str:
    return f"/assistants/{segment('assistant_id', assistant_id)}"


_CLONE_NOTE = (
    "The server may have made the copy although the answer was lost: it was not sent "
    'again. Look for it in assistants.list() (named "... (Copy)") before cloning again.'
)


class Assistants(Resource[_M]):
    """Create, read, update, clone, list and delete assistants: ``client.assistants``."""

    @property
    def with_raw_response(self) -> Assistants[Raw[_M]]:
        """The same methods, returning `RawResponse` (status, headers, parsed)."""
        return cast("Assistants[Raw[_M]]", self._raw_twin())

    @endpoint
    def create(
        self,
        *,
        idempotency_key: str | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[AssistantCreateParams],
    ) -> Request[Assistant]:
        """Create an assistant; ``name`` and ``prompt`` are required.

            assistant = await client.assistants.create(
                name="Front desk",
                prompt="You book appointments for a dental clinic.",
                voice={"id": "79a125e8", "provider": "cartesia"},
                llm_model=OpenRouterModel(openrouter_model_id="openai/gpt-4.1",
                                          openrouter_provider="openai"),
            )

        Every POST carries an ``Idempotency-Key``, the same across retries;
        pass ``idempotency_key`` to choose it. A later run re-sent with that key is
        safe only on a server that honours keys (the live API does not promise to);
        an attempt whose outcome is unknown is looked for before it is sent again.
        ``extra_body`` sends top-level fields this SDK does not know yet.
        """
        body = build_body(
            params, PARAMS, required=_REQUIRED, nullable=NULLABLE_PARAMS, extra_body=extra_body
        )
        return Request("POST", "/assistants", _wrapped, body, idempotency_key, lookup=_LOOKUP(body))

    @endpoint
    def retrieve(self, assistant_id: str) -> Request[Assistant]:
        """Fetch one assistant by id.

        assistant = await client.assistants.retrieve("asst_123")
        """
        return Request("GET", _path(assistant_id), _one)

    @endpoint
    def update(
        self,
        assistant_id: str,
        *,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[AssistantUpdateParams],
    ) -> Request[Assistant]:
        """Change only the fields given; ``None`` sends ``null``.

            await client.assistants.update(aid, name="Night desk", voicemail_message=None)

        sends ``{"name": "Night desk", "voicemail_message": null}`` and nothing
        else. When calls already placed keep their old settings, the result's
        ``unpatched_calls_notice`` says how many.
        """
        body = build_body(params, PARAMS, nullable=NULLABLE_PARAMS, extra_body=extra_body)
        return Request("PATCH", _path(assistant_id), _updated, body)

    @endpoint
    def clone(self, assistant_id: str) -> Request[Assistant]:
        """Copy an assistant, FAQ items included; the copy's name ends in "(Copy)".

        copy = await client.assistants.clone(aid)
        """
        return Request("POST", _path(assistant_id) + "/clone", _wrapped, not_resent=_CLONE_NOTE)

    @endpoint
    def list(self) -> Request[builtins.list[Assistant]]:
        """Every assistant of the account (the API does not paginate).

        for assistant in await client.assistants.list():
            print(assistant.id, assistant.name)
        """
        return Request("GET", "/assistants", _list)

    @endpoint
    def delete(self, assistant_id: str) -> Request[bool]:
        """Delete an assistant for good; ``True`` when the server confirms.

        await client.assistants.delete(aid)
        """
        return Request("DELETE", _path(assistant_id), decode_success, final_statuses=_IN_USE)

    @operation
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
        ``BatchAbortedError`` carries the partial ``result``.
        Cancelling the call cancels the requests in flight (the journal keeps
        the record). See docs/bulk.md.
        """
        return await create_many(
            self._in_async_mode(),
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
        journal: str | Path | Journal | None = None,
    ) -> BatchStream:
        """``create_many``, streamed (``AsyncRevox`` only): yields each ``BatchItem`` as it
        finishes.

            async for item in client.assistants.create_many_iter(rows, journal="j.jsonl"):
                print(item.index, item.status)

        Items come in completion order and nothing is kept: memory stays flat
        however long the input. Leaving the loop early stops the batch; so does
        ``stream.stop()`` (no new row; those in flight finish and are yielded), and
        ``stream.stopped`` then says why an answer stopped it. ``journal`` may be a
        `Journal` already open (the CLI opens it first, to report what it holds).
        See docs/bulk.md.
        """
        return BatchStream(
            self._in_async_mode(),
            params,
            concurrency=concurrency,
            rate_limit=rate_limit,
            journal=journal,
        )
