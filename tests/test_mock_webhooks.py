"""The mock POSTs the call-completion webhook when a call ends, as the live service does."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from revox_async import AsyncRevox, SyncRevox
from revox_async.testing import CallPlan, MockRevoxServer, WebhookAttempt
from revox_async.testing._webhooks import event_payload
from revox_async.webhooks import CallCompletedEvent, WebhookReceiver, parse_webhook


class Hook:
    """A loopback endpoint that records what it is sent and answers ``statuses`` in turn."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.statuses: list[int] = []
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.bodies.append(await request.json())
        status = self.statuses.pop(0) if self.statuses else 200
        return web.Response(status=status)


@pytest.fixture
async def hook() -> AsyncIterator[Hook]:
    hook = Hook()
    app = web.Application()
    app.router.add_post("/hook", hook.handle)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    hook.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    yield hook
    await runner.cleanup()


@pytest.fixture
async def mock() -> AsyncIterator[MockRevoxServer]:
    """A mock on this test's loop, retrying deliveries without real waiting."""
    async with MockRevoxServer() as server:
        server.webhook_retry_delays = (0, 0, 0)
        yield server


@pytest.fixture
async def client(mock: MockRevoxServer) -> AsyncIterator[AsyncRevox]:
    async with AsyncRevox(api_key=mock.api_key, base_url=mock.base_url, max_retries=0) as client:
        yield client


async def _place(client: AsyncRevox, url: str | None, number: str = "+33600000001") -> str:
    params: dict[str, Any] = {"webhook_url": url} if url else {}
    assistant = await client.assistants.create(name="a", prompt="p", **params)
    call = await client.calls.create(phone_number=number, assistant_id=assistant.id)
    return call.id


async def test_a_completed_call_posts_its_event(
    mock: MockRevoxServer, client: AsyncRevox, hook: Hook
) -> None:
    """When the call completes (37 s), one POST with the §8 fields; none before."""
    call_id = await _place(client, hook.url)
    mock.advance(36)
    await mock.deliveries_settled()
    assert [] == hook.bodies == mock.webhook_deliveries
    mock.advance(1)
    await mock.deliveries_settled()
    (body,) = hook.bodies
    call = await client.calls.retrieve(call_id)
    attempt = call.call_attempts[0] if call.call_attempts else None
    assert attempt is not None
    assert {
        "call_order_id": call_id,
        "call_id": attempt.id,
        "status": "completed",
        "result": "human",
        "annotation": call.outcome_summary,
        "transcript": parse_webhook(body).transcript_text,
        "recording_url": attempt.recording_url,
        "started_at": body["started_at"],
        "ended_at": body["ended_at"],
        "calls_count": 1,
    } == body
    assert body["transcript"].startswith("assistant: Hello, this is Revox calling.\nuser: ")
    (delivery,) = mock.webhook_deliveries
    assert (call_id, hook.url, body, "delivered") == (
        delivery.call_id,
        delivery.url,
        delivery.payload,
        delivery.state,
    )
    assert [WebhookAttempt(200)] == delivery.attempts
    mock.advance(3600)
    await mock.deliveries_settled()
    assert 1 == len(hook.bodies)  # once per call


async def test_a_failed_delivery_is_retried(
    mock: MockRevoxServer, client: AsyncRevox, hook: Hook
) -> None:
    """A 5xx (or any non-2xx) is retried after each of webhook_retry_delays."""
    hook.statuses = [503, 500]
    await _place(client, hook.url)
    mock.advance(60)
    await mock.deliveries_settled()
    (delivery,) = mock.webhook_deliveries
    assert [WebhookAttempt(503), WebhookAttempt(500), WebhookAttempt(200)] == delivery.attempts
    assert "delivered" == delivery.state
    assert 3 == len(hook.bodies)
    assert hook.bodies[0] == hook.bodies[2]


async def test_retries_wait_their_delays_and_give_up(
    mock: MockRevoxServer, client: AsyncRevox, hook: Hook
) -> None:
    """1 + len(webhook_retry_delays) attempts, the delays between them, then failed."""
    mock.webhook_retry_delays = (0.05, 0.1)
    hook.statuses = [500] * 10
    await _place(client, hook.url)
    mock.advance(60)
    started = asyncio.get_running_loop().time()
    await mock.deliveries_settled()
    assert asyncio.get_running_loop().time() - started >= 0.15
    (delivery,) = mock.webhook_deliveries
    assert "failed" == delivery.state
    assert [500, 500, 500] == [attempt.status for attempt in delivery.attempts]


async def test_an_unreachable_receiver_is_retried_then_failed(
    mock: MockRevoxServer, client: AsyncRevox
) -> None:
    """A refused connection counts as a failed attempt, with the error kept."""
    await _place(client, "http://127.0.0.1:9/hook")  # the discard port: nothing listens
    mock.advance(60)
    await mock.deliveries_settled()
    (delivery,) = mock.webhook_deliveries
    assert "failed" == delivery.state
    assert 4 == len(delivery.attempts)
    assert all(a.status is None and a.error for a in delivery.attempts)


