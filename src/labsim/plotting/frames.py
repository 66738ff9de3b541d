"""Getting the tidy frame a figure needs out of what the caller has, and the quantiles over replications."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from labsim.errors import ValidationError

__all__ = ["table", "axes", "quantiles", "period_axis"]

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
"""The quantiles behind a fan: the 90 % band, the 50 % band and the median."""


def table(data: Any, name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    """The frame ``name`` from ``data``: the frame itself, a result's method or attribute of that name (a
    :class:`~labsim.Comparison`'s ``business_case()``), or a study's ``frame(name)``; it must have ``columns``."""
    if isinstance(data, pd.DataFrame):
        frame = data
    elif callable(getattr(data, name, None)):
        frame = getattr(data, name)()
    elif isinstance(getattr(data, name, None), pd.DataFrame):
        frame = getattr(data, name)
    elif callable(getattr(data, "frame", None)):
        frame = data.frame(name)
    else:
        raise ValidationError(f"expected a frame or a result with a {name!r} table; got {type(data).__name__}.")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValidationError(f"the {name} frame lacks the columns {missing}; it has {list(frame.columns)}.")
    return frame


def axes(ax: Axes | None, size: tuple[float, float] = (8.0, 4.5)) -> Axes:
    """``ax``, or the axes of a new figure of ``size`` inches."""
    if ax is not None:
        return ax
    _, new = plt.subplots(figsize=size, layout="constrained")
    return new


def quantiles(frame: pd.DataFrame, by: list[str], value: str) -> pd.DataFrame:
    """Per ``by``: the :data:`QUANTILES` of ``value`` over the rows (replications), as columns q05 … q95."""
    grouped = frame.groupby(by, observed=True, sort=True)[value]
    out = grouped.quantile(np.array(QUANTILES)).unstack()
    out.columns = [f"q{round(q * 100):02d}" for q in QUANTILES]
    return out.reset_index()


def period_axis(values: pd.Series) -> np.ndarray:
    """Periods (pandas ``Period`` or text like ``2024`` / ``2024-03``) as timestamps for an x axis."""
    if isinstance(values.dtype, pd.PeriodDtype):
        return values.dt.to_timestamp().to_numpy()
    return pd.to_datetime(values.astype(str), format="mixed").to_numpy()
