"""Attack on the CLI's advice: following what ``create-many`` says never creates twice.

Without a journal, the summary offers to retry the failed-rows file. An assistant whose
answer was lost may exist, and a retry sends it again (the server may ignore its key, and
an assistant is not found by its key): the hint must say so rather than offer a plain
retry. Calls are looked for by the key the file carries, so theirs stays as it was.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from revox_async.testing import FaultPlan, MockRevoxServer
from tests.test_cli_bulk import run, write_rows


@pytest.fixture
def server() -> Iterator[MockRevoxServer]:
    with MockRevoxServer(api_key="cli-key", idempotency="ignore") as mock:
        yield mock


def test_assistants_that_may_exist_are_not_offered_a_plain_retry(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """Every request answers 503 (the POST may have been done, the lookup fails): the
    summary warns that retrying would send them again, and says to look first."""
    source = write_rows(tmp_path / "in.jsonl", 2)
    server.faults = FaultPlan(error_rate=1.0, error_statuses=(503,))
    result = run(
        server, "--max-retries", "0", "assistants", "create-many", str(source), "--no-journal"
    )
    assert 1 == result.exit_code, result.output
    assert "Retry just those" not in result.output
    assert "2 of them may exist" in result.output
    assert "assistants list" in result.output
    failed = (tmp_path / "in.jsonl.failed.jsonl").read_text().splitlines()
    assert 2 == len([json.loads(line)["idempotency_key"] for line in failed])
