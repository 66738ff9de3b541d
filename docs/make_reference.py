"""Write docs/reference.md, the reference of every public name, from the code and its docstrings.

``python docs/make_reference.py`` writes the page; :func:`reference_markdown` returns it, so a test can
check that the page still matches the code. The page covers ``labsim.__all__`` and the ``__all__`` of every
subpackage the README and the other pages tell users to import from (:data:`MODULES`). A name exported by
several of them is described once, under the first module of :data:`MODULES` that exports it, with its other
import paths noted. Nothing on the page depends on the machine: defaults are shown without memory addresses or
absolute paths, sets are sorted, and names come in ``__all__`` order.
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import functools
import importlib
import inspect
import os
import re
import sys
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

MODULES = (
    "labsim",
    "labsim.policy",
    "labsim.policy.library",
    "labsim.experiments",
    "labsim.calibration",
    "labsim.plotting",
    "labsim.report",
    "labsim.testing",
    "labsim.results",
    "labsim.simulation",
    "labsim.batch",
    "labsim.rng",
    "labsim.errors",
)
"""The modules whose ``__all__`` the page covers, in the order of the page; the first wins a shared name."""

BRIEF = frozenset({"labsim.policy.library"})
"""Modules listed as a table only: the built-in efforts, which docs/efforts.md describes in full."""

_WIDTH = 100
"""A signature longer than this is written one parameter per line."""

_SHORT = 80
"""A constant whose repr is at most this long is shown by value, a longer one by its type and size."""

_PACKAGE_DIR = Path(importlib.import_module("labsim").__file__ or "").resolve().parent
_ROLE = re.compile(r":(?:class|func|meth|attr|data|mod|obj|exc|const|py:\w+):`(~?)([^`]+)`")
_ADDRESS = re.compile(r" at 0x[0-9A-Fa-f]+")
_UNDERLINE = re.compile(r"^(-{3,}|={3,})$")
_LIST_SECTIONS = frozenset({"Parameters", "Attributes", "Returns", "Yields", "Raises", "Warns", "Other Parameters",
                            "Keys", "Columns", "Fields"})


class _Text:
    """Text that a signature prints as it is (no quotes): an annotation or a default made deterministic."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


# ---------------------------------------------------------------------------------------------- signatures


def _default_text(value: Any) -> str:
    """A default value as the page shows it: the same on every machine and every run."""
    if isinstance(value, enum.Enum):
        names = str(value.name).split("|") if value.name else [str(value.value)]
        return " | ".join(f"{type(value).__name__}.{name}" for name in names)
    if inspect.isclass(value) or inspect.isroutine(value):
        return getattr(value, "__qualname__", getattr(value, "__name__", repr(value)))
    if isinstance(value, set | frozenset):
        items = ", ".join(sorted(_default_text(item) for item in value))
        return f"{type(value).__name__}({{{items}}})" if value else f"{type(value).__name__}()"
    if isinstance(value, os.PathLike):
        path = Path(value)
        if path.is_absolute():
            try:
                return f"Path('<labsim>/{path.resolve().relative_to(_PACKAGE_DIR).as_posix()}')"
            except ValueError:
                return f"Path('<{path.name}>')"
        return f"Path({path.as_posix()!r})"
    text = _ADDRESS.sub("", repr(value))
    if len(text) > 2 * _SHORT:
        text = f"{type(value).__name__}(...)"
    return text


def _annotation_text(annotation: Any) -> str:
    if isinstance(annotation, str):  # every labsim module uses ``from __future__ import annotations``
        return annotation
    return inspect.formatannotation(annotation)


def _signature(func: Callable[..., Any], *, drop_first: bool = False, name: str = "") -> str:
    """``name(params) -> return`` with annotations as written in the source and deterministic defaults."""
    signature = inspect.signature(func)
    params = list(signature.parameters.values())[1 if drop_first else 0:]
    params = [
        param.replace(
            annotation=param.empty if param.annotation is param.empty else _Text(_annotation_text(param.annotation)),
            default=param.empty if param.default is param.empty else _Text(_default_text(param.default)),
        )
        for param in params
    ]
    returns = signature.return_annotation
    signature = signature.replace(
        parameters=params,
        return_annotation=signature.empty if returns is signature.empty else _Text(_annotation_text(returns)),
    )
    text = f"{name}{signature}"
    if len(text) <= _WIDTH or not params:
        return text
    rendered = str(signature.replace(return_annotation=signature.empty))[1:-1]
    pieces = _split_top_level(rendered)
    tail = "" if returns is inspect.Signature.empty else f" -> {_annotation_text(returns)}"
    return f"{name}(\n" + "".join(f"    {piece},\n" for piece in pieces) + f"){tail}"


