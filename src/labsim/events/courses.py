"""Course intakes: courses with seats that start cohorts on dates; eligible persons wait for a seat."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from labsim.calendar import MonthLike, parse_month
from labsim.errors import ModelError
from labsim.validation import number, whole

__all__ = ["CourseIntake"]


@dataclass(frozen=True, slots=True, kw_only=True)
class CourseIntake:
    """An upskilling course, a voksenlærling intake or similar.

    At each intake month the course admits up to ``seats`` persons from its states, those waiting
    longest first (months in their state, then id). Participants carry the *course* flag for
    ``duration_months`` and then the *after-course* flag for ``after_months``; the flags multiply their
    hazards of moving to work by ``effect_during`` (lock-in when below 1) and ``effect_after``.
    Courses of one run share these two flags, so their effects must agree.
    """

    name: str
    states: tuple[str, ...]
    seats: int
    intakes: tuple[int, ...]
    duration_months: int
    effect_during: float = 1.0
    effect_after: float = 1.0
    after_months: int = 12
    source: str = field(default="")

    def __init__(self, *, name: str, states: Sequence[str], seats: int, intakes: Sequence[MonthLike],
                 duration_months: int, effect_during: float = 1.0, effect_after: float = 1.0,
                 after_months: int = 12, source: str = "") -> None:
        where = f"course {name!r}"
        whole(1)(seats, f"{where}.seats", ModelError)
        if not states:
            raise ModelError(f"{where}.states must name at least one state.")
        whole(1)(duration_months, f"{where}.duration_months", ModelError)
        whole(0)(after_months, f"{where}.after_months", ModelError)
        for label, value in (("effect_during", effect_during), ("effect_after", effect_after)):
            number(0.0, above=True)(value, f"{where}.{label}", ModelError)
        months = tuple(sorted(parse_month(m, field=f"{where}.intakes") for m in intakes))
        if not months:
            raise ModelError(f"{where}.intakes must give at least one month.")
        values: dict[str, object] = {
            "name": name, "states": tuple(states), "seats": seats, "intakes": months, "duration_months": duration_months,
            "effect_during": float(effect_during), "effect_after": float(effect_after), "after_months": after_months,
            "source": source,
        }
        for key, item in values.items():
            object.__setattr__(self, key, item)
