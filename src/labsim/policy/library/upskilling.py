"""Opkvalificering: voksenlærling, uddannelsesløft, short courses, kandidatbanker and jobrotation."""

from __future__ import annotations

from typing import Any

from labsim.calendar import MonthLike
from labsim.policy.effort import Capacity, Costs, Effort, Eligibility, Impact
from labsim.policy.estimate import Estimate, hazard_ratio
from labsim.policy.library.common import (
    FOLLOW_UP_PER_PARTICIPANT_MONTH,
    JOBPARATE,
    WORK,
    build,
    pick,
    unmeasured,
)

__all__ = ["voksenlaerling", "uddannelsesloeft", "short_courses", "kandidatbank", "jobrotation",
           "VOKSENLAERLING_EFFECT", "EDUCATION_AFTER_EFFECT", "EDUCATION_LOCK_IN", "MATCHING_EFFECT"]

_UNSKILLED_OR_SKILLED = ("ufaglaert", "faglaert")

VOKSENLAERLING_EFFECT = Estimate(
    value=hazard_ratio(0.58, 0.70), low=1.0, high=hazard_ratio(0.58, 0.70),
    basis="Deloitte (2013): 70 % vs 58 % of a matched comparison group in a job one year after completing a "
          "voksenlærling, a hazard ratio of 1.39; not randomised, so the range runs down to no effect.",
    source="DOMAIN.md §6 (voksenlærling, Deloitte for Arbejdsmarkedsstyrelsen)",
)
"""Multiplier on exits to work in the year after a voksenlærling referral."""

EDUCATION_AFTER_EFFECT = unmeasured(
    1.0, VOKSENLAERLING_EFFECT.value,
    "Effects of education as activation were not retrieved as numbers (KORA 2014, DAMVAD 2014: 'most effective in "
    "the short run', larger for men); range from no effect to the voksenlærling estimate.",
    "DOMAIN.md §6 (opkvalificering)",
)
"""Multiplier on exits to work after a course."""

EDUCATION_LOCK_IN = unmeasured(
    0.5, 1.0,
    "Activation keeps people from searching while it lasts (lock-in, Skipper 2010); no size for courses was "
    "retrieved. Assumed range: exits to work halved to unchanged.",
    "DOMAIN.md §6 (virksomhedspraktik for the weakest group; opkvalificering)",
)
"""Multiplier on exits to work while on a long course."""

MATCHING_EFFECT = unmeasured(
    1.0, 1.84,
    "No evaluation of kandidatbanker or jobrotation with a number is in DOMAIN.md; range from no effect to the "
    "largest company-based estimate (private virksomhedspraktik, +84 %).",
    "DOMAIN.md §6 (virksomhedspraktik, løntilskud reviews); Hjørring plan §3.2",
)
"""Multiplier on exits to work while matched to firms through a candidate bank or a jobrotation post."""


def voksenlaerling(
    *, start: MonthLike = "2020-01", stop: MonthLike | None = None, ramp_months: int = 0, seats: int = 300,
    effect: float | None = None, **changes: Any,
) -> Effort:
    """Voksenlærling (adult apprenticeship) for unskilled and skilled unemployed.

    Evidence: :data:`VOKSENLAERLING_EFFECT`, **1.39 (1.00–1.39)** on exits to work for 12 months
    after a 6-month referral (*assumption*: the apprenticeship itself is not a state of the model, so
    the evaluation's one-year effect is put in the after phase). Largest for kontanthjælp recipients.
    Capacity: Hjørring expected about 300 courses by the end of 2021 (H10); taking them as 300
    places at once is an *assumption*. Cost: jobcenter follow-up only;
    the wage subsidy (a 5–10 DKK/hour change moves entry by about 1 pp, EVA 2023) is not priced.
    """
    value = pick(effect, VOKSENLAERLING_EFFECT)
    return build(
        "voksenlaerling", "Voksenlærling",
        eligibility=Eligibility(states=JOBPARATE, education=_UNSKILLED_OR_SKILLED),
        impacts=[Impact(origins=JOBPARATE, destinations=WORK, after=value)],
        capacity=Capacity(seats=seats), costs=Costs(per_participant_month=FOLLOW_UP_PER_PARTICIPANT_MONTH),
        start=start, stop=stop, ramp_months=ramp_months, duration_months=6, after_months=12,
        evidence={"after": VOKSENLAERLING_EFFECT}, changes=changes,
    )


