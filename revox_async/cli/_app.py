"""The ``revox-async`` command line (click + rich). Entry point: ``revox_async.cli.main``.

This module holds the group and its global options; the commands live in `_resources`
(one group per resource), `_bulk` (``create-many``) and `_webhooks`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from typing import Any

import click
from click.core import ParameterSource

import revox_async as rx

from ._bulk import assistants_create_many, calls_create_many
from ._common import EXIT_INTERRUPTED, EXIT_USAGE, MOCK_TIME_SCALE, Settings, fail, given_args
from ._resources import assistants, calls, campaigns, phone_numbers, voices, whoami
from ._webhooks import webhooks

__all__ = ["cli"]


@contextlib.contextmanager
def _ctrl_c_exits() -> Iterator[None]:
    try:
        yield
    except KeyboardInterrupt:
        raise SystemExit(EXIT_INTERRUPTED) from None


class _Group(click.Group):
    """The top group: Ctrl-C while a command line is read or run exits 130 quietly, as
    ``create-many``'s does (click alone would print "Aborted!" and exit 1)."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        with _ctrl_c_exits():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        with _ctrl_c_exits():
            return super().invoke(ctx)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--api-key", envvar="REVOX_API_KEY", metavar="KEY", help="API key [env: REVOX_API_KEY]."
)
@click.option(
    "--base-url", envvar="REVOX_BASE_URL", metavar="URL", help="API URL [env: REVOX_BASE_URL]."
)
@click.option(
    "--mock",
    is_flag=True,
    help="Use the embedded mock server: no account, no network (REVOX_API_KEY and "
    "REVOX_BASE_URL unused; --api-key and --base-url refused).",
)
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
    help="Wait after a lost create answer, before looking for it. [default: --timeout, at "
    "least 30]",
)
@click.version_option(
    rx.__version__, "-V", "--version", prog_name="revox-async", message="%(prog)s %(version)s"
)
@click.pass_context
def cli(ctx: click.Context, /, **options: Any) -> None:
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
    for name in ("api_key", "base_url"):  # the mock's own are used: a given one would not be
        if options["mock"] and ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE:
            flag = "--" + name.replace("_", "-")
            raise click.UsageError(
                f"{flag} is for the live API, --mock for the embedded mock: give one"
            )
    if options["mock_faults"] and not options["mock"]:
        raise click.UsageError("--mock-faults is for the embedded mock: add --mock")
    ctx.obj = Settings(**options, global_args=given_args(ctx, skip=("as_json",)))


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
def mock_serve(port: int, host: str, api_key: str, idempotency: str, time_scale: float) -> None:
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
            fail(f"cannot listen on {host}:{port}: {exc.strerror}", EXIT_USAGE)


assistants.add_command(assistants_create_many)
calls.add_command(calls_create_many)
for group in (assistants, calls, campaigns, voices, phone_numbers, whoami, webhooks):
    cli.add_command(group)
