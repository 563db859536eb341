"""Attack: a journal line written in part (a full disk, a file size limit).

``os.write`` may write less than it was given (a disk filling up, ``RLIMIT_FSIZE``), or
write part and then fail. A torn line that the next record is appended to joins the
two into one unreadable line: both are lost, and a re-run sends the rows they named
again with new keys, without looking (a call placed twice). Each record is written
whole, and one that could not be is never glued to the next.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from revox_async import AsyncRevox, BatchAbortedError
from revox_async._journal import Journal
from tests.conftest import fill_disk_at

BASE = "http://127.0.0.1:9/api"


def test_a_short_write_is_completed_and_both_records_survive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first ``sent`` record is written in two parts by the OS: the re-opened journal
    knows row 0 was created and row 1 was sent."""
    journal = Journal.open(tmp_path / "j.jsonl", base_url=BASE, kind="calls")
    real, calls = os.write, []

    def halves(fd: int, data: bytes) -> int:
        calls.append(data)
        return real(fd, data[: max(1, len(data) // 2)] if len(calls) == 1 else data)

    monkeypatch.setattr(os, "write", halves)
    journal.sent(0, "k-0", "fp0")
    journal.created(0, "call_0")
    journal.sent(1, "k-1", "fp1")
    monkeypatch.undo()
    journal.close()
    entries = Journal.open(tmp_path / "j.jsonl", base_url=BASE, kind="calls").entries
    assert ("created", "call_0") == (entries[0].state, entries[0].created_id)
    assert ("sent", "k-1") == (entries[1].state, entries[1].key)


def test_a_record_torn_by_a_full_disk_is_not_glued_to_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Row 1's ``sent`` is written in part, then the disk is full (OSError raised); space
    comes back and row 0's ``created`` is appended: it survives, on a line of its own."""
    journal = Journal.open(tmp_path / "j.jsonl", base_url=BASE, kind="calls")
    journal.sent(0, "k-0", "fp0")
    real = os.write

    def full(fd: int, data: bytes) -> int:
        if b'"row": 1' not in data:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, data[: len(data) // 2])

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(OSError, match="No space left"):
        journal.sent(1, "k-1", "fp1")
    monkeypatch.undo()
    journal.created(0, "call_0")
    journal.close()
    entries = Journal.open(tmp_path / "j.jsonl", base_url=BASE, kind="calls").entries
    assert ("created", "call_0") == (entries[0].state, entries[0].created_id)
    assert 1 not in entries


def test_a_full_disk_names_the_journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A record that cannot be written for a full disk raises an error naming the journal
    (a bare ``[Errno 28]`` left the user guessing which file)."""
    path = tmp_path / "j.jsonl"
    journal = Journal.open(path, base_url=BASE, kind="calls")

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(OSError, match="No space left") as info:
        journal.sent(0, "k-0", "fp0")
    monkeypatch.undo()
    journal.close()
    assert f"[Errno 28] No space left on device: '{path}'" == str(info.value)


def test_a_journal_that_cannot_be_started_on_a_full_disk_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The header of a new journal cannot be written: the error names the journal."""
    path = tmp_path / "j.jsonl"

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(OSError, match="No space left") as info:
        Journal.open(path, base_url=BASE, kind="calls")
    assert str(path) == info.value.filename


async def test_a_batch_stopped_by_a_full_disk_says_which_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, api: AsyncRevox
) -> None:
    """``create_many`` whose journal fills up stops with an error naming the journal and
    the disk, not ``OSError(28, ...)``."""
    path = tmp_path / "j.jsonl"
    fill_disk_at(monkeypatch, b'"state": "sent"')
    with pytest.raises(BatchAbortedError) as info:
        await api.assistants.create_many([{"name": "a", "prompt": "p"}], journal=path)
    monkeypatch.undo()
    expected = f"create_many stopped: [Errno 28] No space left on device: '{path}'"
    assert str(info.value).startswith(expected)
