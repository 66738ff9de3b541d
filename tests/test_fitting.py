"""Fitting hazards: the expected-value path against what is known exactly, recovery of known multipliers within
their reported uncertainty, the fitted file, diagnostics and every bad input."""

from __future__ import annotations

import tomllib
import warnings
from dataclasses import replace
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

import labsim
from labsim.calibration import (
    ExpectedModel,
    ExpectedValueCalibrator,
    HazardMultiplier,
    ObservedSeries,
    SimulatedCalibrator,
    apply_multipliers,
    expected_path,
    write_fitted,
)
from labsim.calibration.calibrators import SETTLED
from labsim.calibration.series import fit_series, run_arrays, series_values
from labsim.errors import CalibrationError, CalibrationWarning, LabsimError
from labsim.plotting import plot_fit
from labsim.results import BenefitRates
from labsim.simulation import Scenario, replicate_seed

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
STATES = ["working", "unemployed", "inactive"]
MATRIX = np.array([[0.97, 0.02, 0.01], [0.15, 0.80, 0.05], [0.02, 0.03, 0.95]])
UNEMPLOYED_EXITS = HazardMultiplier("unemployed_exits", "unemployed->*")
INACTIVE_EXITS = HazardMultiplier("inactive_exits", "inactive->*")


def markov_scenario(persons: int = 2000) -> Scenario:
    """Three states, a constant monthly matrix, no rules or demography: the expected path is x0 · Pᵗ."""
    model = labsim.markov_model(STATES, MATRIX)
    counts = {"working": int(persons * 0.8), "unemployed": int(persons * 0.125), "inactive": int(persons * 0.075)}
    population = labsim.Population.from_counts(counts, catalogue=model.catalogue)
    return Scenario(name="markov", model=model, strategies={"base": labsim.Strategy("base")}, population=population,
                    start="2020-01", end="2022-12", seed=1, rates=BenefitRates({}))


def series_frame(measures: list[str], periods: list[str], values: list[float] | None = None) -> pd.DataFrame:
    rows = [{"municipality": "Testby", "period": p, "measure": m, "kind": "stock", "value": "0",
             "unit": "fuldtidspersoner", "source": "simulated"} for m in measures for p in periods]
    frame = pd.DataFrame(rows)
    if values is not None:
        frame["value"] = [f"{v:.2f}" for v in values]
    return frame


def observed_from_run(scenario: Scenario, frame: pd.DataFrame, seed: object) -> ObservedSeries:
    """One stochastic run's values of the series in ``frame``, as an observed series."""
    catalogue = scenario.model.catalogue
    series, _ = fit_series(ObservedSeries.from_frame(frame, catalogue=catalogue), catalogue, scenario.start,
                           scenario.end)
    run = scenario.run(seed=seed)
    stocks, flows = run_arrays(run)
    values = series_values(series, stocks, flows, run.start_month)
    return ObservedSeries.from_frame(series_frame(list(dict.fromkeys(frame["measure"])),
                                                  list(dict.fromkeys(frame["period"])), list(values)),
                                     catalogue=catalogue)


def test_the_expected_path_of_a_markov_chain_is_x0_times_p_to_the_t() -> None:
    scenario = markov_scenario()
    path = expected_path(scenario)
    x = np.array([1600.0, 250.0, 150.0])
    for t in range(path.n_months):
        np.testing.assert_allclose(path.stocks[t], x, rtol=1e-12)
        np.testing.assert_allclose(path.flows[t], x[:, None] * MATRIX * (1 - np.eye(3)), rtol=1e-12, atol=1e-12)
        x = x @ MATRIX


def test_the_expected_path_follows_the_mean_of_stochastic_runs_of_the_danish_model() -> None:
    """Rules, duration bands, ageing, qualifications and demography included: over 2019–2020 each benefit state's
    fuldtidspersoner on the expected path lie within 3 % (or 2 persons) of the mean of 40 runs — the runs' standard
    error is about 1 %."""
    scenario = labsim.read_scenario(ROOT / "scenarios" / "broenderslev_2021.toml")
    scenario = scenario.replace(end=labsim.parse_month("2020-12"), targets=(), observed=())
    population = scenario.replicate_population(0)
    path = ExpectedModel(scenario, population).path()
    runs = np.mean([run_arrays(scenario.run(population=population, seed=replicate_seed(7, k)))[0]
                    for k in range(40)], axis=0)
    benefit = [c for c, s in enumerate(scenario.model.catalogue.states) if s.public_support]
    expected, simulated = path.stocks[:, benefit].mean(axis=0), runs[:, benefit].mean(axis=0)
    tolerance = np.maximum(0.03 * simulated, 2.0)
    assert np.all(np.abs(expected - simulated) <= tolerance), (expected, simulated)
    np.testing.assert_allclose(path.stocks.sum(axis=1), runs.sum(axis=1), rtol=0.002)  # persons are conserved


