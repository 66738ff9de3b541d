"""Every figure renders to PNG and shows what its frame holds: labels, series, bands (labsim.plotting)."""

from __future__ import annotations

import io

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection

import labsim
from labsim.experiments import Comparison
from labsim.plotting import (
    LABOUR_FORCE,
    TEAM_MEASURES,
    labels,
    plot_business_case,
    plot_calibration,
    plot_capacity,
    plot_fan,
    plot_intakes,
    plot_population,
    plot_queue,
    plot_stocks,
    plot_targets,
    plot_team,
    plot_waits,
)
from labsim.plotting.targets import wilson
from labsim.policy import Strategy, library

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def comparison(small_comparison: Comparison) -> Comparison:
    return small_comparison


@pytest.fixture(scope="module")
def jobcenter(model: labsim.TransitionModel) -> Comparison:
    """Two replications of two strategies, 2022–2023, in a 4,000-inhabitant municipality whose jobcenter has a team
    (4 more caseworkers from July 2022 under ``more``), a rehabiliteringsteam and a course with two intakes."""
    center = labsim.Jobcenter(
        teams=(labsim.CaseworkerTeam(name="aktivitetsparate", states=("kontanthjaelp_aktivitetsparat",),
                                     caseworkers=1),),
        rehabiliteringsteam=labsim.RehabTeam(cases_per_meeting=4, preparers=1),
        courses=(labsim.CourseIntake(name="kursus", states=("a_dagpenge",), seats=5, intakes=["2022-03", "2022-09"],
                                     duration_months=3),))
    more = library.HjoerringCaseload(caseworkers=4, start="2022-07", stop=None)
    scenario = labsim.Scenario(name="jobcenter", model=model, profile=labsim.default_profile().scaled(4000),
                               start="2022-01", end="2023-12", jobcenter=center, replications=2, seed=3,
                               strategies={"baseline": Strategy("baseline"), "more": Strategy("more", [more])})
    return labsim.compare(scenario)


def png(ax: Axes) -> bytes:
    """The axes' figure as PNG bytes."""
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png", dpi=60)
    matplotlib.pyplot.close(ax.figure)
    data = buffer.getvalue()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 2000
    return data


def test_stocks_stack_one_area_per_group_with_danish_labels(comparison: Comparison) -> None:
    ax = plot_stocks(comparison, lang="da")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["Jobparate", "Ikke-jobparate", "Permanente ydelser", "Integration"]
    assert len([c for c in ax.collections if isinstance(c, PolyCollection)]) == 4
    assert ax.get_ylabel() == "Personer" and "baseline" in ax.get_title()
    # the top of the stack is the mean over replications of every grouped state's persons in the last month
    stocks = comparison.stocks[comparison.stocks["strategy"] == "baseline"]
    grouped = [s.name for s, g in zip(labsim.danish_catalogue().states, labsim.danish_catalogue().group_of("hjoerring"),
                                      strict=True) if g is not None]
    last = stocks[stocks["month"] == stocks["month"].max()]
    expected = last[last["state"].astype(str).isin(grouped)]["persons"].sum() / 4
    vertices = ax.collections[-1].get_paths()[0].vertices
    top_at_end = vertices[vertices[:, 0] == vertices[:, 0].max(), 1].max()
    assert top_at_end == pytest.approx(expected)
    png(ax)
    every_state = plot_stocks(comparison.stocks, grouping=None, strategy="praktik")
    assert len(every_state.get_legend().get_texts()) == comparison.stocks["state"].nunique()
    png(every_state)


