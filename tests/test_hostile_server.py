"""Hostile servers on 127.0.0.1: huge bodies, compression bombs, redirects, garbage.

Every server here is a real ``aiohttp.web`` app (or a raw asyncio socket server,
for answers aiohttp would never write) started in the test on port 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import struct
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
from aiohttp import web

import revox_async as rx
from revox_async import AsyncRevox, SyncRevox
from revox_async._exceptions import MAX_KEPT_BODY_BYTES, TRUNCATION_MARKER
from revox_async.testing import MockRevoxServer
from tests.conftest import KEY, assistant_json

LIMIT = 1024 * 1024
"""A small max_response_bytes, so that the memory bounds are cheap to check."""
CHUNK = b"x" * 65536
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Server:
    """One loopback app; ``seen`` logs each request as (method, path, raw headers)."""

    def __init__(self) -> None:
        self.app = web.Application()
        self.seen: list[tuple[str, str, list[tuple[str, str]]]] = []
        self.url = ""

    def route(self, method: str, path: str, handler: Handler) -> None:
        async def logged(request: web.Request) -> web.StreamResponse:
            headers = [(k.decode(), v.decode()) for k, v in request.raw_headers]
            self.seen.append((request.method, request.path, headers))
            return await handler(request)

        self.app.router.add_route(method, path, logged)


@contextlib.asynccontextmanager
async def serve(server: Server) -> AsyncIterator[Server]:
    runner = web.AppRunner(server.app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    server.url = f"http://{host}:{port}"
    try:
        yield server
    finally:
        await runner.cleanup()


async def stream(
    request: web.Request, chunks: Iterator[bytes], **kwargs: Any
) -> web.StreamResponse:
    """Write ``chunks`` until they run out or the client hangs up."""
    resp = web.StreamResponse(**kwargs)
    await resp.prepare(request)
    with contextlib.suppress(ConnectionError):
        for chunk in chunks:
            await resp.write(chunk)
        await resp.write_eof()
    return resp


@contextlib.contextmanager
def peak_memory() -> Iterator[list[int]]:
    """The peak of Python allocations inside the block, in bytes (``[peak]`` after it)."""
    result: list[int] = []
    tracemalloc.start()
    try:
        yield result
    finally:
        result.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()


@functools.cache
def gzip_bomb() -> bytes:
    """1 MiB of gzip that inflates to 1 GiB of zeros, built without holding 1 GiB.

    After a full flush, deflate compresses each further MiB of zeros to the same
    bytes, so one block is repeated; the trailer's CRC is computed MiB by MiB.
    """
    mib = bytes(2**20)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = deflate.compress(mib) + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(mib) + deflate.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(1024):
        crc = zlib.crc32(mib, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc, (1024 * 2**20) & 0xFFFFFFFF)
    return header + first + block * 1023 + deflate.flush() + trailer


def pieces(data: bytes, size: int = 65536) -> Iterator[bytes]:
    return (data[i : i + size] for i in range(0, len(data), size))


def client(server: Server, **kwargs: Any) -> AsyncRevox:
    kwargs.setdefault("max_retries", 0)
    return AsyncRevox(api_key=KEY, base_url=f"{server.url}/api", **kwargs)


async def warm_up(c: AsyncRevox) -> None:
    """One small request first, so that the session's own setup is not measured."""
    with pytest.raises(rx.NotFoundError):
        await c.assistants.retrieve("warm-up")


# -- response size ---------------------------------------------------------------


async def test_an_endless_chunked_body_stops_at_max_response_bytes() -> None:
    """An endless body raises ResponseTooLargeError, naming the limit; memory stays under 2×."""
    server = Server()
    # 256 MiB, practically endless: a safety stop should the client read on.
    server.route("GET", "/api/assistants", lambda r: stream(r, (CHUNK for _ in range(4096))))
    async with serve(server), client(server, max_response_bytes=LIMIT, timeout=20) as c:
        await warm_up(c)
        with peak_memory() as peak, pytest.raises(rx.ResponseTooLargeError) as info:
            await c.assistants.list()
    assert peak[0] < 2 * LIMIT, peak
    assert (LIMIT, 200) == (info.value.max_response_bytes, info.value.status_code)
    assert f"max_response_bytes={LIMIT} (1 MiB, counted decompressed)" in str(info.value)
    assert "with_options(max_response_bytes=" in str(info.value)


