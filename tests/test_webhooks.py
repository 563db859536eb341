"""Call-completion webhooks: the event, its parser, and the receivers over real sockets."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gzip
import json
import logging
import socket
import threading
import time
import urllib.request
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from revox_async import AsyncRevox, Call, TranscriptEntry, to_dict
from revox_async.testing import MockRevoxServer
from revox_async.webhooks import (
    CallCompletedEvent,
    WebhookPayloadError,
    WebhookReceiver,
    parse_webhook,
)

KNOWN: dict[str, Any] = {
    "call_order_id": "call_1",
    "call_id": "attempt_1",
    "status": "completed",
    "result": "human",
    "annotation": "Interested; send the brochure.",
    "transcript": "assistant: Hello\nuser: Hi",
    "recording_url": "https://recordings.example/1.wav",
    "started_at": "2025-01-02T03:04:05+00:00",
    "ended_at": "2025-01-02T03:05:00Z",
    "calls_count": 2,
}


# -- parsing ---------------------------------------------------------------------------


def test_known_fields_are_read() -> None:
    """Every field the service is seen to send is an attribute of its type."""
    event = parse_webhook(json.dumps(KNOWN).encode())
    assert "call_1" == event.call_order_id
    assert "attempt_1" == event.call_id
    assert "completed" == event.status
    assert "human" == event.result
    assert "Interested; send the brochure." == event.annotation
    assert "assistant: Hello\nuser: Hi" == event.transcript == event.transcript_text
    assert "https://recordings.example/1.wav" == event.recording_url
    assert datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC) == event.started_at
    assert datetime(2025, 1, 2, 3, 5, tzinfo=UTC) == event.ended_at
    assert 2 == event.calls_count
    assert {} == event.extra_fields
    assert KNOWN == to_dict(event)


def test_text_bytes_and_parsed_json_read_the_same() -> None:
    """A body may be given as bytes, text or JSON already parsed."""
    text = json.dumps(KNOWN)
    assert parse_webhook(text) == parse_webhook(text.encode()) == parse_webhook(KNOWN)
    assert parse_webhook(bytearray(text.encode())) == parse_webhook(memoryview(text.encode()))


def test_drifted_fields_are_kept_and_odd_values_never_fail_the_event() -> None:
    """Unknown keys and values the SDK cannot read go to extra_fields; the rest reads."""
    body = {
        **KNOWN,
        "status": "voicemail_detected",  # an enum value the SDK does not know
        "calls_count": "two",  # not a number
        "sentiment": "positive",  # a new field
        "started_at": "yesterday",  # not a time stamp: kept as sent
    }
    event = parse_webhook(body)
    assert "voicemail_detected" == event.status
    assert event.calls_count is None
    assert "yesterday" == event.started_at
    assert {"calls_count": "two", "sentiment": "positive"} == event.extra_fields
    assert body == to_dict(event)


def test_a_byte_order_mark_is_skipped() -> None:
    """A body starting with a UTF-8 BOM (bytes or text) is read as without it."""
    body = json.dumps(KNOWN).encode()
    assert parse_webhook(body) == parse_webhook(b"\xef\xbb\xbf" + body)
    assert parse_webhook(body) == parse_webhook("\ufeff" + body.decode())
    with pytest.raises(WebhookPayloadError, match="empty"):
        parse_webhook(b"\xef\xbb\xbf ")


def test_an_empty_object_is_an_event_with_nothing_known() -> None:
    """No field is required: the payload is undocumented."""
    event = parse_webhook(b"{}")
    assert CallCompletedEvent() == event
    assert "" == event.transcript_text


def test_a_structured_transcript_is_read_as_entries() -> None:
    """Should the service send the API's transcript form, it is read as entries."""
    turns = [{"role": "assistant", "content": "Hello"}, {"role": "user", "content": "Hi"}]
    event = parse_webhook({"transcript": turns})
    assert [TranscriptEntry(role="assistant", content="Hello"),
            TranscriptEntry(role="user", content="Hi")] == event.transcript  # fmt: skip
    assert "assistant: Hello\nuser: Hi" == event.transcript_text
    assert {"transcript": turns} == to_dict(event)


