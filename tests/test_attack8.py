"""Nobody is called twice where the caller, the clock and the spreadsheet are unlucky.

The eighth attack pass, against the hostile calls server (`tests.hostile_calls`):

* a clock stepped forward between a killed run and its re-run made the rows left in
  flight look an hour old: the re-run looked at once, before the server had placed
  them, and dialled them again. The journal now also records the boot clock, which
  no one steps: on the same boot, a re-run waits by the shorter count of the two;
* an ``Idempotency-Key`` among the client's headers (``with_options(headers=...)``,
  ``default_headers``) was silently replaced by ``calls.create``'s own key: the same
  create again, as one does after a crash, dialled again. It is now the create's
  ``idempotency_key``, as one given in ``extra_headers`` is; a batch's rows keep their
  own keys (one key names one create);
* a phone number a spreadsheet turned into a float (``3.36E+10``, ``33612345678.0``)
  was sent as it was: its digits dial someone else. It is refused, naming the field,
  before anything is sent.
"""

from __future__ import annotations

import asyncio
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from revox_async import AsyncRevox, OutcomeUnknownError
from revox_async._resources.calls import dialled
from tests.hostile_calls import KEY, Faults, HostileCalls

ASSISTANT = "asst_hostile"


def rows(count: int) -> list[dict[str, Any]]:
    return [{"phone_number": f"+3360000000{i}", "assistant_id": ASSISTANT} for i in range(count)]


# -- a clock stepped forward ------------------------------------------------------------


async def test_a_clock_stepped_forward_after_a_kill_does_not_make_the_rerun_look_too_soon(
    tmp_path: Path,
) -> None:
    """Run 1 is cancelled with 4 rows in flight, which the server places 1 s after they
    arrived; the wall clock then jumps an hour ahead (a VM resumed, NTP): the re-run at
    once still waits out the window by the boot clock, finds the 4 calls and places the
    rest. Each row once."""
    server = HostileCalls(Faults(latency=1.0))
    journal = tmp_path / "calls.journal.jsonl"
    options: dict[str, Any] = {"timeout": 0.3, "max_retries": 3, "outcome_window": 2.0}
    async with server.serve():
        async with AsyncRevox(base_url=server.url, api_key=KEY, **options) as killed:
            batch = killed.calls.create_many(rows(8), concurrency=4, journal=journal)
            first = asyncio.create_task(batch)
            await server.received(4)
            first.cancel()
            with pytest.raises(asyncio.CancelledError):
                await first
        behind = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
        records = [json.loads(line) for line in journal.read_text().splitlines()]
        journal.write_text("".join(json.dumps({**r, "at": behind} if "at" in r else r) + "\n"
                                   for r in records))  # fmt: skip
        async with AsyncRevox(base_url=server.url, api_key=KEY, **options) as again:
            result = await again.calls.create_many(rows(8), concurrency=4, journal=journal)
        await server.settled()
    assert result.ok, result.errors[:3]
    assert {} == server.twice()
    assert 8 == len(server.placed)
    assert 4 <= sum(item.found_by_check for item in result.results)


# -- keys the caller sets ----------------------------------------------------------------


@pytest.mark.parametrize("where", ["with_options", "default_headers"])
async def test_a_key_among_the_clients_headers_is_the_calls_key_and_is_looked_for(
    where: str,
) -> None:
    """``Idempotency-Key: order-42`` set on the client (a process that crashed, then the
    same create from a new one): the call carries that key, the second create finds it
    and dials nobody; it was replaced by a key of the SDK's and the person called twice."""
    server = HostileCalls()
    headers = {"idempotency-key": "order-42"}
    given: dict[str, Any] = {"default_headers": headers} if where == "default_headers" else {}
    ids = []
    async with server.serve():
        for _ in range(2):  # two processes
            async with AsyncRevox(base_url=server.url, api_key=KEY, **given) as api:
                keyed = api.with_options(headers=headers) if where == "with_options" else api
                call = await keyed.calls.create(phone_number="+33612000001", assistant_id=ASSISTANT)
                ids.append(call.id)
    assert {"+33612000001": 1} == dict(server.placed)
    assert {"order-42": 1} == dict(server.by_key)
    assert ids[0] == ids[1]
    assert "order-42" == call.metadata["revox_async_key"]


