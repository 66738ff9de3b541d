"""The state catalogue: which states exist, how they group, and which moves are allowed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from labsim.errors import ForbiddenTransitionError, UnknownStateError, ValidationError
from labsim.states.selection import select_states
from labsim.states.state import Gate, StateInfo

__all__ = ["StateCatalogue"]

_MAX_STATES = 127  # state codes are stored as int8


@dataclass(frozen=True, slots=True, eq=False)
class StateCatalogue:
    """An ordered set of states and the gates on every (from, to) pair.

    A state's *code* is its position in :attr:`states`; populations store codes as ``int8``.

    Parameters
    ----------
    name:
        Name of the catalogue (``"danish"`` for the built-in one).
    states:
        The states in code order.
    gates:
        ``(n_states, n_states)`` array of :class:`Gate` flags, row = from, column = to. The
        diagonal is ignored (staying is always allowed).
    """

    name: str
    states: tuple[StateInfo, ...]
    gates: npt.NDArray[np.int8] = field(repr=False)
    _codes: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        names = [state.name for state in self.states]
        if not names:
            raise ValidationError("catalogue.states must name at least one state; got none.")
        if len(names) > _MAX_STATES:
            raise ValidationError(f"catalogue.states may hold at most {_MAX_STATES} states; got {len(names)}.")
        seen: set[str] = set()
        for name in names:
            if not name.isidentifier() or not name.isascii():
                raise ValidationError(f"catalogue.states: a state name must be an ASCII identifier; got {name!r}.")
            if name in seen:
                raise ValidationError(f"catalogue.states: each state name must be unique; {name!r} appears twice.")
            seen.add(name)
        gates = np.asarray(self.gates, dtype=np.int8)
        if gates.shape != (len(names), len(names)):
            raise ValidationError(
                f"catalogue.gates must have shape ({len(names)}, {len(names)}); got {gates.shape}."
            )
        gates = gates.copy()
        np.fill_diagonal(gates, 0)
        gates.setflags(write=False)
        object.__setattr__(self, "gates", gates)
        object.__setattr__(self, "_codes", {name: code for code, name in enumerate(names)})

    # -- lookup ---------------------------------------------------------------------------------

    @property
    def n_states(self) -> int:
        """Number of states."""
        return len(self.states)

    @property
    def names(self) -> tuple[str, ...]:
        """State code names in code order."""
        return tuple(state.name for state in self.states)

    def __len__(self) -> int:
        return len(self.states)

    def __contains__(self, name: object) -> bool:
        return name in self._codes

    def code(self, name: str | int, *, field: str = "state") -> int:
        """Return the code of a state given by name (or a code, which is checked).

        Raises :class:`~labsim.errors.UnknownStateError` naming ``field`` and the bad value.
        """
        if isinstance(name, int | np.integer) and not isinstance(name, bool):
            if 0 <= int(name) < self.n_states:
                return int(name)
            raise UnknownStateError(
                f"{field} must be a state code from 0 to {self.n_states - 1} of catalogue {self.name!r}; got {name!r}."
            )
        try:
            return self._codes[name]  # type: ignore[index]
        except (KeyError, TypeError):
            raise UnknownStateError(
                f"{field} must name a state of catalogue {self.name!r} ({', '.join(self.names)}); got {name!r}."
            ) from None

    def codes(self, names: Iterable[str | int], *, field: str = "states") -> tuple[int, ...]:
        """Codes of several states; ``"*"`` alone stands for every state."""
        items = list(names) if not isinstance(names, str) else [names]
        if items == ["*"]:
            return tuple(range(self.n_states))
        return tuple(self.code(item, field=f"{field}[{i}]") for i, item in enumerate(items))

    def info(self, name: str | int) -> StateInfo:
        """The :class:`StateInfo` of a state."""
        return self.states[self.code(name)]

    # -- transitions ----------------------------------------------------------------------------

    def gate(self, origin: str | int, destination: str | int) -> Gate:
        """The gates on the move ``origin → destination``."""
        return Gate(int(self.gates[self.code(origin, field="from"), self.code(destination, field="to")]))

    def allows(self, origin: str | int, destination: str | int, via: Gate = Gate.HAZARD) -> bool:
        """Whether ``origin → destination`` may happen by ``via`` (a hazard by default)."""
        return bool(self.gate(origin, destination) & via)

    def allowed_matrix(self, via: Gate = Gate.HAZARD | Gate.RULE) -> npt.NDArray[np.bool_]:
        """``(n_states, n_states)`` booleans: may the move happen by any of ``via``? Diagonal true."""
        allowed = (self.gates & np.int8(int(via))) != 0
        np.fill_diagonal(allowed, True)
        return allowed

    def check_transition(self, origin: str | int, destination: str | int, *, field: str, via: Gate = Gate.HAZARD) -> None:
        """Raise :class:`~labsim.errors.ForbiddenTransitionError` unless the move may happen by ``via``."""
        o = self.code(origin, field=f"{field}.from")
        d = self.code(destination, field=f"{field}.to")
        names = f"{self.names[o]!r} → {self.names[d]!r}"
        if o == d:
            raise ForbiddenTransitionError(f"{field}: a transition must change state; got {names}.")
        if not self.allows(o, d, via):
            how = "by a monthly hazard" if via == Gate.HAZARD else f"by {via!r}"
            raise ForbiddenTransitionError(
                f"{field}: the catalogue {self.name!r} does not allow {names} {how} (gates: {self.gate(o, d)!r})."
            )

    # -- groups ---------------------------------------------------------------------------------

    def groupings(self) -> tuple[str, ...]:
        """Names of the groupings any state belongs to (``"hjoerring"``, ``"broenderslev"`` …)."""
        found: dict[str, None] = {}
        for state in self.states:
            for grouping in state.groups:
                found.setdefault(grouping)
        return tuple(found)

    def group_of(self, grouping: str) -> tuple[str | None, ...]:
        """Each state's group in ``grouping`` (``None`` where the state is outside it)."""
        if grouping == "public_support":
            return tuple("public_support" if s.public_support else None for s in self.states)
        if grouping not in self.groupings():
            choices = ", ".join(("public_support", *self.groupings()))
            raise ValidationError(f"grouping must be one of {choices}; got {grouping!r}.")
        return tuple(state.groups.get(grouping) for state in self.states)

    def members(self, measure: str) -> list[str] | None:
        """The states of ``measure``, a selection in the grammar of :func:`labsim.states.selection.select_states`
        (a state, ``"public_support"``, a group as ``"grouping:group"`` or a bare group, or such parts joined by
        ``+``); ``None`` when it names no states, for a caller that tries other meanings (a money item) before it
        reports the error :func:`~labsim.states.selection.select_states` gives.

        >>> from labsim.states import danish_catalogue
        >>> danish_catalogue().members("sygedagpenge+jobafklaring")
        ['sygedagpenge', 'jobafklaring']
        >>> danish_catalogue().members("permanente")  # the same group in both groupings
        ['fleksjob', 'foertidspension', 'seniorpension']
        >>> danish_catalogue().members("kontanthjaelp") is None
        True
        """
        try:
            codes = select_states(self, measure, field="measure")
        except UnknownStateError:
            return None
        return [self.names[code] for code in codes]

    @classmethod
    def from_transitions(
        cls,
        name: str,
        states: Sequence[StateInfo],
        transitions: Mapping[tuple[str, str], Gate],
    ) -> StateCatalogue:
        """Build a catalogue from ``{(from, to): gate}``; unlisted moves are forbidden."""
        codes = {state.name: code for code, state in enumerate(states)}
        gates = np.zeros((len(states), len(states)), dtype=np.int8)
        for (origin, destination), gate in transitions.items():
            for end, label in ((origin, "from"), (destination, "to")):
                if end not in codes:
                    raise UnknownStateError(f"catalogue {name!r}: transition {label} state {end!r} is not a state.")
            gates[codes[origin], codes[destination]] |= np.int8(int(gate))
        return cls(name, tuple(states), gates)
