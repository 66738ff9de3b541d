"""What a study keeps of one run: tidy frames, small enough to hold thousands of runs (DESIGN.md §8)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pandas as pd

from labsim.results import Run
from labsim.simulation.scenario import Scenario

__all__ = ["RunSummary", "summarise_run", "capacity_frame", "TABLES", "RUN_COLUMNS", "CAPACITY_COLUMNS", "frames_of",
           "runs_of"]


@dataclass(frozen=True, slots=True)
class RunSummary:
    """One run's tidy frames; each carries ``scenario, strategy, replicate``."""

    fte: pd.DataFrame
    """Fuldtidspersoner by year and state."""
    stocks: pd.DataFrame
    """Persons by month and state."""
    flows: pd.DataFrame
    """Moves by year, from state and to state."""
    money: pd.DataFrame
    """The money items by year (DKK): benefits, refund, effort_cost and net_cost."""
    efforts: pd.DataFrame
    """Each effort's cost by year."""
    targets: pd.DataFrame
    """Each target's value and whether it was met."""
    observed: pd.DataFrame
    """Each observed series beside the run's value for the same period."""
    capacity: pd.DataFrame
    """Scarce capacity by month: each effort's places, each caseworker team's meetings, the rehabiliteringsteam's
    cases and each course's intakes, as ``demand, capacity, used, waiting`` (see :func:`capacity_frame`)."""
    teams: pd.DataFrame
    """Each caseworker team by month: its group, caseworkers, realised caseload, meetings, contacts per person and
    the multiplier they give (:meth:`labsim.Run.teams`)."""
    waits: pd.DataFrame
    """One row per rehabiliteringsteam case and per course admission, with its wait (:meth:`labsim.Run.waits`)."""


TABLES: tuple[str, ...] = tuple(f.name for f in fields(RunSummary))
"""The names of a run's frames, in the order :class:`RunSummary` holds them."""


RUN_COLUMNS: tuple[str, ...] = ("scenario", "strategy", "point", "replicate", "seed", "spawn_key", "status", "error",
                                "seconds")
"""The ``runs`` table: one row per run. ``seconds`` is the one column that differs between two executions."""


def frames_of(outcomes: Sequence[Any], point: bool = True) -> dict[str, pd.DataFrame]:
    """The finished runs of ``outcomes`` as one frame per table (with each run's sweep ``point`` unless
    ``point`` is false); a table no run wrote rows to is an empty frame."""
    frames = {}
    for table in TABLES:
        parts = [getattr(o.summary, table) for o in outcomes if o.summary is not None]
        if point:
            parts = [p.assign(point=o.key.point) for p, o in zip(parts, [o for o in outcomes if o.summary is not None],
                                                               strict=True)]
        filled = [p for p in parts if not p.empty]
        # an empty table keeps its columns (those of an empty part), so code that selects columns still works
        frames[table] = pd.concat(filled or parts[:1], ignore_index=True) if parts else pd.DataFrame()
    return frames


def runs_of(outcomes: Sequence[Any], scenario: str) -> pd.DataFrame:
    """The ``runs`` table of ``outcomes``: key, seed, spawn key, status (``ok`` or ``failed``), error, seconds."""
    return pd.DataFrame([{
        "scenario": scenario, "strategy": o.key.strategy, "point": o.key.point, "replicate": o.key.replicate,
        "seed": o.seed, "spawn_key": tuple(o.spawn_key), "status": "failed" if o.failed else "ok",
        "error": o.error, "seconds": o.seconds} for o in outcomes], columns=list(RUN_COLUMNS))


