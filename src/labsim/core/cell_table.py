"""The cell table: persons who share state, duration band, age class and profile share their hazards.

Each month the model turns into one small table over cells: the quantised probability of staying
(for the dense 16-bit draw) and the cumulative probabilities of each destination for movers. Work
per month is O(cells × states) here and O(persons) in the step, never a loop over persons.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from labsim.core.attributes import ATTRIBUTES, N_PROFILES, profile_levels
from labsim.core.flags import FlagEffects
from labsim.core.model import TransitionModel
from labsim.core.rules import Rules
from labsim.states import Gate
from labsim.validation import one_of, optional

__all__ = ["CellLayout", "CellTable", "GroupBy", "GROUPINGS", "build_table", "competing_risks"]


class GroupBy(StrEnum):
    """What stocks and flows can be counted by (``group_by``; ``None``: one group ``"all"``); a plain string such
    as ``"sex"`` does as well."""

    AGE_BAND = "age_band"
    SEX = "sex"
    EDUCATION = "education"
    ORIGIN = "origin"


GROUPINGS: tuple[GroupBy, ...] = tuple(GroupBy)
"""Person groups that stocks and flows can be counted by (besides ``None``, one group ``"all"``)."""

_WORD = 65536  # values of a 16-bit word


@dataclass(frozen=True, slots=True, eq=False)
class CellLayout:
    """How a person's (state, duration band, age class, profile) combine into one cell index.

    ``cell = (((state · n_bands + band) · n_age_classes + age_class) · n_profiles + profile) · n_flags + flags``;
    a dimension the model does not use has size 1 and costs nothing in the step.
    """

    n_states: int
    n_bands: int
    n_age_classes: int
    n_profiles: int
    n_flags: int
    group_by: str | None
    group_labels: tuple[str, ...]
    cell_state: npt.NDArray[np.intp]
    cell_group: npt.NDArray[np.intp]

    @property
    def n_cells(self) -> int:
        """Number of cells."""
        return self.n_states * self.n_bands * self.n_age_classes * self.n_profiles * self.n_flags

    @property
    def n_groups(self) -> int:
        """Number of person groups."""
        return len(self.group_labels)

    @classmethod
    def for_model(cls, model: TransitionModel, group_by: GroupBy | str | None = None, flag_bits: int = 0) -> CellLayout:
        """The layout a model needs, widened by the dimension ``group_by`` (a :class:`GroupBy`) counts on and by
        ``flag_bits`` flag bits."""
        group_by = optional(one_of(GroupBy))(group_by, "group_by")
        group_by = None if group_by is None else GroupBy(group_by).value  # the plain text: population's field name
        use_age = model.uses_age or group_by == GroupBy.AGE_BAND
        use_profile = model.uses_profile or group_by in ATTRIBUTES
        n_ages = model.ages.n_classes if use_age else 1
        n_profiles = N_PROFILES if use_profile else 1
        shape = (model.n_states, model.bands.n_bands, n_ages, n_profiles, 1 << flag_bits)
        state, _, age_class, profile, _ = (axis.ravel() for axis in np.indices(shape))
        if group_by is None:
            labels: tuple[str, ...] = ("all",)
            group = np.zeros_like(state)
        elif group_by == GroupBy.AGE_BAND:
            labels = model.ages.band_labels()
            group = model.ages.band_of_class()[age_class]
        else:
            column = list(ATTRIBUTES).index(group_by)
            labels = tuple(member.name.lower() for member in ATTRIBUTES[group_by])
            group = profile_levels()[:, column].astype(np.intp)[profile]
        return cls(*shape, group_by, labels, state.astype(np.intp), group.astype(np.intp))


@dataclass(frozen=True, slots=True, eq=False)
class CellTable:
    """One month's probabilities per cell.

    Attributes
    ----------
    stay_probability:
        ``(n_cells,)`` probability of staying put this month, ``exp(-Σ_d λ_d)``.
    thresholds:
        ``(n_cells,)`` ``uint16`` ``min(floor(stay · 65536), 65535)``: a 16-bit word below it stays,
        above it moves.
    tie_fraction:
        ``(n_cells,)`` ``stay · 65536 − threshold``: a word equal to the threshold stays when an
        independent uniform falls below this, which makes the 16-bit draw exact.
    destination_cumulative:
        ``(n_cells, n_states)`` cumulative probability of each destination given a move; a mover
        with uniform ``u`` goes to the first state whose value exceeds ``u``.
    hazards:
        ``(n_cells, n_states)`` the monthly hazards the probabilities come from, kept when a run has
        efforts (``None`` otherwise): effort participants' probabilities are recomputed from them times
        their effort multipliers.
    """

    stay_probability: npt.NDArray[np.float64]
    thresholds: npt.NDArray[np.uint16]
    tie_fraction: npt.NDArray[np.float64]
    destination_cumulative: npt.NDArray[np.float64]
    hazards: npt.NDArray[np.float64] | None = None


def competing_risks(
    hazards: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Rows of monthly hazards ``(n, n_states)`` → stay probability, 16-bit threshold, tie fraction and
    cumulative destination probabilities (DESIGN.md §2): stay ``exp(−Σλ)``, destination ``d`` with
    probability ``λ_d / Σλ`` given a move. The threshold is returned as float64 (exact integers)."""
    total = hazards.sum(axis=1)
    stay = np.exp(-total)
    with np.errstate(invalid="ignore", divide="ignore"):
        conditional = np.where(total[:, None] > 0, hazards / total[:, None], 0.0)
    cumulative = np.cumsum(conditional, axis=1)
    n_states = hazards.shape[1]
    last = n_states - 1 - np.argmax(conditional[:, ::-1] > 0, axis=1)
    cumulative[np.arange(n_states)[None, :] >= last[:, None]] = 1.0
    scaled = stay * _WORD
    thresholds = np.minimum(np.floor(scaled), _WORD - 1)
    return stay, thresholds, scaled - thresholds, cumulative


