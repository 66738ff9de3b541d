"""Benefit rates: the satsregulering by year and rates mixed from DOMAIN.md §3's parts (labsim.results.money)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import labsim
from labsim.results import SATSREGULERING_BY_YEAR, BenefitRates, Rate, RatePart, danish_rates

# DOMAIN.md §3: the same benefit in 2021 and 2022
PAIRS_2021_2022 = {
    "a-dagpenge, maximum full-time": (19_322, 19_351),
    "a-dagpenge, maximum part-time": (12_881, 12_901),
    "dimittend, provider": (15_844, 15_868),
    "dimittend, non-provider": (13_815, 13_836),
    "ressourceforløbsydelse, provider": (15_547, 15_570),
    "ressourceforløbsydelse, non-provider": (11_698, 11_716),
    "revalideringsydelse": (19_334, 19_363),
    "efterløn 91 %": (17_583, 17_609),
    "førtidspension, single": (19_331, 19_360),
}


@pytest.mark.parametrize("benefit", sorted(PAIRS_2021_2022))
def test_the_2022_satsregulering_matches_domain_pairs(benefit: str) -> None:
    before, after = PAIRS_2021_2022[benefit]
    assert danish_rates().index_factor(2021, 2022) == pytest.approx(after / before, rel=5e-4)


@pytest.mark.parametrize(("year", "before", "after"), [
    (2020, 6_331, 6_545), (2020, 2_728, 2_820),  # uddannelseshjælp living away, at home
    (2021, 7_541, 7_699), (2021, 3_639, 3_715), (2021, 14_860, 15_172),  # kontanthjælp under 30
])
def test_indexing_to_2023_reproduces_domain_figures(year: int, before: int, after: int) -> None:
    assert before * danish_rates().index_factor(year, 2023) == pytest.approx(after, rel=5e-4)


def test_years_beyond_the_table_take_the_indexation() -> None:
    rates = danish_rates()
    assert max(SATSREGULERING_BY_YEAR) == 2023
    assert rates.index_factor(2023, 2030) == pytest.approx(1.011 ** 7)
    assert rates.index_factor(2015, 2020) == pytest.approx(1.011 ** 5)
    assert rates.index_factor(2020, 2024) == pytest.approx(1.0126 * 1.0015 * 1.0194 * 1.011)
    flat = rates.with_rates()
    assert BenefitRates(flat.rates, 0.02, "test", {}).index_factor(2021, 2023) == pytest.approx(1.02 ** 2)


@given(st.integers(1950, 2100), st.integers(1950, 2100), st.floats(-0.2, 0.2))
def test_indexation_forward_and_back_are_inverse(start: int, end: int, rate: float) -> None:
    rates = BenefitRates({}, rate, "test", {2021: 0.0126, 2022: 0.0015, 2024: 0.05})
    assert rates.index_factor(start, end) * rates.index_factor(end, start) == pytest.approx(1.0, rel=1e-12)
    middle = (start + end) // 2
    assert rates.index_factor(start, middle) * rates.index_factor(middle, end) == pytest.approx(
        rates.index_factor(start, end), rel=1e-12)


def test_monthly_and_matrix_agree(model: labsim.TransitionModel) -> None:
    rates = danish_rates()
    years = np.arange(2015, 2036, dtype=np.int64)
    matrix = rates.matrix(model.catalogue, years)
    for code, state in enumerate(model.catalogue.names):
        rate = rates.rates.get(state)
        expected = [rates.monthly(state, int(y)) if rate is not None and rate.refunded else 0.0 for y in years]
        np.testing.assert_allclose(matrix[:, code], expected, rtol=1e-12)
        back = Rate(rates.monthly(state, 2030), 2030) if rate is not None else None
        if back is not None:
            assert rates.with_rates(x=back).monthly("x", rate.year) == pytest.approx(rate.dkk, rel=1e-12)


def test_rates_pickle_for_worker_processes() -> None:
    rates = danish_rates()
    assert pickle.loads(pickle.dumps(rates)) == rates


def test_a_mix_is_the_weighted_sum_of_its_parts() -> None:
    rates = danish_rates()
    kontanthjaelp = rates.rates["kontanthjaelp_jobparat"]
    assert kontanthjaelp.year == 2021 and len(kontanthjaelp.parts) == 5
    assert kontanthjaelp.dkk == pytest.approx(sum(p.share * p.dkk for p in kontanthjaelp.parts))
    assert kontanthjaelp.dkk == pytest.approx(0.25 * 15_547 + 0.65 * 11_698 + 0.02 * 14_860 + 0.06 * 7_541
                                              + 0.02 * 3_639)
    for state, rate in rates.rates.items():
        if rate.parts:
            assert sum(p.share for p in rate.parts) == pytest.approx(1.0), state
            assert all(p.share_source for p in rate.parts), state
    mixed = Rate.mix(2022, [(0.25, 15_570, "provider", "a source"), RatePart("other", 11_716, 0.75)])
    assert mixed.dkk == pytest.approx(0.25 * 15_570 + 0.75 * 11_716)
    assert mixed.parts[0].share_source == "a source" and mixed.parts[1].share_source == "assumption"
    everyone = rates.with_shares(jobafklaring={"provider": 1.0, "non-provider": 0.0}, share_source="what if")
    assert everyone.rates["jobafklaring"].dkk == 15_570
    assert everyone.rates["jobafklaring"].parts[0].share_source == "what if"
    assert everyone.rates["ressourceforloeb"] == rates.rates["ressourceforloeb"]


@pytest.mark.parametrize(("shares", "message"), [
    ({"provider": -0.1, "non-provider": 1.1}, r"part 'provider'.share must be a share in \[0, 1\]; got -0.1"),
    ({"provider": 0.5}, r"the shares must sum to 1; got 1.25"),
    ({"provider": float("nan")}, r"part 'provider'.share must be a share in \[0, 1\]; got nan"),
])
def test_bad_shares_name_the_rate_the_rule_and_the_value(shares: dict[str, float], message: str) -> None:
    with pytest.raises(labsim.ValidationError, match=rf"benefit rate 'jobafklaring': Rate.parts \(provider, "
                                                      rf"non-provider\): {message}"):
        danish_rates().with_shares(jobafklaring=shares)


def test_bad_mixes_are_refused() -> None:
    with pytest.raises(labsim.ValidationError, match=r"Rate.parts \(a, b\): the shares must sum to 1; got 0.9"):
        Rate.mix(2022, [(0.5, 100, "a"), (0.4, 200, "b")])
    with pytest.raises(labsim.ValidationError, match="its own label"):
        Rate.mix(2022, [(0.5, 100, "a"), (0.5, 200, "a")])
    with pytest.raises(labsim.ValidationError, match="share-weighted sum of its parts, 150.0; got 140"):
        Rate(140, 2022, parts=(RatePart("a", 100, 0.5), RatePart("b", 200, 0.5)))
    with pytest.raises(labsim.ValidationError, match=r"parts \['c'\] that the rate lacks"):
        Rate.mix(2022, [(1.0, 100, "a")]).with_shares({"c": 1.0})
    with pytest.raises(labsim.ValidationError, match="whose rate is a mix"):
        danish_rates().with_shares(a_dagpenge={"x": 1.0})
    with pytest.raises(labsim.ValidationError, match=r"indexation_by_year\[2024\] must be a yearly rate in \(-0.5, 0.5\]; got 0.7"):
        BenefitRates({}, indexation_by_year={2024: 0.7})
