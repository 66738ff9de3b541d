"""The business cycle as a monthly index that scales hazards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from labsim.calendar import MonthLike, month_label, parse_month
from labsim.errors import ModelError
from labsim.validation import Check, number, whole

__all__ = ["MacroPath", "MAX_RECESSION_MONTHS"]

MAX_RECESSION_MONTHS = 1200
"""The longest recession :meth:`MacroPath.recession` draws: a century of months. The path holds a value per
month, so the bound is also what it allocates; a scenario file's recession is further held to its run."""

_INDEX = Check("a cycle index > 0 (1.0 is a normal month)", number(0.0, above=True).test)
"""A month's cycle index, or a recession's depth."""


@dataclass(frozen=True, slots=True)
class MacroPath:
    """A cycle index by month: 1.0 is a normal month, 1.2 a month with 20 % more unemployment pressure.

    Each hazard is multiplied by ``index ** elasticity`` with the elasticity the transition model
    gives that transition. Months before ``start`` take the first value, months after the last one
    the last value.
    """

    start: int
    values: tuple[float, ...]
    shape: tuple[int, int, float] | None
    """``(start, months, depth)`` of a path made by :meth:`recession`, so that a sweep can set one of them
    (``macro.recession.depth``); ``None`` for a path of given values."""

    def __init__(self, start: MonthLike, values: Sequence[float], shape: tuple[int, int, float] | None = None) -> None:
        object.__setattr__(self, "start", parse_month(start, field="macro.start"))
        object.__setattr__(self, "shape", shape)
        clean = tuple(_INDEX(v, f"macro.values[{i}] ({month_label(self.start + i)})", ModelError)
                      for i, v in enumerate(values))
        if not clean:
            raise ModelError("macro.values must hold at least one month; got none.")
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
        whole(1, MAX_RECESSION_MONTHS)(months, "recession.months", ModelError)
        _INDEX(depth, "recession.depth", ModelError)
        first = parse_month(start, field="recession.start")
        t = np.arange(months + 1)
        bump = 1.0 + (depth - 1.0) * np.sin(np.pi * t / months)
        return cls(first, [*bump.tolist(), 1.0], (first, months, float(depth)))

    def with_value(self, path: Sequence[str], value: object) -> MacroPath:
        """The path with the value at ``path`` set (:func:`labsim.paths.set_path`): ``recession.start``,
        ``recession.months`` or ``recession.depth`` of a path made by :meth:`recession` (drawn again), or
        ``values.<i>``, one month's index."""
        if path[0] == "recession":
            keys = ("start", "months", "depth")
            if self.shape is None:
                raise ModelError("the cycle was given month by month, not as a recession; set values.<i> instead.")
            if len(path) != 2 or path[1] not in keys:
                raise ModelError(f"write recession.start, recession.months or recession.depth; got {'.'.join(path)!r}.")
            shape: dict[str, Any] = dict(zip(keys, self.shape, strict=True))
            shape[path[1]] = value
            return MacroPath.recession(shape["start"], shape["months"], shape["depth"])
        if path[0] == "values" and len(path) == 2:
            if not path[1].isdigit() or int(path[1]) >= len(self.values):
                raise ModelError(f"values.{path[1]}: the cycle has months 0 to {len(self.values) - 1}.")
            index = int(path[1])
            return MacroPath(self.start, [*self.values[:index], value, *self.values[index + 1:]])  # type: ignore[list-item]
        raise ModelError(f"a cycle's paths are values.<i> and recession.start, .months, .depth; got {'.'.join(path)!r}.")
