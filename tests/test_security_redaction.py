"""The API key in errors: every whole occurrence is ``[redacted]``, and nothing else is.

A server may echo the key in an error body (as JSON, escaped), in a header, in a
URL; aiohttp may show it in a connection error. A short key (``k``, ``x``) must
not make every error unreadable.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
from aiohttp import web

import revox_async as rx
from revox_async import AsyncRevox
from revox_async._redact import redact_error, redact_text, redact_value, shows_secret

REAL_KEYS = [
    "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    "rvx-7f3a9c2e-1b4d-4e8f-9a6b-2c1d3e4f5a6b",
    "AbC/+dE=fGh+/iJ==",  # base64, which a URL encodes
    "a.b*c+(d)[e]?{2}$^|x",  # regex metacharacters
    'sk\\live"key',  # a backslash and a double quote
    'it\'s\\"both"',  # both quotes and a backslash
]
CONNECTION_ERROR = (
    "GET http://127.0.0.1:1/api/assistants failed: ClientConnectorError: Cannot connect "
    "to host 127.0.0.1:1 ssl:default [Connect call failed ('127.0.0.1', 1)]; "
    "ConnectionKey(host='127.0.0.1', port=1, is_ssl=False, ssl=True, proxy=None, "
    "proxy_auth=None, proxy_headers_hash=None)"
)


def every_form(key: str) -> list[str]:
    """The key as a JSON string, a repr, and percent-encoded, as something may echo it."""
    return [
        key,
        json.dumps(key)[1:-1],
        json.dumps(key)[1:-1].replace("/", "\\/"),
        repr(key)[1:-1],
        repr(f"'\"{key}")[4:-1],  # a repr holding both quotes
        quote(key, safe=""),
        quote(key),
        quote_plus(key),
    ]


# -- the matcher -----------------------------------------------------------------------


@pytest.mark.parametrize("key", REAL_KEYS)
def test_a_real_key_is_redacted_in_every_form_it_may_be_echoed_in(key: str) -> None:
    """Raw, JSON-escaped, repr-escaped or percent-encoded: each reads [redacted]."""
    for form in every_form(key):
        text = f"bad key: {form}. Try again"
        assert "bad key: [redacted]. Try again" == redact_text(text, key)


@pytest.mark.parametrize("key", REAL_KEYS)
def test_a_key_inside_a_json_string_and_inside_a_url_is_redacted(key: str) -> None:
    """In a JSON document's text and in a URL's query, just the key goes."""
    document = json.dumps({"detail": f"Bearer {key} refused"})
    assert '{"detail": "Bearer [redacted] refused"}' == redact_text(document, key)
    url = f"https://api.test/auth?api_key={quote(key, safe='')}&next=1"
    assert "https://api.test/auth?api_key=[redacted]&next=1" == redact_text(url, key)


@pytest.mark.parametrize("key", ["k", "x", "test-key"])
def test_a_short_key_leaves_the_words_it_is_part_of(key: str) -> None:
    """`k`, `x`, `test-key` inside a longer token stay: a connection error reads as it was."""
    assert CONNECTION_ERROR == redact_text(CONNECTION_ERROR, key)
    assert "test-key-2 and xk" == redact_text("test-key-2 and xk", key)


@pytest.mark.parametrize("key", ["k", "test-key", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"])
def test_a_whole_occurrence_is_redacted_whatever_its_neighbours(key: str) -> None:
    """Between quotes, after '=', before ';' or at the ends: the key alone goes."""
    text = f"{key} 'x-api-key={key};' \"{key}\" ({key}) {key}"
    expected = "[redacted] 'x-api-key=[redacted];' \"[redacted]\" ([redacted]) [redacted]"
    assert expected == redact_text(text, key)


def test_shows_secret_uses_the_same_boundaries() -> None:
    """A key as a whole token is found; inside a longer word it is not."""
    assert (True, False, False) == (
        shows_secret("Bearer k", "k"),
        shows_secret("ConnectionKey(proxy=None)", ("k", "x")),
        shows_secret("anything", ()),
    )


def test_a_parsed_body_is_walked_keys_and_values() -> None:
    """Strings in keys, values and lists at any depth lose the key; numbers and None stay."""
    key = 'sk\\live"key'
    body = {"error": {"message": f"bad {key}", key: [1, None, f"{key}", ("t", key)]}, "n": 2}
    expected = {
        "error": {
            "message": "bad [redacted]",
            "[redacted]": [1, None, "[redacted]", ("t", "[redacted]")],
        },
        "n": 2,
    }
    assert expected == redact_value(body, key)


def test_a_body_without_the_key_is_returned_as_it_was() -> None:
    """Nothing found: the very same object, not a copy."""
    body = {"error": {"message": "no"}, "items": [1, "a", ("b",)]}
    assert body is redact_value(body, "sk_live_4eC39HqLyjWDarjtT1zdp7dc")
    assert body is redact_value(body, ())


def test_redact_error_covers_message_args_notes_body_and_headers() -> None:
    """Each place an error shows text is redacted; repeated headers are kept."""
    key = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
    error = rx.BadRequestError(
        f"GET u returned 400: bad {key}",
        method="GET",
        url="u",
        status_code=400,
        headers={"X-Echo": f"Bearer {key}", "X-Id": "r1"},
        body={"message": f"bad {key}"},
    )
    error.add_note(f"looked up with {key}")
    assert error is redact_error(error, key)
    assert (
        "GET u returned 400: bad [redacted]",
        ("GET u returned 400: bad [redacted]",),
        ["looked up with [redacted]"],
        {"message": "bad [redacted]"},
        ("Bearer [redacted]", "r1", "Bearer [redacted]"),
    ) == (
        error.message,
        error.args,
        error.__notes__,
        error.body,
        (error.headers["X-Echo"], error.headers["x-id"], error.headers["x-echo"]),
    )


# -- on the wire -------------------------------------------------------------------------


ECHOES: dict[str, Callable[[str], web.Response]] = {
    # how the server quotes the Authorization header it received
    "json message": lambda auth: web.json_response(
        {"message": f"bad credentials {auth}"}, status=401
    ),
    "json key and nested value": lambda auth: web.json_response(
        {"error": {"detail": [auth]}, auth: True}, status=403
    ),
    "text body": lambda auth: web.Response(text=f"<p>token {auth} refused</p>", status=401),
    "json in a text body": lambda auth: web.Response(
        text=json.dumps({"message": auth}) + " trailing", status=502
    ),
    "a url in the body": lambda auth: web.json_response(
        {"retry": f"https://api.test/retry?k={quote(auth.split(' ', 1)[1], safe='')}"},
        status=400,
    ),
}


@pytest.fixture
async def echo_server() -> AsyncIterator[tuple[str, dict[str, Any]]]:
    """A loopback server answering each path's echo of the Authorization header."""
    state: dict[str, Any] = {}

    async def handle(request: web.Request) -> web.Response:
        return ECHOES[state["echo"]](request.headers["Authorization"])

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}/api", state
    await runner.cleanup()


