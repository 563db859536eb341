"""The ``revox-async`` command line (click + rich). Entry point: ``revox_async.cli.main``."""

from __future__ import annotations

import asyncio
import contextlib
import json
import shlex
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Container
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import attrs
import click
from click.core import ParameterSource
from rich.console import Console
from rich.text import Text

import revox_async as rx
from revox_async import (
    APIError,
    Assistant,
    AsyncRevox,
    AuthenticationError,
    PermissionDeniedError,
    RevoxError,
    to_dict,
)

from ._output import Col, dump, err_console, fields, model_fields, out_console, table
from ._webhooks import webhooks

if TYPE_CHECKING:
    from revox_async.testing import MockRevoxServer

_T = TypeVar("_T")
_F = TypeVar("_F", bound=Callable[..., Any])

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
MOCK_TIME_SCALE = 60.0
"""Mock seconds per real second on the mock servers: a call ends in under a second."""


@attrs.frozen
class Settings:
    api_key: str | None
    base_url: str | None
    mock: bool
    mock_faults: float
    as_json: bool
    timeout: float
    max_retries: int
    full_ids: bool = False
    outcome_window: float | None = None
    global_args: tuple[str, ...] = ()
    """The global options as given on the command line (``--api-key`` left out), for
    hints that repeat the command: ``("--mock", "--mock-faults", "0.3")``."""


MOCK_OUTCOME_WINDOW = 0.1
"""The embedded mock is done with a request when it answers: a lost answer is looked
for after 0.1 s, not a whole ``--timeout``."""


def given_args(ctx: click.Context, *, skip: Container[str] = ()) -> tuple[str, ...]:
    """The options of ``ctx``'s command as typed on its command line, ready to repeat in
    a hint (shell-quoted); never ``--api-key`` (a secret), nor the names in ``skip``."""
    args: list[str] = []
    for param in ctx.command.params:
        name = param.name
        if (
            not isinstance(param, click.Option)
            or name is None
            or name in skip
            or name == "api_key"
            or name not in ctx.params
            or ctx.get_parameter_source(name) is not ParameterSource.COMMANDLINE
        ):
            continue
        flag = max(param.opts, key=len)
        value = ctx.params[name]
        if param.is_flag:
            args.extend([flag] if value else [])
        else:
            for one in value if param.multiple else (value,):
                args.extend([flag, shlex.quote(str(one))])
    return tuple(args)


def _out() -> Console:
    return out_console()


def _err() -> Console:
    return err_console()


def _fail(message: str, code: int) -> NoReturn:
    _err().print(Text.assemble(("error:", "bold red"), " ", message))
    raise SystemExit(code)


def _confirm(action: str, yes: bool) -> None:
    """Ask before ``action`` (a delete, a cancel) on a terminal; off a terminal nobody
    can answer, so ``--yes`` is required (exit 2 without it)."""
    if yes:
        return
    if not sys.stdin.isatty():
        _fail(f"{action}: add --yes to confirm (stdin is not a terminal to ask on)", EXIT_USAGE)
    if not click.confirm(f"{action}?", default=False, err=True):
        _fail("not confirmed: nothing was sent", EXIT_FAILED)


@contextlib.asynccontextmanager
async def _client(settings: Settings) -> AsyncIterator[AsyncRevox]:
    """An AsyncRevox for the settings, with the embedded mock server when asked."""
    async with contextlib.AsyncExitStack() as stack:
        api_key, base_url = settings.api_key, settings.base_url
        outcome_window = settings.outcome_window
        if settings.mock:
            server = await stack.enter_async_context(_mock_server(settings.mock_faults))
            api_key, base_url = server.api_key, server.base_url
            if outcome_window is None:
                outcome_window = MOCK_OUTCOME_WINDOW
        elif not api_key:
            _fail(
                "no API key. Set REVOX_API_KEY (or pass --api-key), or add --mock to run "
                "against the embedded mock server, no account needed.",
                EXIT_USAGE,
            )
        yield await stack.enter_async_context(
            AsyncRevox(
                api_key=api_key,
                base_url=base_url,
                timeout=settings.timeout,
                max_retries=settings.max_retries,
                outcome_window=outcome_window,
            )
        )


