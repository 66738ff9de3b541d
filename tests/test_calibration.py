"""Observed series: the plans' values as a checked series file, and every problem of a bad one named."""

from __future__ import annotations

from pathlib import Path

import pytest

import labsim
from labsim.calibration import ObservedError, ObservedSeries
from labsim.results import Period

ROOT = Path(__file__).resolve().parents[1]
BROENDERSLEV = ROOT / "calibration" / "data" / "broenderslev_2021.csv"


def test_the_plan_values_are_a_valid_series_file_that_matches_the_scenario() -> None:
    series = ObservedSeries.read_csv(BROENDERSLEV)
    assert series.municipalities() == ["Brønderslev"] and len(series.frame) == 18
    assert series.frame["source"].str.startswith("Beskæftigelsesplan 2021 p.").all()
    observed = {o.name: o for o in series.to_observed()}
    assert "unemployment_rate" not in observed  # context only: labsim does not simulate it
    scenario = labsim.read_scenario(ROOT / "scenarios" / "broenderslev_2021.toml")
    in_scenario = {o.name: dict(o.values) for o in scenario.observed}
    assert dict(observed["kontanthjaelp_jobparat+kontanthjaelp_aktivitetsparat"].values) == in_scenario["kontanthjaelp"]
    target_group = "kontanthjaelp_aktivitetsparat+ledighedsydelse+uddannelseshjaelp_aktivitetsparat+ressourceforloeb"
    assert dict(observed[target_group].values) == in_scenario["target_group"]


def test_periods_read_months_quarters_years_and_spans() -> None:
    q3 = Period.parse("2021Q3")
    assert (q3.first, q3.last, q3.text) == (labsim.parse_month("2021-07"), labsim.parse_month("2021-09"), "2021Q3")
    assert Period.parse("2020-01..2020-09").n_months == 9 and Period.parse("2019").n_months == 12


def test_a_bad_series_file_lists_every_problem_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("""# a comment keeps the line numbers right
municipality,period,measure,kind,value,unit,source
X,2019,kontanthjaelp_jobparat,stock,10,fuldtidspersoner,p.1
X,2019-06,kontanthjaelp_jobparat,stock,12,fuldtidspersoner,p.2
X,2019,kontanthjalp,stock,-3,fuldtidspersoner,
X,2019-13,a_dagpenge,stok,1,people,p.3
X,2020,unemployment_rate,stock,4.2,fuldtidspersoner,p.4
""", encoding="utf-8")
    with pytest.raises(ObservedError) as caught:
        ObservedSeries.read_csv(bad)
    problems = caught.value.problems
    assert len(problems) == 8
    expected = ["line 5: source must not be empty", "line 5: measure 'kontanthjalp'", "line 5: value must be a number "
                "of at least 0; got '-3'", "line 6: period", "line 6: kind", "line 6: unit", "line 7: measure "
                "'unemployment_rate': a context measure is in percent", "line 4: period '2019-06' overlaps line 3"]
    for words in expected:
        assert any(p.startswith(words) for p in problems), words
    with pytest.raises(ObservedError, match="missing columns \\['unit'\\]"):
        ObservedSeries.read_csv(_write(tmp_path / "cols.csv", "municipality,period,measure,kind,value,source\n"))
    with pytest.raises(ObservedError, match="no such file"):
        ObservedSeries.read_csv(tmp_path / "nowhere.csv")
    with pytest.raises(ObservedError, match="line 2: 3 fields"):
        ObservedSeries.read_csv(_write(tmp_path / "short.csv", "municipality,period,measure,kind,value,unit,source\n"
                                       "X,2019,employed\n"))


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
