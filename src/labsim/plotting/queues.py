"""The jobcenter's queues: the rehabiliteringsteam's open cases and waits, a course's intakes and waiting list, per
strategy over time."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from labsim.errors import ValidationError
from labsim.events.rehab import REHAB_QUEUE
from labsim.plotting.frames import axes, period_axis, table, year_ticks
from labsim.plotting.labels import Language, check_lang, text

__all__ = ["plot_queue", "plot_waits", "plot_intakes"]

_QUEUE_KINDS = ("rehab", "course")
_SERVED = ("decided", "admitted")  # the outcomes that end a wait by being served
_BAR_SPAN = 0.8  # the share of an intake's slot its bars fill
_LEGEND_COLUMNS, _LEGEND_ROW = 3, 0.2  # the intakes' legend above the bars: its columns, and head room per row


def plot_queue(data: Any, queue: str = REHAB_QUEUE, *, strategies: list[str] | None = None, ax: Axes | None = None,
               lang: Language | str = Language.EN) -> Axes:
    """A queue's length by month, a line per strategy (mean over replications): the rehabiliteringsteam's open
    cases at each month's end, or the persons a course left waiting at each intake (dots: intake months only).

    ``data`` is a ``capacity`` frame (its ``rehab`` or ``course`` rows' ``waiting``, see
    :func:`labsim.batch.capacity_frame`) or a result that holds one.
    """
    check_lang(lang)
    frame = _rows(table(data, "capacity", ("strategy", "replicate", "month", "resource", "kind", "waiting")), queue)
    course = bool((frame["kind"].astype(str) == "course").all())
    ax = axes(ax)
    for i, strategy, rows in _by_strategy(frame, "waiting", strategies, "capacity"):
        x = period_axis(rows["month"])
        ax.plot(x, rows["waiting"], color=f"C{i}", label=strategy, marker="o" if course else None,
                linestyle=":" if course else "-")
        if course:  # a few intake months: matplotlib's own ticks would label months between them
            year_ticks(ax, x)
    ax.set_ylim(bottom=0)
    ax.set_title(f"{queue}: {text('course_waiting' if course else 'open_cases', lang)}")
    ax.set_xlabel(text("month", lang))
    ax.set_ylabel(text("persons", lang))
    ax.legend(fontsize="x-small")
    return ax


def plot_waits(data: Any, queue: str = REHAB_QUEUE, *, strategies: list[str] | None = None, ax: Axes | None = None,
               lang: Language | str = Language.EN) -> Axes:
    """The mean wait, in months, of the persons a queue served in each month, a line per strategy: for the
    rehabiliteringsteam the cases decided that month (solid), with the part they waited for a preparer (dashed);
    for a course the persons admitted at an intake (dots). Cases that lapsed or still wait are left out.

    ``data`` is a ``waits`` frame (``strategy, queue, closed, wait_months, desk_wait_months, outcome``, see
    :meth:`labsim.Run.waits`) or a result that holds one; the mean is over the month's cases of every replication.
    """
    check_lang(lang)
    frame = table(data, "waits", ("strategy", "queue", "closed", "wait_months", "desk_wait_months", "outcome"))
    names = list(dict.fromkeys(frame["queue"].astype(str)))
    if queue not in names:
        raise ValidationError(f"queue {queue!r} is not in the waits frame; it has {names}.")
    frame = frame[(frame["queue"].astype(str) == queue) & frame["outcome"].astype(str).isin(_SERVED)]
    frame = frame.rename(columns={"closed": "month"})
    course = queue != REHAB_QUEUE
    ax = axes(ax)
    desk = False
    for i, strategy, rows in _by_strategy(frame, ["wait_months", "desk_wait_months"], strategies, "waits"):
        x = period_axis(rows["month"])
        ax.plot(x, rows["wait_months"], color=f"C{i}", label=strategy, marker="o" if course else None,
                linestyle=":" if course else "-")
        if rows["desk_wait_months"].notna().any():
            ax.plot(x, rows["desk_wait_months"], color=f"C{i}", linestyle="--", linewidth=1, label="_nolegend_")
            desk = True
        if course:  # a few intake months: matplotlib's own ticks would label months between them
            year_ticks(ax, x)
    handles, labels = ax.get_legend_handles_labels()
    if desk:  # one entry for the dashed lines of every strategy
        handles.append(Line2D([], [], color="0.4", linestyle="--", linewidth=1))
        labels.append(text("desk_wait", lang))
    ax.set_ylim(bottom=0)
    ax.set_title(f"{queue}: {text('mean_wait_admitted' if course else 'mean_wait', lang)}")
    ax.set_xlabel(text("month", lang))
    ax.set_ylabel(text("months", lang))
    ax.legend(handles, labels, fontsize="x-small")
    return ax


def plot_intakes(data: Any, course: str | None = None, *, strategies: list[str] | None = None,
                 ax: Axes | None = None, lang: Language | str = Language.EN) -> Axes:
    """A course's intakes: per intake month a bar per strategy of the persons admitted (mean over replications),
    the seats marked by a black line across them.

    ``data`` is a ``capacity`` frame (its ``course`` rows, see :func:`labsim.batch.capacity_frame`) or a result
    that holds one; ``course`` defaults to the frame's first.
    """
    check_lang(lang)
    frame = table(data, "capacity", ("strategy", "replicate", "month", "resource", "kind", "capacity", "used"))
    courses = list(dict.fromkeys(frame.loc[frame["kind"].astype(str) == "course", "resource"].astype(str)))
    if not courses:
        raise ValidationError("the capacity frame has no course rows: these runs have no course intake to draw.")
    chosen = courses[0] if course is None else course
    frame = _rows(frame, chosen)
    lines = _by_strategy(frame, ["capacity", "used"], strategies, "capacity")
    months = sorted({str(m) for _, _, rows in lines for m in rows["month"]})
    slot = {month: i for i, month in enumerate(months)}
    width = _BAR_SPAN / max(len(lines), 1)
    ax = axes(ax)
    for n, (i, strategy, rows) in enumerate(lines):
        x = np.array([slot[str(m)] for m in rows["month"]]) - _BAR_SPAN / 2 + (n + 0.5) * width
        ax.bar(x, rows["used"], width=width, color=f"C{i}", label=strategy)
    seats = frame.groupby(frame["month"].astype(str))["capacity"].max()
    for month, count in seats.items():
        ax.hlines(count, slot[str(month)] - _BAR_SPAN / 2, slot[str(month)] + _BAR_SPAN / 2, color="black",
                  label=text("seats", lang) if slot[str(month)] == 0 else "_nolegend_")
    top = max(float(seats.max()), *(float(rows["used"].max()) for _, _, rows in lines))
    legend_rows = -(-(len(lines) + 1) // _LEGEND_COLUMNS)
    ax.set_ylim(0, top * (1.0 + _LEGEND_ROW * (legend_rows + 1)))
    ax.set_xticks(range(len(months)), months)
    ax.set_title(f"{chosen}: {text('intakes_title', lang)}")
    ax.set_xlabel(text("intake", lang))
    ax.set_ylabel(text("persons_admitted", lang))
    ax.legend(fontsize="x-small", loc="upper center", ncols=min(len(lines) + 1, _LEGEND_COLUMNS))
    return ax


def _rows(frame: pd.DataFrame, queue: str) -> pd.DataFrame:
    """The ``rehab`` or ``course`` rows of ``queue`` in a capacity frame; a queue it lacks is an error naming those
    it has."""
    queues = frame[frame["kind"].astype(str).isin(_QUEUE_KINDS)]
    names = list(dict.fromkeys(queues["resource"].astype(str)))
    if queue not in names:
        raise ValidationError(f"queue {queue!r} is not in the capacity frame; it has {names}.")
    return queues[queues["resource"].astype(str) == queue]


def _by_strategy(frame: pd.DataFrame, columns: str | list[str], strategies: list[str] | None,
                 name: str) -> list[tuple[int, str, pd.DataFrame]]:
    """Per strategy (in the frame's order, or the ``strategies`` asked for), its place in the frame's order (its
    colour) and the mean of ``columns`` by month."""
    present = list(dict.fromkeys(frame["strategy"].astype(str)))
    unknown = [s for s in strategies or () if s not in present]
    if unknown:
        raise ValidationError(f"strategies {unknown} are not in the {name} frame; it has {present}.")
    means = (frame.assign(strategy=frame["strategy"].astype(str))
             .groupby(["strategy", "month"], observed=True, sort=True)[columns].mean().reset_index())
    return [(i, s, means[means["strategy"] == s]) for i, s in enumerate(present)
            if strategies is None or s in strategies]
