"""The master clock: a SimPy environment in which the monthly population step is one process among others.

Time is in months since the first simulated month. Whatever happens at the start of a month — a rule
change, a macro shock, caseworkers' meetings, a rehabiliteringsteam meeting, a course intake — happens at
the whole month; the population step of month ``m`` runs at ``m + 0.5``, after them. Cases for the
rehabiliteringsteam are SimPy processes of their own.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt
import simpy
from tqdm.auto import tqdm

from labsim.calendar import month_label
from labsim.core.flags import FlagEffects
from labsim.core.ledger import Ledger
from labsim.core.macro import MacroPath
from labsim.core.population import Population
from labsim.core.step import MonthlyStep
from labsim.errors import ModelError
from labsim.events.caseworkers import CONTACT_TARGETS, CaseworkerTeam, TeamMonth, allocate
from labsim.events.courses import CourseIntake
from labsim.events.dated import MacroShock, RuleChange, TeamChange
from labsim.events.desk import ServiceDesk
from labsim.events.efforts import EffortMonth, EffortRunner
from labsim.events.log import EventLog
from labsim.events.queue import QueueMonth, Wait
from labsim.events.rehab import RehabCase, RehabTeam
from labsim.policy import EffortLike
from labsim.rng import Purpose, RandomStreams
from labsim.states import StateCatalogue

__all__ = ["Events", "Clock", "EventOutputs", "CONTACT", "WAITING_REHAB", "IN_COURSE", "AFTER_COURSE"]

CONTACT, WAITING_REHAB, IN_COURSE, AFTER_COURSE = "contact", "waiting_rehab", "in_course", "after_course"
_STEP_OFFSET = 0.5  # the population step runs mid-month, after everything dated at the month's start
_REHAB_QUEUE = "rehabiliteringsteam"


@dataclass(frozen=True, slots=True, kw_only=True)
class Events:
    """What happens at dates or depends on capacity in a run.

    Attributes
    ----------
    calendar:
        Rule changes and macro shocks, each at its month.
    teams:
        Caseworker teams.
    rehab:
        The rehabiliteringsteam; ``None`` lets rehabiliteringsteam-gated moves happen at once.
    courses:
        Course intakes.
    """

    calendar: tuple[RuleChange | MacroShock | TeamChange, ...] = ()
    teams: tuple[CaseworkerTeam, ...] = ()
    rehab: RehabTeam | None = None
    courses: tuple[CourseIntake, ...] = ()

    def check(self, months: range, catalogue: StateCatalogue) -> None:
        """Raise :class:`~labsim.errors.ModelError` for an event dated outside the run or naming an unknown state."""
        first, last = months.start, months.stop - 1
        for event in self.calendar:
            if not first <= event.at <= last:
                raise ModelError(f"event {event.name!r} is dated {month_label(event.at)}, outside the run "
                                 f"({month_label(first)} to {month_label(last)}).")
        for course in self.courses:
            outside = [m for m in course.intakes if not first <= m <= last]
            if outside:
                raise ModelError(f"course {course.name!r} has an intake at {month_label(outside[0])}, outside the run "
                                 f"({month_label(first)} to {month_label(last)}).")
            catalogue.codes(course.states, field=f"course {course.name!r}.states")
        for team in self.teams:
            team.codes(catalogue)
        names = [team.name for team in self.teams]
        if len(set(names)) != len(names):
            raise ModelError(f"caseworker teams need distinct names; got {names}.")
        seen: dict[str, str] = {}
        for team in self.teams:
            for state in team.states:
                if state in seen:
                    raise ModelError(f"caseworker teams {seen[state]!r} and {team.name!r} both follow {state!r}; "
                                     "each state can have one team.")
                seen[state] = team.name
        for event in self.calendar:
            if isinstance(event, TeamChange) and event.team not in names:
                raise ModelError(f"team change {event.name!r} names team {event.team!r}, which is not among the teams ({', '.join(names) or 'none'}).")

    def flag_effects(self, catalogue: StateCatalogue) -> FlagEffects | None:
        """The flag bits these events use and what they do to hazards."""
        effects: list[tuple[str, Sequence[str], Sequence[str], float]] = []
        for team in self.teams:
            effects.append((CONTACT, team.states, CONTACT_TARGETS, team.contact_effect))
        if self.courses:
            during = {c.effect_during for c in self.courses}
            after = {c.effect_after for c in self.courses}
            if len(during) > 1 or len(after) > 1:
                raise ModelError("courses of one run share their flags, so their effect_during and effect_after must agree; "
                                 f"got {sorted(during)} and {sorted(after)}.")
            states = sorted({s for c in self.courses for s in c.states})
            effects.append((IN_COURSE, states, ("employed",), during.pop()))
            effects.append((AFTER_COURSE, states, ("employed",), after.pop()))
        hold = (WAITING_REHAB,) if self.rehab is not None else ()
        if not effects and not hold:
            return None
        return FlagEffects.build(catalogue, effects, hold_rehab=hold, extend_sickness=hold)


@dataclass(slots=True)
class EventOutputs:
    """What the events layer counted: the log, each caseworker team's months, each queue's months, the finished
    waits and each effort's months."""

    log: EventLog = field(default_factory=EventLog)
    team_months: list[TeamMonth] = field(default_factory=list)
    queue_months: list[QueueMonth] = field(default_factory=list)
    waits: list[Wait] = field(default_factory=list)
    effort_months: list[EffortMonth] = field(default_factory=list)