def _split_top_level(text: str) -> list[str]:
    """Split a parameter list on the commas outside brackets and quotes."""
    pieces, depth, quote, start = [], 0, "", 0
    for i, char in enumerate(text):
        if quote:
            if char == quote and text[i - 1] != "\\":
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            pieces.append(text[start:i].strip())
            start = i + 1
    pieces.append(text[start:].strip())
    return pieces


def _init_is_own(cls: type) -> bool:
    """Whether the constructor's signature is labsim's (its own or a dataclass's), not a built-in's."""
    for klass in cls.__mro__:
        init = vars(klass).get("__init__", vars(klass).get("__new__"))
        if init is not None:
            module = getattr(init, "__module__", None) or ""
            return module.startswith("labsim") and not issubclass(klass, enum.Enum)
    return False


# ---------------------------------------------------------------------------------------------- docstrings


def own_doc(obj: Any) -> str | None:
    """The docstring written for ``obj`` itself, or ``None``: not a dataclass's generated one, not a base class's."""
    if inspect.isclass(obj):
        doc = vars(obj).get("__doc__")
        if doc and dataclasses.is_dataclass(obj) and doc.startswith(f"{obj.__name__}("):
            return None
    elif isinstance(obj, property | functools.cached_property):
        doc = obj.__doc__
    else:
        doc = getattr(obj, "__doc__", None)
    return inspect.cleandoc(doc) if isinstance(doc, str) and doc.strip() else None


def thin(doc: str | None) -> bool:
    """Whether a docstring is missing, empty or a single word."""
    return doc is None or len(doc.split()) <= 1


def _assignment(module: str, name: str, seen: frozenset[str] = frozenset()) -> tuple[str | None, str | None]:
    """The source text of the value assigned to ``module.name`` and its attribute docstring (the string right
    after the assignment), following ``from … import`` to the module that assigns it."""
    if module in seen:
        return None, None
    source_file = getattr(importlib.import_module(module), "__file__", None)
    if source_file is None:
        return None, None
    source = Path(source_file).read_text(encoding="utf-8")
    body = ast.parse(source).body
    for i, node in enumerate(body):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            value = getattr(node, "value", None)
            text = ast.get_source_segment(source, value) if value is not None else None
            following = body[i + 1] if i + 1 < len(body) else None
            if (isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)
                    and isinstance(following.value.value, str)):
                return text, inspect.cleandoc(following.value.value)
            return text, None
    for node in body:
        if isinstance(node, ast.ImportFrom) and node.module and any(
            (alias.asname or alias.name) == name for alias in node.names
        ):
            return _assignment(node.module, name, seen | {module})
    return None, None


def _constant_doc(module: str, name: str) -> str | None:
    """The attribute docstring of the constant ``module.name``."""
    return _assignment(module, name)[1]


def _role(match: re.Match[str]) -> str:
    tilde, target = match.groups()
    target = target.removesuffix("()")
    return f"`{target.rsplit('.', 1)[-1] if tilde else target}`"


def _inline(line: str) -> str:
    """reST inline markup as Markdown: roles and double back-quotes become code."""
    line = _ROLE.sub(_role, line)
    return re.sub(r"``([^`]+)``", r"`\1`", line)


def _sections(lines: list[str]) -> Iterator[tuple[str, list[str]]]:
    """Split numpy-style docstring lines into (section title, lines); the opening text has title ``""``."""
    title = ""
    chunk: list[str] = []
    i = 0
    while i < len(lines):
        if i + 1 < len(lines) and lines[i].strip() and _UNDERLINE.match(lines[i + 1].strip()) \
                and not lines[i].startswith(" "):
            yield title, chunk
            title, chunk = lines[i].strip(), []
            i += 2
            continue
        chunk.append(lines[i])
        i += 1
    yield title, chunk


