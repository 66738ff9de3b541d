"""Simulated runs against what is known exactly: Markov chains, conservation, seeds, common random numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from m0 import M0_MATRIX as M0
from m0 import M0_STATES

import labsim
from labsim.errors import CalendarError, ValidationError

MATRICES = {
    "M0": M0,
    "two-state": np.array([[0.9, 0.1], [0.35, 0.65]]),
    "absorbing chain": np.array([[0.5, 0.3, 0.2, 0.0], [0.0, 0.6, 0.3, 0.1], [0.1, 0.0, 0.8, 0.1], [0.0, 0.0, 0.0, 1.0]]),
    "rare moves": np.array([[0.9999, 0.0001, 0.0], [0.00003, 0.99995, 0.00002], [0.0, 0.5, 0.5]]),
}


@pytest.mark.parametrize("name", list(MATRICES))
def test_stocks_match_x0_p_t_within_4_standard_errors(name: str) -> None:
    """Each person's path is its own chain, so stock j at t is a sum of independent Bernoullis."""
    matrix = MATRICES[name]
    states = [f"s{i}" for i in range(len(matrix))]
    model = labsim.markov_model(states, matrix)
    counts = {s: 20_000 + 5_000 * i for i, s in enumerate(states)}
    population = labsim.Population.from_counts(counts, catalogue=model.catalogue, seed=1)
    run = labsim.simulate(population, model, start="2022-01", end="2031-12", seed=11)
    x0 = np.array(list(counts.values()), dtype=np.float64)
    stocks = run.ledger.stocks[:, :, 0]
    power = np.eye(len(matrix))
    worst = 0.0
    for t in range(run.n_months):
        expected = x0 @ power
        variance = x0 @ (power * (1 - power))
        sd = np.sqrt(np.maximum(variance, 1e-12))
        z = np.abs(stocks[t] - expected) / sd
        z[variance == 0] = np.where(stocks[t][variance == 0] == expected[variance == 0], 0, np.inf)
        worst = max(worst, float(z.max()))
        power = power @ matrix
    assert worst < 4.0, f"largest deviation {worst:.2f} standard errors"


def _conservation(run: labsim.Run) -> None:
    """Stocks + exits = previous stocks + entries, every month, checked against counts taken
    independently from every person's traced path (the ledger may carry stocks forward by flows)."""
    stocks = run.ledger.stocks.sum(axis=2)
    flows = run.ledger.flows.sum(axis=1)
    inflow, outflow = flows.sum(axis=1), flows.sum(axis=2)
    np.testing.assert_array_equal(stocks[1:], stocks[:-1] + inflow[:-1] - outflow[:-1])
    assert np.all(stocks.sum(axis=1) == stocks[0].sum())
    paths = run.paths
    assert paths is not None
    n_states = run.catalogue.n_states
    counted = np.stack([np.bincount(month, minlength=n_states) for month in paths.astype(np.intp)])
    np.testing.assert_array_equal(stocks, counted)
    moves = (paths[:-1] != paths[1:])
    pairs = paths[:-1].astype(np.intp) * n_states + paths[1:]
    for t in range(len(paths) - 1):
        by_pair = np.bincount(pairs[t][moves[t]], minlength=n_states**2).reshape(n_states, n_states)
        np.testing.assert_array_equal(flows[t], by_pair)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n_states=st.integers(2, 6),
    data=st.data(),
)
def test_nobody_lost_or_created_in_random_markov_models(n_states: int, data: st.DataObject) -> None:
    raw = np.array(data.draw(st.lists(st.lists(st.floats(0, 1), min_size=n_states, max_size=n_states),
                                      min_size=n_states, max_size=n_states)))
    raw += np.eye(n_states) * 1e-3
    matrix = raw / raw.sum(axis=1, keepdims=True)
    matrix[:, -1] = 1 - matrix[:, :-1].sum(axis=1)
    matrix = np.clip(matrix, 0, 1)
    matrix /= matrix.sum(axis=1, keepdims=True)
    states = [f"s{i}" for i in range(n_states)]
    counts = data.draw(st.lists(st.integers(0, 300), min_size=n_states, max_size=n_states))
    model = labsim.markov_model(states, matrix)
    population = labsim.Population.from_counts(dict(zip(states, counts, strict=True)), catalogue=model.catalogue)
    group_by = data.draw(st.sampled_from([None, "sex", "age_band"]))
    run = labsim.simulate(population, model, start="2022-01", end="2023-12", seed=data.draw(st.integers(0, 2**32)),
                          group_by=group_by, trace=True)
    if population.n_persons:
        _conservation(run)


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 2**32), inhabitants=st.integers(50, 2000))
def test_nobody_lost_or_created_under_the_danish_rules(seed: int, inhabitants: int) -> None:
    from dataclasses import replace

    model = labsim.default_model()
    assert model.rules is not None
    population = labsim.synthesise(replace(labsim.default_profile(), inhabitants=inhabitants), pension=model.rules.pension, seed=seed)
    run = labsim.simulate(population, model, start="2022-01", end="2027-12", seed=seed, trace=True,
                          group_by=["age_band", None, "origin"][seed % 3])
    _conservation(run)


