"""The business cycle as a monthly index that scales hazards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from labsim.calendar import MonthLike, month_label, parse_month
from labsim.errors import ModelError

__all__ = ["MacroPath", "MAX_RECESSION_MONTHS"]

MAX_RECESSION_MONTHS = 1200
"""The longest recession :meth:`MacroPath.recession` draws: a century of months. The path holds a value per
month, so the bound is also what it allocates; a scenario file's recession is further held to its run."""


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

    @classmethod
    def recession(cls, start: MonthLike, months: int, depth: float) -> MacroPath:
        """A downturn as one swept value: from ``start`` the index rises from 1.0 to ``depth`` at mid-way and
        falls back to 1.0 over ``months`` months, then stays there.

        The shape is half a sine wave — an *assumption*: a smooth rise and fall, symmetric in time, with
        ``depth`` its only height. ``depth`` below 1 makes a boom. Before ``start`` the index is 1.0.

        >>> path = MacroPath.recession("2025-01", months=4, depth=1.2)
        >>> [round(v, 3) for v in path.values]
        [1.0, 1.141, 1.2, 1.141, 1.0, 1.0]
        """
        if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= MAX_RECESSION_MONTHS:
            raise ModelError(f"a recession lasts a whole number of months from 1 to {MAX_RECESSION_MONTHS}; got "
                             f"{months!r}.")
        if isinstance(depth, bool) or not isinstance(depth, int | float) or not np.isfinite(depth) or depth <= 0:
            raise ModelError(f"a recession's depth is a positive cycle index (1.0 is a normal month); got {depth!r}.")
        first = parse_month(start, field="recession.start")
        t = np.arange(months + 1)
        bump = 1.0 + (depth - 1.0) * np.sin(np.pi * t / months)
        return cls(first, [*bump.tolist(), 1.0])
