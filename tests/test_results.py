"""Tidy frames, fuldtidspersoner and refund bands (DESIGN.md §8, DOMAIN.md §3.1, §4)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import labsim
from labsim.batch.summary import CAPACITY_COLUMNS, capacity_frame, summarise_run
from labsim.policy import Strategy, library
from labsim.results.refund import refund_band_shares

STOCK_COLUMNS = ["scenario", "strategy", "replicate", "month", "state", "group", "persons", "fte"]
FLOW_COLUMNS = ["scenario", "strategy", "replicate", "month", "group", "from_state", "to_state", "count"]


@pytest.fixture(scope="module")
def run(model: labsim.TransitionModel, small_population: labsim.Population) -> labsim.Run:
    return labsim.simulate(small_population, model, start="2022-04", end="2024-12", seed=1, group_by="age_band",
                           scenario="test", strategy="baseline", replicate=3)


def test_frames_have_the_fixed_columns(run: labsim.Run) -> None:
    stocks, flows = run.stocks(), run.flows()
    assert list(stocks.columns) == STOCK_COLUMNS and list(flows.columns) == FLOW_COLUMNS
    assert set(stocks["scenario"]) == {"test"} and set(flows["replicate"]) == {3}
    assert stocks.groupby("month")["persons"].sum().eq(run.final_population.n_persons).all()
    assert set(stocks["group"]) == set(run.group_labels) and "60+" in run.group_labels
    assert (flows["count"] > 0).all() and (flows["from_state"] != flows["to_state"]).all()


def test_fte_is_person_months_over_months_in_period(run: labsim.Run) -> None:
    stocks = run.stocks()
    yearly = run.fte(freq="year")
    by_hand = stocks[stocks["month"].dt.year == 2023].groupby("state", observed=True)["persons"].sum() / 12
    got = yearly[yearly["period"].dt.year == 2023].set_index("state")["fte"]
    np.testing.assert_allclose(got.loc[by_hand.index].to_numpy(), by_hand.to_numpy())
    # 2022 is cut short (April–December): averaged over its 9 simulated months.
    part = stocks[stocks["month"].dt.year == 2022].groupby("state", observed=True)["persons"].sum() / 9
    got22 = yearly[yearly["period"].dt.year == 2022].set_index("state")["fte"]
    np.testing.assert_allclose(got22.loc[part.index].to_numpy(), part.to_numpy())


def test_fte_by_grouping_sums_its_states(run: labsim.Run) -> None:
    by_state = run.fte(freq="quarter").set_index(["period", "state"])["fte"]
    by_group = run.fte(freq="quarter", by="hjoerring").set_index(["period", "hjoerring"])["fte"]
    groups = dict(zip(run.catalogue.names, run.catalogue.group_of("hjoerring"), strict=True))
    permanent = [s for s, g in groups.items() if g == "permanente"]
    period = by_group.index.get_level_values(0)[0]
    assert by_group.loc[(period, "permanente")] == pytest.approx(sum(by_state.loc[(period, s)] for s in permanent))
    with pytest.raises(labsim.ValidationError, match="freq must be one of month, quarter, year; got 'week'"):
        run.fte(freq="week")
    with pytest.raises(labsim.ValidationError,
                       match="by must be one of state, group, public_support, hjoerring, broenderslev; got 'odense'"):
        run.fte(by="odense")
    from labsim.results import Breakdown, Frequency

    pd.testing.assert_frame_equal(run.fte(Frequency.QUARTER, Breakdown.STATE), run.fte("quarter", "state"))
    assert list(run.fte(Frequency.YEAR, Breakdown.GROUP).columns)[-2:] == ["group", "fte"]


def test_fte_by_person_group_counts_public_support(run: labsim.Run) -> None:
    by_group = run.fte(freq="year", by="group").groupby("period")["fte"].sum()
    support = run.fte(freq="year", by="public_support").set_index("period")["fte"]
    np.testing.assert_allclose(by_group.to_numpy(), support.loc[by_group.index].to_numpy())


def test_refund_bands_split_months_by_weeks() -> None:
    """Weeks 1–4 80 %, 5–26 40 %, 27–52 30 %, 53+ 20 % (DOMAIN.md §3.1); a month is 52/12 weeks."""
    shares = refund_band_shares()
    np.testing.assert_allclose(shares[1:].sum(axis=1), 1.0)
    month = 52 / 12
    np.testing.assert_allclose(shares[1], [4 / month, 1 - 4 / month, 0, 0])
    np.testing.assert_allclose(shares[6], [0, 1, 0, 0])  # weeks 21.7–26.0
    np.testing.assert_allclose(shares[7], [0, 0, 1, 0])  # weeks 26.0–30.3
    np.testing.assert_allclose(shares[12], [0, 0, 1, 0])  # weeks 47.7–52.0
    np.testing.assert_allclose(shares[13], [0, 0, 0, 1])


def test_support_months_cover_every_person_month_on_support(run: labsim.Run) -> None:
    frame = run.support_months()
    supported = [s.name for s in run.catalogue.states if s.public_support]
    stocks = run.stocks()
    employer = run.ledger.support_months[:, :, 0].sum()  # the employer's first month of sickness: not municipal
    assert employer > 0 and run.ledger.support_months[:, [s != "sygedagpenge" for s in run.catalogue.names], 0].sum() == 0
    expected = stocks[stocks["state"].isin(supported)]["persons"].sum() - employer
    assert frame["person_months"].sum() == pytest.approx(expected)
    assert frame.loc[frame["refund_band"] == "weeks_1_4", "person_months"].sum() > 0


# -- the jobcenter's capacity -------------------------------------------------------------------------------

TEAM_COLUMNS = ["scenario", "strategy", "replicate", "month", "team", "group", "caseworkers", "caseload", "demand",
                "capacity", "used", "utilisation", "contacts", "multiplier", "deadlines_due", "deadlines_missed"]
QUEUE_COLUMNS = ["scenario", "strategy", "replicate", "month", "queue", "kind", "length", "joined", "capacity", "used"]
WAIT_COLUMNS = ["scenario", "strategy", "replicate", "queue", "person", "opened", "closed", "wait_months",
                "desk_wait_months", "outcome"]


@pytest.fixture(scope="module")
def jobcenter_scenario(model: labsim.TransitionModel) -> labsim.Scenario:
    """Two years of a 4,000-inhabitant municipality with two teams (the first without caseworkers from July 2023), a
    rehabiliteringsteam meeting every other month, a course with two intakes, and a praktik effort."""
    jobcenter = labsim.Jobcenter(
        teams=(labsim.CaseworkerTeam(name="aktivitetsparate", states=("kontanthjaelp_aktivitetsparat",), caseworkers=2,
                                     changes={"2023-07": 0}),
               labsim.CaseworkerTeam(name="syge", states=("sygedagpenge",), caseworkers=2, caseload=60,
                                     cadence_months=2, first_meeting_by_month=1)),
        rehabiliteringsteam=labsim.RehabTeam(meeting_every_months=2, cases_per_meeting=4, preparers=1),
        courses=(labsim.CourseIntake(name="kursus", states=("a_dagpenge",), seats=5, intakes=["2022-03", "2022-09"],
                                     duration_months=3, cost_per_participant_month=1000.0),))
    praktik = library.VirksomhedspraktikPrivate(start="2022-01", seats=20)
    return labsim.Scenario(name="jobcenter", model=model, profile=labsim.default_profile().scaled(4000),
                           start="2022-01", end="2023-12", jobcenter=jobcenter, replications=1, seed=3,
                           strategies={"baseline": Strategy("baseline"), "praktik": Strategy("praktik", [praktik])})


@pytest.fixture(scope="module")
def jobcenter_run(jobcenter_scenario: labsim.Scenario) -> labsim.Run:
    return jobcenter_scenario.run("praktik")


def test_teams_give_group_caseworkers_caseload_contacts_and_multiplier(jobcenter_run: labsim.Run,
                                                                        jobcenter_scenario: labsim.Scenario) -> None:
    teams = jobcenter_run.teams()
    assert list(teams.columns) == TEAM_COLUMNS and set(teams["team"]) == {"aktivitetsparate", "syge"}
    staffed = teams["caseworkers"] > 0
    np.testing.assert_allclose(teams.loc[staffed, "caseload"], teams.loc[staffed, "group"] / teams.loc[staffed,
                                                                                                     "caseworkers"])
    cut = teams[(teams["team"] == "aktivitetsparate") & (teams["month"] >= pd.Period("2023-07", "M"))]
    assert len(cut) == 6 and (cut["caseworkers"] == 0).all() and cut["caseload"].isna().all()
    assert (cut["used"] == 0).all() and (cut["contacts"] == 0).all()
    np.testing.assert_allclose(teams["contacts"], teams["used"] / teams["group"])
    by_name = {team.name: team for team in jobcenter_scenario.jobcenter.teams}
    expected = [by_name[name].multiplier(contacts) for name, contacts in zip(teams["team"], teams["contacts"],
                                                                             strict=True)]
    np.testing.assert_allclose(teams["multiplier"], expected)
    assert cut["multiplier"].lt(1.0).all()  # no caseworkers: fewer contacts than the hazards were fitted at


def test_queues_and_waits_carry_kind_capacity_and_the_desk_wait(jobcenter_run: labsim.Run) -> None:
    queues, waits = jobcenter_run.queues(), jobcenter_run.waits()
    assert list(queues.columns) == QUEUE_COLUMNS and list(waits.columns) == WAIT_COLUMNS
    rehab, course = queues[queues["kind"] == "rehab"], queues[queues["kind"] == "course"]
    assert set(rehab["queue"]) == {"rehabiliteringsteam"} and len(rehab) == 24
    assert set(rehab["capacity"]) == {0, 4} and (rehab["used"] <= rehab["capacity"]).all()
    assert rehab["used"].sum() == (waits["outcome"] == "decided").sum()
    assert course["month"].astype(str).tolist() == ["2022-03", "2022-09"]
    assert (course["capacity"] == 5).all() and (course["used"] == course["joined"]).all() and (course["used"] == 5).all()
    admitted = waits[waits["outcome"] == "admitted"]
    assert len(admitted) == 10 and set(admitted["queue"]) == {"kursus"} and admitted["desk_wait_months"].isna().all()
    decided = waits[waits["outcome"] == "decided"]
    assert len(decided) > 0 and decided["desk_wait_months"].ge(0).all()
    assert (decided["desk_wait_months"] <= decided["wait_months"]).all()


def test_capacity_frame_has_one_row_kind_per_resource(jobcenter_run: labsim.Run) -> None:
    frame = capacity_frame(jobcenter_run)
    assert list(frame.columns) == list(CAPACITY_COLUMNS)
    kinds = frame.groupby("resource")["kind"].unique().map(list).to_dict()
    assert kinds == {"virksomhedspraktik_private": ["effort"], "aktivitetsparate": ["team"], "syge": ["team"],
                     "rehabiliteringsteam": ["rehab"], "kursus": ["course"]}
    assert "kursus" in set(jobcenter_run.efforts()["effort"])  # the course's cost rows, not an effort of capacity
    assert not frame[["demand", "capacity", "used"]].isna().any().any()
    team = frame[frame["kind"] == "team"].reset_index(drop=True)
    teams = jobcenter_run.teams()
    np.testing.assert_array_equal(team[["demand", "capacity", "used"]], teams[["demand", "capacity", "used"]])
    np.testing.assert_array_equal(team["waiting"], teams["demand"] - teams["used"])
    queues = jobcenter_run.queues()
    for kind in ("rehab", "course"):
        mine = frame[frame["kind"] == kind].reset_index(drop=True)
        queue = queues[queues["kind"] == kind].reset_index(drop=True)
        np.testing.assert_array_equal(mine["demand"], queue["used"] + queue["length"])
        np.testing.assert_array_equal(mine["capacity"], queue["capacity"])
        np.testing.assert_array_equal(mine["used"], queue["used"])
        np.testing.assert_array_equal(mine["waiting"], queue["length"])
    assert (frame.loc[frame["kind"] == "effort", "waiting"].isna()).all()


def test_a_run_summary_keeps_the_teams_and_the_waits(jobcenter_run: labsim.Run,
                                                     jobcenter_scenario: labsim.Scenario) -> None:
    summary = summarise_run(jobcenter_run, jobcenter_scenario)
    pd.testing.assert_frame_equal(summary.teams, jobcenter_run.teams())
    pd.testing.assert_frame_equal(summary.waits, jobcenter_run.waits())
    pd.testing.assert_frame_equal(summary.capacity, capacity_frame(jobcenter_run))


def test_a_run_without_a_jobcenter_has_empty_frames_with_their_columns(run: labsim.Run) -> None:
    assert run.teams().empty and list(run.teams().columns) == TEAM_COLUMNS
    assert run.queues().empty and list(run.queues().columns) == QUEUE_COLUMNS
    assert run.waits().empty and list(run.waits().columns) == WAIT_COLUMNS
    assert capacity_frame(run).empty and list(capacity_frame(run).columns) == list(CAPACITY_COLUMNS)


def test_public_namespace_is_curated() -> None:
    for name in labsim.__all__:
        assert hasattr(labsim, name), name
    assert len(set(labsim.__all__)) == len(labsim.__all__)
    public = {n for n in dir(labsim) if not n.startswith("_")} - set(labsim.__all__)
    assert public <= {"calendar", "core", "errors", "events", "io", "policy", "results", "rng", "simulation", "states",
                      "data", "testing", "cli", "experiments", "batch", "calibration", "plotting", "report", "files"}
