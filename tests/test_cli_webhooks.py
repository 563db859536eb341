"""``revox-async webhooks listen``, run as a real process."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator

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

    def post(self, path: str, body: bytes) -> int:
        request = urllib.request.Request(self.base + path, data=body, method="POST")
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
    listener = Listener("--count", "1", env={"REVOX_WEBHOOK_SECRET": "tok"})
    listeners.append(listener)
    assert "/<path>/tok" in listener.banner
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
    assert 200 == listener.post("hook/tok", json.dumps(body).encode())
    code, out, _ = listener.finish()
    assert 0 == code
    assert "call_1 completed result=voicemail attempts=2 ended_at=2025-01-02" in out
    assert "annotation: Left a message." in out
    assert "recording: https://r.example/1.wav" in out
    assert "│ assistant: Sorry I missed you" in out
    assert 'sentiment: "neutral"' in out


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT is a POSIX signal")
def test_ctrl_c_stops_it_cleanly(listeners: list[Listener]) -> None:
    """Ctrl-C: exit 0, no traceback."""
    listener = Listener()
    listeners.append(listener)
    listener.process.send_signal(signal.SIGINT)
    code, _, err = listener.finish()
    assert 0 == code
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
