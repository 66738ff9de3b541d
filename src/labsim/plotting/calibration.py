"""A calibration's fit: observed values against the simulated runs, per series."""

from __future__ import annotations

import textwrap
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from labsim.plotting.frames import axes, table
from labsim.plotting.labels import Language, catalogue_for, check_lang, state_label, text

__all__ = ["plot_calibration", "plot_fit"]


def plot_calibration(data: Any, *, measure: str | None = None, ax: Axes | None = None, lang: Language | str = Language.EN) -> Axes:
    """Observed values (dots) beside the mean of the check runs with their interval (bars), and the expected path
    (crosses), by period, for one ``measure`` (all, side by side, when ``None``).

    ``data`` is a calibration's ``diagnostics()`` frame (``series, measure, period, observed, expected,
    simulated, low, high``) or the fitted calibrator itself.
    """
    check_lang(lang)
    frame = table(data, "diagnostics", ("series", "measure", "period", "observed", "expected", "simulated", "low",
                                        "high"))
    if measure is not None:
        frame = frame[frame["measure"] == measure]
    ax = axes(ax)
    x = np.arange(len(frame))
    simulated = frame["simulated"].to_numpy(dtype=float)
    has_runs = bool(np.isfinite(simulated).any())
    if has_runs:
        low = frame["low"].to_numpy(dtype=float)
        high = frame["high"].to_numpy(dtype=float)
        ax.errorbar(x, simulated, yerr=[simulated - low, high - simulated], fmt="s", color="C0", capsize=3,
                    label=f"{text('simulated', lang)}, {text('interval', lang)}")
    ax.plot(x, frame["expected"].to_numpy(dtype=float), "x", color="C2", label=text("expected", lang))
    ax.plot(x, frame["observed"].to_numpy(dtype=float), "o", color="C3", label=text("observed", lang))
    catalogue = catalogue_for(frame["measure"].astype(str).str.split("+").explode())
    names = [str(p) if measure is not None else f"{_measure_label(str(m), lang, catalogue)}\n{p}"
             for m, p in zip(frame["measure"], frame["period"], strict=True)]
    ax.set_xticks(x, names, rotation=30 if measure is None else 0, ha="right" if measure is None else "center",
                  fontsize="small")
    units = list(dict.fromkeys(frame["unit"].astype(str))) if "unit" in frame.columns else []
    ax.set_ylabel(text("fte", lang) if units in ([], ["fuldtidspersoner"]) else ", ".join(units))
    title = text("calibration", lang)
    ax.set_title(textwrap.fill(_measure_label(measure, lang, catalogue), 48) if measure is not None else title,
                 fontsize="small" if measure is not None else None)
    ax.legend(fontsize="x-small")
    return ax


def plot_fit(data: Any, *, title: str = "", columns: int = 3, lang: Language | str = Language.EN) -> Figure:
    """A panel per measure (:func:`plot_calibration` for each) in one figure, for a calibration's report."""
    check_lang(lang)
    frame = table(data, "diagnostics", ("measure",))
    measures = list(dict.fromkeys(frame["measure"].astype(str)))
    columns = max(1, min(columns, len(measures)))
    rows = -(-len(measures) // columns)
    figure, grid = plt.subplots(rows, columns, figsize=(4.4 * columns, 3.4 * rows), squeeze=False,
                                layout="constrained")
    for ax, measure in zip(grid.ravel(), measures, strict=False):
        plot_calibration(frame, measure=measure, ax=ax, lang=lang)
    for ax in grid.ravel()[len(measures):]:
        ax.set_visible(False)
    for ax in grid.ravel()[1:len(measures)]:
        legend = ax.get_legend()
        if legend is not None:
            legend.remove()
    if title:
        figure.suptitle(title)
    return figure


def _measure_label(measure: str, lang: Language | str, catalogue: Any) -> str:
    """A measure (a state, or states joined by ``+``) in words."""
    return " + ".join(state_label(part, lang, catalogue) for part in measure.split("+"))
