"""Benchmarks: client CPU per request against the mock server in another process.

    python bench/run.py            # or: nox -s bench
    python bench/run.py --quick    # fewer requests, for a smoke run
    python bench/run.py --client-cpu 0 --server-cpu 1 --only sequential,create

Every figure comes from one run, so compare the ratios, not the absolutes:
machines here are shared and noisy. The server runs in a separate process, so
the client's CPU (``time.process_time()``, all of its threads) is what is
measured; pinning the client and the server to different cores (``--client-cpu``,
``--server-cpu``) keeps them from taking turns on one, and each figure is the
median of ``--rounds`` runs.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import aiohttp

SERVER = """
import asyncio, json, sys
from revox_async import AsyncRevox
from revox_async.testing import CallPlan, MockRevoxServer

# The first number is busy, then unanswered, then answered: its call carries
# three attempts (transcripts, results), a large nested object to retrieve.
PLAN = CallPlan(by_number={"+33600000100": ("busy", "no_answer", "human")}, retry_delay=60)

async def main():
    async with MockRevoxServer(api_key="bench-key", call_plan=PLAN) as server:
        async with AsyncRevox(api_key="bench-key", base_url=server.base_url) as client:
            assistant = await client.assistants.create(**json.loads(sys.argv[1]))
            calls = [
                await client.calls.create(phone_number=f"+33600000{100 + i}", assistant_id=assistant.id)
                for i in range(CALLS)
            ]
        server.advance(86_400)  # every call completes
        ids = {"assistant": assistant.id, "call": calls[0].id}
        print(json.dumps({"base_url": server.base_url, **ids}), flush=True)
        await asyncio.Event().wait()

