"""The mock's calls over real sockets: placing, the lifecycle on the mock clock, search, export."""

from __future__ import annotations

import asyncio
import csv
import io
import time
from datetime import timedelta
from typing import Any

import pytest

from revox_async.testing import CallPlan, MockRevoxServer

from .mock_send import NO_FILTER, Send, get_call, new_assistant, place_call, send

__all__ = ["send"]

CALL_FIELDS = {
    "id", "organization_id", "status", "direction", "from_phone_number", "to_phone_number",
    "created_at", "updated_at", "scheduled_at", "is_cancelled", "is_completed", "calls_count",
    "call_attempts", "last_call_attempt", "assistant", "llm_model", "first_sentence_delay_ms",
    "call_retry_config", "campaign", "contact", "assignee", "metadata", "prompt_variables",
    "outcome", "outcome_summary", "follow_up_emails", "slack_channel_ids",
}  # fmt: skip
"""§3.3: every field of the Call object."""
ATTEMPT_FIELDS = {
    "id", "status", "phone_number", "started_at", "answered_at", "ended_at", "result",
    "dial_error", "ended_by", "end_reason", "handled_by_ai", "handled_by_human",
    "handled_by_user", "recording_url", "transcript", "post_call_transcript",
    "structured_output", "assistants_used", "email_log", "sms_log", "speech_events",
}  # fmt: skip
RETRY_ONCE: dict[str, Any] = {
    "allowed_days": ["monday"],
    "call_twice_in_a_row": False,
    "calling_windows": [{"calling_window_start_time": "10:00", "calling_window_end_time": "18:00", "retry_delay_seconds": 600}],
    "max_retry_attempts": 1,
}  # fmt: skip


async def test_a_placed_call_has_every_field(send: Send, revox_mock: MockRevoxServer) -> None:
    """POST /call: the full Call, queued now, from the first owned number, stored as answered."""
    assistant = await new_assistant(send)
    call = await place_call(
        send, assistant["id"], metadata={"crm": "42"}, prompt_variables={"name": "Ada"}
    )
    assert CALL_FIELDS <= set(call)
    assert ("queued_for_calling", "outbound", "+14155550100", "org_mock") == (
        call["status"],
        call["direction"],
        call["from_phone_number"],
        call["organization_id"],
    )
    assert (False, False, 0, [], None) == (
        call["is_cancelled"],
        call["is_completed"],
        call["calls_count"],
        call["call_attempts"],
        call["last_call_attempt"],
    )
    assert (assistant, assistant["llm_model"]) == (call["assistant"], call["llm_model"])
    assert ({"crm": "42"}, {"name": "Ada"}) == (call["metadata"], call["prompt_variables"])
    assert call == revox_mock.calls[call["id"]]
    assert call == await get_call(send, call["id"])


async def test_a_call_takes_the_assistants_number_or_its_own(send: Send) -> None:
    """from_phone_number: the body's, else the assistant's, else the first owned number."""
    assistant = await new_assistant(send, from_phone_number="+14155550199")
    assert "+14155550199" == (await place_call(send, assistant["id"]))["from_phone_number"]
    own = await place_call(send, assistant["id"], from_phone_number="+14155550177")
    assert "+14155550177" == own["from_phone_number"]


async def test_an_inline_assistant_and_the_older_force_now(send: Send) -> None:
    """assistant: create-time params without a name; force_now (§8) is still accepted."""
    status, data = await send(
        "POST",
        "/call",
        {"phone_number": "+33612345678", "assistant": {"prompt": "Sell."}, "force_now": True},
    )
    assert 201 == status, data
    assert ("Sell.", "standalone") == (
        data["call"]["assistant"]["prompt"],
        data["call"]["assistant"]["type"],
    )


