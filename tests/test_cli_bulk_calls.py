"""calls create-many as people run it: a contacts CSV from Excel, re-runs, Ctrl-C, --mock."""

from __future__ import annotations

import csv
import json
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from revox_async._batch import CALL_KEY_FIELD
from revox_async.cli._app import cli
from revox_async.cli._bulk import BulkOptions, _batch_client
from revox_async.cli._common import MOCK_OUTCOME_WINDOW, Settings
from revox_async.cli._inputs import call_row
from revox_async.testing import FaultPlan, MockRevoxServer
from revox_async.testing._assistants import new_assistant as _new_assistant

ROOT = Path(__file__).parent.parent
CONTACTS = ROOT / "examples" / "contacts.csv"


@pytest.fixture
def server() -> Iterator[MockRevoxServer]:
    with MockRevoxServer(api_key="cli-key", idempotency="ignore") as mock:
        seed(mock, "asst_cli")
        yield mock


SERVER_OPTIONS = ("--outcome-window", "0.05")
"""A lost answer is looked for after 50 ms, not a whole timeout: the mock is done by then."""
RERUN_OPTIONS = ("--timeout", "2")
"""A re-run waits out what may remain of a killed run's attempts (timeout + window)."""


def seed(server: MockRevoxServer, assistant_id: str) -> None:
    """An assistant with a chosen id, as ``--mock`` makes its demo one."""
    made = _new_assistant({"name": "Caller", "prompt": "p"}, server.now)
    server.assistants[assistant_id] = {**made, "id": assistant_id}


def run(server: MockRevoxServer, *args: str, stdin: str | None = None) -> Result:
    prefix = [*SERVER_OPTIONS, *RERUN_OPTIONS, "--api-key", server.api_key]
    prefix += ["--base-url", server.base_url]
    return CliRunner().invoke(cli, [*prefix, *args], input=stdin, catch_exceptions=False)


def write_contacts(path: Path, n: int) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["phone_number", "first_name"])
        writer.writerows([f"+3361234{i:04d}", f"Ada-{i}"] for i in range(n))
    return path


def numbers(server: MockRevoxServer) -> Counter[str]:
    return Counter(call["to_phone_number"] for call in server.calls.values())


def call_posts(server: MockRevoxServer) -> int:
    return sum(r.method == "POST" and r.path.endswith("/call") for r in server.requests)


def test_a_csv_row_maps_columns_to_call_params_and_prompt_variables() -> None:
    """Known columns are parameters, metadata.X goes to metadata, the rest to
    prompt_variables; empty cells are left out."""
    header = ["phone_number", "first_name", "company", "metadata.crm_id", "assistant_id",
              "scheduled_at", "skip_calling_window", "from_phone_number", "idempotency_key"]  # fmt: skip
    cells = [" +33612345678 ", "Ada", "", "42", "asst_2", "2030-01-01T09:00:00+01:00", "yes",
             "+14155550100", "k-1"]  # fmt: skip
    assert {
        "phone_number": "+33612345678",
        "prompt_variables": {"first_name": "Ada"},
        "metadata": {"crm_id": "42"},
        "assistant_id": "asst_2",
        "scheduled_at": "2030-01-01T09:00:00+01:00",
        "skip_calling_window": True,
        "from_phone_number": "+14155550100",
        "idempotency_key": "k-1",
    } == call_row(header, cells)


def test_an_excel_csv_places_one_call_per_row(server: MockRevoxServer, tmp_path: Path) -> None:
    """BOM, ';' and CRLF as Excel writes them; an assistant_id column overrides the option;
    the user's metadata is kept next to the row key."""
    seed(server, "asst_other")
    source = tmp_path / "contacts.csv"
    source.write_bytes(
        b"\xef\xbb\xbfphone_number;first_name;metadata.crm_id;assistant_id\r\n"
        b"+33612340001;Ada;c1;\r\n"
        b"+33612340002;Grace;c2;asst_other\r\n"
    )
    result = run(
        server, "--json", "calls", "create-many", str(source), "--assistant-id", "asst_cli"
    )
    assert 0 == result.exit_code, result.output
    summary = json.loads(result.output)
    assert 2 == summary["created"]
    by_number = {call["to_phone_number"]: call for call in server.calls.values()}
    ada, grace = by_number["+33612340001"], by_number["+33612340002"]
    assert {"first_name": "Ada"} == ada["prompt_variables"]
    assert ("asst_cli", "asst_other") == (ada["assistant"]["id"], grace["assistant"]["id"])
    assert "c1" == ada["metadata"]["crm_id"]
    assert {"crm_id", CALL_KEY_FIELD} == set(ada["metadata"])
    assert [r["id"] for r in summary["results"]] == [ada["id"], grace["id"]]


