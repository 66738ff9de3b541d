"""Shares: non-negative fractions that sum to 1."""

from __future__ import annotations

from collections.abc import Mapping

from labsim.errors import ValidationError
from labsim.validation import probability

__all__ = ["check_shares", "SHARE_TOLERANCE"]

SHARE_TOLERANCE = 1e-6
"""How far from 1 a sum of shares may be (rounding in files)."""


def check_shares(shares: Mapping[str, float], where: str, error: type[ValidationError] = ValidationError) -> None:
    """Raise ``error`` naming ``where`` unless every share lies in [0, 1] and they sum to 1."""
    for key, value in shares.items():
        probability()(value, f"{where}.{key}", error)
    total = float(sum(shares.values()))
    if abs(total - 1.0) > SHARE_TOLERANCE:
        raise error(f"{where} must sum to 1; got {total:.6g} ({dict(shares)}).")
