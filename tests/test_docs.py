"""Every example in docs/ runs as shown, against the embedded mock server.

The convention (docs/index.md, "Reading the examples"): a plain ```` ```python ````
block is a whole script, run on its own as a file would be; a block titled
``notebook`` (```` ```python title="notebook" ````) is a notebook cell, with
top-level ``await``, run inside a running event loop as Jupyter runs it. Each
block runs on its own, in an empty folder; each page's blocks also run in
order, sharing one namespace, as a reader going down the page would.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import CodeType

import pytest

from revox_async.testing import MockRevoxServer

ROOT = Path(__file__).parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
NOTEBOOK = re.compile(r'\btitle="notebook\b', re.IGNORECASE)


@dataclass(frozen=True)
class Block:
    page: Path
    line: int
    source: str
    notebook: bool

    @property
    def name(self) -> str:
        return f"{self.page.name}:{self.line}"


def blocks(page: Path, language: str) -> list[Block]:
    text = page.read_text(encoding="utf-8")
    return [
        Block(
            page,
            text.count("\n", 0, match.start()) + 2,
            match.group(3),
            bool(NOTEBOOK.search(match.group(2))),
        )
        for match in FENCE.finditer(text)
        if match.group(1) == language
    ]


PYTHON_PAGES = [page for page in DOCS if blocks(page, "python")]
PYTHON_BLOCKS = [block for page in PYTHON_PAGES for block in blocks(page, "python")]
CLI_LINES = [
    (page, line)
    for page in DOCS
    for block in blocks(page, "bash")
    for line in block.source.splitlines()
    if line.startswith("revox-async ") and "--mock" in line
]


CALL_PAGES = {"index", "calls", "campaigns", "migrating"}
"""Pages whose calls must run their course: the mock's clock runs at `mock serve`'s
pace there (60 mock seconds a second: a call completes within ``wait``'s first 2 s)."""


@pytest.fixture
def reader(
    revox_mock: MockRevoxServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> MockRevoxServer:
    """A reader's shell: the key and base URL of the mock in the environment, an empty folder."""
    monkeypatch.setenv("REVOX_API_KEY", revox_mock.api_key)
    monkeypatch.setenv("REVOX_BASE_URL", revox_mock.base_url)
    monkeypatch.chdir(tmp_path)
    return revox_mock


def compiled(block: Block) -> CodeType:
    """The block as Python reads it: a script must compile as a file (no top-level
    ``await``, no ``async with`` outside a function); a notebook cell may await."""
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT if block.notebook else 0
    return compile(block.source, block.name, "exec", flags=flags)


def run(block: Block, namespace: dict[str, object]) -> None:
    """Run a script as a file runs, a notebook cell inside a running event loop."""
    code = compiled(block)
    if not block.notebook:
        exec(code, namespace)
        return

    async def cell() -> None:
        result = eval(code, namespace)
        if code.co_flags & inspect.CO_COROUTINE:
            await result

    asyncio.run(cell())


def test_every_page_is_checked() -> None:
    """The pages with examples are the ones the issue lists, and all have some."""
    names = {page.stem for page in PYTHON_PAGES}
    assert {"README", "index", "assistants", "partial-updates", "errors", "options", "drift",
            "sync", "bulk", "testing", "calls", "campaigns", "voices", "account", "webhooks",
            "migrating", "observability"} <= names  # fmt: skip
    assert CALL_PAGES <= names
    assert CLI_LINES
    assert any(block.notebook for block in PYTHON_BLOCKS)


@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=lambda b: b.name)
def test_python_block_runs_on_its_own(block: Block, reader: MockRevoxServer) -> None:
    """Each block runs alone, in an empty folder: a script as a file, a notebook cell
    with a loop running (where ``asyncio.run`` would fail)."""
    if block.page.stem in CALL_PAGES:
        reader.time_scale = 60
    run(block, {"__name__": "__main__"})


@pytest.mark.parametrize("page", PYTHON_PAGES, ids=lambda p: p.name)
def test_python_page_runs_in_order(page: Path, reader: MockRevoxServer) -> None:
    """A page's blocks run in order in one namespace, as a reader going down the page."""
    if page.stem in CALL_PAGES:
        reader.time_scale = 60
    namespace: dict[str, object] = {"__name__": "__main__"}
    for block in blocks(page, "python"):
        run(block, namespace)


def test_script_blocks_do_not_await_at_top_level() -> None:
    """A block not titled notebook is a script: top-level ``await`` is a SyntaxError there."""
    broken = Block(ROOT / "x.md", 1, "await asyncio.sleep(0)\n", notebook=False)
    with pytest.raises(SyntaxError):
        compiled(broken)
    assert compiled(Block(ROOT / "x.md", 1, broken.source, notebook=True))


def test_notebook_blocks_run_inside_a_running_loop() -> None:
    """A notebook cell that calls ``asyncio.run`` fails here as it fails in Jupyter."""
    source = "import asyncio\nsleep = asyncio.sleep(0)\ntry:\n    asyncio.run(sleep)\nfinally:\n    sleep.close()\n"
    cell = Block(ROOT / "x.md", 1, source, notebook=True)
    with pytest.raises(RuntimeError, match="cannot be called from a running event loop"):
        run(cell, {"__name__": "__main__"})


QUICKSTARTS = [
    block for block in blocks(ROOT / "docs" / "index.md", "python") if not block.notebook
]


@pytest.mark.parametrize("block", QUICKSTARTS, ids=lambda b: b.name)
def test_quickstart_runs_as_a_file(block: Block, reader: MockRevoxServer, tmp_path: Path) -> None:
    """Each quickstart, saved to a file and run by a fresh interpreter, prints and exits 0."""
    reader.time_scale = 60
    script = tmp_path / "quickstart.py"
    script.write_text(block.source, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=False
    )
    assert (0, "") == (result.returncode, result.stderr)
    assert result.stdout


def test_quickstarts_are_type_checked() -> None:
    """Each quickstart script is copied, unchanged, into tests/typing/, which
    `mypy --strict` checks (`mypy` with the project's config)."""
    copies = sorted((ROOT / "tests" / "typing").glob("docs_index_*.py"))
    expected = [block.source for block in QUICKSTARTS]
    assert expected == [copy.read_text(encoding="utf-8") for copy in copies]


def test_migrating_names_every_official_method_we_do_not_share() -> None:
    """Each method of the official client that revox_async lacks under the same name
    (``call`` reads ``calls``) is named in docs/migrating.md, with what replaces it."""
    import revox
    from revox._resource import SyncAPIResource

    from revox_async import SyncRevox

    official = revox.Revox(api_key="k", base_url="http://127.0.0.1:9")
    ours = SyncRevox(api_key="k", base_url="http://127.0.0.1:9")
    text = (ROOT / "docs" / "migrating.md").read_text(encoding="utf-8")
    missing = []
    for name in dir(official):
        resource = getattr(official, name, None)
        if name.startswith("_") or not isinstance(resource, SyncAPIResource):
            continue
        twin = getattr(ours, {"call": "calls"}.get(name, name), None)
        for method in dir(resource):
            if method.startswith(("_", "with_")) or hasattr(twin, method):
                continue
            if f"{name}.{method}" not in text:
                missing.append(f"{name}.{method}")
    ours.close()
    official.close()
    assert [] == missing


@pytest.mark.parametrize(("page", "line"), CLI_LINES, ids=lambda v: getattr(v, "name", None))
def test_cli_examples_run(page: Path, line: str) -> None:
    """Each `revox-async --mock ...` line of the docs runs (`|| true` allows exit 1)."""
    allow_failure = line.endswith("|| true")
    args = shlex.split(line.removesuffix("|| true"))[1:]
    result = subprocess.run(
        [sys.executable, "-m", "revox_async", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode in ((0, 1) if allow_failure else (0,)), result.stderr
    assert "Traceback" not in result.stderr
