"""The revox-async command, end to end against the mock server."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from revox_async.cli._app import cli
from revox_async.testing import FaultPlan, MockRevoxServer

EXAMPLES = Path(__file__).parent.parent / "examples" / "assistants.jsonl"


@pytest.fixture
def server(revox_mock: MockRevoxServer) -> MockRevoxServer:
    """The shipped plugin's mock server, emptied for each test."""
    return revox_mock


SERVER_OPTIONS = ("--outcome-window", "0.05")
"""A lost answer is looked for after 50 ms, not a whole timeout: the mock is done by then."""


def run(server: MockRevoxServer | None, *args: str) -> Result:
    prefix = (
        [*SERVER_OPTIONS, "--api-key", server.api_key, "--base-url", server.base_url]
        if server
        else []
    )
    return CliRunner().invoke(cli, [*prefix, *args], catch_exceptions=False)


def test_the_examples_are_fifty_varied_valid_assistants() -> None:
    """examples/assistants.jsonl: 50 rows, both providers, every llm_model variant."""
    rows = [json.loads(line) for line in EXAMPLES.read_text().splitlines()]
    assert 50 == len(rows)
    assert 50 == len({row["name"] for row in rows})
    assert {"cartesia", "elevenlabs"} == {row["voice"]["provider"] for row in rows}
    assert {"dedicated-instance", "openrouter"} == {
        row["llm_model"]["type"] for row in rows if "llm_model" in row
    }


@pytest.mark.parametrize("assistant_id", ["..", ".", ""])
def test_an_id_that_cannot_be_one_segment_exits_2(
    server: MockRevoxServer, assistant_id: str
) -> None:
    """`assistants delete ..` sends nothing and exits 2 naming the id; it used to delete /api/."""
    result = CliRunner().invoke(
        cli,
        [
            "--api-key",
            server.api_key,
            "--base-url",
            server.base_url,
            "assistants",
            "delete",
            assistant_id,
            "--yes",
        ],
    )
    assert 2 == result.exit_code
    assert "assistant_id" in result.output
    assert [] == server.requests


def test_create_many_the_examples(server: MockRevoxServer, tmp_path: Path) -> None:
    """All 50 created; a summary table; exit 0; no failed-rows file."""
    source = tmp_path / "assistants.jsonl"
    source.write_bytes(EXAMPLES.read_bytes())
    result = run(server, "assistants", "create-many", str(source), "--concurrency", "4")
    assert 0 == result.exit_code, result.output
    assert "created" in result.output
    assert 50 == len(server.assistants)
    assert not (tmp_path / "assistants.jsonl.failed.jsonl").exists()


def test_failed_rows_can_be_fed_back_without_duplicates(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """Faults → exit 1 and a failed-rows file; re-running it creates each row exactly once."""
    # Opted in: a failed row carries its key, and an assistant has no trace of it to look
    # for; only a server honouring keys makes the re-run of a committed row safe (a journal
    # is what settles it on one that does not: docs/bulk.md).
    server.idempotency = "honour"
    source = tmp_path / "in.jsonl"
    source.write_text(EXAMPLES.read_text() + "{not json\n")
    server.faults = FaultPlan(
        seed=5, error_rate=0.2, error_statuses=(500,), commit_then_fail_rate=0.2, drop_rate=0.1
    )
    failed_path = tmp_path / "failed.jsonl"
    first = run(
        server, "--max-retries", "0", "assistants", "create-many", str(source),
        "--failed-out", str(failed_path),
    )  # fmt: skip
    assert 1 == first.exit_code, first.output
    failed_rows = failed_path.read_text().splitlines()
    assert "{not json" in failed_rows
    assert 1 < len(failed_rows) < 51
    server.faults = FaultPlan()
    failed_path.write_text("\n".join(r for r in failed_rows if r != "{not json") + "\n")
    second = run(server, "--json", "assistants", "create-many", str(failed_path))
    assert 0 == second.exit_code, second.output
    summary = json.loads(second.output)
    assert (len(failed_rows) - 1, 0) == (summary["created"], summary["failed"])
    names = Counter(a["name"] for a in server.assistants.values())
    assert 50 == len(names)
    assert {1} == set(names.values())  # a commit-then-fail row was not created twice


def test_a_json_array_file_and_json_output(server: MockRevoxServer, tmp_path: Path) -> None:
    """A JSON array works too; --json prints one result per row."""
    source = tmp_path / "rows.json"
    source.write_text(
        json.dumps([{"name": "a", "prompt": "p"}, {"name": "b", "prompt": "p", "voice": {}}])
    )
    result = run(server, "--json", "assistants", "create-many", str(source))
    assert 1 == result.exit_code
    summary = json.loads(result.output)
    assert (1, 1) == (summary["created"], summary["failed"])
    by_row = {result["row"]: result for result in summary["results"]}  # in completion order
    assert "voice.id" in by_row[2]["error"]
    assert Path(summary["failed_file"]).exists()


def test_single_operations(server: MockRevoxServer) -> None:
    """create → get → update (with --null) → list → delete, human and --json."""
    created = run(
        server, "--json", "assistants", "create", "--name", "Desk", "--prompt", "p",
        "--set", 'voice={"id": "v", "provider": "cartesia"}', "--set", "voicemail_message=Call back",
    )  # fmt: skip
    assert 0 == created.exit_code, created.output
    assistant: dict[str, Any] = json.loads(created.output)
    aid = assistant["id"]
    assert "Call back" == assistant["voicemail_message"]

    shown = run(server, "assistants", "get", aid)
    assert 0 == shown.exit_code
    assert "Desk" in shown.output

    updated = run(
        server,
        "--json",
        "assistants",
        "update",
        aid,
        "--set",
        "name=Night",
        "--null",
        "voicemail_message",
    )
    assert 0 == updated.exit_code, updated.output
    assert {"name": "Night", "voicemail_message": None} == server.requests[-1].body

    listed = run(server, "assistants", "list")
    assert "Night" in listed.output
    assert aid in json.loads(run(server, "--json", "assistants", "list").output)[0]["id"]

    assert 0 == run(server, "assistants", "delete", aid, "--yes").exit_code
    assert {} == server.assistants


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["assistants", "get", "missing"], 1, "404"),
        (
            ["assistants", "create", "--name", "n", "--prompt", "p", "--set", "voice={}"],
            2,
            "voice.id",
        ),
        (["assistants", "create", "--name", "n", "--prompt", "p", "--set", "oops"], 2, "KEY=VALUE"),
        (["assistants", "update", "x"], 2, "nothing to update"),
    ],
)
def test_errors_are_messages_with_exit_codes(
    server: MockRevoxServer, args: list[str], code: int, message: str
) -> None:
    """Expected errors: a one-line message, no traceback, exit 1 (API) or 2 (usage)."""
    result = run(server, *args)
    assert code == result.exit_code
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_misspelt_field_suggests_the_right_one_and_no_python(server: MockRevoxServer) -> None:
    """--set promtp=...: the SDK's suggestion, without its Python-only extra_body advice."""
    result = run(
        server, "assistants", "create", "--name", "n", "--prompt", "p", "--set", "promtp=x"
    )
    expected = "error: unknown parameter 'promtp'; did you mean 'prompt'?"
    assert (2, expected) == (result.exit_code, result.output.strip())


