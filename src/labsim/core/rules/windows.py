"""Bit windows of recent months that the Danish rules count in (one ``uint64`` per person)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from labsim.core.rules.parameters import LegalRules

__all__ = ["HistoryBits", "ONE"]

ONE = np.uint64(1)


@dataclass(frozen=True, slots=True)
class HistoryBits:
    """Layout of :attr:`Population.history`.

    Bits ``0 … dagpenge_bits-1`` mark a-dagpenge months that count towards the limit in the latest
    ``dagpenge_bits`` months (bit 0 = the month just spent): all of them are the window ending with month
    ``t`` (has the right been used up?), all but the oldest the window that month ``t + 1`` completes (may
    the person be on a-dagpenge in it?). The next ``sick_bits`` bits mark sygedagpenge months that count
    towards the revurdering in months ``t − sick_bits + 1 … t``.
    """

    dagpenge_bits: int
    sick_bits: int

    @classmethod
    def for_rules(cls, rules: LegalRules) -> HistoryBits:
        """The a-dagpenge window; one more than the sygedagpenge window (to see whether the count has just
        crossed the revurdering limit)."""
        return cls(rules.dagpenge_window_months, rules.revurdering_window_months + 1)

    @property
    def dagpenge_mask(self) -> np.uint64:
        """a-dagpenge months in the window that month t + 1 completes (months t − window + 2 … t)."""
        return np.uint64((1 << (self.dagpenge_bits - 1)) - 1)

    @property
    def dagpenge_window_mask(self) -> np.uint64:
        """a-dagpenge months in the window ending with month t."""
        return np.uint64((1 << self.dagpenge_bits) - 1)

    @property
    def sick_shift(self) -> np.uint64:
        return np.uint64(self.dagpenge_bits)

    @property
    def sick_now_mask(self) -> np.uint64:
        """Sygedagpenge months in the window ending with month t."""
        return np.uint64(((1 << (self.sick_bits - 1)) - 1) << self.dagpenge_bits)

    @property
    def sick_before_mask(self) -> np.uint64:
        """Sygedagpenge months in the window ending with month t − 1."""
        return np.uint64(((1 << (self.sick_bits - 1)) - 1) << (self.dagpenge_bits + 1))

    @property
    def keep_mask(self) -> np.uint64:
        """Bits that survive the monthly shift (drops the oldest month of both windows)."""
        total = self.dagpenge_bits + self.sick_bits
        return np.uint64(((1 << total) - 1) & ~(1 << self.dagpenge_bits))
