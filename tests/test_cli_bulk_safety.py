"""create-many made safe for operators: one run per journal, outputs that never clobber
inputs, a look before dialling, repeat numbers, summaries that say what to run."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from revox_async.cli._app import cli
from revox_async.testing import FaultPlan, MockRevoxServer
from revox_async.testing._assistants import new_assistant as _new_assistant

HOLD = (
    "import sys; from pathlib import Path; from revox_async._journal import Journal; "
    "j = Journal.open(Path(sys.argv[1]), base_url=sys.argv[2], kind=sys.argv[3]); "
    "print('held', flush=True); sys.stdin.read()"
)


@pytest.fixture
def server() -> Iterator[MockRevoxServer]:
    with MockRevoxServer(api_key="cli-key", idempotency="ignore") as mock:
        made = _new_assistant({"name": "Caller", "prompt": "p"}, mock.now)
        mock.assistants["asst_cli"] = {**made, "id": "asst_cli"}
        yield mock


def run(server: MockRevoxServer, *args: str, stdin: str | None = None) -> Result:
    prefix = ["--api-key", server.api_key, "--base-url", server.base_url]
    return CliRunner().invoke(cli, [*prefix, *args], input=stdin, catch_exceptions=False)


def write_rows(path: Path, n: int) -> Path:
    path.write_text(
        "".join(json.dumps({"name": f"row-{i}", "prompt": "p"}) + "\n" for i in range(n))
    )
    return path


def write_contacts(path: Path, *numbers: str) -> Path:
    path.write_text(
        "phone_number,first_name\n" + "".join(f"{n},Ada-{i}\n" for i, n in enumerate(numbers))
    )
    return path


def made(server: MockRevoxServer) -> Counter[str]:
    """The assistants the runs created, by name (the seeded caller left out)."""
    return Counter(a["name"] for a in server.assistants.values() if a["id"] != "asst_cli")


def posts(server: MockRevoxServer) -> int:
    return sum(r.method == "POST" for r in server.requests)


def one_line(text: str) -> str:
    return " ".join(text.split())


def spawn(server: MockRevoxServer, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "revox_async", "--api-key", server.api_key,
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


@pytest.fixture
def holder(server: MockRevoxServer, tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the journal ``tmp_path / "j.jsonl"`` until killed."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path / "j.jsonl"), server.base_url, "assistants"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        assert "held" == process.stdout.readline().strip()
        yield process
    finally:
        process.kill()
        process.communicate(timeout=30)


# -- one run per journal -------------------------------------------------------------------


def test_a_second_run_on_a_held_journal_exits_2_naming_the_holder(
    server: MockRevoxServer, tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    """Another process has the journal: one line naming it and the pid, exit 2, no POST."""
    source = write_rows(tmp_path / "in.jsonl", 3)
    result = run(server, "assistants", "create-many", str(source), "--journal",
                 str(tmp_path / "j.jsonl"))  # fmt: skip
    assert 2 == result.exit_code, result.output
    assert f"pid {holder.pid}" in one_line(result.output)
    assert str(tmp_path / "j.jsonl") in one_line(result.output)
    assert "Traceback" not in result.output
    assert 0 == posts(server)


def test_after_the_holder_is_killed_the_next_run_proceeds(
    server: MockRevoxServer, tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    """SIGKILL the holder: its lock is gone with it; the same command creates every row."""
    holder.kill()
    holder.communicate(timeout=30)
    source = write_rows(tmp_path / "in.jsonl", 3)
    result = run(server, "assistants", "create-many", str(source), "--journal",
                 str(tmp_path / "j.jsonl"))  # fmt: skip
    assert 0 == result.exit_code, result.output
    assert 3 == len(made(server))


def test_two_overlapping_runs_of_one_command_create_each_row_once(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """An overlapping cron job: the second run of the same command refuses at once."""
    source = write_rows(tmp_path / "in.jsonl", 12)
    journal = tmp_path / "j.jsonl"
    args = ("assistants", "create-many", str(source), "--concurrency", "2",
            "--journal", str(journal))  # fmt: skip
    server.faults = FaultPlan(latency=0.3)
    first = spawn(server, *args)
    try:
        wait_for_sent(journal, 1, first)
        second = run(server, *args)
    finally:
        _, err = first.communicate(timeout=60)
    assert 2 == second.exit_code, second.output
    assert f"pid {first.pid}" in one_line(second.output)
    assert 0 == first.returncode, err
    assert {1} == set(made(server).values())
    assert 12 == len(made(server))


# -- outputs never clobber inputs ------------------------------------------------------


@pytest.mark.parametrize("how", ["same string", "dot slash", "symlink", "hard link"])
def test_failed_out_naming_the_input_is_refused_before_anything(
    server: MockRevoxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """--failed-out that is the input (however named): exit 2, nothing sent, input intact."""
    monkeypatch.chdir(tmp_path)
    source = write_rows(tmp_path / "in.jsonl", 5)
    before = source.read_bytes()
    target = {"same string": "in.jsonl", "dot slash": "./in.jsonl"}.get(how, "other.jsonl")
    if how == "symlink":
        (tmp_path / "other.jsonl").symlink_to(source)
    elif how == "hard link":
        os.link(source, tmp_path / "other.jsonl")
    server.faults = FaultPlan(error_rate=1.0, error_statuses=(400,), methods=frozenset({"POST"}))
    result = run(server, "assistants", "create-many", "in.jsonl", "--failed-out", target)
    assert 2 == result.exit_code, result.output
    assert "is the input file" in one_line(result.output)
    assert 0 == posts(server)
    assert before == source.read_bytes()
    assert [] == list(tmp_path.glob("*journal*"))


def test_failed_out_naming_the_input_in_a_real_process(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """As an operator types it: `create-many in.csv --failed-out in.csv` keeps in.csv."""
    source = write_contacts(tmp_path / "in.csv", "+33612000001", "+33612000002")
    before = source.read_bytes()
    process = spawn(server, "calls", "create-many", str(source), "--assistant-id", "asst_cli",
                    "--failed-out", str(source))  # fmt: skip
    out, err = process.communicate(timeout=60)
    assert 2 == process.returncode, out + err
    assert "Traceback" not in err
    assert before == source.read_bytes()
    assert 0 == len(server.calls)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--journal", "{src}"], "--journal"),
        (["--journal", "j.jsonl", "--failed-out", "./j.jsonl"], "is the journal"),
        (["--journal", "j.jsonl", "--failed-out", "j.jsonl.lock"], "is its lock note"),
    ],
)
def test_a_journal_naming_the_input_or_an_output_naming_the_journal_is_refused(
    server: MockRevoxServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    options: list[str],
    message: str,
) -> None:
    """The journal and its lock note are written: neither may be the input or the
    failed-rows file."""
    monkeypatch.chdir(tmp_path)
    source = write_rows(tmp_path / "in.jsonl", 2)
    before = source.read_bytes()
    result = run(server, "assistants", "create-many", "in.jsonl",
                 *(o.format(src=source) for o in options))  # fmt: skip
    assert 2 == result.exit_code, result.output
    assert message in one_line(result.output)
    assert 0 == posts(server)
    assert before == source.read_bytes()


def test_a_journal_whose_lock_note_is_the_input_is_refused(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """The holder's note `<journal>.lock` is written too: it may not be the input either."""
    source = write_rows(tmp_path / "rows.lock", 2)
    result = run(server, "assistants", "create-many", str(source), "--journal",
                 str(tmp_path / "rows"))  # fmt: skip
    assert 2 == result.exit_code, result.output
    assert "is the input file" in one_line(result.output)
    assert ["rows.lock"] == [p.name for p in tmp_path.iterdir()]


