"""Attack: Ctrl-C twice in ``calls create-many --no-journal``.

The second Ctrl-C exits at once: no summary, no failed-rows file. With a journal, it
holds what was placed; without one, nothing does, and the exit line said nothing of
it: running the file again (the obvious next step) calls every row placed so far a
second time. The line says so.
"""

from __future__ import annotations

import signal
from pathlib import Path

from tests.hostile_calls import Faults, HostileCalls
from tests.test_never_twice_cli import Spawn, contacts, spawn, wait_for_posts

__all__ = ["spawn"]  # the fixture, imported for this module's tests


def test_a_second_ctrl_c_without_a_journal_says_rerunning_would_call_them_again(
    tmp_path: Path, spawn: Spawn
) -> None:
    """Ctrl-C, the first line on stderr, Ctrl-C again: exit 130, and the line says the
    rows sent are recorded nowhere and would be sent again."""
    server = HostileCalls(Faults(latency=0.5))
    source = contacts(tmp_path / "contacts.csv", 40)
    with server.running():
        process = spawn(server, source, "--no-journal", "--concurrency", "2")
        wait_for_posts(server, 2, process)
        process.send_signal(signal.SIGINT)
        assert process.stderr is not None
        while "interrupted:" not in process.stderr.readline():
            pass
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    assert 130 == process.returncode
    assert "no journal was kept" in err
    assert "running the file again sends them again" in err
