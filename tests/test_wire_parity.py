"""The official client and ours put the same request on the wire, endpoint by endpoint.

For each of the API's 36 endpoints (API-resources.md §4) the official ``revox``
client and ``SyncRevox`` carry out the same intent against the mock, which
logs what it receives. Method, path, query, JSON body and headers must match,
once each client's own objects are named alike (each acts on objects of its
own, so a delete or a pause finds what it expects) and the differences in
`ALLOWED`, each with its reason, are set aside. A row that differs today is a
strict xfail naming the issue item that fixes it: it fails loudly once fixed,
so the mark is removed then.
"""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import attrs
import pytest

from revox_async import APIStatusError, SyncRevox
from revox_async.testing import MockRevoxServer

revox = pytest.importorskip("revox")

ALLOWED: Mapping[str, str] = {
    "user-agent": "each client names itself",
    "idempotency-key": (
        "ours, on every POST and the same across retries: harmless where the server ignores "
        "it, and the official client sends none (issue 19 item 2 keeps it)"
    ),
    "x-stainless-*": "the official client's telemetry headers, out of scope (issue 19 item 2)",
    "connection": (
        "httpx says keep-alive out loud; aiohttp keeps HTTP/1.1 connections alive unsaid"
    ),
    "content-length": "framing, which follows from the body (compared on its own)",
    "POST /call metadata.revox_async_key": (
        "ours: the key a call is found by when a create's outcome is unknown, since the "
        "live API ignores Idempotency-Key (the caller's own metadata is sent as given)"
    ),
}
"""What may differ between the two requests, and why: header names (lower case, ``*`` a
prefix) and one body field."""

WAV = base64.b64encode(b"RIFF\x24\x00\x00\x00WAVEfmt ").decode("ascii")
WHEN = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)


@attrs.frozen(kw_only=True)
class Objects:
    """What one client acts on: its own, so both find them as they expect."""

    assistant: str
    call: str
    paused_call: str
    campaign: str
    paused_campaign: str
    phone_number: str
    cloned_voice: str

    def names(self) -> dict[str, str]:
        """Each id, by the name that stands for it when the two requests are compared."""
        return {value: f"<{name}>" for name, value in attrs.asdict(self).items()}


def seed(client: SyncRevox, side: int) -> Objects:
    """An assistant, calls, campaigns (one each paused) and a cloned voice of this side's."""
    assistant = client.assistants.create(name=f"Desk {side}", prompt="You book visits.").id
    calls = [
        client.calls.create(phone_number=f"+3361234560{side}{n}", assistant_id=assistant).id
        for n in range(2)
    ]
    client.calls.pause(calls[1])
    contacts = [{"to_phone_number": f"+3361234570{side}", "prompt_variables": {}}]
    campaigns = [
        client.campaigns.create(name=f"C{side}{n}", assistant_id=assistant, contacts=contacts).id
        for n in range(2)
    ]
    client.campaigns.pause(campaigns[1])
    voice = client.voices.clone(
        name=f"Voice {side}", audio=b"RIFF0000WAVE", language="en", content_type="audio/wav"
    )
    return Objects(
        assistant=assistant,
        call=calls[0],
        paused_call=calls[1],
        campaign=campaigns[0],
        paused_campaign=campaigns[1],
        phone_number=client.phone_numbers.list()[side].id,
        cloned_voice=voice.id,
    )


