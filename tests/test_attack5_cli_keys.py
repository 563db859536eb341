"""Attack on the CLI's failed-rows file: a row must keep the key it was last sent with.

``calls create-many`` writes the rows that failed to a file, each with the key it was
sent with, and offers to retry that file: a row whose call may exist is then looked
for by its key before it is dialled. A failed-rows CSV already has an
``idempotency_key`` column (its sent rows filled it); a row that was not sent the first
time (the batch stopped, Ctrl-C) has that cell empty. Sent on the retry and left
unknown again, it went back to the next file with the cell still empty: the retry
after that dialled it again under a new key.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from revox_async import SyncRevox
from revox_async.testing import FaultPlan, MockRevoxServer
from tests.test_attack_cli_hint import server
from tests.test_cli_bulk import run

__all__ = ["server"]  # the fixture (a mock that ignores keys), imported for these tests


def test_a_row_sent_for_the_first_time_from_a_failed_rows_file_is_written_back_with_its_key(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """Row 2 of a failed-rows CSV has no key yet; every POST is placed then answered 500
    and every lookup fails: the next file gives row 2 its key, and retrying that file
    with the server well again places nobody twice."""
    with SyncRevox(api_key=server.api_key, base_url=server.base_url) as api:
        assistant = api.assistants.create(name="A", prompt="p").id
    source = tmp_path / "failed.csv"
    source.write_text(
        "phone_number,assistant_id,idempotency_key\n"
        f"+33600000001,{assistant},k-1\n"
        f"+33600000002,{assistant},\n"
    )
    server.faults = FaultPlan(commit_then_fail_rate=1.0, methods=frozenset({"POST"}))
    first = run(server, "--max-retries", "0", "calls", "create-many", str(source), "--no-journal",
                "--failed-out", str(tmp_path / "again.csv"))  # fmt: skip
    assert 1 == first.exit_code, first.output
    with (tmp_path / "again.csv").open(newline="") as file:
        keys = [row["idempotency_key"] for row in csv.DictReader(file)]
    assert "k-1" == keys[0]
    assert keys[1].startswith("revox-async-")
    server.faults = None
    second = run(server, "calls", "create-many", str(tmp_path / "again.csv"), "--no-journal",
                 "--failed-out", str(tmp_path / "third.csv"))  # fmt: skip
    assert 0 == second.exit_code, second.output
    numbers = sorted(call["to_phone_number"] for call in server.calls.values())
    assert ["+33600000001", "+33600000002"] == numbers


def test_a_json_lines_row_with_a_null_key_is_written_back_with_the_key_it_was_sent_with(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """``"idempotency_key": null`` sends the row with a new key: the failed-rows file
    holds that key, not the null."""
    source = tmp_path / "rows.jsonl"
    source.write_text('{"name": "A", "prompt": "p", "idempotency_key": null}\n')
    server.faults = FaultPlan(error_rate=1.0, error_statuses=(503,))
    result = run(server, "--max-retries", "0", "assistants", "create-many", str(source),
                 "--no-journal", "--failed-out", str(tmp_path / "again.jsonl"))  # fmt: skip
    assert 1 == result.exit_code, result.output
    (row,) = map(json.loads, (tmp_path / "again.jsonl").read_text().splitlines())
    assert row["idempotency_key"].startswith("revox-async-")
