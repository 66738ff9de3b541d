"""Synthetic populations from a small municipality profile."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from labsim.calendar import EPOCH_YEAR, MonthLike, parse_month
from labsim.core.attributes import Education, Origin, profile_levels
from labsim.core.cohort import StationaryStart
from labsim.core.demography import Demography
from labsim.core.life_table import LifeTable
from labsim.core.pension import PensionSchedule
from labsim.core.population import MIN_AGE_YEARS, Population
from labsim.core.shares import check_shares
from labsim.errors import PopulationError
from labsim.paths import set_fields
from labsim.rng import Purpose, SeedLike, normalise_seed
from labsim.states import State, StateCatalogue, danish_catalogue
from labsim.validation import probability, whole

__all__ = ["MunicipalityProfile", "synthesise", "parse_age_band", "MAX_INHABITANTS", "MAX_AGE_YEARS"]

_TOLERANCE = 1e-6
_OLDEST = 100  # upper age of an open band like "67+"

MAX_INHABITANTS = 10_000_000
"""The most inhabitants a profile (or a scenario scaling one) may give: room beyond Denmark's 5.9 million
(Danmarks Statistik, FOLK1A 2021) for any Nordic country, and a bound on the persons a run creates."""

MAX_AGE_YEARS = 110
"""The oldest age, in years, a file may write (an age band's ends, a pension age): the last age of labsim's life
table."""

_BAND = re.compile(r"^(\d{1,3})-(\d{1,3})$|^(\d{1,3})\+$", re.ASCII)


def parse_age_band(label: str, where: str) -> tuple[int, int]:
    """``"16-24"`` → ``(16, 25)``, ``"67+"`` → ``(67, 100)`` in years, ``[low, high)``; the years lie in
    0 to :data:`MAX_AGE_YEARS`."""
    match = _BAND.match(label) if isinstance(label, str) else None
    if match is None:
        raise PopulationError(f"{where}: an age band must look like '16-24' or '67+'; got {_shown(label)}.")
    if match.group(3) is not None:
        low, high = int(match.group(3)), max(_OLDEST, int(match.group(3)) + 1)
    else:
        low, high = int(match.group(1)), int(match.group(2)) + 1
    if high <= low or high - 1 > MAX_AGE_YEARS:
        raise PopulationError(f"{where}: an age band runs from a lower to a higher age, at most {MAX_AGE_YEARS} "
                              f"years; got {_shown(label)}.")
    return low, high


def _shown(value: object) -> str:
    """``repr(value)`` shortened for a message."""
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:79]}…"


@dataclass(frozen=True, slots=True, kw_only=True)
class MunicipalityProfile:
    """What a synthetic population is drawn from.

    Attributes
    ----------
    name:
        The municipality.
    inhabitants:
        All inhabitants at ``at``, children included.
    at:
        Month the profile describes (month number).
    age_shares:
        Share of inhabitants per age band (``"0-15"``, ``"16-24"`` … ``"67+"``); sums to 1. Bands
        below 16 count towards inhabitants but are not simulated.
    state_shares:
        For each simulated age band, the share of its persons in each state; each sums to 1.
    education_shares, origin_shares:
        Shares of the education and origin levels; each sums to 1.
    male_share:
        Share of men.
    sources:
        Where each figure comes from, by key.
    demography:
        Deaths, migration and entries of the municipality, if the profile gives them.
    """

    name: str
    inhabitants: int
    at: int
    age_shares: Mapping[str, float]
    state_shares: Mapping[str, Mapping[str, float]]
    education_shares: Mapping[str, float]
    origin_shares: Mapping[str, float]
    male_share: float = 0.5
    sources: Mapping[str, str] = field(default_factory=dict)
    demography: Demography | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise PopulationError(f"a profile's name must be text; got {_shown(self.name)}.")
        whole(0, MAX_INHABITANTS)(self.inhabitants, f"profile {self.name!r}: inhabitants", PopulationError)
        if isinstance(self.at, bool) or not isinstance(self.at, int):
            raise PopulationError(f"profile {self.name!r}: at must be a month number; got {_shown(self.at)}.")
        for key in ("age_shares", "state_shares", "education_shares", "origin_shares", "sources"):
            if not isinstance(getattr(self, key), Mapping):
                raise PopulationError(f"profile {self.name!r}: {key} must be a table; got {_shown(getattr(self, key))}.")
        for label, shares in self.state_shares.items():
            if not isinstance(shares, Mapping):
                raise PopulationError(f"profile {self.name!r}: state_shares.{label} must be a table of state = "
                                      f"share; got {_shown(shares)}.")
        check_shares(self.age_shares, f"profile {self.name!r}: age_shares", error=PopulationError)
        bands = sorted((parse_age_band(label, f"profile {self.name!r}: age_shares"), label) for label in self.age_shares)
        for (a, _), (b, label) in zip(bands, bands[1:], strict=False):
            if b[0] != a[1]:
                raise PopulationError(f"profile {self.name!r}: age band {label!r} must start where the previous one ends ({a[1]}).")
        for label, (low, _) in ((label, parse_age_band(label, "age_shares")) for label in self.age_shares):
            simulated = low >= MIN_AGE_YEARS
            if simulated and label not in self.state_shares:
                raise PopulationError(f"profile {self.name!r}: state_shares must give shares for age band {label!r}.")
            if not simulated and label in self.state_shares:
                raise PopulationError(f"profile {self.name!r}: age band {label!r} is under {MIN_AGE_YEARS} and has no states.")
        for label, shares in self.state_shares.items():
            if label not in self.age_shares:
                raise PopulationError(f"profile {self.name!r}: state_shares.{label} is not an age band of age_shares.")
            check_shares(shares, f"profile {self.name!r}: state_shares.{label}", error=PopulationError)
        for key, enum in (("education_shares", Education), ("origin_shares", Origin)):
            shares = getattr(self, key)
            check_shares(shares, f"profile {self.name!r}: {key}", error=PopulationError)
            names = [m.name.lower() for m in enum]
            unknown = [level for level in shares if level not in names]
            if unknown:
                raise PopulationError(f"profile {self.name!r}: {key} must name levels of {', '.join(names)}; got "
                                      f"{_shown(unknown)}.")
        probability()(self.male_share, f"profile {self.name!r}: male_share", PopulationError)

    def entry_cohorts(self) -> dict[int, float]:
        """Persons per birth year who turn 16 after ``at``: the profile's children under 16, spread evenly
        over the birth months of their age band (an assumption where ages are banded). A birth year the
        profile covers only in part (at the edges) gets the yearly rate of the months it covers."""
        counts = _apportion(self.inhabitants, self.age_shares)
        persons: dict[int, float] = {}
        months: dict[int, int] = {}
        for label, count in counts.items():
            low, high = parse_age_band(label, "age_shares")
            if low >= MIN_AGE_YEARS:
                continue
            births = np.arange(self.at - 12 * high + 1, self.at - 12 * low + 1)
            years = births // 12 + EPOCH_YEAR
            for year, n in zip(*np.unique(years, return_counts=True), strict=True):
                persons[int(year)] = persons.get(int(year), 0.0) + count * int(n) / len(births)
                months[int(year)] = months.get(int(year), 0) + int(n)
        return {year: persons[year] * 12 / months[year] for year in sorted(persons)}

    def with_value(self, path: Sequence[str], value: object) -> MunicipalityProfile:
        """The profile with the value at ``path`` set (:func:`labsim.paths.set_path`): ``inhabitants`` scales the
        municipality as :meth:`scaled` does (entry cohorts and inflows with it), as a scenario file's
        ``[population] inhabitants`` does; any other path walks the profile's fields."""
        if list(path) == ["inhabitants"]:
            return self.scaled(whole(1, MAX_INHABITANTS)(value, f"profile {self.name!r}: inhabitants", PopulationError))
        return set_fields(self, path, value)  # type: ignore[no-any-return]

    def scaled(self, inhabitants: int) -> MunicipalityProfile:
        """The same municipality at another size: inhabitants, entry cohorts and yearly inflows scale together."""
        factor = inhabitants / self.inhabitants if self.inhabitants else 0.0
        demography = self.demography.scaled(factor) if self.demography is not None else None
        return replace(self, inhabitants=inhabitants, demography=demography)

    @property
    def simulated_persons(self) -> int:
        """Persons aged 16 or more that :func:`synthesise` creates."""
        counts = _apportion(self.inhabitants, self.age_shares)
        return sum(n for label, n in counts.items() if label in self.state_shares)


def _apportion(total: int, shares: Mapping[str, float]) -> dict[str, int]:
    """Whole counts summing to ``total`` in proportion to ``shares`` (largest remainders)."""
    keys = list(shares)
    exact = np.array([shares[k] for k in keys], dtype=np.float64) * total
    counts = np.floor(exact).astype(np.int64)
    remainder = total - int(counts.sum())
    if remainder > 0:
        counts[np.argsort(-(exact - counts), kind="stable")[:remainder]] += 1
    return dict(zip(keys, (int(c) for c in counts), strict=True))


def _levels(rng: np.random.Generator, shares: Mapping[str, float], enum: type, n: int, where: str) -> npt.NDArray[np.int8]:
    names = [m.name.lower() for m in enum]  # type: ignore[attr-defined]
    unknown = set(shares) - set(names)
    if unknown:
        raise PopulationError(f"{where} must name levels of {', '.join(names)}; got {sorted(unknown)}.")
    p = np.array([float(shares.get(name, 0.0)) for name in names])
    return rng.choice(len(names), size=n, p=p / p.sum()).astype(np.int8)


_OPEN_BAND_YEARS = 25  # without a life table, an open band like "67+" spans this many years (assumption)


def _draw_ages(
    rng: np.random.Generator, low: int, high: int, count: int, label: str, life_table: LifeTable | None,
    weights: npt.NDArray[np.float64] | None = None,
) -> npt.NDArray[np.int64]:
    """Ages in months within a band: uniform in a closed band; in an open band ("67+") weighted by the
    life table's survivors (both sexes averaged), or uniform over 25 years without one. ``weights`` (one per
    month of age from 16) weigh the months of the band further: a state's share at each age (a steady start)."""
    if label.endswith("+") and life_table is None:
        high = low + _OPEN_BAND_YEARS
    months = np.arange(low * 12, high * 12)
    density = np.ones(months.size)
    if label.endswith("+") and life_table is not None:
        q = life_table.death_probability.mean(axis=0)[low:]
        survivors = np.concatenate([[1.0], np.cumprod(1.0 - q)])[:-1]
        months = np.arange(low * 12, (low + len(survivors)) * 12)
        density = np.repeat(survivors, 12)
    if weights is not None:
        index = months - MIN_AGE_YEARS * 12
        placed = density * np.where(index >= 0, weights[np.clip(index, 0, weights.size - 1)], 0.0)  # past: the last
        if placed.sum() > 0:
            return months[rng.choice(months.size, size=count, p=placed / placed.sum())]
    if not label.endswith("+"):
        return rng.integers(low * 12, high * 12, size=count)
    if life_table is None:
        return rng.integers(low * 12, high * 12, size=count)
    years = low + rng.choice(len(density) // 12, size=count, p=density[::12] / density[::12].sum())
    return years * 12 + rng.integers(0, 12, size=count)


def synthesise(
    profile: MunicipalityProfile,
    *,
    at: MonthLike | None = None,
    catalogue: StateCatalogue | None = None,
    pension: PensionSchedule | None = None,
    seed: SeedLike = 0,
    stationary: StationaryStart | None = None,
) -> Population:
    """Draw a population of everyone aged 16 or more from ``profile``.

    Counts per age band and state are apportioned exactly (largest remainders); birth months,
    sex, education and origin are drawn. So that the persons obey the rules of the Danish
    catalogue, persons on uddannelseshjælp are unskilled, persons under 30 on kontanthjælp are
    skilled, persons on selvforsørgelses- og hjemrejseydelse are refugees or family-reunified and,
    given a ``pension`` schedule, persons past their folkepension age are on folkepension.

    ``stationary`` (a balanced cohort path, :attr:`labsim.core.balance.RateBalance.stationary`) places the persons
    of each state within their age band by the state's persons at each age, instead of uniformly, and draws each
    person's sex, education and origin by the path's persons of that state and age (the profile's shares where
    the path has nobody).

    >>> import labsim
    >>> model = labsim.default_model()
    >>> profile = labsim.default_profile().scaled(1_000)  # the demo municipality at 1,000 inhabitants
    >>> population = labsim.synthesise(profile, pension=model.rules.pension, seed=1)
    >>> population.n_persons  # the 83 % aged 16 or more
    830
    >>> labsim.synthesise(profile, pension=model.rules.pension, seed=1).state_counts() == population.state_counts()
    True
    """
    catalogue = catalogue or danish_catalogue()
    start = parse_month(profile.at if at is None else at, field="at")
    sequence = normalise_seed(seed)
    rng = np.random.default_rng(np.random.SeedSequence(sequence.entropy, spawn_key=(*sequence.spawn_key, int(Purpose.SYNTHESIS))))
    by_band = _apportion(profile.inhabitants, profile.age_shares)
    states, births = [], []
    life_table = profile.demography.life_table if profile.demography is not None else None
    by_age = stationary.state_ages() if stationary is not None else None
    for label, shares in profile.state_shares.items():
        low, high = parse_age_band(label, "state_shares")
        counts = _apportion(by_band[label], shares)
        for name, count in counts.items():
            code = catalogue.code(name, field=f"profile {profile.name!r}: state_shares.{label}")
            states.append(np.full(count, code, dtype=np.int8))
            weights = by_age[:, code] if by_age is not None else None
            births.append(start - _draw_ages(rng, low, high, count, label, life_table, weights))
    state = np.concatenate(states) if states else np.zeros(0, np.int8)
    birth = np.concatenate(births) if births else np.zeros(0, np.int64)
    n = len(state)
    order = rng.permutation(n)  # ids carry no information about state or age
    state, birth = state[order], birth[order]
    sex = (rng.random(n) < profile.male_share).astype(np.int8)
    education = _levels(rng, profile.education_shares, Education, n, f"profile {profile.name!r}: education_shares")
    origin = _levels(rng, profile.origin_shares, Origin, n, f"profile {profile.name!r}: origin_shares")
    if stationary is not None:
        codes, drawn = stationary.draw_profiles(rng, state, start - birth)
        levels = profile_levels()[codes[drawn]]
        sex[drawn], education[drawn], origin[drawn] = levels[:, 0], levels[:, 1], levels[:, 2]
    if catalogue.name == "danish":
        _make_consistent(rng, state, birth, education, origin, start, pension)
    return Population.from_arrays(state=state, birth_month=birth, sex=sex, education=education, origin=origin, catalogue=catalogue)


def _make_consistent(
    rng: np.random.Generator,
    state: npt.NDArray[np.int8],
    birth: npt.NDArray[np.int64],
    education: npt.NDArray[np.int8],
    origin: npt.NDArray[np.int8],
    start: int,
    pension: PensionSchedule | None,
) -> None:
    youth = (state == State.UDDANNELSESHJAELP_UDDANNELSESPARAT) | (state == State.UDDANNELSESHJAELP_AKTIVITETSPARAT)
    education[youth] = Education.UFAGLAERT
    assistance = (state == State.KONTANTHJAELP_JOBPARAT) | (state == State.KONTANTHJAELP_AKTIVITETSPARAT)
    young_assistance = np.flatnonzero(assistance & (start - birth < 360) & (education == Education.UFAGLAERT))
    education[young_assistance] = rng.choice([Education.FAGLAERT, Education.VIDEREGAAENDE], size=young_assistance.size)
    origin[state == State.SELVFORSOERGELSESYDELSE] = Origin.FLYGTNING_FAMILIESAMMENFOERT
    if pension is not None:
        age = start - birth
        state[age >= pension.folkepension_age(birth)] = State.FOLKEPENSION
        early = (state == State.EFTERLOEN) & (age < pension.efterloen_age(birth))
        state[early] = State.EMPLOYED
