"""``assistants create-many`` and ``calls create-many``: stream the rows through a batch,
journal, Ctrl-C, summary."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import json
import math
import os
import shlex
import signal
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import attrs
import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from revox_async import (
    APIError,
    AsyncRevox,
    AuthenticationError,
    BatchAbortedError,
    BatchItem,
    BatchStream,
    JournalLockedError,
    JournalMismatchError,
    NotFoundError,
    PermissionDeniedError,
)
from revox_async._batch import CALL_KEY_FIELD, stop_reason
from revox_async._core import RequestOptions, key_made_at, new_idempotency_key
from revox_async._journal import Journal
from revox_async._models.assistants import SERVER_FIELDS
from revox_async._resources.calls import dialled, keyed_call_body

from ._common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    MOCK_OUTCOME_WINDOW,
    Settings,
    apply,
    connect,
    fail,
    given_args,
    json_flag,
    mock_server,
    on_signals,
)
from ._inputs import (
    FailedRows,
    Format,
    InputError,
    InvalidRow,
    Reader,
    Row,
    call_row,
    check_file,
    csv_row,
    is_stdin,
    same_file,
)
from ._output import err_console, out_console

_F = TypeVar("_F", bound=Callable[..., Any])
SETTLE_SECONDS = 10.0
"""After Ctrl-C, how long rows in flight may take to finish before they are cancelled."""


@attrs.frozen(kw_only=True)
class BulkOptions:
    file: Path | None
    """``None`` reads stdin."""
    concurrency: int
    rate_limit: float | None
    failed_out: Path | None
    journal: Path | None
    no_journal: bool
    grace: float = SETTLE_SECONDS
    calls: bool = False
    """Place calls (``calls create-many``) instead of creating assistants."""
    assistant_id: str | None = None
    """``calls create-many --assistant-id``: for rows that name no assistant."""
    dry_run: bool = False
    """``calls create-many --dry-run``: check every row and its assistant, send nothing."""
    allow_repeat_numbers: bool = False
    """``calls create-many --allow-repeat-numbers``: a number may be called by several rows."""
    again: tuple[str, ...] = ()
    """The command's options as given, to repeat in "run the same command again"."""
    retry: tuple[str, ...] = ()
    """The same without ``--failed-out`` and ``--journal``: to retry the failed-rows file."""

    @property
    def command(self) -> str:
        return f"{self.noun}s create-many"

    @property
    def noun(self) -> str:
        """What a row makes: ``"call"`` or ``"assistant"``."""
        return "call" if self.calls else "assistant"

    @property
    def made(self) -> str:
        """What happened to a row that succeeded: ``"placed"`` or ``"created"``."""
        return "placed" if self.calls else "created"

    def reader(self) -> Reader:
        """A fresh reader of the input, converting rows as this command does."""
        if self.calls:
            return Reader(self.file, csv_convert=call_row, listings=False)
        return Reader(self.file, csv_convert=csv_row)


def journal_path(options: BulkOptions, *, mock: bool, base_url: str) -> Path | None:
    """Where the journal goes: as asked, else next to the file, named for the server.

    The default name carries a digest of the base URL, so runs against two
    servers keep two journals. With ``--mock`` every run starts a fresh, empty
    server, so a journal from an earlier run would claim rows exist that do
    not: no default journal then, nor for stdin (nothing to re-read).
    """
    if options.no_journal:
        return None
    if options.journal is not None:
        return options.journal
    if mock or options.file is None:
        return None
    digest = hashlib.sha256(base_url.encode()).hexdigest()[:8]
    return options.file.with_name(f"{options.file.name}.{digest}.journal.jsonl")


def failed_path(options: BulkOptions, fmt: str) -> Path:
    if options.failed_out is not None:
        return options.failed_out
    if options.file is None:
        return Path(f"stdin.failed.{fmt}")
    return options.file.with_name(f"{options.file.name}.failed.{fmt}")


def first_line(error: BaseException | None) -> str:
    """The gist of an item's error: no method and URL (they are the same for every row)."""
    if error is None:
        return ""
    text = str(error)
    if isinstance(error, APIError):
        text = text.replace(f"{error.method} {error.url} ", "", 1)
    return text.splitlines()[0] if text else type(error).__name__


