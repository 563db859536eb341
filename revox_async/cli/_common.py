"""What every command shares: the settings of the ``revox-async`` group, the client
(or the embedded mock server), running a command with its errors as exit codes,
printing its answer (`answer`; `one_request`, the whole body of a command that makes
one request), and the options several commands take."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import shlex
import sys
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Collection,
    Container,
    Iterator,
    Mapping,
    Sequence,
)
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import attrs
import click
from click.core import ParameterSource
from rich.text import Text

from revox_async import (
    APIError,
    AsyncRevox,
    AuthenticationError,
    PermissionDeniedError,
    RevoxError,
)
from revox_async._params import EXTRA_BODY_HINT

from ._output import Col, describe, dump, err_console, out_console, table

if TYPE_CHECKING:
    from revox_async.testing import MockRevoxServer

__all__ = [
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "MOCK_OUTCOME_WINDOW",
    "MOCK_TIME_SCALE",
    "Settings",
    "answer",
    "apply",
    "confirm",
    "connect",
    "fail",
    "given_args",
    "json_flag",
    "mock_server",
    "on_signals",
    "one_request",
    "pairs",
    "run",
    "yes_flag",
]

_T = TypeVar("_T")
_F = TypeVar("_F", bound=Callable[..., Any])

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130
"""Ctrl-C."""
MOCK_TIME_SCALE = 60.0
"""Mock seconds per real second on the mock servers: a call ends in under a second."""
MOCK_OUTCOME_WINDOW = 0.1
"""The embedded mock is done with a request when it answers: a lost answer is looked
for after 0.1 s, not a whole ``--timeout``."""


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


def fail(message: str, code: int) -> NoReturn:
    """``error: message`` on stderr (as plain text, never markup), then exit ``code``."""
    err_console().print(Text.assemble(("error:", "bold red"), " ", message))
    raise SystemExit(code)


def confirm(action: str, yes: bool) -> None:
    """Ask before ``action`` (a delete, a cancel) on a terminal; off a terminal nobody
    can answer, so ``--yes`` is required (exit 2 without it)."""
    if yes:
        return
    if not sys.stdin.isatty():
        fail(f"{action}: add --yes to confirm (stdin is not a terminal to ask on)", EXIT_USAGE)
    if not click.confirm(f"{action}?", default=False, err=True):
        fail("not confirmed: nothing was sent", EXIT_FAILED)


@contextlib.asynccontextmanager
async def connect(settings: Settings) -> AsyncIterator[AsyncRevox]:
    """An AsyncRevox for the settings, with the embedded mock server when asked."""
    async with contextlib.AsyncExitStack() as stack:
        api_key, base_url = settings.api_key, settings.base_url
        outcome_window = settings.outcome_window
        if settings.mock:
            server = await stack.enter_async_context(mock_server(settings.mock_faults))
            api_key, base_url = server.api_key, server.base_url
            if outcome_window is None:
                outcome_window = MOCK_OUTCOME_WINDOW
        elif not api_key:
            fail(
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


def mock_server(fault_rate: float) -> MockRevoxServer:
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


@contextlib.contextmanager
def on_signals(handlers: Mapping[int, Callable[[], object]]) -> Iterator[None]:
    """The running loop calls ``handlers[signo]`` on each signal while in the block (none
    where the loop can have no handler: another thread, Windows)."""
    loop = asyncio.get_running_loop()
    for signo, handler in handlers.items():
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signo, handler)
    try:
        yield
    finally:
        for signo in handlers:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signo)


def run(settings: Settings, work: Callable[[AsyncRevox], Awaitable[_T]]) -> _T:
    """Run one command; expected errors become a message and an exit code."""

    async def main() -> _T:
        async with connect(settings) as client:
            return await work(client)

    try:
        return asyncio.run(main())
    except (AuthenticationError, PermissionDeniedError) as exc:
        fail(f"{exc} (check REVOX_API_KEY)", EXIT_USAGE)
    except APIError as exc:
        fail(str(exc), EXIT_FAILED)
    except (RevoxError, TypeError, ValueError) as exc:
        fail(str(exc).removesuffix(EXTRA_BODY_HINT), EXIT_USAGE)  # a CLI has no extra_body


def answer(
    settings: Settings,
    work: Callable[[AsyncRevox], Awaitable[_T]],
    render: Callable[[Any], None] = describe,
) -> None:
    """Run ``work`` and print what it returns: the JSON of its models with ``--json``,
    else ``render(result)`` (by default every field of the model it returns)."""
    result = run(settings, work)
    if settings.as_json:
        dump(result)
    else:
        render(result)


def pairs(values: tuple[str, ...], option: str, *, as_json: bool = True) -> dict[str, Any]:
    """``KEY=VALUE`` options as a dict; each value is JSON when it parses as JSON (and
    ``as_json``), else text (prompt variables and metadata are text: ``as_json=False``)."""
    found: dict[str, Any] = {}
    for pair in values:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected KEY=VALUE, got {pair!r}", param_hint=option)
        found[key] = value
        if as_json:
            with contextlib.suppress(ValueError):
                found[key] = json.loads(value)
    return found


def apply(*decorators: Callable[[_F], _F]) -> Callable[[_F], _F]:
    """Several click decorators as one, in the order written (top to bottom)."""

    def applied(command: _F) -> _F:
        for decorator in reversed(decorators):
            command = decorator(command)
        return command

    return applied


def _flag_here(flag: str, setting: str, help: str) -> Callable[[_F], _F]:
    """A global flag that a command also takes after its name: it turns ``setting`` on."""

    def turn_on(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
        if value:
            ctx.obj = attrs.evolve(ctx.obj, **{setting: True})

    name = f"{setting}_here"
    return click.option(flag, name, is_flag=True, expose_value=False, callback=turn_on, help=help)


json_flag = _flag_here(
    "--json", "as_json", "Print JSON for scripts (also accepted before the command)."
)

output_flags: Callable[[_F], _F] = apply(
    json_flag,
    _flag_here(
        "--full-ids", "full_ids", "Show ids in full in tables (also accepted before the command)."
    ),
)
"""``--json`` and ``--full-ids``, for commands that print tables."""

yes_flag: Callable[[_F], _F] = click.option(
    "-y", "--yes", is_flag=True, help="Do not ask (needed when stdin is not a terminal)."
)


def tabled(settings: Settings, noun: str, columns: Sequence[Col]) -> Callable[[Any], None]:
    """The text view of a list: a table titled with its count (``3 call(s)``)."""

    def render(items: Collection[Any]) -> None:
        table(f"{len(items)} {noun}", columns, items, full_ids=settings.full_ids)

    return render


def one_request(
    arg: str | None = None,
    *extra: Callable[[Any], Any],
    render: Callable[[Any], None] = describe,
    listed: tuple[str, Sequence[Col]] | None = None,
    did: str | None = None,
    ask: str | None = None,
) -> Callable[[Callable[..., Awaitable[Any]]], Callable[..., None]]:
    """The body of a command that makes one request: ``endpoint(client)``, or
    ``endpoint(client, ID)`` with ``arg`` naming the ID's argument; the options in ``extra``
    are passed on by name. The endpoint's docstring is the command's help.

    It prints (``--json``: the JSON of the answer) ``render(answer)``; with ``listed``
    (a noun and columns: ``("call(s)", ...)``) a table; with ``did``, an action's
    ``"deleted ID"`` (exit 1 if refused), after asking ``ask`` (``{}``: the ID) unless
    ``--yes``. `_resources` has a command of each kind.
    """

    def decorate(endpoint: Callable[..., Awaitable[Any]]) -> Callable[..., None]:
        @functools.wraps(endpoint)
        def command(settings: Settings, /, yes: bool = True, **given: Any) -> None:
            ids = [given.pop(arg)] if arg else []
            if ask is not None:
                confirm(ask.format(*ids), yes)
            if did is not None:  # an action (delete, cancel, pause...): exit 1 if refused
                ok = run(settings, lambda c: endpoint(c, *ids))
                if settings.as_json:
                    dump({"id": ids[0], "success": ok})
                else:
                    out_console().print(Text(f"{did} {ids[0]}" if ok else f"not {did}: {ids[0]}"))
                if not ok:
                    raise SystemExit(EXIT_FAILED)
                return
            shown = tabled(settings, *listed) if listed else render
            answer(settings, lambda c: endpoint(c, *ids, **given), shown)

        options = [output_flags if listed else json_flag, *([yes_flag] if ask else [])]
        options += [click.argument(arg), *extra] if arg else [*extra]
        return apply(*options)(click.pass_obj(command))

    return decorate
