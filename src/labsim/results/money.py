"""What public support costs the municipality: benefit rates, the state refund, and effort costs (DOMAIN.md §3).

A person-month on a benefit costs its monthly rate, indexed from the rate's year by the yearly
satsregulering (:data:`SATSREGULERING_BY_YEAR` where DOMAIN.md §3 gives it, ``BenefitRates.indexation``
beyond). A rate that differs by provider status, age or home is a mix of its parts, each with a share of
the state's recipients (:class:`RatePart`). The state refunds a share of it by the person's cumulative time
on public support — the refusionstrappe, 80 / 40 / 30 / 20 % in weeks 1–4, 5–26, 27–52 and 53+
(DOMAIN.md §3.1). For a-dagpenge the a-kasse pays and the municipality co-finances the mirror
image, 20 / 60 / 70 / 80 %; labsim books it the same way (the full benefit, less the state's part),
so for every state the municipality's net cost is ``benefits − refund``, and a strategy's net cost
adds its efforts: ``net_cost = benefits − refund + effort_cost``. These four are the money items
(:class:`MoneyItem`), by the same names in a run's ``money`` frame, in targets' measures and in comparisons.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from labsim.errors import ValidationError
from labsim.states import StateCatalogue
from labsim.validation import Check, number, probability, whole

__all__ = ["MoneyItem", "MONEY_ITEMS", "Rate", "RatePart", "BenefitRates", "REFUND_SHARES", "SATSREGULERING_BY_YEAR", "SATSREGULERING_ASSUMED",
           "KONTANTHJAELP_2021", "UDDANNELSESHJAELP_2020", "RESSOURCEFORLOEBSYDELSE_2022", "SELVFORSOERGELSESYDELSE_2021",
           "FOERTIDSPENSION_2022", "danish_rates"]



class MoneyItem(StrEnum):
    """The municipality's money items, in DKK over a period: a plain string such as ``"net_cost"`` does as well."""

    BENEFITS = "benefits"
    """Benefits paid, before the refund."""
    REFUND = "refund"
    """The state refund."""
    EFFORT_COST = "effort_cost"
    """The efforts' cost."""
    NET_COST = "net_cost"
    """The municipality's net cost: ``benefits − refund + effort_cost``."""


MONEY_ITEMS: tuple[MoneyItem, ...] = tuple(MoneyItem)
"""The money items in the order frames list them."""

REFUND_SHARES: tuple[float, ...] = (0.80, 0.40, 0.30, 0.20)
"""The state's share of a benefit in each band of :data:`~labsim.results.refund.REFUND_BANDS`: 80 % in
weeks 1–4, 40 % in weeks 5–26, 30 % in weeks 27–52, 20 % from week 53 (Refusionsreform 2016,
DOMAIN.md §3.1). For a-dagpenge the municipality's co-financing is the complement, 20 / 60 / 70 / 80 %."""

SATSREGULERING_BY_YEAR: Mapping[int, float] = MappingProxyType({2021: 0.0126, 2022: 0.0015, 2023: 0.0194})
"""Yearly satsregulering of benefit rates, by the year it takes effect (``2022: 0.0015`` is 2021 → 2022),
computed from DOMAIN.md §3's pairs and rounded to 0.01 percentage points:

- **2022, 0.15 %**: the mean of the 2021 → 2022 ratios (0.148–0.155 % each) of a-dagpenge maximum full-time
  19,322 → 19,351 and part-time 12,881 → 12,901, dimittend provider 15,844 → 15,868 and non-provider
  13,815 → 13,836, ressourceforløbsydelse provider 15,547 → 15,570 and non-provider 11,698 → 11,716,
  revalideringsydelse 19,334 → 19,363, efterløn 91 % 17,583 → 17,609, førtidspension single 19,331 → 19,360.
- **2023, 1.94 %**: kontanthjælp under 30 from 2021 to 2023 — living away 7,541 → 7,699, at home
  3,639 → 3,715, single provider 14,860 → 15,172 (1.0209 each) — less the 2022 step.
- **2021, 1.26 %**: uddannelseshjælp from 2020 to 2023 — living away 6,331 → 6,545, at home 2,728 → 2,820
  (1.0338 each) — less the 2022 and 2023 steps.

Years outside the table take ``BenefitRates.indexation`` (:data:`SATSREGULERING_ASSUMED` by default)."""

