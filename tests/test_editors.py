"""What editors, help() and inspect show of the clients' methods: every keyword, no internals."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import pkgutil
import pydoc
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jedi
import pytest

import revox_async as rx

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ("assistants", "calls", "campaigns", "voices", "phone_numbers", "users")


def load_generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "gen_facades", ROOT / "scripts" / "gen_facades.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_facades_are_what_the_declarations_make_now() -> None:
    """revox_async/_facades.py and the models' imports for type checkers in __init__.py
    are what scripts/gen_facades.py writes from today's endpoints and models."""
    generator = load_generator()
    current = (ROOT / "revox_async" / "_facades.py").read_text(encoding="utf-8")
    assert generator.generate() == current, "run: python scripts/gen_facades.py"
    init = (ROOT / "revox_async" / "__init__.py").read_text(encoding="utf-8")
    assert generator.init_text() == init, "run: python scripts/gen_facades.py"


def test_a_keyword_the_endpoint_machinery_adds_reaches_the_facades() -> None:
    """A per-call option that help() shows on every method (timeout=, say) is written too."""
    generator = load_generator()
    build = vars(rx.Assistants)["retrieve"]._fn
    shown = inspect.signature(build).replace(
        parameters=[
            inspect.Parameter("assistant_id", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            inspect.Parameter(
                "timeout", inspect.Parameter.KEYWORD_ONLY, default=None, annotation="float | None"
            ),
        ]
    )
    lines = generator._method(
        "retrieve", build, rx.Assistant, generator.Names(), frozenset(), None, shown
    )
    expected = (
        "    def retrieve(self, assistant_id: str, *, timeout: float | None = None) -> Assistant:"
    )
    assert expected == lines[0]


def test_the_facades_module_imports_and_names_a_protocol_per_form() -> None:
    """Four forms of each resource (async, sync, and their raw forms), each a Protocol."""
    facades = importlib.import_module("revox_async._facades")
    expected = {
        f"{mode}{kind}{raw}"
        for mode in ("Async", "Sync")
        for kind in ("Assistants", "Calls", "Campaigns", "PhoneNumbers", "Users", "Voices")
        for raw in ("", "Raw")
    }
    assert expected == set(facades.__all__)
    assert "create_many_iter" not in vars(facades.SyncCalls)  # SyncRevox raises for it
    assert "create_many_iter" in vars(facades.AsyncCalls)


# -- jedi's static analysis (python-lsp-server, vim, emacs) -------------------------------

CLIENTS = {"AsyncRevox": "await ", "SyncRevox": ""}


def script(client: str, line: str) -> jedi.Script:
    code = (
        "import revox_async\n\n\nasync def main() -> None:\n"
        f"    client = revox_async.{client}()\n    {line}"
    )
    return jedi.Script(code, path=str(ROOT / "example.py"))


def keywords(client: str, line: str) -> set[str]:
    return {c.name for c in script(client, line).complete() if c.name.endswith("=")}


@pytest.mark.slow
@pytest.mark.parametrize("client", CLIENTS)
def test_jedi_offers_every_keyword_of_a_create(client: str) -> None:
    """calls.create( and assistants.create( complete their parameters, not self=."""
    calls = keywords(client, "client.calls.create(")
    assert {"phone_number=", "assistant_id=", "assistant=", "scheduled_at=", "metadata="} <= calls
    assert {"idempotency_key=", "extra_body=", "concurrency="} <= calls
    assistants = keywords(client, "client.assistants.create(")
    assert {"name=", "prompt=", "voice=", "llm_model=", "webhook_url="} <= assistants
    assert "self=" not in calls | assistants


@pytest.mark.slow
@pytest.mark.parametrize("client", CLIENTS)
def test_jedi_offers_every_filter_of_a_search(client: str) -> None:
    """calls.search( completes its thirteen filters, page_size and limit."""
    offered = keywords(client, "client.calls.search(")
    filters = set(rx.CallFilterParams.__annotations__)
    assert {f"{name}=" for name in filters | {"page_size", "limit"}} == offered


@pytest.mark.slow
@pytest.mark.parametrize(("client", "awaited"), CLIENTS.items())
def test_jedi_knows_what_a_method_returns(client: str, awaited: str) -> None:
    """retrieve(...) is an Assistant; with_raw_response's is a RawResponse; a list a list."""

    def inferred(expression: str) -> list[str]:
        line = f"x = {awaited}{expression}\n    x"
        return [d.name for d in script(client, line).infer(7, 5)]

    assert ["Assistant"] == inferred("client.assistants.retrieve('a')")
    assert ["RawResponse"] == inferred("client.calls.with_raw_response.retrieve('c')")
    assert ["CallPage"] == inferred("client.calls.search_page()")
    assert ["list"] == inferred("client.campaigns.list()")
    got = script(client, f"({awaited}client.calls.retrieve('c')).").complete()
    attributes = {c.name for c in got}
    assert {"status", "transcript", "latest_attempt"} <= attributes


PUBLIC_MODULES = ("revox_async", "revox_async.cli", "revox_async.testing", "revox_async.webhooks")


@pytest.mark.slow
@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_jedi_completes_a_public_module_with_its_all_only(name: str) -> None:
    """``revox_async.`` completes to ``__all__`` (and the public subpackages): no attrs, no
    typing names, no helpers, whether jedi reads the source or a live session (IPython)."""
    module = importlib.import_module(name)
    subpackages = {info.name for info in pkgutil.iter_modules(getattr(module, "__path__", []))}
    static = jedi.Script(f"import {name}\n{name}.", path=str(ROOT / "example.py")).complete()
    live = jedi.Interpreter(f"{name}.", [{"revox_async": rx}]).complete()
    for offered in (static, live):
        shown = {c.name for c in offered} - subpackages
        public = {n for n in shown if not n.startswith("_") or n in module.__all__}
        assert set(module.__all__) == public


# -- help() and inspect -------------------------------------------------------------------


@pytest.fixture(params=[rx.AsyncRevox, rx.SyncRevox])
def any_client(request: pytest.FixtureRequest) -> Iterator[Any]:
    client = request.param(api_key="k", base_url="http://127.0.0.1:9/api")
    yield client
    if isinstance(client, rx.SyncRevox):
        client.close()


def public_methods(client: Any) -> Iterator[tuple[str, Any]]:
    for resource in RESOURCES:
        for target in (getattr(client, resource), getattr(client, resource).with_raw_response):
            for name in dir(target):
                if name.startswith("_") or name == "with_raw_response":
                    continue
                try:
                    yield f"{resource}.{name}", getattr(target, name)
                except AttributeError:  # an operation has no raw form
                    continue


def test_every_method_shows_its_keywords_to_inspect(any_client: Any) -> None:
    """No **params left: each keyword is a parameter of its own, calls.search's filters too."""
    for name, method in public_methods(any_client):
        kinds = {p.kind for p in inspect.signature(method).parameters.values()}
        assert inspect.Parameter.VAR_KEYWORD not in kinds, name
    search = inspect.signature(any_client.calls.search).parameters
    assert set(rx.CallFilterParams.__annotations__) <= set(search)


def test_no_private_name_in_a_signature_or_in_help(any_client: Any) -> None:
    """help() names public classes only (CallConcurrencyParams, not _ConcurrencyParams)."""
    for name, method in public_methods(any_client):
        shown = str(inspect.signature(method)).replace("pathlib._local.", "pathlib.")  # 3.13
        assert not re.search(r"\b_[A-Za-z]|revox_async\._", shown), (name, shown)
    text = pydoc.render_doc(any_client.calls.create, renderer=pydoc.plaintext)
    assert "concurrency: revox_async.CallConcurrencyParams" in text
    assert "statuses: list[" in pydoc.render_doc(any_client.calls.search, renderer=pydoc.plaintext)


def test_internal_tables_are_not_in_dir(any_client: Any) -> None:
    """A resource's dir() lists its methods only: no PARAMS or other upper-case tables."""
    for resource in RESOURCES:
        public = [n for n in dir(getattr(any_client, resource)) if not n.startswith("_")]
        assert [n for n in public if not n.islower()] == [], resource
