"""The CLI's memory over a long run with unknown outcomes: ``calls create-many``, 100,000 rows.

    python bench/bulk_memory.py                    # 100,000 rows, 20 % unknown outcomes
    python bench/bulk_memory.py --rows 10000       # a shorter run

The hostile calls server of the test suite (``tests/hostile_calls.py``) runs in
this process on 127.0.0.1; ``revox-async calls create-many`` runs as a child
process over a CSV of distinct numbers. One attempt in five (a row's first)
meets a fault after which the call exists but the client cannot know it (a 5xx
of the 500/502/503/504/52x family, or a dropped connection), so one row in five
is looked up before it could be sent again. The client's ``--timeout`` and
``--outcome-window`` are short (0.5 s by default) so the waits for the server stay
short (the window's own default is at least 30 s).

Printed as one JSON object: rows, exit code, the CLI's summary counts, seconds,
rows/s, the CLI process's peak RSS (``getrusage(RUSAGE_CHILDREN).ru_maxrss`` after
it exits: it is the only child), and what the server saw (attempts, lookups,
duplicates: must be 0). The target: peak RSS at most 150 MB (docs/performance.md,
"Memory"). The calls the server lists carry their assistant, as the API's do (about
1.7 KB of JSON each): a client that keeps what it looked up pays for it per row.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile_calls import KEY, PLACED_THEN_STATUS, Faults, HostileCalls  # noqa: E402

ASSISTANT = "asst_hostile"


def write_rows(path: Path, rows: int) -> None:
    with path.open("w") as handle:
        handle.write("phone_number,assistant_id,first_name\n")
        for i in range(rows):
            d = f"{i:08d}"
            handle.write(f"+33 6 {d[:2]} {d[2:4]} {d[4:6]} {d[6:]},{ASSISTANT},Ada-{i}\n")


async def measure(
    rows: int, unknown: float, cli_timeout: float, concurrency: int
) -> dict[str, Any]:
    server = HostileCalls(
        Faults(kinds=(*PLACED_THEN_STATUS, "drop"), rate=unknown, fault_attempts=1, seed=100)
    )
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = work / "contacts.csv"
        write_rows(source, rows)
        async with server.serve():
            started = time.perf_counter()
            cli = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "revox_async", "--json", "--base-url", server.url,
                "--timeout", str(cli_timeout), "--outcome-window", str(cli_timeout),
                "calls", "create-many", str(source),
                "--journal", str(work / "journal.jsonl"), "--concurrency", str(concurrency),
                cwd=work, env={**os.environ, "REVOX_API_KEY": KEY},
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )  # fmt: skip
            out, err = await cli.communicate()
            elapsed = time.perf_counter() - started
            await server.settled()
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    text = out.decode()
    summary = json.loads("{" + text[text.rfind("], ") + 3 :]) if "], " in text else {}
    return {
        "rows": rows,
        "unknown_outcomes": server.faulted.total(),
        "exit": cli.returncode,
        "summary": {key: summary.get(key) for key in ("created", "found_by_check", "failed")},
        "seconds": round(elapsed, 1),
        "rows_per_s": round(rows / elapsed),
        "peak_rss_mb": round(peak_kib * 1024 / 1e6, 1),
        "attempts": server.posts,
        "lookups": server.lookups,
        "duplicates": sum(n - 1 for n in server.placed.values()),
        "numbers_placed": len(server.placed),
        "stderr_tail": err.decode().strip().splitlines()[-1:],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--unknown", type=float, default=0.2, help="share of unknown outcomes")
    parser.add_argument("--timeout", type=float, default=0.5, help="the CLI's --timeout")
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    result = asyncio.run(measure(args.rows, args.unknown, args.timeout, args.concurrency))
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