def test_the_failed_rows_file_is_replaced_not_rewritten_in_place(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """The new failed-rows file is renamed over the old one: a link to the old keeps it whole."""
    source = tmp_path / "in.jsonl"
    source.write_text('{"name": "x"}\n')
    failed = tmp_path / "in.jsonl.failed.jsonl"
    failed.write_text("an earlier run's rows\n")
    os.link(failed, tmp_path / "kept")
    result = run(server, "assistants", "create-many", str(source), "--no-journal")
    assert 1 == result.exit_code
    assert ["x"] == [json.loads(line)["name"] for line in failed.read_text().splitlines()]
    assert "an earlier run's rows\n" == (tmp_path / "kept").read_text()
    assert [] == list(tmp_path.glob(".*.tmp"))


def test_failed_rows_are_written_in_input_order(server: MockRevoxServer, tmp_path: Path) -> None:
    """Invalid rows fail at once, refused rows after a request: the file is in input order."""
    source = tmp_path / "in.jsonl"
    rows = [{"name": f"r{i}", "prompt": "p"} if i % 2 == 0 else {"name": f"r{i}"} for i in range(8)]
    source.write_text("".join(json.dumps(row) + "\n" for row in rows))
    server.faults = FaultPlan(
        latency=0.05, error_rate=1.0, error_statuses=(400,), methods=frozenset({"POST"})
    )
    result = run(server, "assistants", "create-many", str(source), "--no-journal",
                 "--concurrency", "4")  # fmt: skip
    assert 1 == result.exit_code
    written = (tmp_path / "in.jsonl.failed.jsonl").read_text().splitlines()
    assert [f"r{i}" for i in range(8)] == [json.loads(line)["name"] for line in written]


# -- files that cannot be read, empty files --------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "line"),
    [
        ("rows.json", '[{"name": "a", "prompt": "p"},\n {"name": ', "line 2"),
        ("rows.csv", "name,prompt\na,p\nb," + "x" * 200_000 + "\n", "line 3"),
    ],
)
def test_an_unreadable_file_fails_before_any_journal_or_output(
    server: MockRevoxServer, tmp_path: Path, name: str, content: str, line: str
) -> None:
    """A broken JSON array or CSV: exit 2 naming the line; no journal, no failed-rows file."""
    source = tmp_path / name
    source.write_text(content)
    result = run(server, "assistants", "create-many", str(source))
    assert 2 == result.exit_code, result.output
    assert line in result.output
    assert [name] == [p.name for p in tmp_path.iterdir()]
    assert 0 == posts(server)


