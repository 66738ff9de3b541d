"""Which observed values a fit can use, and the same values computed from a path or a run.

Each row of an :class:`~labsim.calibration.ObservedSeries` becomes one :class:`FitSeries`, or is left out with
the reason: a context measure (percent) labsim does not simulate, or a period outside the simulated months.
A stock in fuldtidspersoner is the average of the monthly stocks over its period (DOMAIN.md §4), a stock in
persons the head-count of the period's last month, a flow the moves into the measure's states from other
states within the period.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from labsim.calendar import month_label
from labsim.calibration.observed import CONTEXT_MEASURES, ObservedSeries
from labsim.core.population_frame import shown_list
from labsim.errors import CalibrationError
from labsim.results import Measure, Run
from labsim.states import StateCatalogue

__all__ = ["FitSeries", "fit_series", "series_values", "run_arrays"]


@dataclass(frozen=True, slots=True)
class FitSeries:
    """One observed value a fit compares with the model."""

    label: str
    measure: str
    period: str
    kind: str
    unit: str
    value: float
    first: int
    last: int
    codes: tuple[int, ...]
    source: str
    line: int


def fit_series(observed: ObservedSeries, catalogue: StateCatalogue, start: int, end: int,
               municipality: str | None = None,
               measures: Sequence[str] | None = None) -> tuple[list[FitSeries], pd.DataFrame]:
    """The rows a fit over months ``start``–``end`` can use (of ``measures`` only, when given), and a frame of the
    rows it leaves out with why."""
    municipalities = observed.municipalities()
    if municipality is None:
        if len(municipalities) > 1:
            raise CalibrationError(f"{observed.file}: holds {shown_list(municipalities)}; say which municipality to "
                                   "fit (municipality=…, or --municipality on the command line).")
        chosen = observed
    else:
        chosen = observed.for_municipality(municipality)
    if measures is not None:
        unknown = sorted(set(measures) - set(chosen.frame["measure"]))
        if unknown:
            raise CalibrationError(f"{observed.file}: measures {shown_list(unknown)} to fit have no rows; the file's "
                                   f"measures are {shown_list(list(dict.fromkeys(chosen.frame['measure'])))}.")
    used: list[FitSeries] = []
    left: list[dict[str, object]] = []
    for row in chosen.frame.to_dict("records"):
        measure, period, kind, unit = (str(row[c]) for c in ("measure", "period", "kind", "unit"))
        first, last, line, value = int(row["first"]), int(row["last"]), int(row["line"]), float(row["value"])
        reason = ""
        if measure in CONTEXT_MEASURES:
            reason = "context measure: not simulated"
        elif measures is not None and measure not in measures:
            reason = "not among the measures fitted"
        elif first < start or last > end:
            reason = f"outside the simulated months {month_label(start)} to {month_label(end)}"
        if reason:
            left.append({"line": line, "measure": measure, "period": period, "value": value, "reason": reason})
            continue
        codes = Measure("fte", tuple(measure.split("+"))).state_codes(catalogue)
        label = f"{measure} {period}" + ("" if kind == "stock" and unit == "fuldtidspersoner" else f" ({kind}, {unit})")
        used.append(FitSeries(label, measure, period, kind, unit, value, first, last, codes, str(row["source"]), line))
    if not used:
        raise CalibrationError(f"{observed.file}: no row can be fitted between {month_label(start)} and "
                               f"{month_label(end)}; left out: "
                               + "; ".join(f"line {r['line']} ({r['reason']})" for r in left))
    return used, pd.DataFrame(left, columns=["line", "measure", "period", "value", "reason"])


def series_values(series: list[FitSeries], stocks: npt.NDArray[np.float64], flows: npt.NDArray[np.float64],
                  start: int) -> npt.NDArray[np.float64]:
    """Each series' value from monthly ``stocks`` ``(months, states)`` and ``flows`` ``(months, from, to)``."""
    out = np.empty(len(series))
    for i, one in enumerate(series):
        window = slice(one.first - start, one.last - start + 1)
        codes = list(one.codes)
        if one.kind == "flow":
            inside = np.zeros(stocks.shape[1], bool)
            inside[codes] = True
            out[i] = flows[window][:, ~inside][:, :, inside].sum()
        elif one.unit == "persons":
            out[i] = stocks[one.last - start, codes].sum()
        else:
            out[i] = stocks[window, codes].sum(axis=1).mean()
    return out


def run_arrays(run: Run) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """A run's monthly stocks ``(months, states)`` and flows ``(months, from, to)``, summed over groups."""
    return run.ledger.stocks.sum(axis=2).astype(np.float64), run.ledger.flows.sum(axis=1).astype(np.float64)
