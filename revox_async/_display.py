"""What a person sees of a model: a short ``repr``, IPython's pretty form, HTML tables.

``to_dict()`` is the full view; these are for reading. A model's ``repr`` names its
class, its id and the fields a person looks for first, skips what is ``None`` or
empty, cuts long text (``…``), shows a nested model by its id and name and a list
by its length, and stays under `MAX_REPR` characters, saying how many fields it left
out::

    Call(id='call_1', status='completed', outcome='interested', to_phone_number='+33…',
         assistant=Assistant(id='asst_1', name='Front desk'), call_attempts=[1 CallAttempt],
         +9 more)

In a notebook, ``_repr_html_`` draws a table (every server string escaped): a model's
fields, a page's or a list's rows, a call's transcript, a batch's items.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol, TypeGuard

import attrs

__all__ = [
    "MAX_REPR",
    "ModelList",
    "batch_html",
    "batch_repr",
    "html_of",
    "model_html",
    "model_repr",
    "model_repr_pretty",
    "rows_html",
]

MAX_REPR = 300
"""The longest a model's ``repr`` gets (characters)."""
MAX_TEXT = 40
"""Text longer than this is cut in a ``repr`` (ids are not cut: a person copies them)."""
MAX_HTML_TEXT = 200
"""Text longer than this is cut in an HTML cell (a transcript's turns are not)."""
MAX_HTML_ROWS = 50
"""Rows an HTML table shows before saying how many it left out."""

FIRST = (
    "id",
    "name",
    "label",
    "status",
    "phone_number",
    "to_phone_number",
    "from_phone_number",
    "created_at",
)
"""The fields a person looks for first, when a model's class names none (`LEAD`)."""
LEAD: Mapping[str, tuple[str, ...]] = {
    "Call": (
        "id",
        "status",
        "outcome",
        "to_phone_number",
        "created_at",
        "assistant",
        "campaign",
        "call_attempts",
        "last_call_attempt",
    ),
    "Assistant": ("id", "name", "prompt", "created_at", "voice", "llm_model"),
    "CallAttempt": ("id", "status", "result", "dial_error", "started_at", "end_reason"),
    "CallPage": ("total_count", "calls"),
    "CampaignRow": ("id", "row_index", "phone_number", "call"),
    "TranscriptEntry": ("role", "content", "tool_name"),
    "Lead": ("name", "phone", "call_id", "summary"),
    "OutcomeCount": ("outcome", "label", "count"),
}
"""Per class: the fields shown first, in this order; the others follow as room allows."""
BRIEF = ("id", "name", "label", "email", "role", "type")
"""What a nested model shows of itself (the first two it has)."""
EXTRA = "extra_fields"
"""Where a model keeps what the server sent that this SDK does not know: summarised by name."""
_CONTAINERS = (list, tuple, dict, set, frozenset)


class _Printer(Protocol):
    """The part of ``IPython.lib.pretty.PrettyPrinter`` a model uses."""

    def text(self, obj: str) -> None: ...
    def breakable(self, sep: str = " ") -> None: ...
    def group(self, indent: int = 0, open: str = "", close: str = "") -> Any: ...


def cut(text: str, limit: int) -> str:
    """``text``, cut to ``limit`` characters with ``…`` when longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_model(value: object) -> bool:
    return attrs.has(type(value)) and hasattr(value, "extra_fields")


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, _CONTAINERS) and not value)


def _scalar(value: object, limit: int) -> str:
    if isinstance(value, datetime):
        text = value.isoformat(sep=" ", timespec="seconds")
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, float) and value.is_integer():
        return repr(int(value))
    if isinstance(value, str):
        return repr(cut(value, limit))
    return cut(repr(value), limit)


def brief(value: Any) -> str:
    """A nested model as ``Assistant(id='asst_1', name='Front desk')``."""
    fields = attrs.fields_dict(type(value))
    shown = [
        f"{name}={_scalar(getattr(value, name), MAX_TEXT)}"
        for name in BRIEF
        if name in fields and fields[name].repr and getattr(value, name) is not None
    ][:2]
    return f"{type(value).__name__}({', '.join(shown) or '…'})"


def _short(name: str, value: object) -> str:
    """One field's value, short: ids whole, text cut, models brief, lists counted."""
    if _is_model(value):
        return brief(value)
    if _models(value):
        kinds = sorted({type(v).__name__ for v in value})
        return f"[{len(value)} {'/'.join(kinds)}]"
    if isinstance(value, Mapping) and len(repr(value)) > MAX_TEXT:
        return f"{{{len(value)} keys}}"
    if name == "id" or name.endswith("_id"):
        return _scalar(value, 10_000)
    return _scalar(value, MAX_TEXT)


