"""Contract checks for things users write themselves; the test suite runs them on every built-in.

:func:`check_effort` runs the battery every effort must pass before it goes into a strategy.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np

from labsim.calendar import month_label
from labsim.core.cell_table import CellLayout, build_table, competing_risks
from labsim.core.population import Population
from labsim.core.synthesis import synthesise
from labsim.errors import LabsimError
from labsim.events import CaseworkerTeam, Jobcenter
from labsim.events.jobcenter import team_of
from labsim.io.model_file import default_model
from labsim.io.profile_file import default_profile
from labsim.policy import PHASES, EffortLike, EffortSpec, Strategy
from labsim.rng import RandomStreams
from labsim.simulation import simulate
from labsim.states import Gate

__all__ = ["EffortContractError", "check_effort"]

_PERSONS = 6_000
"""Size of the synthetic population the battery runs on."""
_MONTHS_BEFORE = 4
_MONTHS_AFTER = 8


class EffortContractError(LabsimError):
    """An effort broke its contract; the message names the effort and the check."""


def check_effort(effort: EffortLike | EffortSpec, *, seed: int = 2022) -> None:
    """Run the effort contract battery; raise :class:`EffortContractError` on the first broken rule. A built-in's
    spec is built first.

    The checks, on a synthetic population of 6,000 under the default model around the effort's start
    (``effort.schedule.start`` when it has one, else 2022-01):

    1. it is an effort: a ``name`` and a ``plan(month, population, streams)`` method;
    2. every plan is well formed (:meth:`labsim.policy.EffortPlan.check`), and its multipliers give
       valid probabilities in every cell of the model (stay and destination probabilities in [0, 1],
       summing to 1) and change no transition the catalogue forbids;
    3. ``plan`` changes nothing in the population it reads;
    4. the same seed gives the same plans and the same run, and the run never serves more than the places;
    5. nothing happens before the start date: no one is served, nothing is spent, and the run is
       identical to the run without the effort in every month before it.

    An effort whose caseworkers join a jobcenter team (``Capacity.team``) runs with a team of that name for
    aktivitetsparate kontanthjælp recipients, 2 caseworkers at the default norm.

    >>> from labsim.policy import library
    >>> check_effort(library.IPS())
    """
    if isinstance(effort, EffortSpec):
        effort = effort.build()
    name = getattr(effort, "name", None)
    if not isinstance(effort, EffortLike) or not isinstance(name, str):
        raise EffortContractError(f"check_effort: {effort!r} is not an effort (it needs a name and a plan method).")
    model = default_model()
    schedule = getattr(effort, "schedule", None)
    start = int(getattr(schedule, "start", 0)) or 122 * 12  # 2022-01 when the effort has no schedule
    first = start - _MONTHS_BEFORE
    profile = default_profile()
    population = synthesise(profile.scaled(_PERSONS), at=first, pension=model.rules.pension if model.rules else None,
                            seed=seed)
    where = f"check_effort: effort {name!r}"
    layout = CellLayout.for_model(model)
    table = build_table(model, layout, keep_hazards=True)
    allowed = model.catalogue.allowed_matrix(Gate.HAZARD)
    writable = population.copy()  # as a run hands it over: the arrays a run writes are writable
    for month in (first, start, start + _MONTHS_AFTER):
        before = _snapshot(writable)
        plan = effort.plan(month, writable, RandomStreams(seed))
        if not _same(before, _snapshot(writable)):
            raise EffortContractError(f"{where}: plan({month_label(month)}) changed the population it was given.")
        try:
            plan.check(name, population.n_persons, model.n_states)
        except LabsimError as error:
            raise EffortContractError(f"{where}: {error}") from None
        again = effort.plan(month, population, RandomStreams(seed))
        if not _same(_snapshot(plan), _snapshot(again)):
            raise EffortContractError(f"{where}: two plans for {month_label(month)} with the same seed differ.")
        changed = ~np.isclose(plan.multipliers, 1.0) & ~allowed[None, :, :]
        if changed.any():
            phase, origin, destination = (int(i[0]) for i in np.nonzero(changed))
            names = model.catalogue.names
            raise EffortContractError(f"{where}: the {PHASES[phase]} phase changes {names[origin]!r} → {names[destination]!r}, "
                                      "a transition the catalogue forbids.")
        assert table.hazards is not None
        _check_probabilities(where, table.hazards, layout.cell_state, plan.multipliers)
        if month < start and (plan.active or plan.eligible.any() or plan.cost_this_month):
            raise EffortContractError(f"{where}: its plan for {month_label(month)}, before the start "
                                      f"{month_label(start)}, is active, has eligible persons or costs.")
    last = start + _MONTHS_AFTER
    team = team_of(effort)
    jobcenter = Jobcenter(teams=(CaseworkerTeam(name=team, states=("kontanthjaelp_aktivitetsparat",), caseworkers=2),)
                          ) if team is not None else None
    runs = [simulate(population, model, start=first, end=last, seed=seed, strategy=s, trace=True, jobcenter=jobcenter)
            for s in (Strategy("with", [effort]), Strategy("with", [effort]), "without")]
    one, two, without = runs
    assert one.paths is not None and two.paths is not None and without.paths is not None
    if not np.array_equal(one.paths, two.paths):
        raise EffortContractError(f"{where}: two runs with the same seed differ.")
    months = one.event_outputs.effort_months if one.event_outputs is not None else []
    over = [m for m in months if m.places is not None and m.served > m.places]
    if over:
        raise EffortContractError(f"{where}: it serves {over[0].served} with {over[0].places} places in "
                                  f"{month_label(over[0].month)}.")
    early = [m for m in months if m.month < start and (m.served or m.after or m.cost_dkk)]
    if early:
        raise EffortContractError(f"{where}: it serves or costs in {month_label(early[0].month)}, before its start "
                                  f"{month_label(start)}.")
    # Row t of the paths is the state at the start of run month t; the effort can first act in the
    # step of its start month, whose outcome is row start − first + 1.
    if not np.array_equal(one.paths[: start - first + 1], without.paths[: start - first + 1]):
        raise EffortContractError(f"{where}: the run differs from the run without it before {month_label(start)}.")


def _check_probabilities(where: str, hazards: np.ndarray, states: np.ndarray, multipliers: np.ndarray) -> None:
    for phase, matrix in zip(PHASES, multipliers, strict=True):
        stay, _, tie, cumulative = competing_risks(hazards * matrix[states])
        ok = (np.all((stay >= 0) & (stay <= 1)) and np.all((tie >= 0) & (tie <= 1))
              and np.all(np.diff(cumulative, axis=1) >= 0) and np.all(cumulative >= 0) and np.all(cumulative[:, -1] == 1))
        if not ok:
            raise EffortContractError(f"{where}: the {phase} phase gives probabilities outside [0, 1] or not summing to 1.")


def _snapshot(thing: object) -> dict[str, object]:
    if isinstance(thing, Population):
        names = [f.name for f in fields(Population) if f.name != "catalogue"]
    else:
        names = [f.name for f in fields(thing)]  # type: ignore[arg-type]
    return {name: np.array(value, copy=True) if isinstance(value := getattr(thing, name), np.ndarray) else value
            for name in names}


def _same(a: dict[str, object], b: dict[str, object]) -> bool:
    return a.keys() == b.keys() and all(
        np.array_equal(a[k], b[k]) if isinstance(a[k], np.ndarray) else a[k] == b[k] for k in a  # type: ignore[arg-type]
    )
