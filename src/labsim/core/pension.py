"""Folkepension and efterløn ages by birth month (DOMAIN.md §2.6)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from labsim.errors import ModelError

__all__ = ["PensionSchedule"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PensionSchedule:
    """Legal ages by birth cohort.

    Row ``i`` applies to persons born in or after month number ``born_from[i]`` (and before
    ``born_from[i + 1]``); the first row also applies to everyone born earlier.

    Attributes
    ----------
    born_from:
        Month numbers (months since 1900-01), strictly increasing.
    folkepension_age_months:
        Folkepension age in months for each row, non-decreasing.
    efterloen_age_months:
        Efterløn age in months for each row; at most the folkepension age.
    """

    born_from: tuple[int, ...]
    folkepension_age_months: tuple[int, ...]
    efterloen_age_months: tuple[int, ...]

    def __post_init__(self) -> None:
        n = len(self.born_from)
        if n == 0 or len(self.folkepension_age_months) != n or len(self.efterloen_age_months) != n:
            raise ModelError(
                "pension schedule: born_from, folkepension_age_months and efterloen_age_months must be non-empty and "
                f"equally long; got lengths {n}, {len(self.folkepension_age_months)}, {len(self.efterloen_age_months)}."
            )
        if any(b <= a for a, b in zip(self.born_from, self.born_from[1:], strict=False)):
            raise ModelError(f"pension schedule: born_from must be strictly increasing; got {self.born_from}.")
        if any(b < a for a, b in zip(self.folkepension_age_months, self.folkepension_age_months[1:], strict=False)):
            raise ModelError(
                f"pension schedule: folkepension ages must not fall for later cohorts; got {self.folkepension_age_months}."
            )
        for i, (e, f) in enumerate(zip(self.efterloen_age_months, self.folkepension_age_months, strict=True)):
            if not 0 < e <= f:
                raise ModelError(
                    f"pension schedule row {i}: efterløn age must be positive and at most the folkepension age; "
                    f"got {e} > {f} months."
                )

    def _rows(self, birth_month: npt.ArrayLike) -> npt.NDArray[np.intp]:
        rows = np.searchsorted(np.asarray(self.born_from), np.asarray(birth_month), side="right") - 1
        return np.clip(rows, 0, len(self.born_from) - 1)

    def folkepension_age(self, birth_month: npt.ArrayLike) -> npt.NDArray[np.int32]:
        """Folkepension age in months for each birth month."""
        return np.asarray(self.folkepension_age_months, dtype=np.int32)[self._rows(birth_month)]

    def efterloen_age(self, birth_month: npt.ArrayLike) -> npt.NDArray[np.int32]:
        """Efterløn age in months for each birth month."""
        return np.asarray(self.efterloen_age_months, dtype=np.int32)[self._rows(birth_month)]

    def last_birth_month_retired(self, month: int, lowest_birth_month: int) -> int:
        """The latest birth month whose folkepension age is reached by ``month`` (so every person born then
        or earlier is a pensioner). The pension month ``birth + age(birth)`` never falls for later cohorts."""
        births = np.arange(lowest_birth_month, month + 1)
        reached = births + self.folkepension_age(births) <= month
        return int(births[reached][-1]) if reached.any() else lowest_birth_month - 1

    def with_cohorts(self, rows: Sequence[tuple[int, float, float]]) -> PensionSchedule:
        """This schedule with later cohorts added: ``(born_from_month_number, folkepension_age_years,
        efterloen_age_years)`` rows after the last one. Use it for the indexation to life expectancy
        beyond the ages in law (DOMAIN.md §2.6 lists 71–74 as estimates for cohorts from 1975)."""
        added = PensionSchedule.from_years(rows)
        return PensionSchedule(
            born_from=self.born_from + added.born_from,
            folkepension_age_months=self.folkepension_age_months + added.folkepension_age_months,
            efterloen_age_months=self.efterloen_age_months + added.efterloen_age_months,
        )

    @classmethod
    def from_years(
        cls, rows: Sequence[tuple[int, float, float]]
    ) -> PensionSchedule:
        """Build from ``(born_from_month_number, folkepension_age_years, efterloen_age_years)`` rows."""
        return cls(
            born_from=tuple(int(r[0]) for r in rows),
            folkepension_age_months=tuple(round(r[1] * 12) for r in rows),
            efterloen_age_months=tuple(round(r[2] * 12) for r in rows),
        )
