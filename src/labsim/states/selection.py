"""How states are named wherever a measure counts some: one grammar for targets, observed series, comparisons and
figures.

A *selection* is one or more parts joined by ``+``; each part is

- a state of the catalogue (``"sygedagpenge"``);
- ``"public_support"``: every state jobindsats.dk counts as public support;
- a group of a grouping, written ``"grouping:group"`` (``"broenderslev:permanente"``);
- a bare group name (``"jobparate"``), when every grouping that has a group of that name puts the same states
  in it (``"permanente"`` is one group in the Hjørring and the Brønderslev grouping alike).

A state's name comes before a group of the same name. The states come in the order the parts name them, each
once.

>>> from labsim.states import danish_catalogue
>>> catalogue = danish_catalogue()
>>> [catalogue.names[c] for c in select_states(catalogue, "sygedagpenge+jobafklaring")]
['sygedagpenge', 'jobafklaring']
>>> [catalogue.names[c] for c in select_states(catalogue, "broenderslev:permanente")]
['fleksjob', 'foertidspension', 'seniorpension']
>>> select_states(catalogue, "kontanthjaelp", field="target 'kh'.states[0]")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
labsim.errors.UnknownStateError: target 'kh'.states[0] must name states of catalogue 'danish': ...
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from labsim.errors import UnknownStateError

if TYPE_CHECKING:
    from labsim.states.catalogue import StateCatalogue

__all__ = ["select_states", "PUBLIC_SUPPORT", "SELECTION_RULE"]

PUBLIC_SUPPORT = "public_support"
"""The part that stands for every state on public support."""

SELECTION_RULE = ("a state, 'public_support', a group as 'grouping:group' or a bare group name, or such parts "
                  "joined by '+'")
"""The grammar in words, as it follows "must be"."""


def select_states(catalogue: StateCatalogue, selection: str, *, field: str = "states") -> tuple[int, ...]:
    """The codes of the states ``selection`` names (see the module); a part that names none raises
    :class:`~labsim.errors.UnknownStateError` naming ``field``, the part, and what it could have been."""
    if not isinstance(selection, str) or not selection:
        raise UnknownStateError(f"{field} must name states of catalogue {catalogue.name!r}: {SELECTION_RULE}; "
                                f"got {selection!r}.")
    chosen: dict[int, None] = {}
    for part in selection.split("+"):
        codes, problem = _part(catalogue, part.strip())
        if problem:
            raise UnknownStateError(f"{field} must name states of catalogue {catalogue.name!r}: {SELECTION_RULE}; "
                                    f"got {selection!r}: {problem}.")
        chosen.update(dict.fromkeys(codes))
    return tuple(chosen)


def _part(catalogue: StateCatalogue, part: str) -> tuple[list[int], str]:
    """The codes of one part, or an empty list and why it names none."""
    if part in catalogue:
        return [catalogue.code(part)], ""
    if part == PUBLIC_SUPPORT:
        return [code for code, state in enumerate(catalogue.states) if state.public_support], ""
    groupings = catalogue.groupings()
    if ":" in part:
        grouping, _, group = part.partition(":")
        if grouping not in groupings:
            return [], f"{part!r} names no grouping of the catalogue ({', '.join(groupings) or 'it has none'})"
        labels = catalogue.group_of(grouping)
        codes = [code for code, label in enumerate(labels) if label == group]
        if not codes:
            known = ", ".join(dict.fromkeys(label for label in labels if label is not None))
            return [], f"grouping {grouping!r} has no group {group!r} (its groups: {known})"
        return codes, ""
    found = {grouping: tuple(c for c, label in enumerate(catalogue.group_of(grouping)) if label == part)
             for grouping in groupings}
    found = {grouping: codes for grouping, codes in found.items() if codes}
    if len(set(found.values())) > 1:
        written = " or ".join(f"'{grouping}:{part}'" for grouping in found)
        return [], f"{part!r} is a group of {' and '.join(found)} with other states in each; write {written}"
    if found:
        return list(next(iter(found.values()))), ""
    groups = [f"{grouping}:{label}" for grouping in groupings
              for label in dict.fromkeys(label for label in catalogue.group_of(grouping) if label is not None)]
    return [], (f"{part!r} is no state ({', '.join(catalogue.names)}) and no group "
                f"({', '.join(groups) or 'the catalogue has none'})")
