"""Each legal rule of DOMAIN.md §2 holds in every month of traced runs of the default model."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import labsim
from labsim.core.model import TransitionModel
from labsim.states import Gate, State

START, END = "2022-01", "2041-12"


def _with_rules(model: TransitionModel, **changes: object) -> TransitionModel:
    assert model.rules is not None
    rules = replace(model.rules, **changes)
    return replace(model, rules=rules)


@pytest.fixture(scope="module")
def traced(model: TransitionModel, small_population: labsim.Population) -> labsim.Run:
    return labsim.simulate(small_population, model, start=START, end=END, seed=21, trace=True)


def _ages(run: labsim.Run) -> np.ndarray:
    months = np.arange(run.start_month, run.start_month + run.n_months)[:, None]
    return months - run.final_population.birth_month.astype(np.int64)[None, :]


def test_nobody_30_or_older_on_uddannelseshjaelp(traced: labsim.Run) -> None:
    paths = traced.paths
    assert paths is not None
    youth = (paths == State.UDDANNELSESHJAELP_UDDANNELSESPARAT) | (paths == State.UDDANNELSESHJAELP_AKTIVITETSPARAT)
    assert youth.any()
    assert _ages(traced)[youth].max() < 30 * 12


def test_uddannelseshjaelp_moves_to_kontanthjaelp_in_the_month_of_the_30th_birthday(traced: labsim.Run) -> None:
    paths = traced.paths
    assert paths is not None
    ages = _ages(traced)
    before = (ages[:-1] == 30 * 12 - 1) & (paths[:-1] == State.UDDANNELSESHJAELP_AKTIVITETSPARAT)
    after = paths[1:][before]
    assert after.size > 0
    assert not np.isin(after, [State.UDDANNELSESHJAELP_UDDANNELSESPARAT, State.UDDANNELSESHJAELP_AKTIVITETSPARAT]).any()


def test_everyone_retires_in_the_month_the_law_says(traced: labsim.Run, model: TransitionModel) -> None:
    assert model.rules is not None and traced.paths is not None
    births = traced.final_population.birth_month.astype(np.int64)
    pension_month = births + model.rules.pension.folkepension_age(births)
    months = np.arange(traced.start_month, traced.start_month + traced.n_months)[:, None]
    on_pension = traced.paths == State.FOLKEPENSION
    np.testing.assert_array_equal(on_pension, months >= pension_month[None, :])
    cohorts = {born: labsim.parse_month(born) for born in ("1962-06", "1963-06", "1967-06", "1971-06")}
    for born, month in cohorts.items():
        ages = model.rules.pension.folkepension_age([month])[0] // 12
        assert ages == {"1962-06": 67, "1963-06": 68, "1967-06": 69, "1971-06": 70}[born]


def test_at_most_24_dagpenge_months_in_any_36(traced: labsim.Run) -> None:
    paths = traced.paths
    assert paths is not None
    on = (paths == State.A_DAGPENGE).astype(np.int32)
    cumulative = np.vstack([np.zeros((1, on.shape[1]), np.int32), np.cumsum(on, axis=0)])
    windows = cumulative[36:] - cumulative[:-36]
    assert windows.max() <= 24
    assert windows.max() == 24  # the limit binds in a 20-year run


def test_no_forbidden_transition_in_the_flows(traced: labsim.Run) -> None:
    moved = traced.ledger.flows.sum(axis=(0, 1))
    allowed = traced.catalogue.allowed_matrix(Gate.HAZARD | Gate.RULE)
    assert moved[~allowed].sum() == 0
    paths = traced.paths
    assert paths is not None
    origin, destination = paths[:-1].ravel(), paths[1:].ravel()
    assert allowed[origin, destination].all()


def test_jobafklaring_only_from_sygedagpenge_after_revurdering(model: TransitionModel, small_population: labsim.Population) -> None:
    strict = _with_rules(model, extension_probability=0.0)
    run = labsim.simulate(small_population, strict, start=START, end="2027-12", seed=2, trace=True)
    paths = run.paths
    assert paths is not None
    entered = (paths[1:] == State.JOBAFKLARING) & (paths[:-1] != State.JOBAFKLARING)
    assert entered.sum() > 10
    assert np.all(paths[:-1][entered] == State.SYGEDAGPENGE)
    # Without extension grounds, a sickness spell that starts in the run lasts at most 6 months.
    sick = (paths == State.SYGEDAGPENGE).astype(np.int32)
    run_length = np.zeros(paths.shape[1], np.int32)
    longest = 0
    fresh = paths[0] != State.SYGEDAGPENGE
    for t in range(paths.shape[0]):
        run_length = (run_length + 1) * sick[t]
        longest = max(longest, int(run_length[fresh].max()))
    assert longest <= strict.rules.revurdering_months  # type: ignore[union-attr]


def test_every_case_is_extended_when_extension_is_certain(model: TransitionModel, small_population: labsim.Population) -> None:
    """COVID-19-style extension of the sygedagpenge right: nobody moves to jobafklaring."""
    extended = _with_rules(model, extension_probability=1.0)
    run = labsim.simulate(small_population, extended, start=START, end="2025-12", seed=2)
    assert run.ledger.flows[:, :, State.SYGEDAGPENGE, State.JOBAFKLARING].sum() == 0


def test_foertidspension_is_rare_under_40(traced: labsim.Run) -> None:
    paths = traced.paths
    assert paths is not None
    ages = _ages(traced)[1:]
    new = (paths[1:] == State.FOERTIDSPENSION) & (paths[:-1] != State.FOERTIDSPENSION)
    under_40 = new & (ages < 40 * 12)
    assert new.sum() > 0 and under_40.sum() < 0.1 * new.sum()


def test_efterloen_and_seniorpension_only_at_their_ages(traced: labsim.Run, model: TransitionModel) -> None:
    assert model.rules is not None and traced.paths is not None
    births = traced.final_population.birth_month.astype(np.int64)
    ages = _ages(traced)[1:]
    entered = lambda s: (traced.paths[1:] == s) & (traced.paths[:-1] != s)  # noqa: E731
    efterloen_age = model.rules.pension.efterloen_age(births)[None, :]
    assert entered(State.EFTERLOEN).any()
    assert np.all(ages[entered(State.EFTERLOEN)] >= np.broadcast_to(efterloen_age, ages.shape)[entered(State.EFTERLOEN)])
    window = model.rules.pension.folkepension_age(births)[None, :] - 12 * model.rules.seniorpension_window_years
    senior = entered(State.SENIORPENSION)
    assert senior.any() and np.all(ages[senior] >= np.broadcast_to(window, ages.shape)[senior])


def test_rule_parameters_are_validated(model: TransitionModel) -> None:
    with pytest.raises(labsim.ModelError, match="rules.extension_probability must lie in \\[0, 1\\]; got 1.5"):
        _with_rules(model, extension_probability=1.5)
    with pytest.raises(labsim.ModelError, match="dagpenge_max_months must be at least 1 and below dagpenge_window_months; got 40 and 36"):
        _with_rules(model, dagpenge_max_months=40)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_no_forbidden_flow_in_a_municipality_sized_run(model: TransitionModel, seed: int) -> None:
    """Rare combinations (a reassessment in the month of the 30th birthday) need a large population."""
    population = labsim.synthesise(labsim.default_profile(), pension=model.rules.pension, seed=seed)  # type: ignore[union-attr]
    run = labsim.simulate(population, model, start=START, end=END, seed=seed)
    moved = run.ledger.flows.sum(axis=(0, 1))
    assert moved[~run.catalogue.allowed_matrix(Gate.HAZARD | Gate.RULE)].sum() == 0


def test_counters_start_from_the_spell_so_far(model: TransitionModel) -> None:
    """A person 100 months into a-dagpenge has used the right; 30 months on førtidspension are past week 52."""
    frame = {"state": ["a_dagpenge", "a_dagpenge", "foertidspension"], "age": [45, 45, 50], "months_in_state": [100, 3, 30]}
    population = labsim.Population.from_frame(frame, at=START)
    run = labsim.simulate(population, model, start=START, end="2022-06", seed=1, trace=True)
    assert run.paths is not None
    assert run.paths[1, 0] != State.A_DAGPENGE  # exhausted at once
    support = run.support_months()
    fp = support[(support["state"] == "foertidspension") & (support["month"] == support["month"].min())]
    assert fp.set_index("refund_band")["person_months"].to_dict()["weeks_53_plus"] == 1.0
