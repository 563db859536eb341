"""What the command prints, and how: one table renderer and one field view for every
resource, plain text off a terminal, JSON for scripts.

- Tables fit the console (80 columns when stdout is not a terminal, or ``COLUMNS``):
  flexible columns (names, outcomes) give way first, each row stays on one line, and
  ids are shortened (`short_id`); with ``--full-ids`` they are whole, however wide.
- Times show to the second, in UTC: ``2026-05-01T09:30:00Z``.
- Text from the server is never read as rich markup or emoji codes; colour and bold
  only on a terminal and without ``NO_COLOR`` (https://no-color.org).
- ``--json``: one document per command, `to_dict` of the models, keys in field order.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import attrs
import click
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from revox_async import to_dict
from revox_async._models._base import Model

__all__ = [
    "Col",
    "describe",
    "dump",
    "err_console",
    "fields",
    "fit",
    "out_console",
    "short_id",
    "show",
    "table",
    "text_of",
]

SHORT_ID = 8
"""Characters of an id a table shows (after a type prefix such as ``call_``, then ``…``)."""
GAP = 2
"""Spaces between two table columns."""
_TYPE_PREFIX = re.compile(r"[a-z]{1,10}_")


def _console(*, stderr: bool = False) -> Console:
    # NO_COLOR: rich alone would still send bold and underline; no colour system sends
    # no escape sequence at all. Off a terminal, rich sends none either way.
    plain = bool(os.environ.get("NO_COLOR"))
    return Console(
        stderr=stderr,
        soft_wrap=True,
        color_system=None if plain else "auto",
        emoji=False,
        highlight=False,
    )


def out_console() -> Console:
    """stdout, as the environment wants it now (terminal or not, ``NO_COLOR``)."""
    return _console()


def err_console() -> Console:
    """stderr, for messages and errors."""
    return _console(stderr=True)


def dump(data: Any) -> None:
    """One JSON document on stdout, keys in the order given; models as `to_dict` makes
    them (field order), at any depth."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=_jsonable))


def _jsonable(value: Any) -> Any:
    return to_dict(value) if isinstance(value, Model) else str(value)


def short_id(value: str, keep: int = SHORT_ID) -> str:
    """An id for a table: ``keep`` characters after its type prefix (``call_``), then ``…``.

    The column says what kind of id it is; ``--full-ids`` and ``--json`` show it whole,
    and the short form is a substring of the whole one, for ``grep``.

    >>> short_id("call_2cd74d3c5ca74bf0b9c8fa3cfb8ea239"), short_id("3f2c1a9e-77b0-4c1e")
    ('2cd74d3c…', '3f2c1a9e…')
    """
    if len(value) <= keep + 1:
        return value
    found = _TYPE_PREFIX.match(value)
    start = found.end() if found and len(value) - found.end() > keep + 1 else 0
    return value[start : start + keep] + "…"


def text_of(value: Any, *, is_id: bool = False, full_ids: bool = True) -> str:
    """A value as a person reads it: ``-`` for none, yes/no, times to the second in UTC,
    whole numbers without ``.0``, models and containers as compact JSON."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):  # the converter makes server times aware; be safe
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, Model | dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, default=_jsonable)
    text = str(value)
    return short_id(text) if is_id and not full_ids else text


@attrs.frozen
class Col:
    """A table column: its header and how to read its value from an item.

    ``is_id``: shortened unless ``--full-ids``. ``flex``: gives way first when the
    table is too wide (names, outcomes). ``right``: numbers.
    """

    header: str
    get: Callable[[Any], Any]
    is_id: bool = False
    flex: bool = False
    right: bool = False


def fit(natural: Sequence[int], give: Sequence[int], room: int) -> list[int]:
    """Column widths whose sum (plus `GAP` between columns) is at most ``room`` if it can.

    ``give`` says which columns give way: 2 first (the widest of them, one character at
    a time, down to 4), then 1 (down to 1); 0 never (ids in full).

    >>> fit([10, 20, 10], [1, 2, 1], 40)
    [10, 16, 10]
    """
    widths = list(natural)
    excess = sum(widths) + GAP * max(len(widths) - 1, 0) - room
    for level, floor in ((2, 4), (1, 1)):
        pool = [i for i, given in enumerate(give) if given >= level]
        while excess > 0 and pool:
            widest = max(pool, key=lambda i: widths[i])
            if widths[widest] <= floor:
                break
            widths[widest] -= 1
            excess -= 1
    return widths


def table(title: str, cols: Sequence[Col], items: Iterable[Any], *, full_ids: bool) -> None:
    """Print ``items`` as a table with one line per item, fitted to the console."""
    cells = [
        [text_of(col.get(item), is_id=col.is_id, full_ids=full_ids) for col in cols]
        for item in items
    ]
    out = out_console()
    natural = [
        max([len(col.header), *(Text(row[i]).cell_len for row in cells)])
        for i, col in enumerate(cols)
    ]
    give = [0 if col.is_id and full_ids else 2 if col.flex else 1 for col in cols]
    widths = fit(natural, give, out.width)
    out.width = max(out.width, sum(widths) + GAP * (len(widths) - 1))  # whole ids: wider
    grid = Table(
        title=Text(title),
        title_justify="left",
        title_style="bold",
        box=None,
        pad_edge=False,
        padding=(0, GAP // 2),
        header_style="bold",
    )
    for col, width in zip(cols, widths, strict=True):
        grid.add_column(
            Text(col.header),
            width=width,
            no_wrap=True,
            overflow="ellipsis",
            justify="right" if col.right else "left",
        )
    for row in cells:
        grid.add_row(*(Text(cell) for cell in row))
    show(out, grid)


def fields(pairs: Iterable[tuple[str, Any]]) -> None:
    """Print ``field  value`` lines; long values wrap within the console's width."""
    grid = Table.grid(padding=(0, GAP))
    grid.add_column(style="bold cyan", no_wrap=True)
    grid.add_column(overflow="fold")
    for key, value in pairs:
        grid.add_row(Text(key), Text(value if isinstance(value, str) else text_of(value)))
    show(out_console(), grid)


def show(out: Console, renderable: RenderableType) -> None:
    """Print without the spaces rich pads each line with up to the table's width."""
    with out.capture() as captured:
        out.print(renderable, soft_wrap=False)
    lines = captured.get().splitlines()
    out.file.write("".join(_TRAILING.sub(_reset, line) + "\n" for line in lines))
    out.file.flush()


_TRAILING = re.compile(r"(?:\x1b\[[0-9;]*m| )+$")


def _reset(found: re.Match[str]) -> str:
    return "\x1b[0m" if "\x1b" in found.group() else ""


def describe(model: Model) -> None:
    """Print every field the model has a value for, one per line, in the order it declares
    them, then the fields this version does not know (as sent)."""
    names = [
        field.name
        for field in attrs.fields(type(model))
        if field.name != "extra_fields"
        and not field.name.startswith("_")
        and field.metadata.get("wire") is not False
    ]
    shown = [(name, getattr(model, name)) for name in names] + [*model.extra_fields.items()]
    fields((name, value) for name, value in shown if value is not None)
