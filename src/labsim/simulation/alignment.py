"""Alignment to an external path: a baseline that follows given yearly totals, in expectation.

A municipality's budget assumes so many kontanthjælp fuldtidspersoner next year; a ministry forecasts
unemployment. :func:`align` solves, year by year on the expected-value path of the scenario's baseline
(:mod:`labsim.simulation.expected`), one multiplier per target on the hazards into the target's states (in its age
band, or at every age) so that the year's mean stock is the target's. The multipliers become dated
:class:`~labsim.events.Alignment` steps in the scenario's calendar, the same for every strategy: the counterfactuals
are not aligned again, or the alignment would take away the effect of what they do. After the last year a target
gives, its multiplier holds.

This differs from LIAM2's ``align`` and JAS-mine's alignment, which after each step pick the persons who move
(by sorting their probabilities, or by resampling) so that each run hits the totals exactly: there every run, and
every strategy unless it is aligned separately, meets the path, and a strategy's effect on the aligned totals is
aligned away. labsim changes the rates instead, once, from the baseline's expectation, so a single run scatters
around the path with its sampling error, and a strategy's effect shows as its distance from the path.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from labsim.calendar import EPOCH_YEAR, month_label
from labsim.core.model import TransitionModel
from labsim.core.population import MIN_AGE_YEARS
from labsim.errors import ValidationError
from labsim.events import Alignment
from labsim.states import select_states
from labsim.validation import number, text

__all__ = ["AlignmentTarget", "Aligned", "align", "ALIGNMENT_TOLERANCE"]

ALIGNMENT_TOLERANCE = 1e-3
"""The relative gap between a year's expected mean stock and its target at which the solve stops."""

_ITERATIONS = 12
_LARGEST_STEP = 2.0  # the most a multiplier's logarithm moves in one iteration
_FIRST_SLOPE = 0.5  # a year's mean stock answers a multiplier on its inflows about half at first (it builds up)


@dataclass(frozen=True, slots=True)
class AlignmentTarget:
    """Yearly totals a baseline follows: ``values`` (calendar year → persons, the year's mean stock, as
    fuldtidspersoner) of the states ``states`` (a selection: ``"kontanthjaelp_jobparat+kontanthjaelp_aktivitetsparat"``,
    ``"public_support"``, ``"hjoerring:jobparate"``), of the age band ``age_band`` of the model (``"30-39"``) or of every
    age (``""``); ``source`` says where the path comes from."""

    name: str
    states: str
    values: Mapping[int, float]
    age_band: str = ""
    source: str = ""

    def __post_init__(self) -> None:
        where = f"alignment {self.name!r}"
        text()(self.name, "alignment name")
        text()(self.states, f"{where}.states")
        text()(self.age_band, f"{where}.age_band")
        text()(self.source, f"{where}.source")
        if not isinstance(self.values, Mapping) or not self.values:
            raise ValidationError(f"{where}.values must give at least one year = persons; got {self.values!r}.")
        values = {}
        for year, value in self.values.items():
            if isinstance(year, bool) or not isinstance(year, int):
                raise ValidationError(f"{where}.values: a year is a whole number; got {year!r}.")
            values[year] = float(number(0.0, above=True)(value, f"{where}.values.{year}"))
        object.__setattr__(self, "values", dict(sorted(values.items())))

    def check(self, model: TransitionModel, start: int, end: int) -> None:
        """Raise :class:`~labsim.errors.ValidationError` for states the catalogue lacks, an age band the model
        lacks, or a year outside the run."""
        where = f"alignment {self.name!r}"
        select_states(model.catalogue, self.states, field=f"{where}.states")
        bands = model.ages.band_labels()
        if self.age_band and self.age_band not in bands:
            raise ValidationError(f"{where}.age_band must be one of the model's age bands {list(bands)}; got "
                                  f"{self.age_band!r}.")
        first, last = start // 12 + EPOCH_YEAR, end // 12 + EPOCH_YEAR
        outside = [year for year in self.values if not first <= year <= last]
        if outside:
            raise ValidationError(f"{where}.values: year {outside[0]} is outside the run ({month_label(start)} to "
                                  f"{month_label(end)}).")

    def mask(self, model: TransitionModel) -> npt.NDArray[np.bool_]:
        """``(age bands, states)``: the hazards the target's multiplier scales (those into its states)."""
        out = np.zeros(model.inflows.shape, bool)
        bands = model.ages.band_labels()
        rows = [bands.index(self.age_band)] if self.age_band else list(range(len(bands)))
        out[np.ix_(rows, list(select_states(model.catalogue, self.states)))] = True
        return out


