"""Per-person flag bits and their effects on hazards (contact with a caseworker, a course, a queue)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from labsim.errors import ModelError
from labsim.states import Gate, StateCatalogue
from labsim.validation import number

__all__ = ["FlagEffects", "MAX_FLAG_BITS"]

MAX_FLAG_BITS = 4
"""At most this many flag bits shape hazards at once (each doubles the cell table)."""


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class FlagEffects:
    """What the flag bits of a person do to the person's hazards.

    Attributes
    ----------
    names:
        One name per bit, bit 0 first.
    log_effect:
        ``(n_bits, n_states, n_states)`` log-multipliers of each bit on each transition.
    hold_rehab:
        Bit mask: persons with any of these bits set draw no rehabiliteringsteam-gated move (they
        are already waiting for the team).
    extend_sickness:
        Bit mask: persons with any of these bits set are extended at the sygedagpenge revurdering
        (extension ground 4: waiting for the rehabiliteringsteam, DOMAIN.md §2.2).
    """

    names: tuple[str, ...]
    log_effect: npt.NDArray[np.float64] = field(repr=False)
    hold_rehab: int = 0
    extend_sickness: int = 0

    def __post_init__(self) -> None:
        if len(self.names) > MAX_FLAG_BITS:
            raise ModelError(f"at most {MAX_FLAG_BITS} flag bits can shape hazards; got {len(self.names)} ({', '.join(self.names)}).")
        effect = np.array(self.log_effect, dtype=np.float64)
        if effect.ndim != 3 or effect.shape[0] != len(self.names) or effect.shape[1] != effect.shape[2]:
            raise ModelError(f"flag log_effect must have shape (bits, states, states); got {effect.shape}.")
        if not np.all(np.isfinite(effect)):
            raise ModelError(f"flag log_effect must be finite; got {float(effect[~np.isfinite(effect)][0])!r}.")
        effect.setflags(write=False)
        object.__setattr__(self, "log_effect", effect)

    @property
    def n_bits(self) -> int:
        """Number of flag bits in use."""
        return len(self.names)

    @property
    def mask(self) -> int:
        """The bits in use."""
        return (1 << self.n_bits) - 1

    def bit(self, name: str) -> int:
        """The bit value (1, 2, 4 …) of a named flag."""
        try:
            return 1 << self.names.index(name)
        except ValueError:
            raise ModelError(f"flag must be one of {', '.join(self.names)}; got {name!r}.") from None

    @classmethod
    def build(
        cls,
        catalogue: StateCatalogue,
        effects: Sequence[tuple[str, Sequence[str], Sequence[str], float]],
        *,
        hold_rehab: Sequence[str] = (),
        extend_sickness: Sequence[str] = (),
    ) -> FlagEffects:
        """From ``(flag, origins, destinations, multiplier)`` entries; flags are numbered in order of first mention."""
        names: list[str] = []
        for flag, *_ in effects:
            if flag not in names:
                names.append(flag)
        for flag in (*hold_rehab, *extend_sickness):
            if flag not in names:
                names.append(flag)
        n = catalogue.n_states
        log_effect = np.zeros((len(names), n, n))
        allowed = catalogue.allowed_matrix(Gate.HAZARD)
        np.fill_diagonal(allowed, False)
        for i, (flag, origins, destinations, multiplier) in enumerate(effects):
            number(0.0, above=True)(multiplier, f"flag effect {i} ({flag}).multiplier", ModelError)
            mask = np.zeros((n, n), dtype=bool)
            mask[np.ix_(catalogue.codes(origins, field=f"flag effect {i} from"), catalogue.codes(destinations, field=f"flag effect {i} to"))] = True
            log_effect[names.index(flag)][mask & allowed] += np.log(multiplier)
        bits = {name: 1 << i for i, name in enumerate(names)}
        return cls(
            names=tuple(names),
            log_effect=log_effect,
            hold_rehab=sum(bits[f] for f in set(hold_rehab)),
            extend_sickness=sum(bits[f] for f in set(extend_sickness)),
        )
