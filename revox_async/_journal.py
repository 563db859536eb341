"""The journal of a batch: each row's key and outcome, appended as they happen.

One JSON object a line, so a killed process leaves every line it wrote (each
is written with a single ``write`` and flushed; a torn last line is ignored)::

    {"revox_async_journal": 1, "base_url": "https://…/api", "started_at": "2026-…Z",
     "kind": "assistants"}
    {"row": 0, "key": "revox-async-…", "fp": "3f…", "state": "sent", "at": "2026-…+00:00",
     "by": "9c…"}
    {"row": 0, "state": "created", "id": "asst_…"}
    {"row": 1, "key": "revox-async-…", "fp": "9a…", "state": "sent", "at": "2026-…+00:00"}
    {"row": 1, "state": "failed", "retryable": false}

``row`` is the 0-based input position; ``fp`` a fingerprint of the row as
given, so a re-run over a changed input is refused instead of guessing. The
latest state of a row wins. ``sent`` with nothing after it means "outcome
unknown": a re-run checks the server before sending it again. ``kind`` is
what the batch creates (``assistants`` or ``calls``; a header without one is
an assistants journal): a journal is refused for the other kind. ``at`` on a
``sent`` record is when the row was sent (journals of earlier versions have
none: `JournalEntry.sent_at` is then ``None``); on Linux ``boot`` and ``up`` add
the boot's id and the boot clock (``CLOCK_BOOTTIME``, which counts suspend too and
is never stepped), so a re-run on the same boot knows how long ago it really was
whatever the wall clock did meanwhile (`JournalEntry.ages`); ``by`` a digest of the API key
that sent it (`key_digest`): a re-run with another key would look in another
account, so it leaves that row alone.

One run per journal: `Journal.open` locks the file (``flock`` on POSIX,
``msvcrt.locking`` on Windows) for the journal's life, and names who holds it in
``<journal>.lock``. The lock dies with its process, so a crash leaves nothing to
clean up (a stale ``.lock`` file is only information, overwritten by the next run).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import json
import os
import socket
import sys
import time
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar, cast

import attrs

from ._exceptions import RevoxError

__all__ = [
    "Journal",
    "JournalEntry",
    "JournalLockedError",
    "JournalMismatchError",
    "Renamed",
    "ages",
    "boot_clock",
    "fingerprint",
    "key_digest",
]

RowState = Literal["sent", "created", "failed"]
_V = TypeVar("_V")
_VERSION = 1


class JournalMismatchError(RevoxError, ValueError):
    """The journal does not belong to this input (or this server): nothing is guessed."""


class JournalLockedError(RevoxError):
    """Another run holds the journal (or the filesystem cannot lock it).

    Two runs appending to one journal would each send the rows the other is
    sending: the second is refused at once, its message naming the journal
    and the process that holds it. ``path`` is the journal.
    """

    def __init__(self, message: str, *, path: Path) -> None:
        super().__init__(message)
        self.path = path


class Renamed(Generic[_V]):
    """The deprecated name of a field, kept for one release: reading it warns
    (``DeprecationWarning``) and gives the field's value, or ``None`` in an object whose
    ``kind`` is not the old name's (a ``BatchItem``'s ``call`` in an assistants batch)."""

    def __init__(self, new: str, kind: str | None = None) -> None:
        self.new = new
        self.kind = kind
        other = {"assistants": "a calls", "calls": "an assistants"}.get(kind or "")
        self.__doc__ = f"Deprecated: read `{new}`" + (
            f" (None in {other} batch)." if other else "."
        )

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.old = name

    def __set__(self, obj: object, value: object) -> None:  # help() lists it with its doc
        raise AttributeError(f"{self.old} is read-only: a deprecated name of {self.new}")

    def __get__(self, obj: object, owner: type[Any]) -> _V:
        if obj is None:  # read on the class (by a documentation tool, say)
            return cast("_V", self)
        cls = owner.__name__
        warnings.warn(
            f"{cls}.{self.old} is deprecated: read {cls}.{self.new}, the same for every kind "
            "of batch (the old name goes in the next release)",
            DeprecationWarning,
            stacklevel=2,
        )
        same_kind = self.kind is None or getattr(obj, "kind", None) == self.kind
        return cast("_V", getattr(obj, self.new) if same_kind else None)


def fingerprint(params: Any) -> str:
    """A short, stable digest of one input row (keys sorted, models by their repr)."""
    text = json.dumps(params, sort_keys=True, default=repr, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def key_digest(api_key: str) -> str:
    """Which API key sent a row, without the key: a short digest of it."""
    return hashlib.sha256(api_key.encode()).hexdigest()[:12]


@attrs.frozen(kw_only=True)
class JournalEntry:
    """What the journal knows of one row: its latest state."""

    key: str
    fingerprint: str
    state: RowState
    created_id: str | None = None
    """The id of what the row created (an assistant's, or in a calls journal a call's)."""
    sent_at: datetime | None = None
    """When the row was last recorded as sent (aware, UTC); ``None`` in a journal
    written by a version that did not record it."""
    sent_by: str | None = None
    """The `key_digest` of the API key that last sent it (``None``: not recorded)."""
    sent_up: tuple[str, float] | None = None
    """The boot id and boot clock (`boot_clock`) when it was sent (``None``: not recorded)."""

    assistant_id = Renamed[str | None]("created_id")
    """Deprecated: `created_id` (it holds a call's id in a calls journal)."""


_utcnow = functools.partial(datetime.now, UTC)


@functools.cache
def _boot_id() -> str | None:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip() or None
    except OSError:
        return None


def boot_clock() -> tuple[str, float] | None:
    """This boot's id and seconds since it, suspend included (Linux's ``CLOCK_BOOTTIME``);
    ``None`` where the OS does not tell."""
    boot, clock = _boot_id(), getattr(time, "CLOCK_BOOTTIME", None)
    return None if boot is None or clock is None else (boot, time.clock_gettime(clock))


def ages(entry: JournalEntry) -> tuple[float, float] | None:
    """How long ago ``entry`` was sent, in seconds, as (the shortest, the longest) the clocks
    allow: the wall clock's count, and on the same boot the boot clock's too (a wall clock
    stepped either way since then then counts neither shorter nor longer than it was);
    ``None`` when its time was not recorded."""
    if entry.sent_at is None:
        return None
    wall = (_utcnow() - entry.sent_at).total_seconds()
    now = boot_clock()
    if now is None or entry.sent_up is None or entry.sent_up[0] != now[0]:
        return wall, wall
    real = now[1] - entry.sent_up[1]
    return min(wall, real), max(wall, real)


def _aware(value: object) -> datetime | None:
    """An ISO 8601 time with a zone, or ``None`` (absent, unreadable or zone-less)."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _up(boot: object, up: object) -> tuple[str, float] | None:
    if isinstance(boot, str) and isinstance(up, int | float) and not isinstance(up, bool):
        return boot, float(up)
    return None


def _loads(line: str) -> Any:
    try:
        return json.loads(line)
    except ValueError:
        return None  # a line torn by a kill


def _parse(
    lines: list[str], path: Path, base_url: str, kind: str
) -> tuple[datetime, dict[int, JournalEntry]]:
    records = (record for record in map(_loads, lines) if isinstance(record, dict))
    header = next(records, None)
    if header is None or header.get("revox_async_journal") != _VERSION:
        raise JournalMismatchError(f"{path} is not a revox-async journal")
    if header.get("base_url") != base_url:
        raise JournalMismatchError(
            f"{path} records a batch against {header.get('base_url')}, not {base_url}: "
            "use another journal for this server"
        )
    _require(path, header.get("kind", "assistants"), kind)
    entries: dict[int, JournalEntry] = {}
    for record in records:
        row, state = record.get("row"), record.get("state")
        if not isinstance(row, int) or state not in ("sent", "created", "failed"):
            continue
        if state == "sent":
            entries[row] = JournalEntry(
                key=str(record.get("key")),
                fingerprint=str(record.get("fp")),
                state="sent",
                sent_at=_aware(record.get("at")),
                sent_by=by if isinstance(by := record.get("by"), str) else None,
                sent_up=_up(record.get("boot"), record.get("up")),
            )
        elif row in entries:
            entries[row] = attrs.evolve(
                entries[row], state=state, created_id=record.get("id") or None
            )
    started = datetime.fromisoformat(str(header.get("started_at")).replace("Z", "+00:00"))
    return started, entries


def _require(path: Path, recorded: object, kind: str) -> None:
    if recorded != kind:
        raise JournalMismatchError(
            f"{path} records a batch of {recorded}, not of {kind}: use another journal"
        )


_REFUSED = frozenset(
    code
    for name in ("ENOLCK", "EOPNOTSUPP", "ENOTSUP", "EINVAL", "ENOSYS")
    if (code := getattr(errno, name, None)) is not None
)
"""What a filesystem without locks (some network shares) answers a lock request with."""
_WINDOWS_LOCK_AT = 0x7FFF_FFFF
"""Where the Windows lock sits: a byte past any journal's end, so readers are not blocked."""


def _lock(fd: int) -> None:
    """Lock ``fd`` exclusively or raise ``OSError`` at once (``BlockingIOError`` when held).

    ``flock`` (not ``lockf``): its lock belongs to the open file, so a second
    open in the same process is refused too.
    """
    if sys.platform == "win32":  # pragma: no cover - run on Windows only
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_AT, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EDEADLK):
                raise BlockingIOError(exc.errno, exc.strerror) from exc
            raise
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _holder(path: Path) -> str:
    """Who holds the journal, as its ``.lock`` file says."""
    try:
        run = json.loads(Journal.note_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        run = None
    if not isinstance(run, dict):
        return "another run holds it"
    pid, host, at = run.get("pid"), run.get("host"), run.get("at")
    if pid == os.getpid() and host == socket.gethostname():
        return f"this process (pid {pid}) already has it open"
    return f"another run holds it: pid {pid} on host {host!r}, started {at}"


class Journal:
    """An append-only record of a batch; reopen it to resume that batch.

        journal = Journal.open(Path("rows.journal.jsonl"), base_url=client.base_url)
        journal.entries.get(0)        # JournalEntry(key=…, state='created', …) or None
        journal.close()               # releases the lock (so does the process's end)

    ``started_at`` is when the first run began: every assistant the batch made
    was created after it (the check before re-sending uses it). While open, the
    journal is locked: a second `open` raises `JournalLockedError`.
    """

    def __init__(
        self,
        path: Path,
        fd: int,
        started_at: datetime,
        entries: dict[int, JournalEntry],
        kind: str = "assistants",
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.path = path
        self.kind = kind
        """What the batch creates: ``"assistants"`` or ``"calls"``."""
        self._fd = fd
        self._clock = clock
        self.started_at = started_at
        self.entries = entries
        self._unsettled = {row for row, entry in entries.items() if entry.state == "sent"}
        self._torn = False
        """Whether the last record was left written in part."""

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        base_url: str,
        kind: str = "assistants",
        clock: Callable[[], datetime] = _utcnow,
    ) -> Journal:
        """Open (or create) the journal at ``path`` and lock it for this run.

        ``JournalLockedError`` if another run holds it (or the filesystem
        cannot lock), ``JournalMismatchError`` if it records another server
        or kind. ``clock`` gives the times written.
        """
        path = Path(path)
        flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags, 0o644)
        try:
            try:
                _lock(fd)
            except BlockingIOError:
                raise JournalLockedError(
                    f"journal {path}: {_holder(path)}. Two runs on one journal would send "
                    "the same rows: wait for that run to end (or stop it), or use another "
                    "journal.",
                    path=path,
                ) from None
            except OSError as exc:
                if exc.errno not in _REFUSED:
                    raise
                raise JournalLockedError(
                    f"journal {path}: cannot lock it ({exc.strerror}): this filesystem has no "
                    "file locks (some network shares do not), so one run per journal cannot "
                    "be enforced. Keep the journal on a local disk.",
                    path=path,
                ) from None
            text = path.read_bytes()
            lines = text.decode("utf-8", errors="replace").splitlines()
            if any(line.strip() for line in lines):
                started, entries = _parse(lines, path, base_url, kind)
                if not text.endswith(b"\n"):
                    os.write(fd, b"\n")  # after a torn last line
            else:
                started, entries = clock(), {}
                header = {
                    "revox_async_journal": _VERSION,
                    "base_url": base_url,
                    "started_at": started.isoformat(),
                    "kind": kind,
                }
                os.write(fd, (json.dumps(header) + "\n").encode())
            run = {"pid": os.getpid(), "host": socket.gethostname(), "at": clock().isoformat()}
            Journal.note_path(path).write_text(json.dumps(run) + "\n", encoding="utf-8")
        except BaseException as exc:
            os.close(fd)
            if isinstance(exc, OSError):  # a full disk, say: the error names the journal
                exc.filename = exc.filename or str(path)
            raise
        return cls(path, fd, started, entries, kind, clock)

    @staticmethod
    def note_path(path: Path) -> Path:
        """Where the holder of the journal at ``path`` names itself: ``<journal>.lock``."""
        return path.with_name(path.name + ".lock")

    def require(self, kind: str) -> None:
        """Refuse (``JournalMismatchError``) a batch of another kind than the journal's."""
        _require(self.path, self.kind, kind)

    @property
    def unsettled(self) -> int:
        """How many rows are recorded as sent with no outcome: their outcome is unknown
        (a re-run checks them before sending anything)."""
        return len(self._unsettled)

    def _append(self, record: dict[str, Any]) -> None:
        """Write ``record`` whole: the OS may write part of it (a disk filling up), and a
        line left torn by an error is ended before the next, never glued to it."""
        data = (json.dumps(record, ensure_ascii=False) + "\n").encode()
        if self._torn:
            data = b"\n" + data
        self._torn = True
        try:
            while data:
                data = data[os.write(self._fd, data) :]
        except OSError as exc:  # a full disk, say: the error names the journal
            exc.filename = exc.filename or str(self.path)
            raise
        self._torn = False

    def sent(self, row: int, key: str, fp: str, by: str | None = None) -> None:
        """About to send ``row`` with ``key`` (``by``: the `key_digest` of the API key
        sending it): its outcome is unknown until recorded."""
        at = self._clock().astimezone(UTC).isoformat()
        record: dict[str, Any] = {"row": row, "key": key, "fp": fp, "state": "sent", "at": at}
        if (up := boot_clock()) is not None:
            record.update(boot=up[0], up=round(up[1], 3))
        self._append(record if by is None else {**record, "by": by})
        self._unsettled.add(row)

    def created(self, row: int, created_id: str) -> None:
        self._append({"row": row, "state": "created", "id": created_id})
        self._unsettled.discard(row)

    def failed(self, row: int, *, retryable: bool) -> None:
        self._append({"row": row, "state": "failed", "retryable": retryable})
        self._unsettled.discard(row)

    def close(self) -> None:
        """Close the file, which releases the lock (its ``.lock`` note goes first)."""
        if self._fd >= 0:
            with contextlib.suppress(OSError):
                Journal.note_path(self.path).unlink()
            os.close(self._fd)
            self._fd = -1