@pytest.mark.parametrize("echo", ECHOES)
@pytest.mark.parametrize("key", REAL_KEYS)
async def test_a_key_echoed_by_the_server_is_in_no_form_on_the_error(
    echo_server: tuple[str, dict[str, Any]], key: str, echo: str
) -> None:
    """The parsed body, its text, the message: the key shows in none of its forms."""
    base_url, state = echo_server
    state["echo"] = echo
    async with AsyncRevox(api_key=key, base_url=base_url, max_retries=0) as client:
        with pytest.raises(rx.APIStatusError) as info:
            await client.assistants.list()
    error = info.value
    shown = f"{error}\n{error!r}\n{error.body!r}\n{json.dumps(error.body)}\n{error.body}"
    assert [] == [form for form in every_form(key) if form in shown]
    assert "[redacted]" in shown


@pytest.mark.parametrize("echo", ECHOES)
@pytest.mark.parametrize("given", ["per call", "default headers"])
async def test_an_authorization_header_given_as_a_header_is_redacted_too(
    echo_server: tuple[str, dict[str, Any]], echo: str, given: str
) -> None:
    """extra_headers= or default_headers= Authorization echoed back: in no form on the error."""
    base_url, state = echo_server
    state["echo"] = echo
    key = REAL_KEYS[1]
    header = {"Authorization": f"Bearer {key}"}
    defaults = header if given == "default headers" else None
    async with AsyncRevox(
        api_key="client-key", base_url=base_url, max_retries=0, default_headers=defaults
    ) as client:
        with pytest.raises(rx.APIStatusError) as info:
            await client.assistants.list(extra_headers=header if defaults is None else None)
    error = info.value
    shown = f"{error}\n{error!r}\n{error.body!r}\n{json.dumps(error.body)}\n{error.body}"
    assert [] == [form for form in every_form(key) if form in shown]


async def test_a_short_key_keeps_a_connection_error_readable() -> None:
    """Key 'x' (in 'proxy'), key 'k' (in 'ConnectionKey'): the error says what failed."""
    for key in ("x", "k", "test-key"):
        async with AsyncRevox(api_key=key, base_url="http://127.0.0.1:1/api", max_retries=0) as c:
            with pytest.raises(rx.APIConnectionError) as info:
                await c.assistants.list()
        assert "withheld" not in str(info.value)
        assert "Connect call failed" in str(info.value)
        assert info.value.__cause__ is not None


async def test_a_refused_redirect_does_not_quote_the_key_in_its_location() -> None:
    """A POST redirected to a Location holding the key: the message names it [redacted]."""
    key = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"

    async def redirect(request: web.Request) -> web.Response:
        token = request.headers["Authorization"].split(" ", 1)[1]
        raise web.HTTPFound(f"https://elsewhere.test/login?key={token}")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", redirect)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base_url = f"http://127.0.0.1:{runner.addresses[0][1]}/api"
    try:
        async with AsyncRevox(api_key=key, base_url=base_url, max_retries=0) as client:
            with pytest.raises(rx.APIStatusError) as info:
                await client.assistants.list()
    finally:
        await runner.cleanup()
    assert key not in f"{info.value}{info.value!r}{info.value.headers}"
    assert "login?key=[redacted]" in str(info.value)


def test_no_secret_leaves_an_error_untouched() -> None:
    """No credential to look for (no Authorization header sent): the error is as it was."""
    error = rx.APIConnectionError("GET u failed: k", method="GET", url="u")
    assert (error, ("GET u failed: k",)) == (redact_error(error, ()), error.args)
