"""The state refund bands by cumulative time on public support (DOMAIN.md §3.1)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from labsim.core.ledger import SUPPORT_MONTH_CAP
from labsim.core.rules import WEEKS_PER_MONTH

__all__ = ["RefundBand", "REFUND_BANDS", "refund_band_shares"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RefundBand:
    """One band of the refusionstrappe: the weeks of cumulative support after ``after_week`` up to and including
    ``up_to_week``."""

    name: str
    after_week: float
    up_to_week: float


REFUND_BANDS: tuple[RefundBand, ...] = (
    RefundBand(name="weeks_1_4", after_week=0.0, up_to_week=4.0),
    RefundBand(name="weeks_5_26", after_week=4.0, up_to_week=26.0),
    RefundBand(name="weeks_27_52", after_week=26.0, up_to_week=52.0),
    RefundBand(name="weeks_53_plus", after_week=52.0, up_to_week=float("inf")),
)
"""Refusionstrappe bands: 80 / 40 / 30 / 20 % refund in weeks 1–4, 5–26, 27–52 and 53+ of cumulative support
(Refusionsreform 2016, DOMAIN.md §3.1)."""


def refund_band_shares() -> npt.NDArray[np.float64]:
    """``(SUPPORT_MONTH_CAP + 1, n_bands)`` share of a person-month in each band, by cumulative month.

    Cumulative month ``m`` covers weeks ``((m − 1)·52/12, m·52/12]``; its person-month is split
    over the bands in proportion to the weeks of each band it covers. Row 0 (not on support) is 0;
    the last row stands for month 13 and later, all beyond week 52.
    """
    shares = np.zeros((SUPPORT_MONTH_CAP + 1, len(REFUND_BANDS)))
    for month in range(1, SUPPORT_MONTH_CAP + 1):
        low, high = (month - 1) * WEEKS_PER_MONTH, month * WEEKS_PER_MONTH
        for index, band in enumerate(REFUND_BANDS):
            covered = min(high, band.up_to_week) - max(low, band.after_week)
            shares[month, index] = max(0.0, covered) / WEEKS_PER_MONTH
    shares[SUPPORT_MONTH_CAP] = 0.0
    shares[SUPPORT_MONTH_CAP, -1] = 1.0
    return shares
