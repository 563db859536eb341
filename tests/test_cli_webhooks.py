"""``revox-async webhooks listen``, run as a real process."""

from __future__ import annotations

import concurrent.futures
import gzip
import json
import os
import pty
import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import cast

import pytest
from click.testing import CliRunner

from revox_async import SyncRevox
from revox_async.cli._app import cli
from revox_async.testing import MockRevoxServer


class Listener:
    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "revox_async", "webhooks", "listen", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **(env or {})},
        )
        assert self.process.stderr is not None
        self.banner = self.process.stderr.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", self.banner)
        assert found, self.banner
        self.base = found.group(0)

    def post(self, path: str, body: bytes, **headers: str) -> int:
        request = urllib.request.Request(self.base + path, body, headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return exc.code

    def finish(self) -> tuple[int, str, str]:
        out, err = self.process.communicate(timeout=30)
        return self.process.returncode, out, err


@pytest.fixture
def listeners() -> Iterator[list[Listener]]:
    started: list[Listener] = []
    yield started
    for listener in started:
        if listener.process.poll() is None:
            listener.process.kill()
            listener.process.communicate()


def test_json_lines_of_the_mocks_webhooks(
    revox_mock: MockRevoxServer, listeners: list[Listener]
) -> None:
    """Pointed at by an assistant's webhook_url, it prints the mock's event as a JSON line."""
    listener = Listener("--json", "--count", "1")
    listeners.append(listener)
    assert "for call-completion webhooks; Ctrl-C stops" in listener.banner
    assert 400 == listener.post("", b"not json")
    with SyncRevox(api_key=revox_mock.api_key, base_url=revox_mock.base_url) as client:
        assistant = client.assistants.create(name="a", prompt="p", webhook_url=listener.base)
        call = client.calls.create(phone_number="+33600000001", assistant_id=assistant.id)
    revox_mock.advance(60)
    revox_mock.wait_deliveries()
    code, out, err = listener.finish()
    assert 0 == code, err
    (line,) = out.splitlines()
    event = json.loads(line)
    assert (call.id, "completed", "human") == (
        event["call_order_id"],
        event["status"],
        event["result"],
    )
    assert "warning: webhook from 127.0.0.1 refused (400): the body is not JSON" in err
    assert "Traceback" not in err


def test_pretty_output_and_a_secret_from_the_environment(listeners: list[Listener]) -> None:
    """Pretty lines (status, result, transcript, unknown fields); a wrong secret gets 401."""
    listener = Listener("--count", "1", env={"REVOX_WEBHOOK_SECRET": "tok-kept-quiet"})
    listeners.append(listener)
    assert "/<path>/<secret>" in listener.banner
    assert 401 == listener.post("hook/wrong", b"{}")
    body = {
        "call_order_id": "call_1",
        "status": "completed",
        "result": "voicemail",
        "calls_count": 2,
        "ended_at": "2025-01-02T03:04:05Z",
        "annotation": "Left a message.",
        "recording_url": "https://r.example/1.wav",
        "transcript": "assistant: Sorry I missed you",
        "sentiment": "neutral",
    }
    assert 200 == listener.post("hook/tok-kept-quiet", json.dumps(body).encode())
    code, out, err = listener.finish()
    assert "tok-kept-quiet" not in err + out
    assert 0 == code
    assert "call_1 completed result=voicemail attempts=2 ended_at=2025-01-02" in out
    assert "annotation: Left a message." in out
    assert "recording: https://r.example/1.wav" in out
    assert "│ assistant: Sorry I missed you" in out
    assert 'sentiment: "neutral"' in out


def test_an_encoding_it_cannot_read_gets_415_and_one_warning(listeners: list[Listener]) -> None:
    """Content-Encoding br (no Brotli here), zstd or garbage: 415 and a warning line, not
    aiohttp's 400 and traceback; gzip is still read."""
    listener = Listener("--json", "--count", "1")
    listeners.append(listener)
    for encoding in ("br", "zstd", "x-garbage"):
        assert 415 == listener.post("", b"{}", **{"Content-Encoding": encoding})
    body = gzip.compress(b'{"call_order_id": "call_1"}')
    assert 200 == listener.post("", body, **{"Content-Encoding": "gzip"})
    code, out, err = listener.finish()
    assert 0 == code, err
    assert "call_1" == json.loads(out)["call_order_id"]
    assert "refused (415): Content-Encoding 'br' is not read (gzip, deflate or none)" in err
    assert 3 == err.count("warning:")
    assert "Traceback" not in err


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT is a POSIX signal")
@pytest.mark.parametrize(("signo", "expected"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_and_sigterm_stop_it_cleanly(
    listeners: list[Listener], signo: signal.Signals, expected: int
) -> None:
    """Ctrl-C: exit 130 as every command; SIGTERM: 143; no traceback either way."""
    listener = Listener()
    listeners.append(listener)
    listener.process.send_signal(signo)
    code, _, err = listener.finish()
    assert expected == code
    assert "Traceback" not in err


def test_a_port_in_use_is_a_clear_error() -> None:
    """Exit 2 with a message, not a traceback."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["webhooks", "listen", "--port", str(port)])
    assert 2 == result.exit_code
    assert f"cannot listen on 127.0.0.1:{port}" in result.output


def test_count_is_never_overshot_by_concurrent_posts(listeners: list[Listener]) -> None:
    """--count 1 under 20 concurrent posts: one 200, one event printed, the rest refused."""
    listener = Listener("--json", "--count", "1")
    listeners.append(listener)

    def post(n: int) -> int | str:
        try:
            return listener.post("", json.dumps({"call_order_id": f"c{n}"}).encode())
        except OSError as exc:  # the listener already gone
            return type(exc).__name__

    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(post, range(20)))
    code, out, err = listener.finish()
    assert 0 == code, err
    assert 1 == answers.count(200), answers
    assert 1 == len(out.splitlines())
    assert "Traceback" not in err


@pytest.mark.skipif(sys.platform == "win32", reason="a closed pipe is a POSIX matter here")
def test_a_closed_stdout_stops_it_cleanly(listeners: list[Listener]) -> None:
    """Like | head -1: once stdout is closed it stops (exit 0), no traceback, no more 200s."""
    listener = Listener("--json")
    listeners.append(listener)
    assert listener.process.stdout is not None
    listener.process.stdout.close()
    assert 200 == listener.post("", b'{"call_order_id": "c1"}')
    _, err = listener.process.communicate(timeout=30)
    assert 0 == listener.process.returncode, err
    assert "Traceback" not in err
    assert "Exception ignored" not in err
    port = int(listener.base.rstrip("/").rpartition(":")[2])
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port)):
        pass  # gone: no further event is answered 200 and dropped


def test_control_characters_are_escaped_in_pretty_output(listeners: list[Listener]) -> None:
    """Escape sequences in any value or key are shown escaped, never sent to the terminal."""
    listener = Listener("--count", "1")
    listeners.append(listener)
    body = {
        "call_order_id": "c\x1b]0;title\x07",
        "status": "completed\x9b2J",
        "result": "human\r",
        "annotation": "ok\x1b[2J",
        "recording_url": "https://r.example/\x1b[31m",
        "transcript": "user: hi\x1b[1A\u202e",
        "x\x1b[31mkey": "v\x1b",
    }
    assert 200 == listener.post("", json.dumps(body).encode())
    code, out, _ = listener.finish()
    assert 0 == code
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)  # rich's own styles, if any
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", plain), repr(out)
    assert "c\\x1b]0;title\\x07" in plain
    assert "ok\\x1b[2J" in plain
    assert "x\\x1b[31mkey" in plain


def test_markup_and_emoji_codes_are_printed_as_sent(listeners: list[Listener]) -> None:
    """Rich markup and ``:name:`` emoji codes in an event are text, printed as sent."""
    listener = Listener("--count", "1")
    listeners.append(listener)
    body = {"call_order_id": "call_1", "status": "completed", "annotation": "[b]ok[/] :smile:"}
    assert 200 == listener.post("", json.dumps(body).encode())
    code, out, _ = listener.finish()
    assert 0 == code
    assert "annotation: [b]ok[/] :smile:" in out


def test_json_output_escapes_c1_controls(listeners: list[Listener]) -> None:
    """--json keeps text as UTF-8 but writes C1 controls as \\u escapes (still valid JSON)."""
    listener = Listener("--json", "--count", "1")
    listeners.append(listener)
    assert 200 == listener.post("", json.dumps({"annotation": "a\x9bb é"}).encode())
    code, out, _ = listener.finish()
    assert 0 == code
    assert "\x9b" not in out
    assert "a\x9bb é" == json.loads(out)["annotation"]


def test_a_corrupt_gzip_body_is_one_warning_line(listeners: list[Listener]) -> None:
    """A body that does not inflate: 400 and one warning line, no traceback."""
    listener = Listener("--count", "1")
    listeners.append(listener)
    request = urllib.request.Request(
        listener.base, data=b"\x1f\x8b nope", method="POST", headers={"Content-Encoding": "gzip"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    refused.value.close()
    assert 400 == refused.value.code
    assert 200 == listener.post("", b"{}")
    code, _, err = listener.finish()
    assert 0 == code
    assert "Traceback" not in err
    assert 1 == sum("corrupt gzip body" in line for line in err.splitlines())


def test_an_ipv6_host_is_shown_in_brackets() -> None:
    """--host ::1 is shown as http://[::1]:port/."""
    if not socket.has_ipv6:
        pytest.skip("no IPv6")
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback")
    process = subprocess.Popen(
        [sys.executable, "-m", "revox_async", "webhooks", "listen", "--port", "0", "--host", "::1"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        banner = process.stderr.readline()
        assert re.search(r"http://\[::1\]:\d+/ ", banner), banner
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)


def test_a_secret_that_cannot_match_is_a_usage_error() -> None:
    """A secret with a '/' could never match in a path: exit 2, said clearly."""
    result = CliRunner().invoke(cli, ["webhooks", "listen", "--secret", "a/b"])
    assert 2 == result.exit_code
    assert "--secret" in result.output


def test_an_error_logged_with_a_traceback_is_shown_on_one_line() -> None:
    """aiohttp's own errors (say, an encoding it cannot read) print one line, no traceback."""
    import io
    import logging

    from rich.console import Console

    from revox_async.cli._webhooks import _StderrHandler

    console = Console(file=io.StringIO(), width=200)
    try:
        raise ValueError("Can not decode content-encoding: br\x1b[2J")
    except ValueError:
        record = logging.LogRecord(
            "aiohttp.server",
            logging.ERROR,
            __file__,
            1,
            "Error handling request",
            None,
            sys.exc_info(),
        )
    _StderrHandler(console).emit(record)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert 1 == len(text.splitlines())
    assert "Error handling request: ValueError: Can not decode content-encoding: br\\x1b[2J" in text
    assert "Traceback" not in text


def test_only_the_closed_servers_wakeup_noise_is_silenced() -> None:
    """CPython 3.13.0 prints a TypeError from Server._wakeup for a connection collected after
    its server closed: dropped. Any other unraisable exception still reaches the hook."""
    import types

    from revox_async.cli._webhooks import _quiet_closed_server_hook

    def _wakeup() -> None:
        raise TypeError("'NoneType' object is not iterable")

    def other() -> None:
        raise TypeError("something else")

    seen: list[BaseException | None] = []
    quiet = _quiet_closed_server_hook(lambda args: seen.append(args.exc_value))
    for raising in (_wakeup, other):
        try:
            raising()
        except TypeError as exc:
            args = types.SimpleNamespace(
                exc_type=TypeError,
                exc_value=exc,
                exc_traceback=exc.__traceback__,
                err_msg=None,
                object=None,
            )
            quiet(cast("sys.UnraisableHookArgs", args))
    assert ["something else"] == [str(e) for e in seen]


def banner_on_a_terminal(**env: str) -> bytes:
    """The first line ``webhooks listen`` writes to stderr when stderr is a terminal."""
    leader, follower = pty.openpty()
    environment = {**os.environ, "TERM": "xterm-256color", **env}
    for name in ("NO_COLOR", "FORCE_COLOR"):
        if name not in env:
            environment.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "revox_async", "webhooks", "listen", "--port", "0"],
        stdout=subprocess.DEVNULL,
        stderr=follower,
        stdin=subprocess.DEVNULL,
        env=environment,
    )
    os.close(follower)
    shown = b""
    try:
        while b"\n" not in shown:
            chunk = os.read(leader, 4096)
            if not chunk:
                break
            shown += chunk
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        os.close(leader)
    return shown


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is POSIX")
def test_on_a_terminal_the_banner_is_bold() -> None:
    """The control: on a terminal the address in the banner is bold."""
    assert b"\x1b[1m" in banner_on_a_terminal()


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is POSIX")
def test_no_color_means_no_bold_either() -> None:
    """NO_COLOR on a terminal: no escape sequence at all, bold included."""
    shown = banner_on_a_terminal(NO_COLOR="1")
    assert b"for call-completion webhooks" in shown
    assert b"\x1b" not in shown
