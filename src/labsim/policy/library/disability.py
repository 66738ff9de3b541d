"""Fleksjob matching and the handicap efforts: nøglepersoner, Isbryderordningen, skånejob with KLAPjob."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from labsim.policy import spec as k
from labsim.policy.effort import Effort, Eligibility, Impact
from labsim.policy.library.common import JOBPARATE, WORK, CaseworkerEffort, OpenEffort, SeatEffort, unmeasured
from labsim.states import StateCatalogue

__all__ = ["FleksjobMatching", "Noeglepersoner", "Isbryderordningen", "SkaanejobKlapjob", "DISABILITY_EFFECT",
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


@dataclass(frozen=True, kw_only=True)
class FleksjobMatching(OpenEffort):
    """Matching visiterede on ledighedsydelse to fleksjob, with weekly contact (Hjørring, H21).

    :data:`DISABILITY_EFFECT` on ledighedsydelse → fleksjob, **1.26 (1.00–1.60), assumed**. Open to
    everyone on ledighedsydelse. Cost: jobcenter follow-up per participant-month.
    """

    name: ClassVar[str] = "fleksjob_matching"
    title: str = k.title("Fleksjobformidling")
    effect: float = k.effect(DISABILITY_EFFECT, "Multiplier on ledighedsydelse → fleksjob while matched.")
    start: str = k.start("2021-01")

    def effort(self, catalogue: StateCatalogue) -> Effort:
        """The effort of these knobs."""
        return self.assemble(
            catalogue, eligibility=Eligibility(states=_LEDIG),
            impacts=[Impact(origins=_LEDIG, destinations=_FLEKSJOB, during=self.effect)],
            evidence={"during": DISABILITY_EFFECT})


@dataclass(frozen=True, kw_only=True)
class Noeglepersoner(CaseworkerEffort):
    """Handicap key persons (nøglepersoner) who bring the disability-compensation schemes into play.

    Brønderslev has had 3 (B39); Hjørring doubled theirs in 2021 (H20). :data:`DISABILITY_EFFECT`
    on exits to work (and ledighedsydelse → fleksjob), **1.26 (1.00–1.60), assumed**.
    *Assumptions*: ``share`` 0.2 of the unemployed and ledighedsydelse recipients have a handicap the
    schemes can compensate; each key person follows 35; Hjørring's cost per position.
    """

    name: ClassVar[str] = "noeglepersoner"
    title: str = k.title("Nøglepersoner på handicapområdet")
    effect: float = k.effect(DISABILITY_EFFECT, "Multiplier on exits to work (and ledighedsydelse → fleksjob).")
    caseworkers: float = k.caseworkers(3, "Brønderslev's 3 key persons (B39).")
    share: float = k.share(0.2, "*Assumption*: those with a handicap the schemes can compensate.")
    start: str = k.start("2021-01")

    def effort(self, catalogue: StateCatalogue) -> Effort:
        """The effort of these knobs."""
        return self.assemble(
            catalogue, eligibility=Eligibility(states=(*JOBPARATE, "ledighedsydelse"), share=self.share),
            impacts=[Impact(origins=JOBPARATE, destinations=WORK, during=self.effect),
                     Impact(origins=_LEDIG, destinations=("employed", "fleksjob"), during=self.effect)],
            evidence={"during": DISABILITY_EFFECT})


@dataclass(frozen=True, kw_only=True)
class Isbryderordningen(SeatEffort):
    """Isbryderordningen: a special løntilskud for newly qualified persons with a handicap (Hjørring plan §3.7).

    For the qualified on a-dagpenge or jobparat kontanthjælp: :data:`ISBRYDER_EFFECT` on exits to
    work after a 6-month subsidised job, for 12 months, **1.36 (1.00–1.84), assumed**.
    *Assumptions*: ``share`` 0.05 have a handicap, 5 places. Cost: jobcenter follow-up.
    """

    name: ClassVar[str] = "isbryderordningen"
    title: str = k.title("Isbryderordningen")
    effect: float = k.effect(ISBRYDER_EFFECT, "Multiplier on exits to work after the subsidised job.")
    seats: int = k.seats(5, "*Assumption.*")
    share: float = k.share(0.05, "*Assumption*: those with a handicap.")
    duration_months: int | None = k.duration(6, "*Assumption.*")
    after_months: int = k.after(12, "*Assumption.*")

    def effort(self, catalogue: StateCatalogue) -> Effort:
        """The effort of these knobs."""
        return self.assemble(
            catalogue,
            eligibility=Eligibility(states=JOBPARATE, education=("faglaert", "videregaaende"), share=self.share),
            impacts=[Impact(origins=JOBPARATE, destinations=WORK, after=self.effect)],
            evidence={"after": ISBRYDER_EFFECT})


@dataclass(frozen=True, kw_only=True)
class SkaanejobKlapjob(SeatEffort):
    """KLAPjob: skånejob and fleksjob for people with intellectual disabilities (Hjørring plan §3.7).

    labsim keeps a førtidspensionist in a skånejob on førtidspension (no state changes), so only the
    fleksjob part moves anyone: :data:`DISABILITY_EFFECT` on ledighedsydelse → fleksjob, **1.26
    (1.00–1.60), assumed**. *Assumptions*: ``share`` 0.1 of ledighedsydelse recipients are in
    KLAPjob's target group, 10 places. Cost: jobcenter follow-up.
    """

    name: ClassVar[str] = "skaanejob_klapjob"
    title: str = k.title("Skånejob og fleksjob med KLAPjob")
    effect: float = k.effect(DISABILITY_EFFECT, "Multiplier on ledighedsydelse → fleksjob.")
    seats: int = k.seats(10, "*Assumption.*")
    share: float = k.share(0.1, "*Assumption*: KLAPjob's target group.")
    duration_months: int | None = k.duration(6, "*Assumption.*")

    def effort(self, catalogue: StateCatalogue) -> Effort:
        """The effort of these knobs."""
        return self.assemble(
            catalogue, eligibility=Eligibility(states=_LEDIG, share=self.share),
            impacts=[Impact(origins=_LEDIG, destinations=_FLEKSJOB, during=self.effect)],
            evidence={"during": DISABILITY_EFFECT})
