"""Slow checks for `make test-all`: large populations, long horizons."""

from __future__ import annotations

import numpy as np
import pytest
from m0 import M0_MATRIX as M0
from m0 import M0_STATES

import labsim
from labsim.states import Gate, State


@pytest.mark.slow
def test_m0_at_a_million_persons_matches_x0_p_t() -> None:
    model = labsim.markov_model(M0_STATES, M0)
    shares = [0.80, 0.04, 0.06, 0.04, 0.03, 0.03]
    counts = dict(zip(M0_STATES, (round(1_000_000 * s) for s in shares), strict=True))
    population = labsim.Population.from_counts(counts, catalogue=model.catalogue)
    run = labsim.simulate(population, model, start="2022-01", end="2041-12", seed=240)
    x0 = np.array(list(counts.values()), dtype=np.float64)
    power = np.eye(6)
    for t in range(run.n_months):
        expected = x0 @ power
        sd = np.sqrt(np.maximum(x0 @ (power * (1 - power)), 1e-12))
        assert np.all(np.abs(run.ledger.stocks[t, :, 0] - expected) < 4.5 * sd), t
        power = power @ M0


@pytest.mark.slow
def test_rules_hold_in_a_traced_municipality_with_demography() -> None:
    model = labsim.default_model()
    profile = labsim.default_profile()
    population = labsim.synthesise(profile, pension=model.rules.pension, seed=3)  # type: ignore[union-attr]
    run = labsim.simulate(population, model, seed=3, trace=True, demography=profile.demography)
    paths = run.paths
    assert paths is not None
    present = paths >= 0
    allowed = run.catalogue.allowed_matrix(Gate.HAZARD | Gate.RULE)
    both = present[:-1] & present[1:]
    assert allowed[paths[:-1][both], paths[1:][both]].all()
    on = ((paths == State.A_DAGPENGE) & present).astype(np.int32)
    cumulative = np.vstack([np.zeros((1, on.shape[1]), np.int32), np.cumsum(on, axis=0)])
    assert (cumulative[36:] - cumulative[:-36]).max() <= 24
    months = np.arange(run.start_month, run.start_month + run.n_months)[:, None]
    age = months - population.birth_month.astype(np.int64)[None, :]
    youth = (paths == State.UDDANNELSESHJAELP_UDDANNELSESPARAT) | (paths == State.UDDANNELSESHJAELP_AKTIVITETSPARAT)
    assert age[youth].max() < 360
