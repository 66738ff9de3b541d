"""One parameter space: every knob of every built-in means the same in a file, in Python and as a sweep path, before
and after ``Scenario.replace``; a bad knob names the user's own key; the record states the values used."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import labsim
from labsim.errors import ValidationError
from labsim.io.scenario_file import ScenarioError, scenario_from_text
from labsim.paths import get_path, set_path
from labsim.policy import Effort, Strategy
from labsim.policy.library import BUILT_INS, IPS
from labsim.policy.spec import Knob

SCENARIO = """
[scenario]
name = "knobs"
start = "2022-01"
end = "2022-03"
replications = 1

[strategies.base]
efforts = [{{ effort = "{name}"{extra} }}]

[strategies.other]
base = "base"

[jobcenter.teams.aktivitetsparate]
states = ["kontanthjaelp_aktivitetsparat"]
caseworkers = 10

[jobcenter.teams.far_from_work]
states = ["ledighedsydelse"]
caseworkers = 5

[jobcenter.courses.kursus]
states = ["a_dagpenge"]
seats = 10
intakes = ["2022-02"]
duration_months = 3
"""


def _toml(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return repr(value)


def _other(item: Knob) -> Any:
    """A value of the knob other than its default, within its rule."""
    if item.evidence is not None:
        return round(item.default * 1.1 + 0.05, 4)
    if item.name == "title":
        return "Another title"
    if item.name == "start":
        return "2022-02"
    if item.name == "stop":
        return "2030-06"
    if item.name == "states":
        return ["kontanthjaelp_aktivitetsparat", "kontanthjaelp_jobparat"]
    if item.name == "share":
        return item.default / 2
    if item.name == "intake":  # the file's course
        return "kursus"
    if item.name == "team":  # the other of the file's two teams
        return "far_from_work" if item.default == "aktivitetsparate" else "aktivitetsparate"
    if item.kind == "whole number":
        return 2 if item.default is None else item.default + 3
    return item.default + 1.5


def _same(one: Effort, two: Effort) -> None:
    assert one.name == two.name and one.recipe is not None and two.recipe is not None
    assert one.params() == two.params()
    assert np.array_equal(one.multipliers, two.multipliers)
    for part in ("eligibility", "capacity", "schedule", "costs", "duration_months", "after_months", "title",
                 "evidence"):
        assert getattr(one, part) == getattr(two, part), part


KNOBS = [(name, knob) for name, spec in BUILT_INS.items() for knob in spec.knobs()]


@pytest.mark.parametrize(("name", "knob"), KNOBS, ids=[f"{n}.{k}" for n, k in KNOBS])
def test_a_knob_is_the_same_from_a_file_from_python_and_by_a_sweep_path(name: str, knob: str, model: Any) -> None:
    spec = BUILT_INS[name]
    value = _other(spec.knobs()[knob])
    python = spec(**{knob: value}).build()
    assert python.params()[knob] == (list(value) if isinstance(value, tuple) else value)
    read = scenario_from_text(SCENARIO.format(name=name, extra=f", {knob} = {_toml(value)}"), "knobs.toml")
    plain = scenario_from_text(SCENARIO.format(name=name, extra=""), "knobs.toml")
    swept = plain.vary({f"efforts.{name}.{knob}": value})
    after_replace = plain.replace(seed=3).vary({f"efforts.{name}.{knob}": value})
    in_python = labsim.Scenario(name="p", model=plain.model, profile=plain.profile, jobcenter=plain.jobcenter,
                                strategies={"base": Strategy("base", [spec()])}).vary({f"efforts.{name}.{knob}": value})
    one_strategy = plain.vary({f"strategies.base.efforts.{name}.{knob}": value})
    for scenario in (read, swept, after_replace, in_python):
        _same(scenario.strategies["base"][name], python)  # type: ignore[arg-type]
    _same(one_strategy.strategies["base"][name], python)  # type: ignore[arg-type]
    assert one_strategy.strategies["other"][name].params() == spec().params()  # type: ignore[attr-defined]
    assert get_path(swept, f"strategies.base.efforts.{name}").params()[knob] == python.params()[knob]


def test_the_effect_knob_reaches_the_step_through_one_impact_phase() -> None:
    effort = IPS(effect=1.6).build()
    assert {i.during for i in effort.impacts} == {1.6}
    assert effort.multipliers[1].max() == pytest.approx(1.6)  # the during phase of EffortPlan.multipliers
    assert effort.evidence["during"].value == pytest.approx(1.4433, abs=1e-4)  # the evidence stays the evidence


def test_a_bad_knob_in_a_file_names_the_users_key_and_value() -> None:
    text = SCENARIO.format(name="ips", extra=", effect = -1, efect = 1.6, start = \"2021-13\", caseworkers = true")
    with pytest.raises(ScenarioError) as caught:
        scenario_from_text(text, "knobs.toml")
    problems = {p.path: p for p in caught.value.problems}
    assert set(problems) == {"strategies.base.efforts[0].effect", "strategies.base.efforts[0].efect",
                             "strategies.base.efforts[0].start", "strategies.base.efforts[0].caseworkers"}
    assert str(problems["strategies.base.efforts[0].effect"]) == (
        "strategies.base.efforts[0].effect: must be a multiplier from 0 to 100 (got -1)")
    assert str(problems["strategies.base.efforts[0].efect"]).startswith(
        "strategies.base.efforts[0].efect: is not a knob of ips; its knobs are title, start, stop")
    assert problems["strategies.base.efforts[0].efect"].value == 1.6
    assert problems["strategies.base.efforts[0].caseworkers"].value is True
    assert str(caught.value).startswith("knobs.toml: 4 problems:")


def test_validate_catches_a_mistyped_knob(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from labsim.cli import main

    path = tmp_path / "s.toml"
    path.write_text(SCENARIO.format(name="ips", extra=", consultants = 4"), encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "s.toml" in err and "strategies.base.efforts[0].consultants" in err
    assert "is not a knob of ips" in err and "(got 4)" in err


def test_a_bad_sweep_path_or_value_is_named() -> None:
    plain = scenario_from_text(SCENARIO.format(name="ips", extra=""), "knobs.toml")
    with pytest.raises(ValidationError, match=r"^path 'efforts\.ips\.effect': effort 'ips'\.effect must be a "
                                              r"multiplier from 0 to 100; got -1\.$"):
        plain.vary({"efforts.ips.effect": -1})
    with pytest.raises(ValidationError, match=r"^path 'efforts\.ips\.efect': effort 'ips' has no knob 'efect'"):
        plain.vary({"efforts.ips.efect": 1.2})
    with pytest.raises(ValidationError, match=r"no strategy of scenario 'knobs' has an effort 'ipz'"):
        plain.vary({"efforts.ipz.effect": 1.2})
    with pytest.raises(ValidationError, match=r"^path 'profile\.inhabitans': MunicipalityProfile has no "
                                              r"'inhabitans'; it has name, inhabitants"):
        plain.vary({"profile.inhabitans": 1000})
    assert plain.vary({"profile.inhabitants": 1000}).profile.inhabitants == 1000  # type: ignore[union-attr]


def test_an_effort_of_ones_own_is_set_by_its_fields() -> None:
    own = labsim.Effort(name="praktik_60plus", eligibility=labsim.Eligibility(states=("a_dagpenge",), min_age=60),
                        schedule=labsim.Schedule("2023-01"), capacity=labsim.Capacity(seats=25),
                        impacts=(labsim.Impact(origins=("a_dagpenge",), destinations=("employed",), during=0.9),))
    strategy = Strategy("s", [own])
    changed = set_path(strategy, "efforts.praktik_60plus.impacts.0.during", 1.3)
    assert changed["praktik_60plus"].impacts[0].during == 1.3  # type: ignore[attr-defined]
    assert set_path(strategy, "efforts.0.capacity.seats", 40)["praktik_60plus"].capacity.seats == 40  # type: ignore[attr-defined]


def test_the_command_line_sets_a_path_as_a_sweep_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from labsim.cli import _setting, main

    path = tmp_path / "s.toml"
    path.write_text(SCENARIO.format(name="ips", extra=""), encoding="utf-8")
    assert _setting("efforts.ips.effect=1.6") == ("efforts.ips.effect", 1.6)
    assert _setting("efforts.ips.start=2023-05") == ("efforts.ips.start", "2023-05")
    assert _setting("model.hazards.a_dagpenge.employed=[0.1, 0.05]")[1] == [0.1, 0.05]
    assert main(["validate", str(path), "--set", "efforts.ips.effect=1.6", "--set", "efforts.ips.caseworkers=5"]) == 0
    capsys.readouterr()
    assert main(["validate", str(path), "--set", "efforts.ips.effect=-1"]) == 2
    assert capsys.readouterr().err == ("labsim: error: path 'efforts.ips.effect': effort 'ips'.effect must be a "
                                       "multiplier from 0 to 100; got -1.\n")
    assert main(["validate", str(path), "--set", "efforts.ips"]) == 2
    assert "write PATH=VALUE" in capsys.readouterr().err


LEVELS = """
[scenario]
name = "levels"
start = "2022-01"
end = "2022-03"
replications = 1

