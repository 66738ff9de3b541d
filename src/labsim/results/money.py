"""What public support costs the municipality: benefit rates, the state refund, and effort costs (DOMAIN.md §3).

A person-month on a benefit costs its monthly rate, indexed from the rate's year by the
satsregulering. The state refunds a share of it by the person's cumulative time on public
support — the refusionstrappe, 80 / 40 / 30 / 20 % in weeks 1–4, 5–26, 27–52 and 53+
(DOMAIN.md §3.1). For a-dagpenge the a-kasse pays and the municipality co-finances the mirror
image, 20 / 60 / 70 / 80 %; labsim books it the same way (the full benefit, less the state's part),
so for every state the municipality's net cost is ``benefits − refund``, and a strategy's net cost
adds its efforts: ``net = benefits − refund + efforts``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from labsim.errors import ValidationError
from labsim.states import StateCatalogue

__all__ = ["Rate", "BenefitRates", "REFUND_SHARES", "SATSREGULERING", "danish_rates"]

REFUND_SHARES: tuple[float, ...] = (0.80, 0.40, 0.30, 0.20)
"""The state's share of a benefit in each band of :data:`~labsim.results.refund.REFUND_BANDS`: 80 % in
weeks 1–4, 40 % in weeks 5–26, 30 % in weeks 27–52, 20 % from week 53 (Refusionsreform 2016,
DOMAIN.md §3.1). For a-dagpenge the municipality's co-financing is the complement, 20 / 60 / 70 / 80 %."""

SATSREGULERING = 0.011
"""*Assumption*: yearly indexation of benefit rates beyond their year, 1.1 % — uddannelseshjælp (living away)
went from 6,331 DKK (2020) to 6,545 DKK (2023), 1.1 % a year (DOMAIN.md §3); kontanthjælp under 30 went
from 7,541 (2021) to 7,699 (2023), 1.0 % a year. Set ``BenefitRates.indexation`` to change it."""


@dataclass(frozen=True, slots=True)
class Rate:
    """A state's monthly benefit in DKK before tax, at the level of ``year``.

    ``refunded`` says whether the municipality pays it under the refusionstrappe (or co-finances it,
    for a-dagpenge); a state that is not refunded is not a municipal cost and is left out of the
    money frames (efterløn, folkepension).
    """

    dkk: float
    year: int
    source: str = ""
    refunded: bool = True

    def __post_init__(self) -> None:
        if not np.isfinite(self.dkk) or self.dkk < 0:
            raise ValidationError(f"Rate.dkk must be a finite amount of at least 0 DKK; got {self.dkk!r}.")
        if not 1900 <= self.year <= 2200:
            raise ValidationError(f"Rate.year must be a calendar year; got {self.year!r}.")