def cell_hazards(
    model: TransitionModel, layout: CellLayout, cycle_index: float = 1.0, flags: FlagEffects | None = None
) -> npt.NDArray[np.float64]:
    """``(n_states, n_bands, n_age_classes, n_profiles, n_flags, n_states)`` monthly hazards of every cell."""
    gates = _Gates(model, layout, flags)
    return np.stack([_origin_hazards(model, layout, origin, cycle_index, flags, gates) for origin in range(model.n_states)])


class _Gates:
    """What the gates need, computed once per table."""

    def __init__(self, model: TransitionModel, layout: CellLayout, flags: FlagEffects | None) -> None:
        self.combos = np.arange(layout.n_flags)
        self.flag_log = None
        if flags is not None and layout.n_flags > 1:
            bits = (self.combos[:, None] >> np.arange(flags.n_bits)[None, :]) & 1  # (F, bits)
            self.flag_log = np.einsum("fb,bsd->fsd", bits, flags.log_effect)  # (F, S, S)
        self.hold = self.combos[(self.combos & flags.hold_rehab) != 0] if flags is not None and layout.n_flags > 1 else []
        self.rehab = (model.catalogue.gates & np.int8(int(Gate.REHAB))) != 0
        self.allowed = model.catalogue.allowed_matrix(Gate.HAZARD)
        # The legal rules gate the hazards; they need each profile's education.
        self.rules: Rules | None = model.rules.bind(model.catalogue, model.ages) if model.rules is not None else None
        self.education = (profile_levels()[:, 1] if layout.n_profiles > 1 else np.zeros(1, np.int8)).astype(np.int8)
        # A balance's multipliers on the hazards into each state, after the gates, per age class.
        self.inflow = (np.exp(model.inflows[model.ages.band_of_class()]) if layout.n_age_classes > 1
                       and np.any(model.inflows != 0) else None)


def _origin_hazards(
    model: TransitionModel, layout: CellLayout, origin: int, cycle_index: float, flags: FlagEffects | None, gates: _Gates
) -> npt.NDArray[np.float64]:
    """``(n_bands, n_age_classes, n_profiles, n_flags, n_states)`` hazards of the cells of one origin state."""
    log = np.zeros((1, layout.n_age_classes, layout.n_profiles, layout.n_flags, model.n_states))
    if layout.n_age_classes > 1:
        log += model.age_log_effect[model.ages.band_of_class(), origin][None, :, None, None, :]
    if layout.n_profiles > 1:
        log += model.profile_log_effect[:, origin][None, None, :, None, :]
    if cycle_index != 1.0:
        log += model.cycle_elasticity[origin] * np.log(cycle_index)
    if gates.flag_log is not None:
        log += gates.flag_log[:, origin][None, None, None, :, :]
    hazards = model.hazard[origin].T[:, None, None, None, :] * np.exp(log)  # (B, A, P, F, S)
    for combo in gates.hold:
        hazards[:, :, :, combo, :] *= ~gates.rehab[origin]
    if gates.rules is not None:
        gates.rules.gate(origin, hazards, gates.education)
    if gates.inflow is not None:
        hazards *= gates.inflow[None, :, None, None, :]
    return hazards


def build_table(
    model: TransitionModel, layout: CellLayout, cycle_index: float = 1.0, flags: FlagEffects | None = None,
    *, keep_hazards: bool = False,
) -> CellTable:
    """Turn the cell hazards into one month's competing-risk probabilities (DESIGN.md §2).

    Built one origin state at a time, so the temporaries stay a fraction of the table; the hazards
    themselves are kept only when ``keep_hazards`` (a run with efforts needs them).
    """
    n_states = model.n_states
    per_origin = layout.n_cells // n_states
    stay = np.empty(layout.n_cells)
    thresholds = np.empty(layout.n_cells)
    tie_fraction = np.empty(layout.n_cells)
    cumulative = np.empty((layout.n_cells, n_states))
    hazards = np.empty((layout.n_cells, n_states)) if keep_hazards else None
    gates = _Gates(model, layout, flags)
    for origin in range(n_states):
        rows = slice(origin * per_origin, (origin + 1) * per_origin)
        block = _origin_hazards(model, layout, origin, cycle_index, flags, gates).reshape(per_origin, n_states)
        if hazards is not None:
            hazards[rows] = block
        stay[rows], thresholds[rows], tie_fraction[rows], cumulative[rows] = competing_risks(block)
    return CellTable(
        stay_probability=stay,
        thresholds=thresholds.astype(np.uint16),
        tie_fraction=tie_fraction,
        destination_cumulative=cumulative,
        hazards=hazards,
    )