@dataclass(frozen=True, slots=True, eq=False)
class Aligned:
    """What :func:`align` solved: the calendar's steps and, for each target and year, the target, the expected
    mean stock reached and the multiplier."""

    events: tuple[Alignment, ...]
    rows: tuple[dict[str, object], ...] = field(default=())


def align(scenario: object, *, tolerance: float = ALIGNMENT_TOLERANCE) -> Aligned:
    """Solve the alignment of ``scenario``'s baseline to its :attr:`~labsim.Scenario.alignment` targets on the
    expected-value path (the scenario's run model, steady start and balance included; efforts and the
    jobcenter's capacity are not part of that path). Deterministic."""
    from labsim.simulation.expected import OLDEST_YEAR, ExpectedModel, _Engine
    from labsim.simulation.scenario import Scenario

    assert isinstance(scenario, Scenario)
    targets: Sequence[AlignmentTarget] = scenario.alignment
    if not targets:
        return Aligned(())
    base = scenario.replace(alignment=())
    model = base.run_model()
    engine = _Engine(ExpectedModel(base), model)
    masks = [target.mask(model) for target in targets]
    n_states = model.n_states
    age_years = np.arange(OLDEST_YEAR - MIN_AGE_YEARS + 1) + MIN_AGE_YEARS  # the rows of ExpectedPath.age_stocks
    age_band = np.searchsorted(np.asarray(model.ages.cuts_years), age_years, side="right")
    applied = np.zeros(model.inflows.shape)
    logs = np.zeros(len(targets))
    events: list[Alignment] = []
    rows: list[dict[str, object]] = []
    month = scenario.start
    years = sorted({year for target in targets for year in target.values})
    stocks, flows = np.zeros(n_states), np.zeros((n_states, n_states))
    ages = np.zeros((len(age_years), n_states))
    for year in years:
        first = max(scenario.start, (year - EPOCH_YEAR) * 12)
        last = min(scenario.end, (year - EPOCH_YEAR) * 12 + 11)
        while month < first:
            engine.month(month, stocks, flows, ages)
            month += 1
        active = [k for k, target in enumerate(targets) if year in target.values]
        wanted = np.array([targets[k].values[year] for k in active])
        snapshot = engine.snapshot()
        previous: tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]] | None = None
        for iteration in range(_ITERATIONS + 1):
            engine.restore(snapshot)
            total = sum((masks[k] * logs[k] for k in range(len(targets))), np.zeros_like(applied))
            step = total - applied
            if np.any(step != 0):
                engine.set_model(Alignment(first, "trial", step).apply(engine.model))
            got = np.zeros(len(active))
            for m in range(first, last + 1):
                engine.month(m, stocks, flows, ages)
                by_band = np.stack([ages[age_band == b].sum(axis=0) for b in range(masks[0].shape[0])])
                got += [float((by_band * masks[k]).sum()) for k in active]
            got /= last - first + 1
            gap = np.divide(got, wanted) - 1.0
            if np.all(np.abs(gap) < tolerance) or iteration == _ITERATIONS:
                break
            current = logs[active].copy()
            slope = np.full(len(active), _FIRST_SLOPE)
            if previous is not None:
                moved = current - previous[0]
                answer = np.log(np.maximum(got, 1e-12)) - np.log(np.maximum(previous[1], 1e-12))
                measured = np.divide(answer, moved, out=np.full(len(active), _FIRST_SLOPE), where=np.abs(moved) > 1e-9)
                slope = np.clip(measured, 0.05, 5.0)
            previous = (current, got)
            change = np.clip(np.log(wanted / np.maximum(got, 1e-12)) / slope, -_LARGEST_STEP, _LARGEST_STEP)
            logs[active] = current + change
        month = last + 1
        total = sum((masks[k] * logs[k] for k in range(len(targets))), np.zeros_like(applied))
        step = total - applied
        if np.any(step != 0):
            names = ", ".join(targets[k].name for k in active)
            events.append(Alignment(first, f"alignment {year}: {names}", step,
                                    source="; ".join(dict.fromkeys(targets[k].source for k in active if targets[k].source))))
            applied = total
        rows += [{"target": targets[k].name, "year": year, "value": float(wanted[i]), "expected": float(got[i]),
                  "multiplier": math.exp(float(logs[k]))} for i, k in enumerate(active)]
    return Aligned(tuple(events), tuple(rows))
