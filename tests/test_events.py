"""The SimPy layer: the clock, dated events, caseworker teams, the rehabiliteringsteam and course intakes."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import simpy

import labsim
from labsim.core.model import TransitionModel
from labsim.errors import ModelError
from labsim.events import CaseworkerTeam, CourseIntake, Events, Jobcenter, RehabTeam, RuleChange, ServiceDesk
from labsim.events.caseworkers import contact_multiplier
from labsim.states import Gate, State

KH = ("kontanthjaelp_jobparat", "kontanthjaelp_aktivitetsparat")


def _team(caseworkers: float, **changes: object) -> CaseworkerTeam:
    settings: dict = {"name": "kontanthjaelp", "states": KH, "caseworkers": caseworkers, "caseload": 35,
                      "cadence_months": 1}
    settings.update(changes)
    return CaseworkerTeam(**settings)


@pytest.fixture(scope="module")
def municipality(model: TransitionModel) -> labsim.Population:
    return labsim.synthesise(replace(labsim.default_profile(), inhabitants=20_000), pension=model.rules.pension, seed=11)  # type: ignore[union-attr]


def erlang_c_wait(servers: int, arrival_rate: float, service_rate: float) -> float:
    """Mean wait in queue of an M/M/c queue (Erlang C)."""
    load = arrival_rate / service_rate
    utilisation = load / servers
    tail = load**servers / math.factorial(servers) / (1 - utilisation)
    probability_wait = tail / (sum(load**k / math.factorial(k) for k in range(servers)) + tail)
    return probability_wait / (servers * service_rate - arrival_rate)


def test_service_desk_matches_erlang_c() -> None:
    """Poisson arrivals, exponential service, c servers: mean wait within 4 standard errors (batch means)."""
    servers, arrival_rate, service_rate, n = 3, 2.4, 1.0, 60_000
    env = simpy.Environment()
    desk = ServiceDesk(env, servers)
    rng = np.random.default_rng(2026)
    gaps, services = rng.exponential(1 / arrival_rate, n), rng.exponential(1 / service_rate, n)

    def arrivals():  # type: ignore[no-untyped-def]
        for gap, service in zip(gaps, services, strict=True):
            yield env.timeout(gap)
            env.process(desk.serve(service))

    env.process(arrivals())
    env.run()
    waits = np.asarray(desk.waits[5_000:])  # drop the warm-up
    batches = waits[: len(waits) // 50 * 50].reshape(50, -1).mean(axis=1)
    standard_error = batches.std(ddof=1) / math.sqrt(len(batches))
    expected = erlang_c_wait(servers, arrival_rate, service_rate)
    assert abs(waits.mean() - expected) < 4 * standard_error, (waits.mean(), expected, standard_error)


def test_capacity_is_never_exceeded(model: TransitionModel, municipality: labsim.Population) -> None:
    jobcenter = Jobcenter(teams=(_team(3.0), CaseworkerTeam(name="syge", states=("sygedagpenge",), caseworkers=2, caseload=40,
                                                            cadence_months=2, first_meeting_by_month=1)),
                          rehabiliteringsteam=RehabTeam(cases_per_meeting=5, preparers=1))
    run = labsim.simulate(municipality, model, start="2022-01", end="2024-12", seed=1, jobcenter=jobcenter)
    teams = run.teams()
    assert (teams["used"] <= teams["capacity"]).all()
    assert (teams["used"] == np.minimum(teams["demand"], teams["capacity"])).all()
    meetings = run.event_log().query("kind == 'rehab_meeting'")
    decided = meetings["details"].map(lambda d: d["decided"])
    assert decided.max() <= 5 and decided.sum() > 0


def test_rehab_gated_moves_happen_only_at_the_teams_meetings(model: TransitionModel, municipality: labsim.Population) -> None:
    jobcenter = Jobcenter(rehabiliteringsteam=RehabTeam(cases_per_meeting=8, preparers=2))
    run = labsim.simulate(municipality, model, start="2022-01", end="2023-12", seed=3, jobcenter=jobcenter)
    gated = (run.catalogue.gates & np.int8(int(Gate.REHAB))) != 0
    moved = run.ledger.flows.sum(axis=1)[:, gated].sum()
    waits = run.waits()
    assert moved == (waits["outcome"] == "decided").sum() > 0


def test_sick_cases_waiting_for_the_team_stay_on_sygedagpenge(model: TransitionModel, municipality: labsim.Population) -> None:
    strict = replace(model, rules=replace(model.rules, extension_probability=0.0))  # type: ignore[arg-type]
    jobcenter = Jobcenter(rehabiliteringsteam=RehabTeam(cases_per_meeting=1, preparers=1, preparation_months=3.0))
    run = labsim.simulate(municipality, strict, start="2022-01", end="2024-12", seed=5, jobcenter=jobcenter, trace=True)
    assert run.paths is not None
    start = run.start_month
    checked = 0
    for row in run.waits().query("queue == 'rehabiliteringsteam'").itertuples():
        first, last = labsim.parse_month(str(row.opened)) - start, labsim.parse_month(str(row.closed)) - start
        path = run.paths[first:last, row.person]
        if path.size and path[0] == State.SYGEDAGPENGE:
            assert not (path == State.JOBAFKLARING).any()
            checked += 1
    assert checked > 0


def test_eighth_week_deadline_with_unlimited_and_half_capacity(model: TransitionModel, municipality: labsim.Population) -> None:
    def team(caseworkers: float) -> CaseworkerTeam:
        return CaseworkerTeam(name="syge", states=("sygedagpenge",), caseworkers=caseworkers, caseload=12, cadence_months=12,
                              first_meeting_by_month=1)

    ample = labsim.simulate(municipality, model, start="2022-01", end="2023-12", seed=7, jobcenter=Jobcenter(teams=(team(500.0),)))
    teams = ample.teams()
    assert teams["deadlines_missed"].sum() == 0
    new_spells = ample.ledger.flows.sum(axis=1)[:, :, State.SYGEDAGPENGE].sum(axis=1)[:-1].mean()
    half = max(1.0, round(new_spells / 2))  # meetings a month: half of the first meetings needed
    scarce = labsim.simulate(municipality, model, start="2022-01", end="2023-12", seed=7,
                             jobcenter=Jobcenter(teams=(team(half),))).teams().iloc[3:]
    assert (scarce["used"] == scarce["capacity"]).all()
    met = 1 - scarce["deadlines_missed"].sum() / scarce["deadlines_due"].sum()
    # Queueing with deadlines: when meetings are scarce every meeting goes to a person at the deadline,
    # so the share met is capacity ÷ persons reaching the deadline.
    predicted = scarce["capacity"].sum() / scarce["deadlines_due"].sum()
    assert met < 0.9 and abs(met - predicted) < 0.03, (met, predicted)


def test_halving_caseworkers_lowers_contacts_for_everyone_and_exits_by_the_dose_response(
        model: TransitionModel, municipality: labsim.Population) -> None:
    """Caseload as a dose: half the caseworkers, half the contacts per citizen (capacity binds), and the exit rate to
    work of the whole group falls by the ratio of the two months' multipliers."""
    def run(caseworkers: float) -> labsim.Run:
        team = _team(caseworkers, contact_effect=1.6)
        return labsim.simulate(municipality, model, start="2022-01", end="2025-12", seed=9, jobcenter=Jobcenter(teams=(team,)))

    runs = {caseworkers: run(caseworkers) for caseworkers in (4.0, 2.0)}
    teams = {caseworkers: r.teams() for caseworkers, r in runs.items()}
    for frame in teams.values():  # the shortage binds at both sizes: every meeting is held
        assert (frame["used"] == frame["capacity"]).all()
    assert (teams[2.0]["used"] * 2 == teams[4.0]["used"]).all()  # half the meetings, over a group a little larger
    ratio = teams[2.0]["contacts"] / teams[4.0]["contacts"]
    np.testing.assert_allclose(ratio, 0.5 * teams[4.0]["group"] / teams[2.0]["group"])
    assert (ratio < 0.52).all()
    codes = [State.KONTANTHJAELP_JOBPARAT, State.KONTANTHJAELP_AKTIVITETSPARAT]
    rates = {}
    for caseworkers, r in runs.items():
        stock = r.ledger.stocks.sum(axis=2)[:, codes].sum(axis=1)
        exits = r.ledger.flows.sum(axis=1)[:, codes, State.EMPLOYED].sum(axis=1)
        rates[caseworkers] = exits.sum() / stock.sum()
    # Everyone in the group gets the month's multiplier, so the expected fall of the exit rate is that of the
    # (stock-weighted) multiplier. The realised fall is a little smaller: a lower exit rate keeps more long spells,
    # whose hazards are lower. Tolerance: the fall within 25 % of the predicted one (here 0.17 against 0.19).
    weights = {caseworkers: r.ledger.stocks.sum(axis=2)[:, codes].sum(axis=1) for caseworkers, r in runs.items()}
    multiplier = {caseworkers: np.average(teams[caseworkers]["multiplier"], weights=weights[caseworkers])
                  for caseworkers in runs}
    predicted, observed = 1 - multiplier[2.0] / multiplier[4.0], 1 - rates[2.0] / rates[4.0]
    assert predicted > 0.15 and 0.75 * predicted < observed < 1.25 * predicted, (observed, predicted)