def test_jsonl_rows_get_the_assistant_of_the_option(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """JSON rows are calls.create parameters; a bad row fails alone, naming its field."""
    source = tmp_path / "calls.jsonl"
    source.write_text(
        json.dumps({"phone_number": "+33612340001", "prompt_variables": {"first_name": "Ada"}})
        + "\n"
        + json.dumps({"first_name": "no number"})
        + "\n"
    )
    result = run(server, "calls", "create-many", str(source), "--assistant-id", "asst_cli")
    assert 1 == result.exit_code, result.output
    assert "phone_number" in result.output
    assert 1 == len(server.calls)
    failed = (tmp_path / "calls.jsonl.failed.jsonl").read_text()
    assert "no number" in failed


def test_an_unknown_assistant_id_stops_before_any_call(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """--assistant-id is checked with the server first: exit 2, one line, no call."""
    source = write_contacts(tmp_path / "c.csv", 3)
    result = run(server, "calls", "create-many", str(source), "--assistant-id", "asst_nope")
    assert 2 == result.exit_code, result.output
    assert "no assistant 'asst_nope'" in result.output
    assert 0 == call_posts(server)


def test_an_unreachable_server_is_one_line(tmp_path: Path) -> None:
    """Nothing listens at the base URL: the check of --assistant-id says so, exit 1."""
    source = write_contacts(tmp_path / "c.csv", 2)
    result = CliRunner().invoke(
        cli,
        ["--api-key", "k", "--base-url", "http://127.0.0.1:9/api", "--max-retries", "0",
         "calls", "create-many", str(source), "--assistant-id", "asst_1"],
    )  # fmt: skip
    assert 1 == result.exit_code, result.output
    assert "--assistant-id could not be checked" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_lost_answers_double_no_call(server: MockRevoxServer, tmp_path: Path) -> None:
    """Commits answered 500 and drops against a key-ignoring server: one call per row."""
    source = write_contacts(tmp_path / "c.csv", 10)
    for kind in ("commit_then_fail", "drop", "commit_then_fail"):
        server.fail_next(kind)  # type: ignore[arg-type]
    result = run(server, "--json", "calls", "create-many", str(source), "--assistant-id",
                 "asst_cli")  # fmt: skip
    assert 0 == result.exit_code, result.output
    assert 10 == len(server.calls)
    assert {1} == set(numbers(server).values())


def test_a_rerun_with_the_journal_dials_nobody_twice(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """The same command twice: the second sends no call and says all were placed."""
    source = write_contacts(tmp_path / "c.csv", 5)
    args = ("calls", "create-many", str(source), "--assistant-id", "asst_cli",
            "--journal", str(tmp_path / "j.jsonl"))  # fmt: skip
    assert 0 == run(server, *args).exit_code
    server.requests.clear()
    again = run(server, *args)
    assert 0 == again.exit_code, again.output
    assert "already placed" in again.output
    assert 0 == call_posts(server)
    assert 5 == len(server.calls)


def test_a_rerun_says_when_calls_sent_without_an_answer_are_checked(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """A call left unknown (answered 500, and its search failed too): the same command
    again says it waits timeout + outcome_window after that call was sent, then finds it."""
    source = write_contacts(tmp_path / "c.csv", 1)
    args = ("calls", "create-many", str(source), "--assistant-id", "asst_cli",
            "--journal", str(tmp_path / "j.jsonl"))  # fmt: skip
    server.faults = FaultPlan(commit_then_fail_rate=1.0)  # every POST: the create, its search
    assert 1 == run(server, "--max-retries", "0", *args).exit_code
    server.faults = FaultPlan()
    again = run(server, *args)
    expected = "1 sent without an answer are checked 2.05 s after they were sent"
    assert (0, True) == (again.exit_code, expected in " ".join(again.output.split()))
    assert 1 == len(server.calls)


def test_ctrl_c_then_the_same_command_places_each_call_once(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """SIGINT mid-batch: exit 130 with the resume hint (naming --assistant-id); the same
    command again places the rest, nobody twice."""
    source = write_contacts(tmp_path / "c.csv", 30)
    journal = tmp_path / "j.jsonl"
    args = ("calls", "create-many", str(source), "--assistant-id", "asst_cli",
            "--concurrency", "2", "--journal", str(journal))  # fmt: skip
    server.faults = FaultPlan(latency=0.2)
    process = subprocess.Popen(
        [sys.executable, "-m", "revox_async", *SERVER_OPTIONS, "--api-key", server.api_key,
         "--base-url", server.base_url, *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        if journal.exists() and journal.read_text().count('"sent"') >= 4:
            break
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert 130 == process.returncode, err
    assert "Traceback" not in err
    assert "--assistant-id asst_cli" in out.replace("\n", "")
    assert 0 < len(server.calls) < 30
    server.faults = FaultPlan()
    again = run(server, *args)
    assert 0 == again.exit_code, again.output
    assert 30 == len(server.calls)
    assert {1} == set(numbers(server).values())


def test_mock_places_the_example_contacts_with_a_demo_assistant() -> None:
    """`revox-async --mock calls create-many examples/contacts.csv --assistant-id ID`: the
    fresh embedded server gets a demo assistant with that id; every row is placed."""
    result = subprocess.run(
        [sys.executable, "-m", "revox_async", "--mock", "--json", "calls", "create-many",
         str(CONTACTS), "--assistant-id", "asst_demo"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert 0 == result.returncode, result.stderr
    summary = json.loads(result.stdout)
    rows = sum(1 for line in CONTACTS.read_text().splitlines()[1:] if line.strip())
    assert (rows, 0) == (summary["created"], summary["failed"])
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("outcome_window", "wait"), [("0.05", "2.05"), ("0", "2")])
def test_calls_that_may_exist_are_offered_a_retry_once_their_window_has_passed(
    server: MockRevoxServer, tmp_path: Path, outcome_window: str, wait: str
) -> None:
    """Every POST answers 503 (the calls may be placed; their search fails too): the
    retry offered says to wait timeout + outcome_window first, since a new run searches
    for each key at once and the server may still be placing the call."""
    source = write_contacts(tmp_path / "in.csv", 2)
    server.faults = FaultPlan(error_rate=1.0, error_statuses=(503,), methods=frozenset({"POST"}))
    result = run(
        server, "--max-retries", "0", "--outcome-window", outcome_window, "calls",
        "create-many", str(source), "--assistant-id", "asst_cli", "--no-journal",
    )  # fmt: skip
    assert 1 == result.exit_code, result.output
    said = " ".join(result.output.split())
    assert "Retry just those with" in said
    assert (
        f"once {wait} s have passed: the server may still be placing the 2 that may exist" in said
    )


def test_the_failed_rows_run_again_at_once_say_they_wait_then_place_each_call_once(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """The same, then the failed-rows file run again at once: it says its rows wait for an
    attempt that may still be under way (their keys are fresh), then places each once."""
    source = write_contacts(tmp_path / "in.csv", 2)
    server.faults = FaultPlan(error_rate=1.0, error_statuses=(503,), methods=frozenset({"POST"}))
    args = ("--max-retries", "0", "calls", "create-many")
    run(server, *args, str(source), "--assistant-id", "asst_cli", "--no-journal")
    (failed,) = tmp_path.glob("*failed*")
    server.faults = None
    again = run(server, *args, str(failed), "--assistant-id", "asst_cli", "--no-journal")
    assert 0 == again.exit_code, again.output
    said = " ".join(again.output.split())
    assert "rows carrying keys made in the last few minutes" in said
    assert "wait up to 2.05 s" in said
    assert {1} == set(numbers(server).values())
    assert 2 == len(server.calls)


@pytest.mark.parametrize(("given", "expected"), [(None, MOCK_OUTCOME_WINDOW), (2.5, 2.5)])
async def test_mock_with_an_assistant_id_waits_the_mock_window(
    given: float | None, expected: float
) -> None:
    """``calls create-many --mock --assistant-id``: a lost answer is looked for after the
    mock's short window, as by every ``--mock`` command, not after the whole
    ``--timeout`` (60 s); an ``--outcome-window`` given is kept."""
    settings = Settings(
        api_key=None,
        base_url=None,
        mock=True,
        mock_faults=0.0,
        as_json=False,
        timeout=60.0,
        max_retries=2,
        outcome_window=given,
    )
    options = BulkOptions(
        file=None,
        concurrency=1,
        rate_limit=None,
        failed_out=None,
        journal=None,
        no_journal=True,
        calls=True,
        assistant_id="asst_demo",
    )
    async with _batch_client(settings, options) as client:
        assert (expected, 60.0) == (client.outcome_window, client.timeout)
