"""calls, campaigns, voices, phone-numbers and whoami, run as the command people type."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from revox_async.testing import CallPlan, FaultPlan, MockRevoxServer


@pytest.fixture
def server() -> Iterator[MockRevoxServer]:
    """A mock on a thread whose clock runs 600x: a call ends in about 0.06 s."""
    with MockRevoxServer(api_key="cli-key", time_scale=600) as mock:
        yield mock


def cli(server: MockRevoxServer | None, *args: str, key: str | None = None) -> Any:
    """``python -m revox_async`` against ``server`` (or with ``--mock`` when ``None``)."""
    prefix = (
        ["--api-key", key or server.api_key, "--base-url", server.base_url]
        if server is not None
        else ["--mock"]
    )
    result = subprocess.run(
        [sys.executable, "-m", "revox_async", *prefix, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def as_json(server: MockRevoxServer | None, *args: str) -> Any:
    result = cli(server, "--json", *args)
    assert 0 == result.returncode, result.stderr
    return json.loads(result.stdout)


def an_assistant(server: MockRevoxServer) -> str:
    created = as_json(server, "assistants", "create", "--name", "Desk", "--prompt", "p")
    return str(created["id"])


# -- calls ---------------------------------------------------------------------------------


def test_a_call_from_create_to_its_end(server: MockRevoxServer) -> None:
    """create (variables, metadata, caller id) → get → wait → search, all as JSON."""
    aid = an_assistant(server)
    call = as_json(
        server, "calls", "create", "--phone-number", "+33612345678", "--assistant-id", aid,
        "--from-phone-number", "+14155550100", "--var", "first_name=Ada", "--var", "zip=75001",
        "--metadata", "crm_id=42",
    )  # fmt: skip
    assert {"first_name": "Ada", "zip": "75001"} == call["prompt_variables"]
    assert "42" == call["metadata"]["crm_id"]  # and its key, to be found by if its answer is lost
    assert {"crm_id", "revox_async_key"} == set(call["metadata"])
    assert aid == call["assistant"]["id"]
    assert call["id"] == as_json(server, "calls", "get", call["id"])["id"]

    done = as_json(server, "calls", "wait", call["id"], "--poll-interval", "0.05")
    assert ("completed", "interested") == (done["status"], done["outcome"])

    found = as_json(server, "calls", "search", "--status", "completed", "--assistant-id", aid)
    assert [call["id"]] == [c["id"] for c in found]
    assert [] == as_json(server, "calls", "search", "--status", "errored")


def test_a_call_left_unknown_is_settled_by_the_command_its_error_gives(
    server: MockRevoxServer,
) -> None:
    """Every POST is carried out, then answered 500 (the call is placed; its search fails
    too): the error says to run the command again with --idempotency-key KEY, which, once
    the server is back, says it waits out the fresh key's window, then finds the call the
    first run placed instead of placing another."""
    assistant_id = an_assistant(server)
    server.idempotency = "ignore"
    server.faults = FaultPlan(commit_then_fail_rate=1.0, methods=frozenset({"POST"}))
    args = ["--max-retries", "0", "--timeout", "1", "--outcome-window", "0.05", "calls"]
    args += ["create", "--phone-number", "+33612345678", "--assistant-id", assistant_id]
    first = cli(server, *args)
    assert 1 == first.returncode, first.stderr
    said = " ".join(first.stderr.split())
    assert "To settle it, run this command again with --idempotency-key" in said
    key = shlex.split(said.partition("--idempotency-key ")[2])[0]
    server.faults = None
    again = cli(server, "--json", *args, "--idempotency-key", key)
    assert 0 == again.returncode, again.stderr
    assert "waits up to 1.05 s first" in " ".join(again.stderr.split())  # the key is fresh
    (placed,) = server.calls.values()
    assert placed["id"] == json.loads(again.stdout)["id"]
    assert 1 == sum(r.method == "POST" and r.path.endswith("/call") for r in server.requests)


def test_calls_in_tables(server: MockRevoxServer) -> None:
    """Without --json: the call's fields, its transcript once ended, a search table."""
    created = cli(server, "calls", "create", "--phone-number", "+33612345678", "--prompt", "p")
    assert 0 == created.returncode, created.stderr
    assert "queued_for_calling" in created.stdout
    call_id = next(iter(server.calls))
    waited = cli(server, "calls", "wait", call_id, "--poll-interval", "0.05")
    assert 0 == waited.returncode, waited.stderr
    assert "completed" in waited.stdout
    assert "  user:      Hi, yes, I have a minute." in waited.stdout.splitlines()
    assert "interested" in cli(server, "calls", "get", call_id).stdout
    listed = cli(server, "calls", "search")
    assert call_id[5:13] + "…" in listed.stdout
    assert call_id in cli(server, "calls", "search", "--full-ids").stdout
    assert "1 call(s)" in listed.stdout


