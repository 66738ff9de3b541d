"""Alignment to an external path: the baseline follows given yearly totals in expectation, every strategy runs
under the same steps, and a strategy's effect is not aligned away."""

from __future__ import annotations

import numpy as np
import pytest

import labsim
from labsim.errors import ValidationError
from labsim.policy import library
from labsim.simulation.alignment import AlignmentTarget

ASSISTANCE = "kontanthjaelp_jobparat+kontanthjaelp_aktivitetsparat"
REPLICATIONS = 8


@pytest.fixture(scope="module")
def unaligned() -> labsim.Scenario:
    profile = labsim.default_profile().scaled(12_000)
    praktik = library.VirksomhedspraktikPrivate(start="2023-01", seats=40)
    return labsim.Scenario(name="demo", model=labsim.default_model(), profile=profile, start="2023-01", end="2025-12",
                           strategies={"baseline": labsim.Strategy("baseline"),
                                       "praktik": labsim.Strategy("praktik", [praktik])},
                           replications=REPLICATIONS, seed=11)


@pytest.fixture(scope="module")
def path(unaligned: labsim.Scenario) -> dict[int, float]:
    """A budget that has kontanthjælp fall by a tenth a year from where the unaligned baseline is expected."""
    from labsim.simulation.expected import expected_path

    expected = expected_path(unaligned)
    codes = labsim.states.select_states(unaligned.model.catalogue, ASSISTANCE)
    first = float(expected.stocks[:12, codes].sum(axis=1).mean())
    return {2023: first, 2024: 0.9 * first, 2025: 0.8 * first}


@pytest.fixture(scope="module")
def aligned(unaligned: labsim.Scenario, path: dict[int, float]) -> labsim.Scenario:
    return unaligned.replace(alignment=(AlignmentTarget("budget", ASSISTANCE, path, source="a test's path"),))


def _assistance(result: labsim.Comparison, strategy: str) -> np.ndarray:
    """``(replications, years)``: each run's yearly fuldtidspersoner on kontanthjælp."""
    fte = result.fte.query("strategy == @strategy and state in @states", local_dict={
        "strategy": strategy, "states": ASSISTANCE.split("+")})
    table = fte.groupby(["replicate", "period"], observed=True)["fte"].sum().unstack("period")
    return table.to_numpy()


def test_the_expected_path_meets_each_years_total(aligned: labsim.Scenario, path: dict[int, float]) -> None:
    solved = aligned.aligned()
    assert [row["year"] for row in solved.rows] == [2023, 2024, 2025]
    for row in solved.rows:
        assert row["expected"] == pytest.approx(row["value"], rel=2e-3)
    assert aligned.aligned() is solved  # solved once
    assert all(event in aligned.make_events().calendar for event in solved.events)


def test_an_aligned_baseline_follows_the_path_and_a_strategy_keeps_its_effect(
        unaligned: labsim.Scenario, aligned: labsim.Scenario, path: dict[int, float]) -> None:
    with_path, without = labsim.compare(aligned), labsim.compare(unaligned)
    runs = _assistance(with_path, "baseline")  # (replications, years)
    error = runs.std(axis=0, ddof=1) / np.sqrt(REPLICATIONS)
    gap = runs.mean(axis=0) - np.array(list(path.values()))
    assert np.all(np.abs(gap) < 4 * error + 0.01 * np.array(list(path.values()))), (gap, error)  # 1 %: expectation
    # the path is not where the model goes on its own: the alignment moved the baseline
    assert abs(_assistance(without, "baseline").mean(axis=0)[-1] - path[2025]) > 5 * error[-1]
    # the effort's paired effect on kontanthjælp survives the alignment (the same draws, common random numbers)
    effect_aligned = (_assistance(with_path, "praktik") - runs).mean(axis=0)
    effect_unaligned = (_assistance(without, "praktik") - _assistance(without, "baseline")).mean(axis=0)
    assert effect_unaligned[-1] < 0 and effect_aligned[-1] < 0
    assert effect_aligned[-1] == pytest.approx(effect_unaligned[-1], rel=0.35)
    log = with_path.scenario.run("praktik").event_log()
    assert (log["kind"] == "alignment").sum() == len(aligned.aligned().events)


def test_a_target_is_checked_against_the_scenario(unaligned: labsim.Scenario) -> None:
    with pytest.raises(ValidationError, match=r"alignment 'x'\.values: year 2030 is outside the run"):
        unaligned.replace(alignment=(AlignmentTarget("x", ASSISTANCE, {2030: 100}),))
    with pytest.raises(ValidationError, match=r"alignment 'x'\.age_band must be one of"):
        unaligned.replace(alignment=(AlignmentTarget("x", ASSISTANCE, {2024: 100}, age_band="20-29"),))
    with pytest.raises(labsim.errors.UnknownStateError, match=r"alignment 'x'\.states"):
        unaligned.replace(alignment=(AlignmentTarget("x", "kontanthjælp", {2024: 100}),))
    with pytest.raises(ValidationError, match=r"alignment 'x'\.values\.2024"):
        AlignmentTarget("x", ASSISTANCE, {2024: -5})


def test_a_scenario_file_gives_its_paths() -> None:
    from labsim.io.scenario_file import ScenarioError, scenario_from_text

    base = ('[scenario]\nname = "x"\nstart = "2023-01"\nend = "2025-12"\n[strategies.baseline]\n'
            '[population]\ninhabitants = 5000\n')
    read = scenario_from_text(base + f'[alignment.budget]\nstates = "{ASSISTANCE}"\nage_band = "30-39"\n'
                              'values = { "2024" = 60, "2025" = 55 }\nsource = "the budget"\n')
    assert read.alignment == (AlignmentTarget("budget", ASSISTANCE, {2024: 60, 2025: 55}, "30-39", "the budget"),)
    with pytest.raises(ScenarioError, match=r"alignment\.b\.values\.24: a year is written as four digits"):
        scenario_from_text(base + '[alignment.b]\nstates = "employed"\nvalues = { "24" = 60 }\n')
    with pytest.raises(ScenarioError, match=r"alignment\.b\.values\.2024: input should be greater than 0"):
        scenario_from_text(base + '[alignment.b]\nstates = "employed"\nvalues = { "2024" = -1 }\n')
    with pytest.raises(ScenarioError, match=r"alignment 'b'\.values: year 2031 is outside the run"):
        scenario_from_text(base + '[alignment.b]\nstates = "employed"\nvalues = { "2031" = 60 }\n')
