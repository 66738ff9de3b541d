"""Scenarios, targets and money: refund bands by hand, net cost, target probabilities, paired comparisons,
scenario files (every problem at once, inheritance), the CLI and the seeds' scenarios."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import labsim
from labsim.calibration import ObservedSeries
from labsim.calibration.series import fit_series, run_arrays, series_values
from labsim.cli import main as cli
from labsim.core.cell_table import CellLayout
from labsim.core.ledger import Ledger
from labsim.experiments import compare
from labsim.experiments.compare import _payback
from labsim.io.scenario_file import ScenarioError, read_scenario, scenario_from_text
from labsim.policy import Strategy, library
from labsim.results import (
    BenefitRates,
    Measure,
    MeasureKind,
    MoneyItem,
    Period,
    Rate,
    Run,
    Target,
    danish_rates,
    summarise_target,
)
from labsim.simulation import Scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
KH = ("kontanthjaelp_jobparat", "kontanthjaelp_aktivitetsparat")
WEEKS = 52 / 12


# --- money: the refund staircase on hand-computed cases (DOMAIN.md §3.1) -------------------------------------

def _ledger_run(model: labsim.TransitionModel, state: str, months: int, start: str = "2022-01") -> Run:
    """A run whose ledger holds one person on ``state`` from their first month on support for ``months`` months."""
    layout = CellLayout.for_model(model)
    ledger = Ledger(layout, months)
    code = model.catalogue.code(state)
    for t in range(months):
        ledger.stocks[t, code, 0] = 1
        ledger.support_months[t, code, min(t + 1, 13)] = 1
    empty = labsim.Population.from_counts({state: 0}, catalogue=model.catalogue)
    return Run(catalogue=model.catalogue, start_month=labsim.parse_month(start), ledger=ledger,
               final_population=empty, seed={})


def test_refund_bands_on_fourteen_months_of_kontanthjaelp_by_hand(model: labsim.TransitionModel) -> None:
    rate = danish_rates().monthly("kontanthjaelp_aktivitetsparat", 2022)  # its mix of DOMAIN.md §3's rates
    run = _ledger_run(model, "kontanthjaelp_aktivitetsparat", 14)
    frame = run.benefits(freq="month")
    mine = frame[frame["state"] == "kontanthjaelp_aktivitetsparat"]
    month1 = (4 * 0.80 + (WEEKS - 4) * 0.40) / WEEKS  # weeks 0–4⅓: 4 weeks at 80 %, ⅓ week at 40 %
    by_hand = [month1] + [0.40] * 5 + [0.30] * 6 + [0.20] * 2  # months 2–6 in weeks 5–26; 7–12 in 27–52; then 53+
    assert month1 == pytest.approx(10 / 13)
    indexed = [rate] * 12 + [rate * 1.0194] * 2  # 2023 is one year of satsregulering later (1.94 %)
    expected_refund = [share * r for share, r in zip(by_hand, indexed, strict=True)]
    assert mine["refund_dkk"].to_numpy() == pytest.approx(expected_refund, rel=1e-12)
    assert mine["benefits_dkk"].to_numpy() == pytest.approx(indexed, rel=1e-12)
    assert mine["net_cost_dkk"].to_numpy() == pytest.approx(np.subtract(indexed, expected_refund), rel=1e-12)
    yearly = run.benefits(freq="year")
    row = yearly[(yearly["state"] == "kontanthjaelp_aktivitetsparat") & (yearly["period"] == pd.Period("2022", "Y"))]
    assert float(row["refund_dkk"].iloc[0]) == pytest.approx(rate * (10 / 13 + 5 * 0.4 + 6 * 0.3), rel=1e-12)


def test_dagpenge_cofinancing_is_the_mirror_image(model: labsim.TransitionModel) -> None:
    run = _ledger_run(model, "a_dagpenge", 13)
    frame = run.benefits(freq="month")
    mine = frame[frame["state"] == "a_dagpenge"]
    municipal = (mine["net_cost_dkk"] / mine["benefits_dkk"]).to_numpy()
    # the municipality pays 20 / 60 / 70 / 80 % (DOMAIN.md §3.1)
    assert municipal == pytest.approx([3 / 13] + [0.6] * 5 + [0.7] * 6 + [0.8], rel=1e-12)


def test_net_cost_is_gross_minus_refund_plus_efforts_by_hand(model: labsim.TransitionModel) -> None:
    population = labsim.Population.from_counts({("employed", "40-49"): 50}, catalogue=model.catalogue)
    effort = library.TeamAlfa(cost_per_caseworker_year=0, fixed_cost_per_year=120_000)
    run = labsim.simulate(population, model, start="2022-01", end="2022-12", seed=1,
                          strategy=Strategy("fixed", [effort]))
    money = run.money().set_index("item")["dkk"]
    benefits = run.benefits()
    assert money["effort_cost"] == pytest.approx(120_000)
    assert money["benefits"] == pytest.approx(benefits["benefits_dkk"].sum())
    assert money["refund"] == pytest.approx(benefits["refund_dkk"].sum())
    assert money["net_cost"] == pytest.approx(money["benefits"] - money["refund"] + 120_000, rel=1e-12)
    assert list(run.money()["item"].cat.categories) == list(MoneyItem)
    # and on the hand-computed ledger: 12 months of kontanthjælp from the first month, no efforts
    hand = _ledger_run(model, "kontanthjaelp_aktivitetsparat", 12).money().set_index("item")["dkk"]
    rate = danish_rates().monthly("kontanthjaelp_aktivitetsparat", 2022)
    gross = 12 * rate
    refund = rate * (10 / 13 + 5 * 0.4 + 6 * 0.3)
    assert (hand["benefits"], hand["refund"], hand["effort_cost"], hand["net_cost"]) == pytest.approx(
        (gross, refund, 0.0, gross - refund))


def test_person_months_in_the_money_are_the_stocks(model: labsim.TransitionModel,
                                                  small_population: labsim.Population) -> None:
    run = labsim.simulate(small_population, model, start="2022-01", end="2023-12", seed=3)
    benefits = run.benefits(freq="month")
    stocks = run.stocks()
    paid = [name for name, rate in danish_rates().rates.items() if rate.refunded]
    assert set(benefits["state"].astype(str)) == set(paid)
    employer = run.ledger.support_months[:, :, 0].sum()  # the employer pays a sickness spell's first month
    counted = stocks[stocks["state"].isin(paid)]["persons"].sum() - employer
    assert benefits["person_months"].sum() == pytest.approx(counted)


def test_rates_index_forward_and_errors_name_the_rate() -> None:
    from labsim.results import REFUND_BANDS, REFUND_SHARES

    assert len(REFUND_SHARES) == len(REFUND_BANDS)
    rates = danish_rates()
    mix_2020 = 0.75 * 6_331 + 0.25 * 2_728  # living away / at home (DOMAIN.md §3)
    indexed = mix_2020 * 1.0126 * 1.0015 * 1.0194  # 2021, 2022 and 2023's satsregulering
    assert rates.monthly("uddannelseshjaelp_uddannelsesparat", 2023) == pytest.approx(indexed)
    assert rates.monthly("employed", 2030) == 0.0
    with pytest.raises(labsim.ValidationError, match="Rate.dkk"):
        Rate(-1, 2022)
    with pytest.raises(labsim.ValidationError, match="got 12000"):
        rates.with_rates(a_dagpenge=12000)  # type: ignore[arg-type]
    assert "a_dagpenge" not in rates.with_rates(a_dagpenge=None).rates
    with pytest.raises(labsim.ValidationError, match="unknown states"):
        BenefitRates({"kontanthjaelp": Rate(1, 2022)}).check(labsim.danish_catalogue())


# --- targets ---------------------------------------------------------------------------------------------------

def test_target_probability_is_one_when_always_met_and_zero_when_never() -> None:
    target = Target("kh", Measure("fte", KH), "<", 300, Period.parse("2022"))
    assert summarise_target(target, [100, 200, 299.9])["probability"] == 1.0
    assert summarise_target(target, [300, 400, 500])["probability"] == 0.0
    row = summarise_target(target, list(range(1, 101)))
    assert row["median"] == 50.5 and row["low"] == pytest.approx(5.95) and row["high"] == pytest.approx(95.05)


def test_periods_and_measures_check_their_input() -> None:
    assert Period.parse("2020-01..2020-09").n_months == 9
    assert Period.parse(2021).n_months == 12
    with pytest.raises(labsim.CalendarError, match="2024-13"):
        Period.parse("2024-13")
    with pytest.raises(labsim.ValidationError, match="needs states"):
        Measure("fte")
    with pytest.raises(labsim.ValidationError, match="states\\[0\\] must name states of catalogue 'danish'.*; got "
                       "'kontanthjaelp': 'kontanthjaelp' is no state"):
        Measure("fte", ("kontanthjaelp",)).state_codes(labsim.danish_catalogue())
    codes = Measure("fte", ("broenderslev:permanente",)).state_codes(labsim.danish_catalogue())
    assert {labsim.danish_catalogue().names[c] for c in codes} == {"fleksjob", "foertidspension", "seniorpension"}
    with pytest.raises(labsim.ValidationError, match="measure must be one of fte, persons, .*; got 'ftes'"):
        Measure("ftes", ("employed",))
    assert Measure(MeasureKind.FTE, ("employed",)) == Measure("fte", ("employed",))


# --- a small scenario built in Python ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def small_scenario(model: labsim.TransitionModel) -> Scenario:
    profile = labsim.default_profile().scaled(4000)
    praktik = library.VirksomhedspraktikPrivate(start="2022-01", seats=60)
    return Scenario(
        name="small", model=model, profile=profile, start="2022-01", end="2024-12",
        strategies={"baseline": Strategy("baseline"), "praktik": Strategy("praktik", [praktik])},
        targets=(
            Target("always", Measure("fte", KH), "<", 1e9, Period.parse("2023")),
            Target("never", Measure("fte", KH), "<", -1, Period.parse("2023")),
            Target("cost", Measure("net_cost"), ">", 0, Period.parse("2024")),
        ),
        replications=8, seed=11,
    )


@pytest.fixture(scope="module")
def comparison(small_scenario: Scenario) -> labsim.experiments.Comparison:
    return compare(small_scenario)


def test_compare_reports_probabilities_over_replications(comparison: labsim.experiments.Comparison) -> None:
    summary = comparison.target_summary().set_index(["strategy", "target"])
    assert summary.loc[("baseline", "always"), "probability"] == 1.0
    assert summary.loc[("praktik", "always"), "probability"] == 1.0
    assert summary.loc[("baseline", "never"), "probability"] == 0.0
    assert summary.loc[("baseline", "cost"), "probability"] == 1.0
    assert (summary["replications"] == 8).all()
    assert (summary["low"] <= summary["median"]).all() and (summary["median"] <= summary["high"]).all()


def test_paired_interval_is_narrower_than_unpaired(comparison: labsim.experiments.Comparison) -> None:
    for measure in ("public_support", "net_cost"):
        diff = comparison.differences(measure)
        assert len(diff) == 3
        paired = diff["high"] - diff["low"]
        unpaired = diff["unpaired_high"] - diff["unpaired_low"]
        assert (paired < unpaired).all(), diff
    # the praktik moves people off kontanthjælp: fewer on public support, in every year's paired interval
    assert (comparison.differences("public_support")["high"] < 0).all()


def test_differences_of_a_state_a_group_and_states_joined(comparison: labsim.experiments.Comparison) -> None:
    fte = comparison.fte[comparison.fte["strategy"] == "praktik"]
    kontanthjaelp = ["kontanthjaelp_jobparat", "kontanthjaelp_aktivitetsparat"]
    joined = comparison.differences("+".join(kontanthjaelp)).set_index("period")
    expected = fte[fte["state"].isin(kontanthjaelp)].groupby(["replicate", "period"], observed=True)["fte"].sum()
    assert joined["value"].to_numpy() == pytest.approx(expected.groupby("period", observed=True).mean().to_numpy())
    one = comparison.differences("kontanthjaelp_jobparat")
    assert (one["value"] < joined["value"].to_numpy()).all()
    group = comparison.differences("jobparate")
    assert (group["value"] > one["value"]).all()  # jobparate holds kontanthjælp jobparat and a-dagpenge
    both = comparison.differences("jobparate+kontanthjaelp_aktivitetsparat")  # a group and a state joined
    assert (both["value"] > group["value"]).all()
    with pytest.raises(labsim.ValidationError, match="'kontanthjaelp' is neither"):
        comparison.differences("kontanthjaelp")


def test_business_case_adds_up(comparison: labsim.experiments.Comparison) -> None:
    case = comparison.business_case()
    assert list(case["period"].astype(str)) == ["2022", "2023", "2024"]
    assert case["saving_dkk"].to_numpy() == pytest.approx(case["baseline_net_cost_dkk"] - case["net_cost_dkk"])
    assert case["cumulative_saving_dkk"].to_numpy() == pytest.approx(np.cumsum(case["saving_dkk"]))
    net = comparison.money[comparison.money["item"] == "net_cost"].groupby(["strategy", "period"])["dkk"].mean()
    assert case["net_cost_dkk"].to_numpy() == pytest.approx(net["praktik"].to_numpy())
    effort_cost = comparison.money[comparison.money["item"] == "effort_cost"].groupby(["strategy", "period"])["dkk"]
    assert case["effort_cost_dkk"].to_numpy() == pytest.approx(effort_cost.mean()["praktik"].to_numpy())


def test_payback_is_the_first_year_the_cumulative_saving_stays_positive() -> None:
    assert _payback(np.array([-5.0, -2.0, 1.0, 3.0])) == 2
    assert _payback(np.array([-5.0, 1.0, -1.0, 3.0])) == 3
    assert _payback(np.array([-5.0, -2.0, -1.0])) is None
    assert _payback(np.array([1.0, 2.0])) == 0


def test_common_random_numbers_and_reproducibility(small_scenario: Scenario,
                                                   comparison: labsim.experiments.Comparison) -> None:
    alone = compare(small_scenario, strategies=[], replications=3)
    assert alone.strategies == ("baseline",)
    mine = comparison.fte[(comparison.fte["strategy"] == "baseline") & (comparison.fte["replicate"] < 3)]
    pd.testing.assert_frame_equal(alone.fte.reset_index(drop=True), mine.reset_index(drop=True))
    one = small_scenario.run("praktik", replicate=5)
    again = comparison.fte[(comparison.fte["strategy"] == "praktik") & (comparison.fte["replicate"] == 5)]
    pd.testing.assert_frame_equal(one.fte("year").reset_index(drop=True), again.reset_index(drop=True))
    with pytest.raises(labsim.ValidationError, match="not in scenario"):
        compare(small_scenario, strategies=["nope"])


def test_comparison_writes_csv_and_parquet(comparison: labsim.experiments.Comparison, tmp_path: Path) -> None:
    for fmt in ("csv", "parquet"):
        written = comparison.write(tmp_path / fmt, fmt)
        names = {p.name for p in written}
        assert {f"stocks.{fmt}", f"flows.{fmt}", f"money.{fmt}", f"target_summary.{fmt}",
                f"business_case.{fmt}"} <= names
        back = pd.read_csv(tmp_path / fmt / f"money.{fmt}") if fmt == "csv" else pd.read_parquet(
            tmp_path / fmt / f"money.{fmt}")
        assert set(back.columns) == {"scenario", "strategy", "replicate", "period", "item", "dkk"}
        assert len(back) == 2 * 8 * 3 * 4
    assert not list(tmp_path.glob(".*partial"))


# --- scenario files --------------------------------------------------------------------------------------------

def test_the_seeds_scenarios_are_valid() -> None:
    for name in ("broenderslev_2021.toml", "hjoerring_2022.toml", "denmark_2022.toml"):
        scenario = read_scenario(SCENARIOS / name)
        assert scenario.targets and scenario.strategies
    hj = read_scenario(SCENARIOS / "hjoerring_2022.toml")
    assert list(hj.strategies) == ["stop_2024", "continue_2041", "without_hjoerringmodellen", "ungegarantien_200"]
    assert hj.strategies["without_hjoerringmodellen"].names == ("ungegarantien", "voksenlaerling")
    stop = {e.name: e for e in hj.strategies["stop_2024"].efforts}["hjoerring_caseload"]
    assert labsim.month_label(stop.schedule.stop) == "2024-12"
    dk = read_scenario(SCENARIOS / "denmark_2022.toml")
    assert dk.profile is not None and dk.profile.inhabitants > 5_000_000


BAD = """
[scenario]
name = "bad"
start = "2022-01"
end = "2024-13"
replicatoins = 5

