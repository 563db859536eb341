"""What docs/observability.md promises: one OpenTelemetry span per HTTP attempt, with
method, URL and status and never the key; the logger's line per attempt and retry."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import aiohttp
import pytest
from opentelemetry.instrumentation.aiohttp_client import (
    AioHttpClientInstrumentor,
    create_trace_config,
)
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from revox_async import AsyncRevox, SyncRevox
from revox_async.testing import MockRevoxServer

KEY = "sk-observability-secret-0123456789"


@pytest.fixture
def spans() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def provider(spans: InMemorySpanExporter) -> TracerProvider:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    return provider


@pytest.fixture
def mock() -> Iterator[MockRevoxServer]:
    with MockRevoxServer(api_key=KEY, idempotency="ignore") as server:
        yield server


def summary(finished: tuple[ReadableSpan, ...]) -> list[tuple[str, object, object, object]]:
    return [
        (
            span.name,
            (span.attributes or {}).get("http.method"),
            (span.attributes or {}).get("http.url"),
            (span.attributes or {}).get("http.status_code"),
        )
        for span in finished
    ]


def assert_no_key(finished: tuple[ReadableSpan, ...]) -> None:
    for span in finished:
        texts = [span.name, *map(str, (span.attributes or {}).values())]
        texts += [
            str(value) for event in span.events for value in (event.attributes or {}).values()
        ]
        assert not [text for text in texts if KEY in text], span.name


async def test_one_span_per_attempt_on_a_session_passed_in(
    mock: MockRevoxServer, provider: TracerProvider, spans: InMemorySpanExporter
) -> None:
    """A retried GET is two spans, each with method, URL and status, under the caller's span."""
    mock.fail_next(status=503, retry_after=0.01)
    url = f"{mock.base_url}/assistants"
    async with aiohttp.ClientSession(
        trace_configs=[create_trace_config(tracer_provider=provider)]
    ) as session:
        async with AsyncRevox(api_key=KEY, base_url=mock.base_url, session=session) as client:
            with provider.get_tracer("test").start_as_current_span("caller") as caller:
                await client.assistants.list()

    finished = spans.get_finished_spans()
    assert [
        ("GET", "GET", url, 503),
        ("GET", "GET", url, 200),
        ("caller", None, None, None),
    ] == summary(finished)
    assert [caller.get_span_context().span_id] * 2 == [
        s.parent.span_id for s in finished[:2] if s.parent
    ]
    assert_no_key(finished)


async def test_a_lookup_before_a_resend_is_its_own_span(
    mock: MockRevoxServer, provider: TracerProvider, spans: InMemorySpanExporter
) -> None:
    """A create carried out but answered 500 shows the POST, then the lookup's GET; no second POST."""
    mock.fail_next("commit_then_fail")
    async with aiohttp.ClientSession(
        trace_configs=[create_trace_config(tracer_provider=provider)]
    ) as session:
        async with AsyncRevox(
            api_key=KEY, base_url=mock.base_url, session=session, outcome_window=0.05
        ) as client:
            await client.assistants.create(name="n", prompt="p")

    finished = spans.get_finished_spans()
    assert [("POST", 500), ("GET", 200)] == [(m, s) for _, m, _, s in summary(finished)]
    assert_no_key(finished)


def test_the_global_instrumentation_traces_sync_revox(
    mock: MockRevoxServer, provider: TracerProvider, spans: InMemorySpanExporter
) -> None:
    """With aiohttp instrumented process-wide, SyncRevox's own session is traced too."""
    AioHttpClientInstrumentor().instrument(tracer_provider=provider)
    try:
        with SyncRevox(api_key=KEY, base_url=mock.base_url) as client:
            client.users.me()
    finally:
        AioHttpClientInstrumentor().uninstrument()

    finished = spans.get_finished_spans()
    assert [("GET", "GET", f"{mock.base_url}/users/me", 200)] == summary(finished)
    assert_no_key(finished)


async def test_the_logger_tells_each_attempt_and_retry(
    mock: MockRevoxServer, caplog: pytest.LogCaptureFixture
) -> None:
    """At DEBUG, a line per attempt; at INFO, a line per retry; the key in none."""
    mock.fail_next(status=503, retry_after=0.01)
    caplog.set_level(logging.DEBUG, logger="revox_async")
    async with AsyncRevox(api_key=KEY, base_url=mock.base_url) as client:
        await client.assistants.list()

    url = f"{mock.base_url}/assistants"
    lines = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "revox_async"]
    assert [
        ("DEBUG", f"GET {url} -> 503 (attempt 1)"),
        ("INFO", f"GET {url}: 503; retry 1 of 2 in 0.01 s"),
        ("DEBUG", f"GET {url} -> 200 (attempt 2)"),
    ] == [
        (level, message.split(" in ")[0] if level == "DEBUG" else message)
        for level, message in lines
    ]
    assert not [message for _, message in lines if KEY in message]