@attrs.define
class Interrupt:
    """Ctrl-C: the first stops the batch and bounds the wait; the second exits at once."""

    grace: float = SETTLE_SECONDS
    run: BatchStream | None = None
    journal: Path | None = None
    presses: int = 0
    timed_out: bool = False
    task: asyncio.Task[Any] | None = None

    def __call__(self) -> None:
        self.presses += 1
        if self.presses > 1:
            where = (
                f"; journal: {self.journal}"
                if self.journal
                else (
                    "; no journal was kept: the rows sent so far are recorded nowhere, and "
                    "running the file again sends them again"
                )
            )
            sys.stderr.write(f"\ninterrupted again: exiting now{where}\n")
            sys.stderr.flush()
            os._exit(EXIT_INTERRUPTED)
        sys.stderr.write(
            "\ninterrupted: starting no new rows; letting those in flight finish "
            f"(at most {self.grace:g} s; Ctrl-C again to quit now)\n"
        )
        sys.stderr.flush()
        if self.run is not None:
            self.run.stop()
        asyncio.get_running_loop().call_later(self.grace, self._give_up)

    def _give_up(self) -> None:
        if self.task is not None and not self.task.done():
            self.timed_out = True
            self.task.cancel()


@attrs.define
class Outcome:
    """What a run came to: its counts, the first failures for the table (nothing per row
    beyond that) and how it ended; as constructed, that of an input with no row."""

    created: int = 0
    found: int = 0
    from_journal: int = 0
    failed: int = 0
    not_sent: int = 0
    retryable: int = 0
    unknown: int = 0
    """Rows sent with no outcome kept (the journal's count when there is one)."""
    first_failures: list[BatchItem] = attrs.Factory(list)
    elapsed: float = 0.0
    stop_error: Exception | None = None
    abort_error: BaseException | None = None
    interrupted: bool = False
    failed_file: Path | None = None
    dropped: int = 0
    journal: Path | None = None
    timed_out: bool = False

    @property
    def total(self) -> int:
        return self.created + self.from_journal + self.failed + self.not_sent

    def add(self, item: BatchItem) -> None:
        if item.status == "created":
            if item.from_journal:
                self.from_journal += 1
            else:
                self.created += 1
                self.found += item.found_by_check
            return
        if item.status == "failed":
            self.failed += 1
        else:
            self.not_sent += 1
        self.retryable += item.retryable
        self.unknown += item.maybe_created
        if len(self.first_failures) < 20 and item.status == "failed":
            self.first_failures.append(item)


def run_create_many(settings: Settings, options: BulkOptions) -> int:
    """Run the command; return its exit code."""
    rate = options.rate_limit
    if rate is not None and not (math.isfinite(rate) and rate > 0):
        fail("--rate-limit: must be a positive number of rows per second", EXIT_USAGE)
    for label, path in (("--failed-out", options.failed_out), ("--journal", options.journal)):
        if path is not None and not path.parent.is_dir():  # now, not once rows were sent
            fail(f"{label}: the folder {str(path.parent)!r} does not exist", EXIT_USAGE)
    total = fmt = None
    if options.file is not None:
        total, fmt = _check_ahead(options)
        if total == 0:
            return _empty(settings, options)
    try:
        if options.dry_run:
            return asyncio.run(_dry_run(settings, options))
        interrupt = Interrupt(grace=options.grace)
        outcome = asyncio.run(_main(settings, options, total, fmt, interrupt))
    except (JournalMismatchError, JournalLockedError, InputError) as exc:
        fail(str(exc), EXIT_USAGE)
    except (AuthenticationError, PermissionDeniedError) as exc:
        fail(f"{exc} (check REVOX_API_KEY)", EXIT_USAGE)
    except NotFoundError:  # only the check of --assistant-id raises it
        fail(f"--assistant-id: no assistant {options.assistant_id!r} on this server", EXIT_USAGE)
    except APIError as exc:  # a check of the assistants could not be made
        what = "the assistants" if options.dry_run else "--assistant-id"
        fail(f"{what} could not be checked: {exc}", EXIT_FAILED)
    except KeyboardInterrupt:  # pragma: no cover - Ctrl-C before the batch began
        fail("interrupted before any row was sent", EXIT_INTERRUPTED)
    except OSError as exc:  # a journal or failed-rows file that cannot be written
        fail(f"{exc.filename or 'a file'}: {exc.strerror or exc}", EXIT_FAILED)
    if outcome is None:
        return _empty(settings, options)
    return _report(settings, options, outcome)


def _check_ahead(options: BulkOptions) -> tuple[int, Format | None]:
    """Read the whole file before anything is sent or written: the rows it holds and its
    format, or exit 2 on a line that cannot be read or (calls) a number two rows would
    call."""
    assert options.file is not None
    if not options.file.is_file():
        fail(f"file {str(options.file)!r} does not exist", EXIT_USAGE)
    repeats = options.calls and not (options.allow_repeat_numbers or options.dry_run)
    reader = options.reader()
    try:
        count, repeated = check_file(reader, repeats=repeats)
    except InputError as exc:
        fail(f"{options.file}: {exc}", EXIT_USAGE)
    except KeyboardInterrupt:  # pragma: no cover - Ctrl-C while reading a huge file
        fail("interrupted before any row was sent", EXIT_INTERRUPTED)
    if repeated:
        fail(_repeats(options.file, repeated), EXIT_USAGE)
    return count, reader.format