[strategies.base]
efforts = [{ effort = "hjoerring_casload" }]

[targets.kh]
measure = "fte"
states = ["kontanthjaelp"]
comparison = "<"
threshold = 300
period = "2023"
"""


def test_a_bad_scenario_lists_every_problem_with_its_path() -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario_from_text(BAD, "bad.toml")
    paths = {p.path for p in caught.value.problems}
    assert paths == {"scenario.end", "scenario.replicatoins", "strategies.base.efforts[0].effort",
                     "targets.kh.states[0]"}
    message = str(caught.value)
    assert message.startswith("bad.toml: 4 problems:")
    for bad in ("2024-13", "replicatoins", "hjoerring_casload", "kontanthjaelp"):
        assert bad in message


def test_more_problems_are_found_in_one_pass() -> None:
    text = """
[scenario]
name = "x"
start = "2022-01"
end = "2023-12"
baseline = "nope"
[strategies.a]
efforts = [{ effort = "ips", seets = 3 }, { effort = "ungegarantien", start = "2022-00" }]
[strategies.b]
base = "missing"
[targets.late]
measure = "fte"
states = ["fleksjob"]
comparison = "<<"
threshold = 1
period = "2030"
[targets.p]
measure = "participants"
efforts = ["voksenlaerling"]
comparison = ">"
threshold = 1
period = "2023"
[rates.states.kontanthjaelp]
dkk = 1
year = 2022
"""
    with pytest.raises(ScenarioError) as caught:
        scenario_from_text(text, "x.toml")
    paths = {p.path for p in caught.value.problems}
    assert {"scenario.baseline", "strategies.a.efforts[0].seets", "strategies.a.efforts[1].start", "strategies.b.base",
            "targets.late.comparison", "targets.late.period", "targets.p.efforts[0]",
            "rates.states.kontanthjaelp"} <= paths, paths


def test_a_variant_extends_and_overrides(tmp_path: Path) -> None:
    variant = tmp_path / "variant.toml"
    variant.write_text(f"""
