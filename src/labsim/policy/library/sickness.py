"""Efforts for the sick-listed: early follow-up by week 8 and delvis raskmelding (graded return to work)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from labsim.policy import spec as k
from labsim.policy.effort import Effort, Eligibility, Impact
from labsim.policy.estimate import Estimate
from labsim.policy.library.common import WORK, CaseworkerEffort, OpenEffort, unmeasured
from labsim.states import StateCatalogue

__all__ = ["EarlySicknessFollowup", "DelvisRaskmelding", "EARLY_FOLLOW_UP_EFFECT", "GRADED_RETURN_EFFECT"]

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


@dataclass(frozen=True, kw_only=True)
class EarlySicknessFollowup(CaseworkerEffort):
    """Early, intensive follow-up of the sick-listed: the first interview by the end of week 8 (H19).

    Serves persons in the first two months on sygedagpenge, for 6 months. :data:`EARLY_FOLLOW_UP_EFFECT`
    on the return to work: **1.00 (0.80–1.51)** — no overall effect in the Danish RCT (DOMAIN.md §6),
    so by default it costs without changing flows; the range carries the context-dependent RCT results.
    *Assumptions*: 6 caseworkers at a caseload of 35, Hjørring's cost per position.
    """

    name: ClassVar[str] = "early_sickness_followup"
    title: str = k.title("Tidlig opfølgning på sygedagpenge (uge 8)")
    effect: float = k.effect(EARLY_FOLLOW_UP_EFFECT, "Multiplier on the return to work while followed up.")
    caseworkers: float = k.caseworkers(6, "*Assumption.*")
    duration_months: int | None = k.duration(6, "*Assumption.*")

    def effort(self, catalogue: StateCatalogue) -> Effort:
        """The effort of these knobs."""
        return self.assemble(
            catalogue, eligibility=Eligibility(states=_SICK, max_months=1),
            impacts=[Impact(origins=_SICK, destinations=WORK, during=self.effect)],
            evidence={"during": EARLY_FOLLOW_UP_EFFECT})


@dataclass(frozen=True, kw_only=True)
class DelvisRaskmelding(OpenEffort):
    """Delvis raskmelding: a graded return to work for the sick-listed.

    :data:`GRADED_RETURN_EFFECT` on the return to work while it lasts, **1.23 (1.00–1.51), assumed**
    (DOMAIN.md §6). labsim has no state for part-time sick leave, so the partial returns the RCT saw
    show only through this hazard. *Assumptions*: ``share`` 0.5 of the sick-listed can return part
    time; from the third month of sickness, for up to 6 months; open to all of them. Cost: jobcenter
    follow-up is part of the sygedagpenge case and not priced again.
    """

    name: ClassVar[str] = "delvis_raskmelding"
    title: str = k.title("Delvis raskmelding")
    effect: float = k.effect(GRADED_RETURN_EFFECT, "Multiplier on the return to work while it lasts.")
    share: float = k.share(0.5, "*Assumption*: the sick-listed who can return part time.")
    duration_months: int | None = k.duration(6, "*Assumption.*")
    cost_per_participant_month: float = k.cost(0.0, "DKK per participant-month: none, the follow-up is part of the "
                                                    "sygedagpenge case.")

    def effort(self, catalogue: StateCatalogue) -> Effort:
        """The effort of these knobs."""
        return self.assemble(
            catalogue, eligibility=Eligibility(states=_SICK, min_months=2, share=self.share),
            impacts=[Impact(origins=_SICK, destinations=WORK, during=self.effect)],
            evidence={"during": GRADED_RETURN_EFFECT})
