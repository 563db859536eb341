"""Reading bulk input files: JSON Lines, a JSON array, or CSV; writing the failed rows back.

Pure of the network: every function takes bytes or a path and returns rows.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import os
import stat
import sys
import tempfile
import textwrap
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, Literal

import attrs

import revox_async as rx
from revox_async._batch import copy_params
from revox_async._models.assistants import SERVER_FIELDS
from revox_async._resources._params import declared_types, union_members
from revox_async._resources.calls import dialled

Format = Literal["jsonl", "json", "csv"]


class InputError(ValueError):
    """The input cannot be read at all (not UTF-8, not the format it claims)."""


@attrs.frozen
class InvalidRow:
    """A JSON Lines line that is not JSON; it fails as its own item, with ``problem``
    (the file, the line number and what is wrong) as its error."""

    line: int
    text: str
    problem: str


@attrs.frozen
class Row:
    """One input row: what to send, and how it was given (for the failed-rows file)."""

    value: Any
    raw: Any
    """The JSONL line's text, the CSV record's cells, or the JSON array's element."""


def _lines(handle: BinaryIO) -> Iterator[tuple[int, str]]:
    """Decoded lines with their 1-based numbers; a BOM is dropped; bad bytes are one error."""
    offset = 0
    for number, raw in enumerate(handle, start=1):
        chunk = raw[3:] if number == 1 and raw.startswith(b"\xef\xbb\xbf") else raw
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError as exc:
            at = offset + exc.start + (len(raw) - len(chunk))
            raise InputError(
                f"line {number} (byte {at}) is not UTF-8 text: save the file as UTF-8"
            ) from None
        offset += len(raw)
        yield number, text


def sniff(first: str, path: Path | None) -> Format:
    """The format of an input: by extension, else by its first non-blank character."""
    suffix = path.suffix.lower() if path is not None else ""
    if suffix == ".csv":
        return "csv"
    head = first.lstrip()
    if head.startswith("["):
        return "json"
    if head.startswith("{") or suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    return "csv" if any(sep in head for sep in ",;\t") else "jsonl"


def _field_type(path: list[str]) -> Any:
    """The declared type of a (dotted) create field, or ``None`` when unknown (``None``
    and "not given" left out; of a model and its ``...Params`` twin, the model)."""
    tp: Any = rx.AssistantCreateParams
    for part in path:
        if not (typing.is_typeddict(tp) or attrs.has(tp)):
            return None
        tp = declared_types(tp).get(part)
    return tp


def _is_text(tp: Any) -> bool:
    """Whether a declared type is text only (``str``, a ``Literal`` of strings)."""
    return all(
        a is str
        or (typing.get_origin(a) is Literal and all(isinstance(v, str) for v in typing.get_args(a)))
        for a in union_members(tp)
    )


def convert_cell(text: str, tp: Any) -> Any:
    """A CSV cell as the field's type: numbers, booleans, JSON for lists and objects.

    A text field's cell stays text, whatever it looks like (``[1]`` in ``name``
    is the name ``"[1]"``); a cell of a field this SDK does not know is JSON if
    it parses as a list or an object.
    """
    kinds = set(union_members(tp)) if tp is not None else set()
    stripped = text.strip()
    if stripped[:1] in ("{", "[") and (tp is None or not _is_text(tp)):
        try:
            return json.loads(stripped)
        except ValueError:
            return text
    if bool in kinds and stripped.lower() in ("true", "false", "yes", "no", "1", "0"):
        return stripped.lower() in ("true", "yes", "1")
    for number in (int, float):
        if number in kinds:
            with contextlib.suppress(ValueError):
                return number(stripped)
    return text


def _named_cells(header: list[str], cells: list[str]) -> Iterator[tuple[str, str]]:
    """A CSV record's ``(column, cell)`` pairs, leaving out empty cells and unnamed columns."""
    return ((name, cell) for name, cell in zip(header, cells, strict=False) if cell and name)


