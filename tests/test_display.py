"""What a person sees of a model in a shell or a notebook: short reprs, pretty forms, HTML."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from IPython.lib.pretty import pretty

import revox_async as rx
from revox_async import AsyncRevox
from revox_async._converter import response_converter
from revox_async._display import MAX_REPR
from revox_async.testing import MockRevoxServer
from tests.conftest import assistant_json

SCRIPT = "<script>alert(1)</script>"

structure = response_converter.structure


async def placed_call(client: AsyncRevox, mock: MockRevoxServer, **assistant: Any) -> rx.Call:
    made = await client.assistants.create(**{"name": "Front desk", "prompt": "p", **assistant})
    return await client.calls.create(phone_number="+33612345678", assistant_id=made.id)


async def test_a_created_call_shows_its_id_status_number_and_assistant_briefly(
    revox_client: AsyncRevox, revox_mock: MockRevoxServer
) -> None:
    """Class, id, status, number, created, and the assistant as Assistant(id=…, name=…)."""
    call = await placed_call(revox_client, revox_mock)
    shown = repr(call)
    assert shown.startswith(f"Call(id={call.id!r}, status='queued_for_calling', ")
    assert "to_phone_number='+33612345678'" in shown
    assert "created_at=20" in shown
    assert f"assistant=Assistant(id={call.assistant.id!r}, name='Front desk')" in shown  # type: ignore[union-attr]
    assert "None" not in shown
    assert len(shown) <= MAX_REPR


async def test_a_completed_call_and_a_page_stay_short(
    revox_client: AsyncRevox, revox_mock: MockRevoxServer
) -> None:
    """A finished call (attempts, transcripts, outcome) and a page of two: each under 300."""
    call = await placed_call(revox_client, revox_mock)
    await revox_client.calls.create(phone_number="+33612345679", assistant_id=call.assistant.id)  # type: ignore[union-attr]
    revox_mock.advance(60)
    done = await revox_client.calls.retrieve(call.id)
    page = await revox_client.calls.search_page(page_size=2)
    assert 2 == len(page.calls)
    for shown in (repr(done), repr(page), repr(page.calls)):
        assert "None" not in shown
        assert "transcript" not in shown
    assert len(repr(done)) <= MAX_REPR
    assert "CallPage(total_count=2, calls=[2 Call])" == repr(page)
    assert "outcome='interested'" in repr(done)
    assert "call_attempts=[1 CallAttempt]" in repr(done)


def test_the_last_attempt_is_not_shown_again_when_it_is_the_first_of_the_list() -> None:
    """last_call_attempt repeating call_attempts[0] is left out; a different one is shown."""
    first = {"id": "att_2", "status": "completed"}
    same = structure(
        {"id": "c", "call_attempts": [first], "last_call_attempt": dict(first)}, rx.Call
    )
    other = structure(
        {"id": "c", "call_attempts": [first], "last_call_attempt": {"id": "att_1"}}, rx.Call
    )
    assert "last_call_attempt" not in repr(same)
    assert "last_call_attempt=CallAttempt(id='att_1')" in repr(other)


def test_long_text_is_cut_and_ids_are_whole() -> None:
    """A long prompt ends in …; a long id is shown whole (a person copies it)."""
    long_id = "asst_" + "0123456789" * 6
    assistant = structure(assistant_json(id=long_id, prompt="word " * 200), rx.Assistant)
    shown = repr(assistant)
    assert f"id={long_id!r}" in shown
    assert re.search(r"prompt='(word ){7}word…'", shown)
    assert len(shown) <= MAX_REPR
    assert shown.endswith(" more)")


def test_a_full_assistant_stays_under_the_limit_and_says_what_it_left_out() -> None:
    """Every field set: the first ones shown, then how many more there are."""
    assistant = structure(assistant_json(), rx.Assistant)
    shown = repr(assistant)
    left = int(re.findall(r"\+(\d+) more\)$", shown)[0])
    shown_fields = shown.count("=")
    assert shown.startswith("Assistant(id='asst_1', name='Front desk', prompt='You book")
    assert len(shown) <= MAX_REPR
    assert len(rx.to_dict(assistant)) >= shown_fields + left - 2  # no field invented


def test_to_dict_stays_the_full_view_and_equality_is_unchanged() -> None:
    """The short repr changes nothing else: to_dict is the JSON, equal objects stay equal."""
    data = assistant_json(prompt="word " * 200)
    assistant = structure(data, rx.Assistant)
    assert data == rx.to_dict(assistant)
    assert assistant == structure(data, rx.Assistant)
    assert assistant != structure(assistant_json(prompt="other"), rx.Assistant)


def test_fields_the_sdk_does_not_know_are_named_in_the_repr_and_kept_in_to_dict() -> None:
    """A newer API's keys: summarised by name in the repr, returned whole by to_dict."""
    call = structure({"id": "c", "status": "completed", "sentiment": {"score": 0.9}}, rx.Call)
    assert "extra_fields={sentiment}" in repr(call)
    assert {"score": 0.9} == rx.to_dict(call)["sentiment"]
    llm = structure(assistant_json(llm_model={"type": "quantum", "qubits": 4}), rx.Assistant)
    assert "llm_model=UnknownLLMModel(type='quantum')" in repr(llm)