asyncio.run(main())
"""
CALLS = 50
"""Calls the server holds: ``calls.search`` fetches them as one page."""
SEARCH = {
    **{name: [] for name in ("assignee_ids", "assistant_ids", "campaign_ids", "directions",
                             "from_phone_numbers", "outcomes", "results", "statuses")},
    "page": 1,
    "page_size": CALLS,
}  # fmt: skip
"""The body of ``POST /call/search`` for every call (the API requires each list filter)."""

FULL = {
    "name": "Front desk",
    "prompt": "You book appointments for a dental clinic. Keep answers short.",
    "voice": {"id": "79a125e8", "provider": "cartesia", "speed": 1.1},
    "llm_model": {"type": "openrouter", "openrouter_model_id": "openai/gpt-4.1", "openrouter_provider": "openai"},
    "faq_items": [{"question": "Open on Sunday?", "answer": "No."}],
    "call_retry_config": {
        "calling_windows": [{"calling_window_start_time": "9am", "calling_window_end_time": "17:00", "retry_delay_seconds": 3600}],
        "max_retry_attempts": 2,
    },
}  # fmt: skip

Row = dict[str, Any]
Ids = dict[str, str]
"""What the server holds: ``{"assistant": id, "call": id}`` (the call with three attempts)."""
Make = Callable[[str, Ids], Callable[[], object]]
"""(base_url, ids) -> the workload to time."""


def start_server(cpu: int | None = None) -> tuple[subprocess.Popen[str], str, Ids]:
    script = SERVER.replace("CALLS", str(CALLS))
    pin = [] if cpu is None else ["taskset", "-c", str(cpu)]
    proc = subprocess.Popen(
        [*pin, sys.executable, "-c", script, json.dumps(FULL)],
        stdout=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    assert proc.stdout is not None
    started = json.loads(proc.stdout.readline())
    return proc, started.pop("base_url"), started


def cpu_run(fn: Callable[[], object]) -> tuple[float, float]:
    """(client CPU seconds, wall seconds) of one call of fn."""
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    fn()
    return time.process_time() - cpu, time.perf_counter() - wall


# -- the contenders ---------------------------------------------------------------


def raw_get(url: str, n: int) -> Callable[[], object]:
    """``n`` GETs of ``url``, one after the other, each body parsed: the floor of a retrieve."""
    headers = {"Authorization": "Bearer bench-key", "Accept": "application/json"}

    async def main() -> None:
        async with aiohttp.ClientSession() as session:
            for _ in range(n):
                async with session.get(url, headers=headers) as resp:
                    json.loads(await resp.read())

    return lambda: asyncio.run(main())


def raw_call_search(base: str, n: int) -> Callable[[], object]:
    headers = {"Authorization": "Bearer bench-key", "Content-Type": "application/json"}

    async def main() -> None:
        async with aiohttp.ClientSession() as session:
            for _ in range(n):
                body = json.dumps(SEARCH)
                async with session.post(f"{base}/call/search", data=body, headers=headers) as r:
                    page = json.loads(await r.read())
                    assert len(page["calls"]) == CALLS

    return lambda: asyncio.run(main())


def raw_concurrent(
    base: str, n: int, concurrency: int, *, orjson: bool = False
) -> Callable[[], object]:
    """``n`` creates, ``concurrency`` at a time: the floor of concurrent creates (with
    ``orjson``, the floor of a user who installed the ``speedups`` extra)."""
    headers = {"Authorization": "Bearer bench-key", "Content-Type": "application/json"}
    dumps: Callable[[Any], str | bytes] = json.dumps
    loads: Callable[[bytes], Any] = json.loads
    if orjson:
        import orjson as fast

        dumps, loads = fast.dumps, fast.loads

    async def main() -> None:
        semaphore = asyncio.Semaphore(concurrency)
        connector = aiohttp.TCPConnector(limit=100)
        async with aiohttp.ClientSession(connector=connector) as session:

            async def one(i: int) -> None:
                async with semaphore:
                    body = dumps({**FULL, "name": f"raw-{i}"})
                    async with session.post(f"{base}/assistants", data=body, headers=headers) as r:
                        loads(await r.read())

            await asyncio.gather(*(one(i) for i in range(n)))

    return lambda: asyncio.run(main())


def sdk_sequential(base: str, aid: str, n: int) -> Callable[[], object]:
    from revox_async import AsyncRevox

    async def main() -> None:
        async with AsyncRevox(api_key="bench-key", base_url=base) as client:
            for _ in range(n):
                await client.assistants.retrieve(aid)

    return lambda: asyncio.run(main())


def sdk_call_retrieve(base: str, call_id: str, n: int) -> Callable[[], object]:
    from revox_async import AsyncRevox

    async def main() -> None:
        async with AsyncRevox(api_key="bench-key", base_url=base) as client:
            for _ in range(n):
                await client.calls.retrieve(call_id)

    return lambda: asyncio.run(main())


def sdk_call_search(base: str, n: int) -> Callable[[], object]:
    from revox_async import AsyncRevox

    async def main() -> None:
        async with AsyncRevox(api_key="bench-key", base_url=base) as client:
            for _ in range(n):
                page = await client.calls.search_page(page_size=CALLS)
                assert len(page.calls) == CALLS

    return lambda: asyncio.run(main())


def sdk_concurrent(base: str, n: int, concurrency: int) -> Callable[[], object]:
    from revox_async import AsyncRevox

    async def main() -> None:
        semaphore = asyncio.Semaphore(concurrency)
        async with AsyncRevox(api_key="bench-key", base_url=base) as client:

            async def one(i: int) -> None:
                async with semaphore:
                    await client.assistants.create(**{**FULL, "name": f"sdk-{i}"})

            await asyncio.gather(*(one(i) for i in range(n)))

    return lambda: asyncio.run(main())


def sdk_create_many(base: str, n: int, concurrency: int) -> Callable[[], object]:
    from revox_async import AsyncRevox

    async def main() -> None:
        async with AsyncRevox(api_key="bench-key", base_url=base) as client:
            rows = ({**FULL, "name": f"many-{i}"} for i in range(n))
            result = await client.assistants.create_many(rows, concurrency=concurrency)
            assert result.ok

    return lambda: asyncio.run(main())


def sync_sequential(base: str, aid: str, n: int) -> Callable[[], object]:
    from revox_async import SyncRevox

    client = SyncRevox(api_key="bench-key", base_url=base)
    client.assistants.retrieve(aid)  # start the loop thread outside the timing

    def run() -> None:
        for _ in range(n):
            client.assistants.retrieve(aid)

    return run


def portal_empty(n: int) -> Callable[[], object]:
    """An empty call through an anyio BlockingPortal: what any sync-over-async hop costs."""
    from anyio.from_thread import start_blocking_portal

    async def noop() -> None:
        return None

    def run() -> None:
        with start_blocking_portal() as portal:  # its start, ~0.5 ms, is noise over n calls
            for _ in range(n):
                portal.call(noop)

    return run


def sync_concurrent(base: str, n: int, concurrency: int) -> Callable[[], object]:
    from concurrent.futures import ThreadPoolExecutor

    from revox_async import SyncRevox

    client = SyncRevox(api_key="bench-key", base_url=base)
    client.assistants.list()

    def one(i: int) -> None:
        client.assistants.create(**{**FULL, "name": f"sync-{i}"})

    def run() -> None:
        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(one, range(n)))

    return run


def official_available() -> bool:
    try:
        import revox  # noqa: F401
    except ImportError:
        return False
    return True


def official_async_sequential(base: str, aid: str, n: int) -> Callable[[], object]:
    import revox

    async def main() -> None:
        async with revox.AsyncRevox(api_key="bench-key", base_url=base) as client:
            for _ in range(n):
                await client.assistants.retrieve(aid)

    return lambda: asyncio.run(main())


def official_async_concurrent(base: str, n: int, concurrency: int) -> Callable[[], object]:
    import revox

    async def main() -> None:
        semaphore = asyncio.Semaphore(concurrency)
        async with revox.AsyncRevox(api_key="bench-key", base_url=base) as client:

            async def one(i: int) -> None:
                async with semaphore:
                    await client.assistants.create(**{**FULL, "name": f"off-{i}"})  # type: ignore[arg-type]

            await asyncio.gather(*(one(i) for i in range(n)))

    return lambda: asyncio.run(main())


def official_call_retrieve(base: str, call_id: str, n: int) -> Callable[[], object]:
    import revox

    async def main() -> None:
        async with revox.AsyncRevox(api_key="bench-key", base_url=base) as client:
            for _ in range(n):
                await client.call.retrieve(call_id)

    return lambda: asyncio.run(main())


def official_call_search(base: str, n: int) -> Callable[[], object]:
    import revox

    async def main() -> None:
        async with revox.AsyncRevox(api_key="bench-key", base_url=base) as client:
            for _ in range(n):
                page = await client.call.search(**SEARCH)
                assert len(page.calls) == CALLS

    return lambda: asyncio.run(main())


def official_sync_sequential(base: str, aid: str, n: int) -> Callable[[], object]:
    import revox

    client = revox.Revox(api_key="bench-key", base_url=base)
    client.assistants.retrieve(aid)

    def run() -> None:
        for _ in range(n):
            client.assistants.retrieve(aid)

    return run


# -- import, memory ------------------------------------------------------------------


def import_cost(runs: int) -> tuple[float, float]:
    """(median ms to import revox_async, extra max RSS in MiB) in fresh interpreters."""
    probe = (
        "import os, time\n"
        "def rss(): return int(open('/proc/self/statm').read().split()[1]) * os.sysconf('SC_PAGE_SIZE')\n"
        "r0 = rss(); t = time.perf_counter()\n"
        "import revox_async\n"
        "print(time.perf_counter() - t, (rss() - r0) / 1024)"
    )
    times, rss = [], []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True
        ).stdout.split()
        times.append(float(out[0]) * 1000)
        rss.append(float(out[1]) / 1024)
    return statistics.median(times), statistics.median(rss)


def sdk_overhead(samples: dict[str, bytes], n: int = 20_000) -> list[tuple[str, float, float]]:
    """(call, SDK µs, raw JSON µs) per call with the network taken out.

    The transport answers at once with a canned body, so what is left is the
    SDK's own CPU (validation, JSON, models, retry loop), against the JSON work
    the raw floor does for the same call. Much steadier than the end-to-end
    figures, whose noise on a shared machine is larger than the difference.
    """
    from multidict import CIMultiDict, CIMultiDictProxy

    from revox_async import AsyncRevox
    from revox_async._transport import Reply

    retrieved = samples["assistant"]
    created = b'{"assistant": ' + retrieved + b"}"
    call, search = samples["call"], samples["search"]
    headers = CIMultiDictProxy(CIMultiDict({"Content-Type": "application/json"}))

    async def measure() -> list[tuple[str, float, float]]:
        client = AsyncRevox(api_key="bench-key", base_url="http://bench.invalid/api")

        async def send(method: str, url: object, *_: object) -> Reply:
            path = str(url)
            if path.endswith("/call/search"):
                return Reply(200, headers, search)
            if "/call/" in path:
                return Reply(200, headers, call)
            return Reply(200, headers, created if method == "POST" else retrieved)

        client._transport.send = send  # type: ignore[method-assign]
        calls = [
            (
                "retrieve",
                lambda: client.assistants.retrieve("asst_1"),
                lambda: json.loads(retrieved),
            ),
            (
                "create",
                lambda: client.assistants.create(**FULL),
                lambda: (json.dumps(FULL), json.loads(created)),
            ),
            ("calls.retrieve", lambda: client.calls.retrieve("call_1"), lambda: json.loads(call)),
            (
                "calls.search",
                lambda: client.calls.search_page(page_size=CALLS),
                lambda: (json.dumps(SEARCH), json.loads(search)),
            ),
        ]
        results = []
        for name, sdk_call, raw_work in calls:
            for _ in range(500):
                await sdk_call()
            cpu = time.process_time()
            for _ in range(n):
                await sdk_call()
            sdk = (time.process_time() - cpu) / n * 1e6
            cpu = time.process_time()
            for _ in range(n):
                raw_work()
            raw = (time.process_time() - cpu) / n * 1e6
            results.append((name, sdk, raw))
        return results

    return asyncio.run(measure())


def memory_of_assistants(count: int, sample: Row) -> float:
    """Peak MiB (tracemalloc) while holding `count` decoded Assistants, each from JSON
    of its own (nested objects are kept as that JSON until read)."""
    from revox_async import Assistant
    from revox_async._converter import response_converter

    text = json.dumps(sample)
    gc.collect()
    tracemalloc.start()
    kept = [
        response_converter.structure({**json.loads(text), "id": f"a{i}"}, Assistant)
        for i in range(count)
    ]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    return peak / 2**20


# -- the report ------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests (a smoke run)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--client-cpu", type=int, help="run the client on this core only")
    parser.add_argument("--server-cpu", type=int, help="run the mock server on this core only")
    parser.add_argument(
        "--only",
        help="workloads to run, by the first word of their name: "
        "sequential,create,calls.retrieve,calls.search (default: all, and the extra figures)",
    )
    args = parser.parse_args()
    if args.client_cpu is not None:
        os.sched_setaffinity(0, {args.client_cpu})
    n_seq = 300 if args.quick else 2000
    n_conc = 300 if args.quick else 2000
    n_search = 50 if args.quick else 400
    concurrency = 64
    rounds = 1 if args.quick else args.rounds

    seq = f"sequential retrieve ×{n_seq}"
    conc = f"create, concurrency {concurrency} ×{n_conc}"
    call = f"calls.retrieve (3 attempts) ×{n_seq}"
    search = f"calls.search, page of {CALLS} ×{n_search}"
    c = concurrency
    official = official_available()
    contenders: list[tuple[str, str, Make, int]] = [
        (seq, "raw aiohttp + json", lambda b, ids: raw_get(f"{b}/assistants/{ids['assistant']}", n_seq), n_seq),
        (seq, "AsyncRevox", lambda b, ids: sdk_sequential(b, ids["assistant"], n_seq), n_seq),
        (seq, "SyncRevox", lambda b, ids: sync_sequential(b, ids["assistant"], n_seq), n_seq),
        *(
            [
                (seq, "official revox (async)", lambda b, ids: official_async_sequential(b, ids["assistant"], n_seq), n_seq),
                (seq, "official revox (sync)", lambda b, ids: official_sync_sequential(b, ids["assistant"], n_seq), n_seq),
            ]
            if official
            else []
        ),
        (seq, "empty BlockingPortal.call", lambda b, ids: portal_empty(n_seq), n_seq),
        (conc, "raw aiohttp + json", lambda b, ids: raw_concurrent(b, n_conc, c), n_conc),
        (conc, "raw aiohttp + orjson", lambda b, ids: raw_concurrent(b, n_conc, c, orjson=True), n_conc),
        (conc, "AsyncRevox", lambda b, ids: sdk_concurrent(b, n_conc, c), n_conc),
        (conc, "SyncRevox (64 threads)", lambda b, ids: sync_concurrent(b, n_conc, c), n_conc),
        *(
            [(conc, "official revox (async)", lambda b, ids: official_async_concurrent(b, n_conc, c), n_conc)]
            if official
            else []
        ),
        (conc, "create_many", lambda b, ids: sdk_create_many(b, n_conc, c), n_conc),
        (call, "raw aiohttp + json", lambda b, ids: raw_get(f"{b}/call/{ids['call']}", n_seq), n_seq),
        (call, "AsyncRevox", lambda b, ids: sdk_call_retrieve(b, ids["call"], n_seq), n_seq),
        *(
            [(call, "official revox (async)", lambda b, ids: official_call_retrieve(b, ids["call"], n_seq), n_seq)]
            if official
            else []
        ),
        (search, "raw aiohttp + json", lambda b, ids: raw_call_search(b, n_search), n_search),
        (search, "AsyncRevox", lambda b, ids: sdk_call_search(b, n_search), n_search),
        *(
            [(search, "official revox (async)", lambda b, ids: official_call_search(b, n_search), n_search)]
            if official
            else []
        ),
    ]  # fmt: skip
    if args.only:
        wanted = tuple(args.only.split(","))
        contenders = [c for c in contenders if c[0].split()[0].rstrip(",") in wanted]

    # Rounds go round-robin over the contenders, and each contender keeps its
    # median round: a burst of load on the machine then hurts one round of
    # everyone rather than every round of one contender. Each run gets a fresh
    # server: one holding thousands of earlier assistants (and collecting them)
    # would slow the later contenders.
    runs: dict[int, list[tuple[float, float]]] = {i: [] for i in range(len(contenders))}
    samples: dict[str, bytes] = {}
    for round_number in range(1, rounds + 1):
        print(f"round {round_number}/{rounds}", file=sys.stderr)
        for i, (kind, name, make, n) in enumerate(contenders):
            proc, base, ids = start_server(args.server_cpu)
            try:
                if not samples:
                    samples = asyncio.run(_samples(base, ids))
                    asyncio.run(_warm_up(base, ids))
                cpu, wall = cpu_run(make(base, ids))
            finally:
                proc.terminate()
                proc.wait()
            runs[i].append((cpu, wall))
            print(f"  {kind:<30} {name:<24} {cpu / n * 1e6:7.1f} µs CPU/req", file=sys.stderr)
    rows = [
        (kind, name, statistics.median(c for c, _ in runs[i]) / n * 1e6,
         statistics.median(w for _, w in runs[i]), n)
        for i, (kind, name, _, n) in enumerate(contenders)
    ]  # fmt: skip
    if args.only:
        report_rows(rows)
        return

    import_ms, import_rss = import_cost(runs=5 if args.quick else 15)
    memory = memory_of_assistants(10_000, json.loads(samples["assistant"]))
    overhead = sdk_overhead(samples)
    report(rows, import_ms, import_rss, memory)
    floors = {
        kind.split()[0]: cpu for kind, name, cpu, _, _ in rows if name == "raw aiohttp + json"
    }  # keyed "sequential", "create,", "calls.retrieve", "calls.search,"
    floors["calls.search"] = floors.pop("calls.search,")
    print(
        "\n| call, no network | AsyncRevox µs | raw JSON µs | SDK extra µs | (floor + extra) / floor |"
    )
    print("|---|---:|---:|---:|---:|")
    for name, sdk, raw in overhead:
        floor = floors[{"retrieve": "sequential", "create": "create,"}.get(name, name)]
        extra = sdk - raw
        print(f"| {name} | {sdk:.1f} | {raw:.1f} | {extra:.1f} | {(floor + extra) / floor:.2f}× |")


async def _samples(base: str, ids: Ids) -> dict[str, bytes]:
    """The server's answers, as bytes, for the no-network figures."""
    headers = {"Authorization": "Bearer bench-key", "Content-Type": "application/json"}
    async with aiohttp.ClientSession(headers=headers) as session:
        async with session.get(f"{base}/assistants/{ids['assistant']}") as resp:
            assistant = await resp.read()  # GET answers the assistant unwrapped
        async with session.get(f"{base}/call/{ids['call']}") as resp:
            call = await resp.read()
        async with session.post(f"{base}/call/search", data=json.dumps(SEARCH)) as resp:
            search = await resp.read()
    return {"assistant": assistant, "call": call, "search": search}


