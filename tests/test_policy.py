"""Efforts and strategies: the contract, capacity, dates, costs, phases, exact probabilities and every built-in."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

import labsim
from labsim.core.model import TransitionModel
from labsim.core.participation import Participation
from labsim.errors import ForbiddenTransitionError, LabsimError, ModelError, UnknownStateError, ValidationError
from labsim.events import Jobcenter
from labsim.events.efforts import EffortRunner
from labsim.policy import Capacity, Costs, Effort, Eligibility, Impact, Schedule, Strategy, library
from labsim.policy.library import BUILT_INS
from labsim.policy.library.common import TeamEffort
from labsim.rng import RandomStreams
from labsim.testing import EffortContractError, check_effort

KH = ("kontanthjaelp_jobparat", "kontanthjaelp_aktivitetsparat")
START, END = "2022-01", "2024-12"


def _effort(**changes: object) -> Effort:
    settings: dict = {
        "name": "praktik",
        "eligibility": Eligibility(states=KH),
        "schedule": Schedule("2022-01"),
        "impacts": (Impact(origins=KH, destinations=("employed",), during=1.5, after=1.2),),
        "capacity": Capacity(seats=10),
        "duration_months": 3,
        "after_months": 6,
        "costs": Costs(per_participant_month=1000),
    }
    settings.update(changes)
    return Effort(**settings)


@pytest.fixture(scope="module")
def municipality(model: TransitionModel) -> labsim.Population:
    """About 24,000 persons aged 16+ (a 30,000-inhabitant municipality)."""
    return labsim.synthesise(replace(labsim.default_profile(), inhabitants=30_000), pension=model.rules.pension, seed=5)  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def baseline(municipality: labsim.Population, model: TransitionModel) -> labsim.Run:
    return labsim.simulate(municipality, model, start=START, end=END, seed=9, trace=True)


def _run(population: labsim.Population, model: TransitionModel, *efforts: Effort, **options: object) -> labsim.Run:
    settings: dict = {"start": START, "end": END, "seed": 9, "trace": True}
    settings.update(options)
    return labsim.simulate(population, model, strategy=Strategy("test", efforts), **settings)


# -- the contract -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(BUILT_INS))
def test_every_built_in_passes_the_contract(name: str) -> None:
    effort = BUILT_INS[name]().build()
    assert effort.name == name
    check_effort(effort)


def test_check_effort_catches_a_plan_that_mutates_the_population() -> None:
    class Meddler:
        name = "meddler"

        def plan(self, month, population, streams):  # type: ignore[no-untyped-def]
            population.months_in_state[:1] += 1
            return _effort().plan(month, population, streams)

    with pytest.raises(EffortContractError, match="meddler.*changed the population"):
        check_effort(Meddler())


def test_check_effort_catches_an_effort_that_acts_before_its_start() -> None:
    class Eager:
        name = "eager"
        schedule = Schedule("2023-01")

        def plan(self, month, population, streams):  # type: ignore[no-untyped-def]
            return _effort(schedule=Schedule("2020-01")).plan(month, population, streams)

    with pytest.raises(EffortContractError, match="eager.*before the start"):
        check_effort(Eager())


def test_check_effort_catches_a_nondeterministic_plan() -> None:
    class Dice:
        name = "dice"
        generator = np.random.default_rng()

        def plan(self, month, population, streams):  # type: ignore[no-untyped-def]
            plan = _effort().plan(month, population, streams)
            return replace(plan, eligible=plan.eligible & (self.generator.random(population.n_persons) < 0.5))

    with pytest.raises(EffortContractError, match="dice.*same seed differ"):
        check_effort(Dice())


def test_check_effort_catches_an_effect_on_a_forbidden_transition() -> None:
    class Smuggler:
        name = "smuggler"

        def plan(self, month, population, streams):  # type: ignore[no-untyped-def]
            plan = _effort().plan(month, population, streams)
            multipliers = plan.multipliers.copy()
            multipliers[1, labsim.State.EMPLOYED, labsim.State.FOLKEPENSION] = 2.0
            return replace(plan, multipliers=multipliers)

    with pytest.raises(EffortContractError, match="'employed' → 'folkepension'"):
        check_effort(Smuggler())


def test_a_user_effort_needs_no_subclass(municipality: labsim.Population, model: TransitionModel) -> None:
    class EveryoneOnKontanthjaelp:
        """A duck-typed effort: any object with a name and a plan."""

        name = "everyone"
        inner = _effort(capacity=Capacity())

        def plan(self, month, population, streams):  # type: ignore[no-untyped-def]
            return self.inner.plan(month, population, streams)

    check_effort(EveryoneOnKontanthjaelp())
    run = labsim.simulate(municipality, model, start=START, end="2022-06", seed=1,
                          strategy=Strategy("duck", [EveryoneOnKontanthjaelp()]))
    assert run.efforts()["served"].gt(10).all()


# -- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("changes", "error", "pattern"), [
    ({"impacts": (Impact(origins=KH, destinations=("employed",), during=-0.5),)}, ModelError,
     r"effort 'praktik'\.impacts\[0\]\.during must be a multiplier from 0 to 100; got -0\.5"),
    ({"eligibility": Eligibility(states=("kontanthjaelp", "a_dagpenge"))}, UnknownStateError,
     r"effort 'praktik'\.eligibility\.states\[0\] must name a state .*got 'kontanthjaelp'"),
    ({"schedule": Schedule("2024-01", "2024-06", ramp_months=9)}, ModelError,
     r"effort 'praktik'\.schedule\.ramp_months must not be longer than the effort \(6 months.*got 9"),
    ({"impacts": (Impact(origins=("employed",), destinations=("foertidspension",), during=2.0),)},
     ForbiddenTransitionError, r"effort 'praktik'\.impacts\[0\]: an effect on 'employed' → 'foertidspension'"),
    ({"capacity": Capacity(seats=-3)}, ModelError, r"effort 'praktik'\.capacity\.seats must be a whole number ≥ 0; got -3"),
    ({"eligibility": Eligibility(states=KH, share=1.5)}, ModelError, r"effort 'praktik'\.eligibility\.share .*got 1\.5"),
    ({"lock_in_months": 4}, ModelError, r"effort 'praktik'\.lock_in_months must not exceed duration_months \(3\); got 4"),
    ({"eligibility": Eligibility(states=KH, origin=("danish",))}, ModelError,
     r"effort 'praktik'\.eligibility\.origin\[0\] must be one of .*got 'danish'"),
])
def test_bad_input_names_the_effort_the_field_and_the_value(changes: dict, error: type, pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        _effort(**changes)
    with pytest.raises(error, match="^" + pattern) as caught:  # the same, once, through replace
        _effort().replace(**changes)
    assert str(caught.value).count("effort 'praktik'") == 1
    assert issubclass(error, LabsimError)


def test_a_built_in_rejects_a_negative_effect_and_unknown_knobs() -> None:
    with pytest.raises(ModelError, match=r"^effort 'ips'\.effect must be a multiplier from 0 to 100; got -1\.$"):
        library.IPS(effect=-1)
    with pytest.raises(ModelError, match=r"^effort 'ips'\.start must be a month like '2024-01'.*; got '2021-13'\.$"):
        library.IPS(start="2021-13")
    with pytest.raises(ModelError, match=r"^effort 'ips'\.stop must not come before start \(2021-01\); got '2020-12'"):
        library.IPS(stop="2020-12")
    with pytest.raises(ModelError, match=r"^effort 'ips'\.share must be a share in \(0, 1\]; got 0"):
        library.IPS(share=0)
    with pytest.raises(TypeError, match="seets"):
        library.IPS(seets=3)  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match=r"effort 'ips' has no knob 'seets'; its knobs are title, start"):
        library.IPS().replace(seets=3)


# -- strategies ---------------------------------------------------------------------------------


def test_strategies_derive_and_compose() -> None:
    base = Strategy("hjoerring", [library.HjoerringCaseload(), library.IPS(), library.Voksenlaerling()])
    assert base.without("ips").names == ("hjoerring_caseload", "voksenlaerling")
    bigger = base.replace(library.IPS(caseworkers=6))
    assert bigger.names == base.names and bigger["ips"].capacity.caseworkers == 6  # type: ignore[attr-defined]
    both = base.without("ips") + Strategy("extra", [library.Smaajobs()])
    assert both.names == ("hjoerring_caseload", "voksenlaerling", "smaajobs") and both.name == "hjoerring-without-ips+extra"
    with pytest.raises(LabsimError, match="'ips' appear more than once"):
        base.with_efforts(library.IPS())
    with pytest.raises(LabsimError, match="has no effort 'ipz'"):
        base.without("ipz")


# -- capacity, dates, costs -------------------------------------------------------------------


def test_ten_seats_never_serve_eleven(municipality: labsim.Population, model: TransitionModel) -> None:
    run = _run(municipality, model, _effort(), trace=False)
    months = run.efforts()
    assert months["served"].max() == 10 and (months["served"] == 10).sum() > 30
    assert (months["eligible"] > 100).all()  # far more eligible than places


def test_ramp_up_and_caseworker_capacity(municipality: labsim.Population, model: TransitionModel) -> None:
    effort = _effort(capacity=Capacity(caseworkers=2.5, caseload=8), schedule=Schedule("2022-01", ramp_months=4))
    months = _run(municipality, model, effort, end="2022-08", trace=False).efforts()
    assert months["places"].tolist() == [5, 10, 15, 20, 20, 20, 20, 20]  # floor(2.5 × 8 × k/4)
    assert (months["served"] <= months["places"]).all()


def test_an_effort_dated_2024_changes_nothing_before(municipality: labsim.Population, model: TransitionModel,
                                                     baseline: labsim.Run) -> None:
    run = _run(municipality, model, _effort(schedule=Schedule("2024-01"), capacity=Capacity()))
    first = labsim.parse_month("2024-01") - labsim.parse_month(START)
    assert run.paths is not None and baseline.paths is not None
    # Row t is the state at the start of month t: the step of 2024-01 is the first that can differ.
    assert np.array_equal(run.paths[: first + 1], baseline.paths[: first + 1])
    assert not np.array_equal(run.paths[first + 1 :], baseline.paths[first + 1 :])
    months = run.efforts()
    before = months[months["month"] < "2024-01"]
    assert before[["served", "new", "after", "cost_dkk"]].eq(0).all().all()


def test_costs_add_up_to_participants_times_unit_costs(municipality: labsim.Population, model: TransitionModel) -> None:
    effort = _effort(capacity=Capacity(caseworkers=1.5, caseload=20), schedule=Schedule("2022-07", "2023-12"),
                     costs=Costs(per_participant_month=1000, per_caseworker_year=120_000, fixed_per_year=24_000))
    months = _run(municipality, model, effort, trace=False).efforts()
    active = 18
    assert months["cost_dkk"].sum() == months["served"].sum() * 1000 + active * (1.5 * 10_000 + 2_000)
    yearly = _run(municipality, model, effort, trace=False).effort_costs("year")
    assert yearly["cost_dkk"].sum() == months["cost_dkk"].sum()
    assert yearly["served_months"].sum() == months["served"].sum()


# -- phases and exact probabilities ----------------------------------------------------------


def test_phases_follow_duration_lock_in_and_after() -> None:
    """The runner alone, with nobody moving: 5 seats fill at once, serve 4 months (2 of them locked in), then
    6 months after; the other 3 join when the first 5 finish. Nobody joins twice in one spell."""
    chain = labsim.markov_model(["a", "b"], [[0.9, 0.1], [0.1, 0.9]])
    population = labsim.Population.from_counts({"a": 8, "b": 2}, catalogue=chain.catalogue).copy()
    effort = Effort(name="course", eligibility=Eligibility(states=("a",)), schedule=Schedule("2022-01"),
                    impacts=(Impact(origins=("a",), destinations=("b",), lock_in=0.5, during=2.0, after=1.5),),
                    capacity=Capacity(seats=5), duration_months=4, lock_in_months=2, after_months=6,
                    catalogue=chain.catalogue)
    runner = EffortRunner([effort], chain.n_states, RandomStreams(1))
    start = labsim.parse_month("2022-01")
    multipliers = []
    for t in range(14):
        participation = Participation.combine([runner.month(t, start + t, population)])
        multipliers.append([] if participation is None
                           else sorted(participation.multipliers[participation.combination, 0, 1].tolist()))
        population.months_in_state += 1  # everyone stays on in their spell
    served = [m.served for m in runner.months]
    after = [m.after for m in runner.months]
    assert served == [5, 5, 5, 5, 3, 3, 3, 3, 0, 0, 0, 0, 0, 0]
    assert [m.new for m in runner.months] == [5, 0, 0, 0, 3] + [0] * 9
    assert after == [0, 0, 0, 0, 5, 5, 5, 5, 8, 8, 3, 3, 3, 3]
    assert multipliers[0] == [0.5] * 5 and multipliers[2] == [2.0] * 5
    assert multipliers[4] == [0.5] * 3 + [1.5] * 5  # the newcomers are locked in, the first five are after
    assert multipliers[13] == [1.5] * 3  # the first five are done and, in the same spell, stay out


def test_efforts_multiply_where_they_overlap() -> None:
    chain = labsim.markov_model(["a", "b"], [[0.9, 0.1], [0.1, 0.9]])
    population = labsim.Population.from_counts({"a": 4}, catalogue=chain.catalogue)
    efforts = [Effort(name=name, eligibility=Eligibility(states=("a",)), schedule=Schedule("2022-01"),
                      impacts=(Impact(origins=("a",), destinations=("b",), during=value),), catalogue=chain.catalogue)
               for name, value in (("two", 2.0), ("three", 3.0))]
    participation = Participation.combine([EffortRunner(efforts, 2, RandomStreams(1)).month(
        0, labsim.parse_month("2022-01"), population)])
    assert participation is not None
    assert participation.positions.tolist() == [0, 1, 2, 3]
    assert participation.multipliers[participation.combination, 0, 1].tolist() == [6.0] * 4


def test_participants_move_with_exactly_the_multiplied_hazard() -> None:
    """A two-state chain with monthly hazard 0.1: with a multiplier of 2.5, the share leaving in the first
    month is 1 − exp(−0.25) = 0.2212; 200,000 persons give a standard error of 0.0009 (tolerance 4 SE)."""
    hazard = 0.1
    chain = labsim.markov_model(["a", "b"], [[math.exp(-hazard), 1 - math.exp(-hazard)], [0.0, 1.0]])
    population = labsim.Population.from_counts({"a": 200_000}, catalogue=chain.catalogue)
    effort = Effort(name="boost", eligibility=Eligibility(states=("a",), share=0.5), schedule=Schedule("2022-01"),
                    impacts=(Impact(origins=("a",), destinations=("b",), during=2.5),), catalogue=chain.catalogue)
    run = labsim.simulate(population, chain, start="2022-01", end="2022-01", seed=3, trace=True,
                          strategy=Strategy("s", [effort]))
    served = run.efforts()["served"].iloc[0]
    assert abs(served - 100_000) < 4 * math.sqrt(200_000 * 0.25)  # share 0.5 of the group
    plan = effort.plan(labsim.parse_month("2022-01"), population, RandomStreams(3))
    moved = run.final_population.state == 1
    expected = 1 - math.exp(-2.5 * hazard), 1 - math.exp(-hazard)
    for members, probability in zip((plan.eligible, ~plan.eligible), expected, strict=True):
        share = moved[members].mean()
        assert abs(share - probability) < 4 * math.sqrt(probability * (1 - probability) / members.sum())


# -- built-ins: direction and untouched persons ------------------------------------------------


def _unlimited(effort: Effort) -> Effort:
    """The effort open to everyone eligible from the run's start, so that its direction shows clearly."""
    return effort.replace(capacity=Capacity(), schedule=Schedule(START))


