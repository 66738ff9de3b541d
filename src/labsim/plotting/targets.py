"""The probability of meeting each target: a dot per strategy, with the uncertainty of the estimate."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes

from labsim.plotting.frames import axes, table
from labsim.plotting.labels import Language, check_lang, text
from labsim.results.targets import wilson

__all__ = ["plot_targets", "wilson"]


def plot_targets(data: Any, *, ax: Axes | None = None, lang: Language | str = Language.EN) -> Axes:
    """One row per target, one dot per strategy at the probability of meeting it, with its Wilson 90 % interval
    over the replications (how sure the runs are of that probability).

    ``data`` is a ``target_summary`` frame (``strategy, target, probability, replications``) or a result.
    """
    check_lang(lang)
    frame = table(data, "target_summary", ("strategy", "target", "probability", "replications"))
    targets = list(dict.fromkeys(frame["target"].astype(str)))
    strategies = list(dict.fromkeys(frame["strategy"].astype(str)))
    ax = axes(ax, (8.0, 0.5 * len(targets) + 1.5))
    offsets = np.linspace(-0.25, 0.25, len(strategies)) if len(strategies) > 1 else np.zeros(1)
    for i, strategy in enumerate(strategies):
        mine = frame[frame["strategy"] == strategy].set_index("target")
        shown = [t for t in targets if t in mine.index]
        p = mine.loc[shown, "probability"].to_numpy(dtype=float)
        n = mine.loc[shown, "replications"].to_numpy(dtype=int)
        low, high = np.array([wilson(a, b) for a, b in zip(p, n, strict=True)]).reshape(-1, 2).T
        y = np.array([targets.index(t) for t in shown]) + offsets[i]
        dots = np.clip(p, 0.0, 1.0)  # the bars from clipped values: never negative, whatever the rounding
        xerr = [np.clip(dots - low, 0.0, None), np.clip(high - dots, 0.0, None)]
        ax.errorbar(dots, y, xerr=xerr, fmt="o", color=f"C{i}", label=strategy, capsize=2)
    ax.set_yticks(range(len(targets)), targets)
    ax.invert_yaxis()
    ax.set_xlim(-0.02, 1.02)
    ax.axvline(0.5, color="0.8", linewidth=0.8, zorder=0)
    ax.set_xlabel(text("probability", lang))
    ax.set_title(text("targets", lang))
    ax.legend(fontsize="small", loc="best")
    return ax