REFUSED: list[Any] = [
    ({"phone_number": ...}, "phone_number", 400),
    ({"phone_number": "0612345678"}, "phone_number", 422),
    ({"phone_number": 33612345678}, "phone_number", 400),
    ({"assistant_id": ...}, "assistant_id", 400),
    ({"assistant_id": "asst_missing"}, "assistant_id", 404),
    ({"assistant_id": ..., "assistant": {"name": "n"}}, "assistant.prompt", 400),
    ({"assistant_id": ..., "assistant": {"prompt": "p", "voice": {"id": "v", "provider": "cartesia", "speed": 3}}}, "assistant.voice.speed", 422),
    ({"assistant_id": ..., "assistant": "asst_1"}, "assistant", 400),
    ({"metadata": {"crm": 42}}, "metadata.crm", 400),
    ({"prompt_variables": ["a"]}, "prompt_variables", 400),
    ({"scheduled_at": "tomorrow"}, "scheduled_at", 422),
    ({"scheduled_at": 1767225600}, "scheduled_at", 400),
    ({"skip_calling_window": "yes"}, "skip_calling_window", 400),
    ({"force_now": 1}, "force_now", 400),
    ({"concurrency": {}}, "concurrency.key", 400),
    ({"from_phone_number": "+1 415"}, "from_phone_number", 422),
]  # fmt: skip


async def test_a_call_with_both_assistant_id_and_assistant_uses_the_id(send: Send) -> None:
    """Both, as the official client may send them: the stored assistant is the call's
    (the contract uses the inline one when assistant_id is absent); the inline one is
    still checked."""
    assistant = await new_assistant(send, prompt="Stored.")
    body = {"phone_number": "+33612345678", "assistant_id": assistant["id"]}
    status, data = await send("POST", "/call", {**body, "assistant": {"prompt": "Inline."}})
    assert (201, "Stored.") == (status, data["call"]["assistant"]["prompt"]), data
    status, data = await send("POST", "/call", {**body, "assistant": {"prompt": 5}})
    assert (400, "assistant.prompt") == (status, data["field"])


@pytest.mark.parametrize(
    ("change", "field", "status"), REFUSED, ids=[f"{f}-{s}" for _, f, s in REFUSED]
)
async def test_refused_calls_name_the_field(
    send: Send, revox_mock: MockRevoxServer, change: dict[str, Any], field: str, status: int
) -> None:
    """400 for a shape or type, 422 for a value, 404 for an unknown assistant; nothing placed."""
    assistant = await new_assistant(send)
    body = {"phone_number": "+33612345678", "assistant_id": assistant["id"], **change}
    body = {k: v for k, v in body.items() if v is not ...}
    got, data = await send("POST", "/call", body)
    assert (status, field) == (got, data["field"]), data
    assert {} == revox_mock.calls


async def test_the_lifecycle_plays_on_the_mock_clock(
    send: Send, revox_mock: MockRevoxServer
) -> None:
    """queued → calling (ringing) → ongoing → post_processing → completed, by advance() alone."""
    assistant = await new_assistant(
        send, first_sentence="Bonjour!", structured_output_config=[
            {"name": "email", "required": True, "type": "string"},
            {"name": "plan", "required": False, "type": "enum", "enum_options": ["pro", "free"]},
        ],
    )  # fmt: skip
    call = await place_call(send, assistant["id"])
    seen = [(call["status"], None)]
    for seconds in (2, 3, 30, 2):
        revox_mock.advance(seconds)
        now = await get_call(send, call["id"])
        seen.append((now["status"], now["last_call_attempt"]["status"]))
    assert [
        ("queued_for_calling", None),
        ("calling", "ringing"),
        ("calling", "ongoing"),
        ("post_processing", "completed"),
        ("completed", "completed"),
    ] == seen
    attempt = now["call_attempts"][0]
    assert ATTEMPT_FIELDS <= set(attempt)
    assert (True, False, 1, "interested") == (
        now["is_completed"],
        now["is_cancelled"],
        now["calls_count"],
        now["outcome"],
    )
    assert ("human", "agent", "tool_end_call") == (
        attempt["result"],
        attempt["ended_by"],
        attempt["end_reason"],
    )
    assert {"role": "assistant", "content": "Bonjour!"} == attempt["transcript"][0]
    assert attempt["post_call_transcript"] == attempt["transcript"]
    assert {"email": "sample", "plan": "pro"} == attempt["structured_output"]
    assert attempt["recording_url"].endswith(".wav")
    assert now["outcome_summary"]
    assert [assistant["id"]] == attempt["assistants_used"]
    answered = attempt["answered_at"], attempt["ended_at"]
    assert all(answered)
    assert answered[0] < answered[1]
    assert attempt == now["last_call_attempt"]