def test_the_expected_value_fit_recovers_the_multipliers_that_made_its_data() -> None:
    scenario = markov_scenario()
    truth = [1.3, 0.7]
    frame = series_frame(["unemployed", "inactive"], ["2020", "2021", "2022"])
    catalogue = scenario.model.catalogue
    series, _ = fit_series(ObservedSeries.from_frame(frame, catalogue=catalogue), catalogue, scenario.start,
                           scenario.end)
    path = expected_path(scenario, model=apply_multipliers(scenario.model, [UNEMPLOYED_EXITS, INACTIVE_EXITS], truth))
    exact = ObservedSeries.from_frame(series_frame(["unemployed", "inactive"], ["2020", "2021", "2022"],
                                                   list(series_values(series, path.stocks, path.flows, path.start_month))),
                                      catalogue=catalogue)
    fit = ExpectedValueCalibrator([UNEMPLOYED_EXITS, INACTIVE_EXITS]).fit(exact, scenario)
    assert fit.converged_ and fit.n_iter_ > 1 and fit.loss_ < 1e-8
    assert fit.params_ == pytest.approx({"unemployed_exits": 1.3, "inactive_exits": 0.7}, rel=1e-3)
    table = fit.diagnostics()
    assert list(table["series"])[:2] == ["unemployed 2020", "unemployed 2021"]
    assert table["error"].abs().max() < 1e-4


@pytest.mark.parametrize("trials", [pytest.param(40, id="fast")])
def test_simulated_calibration_recovers_known_multipliers_within_their_intervals(trials: int) -> None:
    """Simulate from known multipliers, calibrate from the simulated series: each multiplier lies within its
    reported 95 % interval in at least 90 % of (trial, multiplier) pairs."""
    recovered = _recovery(markov_scenario(), [UNEMPLOYED_EXITS, INACTIVE_EXITS], [1.25, 0.8],
                          series_frame(["unemployed", "inactive"], ["2020", "2021", "2022"]), trials, replications=20)
    assert recovered.mean() >= 0.9, recovered


@pytest.mark.slow
def test_simulated_calibration_recovers_multipliers_of_the_danish_model() -> None:
    """The same on the Danish model (rules, bands, demography) in a municipality of 6,000 inhabitants, 20 trials (more
    than 25 minutes of one core)."""
    scenario = labsim.read_scenario(ROOT / "scenarios" / "broenderslev_2021.toml")
    assert scenario.profile is not None
    scenario = scenario.replace(end=labsim.parse_month("2020-12"), targets=(), observed=(),
                                profile=replace(scenario.profile, inhabitants=6000))
    parameters = [HazardMultiplier("kh_akt_exits", "kontanthjaelp_aktivitetsparat->*"),
                  HazardMultiplier("ressource_exits", "ressourceforloeb->*")]
    frame = series_frame(["kontanthjaelp_aktivitetsparat", "ressourceforloeb"], ["2019Q2", "2019Q4", "2020Q2", "2020Q4"])
    recovered = _recovery(scenario, parameters, [1.3, 0.8], frame, 20, replications=30)
    assert recovered.mean() >= 0.9, recovered


def _recovery(scenario: Scenario, parameters: list[HazardMultiplier], truth: list[float], frame: pd.DataFrame,
              trials: int, replications: int) -> np.ndarray:
    """``(trials, parameters)``: whether each multiplier's 95 % interval holds the truth; a fit that warns that it did
    not converge counts as recovering nothing."""
    true_scenario = scenario.replace(model=apply_multipliers(scenario.model, parameters, truth))
    inside = np.zeros((trials, len(parameters)), bool)
    for trial in range(trials):
        observed = observed_from_run(true_scenario, frame, replicate_seed(10_000, trial))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", CalibrationWarning)
            fit = SimulatedCalibrator(parameters, replications=replications, rounds=4, seed=trial, level=0.95).fit(
                observed, scenario)
        if caught:
            assert fit.converged_ is False
            continue
        intervals = fit.intervals_
        assert np.all(intervals["low"] < intervals["estimate"]) and np.all(intervals["estimate"] < intervals["high"])
        inside[trial] = (intervals["low"] <= truth) & (np.asarray(truth) <= intervals["high"])
    return inside


