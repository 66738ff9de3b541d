"""The master clock: a SimPy environment in which the monthly population step is one process among others.

Time is in months since the first simulated month. Whatever happens at the start of a month — a rule change, a
macro shock, a rehabiliteringsteam meeting — happens at the whole month; the population step of month ``m`` runs
at ``m + 0.5``, after them. The clock only composes: each kind of capacity is a process that owns its behaviour
and records (:class:`~labsim.events.caseworkers.TeamProcess`, :class:`~labsim.events.rehab.RehabProcess`,
:class:`~labsim.events.courses.CourseProcess`, :class:`~labsim.events.efforts.EffortRunner`), and before each step
the clock joins what they serve into the month's one :class:`~labsim.core.participation.Participation`.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import simpy
from tqdm.auto import tqdm

from labsim.calendar import month_label
from labsim.core.ledger import Ledger
from labsim.core.macro import MacroPath
from labsim.core.participation import Participation
from labsim.core.population import Population
from labsim.core.step import MonthlyStep
from labsim.events.caseworkers import TeamMonth, TeamProcess
from labsim.events.courses import CourseProcess
from labsim.events.dated import Alignment, Events, MacroShock, RuleChange
from labsim.events.efforts import EffortMonth, EffortRunner
from labsim.events.jobcenter import WAITING_REHAB, Jobcenter, intake_of
from labsim.events.log import EventLog
from labsim.events.queue import QueueMonth, Wait
from labsim.events.rehab import RehabProcess
from labsim.events.server import Server
from labsim.policy import Effort, EffortLike
from labsim.rng import RandomStreams

__all__ = ["Clock", "EventOutputs"]

_STEP_OFFSET = 0.5  # the population step runs mid-month, after everything dated at the month's start


@dataclass(slots=True)
class EventOutputs:
    """What the events layer counted: the log, each caseworker team's months, each queue's months, the finished
    waits and each effort's (and course's) months."""

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
        jobcenter: Jobcenter | None = None,
    ) -> None:
        self.population = population
        self.progress = progress
        self.step = step
        self.ledger = ledger
        self.months = months
        self.events = events
        self.macro = macro
        self.paths = paths
        self.env = simpy.Environment()
        self.log = EventLog()
        jobcenter = jobcenter if jobcenter is not None else Jobcenter()
        catalogue = step.model.catalogue
        joining = [e for e in efforts if isinstance(e, Effort) and e.capacity.joins is not None]
        self.teams = [TeamProcess(team, catalogue, [(e.capacity.caseworkers or 0.0, e.schedule) for e in joining
                                                    if e.capacity.team == team.name]) for team in jobcenter.teams]
        self.courses = [CourseProcess(course, catalogue, self.log, [e for e in joining if e.capacity.intake == course.name])
                        for course in jobcenter.courses]
        serving = tuple(e for e in efforts if intake_of(e) is None)  # a course serves and books its efforts' seats
        self.efforts = EffortRunner(serving, step.model.n_states, streams) if serving else None
        self._servers: list[Server] = [*self.teams, *self.courses, *([self.efforts] if self.efforts is not None else [])]
        self.rehab = None
        if jobcenter.rehabiliteringsteam is not None:
            assert step.flags is not None
            self.rehab = RehabProcess(jobcenter.rehabiliteringsteam, env=self.env, step=step, population=population,
                                      ledger=ledger, streams=streams, first_month=months.start,
                                      waiting_bit=step.flags.bit(WAITING_REHAB), log=self.log)

    def run(self) -> EventOutputs:
        """Run every month; returns what the events layer counted."""
        env = self.env
        self._log_pension_steps()
        for event in self.events.calendar:
            env.process(self._dated(event))
        if self.rehab is not None:
            env.process(self.rehab.meetings(len(self.months)))
        for server in self._servers:
            env.process(server.process(env, self.months, self.population))
        env.process(self._population())
        env.run(until=len(self.months))
        outputs = EventOutputs(log=self.log)
        if self.rehab is not None:
            self.rehab.close_open(self.months.stop)
            outputs.waits.extend(self.rehab.waits)
            outputs.queue_months.extend(self.rehab.queue_months)
        for team in self.teams:
            outputs.team_months.extend(team.months)
        for course in self.courses:
            outputs.waits.extend(course.waits)
            outputs.queue_months.extend(course.queue_months)
            outputs.effort_months.extend(course.effort_months)
        if self.efforts is not None:
            outputs.effort_months[:0] = self.efforts.months
        self.log.records.sort(key=lambda record: record.month)  # stable: same-month order kept
        return outputs

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
                self.log.add(month, "pension_age_step", f"folkepension at {ages[i] / 12:g}",
                             born_from=month_label(pension.born_from[i]), previous_age=ages[i - 1] / 12,
                             source="DOMAIN.md §2.6")

    def _dated(self, event: RuleChange | MacroShock | Alignment) -> Generator[simpy.Event, None, None]:
        yield self.env.timeout(event.at - self.months.start)
        if isinstance(event, RuleChange):
            self.step.set_model(event.apply(self.step.model))
            self.log.add(event.at, "rule_change", event.name, **event.changes, source=event.source)
        elif isinstance(event, Alignment):
            self.step.set_model(event.apply(self.step.model))
            self.log.add(event.at, "alignment", event.name, largest_step=float(np.abs(event.log_effect).max(initial=0.0)),
                         source=event.source)
        else:
            self.macro = event.path()
            self.log.add(event.at, "macro_shock", event.name, first_value=event.values[0],
                         months=len(event.values), source=event.source)

    def _population(self) -> Generator[simpy.Event, None, None]:
        yield self.env.timeout(_STEP_OFFSET)
        with tqdm(total=len(self.months), unit="month", disable=not self.progress, leave=False) as bar:
            for t, month in enumerate(self.months):
                self._serve()
                self.step(self.population, month, self.ledger, t, macro=self.macro, paths=self.paths)
                if self.rehab is not None:
                    self.rehab.after_step(t)
                bar.set_postfix_str(month_label(month), refresh=False)
                bar.update()
                yield self.env.timeout(1)

    def _serve(self) -> None:
        """Join what every server served at the month's start into the step's one participation."""
        if self._servers:
            self.step.set_participation(Participation.combine([s.served for s in self._servers if s.served is not None]))
