"""Every endpoint beyond assistants, on the wire: method, path, body, and what it returns."""

from __future__ import annotations

import asyncio
import base64
import io
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aioresponses import aioresponses
from yarl import URL

import revox_async as rx
from revox_async import AsyncRevox, to_dict
from tests.conftest import BASE, NOTHING_YET, Sleeps, assistant_json

EMPTY_FILTERS = {
    "assignee_ids": [],
    "assistant_ids": [],
    "campaign_ids": [],
    "directions": [],
    "from_phone_numbers": [],
    "outcomes": [],
    "results": [],
    "statuses": [],
}


def call_json(**overrides: Any) -> dict[str, Any]:
    """A Call as the API returns it (with a finished attempt)."""
    data: dict[str, Any] = {
        "id": "call_1",
        "organization_id": "org_1",
        "status": "completed",
        "direction": "outbound",
        "from_phone_number": "+14155550100",
        "to_phone_number": "+33612345678",
        "created_at": "2026-01-02T03:04:05.000Z",
        "updated_at": "2026-01-02T03:05:05.000Z",
        "scheduled_at": None,
        "is_cancelled": False,
        "is_completed": True,
        "calls_count": 1,
        "call_attempts": [
            {
                "id": "att_1",
                "status": "completed",
                "phone_number": "+33612345678",
                "started_at": "2026-01-02T03:04:07Z",
                "answered_at": "2026-01-02T03:04:09Z",
                "ended_at": "2026-01-02T03:05:00Z",
                "result": "human",
                "handled_by_ai": True,
                "handled_by_human": False,
                "transcript": [{"role": "assistant", "content": "Hello!"}],
                "post_call_transcript": [
                    {"role": "assistant", "content": "Hello, Ada."},
                    {"role": "user", "content": "Hi."},
                ],
                "structured_output": {"interested": True},
            }
        ],
        "assistant": assistant_json(),
        "llm_model": {"type": "dedicated-instance", "name": "gpt-4.1"},
        "first_sentence_delay_ms": 400,
        "contact": {"first_name": "Ada", "last_name": None},
        "metadata": {"crm_id": "42"},
        "prompt_variables": {"first_name": "Ada"},
        "outcome": "interested",
    }
    data.update(overrides)
    return data


def campaign_json(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "camp_1",
        "organization_id": "org_1",
        "name": "Spring",
        "assistant_id": "asst_1",
        "status": "running",
        "is_cancelled": False,
        "created_at": "2026-01-02T03:04:05Z",
        "updated_at": "2026-01-02T03:04:05Z",
        "row_stats": {"total": 2, "not_launched": 2, "completed": 0},
    }
    data.update(overrides)
    return data


def sent(mocked: aioresponses, method: str, path: str) -> list[Any]:
    """The JSON bodies (None when empty) sent as ``method path`` (query included)."""
    calls = mocked.requests.get((method, URL(BASE + path)), [])
    return [None if c.kwargs["data"] is None else json.loads(c.kwargs["data"]) for c in calls]


def _action(resource: str, action: str, object_id: str) -> Callable[[AsyncRevox], Any]:
    """``client.<resource>.<action>(object_id)``, for the table below."""
    return lambda client: getattr(getattr(client, resource), action)(object_id)


Case = tuple[
    str,  # id
    Callable[[AsyncRevox], Awaitable[Any]],
    str,  # method
    str,  # path
    Any,  # response payload
    Any,  # body expected
    Callable[[Any], Any],  # what the result reads as
    Any,  # expected reading
]

