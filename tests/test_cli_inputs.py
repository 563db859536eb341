"""Reading bulk inputs: formats, cells, listings (pure, no server)."""

from __future__ import annotations

import json
import os
import stat
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from revox_async._resources.calls import dialled
from revox_async.cli._inputs import (
    FailedRows,
    Reader,
    check_file,
    convert_cell,
    csv_row,
    from_listing,
    is_stdin,
    same_file,
    sniff,
)


@pytest.mark.parametrize(
    ("first", "path", "expected"),
    [
        ('{"name": "a"}', None, "jsonl"),
        ("  [", None, "json"),
        ("name,prompt", None, "csv"),
        ("name,prompt", Path("x.jsonl"), "jsonl"),
        ('{"a": 1}', Path("x.csv"), "csv"),
        ("garbage", None, "jsonl"),
    ],
)
def test_the_format_comes_from_the_extension_or_the_first_character(
    first: str, path: Path | None, expected: str
) -> None:
    """.csv is CSV; '[' an array; '{' JSON Lines; a comma-separated first line CSV."""
    assert expected == sniff(first, path)


@pytest.mark.parametrize(
    ("cell", "path", "expected"),
    [
        ("300", ["max_call_duration_secs"], 300),
        ("1.5", ["voice", "speed"], 1.5),
        ("fast", ["voice", "speed"], "fast"),
        ("12x", ["first_sentence_delay_ms"], "12x"),
        ("no", ["ivr_navigation_enabled"], False),
        ("{broken", ["calendly"], "{broken"),
        ("007", ["name"], "007"),
        ("x", ["unknown", "deeper"], "x"),
        ("x", ["name", "deeper"], "x"),
    ],
)
def test_cells_take_the_fields_declared_type(cell: str, path: list[str], expected: Any) -> None:
    """Numbers and booleans by the field's type; anything that does not fit stays text."""
    row = csv_row([".".join(path)], [cell])
    target: Any = row
    for part in path:
        target = target[part]
    assert expected == target


def test_cells_holding_json_become_lists_and_objects() -> None:
    """A JSON cell is parsed for a field that is not text, or one the SDK does not know."""
    assert [1] == convert_cell("[1]", None)
    assert [{"question": "q"}] == csv_row(["faq_items"], ['[{"question": "q"}]'])["faq_items"]


@pytest.mark.parametrize(
    ("field", "cell"),
    [("name", "[1]"), ("prompt", '{"a": 1}'), ("voicemail_message", "[x]"),
     ("first_sentence_mode", "[]"), ("voice.id", "{1}")],
)  # fmt: skip
def test_a_text_fields_cell_stays_text_whatever_it_looks_like(field: str, cell: str) -> None:
    """str, Optional[str] and Literal-of-strings fields keep the cell as typed."""
    row = csv_row([field], [cell])
    target: Any = row
    for part in field.split("."):
        target = target[part]
    assert cell == target


def test_a_listing_row_loses_its_server_fields_only() -> None:
    """id, organization_id, created_at … and FAQ ids go; everything else stays."""
    row = {
        "id": "x",
        "name": "n",
        "created_at": "t",
        "faq_items": [{"id": "f", "question": "q"}, 3],
    }
    assert ({"name": "n", "faq_items": [{"question": "q"}, 3]}, True) == from_listing(row)
    assert ({"name": "n"}, False) == from_listing({"name": "n"})


def test_excel_csv_with_semicolons_is_read_as_csv(tmp_path: Path) -> None:
    """A European Excel file: ';' between cells, a BOM, CRLF; rows come out as fields."""
    from revox_async.cli._inputs import Reader

    path = tmp_path / "export.csv"
    path.write_bytes("\ufeffname;prompt;voice.speed\r\nA;p1;1,5\r\nB;p2;1.1\r\n".encode())
    reader = Reader(path)
    rows = [row.value for row in reader.rows()]
    assert ";" == reader.delimiter
    assert [("A", "p1"), ("B", "p2")] == [(r["name"], r["prompt"]) for r in rows]
    assert 1.1 == rows[1]["voice"]["speed"]
    assert "csv" == sniff("name;prompt", None)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("+33 6 12 00 00 00", "+33612000000"), ("+1 (415) 555-0100", "+14155550100"),
     ("0612000000", "0612000000")],
)  # fmt: skip
def test_numbers_are_compared_as_dialled(typed: str, expected: str) -> None:
    """Spaces, dashes and brackets are how a number is written, not which it is."""
    assert expected == dialled(typed)


