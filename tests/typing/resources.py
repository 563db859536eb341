"""Never executed: mypy checks that calls, campaigns, voices, numbers and users type as promised."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import assert_type

import revox_async as rx


async def async_api(client: rx.AsyncRevox) -> None:
    call = await client.calls.create(phone_number="+33612345678", assistant_id="a")
    assert_type(call, rx.Call)
    await client.calls.create(
        phone_number="+33612345678",
        assistant={"prompt": "p", "voicemail_message": None},
        scheduled_at=datetime.now(UTC),
        metadata={"crm": "1"},
    )
    assert_type(await client.calls.retrieve("id"), rx.Call)
    assert_type(await client.calls.wait("id", timeout=60), rx.Call)
    assert_type(await client.calls.cancel("id"), bool)
    assert_type(await client.calls.search_page(statuses=["completed"]), rx.CallPage)
    assert_type(client.calls.search(statuses=["completed"]), AsyncIterator[rx.Call])
    assert_type(await client.calls.export(), rx.CsvExport)
    assert_type(await client.calls.phone_history(), dict[str, rx.PhoneHistory])
    raw = await client.calls.with_raw_response.retrieve("id")
    assert_type(raw, rx.RawResponse[rx.Call])
    assert_type(await client.campaigns.launch("id"), rx.LaunchResult)
    assert_type(await client.campaigns.statistics("id"), rx.CampaignStatistics)
    assert_type(await client.campaigns.rows("id"), list[rx.CampaignRow])
    assert_type(await client.voices.list(), list[rx.VoiceInfo])
    assert_type(await client.voices.preview(provider="cartesia", voice_id="v"), bytes)
    assert_type(await client.phone_numbers.list(), list[rx.PhoneNumber])
    assert_type(await client.users.me(), rx.User)
    assert_type(await client.auth_status(), rx.AuthStatus)

    await client.calls.create(assistant_id="a")  # type: ignore[call-arg]
    await client.calls.search_page(statuses=["done"])  # type: ignore[list-item]
    await client.voices.retrieve("v")  # type: ignore[call-arg]
    await client.campaigns.create(name="n", assistant_id="a")  # type: ignore[call-arg]


def sync_api(client: rx.SyncRevox) -> None:
    assert_type(client.calls.retrieve("id"), rx.Call)
    assert_type(client.calls.wait("id"), rx.Call)
    assert_type(client.calls.search(), Iterator[rx.Call])
    assert_type(client.campaigns.list(), list[rx.Campaign])
    assert_type(client.voices.preview(provider="gradium", voice_id="v"), bytes)
    assert_type(client.users.me(), rx.User)
    assert_type(client.auth_status(), rx.AuthStatus)
