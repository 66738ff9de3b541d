"""Efforts for young people: Ungegarantien, the Ungeindgang, IPS and IPS Ung."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from labsim.policy import spec as k
from labsim.policy.effort import Effort, Eligibility, Impact
from labsim.policy.estimate import Estimate, hazard_ratio
from labsim.policy.library.common import (
    AKTIVITETSPARATE,
    KONTANTHJAELP,
    UDDANNELSESHJAELP,
    WORK,
    WORK_OR_EDUCATION,
    CaseworkerEffort,
    OpenEffort,
    SeatEffort,
    unmeasured,
)
from labsim.states import StateCatalogue

__all__ = ["Ungegarantien", "Ungeindgang", "IPS", "IPSUng", "YOUTH_GUIDANCE_EFFECT", "IPS_EFFECT", "IPS_CASELOAD"]

_YOUNG = (*UDDANNELSESHJAELP, "kontanthjaelp_jobparat", "a_dagpenge")

YOUTH_GUIDANCE_EFFECT = unmeasured(
    1.0, 1.6,
    "No Danish evaluation of Ungegarantien or the Ungeindgang with an effect size is in DOMAIN.md; the plans "
    "describe the aim (the 'positive destination': education or job). Same wide range as the caseload effect.",
    "DOMAIN.md §5.2 H2–H4; Hjørring plan §3.3",
)


@dataclass(frozen=True, kw_only=True)
class Ungegarantien(SeatEffort):
    """Ungegarantien (Hjørring, from August 2019): guidance for under-30s towards a positive destination.

    The garantipartnere — local firms that take young people in — are its capacity: 130 agreements
    in autumn 2021 (H4), the target 200 by the end of 2022 (H3); set ``seats = 200`` for the target.
    *Assumption*: each partner holds one young person at a time, for 6 months. Those served get
    :data:`YOUTH_GUIDANCE_EFFECT` on exits to education and work: **1.26 (1.00–1.60), assumed**.
    Cost: jobcenter follow-up (:data:`~labsim.policy.library.common.FOLLOW_UP_PER_PARTICIPANT_MONTH`).
    """

    name: ClassVar[str] = "ungegarantien"
    title: str = k.title("Ungegarantien (garantipartnere)")
    effect: float = k.effect(YOUTH_GUIDANCE_EFFECT, "Multiplier on exits to education and work while served.")
    seats: int = k.seats(130, "Garantipartnere, one young person each: 130 agreements in autumn 2021 (H4); the "
                              "target is 200 by the end of 2022 (H3).")
    start: str = k.start("2019-08")
    duration_months: int | None = k.duration(6, "*Assumption.*")

    def effort(self, catalogue: StateCatalogue) -> Effort:
        """The effort of these knobs."""
        return self.assemble(
            catalogue, eligibility=Eligibility(states=_YOUNG, below_age=30),
            impacts=[Impact(origins=_YOUNG, destinations=WORK_OR_EDUCATION, during=self.effect)],
            evidence={"during": YOUTH_GUIDANCE_EFFECT})


@dataclass(frozen=True, kw_only=True)
class Ungeindgang(OpenEffort):
    """The Ungeindgang (Hjørring 2022): an early, cross-professional, intensive start for everyone under 30.

    Serves every young person in the first two months on uddannelseshjælp or kontanthjælp, for 3
    months (*assumption*: "early" as the first two months), and multiplies exits to education and
    work by :data:`YOUTH_GUIDANCE_EFFECT`: **1.26 (1.00–1.60), assumed**. Unlimited capacity; cost
    per participant-month as jobcenter follow-up.
    """

    name: ClassVar[str] = "ungeindgang"
    title: str = k.title("Ungeindgangen")
    effect: float = k.effect(YOUTH_GUIDANCE_EFFECT, "Multiplier on exits to education and work while served.")
    start: str = k.start("2022-01")
    duration_months: int | None = k.duration(3, "*Assumption.*")

    def effort(self, catalogue: StateCatalogue) -> Effort:
        """The effort of these knobs."""
        states = (*UDDANNELSESHJAELP, *KONTANTHJAELP)
        return self.assemble(
            catalogue, eligibility=Eligibility(states=states, below_age=30, max_months=1),
            impacts=[Impact(origins=states, destinations=WORK_OR_EDUCATION, during=self.effect)],
            evidence={"during": YOUTH_GUIDANCE_EFFECT})


IPS_EFFECT = Estimate(
    value=hazard_ratio(0.47, 0.60), low=1.0, high=hazard_ratio(0.23, 0.59),
    basis="Projekt Inklusion RCT (n = 720, severe mental illness): 60 % vs 47 % in ordinary job or education within "
          "18 months (+13 pp), a hazard ratio of 1.44 under constant hazards. The confidence interval was not "
          "retrieved, so the range starts at no effect; its top is the largest contrast of the international "
          "meta-analysis (about 55–59 % vs 23–25 % in ordinary employment: 59 % vs 23 %).",
    source="DOMAIN.md §6 (IPS, Projekt Inklusion; STAR)",
)
"""Multiplier on exits to work and education while in an IPS course."""

IPS_CASELOAD = 20
"""*Assumption*: persons per IPS consultant (DOMAIN.md has no number; IPS courses are individual)."""

_IPS_STATES = (*AKTIVITETSPARATE, "jobafklaring", "ressourceforloeb")
_IPS_CASELOAD_DOC = "*Assumption*: 20 per IPS consultant (DOMAIN.md has no number; IPS courses are individual)."


@dataclass(frozen=True, kw_only=True)
class IPS(CaseworkerEffort):
    """IPS (individuelt planlagt job med støtte) for the psychologically vulnerable far from work.

    Evidence: :data:`IPS_EFFECT`, **1.44 (1.00–3.41)** on exits to work and education during the
    course (Projekt Inklusion RCT, DOMAIN.md §6). The health-economic analysis found a saving of
    about 70 % per course. *Assumptions*: the course lasts 18 months (the trial's follow-up window,
    not a measured course length); ``share`` 0.3 of aktivitetsparate, jobafklaring
    and ressourceforløb belong to the target group (mental illness is not a model attribute); 3
    IPS consultants (``caseworkers``) at a caseload of :data:`IPS_CASELOAD`, at Hjørring's cost per position.
    """

    name: ClassVar[str] = "ips"
    title: str = k.title("IPS")
    effect: float = k.effect(IPS_EFFECT, "Multiplier on exits to work and education during the course.")
    caseworkers: float = k.caseworkers(3, "IPS consultants. *Assumption.*")
    caseload: float = k.caseload(IPS_CASELOAD, _IPS_CASELOAD_DOC)
    share: float = k.share(0.3, "*Assumption*: mental illness is not a model attribute.")
    start: str = k.start("2021-01")
    duration_months: int | None = k.duration(18, "*Assumption*: the trial's follow-up window.")

    def effort(self, catalogue: StateCatalogue) -> Effort:
        """The effort of these knobs."""
        return self.assemble(
            catalogue, eligibility=Eligibility(states=_IPS_STATES, share=self.share),
            impacts=[Impact(origins=AKTIVITETSPARATE, destinations=WORK_OR_EDUCATION, during=self.effect),
                     Impact(origins=("jobafklaring", "ressourceforloeb"), destinations=WORK, during=self.effect)],
            evidence={"during": IPS_EFFECT})


@dataclass(frozen=True, kw_only=True)
class IPSUng(CaseworkerEffort):
    """IPS Ung (Hjørring, extended to 15–17-year-olds in 2021, H14): IPS for young people under 30.

    Same evidence as :class:`IPS` — **1.44 (1.00–3.41)**; no separate Danish trial for the young is in
    DOMAIN.md. Serves uddannelseshjælp recipients under 30 (labsim follows persons from 16).
    *Assumptions*: 18 months, ``share`` 0.3, 1 consultant at a caseload of :data:`IPS_CASELOAD`.
    """

    name: ClassVar[str] = "ips_ung"
    title: str = k.title("IPS Ung")
    effect: float = k.effect(IPS_EFFECT, "Multiplier on exits to work and education during the course.")
    caseworkers: float = k.caseworkers(1, "IPS consultants. *Assumption.*")
    caseload: float = k.caseload(IPS_CASELOAD, _IPS_CASELOAD_DOC)
    share: float = k.share(0.3, "*Assumption*: as for IPS.")
    start: str = k.start("2021-01")
    duration_months: int | None = k.duration(18, "*Assumption*: as for IPS.")

    def effort(self, catalogue: StateCatalogue) -> Effort:
        """The effort of these knobs."""
        return self.assemble(
            catalogue, eligibility=Eligibility(states=UDDANNELSESHJAELP, below_age=30, share=self.share),
            impacts=[Impact(origins=UDDANNELSESHJAELP, destinations=WORK_OR_EDUCATION, during=self.effect)],
            evidence={"during": IPS_EFFECT})
