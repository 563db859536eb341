"""One declaration per endpoint: the forms it becomes, the path it sends, what tools see."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator
from typing import Any

import jedi
import pytest
from aiohttp import web
from aioresponses import aioresponses

import revox_async as rx
from revox_async import AsyncRevox, SyncRevox
from revox_async.testing import MockRevoxServer
from tests.conftest import BASE, assistant_json

# -- what editors, help() and inspect see ----------------------------------------------


@pytest.mark.parametrize("kind", [AsyncRevox, SyncRevox])
def test_jedi_completes_every_keyword_of_create(kind: type[Any]) -> None:
    """In a notebook, `client.assistants.create(` offers voice=, llm_model=, ... (async and sync)."""
    client = kind(api_key="k")
    try:
        script = jedi.Interpreter("client.assistants.create(", [{"client": client}])
        offered = {c.name for c in script.complete() if c.name.endswith("=")}
    finally:
        if isinstance(client, SyncRevox):
            client.close()
    expected = {"name=", "prompt=", "voice=", "llm_model=", "custom_tools=", "idempotency_key="}
    assert expected <= offered


def test_every_parameter_of_the_typed_dicts_is_in_the_signature() -> None:
    """The signature is read from the TypedDict: required first, the rest NOT_GIVEN."""
    create = inspect.signature(AsyncRevox(api_key="k").assistants.create).parameters
    update = inspect.signature(AsyncRevox(api_key="k").assistants.update).parameters
    assert set(rx.AssistantCreateParams.__annotations__) <= set(create)
    assert ["name", "prompt"] == list(create)[:2]
    assert inspect.Parameter.empty is create["name"].default
    assert rx.NOT_GIVEN is create["voice"].default is update["name"].default
    assert 45 + 1 == len(rx.AssistantCreateParams.__annotations__)  # + the seed's transfer number


def test_the_typed_dict_and_the_model_list_the_same_parameters() -> None:
    """Each settable Assistant field is a parameter, and each parameter a field."""
    from revox_async._resources.assistants import PARAMS

    assert set(PARAMS) == set(rx.AssistantCreateParams.__annotations__)
    assert set(PARAMS) == set(rx.AssistantUpdateParams.__annotations__)


def test_an_endpoint_is_resolved_once_per_resource() -> None:
    """The bound form is cached on the resource: the hot path does not rebuild it."""
    assistants = AsyncRevox(api_key="k").assistants
    assert assistants.retrieve is assistants.retrieve


# -- wire shapes (aioresponses) ------------------------------------------------------------


async def test_clone_posts_to_the_clone_path(client: AsyncRevox, mocked: aioresponses) -> None:
    """clone(id) is POST /assistants/{id}/clone with no body; the copy is unwrapped."""
    mocked.post(
        f"{BASE}/assistants/asst_1/clone",
        payload={"assistant": assistant_json(id="asst_2", name="Front desk (Copy)")},
    )
    copy = await client.assistants.clone("asst_1")
    assert ("asst_2", "Front desk (Copy)") == (copy.id, copy.name)
    ((_, calls),) = mocked.requests.items()
    assert None is calls[0].kwargs["data"]


async def test_update_exposes_the_unpatched_calls_notice(
    client: AsyncRevox, mocked: aioresponses
) -> None:
    """PATCH's camelCase unpatchedCallsNotice is read, and kept out of to_dict."""
    mocked.patch(
        f"{BASE}/assistants/asst_1",
        payload={
            "assistant": assistant_json(),
            "unpatchedCallsNotice": {"count": 2, "variables": ["first_name"]},
        },
    )
    updated = await client.assistants.update("asst_1", name="x")
    assert updated.unpatched_calls_notice is not None
    assert (2, ["first_name"]) == (
        updated.unpatched_calls_notice.count,
        updated.unpatched_calls_notice.variables,
    )
    assert "unpatched_calls_notice" not in rx.to_dict(updated)


