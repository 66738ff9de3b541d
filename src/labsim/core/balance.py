"""Balanced rates: hazard multipliers by age band that make a population's start shares the model's steady state.

A model fitted elsewhere (or the default hazards) seldom has a municipality's start shares as its steady state:
left alone, the rates drift towards the model's own, and a committee reads the drift as an effect no strategy
caused. :func:`balance_rates` finds, for each age band of the model and each state other than the reference (the
state most persons are in, employment), a multiplier on the hazards into that state from every state, such that
a cohort followed from age 16 under the model (:class:`~labsim.core.cohort.CohortPath`) passes through each age
band with the start population's shares (persons below folkepension age, weighted by the start population's ages
within the band, in the profiles the demography's flows make at each age, or in the start's mix without them). Under balanced rates the age-specific rates hold; the crude rates then move only
with the age structure (demography), the calendar's rule changes and the macro path.

A balance is an assumption of constant rates, not a forecast: it says "as things are now, they would stay". It is
solved once for a scenario and applied to every strategy unchanged, so paired differences remain pure effects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from labsim.core.attributes import profile_code, profile_levels, qualified_profile
from labsim.core.cohort import CohortPath, StationaryStart
from labsim.core.demography import Arrivals
from labsim.core.model import TransitionModel
from labsim.core.population import MIN_AGE_YEARS, Population
from labsim.errors import ModelError
from labsim.states import Gate, StateCatalogue

__all__ = ["Balance", "RateBalance", "balance_rates", "with_balance", "MULTIPLIER_RANGE", "BALANCE_TOLERANCE"]

FloatArray = npt.NDArray[np.float64]

MULTIPLIER_RANGE = (1e-3, 1e3)
"""The range a balance multiplier is held in: a state the model can hardly reach, or one it floods, is left at the
edge and its gap is reported (``RateBalance.error``)."""

BALANCE_TOLERANCE = 2e-4
"""The largest gap between a balanced share and the start share the solve stops at (shares of a band's persons)."""

_ITERATIONS = 60


class Balance(StrEnum):
    """Whether a scenario's hazards are balanced to its start (:func:`balance_rates`)."""

    AUTO = "auto"
    """Balance when the persons come from a profile (with pinned levels or not) and the model has legal rules,
    unless the model was calibrated to the municipality's own observed series."""
    RATES = "rates"
    """Balance."""
    NONE = "none"
    """Run the model's hazards as they are: the rates drift towards the model's own steady state."""


@dataclass(frozen=True, slots=True, eq=False)
class RateBalance:
    """Multipliers on the hazards into each state by age band, solved by :func:`balance_rates`.

    Attributes
    ----------
    bands:
        The model's age bands.
    states:
        The catalogue's states.
    into, out_of:
        ``(bands, states)`` multipliers on the hazards into each state (after the legal gates) and out of it; 1 for
        the reference state and for states not balanced. A state's share is held by the hazards into it; where those
        cannot go lower (a state the band's persons bring with them from the band before, or one no hazard leads
        into, as jobafklaring, which only revurdering fills) by the hazards out of it.
    target, balanced:
        ``(bands, states)``: the start shares of the persons below folkepension age in each band, and the shares a
        cohort passes through under the balanced model (``balanced − target`` is what the balance could not reach).
    reference:
        The state whose share is the rest (employment).
    stationary:
        The persons by month of age, profile and state on the balanced cohort path — in each age's mix of profiles
        from the flows where the balance was given entrants, else in each age band's mix of the start — and by
        months in state: a steady start places persons within their age band, draws their profiles and their months
        in state by it.
    source:
        Where the balance came from, for the record.
    """

    bands: tuple[str, ...]
    states: tuple[str, ...]
    into: FloatArray = field(repr=False)
    out_of: FloatArray = field(repr=False)
    target: FloatArray = field(repr=False)
    balanced: FloatArray = field(repr=False)
    reference: str
    stationary: StationaryStart = field(repr=False)
    source: str = ""

    @property
    def error(self) -> float:
        """The largest gap between a balanced share and its target, over the states but the reference (whose share
        is the rest, so its gap is the others' together)."""
        others = np.array([name != self.reference for name in self.states])
        return float(np.abs(self.balanced - self.target)[:, others].max(initial=0.0))

    def apply(self, model: TransitionModel) -> TransitionModel:
        """``model`` with the multipliers on the hazards into each state in each age band (after the legal gates,
        :attr:`~labsim.core.TransitionModel.inflow_log_effect`), and on the hazards out of the states in
        :attr:`exits` (its age effects)."""
        if model.ages.band_labels() != self.bands or model.catalogue.names != self.states:
            raise ModelError(f"a balance of age bands {list(self.bands)} cannot apply to a model with age bands "
                             f"{list(model.ages.band_labels())} or other states.")
        return with_balance(model, self.into, self.out_of)

    def patch_text(self) -> str:
        """The balance as ``[[balance]]`` rows of a model file (``band, state, into, out_of``, every multiplier that
        is not 1, to full precision), headed by a comment with :attr:`source` and the largest gap: a patch a scenario
        applies with ``[model] patches = [...]`` and ``balance = "none"``, or that a fitted file carries."""
        lines = [f"# A balance of the hazards to the start: {self.source or 'labsim.core.balance.balance_rates'}; "
                 f"largest gap {100 * self.error:.2f} percentage points.", ""]
        for b, band in enumerate(self.bands):
            for s, state in enumerate(self.states):
                if self.into[b, s] != 1.0 or self.out_of[b, s] != 1.0:
                    lines += ["[[balance]]", f'band = "{band}"', f'state = "{state}"',
                              f"into = {float(self.into[b, s])!r}", f"out_of = {float(self.out_of[b, s])!r}", ""]
        return "\n".join(lines)

    def records(self) -> list[dict[str, object]]:
        """One row per age band and state with persons or a multiplier: ``band, state, into, out_of, target,
        balanced``."""
        rows: list[dict[str, object]] = []
        for b, band in enumerate(self.bands):
            for s, state in enumerate(self.states):
                if self.into[b, s] != 1.0 or self.out_of[b, s] != 1.0 or self.target[b, s] > 0:
                    rows.append({"band": band, "state": state, "into": float(self.into[b, s]),
                                 "out_of": float(self.out_of[b, s]), "target": float(self.target[b, s]),
                                 "balanced": float(self.balanced[b, s])})
        return rows


def with_balance(model: TransitionModel, into: FloatArray, out_of: FloatArray) -> TransitionModel:
    """``model`` with multipliers ``(bands, states)`` on the hazards into each state in each age band (after the
    legal gates, :attr:`~labsim.core.TransitionModel.inflow_log_effect`) and on the hazards out of each state (its
    age effects): what a :class:`RateBalance` applies, and a model file's ``[[balance]]`` rows."""
    allowed = model.catalogue.allowed_matrix(Gate.HAZARD).copy()
    np.fill_diagonal(allowed, False)
    out = np.log(out_of)[:, :, None] * allowed[None, :, :]  # (bands, from, to)
    return replace(model, inflow_log_effect=model.inflows + np.log(into), age_log_effect=model.age_log_effect + out)


def balance_rates(model: TransitionModel, population: Population, start: int, entry: FloatArray | None = None, *,
                  arrivals: Sequence[Arrivals] = (), entrants: Arrivals | None = None,
                  tolerance: float = BALANCE_TOLERANCE, source: str = "") -> RateBalance:
    """The multipliers that make ``population``'s shares by age band at ``start`` the steady state of ``model``
    (which should carry the rules in force at ``start``).

    ``entry`` gives the shares of the states 16-year-olds enter (a scenario's demography); by default the states of
    the start population's 16-year-olds, or its youngest band's. ``arrivals`` (a demography's immigrants and
    refugees) join the cohorts at their ages, profiles and states, at their yearly numbers against the start
    population's persons of each age. ``entrants`` (a demography's 16-year-olds) gives the profiles (sex, education,
    origin) the cohorts enter with, and the states where ``entry`` is not given. With it, the persons of each age are
    in the profiles the flows make (entrants, arrivals and qualifications), in the balance and in the
    :attr:`~RateBalance.stationary` start, instead of in the start population's mix: a stationary population in its
    make-up too, whose rates a run's entrants do not move as they replace the persons of the start (a period view:
    today's 16-year-olds become today's 45-year-olds). Without it each band keeps the start population's mix.
    Deterministic: the same inputs give the same multipliers.
    """
    n = model.n_states
    catalogue = model.catalogue
    pensioner = catalogue.code("folkepension") if "folkepension" in catalogue else -1
    ages = (start - population.birth_month.astype(np.int64))
    working = (population.state != pensioner) & (ages >= MIN_AGE_YEARS * 12)
    cuts = np.asarray(model.ages.cuts_years) * 12
    band = np.searchsorted(cuts, ages, side="right")
    n_bands = model.ages.n_bands
    counts = np.zeros((n_bands, n))
    np.add.at(counts, (band[working], population.state[working].astype(np.intp)), 1.0)
    totals = counts.sum(axis=1, keepdims=True)
    target = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    reference = int(np.argmax(counts.sum(axis=0)))
    codes = profile_code(population.sex, population.education, population.origin).astype(np.intp)
    profiles = _followed(codes[working], [entrants, *arrivals] if entrants is not None else list(arrivals))
    profile_of = np.searchsorted(profiles, codes[working])
    oldest = int(ages[working].max(initial=MIN_AGE_YEARS * 12)) + 2
    if entry is None:
        entry = (entrants.state_vector(catalogue) if entrants is not None
                 else _entry_from(population, ages, working, target[0]))
    youngest = np.bincount(profile_of[ages[working] < (MIN_AGE_YEARS + 1) * 12], minlength=len(profiles))
    entry_mix = (_profile_shares(entrants, profiles) if entrants is not None
                 else youngest / youngest.sum() if youngest.sum() else None)
    path = CohortPath(model, start, profiles, oldest, np.asarray(entry, np.float64),
                      _arrival_rates(arrivals, ages, working, profiles, oldest, catalogue), entry_mix)
    weights = np.zeros((len(path.ages), len(profiles)))  # persons below folkepension age by age and profile
    np.add.at(weights, (ages[working] - path.ages[0], profile_of), 1.0)
    age_band = np.searchsorted(cuts, path.ages, side="right")
    reached = model.hazard.max(axis=2).max(axis=0) > 0  # some hazard leads into the state
    balanced_states = reached | (model.hazard.max(axis=2).max(axis=1) > 0)
    balanced_states[reference] = False
    if pensioner >= 0:
        balanced_states[pensioner] = False
    low, high = MULTIPLIER_RANGE
    levers = np.ones((n_bands, n))  # each state's lever: into / out_of
    shares = np.zeros((n_bands, n))
    labels, names = model.ages.band_labels(), catalogue.names

    def balance(levers: FloatArray, shares: FloatArray, final: bool = False) -> RateBalance:
        into = np.where(reached, np.clip(levers, low, high), 1.0)
        out_of = np.clip(into / levers, 1.0 / high, high)
        stationary = StationaryStart(profiles, mix[:, :, None] * by_age,
                                     spells.astype(np.float32) if final else None, path.offsets)
        return RateBalance(labels, names, into, out_of, target, shares, names[reference], stationary, source)

    mass = None
    by_age = np.zeros((len(path.ages), len(profiles), n))  # the path's shares by age and profile
    spells = np.zeros(((len(path.ages) + 11) // 12, len(profiles), path.n_columns))  # by year of age and column
    band_mix = np.zeros((n_bands, len(profiles)))  # each band's persons by profile
    np.add.at(band_mix, age_band, weights)
    band_mix /= np.maximum(band_mix.sum(axis=1, keepdims=True), 1.0)
    mix = band_mix[age_band]  # (ages, P): the persons of each age by profile; the flows' with entrants
    for b in range(n_bands):  # youngest first: a band's persons come from the band before
        ages_of_band = np.flatnonzero(age_band == b)
        if not ages_of_band.size:
            continue
        first, last = int(ages_of_band[0]), int(ages_of_band[-1]) + 1
        solve = balanced_states & (totals[b, 0] > 0)

        def run(lever: FloatArray, b: int = b, first: int = first, last: int = last,
                entering: FloatArray | None = mass) -> tuple[FloatArray, FloatArray]:
            trial = levers.copy()
            trial[b] = lever
            years = slice(first // 12, (last + 11) // 12)  # bands start at whole years
            spells[years] = 0.0
            part, end_mass = path.run(path.table(balance(trial, target).apply(model)), first, last, entering, spells)
            alive = part.sum(axis=2, keepdims=True)  # arrivals grow a cohort: keep its shares
            by_age[first:last] = np.divide(part, alive, out=np.zeros_like(part), where=alive > 0)
            persons = weights[first:last]
            if entrants is not None:  # the start's persons of each age, in the profiles the flows give them
                flows = alive[:, :, 0] / np.maximum(alive[:, :, 0].sum(axis=1, keepdims=True), 1e-300)
                mix[first:last] = flows
                persons = persons.sum(axis=1, keepdims=True) * flows
            return _band_shares(part, persons, pensioner), end_mass

        lever = levers[b].copy()
        got, end_mass = run(lever)
        previous: tuple[FloatArray, FloatArray] | None = None
        for _ in range(_ITERATIONS):
            gap = got - target[b]
            stuck = ((lever <= low / high) & (gap > 0)) | ((lever >= high) & (gap < 0))
            if np.abs(gap[solve & ~stuck]).max(initial=0.0) < tolerance:
                break
            step = _step(lever, got, target[b], previous)
            previous = (lever, got)
            moving = solve & ~stuck & (np.abs(gap) >= tolerance)
            lever = np.where(moving, np.clip(lever * step, low / high, high), lever)
            got, end_mass = run(lever)
        levers[b] = lever
        shares[b] = got
        mass = end_mass
    return balance(levers, shares, final=True)


def _step(m: FloatArray, got: FloatArray, target: FloatArray,
          previous: tuple[FloatArray, FloatArray] | None) -> FloatArray:
    """The factor to multiply each multiplier by: a secant step on the share's response to its multiplier where
    the last step shows one, else the ratio of the target to the share; at most 5 times up or down."""
    ratio = np.divide(target, got, out=np.ones_like(target), where=got > 0)
    ratio[(target == 0) & (got > 0)] = 0.2
    if previous is not None:
        m0, got0 = previous
        dm, dg = m - m0, got - got0
        slope = np.divide(dg, dm, out=np.zeros_like(dg), where=np.abs(dm) > 1e-12)
        newton = np.divide(m + np.divide(target - got, slope, out=np.zeros_like(dg), where=slope > 1e-12), m,
                           out=np.ones_like(m), where=m > 0)
        ratio = np.where(slope > 1e-12, newton, ratio)
    return np.clip(ratio, 0.25, 4.0)


def _arrival_rates(arrivals: Sequence[Arrivals], ages: npt.NDArray[np.int64], working: npt.NDArray[np.bool_],
                   profiles: npt.NDArray[np.intp], oldest: int, catalogue: StateCatalogue) -> FloatArray:
    """``(months of age from 16, profiles, states)``: each month's arrivals at each age, as a share of the start
    population's persons of that age (below folkepension age, counted by year of age, a twelfth a month), in their
    profiles and states."""
    first = MIN_AGE_YEARS * 12
    month_ages = np.arange(first, oldest)
    rates = np.zeros((len(month_ages), len(profiles), catalogue.n_states))
    years = oldest // 12 + 2
    known = working & (ages >= 0) & (ages // 12 < years)
    persons = np.bincount(ages[known] // 12, minlength=years)[month_ages // 12] / 12.0  # (ages,)
    for stream in arrivals:
        low, high = stream.age_years
        per_age = stream.per_year / 12.0 / ((high - low) * 12)
        inside = (month_ages >= low * 12) & (month_ages < high * 12) & (persons > 0)
        intensity = np.divide(per_age, persons, out=np.zeros_like(persons), where=inside)
        rates += (intensity[:, None, None] * _profile_shares(stream, profiles)[None, :, None]
                  * stream.state_vector(catalogue)[None, None, :])
    return rates


def _profile_shares(stream: Arrivals, profiles: npt.NDArray[np.intp]) -> FloatArray:
    """``(P,)``: the shares of ``stream``'s persons in each of ``profiles``."""
    return stream.profile_shares()[profiles]


def _followed(codes: npt.NDArray[np.intp], streams: Sequence[Arrivals]) -> npt.NDArray[np.intp]:
    """The profiles a balance follows: the start population's, those the streams bring, and the skilled profile each
    unskilled one qualifies into."""
    every = np.arange(len(profile_levels()), dtype=np.intp)
    brought = [every[_profile_shares(stream, every) > 0] for stream in streams]
    profiles = np.unique(np.concatenate([codes, *brought]).astype(np.intp))
    skilled = qualified_profile(profiles)
    skilled = skilled[skilled >= 0].astype(np.intp)
    return np.unique(np.concatenate([profiles, skilled]))


def _entry_from(population: Population, ages: npt.NDArray[np.int64], working: npt.NDArray[np.bool_],
                youngest: FloatArray) -> FloatArray:
    """The states of the start population's 16-year-olds, or the youngest band's shares when it has none."""
    sixteen = working & (ages < (MIN_AGE_YEARS + 1) * 12)
    if not sixteen.any():
        return youngest
    counts = np.bincount(population.state[sixteen].astype(np.intp), minlength=population.catalogue.n_states)
    return counts / counts.sum()


def _band_shares(path: FloatArray, weights: FloatArray, pensioner: int) -> FloatArray:
    """``(S,)``: the path's shares of the persons below folkepension age over a band's ages ``(ages, P, S)``, weighted
    by the start population's persons at each age and profile ``(ages, P)``."""
    below = path.copy()
    if pensioner >= 0:
        below[..., pensioner] = 0.0
    alive = below.sum(axis=2, keepdims=True)
    below = np.divide(below, alive, out=np.zeros_like(below), where=alive > 0)
    weighted = np.einsum("ap,aps->s", weights, below)
    total = weighted.sum()
    return weighted / total if total > 0 else weighted
