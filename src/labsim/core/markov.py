"""A custom catalogue with a constant monthly transition matrix, in one call."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from labsim.core.model import Hazard, TransitionModel
from labsim.errors import ModelError
from labsim.states import Gate, StateCatalogue, StateInfo

__all__ = ["markov_model", "hazards_from_probabilities"]

_SMALLEST_STAY = 1e-300  # a row that leaves surely gets a finite, overwhelming hazard


def hazards_from_probabilities(probabilities: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Monthly hazards whose competing-risk probabilities are exactly ``probabilities``.

    With ``p_stay = P[s, s]`` the total hazard is ``-ln p_stay`` and each destination gets the
    share ``P[s, d] / (1 - p_stay)`` of it, which inverts ``p_d = (1 - e^{-Σλ}) λ_d / Σλ``.
    """
    matrix = np.asarray(probabilities, dtype=np.float64)
    stay = np.clip(np.diag(matrix), _SMALLEST_STAY, 1.0)
    leave = 1.0 - stay
    total = -np.log(stay)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(leave[:, None] > 0, matrix / leave[:, None], 0.0)
    hazards = share * total[:, None]
    np.fill_diagonal(hazards, 0.0)
    return hazards


def markov_model(state_names: Sequence[str], monthly_probabilities: npt.ArrayLike, *, name: str = "markov") -> TransitionModel:
    """A model with its own catalogue and a constant monthly transition matrix (row = from).

    Moves with a positive probability are allowed, all others forbidden; there are no rules,
    duration bands or attribute effects, so simulated stocks follow ``x0 · P^t`` exactly in
    expectation.

    >>> model = markov_model(["working", "unemployed"], [[0.95, 0.05], [0.30, 0.70]])
    >>> model.catalogue.names
    ('working', 'unemployed')
    >>> model.catalogue.allows("working", "unemployed"), model.rules is None
    (True, True)
    """
    names = [str(n) for n in state_names]
    matrix = np.asarray(monthly_probabilities, dtype=np.float64)
    n = len(names)
    if matrix.shape != (n, n):
        raise ModelError(f"monthly_probabilities must be a {n}×{n} matrix (one row per state); got shape {matrix.shape}.")
    bad = np.argwhere(~np.isfinite(matrix) | (matrix < 0) | (matrix > 1))
    if bad.size:
        i, j = bad[0]
        raise ModelError(f"monthly_probabilities[{i}][{j}] ({names[i]} → {names[j]}) must lie in [0, 1]; got {float(matrix[i, j])!r}.")
    sums = matrix.sum(axis=1)
    off = np.flatnonzero(np.abs(sums - 1.0) > 1e-9)
    if off.size:
        raise ModelError(f"monthly_probabilities row {off[0]} ({names[off[0]]}) must sum to 1; got {float(sums[off[0]])!r}.")
    states = [StateInfo(name=s, label_da=s, label_en=s) for s in names]
    transitions = {(names[i], names[j]): Gate.HAZARD for i in range(n) for j in range(n) if i != j and matrix[i, j] > 0}
    catalogue = StateCatalogue.from_transitions(name, states, transitions)
    hazards = hazards_from_probabilities(matrix)
    specs = [
        Hazard(origin=names[i], destination=names[j], monthly=(float(hazards[i, j]),), source="markov_model matrix")
        for i in range(n) for j in range(n) if i != j and matrix[i, j] > 0
    ]
    return TransitionModel.build(catalogue, specs)