async def test_a_scheduled_call_waits_for_its_time(send: Send, revox_mock: MockRevoxServer) -> None:
    """scheduled_at in the future: scheduled until then, queued after."""
    assistant = await new_assistant(send)
    at = revox_mock.now + timedelta(minutes=10)
    call = await place_call(send, assistant["id"], scheduled_at=at.isoformat())
    assert "scheduled" == call["status"]
    revox_mock.advance(599)
    assert "scheduled" == (await get_call(send, call["id"]))["status"]
    revox_mock.advance(1)
    assert "queued_for_calling" == (await get_call(send, call["id"]))["status"]
    past = await place_call(send, assistant["id"], scheduled_at="2020-01-01T00:00:00")
    assert "queued_for_calling" == past["status"]


async def test_voicemail_is_retried_then_the_call_completes(
    send: Send, revox_mock: MockRevoxServer
) -> None:
    """A planned voicemail: attempts per max_retry_attempts, retry_delay_seconds apart, newest first."""
    revox_mock.call_plan = CallPlan(by_number={"+33612345678": "voicemail"})
    assistant = await new_assistant(
        send, call_retry_config=RETRY_ONCE, voicemail_message="Call us!"
    )
    call = await place_call(send, assistant["id"])
    revox_mock.advance(37)
    first = await get_call(send, call["id"])
    assert ("scheduled", 1, "voicemail") == (
        first["status"],
        first["calls_count"],
        first["call_attempts"][0]["result"],
    )
    revox_mock.advance(600 + 37)
    done = await get_call(send, call["id"])
    assert ("completed", 2, None) == (done["status"], done["calls_count"], done["outcome"])
    newest, oldest = done["call_attempts"]
    assert newest["started_at"] > oldest["started_at"]
    assert ("voicemail", "Call us!") == (newest["end_reason"], newest["transcript"][0]["content"])


async def test_a_dial_error_errors_the_call(send: Send, revox_mock: MockRevoxServer) -> None:
    """A planned dial error: attempt status error with dial_error; no attempts left → errored."""
    revox_mock.call_plan = CallPlan(by_number={"+33612345678": "busy"}, retry_delay=60)
    assistant = await new_assistant(send, call_retry_config=RETRY_ONCE)
    call = await place_call(send, assistant["id"])
    revox_mock.advance(5)
    assert "scheduled" == (await get_call(send, call["id"]))["status"]
    revox_mock.advance(65)
    done = await get_call(send, call["id"])
    assert ("errored", 2) == (done["status"], done["calls_count"])
    assert [("error", "busy", None)] * 2 == [
        (a["status"], a["dial_error"], a["result"]) for a in done["call_attempts"]
    ]


async def test_fates_per_attempt_and_per_number(send: Send, revox_mock: MockRevoxServer) -> None:
    """A sequence of fates: busy, then a human; outcomes per number."""
    revox_mock.call_plan = CallPlan(
        by_number={"+33612345678": ("busy", "human")},
        outcomes={"+33612345678": "requested_callback_later"},
        retry_delay=0,
    )
    assistant = await new_assistant(send)
    call = await place_call(send, assistant["id"])
    revox_mock.advance(600)
    done = await get_call(send, call["id"])
    assert ("completed", "requested_callback_later", 2) == (
        done["status"],
        done["outcome"],
        done["calls_count"],
    )
    assert ["human", None] == [a["result"] for a in done["call_attempts"]]