def _ordered(model: Any) -> list[tuple[str, object]]:
    """The fields to show, in the order they are shown: ``(name, value)``, none empty."""
    fields = [f for f in attrs.fields(type(model)) if f.repr and f.name != EXTRA]
    names = [f.name for f in fields]
    lead = LEAD.get(type(model).__name__) or tuple(n for n in FIRST if n in names)
    order = [n for n in lead if n in names] + [n for n in names if n not in lead]
    shown = [(name, getattr(model, name)) for name in order]
    shown = [(name, value) for name, value in shown if not _empty(value)]
    attempts = getattr(model, "call_attempts", None)
    last = getattr(model, "last_call_attempt", None)
    if attempts and last is not None and getattr(last, "id", 0) == getattr(attempts[0], "id", 1):
        shown = [(n, v) for n, v in shown if n != "last_call_attempt"]  # said once is enough
    extra = getattr(model, "extra_fields", None)
    if extra:
        shown.append((EXTRA, "{" + ", ".join(sorted(map(str, extra))) + "}"))
    return shown


def _parts(model: object, budget: int = MAX_REPR) -> tuple[list[str], int]:
    """``name=value`` texts that fit ``budget`` with the class name, and how many did not."""
    shown = _ordered(model)
    room = budget - len(type(model).__name__) - 2 - len(", +99 more")
    parts: list[str] = []
    for i, (name, value) in enumerate(shown):
        text = f"{name}={value}" if name == EXTRA else f"{name}={_short(name, value)}"
        if parts and len(text) + 2 > room:
            return parts, len(shown) - i
        parts.append(text)
        room -= len(text) + 2
    return parts, 0


def model_repr(model: object) -> str:
    """A model's ``repr``: see the module's docstring."""
    parts, left = _parts(model)
    if left:
        parts.append(f"+{left} more")
    return f"{type(model).__name__}({', '.join(parts)})"


def model_repr_pretty(model: object, p: _Printer, cycle: bool) -> None:
    """IPython's pretty form: the ``repr``'s fields, a line each when they do not fit,
    and a list of models one short ``repr`` a line (a page's calls, say)."""
    name = type(model).__name__
    if cycle:
        p.text(f"{name}(…)")
        return
    parts, left = _parts(model)
    lists = {
        field: value
        for field, value in _ordered(model)
        if isinstance(value, list) and _models(value)
    }
    with p.group(len(name) + 1, f"{name}(", ")"):
        for i, part in enumerate([*parts, f"+{left} more"] if left else parts):
            if i:
                p.text(",")
                p.breakable()
            field = part.partition("=")[0]
            if field not in lists:
                p.text(part)
                continue
            items = lists[field]
            shown = [model_repr(item) for item in items[:MAX_HTML_ROWS]]
            if len(items) > MAX_HTML_ROWS:
                shown.append(f"+{len(items) - MAX_HTML_ROWS} more")
            with p.group(len(field) + 2, f"{field}=[", "]"):
                for j, text in enumerate(shown):
                    if j:
                        p.text(",")
                        p.breakable()
                    p.text(text)


# -- HTML ------------------------------------------------------------------------------

_STYLE = "text-align:left;vertical-align:top"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _models(value: object) -> TypeGuard[Sequence[Any]]:
    return isinstance(value, list | tuple) and bool(value) and all(_is_model(v) for v in value)


def _cell(value: object, depth: int) -> str:
    """One value as HTML: a model without an id as a nested table (two levels deep), an
    entity (it has an id) by its id and name, a list of models as a table."""
    if depth < 2 and _is_model(value) and getattr(value, "id", None) is None:
        return model_html(value, depth=depth + 1)
    if depth < 2 and _models(value):
        return rows_html(value, depth=depth + 1)
    if _is_model(value) or _models(value):
        return _e(_short("", value))
    return _e(
        cut(value, MAX_HTML_TEXT) if isinstance(value, str) else _scalar(value, MAX_HTML_TEXT)
    )


def _title(text: str) -> str:
    return f"<b>{_e(text)}</b>"


def _field(name: str, value: str) -> str:
    """A table row of a name and its value (both HTML already)."""
    return f'<tr><th style="{_STYLE}">{name}</th><td style="{_STYLE}">{value}</td></tr>'