def test_same_seed_same_frames_other_seed_different(model: labsim.TransitionModel, small_population: labsim.Population) -> None:
    runs = [labsim.simulate(small_population, model, start="2022-01", end="2026-12", seed=s, group_by="sex") for s in (5, 5, 6)]
    pd.testing.assert_frame_equal(runs[0].stocks(), runs[1].stocks())
    pd.testing.assert_frame_equal(runs[0].flows(), runs[1].flows())
    assert not runs[0].flows().equals(runs[2].flows())
    np.testing.assert_array_equal(small_population.months_in_state, np.zeros(small_population.n_persons))  # input untouched


def test_chunking_does_not_change_results(monkeypatch: pytest.MonkeyPatch, model: labsim.TransitionModel,
                                          small_population: labsim.Population) -> None:
    import labsim.core.step as step

    whole = labsim.simulate(small_population, model, start="2022-01", end="2024-12", seed=3)
    monkeypatch.setattr(step, "CHUNK_SIZE", 777)
    chunked = labsim.simulate(small_population, model, start="2022-01", end="2024-12", seed=3)
    np.testing.assert_array_equal(whole.ledger.flows, chunked.ledger.flows)


def test_paths_differ_only_where_hazards_differ() -> None:
    """Common random numbers: change the hazards out of one state; persons who never enter it keep their paths."""
    altered = M0.copy()
    altered[2] = [0.10, 0.01, 0.85, 0.02, 0.01, 0.01]  # kontanthjaelp exits changed
    runs = []
    for matrix in (M0, altered):
        model = labsim.markov_model(M0_STATES, matrix)
        population = labsim.Population.from_counts({"employed": 3000, "a_dagpenge": 500, "kontanthjaelp": 500,
                                                    "sygedagpenge": 300}, catalogue=model.catalogue)
        runs.append(labsim.simulate(population, model, start="2022-01", end="2026-12", seed=99, trace=True))
    a, b = runs[0].paths, runs[1].paths
    assert a is not None and b is not None
    never = ~(a == 2).any(axis=0) & ~(b == 2).any(axis=0)
    assert never.sum() > 1000
    np.testing.assert_array_equal(a[:, never], b[:, never])
    assert not np.array_equal(a, b)


def test_crn_under_the_danish_rules(model: labsim.TransitionModel, small_population: labsim.Population) -> None:
    from labsim.core.model import TransitionModel

    hazard = model.hazard.copy()
    hazard[labsim.State.RESSOURCEFORLOEB] *= 2.0
    altered = TransitionModel(catalogue=model.catalogue, bands=model.bands, hazard=hazard, ages=model.ages,
                              age_log_effect=model.age_log_effect, profile_log_effect=model.profile_log_effect,
                              cycle_elasticity=model.cycle_elasticity, rules=model.rules)
    a, b = (labsim.simulate(small_population, m, start="2022-01", end="2025-12", seed=4, trace=True).paths for m in (model, altered))
    assert a is not None and b is not None
    code = labsim.State.RESSOURCEFORLOEB
    never = ~(a == code).any(axis=0) & ~(b == code).any(axis=0)
    np.testing.assert_array_equal(a[:, never], b[:, never])
    assert not np.array_equal(a[:, ~never], b[:, ~never])


def test_macro_index_scales_job_loss(model: labsim.TransitionModel, small_population: labsim.Population) -> None:
    calm = labsim.simulate(small_population, model, start="2022-01", end="2023-12", seed=8)
    slump = labsim.simulate(small_population, model, start="2022-01", end="2023-12", seed=8,
                            macro=labsim.MacroPath("2022-01", [1.5]))
    into = [labsim.State.A_DAGPENGE]
    assert slump.ledger.flows[:, :, 0, into].sum() > 1.3 * calm.ledger.flows[:, :, 0, into].sum()


def test_start_after_end_and_catalogue_mismatch(model: labsim.TransitionModel, small_population: labsim.Population) -> None:
    with pytest.raises(CalendarError, match="start must not be after end; got start='2030-01', end='2022-01'"):
        labsim.simulate(small_population, model, start="2030-01", end="2022-01")
    other = labsim.markov_model(["a", "b"], [[0.5, 0.5], [0.5, 0.5]])
    with pytest.raises(ValidationError, match="same state catalogue"):
        labsim.simulate(small_population, other)


def test_progress_bar_only_when_asked(model: labsim.TransitionModel, small_population: labsim.Population,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    labsim.simulate(small_population, model, start="2022-01", end="2022-06", seed=1)
    quiet = capsys.readouterr()
    assert quiet.out == "" and quiet.err == ""
    labsim.simulate(small_population, model, start="2022-01", end="2022-06", seed=1, progress=True)
    assert "month" in capsys.readouterr().err