def test_realised_caseload_and_contacts_follow_from_team_and_group(model: TransitionModel) -> None:
    """A hand-computed month: 100 citizens who stay, 1 caseworker at the norm of 35 a month: 35 meetings, 0.35
    contacts per citizen, a realised caseload of 100 and the dose-response's multiplier."""
    hazard = model.hazard.copy()
    hazard[State.KONTANTHJAELP_AKTIVITETSPARAT] = 0.0
    still = replace(model, hazard=hazard)
    population = labsim.Population.from_frame({"state": ["kontanthjaelp_aktivitetsparat"] * 100, "age": [40] * 100},
                                              at="2022-01")
    team = _team(1.0, states=("kontanthjaelp_aktivitetsparat",), caseload=35, cadence_months=1, reference_caseload=80,
                 contact_effect=1.26)
    teams = labsim.simulate(population, still, start="2022-01", end="2022-06", seed=1,
                            jobcenter=Jobcenter(teams=(team,))).teams()
    assert list(teams["group"]) == [100] * 6 and list(teams["capacity"]) == [35] * 6 and list(teams["used"]) == [35] * 6
    assert np.allclose(teams["caseload"], 100.0) and np.allclose(teams["contacts"], 0.35)
    # 1 + 0.26 × (0.35 − 35/80) / (1 − 35/80) = 1 − 0.26 × 0.0875 / 0.5625
    assert np.allclose(teams["multiplier"], 1 - 0.26 * 0.0875 / 0.5625)
    assert contact_multiplier(0.0, cadence_months=1, caseload=35, reference_caseload=80, contact_effect=1.26) \
        == pytest.approx(1 - 0.26 * 35 / 45)


