"""Demography through 2041: ageing, entries, pension ages, mortality and migration."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import labsim
from labsim.core.demography import Arrivals, Demography
from labsim.core.life_table import LifeTable
from labsim.core.model import TransitionModel
from labsim.core.pension import PensionSchedule
from labsim.errors import ModelError, PopulationError
from labsim.io.demography_file import default_life_table, read_life_table
from labsim.states import State

HJOERRING = "scenarios/profiles/hjoerring.toml"


def _balance(run: labsim.Run) -> None:
    stocks = run.ledger.stocks.sum(axis=2)
    flows = run.ledger.flows.sum(axis=1)
    entries = run.ledger.entries.sum(axis=2)
    exits = run.ledger.exits.sum(axis=(2, 3))
    np.testing.assert_array_equal(
        stocks[1:], stocks[:-1] + flows.sum(axis=1)[:-1] - flows.sum(axis=2)[:-1] + entries[:-1] - exits[:-1]
    )


def test_without_deaths_migration_or_entries_the_population_only_ages(model: TransitionModel,
                                                                     small_population: labsim.Population) -> None:
    closed = labsim.simulate(small_population, model, start="2022-01", end="2026-12", seed=5)
    empty = labsim.simulate(small_population, model, start="2022-01", end="2026-12", seed=5, demography=Demography())
    np.testing.assert_array_equal(closed.ledger.stocks, empty.ledger.stocks)
    assert empty.ledger.entries.sum() == 0 and empty.ledger.exits.sum() == 0
    np.testing.assert_array_equal(empty.final_population.ids, small_population.ids)
    np.testing.assert_array_equal(empty.final_population.birth_month, small_population.birth_month)


def test_deaths_match_the_life_table() -> None:
    """Expected deaths Σ p_i over the persons present each month; the count within 4 standard errors."""
    model = labsim.markov_model(["alive"], [[1.0]])
    population = labsim.Population.from_counts({("alive", "60-66"): 40_000, ("alive", "67+"): 40_000},
                                               catalogue=model.catalogue, seed=2)
    table = default_life_table()
    run = labsim.simulate(population, model, start="2022-01", end="2023-12", seed=9, trace=True,
                          demography=Demography(life_table=table))
    assert run.paths is not None
    monthly = table.monthly_probability()
    months = np.arange(run.start_month, run.start_month + run.n_months)[:, None]
    ages = np.minimum((months - population.birth_month.astype(np.int64)) // 12, monthly.shape[1] - 1)
    p = monthly[population.sex[None, :].astype(np.intp), ages]
    present = run.paths >= 0
    expected = (p * present).sum()
    sd = np.sqrt((p * (1 - p) * present).sum())
    deaths = run.ledger.exits[..., 0].sum()
    assert abs(deaths - expected) < 4 * sd, (deaths, expected, sd)
    assert deaths > 3000
    _balance(run)


def test_a_year_of_refugees_adds_its_quota(model: TransitionModel, small_population: labsim.Population) -> None:
    refugees = Arrivals(per_year=10, age_years=(18, 40), state_shares={"selvforsoergelsesydelse": 1.0},
                        origin_shares={"flygtning_familiesammenfoert": 1.0})
    run = labsim.simulate(small_population, model, start="2022-01", end="2022-12", seed=3,
                          demography=Demography(refugees=refugees))
    assert run.ledger.entries.sum() == 10
    assert run.ledger.entries[:, State.SELVFORSOERGELSESYDELSE].sum() == 10
    new = run.final_population.ids >= small_population.next_id
    assert new.sum() == 10 and np.all(run.final_population.origin[new] == labsim.Origin.FLYGTNING_FAMILIESAMMENFOERT)
    _balance(run)


def test_new_persons_get_the_same_ids_under_every_strategy(model: TransitionModel) -> None:
    profile = labsim.read_profile(HJOERRING).scaled(6000)
    assert model.rules is not None and profile.demography is not None
    population = labsim.synthesise(profile, pension=model.rules.pension, seed=4)
    hazard = model.hazard.copy()
    hazard[State.KONTANTHJAELP_AKTIVITETSPARAT, State.EMPLOYED] *= 3
    other = replace(model, hazard=hazard)
    runs = [labsim.simulate(population, m, start="2020-01", end="2023-12", seed=4, demography=profile.demography)
            for m in (model, other)]
    np.testing.assert_array_equal(runs[0].final_population.ids, runs[1].final_population.ids)
    np.testing.assert_array_equal(runs[0].final_population.birth_month, runs[1].final_population.birth_month)
    assert not np.array_equal(runs[0].ledger.flows, runs[1].ledger.flows)
    for run in runs:
        _balance(run)


@pytest.fixture(scope="module")
def hjoerring_runs(model: TransitionModel) -> tuple[labsim.Run, labsim.Run, labsim.Population]:
    """Hjørring 2020–2041 under the law, and under a counterfactual where every cohort retires at 67."""
    assert model.rules is not None
    profile = labsim.read_profile(HJOERRING)
    population = labsim.synthesise(profile, pension=model.rules.pension, seed=1)
    law = labsim.simulate(population, model, start="2020-01", end="2041-12", seed=1, trace=True,
                          demography=profile.demography)
    pension = model.rules.pension
    keep = [i for i, born in enumerate(pension.born_from) if born < labsim.parse_month("1963-01")]
    at_67 = PensionSchedule(born_from=tuple(pension.born_from[i] for i in keep),
                            folkepension_age_months=tuple(pension.folkepension_age_months[i] for i in keep),
                            efterloen_age_months=tuple(pension.efterloen_age_months[i] for i in keep))
    counterfactual = replace(model, rules=replace(model.rules, pension=at_67))
    fixed = labsim.simulate(population, counterfactual, start="2020-01", end="2041-12", seed=1,
                            demography=profile.demography)
    return law, fixed, population


def test_hjoerring_working_age_falls_about_10_percent_with_steps(hjoerring_runs: tuple) -> None:
    """[HJ §2 p.5]: 16 to pension age falls about 10 % to 2041, with steps when the pension age rises."""
    law, _, _ = hjoerring_runs
    yearly = law.working_age(freq="year").set_index("period")["persons"]
    yearly.index = yearly.index.year
    fall = 1 - yearly[2041] / yearly[2021]
    assert 0.08 <= fall <= 0.12, f"working age fell {fall:.1%}"
    change = yearly.diff()
    for year in (2030, 2035, 2040):
        assert change[year] > 0 and change[year - 2] < 0, (year, change[year - 2 : year + 1].to_dict())
    _balance(law)


def test_each_step_is_the_cohort_that_stays(hjoerring_runs: tuple, model: TransitionModel) -> None:
    """With common random numbers the runs differ only in who retires: the working-age difference in
    every month is the number of persons aged 67 or more whom the law keeps below folkepension age."""
    law, fixed, population = hjoerring_runs
    assert model.rules is not None and law.paths is not None
    difference = (law.working_age(freq="month")["persons"] - fixed.working_age(freq="month")["persons"]).to_numpy()
    births = population.birth_month.astype(np.int64)
    months = np.arange(law.start_month, law.start_month + law.n_months)[:, None]
    age = months - births[None, :]
    legal = model.rules.pension.folkepension_age(births)[None, :]
    kept = ((law.paths >= 0) & (age >= 67 * 12) & (age < legal)).sum(axis=1)
    np.testing.assert_array_equal(difference, kept)
    # In December of each step year, the persons kept are the cohorts between 67 and their legal age.
    cohorts = {2030: (1963, 1963), 2035: (1967, 1968), 2040: (1971, 1973)}
    for year, (first, last) in cohorts.items():
        month = labsim.parse_month(f"{year}-12") - law.start_month
        born = (births // 12 + 1900 >= first) & (births // 12 + 1900 <= last)
        assert kept[month] == ((law.paths[month] >= 0) & born).sum() > 0


def test_bad_demography_input_is_named(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ModelError, match="death probability of men aged 3 must lie in \\[0, 1\\]; got 1.5"):
        LifeTable(death_probability=np.array([[0.1] * 5, [0.1, 0.1, 0.1, 1.5, 0.1]]))
    path = tmp_path / "table.csv"
    path.write_text("age,women,men\n0,0.01,0.01\n1,0.02,2.0\n")
    with pytest.raises(ModelError, match=f"{path}: life table: the death probability of men aged 1"):
        read_life_table(path)
    with pytest.raises(ModelError, match="demography.entrants_by_birth_year\\[2010\\] must be a number ≥ 0; got -5.0."):
        Demography(entrants_by_birth_year={2010: -5.0}, entry=None)
    text = open(HJOERRING, encoding="utf-8").read().replace('"0-4" = 0.042', '"0-4" = 0.142')
    bad = tmp_path / "profile.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(PopulationError, match=f"{bad}: profile 'Hjørring Kommune': age_shares must sum to 1; got 1.1"):
        labsim.read_profile(bad)



def test_entry_cohorts_have_no_hole_at_the_profiles_edges() -> None:
    """Every birth year enters at its yearly rate, also the ones the profile covers only in part."""
    profile = labsim.read_profile(HJOERRING)
    cohorts = profile.entry_cohorts()
    assert sorted(cohorts) == list(range(2004, 2021))
    per_band = {"0-4": (2015, 2020), "5-9": (2010, 2015), "10-15": (2004, 2010)}
    for band, (first, last) in per_band.items():
        rate = round(profile.inhabitants * profile.age_shares[band]) / (parse_band(band))
        for year in range(first + 1, last):
            assert cohorts[year] == pytest.approx(rate, rel=1e-6), (band, year)
    assert cohorts[2020] == pytest.approx(cohorts[2019], rel=1e-6)  # January 2020 births: the 0-4 band's rate
    demography = profile.demography
    assert demography is not None and demography.births_per_year == pytest.approx(cohorts[2019], rel=1e-6)


def parse_band(band: str) -> int:
    low, high = (int(x) for x in band.split("-"))
    return high - low + 1


def test_scaled_profiles_scale_their_inflows() -> None:
    profile = labsim.read_profile(HJOERRING)
    half = profile.scaled(profile.inhabitants // 2)
    assert profile.demography is not None and half.demography is not None
    assert half.demography.immigration.per_year == pytest.approx(profile.demography.immigration.per_year / 2, rel=1e-3)  # type: ignore[union-attr]
    assert half.demography.cohort(2010) == pytest.approx(profile.demography.cohort(2010) / 2, rel=1e-3)


def test_an_empty_start_fills_with_arrivals(model: TransitionModel) -> None:
    empty = labsim.Population.from_counts({}, at="2022-01")
    arrivals = Arrivals(per_year=120, age_years=(20, 40), state_shares={"employed": 1.0})
    run = labsim.simulate(empty, model, start="2022-01", end="2022-12", seed=1, demography=Demography(immigration=arrivals))
    assert run.ledger.entries.sum() == 120 and run.final_population.n_persons == 120


def test_arrivals_obey_the_uddannelseshjaelp_rule(model: TransitionModel, small_population: labsim.Population) -> None:
    arrivals = Arrivals(per_year=600, age_years=(18, 45), state_shares={"uddannelseshjaelp_aktivitetsparat": 0.5,
                        "kontanthjaelp_jobparat": 0.5}, education_shares={"ufaglaert": 0.5, "faglaert": 0.5})
    run = labsim.simulate(small_population, model, start="2022-01", end="2022-01", seed=2,
                          demography=Demography(immigration=arrivals))
    final = run.final_population
    new = final.ids >= small_population.next_id
    age = labsim.parse_month("2022-02") - final.birth_month[new].astype(np.int64)
    youth = (final.state[new] == State.UDDANNELSESHJAELP_AKTIVITETSPARAT)
    assert youth.any() and np.all(final.education[new][youth] == labsim.Education.UFAGLAERT) and np.all(age[youth] < 360)
    kontant = final.state[new] == State.KONTANTHJAELP_JOBPARAT
    assert not np.any(kontant & (age < 360) & (final.education[new] == labsim.Education.UFAGLAERT))


def test_exits_are_counted_in_the_age_band_of_the_stocks(model: TransitionModel) -> None:
    population = labsim.Population.from_frame({"state": ["employed"] * 100, "birth_month": ["1997-02"] * 100},
                                              at="2022-01")  # 24 years 11 months
    emigration = np.ones((2, 111))
    run = labsim.simulate(population, model, start="2022-01", end="2022-01", seed=1, group_by="age_band",
                          demography=Demography(emigration_rate=emigration))
    stocks = run.ledger.stocks[0].sum(axis=0)
    exits = run.ledger.exits[0].sum(axis=(0, 2))
    np.testing.assert_array_equal(stocks, exits)


def test_a_life_table_longer_than_110_years_is_used_to_its_end() -> None:
    q = np.full((2, 121), 0.01)
    q[:, 115] = 0.5
    demography = Demography(life_table=LifeTable(death_probability=q))
    lookup = demography.exit_lookup(labsim.parse_month("2022-01"), labsim.parse_month("2022-01"))
    born_115_years_ago = labsim.parse_month("2022-01") - 115 * 12 - 6
    assert lookup[born_115_years_ago, 0] == pytest.approx(1 - 0.5 ** (1 / 12))


def test_pension_indexation_beyond_70_is_a_choice(model: TransitionModel) -> None:
    """DOMAIN.md §2.6 lists 71–74 as estimates for cohorts from 1975: added as a scenario choice."""
    assert model.rules is not None
    indexed = model.rules.pension.with_cohorts([(labsim.parse_month("1975-01"), 71.0, 68.0)])
    born = [labsim.parse_month(m) for m in ("1971-06", "1975-06")]
    assert list(indexed.folkepension_age(born) // 12) == [70, 71]
    assert list(model.rules.pension.folkepension_age(born) // 12) == [70, 70]
    with pytest.raises(ModelError, match="born_from must be strictly increasing"):
        model.rules.pension.with_cohorts([(labsim.parse_month("1960-01"), 71.0, 68.0)])
