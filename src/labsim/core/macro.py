"""The business cycle as a monthly index that scales hazards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from labsim.calendar import MonthLike, month_label, parse_month
from labsim.errors import ModelError

__all__ = ["MacroPath"]


@dataclass(frozen=True, slots=True)
class MacroPath:
    """A cycle index by month: 1.0 is a normal month, 1.2 a month with 20 % more unemployment pressure.

    Each hazard is multiplied by ``index ** elasticity`` with the elasticity the transition model
    gives that transition. Months before ``start`` take the first value, months after the last one
    the last value.
    """

    start: int
    values: tuple[float, ...]

    def __init__(self, start: MonthLike, values: Sequence[float]) -> None:
        object.__setattr__(self, "start", parse_month(start, field="macro.start"))
        clean = tuple(float(v) for v in values)
        if not clean:
            raise ModelError("macro.values must hold at least one month; got none.")
        for i, value in enumerate(clean):
            if not np.isfinite(value) or value <= 0:
                raise ModelError(
                    f"macro.values[{i}] ({month_label(self.start + i)}) must be a positive number; got {value!r}."
                )
        object.__setattr__(self, "values", clean)

    def at(self, month: int) -> float:
        """The index in ``month``."""
        return self.values[min(max(month - self.start, 0), len(self.values) - 1)]
