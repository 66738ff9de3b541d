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

Lines starting with ``#`` are comments.

:meth:`ObservedSeries.read_csv` checks every row and raises one :class:`ObservedError` listing every problem —
the file, the line, the column, the rule and the bad value. Two rows of the same municipality, measure, kind
and unit whose periods overlap are a problem too: a fit would count the same months twice.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from labsim.errors import FileProblemsError, LabsimError, ValidationError
from labsim.results import Measure, Observed, Period
from labsim.states import StateCatalogue, danish_catalogue

__all__ = ["ObservedSeries", "ObservedError", "KINDS", "UNITS", "COLUMNS", "CONTEXT_MEASURES"]

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

class ObservedError(FileProblemsError):
    """A series file breaks one or more rules; :attr:`problems` lists each (line, column, rule, bad value)."""


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
        """Read and check a series file; raise :class:`ObservedError` listing every problem."""
        name = str(path)
        header, rows = read_rows(path, COLUMNS)
        records = []
        for number, cells in rows:
            if len(cells) != len(header):
                raise ObservedError(name, [f"line {number}: {len(cells)} fields, but the header has {len(header)}"])
            records.append([*cells, number])
        raw = pd.DataFrame(records, columns=[*header, "line"])
        return cls.from_frame(raw, name, catalogue)

    @classmethod
    def from_frame(cls, raw: pd.DataFrame, name: str = "<series>",
                   catalogue: StateCatalogue | None = None) -> ObservedSeries:
        """Check a frame with the file's columns (all text, as read) as :meth:`read_csv` does."""
        catalogue = catalogue or danish_catalogue()
        missing = [c for c in COLUMNS if c not in raw.columns]
        extra = [c for c in raw.columns if c not in (*COLUMNS, "line")]
        if missing or extra:
            raise ObservedError(name, ([f"missing columns {missing}"] if missing else []) + (
                [f"unknown columns {extra} (the columns are {list(COLUMNS)})"] if extra else []))
        problems: list[str] = []
        rows = []
        for index, row in raw.reset_index(drop=True).iterrows():
            line = int(row["line"]) if "line" in raw.columns else int(str(index)) + 2  # the header is line 1
            here = f"line {line}"
            clean = {c: str(row[c]).strip() for c in COLUMNS}
            for column in ("municipality", "source"):
                if not clean[column]:
                    problems.append(f"{here}: {column} must not be empty" +
                                    (" (every number has a source)" if column == "source" else ""))
            try:
                period = Period.parse(clean["period"], field=f"{here}: period")
            except LabsimError as error:
                problems.append(str(error))
                period = None
            if clean["kind"] not in KINDS:
                problems.append(f"{here}: kind must be one of {list(KINDS)}; got {clean['kind']!r}")
            if clean["unit"] not in UNITS:
                problems.append(f"{here}: unit must be one of {list(UNITS)}; got {clean['unit']!r}")
            problem = _measure_problem(clean["measure"], clean["unit"], catalogue)
            if problem:
                problems.append(f"{here}: measure {clean['measure']!r}: {problem}")
            try:
                value = float(clean["value"])
            except ValueError:
                problems.append(f"{here}: value must be a number; got {clean['value']!r}")
                value = float("nan")
            else:
                if not value >= 0:
                    problems.append(f"{here}: value must be a number of at least 0; got {clean['value']!r}")
            rows.append({**clean, "value": value, "first": period.first if period else -1,
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
            raise ValidationError(f"{self.file}: no rows for municipality {municipality!r}; there are {known}.")
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


def read_rows(path: str | Path, columns: tuple[str, ...]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """A CSV file's header and its rows with their line numbers; lines starting with ``#`` are comments (every other
    line keeps its number for the error messages). A file that cannot be read or has no header raises
    :class:`ObservedError`."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ObservedError(name, ["no such file"]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ObservedError(name, [f"cannot be read ({error})"]) from None
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip() and
             not line.lstrip().startswith("#")]
    if not lines:
        raise ObservedError(name, [f"no header; the columns are {list(columns)}"])
    header = next(csv.reader([lines[0][1]], skipinitialspace=True))
    return header, [(n, next(csv.reader([line], skipinitialspace=True))) for n, line in lines[1:]]


def _measure_problem(measure: str, unit: str, catalogue: StateCatalogue) -> str:
    """What is wrong with ``measure`` (empty when nothing)."""
    if not measure:
        return "must not be empty"
    if measure in CONTEXT_MEASURES:
        return "" if unit == "percent" else f"a context measure is in percent; got unit {unit!r}"
    try:
        Measure("fte", tuple(measure.split("+"))).check(catalogue, set())
    except LabsimError as error:
        return (f"{error} A measure is a state, states joined by '+', 'public_support', 'grouping:group', or one "
                f"of {list(CONTEXT_MEASURES)}.")
    return "" if unit != "percent" else "a state measure counts fuldtidspersoner or persons, not percent"


def _overlaps(frame: pd.DataFrame) -> list[str]:
    """Rows of the same municipality, measure, kind and unit whose periods share a month."""
    problems = []
    valid = frame[frame["first"] >= 0]
    for _, rows in valid.groupby(["municipality", "measure", "kind", "unit"], sort=False):
        ordered = rows.sort_values(["first", "last"])
        previous = None
        for _, row in ordered.iterrows():
            if previous is not None and row["first"] <= previous["last"]:
                problems.append(f"line {row['line']}: period {row['period']!r} overlaps line {previous['line']}'s "
                                f"{previous['period']!r} for {row['municipality']} {row['measure']} ({row['kind']}, "
                                f"{row['unit']}); a fit would count those months twice")
            if previous is None or row["last"] > previous["last"]:
                previous = row
    return problems