@attrs.frozen(kw_only=True)
class Wire:
    """One request as the mock received it, ids replaced by their names."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    headers: dict[str, str]


def _renamed(value: Any, names: Mapping[str, str]) -> Any:
    if isinstance(value, dict):
        return {key: _renamed(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [_renamed(item, names) for item in value]
    if isinstance(value, str):
        return names.get(value, value)
    return value


def _allowed(header: str) -> bool:
    return any(
        header == name or (name.endswith("*") and header.startswith(name[:-1])) for name in ALLOWED
    )


def sent(server: MockRevoxServer, act: Callable[[], object], objects: Objects) -> Wire:
    """The one request ``act`` sends, as the mock logged it, with ``ALLOWED`` set aside.

    What the mock answered does not matter here (the official suite checks that).
    """
    before = len(server.requests)
    with contextlib.suppress(revox.APIStatusError, APIStatusError):
        act()
    (request,) = server.requests[before:]
    url = urlsplit(request.path)
    names = objects.names()
    body = _renamed(request.body, names)
    if request.method == "POST" and url.path == "/api/call":
        metadata = body.get("metadata", {})
        if metadata.pop("revox_async_key", None) is not None and not metadata:
            del body["metadata"]
    return Wire(
        method=request.method,
        path="/".join(names.get(part, part) for part in url.path.split("/")),
        query=parse_qs(url.query),
        body=body,
        headers={
            name.lower(): value
            for name, value in request.headers.items()
            if not _allowed(name.lower())
        },
    )


Act = Callable[[Any, Objects], object]


@attrs.frozen
class Row:
    """One endpoint: the official client's method, and the same intent in each client."""

    method: str
    """The official client's method, ``resource.method``."""
    official: Act
    ours: Act
    fixed_by: str | None = None
    """Why the two differ today and which item of issue 19 fixes it; ``None`` when equal."""
    raises: type[Exception] = AssertionError
    """How the difference shows today: unequal requests, or ours refusing before sending."""
    intent: str = ""
    """What sets this row apart from another of the same method."""


ASSISTANT: dict[str, Any] = {
    "name": "Front desk",
    "prompt": "You book appointments.",
    "voice": {"id": "79a125e8", "provider": "cartesia", "speed": 1.1},
    "llm_model": {"type": "dedicated-instance", "name": "gpt-4.1"},
    "faq_items": [{"question": "Open on Sunday?", "answer": "No."}],
    "call_retry_config": {
        "allowed_days": ["monday", "friday"],
        "call_twice_in_a_row": False,
        "calling_windows": [
            {
                "calling_window_start_time": "10:00",
                "calling_window_end_time": "18:00",
                "retry_delay_seconds": 7200,
            }
        ],
        "max_retry_attempts": 2,
        "timezone": "Europe/Paris",
    },
    "custom_tools": [
        {
            "name": "rooms",
            "description": "Free rooms on a date",
            "method": "GET",
            "url": "https://hotel.example.com/rooms?date={{date}}",
            "headers": [{"key": "X-Key", "value": "k"}],
            "query_params": [],
            "input_schema": [{"name": "date", "required": True, "type": "date"}],
            "body_template": None,
        }
    ],
    "transfer_destinations": [{"label": "Reception", "phone_number": "+33123456789"}],
    "first_sentence_mode": "static",
    "first_sentence": "Hello!",
    "max_call_duration_secs": 600,
    "voicemail_message": None,
}
CALL: dict[str, Any] = {
    "phone_number": "+33612345678",
    "prompt_variables": {"first_name": "Ada"},
    "metadata": {"crm_id": "42"},
    "scheduled_at": WHEN,
    "skip_calling_window": True,
    "from_phone_number": "+14155550100",
    "concurrency": {"key": "sales"},
}
BOTH = {
    "phone_number": "+33612345678",
    "assistant": {"prompt": "You confirm.", "first_sentence": "Hi!"},
}
EMPTY_FILTERS: dict[str, list[str]] = {
    "assignee_ids": [],
    "assistant_ids": [],
    "campaign_ids": [],
    "directions": [],
    "from_phone_numbers": [],
    "outcomes": [],
    "results": [],
    "statuses": [],
}
RETRY = {
    "allowed_days": ["monday"],
    "call_twice_in_a_row": True,
    "calling_windows": [
        {
            "calling_window_start_time": "9:30am",
            "calling_window_end_time": "6pm",
            "retry_delay_seconds": 3600,
        }
    ],
    "max_retry_attempts": 1,
}
CONTACTS = [{"to_phone_number": "+33612345679", "prompt_variables": {"first_name": "Ada"}}]
PREVIEW = {"provider": "cartesia", "voice_id": "79a125e8", "text": "Bonjour", "speed": 1.2}