def uddannelsesloeft(
    *, start: MonthLike = "2020-08", stop: MonthLike | None = None, ramp_months: int = 0, seats: int = 40,
    lock_in: float | None = None, effect: float | None = None, **changes: Any,
) -> Effort:
    """Uddannelsesløft: vocational education for unskilled and skilled insured unemployed aged 30 or more.

    A 12-month course (*assumption*) with :data:`EDUCATION_LOCK_IN` on exits to work while it lasts,
    **0.71 (0.50–1.00), assumed**, and :data:`EDUCATION_AFTER_EFFECT` for 12 months after, **1.18
    (1.00–1.39), assumed** — opkvalificering effects were not retrieved as numbers (DOMAIN.md §6).
    *Assumption*: 40 seats. Cost: jobcenter follow-up only.
    """
    return build(
        "uddannelsesloeft", "Uddannelsesløft",
        eligibility=Eligibility(states=("a_dagpenge",), min_age=30, education=_UNSKILLED_OR_SKILLED),
        impacts=[Impact(origins=("a_dagpenge",), destinations=WORK, during=pick(lock_in, EDUCATION_LOCK_IN),
                        after=pick(effect, EDUCATION_AFTER_EFFECT))],
        capacity=Capacity(seats=seats), costs=Costs(per_participant_month=FOLLOW_UP_PER_PARTICIPANT_MONTH),
        start=start, stop=stop, ramp_months=ramp_months, duration_months=12, after_months=12,
        evidence={"during": EDUCATION_LOCK_IN, "after": EDUCATION_AFTER_EFFECT}, changes=changes,
    )


def short_courses(
    *, start: MonthLike = "2020-08", stop: MonthLike | None = None, ramp_months: int = 0, seats: int = 60,
    effect: float | None = None, **changes: Any,
) -> Effort:
    """Short job-directed courses (korte erhvervsrettede kurser) for a-dagpenge and jobparate kontanthjælp.

    One month on the course, then :data:`EDUCATION_AFTER_EFFECT` on exits to work for 6 months,
    **1.18 (1.00–1.39), assumed** (DOMAIN.md §6: "most effective in the short run", no number).
    *Assumption*: 60 seats. Cost: jobcenter follow-up only.
    """
    return build(
        "short_courses", "Korte erhvervsrettede kurser",
        eligibility=Eligibility(states=JOBPARATE),
        impacts=[Impact(origins=JOBPARATE, destinations=WORK, after=pick(effect, EDUCATION_AFTER_EFFECT))],
        capacity=Capacity(seats=seats), costs=Costs(per_participant_month=FOLLOW_UP_PER_PARTICIPANT_MONTH),
        start=start, stop=stop, ramp_months=ramp_months, duration_months=1, after_months=6,
        evidence={"after": EDUCATION_AFTER_EFFECT}, changes=changes,
    )


def kandidatbank(
    *, start: MonthLike = "2021-01", stop: MonthLike | None = None, ramp_months: int = 0, seats: int = 40,
    effect: float | None = None, **changes: Any,
) -> Effort:
    """Kandidatbanker: cross-municipal banks of candidates for a change of trade (Hjørring with Frederikshavn,
    Jammerbugt and Brønderslev, Hjørring plan §3.2).

    Three months in the bank with :data:`MATCHING_EFFECT` on exits to work, **1.36 (1.00–1.84),
    assumed**. *Assumption*: 40 places. Cost: jobcenter follow-up.
    """
    return build(
        "kandidatbank", "Kandidatbanker",
        eligibility=Eligibility(states=JOBPARATE, min_months=3),
        impacts=[Impact(origins=JOBPARATE, destinations=WORK, during=pick(effect, MATCHING_EFFECT))],
        capacity=Capacity(seats=seats), costs=Costs(per_participant_month=FOLLOW_UP_PER_PARTICIPANT_MONTH),
        start=start, stop=stop, ramp_months=ramp_months, duration_months=3, evidence={"during": MATCHING_EFFECT},
        changes=changes,
    )


def jobrotation(
    *, start: MonthLike = "2020-08", stop: MonthLike | None = None, ramp_months: int = 0, seats: int = 15,
    effect: float | None = None, **changes: Any,
) -> Effort:
    """Jobrotation: the unemployed stand in for employees on courses (temporarily widened in 2020; both plans).

    Three months of matching to a rotation post with :data:`MATCHING_EFFECT` on exits to work,
    **1.36 (1.00–1.84), assumed**; Hjørring notes that a fast labour market lowers firms' interest.
    *Assumption*: 15 posts. Cost: jobcenter follow-up (the employer's rotation subsidy is the state's).
    """
    return build(
        "jobrotation", "Jobrotation",
        eligibility=Eligibility(states=JOBPARATE),
        impacts=[Impact(origins=JOBPARATE, destinations=WORK, during=pick(effect, MATCHING_EFFECT))],
        capacity=Capacity(seats=seats), costs=Costs(per_participant_month=FOLLOW_UP_PER_PARTICIPANT_MONTH),
        start=start, stop=stop, ramp_months=ramp_months, duration_months=3, evidence={"during": MATCHING_EFFECT},
        changes=changes,
    )
