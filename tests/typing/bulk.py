"""Never executed: mypy checks that the bulk API types as promised."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Literal, assert_type

import revox_async as rx


async def async_bulk(client: rx.AsyncRevox) -> None:
    rows = [{"name": "n", "prompt": "p"}]
    result = await client.assistants.create_many(rows, concurrency=4, journal="j.jsonl")
    assert_type(result, rx.BatchResult)
    assert_type(result.stopped, str | None)
    item = result.results[0]
    assert_type(item.status, Literal["created", "failed", "not_sent"])
    assert_type(item.created, rx.Assistant | rx.Call | None)
    assert_type(item.created_id, str | None)
    assert_type(item.assistant_id, str | None)  # deprecated
    stream = client.assistants.create_many_iter(rows)
    assert_type(stream, rx.BatchStream)
    streamed: AsyncIterator[rx.BatchItem] = stream
    assert_type(await anext(streamed), rx.BatchItem)
    assert_type(stream.stopped, str | None)
    stream.stop()
    try:
        await client.assistants.create_many(rows)
    except rx.BatchAbortedError as exc:
        assert_type(exc.result, rx.BatchResult)


def sync_bulk(client: rx.SyncRevox) -> None:
    result = client.assistants.create_many([{"name": "n", "prompt": "p"}], journal="j.jsonl")
    assert_type(result, rx.BatchResult)
    client.assistants.create_many_iter([])  # type: ignore[attr-defined]  # AsyncRevox only


async def async_calls_bulk(client: rx.AsyncRevox) -> None:
    rows = [{"phone_number": "+33612345678", "assistant_id": "asst_1"}]
    result = await client.calls.create_many(rows, concurrency=4, journal="j.jsonl")
    assert_type(result, rx.BatchResult)
    assert_type(result.calls, list[rx.Call])
    item = result.results[0]
    assert_type(item.call, rx.Call | None)  # deprecated
    assert_type(item.call_id, str | None)  # deprecated
    assert_type(item.created_id, str | None)
    stream = client.calls.create_many_iter(rows, rate_limit=2.0)
    assert_type(stream, rx.BatchStream)
    await client.calls.create_many(["+33612345678"])  # type: ignore[list-item]
    await client.calls.with_raw_response.create_many(rows)  # type: ignore[attr-defined]


def sync_calls_bulk(client: rx.SyncRevox) -> None:
    rows = [{"phone_number": "+33612345678", "assistant_id": "asst_1"}]
    result = client.calls.create_many(rows, journal="j.jsonl", on_progress=print)
    assert_type(result, rx.BatchResult)
    assert_type(result.calls, list[rx.Call])
