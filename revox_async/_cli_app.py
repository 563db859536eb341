"""The ``revox-async`` command line (click + rich). Entry point: ``_cli.main``."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import attrs
import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ._batch import BatchItem, BatchResult
from ._client import AsyncRevox
from ._converter import to_dict
from ._exceptions import APIError, AuthenticationError, PermissionDeniedError, RevoxError
from ._models import Assistant
from ._version import __version__

if TYPE_CHECKING:
    from .testing import MockRevoxServer

_T = TypeVar("_T")

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


@attrs.frozen
class Settings:
    api_key: str | None
    base_url: str | None
    mock: bool
    mock_faults: float
    as_json: bool
    timeout: float
    max_retries: int


@attrs.frozen
class _InvalidRow:
    """A line of the input that is not a JSON object; it fails as its own item."""

    line: int
    text: str
    problem: str

    def __repr__(self) -> str:
        return f"line {self.line}: {self.problem}"


def _out() -> Console:
    return Console(soft_wrap=True)


def _err() -> Console:
    return Console(stderr=True, soft_wrap=True)


def _fail(message: str, code: int) -> NoReturn:
    _err().print(f"[bold red]error:[/] {message}", highlight=False)
    raise SystemExit(code)


@contextlib.asynccontextmanager
async def _client(settings: Settings) -> AsyncIterator[AsyncRevox]:
    """An AsyncRevox for the settings, with the embedded mock server when asked."""
    async with contextlib.AsyncExitStack() as stack:
        api_key, base_url = settings.api_key, settings.base_url
        if settings.mock:
            server = await stack.enter_async_context(_mock_server(settings.mock_faults))
            api_key, base_url = server.api_key, server.base_url
        elif not api_key:
            _fail(
                "no API key. Set REVOX_API_KEY (or pass --api-key), or add --mock to run "
                "against the embedded mock server, no account needed.",
                EXIT_USAGE,
            )
        yield await stack.enter_async_context(
            AsyncRevox(
                api_key=api_key,
                base_url=base_url,
                timeout=settings.timeout,
                max_retries=settings.max_retries,
            )
        )


def _mock_server(fault_rate: float) -> MockRevoxServer:
    """The embedded server; ``fault_rate`` of its POSTs fail (for demos of retries)."""
    from .testing import FaultPlan, MockRevoxServer

    plan = FaultPlan(
        seed=7,
        error_rate=fault_rate * 0.4,
        error_statuses=(500, 503, 429),
        retry_after=0.05,
        drop_rate=fault_rate * 0.3,
        commit_then_fail_rate=fault_rate * 0.3,
        methods=frozenset({"POST"}),
    )
    return MockRevoxServer(api_key="mock-key", faults=plan)


def _run(settings: Settings, work: Callable[[AsyncRevox], Awaitable[_T]]) -> _T:
    """Run one command; expected errors become a message and an exit code."""

    async def main() -> _T:
        async with _client(settings) as client:
            return await work(client)

    try:
        return asyncio.run(main())
    except (AuthenticationError, PermissionDeniedError) as exc:
        _fail(f"{exc} (check REVOX_API_KEY)", EXIT_USAGE)
    except APIError as exc:
        _fail(str(exc), EXIT_FAILED)
    except (RevoxError, TypeError, ValueError) as exc:
        _fail(str(exc), EXIT_USAGE)


def _dump(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _show_assistant(settings: Settings, assistant: Assistant) -> None:
    if settings.as_json:
        _dump(to_dict(assistant))
        return
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold cyan")
    table.add_column()
    for key, value in to_dict(assistant).items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        table.add_row(key, shown)
    _out().print(table)


def _json_value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _pairs(values: tuple[str, ...], option: str) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for pair in values:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected KEY=VALUE, got {pair!r}", param_hint=option)
        params[key] = _json_value(value)
    return params


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--api-key", envvar="REVOX_API_KEY", help="API key [env: REVOX_API_KEY].")
@click.option("--base-url", envvar="REVOX_BASE_URL", help="API base URL [env: REVOX_BASE_URL].")
@click.option("--mock", is_flag=True, help="Run against the embedded mock server (no network).")
@click.option(
    "--mock-faults",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="With --mock: the share of POSTs that fail (5xx, 429, drops, commit-then-fail).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option(
    "--timeout", type=click.FloatRange(min=0, min_open=True), default=60.0, show_default=True
)
@click.option("--max-retries", type=click.IntRange(min=0), default=2, show_default=True)
@click.version_option(__version__, prog_name="revox-async")
@click.pass_context
def cli(
    ctx: click.Context,
    api_key: str | None,
    base_url: str | None,
    mock: bool,
    mock_faults: float,
    as_json: bool,
    timeout: float,
    max_retries: int,
) -> None:
    """revox-async: manage Revox assistants from the shell."""
    ctx.obj = Settings(api_key, base_url, mock, mock_faults, as_json, timeout, max_retries)


@cli.group()
def assistants() -> None:
    """List, show, create, update and delete assistants; create them in bulk."""


@assistants.command("list")
@click.pass_obj
def list_assistants(settings: Settings) -> None:
    """List every assistant."""
    items = _run(settings, lambda c: c.assistants.list())
    if settings.as_json:
        _dump([to_dict(a) for a in items])
        return
    table = Table(title=f"{len(items)} assistant(s)")
    for column in ("id", "name", "voice", "llm model", "created"):
        table.add_column(column)
    for a in items:
        voice = f"{a.voice.provider}:{a.voice.id}" if a.voice else "-"
        llm = a.llm_model.type if a.llm_model else "-"
        table.add_row(a.id, a.name, voice, llm, str(a.created_at or "-"))
    _out().print(table)


@assistants.command("get")
@click.argument("assistant_id")
@click.pass_obj
def get_assistant(settings: Settings, assistant_id: str) -> None:
    """Show one assistant."""
    _show_assistant(settings, _run(settings, lambda c: c.assistants.retrieve(assistant_id)))


@assistants.command("create")
@click.option("--name", required=True)
@click.option("--prompt", required=True)
@click.option("--set", "values", multiple=True, metavar="KEY=JSON", help="Any other field.")
@click.pass_obj
def create_assistant(settings: Settings, name: str, prompt: str, values: tuple[str, ...]) -> None:
    """Create an assistant: --set voice='{"id": "v1", "provider": "cartesia"}'."""
    params = _pairs(values, "--set")
    _show_assistant(
        settings, _run(settings, lambda c: c.assistants.create(name=name, prompt=prompt, **params))
    )


@assistants.command("update")
@click.argument("assistant_id")
@click.option("--set", "values", multiple=True, metavar="KEY=JSON", help="A field to change.")
@click.option("--null", "nulls", multiple=True, metavar="KEY", help="A field to set to null.")
@click.pass_obj
def update_assistant(
    settings: Settings, assistant_id: str, values: tuple[str, ...], nulls: tuple[str, ...]
) -> None:
    """Change only the fields given: --set name='"Night desk"' --null voicemail_message."""
    params = {**_pairs(values, "--set"), **dict.fromkeys(nulls)}
    if not params:
        raise click.UsageError("nothing to update: give --set KEY=VALUE or --null KEY")
    _show_assistant(settings, _run(settings, lambda c: c.assistants.update(assistant_id, **params)))


@assistants.command("delete")
@click.argument("assistant_id")
@click.pass_obj
def delete_assistant(settings: Settings, assistant_id: str) -> None:
    """Delete an assistant for good."""
    ok = _run(settings, lambda c: c.assistants.delete(assistant_id))
    if settings.as_json:
        _dump({"id": assistant_id, "success": ok})
    else:
        _out().print(f"deleted {assistant_id}" if ok else f"not deleted: {assistant_id}")
    if not ok:
        raise SystemExit(EXIT_FAILED)


def read_rows(path: Path) -> Iterator[Any]:
    """JSON Lines (lazily, one object a line) or one JSON array."""
    with path.open(encoding="utf-8") as handle:
        first = handle.read(1)
        while first.isspace():
            first = handle.read(1)
        handle.seek(0)
        if first == "[":
            rows = json.load(handle)
            if not isinstance(rows, list):  # pragma: no cover - '[' starts a list
                raise click.BadParameter("expected a JSON array", param_hint="FILE")
            yield from rows
            return
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                yield _InvalidRow(number, line.rstrip("\n"), f"invalid JSON ({exc})")
                continue
            yield row


def _count_rows(path: Path) -> int | None:
    with path.open(encoding="utf-8") as handle:
        head = handle.read(1)
        while head.isspace():
            head = handle.read(1)
        if head == "[":
            return None
        handle.seek(0)
        return sum(1 for line in handle if line.strip())


def _write_failed(path: Path, failed: list[BatchItem]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for item in failed:
            if isinstance(item.params, _InvalidRow):
                out.write(item.params.text + "\n")
                continue
            row = dict(item.params) if isinstance(item.params, dict) else {"value": item.params}
            if item.idempotency_key:
                row["idempotency_key"] = item.idempotency_key
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def _first_line(error: BaseException | None) -> str:
    """The gist of an item's error: no method and URL (they are the same for every row)."""
    if error is None:
        return ""
    text = str(error)
    if isinstance(error, APIError):
        text = text.replace(f"{error.method} {error.url} ", "", 1)
    return text.splitlines()[0] if text else type(error).__name__