@pytest.mark.parametrize(("name", "content"), [("e.jsonl", ""), ("e.csv", "name,prompt\n")])
def test_an_empty_file_warns_and_writes_no_journal(
    server: MockRevoxServer, tmp_path: Path, name: str, content: str
) -> None:
    """No row: a warning on stderr, exit 0, and no default journal left behind."""
    source = tmp_path / name
    source.write_text(content)
    result = run(server, "assistants", "create-many", str(source))
    assert 0 == result.exit_code
    assert "holds no row" in result.stderr
    assert [name] == [p.name for p in tmp_path.iterdir()]


def test_empty_stdin_warns_and_writes_no_journal(server: MockRevoxServer, tmp_path: Path) -> None:
    """Stdin with no row and --journal: the warning, and the journal never created."""
    journal = tmp_path / "j.jsonl"
    result = run(server, "assistants", "create-many", "-", "--journal", str(journal), stdin="")
    assert 0 == result.exit_code
    assert "stdin holds no row" in result.stderr
    assert not journal.exists()


def test_a_csv_text_cell_that_looks_like_json_stays_text(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """`[1]` in name and `{"a": 1}` in prompt are text; a list field's cell is still JSON."""
    source = tmp_path / "in.csv"
    source.write_text('name,prompt,after_call_sms_outcomes\n[1],"{""a"": 1}","[""interested""]"\n')
    result = run(server, "assistants", "create-many", str(source), "--no-journal")
    assert 0 == result.exit_code, result.output
    (created,) = [a for a in server.assistants.values() if a["id"] != "asst_cli"]
    assert ("[1]", '{"a": 1}') == (created["name"], created["prompt"])
    assert ["interested"] == created["after_call_sms_outcomes"]


ASSISTANT_ID = {"assistants": (), "calls": ("--assistant-id", "asst_cli")}


@pytest.mark.parametrize("command", ["assistants", "calls"])
def test_a_csv_header_naming_a_column_twice_is_refused_before_anything(
    server: MockRevoxServer, tmp_path: Path, command: str
) -> None:
    """`name,prompt,name`: exit 2 naming the file and the column; nothing sent or written."""
    source = tmp_path / "in.csv"
    source.write_text("phone_number,name,prompt,name\n+33612000001,a,p,b\n")
    result = run(server, command, "create-many", str(source), *ASSISTANT_ID[command])
    assert 2 == result.exit_code, result.output
    expected = f"{source}: line 1: the header names the column 'name' more than once"
    assert expected in one_line(result.output)
    assert [source.name] == [p.name for p in tmp_path.iterdir()]
    assert 0 == posts(server)


def test_a_csv_header_naming_a_column_twice_on_stdin_is_refused(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """From stdin too: exit 2 naming the column, nothing sent."""
    result = run(server, "assistants", "create-many", "-", stdin="name,prompt,name\na,p,b\n")
    assert 2 == result.exit_code, result.output
    assert "the header names the column 'name' more than once" in one_line(result.output)
    assert 0 == posts(server)


@pytest.mark.parametrize("command", ["assistants", "calls"])
def test_a_json_lines_line_that_is_not_json_fails_naming_file_and_line(
    server: MockRevoxServer, tmp_path: Path, command: str
) -> None:
    """A broken line fails as its own row, its error the file, the line and what is wrong."""
    source = tmp_path / "in.jsonl"
    good = {"name": "a", "prompt": "p"} if command == "assistants" else {"phone_number": "+336"}
    source.write_text(json.dumps(good) + "\n{broken\n")
    result = run(server, "--json", command, "create-many", str(source), "--no-journal",
                 *ASSISTANT_ID[command])  # fmt: skip
    assert 1 == result.exit_code, result.output
    rows = json.loads(result.stdout)["results"]
    (error,) = [row["error"] for row in rows if row["status"] == "failed"]
    what = "Expecting property name enclosed in double quotes at column 2"
    assert f"{source}: line 2: not JSON: {what}" == error


def test_a_json_lines_line_nested_too_deeply_fails_as_its_own_row(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """A line of 100,000 nested lists: its row fails naming file and line, no traceback."""
    source = tmp_path / "in.jsonl"
    deep = '{"name": ' + "[" * 100_000 + "]" * 100_000 + "}"
    source.write_text(json.dumps({"name": "a", "prompt": "p"}) + "\n" + deep + "\n")
    result = run(server, "--json", "assistants", "create-many", str(source), "--no-journal")
    assert 1 == result.exit_code, result.output
    rows = json.loads(result.stdout)["results"]
    (error,) = [row["error"] for row in rows if row["status"] == "failed"]
    assert f"{source}: line 2: nested too deeply to read" == error


def test_journal_with_mock_is_refused_as_it_could_never_resume(tmp_path: Path) -> None:
    """Each --mock run has a new server: --journal is a usage error, nothing written."""
    source = write_rows(tmp_path / "in.jsonl", 2)
    journal = tmp_path / "j.jsonl"
    result = CliRunner().invoke(
        cli, ["--mock", "assistants", "create-many", str(source), "--journal", str(journal)]
    )
    assert 2 == result.exit_code, result.output
    assert "--journal cannot resume a --mock run" in one_line(result.output)
    assert [source.name] == [p.name for p in tmp_path.iterdir()]


def test_the_journal_help_names_the_default_actually_used(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """--help describes the name the default journal gets: FILE.<8 hex digits>.journal.jsonl."""
    helped = CliRunner().invoke(cli, ["assistants", "create-many", "--help"])
    assert "FILE.<8 hex digits naming the server>.journal.jsonl" in one_line(helped.output)
    source = write_rows(tmp_path / "in.jsonl", 1)
    assert 0 == run(server, "assistants", "create-many", str(source)).exit_code
    (journal,) = tmp_path.glob("*.journal.jsonl")
    assert re.fullmatch(r"in\.jsonl\.[0-9a-f]{8}\.journal\.jsonl", journal.name)


# -- the summary says what to run ------------------------------------------------------------


def test_the_retry_hint_after_a_mock_run_keeps_mock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--mock --mock-faults 1 --max-retries 0`: the hint repeats those options."""
    monkeypatch.chdir(tmp_path)
    Path("in.jsonl").write_text('{"name": "a", "prompt": "p"}\n{"name": "b", "prompt": "p"}\n')
    result = CliRunner().invoke(
        cli, ["--mock", "--mock-faults", "1", "--max-retries", "0",
              "assistants", "create-many", "in.jsonl", "--concurrency", "1"],
    )  # fmt: skip
    assert 1 == result.exit_code, result.output
    hint = one_line(result.output)
    assert (
        "revox-async --mock --mock-faults 1.0 --max-retries 0 assistants create-many "
        "in.jsonl.failed.jsonl --concurrency 1"
    ) in hint


def test_the_resume_hint_repeats_the_options_but_never_the_key(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """With a journal: "run the same command again" names --base-url and every option given;
    the API key is never printed."""
    source = tmp_path / "in.jsonl"
    source.write_text('{"name": "x"}\n')
    journal = tmp_path / "j.jsonl"
    result = run(server, "assistants", "create-many", str(source), "--journal", str(journal),
                 "--grace", "3")  # fmt: skip
    assert 1 == result.exit_code
    hint = one_line(result.output)
    assert (
        f"revox-async --base-url {server.base_url} assistants create-many {source} "
        f"--journal {journal} --grace 3.0"
    ) in hint
    assert server.api_key not in result.output


def test_ctrl_c_with_rows_in_flight_counts_them_unknown_and_says_the_rerun_checks_them(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """Rows cancelled after --grace: the summary counts them and says the re-run checks
    them first; the re-run (same command, at once) places every call once."""
    numbers = [f"+336120000{i:02d}" for i in range(9)]
    source = write_contacts(tmp_path / "c.csv", *numbers)
    journal = tmp_path / "j.jsonl"
    args = ("calls", "create-many", str(source), "--assistant-id", "asst_cli", "--concurrency",
            "3", "--journal", str(journal), "--grace", "0.1")  # fmt: skip
    server.faults = FaultPlan(latency=1.5)
    process = spawn(server, *args)
    wait_for_sent(journal, 3, process)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert 130 == process.returncode, err
    said = one_line(out)
    assert "3 row(s) with an unknown outcome" in said
    assert "first checks the 3 row(s) whose outcome is unknown" in said
    assert f"--base-url {server.base_url}" in said
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and len(server.calls) < 3:
        time.sleep(0.05)  # the server finishes the requests it received
    server.faults = FaultPlan()
    # The re-run waits out what may remain of the cancelled attempts (short here), then looks.
    again = run(server, "--timeout", "2", "--outcome-window", "0.05", *args)
    assert 0 == again.exit_code, again.output
    assert Counter(numbers) == Counter(c["to_phone_number"] for c in server.calls.values())


# -- look before you dial ----------------------------------------------------------------


def test_a_dry_run_checks_every_row_and_each_assistant_once_and_sends_nothing(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """Good rows: what would be sent, one GET per distinct assistant, no POST, no file."""
    source = tmp_path / "c.jsonl"
    rows = [{"phone_number": f"+3361200000{i}", "assistant_id": "asst_cli"} for i in range(4)]
    source.write_text("".join(json.dumps(row) + "\n" for row in rows))
    result = run(server, "calls", "create-many", str(source), "--dry-run")
    assert 0 == result.exit_code, result.output
    assert 4 == result.output.count("POST /call")
    assert "+33612000003" in result.output
    assert 0 == posts(server)
    assert 1 == sum(r.path.endswith("/assistants/asst_cli") for r in server.requests)
    assert ["c.jsonl"] == [p.name for p in tmp_path.iterdir()]


def test_a_dry_run_names_each_bad_row_and_exits_1(server: MockRevoxServer, tmp_path: Path) -> None:
    """A row without a number, an unknown assistant, a repeated number: each named; --json."""
    source = tmp_path / "c.jsonl"
    source.write_text(
        json.dumps({"phone_number": "+33612000001"}) + "\n"
        + json.dumps({"assistant_id": "asst_cli"}) + "\n"
        + json.dumps({"phone_number": "+33612000002", "assistant_id": "asst_gone"}) + "\n"
        + json.dumps({"phone_number": "+33 6 12 00 00 01"}) + "\n"
        + "{broken\n"
        + json.dumps({"phone_number": "+33612000003", "assistant_id": ".."}) + "\n"
        + json.dumps({"phone_number": "+33612000004",
                      "metadata": {"revox_async_key": "mine"}}) + "\n"
        + "[7]\n"
    )  # fmt: skip
    result = run(server, "--json", "calls", "create-many", str(source), "--assistant-id",
                 "asst_cli", "--dry-run")  # fmt: skip
    assert 1 == result.exit_code, result.output
    report = json.loads(result.stdout)
    assert [True] + [False] * 7 == [row["ok"] for row in report["rows"]]
    errors = [row.get("error", "") for row in report["rows"]]
    assert "phone_number" in errors[1]
    assert "asst_gone" in errors[2]
    assert "also row 1" in errors[3]
    assert f"{source}: line 5: not JSON: " in errors[4]
    assert "'..' is not a valid id" in errors[5]
    assert "metadata.revox_async_key: reserved" in errors[6]
    assert "expected an object" in errors[7]
    assert (1, 7, 3) == (report["ready"], report["refused"], report["assistants_checked"])
    assert 0 == posts(server)


def test_a_dry_run_prints_refused_rows_in_text_too(server: MockRevoxServer, tmp_path: Path) -> None:
    """Without --json: one line per row, a refused row says why (the number again, its +
    dropped), then the counts."""
    source = write_contacts(tmp_path / "c.csv", "+33612000001", "33612000001")
    result = run(server, "calls", "create-many", str(source), "--assistant-id", "asst_cli",
                 "--dry-run")  # fmt: skip
    assert 1 == result.exit_code
    lines = result.output.splitlines()
    assert lines[0].startswith("row 1: POST /call ")
    assert lines[1].startswith("row 2: refused: phone_number: 33612000001 (as dialled)")
    assert "1 row(s) would be sent, 1 refused" in lines[2]


def test_the_same_number_twice_in_a_file_is_refused_before_any_call(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """`+33 6 12 00 00 00`, `+33612000000` and `33612000000` (a spreadsheet dropped its +):
    exit 2 naming the rows and the number."""
    source = write_contacts(tmp_path / "c.csv", "+33612000009", "+33 6 12 00 00 00",
                            "+33612000000", "33612000000")  # fmt: skip
    result = run(server, "calls", "create-many", str(source), "--assistant-id", "asst_cli")
    assert 2 == result.exit_code, result.output
    assert "rows 2, 3, 4 call 33612000000" in one_line(result.output)
    assert 0 == posts(server)
    assert ["c.csv"] == [p.name for p in tmp_path.iterdir()]


def test_allow_repeat_numbers_calls_a_number_once_per_row(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """With the flag, each row is a call: two to the same number, on purpose."""
    source = write_contacts(tmp_path / "c.csv", "+33612000000", "+33612000000")
    result = run(server, "calls", "create-many", str(source), "--assistant-id", "asst_cli",
                 "--allow-repeat-numbers")  # fmt: skip
    assert 0 == result.exit_code, result.output
    assert 2 == len(server.calls)


def test_a_repeat_on_stdin_is_refused_at_its_row(server: MockRevoxServer, tmp_path: Path) -> None:
    """Stdin cannot be read ahead: the batch refuses the repeated row as it comes."""
    rows = "phone_number,first_name\n+33612000000,a\n+33 6 12 00 00 00,b\n+33612000001,c\n"
    result = run(server, "--json", "calls", "create-many", "-", "--assistant-id", "asst_cli",
                 "--failed-out", str(tmp_path / "f.csv"), stdin=rows)  # fmt: skip
    assert 1 == result.exit_code, result.output
    failed = [r for r in json.loads(result.stdout)["results"] if r["status"] == "failed"]
    assert [2] == [r["row"] for r in failed]
    assert "phone_number" in failed[0]["error"]
    assert 2 == len(server.calls)