@pytest.mark.parametrize("status", [200, 500])
async def test_a_gzip_bomb_is_counted_decompressed(status: int) -> None:
    """1 MiB of gzip inflating to 1 GiB: a 2xx raises, an error keeps 64 KiB; memory under 2×."""
    bomb = gzip_bomb()
    server = Server()
    headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
    server.route(
        "GET",
        "/api/assistants",
        lambda r: stream(r, pieces(bomb), status=status, headers=headers),
    )
    async with serve(server), client(server, max_response_bytes=LIMIT, timeout=20) as c:
        await warm_up(c)
        with peak_memory() as peak, pytest.raises(rx.APIError) as info:
            await c.assistants.list()
    assert peak[0] < 2 * LIMIT, peak
    if status == 200:
        assert isinstance(info.value, rx.ResponseTooLargeError)
    else:
        assert isinstance(info.value, rx.InternalServerError)
        assert "\0" * MAX_KEPT_BODY_BYTES + TRUNCATION_MARKER == info.value.body


async def test_a_50_MB_error_body_is_cut_at_64_KiB_with_a_marker() -> None:
    """Only the first 64 KiB of a huge error page are read and kept, then a marker."""
    server = Server()
    server.route(
        "GET",
        "/api/assistants/a",
        lambda r: stream(r, (CHUNK for _ in range(800)), status=502),
    )
    async with serve(server), client(server) as c:
        await warm_up(c)
        with peak_memory() as peak, pytest.raises(rx.InternalServerError) as info:
            await c.assistants.retrieve("a")
    body = info.value.body
    assert "x" * MAX_KEPT_BODY_BYTES + TRUNCATION_MARKER == body
    assert "65536 bytes" in TRUNCATION_MARKER
    assert peak[0] < 2 * LIMIT, peak


async def test_a_body_up_to_the_limit_is_read_and_one_byte_more_is_not() -> None:
    """The limit is inclusive; with_options changes it per request; the client then goes on."""
    body = b'{"assistants": []}'.ljust(1000)
    server = Server()
    server.route("GET", "/api/assistants", lambda r: stream(r, iter([body[:500], body[500:]])))
    async with serve(server), client(server, max_response_bytes=1000) as c:
        assert [] == await c.assistants.list()
        with pytest.raises(rx.ResponseTooLargeError, match=r"max_response_bytes=999 \(999 bytes"):
            await c.with_options(max_response_bytes=999).assistants.list()
        assert [] == await c.assistants.list()


