"""create-many as people run it: Ctrl-C, kills, re-runs, wrong keys, the files they have."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from revox_async.cli._app import cli
from revox_async.testing import FaultPlan, MockRevoxServer
from tests.conftest import fill_disk_at

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples" / "assistants.jsonl"


@pytest.fixture
def server() -> Iterator[MockRevoxServer]:
    with MockRevoxServer(api_key="cli-key", idempotency="ignore") as mock:
        yield mock


SERVER_OPTIONS = ("--outcome-window", "0.05")
"""A lost answer is looked for after 50 ms, not a whole timeout: the mock is done by then."""
RERUN_OPTIONS = ("--timeout", "2")
"""A re-run waits out what may remain of a killed run's attempts (timeout + window)."""


def run(server: MockRevoxServer, *args: str, stdin: str | bytes | None = None) -> Result:
    prefix = [*SERVER_OPTIONS, *RERUN_OPTIONS, "--api-key", server.api_key]
    prefix += ["--base-url", server.base_url]
    return CliRunner().invoke(cli, [*prefix, *args], input=stdin, catch_exceptions=False)


def write_rows(path: Path, n: int) -> Path:
    path.write_text(
        "".join(json.dumps({"name": f"row-{i}", "prompt": "p"}) + "\n" for i in range(n))
    )
    return path


def names(server: MockRevoxServer) -> Counter[str]:
    return Counter(a["name"] for a in server.assistants.values())


def posts(server: MockRevoxServer) -> int:
    return sum(r.method == "POST" for r in server.requests)


