"""Scarce capacity: effort places, caseworker teams' meetings, the rehabiliteringsteam and course intakes — demand,
capacity, use and waiting."""

from __future__ import annotations

from typing import Any

from matplotlib.axes import Axes

from labsim.errors import ValidationError
from labsim.plotting.frames import axes, one_strategy, period_axis, table
from labsim.plotting.labels import Language, check_lang, text

__all__ = ["plot_capacity"]


def plot_capacity(data: Any, *, strategy: str | None = None, resources: list[str] | None = None,
                  kinds: list[str] | None = None, ax: Axes | None = None, lang: Language | str = Language.EN) -> Axes:
    """Per resource and month, mean over replications: its capacity (dashed), what was used (solid) and what
    waits (dotted); for an effort with unlimited places, demand instead of capacity. A course has rows in its
    intake months only, drawn as dots.

    ``data`` is a ``capacity`` frame (``strategy, replicate, month, resource, kind, demand, capacity, used,
    waiting``, see :func:`labsim.batch.capacity_frame`) or a result. ``resources`` picks some and ``kinds`` some
    kinds (``effort``, ``team``, ``rehab``, ``course``; all by default). Unless named in ``resources``, an effort
    with no places, no demand and nobody served in any month is left out: one that adds caseworkers or seats to the
    jobcenter's team or course, whose rows are the team's or the course's. A frame without rows (runs without scarce
    capacity) gives an empty figure that says so; a ``strategy`` or resource the frame lacks is an error naming it.
    """
    check_lang(lang)
    frame = table(data, "capacity", ("strategy", "replicate", "month", "resource", "kind", "demand", "capacity",
                                     "used", "waiting"))
    ax = axes(ax)
    ax.set_title(text("capacity_title", lang))
    ax.set_xlabel(text("month", lang))
    ax.set_ylabel(text("persons", lang))
    if frame.empty and strategy is None:
        ax.text(0.5, 0.5, text("no_capacity", lang), transform=ax.transAxes, ha="center", va="center")
        return ax
    frame, strategy = one_strategy(frame, strategy, "capacity")
    ax.set_title(f"{text('capacity_title', lang)} — {strategy}")
    present = list(dict.fromkeys(zip(frame["kind"].astype(str), frame["resource"].astype(str), strict=True)))
    if kinds is not None:
        present = [(kind, name) for kind, name in present if kind in kinds]
    if resources is not None:
        unknown = [r for r in resources if r not in {name for _, name in present}]
        if unknown:
            raise ValidationError(f"resources {unknown} are not in the capacity frame; it has "
                                  f"{[name for _, name in present]}.")
        present = [(kind, name) for kind, name in present if name in resources]
    means = frame.groupby(["kind", "resource", "month"], observed=True)[["demand", "capacity", "used",
                                                                          "waiting"]].mean().reset_index()
    if resources is None:
        sizes = means.groupby(["kind", "resource"], observed=True)[["demand", "capacity", "used"]].sum(min_count=1)
        busy = (sizes.fillna(1) > 0).any(axis=1).reset_index(name="busy")  # NaN places: unlimited, so not idle
        idle = {(str(kind), str(name)) for kind, name, used in
                zip(busy["kind"], busy["resource"], busy["busy"], strict=True) if kind == "effort" and not used}
        present = [item for item in present if item not in idle]
    for i, (kind, resource) in enumerate(present):
        rows = means[(means["kind"].astype(str) == kind) & (means["resource"].astype(str) == resource)]
        x = period_axis(rows["month"])
        style: dict[str, Any] = {"color": f"C{i}", "marker": "o" if kind == "course" else None}
        if rows["capacity"].notna().any():
            ax.plot(x, rows["capacity"], linestyle="--", label=f"{resource}: {text('capacity', lang)}", **style)
        elif rows["used"].notna().any():
            ax.plot(x, rows["demand"], linestyle="--", label=f"{resource}: {text('demand', lang)}", **style)
        if rows["used"].notna().any():
            ax.plot(x, rows["used"], label=f"{resource}: {text('used', lang)}", **style)
        if rows["waiting"].notna().any():
            ax.plot(x, rows["waiting"], linestyle=":", label=f"{resource}: {text('waiting', lang)}", **style)
    ax.legend(fontsize="x-small", ncols=2 if len(present) > 3 else 1)
    return ax
