"""A strategy: a named set of efforts, derived from others by taking efforts out, swapping or adding them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from labsim.errors import LabsimError, ValidationError
from labsim.paths import set_fields
from labsim.policy.effort import EffortLike, check_names
from labsim.policy.spec import EffortSpec

__all__ = ["Strategy"]


@dataclass(frozen=True, slots=True, init=False)
class Strategy:
    """A named set of efforts, in order; names are unique. A built-in's spec (``library.IPS(effect=1.6)``) is built
    into its effort (:meth:`~labsim.policy.spec.EffortSpec.build`).

    >>> from labsim.policy import library
    >>> base = Strategy("hjoerring", [library.HjoerringCaseload(), library.IPS()])
    >>> base.names
    ('hjoerring_caseload', 'ips')
    >>> base.without("ips").names
    ('hjoerring_caseload',)
    >>> (base + Strategy("more", [library.Voksenlaerling()])).names
    ('hjoerring_caseload', 'ips', 'voksenlaerling')
    >>> base.with_efforts(library.Voksenlaerling()).name  # derived names say what changed
    'hjoerring-with-voksenlaerling'
    >>> base.without("ips", name="without-ips").name
    'without-ips'
    """

    name: str
    efforts: tuple[EffortLike, ...]

    def __init__(self, name: str, efforts: Iterable[EffortLike | EffortSpec] = ()) -> None:
        if not isinstance(name, str) or not name:
            raise LabsimError(f"a strategy needs a name; got {name!r}.")
        items = tuple(effort.build() if isinstance(effort, EffortSpec) else effort for effort in efforts)
        for i, effort in enumerate(items):
            if not isinstance(effort, EffortLike):
                raise LabsimError(f"strategy {name!r}.efforts[{i}] must be an effort (a name and a plan method); "
                                  f"got {type(effort).__name__}.")
        check_names(items, f"strategy {name!r}")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "efforts", items)

    @property
    def names(self) -> tuple[str, ...]:
        """The efforts' names."""
        return tuple(effort.name for effort in self.efforts)

    def __iter__(self) -> Iterator[EffortLike]:
        return iter(self.efforts)

    def __len__(self) -> int:
        return len(self.efforts)

    def __getitem__(self, name: str) -> EffortLike:
        for effort in self.efforts:
            if effort.name == name:
                return effort
        raise LabsimError(f"strategy {self.name!r} has no effort {name!r}; it has {', '.join(self.names) or 'none'}.")

    def __add__(self, other: object) -> Strategy:
        if not isinstance(other, Strategy):
            return NotImplemented
        return self.combined(other)

    def _known(self, names: Iterable[str]) -> None:
        for name in names:
            self[name]

    def without(self, *names: str, name: str | None = None) -> Strategy:
        """This strategy without the named efforts (each must be in it)."""
        if not names:
            raise LabsimError(f"strategy {self.name!r}.without needs at least one effort name.")
        self._known(names)
        return Strategy(name or f"{self.name}-without-{'-'.join(names)}",
                        [effort for effort in self.efforts if effort.name not in names])

    def with_value(self, path: Sequence[str], value: Any) -> Strategy:
        """The strategy with a value of one of its efforts set (:func:`labsim.paths.set_path`):
        ``efforts.<effort name or index>.<knob or field>…``; the strategy keeps its name."""
        if len(path) < 3 or path[0] != "efforts":
            raise ValidationError(f"strategy {self.name!r}: a path into a strategy is efforts.<effort>.<knob>; got "
                                  f"{'.'.join(path)!r}.")
        return Strategy(self.name, set_fields(self.efforts, path[1:], value))

    def replace(self, *efforts: EffortLike | EffortSpec, name: str | None = None) -> Strategy:
        """This strategy with efforts swapped for new ones of the same name (each must be in it); named
        ``"<name>-changed-<efforts>"`` unless ``name`` is given."""
        if not efforts:
            raise LabsimError(f"strategy {self.name!r}.replace needs at least one effort.")
        self._known(effort.name for effort in efforts)
        new = {effort.name: effort.build() if isinstance(effort, EffortSpec) else effort for effort in efforts}
        return Strategy(name or f"{self.name}-changed-{'-'.join(new)}", [new.get(effort.name, effort) for effort in self.efforts])

    def with_efforts(self, *efforts: EffortLike | EffortSpec, name: str | None = None) -> Strategy:
        """This strategy with more efforts (new names); named ``"<name>-with-<efforts>"`` unless ``name`` is given."""
        return Strategy(name or f"{self.name}-with-{'-'.join(e.name for e in efforts)}", [*self.efforts, *efforts])

    def combined(self, *others: Strategy, name: str | None = None) -> Strategy:
        """This strategy's efforts followed by the others'; a name in two of them is an error."""
        return Strategy(name or "+".join([self.name, *(other.name for other in others)]),
                        [effort for strategy in (self, *others) for effort in strategy.efforts])

    def renamed(self, name: str) -> Strategy:
        """The same efforts under another name."""
        return Strategy(name, self.efforts)
