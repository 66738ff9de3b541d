"""The path of a cohort under constant rates: the shares of its persons in each state at each age.

Under rates that do not change, a population's age-specific shares are those a cohort passes through as it ages
(the stationary population of demography): a 45-year-old today is where today's 16-year-olds will be at 45. A
:class:`CohortPath` follows a cohort in its profiles (sex, education, origin) from age 16 month by month, as a mass
over profiles, states and months in state, under a model's cell hazards (gates included) and the legal rules' forced moves
(the a-dagpenge right, revurdering and the extension grounds' limits, the end of a jobafklaringsforløb and of a
ressourceforløb, uddannelseshjælp or kontanthjælp at 30, folkepension at its age). It is the expected-value path
(:mod:`labsim.simulation.expected`) turned on its side: one cohort over ages instead of every cohort over months,
which takes a fraction of a second instead of a minute.

A person aged ``a`` months at ``start`` is born at ``start − a``; the path uses that person's age class and
pension ages (a period view: today's 60-year-olds, not the 60-year-olds of 2066). Deaths and moves out do not
depend on the state and are left out; that they differ a little by sex (deaths) is left out too, so the path's men
and women stay in their entry shares. The profiles are followed together, as
the persons of one cohort: they enter in the shares of :attr:`CohortPath.entry_mix`, arrivals join in theirs, and a
person without a qualification who leaves education after the rules' ``qualification_months`` goes on in the
skilled profile of the same sex and origin, as in a run. A ressourceforløb has the limit of a forløb granted at
``start``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from labsim.core.attributes import Education, profile_levels, qualified_profile
from labsim.core.cell_table import CellLayout, build_table
from labsim.core.model import TransitionModel
from labsim.core.population import MIN_AGE_YEARS

__all__ = ["CohortPath", "StationaryStart"]

FloatArray = npt.NDArray[np.float64]

_VANISHING = 1e-9
"""The entry mass of a profile nobody enters, relative to the largest (or to 1 where all are smaller): enough for
its shares, too little to count."""


@dataclass(frozen=True, slots=True, eq=False)
class StationaryStart:
    """Persons by month of age (from 16), profile and state in a population that is the path of its cohorts (a
    balance's :attr:`~labsim.core.balance.RateBalance.stationary`): what a steady start places persons by.

    Attributes
    ----------
    profiles:
        ``(P,)`` profile codes (:func:`labsim.core.attributes.profile_code`).
    persons:
        ``(ages, P, states)`` relative numbers of persons.
    spells, offsets:
        ``(years of age from 16, P, columns)``: the persons by months in state, each state's columns from
        ``offsets[state]`` (month 0) to ``offsets[state + 1] − 1`` (that many months or more); a steady start draws
        months in state by them (:meth:`draw_months`). ``None``: not kept.
    """

    profiles: npt.NDArray[np.intp]
    persons: FloatArray
    spells: FloatArray | None = None
    offsets: npt.NDArray[np.intp] | None = None

    def state_ages(self) -> FloatArray:
        """``(ages, states)``: the persons of each state at each month of age, over the profiles."""
        return self.persons.sum(axis=1)

    def draw_profiles(self, rng: np.random.Generator, state: npt.NDArray[np.int8],
                      age: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.bool_]]:
        """A profile code for each person of ``state`` at ``age`` (months), drawn by the persons of each profile in
        that state at that age; and whether one was drawn (``False`` where the path has nobody there)."""
        index = np.clip(age - MIN_AGE_YEARS * 12, 0, len(self.persons) - 1)
        chosen = np.zeros(len(state), np.intp)
        drawn = np.zeros(len(state), bool)
        uniform = rng.random(len(state))
        for code in np.unique(state).tolist():
            persons = np.flatnonzero(state == code)
            cumulative = np.cumsum(self.persons[index[persons], :, code], axis=1)  # (n, P)
            total = cumulative[:, -1]
            pick = (cumulative < (uniform[persons] * total)[:, None]).sum(axis=1)
            chosen[persons] = self.profiles[np.minimum(pick, len(self.profiles) - 1)]
            drawn[persons] = total > 0
        return chosen, drawn


    def draw_months(self, uniform: FloatArray, state: npt.NDArray[np.integer], age: npt.NDArray[np.int64],
                    profile: npt.NDArray[np.integer]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_], FloatArray]:
        """Months in state for persons of ``state`` at ``age`` (months) with profile codes ``profile``, drawn with
        ``uniform`` by the cohort path's persons of that year of age, profile and state over months in state.
        Returns the months, whether they fall in the state's last column (that many months *or more*: the caller
        draws the rest), and each person's uniform rescaled within the drawn column (for that draw). Persons the
        path has none of get month 0, flagged as last column with their uniform unchanged: they are drawn as before."""
        months = np.zeros(len(state), np.int64)
        longer = np.ones(len(state), bool)
        rescaled = np.asarray(uniform, np.float64).copy()
        if self.spells is None or self.offsets is None:
            return months, longer, rescaled
        year = np.clip(age // 12 - MIN_AGE_YEARS, 0, len(self.spells) - 1)
        column = np.searchsorted(self.profiles, profile)
        known = (column < len(self.profiles)) & (self.profiles[np.minimum(column, len(self.profiles) - 1)] == profile)
        for code in np.unique(state[known]).tolist():
            persons = np.flatnonzero(known & (state == code))
            low, high = int(self.offsets[code]), int(self.offsets[code + 1])
            weights = self.spells[year[persons], column[persons], low:high].astype(np.float64)  # (n, W_s)
            cumulative = np.cumsum(weights, axis=1)
            total = cumulative[:, -1]
            has = total > 0
            target = rescaled[persons] * total
            pick = np.minimum((cumulative < target[:, None]).sum(axis=1), high - low - 1)
            below = np.where(pick > 0, cumulative[np.arange(len(persons)), np.maximum(pick - 1, 0)], 0.0)
            width = weights[np.arange(len(persons)), pick]
            inside = np.divide(target - below, width, out=np.zeros_like(target), where=width > 0)
            chosen = persons[has]
            months[chosen] = pick[has]
            longer[chosen] = pick[has] == high - low - 1
            rescaled[chosen] = np.clip(inside[has], 0.0, 1.0 - 1e-12)
        return months, longer, rescaled


@dataclass(frozen=True, slots=True)
class _Forced:
    """A forced end: the share of the spells of ``state`` at month ``months`` that the rules end, and where they go
    (the social assistance state is mapped by age and qualification when the move happens)."""

    state: int
    months: int
    share: float
    destinations: tuple[tuple[int, float], ...]


class CohortPath:
    """Cohorts of ``profiles`` (profile codes) followed from age 16 to ``oldest`` months of age under ``model`` at
    ``start``, entering in the states ``entry`` (shares, one row per profile or one for all) and in the profiles
    ``entry_mix`` (relative numbers, ``(profiles,)``; one each by default). ``arrivals`` (``(ages, profiles,
    states)``) adds persons at each month of age, as a share of the whole cohort then, in each profile and state (the
    immigrants and refugees of a demography).

    :meth:`run` follows them under a model of the same layout (the same model with other age effects, as a
    balance makes) over a range of ages, from a given mass or from the entry. A profile's persons at an age are its
    share of the cohort there; its state shares are its own (a profile nobody enters has shares all the same, from
    a vanishing mass)."""

    def __init__(self, model: TransitionModel, start: int, profiles: npt.NDArray[np.integer], oldest: int,
                 entry: FloatArray, arrivals: FloatArray | None = None,
                 entry_mix: FloatArray | None = None) -> None:
        self.model, self.start = model, start
        self.layout = CellLayout.for_model(model)
        self.profiles = np.asarray(profiles, np.intp) if self.layout.n_profiles > 1 else np.zeros(len(profiles), np.intp)
        self.ages = np.arange(MIN_AGE_YEARS * 12, oldest)  # months of age, one step each
        n, n_bands = model.n_states, model.bands.n_bands
        rules = model.rules.bind(model.catalogue, model.ages) if model.rules is not None else None
        self.rules = rules
        widths = [starts[-1] + 1 for starts in model.bands.starts]
        self.forced: list[_Forced] = []
        self.qualify_from = self.qualify_to = np.zeros(0, np.intp)
        if rules is not None:
            self.forced = self._forced_ends(rules)
            for end in self.forced:
                widths[end.state] = max(widths[end.state], end.months + 2)
            months = rules.parameters.qualification_months
            if months is not None and self.layout.n_profiles > 1:
                self.qualify_from, self.qualify_to = _qualifying(self.profiles)
                widths[rules.education] = max(widths[rules.education], months + 1)
        self.offsets = np.concatenate([[0], np.cumsum(widths)]).astype(np.intp)
        self.n_columns = int(self.offsets[-1])
        column_state = np.repeat(np.arange(n), widths)
        column_months = np.arange(self.n_columns) - self.offsets[column_state]
        column_band = np.concatenate([np.searchsorted(np.asarray(model.bands.starts[s]), np.arange(w), side="right") - 1
                                      for s, w in enumerate(widths)])
        per_band = self.layout.n_age_classes * self.layout.n_profiles
        self.column_cell = (column_state * n_bands + column_band) * per_band  # + age class · n_profiles + profile
        self.column_state = column_state
        self.to_band = np.zeros((self.n_columns, n * n_bands))  # (W, S·B): which band of which state a column is
        self.to_band[np.arange(self.n_columns), column_state * n_bands + column_band] = 1.0
        self.last = self.offsets[1:] - 1
        self.shift_from = np.flatnonzero(column_months < np.repeat(widths, widths) - 1)
        self.arrivals = (np.zeros((len(self.ages), len(self.profiles), n)) if arrivals is None
                         else np.asarray(arrivals, np.float64))
        first = np.asarray(entry, np.float64)
        self.entry = np.broadcast_to(first if first.ndim == 2 else first[None, :], (len(self.profiles), n))
        self.entry_mix = (np.ones(len(self.profiles)) if entry_mix is None else np.asarray(entry_mix, np.float64))
        # a profile nobody enters is followed from a vanishing mass, for its shares
        self.entry_mix = np.where(self.entry_mix > 0, self.entry_mix, _VANISHING * max(self.entry_mix.max(initial=0.0), 1.0))
        self.qualified = np.zeros(0, np.intp)  # the education columns a leaver qualifies from
        if self.qualify_from.size and rules is not None:
            months = int(rules.parameters.qualification_months or 0)
            self.qualified = np.arange(self.offsets[rules.education] + max(months - 1, 0), self.offsets[rules.education + 1])
        births = start - self.ages
        classes = (model.ages.lookup(start, int(births.min()), int(births.max())).astype(np.intp)[births - births.min()]
                   if self.layout.n_age_classes > 1 else np.zeros(len(self.ages), np.intp))
        self.group = classes[:, None] * self.layout.n_profiles + self.profiles[None, :]  # (ages, P)
        self.pension_at = len(self.ages)
        if rules is not None:
            retired = self.ages >= model.rules.pension.folkepension_age(births)  # type: ignore[union-attr]
            self.pension_at = int(np.argmax(retired)) if retired.any() else len(self.ages)
        # Where moves land, the same for every run: per age (P, S, S); the forced ends' columns, shares and targets.
        self.landing = self._landing(self._youth())
        self.forced_columns = np.array([self.offsets[end.state] + end.months + 1 for end in self.forced], np.intp)
        self.forced_shares = np.array([end.share for end in self.forced])
        self.forced_to = {id(regime): np.einsum("fd,pds->pfs", self._forced_targets(), regime)
                          for regime in {id(x): x for x in self.landing}.values()}

    def _forced_ends(self, rules: object) -> list[_Forced]:
        from labsim.core.rules import DanishRules

        assert isinstance(rules, DanishRules)
        p = rules.parameters
        out = []
        longest = 12 * 12
        for state, destinations in (
            (rules.dagpenge, ((rules.kontanthjaelp_jobparat, p.exhausted_to_kontanthjaelp),
                              (rules.outside, 1.0 - p.exhausted_to_kontanthjaelp))),
            (rules.sick, ((rules.jobafklaring, 1.0),)),
            (rules.jobafklaring, ((rules.kontanthjaelp_aktivitetsparat, 1.0),)),
            (rules.ressourceforloeb, ((rules.kontanthjaelp_aktivitetsparat, 1.0),)),
        ):
            ended = rules.spell_ends(state, longest)
            full = np.flatnonzero(ended >= 1.0)
            ended = ended[:full[0] + 1] if full.size else ended  # nobody is left after an end of every spell
            out += [_Forced(state, int(d), float(ended[d]), destinations) for d in np.flatnonzero(ended > 0)]
        return out

    def table(self, model: TransitionModel) -> tuple[FloatArray, FloatArray]:
        """Stay probabilities and destination shares per cell of ``model`` (built once per model)."""
        table = build_table(model, self.layout, keep_hazards=True)
        assert table.hazards is not None
        total = table.hazards.sum(axis=1, keepdims=True)
        shares = np.divide(table.hazards, total, out=np.zeros_like(table.hazards), where=total > 0)
        return table.stay_probability, shares

    def entry_mass(self) -> FloatArray:
        """The cohorts at age 16: their entry shares in month 0 of each state (social assistance by qualification,
        as the rules admit them), ``(P, W)``."""
        mass = np.zeros((len(self.profiles), self.n_columns))
        landing = self._youth()[0]  # (P, S)
        for p in range(len(self.profiles)):
            np.add.at(mass[p], self.offsets[landing[p]], self.entry[p] * self.entry_mix[p])
        return mass

    def run(self, table: tuple[FloatArray, FloatArray], first: int, last: int,
            mass: FloatArray | None = None, spells: FloatArray | None = None) -> tuple[FloatArray, FloatArray]:
        """Follow the cohorts from age index ``first`` (with ``mass``, ``(P, W)``; the entry when ``None``) through
        index ``last − 1``. Returns each age's persons by profile and state ``(last − first, P, S)`` at the start of
        that month, and the mass at index ``last``. ``spells`` (``(years, P, W)``, from age 16) receives the mass by
        year of age and column (months in state)."""
        stay, shares = table
        n, n_bands = self.model.n_states, self.model.bands.n_bands
        mass = self.entry_mass() if mass is None else mass.copy()
        out = np.empty((last - first, len(self.profiles), n))
        landing, columns, share, forced_to = self.landing, self.forced_columns, self.forced_shares, self.forced_to
        cells: dict[int, tuple[FloatArray, FloatArray]] = {}
        for i in range(first, last):
            if i == self.pension_at and self.rules is not None:
                total = mass.sum(axis=1)
                mass[:] = 0.0
                mass[:, self.offsets[self.rules.folkepension]] = total
            out[i - first] = np.add.reduceat(mass, self.offsets[:-1], axis=1)
            if spells is not None:
                spells[i // 12] += mass
            key = int(self.group[i, 0])  # the age class decides the cells (the profiles are fixed)
            if key not in cells:
                group = self.group[i]  # (P,)
                rows = (np.arange(n * n_bands) * (self.layout.n_age_classes * self.layout.n_profiles))[None, :] + group[:, None]
                cells[key] = (stay[self.column_cell[None, :] + group[:, None]], shares[rows])  # (P, W), (P, S·B, S)
            staying, moving = cells[key]
            kept = mass * staying
            leaving = (mass - kept) @ self.to_band  # (P, S·B)
            inflow = np.einsum("pk,pks->ps", leaving, moving)  # (P, S)
            if self.qualified.size:  # leavers of education who qualify go on in the skilled profile
                p, q = self.qualify_from, self.qualify_to
                gone = (mass[p][:, self.qualified] - kept[p][:, self.qualified]) @ self.to_band[self.qualified]
                moved = np.einsum("pk,pks->ps", gone, moving[p])  # (Q, S)
                inflow[p] -= moved
                inflow[q] += np.einsum("ps,pst->pt", moved, landing[i][q])  # the benefit of their qualification
            mass = np.zeros_like(mass)
            mass[:, self.shift_from + 1] = kept[:, self.shift_from]
            mass[:, self.last] += kept[:, self.last]
            if columns.size:
                moved = mass[:, columns] * share  # (P, F)
                mass[:, columns] -= moved
                inflow += np.einsum("pf,pfs->ps", moved, forced_to[id(landing[i])])
            if self.rules is not None and i + 1 < len(self.ages) and self.ages[i + 1] == 12 * self.rules.parameters.uddannelseshjaelp_max_age:
                for young, adult in self.rules.youth_pairs:
                    inflow[:, adult] += mass[:, self.offsets[young]:self.offsets[young + 1]].sum(axis=1)
                    mass[:, self.offsets[young]:self.offsets[young + 1]] = 0.0
            if self.arrivals[i].any():
                arriving = mass.sum() * self.arrivals[i]  # (P, S)
                inflow += np.einsum("pd,pds->ps", arriving, landing[i])
            mass[:, self.offsets[:-1]] += inflow
        return out, mass

    def _landing(self, youth: npt.NDArray[np.intp]) -> list[FloatArray]:
        """Per age, ``(P, S, S)``: a move into a state (middle) lands in a state (last) — the same array object for
        every age under the same mapping (two: under 30 and from 30)."""
        n = self.model.n_states
        out: list[FloatArray] = []
        known: dict[bytes, FloatArray] = {}
        for mapping in youth:
            key = mapping.tobytes()
            if key not in known:
                onehot = np.zeros((len(self.profiles), n, n))
                onehot[np.arange(len(self.profiles))[:, None], np.arange(n)[None, :], mapping] = 1.0
                known[key] = onehot
            out.append(known[key])
        return out

    def _forced_targets(self) -> FloatArray:
        """``(F, S)``: the shares of each forced end's movers that go to each state (before the age mapping)."""
        out = np.zeros((len(self.forced), self.model.n_states))
        for f, end in enumerate(self.forced):
            for destination, part in end.destinations:
                out[f, destination] += part
        return out

    def _youth(self) -> npt.NDArray[np.intp]:
        """``(ages, P, S)``: where a move into a state lands at each age for each profile — uddannelseshjælp under
        30 without a qualification, kontanthjælp for everyone else (DOMAIN.md §1.2), as the rules admit persons."""
        n = self.model.n_states
        mapping = np.tile(np.arange(n), (len(self.ages), len(self.profiles), 1))
        if self.rules is not None:
            mapping[:] = self.rules.adult_benefit_of
            young = self.ages < 12 * self.rules.parameters.uddannelseshjaelp_max_age
            unskilled = profile_levels()[self.profiles, 1] == Education.UFAGLAERT
            mapping[np.ix_(young, unskilled)] = self.rules.youth_benefit_of
        return mapping


def _qualifying(profiles: npt.NDArray[np.intp]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """The indices of the unskilled profiles among ``profiles`` and of the skilled profile each goes on in after a
    qualification (:func:`~labsim.core.attributes.qualified_profile`; only pairs where both are among ``profiles``)."""
    skilled = qualified_profile(profiles)
    position = {int(code): i for i, code in enumerate(profiles.tolist())}
    pairs = [(i, position[int(code)]) for i, code in enumerate(skilled.tolist()) if int(code) in position]
    return (np.array([i for i, _ in pairs], np.intp), np.array([j for _, j in pairs], np.intp))
