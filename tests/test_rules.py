"""Each legal rule of DOMAIN.md §2 holds in every month of traced runs of the default model."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import labsim
from labsim.core.model import TransitionModel
from labsim.states import Gate, State

START, END = "2022-01", "2041-12"


def _with_rules(model: TransitionModel, **changes: object) -> TransitionModel:
    assert model.rules is not None
    rules = replace(model.rules, **changes)
    return replace(model, rules=rules)


@pytest.fixture(scope="module")
def traced(model: TransitionModel, small_population: labsim.Population) -> labsim.Run:
    return labsim.simulate(small_population, model, start=START, end=END, seed=21, trace=True)


def _ages(run: labsim.Run) -> np.ndarray:
    months = np.arange(run.start_month, run.start_month + run.n_months)[:, None]
    return months - run.final_population.birth_month.astype(np.int64)[None, :]


def test_nobody_30_or_older_on_uddannelseshjaelp(traced: labsim.Run) -> None:
    paths = traced.paths
    assert paths is not None
    youth = (paths == State.UDDANNELSESHJAELP_UDDANNELSESPARAT) | (paths == State.UDDANNELSESHJAELP_AKTIVITETSPARAT)
    assert youth.any()
    assert _ages(traced)[youth].max() < 30 * 12


def test_uddannelseshjaelp_moves_to_kontanthjaelp_in_the_month_of_the_30th_birthday(traced: labsim.Run) -> None:
    paths = traced.paths
    assert paths is not None
    ages = _ages(traced)
    before = (ages[:-1] == 30 * 12 - 1) & (paths[:-1] == State.UDDANNELSESHJAELP_AKTIVITETSPARAT)
    after = paths[1:][before]
    assert after.size > 0
    assert not np.isin(after, [State.UDDANNELSESHJAELP_UDDANNELSESPARAT, State.UDDANNELSESHJAELP_AKTIVITETSPARAT]).any()


def test_everyone_retires_in_the_month_the_law_says(traced: labsim.Run, model: TransitionModel) -> None:
    assert model.rules is not None and traced.paths is not None
    births = traced.final_population.birth_month.astype(np.int64)
    pension_month = births + model.rules.pension.folkepension_age(births)
    months = np.arange(traced.start_month, traced.start_month + traced.n_months)[:, None]
    on_pension = traced.paths == State.FOLKEPENSION
    np.testing.assert_array_equal(on_pension, months >= pension_month[None, :])
    cohorts = {born: labsim.parse_month(born) for born in ("1962-06", "1963-06", "1967-06", "1971-06")}
    for born, month in cohorts.items():
        ages = model.rules.pension.folkepension_age([month])[0] // 12
        assert ages == {"1962-06": 67, "1963-06": 68, "1967-06": 69, "1971-06": 70}[born]


def test_at_most_24_dagpenge_months_in_any_36(traced: labsim.Run) -> None:
    paths = traced.paths
    assert paths is not None
    on = (paths == State.A_DAGPENGE).astype(np.int32)
    cumulative = np.vstack([np.zeros((1, on.shape[1]), np.int32), np.cumsum(on, axis=0)])
    windows = cumulative[36:] - cumulative[:-36]
    assert windows.max() <= 24
    assert windows.max() == 24  # the limit binds in a 20-year run


def test_no_forbidden_transition_in_the_flows(traced: labsim.Run) -> None:
    moved = traced.ledger.flows.sum(axis=(0, 1))
    allowed = traced.catalogue.allowed_matrix(Gate.HAZARD | Gate.RULE)
    assert moved[~allowed].sum() == 0
    paths = traced.paths
    assert paths is not None
    origin, destination = paths[:-1].ravel(), paths[1:].ravel()
    assert allowed[origin, destination].all()


def test_jobafklaring_only_from_sygedagpenge_after_revurdering(model: TransitionModel, small_population: labsim.Population) -> None:
    strict = _with_rules(model, extension_probability=0.0)
    run = labsim.simulate(small_population, strict, start=START, end="2027-12", seed=2, trace=True)
    paths = run.paths
    assert paths is not None
    entered = (paths[1:] == State.JOBAFKLARING) & (paths[:-1] != State.JOBAFKLARING)
    assert entered.sum() > 10
    assert np.all(paths[:-1][entered] == State.SYGEDAGPENGE)
    # Without extension grounds, a sickness spell that starts in the run lasts at most 6 months.
    sick = (paths == State.SYGEDAGPENGE).astype(np.int32)
    run_length = np.zeros(paths.shape[1], np.int32)
    longest = 0
    fresh = paths[0] != State.SYGEDAGPENGE
    for t in range(paths.shape[0]):
        run_length = (run_length + 1) * sick[t]
        longest = max(longest, int(run_length[fresh].max()))
    assert strict.rules is not None
    assert longest == strict.rules.revurdering_months + strict.rules.employer_period_months


def test_every_case_is_extended_when_extension_is_certain(model: TransitionModel, small_population: labsim.Population) -> None:
    """COVID-19-style extension of the sygedagpenge right: nobody moves to jobafklaring."""
    extended = _with_rules(model, extension_probability=1.0, extension_limits_suspended=True)
    run = labsim.simulate(small_population, extended, start=START, end="2025-12", seed=2)
    assert run.ledger.flows[:, :, State.SYGEDAGPENGE, State.JOBAFKLARING].sum() == 0


def test_foertidspension_is_rare_under_40(traced: labsim.Run) -> None:
    paths = traced.paths
    assert paths is not None
    ages = _ages(traced)[1:]
    new = (paths[1:] == State.FOERTIDSPENSION) & (paths[:-1] != State.FOERTIDSPENSION)
    under_40 = new & (ages < 40 * 12)
    assert new.sum() > 0 and under_40.sum() < 0.1 * new.sum()


def test_efterloen_and_seniorpension_only_at_their_ages(traced: labsim.Run, model: TransitionModel) -> None:
    assert model.rules is not None and traced.paths is not None
    births = traced.final_population.birth_month.astype(np.int64)
    ages = _ages(traced)[1:]
    entered = lambda s: (traced.paths[1:] == s) & (traced.paths[:-1] != s)  # noqa: E731
    efterloen_age = model.rules.pension.efterloen_age(births)[None, :]
    assert entered(State.EFTERLOEN).any()
    assert np.all(ages[entered(State.EFTERLOEN)] >= np.broadcast_to(efterloen_age, ages.shape)[entered(State.EFTERLOEN)])
    window = model.rules.pension.folkepension_age(births)[None, :] - 12 * model.rules.seniorpension_window_years
    senior = entered(State.SENIORPENSION)
    assert senior.any() and np.all(ages[senior] >= np.broadcast_to(window, ages.shape)[senior])


def test_rule_parameters_are_validated(model: TransitionModel) -> None:
    with pytest.raises(labsim.ModelError, match="rules.extension_probability must be a share in \\[0, 1\\]; got 1.5"):
        _with_rules(model, extension_probability=1.5)
    with pytest.raises(labsim.ModelError, match="dagpenge_max_months must be at least 1 and below dagpenge_window_months; got 40 and 36"):
        _with_rules(model, dagpenge_max_months=40)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_no_forbidden_flow_in_a_municipality_sized_run(model: TransitionModel, seed: int) -> None:
    """Rare combinations (a reassessment in the month of the 30th birthday) need a large population."""
    population = labsim.synthesise(labsim.default_profile(), pension=model.rules.pension, seed=seed)  # type: ignore[union-attr]
    run = labsim.simulate(population, model, start=START, end=END, seed=seed)
    moved = run.ledger.flows.sum(axis=(0, 1))
    assert moved[~run.catalogue.allowed_matrix(Gate.HAZARD | Gate.RULE)].sum() == 0


def test_counters_start_from_the_spell_so_far(model: TransitionModel) -> None:
    """A person 100 months into a-dagpenge has used the right; 30 months on førtidspension are past week 52."""
    frame = {"state": ["a_dagpenge", "a_dagpenge", "foertidspension"], "age": [45, 45, 50], "months_in_state": [100, 3, 30]}
    population = labsim.Population.from_frame(frame, at=START)
    run = labsim.simulate(population, model, start=START, end="2022-06", seed=1, trace=True)
    assert run.paths is not None
    assert run.paths[1, 0] != State.A_DAGPENGE  # exhausted at once
    support = run.support_months()
    fp = support[(support["state"] == "foertidspension") & (support["month"] == support["month"].min())]
    assert fp.set_index("refund_band")["person_months"].to_dict()["weeks_53_plus"] == 1.0


# -- the rules of the Danish rules issue: each holds in traced runs ----------------------------------------------


def _zero_exits(model: TransitionModel, *states: State) -> TransitionModel:
    """The model with no hazard out of ``states``: their persons leave only by a forced move."""
    hazard = model.hazard.copy()
    hazard[list(states)] = 0.0
    return replace(model, hazard=hazard)


def _spells(paths: np.ndarray, state: State) -> list[tuple[int, int, int]]:
    """``(person, first month index, length)`` of every spell in ``state`` that starts within the run."""
    spells = []
    on = paths == state
    for person in np.flatnonzero(on.any(axis=0)):
        column = np.concatenate([[False], on[:, person], [False]])
        starts = np.flatnonzero(column[1:] & ~column[:-1])
        ends = np.flatnonzero(column[:-1] & ~column[1:])
        spells += [(int(person), int(a), int(b - a)) for a, b in zip(starts, ends, strict=True) if a > 0]
    return spells


def test_a_used_up_dagpenge_right_needs_12_months_of_work_before_a_new_period(model: TransitionModel) -> None:
    population = labsim.synthesise(labsim.default_profile().scaled(20_000), pension=model.rules.pension, seed=4)  # type: ignore[union-attr]
    run = labsim.simulate(population, model, start=START, end=END, seed=4, trace=True)
    paths = run.paths
    assert paths is not None
    on = (paths == State.A_DAGPENGE).astype(np.int32)
    cumulative = np.vstack([np.zeros((1, on.shape[1]), np.int32), np.cumsum(on, axis=0)])
    window = cumulative[1:] - cumulative[np.maximum(np.arange(1, len(on) + 1) - 36, 0)]  # months used, t−35 … t
    worked = np.vstack([np.zeros((1, on.shape[1]), np.int32), np.cumsum(paths == State.EMPLOYED, axis=0)])
    used_up = (window >= 24) & (on == 1)
    re_entries = 0
    for t, person in zip(*np.nonzero(used_up), strict=True):
        later = np.flatnonzero(on[t + 1:, person] & ~on[t:-1, person]) + t + 1  # first months of later spells
        if later.size:
            re_entries += 1
            assert worked[later[0], person] - worked[t + 1, person] >= 12, (person, t, later[0])
    assert re_entries > 20  # the rule binds: without it about 4 in 10 came back after less than 12 months of work


def test_no_dagpenge_right_is_used_up_in_the_covid_suspension(model: TransitionModel) -> None:
    """Persons on a-dagpenge who can leave them only by using up the right (no hazard out) leave exactly when
    their months outside the suspensions (March–August 2020, January–June 2021) reach 24 of the last 36."""
    start = "2019-06"
    fixed = _zero_exits(model, State.A_DAGPENGE)
    months_in = np.arange(0, 24)
    population = labsim.Population.from_frame({"state": ["a_dagpenge"] * 24, "age": [40] * 24, "education": ["faglaert"] * 24,
                                               "months_in_state": months_in}, at=start)
    events = labsim.Events(calendar=labsim.danish_calendar(fixed, start, "2023-12"))
    run = labsim.simulate(population, fixed, start=start, end="2023-12", seed=3, trace=True, events=events)
    paths = run.paths
    assert paths is not None
    months = np.arange(run.start_month, run.start_month + run.n_months)
    suspended = np.isin([labsim.month_label(m) for m in months], [*(f"2020-{i:02d}" for i in range(3, 9)),
                                                                  *(f"2021-{i:02d}" for i in range(1, 7))])
    left = (paths[:-1] == State.A_DAGPENGE) & (paths[1:] != State.A_DAGPENGE)  # leaving at the end of month t
    assert not left[suspended[:-1]].any()
    for person, m in enumerate(months_in):
        counted = np.concatenate([np.ones(m, bool), ~suspended])  # the months before the run all count
        used = np.array([counted[max(0, i - 35): i + 1].sum() for i in range(m, len(counted))])
        expected = int(np.argmax(used >= 24))
        assert np.flatnonzero(left[:, person])[0] == expected, person
    without = labsim.simulate(population, fixed, start=start, end="2023-12", seed=3, trace=True)
    assert without.paths is not None
    assert ((without.paths[:-1] == State.A_DAGPENGE) & (without.paths[1:] != State.A_DAGPENGE))[suspended[:-1]].any()


def test_no_unqualified_person_under_30_ever_enters_kontanthjaelp(model: TransitionModel) -> None:
    """Every path into social assistance: a hazard, the end of a ressourceforløb or a jobafklaringsforløb, a used-up
    a-dagpenge right, arrivals; a qualification gained in education changes the benefit."""
    start = "2021-06"
    young = {"age": [22] * 6, "education": ["ufaglaert"] * 6,
             "state": ["ressourceforloeb", "ressourceforloeb", "jobafklaring", "jobafklaring", "a_dagpenge", "a_dagpenge"],
             "months_in_state": [58, 59, 23, 47, 23, 30]}
    population = labsim.Population.from_frame(young, at=start)
    fixed = _zero_exits(model, State.RESSOURCEFORLOEB, State.JOBAFKLARING, State.A_DAGPENGE)
    fixed = _with_rules(fixed, jobafklaring_renewal_share=0.0, exhausted_to_kontanthjaelp=1.0)
    events = labsim.Events(calendar=labsim.danish_calendar(fixed, start, "2022-12"))
    run = labsim.simulate(population, fixed, start=start, end="2022-12", seed=1, trace=True, events=events)
    assert run.paths is not None
    youth = [State.UDDANNELSESHJAELP_UDDANNELSESPARAT, State.UDDANNELSESHJAELP_AKTIVITETSPARAT]
    for person in range(6):  # the only way out of their states is the forced end: it lands on uddannelseshjælp
        path = run.paths[:, person]
        assert path[np.argmax(path != path[0])] in youth, (person, path[:4])
    big = labsim.synthesise(labsim.default_profile().scaled(20_000), pension=model.rules.pension, seed=5)  # type: ignore[union-attr]
    run = labsim.simulate(big, model, start=START, end="2031-12", seed=5, trace=True,
                          events=labsim.Events(calendar=labsim.danish_calendar(model, START, "2031-12")))
    paths = run.paths
    assert paths is not None
    kontant = np.isin(paths, [State.KONTANTHJAELP_JOBPARAT, State.KONTANTHJAELP_AKTIVITETSPARAT])
    where, present = run.final_population.positions(big.ids)  # education only ever rises: unqualified at the end,
    unqualified = present & (run.final_population.education[np.minimum(where, run.final_population.n_persons - 1)]
                             == labsim.Education.UFAGLAERT)  # unqualified throughout
    assert unqualified.sum() > 1000 and (kontant & (_ages(run) < 30 * 12)).any()
    assert not (kontant & unqualified[None, :] & (_ages(run) < 30 * 12)).any()
    arrivals = {"state": np.full(4, State.KONTANTHJAELP_AKTIVITETSPARAT, np.int8), "education": np.array([0, 1, 0, 0], np.int8),
                "birth_month": np.array([labsim.parse_month(m) for m in ("2005-01", "2005-01", "1990-01", "1950-01")])}
    model.rules.bind(model.catalogue, model.ages).admit(arrivals, labsim.parse_month(START))  # type: ignore[union-attr]
    assert arrivals["state"].tolist() == [State.UDDANNELSESHJAELP_AKTIVITETSPARAT, State.KONTANTHJAELP_AKTIVITETSPARAT,
                                          State.KONTANTHJAELP_AKTIVITETSPARAT, State.FOLKEPENSION]


def test_a_sygedagpenge_spell_ends_at_its_grounds_limit(model: TransitionModel, small_population: labsim.Population) -> None:
    """No extended spell runs past its ground's limit (69 weeks or 134 weeks from revurdering) except the share on
    grounds without one; the employer's first month is not counted towards the 22 weeks."""
    assert model.rules is not None
    revurdering = model.rules.revurdering_months + model.rules.employer_period_months  # the 7th month of a spell
    short, long = (model.rules.extension_months(weeks) for weeks in (model.rules.work_testing_weeks, model.rules.treatment_weeks))
    for work, treatment, longest in ((1.0, 0.0, revurdering + short), (0.0, 1.0, revurdering + long)):
        rules = _with_rules(model, extension_probability=1.0, work_testing_share=work, treatment_share=treatment)
        run = labsim.simulate(small_population, rules, start=START, end=END, seed=6, trace=True)
        assert run.paths is not None
        lengths = [length for _, _, length in _spells(run.paths, State.SYGEDAGPENGE)]
        assert max(lengths) == longest, (work, treatment)
    run = labsim.simulate(small_population, model, start=START, end=END, seed=6, trace=True)
    assert run.paths is not None
    extended = np.array([length for _, _, length in _spells(run.paths, State.SYGEDAGPENGE) if length > revurdering])
    unlimited = 1.0 - model.rules.work_testing_share - model.rules.treatment_share
    assert extended.size > 100
    assert 0 < (extended > revurdering + long).mean() <= unlimited


