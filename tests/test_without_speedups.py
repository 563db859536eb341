"""Without the speedups extra (no orjson), the stdlib json module does the work."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import asyncio, sys
    sys.modules["orjson"] = None  # as if the speedups extra were not installed

    from revox_async import AsyncRevox, _core
    from revox_async.testing import MockRevoxServer

    assert _core.orjson is None
    assert _core.dumps({"a": "é"}) == '{"a":"é"}'.encode()

    async def main():
        async with MockRevoxServer() as mock:
            async with AsyncRevox(api_key=mock.api_key, base_url=mock.base_url) as client:
                created = await client.assistants.create(name="Café", prompt="p")
                print((await client.assistants.retrieve(created.id)).name)

    asyncio.run(main())
    """
)


def test_the_client_works_without_orjson() -> None:
    """A create and a retrieve round-trip with json instead of orjson."""
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (0, "Café\n") == (result.returncode, result.stdout), result.stderr