def test_rehabiliteringsteam_in_a_run_matches_erlang_c() -> None:
    """Cases reach the desk spread over the month: the desk's mean wait inside a run is Erlang C's at three
    utilisations (within 10 %; 60,000 citizens, 1 % a month gated, 8 years, fixed seed)."""
    model = labsim.default_model()
    aktivitetsparat, ressourceforloeb = State.KONTANTHJAELP_AKTIVITETSPARAT, State.RESSOURCEFORLOEB
    hazard = np.zeros_like(model.hazard)
    hazard[aktivitetsparat, ressourceforloeb] = -np.log1p(-0.01)  # 1 % a month go to the team
    hazard[ressourceforloeb, aktivitetsparat] = 10.0  # and come back at once: the stock stays put
    stationary = replace(model, hazard=hazard, rules=None)
    n = 60_000
    population = labsim.Population.from_frame({"state": ["kontanthjaelp_aktivitetsparat"] * n, "age": [40] * n},
                                              at="2022-01")
    servers = 2
    for utilisation in (0.5, 0.7, 0.85):
        preparation = utilisation * servers / (n * 0.01)
        team = RehabTeam(cases_per_meeting=1_000_000, preparers=servers, preparation_months=preparation)
        run = labsim.simulate(population, stationary, start="2022-01", end="2029-12", seed=11,
                              jobcenter=Jobcenter(rehabiliteringsteam=team))
        queues = run.queues().iloc[6:]  # past the first half-year's warm-up
        arrivals = queues["joined"].mean()
        waits = run.waits()
        waits = waits.loc[waits["opened"] >= pd.Period("2022-07", "M"), "desk_wait_months"].dropna()
        expected = erlang_c_wait(servers, arrivals, 1 / preparation)
        assert len(waits) > 40_000
        assert abs(waits.mean() / expected - 1) < 0.10, (utilisation, waits.mean(), expected)


