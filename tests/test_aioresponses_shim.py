"""The aioresponses shim is still needed (delete it when this test fails)."""

from __future__ import annotations

import aiohttp
import pytest
from aioresponses import aioresponses

from tests.conftest import BASE


async def test_aioresponses_still_needs_the_stream_writer_shim() -> None:
    """Upstream aioresponses cannot build an aiohttp 3.14 response without the shim."""
    with aioresponses() as m:
        m.get(f"{BASE}/assistants", payload={"assistants": []})
        async with aiohttp.ClientSession() as session:
            with pytest.raises(TypeError, match="stream_writer"):
                await session.get(f"{BASE}/assistants")


async def test_the_shim_makes_mocked_responses_work(mocked: aioresponses) -> None:
    """With the shim, a mocked JSON body reads back."""
    mocked.get(f"{BASE}/assistants", payload={"assistants": []})
    async with aiohttp.ClientSession() as session:
        resp = await session.get(f"{BASE}/assistants")
        assert {"assistants": []} == await resp.json()
