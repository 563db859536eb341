"""Reading every page: ``calls.search`` and the lookup before re-sending a call, against
servers that count pages from 1 (refusing page 0, or reading it as page 1) or from 0."""

from __future__ import annotations

import json
import logging
from typing import Any, Literal

import pytest
from aioresponses import CallbackResult, aioresponses
from yarl import URL

import revox_async as rx
from revox_async import AsyncRevox, SyncRevox
from revox_async._resources.calls import PAGE_SIZE, Pages, _calls_to
from revox_async.testing import MockRevoxServer
from tests.conftest import BASE

Counting = Literal["from 1, refusing 0", "from 1, reading 0 as 1", "from 0"]
COUNTINGS: tuple[Counting, ...] = ("from 1, refusing 0", "from 1, reading 0 as 1", "from 0")
SEARCH = URL(f"{BASE}/call/search")


def serve_pages(mocked: aioresponses, calls: list[dict[str, Any]], counting: Counting) -> None:
    """Answer ``POST /call/search`` with ``calls`` paged as a server counting this way."""

    def answer(url: URL, **kwargs: Any) -> CallbackResult:
        body = json.loads(kwargs["data"])
        page, size = body["page"], body["page_size"]
        if counting == "from 1, refusing 0" and page < 1:
            return CallbackResult(status=422, payload={"message": "page: must be at least 1"})
        if counting == "from 1, reading 0 as 1":
            page = max(page, 1)
        start = (page if counting == "from 0" else page - 1) * size
        return CallbackResult(
            payload={"calls": calls[start : start + size], "total_count": len(calls)}
        )

    mocked.post(SEARCH, callback=answer, repeat=True)


def raw_calls(n: int) -> list[dict[str, Any]]:
    return [{"id": f"c{i}", "to_phone_number": "+33612345678"} for i in range(n)]


def pages_asked(mocked: aioresponses) -> list[int]:
    return [json.loads(c.kwargs["data"])["page"] for c in mocked.requests.get(("POST", SEARCH), [])]


@pytest.mark.parametrize("counting", COUNTINGS)
@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 6, 7])
async def test_search_yields_every_call_once_in_order(
    client: AsyncRevox, mocked: aioresponses, counting: Counting, n: int
) -> None:
    """Whichever way the server counts pages, every call comes once, in the server's order."""
    serve_pages(mocked, raw_calls(n), counting)
    seen = [call.id async for call in client.calls.search(page_size=2)]
    assert [f"c{i}" for i in range(n)] == seen


@pytest.mark.parametrize(
    ("counting", "expected"),
    [
        ("from 1, refusing 0", [1, 0, 2, 3]),
        ("from 1, reading 0 as 1", [1, 0, 2, 3]),
        ("from 0", [1, 0, 2]),
    ],
)
async def test_search_pays_one_request_to_learn_where_pages_start(
    client: AsyncRevox, mocked: aioresponses, counting: Counting, expected: list[int]
) -> None:
    """Five calls in pages of two: page 1 first, then page 0 once, then on from page 2."""
    serve_pages(mocked, raw_calls(5), counting)
    assert 5 == len([call async for call in client.calls.search(page_size=2)])
    assert expected == pages_asked(mocked)


@pytest.mark.parametrize(
    ("counting", "expected"),
    [("from 1, refusing 0", [1]), ("from 1, reading 0 as 1", [1]), ("from 0", [1, 0])],
)
async def test_search_asks_page_one_alone_when_it_holds_every_call(
    client: AsyncRevox, mocked: aioresponses, counting: Counting, expected: list[int]
) -> None:
    """A page 1 holding total_count calls can only be the first page: no probe of page 0
    (a server counting from 0 answers it empty, and is asked page 0)."""
    serve_pages(mocked, raw_calls(3), counting)
    assert ["c0", "c1", "c2"] == [call.id async for call in client.calls.search(page_size=5)]
    assert expected == pages_asked(mocked)