def _mock_server(fault_rate: float) -> MockRevoxServer:
    """The embedded server; ``fault_rate`` of its POSTs fail (for demos of retries)."""
    from revox_async.testing import FaultPlan, MockRevoxServer

    plan = FaultPlan(
        seed=7,
        error_rate=fault_rate * 0.4,
        error_statuses=(500, 503, 429),
        retry_after=0.05,
        drop_rate=fault_rate * 0.3,
        commit_then_fail_rate=fault_rate * 0.3,
        methods=frozenset({"POST"}),
    )
    return MockRevoxServer(api_key="mock-key", faults=plan, time_scale=MOCK_TIME_SCALE)


def _run(settings: Settings, work: Callable[[AsyncRevox], Awaitable[_T]]) -> _T:
    """Run one command; expected errors become a message and an exit code."""

    async def main() -> _T:
        async with _client(settings) as client:
            return await work(client)

    try:
        return asyncio.run(main())
    except (AuthenticationError, PermissionDeniedError) as exc:
        _fail(f"{exc} (check REVOX_API_KEY)", EXIT_USAGE)
    except APIError as exc:
        _fail(str(exc), EXIT_FAILED)
    except (RevoxError, TypeError, ValueError) as exc:
        _fail(str(exc), EXIT_USAGE)


def _dump(data: Any) -> None:
    dump(data)


def _show_assistant(settings: Settings, assistant: Assistant) -> None:
    if settings.as_json:
        _dump(to_dict(assistant))
        return
    fields(model_fields(assistant))


def _json_value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _pairs(values: tuple[str, ...], option: str) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for pair in values:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected KEY=VALUE, got {pair!r}", param_hint=option)
        params[key] = _json_value(value)
    return params