def test_no_lapsed_case_is_decided_or_recorded_twice(model: TransitionModel, municipality: labsim.Population) -> None:
    """Slow preparation and rare meetings make many cases lapse: each case is one row of the waits, every decision
    is a gated move, and each month's new cases are the rows opened."""
    jobcenter = Jobcenter(rehabiliteringsteam=RehabTeam(meeting_every_months=3, cases_per_meeting=10, preparers=1,
                                                        preparation_months=1.0))
    run = labsim.simulate(municipality, model, start="2022-01", end="2024-12", seed=12, jobcenter=jobcenter)
    waits = run.waits()
    assert (waits["outcome"] == "lapsed").sum() > 50
    assert len(waits) == run.queues()["joined"].sum()  # one row per case opened, whatever became of it
    assert not waits.duplicated(["person", "opened"]).any()
    gated = (run.catalogue.gates & np.int8(int(Gate.REHAB))) != 0
    assert run.ledger.flows.sum(axis=1)[:, gated].sum() == (waits["outcome"] == "decided").sum()
    assert waits.loc[waits["outcome"] == "lapsed", "wait_months"].ge(0).all()


def test_a_rule_change_takes_effect_in_its_month_and_not_before(model: TransitionModel) -> None:
    hazard = model.hazard.copy()
    hazard[State.RESSOURCEFORLOEB] = 0.0  # only the rule moves people out of ressourceforløb
    still = replace(model, hazard=hazard)
    population = labsim.Population.from_frame(
        {"state": ["ressourceforloeb"] * 30, "age": [45] * 30, "months_in_state": list(range(20, 50))}, at="2021-06")
    change = RuleChange("2022-01", "Bedre ressourceforløb", {"ressourceforloeb_max_months": 36})
    run = labsim.simulate(population, still, start="2021-06", end="2022-06", seed=1, events=Events(calendar=(change,)))
    exits = run.ledger.flows.sum(axis=1)[:, State.RESSOURCEFORLOEB, State.KONTANTHJAELP_AKTIVITETSPARAT]
    months = [labsim.month_label(run.start_month + t) for t in range(run.n_months)]
    by_month = dict(zip(months, exits.tolist(), strict=True))
    assert sum(by_month[m] for m in months if m < "2022-01") == 0  # the 60-month limit binds nobody before
    # In 2022-01 everyone with 36 or more months ends: months_in_state 20..49 plus 7 months by then.
    assert by_month["2022-01"] == sum(1 for m in range(20, 50) if m + 7 + 1 >= 36)
    log = run.event_log().query("kind == 'rule_change'")
    assert list(log["name"]) == ["Bedre ressourceforløb"] and str(log.iloc[0]["month"]) == "2022-01"


