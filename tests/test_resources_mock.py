"""Every non-assistant endpoint against the embedded mock, through AsyncRevox and SyncRevox.

Each test runs twice (``api`` is parametrised): once awaiting an ``AsyncRevox``
on an event loop of its own, once calling a ``SyncRevox`` (its anyio portal
thread). Calls live on the mock's clock: ``calls.wait`` sleeps through
``api.advance_on_sleep()``, which moves mock time instead of waiting.
"""

from __future__ import annotations

import asyncio
import csv
import io
import wave
from collections.abc import AsyncIterator, Awaitable, Iterable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

import revox_async as rx
from revox_async import AsyncRevox, SyncRevox
from revox_async.testing import CallPlan, MockRevoxServer

from .mock_send import Send, send

__all__ = ["send"]

ADA, ALAN, GRACE = "+33612345601", "+33612345602", "+33612345603"
ONE_RETRY: dict[str, Any] = {  # the fewest the schema allows (max_retry_attempts >= 1)
    "allowed_days": ["monday", "tuesday", "wednesday", "thursday", "friday"],
    "call_twice_in_a_row": False,
    "calling_windows": [{"calling_window_start_time": "10:00", "calling_window_end_time": "18:00", "retry_delay_seconds": 60}],
    "max_retry_attempts": 1,
}  # fmt: skip
ENDPOINTS = {
    "calls": {"create", "retrieve", "cancel", "pause", "resume", "search", "search_page",
              "export", "phone_history", "wait"},
    "campaigns": {"create", "retrieve", "update", "list", "delete", "cancel", "pause", "resume",
                  "launch", "rows", "export", "statistics"},
    "voices": {"list", "retrieve", "delete", "clone", "preview"},
    "phone_numbers": {"list", "update", "delete"},
    "users": {"me"},
}  # fmt: skip
"""What this module exercises; a new public method fails `test_every_method_is_exercised_here`."""
ELSEWHERE = {"with_raw_response", "create_many", "create_many_iter"}
"""Public names tested elsewhere: the parameter table, raw forms, batches (test_batch*.py)."""


class Api:
    """One client under test, driven from a plain (sync) test.

    ``api(x)`` is ``x``'s result: awaited on this test's own event loop for
    ``AsyncRevox``, returned as is for ``SyncRevox`` (whose methods block).
    """

    def __init__(self, client: Any, mock: MockRevoxServer, runner: asyncio.Runner | None) -> None:
        self.client = client
        self.mock = mock
        self.runner = runner

    @property
    def is_sync(self) -> bool:
        return self.runner is None

    def __call__(self, result: Any) -> Any:
        if self.runner is None:
            return result
        return self.runner.run(_awaited(result))

    def collect(self, calls: AsyncIterator[Any] | Iterator[Any]) -> list[Any]:
        if self.runner is None:
            assert isinstance(calls, Iterator)
            return list(calls)
        assert isinstance(calls, AsyncIterator)
        return self.runner.run(_collected(calls))

    def advance_on_sleep(self) -> list[float]:
        """``calls.wait`` (and retry backoff) move mock time instead of sleeping."""
        slept: list[float] = []

        async def sleep(seconds: float) -> None:
            slept.append(seconds)
            self.mock.advance(seconds)

        inner = self.client._portal.client if self.is_sync else self.client
        inner._sleep = sleep
        return slept

    def assistant(self, **params: Any) -> rx.Assistant:
        params.setdefault("name", "Reminder")
        params.setdefault("prompt", "You remind {{first_name}} of tomorrow's appointment.")
        created: rx.Assistant = self(self.client.assistants.create(**params))
        return created

    def searches(self) -> list[dict[str, Any]]:
        """The bodies of the ``POST /call/search`` requests the mock received."""
        return [r.body for r in self.mock.requests if r.path == "/api/call/search"]


async def _awaited(result: Awaitable[Any]) -> Any:
    return await result


async def _collected(calls: AsyncIterator[Any]) -> list[Any]:
    return [call async for call in calls]


@pytest.fixture(params=["async", "sync"])
def api(request: pytest.FixtureRequest, revox_mock: MockRevoxServer) -> Iterator[Api]:
    if request.param == "sync":
        with SyncRevox(api_key=revox_mock.api_key, base_url=revox_mock.base_url) as sync:
            yield Api(sync, revox_mock, None)
        return
    with asyncio.Runner() as runner:
        client = AsyncRevox(api_key=revox_mock.api_key, base_url=revox_mock.base_url)
        try:
            yield Api(client, revox_mock, runner)
        finally:
            runner.run(client.close())


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_every_method_is_exercised_here() -> None:
    """The resources' public methods are the ones listed in ENDPOINTS (and ELSEWHERE)."""
    client = AsyncRevox(api_key="k")
    for name, methods in ENDPOINTS.items():
        resource = getattr(client, name)
        public = {m for m in dir(resource) if not m.startswith("_")} - ELSEWHERE
        assert methods == public, name


# -- calls -------------------------------------------------------------------------------


def test_a_call_runs_to_completed_with_its_transcript_and_structured_output(api: Api) -> None:
    """create (assistant_id) → wait on the mock clock → completed, transcript, outcome, output."""
    slept = api.advance_on_sleep()
    assistant = api.assistant(
        first_sentence="Hello Ada!",
        structured_output_config=[
            {"name": "confirmed", "required": True, "type": "boolean"},
            {"name": "slot", "required": False, "type": "enum", "enum_options": ["am", "pm"]},
        ],
    )
    call = api(
        api.client.calls.create(
            phone_number=ADA,
            assistant_id=assistant.id,
            prompt_variables={"first_name": "Ada"},
            metadata={"crm_id": "42"},
        )
    )
    assert ("queued_for_calling", False, []) == (call.status, call.is_terminal, call.transcript)
    assert (assistant.id, "42") == (call.assistant.id, call.metadata["crm_id"])
    assert {"crm_id", "revox_async_key"} == set(call.metadata)  # and its key, to be found by
    assert {"first_name": "Ada"} == call.prompt_variables

    done = api(api.client.calls.wait(call.id, timeout=600, poll_interval=2))
    assert (call.id, "completed", "interested") == (done.id, done.status, done.outcome)
    assert (True, True, 1) == (done.is_terminal, done.is_completed, done.calls_count)
    assert "human" == done.latest_attempt.result
    assert "Hello Ada!" == done.transcript[0].content
    assert ["assistant", "user", "assistant", "user"] == [t.role for t in done.transcript]
    assert {"confirmed": True, "slot": "am"} == done.structured_output
    assert done.latest_attempt.recording_url.endswith(".wav")
    assert [2.0, 3.0, 4.5, 6.75, 10.125, 15.1875] == slept[:6]  # grows by half each poll
    assert done == api(api.client.calls.retrieve(call.id))


