"""A data frame of persons read column by column, every value checked before it is used
(:meth:`labsim.core.population.Population.from_frame`).

Memory stays near the frame's own: texts are looked up once per distinct value, and nothing is converted to a
fixed-width string array (one long text would make every row as long).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NoReturn

import numpy as np
import numpy.typing as npt

from labsim.calendar import parse_month
from labsim.errors import LabsimError, PopulationError, UnknownStateError

__all__ = ["PopulationFrame", "shown", "shown_list", "more_rows"]

_SHOWN_LENGTH = 80
"""The longest value an error message echoes whole."""

_LAST_MONTH = 12 * 10_000 - 1
"""The last month number (December 9999) a birth month may be given as."""


class PopulationFrame:
    """The columns of a data frame of persons as arrays, each value checked before it is used; a bad one raises
    :class:`~labsim.errors.PopulationError` naming the column, the row (``rows(i)``, or ``row i`` from 0) and the
    value, and counting the other bad rows."""

    def __init__(self, frame: Any, rows: Callable[[int], str] | None) -> None:
        self.frame = frame
        self.names = [str(name) for name in (frame.columns if hasattr(frame, "columns") else frame)]
        self.rows = rows
        self.prefix = "population frame " if rows is None else ""
        self.length = -1  # not known until the state column is read
        self.length = len(self.values("state")) if "state" in self.names else 0

    def where(self, i: int) -> str:
        return self.rows(i) if self.rows is not None else f"row {i}"

    def values(self, name: str) -> npt.NDArray[Any]:
        column = self.frame[name]
        values = np.asarray(column.to_numpy() if hasattr(column, "to_numpy") else column)
        if values.ndim != 1 or (self.length >= 0 and len(values) != self.length):
            raise PopulationError(f"{self.prefix}column {name!r} must be one value per person; got shape "
                                  f"{values.shape}.")
        return values

    def fail(self, name: str, rule: str, bad: npt.NDArray[np.bool_], values: npt.NDArray[Any] | None = None) -> NoReturn:
        i = int(np.flatnonzero(bad)[0])
        value = (self.values(name) if values is None else values)[i]
        has = "has no value" if _missing(value) else f"has {shown(value)}"
        raise PopulationError(f"{self.prefix}column {name!r} must {rule}; {self.where(i)} {has}"
                              + more_rows(int(bad.sum())) + ".")

    def numbers(self, name: str, *, high: int | None, whole: bool, unit: str = "") -> npt.NDArray[np.float64]:
        """The column as floats, each a number from 0 to ``high`` (whole when ``whole``)."""
        values = self.values(name)
        numbers = _floats(values)
        self._refuse(name, _not_numbers(values), "be a number", values)
        self._refuse(name, np.isnan(numbers), "not be empty", values)
        self._refuse(name, np.isinf(numbers), "be a finite number", values)
        if whole:
            self._refuse(name, numbers != np.floor(numbers), "be a whole number", values)
        self._refuse(name, numbers < 0, "be non-negative", values)
        if high is not None:
            self._refuse(name, numbers > high, f"be at most {high}{unit}", values)
        return numbers

    def months(self, name: str) -> npt.NDArray[np.int64]:
        """The column as month numbers (``'YYYY-MM'`` texts, dates or month numbers)."""
        values = self.values(name)
        if values.dtype.kind in "iu":
            self._refuse(name, (values < 0) | (values > _LAST_MONTH), "be a month like '1980-07' (or a month number "
                         f"from 0 to {_LAST_MONTH})", values)
            return values.astype(np.int64)
        out = np.empty(len(values), dtype=np.int64)
        known: dict[Any, int] = {}
        for i, value in enumerate(values.tolist()):
            try:
                out[i] = known[value] if value in known else known.setdefault(value, parse_month(value))
            except (LabsimError, TypeError):
                self.fail(name, "be a month like '1980-07'", _positions(len(values), i), values)
        return out

    def codes(self, name: str, names: Sequence[str], *, exact: bool, rule: str = "be one of") -> npt.NDArray[np.int8]:
        """The column as codes of ``names``: each a name (any case unless ``exact``) or a code; a value that is
        neither breaks ``rule``."""
        values = self.values(name)
        if values.dtype.kind in "iu":
            self._refuse(name, (values < 0) | (values >= len(names)), f"be a code from 0 to {len(names) - 1}", values)
            return values.astype(np.int8)
        lookup = {level if exact else level.lower(): code for code, level in enumerate(names)}
        out = np.empty(len(values), dtype=np.int8)
        known: dict[Any, int] = {}
        for i, value in enumerate(values.tolist()):
            code = known.get(value, -1) if isinstance(value, str) else -1
            if code < 0:
                code = _code(value, lookup, exact, len(names))
                if code < 0:
                    self._unknown(name, names, values, i, rule)
                known[value] = code
            out[i] = code
        return out

    def _unknown(self, name: str, names: Sequence[str], values: npt.NDArray[Any], i: int, rule: str) -> NoReturn:
        value = values[i]
        if _missing(value):
            self.fail(name, "not be empty", _positions(len(values), i), values)
        error = UnknownStateError if name == "state" else PopulationError
        listed = f"{rule} {', '.join(names)}" if rule.endswith("one of") else f"{rule} ({', '.join(names)})"
        raise error(f"Population.{name} must {listed}; got {shown(value)} ({self.prefix}column {name!r}, "
                    f"{self.where(i)}).")

    def _refuse(self, name: str, bad: npt.NDArray[np.bool_], rule: str, values: npt.NDArray[Any]) -> None:
        if bad.any():
            self.fail(name, rule, bad, values)


def _floats(values: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
    """``values`` as floats: NaN where a value is missing or not a number (a text, a boolean), which
    :func:`_not_numbers` tells apart."""
    if values.dtype.kind in "iuf":
        return values.astype(np.float64)
    out = np.full(len(values), np.nan)
    if values.dtype.kind == "O":
        for i, value in enumerate(values.tolist()):
            if isinstance(value, int | float) and not isinstance(value, bool):
                try:
                    out[i] = float(value)
                except OverflowError:  # an int too large for a float
                    out[i] = np.inf
    return out


def _not_numbers(values: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    if values.dtype.kind in "iuf":
        return np.zeros(len(values), dtype=bool)
    if values.dtype.kind != "O":
        return np.ones(len(values), dtype=bool)
    return np.array([not _missing(v) and (isinstance(v, bool) or not isinstance(v, int | float))
                     for v in values.tolist()], dtype=bool)


def _code(value: Any, lookup: Mapping[str, int], exact: bool, n_codes: int) -> int:
    """The code ``value`` names, or -1."""
    if isinstance(value, str):
        return lookup.get(value if exact else value.strip().lower(), -1)
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < n_codes and value == int(value):
        return int(value)  # a code; a float one from a column with a missing value
    return -1


def _missing(value: Any) -> bool:
    """Whether a cell holds nothing: None, NaN (of any float type), pandas' NA or blank text."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    if isinstance(value, float | np.floating):
        return bool(value != value)
    try:
        return bool(value != value)  # pandas' NA: a comparison with it is NA, which is no truth value
    except TypeError:
        return True
    except ValueError:  # an array in a cell
        return False


