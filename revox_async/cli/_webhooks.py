"""``revox-async webhooks listen``: print each call-completion webhook as it arrives."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import os
import re
import signal
import sys
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.markup import escape

from revox_async import to_dict
from revox_async._logging import logger

from ._common import EXIT_INTERRUPTED, EXIT_USAGE, fail, on_signals
from ._output import err_console, out_console

if TYPE_CHECKING:
    from aiohttp import web

__all__ = ["webhooks"]

EXIT_TERMINATED = 143
"""SIGTERM: 128 + its number, as a shell reports it."""
_STATUS_STYLES = {"completed": "green", "errored": "red", "cancelled": "yellow"}
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""What a terminal may act on: C0 (but newline and tab), DEL, C1, bidi overrides."""
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""What json.dumps(ensure_ascii=False) leaves raw, and a terminal may act on."""


def _clean(value: object) -> str:
    """``value`` as text a terminal only shows: control characters written as escapes."""
    text = str(value)
    return _CONTROL.sub(lambda found: repr(found.group())[1:-1], text)


def _show(value: object) -> str:
    """``value`` cleaned of control characters and of rich markup."""
    return escape(_clean(value))


class _StderrHandler(logging.Handler):
    """Refused requests (a bad body, a wrong secret) shown as they come, on one line."""

    def __init__(self, console: Console) -> None:
        super().__init__(logging.WARNING)
        self._console = console

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:  # one line, no traceback
            exc = record.exc_info[1]
            message += f": {type(exc).__name__}: {exc}".rstrip()
        self._console.print(f"[yellow]warning:[/] {_show(message)}", highlight=False)


@click.group()
def webhooks() -> None:
    """Receive the webhooks Revox POSTs when a call ends."""


@webhooks.command("listen")
@click.option("--port", type=click.IntRange(0, 65535), default=8787, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option(
    "--secret",
    envvar="REVOX_WEBHOOK_SECRET",
    help="Accept only requests with it as the URL's last path segment or in the "
    "X-Revox-Webhook-Secret header [env: REVOX_WEBHOOK_SECRET]; never printed.",
)
@click.option("--json", "json_here", is_flag=True, help="Print one JSON object per line.")
@click.option(
    "--count",
    type=click.IntRange(min=1),
    default=None,
    help="Exit after this many events (more are answered 503).",
)
@click.pass_context
def listen(
    ctx: click.Context,
    port: int,
    host: str,
    secret: str | None,
    json_here: bool,
    count: int | None,
) -> None:
    """Print each call-completion event as it arrives (any path; Ctrl-C stops, exit 130).

    Point an assistant's webhook_url at the address shown (through a tunnel
    such as ngrok or cloudflared for the live service), or at it as is for
    the mock server, which delivers to loopback addresses. Once stdout is
    closed (| head -1), it stops.
    """
    from revox_async.webhooks import WebhookReceiver

    as_json = json_here or bool(getattr(ctx.obj, "as_json", False))
    err, out = err_console(), out_console()
    try:
        WebhookReceiver(print, secret=secret)
    except ValueError as exc:
        raise click.BadParameter(str(exc).removeprefix("secret: "), param_hint="--secret") from None
    handler = _StderrHandler(err)
    aiohttp_logger = logging.getLogger("aiohttp")
    propagate = aiohttp_logger.propagate
    for log in (logger, aiohttp_logger):
        log.addHandler(handler)
    aiohttp_logger.propagate = False  # aiohttp's own errors: one line, not a traceback
    sys.unraisablehook = _quiet_closed_server_hook(sys.unraisablehook)
    try:
        code = asyncio.run(_listen(host, port, secret, as_json, count, out, err))
    except KeyboardInterrupt:  # pragma: no cover - Ctrl-C where no signal handler could be set
        code = EXIT_INTERRUPTED
    except OSError as exc:
        fail(f"cannot listen on {_clean(host)}:{port}: {_clean(exc.strerror)}", EXIT_USAGE)
    finally:
        for log in (logger, aiohttp_logger):
            log.removeHandler(handler)
        aiohttp_logger.propagate = propagate
    if code:
        raise SystemExit(code)


async def _listen(
    host: str,
    port: int,
    secret: str | None,
    as_json: bool,
    count: int | None,
    out: Console,
    err: Console,
) -> int:
    """Serve until ``count`` events are printed, stdout closes or a signal comes: the exit code."""
    from aiohttp import web

    from revox_async.webhooks import CallCompletedEvent, WebhookReceiver

    done = asyncio.Event()
    code = 0
    admitted = 0  # answered 200 (or being read): never more than count
    printed = 0
    closed = False

    def stop(exit_code: int) -> None:
        nonlocal code
        code = code or exit_code
        done.set()

    async def show(event: CallCompletedEvent) -> None:
        nonlocal printed, closed
        if closed or (count is not None and printed >= count):
            return
        try:
            if as_json:
                line = json.dumps(to_dict(event), ensure_ascii=False, default=str)
                line = _JSON_UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", line)
                sys.stdout.write(line + "\n")
                sys.stdout.flush()
            else:
                _pretty(out, event)
        except BrokenPipeError:  # | head -1 has what it wanted
            closed = True
            _silence_stdout()
            stop(0)
            return
        printed += 1
        if count is not None and printed >= count:
            stop(0)

    receiver = WebhookReceiver(show, secret=secret)

    async def handle(request: web.Request) -> web.StreamResponse:
        nonlocal admitted
        if done.is_set() or closed:
            return _unavailable("the listener is stopping")
        if count is not None and admitted >= count:
            return _unavailable(f"the listener takes {count} event(s) and has them")
        admitted += 1
        try:
            response = await receiver.aiohttp_handler(request)
        except BaseException:
            admitted -= 1
            raise
        if response.status != 200:
            admitted -= 1
        return response

    app = web.Application(handler_args={"auto_decompress": False})  # the receiver inflates
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=0.5)
    await runner.setup()
    exits = {signal.SIGINT: EXIT_INTERRUPTED, signal.SIGTERM: EXIT_TERMINATED}
    try:
        with on_signals(
            {signo: functools.partial(stop, status) for signo, status in exits.items()}
        ):
            await web.TCPSite(runner, host, port).start()
            bound = runner.addresses[0][1]
            shown = f"[{host}]" if ":" in host else host
            url = f"http://{shown}:{bound}/" + ("<path>/<secret>" if secret else "")
            err.print(
                f"listening on [bold]{_show(url)}[/] for call-completion webhooks; Ctrl-C stops",
                highlight=False,
            )
            await done.wait()
            await receiver.join(timeout=5)
    finally:
        await runner.cleanup()
    return code


def _quiet_closed_server_hook(
    hook: Callable[[sys.UnraisableHookArgs], object],
) -> Callable[[sys.UnraisableHookArgs], object]:
    """``sys.unraisablehook`` without CPython 3.13.0's noise: a connection accepted as the
    server closed is collected after it, and ``Server._wakeup`` iterates its waiters,
    already ``None`` ("TypeError: 'NoneType' object is not iterable", printed at exit,
    harmless). Every other unraisable exception goes to ``hook``."""

    def quiet(args: sys.UnraisableHookArgs) -> object:
        frames = traceback.extract_tb(args.exc_traceback)
        if isinstance(args.exc_value, TypeError) and any(f.name == "_wakeup" for f in frames):
            return None
        return hook(args)

    return quiet


def _unavailable(why: str) -> web.Response:
    from aiohttp import web

    body = json.dumps({"error": why}).encode()
    return web.Response(status=503, body=body, content_type="application/json")


def _silence_stdout() -> None:
    """Point stdout at the null device: exiting would flush it into the closed pipe again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _pretty(out: Console, event: Any) -> None:
    status = event.status or "?"
    style = _STATUS_STYLES.get(status, "cyan")
    call = event.call_order_id or event.call_id or "?"
    head = f"[bold]{_show(call)}[/] [{style}]{_show(status)}[/]"
    if event.result:
        head += f" result={_show(event.result)}"
    if event.calls_count is not None:
        head += f" attempts={_show(event.calls_count)}"
    if event.ended_at is not None:
        head += f" ended_at={_show(event.ended_at)}"
    out.print(head, highlight=False)
    for label, value in (("annotation", event.annotation), ("recording", event.recording_url)):
        if value:
            out.print(f"  {label}: {_show(value)}", highlight=False)
    for line in event.transcript_text.splitlines():
        out.print(f"  │ {_show(line)}", highlight=False)
    for key, value in event.extra_fields.items():
        out.print(f"  {_show(key)}: {_show(json.dumps(value, default=str))}", highlight=False)
