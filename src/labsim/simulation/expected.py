"""The monthly step without sampling: expected stocks and flows, for fast fits.

The stochastic step moves each person with the probabilities of their cell. Persons born in the same month
with the same profile (sex, education, origin) share their cell in every month, whatever their state and
duration; so the expected population is a mass over *types* (birth month × profile), states and months in
state, and one month moves that mass with the same cell probabilities (:func:`labsim.core.build_table`),
the same legal rules, rule changes, cycle and demography, deterministically. Without rules, bands and
demography the expected stocks are exactly ``x0 · Pᵗ`` (tested against the Markov chain); with them the
path is the model's expectation up to the approximations below, which the stochastic refinement
(:class:`~labsim.calibration.SimulatedCalibrator`) corrects:

- the a-dagpenge right is counted within one spell (at most ``dagpenge_max_months`` in a row, less the months
  of a COVID-19 suspension), not over the 36-month window across spells, and re-earning a used-up right is not
  part of it; the sygedagpenge revurdering and the extension grounds' limits are counted within one spell;
- a qualification gained in education moves the leavers to the skilled type of the same birth month, sex and
  origin (a type of each unskilled one is kept for it), as a run moves them out of uddannelseshjælp's group;
- efforts, caseworker capacity, the rehabiliteringsteam's queue and course seats are not part of it (the
  strategy calibrated should be one without efforts, usually the baseline);
- persons arriving (16-year-olds, immigrants, refugees) come as their expected fractions every month rather
  than whole persons at carried-over counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from labsim.calendar import month_year
from labsim.core import Population, TransitionModel, build_table
from labsim.core.attributes import Education, Origin, Sex, profile_code, qualified_profile
from labsim.core.cell_table import CellLayout
from labsim.core.demography import Arrivals
from labsim.core.population import MIN_AGE_YEARS
from labsim.core.rules import DanishRules, LegalRules
from labsim.errors import ModelError
from labsim.events import Alignment, MacroShock, RuleChange
from labsim.simulation.scenario import Scenario
from labsim.states import State, StateCatalogue

__all__ = ["ExpectedPath", "expected_path"]

_N_PROFILE_CODES = len(Sex) * len(Education) * len(Origin)  # profile codes are (sex · 3 + education) · 3 + origin
OLDEST_YEAR = 110  # the last year of age kept apart in ExpectedPath.age_stocks (the end of the life table)
_RENEWALS = 3  # jobafklaringsforløb ends followed exactly; longer spells are rare (each end lets most go)


@dataclass(frozen=True, slots=True, eq=False)
class ExpectedPath:
    """Expected stocks and flows of one scenario under one model.

    Attributes
    ----------
    catalogue:
        The states.
    start_month:
        The first month.
    stocks:
        ``(n_months, n_states)`` expected persons in each state at the start of each month (as a run's
        ledger counts them).
    flows:
        ``(n_months, n_states, n_states)`` expected moves from → to within each month.
    age_stocks:
        ``(n_months, ages, n_states)`` the stocks by completed year of age from 16 (the last holds every older age).
    cuts:
        The model's age bands' lower edges above 16, in years (``bands`` are their labels).
    """

    catalogue: StateCatalogue
    start_month: int
    stocks: npt.NDArray[np.float64]
    flows: npt.NDArray[np.float64]
    age_stocks: npt.NDArray[np.float64]
    cuts: tuple[int, ...] = ()

    @property
    def bands(self) -> tuple[str, ...]:
        """The labels of the model's age bands (``'16-24'`` … ``'60+'``)."""
        edges = (MIN_AGE_YEARS, *self.cuts)
        return (*(f"{low}-{high - 1}" for low, high in zip(edges, self.cuts, strict=False)), f"{edges[-1]}+")

    @property
    def band_stocks(self) -> npt.NDArray[np.float64]:
        """``(n_months, n_age_bands, n_states)``: the stocks by the model's age bands."""
        years = np.arange(self.age_stocks.shape[1]) + MIN_AGE_YEARS
        band = np.searchsorted(np.asarray(self.cuts), years, side="right")
        out = np.zeros((self.n_months, len(self.cuts) + 1, self.stocks.shape[1]))
        for b in range(len(self.cuts) + 1):
            out[:, b] = self.age_stocks[:, band == b].sum(axis=1)
        return out

    @property
    def n_months(self) -> int:
        """Months on the path."""
        return len(self.stocks)


