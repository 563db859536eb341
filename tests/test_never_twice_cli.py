"""Nobody is called twice by ``revox-async calls create-many``, run as an operator would.

Each test runs the CLI as a subprocess against the hostile calls server
(`tests.hostile_calls`, served from a thread): Ctrl-C and the same command again at
once, two runs on one journal, an output file that names the input.
"""

from __future__ import annotations

import random
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile_calls import FAULTS, Faults, HostileCalls, Spawn, cli_processes

LATE = 0.5
"""The server places a call this long after the answer that left its outcome unknown."""
TIMEOUT = 1.5
"""The CLI's ``--timeout``: the window it lets the server work in defaults to it."""
ASSISTANT = "asst_hostile"


def contacts(path: Path, n: int) -> Path:
    """A CSV of ``n`` contacts, numbers written with spaces: ``+33 6 00 00 00 07``."""
    lines = ["phone_number,assistant_id,first_name"]
    for i in range(n):
        d = f"{i:08d}"
        lines.append(f"+33 6 {d[:2]} {d[2:4]} {d[4:6]} {d[6:]},{ASSISTANT},Ada-{i}")
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def spawn() -> Iterator[Spawn]:
    """``spawn(server, *args, timeout=, cwd=)`` runs ``revox-async --base-url URL calls
    create-many ARGS`` with ``REVOX_API_KEY`` set; any still running at the end is killed."""
    with cli_processes() as start:

        def create_many(
            server: HostileCalls,
            *args: str | Path,
            timeout: float = TIMEOUT,
            cwd: Path | None = None,
        ) -> subprocess.Popen[str]:
            options = ("--timeout", str(timeout), "--max-retries", "3", "calls", "create-many")
            process: subprocess.Popen[str] = start(server, *options, *args, cwd=cwd)
            return process

        yield create_many


def wait_for_posts(server: HostileCalls, count: int, process: subprocess.Popen[str]) -> None:
    """Until the server has received ``count`` POST /call in all (or the process ended)."""
    deadline = time.monotonic() + 60
    while server.posts < count and process.poll() is None:
        if time.monotonic() > deadline:
            raise AssertionError(f"the server never received {count} POST /call")
        time.sleep(0.01)


def duplicates(server: HostileCalls) -> int:
    return sum(n - 1 for n in server.placed.values())


@pytest.mark.slow
def test_2000_rows_through_faults_and_repeated_ctrl_c_are_each_placed_once(
    tmp_path: Path, spawn: Spawn
) -> None:
    """Every fault, zone-less times, numbers stored as dialled; Ctrl-C at a random moment
    and the same command again at once, five times, then once to the end: each row once."""
    rng = random.Random(2000)
    server = HostileCalls(
        Faults(kinds=FAULTS, rate=0.2, late=LATE, slow=TIMEOUT + LATE, seed=7),
        clock="naive",
        numbers="dialled",
    )
    source = contacts(tmp_path / "contacts.csv", 2000)
    args = (source, "--journal", tmp_path / "j.jsonl", "--concurrency", "32")
    sigints = runs = 0
    with server.running():
        while True:
            runs += 1
            process = spawn(server, *args)
            if sigints < 5:
                wait_for_posts(server, server.posts + rng.randint(20, 300), process)
                if process.poll() is None:
                    process.send_signal(signal.SIGINT)
                    sigints += 1
            out, err = process.communicate(timeout=300)
            if process.returncode == 0 or runs == 20:
                break
            assert 130 == process.returncode, err
            assert "run the same command again" in out
        server.wait_settled()
    counts = (
        f"rows 2000, attempts {server.posts}, lookups {server.lookups}, SIGINTs {sigints}, "
        f"re-runs {runs - 1}, duplicates {duplicates(server)}, faults {dict(server.faulted)}"
    )
    print(counts)
    assert 0 == process.returncode, err
    assert {} == server.twice(), counts
    assert 2000 == len(server.placed), counts
    assert 5 == sigints


def test_ctrl_c_then_the_same_command_at_once_places_each_row_once(
    tmp_path: Path, spawn: Spawn
) -> None:
    """Ctrl-C with --grace 0 abandons the 8 rows in flight, which the server places 6 s after
    receiving them; the same command run at once waits for them (--timeout 8), finds them,
    and places the rest: nobody twice."""
    server = HostileCalls(Faults(latency=6.0))
    source = contacts(tmp_path / "contacts.csv", 16)
    args = (source, "--journal", tmp_path / "j.jsonl", "--concurrency", "8", "--grace", "0")
    with server.running():
        first = spawn(server, *args, timeout=8.0)
        wait_for_posts(server, 8, first)
        first.send_signal(signal.SIGINT)
        out, err = first.communicate(timeout=60)
        assert 130 == first.returncode, err
        assert "run the same command again" in out
        again = spawn(server, *args, timeout=8.0)
        out, err = again.communicate(timeout=120)
        server.wait_settled()
    assert 0 == again.returncode, err
    assert {} == server.twice()
    assert 16 == len(server.placed)


def test_a_second_run_on_the_same_journal_exits_2_naming_it(tmp_path: Path, spawn: Spawn) -> None:
    """An overlapping run (a cron job started twice) is refused at once, naming the journal
    and the process that holds it; the first run places every row once."""
    server = HostileCalls(Faults(latency=0.5))  # the first run lasts ~10 s: the second
    source = contacts(tmp_path / "contacts.csv", 40)  # starts well before it ends, even slowly
    journal = tmp_path / "j.jsonl"
    args = (source, "--journal", journal, "--concurrency", "2")
    with server.running():
        first = spawn(server, *args)
        wait_for_posts(server, 2, first)
        second = spawn(server, *args)
        _, refused = second.communicate(timeout=60)
        _, err = first.communicate(timeout=120)
        server.wait_settled()
    assert 2 == second.returncode, refused
    assert str(journal) in refused.replace("\n", "")
    assert str(first.pid) in refused
    assert "Traceback" not in refused
    assert 0 == first.returncode, err
    assert {} == server.twice()
    assert 40 == len(server.placed)


@pytest.mark.parametrize(
    ("option", "target"),
    [
        ("--failed-out", "contacts.csv"),
        ("--failed-out", "./contacts.csv"),
        ("--failed-out", "link.csv"),
        ("--journal", "contacts.csv"),
        ("--failed-out", "j.jsonl"),
    ],
    ids=["same-path", "dot-slash", "symlink", "journal-is-input", "failed-out-is-journal"],
)
def test_an_output_naming_the_input_or_the_journal_is_refused_before_anything_is_sent(
    tmp_path: Path, spawn: Spawn, option: str, target: str
) -> None:
    """--failed-out (or --journal) naming the input, as the same file under another name
    too, or --failed-out naming the journal: exit 2 naming the option, nothing sent, the
    input untouched."""
    source = contacts(tmp_path / "contacts.csv", 20)
    (tmp_path / "link.csv").symlink_to(source)
    before = source.read_bytes()
    server = HostileCalls(refused=frozenset({"+33600000003"}))  # a row that fails
    outputs = {"--journal": "j.jsonl", option: target}
    args = [arg for pair in outputs.items() for arg in pair]
    with server.running():
        process = spawn(server, "contacts.csv", *args, cwd=tmp_path)
        _, err = process.communicate(timeout=60)
    assert 2 == process.returncode, err
    assert option in err
    assert 0 == server.posts
    assert before == source.read_bytes()