SATSREGULERING_ASSUMED = 0.011
"""*Assumption*: the yearly satsregulering for years without a figure in :data:`SATSREGULERING_BY_YEAR`
(before 2021 and from 2024), 1.1 % — the mean of 2021–2023 (uddannelseshjælp living away went from 6,331 DKK
in 2020 to 6,545 DKK in 2023, DOMAIN.md §3). Set ``BenefitRates.indexation`` to change it."""

_SHARE_TOLERANCE = 1e-9

_INDEXATION = Check("a yearly rate in (-0.5, 0.5]", number(-0.5, 0.5, above=True).test)
"""A yearly satsregulering: a fall or rise of up to 50 % (anything beyond is a typo, not an index)."""


@dataclass(frozen=True, slots=True)
class RatePart:
    """One group within a state's rate: its monthly amount (DKK, at the rate's year) and its share of the
    state's recipients, with the share's source (``"assumption"`` where none was found)."""

    label: str
    dkk: float
    share: float
    share_source: str = "assumption"


@dataclass(frozen=True, slots=True)
class Rate:
    """A state's monthly benefit in DKK before tax, at the level of ``year``.

    A rate that differs by provider status, age or home is a mix (:meth:`mix`): ``parts`` holds each
    group's amount and share, and ``dkk`` is the share-weighted amount. ``refunded`` says whether the
    municipality pays it under the refusionstrappe (or co-finances it, for a-dagpenge); a state that is
    not refunded is not a municipal cost and is left out of the money frames (efterløn, folkepension).

    >>> rate = Rate.mix(2022, [(0.25, 15_570, "provider"), (0.75, 11_716, "non-provider")])
    >>> rate.dkk
    12679.5
    >>> rate.with_shares({"provider": 0.5}).dkk
    Traceback (most recent call last):
    ...
    labsim.errors.ValidationError: Rate.parts (provider, non-provider): the shares must sum to 1; got 1.25.
    """

    dkk: float
    year: int
    source: str = ""
    refunded: bool = True
    parts: tuple[RatePart, ...] = ()

    def __post_init__(self) -> None:
        number(0.0)(self.dkk, "Rate.dkk")
        whole(1900, 2200)(self.year, "Rate.year")
        if self.parts:
            _check_parts(self.parts)
            weighted = _weighted(self.parts)
            if not math.isclose(self.dkk, weighted, rel_tol=1e-9, abs_tol=1e-9):
                raise ValidationError(f"Rate.dkk of a mix must be the share-weighted sum of its parts, {weighted!r}; "
                                      f"got {self.dkk!r}.")

    @classmethod
    def mix(cls, year: int, parts: Sequence[RatePart | tuple[float, float, str] | tuple[float, float, str, str]],
            source: str = "", refunded: bool = True) -> Rate:
        """A rate whose ``dkk`` is the share-weighted sum of its parts, each ``RatePart`` or
        ``(share, dkk, label[, share_source])``; the shares must lie in [0, 1] and sum to 1."""
        built = tuple(p if isinstance(p, RatePart) else RatePart(p[2], p[1], p[0], *p[3:]) for p in parts)
        _check_parts(built)
        return cls(_weighted(built), year, source, refunded, built)

    def with_shares(self, shares: Mapping[str, float], share_source: str = "") -> Rate:
        """A copy with the shares of the parts named by label changed (the others kept), and ``share_source``
        as their source (default: ``"user"``)."""
        labels = [p.label for p in self.parts]
        unknown = sorted(set(shares) - set(labels))
        if unknown:
            raise ValidationError(f"Rate.with_shares names parts {unknown} that the rate lacks; "
                                  f"its parts: {', '.join(labels) or 'none'}.")
        parts = [replace(p, share=shares[p.label], share_source=share_source or "user") if p.label in shares else p
                 for p in self.parts]
        return Rate.mix(self.year, parts, self.source, self.refunded)


def _weighted(parts: Sequence[RatePart]) -> float:
    return float(sum(p.share * p.dkk for p in parts))


