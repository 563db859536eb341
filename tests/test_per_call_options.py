"""Per-call options: ``timeout=``, ``extra_headers=``, ``extra_query=``, ``extra_body=``.

Every endpoint of both clients takes them, as the official client's methods do;
``tests/test_wire_parity.py`` checks that each request then goes out as the
official client's does. Here: what they mean, and bad values refused before sending.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp import web
from aioresponses import aioresponses

import revox_async as rx
from revox_async import AsyncRevox, SyncRevox
from revox_async._batch import CALL_KEY_FIELD
from revox_async._core import MIN_DEFAULT_OUTCOME_WINDOW
from tests.conftest import BASE, NOTHING_YET, Sleeps, assistant_json
from tests.test_resources_wire import call_json, sent

PER_CALL = ("timeout", "extra_headers", "extra_query", "extra_body")


def endpoints(client: AsyncRevox | SyncRevox) -> list[tuple[str, Any]]:
    """Every endpoint of a client, by name, in its plain and raw forms."""
    found = [("auth_status", client.auth_status)]
    for attribute in ("assistants", "calls", "campaigns", "voices", "phone_numbers", "users"):
        resource = getattr(client, attribute)
        for form, owner in (("", resource), (".with_raw_response", resource.with_raw_response)):
            for name, member in vars(type(resource)).items():
                if type(member).__name__ == "endpoint":
                    found.append((f"{attribute}{form}.{name}", getattr(owner, name)))
    return found


def test_every_endpoint_of_both_clients_shows_the_four_options() -> None:
    """help(), inspect and editors see the four keywords on each of the 36 endpoints."""
    with SyncRevox(api_key="k", base_url=BASE) as sync_client:
        client = AsyncRevox(api_key="k", base_url=BASE)
        for name, method in [*endpoints(client), *endpoints(sync_client)]:
            params = inspect.signature(method).parameters
            assert all(params[o].kind is inspect.Parameter.KEYWORD_ONLY for o in PER_CALL), name
        assert 2 * (1 + 2 * 35) == len(endpoints(client)) + len(endpoints(sync_client))


async def test_a_create_takes_a_timeout_instead_of_calling_it_an_unknown_field(
    mocked: aioresponses,
) -> None:
    """create(timeout=5) sends the create: the option is not taken for a body field."""
    mocked.post(f"{BASE}/assistants", status=201, payload={"assistant": assistant_json()})
    async with AsyncRevox(api_key="k", base_url=BASE) as client:
        created = await client.assistants.create(name="Desk", prompt="p", timeout=5)
    assert "asst_1" == created.id
    assert [{"name": "Desk", "prompt": "p"}] == sent(mocked, "POST", "/assistants")


@pytest.fixture
async def slow_server() -> AsyncIterator[str]:
    """A server that answers a retrieve after 2 s."""

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.json_response(assistant_json())

    app = web.Application()
    app.router.add_get("/api/assistants/{id}", slow)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}/api"
    await runner.cleanup()


async def test_a_per_call_timeout_bounds_that_call_alone(slow_server: str) -> None:
    """timeout=0.2 on one call times it out; the client's 30 s stay for the next one."""
    async with AsyncRevox(api_key="k", base_url=slow_server, timeout=30, max_retries=0) as client:
        with pytest.raises(rx.APITimeoutError):
            await client.assistants.retrieve("asst_1", timeout=0.2)
        assert "asst_1" == (await client.assistants.retrieve("asst_1")).id


def test_a_per_call_timeout_works_on_the_sync_client(slow_server: str) -> None:
    """SyncRevox passes timeout= through the portal, like every option."""
    with SyncRevox(api_key="k", base_url=slow_server, timeout=30, max_retries=0) as client:
        with pytest.raises(rx.APITimeoutError):
            client.assistants.retrieve("asst_1", timeout=0.2)


@pytest.mark.parametrize(("per_call", "waited"), [(45, 45), (4, MIN_DEFAULT_OUTCOME_WINDOW)])
async def test_the_wait_before_looking_follows_the_per_call_timeout(
    mocked: aioresponses, sleeps: Sleeps, per_call: float, waited: float
) -> None:
    """A create's lost answer is looked for after its own timeout, the default window, or
    after 30 s when that timeout is shorter (a slow server may still be placing it)."""
    mocked.post(f"{BASE}/call/search", payload=NOTHING_YET)  # the key's: looked for first
    mocked.post(f"{BASE}/call", status=502, payload={"error": "x"})
    found = call_json(id="call_late", metadata={CALL_KEY_FIELD: "k-1"})
    mocked.post(f"{BASE}/call/search", payload={"calls": [found], "total_count": 1})
    async with AsyncRevox(api_key="k", base_url=BASE, timeout=60) as client:
        client._sleep = sleeps
        call = await client.calls.create(
            phone_number="+33612345678", assistant_id="a", idempotency_key="k-1", timeout=per_call
        )
    assert "call_late" == call.id
    assert [pytest.approx(waited, abs=0.1)] == sleeps
    assert 1 == len(sent(mocked, "POST", "/call"))


