"""The parameters of the Danish legal rules (DOMAIN.md §2): every number the rules use, with its source.

The few numbers the law does not fix are labelled assumptions and can be changed like any other
parameter (in a model file's ``[rules]`` table, or by a dated :class:`~labsim.events.RuleChange`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from labsim.core.pension import PensionSchedule
from labsim.errors import ModelError
from labsim.states import State, StateCatalogue
from labsim.validation import below, number, optional, probability, whole, yes_no

if TYPE_CHECKING:
    from labsim.core.age import AgeClasses
    from labsim.core.rules.danish import DanishRules
    from labsim.rng import RandomStreams

__all__ = ["LegalRules", "WEEKS_PER_MONTH", "REQUIRED_STATES", "UNLIMITED_MONTHS"]

WEEKS_PER_MONTH = 52 / 12
"""Weeks in an average month; converts the law's weeks into the model's months."""

REQUIRED_STATES = tuple(state.code_name for state in State)
"""The rules act on the states of the Danish catalogue; a catalogue must have all of them."""

UNLIMITED_MONTHS = 127
"""An extension without a time limit (the largest ``int8`` months counter)."""

_SHARES = ("exhausted_to_kontanthjaelp", "extension_probability", "foertidspension_exception_factor",
           "work_testing_share", "treatment_share", "jobafklaring_renewal_share", "ressourceforloeb_near_pension_factor")
_POSITIVE = ("uddannelseshjaelp_max_age", "foertidspension_min_age", "seniorpension_window_years", "support_reset_months",
             "support_reset_window_months", "dagpenge_requalify_months")
_OPTIONAL_MONTHS = ("ressourceforloeb_max_months", "ressourceforloeb_earlier_max_months", "ressourceforloeb_max_from",
                    "jobafklaring_max_months", "qualification_months")


@dataclass(frozen=True, slots=True, kw_only=True)
class LegalRules:
    """Parameters of the gates and forced moves applied in every monthly step (:class:`DanishRules` applies them).

    Attributes
    ----------
    pension:
        Folkepension and efterløn ages by birth month (DOMAIN.md §2.6). Everyone moves to
        folkepension in the month the age is reached.
    dagpenge_max_months, dagpenge_window_months:
        a-dagpenge for at most 24 months within 36 (2 years within 3, DOMAIN.md §2.1). A person
        who has used them cannot stay on or enter a-dagpenge.
    dagpenge_requalify_months:
        After the right is used up, a new period needs 1,924 hours of work within 3 years — 12 months
        full-time (genoptjening, lov om arbejdsløshedsforsikring § 53 stk. 8; DOMAIN.md §2.1). Only
        ordinary employment counts: work with a wage subsidy (løntilskud, fleksjob) does not (bek. nr. 610
        af 10.6.2024 § 3 stk. 2). The new period is a full one. labsim counts the months of work since the
        right was used up, without the law's 3-year limit on when they fall (docs/model.md). At most 120.
    dagpenge_consumption_suspended:
        Whether a-dagpenge months count towards the limit; ``True`` only in the COVID-19 suspensions
        (1 March–31 August 2020 and 1 January–30 June 2021, lov om arbejdsløshedsforsikring § 55 stk. 7),
        set by :func:`labsim.events.danish_calendar`.
    exhausted_to_kontanthjaelp:
        Share of persons whose a-dagpenge end by exhaustion (or who lack the right) who pass the means
        test and move to kontanthjælp (uddannelseshjælp under 30 without a qualification); the rest
        become self-supported. *Assumption* — DOMAIN.md gives no share.
    revurdering_weeks, revurdering_window_months:
        Revurdering after more than 22 weeks of sygedagpenge within 9 months (DOMAIN.md §2.2).
    employer_period_months:
        The first 30 days of a sickness spell are the employer's (arbejdsgiverperioden, since 2 January
        2012; sygedagpengeloven § 24): no municipal cost, no refund count and not counted towards the 22
        weeks. One month in labsim's monthly time; 0 turns it off. For a sick a-dagpenge recipient the
        a-kasse's 14 days are treated alike (*assumption*).
    extension_probability:
        Probability that one of the seven extension grounds (sygedagpengeloven § 27 stk. 1) applies at
        revurdering, so that the person stays on sygedagpenge instead of moving to jobafklaring.
        *Assumption*: about half of the cases reaching revurdering are extended (an evaluation on KMD
        data, 2014–2015; DOMAIN.md §2.2 lists the grounds, not their frequency).
    work_testing_share, work_testing_weeks:
        Share of extended cases on ground nr. 2 (clarifying the working capacity), which runs at most 69
        weeks from revurdering. The share is an *assumption*.
    treatment_share, treatment_weeks:
        Share of extended cases on ground nr. 3 (medical treatment), at most 134 weeks from revurdering.
        The share is an *assumption*. The rest of the extended cases (``1 − work_testing_share −
        treatment_share``) have a ground without a time limit (nr. 1, 4, 6, 7: until a decision or a
        revalidering; nr. 5: life-threatening illness). With the events layer, a person waiting for the
        rehabiliteringsteam is extended until the team decides (nr. 4).
    extension_limits_suspended:
        ``True`` in the COVID-19 extensions of the sygedagpenge right (March 2020 to June 2021, lov nr. 275
        af 26.3.2020 and later laws; DOMAIN.md §2.2): no extension ends at its limit.
    jobafklaring_max_months, jobafklaring_renewal_share:
        A jobafklaringsforløb runs at most 2 years; a new forløb can follow after a new assessment by the
        rehabiliteringsteam (lov om en aktiv beskæftigelsesindsats kapitel 18; DOMAIN.md §2.2). At the end of
        each 2 years the share renewed stays, the rest move to kontanthjælp, aktivitetsparat (uddannelseshjælp
        under 30 without a qualification). The share and the destination are *assumptions*. ``None``: no limit.
    uddannelseshjaelp_max_age:
        Uddannelseshjælp is for persons under 30 without a vocational qualification, kontanthjælp for
        everyone else (DOMAIN.md §1.2, §2.4), on every path into social assistance.
    qualification_months:
        A person without a vocational qualification who leaves education after at least this many months
        has gained one (faglært). *Assumption* (24 months, about the length of the shortest vocational
        educations); ``None``: nobody gains a qualification.
    foertidspension_min_age, foertidspension_exception_factor:
        Førtidspension from age 40; under 40 only where working capacity obviously cannot improve
        (DOMAIN.md §1.2). The factor multiplies the hazard into førtidspension under 40.
        *Assumption* for the factor.
    seniorpension_window_years:
        Seniorpension only within 6 years of folkepension age (DOMAIN.md §1.2).
    support_reset_months, support_reset_window_months:
        The refund counter starts again once the person has had 52 whole weeks (12 months) of self-support —
        any 12 of the last 36 months, since the count last started (lov om kommunernes finansiering af
        visse offentlige ydelser § 6 stk. 1, lovbekendtgørelse nr. 221 af 12.2.2021). A month in fleksjob
        (or any other state on public support) is not self-support (§ 6 stk. 2).
    ressourceforloeb_max_months:
        Longest ressourceforløb: 5 years until 31 December 2021, 3 years from 1 January 2022 (lov nr. 1160
        af 8.6.2021, DOMAIN.md §2.3); ``None`` for no limit. A forløb that reaches it ends, and the case goes
        back to kontanthjælp, aktivitetsparat (uddannelseshjælp under 30 without a qualification); the
        destination is an assumption.
    ressourceforloeb_earlier_max_months, ressourceforloeb_max_from:
        A forløb that started before month ``ressourceforloeb_max_from`` (a month number) keeps the earlier
        limit. *Assumption*: lov nr. 1160's transition rules were not found; a forløb granted before
        2022 keeps its end date (at most 5 years).
    ressourceforloeb_near_pension_factor:
        Multiplies the hazard into ressourceforløb within 6 years of folkepension age: from 2022 a forløb is
        not started then unless the person asks (lov om en aktiv beskæftigelsesindsats § 112 stk. 3). 1 (no
        gate) before 2022; the calendar's 0.1 is an *assumption* for "unless asked".
    """

    pension: PensionSchedule
    dagpenge_max_months: int = 24
    dagpenge_window_months: int = 36
    dagpenge_requalify_months: int = 12
    dagpenge_consumption_suspended: bool = False
    exhausted_to_kontanthjaelp: float = 0.7
    revurdering_weeks: float = 22.0
    revurdering_window_months: int = 9
    employer_period_months: int = 1
    extension_probability: float = 0.5
    work_testing_share: float = 0.4
    work_testing_weeks: float = 69.0
    treatment_share: float = 0.4
    treatment_weeks: float = 134.0
    extension_limits_suspended: bool = False
    jobafklaring_max_months: int | None = 24
    jobafklaring_renewal_share: float = 0.5
    uddannelseshjaelp_max_age: int = 30
    qualification_months: int | None = 24
    foertidspension_min_age: int = 40
    foertidspension_exception_factor: float = 0.05
    seniorpension_window_years: int = 6
    support_reset_months: int = 12
    support_reset_window_months: int = 36
    ressourceforloeb_max_months: int | None = None
    ressourceforloeb_earlier_max_months: int | None = None
    ressourceforloeb_max_from: int | None = None
    ressourceforloeb_near_pension_factor: float = 1.0

    def __post_init__(self) -> None:
        if not 1 <= self.dagpenge_max_months < self.dagpenge_window_months:
            raise ModelError(
                "rules.dagpenge_max_months must be at least 1 and below dagpenge_window_months; "
                f"got {self.dagpenge_max_months} and {self.dagpenge_window_months}."
            )
        if self.dagpenge_window_months + self.revurdering_window_months + 1 > 64:
            raise ModelError(
                "rules: dagpenge_window_months + revurdering_window_months must be at most 64 (the history bits); "
                f"got {self.dagpenge_window_months} + {self.revurdering_window_months}."
            )
        if not 0 < self.revurdering_weeks < self.revurdering_window_months * WEEKS_PER_MONTH:
            raise ModelError(
                f"rules.revurdering_weeks must be positive and fit in revurdering_window_months "
                f"({self.revurdering_window_months} months); got {self.revurdering_weeks}."
            )
        for name in _SHARES:
            probability()(getattr(self, name), f"rules.{name}", ModelError)
        if self.work_testing_share + self.treatment_share > 1.0 + 1e-12:
            raise ModelError("rules.work_testing_share + treatment_share must be at most 1 (the rest has no time "
                             f"limit); got {self.work_testing_share} + {self.treatment_share}.")
        for name in _POSITIVE:
            whole(1)(getattr(self, name), f"rules.{name}", ModelError)
        whole(0, 1)(self.employer_period_months, "rules.employer_period_months", ModelError)
        whole(1, 120)(self.dagpenge_requalify_months, "rules.dagpenge_requalify_months", ModelError)  # an int8 counter
        if self.support_reset_window_months > 40 or self.support_reset_months > self.support_reset_window_months:
            raise ModelError("rules.support_reset_months must be at most support_reset_window_months, which must be at "
                             f"most 40 (a bit window); got {self.support_reset_months} and "
                             f"{self.support_reset_window_months}.")
        weeks = below(number(0, above=True), UNLIMITED_MONTHS * WEEKS_PER_MONTH, f"below {UNLIMITED_MONTHS} months")
        for name in ("work_testing_weeks", "treatment_weeks"):
            weeks(getattr(self, name), f"rules.{name}", ModelError)
        for name in ("dagpenge_consumption_suspended", "extension_limits_suspended"):
            yes_no()(getattr(self, name), f"rules.{name}", ModelError)
        for name in _OPTIONAL_MONTHS:
            optional(whole(1))(getattr(self, name), f"rules.{name}", ModelError)

    @property
    def revurdering_months(self) -> int:
        """Sygedagpenge months within the window after which revurdering falls: the first whole
        month count whose weeks exceed :attr:`revurdering_weeks` (22 weeks → 6 months)."""
        return math.floor(self.revurdering_weeks / WEEKS_PER_MONTH) + 1

    def extension_months(self, weeks: float) -> int:
        """An extension limit in whole months, never past the law's weeks (69 weeks → 15 months, 134 weeks →
        30 months)."""
        return max(1, math.floor(weeks / WEEKS_PER_MONTH))

    def age_cuts_years(self) -> tuple[int, ...]:
        """Ages at which a rule changes what a person may enter."""
        return (self.uddannelseshjaelp_max_age, self.foertidspension_min_age)

    def check_catalogue(self, catalogue: StateCatalogue) -> None:
        """Raise :class:`~labsim.errors.ModelError` unless the catalogue has the states the rules act on."""
        missing = [name for name in REQUIRED_STATES if name not in catalogue]
        if missing:
            raise ModelError(
                f"rules act on the Danish states; catalogue {catalogue.name!r} lacks {', '.join(missing)}. "
                "Use rules=None for a custom catalogue."
            )
        for code, name in enumerate(REQUIRED_STATES):
            if catalogue.code(name) != code:  # other layers (efforts, the expected path) use the State codes
                raise ModelError(
                    f"rules need the Danish state codes; catalogue {catalogue.name!r} has {name!r} at code "
                    f"{catalogue.code(name)}, not {code}."
                )

    def bind(self, catalogue: StateCatalogue, ages: AgeClasses, streams: RandomStreams | None = None) -> DanishRules:
        """The rules object that applies these parameters to populations of ``catalogue`` (see
        :class:`~labsim.core.rules.Rules`); ``streams`` are the run's random numbers (not needed to gate hazards)."""
        from labsim.core.rules.danish import DanishRules

        return DanishRules(self, catalogue, ages, streams)

    @classmethod
    def field_kinds(cls) -> dict[str, str]:
        """Each rule's kind as a model file checks it: ``"whole"``, ``"number"`` or ``"flag"``."""
        kinds = {}
        for item in fields(cls):
            if item.name == "pension":
                continue
            kind = str(item.type)
            kinds[item.name] = "flag" if kind == "bool" else "whole" if kind.startswith("int") else "number"
        return kinds

