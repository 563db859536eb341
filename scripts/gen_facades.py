"""Write ``revox_async/_facades.py``: each resource's methods as editors should see them;
and the public models' imports in ``revox_async/__init__.py``, by name.

    python scripts/gen_facades.py           # rewrite them
    python scripts/gen_facades.py --check   # exit 1 if either is out of date

An endpoint is declared once (``revox_async/_endpoint.py``) and reached in four forms:
async, sync, and each one's ``with_raw_response``. mypy and pyright follow that from
the declaration's ``**params: Unpack[TypedDict]`` and the overloads of ``__get__``;
jedi (python-lsp-server, vim and emacs plugins) follows neither. So this script writes
each form out as a ``Protocol`` with explicit keyword parameters and return types,
which the clients' annotations name. mypy checks in the generated module that every
resource conforms to its four facades, and ``tests/test_editors.py`` fails when the
file differs from what this script writes now.
"""

from __future__ import annotations

import collections.abc
import importlib
import inspect
import subprocess
import sys
import textwrap
import types
import typing
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

import revox_async
from revox_async._endpoint import RESOURCES, Async, Sync, _sync_doc, endpoint, operation
from revox_async._types import NOT_GIVEN

TARGET = Path(__file__).resolve().parent.parent / "revox_async" / "_facades.py"
INIT = TARGET.parent / "__init__.py"
BEGIN = "    # isort: off\n    # fmt: off\n"
END = "    # fmt: on\n    # isort: on\n"
"""Around the models' imports in ``INIT``, which `models_block` writes: type checkers need
the names, and a star import would offer editors (jedi) every name of the module."""
LOOPBACK = "http://127.0.0.1:9/api"
"""Where the clients built to read the methods' signatures point (they send nothing)."""
ASYNC_ONLY = frozenset({"create_many_iter"})
"""Methods that only ``AsyncRevox`` offers (an async iterator: ``SyncRevox`` raises)."""
ATTRIBUTES = {name: attr for attr, name in sorted(RESOURCES.items(), key=lambda i: i[1])}
"""Each resource class and the client attribute that holds it."""

HEADER = '''\
"""What editors and type checkers see of a client's resources. Generated: do not edit.

``python scripts/gen_facades.py`` writes this file from the endpoint declarations in
``revox_async/_resources``; ``tests/test_editors.py`` fails when it is out of date, and
mypy checks at the end of this file that every resource conforms to its facades.

Each endpoint is declared once and reached in four forms (async, sync, and each one's
``with_raw_response``). mypy and pyright follow that from the declaration; jedi, the
engine of python-lsp-server and of vim's and emacs' completion, expands neither
``**params: Unpack[...]`` nor the descriptor's overloads. These protocols spell each
form out, so every editor offers the keyword arguments and knows what comes back.
"""

from __future__ import annotations

'''


class Names:
    """The imports a rendering needs: module -> names."""

    def __init__(self) -> None:
        self.modules: dict[str, set[str]] = {}
        self.builtins = False

    def use(self, module: str, name: str) -> str:
        self.modules.setdefault(module, set()).add(name)
        return name

    def lines(self) -> list[str]:
        out = ["    import builtins"] if self.builtins else []
        for module in sorted(self.modules, key=lambda m: (not _stdlib(m), m)):
            names = ", ".join(sorted(self.modules[module]))
            out.append(f"    from {module} import {names}")
        return out


def _stdlib(module: str) -> bool:
    return module.split(".", maxsplit=1)[0] in sys.stdlib_module_names


def render(tp: Any, names: Names, shadowed: frozenset[str]) -> str:
    """A type as source text, its names recorded in ``names``."""
    origin, args = get_origin(tp), get_args(tp)
    if tp is None or tp is type(None) or tp is Ellipsis:
        return "None" if tp is not Ellipsis else "..."
    if tp is Any or origin is typing.Literal:
        name = names.use("typing", "Any" if tp is Any else "Literal")
        return name if tp is Any else f"{name}[{', '.join(map(repr, args))}]"
    if origin in (typing.Union, types.UnionType):
        return " | ".join(render(a, names, shadowed) for a in args)
    if origin is collections.abc.Callable:
        params, returned = args
        shown = "..." if params is Ellipsis else _joined(params, names, shadowed)
        callable_ = names.use("collections.abc", "Callable")
        return f"{callable_}[[{shown}], {render(returned, names, shadowed)}]"
    if origin is not None:
        return f"{render(origin, names, shadowed)}[{_joined(args, names, shadowed)}]"
    if isinstance(tp, type):
        return _class_name(tp, names, shadowed)
    raise TypeError(f"cannot render {tp!r}")


def _joined(types_: Any, names: Names, shadowed: frozenset[str]) -> str:
    return ", ".join(render(a, names, shadowed) for a in types_)


