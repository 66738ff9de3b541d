"""Effect sizes as the evidence gives them: a default value with a range and where it comes from.

DOMAIN.md §6 reports some effects as shares in work after a follow-up period (an RCT's 60 % against
47 %) and others as hazard ratios; labsim needs monthly hazard multipliers. Where the evidence has a
number, the conversion is done here, in code, so that the default can be traced to it. Where it has
none, the default is the geometric middle of a wide range, and the estimate says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from labsim.errors import ModelError

__all__ = ["Estimate", "hazard_ratio", "geometric_middle"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Estimate:
    """A multiplier with its range and its basis.

    Attributes
    ----------
    value:
        The default multiplier.
    low, high:
        The range a sensitivity analysis should cover (``low ≤ value ≤ high``).
    basis:
        How the value follows from the evidence, in one sentence.
    source:
        Where the evidence is (a row of DOMAIN.md §6, a plan page).
    measured:
        ``False`` when the evidence gives no number: the value is an assumption and the range is wide.
    """

    value: float
    low: float
    high: float
    basis: str
    source: str
    measured: bool = True

    def __post_init__(self) -> None:
        for name in ("value", "low", "high"):
            number = getattr(self, name)
            if not math.isfinite(number) or number < 0:
                raise ModelError(f"estimate {name} must be a finite multiplier ≥ 0; got {number!r} ({self.basis}).")
        if not self.low <= self.value <= self.high:
            raise ModelError(f"estimate must satisfy low ≤ value ≤ high; got {self.low} ≤ {self.value} ≤ {self.high} ({self.basis}).")

    def describe(self) -> str:
        """``"1.44 (1.00–3.18)"``, with "assumed" where no number was measured."""
        text = f"{self.value:.2f} ({self.low:.2f}–{self.high:.2f})"
        return text if self.measured else f"{text}, assumed"


def hazard_ratio(control: float, treated: float) -> float:
    """The ratio of constant monthly hazards under which ``treated`` instead of ``control`` of a group
    have left by the same follow-up date: ``ln(1 − treated) / ln(1 − control)`` (the length of the
    follow-up cancels out).

    >>> round(hazard_ratio(0.47, 0.60), 3)  # IPS, Projekt Inklusion: 60 % vs 47 % within 18 months
    1.443
    """
    if not (0 < control < 1 and 0 < treated < 1):
        raise ModelError(f"shares must lie strictly between 0 and 1; got control={control!r}, treated={treated!r}.")
    return math.log1p(-treated) / math.log1p(-control)


def geometric_middle(low: float, high: float) -> float:
    """The default of an effect the evidence gives no number for: ``√(low · high)``, the middle of the
    range on the multiplicative scale hazards act on.

    >>> geometric_middle(1.0, 1.6)
    1.2649110640673518
    """
    if not (0 < low <= high):
        raise ModelError(f"a range needs 0 < low ≤ high; got {low!r} and {high!r}.")
    return math.sqrt(low * high)
