"""Effort participation as the monthly step sees it: who takes part this month and what it does to their hazards.

The policy and events layers decide who takes part in which effort; the step only needs, for the
month, the positions of the participants and one multiplier matrix per combination of efforts.
Everyone else keeps the shared cell table, so a strategy costs work only for its participants.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from labsim.errors import ModelError

__all__ = ["Participation"]


@dataclass(frozen=True, slots=True, eq=False)
class Participation:
    """One month's effort participants and their hazard multipliers.

    Attributes
    ----------
    positions:
        Strictly increasing positions of the participants in the population, in this month's order.
    combination:
        For each position, the row of ``multipliers`` that applies (a combination of efforts and phases).
    multipliers:
        ``(n_combinations, n_states, n_states)`` non-negative multipliers of the monthly hazards
        (row = from, column = to); 1 leaves a transition as it is, 0 closes it.
    """

    positions: npt.NDArray[np.intp]
    combination: npt.NDArray[np.intp]
    multipliers: npt.NDArray[np.float64] = field(repr=False)

    def __post_init__(self) -> None:
        positions = np.asarray(self.positions, dtype=np.intp)
        combination = np.asarray(self.combination, dtype=np.intp)
        multipliers = np.asarray(self.multipliers, dtype=np.float64)
        if positions.shape != combination.shape or positions.ndim != 1:
            raise ModelError(f"participation positions and combination must be 1-D arrays of one length; got shapes "
                             f"{positions.shape} and {combination.shape}.")
        if positions.size > 1 and not bool(np.all(positions[1:] > positions[:-1])):
            i = int(np.flatnonzero(positions[1:] <= positions[:-1])[0])
            raise ModelError(f"participation positions must be strictly increasing; position {int(positions[i + 1])} "
                             f"follows {int(positions[i])}.")
        if multipliers.ndim != 3 or multipliers.shape[1] != multipliers.shape[2]:
            raise ModelError(f"participation multipliers must have shape (combinations, states, states); got {multipliers.shape}.")
        if combination.size and (int(combination.min()) < 0 or int(combination.max()) >= multipliers.shape[0]):
            raise ModelError(f"participation combination must index the {multipliers.shape[0]} multiplier matrices; "
                             f"got values {int(combination.min())}–{int(combination.max())}.")
        bad = ~np.isfinite(multipliers) | (multipliers < 0)
        if bad.any():
            raise ModelError(f"participation multipliers must be finite and ≥ 0; got {float(multipliers[bad][0])!r}.")
        object.__setattr__(self, "positions", positions)
        object.__setattr__(self, "combination", combination)
        object.__setattr__(self, "multipliers", multipliers)

    @property
    def n_participants(self) -> int:
        """Number of participants this month."""
        return len(self.positions)

    def within(self, start: int, stop: int) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
        """Participants at positions ``start … stop − 1``: their offsets from ``start`` and their combinations."""
        lo, hi = np.searchsorted(self.positions, (start, stop))
        return self.positions[lo:hi] - start, self.combination[lo:hi]