def test_an_unreadable_transcript_is_kept_raw() -> None:
    """A transcript that is neither text nor a list of turns reads None, kept raw."""
    event = parse_webhook({"transcript": 5, "call_order_id": "c"})
    assert event.transcript is None
    assert "c" == event.call_order_id
    assert {"transcript": 5} == event.extra_fields


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "the body is empty"),
        (b"  \n", "the body is empty"),
        (b"<html>oops</html>", "the body is not JSON"),
        (b'{"a": ', "the body is not JSON"),
        (b"[1, 2]", "the body is JSON but not an object (got list)"),
        (b'"text"', "the body is JSON but not an object (got str)"),
        (b"null", "the body is JSON but not an object (got null)"),
        ([1], "the body is JSON but not an object (got list)"),
        ("\ud800", "the body is not JSON"),
    ],
)
def test_a_body_that_is_no_event_is_refused_clearly(body: Any, reason: str) -> None:
    """Not JSON, or JSON that is not an object: a WebhookPayloadError saying which."""
    with pytest.raises(WebhookPayloadError) as caught:
        parse_webhook(body)
    assert caught.value.reason.startswith(reason)
    assert str(caught.value).startswith("not a Revox webhook event: ")
    assert isinstance(caught.value, ValueError)


def test_a_deeply_nested_body_is_refused_not_crashed() -> None:
    """Nesting that would overflow a parser is refused as not JSON."""
    with pytest.raises(WebhookPayloadError):
        parse_webhook(b"[" * 100_000 + b"]" * 100_000)


def test_a_body_over_the_cap_is_refused_before_parsing() -> None:
    """The cap is the client's response cap (64 MiB), and can be lowered."""
    body = json.dumps({**KNOWN, "annotation": "x" * 1000}).encode()
    with pytest.raises(WebhookPayloadError, match="larger than max_bytes=100"):
        parse_webhook(body, max_bytes=100)
    assert "call_1" == parse_webhook(body, max_bytes=len(body)).call_order_id


def test_the_default_cap_is_64_mib() -> None:
    """A 64 MiB + 1 body is refused without being parsed."""
    with pytest.raises(WebhookPayloadError, match="larger than max_bytes=67108864"):
        parse_webhook(b" " * (64 * 2**20 + 1))


async def test_the_event_fetches_its_call(
    revox_mock: MockRevoxServer, revox_client: AsyncRevox
) -> None:
    """event.call(client) is the full Call of call_order_id (call_id when absent)."""
    assistant = await revox_client.assistants.create(name="a", prompt="p")
    placed = await revox_client.calls.create(phone_number="+33600000001", assistant_id=assistant.id)
    fetched = await parse_webhook({"call_order_id": placed.id}).call(revox_client)
    assert isinstance(fetched, Call)
    assert placed.id == fetched.id
    assert placed.id == (await parse_webhook({"call_id": placed.id}).call(revox_client)).id
    with pytest.raises(WebhookPayloadError, match="names no call"):
        await parse_webhook({}).call(revox_client)


def test_importing_revox_async_does_not_load_the_webhooks() -> None:
    """The webhooks subpackage loads on first import only."""
    import subprocess
    import sys

    code = "import sys, revox_async; print('revox_async.webhooks' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "False" == result.stdout.strip()


def test_the_receiver_checks_its_arguments() -> None:
    """A callback must be callable, a secret non-empty, max_bytes a positive int."""
    with pytest.raises(TypeError):
        WebhookReceiver("not callable")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="secret"):
        WebhookReceiver(print, secret="")
    with pytest.raises(ValueError, match="max_bytes"):
        WebhookReceiver(print, max_bytes=0)
    assert "secret=set" in repr(WebhookReceiver(print, secret="s"))


# -- receivers, over real sockets ----------------------------------------------------------

Serve = Callable[[WebhookReceiver, str], Awaitable[str]]


