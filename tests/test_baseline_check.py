"""The baseline check: a stationary baseline holds, drifting hazards warn, ageing moves the crude rate only, and
``labsim run`` prints the check.

The scenarios are a constant monthly transition matrix (as :func:`labsim.markov_model` builds) on a small catalogue
with two states on public support, each a group of one grouping; the persons start in the chain's stationary
distribution of their age band, so their expected stocks stay put unless the hazards or the ages move them.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest

import labsim
from labsim.cli import main as cli
from labsim.core import CycleResponse, Effect, Hazard, MacroPath, TransitionModel
from labsim.core.markov import hazards_from_probabilities
from labsim.experiments.baseline_check import COLUMNS, check_run
from labsim.results import BenefitRates
from labsim.states import Gate, StateCatalogue, StateInfo

STATES = ("employed", "unemployed", "sick")
MONTHLY = np.array([[0.96, 0.03, 0.01],  # row = from: a constant monthly transition matrix
                    [0.30, 0.70, 0.00],
                    [0.20, 0.00, 0.80]])
AGE_CUT = 40
"""Years: the model's two age bands are 16-39 and 40+."""

N_PERSONS = 50_000

STATIONARY_TOLERANCE = 0.035
"""|standardised change| of public support in a stationary baseline of :data:`N_PERSONS` persons over three years:
three times its standard deviation over 40 seeds (1.1 %)."""

AGEING_TOLERANCE = 0.015
"""|standardised change| of the jobseekers while the persons age: three times its standard deviation over 40 seeds
(0.4 %); each band's rate is stationary, but a person who turns 40 brings the younger band's rate for a few
months."""


def _catalogue() -> StateCatalogue:
    states = [StateInfo(name="employed", label_da="i job", label_en="employed"),
              StateInfo(name="unemployed", label_da="ledig", label_en="unemployed", public_support=True,
                        groups={"plan": "jobseekers"}),
              StateInfo(name="sick", label_da="syg", label_en="sick", public_support=True, groups={"plan": "sick"})]
    moves = {(a, b): Gate.HAZARD for a in STATES for b in STATES if a != b and MONTHLY[STATES.index(a), STATES.index(b)]}
    return StateCatalogue.from_transitions("test", states, moves)


def _model(old_layoffs: float = 1.0, cycle: bool = False) -> TransitionModel:
    """The chain of :data:`MONTHLY` by age band, layoffs (employed → unemployed) ``old_layoffs`` times as likely
    from 40, and scaled by the macro index when ``cycle``."""
    hazards = hazards_from_probabilities(MONTHLY)
    specs = [Hazard(origin=a, destination=b, monthly=(float(hazards[i, j]),))
             for i, a in enumerate(STATES) for j, b in enumerate(STATES) if hazards[i, j] > 0]
    effects = [Effect(attribute="age", level=f"{AGE_CUT}+", origins=("employed",), destinations=("unemployed",),
                      multiplier=old_layoffs)] if old_layoffs != 1.0 else []
    responses = [CycleResponse(origins=("employed",), destinations=("unemployed",), elasticity=1.0)] if cycle else []
    return TransitionModel.build(_catalogue(), specs, effects=effects, cycle=responses, age_cuts_years=(AGE_CUT,))


