"""Ids on the wire: whatever an id holds, it reaches the server as one encoded segment.

Checked on a real loopback ``aiohttp.web`` server, by the request target it
received (``raw_path``), not by the URL string the client built: yarl, parsing
a string, decodes ``%3B`` and ``%3D`` back, and ``..;`` is ``..`` to a
Tomcat/Spring-style server.
"""

from __future__ import annotations

import string
from collections.abc import AsyncIterator
from urllib.parse import quote, unquote

import pytest
from aiohttp import web

import revox_async as rx
from revox_async import AsyncRevox
from revox_async._transport import wire_url

HOSTILE_IDS = {
    # id: its one segment on the wire
    "..;": "..%3B",
    "a;b=c": "a%3Bb%3Dc",
    "..;/..;/admin": "..%3B%2F..%3B%2Fadmin",
    "a/b": "a%2Fb",
    "%2e%2e": "%252e%252e",
    "%3B%3D%2F%3F%23%25%2E": "%253B%253D%252F%253F%2523%2525%252E",
    "é ✓": "%C3%A9%20%E2%9C%93",
    "?x=1": "%3Fx%3D1",
    "#top": "%23top",
    "!$&'()*+,:@": "%21%24%26%27%28%29%2A%2B%2C%3A%40",
    "..\\": "..%5C",
}


@pytest.fixture
async def wire() -> AsyncIterator[tuple[str, list[str]]]:
    """A loopback server answering 404, recording each request's raw target."""
    seen: list[str] = []

    async def record(request: web.Request) -> web.Response:
        seen.append(f"{request.method} {request.raw_path}")
        return web.json_response({"message": "no"}, status=404)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", record)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}/api", seen
    await runner.cleanup()


@pytest.mark.parametrize(("call_id", "segment"), HOSTILE_IDS.items(), ids=HOSTILE_IDS.keys())
async def test_a_hostile_id_reaches_the_wire_as_one_encoded_segment(
    wire: tuple[str, list[str]], call_id: str, segment: str
) -> None:
    """`;`, `=`, `/`, `?`, `#`, `%`, unicode: percent-encoded, exactly as built, in one segment."""
    base_url, seen = wire
    async with AsyncRevox(api_key="k", base_url=base_url, max_retries=0) as client:
        with pytest.raises(rx.NotFoundError):
            await client.calls.retrieve(call_id)
        with pytest.raises(rx.NotFoundError):
            await client.campaigns.cancel(call_id)
    assert [f"GET /api/call/{segment}", f"POST /api/campaigns/{segment}/cancel"] == seen


async def test_every_printable_character_in_an_id_arrives_as_sent(
    wire: tuple[str, list[str]],
) -> None:
    """Each printable ASCII character, alone in an id, is the segment quote() makes of it."""
    base_url, seen = wire
    ids = [c + "x" for c in string.printable if c.isprintable()]
    async with AsyncRevox(api_key="k", base_url=base_url, max_retries=0) as client:
        for assistant_id in ids:
            with pytest.raises(rx.NotFoundError):
                await client.assistants.retrieve(assistant_id)
    expected = [f"GET /api/assistants/{quote(i, safe='')}" for i in ids]
    assert expected == seen
    assert ids == [unquote(line.rpartition("/")[2]) for line in seen]


async def test_a_query_value_stays_encoded_on_the_wire(wire: tuple[str, list[str]]) -> None:
    """voices.retrieve's provider, with `;`, `=` and `&`, stays one encoded query value."""
    base_url, seen = wire
    async with AsyncRevox(api_key="k", base_url=base_url, max_retries=0) as client:
        with pytest.raises(rx.NotFoundError):
            await client.voices.retrieve("..;", provider="a;b=c&d")  # type: ignore[arg-type]
    assert ["GET /api/voices/..%3B?provider=a%3Bb%3Dc%26d"] == seen


@pytest.mark.parametrize("assistant_id", ["", ".", ".."])
async def test_ids_no_encoding_keeps_one_segment_are_still_refused(
    wire: tuple[str, list[str]], assistant_id: str
) -> None:
    """'', '.' and '..' raise ValueError naming the parameter; nothing is sent."""
    base_url, seen = wire
    async with AsyncRevox(api_key="k", base_url=base_url) as client:
        with pytest.raises(ValueError, match="assistant_id"):
            await client.assistants.retrieve(assistant_id)
    assert [] == seen


def test_a_base_url_with_characters_no_url_may_hold_is_encoded_once() -> None:
    """A non-ASCII host becomes IDNA and a non-ASCII path is percent-encoded; escapes stay."""
    url = wire_url("http://bücher.test:8080/äpi/assistants/..%3B?provider=a%3D")
    assert ("xn--bcher-kva.test", 8080) == (url.raw_host, url.port)
    assert "/%C3%A4pi/assistants/..%3B?provider=a%3D" == url.raw_path_qs


def test_a_percent_that_starts_no_escape_is_encoded() -> None:
    """A base_url path's lone '%' becomes %25; the escapes after it stay as they are."""
    assert "/a%25zz/b%3B%25" == wire_url("http://127.0.0.1:1/a%zz/b%3B%").raw_path


def test_a_plain_url_is_taken_as_encoded() -> None:
    """An ASCII URL is sent byte for byte: no escape is decoded, no dot segment folded."""
    url = wire_url("http://127.0.0.1:1/api/a%3Bb%3Dc/%2E%2E")
    assert "/api/a%3Bb%3Dc/%2E%2E" == url.raw_path