async def test_extra_headers_replace_the_clients_own_in_any_case(mocked: aioresponses) -> None:
    """A per-call header replaces a client header of the same name, for that call only."""
    mocked.get(f"{BASE}/users/me", payload={"user": {"id": "u1", "email": "a@b.c"}}, repeat=True)
    async with AsyncRevox(api_key="k", base_url=BASE, default_headers={"X-Team": "a"}) as client:
        await client.users.me(extra_headers={"x-team": "b", "X-Trace": "t"})
        await client.users.me()
    first, second = (call.kwargs["headers"] for call in mocked.requests[("GET", _url("/users/me"))])
    assert ("b", "t") == (first["x-team"], first["X-Trace"])
    assert "X-Team" not in first
    assert ("a", None) == (second["X-Team"], second.get("X-Trace"))


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _url(path: str) -> Any:
    from yarl import URL

    return URL(BASE + path)


async def test_extra_query_is_added_to_a_query_the_endpoint_has(mocked: aioresponses) -> None:
    """voices.retrieve has ?provider=; extra_query adds to it, encoded as the official does."""
    mocked.get(
        f"{BASE}/voices/v1?provider=cartesia&beta=true&ids=a,b&f%5Bx%5D=1",
        payload={"voice": {"id": "v1", "name": "Ada", "provider": "cartesia"}},
    )
    async with AsyncRevox(api_key="k", base_url=BASE) as client:
        voice = await client.voices.retrieve(
            "v1",
            provider="cartesia",
            extra_query={"beta": True, "ids": ["a", "b"], "f": {"x": 1}, "gone": None},
        )
    assert "v1" == voice.id


async def test_extra_body_is_sent_by_endpoints_that_send_no_fields(mocked: aioresponses) -> None:
    """On an endpoint without a body of its own, extra_body is the body."""
    mocked.post(f"{BASE}/call/c1/pause", payload={"success": True})
    mocked.post(f"{BASE}/assistants/a1/clone", status=201, payload={"assistant": assistant_json()})
    async with AsyncRevox(api_key="k", base_url=BASE) as client:
        await client.calls.pause("c1", extra_body={"reason": "lunch"})
        await client.assistants.clone("a1", extra_body={"name": "Desk (2)"})
    assert [{"reason": "lunch"}] == sent(mocked, "POST", "/call/c1/pause")
    assert [{"name": "Desk (2)"}] == sent(mocked, "POST", "/assistants/a1/clone")


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"timeout": 0}, ValueError, "timeout: must be a positive"),
        ({"timeout": "5"}, TypeError, "timeout: expected a number"),
        ({"extra_headers": {"X-A": "1\r\nX-B: 2"}}, ValueError, "CR or LF"),
        ({"extra_headers": ["X-A"]}, TypeError, "extra_headers: expected a mapping"),
        ({"extra_query": {"a": object()}}, TypeError, r"extra_query\['a'\]"),
        ({"extra_query": "a=1"}, TypeError, "extra_query: expected a mapping"),
        ({"extra_query": {"": 1}}, TypeError, "extra_query: parameter names"),
        ({"extra_body": {"a": 1}}, TypeError, "extra_body: GET /assistants/a1 sends no body"),
        ({"extra_body": [1]}, TypeError, "extra_body: expected a mapping"),
        ({"extra_headers": {"Authorization: Bearer x\tX-A": "1"}}, ValueError, "valid header"),
        ({"extra_headers": {"X A": "1"}}, ValueError, "not a valid header name"),
        ({"extra_headers": {"content-length": "5"}}, ValueError, "set from the body"),
        ({"extra_headers": {"Transfer-Encoding": "chunked"}}, ValueError, "set from the body"),
    ],
)
async def test_a_bad_option_is_refused_by_name_before_sending(
    mocked: aioresponses, options: dict[str, Any], error: type[Exception], message: str
) -> None:
    """Each bad per-call value names its option; nothing reaches the network."""
    async with AsyncRevox(api_key="k", base_url=BASE) as client:
        with pytest.raises(error, match=message):
            await client.assistants.retrieve("a1", **options)
    assert {} == mocked.requests


def test_a_bad_option_is_refused_by_the_sync_client_too() -> None:
    """SyncRevox refuses the same way, with the same message."""
    with SyncRevox(api_key="k", base_url=BASE) as client:
        with pytest.raises(ValueError, match="timeout: must be a positive"):
            client.auth_status(timeout=-1)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), {"deep": [float("-inf")]}])
async def test_a_number_json_cannot_carry_in_extra_body_is_refused(
    mocked: aioresponses, bad: Any
) -> None:
    """NaN or infinity in extra_body is refused by path, never sent as null."""
    async with AsyncRevox(api_key="k", base_url=BASE) as client:
        with pytest.raises(ValueError, match=r"extra_body\.x.*finite"):
            await client.assistants.clone("a1", extra_body={"x": bad})
    assert {} == mocked.requests