def _table(head: Iterable[str], rows: Iterable[Iterable[str | None]], total: int) -> str:
    """A table with a heading row, then ``rows`` of HTML cells (``None``: an empty cell),
    then how many of the ``total`` rows were left out."""
    heading = "".join(f'<th style="{_STYLE}">{_e(name)}</th>' for name in head)
    body = "".join(f"<tr>{''.join(map(_td, row))}</tr>" for row in rows)
    more = total - MAX_HTML_ROWS
    tail = f"<p>+{more} more</p>" if more > 0 else ""
    return f"<table><tr>{heading}</tr>{body}</table>{tail}"


def _td(cell: str | None) -> str:
    return "<td></td>" if cell is None else f'<td style="{_STYLE}">{cell}</td>'


def html_of(model: Any) -> str:
    """A model's ``_repr_html_``: a ``CallPage`` as how many match, then its calls as rows;
    any other model as its fields."""
    if type(model).__name__ != "CallPage":
        return model_html(model)
    total = "" if model.total_count is None else f" of {model.total_count}"
    return rows_html(model.calls, title=f"CallPage: {len(model.calls)} calls{total}")


def model_html(model: object, *, depth: int = 0) -> str:
    """A model as a table of its fields (``None`` and empty ones left out)."""
    rows = "".join(
        _field(_e(name), _e(value) if name == EXTRA else _cell(value, depth))
        for name, value in _ordered(model)
    )
    table = f"<table>{rows}</table>"
    if depth:
        return table
    parts = [_title(type(model).__name__), table]
    transcript = getattr(model, "transcript", None)
    if isinstance(transcript, list) and transcript and not attrs.has(type(transcript)):
        parts += [_title("Transcript"), transcript_html(transcript)]
    return "".join(parts)


def transcript_html(turns: Sequence[Any]) -> str:
    """A transcript as a table: who spoke, what was said (in full), tool calls named."""
    rows = []
    for turn in turns:
        said = turn.content
        if said is None and turn.tool_name is not None:
            said = f"[{turn.tool_name}] {turn.tool_output or ''}".rstrip()
        rows.append(_field(_e(turn.role or ""), _e(said or "")))
    return f"<table>{''.join(rows)}</table>"


def _columns(items: Sequence[object]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items[:MAX_HTML_ROWS]:
        for name, _ in _ordered(item):
            if name != EXTRA:
                seen.setdefault(name)
    lead = LEAD.get(type(items[0]).__name__) if items else None
    names = list(seen)
    if lead:
        names = [n for n in lead if n in seen] + [n for n in names if n not in lead]
    return names[:8]


def rows_html(items: Sequence[object], *, depth: int = 0, title: str | None = None) -> str:
    """Models as a table, one row each, with the columns a person looks for first."""
    columns = _columns(items)

    def cells(item: object) -> list[str | None]:
        values = [getattr(item, column, None) for column in columns]
        return [None if value is None else _cell(value, max(depth, 1) + 1) for value in values]

    table = _table(columns, map(cells, items[:MAX_HTML_ROWS]), len(items))
    return table if title is None else _title(title) + table


class ModelList(list[Any]):
    """A list of models as an endpoint returns it (``assistants.list()``, ``campaigns.rows()``):
    a plain list everywhere, and a table in a notebook."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        kinds = sorted({type(item).__name__ for item in self})
        return rows_html(self, title=f"{len(self)} {'/'.join(kinds) or 'items'}")


def _counts(result: Any) -> str:
    """A ``BatchResult``'s items counted by status: ``created=2, failed=1, not_sent=0``."""
    counts = dict.fromkeys(("created", "failed", "not_sent"), 0)
    for item in result.results:
        counts[item.status] = counts.get(item.status, 0) + 1
    return ", ".join(f"{name}={count}" for name, count in counts.items())


def batch_repr(result: Any) -> str:
    """A ``BatchResult``'s ``repr``: the counts, and why it stopped."""
    stopped = "" if result.stop_error is None else f", stopped={result.stopped!r}"
    return f"BatchResult({_counts(result)}{stopped})"


def batch_html(result: Any) -> str:
    """A ``BatchResult``: the counts, why it stopped, then its items (failed ones first)."""
    stopped = "" if result.stopped is None else f"<p>stopped: {_e(result.stopped)}</p>"
    items = sorted(result.results, key=lambda i: (i.status == "created", i.index))
    rows = (
        (
            str(i.index),
            _e(i.status),
            _e(i.created_id or ""),
            _e(cut(str(i.error or ""), MAX_HTML_TEXT)),
        )
        for i in items[:MAX_HTML_ROWS]
    )
    table = _table(("index", "status", "id", "error"), rows, len(result.results))
    return f"{_title('BatchResult')} {_e(_counts(result))}{stopped}{table}"