def _repeats(file: Path, repeated: dict[str, list[int]]) -> str:
    repeats = list(repeated.items())
    shown = "; ".join(
        f"rows {', '.join(map(str, rows[:5]))}{' ...' if len(rows) > 5 else ''} call {number}"
        for number, rows in repeats[:5]
    )
    more = f" (and {len(repeats) - 5} other number(s))" if len(repeats) > 5 else ""
    return (
        f"{file}: the same number in more than one row ({shown}{more}; numbers compared by "
        "their digits, with or without a +). Nothing was sent. Remove the repeats, or pass "
        "--allow-repeat-numbers to call a number once per row."
    )


def _empty(settings: Settings, options: BulkOptions) -> int:
    where = options.file if options.file is not None else "stdin"
    _say(err_console(), f"warning: {where} holds no row: nothing to send")
    if settings.as_json:
        sys.stdout.write('{"results": [')
        _report(settings, options, Outcome())
    return EXIT_OK


def _made_key(row: object) -> bool:
    """Whether ``row`` carries a key this SDK made (an earlier run's failed rows do)."""
    key = row.get("idempotency_key") if isinstance(row, dict) else None
    return isinstance(key, str) and key_made_at(key) is not None


def _saying_keys_wait(rows: Iterator[Row], wait: float) -> Iterator[Row]:
    """``rows``, saying once, at the first that carries a key this SDK made (a failed-rows
    file run again at once: its keys may be fresh), that such rows wait ``wait`` seconds
    before their search (a failed-rows file's first row may have none: refused unsent)."""
    for row in rows:
        if wait and _made_key(row.value):
            _say(
                err_console(),
                "rows carrying keys made in the last few minutes (a failed-rows file) wait "
                f"up to {wait:g} s before each is searched for: an attempt made with it may "
                "still be under way",
            )
            wait = 0.0
        yield row


def _refuse_clobbering(options: BulkOptions, journal: Path | None, fmt: str | None) -> None:
    """Exit 2 if a file the command writes (the failed rows, the journal, its lock note)
    is the input or another of them (the same file, however named), before anything is
    sent or written."""
    label = "--failed-out" if options.failed_out is not None else "the failed-rows file"
    formats = (fmt,) if fmt else ("jsonl", "json", "csv")
    outputs = [(label, "the failed-rows file", failed_path(options, f)) for f in formats]
    if journal is not None:
        note = Journal.note_path(journal)
        outputs += [("--journal", "the journal", journal), (str(note), "its lock note", note)]
    inputs = [("the input file", options.file)] if options.file is not None else []
    for i, (name, _, output) in enumerate(outputs):
        others = inputs + [(what, path) for _, what, path in outputs[i + 1 :]]
        clashes = [
            f"{what} ({other})"
            for what, other in others
            if what != "the failed-rows file" and same_file(output, other)
        ]
        if options.file is None and is_stdin(output):
            clashes.append("the file standard input reads")
        if clashes:
            fail(
                f"{name} {output} is {clashes[0]}: writing it would destroy it. Nothing was "
                "sent; choose another path.",
                EXIT_USAGE,
            )


async def _main(
    settings: Settings,
    options: BulkOptions,
    total: int | None,
    fmt: str | None,
    interrupt: Interrupt,
) -> Outcome | None:
    """The run; ``None`` when the input (stdin) held no row."""
    async with _batch_client(settings, options) as client:
        journal = None
        journal_file = journal_path(options, mock=settings.mock, base_url=client.base_url)
        reader = options.reader()
        _refuse_clobbering(options, journal_file, fmt)
        if options.assistant_id is not None:
            await client.assistants.retrieve(options.assistant_id)  # a wrong id: say so now
        rows = reader.rows()
        first = next(rows, None)  # stdin: a bad or empty input fails before any journal
        if first is None:
            return None
        interrupt.journal = journal_file
        if not settings.as_json:
            if journal_file is not None:
                _say(err_console(), f"journal: {journal_file}")
            elif settings.mock and not options.no_journal:
                _say(err_console(), "journal: none (--mock starts an empty server each run)")
        if journal_file is not None:
            journal = Journal.open(journal_file, base_url=client.base_url, kind=f"{options.noun}s")
            if journal.entries and not settings.as_json:
                wait = client.timeout + client.outcome_window
                unsettled = journal.unsettled and (
                    f"; {journal.unsettled} sent without an answer are checked {wait:g} s "
                    "after they were sent (the server may still be working on them)"
                )
                _say(
                    err_console(),
                    f"resuming: {len(journal.entries)} row(s) recorded by an earlier run"
                    f"{unsettled or ''}",
                )
        resumed = journal is not None and journal.entries
        try:
            rows = itertools.chain((first,), rows)
            if options.calls and not settings.as_json and not resumed:
                rows = _saying_keys_wait(rows, client.timeout + client.outcome_window)
            outcome = await _stream(
                settings, options, client, total, journal, interrupt, reader, rows
            )
            if journal is not None:
                outcome.unknown = journal.unsettled
            return outcome
        finally:
            if journal is not None:
                journal.close()