async def test_extra_query_replaces_the_endpoints_own_parameter(mocked: aioresponses) -> None:
    """A name the endpoint already sends is replaced (None removes it), as the official
    client merges them; an empty list is sent empty, as it sends it."""
    mocked.get(
        f"{BASE}/voices/v1?provider=elevenlabs&e=",
        payload={"voice": {"id": "v1", "name": "Ada", "provider": "elevenlabs"}},
    )
    mocked.get(f"{BASE}/voices/v1", payload={"voice": {"id": "v1", "name": "A", "provider": "x"}})
    async with AsyncRevox(api_key="k", base_url=BASE) as client:
        voice = await client.voices.retrieve(
            "v1", provider="cartesia", extra_query={"provider": "elevenlabs", "e": []}
        )
        assert "elevenlabs" == voice.provider
        await client.voices.retrieve("v1", provider="cartesia", extra_query={"provider": None})


async def test_an_idempotency_key_in_extra_headers_keys_the_create_and_its_lookup(
    mocked: aioresponses, sleeps: Sleeps
) -> None:
    """calls.create takes a per-call Idempotency-Key as its key: sent on the create, stored
    as the key its lookup finds the call by, and not sent on the lookups (the first one
    before the create: the caller chose the key)."""
    mocked.post(f"{BASE}/call/search", payload=NOTHING_YET)
    mocked.post(f"{BASE}/call", status=502, payload={"error": "x"})
    found = call_json(id="call_late", metadata={CALL_KEY_FIELD: "user-1"})
    mocked.post(f"{BASE}/call/search", payload={"calls": [found], "total_count": 1})
    async with AsyncRevox(api_key="k", base_url=BASE) as client:
        client._sleep = sleeps
        call = await client.calls.create(
            phone_number="+33612345678",
            assistant_id="a",
            extra_headers={"idempotency-key": "user-1", "X-Trace": "t"},
        )
    assert "call_late" == call.id
    (create,) = mocked.requests[("POST", _url("/call"))]
    searches = mocked.requests[("POST", _url("/call/search"))]
    assert "user-1" == create.kwargs["headers"]["Idempotency-Key"]
    assert "user-1" == json.loads(create.kwargs["data"])["metadata"][CALL_KEY_FIELD]
    assert 2 == len(searches)
    for search in searches:
        assert "user-1" != search.kwargs["headers"].get("Idempotency-Key")
        assert "t" == search.kwargs["headers"]["X-Trace"]


async def test_a_creates_extra_query_scopes_where_its_lost_answer_is_looked_for(
    mocked: aioresponses, sleeps: Sleeps
) -> None:
    """A create sent with extra_query is looked for with the same query: a parameter that
    scopes the create scopes the lookup, which would otherwise find nothing and resend."""
    mocked.post(f"{BASE}/call/search?workspace=w1", payload=NOTHING_YET)  # the key's, first
    mocked.post(f"{BASE}/call?workspace=w1", status=502, payload={"error": "x"})
    found = call_json(id="call_late", metadata={CALL_KEY_FIELD: "k-1"})
    mocked.post(f"{BASE}/call/search?workspace=w1", payload={"calls": [found], "total_count": 1})
    mocked.post(f"{BASE}/assistants?workspace=w1", status=502, payload={"error": "x"})
    made = assistant_json(id="asst_late", name="Ada", prompt="Hi", created_at=_now())
    mocked.get(f"{BASE}/assistants?workspace=w1", payload={"assistants": [made]})
    async with AsyncRevox(api_key="k", base_url=BASE) as client:
        client._sleep = sleeps
        scope = {"workspace": "w1"}
        call = await client.calls.create(
            phone_number="+33612345678", assistant_id="a", idempotency_key="k-1", extra_query=scope
        )
        assistant = await client.assistants.create(name="Ada", prompt="Hi", extra_query=scope)
    assert ("call_late", "asst_late") == (call.id, assistant.id)
    assert 1 == len(mocked.requests[("POST", _url("/call?workspace=w1"))])
    assert 1 == len(mocked.requests[("POST", _url("/assistants?workspace=w1"))])


async def test_two_different_keys_for_one_create_are_refused(mocked: aioresponses) -> None:
    """idempotency_key= and a different extra_headers key: refused, nothing sent."""
    async with AsyncRevox(api_key="k", base_url=BASE) as client:
        with pytest.raises(ValueError, match="give the key once"):
            await client.calls.create(
                phone_number="+33612345678",
                assistant_id="a",
                idempotency_key="k-1",
                extra_headers={"Idempotency-Key": "k-2"},
            )
    assert {} == mocked.requests


@pytest.mark.parametrize("option", PER_CALL)
async def test_a_method_of_several_requests_says_it_takes_no_per_call_option(
    option: str,
) -> None:
    """search and create_many name the option and point to with_options."""
    async with AsyncRevox(api_key="k", base_url=BASE) as client:
        with pytest.raises(TypeError, match=f"{option}: not a field.*with_options"):
            client.calls.search(**{option: {}})
        with pytest.raises(TypeError, match=f"{option}: not a field.*with_options"):
            await client.assistants.create_many([], **{option: {}})
