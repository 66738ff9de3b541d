"""The path of a cohort under constant rates: the shares of its persons in each state at each age.

Under rates that do not change, a population's age-specific shares are those a cohort passes through as it ages
(the stationary population of demography): a 45-year-old today is where today's 16-year-olds will be at 45. A
:class:`CohortPath` follows one cohort per profile (sex, education, origin) from age 16 month by month, as a mass
over states and months in state, under a model's cell hazards (gates included) and the legal rules' forced moves
(the a-dagpenge right, revurdering and the extension grounds' limits, the end of a jobafklaringsforløb and of a
ressourceforløb, uddannelseshjælp or kontanthjælp at 30, folkepension at its age). It is the expected-value path
(:mod:`labsim.simulation.expected`) turned on its side: one cohort over ages instead of every cohort over months,
which takes a fraction of a second instead of a minute.

A person aged ``a`` months at ``start`` is born at ``start − a``; the path uses that person's age class and
pension ages (a period view: today's 60-year-olds, not the 60-year-olds of 2066). Deaths and migration do not
change shares (they do not depend on the state) and are left out; a qualification gained in education does not
change a cohort's profile. A ressourceforløb has the limit of a forløb granted at ``start``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from labsim.core.attributes import Education, profile_levels
from labsim.core.cell_table import CellLayout, build_table
from labsim.core.model import TransitionModel
from labsim.core.population import MIN_AGE_YEARS

__all__ = ["CohortPath", "StationaryStart"]

FloatArray = npt.NDArray[np.float64]


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
    """

    profiles: npt.NDArray[np.intp]
    persons: FloatArray

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
    ``start``, entering in the states ``entry`` (shares, one row per profile or one for all). ``arrivals``
    (``(ages, states)``) adds persons at each month of age, as a share of the cohort then, in each state (the
    immigrants and refugees of a demography), ``(ages, profiles, states)``.

    :meth:`run` follows them under a model of the same layout (the same model with other age effects, as a
    balance makes) over a range of ages, from a given mass or from the entry."""

    def __init__(self, model: TransitionModel, start: int, profiles: npt.NDArray[np.integer], oldest: int,
                 entry: FloatArray, arrivals: FloatArray | None = None) -> None:
        self.model, self.start = model, start
        self.layout = CellLayout.for_model(model)
        self.profiles = np.asarray(profiles, np.intp) if self.layout.n_profiles > 1 else np.zeros(len(profiles), np.intp)
        self.ages = np.arange(MIN_AGE_YEARS * 12, oldest)  # months of age, one step each
        n, n_bands = model.n_states, model.bands.n_bands
        rules = model.rules.bind(model.catalogue, model.ages) if model.rules is not None else None
        self.rules = rules
        widths = [starts[-1] + 1 for starts in model.bands.starts]
        self.forced: list[_Forced] = []
        if rules is not None:
            self.forced = self._forced_ends(rules)
            for end in self.forced:
                widths[end.state] = max(widths[end.state], end.months + 2)
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
            np.add.at(mass[p], self.offsets[landing[p]], self.entry[p])
        return mass

    def run(self, table: tuple[FloatArray, FloatArray], first: int, last: int,
            mass: FloatArray | None = None) -> tuple[FloatArray, FloatArray]:
        """Follow the cohorts from age index ``first`` (with ``mass``, ``(P, W)``; the entry when ``None``) through
        index ``last − 1``. Returns each age's state shares ``(last − first, P, S)`` at the start of that month,
        and the mass at index ``last``."""
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
            key = int(self.group[i, 0])  # the age class decides the cells (the profiles are fixed)
            if key not in cells:
                group = self.group[i]  # (P,)
                rows = (np.arange(n * n_bands) * (self.layout.n_age_classes * self.layout.n_profiles))[None, :] + group[:, None]
                cells[key] = (stay[self.column_cell[None, :] + group[:, None]], shares[rows])  # (P, W), (P, S·B, S)
            staying, moving = cells[key]
            kept = mass * staying
            leaving = (mass - kept) @ self.to_band  # (P, S·B)
            inflow = np.einsum("pk,pks->ps", leaving, moving)  # (P, S)
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
                arriving = mass.sum(axis=1, keepdims=True) * self.arrivals[i]  # (P, S)
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
