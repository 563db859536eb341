"""SyncRevox: AsyncRevox's surface, blocking, through one long-lived portal."""

from __future__ import annotations

import asyncio
import inspect
import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import attrs
import pytest

import revox_async as rx
from revox_async import AsyncRevox, SyncRevox
from revox_async.testing import FaultPlan, MockRevoxServer


@pytest.fixture
def client(revox_mock: MockRevoxServer) -> Iterator[SyncRevox]:
    with SyncRevox(api_key=revox_mock.api_key, base_url=revox_mock.base_url) as c:
        yield c


ASYNC_ONLY = {"create_many_iter"}  # an async iterator; SyncRevox users call create_many


def public_methods(cls: type) -> list[str]:
    skip = {"with_raw_response", *ASYNC_ONLY}
    return sorted(n for n in vars(cls) if not n.startswith("_") and n not in skip)


# -- the same surface ------------------------------------------------------------


@pytest.mark.parametrize("raw", [False, True])
def test_every_async_method_has_a_sync_twin_with_the_same_signature(
    raw: bool, client: SyncRevox
) -> None:
    """Declared once, each endpoint has both forms: same parameters, a docstring for each."""
    async_resource: Any = AsyncRevox(api_key="k").assistants
    sync_resource: Any = client.assistants
    if raw:
        async_resource, sync_resource = (
            async_resource.with_raw_response,
            sync_resource.with_raw_response,
        )
    names = public_methods(rx.Assistants)
    if raw:
        names.remove("create_many")  # an operation of many requests has no raw form
        assert not hasattr(sync_resource, "create_many")
        assert not hasattr(async_resource, "create_many")
    assert {"create", "retrieve", "update", "clone", "list", "delete"} <= set(names)
    with pytest.raises(TypeError, match="create_many_iter streams for AsyncRevox"):
        client.assistants.create_many_iter([])
    for name in names:
        expected = inspect.signature(getattr(async_resource, name))
        actual = inspect.signature(getattr(sync_resource, name))
        assert expected.parameters == actual.parameters, name
        assert expected.return_annotation == f"Awaitable[{actual.return_annotation}]", name
        assert ("RawResponse[" in actual.return_annotation) is raw
        sync_doc = getattr(sync_resource, name).__doc__
        assert "await " in getattr(async_resource, name).__doc__, name
        assert "await " not in sync_doc, name


def test_help_of_a_sync_method_shows_sync_usage(client: SyncRevox) -> None:
    """help() reads the sync docstring and the full keyword list."""
    import pydoc

    text = pydoc.render_doc(client.assistants.create, renderer=pydoc.plaintext)
    assert "client.assistants.create(" in text
    assert "await" not in text
    assert "voice: " in text
    assert "-> 'Assistant'" in text


def test_constructor_and_with_options_take_the_same_arguments() -> None:
    """SyncRevox takes AsyncRevox's arguments, but for the loop-bound aiohttp session."""
    async_params = dict(inspect.signature(AsyncRevox).parameters)
    del async_params["session"]
    assert async_params == dict(inspect.signature(SyncRevox).parameters)
    assert (
        inspect.signature(AsyncRevox.with_options).parameters
        == inspect.signature(SyncRevox.with_options).parameters
    )


def test_crud_through_the_portal(client: SyncRevox, revox_mock: MockRevoxServer) -> None:
    """create → retrieve → update → list → delete, with the same models and errors."""
    created = client.assistants.create(
        name="n", prompt="p", voice={"id": "v", "provider": "cartesia"}
    )
    assert isinstance(created, rx.Assistant)
    assert created == client.assistants.retrieve(created.id)
    assert None is client.assistants.update(created.id, voicemail_message=None).voicemail_message
    assert [created.id] == [a.id for a in client.assistants.list()]
    raw = client.assistants.with_raw_response.retrieve(created.id)
    assert (200, created.id) == (raw.status_code, raw.parsed.id)
    assert client.assistants.delete(created.id) is True
    with pytest.raises(rx.NotFoundError):
        client.assistants.retrieve(created.id)
    with pytest.raises(TypeError, match=r"voice\.id"):
        client.assistants.create(name="n", prompt="p", voice={"provider": "cartesia"})


