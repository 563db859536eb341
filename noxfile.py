"""Developer sessions: ``nox -s tests lint typecheck``."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.default_venv_backend = "venv"


@nox.session(python=["3.11", "3.12", "3.13"])
def tests(session: nox.Session) -> None:
    """The whole suite on each supported Python, branch coverage enforced (>= 95 %)."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def official(session: nox.Session) -> None:
    """The official revox SDK's own tests (its sdist, fetched now) against MockRevoxServer.

    The revox version is the one pinned in the ``test`` extra; the tests use the
    official client's aiohttp transport too, hence ``revox[aiohttp]``.
    """
    session.install("-e", ".[test]", "revox[aiohttp]")
    session.run("python", "tests/official/run.py", *session.posargs)


@nox.session
def official_latest(session: nox.Session) -> None:
    """The same with the newest revox on the index: fails the day a release moves the contract."""
    session.install("-e", ".", "pytest", "pytest-asyncio")
    session.install("--upgrade", "revox[aiohttp]")  # a reused venv too gets the newest
    session.run("python", "tests/official/run.py", "--latest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    session.install("ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the package, and on tests/typing (the public typing contract)."""
    session.install("-e", ".[dev]")
    session.run("mypy", "--strict", "revox_async")
    session.run("mypy")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site, failing on any warning."""
    session.install("-e", ".[docs]")
    session.run("mkdocs", "build", "--strict", env={"NO_MKDOCS_2_WARNING": "1"})


@nox.session
def bench(session: nox.Session) -> None:
    """Client CPU per request vs raw aiohttp (and the official SDK): prints a table."""
    session.install("-e", ".[test]")
    session.run("python", "bench/run.py", *session.posargs)
