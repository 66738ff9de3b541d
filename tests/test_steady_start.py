"""The steady start: months in state drawn from the model's steady state, so a run has no start-up transient.

The exact steady state of a model with duration bands is the stationary distribution of its chain over (state,
months in state); a run started from it must stay there (stocks and mean months in state), within sampling error.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

import labsim
from labsim.core import Hazard, Population, TransitionModel, markov_model
from labsim.core.steady_start import StartDurations, steady_durations

LONGEST = 400  # months kept in the exact chain; the tail beyond is negligible for these hazards


def _model() -> TransitionModel:
    """Three states; leaving unemployment and sickness gets harder with duration (duration bands)."""
    base = markov_model(["working", "unemployed", "sick"], np.full((3, 3), 1 / 3))
    return TransitionModel.build(base.catalogue, [
        Hazard(origin="working", destination="unemployed", monthly=(0.04, 0.01)),
        Hazard(origin="working", destination="sick", monthly=(0.01,)),
        Hazard(origin="unemployed", destination="working", monthly=(0.30, 0.15, 0.05)),
        Hazard(origin="unemployed", destination="sick", monthly=(0.02,)),
        Hazard(origin="sick", destination="working", monthly=(0.25, 0.10)),
        Hazard(origin="sick", destination="unemployed", monthly=(0.05,)),
    ], duration_bands={"working": (0, 12), "unemployed": (0, 3, 12), "sick": (0, 6)})


def _exact(model: TransitionModel) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The stationary shares of the states and the mean months in state of each, from the chain over (state,
    months in state) solved by iteration."""
    n = model.n_states
    band = [np.searchsorted(np.asarray(model.bands.starts[s]), np.arange(LONGEST), side="right") - 1 for s in range(n)]
    hazard = [model.hazard[s][:, band[s]].T for s in range(n)]  # (months, destinations)
    stay = [np.exp(-h.sum(axis=1)) for h in hazard]
    share = [np.where(h.sum(axis=1, keepdims=True) > 0, h / np.maximum(h.sum(axis=1, keepdims=True), 1e-300), 0)
             for h in hazard]
    mass = [np.full(LONGEST, 1.0 / (n * LONGEST)) for _ in range(n)]
    for _ in range(3000):
        inflow = sum(((m * (1 - st)) @ sh for m, st, sh in zip(mass, stay, share, strict=True)), np.zeros(n))
        new = []
        for s in range(n):
            moved = np.zeros(LONGEST)
            moved[1:] = (mass[s] * stay[s])[:-1]
            moved[-1] += mass[s][-1] * stay[s][-1]
            moved[0] = inflow[s]
            new.append(moved)
        mass = new
    stocks = np.array([m.sum() for m in mass])
    means = np.array([(m * np.arange(LONGEST)).sum() / m.sum() for m in mass])
    return stocks / stocks.sum(), means


def _population(model: TransitionModel, shares: npt.NDArray[np.float64], persons: int) -> Population:
    """Persons at the stationary shares, aged 60 (old enough that no spell of the chain is cut by age 16)."""
    counts = np.round(shares * persons).astype(int)
    state = np.repeat(np.arange(model.n_states), counts)
    birth = labsim.calendar.parse_month("2022-01") - 60 * 12
    return Population.from_arrays(state=state, birth_month=np.full(state.size, birth), catalogue=model.catalogue)


def test_a_steady_start_is_stationary_from_the_first_month() -> None:
    model = _model()
    shares, means = _exact(model)
    persons = 60_000
    start = labsim.calendar.parse_month("2022-01")
    population = steady_durations(_population(model, shares, persons), model, start, seed=11)
    assert population.months_in_state.strides != (0,)
    # The drawn months match the exact mean of each state's stock (standard error ≈ sd / √n; 5 standard errors).
    for s in range(model.n_states):
        drawn = population.months_in_state[population.state == s].astype(float)
        assert abs(drawn.mean() - means[s]) < 5 * drawn.std() / np.sqrt(drawn.size), (s, drawn.mean(), means[s])
    for months in (1, 6, 24):
        run = labsim.simulate(population, model, start="2022-01", end=start + months - 1, seed=5)
        stocks = run.ledger.stocks.sum(axis=2)  # (months, states): the start of each month
        expected = shares * persons
        # binomial sampling error of a share of `persons`, 5 standard errors (fixed seeds)
        tolerance = 5 * np.sqrt(persons * shares * (1 - shares))
        assert np.all(np.abs(stocks - expected) < tolerance[None, :]), (months, stocks, expected)
        final = run.final_population
        for s in range(model.n_states):
            held = final.months_in_state[final.state == s].astype(float)
            assert abs(held.mean() - means[s]) < 5 * held.std() / np.sqrt(held.size), (months, s, held.mean(), means[s])


def test_a_fresh_start_is_not_stationary() -> None:
    # the check above can fail: everyone at month 0 holds far too few months in state a month later
    model = _model()
    shares, means = _exact(model)
    start = labsim.calendar.parse_month("2022-01")
    run = labsim.simulate(_population(model, shares, 20_000), model, start="2022-01", end=start, seed=5)
    held = run.final_population.months_in_state[run.final_population.state == 0].astype(float)
    assert held.mean() < means[0] / 5


def test_durations_are_keyed_by_person_and_no_longer_than_the_person_could_have_been_in_the_state() -> None:
    model = labsim.default_model()
    profile = labsim.default_profile().scaled(4_000)
    start = labsim.calendar.parse_month("2022-01")
    persons = labsim.synthesise(profile, pension=model.rules.pension, seed=2)
    drawn = steady_durations(persons, model, start, seed=7)
    again = steady_durations(persons, model, start, seed=7)
    assert np.array_equal(drawn.months_in_state, again.months_in_state)
    assert not np.array_equal(drawn.months_in_state, steady_durations(persons, model, start, seed=8).months_in_state)
    age = start - drawn.birth_month.astype(int)
    assert np.all(drawn.months_in_state <= age - 12 * 16)
    rules = model.rules
    pensioners = drawn.state == model.catalogue.code("folkepension")
    since = age[pensioners] - rules.pension.folkepension_age(drawn.birth_month[pensioners])
    assert np.all(drawn.months_in_state[pensioners] <= since)
    # the rules end spells: a-dagpenge within 24 months, a ressourceforløb of a spell from 2022 within 3 years
    dagpenge = drawn.months_in_state[drawn.state == model.catalogue.code("a_dagpenge")]
    assert dagpenge.max() < rules.dagpenge_max_months
    # half the persons drawn again: the others keep their months, the drawn get the same months as before
    half = np.arange(drawn.n_persons) % 2 == 0
    partly = steady_durations(persons, model, start, seed=7, draw=half)
    assert np.array_equal(partly.months_in_state[half], drawn.months_in_state[half])
    assert not partly.months_in_state[~half].any()


def test_a_scenario_starts_steady_by_default_and_fresh_when_asked(tmp_path: object) -> None:
    scenario = labsim.read_scenario("scenarios/broenderslev_2021.toml")
    assert scenario.durations is StartDurations.STEADY
    steady = scenario.replicate_population(0)
    assert steady.months_in_state.any()
    fresh = scenario.replace(durations="fresh").replicate_population(0)
    assert not fresh.months_in_state.any()
    assert np.array_equal(fresh.state, steady.state)  # the same persons, only their months differ
    with pytest.raises(labsim.errors.ValidationError, match="durations"):
        scenario.replace(durations="stationary")