@pytest.fixture
async def serve_aiohttp() -> AsyncIterator[Serve]:
    """Serve a receiver's aiohttp handler on a loopback port; gives the URL of ``route``."""
    async with _serving_aiohttp() as serve:
        yield serve


@pytest.fixture
async def serve_aiohttp_raw() -> AsyncIterator[Serve]:
    """`serve_aiohttp`, with aiohttp's own inflating off as docs/webhooks.md advises."""
    async with _serving_aiohttp(auto_decompress=False) as serve:
        yield serve


@contextlib.asynccontextmanager
async def _serving_aiohttp(**handler_args: Any) -> AsyncIterator[Serve]:
    runners: list[web.AppRunner] = []

    async def serve(receiver: WebhookReceiver, route: str) -> str:
        app = web.Application(handler_args=handler_args)
        app.router.add_route("*", route, receiver.aiohttp_handler)
        runner = web.AppRunner(app, shutdown_timeout=0.1)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        runners.append(runner)
        return f"http://127.0.0.1:{runner.addresses[0][1]}"

    yield serve
    for runner in runners:
        await runner.cleanup()


@pytest.fixture
async def serve_fastapi() -> AsyncIterator[Serve]:
    """Route to a receiver in a FastAPI app served by uvicorn on a loopback port
    (``mount:/path``: mount it there instead)."""
    import uvicorn
    from fastapi import FastAPI

    servers: list[tuple[uvicorn.Server, asyncio.Task[None]]] = []

    async def serve(receiver: WebhookReceiver, route: str) -> str:
        app = FastAPI()
        if route.startswith("mount:"):
            app.mount(route.removeprefix("mount:"), receiver)
        else:
            app.add_route(route, receiver, methods=["POST"])
        config = uvicorn.Config(
            app, host="127.0.0.1", port=0, log_level="warning", lifespan="off", ws="none"
        )
        server = uvicorn.Server(config)
        sock = socket.socket()  # bound and listening now: connections queue until uvicorn runs
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        servers.append((server, asyncio.create_task(server.serve(sockets=[sock]))))
        return f"http://127.0.0.1:{port}"

    yield serve
    for server, task in servers:
        server.should_exit = True
        await task


@pytest.fixture(params=["aiohttp", "fastapi"])
def serve(request: pytest.FixtureRequest) -> Serve:
    """Each receiver test runs under aiohttp.web and under FastAPI + uvicorn."""
    fixture: Serve = request.getfixturevalue(f"serve_{request.param}")
    return fixture


@pytest.fixture(params=["aiohttp", "aiohttp_raw", "fastapi"])
def serve_any(request: pytest.FixtureRequest) -> Serve:
    """`serve`, and aiohttp with its own inflating off: for the tests of encodings."""
    fixture: Serve = request.getfixturevalue(f"serve_{request.param}")
    return fixture


async def _post(url: str, body: bytes, **headers: str) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as session:
        async with session.post(url, data=body, headers=headers) as response:
            return response.status, await response.json(content_type=None)


async def test_an_event_is_answered_200_and_handed_to_the_callback(serve: Serve) -> None:
    """The callback gets the parsed event; the sender gets 200 at once."""
    seen: list[CallCompletedEvent] = []

    async def on_event(event: CallCompletedEvent) -> None:
        seen.append(event)

    receiver = WebhookReceiver(on_event)
    base = await serve(receiver, "/revox/webhook")
    status, answer = await _post(f"{base}/revox/webhook", json.dumps(KNOWN).encode())
    await receiver.join()
    assert (200, {"received": True}) == (status, answer)
    assert [parse_webhook(KNOWN)] == seen


async def test_the_answer_does_not_wait_for_the_callback(serve: Serve) -> None:
    """A slow callback runs after the 200: Revox is never kept waiting."""
    release = asyncio.Event()
    finished: list[str | None] = []

    async def slow(event: CallCompletedEvent) -> None:
        await release.wait()
        finished.append(event.call_order_id)

    receiver = WebhookReceiver(slow)
    base = await serve(receiver, "/hook")
    status, _ = await asyncio.wait_for(_post(f"{base}/hook", b'{"call_order_id": "c"}'), 5)
    assert 200 == status
    assert 1 == receiver.pending
    assert [] == finished
    release.set()
    await receiver.join()
    assert ["c"] == finished
    assert 0 == receiver.pending