def test_create_and_wait_in_one_command_on_the_embedded_mock() -> None:
    """--mock: an inline assistant, --wait: the call ends in a second or two, exit 0."""
    done = as_json(
        None, "calls", "create", "--phone-number", "+33612345678",
        "--prompt", "You confirm appointments.", "--wait",
    )  # fmt: skip
    assert "completed" == done["status"]
    assert "p" != done["assistant"]["prompt"]
    assert done["transcript"] if "transcript" in done else done["call_attempts"]


def test_scheduled_and_other_fields(server: MockRevoxServer) -> None:
    """--scheduled-at (with its timezone) and --set for any other field reach the body."""
    call = as_json(
        server, "calls", "create", "--phone-number", "+33612345678", "--prompt", "p",
        "--scheduled-at", "2099-05-01T09:30:00+02:00", "--set", "skip_calling_window=true",
    )  # fmt: skip
    assert "scheduled" == call["status"]
    body = server.requests[-1].body
    assert ("2099-05-01T09:30:00+02:00", True) == (
        body["scheduled_at"],
        body["skip_calling_window"],
    )
    assert {"prompt": "p"} == body["assistant"]


def test_cancel(server: MockRevoxServer) -> None:
    """cancel ends a waiting call; cancelling it again is the API's 409, exit 1."""
    server.time_scale = 0
    call_id = as_json(server, "calls", "create", "--phone-number", "+33612345678", "--prompt", "p")[
        "id"
    ]
    assert {"id": call_id, "success": True} == as_json(server, "calls", "cancel", call_id, "--yes")
    assert "cancelled" == server.calls[call_id]["status"]
    again = cli(server, "calls", "cancel", call_id, "--yes")
    assert 1 == again.returncode
    assert "409" in again.stderr
    assert "cannot be cancelled" in again.stderr


def test_cancel_in_words(server: MockRevoxServer) -> None:
    server.time_scale = 0
    call_id = as_json(server, "calls", "create", "--phone-number", "+33612345678", "--prompt", "p")[
        "id"
    ]
    result = cli(server, "calls", "cancel", call_id, "--yes")
    assert (0, f"cancelled {call_id}") == (result.returncode, result.stdout.strip())


def test_a_call_still_running_at_the_timeout(server: MockRevoxServer) -> None:
    """wait --timeout: still running → exit 1, a message naming its status and how to
    wait again; with --json the last state seen is printed too."""
    server.time_scale = 0
    call_id = as_json(server, "calls", "create", "--phone-number", "+33612345678", "--prompt", "p")[
        "id"
    ]
    result = cli(server, "--json", "calls", "wait", call_id, "--timeout", "0.3",
                 "--poll-interval", "0.1")  # fmt: skip
    assert 1 == result.returncode
    assert "still 'queued_for_calling' after 0.3 s" in result.stderr
    assert f"calls wait {call_id}" in result.stderr
    assert "queued_for_calling" == json.loads(result.stdout)["status"]


def test_a_call_that_errors_is_still_a_finished_wait(server: MockRevoxServer) -> None:
    """An errored call ends the wait: exit 0, the status says what happened."""
    server.call_plan = CallPlan(by_number={"+33600000001": "busy"}, retry_delay=1)
    created = as_json(server, "calls", "create", "--phone-number", "+33600000001", "--prompt", "p")
    done = as_json(server, "calls", "wait", created["id"], "--poll-interval", "0.05")
    assert "errored" == done["status"]


def test_search_filters_and_limit(server: MockRevoxServer) -> None:
    """Each filter option becomes its CallFilter list; --limit stops the pages early."""
    server.time_scale = 0
    for _ in range(3):
        as_json(server, "calls", "create", "--phone-number", "+33612345678", "--prompt", "p")
    found = as_json(
        server, "calls", "search", "--status", "queued_for_calling", "--direction", "outbound",
        "--outcome", "none", "--result", "none", "--to-phone-number", "+33612345678",
        "--from-phone-number", "+14155550100", "--query", "+336", "--sort-by", "created_at",
        "--sort-direction", "asc", "--limit", "2",
    )  # fmt: skip
    assert 2 == len(found)
    body = server.requests[-1].body
    assert ["queued_for_calling"] == body["statuses"]
    assert (["outbound"], ["none"], ["none"]) == (
        body["directions"],
        body["outcomes"],
        body["results"],
    )
    assert ("asc", "+33612345678", 2) == (
        body["sort_direction"],
        body["to_phone_number"],
        body["page_size"],
    )
    assert 3 == len(as_json(server, "calls", "search", "--limit", "0"))


