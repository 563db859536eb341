"""Never executed: mypy checks that the public API types as promised."""

from __future__ import annotations

from typing import Any, assert_type

import revox_async as rx


async def async_api(client: rx.AsyncRevox) -> None:
    a = await client.assistants.create(
        name="n", prompt="p", voice={"id": "v", "provider": "cartesia"}
    )
    assert_type(a, rx.Assistant)
    assert_type(await client.assistants.retrieve("id"), rx.Assistant)
    assert_type(await client.assistants.update("id", voicemail_message=None), rx.Assistant)
    assert_type(await client.assistants.update("id", name=rx.NOT_GIVEN), rx.Assistant)
    assert_type(await client.assistants.list(), list[rx.Assistant])
    assert_type(await client.assistants.delete("id"), bool)
    raw = await client.assistants.with_raw_response.retrieve("id")
    assert_type(raw, rx.RawResponse[rx.Assistant])
    assert_type(client.with_options(timeout=5), rx.AsyncRevox)
    assert_type(rx.to_dict(a), dict[str, Any])

    await client.assistants.create(name="n")  # type: ignore[call-arg]
    await client.assistants.create(name="n", prompt="p", nmae="x")  # type: ignore[call-arg]
    await client.assistants.create(name=1, prompt="p")  # type: ignore[arg-type]
    await client.assistants.update("id", voice="v")  # type: ignore[arg-type]


def sync_api(client: rx.SyncRevox) -> None:
    a = client.assistants.create(
        name="n", prompt="p", llm_model=rx.DedicatedInstanceModel(name="gpt-4.1")
    )
    assert_type(a, rx.Assistant)
    assert_type(client.assistants.retrieve("id"), rx.Assistant)
    assert_type(client.assistants.update("id", voicemail_message=None), rx.Assistant)
    assert_type(client.assistants.list(), list[rx.Assistant])
    assert_type(client.assistants.delete("id"), bool)
    assert_type(client.assistants.with_raw_response.list(), rx.RawResponse[list[rx.Assistant]])
    assert_type(client.with_options(max_retries=0), rx.SyncRevox)
    client.assistants.create(name="n")  # type: ignore[call-arg]
    client.assistants.retrieve(1)  # type: ignore[arg-type]


async def whole_assistant(client: rx.AsyncRevox, sync: rx.SyncRevox) -> None:
    assert_type(await client.assistants.clone("id"), rx.Assistant)
    assert_type(sync.assistants.clone("id"), rx.Assistant)
    assert_type(await client.assistants.with_raw_response.clone("id"), rx.RawResponse[rx.Assistant])
    await client.assistants.create(
        name="n",
        prompt="p",
        transfer_destinations=[{"label": "Desk", "phone_number": "+14155550100"}],
        llm_model={"type": "custom", "api_key": "k", "api_url": "u", "model_name": "m"},
        custom_tools=[
            rx.CustomTool(
                name="t",
                description="d",
                method="GET",
                url="u",
                headers=[],
                query_params=[],
                input_schema=[],
            )
        ],
    )
    await client.assistants.create(name="n", prompt="p", voice={"speed": "fast"})  # type: ignore[arg-type]
    await client.assistants.update("id", llm_model={"type": "openrouter"})  # type: ignore[arg-type]
    sync.assistants.update("id", calendly={"connection_id": 1, "event_type_id": "e"})  # type: ignore[arg-type]
    await client.assistants.with_raw_response.create_many([])  # type: ignore[attr-defined]
