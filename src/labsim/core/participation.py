"""Participation as the monthly step sees it: who is served this month and what it does to their hazards.

The policy and events layers decide who is served — by an effort, a caseworker team, a course —;
the step only needs, for the month, the positions of the participants and one multiplier matrix per
combination of what serves them. Everyone else keeps the shared cell table, so a strategy costs work
only for its participants. Each server hands back a :class:`Served` for the month;
:meth:`Participation.combine` joins them (a person served twice gets the product).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from labsim.errors import ModelError

__all__ = ["Participation", "Served"]


@dataclass(frozen=True, slots=True, eq=False)
class Served:
    """What one server (an effort runner, a caseworker team, a course) hands the step for a month.

    Attributes
    ----------
    positions:
        Positions of the persons served in the population (any order; a position may repeat in
        different slots).
    slots:
        For each position, which of ``matrices`` applies to it (a phase, a dose).
    matrices:
        ``(n_slots, n_states, n_states)`` hazard multipliers.
    """

    positions: npt.NDArray[np.intp]
    slots: npt.NDArray[np.int64]
    matrices: npt.NDArray[np.float64] = field(repr=False)


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

    @classmethod
    def combine(cls, served: list[Served]) -> Participation | None:
        """One row per person served: the combination of slots each is in, and its product of multipliers.

        A combination is a bit set over all servers' slots, kept as 64-bit words so any number fits;
        ``None`` when nobody is served.
        """
        served = [s for s in served if s.positions.size]
        if not served:
            return None
        offsets = np.cumsum([0] + [s.matrices.shape[0] for s in served])
        positions = np.concatenate([s.positions for s in served]).astype(np.intp)
        slots = np.concatenate([s.slots.astype(np.int64) + offset for s, offset in zip(served, offsets, strict=False)])
        matrices = np.concatenate([s.matrices for s in served])
        order = np.argsort(positions, kind="stable")
        positions, slots = positions[order], slots[order]
        starts = np.flatnonzero(np.r_[True, positions[1:] != positions[:-1]])
        if len(starts) == len(positions):  # nobody served twice: each slot is its own combination
            used, combination = np.unique(slots, return_inverse=True)
            return cls(positions, combination.reshape(-1).astype(np.intp), matrices[used])
        n_words = matrices.shape[0] // 64 + 1
        bits = np.zeros((len(slots), n_words), np.uint64)
        bits[np.arange(len(slots)), slots // 64] = np.uint64(1) << (slots % 64).astype(np.uint64)
        keys = np.bitwise_or.reduceat(bits, starts, axis=0)
        rows = np.ascontiguousarray(keys).view(np.dtype((np.void, 8 * n_words))).reshape(-1)
        _, first, combination = np.unique(rows, return_index=True, return_inverse=True)
        combinations = keys[first]  # (C, words)
        multipliers = np.ones((len(combinations), matrices.shape[1], matrices.shape[2]))
        for slot in range(matrices.shape[0]):
            member = ((combinations[:, slot // 64] >> np.uint64(slot % 64)) & np.uint64(1)).astype(bool)
            if member.any():
                multipliers[member] *= matrices[slot]
        return cls(positions[starts], combination.reshape(-1).astype(np.intp), multipliers)