def test_fan_draws_a_median_and_two_bands_per_strategy(comparison: Comparison) -> None:
    ax = plot_fan(comparison, "public_support")
    assert [line.get_label() for line in ax.get_lines()] == ["baseline", "praktik"]
    assert len([c for c in ax.collections if isinstance(c, PolyCollection)]) == 4
    support = [s.name for s in labsim.danish_catalogue().states if s.public_support]
    fte = comparison.fte[(comparison.fte["strategy"] == "praktik") & comparison.fte["state"].astype(str).isin(support)]
    median = fte.groupby(["replicate", "period"], observed=True)["fte"].sum().groupby("period").median()
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), median.to_numpy())
    png(ax)
    money = plot_fan(comparison, "net_cost", strategies=["praktik"], lang="da")
    assert money.get_ylabel() == "Mio. kr." and len(money.get_lines()) == 1
    assert money.get_title().startswith("Kommunens nettoudgift")
    png(money)
    state = plot_fan(comparison.fte, "kontanthjaelp_aktivitetsparat")
    assert state.get_title().startswith("Social assistance, activity-ready")
    png(state)
    with pytest.raises(labsim.ValidationError, match="measure must be a money item .*; got 'nothing'"):
        plot_fan(comparison, "nothing")


def test_targets_show_each_probability_with_its_interval(comparison: Comparison) -> None:
    ax = plot_targets(comparison)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["fewer", "cost"]
    assert len(ax.containers) == 2  # one errorbar per strategy
    summary = comparison.target_summary()
    dots = ax.containers[1].lines[0].get_xdata()
    np.testing.assert_allclose(dots, summary[summary["strategy"] == "praktik"]["probability"])
    assert ax.get_xlim()[0] < 0 < 1 < ax.get_xlim()[1]
    png(ax)
    low, high = wilson(1.0, 6)
    assert high == 1.0 and 0.6 < low < 0.75  # all six met: the probability is still uncertain


def test_population_shows_working_age_above_labour_force(comparison: Comparison) -> None:
    ax = plot_population(comparison)
    working, labour = ax.get_lines()
    assert working.get_label().startswith("Working-age") and labour.get_label() == "Labour force"
    assert np.all(working.get_ydata() > labour.get_ydata())
    stocks = comparison.stocks[comparison.stocks["strategy"] == "baseline"]
    in_force = stocks[stocks["state"].astype(str).isin(LABOUR_FORCE)]
    yearly = in_force.groupby(["replicate", "month"], observed=True)["persons"].sum().reset_index()
    yearly["year"] = yearly["month"].dt.year
    median = yearly.groupby(["replicate", "year"])["persons"].mean().groupby("year").median()
    np.testing.assert_allclose(labour.get_ydata(), median.to_numpy())
    png(ax)


def test_business_case_bars_add_up_to_the_cumulative_line(comparison: Comparison) -> None:
    ax = plot_business_case(comparison)
    case = comparison.business_case()
    bars = [p.get_height() for p in ax.patches]
    np.testing.assert_allclose(bars, case["saving_dkk"] / 1e6)
    cumulative = [line for line in ax.get_lines() if line.get_label() == "Cumulative net saving"][0]
    np.testing.assert_allclose(cumulative.get_ydata(), np.cumsum(bars))
    assert "against baseline" in ax.get_title()
    payback = case["payback_year"].iloc[0]
    texts = [t.get_text() for t in ax.texts] + [line.get_label() for line in ax.get_lines()]
    assert (f"paid back {payback}" in texts) if payback else ("not paid back by the horizon" in texts)
    png(ax)
    marked = case.assign(payback_year="2023")
    assert "paid back 2023" in [line.get_label() for line in plot_business_case(marked, baseline="b").get_lines()]


def test_capacity_shows_places_and_use_or_says_there_are_none(comparison: Comparison) -> None:
    ax = plot_capacity(comparison, strategy="praktik")
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["virksomhedspraktik_private: capacity", "virksomhedspraktik_private: used"]
    capacity, used = ax.get_lines()
    assert np.all(capacity.get_ydata() == 60) and np.all(used.get_ydata() <= 60)
    png(ax)
    with pytest.raises(labsim.ValidationError, match=r"resources \['nope'\] are not in the capacity frame"):
        plot_capacity(comparison, strategy="praktik", resources=["nope"])
    with pytest.raises(labsim.ValidationError, match="strategy 'baseline' is not in the capacity frame"):
        plot_capacity(comparison, strategy="baseline")  # the baseline has no effort, so no capacity rows
    empty = plot_capacity(comparison.capacity.iloc[:0], lang="da")
    assert [t.get_text() for t in empty.texts] == ["ingen begrænset kapacitet i disse kørsler"]
    png(empty)