def _target_flows(run: labsim.Run, effort: Effort) -> int:
    flows = run.flows()
    pairs = {(o, d) for impact in effort.impacts for o in impact.origins for d in impact.destinations}
    chosen = [pair in pairs for pair in zip(flows["from_state"], flows["to_state"], strict=True)]
    return int(flows.loc[chosen, "count"].sum())


def _direction(effort: Effort) -> float:
    """The log of the effort's main multiplier: positive raises its target flows, 0 leaves them."""
    values = [v for impact in effort.impacts for v in (impact.during, impact.after) if v != 1.0]
    return math.log(max(values, key=lambda v: abs(math.log(v)))) if values else 0.0


SERVING = [name for name, spec in BUILT_INS.items() if not issubclass(spec, TeamEffort)]
"""The built-ins that serve persons themselves (the others add caseworkers to a jobcenter team)."""
TEAMS = Jobcenter(teams=(
    labsim.CaseworkerTeam(name="aktivitetsparate", states=("kontanthjaelp_aktivitetsparat",), caseworkers=2),
    labsim.CaseworkerTeam(name="far_from_work", states=("uddannelseshjaelp_aktivitetsparat", "ledighedsydelse",
                                                        "ressourceforloeb"), caseworkers=2)))
"""The teams the team efforts join, small enough that their caseworkers matter."""