def test_jobafklaring_and_ressourceforloeb_end_when_the_law_says(model: TransitionModel) -> None:
    """A jobafklaringsforløb ends after 2 years unless renewed; a ressourceforløb granted before 2022 keeps its
    5 years, one granted from 2022 ends after 3 (no wave of ends in January 2022)."""
    start = "2021-06"
    months = [10, 30, 40, 50, 0, 20]
    frame = {"state": ["ressourceforloeb"] * 6 + ["jobafklaring"] * 2, "age": [45] * 8, "education": ["faglaert"] * 8,
             "months_in_state": [*months, 5, 20]}
    population = labsim.Population.from_frame(frame, at=start)
    fixed = _with_rules(_zero_exits(model, State.RESSOURCEFORLOEB, State.JOBAFKLARING), jobafklaring_renewal_share=0.0)
    events = labsim.Events(calendar=labsim.danish_calendar(fixed, start, "2026-12"))
    run = labsim.simulate(population, fixed, start=start, end="2026-12", seed=2, trace=True, events=events)
    paths = run.paths
    assert paths is not None
    for person, m in enumerate(months):
        spell = int(np.argmax(paths[:, person] != State.RESSOURCEFORLOEB)) + m  # months of the forløb when it ended
        assert spell == 60, (person, m, spell)  # granted before 2022
    for person, m in ((6, 5), (7, 20)):
        assert int(np.argmax(paths[:, person] != State.JOBAFKLARING)) + m == 24
    # A forløb granted from 2022 ends after 3 years: the persons whose first forløb ended go back to one.
    again = _spells(paths, State.RESSOURCEFORLOEB)
    assert all(length == 36 for _, first, length in again if first + length < len(paths))