def _json_here(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.obj = attrs.evolve(ctx.obj, as_json=True)


_json_flag: Callable[[_F], _F] = click.option(
    "--json",
    "json_here",
    is_flag=True,
    expose_value=False,
    callback=_json_here,
    help="Print JSON for scripts (also accepted before the command).",
)


def _full_ids_here(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.obj = attrs.evolve(ctx.obj, full_ids=True)


def _output_flags(command: _F) -> _F:
    """``--json`` and ``--full-ids``, for commands that print tables."""
    full_ids = click.option(
        "--full-ids",
        "full_ids_here",
        is_flag=True,
        expose_value=False,
        callback=_full_ids_here,
        help="Show ids in full in tables (also accepted before the command).",
    )
    return _json_flag(full_ids(command))


_yes_flag: Callable[[_F], _F] = click.option(
    "-y", "--yes", is_flag=True, help="Do not ask (needed when stdin is not a terminal)."
)


def _done(settings: Settings, ok: bool, object_id: str, did: str) -> None:
    """The answer of an action endpoint (delete, cancel, pause...): exit 1 if refused."""
    if settings.as_json:
        _dump({"id": object_id, "success": ok})
    else:
        _out().print(Text(f"{did} {object_id}" if ok else f"not {did}: {object_id}"))
    if not ok:
        raise SystemExit(EXIT_FAILED)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--api-key", envvar="REVOX_API_KEY", metavar="KEY", help="API key [env: REVOX_API_KEY]."
)
@click.option(
    "--base-url", envvar="REVOX_BASE_URL", metavar="URL", help="API URL [env: REVOX_BASE_URL]."
)
@click.option("--mock", is_flag=True, help="Use the embedded mock server: no account, no network.")
@click.option(
    "--mock-faults",
    type=click.FloatRange(0, 1),
    default=0.0,
    metavar="SHARE",
    show_default=True,
    help="With --mock: the share of POSTs that fail (to see retries).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one document) for scripts.")
@click.option("--full-ids", is_flag=True, help="Show ids in full in tables.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    metavar="SECONDS",
    show_default=True,
    help="Per request attempt.",
)
@click.option(
    "--max-retries",
    type=click.IntRange(min=0),
    default=2,
    metavar="N",
    show_default=True,
    help="Retries of a failed request.",
)
@click.option(
    "--outcome-window",
    type=click.FloatRange(min=0),
    default=None,
    metavar="SECONDS",
    help="Wait after a lost create answer, before looking for it. [default: --timeout]",
)
@click.version_option(
    rx.__version__, "-V", "--version", prog_name="revox-async", message="%(prog)s %(version)s"
)
@click.pass_context
def cli(
    ctx: click.Context,
    api_key: str | None,
    base_url: str | None,
    mock: bool,
    mock_faults: float,
    as_json: bool,
    full_ids: bool,
    timeout: float,
    max_retries: int,
    outcome_window: float | None,
) -> None:
    """The Revox API from the shell: assistants, calls, campaigns, voices and
    phone numbers.

    \b
      revox-async --mock calls create --phone-number +33612345678 \\
          --prompt "You confirm appointments." --wait
      revox-async assistants list --full-ids
      revox-async calls search --status completed --json

    Tables fit the terminal (ids shortened: --full-ids or --json for the
    whole ids; times in UTC). Output is plain text when piped or when
    NO_COLOR is set. A command's --help lists its options.
    """
    ctx.obj = Settings(
        api_key=api_key,
        base_url=base_url,
        mock=mock,
        mock_faults=mock_faults,
        as_json=as_json,
        timeout=timeout,
        max_retries=max_retries,
        full_ids=full_ids,
        outcome_window=outcome_window,
        global_args=given_args(ctx, skip=("as_json",)),
    )


@cli.group(short_help="List, show, create, change, clone and delete assistants.")
def assistants() -> None:
    """List, show, create, update, clone and delete assistants; create them in bulk."""


_ASSISTANT_COLUMNS = (
    Col("id", lambda a: a.id, is_id=True),
    Col("name", lambda a: a.name, flex=True),
    Col("voice", lambda a: a.voice.provider if a.voice else None),
    Col("created", lambda a: a.created_at),
)


@assistants.command("list")
@_output_flags
@click.pass_obj
def list_assistants(settings: Settings) -> None:
    """List every assistant."""
    items = _run(settings, lambda c: c.assistants.list())
    if settings.as_json:
        _dump([to_dict(a) for a in items])
        return
    table(f"{len(items)} assistant(s)", _ASSISTANT_COLUMNS, items, full_ids=settings.full_ids)


@assistants.command("get")
@_json_flag
@click.argument("assistant_id")
@click.pass_obj
def get_assistant(settings: Settings, assistant_id: str) -> None:
    """Show one assistant."""
    _show_assistant(settings, _run(settings, lambda c: c.assistants.retrieve(assistant_id)))


@assistants.command("create", short_help="Create an assistant (--name, --prompt, --set).")
@_json_flag
@click.option("--name", required=True)
@click.option("--prompt", required=True)
@click.option("--set", "values", multiple=True, metavar="KEY=JSON", help="Any other field.")
@click.pass_obj
def create_assistant(settings: Settings, name: str, prompt: str, values: tuple[str, ...]) -> None:
    """Create an assistant: --set voice='{"id": "v1", "provider": "cartesia"}'."""
    params = _pairs(values, "--set")
    _show_assistant(
        settings, _run(settings, lambda c: c.assistants.create(name=name, prompt=prompt, **params))
    )


@assistants.command("update", short_help="Change some fields of an assistant.")
@_json_flag
@click.argument("assistant_id")
@click.option("--set", "values", multiple=True, metavar="KEY=JSON", help="A field to change.")
@click.option("--null", "nulls", multiple=True, metavar="KEY", help="A field to set to null.")
@click.pass_obj
def update_assistant(
    settings: Settings, assistant_id: str, values: tuple[str, ...], nulls: tuple[str, ...]
) -> None:
    """Change only the fields given: --set name='"Night desk"' --null voicemail_message."""
    params = {**_pairs(values, "--set"), **dict.fromkeys(nulls)}
    if not params:
        raise click.UsageError("nothing to update: give --set KEY=VALUE or --null KEY")
    _show_assistant(settings, _run(settings, lambda c: c.assistants.update(assistant_id, **params)))


@assistants.command("clone")
@_json_flag
@click.argument("assistant_id")
@click.pass_obj
def clone_assistant(settings: Settings, assistant_id: str) -> None:
    """Copy an assistant (the copy has a new id) and show the copy."""
    _show_assistant(settings, _run(settings, lambda c: c.assistants.clone(assistant_id)))


@assistants.command("delete", short_help="Delete an assistant (asks first).")
@_json_flag
@_yes_flag
@click.argument("assistant_id")
@click.pass_obj
def delete_assistant(settings: Settings, assistant_id: str, yes: bool) -> None:
    """Delete an assistant for good (asks first; --yes does not)."""
    _confirm(f"delete assistant {assistant_id}", yes)
    ok = _run(settings, lambda c: c.assistants.delete(assistant_id))
    _done(settings, ok, assistant_id, "deleted")


def _bulk_options(resent: str) -> Callable[[_F], _F]:
    """FILE and the options of both ``create-many`` commands (pacing, failed rows, the
    journal, Ctrl-C, ``--json``); ``resent``: what a re-run without a journal does."""
    options = (
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
            default=10.0,
            show_default=True,
            help="After Ctrl-C, how long rows in flight may take to finish.",
        ),
        _json_flag,
    )

    def apply(command: _F) -> _F:
        for option in reversed(options):  # as if stacked, top to bottom
            command = option(command)
        return command

    return apply


