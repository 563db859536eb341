"""The journal on its own: one run at a time, send times, journals of earlier versions."""

from __future__ import annotations

import errno
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from revox_async import JournalLockedError, RevoxError
from revox_async._journal import Journal

BASE = "http://127.0.0.1:9/api"
HOLD = (
    "import sys; from pathlib import Path; from revox_async._journal import Journal; "
    "j = Journal.open(Path(sys.argv[1]), base_url=sys.argv[2]); "
    "print('held', flush=True); sys.stdin.read()"
)


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process that holds ``tmp_path / "j.jsonl"`` open until killed."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path / "j.jsonl"), BASE],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        assert "held" == process.stdout.readline().strip()
        yield process
    finally:
        process.kill()
        process.communicate(timeout=30)


def test_a_journal_held_by_another_process_is_refused_naming_it(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    """A second run on the same journal: JournalLockedError naming the journal and the pid."""
    with pytest.raises(JournalLockedError) as caught:
        Journal.open(tmp_path / "j.jsonl", base_url=BASE)
    message = str(caught.value)
    assert str(tmp_path / "j.jsonl") in message
    assert f"pid {holder.pid} on host {socket.gethostname()!r}" in message
    assert tmp_path / "j.jsonl" == caught.value.path


def test_a_killed_holder_leaves_nothing_to_clean(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    """SIGKILL the holder: its lock dies with it, and the next run opens the journal."""
    holder.kill()
    holder.communicate(timeout=30)
    journal = Journal.open(tmp_path / "j.jsonl", base_url=BASE)
    journal.close()
    assert {} == journal.entries


def test_a_second_open_in_the_same_process_is_refused(tmp_path: Path) -> None:
    """Two Journal objects on one file in one process would also double rows."""
    first = Journal.open(tmp_path / "j.jsonl", base_url=BASE)
    try:
        with pytest.raises(JournalLockedError, match=r"this process \(pid \d+\) already"):
            Journal.open(tmp_path / "j.jsonl", base_url=BASE)
    finally:
        first.close()
    Journal.open(tmp_path / "j.jsonl", base_url=BASE).close()  # closing released it


def test_the_lock_error_is_a_revox_error() -> None:
    """`except RevoxError` catches it, as every error the SDK raises."""
    assert issubclass(JournalLockedError, RevoxError)


def test_a_filesystem_without_locks_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ENOLCK (an NFS mount without a lock daemon): the error says the filesystem cannot lock."""
    fcntl = pytest.importorskip("fcntl")

    def refuse(fd: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))

    monkeypatch.setattr(fcntl, "flock", refuse)
    with pytest.raises(JournalLockedError, match="this filesystem has no file locks"):
        Journal.open(tmp_path / "j.jsonl", base_url=BASE)


def test_other_lock_failures_are_not_disguised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected OSError from the lock stays itself (and the file is closed)."""
    fcntl = pytest.importorskip("fcntl")

    def broken(fd: int, operation: int) -> None:
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(fcntl, "flock", broken)
    with pytest.raises(OSError, match="I/O error") as caught:
        Journal.open(tmp_path / "j.jsonl", base_url=BASE)
    assert not isinstance(caught.value, JournalLockedError)


def test_a_sent_record_carries_its_time_with_a_zone(tmp_path: Path) -> None:
    """`sent` writes "at" in UTC ISO 8601 with its offset; reopening reads it back aware."""
    at = datetime(2026, 12, 6, 17, 30, tzinfo=timezone(timedelta(hours=2)))
    journal = Journal.open(tmp_path / "j.jsonl", base_url=BASE, clock=lambda: at)
    journal.sent(0, "k0", "fp0")
    journal.close()
    record = json.loads((tmp_path / "j.jsonl").read_text().splitlines()[1])
    assert "2026-12-06T15:30:00+00:00" == record["at"]
    reopened = Journal.open(tmp_path / "j.jsonl", base_url=BASE)
    reopened.close()
    assert at == reopened.entries[0].sent_at
    assert UTC == reopened.entries[0].sent_at.tzinfo


def test_a_created_row_keeps_its_sent_time(tmp_path: Path) -> None:
    """The outcome after a `sent` keeps the time it was sent."""
    at = datetime(2026, 12, 6, 15, 30, tzinfo=UTC)
    journal = Journal.open(tmp_path / "j.jsonl", base_url=BASE, clock=lambda: at)
    journal.sent(0, "k0", "fp0")
    journal.created(0, "call_1")
    journal.close()
    reopened = Journal.open(tmp_path / "j.jsonl", base_url=BASE)
    reopened.close()
    assert ("created", "call_1", at) == (
        reopened.entries[0].state,
        reopened.entries[0].created_id,
        reopened.entries[0].sent_at,
    )


def test_a_journal_of_the_previous_version_still_resumes(tmp_path: Path) -> None:
    """`sent` records without "at" (or with an unreadable or zone-less one): sent_at None."""
    path = tmp_path / "old.jsonl"
    path.write_text(
        json.dumps(
            {"revox_async_journal": 1, "base_url": BASE, "started_at": "2026-01-01T00:00:00+00:00",
             "kind": "calls"}
        ) + "\n"
        + '{"row": 0, "key": "k0", "fp": "f0", "state": "sent"}\n'
        + '{"row": 1, "key": "k1", "fp": "f1", "state": "sent", "at": "2026-01-01T00:00:00"}\n'
        + '{"row": 2, "key": "k2", "fp": "f2", "state": "sent", "at": "soon"}\n'
        + '{"row": 3, "key": "k3", "fp": "f3", "state": "sent"}\n'
        + '{"row": 3, "state": "created", "id": "call_3"}\n'
    )  # fmt: skip
    journal = Journal.open(path, base_url=BASE, kind="calls")
    journal.close()
    assert [None, None, None, None] == [e.sent_at for e in journal.entries.values()]
    assert ["sent", "sent", "sent", "created"] == [e.state for e in journal.entries.values()]
    assert 3 == journal.unsettled


def test_unsettled_counts_rows_sent_without_an_outcome(tmp_path: Path) -> None:
    """Sent rows are unsettled until created or failed: what a re-run must check first."""
    journal = Journal.open(tmp_path / "j.jsonl", base_url=BASE)
    for row in range(4):
        journal.sent(row, f"k{row}", f"fp{row}")
    journal.created(0, "a0")
    journal.failed(1, retryable=True)
    journal.close()
    assert 2 == journal.unsettled


def test_the_holder_note_goes_with_a_clean_close(tmp_path: Path) -> None:
    """While open, `<journal>.lock` names the holder; a clean close removes it."""
    journal = Journal.open(tmp_path / "j.jsonl", base_url=BASE)
    note = json.loads((tmp_path / "j.jsonl.lock").read_text())
    journal.close()
    assert (os.getpid(), socket.gethostname()) == (note["pid"], note["host"])
    assert not (tmp_path / "j.jsonl.lock").exists()


def test_an_unreadable_holder_note_still_refuses(tmp_path: Path) -> None:
    """The note is information only: garbled, the refusal still comes, saying less."""
    first = Journal.open(tmp_path / "j.jsonl", base_url=BASE)
    (tmp_path / "j.jsonl.lock").write_text("{torn")
    try:
        with pytest.raises(JournalLockedError, match=r"another run holds it\. Two runs"):
            Journal.open(tmp_path / "j.jsonl", base_url=BASE)
    finally:
        first.close()
