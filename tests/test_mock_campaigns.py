"""The mock's campaigns over real sockets: rows, launches, pause/cancel, statistics, export."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

import pytest

from revox_async.testing import CallPlan, MockRevoxServer

from .mock_send import NO_FILTER, Send, new_assistant, send

__all__ = ["send"]

CAMPAIGN_FIELDS = {
    "id", "organization_id", "name", "assistant_id", "status", "is_cancelled", "created_at",
    "updated_at", "scheduled_at", "assistant", "call_retry_config", "created_by",
    "from_phone_number", "max_concurrent_calls", "metadata_keys",
    "structured_output_extraction", "funnel_stats", "row_stats",
}  # fmt: skip
SELECT_ALL: dict[str, Any] = {
    "filters": {
        "assignee_ids": [],
        "directions": [],
        "outcomes": [],
        "results": [],
        "statuses": [],
    },
    "rows": {"call_ids": [], "mode": "all_except"},
}
NUMBERS = ["+33600000001", "+33600000002", "+33600000003", "+33600000001"]


async def new_campaign(send: Send, **params: Any) -> dict[str, Any]:
    assistant = await new_assistant(send)
    body = {
        "name": "Spring",
        "assistant_id": assistant["id"],
        "contacts": [
            {"to_phone_number": n, "prompt_variables": {"first_name": f"P{i}", "age": i}}
            for i, n in enumerate(NUMBERS)
        ],
        **params,
    }
    status, data = await send("POST", "/campaigns", body)
    assert 201 == status, data
    campaign: dict[str, Any] = data["campaign"]
    return campaign


async def launch(send: Send, campaign_id: str, **body: Any) -> dict[str, Any]:
    status, data = await send(
        "POST",
        f"/campaigns/{campaign_id}/launch-calls",
        {"mode": "ai_first", "selection": SELECT_ALL, **body},
    )
    assert 200 == status, data
    answer: dict[str, Any] = data
    return answer


async def rows(send: Send, campaign_id: str) -> list[dict[str, Any]]:
    status, data = await send("GET", f"/campaigns/{campaign_id}/rows")
    assert 200 == status, data
    found: list[dict[str, Any]] = data["rows"]
    return found


async def test_a_new_campaign_has_rows_not_launched(
    send: Send, revox_mock: MockRevoxServer
) -> None:
    """Each contact is a row whose call waits not_launched, in mock.calls and in search."""
    campaign = await new_campaign(send)
    assert CAMPAIGN_FIELDS <= set(campaign)
    assert ("running", False, "none") == (
        campaign["status"],
        campaign["is_cancelled"],
        campaign["structured_output_extraction"],
    )
    assert {
        "total": 4,
        "not_launched": 4,
        "pending": 0,
        "calling": 0,
        "retry": 0,
        "completed": 0,
        "failed": 0,
        "skipped": 0,
    } == campaign["row_stats"]
    assert {"total_leads": 3, "talked_to_human": 0, "hot": 0} == campaign["funnel_stats"]
    found = await rows(send, campaign["id"])
    assert [0, 1, 2, 3] == [r["row_index"] for r in found]
    assert {"first_name": "P1", "age": "1"} == found[1]["input_data"]
    assert {"not_launched"} == {r["call"]["status"] for r in found}
    assert {"id": campaign["id"], "name": "Spring"} == found[0]["call"]["campaign"]
    assert 4 == len(revox_mock.calls)
    status, data = await send(
        "POST",
        "/call/search",
        {**NO_FILTER, "campaign_ids": [campaign["id"]], "page": 1, "page_size": 10},
    )
    assert (200, 4) == (status, data["total_count"])
    assert campaign == (await send("GET", f"/campaigns/{campaign['id']}"))[1]["campaign"]
    assert campaign["id"] == str(uuid.UUID(campaign["id"]))  # the schema's id format
    assert [campaign["id"]] == [c["id"] for c in (await send("GET", "/campaigns"))[1]["campaigns"]]


CREATE_REFUSED: list[Any] = [
    ({"name": None}, "name", 400),
    ({"name": ""}, "name", 422),
    ({"call_retry_config": {"calling_windows": [], "max_retry_attempts": 0}}, "call_retry_config.max_retry_attempts", 422),
    ({"contacts": [{"to_phone_number": "0600"}]}, "contacts[0].to_phone_number", 422),
    ({"contacts": [{"to_phone_number": "+33600000001"}]}, "contacts[0].prompt_variables", 400),
    ({"contacts": [{"to_phone_number": "+33600000001", "prompt_variables": []}]}, "contacts[0].prompt_variables", 400),
    ({"assistant_id": "asst_missing"}, "assistant_id", 404),
    ({"max_concurrent_calls": 0}, "max_concurrent_calls", 422),
    ({"from_phone_number": "12"}, "from_phone_number", 422),
    ({"call_retry_config": {"calling_windows": "always"}}, "call_retry_config.calling_windows", 400),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field", "status"), CREATE_REFUSED, ids=[f"{f}-{s}" for _, f, s in CREATE_REFUSED]
)
async def test_refused_campaigns_name_the_field(
    send: Send, revox_mock: MockRevoxServer, change: dict[str, Any], field: str, status: int
) -> None:
    """400 shape, 422 value, 404 for an unknown assistant; nothing created."""
    assistant = await new_assistant(send)
    body = {"name": "n", "assistant_id": assistant["id"], "contacts": [], **change}
    got, data = await send("POST", "/campaigns", {k: v for k, v in body.items() if v is not None})
    assert (status, field) == (got, data["field"]), data
    assert ({}, {}) == (revox_mock.campaigns, revox_mock.calls)


async def test_launching_queues_the_rows_and_they_complete(
    send: Send, revox_mock: MockRevoxServer
) -> None:
    """launch-calls: counts launched and skipped; the calls live; the campaign completes."""
    campaign = await new_campaign(send)
    first = await rows(send, campaign["id"])
    only = {**SELECT_ALL, "rows": {"call_ids": [first[0]["call"]["id"]], "mode": "only"}}
    assert {
        "launched": 1,
        "skipped": {"active": 0, "attempts_exhausted": 0, "cancelled": 0},
        "session": None,
    } == await launch(send, campaign["id"], selection=only)
    again = await launch(send, campaign["id"])
    assert (3, 1) == (again["launched"], again["skipped"]["active"])
    revox_mock.advance(60)
    shown = (await send("GET", f"/campaigns/{campaign['id']}"))[1]["campaign"]
    assert ("completed", 4) == (shown["status"], shown["row_stats"]["completed"])
    assert {"total_leads": 3, "talked_to_human": 3, "hot": 3} == shown["funnel_stats"]
    done = await launch(send, campaign["id"])
    assert (0, 4) == (done["launched"], done["skipped"]["attempts_exhausted"])


async def test_selection_filters_and_scheduled_launches(
    send: Send, revox_mock: MockRevoxServer
) -> None:
    """Filters pick rows (statuses, query); scheduled_at holds them; speed_dial gets a session."""
    campaign = await new_campaign(send)
    selection = {**SELECT_ALL, "filters": {**SELECT_ALL["filters"], "query": "P2"}}
    at = revox_mock.now.replace(microsecond=0).isoformat()
    scheduled = await launch(send, campaign["id"], selection=selection, scheduled_at=at)
    assert 1 == scheduled["launched"]
    speed = await launch(send, campaign["id"], mode="speed_dial")
    assert (3, 1) == (speed["launched"], speed["skipped"]["active"])
    session = speed["session"]
    assert ("dialing", 3, campaign["id"]) == (
        session["status"],
        session["total_targets"],
        session["campaign_id"],
    )
    empty = await launch(send, campaign["id"], mode="speed_dial")
    assert ("completed", 0) == (empty["session"]["status"], empty["launched"])
    later = (revox_mock.now.replace(microsecond=0)).isoformat()
    refused = await send(
        "POST",
        f"/campaigns/{campaign['id']}/launch-calls",
        {"mode": "speed_dial", "selection": SELECT_ALL, "scheduled_at": later},
    )
    assert (422, "scheduled_at") == (refused[0], refused[1]["field"])
    statuses = {**SELECT_ALL, "filters": {**SELECT_ALL["filters"], "statuses": ["not_launched"]}}
    assert 0 == (await launch(send, campaign["id"], selection=statuses))["launched"]


LAUNCH_REFUSED: list[Any] = [
    ({"mode": "robot"}, "mode", 422),
    ({"selection": {"filters": SELECT_ALL["filters"]}}, "selection.rows", 400),
    ({"selection": {**SELECT_ALL, "rows": {"call_ids": [], "mode": "some"}}}, "selection.rows.mode", 422),
    ({"scheduled_at": "soon"}, "scheduled_at", 422),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field", "status"), LAUNCH_REFUSED, ids=[f for _, f, _ in LAUNCH_REFUSED]
)
async def test_refused_launches_name_the_field(
    send: Send, change: dict[str, Any], field: str, status: int
) -> None:
    campaign = await new_campaign(send)
    body = {"mode": "ai_first", "selection": SELECT_ALL, **change}
    got, data = await send("POST", f"/campaigns/{campaign['id']}/launch-calls", body)
    assert (status, field) == (got, data["field"])


async def test_update_changes_open_calls_but_not_the_assistant(
    send: Send, revox_mock: MockRevoxServer
) -> None:
    """PATCH: name, number, concurrency, retry config; assistant_id is fixed (422)."""
    campaign = await new_campaign(send)
    path = f"/campaigns/{campaign['id']}"
    retry = {"calling_windows": [], "max_retry_attempts": 1}
    status, data = await send(
        "PATCH",
        path,
        {
            "name": "Summer",
            "from_phone_number": "+14155550111",
            "max_concurrent_calls": 2,
            "call_retry_config": retry,
        },
    )
    assert 200 == status, data
    updated = data["campaign"]
    assert ("Summer", "+14155550111", 2, 1) == (
        updated["name"],
        updated["from_phone_number"],
        updated["max_concurrent_calls"],
        updated["call_retry_config"]["max_retry_attempts"],
    )
    call = (await rows(send, campaign["id"]))[0]["call"]
    assert ("Summer", "+14155550111", 1) == (
        call["campaign"]["name"],
        call["from_phone_number"],
        call["call_retry_config"]["max_retry_attempts"],
    )
    cleared = (await send("PATCH", path, {"from_phone_number": None, "call_retry_config": None}))[
        1
    ]["campaign"]
    assert (None, 3) == (
        cleared["from_phone_number"],
        cleared["call_retry_config"]["max_retry_attempts"],
    )
    assert 200 == (await send("PATCH", path, {"assistant_id": campaign["assistant_id"]}))[0]
    other = await new_assistant(send)
    assert (422, "assistant_id") == (
        (r := await send("PATCH", path, {"assistant_id": other["id"]}))[0],
        r[1]["field"],
    )
    assert (400, "name") == ((r := await send("PATCH", path, {"name": None}))[0], r[1]["field"])
    assert (422, "name") == ((r := await send("PATCH", path, {"name": ""}))[0], r[1]["field"])
    assert (404, "id") == ((r := await send("PATCH", "/campaigns/camp_x", {}))[0], r[1]["field"])


async def test_pause_resume_cancel_and_delete(send: Send, revox_mock: MockRevoxServer) -> None:
    """pause holds launched calls; resume frees them; cancel stops the waiting ones; delete removes all."""
    revox_mock.call_plan = CallPlan(by_number={"+33600000003": "voicemail"}, retry_delay=10)
    campaign = await new_campaign(send)
    path = f"/campaigns/{campaign['id']}"
    await launch(send, campaign["id"])
    revox_mock.advance(10)  # every call is ongoing
    assert (200, {"success": True}) == await send("POST", f"{path}/pause")
    revox_mock.advance(60)
    shown = (await send("GET", path))[1]["campaign"]
    assert ("paused", 3, 1) == (
        shown["status"],
        shown["row_stats"]["completed"],
        shown["row_stats"]["pending"],
    )
    assert 200 == (await send("POST", f"{path}/resume"))[0]
    assert "running" == (await send("GET", path))[1]["campaign"]["status"]
    revox_mock.advance(3)
    assert 200 == (await send("POST", f"{path}/pause"))[0]  # the voicemail call is ringing again
    assert 200 == (await send("POST", f"{path}/resume"))[0]
    revox_mock.advance(40)
    assert 1 == (await send("GET", path))[1]["campaign"]["row_stats"]["retry"]
    assert 200 == (await send("POST", f"{path}/cancel"))[0]
    shown = (await send("GET", path))[1]["campaign"]
    assert (True, 1, "completed") == (
        shown["is_cancelled"],
        shown["row_stats"]["skipped"],
        shown["status"],
    )
    assert 200 == (await send("DELETE", path))[0]
    assert ({}, {}, {}) == (revox_mock.campaigns, revox_mock.campaign_rows, revox_mock.calls)
    for method, action in [
        ("POST", "/cancel"),
        ("POST", "/pause"),
        ("POST", "/resume"),
        ("DELETE", ""),
        ("GET", "/rows"),
        ("GET", "/export"),
        ("GET", "/statistics"),
    ]:
        assert (404, "id") == ((r := await send(method, f"{path}{action}"))[0], r[1]["field"])


async def test_cancel_lets_an_attempt_underway_finish(
    send: Send, revox_mock: MockRevoxServer
) -> None:
    """A call in an attempt ends as the attempt does: completed for a human, else cancelled."""
    revox_mock.call_plan = CallPlan(by_number={"+33600000002": "voicemail"})
    campaign = await new_campaign(send)
    await launch(send, campaign["id"])
    revox_mock.advance(10)
    await send("POST", f"/campaigns/{campaign['id']}/cancel")
    revox_mock.advance(60)
    by_number = {r["phone_number"]: r["call"]["status"] for r in await rows(send, campaign["id"])}
    assert {
        "+33600000001": "completed",
        "+33600000002": "cancelled",
        "+33600000003": "completed",
    } == by_number


async def test_statistics_are_computed_from_the_rows(
    send: Send, revox_mock: MockRevoxServer
) -> None:
    """Distinct numbers; percentages of 100 to one decimal; null when nothing to divide by."""
    campaign = await new_campaign(send)
    path = f"/campaigns/{campaign['id']}/statistics"
    before = (await send("GET", path))[1]["statistics"]
    assert (None, False, 3) == (
        before["funnel"]["reached"]["pct_of_called"],
        before["campaign"]["has_activity"],
        before["campaign"]["max_attempts_per_contact"] - 1,
    )
    revox_mock.call_plan = CallPlan(
        by_number={"+33600000002": "voicemail", "+33600000003": "busy"},
        outcomes={"+33600000001": "requested_callback_later"},
    )
    await launch(send, campaign["id"])
    revox_mock.advance(40)
    stats = (await send("GET", path))[1]["statistics"]
    funnel = stats["funnel"]
    assert {"count": 3, "imported_rows": 4} == funnel["called"]
    assert (1, 33.3) == (funnel["reached"]["count"], funnel["reached"]["pct_of_called"])
    assert ({"count": 1, "pct_of_reached": 100.0}, {"count": 0, "pct_of_reached": 0.0}) == (
        funnel["real_exchanges"],
        funnel["hot_leads"],
    )
    assert {"calls_total": 4, "outbound_attempts": 4, "inbound_calls": 0} == stats["effort"]
    assert ["P0", "P3"] == sorted(lead["name"] for lead in stats["leads"]["callback_requested"])
    assert {"requested_callback_later": 1, "interested": 0} == {
        b["outcome"]: b["count"]
        for b in stats["outcome_breakdown"]
        if b["outcome"] in ("requested_callback_later", "interested")
    }
    assert (["interested"], None, 30.0) == (
        stats["hot_lead_outcomes"],
        stats["data_extraction"],
        stats["jump_in"]["median_conversation_seconds"],
    )
    assert stats["campaign"]["first_activity_at"] < stats["campaign"]["last_activity_at"]


async def test_export_rows_is_a_csv(send: Send, revox_mock: MockRevoxServer) -> None:
    """{csv, filename}: a row per contact, input columns, then the call's status and outcome."""
    campaign = await new_campaign(send)
    await launch(send, campaign["id"])
    revox_mock.advance(60)
    status, data = await send("GET", f"/campaigns/{campaign['id']}/export")
    assert (200, f"campaign-{campaign['id']}.csv") == (status, data["filename"])
    table = list(csv.DictReader(io.StringIO(data["csv"])))
    assert [("0", "+33600000001", "P0", "completed", "interested")] == [
        (r["row_index"], r["phone_number"], r["first_name"], r["status"], r["outcome"])
        for r in table[:1]
    ]
    assert 4 == len(table)