def test_a_file_check_finds_every_number_called_twice(tmp_path: Path) -> None:
    """Rows counted from 1; three rows of one number are one repeat, named by its digits
    (with or without a +, one number); other rows ignored."""
    path = tmp_path / "c.jsonl"
    path.write_text(
        '{"phone_number": "+33 6 12 00 00 00"}\n{"phone_number": "+33612000001"}\n'
        '{"phone_number": "+33612000000"}\n[1]\n{"phone_number": 7}\n'
        '{"phone_number": "+33-6-12-00-00-00"}\n'
    )
    assert (6, {"33612000000": [1, 3, 6]}) == check_file(Reader(path, listings=False), repeats=True)
    assert (6, {}) == check_file(Reader(path, listings=False), repeats=False)


def test_same_file_sees_through_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """./x and x, a symlink, a hard link: one file; two files, or two new names: not."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x").write_text("x")
    (tmp_path / "y").write_text("y")
    (tmp_path / "link").symlink_to(tmp_path / "x")
    (tmp_path / "hard").hardlink_to(tmp_path / "x")
    assert same_file(Path("./x"), tmp_path / "x")
    assert same_file(Path("link"), Path("x"))
    assert same_file(Path("hard"), Path("x"))
    assert not same_file(Path("x"), Path("y"))
    assert same_file(Path("new"), Path("./sub/../new"))
    assert not same_file(Path("new"), Path("x"))


def test_failed_rows_come_out_in_input_order(tmp_path: Path) -> None:
    """Rows finishing out of order are written in input order; a row that never finished
    does not hold the rest back at close."""
    failed = FailedRows(tmp_path / "f.jsonl", "jsonl", None)
    failed.done(2, '{"r": 2}', failed=True)
    failed.done(1, None, failed=False)
    failed.done(5, '{"r": 5}', failed=True)
    failed.done(0, '{"r": 0}', failed=True)
    assert not (tmp_path / "f.jsonl").exists()  # renamed into place only at close
    assert tmp_path / "f.jsonl" == failed.close()
    assert ['{"r": 0}', '{"r": 2}', '{"r": 5}'] == (tmp_path / "f.jsonl").read_text().splitlines()
    assert [tmp_path / "f.jsonl"] == list(tmp_path.iterdir())


def test_no_failed_row_means_no_file(tmp_path: Path) -> None:
    """Every row created: close writes nothing and says so."""
    failed = FailedRows(tmp_path / "f.csv", "csv", ["name"])
    failed.done(0, None, failed=False)
    assert None is failed.close()
    assert [] == list(tmp_path.iterdir())


def test_a_json_array_of_failed_rows_is_replaced_whole(tmp_path: Path) -> None:
    """The array is written at close, in input order, over whatever was there."""
    target = tmp_path / "f.json"
    target.write_text("old")
    failed = FailedRows(target, "json", None)
    failed.done(1, {"r": 1}, failed=True)
    failed.done(0, {"r": 0}, failed=True)
    failed.close()
    assert [{"r": 0}, {"r": 1}] == json.loads(target.read_text())


def test_stdin_redirected_from_a_file_is_recognised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`- < in.jsonl`: an output naming in.jsonl would replace what stdin reads."""
    (tmp_path / "in.jsonl").write_text("{}\n")
    (tmp_path / "other").write_text("")
    with (tmp_path / "in.jsonl").open() as handle:
        monkeypatch.setattr(sys, "stdin", handle)
        assert (True, False) == (
            is_stdin(tmp_path / "in.jsonl"),
            is_stdin(tmp_path / "other"),
        )


def test_failed_rows_through_a_symlink_replace_the_file_it_names(tmp_path: Path) -> None:
    """--failed-out naming a symlink: the link stays, the file it names gets the rows."""
    (tmp_path / "real.jsonl").write_text("old\n")
    (tmp_path / "link.jsonl").symlink_to(tmp_path / "real.jsonl")
    failed = FailedRows(tmp_path / "link.jsonl", "jsonl", None)
    failed.done(0, "{}", failed=True)
    failed.close()
    assert (tmp_path / "link.jsonl").is_symlink()
    assert "{}\n" == (tmp_path / "real.jsonl").read_text()


def test_failed_rows_to_a_pipe_are_written_into_it(tmp_path: Path) -> None:
    """A pipe (as /dev/null is a device) is written to, never renamed over."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_text()), daemon=True)
    reader.start()
    failed = FailedRows(pipe, "jsonl", None)
    failed.done(0, '{"r": 0}', failed=True)
    assert pipe == failed.close()
    reader.join(timeout=30)
    assert ['{"r": 0}\n'] == received
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
