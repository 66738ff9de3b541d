"""Course intakes: courses with seats that start cohorts on dates; eligible persons wait for a seat."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from labsim.calendar import MonthLike, month_label, parse_month
from labsim.core.participation import Served
from labsim.core.population import Population
from labsim.errors import ModelError
from labsim.events.efforts import EffortMonth
from labsim.events.log import EventLog
from labsim.events.queue import QueueMonth, Wait
from labsim.events.server import Server
from labsim.policy import Effort
from labsim.states import Gate, StateCatalogue
from labsim.validation import multiplier, number, text, whole

__all__ = ["CourseIntake", "CourseProcess"]

_MAX_PERSONS = 10_000_000
_MAX_MONTHS = 3_612


@dataclass(frozen=True, slots=True, kw_only=True)
class CourseIntake:
    """An upskilling course, a voksenlærling intake or similar.

    At each intake month the course admits up to ``seats`` persons from its states who are not already in it (or
    in its after phase), those waiting longest first (months in their state, then id); the rest wait for the next
    intake. Participants' hazards of moving to work from the course's states are multiplied by ``effect_during``
    for ``duration_months`` (a lock-in when below 1) and by ``effect_after`` for ``after_months`` after. Each
    participant-month costs ``cost_per_participant_month`` DKK, booked in the effort costs under the course's name.
    An effort with ``Capacity(seats=…, intake=<this course>)`` adds its seats at each intake while it runs (ramped);
    the persons admitted on them come after those on the course's own seats, and their months are the effort's, at
    its ``Costs.per_participant_month``.

    Attributes
    ----------
    name, states, seats, intakes, duration_months, effect_during, effect_after, after_months,
    cost_per_participant_month, source:
        As above; ``intakes`` are month labels (``"2022-03"``), kept sorted.
    """

    name: str
    states: tuple[str, ...]
    seats: int
    intakes: tuple[str, ...]
    duration_months: int
    effect_during: float = 1.0
    effect_after: float = 1.0
    after_months: int = 12
    cost_per_participant_month: float = 0.0
    source: str = ""
    _months: frozenset[int] = field(init=False, repr=False, compare=False)

    def __init__(self, *, name: str, states: Sequence[str], seats: int, intakes: Sequence[MonthLike],
                 duration_months: int, effect_during: float = 1.0, effect_after: float = 1.0,
                 after_months: int = 12, cost_per_participant_month: float = 0.0, source: str = "") -> None:
        where = f"course {name!r}"
        text()(name, f"{where}.name", ModelError)
        whole(1, _MAX_PERSONS)(seats, f"{where}.seats", ModelError)
        if isinstance(states, str) or not states:
            raise ModelError(f"{where}.states must name at least one state; got {states!r}.")
        whole(1, _MAX_MONTHS)(duration_months, f"{where}.duration_months", ModelError)
        whole(0, _MAX_MONTHS)(after_months, f"{where}.after_months", ModelError)
        for label, value in (("effect_during", effect_during), ("effect_after", effect_after)):
            multiplier()(value, f"{where}.{label}", ModelError)
        number(0.0, 1e12)(cost_per_participant_month, f"{where}.cost_per_participant_month", ModelError)
        if isinstance(intakes, str | int):
            raise ModelError(f"{where}.intakes must be a list of months; got {intakes!r}.")
        months = sorted({parse_month(m, field=f"{where}.intakes") for m in intakes})
        if not months:
            raise ModelError(f"{where}.intakes must give at least one month.")
        values: dict[str, object] = {
            "name": name, "states": tuple(states), "seats": seats, "intakes": tuple(month_label(m) for m in months),
            "duration_months": duration_months, "effect_during": float(effect_during),
            "effect_after": float(effect_after), "after_months": after_months,
            "cost_per_participant_month": float(cost_per_participant_month), "source": source,
            "_months": frozenset(months),
        }
        for key, item in values.items():
            object.__setattr__(self, key, item)

    @property
    def intake_months(self) -> tuple[int, ...]:
        """The intake months as month numbers."""
        return tuple(sorted(self._months))

    def codes(self, catalogue: StateCatalogue) -> tuple[int, ...]:
        """State codes of the course's states."""
        return catalogue.codes(self.states, field=f"course {self.name!r}.states")


