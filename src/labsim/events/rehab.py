"""The rehabiliteringsteam: cases for fleksjob, ressourceforløb, førtidspension and jobafklaring wait in its queue.

A rehabiliteringsteam-gated move drawn in the monthly step does not happen at once: the person stays in their
state (sygedagpenge cases stay on sygedagpenge, extension ground 4, DOMAIN.md §2.2) and a case is opened. The
month's cases reach the preparation desk spread over the month after the step that drew them — uniformly, so that
given their number they are a Poisson process within the month — and queue there for one of the team's
``preparers`` (a SimPy resource, exponential preparation time: an M/M/c queue, whose mean wait matches Erlang C).
A prepared case waits for the team's next meeting, where at most ``cases_per_meeting`` cases are decided, oldest
first, and the person moves to the state drawn. A case whose person leaves the state (or the population) before
its decision *lapses*: it frees its preparer at once, is never decided, and is recorded once.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass

import numpy as np
import simpy

from labsim.core.ledger import Ledger
from labsim.core.population import Population
from labsim.core.step import MonthlyStep
from labsim.errors import ModelError
from labsim.events.desk import ServiceDesk
from labsim.events.log import EventLog
from labsim.events.queue import QueueMonth, Wait
from labsim.rng import Purpose, RandomStreams
from labsim.validation import number, whole

__all__ = ["RehabTeam", "RehabCase", "RehabProcess", "REHAB_QUEUE"]

REHAB_QUEUE = "rehabiliteringsteam"
"""The queue's name in :meth:`labsim.Run.queues` and :meth:`labsim.Run.waits`."""

_MAX = 1_000_000


@dataclass(frozen=True, slots=True, kw_only=True)
class RehabTeam:
    """The municipality's rehabiliteringsteam.

    The defaults (a meeting a month, 40 cases a meeting, 4 preparers) are *assumptions* for a municipality of about
    60,000 inhabitants: DOMAIN.md gives the team's composition (§2, employment, health and social services, a
    regional health coordinator, education for under-30s), not its throughput. Set them from the municipality's own
    figures.

    Attributes
    ----------
    meeting_every_months:
        The team meets at the start of every this many months.
    cases_per_meeting:
        Cases decided at one meeting.
    preparers:
        Caseworkers preparing cases for the team (servers of the preparation desk).
    preparation_months:
        Mean caseworker time to prepare a case (exponential), in months: 0.1 is about two working days, so each
        preparer readies about 10 cases a month. *Assumption*; kategori 3 sick-listed cases must reach the team
        within 4 weeks of visitation (DOMAIN.md §2.2).
    source:
        Where the numbers come from.
    """

    meeting_every_months: int = 1
    cases_per_meeting: int = 40
    preparers: int = 4
    preparation_months: float = 0.1
    source: str = ""

    def __post_init__(self) -> None:
        whole(1, 120)(self.meeting_every_months, "rehabiliteringsteam.meeting_every_months", ModelError)
        whole(1, _MAX)(self.cases_per_meeting, "rehabiliteringsteam.cases_per_meeting", ModelError)
        whole(1, _MAX)(self.preparers, "rehabiliteringsteam.preparers", ModelError)
        number(0.0, 120.0, above=True)(self.preparation_months, "rehabiliteringsteam.preparation_months", ModelError)

    @property
    def utilisation(self) -> float:
        """Cases a month the desk can prepare: ``preparers / preparation_months``."""
        return self.preparers / self.preparation_months


@dataclass(slots=True, eq=False)
class RehabCase:
    """One person's case: who, from which state to which, when it reached the desk, waited, was prepared and closed."""

    person: int
    origin: int
    destination: int
    opened: float
    desk_wait: float = float("nan")
    prepared: float | None = None
    outcome: str = "open"
    process: simpy.Process | None = None


