"""The journal of a batch: each row's key and outcome, appended as they happen.

One JSON object a line, so a killed process leaves every line it wrote (each
is written with a single ``write`` and flushed; a torn last line is ignored)::

    {"revox_async_journal": 1, "base_url": "https://…/api", "started_at": "2026-…Z",
     "kind": "assistants"}
    {"row": 0, "key": "revox-async-…", "fp": "3f…", "state": "sent"}
    {"row": 0, "state": "created", "id": "asst_…"}
    {"row": 1, "key": "revox-async-…", "fp": "9a…", "state": "sent"}
    {"row": 1, "state": "failed", "retryable": false}

``row`` is the 0-based input position; ``fp`` a fingerprint of the row as
given, so a re-run over a changed input is refused instead of guessing. The
latest state of a row wins. ``sent`` with nothing after it means "outcome
unknown": a re-run checks the server before sending it again. ``kind`` is
what the batch creates (``assistants`` or ``calls``; a header without one is
an assistants journal): a journal is refused for the other kind.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import attrs

from ._exceptions import RevoxError

__all__ = ["Journal", "JournalEntry", "JournalMismatchError", "fingerprint"]

RowState = Literal["sent", "created", "failed"]
_VERSION = 1


class JournalMismatchError(RevoxError, ValueError):
    """The journal does not belong to this input (or this server): nothing is guessed."""


def fingerprint(params: Any) -> str:
    """A short, stable digest of one input row (keys sorted, models by their repr)."""
    text = json.dumps(params, sort_keys=True, default=repr, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


@attrs.frozen(kw_only=True)
class JournalEntry:
    """What the journal knows of one row: its latest state."""

    key: str
    fingerprint: str
    state: RowState
    assistant_id: str | None = None
    """The id the row created: an assistant's, or in a calls journal a call's."""


def _parse(
    lines: list[str], path: Path, base_url: str, kind: str
) -> tuple[datetime, dict[int, JournalEntry]]:
    header: dict[str, Any] | None = None
    entries: dict[int, JournalEntry] = {}
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue  # a line torn by a kill
        if not isinstance(record, dict):
            continue
        if header is None:
            if record.get("revox_async_journal") != _VERSION:
                raise JournalMismatchError(f"{path} is not a revox-async journal")
            header = record
            continue
        row, state = record.get("row"), record.get("state")
        if not isinstance(row, int) or state not in ("sent", "created", "failed"):
            continue
        if state == "sent":
            entries[row] = JournalEntry(
                key=str(record.get("key")), fingerprint=str(record.get("fp")), state="sent"
            )
        elif row in entries:
            entries[row] = attrs.evolve(
                entries[row], state=state, assistant_id=record.get("id") or None
            )
    if header is None:
        raise JournalMismatchError(f"{path} is not a revox-async journal")
    if header.get("base_url") != base_url:
        raise JournalMismatchError(
            f"{path} records a batch against {header.get('base_url')}, not {base_url}: "
            "use another journal for this server"
        )
    recorded = header.get("kind", "assistants")
    if recorded != kind:
        raise JournalMismatchError(
            f"{path} records a batch of {recorded}, not of {kind}: use another journal"
        )
    started = datetime.fromisoformat(str(header.get("started_at")).replace("Z", "+00:00"))
    return started, entries


class Journal:
    """An append-only record of a batch; reopen it to resume that batch.


        journal = Journal.open(Path("rows.journal.jsonl"), base_url=client.base_url)
        journal.entries.get(0)        # JournalEntry(key=…, state='created', …) or None

    ``started_at`` is when the first run began: every assistant the batch made
    was created after it (the check before re-sending uses it).
    """

    def __init__(
        self,
        path: Path,
        fd: int,
        started_at: datetime,
        entries: dict[int, JournalEntry],
        kind: str = "assistants",
    ) -> None:
        self.path = path
        self.kind = kind
        """What the batch creates: ``"assistants"`` or ``"calls"``."""
        self._fd = fd
        self.started_at = started_at
        self.entries = entries

    @classmethod
    def open(
        cls, path: Path, *, base_url: str, now: datetime | None = None, kind: str = "assistants"
    ) -> Journal:
        path = Path(path)
        lines: list[str] = []
        if path.exists():
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            if any(line.strip() for line in lines):
                started, entries = _parse(lines, path, base_url, kind)
                if os.fstat(fd).st_size and not path.read_bytes().endswith(b"\n"):
                    os.write(fd, b"\n")  # after a torn last line
            else:
                started, entries = (now or datetime.now(UTC)), {}
                header = {
                    "revox_async_journal": _VERSION,
                    "base_url": base_url,
                    "started_at": started.isoformat(),
                    "kind": kind,
                }
                os.write(fd, (json.dumps(header) + "\n").encode())
        except BaseException:
            os.close(fd)
            raise
        return cls(path, fd, started, entries, kind)

    def _append(self, record: dict[str, Any]) -> None:
        os.write(self._fd, (json.dumps(record, ensure_ascii=False) + "\n").encode())

    def sent(self, row: int, key: str, fp: str) -> None:
        """About to send ``row`` with ``key``: its outcome is unknown until recorded."""
        self._append({"row": row, "key": key, "fp": fp, "state": "sent"})

    def created(self, row: int, created_id: str) -> None:
        self._append({"row": row, "state": "created", "id": created_id})

    def failed(self, row: int, *, retryable: bool) -> None:
        self._append({"row": row, "state": "failed", "retryable": retryable})

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
