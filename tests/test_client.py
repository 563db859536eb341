"""AsyncRevox against mocked HTTP (aioresponses): endpoints, errors, retries."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from aioresponses import aioresponses
from yarl import URL

import revox_async as rx
from revox_async import AsyncRevox
from tests.conftest import BASE, KEY, assistant_json


def sent(mocked: aioresponses, method: str, url: str) -> list[Any]:
    return mocked.requests[(method, URL(url))]


def body_of(call: Any) -> Any:
    return json.loads(call.kwargs["data"])


def headers_of(call: Any) -> Any:
    return call.kwargs["headers"]


# -- endpoints ----------------------------------------------------------------


async def test_create_posts_the_params_and_unwraps_the_envelope(
    client: AsyncRevox, mocked: aioresponses
) -> None:
    """create() sends only what was given and returns the Assistant inside {"assistant": …}."""
    mocked.post(f"{BASE}/assistants", status=201, payload={"assistant": assistant_json()})
    assistant = await client.assistants.create(
        name="Front desk",
        prompt="You book appointments.",
        voice={"id": "v1", "provider": "cartesia"},
    )
    assert "asst_1" == assistant.id
    assert rx.Voice(id="v1", provider="cartesia", speed=1.0) == assistant.voice
    (call,) = sent(mocked, "POST", f"{BASE}/assistants")
    assert {
        "name": "Front desk",
        "prompt": "You book appointments.",
        "voice": {"id": "v1", "provider": "cartesia"},
    } == body_of(call)
    headers = headers_of(call)
    assert f"Bearer {KEY}" == headers["Authorization"]
    assert "application/json" == headers["Content-Type"]
    assert headers["User-Agent"].startswith("revox-async/")


async def test_retrieve_gets_the_unwrapped_assistant(
    client: AsyncRevox, mocked: aioresponses
) -> None:
    """retrieve() reads a bare Assistant."""
    mocked.get(f"{BASE}/assistants/asst_1", payload=assistant_json(name="Desk"))
    assert "Desk" == (await client.assistants.retrieve("asst_1")).name


async def test_update_sends_null_for_none_and_nothing_for_the_rest(
    client: AsyncRevox, mocked: aioresponses
) -> None:
    """A None is sent as null; fields not given (or NOT_GIVEN) are left out."""
    mocked.patch(f"{BASE}/assistants/asst_1", payload={"assistant": assistant_json()})
    await client.assistants.update(
        "asst_1", name="Night desk", voicemail_message=None, webhook_url=rx.NOT_GIVEN
    )
    (call,) = sent(mocked, "PATCH", f"{BASE}/assistants/asst_1")
    assert {"name": "Night desk", "voicemail_message": None} == body_of(call)
    assert "Idempotency-Key" not in headers_of(call)


async def test_list_returns_assistants(client: AsyncRevox, mocked: aioresponses) -> None:
    """list() unwraps {"assistants": [...]}."""
    mocked.get(
        f"{BASE}/assistants",
        payload={"assistants": [assistant_json(id="a"), assistant_json(id="b")]},
    )
    assert ["a", "b"] == [a.id for a in await client.assistants.list()]


async def test_delete_returns_the_success_flag(client: AsyncRevox, mocked: aioresponses) -> None:
    """delete() answers True when the server confirms."""
    mocked.delete(f"{BASE}/assistants/asst_1", payload={"success": True})
    assert await client.assistants.delete("asst_1") is True


async def test_ids_are_one_encoded_path_segment(client: AsyncRevox, mocked: aioresponses) -> None:
    """A '/' or '?' inside an id cannot change the path or the query."""
    wire = URL(f"{BASE}/assistants/a%2F..%2Fb%3Fx%3D1", encoded=True)  # as sent
    mocked.get(wire, payload=assistant_json())
    await client.assistants.retrieve("a/../b?x=1")
    (url,) = [key[1] for key in mocked.requests]
    assert ("/", "api", "assistants", "a/../b?x=1") == url.parts
    assert "" == url.query_string


async def test_an_empty_id_is_refused_before_sending(client: AsyncRevox) -> None:
    """An empty id would hit the list endpoint: ValueError instead."""
    with pytest.raises(ValueError, match="assistant_id"):
        await client.assistants.retrieve("")


async def test_a_model_given_for_an_id_is_refused_naming_the_id(
    client: AsyncRevox, mocked: aioresponses
) -> None:
    """An assistant where its id belongs (models are unhashable): TypeError saying to pass
    its .id, not the path cache's "unhashable type"."""
    mocked.post(f"{BASE}/assistants", payload={"assistant": assistant_json()})
    assistant = await client.assistants.create(name="n", prompt="p")
    expected = "assistant_id: expected a string, got Assistant (pass its .id)"
    with pytest.raises(TypeError) as info:
        await client.assistants.retrieve(assistant)  # type: ignore[arg-type]
    assert expected == str(info.value)