async def _warm_up(base: str, ids: Ids) -> None:
    """One untimed call of each kind, so that no contender pays this process's one-off
    costs (the lazy imports, each model's generated decoding code: ~85 ms in all)."""
    from revox_async import AsyncRevox

    async with AsyncRevox(api_key="bench-key", base_url=base) as client:
        await client.assistants.retrieve(ids["assistant"])
        await client.assistants.create(**{**FULL, "name": "warm-up"})
        await client.calls.retrieve(ids["call"])
        await client.calls.search_page(page_size=CALLS)


def report_rows(rows: list[tuple[str, str, float, float, int]]) -> None:
    """The table of every contender's CPU per request, against its workload's raw floor;
    with a sequential SyncRevox, its ratio to an AsyncRevox call plus an empty portal call."""
    print("\n| workload | client | CPU µs/request | × raw | requests/s |")
    print("|---|---|---:|---:|---:|")
    floors = {}
    cpus = {}
    for kind, name, cpu, wall, n in rows:
        if name == "raw aiohttp + json":
            floors[kind] = cpu
        cpus[kind.split()[0], name] = cpu
        print(f"| {kind} | {name} | {cpu:.0f} | {cpu / floors[kind]:.2f} | {n / wall:.0f} |")
    sync, portal = (
        cpus.get(("sequential", "SyncRevox")),
        cpus.get(("sequential", "empty BlockingPortal.call")),
    )
    if sync is not None and portal is not None:
        print(
            f"\nSyncRevox ÷ (AsyncRevox + empty portal call): {sync / (cpus['sequential', 'AsyncRevox'] + portal):.2f}×"
        )