def test_with_options_shares_the_loop(client: SyncRevox, revox_mock: MockRevoxServer) -> None:
    """A derived client uses the same portal, with its own options."""
    quick = client.with_options(max_retries=0, headers={"X-Trace": "1"}).with_options(timeout=3)
    assert (0, 3.0, 2) == (quick.max_retries, quick.timeout, client.max_retries)
    assert repr(quick).startswith("SyncRevox(")
    revox_mock.fail_next("status", status=500)
    with pytest.raises(rx.InternalServerError):
        quick.assistants.list()
    assert "1" == revox_mock.requests[-1].headers["X-Trace"]
    assert [] == client.assistants.list()
    assert quick._portal is client._portal
    with pytest.raises(ValueError, match="timeout"):
        client.with_options(timeout=-1)


def test_per_request_copies_leave_nothing_behind(client: SyncRevox) -> None:
    """with_options per request: each copy's AsyncRevox goes when the copy goes."""
    import gc
    import weakref

    client.assistants.list()
    quick = client.with_options(timeout=3)
    quick.assistants.list()
    inner = weakref.ref(quick._client(client._portal.loop().client))
    del quick
    gc.collect()
    assert inner() is None


def test_options_read_back_as_on_the_async_client() -> None:
    """timeout, max_retries, outcome_window, max_response_bytes and base_url, as given
    (``outcome_window=None``: the timeout, but at least 30 s)."""
    client = SyncRevox(api_key="k", base_url="http://127.0.0.1:1/api", timeout=7, outcome_window=3)
    quick = client.with_options(outcome_window=None, max_response_bytes=10)
    assert (7.0, 2, 3.0, "http://127.0.0.1:1/api") == (
        client.timeout,
        client.max_retries,
        client.outcome_window,
        client.base_url,
    )
    assert (30.0, 10) == (quick.outcome_window, quick.max_response_bytes)
    client.close()


def test_every_argument_reaches_the_async_client_in_the_loop() -> None:
    """Each constructor argument is handed on, as given, to the AsyncRevox the loop uses."""
    given: dict[str, Any] = {
        "api_key": "k",
        "base_url": "http://127.0.0.1:1/api",
        "timeout": 7.0,
        "max_retries": 1,
        "connect_timeout": 2.0,
        "default_headers": {"X-A": "b"},
        "max_response_bytes": 10,
        "outcome_window": 3.0,
        "create_deadline": 9.0,
    }
    assert set(given) == set(inspect.signature(SyncRevox).parameters)
    client = SyncRevox(**given)
    inner = client._portal.client
    options = attrs.asdict(inner._options)
    options["headers"] = dict(options.pop("headers"))
    actual = {**options, "api_key": inner._api_key, "base_url": inner.base_url}
    given["headers"] = given.pop("default_headers")
    assert given == actual
    client.close()


def test_configuration_errors_surface_at_construction() -> None:
    """A missing key fails in the constructor, not at the first call."""
    with pytest.raises(rx.RevoxError, match="REVOX_API_KEY"):
        SyncRevox()


# -- one portal, many threads -------------------------------------------------------


def test_one_loop_thread_for_the_clients_whole_life(revox_mock: MockRevoxServer) -> None:
    """No thread, portal or loop per call: one thread appears, and goes at close()."""
    before = threading.active_count()
    client = SyncRevox(api_key=revox_mock.api_key, base_url=revox_mock.base_url)
    assert before == threading.active_count()  # started lazily
    for _ in range(20):
        client.assistants.list()
    assert before + 1 == threading.active_count()
    client.close()
    assert before == threading.active_count()
    with pytest.raises(rx.ClientClosedError):
        client.assistants.list()
    client.close()  # idempotent
    assert client.is_closed


def test_safe_to_share_between_threads(client: SyncRevox, revox_mock: MockRevoxServer) -> None:
    """Eight threads, 200 creates, all distinct and all stored."""

    def work(i: int) -> str:
        return client.assistants.create(name=f"a{i}", prompt="p").id

    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(work, range(200)))
    assert 200 == len(set(ids))
    assert set(ids) == set(revox_mock.assistants)


async def test_works_from_a_thread_with_a_running_loop(revox_mock: MockRevoxServer) -> None:
    """A notebook cell runs in a live loop: the call blocks it, and works."""
    asyncio.get_running_loop()
    with SyncRevox(api_key=revox_mock.api_key, base_url=revox_mock.base_url) as client:
        assert [] == client.assistants.list()