def _class_name(cls: type, names: Names, shadowed: frozenset[str]) -> str:
    if cls.__module__ == "builtins":
        if cls.__name__ in shadowed:
            names.builtins = True
            return f"builtins.{cls.__name__}"
        return cls.__name__
    if getattr(revox_async, cls.__name__, None) is cls:
        return names.use("revox_async", cls.__name__)
    module = "pathlib" if cls.__module__.startswith("pathlib.") else cls.__module__  # 3.13
    return names.use(module, cls.__qualname__)


def _default(value: Any) -> str:
    if value is NOT_GIVEN or not isinstance(value, bool | int | float | str | types.NoneType):
        return "..."
    return repr(value)


def _method(
    name: str,
    fn: Any,
    returns: Any,
    names: Names,
    shadowed: frozenset[str],
    doc: str | None,
    shown: inspect.Signature | None = None,
) -> list[str]:
    """``def name(self, ...) -> returns:`` with ``**kw: Unpack[TD]`` spelt out, and any
    keyword the endpoint machinery adds to what ``help()`` shows (``shown``)."""
    hints = get_type_hints(fn)
    params = list(inspect.signature(fn).parameters.values())[1:]
    positional: list[str] = []
    required: list[str] = []
    optional: list[str] = []
    declared = {p.name for p in params}
    for param in params:
        if param.kind is param.VAR_KEYWORD:
            typed_dict = get_args(hints[param.name])[0]
            declared |= set(typed_dict.__annotations__)
            for key, tp in get_type_hints(typed_dict).items():
                text = f"{key}: {render(tp, names, shadowed)}"
                if key in typed_dict.__required_keys__:
                    required.append(text)
                else:
                    optional.append(f"{text} = ...")
            continue
        text = f"{param.name}: {render(hints[param.name], names, shadowed)}"
        if param.default is not param.empty:
            text += f" = {_default(param.default)}"
        if param.kind is param.KEYWORD_ONLY:
            (required if param.default is param.empty else optional).append(text)
        else:
            positional.append(text)
    for param in shown.parameters.values() if shown is not None else ():
        if param.name not in declared:
            tp = _evaluated(param.annotation)
            default = "" if param.default is param.empty else f" = {_default(param.default)}"
            target = required if param.default is param.empty else optional
            target.append(f"{param.name}: {render(tp, names, shadowed)}{default}")
    keywords = [*required, *optional]
    signature = ", ".join(["self", *positional, *(["*", *keywords] if keywords else [])])
    head = f"    def {name}({signature}) -> {render(returns, names, shadowed)}:"
    body = _docstring(doc) if doc else ["        ..."]
    return [head, *body]


def _evaluated(annotation: Any) -> Any:
    """A parameter's annotation as a type (text is read where the machinery is written)."""
    if annotation is inspect.Parameter.empty:
        return Any
    if isinstance(annotation, str):
        return eval(annotation, vars(sys.modules["revox_async._endpoint"]))
    return annotation


def _docstring(doc: str) -> list[str]:
    text = inspect.cleandoc(doc).replace("\\", "\\\\")
    lines = text.splitlines()
    if len(lines) == 1:
        return [f'        """{lines[0]}"""']
    out = [f'        """{lines[0]}']
    out += [f"        {line}".rstrip() for line in lines[1:]]
    return [*out, '        """']


def _returns(declared: Any, *, sync: bool, raw: bool) -> Any:
    result = declared
    if raw:
        result = revox_async.RawResponse[result]  # type: ignore[name-defined]
    return result if sync else collections.abc.Awaitable[result]


def _members(cls: type) -> list[tuple[str, Any]]:
    return [(n, m) for n, m in vars(cls).items() if not n.startswith("_")]


def facade(cls: type, mode: str, *, raw: bool, names: Names, live: Any) -> list[str]:
    """One resource in one mode as a Protocol class (``live``: that form of it, on a client)."""
    sync = mode == "Sync"
    members = _members(cls)
    shadowed = frozenset(n for n, _ in members) & {"list", "dict", "type"}
    title = f"{mode}{cls.__name__}{'Raw' if raw else ''}"
    where = f"{mode}Revox().{ATTRIBUTES[cls.__name__]}" + (".with_raw_response" if raw else "")
    out = [f"class {title}({names.use('typing', 'Protocol')}):", f'    """``{where}``."""', ""]
    for name, member in members:
        doc = member.__doc__
        doc = _sync_doc(doc) if sync else doc
        if isinstance(member, endpoint):
            declared = get_args(get_type_hints(member._fn)["return"])[0]
            returns = _returns(declared, sync=sync, raw=raw)
            shown = inspect.signature(getattr(live, name))
            out += [*_method(name, member._fn, returns, names, shadowed, doc, shown), ""]
        elif raw:
            continue
        elif isinstance(member, operation):
            declared = get_type_hints(member._fn)["return"]
            returns = _returns(declared, sync=sync, raw=False)
            shown = inspect.signature(getattr(live, name))
            out += [*_method(name, member._fn, returns, names, shadowed, doc, shown), ""]
        elif isinstance(member, property):
            if name != "with_raw_response":
                raise TypeError(f"{cls.__name__}.{name}: a property the generator does not know")
            out += ["    @property", f"    def {name}(self) -> {mode}{cls.__name__}Raw:"]
            out += [*_docstring(member.__doc__ or ""), ""]
        elif callable(member):
            if sync and name in ASYNC_ONLY:
                continue
            fn = _for_mode(member, mode)
            returns = get_type_hints(fn)["return"]
            out += [*_method(name, fn, returns, names, shadowed, doc), ""]
    return out[:-1]