# -- campaigns -------------------------------------------------------------------------------


def test_a_campaign_from_create_to_statistics(server: MockRevoxServer, tmp_path: Path) -> None:
    """create (--contact with --var, and a CSV) → launch → rows → stats → get → list."""
    aid = an_assistant(server)
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("phone_number,first_name\n+33600000002,Alan\n", encoding="utf-8")
    campaign = as_json(
        server, "campaigns", "create", "--name", "Spring", "--assistant-id", aid,
        "--contact", "+33600000001", "--var", "first_name=Ada", "--contacts", str(contacts),
        "--from-phone-number", "+14155550100", "--max-concurrent-calls", "2",
    )  # fmt: skip
    cid = campaign["id"]
    assert 2 == campaign["row_stats"]["not_launched"]
    sent = server.requests[-1].body["contacts"]
    assert [
        {"to_phone_number": "+33600000001", "prompt_variables": {"first_name": "Ada"}},
        {"to_phone_number": "+33600000002", "prompt_variables": {"first_name": "Alan"}},
    ] == sent

    launched = as_json(server, "campaigns", "launch", cid)
    assert 2 == launched["launched"]
    rows = as_json(server, "campaigns", "rows", cid)
    assert ["+33600000001", "+33600000002"] == [r["phone_number"] for r in rows]
    server.advance(60)
    stats = as_json(server, "campaigns", "stats", cid)
    assert 2 == stats["funnel"]["reached"]["count"]
    assert "completed" == as_json(server, "campaigns", "get", cid)["status"]
    assert [cid] == [c["id"] for c in as_json(server, "campaigns", "list")]


def test_campaigns_in_tables(server: MockRevoxServer, tmp_path: Path) -> None:
    """Without --json: the campaign's fields and row counts, launch counts, rows, stats."""
    aid = an_assistant(server)
    contacts = tmp_path / "contacts.jsonl"
    contacts.write_text(
        '{"to_phone_number": "+33600000002", "prompt_variables": {"first_name": "Alan"}}\n'
        '{"to_phone_number": "+33600000003"}\n'
    )
    created = cli(server, "campaigns", "create", "--name", "Spring", "--assistant-id", aid,
                  "--contacts", str(contacts))  # fmt: skip
    assert 0 == created.returncode, created.stderr
    assert "rows not_launched  2" in created.stdout
    cid = next(iter(server.campaigns))
    launched = cli(server, "campaigns", "launch", cid)
    assert "launched           2" in launched.stdout
    assert "+33600000003" in cli(server, "campaigns", "rows", cid).stdout
    server.advance(60)
    stats = cli(server, "campaigns", "stats", cid)
    assert "reached" in stats.stdout
    assert "100 %" in stats.stdout
    assert "Spring" in cli(server, "campaigns", "list").stdout
    assert "completed" in cli(server, "campaigns", "get", cid).stdout


def test_launch_options(server: MockRevoxServer, tmp_path: Path) -> None:
    """--scheduled-at and --mode speed_dial reach the launch body; the session is shown."""
    aid = an_assistant(server)
    cid = as_json(server, "campaigns", "create", "--name", "S", "--assistant-id", aid,
                  "--contact", "+33600000001")["id"]  # fmt: skip
    later = as_json(server, "campaigns", "launch", cid, "--scheduled-at", "2099-01-01T08:00:00Z")
    assert 1 == later["launched"]
    assert "2099-01-01T08:00:00+00:00" == server.requests[-1].body["scheduled_at"]
    cid2 = as_json(server, "campaigns", "create", "--name", "T", "--assistant-id", aid,
                   "--contact", "+33600000001")["id"]  # fmt: skip
    session = cli(server, "campaigns", "launch", cid2, "--mode", "speed_dial")
    assert 0 == session.returncode, session.stderr
    assert "session" in session.stdout
    assert "speed_dial" == server.requests[-1].body["mode"]


# -- the account -----------------------------------------------------------------------------


