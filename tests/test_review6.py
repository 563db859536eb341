"""Review 6: what this round's behaviour changes must still keep."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import pytest
from click.testing import CliRunner
from rich.console import Console

from revox_async import AsyncRevox
from revox_async import _batch as batch
from revox_async._retry import Engine
from revox_async.cli import _resources as resources
from revox_async.cli._app import cli
from revox_async.testing import MockRevoxServer


@pytest.mark.parametrize(
    "options",
    [{"create_deadline": 1}, {"max_retries": 0}],
    ids=["past its create_deadline", "on its last retry"],
)
async def test_a_429_a_row_cannot_wait_out_still_pauses_the_other_rows(
    revox_mock: MockRevoxServer, options: dict[str, Any]
) -> None:
    """Row 0's 429 asks for 3 s, more than its create_deadline leaves or with no retry
    left: it fails at once, and row 1 still waits out the pause the server asked of the
    whole account."""
    revox_mock.fail_next("status", status=429, retry_after=3)
    sleeps: list[float] = []

    async def sleep(delay: float) -> None:
        sleeps.append(delay)

    rows: list[dict[str, Any]] = [{"name": f"a{i}", "prompt": "p"} for i in range(2)]
    async with AsyncRevox(
        api_key=revox_mock.api_key, base_url=revox_mock.base_url, **options
    ) as client:
        result = await batch.create_many(
            client.assistants, rows, concurrency=1, rate_limit=None, on_progress=None, sleep=sleep
        )
    assert [429, None] == [getattr(item.error, "status_code", None) for item in result.results]
    assert 1 == sum(1 for delay in sleeps if delay > 2)


@pytest.mark.parametrize("key", [(), ("--idempotency-key", "k-1")])
def test_ctrl_c_while_a_call_is_placed_says_to_wait_out_the_window_before_checking(
    monkeypatch: pytest.MonkeyPatch, key: tuple[str, ...]
) -> None:
    """A new process searches at once, before a slow server has placed the call: the
    advice after Ctrl-C says to wait ``timeout + outcome_window`` (60 + 60 s) first."""

    async def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise asyncio.CancelledError

    err = io.StringIO()
    monkeypatch.setattr(Engine, "send", interrupted)
    monkeypatch.setattr(resources, "err_console", lambda: Console(file=err, width=400))
    args = ["--base-url", "http://127.0.0.1:9/api", "--api-key", "k", "calls", "create"]
    args += ["--phone-number", "+33612345678", "--assistant-id", "a1", *key]
    with pytest.raises(asyncio.CancelledError):  # the real Ctrl-C handler is not here
        CliRunner().invoke(cli, args)
    assert "once 120 s have passed" in err.getvalue()


async def test_a_503_asking_to_wait_on_a_create_pauses_every_row(
    revox_mock: MockRevoxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 503 with Retry-After 3 leaves the row's outcome unknown (it waits, then looks):
    the batch's other rows are paused 3 s too, as for any Retry-After (docs/bulk.md)."""
    revox_mock.fail_next("status", status=503, retry_after=3)
    pauses: list[float] = []
    monkeypatch.setattr(batch.Pacer, "pause", lambda self, seconds: pauses.append(seconds))

    async def sleep(delay: float) -> None:
        pass

    rows: list[dict[str, Any]] = [{"name": f"a{i}", "prompt": "p"} for i in range(2)]
    async with AsyncRevox(
        api_key=revox_mock.api_key, base_url=revox_mock.base_url, outcome_window=0.1
    ) as client:
        result = await batch.create_many(
            client.assistants, rows, concurrency=1, rate_limit=None, on_progress=None, sleep=sleep
        )
    assert result.ok
    assert [3.0] == pauses
