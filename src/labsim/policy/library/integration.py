"""Integration efforts: lønnede timer, jobskole for women, and language and skills clarification for young late arrivals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from labsim.policy import spec as k
from labsim.policy.effort import Effort, Eligibility, Impact
from labsim.policy.library.common import KONTANTHJAELP, UDDANNELSESHJAELP, WORK, SeatEffort, unmeasured
from labsim.states import StateCatalogue

__all__ = ["LoennedeTimer", "JobskoleKvinder", "SprogKompetenceafklaring", "INTEGRATION_EFFECT"]

_INTEGRATION = ("selvforsoergelsesydelse", *KONTANTHJAELP)
_REFUGEES = ("flygtning_familiesammenfoert",)

INTEGRATION_EFFECT = unmeasured(
    1.0, 1.84,
    "No evaluation of the integration efforts with a number is in DOMAIN.md; Hjørring's employment share of refugees "
    "rose 2020→2021, driven by women (descriptive, H15). Range from no effect to private praktik's +84 %, the "
    "company-based tool these efforts rest on.",
    "DOMAIN.md §5.2 H15, §6 (virksomhedspraktik); Hjørring plan §3.4; Brønderslev plan p.21",
)


@dataclass(frozen=True, kw_only=True)
class LoennedeTimer(SeatEffort):
    """Lønnede timer: ordinary paid hours for refugees and family-reunified persons on integration benefits.

    :data:`INTEGRATION_EFFECT` on exits to work while it lasts and 12 months after, **1.36
    (1.00–1.84), assumed**. *Assumptions*: 6 months, 20 places. Cost: jobcenter follow-up.
    """

    name: ClassVar[str] = "loennede_timer"
    title: str = k.title("Lønnede timer (integration)")
    effect: float = k.effect(INTEGRATION_EFFECT, "Multiplier on exits to work while it lasts and after.")
    seats: int = k.seats(20, "*Assumption.*")
    start: str = k.start("2021-01")
    duration_months: int | None = k.duration(6, "*Assumption.*")
    after_months: int = k.after(12, "*Assumption.*")

    def effort(self, catalogue: StateCatalogue) -> Effort:
        """The effort of these knobs."""
        return self.assemble(
            catalogue, eligibility=Eligibility(states=_INTEGRATION, origin=_REFUGEES),
            impacts=[Impact(origins=_INTEGRATION, destinations=WORK, during=self.effect, after=self.effect)],
            evidence={"during": INTEGRATION_EFFECT, "after": INTEGRATION_EFFECT})


@dataclass(frozen=True, kw_only=True)
class JobskoleKvinder(SeatEffort):
    """Jobskole for refugee and family-reunified women, alternating with company placements (Hjørring plan §3.4).

    :data:`INTEGRATION_EFFECT` on exits to work, **1.36 (1.00–1.84), assumed**. *Assumptions*: 4
    months, 15 places. Cost: jobcenter follow-up.
    """

    name: ClassVar[str] = "jobskole_kvinder"
    title: str = k.title("Jobskole for flygtninge- og familiesammenførte kvinder")
    effect: float = k.effect(INTEGRATION_EFFECT, "Multiplier on exits to work while in the jobskole.")
    seats: int = k.seats(15, "*Assumption.*")
    duration_months: int | None = k.duration(4, "*Assumption.*")

    def effort(self, catalogue: StateCatalogue) -> Effort:
        """The effort of these knobs."""
        return self.assemble(
            catalogue, eligibility=Eligibility(states=_INTEGRATION, origin=_REFUGEES, sex=("female",)),
            impacts=[Impact(origins=_INTEGRATION, destinations=WORK, during=self.effect)],
            evidence={"during": INTEGRATION_EFFECT})


@dataclass(frozen=True, kw_only=True)
class SprogKompetenceafklaring(SeatEffort):
    """Language screening and skills clarification for young people who arrived late (Hjørring plan §3.4).

    For immigrants and refugees under 30 on integration benefits or uddannelseshjælp:
    :data:`INTEGRATION_EFFECT` on exits to education and work, **1.36 (1.00–1.84), assumed**.
    *Assumptions*: 6 months, 10 places. Cost: jobcenter follow-up.
    """

    name: ClassVar[str] = "sprog_kompetenceafklaring"
    title: str = k.title("Sprog- og kompetenceafklaring for sent ankomne unge")
    effect: float = k.effect(INTEGRATION_EFFECT, "Multiplier on exits to education and work while it lasts.")
    seats: int = k.seats(10, "*Assumption.*")
    duration_months: int | None = k.duration(6, "*Assumption.*")

    def effort(self, catalogue: StateCatalogue) -> Effort:
        """The effort of these knobs."""
        states = ("selvforsoergelsesydelse", *UDDANNELSESHJAELP)
        return self.assemble(
            catalogue, eligibility=Eligibility(states=states, below_age=30, origin=("indvandrer", *_REFUGEES)),
            impacts=[Impact(origins=states, destinations=("employed", "education"), during=self.effect)],
            evidence={"during": INTEGRATION_EFFECT})