def test_a_seeded_plan_is_deterministic() -> None:
    """The same seed, number and attempt draw the same fate, in any order."""
    plan = CallPlan(seed=7, error_rate=0.3, voicemail_rate=0.3, dial_error="no_answer")
    numbers = [f"+336000000{i:02d}" for i in range(40)]
    fates = [plan.fate(n, 0) for n in numbers]
    assert fates == [plan.fate(n, 0) for n in reversed(numbers)][::-1]
    assert {"no_answer", "voicemail", "human"} == set(fates)
    assert {"human"} == {CallPlan().fate(n, 0) for n in numbers}
    assert fates != [
        CallPlan(seed=8, error_rate=0.3, voicemail_rate=0.3).fate(n, 0) for n in numbers
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"error_rate": 1.5}, "error_rate"),
        ({"voicemail_rate": -0.1}, "voicemail_rate"),
        ({"by_number": {"+1": "dead"}}, "by_number"),
        ({"outcome": "great"}, "outcome"),
        ({"dial_error": "oops"}, "dial_error"),
    ],
)
def test_a_call_plan_refuses_what_cannot_happen(options: dict[str, Any], message: str) -> None:
    """Rates are shares, fates are results or dial errors, outcomes are outcomes."""
    with pytest.raises(ValueError, match=message):
        CallPlan(**options)


async def test_pause_resume_and_cancel(send: Send, revox_mock: MockRevoxServer) -> None:
    """pause holds a queued call where it is; resume re-queues; cancel ends it; then 409."""
    assistant = await new_assistant(send)
    call = await place_call(send, assistant["id"])
    path = f"/call/{call['id']}"
    assert (200, {"success": True}) == await send("POST", f"{path}/pause")
    assert (200, {"success": True}) == await send("POST", f"{path}/pause")  # already paused
    revox_mock.advance(100)
    assert ("paused", 0) == ((c := await get_call(send, call["id"]))["status"], c["calls_count"])
    assert 200 == (await send("POST", f"{path}/resume"))[0]
    assert "queued_for_calling" == (await get_call(send, call["id"]))["status"]
    assert 409 == (await send("POST", f"{path}/resume"))[0]
    assert 200 == (await send("POST", f"{path}/cancel"))[0]
    cancelled = await get_call(send, call["id"])
    assert ("cancelled", True, False) == (
        cancelled["status"],
        cancelled["is_cancelled"],
        cancelled["is_completed"],
    )
    for action in ("cancel", "pause", "resume"):
        status, data = await send("POST", f"{path}/{action}")
        assert (409, "id") == (status, data["field"])
    revox_mock.advance(100)
    assert "cancelled" == (await get_call(send, call["id"]))["status"]
    for action in ("cancel", "pause", "resume"):
        assert 404 == (await send("POST", f"/call/call_missing/{action}"))[0]
    assert (404, "id") == ((r := await send("GET", "/call/call_missing"))[0], r[1]["field"])


async def test_a_pause_during_an_attempt_waits_for_it(
    send: Send, revox_mock: MockRevoxServer
) -> None:
    """The attempt underway finishes; the retry does not come; resume withdraws or re-queues."""
    revox_mock.call_plan = CallPlan(by_number={"+33612345678": "voicemail"}, retry_delay=10)
    assistant = await new_assistant(send)
    call = await place_call(send, assistant["id"])
    path = f"/call/{call['id']}"
    revox_mock.advance(10)
    assert 200 == (await send("POST", f"{path}/pause"))[0]
    assert "calling" == (await get_call(send, call["id"]))["status"]
    assert 200 == (await send("POST", f"{path}/resume"))[0]  # withdrawn
    assert 200 == (await send("POST", f"{path}/pause"))[0]
    revox_mock.advance(100)
    paused = await get_call(send, call["id"])
    assert ("paused", 1) == (paused["status"], paused["calls_count"])
    assert 200 == (await send("POST", f"{path}/resume"))[0]
    revox_mock.advance(5)
    assert 2 == (await get_call(send, call["id"]))["calls_count"]