def test_the_refund_counter_restarts_after_52_weeks_of_self_support_within_3_years(model: TransitionModel) -> None:
    """LKF § 6: the count restarts after 12 months off support within the last 36, counted since the last month
    on support — not after 12 months in a row; a month in fleksjob is not self-support."""
    assert model.rules is not None
    rules = model.rules.bind(model.catalogue, model.ages)
    person = labsim.Population.from_frame({"state": ["employed"], "age": [40]}, at=START).copy()
    rules.seed(person, labsim.parse_month(START))

    month = labsim.parse_month(START)

    def counter(path: str) -> list[int]:
        nonlocal month
        codes = {"S": State.KONTANTHJAELP_JOBPARAT, "O": State.EMPLOYED, "F": State.FLEKSJOB}
        out = []
        for letter in path:
            rules.begin(month)
            person.state[0] = codes[letter]
            out.append(int(rules.count(person, slice(0, 1), person.state.astype(np.intp))[0]))
            person.months_in_state[0] = 0
            month += 1
        return out

    # 3 on, 6 off, 2 on, 6 off: the 12th month off within 3 years restarts the count.
    assert counter("SSSOOOOOOSSOOOOOOS") == [1, 2, 3, 0, 0, 0, 0, 0, 0, 4, 5, 0, 0, 0, 0, 0, 0, 1]
    person.support_months[:] = 0
    person.support_window[:] = 0
    # 6 off, 30 on, 6 off: the first 6 months off are more than 3 years old when the next 6 end.
    assert counter("S" + "O" * 6 + "S" * 30 + "O" * 6 + "S")[-1] == 32
    person.support_months[:] = 0
    person.support_window[:] = 0
    assert counter("S" + "F" * 12 + "O" * 11 + "S")[-1] == 14  # fleksjob counts as support, not as self-support