DEMO_PROMPT = "You are a demo caller of the embedded mock server."


@contextlib.asynccontextmanager
async def _batch_client(settings: Settings, options: BulkOptions) -> AsyncIterator[AsyncRevox]:
    """The command's client. With ``--mock`` every run starts an empty server, so
    ``calls create-many --assistant-id ID`` first puts a demo assistant with that id
    on it (there is no other way to have one there)."""
    if not (settings.mock and options.assistant_id is not None):
        async with connect(settings) as client:
            yield client
        return
    async with mock_server(settings.mock_faults) as server:
        window = MOCK_OUTCOME_WINDOW if settings.outcome_window is None else settings.outcome_window
        local = attrs.evolve(
            settings,
            mock=False,
            api_key=server.api_key,
            base_url=server.base_url,
            outcome_window=window,
        )
        async with connect(local) as client:
            plan, server.faults = server.faults, None  # the demo is not a row: no fault
            demo = await client.assistants.create(name="Demo caller (--mock)", prompt=DEMO_PROMPT)
            server.faults = plan  # as new: the rows meet the faults a fresh server has
            made = server.assistants.pop(demo.id)
            server.assistants[options.assistant_id] = {**made, "id": options.assistant_id}
            yield client


def _with_assistant(row: Any, assistant_id: str | None) -> Any:
    """A call row naming no assistant gets ``--assistant-id`` (``None`` for assistants)."""
    if assistant_id is None or not isinstance(row, dict):
        return row
    if row.get("assistant_id") is None and row.get("assistant") is None:
        return {**row, "assistant_id": assistant_id}
    return row


