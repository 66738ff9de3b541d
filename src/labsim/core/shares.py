"""Shares: non-negative fractions that sum to 1."""

from __future__ import annotations

from collections.abc import Mapping

from labsim.errors import ValidationError

__all__ = ["check_shares", "SHARE_TOLERANCE"]

SHARE_TOLERANCE = 1e-6
"""How far from 1 a sum of shares may be (rounding in files)."""


def check_shares(shares: Mapping[str, float], where: str, error: type[ValidationError] = ValidationError) -> None:
    """Raise ``error`` naming ``where`` unless every share lies in [0, 1] and they sum to 1."""
    for key, value in shares.items():
        if not isinstance(value, int | float) or isinstance(value, bool) or not 0.0 <= value <= 1.0:
            raise error(f"{where}.{key} must be a share in [0, 1]; got {value!r}.")
    total = float(sum(shares.values()))
    if abs(total - 1.0) > SHARE_TOLERANCE:
        raise error(f"{where} must sum to 1; got {total:.6g} ({dict(shares)}).")
