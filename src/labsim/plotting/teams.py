"""Caseworker teams: caseworkers, the caseload they carry, the contacts each person gets and the multiplier those
give, per strategy over time."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from matplotlib.axes import Axes

from labsim.errors import ValidationError
from labsim.plotting.frames import axes, period_axis, table
from labsim.plotting.labels import Language, check_lang, text
from labsim.validation import one_of

__all__ = ["plot_team", "TeamMeasure", "TEAM_MEASURES"]


class TeamMeasure(StrEnum):
    """What :func:`plot_team` draws of a team (a column of :meth:`labsim.Run.teams`); a plain string does as well."""

    CASEWORKERS = "caseworkers"
    CASELOAD = "caseload"
    CONTACTS = "contacts"
    MULTIPLIER = "multiplier"


TEAM_MEASURES: tuple[TeamMeasure, ...] = tuple(TeamMeasure)
"""The measures of a team, in the order a report shows them."""

_NEUTRAL = 1.0  # the multiplier at the caseload the model's hazards were fitted at


def plot_team(data: Any, measure: TeamMeasure | str = TeamMeasure.CASELOAD, *, team: str | None = None,
              strategies: list[str] | None = None, ax: Axes | None = None, lang: Language | str = Language.EN) -> Axes:
    """One caseworker team's ``measure`` by month, a line per strategy (mean over replications): its caseworkers
    (efforts that join it included), the realised caseload (persons followed per caseworker), the meetings held per
    person followed (contacts), or the multiplier those give the group's moves to work and education (a dotted line
    marks 1, the caseload the hazards hold at).

    ``data`` is a ``teams`` frame (``strategy, replicate, month, team`` and the measure, see
    :meth:`labsim.Run.teams`) or a result that holds one. ``team`` defaults to the frame's first; a team or strategy
    the frame lacks is an error naming those it has.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> teams = pd.DataFrame({"strategy": ["cut", "cut", "keep", "keep"], "replicate": 0,
    ...                       "month": ["2024-01", "2024-02"] * 2, "team": "syge", "caseload": [80.0, 90.0, 35.0, 36.0]})
    >>> ax = plot_team(teams, "caseload")
    >>> [line.get_label() for line in ax.lines], ax.lines[1].get_ydata().tolist()
    (['cut', 'keep'], [35.0, 36.0])
    >>> plt.close(ax.figure)
    """
    check_lang(lang)
    measure = TeamMeasure(one_of(TeamMeasure)(measure, "measure"))
    frame = table(data, "teams", ("strategy", "replicate", "month", "team", measure.value))
    if frame.empty:
        raise ValidationError("the teams frame is empty: these runs have no caseworker team to draw.")
    names = list(dict.fromkeys(frame["team"].astype(str)))
    chosen = names[0] if team is None else team
    if chosen not in names:
        raise ValidationError(f"team {chosen!r} is not in the teams frame; it has {names}.")
    frame = frame[frame["team"].astype(str) == chosen]
    present = list(dict.fromkeys(frame["strategy"].astype(str)))
    unknown = [s for s in strategies or () if s not in present]
    if unknown:
        raise ValidationError(f"strategies {unknown} are not in the teams frame of team {chosen!r}; it has {present}.")
    means = (frame.assign(strategy=frame["strategy"].astype(str))
             .groupby(["strategy", "month"], observed=True, sort=True)[measure.value].mean().reset_index())
    ax = axes(ax)
    for i, strategy in enumerate(present):
        if strategies is not None and strategy not in strategies:
            continue
        rows = means[means["strategy"] == strategy]
        ax.plot(period_axis(rows["month"]), rows[measure.value], color=f"C{i}", label=strategy)
    if measure is TeamMeasure.MULTIPLIER:
        ax.axhline(_NEUTRAL, color="0.5", linestyle=":", linewidth=1)
    if measure in (TeamMeasure.CASEWORKERS, TeamMeasure.CASELOAD, TeamMeasure.CONTACTS):
        ax.set_ylim(bottom=0)
    ax.set_title(f"{chosen}: {text(f'team_{measure.value}', lang)}")
    ax.set_xlabel(text("month", lang))
    ax.set_ylabel(text(f"team_{measure.value}_unit", lang))
    ax.legend(fontsize="x-small")
    return ax