def test_capacity_picks_kinds_and_draws_a_course_as_dots(jobcenter: Comparison) -> None:
    ax = plot_capacity(jobcenter, strategy="more", kinds=["team"])
    assert {line.get_label().split(":")[0] for line in ax.get_lines()} == {"aktivitetsparate"}
    png(ax)
    course = plot_capacity(jobcenter, strategy="more", kinds=["course"])
    assert {line.get_marker() for line in course.get_lines()} == {"o"} and len(course.get_lines()[0].get_xdata()) == 2
    png(course)


def test_a_team_draws_each_measure_per_strategy(jobcenter: Comparison) -> None:
    teams = jobcenter.teams
    for measure in TEAM_MEASURES:
        ax = plot_team(jobcenter, measure)
        assert [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")] == ["baseline",
                                                                                                         "more"]
        expected = teams[teams["strategy"] == "more"].groupby("month")[measure].mean()
        np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), expected.to_numpy())
        assert ax.get_title() == f"aktivitetsparate: {labels.text(f'team_{measure}', 'en')}"
        png(ax)
    more = teams[teams["strategy"] == "more"]
    assert more["caseworkers"].max() == 5 and teams[teams["strategy"] == "baseline"]["caseworkers"].max() == 1
    multiplier = plot_team(jobcenter.teams, "multiplier", team="aktivitetsparate", lang="da")
    assert any(list(line.get_ydata()) == [1.0, 1.0] for line in multiplier.get_lines())  # the neutral line
    assert multiplier.get_ylabel() == "Faktor på overgange til job og uddannelse"
    png(multiplier)
    with pytest.raises(labsim.ValidationError, match=r"team 'nope' is not in the teams frame; it has \['aktivitetsparate'\]"):
        plot_team(jobcenter, "caseload", team="nope")
    with pytest.raises(labsim.ValidationError, match="measure must be one of caseworkers, caseload, contacts, multiplier"):
        plot_team(jobcenter, "meetings")
    with pytest.raises(labsim.ValidationError, match="the teams frame is empty"):
        plot_team(teams.iloc[:0], "caseload")
    with pytest.raises(labsim.ValidationError, match=r"strategies \['nope'\] are not in the teams frame"):
        plot_team(jobcenter, "caseload", strategies=["nope"])


def test_the_rehabiliteringsteam_draws_open_cases_and_the_mean_wait(jobcenter: Comparison) -> None:
    ax = plot_queue(jobcenter)
    capacity = jobcenter.capacity
    rehab = capacity[(capacity["kind"] == "rehab") & (capacity["strategy"] == "baseline")]
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), rehab.groupby("month")["waiting"].mean().to_numpy())
    assert "open cases" in ax.get_title()
    png(ax)
    waits = plot_waits(jobcenter, lang="da")
    decided = jobcenter.waits[(jobcenter.waits["outcome"] == "decided") & (jobcenter.waits["strategy"] == "baseline")]
    mean = decided.groupby("closed")[["wait_months", "desk_wait_months"]].mean()
    total, desk = waits.get_lines()[:2]
    np.testing.assert_allclose(total.get_ydata(), mean["wait_months"].to_numpy())
    np.testing.assert_allclose(desk.get_ydata(), mean["desk_wait_months"].to_numpy())
    assert [t.get_text() for t in waits.get_legend().get_texts()] == ["baseline", "more",
                                                                      "heraf ventetid på forberedelse"]
    png(waits)
    with pytest.raises(labsim.ValidationError, match="queue 'nope' is not in the waits frame"):
        plot_waits(jobcenter, "nope")
    with pytest.raises(labsim.ValidationError, match="queue 'nope' is not in the capacity frame"):
        plot_queue(jobcenter, "nope")