async def _stream(
    settings: Settings,
    options: BulkOptions,
    client: Any,
    total: int | None,
    journal: Journal | None,
    interrupt: Interrupt,
    reader: Reader,
    given: Iterator[Row],
) -> Outcome:
    pending: dict[int, Any] = {}
    read = 0

    def rows() -> Iterator[Any]:
        nonlocal read
        for row in given:
            pending[read] = row.raw
            read += 1
            yield _with_assistant(row.value, options.assistant_id)

    # From stdin, a number called twice fails at its row: the file was not read ahead.
    repeats = {"allow_repeat_numbers": options.allow_repeat_numbers} if options.calls else {}
    run = (client.calls if options.calls else client.assistants).create_many_iter(
        rows(),
        journal=journal,
        concurrency=options.concurrency,
        rate_limit=options.rate_limit,
        **repeats,
    )
    interrupt.run = run
    interrupt.task = asyncio.current_task()
    outcome = Outcome()
    fmt = reader.format or "jsonl"
    failed = FailedRows(failed_path(options, fmt), fmt, reader.header, reader.delimiter)
    started = time.perf_counter()
    err = err_console()
    as_json = settings.as_json
    if as_json:
        sys.stdout.write('{"results": [')
    with (
        Progress(
            TextColumn("[bold]placing calls" if options.calls else "[bold]creating"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("[red]{task.fields[failed]} failed"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=as_json or not err.is_terminal,
        ) as progress,
        on_signals({signal.SIGINT: interrupt, signal.SIGTERM: interrupt}),
    ):
        bar = progress.add_task("create", total=total, failed=0)
        try:
            async with contextlib.aclosing(run):
                async for finished in run:
                    item = finished
                    if isinstance(item.params, InvalidRow):  # the batch only says "not a mapping"
                        item = attrs.evolve(item, error=InputError(item.params.problem))
                    raw = pending.pop(item.index, None)
                    outcome.add(item)
                    failed_row = item.status != "created"
                    failed.done(
                        item.index,
                        _with_key(raw, item, reader.header) if failed_row else None,
                        failed=failed_row,
                    )
                    if as_json:
                        sys.stdout.write(("," if outcome.total > 1 else "") + _json_item(item))
                    progress.update(bar, completed=outcome.total, failed=outcome.failed)
        except BatchAbortedError as exc:  # the input raised: every item was yielded
            outcome.abort_error = exc.__cause__
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if not interrupt.timed_out or task is None:
                raise
            task.uncancel()
        finally:
            if interrupt.presses and options.file is not None and outcome.abort_error is None:
                _unread_rows(given, read, outcome, failed)
            outcome.failed_file = failed.close()
    return attrs.evolve(
        outcome,
        elapsed=time.perf_counter() - started,
        stop_error=run.stop_error,
        abort_error=outcome.abort_error if interrupt.presses == 0 else None,
        interrupted=interrupt.presses > 0,
        dropped=reader.dropped,
        journal=journal.path if journal is not None else None,
        timed_out=interrupt.timed_out,
    )


def _unread_rows(given: Iterator[Row], read: int, outcome: Outcome, failed: FailedRows) -> None:
    """After Ctrl-C, the rows of FILE the batch never read go to the failed-rows file as
    not sent, so that retrying that file misses none (stdin is not read on)."""
    with contextlib.suppress(Exception):  # a bad row further on: the file holds those before it
        for index, row in enumerate(given, start=read):
            failed.done(index, row.raw, failed=True)
            outcome.not_sent += 1


def _with_key(raw: Any, item: BatchItem, header: list[str] | None) -> Any:
    """The row as given, plus the key it was sent with (a server honouring keys then
    answers a retry with the assistant it may already have made)."""
    key = item.idempotency_key
    if key is None or item.status == "not_sent":
        return raw
    if header is not None and isinstance(raw, list):
        row = [*raw, *[""] * (len(header) - len(raw))]
        if "idempotency_key" not in header:
            return [*row, key]
        at = header.index("idempotency_key")  # a failed-rows file: fill an empty cell
        return raw if row[at] else [*row[:at], key, *row[at + 1 :]]
    value = raw
    if isinstance(raw, str):  # a JSON Lines line
        with contextlib.suppress(ValueError):
            value = json.loads(raw)
    if not isinstance(value, dict) or value.get("idempotency_key"):
        return raw
    keyed = {**value, "idempotency_key": key}
    return json.dumps(keyed, ensure_ascii=False) if isinstance(raw, str) else keyed


def _json_item(item: BatchItem) -> str:
    return json.dumps(
        {
            "row": item.index + 1,
            "status": item.status,
            "id": item.created_id,
            "error": first_line(item.error) or None,
            "maybe_created": item.maybe_created,
            "found_by_check": item.found_by_check,
            "from_journal": item.from_journal,
        },
        ensure_ascii=False,
    )


def _report(settings: Settings, options: BulkOptions, outcome: Outcome) -> int:
    stop = outcome.stop_error
    abort = outcome.abort_error
    if settings.as_json:
        summary = {
            "created": outcome.created,
            "found_by_check": outcome.found,
            "already_created": outcome.from_journal,
            "failed": outcome.failed,
            "not_sent": outcome.not_sent,
            "seconds": round(outcome.elapsed, 3),
            "failed_file": str(outcome.failed_file) if outcome.failed_file else None,
            "journal": str(outcome.journal) if outcome.journal else None,
            "stopped": stop_reason(stop) if stop is not None else None,
            "interrupted": outcome.interrupted,
            "unknown": outcome.unknown,
        }
        sys.stdout.write("], " + json.dumps(summary)[1:] + "\n")
        sys.stdout.flush()
    else:
        _summary(settings, options, outcome)
    if outcome.dropped:
        _say(
            err_console(),
            f"note: {outcome.dropped} row(s) looked like `assistants list --json` output; their "
            f"server-only fields ({', '.join(sorted(SERVER_FIELDS))}, FAQ ids) were left out.",
        )
    if outcome.interrupted:
        return EXIT_INTERRUPTED
    if abort is not None:  # the input, or a journal that cannot be written (a full disk)
        plain = isinstance(abort, InputError | JournalMismatchError | OSError)
        _say(err_console(), ("error:", "bold red"), f" {abort if plain else repr(abort)}")
        return EXIT_FAILED if isinstance(abort, OSError) else EXIT_USAGE
    if isinstance(stop, AuthenticationError | PermissionDeniedError):
        return EXIT_USAGE
    if outcome.failed or outcome.not_sent or stop is not None:
        return EXIT_FAILED
    return EXIT_OK


def _command(
    settings: Settings, options: BulkOptions, path: Path | None, *, retry: bool = False
) -> str:
    """The command to run again, with the global and command options given this time
    (``--mock``, ``--base-url``...; never ``--api-key``); ``retry``: on the failed-rows
    file, without ``--failed-out`` and ``--journal``."""
    source = "-" if path is None else shlex.quote(str(path))
    given = options.retry if retry else options.again
    return " ".join(["revox-async", *settings.global_args, options.command, source, *given])


def _say(console: Console, *parts: str | tuple[str, str]) -> None:
    """One message, its parts plain text or ``(text, style)``: a file name or a server's
    error message is printed as it is, never read as rich markup."""
    console.print(Text.assemble(*parts))


def _summary(settings: Settings, options: BulkOptions, outcome: Outcome) -> None:
    out = out_console()
    name = options.file.name if options.file is not None else "stdin"
    counts = Table(title=Text(f"{options.command} {name}", "table.title"), show_header=False)
    counts.add_column(style="bold")
    counts.add_column(justify="right")
    rate = outcome.total / outcome.elapsed if outcome.elapsed else 0
    for label, value, style, shown in (
        (options.made, outcome.created, "green", True),
        ("  of which found by a check", outcome.found, "", outcome.found),
        (f"already {options.made} (journal)", outcome.from_journal, "", outcome.from_journal),
        ("failed", outcome.failed, "red" if outcome.failed else "", True),
        ("not sent", outcome.not_sent, "yellow", outcome.not_sent),
        ("total", outcome.total, "", True),
        ("time", f"{outcome.elapsed:.2f} s", "", True),
        ("rate", f"{rate:.0f} rows/s" if rate else "-", "", True),
    ):
        if shown:
            counts.add_row(label, Text.assemble((str(value), style)))
    out.print(counts)
    if outcome.first_failures:
        shown_first = f"failed rows (first {len(outcome.first_failures)})"
        errors = Table(title=Text(shown_first, "table.title"))
        label = "phone_number" if options.calls else "name"
        for column in ("row", label, "error", "may exist"):
            errors.add_column(column)
        for item in outcome.first_failures:
            params = item.params
            row_name = params.get(label, "-") if isinstance(params, dict) else "-"
            errors.add_row(
                str(item.index + 1),
                Text(str(row_name)),
                Text(first_line(item.error)),
                "yes" if item.maybe_created else "",
            )
        out.print(errors)
    if outcome.stop_error is not None:
        _say(
            out,
            ("stopped:", "bold red"),
            f" {stop_reason(outcome.stop_error)}; {outcome.not_sent} row(s) not sent.",
        )
    if outcome.interrupted:
        cancelled = (
            f": rows still in flight after {options.grace:g} s were cancelled "
            "(the journal has their keys; a re-run checks them)"
        )
        _say(out, ("interrupted", "bold yellow"), cancelled if outcome.timed_out else "")
    if outcome.unknown:
        _say(
            out,
            (f"{outcome.unknown} row(s) with an unknown outcome", "bold yellow"),
            f": sent, and no answer kept (the {options.noun} may exist).",
        )
    _next_steps(settings, options, outcome, out)


def _next_steps(settings: Settings, options: BulkOptions, outcome: Outcome, out: Console) -> None:
    """What to do now: resume with the journal, or retry the failed-rows file."""
    if outcome.journal is not None:
        _say(out, f"journal: {outcome.journal}")
        if outcome.interrupted or outcome.failed or outcome.not_sent or outcome.unknown:
            checks = (
                f"first checks the {outcome.unknown} row(s) whose outcome is unknown (once "
                "the server can no longer be working on them) and sends only those it does "
                "not find"
                if outcome.unknown
                else "checks any row whose outcome is unknown before sending it"
            )
            twice = "nobody is called twice" if options.calls else "nothing is created twice"
            _say(
                out,
                "To resume, run the same command again: ",
                (_command(settings, options, options.file), "bold"),
                f"; it skips the rows already {options.made}, {checks}, so {twice}.",
            )
        elif outcome.from_journal and not outcome.created:
            _say(
                out,
                f"Every row was already {options.made} by an earlier run of this journal; "
                f"nothing was sent. To {'place' if options.calls else 'create'} them again, "
                "pass --no-journal (or another --journal).",
            )
    elif outcome.interrupted:
        _say(out, "No journal was kept: re-running would send every row again.")
    if outcome.failed_file is None:
        return
    _say(out, "Failed and unsent rows written to ", (str(outcome.failed_file), "bold"), ".")
    if outcome.interrupted and options.file is None:
        _say(out, "stdin was not read to its end: the rows after those counted are not in it.")
    if outcome.retryable and outcome.journal is None and outcome.unknown and not options.calls:
        _say(  # an assistant is not found by its key: a retry would send it again
            out,
            (f"{outcome.unknown} of them may exist", "bold yellow"),
            ": retrying sends them again (the server may ignore their keys). Look for them "
            f"first (revox-async {options.noun}s list), remove those found from the file, "
            "then retry with ",
            (_command(settings, options, outcome.failed_file, retry=True), "bold"),
            ".",
        )
    elif outcome.retryable and outcome.journal is None:
        hint = " (their idempotency keys are in the file)."
        if outcome.unknown:  # calls: each is searched for by its key, but at once
            read = RequestOptions(timeout=settings.timeout, outcome_window=settings.outcome_window)
            window = read.timeout + read.window  # as the engine reads them
            hint = (
                f" once {window:g} s have passed: the server may still be placing the "
                f"{outcome.unknown} that may exist (their idempotency keys are in the file; "
                "each is searched for before it is dialled)."
            )
        _say(
            out,
            "Retry just those with ",
            (_command(settings, options, outcome.failed_file, retry=True), "bold"),
            hint,
        )
    elif outcome.failed and not outcome.retryable:
        _say(
            out,
            "Every failure is a problem with the row itself: fix those rows before "
            "sending them again.",
        )


def _check_call(value: Any) -> tuple[dict[str, Any] | None, str | None]:
    """The body ``calls.create`` would send for a row, or why the row is refused: the
    batch's own check (`keyed_call_body`), with no request. The key a row without one
    gets is made when it is sent: it is not shown."""
    if isinstance(value, InvalidRow):
        return None, value.problem
    if not isinstance(value, Mapping):
        return None, f"expected an object of calls.create parameters, got {value!r:.80}"
    kwargs = dict(value)
    key = kwargs.pop("idempotency_key", None)
    extra = kwargs.pop("extra_body", None)
    try:
        body = keyed_call_body(kwargs, extra, new_idempotency_key() if key is None else key)
    except (TypeError, ValueError) as exc:
        return None, str(exc)
    if key is None:
        metadata = {k: v for k, v in body.pop("metadata").items() if k != CALL_KEY_FIELD}
        body.update({"metadata": metadata} if metadata else {})
    return body, None


async def _assistant_problem(
    client: AsyncRevox, body: dict[str, Any], known: dict[str, str]
) -> str:
    """Why the row's assistant cannot call (``""``: it exists); one retrieve per id."""
    assistant_id = body.get("assistant_id")
    if not isinstance(assistant_id, str):
        return ""  # an inline assistant, checked with the row
    if assistant_id not in known:
        try:
            await client.assistants.retrieve(assistant_id)
            known[assistant_id] = ""
        except NotFoundError:
            known[assistant_id] = f"assistant_id: no assistant {assistant_id!r} on this server"
        except (TypeError, ValueError) as exc:
            known[assistant_id] = str(exc)
    return known[assistant_id]


async def _dry_run(settings: Settings, options: BulkOptions) -> int:
    """``--dry-run``: check every row and each distinct assistant; send no call, write
    no file. Exit 0 when every row would be sent, 1 otherwise."""
    as_json = settings.as_json
    ready = refused = 0
    known: dict[str, str] = {}
    first_row: dict[str, int] = {}
    async with _batch_client(settings, options) as client:
        if options.assistant_id is not None:
            await client.assistants.retrieve(options.assistant_id)  # a wrong id: exit 2
            known[options.assistant_id] = ""
        if as_json:
            sys.stdout.write('{"rows": [')
        for number, row in enumerate(options.reader().rows(), start=1):
            body, problem = _check_call(_with_assistant(row.value, options.assistant_id))
            if body is not None:
                problem = await _assistant_problem(client, body, known) or None
            if body is not None and problem is None and not options.allow_repeat_numbers:
                phone = str(dialled(str(body.get("phone_number", ""))))
                if (first := first_row.setdefault(phone.lstrip("+"), number)) != number:
                    problem = (
                        f"phone_number: {phone} (as dialled) is also row {first}: "
                        "pass --allow-repeat-numbers to call it again"
                    )
            ready += problem is None
            refused += problem is not None
            if as_json:
                shown: dict[str, Any] = {"row": number, "ok": problem is None}
                shown.update({"body": body} if problem is None else {"error": problem})
                comma = "," if number > 1 else ""
                sys.stdout.write(comma + json.dumps(shown, ensure_ascii=False, default=str))
            elif problem is None:
                click.echo(f"row {number}: POST /call {json.dumps(body, ensure_ascii=False)}")
            else:
                click.echo(f"row {number}: refused: {problem}")
    if as_json:
        summary = {"ready": ready, "refused": refused, "assistants_checked": len(known)}
        sys.stdout.write("], " + json.dumps(summary)[1:] + "\n")
    else:
        click.echo(
            f"dry run: {ready} row(s) would be sent, {refused} refused; {len(known)} "
            "assistant(s) checked; nothing was sent, no journal written."
        )
    return EXIT_FAILED if refused else EXIT_OK


def _bulk_options(resent: str) -> Callable[[_F], _F]:
    """FILE and the options of both ``create-many`` commands (pacing, failed rows, the
    journal, Ctrl-C, ``--json``); ``resent``: what a re-run without a journal does."""
    return apply(
        click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path)),
        click.option("--concurrency", type=click.IntRange(min=1), default=8, show_default=True),
        click.option(
            "--rate-limit", type=click.FloatRange(min=0, min_open=True), help="Requests/s cap."
        ),
        click.option(
            "--failed-out",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Where to write the failed rows [default: FILE.failed.EXT].",
        ),
        click.option(
            "--journal",
            "journal",
            type=click.Path(dir_okay=False, path_type=Path),
            help="The journal that makes re-runs safe [default: FILE.<8 hex digits naming the "
            "server>.journal.jsonl beside FILE; none with --mock or stdin]. One run at a time "
            "(it is locked while in use).",
        ),
        click.option("--no-journal", is_flag=True, help=f"Keep no journal (a re-run {resent})."),
        click.option(
            "--grace",
            type=click.FloatRange(min=0),
            default=SETTLE_SECONDS,
            show_default=True,
            help="After Ctrl-C, how long rows in flight may take to finish.",
        ),
        json_flag,
    )