extends = "{(SCENARIOS / 'broenderslev_2021.toml').as_posix()}"
[scenario]
name = "broenderslev_more_caseworkers"
replications = 3
[strategies.investeringsstrategi]
efforts = [{{ effort = "broenderslev_investment", caseworkers = 16 }}]
[targets.kontanthjaelp_2022]
threshold = 280
""", encoding="utf-8")
    scenario = read_scenario(variant, allow_outside=True)  # it extends the repository's scenario
    base = read_scenario(SCENARIOS / "broenderslev_2021.toml")
    assert scenario.name == "broenderslev_more_caseworkers" and scenario.replications == 3
    assert scenario.start == base.start and list(scenario.strategies) == list(base.strategies)
    effort = scenario.strategies["investeringsstrategi"].efforts[0]
    assert effort.capacity.caseworkers == 16  # type: ignore[attr-defined]
    targets = {t.name: t for t in scenario.targets}
    assert targets["kontanthjaelp_2022"].threshold == 280 and targets["kontanthjaelp_2021"].threshold == 300
    loop = tmp_path / "loop.toml"
    loop.write_text(f'extends = "{loop.as_posix()}"\n[scenario]\nname = "l"\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match="circle"):
        read_scenario(loop)


def test_scenario_in_python_checks_its_parts(model: labsim.TransitionModel) -> None:
    profile = labsim.default_profile()
    with pytest.raises(labsim.ValidationError, match="exactly one of profile and population"):
        Scenario(name="x", model=model, strategies=[Strategy("a")])
    with pytest.raises(labsim.ValidationError, match="baseline 'b'"):
        Scenario(name="x", model=model, profile=profile, strategies=[Strategy("a")], baseline="b")
    with pytest.raises(labsim.ValidationError, match="outside the run"):
        Scenario(name="x", model=model, profile=profile, strategies=[Strategy("a")], start="2022-01", end="2022-12",
                 targets=(Target("t", Measure("fte", KH), "<", 1, Period.parse("2030")),))
    scenario = Scenario(name="x", model=model, profile=profile, strategies=[Strategy("a"), Strategy("b")])
    assert scenario.baseline == "a" and list(scenario.strategies) == ["a", "b"]


def test_levels_set_the_starting_counts(model: labsim.TransitionModel) -> None:
    profile = labsim.default_profile().scaled(20_000)
    scenario = Scenario(name="x", model=model, profile=labsim.simulation.with_levels(profile, {"ledighedsydelse": 150}),
                        strategies=[Strategy("a")], start="2022-01", end="2022-01")
    counts = [scenario.make_population(seed).state_counts()["ledighedsydelse"] for seed in range(5)]
    assert abs(np.mean(counts) - 150) < 3 * math.sqrt(150 / 5), counts  # Poisson-like noise, 3 standard errors


# --- the command line -----------------------------------------------------------------------------------------------

def test_cli_exits_2_with_one_line_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD, encoding="utf-8")
    out = tmp_path / "out"
    for command in (["validate", str(bad)], ["run", str(bad), "--out", str(out)],
                    ["compare", str(bad), "--out", str(out)]):
        assert cli(command) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err.count("\n") == 1 and captured.err.startswith("labsim: error: ")
        assert "Traceback" not in captured.err and "4 problems" in captured.err
    assert not out.exists()
    assert cli(["run", str(SCENARIOS / "broenderslev_2021.toml"), "--strategy", "nope", "--out", str(out)]) == 2
    assert "nope" in capsys.readouterr().err and not out.exists()


def test_cli_run_prints_targets_and_money_and_writes_files(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "results"
    code = cli(["run", str(SCENARIOS / "broenderslev_2021.toml"), "--replications", "2", "--no-progress",
                "--out", str(out), "--format", "parquet"])
    text = capsys.readouterr().out
    assert code == 0
    for words in ("Targets: probability", "kontanthjaelp_2022", "Observed beside simulated", "Municipal money"):
        assert words in text
    assert (out / "target_summary.parquet").exists() and (out / "stocks.parquet").exists()
    summary = pd.read_parquet(out / "target_summary.parquet")
    assert set(summary["strategy"]) == {"without_strategy"}


# --- Brønderslev: the baseline reproduces the observed 2019 and 2020 levels -----------------------------------------

def test_broenderslev_baseline_reproduces_every_value_it_was_fitted_to_within_ten_percent() -> None:
    """The scenario applies calibration/broenderslev/fitted_hazards.toml; every series that file says it was fitted to
    (calibration/data/broenderslev_2021.csv) is reproduced within 10 % by the mean of 6 baseline runs."""
    fitted = tomllib.loads((ROOT / "calibration" / "broenderslev" / "fitted_hazards.toml").read_text(encoding="utf-8"))
    meta = fitted["meta"]["calibration"]
    assert meta["data"] == "calibration/data/broenderslev_2021.csv" and meta["converged"] is True
    data = ObservedSeries.read_csv(ROOT / meta["data"])
    scenario = read_scenario(SCENARIOS / "broenderslev_2021.toml")
    fitted_measures = [s["series"].rsplit(" ", 1)[0] for s in meta["series"]]
    series, _ = fit_series(data, scenario.model.catalogue, scenario.start, scenario.end,
                           measures=sorted(set(fitted_measures)))
    assert len(series) == len(meta["series"]) >= 10
    runs = [run_arrays(scenario.run(replicate=k)) for k in range(6)]
    simulated = np.mean([series_values(series, stocks, flows, scenario.start) for stocks, flows in runs], axis=0)
    for one, value in zip(series, simulated, strict=True):
        assert abs(value / one.value - 1) < 0.10, (one.label, one.value, value)


def test_malformed_entries_are_problems_not_crashes_and_each_is_reported_once(tmp_path: Path) -> None:
    text = """
