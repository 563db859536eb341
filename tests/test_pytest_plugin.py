"""The pytest plugin works in a project that only installs revox_async."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

USER_TESTS = """
import pytest
from revox_async import AsyncRevox, NotFoundError


def test_mock_is_running_and_empty(revox_mock):
    assert revox_mock.base_url.startswith("http://127.0.0.1:")
    assert revox_mock.assistants == {}


@pytest.mark.anyio
async def test_client_talks_to_the_mock(revox_client, revox_mock):
    created = await revox_client.assistants.create(name="n", prompt="p")
    assert [created.id] == list(revox_mock.assistants)
    with pytest.raises(NotFoundError):
        await revox_client.assistants.retrieve("nope")


@pytest.mark.anyio
async def test_each_test_starts_empty(revox_client):
    assert [] == await revox_client.assistants.list()
"""


def test_fixtures_work_in_a_fresh_project(pytester: pytest.Pytester) -> None:
    """A tiny project with no conftest gets revox_mock and revox_client from the plugin."""
    pytester.makepyfile(test_app=USER_TESTS)
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-p", "no:asyncio", "-W", "error", "-q"
    )
    result.assert_outcomes(passed=3)


SWITCH_TESTS = """
import pytest
from revox_async.testing import FaultPlan


@pytest.mark.parametrize("run", [1, 2])
def test_every_switch_starts_off(revox_mock, run):
    assert (False, False, None) == (
        revox_mock.drift, revox_mock.odd_values, revox_mock.unpatched_calls_notice
    )
    assert FaultPlan() == revox_mock.faults
    # leave every switch on: the next test must not see any of them
    revox_mock.drift = True
    revox_mock.odd_values = {"voice.speed": "fast"}
    revox_mock.unpatched_calls_notice = {"count": 1, "variables": []}
    revox_mock.faults = FaultPlan(latency=0.01)
    revox_mock.fail_next("status", status=503)
"""


def test_revox_mock_resets_every_switch_between_tests(pytester: pytest.Pytester) -> None:
    """drift, odd_values, unpatched_calls_notice, faults and scripted faults are per test."""
    pytester.makepyfile(test_app=SWITCH_TESTS)
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-p", "no:asyncio", "-W", "error", "-q"
    )  # fmt: skip
    result.assert_outcomes(passed=2)


ASYNCIO_TESTS = """
import pytest


@pytest.mark.asyncio
async def test_with_pytest_asyncio_strict_mode(revox_client, revox_mock):
    created = await revox_client.assistants.create(name="n", prompt="p")
    assert [created.id] == list(revox_mock.assistants)
"""


def test_fixtures_work_under_pytest_asyncio_strict_mode(pytester: pytest.Pytester) -> None:
    """pytest-asyncio's default (strict) mode runs revox_client too."""
    pytester.makepyfile(test_app=ASYNCIO_TESTS)
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-p", "no:anyio", "-W", "error", "-q",
        "-o", "asyncio_mode=strict",
        "-o", "asyncio_default_fixture_loop_scope=function",
        "-o", "asyncio_default_test_loop_scope=function",
    )  # fmt: skip
    result.assert_outcomes(passed=1)
