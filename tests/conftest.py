"""Shared fixtures: a clean environment, aioresponses that works, recorded sleeps."""

from __future__ import annotations

import errno
import os
import types
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import pytest
from aioresponses import aioresponses
from aioresponses import core as aioresponses_core

from revox_async import AsyncRevox
from revox_async.testing import MockRevoxServer

BASE = "https://api.test/api"
KEY = "sk-test-secret-key"
NOTHING_YET = {"calls": [], "total_count": 0}
"""A call search that finds nothing: the first answer to a create given its own key
(looked for before it is dialled)."""


class CompatClientResponse(aiohttp.ClientResponse):
    """aioresponses 0.7.9 builds responses without aiohttp 3.14's ``stream_writer``.

    Upstream: pnuckowski/aioresponses#289. ``test_aioresponses_shim.py`` fails
    once a release no longer needs this, so it can be deleted then.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("stream_writer", types.SimpleNamespace(output_size=0))
        super().__init__(*args, **kwargs)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("REVOX_API_KEY", "REVOX_BASE_URL", "REVOX_LOG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def mocked() -> Iterator[aioresponses]:
    """aioresponses with the aiohttp 3.14 shim; passes loopback through."""
    original = aioresponses_core.ClientResponse
    aioresponses_core.ClientResponse = CompatClientResponse  # type: ignore[misc]
    try:
        with aioresponses(passthrough=["http://127.0.0.1"]) as m:
            yield m
    finally:
        aioresponses_core.ClientResponse = original  # type: ignore[misc]


def fill_disk_at(monkeypatch: pytest.MonkeyPatch, marker: bytes) -> None:
    """``os.write`` of data holding ``marker`` fails as on a full disk (``ENOSPC``); the
    rest is written (``monkeypatch.undo()`` gives the space back)."""
    real = os.write

    def full(fd: int, data: bytes) -> int:
        if marker in data:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, data)

    monkeypatch.setattr(os, "write", full)


class Sleeps(list[float]):
    """A client's sleep that records each delay instead of waiting it."""

    async def __call__(self, delay: float) -> None:
        self.append(delay)


@pytest.fixture
def sleeps() -> Sleeps:
    """Backoff sleeps, recorded: give it to a client as ``client._sleep = sleeps``."""
    return Sleeps()


@pytest.fixture
async def client(sleeps: Sleeps) -> AsyncIterator[AsyncRevox]:
    async with AsyncRevox(api_key=KEY, base_url=BASE) as c:
        c._sleep = sleeps
        yield c


def assistant_json(**overrides: Any) -> dict[str, Any]:
    """A full Assistant as the API returns it."""
    data: dict[str, Any] = {
        "id": "asst_1",
        "organization_id": "org_1",
        "name": "Front desk",
        "prompt": "You book appointments.",
        "created_at": "2026-01-02T03:04:05.000Z",
        "updated_at": "2026-01-02T03:04:05.000Z",
        "background_sound": None,
        "calendly": None,
        "call_retry_config": {
            "calling_windows": [
                {
                    "calling_window_start_time": "10:00",
                    "calling_window_end_time": "18:00",
                    "retry_delay_seconds": 7200,
                }
            ],
            "max_retry_attempts": 3,
            "timezone": None,
        },
        "end_of_call_sentence": None,
        "faq_items": [],
        "first_sentence": "Hello!",
        "first_sentence_delay_ms": 400,
        "first_sentence_mode": "static",
        "ivr_navigation_enabled": False,
        "llm_model": {"type": "dedicated-instance", "name": "gpt-4.1"},
        "max_call_duration_secs": 600,
        "structured_output_config": [],
        "transfer_phone_number": None,
        "voice": {"id": "v1", "provider": "cartesia", "speed": 1.0},
        "voicemail_message": None,
        "webhook_url": None,
        "pending_faq_count": 0,
    }
    data.update(overrides)
    return data


@pytest.fixture
def mock(revox_mock: MockRevoxServer) -> MockRevoxServer:
    """The plugin's mock, emptied for each test, ignoring keys as the live API does (the
    batch tests' server; a module may define its own ``mock``)."""
    revox_mock.idempotency = "ignore"
    return revox_mock


@pytest.fixture
async def api(mock: MockRevoxServer) -> AsyncIterator[AsyncRevox]:
    """A client of `mock` that retries 3 times (a module may define its own ``api``)."""
    async with AsyncRevox(api_key=mock.api_key, base_url=mock.base_url, max_retries=3) as client:
        yield client