async def test_the_api_prefix_of_the_base_url_is_kept(mocked: aioresponses) -> None:
    """The base URL's /api path survives (yarl's join would drop it)."""
    mocked.get("https://h.test/prefix/api/assistants", payload={"assistants": []})
    async with AsyncRevox(api_key=KEY, base_url="https://h.test/prefix/api/") as c:
        assert [] == await c.assistants.list()


async def test_extra_body_sends_fields_the_sdk_does_not_know(
    client: AsyncRevox, mocked: aioresponses
) -> None:
    """extra_body reaches the wire as top-level fields."""
    mocked.post(f"{BASE}/assistants", payload={"assistant": assistant_json()})
    await client.assistants.create(name="n", prompt="p", extra_body={"stt_model": "stt-rt-v5"})
    (call,) = sent(mocked, "POST", f"{BASE}/assistants")
    assert {"name": "n", "prompt": "p", "stt_model": "stt-rt-v5"} == body_of(call)


async def test_invalid_params_send_nothing(client: AsyncRevox, mocked: aioresponses) -> None:
    """A bad nested field raises TypeError naming it, and no request goes out."""
    with pytest.raises(TypeError, match=r"voice\.id: required field missing"):
        await client.assistants.create(name="n", prompt="p", voice={"provider": "cartesia"})
    with pytest.raises(TypeError, match="unknown parameter 'nmae'"):
        await client.assistants.create(name="n", prompt="p", nmae="x")  # type: ignore[call-arg]
    assert {} == mocked.requests


# -- errors -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, rx.BadRequestError),
        (401, rx.AuthenticationError),
        (403, rx.PermissionDeniedError),
        (404, rx.NotFoundError),
        (409, rx.ConflictError),
        (422, rx.UnprocessableEntityError),
        (429, rx.RateLimitError),
        (500, rx.InternalServerError),
        (503, rx.InternalServerError),
        (418, rx.APIStatusError),
    ],
)
async def test_each_status_maps_to_its_exception(
    mocked: aioresponses, status: int, error: type[rx.APIStatusError]
) -> None:
    """A 4xx/5xx raises the matching APIStatusError subclass, with what it knows."""
    mocked.get(
        f"{BASE}/assistants/x",
        status=status,
        payload={"message": "nope"},
        headers={"X-Request-Id": "r1"},
    )
    async with AsyncRevox(api_key=KEY, base_url=BASE, max_retries=0) as c:
        with pytest.raises(error) as info:
            await c.assistants.retrieve("x")
    exc = info.value
    assert type(exc) is error
    assert (status, {"message": "nope"}, "GET") == (exc.status_code, exc.body, exc.method)
    assert f"{BASE}/assistants/x" == exc.url
    assert "r1" == exc.headers["X-Request-Id"]
    assert "nope" in str(exc)


async def test_an_html_error_page_is_kept_as_text(mocked: aioresponses) -> None:
    """A proxy's HTML answer lands in .body as text."""
    mocked.get(
        f"{BASE}/assistants", status=502, body="<html>Bad gateway</html>", content_type="text/html"
    )
    async with AsyncRevox(api_key=KEY, base_url=BASE, max_retries=0) as c:
        with pytest.raises(rx.InternalServerError) as info:
            await c.assistants.list()
    assert "<html>Bad gateway</html>" == info.value.body


