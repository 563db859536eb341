"""Reading bulk input files: JSON Lines, a JSON array, or CSV; writing the failed rows back.

Pure of the network: every function takes bytes or a path and returns rows.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import types
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, Literal

import attrs

import revox_async as rx
from revox_async._batch import copy_params

Format = Literal["jsonl", "json", "csv"]

SERVER_FIELDS = ("id", "organization_id", "created_at", "updated_at", "pending_faq_count")
"""The fields whose presence tells a row of ``assistants list --json`` (named in the note)."""


class InputError(ValueError):
    """The input cannot be read at all (not UTF-8, not the format it claims)."""


@attrs.frozen
class InvalidRow:
    """A row that is not a JSON object; it fails as its own item."""

    line: int
    text: str
    problem: str

    def __repr__(self) -> str:
        return f"line {self.line}: {self.problem}"


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


def open_input(path: Path | None) -> BinaryIO:
    """The file, or stdin for ``-`` (``None``)."""
    if path is None:
        return sys.stdin.buffer
    return path.open("rb")


def _field_type(path: list[str]) -> Any:
    """The declared type of a (dotted) create field, or ``None`` when unknown."""
    tp: Any = typing.get_type_hints(rx.AssistantCreateParams).get(path[0])
    for part in path[1:]:
        owner = next((a for a in _args(tp) if attrs.has(a)), None)
        if owner is None:
            return None
        tp = typing.get_type_hints(owner).get(part)
    return tp


def _args(tp: Any) -> tuple[Any, ...]:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return tuple(a for arg in typing.get_args(tp) for a in _args(arg))
    if origin is typing.Required or origin is typing.NotRequired:
        return _args(typing.get_args(tp)[0])
    return (tp,)


def convert_cell(text: str, tp: Any) -> Any:
    """A CSV cell as the field's type: numbers, booleans, JSON for lists and objects."""
    kinds = set(_args(tp)) if tp is not None else set()
    stripped = text.strip()
    if stripped[:1] in ("{", "["):
        try:
            return json.loads(stripped)
        except ValueError:
            return text
    if bool in kinds and stripped.lower() in ("true", "false", "yes", "no", "1", "0"):
        return stripped.lower() in ("true", "yes", "1")
    if int in kinds:
        try:
            return int(stripped)
        except ValueError:
            pass
    if float in kinds:
        try:
            return float(stripped)
        except ValueError:
            pass
    return text


def csv_row(header: list[str], cells: list[str]) -> dict[str, Any]:
    """One CSV record as create params: empty cells left out, dotted headers nested."""
    row: dict[str, Any] = {}
    for name, cell in zip(header, cells, strict=False):
        if cell == "" or not name:
            continue
        path = name.split(".")
        target = row
        for part in path[:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = convert_cell(cell, _field_type(path))
    return row


CALL_COLUMNS = ("phone_number", "from_phone_number", "assistant_id", "scheduled_at")
"""CSV columns ``calls create-many`` sends as ``calls.create`` parameters of that name."""


def call_row(header: list[str], cells: list[str]) -> dict[str, Any]:
    """One CSV record as ``calls.create`` params (``calls create-many``).

    ``phone_number``, ``from_phone_number``, ``assistant_id`` and
    ``scheduled_at`` are sent as those parameters, ``skip_calling_window`` as a
    boolean and ``idempotency_key`` as the row's key; ``metadata.X`` columns go
    into ``metadata``; every other column (``first_name``, ``company``...)
    goes into ``prompt_variables``, as text. Empty cells are left out.
    """
    row: dict[str, Any] = {}
    for name, cell in zip(header, cells, strict=False):
        if cell == "" or not name:
            continue
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
    """A row of ``assistants list --json`` made creatable: server-only fields dropped."""
    if not isinstance(row, dict) or not any(field in row for field in SERVER_FIELDS):
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
        with open_input(self.path) as handle:
            lines = _lines(handle)
            first = next(lines, None)
            if first is None:
                return
            self.format = sniff(first[1], self.path)
            yield from self._rows(first, lines)

    def _rows(self, first: tuple[int, str], lines: Iterator[tuple[int, str]]) -> Iterator[Row]:
        def everything() -> Iterator[tuple[int, str]]:
            yield first
            yield from lines

        if self.format == "json":
            text = "".join(line for _, line in everything())
            try:
                items = json.loads(text)
            except ValueError as exc:
                raise InputError(f"not a JSON array: {exc}") from None
            for item in items:
                yield self._listed(item, item)
        elif self.format == "csv":
            # Excel saves "CSV" with ";" where "," is the decimal mark (much of Europe),
            # and some tools use tabs: the header line says which.
            self.delimiter = max(",;\t", key=first[1].count)
            records = csv.reader((line for _, line in everything()), delimiter=self.delimiter)
            self.header = [name.strip() for name in next(records, [])]
            for cells in records:
                if any(cell.strip() for cell in cells):
                    yield Row(self.csv_convert(self.header, cells), cells)
        else:
            for number, line in everything():
                if not line.strip():
                    continue
                text = line.rstrip("\r\n")
                try:
                    value = json.loads(text)
                except ValueError as exc:
                    yield Row(InvalidRow(number, text, f"invalid JSON ({exc})"), text)
                    continue
                yield self._listed(value, text)

    def _listed(self, value: Any, raw: Any) -> Row:
        if not self.listings:
            return Row(value, raw)
        clean, dropped = from_listing(value)
        self.dropped += dropped
        return Row(clean, raw)


def count_rows(path: Path) -> int | None:
    """The number of rows, checking the encoding on the way (``None`` for a JSON array)."""
    with open_input(path) as handle:
        lines = _lines(handle)
        first = next(lines, None)
        if first is None:
            return 0
        fmt = sniff(first[1], path)
        if fmt == "json":
            for _ in lines:
                pass
            return None
        count = int(bool(first[1].strip())) if fmt == "jsonl" else 0
        count += sum(1 for _, line in lines if line.strip())
        return count


class FailedRows:
    """The failed-rows file, in the input's format, each row as it was given."""

    def __init__(
        self, path: Path, fmt: Format, header: list[str] | None, delimiter: str = ","
    ) -> None:
        self._delimiter = delimiter
        self.path = path
        self._format = fmt
        self._header = header
        self._handle: io.TextIOWrapper | None = None
        self._json: list[Any] = []
        self._csv: Any = None
        self.count = 0

    def add(self, raw: Any) -> None:
        self.count += 1
        if self._format == "json":
            self._json.append(raw)
            return
        if self._handle is None:
            self._handle = self.path.open("w", encoding="utf-8", newline="")
            if self._format == "csv":
                self._csv = csv.writer(self._handle, lineterminator="\n", delimiter=self._delimiter)
                header = self._header or []
                key = [] if "idempotency_key" in header else ["idempotency_key"]
                self._csv.writerow([*header, *key])
        if self._format == "csv":
            self._csv.writerow(raw)
        else:
            self._handle.write(f"{raw}\n")

    def close(self) -> None:
        if self._format == "json" and self._json:
            self.path.write_text(
                json.dumps(self._json, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
        if self._handle is not None:
            self._handle.close()