async def test_a_declared_length_over_the_limit_is_refused_before_the_body_comes() -> None:
    """A Content-Length beyond the limit raises at once: the body is never waited for."""

    async def declares_then_stalls(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Length": str(100 * LIMIT)})
        await resp.prepare(request)
        await asyncio.sleep(30)
        return resp

    server = Server()
    server.route("GET", "/api/assistants", declares_then_stalls)
    async with serve(server), client(server, max_response_bytes=LIMIT, timeout=10) as c:
        with pytest.raises(rx.ResponseTooLargeError):
            await c.assistants.list()


def test_sync_clients_take_max_response_bytes_too() -> None:
    """SyncRevox(max_response_bytes=...) is enforced like AsyncRevox's."""
    with MockRevoxServer(api_key=KEY) as mock:
        with SyncRevox(api_key=KEY, base_url=mock.base_url, max_response_bytes=200) as c:
            c.with_options(max_response_bytes=10_000).assistants.create(name="n", prompt="p" * 300)
            with pytest.raises(rx.ResponseTooLargeError, match="max_response_bytes=200"):
                c.assistants.list()


@pytest.mark.parametrize(("value", "error"), [(0, ValueError), ("1", TypeError), (True, TypeError)])
def test_max_response_bytes_must_be_a_positive_integer(value: Any, error: type[Exception]) -> None:
    """Nonsense limits fail at construction and in with_options, naming the option."""
    with pytest.raises(error, match="max_response_bytes"):
        AsyncRevox(api_key=KEY, max_response_bytes=value)
    with pytest.raises(error, match="max_response_bytes"):
        AsyncRevox(api_key=KEY).with_options(max_response_bytes=value)


# -- redirects -------------------------------------------------------------------


def redirect(status: int, location: Callable[[], str]) -> Handler:
    """Answer ``status`` with ``Location: location()`` (known once the servers run)."""

    async def handler(request: web.Request) -> web.StreamResponse:
        return web.Response(status=status, headers={"Location": location()})

    return handler


def assistants(request: web.Request) -> Awaitable[web.StreamResponse]:
    return stream(request, iter([b'{"assistants": []}']))


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("relative", [True, False])
async def test_a_get_follows_a_redirect_within_its_origin(
    status: int, relative: bool, caplog: pytest.LogCaptureFixture
) -> None:
    """GET /api/assistants → /api/v2/assistants on the same host and port is followed, and logged."""
    server = Server()
    path = "/api/v2/assistants"
    server.route(
        "GET", "/api/assistants", redirect(status, lambda: server.url * (not relative) + path)
    )
    server.route("GET", "/api/v2/assistants", assistants)
    caplog.set_level(logging.DEBUG, logger="revox_async")
    async with serve(server), client(server) as c:
        assert [] == await c.assistants.list()
    assert ["/api/assistants", "/api/v2/assistants"] == [path for _, path, _ in server.seen]
    assert ("Authorization", f"Bearer {KEY}") in server.seen[1][2]
    expected = (
        f"GET {server.url}/api/assistants -> {status}, following redirect 1 to {server.url}{path}"
    )
    assert expected == caplog.records[0].getMessage()


async def test_a_get_redirected_to_another_origin_is_refused() -> None:
    """The other origin (same host, another port) receives nothing; the message names it."""
    server, elsewhere = Server(), Server()
    elsewhere.route("GET", "/{tail:.*}", assistants)
    server.route("GET", "/api/assistants", redirect(302, lambda: f"{elsewhere.url}/api/assistants"))
    async with serve(server), serve(elsewhere), client(server, max_retries=2) as c:
        with pytest.raises(rx.APIStatusError) as info:
            await c.assistants.list()
    location = f"{elsewhere.url}/api/assistants"
    assert [] == elsewhere.seen
    assert 1 == len(server.seen)
    assert type(info.value) is rx.APIStatusError
    assert (302, None) == (info.value.status_code, info.value.body)
    assert repr(location) in str(info.value)
    assert "another origin" in str(info.value)
    assert "base_url" in str(info.value)


@pytest.mark.parametrize(
    ("status", "method"),
    [
        (status, method)
        for status in (301, 302, 303, 307, 308)
        for method in ("POST", "PATCH", "DELETE")
        if (status, method) not in ((302, "POST"), (303, "POST"))  # looked for (below)
    ],
)
@pytest.mark.parametrize("same_origin", [True, False])
async def test_writes_never_follow_a_redirect(status: int, method: str, same_origin: bool) -> None:
    """POST, PATCH and DELETE are not re-sent anywhere: APIStatusError naming the Location."""
    server, elsewhere = Server(), Server()
    elsewhere.route("*", "/{tail:.*}", assistants)
    target = server if same_origin else elsewhere
    server.route("*", "/api/{tail:.*}", redirect(status, lambda: f"{target.url}/api/v2/a"))
    async with serve(server), serve(elsewhere):
        location = f"{target.url}/api/v2/a"
        async with client(server, max_retries=2) as c:
            call = {
                "POST": lambda: c.assistants.create(name="n", prompt="p"),
                "PATCH": lambda: c.assistants.update("a", name="n"),
                "DELETE": lambda: c.assistants.delete("a"),
            }[method]
            with pytest.raises(rx.APIStatusError) as info:
                await call()
    assert [method] == [m for m, _, _ in server.seen]
    assert [] == elsewhere.seen
    assert status == info.value.status_code
    assert repr(location) in str(info.value)
    assert f"only GET requests follow redirects, so the {method} was not re-sent" in str(info.value)


@pytest.mark.parametrize("status", [302, 303])
@pytest.mark.parametrize("kind", ["assistant", "call"])
async def test_a_create_answered_302_or_303_is_found_not_sent_again(
    revox_mock: MockRevoxServer, kind: str, status: int
) -> None:
    """A 303 See Other answers a write the server carried out, and so does a web
    framework's 302 after a POST: the create is looked for and returned, not refused (a
    batch would offer it for a plain retry) nor sent again."""
    async with AsyncRevox(
        api_key=revox_mock.api_key, base_url=revox_mock.base_url, outcome_window=0
    ) as c:
        assistant = await c.assistants.create(name="n", prompt="p")
        revox_mock.fail_next("commit_then_fail", status=status)
        if kind == "assistant":
            made: Any = await c.assistants.create(name="m", prompt="p")
            listed = [a.id for a in await c.assistants.list() if a.name == "m"]
        else:
            made = await c.calls.create(phone_number="+33612345678", assistant_id=assistant.id)
            listed = [call.id for call in (await c.calls.search_page()).calls]
    posts = [r for r in revox_mock.requests if r.method == "POST" and r.status == status]
    assert ([made.id], 1) == (listed, len(posts))


async def test_a_redirect_loop_stops_after_three_hops() -> None:
    """/a → /b → /a …: three redirects are followed, the fourth raises."""
    server = Server()
    server.route("GET", "/api/assistants", redirect(302, lambda: "/api/elsewhere"))
    server.route("GET", "/api/elsewhere", redirect(302, lambda: "/api/assistants"))
    async with serve(server), client(server, max_retries=3) as c:
        with pytest.raises(rx.APIStatusError, match="at most 3 redirects") as info:
            await c.assistants.list()
    assert 4 == len(server.seen)
    assert "redirecting to '/api/assistants'" in str(info.value)


@pytest.mark.parametrize(
    ("status", "headers"),
    [(302, {}), (304, {}), (300, {"Location": "/api/assistants"})],
)
async def test_other_3xx_raise_an_api_status_error(status: int, headers: dict[str, str]) -> None:
    """A 3xx without a Location, or not a redirect, is an error, not a result."""

    async def answer(request: web.Request) -> web.StreamResponse:
        return web.Response(status=status, headers=headers)

    server = Server()
    server.route("GET", "/api/assistants", answer)
    async with serve(server), client(server) as c:
        with pytest.raises(rx.APIStatusError, match="not a redirect the SDK can follow") as info:
            await c.assistants.list()
    assert status == info.value.status_code


async def test_the_hops_of_an_attempt_share_its_timeout() -> None:
    """Two hops of 0.6 s each, under a 1 s timeout: the attempt times out."""

    def slow(handler: Handler) -> Handler:
        async def answer(request: web.Request) -> web.StreamResponse:
            await asyncio.sleep(0.6)
            return await handler(request)

        return answer

    server = Server()
    server.route("GET", "/api/assistants", slow(redirect(307, lambda: "/api/slow")))
    server.route("GET", "/api/slow", slow(assistants))
    async with serve(server), client(server, timeout=1) as c:
        with pytest.raises(rx.APITimeoutError):
            await c.assistants.list()


# -- headers ---------------------------------------------------------------------


def named(headers: list[tuple[str, str]], name: str) -> list[str]:
    return [value for key, value in headers if key.lower() == name.lower()]


async def echo_created(request: web.Request) -> web.StreamResponse:
    return web.json_response({"assistant": assistant_json()})


@pytest.mark.parametrize("spelling", ["idempotency-key", "IDEMPOTENCY-KEY", "Idempotency-Key"])
async def test_an_idempotency_key_in_default_headers_is_used_in_any_case(spelling: str) -> None:
    """default_headers={"idempotency-key": "fixed"} is sent as is, once."""
    server = Server()
    server.route("POST", "/api/assistants", echo_created)
    async with serve(server), client(server, default_headers={spelling: "fixed"}) as c:
        await c.assistants.create(name="n", prompt="p")
        await c.assistants.create(name="n", prompt="p", idempotency_key="mine")
    assert [["fixed"], ["mine"]] == [named(h, "Idempotency-Key") for _, _, h in server.seen]


async def test_user_headers_replace_the_sdks_whatever_their_case() -> None:
    """No header is sent twice in two cases: Authorization, Content-Type, with_options' too."""
    server = Server()
    server.route("POST", "/api/assistants", echo_created)
    defaults = {"authorization": "Bearer other", "content-type": "text/plain", "X-Trace": "a"}
    async with serve(server), client(server, default_headers=defaults) as c:
        await c.with_options(headers={"x-trace": "b"}).assistants.create(name="n", prompt="p")
    ((_, _, headers),) = server.seen
    assert ["Bearer other"] == named(headers, "Authorization")
    assert ["application/json"] == named(headers, "Content-Type")
    assert ["b"] == named(headers, "X-Trace")


# -- the key never shows -----------------------------------------------------------


async def raw_server(answer: Callable[[bytes], bytes]) -> tuple[asyncio.Server, str]:
    """A socket server that reads one request's head and writes ``answer(head)`` back."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            head = await reader.readuntil(b"\r\n\r\n")
            writer.write(answer(head))
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    host, port = server.sockets[0].getsockname()[:2]
    return server, f"http://{host}:{port}/api"


def authorization(head: bytes) -> bytes:
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"authorization:"):
            return line.partition(b":")[2].strip()
    return b""


HOSTILE_ANSWERS: dict[str, tuple[Callable[[bytes], bytes], bool]] = {
    # name: (what the server writes back, whether aiohttp's error stays the cause)
    "bad status line": (lambda head: b"HTTP/1.1 abc Nope\r\n\r\n", True),
    "bad header line": (lambda head: b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", True),
    "key echoed in a bad header": (
        lambda head: b"HTTP/1.1 200 OK\r\nX-Echo " + authorization(head) + b"\r\n\r\n",
        False,
    ),
    "key echoed in a bad status": (
        lambda head: b"HTTP/1.1 " + authorization(head) + b"\r\n\r\n",
        False,
    ),
    "truncated body": (
        lambda head: b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{}",
        True,
    ),
    "broken gzip": (
        lambda head: b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\nnope",
        True,
    ),
    "no answer": (lambda head: b"", True),
}


def chain(exc: BaseException | None) -> list[BaseException]:
    links: list[BaseException] = []
    while exc is not None and exc not in links:
        links.append(exc)
        exc = exc.__cause__ or exc.__context__
    return links


@pytest.mark.parametrize(("answer", "kept"), HOSTILE_ANSWERS.values(), ids=HOSTILE_ANSWERS.keys())
async def test_the_key_is_nowhere_in_the_exception_or_its_causes(
    answer: Callable[[bytes], bytes], kept: bool
) -> None:
    """Nowhere in the chain's str or repr; aiohttp's error is chained redacted, or left out
    if it echoes the key (its message kept, the key in it [redacted])."""
    server, base_url = await raw_server(answer)
    async with server:
        async with AsyncRevox(api_key=KEY, base_url=base_url, max_retries=0) as c:
            with pytest.raises(rx.APIConnectionError) as info:
                await c.assistants.list()
    exc = info.value
    links = chain(exc)
    assert (kept, not kept) == (len(links) > 1, "[redacted]" in str(exc))
    for link in [*links, exc.__cause__, exc.__context__]:
        assert KEY not in str(link)
        assert KEY not in repr(link)
        assert KEY not in repr(getattr(link, "request_info", None))
        assert KEY not in repr(getattr(link, "args", None))


async def test_a_redacted_cause_is_still_chained_for_debugging() -> None:
    """aiohttp's error stays the __cause__, its request headers redacted."""
    server, base_url = await raw_server(HOSTILE_ANSWERS["bad status line"][0])
    async with server:
        async with AsyncRevox(api_key=KEY, base_url=base_url, max_retries=0) as c:
            with pytest.raises(rx.APIConnectionError, match="Bad status line") as info:
                await c.assistants.list()
    cause: Any = info.value.__cause__
    assert "ClientResponseError" == type(cause).__name__
    assert ["<redacted>"] == cause.request_info.headers.getall("Authorization")


# -- logging ---------------------------------------------------------------------


async def test_every_attempt_is_logged_at_debug(
    caplog: pytest.LogCaptureFixture, sleeps: list[float]
) -> None:
    """A 500 then a 200: two lines with method, URL, status, attempt and time; no key."""
    statuses = iter([500, 200, 200])

    async def flaky(request: web.Request) -> web.StreamResponse:
        return web.json_response({"assistants": []}, status=next(statuses))

    server = Server()
    server.route("GET", "/api/assistants", flaky)
    caplog.set_level(logging.DEBUG, logger="revox_async")
    async with serve(server), client(server, max_retries=1) as c:
        await c.assistants.list()
        with pytest.raises(rx.ResponseTooLargeError):
            await c.with_options(max_response_bytes=1).assistants.list()
    url = f"{server.url}/api/assistants"
    attempts = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG]
    assert [
        f"GET {url} -> 500 (attempt 1) in ",
        f"GET {url} -> 200 (attempt 2) in ",
        f"GET {url} -> ResponseTooLargeError (attempt 1) in ",
    ] == [line[: line.rindex(" in ") + 4] for line in attempts]
    assert all(line.endswith(" ms") for line in attempts)
    assert KEY not in caplog.text


async def test_failed_connections_are_logged_with_their_class(
    caplog: pytest.LogCaptureFixture, sleeps: list[float]
) -> None:
    """An attempt that got no answer is logged with the exception's class name."""
    caplog.set_level(logging.DEBUG, logger="revox_async")
    async with AsyncRevox(api_key=KEY, base_url="http://127.0.0.1:9/api", max_retries=1) as c:
        with pytest.raises(rx.APIConnectionError):
            await c.assistants.list()
    attempts = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG]
    assert 2 == len(attempts)
    assert "-> APIConnectionError (attempt 2) in" in attempts[1]
