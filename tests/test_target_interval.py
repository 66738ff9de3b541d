"""The Wilson interval of a target's probability: low ≤ p ≤ high always, exact at 0 and 1, and the targets figure
draws a target met in every run or in none (it crashed on 0.9999999999999999 < 1.0)."""

from __future__ import annotations

import math

import matplotlib
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from labsim.plotting import plot_targets
from labsim.results.targets import wilson

matplotlib.use("Agg")


@pytest.mark.parametrize("n", [1, 2, 3, 5, 6, 7, 10, 20, 49, 100, 1000])
def test_the_interval_is_exact_at_the_edges(n: int) -> None:
    low, high = wilson(1.0, n)
    assert high == 1.0 and 0.0 < low < 1.0
    low, high = wilson(0.0, n)
    assert low == 0.0 and 0.0 < high < 1.0


def test_five_replications_met_in_all_or_none() -> None:
    low, high = wilson(1.0, 5)
    assert high == 1.0 and low == pytest.approx(0.6489, abs=1e-4)
    low, high = wilson(0.0, 5)
    assert low == 0.0 and high == pytest.approx(0.3511, abs=1e-4)


def test_no_runs_and_nan() -> None:
    assert wilson(0.5, 0) == (0.0, 1.0)
    assert all(math.isnan(v) for v in wilson(float("nan"), 5))


@given(st.integers(min_value=1, max_value=10_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_the_interval_holds_its_share(case: tuple[int, int]) -> None:
    k, n = case
    share = k / n
    low, high = wilson(share, n)
    assert 0.0 <= low <= share <= high <= 1.0


@pytest.mark.parametrize("replications", [5, 6, 7, 10, 20])
def test_the_figure_draws_targets_met_in_every_run_or_none(replications: int) -> None:
    summary = pd.DataFrame({"strategy": ["baseline", "baseline", "praktik", "praktik"],
                            "target": ["fewer", "cost", "fewer", "cost"],
                            "probability": [1.0, 0.0, 1.0, 0.6], "replications": [replications] * 4})
    ax = plot_targets(summary)
    for container in ax.containers:
        dots = container.lines[0].get_xdata()
        assert ((0 <= dots) & (dots <= 1)).all()