def test_a_course_draws_its_seats_admitted_and_waiting_list(jobcenter: Comparison) -> None:
    ax = plot_intakes(jobcenter)
    assert len(ax.patches) == 2 * 2 and {p.get_height() for p in ax.patches} == {5.0}
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2022-03", "2022-09"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["seats", "baseline", "more"]
    png(ax)
    waiting = plot_queue(jobcenter, "kursus")
    course = jobcenter.capacity[(jobcenter.capacity["kind"] == "course") & (jobcenter.capacity["strategy"] == "more")]
    np.testing.assert_allclose(waiting.get_lines()[1].get_ydata(), course.groupby("month")["waiting"].mean())
    assert waiting.get_lines()[1].get_marker() == "o"
    png(waiting)
    admitted = plot_waits(jobcenter, "kursus")
    assert len(admitted.get_lines()) == 2  # no preparer's wait for a course
    png(admitted)
    with pytest.raises(labsim.ValidationError, match="no course rows"):
        plot_intakes(jobcenter.capacity[jobcenter.capacity["kind"] != "course"])


def test_calibration_fit_shows_observed_simulated_and_expected() -> None:
    frame = pd.DataFrame({"series": ["a 2020", "a 2021"], "measure": ["kontanthjaelp_jobparat"] * 2,
                          "period": ["2020", "2021"], "observed": [100.0, 110.0], "expected": [98.0, 112.0],
                          "simulated": [99.0, 111.0], "low": [90.0, 100.0], "high": [108.0, 121.0],
                          "unit": ["fuldtidspersoner"] * 2})
    ax = plot_calibration(frame, measure="kontanthjaelp_jobparat")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2020", "2021"]
    assert len(ax.containers) == 1 and len(ax.get_lines()) >= 2
    observed = [line for line in ax.get_lines() if line.get_label() == "observed"][0]
    np.testing.assert_allclose(observed.get_ydata(), [100.0, 110.0])
    png(ax)


def test_bad_plot_input_is_named(comparison: Comparison) -> None:
    with pytest.raises(labsim.ValidationError, match="lang must be one of en, da; got 'de'"):
        plot_stocks(comparison, lang="de")
    with pytest.raises(labsim.ValidationError, match=r"lacks the columns \['persons'\]"):
        plot_stocks(comparison.stocks.drop(columns="persons"))
    with pytest.raises(labsim.ValidationError, match="strategy 'nope' is not in the business case frame"):
        plot_business_case(comparison, strategy="nope")
    with pytest.raises(labsim.ValidationError, match="strategy 'nope' is not in the stocks frame"):
        plot_population(comparison, strategy="nope")
    with pytest.raises(labsim.ValidationError, match="the stocks frame is empty"):
        plot_stocks(comparison.stocks.iloc[:0])
    with pytest.raises(labsim.ValidationError, match="with a 'stocks' table; got int"):
        plot_stocks(3)


def test_an_effort_that_only_joins_the_jobcenters_capacity_is_left_out_of_the_capacity_figure() -> None:
    """An effort with no places, no demand and nobody served (its caseworkers joined a team) draws nothing of its own;
    named in ``resources`` it is drawn."""
    import pandas as pd

    from labsim.plotting import plot_capacity

    months = pd.period_range("2022-01", periods=3, freq="M")
    rows = [{"strategy": "s", "replicate": 0, "month": m, "resource": name, "kind": kind, "demand": demand,
             "capacity": capacity, "used": used, "waiting": float("nan")}
            for m in months for name, kind, demand, capacity, used in (("hjoerring_caseload", "effort", 0.0, 0.0, 0.0),
                                                                        ("ips", "effort", 40.0, 30.0, 30.0))]
    labels = [t.get_text() for t in plot_capacity(pd.DataFrame(rows)).get_legend().get_texts()]
    assert labels == ["ips: capacity", "ips: used"]
    named = plot_capacity(pd.DataFrame(rows), resources=["hjoerring_caseload"]).get_legend().get_texts()
    assert [t.get_text() for t in named] == ["hjoerring_caseload: capacity", "hjoerring_caseload: used"]