def test_a_call_with_an_inline_assistant(api: Api) -> None:
    """create(assistant={...}) with no stored assistant: the call carries it, named for you."""
    api.advance_on_sleep()
    call = api(
        api.client.calls.create(
            phone_number=ALAN,
            assistant={"prompt": "You confirm a delivery.", "first_sentence": "Hi, Revox here."},
        )
    )
    assert ("You confirm a delivery.", "Inline assistant") == (
        call.assistant.prompt,
        call.assistant.name,
    )
    assert {} == api.mock.assistants
    done = api(api.client.calls.wait(call.id))
    assert ("completed", "Hi, Revox here.") == (done.status, done.transcript[0].content)


def test_a_call_that_never_connects_ends_errored(api: Api) -> None:
    """A CallPlan dial error on every attempt: errored, the attempt's dial_error kept."""
    api.advance_on_sleep()
    api.mock.call_plan = CallPlan(by_number={GRACE: "busy"})
    assistant = api.assistant(call_retry_config=ONE_RETRY)
    call = api(api.client.calls.create(phone_number=GRACE, assistant_id=assistant.id))
    done = api(api.client.calls.wait(call.id))
    assert ("errored", None, 2) == (done.status, done.outcome, done.calls_count)
    assert ("error", "busy") == (done.latest_attempt.status, done.latest_attempt.dial_error)
    assert (False, True) == (done.is_completed, done.is_terminal)


def test_a_voicemail_is_retried_then_the_human_answers(api: Api) -> None:
    """Voicemail, then a human: two attempts, newest first, the call completed."""
    api.advance_on_sleep()
    api.mock.call_plan = CallPlan(by_number={ADA: ("voicemail", "human")}, retry_delay=30)
    assistant = api.assistant()
    call = api(api.client.calls.create(phone_number=ADA, assistant_id=assistant.id))
    done = api(api.client.calls.wait(call.id, max_interval=5))
    assert ("completed", 2) == (done.status, done.calls_count)
    assert ["human", "voicemail"] == [a.result for a in done.call_attempts]


def test_wait_times_out_with_the_last_call_seen(api: Api) -> None:
    """A call scheduled next week: WaitTimeoutError after `timeout`, carrying the call."""
    slept = api.advance_on_sleep()
    assistant = api.assistant()
    later = api.mock.now + timedelta(days=7)
    call = api(
        api.client.calls.create(phone_number=ADA, assistant_id=assistant.id, scheduled_at=later)
    )
    with pytest.raises(rx.WaitTimeoutError, match="still 'scheduled' after 10 s") as caught:
        api(api.client.calls.wait(call.id, timeout=10, poll_interval=4))
    assert (call.id, "scheduled") == (caught.value.call.id, caught.value.call.status)
    assert [4.0, 6.0] == slept  # the last sleep is cut to the deadline
    assert 10 == sum(slept)


def test_pause_resume_cancel_apply_to_the_right_states(api: Api) -> None:
    """A scheduled call pauses, resumes (still scheduled) and cancels; 409 for the wrong state."""
    api.advance_on_sleep()  # a 409 is retried (as the official SDK does): no real backoff
    assistant = api.assistant()
    call = api(
        api.client.calls.create(
            phone_number=ADA,
            assistant_id=assistant.id,
            scheduled_at="2099-01-02T09:00:00+01:00",
        )
    )
    calls = api.client.calls
    assert "scheduled" == call.status
    with pytest.raises(rx.ConflictError) as not_paused:
        api(calls.resume(call.id))
    assert 409 == not_paused.value.status_code
    assert api(calls.pause(call.id)) is True
    assert "paused" == api(calls.retrieve(call.id)).status
    assert api(calls.pause(call.id)) is True  # pausing a paused call changes nothing
    assert api(calls.resume(call.id)) is True
    resumed = api(calls.retrieve(call.id))  # back to waiting for its time, not dialled now
    assert ("scheduled", call.scheduled_at) == (resumed.status, resumed.scheduled_at)
    assert api(calls.cancel(call.id)) is True
    cancelled = api(calls.retrieve(call.id))
    assert ("cancelled", True, True) == (
        cancelled.status,
        cancelled.is_cancelled,
        cancelled.is_terminal,
    )
    for action in (calls.cancel, calls.pause, calls.resume):
        with pytest.raises(rx.ConflictError, match="cancelled call"):
            api(action(call.id))
    with pytest.raises(rx.NotFoundError):
        api(calls.retrieve("call_missing"))


def test_cancel_hangs_up_a_call_in_progress(api: Api) -> None:
    """Cancelled while ongoing: the attempt ends client_initiated, no outcome."""
    assistant = api.assistant()
    call = api(api.client.calls.create(phone_number=ADA, assistant_id=assistant.id))
    api.mock.advance(10)
    assert "calling" == api(api.client.calls.retrieve(call.id)).status
    assert api(api.client.calls.cancel(call.id)) is True
    done = api(api.client.calls.retrieve(call.id))
    assert ("cancelled", None) == (done.status, done.outcome)
    assert ("completed", "client_initiated") == (
        done.latest_attempt.status,
        done.latest_attempt.end_reason,
    )


def _seven_calls(api: Api) -> tuple[rx.Assistant, rx.Assistant, list[rx.Call]]:
    """Five calls of one assistant and two of another, all completed; one scheduled later."""
    api.mock.call_plan = CallPlan(outcomes={"+33600000003": "not_interested"})
    first, second = api.assistant(name="First"), api.assistant(name="Second")
    placed = [
        api(
            api.client.calls.create(
                phone_number=f"+3360000000{i}",
                assistant_id=(first if i < 5 else second).id,
                metadata={"crm_id": f"crm{i}x"},
            )
        )
        for i in range(7)
    ]
    api.mock.advance(60)
    api(
        api.client.calls.create(
            phone_number="+33600000009",
            assistant_id=first.id,
            scheduled_at=api.mock.now + timedelta(days=1),
        )
    )
    return first, second, placed


