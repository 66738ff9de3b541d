"""Jobcenter capacity: caseworker teams that meet their target groups at a cadence, as capacity allows.

A team follows everyone in its states (its *group*). Each month it has ``caseworkers × caseload /
cadence_months`` meetings to give (a caseworker with the norm caseload meets each citizen once per
cadence). Demand is everyone whose next meeting is due; meetings go by priority, then due date, in one
vectorised pass — never one SimPy event per meeting (DESIGN.md §5). What capacity cannot meet slips.

Caseload works as a **dose** (DESIGN.md §5): the meetings held, shared over the group, are the month's
*contacts per citizen*, and contacts set the hazard multiplier of everyone in the group on their moves to
work and education — a shortage means fewer contacts for everyone, not "no effect for the unlucky". The
dose-response is linear in contacts per citizen:

    multiplier = 1 + (contact_effect − 1) × (c − c_ref) / (c_norm − c_ref),   c clipped to [0, c_norm],

where ``c_norm = 1 / cadence_months`` is the contacts a citizen gets when the team keeps its cadence (at
most the norm caseload), ``c_ref = c_norm × caseload / reference_caseload`` the contacts at the
caseload the model's hazards were fitted at (multiplier 1), and ``contact_effect`` the multiplier at the
norm. With Hjørringmodellen's numbers (caseload 80 → 35, DOMAIN.md §5.2) and its assumed effect 1.26
(1.00–1.60, DOMAIN.md §6: positive, size not retrieved), a team at caseload 35 multiplies exits to work by
1.26, one at caseload 80 by 1, and one with no caseworkers at all by 1 − 0.26 × 35/45 ≈ 0.80. The
evaluations found the effect took about four years to show; the model lets it act at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from labsim.calendar import month_label, parse_month
from labsim.core.participation import Served
from labsim.core.population import Population
from labsim.errors import ModelError
from labsim.events.server import Server
from labsim.policy import Schedule
from labsim.policy.library.caseload import CASELOAD_EFFECT
from labsim.states import Gate, StateCatalogue
from labsim.validation import multiplier, number, optional, text, whole

__all__ = ["CaseworkerTeam", "TeamMonth", "TeamProcess", "CONTACT_TARGETS", "CONTACT_EFFECT", "REFERENCE_CASELOAD",
           "NORM_CASELOAD", "contact_multiplier"]

CONTACT_TARGETS = ("employed", "education")
"""Destinations whose hazards contact with a caseworker raises."""

NORM_CASELOAD, REFERENCE_CASELOAD = 35.0, 80.0
"""Persons per caseworker after and before Hjørringmodellen (DOMAIN.md §5.2, TV2 Nord): the default norm, and the
default caseload at which the model's hazards hold (an *assumption*: the fitted hazards reflect a jobcenter at the
caseload most had before; set it to the municipality's own)."""

CONTACT_EFFECT = CASELOAD_EFFECT.value
"""The default multiplier on exits to work and education at the norm caseload against the reference: 1.26, the
geometric middle of 1.0–1.6, an *assumption* — DOMAIN.md §6 finds positive effects of Hjørringmodellen's caseload cut
(Ravn 2019, 2022) and none after 2 years in the Vordingborg RCT, with no size retrieved
(:data:`labsim.policy.library.CASELOAD_EFFECT`)."""

_NEVER = np.int8(127)
_MAX_PERSONS = 10_000_000