@pytest.mark.parametrize(
    "payload",
    [{"nope": 1}, {"assistant": "x"}, ["not", "an", "object"]],
)
async def test_a_2xx_of_the_wrong_shape_is_a_validation_error(
    client: AsyncRevox, mocked: aioresponses, payload: Any
) -> None:
    """A body that is not the promised Assistant raises APIResponseValidationError."""
    mocked.post(f"{BASE}/assistants", payload=payload)
    with pytest.raises(rx.APIResponseValidationError):
        await client.assistants.create(name="n", prompt="p")


async def test_a_2xx_that_is_not_json_is_a_validation_error(
    client: AsyncRevox, mocked: aioresponses
) -> None:
    """Non-JSON 2xx bodies raise APIResponseValidationError carrying the text."""
    mocked.get(f"{BASE}/assistants", body="<html>hi</html>", content_type="text/html")
    with pytest.raises(rx.APIResponseValidationError) as info:
        await client.assistants.list()
    assert "<html>hi</html>" == info.value.body


@pytest.mark.parametrize(
    ("payload", "method", "path"),
    [
        ({"assistants": "x"}, "get", "/assistants"),
        ({"success": "yes"}, "delete", "/assistants/a"),
    ],
)
async def test_list_and_delete_check_their_shapes(
    client: AsyncRevox, mocked: aioresponses, payload: Any, method: str, path: str
) -> None:
    """list() and delete() refuse bodies that are not what the API promises."""
    getattr(mocked, method)(f"{BASE}{path}", payload=payload)
    call = client.assistants.list() if method == "get" else client.assistants.delete("a")
    with pytest.raises(rx.APIResponseValidationError):
        await call


async def test_connection_errors_are_translated(sleeps: list[float]) -> None:
    """aiohttp's errors never reach the caller: APIConnectionError, from the original."""
    async with AsyncRevox(api_key=KEY, base_url="http://127.0.0.1:9/api", max_retries=1) as c:
        c._sleep = sleeps
        with pytest.raises(rx.APIConnectionError) as info:
            await c.assistants.list()
    assert info.value.__cause__ is not None
    assert 1 == len(sleeps)


# -- retries ------------------------------------------------------------------


async def test_retryable_statuses_are_retried_with_growing_backoff(
    mocked: aioresponses, sleeps: list[float]
) -> None:
    """500, 408, 409 are retried; the waits grow (0.5 s, 1 s, 2 s, with ≤25 % jitter)."""
    url = f"{BASE}/assistants"
    mocked.get(url, status=500)
    mocked.get(url, status=408)
    mocked.get(url, status=409)
    mocked.get(url, payload={"assistants": []})
    async with AsyncRevox(api_key=KEY, base_url=BASE, max_retries=3) as c:
        c._sleep = sleeps
        assert [] == await c.assistants.list()
    assert 3 == len(sleeps)
    for delay, base in zip(sleeps, (0.5, 1.0, 2.0), strict=True):
        assert base * 0.75 <= delay <= base


async def test_retries_stop_at_max_retries(mocked: aioresponses, sleeps: list[float]) -> None:
    """After max_retries the last error is raised."""
    url = f"{BASE}/assistants"
    for _ in range(3):
        mocked.get(url, status=503)
    async with AsyncRevox(api_key=KEY, base_url=BASE, max_retries=2) as c:
        c._sleep = sleeps
        with pytest.raises(rx.InternalServerError):
            await c.assistants.list()
    assert 2 == len(sleeps)
    assert 3 == len(mocked.requests[("GET", URL(url))])


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
async def test_other_4xx_are_never_retried(
    mocked: aioresponses, sleeps: list[float], status: int
) -> None:
    """A client error is final."""
    mocked.get(f"{BASE}/assistants", status=status)
    async with AsyncRevox(api_key=KEY, base_url=BASE, max_retries=5) as c:
        c._sleep = sleeps
        with pytest.raises(rx.APIStatusError):
            await c.assistants.list()
    assert [] == sleeps


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "3"}, 3.0),
        ({"Retry-After": "0.25"}, 0.25),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "20", "Retry-After": "9"}, 0.02),
    ],
)
async def test_retry_after_is_honoured(
    mocked: aioresponses, sleeps: list[float], headers: dict[str, str], expected: float
) -> None:
    """The server's wait replaces the backoff."""
    url = f"{BASE}/assistants"
    mocked.get(url, status=429, headers=headers)
    mocked.get(url, payload={"assistants": []})
    async with AsyncRevox(api_key=KEY, base_url=BASE) as c:
        c._sleep = sleeps
        await c.assistants.list()
    assert [expected] == sleeps


