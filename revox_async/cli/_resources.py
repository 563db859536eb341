"""The commands for calls, campaigns, voices, phone numbers and the account.

Registered on the ``revox-async`` group by ``_app``; they share its settings,
error handling (`_run`) and output conventions (rich tables, ``--json``).
"""

from __future__ import annotations

import csv
import io
import json
import typing
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from revox_async import AsyncRevox, Call, WaitTimeoutError, to_dict
from revox_async._models.calls import CallStatus, Direction, ResultFilter
from revox_async._models.shared import OutcomeFilter, VoiceProvider

from ._app import (
    EXIT_FAILED,
    Settings,
    _dump,
    _fail,
    _json_flag,
    _out,
    _pairs,
    _run,
)

__all__ = ["calls", "campaigns", "phone_numbers", "voices", "whoami"]

MOCK_POLL_INTERVAL = 0.2
"""How often ``wait`` polls the embedded mock (its clock runs 60 times faster)."""


def _known(alias: Any) -> str:
    """The values this version knows, for ``--help``; others are sent as given: the API
    adds values ahead of the SDK, and the server is the authority on them."""
    return "Known: " + ", ".join(typing.get_args(alias)) + "."


def _when(_ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """ISO 8601 with a timezone, checked here: the API would guess the zone of a bare time."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not ISO 8601 (e.g. 2026-05-01T09:30:00+02:00)", param=param
        ) from None
    if moment.tzinfo is None:
        raise click.BadParameter(f"{value!r} has no timezone (add Z or +02:00)", param=param)
    return moment.isoformat()


def _text_pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    """``KEY=VALUE`` options as text (prompt variables and metadata are strings)."""
    pairs: dict[str, str] = {}
    for pair in values:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected KEY=VALUE, got {pair!r}", param_hint=option)
        pairs[key] = value
    return pairs


def _text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, dict | list | bool):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _fields(rows: Iterable[tuple[str, Any]]) -> None:
    """A two-column table: field, value."""
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold cyan")
    table.add_column()
    for key, value in rows:
        table.add_row(key, _text(value))
    _out().print(table)


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


# -- calls ------------------------------------------------------------------------------


@click.group()
def calls() -> None:
    """Place calls, follow them to the end, search and cancel them."""


def _show_call(settings: Settings, call: Call) -> None:
    if settings.as_json:
        _dump(to_dict(call))
        return
    attempt = call.latest_attempt
    assistant = call.assistant
    _fields(
        [
            ("id", call.id),
            ("status", call.status),
            ("to", call.to_phone_number),
            ("from", call.from_phone_number),
            ("assistant", f"{assistant.name} ({assistant.id})" if assistant else None),
            ("created", call.created_at),
            ("scheduled", call.scheduled_at),
            ("attempts", _number(call.calls_count)),
            ("result", attempt.result if attempt else None),
            ("outcome", call.outcome),
            ("summary", call.outcome_summary),
            ("metadata", call.metadata or None),
            ("variables", call.prompt_variables or None),
        ]
    )
    for turn in call.transcript:
        _out().print(f"  [bold]{turn.role}:[/] {turn.content or ''}", highlight=False)


def _poll_interval(settings: Settings, given: float | None) -> float:
    if given is not None:
        return given
    return MOCK_POLL_INTERVAL if settings.mock else 2.0


_wait_timeout = click.option(
    "--timeout",
    "wait_timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=600.0,
    show_default=True,
    help="Seconds to wait for the call to end.",
)
_poll = click.option(
    "--poll-interval",
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds between polls, growing to 10 [default: 2; 0.2 with --mock].",
)


async def _waiting(
    settings: Settings, client: AsyncRevox, call_id: str, seconds: float, poll: float
) -> Call:
    try:
        return await client.calls.wait(
            call_id, timeout=seconds, poll_interval=poll, max_interval=max(poll, 10.0)
        )
    except WaitTimeoutError as exc:
        if settings.as_json and isinstance(exc.call, Call):
            _dump(to_dict(exc.call))
        _fail(f"{exc}; `revox-async calls wait {call_id}` waits again", EXIT_FAILED)


@calls.command("create")
@_json_flag
@click.option("--phone-number", required=True, help="Who to call (E.164: +14155550100).")
@click.option("--assistant-id", help="The assistant that speaks.")
@click.option("--prompt", help="Or an inline assistant with this prompt (nothing is stored).")
@click.option("--from-phone-number", help="The caller id (one of your numbers).")
@click.option("--var", "variables", multiple=True, metavar="KEY=VALUE", help="A prompt variable.")
@click.option("--metadata", multiple=True, metavar="KEY=VALUE", help="Metadata kept on the call.")
@click.option("--scheduled-at", callback=_when, metavar="ISO", help="Call later (with timezone).")
@click.option("--set", "values", multiple=True, metavar="KEY=JSON", help="Any other call field.")
@click.option("--wait", "then_wait", is_flag=True, help="Then wait for the call to end.")
@_wait_timeout
@_poll
@click.pass_obj
def create_call(
    settings: Settings,
    phone_number: str,
    assistant_id: str | None,
    prompt: str | None,
    from_phone_number: str | None,
    variables: tuple[str, ...],
    metadata: tuple[str, ...],
    scheduled_at: str | None,
    values: tuple[str, ...],
    then_wait: bool,
    wait_timeout: float,
    poll_interval: float | None,
) -> None:
    """Call --phone-number with --assistant-id (or an inline assistant: --prompt).

    With --wait it then polls until the call ends and prints the final call.
    """
    params: dict[str, Any] = {"phone_number": phone_number, **_pairs(values, "--set")}
    if assistant_id is not None and prompt is not None:
        raise click.UsageError("give --assistant-id or --prompt, not both")
    if assistant_id is not None:
        params["assistant_id"] = assistant_id
    elif prompt is not None:
        params["assistant"] = {"prompt": prompt}
    elif "assistant" not in params and "assistant_id" not in params:
        raise click.UsageError("which assistant? give --assistant-id ID or --prompt TEXT")
    for name, value in (
        ("from_phone_number", from_phone_number),
        ("scheduled_at", scheduled_at),
    ):
        if value is not None:
            params[name] = value
    if variables:
        params["prompt_variables"] = _text_pairs(variables, "--var")
    if metadata:
        params["metadata"] = _text_pairs(metadata, "--metadata")
    poll = _poll_interval(settings, poll_interval)

    async def work(client: AsyncRevox) -> Call:
        call = await client.calls.create(**params)
        if not then_wait:
            return call
        return await _waiting(settings, client, call.id, wait_timeout, poll)

    _show_call(settings, _run(settings, work))


@calls.command("get")
@_json_flag
@click.argument("call_id")
@click.pass_obj
def get_call(settings: Settings, call_id: str) -> None:
    """Show one call: status, outcome, latest transcript."""
    _show_call(settings, _run(settings, lambda c: c.calls.retrieve(call_id)))


@calls.command("wait")
@_json_flag
@click.argument("call_id")
@_wait_timeout
@_poll
@click.pass_obj
def wait_call(
    settings: Settings, call_id: str, wait_timeout: float, poll_interval: float | None
) -> None:
    """Wait until a call ends (completed, cancelled or errored) and show it.

    A call still running after --timeout: the last status seen, exit 1.
    """
    poll = _poll_interval(settings, poll_interval)
    _show_call(
        settings, _run(settings, lambda c: _waiting(settings, c, call_id, wait_timeout, poll))
    )


@calls.command("search")
@_json_flag
@click.option("--status", "statuses", multiple=True, help=_known(CallStatus))
@click.option("--assistant-id", "assistant_ids", multiple=True)
@click.option("--campaign-id", "campaign_ids", multiple=True)
@click.option("--direction", "directions", multiple=True, help=_known(Direction))
@click.option("--outcome", "outcomes", multiple=True, help=_known(OutcomeFilter))
@click.option("--result", "results", multiple=True, help=_known(ResultFilter))
@click.option("--from-phone-number", "from_phone_numbers", multiple=True)
@click.option("--to-phone-number")
@click.option("--query", help="Text in the id, numbers, summary, metadata or variables.")
@click.option("--sort-by", help="A call field [default: created_at].")
@click.option("--sort-direction", type=click.Choice(["asc", "desc"]))
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    help="At most this many calls (0: every match).",
)
@click.pass_obj
def search_calls(settings: Settings, /, limit: int, **given: Any) -> None:
    """Find calls; each option may repeat (--status completed --status errored)."""
    filters: dict[str, Any] = {
        k: list(v) if isinstance(v, tuple) else v for k, v in given.items() if v not in (None, ())
    }

    async def work(client: AsyncRevox) -> list[Call]:
        search = client.calls.search(
            limit=limit or None, page_size=min(limit or 100, 100), **filters
        )
        return [call async for call in search]

    found = _run(settings, work)
    if settings.as_json:
        _dump([to_dict(call) for call in found])
        return
    table = Table(title=f"{len(found)} call(s)")
    table.add_column("id", no_wrap=True, min_width=max((len(c.id) for c in found), default=2))
    table.add_column("status")
    table.add_column("to", no_wrap=True)
    for column in ("assistant", "outcome", "created"):
        table.add_column(column)
    for call in found:
        assistant = call.assistant.name if call.assistant else None
        table.add_row(
            call.id,
            _text(call.status),
            _text(call.to_phone_number),
            _text(assistant),
            _text(call.outcome),
            _text(call.created_at),
        )
    _out().print(table)


@calls.command("cancel")
@_json_flag
@click.argument("call_id")
@click.pass_obj
def cancel_call(settings: Settings, call_id: str) -> None:
    """Cancel a running or scheduled call (an ended one: exit 1)."""
    ok = _run(settings, lambda c: c.calls.cancel(call_id))
    if settings.as_json:
        _dump({"id": call_id, "success": ok})
    else:
        _out().print(f"cancelled {call_id}" if ok else f"not cancelled: {call_id}")
    if not ok:
        raise SystemExit(EXIT_FAILED)


# -- campaigns --------------------------------------------------------------------------


@click.group()
def campaigns() -> None:
    """Create and launch campaigns, follow their rows and statistics."""


def _show_campaign(settings: Settings, campaign: Any) -> None:
    if settings.as_json:
        _dump(to_dict(campaign))
        return
    rows = campaign.row_stats
    _fields(
        [
            ("id", campaign.id),
            ("name", campaign.name),
            ("status", campaign.status),
            ("cancelled", campaign.is_cancelled),
            ("assistant", campaign.assistant_id),
            ("from", campaign.from_phone_number),
            ("created", campaign.created_at),
            *(
                (f"rows {name}", _number(getattr(rows, name)))
                for name in ("total", "not_launched", "pending", "calling", "completed", "failed")
                if rows is not None
            ),
        ]
    )


def _contacts_file(path: Path) -> list[dict[str, Any]]:
    """Contacts from CSV (a ``phone_number`` column, the others prompt variables) or JSON
    Lines/JSON (objects ``{"to_phone_number": ..., "prompt_variables": {...}}``)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.BadParameter(
            f"cannot read {str(path)!r}: {exc}", param_hint="--contacts"
        ) from None
    if path.suffix.lower() == ".csv":
        contacts = []
        for record in csv.DictReader(io.StringIO(text)):
            phone = record.pop("phone_number", None) or record.pop("to_phone_number", None)
            variables = {k: v for k, v in record.items() if k and v}
            contacts.append({"to_phone_number": phone, "prompt_variables": variables})
        return contacts
    try:
        stripped = text.strip()
        if stripped.startswith("["):
            loaded = json.loads(stripped)
        else:
            loaded = [json.loads(line) for line in stripped.splitlines() if line.strip()]
    except ValueError as exc:
        raise click.BadParameter(
            f"{path.name}: not JSON ({exc})", param_hint="--contacts"
        ) from None
    if not all(isinstance(item, dict) for item in loaded):
        raise click.BadParameter(f"{path.name}: expected JSON objects", param_hint="--contacts")
    return [{"prompt_variables": {}, **item} for item in loaded]


@campaigns.command("create")
@_json_flag
@click.option("--name", required=True)
@click.option("--assistant-id", required=True, help="The assistant that makes the calls.")
@click.option(
    "--contact", "phones", multiple=True, metavar="PHONE", help="A number to call (E.164)."
)
@click.option(
    "--contacts",
    "contacts_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV (phone_number + variables) or JSON Lines of contacts.",
)
@click.option("--var", "variables", multiple=True, metavar="KEY=VALUE", help="For every --contact.")
@click.option("--from-phone-number")
@click.option("--max-concurrent-calls", type=click.IntRange(min=1))
@click.pass_obj
def create_campaign(
    settings: Settings,
    name: str,
    assistant_id: str,
    phones: tuple[str, ...],
    contacts_file: Path | None,
    variables: tuple[str, ...],
    from_phone_number: str | None,
    max_concurrent_calls: int | None,
) -> None:
    """Create a campaign (nothing is dialled until `campaigns launch`)."""
    shared = _text_pairs(variables, "--var")
    contacts = [{"to_phone_number": p, "prompt_variables": dict(shared)} for p in phones]
    if contacts_file is not None:
        contacts += _contacts_file(contacts_file)
    if not contacts:
        raise click.UsageError("no contacts: give --contact PHONE or --contacts FILE")
    params: dict[str, Any] = {"name": name, "assistant_id": assistant_id, "contacts": contacts}
    if from_phone_number is not None:
        params["from_phone_number"] = from_phone_number
    if max_concurrent_calls is not None:
        params["max_concurrent_calls"] = max_concurrent_calls
    _show_campaign(settings, _run(settings, lambda c: c.campaigns.create(**params)))


@campaigns.command("list")
@_json_flag
@click.pass_obj
def list_campaigns(settings: Settings) -> None:
    """List every campaign."""
    items = _run(settings, lambda c: c.campaigns.list())
    if settings.as_json:
        _dump([to_dict(c) for c in items])
        return
    table = Table(title=f"{len(items)} campaign(s)")
    table.add_column("id", no_wrap=True, min_width=max((len(c.id) for c in items), default=2))
    for column in ("name", "status", "rows", "created"):
        table.add_column(column)
    for c in items:
        total = c.row_stats.total if c.row_stats else None
        table.add_row(c.id, _text(c.name), _text(c.status), _number(total), _text(c.created_at))
    _out().print(table)


@campaigns.command("get")
@_json_flag
@click.argument("campaign_id")
@click.pass_obj
def get_campaign(settings: Settings, campaign_id: str) -> None:
    """Show one campaign, with its row counts."""
    _show_campaign(settings, _run(settings, lambda c: c.campaigns.retrieve(campaign_id)))


@campaigns.command("launch")
@_json_flag
@click.argument("campaign_id")
@click.option(
    "--mode", type=click.Choice(["ai_first", "speed_dial"]), default="ai_first", show_default=True
)
@click.option("--scheduled-at", callback=_when, metavar="ISO", help="Start later (ai_first).")
@click.pass_obj
def launch_campaign(
    settings: Settings, campaign_id: str, mode: str, scheduled_at: str | None
) -> None:
    """Start calling every row of the campaign."""
    if scheduled_at is not None and mode == "speed_dial":
        raise click.UsageError("--scheduled-at is for --mode ai_first only")
    chosen: Any = mode
    result = _run(
        settings,
        lambda c: c.campaigns.launch(campaign_id, mode=chosen, scheduled_at=scheduled_at),
    )
    if settings.as_json:
        _dump(to_dict(result))
        return
    skipped = result.skipped
    _fields(
        [
            ("launched", _number(result.launched)),
            ("skipped active", _number(skipped.active if skipped else None)),
            ("skipped exhausted", _number(skipped.attempts_exhausted if skipped else None)),
            ("skipped cancelled", _number(skipped.cancelled if skipped else None)),
            *((("session", result.session.id),) if result.session else ()),
        ]
    )


@campaigns.command("stats")
@_json_flag
@click.argument("campaign_id")
@click.pass_obj
def campaign_stats(settings: Settings, campaign_id: str) -> None:
    """The campaign's funnel (called, reached, real exchanges, hot leads) and effort."""
    stats = _run(settings, lambda c: c.campaigns.statistics(campaign_id))
    if settings.as_json:
        _dump(to_dict(stats))
        return
    funnel, effort = stats.funnel, stats.effort
    shown: list[tuple[str, Any]] = []
    if stats.campaign is not None:
        shown += [("campaign", stats.campaign.name), ("status", stats.campaign.status)]
    if funnel is not None:
        if funnel.called is not None:
            shown.append(("called", _number(funnel.called.count)))
        if funnel.reached is not None:
            pct = funnel.reached.pct_of_called
            shown.append(("reached", f"{_number(funnel.reached.count)} ({_number(pct)} %)"))
        for label, step in (
            ("real exchanges", funnel.real_exchanges),
            ("hot leads", funnel.hot_leads),
        ):
            if step is not None:
                shown.append((label, f"{_number(step.count)} ({_number(step.pct_of_reached)} %)"))
    if effort is not None:
        shown.append(("calls", _number(effort.calls_total)))
    _fields(shown)


@campaigns.command("rows")
@_json_flag
@click.argument("campaign_id")
@click.pass_obj
def campaign_rows(settings: Settings, campaign_id: str) -> None:
    """Every row of the campaign, with its call's status and outcome."""
    rows = _run(settings, lambda c: c.campaigns.rows(campaign_id))
    if settings.as_json:
        _dump([to_dict(row) for row in rows])
        return
    table = Table(title=f"{len(rows)} row(s)")
    for column in ("#", "phone", "call", "status", "outcome"):
        table.add_column(column, no_wrap=column in ("phone", "call"))
    for row in rows:
        call = row.call
        table.add_row(
            _number(row.row_index),
            _text(row.phone_number),
            call.id if call else "-",
            _text(call.status if call else None),
            _text(call.outcome if call else None),
        )
    _out().print(table)


# -- voices, phone numbers, the account ---------------------------------------------------


@click.group()
def voices() -> None:
    """The voice catalogue."""


@voices.command("list")
@_json_flag
@click.option("--provider", help="Only this provider's voices. " + _known(VoiceProvider))
@click.pass_obj
def list_voices(settings: Settings, provider: str | None) -> None:
    """List the voices: the presets and your clones."""
    items = _run(settings, lambda c: c.voices.list())
    items = [v for v in items if provider is None or v.provider == provider]
    if settings.as_json:
        _dump([to_dict(v) for v in items])
        return
    table = Table(title=f"{len(items)} voice(s)")
    table.add_column("provider")
    table.add_column("id", no_wrap=True)
    for column in ("name", "language", "gender", "cloned"):
        table.add_column(column)
    for v in items:
        cloned = "yes" if v.is_cloned else "-"
        table.add_row(
            _text(v.provider), v.id, _text(v.name), _text(v.language), _text(v.gender), cloned
        )
    _out().print(table)


@click.group("phone-numbers")
def phone_numbers() -> None:
    """The account's phone numbers."""


@phone_numbers.command("list")
@_json_flag
@click.pass_obj
def list_phone_numbers(settings: Settings) -> None:
    """List the numbers calls are placed from and answered on."""
    items = _run(settings, lambda c: c.phone_numbers.list())
    if settings.as_json:
        _dump([to_dict(n) for n in items])
        return
    table = Table(title=f"{len(items)} phone number(s)")
    table.add_column("id", no_wrap=True)
    table.add_column("number", no_wrap=True)
    for column in ("label", "type", "provider", "inbound assistant"):
        table.add_column(column)
    for n in items:
        inbound = n.inbound_assistant.name if n.inbound_assistant else None
        table.add_row(
            n.id,
            _text(n.phone_number),
            _text(n.label),
            _text(n.type),
            _text(n.provider),
            _text(inbound),
        )
    _out().print(table)


@click.command()
@_json_flag
@click.pass_obj
def whoami(settings: Settings) -> None:
    """The user the API key belongs to, and whether the key is valid."""

    async def work(client: AsyncRevox) -> tuple[Any, Any]:
        return await client.users.me(), await client.auth_status()

    user, status = _run(settings, work)
    if settings.as_json:
        _dump({"user": to_dict(user), "authenticated": status.authenticated})
        return
    name = " ".join(part for part in (user.first_name, user.last_name) if part)
    _fields(
        [
            ("user", f"{name} <{user.email}>" if name else user.email),
            ("id", user.id),
            ("organization", user.organization_id),
            ("authenticated", status.authenticated),
        ]
    )


def register(group: click.Group) -> None:
    """Add these commands to the ``revox-async`` group."""
    for command in (calls, campaigns, voices, phone_numbers, whoami):
        group.add_command(command)