def test_simulated_calibration_reports_its_work(tmp_path: Path) -> None:
    scenario = markov_scenario()
    frame = series_frame(["unemployed", "unemployed+inactive"], ["2020", "2021-01..2022-06"])
    true_scenario = scenario.replace(model=apply_multipliers(scenario.model, [UNEMPLOYED_EXITS], [1.2]))
    observed = observed_from_run(true_scenario, frame, 99)
    csv = tmp_path / "testby.csv"
    observed.frame[["municipality", "period", "measure", "kind", "value", "unit", "source"]].to_csv(csv, index=False)
    observed = ObservedSeries.read_csv(csv, catalogue=scenario.model.catalogue)
    fit = SimulatedCalibrator(UNEMPLOYED_EXITS, replications=12, seed=3).fit(observed, scenario)
    assert fit.converged_ and fit.unidentified_ == []
    # the trace: one row per round; the last round moved by less than SETTLED standard errors (that is what settled)
    assert list(fit.trace_["round"]) == list(range(1, fit.rounds_ + 1))
    last = fit.trace_.iloc[-1]
    assert last["moved_log"] <= SETTLED * last["se_log"] and last["estimate"] == pytest.approx(fit.params_["unemployed_exits"])
    # the corrected expected path (from the rounds' runs) agrees with the mean of 12 check runs it never saw
    spread = fit.simulated_.std(axis=0, ddof=1)
    assert np.all(np.abs(fit.expected_ - fit.simulated_.mean(axis=0)) <= 4 * spread * np.sqrt(2 / 12))
    assert fit.simulated_.shape == (12, 4) and list(fit.intervals_.columns) == [
        "parameter", "estimate", "low", "high", "se_log", "at_bound"]
    table = fit.diagnostics()
    assert table["low"].le(table["simulated"]).all() and table["simulated"].le(table["high"]).all()
    assert table["z"].abs().lt(4).all()
    figure = plot_fit(table, title="Testby")
    assert len([ax for ax in figure.axes if ax.get_visible()]) == 2
    # the fitted file: provenance, and hazards that reproduce the fitted model when a scenario applies it
    path = write_fitted(fit, tmp_path / "fitted.toml", note="test fit")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    meta = data["meta"]["calibration"]
    assert meta["data"] == str(csv) and len(meta["data_sha256"]) == 64 and meta["converged"] is True
    assert meta["parameters"][0]["name"] == "unemployed_exits"
    assert meta["parameters"][0]["low"] < meta["parameters"][0]["estimate"] < meta["parameters"][0]["high"]
    assert len(meta["series"]) == 4
    fitted = fit.model_.hazard
    for destination, value in data["hazards"]["unemployed"].items():
        d = scenario.model.catalogue.code(destination)
        assert value == pytest.approx(fitted[1, d, 0], rel=1e-5)
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_fit_that_does_not_converge_warns_and_says_so() -> None:
    scenario = markov_scenario()
    observed = ObservedSeries.from_frame(series_frame(["unemployed"], ["2021"], [180.0]), catalogue=scenario.model.catalogue)
    with pytest.warns(CalibrationWarning, match="did not converge"):
        fit = ExpectedValueCalibrator(UNEMPLOYED_EXITS, max_nfev=1).fit(observed, scenario)
    assert fit.converged_ is False and ("iterations" in fit.message_ or "evaluations" in fit.message_)


def test_bad_calibration_input_is_named() -> None:
    scenario = markov_scenario()
    catalogue = scenario.model.catalogue
    observed = ObservedSeries.from_frame(series_frame(["unemployed"], ["2021"], [180.0]), catalogue=catalogue)
    with pytest.raises(CalibrationError, match="'sick' as its from state, which the model does not have"):
        ExpectedValueCalibrator(HazardMultiplier("sick_exits", "sick->*")).fit(observed, scenario)
    with pytest.raises(CalibrationError, match="no hazard for move 'working->working'"):
        ExpectedValueCalibrator(HazardMultiplier("nothing", "working->working")).fit(observed, scenario)
    with pytest.raises(CalibrationError, match="written 'from->to'"):
        HazardMultiplier("x", "unemployed")
    with pytest.raises(CalibrationError, match="low 2.0 must be below high 1.0"):
        HazardMultiplier("x", "unemployed->*", low=2.0, high=1.0)
    with pytest.raises(CalibrationError, match="unique"):
        ExpectedValueCalibrator([UNEMPLOYED_EXITS, UNEMPLOYED_EXITS])
    with pytest.raises(CalibrationError, match="strategy 'other'"):
        ExpectedValueCalibrator(UNEMPLOYED_EXITS, strategy="other").fit(observed, scenario)
    outside = ObservedSeries.from_frame(series_frame(["unemployed"], ["2019"], [180.0]), catalogue=catalogue)
    with pytest.raises(CalibrationError, match="line 2 .outside the simulated months 2020-01 to 2022-12"):
        ExpectedValueCalibrator(UNEMPLOYED_EXITS).fit(outside, scenario)
    two = pd.concat([series_frame(["unemployed"], ["2021"], [1.0]),
                     series_frame(["unemployed"], ["2021"], [1.0]).assign(municipality="Andetby")])
    with pytest.raises(CalibrationError, match="say which municipality"):
        ExpectedValueCalibrator(UNEMPLOYED_EXITS).fit(ObservedSeries.from_frame(two, catalogue=catalogue), scenario)
    with pytest.raises(CalibrationError, match=r"replications must exceed the series fitted plus 2 \(3\) for their covariance; got 3"):
        SimulatedCalibrator(UNEMPLOYED_EXITS, replications=3).fit(observed, scenario)
    assert issubclass(CalibrationError, LabsimError)


