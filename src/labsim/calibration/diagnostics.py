"""How well a fit reproduces each observed value: a table, and a plot of observed vs simulated with intervals."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from labsim.calibration.series import FitSeries
from labsim.results.targets import INTERVAL

__all__ = ["diagnostics_frame", "COLUMNS"]

COLUMNS = ("series", "measure", "period", "kind", "unit", "observed", "expected", "simulated", "low", "high",
           "error", "z", "within", "source", "line")
"""Columns of the diagnostics table."""


def diagnostics_frame(series: list[FitSeries], expected: npt.NDArray[np.float64],
                      simulated: npt.NDArray[np.float64] | None, observation_sd: float | None) -> pd.DataFrame:
    """One row per fitted value.

    ``expected`` is the value on the (corrected) expected path; with ``simulated`` runs, ``simulated`` is their
    mean and ``low``–``high`` their 90 % interval (:data:`labsim.results.INTERVAL`); ``error`` is the relative
    error of the simulated mean (of the expected value without runs); ``z`` is the observed value's distance
    from the runs' mean in standard deviations of the runs and the observation; ``within`` whether the
    observed value lies in the interval.
    """
    observed = np.array([s.value for s in series])
    if simulated is not None:
        mean = simulated.mean(axis=0)
        low, high = np.quantile(simulated, INTERVAL, axis=0)
        spread = simulated.var(axis=0, ddof=1) + (float(observation_sd or 0.0) * observed) ** 2
        z = (observed - mean) / np.sqrt(np.where(spread > 0, spread, np.nan))
        within = (observed >= low) & (observed <= high)
        error = mean / np.where(observed > 0, observed, np.nan) - 1.0
    else:
        mean = low = high = z = np.full(len(series), np.nan)
        within = np.zeros(len(series), bool)
        error = expected / np.where(observed > 0, observed, np.nan) - 1.0
    return pd.DataFrame({
        "series": [s.label for s in series], "measure": [s.measure for s in series],
        "period": [s.period for s in series], "kind": [s.kind for s in series], "unit": [s.unit for s in series],
        "observed": observed, "expected": expected, "simulated": mean, "low": low, "high": high, "error": error,
        "z": z, "within": within, "source": [s.source for s in series], "line": [s.line for s in series],
    }, columns=list(COLUMNS))