def test_same_seed_same_event_log(model: TransitionModel, municipality: labsim.Population) -> None:
    events = Events(calendar=labsim.danish_calendar(model, "2022-01", "2023-06"))
    jobcenter = Jobcenter(teams=(_team(5.0),), rehabiliteringsteam=RehabTeam(),
                          courses=(CourseIntake(name="kursus", states=("a_dagpenge",), seats=20, intakes=["2022-03", "2022-09"],
                                                duration_months=3, effect_during=0.8, effect_after=1.2),))
    a, b = (labsim.simulate(municipality, model, start="2022-01", end="2023-06", seed=4, events=events, jobcenter=jobcenter)
            for _ in range(2))
    for frame in ("event_log", "teams", "queues", "waits"):
        pd.testing.assert_frame_equal(getattr(a, frame)(), getattr(b, frame)())
    admitted = a.event_log().query("kind == 'course_intake'")["details"].map(lambda d: d["admitted"])
    assert admitted.max() <= 20 and len(admitted) == 2


def test_bad_event_input_is_named(model: TransitionModel, municipality: labsim.Population) -> None:
    with pytest.raises(ModelError, match="caseworker team 'kontanthjaelp'.caseworkers must be a number from 0 to 10,000,000; got -2"):
        _team(-2.0)
    with pytest.raises(ModelError, match="cadence_months must be a whole number from 1 to 120; got 0"):
        _team(2.0, cadence_months=0)
    with pytest.raises(ModelError, match="course 'kursus'.seats must be a whole number from 1 to 10,000,000; got 0"):
        CourseIntake(name="kursus", states=("a_dagpenge",), seats=0, intakes=["2022-03"], duration_months=3)
    late = RuleChange("2031-01", "too late", {"extension_probability": 0.9})
    with pytest.raises(ModelError, match="event 'too late' is dated 2031-01, outside the run \\(2022-01 to 2022-12\\)"):
        labsim.simulate(municipality, model, start="2022-01", end="2022-12", events=Events(calendar=(late,)))
    with pytest.raises(ModelError, match="unknown rules \\['kontanthjaelp_rate'\\]"):
        RuleChange("2022-01", "typo", {"kontanthjaelp_rate": 1})


def test_pension_age_steps_and_the_covid_extension_are_in_the_log(model: TransitionModel) -> None:
    population = labsim.Population.from_counts({("employed", "50-59"): 300, ("employed", "30-39"): 300}, at="2020-01", seed=1)
    calendar = labsim.danish_calendar(model, "2020-01", "2041-12")
    assert [c.name for c in calendar][:2] == ["COVID-19: a-dagpenge consumption suspended", "COVID-19: sygedagpenge extended"]
    run = labsim.simulate(population, model, start="2020-01", end="2041-12", seed=2, events=Events(calendar=calendar))
    log = run.event_log()
    steps = log.query("kind == 'pension_age_step'")
    # DOMAIN.md §2.6: 66 from 2020, 66½ from 2021, 67 from 2022; the rises to 68, 69, 70 keep cohorts from 2030, 2035, 2040.
    assert [str(m) for m in steps["month"]] == ["2020-01", "2021-01", "2022-01", "2030-01", "2035-01", "2040-01"]
    assert list(log["month"]) == sorted(log["month"])
    # A run that starts after the changes starts under the rules then in force.
    (in_force,) = labsim.danish_calendar(model, "2022-06", "2030-12")
    assert in_force.at == labsim.parse_month("2022-06") and in_force.changes["ressourceforloeb_max_months"] == 36
    assert "dagpenge_consumption_suspended" not in in_force.changes  # the suspensions had ended