ROWS = [
    Row(
        "assistants.create",
        lambda c, o: c.assistants.create(**ASSISTANT),
        lambda c, o: c.assistants.create(**ASSISTANT),
    ),
    Row(
        "assistants.retrieve",
        lambda c, o: c.assistants.retrieve(o.assistant),
        lambda c, o: c.assistants.retrieve(o.assistant),
    ),
    Row(
        "assistants.update",
        lambda c, o: c.assistants.update(o.assistant, name="Night", voicemail_message=None),
        lambda c, o: c.assistants.update(o.assistant, name="Night", voicemail_message=None),
    ),
    Row("assistants.list", lambda c, o: c.assistants.list(), lambda c, o: c.assistants.list()),
    Row(
        "assistants.delete",
        lambda c, o: c.assistants.delete(o.assistant),
        lambda c, o: c.assistants.delete(o.assistant),
    ),
    Row(
        "assistants.clone",
        lambda c, o: c.assistants.clone(o.assistant),
        lambda c, o: c.assistants.clone(o.assistant),
    ),
    Row(
        "auth_status.retrieve", lambda c, o: c.auth_status.retrieve(), lambda c, o: c.auth_status()
    ),
    Row(
        "call.create",
        lambda c, o: c.call.create(assistant_id=o.assistant, **CALL),
        lambda c, o: c.calls.create(assistant_id=o.assistant, **CALL),
    ),
    Row(
        "call.create",
        lambda c, o: c.call.create(**BOTH, assistant_id=o.assistant),
        lambda c, o: c.calls.create(**BOTH, assistant_id=o.assistant),
        intent="with an inline assistant too",
    ),
    Row(
        "call.retrieve", lambda c, o: c.call.retrieve(o.call), lambda c, o: c.calls.retrieve(o.call)
    ),
    Row(
        "call.cancel",
        lambda c, o: c.call.cancel(o.call),
        lambda c, o: c.calls.cancel(o.call),
    ),
    Row(
        "call.pause",
        lambda c, o: c.call.pause(o.call),
        lambda c, o: c.calls.pause(o.call),
    ),
    Row(
        "call.resume",
        lambda c, o: c.call.resume(o.paused_call),
        lambda c, o: c.calls.resume(o.paused_call),
    ),
    Row(
        "call.search",
        lambda c, o: c.call.search(
            **{**EMPTY_FILTERS, "statuses": ["completed"]}, query="Ada", page=1, page_size=20
        ),
        lambda c, o: c.calls.search_page(statuses=["completed"], query="Ada", page_size=20),
    ),
    Row(
        "call.export",
        lambda c, o: c.call.export(
            filters={**EMPTY_FILTERS, "assistant_ids": [o.assistant], "page": 1, "page_size": 100},
            include_metadata=True,
        ),
        lambda c, o: c.calls.export(
            assistant_ids=[o.assistant], include_metadata=True, page_size=100
        ),
    ),
    Row(
        "call.phone_history",
        lambda c, o: c.call.phone_history(),
        lambda c, o: c.calls.phone_history(),
    ),
    Row(
        "campaigns.create",
        lambda c, o: c.campaigns.create(
            name="Spring",
            assistant_id=o.assistant,
            contacts=CONTACTS,
            call_retry_config=RETRY,
            from_phone_number="+14155550100",
            max_concurrent_calls=2,
        ),
        lambda c, o: c.campaigns.create(
            name="Spring",
            assistant_id=o.assistant,
            contacts=CONTACTS,
            call_retry_config=RETRY,
            from_phone_number="+14155550100",
            max_concurrent_calls=2,
        ),
    ),
    Row(
        "campaigns.retrieve",
        lambda c, o: c.campaigns.retrieve(o.campaign),
        lambda c, o: c.campaigns.retrieve(o.campaign),
    ),
    Row(
        "campaigns.update",
        lambda c, o: c.campaigns.update(o.campaign, name="Autumn", max_concurrent_calls=None),
        lambda c, o: c.campaigns.update(o.campaign, name="Autumn", max_concurrent_calls=None),
    ),
    Row("campaigns.list", lambda c, o: c.campaigns.list(), lambda c, o: c.campaigns.list()),
    Row(
        "campaigns.delete",
        lambda c, o: c.campaigns.delete(o.campaign),
        lambda c, o: c.campaigns.delete(o.campaign),
    ),
    Row(
        "campaigns.cancel",
        lambda c, o: c.campaigns.cancel(o.campaign),
        lambda c, o: c.campaigns.cancel(o.campaign),
    ),
    Row(
        "campaigns.export_rows",
        lambda c, o: c.campaigns.export_rows(o.campaign),
        lambda c, o: c.campaigns.export(o.campaign),
    ),
    Row(
        "campaigns.get_rows",
        lambda c, o: c.campaigns.get_rows(o.campaign),
        lambda c, o: c.campaigns.rows(o.campaign),
    ),
    Row(
        "campaigns.launch",
        lambda c, o: c.campaigns.launch(
            o.campaign,
            mode="ai_first",
            selection={
                "filters": {
                    "assignee_ids": [],
                    "directions": [],
                    "outcomes": [],
                    "results": [],
                    "statuses": [],
                },
                "rows": {"call_ids": [], "mode": "all_except"},
            },
            scheduled_at="2030-01-02T03:04:05+00:00",
        ),
        lambda c, o: c.campaigns.launch(o.campaign, scheduled_at=WHEN),
    ),
    Row(
        "campaigns.pause",
        lambda c, o: c.campaigns.pause(o.campaign),
        lambda c, o: c.campaigns.pause(o.campaign),
    ),
    Row(
        "campaigns.resume",
        lambda c, o: c.campaigns.resume(o.paused_campaign),
        lambda c, o: c.campaigns.resume(o.paused_campaign),
    ),
    Row(
        "campaigns.statistics",
        lambda c, o: c.campaigns.statistics(o.campaign),
        lambda c, o: c.campaigns.statistics(o.campaign),
    ),
    Row(
        "phone_numbers.update",
        lambda c, o: c.phone_numbers.update(
            o.phone_number, inbound_assistant_id=o.assistant, label=None
        ),
        lambda c, o: c.phone_numbers.update(
            o.phone_number, inbound_assistant_id=o.assistant, label=None
        ),
    ),
    Row(
        "phone_numbers.list",
        lambda c, o: c.phone_numbers.list(),
        lambda c, o: c.phone_numbers.list(),
    ),
    Row(
        "phone_numbers.delete",
        lambda c, o: c.phone_numbers.delete(o.phone_number),
        lambda c, o: c.phone_numbers.delete(o.phone_number),
    ),
    Row("users.retrieve", lambda c, o: c.users.retrieve(), lambda c, o: c.users.me()),
    Row(
        "voices.retrieve",
        lambda c, o: c.voices.retrieve(o.cloned_voice, provider="cartesia"),
        lambda c, o: c.voices.retrieve(o.cloned_voice, provider="cartesia"),
    ),
    Row("voices.list", lambda c, o: c.voices.list(), lambda c, o: c.voices.list()),
    Row(
        "voices.delete",
        lambda c, o: c.voices.delete(o.cloned_voice),
        lambda c, o: c.voices.delete(o.cloned_voice),
    ),
    Row(
        "voices.clone",
        lambda c, o: c.voices.clone(name="Ada", audio=WAV, content_type="audio/wav", language="en"),
        lambda c, o: c.voices.clone(name="Ada", audio=WAV, content_type="audio/wav", language="en"),
    ),
    Row(
        "voices.preview",
        lambda c, o: c.voices.preview(**PREVIEW),
        lambda c, o: c.voices.preview(**PREVIEW),
    ),
]