@assistants.command("create-many")
@_bulk_options("sends every row")
@click.pass_obj
def create_many(settings: Settings, /, file: Path, **options: Any) -> None:
    """Create assistants from FILE (JSON Lines, a JSON array or CSV; - for stdin).

    Each row's key and outcome go to a journal as they happen: re-running the
    same command after Ctrl-C, a crash or a failure finishes the job and
    creates nothing twice. Ctrl-C stops starting rows, lets those in flight
    finish, prints the summary and exits 130 (Ctrl-C twice: exit at once).
    """
    from ._bulk import run_create_many_command

    run_create_many_command(settings, file, **options)


cli.add_command(webhooks)


@cli.group()
def mock() -> None:
    """Run the embedded mock server for other commands to share."""


@mock.command("serve", short_help="Run the mock server until Ctrl-C.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--key", "api_key", default="mock-key", show_default=True, help="The API key.")
@click.option(
    "--idempotency",
    type=click.Choice(["honour", "ignore"]),
    default="ignore",
    show_default=True,
    help="Honour Idempotency-Key, or ignore it as the live API may.",
)
@click.option(
    "--time-scale",
    type=click.FloatRange(min=0),
    default=MOCK_TIME_SCALE,
    show_default=True,
    help="Mock seconds per real second (a call lasts 37 mock s; 0: calls never move).",
)
@click.pass_obj
def mock_serve(
    settings: Settings, port: int, host: str, api_key: str, idempotency: str, time_scale: float
) -> None:
    """Run the mock server in the foreground, so --base-url commands share its state."""
    from revox_async.testing import MockRevoxServer

    async def serve() -> None:
        server = MockRevoxServer(
            api_key=api_key,
            host=host,
            port=port,
            idempotency="ignore" if idempotency == "ignore" else "honour",
            time_scale=time_scale,
        )
        async with server:
            click.echo(f"mock Revox API on {server.base_url} (key: {api_key}); Ctrl-C stops it")
            click.echo(f"  export REVOX_BASE_URL={server.base_url} REVOX_API_KEY={api_key}")
            await asyncio.Event().wait()

    with contextlib.suppress(KeyboardInterrupt):
        try:
            asyncio.run(serve())
        except OSError as exc:
            _fail(f"cannot listen on {host}:{port}: {exc.strerror}", EXIT_USAGE)


from ._bulk import calls_create_many  # noqa: E402 - these modules import this one's helpers
from ._resources import calls, register  # noqa: E402

register(cli)
calls.add_command(calls_create_many)
