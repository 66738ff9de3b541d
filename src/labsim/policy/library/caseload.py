"""Caseload investments: more caseworkers, so each citizen far from the labour market gets more of one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from labsim.policy import spec as k
from labsim.policy.effort import Effort, Eligibility, Impact
from labsim.policy.library.common import AKTIVITETSPARATE, WORK, WORK_OR_EDUCATION, CaseworkerEffort, unmeasured
from labsim.states import StateCatalogue

__all__ = ["HjoerringCaseload", "BroenderslevInvestment", "TeamAlfa", "CASELOAD_EFFECT", "FAR_FROM_WORK_EFFECT"]

CASELOAD_EFFECT = unmeasured(
    1.0, 1.6,
    "Ravn (2019, 2022) found positive effects of Hjørringmodellen on employment and self-support but the size was "
    "not retrieved, and the researcher ascribes much of it to the caseload cut; the Vordingborg RCT found no effect "
    "after 2 years. Range from no effect to labsim's caseworker-contact assumption (1.6).",
    "DOMAIN.md §6 (Hjørringmodellen; Vordingborg 'Ansvar for eget liv'; VIVE review)",
)
"""Multiplier on exits to work and education while a citizen has a caseworker at the low caseload."""

_CASEWORKER_EFFECT = "Multiplier on exits to work and education while served."


@dataclass(frozen=True, kw_only=True)
class HjoerringCaseload(CaseworkerEffort):
    """Hjørringmodellen: the caseload investment for aktivitetsparate kontanthjælp recipients.

    35 new caseworkers brought the caseload from about 80 to about 35, with individually tailored
    plans and a broad menu of offers (company consultants, health staff, mentors) — DOMAIN.md §5.2.
    Those served (``caseworkers × caseload`` at a time, the longest on benefits first) get
    :data:`CASELOAD_EFFECT` on their hazards to work and education: **1.26 (1.00–1.60), assumed** —
    the evaluations found positive effects but no size was retrieved (DOMAIN.md §6). Effects took
    about four years to show; the model lets them act at once. Runs 2015 to 2024, the budget
    agreement's horizon (H1). Costs 0.91 mio. DKK per caseworker-year (Hjørring's budget 2020: 22
    positions, 20 mio. DKK), close to the 125 mio. DKK over 2015–2018 (which also paid consultants and
    health staff). The evaluations followed aktivitetsparate; set ``states`` to widen the group
    (Hjørring's kontanthjælp recipients as a whole "more than halved" in five years).
    """

    name: ClassVar[str] = "hjoerring_caseload"
    title: str = k.title("Hjørringmodellen (caseload 80 → 35)")
    effect: float = k.effect(CASELOAD_EFFECT, _CASEWORKER_EFFECT)
    caseworkers: float = k.caseworkers(35, "The 35 new caseworkers (DOMAIN.md §5.2).")
    states: tuple[str, ...] = k.states(("kontanthjaelp_aktivitetsparat",),
                                       "The states served: the evaluations followed aktivitetsparate kontanthjælp.")
    start: str = k.start("2015-01")
    stop: str | None = k.stop("2024-12")

    def effort(self, catalogue: StateCatalogue) -> Effort:
        """The effort of these knobs."""
        return self.assemble(
            catalogue, eligibility=Eligibility(states=self.states),
            impacts=[Impact(origins=self.states, destinations=WORK_OR_EDUCATION, during=self.effect)],
            evidence={"during": CASELOAD_EFFECT})


_FAR_FROM_WORK = ("kontanthjaelp_aktivitetsparat", "uddannelseshjaelp_aktivitetsparat", "ledighedsydelse",
                  "ressourceforloeb")

FAR_FROM_WORK_EFFECT = unmeasured(
    1.0, 1.6,
    "Flere skal med, the model Brønderslev's strategy draws on, brought participants 'closer to the labour market' "
    "but no causal size was retrieved (Copenhagen: 45 % in job, education, praktik or småjob, descriptive); same "
    "range as the caseload effect.",
    "DOMAIN.md §6 (Flere skal med; HIR); §5.1 B28, B41",
)


@dataclass(frozen=True, kw_only=True)
class BroenderslevInvestment(CaseworkerEffort):
    """Brønderslev's investeringsstrategi for citizens far from the labour market (B28, March 2019 to 2022).

    For aktivitetsparate on kontanthjælp and uddannelseshjælp, ledighedsydelse and ressourceforløb:
    caseloads at the level STAR and Dansk Socialrådgiverforening recommend (B41, no number given) and
    paid hours. Those served get :data:`FAR_FROM_WORK_EFFECT` on exits to work (and education, and
    from ledighedsydelse to fleksjob): **1.26 (1.00–1.60), assumed** (DOMAIN.md §6: no causal size).
    *Assumptions*: 8 caseworkers at a caseload of 35 (280 served of the 655 FTP target group) and
    Hjørring's cost per position; size them to the municipality.
    """

    name: ClassVar[str] = "broenderslev_investment"
    title: str = k.title("Investeringsstrategi (Brønderslev)")
    effect: float = k.effect(FAR_FROM_WORK_EFFECT, "Multiplier on exits to work (and education; ledighedsydelse "
                                                   "to fleksjob) while served.")
    caseworkers: float = k.caseworkers(8, "*Assumption*: 280 served of the 655 FTP target group (B28).")
    start: str = k.start("2019-03")
    stop: str | None = k.stop("2022-12")

    def effort(self, catalogue: StateCatalogue) -> Effort:
        """The effort of these knobs."""
        value = self.effect
        return self.assemble(
            catalogue, eligibility=Eligibility(states=_FAR_FROM_WORK),
            impacts=[Impact(origins=AKTIVITETSPARATE, destinations=WORK_OR_EDUCATION, during=value),
                     Impact(origins=("ressourceforloeb",), destinations=WORK, during=value),
                     Impact(origins=("ledighedsydelse",), destinations=("employed", "fleksjob"), during=value)],
            evidence={"during": FAR_FROM_WORK_EFFECT})


@dataclass(frozen=True, kw_only=True)
class TeamAlfa(CaseworkerEffort):
    """Team ALFA: a job- and company-directed team for young aktivitetsparate on uddannelseshjælp (Brønderslev 2021).

    Those served get :data:`FAR_FROM_WORK_EFFECT` on exits to education and work: **1.26 (1.00–1.60),
    assumed** — no evaluation with a number (DOMAIN.md §6, Flere skal med). *Assumptions*: 2
    caseworkers at a caseload of 35, Hjørring's cost per position.
    """

    name: ClassVar[str] = "team_alfa"
    title: str = k.title("Team ALFA (young aktivitetsparate)")
    effect: float = k.effect(FAR_FROM_WORK_EFFECT, _CASEWORKER_EFFECT)
    caseworkers: float = k.caseworkers(2, "*Assumption.*")
    start: str = k.start("2021-01")

    def effort(self, catalogue: StateCatalogue) -> Effort:
        """The effort of these knobs."""
        states = ("uddannelseshjaelp_aktivitetsparat",)
        return self.assemble(
            catalogue, eligibility=Eligibility(states=states, below_age=30),
            impacts=[Impact(origins=states, destinations=WORK_OR_EDUCATION, during=self.effect)],
            evidence={"during": FAR_FROM_WORK_EFFECT})