async def test_cancel_during_an_attempt_hangs_up(send: Send, revox_mock: MockRevoxServer) -> None:
    """A call cancelled while ongoing: the attempt ends now, client_initiated."""
    assistant = await new_assistant(send)
    call = await place_call(send, assistant["id"])
    revox_mock.advance(10)
    assert 200 == (await send("POST", f"/call/{call['id']}/cancel"))[0]
    attempt = (await get_call(send, call["id"]))["call_attempts"][0]
    assert ("completed", "client_initiated", "system") == (
        attempt["status"],
        attempt["end_reason"],
        attempt["ended_by"],
    )


async def test_time_scale_moves_calls_on_their_own(send: Send, revox_mock: MockRevoxServer) -> None:
    """With time_scale, a call completes by itself while the test only polls (bounded wait)."""
    assistant = await new_assistant(send)
    revox_mock.time_scale = 200.0
    assert 200.0 == revox_mock.time_scale
    call = await place_call(send, assistant["id"])
    deadline = time.monotonic() + 30
    while (status := (await get_call(send, call["id"]))["status"]) != "completed":
        assert time.monotonic() < deadline, status
        await asyncio.sleep(0.02)
    revox_mock.time_scale = 0
    frozen = revox_mock.now
    await asyncio.sleep(0.01)
    assert frozen == revox_mock.now


def test_time_only_moves_forward() -> None:
    """advance() and time_scale refuse negative values; now is aware UTC."""
    mock = MockRevoxServer(time_scale=0.0)
    start = mock.now
    assert start.utcoffset() == timedelta(0)
    mock.advance(1.5)
    assert timedelta(seconds=1.5) == mock.now - start
    with pytest.raises(ValueError, match="forward"):
        mock.advance(-1)
    with pytest.raises(ValueError, match="time_scale"):
        mock.time_scale = -2


async def test_a_seeded_call_without_a_lifecycle_stays_put(
    send: Send, revox_mock: MockRevoxServer
) -> None:
    """A call a test puts into mock.calls is answered as is, and never moves."""
    assistant = await new_assistant(send)
    call = await place_call(send, assistant["id"])
    seeded = {**call, "id": "call_seeded", "status": "completed"}
    revox_mock.calls["call_seeded"] = seeded
    revox_mock.advance(100)
    assert seeded == await get_call(send, "call_seeded")
    assert 409 == (await send("POST", "/call/call_seeded/cancel"))[0]
    del revox_mock.calls[call["id"]]
    revox_mock.advance(1)
    assert 404 == (await send("GET", f"/call/{call['id']}"))[0]


# -- search, list, export, phone history ---------------------------------------------------


