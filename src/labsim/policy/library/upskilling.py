"""Opkvalificering: voksenlærling, uddannelsesløft, short courses, kandidatbanker and jobrotation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from labsim.policy import spec as k
from labsim.policy.effort import Effort, Eligibility, Impact
from labsim.policy.estimate import Estimate, hazard_ratio
from labsim.policy.library.common import JOBPARATE, WORK, SeatEffort, unmeasured
from labsim.states import StateCatalogue

__all__ = ["Voksenlaerling", "Uddannelsesloeft", "ShortCourses", "Kandidatbank", "Jobrotation",
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


@dataclass(frozen=True, kw_only=True)
class Voksenlaerling(SeatEffort):
    """Voksenlærling (adult apprenticeship) for unskilled and skilled unemployed.

    Evidence: :data:`VOKSENLAERLING_EFFECT`, **1.39 (1.00–1.39)** on exits to work for 12 months
    after a 6-month referral (*assumption*: the apprenticeship itself is not a state of the model, so
    the evaluation's one-year effect is put in the after phase). Largest for kontanthjælp recipients.
    Capacity: Hjørring expected about 300 courses by the end of 2021 (H10); taking them as 300
    places at once is an *assumption*. Cost: jobcenter follow-up only;
    the wage subsidy (a 5–10 DKK/hour change moves entry by about 1 pp, EVA 2023) is not priced.
    """

    name: ClassVar[str] = "voksenlaerling"
    title: str = k.title("Voksenlærling")
    effect: float = k.effect(VOKSENLAERLING_EFFECT, "Multiplier on exits to work in the year after the referral.")
    seats: int = k.seats(300, "*Assumption*: Hjørring's 300 courses expected by the end of 2021 (H10), at once.")
    start: str = k.start("2020-01")
    duration_months: int | None = k.duration(6, "*Assumption.*")
    after_months: int = k.after(12, "The evaluation's one year.")

    def effort(self, catalogue: StateCatalogue) -> Effort:
        """The effort of these knobs."""
        return self.assemble(
            catalogue, eligibility=Eligibility(states=JOBPARATE, education=_UNSKILLED_OR_SKILLED),
            impacts=[Impact(origins=JOBPARATE, destinations=WORK, after=self.effect)],
            evidence={"after": VOKSENLAERLING_EFFECT})


@dataclass(frozen=True, kw_only=True)
class Uddannelsesloeft(SeatEffort):
    """Uddannelsesløft: vocational education for unskilled and skilled insured unemployed aged 30 or more.

    A 12-month course (*assumption*) with :data:`EDUCATION_LOCK_IN` on exits to work while it lasts
    (the ``during_effect`` knob: the course's lock-in, modelled as its during phase), **0.71 (0.50–1.00),
    assumed**, and :data:`EDUCATION_AFTER_EFFECT` for 12 months after (the ``effect`` knob), **1.18
    (1.00–1.39), assumed** — opkvalificering effects were not retrieved as numbers (DOMAIN.md §6).
    *Assumption*: 40 seats. Cost: jobcenter follow-up only.
    """

    name: ClassVar[str] = "uddannelsesloeft"
    title: str = k.title("Uddannelsesløft")
    effect: float = k.effect(EDUCATION_AFTER_EFFECT, "Multiplier on exits to work in the 12 months after the course.")
    during_effect: float = k.effect(EDUCATION_LOCK_IN, "Multiplier on exits to work while on the course (its lock-in).")
    seats: int = k.seats(40, "*Assumption.*")
    start: str = k.start("2020-08")
    duration_months: int | None = k.duration(12, "*Assumption.*")
    after_months: int = k.after(12, "*Assumption.*")

    def effort(self, catalogue: StateCatalogue) -> Effort:
        """The effort of these knobs."""
        return self.assemble(
            catalogue, eligibility=Eligibility(states=("a_dagpenge",), min_age=30, education=_UNSKILLED_OR_SKILLED),
            impacts=[Impact(origins=("a_dagpenge",), destinations=WORK, during=self.during_effect, after=self.effect)],
            evidence={"during": EDUCATION_LOCK_IN, "after": EDUCATION_AFTER_EFFECT})


@dataclass(frozen=True, kw_only=True)
class ShortCourses(SeatEffort):
    """Short job-directed courses (korte erhvervsrettede kurser) for a-dagpenge and jobparate kontanthjælp.

    One month on the course, then :data:`EDUCATION_AFTER_EFFECT` on exits to work for 6 months,
    **1.18 (1.00–1.39), assumed** (DOMAIN.md §6: "most effective in the short run", no number).
    *Assumption*: 60 seats. Cost: jobcenter follow-up only.
    """

    name: ClassVar[str] = "short_courses"
    title: str = k.title("Korte erhvervsrettede kurser")
    effect: float = k.effect(EDUCATION_AFTER_EFFECT, "Multiplier on exits to work after the course.")
    seats: int = k.seats(60, "*Assumption.*")
    start: str = k.start("2020-08")
    duration_months: int | None = k.duration(1, "*Assumption.*")
    after_months: int = k.after(6, "*Assumption.*")

    def effort(self, catalogue: StateCatalogue) -> Effort:
        """The effort of these knobs."""
        return self.assemble(
            catalogue, eligibility=Eligibility(states=JOBPARATE),
            impacts=[Impact(origins=JOBPARATE, destinations=WORK, after=self.effect)],
            evidence={"after": EDUCATION_AFTER_EFFECT})


@dataclass(frozen=True, kw_only=True)
class Kandidatbank(SeatEffort):
    """Kandidatbanker: cross-municipal banks of candidates for a change of trade (Hjørring with Frederikshavn,
    Jammerbugt and Brønderslev, Hjørring plan §3.2).

    Three months in the bank with :data:`MATCHING_EFFECT` on exits to work, **1.36 (1.00–1.84),
    assumed**. *Assumption*: 40 places. Cost: jobcenter follow-up.
    """

    name: ClassVar[str] = "kandidatbank"
    title: str = k.title("Kandidatbanker")
    effect: float = k.effect(MATCHING_EFFECT, "Multiplier on exits to work while in the bank.")
    seats: int = k.seats(40, "*Assumption.*")
    start: str = k.start("2021-01")
    duration_months: int | None = k.duration(3, "*Assumption.*")

    def effort(self, catalogue: StateCatalogue) -> Effort:
        """The effort of these knobs."""
        return self.assemble(
            catalogue, eligibility=Eligibility(states=JOBPARATE, min_months=3),
            impacts=[Impact(origins=JOBPARATE, destinations=WORK, during=self.effect)],
            evidence={"during": MATCHING_EFFECT})


@dataclass(frozen=True, kw_only=True)
class Jobrotation(SeatEffort):
    """Jobrotation: the unemployed stand in for employees on courses (temporarily widened in 2020; both plans).

    Three months of matching to a rotation post with :data:`MATCHING_EFFECT` on exits to work,
    **1.36 (1.00–1.84), assumed**; Hjørring notes that a fast labour market lowers firms' interest.
    *Assumption*: 15 posts. Cost: jobcenter follow-up (the employer's rotation subsidy is the state's).
    """

    name: ClassVar[str] = "jobrotation"
    title: str = k.title("Jobrotation")
    effect: float = k.effect(MATCHING_EFFECT, "Multiplier on exits to work while matched to a rotation post.")
    seats: int = k.seats(15, "*Assumption.*")
    start: str = k.start("2020-08")
    duration_months: int | None = k.duration(3, "*Assumption.*")

    def effort(self, catalogue: StateCatalogue) -> Effort:
        """The effort of these knobs."""
        return self.assemble(
            catalogue, eligibility=Eligibility(states=JOBPARATE),
            impacts=[Impact(origins=JOBPARATE, destinations=WORK, during=self.effect)],
            evidence={"during": MATCHING_EFFECT})
