"""Reading labsim's text files: from a path or from the package's data, with errors that name the file.

Besides reading, this module holds what every labsim TOML file obeys, whatever its kind: tables and lists
nest at most :data:`MAX_DEPTH` deep, every number is finite and every integer fits TOML's 64 bits
(:func:`parse_toml`); the paths a file names stay in its folder tree unless the user allows otherwise
(:class:`FileTree`); and a problem is reported as a :class:`Problem` — where, the rule, the bad value shortened
to a line (:func:`shown`).
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from labsim.calendar import EPOCH_YEAR, month_year, parse_month
from labsim.errors import CalendarError, ValidationError
from labsim.files import input as files_input

__all__ = ["read_text", "packaged_text", "parse_toml", "merge_tables", "toml_problems", "Problem", "shown", "month_text",
           "problems_line", "FileTree", "absolute", "file_month", "MONTH_RULE", "MAX_DEPTH", "SHOWN_CHARACTERS", "YEARS",
           "CALENDAR_MONTHS"]

MAX_DEPTH = 64
"""The deepest nesting of tables and lists a labsim TOML file may have. A scenario nests five deep
(``strategies.<name>.efforts[i].states[j]``); the bound keeps a file of brackets from exhausting the stack of
the parser and of everything that walks the tables after it."""

SHOWN_CHARACTERS = 80
"""An error message shows a bad value in at most about this many characters, so that a long value does not
become a long message."""

YEARS = (EPOCH_YEAR, 2200)
"""The years a month or period in a labsim file may fall in: from 1900, where labsim's month numbers start, to
2200, two centuries past any projection. A year outside is a typo (``"2202-01"``, ``"0202-01"``)."""

CALENDAR_MONTHS = (YEARS[1] - YEARS[0] + 1) * 12
"""The months from January 1900 to December 2200 (3,612): the longest span — a run, a recession, an effort's
phases — a file may write."""

_MESSAGE_CHARACTERS = 1000
"""One problem's words are cut after this many characters (a list of what is allowed can be long)."""

_PROBLEMS_SHOWN = 20
"""An error lists at most this many problems and then says how many more there are."""

_INT64 = (-(2**63), 2**63 - 1)
"""TOML's integers: 64-bit signed (toml.io, v1.0.0 "Integer")."""


def read_text(path: str | Path, what: str, error: type[ValidationError]) -> str:
    """The file's text; ``error`` naming the file and ``what`` it should be when it cannot be read (not a
    regular file, too large, not UTF-8: :func:`labsim.files.input.read_text`)."""
    return files_input.read_text(path, what, error)


def packaged_text(name: str) -> str:
    """A data file shipped in ``labsim/data``."""
    return resources.files("labsim.data").joinpath(name).read_text(encoding="utf-8")


def parse_toml(text: str, name: str, error: type[ValidationError]) -> dict[str, Any]:
    """Parsed TOML; ``error`` naming the file when it is not valid TOML, nests more than :data:`MAX_DEPTH` deep,
    or holds a number that is not finite or an integer beyond 64 bits (:func:`toml_problems`)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise error(f"{name}: not valid TOML ({problem}).") from None
    except RecursionError:
        line = _deep_line(text)
        raise error(f"{name}: {f'line {line}: ' if line else ''}tables and lists nest more than {MAX_DEPTH} deep; "
                    f"labsim reads at most {MAX_DEPTH} levels.") from None
    except ValueError as problem:  # an integer of thousands of digits
        raise error(f"{name}: not valid TOML ({shown(str(problem))[1:-1]}).") from None
    problems = toml_problems(data)
    if problems:
        raise error(problems_line(name, problems))
    return data


def _deep_line(text: str) -> int | None:
    """The line on which brackets and braces first nest deeper than :data:`MAX_DEPTH` (strings and comments
    skipped), or ``None``; a cheap scan for the error of a file too deep to parse."""
    depth, line, i, quote = 0, 1, 0, ""
    while i < len(text):
        char = text[i]
        if quote:
            if text.startswith(quote, i):
                i, quote = i + len(quote), ""
                continue
            i += 2 if char == "\\" and quote[0] == '"' else 1
            line += char == "\n"
            continue
        if char in "\"'":
            quote = char * 3 if text.startswith(char * 3, i) else char
            i += len(quote)
            continue
        if char == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        line += char == "\n"
        depth += (char in "[{") - (char in "]}")
        if depth > MAX_DEPTH:
            return line
        i += 1
    return None


def toml_problems(data: dict[str, Any]) -> list[Problem]:
    """What breaks the rules every labsim file obeys: nesting deeper than :data:`MAX_DEPTH`, a number that is not
    finite (TOML writes ``inf`` and ``nan``; ``1e400`` is read as ``inf``), an integer beyond TOML's 64 bits.

    The tables are walked without recursion, so that a deep file cannot exhaust the stack here.
    """
    problems = []
    for path, value, depth in _walk(data):
        if depth > MAX_DEPTH:
            problems.append(Problem(path, f"tables and lists nest more than {MAX_DEPTH} deep; labsim reads at most "
                                          f"{MAX_DEPTH} levels"))
        elif isinstance(value, float) and not math.isfinite(value):
            problems.append(Problem(path, "must be a finite number", value))
        elif isinstance(value, int) and not isinstance(value, bool) and not _INT64[0] <= value <= _INT64[1]:
            problems.append(Problem(path, "must be an integer of 64 bits, from -2**63 to 2**63 - 1 (TOML's "
                                          "integers)", value))
    return problems


def _walk(data: dict[str, Any]) -> Iterator[tuple[str, Any, int]]:
    """``(dotted path, value, depth)`` of every value under ``data``, depth first, in file order; a table or list
    deeper than :data:`MAX_DEPTH` is given but not entered."""
    stack: list[tuple[str, Any, int]] = [("", data, 0)]
    while stack:
        path, value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                yield path, value, depth
                continue
            items = list(value.items()) if isinstance(value, dict) else list(enumerate(value))
            stack.extend((_joined(path, key), item, depth + 1) for key, item in reversed(items))
        elif path:
            yield path, value, depth


def _joined(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


MONTH_RULE = f"must be a month like '2024-01' of the years {YEARS[0]}–{YEARS[1]}"
"""The rule :func:`file_month` holds a month to, for a :class:`Problem`."""


def file_month(value: Any, where: str) -> int:
    """The month number of a month a file writes (``"YYYY-MM"`` in the :data:`YEARS`);
    :class:`~labsim.errors.CalendarError` naming ``where`` otherwise."""
    try:
        month = parse_month(value, field=where) if isinstance(value, str) and len(value) < 10 else None
    except CalendarError:
        month = None
    if month is None or not YEARS[0] <= month_year(month) <= YEARS[1]:
        raise CalendarError(f"{where} {MONTH_RULE}; got {shown(value)}.")
    return month


def month_text(value: Any) -> str:
    """A month a file writes, as its text, for a schema's validator: ``ValueError`` with :data:`MONTH_RULE` when it
    is not one (the rule of :func:`file_month`)."""
    try:
        file_month(value, "a month")
    except CalendarError:
        raise ValueError(MONTH_RULE) from None
    return str(value)


def merge_tables(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``override`` over ``base``: tables merge key by key, anything else is replaced (a new dict; inputs unchanged)."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_tables(out[key], value)
        else:
            out[key] = value
    return out


def shown(value: Any) -> str:
    """``repr(value)`` for an error message, shortened to about :data:`SHOWN_CHARACTERS` characters (a huge
    integer is described by its size)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return f"an integer of {len(str(abs(value))) if value.bit_length() < 14_000 else 'thousands of'} digits"
    text = repr(value)
    if len(text) <= SHOWN_CHARACTERS:
        return text
    return f"{text[:SHOWN_CHARACTERS - 1]}… ({len(text):,} characters)"