async def test_only_loopback_urls_are_called(mock: MockRevoxServer, client: AsyncRevox) -> None:
    """Any other URL is recorded as skipped: a test never reaches the network."""
    await _place(client, "https://example.com/hook", "+33600000001")
    await _place(client, "http://localhost:9/hook", "+33600000002")
    mock.advance(60)
    await mock.deliveries_settled()
    states = {d.url: d.state for d in mock.webhook_deliveries}
    assert {"https://example.com/hook": "skipped", "http://localhost:9/hook": "failed"} == states


async def test_no_webhook_url_sends_nothing(mock: MockRevoxServer, client: AsyncRevox) -> None:
    await _place(client, None)
    mock.advance(60)
    await mock.deliveries_settled()
    assert [] == mock.webhook_deliveries


async def test_the_inline_assistants_url_is_used(
    mock: MockRevoxServer, client: AsyncRevox, hook: Hook
) -> None:
    """A call placed with an inline assistant delivers to its webhook_url."""
    call = await client.calls.create(
        phone_number="+33600000001", assistant={"prompt": "p", "webhook_url": hook.url}
    )
    mock.advance(60)
    await mock.deliveries_settled()
    assert [call.id] == [body["call_order_id"] for body in hook.bodies]


async def test_a_cancelled_call_and_an_errored_one_post_too(
    mock: MockRevoxServer, client: AsyncRevox, hook: Hook
) -> None:
    """Every terminal status: cancelled at once, errored after its last attempt."""
    mock.call_plan = CallPlan(by_number={"+33600000002": "busy"}, retry_delay=10)
    cancelled = await _place(client, hook.url, "+33600000001")
    await client.calls.cancel(cancelled)
    await mock.deliveries_settled()
    errored = await _place(client, hook.url, "+33600000002")
    mock.advance(3600)
    await mock.deliveries_settled()
    assert [(cancelled, "cancelled", None), (errored, "errored", None)] == [
        (b["call_order_id"], b["status"], b["result"]) for b in hook.bodies
    ]
    assert 4 == hook.bodies[1]["calls_count"]


async def test_seeded_calls_that_never_ran_post_nothing(
    mock: MockRevoxServer, client: AsyncRevox, hook: Hook
) -> None:
    """A call a test stores by hand has no life on the mock: no webhook for it."""
    mock.calls["call_seeded"] = {
        "id": "call_seeded",
        "status": "completed",
        "assistant": {"webhook_url": hook.url},
    }
    await client.calls.retrieve("call_seeded")
    mock.advance(60)
    await mock.deliveries_settled()
    assert [] == mock.webhook_deliveries


async def test_drift_adds_a_field_the_event_keeps(
    mock: MockRevoxServer, client: AsyncRevox, hook: Hook
) -> None:
    """With drift on, the payload carries a new field and a new status; both read."""
    mock.call_plan = CallPlan(by_number={"+33600000001": "voicemail"})
    mock.drift = True
    await _place(client, hook.url)
    mock.advance(4 * 7300)
    await mock.deliveries_settled()
    event = parse_webhook(hook.bodies[-1])
    assert "voicemail_detected" == event.status
    assert "voicemail" == event.result
    assert {"outcome": None} == event.extra_fields


async def test_reset_forgets_deliveries(mock: MockRevoxServer, client: AsyncRevox) -> None:
    """reset() empties webhook_deliveries and restores the retry delays."""
    await _place(client, "https://example.com/hook")
    mock.advance(60)
    assert 1 == len(mock.webhook_deliveries)
    mock.reset()
    assert [] == mock.webhook_deliveries
    assert (0.05, 0.2, 0.5) == tuple(mock.webhook_retry_delays)
    with pytest.raises(ValueError, match="webhook_retry_delays"):
        mock.webhook_retry_delays = (-1,)


def test_a_payload_of_a_call_without_attempts() -> None:
    """A call cancelled before its first dial: no attempt fields, an empty transcript."""
    call = {"id": "c", "status": "cancelled", "call_attempts": [], "calls_count": 0}
    assert {
        "call_order_id": "c",
        "call_id": None,
        "status": "cancelled",
        "result": None,
        "annotation": None,
        "transcript": "",
        "recording_url": None,
        "started_at": None,
        "ended_at": None,
        "calls_count": 0,
    } == event_payload(call)


# -- what a user's own test looks like ------------------------------------------------


async def test_a_users_app_reacts_when_a_call_ends(revox_mock: MockRevoxServer) -> None:
    """The end-to-end story: assistant with webhook_url -> call -> clock -> handler ran.

    The mock runs on its own thread here (the ``revox_mock`` fixture), the app
    on the test's loop: deliveries cross threads as they would cross machines.
    """
    reached: list[str] = []

    async def on_call_ended(event: CallCompletedEvent) -> None:
        if event.result == "human":
            call = await event.call(client)
            reached.append(call.to_phone_number or "")

    receiver = WebhookReceiver(on_call_ended)
    app = web.Application()
    app.router.add_post("/revox/webhook", receiver.aiohttp_handler)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/revox/webhook"
    try:
        async with AsyncRevox(api_key=revox_mock.api_key, base_url=revox_mock.base_url) as client:
            assistant = await client.assistants.create(name="Sales", prompt="p", webhook_url=url)
            await client.calls.create(phone_number="+33600000001", assistant_id=assistant.id)
            revox_mock.advance(60)
            await revox_mock.deliveries_settled()
            await receiver.join()
    finally:
        await runner.cleanup()
    assert ["+33600000001"] == reached


