"""A scenario file's ``[jobcenter]``: every key reads back into :class:`labsim.Jobcenter` with the file's values and
the classes' defaults; a bad value is a problem naming its dotted path and the value, every problem at once; an
effort's ``team`` must be one of the file's teams; ``extends`` merges the section key by key; ``--set`` reaches
every value by its path."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import labsim
from labsim.cli import main
from labsim.io.scenario_file import ScenarioError, scenario_from_text

FULL = """
[scenario]
name = "jobcenter"
start = "2022-01"
end = "2023-12"
replications = 1

[population]
inhabitants = 2000

[jobcenter.teams.aktivitetsparate]
states = ["kontanthjaelp_aktivitetsparat"]
caseworkers = 11
changes = { "2023-01" = 15 }
caseload = 40
cadence_months = 2
first_meeting_by_month = 1
reference_caseload = 90
contact_effect = 1.3
source = "Hjørring, DOMAIN.md §5.2"

[jobcenter.teams.far_from_work]
states = ["ledighedsydelse", "ressourceforloeb"]
caseworkers = 4.5

[jobcenter.rehabiliteringsteam]
meeting_every_months = 2
cases_per_meeting = 30
preparers = 3
preparation_months = 0.2
source = "assumed"

[jobcenter.courses.voksenlaerling]
states = ["a_dagpenge"]
seats = 30
intakes = ["2022-07", "2022-01"]
duration_months = 6
effect_during = 0.8
effect_after = 1.2
after_months = 10
cost_per_participant_month = 2500
source = "H10"

[strategies.none]

[strategies.hj]
efforts = [{ effort = "hjoerring_caseload", team = "aktivitetsparate", caseworkers = 5 }]
"""

EXPECTED = labsim.Jobcenter(
    teams=(labsim.CaseworkerTeam(name="aktivitetsparate", states=("kontanthjaelp_aktivitetsparat",), caseworkers=11,
                                 changes={"2023-01": 15}, caseload=40, cadence_months=2, first_meeting_by_month=1,
                                 reference_caseload=90, contact_effect=1.3, source="Hjørring, DOMAIN.md §5.2"),
           labsim.CaseworkerTeam(name="far_from_work", states=("ledighedsydelse", "ressourceforloeb"),
                                 caseworkers=4.5)),
    rehabiliteringsteam=labsim.RehabTeam(meeting_every_months=2, cases_per_meeting=30, preparers=3,
                                         preparation_months=0.2, source="assumed"),
    courses=(labsim.CourseIntake(name="voksenlaerling", states=("a_dagpenge",), seats=30, intakes=("2022-01", "2022-07"),
                                 duration_months=6, effect_during=0.8, effect_after=1.2, after_months=10,
                                 cost_per_participant_month=2500, source="H10"),),
)


def _write(folder: Path, text: str, name: str = "s.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(text: str) -> dict[str, str]:
    """Each problem of ``text`` as it reads, by its path."""
    with pytest.raises(ScenarioError) as caught:
        scenario_from_text(text, "s.toml")
    return {p.path: str(p) for p in caught.value.problems}


def test_every_key_validates_and_reads_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, FULL)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "jobcenter: valid" in out
    assert ("  jobcenter: teams aktivitetsparate (11 caseworkers at a norm of 40), far_from_work (4.5 caseworkers at a "
            "norm of 35); rehabiliteringsteam (30 cases a meeting, 3 preparers); courses voksenlaerling (30 seats)") in out
    scenario = labsim.read_scenario(path)
    assert scenario.jobcenter == EXPECTED
    team = scenario.jobcenter.teams[0]
    assert team.caseworkers_at(labsim.parse_month("2022-12")) == 11
    assert team.caseworkers_at(labsim.parse_month("2023-01")) == 15
    assert "[jobcenter.teams.aktivitetsparate]" in scenario.text


def test_left_out_keys_take_the_classes_defaults() -> None:
    text = FULL.split("[jobcenter.teams.aktivitetsparate]")[0] + """
[jobcenter.teams.aktivitetsparate]
states = ["kontanthjaelp_aktivitetsparat"]
caseworkers = 7

[jobcenter.rehabiliteringsteam]