async def test_a_malformed_body_gets_400_and_is_logged(
    serve: Serve, caplog: pytest.LogCaptureFixture
) -> None:
    """Not an event: 400 with the reason, a warning logged (not the body), no callback."""
    seen: list[CallCompletedEvent] = []
    receiver = WebhookReceiver(seen.append)
    base = await serve(receiver, "/hook")
    with caplog.at_level(logging.WARNING, logger="revox_async"):
        status, answer = await _post(f"{base}/hook", b"[secret transcript]")
        status2, _ = await _post(f"{base}/hook", b"")
    assert 400 == status == status2
    assert answer["error"].startswith("not a Revox webhook event: the body is not JSON")
    assert "refused (400): the body is not JSON" in caplog.text
    assert "secret transcript" not in caplog.text
    assert [] == seen


async def test_a_failing_callback_is_logged_never_a_500(
    serve: Serve, caplog: pytest.LogCaptureFixture
) -> None:
    """The sender got its 200; the callback's exception goes to the log with the call id."""

    async def broken(event: CallCompletedEvent) -> None:
        raise RuntimeError("boom")

    receiver = WebhookReceiver(broken)
    base = await serve(receiver, "/hook")
    with caplog.at_level(logging.ERROR, logger="revox_async"):
        status, _ = await _post(f"{base}/hook", b'{"call_order_id": "call_9"}')
        await receiver.join()
    assert 200 == status
    assert "failed on the event of call call_9" in caplog.text
    assert "RuntimeError: boom" in caplog.text


async def test_a_plain_function_callback_works(serve: Serve) -> None:
    """A sync callback is called too (on the loop)."""
    seen: list[str | None] = []
    receiver = WebhookReceiver(lambda event: seen.append(event.status))
    base = await serve(receiver, "/hook")
    await _post(f"{base}/hook", b'{"status": "errored"}')
    await receiver.join()
    assert ["errored"] == seen


@pytest.mark.parametrize("route", ["/hook", "mount:/hook"])
async def test_only_post_is_accepted(
    serve_fastapi: Serve, serve_aiohttp: Serve, route: str
) -> None:
    """A GET gets 405 (from the receiver, or from the framework's route)."""
    receiver = WebhookReceiver(print)
    serve = serve_fastapi if route.startswith("mount:") else serve_aiohttp
    base = await serve(receiver, route.removeprefix("mount:"))
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{base}/hook") as response:
            assert 405 == response.status


async def test_a_body_over_the_cap_gets_413(serve: Serve) -> None:
    """Over max_bytes: 413, by the announced length or as counted while reading."""
    seen: list[CallCompletedEvent] = []
    receiver = WebhookReceiver(seen.append, max_bytes=50)
    base = await serve(receiver, "/hook")
    big = json.dumps({"annotation": "x" * 100}).encode()
    status, answer = await _post(f"{base}/hook", big)
    assert 413 == status
    assert "larger than max_bytes=50" in answer["error"]

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as read
        for _ in range(10):
            yield b" " * 20

    async with aiohttp.ClientSession() as session:
        async with session.post(f"{base}/hook", data=chunks()) as response:
            assert 413 == response.status
    assert [] == seen


async def test_a_compressed_body_is_counted_inflated(serve_aiohttp: Serve) -> None:
    """aiohttp inflates a gzip body as it reads: the cap applies to what it becomes."""
    receiver = WebhookReceiver(print, max_bytes=1000)
    base = await serve_aiohttp(receiver, "/hook")
    bomb = gzip.compress(b" " * 100_000)
    status, _ = await _post(f"{base}/hook", bomb, **{"Content-Encoding": "gzip"})
    assert 413 == status