async def test_raw_forms_return_what_the_request_received(
    client: AsyncRevox, mocked: aioresponses
) -> None:
    """with_raw_response: the status and headers of the answer that was decoded."""
    mocked.delete(f"{BASE}/assistants/a", status=500)
    mocked.delete(f"{BASE}/assistants/a", payload={"success": True}, headers={"X-Id": "r2"})
    raw = await client.assistants.with_raw_response.delete("a")
    assert (200, "r2", True, 1) == (raw.status_code, raw.headers["X-Id"], raw.parsed, raw.retries)


# -- path parameters, on the wire ----------------------------------------------------------


@pytest.fixture
async def path_log() -> AsyncIterator[tuple[str, list[str]]]:
    """A loopback server that answers 404 and records each raw request line's path."""
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


@pytest.mark.parametrize(
    ("assistant_id", "wire"),
    [
        ("a/b", "a%2Fb"),
        ("../x", "..%2Fx"),
        ("...", "..."),
        ("a?b#c", "a%3Fb%23c"),
        ("%2e%2e", "%252e%252e"),
        ("é x", "%C3%A9%20x"),
    ],
)
async def test_an_odd_id_stays_one_segment_on_the_wire(
    path_log: tuple[str, list[str]], assistant_id: str, wire: str
) -> None:
    """Whatever the id, each method sends exactly /api/assistants/<one segment>[/clone]."""
    base_url, seen = path_log
    async with AsyncRevox(api_key="k", base_url=base_url, max_retries=0) as client:
        for call in (
            client.assistants.retrieve,
            client.assistants.delete,
            client.assistants.clone,
            lambda i: client.assistants.update(i, name="n"),
        ):
            with pytest.raises(rx.NotFoundError):
                await call(assistant_id)
    expected = [
        f"GET /api/assistants/{wire}",
        f"DELETE /api/assistants/{wire}",
        f"POST /api/assistants/{wire}/clone",
        f"PATCH /api/assistants/{wire}",
    ]
    assert expected == seen


@pytest.mark.parametrize("assistant_id", ["", ".", ".."])
async def test_ids_that_cannot_be_one_segment_send_nothing(
    path_log: tuple[str, list[str]], assistant_id: str
) -> None:
    """'', '.' and '..' raise ValueError naming the parameter; the server sees nothing."""
    base_url, seen = path_log
    async with AsyncRevox(api_key="k", base_url=base_url) as client:
        for call in (
            client.assistants.retrieve,
            client.assistants.delete,
            client.assistants.clone,
            lambda i: client.assistants.update(i, name="n"),
        ):
            with pytest.raises(ValueError, match="assistant_id"):
                await call(assistant_id)
    assert [] == seen


def test_the_sync_client_checks_ids_before_the_loop(revox_mock: MockRevoxServer) -> None:
    """SyncRevox refuses '..' in the caller's thread: nothing reaches the server."""
    with SyncRevox(api_key=revox_mock.api_key, base_url=revox_mock.base_url) as client:
        with pytest.raises(ValueError, match="assistant_id"):
            client.assistants.delete("..")
    assert [] == revox_mock.requests


# -- the server is the authority on values (loopback) --------------------------------------