def test_search_pages_through_every_match_with_filters(api: Api) -> None:
    """search(page_size=2): page 1, page 0 (refused: the mock counts from 1), pages 2 and 3
    of the five completed calls of one assistant."""
    first, _, placed = _seven_calls(api)
    found = api.collect(
        api.client.calls.search(assistant_ids=[first.id], statuses=["completed"], page_size=2)
    )
    assert {c.id for c in placed[:5]} == {c.id for c in found}
    assert 5 == len(found)
    assert all(c.status == "completed" and c.assistant.id == first.id for c in found)
    bodies = api.searches()
    assert [(1, 2), (0, 2), (2, 2), (3, 2)] == [(b["page"], b["page_size"]) for b in bodies]
    assert all([first.id] == b["assistant_ids"] and [] == b["campaign_ids"] for b in bodies)


def test_search_stops_at_the_limit(api: Api) -> None:
    """limit=3 with pages of 2: three calls, pages 1, 0 (refused) and 2; the iterator is lazy."""
    _seven_calls(api)
    calls = api.client.calls.search(page_size=2, limit=3)
    assert isinstance(calls, Iterator if api.is_sync else AsyncIterator)
    assert [] == api.searches()  # nothing is fetched before the loop asks
    assert 3 == len(api.collect(calls))
    assert [1, 0, 2] == [b["page"] for b in api.searches()]


def test_search_filters_by_outcome_query_and_number(api: Api) -> None:
    """outcomes, query (in metadata) and to_phone_number narrow the calls found."""
    _, second, placed = _seven_calls(api)
    calls = api.client.calls
    not_interested = api.collect(calls.search(outcomes=["not_interested"]))
    assert [placed[3].id] == [c.id for c in not_interested]
    assert [placed[6].id] == [c.id for c in api.collect(calls.search(query="CRM6X"))]
    only = api.collect(calls.search(to_phone_number="+33600000005"))
    assert [(placed[5].id, second.id)] == [(c.id, c.assistant.id) for c in only]
    assert [] == api.collect(calls.search(statuses=["errored"]))


def test_search_page_gives_one_page_and_the_total(api: Api) -> None:
    """search_page: the page asked for, and total_count of every match."""
    first, _, _ = _seven_calls(api)
    page = api(api.client.calls.search_page(assistant_ids=[first.id], page=2, page_size=4))
    assert (6, 2) == (page.total_count, len(page.calls))  # 5 completed + 1 scheduled
    everything = api(api.client.calls.search_page(page_size=100))
    assert (8, 8) == (everything.total_count, len(everything.calls))
    oldest_first = api(
        api.client.calls.search_page(sort_by="scheduled_at", sort_direction="asc", page_size=100)
    )
    assert "scheduled" == oldest_first.calls[-1].status