def _definition_list(lines: list[str]) -> list[str]:
    """``term:`` lines with indented descriptions as a Markdown list: ``- `term` — description``."""
    items: list[tuple[str, list[str]]] = []
    loose: list[str] = []
    for line in lines:
        if not line.strip():
            if items:
                items[-1][1].append("")
            continue
        if not line.startswith(" "):
            term = line.strip().removesuffix(":")
            items.append((term, []))
        elif items:
            items[-1][1].append(line.strip())
        else:
            loose.append(line.strip())
    out = [_inline(line) for line in loose]
    for term, description in items:
        paragraphs = " ".join(line if line else "\n" for line in description).split("\n")
        text = "<br>".join(p.strip() for p in paragraphs if p.strip())
        head, _, annotation = term.partition(" : ")
        label = f"`{head.strip()}`" + (f" ({_inline(annotation.strip())})" if annotation else "")
        out.append(f"- {label}" + (f" — {_inline(text)}" if text else ""))
    return out


def _body(lines: list[str]) -> list[str]:
    """Free text: doctest blocks and ``::`` literal blocks fenced, inline markup converted."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith(">>>"):
            indent = len(line) - len(line.lstrip())
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i][indent:])
                i += 1
            out += ["```pycon", *block, "```"]
            continue
        if line.rstrip().endswith("::") and i + 1 < len(lines):
            out.append(_inline(line.rstrip()[:-1]))
            i += 1
            block = []
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith(" ")):
                block.append(lines[i])
                i += 1
            while block and not block[0].strip():
                block.pop(0)
            while block and not block[-1].strip():
                block.pop()
            indent = min((len(b) - len(b.lstrip()) for b in block if b.strip()), default=0)
            out += ["", "```", *(b[indent:] for b in block), "```", ""]
            continue
        out.append(_inline(line.strip()) if not line.startswith("    ") else _inline(line))
        i += 1
    return out


def markdown_doc(doc: str | None) -> list[str]:
    """A numpy-style docstring as Markdown lines (``*No docstring.*`` when there is none)."""
    if not doc:
        return ["*No docstring.*"]
    out: list[str] = []
    for title, chunk in _sections(doc.splitlines()):
        while chunk and not chunk[0].strip():
            chunk.pop(0)
        while chunk and not chunk[-1].strip():
            chunk.pop()
        if title:
            out += ["", f"**{_inline(title)}**", ""]
        if title.split(" (")[0] in _LIST_SECTIONS:
            cut = next((i for i, line in enumerate(chunk) if line.lstrip().startswith(">>>")), len(chunk))
            out += _definition_list(chunk[:cut])
            if cut < len(chunk):
                out += ["", *_body(chunk[cut:])]
        else:
            out += _body(chunk)
    while out and not out[0]:
        out.pop(0)
    return out


# ---------------------------------------------------------------------------------------------- the page


class _Entry:
    """A public name at its home module, with its other import paths."""

    def __init__(self, module: str, name: str, obj: Any) -> None:
        self.module, self.name, self.obj = module, name, obj
        self.also: list[str] = []


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _kind(obj: Any) -> str:
    if inspect.isclass(obj):
        if issubclass(obj, Warning):
            return "warning"
        if issubclass(obj, BaseException):
            return "exception"
        if issubclass(obj, enum.Enum):
            return "enum"
        if getattr(obj, "_is_protocol", False):
            return "protocol"
        if dataclasses.is_dataclass(obj):
            return "dataclass"
        return "class"
    if inspect.isroutine(obj):
        return "function"
    if typing.get_origin(obj) is not None:
        return "type alias"
    return "constant"


def _bases(cls: type) -> list[str]:
    skip = {object, enum.Enum, enum.IntEnum, enum.IntFlag, enum.Flag, int}
    names = []
    for base in cls.__bases__:
        if base in skip or base.__name__ in {"Protocol", "Generic"} or base.__name__.startswith("_"):
            continue
        module = base.__module__
        names.append(f"`{base.__name__}`" if module in {"builtins"} else f"`{module}.{base.__qualname__}`")
    return names


def _members(cls: type) -> Iterator[tuple[str, Any, str]]:
    """Public methods and properties defined in labsim: (name, object, kind), the class's own first."""
    seen: set[str] = set()
    for klass in cls.__mro__:
        if not klass.__module__.startswith("labsim"):
            continue
        for name, value in vars(klass).items():
            if name.startswith("_") or name in seen:
                continue
            if isinstance(value, property | functools.cached_property):
                kind = "property"
            elif isinstance(value, classmethod):
                kind = "classmethod"
            elif isinstance(value, staticmethod):
                kind = "staticmethod"
            elif inspect.isfunction(value):
                kind = "method"
            else:
                continue
            seen.add(name)
            yield name, value, kind