def test_voices_phone_numbers_and_whoami_on_the_embedded_mock() -> None:
    """The seeded catalogue, numbers and user, in JSON and in tables."""
    voices = as_json(None, "voices", "list")
    assert {"cartesia", "elevenlabs"} <= {v["provider"] for v in voices}
    cartesia = as_json(None, "voices", "list", "--provider", "cartesia")
    assert {"cartesia"} == {v["provider"] for v in cartesia}
    table = cli(None, "voices", "list", "--provider", "elevenlabs")
    elevenlabs = sum(v["provider"] == "elevenlabs" for v in voices)
    assert f"{elevenlabs} voice(s)" in table.stdout

    numbers = as_json(None, "phone-numbers", "list")
    assert "+14155550100" in [n["phone_number"] for n in numbers]
    assert "Main line" in cli(None, "phone-numbers", "list").stdout

    me = as_json(None, "whoami")
    assert (True, "owner@example.com") == (me["authenticated"], me["user"]["email"])
    shown = cli(None, "whoami").stdout
    assert "Mock Owner <owner@example.com>" in shown
    assert "authenticated  yes" in shown


def test_an_inbound_assistant_is_named(server: MockRevoxServer) -> None:
    aid = an_assistant(server)
    server.phone_numbers["pn_owned"]["inbound_assistant_id"] = aid
    assert "Desk" in cli(server, "phone-numbers", "list").stdout


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["calls", "get", "c"],
        ["calls", "wait", "c"],
        ["calls", "cancel", "c", "--yes"],
        ["calls", "search"],
        ["calls", "create", "--phone-number", "+33612345678", "--prompt", "p"],
        ["campaigns", "create", "--name", "n", "--assistant-id", "a", "--contact", "+33600000001"],
        ["campaigns", "launch", "c"],
        ["campaigns", "stats", "c"],
        ["campaigns", "rows", "c"],
        ["campaigns", "list"],
        ["campaigns", "get", "c"],
        ["voices", "list"],
        ["phone-numbers", "list"],
        ["whoami"],
    ],
    ids=" ".join,
)
def test_a_wrong_key_is_one_line_and_exit_2(server: MockRevoxServer, args: list[str]) -> None:
    """Every command: a 401 is a message with a hint, exit 2, nothing on stdout."""
    result = cli(server, *args, key="wrong")
    assert 2 == result.returncode
    assert "REVOX_API_KEY" in result.stderr
    assert 1 == len(result.stderr.strip().splitlines())
    assert "" == result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["calls", "create", "--phone-number", "+33612345678"], "--assistant-id ID or --prompt"),
        (
            [
                "calls",
                "create",
                "--phone-number",
                "+33612345678",
                "--prompt",
                "p",
                "--assistant-id",
                "a",
            ],
            "not both",
        ),
        (
            ["calls", "create", "--phone-number", "+33612345678", "--prompt", "p", "--var", "x"],
            "--var",
        ),
        (
            [
                "calls",
                "create",
                "--phone-number",
                "+33612345678",
                "--prompt",
                "p",
                "--metadata",
                "=x",
            ],
            "--metadata",
        ),
        (
            [
                "calls",
                "create",
                "--phone-number",
                "+33612345678",
                "--prompt",
                "p",
                "--scheduled-at",
                "tomorrow",
            ],
            "--scheduled-at",
        ),
        (
            [
                "calls",
                "create",
                "--phone-number",
                "+33612345678",
                "--prompt",
                "p",
                "--scheduled-at",
                "2099-01-01T09:00",
            ],
            "has no timezone",
        ),
        (
            [
                "calls",
                "create",
                "--phone-number",
                "+33612345678",
                "--prompt",
                "p",
                "--set",
                "prompt_variables=[1]",
            ],
            "prompt_variables",
        ),
        (["calls", "wait", "c", "--timeout", "0"], "--timeout"),
        (["calls", "search", "--limit", "-1"], "--limit"),
        (["calls", "get", ".."], "call_id"),
        (["campaigns", "create", "--name", "n", "--assistant-id", "a"], "no contacts"),
        (
            [
                "campaigns",
                "create",
                "--name",
                "n",
                "--assistant-id",
                "a",
                "--contacts",
                "/nope.csv",
            ],
            "--contacts",
        ),
        (
            [
                "campaigns",
                "launch",
                "c",
                "--mode",
                "speed_dial",
                "--scheduled-at",
                "2099-01-01T08:00:00Z",
            ],
            "ai_first only",
        ),
        (["campaigns", "launch", "c", "--mode", "fast"], "--mode"),
    ],
)
def test_bad_input_names_the_option(server: MockRevoxServer, args: list[str], message: str) -> None:
    """Bad input: exit 2, a message naming the option (or the field), nothing sent."""
    result = cli(server, *args)
    assert 2 == result.returncode, result.stderr
    assert message in result.stderr
    assert [] == server.requests


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("c.jsonl", "{not json\n", "not JSON"),
        ("c.json", "[1, 2]", "expected JSON objects"),
        ("c.csv", b"\xff\xfe", "cannot read"),
    ],
)
def test_a_bad_contacts_file(tmp_path: Path, name: str, text: str | bytes, message: str) -> None:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    result = cli(None, "campaigns", "create", "--name", "n", "--assistant-id", "a",
                 "--contacts", str(path))  # fmt: skip
    assert 2 == result.returncode
    assert "--contacts" in result.stderr
    assert message in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["calls", "get", "missing"], "no call with id 'missing'"),
        (["campaigns", "stats", "missing"], "404"),
        (
            ["calls", "create", "--phone-number", "+33612345678", "--assistant-id", "nope"],
            "no assistant with id 'nope'",
        ),
    ],
)
def test_api_errors_are_exit_1(server: MockRevoxServer, args: list[str], message: str) -> None:
    result = cli(server, *args)
    assert 1 == result.returncode
    assert message in result.stderr