def test_export_is_csv_text_that_saves(
    api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """export: one CSV row per completed call, metadata columns on request; save() writes it."""
    _, _, placed = _seven_calls(api)
    export = api(api.client.calls.export(statuses=["completed"], include_metadata=True))
    rows = rows_of(export.csv)
    assert {c.id for c in placed} == {row["id"] for row in rows}
    assert {f"crm{i}x" for i in range(7)} == {row["metadata.crm_id"] for row in rows}
    assert {"completed"} == {row["status"] for row in rows}
    assert export.filename.startswith("calls-")
    assert export.filename.endswith(".csv")
    saved = export.save(tmp_path / "completed.csv")
    assert export.csv == saved.read_bytes().decode("utf-8")
    monkeypatch.chdir(tmp_path)
    assert Path(export.filename) == export.save()
    assert export.csv == (tmp_path / export.filename).read_bytes().decode()
    plain = api(api.client.calls.export(call_ids=[placed[0].id]))
    assert [placed[0].id] == [row["id"] for row in rows_of(plain.csv)]
    assert "metadata.crm_id" not in plain.csv


def test_phone_history_sums_up_each_number(api: Api) -> None:
    """phone_history: attempts, whether a human answered, the last outcome, per number."""
    api.advance_on_sleep()
    api.mock.call_plan = CallPlan(by_number={ALAN: "no_answer"})
    assistant = api.assistant(call_retry_config=ONE_RETRY)
    reached = api(api.client.calls.create(phone_number=ADA, assistant_id=assistant.id))
    missed = api(api.client.calls.create(phone_number=ALAN, assistant_id=assistant.id))
    api(api.client.calls.create(phone_number=GRACE, assistant_id=assistant.id, scheduled_at=api.mock.now + timedelta(days=1)))  # fmt: skip
    for call in (reached, missed):
        api(api.client.calls.wait(call.id))
    history = api(api.client.calls.phone_history())
    assert {ADA, ALAN} == set(history)  # a call never dialled is not history
    ada, alan = history[ADA], history[ALAN]
    assert (1, True, True, "interested", False) == (
        ada.count,
        ada.reached_human,
        ada.hot,
        ada.last_outcome,
        ada.do_not_contact,
    )
    assert (2, False, False, None) == (alan.count, alan.reached_human, alan.hot, alan.last_outcome)
    assert ada.last_called_at is not None
    assert [] == ada.campaigns


def test_calls_refuse_bad_input_before_sending(api: Api) -> None:
    """No assistant: TypeError naming both fields, and the mock saw nothing."""
    with pytest.raises(TypeError, match="assistant_id or assistant: one is required"):
        api(api.client.calls.create(phone_number=ADA))
    with pytest.raises(ValueError, match="page: must be"):
        api(api.client.calls.search_page(page=-1))
    with pytest.raises(ValueError, match="timeout: must be"):
        api(api.client.calls.wait("call_1", timeout=0))
    assert [] == api.mock.requests


def test_a_call_the_server_rejects_names_the_field(api: Api) -> None:
    """An unknown assistant_id: 404 from the server, typed."""
    with pytest.raises(rx.NotFoundError, match="no assistant") as caught:
        api(api.client.calls.create(phone_number=ADA, assistant_id="asst_missing"))
    assert 404 == caught.value.status_code
    assert {} == api.mock.calls


# -- campaigns ---------------------------------------------------------------------------


def _campaign(
    api: Api, *, fail_first: bool = False, **params: Any
) -> tuple[rx.Assistant, rx.Campaign]:
    """Three contacts, for an assistant made here (``fail_first``: its POST is answered 500)."""
    assistant = api.assistant(
        name="Spring",
        structured_output_config=[{"name": "budget", "required": False, "type": "number"}],
    )
    if fail_first:
        api.mock.fail_next("commit_then_fail")
    campaign = api(
        api.client.campaigns.create(
            name="Spring check-ups",
            assistant_id=assistant.id,
            contacts=[
                {"to_phone_number": ADA, "prompt_variables": {"first_name": "Ada"}},
                {"to_phone_number": ALAN, "prompt_variables": {"first_name": "Alan"}},
                {"to_phone_number": GRACE, "prompt_variables": {"first_name": "Grace"}},
            ],
            **params,
        )
    )
    return assistant, campaign


def test_a_campaign_from_rows_to_statistics(api: Api) -> None:
    """create → rows not_launched → launch → calls end → statistics and a completed campaign."""
    plan = CallPlan(by_number={GRACE: "no_answer"}, outcomes={ALAN: None}, retry_delay=0)
    api.mock.call_plan = plan
    assistant, campaign = _campaign(api, call_retry_config=ONE_RETRY, max_concurrent_calls=2)
    campaigns = api.client.campaigns
    assert ("Spring check-ups", assistant.id, "running", False) == (
        campaign.name,
        campaign.assistant_id,
        campaign.status,
        campaign.is_cancelled,
    )
    assert (3, 3, 2) == (
        campaign.row_stats.total,
        campaign.row_stats.not_launched,
        campaign.max_concurrent_calls,
    )
    rows = api(campaigns.rows(campaign.id))
    assert [0, 1, 2] == [row.row_index for row in rows]
    assert [ADA, ALAN, GRACE] == [row.phone_number for row in rows]
    assert {"first_name": "Ada"} == rows[0].input_data
    assert {"not_launched"} == {row.call.status for row in rows}
    assert {campaign.id} == {row.call.campaign.id for row in rows}

    launched = api(campaigns.launch(campaign.id))
    assert (3, 0, 0, 0, None) == (
        launched.launched,
        launched.skipped.active,
        launched.skipped.attempts_exhausted,
        launched.skipped.cancelled,
        launched.session,
    )
    assert {"queued_for_calling"} == {r.call.status for r in api(campaigns.rows(campaign.id))}
    api.mock.advance(60)
    statuses = {r.phone_number: r.call.status for r in api(campaigns.rows(campaign.id))}
    assert {ADA: "completed", ALAN: "completed", GRACE: "errored"} == statuses

    stats = api(campaigns.statistics(campaign.id))
    assert ("completed", "Spring", 2) == (
        stats.campaign.status,
        stats.campaign.agent_name,
        stats.campaign.max_attempts_per_contact,
    )
    funnel = stats.funnel
    assert (3, 3, 2, 66.7) == (
        funnel.called.count,
        funnel.called.imported_rows,
        funnel.reached.count,
        funnel.reached.pct_of_called,
    )
    assert (1, 50.0) == (funnel.real_exchanges.count, funnel.real_exchanges.pct_of_reached)
    assert (1, 50.0) == (funnel.hot_leads.count, funnel.hot_leads.pct_of_reached)
    assert (4, 4) == (stats.effort.calls_total, stats.effort.outbound_attempts)
    assert ["Ada"] == [lead.name for lead in stats.leads.interested]
    assert 30.0 == stats.jump_in.median_conversation_seconds
    assert ["budget"] == stats.data_extraction.fields
    assert {"interested": 1} == {o.outcome: o.count for o in stats.outcome_breakdown if o.count}

    done = api(campaigns.retrieve(campaign.id))
    assert ("completed", 2, 1) == (done.status, done.row_stats.completed, done.row_stats.failed)
    assert (3, 2, 1) == (
        done.funnel_stats.total_leads,
        done.funnel_stats.talked_to_human,
        done.funnel_stats.hot,
    )
    again = api(campaigns.launch(campaign.id))
    assert (0, 3) == (again.launched, again.skipped.attempts_exhausted)


def test_launch_part_of_a_campaign_later_and_speed_dial(api: Api) -> None:
    """selection "only" one row, scheduled later; speed_dial returns its session."""
    _, campaign = _campaign(api)
    campaigns = api.client.campaigns
    rows = api(campaigns.rows(campaign.id))
    later = api.mock.now + timedelta(hours=2)
    first = api(
        campaigns.launch(
            campaign.id,
            selection={"rows": {"call_ids": [rows[0].call.id], "mode": "only"}},
            scheduled_at=later,
        )
    )
    assert 1 == first.launched
    statuses = [r.call.status for r in api(campaigns.rows(campaign.id))]
    assert ["scheduled", "not_launched", "not_launched"] == statuses
    assert later == api(campaigns.retrieve(campaign.id)).scheduled_at

    dial = api(campaigns.launch(campaign.id, mode="speed_dial"))
    assert (2, 1) == (dial.launched, dial.skipped.active)
    assert ("dialing", campaign.id, 2) == (
        dial.session.status,
        dial.session.campaign_id,
        dial.session.total_targets,
    )
    with pytest.raises(ValueError, match="only for mode='ai_first'"):
        api(campaigns.launch(campaign.id, mode="speed_dial", scheduled_at=later))


def test_pause_resume_cancel_a_campaign(api: Api) -> None:
    """pause holds the queued calls, resume re-queues them, cancel ends them; rows stay."""
    _, campaign = _campaign(api)
    campaigns = api.client.campaigns
    api(campaigns.launch(campaign.id))
    assert api(campaigns.pause(campaign.id)) is True
    paused = api(campaigns.retrieve(campaign.id))
    assert ("paused", 3) == (paused.status, paused.row_stats.pending)
    assert {"paused"} == {r.call.status for r in api(campaigns.rows(campaign.id))}
    api.mock.advance(600)
    assert {"paused"} == {r.call.status for r in api(campaigns.rows(campaign.id))}

    assert api(campaigns.resume(campaign.id)) is True
    assert "running" == api(campaigns.retrieve(campaign.id)).status
    assert {"queued_for_calling"} == {r.call.status for r in api(campaigns.rows(campaign.id))}

    assert api(campaigns.cancel(campaign.id)) is True
    cancelled = api(campaigns.retrieve(campaign.id))
    assert (True, 3) == (cancelled.is_cancelled, cancelled.row_stats.skipped)
    assert 3 == len(api(campaigns.rows(campaign.id)))
    assert (0, 3) == (
        api(campaigns.launch(campaign.id)).launched,
        api(campaigns.launch(campaign.id)).skipped.cancelled,
    )


def test_update_list_export_delete_a_campaign(api: Api, tmp_path: Path) -> None:
    """update (None clears), list, export CSV of the rows, delete; then 404."""
    _, campaign = _campaign(api, from_phone_number="+14155550100", max_concurrent_calls=3)
    campaigns = api.client.campaigns
    updated = api(campaigns.update(campaign.id, name="Summer check-ups", max_concurrent_calls=None))
    assert ("Summer check-ups", None, "+14155550100") == (
        updated.name,
        updated.max_concurrent_calls,
        updated.from_phone_number,
    )
    assert {"name": "Summer check-ups", "max_concurrent_calls": None} == api.mock.requests[-1].body
    assert {"Summer check-ups"} == {r.call.campaign.name for r in api(campaigns.rows(campaign.id))}
    with pytest.raises(TypeError, match="fixed"):
        api(campaigns.update(campaign.id, assistant_id="other"))  # type: ignore[call-arg]

    _, other = _campaign(api)
    assert {campaign.id, other.id} == {c.id for c in api(campaigns.list())}

    export = api(campaigns.export(campaign.id))
    assert f"campaign-{campaign.id}.csv" == export.filename
    table = rows_of(export.csv)
    assert [ADA, ALAN, GRACE] == [row["phone_number"] for row in table]
    assert ["Ada", "Alan", "Grace"] == [row["first_name"] for row in table]
    assert {"not_launched"} == {row["status"] for row in table}
    assert export.csv == export.save(tmp_path / "spring.csv").read_bytes().decode("utf-8")

    row_calls = [r.call.id for r in api(campaigns.rows(campaign.id))]
    assert api(campaigns.delete(campaign.id)) is True
    assert [other.id] == [c.id for c in api(campaigns.list())]
    assert not set(row_calls) & set(api.mock.calls)
    for gone in (campaigns.retrieve, campaigns.rows, campaigns.statistics, campaigns.delete):
        with pytest.raises(rx.NotFoundError, match="no campaign"):
            api(gone(campaign.id))


def test_a_campaign_for_an_unknown_assistant_is_a_404(api: Api) -> None:
    """The server checks assistant_id: NotFoundError, nothing stored."""
    with pytest.raises(rx.NotFoundError, match="no assistant"):
        api(
            api.client.campaigns.create(
                name="x",
                assistant_id="asst_missing",
                contacts=[{"to_phone_number": ADA, "prompt_variables": {}}],
            )
        )
    assert {} == api.mock.campaigns


# -- voices ------------------------------------------------------------------------------


def test_voices_list_and_retrieve_with_their_provider(api: Api) -> None:
    """list: presets of each provider and the clone, camelCase read; retrieve needs provider."""
    voices = {v.id: v for v in api(api.client.voices.list())}
    assert {"cartesia", "elevenlabs", "gradium"} == {v.provider for v in voices.values()}
    owned = voices["cloned-owner-voice"]
    assert (True, "sonic-3.5") == (owned.is_cloned, owned.model_compat)
    rachel = voices["21m00Tcm4TlvDq8ikWAM"]
    assert ("Rachel", "en", "female", False) == (
        rachel.name,
        rachel.language,
        rachel.gender,
        rachel.is_cloned,
    )
    one = api(api.client.voices.retrieve("gradium-emma", provider="gradium"))
    assert ("gradium-emma", "Emma", "Emma, a gradium voice") == (
        one.id,
        one.name,
        one.description,
    )
    assert "provider=gradium" in api.mock.requests[-1].path
    with pytest.raises(rx.NotFoundError):
        api(api.client.voices.retrieve("gradium-emma", provider="cartesia"))
    with pytest.raises(rx.NotFoundError, match="no voice"):
        api(api.client.voices.retrieve("no-such-voice", provider="cartesia"))
    with pytest.raises(rx.UnprocessableEntityError, match="provider"):
        api(api.client.voices.retrieve("gradium-emma", provider="acme"))  # type: ignore[arg-type]


def _is_wav(audio: bytes) -> tuple[int, int]:
    """The channels and frame count of a WAV (raises if it is not one)."""
    assert audio[:4] == b"RIFF"
    assert audio[8:12] == b"WAVE"
    with wave.open(io.BytesIO(audio)) as wav:
        return wav.getnchannels(), wav.getnframes()


def test_preview_is_wav_audio(api: Api) -> None:
    """preview: the bytes of a WAV, longer for a longer text; raw shows audio/wav."""
    voices = api.client.voices
    short = api(voices.preview(provider="cartesia", voice_id="79a125e8-cd45-4c13-8a67-188112f4dd22", text="Hi"))  # fmt: skip
    long = api(
        voices.preview(
            provider="cartesia",
            voice_id="79a125e8-cd45-4c13-8a67-188112f4dd22",
            text="Hello, this is a much longer preview of the voice. " * 2,
            model="sonic-3",
            speed=1.1,
            volume=1.2,
        )
    )
    (channels, short_frames), (_, long_frames) = _is_wav(short), _is_wav(long)
    assert 1 == channels
    assert short_frames < long_frames
    sent = api.mock.requests[-1]
    assert ("*/*", "sonic-3", 1.2) == (
        sent.headers["Accept"],
        sent.body["model"],
        sent.body["volume"],
    )
    raw = api(voices.with_raw_response.preview(provider="elevenlabs", voice_id="pNInz6obpgDQGcFmaJgB"))  # fmt: skip
    assert (200, "audio/wav") == (raw.status_code, raw.headers["Content-Type"])
    _is_wav(raw.parsed)
    with pytest.raises(rx.NotFoundError):
        api(voices.preview(provider="elevenlabs", voice_id="79a125e8-cd45-4c13-8a67-188112f4dd22"))


def test_clone_from_bytes_and_from_a_path_then_delete(api: Api, tmp_path: Path) -> None:
    """clone: bytes with content_type, or a path (type from the suffix); base64 in JSON."""
    voices = api.client.voices
    audio = api(voices.preview(provider="gradium", voice_id="gradium-emma"))
    from_bytes = api(voices.clone(name="Ada", audio=audio, language="en", content_type="audio/wav"))
    sent = api.mock.requests[-1].body
    assert ("audio/wav", "en") == (sent["contentType"], sent["language"])
    assert from_bytes.id == from_bytes.cartesia_voice_id
    assert ("Ada", "en") == (from_bytes.name, from_bytes.language)
    assert from_bytes.created_at is not None

    path = tmp_path / "alan.ogg"
    path.write_bytes(audio)
    from_path = api(voices.clone(name="Alan", audio=path, language="fr"))
    assert "audio/ogg" == api.mock.requests[-1].body["contentType"]
    listed = {v.id: v for v in api(voices.list())}
    assert (True, "fr") == (listed[from_path.id].is_cloned, listed[from_path.id].language)
    assert api(voices.retrieve(from_bytes.id, provider="cartesia")).name == "Ada"

    assert api(voices.delete(from_bytes.id)) is True
    with pytest.raises(rx.NotFoundError):
        api(voices.retrieve(from_bytes.id, provider="cartesia"))
    with pytest.raises(rx.NotFoundError):
        api(voices.delete(from_bytes.id))
    with pytest.raises(ValueError, match="cannot read"):
        api(voices.clone(name="x", audio=tmp_path / "missing.wav", language="en"))
    with pytest.raises(TypeError, match="content_type: required"):
        api(voices.clone(name="x", audio=b"RIFF", language="en"))


def test_a_voice_in_use_or_preset_cannot_be_deleted(api: Api) -> None:
    """A voice an assistant speaks with: 409 at once (one request); a preset: 422."""
    voices = api.client.voices
    api.assistant(voice={"id": "cloned-owner-voice", "provider": "cartesia"})
    before = len(api.mock.requests)
    with pytest.raises(rx.ConflictError, match="used by assistant"):
        api(voices.delete("cloned-owner-voice"))
    assert 1 == len(api.mock.requests) - before  # not retried
    with pytest.raises(rx.UnprocessableEntityError, match="only cloned voices"):
        api(voices.delete("21m00Tcm4TlvDq8ikWAM"))
    assert "cloned-owner-voice" in api.mock.voices


# -- phone numbers, user, key ------------------------------------------------------------


def test_phone_numbers_list_update_delete(api: Api) -> None:
    """update sets the answering assistant and label, None clears; delete removes; 404 after."""
    numbers = api.client.phone_numbers
    listed = api(numbers.list())
    assert [("pn_owned", "+14155550100", "owned_number", "Main line"), ("pn_verified", "+33123456789", "verified_caller_id", None)] == [
        (n.id, n.phone_number, n.type, n.label) for n in listed
    ]  # fmt: skip
    desk = api.assistant(name="Desk")
    answered = api(numbers.update("pn_owned", inbound_assistant_id=desk.id, label="Front desk"))
    assert ("Desk", "Front desk") == (answered.inbound_assistant.name, answered.label)
    assert {"inbound_assistant_id": desk.id, "label": "Front desk"} == api.mock.requests[-1].body
    cleared = api(numbers.update("pn_owned", inbound_assistant_id=None))
    assert (None, "Front desk") == (cleared.inbound_assistant, cleared.label)
    assert {"inbound_assistant_id": None} == api.mock.requests[-1].body
    with pytest.raises(rx.NotFoundError, match="no assistant"):
        api(numbers.update("pn_owned", inbound_assistant_id="asst_missing"))

    assert api(numbers.delete("pn_verified")) is True
    assert ["pn_owned"] == [n.id for n in api(numbers.list())]
    with pytest.raises(rx.NotFoundError, match="no phone number"):
        api(numbers.delete("pn_verified"))
    with pytest.raises(rx.NotFoundError):
        api(numbers.update("pn_verified", label="x"))


def test_users_me_and_auth_status(api: Api) -> None:
    """users.me is the key's user and organisation; auth_status says the key is valid."""
    me = api(api.client.users.me())
    assert ("user_mock", "owner@example.com", "Mock", "org_mock", "US", True) == (
        me.id,
        me.email,
        me.first_name,
        me.organization_id,
        me.organization_country,
        me.has_completed_onboarding,
    )
    assert True is api(api.client.auth_status()).authenticated
    assert ["/api/users/me", "/api/auth-status"] == [r.path for r in api.mock.requests]


@pytest.mark.parametrize("kind", ["async", "sync"])
def test_a_wrong_key_is_an_authentication_error_everywhere(
    kind: str, revox_mock: MockRevoxServer
) -> None:
    """A key the server rejects: AuthenticationError (401) from each resource, not retried."""
    ask: list[tuple[str, Any]] = [
        ("calls.search_page", lambda c: c.calls.search_page()),
        ("calls.retrieve", lambda c: c.calls.retrieve("call_1")),
        ("calls.phone_history", lambda c: c.calls.phone_history()),
        ("campaigns.list", lambda c: c.campaigns.list()),
        ("voices.list", lambda c: c.voices.list()),
        ("voices.preview", lambda c: c.voices.preview(provider="gradium", voice_id="gradium-emma")),
        ("phone_numbers.list", lambda c: c.phone_numbers.list()),
        ("users.me", lambda c: c.users.me()),
        ("auth_status", lambda c: c.auth_status()),
    ]
    url = revox_mock.base_url
    if kind == "sync":
        with SyncRevox(api_key="sk-wrong", base_url=url) as sync:
            for name, call in ask:
                with pytest.raises(rx.AuthenticationError) as caught:
                    call(sync)
                assert 401 == caught.value.status_code, name
    else:

        async def main() -> None:
            async with AsyncRevox(api_key="sk-wrong", base_url=url) as client:
                for name, call in ask:
                    with pytest.raises(rx.AuthenticationError) as caught:
                        await call(client)
                    assert 401 == caught.value.status_code, name

        asyncio.run(main())
    assert len(ask) == len(revox_mock.requests)
    assert {401} == {r.status for r in revox_mock.requests}


def _ids(items: Iterable[Any]) -> list[str]:
    return [item.id for item in items]


def test_sync_and_async_see_the_same_objects(revox_mock: MockRevoxServer) -> None:
    """A call placed by one client reads the same, field for field, from the other."""
    url, key = revox_mock.base_url, revox_mock.api_key
    with SyncRevox(api_key=key, base_url=url) as sync:
        assistant = sync.assistants.create(name="Both", prompt="p")
        call = sync.calls.create(phone_number=ADA, assistant_id=assistant.id)

        async def read() -> tuple[rx.Call, list[str]]:
            async with AsyncRevox(api_key=key, base_url=url) as client:
                found = [c async for c in client.calls.search()]
                return await client.calls.retrieve(call.id), _ids(found)

        again, searched = asyncio.run(read())
        assert call == again == sync.calls.retrieve(call.id)
        assert [call.id] == searched == _ids(sync.calls.search())


# -- what else the SDK promises on these resources ---------------------------------------


def test_a_call_whose_answer_is_lost_is_not_placed_twice(api: Api) -> None:
    """POST /call committed, answered 500, keys ignored (as live): found by a search, not re-sent."""
    api.advance_on_sleep()
    api.mock.idempotency = "ignore"
    assistant = api.assistant()
    api.mock.fail_next("commit_then_fail")
    call = api(
        api.client.calls.create(
            phone_number=ADA, assistant_id=assistant.id, metadata={"crm_id": "lost-1"}
        )
    )
    assert [call.id] == list(api.mock.calls)
    assert "lost-1" == call.metadata["crm_id"]
    sent = [(r.method, r.path, r.status) for r in api.mock.requests[1:]]
    assert ("POST", "/api/call", 500) == sent[0]
    assert {("POST", "/api/call/search", 200)} == set(sent[1:])  # pages 1 (and 0) searched
    assert ADA == api.mock.requests[-1].body["to_phone_number"]


def test_a_campaign_whose_answer_is_lost_is_not_created_twice(api: Api) -> None:
    """POST /campaigns committed then 500: the campaigns are listed, the new one's rows
    read (its contacts are these), and it is taken."""
    api.advance_on_sleep()
    api.mock.idempotency = "ignore"
    _, campaign = _campaign(api, fail_first=True)
    assert [campaign.id] == list(api.mock.campaigns)
    assert 3 == campaign.row_stats.total
    sent = [(r.method, r.path, r.status) for r in api.mock.requests[1:]]
    rows = ("GET", f"/api/campaigns/{campaign.id}/rows", 200)
    assert [("POST", "/api/campaigns", 500), ("GET", "/api/campaigns", 200), rows] == sent


def test_a_clone_whose_answer_is_lost_is_not_sent_again(api: Api) -> None:
    """Against a server that ignores Idempotency-Key, a re-sent clone is a second voice, and
    nothing can tell whether the first one happened: the error says where to look."""
    api.mock.idempotency = "ignore"
    before = set(api.mock.voices)
    api.mock.fail_next("commit_then_fail")
    with pytest.raises(rx.APIStatusError) as caught:
        api(api.client.voices.clone(name="Ada", audio=b"RIFF0000WAVE", language="en", content_type="audio/wav"))  # fmt: skip
    assert 500 == caught.value.status_code
    assert "voices.list()" in "".join(caught.value.__notes__)
    assert 1 == len(set(api.mock.voices) - before)  # made once, by the lost attempt
    assert [500] == [r.status for r in api.mock.requests]


def test_a_launch_whose_answer_is_lost_is_not_sent_again(api: Api) -> None:
    """A re-sent launch would report the rows the lost one launched as skipped."""
    api.mock.idempotency = "ignore"
    _, campaign = _campaign(api)
    api.mock.fail_next("commit_then_fail")
    with pytest.raises(rx.APIStatusError) as caught:
        api(api.client.campaigns.launch(campaign.id))
    assert "campaigns.rows()" in "".join(caught.value.__notes__)
    rows = api(api.client.campaigns.rows(campaign.id))
    assert {"queued_for_calling"} == {row.call.status for row in rows if row.call}
    again = api(api.client.campaigns.launch(campaign.id))  # safe: active rows are skipped
    assert (0, 3) == (again.launched, again.skipped.active)


def test_raw_responses_carry_status_headers_and_the_model(api: Api) -> None:
    """with_raw_response on each resource: the status, headers and the parsed model."""
    assistant = api.assistant()
    raw_call = api(api.client.calls.with_raw_response.create(phone_number=ADA, assistant_id=assistant.id))  # fmt: skip
    assert (201, ADA) == (raw_call.status_code, raw_call.parsed.to_phone_number)
    assert raw_call.headers["Content-Type"].startswith("application/json")
    page = api(api.client.calls.with_raw_response.search_page())
    assert (200, 1) == (page.status_code, page.parsed.total_count)
    numbers = api(api.client.phone_numbers.with_raw_response.list())
    assert (200, ["pn_owned", "pn_verified"]) == (numbers.status_code, _ids(numbers.parsed))
    me = api(api.client.users.with_raw_response.me())
    assert (200, "owner@example.com") == (me.status_code, me.parsed.email)
    campaigns = api(api.client.campaigns.with_raw_response.list())
    assert (200, []) == (campaigns.status_code, campaigns.parsed)
    with pytest.raises(AttributeError, match="use search_page"):
        api.client.calls.with_raw_response.search()


def test_a_call_that_meets_an_ivr_completes_without_an_outcome(api: Api) -> None:
    """Only an IVR, every attempt: completed (it connected), no outcome; results=["IVR"] finds it."""
    api.advance_on_sleep()
    api.mock.call_plan = CallPlan(by_number={ADA: "IVR"})
    assistant = api.assistant(call_retry_config=ONE_RETRY)
    call = api(api.client.calls.create(phone_number=ADA, assistant_id=assistant.id))
    api(api.client.calls.create(phone_number=ALAN, assistant_id=assistant.id))
    done = api(api.client.calls.wait(call.id))
    assert ("completed", None, "Reached IVR.") == (done.status, done.outcome, done.outcome_summary)
    assert ("IVR", "Press 1 for sales, 2 for support.") == (
        done.latest_attempt.result,
        done.transcript[0].content,
    )
    found = api(api.client.calls.search_page(results=["IVR"]))
    assert (1, [call.id]) == (found.total_count, _ids(found.calls))
    assert [call.id] == _ids(api.collect(api.client.calls.search(outcomes=["none"], statuses=["completed"])))  # fmt: skip


def test_a_newer_api_is_read_and_wait_ends_on_its_new_status(api: Api) -> None:
    """drift: a completed voicemail call is 'voicemail_detected'; wait ends on is_completed."""
    api.advance_on_sleep()
    api.mock.call_plan = CallPlan(by_number={ADA: "voicemail"}, retry_delay=0)
    assistant = api.assistant(call_retry_config=ONE_RETRY)
    call = api(api.client.calls.create(phone_number=ADA, assistant_id=assistant.id))
    api.mock.drift = True
    done = api(api.client.calls.wait(call.id, timeout=120))
    assert ("voicemail_detected", True, True) == (done.status, done.is_completed, done.is_terminal)
    assert ("neutral", "mock-telecom") == (
        done.extra_fields["sentiment"],
        done.latest_attempt.extra_fields["carrier"],
    )
    assert "voicemail_detected" == done.latest_attempt.end_reason
    voices = {v.id: v for v in api(api.client.voices.list())}
    british = voices["79a125e8-cd45-4c13-8a67-188112f4dd22"]
    assert ("sonic-4", {"tags": ["mock"]}) == (british.model_compat, british.extra_fields)
    assert {"capabilities": ["voice", "sms"]} == api(api.client.phone_numbers.list())[
        0
    ].extra_fields
    assert {"role": "owner"} == api(api.client.users.me()).extra_fields


def test_the_server_checks_voice_values(api: Api) -> None:
    """A speed out of the provider's range is 422; a recording over 7.5 MB is 413."""
    with pytest.raises(rx.UnprocessableEntityError, match=r"between 0\.7 and 1\.2 for elevenlabs"):
        api(api.client.voices.preview(provider="elevenlabs", voice_id="21m00Tcm4TlvDq8ikWAM", speed=1.4))  # fmt: skip
    with pytest.raises(rx.APIStatusError) as too_big:
        api(api.client.voices.clone(name="Long", audio=b"\0" * (8 * 2**20), language="en", content_type="audio/wav"))  # fmt: skip
    assert 413 == too_big.value.status_code
    assert {"cloned-owner-voice"} == {v for v, info in api.mock.voices.items() if info["isCloned"]}


def test_campaign_phone_history_names_the_campaign(api: Api) -> None:
    """A campaign row's call, once dialled, lists its campaign in phone_history."""
    _, campaign = _campaign(api)
    api(api.client.campaigns.launch(campaign.id, selection={"filters": {"statuses": ["not_launched"]}}))  # fmt: skip
    api.mock.advance(60)
    history = api(api.client.calls.phone_history())
    assert {ADA, ALAN, GRACE} == set(history)
    assert [(campaign.id, "Spring check-ups")] == [(c.id, c.name) for c in history[ADA].campaigns]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda c: c.calls.search(limit="3"), TypeError, "limit: expected a whole number"),
        (lambda c: c.calls.export(include_metadata="yes"), TypeError, "include_metadata: expected a boolean"),
        (lambda c: c.campaigns.launch("camp_1", selection=["call_1"]), TypeError, "selection: expected"),
        (lambda c: c.campaigns.launch("camp_1", selection={"row": {}}), TypeError, "selection.row: unknown key"),
        (lambda c: c.campaigns.launch("camp_1", selection={"rows": []}), TypeError, "selection.rows: expected a mapping"),
        (lambda c: c.campaigns.launch("camp_1", selection={"filters": {"statuses": "paused"}}), TypeError, "selection.filters.statuses: expected an array"),
        (lambda c: c.campaigns.launch("camp_1", selection={"filters": {"outcome": ["interested"]}}), TypeError, "'selection.filters.outcome'; did you mean 'outcomes'"),
        (lambda c: c.campaigns.launch("camp_1", selection={"rows": {"mode": "only"}}), TypeError, "selection.rows.call_ids: required"),
        (lambda c: c.campaigns.launch("camp_1", selection={"rows": {"call_ids": "c1", "mode": "only"}}), TypeError, "selection.rows.call_ids: expected an array"),
        (lambda c: c.campaigns.launch("camp_1", selection={"rows": {"call_ids": [], "mode": 1}}), TypeError, "selection.rows.mode: expected a string"),
        (lambda c: c.campaigns.launch("camp_1", mode=1), TypeError, "mode: expected 'ai_first'"),
        (lambda c: c.campaigns.launch("camp_1", scheduled_at=1), TypeError, "scheduled_at: expected a datetime"),
        (lambda c: c.voices.retrieve("v1", provider=""), TypeError, "provider: expected a provider name"),
        (lambda c: c.voices.clone(name="x", audio=b"", language="en", content_type="audio/wav"), ValueError, "audio: is empty"),
        (lambda c: c.voices.clone(name="x", audio=1, language="en"), TypeError, "audio: expected base64 text, bytes"),
    ],
)  # fmt: skip
def test_bad_arguments_are_refused_before_sending(
    api: Api, call: Any, error: type[Exception], message: str
) -> None:
    """Wrong shapes raise in the caller, naming the field; nothing reaches the server."""
    with pytest.raises(error, match=message):
        api(call(api.client))
    assert [] == api.mock.requests