@pytest.mark.parametrize("name", SERVING)
def test_every_built_in_moves_its_targets_the_way_its_evidence_says(
    name: str, municipality: labsim.Population, model: TransitionModel, baseline: labsim.Run,
) -> None:
    effort = BUILT_INS[name]().build()
    if name == "uddannelsesloeft":
        effort = library.Uddannelsesloeft(during_effect=1.0).build()  # the lock-in is tested on its own below
    opened = _unlimited(effort)
    run = _run(municipality, model, opened)
    assert run.paths is not None and baseline.paths is not None
    served = run.efforts()["served"].sum()
    assert served > 0, f"{name} served nobody"
    change = _target_flows(run, opened) - _target_flows(baseline, opened)
    direction = _direction(effort)
    if abs(direction) < 0.01:  # the evidence finds no effect (early follow-up) or next to none
        assert abs(change) <= 0.02 * _target_flows(baseline, opened) + 5
    else:
        assert np.sign(change) == np.sign(direction), f"{name}: {change} more target flows for multiplier e^{direction:.2f}"
    # Persons who never set foot in the effort's states walk exactly the same path.
    codes = [model.catalogue.code(s) for s in effort.eligibility.states]
    outside = ~np.isin(baseline.paths, codes).any(axis=0)
    assert outside.sum() > 1000
    assert np.array_equal(run.paths[:, outside], baseline.paths[:, outside])


