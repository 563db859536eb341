"""The mock's call-completion webhooks: a POST to the call's ``webhook_url`` when it ends.

The payload has the fields the live service is seen to send (read off another
public client of the live API, an n8n community node; the official SDK documents
no webhook); it is built from the call as answered, so ``drift`` shows in it too.
Deliveries run as tasks on the server's own loop, never inside a request
handler, and go to loopback addresses only: a test never reaches the network.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Mapping, Sequence
from typing import Any, Literal
from urllib.parse import urlsplit

import aiohttp
import attrs

from ._calls import present_call
from ._lifecycle import Progress

__all__ = ["WebhookAttempt", "WebhookDelivery", "WebhookSender", "event_payload"]

DeliveryState = Literal["pending", "delivered", "failed", "skipped"]
_RETRY_DELAYS = (0.05, 0.2, 0.5)


@attrs.frozen
class WebhookAttempt:
    """One POST of a delivery: the status answered, or the error met instead."""

    status: int | None
    error: str | None = None


@attrs.define
class WebhookDelivery:
    """The webhook of one call's end, as the mock sent it (``mock.webhook_deliveries``).

    ``state`` is ``pending`` while attempts remain, then ``delivered`` (a 2xx
    answer), ``failed`` (every attempt refused or unanswered) or ``skipped``
    (the URL is not on a loopback address: the mock never leaves the machine).
    """

    call_id: str
    url: str
    payload: dict[str, Any]
    state: DeliveryState = "pending"
    attempts: list[WebhookAttempt] = attrs.field(factory=list)


def event_payload(call: Mapping[str, Any], *, drift: bool = False) -> dict[str, Any]:
    """The JSON the service POSTs when ``call`` ends (``drift``: with a field it adds)."""
    shown = present_call(call, drift=drift)
    attempt = shown.get("last_call_attempt") or {}
    transcript = attempt.get("post_call_transcript") or attempt.get("transcript") or []
    payload = {
        "call_order_id": shown["id"],
        "call_id": attempt.get("id"),
        "status": shown.get("status"),
        "result": attempt.get("result"),
        "annotation": shown.get("outcome_summary"),
        "transcript": "\n".join(f"{turn['role']}: {turn['content']}" for turn in transcript),
        "recording_url": attempt.get("recording_url"),
        "started_at": attempt.get("started_at"),
        "ended_at": attempt.get("ended_at"),
        "calls_count": shown.get("calls_count"),
    }
    if drift:
        payload["outcome"] = shown.get("outcome")
    return payload


def _is_loopback(url: str) -> bool:
    try:  # a URL or a host that does not parse, or no host, is a ValueError
        parts = urlsplit(url)
        host = parts.hostname
        loopback = host == "localhost" or ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and loopback


class WebhookSender:
    """Notices calls that end and delivers their webhooks; the server owns one."""

    def __init__(self) -> None:
        self.deliveries: list[WebhookDelivery] = []
        self.retry_delays: Sequence[float] = _RETRY_DELAYS
        self.timeout = 5.0
        self.loop: asyncio.AbstractEventLoop | None = None
        self._live: set[str] = set()
        self._generation = 0
        """Bumped by ``reset()``: a delivery of an earlier generation is not started."""
        self._tasks: set[asyncio.Task[None]] = set()

    def reset(self) -> None:
        self.deliveries = []
        self._live.clear()
        self._generation += 1
        self.retry_delays = _RETRY_DELAYS
        loop = self.loop
        if loop is not None and not loop.is_closed():
            for task in list(self._tasks):
                loop.call_soon_threadsafe(task.cancel)

    def sweep(
        self, calls: Mapping[str, Mapping[str, Any]], progress: Mapping[str, Progress], drift: bool
    ) -> None:
        """Deliver the webhook of each call seen running that has ended since."""
        for call_id, step in progress.items():
            if step.step != "done":
                self._live.add(call_id)
            elif call_id in self._live:
                self._live.discard(call_id)
                call = calls.get(call_id)
                if call is not None:
                    self._send(call, drift)

    def _send(self, call: Mapping[str, Any], drift: bool) -> None:
        url = (call.get("assistant") or {}).get("webhook_url")
        if not isinstance(url, str) or not url:
            return
        delivery = WebhookDelivery(call["id"], url, event_payload(call, drift=drift))
        self.deliveries.append(delivery)
        loop = self.loop
        if not _is_loopback(url) or loop is None or loop.is_closed():
            delivery.state = "skipped"
            return
        loop.call_soon_threadsafe(self._start, delivery, self._generation)

    def _start(self, delivery: WebhookDelivery, generation: int) -> None:
        if generation != self._generation:  # reset() came first
            return
        task = asyncio.get_running_loop().create_task(self._deliver(delivery))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, delivery: WebhookDelivery) -> None:
        try:
            timeout = aiohttp.ClientTimeout(total=self.timeout)
            async with aiohttp.ClientSession(timeout=timeout) as session:
                delays = [*self.retry_delays, None]
                for delay in delays:
                    attempt = await _post(session, delivery)
                    delivery.attempts.append(attempt)
                    if attempt.status is not None and 200 <= attempt.status < 300:
                        delivery.state = "delivered"
                        return
                    if delay is not None:
                        await asyncio.sleep(delay)
        finally:
            if delivery.state == "pending":  # every attempt failed, or the task was cancelled
                delivery.state = "failed"

    @property
    def settled(self) -> bool:
        """Every delivery of this generation is over (delivered, failed or skipped)."""
        return all(delivery.state != "pending" for delivery in list(self.deliveries))


async def _post(session: aiohttp.ClientSession, delivery: WebhookDelivery) -> WebhookAttempt:
    try:
        async with session.post(
            delivery.url,
            json=delivery.payload,
            headers={"User-Agent": "revox-mock-webhooks"},
            allow_redirects=False,
        ) as response:
            await response.read()
            return WebhookAttempt(response.status)
    except (aiohttp.ClientError, TimeoutError) as exc:
        return WebhookAttempt(None, f"{type(exc).__name__}: {exc}")
