"""What a study's runs say: quantile bands over replications, Sobol indices over the swept parameters, and
a scenario-discovery box of the parameter ranges where a target fails.

* :func:`bands` — per outcome and period, the quantiles of a value over replications.
* :func:`sobol` — first- and total-order Sobol indices of one output per sweep point of a Sobol design,
  by :func:`scipy.stats.sobol_indices` (Saltelli 2010 first order, Jansen total order), with bootstrap
  intervals.
* :func:`discover` — Friedman and Fisher's PRIM: peel the parameter box a few per cent at a time towards
  the points where a target fails; the box kept is the densest one that still covers ``min_coverage``
  of the failures.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from labsim.errors import ValidationError
from labsim.experiments.parameters import Design
from labsim.results.targets import INTERVAL
from labsim.validation import probability

__all__ = ["bands", "sobol", "discover", "Discovery", "QUANTILES"]

QUANTILES: tuple[float, ...] = (INTERVAL[0], 0.25, 0.5, 0.75, INTERVAL[1])
"""The quantiles of a band: the 90 % interval labsim reports everywhere, the 50 % interval and the median."""


def bands(frame: pd.DataFrame, value: str, by: Sequence[str],
          quantiles: Sequence[float] = QUANTILES) -> pd.DataFrame:
    """Quantiles of ``value`` over the runs in each group of ``by`` (e.g. ``strategy, point, period, state``).

    Columns: ``by…, mean, q05, q25, q50, q75, q95`` (one per quantile), ``runs``.

    >>> import pandas as pd
    >>> runs = pd.DataFrame({"strategy": ["baseline"] * 4 + ["ips"] * 4, "replicate": [0, 1, 2, 3] * 2,
    ...                      "fte": [100.0, 104.0, 96.0, 100.0, 90.0, 94.0, 86.0, 90.0]})
    >>> table = bands(runs, "fte", ["strategy"])
    >>> list(table.columns)
    ['strategy', 'mean', 'q05', 'q25', 'q50', 'q75', 'q95', 'runs']
    >>> table[["strategy", "q50", "runs"]].values.tolist()
    [['baseline', 100.0, 4], ['ips', 90.0, 4]]
    """
    missing = [c for c in (*by, value) if c not in frame.columns]
    if missing:
        raise ValidationError(f"bands: the frame has no column {missing}; it has {list(frame.columns)}.")
    for i, q in enumerate(quantiles):
        probability()(q, f"bands: quantiles[{i}]")
    grouped = frame.groupby(list(by), observed=True, sort=True)[value]
    out = grouped.mean().rename("mean").to_frame()
    for q in quantiles:
        out[f"q{round(q * 100):02d}"] = grouped.quantile(q)
    out["runs"] = grouped.size()
    return out.reset_index()


def sobol(design: Design, outputs: npt.ArrayLike, *, confidence: float = INTERVAL[1] - INTERVAL[0],
          resamples: int = 200, seed: int = 0) -> pd.DataFrame:
    """First- and total-order Sobol indices of ``outputs`` (one per sweep point of ``design``, in point order).

    Columns: ``parameter, first_order, first_low, first_high, total_order, total_low, total_high``; the
    intervals are bootstrap ``confidence`` intervals (90 %, as everywhere in labsim) over the base rows,
    from ``resamples`` resamples (200: an engineering default, fewer than scipy's 999, since the
    intervals only need to show the indices' precision) drawn from ``seed``. With few base rows a resample
    can have no variance; its interval is then NaN.
    """
    blocks = design.sobol_blocks(outputs)
    missing = np.flatnonzero(~np.isfinite(np.asarray(outputs, dtype=np.float64)))
    if missing.size:
        raise ValidationError(f"Sobol indices need a finite output at every sweep point; points "
                              f"{missing[:10].tolist()}{' …' if missing.size > 10 else ''} have none (their runs failed "
                              f"or gave no value; see the study's failures).")
    if np.ptp(np.asarray(outputs, dtype=np.float64)) == 0:  # the output does not move: nothing to apportion
        first = total = np.zeros(len(design.parameters))
        low_high = np.zeros((4, len(design.parameters)))
    else:
        from scipy import stats  # here, not at the top: scipy.stats costs a second at import

        d = len(design.parameters)
        if np.ptp(np.concatenate([blocks["f_A"].ravel(), blocks["f_B"].ravel()])) == 0:
            # A and B do not move although AB points do (a tiny design): scipy's rule for null variance is null
            # indices; there is no interval to give.
            first = total = np.zeros(d)
            low_high = np.full((4, d), np.nan)
        else:
            # scipy mishandles one output with one parameter (it indexes a scalar): give it the output twice
            # and read the first copy.
            doubled = {"f_A": np.repeat(blocks["f_A"], 2, axis=0), "f_B": np.repeat(blocks["f_B"], 2, axis=0),
                       "f_AB": np.repeat(blocks["f_AB"], 2, axis=1)}

            # A bootstrap resample of few base rows can have no variance: scipy warns and gives NaN, which stays
            # as the interval; the warnings are noise for the analyst.
            with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
                warnings.simplefilter("ignore", RuntimeWarning)
                warnings.simplefilter("ignore", stats.DegenerateDataWarning)
                result = stats.sobol_indices(func=doubled, n=design.base, rng=np.random.default_rng(seed))
                interval = result.bootstrap(confidence_level=confidence, n_resamples=resamples)
            first, total = _row(result.first_order, d), _row(result.total_order, d)
            low_high = np.vstack([_row(interval.first_order.confidence_interval.low, d),
                                  _row(interval.first_order.confidence_interval.high, d),
                                  _row(interval.total_order.confidence_interval.low, d),
                                  _row(interval.total_order.confidence_interval.high, d)])
    return pd.DataFrame({"parameter": design.paths, "first_order": first, "first_low": low_high[0],
                         "first_high": low_high[1], "total_order": total, "total_low": low_high[2],
                         "total_high": low_high[3]})


def _row(values: npt.ArrayLike, d: int) -> npt.NDArray[np.float64]:
    """The first output's indices, one per parameter, from scipy's ``(outputs, d)`` array."""
    values = np.asarray(values, dtype=np.float64)
    return values.reshape(-1, d)[0] if values.ndim < 2 or values.shape[-1] == d else values[0]


def _ordinal(column: pd.Series) -> npt.NDArray[np.float64]:
    """Numbers as they are; other values (months, names) as their rank in sorted order."""
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        return column.to_numpy(dtype=np.float64)
    order = {value: i for i, value in enumerate(sorted(set(column.astype(str))))}
    return np.asarray(column.astype(str).map(order).to_numpy(), dtype=np.float64)


@dataclass(frozen=True, eq=False)
class Discovery:
    """A PRIM box: where the outcome of interest (a failed target) concentrates.

    ``box`` has one row per parameter — ``parameter, low, high, full_low, full_high, restricted`` — with
    the box's and the whole sweep's range. ``coverage`` is the share of all cases of interest inside the
    box, ``density`` the share of the box's points that are cases, ``mass`` the share of points inside;
    ``base_rate`` is the share of cases among all points. ``trajectory`` is the peeling path
    (``step, coverage, density, mass``). A parameter whose values are not numbers (months, names) is
    peeled as the rank of its values in sorted order, and its box limits are ranks.
    """

    box: pd.DataFrame
    coverage: float
    density: float
    mass: float
    base_rate: float
    trajectory: pd.DataFrame


def discover(inputs: pd.DataFrame, interesting: npt.ArrayLike, *, alpha: float = 0.05, min_mass: float = 0.05,
             min_coverage: float = 0.5) -> Discovery:
    """PRIM's peeling over the parameter columns of ``inputs`` towards the rows where ``interesting`` is true.

    Each step removes the ``alpha`` share of the remaining points at the low or high end of one
    parameter — the cut that raises the density of cases most — as long as at least ``min_mass`` of the
    points stay inside. The box returned is the densest on the path whose coverage is at least
    ``min_coverage``.

    The defaults are choices, not findings: ``alpha = 0.05`` is the small end of the 0.05–0.10 that
    Friedman and Fisher (1999) recommend for a patient peel; ``min_mass = 0.05`` keeps a box of at least
    one point in twenty; ``min_coverage = 0.5`` asks the box to hold at least half the failures.
    """
    y = np.asarray(interesting, dtype=bool)
    if len(inputs) != y.size:
        raise ValidationError(f"discover: {len(inputs)} rows of inputs but {y.size} outcomes.")
    probability(positive=True)(alpha, "discover: alpha")
    probability(positive=True)(min_mass, "discover: min_mass")
    probability()(min_coverage, "discover: min_coverage")
    if inputs.shape[1] == 0 or y.size == 0:
        raise ValidationError("discover: needs at least one parameter and one point.")
    x = np.column_stack([_ordinal(inputs[c]) for c in inputs.columns])
    n, total = y.size, int(y.sum())
    low, high = x.min(axis=0).copy(), x.max(axis=0).copy()
    inside = np.ones(n, dtype=bool)
    path = [(low.copy(), high.copy(), inside.copy())]
    while inside.sum() > min_mass * n and total:
        best: tuple[float, int, str, float] | None = None
        for j in range(x.shape[1]):
            column = x[inside, j]
            for side in ("low", "high"):
                cut = np.quantile(column, alpha if side == "low" else 1 - alpha, method="lower" if side == "low"
                                  else "higher")
                keep = inside & ((x[:, j] > cut) if side == "low" else (x[:, j] < cut))
                if keep.sum() == inside.sum() or keep.sum() < min_mass * n or not keep.any():
                    continue
                density = y[keep].mean()
                if best is None or density > best[0]:
                    best = (density, j, side, cut)
        if best is None:
            break
        _, j, side, cut = best
        if side == "low":
            inside &= x[:, j] > cut
            low[j] = x[inside, j].min()
        else:
            inside &= x[:, j] < cut
            high[j] = x[inside, j].max()
        path.append((low.copy(), high.copy(), inside.copy()))
    rows = [{"step": i, "coverage": (y & box).sum() / total if total else 0.0,
             "density": y[box].mean() if box.any() else 0.0, "mass": box.mean()} for i, (_, _, box) in enumerate(path)]
    trajectory = pd.DataFrame(rows, columns=["step", "coverage", "density", "mass"])
    eligible = trajectory[trajectory["coverage"] >= min_coverage]
    chosen = int(eligible.sort_values(["density", "coverage"], ascending=False, kind="stable")["step"].iloc[0]) \
        if not eligible.empty else 0
    box_low, box_high, box = path[chosen]
    full_low, full_high = x.min(axis=0), x.max(axis=0)
    table = pd.DataFrame({"parameter": list(inputs.columns), "low": box_low, "high": box_high, "full_low": full_low,
                          "full_high": full_high,
                          "restricted": (box_low > full_low) | (box_high < full_high)})
    row = trajectory.iloc[chosen]
    return Discovery(box=table, coverage=float(row["coverage"]), density=float(row["density"]),
                     mass=float(row["mass"]), base_rate=total / n, trajectory=trajectory)