def contact_multiplier(contacts: float, *, cadence_months: int, caseload: float, reference_caseload: float,
                       contact_effect: float) -> float:
    """The hazard multiplier of ``contacts`` per citizen a month (see the module's dose-response).

    >>> round(contact_multiplier(1.0, cadence_months=1, caseload=35, reference_caseload=80, contact_effect=1.26), 4)
    1.26
    >>> round(contact_multiplier(35 / 80, cadence_months=1, caseload=35, reference_caseload=80, contact_effect=1.26), 4)
    1.0
    """
    norm = 1.0 / cadence_months
    reference = norm * caseload / reference_caseload
    dose = min(max(contacts, 0.0), norm)
    return max(1.0 + (contact_effect - 1.0) * (dose - reference) / (norm - reference), 0.0)


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseworkerTeam:
    """A team of caseworkers for some states.

    Attributes
    ----------
    name:
        The team.
    states:
        The states (target group) it follows.
    caseworkers:
        Caseworkers at the start, in full-time equivalents (the name efforts use for the same number).
    changes:
        Caseworkers from a month on, by month: ``{"2025-01": 15}`` (the path ``changes.2025-01`` sets one). Efforts that name the team add theirs on top
        (:attr:`labsim.Capacity.team`).
    caseload:
        The norm: persons per caseworker at which every person is met once per cadence (Hjørringmodellen:
        about 35, before about 80 — DOMAIN.md §5.2).
    cadence_months:
        Months between meetings with each person at the norm.
    first_meeting_by_month:
        If set, a person entering one of the states must have a first meeting by the end of this month of the
        spell (0 = the first month). The sick-listed: by the end of week 8 (DOMAIN.md §2.2, HJ §3.6), that is by
        the end of the second month, 1.
    reference_caseload:
        The caseload at which the model's hazards hold (multiplier 1); above :attr:`caseload`.
    contact_effect:
        Multiplier of the hazards to work and education of the group when the team keeps its cadence, against
        the reference caseload (see the module). *Assumption* with a wide range (1.0–1.6).
    source:
        Where the numbers come from.
    """

    name: str
    states: tuple[str, ...]
    caseworkers: float
    changes: Mapping[str, float] = field(default_factory=dict)
    caseload: float = NORM_CASELOAD
    cadence_months: int = 1
    first_meeting_by_month: int | None = None
    reference_caseload: float = REFERENCE_CASELOAD
    contact_effect: float = CONTACT_EFFECT
    source: str = ""
    _dated: tuple[tuple[int, float], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        where = f"caseworker team {self.name!r}"
        text()(self.name, f"{where}.name", ModelError)
        if isinstance(self.states, str) or not self.states:
            raise ModelError(f"{where}.states must name at least one state; got {self.states!r}.")
        object.__setattr__(self, "states", tuple(self.states))
        number(0.0, _MAX_PERSONS)(self.caseworkers, f"{where}.caseworkers", ModelError)
        dated: dict[int, float] = {}
        for at, count in dict(self.changes).items():
            month = parse_month(at, field=f"{where}.changes")
            dated[month] = number(0.0, _MAX_PERSONS)(count, f"{where}.changes.{month_label(month)}", ModelError)
        object.__setattr__(self, "_dated", tuple(sorted(dated.items())))
        object.__setattr__(self, "changes", {month_label(month): count for month, count in self._dated})
        number(0.0, _MAX_PERSONS, above=True)(self.caseload, f"{where}.caseload", ModelError)
        whole(1, 120)(self.cadence_months, f"{where}.cadence_months", ModelError)
        optional(whole(0, 120))(self.first_meeting_by_month, f"{where}.first_meeting_by_month", ModelError)
        number(0.0, _MAX_PERSONS)(self.reference_caseload, f"{where}.reference_caseload", ModelError)
        if self.reference_caseload <= self.caseload:
            raise ModelError(f"{where}.reference_caseload must exceed caseload ({self.caseload:g}): the hazards hold "
                             f"at a caseload above the norm; got {self.reference_caseload!r}.")
        multiplier()(self.contact_effect, f"{where}.contact_effect", ModelError)

    def caseworkers_at(self, month: int) -> float:
        """The team's own caseworkers in ``month`` (efforts that name the team come on top)."""
        count = self.caseworkers
        for at, value in self._dated:
            if at <= month:
                count = value
        return count

    def capacity(self, caseworkers: float) -> int:
        """Meetings a month ``caseworkers`` can hold."""
        return int(np.floor(caseworkers * self.caseload / self.cadence_months + 1e-9))

    def multiplier(self, contacts: float) -> float:
        """The hazard multiplier of ``contacts`` per citizen a month (:func:`contact_multiplier`)."""
        return contact_multiplier(contacts, cadence_months=self.cadence_months, caseload=self.caseload,
                                  reference_caseload=self.reference_caseload, contact_effect=self.contact_effect)

    def codes(self, catalogue: StateCatalogue) -> tuple[int, ...]:
        """State codes of the team's states."""
        return catalogue.codes(self.states, field=f"caseworker team {self.name!r}.states")


@dataclass(frozen=True, slots=True, kw_only=True)
class TeamMonth:
    """One team's month.

    ``demand``, ``capacity`` and ``used`` are meetings due, meetings the caseworkers can hold and meetings held
    (the capacity convention of :func:`labsim.batch.capacity_frame`); ``group`` the persons the team follows,
    ``caseworkers`` its caseworkers (efforts that name it included), ``contacts`` the meetings held per person in
    the group, ``multiplier`` what that does to their hazards to work and education; and the first-meeting
    deadlines due and missed.
    """

    month: int
    team: str
    group: int
    caseworkers: float
    demand: int
    capacity: int
    used: int
    contacts: float
    multiplier: float
    deadlines_due: int
    deadlines_missed: int


class TeamProcess(Server):
    """A caseworker team at work in a run: each month it gives its meetings, records the month and hands the step
    its group's contact multiplier (:class:`~labsim.core.participation.Served`)."""

    def __init__(self, team: CaseworkerTeam, catalogue: StateCatalogue,
                 added: Sequence[tuple[float, Schedule]] = ()) -> None:
        self.team = team
        self.codes = team.codes(catalogue)
        self.added = tuple(added)  # (caseworkers, schedule) of efforts that name the team
        n = catalogue.n_states
        self._targets = np.zeros((n, n), dtype=bool)
        allowed = catalogue.allowed_matrix(Gate.HAZARD)
        np.fill_diagonal(allowed, False)
        self._targets[np.ix_(self.codes, catalogue.codes(CONTACT_TARGETS))] = True
        self._targets &= allowed
        self.months: list[TeamMonth] = []

    def caseworkers(self, month: int) -> float:
        """Caseworkers in ``month``: the team's own and those of active efforts that name it."""
        extra = sum(count * schedule.fraction(month) for count, schedule in self.added if schedule.active(month))
        return self.team.caseworkers_at(month) + extra

    def month(self, t: int, month: int, population: Population) -> Served:
        """Give month ``month``'s meetings; returns the group's contact multiplier for the step."""
        members = np.flatnonzero(population.in_states(self.codes))
        caseworkers = self.caseworkers(month)
        counts = _allocate(self.team, members, population, self.team.capacity(caseworkers))
        used, demand, due, missed = counts
        contacts = used / len(members) if len(members) else 0.0
        factor = self.team.multiplier(contacts) if len(members) else 1.0
        self.months.append(TeamMonth(month=month, team=self.team.name, group=len(members), caseworkers=caseworkers,
                                     demand=demand, capacity=self.team.capacity(caseworkers), used=used,
                                     contacts=contacts, multiplier=factor, deadlines_due=due,
                                     deadlines_missed=missed))
        if factor == 1.0:  # nothing to hand the step: the group keeps the shared cell table
            members = members[:0]
        matrix = np.where(self._targets, factor, 1.0)[None]
        return Served(members.astype(np.intp), np.zeros(len(members), np.int64), matrix)


def _allocate(team: CaseworkerTeam, members: npt.NDArray[np.intp], population: Population,
              capacity: int) -> tuple[int, int, int, int]:
    """Give the month's meetings to ``members``: returns meetings held, meetings due, first-meeting deadlines due and
    missed.

    Order: first meetings whose deadline can still be met (earliest deadline first), then follow-ups (longest since
    the last meeting first), then first meetings already past their deadline; ties go to the lower id. Months since
    contact count this month: a person met in month m is due again in month m + cadence.
    """
    since = population.months_since_contact
    # A new spell starts with no meeting, whatever happened in an earlier one; then a month has passed.
    since[members[population.months_in_state[members] == 0]] = _NEVER
    last = np.minimum(since[members].astype(np.int64) + 1, int(_NEVER))  # months since contact, this month included
    since[members] = last.astype(np.int8)
    spell = population.months_in_state[members].astype(np.int64)
    unmet = last > spell  # no meeting since the spell began
    rule = team.first_meeting_by_month
    if rule is not None:
        due = unmet | (last >= team.cadence_months)
        in_time, late = unmet & (spell <= rule), unmet & (spell > rule)
    else:
        due = last >= team.cadence_months
        in_time = late = np.zeros(len(members), dtype=bool)
    rank = np.where(in_time, 0, np.where(late, 2, 1))  # 0 first meeting in time, 1 follow-up, 2 first meeting late
    urgency = np.where(in_time | late, spell, last)  # larger = more urgent within a rank
    candidates = np.flatnonzero(due)
    order = np.lexsort((population.ids[members[candidates]], -urgency[candidates], rank[candidates]))
    chosen = candidates[order[:capacity]]
    since[members[chosen]] = 0
    if rule is None:
        return len(chosen), len(candidates), 0, 0
    met = np.zeros(len(members), dtype=bool)
    met[chosen] = True
    at_deadline = unmet & (spell == rule)  # in the last month of the deadline, not met before it
    return len(chosen), len(candidates), int(np.count_nonzero(at_deadline)), int(np.count_nonzero(at_deadline & ~met))
