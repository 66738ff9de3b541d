"""Demography: deaths, emigration, 16-year-olds entering, immigrants and refugees (numpy only).

Applied at the end of each month, after the moves between states. Exits take persons out of the
population; entries add new persons with new ids, in a fixed order (entrants at 16, immigrants,
refugees), so that ids — and with them every person's random numbers — are the same under every
strategy. Yearly numbers become monthly ones by carrying the fractions from month to month, so a
year of refugee inflow adds exactly its quota.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from labsim.calendar import month_year
from labsim.core.attributes import Education, Origin, Sex
from labsim.core.life_table import LifeTable
from labsim.core.population import MIN_AGE_YEARS, Population
from labsim.core.shares import check_shares
from labsim.errors import ModelError
from labsim.rng import Purpose, RandomStreams
from labsim.states import StateCatalogue
from labsim.validation import number, probability

__all__ = ["Demography", "Arrivals", "EXIT_REASONS"]

EXIT_REASONS = ("death", "emigration")
_WORD = 65536
_MAX_AGE = 110


@dataclass(frozen=True, slots=True, kw_only=True)
class Arrivals:
    """A stream of new persons: how many a year, their ages, origin and first state.

    Attributes
    ----------
    per_year:
        Persons arriving per year (may be fractional; fractions carry over to later months).
    age_years:
        ``(low, high)``: ages drawn uniformly in ``[low, high)`` years.
    state_shares:
        Share of arrivals in each state (names of the catalogue).
    origin_shares:
        Shares of the origin levels.
    education_shares:
        Shares of the education levels.
    male_share:
        Share of men.
    """

    per_year: float
    age_years: tuple[int, int]
    state_shares: Mapping[str, float]
    origin_shares: Mapping[str, float] = field(default_factory=lambda: {"dansk": 1.0})
    education_shares: Mapping[str, float] = field(default_factory=lambda: {"ufaglaert": 1.0})
    male_share: float = 0.5

    def state_vector(self, catalogue: StateCatalogue, where: str = "state_shares") -> npt.NDArray[np.float64]:
        """``(states,)``: the share of the stream's persons in each state of ``catalogue``; an unknown state is an
        error naming ``where``."""
        out = np.zeros(catalogue.n_states)
        for name, share in self.state_shares.items():
            out[catalogue.code(name, field=where)] += share
        return out

    def profile_shares(self) -> npt.NDArray[np.float64]:
        """``(N_PROFILES,)``: the share of the stream's persons in each profile code (sex, education and origin
        drawn independently, as :meth:`Demography.arrivals` draws them).

        >>> stream = Arrivals(per_year=10, age_years=(18, 40), state_shares={"employed": 1.0},
        ...                   education_shares={"ufaglaert": 0.25, "faglaert": 0.75})
        >>> shares = stream.profile_shares()
        >>> round(float(shares.sum()), 12), int((shares > 0).sum())  # women and men, two educations, one origin
        (1.0, 4)
        """
        shares = np.zeros((len(Sex), len(Education), len(Origin)))
        for name, education in self.education_shares.items():
            for other, origin in self.origin_shares.items():
                for sex in Sex:
                    part = self.male_share if sex == Sex.MALE else 1.0 - self.male_share
                    shares[sex, Education[name.upper()], Origin[other.upper()]] += part * education * origin
        return shares.ravel()

    def validate(self, where: str) -> None:
        """Raise :class:`~labsim.errors.ModelError` naming ``where`` for bad values."""
        number(0.0)(self.per_year, f"{where}.per_year", ModelError)
        low, high = self.age_years
        if not MIN_AGE_YEARS <= low < high <= _MAX_AGE:
            raise ModelError(f"{where}.age_years must be [low, high) with {MIN_AGE_YEARS} ≤ low < high ≤ {_MAX_AGE}; got {self.age_years!r}.")
        check_shares(self.state_shares, f"{where}.state_shares", error=ModelError)
        check_shares(self.education_shares, f"{where}.education_shares", error=ModelError)
        check_shares(self.origin_shares, f"{where}.origin_shares", error=ModelError)
        for name, shares, enum in (("origin_shares", self.origin_shares, Origin), ("education_shares", self.education_shares, Education)):
            levels = {level.name.lower() for level in enum}
            unknown = sorted(set(shares) - levels)
            if unknown:
                raise ModelError(f"{where}.{name} must name levels of {', '.join(sorted(levels))}; got {unknown}.")
        probability()(self.male_share, f"{where}.male_share", ModelError)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Demography:
    """Who leaves and who joins the population, month by month.

    Attributes
    ----------
    life_table:
        Mortality by sex and age; ``None`` for no deaths.
    emigration_rate:
        ``(2, n_ages)`` yearly probability of emigrating by sex (women, men) and age in years; ``None``
        for no emigration. Ages past the last column take its value.
    entrants_by_birth_year:
        16-year-olds entering per birth year; a person born in month ``m`` enters in month ``m + 192``.
        Birth years not listed take ``births_per_year``.
    births_per_year:
        Cohort size of birth years not in ``entrants_by_birth_year`` (0 for no entries).
    entry:
        Origin, education and first-state shares of the 16-year-olds (``per_year`` and ages unused).
    immigration:
        Arriving migrants.
    refugees:
        Refugees and family-reunified persons (Brønderslev's quota: 10 a year, DOMAIN.md §5.1 B36).
    """

    life_table: LifeTable | None = None
    emigration_rate: npt.NDArray[np.float64] | None = field(default=None, repr=False)
    entrants_by_birth_year: Mapping[int, float] = field(default_factory=dict)
    births_per_year: float = 0.0
    entry: Arrivals | None = None
    immigration: Arrivals | None = None
    refugees: Arrivals | None = None

    def __post_init__(self) -> None:
        if self.emigration_rate is not None:
            rate = np.array(self.emigration_rate, dtype=np.float64)
            if rate.ndim != 2 or rate.shape[0] != 2:
                raise ModelError(f"demography.emigration_rate must have 2 rows (women, men); got shape {rate.shape}.")
            bad = np.argwhere(~np.isfinite(rate) | (rate < 0) | (rate > 1))
            if bad.size:
                sex, age = bad[0]
                raise ModelError(f"demography.emigration_rate of {('women', 'men')[sex]} aged {age} must lie in [0, 1]; "
                                 f"got {float(rate[sex, age])!r}.")
            rate.setflags(write=False)
            object.__setattr__(self, "emigration_rate", rate)
        for year, count in self.entrants_by_birth_year.items():
            number(0.0)(count, f"demography.entrants_by_birth_year[{year}]", ModelError)
        number(0.0)(self.births_per_year, "demography.births_per_year", ModelError)
        for name in ("entry", "immigration", "refugees"):
            arrivals = getattr(self, name)
            if arrivals is not None:
                arrivals.validate(f"demography.{name}")
        if (self.entrants_by_birth_year or self.births_per_year) and self.entry is None:
            raise ModelError("demography.entry must say which states 16-year-olds enter when entrants are given.")

    def scaled(self, factor: float) -> Demography:
        """The same demography for a municipality ``factor`` times the size: cohorts and yearly inflows scale."""
        def scale(arrivals: Arrivals | None) -> Arrivals | None:
            return replace(arrivals, per_year=arrivals.per_year * factor) if arrivals is not None else None

        return replace(
            self,
            entrants_by_birth_year={year: n * factor for year, n in self.entrants_by_birth_year.items()},
            births_per_year=self.births_per_year * factor,
            immigration=scale(self.immigration),
            refugees=scale(self.refugees),
        )

    def cohort(self, birth_year: int) -> float:
        """16-year-olds of a birth year."""
        return float(self.entrants_by_birth_year.get(birth_year, self.births_per_year))

    def monthly_exit(
        self, month: int, births: npt.NDArray[np.integer], sex: npt.NDArray[np.integer]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Probabilities of dying and of emigrating within ``month`` for persons born in ``births`` with ``sex``
        (broadcast together), at their age in completed years; yearly rates are turned into monthly ones."""
        age = np.maximum((month - np.asarray(births, dtype=np.int64)) // 12, 0)
        death = np.zeros(np.broadcast(age, sex).shape)
        emigration = np.zeros_like(death)
        if self.life_table is not None:
            monthly = self.life_table.monthly_probability()
            death = monthly[sex, np.minimum(age, monthly.shape[1] - 1)]
        if self.emigration_rate is not None:
            yearly = self.emigration_rate[sex, np.minimum(age, self.emigration_rate.shape[1] - 1)]
            emigration = 1.0 - (1.0 - yearly) ** (1.0 / 12.0)
        return death, emigration

    def exit_lookup(self, month: int, highest_birth: int) -> npt.NDArray[np.float64]:
        """``(highest_birth + 1, 2)`` probability of leaving (death or emigration) within ``month`` by birth month and sex."""
        death, emigration = self.monthly_exit(month, np.arange(highest_birth + 1)[:, None], np.arange(2)[None, :])
        return np.minimum(death + emigration, 1.0)

    def death_share(self, month: int, births: npt.NDArray[np.int16], sex: npt.NDArray[np.int8]) -> npt.NDArray[np.float64]:
        """Of those leaving, the probability that it is by death (the rest emigrate)."""
        death, emigration = self.monthly_exit(month, births, sex.astype(np.intp))
        total = death + emigration
        return np.divide(death, total, out=np.ones_like(total), where=total > 0)


class DemographyStep:
    """Applies a :class:`Demography` to a population month by month (exits, then entries)."""

    def __init__(self, demography: Demography, catalogue_codes: Mapping[str, int], streams: RandomStreams) -> None:
        self.demography = demography
        self.codes = dict(catalogue_codes)
        self.streams = streams
        self._carry = {"entry": 0.0, "immigration": 0.0, "refugees": 0.0}
        for name in ("entry", "immigration", "refugees"):
            arrivals = getattr(demography, name)
            if arrivals is not None:
                for state in arrivals.state_shares:
                    if state not in self.codes:
                        raise ModelError(f"demography.{name}.state_shares names {state!r}, which is not a state of the catalogue.")

    def exits(self, population: Population, month: int, highest_birth: int) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.bool_]]:
        """Positions of persons leaving at the end of ``month`` and whether each dies (else emigrates)."""
        demography = self.demography
        if demography.life_table is None and demography.emigration_rate is None or not population.n_persons:
            return np.zeros(0, np.intp), np.zeros(0, bool)
        highest = highest_birth
        leave = demography.exit_lookup(month, highest)
        scaled = leave * _WORD
        thresholds = np.minimum(np.floor(scaled), _WORD - 1)
        fraction = (scaled - thresholds).ravel()
        thresholds = thresholds.astype(np.uint16).ravel()
        index = population.birth_month.astype(np.intp) * 2 + population.sex
        threshold = thresholds.take(index)
        ids = population.ids
        words = self.streams.word_source(month, Purpose.EXIT).for_ids(ids)
        leaving = np.flatnonzero(words <= threshold)
        tie = words[leaving] == threshold[leaving]
        if tie.any():
            tied = leaving[tie]
            draws = self.streams.uniforms(self.streams.key(month, Purpose.EXIT_TIE), ids[tied])
            tie[tie] = draws >= fraction.take(index[tied])
        leaving = leaving[~tie]
        share = demography.death_share(month, population.birth_month[leaving], population.sex[leaving])
        dies = self.streams.uniforms(self.streams.key(month, Purpose.EXIT_KIND), ids[leaving]) < share
        return leaving, dies

    def _count(self, name: str, per_month: float) -> int:
        carried = self._carry[name] + per_month
        whole = int(np.floor(carried + 1e-9))
        self._carry[name] = carried - whole
        return whole

    def arrivals(self, month: int, next_id: int) -> dict[str, npt.NDArray[Any]]:
        """New persons of the end of ``month`` as arrays (state, birth month, sex, education, origin, ids)."""
        demography = self.demography
        parts: list[dict[str, npt.NDArray[Any]]] = []
        entrants_birth = month + 1 - MIN_AGE_YEARS * 12
        if demography.entry is not None:
            n = self._count("entry", demography.cohort(month_year(entrants_birth)) / 12)
            if n:
                parts.append(self._draw(demography.entry, n, month, next_id, np.full(n, entrants_birth)))
                next_id += n
        for name in ("immigration", "refugees"):
            arrivals = getattr(demography, name)
            if arrivals is None:
                continue
            n = self._count(name, arrivals.per_year / 12)
            if n:
                ids = np.arange(next_id, next_id + n)
                low, high = arrivals.age_years
                u = self.streams.uniforms(self.streams.key(month, Purpose.ARRIVAL_AGE), ids)
                births = month + 1 - (low * 12 + np.floor(u * (high - low) * 12)).astype(np.int64)
                parts.append(self._draw(arrivals, n, month, next_id, births))
                next_id += n
        if not parts:
            return {}
        return {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}

    def _draw(self, arrivals: Arrivals, n: int, month: int, first_id: int, births: npt.NDArray[np.int64]) -> dict[str, npt.NDArray[Any]]:
        ids = np.arange(first_id, first_id + n)
        streams = self.streams
        u_state = streams.uniforms(streams.key(month, Purpose.ARRIVAL_STATE), ids)
        u_sex = streams.uniforms(streams.key(month, Purpose.ARRIVAL_SEX), ids)
        u_education = streams.uniforms(streams.key(month, Purpose.ARRIVAL_EDUCATION), ids)
        u_origin = streams.uniforms(streams.key(month, Purpose.ARRIVAL_ORIGIN), ids)
        states = np.array([self.codes[s] for s in arrivals.state_shares], dtype=np.int8)
        state_cum = np.cumsum(list(arrivals.state_shares.values()))
        levels = [Education[e.upper()] for e in arrivals.education_shares]
        education_cum = np.cumsum(list(arrivals.education_shares.values()))
        pick = np.minimum(np.searchsorted(state_cum, u_state, side="right"), len(states) - 1)
        pick_education = np.minimum(np.searchsorted(education_cum, u_education, side="right"), len(levels) - 1)
        origins = [Origin[o.upper()] for o in arrivals.origin_shares]
        origin_cum = np.cumsum(list(arrivals.origin_shares.values()))
        pick_origin = np.minimum(np.searchsorted(origin_cum, u_origin, side="right"), len(origins) - 1)
        return {
            "ids": ids.astype(np.int32),
            "state": states[pick],
            "birth_month": births.astype(np.int16),
            "sex": np.where(u_sex < arrivals.male_share, Sex.MALE, Sex.FEMALE).astype(np.int8),
            "education": np.asarray(levels, dtype=np.int8)[pick_education],
            "origin": np.asarray(origins, dtype=np.int8)[pick_origin],
        }