async def three_calls(
    send: Send, revox_mock: MockRevoxServer
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One completed human call, one voicemail call completed after its one retry (at once:
    the schema's least max_retry_attempts is 1), one still queued."""
    revox_mock.call_plan = CallPlan(by_number={"+33600000002": "voicemail"}, retry_delay=0)
    assistant = await new_assistant(send, call_retry_config=RETRY_ONCE)
    first = await place_call(
        send, assistant["id"], phone_number="+33600000001", metadata={"crm": "Kim-1"}
    )
    revox_mock.advance(1)
    second = await place_call(
        send, assistant["id"], phone_number="+33600000002", metadata={"team": "b"}
    )
    revox_mock.advance(90)
    third = await place_call(send, assistant["id"], phone_number="+33600000003")
    return assistant, [first, second, third]


async def search(send: Send, **filters: Any) -> tuple[list[str], int]:
    status, data = await send(
        "POST", "/call/search", {**NO_FILTER, "page": 1, "page_size": 100, **filters}
    )
    assert 200 == status, data
    return [c["id"] for c in data["calls"]], data["total_count"]


async def test_search_filters(send: Send, revox_mock: MockRevoxServer) -> None:
    """Empty lists match all; "none" matches null; each filter narrows; newest first."""
    assistant, (a, b, c) = await three_calls(send, revox_mock)
    ids = lambda *calls: [x["id"] for x in calls]  # noqa: E731
    assert (ids(c, b, a), 3) == await search(send)
    assert (ids(c, b), 2) == await search(send, outcomes=["none"])
    assert (ids(a), 1) == await search(send, outcomes=["interested"])
    assert (ids(c), 1) == await search(send, results=["none"])
    assert (ids(b), 1) == await search(send, results=["voicemail"])
    assert (ids(c), 1) == await search(send, statuses=["queued_for_calling"])
    assert (ids(c, b, a), 3) == await search(
        send, assistant_ids=[assistant["id"]], directions=["outbound"]
    )
    assert ([], 0) == await search(send, directions=["inbound"])
    assert ([], 0) == await search(send, campaign_ids=["camp_x"])
    assert ([], 0) == await search(send, assignee_ids=["user_x"])
    assert (ids(c, b, a), 3) == await search(send, from_phone_numbers=["+14155550100"])
    assert (ids(b), 1) == await search(send, to_phone_number="+33600000002")
    assert (ids(a), 1) == await search(send, query="kIM-1")  # ids are hex: no accidental match
    assert (ids(a, c), 2) == await search(send, call_ids=[c["id"], a["id"]], sort_direction="asc")
    assert (ids(a, b, c), 3) == await search(send, sort_by="to_phone_number", sort_direction="asc")
    assert (ids(b, a, c), 3) == await search(send, sort_by="calls_count")  # 2, 1, 0 attempts
    tied = sorted(ids(a, b))  # the id breaks a tie
    assert (tied, 2) == await search(
        send, sort_by="direction", sort_direction="asc", call_ids=[a["id"], b["id"]]
    )


async def test_search_pages_count_from_1(send: Send, revox_mock: MockRevoxServer) -> None:
    """page 1 is the first page; total_count counts every match whatever the page."""
    _, (a, b, c) = await three_calls(send, revox_mock)
    pages = []
    for page in range(1, 4):
        _, data = await send("POST", "/call/search", {**NO_FILTER, "page": page, "page_size": 2})
        pages.append(([x["id"] for x in data["calls"]], data["total_count"]))
    assert [([c["id"], b["id"]], 3), ([a["id"]], 3), ([], 3)] == pages


async def test_search_has_no_page_size_cap(send: Send, revox_mock: MockRevoxServer) -> None:
    """The contract states no largest page: 1000 is a page of 1000."""
    _, (a, b, c) = await three_calls(send, revox_mock)
    _, data = await send("POST", "/call/search", {**NO_FILTER, "page": 1, "page_size": 1000})
    assert [c["id"], b["id"], a["id"]] == [x["id"] for x in data["calls"]]


SEARCH_REFUSED: list[Any] = [
    ({"page_size": 0}, "page_size", 422),
    ({"page": 0}, "page", 422),
    ({"page": -1}, "page", 422),
    ({"page": "1"}, "page", 400),
    ({"statuses": ["ringing"]}, "statuses[0]", 422),
    ({"outcomes": ["hot"]}, "outcomes[0]", 422),
    ({"results": ["machine"]}, "results[0]", 422),
    ({"directions": "outbound"}, "directions", 400),
    ({"sort_direction": "up"}, "sort_direction", 422),
    ({"sort_by": "colour"}, "sort_by", 422),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field", "status"), SEARCH_REFUSED, ids=[f for _, f, _ in SEARCH_REFUSED]
)
async def test_search_refusals_name_the_field(
    send: Send, revox_mock: MockRevoxServer, change: dict[str, Any], field: str, status: int
) -> None:
    """A CallFilter is checked like any body: 400 shape, 422 value."""
    assistant = await new_assistant(send)
    await place_call(send, assistant["id"])
    got, data = await send(
        "POST", "/call/search", {**NO_FILTER, "page": 1, "page_size": 10, **change}
    )
    assert (status, field) == (got, data["field"]), data


async def test_search_needs_every_required_list(send: Send) -> None:
    """statuses (like the other lists, page and page_size) is required."""
    body = {k: v for k, v in NO_FILTER.items() if k != "statuses"}
    assert (400, "statuses") == (
        (r := await send("POST", "/call/search", {**body, "page": 1, "page_size": 1}))[0],
        r[1]["field"],
    )


async def test_get_call_lists_pages_too(send: Send, revox_mock: MockRevoxServer) -> None:
    """GET /call?page=&page_size= (§8): {"calls": [...]}, 0-based, newest first."""
    _, (a, b, c) = await three_calls(send, revox_mock)
    status, data = await send("GET", "/call?page=0&page_size=2")
    assert (200, [c["id"], b["id"]]) == (status, [x["id"] for x in data["calls"]])
    assert [a["id"]] == [
        x["id"] for x in (await send("GET", "/call?page=1&page_size=2"))[1]["calls"]
    ]
    assert 3 == len((await send("GET", "/call"))[1]["calls"])
    assert (400, "page") == ((r := await send("GET", "/call?page=first"))[0], r[1]["field"])
    assert (422, "page_size") == ((r := await send("GET", "/call?page_size=0"))[0], r[1]["field"])


async def test_export_is_a_csv_of_every_match(send: Send, revox_mock: MockRevoxServer) -> None:
    """{csv, filename}: parsed with csv, every match (page ignored), metadata and outputs on demand."""
    await new_assistant(send)
    _, (a, b, c) = await three_calls(send, revox_mock)
    revox_mock.assistants.clear()
    body = {"filters": {**NO_FILTER, "page": 1, "page_size": 1}, "include_metadata": True}
    status, data = await send("POST", "/call/export", body)
    assert 200 == status, data
    assert data["filename"].startswith("calls-")
    assert data["filename"].endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(data["csv"])))
    assert [c["id"], b["id"], a["id"]] == [r["id"] for r in rows]
    assert ["", "b", ""] == [r["metadata.team"] for r in rows]
    assert ("human", "interested", "Kim-1") == (
        rows[2]["result"],
        rows[2]["outcome"],
        rows[2]["metadata.crm"],
    )
    plain = list(
        csv.reader(
            io.StringIO(
                (await send("POST", "/call/export", {"filters": body["filters"]}))[1]["csv"]
            )
        )
    )
    assert not any(h.startswith("metadata.") for h in plain[0])