@pytest.mark.parametrize("counting", COUNTINGS)
async def test_search_limit_counts_from_the_first_call(
    client: AsyncRevox, mocked: aioresponses, counting: Counting
) -> None:
    """limit=3 gives the server's first three calls, wherever its pages start."""
    serve_pages(mocked, raw_calls(9), counting)
    assert ["c0", "c1", "c2"] == [c.id async for c in client.calls.search(page_size=2, limit=3)]


async def test_search_raises_other_errors_of_the_probe(
    client: AsyncRevox, mocked: aioresponses
) -> None:
    """Only a 400 or 422 to page 0 says the pages count from 1; a 404 is raised."""
    mocked.post(SEARCH, payload={"calls": raw_calls(2), "total_count": 5})
    mocked.post(SEARCH, status=404, payload={"message": "no such page"})
    with pytest.raises(rx.NotFoundError):
        [call async for call in client.calls.search(page_size=2)]


async def test_search_goes_on_past_a_page_shorter_than_asked(
    client: AsyncRevox, mocked: aioresponses
) -> None:
    """A server that caps the page size answers short pages: total_count says go on."""
    calls = raw_calls(5)
    mocked.post(SEARCH, payload={"calls": calls[0:2], "total_count": 5})
    mocked.post(SEARCH, status=422, payload={"message": "page: must be at least 1"})
    for start in (2, 4):
        mocked.post(SEARCH, payload={"calls": calls[start : start + 2], "total_count": 5})
    seen = [call.id async for call in client.calls.search(page_size=50)]
    assert ["c0", "c1", "c2", "c3", "c4"] == seen


def never(call: Any) -> bool:
    return False


@pytest.mark.parametrize("counting", COUNTINGS)
async def test_lookup_before_resending_reads_every_page(
    client: AsyncRevox, mocked: aioresponses, counting: Counting
) -> None:
    """The lookup before re-sending a call reads pages of its own size from the first, once."""
    serve_pages(mocked, raw_calls(PAGE_SIZE * 2 + 1), counting)
    listed = await _calls_to("+33612345678", client._send, never)
    assert [f"c{i}" for i in range(PAGE_SIZE * 2 + 1)] == [call["id"] for call in listed.items]


@pytest.mark.parametrize(
    ("counting", "expected"),
    [("from 1, refusing 0", [1]), ("from 1, reading 0 as 1", [1]), ("from 0", [1, 0])],
)
async def test_lookup_before_resending_stops_at_the_call_it_wants(
    client: AsyncRevox, mocked: aioresponses, counting: Counting, expected: list[int]
) -> None:
    """The newest call is the one looked for: found on the first page, whichever it is."""
    serve_pages(mocked, raw_calls(PAGE_SIZE * 3), counting)
    listed = await _calls_to("+33612345678", client._send, lambda call: call["id"] == "c0")
    assert "c0" in [call["id"] for call in listed.items]
    assert expected == pages_asked(mocked)


def test_sync_search_reads_the_mock_from_page_one() -> None:
    """SyncRevox's search against the mock (it counts from 1, refusing 0): every call once."""
    with MockRevoxServer() as mock:
        for i in range(5):
            mock.calls[f"c{i}"] = {"id": f"c{i}", "created_at": f"2026-01-0{i + 1}T00:00:00Z"}
        with SyncRevox(api_key=mock.api_key, base_url=mock.base_url) as client:
            seen = [call.id for call in client.calls.search(page_size=2)]
        asked = [r.body["page"] for r in mock.requests if r.path == "/api/call/search"]
    assert ["c4", "c3", "c2", "c1", "c0"] == seen
    assert [1, 0, 2, 3] == asked


def ids(calls: list[rx.Call]) -> list[str | None]:
    return [call.id for call in calls]


def calls(*names: str) -> list[rx.Call]:
    return [rx.Call(id=name) for name in names]