def report(
    rows: list[tuple[str, str, float, float, int]],
    import_ms: float,
    import_rss: float,
    memory: float,
) -> None:
    def find(kind_prefix: str, name: str) -> tuple[float, float]:
        for kind, row_name, cpu, wall, n in rows:
            if kind.startswith(kind_prefix) and row_name == name:
                return cpu, n / wall
        raise KeyError(name)

    report_rows(rows)

    seq_raw, _ = find("sequential", "raw aiohttp + json")
    seq_sdk, _ = find("sequential", "AsyncRevox")
    seq_sync, _ = find("sequential", "SyncRevox")
    portal, _ = find("sequential", "empty BlockingPortal.call")
    conc_raw, conc_raw_rps = find("create", "raw aiohttp + json")
    conc_sdk, _ = find("create", "AsyncRevox")
    _, many_rps = find("create", "create_many")
    call_raw, _ = find("calls.retrieve", "raw aiohttp + json")
    call_sdk, _ = find("calls.retrieve", "AsyncRevox")
    search_raw, _ = find("calls.search", "raw aiohttp + json")
    search_sdk, _ = find("calls.search", "AsyncRevox")
    targets = [
        ("AsyncRevox CPU/request, sequential", seq_sdk / seq_raw, "≤ 1.15×"),
        ("AsyncRevox CPU/request, concurrent", conc_sdk / conc_raw, "≤ 1.15×"),
        (
            "SyncRevox CPU/call vs (AsyncRevox + empty portal call)",
            seq_sync / (seq_sdk + portal),
            "≤ 1.10×",
        ),
        ("create_many throughput vs semaphore + gather", many_rps / conc_raw_rps, "≥ 0.95×"),
        ("AsyncRevox CPU/request, calls.retrieve", call_sdk / call_raw, "≤ 1.15×"),
        ("AsyncRevox CPU/request, calls.search (50)", search_sdk / search_raw, "≤ 1.15×"),
    ]
    print("\n| target | measured | goal | met |")
    print("|---|---:|---|---|")
    for name, value, goal in targets:
        limit = float(goal.split()[1].rstrip("×"))
        met = value >= limit if goal.startswith("≥") else value <= limit
        print(f"| {name} | {value:.2f}× | {goal} | {'yes' if met else 'no'} |")
    print(
        f"| `import revox_async` (median) | {import_ms:.0f} ms | ≤ 150 ms | {'yes' if import_ms <= 150 else 'no'} |"
    )
    print(
        f"\nimport adds {import_rss:.1f} MiB RSS; 10,000 Assistant objects peak at {memory:.1f} MiB."
    )
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, orjson: {_has_orjson()}")


def _has_orjson() -> bool:
    from revox_async import _core

    return _core.orjson is not None


if __name__ == "__main__":
    main()