async def test_the_secret_in_the_url_path(serve: Serve) -> None:
    """With a secret, the URL's last path segment must be it: else 401."""
    seen: list[CallCompletedEvent] = []
    receiver = WebhookReceiver(seen.append, secret="s3cr3t-token")
    base = await serve(receiver, "/hook/{token}")
    assert 200 == (await _post(f"{base}/hook/s3cr3t-token", b"{}"))[0]
    assert 401 == (await _post(f"{base}/hook/wrong", b"{}"))[0]
    await receiver.join()
    assert 1 == len(seen)


async def test_the_secret_under_an_asgi_mount(serve_fastapi: Serve) -> None:
    """Mounted at /hook, the receiver sees /hook/<secret> (and a trailing slash is fine)."""
    seen: list[CallCompletedEvent] = []
    receiver = WebhookReceiver(seen.append, secret="tok")
    base = await serve_fastapi(receiver, "mount:/hook")
    assert 200 == (await _post(f"{base}/hook/tok", b"{}"))[0]
    assert 200 == (await _post(f"{base}/hook/tok/", b"{}"))[0]
    assert 401 == (await _post(f"{base}/hook/nope", b"{}"))[0]
    assert 401 == (await _post(f"{base}/hook/", b"{}"))[0]
    await receiver.join()
    assert 2 == len(seen)


async def test_the_secret_in_a_header(serve: Serve, caplog: pytest.LogCaptureFixture) -> None:
    """Or in the X-Revox-Webhook-Secret header (the name can be changed)."""
    receiver = WebhookReceiver(print, secret="abc")
    base = await serve(receiver, "/hook")
    assert 200 == (await _post(f"{base}/hook", b"{}", **{"X-Revox-Webhook-Secret": "abc"}))[0]
    with caplog.at_level(logging.WARNING, logger="revox_async"):
        assert 401 == (await _post(f"{base}/hook", b"{}", **{"X-Revox-Webhook-Secret": "x"}))[0]
    assert "refused (401): wrong or no secret" in caplog.text
    custom = WebhookReceiver(print, secret="abc", secret_header="X-Token")
    base = await serve(custom, "/other")
    assert 200 == (await _post(f"{base}/other", b"{}", **{"X-Token": "abc"}))[0]
    await receiver.join()
    await custom.join()


async def test_the_asgi_app_alone_handles_lifespan_and_ignores_websockets() -> None:
    """Served alone, the app completes startup and shutdown (joining callbacks)."""
    receiver = WebhookReceiver(print)
    incoming = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return next(incoming)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await receiver({"type": "lifespan"}, receive, send)
    assert [{"type": "lifespan.startup.complete"}, {"type": "lifespan.shutdown.complete"}] == sent
    await receiver({"type": "websocket"}, receive, send)
    assert 2 == len(sent)


async def test_the_asgi_app_stops_on_a_disconnect() -> None:
    """A client gone before its body came gets no answer and runs no callback."""
    seen: list[CallCompletedEvent] = []
    receiver = WebhookReceiver(seen.append)
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/", "headers": []}
    await receiver(scope, receive, send)
    assert [] == sent
    assert [] == seen


# -- hardening: bodies that cannot be read, callbacks after the answer, shutdown --------


def _errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
async def test_a_corrupt_compressed_body_gets_400_without_a_traceback(
    serve_any: Serve, caplog: pytest.LogCaptureFixture, encoding: str
) -> None:
    """A body that does not inflate is a bad body: 400, one warning, no 500, no traceback."""
    seen: list[CallCompletedEvent] = []
    receiver = WebhookReceiver(seen.append)
    base = await serve_any(receiver, "/hook")
    with caplog.at_level(logging.WARNING):
        status, answer = await _post(
            f"{base}/hook", b"\x1f\x8b not really compressed", **{"Content-Encoding": encoding}
        )
        truncated = gzip.compress(json.dumps(KNOWN).encode())[:20]
        again, _ = await _post(f"{base}/hook", truncated, **{"Content-Encoding": "gzip"})
    assert (400, 400) == (status, again)
    assert encoding in answer["error"]
    warnings = [r for r in caplog.records if r.name == "revox_async"]
    assert 2 == len(warnings)
    assert [] == _errors(caplog)
    assert [] == seen


