"""The state refund bands by cumulative time on public support (DOMAIN.md §3.1)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from labsim.core.ledger import SUPPORT_MONTH_CAP
from labsim.core.rules import WEEKS_PER_MONTH

__all__ = ["REFUND_BANDS", "refund_band_shares"]

REFUND_BANDS: tuple[tuple[str, float, float], ...] = (
    ("weeks_1_4", 0.0, 4.0),
    ("weeks_5_26", 4.0, 26.0),
    ("weeks_27_52", 26.0, 52.0),
    ("weeks_53_plus", 52.0, float("inf")),
)
"""Refusionstrappe bands ``(name, after_week, up_to_week)``: 80 / 40 / 30 / 20 % refund in weeks
1–4, 5–26, 27–52 and 53+ of cumulative support (Refusionsreform 2016, DOMAIN.md §3.1)."""


def refund_band_shares() -> npt.NDArray[np.float64]:
    """``(SUPPORT_MONTH_CAP + 1, n_bands)`` share of a person-month in each band, by cumulative month.

    Cumulative month ``m`` covers weeks ``((m − 1)·52/12, m·52/12]``; its person-month is split
    over the bands in proportion to the weeks of each band it covers. Row 0 (not on support) is 0;
    the last row stands for month 13 and later, all beyond week 52.
    """
    shares = np.zeros((SUPPORT_MONTH_CAP + 1, len(REFUND_BANDS)))
    for month in range(1, SUPPORT_MONTH_CAP + 1):
        low, high = (month - 1) * WEEKS_PER_MONTH, month * WEEKS_PER_MONTH
        for band, (_, after, up_to) in enumerate(REFUND_BANDS):
            shares[month, band] = max(0.0, min(high, up_to) - max(low, after)) / WEEKS_PER_MONTH
    shares[SUPPORT_MONTH_CAP] = 0.0
    shares[SUPPORT_MONTH_CAP, -1] = 1.0
    return shares
