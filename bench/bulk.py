"""Bulk creation: exactness under faults, the cost of the checks, and the CLI at 100k rows.

    python bench/bulk.py                       # everything (the 100k-row CLI run takes minutes)
    python bench/bulk.py --rows 20000          # a shorter CLI run
    python bench/bulk.py --baseline-src DIR    # also time the CLI of another source tree
                                               #   (e.g. `git archive 6c1f8b7 | tar -x -C DIR`)

1. Exactness: 300 rows, 25 % injected faults on POST (500/429, drops,
   commit-then-fail), ``max_retries=4``, against a mock server that honours
   ``Idempotency-Key`` and one that ignores it. Duplicates = server-side
   creations beyond one per row; losses = rows reported created whose
   assistant the server does not hold, plus assistants the server holds that
   no row reports. Both must be 0.
2. What the checks cost: the GET listings and the POSTs beyond one per row.
3. The CLI: ``revox-async assistants create-many`` over N rows (default
   100,000) against ``revox-async mock serve`` in another process; the CLI
   process's peak RSS (``wait4``) and rows/s. Not a timed test: one run,
   on a shared machine, so read it as an order of magnitude.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


async def _no_wait(delay: float) -> None:
    await asyncio.sleep(min(delay, 0.002))


async def exactness(idempotency: str, rows: int = 300) -> dict[str, Any]:
    from revox_async import AsyncRevox
    from revox_async._batch import BatchRun, RowKind
    from revox_async.testing import FaultPlan, MockRevoxServer

    plan = FaultPlan(
        seed=2026,
        error_rate=0.10,
        error_statuses=(500, 429),
        retry_after=0.01,
        drop_rate=0.08,
        commit_then_fail_rate=0.07,
        methods=frozenset({"POST"}),
    )
    params = [{"name": f"row-{i}", "prompt": f"prompt {i}"} for i in range(rows)]
    async with MockRevoxServer(faults=plan, idempotency=idempotency) as server:  # type: ignore[arg-type]
        async with AsyncRevox(
            api_key=server.api_key, base_url=server.base_url, max_retries=4
        ) as client:
            run = BatchRun(RowKind(client.assistants), params, concurrency=16, sleep=_no_wait)
            items = [item async for item in run.items()]
        stored = Counter(a["name"] for a in server.assistants.values())
        created = [item for item in items if item.status == "created"]
        reported_ids = {item.created_id for item in created}
        posts = sum(r.method == "POST" for r in server.requests)
        gets = sum(r.method == "GET" for r in server.requests)
        faults = Counter(r.fault for r in server.requests if r.fault)
        return {
            "idempotency": idempotency,
            "rows": rows,
            "reported": len(items),
            "created": len(created),
            "failed": sum(item.status == "failed" for item in items),
            "found_by_check": sum(item.found_by_check for item in items),
            "duplicates": sum(count - 1 for count in stored.values()),
            "losses": len(reported_ids - set(server.assistants))
            + len(set(server.assistants) - reported_ids),
            "posts": posts,
            "extra_posts": posts - rows,
            "check_listings": gets,
            "faults": dict(faults),
        }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--baseline-src", type=Path, help="another source tree to time too")
    parser.add_argument("--skip-cli", action="store_true")
    args = parser.parse_args()

    for mode in ("honour", "ignore"):
        print(json.dumps(asyncio.run(exactness(mode))), flush=True)
    if args.skip_cli:
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        runs = [("this tree", ROOT)]
        if args.baseline_src is not None:
            runs.insert(0, ("baseline", args.baseline_src.resolve()))
        for label, src in runs:
            result = _measure(args.rows, src, label.replace(" ", "-"), work)
            print(json.dumps(result), flush=True)


def _measure(rows: int, src: Path, label: str, work: Path) -> dict[str, Any]:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "revox_async", "mock", "serve", "--port", str(port),
         "--key", "bench", "--idempotency", "honour"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        base_url = server.stdout.readline().split()[4]
        source = work / f"{label}.jsonl"
        with source.open("w") as handle:
            for i in range(rows):
                handle.write(json.dumps({"name": f"{label}-{i}", "prompt": f"prompt {i}"}) + "\n")
        env = {**os.environ, "PYTHONPATH": str(src), "REVOX_API_KEY": "bench",
               "REVOX_BASE_URL": base_url}  # fmt: skip
        started = time.perf_counter()
        cli = subprocess.Popen(
            [sys.executable, "-m", "revox_async", "--json", "assistants", "create-many",
             str(source)],
            cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        out = cli.stdout.read() if cli.stdout else b""
        err = cli.stderr.read() if cli.stderr else b""
        _, status, usage = os.wait4(cli.pid, 0)
        elapsed = time.perf_counter() - started
        text = out.decode()
        summary = json.loads("{" + text[text.rfind("], ") + 3 :]) if "], " in text else {}
        if not summary and text.strip().startswith("{"):
            summary = json.loads(text)  # the baseline's one JSON document
        return {
            "label": label,
            "rows": rows,
            "exit": os.waitstatus_to_exitcode(status),
            "created": summary.get("created"),
            "seconds": round(elapsed, 1),
            "rows_per_s": round(rows / elapsed),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "stderr_tail": err.decode().strip().splitlines()[-1:],
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
