"""Efforts for the sick-listed: early follow-up by week 8 and delvis raskmelding (graded return to work)."""

from __future__ import annotations

from typing import Any

from labsim.calendar import MonthLike
from labsim.policy.effort import Capacity, Costs, Effort, Eligibility, Impact
from labsim.policy.estimate import Estimate
from labsim.policy.library.common import CASELOAD_AFTER, POSITION_COST_PER_YEAR, WORK, build, pick, unmeasured

__all__ = ["early_sickness_followup", "delvis_raskmelding", "EARLY_FOLLOW_UP_EFFECT", "GRADED_RETURN_EFFECT"]

_SICK = ("sygedagpenge",)
_RTW_SOURCE = "DOMAIN.md §6 ('Aktive – hurtigere tilbage' RCT; Poulsen et al. 2014; Høgelund, Holm & McIntosh 2008)"

EARLY_FOLLOW_UP_EFFECT = Estimate(
    value=1.0, low=0.80, high=1.51,
    basis="'Aktive – hurtigere tilbage' (RCT): no overall effect on self-support, more partial returns. The Danish "
          "RTW RCT (Poulsen et al. 2014) gave hazard ratios 1.51, 1.12 and 0.80 in three municipalities: the range.",
    source=_RTW_SOURCE,
)
GRADED_RETURN_EFFECT = unmeasured(
    1.0, 1.51,
    "Delvis raskmelding has a significant positive effect on returning to regular hours (Høgelund et al. 2008), size "
    "not retrieved; range from no effect to the largest Danish RTW hazard ratio (1.51).",
    _RTW_SOURCE,
)


def early_sickness_followup(
    *, start: MonthLike = "2022-01", stop: MonthLike | None = None, ramp_months: int = 0, caseworkers: float = 6,
    caseload: float = CASELOAD_AFTER, effect: float | None = None, **changes: Any,
) -> Effort:
    """Early, intensive follow-up of the sick-listed: the first interview by the end of week 8 (H19).

    Serves persons in the first two months on sygedagpenge, for 6 months. :data:`EARLY_FOLLOW_UP_EFFECT`
    on the return to work: **1.00 (0.80–1.51)** — no overall effect in the Danish RCT (DOMAIN.md §6),
    so by default it costs without changing flows; the range carries the context-dependent RCT results.
    *Assumptions*: 6 caseworkers at a caseload of 35, Hjørring's cost per position.
    """
    return build(
        "early_sickness_followup", "Tidlig opfølgning på sygedagpenge (uge 8)",
        eligibility=Eligibility(states=_SICK, max_months=1),
        impacts=[Impact(origins=_SICK, destinations=WORK, during=pick(effect, EARLY_FOLLOW_UP_EFFECT))],
        capacity=Capacity(caseworkers=caseworkers, caseload=caseload),
        costs=Costs(per_caseworker_year=POSITION_COST_PER_YEAR),
        start=start, stop=stop, ramp_months=ramp_months, duration_months=6, evidence={"during": EARLY_FOLLOW_UP_EFFECT},
        changes=changes,
    )


def delvis_raskmelding(
    *, start: MonthLike = "2022-01", stop: MonthLike | None = None, ramp_months: int = 0, share: float = 0.5,
    effect: float | None = None, **changes: Any,
) -> Effort:
    """Delvis raskmelding: a graded return to work for the sick-listed.

    :data:`GRADED_RETURN_EFFECT` on the return to work while it lasts, **1.23 (1.00–1.51), assumed**
    (DOMAIN.md §6). labsim has no state for part-time sick leave, so the partial returns the RCT saw
    show only through this hazard. *Assumptions*: ``share`` 0.5 of the sick-listed can return part
    time; from the third month of sickness, for up to 6 months; open to all of them. Cost: jobcenter
    follow-up is part of the sygedagpenge case and not priced again.
    """
    return build(
        "delvis_raskmelding", "Delvis raskmelding",
        eligibility=Eligibility(states=_SICK, min_months=2, share=share),
        impacts=[Impact(origins=_SICK, destinations=WORK, during=pick(effect, GRADED_RETURN_EFFECT))],
        capacity=Capacity(), costs=Costs(),
        start=start, stop=stop, ramp_months=ramp_months, duration_months=6, evidence={"during": GRADED_RETURN_EFFECT},
        changes=changes,
    )
