"""Call-completion webhooks: the event Revox POSTs when a call ends, and receivers.

::

    from revox_async.webhooks import CallCompletedEvent, WebhookReceiver

    async def on_call_ended(event: CallCompletedEvent) -> None:
        if event.result == "human":
            ...

    receiver = WebhookReceiver(on_call_ended)
    aiohttp_app.router.add_post("/revox/webhook", receiver.aiohttp_handler)   # aiohttp
    fastapi_app.mount("/revox/webhook", receiver)                             # ASGI

* `parse_webhook` reads a body (bytes, text or parsed JSON) into a
  `CallCompletedEvent`, with the drift rules of every model; a body that is
  no event raises `WebhookPayloadError`.
* `WebhookReceiver` answers 2xx at once and runs the callback after, for
  ``aiohttp.web`` and ASGI frameworks (Starlette, FastAPI), importing neither.

This module loads on first import, not with ``import revox_async``.
"""

from ._event import CallCompletedEvent, WebhookPayloadError, parse_webhook
from ._receiver import DEFAULT_SECRET_HEADER, WebhookCallback, WebhookReceiver

__all__ = [
    "DEFAULT_SECRET_HEADER",
    "CallCompletedEvent",
    "WebhookCallback",
    "WebhookPayloadError",
    "WebhookReceiver",
    "parse_webhook",
]

for _cls in (CallCompletedEvent, WebhookPayloadError, WebhookReceiver):
    _cls.__module__ = __name__
del _cls