def test_sync_code_waits_with_wait_deliveries(revox_mock: MockRevoxServer) -> None:
    """From sync code: wait_deliveries() (TimeoutError if they do not settle in time)."""
    with SyncRevox(api_key=revox_mock.api_key, base_url=revox_mock.base_url) as client:
        assistant = client.assistants.create(name="a", prompt="p", webhook_url="https://x.invalid")
        client.calls.create(phone_number="+33600000001", assistant_id=assistant.id)
    revox_mock.advance(60)
    revox_mock.wait_deliveries()
    assert ["skipped"] == [d.state for d in revox_mock.webhook_deliveries]
    revox_mock.webhook_deliveries[0].state = "pending"  # a delivery that never ends
    with pytest.raises(TimeoutError):
        revox_mock.wait_deliveries(timeout=0.02)


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8000/hook", True),
        ("http://127.5.6.7/hook", True),
        ("http://[::1]:8000/hook", True),
        ("https://localhost/hook", True),
        ("http://10.0.0.1/hook", False),
        ("https://example.com/hook", False),
        ("ftp://127.0.0.1/hook", False),
        ("http://[::1/hook", False),
        ("not a url", False),
    ],
)
def test_what_counts_as_loopback(url: str, loopback: bool) -> None:
    """Only http(s) to localhost or a loopback address is ever called."""
    from revox_async.testing._webhooks import _is_loopback

    assert loopback == _is_loopback(url)


async def test_reset_cancels_deliveries_underway(mock: MockRevoxServer, client: AsyncRevox) -> None:
    """A delivery still running at reset() is cancelled, and settling does not wait for it."""
    release = asyncio.Event()

    async def stuck(request: web.Request) -> web.Response:
        await release.wait()
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", stuck)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        await _place(client, f"http://127.0.0.1:{runner.addresses[0][1]}/hook")
        mock.advance(60)
        (delivery,) = mock.webhook_deliveries
        await asyncio.sleep(0.05)
        mock.reset()
        await mock.deliveries_settled()
        await asyncio.sleep(0.01)
        assert "failed" == delivery.state
        assert [] == delivery.attempts
    finally:
        release.set()
        await runner.cleanup()


async def test_a_reset_before_the_delivery_starts_drops_it(
    mock: MockRevoxServer, client: AsyncRevox, hook: Hook
) -> None:
    """The call ended, then reset() came before the delivery's task did: nothing is sent."""
    await _place(client, hook.url)
    mock.advance(60)  # the delivery is scheduled on this loop, not started yet
    mock.reset()
    await asyncio.sleep(0.05)
    await mock.deliveries_settled()
    assert [] == hook.bodies


async def test_deliveries_settled_brings_a_running_clock_up_to_date(
    mock: MockRevoxServer, client: AsyncRevox, hook: Hook
) -> None:
    """With time_scale > 0, a call that ended while nothing touched the mock is
    delivered (and waited for) by deliveries_settled."""
    await _place(client, hook.url)
    mock.time_scale = 3600  # the call's 37 mock seconds pass in about 10 ms
    await asyncio.sleep(0.1)
    await mock.deliveries_settled()
    assert ["delivered"] == [d.state for d in mock.webhook_deliveries]
    assert 1 == len(hook.bodies)


def test_wait_deliveries_brings_a_running_clock_up_to_date(revox_mock: MockRevoxServer) -> None:
    """The same for sync code (a URL off loopback: recorded as skipped, once caught up)."""
    with SyncRevox(api_key=revox_mock.api_key, base_url=revox_mock.base_url) as client:
        assistant = client.assistants.create(name="a", prompt="p", webhook_url="https://x.invalid")
        client.calls.create(phone_number="+33600000001", assistant_id=assistant.id)
    revox_mock.time_scale = 3600
    time.sleep(0.1)
    revox_mock.wait_deliveries()
    assert ["skipped"] == [d.state for d in revox_mock.webhook_deliveries]


async def test_a_running_clock_posts_with_no_request_coming(
    mock: MockRevoxServer, client: AsyncRevox, hook: Hook
) -> None:
    """With time_scale > 0 the mock catches up on its own: the webhook comes
    though nothing touches the mock after the call is placed."""
    await _place(client, hook.url)
    mock.time_scale = 3600
    for _ in range(400):  # up to 20 s; a tick is every 0.25 s
        if hook.bodies:
            break
        await asyncio.sleep(0.05)
    assert 1 == len(hook.bodies)
