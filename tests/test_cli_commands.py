"""The commands that reach the rest of the API: exports, voices, pauses, phone history,
campaign and phone-number changes, clones, and the confirmation before deletes."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from revox_async.cli._app import cli
from revox_async.testing import MockRevoxServer

VOICE = "79a125e8-cd45-4c13-8a67-188112f4dd22"


@pytest.fixture
def server() -> Iterator[MockRevoxServer]:
    """A mock on a thread whose clock stands still: calls stay where they are."""
    with MockRevoxServer(api_key="cli-key", time_scale=0) as mock:
        yield mock


class Terminal(io.BytesIO):
    """Standard input as if typed at a terminal (``isatty()`` is true)."""

    def isatty(self) -> bool:
        return True


def run(server: MockRevoxServer, *args: str, stdin: Any = None) -> Result:
    prefix = ["--api-key", server.api_key, "--base-url", server.base_url]
    env = {"COLUMNS": "80", "NO_COLOR": None}
    return CliRunner().invoke(cli, [*prefix, *args], input=stdin, env=env)


def as_json(server: MockRevoxServer, *args: str) -> Any:
    result = run(server, "--json", *args)
    assert 0 == result.exit_code, result.output
    return json.loads(result.stdout)


def an_assistant(server: MockRevoxServer, name: str = "Desk") -> str:
    return str(as_json(server, "assistants", "create", "--name", name, "--prompt", "p")["id"])


def a_call(server: MockRevoxServer, phone: str = "+33612345678") -> str:
    call = as_json(server, "calls", "create", "--phone-number", phone, "--prompt", "p")
    return str(call["id"])


def a_campaign(server: MockRevoxServer) -> str:
    aid = an_assistant(server)
    created = as_json(
        server, "campaigns", "create", "--name", "Spring", "--assistant-id", aid,
        "--contact", "+33612345678", "--contact", "+33698765432",
    )  # fmt: skip
    return str(created["id"])


def methods(server: MockRevoxServer) -> list[str]:
    return [f"{r.method} {r.path}" for r in server.requests]


# -- calls ---------------------------------------------------------------------------------


def test_pause_and_resume_a_call(server: MockRevoxServer) -> None:
    """pause and resume answer {"id", "success"} and reach the call's endpoints."""
    call_id = a_call(server)
    assert {"id": call_id, "success": True} == as_json(server, "calls", "pause", call_id)
    assert "paused" == server.calls[call_id]["status"]
    resumed = run(server, "calls", "resume", call_id)
    assert (0, f"resumed {call_id}") == (resumed.exit_code, resumed.stdout.strip())
    assert [f"POST /api/call/{call_id}/pause", f"POST /api/call/{call_id}/resume"] == methods(
        server
    )[-2:]


def test_export_calls_to_stdout_and_to_a_file(server: MockRevoxServer, tmp_path: Path) -> None:
    """The CSV goes to stdout, or to --output (never over a file without --force)."""
    call_id = a_call(server)
    shown = run(server, "calls", "export", "--status", "queued_for_calling", "--include-metadata")
    assert 0 == shown.exit_code, shown.output
    assert call_id in shown.stdout
    body = server.requests[-1].body
    assert (["queued_for_calling"], True) == (body["filters"]["statuses"], body["include_metadata"])

    target = tmp_path / "calls.csv"
    written = as_json(server, "calls", "export", "-o", str(target))
    assert {"path": str(target), "bytes": target.stat().st_size, "rows": 1} == {
        k: written[k] for k in ("path", "bytes", "rows")
    }
    assert call_id in target.read_text()

    sent = len(server.requests)
    again = run(server, "calls", "export", "-o", str(target))
    assert 2 == again.exit_code
    assert "exists: add --force" in again.stderr
    assert sent == len(server.requests)
    assert 0 == run(server, "calls", "export", "-o", str(target), "--force").exit_code


def test_phone_history(server: MockRevoxServer) -> None:
    """Per number: an object keyed by number in JSON, a table otherwise."""
    server.time_scale = 600
    call_id = a_call(server)
    assert 0 == run(server, "calls", "wait", call_id, "--poll-interval", "0.05").exit_code
    history = as_json(server, "calls", "phone-history")
    assert ["+33612345678"] == list(history)
    assert (1, True) == (history["+33612345678"]["count"], history["+33612345678"]["hot"])
    table = run(server, "calls", "phone-history").stdout.splitlines()
    assert "1 number(s)" == table[0]
    assert ["number", "calls", "human", "hot", "do", "not", "call"] == table[1].split()[:7]


# -- campaigns -----------------------------------------------------------------------------