def _check_parts(parts: Sequence[RatePart]) -> None:
    name = f"Rate.parts ({', '.join(p.label for p in parts)})"
    if len({p.label for p in parts}) != len(parts):
        raise ValidationError(f"{name}: each part needs its own label; got {[p.label for p in parts]}.")
    for p in parts:
        probability()(p.share, f"{name}: part {p.label!r}.share")
        number(0.0)(p.dkk, f"{name}: part {p.label!r}.dkk")
    total = math.fsum(p.share for p in parts)
    if abs(total - 1) > _SHARE_TOLERANCE:
        raise ValidationError(f"{name}: the shares must sum to 1; got {total!r}.")


@dataclass(frozen=True, slots=True)
class BenefitRates:
    """Monthly benefit rates by state, indexed forward (and back) from each rate's year.

    The satsregulering of a year is ``indexation_by_year[year]`` where given (DOMAIN.md §3's figures by
    default) and ``indexation`` otherwise; indexing over several years multiplies their factors.

    >>> rates = danish_rates()
    >>> round(rates.monthly("jobafklaring", 2022))  # 25 % providers at 15,570, 75 % others at 11,716
    12680
    >>> round(rates.monthly("jobafklaring", 2023))  # 2023's satsregulering, 1.94 %
    12925
    >>> round(rates.index_factor(2021, 2025), 4)  # 1.0015 × 1.0194 × 1.011²
    1.0435
    """

    rates: Mapping[str, Rate]
    indexation: float = SATSREGULERING_ASSUMED
    indexation_source: str = "assumption: see labsim.results.money.SATSREGULERING_ASSUMED"
    indexation_by_year: Mapping[int, float] = field(default_factory=lambda: dict(SATSREGULERING_BY_YEAR))

    def __post_init__(self) -> None:
        # a plain dict: a Scenario's rates travel to worker processes, and a mappingproxy does not pickle
        object.__setattr__(self, "indexation_by_year", dict(self.indexation_by_year))
        _INDEXATION(self.indexation, "BenefitRates.indexation")
        for year, value in self.indexation_by_year.items():
            whole(1900, 2200)(year, "a key of BenefitRates.indexation_by_year (a calendar year)")
            _INDEXATION(value, f"BenefitRates.indexation_by_year[{year}]")

    def check(self, catalogue: StateCatalogue) -> None:
        """Raise :class:`~labsim.errors.ValidationError` if a rate names a state the catalogue lacks."""
        unknown = sorted(set(self.rates) - set(catalogue.names))
        if unknown:
            raise ValidationError(f"benefit rates name unknown states {unknown}; known: {', '.join(catalogue.names)}.")

    def index_factor(self, from_year: int, to_year: int) -> float:
        """What 1 DKK at ``from_year``'s level is at ``to_year``'s: the product of ``1 + satsregulering`` over
        the years after ``from_year`` up to ``to_year`` (its inverse when ``to_year`` is earlier)."""
        levels = self._levels(np.array([from_year, to_year], dtype=np.int64))
        return float(levels[1] / levels[0])

    def monthly(self, state: str, year: int) -> float:
        """DKK per person-month on ``state`` in ``year`` (0 for a state without a rate)."""
        rate = self.rates.get(state)
        if rate is None:
            return 0.0
        return rate.dkk * self.index_factor(rate.year, year)

    def matrix(self, catalogue: StateCatalogue, years: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        """``(len(years), n_states)`` DKK per person-month; 0 for states that are not a municipal cost."""
        self.check(catalogue)
        years = np.asarray(years, dtype=np.int64)
        paid = [(code, rate) for code, name in enumerate(catalogue.names)
                if (rate := self.rates.get(name)) is not None and rate.refunded]
        out = np.zeros((len(years), catalogue.n_states))
        if paid:
            codes = np.array([code for code, _ in paid])
            dkk = np.array([rate.dkk for _, rate in paid])
            base = self._levels(np.array([rate.year for _, rate in paid], dtype=np.int64))
            out[:, codes] = self._levels(years)[:, None] * (dkk / base)[None, :]
        return out

    def _levels(self, years: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        # The price level of each year relative to the year before the table's first; outside the table
        # each year is one step of ``indexation``, so a power covers any distance without a loop.
        table = self.indexation_by_year
        first = min(table, default=2000) - 1
        last = max(table, default=2000)
        steps = [1.0 + table.get(year, self.indexation) for year in range(first + 1, last + 1)]
        inside = np.concatenate([[1.0], np.cumprod(steps)])
        clipped = np.clip(years, first, last)
        return inside[clipped - first] * (1.0 + self.indexation) ** (years - clipped).astype(np.float64)

    def with_rates(self, **changes: Rate | None) -> BenefitRates:
        """A copy with some states' rates replaced (``state=Rate(...)``) or removed (``state=None``)."""
        rates = dict(self.rates)
        for state, value in changes.items():
            if value is None:
                rates.pop(state, None)
            elif isinstance(value, Rate):
                rates[state] = value
            else:
                raise ValidationError(f"with_rates({state}=...) takes a Rate or None; got {value!r}.")
        return replace(self, rates=rates)

    def with_shares(self, *, share_source: str = "", **shares: Mapping[str, float]) -> BenefitRates:
        """A copy with the shares of some states' mixes changed: ``state={label: share, ...}``, the parts not
        named keeping theirs; ``share_source`` says where the new shares come from (default ``"user"``).

        >>> rates = danish_rates().with_shares(jobafklaring={"provider": 0.5, "non-provider": 0.5})
        >>> rates.rates["jobafklaring"].dkk
        13643.0
        """
        changes: dict[str, Rate | None] = {}
        for state, mapping in shares.items():
            rate = self.rates.get(state)
            if rate is None or not rate.parts:
                raise ValidationError(f"with_shares({state}=...) needs a state whose rate is a mix; "
                                      f"mixes: {', '.join(s for s, r in self.rates.items() if r.parts)}.")
            try:
                changes[state] = rate.with_shares(mapping, share_source)
            except ValidationError as error:
                raise ValidationError(f"benefit rate {state!r}: {error}") from None
        return self.with_rates(**changes)


_D = "DOMAIN.md §3"
_PROVIDERS = ("about a quarter: ≈ 32,000 recipients of kontanthjælpsydelser lived with children in 2017 (da.dk, "
              "'Udviklingen i antallet af kontanthjælpsfamilier', 2018), against 121,300 recipients in all in "
              "September 2019 (dst.dk); rounded")

KONTANTHJAELP_2021: tuple[RatePart, ...] = (
    RatePart("provider, 30 or over", 15_547, 0.25, _PROVIDERS),
    RatePart("non-provider, 30 or over", 11_698, 0.65, "assumption: the rest of the 90 % aged 30 or over"),
    RatePart("single provider, under 30", 14_860, 0.02, "assumption: 10 % under 30, a fifth of them providers"),
    RatePart("living away, under 30", 7_541, 0.06, "assumption: 10 % under 30, three fifths living away"),
    RatePart("at home, under 30", 3_639, 0.02, "assumption: 10 % under 30, a fifth living at home"),
)
"""Kontanthjælp by provider status and age, 2021 (bm.dk, DOMAIN.md §3: the 2022 figures there are inferred),
with each group's share of the recipients; under 30 means 25–29 with a qualifying education."""

UDDANNELSESHJAELP_2020: tuple[RatePart, ...] = (
    RatePart("living away", 6_331, 0.75, "assumption"),
    RatePart("at home", 2_728, 0.25, "assumption"),
)
"""Uddannelseshjælp (uddannelsesparat) living away from or with their parents, 2020 (bm.dk, DOMAIN.md §3)."""

RESSOURCEFORLOEBSYDELSE_2022: tuple[RatePart, ...] = (
    RatePart("provider", 15_570, 0.25, f"assumption: as kontanthjælp, {_PROVIDERS}"),
    RatePart("non-provider", 11_716, 0.75, "assumption: the rest"),
)
"""Ressourceforløbsydelse (jobafklaring and ressourceforløb) for providers and others, 2022 (danskerhverv.dk,
DOMAIN.md §3)."""

SELVFORSOERGELSESYDELSE_2021: tuple[RatePart, ...] = (
    RatePart("single provider", 12_437, 0.10, "assumption"),
    RatePart("provider", 8_703, 0.30, "assumption"),
    RatePart("non-provider, 30 or over or living away", 6_219, 0.50, "assumption"),
    RatePart("at home, under 30", 2_679, 0.10, "assumption"),
)
"""Selvforsørgelses- og hjemrejseydelse, 2021 (ishoj.dk, DOMAIN.md §3)."""

FOERTIDSPENSION_2022: tuple[RatePart, ...] = (
    RatePart("single", 19_360, 0.50, "assumption"),
    RatePart("married or cohabiting", 16_457, 0.50, "assumption"),
)
"""Førtidspension (2014 rules) for singles and couples, 2022 (serviceforbundet.dk, DOMAIN.md §3); seniorpension
is paid at the same rates."""


def danish_rates() -> BenefitRates:
    """The monthly rates of DOMAIN.md §3 for labsim's Danish catalogue, one per state.

    Where a state has several rates (provider or not, age, living at home), its rate is a mix of them
    with the shares of :data:`KONTANTHJAELP_2021`, :data:`UDDANNELSESHJAELP_2020`,
    :data:`RESSOURCEFORLOEBSYDELSE_2022`, :data:`SELVFORSOERGELSESYDELSE_2021` and
    :data:`FOERTIDSPENSION_2022` — labelled assumptions, since labsim's states do not record who is a
    provider; change them with :meth:`BenefitRates.with_shares`.

    >>> rates = danish_rates()
    >>> rates.rates["a_dagpenge"].dkk, rates.rates["a_dagpenge"].year  # DKK a month, the 2022 maximum
    (19351, 2022)
    >>> [(p.label, p.share) for p in rates.rates["foertidspension"].parts]
    [('single', 0.5), ('married or cohabiting', 0.5)]
    >>> rates.monthly("employed", 2022)  # no rate: not a cost to the municipality
    0.0
    """
    kontanthjaelp = Rate.mix(2021, KONTANTHJAELP_2021, f"{_D}: kontanthjælp 2021 (bm.dk via aktivsocialraadgiver.dk)")
    ressourceforloeb = Rate.mix(2022, RESSOURCEFORLOEBSYDELSE_2022, f"{_D}: ressourceforløbsydelse, 2022")
    foertidspension = Rate.mix(2022, FOERTIDSPENSION_2022, f"{_D}: førtidspension, 2014 rules, 2022")
    rates = {
        "a_dagpenge": Rate(19_351, 2022, f"{_D}: maximum, full-time insured, 2022 (ma-kasse.dk); "
                                         "assumption: all at the maximum"),
        "kontanthjaelp_jobparat": kontanthjaelp,
        "kontanthjaelp_aktivitetsparat": kontanthjaelp,
        "uddannelseshjaelp_uddannelsesparat": Rate.mix(2020, UDDANNELSESHJAELP_2020,
                                                       f"{_D}: uddannelsesparat, 2020 (bm.dk)"),
        "uddannelseshjaelp_aktivitetsparat": Rate(11_554, 2020, f"{_D}: aktivitetsparat 25–29 living away incl. "
                                                                "aktivitetstillæg, 2020 (herning.dk)"),
        "sygedagpenge": Rate(19_350, 2022, f"{_D}: maximum 4,465/week × 52/12, 2022; the employer's first 30 days "
                                           "are not modelled"),
        "jobafklaring": ressourceforloeb,
        "ressourceforloeb": ressourceforloeb,
        "revalidering": Rate(19_363, 2022, f"{_D}: revalideringsydelse over 30, 2022"),
        "ledighedsydelse": Rate(17_222, 2022, f"{_D}: 89 % of maximum dagpenge, 2022"),
        "fleksjob": Rate(18_964, 2022, f"{_D}: maximum fleksløntilskud, 2022; assumption: all at the maximum"),
        "foertidspension": foertidspension,
        "seniorpension": replace(foertidspension, source=f"{_D}: paid at the førtidspension rates; refund as for "
                                                         "førtidspension is an assumption (DOMAIN.md §3.1 is UNSURE)"),
        "selvforsoergelsesydelse": Rate.mix(2021, SELVFORSOERGELSESYDELSE_2021,
                                            f"{_D}: selvforsørgelses- og hjemrejseydelse, 2021 (ishoj.dk)"),
        "efterloen": Rate(19_351, 2022, f"{_D}: 100 % efterløn, 2022; paid by the a-kasse and the state, not the "
                                        "municipality", refunded=False),
    }
    return BenefitRates(rates=rates)
