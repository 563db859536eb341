"""Integration over real loopback sockets: AsyncRevox against MockRevoxServer."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import aiohttp
import pytest

import revox_async as rx
from revox_async import AsyncRevox
from revox_async.testing import FaultPlan, MockRevoxServer


@pytest.fixture
async def mock() -> AsyncIterator[MockRevoxServer]:
    async with MockRevoxServer(api_key="test-key") as server:
        yield server


@pytest.fixture
async def api(mock: MockRevoxServer, sleeps: list[float]) -> AsyncIterator[AsyncRevox]:
    async with AsyncRevox(api_key=mock.api_key, base_url=mock.base_url) as client:
        yield client


FULL_PARAMS: dict[str, Any] = {
    "name": "Front desk",
    "prompt": "You book appointments for a dental clinic.",
    "voice": {"id": "79a125e8", "provider": "cartesia", "speed": 1.1},
    "llm_model": {"type": "openrouter", "openrouter_model_id": "openai/gpt-4.1", "openrouter_provider": "openai"},
    "faq_items": [{"question": "Open on Sunday?", "answer": "No."}],
    "call_retry_config": {
        "calling_windows": [{"calling_window_start_time": "9am", "calling_window_end_time": "17:00", "retry_delay_seconds": 3600}],
        "max_retry_attempts": 2,
        "timezone": "Europe/Paris",
    },
    "structured_output_config": [{"name": "email", "required": True, "type": "string"}],
    "transfer_phone_number": "+33123456789",
    "voicemail_message": "Call us back!",
}  # fmt: skip


async def test_full_crud_over_sockets(api: AsyncRevox, mock: MockRevoxServer) -> None:
    """create → retrieve → update with a null → list → delete, against the server."""
    created = await api.assistants.create(**FULL_PARAMS)
    assert created.id.startswith("asst_")
    assert isinstance(created.created_at, datetime)
    assert created.faq_items is not None
    assert created.faq_items[0].id is not None
    assert "human" == created.faq_items[0].source
    assert 400 == created.first_sentence_delay_ms
    assert isinstance(created.llm_model, rx.OpenRouterModel)

    fetched = await api.assistants.retrieve(created.id)
    assert created == fetched

    updated = await api.assistants.update(created.id, name="Night desk", voicemail_message=None)
    assert ("Night desk", None) == (updated.name, updated.voicemail_message)
    assert created.voice == updated.voice  # PATCH merged only what was given
    assert {"name": "Night desk", "voicemail_message": None} == mock.requests[-1].body

    assert [created.id] == [a.id for a in await api.assistants.list()]
    assert await api.assistants.delete(created.id) is True
    with pytest.raises(rx.NotFoundError):
        await api.assistants.retrieve(created.id)
    assert [] == await api.assistants.list()


async def test_an_id_with_a_slash_stays_one_segment(api: AsyncRevox, mock: MockRevoxServer) -> None:
    """The server receives the whole id in one path segment."""
    with pytest.raises(rx.NotFoundError) as info:
        await api.assistants.retrieve("a/b?c")
    assert "a/b?c" in info.value.body["message"]


async def test_drift_is_parsed_kept_and_sent_back(api: AsyncRevox, mock: MockRevoxServer) -> None:
    """A newer server's fields and variants survive a fetch-and-update round trip."""
    created = await api.assistants.create(
        name="n", prompt="p", voice={"id": "v", "provider": "cartesia"}
    )
    mock.drift = True
    drifted = await api.assistants.retrieve(created.id)
    assert isinstance(drifted.llm_model, rx.UnknownLLMModel)
    assert "realtime" == drifted.llm_model.type
    assert "adaptive" == drifted.first_sentence_mode
    assert "audio/street.ogg" == drifted.background_sound
    assert "stt-rt-v5" == drifted.extra_fields["stt_model"]
    assert drifted.voice is not None
    assert {"model": "sonic-3.5"} == drifted.voice.extra_fields

    await api.assistants.update(created.id, llm_model=drifted.llm_model, voice=drifted.voice)
    sent = mock.requests[-1].body
    assert rx.to_dict(drifted)["llm_model"] == sent["llm_model"]
    assert "sonic-3.5" == sent["voice"]["model"]
    assert "realtime" == mock.assistants[created.id]["llm_model"]["type"]


async def test_server_validation_names_the_field(api: AsyncRevox) -> None:
    """Bodies the client lets through but the server refuses come back as 400/422."""
    with pytest.raises(rx.BadRequestError) as info:
        await api.assistants.create(name="n", prompt="p", extra_body={"voice": {"id": 3}})
    assert "voice.id" == info.value.body["field"]
    with pytest.raises(rx.UnprocessableEntityError) as info422:
        await api.assistants.create(
            name="n",
            prompt="p",
            extra_body={"voice": {"id": "v", "provider": "cartesia", "speed": 9}},
        )
    assert "voice.speed" == info422.value.body["field"]