def test_a_clone_from_a_file_of_unknown_type_needs_content_type(api: Api, tmp_path: Path) -> None:
    """A path whose suffix names no audio type: content_type is asked for, then used."""
    recording = tmp_path / "ada.rec"
    recording.write_bytes(b"RIFF0000WAVE")
    with pytest.raises(TypeError, match=r"cannot tell it from 'ada\.rec'"):
        api(api.client.voices.clone(name="Ada", audio=recording, language="en"))
    assert [] == api.mock.requests
    api(api.client.voices.clone(name="Ada", audio=recording, language="en", content_type="audio/mpeg"))  # fmt: skip
    assert "audio/mpeg" == api.mock.requests[-1].body["contentType"]


async def test_the_mock_refuses_what_the_sdk_never_sends(send: Send) -> None:
    """No provider: 400; audio that is not base64 (or not ASCII): 422; a body that is not an object: 400."""
    status, data = await send("GET", "/voices/gradium-emma")
    assert (400, "provider") == (status, data["field"])
    clone = {"name": "x", "audio": "not base64!", "contentType": "audio/wav", "language": "en"}
    status, data = await send("POST", "/voices/clone", clone)
    assert (422, "audio") == (status, data["field"])
    status, data = await send("POST", "/voices/clone", {**clone, "audio": "UklGRg==é"})
    assert (422, "audio") == (status, data["field"])
    status, data = await send("POST", "/voices/preview", ["provider", "cartesia"])
    assert (400, "body") == (status, data["field"])


async def test_the_mock_wants_a_cloned_voice_to_have_a_name(send: Send) -> None:
    """An empty name: 422, as the schema has minLength 1 (API-resources §9)."""
    clone = {"name": "", "audio": "UklGRg==", "contentType": "audio/wav", "language": "en"}
    status, data = await send("POST", "/voices/clone", clone)
    assert (422, "name") == (status, data["field"])