async def test_list_returns_every_item_whatever_one_items_values(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """One assistant with odd values does not cost the others: list() returns all three."""
    odd = assistant_json(
        id="odd",
        ivr_navigation_enabled="yes",
        voice={"id": "v", "provider": "cartesia", "speed": "fast"},
        llm_model={"name": "gpt-4.1"},
    )
    body = {
        "assistants": [
            assistant_json(id="a"),
            odd,
            assistant_json(id="b", llm_model={"type": "dedicated-instance"}),
        ]
    }

    async def answer(request: web.Request) -> web.Response:
        return web.json_response(body)

    app = web.Application()
    app.router.add_get("/api/assistants", answer)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    caplog.set_level("DEBUG", logger="revox_async")
    try:
        base_url = f"http://127.0.0.1:{runner.addresses[0][1]}/api"
        async with AsyncRevox(api_key="k", base_url=base_url) as client:
            assistants = await client.assistants.list()
    finally:
        await runner.cleanup()
    assert ["a", "odd", "b"] == [a.id for a in assistants]
    assert body["assistants"] == [rx.to_dict(a) for a in assistants]
    assert None is assistants[1].ivr_navigation_enabled
    assert "Assistant.ivr_navigation_enabled" in caplog.text
    assert "Voice.speed" in caplog.text


async def test_a_huge_body_of_the_wrong_shape_is_not_kept_whole() -> None:
    """The validation error keeps at most 64 KiB of a large unexpected body, as text."""

    async def answer(request: web.Request) -> web.Response:
        return web.json_response({"items": ["x" * 1000] * 200})

    app = web.Application()
    app.router.add_get("/api/assistants", answer)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        base_url = f"http://127.0.0.1:{runner.addresses[0][1]}/api"
        async with AsyncRevox(api_key="k", base_url=base_url) as client:
            with pytest.raises(rx.APIResponseValidationError) as info:
                await client.assistants.list()
    finally:
        await runner.cleanup()
    assert isinstance(info.value.body, str)
    assert len(info.value.body) < 70_000
    assert info.value.body.endswith("bytes]")


def test_the_clients_show_their_size_limit() -> None:
    """max_response_bytes reads back, on both clients and their with_options copies."""
    assert 1024 == AsyncRevox(api_key="k", max_response_bytes=1024).max_response_bytes
    with SyncRevox(api_key="k") as client:
        assert 2048 == client.with_options(max_response_bytes=2048).max_response_bytes


# -- a single create, exactly once, against a server that ignores Idempotency-Key ---------


@pytest.fixture
async def no_idempotency(
    revox_mock: MockRevoxServer, sleeps: list[float]
) -> AsyncIterator[AsyncRevox]:
    """A client of a mock server that, like the live API, ignores Idempotency-Key."""
    revox_mock.idempotency = "ignore"
    async with AsyncRevox(api_key=revox_mock.api_key, base_url=revox_mock.base_url) as client:
        client._sleep = sleeps  # type: ignore[assignment]
        yield client


def _calls(mock: MockRevoxServer) -> list[tuple[str, str, int | None]]:
    return [(r.method, r.path, r.status) for r in mock.requests]


async def test_a_committed_create_answered_500_is_found_not_sent_again(
    no_idempotency: AsyncRevox, revox_mock: MockRevoxServer
) -> None:
    """Committed, then 500: the client lists once, finds it, and does not POST again."""
    revox_mock.fail_next("commit_then_fail")
    created = await no_idempotency.assistants.create(name="Front desk", prompt="p")
    assert [created.id] == list(revox_mock.assistants)
    expected = [("POST", "/api/assistants", 500), ("GET", "/api/assistants", 200)]
    assert expected == _calls(revox_mock)


async def test_a_create_that_did_not_happen_is_sent_again_once(
    no_idempotency: AsyncRevox, revox_mock: MockRevoxServer
) -> None:
    """A 503 before any work, or a dropped connection: nothing found, sent again."""
    for fault in ("status", "drop"):
        revox_mock.reset()
        revox_mock.idempotency = "ignore"
        revox_mock.fail_next(fault, status=503)
        created = await no_idempotency.assistants.create(name="n", prompt="p")
        assert [created.id] == list(revox_mock.assistants)
        expected = [
            ("POST", "/api/assistants", 503 if fault == "status" else None),
            ("GET", "/api/assistants", 200),
            ("POST", "/api/assistants", 201),
        ]
        assert expected == _calls(revox_mock)


async def test_the_last_attempt_is_checked_too(
    no_idempotency: AsyncRevox, revox_mock: MockRevoxServer
) -> None:
    """The final attempt commits then fails: found by a check, reported created."""
    quick = no_idempotency.with_options(max_retries=1)
    revox_mock.fail_next("status", status=500)
    revox_mock.fail_next("commit_then_fail")
    created = await quick.assistants.create(name="n", prompt="p")
    assert [created.id] == list(revox_mock.assistants)
    assert 2 == sum(1 for c in _calls(revox_mock) if c[0] == "POST")


async def test_identical_older_assistants_are_not_taken_for_the_new_one(
    no_idempotency: AsyncRevox, revox_mock: MockRevoxServer
) -> None:
    """An identical assistant made before the window is not claimed; only the new one is."""
    old = await no_idempotency.assistants.create(name="n", prompt="p")
    revox_mock.assistants[old.id]["created_at"] = "2020-01-01T00:00:00Z"
    revox_mock.fail_next("commit_then_fail")
    created = await no_idempotency.assistants.create(name="n", prompt="p")
    assert created.id != old.id
    assert 2 == len(revox_mock.assistants)


async def test_when_the_check_fails_too_the_outcome_is_unknown(
    no_idempotency: AsyncRevox, revox_mock: MockRevoxServer
) -> None:
    """The listing fails as well: OutcomeUnknownError with the create's key and its own
    error, and no second POST."""
    revox_mock.fail_next("commit_then_fail")
    revox_mock.fail_next("status", status=500, times=10)
    with pytest.raises(rx.OutcomeUnknownError) as info:
        await no_idempotency.assistants.create(name="n", prompt="p", idempotency_key="k-9")
    assert isinstance(info.value.error, rx.InternalServerError)
    assert "k-9" == info.value.idempotency_key
    assert "may have been carried out" in str(info.value)
    assert 1 == sum(1 for c in _calls(revox_mock) if c[0] == "POST")
    assert 1 == len(revox_mock.assistants)


async def test_without_retries_a_lost_answer_is_still_looked_up(
    no_idempotency: AsyncRevox, revox_mock: MockRevoxServer
) -> None:
    """max_retries=0: one attempt, never re-sent; its lost answer is looked up, and found."""
    revox_mock.fail_next("commit_then_fail")
    single = no_idempotency.with_options(max_retries=0)
    assistant = await single.assistants.create(name="n", prompt="p")
    assert {assistant.id} == set(revox_mock.assistants)
    assert [("POST", "/api/assistants", 500), ("GET", "/api/assistants", 200)] == _calls(revox_mock)


async def test_a_second_identical_create_is_never_answered_with_the_first(
    no_idempotency: AsyncRevox, revox_mock: MockRevoxServer
) -> None:
    """Made on purpose twice: the check after a 503 does not take the first one for the second."""
    first = await no_idempotency.assistants.create(name="same", prompt="p")
    revox_mock.fail_next("status", status=503)
    second = await no_idempotency.assistants.create(name="same", prompt="p")
    assert first.id != second.id
    assert 2 == len(revox_mock.assistants)


async def test_a_create_still_running_when_we_time_out_is_found_not_doubled() -> None:
    """The server takes longer than the client waits, then commits: the client waits its
    ``outcome_window`` before looking, finds it, and sends nothing twice (by default the
    window is at least 30 s; 1 s here keeps the test short)."""
    stored: list[dict[str, Any]] = []

    async def create(request: web.Request) -> web.Response:
        body = await request.json()
        await asyncio.sleep(1.6)  # past the client's 1 s timeout; the client hangs up
        made = assistant_json(id=f"a{len(stored)}", created_at=_now(), **body)
        stored.append(made)
        return web.json_response({"assistant": made}, status=201)

    async def listing(request: web.Request) -> web.Response:
        return web.json_response({"assistants": stored})

    app = web.Application()
    app.router.add_post("/api/assistants", create)
    app.router.add_get("/api/assistants", listing)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=3)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        base_url = f"http://127.0.0.1:{runner.addresses[0][1]}/api"
        async with AsyncRevox(
            api_key="k", base_url=base_url, timeout=1, outcome_window=1
        ) as client:
            created = await client.assistants.create(name="slow", prompt="p")
        await asyncio.sleep(2)  # anything sent twice would have committed by now
    finally:
        await runner.cleanup()
    assert ["a0"] == [a["id"] for a in stored]
    assert "a0" == created.id


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat()


