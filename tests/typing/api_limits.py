"""Never executed: mypy checks the typing of response limits and their error."""

from __future__ import annotations

from typing import assert_type

import revox_async as rx


async def limits(client: rx.AsyncRevox, sync_client: rx.SyncRevox) -> None:
    assert_type(rx.AsyncRevox(max_response_bytes=2**20), rx.AsyncRevox)
    assert_type(rx.SyncRevox(max_response_bytes=2**20), rx.SyncRevox)
    assert_type(client.with_options(max_response_bytes=2**20), rx.AsyncRevox)
    assert_type(sync_client.with_options(max_response_bytes=2**20), rx.SyncRevox)
    rx.AsyncRevox(max_response_bytes="1MB")  # type: ignore[arg-type]
    try:
        await client.assistants.list()
    except rx.ResponseTooLargeError as exc:
        assert_type(exc.max_response_bytes, int)
        assert_type(exc.status_code, int)
        error: rx.APIError = exc
        del error