async def test_retry_after_as_an_http_date(mocked: aioresponses, sleeps: list[float]) -> None:
    """An HTTP-date Retry-After waits until then."""
    from email.utils import formatdate
    from time import time

    url = f"{BASE}/assistants"
    mocked.get(url, status=503, headers={"Retry-After": formatdate(time() + 30, usegmt=True)})
    mocked.get(url, payload={"assistants": []})
    async with AsyncRevox(api_key=KEY, base_url=BASE) as c:
        c._sleep = sleeps
        await c.assistants.list()
    (delay,) = sleeps
    assert 28 <= delay <= 30


async def test_a_wait_beyond_the_cap_raises_at_once(
    mocked: aioresponses, sleeps: list[float]
) -> None:
    """Asked to wait 120 s, the client raises RateLimitError with .retry_after instead."""
    mocked.get(f"{BASE}/assistants", status=429, headers={"Retry-After": "120"})
    async with AsyncRevox(api_key=KEY, base_url=BASE, max_retries=5) as c:
        c._sleep = sleeps
        with pytest.raises(rx.RateLimitError) as info:
            await c.assistants.list()
    assert 120.0 == info.value.retry_after
    assert [] == sleeps


async def test_the_idempotency_key_is_stable_across_retries(
    mocked: aioresponses, sleeps: list[float]
) -> None:
    """One create, retried twice, sends one key three times; the next create gets a new one."""
    url = f"{BASE}/assistants"
    mocked.post(url, status=500)
    mocked.post(url, status=502)
    mocked.post(url, payload={"assistant": assistant_json()})
    mocked.post(url, payload={"assistant": assistant_json()})
    mocked.get(url, payload={"assistants": []}, repeat=True)  # checks before re-sending
    async with AsyncRevox(api_key=KEY, base_url=BASE) as c:
        c._sleep = sleeps
        await c.assistants.create(name="n", prompt="p")
        await c.assistants.create(name="n", prompt="p")
    keys = [headers_of(call)["Idempotency-Key"] for call in sent(mocked, "POST", url)]
    assert 4 == len(keys)
    assert keys[0] == keys[1] == keys[2] != keys[3]


async def test_a_chosen_idempotency_key_is_sent(client: AsyncRevox, mocked: aioresponses) -> None:
    """create(idempotency_key=...) uses the caller's key."""
    mocked.post(f"{BASE}/assistants", payload={"assistant": assistant_json()})
    await client.assistants.create(name="n", prompt="p", idempotency_key="order-42")
    (call,) = sent(mocked, "POST", f"{BASE}/assistants")
    assert "order-42" == headers_of(call)["Idempotency-Key"]


@pytest.mark.parametrize(
    ("key", "error"), [("a\r\nX-Evil: 1", ValueError), ("", ValueError), (5, TypeError)]
)
async def test_a_bad_idempotency_key_is_refused_before_sending(
    client: AsyncRevox, mocked: aioresponses, key: Any, error: type[Exception]
) -> None:
    """A key that would inject a header (or is empty) never reaches the wire."""
    with pytest.raises(error, match=r"(?i)idempotency.key"):
        await client.assistants.create(name="n", prompt="p", idempotency_key=key)
    assert {} == mocked.requests


# -- options, raw responses, secrets --------------------------------------------


async def test_with_options_overrides_per_request(
    mocked: aioresponses, sleeps: list[float]
) -> None:
    """with_options changes retries and headers for the derived client only."""
    url = f"{BASE}/assistants"
    mocked.get(url, status=500)
    mocked.get(url, status=500)
    mocked.get(url, payload={"assistants": []})
    async with AsyncRevox(api_key=KEY, base_url=BASE, max_retries=5) as c:
        c._sleep = sleeps
        strict = c.with_options(max_retries=0, headers={"X-Trace": "t1"}, timeout=5)
        assert (0, 5.0) == (strict.max_retries, strict.timeout)
        assert (5, 60.0) == (c.max_retries, c.timeout)
        with pytest.raises(rx.InternalServerError):
            await strict.assistants.list()
        await c.assistants.list()
        await strict.close()  # a derived client does not close the shared pool
        assert not c.is_closed
    calls = sent(mocked, "GET", url)
    assert "t1" == headers_of(calls[0])["X-Trace"]
    assert "X-Trace" not in headers_of(calls[1])