class Clock:
    """Runs one population through its months in a SimPy environment."""

    def __init__(
        self,
        *,
        population: Population,
        step: MonthlyStep,
        ledger: Ledger,
        months: range,
        events: Events,
        streams: RandomStreams,
        macro: MacroPath | None,
        paths: npt.NDArray[np.int8] | None,
        progress: bool = False,
        efforts: tuple[EffortLike, ...] = (),
    ) -> None:
        self.population = population
        self.progress = progress
        self.step = step
        self.ledger = ledger
        self.months = months
        self.events = events
        self.streams = streams
        self.macro = macro
        self.paths = paths
        self.env = simpy.Environment()
        self.outputs = EventOutputs()
        flags = step.flags
        self._bits = {name: np.uint8(flags.bit(name)) for name in flags.names} if flags is not None else {}
        catalogue = step.model.catalogue
        self._team_codes = [team.codes(catalogue) for team in events.teams]
        self.teams = events.teams  # current teams: dated team changes replace them
        self._cases: dict[int, RehabCase] = {}
        self._prepared: list[RehabCase] = []
        self._desk = ServiceDesk(self.env, events.rehab.preparers) if events.rehab is not None else None
        self._course_members: dict[int, tuple[int, int]] = {}  # person → (course end, after-course end) in run months
        self._course_waiting: dict[str, dict[int, int]] = {course.name: {} for course in events.courses}
        self._efforts = EffortRunner(efforts, step.model.n_states, streams) if efforts else None

    # -- running --------------------------------------------------------------------------------

    def run(self) -> EventOutputs:
        """Run every month; returns what the events layer counted."""
        env = self.env
        self._log_pension_steps()
        for event in self.events.calendar:
            env.process(self._dated(event))
        if self.events.teams or self.events.courses or self._efforts is not None:
            env.process(self._month_start())
        if self.events.rehab is not None:
            env.process(self._rehab_meetings(self.events.rehab))
        env.process(self._population())
        env.run(until=len(self.months))
        self.outputs.log.records.sort(key=lambda record: record.month)  # stable: same-month order kept
        if self._efforts is not None:
            self.outputs.effort_months = self._efforts.months
        for case in self._cases.values():  # still waiting when the run ends
            self.outputs.waits.append(self._wait(case, self.months.stop, env.now - case.opened, "waiting"))
        return self.outputs

    def _log_pension_steps(self) -> None:
        """Log the months in which a higher folkepension age first keeps a cohort in working age."""
        rules = self.step.model.rules
        if rules is None:
            return
        pension = rules.pension
        ages = pension.folkepension_age_months
        for i in range(1, len(ages)):
            if ages[i] <= ages[i - 1]:
                continue
            month = pension.born_from[i] + ages[i - 1]  # the first cohort reaches the old age and stays
            if self.months.start <= month < self.months.stop:
                self.outputs.log.add(month, "pension_age_step", f"folkepension at {ages[i] / 12:g}",
                                     born_from=month_label(pension.born_from[i]), previous_age=ages[i - 1] / 12,
                                     source="DOMAIN.md §2.6")
        self.outputs.log.records.sort(key=lambda record: record.month)

    def _month(self) -> int:
        return self.months.start + int(self.env.now)

    def _dated(self, event: RuleChange | MacroShock | TeamChange) -> Generator[simpy.Event, None, None]:
        yield self.env.timeout(event.at - self.months.start)
        if isinstance(event, TeamChange):
            self.teams = tuple(replace(t, caseworkers=event.caseworkers) if t.name == event.team else t
                               for t in self.teams)
            self.outputs.log.add(event.at, "team_change", event.name, team=event.team, caseworkers=event.caseworkers)
        elif isinstance(event, RuleChange):
            self.step.set_model(event.apply(self.step.model))
            self.outputs.log.add(event.at, "rule_change", event.name, **event.changes, source=event.source)
        else:
            self.macro = event.path()
            self.outputs.log.add(event.at, "macro_shock", event.name, first_value=event.values[0],
                                 months=len(event.values), source=event.source)

    def _population(self) -> Generator[simpy.Event, None, None]:
        yield self.env.timeout(_STEP_OFFSET)
        with tqdm(total=len(self.months), unit="month", disable=not self.progress, leave=False) as bar:
            for t, month in enumerate(self.months):
                self.step(self.population, month, self.ledger, t, macro=self.macro, paths=self.paths)
                if self.events.rehab is not None:
                    self._lapse_departed()
                    self._open_cases(t)
                bar.set_postfix_str(month_label(month), refresh=False)
                bar.update()
                yield self.env.timeout(1)

    def _month_start(self) -> Generator[simpy.Event, None, None]:
        for t, month in enumerate(self.months):
            for team, codes in zip(self.teams, self._team_codes, strict=True):
                self.outputs.team_months.append(allocate(team, codes, self.population, self._bits[CONTACT], month))
            if self.events.courses:
                self._courses(t, month)
            if self._efforts is not None:
                self.step.set_participation(self._efforts.month(t, month, self.population))
            yield self.env.timeout(1)

    # -- the rehabiliteringsteam ------------------------------------------------------------------

    def _lapse_departed(self) -> None:
        """Close the cases of persons who have left the state their case was opened in (or the population)."""
        if not self._cases:
            return
        cases = list(self._cases.values())
        people = np.array([c.person for c in cases], dtype=np.int64)
        origins = np.array([c.origin for c in cases], dtype=np.int8)
        positions, present = self.population.positions(people)
        stays = present.copy()
        stays[present] = self.population.state[positions[present]] == origins[present]
        if stays.all():
            return
        month = self._month() + 1  # after this month's step
        for case in (c for c, kept in zip(cases, stays, strict=True) if not kept):
            case.decided, case.outcome = self.env.now, "lapsed"
            self._cases.pop(case.person)
            self.outputs.waits.append(self._wait(case, month, case.decided - case.opened, "lapsed"))
        gone = positions[present & ~stays]
        self.population.flags[gone] &= ~self._bits[WAITING_REHAB]
        self._prepared = [c for c in self._prepared if c.person in self._cases]

    def _open_cases(self, t: int) -> None:
        """Turn the month's deferred rehabiliteringsteam moves into cases (one per person)."""
        deferred = self.step.deferred
        if not deferred:
            self.outputs.queue_months.append(QueueMonth(month=self._month(), queue=_REHAB_QUEUE,
                                                        length=self._queue_length(), joined=0))
            return
        people = np.concatenate([d[0] for d in deferred]).astype(np.int64)
        origins = np.concatenate([d[1] for d in deferred])
        destinations = np.concatenate([d[2] for d in deferred])
        fresh = np.array([p not in self._cases for p in people.tolist()], dtype=bool)
        people, origins, destinations = people[fresh], origins[fresh], destinations[fresh]
        positions, present = self.population.positions(people)
        self.population.flags[positions[present]] |= self._bits[WAITING_REHAB]
        key = self.streams.key(self._month(), Purpose.REHAB)
        draws = self.streams.uniforms(key, people)
        rehab = self.events.rehab
        assert rehab is not None
        for person, origin, destination, draw in zip(people.tolist(), origins.tolist(), destinations.tolist(), draws.tolist(),
                                                     strict=True):
            case = RehabCase(person=person, origin=origin, destination=destination, opened=self.env.now)
            self._cases[person] = case
            self.env.process(self._prepare(case, -np.log1p(-draw) * rehab.preparation_months))
        self.outputs.queue_months.append(QueueMonth(month=self._month(), queue=_REHAB_QUEUE,
                                                    length=self._queue_length(), joined=len(people)))

    def _queue_length(self) -> int:
        return len(self._cases)

    def _wait(self, case: RehabCase, closed: int, months: float, outcome: str) -> Wait:
        """The record of a rehabiliteringsteam case that closed in month ``closed`` after ``months``."""
        return Wait(queue=_REHAB_QUEUE, person=case.person, opened=self.months.start + int(case.opened), closed=closed,
                    wait_months=months, outcome=outcome)

    def _prepare(self, case: RehabCase, months: float) -> Generator[simpy.Event, None, None]:
        assert self._desk is not None
        yield from self._desk.serve(months)
        case.prepared = self.env.now
        self._prepared.append(case)

    def _rehab_meetings(self, team: RehabTeam) -> Generator[simpy.Event, None, None]:
        while True:
            yield self.env.timeout(team.meeting_every_months)
            if self.env.now >= len(self.months):
                return
            self._meeting(team)

    def _meeting(self, team: RehabTeam) -> None:
        """Decide the oldest prepared cases; drop cases whose person has left the state or the population."""
        t = int(self.env.now) - 1  # decisions take effect for this month: flows at the end of the last
        month = self._month()
        people = np.array([c.person for c in self._prepared], dtype=np.int64)
        positions, present = self.population.positions(people)
        still = np.zeros(len(people), dtype=bool)
        if len(people):
            origins = np.array([c.origin for c in self._prepared], dtype=np.int8)
            still[present] = self.population.state[positions[present]] == origins[present]
        decided: list[tuple[int, RehabCase]] = []
        lapsed: list[RehabCase] = []
        kept: list[RehabCase] = []
        for index, case in enumerate(self._prepared):
            if not still[index]:
                lapsed.append(case)
            elif len(decided) < team.cases_per_meeting:
                decided.append((index, case))
            else:
                kept.append(case)
        if decided:
            where = np.array([positions[i] for i, _ in decided], dtype=np.intp)
            self.step.move(self.population, where, np.array([c.destination for _, c in decided], dtype=np.int8),
                           self.ledger, t, month - 1)
            self.population.flags[where] &= ~self._bits[WAITING_REHAB]
            if CONTACT in self._bits:  # a new state, a new spell: no caseworker has met them in it yet
                self.population.flags[where] &= ~self._bits[CONTACT]
                self.population.months_since_contact[where] = np.int8(127)
        for case, outcome in [(c, "decided") for _, c in decided] + [(c, "lapsed") for c in lapsed]:
            case.decided, case.outcome = self.env.now, outcome
            self._cases.pop(case.person, None)
            self.outputs.waits.append(self._wait(case, month, case.decided - case.opened, outcome))
        gone = [positions[i] for i, case in enumerate(self._prepared) if present[i] and case in lapsed]
        if gone:
            self.population.flags[np.array(gone, dtype=np.intp)] &= ~self._bits[WAITING_REHAB]
        self._prepared = kept
        self.outputs.log.add(month, "rehab_meeting", _REHAB_QUEUE, decided=len(decided), lapsed=len(lapsed),
                             waiting=len(kept))

    # -- courses ----------------------------------------------------------------------------------

    def _courses(self, t: int, month: int) -> None:
        """Course intakes of this month, and the course flags of everyone in or after a course."""
        population = self.population
        in_bit, after_bit = self._bits[IN_COURSE], self._bits[AFTER_COURSE]
        catalogue = self.step.model.catalogue
        for course in self.events.courses:
            if month not in course.intakes:
                continue
            codes = catalogue.codes(course.states)
            eligible = np.flatnonzero(population.in_states(codes))
            busy = np.array([int(p) in self._course_members for p in population.ids[eligible].tolist()], dtype=bool)
            eligible = eligible[~busy]
            order = np.lexsort((population.ids[eligible], -population.months_in_state[eligible].astype(np.int64)))
            admitted = eligible[order[: course.seats]]
            waiting_since = self._course_waiting[course.name]
            eligible_now = set(population.ids[eligible].tolist())
            for person in [p for p in waiting_since if p not in eligible_now]:
                del waiting_since[person]  # left the course's states: a later wait starts afresh
            for person in population.ids[admitted].tolist():
                since = waiting_since.pop(person, month)
                self._course_members[person] = (t + course.duration_months, t + course.duration_months + course.after_months)
                self.outputs.waits.append(Wait(queue=course.name, person=person, opened=since, closed=month,
                                               wait_months=float(month - since), outcome="admitted"))
            for person in population.ids[eligible[order[course.seats:]]].tolist():
                waiting_since.setdefault(person, month)
            self.outputs.queue_months.append(QueueMonth(month=month, queue=course.name,
                                                        length=len(eligible) - len(admitted), joined=len(admitted)))
            self.outputs.log.add(month, "course_intake", course.name, seats=course.seats, admitted=len(admitted),
                                 waiting=len(eligible) - len(admitted))
        if not self._course_members:
            return
        people = np.fromiter(self._course_members, dtype=np.int64)
        ends = np.array(list(self._course_members.values()), dtype=np.int64).reshape(-1, 2)
        positions, present = self.population.positions(people)
        population.flags[positions[present]] &= ~(in_bit | after_bit)
        during = present & (t < ends[:, 0])
        after = present & (t >= ends[:, 0]) & (t < ends[:, 1])
        population.flags[positions[during]] |= in_bit
        population.flags[positions[after]] |= after_bit
        for person in people[~present | (t >= ends[:, 1])].tolist():
            del self._course_members[person]