def csv_row(header: list[str], cells: list[str]) -> dict[str, Any]:
    """One CSV record as create params: empty cells left out, dotted headers nested."""
    row: dict[str, Any] = {}
    for name, cell in _named_cells(header, cells):
        path = name.split(".")
        target = row
        for part in path[:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = convert_cell(cell, _field_type(path))
    return row


CALL_COLUMNS = ("phone_number", "from_phone_number", "assistant_id", "scheduled_at")
"""CSV columns ``calls create-many`` sends as ``calls.create`` parameters of that name."""


def call_row(header: list[str], cells: list[str]) -> dict[str, Any]:
    """One CSV record as ``calls.create`` params (``calls create-many``, whose help
    lists the columns); empty cells are left out."""
    row: dict[str, Any] = {}
    for name, cell in _named_cells(header, cells):
        if name in (*CALL_COLUMNS, "idempotency_key"):
            row[name] = cell.strip()
        elif name == "skip_calling_window":
            row[name] = convert_cell(cell, bool)
        elif name.startswith("metadata."):
            row.setdefault("metadata", {})[name.removeprefix("metadata.")] = cell
        else:
            key = name.removeprefix("prompt_variables.")
            row.setdefault("prompt_variables", {})[key] = cell
    return row


def from_listing(row: Any) -> tuple[Any, bool]:
    """A row of ``assistants list --json`` (one with a field the server sets) made
    creatable: those fields dropped."""
    if not isinstance(row, dict) or SERVER_FIELDS.isdisjoint(row):
        return row, False
    return copy_params(row), True


@attrs.define
class Reader:
    """Rows of one input, read lazily; ``dropped`` counts rows that lost server fields."""

    path: Path | None
    csv_convert: Callable[[list[str], list[str]], dict[str, Any]] = csv_row
    """How a CSV record becomes a row (`csv_row` for assistants, `call_row` for calls)."""
    listings: bool = True
    """Whether rows of ``assistants list --json`` lose their server fields."""
    format: Format | None = None
    header: list[str] | None = None
    delimiter: str = ","
    dropped: int = 0

    def rows(self) -> Iterator[Row]:
        with sys.stdin.buffer if self.path is None else self.path.open("rb") as handle:
            lines = _lines(handle)
            first = next(lines, None)
            if first is None:
                return
            self.format = sniff(first[1], self.path)
            yield from self._rows(first, itertools.chain((first,), lines))

    def _rows(self, first: tuple[int, str], lines: Iterator[tuple[int, str]]) -> Iterator[Row]:
        if self.format == "json":
            text = "".join(line for _, line in lines)
            try:
                items = json.loads(text)
            except json.JSONDecodeError as exc:
                raise InputError(f"line {exc.lineno}: not a JSON array ({exc.msg})") from None
            except (ValueError, RecursionError) as exc:
                raise InputError(f"not a JSON array ({exc})") from None
            if not isinstance(items, list):
                raise InputError("line 1: not a JSON array (a single value)")
            for item in items:
                yield self._listed(item, item)
        elif self.format == "csv":
            yield from self._csv(first, lines)
        else:
            for number, line in lines:
                if not line.strip():
                    continue
                text = line.rstrip("\r\n")
                try:
                    value = json.loads(text)
                except (json.JSONDecodeError, RecursionError) as exc:
                    where = self.path if self.path is not None else "stdin"
                    what = (
                        f"not JSON: {exc.msg} at column {exc.colno}"
                        if isinstance(exc, json.JSONDecodeError)
                        else "nested too deeply to read"
                    )
                    problem = f"{where}: line {number}: {what}"
                    yield Row(InvalidRow(number, text, problem), text)
                    continue
                yield self._listed(value, text)

    def _csv(self, first: tuple[int, str], lines: Iterator[tuple[int, str]]) -> Iterator[Row]:
        # Excel saves "CSV" with ";" where "," is the decimal mark (much of Europe),
        # and some tools use tabs: the header line says which.
        self.delimiter = max(",;\t", key=first[1].count)
        # Each line is read as one, so the reader's line count is the line's number.
        records = csv.reader((line for _, line in lines), delimiter=self.delimiter)
        try:
            self.header = [name.strip() for name in next(records, [])]
            seen: set[str] = set()
            for name in filter(None, self.header):
                if name in seen:
                    raise InputError(
                        f"line {records.line_num}: the header names the column {name!r} more than "
                        "once (one of its values would be lost): rename or remove the repeat"
                    )
                seen.add(name)
            for cells in records:
                if any(cell.strip() for cell in cells):
                    yield Row(self.csv_convert(self.header, cells), cells)
        except csv.Error as exc:
            raise InputError(f"line {records.line_num}: not CSV ({exc})") from None

    def _listed(self, value: Any, raw: Any) -> Row:
        if not self.listings:
            return Row(value, raw)
        clean, dropped = from_listing(value)
        self.dropped += dropped
        return Row(clean, raw)


def check_file(reader: Reader, *, repeats: bool) -> tuple[int, dict[str, list[int]]]:
    """Read every row of ``reader``'s file before anything is sent or written: how many
    rows it holds and, with ``repeats``, each phone number more than one row calls, with
    those rows (counted from 1; numbers compared by their digits, with or without a
    ``+``; memory: one short string per number).

    ``InputError`` names the first line that cannot be read (not UTF-8, a
    broken JSON array, broken CSV; a JSON Lines line that is not JSON is a row
    that fails on its own, kept in the failed-rows file as it was).
    """
    first_row: dict[str, int] = {}
    more: dict[str, list[int]] = {}
    count = 0
    for count, row in enumerate(reader.rows(), start=1):
        value = row.value
        if not repeats or not isinstance(value, dict):
            continue
        key = dialled(value.get("phone_number"))
        if not isinstance(key, str) or not key.strip("+"):
            continue
        digits = key.lstrip("+")  # with or without its + (a spreadsheet drops it)
        if (first := first_row.setdefault(digits, count)) != count:
            more.setdefault(digits, [first]).append(count)
    return count, more


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file: the same inode (hard links, symlinks, ``./x`` and
    ``x``), or, for files not there yet, the same resolved path."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def is_stdin(path: Path) -> bool:
    """Whether standard input is a redirect from the file ``path`` (``- < path``)."""
    try:
        given = os.fstat(sys.stdin.fileno())
        there = os.stat(path)
    except (OSError, ValueError, io.UnsupportedOperation, AttributeError):
        return False
    return stat.S_ISREG(given.st_mode) and os.path.samestat(given, there)


class FailedRows:
    """The failed-rows file, in the input's format, each row as it was given, in input order.

    Every finished row is reported with `done` (failed or not): a failed row is
    written once every row before it has finished, so the file is in input
    order while only the rows finishing out of order wait in memory. It is
    written to a temporary file beside ``path`` and renamed over it on `close`,
    so ``path`` never holds half a file (a device or a pipe, such as
    ``/dev/null``, is written to instead); nothing is written if no row failed.
    """

    def __init__(
        self, path: Path, fmt: Format, header: list[str] | None, delimiter: str = ","
    ) -> None:
        self.path = path
        self._format = fmt
        self._header = header
        self._delimiter = delimiter
        self._handle: Any = None
        self._target: Path | None = None
        self._next = 0
        self._waiting: dict[int, tuple[bool, Any]] = {}

    def done(self, index: int, raw: Any, *, failed: bool) -> None:
        """Row ``index`` (from 0) finished; ``raw`` is written if it ``failed``."""
        self._waiting[index] = (failed, raw if failed else None)
        while self._next in self._waiting:
            self._write(*self._waiting.pop(self._next))
            self._next += 1

    def _write(self, failed: bool, raw: Any) -> None:
        if not failed:
            return
        first = self._handle is None
        handle = self._open() if first else self._handle
        if self._format == "csv":
            writer = csv.writer(handle, lineterminator="\n", delimiter=self._delimiter)
            header = self._header or []
            key = [] if "idempotency_key" in header else ["idempotency_key"]
            writer.writerows([[*header, *key], raw] if first else [raw])
        elif self._format == "json":  # as json.dumps(rows, indent=1) writes the whole array
            item = textwrap.indent(json.dumps(raw, ensure_ascii=False, indent=1), " ")
            handle.write(("[\n" if first else ",\n") + item)
        else:
            handle.write(f"{raw}\n")

    def _open(self) -> Any:
        # Through a symlink, the file it names is replaced, not the link. A device or
        # a pipe (--failed-out /dev/null) is written to: renaming over it would put a
        # regular file in its place.
        target = Path(os.path.realpath(self.path))
        try:
            regular = stat.S_ISREG(os.stat(target).st_mode)
        except FileNotFoundError:
            regular = True
        if not regular:
            self._handle = target.open("w", encoding="utf-8", newline="")
            return self._handle
        self._target = target
        self._handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - renamed on close
            "w",
            encoding="utf-8",
            newline="",
            dir=target.parent,
            prefix=f".{target.name}.",
            suffix=".tmp",
            delete=False,
        )
        return self._handle

    def close(self) -> Path | None:
        """Write what is left (rows after one that never finished come in input order
        too) and put the file in place; its path, or ``None`` if no row failed."""
        for index in sorted(self._waiting):
            self._write(*self._waiting.pop(index))
        if self._handle is None:
            return None
        handle, self._handle = self._handle, None
        if self._format == "json":
            handle.write("\n]\n")
        handle.close()
        if self._target is None:
            return self.path  # written in place: a device or a pipe
        try:
            os.replace(handle.name, self._target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(handle.name)
            raise
        return self.path