def test_a_teams_caseworkers_change_at_their_dates_and_efforts_join_it(model: TransitionModel,
                                                                       municipality: labsim.Population) -> None:
    team = _team(0.0, changes={"2022-04": 4.0, "2022-07": 8.0, "2023-01": 0.0})
    run = labsim.simulate(municipality, model, start="2022-01", end="2023-03", seed=1, jobcenter=Jobcenter(teams=(team,)))
    capacity = run.teams().set_index("month")["capacity"]
    assert [capacity[m] for m in pd.period_range("2022-01", "2023-03", freq="M")] == [0] * 3 + [140] * 3 + [280] * 6 + [0] * 3
    # An effort that joins the team: its caseworkers come on top while it runs, ramped, and cost their years.
    from labsim.policy.library import HjoerringCaseload
    effort = HjoerringCaseload(team="kontanthjaelp", caseworkers=6, start="2022-03", stop="2022-12", ramp_months=2)
    run = labsim.simulate(municipality, model, start="2022-01", end="2023-03", seed=1, jobcenter=Jobcenter(teams=(team,)),
                          strategy=labsim.Strategy("more", [effort]))
    caseworkers = run.teams().set_index("month")["caseworkers"]
    assert [caseworkers[m] for m in pd.period_range("2022-01", "2023-03", freq="M")] == \
        [0, 0, 3, 4 + 6, 4 + 6, 4 + 6, 8 + 6, 8 + 6, 8 + 6, 8 + 6, 8 + 6, 8 + 6, 0, 0, 0]
    cost = run.efforts().set_index("month")["cost_dkk"]
    assert cost[pd.Period("2022-03", "M")] == pytest.approx(3 * effort.cost_per_caseworker_year / 12)
    assert run.efforts()["served"].sum() == 0  # it serves nobody itself: the team does
    with pytest.raises(ModelError, match="adds caseworkers to team 'aktivitetsparate', which the jobcenter does not have"):
        labsim.simulate(municipality, model, start="2022-01", end="2022-12", jobcenter=Jobcenter(teams=(team,)),
                        strategy=labsim.Strategy("more", [HjoerringCaseload()]))


@pytest.mark.parametrize("cadence", [1, 2, 3])
def test_a_person_met_in_month_m_is_due_again_in_month_m_plus_cadence(model: TransitionModel, cadence: int) -> None:
    hazard = model.hazard.copy()
    hazard[State.KONTANTHJAELP_AKTIVITETSPARAT] = 0.0  # they stay, so the cadence is all we see
    still = replace(model, hazard=hazard)
    population = labsim.Population.from_frame({"state": ["kontanthjaelp_aktivitetsparat"] * 4, "age": [40] * 4}, at="2022-01")
    team = _team(10.0, states=("kontanthjaelp_aktivitetsparat",), cadence_months=cadence)
    run = labsim.simulate(population, still, start="2022-01", end="2022-12", seed=1, jobcenter=Jobcenter(teams=(team,)))
    held = run.teams()["used"].tolist()
    assert held == [4 if month % cadence == 0 else 0 for month in range(12)]


def test_a_case_lapses_when_its_person_leaves_the_state(model: TransitionModel, municipality: labsim.Population) -> None:
    """With rare meetings, nobody is moved twice in a month: flows equal the persons whose state changed."""
    jobcenter = Jobcenter(rehabiliteringsteam=RehabTeam(meeting_every_months=12, cases_per_meeting=200, preparers=1))
    run = labsim.simulate(municipality, model, start="2022-01", end="2024-12", seed=6, jobcenter=jobcenter, trace=True)
    assert run.paths is not None
    changed = (run.paths[:-1] != run.paths[1:]).sum(axis=1)
    np.testing.assert_array_equal(run.ledger.flows.sum(axis=(1, 2, 3))[:-1], changed)
    assert (run.waits()["outcome"] == "lapsed").sum() > 0


def test_each_state_has_at_most_one_team(model: TransitionModel, municipality: labsim.Population) -> None:
    with pytest.raises(ModelError, match="teams 'kontanthjaelp' and 'aktivitetsparate' both follow 'kontanthjaelp_aktivitetsparat'"):
        Jobcenter(teams=(_team(2.0), _team(1.0, name="aktivitetsparate", states=("kontanthjaelp_aktivitetsparat",))))