async def test_export_adds_structured_output_columns(
    send: Send, revox_mock: MockRevoxServer
) -> None:
    """include_structured_output_fields: a column per extracted field."""
    assistant = await new_assistant(
        send, structured_output_config=[{"name": "email", "required": True, "type": "string"}]
    )
    await place_call(send, assistant["id"])
    revox_mock.advance(60)
    body = {
        "filters": {**NO_FILTER, "page": 1, "page_size": 1},
        "include_structured_output_fields": True,
    }
    rows = list(csv.DictReader(io.StringIO((await send("POST", "/call/export", body))[1]["csv"])))
    assert ["sample"] == [r["structured_output.email"] for r in rows]
    refused = await send("POST", "/call/export", {"filters": {**NO_FILTER, "page": 1}})
    assert (400, "filters.page_size") == (refused[0], refused[1]["field"])
    refused = await send(
        "POST", "/call/export", {"filters": body["filters"], "include_metadata": "yes"}
    )
    assert (400, "include_metadata") == (refused[0], refused[1]["field"])


async def test_phone_history(send: Send, revox_mock: MockRevoxServer) -> None:
    """Per number dialled: attempts, whether a human answered, the last outcome."""
    _, (a, _b, _c) = await three_calls(send, revox_mock)
    status, data = await send("GET", "/calls/phone-history")
    assert 200 == status
    history = data["phone_history"]
    assert {"+33600000001", "+33600000002"} == set(history)
    human = history["+33600000001"]
    assert (1, True, True, False, "interested", []) == (
        human["count"],
        human["reached_human"],
        human["hot"],
        human["do_not_contact"],
        human["last_outcome"],
        human["campaigns"],
    )
    assert (
        human["last_called_at"] == (await get_call(send, a["id"]))["call_attempts"][0]["started_at"]
    )
    assert (False, None) == (
        history["+33600000002"]["reached_human"],
        history["+33600000002"]["last_outcome"],
    )