[jobcenter.courses.kursus]
states = ["a_dagpenge"]
seats = 5
intakes = ["2022-03"]
duration_months = 2

[strategies.none]
"""
    jobcenter = scenario_from_text(text, "s.toml").jobcenter
    assert jobcenter == labsim.Jobcenter(
        teams=(labsim.CaseworkerTeam(name="aktivitetsparate", states=("kontanthjaelp_aktivitetsparat",),
                                     caseworkers=7),),
        rehabiliteringsteam=labsim.RehabTeam(),
        courses=(labsim.CourseIntake(name="kursus", states=("a_dagpenge",), seats=5, intakes=("2022-03",),
                                     duration_months=2),))


def test_a_file_without_the_section_has_an_empty_jobcenter() -> None:
    text = FULL.split("[jobcenter.teams.aktivitetsparate]")[0] + "[strategies.none]\n"
    assert scenario_from_text(text, "s.toml").jobcenter.empty


BAD = [
    ("negative caseworkers", "caseworkers = 11", "caseworkers = -1",
     "jobcenter.teams.aktivitetsparate.caseworkers: must be a number from 0 to 10,000,000 (got -1)"),
    ("caseload 0", "caseload = 40", "caseload = 0",
     "jobcenter.teams.aktivitetsparate.caseload: must be a number in (0, 10,000,000] (got 0)"),
    ("reference below caseload", "reference_caseload = 90", "reference_caseload = 30",
     "jobcenter.teams.aktivitetsparate.reference_caseload: must exceed caseload (40)"),
    ("cadence not whole", "cadence_months = 2", "cadence_months = 1.5",
     "jobcenter.teams.aktivitetsparate.cadence_months: must be a whole number from 1 to 120 (got 1.5)"),
    ("contact_effect negative", "contact_effect = 1.3", "contact_effect = -0.5",
     "jobcenter.teams.aktivitetsparate.contact_effect: must be a multiplier from 0 to 100 (got -0.5)"),
    ("unknown key", "cadence_months = 2", "cadence_months = 2\ncasload = 30",
     "jobcenter.teams.aktivitetsparate.casload: is not a key labsim knows (extra inputs are not permitted); the keys "
     "here are states, caseworkers, changes, caseload, cadence_months"),
    ("unknown state", 'states = ["kontanthjaelp_aktivitetsparat"]', 'states = ["kontanthjaelp"]',
     "jobcenter.teams.aktivitetsparate.states[0]: unknown state"),
    ("bad month in changes", '"2023-01" = 15', '"2023-13" = 15',
     "jobcenter.teams.aktivitetsparate.changes.2023-13: must be a month like '2024-01'"),
    ("negative change", '"2023-01" = 15', '"2023-01" = -15',
     "jobcenter.teams.aktivitetsparate.changes.2023-01: must be a number from 0 to 10,000,000 (got -15)"),
    ("two teams follow one state", '"ledighedsydelse", "ressourceforloeb"',
     '"ledighedsydelse", "kontanthjaelp_aktivitetsparat"',
     "jobcenter.teams.far_from_work.states[1]: is followed by team 'aktivitetsparate' too"),
    ("a team name a path cannot name", "[jobcenter.teams.far_from_work]", '[jobcenter.teams."far.from.work"]',
     "jobcenter.teams.far.from.work: must be a name without '.'"),
    ("preparers 0", "preparers = 3", "preparers = 0",
     "jobcenter.rehabiliteringsteam.preparers: must be a whole number from 1 to 1,000,000 (got 0)"),
    ("rehab unknown key", "preparers = 3", "preparers = 3\nmembers = 5",
     "jobcenter.rehabiliteringsteam.members: is not a key labsim knows"),
    ("seats 0", "seats = 30", "seats = 0",
     "jobcenter.courses.voksenlaerling.seats: must be a whole number from 1 to 10,000,000 (got 0)"),
    ("seats missing", "seats = 30", "",
     "jobcenter.courses.voksenlaerling.seats: field required"),
    ("intake outside the run", '"2022-07", "2022-01"', '"2022-07", "2031-01"',
     "jobcenter.courses.voksenlaerling.intakes[1]: must fall within the run (2022-01 to 2023-12) (got '2031-01')"),
    ("intake not a month", '"2022-07", "2022-01"', '"2022-07", "July"',
     "jobcenter.courses.voksenlaerling.intakes[1]: must be a month like '2024-01'"),
    ("effect_after negative", "effect_after = 1.2", "effect_after = -1",
     "jobcenter.courses.voksenlaerling.effect_after: must be a multiplier from 0 to 100 (got -1)"),
    ("effort team missing", 'team = "aktivitetsparate"', 'team = "aktiv"',
     "strategies.hj.efforts[0].team: must name a caseworker team of the file's [jobcenter.teams] "
     "(aktivitetsparate, far_from_work) (got 'aktiv')"),
]


@pytest.mark.parametrize(("old", "new", "expected"), [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_a_bad_value_is_named_with_its_path_and_value(old: str, new: str, expected: str, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert old in FULL
    text = FULL.replace(old, new, 1)
    problems = _problems(text)
    path = expected.split(": ")[0]
    assert path in problems, problems
    assert problems[path].startswith(expected), problems[path]
    assert main(["validate", str(_write(tmp_path, text))]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("labsim: error: ") and expected in err


def test_an_effort_whose_default_team_the_file_lacks_is_named() -> None:
    text = FULL.replace('team = "aktivitetsparate", ', "").replace("teams.aktivitetsparate]", "teams.aktiv]")
    problems = _problems(text)
    assert set(problems) == {"strategies.hj.efforts[0].team"}
    assert "the entry does not set team, so it is the effort's default" in problems["strategies.hj.efforts[0].team"]
    assert "(got 'aktivitetsparate')" in problems["strategies.hj.efforts[0].team"]


def test_an_effort_that_adds_seats_to_a_course_the_file_lacks_is_named() -> None:
    good = FULL + '\n[strategies.seats]\nefforts = [{ effort = "uddannelsesloeft", intake = "voksenlaerling", seats = 5 }]\n'
    scenario = scenario_from_text(good, "s.toml")
    assert scenario.strategies["seats"]["uddannelsesloeft"].capacity.intake == "voksenlaerling"
    problems = _problems(good.replace('intake = "voksenlaerling"', 'intake = "vl"'))
    assert problems == {"strategies.seats.efforts[0].intake": "strategies.seats.efforts[0].intake: must name a course "
                        "of the file's [jobcenter.courses] (voksenlaerling) (got 'vl')"}


def test_an_effort_of_a_base_strategy_is_named_once() -> None:
    text = FULL.replace('team = "aktivitetsparate"', 'team = "aktiv"') + '\n[strategies.more]\nbase = "hj"\n'
    assert [path for path in _problems(text) if path.endswith(".team")] == ["strategies.hj.efforts[0].team"]


def test_every_problem_is_reported_at_once() -> None:
    text = (FULL.replace("caseworkers = 11", "caseworkers = -1").replace("caseload = 40", "caseload = 0")
            .replace("contact_effect = 1.3", "contact_effect = -1").replace('"2023-01" = 15', '"2023-13" = 15')
            .replace("preparers = 3", "preparers = 0").replace("seats = 30", "seats = 0")
            .replace('"2022-07", "2022-01"', '"2022-07", "2031-01"').replace('team = "aktivitetsparate"',
                                                                              'team = "aktiv"'))
    with pytest.raises(ScenarioError) as caught:
        scenario_from_text(text, "s.toml")
    paths = [p.path for p in caught.value.problems]
    team = "jobcenter.teams.aktivitetsparate"
    assert set(paths) == {f"{team}.caseworkers", f"{team}.caseload", f"{team}.contact_effect",
                          f"{team}.changes.2023-13", "jobcenter.rehabiliteringsteam.preparers",
                          "jobcenter.courses.voksenlaerling.seats", "jobcenter.courses.voksenlaerling.intakes[1]",
                          "strategies.hj.efforts[0].team"}
    assert len(paths) == len(set(paths))
    assert str(caught.value).startswith("s.toml: 8 problems: ")


def test_a_team_or_course_that_is_not_a_table_is_named() -> None:
    text = FULL.split("[jobcenter.teams.aktivitetsparate]")[0] + """
