"""What the built-in efforts share: sourced unit costs, state groups, and the three kinds of capacity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from labsim.policy import spec as k
from labsim.policy.effort import Capacity, Effort, Eligibility
from labsim.policy.estimate import Estimate, geometric_middle
from labsim.policy.spec import EffortSpec
from labsim.states import StateCatalogue

__all__ = [
    "POSITION_COST_PER_YEAR", "CASELOAD_BEFORE", "CASELOAD_AFTER", "FOLLOW_UP_PER_PARTICIPANT_MONTH", "WORK",
    "WORK_OR_EDUCATION", "KONTANTHJAELP", "UDDANNELSESHJAELP", "AKTIVITETSPARATE", "JOBPARATE", "unmeasured",
    "SeatEffort", "CaseworkerEffort", "OpenEffort", "TeamEffort",
]

POSITION_COST_PER_YEAR = 20_000_000 / 22
"""DKK per jobcenter position and year: Hjørring's budget 2020 cut 22 positions to save 20 mio. DKK (DOMAIN.md §5.2,
nb-beskaeftigelse.dk 2020). It agrees with the investment itself: 35 caseworkers × 0.91 mio. ≈ 31.8 mio. a year
against 125 mio. DKK over 2015–2018 (31.25 mio. a year, which also paid consultants and health staff)."""

CASELOAD_BEFORE, CASELOAD_AFTER = 80, 35
"""Persons per caseworker before and after Hjørringmodellen (DOMAIN.md §5.2, TV2 Nord)."""

FOLLOW_UP_PER_PARTICIPANT_MONTH = POSITION_COST_PER_YEAR / 12 / CASELOAD_AFTER
"""*Assumption*: what a seat-based effort costs in jobcenter time per participant-month — one position
(:data:`POSITION_COST_PER_YEAR`) per 35 participants, Hjørringmodellen's caseload (≈ 2,165 DKK). Course fees
and wage subsidies are not in DOMAIN.md and not included; add them with ``cost_per_participant_month``."""

WORK = ("employed",)
WORK_OR_EDUCATION = ("employed", "education")
KONTANTHJAELP = ("kontanthjaelp_jobparat", "kontanthjaelp_aktivitetsparat")
UDDANNELSESHJAELP = ("uddannelseshjaelp_uddannelsesparat", "uddannelseshjaelp_aktivitetsparat")
AKTIVITETSPARATE = ("kontanthjaelp_aktivitetsparat", "uddannelseshjaelp_aktivitetsparat")
JOBPARATE = ("a_dagpenge", "kontanthjaelp_jobparat")

_FOLLOW_UP = ("DKK per participant-month: jobcenter follow-up, one position per 35 participants (≈ 2,165 DKK, an "
              "assumption); course fees and wage subsidies are not included.")


def unmeasured(low: float, high: float, basis: str, source: str) -> Estimate:
    """An effect the evidence gives no number for: the geometric middle of a wide range, marked as assumed."""
    return Estimate(value=geometric_middle(low, high), low=low, high=high, basis=basis, source=source, measured=False)


@dataclass(frozen=True, kw_only=True)
class SeatEffort(EffortSpec):
    """A built-in with places (course seats, praktik places, partner firms): ``seats`` at once — or, with ``intake``,
    seats added to a course of the jobcenter at each of its intakes."""

    seats: int = k.seats(0, "")
    cost_per_participant_month: float = k.cost(FOLLOW_UP_PER_PARTICIPANT_MONTH, _FOLLOW_UP)
    intake: str | None = k.intake()

    def capacity(self) -> Capacity:
        """The places, or the seats that join a course intake."""
        return Capacity(seats=self.seats, intake=self.intake)


@dataclass(frozen=True, kw_only=True)
class CaseworkerEffort(EffortSpec):
    """A built-in served by caseworkers: ``caseworkers × caseload`` persons at once."""

    caseworkers: float = k.caseworkers(0, "")
    caseload: float = k.caseload(CASELOAD_AFTER, "Hjørringmodellen's 35 (DOMAIN.md §5.2) unless the effort says.")
    cost_per_caseworker_year: float = k.cost(
        POSITION_COST_PER_YEAR, "DKK per caseworker-year: Hjørring's budget 2020, 22 positions for 20 mio. DKK "
        "(DOMAIN.md §5.2).")

    def capacity(self) -> Capacity:
        """The caseworkers and their caseload."""
        return Capacity(caseworkers=self.caseworkers, caseload=self.caseload)


@dataclass(frozen=True, kw_only=True)
class OpenEffort(EffortSpec):
    """A built-in open to everyone eligible."""

    cost_per_participant_month: float = k.cost(FOLLOW_UP_PER_PARTICIPANT_MONTH, _FOLLOW_UP)

    def capacity(self) -> Capacity:
        """No limit."""
        return Capacity()


@dataclass(frozen=True, kw_only=True)
class TeamEffort(EffortSpec):
    """A built-in that adds caseworkers to a team of the jobcenter (:class:`labsim.CaseworkerTeam`): from ``start`` to
    ``stop`` the team has ``caseworkers`` more, so its realised caseload falls and every citizen in its group gets
    more contact; the effect is the team's dose-response, the cost the caseworkers'."""

    moved: ClassVar[dict[str, str]] = {"effect": "jobcenter.teams.<team>.contact_effect",
                                       "states": "jobcenter.teams.<team>.states",
                                       "caseload": "jobcenter.teams.<team>.caseload"}

    team: str = k.team("", "")
    caseworkers: float = k.caseworkers(0, "")
    cost_per_caseworker_year: float = k.cost(
        POSITION_COST_PER_YEAR, "DKK per caseworker-year: Hjørring's budget 2020, 22 positions for 20 mio. DKK "
        "(DOMAIN.md §5.2).")

    def capacity(self) -> Capacity:
        """The caseworkers and the team they join."""
        return Capacity(caseworkers=self.caseworkers, team=self.team)

    def effort(self, catalogue: StateCatalogue) -> Effort:
        """The effort: no participants of its own, its caseworkers join the team."""
        return self.assemble(catalogue, eligibility=Eligibility(states=()), impacts=(), evidence={})
