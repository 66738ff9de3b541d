"""Two caseload levels for Hjørring's aktivitetsparate: contacts, exits to work and costs.

Hjørringmodellen is a caseload story: in ``scenarios/hjoerring_2022.toml`` the jobcenter's team for aktivitetsparate
kontanthjælp recipients has 7 caseworkers (a caseload of about 80) and Hjørringmodellen adds 9 (about 35). This
script compares that with half the investment — 4 more caseworkers, a caseload of about 50 — from 2021 to 2028 on
common random numbers:

1. the team's realised caseload, contacts per citizen a month and the hazard multiplier they give (caseload works
   as a dose: a shortage means fewer contacts for everyone in the group), from one run of each;
2. the exits from aktivitetsparat kontanthjælp to work per year, and the persons on it;
3. the business case of the full investment against half of it: the caseworkers' cost against the benefits saved.

The contact effect (1.26 at caseload 35 against 80) is an *assumption* in the range 1.0–1.6 (DOMAIN.md §6); so is
the team's size. Change them in the scenario file's ``[jobcenter.teams.aktivitetsparate]`` or by path.

    python examples/caseload_levels.py               # 10 replications, about a minute on 2 cores
    LABSIM_EXAMPLE_REPLICATIONS=2 python examples/caseload_levels.py

Outputs go to ``LABSIM_EXAMPLE_OUT`` (default ``examples/output``).
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd

import labsim
from labsim.policy.library import HjoerringCaseload

ROOT = Path(__file__).resolve().parents[1]
LEVELS = {"caseload_35": 9, "caseload_50": 4}
"""Caseworkers Hjørringmodellen adds to the team's 7: 16 for the 556 citizens of 2021 is a caseload of 35, 11 of 50."""


def caseload_scenario() -> labsim.Scenario:
    """Hjørring 2021–2028 with two strategies that differ only in Hjørringmodellen's caseworkers."""
    scenario = labsim.read_scenario(ROOT / "scenarios" / "hjoerring_2022.toml", allow_outside=True)
    strategies = {name: labsim.Strategy(name, [HjoerringCaseload(team="aktivitetsparate", caseworkers=count,
                                                                 stop="2028-12")])
                  for name, count in LEVELS.items()}
    return scenario.replace(strategies=strategies, baseline="caseload_50", end=labsim.parse_month("2028-12"),
                            targets=(), titles={"caseload_35": "Hjørringmodellen: 9 more caseworkers, 16 in all",
                                                "caseload_50": "Half of it: 4 more, 11 in all"})


def team_by_year(scenario: labsim.Scenario) -> pd.DataFrame:
    """The team's realised caseload, contacts per citizen a month and multiplier, yearly means, from replicate 0."""
    frames = []
    for name in scenario.strategies:
        teams = scenario.run(name).teams().query("team == 'aktivitetsparate'")
        frames.append(teams.assign(year=teams["month"].dt.year))
    return (pd.concat(frames).groupby(["strategy", "year"])[["caseworkers", "caseload", "contacts", "multiplier"]]
            .mean().round(2))


def main() -> None:
    matplotlib.use("Agg")
    replications = int(os.environ.get("LABSIM_EXAMPLE_REPLICATIONS", "10"))
    out = Path(os.environ.get("LABSIM_EXAMPLE_OUT", ROOT / "examples" / "output"))
    out.mkdir(parents=True, exist_ok=True)
    scenario = caseload_scenario()
    team = team_by_year(scenario)
    print(team.to_string())
    result = labsim.compare(scenario, replications=replications, n_jobs=min(2, os.cpu_count() or 1), progress=True)
    flows = result.flows.query("from_state == 'kontanthjaelp_aktivitetsparat' and to_state == 'employed'")
    exits = flows.assign(year=flows["period"].dt.year).groupby(["strategy", "year"])["count"].sum() / replications
    on_benefit = (result.fte.query("state == 'kontanthjaelp_aktivitetsparat'")
                  .assign(year=lambda frame: frame["period"].dt.year)
                  .groupby(["strategy", "year"])["fte"].mean())
    print(pd.DataFrame({"exits to work a year": exits.round(1), "fuldtidspersoner": on_benefit.round(1)}).to_string())
    case = result.business_case()
    print(case.groupby("strategy")[["effort_cost_dkk", "saving_dkk"]].sum().div(1e6).round(1)
          .rename(columns=lambda c: c.replace("_dkk", ", mio. DKK 2021-2028")).to_string())
    figure, axes = plt.subplots(1, 3, figsize=(13, 3.6))
    for name, frame in team.groupby(level="strategy"):
        years = frame.index.get_level_values("year")
        axes[0].plot(years, frame["caseload"], marker="o", label=scenario.titles[name])
        axes[1].plot(years, frame["contacts"], marker="o")
        axes[2].plot(exits.loc[name].index, exits.loc[name], marker="o")
    for axis, title in zip(axes, ("Realised caseload (citizens per caseworker)", "Contacts per citizen a month",
                                  "Exits to work a year (mean of replications)"), strict=True):
        axis.set_title(title, fontsize=10)
        axis.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(out / "caseload_levels.png", dpi=100)
    print(f"wrote {out / 'caseload_levels.png'}")


if __name__ == "__main__":
    main()
