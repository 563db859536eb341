"""What the command prints: tables that fit 80 columns, times to the second, the same
order on every run, plain text off a terminal or with NO_COLOR, a stable --json shape,
--version and --help."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import click
import pytest
from click.testing import CliRunner, Result

import revox_async as rx
from revox_async import Call, to_dict
from revox_async._converter import response_converter
from revox_async.cli._app import cli
from revox_async.cli._output import fit, short_id, text_of
from revox_async.testing import MockRevoxServer

LONG = "The front desk of the dental clinic on the Rue de la République, Lyon (night)"
STAMP = re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")

ID = re.compile(r"\b[a-z]+_[0-9a-f]{32}\b|\b[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\b")
"""An id the mock makes: ``call_<hex>``, or a UUID (assistants and campaigns)."""


@pytest.fixture
def server() -> Iterator[MockRevoxServer]:
    """A mock whose clock runs 600x, with long names, a call ended and one still queued."""
    with MockRevoxServer(api_key="cli-key", time_scale=600) as mock:
        yield mock


def run(server: MockRevoxServer, *args: str, **env: str | None) -> Result:
    prefix = ["--api-key", server.api_key, "--base-url", server.base_url]
    environment: dict[str, str | None] = {"COLUMNS": "80", "NO_COLOR": None, **env}
    return CliRunner().invoke(cli, [*prefix, *args], env=environment)


def as_json(server: MockRevoxServer, *args: str) -> Any:
    result = run(server, "--json", *args)
    assert 0 == result.exit_code, result.output
    return json.loads(result.stdout)


@pytest.fixture
def seeded(server: MockRevoxServer) -> dict[str, str]:
    """An assistant and a campaign with long names, a call ended and one still queued."""
    aid = as_json(server, "assistants", "create", "--name", LONG, "--prompt", "p")["id"]
    ended = as_json(
        server, "calls", "create", "--phone-number", "+33612345678", "--assistant-id", aid,
        "--wait", "--poll-interval", "0.05",
    )["id"]  # fmt: skip
    server.time_scale = 0
    queued = as_json(
        server, "calls", "create", "--phone-number", "+447700900123", "--assistant-id", aid
    )["id"]
    campaign = as_json(
        server, "campaigns", "create", "--name", LONG, "--assistant-id", aid,
        "--contact", "+33612345678",
    )["id"]  # fmt: skip
    server.phone_numbers["pn_owned"]["label"] = LONG
    server.phone_numbers["pn_owned"]["inbound_assistant_id"] = aid
    return {"assistant": aid, "ended": ended, "queued": queued, "campaign": campaign}


# -- the table renderer ----------------------------------------------------------------------


def test_a_table_that_fits_is_left_as_it_is() -> None:
    assert [10, 20, 10] == fit([10, 20, 10], [1, 2, 1], 80)


def test_flexible_columns_give_way_first_widest_first() -> None:
    """Names shrink before ids and times; two flexible columns end up even."""
    assert [14, 20, 21, 21] == fit([14, 20, 40, 30], [1, 1, 2, 2], 82)


def test_then_every_column_but_whole_ids() -> None:
    """Flexible columns stop at 4 characters; then the others shrink, an id never."""
    assert [36, 4, 9, 9] == fit([36, 30, 20, 20], [0, 2, 1, 1], 64)


def test_ids_are_shortened_to_8_characters_after_their_type_prefix() -> None:
    """The column names the kind; 9 columns whether the API's ids are UUIDs or prefixed."""
    assert ("2cd74d3c…", "3f2c1a9e…", "pn_owned", "cloned-o…", "v1") == (
        short_id("call_2cd74d3c5ca74bf0b9c8fa3cfb8ea239"),
        short_id("3f2c1a9e-77b0-4c1e-9a0b-2a7d1f0e9c11"),
        short_id("pn_owned"),
        short_id("cloned-owner-voice"),
        short_id("v1"),
    )


def test_times_show_to_the_second_in_utc() -> None:
    """Microseconds dropped, any offset converted to UTC."""
    paris = timezone(timedelta(hours=2))
    assert "2026-05-01T07:30:15Z" == text_of(datetime(2026, 5, 1, 9, 30, 15, 987654, paris))


def test_values_read_as_words() -> None:
    assert ("-", "yes", "no", "3", "2.5", '{"a": [1]}') == (
        text_of(None),
        text_of(True),
        text_of(False),
        text_of(3.0),
        text_of(2.5),
        text_of({"a": [1]}),
    )