def _for_mode(fn: Any, mode: str) -> Any:
    """A plain method, or its overload whose ``self`` is annotated for ``mode``."""
    mode_type = {"Async": Async, "Sync": Sync}[mode]
    for overload in typing.get_overloads(fn):
        self_type = get_type_hints(overload).get("self")
        if self_type is not None and get_args(self_type) == (mode_type,):
            return overload
    return fn


def generate() -> str:
    """The module's text."""
    names = Names()
    classes: list[str] = []
    checks: list[str] = []
    resources = [getattr(revox_async, n) for n in ATTRIBUTES]
    clients = {
        "Async": revox_async.AsyncRevox(api_key="k", base_url=LOOPBACK),
        "Sync": revox_async.SyncRevox(api_key="k", base_url=LOOPBACK),
    }
    for cls in resources:
        for mode, client in clients.items():
            for raw in (False, True):
                live = getattr(client, ATTRIBUTES[cls.__name__])
                live = live.with_raw_response if raw else live
                classes += ["", "", *facade(cls, mode, raw=raw, names=names, live=live)]
        name = cls.__name__
        # where it is defined (its ``__module__`` says ``revox_async`` once publicly reached)
        names.use(vars(cls)["with_raw_response"].fget.__module__, name)
        checks += [
            "",
            f"    def _{ATTRIBUTES[name]}(",
            f"        a: {name}[Async],",
            f"        s: {name}[Sync],",
            f"        ar: {name}[Raw[Async]],",
            f"        sr: {name}[Raw[Sync]],",
            f"    ) -> tuple[Async{name}, Sync{name}, Async{name}Raw, Sync{name}Raw]:",
            "        return a, s, ar, sr",
        ]
    clients["Sync"].close()
    for name in ("Async", "Raw", "Sync"):
        names.use("revox_async._endpoint", name)
    protocol_import = names.modules.pop("typing", set()) - {"Protocol"}
    imports = names.lines()
    typing_names = ", ".join(sorted({"TYPE_CHECKING", "Protocol", *protocol_import}))
    text = [
        HEADER + f"from typing import {typing_names}",
        "",
        "if TYPE_CHECKING:",
        *imports,
        "",
        "__all__ = [",
        *sorted(f'    "{c[6:].split("(")[0]}",' for c in classes if c.startswith("class ")),
        "]",
        *classes,
        "",
        "",
        "if TYPE_CHECKING:  # mypy: each resource, in each mode, conforms to its facade",
        *checks[1:],
        "",
    ]
    return _ruff("\n".join(text))


def _ruff(text: str) -> str:
    """``text`` with its imports sorted and formatted as ruff does (the repo's settings)."""
    for command in (["check", "--fix", "--select", "I", "--quiet"], ["format", "--quiet"]):
        text = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "--stdin-filename", str(TARGET), "-"],
            input=text,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return text


def models_block() -> str:
    """The imports of every public model, each from the first module of
    ``revox_async._MODELS`` that exports it, a few names per line."""
    lines, seen = [], set(revox_async._LAZY)
    for module in revox_async._MODELS:
        exported = importlib.import_module(f"revox_async._models.{module}").__all__
        names = sorted(set(exported) & set(revox_async.__all__) - seen)
        seen.update(names)
        head = f"    from ._models.{module} import "
        if len(head) + len(", ".join(names)) <= 99:
            lines.append(head + ", ".join(names))
        else:
            text = ", ".join(names) + ","
            wrapped = textwrap.wrap(text, 99, initial_indent=" " * 8, subsequent_indent=" " * 8)
            lines += [head + "(", *wrapped, "    )"]
    return BEGIN + "\n".join(lines) + "\n" + END


def init_text() -> str:
    """``INIT`` with its models' imports as `models_block` writes them now."""
    text = INIT.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + models_block() + text[end:]


def main(argv: list[str]) -> int:
    for target, text in ((TARGET, generate()), (INIT, init_text())):
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if "--check" not in argv:
            target.write_text(text, encoding="utf-8")
        elif current != text:
            print(f"{target} is out of date: run python scripts/gen_facades.py")
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