def _property_type(value: property | functools.cached_property[Any]) -> str:
    getter = value.fget if isinstance(value, property) else value.func
    if getter is None:
        return ""
    returns = inspect.signature(getter).return_annotation
    return "" if returns is inspect.Signature.empty else f": {_annotation_text(returns)}"


def _member_lines(cls: type) -> list[str]:
    lines: list[str] = []
    for name, value, kind in _members(cls):
        title = f"{cls.__name__}.{name}"
        if kind == "property":
            code = f"{name}{_property_type(value)}"
            doc = inspect.getdoc(value)
        elif kind == "staticmethod":
            code = _signature(value.__func__, name=name)
            doc = inspect.getdoc(value.__func__)
        else:
            func = value.__func__ if kind == "classmethod" else value
            code = _signature(func, drop_first=True, name=name)
            doc = inspect.getdoc(getattr(cls, name))
        lines += ["", f"#### `{title}`", "", f"*{kind}*", "", "```python", code, "```", "", *markdown_doc(doc)]
    return lines


def _constant_value(obj: Any) -> str:
    text = _ADDRESS.sub("", repr(obj))
    if isinstance(obj, set | frozenset):
        text = _default_text(obj)
    if len(text) <= _SHORT:
        return f"`{text}`"
    plain = (str, int, float)
    if isinstance(obj, tuple | list) and all(isinstance(item, plain) for item in obj) and len(text) <= 3 * _SHORT:
        return f"`{text}`"
    if isinstance(obj, dict) and obj and all(isinstance(key, str) for key in obj):
        keys = ", ".join(f"`{key}`" for key in obj)
        return f"a `dict` of {len(obj)} entr{'y' if len(obj) == 1 else 'ies'}, by key: {keys}"
    size = f" of {len(obj)} entr{'y' if len(obj) == 1 else 'ies'}" if hasattr(obj, "__len__") else ""
    return f"a `{type(obj).__name__}`{size}"


def _entries() -> dict[str, list[_Entry]]:
    """Every public name once, under the first module of :data:`MODULES` that exports it."""
    modules = {name: importlib.import_module(name) for name in MODULES}
    homes: dict[tuple[int, str], _Entry] = {}
    by_module: dict[str, list[_Entry]] = {name: [] for name in MODULES}
    for module_name, module in modules.items():
        for name in module.__all__:
            obj = getattr(module, name)
            key = (id(obj), "" if inspect.isclass(obj) or inspect.isroutine(obj) else name)
            if key in homes:
                homes[key].also.append(f"{module_name}.{name}")
                continue
            entry = _Entry(module_name, name, obj)
            homes[key] = entry
            by_module[module_name].append(entry)
    return by_module


def _defined_in(obj: Any) -> str:
    module = getattr(obj, "__module__", None)
    return f"defined in `{module}`" if isinstance(module, str) else ""


def _entry_lines(entry: _Entry) -> list[str]:
    obj, kind = entry.obj, _kind(entry.obj)
    facts = [f"*{kind}*"]
    if inspect.isclass(obj) and _bases(obj):
        facts.append("subclass of " + ", ".join(_bases(obj)))
    if kind not in ("constant", "type alias"):
        facts.append(_defined_in(obj))
    if entry.also:
        facts.append("also importable as " + ", ".join(f"`{path}`" for path in entry.also))
    lines = ["", f"### `{entry.module}.{entry.name}`", "", " · ".join(facts), ""]
    if kind == "type alias":  # as written: the repr of a union names private modules and varies by version
        source, doc = _assignment(entry.module, entry.name)
        lines += ["```python", f"{entry.name} = {source}", "```", "", *markdown_doc(doc)]
        return lines
    if kind == "constant":
        lines += [f"Value: {_constant_value(obj)}", "", *markdown_doc(_constant_doc(entry.module, entry.name))]
        return lines
    if inspect.isroutine(obj):
        lines += ["```python", _signature(obj, name=entry.name), "```", ""]
    elif _init_is_own(obj):
        lines += ["```python", _signature(obj, name=entry.name).removesuffix(" -> None"), "```", ""]
    lines += markdown_doc(own_doc(obj))
    if kind == "enum":
        members = ", ".join(f"`{member.name}` ({int(member.value)})" if isinstance(member.value, int)
                            else f"`{member.name}`" for member in obj)
        lines += ["", f"**Members:** {members}"]
    if inspect.isclass(obj):
        lines += _member_lines(obj)
    return lines