# -- 80 columns --------------------------------------------------------------------------------


TABLES = [
    ["assistants", "list"],
    ["calls", "search"],
    ["calls", "phone-history"],
    ["campaigns", "list"],
    ["campaigns", "rows", "{campaign}"],
    ["voices", "list"],
    ["phone-numbers", "list"],
]
VIEWS = [
    ["assistants", "get", "{assistant}"],
    ["calls", "get", "{ended}"],
    ["calls", "get", "{queued}"],
    ["campaigns", "get", "{campaign}"],
    ["campaigns", "stats", "{campaign}"],
    ["whoami"],
]


@pytest.mark.parametrize("args", TABLES + VIEWS, ids=" ".join)
def test_every_line_fits_80_columns(
    server: MockRevoxServer, seeded: dict[str, str], args: list[str]
) -> None:
    """Long names, E.164 numbers, the longest statuses: still no line over 80."""
    result = run(server, *(arg.format(**seeded) for arg in args))
    assert 0 == result.exit_code, result.output
    lines = result.stdout.splitlines()
    assert len(lines) > 1
    assert [] == [line for line in lines if len(line) > 80]
    assert [] == [line for line in lines if line != line.rstrip()]


@pytest.mark.parametrize("args", TABLES, ids=" ".join)
def test_tables_shorten_ids_and_show_times_to_the_second(
    server: MockRevoxServer, seeded: dict[str, str], args: list[str]
) -> None:
    """No microseconds; ids shortened, whole with --full-ids."""
    given = [arg.format(**seeded) for arg in args]
    text = run(server, *given).stdout
    assert not re.search(r"\d\d:\d\d:\d\d\.\d", text)
    header = text.splitlines()[1]
    if "created" in header or "last called" in header:
        assert STAMP.search(text)
    ids = set(ID.findall(run(server, "--json", *given).stdout))
    assert [] == [i for i in ids if i in text]
    whole = run(server, "--full-ids", *given).stdout
    shortened = [i for i in ids if short_id(i) in text]
    assert sorted(shortened) == sorted(i for i in shortened if i in whole)
    if args[0] in ("assistants", "calls", "campaigns") and args[1] != "phone-history":
        assert shortened


def test_calls_search_reads_well_at_80_columns(
    server: MockRevoxServer, seeded: dict[str, str]
) -> None:
    """Status in full, the number in full, the time; the newest first."""
    lines = run(
        server, "calls", "search", "--status", "completed", "--status", "queued_for_calling"
    ).stdout.splitlines()
    assert "2 call(s)" == lines[0]
    assert ["id", "status", "to", "outcome", "created"] == lines[1].split()
    queued, ended = lines[2].split(), lines[3].split()
    assert (short_id(seeded["queued"]), "queued_for_calling", "+447700900123") == tuple(queued[:3])
    assert (short_id(seeded["ended"]), "completed", "+33612345678", "interested") == tuple(
        ended[:4]
    )
    assert STAMP.fullmatch(ended[4])


# -- order --------------------------------------------------------------------------------------


def test_to_dict_writes_the_fields_the_server_sent_as_null_in_field_order() -> None:
    """Nulls were kept in a set, whose order changes with each interpreter run."""
    names = [f.name for f in attrs.fields(Call) if f.init and f.name != "extra_fields"]
    payload: dict[str, Any] = dict.fromkeys(reversed(names[1:]))
    payload["id"] = "c1"
    payload["zz_new"] = None
    call = response_converter.structure(payload, Call)
    assert ["id", *names[1:], "zz_new"] == list(to_dict(call))


def test_the_same_json_on_every_run(server: MockRevoxServer) -> None:
    """Two interpreters with different hash seeds print a call's keys in the same order."""
    as_json(server, "calls", "create", "--phone-number", "+33612345678", "--prompt", "p")
    call_id = next(iter(server.calls))

    def keys(seed: str) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-m", "revox_async", "--json", "--api-key", server.api_key,
             "--base-url", server.base_url, "calls", "get", call_id],
            capture_output=True, text=True, timeout=60, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )  # fmt: skip
        found: list[str] = []

        def walk(value: Any, path: str) -> None:
            if isinstance(value, dict):
                found.append(path + ":" + ",".join(value))
                for key, inner in value.items():
                    walk(inner, f"{path}.{key}")
            elif isinstance(value, list):
                for inner in value:
                    walk(inner, path + "[]")

        walk(json.loads(done.stdout), "")
        return found

    assert keys("1") == keys("2")


