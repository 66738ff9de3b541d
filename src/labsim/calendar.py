"""Calendar months as integers.

labsim counts time in whole calendar months. A month is stored as its *month number*: the months
elapsed since January 1900 (``1900-01`` is 0, ``2022-01`` is 1464). Birth months use the same
numbering, so an age in months is a plain difference and fits in ``int16`` for every living person.
"""

from __future__ import annotations

import re
from datetime import date

from labsim.errors import CalendarError

__all__ = ["EPOCH_YEAR", "MonthLike", "parse_month", "month_label", "month_year", "month_range"]

EPOCH_YEAR = 1900
"""Month number 0 is January of this year."""

MonthLike = str | date | int
"""A month given as ``"2022-01"``, a :class:`datetime.date` (its day is ignored) or a month number."""

_MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(value: MonthLike, *, field: str = "month") -> int:
    """Return the month number of ``value``.

    >>> parse_month("2022-01")
    1464
    >>> month_label(parse_month("2041-12"))
    '2041-12'

    Raises :class:`~labsim.errors.CalendarError` naming ``field`` when the value is not a month.
    """
    if isinstance(value, bool):
        raise CalendarError(f"{field} must be a month like '2024-01'; got {value!r}.")
    if isinstance(value, int):
        return value
    if isinstance(value, date):
        return (value.year - EPOCH_YEAR) * 12 + value.month - 1
    if isinstance(value, str):
        match = _MONTH_PATTERN.match(value.strip())
        if match:
            year, month = int(match.group(1)), int(match.group(2))
            if 1 <= month <= 12:
                return (year - EPOCH_YEAR) * 12 + month - 1
    raise CalendarError(f"{field} must be a month like '2024-01'; got {value!r}.")


def month_label(month_number: int) -> str:
    """Return ``'YYYY-MM'`` for a month number (month 0 is January 1900, :data:`EPOCH_YEAR`).

    >>> month_label(1464)
    '2022-01'
    >>> month_label(parse_month("2022-01") + 13)  # thirteen months on
    '2023-02'
    """
    year, month = divmod(int(month_number), 12)
    return f"{year + EPOCH_YEAR:04d}-{month + 1:02d}"


def month_year(month_number: int) -> int:
    """Return the calendar year a month number falls in."""
    return int(month_number) // 12 + EPOCH_YEAR


def month_range(start: MonthLike, end: MonthLike) -> range:
    """Month numbers from ``start`` to ``end``, both included.

    Raises :class:`~labsim.errors.CalendarError` when ``start`` is after ``end``.
    """
    first = parse_month(start, field="start")
    last = parse_month(end, field="end")
    if first > last:
        raise CalendarError(
            f"start must not be after end; got start={month_label(first)!r}, end={month_label(last)!r}."
        )
    return range(first, last + 1)
