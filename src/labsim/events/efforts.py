"""Running efforts: each month, who is served by which effort, in which phase, and at what cost.

At the start of every month each effort gives its plan (:meth:`labsim.policy.Effort.plan`). The
runner ends participations that ran out or whose person left the effort's states, then fills the
free places from the eligible — those longest in their state first, then the lower id — so an
effort never serves more than its places, and an under-staffed effort serves fewer. A person takes
part in an effort at most once per spell: after a participation (and its after phase) they may join
again only from a new spell in a state, e.g. after a job that ended. Whoever is
served, or is in the after phase, gets the effort's multipliers; a person in several efforts gets
the product. The monthly step then draws with them (:class:`labsim.core.participation.Participation`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from labsim.core.participation import Served
from labsim.core.population import Population
from labsim.events.server import Server
from labsim.policy.effort import PHASES, EffortLike, EffortPlan
from labsim.rng import RandomStreams

__all__ = ["EffortMonth", "EffortRunner"]

_OPEN_ENDED = np.iinfo(np.int64).max // 4


@dataclass(frozen=True, slots=True)
class EffortMonth:
    """One effort's month: eligible persons, places, persons served, new and after-phase participants, cost."""

    month: int
    effort: str
    eligible: int
    places: int | None
    served: int
    new: int
    after: int
    cost_dkk: float


class _Members:
    """One effort's participants still in a phase, by id (sorted), and the spells of those who finished."""

    __slots__ = ("ids", "joined", "spell", "during_end", "after_end", "former_ids", "former_spell")
    _COLUMNS = ("ids", "joined", "spell", "during_end", "after_end")

    def __init__(self) -> None:
        empty = np.zeros(0, np.int64)
        self.ids, self.joined, self.spell, self.during_end, self.after_end = empty, empty, empty, empty, empty
        self.former_ids: npt.NDArray[np.int64] = empty
        self.former_spell: npt.NDArray[np.int64] = empty

    def keep(self, mask: npt.NDArray[np.bool_]) -> None:
        for name in self._COLUMNS:
            setattr(self, name, getattr(self, name)[mask])

    def retire(self, mask: npt.NDArray[np.bool_]) -> None:
        """Drop the members at ``mask``, remembering the spell each took part in."""
        if not mask.any():
            return
        ids = np.concatenate([self.ids[mask], self.former_ids])
        spells = np.concatenate([self.spell[mask], self.former_spell])
        ids, first = np.unique(ids, return_index=True)  # the latest participation wins
        self.former_ids, self.former_spell = ids, spells[first]
        self.keep(~mask)

    def took_part(self, ids: npt.NDArray[np.int64], spells: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """Whether each person already took part in the spell they are in."""
        if not self.former_ids.size:
            return np.zeros(len(ids), dtype=bool)
        at = np.minimum(np.searchsorted(self.former_ids, ids), len(self.former_ids) - 1)
        return (self.former_ids[at] == ids) & (self.former_spell[at] == spells)

    def add(self, ids: npt.NDArray[np.int64], spells: npt.NDArray[np.int64], t: int, duration: int | None,
            after: int) -> None:
        during_end = np.full(len(ids), _OPEN_ENDED if duration is None else t + duration, np.int64)
        columns = {"ids": ids, "joined": np.full(len(ids), t, np.int64), "spell": spells, "during_end": during_end,
                   "after_end": during_end + after}
        order = np.argsort(np.concatenate([self.ids, ids]), kind="stable")
        for name, new in columns.items():
            setattr(self, name, np.concatenate([getattr(self, name), new])[order])


class EffortRunner(Server):
    """Serves a strategy's efforts month by month and hands their participants to the step."""

    def __init__(self, efforts: Sequence[EffortLike], n_states: int, streams: RandomStreams) -> None:
        self.efforts = tuple(efforts)
        self.n_states = n_states
        self.streams = streams
        self._members = [_Members() for _ in efforts]
        self.months: list[EffortMonth] = []

    def month(self, t: int, month: int, population: Population) -> Served:
        """Serve month ``month`` (run month ``t``); returns the month's participants and multipliers."""
        positions: list[npt.NDArray[np.intp]] = []
        slots: list[npt.NDArray[np.int64]] = []
        matrices = np.ones((len(PHASES) * len(self.efforts), self.n_states, self.n_states))
        for index, (effort, members) in enumerate(zip(self.efforts, self._members, strict=True)):
            plan = effort.plan(month, population, self.streams)
            plan.check(effort.name, population.n_persons, self.n_states)
            where, phase = self._serve(effort.name, plan, members, t, month, population)
            matrices[len(PHASES) * index : len(PHASES) * (index + 1)] = plan.multipliers
            positions.append(where)
            slots.append(phase + len(PHASES) * index)
        return Served(np.concatenate(positions), np.concatenate(slots), matrices)

    def _serve(self, name: str, plan: EffortPlan, members: _Members, t: int, month: int,
               population: Population) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.int64]]:
        ids = population.ids
        where, present = population.positions(members.ids)
        members.keep(present)
        where = where[present]
        # Participations end when the person left the effort's states or the effort stopped.
        during = members.during_end > t
        ending = during & (~plan.remains[where] if plan.active else np.ones(len(where), bool))
        members.during_end[ending] = t
        members.after_end[ending] = t + plan.after_months
        finished = (members.during_end <= t) & (members.after_end <= t)
        members.retire(finished)
        where = where[~finished]
        during = members.during_end > t
        if plan.places is not None and int(during.sum()) > plan.places:  # fewer places than last month
            served = np.flatnonzero(during)
            latest = served[np.lexsort((members.ids[served], members.joined[served]))][plan.places :]
            members.during_end[latest] = t
            members.after_end[latest] = t + plan.after_months
            during[latest] = False
        new = 0
        candidates = np.flatnonzero(plan.eligible)
        if plan.active and candidates.size:
            taken = np.zeros(len(ids), bool)
            taken[where] = True
            candidates = candidates[~taken[candidates]]
            spells = month - population.months_in_state[candidates].astype(np.int64)
            fresh = ~members.took_part(ids[candidates].astype(np.int64), spells)
            candidates, spells = candidates[fresh], spells[fresh]
            free = len(candidates) if plan.places is None else max(plan.places - int(during.sum()), 0)
            if free and candidates.size:
                order = np.lexsort((ids[candidates], -population.months_in_state[candidates].astype(np.int64)))
                picked = np.sort(order[:free])
                chosen = candidates[picked]
                members.add(ids[chosen].astype(np.int64), spells[picked], t, plan.duration_months, plan.after_months)
                new = len(chosen)
                where = np.searchsorted(ids, members.ids)
                during = members.during_end > t
        served_count = int(during.sum())
        phase = np.where(during, np.where(t - members.joined < plan.lock_in_months, 0, 1), 2).astype(np.int64)
        self.months.append(EffortMonth(
            month=month, effort=name, eligible=int(np.count_nonzero(plan.eligible)), places=plan.places,
            served=served_count, new=new, after=len(where) - served_count,
            cost_dkk=served_count * plan.cost_per_participant_month + plan.cost_this_month,
        ))
        return where.astype(np.intp), phase

