"""Jobcenter capacity: caseworker teams that meet their target groups at a cadence, as capacity allows.

Each month a team has ``caseworkers × caseload / cadence_months`` meetings to give (a caseworker with the
team's caseload meets each of them once per cadence). Demand is everyone in the team's states whose
next meeting is due. Meetings go by priority, then due date, in one vectorised pass — never one SimPy
event per meeting (DESIGN.md §5). What capacity cannot meet slips to the next month.

A person met within the cadence carries the *contact* flag, which multiplies their hazards of leaving
for work or education by the team's ``contact_effect`` — the mechanism Hjørringmodellen invested in
(caseload from about 80 to about 35 per caseworker, DOMAIN.md §5.2, §6).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from labsim.core.population import Population
from labsim.errors import ModelError
from labsim.states import StateCatalogue
from labsim.validation import number, optional, whole

__all__ = ["CaseworkerTeam", "TeamMonth", "CONTACT_TARGETS"]

CONTACT_TARGETS = ("employed", "education")
"""Destinations whose hazards a recent meeting raises."""

_NEVER = np.int8(127)


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseworkerTeam:
    """A team of caseworkers for some states.

    Attributes
    ----------
    name:
        The team.
    states:
        The states (target groups) it follows.
    caseworkers:
        Caseworkers, in full-time equivalents (the name efforts use for the same number).
    caseload:
        Persons per caseworker at which every person is met once per cadence (Hjørringmodellen: about
        35, before about 80 — DOMAIN.md §5.2).
    cadence_months:
        Months between meetings with each person.
    first_meeting_by_month:
        If set, a person entering one of the states must have a first meeting by the end of this
        month of the spell (0 = the first month). The sick-listed: by the end of week 8 (DOMAIN.md
        §2.2), that is by the end of the second month, 1.
    contact_effect:
        Multiplier of the hazards to work and education for persons met within the cadence.
        *Assumption* with a wide range (1.0–1.6): DOMAIN.md §6 finds caseworker contact effective
        but gives no number.
    """

    name: str
    states: tuple[str, ...]
    caseworkers: float
    caseload: float
    cadence_months: int
    first_meeting_by_month: int | None = None
    contact_effect: float = 1.3
    source: str = field(default="")

    def __post_init__(self) -> None:
        where = f"caseworker team {self.name!r}"
        if not self.states:
            raise ModelError(f"{where}.states must name at least one state.")
        number(0.0)(self.caseworkers, f"{where}.caseworkers", ModelError)
        number(0.0, above=True)(self.caseload, f"{where}.caseload", ModelError)
        whole(1)(self.cadence_months, f"{where}.cadence_months", ModelError)
        optional(whole(0))(self.first_meeting_by_month, f"{where}.first_meeting_by_month", ModelError)
        number(0.0, above=True)(self.contact_effect, f"{where}.contact_effect", ModelError)

    @property
    def capacity(self) -> int:
        """Meetings a month."""
        return int(np.floor(self.caseworkers * self.caseload / self.cadence_months + 1e-9))

    def codes(self, catalogue: StateCatalogue) -> tuple[int, ...]:
        """State codes of the team's states."""
        return catalogue.codes(self.states, field=f"caseworker team {self.name!r}.states")


@dataclass(frozen=True, slots=True, kw_only=True)
class TeamMonth:
    """One team's month, in the capacity convention of :func:`labsim.batch.capacity_frame`: meetings due
    (``demand``), meetings it can hold (``capacity``) and meetings held (``used``); and the first-meeting deadlines
    due and missed."""

    month: int
    team: str
    demand: int
    capacity: int
    used: int
    deadlines_due: int
    deadlines_missed: int


def allocate(team: CaseworkerTeam, codes: tuple[int, ...], population: Population, contact_bit: np.uint8,
             month: int) -> TeamMonth:
    """Give month ``month``'s meetings and set each person's contact flag; returns the month's counts.

    Order: first meetings whose deadline can still be met (earliest deadline first), then follow-ups
    (longest since the last meeting first), then first meetings already past their deadline. Ties go to the
    lower id. Months since contact count this month: a person met in month m is due again in month
    m + cadence; the persons met now start again at zero.
    """
    members = np.flatnonzero(population.in_states(codes))
    since = population.months_since_contact
    # A new spell starts with no meeting, whatever happened in an earlier one; then a month has passed.
    since[members[population.months_in_state[members] == 0]] = _NEVER
    last = np.minimum(since[members].astype(np.int64) + 1, int(_NEVER))  # months since contact, this month included
    since[members] = last.astype(np.int8)
    spell = population.months_in_state[members].astype(np.int64)
    unmet = last > spell  # no meeting since the spell began
    first_rule = team.first_meeting_by_month
    if first_rule is not None:
        due = unmet | (last >= team.cadence_months)
        in_time = unmet & (spell <= first_rule)
        late = unmet & (spell > first_rule)
    else:
        due = last >= team.cadence_months
        in_time = np.zeros(len(members), dtype=bool)
        late = np.zeros(len(members), dtype=bool)
    # rank: 0 = first meeting in time (by deadline), 1 = follow-up (by overdue), 2 = first meeting late
    rank = np.where(in_time, 0, np.where(late, 2, 1))
    urgency = np.where(in_time, spell, np.where(late, spell, last))  # larger = more urgent within a rank
    candidates = np.flatnonzero(due)
    order = np.lexsort((population.ids[members[candidates]], -urgency[candidates], rank[candidates]))
    served = members[candidates[order[: team.capacity]]]
    # deadline bookkeeping: persons in the last month of their deadline, not met before it
    if first_rule is not None:
        at_deadline = members[unmet & (spell == first_rule)]
        missed = int(np.count_nonzero(~np.isin(at_deadline, served)))
        deadlines_due = len(at_deadline)
    else:
        missed = deadlines_due = 0
    population.months_since_contact[served] = 0
    # contact flag: met within the cadence (this month included)
    recent = population.months_since_contact[members] < team.cadence_months
    flags = population.flags
    flags[members] &= ~contact_bit
    flags[members[recent]] |= contact_bit
    return TeamMonth(month=month, team=team.name, demand=len(candidates), capacity=team.capacity, used=len(served),
                     deadlines_due=deadlines_due, deadlines_missed=missed)