@pytest.mark.parametrize("name", sorted(set(BUILT_INS) - set(SERVING)))
def test_a_team_effort_raises_the_exits_of_its_teams_group(name: str, municipality: labsim.Population,
                                                           model: TransitionModel) -> None:
    """Its caseworkers join the team: more contacts for the whole group, more exits to work and education from the
    team's states, and nobody outside the teams' groups walks another path."""
    effort = BUILT_INS[name](start=START, stop=None).build()
    team = next(t for t in TEAMS.teams if t.name == effort.capacity.team)
    without = _run(municipality, model, jobcenter=TEAMS)
    run = _run(municipality, model, effort, jobcenter=TEAMS)
    assert (run.teams().query("team == @team.name")["contacts"].mean()
            > without.teams().query("team == @team.name")["contacts"].mean())
    codes = [model.catalogue.code(s) for s in team.states]
    work = [model.catalogue.code(s) for s in ("employed", "education")]
    exits = {key: r.ledger.flows.sum(axis=1)[:, codes][:, :, work].sum() for key, r in (("with", run), ("without", without))}
    assert exits["with"] > exits["without"], exits
    assert run.paths is not None and without.paths is not None
    # outside every team's group (a group's contacts change when persons move between groups)
    followed = [model.catalogue.code(s) for t in TEAMS.teams for s in t.states]
    outside = ~np.isin(without.paths, followed).any(axis=0) & ~np.isin(run.paths, followed).any(axis=0)
    assert outside.sum() > 1000 and np.array_equal(run.paths[:, outside], without.paths[:, outside])