def spawn(server: MockRevoxServer, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "revox_async", *SERVER_OPTIONS, "--api-key", server.api_key,
         "--base-url", server.base_url, *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def wait_for_sent(journal: Path, count: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        if journal.exists() and journal.read_text().count('"sent"') >= count:
            return
        time.sleep(0.02)
    raise AssertionError(f"the journal never recorded {count} rows sent")


# -- interruption and re-runs ----------------------------------------------------------


def test_ctrl_c_prints_the_summary_and_a_rerun_finishes_the_job(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """SIGINT: exit 130 with summary, journal and resume hint; the same command again
    creates the rest, nothing twice (against a server that ignores keys)."""
    source = write_rows(tmp_path / "in.jsonl", 40)
    journal = tmp_path / "j.jsonl"
    args = (
        "assistants",
        "create-many",
        str(source),
        "--concurrency",
        "2",
        "--journal",
        str(journal),
    )
    server.faults = FaultPlan(latency=0.2)
    process = spawn(server, *args)
    wait_for_sent(journal, 4, process)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert 130 == process.returncode, err
    assert "interrupted" in out
    assert f"journal: {journal}" in out.replace("\n", "")
    assert "run the same command again" in out
    assert f"--journal {journal}" in out.replace("\n", "")
    assert "Traceback" not in err
    assert 0 < len(server.assistants) < 40
    server.faults = FaultPlan()
    again = run(server, *args)
    assert 0 == again.exit_code, again.output
    assert 40 == len(server.assistants)
    assert {1} == set(names(server).values())


def test_ctrl_c_without_a_journal_puts_every_row_not_made_in_the_failed_file(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """--no-journal, SIGINT mid-file: the failed-rows file holds the rows never read as
    well, so the retry it suggests creates every row left, each once."""
    source = write_rows(tmp_path / "in.jsonl", 40)
    server.faults = FaultPlan(latency=0.2)
    process = spawn(server, "assistants", "create-many", str(source), "--concurrency", "2",
                    "--no-journal")  # fmt: skip
    deadline = time.monotonic() + 30
    while posts(server) < 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert 130 == process.returncode, err
    failed = tmp_path / "in.jsonl.failed.jsonl"
    assert 40 - len(server.assistants) == len(failed.read_text().splitlines())
    server.faults = FaultPlan()
    again = run(server, "assistants", "create-many", str(failed), "--no-journal")
    assert 0 == again.exit_code, again.output
    assert {f"row-{i}": 1 for i in range(40)} == dict(names(server))


def test_a_killed_run_is_finished_by_a_rerun_without_duplicates(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """SIGKILL mid-batch (rows in flight, committed by the server after the kill): the
    re-run checks them instead of sending them again."""
    source = write_rows(tmp_path / "in.jsonl", 30)
    journal = tmp_path / "j.jsonl"
    args = (
        "assistants",
        "create-many",
        str(source),
        "--concurrency",
        "4",
        "--journal",
        str(journal),
    )
    server.faults = FaultPlan(latency=0.3)
    process = spawn(server, *args)
    wait_for_sent(journal, 6, process)
    process.kill()
    process.communicate(timeout=30)
    sent_rows = {json.loads(line)["row"] for line in journal.read_text().splitlines()[1:]}
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and len(server.assistants) < len(sent_rows):
        time.sleep(0.05)  # the server finishes the requests it received before the kill
    server.faults = FaultPlan()
    # The rows in flight have an unknown outcome: the re-run waits out their window
    # (--timeout + --outcome-window, short here), then looks before sending them.
    again = run(server, "--json", "--timeout", "1", "--outcome-window", "0.1", *args)
    assert 0 == again.exit_code, again.output
    assert 30 == len(server.assistants)
    assert {1} == set(names(server).values())


def test_a_second_ctrl_c_exits_at_once(server: MockRevoxServer, tmp_path: Path) -> None:
    """Two SIGINTs: no waiting for the rows in flight; exit 130, the journal named."""
    source = write_rows(tmp_path / "in.jsonl", 10)
    journal = tmp_path / "j.jsonl"
    server.faults = FaultPlan(latency=3)  # a first Ctrl-C alone would wait this long
    process = spawn(server, "assistants", "create-many", str(source), "--journal", str(journal))
    wait_for_sent(journal, 1, process)
    process.send_signal(signal.SIGINT)
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=20)
    assert 130 == process.returncode
    assert "interrupted again" in err
    assert str(journal) in err


def test_rows_outliving_the_grace_period_are_cancelled_and_settled_by_the_rerun(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """Ctrl-C, rows in flight longer than --grace: cancelled, exit 130; the server commits
    them anyway, and the re-run finds them instead of creating them twice."""
    source = write_rows(tmp_path / "in.jsonl", 12)
    journal = tmp_path / "j.jsonl"
    args = ("assistants", "create-many", str(source), "--concurrency", "3",
            "--journal", str(journal), "--grace", "0.2")  # fmt: skip
    server.faults = FaultPlan(latency=1.5)
    process = spawn(server, *args)
    wait_for_sent(journal, 3, process)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert 130 == process.returncode, err
    assert "were cancelled" in out
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and len(server.assistants) < 3:
        time.sleep(0.05)
    server.faults = FaultPlan()
    again = run(server, "--json", *args)
    assert 0 == again.exit_code, again.output
    assert 3 == json.loads(again.output)["found_by_check"]
    assert 12 == len(server.assistants)
    assert {1} == set(names(server).values())


def test_the_default_journal_makes_a_second_run_send_nothing(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """Second run of the same command: nothing sent; it says the rows were already created."""
    source = write_rows(tmp_path / "in.jsonl", 5)
    first = run(server, "assistants", "create-many", str(source))
    assert 0 == first.exit_code, first.output
    journals = list(tmp_path.glob("in.jsonl.*.journal.jsonl"))
    assert 1 == len(journals)
    server.requests.clear()
    second = run(server, "assistants", "create-many", str(source))
    assert 0 == second.exit_code
    assert 0 == posts(server)
    assert "already created" in second.output
    assert 5 == len(server.assistants)


def test_mock_runs_keep_no_journal_so_the_readme_command_runs_twice(tmp_path: Path) -> None:
    """--mock starts an empty server each time: no default journal, so both runs create 50."""
    source = tmp_path / "assistants.jsonl"
    source.write_bytes(EXAMPLES.read_bytes())
    for _ in range(2):
        result = CliRunner().invoke(
            cli, ["--mock", "--json", "assistants", "create-many", str(source)]
        )
        assert 0 == result.exit_code, result.output
        assert 50 == json.loads(result.output)["created"]
    assert [] == list(tmp_path.glob("*journal*"))


# -- stop on what will not get better ------------------------------------------------------


def test_a_wrong_key_stops_at_once_and_exits_2(server: MockRevoxServer, tmp_path: Path) -> None:
    """50 rows, wrong key: at most `concurrency` POSTs, the rest not sent, exit 2."""
    source = write_rows(tmp_path / "in.jsonl", 50)
    result = CliRunner().invoke(
        cli, ["--api-key", "wrong", "--base-url", server.base_url, "assistants",
              "create-many", str(source), "--concurrency", "4"],
    )  # fmt: skip
    assert 2 == result.exit_code, result.output
    assert posts(server) <= 4
    assert "authentication" in result.output
    assert "not sent" in result.output


# -- the files people have -------------------------------------------------------------


def test_csv_with_dotted_headers_and_typed_cells(server: MockRevoxServer, tmp_path: Path) -> None:
    """CSV: header = fields, voice.id nests, numbers and booleans by type, JSON cells for lists."""
    source = tmp_path / "rows.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "prompt", "voice.id", "voice.provider", "voice.speed",
                         "max_call_duration_secs", "ivr_navigation_enabled", "faq_items"])  # fmt: skip
        writer.writerow(["Desk", "p", "v1", "cartesia", "1.2", "300", "true",
                         '[{"question": "q", "answer": "a"}]'])  # fmt: skip
        writer.writerow(["Night", "p", "", "", "", "", "", ""])
    result = run(server, "assistants", "create-many", str(source), "--no-journal")
    assert 0 == result.exit_code, result.output
    desk = next(a for a in server.assistants.values() if a["name"] == "Desk")
    assert {"id": "v1", "provider": "cartesia", "speed": 1.2} == desk["voice"]
    assert (300, True) == (desk["max_call_duration_secs"], desk["ivr_navigation_enabled"])
    assert "q" == desk["faq_items"][0]["question"]
    assert 2 == len(server.assistants)


def test_a_bom_and_stdin_are_read(server: MockRevoxServer, tmp_path: Path) -> None:
    """UTF-8 with BOM (Excel, Windows) parses from row 1; '-' reads stdin."""
    source = tmp_path / "bom.jsonl"
    source.write_bytes(b"\xef\xbb\xbf" + EXAMPLES.read_bytes())
    assert 0 == run(server, "assistants", "create-many", str(source), "--no-journal").exit_code
    piped = run(
        server, "assistants", "create-many", "-", stdin=write_rows(tmp_path / "x", 3).read_text()
    )
    assert 0 == piped.exit_code, piped.output
    assert 53 == len(server.assistants)


def test_the_output_of_list_json_can_be_fed_back(server: MockRevoxServer, tmp_path: Path) -> None:
    """`assistants list --json > all.json` then create-many all.json: copies, one note."""
    source = tmp_path / "in.jsonl"
    source.write_bytes(EXAMPLES.read_bytes())
    assert 0 == run(server, "assistants", "create-many", str(source), "--no-journal").exit_code
    listed = run(server, "assistants", "list", "--json")
    exported = tmp_path / "all.json"
    exported.write_text(listed.output)
    result = run(server, "assistants", "create-many", str(exported), "--no-journal")
    assert 0 == result.exit_code, result.output
    assert 1 == result.output.count("server-only fields")
    assert 100 == len(server.assistants)


def test_undecodable_input_is_one_line_and_exit_2(server: MockRevoxServer, tmp_path: Path) -> None:
    """Latin-1 bytes: one line naming the line and byte offset; nothing sent."""
    source = tmp_path / "bad.jsonl"
    source.write_bytes(b'{"name": "a", "prompt": "p"}\n{"name": "caf\xe9", "prompt": "p"}\n')
    result = run(server, "assistants", "create-many", str(source))
    assert 2 == result.exit_code
    assert "line 2 (byte 42)" in result.output
    assert "Traceback" not in result.output
    assert 0 == posts(server)


def test_failed_rows_are_kept_as_given_and_the_hint_only_when_retrying_helps(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """A non-object row is written back verbatim; validation failures get no 'retry' hint."""
    source = tmp_path / "in.jsonl"
    source.write_text('{"name": "ok", "prompt": "p"}\n[1, 2]\n"text"\n{"name": "x"}\n')
    result = run(server, "assistants", "create-many", str(source), "--no-journal")
    assert 1 == result.exit_code
    failed = (tmp_path / "in.jsonl.failed.jsonl").read_text().splitlines()
    assert ['"text"', "[1, 2]", '{"name": "x"}'] == sorted(failed)
    assert "Retry just those" not in result.output
    assert "problem with the row itself" in result.output


def test_a_failed_csv_row_is_written_back_as_csv(server: MockRevoxServer, tmp_path: Path) -> None:
    """The failed-rows file of a CSV input is CSV, header first."""
    source = tmp_path / "in.csv"
    source.write_text("name,prompt\nok,p\nmissing-prompt,\n")
    result = run(server, "assistants", "create-many", str(source), "--no-journal")
    assert 1 == result.exit_code
    failed = tmp_path / "in.csv.failed.csv"
    assert ["name,prompt,idempotency_key", "missing-prompt,"] == failed.read_text().splitlines()


def test_rows_are_numbered_alike_in_the_table_and_the_json(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """The 3rd row is row 3 in both outputs."""
    source = tmp_path / "in.jsonl"
    source.write_text('{"name": "a", "prompt": "p"}\n{"name": "b", "prompt": "p"}\n{"name": "c"}\n')
    as_json = run(server, "assistants", "create-many", str(source), "--no-journal", "--json")
    (failed,) = [r for r in json.loads(as_json.output)["results"] if r["status"] == "failed"]
    assert 3 == failed["row"]
    table = run(server, "assistants", "create-many", str(source), "--no-journal")
    assert any(
        line.split("│")[1].strip() == "3" for line in table.output.splitlines() if "prompt" in line
    )


# -- 7. the rest -------------------------------------------------------------------------


def test_json_is_accepted_after_the_subcommand(server: MockRevoxServer) -> None:
    """`assistants list --json` works like `--json assistants list`."""
    created = run(server, "assistants", "create", "--name", "n", "--prompt", "p", "--json")
    assert "n" == json.loads(created.output)["name"]
    assert 1 == len(json.loads(run(server, "assistants", "list", "--json").output))


def test_ids_are_printed_in_full(server: MockRevoxServer) -> None:
    """With --full-ids a narrow terminal still shows every id whole (shortened without)."""
    created = run(
        server, "--json", "assistants", "create", "--name", "a very long name " * 4, "--prompt", "p"
    )
    aid = json.loads(created.output)["id"]
    result = CliRunner(env={"COLUMNS": "60"}).invoke(
        cli, ["--api-key", server.api_key, "--base-url", server.base_url, "assistants", "list",
              "--full-ids"]
    )  # fmt: skip
    assert aid in result.output


def test_mock_serve_shares_state_between_commands(tmp_path: Path) -> None:
    """`mock serve` runs in the foreground; two --base-url commands see the same server."""
    process = subprocess.Popen(
        [sys.executable, "-m", "revox_async", "mock", "serve", "--port", "0", "--key", "k"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        base_url = first.split()[4]
        env: dict[str, Any] = {"REVOX_API_KEY": "k", "REVOX_BASE_URL": base_url}
        runner = CliRunner(env=env)
        assert (
            0
            == runner.invoke(
                cli, ["assistants", "create", "--name", "kept", "--prompt", "p"]
            ).exit_code
        )
        listed = runner.invoke(cli, ["--json", "assistants", "list"])
        assert ["kept"] == [a["name"] for a in json.loads(listed.output)]
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=20)
    assert 0 == process.returncode


def test_python_dash_m_still_runs_the_command() -> None:
    """The package moved to revox_async.cli; `python -m revox_async --version` still works."""
    result = subprocess.run(
        [sys.executable, "-m", "revox_async", "--version"],
        capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ},
    )  # fmt: skip
    assert 0 == result.returncode
    assert "revox-async" in result.stdout


# -- smaller edges -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.jsonl"], "does not exist"),
        (["{src}", "--journal", "j", "--no-journal"], "exclude each other"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(
    server: MockRevoxServer, tmp_path: Path, args: list[str], message: str
) -> None:
    """A missing file, or contradictory journal options: one line, exit 2."""
    source = write_rows(tmp_path / "in.jsonl", 1)
    result = run(server, "assistants", "create-many", *(a.format(src=source) for a in args))
    assert 2 == result.exit_code
    assert message in result.output


def test_a_journal_from_another_server_is_refused(server: MockRevoxServer, tmp_path: Path) -> None:
    """--journal naming another server's journal: refused in one line, nothing sent."""
    source = write_rows(tmp_path / "in.jsonl", 1)
    journal = tmp_path / "j.jsonl"
    journal.write_text(
        '{"revox_async_journal": 1, "base_url": "https://x/api", "started_at": "2026-01-01T00:00:00+00:00"}\n'
    )
    result = run(server, "assistants", "create-many", str(source), "--journal", str(journal))
    assert 2 == result.exit_code
    assert "https://x/api" in result.output
    assert 0 == posts(server)


def test_undecodable_stdin_stops_with_exit_2(server: MockRevoxServer) -> None:
    """Stdin cannot be checked ahead: the rows before the bad line are created, then exit 2."""
    data = b'{"name": "a", "prompt": "p"}\n\xff\xfe\n'
    result = run(server, "assistants", "create-many", "-", stdin=data)
    assert 2 == result.exit_code
    assert "line 2" in result.output
    assert 1 == len(server.assistants)


def test_a_json_array_with_failures_is_written_back_as_an_array(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """Array in, array of failed rows out; a row refused by the server keeps its key."""
    source = tmp_path / "rows.json"
    source.write_text(json.dumps([{"name": "a", "prompt": "p"}, {"name": "b", "prompt": "p"}, 7]))
    server.fail_next("status", status=400)
    result = run(
        server, "assistants", "create-many", str(source), "--concurrency", "1", "--no-journal"
    )
    assert 1 == result.exit_code
    failed = json.loads((tmp_path / "rows.json.failed.json").read_text())
    assert 7 in failed
    (refused,) = [row for row in failed if isinstance(row, dict)]
    assert "a" == refused["name"]
    assert refused["idempotency_key"].startswith("revox-async-")


def test_a_refused_csv_row_gets_its_key_as_a_column(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """CSV rows that were sent keep their key in an idempotency_key column."""
    source = tmp_path / "in.csv"
    source.write_text("name,prompt\na,p\n")
    server.fail_next("status", status=400)
    result = run(server, "assistants", "create-many", str(source), "--no-journal")
    assert 1 == result.exit_code
    header, row = (tmp_path / "in.csv.failed.csv").read_text().splitlines()
    assert "name,prompt,idempotency_key" == header
    assert row.startswith("a,p,revox-async-")


def test_a_server_failure_offers_a_retry(server: MockRevoxServer, tmp_path: Path) -> None:
    """A retryable failure without a journal: the hint to retry the failed-rows file."""
    source = write_rows(tmp_path / "in.jsonl", 1)
    server.faults = FaultPlan(error_rate=1.0, error_statuses=(429,), methods=frozenset({"POST"}))
    result = run(
        server, "--max-retries", "0", "assistants", "create-many", str(source), "--no-journal"
    )
    assert 1 == result.exit_code
    assert "Retry just those" in result.output


def test_an_empty_file_creates_nothing(server: MockRevoxServer, tmp_path: Path) -> None:
    """An empty input is not an error: a warning on stderr, the JSON counts on stdout."""
    source = tmp_path / "empty.jsonl"
    source.write_text("")
    result = run(server, "--json", "assistants", "create-many", str(source), "--no-journal")
    assert 0 == result.exit_code
    assert 0 == json.loads(result.stdout)["created"]
    assert "holds no row" in result.stderr


def test_a_broken_json_array_is_exit_2(server: MockRevoxServer, tmp_path: Path) -> None:
    """'[' then garbage: one line, exit 2."""
    source = tmp_path / "rows.json"
    source.write_text('[{"name": ')
    result = run(server, "assistants", "create-many", str(source), "--no-journal")
    assert 2 == result.exit_code
    assert "not a JSON array" in result.output


def test_text_from_the_rows_and_the_server_is_not_read_as_markup(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """A row named "[/]" and a server error quoting "[b]x[/]": shown as sent, no crash."""
    source = tmp_path / "in.jsonl"
    row = {"name": "[/]", "prompt": "p", "voice": {"id": "v1", "provider": "[b]x[/]"}}
    source.write_text(json.dumps(row) + "\n")
    result = run(server, "assistants", "create-many", str(source), "--no-journal")
    assert 1 == result.exit_code
    assert "'[b]x[/]'" in result.stdout
    assert "│ [/]  │" in result.stdout


def test_a_journal_on_a_full_disk_is_named_and_no_row_goes_unrecorded(
    server: MockRevoxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The journal cannot take a row's record (a full disk): exit 1 with an error naming
    the journal, and no row was sent without its record."""
    journal = tmp_path / "j.jsonl"
    fill_disk_at(monkeypatch, b'"state": "sent"')
    rows = write_rows(tmp_path / "rows.jsonl", 3)
    result = run(server, "assistants", "create-many", str(rows), "--journal", str(journal))
    monkeypatch.undo()
    said = "".join(result.output.split())
    assert (1, 0) == (result.exit_code, posts(server))
    assert f"error:[Errno28]Nospaceleftondevice:'{journal}'" in said
