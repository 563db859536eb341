"""The public bulk stream (`BatchStream`) and the names every kind of batch shares."""

from __future__ import annotations

import contextlib
import pydoc
from pathlib import Path
from typing import Any

import pytest

import revox_async as rx
from revox_async import AsyncRevox
from revox_async._journal import Journal, JournalEntry
from revox_async.testing import MockRevoxServer


def rows(n: int) -> list[dict[str, Any]]:
    return [{"name": f"row-{i}", "prompt": f"prompt {i}"} for i in range(n)]


# -- the stream ------------------------------------------------------------------------


async def test_stop_starts_no_new_row_and_yields_the_rest_not_sent(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """stream.stop() after the first item: rows in flight finish, the others are not sent."""
    stream = api.assistants.create_many_iter(rows(40), concurrency=2)
    seen: list[rx.BatchItem] = []
    async with contextlib.aclosing(stream):
        async for item in stream:
            seen.append(item)
            stream.stop()
    created = [item for item in seen if item.status == "created"]
    assert len(mock.assistants) == len(created)
    assert len(created) <= 3
    assert all(item.status != "failed" for item in seen)
    assert None is stream.stopped


async def test_a_stream_stopped_before_it_starts_sends_nothing(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """stop() before the first item is asked for: no row is sent."""
    stream = api.assistants.create_many_iter(rows(5))
    stream.stop()
    assert [] == [item async for item in stream]
    assert [] == [r for r in mock.requests if r.method == "POST"]


@pytest.mark.parametrize(
    ("option", "message"),
    [({"concurrency": 0}, "concurrency: must be"), ({"rate_limit": 0}, "rate_limit: must be")],
)
async def test_bad_options_are_refused_when_the_stream_is_made(
    api: AsyncRevox, mock: MockRevoxServer, option: dict[str, Any], message: str
) -> None:
    """concurrency=0 or rate_limit=0: ValueError from create_many_iter itself, nothing sent."""
    with pytest.raises(ValueError, match=message):
        api.assistants.create_many_iter(rows(1), **option)
    assert [] == mock.requests


async def test_the_stream_says_why_an_answer_stopped_it(mock: MockRevoxServer) -> None:
    """A 401 stops the batch: stream.stop_error is it, stream.stopped says it in words."""
    async with AsyncRevox(api_key="wrong", base_url=mock.base_url) as api:
        stream = api.assistants.create_many_iter(rows(10), concurrency=2)
        statuses = {item.status async for item in stream}
    assert {"failed", "not_sent"} == statuses
    assert isinstance(stream.stop_error, rx.AuthenticationError)
    assert "authentication" in (stream.stopped or "")


async def test_the_stream_takes_an_open_journal_and_leaves_it_open(
    api: AsyncRevox, tmp_path: Path
) -> None:
    """A Journal already open (what the CLI passes) is written to, and left to its owner."""
    journal = Journal.open(tmp_path / "j.jsonl", base_url=api.base_url)
    try:
        items = [item async for item in api.assistants.create_many_iter(rows(2), journal=journal)]
        assert 0 == journal.unsettled
        with pytest.raises(rx.JournalLockedError):  # still held by its owner
            Journal.open(tmp_path / "j.jsonl", base_url=api.base_url)
    finally:
        journal.close()
    recorded = Journal.open(tmp_path / "j.jsonl", base_url=api.base_url)
    recorded.close()
    assert {item.created_id for item in items} == {e.created_id for e in recorded.entries.values()}


async def test_an_open_journal_of_the_other_kind_is_refused(
    api: AsyncRevox, tmp_path: Path
) -> None:
    """A calls journal given to an assistants batch: JournalMismatchError, nothing sent."""
    journal = Journal.open(tmp_path / "j.jsonl", base_url=api.base_url, kind="calls")
    try:
        with pytest.raises(rx.JournalMismatchError, match="records a batch of calls"):
            async for _ in api.assistants.create_many_iter(rows(2), journal=journal):
                pass
    finally:
        journal.close()


# -- one set of names for every kind of batch ------------------------------------------


async def test_an_item_names_what_it_created_the_same_for_every_kind(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """created / created_id hold the assistant (or call) made, whatever the resource."""
    result = await api.assistants.create_many(rows(1))
    item = result.results[0]
    assert isinstance(item.created, rx.Assistant)
    assert ("assistants", item.created.id) == (item.kind, item.created_id)
    assert [item.created] == result.assistants
    assert set(mock.assistants) == {item.created_id}


OLD_NAMES = [
    ("assistants", "assistant", "created"),
    ("assistants", "assistant_id", "created_id"),
    ("calls", "call", "created"),
    ("calls", "call_id", "created_id"),
]


@pytest.mark.parametrize(("kind", "old", "new"), OLD_NAMES)
def test_an_old_item_name_still_reads_with_a_deprecation_warning(
    kind: str, old: str, new: str
) -> None:
    """item.assistant (…_id, call, call_id): the new name's value, and a DeprecationWarning."""
    made = (
        rx.Assistant(id="asst_1", name="n", prompt="p")
        if kind == "assistants"
        else rx.Call(id="call_1")
    )
    item = rx.BatchItem(
        index=0, params={}, error=None, idempotency_key="k", kind=kind, created=made
    )  # type: ignore[arg-type]
    with pytest.warns(DeprecationWarning, match=f"BatchItem.{old} is deprecated.*{new}"):
        value = getattr(item, old)
    assert getattr(item, new) == value


@pytest.mark.parametrize(("kind", "old", "new"), OLD_NAMES)
def test_an_old_name_of_the_other_kind_reads_none(kind: str, old: str, new: str) -> None:
    """item.call_id of an assistants batch is None, as it was (and item.assistant of calls)."""
    other = "calls" if kind == "assistants" else "assistants"
    item = rx.BatchItem(
        index=0, params={}, error=None, idempotency_key="k", kind=other, created_id="x"
    )  # type: ignore[arg-type]
    with pytest.warns(DeprecationWarning, match=f"read BatchItem.{new}"):
        assert None is getattr(item, old)


@pytest.mark.parametrize(("kind", "old", "new"), OLD_NAMES)
def test_help_shows_an_old_name_with_what_to_read_instead(kind: str, old: str, new: str) -> None:
    """help(BatchItem) lists item.assistant (…) with "Deprecated: read `created`", not a repr."""
    other = "a calls" if kind == "assistants" else "an assistants"
    shown = pydoc.render_doc(rx.BatchItem, renderer=pydoc.plaintext)
    assert f" |  {old}\n |      Deprecated: read `{new}` (None in {other} batch)." in shown


def test_a_row_from_the_journal_has_its_id_only() -> None:
    """An item an earlier run made: created is None, created_id the id, status created."""
    item = rx.BatchItem(index=0, params={}, error=None, idempotency_key="k", created_id="a1")
    assert (None, "a1", "created") == (item.created, item.created_id, item.status)


def test_the_journal_entry_old_name_still_reads_with_a_deprecation_warning() -> None:
    """JournalEntry.assistant_id is created_id (a call's id in a calls journal), deprecated."""
    entry = JournalEntry(key="k", fingerprint="f", state="created", created_id="call_1")
    with pytest.warns(DeprecationWarning, match="JournalEntry.assistant_id is deprecated"):
        assert "call_1" == entry.assistant_id


def test_a_journal_written_by_the_previous_version_reads_its_ids(tmp_path: Path) -> None:
    """The file format is unchanged: an older journal's "id" is the entry's created_id."""
    path = tmp_path / "old.jsonl"
    path.write_text(
        '{"revox_async_journal": 1, "base_url": "http://127.0.0.1:9/api", '
        '"started_at": "2026-12-01T10:00:00+00:00", "kind": "calls"}\n'
        '{"row": 0, "key": "k0", "fp": "f0", "state": "sent", "at": "2026-12-01T10:00:01+00:00"}\n'
        '{"row": 0, "state": "created", "id": "call_7"}\n',
        encoding="utf-8",
    )
    journal = Journal.open(path, base_url="http://127.0.0.1:9/api", kind="calls")
    journal.close()
    assert ("created", "call_7") == (journal.entries[0].state, journal.entries[0].created_id)