def test_a_lock_in_slows_exits_while_it_lasts(municipality: labsim.Population, model: TransitionModel,
                                             baseline: labsim.Run) -> None:
    locked = _unlimited(library.Uddannelsesloeft(effect=1.0).build())
    assert _target_flows(_run(municipality, model, locked), locked) < _target_flows(baseline, locked)


def test_persons_outside_the_age_range_are_untouched(municipality: labsim.Population, model: TransitionModel,
                                                     baseline: labsim.Run) -> None:
    effort = _unlimited(library.VirksomhedspraktikPrivate().build())  # for those aged 30 or more
    run = _run(municipality, model, effort)
    end = labsim.parse_month(END)
    young = municipality.birth_month > end - 30 * 12  # under 30 until the run ends
    assert run.paths is not None and baseline.paths is not None
    assert young.sum() > 1000
    assert np.array_equal(run.paths[:, young], baseline.paths[:, young])
    assert not np.array_equal(run.paths[:, ~young], baseline.paths[:, ~young])


def test_runs_with_efforts_are_reproducible(municipality: labsim.Population, model: TransitionModel) -> None:
    strategy = [library.IPS(), library.Smaajobs(), library.HjoerringCaseload()]
    one, two = (_run(municipality, model, *strategy, trace=False, end="2022-12", jobcenter=TEAMS) for _ in range(2))
    assert one.efforts().equals(two.efforts()) and one.stocks().equals(two.stocks())