def test_a_wrong_key_is_exit_2(server: MockRevoxServer) -> None:
    """Auth errors are usage errors: exit 2 with a hint."""
    result = CliRunner().invoke(
        cli, ["--api-key", "bad", "--base-url", server.base_url, "assistants", "list"]
    )
    assert 2 == result.exit_code
    assert "REVOX_API_KEY" in result.output


def test_no_key_offers_mock(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no key the command says so, and offers --mock."""
    result = run(None, "assistants", "list")
    assert 2 == result.exit_code
    assert "--mock" in result.output


def test_mock_runs_without_a_key() -> None:
    """--mock needs no account: the embedded server answers."""
    result = run(None, "--mock", "--json", "assistants", "list")
    assert 0 == result.exit_code, result.output
    assert [] == json.loads(result.output)


@pytest.mark.parametrize("option", ["--api-key", "--base-url"])
def test_a_key_or_url_given_with_mock_is_a_usage_error(option: str) -> None:
    """--mock with --api-key (or --base-url): exit 2 naming both, not a key silently unused."""
    result = run(None, "--mock", option, "x", "--json", "assistants", "list")
    assert 2 == result.exit_code
    assert f"{option} is for the live API, --mock for the embedded mock" in result.output


def test_mock_faults_without_mock_is_a_usage_error() -> None:
    """--mock-faults against the live API: exit 2 before any request, not a share unused."""
    args = ["--api-key", "k", "--base-url", "http://127.0.0.1:9/api", "--mock-faults", "0.3"]
    result = run(None, *args, "whoami")
    assert 2 == result.exit_code
    assert "--mock-faults is for the embedded mock: add --mock" in result.output


def test_mock_wins_over_the_environment_and_says_so_in_help() -> None:
    """REVOX_API_KEY and REVOX_BASE_URL set: --mock still runs on the mock, as --help says."""
    env = {"REVOX_API_KEY": "live-key", "REVOX_BASE_URL": "http://127.0.0.1:9/api"}
    result = CliRunner(env=env).invoke(cli, ["--mock", "--json", "assistants", "list"])
    assert 0 == result.exit_code, result.output
    assert [] == json.loads(result.output)
    help_text = " ".join(CliRunner().invoke(cli, ["--help"]).output.split())
    assert (
        "(REVOX_API_KEY and REVOX_BASE_URL unused; --api-key and --base-url refused)" in help_text
    )


def test_python_dash_m_runs_the_same_command() -> None:
    """python -m revox_async is the console script."""
    result = subprocess.run(
        [sys.executable, "-m", "revox_async", "--mock", "assistants", "create-many", str(EXAMPLES)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert 0 == result.returncode, result.stderr
    assert "50" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rate-limit", "nan"], "--rate-limit: must be a positive number"),
        (["--journal", "/nonexistent/dir/j.jsonl"], "--journal: the folder"),
        (["--failed-out", "/nonexistent/dir/f.jsonl"], "--failed-out: the folder"),
    ],
)
def test_bad_bulk_options_are_one_line_before_any_row(
    server: MockRevoxServer, args: list[str], message: str
) -> None:
    """A NaN rate or a file in a missing folder: exit 2, one line, nothing sent."""
    result = CliRunner().invoke(
        cli,
        ["--api-key", server.api_key, "--base-url", server.base_url,
         "assistants", "create-many", str(EXAMPLES), *args],
    )  # fmt: skip
    assert 2 == result.exit_code, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert [] == server.requests