def _param(row: Row) -> Any:
    marks = []
    if row.fixed_by:
        marks = [pytest.mark.xfail(strict=True, raises=row.raises, reason=row.fixed_by)]
    return pytest.param(row, id=f"{row.method} {row.intent}".strip(), marks=marks)


@pytest.fixture
def official(revox_mock: MockRevoxServer) -> Iterator[Any]:
    client = revox.Revox(api_key=revox_mock.api_key, base_url=revox_mock.base_url, max_retries=0)
    yield client
    client.close()


@pytest.fixture
def ours(revox_mock: MockRevoxServer) -> Iterator[SyncRevox]:
    with SyncRevox(
        api_key=revox_mock.api_key, base_url=revox_mock.base_url, max_retries=0
    ) as client:
        yield client


@pytest.mark.parametrize("row", [_param(row) for row in ROWS])
def test_both_clients_send_the_same_request(
    row: Row, revox_mock: MockRevoxServer, official: Any, ours: SyncRevox
) -> None:
    """The same intent, carried out by the official client and by ours, is the same request."""
    theirs, mine = seed(ours, 0), seed(ours, 1)
    expected = sent(revox_mock, lambda: row.official(official, theirs), theirs)
    actual = sent(revox_mock, lambda: row.ours(ours, mine), mine)
    assert expected == actual