class CourseProcess(Server):
    """A course at work in a run: its intakes, participants, waiting list and records, and each month the
    participants' multipliers for the step."""

    def __init__(self, course: CourseIntake, catalogue: StateCatalogue, log: EventLog,
                 efforts: Sequence[Effort] = ()) -> None:
        self.course = course
        self.efforts = tuple(efforts)  # efforts whose seats join the course, in the order they fill
        self.codes = course.codes(catalogue)
        self.log = log
        n = catalogue.n_states
        targets = np.zeros((n, n), dtype=bool)
        targets[np.ix_(self.codes, catalogue.codes(("employed",)))] = True
        allowed = catalogue.allowed_matrix(Gate.HAZARD)
        np.fill_diagonal(allowed, False)
        targets &= allowed
        self._matrices = np.stack([np.where(targets, course.effect_during, 1.0),
                                   np.where(targets, course.effect_after, 1.0)])
        empty = np.zeros(0, np.int64)
        self._ids, self._during_end, self._after_end = empty, empty, empty  # members, by id
        self._owner = empty  # whose seat: -1 the course's own, i the i-th effort's
        self._waiting, self._since = empty, empty  # the waiting list, by id, and the month each began to wait
        self.queue_months: list[QueueMonth] = []
        self.effort_months: list[EffortMonth] = []
        self.waits: list[Wait] = []

    def month(self, t: int, month: int, population: Population) -> Served:
        """Run month ``month`` (run month ``t``): the intake if there is one, then the participants' multipliers."""
        course = self.course
        eligible_count = 0
        added = [self._seats(e, month) for e in self.efforts]
        new = np.zeros(len(self.efforts) + 1, np.int64)
        if month in course._months:
            eligible_count, new = self._intake(t, month, population, added)
        where, present = population.positions(self._ids)
        keep = present & (self._after_end > t)
        self._ids, self._during_end, self._after_end, self._owner = (
            self._ids[keep], self._during_end[keep], self._after_end[keep], self._owner[keep])
        where = where[keep]
        during = self._during_end > t
        for index, (name, places, unit, fixed) in enumerate(
                [(course.name, course.seats, course.cost_per_participant_month, 0.0)]
                + [(e.name, seats, e.costs.per_participant_month,
                    e.costs.fixed_per_year / 12 if e.schedule.active(month) else 0.0)
                   for e, seats in zip(self.efforts, added, strict=True)]):
            mine = self._owner == index - 1
            served = int(np.count_nonzero(during & mine))
            self.effort_months.append(EffortMonth(
                month=month, effort=name, eligible=eligible_count, places=places, served=served, new=int(new[index]),
                after=int(np.count_nonzero(mine)) - served, cost_dkk=served * unit + fixed))
        return Served(where.astype(np.intp), np.where(during, 0, 1).astype(np.int64), self._matrices)

    @staticmethod
    def _seats(effort: Effort, month: int) -> int:
        """The seats ``effort`` adds at an intake in ``month`` (0 when it does not run)."""
        if not effort.schedule.active(month):
            return 0
        return math.floor((effort.capacity.seats or 0) * effort.schedule.fraction(month) + 1e-9)

    def _intake(self, t: int, month: int, population: Population, added: list[int]
                ) -> tuple[int, npt.NDArray[np.int64]]:
        course = self.course
        seats = course.seats + sum(added)
        candidates = np.flatnonzero(population.in_states(self.codes))
        ids = population.ids[candidates].astype(np.int64)
        busy = _member(self._ids, ids)
        candidates, ids = candidates[~busy], ids[~busy]
        order = np.lexsort((ids, -population.months_in_state[candidates].astype(np.int64)))
        admitted, left = order[:seats], order[seats:]
        # the course's own seats fill first, then each effort's in turn
        owner = np.repeat(np.arange(-1, len(added)), [course.seats, *added])[: len(admitted)]
        waited = _member(self._waiting, ids)
        since = np.full(len(ids), month, np.int64)
        at = np.searchsorted(self._waiting, ids[waited])
        since[waited] = self._since[at]
        # members join; the rest wait (a person who left the states meanwhile starts a later wait afresh)
        join = ids[admitted]
        end = t + course.duration_months
        columns = (np.concatenate([self._ids, join]),
                   np.concatenate([self._during_end, np.full(len(join), end, np.int64)]),
                   np.concatenate([self._after_end, np.full(len(join), end + course.after_months, np.int64)]),
                   np.concatenate([self._owner, owner]))
        by_id = np.argsort(columns[0], kind="stable")
        self._ids, self._during_end, self._after_end, self._owner = (c[by_id] for c in columns)
        rest = np.argsort(ids[left], kind="stable")
        self._waiting, self._since = ids[left][rest], since[left][rest]
        self.waits.extend(Wait(queue=course.name, person=int(person), opened=int(opened), closed=month,
                               wait_months=float(month - opened), outcome="admitted")
                          for person, opened in zip(ids[admitted].tolist(), since[admitted].tolist(), strict=True))
        self.queue_months.append(QueueMonth(month=month, queue=course.name, kind="course", length=len(left),
                                            joined=len(admitted), capacity=seats, used=len(admitted)))
        self.log.add(month, "course_intake", course.name, seats=seats, admitted=len(admitted), waiting=len(left))
        return len(ids), np.bincount(owner + 1, minlength=len(added) + 1).astype(np.int64)


def _member(sorted_ids: npt.NDArray[np.int64], ids: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """Whether each of ``ids`` is in ``sorted_ids`` (sorted)."""
    if not sorted_ids.size:
        return np.zeros(len(ids), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_ids, ids), len(sorted_ids) - 1)
    return sorted_ids[at] == ids