async def test_a_wrong_key_is_a_401(mock: MockRevoxServer) -> None:
    """Bearer auth: a bad key gets AuthenticationError with the JSON body."""
    async with AsyncRevox(api_key="wrong", base_url=mock.base_url) as client:
        with pytest.raises(rx.AuthenticationError) as info:
            await client.assistants.list()
    assert "unauthorized" == info.value.body["error"]


@pytest.mark.parametrize(
    ("kind", "status"),
    [("status", 500), ("status", 503), ("status", 429), ("status", 408), ("drop", None)],
)
async def test_each_fault_is_retried(
    api: AsyncRevox, mock: MockRevoxServer, kind: Any, status: int | None
) -> None:
    """Injected 5xx, 429, 408 and dropped connections are retried until success."""
    mock.fail_next(kind, status=status or 500, times=2)
    assert [] == await api.assistants.list()
    assert [kind, kind, None] == [r.fault for r in mock.requests]


async def test_retry_after_from_the_server_is_honoured(
    api: AsyncRevox, mock: MockRevoxServer, sleeps: list[float]
) -> None:
    """The server's Retry-After is the wait."""
    mock.fail_next("status", status=429, retry_after=0.25)
    await api.assistants.list()
    assert [0.25] == sleeps


async def test_a_retried_commit_then_fail_creates_once(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """The write happened, the answer was a 500: the retry's key returns the same assistant."""
    mock.fail_next("commit_then_fail")
    created = await api.assistants.create(name="n", prompt="p")
    assert [created.id] == list(mock.assistants)
    first, second = mock.requests
    assert first.headers["Idempotency-Key"] == second.headers["Idempotency-Key"]
    assert (500, 201) == (first.status, second.status)


async def test_a_reused_key_with_another_body_is_refused(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """The server will not answer a different create from a remembered key."""
    await api.assistants.create(name="a", prompt="p", idempotency_key="k1")
    with pytest.raises(rx.BadRequestError, match="Idempotency-Key"):
        await api.assistants.create(name="b", prompt="p", idempotency_key="k1")
    assert 1 == len(mock.assistants)


async def test_fault_plans_are_seeded_and_deterministic() -> None:
    """The same seed injects the same faults in the same order."""

    async def run() -> list[Any]:
        plan = FaultPlan(seed=42, error_rate=0.3, error_statuses=(500, 503), drop_rate=0.1)
        async with MockRevoxServer(faults=plan) as server:
            async with AsyncRevox(
                api_key=server.api_key, base_url=server.base_url, max_retries=0
            ) as client:
                for _ in range(30):
                    with contextlib.suppress(rx.APIError):
                        await client.assistants.list()
            return [(r.fault, r.status) for r in server.requests]

    first, second = await run(), await run()
    assert first == second
    assert {"drop", "status", None} == {fault for fault, _ in first}


async def test_latency_and_timeouts(mock: MockRevoxServer) -> None:
    """An attempt slower than its timeout raises APITimeoutError."""
    mock.faults = FaultPlan(latency=0.3)
    async with AsyncRevox(
        api_key=mock.api_key, base_url=mock.base_url, timeout=0.05, max_retries=0
    ) as client:
        with pytest.raises(rx.APITimeoutError):
            await client.assistants.list()
    assert mock.faults.latency == 0.3


async def test_bad_json_bodies_are_refused(mock: MockRevoxServer) -> None:
    """A body that is not JSON gets a 400 naming the body."""
    async with aiohttp.ClientSession() as session:
        resp = await session.post(
            f"{mock.base_url}/assistants",
            data=b"{not json",
            headers={"Authorization": f"Bearer {mock.api_key}"},
        )
        assert 400 == resp.status
        assert "body" == (await resp.json())["field"]
        resp = await session.post(
            f"{mock.base_url}/assistants",
            json=["a", "list"],
            headers={"Authorization": f"Bearer {mock.api_key}"},
        )
        assert 400 == resp.status


def test_the_sync_context_manager_runs_on_a_thread() -> None:
    """with MockRevoxServer() serves from a background thread, for sync callers."""
    with MockRevoxServer() as server:
        client = AsyncRevox(api_key=server.api_key, base_url=server.base_url)

        async def use() -> str:
            async with client:
                return (await client.assistants.create(name="n", prompt="p")).name

        assert "n" == asyncio.run(use())
        assert 1 == len(server.assistants)
        server.reset()
        assert ({}, []) == (server.assistants, server.requests)
    with pytest.raises(RuntimeError, match="not running"):
        _ = MockRevoxServer().base_url