def test_the_plan_data_with_a_negative_value_or_overlap_is_refused_before_any_fit() -> None:
    catalogue = markov_scenario().model.catalogue
    bad = series_frame(["unemployed"], ["2021", "2021-06"], [-1.0, 5.0])
    with pytest.raises(LabsimError, match=r"line 2: value must be a number of at least 0; got '-1.00'.*overlaps"):
        ObservedSeries.from_frame(bad, catalogue=catalogue)
    with pytest.raises(LabsimError, match="'unemploy' is no state \\(working, unemployed, inactive\\)"):
        ObservedSeries.from_frame(series_frame(["unemploy"], ["2021"], [1.0]), catalogue=catalogue)


def test_hjoerrings_shapes_are_a_checked_file_that_runs_can_be_held_against(tmp_path: Path) -> None:
    from labsim.calibration import ShapeSeries

    shapes = ShapeSeries.read_csv(ROOT / "calibration" / "data" / "hjoerring_2022_shapes.csv")
    assert len(shapes.frame) == 10 and shapes.frame["source"].str.contains("Beskæftigelsesplan 2022").all()
    scenario = markov_scenario()
    chain = ShapeSeries.read_csv(_write(tmp_path / "chain.csv", [
        "Testby,working,fuldtidspersoner,2020,2022,fall,,x",           # expected 1,547 → 1,385
        "Testby,inactive,fuldtidspersoner,2020,2022,rise,,x",          # expected 240 → 415
        "Testby,unemployed,persons,2020-01,2022-12,ratio_below,0.5,x",
        "Testby,working,fuldtidspersoner,2020,2021,unchanged,0.1,x",
        "Testby,working,fuldtidspersoner,2019,2021,rise,,x",            # before the run: not checked
    ]), catalogue=scenario.model.catalogue)
    runs = [scenario.run(replicate=k) for k in range(3)]
    table = chain.check(runs)
    expected = expected_path(scenario).stocks
    assert table.loc[0, "share_holding"] == 1.0 and table.loc[1, "share_holding"] == 1.0
    assert table.loc[2, "share_holding"] == 0.0  # 250 → about 200 persons: not halved
    assert table.loc[3, "ratio"] == pytest.approx(expected[12:24, 0].mean() / expected[:12, 0].mean(), abs=0.02)
    assert table.loc[3, "runs"] == 3 and np.isnan(table.loc[4, "share_holding"]) and table.loc[4, "runs"] == 0
    with pytest.raises(LabsimError, match="at least one run; got none"):
        chain.check([])
    with pytest.raises(LabsimError) as caught:
        ShapeSeries.read_csv(_write(tmp_path / "bad.csv", [
            "Testby,unemployed,percent,2021,2020,grow,,",
            "Testby,nobody,fuldtidspersoner,2020,2021,unchanged,,x",
        ]), catalogue=scenario.model.catalogue)
    message = str(caught.value)
    for part in ("line 2: source must not be empty", "line 2: unit must be 'fuldtidspersoner' or 'persons'; got 'percent'",
                 "line 2: 'to' ('2020') must come after 'from' ('2021')", "relation must be one of",
                 "line 3: measure 'nobody'", "line 3: relation 'unchanged' needs a positive value; got ''"):
        assert part in message, part


def _write(path: Path, rows: list[str]) -> Path:
    path.write_text("municipality,measure,unit,from,to,relation,value,source\n" + "\n".join(rows) + "\n",
                    encoding="utf-8")
    return path