[scenario]
name = "x"
start = "2022-01"
end = "2023-12"
replications = true
seed = "7"
[population]
inhabitants = 2000
levels = { employed = 5 }
[strategies.a]
remove = [[1]]
efforts = [{ effort = "ungegarantien", costs = 5 }]
[rates.states.a_dagpenge]
dkk = 1
[rates.states.kontanthjaelp_jobparat]
dkk = "x"
year = 2022
[model.hazards.kontanthjaelp]
employed = 0.1
"""
    with pytest.raises(ScenarioError) as caught:
        scenario_from_text(text, "x.toml", base=tmp_path)
    paths = [p.path for p in caught.value.problems]
    assert len(paths) == len(set(paths)), paths
    assert {"scenario.replications", "scenario.seed", "population.levels.employed", "strategies.a.remove[0]",
            "strategies.a.efforts[0].costs", "rates.states.a_dagpenge.year", "rates.states.kontanthjaelp_jobparat.dkk",
            "model.hazards.kontanthjaelp"} <= set(paths), paths
    assert sum(p.startswith("rates.states.kontanthjaelp_jobparat") for p in paths) == 1
    missing = f'extends = "{(tmp_path / "nope.toml").as_posix()}"\n[scenario]\nname = "y"\n'
    with pytest.raises(ScenarioError, match="extends: no such scenario file"):
        scenario_from_text(missing, "y.toml", allow_outside=True)  # nope.toml lies outside the working folder
    with pytest.raises(ScenarioError, match="population.file: no such file"):
        scenario_from_text('[scenario]\nname = "z"\nstart = "2022-01"\nend = "2022-12"\n[population]\n'
                           'file = "nope.csv"\n[strategies.a]\n', "z.toml", base=tmp_path)


def test_cli_writes_into_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    scenario = tmp_path / "s.toml"
    scenario.write_text('[scenario]\nname = "s"\nstart = "2022-01"\nend = "2022-06"\nreplications = 1\n'
                        '[population]\ninhabitants = 1500\n[strategies.a]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli(["run", "s.toml", "--no-progress", "--out", "."]) == 2  # the folder holds the user's s.toml
    assert "--force" in capsys.readouterr().err and sorted(p.name for p in tmp_path.iterdir()) == ["s.toml"]
    text = scenario.read_bytes()
    assert cli(["run", "s.toml", "--no-progress", "--out", ".", "--force"]) == 0
    assert (tmp_path / "money.csv").exists() and scenario.read_bytes() == text
    capsys.readouterr()
