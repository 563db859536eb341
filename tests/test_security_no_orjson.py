"""Without orjson, deeply nested JSON from a hostile server is an APIError, not a crash."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import asyncio, sys
    sys.modules["orjson"] = None  # as if the speedups extra were not installed

    from aiohttp import web
    import revox_async as rx
    from revox_async import _core

    assert _core.orjson is None
    DEEP = b"[" * 20_000 + b"]" * 20_000  # 40 kB: under the 64 KiB kept of an error

    async def answer(request):
        status = 200 if request.path.endswith("/ok") else 500
        return web.Response(status=status, body=DEEP, content_type="application/json")

    async def main():
        app = web.Application()
        app.router.add_get("/api/assistants/{id}", answer)
        runner = web.AppRunner(app, shutdown_timeout=0.1)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        try:
            async with rx.AsyncRevox(
                api_key="k", base_url=f"http://{host}:{port}/api", max_retries=0
            ) as client:
                try:
                    await client.assistants.retrieve("ok")
                except rx.APIResponseValidationError as exc:
                    print(type(exc).__name__, "deeply" in str(exc), exc.body == DEEP.decode())
                try:
                    await client.assistants.retrieve("error")
                except rx.InternalServerError as exc:
                    print(type(exc).__name__, exc.body == DEEP.decode())
        finally:
            await runner.cleanup()

    asyncio.run(main())
    """
)


def test_deep_nesting_without_orjson_is_a_validation_error_not_a_recursion_error() -> None:
    """A 2xx raises APIResponseValidationError; an error keeps the text as its body."""
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    expected = "APIResponseValidationError True True\nInternalServerError True\n"
    assert (0, expected) == (result.returncode, result.stdout), result.stderr