# -- plain output ------------------------------------------------------------------------------


def test_off_a_terminal_the_output_is_plain(server: MockRevoxServer) -> None:
    """No escape sequence, and text from the server is printed as sent, not as markup."""
    name = "[bold red]Night[/] desk :smile:"
    aid = as_json(server, "assistants", "create", "--name", name, "--prompt", "p")["id"]
    for args in (["assistants", "list"], ["assistants", "get", aid]):
        result = run(server, *args)
        assert 0 == result.exit_code, result.output
        assert "\x1b" not in result.output
        assert name in result.stdout


def on_a_terminal(*args: str, **env: str) -> bytes:
    """``revox-async --mock ARGS`` with stdout on a pseudo-terminal; what it wrote."""
    leader, follower = pty.openpty()
    environment = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", **env}
    environment.pop("NO_COLOR", None) if "NO_COLOR" not in env else None
    environment.pop("FORCE_COLOR", None)
    with subprocess.Popen(
        [sys.executable, "-m", "revox_async", "--mock", *args],
        stdout=follower,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=environment,
    ) as process:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the command is done
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert 0 == process.wait(timeout=60), process.stderr
    os.close(leader)
    return b"".join(chunks)


def test_on_a_terminal_there_is_colour() -> None:
    """The control: a terminal gets escape sequences (bold headers, coloured keys)."""
    assert b"\x1b[" in on_a_terminal("phone-numbers", "list")


def test_no_color_means_no_escape_sequence_at_all() -> None:
    """NO_COLOR on a terminal: not even bold (rich alone would keep it)."""
    shown = on_a_terminal("phone-numbers", "list", NO_COLOR="1")
    assert b"+14155550100" in shown
    assert b"\x1b" not in shown


def test_audio_is_never_written_to_a_terminal(tmp_path: Any) -> None:
    """voices preview -o - with stdout on a terminal: refused (exit 2), nothing written."""
    leader, follower = pty.openpty()
    done = subprocess.run(
        [sys.executable, "-m", "revox_async", "--mock", "voices", "preview",
         "79a125e8-cd45-4c13-8a67-188112f4dd22", "--provider", "cartesia", "-o", "-"],
        stdout=follower, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=60,
        check=False,
    )  # fmt: skip
    os.close(follower)
    os.close(leader)
    assert 2 == done.returncode
    assert b"audio is not for a terminal" in done.stderr


# -- --json, --version, --help -------------------------------------------------------------------


def test_the_json_shapes(server: MockRevoxServer, seeded: dict[str, str]) -> None:
    """One document per command: the model's to_dict, a list of them, or a small object."""
    call = as_json(server, "calls", "get", seeded["ended"])
    assert ["id", "organization_id", "status", "direction", "from_phone_number"] == list(call)[:5]
    listed = as_json(server, "assistants", "list")
    assert [seeded["assistant"]] == [a["id"] for a in listed]
    assert ["id", "name", "prompt"] == list(listed[0])[:3]
    assert ["user", "authenticated"] == list(as_json(server, "whoami"))
    assert ["id", "success"] == list(as_json(server, "calls", "pause", seeded["queued"]))
    history = as_json(server, "calls", "phone-history")
    assert ["count", "campaigns", "do_not_contact", "hot", "reached_human"] == list(
        history["+33612345678"]
    )[:5]
    assert ["csv", "filename"] == list(as_json(server, "campaigns", "export", seeded["campaign"]))


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert (0, f"revox-async {rx.__version__}\n") == (result.exit_code, result.output)


def _commands(group: click.Group, path: list[str]) -> Iterator[list[str]]:
    yield path
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _commands(command, [*path, name])
        else:
            yield [*path, name]


@pytest.mark.parametrize("args", list(_commands(cli, [])), ids=lambda a: " ".join(a) or "root")
def test_every_help_fits_80_columns(args: list[str]) -> None:
    """--help of every command and group: no line over 80, no cut-off command summary."""
    result = CliRunner().invoke(cli, [*args, "--help"], env={"COLUMNS": "80"}, terminal_width=80)
    assert 0 == result.exit_code, result.output
    assert [] == [line for line in result.output.splitlines() if len(line) > 80]
    cut = [line for line in result.output.splitlines() if line.endswith("...")]
    assert [] == [
        line for line in cut if not line.startswith("Usage:") and line.split()[0] not in NOT_MINE
    ]


NOT_MINE = ("create-many", "listen")
"""Commands whose one-line summaries other modules write (bulk input, webhooks)."""
