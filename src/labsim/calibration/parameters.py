"""What a calibration fits: multipliers on groups of the model's hazards.

A :class:`HazardMultiplier` scales some monthly hazards of the model by one positive factor ``θ``, each
hazard by ``θ ** power``. Its moves are written ``"from->to"``, with ``*`` for every state on one side:

- ``{"kontanthjaelp_aktivitetsparat->*": 1}``: every exit of aktivitetsparat kontanthjælp (faster or
  slower exits);
- ``{"kontanthjaelp_jobparat->*": 0.5, "*->kontanthjaelp_jobparat": -0.5}``: a factor split evenly into
  faster exits and fewer entries, which moves the stock without making stays implausibly short;
- ``{"education->kontanthjaelp_jobparat": 1}``: one move (under 30 and unqualified the model's youth
  rule makes it uddannelseshjælp).

A move the model has no hazard for, or a state the catalogue lacks, is a
:class:`~labsim.errors.CalibrationError` naming the parameter and the move.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from labsim.core import TransitionModel
from labsim.errors import CalibrationError

__all__ = ["HazardMultiplier", "apply_multipliers", "as_parameters"]

DEFAULT_BOUNDS = (0.02, 50.0)
"""Range of a multiplier unless given: a fifty-fold change either way (an assumption: wide enough for any
municipality's deviation from the default model, narrow enough to keep hazards finite)."""


@dataclass(frozen=True, slots=True)
class HazardMultiplier:
    """One factor to fit on some of the model's hazards.

    Attributes
    ----------
    name:
        How results, tables and the fitted file call it.
    moves:
        ``"from->to"`` (``*`` for every state on a side) → power: each hazard of the move is multiplied by
        ``factor ** power``. A plain string or a list means power 1 for each.
    low, high:
        Bounds of the factor (positive; the fit works on its logarithm).
    initial:
        Where the fit starts.
    source:
        Why this factor is fitted (shown in the fitted file).

    Examples
    --------
    >>> import labsim
    >>> kh = HazardMultiplier("kh_akt", "kontanthjaelp_aktivitetsparat->*")  # every exit, power 1
    >>> kh.moves, kh.low, kh.high
    ({'kontanthjaelp_aktivitetsparat->*': 1.0}, 0.02, 50.0)
    >>> model = labsim.default_model()
    >>> int(kh.powers(model).sum())  # the default model has ten exits from aktivitetsparat kontanthjælp
    10
    >>> faster = apply_multipliers(model, [kh], [1.5])
    >>> code = model.catalogue.code
    >>> float(faster.hazard[code("kontanthjaelp_aktivitetsparat"), code("employed"), 0]
    ...       / model.hazard[code("kontanthjaelp_aktivitetsparat"), code("employed"), 0])
    1.5
    """

    name: str
    moves: Mapping[str, float] = field(default_factory=dict)
    low: float = DEFAULT_BOUNDS[0]
    high: float = DEFAULT_BOUNDS[1]
    initial: float = 1.0
    source: str = ""

    def __init__(self, name: str, moves: str | Sequence[str] | Mapping[str, float], *, low: float = DEFAULT_BOUNDS[0],
                 high: float = DEFAULT_BOUNDS[1], initial: float = 1.0, source: str = "") -> None:
        where = f"parameter {name!r}"
        if not isinstance(name, str) or not name:
            raise CalibrationError(f"a parameter needs a name (a non-empty string); got {name!r}.")
        if isinstance(moves, str):
            moves = {moves: 1.0}
        elif not isinstance(moves, Mapping):
            moves = dict.fromkeys(moves, 1.0)
        if not moves:
            raise CalibrationError(f"{where}: moves must name at least one 'from->to'; got none.")
        for move, power in moves.items():
            if not isinstance(move, str) or move.count("->") != 1:
                raise CalibrationError(f"{where}: a move is written 'from->to' ('*' for every state); got {move!r}.")
            if isinstance(power, bool) or not isinstance(power, int | float) or not np.isfinite(power) or power == 0:
                raise CalibrationError(f"{where}: the power of move {move!r} must be a non-zero number; got {power!r}.")
        for label, value in (("low", low), ("high", high), ("initial", initial)):
            if isinstance(value, bool) or not isinstance(value, int | float) or not np.isfinite(value) or value <= 0:
                raise CalibrationError(f"{where}: {label} must be a positive number; got {value!r}.")
        if not low < high:
            raise CalibrationError(f"{where}: low {low!r} must be below high {high!r}.")
        if not low <= initial <= high:
            raise CalibrationError(f"{where}: initial {initial!r} must lie within [{low!r}, {high!r}].")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "moves", {str(k): float(v) for k, v in moves.items()})
        object.__setattr__(self, "low", float(low))
        object.__setattr__(self, "high", float(high))
        object.__setattr__(self, "initial", float(initial))
        object.__setattr__(self, "source", source)

    def powers(self, model: TransitionModel) -> npt.NDArray[np.float64]:
        """``(n_states, n_states)`` power of the factor on each (from, to) hazard of ``model``; a move the model
        has no hazard for raises :class:`~labsim.errors.CalibrationError`."""
        names = model.catalogue.names
        present = model.hazard.max(axis=2) > 0
        out = np.zeros((len(names), len(names)))
        for move, power in self.moves.items():
            origin, _, destination = (part.strip() for part in move.partition("->"))
            mask = np.ones_like(present)
            for side, state, axis in (("from", origin, 0), ("to", destination, 1)):
                if state == "*":
                    continue
                if state not in names:
                    raise CalibrationError(f"parameter {self.name!r}: move {move!r} names {state!r} as its {side} state, "
                                           f"which the model does not have; its states are {', '.join(names)}.")
                chosen = np.zeros(len(names), bool)
                chosen[names.index(state)] = True
                mask &= chosen[:, None] if axis == 0 else chosen[None, :]
            if not (mask & present).any():
                raise CalibrationError(f"parameter {self.name!r}: the model has no hazard for move {move!r}, so there "
                                       "is nothing to fit.")
            out[mask & present] += power
        return out


def as_parameters(parameters: HazardMultiplier | Sequence[HazardMultiplier]) -> tuple[HazardMultiplier, ...]:
    """The parameters as a tuple, checked for unique names."""
    chosen = (parameters,) if isinstance(parameters, HazardMultiplier) else tuple(parameters)
    if not chosen:
        raise CalibrationError("a calibration needs at least one parameter to fit; got none.")
    for parameter in chosen:
        if not isinstance(parameter, HazardMultiplier):
            raise CalibrationError(f"parameters must be labsim.calibration.HazardMultiplier; got {type(parameter).__name__}.")
    names = [p.name for p in chosen]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise CalibrationError(f"parameter names must be unique; got {twice} more than once.")
    return chosen


def apply_multipliers(model: TransitionModel, parameters: Sequence[HazardMultiplier],
                      factors: Sequence[float] | npt.NDArray[np.float64]) -> TransitionModel:
    """``model`` with each parameter's hazards multiplied by its factor (to its powers)."""
    log = np.zeros(model.hazard.shape[:2])
    for parameter, factor in zip(parameters, factors, strict=True):
        log += parameter.powers(model) * np.log(float(factor))
    if not log.any():
        return model
    return replace(model, hazard=model.hazard * np.exp(log)[:, :, None])