# -- mock serve ----------------------------------------------------------------------------------


def test_mock_serve_moves_calls_on_its_clock() -> None:
    """`mock serve --time-scale`: commands given its URL see a call through to the end."""
    command = [sys.executable, "-m", "revox_async", "mock", "serve", "--port", "0",
               "--time-scale", "600", "--key", "k"]  # fmt: skip
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as serve:
        try:
            assert serve.stdout is not None
            first = serve.stdout.readline()
            base_url = first.split(" on ", 1)[1].split(" ", 1)[0]
            env = ["--api-key", "k", "--base-url", base_url, "--json"]
            run = [sys.executable, "-m", "revox_async", *env, "calls"]
            created = subprocess.run(
                [*run, "create", "--phone-number", "+33612345678", "--prompt", "p"],
                capture_output=True, text=True, timeout=60, check=True,
            )  # fmt: skip
            call_id = json.loads(created.stdout)["id"]
            waited = subprocess.run(
                [*run, "wait", call_id, "--poll-interval", "0.05"],
                capture_output=True, text=True, timeout=60, check=True,
            )  # fmt: skip
            assert "completed" == json.loads(waited.stdout)["status"]
        finally:
            serve.terminate()


def test_an_inline_assistant_with_more_fields(server: MockRevoxServer) -> None:
    """--set assistant={...} stands for --prompt when the assistant needs more fields."""
    call = as_json(
        server, "calls", "create", "--phone-number", "+33612345678",
        "--set", 'assistant={"prompt": "p", "first_sentence": "Hi!"}',
    )  # fmt: skip
    assert "Hi!" == call["assistant"]["first_sentence"]


def test_a_wait_timeout_in_words_prints_nothing_on_stdout(server: MockRevoxServer) -> None:
    """Without --json the timeout is the one line on stderr, exit 1."""
    server.time_scale = 0
    created = as_json(server, "calls", "create", "--phone-number", "+33612345678", "--prompt", "p")
    result = cli(
        server, "calls", "wait", created["id"], "--timeout", "0.2", "--poll-interval", "0.1"
    )
    assert (1, "") == (result.returncode, result.stdout)
    assert "still 'queued_for_calling'" in result.stderr


def test_values_are_the_servers_to_judge(server: MockRevoxServer) -> None:
    """A status or number this version does not know is sent as given (the API adds values
    ahead of the SDK); the server's answer decides."""
    result = cli(
        server, "calls", "search", "--status", "voicemail_detected", "--to-phone-number", "12"
    )
    assert 1 == result.returncode  # this (0.5.0) mock answers 422: the server decided
    assert "voicemail_detected" in result.stderr
    [search] = [r for r in server.requests if r.path.endswith("/call/search")]
    assert (["voicemail_detected"], "12") == (
        search.body["statuses"],
        search.body["to_phone_number"],
    )
    refused = cli(server, "calls", "create", "--phone-number", "33", "--prompt", "p")
    assert 1 == refused.returncode
    assert "phone_number" in refused.stderr
    assert "Traceback" not in refused.stderr