def test_a_custom_models_api_key_is_in_no_display() -> None:
    """repr, pretty and HTML all leave the key out."""
    model = rx.CustomModel(api_key="sk-secret", api_url="https://llm.example", model_name="m")
    assistant = structure(assistant_json(llm_model=rx.to_dict(model)), rx.Assistant)
    for shown in (repr(model), pretty(model), model._repr_html_(), assistant._repr_html_()):
        assert "sk-secret" not in shown


# -- IPython ------------------------------------------------------------------------------


def test_pretty_puts_a_field_a_line_when_the_repr_does_not_fit() -> None:
    """IPython's printer breaks at its width: one field per line, aligned after the class."""
    call = structure({"id": "call_1", "status": "completed", "outcome": "interested"}, rx.Call)
    assert repr(call) == pretty(call)
    wide = structure(assistant_json(), rx.Assistant)
    lines = pretty(wide, max_width=60).splitlines()
    assert "Assistant(id='asst_1'," == lines[0]
    assert lines[1].startswith("          name='Front desk',")


def test_pretty_shows_a_pages_calls_one_a_line() -> None:
    """A CallPage in IPython: each call's short repr on its own line, long lists cut."""
    calls = [{"id": f"call_{i}", "status": "completed"} for i in range(60)]
    page = structure({"calls": calls, "total_count": 60}, rx.CallPage)
    lines = pretty(page).splitlines()
    assert "CallPage(total_count=60," == lines[0]
    assert "         calls=[Call(id='call_0', status='completed')," == lines[1]
    assert "                Call(id='call_1', status='completed')," == lines[2]
    assert "                +10 more])" == lines[-1]


def test_pretty_of_a_cycle_does_not_recurse() -> None:
    """The cycle flag gives a stub, as IPython's protocol asks."""

    class Printer:
        def __init__(self) -> None:
            self.out: list[str] = []

        def text(self, obj: str) -> None:
            self.out.append(obj)

    printer = Printer()
    rx.Call(id="c")._repr_pretty_(printer, True)
    assert ["Call(…)"] == printer.out


# -- HTML ---------------------------------------------------------------------------------


async def test_every_server_string_is_escaped_in_html(
    revox_client: AsyncRevox, revox_mock: MockRevoxServer
) -> None:
    """A name or a transcript turn holding <script> shows as text in every table."""
    call = await placed_call(revox_client, revox_mock, name=SCRIPT)
    revox_mock.advance(60)
    done = await revox_client.calls.retrieve(call.id)
    done.latest_attempt.post_call_transcript[0].content = SCRIPT  # type: ignore[union-attr,index]
    page = await revox_client.calls.search_page()
    failed = rx.BatchItem(index=0, params={}, error=ValueError(SCRIPT), idempotency_key=None)
    batch = rx.BatchResult([failed])
    campaign = await revox_client.campaigns.create(
        name=SCRIPT,
        assistant_id=call.assistant.id,  # type: ignore[union-attr]
        contacts=[{"to_phone_number": "+33612345670", "prompt_variables": {"x": SCRIPT}}],
    )
    await revox_client.campaigns.launch(campaign.id)
    revox_mock.advance(60)
    stats = await revox_client.campaigns.statistics(campaign.id)
    views = {
        "call": done._repr_html_(),
        "page": page._repr_html_(),
        "batch": batch._repr_html_(),
        "statistics": stats._repr_html_(),
        "campaign": campaign._repr_html_(),
    }
    for name, view in views.items():
        assert "<script>" not in view, name
        assert html.escape(SCRIPT) in view or "&lt;script&gt;" in view, name


