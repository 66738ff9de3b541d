"""Duration bands: hazards are piecewise constant in the months spent in a state."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from labsim.errors import ModelError
from labsim.states import StateCatalogue

__all__ = ["DurationBands"]


@dataclass(frozen=True, slots=True)
class DurationBands:
    """For each state, the months in state at which each duration band starts.

    ``starts[s] == (0, 6, 12)`` gives state ``s`` three bands: months 0–5, 6–11 and 12 onwards.
    """

    starts: tuple[tuple[int, ...], ...]

    def __post_init__(self) -> None:
        for code, bands in enumerate(self.starts):
            if not bands or bands[0] != 0:
                raise ModelError(f"duration_bands[{code}] must start at month 0; got {list(bands)}.")
            if any(b <= a for a, b in zip(bands, bands[1:], strict=False)):
                raise ModelError(f"duration_bands[{code}] must be strictly increasing months; got {list(bands)}.")
            if bands[-1] > 32767:
                raise ModelError(f"duration_bands[{code}] must start before month 32768; got {bands[-1]}.")

    @property
    def n_bands(self) -> int:
        """Number of bands of the state with the most (the width of the hazard array)."""
        return max(len(bands) for bands in self.starts)

    @property
    def longest_start(self) -> int:
        """The latest band start over all states: durations beyond it need no finer look-up."""
        return max(bands[-1] for bands in self.starts)

    def band_lookup(self) -> npt.NDArray[np.int16]:
        """``(n_states, longest_start + 1)`` table of ``state · n_bands + band`` by capped duration."""
        width = self.longest_start + 1
        table = np.empty((len(self.starts), width), dtype=np.int16)
        months = np.arange(width)
        for code, bands in enumerate(self.starts):
            table[code] = code * self.n_bands + np.searchsorted(np.asarray(bands), months, side="right") - 1
        return table

    def labels(self, code: int) -> tuple[str, ...]:
        """Readable labels (``'0-5'``, ``'6-11'``, ``'12+'``) of one state's bands."""
        bands = self.starts[code]
        ends = [f"{b - 1}" for b in bands[1:]] + [""]
        return tuple(f"{a}-{e}" if e else f"{a}+" for a, e in zip(bands, ends, strict=True))

    @classmethod
    def build(
        cls, catalogue: StateCatalogue, by_state: Mapping[str, Sequence[int]] | None = None, default: Sequence[int] = (0,)
    ) -> DurationBands:
        """Bands per state name; states not named get ``default``."""
        by_state = dict(by_state or {})
        for name in by_state:
            catalogue.code(name, field=f"duration_bands.{name}")
        return cls(tuple(tuple(int(m) for m in by_state.get(name, default)) for name in catalogue.names))
