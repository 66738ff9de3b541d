"""Company-based efforts: virksomhedspraktik, løntilskud, småjobs and hybridpraktik."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from labsim.policy import spec as k
from labsim.policy.effort import Effort, Eligibility, Impact
from labsim.policy.estimate import Estimate
from labsim.policy.library.common import (
    AKTIVITETSPARATE,
    JOBPARATE,
    KONTANTHJAELP,
    WORK,
    WORK_OR_EDUCATION,
    SeatEffort,
    unmeasured,
)
from labsim.states import StateCatalogue

__all__ = [
    "VirksomhedspraktikPrivate", "VirksomhedspraktikPublic", "LoentilskudPrivate", "LoentilskudPublic", "Smaajobs",
    "Hybridpraktik", "PRAKTIK_PRIVATE_EFFECT", "PRAKTIK_PUBLIC_EFFECT", "PRAKTIK_DURING_EFFECT",
    "LOENTILSKUD_PRIVATE_EFFECT", "LOENTILSKUD_PUBLIC_EFFECT", "PAID_HOURS_EFFECT",
]

_PRAKTIK_SOURCE = "DOMAIN.md §6 (virksomhedspraktik, Beskæftigelsesministeriet effect analysis 2016; Skipper 2010)"

PRAKTIK_PRIVATE_EFFECT = Estimate(
    value=1.84, low=1.0, high=1.84,
    basis="Beskæftigelsesministeriet (2016): private praktik raises the exit hazard to work after it ends by 84 % "
          "for kontanthjælp recipients aged 30+ (40 % in a job after 93 weeks against 156, a ratio of 1.68); the "
          "weakest group showed no effect (Skipper 2010), the bottom of the range.",
    source=_PRAKTIK_SOURCE,
)
PRAKTIK_PUBLIC_EFFECT = Estimate(
    value=1.65, low=1.0, high=1.65,
    basis="Beskæftigelsesministeriet (2016): public praktik raises the exit hazard to work by 65 % (40 % in a job "
          "after 156 weeks against 208); no effect for the weakest group (Skipper 2010).",
    source=_PRAKTIK_SOURCE,
)
PRAKTIK_DURING_EFFECT = unmeasured(
    1.0, 1.84,
    "The private scheme 'also has a positive effect during the praktik' (no number); range up to the after-effect.",
    _PRAKTIK_SOURCE,
)
LOENTILSKUD_PRIVATE_EFFECT = unmeasured(
    1.0, 1.84,
    "Reviews (Rosholm & Svarer 2011; Graversen 2012) find positive post-programme effects of private løntilskud; "
    "point estimates were not retrieved. Range up to private praktik.",
    "DOMAIN.md §6 (løntilskud reviews)",
)
LOENTILSKUD_PUBLIC_EFFECT = unmeasured(
    0.8, 1.27,
    "Public løntilskud is 'weaker or negative' (reviews; no number). Assumed range from a 20 % fall to the +27 % of "
    "'other activation' in the 2016 effect analysis.",
    "DOMAIN.md §6 (løntilskud reviews; virksomhedspraktik effect analysis)",
)
PAID_HOURS_EFFECT = unmeasured(
    1.0, 1.65,
    "Dag-til-dag småjobs: 20 % of those with a småjob were in job, fleksjob or education 3 months later "
    "(descriptive, no control group). Range up to public praktik.",
    "DOMAIN.md §6 (småjobs, Dag-til-dag evaluation; Flere skal med)",
)


@dataclass(frozen=True, kw_only=True)
class _Praktik(SeatEffort):
    """What the two virksomhedspraktik share: kontanthjælp recipients aged 30 or more, 40 places, 3 months, the
    effect on exits to work in the 24 months after (and during it, where the spec has a ``during_effect``)."""

    effect: float = k.effect(PRAKTIK_PUBLIC_EFFECT, "Multiplier on exits to work after the praktik.")
    seats: int = k.seats(40, "*Assumption.*")
    duration_months: int | None = k.duration(3, "*Assumption.*")
    after_months: int = k.after(24, "*Assumption.*")

    def effort(self, catalogue: StateCatalogue) -> Effort:
        """The effort of these knobs."""
        during = "during_effect" in self.knobs()
        return self.assemble(
            catalogue, eligibility=Eligibility(states=KONTANTHJAELP, min_age=30),
            impacts=[Impact(origins=KONTANTHJAELP, destinations=WORK, during=getattr(self, "during_effect", 1.0),
                            after=self.effect)],
            evidence={**({"during": self.estimate("during_effect")} if during else {}),
                      "after": self.estimate("effect")})


@dataclass(frozen=True, kw_only=True)
class VirksomhedspraktikPrivate(_Praktik):
    """Virksomhedspraktik in a private firm for kontanthjælp recipients aged 30 or more.

    After the praktik: :data:`PRAKTIK_PRIVATE_EFFECT`, **1.84 (1.00–1.84)** on exits to work for 24
    months (the ``effect`` knob); during it :data:`PRAKTIK_DURING_EFFECT`, **1.36 (1.00–1.84), assumed**
    (the ``during_effect`` knob; DOMAIN.md §6). *Assumptions*: 3-month praktik, 40 places, the after-effect
    lasting 24 months.
    """

    name: ClassVar[str] = "virksomhedspraktik_private"
    title: str = k.title("Virksomhedspraktik, privat")
    effect: float = k.effect(PRAKTIK_PRIVATE_EFFECT, "Multiplier on exits to work after the praktik.")
    during_effect: float = k.effect(PRAKTIK_DURING_EFFECT, "Multiplier on exits to work during the praktik.")


@dataclass(frozen=True, kw_only=True)
class VirksomhedspraktikPublic(_Praktik):
    """Virksomhedspraktik in a public workplace for kontanthjælp recipients aged 30 or more.

    After the praktik: :data:`PRAKTIK_PUBLIC_EFFECT`, **1.65 (1.00–1.65)** on exits to work for 24
    months (DOMAIN.md §6); no effect during it is reported. *Assumptions*: 3 months, 40 places.
    """

    name: ClassVar[str] = "virksomhedspraktik_public"
    title: str = k.title("Virksomhedspraktik, offentlig")


@dataclass(frozen=True, kw_only=True)
class _Loentilskud(SeatEffort):
    """What the two løntilskud share: 30 places, 6 months, the effect on exits to work in the 12 months after."""

    effect: float = k.effect(LOENTILSKUD_PRIVATE_EFFECT, "Multiplier on exits to work after the subsidised job.")
    seats: int = k.seats(30, "*Assumption.*")
    duration_months: int | None = k.duration(6, "*Assumption.*")
    after_months: int = k.after(12, "*Assumption.*")

    def effort(self, catalogue: StateCatalogue) -> Effort:
        """The effort of these knobs."""
        return self.assemble(
            catalogue, eligibility=Eligibility(states=JOBPARATE),
            impacts=[Impact(origins=JOBPARATE, destinations=WORK, after=self.effect)],
            evidence={"after": self.estimate("effect")})


@dataclass(frozen=True, kw_only=True)
class LoentilskudPrivate(_Loentilskud):
    """Løntilskud (wage-subsidised job) in a private firm for a-dagpenge and jobparate kontanthjælp.

    After the subsidised job: :data:`LOENTILSKUD_PRIVATE_EFFECT`, **1.36 (1.00–1.84), assumed**, for
    12 months (DOMAIN.md §6: positive, no point estimate). *Assumptions*: 6 months, 30 places. Cost:
    jobcenter follow-up; the wage subsidy itself is not in DOMAIN.md — add it to ``cost_per_participant_month``.
    """

    name: ClassVar[str] = "loentilskud_private"
    title: str = k.title("Løntilskud, privat")
    effect: float = k.effect(LOENTILSKUD_PRIVATE_EFFECT, "Multiplier on exits to work after the subsidised job.")


@dataclass(frozen=True, kw_only=True)
class LoentilskudPublic(_Loentilskud):
    """Løntilskud in a public workplace for a-dagpenge and jobparate kontanthjælp.

    After it: :data:`LOENTILSKUD_PUBLIC_EFFECT`, **1.01 (0.80–1.27), assumed** for 12 months —
    "weaker or negative" in the reviews (DOMAIN.md §6). *Assumptions*: 6 months, 30 places.
    """

    name: ClassVar[str] = "loentilskud_public"
    title: str = k.title("Løntilskud, offentlig")
    effect: float = k.effect(LOENTILSKUD_PUBLIC_EFFECT, "Multiplier on exits to work after the subsidised job.")


@dataclass(frozen=True, kw_only=True)
class Smaajobs(SeatEffort):
    """Småjobs: a few paid hours a week for aktivitetsparate (Hjørring plan §3.5; Brønderslev's paid hours).

    While in a småjob: :data:`PAID_HOURS_EFFECT`, **1.28 (1.00–1.65), assumed** on exits to work and
    education (DOMAIN.md §6: descriptive only). *Assumptions*: 6 months, 30 småjobs.
    """

    name: ClassVar[str] = "smaajobs"
    title: str = k.title("Småjobs")
    effect: float = k.effect(PAID_HOURS_EFFECT, "Multiplier on exits to work and education while in a småjob.")
    seats: int = k.seats(30, "*Assumption.*")
    start: str = k.start("2021-01")
    duration_months: int | None = k.duration(6, "*Assumption.*")

    def effort(self, catalogue: StateCatalogue) -> Effort:
        """The effort of these knobs."""
        return self.assemble(
            catalogue, eligibility=Eligibility(states=AKTIVITETSPARATE),
            impacts=[Impact(origins=AKTIVITETSPARATE, destinations=WORK_OR_EDUCATION, during=self.effect)],
            evidence={"during": PAID_HOURS_EFFECT})


@dataclass(frozen=True, kw_only=True)
class Hybridpraktik(SeatEffort):
    """Hybridpraktik: a praktik combined with ordinary paid hours, for aktivitetsparate (Hjørring plan §3.5).

    :data:`PAID_HOURS_EFFECT` during it and for 12 months after, **1.28 (1.00–1.65), assumed**
    (DOMAIN.md §6: no evaluation). *Assumptions*: 4 months, 20 places.
    """

    name: ClassVar[str] = "hybridpraktik"
    title: str = k.title("Hybridpraktik")
    effect: float = k.effect(PAID_HOURS_EFFECT, "Multiplier on exits to work and education during it and after.")
    seats: int = k.seats(20, "*Assumption.*")
    start: str = k.start("2021-01")
    duration_months: int | None = k.duration(4, "*Assumption.*")
    after_months: int = k.after(12, "*Assumption.*")

    def effort(self, catalogue: StateCatalogue) -> Effort:
        """The effort of these knobs."""
        return self.assemble(
            catalogue, eligibility=Eligibility(states=AKTIVITETSPARATE),
            impacts=[Impact(origins=AKTIVITETSPARATE, destinations=WORK_OR_EDUCATION, during=self.effect,
                            after=self.effect)],
            evidence={"during": PAID_HOURS_EFFECT, "after": PAID_HOURS_EFFECT})