CASES: list[Case] = [
    (
        "calls.create",
        lambda c: c.calls.create(
            phone_number="+33612345678",
            assistant_id="asst_1",
            prompt_variables={"first_name": "Ada"},
            metadata={"crm_id": "42"},
            scheduled_at=datetime(2026, 1, 2, 9, 0, tzinfo=UTC),
            skip_calling_window=True,
            concurrency={"key": "sales"},
            idempotency_key="k-1",
        ),
        "POST",
        "/call",
        {"call": call_json()},
        {
            "phone_number": "+33612345678",
            "assistant_id": "asst_1",
            "prompt_variables": {"first_name": "Ada"},
            "metadata": {"crm_id": "42", "revox_async_key": "k-1"},  # its key, to be found by
            "scheduled_at": "2026-01-02T09:00:00+00:00",
            "skip_calling_window": True,
            "concurrency": {"key": "sales"},
        },
        lambda r: (r.id, r.status, r.outcome),
        ("call_1", "completed", "interested"),
    ),
    (
        "calls.create inline assistant",
        lambda c: c.calls.create(
            phone_number="+33612345678",
            assistant={"prompt": "Be brief.", "voicemail_message": None},
            idempotency_key="k-2",
        ),
        "POST",
        "/call",
        {"call": call_json()},
        {
            "phone_number": "+33612345678",
            "assistant": {"prompt": "Be brief.", "voicemail_message": None},
            "metadata": {"revox_async_key": "k-2"},
        },
        lambda r: r.id,
        "call_1",
    ),
    (
        "calls.create with assistant_id and assistant",  # as the official client sends them
        lambda c: c.calls.create(
            phone_number="+33612345678",
            assistant_id="asst_1",
            assistant={"prompt": "Be brief."},
            idempotency_key="k3",
        ),
        "POST",
        "/call",
        {"call": call_json()},
        {
            "phone_number": "+33612345678",
            "assistant_id": "asst_1",
            "assistant": {"prompt": "Be brief."},
            "metadata": {"revox_async_key": "k3"},
        },
        lambda r: r.id,
        "call_1",
    ),
    (
        "calls.retrieve",
        lambda c: c.calls.retrieve("call_1"),
        "GET",
        "/call/call_1",
        {"call": call_json()},
        None,
        lambda r: ([t.content for t in r.transcript], r.structured_output, r.is_terminal),
        (["Hello, Ada.", "Hi."], {"interested": True}, True),
    ),
    *[
        (
            f"calls.{action}",
            _action("calls", action, "call_1"),
            "POST",
            f"/call/call_1/{action}",
            {"success": True},
            None,
            lambda r: r,
            True,
        )
        for action in ("cancel", "pause", "resume")
    ],
    (
        "calls.search_page",
        lambda c: c.calls.search_page(statuses=["completed"], page=2, page_size=10, query="Ada"),
        "POST",
        "/call/search",
        {"calls": [call_json()], "total_count": 21},
        {**EMPTY_FILTERS, "statuses": ["completed"], "page": 2, "page_size": 10, "query": "Ada"},
        lambda r: (r.total_count, [c.id for c in r.calls]),
        (21, ["call_1"]),
    ),
    (
        "calls.export",
        lambda c: c.calls.export(outcomes=["interested"], include_metadata=True),
        "POST",
        "/call/export",
        {"csv": "id,status\ncall_1,completed\n", "filename": "calls.csv"},
        {
            "filters": {**EMPTY_FILTERS, "outcomes": ["interested"], "page": 1, "page_size": 100},
            "include_metadata": True,
        },
        lambda r: (r.csv.splitlines()[1], r.filename),
        ("call_1,completed", "calls.csv"),
    ),
    (
        "calls.phone_history",
        lambda c: c.calls.phone_history(),
        "GET",
        "/calls/phone-history",
        {
            "phone_history": {
                "+33612345678": {
                    "count": 2,
                    "campaigns": [{"id": "camp_1", "name": "Spring"}],
                    "do_not_contact": False,
                    "hot": True,
                    "reached_human": True,
                    "last_outcome": "interested",
                },
                "+33600000000": "not an object",
            }
        },
        None,
        lambda r: {k: (v.reached_human, v.campaigns[0].name) for k, v in r.items()},
        {"+33612345678": (True, "Spring")},
    ),
    (
        "campaigns.create",
        lambda c: c.campaigns.create(
            name="Spring",
            assistant_id="asst_1",
            contacts=[{"to_phone_number": "+33612345678", "prompt_variables": {"n": 1}}],
            max_concurrent_calls=3,
        ),
        "POST",
        "/campaigns",
        {"campaign": campaign_json()},
        {
            "name": "Spring",
            "assistant_id": "asst_1",
            "contacts": [{"to_phone_number": "+33612345678", "prompt_variables": {"n": 1}}],
            "max_concurrent_calls": 3,
        },
        lambda r: (r.id, r.row_stats.not_launched),
        ("camp_1", 2),
    ),
    (
        "campaigns.retrieve",
        lambda c: c.campaigns.retrieve("camp_1"),
        "GET",
        "/campaigns/camp_1",
        {"campaign": campaign_json()},
        None,
        lambda r: r.name,
        "Spring",
    ),
    (
        "campaigns.update",
        lambda c: c.campaigns.update("camp_1", name="Autumn", from_phone_number=None),
        "PATCH",
        "/campaigns/camp_1",
        {"campaign": campaign_json(name="Autumn")},
        {"name": "Autumn", "from_phone_number": None},
        lambda r: r.name,
        "Autumn",
    ),
    (
        "campaigns.list",
        lambda c: c.campaigns.list(),
        "GET",
        "/campaigns",
        {"campaigns": [campaign_json(), campaign_json(id="camp_2")]},
        None,
        lambda r: [x.id for x in r],
        ["camp_1", "camp_2"],
    ),
    (
        "campaigns.delete",
        lambda c: c.campaigns.delete("camp_1"),
        "DELETE",
        "/campaigns/camp_1",
        {"success": True},
        None,
        lambda r: r,
        True,
    ),
    *[
        (
            f"campaigns.{action}",
            _action("campaigns", action, "camp_1"),
            "POST",
            f"/campaigns/camp_1/{action}",
            {"success": True},
            None,
            lambda r: r,
            True,
        )
        for action in ("cancel", "pause", "resume")
    ],
    (
        "campaigns.launch",
        lambda c: c.campaigns.launch("camp_1"),
        "POST",
        "/campaigns/camp_1/launch-calls",
        {"launched": 2, "skipped": {"active": 0, "attempts_exhausted": 0, "cancelled": 1}},
        {
            "mode": "ai_first",
            "selection": {
                "filters": {
                    "assignee_ids": [],
                    "directions": [],
                    "outcomes": [],
                    "results": [],
                    "statuses": [],
                },
                "rows": {"call_ids": [], "mode": "all_except"},
            },
        },
        lambda r: (r.launched, r.skipped.cancelled, r.session),
        (2, 1, None),
    ),
    (
        "campaigns.rows",
        lambda c: c.campaigns.rows("camp_1"),
        "GET",
        "/campaigns/camp_1/rows",
        {
            "rows": [
                {
                    "id": "row_1",
                    "row_index": 0,
                    "phone_number": "+33612345678",
                    "input_data": {"first_name": "Ada"},
                    "call": call_json(status="not_launched"),
                }
            ]
        },
        None,
        lambda r: [(x.phone_number, x.call.status) for x in r],
        [("+33612345678", "not_launched")],
    ),
    (
        "campaigns.export",
        lambda c: c.campaigns.export("camp_1"),
        "GET",
        "/campaigns/camp_1/export",
        {"csv": "phone\n+33612345678\n", "filename": "spring.csv"},
        None,
        lambda r: r.filename,
        "spring.csv",
    ),
    (
        "campaigns.statistics",
        lambda c: c.campaigns.statistics("camp_1"),
        "GET",
        "/campaigns/camp_1/statistics",
        {
            "statistics": {
                "campaign": {"id": "camp_1", "name": "Spring", "status": "running"},
                "funnel": {
                    "called": {"count": 2, "imported_rows": 2},
                    "reached": {"count": 1, "pct_of_called": 50.0},
                    "real_exchanges": {"count": 0, "pct_of_reached": None},
                    "hot_leads": {"count": 0},
                },
                "leads": {"interested": [{"call_id": "call_1", "name": "Ada"}]},
                "outcome_breakdown": [{"outcome": "interested", "label": "Interested", "count": 1}],
            }
        },
        None,
        lambda r: (r.funnel.reached.pct_of_called, r.leads.interested[0].name),
        (50.0, "Ada"),
    ),
    (
        "voices.list",
        lambda c: c.voices.list(),
        "GET",
        "/voices",
        {
            "voices": [
                {
                    "id": "v1",
                    "name": "Ada",
                    "description": "Warm",
                    "language": "en",
                    "provider": "cartesia",
                    "isCloned": True,
                    "modelCompat": "sonic-3",
                }
            ]
        },
        None,
        lambda r: [(v.id, v.is_cloned, v.model_compat) for v in r],
        [("v1", True, "sonic-3")],
    ),
    (
        "voices.retrieve",
        lambda c: c.voices.retrieve("v 1/x", provider="elevenlabs"),
        "GET",
        "/voices/v%201%2Fx?provider=elevenlabs",
        {"voice": {"id": "v 1/x", "name": "Ada", "description": None}},
        None,
        lambda r: (r.id, r.name),
        ("v 1/x", "Ada"),
    ),
    (
        "voices.delete",
        lambda c: c.voices.delete("v1"),
        "DELETE",
        "/voices/v1",
        {"success": True},
        None,
        lambda r: r,
        True,
    ),
    (
        "voices.clone",
        lambda c: c.voices.clone(
            name="Ada", audio=b"RIFF....WAVE", language="en", content_type="audio/wav"
        ),
        "POST",
        "/voices/clone",
        {
            "id": "v9",
            "cartesiaVoiceId": "cv9",
            "createdAt": "2026-01-02T03:04:05Z",
            "language": "en",
            "name": "Ada",
        },
        {
            "name": "Ada",
            "audio": base64.b64encode(b"RIFF....WAVE").decode(),
            "contentType": "audio/wav",
            "language": "en",
        },
        lambda r: (r.id, r.cartesia_voice_id, r.created_at.year),
        ("v9", "cv9", 2026),
    ),
    (
        "phone_numbers.list",
        lambda c: c.phone_numbers.list(),
        "GET",
        "/phone-numbers",
        {
            "phone_numbers": [
                {
                    "id": "pn_1",
                    "phone_number": "+14155550100",
                    "provider": "twilio",
                    "source": "revox_purchased",
                    "type": "owned_number",
                    "inbound_assistant": assistant_json(),
                    "created_at": "2026-01-02T03:04:05Z",
                }
            ]
        },
        None,
        lambda r: [(p.phone_number, p.inbound_assistant.id) for p in r],
        [("+14155550100", "asst_1")],
    ),
    (
        "phone_numbers.update",
        lambda c: c.phone_numbers.update("pn_1", inbound_assistant_id=None, label="Desk"),
        "PATCH",
        "/phone-numbers/pn_1",
        {"phone_number": {"id": "pn_1", "label": "Desk"}},
        {"inbound_assistant_id": None, "label": "Desk"},
        lambda r: r.label,
        "Desk",
    ),
    (
        "phone_numbers.delete",
        lambda c: c.phone_numbers.delete("pn_1"),
        "DELETE",
        "/phone-numbers/pn_1",
        {"success": True},
        None,
        lambda r: r,
        True,
    ),
    (
        "users.me",
        lambda c: c.users.me(),
        "GET",
        "/users/me",
        {"user": {"id": "u1", "email": "ada@example.com", "organization_id": "org_1"}},
        None,
        lambda r: (r.email, r.organization_id),
        ("ada@example.com", "org_1"),
    ),
    (
        "auth_status",
        lambda c: c.auth_status(),
        "GET",
        "/auth-status",
        {"authenticated": True},
        None,
        lambda r: r.authenticated,
        True,
    ),
]


