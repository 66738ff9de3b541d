"""Qualitative shapes: what a plan says about a series when it prints no number ("more than halved since Q3
2019", "roughly unchanged", "rose from 2019 to 2020"), checked against runs.

A shapes file is a CSV with one row per statement and the columns

=============== =============================================================================================
``municipality`` whose statement it is
``measure``      as in a series file: a state, states joined by ``+``, ``public_support``, ``grouping:group``
``unit``         ``fuldtidspersoner`` (the average over a period) or ``persons`` (its last month)
``from``         the earlier period (month, quarter, year or span)
``to``           the later period
``relation``     ``rise`` (later above earlier), ``fall`` (below), ``unchanged`` (within ``value`` of it, as a
                 share), ``ratio_below`` (later ÷ earlier below ``value``) or ``ratio_above``
``value``        the share or ratio the relation needs; empty for ``rise`` and ``fall``
``source``       the plan's page and row; never empty
=============== =============================================================================================

:meth:`ShapeSeries.check` gives, for each statement and run, the two values, their ratio and whether it holds; over
replications, the share of runs in which it holds. Every problem of a bad file is listed at once, with its line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from labsim.calibration.observed import ObservedError, read_rows
from labsim.calibration.series import run_arrays
from labsim.errors import LabsimError, ValidationError
from labsim.results import Measure, Period, Run
from labsim.states import StateCatalogue, danish_catalogue

__all__ = ["ShapeSeries", "RELATIONS", "SHAPE_COLUMNS"]

SHAPE_COLUMNS = ("municipality", "measure", "unit", "from", "to", "relation", "value", "source")
"""The columns of a shapes file."""

RELATIONS = {
    "rise": "the later value is above the earlier",
    "fall": "the later value is below the earlier",
    "unchanged": "the later value is within `value` (a share) of the earlier",
    "ratio_below": "later ÷ earlier is below `value`",
    "ratio_above": "later ÷ earlier is above `value`",
}
"""What each relation asks of a run."""


@dataclass(frozen=True, eq=False)
class ShapeSeries:
    """Checked qualitative statements; :attr:`frame` has the file's columns plus ``line``."""

    frame: pd.DataFrame
    file: str = ""

    @classmethod
    def read_csv(cls, path: str | Path, catalogue: StateCatalogue | None = None) -> ShapeSeries:
        """Read and check a shapes file; raise :class:`~labsim.calibration.ObservedError` listing every problem."""
        name = str(path)
        header, records = read_rows(path, SHAPE_COLUMNS)
        if sorted(header) != sorted(SHAPE_COLUMNS):
            raise ObservedError(name, [f"the columns must be {list(SHAPE_COLUMNS)}; got {header}"])
        catalogue = catalogue or danish_catalogue()
        problems: list[str] = []
        rows = []
        for number, cells in records:
            here = f"line {number}"
            if len(cells) != len(header):
                problems.append(f"{here}: {len(cells)} fields, but the header has {len(header)}")
                continue
            row = {c: v.strip() for c, v in zip(header, cells, strict=True)}
            problems += _row_problems(row, here, catalogue)
            rows.append({**row, "line": number})
        if problems:
            raise ObservedError(name, problems)
        return cls(pd.DataFrame(rows, columns=[*SHAPE_COLUMNS, "line"]), name)

    def check(self, runs: Run | list[Run]) -> pd.DataFrame:
        """One row per statement: the values in each period (mean over the runs), the ratio, and the share of runs in
        which the statement holds. A statement whose periods lie outside the runs has NaN values and share."""
        chosen = [runs] if isinstance(runs, Run) else list(runs)
        if not chosen:
            raise ValidationError(f"{self.file}: checking statements needs at least one run; got none.")
        out = []
        for row in self.frame.to_dict("records"):
            earlier, later = Period.parse(str(row["from"])), Period.parse(str(row["to"]))
            codes = list(Measure("fte", tuple(str(row["measure"]).split("+"))).state_codes(chosen[0].catalogue))
            pairs = []
            for run in chosen:
                stocks = run_arrays(run)[0][:, codes].sum(axis=1)
                start, months = run.start_month, run.n_months
                if earlier.first < start or later.last >= start + months:
                    continue
                persons = row["unit"] == "persons"
                pairs.append((_value(stocks, earlier, start, persons), _value(stocks, later, start, persons)))
            values = np.array(pairs) if pairs else np.full((1, 2), np.nan)
            ratio = values[:, 1] / np.where(values[:, 0] > 0, values[:, 0], np.nan)
            holds = _holds(str(row["relation"]), ratio, float(row["value"]) if row["value"] else 0.0)
            out.append({"measure": row["measure"], "from": row["from"], "to": row["to"], "relation": row["relation"],
                        "value": row["value"], "earlier": values[:, 0].mean(), "later": values[:, 1].mean(),
                        "ratio": float(np.nanmean(ratio)) if pairs else np.nan,
                        "share_holding": float(holds.mean()) if pairs else np.nan, "runs": len(pairs),
                        "source": row["source"], "line": row["line"]})
        return pd.DataFrame(out)


def _value(stocks: np.ndarray, period: Period, start: int, persons: bool) -> float:
    """A period's head-count in its last month, or its average (fuldtidspersoner)."""
    if persons:
        return float(stocks[period.last - start])
    return float(stocks[period.first - start:period.last - start + 1].mean())


def _holds(relation: str, ratio: np.ndarray, value: float) -> np.ndarray:
    if relation == "rise":
        return ratio > 1.0
    if relation == "fall":
        return ratio < 1.0
    if relation == "unchanged":
        return np.abs(ratio - 1.0) <= value
    if relation == "ratio_below":
        return ratio < value
    return ratio > value


def _row_problems(row: dict[str, str], here: str, catalogue: StateCatalogue) -> list[str]:
    problems = []
    for column in ("municipality", "source"):
        if not row[column]:
            problems.append(f"{here}: {column} must not be empty")
    try:
        Measure("fte", tuple(row["measure"].split("+"))).check(catalogue, set())
    except LabsimError as error:
        problems.append(f"{here}: measure {row['measure']!r}: {error}")
    if row["unit"] not in ("fuldtidspersoner", "persons"):
        problems.append(f"{here}: unit must be 'fuldtidspersoner' or 'persons'; got {row['unit']!r}")
    periods = []
    for column in ("from", "to"):
        try:
            periods.append(Period.parse(row[column], field=f"{here}: {column}"))
        except LabsimError as error:
            problems.append(str(error))
    if len(periods) == 2 and periods[1].first <= periods[0].last:
        problems.append(f"{here}: 'to' ({row['to']!r}) must come after 'from' ({row['from']!r})")
    relation = row["relation"]
    if relation not in RELATIONS:
        problems.append(f"{here}: relation must be one of {list(RELATIONS)}; got {relation!r}")
    elif relation in ("rise", "fall"):
        if row["value"]:
            problems.append(f"{here}: relation {relation!r} takes no value; got {row['value']!r}")
    else:
        try:
            value = float(row["value"])
            if not value > 0:
                raise ValueError
        except ValueError:
            problems.append(f"{here}: relation {relation!r} needs a positive value; got {row['value']!r}")
    return problems
