"""Caseload investments: more caseworkers, so each citizen far from the labour market gets more of one.

Hjørringmodellen and Brønderslev's investeringsstrategi add caseworkers to a team of the jobcenter
(:class:`labsim.CaseworkerTeam`): caseload works as a dose through the team. Team ALFA is a team of its own with
places.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from labsim.policy import spec as k
from labsim.policy.effort import Effort, Eligibility, Impact
from labsim.policy.library.common import WORK_OR_EDUCATION, CaseworkerEffort, TeamEffort, unmeasured
from labsim.states import StateCatalogue

__all__ = ["HjoerringCaseload", "BroenderslevInvestment", "TeamAlfa", "CASELOAD_EFFECT", "FAR_FROM_WORK_EFFECT",
           "FAR_FROM_WORK"]

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
class HjoerringCaseload(TeamEffort):
    """Hjørringmodellen: the caseload investment for aktivitetsparate kontanthjælp recipients.

    35 new caseworkers brought the caseload from about 80 to about 35, with individually tailored plans and a broad
    menu of offers (company consultants, health staff, mentors) — DOMAIN.md §5.2. The effort adds ``caseworkers`` to
    the jobcenter's team ``team`` (:class:`labsim.CaseworkerTeam`, in the scenario's ``[jobcenter.teams]``) from
    ``start`` to ``stop``; the team's realised caseload falls, every citizen in its group gets more contact, and the
    team's dose-response turns contact into exits to work and education (its ``contact_effect``, by default
    :data:`CASELOAD_EFFECT` at caseload 35 against 80: **1.26 (1.00–1.60), assumed** — the evaluations found positive
    effects but no size was retrieved, DOMAIN.md §6). Effects took about four years to show; the model lets them act
    at once. Runs 2015 to 2024, the budget agreement's horizon (H1). Costs 0.91 mio. DKK per caseworker-year
    (Hjørring's budget 2020: 22 positions, 20 mio. DKK), close to the 125 mio. DKK over 2015–2018 (which also paid
    consultants and health staff).
    """

    name: ClassVar[str] = "hjoerring_caseload"
    title: str = k.title("Hjørringmodellen (caseload 80 → 35)")
    team: str = k.team("aktivitetsparate", "The evaluations followed aktivitetsparate kontanthjælp recipients.")
    caseworkers: float = k.caseworkers(35, "The 35 new caseworkers (DOMAIN.md §5.2).")
    start: str = k.start("2015-01")
    stop: str | None = k.stop("2024-12")


FAR_FROM_WORK = ("kontanthjaelp_aktivitetsparat", "uddannelseshjaelp_aktivitetsparat", "ledighedsydelse",
                  "ressourceforloeb")

FAR_FROM_WORK_EFFECT = unmeasured(
    1.0, 1.6,
    "Flere skal med, the model Brønderslev's strategy draws on, brought participants 'closer to the labour market' "
    "but no causal size was retrieved (Copenhagen: 45 % in job, education, praktik or småjob, descriptive); same "
    "range as the caseload effect.",
    "DOMAIN.md §6 (Flere skal med; HIR); §5.1 B28, B41",
)


@dataclass(frozen=True, kw_only=True)
class BroenderslevInvestment(TeamEffort):
    """Brønderslev's investeringsstrategi for citizens far from the labour market (B28, March 2019 to 2022).

    For aktivitetsparate on kontanthjælp and uddannelseshjælp, ledighedsydelse and ressourceforløb: caseloads at the
    level STAR and Dansk Socialrådgiverforening recommend (B41, no number given) and paid hours. The effort adds
    ``caseworkers`` to the jobcenter's team ``team`` from ``start`` to ``stop``; the team's dose-response gives the
    effect (set its ``contact_effect`` from :data:`FAR_FROM_WORK_EFFECT`: **1.26 (1.00–1.60), assumed**, DOMAIN.md
    §6: no causal size). *Assumptions*: 11 caseworkers (the 655 FTP target group, B28, needs 19 at a caseload of 35
    and 8 at 80) and Hjørring's cost per position; size them to the municipality.
    """

    name: ClassVar[str] = "broenderslev_investment"
    title: str = k.title("Investeringsstrategi (Brønderslev)")
    team: str = k.team("far_from_work", "The team for aktivitetsparate, ledighedsydelse and ressourceforløb (B28).")
    caseworkers: float = k.caseworkers(11, "*Assumption*: the 655 FTP target group (B28) needs 19 at a caseload of "
                                           "35, 8 at 80.")
    start: str = k.start("2019-03")
    stop: str | None = k.stop("2022-12")


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
