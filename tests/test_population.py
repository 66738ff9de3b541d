"""Population: constructors, validation and memory layout (DESIGN.md §4)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import labsim
from labsim.errors import PopulationError, UnknownStateError


def test_from_frame_reads_names_ages_and_levels() -> None:
    frame = pd.DataFrame({
        "state": ["employed", "a_dagpenge", "uddannelseshjaelp_uddannelsesparat"],
        "age": [45, 33, 22],
        "sex": ["female", "male", "male"],
        "education": ["faglaert", "videregaaende", "ufaglaert"],
        "origin": ["dansk", "indvandrer", "dansk"],
    })
    pop = labsim.Population.from_frame(frame, at="2022-01")
    assert pop.n_persons == 3
    assert pop.state.dtype == np.int8 and pop.months_in_state.dtype == np.int16 and pop.ids.dtype == np.int32
    assert list(pop.state) == [labsim.State.EMPLOYED, labsim.State.A_DAGPENGE, labsim.State.UDDANNELSESHJAELP_UDDANNELSESPARAT]
    assert list(pop.age_months("2022-01") // 12) == [45, 33, 22]
    assert list(pop.education) == [1, 2, 0]


def test_from_counts_by_state_band_and_sex() -> None:
    pop = labsim.Population.from_counts(
        {("employed", "30-39", "female"): 70, ("kontanthjaelp_jobparat", "50-59"): 30}, at="2022-01", seed=3
    )
    ages = pop.age_months("2022-01") // 12
    assert pop.state_counts()["employed"] == 70 and pop.state_counts()["kontanthjaelp_jobparat"] == 30
    assert ages[pop.state == 0].min() >= 30 and ages[pop.state == 0].max() <= 39
    assert np.all(pop.sex[pop.state == 0] == labsim.Sex.FEMALE)
    again = labsim.Population.from_counts(
        {("employed", "30-39", "female"): 70, ("kontanthjaelp_jobparat", "50-59"): 30}, at="2022-01", seed=3
    )
    np.testing.assert_array_equal(pop.birth_month, again.birth_month)


def test_bytes_per_person(model: labsim.TransitionModel) -> None:
    """ids 4 + birth month 2 + sex 1 + state 1 bytes; untouched columns (zeros) cost one value each."""
    pop = labsim.Population.from_counts({("employed", "30-39"): 1000})
    assert pop.nbytes == 1000 * 8 + 2 + 1 + 1 + 8 + 1 + 8 + 1 + 1 + 1 + 1
    run = labsim.simulate(pop, model, start="2022-01", end="2022-03", seed=1)
    final = run.final_population
    # the run wrote every counter and education (a qualification changes it); origin and the event columns stay constant
    assert final.nbytes == 1000 * 30 + 3
    assert final.sex.base is not None and not final.sex.flags.writeable  # attributes are shared, not copied
    with pytest.raises(ValueError):
        pop.history[0] = 1  # the input's constant columns are read-only


def test_unknown_state_is_named() -> None:
    with pytest.raises(UnknownStateError, match="Population.state must name a state.*got 'kontanthjaelp'"):
        labsim.Population.from_frame(pd.DataFrame({"state": ["employed", "kontanthjaelp"], "age": [30, 40]}), at="2022-01")
    with pytest.raises(UnknownStateError, match="state codes must lie in 0–18.*has 40"):
        labsim.Population.from_arrays(state=np.array([0, 40]), birth_month=np.array([1000, 1000]))


def test_negative_or_child_age_is_an_error() -> None:
    with pytest.raises(PopulationError, match="column 'age' must be non-negative; row 1 has -3"):
        labsim.Population.from_frame(pd.DataFrame({"state": ["employed"] * 2, "age": [30, -3]}), at="2022-01")
    with pytest.raises(PopulationError, match="at least 16 years old at 2022-01; person 0 is 12 years"):
        labsim.Population.from_frame(pd.DataFrame({"state": ["education"], "age": [12]}), at="2022-01")


def test_uddannelseshjaelp_at_35_is_rejected(model: labsim.TransitionModel) -> None:
    frame = pd.DataFrame({"state": ["employed", "uddannelseshjaelp_aktivitetsparat"], "age": [35, 35]})
    rules = model.rules.bind(model.catalogue, model.ages)  # type: ignore[union-attr]
    expected = "uddannelseshjælp is for persons under 30 without a vocational qualification.*person 1 is 35 years old at 2022-01"
    with pytest.raises(PopulationError, match=f"{expected}.*row 1"):
        labsim.Population.from_frame(frame, at="2022-01", check=rules.violation)
    labsim.Population.from_frame(frame, at="2022-01")  # the population alone knows no law
    pop = labsim.Population.from_arrays(state=frame["state"].to_numpy(), birth_month=np.array([1044, 1044]))
    with pytest.raises(PopulationError, match=expected):
        labsim.simulate(pop, model, start="2022-01", end="2022-02", seed=0)


def test_unqualified_under_30_on_kontanthjaelp_is_rejected(model: labsim.TransitionModel) -> None:
    pop = labsim.Population.from_frame(pd.DataFrame({"state": ["kontanthjaelp_jobparat"] * 2, "age": [25, 25],
                                                     "education": ["faglaert", "ufaglaert"]}), at="2022-01")
    with pytest.raises(PopulationError, match="person 1 is 25 years old at 2022-01, ufaglaert, on kontanthjaelp_jobparat"):
        labsim.simulate(pop, model, start="2022-01", end="2022-02", seed=0)


def test_pensioner_age_on_a_benefit_is_rejected(model: labsim.TransitionModel) -> None:
    pop = labsim.Population.from_frame(pd.DataFrame({"state": ["a_dagpenge"], "age": [71]}), at="2022-01")
    with pytest.raises(PopulationError, match="past folkepension age must be on folkepension; person 0"):
        labsim.simulate(pop, model, start="2022-01", end="2022-02", seed=0)


def test_bad_counts_and_shares() -> None:
    with pytest.raises(PopulationError, match="count for 'employed' must be a whole number ≥ 0; got -5"):
        labsim.Population.from_counts({"employed": -5})
    with pytest.raises(PopulationError, match="age band of key .* must be one of .*got '10-15'"):
        labsim.Population.from_counts({("employed", "10-15"): 5})
    with pytest.raises(PopulationError, match="education_shares must be non-negative and sum to 1"):
        labsim.Population.from_counts({"employed": 5}, education_shares={"ufaglaert": 0.5, "faglaert": 0.6})


def test_synthetic_profile_is_consistent(model: labsim.TransitionModel) -> None:
    profile = labsim.default_profile()
    assert model.rules is not None
    pop = labsim.synthesise(profile, pension=model.rules.pension, seed=1)
    assert pop.n_persons == profile.simulated_persons == round(60_000 * (1 - 0.17))
    labsim.simulation.check_population(pop, model, labsim.parse_month("2022-01"))
    youth = (pop.state == labsim.State.UDDANNELSESHJAELP_UDDANNELSESPARAT) | (pop.state == labsim.State.UDDANNELSESHJAELP_AKTIVITETSPARAT)
    assert np.all(pop.education[youth] == labsim.Education.UFAGLAERT)


def test_profile_shares_must_sum_to_one() -> None:
    from dataclasses import replace

    profile = labsim.default_profile()
    shares = dict(profile.education_shares, ufaglaert=0.5)
    with pytest.raises(PopulationError, match="education_shares must sum to 1; got 1.22"):
        replace(profile, education_shares=shares)


def test_birth_before_1900_is_an_error() -> None:
    with pytest.raises(PopulationError, match="Population.birth_month must be non-negative; person 1 has -60"):
        labsim.Population.from_arrays(state=np.array([0, 0]), birth_month=np.array([1000, -60]))


def test_ids_out_of_order_are_named() -> None:
    with pytest.raises(PopulationError, match="id 3 follows 7 at position 2"):
        labsim.Population.from_arrays(state=np.zeros(3, np.int8), birth_month=np.full(3, 1000), ids=np.array([1, 7, 3]))
