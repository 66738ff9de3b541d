"""Age classes: age bands, plus the pension stages that the legal rules gate on."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from labsim.core.population import MIN_AGE_YEARS
from labsim.core.rules import LegalRules
from labsim.errors import ModelError

__all__ = ["AgeClasses", "STAGES"]

STAGES = ("working_age", "seniorpension_window", "efterloen_age", "folkepension_age")
"""Pension stages of the oldest age band, in order."""


@dataclass(frozen=True, slots=True)
class AgeClasses:
    """Maps a person's age (and, under the rules, birth cohort) to a small class code.

    Bands are cut at ``cuts_years``. With legal rules the oldest band is split into the four
    :data:`STAGES`: more than the seniorpension window from folkepension age, within it, past
    efterløn age, past folkepension age.
    """

    cuts_years: tuple[int, ...]
    rules: LegalRules | None = None

    def __post_init__(self) -> None:
        cuts = self.cuts_years
        if any(b <= a for a, b in zip(cuts, cuts[1:], strict=False)) or any(c <= MIN_AGE_YEARS for c in cuts):
            raise ModelError(f"age_cuts_years must be strictly increasing ages above {MIN_AGE_YEARS}; got {list(cuts)}.")

    @property
    def n_bands(self) -> int:
        """Number of age bands."""
        return len(self.cuts_years) + 1

    @property
    def n_classes(self) -> int:
        """Number of class codes."""
        return self.n_bands + (len(STAGES) - 1 if self.rules is not None else 0)

    def band_of_class(self) -> npt.NDArray[np.intp]:
        """Age band of each class."""
        return np.minimum(np.arange(self.n_classes), self.n_bands - 1)

    def stage_of_class(self) -> npt.NDArray[np.intp]:
        """Pension stage (index into :data:`STAGES`) of each class."""
        return np.maximum(np.arange(self.n_classes) - (self.n_bands - 1), 0)

    def band_labels(self) -> tuple[str, ...]:
        """Labels like ``'16-24'`` … ``'60+'``."""
        edges = (MIN_AGE_YEARS, *self.cuts_years)
        return tuple(
            f"{low}-{high - 1}" for low, high in zip(edges, self.cuts_years, strict=False)
        ) + (f"{edges[-1]}+",)

    def lookup(self, month: int, lowest_birth: int, highest_birth: int) -> npt.NDArray[np.int8]:
        """Class code at ``month`` for every birth month from ``lowest_birth`` to ``highest_birth``."""
        births = np.arange(lowest_birth, highest_birth + 1)
        age = month - births
        classes = np.searchsorted(np.asarray(self.cuts_years) * 12, age, side="right")
        if self.rules is not None:
            pension = self.rules.pension
            folkepension = pension.folkepension_age(births)
            stage = (
                (age >= folkepension - 12 * self.rules.seniorpension_window_years).astype(np.intp)
                + (age >= pension.efterloen_age(births))
                + (age >= folkepension)
            )
            # A person in a pension stage gets the oldest band's stage class even if younger than
            # the band (only cohorts born before 1954 reach the seniorpension window before 60).
            staged = (classes == self.n_bands - 1) | (stage > 0)
            classes[staged] = self.n_bands - 1 + stage[staged]
        return classes.astype(np.int8)
