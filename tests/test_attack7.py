"""Nobody is called twice whatever sits between client and server, or what an operator does.

The seventh attack pass: not the engine, the world around it. A middlebox answering a
create its own way (a body that never ends), ``docker stop`` / systemd /
Kubernetes sending SIGTERM to ``revox-async``, SIGKILL mid-batch then the same command
at once, a CSV re-exported from Excel between two runs. Each runs against the hostile
calls server (`tests.hostile_calls`), which ignores keys and counts what it placed.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import json
import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aioresponses import aioresponses

from revox_async import AsyncRevox, ResponseTooLargeError
from tests.conftest import BASE, assistant_json
from tests.conftest import KEY as TEST_KEY
from tests.hostile_calls import KEY, Faults, HostileCalls, Spawn, cli_processes, dialled
from tests.test_never_twice_cli import contacts, wait_for_posts
from tests.test_resources_wire import sent

NUMBER = "+33 6 12 00 00 00"
ASSISTANT = "asst_hostile"


# -- the command line, as an operator runs it --------------------------------------------


@pytest.fixture
def spawn() -> Iterator[Spawn]:
    """``spawn(server, *args)``: ``revox-async --base-url URL --timeout 3 ARGS`` with
    ``REVOX_API_KEY`` set, run in a process of its own; any left running is killed."""
    with cli_processes() as start:

        def operator(server: HostileCalls, *args: str | Path) -> subprocess.Popen[str]:
            options = ("--timeout", "3", "--outcome-window", "2")
            process: subprocess.Popen[str] = start(server, *options, *args)
            return process

        yield operator


def test_sigterm_stops_a_batch_as_ctrl_c_does_and_the_same_command_places_each_row_once(
    tmp_path: Path, spawn: Spawn
) -> None:
    """``docker stop`` sends SIGTERM mid-batch: the rows in flight finish, the summary says
    to run the same command again, the failed-rows file holds the rows not sent, exit 130;
    the same command then places the rest, each row once."""
    server = HostileCalls(Faults(latency=0.5))
    source = contacts(tmp_path / "contacts.csv", 16)
    args = ("calls", "create-many", source, "--concurrency", "4")
    with server.running():
        first = spawn(server, *args)
        wait_for_posts(server, 6, first)
        first.send_signal(signal.SIGTERM)
        out, err = first.communicate(timeout=60)
        failed_rows = (tmp_path / "contacts.csv.failed.csv").read_text().splitlines()
        placed_first = len(server.placed)
        again = spawn(server, *args)
        _, err_again = again.communicate(timeout=120)
        server.wait_settled()
    assert 130 == first.returncode, err
    assert "run the same command again" in out
    assert "fix those rows" not in out  # no row failed: they were not sent
    assert "phone_number,assistant_id,first_name,idempotency_key" == failed_rows[0]
    assert 16 == placed_first + len(failed_rows) - 1
    assert 0 == again.returncode, err_again
    assert {} == server.twice()
    assert 16 == len(server.placed)


def test_sigterm_while_a_call_is_placed_says_it_may_have_been_placed(
    spawn: Spawn,
) -> None:
    """SIGTERM while ``calls create`` waits for its answer: exit 130 and the line saying
    the call may have been placed and how to look before calling again (not a silent
    death that leaves the operator to run it again and dial twice)."""
    server = HostileCalls(Faults(latency=2.0))
    with server.running():
        process = spawn(server, "calls", "create", "--phone-number", NUMBER,
                        "--assistant-id", ASSISTANT)  # fmt: skip
        wait_for_posts(server, 1, process)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
        server.wait_settled()
    assert 130 == process.returncode, err
    assert "the call may have been placed" in err
    assert "calls search --to-phone-number" in err
    assert {dialled(NUMBER): 1} == dict(server.placed)


def test_sigkill_mid_batch_then_the_same_command_at_once_places_each_row_once(
    tmp_path: Path, spawn: Spawn
) -> None:
    """SIGKILL (no handler runs) while 4 rows are in flight, which the server places 1.5 s
    later: the same command run at once waits for them, finds them and places the rest."""
    server = HostileCalls(Faults(latency=1.5))
    source = contacts(tmp_path / "contacts.csv", 12)
    args = ("calls", "create-many", source, "--concurrency", "4")
    with server.running():
        first = spawn(server, *args)
        wait_for_posts(server, 6, first)
        first.kill()
        first.communicate(timeout=60)
        again = spawn(server, *args)
        out, err = again.communicate(timeout=120)
        server.wait_settled()
    assert -signal.SIGKILL == first.returncode
    assert 0 == again.returncode, err
    assert "found by a check" in out
    assert {} == server.twice()
    assert 12 == len(server.placed)


def test_a_csv_re_exported_from_excel_between_runs_resumes_its_journal(
    tmp_path: Path, spawn: Spawn
) -> None:
    """Run 1 places rows 1 and 2 (row 3 is refused); the file is then saved again by Excel
    (a BOM, CRLF, ``;`` between cells): run 2 reads the same rows, skips the two placed
    and sends row 3 alone."""
    server = HostileCalls(refused=frozenset({"+33600000002"}))
    source = contacts(tmp_path / "contacts.csv", 3)
    args = ("calls", "create-many", source)
    with server.running():
        first = spawn(server, *args)
        first.communicate(timeout=60)
        excel = "".join(line.replace(",", ";") + "\r\n" for line in source.read_text().splitlines())
        source.write_bytes(b"\xef\xbb\xbf" + excel.encode())
        again = spawn(server, *args)
        out, err = again.communicate(timeout=60)
        server.wait_settled()
    assert 1 == first.returncode
    assert 1 == again.returncode, err
    assert "already placed (journal)" in out
    assert {"+33600000000": 1, "+33600000001": 1} == dict(server.placed)
    assert 4 == server.posts


def test_sigterm_leaves_the_shells_handler_in_place_after_main_returns() -> None:
    """``main`` handles SIGTERM only while it runs: a program that calls it (a test, a
    script) gets its own handler back."""
    from revox_async.cli import main

    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(SystemExit):
        main(["--help"])
    assert before == signal.getsignal(signal.SIGTERM)


# -- clocks ------------------------------------------------------------------------------


async def test_a_journal_sent_an_hour_ahead_of_the_clock_is_checked_after_one_window(
    tmp_path: Path,
) -> None:
    """The clock stepped back an hour between two runs (NTP, a VM restored): the rows the
    first run left in flight are recorded as sent in the future. The re-run waits one
    outcome window at most (not the hour, past its create_deadline), finds them, and
    places the rest: each row once, none left unknown."""
    server = HostileCalls(Faults(latency=1.0))
    rows = [{"phone_number": f"+3360000000{i}", "assistant_id": ASSISTANT} for i in range(8)]
    journal = tmp_path / "calls.journal.jsonl"
    options: dict[str, Any] = {"timeout": 0.3, "max_retries": 3, "outcome_window": 2.0}
    async with server.serve(), AsyncRevox(base_url=server.url, api_key=KEY, **options) as api:
        first = asyncio.create_task(api.calls.create_many(rows, concurrency=4, journal=journal))
        await server.received(4)
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
        ahead = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
        records = [json.loads(line) for line in journal.read_text().splitlines()]
        journal.write_text("".join(json.dumps({**r, "at": ahead} if "at" in r else r) + "\n"
                                   for r in records))  # fmt: skip
        result = await api.calls.create_many(rows, concurrency=4, journal=journal)
        await server.settled()
    assert result.ok, result.errors[:3]
    assert 4 <= sum(item.found_by_check for item in result.results)
    assert {} == server.twice()
    assert 8 == len(server.placed)


class SteppedBack(datetime):
    """``datetime`` as the engine reads it, on a wall clock that `step` sets back."""

    offset = timedelta(0)

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> SteppedBack:
        return super().now(tz) - cls.offset


async def test_a_clock_set_back_while_waiting_to_look_does_not_hide_the_assistant_made(
    mocked: aioresponses, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The create's 500 came after the assistant was made; NTP sets the clock back 15
    minutes while the client waits to look: the assistant the server dated just now is
    still recent (the time waited counts, not the wall clock's step) and is taken, not
    made a second time."""
    monkeypatch.setattr(SteppedBack, "offset", timedelta(0))
    monkeypatch.setattr("revox_async._retry.datetime", SteppedBack)

    async def sleep(delay: float) -> None:  # the outcome window passes, and NTP steps
        SteppedBack.offset = timedelta(minutes=15)

    now = datetime.now(UTC)
    made = assistant_json(id="asst_made", name="Daily", prompt="p", created_at=now.isoformat())
    mocked.post(f"{BASE}/assistants", status=500, payload={"error": "x"})
    mocked.post(f"{BASE}/assistants", payload={"assistant": {**made, "id": "asst_twice"}})
    date = {"Date": email.utils.format_datetime(now, usegmt=True)}
    mocked.get(f"{BASE}/assistants", payload={"assistants": [made]}, headers=date, repeat=True)
    async with AsyncRevox(api_key=TEST_KEY, base_url=BASE, max_retries=2) as client:
        client._sleep = sleep
        assistant = await client.assistants.create(name="Daily", prompt="p")
    assert "asst_made" == assistant.id
    assert 1 == len(sent(mocked, "POST", "/assistants"))


