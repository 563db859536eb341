"""``revox-async webhooks listen``: print each call-completion webhook as it arrives."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from revox_async import to_dict
from revox_async._logging import logger

__all__ = ["webhooks"]

EXIT_USAGE = 2
_STATUS_STYLES = {"completed": "green", "errored": "red", "cancelled": "yellow"}


class _StderrHandler(logging.Handler):
    """Refused requests (a bad body, a wrong secret) shown as they come."""

    def __init__(self, console: Console) -> None:
        super().__init__(logging.WARNING)
        self._console = console

    def emit(self, record: logging.LogRecord) -> None:
        self._console.print(f"[yellow]warning:[/] {escape(record.getMessage())}", highlight=False)


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
    "X-Revox-Webhook-Secret header [env: REVOX_WEBHOOK_SECRET].",
)
@click.option("--json", "json_here", is_flag=True, help="Print one JSON object per line.")
@click.option(
    "--count", type=click.IntRange(min=1), default=None, help="Exit after this many events."
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
    """Print each call-completion event as it arrives (any path; Ctrl-C stops).

    Point an assistant's webhook_url at the address shown (through a tunnel
    such as ngrok or cloudflared for the live service), or at it as is for
    the mock server, which delivers to loopback addresses.
    """
    as_json = json_here or bool(getattr(ctx.obj, "as_json", False))
    err = Console(stderr=True, soft_wrap=True)
    out = Console(soft_wrap=True)
    handler = _StderrHandler(err)
    logger.addHandler(handler)
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(_listen(host, port, secret, as_json, count, out, err))
    except OSError as exc:
        err.print(
            f"[bold red]error:[/] cannot listen on {host}:{port}: {exc.strerror}", highlight=False
        )
        raise SystemExit(EXIT_USAGE) from None
    finally:
        logger.removeHandler(handler)


async def _listen(
    host: str,
    port: int,
    secret: str | None,
    as_json: bool,
    count: int | None,
    out: Console,
    err: Console,
) -> None:
    from aiohttp import web

    from revox_async.webhooks import CallCompletedEvent, WebhookReceiver

    done = asyncio.Event()
    seen = 0

    def show(event: CallCompletedEvent) -> None:
        nonlocal seen
        seen += 1
        if as_json:
            click.echo(json.dumps(to_dict(event), ensure_ascii=False, default=str))
        else:
            _pretty(out, event)
        if count is not None and seen >= count:
            done.set()

    receiver = WebhookReceiver(show, secret=secret)
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", receiver.aiohttp_handler)
    runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=0.5)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        bound = runner.addresses[0][1]
        url = f"http://{host}:{bound}/" + (f"<path>/{secret}" if secret else "")
        err.print(
            f"listening on [bold]{escape(url)}[/] for call-completion webhooks; Ctrl-C stops",
            highlight=False,
        )
        await done.wait()
        await receiver.join()
    finally:
        await runner.cleanup()


def _pretty(out: Console, event: Any) -> None:
    status = event.status or "?"
    style = _STATUS_STYLES.get(status, "cyan")
    call = event.call_order_id or event.call_id or "?"
    head = f"[bold]{escape(call)}[/] [{style}]{escape(status)}[/]"
    if event.result:
        head += f" result={escape(event.result)}"
    if event.calls_count is not None:
        head += f" attempts={event.calls_count}"
    if event.ended_at is not None:
        head += f" ended_at={escape(str(event.ended_at))}"
    out.print(head, highlight=False)
    for label, value in (("annotation", event.annotation), ("recording", event.recording_url)):
        if value:
            out.print(f"  {label}: {escape(str(value))}", highlight=False)
    for line in event.transcript_text.splitlines():
        out.print(f"  │ {escape(line)}", highlight=False)
    for key, value in event.extra_fields.items():
        out.print(f"  {escape(key)}: {escape(json.dumps(value, default=str))}", highlight=False)
