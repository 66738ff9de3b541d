"""Fleksjob matching and the handicap efforts: nøglepersoner, Isbryderordningen, skånejob with KLAPjob."""

from __future__ import annotations

from typing import Any

from labsim.calendar import MonthLike
from labsim.policy.effort import Capacity, Costs, Effort, Eligibility, Impact
from labsim.policy.library.common import (
    CASELOAD_AFTER,
    FOLLOW_UP_PER_PARTICIPANT_MONTH,
    JOBPARATE,
    POSITION_COST_PER_YEAR,
    WORK,
    build,
    pick,
    unmeasured,
)

__all__ = ["fleksjob_matching", "noeglepersoner", "isbryderordningen", "skaanejob_klapjob", "DISABILITY_EFFECT",
           "ISBRYDER_EFFECT"]

_LEDIG = ("ledighedsydelse",)
_FLEKSJOB = ("fleksjob",)

DISABILITY_EFFECT = unmeasured(
    1.0, 1.6,
    "No evaluation of fleksjob matching or the handicap efforts with a number is in DOMAIN.md; same wide range as "
    "the caseload effect.",
    "DOMAIN.md §5.1 B39, §5.2 H20–H21; Hjørring plan §3.7",
)
ISBRYDER_EFFECT = unmeasured(
    1.0, 1.84,
    "Isbryderordningen is a løntilskud for newly qualified persons with a handicap; private løntilskud has positive "
    "effects without a retrieved number. Range up to private praktik.",
    "DOMAIN.md §6 (løntilskud reviews); Hjørring plan §3.7",
)


def fleksjob_matching(
    *, start: MonthLike = "2021-01", stop: MonthLike | None = None, ramp_months: int = 0,
    effect: float | None = None, **changes: Any,
) -> Effort:
    """Matching visiterede on ledighedsydelse to fleksjob, with weekly contact (Hjørring, H21).

    :data:`DISABILITY_EFFECT` on ledighedsydelse → fleksjob, **1.26 (1.00–1.60), assumed**. Open to
    everyone on ledighedsydelse. Cost: jobcenter follow-up per participant-month.
    """
    return build(
        "fleksjob_matching", "Fleksjobformidling",
        eligibility=Eligibility(states=_LEDIG),
        impacts=[Impact(origins=_LEDIG, destinations=_FLEKSJOB, during=pick(effect, DISABILITY_EFFECT))],
        capacity=Capacity(), costs=Costs(per_participant_month=FOLLOW_UP_PER_PARTICIPANT_MONTH),
        start=start, stop=stop, ramp_months=ramp_months, evidence={"during": DISABILITY_EFFECT}, changes=changes,
    )


def noeglepersoner(
    *, start: MonthLike = "2021-01", stop: MonthLike | None = None, ramp_months: int = 0, caseworkers: float = 3,
    caseload: float = CASELOAD_AFTER, share: float = 0.2, effect: float | None = None, **changes: Any,
) -> Effort:
    """Handicap key persons (nøglepersoner) who bring the disability-compensation schemes into play.

    Brønderslev has had 3 (B39); Hjørring doubled theirs in 2021 (H20). :data:`DISABILITY_EFFECT`
    on exits to work (and ledighedsydelse → fleksjob), **1.26 (1.00–1.60), assumed**.
    *Assumptions*: ``share`` 0.2 of the unemployed and ledighedsydelse recipients have a handicap the
    schemes can compensate; each key person follows 35; Hjørring's cost per position.
    """
    value = pick(effect, DISABILITY_EFFECT)
    states = (*JOBPARATE, "ledighedsydelse")
    return build(
        "noeglepersoner", "Nøglepersoner på handicapområdet",
        eligibility=Eligibility(states=states, share=share),
        impacts=[Impact(origins=JOBPARATE, destinations=WORK, during=value),
                 Impact(origins=_LEDIG, destinations=("employed", "fleksjob"), during=value)],
        capacity=Capacity(caseworkers=caseworkers, caseload=caseload),
        costs=Costs(per_caseworker_year=POSITION_COST_PER_YEAR),
        start=start, stop=stop, ramp_months=ramp_months, evidence={"during": DISABILITY_EFFECT}, changes=changes,
    )


def isbryderordningen(
    *, start: MonthLike = "2022-01", stop: MonthLike | None = None, ramp_months: int = 0, seats: int = 5,
    share: float = 0.05, effect: float | None = None, **changes: Any,
) -> Effort:
    """Isbryderordningen: a special løntilskud for newly qualified persons with a handicap (Hjørring plan §3.7).

    For the qualified on a-dagpenge or jobparat kontanthjælp: :data:`ISBRYDER_EFFECT` on exits to
    work after a 6-month subsidised job, for 12 months, **1.36 (1.00–1.84), assumed**.
    *Assumptions*: ``share`` 0.05 have a handicap, 5 places. Cost: jobcenter follow-up.
    """
    return build(
        "isbryderordningen", "Isbryderordningen",
        eligibility=Eligibility(states=JOBPARATE, education=("faglaert", "videregaaende"), share=share),
        impacts=[Impact(origins=JOBPARATE, destinations=WORK, after=pick(effect, ISBRYDER_EFFECT))],
        capacity=Capacity(seats=seats), costs=Costs(per_participant_month=FOLLOW_UP_PER_PARTICIPANT_MONTH),
        start=start, stop=stop, ramp_months=ramp_months, duration_months=6, after_months=12,
        evidence={"after": ISBRYDER_EFFECT}, changes=changes,
    )


def skaanejob_klapjob(
    *, start: MonthLike = "2022-01", stop: MonthLike | None = None, ramp_months: int = 0, seats: int = 10,
    share: float = 0.1, effect: float | None = None, **changes: Any,
) -> Effort:
    """KLAPjob: skånejob and fleksjob for people with intellectual disabilities (Hjørring plan §3.7).

    labsim keeps a førtidspensionist in a skånejob on førtidspension (no state changes), so only the
    fleksjob part moves anyone: :data:`DISABILITY_EFFECT` on ledighedsydelse → fleksjob, **1.26
    (1.00–1.60), assumed**. *Assumptions*: ``share`` 0.1 of ledighedsydelse recipients are in
    KLAPjob's target group, 10 places. Cost: jobcenter follow-up.
    """
    return build(
        "skaanejob_klapjob", "Skånejob og fleksjob med KLAPjob",
        eligibility=Eligibility(states=_LEDIG, share=share),
        impacts=[Impact(origins=_LEDIG, destinations=_FLEKSJOB, during=pick(effect, DISABILITY_EFFECT))],
        capacity=Capacity(seats=seats), costs=Costs(per_participant_month=FOLLOW_UP_PER_PARTICIPANT_MONTH),
        start=start, stop=stop, ramp_months=ramp_months, duration_months=6, evidence={"during": DISABILITY_EFFECT},
        changes=changes,
    )
