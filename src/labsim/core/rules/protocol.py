"""What the monthly step asks of a set of legal rules: the extension point between the step and the law.

The step knows no law. It calls a :class:`Rules` object, built against its catalogue, to gate the cell
hazards, to keep the counters the law needs, to force moves after the draws, to admit new persons and to
check the start population. A model without rules (a custom catalogue, :func:`labsim.markov_model`)
runs with none of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from labsim.core.population import Population

__all__ = ["Rules"]


class Rules(Protocol):
    """Legal rules applied in every month of a run, in this order: gate, begin, count, force (and admit).

    Attributes
    ----------
    fields:
        The population arrays the rules write (besides ``state`` and ``months_in_state``), so that a run
        copies them.
    counters:
        Those of :attr:`fields` that :meth:`seed` builds anew.
    """

    fields: tuple[str, ...]
    counters: tuple[str, ...]

    def gate(self, origin: int, hazards: npt.NDArray[np.float64], education: npt.NDArray[np.int8]) -> None:
        """Gate the hazards of one origin state's cells in place: ``(bands, age classes, profiles, flags,
        destinations)``, with ``education`` the education code of each profile."""

    def begin(self, month: int) -> None:
        """Prepare the month about to be stepped (dates, ages at ``month + 1``, random keys)."""

    def count(self, population: Population, part: slice, state: npt.NDArray[np.int8]) -> npt.NDArray[np.int8] | None:
        """Bring the counters of persons ``part`` up to date with the month they spend in ``state``; return
        each person's cumulative months on public support for the refund bands (0 where the month is not a
        municipal cost), or ``None`` when the rules keep no such count."""

    def force(self, population: Population, part: slice, state: npt.NDArray[np.int8], next_state: npt.NDArray[np.int8],
              waiting: npt.NDArray[np.bool_] | None) -> None:
        """Apply the forced moves to the drawn ``next_state`` of persons ``part`` (in place; the monthly step passes
        everyone at once). ``waiting`` marks persons waiting for the rehabiliteringsteam (``None`` without the
        events layer)."""

    def admit(self, arrivals: Mapping[str, npt.NDArray[Any]], month: int) -> None:
        """Make new persons (arrays by field name, ``state`` changed in place) obey the rules from their
        first month, ``month + 1``."""

    def check(self, population: Population, start: int) -> None:
        """Raise :class:`~labsim.errors.PopulationError` if the start population breaks a rule at ``start``."""

    def violation(self, population: Population, start: int) -> tuple[int, str] | None:
        """The position of the first person who breaks a rule at ``start`` and what is wrong, or ``None``."""

    def seed(self, population: Population, start: int) -> None:
        """Fill the counters of a population that came without them (from ``months_in_state``) at ``start``."""

    def hand_over(self, successor: Rules) -> bool:
        """Whether ``successor`` (the rules after a dated change) gates the hazards as these rules do, so that cell
        tables built under them still hold. Raise :class:`~labsim.errors.ModelError` if it cannot take over within
        a run, because the counters it needs differ from these rules' counters."""
