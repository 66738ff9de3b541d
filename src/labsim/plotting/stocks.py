"""Persons by group over time, as stacked areas."""

from __future__ import annotations

from typing import Any

import pandas as pd
from matplotlib.axes import Axes

from labsim.plotting.frames import axes, one_strategy, period_axis, table
from labsim.plotting.labels import Language, catalogue_for, check_lang, state_label, text
from labsim.states import StateCatalogue

__all__ = ["plot_stocks"]


def plot_stocks(data: Any, *, strategy: str | None = None, grouping: str | None = "hjoerring",
                catalogue: StateCatalogue | None = None, ax: Axes | None = None, lang: Language | str = Language.EN) -> Axes:
    """Persons by group per month, mean over replications, as stacked areas.

    ``data`` is a ``stocks`` frame (``strategy, replicate, month, state, persons``) or a result holding one.
    ``grouping`` names a grouping of the state catalogue (``"hjoerring"``: jobparate / ikke-jobparate /
    permanente, with integration beside them; ``"broenderslev"``; ``"public_support"``); states outside it are left
    out. ``None`` stacks every state. ``strategy`` defaults to the first in the frame.
    """
    check_lang(lang)
    frame = table(data, "stocks", ("strategy", "replicate", "month", "state", "persons"))
    frame, strategy = one_strategy(frame, strategy, "stocks")
    states = list(dict.fromkeys(frame["state"].astype(str)))
    catalogue = catalogue if catalogue is not None else catalogue_for(states)
    if grouping is None or catalogue is None:
        groups = {s: state_label(s, lang, catalogue) for s in states}
    else:
        of = dict(zip(catalogue.names, catalogue.group_of(grouping), strict=True))
        groups = {s: text(group, lang) for s in states if (group := of.get(s)) is not None}
    frame = frame[frame["state"].astype(str).isin(list(groups))].assign(group=lambda f: f["state"].astype(str).map(groups))
    replications = frame["replicate"].nunique()
    wide = (frame.groupby(["month", "group"], observed=True, sort=True)["persons"].sum() / max(replications, 1)).unstack(
        "group").fillna(0.0)
    wide = wide[[g for g in dict.fromkeys(groups.values()) if g in wide.columns]]
    ax = axes(ax)
    x = period_axis(pd.Series(wide.index))
    ax.stackplot(x, wide.to_numpy().T, labels=list(wide.columns), alpha=0.85)
    ax.set_xlabel(text("month", lang))
    ax.set_ylabel(text("persons", lang))
    ax.set_title(f"{text('stocks_title', lang)} — {strategy}")
    ax.legend(loc="upper left", fontsize="small", ncols=2 if len(wide.columns) > 6 else 1)
    ax.margins(x=0)
    return ax