async def test_raw_responses_carry_status_and_headers(
    client: AsyncRevox, mocked: aioresponses
) -> None:
    """with_raw_response gives status, headers and the parsed model together."""
    mocked.post(
        f"{BASE}/assistants",
        status=201,
        payload={"assistant": assistant_json()},
        headers={"X-Request-Id": "req_9"},
    )
    raw = await client.assistants.with_raw_response.create(name="n", prompt="p")
    assert (201, "req_9", "asst_1") == (raw.status_code, raw.headers["X-Request-Id"], raw.parsed.id)
    assert ("POST", 0) == (raw.method, raw.retries)


async def test_the_api_key_never_shows(
    mocked: aioresponses, caplog: pytest.LogCaptureFixture, sleeps: list[float]
) -> None:
    """Not in repr, not in exception text, not in logs."""
    mocked.get(f"{BASE}/assistants", status=500, payload={"message": "boom"})
    mocked.get(f"{BASE}/assistants", status=401, payload={"message": "bad key"})
    caplog.set_level(logging.DEBUG, logger="revox_async")
    async with AsyncRevox(api_key=KEY, base_url=BASE) as c:
        c._sleep = sleeps
        with pytest.raises(rx.AuthenticationError) as info:
            await c.assistants.list()
        assert KEY not in repr(c)
    assert KEY not in str(info.value)
    assert KEY not in repr(info.value)
    assert caplog.records  # the retry was logged
    assert KEY not in caplog.text


def test_a_missing_api_key_says_how_to_set_it() -> None:
    """No key anywhere: RevoxError naming REVOX_API_KEY."""
    with pytest.raises(rx.RevoxError, match="REVOX_API_KEY"):
        AsyncRevox()


def test_key_and_base_url_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """REVOX_API_KEY and REVOX_BASE_URL are the fallbacks."""
    monkeypatch.setenv("REVOX_API_KEY", "from-env")
    monkeypatch.setenv("REVOX_BASE_URL", "http://localhost:1234/api/")
    c = AsyncRevox()
    assert "http://localhost:1234/api" == c.base_url


def test_the_default_base_url() -> None:
    """Without an override, the public API."""
    assert "https://www.getrevox.com/api" == AsyncRevox(api_key="k").base_url


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"api_key": "a\r\nX-Evil: 1"}, ValueError),
        ({"default_headers": {"X-A": "1\n2"}}, ValueError),
        ({"default_headers": {"X-A": 1}}, TypeError),
        ({"timeout": 0}, ValueError),
        ({"timeout": "5"}, TypeError),
        ({"connect_timeout": float("inf")}, ValueError),
        ({"max_retries": -1}, ValueError),
        ({"max_retries": 1.5}, TypeError),
        ({"base_url": "ftp://x"}, ValueError),
    ],
)
def test_bad_configuration_is_refused(kwargs: dict[str, Any], error: type[Exception]) -> None:
    """Header injection, nonsense timeouts and retries fail at construction."""
    kwargs.setdefault("api_key", "k")
    with pytest.raises(error):
        AsyncRevox(**kwargs)


def test_revox_log_turns_on_logging(monkeypatch: pytest.MonkeyPatch) -> None:
    """REVOX_LOG=debug sets the revox_async logger's level and gives it a handler."""
    from revox_async import _logging

    logger = logging.getLogger("revox_async")
    monkeypatch.setattr(_logging, "_configured", False)
    monkeypatch.setattr(logger, "handlers", [])
    monkeypatch.setattr(logger, "level", logging.NOTSET)
    monkeypatch.setenv("REVOX_LOG", "debug")
    AsyncRevox(api_key="k")
    assert logging.DEBUG == logger.level
    assert 1 == len(logger.handlers)
    AsyncRevox(api_key="k")  # once per process
    assert 1 == len(logger.handlers)