def test_courses_have_their_own_effects_and_cost(model: TransitionModel, municipality: labsim.Population) -> None:
    """Two courses with different effects in one run (each its own slots in the one participation); a course's
    participant-months cost its unit cost, booked under its name."""
    courses = (CourseIntake(name="kort", states=("a_dagpenge",), seats=15, intakes=["2022-02"], duration_months=2,
                            effect_during=0.5, cost_per_participant_month=1_000),
               CourseIntake(name="lang", states=("a_dagpenge",), seats=10, intakes=["2022-03"], duration_months=6,
                            effect_after=1.5, cost_per_participant_month=2_000))
    run = labsim.simulate(municipality, model, start="2022-01", end="2022-12", seed=3, jobcenter=Jobcenter(courses=courses))
    efforts = run.efforts().set_index(["effort", "month"])
    assert efforts.loc[("kort", pd.Period("2022-02", "M")), "new"] == 15
    assert efforts.loc[("kort", pd.Period("2022-02", "M")), "cost_dkk"] == 15 * 1_000
    waits = run.waits()
    assert (waits.groupby("queue").size() == pd.Series({"kort": 15, "lang": 10})).all()
    with pytest.raises(ModelError, match="course 'kort'.effect_during must be a multiplier"):
        CourseIntake(name="kort", states=("a_dagpenge",), seats=1, intakes=["2022-02"], duration_months=2, effect_during=-1)


def test_one_participation_joins_what_every_server_served() -> None:
    """Teams, courses and efforts hand back their own slots; a person served twice gets the product, a person served
    once keeps their server's matrix (the fast path), and nobody served gives no participation."""
    from labsim.core.participation import Participation, Served

    matrices = np.stack([np.full((2, 2), 2.0), np.full((2, 2), 3.0)])
    team = Served(np.array([3, 1]), np.array([0, 1]), matrices)
    course = Served(np.array([2]), np.array([0]), matrices[:1] * 5)
    apart = Participation.combine([team, course])
    assert apart is not None and apart.positions.tolist() == [1, 2, 3]
    assert apart.multipliers[apart.combination, 0, 0].tolist() == [3.0, 10.0, 2.0]
    overlapping = Participation.combine([team, Served(np.array([1]), np.array([0]), matrices[:1] * 5)])
    assert overlapping is not None and overlapping.positions.tolist() == [1, 3]
    assert overlapping.multipliers[overlapping.combination, 0, 0].tolist() == [30.0, 2.0]
    assert Participation.combine([Served(np.zeros(0, np.intp), np.zeros(0, np.int64), matrices)]) is None


def test_an_effort_adds_seats_to_a_course_intake(model: TransitionModel, municipality: labsim.Population) -> None:
    """Its seats join the course's intakes while it runs; those admitted on them come after the course's own, get the
    course's effects, and cost the effort its unit cost per month in the course."""
    from labsim.policy.library import Voksenlaerling

    course = CourseIntake(name="kursus", states=("a_dagpenge",), seats=15, intakes=["2022-02", "2022-08"],
                          duration_months=3, effect_after=1.4, cost_per_participant_month=1_000)
    effort = Voksenlaerling(intake="kursus", seats=10, start="2022-06", cost_per_participant_month=500)
    run = labsim.simulate(municipality, model, start="2022-01", end="2022-12", seed=3,
                          jobcenter=Jobcenter(courses=(course,)), strategy=labsim.Strategy("more", [effort]))
    intakes = run.queues().query("kind == 'course'").set_index("month")
    assert intakes.loc[pd.Period("2022-02", "M"), "capacity"] == 15 and intakes.loc[pd.Period("2022-08", "M"), "capacity"] == 25
    efforts = run.efforts().set_index(["effort", "month"])
    august = pd.Period("2022-08", "M")
    assert efforts.loc[("kursus", august), "new"] == 15 and efforts.loc[("voksenlaerling", august), "new"] == 10
    assert efforts.loc[("voksenlaerling", august), "cost_dkk"] == 10 * 500
    assert efforts.loc[("kursus", august), "cost_dkk"] == 15 * 1_000
    assert efforts.loc["voksenlaerling", "served"].loc[: pd.Period("2022-07", "M")].sum() == 0  # not before it runs
    with pytest.raises(ModelError, match="adds seats to course 'kursus', which the jobcenter does not have"):
        labsim.simulate(municipality, model, start="2022-01", end="2022-12", strategy=labsim.Strategy("more", [effort]))