[jobcenter]
teams = { aktivitetsparate = 5 }
courses = [1]

[strategies.none]
"""
    problems = _problems(text)
    assert set(problems) == {"jobcenter.teams.aktivitetsparate", "jobcenter.courses"}


def test_a_child_file_overrides_one_key_of_a_team(tmp_path: Path) -> None:
    _write(tmp_path, FULL, "parent.toml")
    child = _write(tmp_path, 'extends = "parent.toml"\n[jobcenter.teams.aktivitetsparate]\ncaseworkers = 14\n'
                             '[jobcenter.courses.voksenlaerling]\nintakes = ["2023-01"]\n', "child.toml")
    jobcenter = labsim.read_scenario(child).jobcenter
    team = jobcenter.teams[0]
    assert team.caseworkers == 14 and team.caseload == 40 and team.changes == {"2023-01": 15}
    assert jobcenter.courses[0].intakes == ("2023-01",) and jobcenter.courses[0].seats == 30  # a list is replaced
    assert jobcenter.teams[1] == EXPECTED.teams[1] and jobcenter.rehabiliteringsteam == EXPECTED.rehabiliteringsteam


SET = [
    ("jobcenter.teams.aktivitetsparate.caseworkers", 14, lambda j: j.teams[0].caseworkers),
    ("jobcenter.teams.aktivitetsparate.changes.2023-01", 9, lambda j: j.teams[0].changes["2023-01"]),
    ("jobcenter.teams.far_from_work.contact_effect", 1.5, lambda j: j.teams[1].contact_effect),
    ("jobcenter.rehabiliteringsteam.preparers", 6, lambda j: j.rehabiliteringsteam.preparers),
    ("jobcenter.courses.voksenlaerling.seats", 12, lambda j: j.courses[0].seats),
]


@pytest.mark.parametrize(("path", "value", "read"), SET, ids=[case[0] for case in SET])
def test_a_path_sets_a_value_of_the_jobcenter(path: str, value: float, read: Callable[[labsim.Jobcenter], Any],
                                             tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = scenario_from_text(FULL, "s.toml")
    assert read(scenario.vary({path: value}).jobcenter) == value
    assert main(["validate", str(_write(tmp_path, FULL)), "--set", f"{path}={value}"]) == 0
    assert "valid" in capsys.readouterr().out


@pytest.mark.parametrize(("setting", "expected"), [
    ("jobcenter.teams.aktivitetsparate.caseworkers=-2",
     "path 'jobcenter.teams.aktivitetsparate.caseworkers': caseworker team 'aktivitetsparate'.caseworkers must be a "
     "number from 0 to 10,000,000; got -2."),
    ("jobcenter.teams.aktiv.caseworkers=2", "path 'jobcenter.teams.aktiv.caseworkers': 'aktiv' is neither"),
    ("jobcenter.courses.voksenlaerling.seats=0", "course 'voksenlaerling'.seats must be a whole number"),
    ('jobcenter.courses.voksenlaerling.intakes=["2031-01"]', "has an intake at 2031-01, outside the run"),
    ('jobcenter.teams.aktivitetsparate.states=["kontanthjaelp"]', "got 'kontanthjaelp'"),
    ("efforts.hjoerring_caseload.team=aktiv", "adds caseworkers to team 'aktiv', which the jobcenter does not have"),
], ids=["negative", "no such team", "seats 0", "intake outside", "unknown state", "effort team"])
def test_a_bad_setting_is_named(setting: str, expected: str, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(_write(tmp_path, FULL)), "--set", setting]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and expected in err, err


def test_the_record_of_a_run_keeps_the_section_and_the_settings() -> None:
    text = FULL.replace('end = "2023-12"', 'end = "2022-03"').replace('"2022-07", "2022-01"', '"2022-01"')
    scenario = scenario_from_text(text, "s.toml").vary({"jobcenter.teams.aktivitetsparate.caseworkers": 12})
    result = labsim.compare(scenario, replications=1)
    manifest = json.loads(json.dumps(result.manifest()))
    assert manifest["settings"] == {"jobcenter.teams.aktivitetsparate.caseworkers": 12}
    assert "[jobcenter.rehabiliteringsteam]" in manifest["scenario_text"]