# -- found by the adversarial review -------------------------------------------------------


async def test_an_error_body_echoing_the_key_does_not_carry_it(
    client: AsyncRevox, mocked: aioresponses
) -> None:
    """A server that quotes the Authorization header back: the key is cut out of the error."""
    from tests.conftest import KEY

    mocked.get(f"{BASE}/assistants", status=400, payload={"message": f"bad key Bearer {KEY}"})
    with pytest.raises(rx.BadRequestError) as info:
        await client.assistants.list()
    assert KEY not in str(info.value)
    assert KEY not in repr(info.value.body)
    assert "[redacted]" in str(info.value)


async def test_none_for_a_field_that_cannot_be_cleared_is_refused_before_sending(
    client: AsyncRevox, mocked: aioresponses
) -> None:
    """update(name=None) or voice=None: a TypeError naming the field; null where it clears."""
    for field in ("name", "voice", "first_sentence_delay_ms"):
        with pytest.raises(TypeError, match=f"{field}: may not be None"):
            await client.assistants.update("a", **{field: None})
    assert not mocked.requests
    mocked.patch(f"{BASE}/assistants/a", payload={"assistant": assistant_json()})
    await client.assistants.update("a", voicemail_message=None, slack=None)


async def test_a_null_item_in_a_list_costs_nothing_else(
    client: AsyncRevox, mocked: aioresponses
) -> None:
    """A null or a string among the assistants is skipped; the objects are all returned."""
    items = [assistant_json(id="a"), None, "x", assistant_json(id="b")]
    mocked.get(f"{BASE}/assistants", payload={"assistants": items})
    assert ["a", "b"] == [a.id for a in await client.assistants.list()]


