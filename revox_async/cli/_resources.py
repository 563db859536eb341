"""The commands for assistants, calls, campaigns, voices, phone numbers and the account.

Added to the ``revox-async`` group by ``_app``. A command that makes one request is
its endpoint under `one_request`; the others run theirs with `answer` (or `run`), which
turn expected errors into exit codes and print the result: JSON with ``--json``, else
a table or the object's fields.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import json
import os
import shlex
import sys
import typing
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.table import Table
from rich.text import Text

from revox_async import (
    Assistant,
    AsyncRevox,
    Call,
    CsvExport,
    OutcomeUnknownError,
    WaitTimeoutError,
)
from revox_async._core import key_made_at
from revox_async._models.calls import CallStatus, Direction, ResultFilter
from revox_async._models.shared import CartesiaModel, OutcomeFilter, VoiceProvider
from revox_async._models.voices import AudioContentType, Language

from ._common import (
    EXIT_FAILED,
    EXIT_USAGE,
    Settings,
    answer,
    apply,
    fail,
    json_flag,
    one_request,
    pairs,
    run,
)
from ._output import Col, dump, err_console, fields, out_console, show, table

__all__ = ["assistants", "calls", "campaigns", "phone_numbers", "voices", "whoami"]

_F = TypeVar("_F", bound=Callable[..., Any])

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


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _named(model: Any) -> str | None:
    """``Name (id)`` of an assistant or campaign embedded in another object."""
    if model is None:
        return None
    return f"{model.name} ({model.id})" if model.name else str(model.id)


def _given(values: dict[str, Any]) -> dict[str, Any]:
    """The options given (not ``None``, not an empty repeat), to send as parameters of
    that name; repeated ones as lists."""
    return {
        k: list(v) if isinstance(v, tuple) else v for k, v in values.items() if v not in (None, ())
    }


# -- files written by a command (exports, previews) ---------------------------------------


def _output_file(
    help: str = "The file to write (- for stdout).", *, required: bool = False
) -> Callable[[_F], _F]:
    """``-o/--output FILE`` and ``--force``."""
    path = click.Path(dir_okay=False, allow_dash=True, path_type=Path)
    return apply(
        click.option("-o", "--output", type=path, required=required, help=help),
        click.option("--force", is_flag=True, help="Replace --output if it exists."),
    )


def _is_stdout(output: Path | None) -> bool:
    return output is None or str(output) == "-"


def _check_output(output: Path | None, force: bool, *, binary: bool = False) -> None:
    """Refuse, before any request, a file that exists (without ``--force``), a folder that
    does not, and binary data for a terminal."""
    if _is_stdout(output):
        if binary and sys.stdout.isatty():
            fail("audio is not for a terminal: give --output FILE (or pipe it)", EXIT_USAGE)
        return
    assert output is not None
    if output.exists() and not force:
        fail(f"{str(output)!r} exists: add --force to replace it", EXIT_USAGE)
    if not output.parent.is_dir():
        fail(f"no folder {str(output.parent)!r} for --output", EXIT_USAGE)


def _save(
    settings: Settings, output: Path, data: bytes, force: bool, said: str, **facts: Any
) -> None:
    """Write the whole file or nothing (a temporary file, then renamed over ``output``),
    then say so: ``said``, or (``--json``) its path, size and ``facts``."""
    part = output.with_name(f".{output.name}.{os.getpid()}.part")
    try:
        with part.open("xb") as file:  # the umask's permissions, as a plain write
            file.write(data)
        if output.exists() and not force:
            fail(f"{str(output)!r} appeared meanwhile: add --force to replace it", EXIT_USAGE)
        os.replace(part, output)
    except OSError as exc:
        fail(f"cannot write {str(output)!r}: {exc.strerror or exc}", EXIT_FAILED)
    finally:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
    if settings.as_json:
        dump({"path": str(output), "bytes": len(data), **facts})
    else:
        out_console().print(Text(f"{said} to {output}"))


def _export(
    settings: Settings,
    endpoint: Callable[[AsyncRevox], Awaitable[CsvExport]],
    output: Path | None,
    force: bool,
) -> None:
    """The CSV on stdout (``--json``: the export object), or in ``--output``."""
    _check_output(output, force)
    export = run(settings, endpoint)
    if _is_stdout(output):
        if settings.as_json:
            dump(export)
        else:
            click.echo(export.csv, nl=False)
        return
    assert output is not None
    rows = max(len(list(csv.reader(io.StringIO(export.csv)))) - 1, 0)
    said = f"wrote {rows} row(s)"
    _save(settings, output, export.csv.encode(), force, said, rows=rows, filename=export.filename)


# -- assistants -------------------------------------------------------------------------


@click.group(short_help="List, show, create, change, clone and delete assistants.")
def assistants() -> None:
    """List, show, create, update, clone and delete assistants; create them in bulk."""


_ASSISTANT_COLUMNS = (
    Col("id", lambda a: a.id, is_id=True),
    Col("name", lambda a: a.name, flex=True),
    Col("voice", lambda a: a.voice.provider if a.voice else None),
    Col("created", lambda a: a.created_at),
)


@assistants.command("list")
@one_request(listed=("assistant(s)", _ASSISTANT_COLUMNS))
def list_assistants(c: AsyncRevox) -> Awaitable[list[Assistant]]:
    """List every assistant."""
    return c.assistants.list()


@assistants.command("get")
@one_request("assistant_id")
def get_assistant(c: AsyncRevox, assistant_id: str) -> Awaitable[Assistant]:
    """Show one assistant."""
    return c.assistants.retrieve(assistant_id)


@assistants.command("create", short_help="Create an assistant (--name, --prompt, --set).")
@json_flag
@click.option("--name", required=True)
@click.option("--prompt", required=True)
@click.option("--set", "values", multiple=True, metavar="KEY=JSON", help="Any other field.")
@click.pass_obj
def create_assistant(settings: Settings, name: str, prompt: str, values: tuple[str, ...]) -> None:
    """Create an assistant: --set voice='{"id": "v1", "provider": "cartesia"}'."""
    params = pairs(values, "--set")
    answer(settings, lambda c: c.assistants.create(name=name, prompt=prompt, **params))


def _changes(
    given: dict[str, Any], values: tuple[str, ...], nulls: tuple[str, ...], *, nothing: str
) -> dict[str, Any]:
    """An update's parameters: the options ``given``, ``--set`` and ``--null`` (in that
    order, a later one winning); none at all is a usage error saying ``nothing``."""
    params = {**given, **pairs(values, "--set"), **dict.fromkeys(nulls)}
    if not params:
        raise click.UsageError(nothing)
    return params


@assistants.command("update", short_help="Change some fields of an assistant.")
@json_flag
@click.argument("assistant_id")
@click.option("--set", "values", multiple=True, metavar="KEY=JSON", help="A field to change.")
@click.option("--null", "nulls", multiple=True, metavar="KEY", help="A field to set to null.")
@click.pass_obj
def update_assistant(
    settings: Settings, assistant_id: str, values: tuple[str, ...], nulls: tuple[str, ...]
) -> None:
    """Change only the fields given: --set name='"Night desk"' --null voicemail_message."""
    nothing = "nothing to update: give --set KEY=VALUE or --null KEY"
    params = _changes({}, values, nulls, nothing=nothing)
    answer(settings, lambda c: c.assistants.update(assistant_id, **params))


@assistants.command("clone")
@one_request("assistant_id")
def clone_assistant(c: AsyncRevox, assistant_id: str) -> Awaitable[Assistant]:
    """Copy an assistant (the copy has a new id) and show the copy."""
    return c.assistants.clone(assistant_id)


@assistants.command("delete", short_help="Delete an assistant (asks first).")
@one_request("assistant_id", did="deleted", ask="delete assistant {}")
def delete_assistant(c: AsyncRevox, assistant_id: str) -> Awaitable[bool]:
    """Delete an assistant for good (asks first; --yes does not)."""
    return c.assistants.delete(assistant_id)


# -- calls ------------------------------------------------------------------------------


@click.group(short_help="Place, follow, search, pause, cancel and export calls.")
def calls() -> None:
    """Place calls, follow them to the end, search, pause, resume, cancel and export
    them; place them in bulk; see what each number's calls came to."""