def _stationary(hazard: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The stationary distribution of the month's competing-risk probabilities of ``hazard`` (from × to)."""
    total = hazard.sum(axis=1)
    leave = 1.0 - np.exp(-total)
    with np.errstate(invalid="ignore"):
        matrix = np.where(total[:, None] > 0, leave[:, None] * hazard / total[:, None], 0.0)
    np.fill_diagonal(matrix, 1.0 - leave)
    values, vectors = np.linalg.eig(matrix.T)
    vector = np.real(vectors[:, np.argmin(np.abs(values - 1.0))])
    return np.asarray(vector / vector.sum())


def _scenario(model: TransitionModel, *, youngest: int, oldest: int, end: str = "2024-12",
              macro: MacroPath | None = None, n_persons: int = N_PERSONS) -> labsim.Scenario:
    """``n_persons`` aged ``youngest`` to ``oldest`` at 2022-01 (evenly), each band in its stationary distribution,
    with no births, deaths or migration."""
    rng = np.random.default_rng(11)
    start = labsim.parse_month("2022-01")
    ages = rng.integers(youngest * 12, (oldest + 1) * 12, size=n_persons)
    state = np.zeros(n_persons, dtype=np.int8)
    for band, old in enumerate((False, True)):
        mine = (ages >= AGE_CUT * 12) == old
        hazard = model.hazard[:, :, 0] * np.exp(model.age_log_effect[band])
        state[mine] = rng.choice(len(STATES), size=int(mine.sum()), p=_stationary(hazard))
    persons = labsim.Population.from_arrays(state=state, birth_month=start - ages, catalogue=model.catalogue)
    return labsim.Scenario(name="chain", model=model, population=persons, start="2022-01", end=end,
                           strategies={"baseline": labsim.Strategy("baseline")}, macro=macro, danish_calendar=False,
                           replications=1, seed=3, rates=BenefitRates({}))


def test_a_stationary_baseline_holds() -> None:
    check = labsim.baseline_check(_scenario(_model(), youngest=20, oldest=60))  # a LabsimWarning fails the test
    assert list(check.columns) == list(COLUMNS)
    assert check["group"].tolist() == ["public_support", "jobseekers", "sick"]
    assert (check["first_year"] == 2022).all() and (check["last_year"] == 2024).all()
    assert abs(check.loc[0, "standardised_change"]) < STATIONARY_TOLERANCE
    assert (check["warning"] == "").all() and not check["drift"].any() and not check["transient"].any()
    # the first year's age structure weights the rates, so the two rates agree in the first year
    np.testing.assert_allclose(check["standardised_first"], check["crude_first"])
    expected = _stationary(_model().hazard[:, :, 0])
    assert check.loc[0, "crude_first"] == pytest.approx(expected[1] + expected[2], rel=0.05)
    assert (check["later_monthly_change"] > 0).all()


def test_drifting_hazards_warn() -> None:
    rising = MacroPath("2022-01", list(np.linspace(1.0, 3.0, 36)))  # layoffs three times as likely by the end
    scenario = _scenario(_model(cycle=True), youngest=20, oldest=60, macro=rising)
    with pytest.warns(labsim.LabsimWarning, match="does not hold .*jobseekers: drift") as caught:
        check = labsim.baseline_check(scenario)
    assert len(caught) == 1  # one warning for every group concerned
    jobseekers = check.set_index("group").loc["jobseekers"]
    assert jobseekers["drift"] and jobseekers["standardised_change"] > 0.5
    assert "age-standardised rate +" in jobseekers["warning"]
    assert not check["transient"].any()  # the hazards move steadily, from the first month to the last
    # a threshold above the change, and the warning goes
    quiet = check_run(scenario.run(group_by="age_band"), drift_threshold=10.0)
    assert not quiet["drift"].any()


def test_ageing_moves_the_crude_rate_not_the_standardised_one() -> None:
    """Layoffs eight times as likely from 40: about 6 % unemployed below 40 and 30 % above, each band at its
    stationary rate throughout. Persons aged 28-44 at the start: a quarter are 40+ in 2022, nearly half in 2025."""
    scenario = _scenario(_model(old_layoffs=8.0), youngest=28, oldest=44, end="2025-12")
    check = labsim.baseline_check(scenario).set_index("group")
    jobseekers = check.loc["jobseekers"]
    assert jobseekers["crude_change"] > 0.25  # more persons in the band with more unemployment
    assert abs(jobseekers["standardised_change"]) < AGEING_TOLERANCE  # the same rate in each band
    assert not check["drift"].any() and (check["warning"] == "").all()


def test_a_run_not_counted_by_age_band_is_refused() -> None:
    scenario = _scenario(_model(), youngest=20, oldest=60, end="2022-06", n_persons=500)
    with pytest.raises(labsim.ValidationError, match="counted by age band"):
        labsim.baseline_check(scenario, run=scenario.run())


def test_a_comparison_checks_its_own_baseline_once_and_stays_picklable() -> None:
    scenario = _scenario(_model(), youngest=20, oldest=60, n_persons=4000).replace(seed=8)
    comparison = labsim.compare(scenario, replications=1, seed=3)  # the comparison's seed, not the scenario's
    check = comparison.baseline_check()
    pd.testing.assert_frame_equal(check, labsim.baseline_check(scenario.replace(seed=3)))
    again = pickle.loads(pickle.dumps(comparison))
    pd.testing.assert_frame_equal(again.baseline_check(), check)


CLI_SCENARIO = """
[scenario]
name = "clitown"
start = "2022-01"
end = "2023-12"
replications = 1
seed = 2

[population]
inhabitants = 2000

[strategies.baseline]

[model]
balance = "none"  # the check reads any baseline; balancing it would take seconds
"""


def test_the_command_line_prints_the_baseline_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "clitown.toml"
    path.write_text(CLI_SCENARIO, encoding="utf-8")
    assert cli(["run", str(path), "--no-progress", "--out", str(tmp_path / "results")]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Baseline check, 'baseline' replicate 0"))
    assert "change 2022 to 2023" in lines[start]
    assert lines[start + 1].split() == ["group", "crude", "standardised", "warning"]
    assert lines[start + 2].split()[0] == "public_support"
    assert "Traceback" not in captured.err and "LabsimWarning" not in captured.err
    written = pd.read_csv(tmp_path / "results" / "baseline_check.csv")
    assert written["group"].tolist()[0] == "public_support" and list(written.columns) == list(COLUMNS)
    assert "Baseline: a steady start (months in state from the model's steady state); rates as the model gives " \
           "them (balance = \"none\")." in lines
    balance = pd.read_csv(tmp_path / "results" / "balance.csv")  # not balanced: the columns, no rows
    assert list(balance.columns) == ["band", "state", "into", "out_of", "target", "balanced"] and balance.empty


def test_the_report_shows_the_check_and_skips_it_for_an_older_folder(tmp_path: Path) -> None:
    import json

    from labsim.report import read_results, report_html

    folder = tmp_path / "results"
    labsim.compare(labsim.scenario_from_text(CLI_SCENARIO)).write(folder)
    page = report_html(folder)
    assert "<section id='baseline'>" in page and "<a href='#baseline'>Baseline check</a>" in page
    assert "<td>public_support</td>" in page and "standardised change" in page
    assert "<p>Baseline: a steady start (months in state from the model&#x27;s steady state); rates as the model " \
           "gives them (balance = &quot;none&quot;).</p>" in page
    # a folder written before labsim checked the baseline: its manifest does not list the file
    manifest = json.loads((folder / "comparison.json").read_text(encoding="utf-8"))
    manifest["written"].remove("baseline_check.csv")
    (folder / "comparison.json").write_text(json.dumps(manifest), encoding="utf-8")
    (folder / "baseline_check.csv").unlink()
    assert read_results(folder).frame("baseline_check").empty
    older = report_html(folder)
    assert "id='baseline'" not in older and "#baseline" not in older and "<section id='observed'>" in older


def test_a_balance_that_cannot_reach_its_start_warns() -> None:
    # Førtidspension is for good: a profile with 3 points more of it at 50–59 than its 60+ band can hold brings the
    # persons into 60+, and no hazard the balance may move takes them out again.
    from dataclasses import replace

    from labsim.experiments.baseline_check import balance_warning

    profile = labsim.default_profile()
    shares = {band: dict(values) for band, values in profile.state_shares.items()}
    shares["50-59"]["foertidspension"] += 0.03
    shares["50-59"]["employed"] -= 0.03
    strategies = [labsim.Strategy("baseline")]
    model = labsim.default_model()
    odd = labsim.Scenario(name="odd", model=model, strategies=strategies, profile=replace(profile, state_shares=shares),
                          start="2023-01", end="2023-12")
    message = balance_warning(odd.rate_balance(), odd.name)
    assert "could not reach its start" in message and "60+ foertidspension" in message
    plain = labsim.Scenario(name="plain", model=model, strategies=strategies, profile=profile, start="2023-01",
                            end="2023-12")
    assert balance_warning(plain.rate_balance(), plain.name) == ""  # the demo's shares are reached
