"""A measure per strategy over time with its 50 % and 90 % bands over replications."""

from __future__ import annotations

from typing import Any

from matplotlib.axes import Axes

from labsim.errors import ValidationError
from labsim.experiments import bands as quantile_bands
from labsim.plotting.frames import axes, period_axis, table, year_ticks
from labsim.plotting.labels import Language, catalogue_for, check_lang, state_label, text
from labsim.results.money import MONEY_ITEMS
from labsim.states import StateCatalogue
from labsim.states.selection import SELECTION_RULE

__all__ = ["plot_fan"]


def plot_fan(data: Any, measure: str = "public_support", *, strategies: list[str] | None = None,
             catalogue: StateCatalogue | None = None, ax: Axes | None = None,
             lang: Language | str = Language.EN) -> Axes:
    """``measure`` per year and strategy: the median line, a 50 % and a 90 % band over the replications.

    ``measure`` names states (:func:`labsim.states.select_states`: ``"public_support"``, a state, a group such as
    ``"jobparate"`` or ``"hjoerring:jobparate"``, or such parts joined by ``+``), whose fuldtidspersoner are drawn, or
    is a money item (:class:`~labsim.results.money.MoneyItem`: ``"net_cost"``, ``"benefits"``, ``"refund"``,
    ``"effort_cost"``, in million DKK). ``data`` is a result, or the ``fte`` frame (``money`` for a money item).

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> fte = pd.DataFrame({"strategy": "baseline", "replicate": [0, 1, 0, 1], "period": ["2022", "2022", "2023", "2023"],
    ...                     "state": "a_dagpenge", "fte": [100.0, 110.0, 95.0, 105.0]})
    >>> ax = plot_fan(fte, "a_dagpenge")
    >>> isinstance(ax, Axes), ax.get_xlabel(), [line.get_label() for line in ax.lines]
    (True, 'Year', ['baseline'])
    >>> ax.lines[0].get_ydata().tolist()  # the median over the replicates, per year
    [105.0, 100.0]
    >>> plt.close(ax.figure)
    """
    check_lang(lang)
    money = measure in MONEY_ITEMS
    if money:
        frame = table(data, "money", ("strategy", "replicate", "period", "item", "dkk"))
        values = frame[frame["item"] == str(measure)].assign(value=lambda f: f["dkk"] / 1e6)
        unit, label = text("mio_dkk", lang), text(str(measure), lang)
    else:
        frame = table(data, "fte", ("strategy", "replicate", "period", "state", "fte"))
        names = list(dict.fromkeys(frame["state"].astype(str)))
        catalogue = catalogue if catalogue is not None else catalogue_for(names)
        chosen = _states(measure, names, catalogue)
        values = frame[frame["state"].astype(str).isin(chosen)].rename(columns={"fte": "value"})
        unit = text("fte", lang)
        label = text(measure, lang) if len(chosen) > 1 or measure == "public_support" else state_label(measure, lang,
                                                                                                      catalogue)
    totals = values.groupby(["strategy", "replicate", "period"], observed=True)["value"].sum().reset_index()
    bands = quantile_bands(totals, "value", ["strategy", "period"])
    chosen_strategies = strategies if strategies is not None else list(dict.fromkeys(frame["strategy"].astype(str)))
    ax = axes(ax)
    for i, strategy in enumerate(chosen_strategies):
        mine = bands[bands["strategy"] == strategy]
        if mine.empty:
            raise ValidationError(f"strategy {strategy!r} is not in the {'money' if money else 'fte'} "
                                  f"frame; it has {sorted(bands['strategy'].unique())}.")
        x = period_axis(mine["period"])
        color = f"C{i}"
        ax.fill_between(x, mine["q05"], mine["q95"], color=color, alpha=0.15, linewidth=0)
        ax.fill_between(x, mine["q25"], mine["q75"], color=color, alpha=0.3, linewidth=0)
        ax.plot(x, mine["q50"], color=color, label=strategy)
        year_ticks(ax, x)
    ax.set_xlabel(text("year", lang))
    ax.set_ylabel(unit)
    ax.set_title(f"{label} — {text('median', lang)}, {text('band50', lang)} / {text('band90', lang)}")
    ax.legend(fontsize="small")
    return ax


def _states(measure: str, names: list[str], catalogue: StateCatalogue | None) -> list[str]:
    """The states whose fuldtidspersoner make up ``measure`` (:meth:`labsim.StateCatalogue.members`)."""
    if measure in names:
        return [measure]
    chosen = catalogue.members(measure) if catalogue is not None else None
    if chosen is None:
        raise ValidationError(f"measure must be a money item ({', '.join(MONEY_ITEMS)}) or name states ("
                              f"{SELECTION_RULE}); got {measure!r}; the frame's states are {', '.join(names)}.")
    return chosen