@click.command("create-many")
@_bulk_options("sends every row")
@click.pass_obj
def assistants_create_many(settings: Settings, /, file: Path, **options: Any) -> None:
    """Create assistants from FILE (JSON Lines, a JSON array or CSV; - for stdin).

    Each row's key and outcome go to a journal as they happen: re-running the
    same command after Ctrl-C, a crash or a failure finishes the job and
    creates nothing twice. Ctrl-C stops starting rows, lets those in flight
    finish, prints the summary and exits 130 (Ctrl-C twice: exit at once).
    """
    run_create_many_command(settings, file, **options)


@click.command("create-many")
@_bulk_options("dials every row")
@click.option(
    "--assistant-id",
    help="The assistant that calls the rows naming none (checked first; with --mock, a demo "
    "assistant with this id is put on the embedded server).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Check every row (as calls.create does) and that each assistant exists; print what "
    "would be sent; send nothing and write no journal. Exit 1 if a row is refused.",
)
@click.option(
    "--allow-repeat-numbers",
    is_flag=True,
    help="Let several rows call the same number (compared as dialled: + and digits). "
    "Without it a FILE with a repeat is refused before any call; stdin at the repeat.",
)
@click.pass_obj
def calls_create_many(settings: Settings, /, file: Path, **options: Any) -> None:
    """Place a call per row of FILE (CSV, JSON Lines or a JSON array; - for stdin).

    CSV columns: phone_number (required), from_phone_number, assistant_id
    (overrides --assistant-id), scheduled_at (ISO 8601 with a timezone),
    skip_calling_window, idempotency_key, metadata.NAME (into metadata); every
    other column (first_name, company...) goes into prompt_variables. A JSON
    row holds calls.create parameters.

    FILE is read whole before the first call: a line that cannot be read, or a
    number two rows would call (without --allow-repeat-numbers), stops the
    command with nothing sent. --dry-run shows what would be sent.

    Each call carries its row's key in metadata.revox_async_key, and the
    journal records each row as it happens: re-running the same command after
    Ctrl-C, a crash or a failure dials nobody twice. Ctrl-C stops starting
    rows, lets those in flight finish, prints the summary and exits 130.
    """
    run_create_many_command(settings, file, calls=True, **options)


def run_create_many_command(settings: Settings, file: Path, **options: Any) -> None:
    """What both ``create-many`` commands do with their options: run, then exit with the code."""
    if options["journal"] is not None and options["no_journal"]:
        raise click.UsageError("--journal and --no-journal exclude each other")
    if options["journal"] is not None and settings.mock:
        raise click.UsageError(
            "--journal cannot resume a --mock run: each one starts a new, empty server. "
            "Drop --journal, or run `revox-async mock serve` and pass its --base-url"
        )
    ctx = click.get_current_context()
    code = run_create_many(
        settings,
        BulkOptions(
            file=None if str(file) == "-" else file,
            again=given_args(ctx),
            retry=given_args(ctx, skip=("failed_out", "journal")),
            **options,
        ),
    )
    if code:
        raise SystemExit(code)
