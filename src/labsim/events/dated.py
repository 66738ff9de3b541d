"""Calendar events: rules that change at a date, and shocks to the business cycle."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from labsim.calendar import MonthLike, month_label, parse_month
from labsim.core.macro import MacroPath
from labsim.core.model import TransitionModel
from labsim.core.rules import LegalRules
from labsim.errors import ModelError
from labsim.states import StateCatalogue

__all__ = ["Events", "RuleChange", "MacroShock", "Alignment", "danish_calendar"]


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


@dataclass(frozen=True, slots=True, eq=False)
class Alignment:
    """From ``at`` on, the hazards into each state are multiplied by ``exp(log_effect)`` more, by age band (``(age
    bands, states)``, added to the model's :attr:`~labsim.core.TransitionModel.inflow_log_effect`): one year's step
    of an alignment to an external path (:func:`labsim.simulation.alignment.align`)."""

    at: int
    name: str
    log_effect: npt.NDArray[np.float64] = field(repr=False)
    source: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", parse_month(self.at, field=f"alignment {self.name!r}.at"))
        array = np.array(self.log_effect, dtype=np.float64)
        if array.ndim != 2 or not np.all(np.isfinite(array)):
            raise ModelError(f"alignment {self.name!r}.log_effect must be a finite (age bands, states) array.")
        array.setflags(write=False)
        object.__setattr__(self, "log_effect", array)

    def apply(self, model: TransitionModel) -> TransitionModel:
        """The model with the step's multipliers on the hazards into each state."""
        if self.log_effect.shape != model.inflows.shape:
            raise ModelError(f"alignment {self.name!r} has {self.log_effect.shape} multipliers; the model's age bands "
                             f"and states need {model.inflows.shape}.")
        return replace(model, inflow_log_effect=model.inflows + self.log_effect)


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


@dataclass(frozen=True, slots=True, kw_only=True)
class Events:
    """What happens at dates in a run: rule changes and macro shocks, each at its month.

    (What depends on capacity — caseworker teams, the rehabiliteringsteam, course intakes — is the
    :class:`~labsim.events.Jobcenter`'s.)
    """

    calendar: tuple[RuleChange | MacroShock | Alignment, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "calendar", tuple(self.calendar))
        for i, event in enumerate(self.calendar):
            if not isinstance(event, RuleChange | MacroShock | Alignment):
                raise ModelError(f"events.calendar[{i}] must be a RuleChange, a MacroShock or an Alignment; got "
                                 f"{type(event).__name__}"
                                 " (a team's caseworkers over time are CaseworkerTeam.changes).")

    def check(self, months: range, catalogue: StateCatalogue | None = None) -> None:
        """Raise :class:`~labsim.errors.ModelError` for an event dated outside the run."""
        first, last = months.start, months.stop - 1
        for event in self.calendar:
            if not first <= event.at <= last:
                raise ModelError(f"event {event.name!r} is dated {month_label(event.at)}, outside the run "
                                 f"({month_label(first)} to {month_label(last)}).")


def danish_calendar(
    model: TransitionModel, start: MonthLike | None = None, end: MonthLike | None = None
) -> tuple[RuleChange, ...]:
    """The dated rule changes of DOMAIN.md §2, those from ``start`` to ``end`` when given.

    - The COVID-19 suspensions of a-dagpenge consumption: months from 1 March to 31 August 2020 and from
      1 January to 30 June 2021 do not count towards the 2 years (lov om arbejdsløshedsforsikring § 55 stk. 7;
      lov nr. 274 af 26.3.2020, nr. 473 af 22.4.2020, nr. 960 af 26.6.2020, nr. 57 af 19.1.2021, nr. 877 af
      12.5.2021). The 225-hour rule's look-back was extended in the same periods; labsim does not model that
      rule (docs/model.md).
    - The COVID-19 extensions of the sygedagpenge right, March 2020 to June 2021: almost nobody moved into
      jobafklaring (DOMAIN.md §2.2). Modelled as an extension probability of 0.95 (an assumption for
      "almost nobody") and no extension ending at its limit, back to the model's rules from July 2021.
    - Bedre ressourceforløb (lov nr. 1160 af 8.6.2021, DOMAIN.md §2.3): at most 3 years per forløb started from
      1 January 2022 (a forløb granted before keeps the earlier limit: an assumption, the transition rules
      were not found), and no new forløb within 6 years of folkepension age unless the person asks (the hazard
      × 0.1, an assumption for "unless asked").
    """
    if model.rules is None:
        raise ModelError("danish_calendar needs a model with legal rules.")
    rules = model.rules
    first = parse_month(start, field="start") if start is not None else None
    last = parse_month(end, field="end") if end is not None else None
    dagpenge = "lov om arbejdsløshedsforsikring § 55 stk. 7"
    changes = (
        RuleChange("2020-03", "COVID-19: a-dagpenge consumption suspended", {"dagpenge_consumption_suspended": True},
                   source=f"{dagpenge}; lov nr. 274 af 26.3.2020, extended by nr. 473 and nr. 960 of 2020"),
        RuleChange("2020-03", "COVID-19: sygedagpenge extended",
                   {"extension_probability": 0.95, "extension_limits_suspended": True},
                   source="DOMAIN.md §2.2 (lov nr. 275 af 26.3.2020 and later laws); 0.95 is an assumption"),
        RuleChange("2020-09", "COVID-19: a-dagpenge consumption counts again",
                   {"dagpenge_consumption_suspended": rules.dagpenge_consumption_suspended}, source=dagpenge),
        RuleChange("2021-01", "COVID-19: a-dagpenge consumption suspended again", {"dagpenge_consumption_suspended": True},
                   source=f"{dagpenge}; lov nr. 57 af 19.1.2021, extended to 30 June 2021 by nr. 877 af 12.5.2021"),
        RuleChange("2021-07", "COVID-19 suspensions and extensions end",
                   {"dagpenge_consumption_suspended": rules.dagpenge_consumption_suspended,
                    "extension_probability": rules.extension_probability,
                    "extension_limits_suspended": rules.extension_limits_suspended},
                   source="DOMAIN.md §2.1, §2.2"),
        RuleChange("2022-01", "Bedre ressourceforløb: at most 3 years, none near folkepension age",
                   {"ressourceforloeb_max_months": 36,
                    "ressourceforloeb_earlier_max_months": rules.ressourceforloeb_max_months,
                    "ressourceforloeb_max_from": parse_month("2022-01"),
                    "ressourceforloeb_near_pension_factor": 0.1},
                   source="DOMAIN.md §2.3 (lov nr. 1160 af 8.6.2021; LAB § 112 stk. 3); keeping the earlier limit for "
                          "forløb granted before 2022 and the factor 0.1 are assumptions"),
    )
    in_force = _in_force_at(first, changes, rules) if first is not None else ()
    return in_force + tuple(c for c in changes if (first is None or c.at >= first) and (last is None or c.at <= last))


def _in_force_at(first: int, changes: tuple[RuleChange, ...], rules: LegalRules) -> tuple[RuleChange, ...]:
    """The changes dated before ``first`` that still hold then, as one change at ``first`` (a run that starts
    inside a suspension starts suspended)."""
    held: dict[str, Any] = {}
    for change in changes:
        if change.at < first:
            held.update(change.changes)
    held = {name: value for name, value in held.items() if getattr(rules, name) != value}
    if not held:
        return ()
    names = ", ".join(c.name for c in changes if c.at < first and set(c.changes) & set(held))
    return (RuleChange(first, "rules in force at the start", held, source=f"earlier dated changes: {names}"),)