def test_every_docstring_states_its_defaults() -> None:
    for name, spec in BUILT_INS.items():
        effort = spec().build()
        assert effort.title and spec.__doc__
        text = " ".join(spec.__doc__.split())
        for parameter, estimate in effort.evidence.items():
            assert estimate.describe() in text, f"{name}.{parameter}: {estimate.describe()}"
            assert estimate.source.startswith("DOMAIN.md"), name


def test_the_effort_reference_matches_the_code() -> None:
    from pathlib import Path

    from labsim.policy.library.reference import reference_markdown

    page = Path(__file__).resolve().parents[1] / "docs" / "efforts.md"
    assert page.read_text(encoding="utf-8") == reference_markdown(), "run: python docs/make_effort_reference.py"
    for name in BUILT_INS:
        assert f"\n## {name}\n" in page.read_text(encoding="utf-8")


def test_a_participant_does_not_rejoin_in_the_same_spell() -> None:
    """3 seats, 3 months, no after phase, nobody moving: the first three finish and the next three take
    their places; the first three stay out for as long as their spell lasts."""
    chain = labsim.markov_model(["a", "b"], [[0.9, 0.1], [0.1, 0.9]])
    population = labsim.Population.from_counts({"a": 8}, catalogue=chain.catalogue)
    population = labsim.Population.from_arrays(state=population.state, birth_month=population.birth_month,
                                               months_in_state=[9, 8, 7, 6, 5, 4, 3, 2], catalogue=chain.catalogue)
    effort = Effort(name="course", eligibility=Eligibility(states=("a",)), schedule=Schedule("2022-01"),
                    impacts=(Impact(origins=("a",), destinations=("b",), during=2.0),), capacity=Capacity(seats=3),
                    duration_months=3, catalogue=chain.catalogue)
    runner = EffortRunner([effort], chain.n_states, RandomStreams(1))
    served = []
    for t in range(12):
        participation = runner.month(t, labsim.parse_month("2022-01") + t, population)
        served.append(participation.positions.tolist() if participation is not None else [])
        population.months_in_state += 1  # everyone stays on in their spell
    assert served[:3] == [[0, 1, 2]] * 3 and served[3:6] == [[3, 4, 5]] * 3 and served[6:9] == [[6, 7]] * 3
    assert served[9:] == [[]] * 3
    assert [m.new for m in runner.months][:7] == [3, 0, 0, 3, 0, 0, 2]


def test_a_run_can_hold_every_built_in_at_once(municipality: labsim.Population, model: TransitionModel) -> None:
    strategy = Strategy("everything", [spec() for spec in BUILT_INS.values()])
    months = labsim.simulate(municipality, model, start=START, end="2022-06", seed=2, strategy=strategy,
                             jobcenter=TEAMS).efforts()
    assert set(months["effort"]) == set(BUILT_INS) and months["served"].sum() > 0
    assert (months["served"] <= months["places"].fillna(np.inf)).all()
