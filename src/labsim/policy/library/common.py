"""What the built-in efforts share: sourced unit costs, state groups, and the way an effort is put together."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from labsim.calendar import MonthLike
from labsim.errors import LabsimError, ModelError
from labsim.policy.effort import Capacity, Costs, Effort, Eligibility, Impact, Schedule
from labsim.policy.estimate import Estimate, geometric_middle

__all__ = [
    "POSITION_COST_PER_YEAR", "CASELOAD_BEFORE", "CASELOAD_AFTER", "FOLLOW_UP_PER_PARTICIPANT_MONTH", "WORK",
    "WORK_OR_EDUCATION", "KONTANTHJAELP", "UDDANNELSESHJAELP", "AKTIVITETSPARATE", "JOBPARATE", "build", "unmeasured",
    "pick",
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
and wage subsidies are not in DOMAIN.md and not included; add them with ``costs=``."""

WORK = ("employed",)
WORK_OR_EDUCATION = ("employed", "education")
KONTANTHJAELP = ("kontanthjaelp_jobparat", "kontanthjaelp_aktivitetsparat")
UDDANNELSESHJAELP = ("uddannelseshjaelp_uddannelsesparat", "uddannelseshjaelp_aktivitetsparat")
AKTIVITETSPARATE = ("kontanthjaelp_aktivitetsparat", "uddannelseshjaelp_aktivitetsparat")
JOBPARATE = ("a_dagpenge", "kontanthjaelp_jobparat")


def unmeasured(low: float, high: float, basis: str, source: str) -> Estimate:
    """An effect the evidence gives no number for: the geometric middle of a wide range, marked as assumed."""
    return Estimate(value=geometric_middle(low, high), low=low, high=high, basis=basis, source=source, measured=False)


def pick(value: float | None, estimate: Estimate) -> float:
    """The user's value if given, else the estimate's default."""
    return estimate.value if value is None else value


def build(
    name: str,
    title: str,
    *,
    eligibility: Eligibility,
    impacts: Sequence[Impact],
    capacity: Capacity,
    costs: Costs,
    start: MonthLike,
    stop: MonthLike | None,
    ramp_months: int,
    evidence: dict[str, Estimate],
    duration_months: int | None = None,
    lock_in_months: int = 0,
    after_months: int = 0,
    changes: dict[str, Any] | None = None,
) -> Effort:
    """Put a built-in effort together; ``changes`` are the caller's overrides of any other field."""
    try:
        schedule = Schedule(start, stop, ramp_months)
    except LabsimError as error:
        raise ModelError(f"effort {name!r}: {error}") from None
    effort = Effort(
        name=name, title=title, eligibility=eligibility, impacts=tuple(impacts), capacity=capacity, costs=costs,
        schedule=schedule, duration_months=duration_months, lock_in_months=lock_in_months,
        after_months=after_months, evidence=evidence,
    )
    return effort.replace(**changes) if changes else effort
