"""The rules a single value must meet, written once: a whole number, a number, a multiplier, a probability, one
of a set of options, a month.

Each rule is a :class:`Check`: it knows its words (``"a multiplier ≥ 0"``), tests a value and returns it in
its own type, or raises an error that names where the value was, the rule and the value, in the house form
(STYLE.md 10)::

    effort 'ips'.effect must be a multiplier ≥ 0; got -1.

The same check serves three places, so that they never disagree: a frozen spec's ``__post_init__`` (Python),
the pydantic entry of a file (:meth:`Check.validator` gives the bare rule, the file's reader adds the key
the user wrote: ``strategies.ips.efforts[0].effect``), and the documentation (:attr:`Check.rule`).
scikit-learn's ``check_scalar`` and attrs' validators have the same shape.

>>> multiplier()(1.6, "effort 'ips'.effect")
1.6
>>> whole(low=1)(0, "effort 'ips'.duration_months")
Traceback (most recent call last):
...
labsim.errors.ValidationError: effort 'ips'.duration_months must be a whole number ≥ 1; got 0.
>>> probability(positive=True).rule
'a share in (0, 1]'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from labsim.calendar import EPOCH_YEAR, MonthLike, month_label, parse_month
from labsim.errors import LabsimError, ValidationError

__all__ = ["Check", "whole", "number", "multiplier", "probability", "one_of", "month", "texts", "optional", "yes_no", "text",
           "below",
           "MAX_MULTIPLIER", "LAST_YEAR"]

MAX_MULTIPLIER = 100.0
"""The largest multiplier of a hazard any rule accepts: a hundredfold change is a typo, not an effect (the model
file's own bound, :data:`labsim.io.model_file.MAX_HAZARD_RATIO`, is the same number)."""

_SHOWN = 80


class _Bad(Exception):
    """Raised inside a test: the value breaks the rule."""


@dataclass(frozen=True, slots=True)
class Check:
    """One rule over one value.

    Attributes
    ----------
    rule:
        The rule in words, as it follows "must be": ``"a whole number from 0 to 480"``.
    test:
        Returns the value in its own type (an ``int``, a ``float``, a month number) or raises for a value that
        breaks the rule.
    """

    rule: str
    test: Callable[[Any], Any]

    def __call__(self, value: Any, where: str, error: type[LabsimError] = ValidationError) -> Any:
        """The value in its own type; raise ``error`` naming ``where``, the rule and the value if it breaks it."""
        try:
            return self.test(value)
        except (_Bad, LabsimError, TypeError, ValueError, OverflowError):
            raise error(f"{where} must be {self.rule}; got {_shown(value)}.") from None

    def problem(self, value: Any) -> str | None:
        """``"must be <rule>"`` when ``value`` breaks the rule, else ``None``."""
        try:
            self.test(value)
        except (_Bad, LabsimError, TypeError, ValueError, OverflowError):
            return f"must be {self.rule}"
        return None

    def validator(self) -> Callable[[Any], Any]:
        """The check as a pydantic ``BeforeValidator``: it raises ``ValueError("must be <rule>")``, and the file's
        reader puts the user's key and value beside it."""

        def validate(value: Any) -> Any:
            message = self.problem(value)
            if message is not None:
                raise ValueError(message)
            return self.test(value)

        return validate


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN else f"{text[:_SHOWN - 1]}… ({len(text):,} characters)"


def _real(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) and not _is_numpy_number(value):
        raise _Bad
    number = float(value)
    if not math.isfinite(number):
        raise _Bad
    return number


def _is_numpy_number(value: Any) -> bool:
    kind = type(value).__module__
    return kind == "numpy" and hasattr(value, "dtype") and value.dtype.kind in "iuf" and getattr(value, "ndim", 1) == 0


def _n(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() and abs(value) < 1e15 else f"{value:g}"


def _range_words(low: float | None, high: float | None, *, above: bool = False) -> str:
    if low is not None and high is not None:
        return f"from {_n(low)} to {_n(high)}" if not above else f"in ({_n(low)}, {_n(high)}]"
    if low is not None:
        return f"> {_n(low)}" if above else f"≥ {_n(low)}"
    if high is not None:
        return f"≤ {_n(high)}"
    return ""


def whole(low: int | None = 0, high: int | None = None) -> Check:
    """A whole number (not a bool, not ``2.0``) from ``low`` to ``high`` (``None``: no bound)."""

    def test(value: Any) -> int:
        if isinstance(value, bool) or not (isinstance(value, int) or _is_numpy_number(value) and value.dtype.kind in "iu"):
            raise _Bad
        number = int(value)
        if (low is not None and number < low) or (high is not None and number > high):
            raise _Bad
        return number

    return Check(f"a whole number {_range_words(low, high)}".rstrip(), test)


def number(low: float | None = None, high: float | None = None, *, above: bool = False) -> Check:
    """A finite number from ``low`` (excluded when ``above``) to ``high``."""

    def test(value: Any) -> float:
        real = _real(value)
        if low is not None and (real <= low if above else real < low):
            raise _Bad
        if high is not None and real > high:
            raise _Bad
        return real

    return Check(f"a number {_range_words(low, high, above=above)}".rstrip(), test)


def multiplier(high: float = MAX_MULTIPLIER) -> Check:
    """A multiplier of a hazard: a finite number from 0 (the transition closed) to ``high`` (1 changes nothing)."""
    check = number(0.0, high)
    return Check(f"a multiplier from 0 to {_n(high)}", check.test)


def probability(*, positive: bool = False) -> Check:
    """A probability or share in [0, 1] (in (0, 1] when ``positive``)."""
    check = number(0.0, 1.0, above=positive)
    return Check("a share in (0, 1]" if positive else "a share in [0, 1]", check.test)


def text() -> Check:
    """Text (a ``str``)."""

    def test(value: Any) -> str:
        if not isinstance(value, str):
            raise _Bad
        return value

    return Check("text", test)


def yes_no() -> Check:
    """``True`` or ``False`` (not 0 or 1, not text)."""

    def test(value: Any) -> bool:
        if not isinstance(value, bool):
            raise _Bad
        return value

    return Check("true or false", test)


def below(check: Check, high: float, words: str) -> Check:
    """``check``, and strictly below ``high``; ``words`` say the bound (``"below 480 months"``)."""

    def test(value: Any) -> Any:
        result = check.test(value)
        if not result < high:
            raise _Bad
        return result

    return Check(f"{check.rule}, {words}", test)


def one_of(options: Iterable[str]) -> Check:
    """One of ``options`` (text); the rule lists them."""
    allowed = tuple(options)

    def test(value: Any) -> str:
        if not isinstance(value, str) or value not in allowed:
            raise _Bad
        return value

    return Check(f"one of {', '.join(allowed)}", test)


def texts(allowed: Iterable[str] | None = None, *, at_least: int = 0) -> Check:
    """A list (or tuple) of texts, each one of ``allowed`` when given, at least ``at_least`` of them; returned as a
    tuple."""
    options = None if allowed is None else tuple(allowed)

    def test(value: Any) -> tuple[str, ...]:
        if isinstance(value, str) or not isinstance(value, list | tuple) or len(value) < at_least:
            raise _Bad
        if not all(isinstance(v, str) and (options is None or v in options) for v in value):
            raise _Bad
        return tuple(value)

    what = "a list of texts" if options is None else f"a list of {', '.join(options)}"
    return Check(what if not at_least else f"{what} (at least {at_least})", test)


LAST_YEAR = 2200
"""The last year a month may fall in (the first is :data:`~labsim.calendar.EPOCH_YEAR`): labsim's calendar."""


def month(*, label: bool = False) -> Check:
    """A month like ``"2024-01"`` from 1900 to 2200 (a ``date`` or a month number in Python), returned as labsim's
    month number, or as its label ``"2024-01"`` when ``label``."""

    def test(value: MonthLike) -> int | str:
        if isinstance(value, bool):
            raise _Bad
        result = parse_month(value)
        if not 0 <= result < (LAST_YEAR - EPOCH_YEAR + 1) * 12:
            raise _Bad
        return month_label(result) if label else result

    return Check(f"a month like '2024-01', from {EPOCH_YEAR} to {LAST_YEAR}", test)


def optional(check: Check) -> Check:
    """``check``, or ``None`` (no limit, no end)."""
    return Check(f"{check.rule}, or none", lambda value: None if value is None else check.test(value))
