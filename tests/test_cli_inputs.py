"""Reading bulk inputs: formats, cells, listings (pure, no server)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from revox_async.cli._inputs import convert_cell, csv_row, from_listing, sniff


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
    """A JSON cell is parsed, whatever the field."""
    assert [1] == convert_cell("[1]", None)


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