async def test_odd_ids_and_self_containing_bodies_raise_clear_errors(client: AsyncRevox) -> None:
    """A lone surrogate id and an extra_body that contains itself: errors naming them."""
    with pytest.raises(ValueError, match=r"assistant_id: .* not valid Unicode"):
        await client.assistants.retrieve("\ud800")
    loop: dict[str, Any] = {}
    loop["me"] = loop
    with pytest.raises(TypeError, match="extra_body: nested too deeply"):
        await client.assistants.create(name="n", prompt="p", extra_body=loop)


def _refusing_port() -> int:
    """A loopback port nothing listens on (bound, then closed)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_refused_connection_is_known_not_to_have_created_anything(
    sleeps: list[float],
) -> None:
    """Connecting failed: request_sent is False, and a batch reports no row as 'maybe created'."""
    base_url = f"http://127.0.0.1:{_refusing_port()}/api"
    async with AsyncRevox(api_key="k", base_url=base_url, max_retries=0) as client:
        with pytest.raises(rx.APIConnectionError) as info:
            await client.assistants.create(name="n", prompt="p")
        result = await client.assistants.create_many([{"name": "n", "prompt": "p"}] * 3)
    assert info.value.request_sent is False
    assert [False] * 3 == [item.maybe_created for item in result.results]


async def test_a_dropped_connection_may_have_created_it(
    no_idempotency: AsyncRevox, revox_mock: MockRevoxServer
) -> None:
    """The request left and the connection broke: request_sent stays True (outcome unknown)."""
    revox_mock.fail_next("drop")
    with pytest.raises(rx.APIConnectionError) as info:
        await no_idempotency.with_options(max_retries=0).assistants.create(name="n", prompt="p")
    assert info.value.request_sent is True
