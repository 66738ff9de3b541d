"""One state of a catalogue and the gates on moves between states."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntFlag

__all__ = ["StateInfo", "Gate"]


class Gate(IntFlag):
    """How a move between two states may happen. A move with no gate is forbidden.

    A transition may carry several gates: a-dagpenge → kontanthjælp happens both by a hazard and by
    the exhaustion rule.
    """

    NONE = 0
    HAZARD = 1
    """An ordinary monthly hazard may carry people along this transition."""
    RULE = 2
    """A legal rule (a forced move) may carry people along this transition."""
    REHAB = 4
    """The move is a decision of the rehabiliteringsteam: a hazard that the events layer routes
    through the team's queue. Always combined with :attr:`HAZARD`."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StateInfo:
    """A labour-market or benefit state.

    Attributes
    ----------
    name:
        ASCII code name, ``snake_case`` (``"kontanthjaelp_jobparat"``).
    label_da, label_en:
        Danish and English labels for tables and plots.
    public_support:
        Whether jobindsats.dk counts the state as *offentlig forsørgelse* (DOMAIN.md §1.1, §4).
    groups:
        The state's group in each named grouping, e.g. ``{"hjoerring": "jobparate"}``. A state
        outside a grouping has no entry for it.
    """

    name: str
    label_da: str
    label_en: str
    public_support: bool = False
    groups: dict[str, str] = field(default_factory=dict)
