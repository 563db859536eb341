"""``import revox_async`` stays light, and one table says where every other public name loads from."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import revox_async

INIT = Path(revox_async.__file__)
NOT_EXPORTED = {"OutcomeFilter"}
"""Names a model module exports for its siblings, not for users (a ``Literal`` alias)."""


def fresh(code: str) -> str:
    """What ``code`` prints in a new interpreter (nothing imported before it)."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def loaded_after(code: str, modules: list[str]) -> list[str]:
    """Which of ``modules`` are imported once ``code`` has run in a new interpreter."""
    return fresh(f"{code}\nimport sys\nprint(sorted(set({modules!r}) & set(sys.modules)))")


HEAVY = [
    "aiohttp",
    "asyncio",
    "cattrs",
    "click",
    "revox_async._batch",
    "revox_async._client",
    "revox_async._converter",
    "revox_async._journal",
    "revox_async._models",
    "revox_async._resources",
    "revox_async._sync",
    "revox_async.cli",
    "revox_async.testing",
    "revox_async.webhooks",
    "rich",
]


def test_importing_the_package_loads_nothing_heavy() -> None:
    """No client (revox-async catches a Ctrl-C while they load), model, resource, bulk
    helper, cattrs, asyncio, aiohttp, click or rich."""
    assert "[]" == loaded_after("import revox_async", HEAVY)


def test_building_a_client_leaves_the_models_and_the_bulk_helpers_out() -> None:
    """A client loads its engine; models, cattrs and ``_batch`` wait for a resource."""
    code = "import revox_async\nrevox_async.AsyncRevox(api_key='k')"
    deferred = ["cattrs", "revox_async._batch", "revox_async._models", "revox_async._resources"]
    assert "[]" == loaded_after(code, deferred)


def test_a_resource_loads_its_own_module_only() -> None:
    """``client.assistants`` loads the assistants' resource, not the campaigns' or voices'."""
    code = "import revox_async\nrevox_async.AsyncRevox(api_key='k').assistants"
    others = [
        "revox_async._models.campaigns",
        "revox_async._models.voices",
        "revox_async._resources.campaigns",
        "revox_async._resources.voices",
    ]
    assert "[]" == loaded_after(code, others)


def test_every_public_name_resolves_in_a_new_interpreter() -> None:
    """``from revox_async import *`` finds every name of ``__all__``, and ``dir()`` lists it."""
    code = (
        "from revox_async import *\nimport revox_async\n"
        "print(sorted(n for n in revox_async.__all__ if n not in globals()"
        " or n not in dir(revox_async)))"
    )
    assert "[]" == fresh(code)


def type_checking_imports() -> dict[str, str]:
    """The package's ``TYPE_CHECKING`` block: each name it imports -> the module it is from."""
    block = next(
        node
        for node in ast.parse(INIT.read_text(encoding="utf-8")).body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "_typing.TYPE_CHECKING"
    )
    named: dict[str, str] = {}
    for statement in block.body:
        assert isinstance(statement, ast.ImportFrom)
        for alias in statement.names:
            named[alias.name] = "." * statement.level + (statement.module or "")
    return named


def test_the_type_checkers_imports_are_the_table() -> None:
    """What type checkers import is what ``_LAZY`` loads and every public model, each by
    name: editors (jedi) would offer every name of a star import, ``__all__`` or not."""
    models = {
        name: f"._models.{module}"
        for module in reversed(revox_async._MODELS)  # the first module exporting a name wins
        for name in importlib.import_module(f"revox_async._models.{module}").__all__
        if name not in NOT_EXPORTED
    }
    assert {**revox_async._LAZY, **models} == type_checking_imports()


def test_every_public_name_is_imported_the_table_s_or_a_model() -> None:
    """``__all__`` is what the package imports, the table's names and every model module's
    ``__all__``: a new model forgotten in ``__all__`` fails here."""
    code = "import revox_async\nprint(sorted(n for n in revox_async.__all__ if n in vars(revox_async)))"
    eager = set(ast.literal_eval(fresh(code)))
    models = {
        name
        for module in revox_async._MODELS
        for name in importlib.import_module(f"revox_async._models.{module}").__all__
    }
    assert set() == eager & set(revox_async._LAZY)
    assert set(revox_async.__all__) == eager | set(revox_async._LAZY) | (models - NOT_EXPORTED)


def test_public_names_loaded_along_with_a_resource_say_they_come_from_revox_async() -> None:
    """A resource loads ``_batch``: its errors print as ``revox_async.BatchAbortedError``
    even if the user never named them (tracebacks, reprs, pickling)."""
    code = (
        "import revox_async\nrevox_async.AsyncRevox(api_key='k').calls\n"
        "from revox_async._batch import BatchAbortedError\n"
        "from revox_async._journal import JournalLockedError\n"
        "from revox_async._models.calls import Call\n"
        "print(BatchAbortedError.__module__, JournalLockedError.__module__, Call.__module__)"
    )
    assert "revox_async revox_async revox_async" == fresh(code)


def test_every_public_class_is_found_where_it_says_it_lives() -> None:
    """What pickling looks up: the class's ``__module__`` and ``__qualname__`` lead back to it."""
    for name in revox_async.__all__:
        value = getattr(revox_async, name)
        if isinstance(value, type):
            home = sys.modules[value.__module__]
            assert value is getattr(home, value.__qualname__), name


def test_the_package_answers_unknown_names_like_a_module() -> None:
    """An unknown name is an AttributeError (so hasattr and getattr defaults work), and a
    name loaded on first use is the very object its module defines."""
    assert False is hasattr(revox_async, "Nope")
    assert revox_async.Voices is importlib.import_module("revox_async._resources.voices").Voices
    assert revox_async.VoiceInfo is importlib.import_module("revox_async._models.voices").VoiceInfo
