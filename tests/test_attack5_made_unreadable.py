"""Attack: a single create answered 2xx with a body this SDK cannot read.

The server made the call (a 200 with no body, a 201 with ``{"call": null}``, an HTML
page), but the error said only "unexpected response body": nothing told the caller the
call exists, nor gave its key, and a plain retry dialled again. The error now says it
was made, and for a call how to get it without dialling (its key, searched for first).
"""

from __future__ import annotations

from typing import Any

import pytest
from aioresponses import aioresponses

from revox_async import APIResponseValidationError, AsyncRevox
from tests.conftest import BASE
from tests.test_resources_wire import sent

ROW = {"phone_number": "+33612345678", "assistant_id": "asst_1", "idempotency_key": "order-42"}


@pytest.mark.parametrize(
    "answer",
    [{"status": 200, "body": ""}, {"status": 201, "payload": {"call": None}},
     {"status": 200, "body": "<html>ok</html>", "content_type": "text/html"}],
)  # fmt: skip
async def test_a_call_answered_2xx_unreadably_says_it_was_made_and_its_key(
    client: AsyncRevox, mocked: aioresponses, answer: dict[str, Any]
) -> None:
    """The note says the server made it and to create it again with key order-42."""
    mocked.post(f"{BASE}/call/search", payload={"calls": [], "total_count": 0}, repeat=True)
    mocked.post(f"{BASE}/call", **answer)
    with pytest.raises(APIResponseValidationError) as caught:
        await client.calls.create(**ROW)
    notes = " ".join(caught.value.__notes__)
    assert "the server made it" in notes
    assert "idempotency_key='order-42'" in notes


async def test_a_call_without_a_key_of_yours_names_the_key_it_was_sent_with(
    client: AsyncRevox, mocked: aioresponses
) -> None:
    """No key given: the note names the one the SDK made, as the call carries it."""
    mocked.post(f"{BASE}/call", status=200, body="")
    with pytest.raises(APIResponseValidationError) as caught:
        await client.calls.create(**{**ROW, "idempotency_key": None})
    (body,) = sent(mocked, "POST", "/call")
    key = body["metadata"]["revox_async_key"]
    assert f"idempotency_key={key!r}" in " ".join(caught.value.__notes__)


async def test_an_assistant_answered_2xx_unreadably_says_to_look_before_creating_again(
    client: AsyncRevox, mocked: aioresponses
) -> None:
    """An assistant is not found by its key: the note says to look for it first."""
    mocked.post(f"{BASE}/assistants", status=200, body="")
    with pytest.raises(APIResponseValidationError) as caught:
        await client.assistants.create(name="A", prompt="p")
    assert "look for it before creating it again" in " ".join(caught.value.__notes__)