async def test_drift_and_idempotency_for_campaigns(send: Send, revox_mock: MockRevoxServer) -> None:
    """drift adds fields to answers only; a re-sent Idempotency-Key creates one campaign when
    the mock honours keys (by default, like the live API, it creates another)."""
    assistant = await new_assistant(send)
    body = {"name": "n", "assistant_id": assistant["id"], "contacts": []}
    key = {"Idempotency-Key": "c1"}
    await send("POST", "/campaigns", body, headers=key)
    await send("POST", "/campaigns", body, headers=key)
    assert 2 == len(revox_mock.campaigns)
    revox_mock.idempotency = "honour"
    first = await send("POST", "/campaigns", body, headers=key)
    assert first == await send("POST", "/campaigns", body, headers=key)
    assert 3 == len(revox_mock.campaigns)
    revox_mock.drift = True
    shown = (await send("GET", f"/campaigns/{first[1]['campaign']['id']}"))[1]["campaign"]
    assert ("voice", 0) == (shown["channel"], shown["row_stats"]["voicemail"])
    assert "channel" not in revox_mock.campaigns[shown["id"]]


async def test_reset_forgets_campaigns(send: Send, revox_mock: MockRevoxServer) -> None:
    await new_campaign(send)
    revox_mock.reset()
    assert ({}, {}, {}) == (revox_mock.campaigns, revox_mock.campaign_rows, revox_mock.calls)
