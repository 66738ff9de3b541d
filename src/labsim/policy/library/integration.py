"""Integration efforts: lønnede timer, jobskole for women, and language and skills clarification for young late arrivals."""

from __future__ import annotations

from typing import Any

from labsim.calendar import MonthLike
from labsim.policy.effort import Capacity, Costs, Effort, Eligibility, Impact
from labsim.policy.library.common import (
    FOLLOW_UP_PER_PARTICIPANT_MONTH,
    KONTANTHJAELP,
    UDDANNELSESHJAELP,
    WORK,
    build,
    pick,
    unmeasured,
)

__all__ = ["loennede_timer", "jobskole_kvinder", "sprog_kompetenceafklaring", "INTEGRATION_EFFECT"]

_INTEGRATION = ("selvforsoergelsesydelse", *KONTANTHJAELP)
_REFUGEES = ("flygtning_familiesammenfoert",)

INTEGRATION_EFFECT = unmeasured(
    1.0, 1.84,
    "No evaluation of the integration efforts with a number is in DOMAIN.md; Hjørring's employment share of refugees "
    "rose 2020→2021, driven by women (descriptive, H15). Range from no effect to private praktik's +84 %, the "
    "company-based tool these efforts rest on.",
    "DOMAIN.md §5.2 H15, §6 (virksomhedspraktik); Hjørring plan §3.4; Brønderslev plan p.21",
)


def loennede_timer(
    *, start: MonthLike = "2021-01", stop: MonthLike | None = None, ramp_months: int = 0, seats: int = 20,
    effect: float | None = None, **changes: Any,
) -> Effort:
    """Lønnede timer: ordinary paid hours for refugees and family-reunified persons on integration benefits.

    :data:`INTEGRATION_EFFECT` on exits to work while it lasts and 12 months after, **1.36
    (1.00–1.84), assumed**. *Assumptions*: 6 months, 20 places. Cost: jobcenter follow-up.
    """
    value = pick(effect, INTEGRATION_EFFECT)
    return build(
        "loennede_timer", "Lønnede timer (integration)",
        eligibility=Eligibility(states=_INTEGRATION, origin=_REFUGEES),
        impacts=[Impact(origins=_INTEGRATION, destinations=WORK, during=value, after=value)],
        capacity=Capacity(seats=seats), costs=Costs(per_participant_month=FOLLOW_UP_PER_PARTICIPANT_MONTH),
        start=start, stop=stop, ramp_months=ramp_months, duration_months=6, after_months=12,
        evidence={"during": INTEGRATION_EFFECT, "after": INTEGRATION_EFFECT}, changes=changes,
    )


def jobskole_kvinder(
    *, start: MonthLike = "2022-01", stop: MonthLike | None = None, ramp_months: int = 0, seats: int = 15,
    effect: float | None = None, **changes: Any,
) -> Effort:
    """Jobskole for refugee and family-reunified women, alternating with company placements (Hjørring plan §3.4).

    :data:`INTEGRATION_EFFECT` on exits to work, **1.36 (1.00–1.84), assumed**. *Assumptions*: 4
    months, 15 places. Cost: jobcenter follow-up.
    """
    return build(
        "jobskole_kvinder", "Jobskole for flygtninge- og familiesammenførte kvinder",
        eligibility=Eligibility(states=_INTEGRATION, origin=_REFUGEES, sex=("female",)),
        impacts=[Impact(origins=_INTEGRATION, destinations=WORK, during=pick(effect, INTEGRATION_EFFECT))],
        capacity=Capacity(seats=seats), costs=Costs(per_participant_month=FOLLOW_UP_PER_PARTICIPANT_MONTH),
        start=start, stop=stop, ramp_months=ramp_months, duration_months=4, evidence={"during": INTEGRATION_EFFECT},
        changes=changes,
    )


def sprog_kompetenceafklaring(
    *, start: MonthLike = "2022-01", stop: MonthLike | None = None, ramp_months: int = 0, seats: int = 10,
    effect: float | None = None, **changes: Any,
) -> Effort:
    """Language screening and skills clarification for young people who arrived late (Hjørring plan §3.4).

    For immigrants and refugees under 30 on integration benefits or uddannelseshjælp:
    :data:`INTEGRATION_EFFECT` on exits to education and work, **1.36 (1.00–1.84), assumed**.
    *Assumptions*: 6 months, 10 places. Cost: jobcenter follow-up.
    """
    states = ("selvforsoergelsesydelse", *UDDANNELSESHJAELP)
    return build(
        "sprog_kompetenceafklaring", "Sprog- og kompetenceafklaring for sent ankomne unge",
        eligibility=Eligibility(states=states, below_age=30, origin=("indvandrer", *_REFUGEES)),
        impacts=[Impact(origins=states, destinations=("employed", "education"), during=pick(effect, INTEGRATION_EFFECT))],
        capacity=Capacity(seats=seats), costs=Costs(per_participant_month=FOLLOW_UP_PER_PARTICIPANT_MONTH),
        start=start, stop=stop, ramp_months=ramp_months, duration_months=6, evidence={"during": INTEGRATION_EFFECT},
        changes=changes,
    )