def _clipped(message: str, limit: int = _MESSAGE_CHARACTERS) -> str:
    return message if len(message) <= limit else f"{message[:limit - 1]}…"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a file: where (dotted path), what rule, and the bad value (``None``: not shown —
    the value of a key labsim does not know is never shown, since the file may not be labsim's)."""

    path: str
    message: str
    value: Any = None

    def __str__(self) -> str:
        where, message = _clipped(self.path or "<file>", 2 * SHOWN_CHARACTERS), _clipped(self.message)
        if self.value is None or f"got {shown(self.value)}" in self.message:
            return f"{where}: {message}"
        return f"{where}: {message} (got {shown(self.value)})"


def problems_line(file: str, problems: Sequence[object]) -> str:
    """``"FILE: 3 problems: a; b; c"`` — at most a screenful of problems, then how many more there are."""
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    listed = [str(p) for p in problems[:_PROBLEMS_SHOWN]]
    if len(problems) > _PROBLEMS_SHOWN:
        listed.append(f"and {len(problems) - _PROBLEMS_SHOWN} more")
    return f"{file}: {count}: " + "; ".join(listed)


@dataclass(frozen=True, slots=True)
class FileTree:
    """The folder tree in which the paths a labsim file names (``extends``, a profile, a model file, patches, a
    study's scenario …) may lie: ``root`` and everything below it, or anywhere when ``root`` is ``None``.

    A file a user hands labsim may come from someone else; its paths should not reach files the user did not
    mean to give (``../../secret.toml``, ``/etc/hostname``, ``/dev/zero``). A path is inside when it is, written
    out with ``..`` resolved, or when the file it leads to is (symbolic links followed).
    """

    root: Path | None

    @classmethod
    def around(cls, file: str | Path, *, allow_outside: bool = False) -> FileTree:
        """The tree of ``file``: the working folder when the file lies inside it, else the file's own folder;
        anywhere with ``allow_outside``."""
        if allow_outside:
            return cls(None)
        here = Path.cwd()
        path = absolute(file)
        return cls(here if _inside(path, here) else path.parent)

    @classmethod
    def at(cls, folder: str | Path, *, allow_outside: bool = False) -> FileTree:
        """The tree below ``folder`` (anywhere with ``allow_outside``)."""
        return cls(None if allow_outside else absolute(folder))

    def refusal(self, path: Path) -> str | None:
        """Why the file at ``path`` (absolute) may not be read, or ``None`` when it may."""
        if self.root is None or _inside(path, self.root):
            return None
        return (f"lies outside {self.root}, the folder tree of the file; labsim reads files there only when "
                f"allowed (allow_outside=True, or --allow-outside on the command line)")


def absolute(path: str | Path) -> Path:
    """``path`` made absolute from the working folder with ``.`` and ``..`` taken out, links not followed."""
    return Path(os.path.abspath(path))


def _inside(path: Path, root: Path) -> bool:
    if absolute(path).is_relative_to(absolute(root)):
        return True
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError, ValueError):  # a loop of links, a path the system cannot take
        return False