async def test_a_per_call_key_still_wins_over_the_clients_header() -> None:
    """``idempotency_key=`` or ``extra_headers`` on the create is that call's key, not the
    client's header: two calls to one number with two keys are both placed (neither is
    taken for the other)."""
    server = HostileCalls()
    async with server.serve():
        async with AsyncRevox(
            base_url=server.url, api_key=KEY, default_headers={"Idempotency-Key": "client"}
        ) as api:
            call = {"phone_number": "+33612000001", "assistant_id": ASSISTANT}
            first = await api.calls.create(**call, idempotency_key="a")
            second = await api.calls.create(**call, extra_headers={"IDEMPOTENCY-KEY": "b"})
    assert {"a": 1, "b": 1} == dict(server.by_key)
    assert first.id != second.id


async def test_a_batchs_rows_keep_their_own_keys_under_a_clients_header_key() -> None:
    """``create_many`` through a client whose headers hold a key: one key names one create,
    so each row is sent with its own (the header's would make every row the same call)."""
    server = HostileCalls()
    async with server.serve():
        async with AsyncRevox(base_url=server.url, api_key=KEY) as api:
            keyed = api.with_options(headers={"Idempotency-Key": "batch"})
            result = await keyed.calls.create_many(rows(3))
    assert result.ok
    assert 3 == len({item.idempotency_key for item in result.results})
    assert "batch" not in server.by_key
    assert 3 == len(server.placed)


def test_sync_revox_takes_the_key_among_its_headers_too() -> None:
    """The same through ``SyncRevox``: two clients, one key in their headers, one call."""
    from revox_async import SyncRevox

    server = HostileCalls()
    with server.running():
        for _ in range(2):
            with SyncRevox(
                base_url=server.url, api_key=KEY, default_headers={"Idempotency-Key": "k-9"}
            ) as api:
                api.calls.create(phone_number="+33612000001", assistant_id=ASSISTANT)
        server.wait_settled()
    assert {"+33612000001": 1} == dict(server.placed)


# -- numbers from a spreadsheet ------------------------------------------------------------


@pytest.mark.parametrize(
    ("mangled", "sep"),
    [("3.36E+10", ","), ("3.3612345678e10", ","), ("33612345679.0", ","),
     ("+33612345679.00", ","), ("3,36123E+10", ";")],
)  # fmt: skip
def test_a_number_a_spreadsheet_made_a_float_is_refused_naming_the_row_and_field(
    tmp_path: Path, mangled: str, sep: str
) -> None:
    """A contacts CSV saved by Excel with the number column as numbers: the row holding
    ``3.36E+10`` (digits lost) or ``33612345679.0`` (a 0 gained), or ``3,36123E+10`` in
    a file French Excel saved (``;`` between cells), fails naming ``phone_number``, and
    nothing is dialled for it; the good row is placed."""
    from click.testing import CliRunner

    from revox_async.cli._app import cli
    from revox_async.testing import MockRevoxServer
    from tests.test_cli_bulk_calls import call_posts, seed

    source = tmp_path / "contacts.csv"
    source.write_text(f"phone_number{sep}first_name\n+33612345678{sep}Ada\n{mangled}{sep}Bob\n")
    with MockRevoxServer(api_key="cli-key", idempotency="ignore") as server:
        seed(server, "asst_cli")
        args = ["--api-key", server.api_key, "--base-url", server.base_url, "--json", "calls"]
        result = CliRunner().invoke(
            cli,
            [*args, "create-many", str(source), "--assistant-id", "asst_cli", "--no-journal"],
            catch_exceptions=False,
        )
        posts = call_posts(server)
    assert 1 == result.exit_code, result.output
    assert 1 == posts
    (failed,) = [row for row in json.loads(result.stdout)["results"] if row["error"]]
    assert 2 == failed["row"]
    assert "phone_number" in failed["error"]
    assert "spreadsheet" in failed["error"]


async def test_a_float_number_is_refused_by_calls_and_campaigns_before_any_request(
    api: AsyncRevox, mock: Any
) -> None:
    """``calls.create`` (``phone_number``, ``from_phone_number``) and a campaign's contacts
    refuse ``3.36E+10``, naming the field; the server sees nothing. A number written with
    spaces, dashes or dots is sent as given, for the server to judge."""
    refused = [
        ("phone_number", api.calls.create(phone_number="3.36E+10", assistant_id="a")),
        ("from_phone_number", api.calls.create(
            phone_number="+33612345678", from_phone_number="33612345678.0", assistant_id="a"
        )),
        ("contacts[1].to_phone_number", api.campaigns.create(
            name="n",
            assistant_id="a",
            contacts=[{"to_phone_number": "+33612345678", "prompt_variables": {}},
                      {"to_phone_number": "3.36E+10", "prompt_variables": {}}],
        )),
    ]  # fmt: skip
    for field, create in refused:
        with pytest.raises(ValueError, match=rf"^invalid parameters: {re.escape(field)}: "):
            await create
    assert [] == mock.requests
    from revox_async._resources.calls import call_body

    for written in ("+33 6 12 34 56 78", "06.12.34.56.78", "+1-415-555-0100", "0612345678"):
        assert written == call_body({"phone_number": written, "assistant_id": "a"})["phone_number"]