class Endless(HostileCalls):
    """Places the first ``POST /call`` and answers 200 with a body that never ends (a broken
    proxy streaming): the call exists, its answer cannot be read."""

    async def _create(self, request: web.Request) -> web.StreamResponse:
        if self.posts:
            return await super()._create(request)
        body = await request.json()
        self._fault(dialled(body["phone_number"]))
        self._place(body, request.headers.get("Idempotency-Key"))
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        with contextlib.suppress(ConnectionError):
            while True:
                await response.write(b" " * 65536)
        return response


async def test_a_create_answered_with_an_endless_body_says_it_was_made_and_by_which_key() -> None:
    """The 2xx body passes max_response_bytes: the error notes that the server made the
    call and gives its key; created again with that key, the call is found, not dialled."""
    server = Endless()
    async with server.serve():
        async with AsyncRevox(base_url=server.url, api_key=KEY, max_response_bytes=2**16) as api:
            with pytest.raises(ResponseTooLargeError) as caught:
                await api.calls.create(phone_number=NUMBER, assistant_id=ASSISTANT)
        key = caught.value.__notes__[0].partition("idempotency_key=")[2].split("'")[1]
        fast = {"timeout": 1.0, "outcome_window": 0.1}  # the fresh key's wait: 1.1 s
        async with AsyncRevox(base_url=server.url, api_key=KEY, **fast) as api:
            call = await api.calls.create(
                phone_number=NUMBER, assistant_id=ASSISTANT, idempotency_key=key
            )
        await server.settled()
    assert "the server made it" in caught.value.__notes__[0]
    assert [call.id] == list(server.calls)
    assert (1, 1) == (server.posts, server.lookups)