@assistants.command("create-many")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--concurrency", type=click.IntRange(min=1), default=8, show_default=True)
@click.option("--rate-limit", type=click.FloatRange(min=0, min_open=True), help="Requests/s cap.")
@click.option(
    "--failed-out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the failed rows [default: FILE.failed.jsonl].",
)
@click.pass_obj
def create_many(
    settings: Settings,
    file: Path,
    concurrency: int,
    rate_limit: float | None,
    failed_out: Path | None,
) -> None:
    """Create assistants from FILE (JSON Lines, or a JSON array), concurrently.

    Failed rows are written, with the idempotency key each one used, to a file
    that can be given back to this command to retry just those, safely.
    """
    total = _count_rows(file)
    err = _err()
    started = time.perf_counter()
    with Progress(
        TextColumn("[bold]creating"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("[red]{task.fields[failed]} failed"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=settings.as_json or not err.is_terminal,
    ) as progress:
        task = progress.add_task("create", total=total, failed=0)
        failed = 0

        def on_progress(done: int, _total: int | None, item: BatchItem) -> None:
            nonlocal failed
            failed += not item.ok
            progress.update(task, completed=done, failed=failed)

        result: BatchResult = _run(
            settings,
            lambda c: c.assistants.create_many(
                read_rows(file),
                concurrency=concurrency,
                rate_limit=rate_limit,
                on_progress=on_progress,
            ),
        )
    elapsed = time.perf_counter() - started
    failures = result.errors
    failed_path = None
    if failures:
        failed_path = failed_out or file.with_name(file.name + ".failed.jsonl")
        _write_failed(failed_path, failures)
    if settings.as_json:
        _dump(
            {
                "created": len(result.assistants),
                "failed": len(failures),
                "seconds": round(elapsed, 3),
                "failed_file": str(failed_path) if failed_path else None,
                "results": [
                    {
                        "index": item.index,
                        "id": item.assistant.id if item.assistant else None,
                        "error": _first_line(item.error) if item.error else None,
                        "maybe_created": item.maybe_created,
                    }
                    for item in result.results
                ],
            }
        )
    else:
        _summary(result, elapsed, failed_path, file)
    if failures:
        raise SystemExit(EXIT_FAILED)


def _summary(result: BatchResult, elapsed: float, failed_path: Path | None, file: Path) -> None:
    out = _out()
    table = Table(title=f"create-many {file.name}", show_header=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("created", f"[green]{len(result.assistants)}")
    table.add_row("failed", f"[red]{len(result.errors)}" if result.errors else "0")
    table.add_row("total", str(len(result)))
    table.add_row("time", f"{elapsed:.2f} s")
    table.add_row("rate", f"{len(result) / elapsed:.0f} items/s" if elapsed else "-")
    out.print(table)
    if not result.errors:
        return
    errors = Table(title="failed rows (first 20)")
    for column in ("#", "name", "error", "may exist"):
        errors.add_column(column)
    for item in result.errors[:20]:
        name = item.params.get("name", "-") if isinstance(item.params, dict) else "-"
        errors.add_row(
            str(item.index + 1),
            str(name),
            _first_line(item.error),
            "yes" if item.maybe_created else "",
        )
    out.print(errors)
    out.print(
        f"Failed rows written to [bold]{failed_path}[/]; retry just those with "
        f"[bold]revox-async assistants create-many {failed_path}[/] (their idempotency "
        "keys make the retry safe).",
        highlight=False,
    )