async def test_a_calls_html_has_its_fields_and_its_whole_transcript(
    revox_client: AsyncRevox, revox_mock: MockRevoxServer
) -> None:
    """Fields as rows, then the transcript turn by turn, nothing cut."""
    call = await placed_call(revox_client, revox_mock)
    revox_mock.advance(60)
    done = await revox_client.calls.retrieve(call.id)
    view = done._repr_html_()
    assert view.startswith("<b>Call</b><table>")
    assert "<b>Transcript</b>" in view
    for turn in done.transcript:
        assert html.escape(turn.content or "") in view


async def test_a_pages_html_is_a_row_per_call(
    revox_client: AsyncRevox, revox_mock: MockRevoxServer
) -> None:
    """The count, then one row for each call with its id and status."""
    call = await placed_call(revox_client, revox_mock)
    await revox_client.calls.create(phone_number="+33612345679", assistant_id=call.assistant.id)  # type: ignore[union-attr]
    page = await revox_client.calls.search_page()
    view = page._repr_html_()
    assert view.startswith("<b>CallPage: 2 calls of 2</b>")
    assert 3 == view.count("<tr>")
    for listed in page.calls:
        assert listed.id in view


def test_a_long_page_says_how_many_rows_it_left_out() -> None:
    """Fifty rows, then +N more."""
    calls = [{"id": f"call_{i}"} for i in range(53)]
    view = structure({"calls": calls}, rx.CallPage)._repr_html_()
    assert 51 == view.count("<tr>")
    assert view.endswith("<p>+3 more</p>")


async def test_a_batch_results_html_counts_and_lists_failures_first(
    revox_client: AsyncRevox,
) -> None:
    """created/failed/not_sent counts, then each item, the failed ones on top with their error."""
    result = await revox_client.assistants.create_many(
        [{"name": "a", "prompt": "p"}, {"name": "b"}, {"name": "c", "prompt": "p"}]
    )
    view = result._repr_html_()
    assert "<b>BatchResult</b> created=2, failed=1, not_sent=0" in view
    rows = re.findall(r"<tr><td[^>]*>(\d+)</td><td[^>]*>(\w+)</td>", view)
    assert [("1", "failed"), ("0", "created"), ("2", "created")] == rows
    assert "prompt" in view  # the error names the missing field


def test_statistics_html_nests_its_parts() -> None:
    """Campaign statistics: each part (funnel, effort...) a table inside the table."""
    stats = structure(
        {
            "campaign": {"id": "camp_1", "name": "Spring"},
            "funnel": {"called": {"count": 10}, "reached": {"count": 4, "pct_of_called": 40}},
            "outcome_breakdown": [{"outcome": "interested", "label": "Interested", "count": 3}],
        },
        rx.CampaignStatistics,
    )
    view = stats._repr_html_()
    assert "funnel</th><td" in view
    assert "pct_of_called</th><td" in view
    assert "Interested" in view
    assert "camp_1" in view


@pytest.mark.parametrize("model", [rx.TranscriptEntry(role="user"), rx.Call(id="c")])
def test_an_almost_empty_model_shows_what_it_has(model: Any) -> None:
    """Nothing but None: the class and the fields set, no crash in any view."""
    assert repr(model) in (f"{type(model).__name__}(role='user')", "Call(id='c')")
    assert model._repr_html_().startswith(f"<b>{type(model).__name__}</b>")


async def test_a_list_an_endpoint_returns_is_a_list_and_a_table(
    revox_client: AsyncRevox, revox_mock: MockRevoxServer
) -> None:
    """assistants.list() equals a plain list, prints like one, and draws a row per item."""
    await placed_call(revox_client, revox_mock, name=SCRIPT)
    listed = await revox_client.assistants.list()
    assert isinstance(listed, list)
    assert list(listed) == listed
    assert repr(list(listed)) == repr(listed)
    view = listed._repr_html_()  # type: ignore[attr-defined]
    assert view.startswith("<b>1 Assistant</b><table>")
    assert "<script>" not in view
    assert html.escape(SCRIPT) in view


def test_tool_turns_big_maps_and_unknown_keys_show_briefly() -> None:
    """A tool call's turn names the tool; a long mapping is counted; unknown keys get no column."""
    turns = [{"role": "tool", "tool_name": "book", "tool_output": "<ok>"}]
    call = structure(
        {
            "id": "c",
            "metadata": {f"key_{i}": "value" for i in range(5)},
            "last_call_attempt": {"id": "a", "post_call_transcript": turns},
            "mood": "calm",
        },
        rx.Call,
    )
    assert "metadata={5 keys}" in repr(call)
    assert "[book] &lt;ok&gt;" in call._repr_html_()
    page = rx.CallPage(calls=[call])
    assert "mood" not in page._repr_html_()
