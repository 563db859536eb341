"""The ninth pass as a hostile user: where this round's promises did not hold.

* a spreadsheet with a decimal comma (French or German Excel, the CSV the CLI reads
  with ``;`` between cells) writes a float number as ``3,36E+10``: it was sent, and a
  server reading its digits dials ``33610``. It is refused like ``3.36E+10``;
* a campaign's ``from_phone_number`` written as a float was sent (only its contacts'
  numbers were checked);
* a key given back with a space at an end (pasted from an error message) is another
  key to the search, and not one the SDK made, so it was searched for at once and not
  found: the person was dialled again. It is refused, naming the field.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from revox_async import AsyncRevox
from revox_async.testing import MockRevoxServer


@pytest.mark.parametrize("written", ["3,36E+10", "3,36123E+10", "33612345678,0"])
async def test_a_float_with_a_decimal_comma_is_refused_before_any_request(
    api: AsyncRevox, mock: MockRevoxServer, written: str
) -> None:
    """``3,36E+10`` is what French Excel writes for 33612345678 in a number column: its
    digits would dial someone else, so ``calls.create`` refuses it naming the field."""
    with pytest.raises(ValueError, match=r"^invalid parameters: phone_number: .*spreadsheet"):
        await api.calls.create(phone_number=written, assistant_id="a")
    assert [] == mock.requests


async def test_a_campaigns_caller_number_written_as_a_float_is_refused(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """``campaigns.create`` and ``campaigns.update`` refuse a ``from_phone_number`` a
    spreadsheet made a float, naming it, as ``calls.create`` does."""
    contacts = [{"to_phone_number": "+33612345678", "prompt_variables": {}}]
    with pytest.raises(ValueError, match=r"^invalid parameters: from_phone_number: "):
        await api.campaigns.create(
            name="n", assistant_id="a", contacts=contacts, from_phone_number="3.36E+10"
        )
    with pytest.raises(ValueError, match=r"^invalid parameters: from_phone_number: "):
        await api.campaigns.update("cmp_1", from_phone_number="33612345678.0")
    assert [] == mock.requests


@pytest.mark.parametrize("pad", [" {}", "{} ", "{}\t"])
async def test_a_key_given_back_with_a_space_at_an_end_is_refused_not_dialled_again(
    api: AsyncRevox, mock: MockRevoxServer, pad: str
) -> None:
    """The key of a placed call, given back with a pasted space, is refused naming
    ``idempotency_key``: as another key it was searched for at once, not found, and the
    person was called a second time."""
    assistant = await api.assistants.create(name="n", prompt="p")
    call = await api.calls.create(phone_number="+33612345678", assistant_id=assistant.id)
    key = (call.metadata or {})["revox_async_key"]
    with pytest.raises(ValueError, match=r"^invalid parameters: idempotency_key: "):
        await api.calls.create(
            phone_number="+33612345678", assistant_id=assistant.id, idempotency_key=pad.format(key)
        )
    assert 1 == sum(r.method == "POST" and r.path.endswith("/call") for r in mock.requests)


async def test_a_create_many_row_whose_key_has_a_space_fails_before_sending(
    api: AsyncRevox, mock: MockRevoxServer
) -> None:
    """A JSON row of a failed-rows file edited by hand, its key padded: that row fails
    naming ``idempotency_key`` and nothing is sent for it; the other row is placed."""
    assistant = (await api.assistants.create(name="n", prompt="p")).id
    rows: list[dict[str, Any]] = [
        {"phone_number": "+33612345678", "assistant_id": assistant, "idempotency_key": "k-1 "},
        {"phone_number": "+33612345679", "assistant_id": assistant, "idempotency_key": "k-2"},
    ]
    result = await api.calls.create_many(rows)
    (failed,) = result.errors
    assert 0 == failed.index
    assert re.match(r"invalid parameters: idempotency_key: ", str(failed.error))
    assert 1 == sum(r.method == "POST" and r.path.endswith("/call") for r in mock.requests)


def test_a_failed_rows_file_whose_first_row_has_no_key_still_says_its_keyed_rows_wait(
    tmp_path: Path,
) -> None:
    """A failed-rows file's first row has no key when it was refused before sending (a
    float number, fixed since); the next carries a key made a moment ago. Run again at
    once, the command says that row waits before its search, as it does when the key
    is on the first row: it waited in silence, and read as a hang."""
    from revox_async._core import new_idempotency_key
    from tests.test_cli_bulk_calls import numbers, run, seed

    source = tmp_path / "contacts.failed.csv"
    source.write_text(
        "phone_number,first_name,idempotency_key\n"
        f"+33612340000,Ada,\n+33612340001,Bob,{new_idempotency_key()}\n"
    )
    with MockRevoxServer(api_key="cli-key", idempotency="ignore") as server:
        seed(server, "asst_cli")
        again = run(server, "calls", "create-many", str(source), "--assistant-id", "asst_cli",
                    "--no-journal")  # fmt: skip
        placed = numbers(server)
    assert 0 == again.exit_code, again.output
    said = " ".join(again.output.split())
    assert "rows carrying keys made in the last few minutes" in said
    assert {"+33612340000": 1, "+33612340001": 1} == placed


async def test_a_keyless_call_to_the_number_with_its_plus_leaves_a_plus_less_retry_unknown() -> (
    None
):
    """A server that drops ``metadata`` placed the call to ``+33612000000`` and answered
    500; the error's key comes back in a new client with the number as Excel left it,
    ``33612000000``. The search lists that call (searched with a ``+`` too), keyless and
    made since the key was: the outcome stays unknown. It was not counted (its number
    had a ``+``), and the person was called a second time."""
    from revox_async import OutcomeUnknownError
    from tests.hostile_calls import KEY, Faults, HostileCalls

    options: dict[str, Any] = {"timeout": 0.3, "max_retries": 3, "outcome_window": 0.5}
    server = HostileCalls(Faults(kinds=("500",), rate=1.0, fault_attempts=1))
    server.keeps_metadata = False
    async with server.serve():
        async with AsyncRevox(base_url=server.url, api_key=KEY, **options) as api:
            with pytest.raises(OutcomeUnknownError) as first:
                await api.calls.create(phone_number="+33612000000", assistant_id="asst_hostile")
        key = first.value.idempotency_key
        async with AsyncRevox(base_url=server.url, api_key=KEY, **options) as again:
            with pytest.raises(OutcomeUnknownError, match="may drop keys"):
                await again.calls.create(
                    phone_number="33612000000", assistant_id="asst_hostile", idempotency_key=key
                )
        await server.settled()
    assert {"+33612000000": 1} == dict(server.placed)
