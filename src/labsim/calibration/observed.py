"""Observed series: what jobindsats.dk, Danmarks Statistik or a plan says a municipality had, per period.

A series file is a CSV with one row per observed value and the columns

=============== =============================================================================================
``municipality`` whose value it is
``period``       a month ``2020-07``, a quarter ``2021Q3``, a year ``2019`` or a span ``2020-01..2020-09``
``measure``      a state (``kontanthjaelp_jobparat``), states joined by ``+``, ``public_support``,
                 ``grouping:group`` (``broenderslev:permanente``), or a context measure
                 (:data:`CONTEXT_MEASURES`) that is shown but not simulated
``kind``         ``stock`` (an average over the period) or ``flow`` (a count of moves within it)
``value``        a number of at least 0
``unit``         ``fuldtidspersoner``, ``persons`` or ``percent``
``source``       where the number comes from (a plan's page and row); never empty
=============== =============================================================================================

Lines starting with ``#`` are comments. The file is UTF-8 text (a byte-order mark, as Excel writes it, is
dropped); the columns are separated by ``,``, ``;`` or a tab, whichever splits the header line, and with ``;`` (as
Danish Excel writes it) a value may have a decimal comma: ``1234,5``. A field holds at most :data:`FIELD_LIMIT`
characters.

:meth:`ObservedSeries.read_csv` checks every row and raises one :class:`ObservedError` listing every problem —
the file, the line, the column, the rule and the bad value. Two rows of the same municipality, measure, kind
and unit whose periods overlap are a problem too: a fit would count the same months twice.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from labsim.core.population_frame import shown, shown_list
from labsim.errors import FileProblemsError, LabsimError, ValidationError
from labsim.files.input import TEXT_LIMIT, read_text
from labsim.results import Measure, Observed, Period
from labsim.states import StateCatalogue, danish_catalogue

__all__ = ["ObservedSeries", "ObservedError", "KINDS", "UNITS", "COLUMNS", "CONTEXT_MEASURES", "CsvTable",
           "read_table", "read_rows", "parse_number", "FIELD_LIMIT", "SEPARATORS"]

COLUMNS: tuple[str, ...] = ("municipality", "period", "measure", "kind", "value", "unit", "source")
"""The columns of a series file."""

KINDS: tuple[str, ...] = ("stock", "flow")
"""A stock is an average over the period; a flow a count of moves within it."""

UNITS: tuple[str, ...] = ("fuldtidspersoner", "persons", "percent")
"""What a value counts (DOMAIN.md §4 for fuldtidspersoner)."""

CONTEXT_MEASURES: Mapping[str, str] = {
    "unemployment_rate": "gross unemployed as a percentage of the labour force (Danmarks Statistik, AUL)",
}
"""Measures a series file may hold for context, which labsim does not simulate (and so cannot fit)."""

SEPARATORS: tuple[str, ...] = (",", ";", "\t")
"""What may separate the columns of a CSV file labsim reads; the one that splits the header line into the most
columns is used (a comma when none does)."""

FIELD_LIMIT = 10_000
"""The most characters a field of a CSV file may hold: a source or a name is a line of text, and the bound keeps a
file with a broken quote from passing one huge field along."""

SHOWN_PROBLEMS = 20
"""The most problems an error message lists (:attr:`ObservedError.problems` holds all of them)."""

_LONGEST_PERIOD = 40
"""Longer than any period (``2020-01..2020-09``): a longer one is refused without parsing it."""

_LONGEST_MEASURE = 2_000
"""Longer than every state of a catalogue joined by ``+``: a longer measure is refused without looking it up."""


class ObservedError(FileProblemsError):
    """A series file breaks one or more rules; :attr:`problems` lists each (line, column, rule, bad value).

    The message lists the first :data:`SHOWN_PROBLEMS` and counts the rest."""

    def __init__(self, file: str, problems: Sequence[object]) -> None:
        super().__init__(file, problems)
        if len(self.problems) > SHOWN_PROBLEMS:
            first = "; ".join(str(p) for p in self.problems[:SHOWN_PROBLEMS])
            self.args = (f"{file}: {len(self.problems):,} problems: {first}; and "
                         f"{len(self.problems) - SHOWN_PROBLEMS:,} more",)


@dataclass(frozen=True, eq=False)
class ObservedSeries:
    """Checked observed values: :attr:`frame` has the file's columns plus ``first`` and ``last`` (months) and
    ``line`` (the row's line in the file).

    >>> import tempfile
    >>> from pathlib import Path
    >>> text = '''municipality,period,measure,kind,value,unit,source
    ... Brønderslev,2019,kontanthjaelp_jobparat+kontanthjaelp_aktivitetsparat,stock,319,fuldtidspersoner,"Beskæftigelsesplan 2021 p.18, B27"
    ... Brønderslev,2020-01..2020-09,kontanthjaelp_jobparat+kontanthjaelp_aktivitetsparat,stock,312,fuldtidspersoner,"Beskæftigelsesplan 2021 p.18, B27"
    ... Brønderslev,2020-07,unemployment_rate,stock,4.2,percent,"Beskæftigelsesplan 2021 p.6, B7"
    ... '''
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "broenderslev.csv"
    ...     _ = path.write_text(text, encoding="utf-8")
    ...     observed = ObservedSeries.read_csv(path)
    >>> observed.municipalities(), len(observed.frame)
    (['Brønderslev'], 3)
    >>> [series.values for series in observed.to_observed()]  # the context measure is shown, not simulated
    [{'2019': 319.0, '2020-01..2020-09': 312.0}]
    """

    frame: pd.DataFrame
    file: str = ""

    @classmethod
    def read_csv(cls, path: str | Path, catalogue: StateCatalogue | None = None) -> ObservedSeries:
        """Read and check a series file; raise :class:`ObservedError` listing every problem (only a regular file of
        at most :data:`~labsim.files.input.TEXT_LIMIT` bytes is read)."""
        name = str(path)
        table = read_table(path, "series file", ObservedError)
        _check_header(table.header, name)
        records = [[*cells, number] for number, cells in table.rows]
        if not records:
            raise ObservedError(name, [f"has a header (line {table.header_line}) but no rows"])
        raw = pd.DataFrame(records, columns=[*table.header, "line"])
        return cls.from_frame(raw, name, catalogue, decimal_comma=table.decimal_comma)

    @classmethod
    def from_frame(cls, raw: pd.DataFrame, name: str = "<series>", catalogue: StateCatalogue | None = None, *,
                   decimal_comma: bool = False) -> ObservedSeries:
        """Check a frame with the file's columns (all text, as read) as :meth:`read_csv` does; with
        ``decimal_comma`` a value may be written ``1234,5``."""
        catalogue = catalogue or danish_catalogue()
        _check_header([str(c) for c in raw.columns if c != "line"], name)
        problems: list[str] = []
        rows = []
        for index, row in enumerate(raw.to_dict("records")):  # plain dicts: a row of a frame costs 50 times more
            line = int(row["line"]) if "line" in raw.columns else index + 2  # the header is line 1
            here = f"line {line}"
            clean = {c: _text(row[c]) for c in COLUMNS}
            for column in ("municipality", "source"):
                if not clean[column]:
                    problems.append(f"{here}: {column} must not be empty" +
                                    (" (every number has a source)" if column == "source" else ""))
            period = None
            if len(clean["period"]) > _LONGEST_PERIOD:
                problems.append(f"{here}: period must be a year, a quarter, a month or a span; got "
                                f"{shown(clean['period'])}")
            else:
                try:
                    period = Period.parse(clean["period"], field=f"{here}: period")
                except LabsimError as error:
                    problems.append(str(error))
            if clean["kind"] not in KINDS:
                problems.append(f"{here}: kind must be one of {list(KINDS)}; got {shown(clean['kind'])}")
            if clean["unit"] not in UNITS:
                problems.append(f"{here}: unit must be one of {list(UNITS)}; got {shown(clean['unit'])}")
            problem = _measure_problem(clean["measure"], clean["unit"], catalogue)
            if problem:
                problems.append(f"{here}: measure {shown(clean['measure'])}: {problem}")
            value = parse_number(clean["value"], decimal_comma=decimal_comma)
            if value is None or not math.isfinite(value):
                problems.append(f"{here}: value must be a finite number; got {shown(clean['value'])}"
                                + _number_hint(clean["value"], decimal_comma))
                value = math.nan
            elif not value >= 0:
                problems.append(f"{here}: value must be a number of at least 0; got {shown(clean['value'])}")
            elif clean["unit"] == "percent" and value > 100:
                problems.append(f"{here}: value must be a percentage from 0 to 100; got {shown(clean['value'])}")
            rows.append({**clean, "value": float(value), "first": period.first if period else -1,
                         "last": period.last if period else -1, "line": line})
        frame = pd.DataFrame(rows, columns=[*COLUMNS, "first", "last", "line"])
        problems += _overlaps(frame)
        if problems:
            raise ObservedError(name, problems)
        return cls(frame, name)

    def municipalities(self) -> list[str]:
        """The municipalities the file holds, in order of appearance."""
        return list(dict.fromkeys(self.frame["municipality"]))

    def for_municipality(self, municipality: str) -> ObservedSeries:
        """The rows of one municipality."""
        known = self.municipalities()
        if municipality not in known:
            raise ValidationError(f"{self.file}: no rows for municipality {shown(municipality)}; there are "
                                  f"{shown_list(known)}.")
        return ObservedSeries(self.frame[self.frame["municipality"] == municipality].reset_index(drop=True),
                              self.file)

    def to_observed(self) -> tuple[Observed, ...]:
        """The stocks in fuldtidspersoner, one :class:`~labsim.results.Observed` per municipality and measure, to
        show beside a scenario's runs (context measures, flows, persons and percentages are left out)."""
        chosen = self.frame[(self.frame["kind"] == "stock") & (self.frame["unit"] == "fuldtidspersoner")
                            & ~self.frame["measure"].isin(list(CONTEXT_MEASURES))]
        out = []
        for (municipality, measure), rows in chosen.groupby(["municipality", "measure"], sort=False):
            states = tuple(str(measure).split("+"))
            name = f"{municipality}:{measure}" if len(self.municipalities()) > 1 else str(measure)
            sources = "; ".join(dict.fromkeys(rows["source"]))
            out.append(Observed(name, Measure("fte", states), dict(zip(rows["period"], rows["value"], strict=True)),
                                sources))
        return tuple(out)


@dataclass(frozen=True, slots=True)
class CsvTable:
    """A CSV file as labsim reads it (:func:`read_table`): the header's column names, the separator, and each row
    with the line it starts on."""

    header: list[str]
    separator: str
    header_line: int
    rows: Iterator[tuple[int, list[str]]]

    @property
    def decimal_comma(self) -> bool:
        """Whether numbers may have a decimal comma (the columns are separated by ``;``, as Danish Excel writes)."""
        return self.separator == ";"


def read_table(path: str | Path, what: str, error: type[FileProblemsError] = FileProblemsError, *,
               limit: int = TEXT_LIMIT) -> CsvTable:
    """A CSV file's header and an iterator of its rows (the module's conventions: UTF-8, ``#`` comments, the
    separator found from the header line, fields of at most :data:`FIELD_LIMIT` characters).

    Only a regular file of at most ``limit`` bytes is read. Anything wrong raises ``error`` naming the file ``what``
    should be, with the line (and column) where the rows are read: a row with more fields than the header, a field
    over the bound, a quote left open. Rows of blank fields are skipped; a trailing separator on every line (as some
    exporters write) is dropped. The rows are read as they are iterated, so a large file is never held as rows.
    """
    name = str(path)
    try:
        text = read_text(path, what, ValidationError, limit)
    except ValidationError as problem:
        said = "no such file" if not os.path.lexists(name) else str(problem).removeprefix(f"{Path(name)}: ")
        raise error(name, [said]) from None
    first = next(((number, line) for number, line in enumerate(io.StringIO(text, newline=""), 1)
                  if line.strip() and not line.lstrip().startswith("#")), None)
    if first is None:
        raise error(name, [f"is empty: no header line (a {what} starts with a line naming its columns)"])
    number, line = first
    separator = max(SEPARATORS, key=lambda candidate: len(_fields(line, candidate)))
    header = [cell.strip().lstrip("\ufeff").strip() for cell in _fields(line, separator)]
    while len(header) > 1 and not header[-1]:
        header.pop()
    long = next((cell for cell in header if len(cell) > FIELD_LIMIT), None)
    if long is not None:
        raise error(name, [f"line {number}: a column name of {len(long):,} characters; a field holds at most "
                           f"{FIELD_LIMIT:,} (is it a {what}?)"])
    return CsvTable(header, separator, number, _rows(text, number, separator, len(header), name, error))


def read_rows(path: str | Path, columns: tuple[str, ...]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """A CSV file's header and its rows with their line numbers (:func:`read_table`); a file that cannot be read or
    has no header raises :class:`ObservedError`."""
    table = read_table(path, "CSV file", ObservedError)
    return table.header, list(table.rows)


def _fields(line: str, separator: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=separator, skipinitialspace=True), [])
    except csv.Error:  # an open quote or an overlong field: the rows will say where
        return line.split(separator)


def _rows(text: str, header_line: int, separator: str, width: int, name: str,
          error: type[FileProblemsError]) -> Iterator[tuple[int, list[str]]]:
    lines = io.StringIO(text, newline="")
    for _ in range(header_line):
        next(lines)
    # comment lines become empty lines, so that the reader's line count stays the file's
    source = ("\n" if line.lstrip().startswith("#") else line for line in lines)
    reader = csv.reader(source, delimiter=separator, skipinitialspace=True)
    done = header_line
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as problem:
            raise error(name, [_csv_problem(problem, done + 1, reader.line_num + header_line)]) from None
        number, done = done + 1, reader.line_num + header_line
        while len(cells) > width and not cells[-1].strip():
            cells.pop()
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != width:
            hint = (" (a quote is left open)" if any("\n" in cell or "\r" in cell for cell in cells) else
                    f" (the columns are separated by {separator!r})" if len(cells) < width else "")
            raise error(name, [f"line {number}: {len(cells)} field{'s' if len(cells) != 1 else ''}, but the header "
                               f"has {width}{hint}"])
        long = next((i for i, cell in enumerate(cells) if len(cell) > FIELD_LIMIT), None)
        if long is not None:
            raise error(name, [f"line {number}, field {long + 1}: {len(cells[long]):,} characters; a field holds at "
                               f"most {FIELD_LIMIT:,}"])
        yield number, cells


def _csv_problem(problem: csv.Error, first: int, last: int) -> str:
    if "field larger than field limit" in str(problem):
        return f"line {first}: a field of more than {csv.field_size_limit():,} characters; a field holds at most " \
               f"{FIELD_LIMIT:,} (is a quote left open?)"
    where = f"line {first}" if last <= first else f"lines {first}–{last}"
    return f"{where}: not valid CSV ({problem}; is a quote left open?)"


_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")
_THOUSANDS = re.compile(r"[0-9][.,  ][0-9]{3}(?:[.,  ][0-9]{3})*(?:[.,][0-9]+)?$")


def parse_number(text: str, *, decimal_comma: bool = False) -> int | float | None:
    """The number ``text`` writes (an ``int`` when it is a whole number without a point or an exponent), or ``None``
    when it writes none. Only plain decimals: ``12``, ``-3.5``, ``1e4``; not ``inf``, ``nan``, ``1_000`` or hex
    (a number too large for a float is ``inf``). With ``decimal_comma``, ``1234,5`` is read as 1234.5.

    >>> parse_number("1234,5", decimal_comma=True), parse_number("12"), parse_number("nan"), parse_number("1e400")
    (1234.5, 12, None, inf)
    """
    value = text.strip()
    if decimal_comma and value.count(",") == 1 and "." not in value:
        value = value.replace(",", ".")
    if _INTEGER.fullmatch(value):
        return int(value)
    if not _NUMBER.fullmatch(value):
        return None
    return float(value)


def _check_header(header: list[str], name: str) -> None:
    """Raise :class:`ObservedError` when ``header`` is not a series file's: a column missing, unknown or twice.
    A header without any of the columns is not a series file at all, and its names are not echoed."""
    if not set(header) & set(COLUMNS):
        raise ObservedError(name, [f"is not a series file: none of the columns {', '.join(COLUMNS)} is in its first "
                                   "line (a series file is a CSV file, see labsim.calibration.ObservedSeries)"])
    missing = [c for c in COLUMNS if c not in header]
    extra = [c for c in dict.fromkeys(header) if c not in COLUMNS]
    twice = [c for c, n in Counter(header).items() if n > 1]
    if missing or extra or twice:
        raise ObservedError(name, ([f"missing columns {missing}"] if missing else []) + (
            [f"unknown columns {shown_list(extra)} (the columns are {list(COLUMNS)})"] if extra else []) + (
            [f"columns {shown_list(twice)} appear more than once"] if twice else []))


def _text(cell: object) -> str:
    """A cell of a raw frame as text (a missing one, None or NaN, is empty)."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return ""
    return str(cell).strip()


def _number_hint(value: str, decimal_comma: bool) -> str:
    if not value.strip():
        return " (the value is empty)"
    if not decimal_comma and "," in value and parse_number(value, decimal_comma=True) is not None:
        return " (a decimal comma needs the columns separated by ';'; or write a decimal point)"
    if _THOUSANDS.search(value):
        return " (write the number without thousands separators)"
    return ""


def _measure_problem(measure: str, unit: str, catalogue: StateCatalogue) -> str:
    """What is wrong with ``measure`` (empty when nothing)."""
    if not measure:
        return "must not be empty"
    if len(measure) > _LONGEST_MEASURE:
        return "is not a measure: a measure names states (joined by '+') or a group"
    if measure in CONTEXT_MEASURES:
        return "" if unit == "percent" else f"a context measure is in percent; got unit {unit!r}"
    try:
        Measure("fte", tuple(measure.split("+"))).check(catalogue, set())
    except LabsimError as error:
        return (f"{error} A measure is a state, states joined by '+', 'public_support', 'grouping:group', or one "
                f"of {list(CONTEXT_MEASURES)}.")
    return "" if unit != "percent" else "a state measure counts fuldtidspersoner or persons, not percent"


def _overlaps(frame: pd.DataFrame) -> list[str]:
    """Rows of the same municipality, measure, kind and unit whose periods share a month (one sort of the whole
    frame, then one pass: linear in the rows, however many series there are)."""
    keys = ["municipality", "measure", "kind", "unit"]
    valid = frame[frame["first"] >= 0]
    if valid.empty:
        return []
    ordered = valid.sort_values([*keys, "first", "last"], kind="stable")
    columns = {name: ordered[name].tolist() for name in [*keys, "first", "last", "line", "period"]}
    problems = []
    previous: int | None = None
    for i in range(len(ordered)):
        series = tuple(columns[k][i] for k in keys)
        if previous is not None and series != tuple(columns[k][previous] for k in keys):
            previous = None
        if previous is not None and columns["first"][i] <= columns["last"][previous]:
            problems.append(f"line {columns['line'][i]}: period {columns['period'][i]!r} overlaps line "
                            f"{columns['line'][previous]}'s {columns['period'][previous]!r} for {series[0]} "
                            f"{series[1]} ({series[2]}, {series[3]}); a fit would count those months twice")
        if previous is None or columns["last"][i] > columns["last"][previous]:
            previous = i
    return problems
