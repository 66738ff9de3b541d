"""Getting the tidy frame a figure needs out of what the caller has, one strategy of it, and an x axis."""

from __future__ import annotations

from typing import Any

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from labsim.errors import ValidationError

__all__ = ["table", "axes", "period_axis", "year_ticks", "one_strategy"]

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


def one_strategy(frame: pd.DataFrame, strategy: str | None, name: str) -> tuple[pd.DataFrame, str]:
    """The rows of ``strategy`` (the frame's first when ``None``) and its name; an empty frame or a strategy the
    frame lacks is an error naming it and the strategies there are."""
    strategies = list(dict.fromkeys(frame["strategy"].astype(str)))
    if not strategies:
        raise ValidationError(f"the {name} frame is empty: there is nothing to draw.")
    chosen = strategies[0] if strategy is None else strategy
    if chosen not in strategies:
        raise ValidationError(f"strategy {chosen!r} is not in the {name} frame; it has {strategies}.")
    return frame[frame["strategy"].astype(str) == chosen], chosen


def axes(ax: Axes | None, size: tuple[float, float] = (8.0, 4.5)) -> Axes:
    """``ax``, or the axes of a new figure of ``size`` inches."""
    if ax is not None:
        return ax
    _, new = plt.subplots(figsize=size, layout="constrained")
    return new


def period_axis(values: pd.Series) -> np.ndarray:
    """Periods (pandas ``Period`` or text like ``2024`` / ``2024-03``) as timestamps for an x axis."""
    if isinstance(values.dtype, pd.PeriodDtype):
        return values.dt.to_timestamp().to_numpy()
    return pd.to_datetime(values.astype(str), format="mixed").to_numpy()


def year_ticks(ax: Axes, x: np.ndarray) -> None:
    """Label the date x axis ``x`` by whole years, at most about ten: a value per year sits on 1 January, and
    matplotlib's own date ticks would label months between them."""
    years = pd.DatetimeIndex(x).year
    span = int(years.max() - years.min()) + 1 if len(years) else 1
    ax.xaxis.set_major_locator(mdates.YearLocator(base=max(1, -(-span // 10))))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