@pytest.mark.parametrize(
    ("call", "method", "path", "payload", "body", "read", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
async def test_each_endpoint_on_the_wire(
    client: AsyncRevox,
    mocked: aioresponses,
    call: Callable[[AsyncRevox], Awaitable[Any]],
    method: str,
    path: str,
    payload: Any,
    body: Any,
    read: Callable[[Any], Any],
    expected: Any,
) -> None:
    """The method, path (ids encoded as one segment) and JSON body the API documents;
    the answer read into typed models. A call given its own key is looked for first."""
    if path == "/call":
        mocked.post(f"{BASE}/call/search", payload=NOTHING_YET)
    mocked.add(URL(BASE + path), method, payload=payload)
    result = await call(client)
    assert [body] == sent(mocked, method, path)
    assert expected == read(result)
    if path == "/call":
        newest = {"sort_by": "created_at", "sort_direction": "desc", "page": 1, "page_size": 100}
        [look] = sent(mocked, "POST", "/call/search")
        assert {"to_phone_number": "+33612345678", **newest}.items() <= look.items()


def test_the_cases_cover_every_endpoint_of_the_new_resources() -> None:
    """The 30 endpoints beyond assistants' 6: each has its wire case above."""
    covered = {case[0].split(" ")[0] for case in CASES}
    declared = {
        f"{name}.{attr}"
        for name, kind in (
            ("calls", rx.Calls),
            ("campaigns", rx.Campaigns),
            ("voices", rx.Voices),
            ("phone_numbers", rx.PhoneNumbers),
            ("users", rx.Users),
        )
        for attr, value in vars(kind).items()
        if type(value).__name__ == "endpoint"
    }
    assert declared | {"auth_status"} == covered | {"voices.preview"}
    assert 29 == len(declared)  # + auth_status: 30, + assistants' 6: the API's 36


@pytest.mark.parametrize(
    ("body", "problem"),
    [(b"", "the preview is empty"), (b' {"error": "voice not found"}', "is a JSON object")],
)
async def test_a_preview_that_is_not_audio_is_a_validation_error(
    client: AsyncRevox, mocked: aioresponses, body: bytes, problem: str
) -> None:
    """A 200 carrying nothing, or an error object, is not the audio to write to a file."""
    mocked.post(f"{BASE}/voices/preview", body=body, content_type="application/json")
    with pytest.raises(rx.APIResponseValidationError, match=problem):
        await client.voices.preview(provider="cartesia", voice_id="v1")


async def test_audio_that_starts_like_json_is_still_audio(
    client: AsyncRevox, mocked: aioresponses
) -> None:
    audio = b"{\x00\x01not json"
    mocked.post(f"{BASE}/voices/preview", body=audio, content_type="audio/wav")
    assert audio == await client.voices.preview(provider="cartesia", voice_id="v1")


async def test_preview_returns_the_audio_bytes(client: AsyncRevox, mocked: aioresponses) -> None:
    """POST /voices/preview sends Accept: */* and camelCase voiceId; the body is the audio."""
    audio = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(range(256))
    mocked.post(f"{BASE}/voices/preview", body=audio, content_type="audio/wav", repeat=True)
    got = await client.voices.preview(provider="cartesia", voice_id="v1", text="Hi", speed=1.1)
    assert audio == got
    ((_, calls),) = mocked.requests.items()
    assert "*/*" == calls[0].kwargs["headers"]["Accept"]
    assert {"provider": "cartesia", "voiceId": "v1", "text": "Hi", "speed": 1.1} == json.loads(
        calls[0].kwargs["data"]
    )
    raw = await client.voices.with_raw_response.preview(provider="cartesia", voice_id="v1")
    assert ("audio/wav", audio) == (raw.headers["Content-Type"], raw.parsed)


async def test_clone_reads_a_file_and_tells_its_type(
    client: AsyncRevox, mocked: aioresponses, tmp_path: Path
) -> None:
    """audio=Path sends the file's bytes base64-encoded, contentType from the suffix."""
    recording = tmp_path / "ada.MP3"
    recording.write_bytes(b"ID3\x00mp3")
    mocked.post(f"{BASE}/voices/clone", payload={"id": "v9"})
    await client.voices.clone(name="Ada", audio=recording, language="fr")
    (body,) = sent(mocked, "POST", "/voices/clone")
    assert ("audio/mpeg", b"ID3\x00mp3") == (body["contentType"], base64.b64decode(body["audio"]))


@pytest.mark.parametrize(
    ("kwargs", "error", "names"),
    [
        ({"audio": b"x"}, TypeError, "content_type"),
        ({"audio": b"", "content_type": "audio/wav"}, ValueError, "audio: is empty"),
        (
            {"audio": 42, "content_type": "audio/wav"},
            TypeError,
            "audio: expected base64 text, bytes",
        ),
        ({"audio": Path("/no/such/file.wav")}, ValueError, "audio: cannot read"),
        ({"audio": "/no/such/file.wav"}, ValueError, "audio: '/no/such/file.wav' is not base64"),
        ({"audio": "UklGRg=="}, TypeError, "content_type: required when audio is base64"),
        ({"audio": "  ", "content_type": "audio/wav"}, ValueError, "audio: is empty"),
        ({"audio": "UklGR", "content_type": "audio/wav"}, ValueError, "audio: 'UklGR' is not"),
        ({"audio": "Ukl=Rg==", "content_type": "audio/wav"}, ValueError, "is not base64"),
        ({"audio": io.StringIO("RIFF")}, TypeError, "audio: a file opened in text mode"),
        ({"audio": io.BytesIO(b"RIFF")}, TypeError, "content_type: required when audio is"),
        ({"audio": io.BytesIO(b""), "content_type": "audio/wav"}, ValueError, "audio: is empty"),
    ],
)
async def test_clone_refuses_bad_audio_before_sending(
    client: AsyncRevox, mocked: aioresponses, kwargs: dict[str, Any], error: type, names: str
) -> None:
    """No file, an empty one, text that is not base64, or audio with no type: a clear
    error naming the field."""
    with pytest.raises(error, match=names):
        await client.voices.clone(name="Ada", language="en", **kwargs)
    assert {} == mocked.requests


@pytest.mark.parametrize("text", ["UklGRiQAAABXQVZF", "UklGRg==", "UklG\nRg==", "-_8A"])
async def test_clone_sends_base64_text_as_given(
    client: AsyncRevox, mocked: aioresponses, text: str
) -> None:
    """audio=<str> is base64 text, as in the official client: sent as it came."""
    mocked.post(f"{BASE}/voices/clone", payload={"id": "v9"})
    await client.voices.clone(name="Ada", audio=text, language="en", content_type="audio/wav")
    (body,) = sent(mocked, "POST", "/voices/clone")
    assert {"name": "Ada", "audio": text, "contentType": "audio/wav", "language": "en"} == body


async def test_clone_reads_a_binary_file_object(
    client: AsyncRevox, mocked: aioresponses, tmp_path: Path
) -> None:
    """An open binary file is read and encoded, its type told by its name's suffix."""
    recording = tmp_path / "ada.ogg"
    recording.write_bytes(b"OggS\x00")
    mocked.post(f"{BASE}/voices/clone", payload={"id": "v9"}, repeat=True)
    with recording.open("rb") as audio:
        await client.voices.clone(name="Ada", audio=audio, language="en")
    await client.voices.clone(
        name="Ada", audio=io.BytesIO(b"RIFF"), language="en", content_type="audio/wav"
    )
    first, second = sent(mocked, "POST", "/voices/clone")
    assert ("audio/ogg", b"OggS\x00") == (first["contentType"], base64.b64decode(first["audio"]))
    assert ("audio/wav", b"RIFF") == (second["contentType"], base64.b64decode(second["audio"]))


async def test_clone_still_reads_a_path_given_as_str_with_a_warning(
    client: AsyncRevox, mocked: aioresponses, tmp_path: Path
) -> None:
    """A str that cannot be base64 ("voice.wav") and names a file: read, for one more
    release, with a DeprecationWarning pointing at the caller's line."""
    recording = tmp_path / "my voice.wav"
    recording.write_bytes(b"RIFF")
    mocked.post(f"{BASE}/voices/clone", payload={"id": "v9"})
    with pytest.warns(DeprecationWarning, match="takes base64 text") as caught:
        await client.voices.clone(name="Ada", audio=str(recording), language="en")
    assert __file__ == caught[0].filename
    (body,) = sent(mocked, "POST", "/voices/clone")
    assert ("audio/wav", b"RIFF") == (body["contentType"], base64.b64decode(body["audio"]))


@pytest.mark.parametrize(
    ("kwargs", "names"),
    [
        ({"phone_number": "+33612345678"}, "assistant_id or assistant: one is required"),
        ({"assistant_id": "a"}, "phone_number: required"),
        ({"phone_number": 33612345678, "assistant_id": "a"}, "phone_number"),
        ({"phone_number": "+33612345678", "assistant": {"name": "x"}}, "assistant.prompt"),
        (
            {"phone_number": "+33612345678", "assistant": {"prompt": "p", "voice": "loud"}},
            "assistant.voice",
        ),
        ({"phone_number": "+33612345678", "assistant_id": "a", "metadata": {"n": 1}}, "metadata"),
        ({"phone_number": "+33612345678", "assistant_id": "a", "colour": "red"}, "colour"),
        ({"phone_number": "+33612345678", "assistant": "asst_1"}, "assistant: expected an object"),
        (
            {"phone_number": "+33612345678", "assistant_id": "a", "metadata": "crm=42"},
            "metadata: expected an object, got str",
        ),
        (
            {"phone_number": "+33612345678", "assistant_id": "a", "prompt_variables": [("a", "b")]},
            "prompt_variables: expected an object, got list",
        ),
        (
            {"phone_number": "+33612345678", "assistant": {"prompt": "p", "bogus": 1}},
            "unknown parameter 'assistant.bogus'",
        ),
    ],
)
async def test_calls_create_refuses_bad_input_before_sending(
    client: AsyncRevox, mocked: aioresponses, kwargs: dict[str, Any], names: str
) -> None:
    """Missing phone number or assistant, both assistants, wrong types: TypeError naming it."""
    with pytest.raises(TypeError, match=names):
        await client.calls.create(**kwargs)
    assert {} == mocked.requests


@pytest.mark.parametrize(("variables", "got"), [(None, "null"), (["a"], "list"), ("a=1", "str")])
async def test_a_contacts_variables_that_are_not_an_object_are_refused_by_name(
    client: AsyncRevox, mocked: aioresponses, variables: Any, got: str
) -> None:
    """A contact's prompt_variables must be an object: the error names the contact and
    says what came instead, nothing is sent."""
    contacts: Any = [{"to_phone_number": "+33612345678", "prompt_variables": variables}]
    with pytest.raises(TypeError) as caught:
        await client.campaigns.create(name="n", assistant_id="a", contacts=contacts)
    assert f"contacts[0].prompt_variables: expected an object, got {got}" in str(caught.value)
    assert {} == mocked.requests


async def test_a_naive_scheduled_at_is_refused(client: AsyncRevox, mocked: aioresponses) -> None:
    """A datetime without a timezone is ambiguous by hours: refused, nothing sent."""
    with pytest.raises(ValueError, match="scheduled_at: a naive datetime"):
        await client.calls.create(
            phone_number="+33612345678", assistant_id="a", scheduled_at=datetime(2026, 1, 2, 9)
        )
    with pytest.raises(ValueError, match="scheduled_at: only for mode='ai_first'"):
        await client.campaigns.launch("c", mode="speed_dial", scheduled_at="2026-01-02T09:00Z")
    assert {} == mocked.requests


@pytest.mark.parametrize(
    ("kwargs", "names"),
    [
        ({"page": -1}, "page: must be a whole number >= 0"),
        ({"page_size": 0}, "page_size"),
        ({"statuses": "completed"}, "statuses"),
        ({"colour": ["red"]}, "colour"),
    ],
)
async def test_search_refuses_bad_filters_before_sending(
    client: AsyncRevox, mocked: aioresponses, kwargs: dict[str, Any], names: str
) -> None:
    """A negative page, a string for a list, an unknown filter: the error names it."""
    with pytest.raises((TypeError, ValueError), match=names):
        await client.calls.search_page(**kwargs)
    if "page" not in kwargs:  # search() has no page: it finds the first
        with pytest.raises((TypeError, ValueError), match=names):
            client.calls.search(**kwargs)
    assert {} == mocked.requests


async def test_search_iterates_every_page_once(client: AsyncRevox, mocked: aioresponses) -> None:
    """Page 1, page 0 refused (pages count from 1), then on until total_count is reached;
    the filters on every page, each call yielded once (more in tests/test_pages.py)."""
    mocked.post(
        f"{BASE}/call/search",
        payload={"calls": [call_json(id="c0"), call_json(id="c1")], "total_count": 5},
    )
    mocked.post(f"{BASE}/call/search", status=422, payload={"message": "page: at least 1"})
    for ids in (["c2", "c3"], ["c4"]):
        mocked.post(
            f"{BASE}/call/search",
            payload={"calls": [call_json(id=i) for i in ids], "total_count": 5},
        )
    seen = [call.id async for call in client.calls.search(page_size=2, assistant_ids=["a"])]
    assert ["c0", "c1", "c2", "c3", "c4"] == seen
    bodies = sent(mocked, "POST", "/call/search")
    assert [1, 0, 2, 3] == [b["page"] for b in bodies]
    assert all(["a"] == b["assistant_ids"] and 2 == b["page_size"] for b in bodies)


async def test_search_stops_on_a_server_that_ignores_page(
    client: AsyncRevox, mocked: aioresponses
) -> None:
    """A server answering every page like the first cannot loop it: page 1, the probe of
    page 0 (nothing new: it counts from 1), page 2 (nothing new: the end)."""
    mocked.post(
        f"{BASE}/call/search",
        payload={"calls": [call_json(id="c0"), call_json(id="c1")], "total_count": 99},
        repeat=True,
    )
    seen = [call.id async for call in client.calls.search(page_size=2)]
    assert ["c0", "c1"] == seen
    assert [1, 0, 2] == [b["page"] for b in sent(mocked, "POST", "/call/search")]


async def test_search_yields_calls_without_an_id(client: AsyncRevox, mocked: aioresponses) -> None:
    """Calls whose id is missing or not a string are distinct calls (known by content), not
    one; a server repeating them still cannot loop the search."""
    odd = [call_json(id=None, to_phone_number=f"+3361234567{i}") for i in range(3)]
    mocked.post(f"{BASE}/call/search", payload={"calls": [*odd, call_json(id=7)], "total_count": 9})
    mocked.post(f"{BASE}/call/search", payload={"calls": odd, "total_count": 9}, repeat=True)
    seen = [call async for call in client.calls.search(page_size=4)]
    assert 4 == len(seen)
    assert [None, None, None, None] == [call.id for call in seen]
    assert 7 == seen[3].extra_fields["id"]


async def test_search_takes_no_page(client: AsyncRevox, mocked: aioresponses) -> None:
    with pytest.raises(TypeError, match="page: search fetches every page"):
        client.calls.search(page=1)
    assert {} == mocked.requests


async def test_search_limit_stops_early(client: AsyncRevox, mocked: aioresponses) -> None:
    """limit=3 with pages of 2: pages 1, 0 (refused) and 2, three calls."""
    mocked.post(
        f"{BASE}/call/search",
        payload={"calls": [call_json(id="c0"), call_json(id="c1")], "total_count": 9},
    )
    mocked.post(f"{BASE}/call/search", status=400, payload={"message": "page: at least 1"})
    mocked.post(
        f"{BASE}/call/search",
        payload={"calls": [call_json(id="c2"), call_json(id="c3")], "total_count": 9},
    )
    seen = [call.id async for call in client.calls.search(page_size=2, limit=3)]
    assert ["c0", "c1", "c2"] == seen
    assert [1, 0, 2] == [b["page"] for b in sent(mocked, "POST", "/call/search")]


async def test_wait_polls_with_backoff_until_the_call_ends(
    client: AsyncRevox, mocked: aioresponses, sleeps: Sleeps
) -> None:
    """queued → calling → completed: three polls, waits growing by half, the final call back."""
    for status in ("queued_for_calling", "calling", "completed"):
        mocked.get(f"{BASE}/call/call_1", payload={"call": call_json(status=status)})
    done = await client.calls.wait("call_1", poll_interval=2, max_interval=2.5)
    assert "completed" == done.status
    assert [2.0, 2.5] == sleeps


async def test_wait_times_out_with_the_last_call_seen(
    client: AsyncRevox, mocked: aioresponses, sleeps: Sleeps
) -> None:
    """A call still calling after `timeout` seconds: WaitTimeoutError carrying it."""
    mocked.get(f"{BASE}/call/call_1", payload={"call": call_json(status="calling")}, repeat=True)
    with pytest.raises(rx.WaitTimeoutError, match="still 'calling' after 10 s") as caught:
        await client.calls.wait("call_1", timeout=10, poll_interval=4)
    assert "calling" == caught.value.call.status
    assert isinstance(caught.value, TimeoutError)
    assert [4.0, 6.0] == sleeps  # the last wait is cut to the time left


async def test_wait_counts_a_slow_answer_against_its_timeout(
    client: AsyncRevox, mocked: aioresponses
) -> None:
    """A server that takes longer than the timeout to answer: WaitTimeoutError on time,
    without a call (none was seen)."""

    async def slow(*_: Any, **__: Any) -> None:
        await asyncio.sleep(30)

    mocked.get(f"{BASE}/call/call_1", callback=slow, repeat=True)
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(rx.WaitTimeoutError, match=r"still unknown after 0\.2 s") as caught:
        await client.calls.wait("call_1", timeout=0.2)
    assert caught.value.call is None
    assert loop.time() - started < 10  # not 30 s: the answer it waited for never came


async def test_wait_refuses_intervals_out_of_order(
    client: AsyncRevox, mocked: aioresponses
) -> None:
    with pytest.raises(ValueError, match="max_interval: must be at least poll_interval"):
        await client.calls.wait("call_1", poll_interval=5, max_interval=1)
    assert {} == mocked.requests


@pytest.mark.parametrize("bad", [0, -1, float("nan"), "10", True])
async def test_wait_refuses_a_bad_timeout(
    client: AsyncRevox, mocked: aioresponses, bad: Any
) -> None:
    with pytest.raises(ValueError, match="timeout: must be a number of seconds > 0"):
        await client.calls.wait("call_1", timeout=bad)
    assert {} == mocked.requests


async def test_a_voice_in_use_is_not_deleted_three_times(
    client: AsyncRevox, mocked: aioresponses, sleeps: Sleeps
) -> None:
    """DELETE answered 409 (in use) raises ConflictError at once: retrying cannot help."""
    mocked.delete(f"{BASE}/voices/v1", status=409, payload={"error": "voice in use"}, repeat=True)
    with pytest.raises(rx.ConflictError):
        await client.voices.delete("v1")
    assert 1 == len(sent(mocked, "DELETE", "/voices/v1"))
    assert [] == sleeps


async def test_drifted_objects_keep_what_the_sdk_does_not_know(
    client: AsyncRevox, mocked: aioresponses
) -> None:
    """A new status, a new field and an odd value: read, kept, and written back exactly."""
    drifted = call_json(status="voicemail_detected", sentiment="happy", calls_count="two")
    mocked.get(f"{BASE}/call/call_1", payload={"call": drifted})
    call = await client.calls.retrieve("call_1")
    # An unknown status is over when the server's is_completed says so (calls.wait returns).
    assert ("voicemail_detected", None, True) == (call.status, call.calls_count, call.is_terminal)
    assert {"sentiment": "happy", "calls_count": "two"} == call.extra_fields
    assert drifted == to_dict(call)


@pytest.mark.parametrize(
    ("filename", "written"),
    [
        ("calls-2026.csv", "calls-2026.csv"),
        ("../../etc/evil.csv", "evil.csv"),
        ("..\\..\\evil.csv", "evil.csv"),
        ("..", "export.csv"),
        (None, "export.csv"),
        (".bashrc", "bashrc"),
        ("a\x00b\nc d.csv", "a_b_c_d.csv"),
        ("~", "export.csv"),
        ("x" * 300 + ".csv", "x" * 116 + ".csv"),
    ],
)
def test_export_save_stays_in_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, filename: str | None, written: str
) -> None:
    """save() writes the server's suggested name, but never outside the current folder."""
    monkeypatch.chdir(tmp_path)
    export = rx.CsvExport(csv="id\r\ncall_1\r\n", filename=filename)
    path = export.save()
    assert (tmp_path / written).resolve() == path.resolve()
    assert b"id\r\ncall_1\r\n" == path.read_bytes()
    assert tmp_path / "mine.csv" == export.save(tmp_path / "mine.csv")


def test_export_save_never_replaces_a_file_by_the_servers_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The suggested name never overwrites a file (nor follows a symlink out of the folder);
    a path the caller gives replaces what is there."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("mine")
    (tmp_path / "link.csv").symlink_to(tmp_path.parent / "outside.csv")
    for name in ("pyproject.toml", "link.csv"):
        with pytest.raises(FileExistsError, match="suggested name"):
            rx.CsvExport(csv="id\n", filename=name).save()
    assert "mine" == (tmp_path / "pyproject.toml").read_text()
    assert not (tmp_path.parent / "outside.csv").exists()
    rx.CsvExport(csv="id\n", filename="x").save("pyproject.toml")
    assert "id\n" == (tmp_path / "pyproject.toml").read_text()


async def test_resources_load_on_first_use_and_follow_options(
    client: AsyncRevox, mocked: aioresponses
) -> None:
    """client.calls is made once per client; a with_options copy has its own, with its options."""
    assert client.calls is client.calls
    quick = client.with_options(timeout=3)
    assert quick.calls is not client.calls
    assert quick.calls._client is quick
    mocked.get(f"{BASE}/users/me", payload={"user": {"id": "u1"}})
    assert "u1" == (await quick.users.me()).id


@pytest.mark.parametrize(
    "payload", [{}, {"phone_history": ["+33612345678"]}, ["not", "an", "object"]]
)
async def test_a_phone_history_without_its_object_is_a_validation_error(
    client: AsyncRevox, mocked: aioresponses, payload: Any
) -> None:
    """No 'phone_history' mapping in a 200: APIResponseValidationError, not an empty dict."""
    mocked.get(f"{BASE}/calls/phone-history", payload=payload)
    with pytest.raises(rx.APIResponseValidationError, match="phone_history"):
        await client.calls.phone_history()


BARE_ANSWERS: list[tuple[str, str, str, Callable[[AsyncRevox], Awaitable[Any]]]] = [
    ("POST", "/call/search", "calls", lambda c: c.calls.search_page()),
    ("POST", "/call/export", "csv", lambda c: c.calls.export()),
    ("GET", "/campaigns/camp_1/export", "csv", lambda c: c.campaigns.export("camp_1")),
    ("POST", "/campaigns/camp_1/launch-calls", "launched", lambda c: c.campaigns.launch("camp_1")),
    (
        "POST",
        "/voices/clone",
        "id",
        lambda c: c.voices.clone(name="A", audio=b"RIFF", language="en", content_type="audio/wav"),
    ),
    ("GET", "/auth-status", "authenticated", lambda c: c.auth_status()),
    ("GET", "/assistants/asst_1", "id", lambda c: c.assistants.retrieve("asst_1")),
]


@pytest.mark.parametrize("payload", [{}, {"error": "Internal"}, {"calls": None, "csv": 3}])
@pytest.mark.parametrize(("method", "path", "key", "call"), BARE_ANSWERS)
async def test_a_bare_answer_without_its_key_is_a_validation_error(
    client: AsyncRevox,
    mocked: aioresponses,
    payload: Any,
    method: str,
    path: str,
    key: str,
    call: Callable[[AsyncRevox], Awaitable[Any]],
) -> None:
    """A 200 whose object lacks what makes it this answer is an error, not an object of Nones
    (an empty search, an empty export, a cloned voice without an id...)."""
    mocked.add(f"{BASE}{path}", method, payload=payload, repeat=True)
    with pytest.raises(rx.APIResponseValidationError, match=f"no '{key}'"):
        await call(client)


async def test_a_create_answered_504_waits_before_looking_for_the_call(
    client: AsyncRevox, mocked: aioresponses, sleeps: Sleeps
) -> None:
    """A gateway's 504 while the server goes on creating: as after a timeout, the client
    waits as long as its timeout before searching, then returns the call it finds."""
    mocked.post(f"{BASE}/call/search", payload=NOTHING_YET)  # the key's: looked for first
    mocked.post(f"{BASE}/call", status=504, payload={"error": "Gateway Timeout"})
    metadata = {"crm": "7", "revox_async_key": "k-9"}
    made = call_json(id="call_9", metadata=metadata, created_at=datetime.now(UTC).isoformat())
    made["assistant"] = {**made.get("assistant", {}), "id": "asst_1"}
    mocked.post(f"{BASE}/call/search", payload={"calls": [made], "total_count": 1})
    call = await client.calls.create(
        phone_number="+33612345678",
        assistant_id="asst_1",
        metadata={"crm": "7"},
        idempotency_key="k-9",
    )
    assert "call_9" == call.id
    assert 1 == len(sent(mocked, "POST", "/call"))
    assert client.timeout == pytest.approx(sum(sleeps), abs=0.1)  # less the time it took


async def test_an_assistant_the_server_sent_goes_back_with_its_own_values(
    client: AsyncRevox, mocked: aioresponses
) -> None:
    """Copied (create_many) or a part of it passed to update: the server's odd values (a
    word in a number field, a tool missing keys) go back as they came, not refused."""
    tool = {"name": "t", "description": "d", "method": "GET", "url": "u", "input_schema": []}
    odd = assistant_json(
        max_call_duration_secs="600",
        voice={"id": "v1", "provider": "cartesia", "speed": "fast"},
        custom_tools=[tool],
    )
    mocked.get(f"{BASE}/assistants/asst_1", payload=odd)
    mocked.post(f"{BASE}/assistants", payload={"assistant": assistant_json(id="asst_2")})
    mocked.patch(f"{BASE}/assistants/asst_1", payload={"assistant": assistant_json()})
    fetched = await client.assistants.retrieve("asst_1")
    assert fetched.max_call_duration_secs is None  # unreadable as a number: kept raw
    result = await client.assistants.create_many([fetched])
    assert ["asst_2"] == [item.created_id for item in result.results]
    await client.assistants.update("asst_1", voice=fetched.voice, custom_tools=fetched.custom_tools)
    (copied,) = sent(mocked, "POST", "/assistants")
    assert ("600", odd["voice"], [{**tool, "body_template": None}]) == (
        copied["max_call_duration_secs"],
        copied["voice"],
        copied["custom_tools"],
    )
    assert {"id", "organization_id", "created_at"}.isdisjoint(copied)
    (patched,) = sent(mocked, "PATCH", "/assistants/asst_1")
    assert {"voice": odd["voice"], "custom_tools": [{**tool, "body_template": None}]} == patched