def test_the_employers_first_month_of_sickness_costs_the_municipality_nothing(model: TransitionModel) -> None:
    assert model.rules is not None
    rules = model.rules.bind(model.catalogue, model.ages)
    persons = labsim.Population.from_frame({"state": ["sygedagpenge"] * 2, "age": [40, 40], "months_in_state": [0, 1]},
                                           at=START).copy()
    rules.seed(persons, labsim.parse_month(START))
    rules.begin(labsim.parse_month(START))
    assert rules.count(persons, slice(0, 2), persons.state.astype(np.intp)).tolist() == [0, 2]


def test_a_qualification_from_education_ends_uddannelseshjaelp(model: TransitionModel) -> None:
    assert model.rules is not None
    rules = model.rules.bind(model.catalogue, model.ages, labsim.rng.RandomStreams(0))
    persons = labsim.Population.from_frame({"state": ["education"] * 2, "age": [22, 22], "education": ["ufaglaert"] * 2,
                                            "months_in_state": [5, 30]}, at=START)
    persons = persons.copy()
    rules.begin(labsim.parse_month(START))
    next_state = np.full(2, State.KONTANTHJAELP_JOBPARAT, np.int8)
    rules.force(persons, slice(0, 2), persons.state, next_state, None)
    assert next_state.tolist() == [State.UDDANNELSESHJAELP_UDDANNELSESPARAT, State.KONTANTHJAELP_JOBPARAT]
    assert persons.education.tolist() == [labsim.Education.UFAGLAERT, labsim.Education.FAGLAERT]


def test_ledighedsydelse_to_fleksjob_needs_no_new_decision() -> None:
    catalogue = labsim.danish_catalogue()
    assert catalogue.allows("ledighedsydelse", "fleksjob") and not catalogue.allows("ledighedsydelse", "fleksjob", via=Gate.REHAB)
    assert catalogue.allows("kontanthjaelp_aktivitetsparat", "fleksjob", via=Gate.REHAB)


def test_no_new_ressourceforloeb_near_folkepension_age_from_2022(model: TransitionModel) -> None:
    from labsim.core.cell_table import CellLayout, cell_hazards

    layout = CellLayout.for_model(model)
    stage = model.ages.stage_of_class()
    before = cell_hazards(model, layout)[State.KONTANTHJAELP_AKTIVITETSPARAT, ..., State.RESSOURCEFORLOEB]
    after = cell_hazards(_with_rules(model, ressourceforloeb_near_pension_factor=0.1), layout)[
        State.KONTANTHJAELP_AKTIVITETSPARAT, ..., State.RESSOURCEFORLOEB]
    near = (stage >= 1) & (stage < 3)
    np.testing.assert_allclose(after[:, near], 0.1 * before[:, near])
    np.testing.assert_array_equal(after[:, stage == 0], before[:, stage == 0])