def test_a_balanced_scenario_is_calibrated_on_top_of_its_balance_and_the_file_carries_it(tmp_path: Path) -> None:
    # A municipality starting from labsim's default hazards (balanced to its start) fits its own series: the fit
    # moves the balanced model, and a scenario on the fitted file runs exactly that model, unbalanced again.
    text = """[scenario]\nname = "eksempelby"\nstart = "2022-01"\nend = "2023-12"\nseed = 3\n[population]
inhabitants = 20000\n[strategies.baseline]\n"""
    scenario = labsim.scenario_from_text(text)
    assert scenario.balanced
    names = ["kontanthjaelp_jobparat", "kontanthjaelp_aktivitetsparat"]
    path = expected_path(scenario)
    level = path.stocks[12:, [scenario.model.catalogue.code(n) for n in names]].sum(axis=1).mean()
    place = scenario.profile.name  # the data are the profile's municipality's own
    frame = series_frame(["+".join(names)], ["2023"], [0.8 * level]).assign(municipality=place)
    observed = ObservedSeries.from_frame(frame, catalogue=scenario.model.catalogue)
    fit = ExpectedValueCalibrator([HazardMultiplier("kh", "kontanthjaelp_aktivitetsparat->*")],
                                  municipality=place).fit(observed, scenario)
    assert fit.balance_ is scenario.rate_balance() and fit.params_["kh"] > 1.0
    assert np.array_equal(fit.model_.inflows, scenario.run_model().inflows)  # the balance is kept, not solved again
    file = write_fitted(fit, tmp_path / "fitted.toml", data_name="test")
    written = tomllib.loads(file.read_text(encoding="utf-8"))
    assert written["meta"]["calibration"]["balanced"] is True and len(written["balance"]) > 10
    assert tomllib.loads(fit.balance_.patch_text())["balance"] == written["balance"]
    frame = labsim.compare(scenario, replications=1).balance  # what a comparison writes as balance.csv
    assert len(frame) >= len(written["balance"]) and set(frame["state"]) >= {row["state"] for row in written["balance"]}
    again = labsim.scenario_from_text(text + '[model]\npatches = ["fitted.toml"]\n', base=tmp_path)
    assert again.calibrated_to == place and not again.balanced  # its own fit: not balanced again
    model = again.run_model()
    np.testing.assert_allclose(model.inflows, fit.model_.inflows, rtol=1e-12)  # written to full precision
    np.testing.assert_allclose(model.age_log_effect, fit.model_.age_log_effect, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(model.hazard, fit.model_.hazard, rtol=1e-5)


@pytest.mark.parametrize(("row", "words"), [
    ('band = "25-35"', "balance[0].band must be one of the model's age bands"),
    ('state = "nowhere"', "balance[0].state"),
    ("into = 0.0", "balance[0].into"),
])
def test_a_balance_in_a_model_file_is_checked(row: str, words: str) -> None:
    from labsim.io.model_file import model_from_dict

    rows = {"band": '"25-29"', "state": '"kontanthjaelp_jobparat"', "into": "1.5", "out_of": "1.0"}
    rows[row.split(" = ")[0]] = row.split(" = ")[1]
    balance = tomllib.loads("[[balance]]\n" + "\n".join(f"{k} = {v}" for k, v in rows.items()))
    tables = merge_default(balance)
    with pytest.raises(labsim.errors.ValidationError, match=words.replace("[", r"\[").replace("]", r"\]")):
        model_from_dict(tables)


def merge_default(tables: dict[str, object]) -> dict[str, object]:
    from labsim.io.model_file import DEFAULT_MODEL_FILE
    from labsim.io.text import merge_tables, packaged_text, parse_toml

    return merge_tables(parse_toml(packaged_text(DEFAULT_MODEL_FILE), "default", labsim.errors.ModelError), tables)


def test_the_balances_of_stacked_patches_multiply() -> None:
    from labsim.io.model_file import merge_patch, model_from_dict

    row = {"band": "25-29", "state": "kontanthjaelp_jobparat", "into": 2.0, "out_of": 1.0}
    once = merge_patch(merge_default({}), {"balance": [row]})
    twice = merge_patch(once, {"balance": [{**row, "into": 1.5}]})
    assert len(twice["balance"]) == 2  # type: ignore[arg-type]
    model = labsim.default_model()
    band, state = model.ages.band_labels().index("25-29"), model.catalogue.code("kontanthjaelp_jobparat")
    assert model_from_dict(twice).inflows[band, state] == pytest.approx(np.log(3.0) + model.inflows[band, state])