def expected_path(scenario: Scenario, *, model: TransitionModel | None = None,
                  population: Population | None = None) -> ExpectedPath:
    """The expected stocks and flows of ``scenario`` (under its model, or ``model``) from its start to its end,
    starting from ``population`` (by default replicate 0's persons). For many models in a row (a fit), build
    one :class:`ExpectedModel` and call its :meth:`~ExpectedModel.path`."""
    return ExpectedModel(scenario, population).path(model)


@dataclass(frozen=True, slots=True, eq=False)
class _Arrival:
    """The expected arrivals of one stream in one month: their type rows, births, education and numbers."""

    arrivals: Arrivals
    rows: npt.NDArray[np.intp]
    birth: npt.NDArray[np.int64]
    education: npt.NDArray[np.int64]
    persons: npt.NDArray[np.float64]


class ExpectedModel:
    """A scenario's persons, demography, cycle and calendar prepared once; :meth:`path` runs a model on them.

    The mass is held as ``(state, type, months in state)``; the last column of months holds every longer
    duration, and it is as long as the longest duration band or rule needs (or as the run can reach).
    """

    def __init__(self, scenario: Scenario, population: Population | None = None) -> None:
        persons = scenario.replicate_population(0) if population is None else population
        self.scenario = scenario
        self.demography = scenario.demography if scenario.demography is not None else (
            scenario.profile.demography if scenario.profile is not None else None)
        self.calendar = tuple(sorted((e for e in scenario.make_events().calendar if isinstance(e, RuleChange | MacroShock | Alignment)),
                                     key=lambda e: e.at))
        self.start, self.end = scenario.start, scenario.end
        self.reachable = int(persons.months_in_state.max(initial=0)) + self.end - self.start + 1
        profiles = profile_code(persons.sex, persons.education, persons.origin).astype(np.int64)
        births = persons.birth_month.astype(np.int64)
        streams = self._streams()
        keys = np.unique(np.concatenate([births * _N_PROFILE_CODES + profiles,
                                         *(birth * _N_PROFILE_CODES + profile for _, _, birth, profile, _ in streams)]))
        skilled = qualified_profile(keys % _N_PROFILE_CODES)
        unskilled = skilled >= 0
        keys = np.unique(np.concatenate([keys, (keys // _N_PROFILE_CODES * _N_PROFILE_CODES + skilled)[unskilled]]))
        self.birth = keys // _N_PROFILE_CODES
        self.profile = (keys % _N_PROFILE_CODES).astype(np.intp)
        self.education = self.profile // len(Origin) % len(Education)
        self.sex = self.profile // (len(Origin) * len(Education))
        skilled = qualified_profile(self.profile)
        self.qualify_from = np.flatnonzero(skilled >= 0)  # unskilled types, and the skilled type each qualifies into
        self.qualify_to = np.searchsorted(keys, self.birth[self.qualify_from] * _N_PROFILE_CODES + skilled[self.qualify_from])
        names = scenario.model.catalogue.names
        for name in ("entry", "immigration", "refugees"):
            stream = getattr(self.demography, name, None)
            unknown = sorted(set(stream.state_shares) - set(names)) if stream is not None else []
            if unknown:
                raise ModelError(f"demography.{name}.state_shares names {unknown[0]!r}, which is not a state of the "
                                 "catalogue.")
        self.arrivals: dict[int, list[_Arrival]] = {}
        for month, arrivals, birth, profile, persons_ in streams:
            rows = np.searchsorted(keys, birth * _N_PROFILE_CODES + profile)
            self.arrivals.setdefault(month, []).append(
                _Arrival(arrivals, rows, birth, self.education[rows], persons_))
        self.rows = np.searchsorted(keys, births * _N_PROFILE_CODES + profiles)
        self.states = persons.state.astype(np.intp)
        self.durations = persons.months_in_state.astype(np.intp)

    @property
    def n_types(self) -> int:
        """Types (birth month × profile) the mass is held over."""
        return len(self.birth)

    def _streams(self) -> list[tuple[int, Arrivals, npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]]:
        """Each month's expected arrivals by stream: (month, stream, births, profiles, persons)."""
        demography = self.demography
        if demography is None:
            return []
        out = []
        for name in ("entry", "immigration", "refugees"):
            arrivals = getattr(demography, name)
            if arrivals is None:
                continue
            shares = arrivals.profile_shares()
            profile = np.flatnonzero(shares > 0).astype(np.int64)
            share = shares[profile]
            if name == "entry":
                ages = np.array([MIN_AGE_YEARS * 12])
            else:
                low, high = arrivals.age_years
                ages = np.arange(low * 12, high * 12)
            for month in range(self.start, self.end + 1):
                if name == "entry":
                    per_month = demography.cohort(month_year(month + 1 - MIN_AGE_YEARS * 12)) / 12
                else:
                    per_month = arrivals.per_year / 12
                if per_month <= 0:
                    continue
                births = np.repeat(month + 1 - ages, len(profile))
                out.append((month, arrivals, births, np.tile(profile, len(ages)),
                            np.tile(share, len(ages)) * per_month / len(ages)))
        return out

    def path(self, model: TransitionModel | None = None) -> ExpectedPath:
        """The expected stocks and flows under ``model`` (the scenario's by default)."""
        return _Engine(self, self.scenario.run_model() if model is None else model).run()


class _Engine:
    """One expected run: per state, the mass over (type, months in state), moved month by month.

    A state's columns of months go as far as its duration bands and the rules on it need (or the run can
    reach); its last column holds every longer duration.
    """

    def __init__(self, prepared: ExpectedModel, model: TransitionModel) -> None:
        self.prepared = prepared
        self.model = model
        self.macro = prepared.scenario.macro
        self.layout = CellLayout.for_model(model)
        n_states, n_bands = model.n_states, model.bands.n_bands
        needed = [starts[-1] for starts in model.bands.starts]
        for rules in [model.rules] + [c.apply(model).rules for c in prepared.calendar if isinstance(c, RuleChange)]:
            if rules is not None:
                needed[State.EDUCATION] = max(needed[State.EDUCATION], rules.qualification_months or 0)
                revurdering = rules.revurdering_months + rules.employer_period_months
                longest_extension = max(rules.extension_months(w) for w in (rules.work_testing_weeks, rules.treatment_weeks))
                needed[State.A_DAGPENGE] = max(needed[State.A_DAGPENGE], rules.dagpenge_window_months)
                needed[State.SYGEDAGPENGE] = max(needed[State.SYGEDAGPENGE], revurdering + longest_extension + 1)
                needed[State.JOBAFKLARING] = max(needed[State.JOBAFKLARING], _RENEWALS * (rules.jobafklaring_max_months or 0) + 1)
                needed[State.RESSOURCEFORLOEB] = max(needed[State.RESSOURCEFORLOEB], rules.ressourceforloeb_max_months or 0,
                                                     rules.ressourceforloeb_earlier_max_months or 0)
        self.widths = [min(n, prepared.reachable) + 1 for n in needed]
        cells_per_band = self.layout.n_age_classes * self.layout.n_profiles
        self.cell_of_duration = []  # per state: (D_s,) first cell of each month's band
        self.indicator = []  # per state: (D_s, B) which band each month is in
        for s, starts in enumerate(model.bands.starts):
            band = np.searchsorted(np.asarray(starts), np.arange(self.widths[s]), side="right") - 1
            self.cell_of_duration.append((s * n_bands + band) * cells_per_band)
            self.indicator.append((band[:, None] == np.arange(n_bands)[None, :]).astype(np.float64))
        self.cell_of_band = (np.arange(n_states)[:, None] * n_bands + np.arange(n_bands)) * cells_per_band  # (S, B)
        self.mass = [np.zeros((prepared.n_types, w)) for w in self.widths]
        for s in range(n_states):
            chosen = prepared.states == s
            np.add.at(self.mass[s], (prepared.rows[chosen], np.minimum(prepared.durations[chosen], self.widths[s] - 1)), 1.0)
        self._tables: dict[tuple[int, float], tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]] = {}
        self.suspended: list[int] = []  # months in which a-dagpenge did not count towards the limit
        self.extensions_paused: list[int] = []  # months in which no sickness extension ended at its limit
        self._rules_of: TransitionModel | None = None  # the model whose rules _rules_bound holds
        self._rules_bound: DanishRules | None = None

    def _table(self, cycle: float) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Stay probability and destination shares given a move, per cell, for the current model and cycle."""
        key = (id(self.model), cycle)
        if key not in self._tables:
            table = build_table(self.model, self.layout, cycle, keep_hazards=True)
            assert table.hazards is not None
            total = table.hazards.sum(axis=1, keepdims=True)
            shares = np.divide(table.hazards, total, out=np.zeros_like(table.hazards), where=total > 0)
            self._tables[key] = (table.stay_probability, shares)
        return self._tables[key]

    def run(self) -> ExpectedPath:
        prepared = self.prepared
        n_months, n_states = prepared.end - prepared.start + 1, self.model.n_states
        stocks = np.zeros((n_months, n_states))
        flows = np.zeros((n_months, n_states, n_states))
        age_stocks = np.zeros((n_months, OLDEST_YEAR - MIN_AGE_YEARS + 1, n_states))
        for t, month in enumerate(range(prepared.start, prepared.end + 1)):
            self.month(month, stocks[t], flows[t], age_stocks[t])
        return ExpectedPath(self.model.catalogue, prepared.start, stocks, flows, age_stocks, self.model.ages.cuts_years)

    def month(self, month: int, stocks: npt.NDArray[np.float64], flows: npt.NDArray[np.float64],
              age_stocks: npt.NDArray[np.float64] | None = None) -> None:
        """One month: the dated events of ``month``, the stocks at its start (and by year of age), its moves."""
        prepared = self.prepared
        for event in prepared.calendar:
            if event.at == month:
                if isinstance(event, RuleChange | Alignment):
                    self.set_model(event.apply(self.model))
                else:
                    self.macro = event.path()
        if self.model.rules is not None and self.model.rules.dagpenge_consumption_suspended:
            self.suspended.append(month)
        if self.model.rules is not None and self.model.rules.extension_limits_suspended:
            self.extensions_paused.append(month)
        stocks[:] = [m.sum() for m in self.mass]
        if age_stocks is not None:
            oldest = age_stocks.shape[0]
            year = np.clip((month - prepared.birth) // 12 - MIN_AGE_YEARS, 0, oldest - 1)
            for state, mass in enumerate(self.mass):
                age_stocks[:, state] = np.bincount(year, mass.sum(axis=1), minlength=oldest)
        self._move(month, flows)
        if self.model.rules is not None:
            self._rules(month, flows)
        if prepared.demography is not None:
            self._demography(month)

    def set_model(self, model: TransitionModel) -> None:
        """Continue under ``model`` (a dated change)."""
        self.model = model
        self._tables.clear()  # tables of the old model (keyed by the model's id, which may be reused)

    def snapshot(self) -> tuple[object, ...]:
        """What :meth:`restore` needs to go back to this month."""
        return ([m.copy() for m in self.mass], self.model, self.macro, list(self.suspended), list(self.extensions_paused))

    def restore(self, state: tuple[object, ...]) -> None:
        """Go back to a :meth:`snapshot`."""
        mass, model, macro, suspended, paused = state
        self.mass = [m.copy() for m in mass]  # type: ignore[attr-defined]
        self.set_model(model)  # type: ignore[arg-type]
        self.macro, self.suspended, self.extensions_paused = macro, list(suspended), list(paused)  # type: ignore[assignment,call-overload]

    def _move(self, month: int, flows: npt.NDArray[np.float64]) -> None:
        prepared, layout, model = self.prepared, self.layout, self.model
        stay_cell, shares = self._table(self.macro.at(month) if self.macro is not None else 1.0)
        if layout.n_age_classes > 1:
            low, high = int(prepared.birth.min()), int(prepared.birth.max())
            age = model.ages.lookup(month + 1, low, high).astype(np.intp)[prepared.birth - low]
        else:
            age = np.zeros(prepared.n_types, np.intp)
        group = age * layout.n_profiles + (prepared.profile if layout.n_profiles > 1 else 0)
        n_states, n_bands = model.n_states, model.bands.n_bands
        moving = np.empty((prepared.n_types, n_states, n_bands))
        groups = np.arange(layout.n_age_classes * layout.n_profiles)[:, None]
        months = model.rules.qualification_months if model.rules is not None else None
        qualifying = None  # (T, B): leavers of education who qualify
        for s, mass in enumerate(self.mass):
            stayers = stay_cell[self.cell_of_duration[s][None, :] + groups].take(group, axis=0)  # (T, D_s)
            stayers *= mass
            moving[:, s, :] = (mass - stayers) @ self.indicator[s]
            if s == State.EDUCATION and months is not None and prepared.qualify_from.size:
                after = slice(max(months - 1, 0), None)
                qualifying = (mass[:, after] - stayers[:, after]) @ self.indicator[s][after]
            if mass.shape[1] > 1:
                last = stayers[:, -1] + stayers[:, -2]
                mass[:, 1:] = stayers[:, :-1]
                mass[:, -1] = last
            else:
                mass[:] = stayers
        inflow = np.zeros((prepared.n_types, n_states))
        order = np.argsort(group, kind="stable")
        edges = np.flatnonzero(np.diff(group[order])) + 1
        qualified = np.zeros((prepared.n_types, n_states)) if qualifying is not None else None
        for rows in np.split(order, edges):
            weights = shares[self.cell_of_band.ravel() + group[rows[0]]]  # (S·B, S)
            leaving = moving[rows].reshape(len(rows), -1)
            inflow[rows] = leaving @ weights
            flows += (leaving.sum(axis=0)[:, None] * weights).reshape(n_states, n_bands, n_states).sum(axis=1)
            if qualified is not None and qualifying is not None:
                band_rows = self.cell_of_band[State.EDUCATION] + group[rows[0]]  # (B,)
                qualified[rows] = qualifying[rows] @ shares[band_rows]
        if qualified is not None:  # the qualified go on in the skilled type, on its benefit (kontanthjælp)
            assert model.rules is not None
            moved = qualified[prepared.qualify_from]
            adult = self._bound().adult_benefit_of.astype(np.intp)
            landed = np.zeros_like(moved)
            np.add.at(landed.T, adult, moved.T)
            inflow[prepared.qualify_from] -= moved
            np.add.at(inflow, prepared.qualify_to, landed)
            flows[State.EDUCATION] += landed.sum(axis=0) - moved.sum(axis=0)
        for s, mass in enumerate(self.mass):
            if mass.shape[1] > 1:
                mass[:, 0] = inflow[:, s]  # the shift emptied the first column
            else:
                mass[:, 0] += inflow[:, s]

    def _shift(self, rows: npt.NDArray[np.intp] | slice, origin: int, durations: slice | npt.NDArray[np.int64],
               destinations: npt.NDArray[np.intp] | int, share: float, flows: npt.NDArray[np.float64]) -> None:
        """Move ``share`` of the mass of types ``rows`` in ``origin`` at ``durations`` to ``destinations``, month 0."""
        source = self.mass[origin]
        block = source[rows, durations]
        moved = block.sum(axis=-1) * share
        source[rows, durations] = block * (1.0 - share)
        index = np.arange(self.prepared.n_types)[rows]
        if isinstance(destinations, int):
            self.mass[destinations][index, 0] += moved
            flows[origin, destinations] += moved.sum()
            return
        chosen = destinations[rows]
        for destination in np.unique(chosen).tolist():
            at = chosen == destination
            self.mass[destination][index[at], 0] += moved[at]
            flows[origin, destination] += moved[at].sum()

    def _rules(self, month: int, flows: npt.NDArray[np.float64]) -> None:
        """The forced moves of :class:`~labsim.core.rules.DanishRules`, in its order, on the mass after the moves."""
        assert self.model.rules is not None
        rules, p, prepared = self._bound(), self.model.rules, self.prepared
        rules.begin(month)
        everyone = slice(None)
        if p.dagpenge_max_months < self.widths[rules.dagpenge] and not p.dagpenge_consumption_suspended:
            # A spell c months long used c months less those suspended within it (the same for every person).
            columns = np.arange(p.dagpenge_max_months, self.widths[rules.dagpenge])
            suspended = np.array(self.suspended, dtype=np.int64)
            used = columns - ((suspended[None, :] > month - columns[:, None]) & (suspended[None, :] <= month)).sum(axis=1)
            used_up = columns[used >= p.dagpenge_max_months]
            if used_up.size:
                assistance = self._benefit(rules, rules.kontanthjaelp_jobparat)
                self._shift(everyone, rules.dagpenge, used_up, assistance, p.exhausted_to_kontanthjaelp, flows)
                self._shift(everyone, rules.dagpenge, used_up, rules.outside, 1.0, flows)
        self._sickness(rules, p, month, flows)
        aktivitetsparat = self._benefit(rules, rules.kontanthjaelp_aktivitetsparat)
        longest = p.jobafklaring_max_months
        for end in range(longest or 0, self.widths[rules.jobafklaring] - 1 if longest else 0, longest or 1):
            self._shift(everyone, rules.jobafklaring, slice(end, end + 1), aktivitetsparat,
                        1.0 - p.jobafklaring_renewal_share, flows)
        if p.ressourceforloeb_max_months is not None:
            for column in range(1, self.widths[rules.ressourceforloeb]):
                started_before = p.ressourceforloeb_max_from is not None and month + 1 - column < p.ressourceforloeb_max_from
                limit = ((p.ressourceforloeb_earlier_max_months or np.iinfo(np.int32).max) if started_before
                         else p.ressourceforloeb_max_months)
                if column == limit or (column == self.widths[rules.ressourceforloeb] - 1 and column > limit):
                    self._shift(everyone, rules.ressourceforloeb, slice(column, column + 1), aktivitetsparat, 1.0, flows)
        youth_states = np.flatnonzero(rules.adult_benefit_of != np.arange(len(rules.adult_benefit_of)))
        on_youth = np.any([self.mass[s].any(axis=1) for s in youth_states], axis=0)
        aged = np.flatnonzero((prepared.birth <= rules.turns_30_birth) & on_youth)
        for young in youth_states if aged.size else ():
            self._shift(aged, int(young), everyone, int(rules.adult_benefit_of[young]), 1.0, flows)
        retiring = np.flatnonzero((prepared.birth <= rules.retired_birth) & (prepared.birth > rules.retired_before))
        if retiring.size:
            for origin in range(self.model.n_states):
                if origin != rules.folkepension:
                    self._shift(retiring, origin, everyone, rules.folkepension, 1.0, flows)

    def _bound(self) -> DanishRules:
        """The model's rules bound to its catalogue, once per model (a rule change makes a new model)."""
        assert self.model.rules is not None
        if self._rules_of is not self.model or self._rules_bound is None:
            self._rules_of, self._rules_bound = self.model, self.model.rules.bind(self.model.catalogue, self.model.ages)
        return self._rules_bound

    def _benefit(self, rules: DanishRules, benefit: int) -> npt.NDArray[np.intp]:
        """Each type's social assistance state of the readiness of ``benefit`` (uddannelseshjælp or kontanthjælp)."""
        state = np.full(self.prepared.n_types, benefit, np.int8)
        return rules.benefit_for(state, self.prepared.birth, self.prepared.education.astype(np.int8)).astype(np.intp)

    def _sickness(self, rules: DanishRules, p: LegalRules, month: int, flows: npt.NDArray[np.float64]) -> None:
        """Revurdering (jobafklaring unless extended), then the extension grounds' limits: among the extended the
        grounds keep their shares, whatever the hazards, so each limit moves its share of what is left."""
        due = p.revurdering_months + p.employer_period_months
        width = self.widths[rules.sick]
        if due >= width - 1:
            return
        everyone = slice(None)
        self._shift(everyone, rules.sick, slice(due, due + 1), rules.jobafklaring, 1.0 - p.extension_probability, flows)
        if p.extension_limits_suspended:
            return
        left = 1.0
        paused = np.array(self.extensions_paused, dtype=np.int64)
        for share, weeks in ((p.work_testing_share, p.work_testing_weeks), (p.treatment_share, p.treatment_weeks)):
            end = due + p.extension_months(weeks)
            # the spells at the limit now, and those that reached it while the COVID-19 extensions ran
            columns = np.arange(end, width - 1)
            columns = columns[(columns == end) | np.isin(month - (columns - end), paused)]
            if columns.size and left > 0:
                self._shift(everyone, rules.sick, columns, rules.jobafklaring, share / left, flows)
            left -= share

    def _demography(self, month: int) -> None:
        """Exits at each type's monthly probability, then the month's expected arrivals, admitted by the rules."""
        prepared = self.prepared
        demography = prepared.demography
        assert demography is not None
        if demography.life_table is not None or demography.emigration_rate is not None:
            death, emigration = demography.monthly_exit(month, prepared.birth, prepared.sex)
            remain = (1.0 - np.minimum(death + emigration, 1.0))[:, None]
            for mass in self.mass:
                mass *= remain
        codes = {name: code for code, name in enumerate(self.model.catalogue.names)}
        rules = self._bound() if self.model.rules is not None else None
        for arrival in prepared.arrivals.get(month, ()):
            for name, share in arrival.arrivals.state_shares.items():
                state = np.full(len(arrival.rows), codes[name], np.int8)
                if rules is not None:
                    rules.admit({"state": state, "birth_month": arrival.birth,
                                 "education": arrival.education.astype(np.int8)}, month)
                for code in np.unique(state).tolist():
                    at = state == code
                    np.add.at(self.mass[code][:, 0], arrival.rows[at], arrival.persons[at] * share)