async def test_a_client_gone_mid_body_is_one_quiet_line(
    serve_aiohttp: Serve, caplog: pytest.LogCaptureFixture
) -> None:
    """A sender that hangs up mid-body: a warning, no traceback (aiohttp)."""
    receiver = WebhookReceiver(print)
    base = await serve_aiohttp(receiver, "/hook")
    host, port = base.removeprefix("http://").split(":")
    with caplog.at_level(logging.WARNING):
        _, writer = await asyncio.open_connection(host, int(port))
        writer.write(b"POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
        await writer.drain()
        writer.close()
        for _ in range(500):
            if "hung up mid-body" in caplog.text:
                break
            await asyncio.sleep(0.01)
    assert "hung up mid-body" in caplog.text
    assert [] == _errors(caplog)


@pytest.mark.parametrize(
    "compress",
    [gzip.compress, zlib.compress, lambda b: zlib.compress(b, wbits=-zlib.MAX_WBITS)],
    ids=["gzip", "deflate", "raw-deflate"],
)
async def test_both_frameworks_read_gzip_and_deflate(
    serve_any: Serve, compress: Callable[[bytes], bytes]
) -> None:
    """Content-Encoding gzip or deflate (zlib-wrapped or raw) is inflated, under ASGI too."""
    seen: list[CallCompletedEvent] = []
    receiver = WebhookReceiver(seen.append)
    base = await serve_any(receiver, "/hook")
    encoding = "gzip" if compress is gzip.compress else "deflate"
    body = compress(json.dumps(KNOWN).encode())
    status, _ = await _post(f"{base}/hook", body, **{"Content-Encoding": encoding})
    await receiver.join()
    assert 200 == status
    assert [parse_webhook(KNOWN)] == seen


async def test_an_unknown_encoding_gets_415(serve_any: Serve) -> None:
    """Any other Content-Encoding is refused alike by both frameworks."""
    receiver = WebhookReceiver(print)
    base = await serve_any(receiver, "/hook")
    status, answer = await _post(f"{base}/hook", b"{}", **{"Content-Encoding": "compress"})
    assert 415 == status
    assert "'compress'" in answer["error"]


@pytest.mark.parametrize("encoding", ["br", "zstd", "x-garbage"])
async def test_an_encoding_aiohttp_cannot_read_gets_415_without_a_traceback(
    serve_aiohttp_raw: Serve, serve_fastapi: Serve, caplog: pytest.LogCaptureFixture, encoding: str
) -> None:
    """br or zstd (no decoder installed) or garbage: 415 and one warning, no traceback,
    under ASGI and under aiohttp with its own inflating off (docs/webhooks.md)."""
    seen: list[CallCompletedEvent] = []
    receiver = WebhookReceiver(seen.append)
    with caplog.at_level(logging.WARNING):
        for serve in (serve_aiohttp_raw, serve_fastapi):
            base = await serve(receiver, "/hook")
            status, answer = await _post(f"{base}/hook", b"{}", **{"Content-Encoding": encoding})
            assert 415 == status
            assert f"Content-Encoding {encoding!r} is not read" in answer["error"]
    assert 2 == len([r for r in caplog.records if r.name == "revox_async"])
    assert [] == _errors(caplog)
    assert [] == seen


async def test_a_gzip_bomb_is_stopped_under_asgi_too(serve_any: Serve) -> None:
    """The cap applies to the inflated body, counted as it inflates."""
    receiver = WebhookReceiver(print, max_bytes=1000)
    base = await serve_any(receiver, "/hook")
    bomb = gzip.compress(b" " * 5_000_000)
    assert 413 == (await _post(f"{base}/hook", bomb, **{"Content-Encoding": "gzip"}))[0]
    deflated = zlib.compress(b" " * 5_000_000)
    assert 413 == (await _post(f"{base}/hook", deflated, **{"Content-Encoding": "deflate"}))[0]


async def test_a_blocking_plain_callback_never_delays_the_answer(serve: Serve) -> None:
    """A plain function runs in a worker thread once the 200 is written: a callback
    blocking for a second leaves the answer, and the loop, free."""
    finished = threading.Event()

    def blocking(event: CallCompletedEvent) -> None:
        time.sleep(1)
        finished.set()

    receiver = WebhookReceiver(blocking)
    base = await serve(receiver, "/hook")
    status, _ = await _post(f"{base}/hook", b'{"call_order_id": "c"}')
    assert 200 == status
    assert not finished.is_set()
    assert 1 == receiver.pending
    await receiver.join()
    assert finished.is_set()


async def test_an_async_callback_starts_only_once_the_answer_is_written(serve: Serve) -> None:
    """An async callback whose first part blocks the loop cannot hold back the 200:
    it starts after the answer is written (the client here reads on its own thread)."""
    finished = threading.Event()

    async def blocking_first(event: CallCompletedEvent) -> None:
        time.sleep(1)  # noqa: ASYNC251 - sync work before the first await, the point of the test
        finished.set()

    receiver = WebhookReceiver(blocking_first)
    base = await serve(receiver, "/hook")

    def post() -> tuple[int, bool]:
        request = urllib.request.Request(f"{base}/hook", data=b"{}", method="POST")
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status, finished.is_set()

    assert (200, False) == await asyncio.to_thread(post)
    await receiver.join()
    assert finished.is_set()


async def test_join_has_a_timeout_and_names_what_is_left(
    serve: Serve, caplog: pytest.LogCaptureFixture
) -> None:
    """join(timeout) gives False and logs how many callbacks still run (and their calls)."""
    release = asyncio.Event()

    async def stuck(event: CallCompletedEvent) -> None:
        await release.wait()

    receiver = WebhookReceiver(stuck)
    base = await serve(receiver, "/hook")
    assert 200 == (await _post(f"{base}/hook", b'{"call_order_id": "c_stuck"}'))[0]
    with caplog.at_level(logging.WARNING, logger="revox_async"):
        assert not await receiver.join(timeout=0.05)
    assert "1 webhook callback(s) still running after 0.05 s" in caplog.text
    assert "c_stuck" in caplog.text
    release.set()
    assert await receiver.join(timeout=30)


async def test_a_cancelled_callback_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    """A callback cancelled at shutdown loses its event: a warning says which."""
    receiver = WebhookReceiver(lambda event: asyncio.sleep(3600))
    receiver._start(parse_webhook({"call_order_id": "c_gone"}))
    await asyncio.sleep(0.05)
    with caplog.at_level(logging.WARNING, logger="revox_async"):
        for task in list(receiver._tasks):
            task.cancel()
        assert await receiver.join(timeout=30)
    assert "cancelled before it finished" in caplog.text
    assert "c_gone" in caplog.text


async def test_the_asgi_lifespan_shutdown_is_bounded(caplog: pytest.LogCaptureFixture) -> None:
    """Served alone, a stuck callback cannot hold the shutdown past shutdown_timeout."""
    release = asyncio.Event()

    async def stuck(event: CallCompletedEvent) -> None:
        await release.wait()

    receiver = WebhookReceiver(stuck, shutdown_timeout=0.05)
    receiver._start(parse_webhook({"call_order_id": "c_late"}))
    incoming = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return next(incoming)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    with caplog.at_level(logging.WARNING, logger="revox_async"):
        await asyncio.wait_for(receiver({"type": "lifespan"}, receive, send), 10)
    assert {"type": "lifespan.shutdown.complete"} == sent[-1]
    assert "still running after 0.05 s" in caplog.text
    release.set()
    await receiver.join()


async def test_aiohttp_shutdown_joins_the_callbacks() -> None:
    """app.on_shutdown.append(receiver.aiohttp_shutdown) waits for the callbacks."""
    done: list[str | None] = []

    async def slow(event: CallCompletedEvent) -> None:
        await asyncio.sleep(0.05)
        done.append(event.call_order_id)

    receiver = WebhookReceiver(slow)
    app = web.Application()
    app.router.add_post("/hook", receiver.aiohttp_handler)
    app.on_shutdown.append(receiver.aiohttp_shutdown)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    assert 200 == (await _post(url, b'{"call_order_id": "c1"}'))[0]
    await runner.cleanup()
    assert ["c1"] == done


async def test_join_and_wait_work_from_another_loop_or_thread(serve: Serve) -> None:
    """join() from another thread's loop, and wait() for sync code, see the callbacks."""
    release = threading.Event()
    receiver = WebhookReceiver(lambda event: release.wait(30))
    base = await serve(receiver, "/hook")
    assert 200 == (await _post(f"{base}/hook", b"{}"))[0]
    assert not await asyncio.to_thread(lambda: asyncio.run(receiver.join(timeout=0.05)))
    assert not await asyncio.to_thread(receiver.wait, 0.05)
    release.set()
    assert await asyncio.to_thread(lambda: asyncio.run(receiver.join(timeout=30)))
    assert await asyncio.to_thread(receiver.wait, 30)
    assert await asyncio.to_thread(receiver.wait)
    with pytest.raises(RuntimeError, match=r"await receiver\.join"):
        receiver.wait()


async def test_max_pending_answers_503_beyond(serve: Serve) -> None:
    """With max_pending, a request while that many callbacks run gets 503."""
    release = asyncio.Event()

    async def stuck(event: CallCompletedEvent) -> None:
        await release.wait()

    receiver = WebhookReceiver(stuck, max_pending=1)
    base = await serve(receiver, "/hook")
    assert 200 == (await _post(f"{base}/hook", b"{}"))[0]
    assert 503 == (await _post(f"{base}/hook", b"{}"))[0]
    release.set()
    await receiver.join()
    assert 200 == (await _post(f"{base}/hook", b"{}"))[0]
    await receiver.join()


@pytest.mark.parametrize("secret", ["a/b", "tök", "with space", "a?b", "a#b", "tab\t"])
def test_a_secret_that_cannot_match_is_refused(secret: str) -> None:
    """A secret must fit one URL path segment and a header: printable ASCII, no / ? #."""
    with pytest.raises(ValueError, match="secret: use printable ASCII"):
        WebhookReceiver(print, secret=secret)


def test_the_new_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="max_pending"):
        WebhookReceiver(print, max_pending=0)
    with pytest.raises(ValueError, match="shutdown_timeout"):
        WebhookReceiver(print, shutdown_timeout=-1)