def test_a_campaign_updated_paused_resumed_exported_cancelled_deleted(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """Each command reaches its endpoint; cancel and delete need --yes off a terminal."""
    cid = a_campaign(server)
    updated = as_json(
        server, "campaigns", "update", cid, "--name", "Summer", "--max-concurrent-calls", "3",
        "--null", "from_phone_number",
    )  # fmt: skip
    assert "Summer" == updated["name"]
    assert {"name": "Summer", "max_concurrent_calls": 3, "from_phone_number": None} == (
        server.requests[-1].body
    )
    assert {"id": cid, "success": True} == as_json(server, "campaigns", "pause", cid)
    assert {"id": cid, "success": True} == as_json(server, "campaigns", "resume", cid)

    exported = run(server, "campaigns", "export", cid)
    assert ["+33612345678", "+33698765432"] == [
        line.split(",")[1] for line in exported.stdout.splitlines()[1:]
    ]
    target = tmp_path / "rows.csv"
    assert 0 == run(server, "campaigns", "export", cid, "--output", str(target)).exit_code
    assert exported.stdout == target.read_text()

    assert {"id": cid, "success": True} == as_json(server, "campaigns", "cancel", cid, "--yes")
    assert {"id": cid, "success": True} == as_json(server, "campaigns", "delete", cid, "-y")
    assert cid not in server.campaigns


def test_a_campaign_update_needs_a_field(server: MockRevoxServer) -> None:
    result = run(server, "campaigns", "update", "c")
    assert (2, []) == (result.exit_code, server.requests)
    assert "nothing to update" in result.output


# -- confirmation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["assistants", "delete", "a"],
        ["calls", "cancel", "c"],
        ["campaigns", "cancel", "c"],
        ["campaigns", "delete", "c"],
        ["voices", "delete", "v"],
        ["phone-numbers", "delete", "pn_owned"],
    ],
    ids=" ".join,
)
def test_off_a_terminal_a_destructive_command_needs_yes(
    server: MockRevoxServer, args: list[str]
) -> None:
    """Nobody can answer a prompt: exit 2 naming --yes, nothing sent, no prompt shown."""
    result = run(server, *args)
    assert (2, []) == (result.exit_code, server.requests)
    assert "add --yes to confirm" in result.stderr
    assert "[y/N]" not in result.output


def test_on_a_terminal_it_asks_first(server: MockRevoxServer) -> None:
    """A terminal is asked; "n" sends nothing (exit 1), "y" deletes."""
    declined = run(server, "phone-numbers", "delete", "pn_owned", stdin=Terminal(b"n\n"))
    assert (1, []) == (declined.exit_code, server.requests)
    assert "remove phone number pn_owned? [y/N]" in declined.stderr
    assert "not confirmed" in declined.stderr

    agreed = run(server, "phone-numbers", "delete", "pn_owned", stdin=Terminal(b"y\n"))
    assert (0, "removed pn_owned") == (agreed.exit_code, agreed.stdout.strip())
    assert "pn_owned" not in server.phone_numbers


# -- voices --------------------------------------------------------------------------------


def test_get_a_voice(server: MockRevoxServer) -> None:
    """voices get needs --provider and shows the voice."""
    assert (
        "British Lady" == as_json(server, "voices", "get", VOICE, "--provider", "cartesia")["name"]
    )
    assert f"GET /api/voices/{VOICE}?provider=cartesia" == methods(server)[-1]
    assert "British Lady" in run(server, "voices", "get", VOICE, "--provider", "cartesia").stdout
    missing = run(server, "voices", "get", VOICE)
    assert 2 == missing.exit_code
    assert "--provider" in missing.output


def test_preview_writes_the_audio_to_the_file_named(
    server: MockRevoxServer, tmp_path: Path
) -> None:
    """The WAV lands in --output; an existing file is kept unless --force."""
    target = tmp_path / "voice.wav"
    result = as_json(
        server, "voices", "preview", VOICE, "--provider", "cartesia", "--text", "Hi", "-o",
        str(target),
    )  # fmt: skip
    audio = target.read_bytes()
    assert audio.startswith(b"RIFF")
    assert {"path": str(target), "bytes": len(audio), "content_type": "audio/wav"} == result
    assert {"provider": "cartesia", "voiceId": VOICE, "text": "Hi"} == server.requests[-1].body

    target.write_bytes(b"mine")
    kept = run(server, "voices", "preview", VOICE, "--provider", "cartesia", "-o", str(target))
    assert (2, b"mine") == (kept.exit_code, target.read_bytes())
    assert "exists: add --force" in kept.stderr
    forced = run(
        server, "voices", "preview", VOICE, "--provider", "cartesia", "-o", str(target), "--force"
    )
    assert 0 == forced.exit_code, forced.output
    assert target.read_bytes().startswith(b"RIFF")
    assert [] == [p.name for p in tmp_path.iterdir() if p.name != "voice.wav"]


def test_preview_to_a_pipe(server: MockRevoxServer) -> None:
    """-o - writes the audio to stdout when it is not a terminal (here: a pipe)."""
    result = run(server, "voices", "preview", VOICE, "--provider", "cartesia", "-o", "-")
    assert 0 == result.exit_code, result.output
    assert result.stdout_bytes.startswith(b"RIFF")
    both = run(server, "--json", "voices", "preview", VOICE, "--provider", "cartesia", "-o", "-")
    assert 2 == both.exit_code
    assert "both write to stdout" in both.output