def _positions(n: int, i: int) -> npt.NDArray[np.bool_]:
    bad = np.zeros(n, dtype=bool)
    bad[i] = True
    return bad


def more_rows(count: int) -> str:
    """`` (and 3 more rows)`` after the first of ``count`` bad rows."""
    return f" (and {count - 1:,} more row{'s' if count > 2 else ''})" if count > 1 else ""


def shown(value: Any) -> str:
    """``repr(value)`` for an error message: a whole float as an integer, a long text cut to about 80 characters
    (its length said).

    >>> shown(130.0), shown("Brønderslev"), shown("x" * 1000)[-21:]
    ('130', "'Brønderslev'", "…' (1,000 characters)")
    """
    if isinstance(value, float | np.floating) and float(value).is_integer() and abs(float(value)) < 1e16:
        return str(int(value))
    if isinstance(value, np.generic):
        value = value.item()
    text = repr(value)
    if len(text) <= _SHOWN_LENGTH:
        return text
    if isinstance(value, str):
        return f"{text[:_SHOWN_LENGTH - 20]}…{text[0]} ({len(value):,} characters)"
    return f"{text[:_SHOWN_LENGTH - 20]}…"


def shown_list(names: Sequence[object], at_most: int = 10) -> str:
    """Names for an error message, each :func:`shown`, at most ``at_most`` of them (the rest counted)."""
    listed = ", ".join(shown(name) for name in names[:at_most])
    return f"[{listed}{f', and {len(names) - at_most:,} more' if len(names) > at_most else ''}]"