def test_a_call_from_its_own_loop_thread_fails_instead_of_hanging(client: SyncRevox) -> None:
    """on_progress runs in the client's loop: calling the client there is an error, not a hang."""
    seen: list[BaseException] = []

    def progress(done: int, total: int | None, item: rx.BatchItem) -> None:
        try:
            client.assistants.list()
        except RuntimeError as exc:
            seen.append(exc)

    result = client.assistants.create_many([{"name": "a", "prompt": "p"}], on_progress=progress)
    assert result.ok
    assert 1 == len(seen)
    assert "own event loop thread" in str(seen[0])


# -- interrupts, forks and exits ------------------------------------------------------


def _tasks_in_loop(client: SyncRevox) -> int:
    state = client._portal.loop()

    async def count() -> int:
        return len(asyncio.all_tasks()) - 1

    return state.portal.call(count)


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(), reason="signals")
def test_ctrl_c_cancels_the_request_in_the_loop(
    client: SyncRevox, revox_mock: MockRevoxServer
) -> None:
    """KeyboardInterrupt while waiting cancels the in-loop request; the client goes on."""
    client.assistants.list()
    idle = _tasks_in_loop(client)
    revox_mock.faults = FaultPlan(latency=5.0)
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        client.assistants.list()
    assert time.monotonic() - started < 3
    deadline = time.monotonic() + 2
    while _tasks_in_loop(client) > idle and time.monotonic() < deadline:
        time.sleep(0.01)
    assert idle == _tasks_in_loop(client)  # the request task is gone, not waiting 5 s
    revox_mock.faults = FaultPlan()
    assert [] == client.assistants.list()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_gets_a_working_client(
    client: SyncRevox, revox_mock: MockRevoxServer
) -> None:
    """After fork the child starts its own portal instead of hanging on the parent's."""
    client.assistants.create(name="parent", prompt="p")
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 1
        try:
            created = client.assistants.create(name="child", prompt="p")
            code = 0 if len(client.assistants.list()) == 2 and created.name == "child" else 2
        finally:
            os._exit(code)
    deadline = time.monotonic() + 20
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            pytest.fail("the forked child hung")
        time.sleep(0.02)
    assert 0 == os.waitstatus_to_exitcode(status)
    assert ["parent", "child"] == [a.name for a in client.assistants.list()]  # parent still fine


def test_close_during_calls_in_other_threads_raises_client_closed(
    client: SyncRevox, revox_mock: MockRevoxServer
) -> None:
    """close() while a call and a batch run elsewhere: both get ClientClosedError."""
    revox_mock.faults = FaultPlan(latency=0.5)
    rows = [{"name": f"n{i}", "prompt": "p"} for i in range(50)]
    with ThreadPoolExecutor(2) as pool:
        single = pool.submit(client.assistants.list)
        batch = pool.submit(client.assistants.create_many, rows, concurrency=2)
        time.sleep(0.2)
        client.close()
        for future in (single, batch):
            with pytest.raises(rx.ClientClosedError):
                future.result(timeout=10)
    with pytest.raises(rx.ClientClosedError):
        client.assistants.list()
    time.sleep(0.6)  # let the server finish what was in flight, so the next test starts empty
    revox_mock.reset()


SLOW_CALLBACK = re.compile(r"^Executing <.*> took \d+\.\d+ seconds\n", re.MULTILINE)
"""asyncio's debug mode (-X dev) reports a callback over 100 ms: on a loaded machine,
a timing, not a fault; every other line on stderr still fails the test."""


