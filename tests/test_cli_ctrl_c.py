"""Ctrl-C at any moment of a ``revox-async`` run exits 130, with no traceback.

SIGINT is sent at moments the test knows the command has reached (a module it imports
is made to wait, or the server got the request), never after a guessed delay: a signal
that lands while Python itself starts (before any line of the command runs) makes
CPython print its own traceback, which no program can prevent.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys

import pytest

DRIVER = """
import sys, time
from importlib.abc import MetaPathFinder

form, slow, *args = sys.argv[1:]


class Slow(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == slow:
            print("importing " + name, file=sys.stderr, flush=True)
            time.sleep(120)
        return None


sys.meta_path.insert(0, Slow())
sys.argv[1:] = args
if form == "script":  # what pip's revox-async script runs
    from importlib.metadata import entry_points

    (script,) = entry_points(group="console_scripts", name="revox-async")
    sys.exit(script.load()())
else:
    import runpy

    runpy.run_module("revox_async", run_name="__main__", alter_sys=True)
"""
"""Runs the command as ``revox-async`` or ``python -m revox_async`` do; the import of
``slow`` (a module name) first says so on stderr and waits for the signal."""

FORMS = ("script", "-m")


def interrupted(process: subprocess.Popen[str]) -> tuple[int, str]:
    """Send SIGINT; the exit status and all of stderr."""
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    return process.returncode, err


@pytest.mark.slow
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("slow", "args"),
    [
        ("revox_async.cli._app", ["--version"]),  # main() has just begun
        ("revox_async._client", ["--version"]),  # the SDK loads under the command
        ("revox_async.testing", ["mock", "serve", "--port", "0"]),  # a command began
    ],
)
def test_ctrl_c_while_the_command_loads_exits_130_without_a_traceback(
    form: str, slow: str, args: list[str]
) -> None:
    """Whether the command is loading or has just begun, exit 130 and no traceback."""
    process = subprocess.Popen(
        [sys.executable, "-c", DRIVER, form, slow, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    assert f"importing {slow}\n" == process.stderr.readline()
    status, err = interrupted(process)
    assert "Traceback" not in err
    assert 130 == status, err
    assert len(err.splitlines()) <= 1


@pytest.mark.slow
@pytest.mark.parametrize("form", FORMS)
def test_ctrl_c_while_a_command_waits_for_the_api_exits_130_not_aborted(form: str) -> None:
    """A command waiting for its answer exits 130 (click alone: "Aborted!" and 1)."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(120)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/api"
        args = ["--base-url", url, "--api-key", "k", "assistants", "list"]
        process = subprocess.Popen(
            [sys.executable, "-c", DRIVER, form, "-", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        connection, _ = listener.accept()
        with connection:
            assert connection.recv(65536).startswith(b"GET /api/assistants")
            status, err = interrupted(process)
    assert "Traceback" not in err
    assert 130 == status, err
    assert "" == err.strip()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("key", "said"),
    [
        ((), "before calling again, look: revox-async calls search --to-phone-number +33612345678"),
        (
            ("--idempotency-key", "k-1"),
            "this command run again as it is finds it instead of calling",
        ),
    ],
)
def test_ctrl_c_while_a_call_is_placed_says_how_to_settle_it(
    key: tuple[str, ...], said: str
) -> None:
    """Ctrl-C once ``POST /call`` reached the server: exit 130, and stderr says the call
    may have been placed and how to find it before calling again."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(120)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/api"
        args = ["--base-url", url, "--api-key", "k", "calls", "create"]
        args += ["--phone-number", "+33612345678", "--assistant-id", "a1", *key]
        process = subprocess.Popen(
            [sys.executable, "-c", DRIVER, "-m", "-", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        while True:  # a key of the caller's is searched for first: answer that search
            connection, _ = listener.accept()
            request = connection.recv(65536)
            if not request.startswith(b"POST /api/call/search"):
                break
            body = b'{"calls": [], "total_count": 0}'
            head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
            connection.sendall(head.encode() + body)
            connection.close()
        with connection:
            assert request.startswith(b"POST /api/call ")
            status, err = interrupted(process)
    assert "Traceback" not in err
    assert 130 == status, err
    assert said in " ".join(err.split())
