"""The working-age population and the labour force to the horizon."""

from __future__ import annotations

from typing import Any

import pandas as pd
from matplotlib.axes import Axes

from labsim.experiments import bands as quantile_bands
from labsim.plotting.frames import axes, one_strategy, period_axis, table, year_ticks
from labsim.plotting.labels import Language, check_lang, text

__all__ = ["plot_population", "LABOUR_FORCE"]

LABOUR_FORCE: tuple[str, ...] = ("employed", "fleksjob", "a_dagpenge", "kontanthjaelp_jobparat")
"""The states counted as the labour force (arbejdsstyrken: the employed and the unemployed available for work):
ordinary employment, fleksjob, a-dagpenge and jobparat kontanthjælp. An assumption — DOMAIN.md gives no
definition the model can follow exactly (§1.1 places only *Uden for arbejdsstyrken* outside it) — so a
parameter of :func:`plot_population`."""

_PENSION = "folkepension"


def plot_population(data: Any, *, strategy: str | None = None, labour_force: tuple[str, ...] = LABOUR_FORCE,
                    ax: Axes | None = None, lang: Language | str = Language.EN) -> Axes:
    """Persons of working age (16 to folkepension age: everyone in the population not on folkepension, as the
    targets count them) and in the labour force (``labour_force`` states), yearly means with the 90 % band over
    replications.

    ``data`` is a ``stocks`` frame (``strategy, replicate, month, state, persons``) or a result.
    """
    check_lang(lang)
    frame = table(data, "stocks", ("strategy", "replicate", "month", "state", "persons"))
    frame, strategy = one_strategy(frame, strategy, "stocks")
    frame = frame.assign(year=pd.DatetimeIndex(period_axis(frame["month"])).year)
    state = frame["state"].astype(str)
    ax = axes(ax)
    for i, (key, rows) in enumerate((("working_age", frame[state != _PENSION]),
                                     ("labour_force", frame[state.isin(labour_force)]))):
        monthly = rows.groupby(["replicate", "year", "month"], observed=True)["persons"].sum().reset_index()
        yearly = monthly.groupby(["replicate", "year"], observed=True)["persons"].mean().reset_index()
        bands = quantile_bands(yearly, "persons", ["year"])
        x = period_axis(bands["year"].astype(str))
        ax.fill_between(x, bands["q05"], bands["q95"], color=f"C{i}", alpha=0.2, linewidth=0)
        ax.plot(x, bands["q50"], color=f"C{i}", label=text(key, lang))
        year_ticks(ax, x)
    ax.set_xlabel(text("year", lang))
    ax.set_ylabel(text("persons", lang))
    ax.set_title(f"{text('working_age', lang)} — {strategy}")
    ax.legend(fontsize="small")
    return ax