def summarise_run(run: Run, scenario: Scenario) -> RunSummary:
    """Keep what a study reports of ``run``: yearly fuldtidspersoner by state, monthly stocks by state,
    yearly flows, yearly money, yearly effort costs, the targets' values, the observed series, the scarce capacity
    by month, the caseworker teams by month and the waits in the jobcenter's queues."""
    identity = {"scenario": run.scenario, "strategy": run.strategy, "replicate": run.replicate}
    stocks = run.stocks()
    stocks = stocks.groupby(["scenario", "strategy", "replicate", "month", "state"], observed=True,
                            sort=False)[["persons"]].sum().reset_index()
    flows = run.flows()
    flows["period"] = flows["month"].dt.asfreq("Y")
    flows = flows.groupby(["scenario", "strategy", "replicate", "period", "from_state", "to_state"],
                          observed=True, sort=False)["count"].sum().reset_index()
    money = run.money(scenario.rates, "year")
    target_rows = []
    for target in scenario.targets:
        value = target.value(run, scenario.rates)
        target_rows.append({**identity, "target": target.name, "period": target.period.text, "value": value,
                            "met": bool(target.met(np.array([value]))[0])})
    observed_rows = []
    for series in scenario.observed:
        for pair in series.simulated(run, scenario.rates):
            observed_rows.append({**identity, "series": series.name, "period": pair.period,
                                  "observed": pair.observed, "simulated": pair.simulated, "source": series.source})
    return RunSummary(
        fte=run.fte("year"), stocks=stocks, flows=flows, money=money, efforts=run.effort_costs("year"),
        targets=pd.DataFrame(target_rows, columns=[*identity, "target", "period", "value", "met"]),
        capacity=capacity_frame(run), teams=run.teams(), waits=run.waits(),
        observed=pd.DataFrame(observed_rows, columns=[*identity, "series", "period", "observed", "simulated",
                                                      "source"]),
    )


CAPACITY_COLUMNS: tuple[str, ...] = ("scenario", "strategy", "replicate", "month", "resource", "kind", "demand",
                                     "capacity", "used", "waiting")
"""Columns of the ``capacity`` table."""


def capacity_frame(run: Run) -> pd.DataFrame:
    """One run's scarce capacity by month, one row per resource and month; ``kind`` says what the numbers count.

    The columns are labsim's capacity convention — ``demand`` (what was asked for), ``capacity`` (what could be
    given), ``used`` (what was given), ``waiting`` (what was left waiting) — which :meth:`Run.teams` shares; an
    effort's own frame (:meth:`Run.efforts`) says ``eligible``, ``places`` and ``served`` (persons) instead, and
    :meth:`Run.queues` ``length`` and ``joined``:

    - ``effort``: persons meeting the effort's entry rules (``demand``), its places (``capacity``; NaN when
      unlimited) and persons served (``used``); ``waiting`` is NaN. A course's months are its ``course`` rows, not
      effort rows, though :meth:`Run.efforts` lists them (for their cost);
    - ``team``: a caseworker team's meetings due (``demand``), meetings its caseworkers can hold (``capacity``) and
      meetings held (``used``); ``waiting`` the meetings due and not held;
    - ``rehab``: the rehabiliteringsteam's cases — decided this month plus still open at its end (``demand``),
      cases its meeting could decide (``capacity``: the cases a meeting decides, 0 in a month without a meeting),
      cases decided (``used``) and cases open at the month's end (``waiting``, prepared or not);
    - ``course``: a course's intake, in intake months only — eligible persons not already in the course
      (``demand``: admitted plus left waiting), seats (``capacity``), persons admitted (``used``) and persons left
      waiting for the next intake (``waiting``).
    """
    efforts = run.efforts()
    teams = run.teams()
    queues = run.queues()
    rehab = queues[queues["kind"] == "rehab"]
    courses = queues[queues["kind"] == "course"]
    efforts = efforts[~efforts["effort"].isin(set(courses["queue"]))]
    parts = [
        pd.DataFrame({"month": efforts["month"], "resource": efforts["effort"], "kind": "effort",
                      "demand": efforts["eligible"].astype(float), "capacity": efforts["places"].astype(float),
                      "used": efforts["served"].astype(float), "waiting": np.nan}),
        pd.DataFrame({"month": teams["month"], "resource": teams["team"], "kind": "team",
                      "demand": teams["demand"].astype(float), "capacity": teams["capacity"].astype(float),
                      "used": teams["used"].astype(float),
                      "waiting": (teams["demand"] - teams["used"]).clip(lower=0).astype(float)}),
        *(pd.DataFrame({"month": queue["month"], "resource": queue["queue"], "kind": kind,
                        "demand": (queue["used"] + queue["length"]).astype(float),
                        "capacity": queue["capacity"].astype(float), "used": queue["used"].astype(float),
                        "waiting": queue["length"].astype(float)}) for kind, queue in (("rehab", rehab),
                                                                                      ("course", courses))),
    ]
    filled = [p for p in parts if not p.empty]
    frame = pd.concat(filled, ignore_index=True) if filled else parts[0].iloc[:0]
    frame.insert(0, "scenario", run.scenario)
    frame.insert(1, "strategy", run.strategy)
    frame.insert(2, "replicate", run.replicate)
    return frame[list(CAPACITY_COLUMNS)]
