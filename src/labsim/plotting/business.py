"""The business case: net saving per year against the baseline, cumulative, payback marked."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from labsim.errors import ValidationError
from labsim.plotting.frames import axes, one_strategy, table
from labsim.plotting.labels import Language, check_lang, text

__all__ = ["plot_business_case"]


def plot_business_case(data: Any, *, strategy: str | None = None, baseline: str = "", ax: Axes | None = None,
                       lang: Language | str = Language.EN) -> Axes:
    """A strategy's net saving against the baseline per year (bars, with the paired 90 % interval) and cumulative
    (line), in million DKK; the payback year is marked, or the figure says there is none.

    ``data`` is a ``business_case`` frame (``strategy, period, saving_dkk, saving_low, saving_high,
    cumulative_saving_dkk, payback_year``) or a :class:`~labsim.Comparison`. ``strategy`` defaults to the
    first in the frame; ``baseline`` names the baseline in the title (a comparison's by default).
    """
    check_lang(lang)
    frame = table(data, "business_case", ("strategy", "period", "saving_dkk", "saving_low", "saving_high",
                                          "cumulative_saving_dkk", "payback_year"))
    if frame.empty:
        raise ValidationError("the business case is empty: it needs a strategy besides the baseline.")
    mine, strategy = one_strategy(frame, strategy, "business case")
    baseline = baseline or str(getattr(data, "baseline", "") or "")
    years = mine["period"].astype(str).str[:4].astype(int).to_numpy()
    saving = mine["saving_dkk"].to_numpy(dtype=float) / 1e6
    low = mine["saving_low"].to_numpy(dtype=float) / 1e6
    high = mine["saving_high"].to_numpy(dtype=float) / 1e6
    ax = axes(ax)
    colors = np.where(saving >= 0, "C2", "C3")
    ax.bar(years, saving, color=colors, alpha=0.8, label=text("saving", lang),
           yerr=[saving - low, high - saving], error_kw={"elinewidth": 0.8, "capsize": 2, "ecolor": "0.3"})
    ax.plot(years, mine["cumulative_saving_dkk"].to_numpy(dtype=float) / 1e6, color="C0", marker="o",
            markersize=3, label=text("cumulative", lang))
    ax.axhline(0.0, color="0.3", linewidth=0.8)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # years, not 2019.5
    payback = str(mine["payback_year"].iloc[0]) if str(mine["payback_year"].iloc[0]) not in ("", "nan") else ""
    if payback:
        ax.axvline(int(payback[:4]), color="C1", linestyle="--", label=f"{text('payback', lang)} {payback[:4]}")
    else:
        ax.text(0.99, 0.02, text("no_payback", lang), transform=ax.transAxes, ha="right", va="bottom",
                fontsize="small", color="C3")
    ax.set_xlabel(text("year", lang))
    ax.set_ylabel(text("mio_dkk", lang))
    against = f" {baseline}" if baseline else ""
    ax.set_title(f"{strategy}: {text('business_case', lang)}{against}")
    ax.legend(fontsize="small", loc="upper left")
    return ax
