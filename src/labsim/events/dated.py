"""Calendar events: rules that change at a date, and shocks to the business cycle."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

from labsim.calendar import MonthLike, parse_month
from labsim.core.macro import MacroPath
from labsim.core.model import TransitionModel
from labsim.core.rules import LegalRules
from labsim.errors import ModelError

__all__ = ["RuleChange", "MacroShock", "TeamChange", "danish_calendar"]


@dataclass(frozen=True, slots=True)
class RuleChange:
    """From ``at`` on, the legal rules take the values in ``changes`` (field names of :class:`~labsim.core.LegalRules`)."""

    at: int
    name: str
    changes: Mapping[str, Any]
    source: str = ""

    def __init__(self, at: MonthLike, name: str, changes: Mapping[str, Any], source: str = "") -> None:
        known = {f.name for f in fields(LegalRules)} - {"pension"}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ModelError(f"rule change {name!r}: unknown rules {unknown}; known: {', '.join(sorted(known))}.")
        object.__setattr__(self, "at", parse_month(at, field=f"rule change {name!r}.at"))
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "changes", dict(changes))
        object.__setattr__(self, "source", source)

    def apply(self, model: TransitionModel) -> TransitionModel:
        """The model with the changed rules (checked like any rules)."""
        if model.rules is None:
            raise ModelError(f"rule change {self.name!r} needs a model with legal rules.")
        return replace(model, rules=replace(model.rules, **self.changes))


@dataclass(frozen=True, slots=True)
class MacroShock:
    """From ``at`` on, the cycle index follows ``values`` (one per month; the last value holds after)."""

    at: int
    name: str
    values: tuple[float, ...] = field(default=())
    source: str = ""

    def __init__(self, at: MonthLike, name: str, values: Sequence[float], source: str = "") -> None:
        month = parse_month(at, field=f"macro shock {name!r}.at")
        MacroPath(month, values)  # validates the values
        object.__setattr__(self, "at", month)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "values", tuple(float(v) for v in values))
        object.__setattr__(self, "source", source)

    def path(self) -> MacroPath:
        """The shock as a cycle path starting at its date."""
        return MacroPath(self.at, self.values)


@dataclass(frozen=True, slots=True)
class TeamChange:
    """From ``at`` on, caseworker team ``team`` has ``fte`` caseworkers: an effort that starts (from 0),
    ramps up (several changes) or stops (to 0)."""

    at: int
    team: str
    fte: float
    name: str = ""

    def __init__(self, at: MonthLike, team: str, fte: float, name: str = "") -> None:
        if not isinstance(fte, int | float) or isinstance(fte, bool) or fte < 0 or fte != fte:
            raise ModelError(f"team change of {team!r}: fte must be a non-negative number of caseworkers; got {fte!r}.")
        object.__setattr__(self, "at", parse_month(at, field=f"team change of {team!r}.at"))
        object.__setattr__(self, "team", team)
        object.__setattr__(self, "fte", float(fte))
        object.__setattr__(self, "name", name or f"{team}: {fte:g} caseworkers")


def danish_calendar(
    model: TransitionModel, start: MonthLike | None = None, end: MonthLike | None = None
) -> tuple[RuleChange, ...]:
    """The dated rule changes of DOMAIN.md §2, those from ``start`` to ``end`` when given.

    - The COVID-19 extensions of the sygedagpenge right, March 2020 to June 2021: almost nobody moved into
      jobafklaring (DOMAIN.md §2.2). Modelled as an extension probability of 0.95 (an assumption for
      "almost nobody"), back to the model's value from July 2021.
    - Bedre ressourceforløb: at most 3 years per forløb from 1 January 2022 (DOMAIN.md §2.3).
    """
    if model.rules is None:
        raise ModelError("danish_calendar needs a model with legal rules.")
    normal = model.rules.extension_probability
    first = parse_month(start, field="start") if start is not None else None
    last = parse_month(end, field="end") if end is not None else None
    changes = (
        RuleChange("2020-03", "COVID-19: sygedagpenge extended", {"extension_probability": 0.95},
                   source="DOMAIN.md §2.2 (lov nr. 275 af 26.3.2020 and later laws); 0.95 is an assumption"),
        RuleChange("2021-07", "COVID-19 extensions end", {"extension_probability": normal}, source="DOMAIN.md §2.2"),
        RuleChange("2022-01", "Bedre ressourceforløb: at most 3 years", {"ressourceforloeb_max_months": 36},
                   source="DOMAIN.md §2.3 (lov nr. 1160 af 8.6.2021)"),
    )
    return tuple(c for c in changes if (first is None or c.at >= first) and (last is None or c.at <= last))