@pytest.mark.parametrize(
    "written", ["'+33612345678", "\u200b+33612345678", " ( +33 ) 6 12 34 56 78", "33612345678"]
)
async def test_a_number_behind_a_quote_or_an_invisible_character_is_still_a_repeat(
    written: str,
) -> None:
    """Row 2 writes row 1's number behind a spreadsheet's ``'``, a zero-width space or a
    bracket, or without its ``+``: the same digits, so row 2 fails naming ``phone_number``
    and row 1 (a server that reads past the junk would call it twice)."""
    server = HostileCalls()
    given = [
        {"phone_number": "+33612345678", "assistant_id": ASSISTANT},
        {"phone_number": written, "assistant_id": ASSISTANT},
    ]
    async with server.serve(), AsyncRevox(base_url=server.url, api_key=KEY) as api:
        result = await api.calls.create_many(given, concurrency=1)
    assert ["created", "failed"] == [item.status for item in result.results]
    said = f"phone_number: {dialled(written)} is already called by row 1"
    assert said in str(result.results[1].error)
    assert 1 == server.posts


async def test_a_clock_set_back_while_a_run_was_dead_does_not_hide_the_assistant_it_made(
    mock: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run sent row 0 and died; 15 minutes later NTP set the clock back as long, then the
    run is resumed: by the wall clock row 0 was sent a moment ago, so the assistant the
    server made 15 minutes ago (past the 10 minutes of doubt) looked like another one and
    was made again. The boot clock counts the 15 minutes: it is found, nothing sent."""
    from revox_async._batch import fingerprint
    from revox_async._journal import boot_clock
    from revox_async.testing._assistants import new_assistant

    now = boot_clock()
    if now is None:
        pytest.skip("no boot clock on this OS: the wall clock alone is read, as before")
    row = {"name": "Store 1", "prompt": "p"}
    made = new_assistant(row, datetime.now(UTC) - timedelta(minutes=15))
    mock.assistants[made["id"]] = made
    journal = tmp_path / "stores.journal.jsonl"
    header = {
        "revox_async_journal": 1,
        "base_url": mock.base_url,
        "kind": "assistants",
        "started_at": datetime.now(UTC).isoformat(),
    }
    sent = {
        "row": 0,
        "key": "k-0",
        "fp": fingerprint([row, None, None]),
        "state": "sent",
        "at": datetime.now(UTC).isoformat(),
        "boot": now[0],
        "up": now[1] - 900,
    }
    journal.write_text(json.dumps(header) + "\n" + json.dumps(sent) + "\n")  # fmt: skip
    options: dict[str, Any] = {"timeout": 0.1, "outcome_window": 0.1}
    async with AsyncRevox(api_key=mock.api_key, base_url=mock.base_url, **options) as api:
        result = await api.assistants.create_many([row], journal=journal)
    assert [made["id"]] == [item.created_id for item in result.results]
    assert result.results[0].found_by_check
    assert 1 == len(mock.assistants)


async def test_a_keyed_retry_whose_number_lost_its_plus_in_a_spreadsheet_finds_the_call() -> None:
    """``+33612345678`` was placed, then answered 500, and the search failed: outcome
    unknown. The failed-rows file, opened and saved in Excel, now says ``33612345678``;
    retried with the error's key, the call is looked for under ``+33612345678`` too,
    found, and nobody is dialled again."""
    server = HostileCalls(Faults(kinds=("500",), rate=1.0, fault_attempts=1), lookups_fail=True)
    options: dict[str, Any] = {"max_retries": 0, "outcome_window": 0.05}
    async with server.serve(), AsyncRevox(base_url=server.url, api_key=KEY, **options) as api:
        with pytest.raises(OutcomeUnknownError) as lost:
            await api.calls.create(phone_number="+33612345678", assistant_id=ASSISTANT)
        server.lookups_fail = False
        key = lost.value.idempotency_key
        found = await api.calls.create(
            phone_number="33612345678", assistant_id=ASSISTANT, idempotency_key=key
        )
    assert 1 == server.posts
    assert key == found.metadata["revox_async_key"]
