"""Balanced rates: a baseline whose age-specific rates hold, and a first year free of a transient.

The checks run on the expected-value path (the model's expectation, no sampling error), from the persons of
replicate 0 of a synthetic municipality (the demo profile) with its demography.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import numpy.typing as npt
import pytest

import labsim
from labsim.calibration.expected import expected_path
from labsim.core.balance import Balance, balance_rates

YEARS = 10
TOLERANCE = 0.03  # the "within 3 % over 10 years", relative to each rate
GROUPING = "hjoerring"  # jobparate, ikke-jobparate, permanente ydelser, integration


@pytest.fixture(scope="module")
def scenario() -> labsim.Scenario:
    model = labsim.default_model()
    profile = labsim.default_profile().scaled(60_000)
    return labsim.Scenario(name="demo", model=model, strategies=[labsim.Strategy("baseline", [])], profile=profile,
                           start="2023-01", end=f"{2023 + YEARS - 1}-12")


def _group_rates(stocks: npt.NDArray[np.float64], catalogue: labsim.states.StateCatalogue) -> dict[str, npt.NDArray[np.float64]]:
    """Each group's share of the persons below folkepension age, by age band: (months, bands)."""
    pensioners = catalogue.code("folkepension")
    below = stocks.sum(axis=2) - stocks[:, :, pensioners]
    groups = catalogue.group_of(GROUPING)
    rates = {name: stocks[:, :, [s for s, g in enumerate(groups) if g == name]].sum(axis=2) / below
             for name in dict.fromkeys(g for g in groups if g is not None)}
    rates["public_support"] = stocks[:, :, [s.public_support for s in catalogue.states]].sum(axis=2) / below
    return rates


def test_a_balanced_baseline_holds_every_groups_age_specific_rates(scenario: labsim.Scenario) -> None:
    assert scenario.balanced and scenario.rate_balance() is not None
    path = expected_path(scenario)
    rates = _group_rates(path.band_stocks, scenario.model.catalogue)
    working_bands = [b for b, label in enumerate(path.bands) if not label.endswith("+")]  # 16–59
    for name, rate in rates.items():
        first, last = rate[:12].mean(axis=0), rate[-12:].mean(axis=0)
        change = last[working_bands] / first[working_bands] - 1
        assert np.all(np.abs(change) < TOLERANCE), (name, dict(zip(np.array(path.bands)[working_bands], change.round(3), strict=True)))


def test_the_unbalanced_model_drifts(scenario: labsim.Scenario) -> None:
    # the check above can fail: the demo profile's shares are not the default model's steady state
    path = expected_path(scenario.replace(balance="none"))
    rates = _group_rates(path.band_stocks, scenario.model.catalogue)
    change = rates["public_support"][-12:].mean(axis=0) / rates["public_support"][:12].mean(axis=0) - 1
    assert np.abs(change[:5]).max() > 3 * TOLERANCE


def test_the_first_year_of_a_balanced_baseline_has_no_transient(scenario: labsim.Scenario) -> None:
    path = expected_path(scenario)
    catalogue = scenario.model.catalogue
    groups = catalogue.group_of(GROUPING)
    for name in dict.fromkeys(g for g in groups if g is not None):
        stock = path.stocks[:, [s for s, g in enumerate(groups) if g == name]].sum(axis=1)
        monthly = np.abs(np.diff(stock) / stock[:-1])
        assert monthly[:12].max() <= monthly[12:].max(), (name, monthly[:12].max(), monthly[12:].max())


def test_the_balance_applies_to_every_strategy_and_runs_reproduce() -> None:
    scenario = labsim.read_scenario("scenarios/hjoerring_2022.toml")
    assert scenario.balance is Balance.AUTO and scenario.balanced
    first = scenario.rate_balance()
    assert first is scenario.rate_balance()  # solved once
    assert first is not None and first.error < 0.01
    model = scenario.run_model()
    assert np.array_equal(model.inflows, scenario.run_model().inflows)
    moved = scenario.vary({"efforts.hjoerring_caseload.caseworkers": 20})
    assert moved.rate_balance() is first  # a strategy's knobs do not move the balance
    rows = first.records()
    assert {"band", "state", "into", "out_of", "target", "balanced"} <= set(rows[0])
    assert all(row["into"] > 0 and row["out_of"] > 0 for row in rows)


def test_a_balance_is_deterministic_and_leaves_the_reference_state_alone() -> None:
    model = labsim.default_model()
    persons = labsim.synthesise(labsim.default_profile().scaled(8_000), pension=model.rules.pension, seed=4)
    start = labsim.calendar.parse_month("2023-01")
    one, two = balance_rates(model, persons, start), balance_rates(model, persons, start)
    assert np.array_equal(one.into, two.into) and np.array_equal(one.out_of, two.out_of)
    employed = model.catalogue.code("employed")
    assert one.reference == "employed"
    assert np.all(one.into[:, employed] == 1) and np.all(one.out_of[:, employed] == 1)
    with pytest.raises(labsim.errors.ModelError, match="age bands"):
        one.apply(replace(labsim.markov_model(["a", "b"], [[0.9, 0.1], [0.1, 0.9]])))


def test_a_scenario_file_says_whether_to_balance(tmp_path: object) -> None:
    # Brønderslev's model was calibrated to its own series: "auto" leaves it as fitted
    assert not labsim.read_scenario("scenarios/broenderslev_2021.toml").balanced
    assert labsim.read_scenario("scenarios/denmark_2022.toml").balanced
    text = labsim.read_scenario("scenarios/denmark_2022.toml").text
    assert "balance" not in text or "auto" in text
    with pytest.raises(labsim.errors.ValidationError, match="balance"):
        labsim.read_scenario("scenarios/denmark_2022.toml").replace(balance="always")