def test_preview_needs_an_output(server: MockRevoxServer) -> None:
    result = run(server, "voices", "preview", VOICE, "--provider", "cartesia")
    assert (2, []) == (result.exit_code, server.requests)
    assert "--output" in result.output


def test_clone_a_voice_then_delete_it(server: MockRevoxServer, tmp_path: Path) -> None:
    """clone sends the file base64-encoded with its type; delete --yes removes it."""
    recording = tmp_path / "ada.wav"
    recording.write_bytes(b"RIFF0000WAVE")
    cloned = as_json(server, "voices", "clone", str(recording), "--name", "Ada", "--language", "en")
    body = server.requests[-1].body
    assert ("Ada", "en", "audio/wav") == (body["name"], body["language"], body["contentType"])
    assert cloned["id"] in server.voices
    shown = run(server, "voices", "delete", cloned["id"], "--yes")
    assert (0, f"deleted {cloned['id']}") == (shown.exit_code, shown.stdout.strip())
    assert cloned["id"] not in server.voices


def test_a_voice_in_use_is_not_deleted(server: MockRevoxServer) -> None:
    """The API's 409 (an assistant speaks with it): one line, exit 1."""
    as_json(
        server, "assistants", "create", "--name", "A", "--prompt", "p",
        "--set", 'voice={"id": "cloned-owner-voice", "provider": "cartesia"}',
    )  # fmt: skip
    result = run(server, "voices", "delete", "cloned-owner-voice", "--yes")
    assert 1 == result.exit_code
    assert "409" in result.stderr


# -- assistants, phone numbers ---------------------------------------------------------------


def test_clone_an_assistant(server: MockRevoxServer) -> None:
    aid = an_assistant(server)
    copy = as_json(server, "assistants", "clone", aid)
    assert aid != copy["id"]
    assert {aid, copy["id"]} == set(server.assistants)
    assert "Desk" in run(server, "assistants", "clone", aid).stdout


def test_update_a_phone_number(server: MockRevoxServer) -> None:
    """--label and --inbound-assistant-id set, --null clears; the assistant is named."""
    aid = an_assistant(server)
    shown = run(
        server, "phone-numbers", "update", "pn_owned", "--label", "Desk",
        "--inbound-assistant-id", aid,
    )  # fmt: skip
    assert 0 == shown.exit_code, shown.output
    assert {"label": "Desk", "inbound_assistant_id": aid} == server.requests[-1].body
    assert f"Desk ({aid})" in shown.stdout
    cleared = as_json(server, "phone-numbers", "update", "pn_owned", "--null", "label")
    assert {"label": None} == server.requests[-1].body
    assert "label" not in cleared or cleared["label"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "nothing to update"),
        (["--label", "x", "--null", "label"], "not both"),
    ],
)
def test_a_phone_number_update_that_says_nothing_clear(
    server: MockRevoxServer, args: list[str], message: str
) -> None:
    result = run(server, "phone-numbers", "update", "pn_owned", *args)
    assert (2, []) == (result.exit_code, server.requests)
    assert message in result.output


def test_an_output_in_a_folder_that_does_not_exist(server: MockRevoxServer, tmp_path: Path) -> None:
    """Refused before any request: exit 2 naming the folder."""
    result = run(server, "calls", "export", "-o", str(tmp_path / "nowhere" / "calls.csv"))
    assert (2, []) == (result.exit_code, server.requests)
    assert "no folder" in result.stderr


def test_an_output_that_cannot_be_written(server: MockRevoxServer, tmp_path: Path) -> None:
    """The write fails (here its temporary file's name is taken): one line, exit 1."""
    (tmp_path / f".calls.csv.{os.getpid()}.part").mkdir()
    result = run(server, "calls", "export", "-o", str(tmp_path / "calls.csv"))
    assert 1 == result.exit_code
    assert "cannot write" in result.stderr
    assert not (tmp_path / "calls.csv").exists()


def test_the_views_of_a_cloned_voice_and_a_number(server: MockRevoxServer, tmp_path: Path) -> None:
    """Without --json: field lines, a dash for what is not set."""
    recording = tmp_path / "ada.mp3"
    recording.write_bytes(b"ID3")
    cloned = run(server, "voices", "clone", str(recording), "--name", "Ada", "--language", "fr")
    assert 0 == cloned.exit_code, cloned.output
    assert ["name", "Ada"] == cloned.stdout.splitlines()[1].split()
    assert "audio/mpeg" == server.requests[-1].body["contentType"]
    number = run(server, "phone-numbers", "update", "pn_verified", "--label", "Paris")
    assert "inbound assistant  -" in number.stdout.splitlines()