def _python(script: str) -> subprocess.CompletedProcess[str]:
    """``script`` run in dev mode, warnings as errors; stderr without slow-callback notes."""
    result = subprocess.run(
        [sys.executable, "-X", "dev", "-W", "error", "-c", script],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    result.stderr = SLOW_CALLBACK.sub("", result.stderr)
    return result


def _run_script(body: str, revox_mock: MockRevoxServer) -> subprocess.CompletedProcess[str]:
    script = textwrap.dedent(body).format(key=revox_mock.api_key, url=revox_mock.base_url)
    return _python(script)


def test_a_script_that_never_closes_exits_promptly_and_quietly(revox_mock: MockRevoxServer) -> None:
    """No close(): the interpreter still exits at once, with no warning on stderr."""
    started = time.monotonic()
    result = _run_script(
        """
        from revox_async import SyncRevox
        client = SyncRevox(api_key="{key}", base_url="{url}")
        print(len(client.assistants.list()))
        """,
        revox_mock,
    )
    assert (0, "0\n", "") == (result.returncode, result.stdout, result.stderr)
    assert time.monotonic() - started < 10


SLOW_SERVER = """
import atexit, socket, sys, threading
from revox_async import SyncRevox

listener = socket.create_server(("127.0.0.1", 0))
asked = threading.Event()
held = []  # kept open (and referenced) until the process ends

def never_answer():  # reads each request, answers nothing
    while True:
        held.append(listener.accept()[0])
        held[-1].recv(65536)
        asked.set()

threading.Thread(target=never_answer, daemon=True).start()
base_url = f"http://127.0.0.1:{{listener.getsockname()[1]}}/api"
"""


def _run_exit_script(body: str) -> subprocess.CompletedProcess[str]:
    return _python((SLOW_SERVER + textwrap.dedent(body)).format())


def test_exit_with_a_call_in_flight_in_a_daemon_thread_is_quiet() -> None:
    """The main thread returns while a daemon thread waits on a slow server: status 0, no stderr."""
    result = _run_exit_script(
        """
        client = SyncRevox(api_key="k", base_url=base_url, timeout=30)
        # Runs after the client's own exit hook (registered later, at its first call):
        # leaves time for the waiting thread to print anything it would.
        atexit.register(lambda: worker.join(1))
        worker = threading.Thread(target=client.assistants.retrieve, args=("a1",), daemon=True)
        worker.start()
        asked.wait()
        print("leaving")
        """
    )
    assert (0, "leaving\n", "") == (result.returncode, result.stdout, result.stderr)


def test_a_script_leaving_threads_mid_call_exits_quietly() -> None:
    """As a user writes it: daemon threads in calls, the script ends; nothing on stderr."""
    result = _run_exit_script(
        """
        client = SyncRevox(api_key="k", base_url=base_url, timeout=30)
        for n in range(4):
            threading.Thread(target=client.calls.retrieve, args=(str(n),), daemon=True).start()
        asked.wait()
        """
    )
    assert (0, "") == (result.returncode, result.stderr)


def test_close_still_ends_a_daemon_threads_call_with_client_closed() -> None:
    """An explicit close() is no exit: the daemon thread's call raises ClientClosedError."""
    result = _run_exit_script(
        """
        from revox_async import ClientClosedError

        def call():
            try:
                client.assistants.retrieve("a1")
            except ClientClosedError as exc:
                print(exc)

        client = SyncRevox(api_key="k", base_url=base_url, timeout=30)
        worker = threading.Thread(target=call, daemon=True)
        worker.start()
        asked.wait()
        client.close()
        worker.join()
        """
    )
    expected = (0, "This client was closed during the call.\n", "")
    assert expected == (result.returncode, result.stdout, result.stderr)


def test_a_call_from_an_atexit_hook_after_the_client_closed_raises() -> None:
    """The main thread, calling after the client's exit hook: ClientClosedError, no hang."""
    result = _run_exit_script(
        """
        from revox_async import ClientClosedError

        def late_call():
            try:
                client.assistants.retrieve("a1")
            except ClientClosedError as exc:
                print(exc)

        atexit.register(late_call)  # runs after the client's own hook
        client = SyncRevox(api_key="k", base_url=base_url, timeout=30, max_retries=0)
        worker = threading.Thread(target=client.assistants.retrieve, args=("a0",), daemon=True)
        worker.start()
        asked.wait()
        """
    )
    expected = (0, "This client was closed at interpreter exit.\n", "")
    assert expected == (result.returncode, result.stdout, result.stderr)


def test_a_dropped_client_is_closed_quietly(revox_mock: MockRevoxServer) -> None:
    """A client garbage-collected without close() closes its session and thread."""
    result = _run_script(
        """
        import gc, threading
        from revox_async import SyncRevox
        before = threading.active_count()
        client = SyncRevox(api_key="{key}", base_url="{url}")
        client.assistants.list()
        del client
        gc.collect()
        print(threading.active_count() - before)
        """,
        revox_mock,
    )
    assert (0, "0\n", "") == (result.returncode, result.stdout, result.stderr)
