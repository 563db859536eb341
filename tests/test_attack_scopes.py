"""Attack on the shared listing: creates in different scopes (headers, query) look in their own.

Lookups waiting at once share one listing of a collection. A header can scope what the
server lists (a workspace, an account): two creates in two scopes, both answered 500
after the server made them, must each look in their own scope, or one finds nothing
and is created twice.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest
from aioresponses import CallbackResult, aioresponses

from revox_async import AsyncRevox
from revox_async.testing import MockRevoxServer
from tests.conftest import BASE, KEY, Sleeps, assistant_json


def _workspace(url: Any, kwargs: dict[str, Any]) -> str:
    """The workspace a request names: its ``workspace`` query parameter, else its
    ``X-Workspace`` header."""
    return str(url.query.get("workspace") or kwargs["headers"]["X-Workspace"])


class Workspaces:
    """A server whose assistants live in the workspace a request names (``X-Workspace``,
    or ``?workspace=``): each POST makes one, then answers 500; a listing shows only the
    caller's workspace."""

    def __init__(self) -> None:
        self.made: Counter[str] = Counter()
        self.assistants: list[tuple[str, dict[str, Any]]] = []

    def create(self, url: Any, **kwargs: Any) -> CallbackResult:
        workspace = _workspace(url, kwargs)
        self.made[workspace] += 1
        made = assistant_json(id=f"asst_{len(self.assistants)}", name=workspace, prompt="p")
        now = datetime.now(UTC).isoformat()
        self.assistants.append((workspace, {**made, "created_at": now}))
        return CallbackResult(status=500, payload={"error": "x"})

    def list(self, url: Any, **kwargs: Any) -> CallbackResult:
        workspace = _workspace(url, kwargs)
        listed = [a for w, a in self.assistants if w == workspace]
        return CallbackResult(payload={"assistants": listed})


@pytest.mark.parametrize("how", ["extra_headers", "with_options", "extra_query"])
async def test_two_creates_in_two_workspaces_are_each_made_once(
    mocked: aioresponses, sleeps: Sleeps, how: str
) -> None:
    """Both made, both answered 500, both looked for at once: each is found in its own
    workspace; neither is sent again."""
    server = Workspaces()
    collection = re.compile(re.escape(f"{BASE}/assistants") + r"(\?.*)?$")
    mocked.post(collection, callback=server.create, repeat=True)
    mocked.get(collection, callback=server.list, repeat=True)
    async with AsyncRevox(api_key=KEY, base_url=BASE, max_retries=2) as client:
        client._sleep = sleeps

        async def create(workspace: str) -> str:
            scope = {"X-Workspace": workspace}
            if how == "extra_query":
                made = await client.assistants.create(
                    name=workspace, prompt="p", extra_query={"workspace": workspace}
                )
            elif how == "extra_headers":
                made = await client.assistants.create(
                    name=workspace, prompt="p", extra_headers=scope
                )
            else:
                scoped = client.with_options(headers=scope)
                made = await scoped.assistants.create(name=workspace, prompt="p")
            return made.name

        names = await asyncio.gather(create("w1"), create("w2"))
        assert {} == client._engine.lookups._shared  # nothing kept per scope afterwards
    assert ["w1", "w2"] == names
    assert Counter({"w1": 1, "w2": 1}) == server.made


async def test_two_creates_given_one_key_with_two_queries_take_turns(
    revox_mock: MockRevoxServer,
) -> None:
    """One key names one call, whatever else differs: two creates given it at once, with
    different ``extra_query``, are sent one after the other, so the second finds the
    call the first placed (a query the server ignores) instead of dialling again."""
    async with AsyncRevox(
        api_key=revox_mock.api_key, base_url=revox_mock.base_url, outcome_window=0
    ) as c:
        assistant = await c.assistants.create(name="n", prompt="p")
        first, second = await asyncio.gather(
            *(
                c.calls.create(
                    phone_number="+33612345678",
                    assistant_id=assistant.id,
                    idempotency_key="k-1",
                    extra_query={"tag": tag},
                )
                for tag in ("a", "b")
            )
        )
    posts = [
        r for r in revox_mock.requests if r.method == "POST" and r.path.startswith("/api/call?")
    ]
    assert (1, first.id) == (len(posts), second.id)
