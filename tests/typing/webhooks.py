"""The typing contract of revox_async.webhooks: checked by mypy, never run."""

from __future__ import annotations

from aiohttp import web

from revox_async import AsyncRevox, Call
from revox_async.webhooks import CallCompletedEvent, WebhookReceiver, parse_webhook


async def receive(client: AsyncRevox, body: bytes) -> None:
    event: CallCompletedEvent = parse_webhook(body)
    call: Call = await event.call(client)
    text: str = event.transcript_text
    count: int | None = event.calls_count
    print(call, text, count)

    async def on_call_ended(event: CallCompletedEvent) -> None:
        print(event.result)

    receiver = WebhookReceiver(on_call_ended, secret="token", max_bytes=2**20)
    app = web.Application()
    app.router.add_post("/revox/webhook", receiver.aiohttp_handler)
    WebhookReceiver(lambda event: None)  # a plain function is a callback too
    await receiver.join()