@dataclass(frozen=True, slots=True)
class BenefitRates:
    """Monthly benefit rates by state, indexed forward (and back) from each rate's year.

    >>> rates = danish_rates()
    >>> round(rates.monthly("kontanthjaelp_aktivitetsparat", 2022))
    11716
    >>> round(rates.monthly("kontanthjaelp_aktivitetsparat", 2023))  # one year of 1.1 % satsregulering
    11845
    """

    rates: Mapping[str, Rate]
    indexation: float = SATSREGULERING
    indexation_source: str = "assumption: see labsim.results.money.SATSREGULERING"

    def __post_init__(self) -> None:
        if not -0.5 < self.indexation < 0.5:
            raise ValidationError(f"BenefitRates.indexation must be a yearly rate between -0.5 and 0.5; "
                                  f"got {self.indexation!r}.")

    def check(self, catalogue: StateCatalogue) -> None:
        """Raise :class:`~labsim.errors.ValidationError` if a rate names a state the catalogue lacks."""
        unknown = sorted(set(self.rates) - set(catalogue.names))
        if unknown:
            raise ValidationError(f"benefit rates name unknown states {unknown}; known: {', '.join(catalogue.names)}.")

    def monthly(self, state: str, year: int) -> float:
        """DKK per person-month on ``state`` in ``year`` (0 for a state without a rate)."""
        rate = self.rates.get(state)
        if rate is None:
            return 0.0
        return rate.dkk * (1.0 + self.indexation) ** (year - rate.year)

    def matrix(self, catalogue: StateCatalogue, years: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        """``(len(years), n_states)`` DKK per person-month; 0 for states that are not a municipal cost."""
        self.check(catalogue)
        out = np.zeros((len(years), catalogue.n_states))
        for code, name in enumerate(catalogue.names):
            rate = self.rates.get(name)
            if rate is not None and rate.refunded:
                out[:, code] = rate.dkk * (1.0 + self.indexation) ** (years - rate.year)
        return out

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


def danish_rates() -> BenefitRates:
    """The monthly rates of DOMAIN.md §3 for labsim's Danish catalogue, one per state.

    Where a state has several rates (provider or not, age, living at home), the one chosen is named
    in its source and is an *assumption*: labsim's states do not record who is a provider.

    >>> rates = danish_rates()
    >>> rates.rates["a_dagpenge"].dkk, rates.rates["a_dagpenge"].year  # DKK a month, the 2022 maximum
    (19351, 2022)
    >>> rates.monthly("employed", 2022)  # no rate: not a cost to the municipality
    0.0
    """
    d = "DOMAIN.md §3"
    rates = {
        "a_dagpenge": Rate(19_351, 2022, f"{d}: maximum, full-time insured, 2022 (ma-kasse.dk); assumption: all at the maximum"),
        "kontanthjaelp_jobparat": Rate(11_716, 2022, f"{d}: ≥30 without children 2022 (inferred, UNSURE); "
                                                     "assumption: the non-provider rate for all"),
        "kontanthjaelp_aktivitetsparat": Rate(11_716, 2022, f"{d}: ≥30 without children 2022 (inferred, UNSURE); "
                                                            "assumption: the non-provider rate for all"),
        "uddannelseshjaelp_uddannelsesparat": Rate(6_331, 2020, f"{d}: uddannelsesparat living away, 2020 (bm.dk)"),
        "uddannelseshjaelp_aktivitetsparat": Rate(11_554, 2020, f"{d}: aktivitetsparat 25–29 living away incl. "
                                                               "aktivitetstillæg, 2020 (herning.dk)"),
        "sygedagpenge": Rate(19_350, 2022, f"{d}: maximum 4,465/week × 52/12, 2022; the employer's first 30 days "
                                           "are not modelled"),
        "jobafklaring": Rate(11_716, 2022, f"{d}: ressourceforløbsydelse, non-provider, 2022"),
        "ressourceforloeb": Rate(11_716, 2022, f"{d}: ressourceforløbsydelse, non-provider, 2022"),
        "revalidering": Rate(19_363, 2022, f"{d}: revalideringsydelse over 30, 2022"),
        "ledighedsydelse": Rate(17_222, 2022, f"{d}: 89 % of maximum dagpenge, 2022"),
        "fleksjob": Rate(18_964, 2022, f"{d}: maximum fleksløntilskud, 2022; assumption: all at the maximum"),
        "foertidspension": Rate(19_360, 2022, f"{d}: 2014 rules, single, 2022"),
        "seniorpension": Rate(19_360, 2022, f"{d}: paid at the førtidspension rate; refund as for førtidspension "
                                            "is an assumption (DOMAIN.md §3.1 is UNSURE)"),
        "selvforsoergelsesydelse": Rate(6_219, 2021, f"{d}: non-provider (≥30 or <30 living away), 2021"),
        "efterloen": Rate(19_351, 2022, f"{d}: 100 % efterløn, 2022; paid by the a-kasse and the state, not the "
                                        "municipality", refunded=False),
    }
    return BenefitRates(rates=rates)
