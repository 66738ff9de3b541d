"""Scarce capacity: effort places, caseworker teams and queues — demand, capacity, use and waiting."""

from __future__ import annotations

from typing import Any

from matplotlib.axes import Axes

from labsim.plotting.frames import axes, period_axis, table
from labsim.plotting.labels import check_lang, text

__all__ = ["plot_capacity"]


def plot_capacity(data: Any, *, strategy: str | None = None, resources: list[str] | None = None,
                  ax: Axes | None = None, lang: str = "en") -> Axes:
    """Per resource and month, mean over replications: its capacity (dashed), what was used (solid) and who
    waits (dotted); for an effort with unlimited places, demand instead of capacity.

    ``data`` is a ``capacity`` frame (``strategy, replicate, month, resource, kind, demand, capacity, used,
    waiting``, see :func:`labsim.batch.capacity_frame`) or a result. ``resources`` picks some (all by default).
    Runs without scarce capacity give an empty figure that says so.
    """
    check_lang(lang)
    frame = table(data, "capacity", ("strategy", "replicate", "month", "resource", "kind", "demand", "capacity",
                                     "used", "waiting"))
    ax = axes(ax)
    ax.set_title(text("capacity_title", lang))
    ax.set_xlabel(text("month", lang))
    ax.set_ylabel(text("persons", lang))
    if not frame.empty:
        strategy = strategy if strategy is not None else str(frame["strategy"].iloc[0])
        frame = frame[frame["strategy"] == strategy]
        ax.set_title(f"{text('capacity_title', lang)} — {strategy}")
    chosen = resources if resources is not None else list(dict.fromkeys(frame["resource"].astype(str)))
    if frame.empty or not chosen:
        ax.text(0.5, 0.5, text("no_capacity", lang), transform=ax.transAxes, ha="center", va="center")
        return ax
    means = frame.groupby(["resource", "month"], observed=True)[["demand", "capacity", "used", "waiting"]].mean()
    for i, resource in enumerate(chosen):
        rows = means.loc[resource].reset_index()
        x = period_axis(rows["month"])
        color = f"C{i}"
        if rows["capacity"].notna().any():
            ax.plot(x, rows["capacity"], color=color, linestyle="--", label=f"{resource}: {text('capacity', lang)}")
        elif rows["used"].notna().any():
            ax.plot(x, rows["demand"], color=color, linestyle="--", label=f"{resource}: {text('demand', lang)}")
        if rows["used"].notna().any():
            ax.plot(x, rows["used"], color=color, label=f"{resource}: {text('used', lang)}")
        if rows["waiting"].notna().any():
            ax.plot(x, rows["waiting"], color=color, linestyle=":", label=f"{resource}: {text('waiting', lang)}")
    ax.legend(fontsize="x-small", ncols=2 if len(chosen) > 3 else 1)
    return ax