class RehabProcess:
    """The rehabiliteringsteam at work in a run: its desk, its cases, its meetings and their records.

    The clock calls :meth:`after_step` after each monthly step (cases lapse or open); the team's meetings are a
    SimPy process of their own (:meth:`meetings`), and each case is one (:meth:`_case`).
    """

    def __init__(self, team: RehabTeam, *, env: simpy.Environment, step: MonthlyStep, population: Population,
                 ledger: Ledger, streams: RandomStreams, first_month: int, waiting_bit: int, log: EventLog) -> None:
        self.team = team
        self.env = env
        self.step = step
        self.population = population
        self.ledger = ledger
        self.streams = streams
        self.first_month = first_month
        self.waiting_bit = np.uint8(waiting_bit)
        self.log = log
        self.desk = ServiceDesk(env, team.preparers)
        self.cases: dict[int, RehabCase] = {}  # open cases by person
        self.prepared: list[RehabCase] = []  # prepared, in the order they were, waiting for a meeting
        self.waits: list[Wait] = []
        self.queue_months: list[QueueMonth] = []
        self._met = (0, 0)  # this month's meeting: cases it could decide, cases decided

    # -- the monthly hand-over from the step ------------------------------------------------------

    def after_step(self, t: int) -> None:
        """After month ``t``'s step: close the cases of persons who left their state, open the month's new cases."""
        month = self.first_month + t
        self._lapse(month + 1)
        joined = self._open(month)
        capacity, used = self._met
        self.queue_months.append(QueueMonth(month=month, queue=REHAB_QUEUE, kind="rehab", length=len(self.cases),
                                            joined=joined, capacity=capacity, used=used))
        self._met = (0, 0)

    def _lapse(self, closed: int) -> None:
        if not self.cases:
            return
        people = np.fromiter(self.cases, dtype=np.int64, count=len(self.cases))
        origins = np.fromiter((c.origin for c in self.cases.values()), dtype=np.int64, count=len(self.cases))
        where, present = self.population.positions(people)
        stays = present.copy()
        stays[present] = self.population.state[where[present]] == origins[present]
        if stays.all():
            return
        for person in people[~stays].tolist():
            case = self.cases.pop(person)
            if case.process is not None and case.process.is_alive:
                case.process.interrupt("lapsed")  # frees the preparer at once, or leaves the desk's queue
            self._close(case, closed, "lapsed")
        if any(c.outcome == "lapsed" for c in self.prepared):
            self.prepared = [c for c in self.prepared if c.outcome == "open"]
        gone = where[present & ~stays]
        self.population.flags[gone] &= ~self.waiting_bit

    def _open(self, month: int) -> int:
        deferred = self.step.deferred
        if not deferred:
            return 0
        people = np.concatenate([d[0] for d in deferred]).astype(np.int64)
        origins = np.concatenate([d[1] for d in deferred]).astype(np.int64)
        destinations = np.concatenate([d[2] for d in deferred]).astype(np.int64)
        if self.cases:  # a person with an open case is held by the step; never open two
            open_ids = np.sort(np.fromiter(self.cases, dtype=np.int64, count=len(self.cases)))
            at = np.minimum(np.searchsorted(open_ids, people), len(open_ids) - 1)
            fresh = open_ids[at] != people
            people, origins, destinations = people[fresh], origins[fresh], destinations[fresh]
        where, present = self.population.positions(people)  # a person who left in the same step has no case
        people, origins, destinations = people[present], origins[present], destinations[present]
        self.population.flags[where[present]] |= self.waiting_bit
        arrival = self.streams.uniforms(self.streams.key(month, Purpose.REHAB_ARRIVAL), people)
        service = -np.log1p(-self.streams.uniforms(self.streams.key(month, Purpose.REHAB), people)) \
            * self.team.preparation_months
        for person, origin, destination, delay, months in zip(people.tolist(), origins.tolist(), destinations.tolist(),
                                                              arrival.tolist(), service.tolist(), strict=True):
            case = RehabCase(person=person, origin=origin, destination=destination, opened=self.env.now + delay)
            self.cases[person] = case
            case.process = self.env.process(self._case(case, delay, months))
        return len(people)

    def _case(self, case: RehabCase, delay: float, months: float) -> Generator[simpy.Event, None, None]:
        """One case: reach the desk within the month, queue for a preparer, be prepared, wait for a meeting."""
        try:
            yield self.env.timeout(delay)
            with self.desk.resource.request() as request:
                yield request
                case.desk_wait = self.env.now - case.opened
                self.desk.waits.append(case.desk_wait)
                yield self.env.timeout(months)
            case.prepared = self.env.now
            self.prepared.append(case)
        except simpy.Interrupt:
            return  # lapsed: the ``with`` released the preparer or left the queue

    # -- the meetings -----------------------------------------------------------------------------

    def meetings(self, n_months: int) -> Generator[simpy.Event, None, None]:
        """The team's meetings, at the start of every ``meeting_every_months`` months of the run."""
        while True:
            yield self.env.timeout(self.team.meeting_every_months)
            if self.env.now >= n_months:
                return
            self._meeting()

    def _meeting(self) -> None:
        """Decide the oldest prepared cases (every prepared case's person is still in their state: lapses close
        after each step, and nothing moves between a step and the next meeting)."""
        t = int(self.env.now) - 1  # decisions take effect for this month: flows at the end of the last
        month = self.first_month + int(self.env.now)
        decided = self.prepared[: self.team.cases_per_meeting]
        self.prepared = self.prepared[self.team.cases_per_meeting:]
        if decided:
            people = np.array([c.person for c in decided], dtype=np.int64)
            where, present = self.population.positions(people)
            assert bool(present.all()), "a prepared case's person left without the case lapsing"
            self.step.move(self.population, where, np.array([c.destination for c in decided], dtype=np.int8),
                           self.ledger, t, month - 1)
            self.population.flags[where] &= ~self.waiting_bit
            for case in decided:
                del self.cases[case.person]
                self._close(case, month, "decided")
        self._met = (self.team.cases_per_meeting, len(decided))
        self.log.add(month, "rehab_meeting", REHAB_QUEUE, decided=len(decided), waiting=len(self.cases),
                     prepared_waiting=len(self.prepared))

    def close_open(self, stop: int) -> None:
        """Record the cases still open when the run ends (closed: the month after the last)."""
        for case in self.cases.values():
            self._close(case, stop, "waiting")
        self.cases = {}

    def _close(self, case: RehabCase, closed: int, outcome: str) -> None:
        assert case.outcome == "open", f"case of person {case.person} closed twice"
        case.outcome = outcome
        now = self.env.now
        self.waits.append(Wait(queue=REHAB_QUEUE, person=case.person, opened=self.first_month + int(case.opened),
                               closed=closed, wait_months=max(now - case.opened, 0.0), outcome=outcome,
                               desk_wait_months=case.desk_wait))