def test_every_official_method_has_a_row() -> None:
    """The rows cover each of the official client's 36 methods, one endpoint each."""
    client = revox.Revox(api_key="k", base_url="http://127.0.0.1:9")
    methods = {
        f"{name}.{method}"
        for name in (
            "assistants",
            "auth_status",
            "call",
            "campaigns",
            "phone_numbers",
            "users",
            "voices",
        )
        for method in vars(type(getattr(client, name)))
        if not method.startswith(("_", "with_"))
    }
    client.close()
    assert 36 == len(methods)
    assert methods == {row.method for row in ROWS}


PER_CALL: dict[str, Any] = {
    "timeout": 7.5,
    "extra_headers": {"X-Trace-Id": "t-1"},
    "extra_query": {"debug": "true", "tag": ["a", "b"]},
    "extra_body": {"beta_field": {"on": True}},
}
"""The per-call options the official client takes on every method, all four at once."""


class WithOptions:
    """A client, or one of its resources, whose every method call also gets ``options``."""

    def __init__(self, target: Any, options: Mapping[str, Any]) -> None:
        self._target, self._options = target, options

    def __getattr__(self, name: str) -> WithOptions:
        return WithOptions(getattr(self._target, name), self._options)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._target(*args, **kwargs, **self._options)


@pytest.mark.parametrize("row", [_param(row) for row in ROWS])
def test_per_call_options_reach_the_wire_as_the_official_clients_do(
    row: Row, revox_mock: MockRevoxServer, official: Any, ours: SyncRevox
) -> None:
    """timeout=, extra_headers=, extra_query= and extra_body= change each request alike."""
    theirs, mine = seed(ours, 0), seed(ours, 1)
    options = PER_CALL
    if sent(revox_mock, lambda: row.ours(ours, mine), mine).method == "GET":
        options = {**PER_CALL}
        del options["extra_body"]  # the official client drops it, ours refuses it (tested)
    expected = sent(
        revox_mock, lambda: row.official(WithOptions(official, options), theirs), theirs
    )
    actual = sent(revox_mock, lambda: row.ours(WithOptions(ours, options), mine), mine)
    assert {"t-1"} == {actual.headers.get("x-trace-id")}
    assert {"debug": ["true"], "tag": ["a,b"]}.items() <= actual.query.items()
    assert expected == actual