def test_a_create_paused_longer_than_its_timeout_places_one_call(spawn: Spawn) -> None:
    """The laptop lid closes while ``calls create`` waits (SIGSTOP), and opens 4 s later
    (SIGCONT), past the 3 s timeout: however the wake-up reads the answer waiting on the
    socket (taken, or timed out then looked for), the call is placed once, exit 0."""
    server = HostileCalls(Faults(latency=0.5))
    with server.running():
        process = spawn(server, "calls", "create", "--phone-number", NUMBER,
                        "--assistant-id", ASSISTANT)  # fmt: skip
        wait_for_posts(server, 1, process)
        process.send_signal(signal.SIGSTOP)
        try:
            time.sleep(4)  # the lid stays closed (not an assertion on time)
        finally:
            process.send_signal(signal.SIGCONT)
        _, err = process.communicate(timeout=60)
        server.wait_settled()
    assert 0 == process.returncode, err
    assert {dialled(NUMBER): 1} == dict(server.placed)


@pytest.mark.parametrize("when", ["2030-01-08 09:00", "08/01/2030 09:00", "2030-01-08"])
async def test_a_row_scheduled_at_a_time_without_a_timezone_is_refused_before_sending(
    when: str,
) -> None:
    """A CSV's ``scheduled_at`` typed as a local time (or a date) would be read in the
    server's zone, and the person called hours off: the row fails naming the field, and
    nothing is sent; a time with its zone is placed."""
    server = HostileCalls()
    rows = [
        {"phone_number": "+33600000001", "assistant_id": ASSISTANT, "scheduled_at": when},
        {"phone_number": "+33600000002", "assistant_id": ASSISTANT,
         "scheduled_at": "2030-01-08T09:00:00+01:00"},
    ]  # fmt: skip
    async with server.serve(), AsyncRevox(base_url=server.url, api_key=KEY) as api:
        result = await api.calls.create_many(rows)
    refused, placed = result.results
    assert "scheduled_at" in str(refused.error)
    assert (None, 1) == (placed.error, server.posts)
