"""The legal rules that act as gates and forced moves (DOMAIN.md §2).

Each parameter names its source; the few that the law does not fix are labelled assumptions and
can be changed like any other parameter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from labsim.core.pension import PensionSchedule
from labsim.errors import ModelError
from labsim.states import State, StateCatalogue

__all__ = ["LegalRules", "WEEKS_PER_MONTH", "REQUIRED_STATES"]

WEEKS_PER_MONTH = 52 / 12
"""Weeks in an average month; converts the law's weeks into the model's months."""

REQUIRED_STATES = tuple(state.code_name for state in State)
"""The rules act on the states of the Danish catalogue; a catalogue must have all of them."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LegalRules:
    """Parameters of the gates and forced moves applied in every monthly step.

    Attributes
    ----------
    pension:
        Folkepension and efterløn ages by birth month (DOMAIN.md §2.6). Everyone moves to
        folkepension in the month the age is reached.
    dagpenge_max_months, dagpenge_window_months:
        a-dagpenge for at most 24 months within 36 (2 years within 3, DOMAIN.md §2.1). A person
        who has used them cannot stay on or enter a-dagpenge.
    exhausted_to_kontanthjaelp:
        Share of persons whose a-dagpenge end by exhaustion who pass the means test and move to
        kontanthjælp (or uddannelseshjælp under 30 without a qualification); the rest become
        self-supported. *Assumption* — DOMAIN.md gives no share.
    revurdering_weeks, revurdering_window_months:
        Revurdering after more than 22 weeks of sygedagpenge within 9 months (DOMAIN.md §2.2).
    extension_probability:
        Probability that one of the seven extension grounds applies at revurdering, so that the
        person stays on sygedagpenge instead of moving to jobafklaring. *Assumption* (DOMAIN.md
        §2.2 lists the grounds, not their frequency).
    uddannelseshjaelp_max_age:
        Uddannelseshjælp ends at 30 (DOMAIN.md §2.4); the person moves to kontanthjælp.
    foertidspension_min_age, foertidspension_exception_factor:
        Førtidspension from age 40; under 40 only where working capacity obviously cannot improve
        (DOMAIN.md §1.2). The factor multiplies the hazard into førtidspension under 40.
        *Assumption* for the factor.
    seniorpension_window_years:
        Seniorpension only within 6 years of folkepension age (DOMAIN.md §1.2).
    support_reset_months:
        Consecutive months off public support after which the refund counter starts again.
        *Assumption* (DOMAIN.md §3.1 says only that the refund depends on cumulative duration).
    ressourceforloeb_max_months:
        Longest ressourceforløb: 5 years until 31 December 2021, 3 years from 1 January 2022
        (DOMAIN.md §2.3); ``None`` for no limit. A forløb that reaches it ends, and the case goes
        back to kontanthjælp, aktivitetsparat (an assumption about where it lands).
    """

    pension: PensionSchedule
    dagpenge_max_months: int = 24
    dagpenge_window_months: int = 36
    exhausted_to_kontanthjaelp: float = 0.7
    revurdering_weeks: float = 22.0
    revurdering_window_months: int = 9
    extension_probability: float = 0.5
    uddannelseshjaelp_max_age: int = 30
    foertidspension_min_age: int = 40
    foertidspension_exception_factor: float = 0.05
    seniorpension_window_years: int = 6
    support_reset_months: int = 12
    ressourceforloeb_max_months: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.dagpenge_max_months < self.dagpenge_window_months:
            raise ModelError(
                "rules.dagpenge_max_months must be at least 1 and below dagpenge_window_months; "
                f"got {self.dagpenge_max_months} and {self.dagpenge_window_months}."
            )
        if self.dagpenge_window_months - 1 + self.revurdering_window_months + 1 > 64:
            raise ModelError(
                "rules: dagpenge_window_months + revurdering_window_months must be at most 64 (the history bits); "
                f"got {self.dagpenge_window_months} + {self.revurdering_window_months}."
            )
        if not 0 < self.revurdering_weeks < self.revurdering_window_months * WEEKS_PER_MONTH:
            raise ModelError(
                f"rules.revurdering_weeks must be positive and fit in revurdering_window_months "
                f"({self.revurdering_window_months} months); got {self.revurdering_weeks}."
            )
        for name in ("exhausted_to_kontanthjaelp", "extension_probability", "foertidspension_exception_factor"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ModelError(f"rules.{name} must lie in [0, 1]; got {value!r}.")
        for name in ("uddannelseshjaelp_max_age", "foertidspension_min_age", "seniorpension_window_years", "support_reset_months"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ModelError(f"rules.{name} must be a positive whole number; got {value!r}.")

        limit = self.ressourceforloeb_max_months
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
            raise ModelError(f"rules.ressourceforloeb_max_months must be a positive whole number or None; got {limit!r}.")

    @property
    def revurdering_months(self) -> int:
        """Sygedagpenge months within the window after which revurdering falls: the first whole
        month count whose weeks exceed :attr:`revurdering_weeks` (22 weeks → 6 months)."""
        return math.floor(self.revurdering_weeks / WEEKS_PER_MONTH) + 1

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
            if catalogue.code(name) != code:
                raise ModelError(
                    f"rules need the Danish state codes; catalogue {catalogue.name!r} has {name!r} at code "
                    f"{catalogue.code(name)}, not {code}."
                )