def test_pages_holds_page_one_until_page_zero_tells() -> None:
    """Page 1 is kept back while page 0 is asked; nothing new on page 0: it counted from 1."""
    pages: Pages[rx.Call] = Pages(2)
    assert [] == pages.take(calls("a", "b"), 5)
    assert (0, True, None) == (pages.page, pages.probing, pages.first_page)
    assert ["a", "b"] == ids(pages.take(calls("a", "b"), 5))
    assert (2, 1, False) == (pages.page, pages.first_page, pages.done)


def test_pages_puts_page_zero_first_on_a_server_counting_from_zero() -> None:
    """Page 0 brings other calls: they come first, then page 1's, and page 2 is next."""
    pages: Pages[rx.Call] = Pages(2)
    pages.take(calls("c", "d"), 5)
    assert ["a", "b", "c", "d"] == ids(pages.take(calls("a", "b"), 5))
    assert (2, 0, False) == (pages.page, pages.first_page, pages.done)


def test_pages_takes_a_refused_probe_as_counting_from_one() -> None:
    """Only a 400 or 422 to the probe is a refusal; then page 1's calls come out."""
    pages: Pages[rx.Call] = Pages(2)
    assert not pages.is_refusal(422)  # page 1 is not the probe
    pages.take(calls("a", "b"), None)
    assert (True, True, False) == (
        pages.is_refusal(422),
        pages.is_refusal(400),
        pages.is_refusal(500),
    )
    assert ["a", "b"] == ids(pages.refused())
    assert (2, 1) == (pages.page, pages.first_page)
    assert not pages.is_refusal(422)


def test_pages_ends_where_the_answers_say() -> None:
    """Empty page, short page with no total, total reached, limit, max_pages, nothing new."""
    everything: Pages[rx.Call] = Pages(2)
    everything.take(calls("a", "b"), 2)
    assert (everything.done, everything.first_page) == (True, 1)
    short: Pages[rx.Call] = Pages(2)
    short.take(calls("a"), None)
    assert ["a"] == ids(short.take(calls("a"), None))
    assert short.done
    capped: Pages[rx.Call] = Pages(5)
    capped.take(calls("a", "b"), 4)
    capped.take(calls("a", "b"), 4)
    assert not capped.done  # short, but total_count says two more
    assert ["c", "d"] == ids(capped.take(calls("c", "d"), 4))
    assert capped.done
    assert Pages(5, limit=0).done
    one: Pages[rx.Call] = Pages(2, max_pages=1)
    one.take(calls("c", "d"), 9)
    one.take(calls("a", "b"), 9)
    assert one.done  # page 0 was the one page of calls allowed
    empty: Pages[rx.Call] = Pages(2)
    empty.take([], None)
    assert [] == empty.take([], None)
    assert empty.done


def test_pages_stops_at_a_page_with_nothing_new_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A server that ignores ``page`` cannot loop the search; a warning names the shortfall."""
    pages: Pages[rx.Call] = Pages(2)
    pages.take(calls("a", "b"), 9)
    pages.take(calls("a", "b"), 9)
    with caplog.at_level(logging.WARNING, logger="revox_async"):
        assert [] == pages.take(calls("a", "b"), 9)
    assert pages.done
    assert "stopped after 2 of the 9 calls" in caplog.text


async def test_search_page_asks_page_one_unless_told(
    client: AsyncRevox, mocked: aioresponses
) -> None:
    """search_page() and export() ask page 1; an explicit page goes out as given, 0 too."""
    mocked.post(SEARCH, payload={"calls": [], "total_count": 0}, repeat=True)
    mocked.post(f"{BASE}/call/export", payload={"csv": "", "filename": "c.csv"}, repeat=True)
    await client.calls.search_page()
    await client.calls.search_page(page=0)
    await client.calls.export()
    await client.calls.export(page=0, page_size=5)
    assert [1, 0] == pages_asked(mocked)
    exported = mocked.requests[("POST", URL(f"{BASE}/call/export"))]
    filters = [json.loads(c.kwargs["data"])["filters"] for c in exported]
    assert [(1, 100), (0, 5)] == [(f["page"], f["page_size"]) for f in filters]