async def test_placing_a_call_ignores_or_honours_idempotency_keys(
    send: Send, revox_mock: MockRevoxServer
) -> None:
    """Like the live API, a re-sent key places another call; "honour" answers the first."""
    assistant = await new_assistant(send)
    body = {"phone_number": "+33612345678", "assistant_id": assistant["id"]}
    key = {"headers": {"Idempotency-Key": "k1"}}
    await send("POST", "/call", body, **key)
    await send("POST", "/call", body, **key)
    assert 2 == len(revox_mock.calls)
    revox_mock.idempotency = "honour"
    first = await send("POST", "/call", body, **key)
    assert first == await send("POST", "/call", body, **key)
    assert 3 == len(revox_mock.calls)
    assert 400 == (await send("POST", "/call", {**body, "phone_number": "+33612345679"}, **key))[0]


async def test_drift_reaches_calls_in_answers_only(send: Send, revox_mock: MockRevoxServer) -> None:
    """A newer API's fields and values in what is answered; the stored call stays 0.5.0."""
    revox_mock.call_plan = CallPlan(by_number={"+33612345678": "voicemail"}, retry_delay=0)
    assistant = await new_assistant(send, call_retry_config=RETRY_ONCE)
    call = await place_call(send, assistant["id"])
    revox_mock.advance(90)
    revox_mock.drift = True
    shown = await get_call(send, call["id"])
    assert ("voicemail_detected", "neutral") == (shown["status"], shown["sentiment"])
    assert ("voicemail_detected", "mock-telecom") == (
        shown["call_attempts"][0]["end_reason"],
        shown["call_attempts"][0]["carrier"],
    )
    stored = revox_mock.calls[call["id"]]
    assert ("completed", "voicemail") == (
        stored["status"],
        stored["call_attempts"][0]["end_reason"],
    )
    assert "sentiment" not in stored
    assert ([], 0) == await search(send, statuses=["voicemail_detected"])
    revox_mock.drift = False
    assert (
        422
        == (
            await send(
                "POST",
                "/call/search",
                {**NO_FILTER, "page": 1, "page_size": 1, "statuses": ["voicemail_detected"]},
            )
        )[0]
    )


async def test_reset_forgets_calls_and_restores_the_clock(
    send: Send, revox_mock: MockRevoxServer
) -> None:
    """reset(): no calls, the default plan, time_scale 0, now back to the real time."""
    assistant = await new_assistant(send)
    await place_call(send, assistant["id"])
    revox_mock.call_plan = CallPlan(error_rate=1.0)
    revox_mock.time_scale = 5.0
    revox_mock.advance(86_400)
    revox_mock.reset()
    assert ({}, CallPlan(), 0.0) == (revox_mock.calls, revox_mock.call_plan, revox_mock.time_scale)
    assert revox_mock.now - revox_mock.now == timedelta(0)
    assert abs((revox_mock.now - revox_mock.now.now(revox_mock.now.tzinfo)).total_seconds()) < 3600