def _show_call(call: Call) -> None:
    attempt = call.latest_attempt
    fields(
        [
            ("id", call.id),
            ("status", call.status),
            ("to", call.to_phone_number),
            ("from", call.from_phone_number),
            ("assistant", _named(call.assistant)),
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
    if call.transcript:
        turns = Table.grid(padding=(0, 1))
        turns.add_column(style="bold", no_wrap=True)
        turns.add_column(overflow="fold")
        for turn in call.transcript:
            turns.add_row(Text(f"  {turn.role}:"), Text(turn.content or ""))
        show(out_console(), turns)


_wait_options = apply(
    click.option(
        "--timeout",
        "wait_timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=600.0,
        show_default=True,
        help="Seconds to wait for the call to end.",
    ),
    click.option(
        "--poll-interval",
        type=click.FloatRange(min=0, min_open=True),
        help="Seconds between polls, growing to 10 [default: 2; 0.2 with --mock].",
    ),
)


async def _waiting(
    settings: Settings, client: AsyncRevox, call_id: str, seconds: float, given: float | None
) -> Call:
    """``calls.wait``; polling every ``given`` seconds, else every 2 (0.2 with the mock)."""
    poll = given if given is not None else MOCK_POLL_INTERVAL if settings.mock else 2.0
    try:
        return await client.calls.wait(
            call_id, timeout=seconds, poll_interval=poll, max_interval=max(poll, 10.0)
        )
    except WaitTimeoutError as exc:
        if settings.as_json and isinstance(exc.call, Call):
            dump(exc.call)
        fail(f"{exc}; `revox-async calls wait {call_id}` waits again", EXIT_FAILED)


@calls.command("create", short_help="Place a call (and --wait for its end).")
@json_flag
@click.option("--phone-number", required=True, help="Who to call (E.164: +14155550100).")
@click.option("--assistant-id", help="The assistant that speaks.")
@click.option("--prompt", help="Or an inline assistant with this prompt (nothing is stored).")
@click.option("--from-phone-number", help="The caller id (one of your numbers).")
@click.option("--var", "variables", multiple=True, metavar="KEY=VALUE", help="A prompt variable.")
@click.option("--metadata", multiple=True, metavar="KEY=VALUE", help="Metadata kept on the call.")
@click.option("--scheduled-at", callback=_when, metavar="ISO", help="Call later (with timezone).")
@click.option("--set", "values", multiple=True, metavar="KEY=JSON", help="Any other call field.")
@click.option(
    "--idempotency-key",
    metavar="KEY",
    help="Your key for this call: given again, the call it placed is found, not placed again.",
)
@click.option("--wait", "then_wait", is_flag=True, help="Then wait for the call to end.")
@_wait_options
@click.pass_obj
def create_call(
    settings: Settings,
    /,
    phone_number: str,
    assistant_id: str | None,
    prompt: str | None,
    variables: tuple[str, ...],
    metadata: tuple[str, ...],
    values: tuple[str, ...],
    then_wait: bool,
    wait_timeout: float,
    poll_interval: float | None,
    **given: str | None,
) -> None:
    """Call --phone-number with --assistant-id (or an inline assistant: --prompt).

    With --wait it then polls until the call ends and prints the final call. When
    its outcome stays unknown, the error gives its key: the same command with
    --idempotency-key KEY finds the call it placed instead of calling again.
    """
    params: dict[str, Any] = {"phone_number": phone_number, **pairs(values, "--set")}
    if assistant_id is not None and prompt is not None:
        raise click.UsageError("give --assistant-id or --prompt, not both")
    if assistant_id is not None:
        params["assistant_id"] = assistant_id
    elif prompt is not None:
        params["assistant"] = {"prompt": prompt}
    elif "assistant" not in params and "assistant_id" not in params:
        raise click.UsageError("which assistant? give --assistant-id ID or --prompt TEXT")
    params.update(_given(given))
    if variables:
        params["prompt_variables"] = pairs(variables, "--var", as_json=False)
    if metadata:
        params["metadata"] = pairs(metadata, "--metadata", as_json=False)

    async def work(client: AsyncRevox) -> Call:
        if key_made_at(params.get("idempotency_key")) is not None:  # as an error gave it
            err_console().print(
                "searching for the call this key placed before calling; a key made in the "
                f"last few minutes waits up to {client.timeout + client.outcome_window:g} s "
                "first (an attempt made with it may still be under way)"
            )
        try:
            call = await client.calls.create(**params)
        except OutcomeUnknownError as exc:
            settle = f"--idempotency-key {shlex.quote(exc.idempotency_key or '')}"
            exc.args = (f"{exc}. To settle it, run this command again with {settle}",)
            raise
        except asyncio.CancelledError:  # Ctrl-C: the call may be placed even so
            look = f"revox-async calls search --to-phone-number {shlex.quote(phone_number)}"
            then = (
                "this command run again as it is finds it instead of calling again"
                if params.get("idempotency_key")
                else f"before calling again, look: {look}"
            )
            late = client.timeout + client.outcome_window  # your own key is looked for at once
            err_console().print(
                f"interrupted: the call may have been placed; {then}, once {late:g} s have "
                "passed (the server may still be placing it)"
            )
            raise
        if not then_wait:
            return call
        return await _waiting(settings, client, call.id, wait_timeout, poll_interval)

    answer(settings, work, _show_call)


@calls.command("get")
@one_request("call_id", render=_show_call)
def get_call(c: AsyncRevox, call_id: str) -> Awaitable[Call]:
    """Show one call: status, outcome, latest transcript."""
    return c.calls.retrieve(call_id)


@calls.command("wait", short_help="Wait until a call ends and show it.")
@json_flag
@click.argument("call_id")
@_wait_options
@click.pass_obj
def wait_call(
    settings: Settings, call_id: str, wait_timeout: float, poll_interval: float | None
) -> None:
    """Wait until a call ends (completed, cancelled or errored) and show it.

    A call still running after --timeout: the last status seen, exit 1.
    """
    answer(
        settings, lambda c: _waiting(settings, c, call_id, wait_timeout, poll_interval), _show_call
    )


_call_filters = apply(
    click.option("--status", "statuses", multiple=True, metavar="STATUS", help=_known(CallStatus)),
    click.option("--assistant-id", "assistant_ids", multiple=True, metavar="ID"),
    click.option("--campaign-id", "campaign_ids", multiple=True, metavar="ID"),
    click.option("--direction", "directions", multiple=True, metavar="DIR", help=_known(Direction)),
    click.option(
        "--outcome", "outcomes", multiple=True, metavar="OUTCOME", help=_known(OutcomeFilter)
    ),
    click.option("--result", "results", multiple=True, metavar="RESULT", help=_known(ResultFilter)),
    click.option("--from-phone-number", "from_phone_numbers", multiple=True, metavar="E164"),
    click.option("--to-phone-number", metavar="E164"),
    click.option("--query", help="Text in the id, numbers, summary, metadata or variables."),
    click.option("--sort-by", metavar="FIELD", help="A call field [default: created_at]."),
    click.option("--sort-direction", type=click.Choice(["asc", "desc"])),
)


_CALL_COLUMNS = (
    Col("id", lambda c: c.id, is_id=True),
    Col("status", lambda c: c.status),
    Col("to", lambda c: c.to_phone_number),
    Col("outcome", lambda c: c.outcome, flex=True),
    Col("created", lambda c: c.created_at),
)


@calls.command("search", short_help="Find calls by status, assistant, outcome or text.")
@one_request(
    None,
    _call_filters,
    click.option(
        "--limit",
        type=click.IntRange(min=0),
        default=50,
        show_default=True,
        help="At most this many calls (0: every match).",
    ),
    listed=("call(s)", _CALL_COLUMNS),
)
async def search_calls(c: AsyncRevox, limit: int, **given: Any) -> list[Call]:
    """Find calls; each option may repeat (--status completed --status errored)."""
    filters = _given(given)
    search = c.calls.search(limit=limit or None, page_size=min(limit or 100, 100), **filters)
    return [call async for call in search]


@calls.command("export", short_help="The calls matching the filters as CSV.")
@json_flag
@_call_filters
@click.option("--include-metadata", is_flag=True, help="A column per metadata key.")
@click.option(
    "--include-structured-output", is_flag=True, help="A column per structured output field."
)
@_output_file()
@click.pass_obj
def export_calls(
    settings: Settings,
    /,
    include_metadata: bool,
    include_structured_output: bool,
    output: Path | None,
    force: bool,
    **given: Any,
) -> None:
    """The calls matching the filters as CSV, on stdout or in --output FILE."""
    params = {
        "include_metadata": include_metadata or None,
        "include_structured_output_fields": include_structured_output or None,
        **_given(given),
    }
    _export(settings, lambda c: c.calls.export(**params), output, force)


@calls.command("cancel", short_help="Cancel a running or scheduled call (asks first).")
@one_request("call_id", did="cancelled", ask="cancel call {}")
def cancel_call(c: AsyncRevox, call_id: str) -> Awaitable[bool]:
    """Cancel a running or scheduled call (asks first; an ended one: exit 1)."""
    return c.calls.cancel(call_id)


@calls.command("pause")
@one_request("call_id", did="paused")
def pause_call(c: AsyncRevox, call_id: str) -> Awaitable[bool]:
    """Stop new attempts of a call until `calls resume`."""
    return c.calls.pause(call_id)


@calls.command("resume")
@one_request("call_id", did="resumed")
def resume_call(c: AsyncRevox, call_id: str) -> Awaitable[bool]:
    """Let a paused call make attempts again."""
    return c.calls.resume(call_id)


_HISTORY_COLUMNS = (
    Col("number", lambda item: item[0]),
    Col("calls", lambda item: item[1].count, right=True),
    Col("human", lambda item: item[1].reached_human),
    Col("hot", lambda item: item[1].hot),
    Col("do not call", lambda item: item[1].do_not_contact),
    Col("last called", lambda item: item[1].last_called_at),
    Col("outcome", lambda item: item[1].last_outcome, flex=True),
)


def _show_history(history: dict[str, Any]) -> None:
    table(f"{len(history)} number(s)", _HISTORY_COLUMNS, history.items(), full_ids=True)


@calls.command("phone-history", short_help="What the calls to each number came to.")
@one_request(render=_show_history)
def phone_history(c: AsyncRevox) -> Awaitable[dict[str, Any]]:
    """Per number called: attempts, whether a human answered, hot lead, do not call."""
    return c.calls.phone_history()


# -- campaigns --------------------------------------------------------------------------


@click.group(short_help="Create, launch, follow, pause, cancel and export campaigns.")
def campaigns() -> None:
    """Create and launch campaigns, follow their rows and statistics; update, pause,
    resume, cancel, export and delete them."""


def _show_campaign(campaign: Any) -> None:
    rows = campaign.row_stats
    fields(
        [
            ("id", campaign.id),
            ("name", campaign.name),
            ("status", campaign.status),
            ("cancelled", campaign.is_cancelled),
            ("assistant", campaign.assistant_id),
            ("from", campaign.from_phone_number),
            ("concurrency", _number(campaign.max_concurrent_calls)),
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
@json_flag
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
    /,
    phones: tuple[str, ...],
    contacts_file: Path | None,
    variables: tuple[str, ...],
    **given: Any,
) -> None:
    """Create a campaign (nothing is dialled until `campaigns launch`)."""
    shared = pairs(variables, "--var", as_json=False)
    contacts = [{"to_phone_number": p, "prompt_variables": dict(shared)} for p in phones]
    if contacts_file is not None:
        contacts += _contacts_file(contacts_file)
    if not contacts:
        raise click.UsageError("no contacts: give --contact PHONE or --contacts FILE")
    params = {**_given(given), "contacts": contacts}
    answer(settings, lambda c: c.campaigns.create(**params), _show_campaign)


_CAMPAIGN_COLUMNS = (
    Col("id", lambda c: c.id, is_id=True),
    Col("name", lambda c: c.name, flex=True),
    Col("status", lambda c: c.status),
    Col("rows", lambda c: c.row_stats.total if c.row_stats else None, right=True),
    Col("created", lambda c: c.created_at),
)


@campaigns.command("list")
@one_request(listed=("campaign(s)", _CAMPAIGN_COLUMNS))
def list_campaigns(c: AsyncRevox) -> Awaitable[list[Any]]:
    """List every campaign."""
    return c.campaigns.list()


@campaigns.command("get")
@one_request("campaign_id", render=_show_campaign)
def get_campaign(c: AsyncRevox, campaign_id: str) -> Awaitable[Any]:
    """Show one campaign, with its row counts."""
    return c.campaigns.retrieve(campaign_id)


@campaigns.command("update", short_help="Change some fields of a campaign.")
@json_flag
@click.argument("campaign_id")
@click.option("--name")
@click.option("--from-phone-number", metavar="E164")
@click.option("--max-concurrent-calls", type=click.IntRange(min=1), metavar="N")
@click.option("--set", "values", multiple=True, metavar="KEY=JSON", help="Any other field.")
@click.option("--null", "nulls", multiple=True, metavar="KEY", help="A field to set to null.")
@click.pass_obj
def update_campaign(
    settings: Settings,
    /,
    campaign_id: str,
    values: tuple[str, ...],
    nulls: tuple[str, ...],
    **given: Any,
) -> None:
    """Change only the fields given (its assistant and contacts are fixed)."""
    nothing = "nothing to update: give --name, --set KEY=JSON, --null KEY..."
    params = _changes(_given(given), values, nulls, nothing=nothing)
    answer(settings, lambda c: c.campaigns.update(campaign_id, **params), _show_campaign)


def _show_launch(result: Any) -> None:
    skipped = result.skipped
    fields(
        [
            ("launched", _number(result.launched)),
            ("skipped active", _number(skipped.active if skipped else None)),
            ("skipped exhausted", _number(skipped.attempts_exhausted if skipped else None)),
            ("skipped cancelled", _number(skipped.cancelled if skipped else None)),
            *((("session", result.session.id),) if result.session else ()),
        ]
    )


@campaigns.command("launch")
@json_flag
@click.argument("campaign_id")
@click.option(
    "--mode", type=click.Choice(["ai_first", "speed_dial"]), default="ai_first", show_default=True
)
@click.option("--scheduled-at", callback=_when, metavar="ISO", help="Start later (ai_first).")
@click.pass_obj
def launch_campaign(settings: Settings, /, campaign_id: str, **given: Any) -> None:
    """Start calling every row of the campaign."""
    if given["scheduled_at"] is not None and given["mode"] == "speed_dial":
        raise click.UsageError("--scheduled-at is for --mode ai_first only")
    answer(settings, lambda c: c.campaigns.launch(campaign_id, **given), _show_launch)


def _show_stats(stats: Any) -> None:
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
    fields(shown)


@campaigns.command("stats", short_help="The funnel: called, reached, real exchanges, hot leads.")
@one_request("campaign_id", render=_show_stats)
def campaign_stats(c: AsyncRevox, campaign_id: str) -> Awaitable[Any]:
    """The campaign's funnel (called, reached, real exchanges, hot leads) and effort."""
    return c.campaigns.statistics(campaign_id)


_ROW_COLUMNS = (
    Col("#", lambda r: r.row_index, right=True),
    Col("phone", lambda r: r.phone_number),
    Col("call", lambda r: r.call.id if r.call else None, is_id=True),
    Col("status", lambda r: r.call.status if r.call else None),
    Col("outcome", lambda r: r.call.outcome if r.call else None, flex=True),
)


@campaigns.command("rows")
@one_request("campaign_id", listed=("row(s)", _ROW_COLUMNS))
def campaign_rows(c: AsyncRevox, campaign_id: str) -> Awaitable[list[Any]]:
    """Every row of the campaign, with its call's status and outcome."""
    return c.campaigns.rows(campaign_id)


@campaigns.command("export", short_help="The rows and their calls as CSV.")
@json_flag
@click.argument("campaign_id")
@_output_file()
@click.pass_obj
def export_campaign(settings: Settings, campaign_id: str, output: Path | None, force: bool) -> None:
    """The campaign's rows and their calls as CSV, on stdout or in --output FILE."""
    _export(settings, lambda c: c.campaigns.export(campaign_id), output, force)


@campaigns.command("pause")
@one_request("campaign_id", did="paused")
def pause_campaign(c: AsyncRevox, campaign_id: str) -> Awaitable[bool]:
    """Pause a campaign until `campaigns resume`."""
    return c.campaigns.pause(campaign_id)


@campaigns.command("resume")
@one_request("campaign_id", did="resumed")
def resume_campaign(c: AsyncRevox, campaign_id: str) -> Awaitable[bool]:
    """Resume a paused campaign."""
    return c.campaigns.resume(campaign_id)


@campaigns.command("cancel", short_help="Cancel the calls not made yet (asks first).")
@one_request("campaign_id", did="cancelled", ask="cancel campaign {}")
def cancel_campaign(c: AsyncRevox, campaign_id: str) -> Awaitable[bool]:
    """Cancel pending and queued calls (asks first; calls in progress finish)."""
    return c.campaigns.cancel(campaign_id)


@campaigns.command("delete")
@one_request("campaign_id", did="deleted", ask="delete campaign {} and its rows")
def delete_campaign(c: AsyncRevox, campaign_id: str) -> Awaitable[bool]:
    """Delete a campaign and its rows for good (asks first)."""
    return c.campaigns.delete(campaign_id)


# -- voices, phone numbers, the account ---------------------------------------------------


@click.group(short_help="List, show, hear, clone and delete voices.")
def voices() -> None:
    """The voice catalogue: list, show, hear (preview), clone and delete voices."""


_VOICE_COLUMNS = (
    Col("provider", lambda v: v.provider),
    Col("id", lambda v: v.id, is_id=True),
    Col("name", lambda v: v.name, flex=True),
    Col("language", lambda v: v.language),
    Col("gender", lambda v: v.gender),
    Col("cloned", lambda v: "yes" if v.is_cloned else "-"),
)


@voices.command("list")
@one_request(
    None,
    click.option("--provider", help="Only this provider's voices. " + _known(VoiceProvider)),
    listed=("voice(s)", _VOICE_COLUMNS),
)
async def list_voices(c: AsyncRevox, provider: str | None) -> list[Any]:
    """List the voices: the presets and your clones."""
    return [v for v in await c.voices.list() if provider in (None, v.provider)]


_provider = click.option(
    "--provider",
    required=True,
    metavar="NAME",
    help="The voice's provider. " + _known(VoiceProvider),
)


@voices.command("get")
@one_request("voice_id", _provider)
def get_voice(c: AsyncRevox, voice_id: str, provider: Any) -> Awaitable[Any]:
    """Show one voice (the API needs its --provider)."""
    return c.voices.retrieve(voice_id, provider=provider)


@voices.command("preview", short_help="Write a voice speaking --text to an audio file.")
@json_flag
@click.argument("voice_id")
@_provider
@click.option("--text", help="What to say [default: the API's sentence].")
@click.option("--model", metavar="MODEL", help="Cartesia only. " + _known(CartesiaModel))
@click.option("--speed", type=float, metavar="X", help="Speaking rate.")
@click.option("--volume", type=float, metavar="X", help="Cartesia only.")
@_output_file("The audio file to write (-: stdout, when it is not a terminal).", required=True)
@click.pass_obj
def preview_voice(settings: Settings, /, output: Path, force: bool, **given: Any) -> None:
    """Hear a voice: the audio of --text spoken, written to --output FILE."""
    if _is_stdout(output) and settings.as_json:
        raise click.UsageError("--json and --output - would both write to stdout")
    _check_output(output, force, binary=True)
    params = _given(given)
    raw = run(settings, lambda c: c.voices.with_raw_response.preview(**params))
    audio: bytes = raw.parsed
    kind = raw.headers.get("content-type")
    if _is_stdout(output):
        sys.stdout.flush()
        sys.stdout.buffer.write(audio)
        sys.stdout.buffer.flush()
        return
    said = f"wrote {len(audio)} bytes ({kind or 'audio'})"
    _save(settings, output, audio, force, said, content_type=kind)


@voices.command("clone")
@json_flag
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--name", required=True)
@click.option("--language", required=True, help=_known(Language))
@click.option(
    "--content-type",
    help="The audio's type [default: from FILE's suffix]. " + _known(AudioContentType),
)
@click.pass_obj
def clone_voice(settings: Settings, /, file: Path, **given: Any) -> None:
    """Clone a voice from a recording (FILE: about 7.5 MB at most)."""
    answer(settings, lambda c: c.voices.clone(audio=file, **given))


@voices.command("delete", short_help="Delete a cloned voice (asks first).")
@one_request("voice_id", did="deleted", ask="delete voice {}")
def delete_voice(c: AsyncRevox, voice_id: str) -> Awaitable[bool]:
    """Delete a cloned voice for good (asks first; one still in use: exit 1)."""
    return c.voices.delete(voice_id)


@click.group("phone-numbers", short_help="List, label, route and remove phone numbers.")
def phone_numbers() -> None:
    """The account's phone numbers: list them, set their label or the assistant that
    answers them, remove them."""


_NUMBER_COLUMNS = (
    Col("id", lambda n: n.id, is_id=True),
    Col("number", lambda n: n.phone_number),
    Col("label", lambda n: n.label, flex=True),
    Col("type", lambda n: n.type, flex=True),
    Col(
        "inbound assistant",
        lambda n: n.inbound_assistant.name if n.inbound_assistant else None,
        flex=True,
    ),
)


@phone_numbers.command("list")
@one_request(listed=("phone number(s)", _NUMBER_COLUMNS))
def list_phone_numbers(c: AsyncRevox) -> Awaitable[list[Any]]:
    """List the numbers calls are placed from and answered on."""
    return c.phone_numbers.list()


def _show_number(number: Any) -> None:
    fields(
        [
            ("id", number.id),
            ("number", number.phone_number),
            ("label", number.label),
            ("type", number.type),
            ("provider", number.provider),
            ("inbound assistant", _named(number.inbound_assistant)),
            ("created", number.created_at),
        ]
    )


@phone_numbers.command("update", short_help="Set a number's label or inbound assistant.")
@json_flag
@click.argument("phone_number_id")
@click.option("--label")
@click.option("--inbound-assistant-id", metavar="ID", help="The assistant that answers.")
@click.option(
    "--null",
    "nulls",
    multiple=True,
    type=click.Choice(["label", "inbound_assistant_id"]),
    help="A field to clear.",
)
@click.pass_obj
def update_phone_number(
    settings: Settings, /, phone_number_id: str, nulls: tuple[str, ...], **given: str | None
) -> None:
    """Set a number's label or the assistant that answers it (--null clears one)."""
    params = _given(given)
    for name in nulls:
        if name in params:
            raise click.UsageError(f"{name}: give a value or --null {name}, not both")
    nothing = "nothing to update: give --label, --inbound-assistant-id or --null"
    params = _changes(params, (), nulls, nothing=nothing)
    answer(settings, lambda c: c.phone_numbers.update(phone_number_id, **params), _show_number)


@phone_numbers.command("delete")
@one_request("phone_number_id", did="removed", ask="remove phone number {}")
def delete_phone_number(c: AsyncRevox, phone_number_id: str) -> Awaitable[bool]:
    """Remove a number from the account (asks first)."""
    return c.phone_numbers.delete(phone_number_id)


@click.command(short_help="The user behind the API key; whether the key is valid.")
@json_flag
@click.pass_obj
def whoami(settings: Settings) -> None:
    """The user the API key belongs to, and whether the key is valid."""

    async def work(client: AsyncRevox) -> tuple[Any, Any]:
        return await client.users.me(), await client.auth_status()

    user, status = run(settings, work)
    if settings.as_json:
        dump({"user": user, "authenticated": status.authenticated})
        return
    name = " ".join(part for part in (user.first_name, user.last_name) if part)
    fields(
        [
            ("user", f"{name} <{user.email}>" if name else user.email),
            ("id", user.id),
            ("organization", user.organization_id),
            ("authenticated", status.authenticated),
        ]
    )