[population]
inhabitants = {inhabitants}

[population.levels]
kontanthjaelp_aktivitetsparat = 40

[strategies.base]
"""


def test_the_size_and_the_start_levels_mean_what_the_file_means() -> None:
    by_file = scenario_from_text(LEVELS.format(inhabitants=5000), "levels.toml")
    by_path = scenario_from_text(LEVELS.format(inhabitants=60000), "levels.toml").vary({"profile.inhabitants": 5000})
    assert by_path.profile is not None and by_file.profile is not None
    assert by_path.profile.inhabitants == by_file.profile.inhabitants == 5000
    one_d, two_d = by_file.profile.demography, by_path.profile.demography  # entry cohorts and inflows scale too
    assert one_d is not None and two_d is not None
    assert one_d.entrants_by_birth_year == pytest.approx(two_d.entrants_by_birth_year)
    assert one_d.births_per_year == pytest.approx(two_d.births_per_year)
    assert one_d.immigration is not None and two_d.immigration is not None
    assert one_d.immigration.per_year == pytest.approx(two_d.immigration.per_year)
    assert by_path.levels == by_file.levels == {"kontanthjaelp_aktivitetsparat": 40.0}
    one, two = by_file.make_population(seed=4), by_path.make_population(seed=4)
    assert np.array_equal(one.state, two.state) and np.array_equal(one.birth_month, two.birth_month)
    raised = by_file.vary({"levels.kontanthjaelp_aktivitetsparat": 80})
    code = raised.model.catalogue.code("kontanthjaelp_aktivitetsparat")
    counts = [int((s.make_population(seed=s_).state == code).sum()) for s in (by_file, raised) for s_ in range(3)]
    assert sum(counts[3:]) > 1.6 * sum(counts[:3])  # twice the level, about twice the persons
    with pytest.raises(ValidationError, match=r"'population\.inhabitants' is now 'profile\.inhabitants'"):
        by_file.vary({"population.inhabitants": 5000})


def test_a_path_is_held_to_the_rules_of_the_file() -> None:
    plain = scenario_from_text(SCENARIO.format(name="ips", extra=""), "knobs.toml")
    for path, value, words in [("seed", -1, "seed must be a whole number from 0"),
                               ("replications", 2.5, "replications must be a whole number from 1"),
                               ("name", 3, "scenario name must be text"),
                               ("danish_calendar", 1, "danish_calendar must be true or false"),
                               ("titles.base", 5, "titles.base must be text"),
                               ("profile.inhabitants", 0, "inhabitants must be a whole number from 1"),
                               ("model.hazards.employed.employed", 0.1, "a transition must change state"),
                               ("model.hazards.employed.sygedagpenge", 1e300, "must be a number from 0 to 100"),
                               ("profile", "/etc/hostname", "MunicipalityProfile")]:
        with pytest.raises(ValidationError, match=words):
            plain.vary({path: value})


def test_the_record_keeps_the_values_set_by_path() -> None:
    plain = scenario_from_text(SCENARIO.format(name="ips", extra=""), "knobs.toml")
    changed = plain.vary({"efforts.ips.effect": np.float64(1.7)}).vary({"profile.inhabitants": 3000})
    assert changed.settings == {"efforts.ips.effect": 1.7, "profile.inhabitants": 3000}
    assert type(changed.settings["efforts.ips.effect"]) is float


def test_an_effort_keeps_a_recipe_that_describes_it() -> None:
    effort = IPS(effect=1.6).build()
    longer = effort.replace(duration_months=24)  # a knob: the recipe builds the copy
    assert longer.duration_months == 24 and longer.params()["duration_months"] == 24 and longer.recipe is not None
    own = effort.replace(capacity=labsim.Capacity(seats=3))  # not a knob: an effort of its own
    assert own.recipe is None and own.params()["seats"] == 3
    with pytest.raises(TypeError):
        Effort(name="x", eligibility=effort.eligibility, schedule=effort.schedule, impacts=effort.impacts,
               recipe=IPS())  # type: ignore[call-arg]


def test_a_study_gives_the_values_at_each_point() -> None:
    from labsim.experiments import Parameter, Study

    plain = scenario_from_text(SCENARIO.format(name="ips", extra=""), "knobs.toml")
    study = Study(plain, parameters=[Parameter("strategies.base.efforts.0.effect", values=(1.1, 1.9))],
                  replications=1)
    at = study.efforts_at(1).set_index(["strategy", "effort", "knob"])["value"]
    assert at[("base", "ips", "effect")] == 1.9 and at[("other", "ips", "effect")] == pytest.approx(1.4433, abs=1e-4)
    assert study.manifest()["efforts"]["base"][0]["knobs"]["effect"] == pytest.approx(1.4433, abs=1e-4)