async def test_what_counts_as_an_async_callback(serve_fastapi: Serve) -> None:
    """A partial of an async def, or an object with an async __call__, runs on the loop;
    a plain function returning an awaitable has it awaited."""
    seen: list[str] = []

    async def record(tag: str, event: CallCompletedEvent) -> None:
        seen.append(tag)

    class Handler:
        async def __call__(self, event: CallCompletedEvent) -> None:
            seen.append("object")

    callbacks: list[Any] = [
        functools.partial(record, "partial"),
        Handler(),
        lambda event: record("awaitable", event),
    ]
    for callback in callbacks:
        receiver = WebhookReceiver(callback)
        base = await serve_fastapi(receiver, "/hook")
        assert 200 == (await _post(f"{base}/hook", b"{}"))[0]
        assert await receiver.join(timeout=30)
    assert ["partial", "object", "awaitable"] == seen


@pytest.mark.parametrize(("encoding", "status"), [("gzip", 400), ("deflate", 400)])
async def test_an_empty_compressed_body_under_asgi(
    serve_fastapi: Serve, encoding: str, status: int
) -> None:
    """An empty body announced as compressed is no event: 400."""
    receiver = WebhookReceiver(print)
    base = await serve_fastapi(receiver, "/hook")
    assert status == (await _post(f"{base}/hook", b"", **{"Content-Encoding": encoding}))[0]