def _brief_lines(module_name: str, entries: list[_Entry]) -> list[str]:
    lines = ["", "| name | kind | summary |", "|---|---|---|"]
    for entry in entries:
        doc = own_doc(entry.obj) if inspect.isroutine(entry.obj) else _constant_doc(module_name, entry.name)
        summary = _inline((doc or "").split("\n\n")[0].replace("\n", " "))
        if inspect.isroutine(entry.obj):
            name = f"[`{entry.name}`](efforts.md#{_slug(entry.name)})"
        else:
            name = f"`{entry.name}`"
        summary = summary.replace("|", "\\|")
        lines.append(f"| {name} | {_kind(entry.obj)} | {summary} |")
    return lines


def reference_markdown() -> str:
    """Markdown describing every public name: kind, signature and docstring, grouped by module."""
    by_module = _entries()
    count = sum(len(entries) for entries in by_module.values())
    lines = [
        "# API reference",
        "",
        "Written by `python docs/make_reference.py` from the code and its docstrings; a test checks that it",
        f"matches the code. It describes the {count} public names: everything in `labsim.__all__` and in the",
        "`__all__` of the subpackages the README and the other pages import from. A name exported in several",
        "places is described once, under the module to import it from, with its other import paths noted.",
        "Classes list their public methods and properties; a dataclass's fields are the parameters of its",
        "signature.",
        "",
        "## Contents",
        "",
    ]
    for module_name, entries in by_module.items():
        links = ", ".join(f"[`{e.name}`](#{_slug(f'{module_name}.{e.name}')})" for e in entries)
        lines.append(f"- [`{module_name}`](#{_slug(module_name)}) — {links}")
    for module_name, entries in by_module.items():
        module: ModuleType = importlib.import_module(module_name)
        summary = (inspect.getdoc(module) or "").split("\n\n")[0]
        lines += ["", f"## `{module_name}`", "", *(_inline(line) for line in summary.splitlines())]
        if module_name in BRIEF:
            lines += ["", "Listed here by their summary; [efforts.md](efforts.md) describes each factory with its "
                      "evidence, defaults, capacity and costs."]
            lines += _brief_lines(module_name, entries)
            continue
        for entry in entries:
            lines += _entry_lines(entry)
    slugs = [_slug(line.lstrip("#").replace("`", "")) for line in lines if re.match(r"#{2,4} `", line)]
    twice = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if twice:  # GitHub would number the second heading and a link of the contents would miss it
        raise RuntimeError(f"headings with the same anchor: {twice}")
    text = "\n".join(lines) + "\n"
    return re.sub(r"\n{3,}", "\n\n", text)


def missing_docstrings() -> list[str]:
    """Public names and public methods whose docstring is missing, empty or one word."""
    found = []
    for entries in _entries().values():
        for entry in entries:
            obj, path = entry.obj, f"{entry.module}.{entry.name}"
            if _kind(obj) in ("constant", "type alias"):
                if thin(_constant_doc(entry.module, entry.name)):
                    found.append(path)
                continue
            if thin(own_doc(obj)):
                found.append(path)
            if inspect.isclass(obj):
                for name, value, kind in _members(obj):
                    target = value.__func__ if kind in {"classmethod", "staticmethod"} else value
                    if thin(inspect.getdoc(target)):
                        found.append(f"{path}.{name}")
    return found


if __name__ == "__main__":
    if "--missing" in sys.argv:
        print("\n".join(missing_docstrings()) or "every public name has a docstring")
    else:
        target = Path(__file__).with_name("reference.md")
        target.write_text(reference_markdown(), encoding="utf-8")
        print(f"wrote {target}")
