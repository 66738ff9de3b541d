"""Read a transition-model parameter file (TOML) into a :class:`~labsim.core.TransitionModel`.

A model file — or a patch, part of one merged over it — is first checked table by table
(:func:`model_problems`): every section, key and value of the right kind and within its bounds, each problem
named by its dotted path. The model built from the whole then checks what needs all of it (states and
transitions, duration bands against hazard lists, the legal rules together).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from labsim.core.balance import MULTIPLIER_RANGE, with_balance
from labsim.core.model import MAX_MONTHLY_HAZARD, CycleResponse, Effect, Hazard, TransitionModel
from labsim.core.pension import PensionSchedule
from labsim.core.population import MIN_AGE_YEARS
from labsim.core.rules import LegalRules
from labsim.core.synthesis import MAX_AGE_YEARS
from labsim.errors import LabsimError, ModelError
from labsim.io.text import (
    CALENDAR_MONTHS,
    MONTH_RULE,
    Problem,
    file_month,
    merge_tables,
    packaged_text,
    parse_toml,
    problems_line,
    read_text,
)
from labsim.states import StateCatalogue, danish_catalogue
from labsim.validation import number, whole

__all__ = ["read_model", "default_model", "model_from_dict", "model_problems", "merge_patch", "DEFAULT_MODEL_FILE",
           "MAX_MONTHLY_HAZARD", "MAX_HAZARD_RATIO", "MAX_ELASTICITY"]

DEFAULT_MODEL_FILE = "danish_model.toml"
_SECTIONS = {"meta", "rules", "pension", "ages", "duration_bands", "hazards", "effects", "cycle", "balance"}


MAX_HAZARD_RATIO = 100.0
"""The largest factor on a hazard a file may write — an attribute effect's ``multiplier``, an effort's
``effect``, a cycle index: a hundredfold change already moves nearly everyone in a month."""

MAX_ELASTICITY = 10.0
"""The largest elasticity (either sign) of a hazard to the cycle index; the cycle index raised to it stays
finite."""

_ROW_KEYS = {
    "pension": ({"born_from", "folkepension_age", "efterloen_age"}, {"source"}),
    "effects": ({"attribute", "level", "from", "to", "multiplier"}, {"source"}),
    "cycle": ({"from", "to", "elasticity"}, {"source"}),
    "balance": ({"band", "state", "into", "out_of"}, {"source"}),
}
"""Each list section's rows: the keys they must give and those they may."""


def _names(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ModelError(f"{where} must be a state name or a list of them; got {value!r}.")


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ModelError(f"[{key}] must be a table; got {value!r}.")
    return value


def model_problems(data: Any) -> list[Problem]:
    """What is wrong with the tables of a model file or a patch, each part on its own (a patch need not be a
    whole model): unknown sections and keys, values of the wrong kind, numbers out of bounds."""
    if not isinstance(data, dict):
        return [Problem("", "a model file is a TOML table")]
    problems = [Problem(key, f"is not a section of a model file; known: {', '.join(sorted(_SECTIONS))}")
                for key in data if key not in _SECTIONS]
    for key, check in _CHECKS.items():
        if key in data:
            problems += check(data[key], key)
    return problems


def _check_table(value: Any, where: str) -> list[Problem]:
    return [] if isinstance(value, dict) else [Problem(where, "must be a table", value)]


def _check_rules(value: Any, where: str) -> list[Problem]:
    if not isinstance(value, dict):
        return [Problem(where, "must be a table", value)]
    kinds = LegalRules.field_kinds()
    problems = []
    for key, rule in value.items():
        if key not in kinds:
            problems.append(Problem(f"{where}.{key}", f"is not a rule; known: {', '.join(sorted(kinds))}"))
        elif kinds[key] == "flag":
            if not isinstance(rule, bool):
                problems.append(Problem(f"{where}.{key}", "must be true or false", rule))
        elif kinds[key] == "whole":
            problems += _whole(rule, f"{where}.{key}", 0, CALENDAR_MONTHS)
        else:
            problems += _number(rule, f"{where}.{key}", 0, CALENDAR_MONTHS)
    return problems


def _check_pension(value: Any, where: str) -> list[Problem]:
    problems: list[Problem] = []
    for _, row, path in _rows(value, where, problems):
        if "born_from" in row:
            try:
                file_month(row["born_from"], f"{path}.born_from")
            except LabsimError:
                problems.append(Problem(f"{path}.born_from", MONTH_RULE, row["born_from"]))
        for key in ("folkepension_age", "efterloen_age"):
            if key in row:
                problems += _number(row[key], f"{path}.{key}", MIN_AGE_YEARS, MAX_AGE_YEARS)
    return problems


def _check_ages(value: Any, where: str) -> list[Problem]:
    if not isinstance(value, dict):
        return [Problem(where, "must be a table", value)]
    problems = [Problem(f"{where}.{key}", "is not a key of [ages]; known: cuts_years") for key in value
                if key != "cuts_years"]
    cuts = value.get("cuts_years", [])
    if not isinstance(cuts, list):
        return [*problems, Problem(f"{where}.cuts_years", "must be a list of ages in years", cuts)]
    for i, cut in enumerate(cuts):
        problems += _whole(cut, f"{where}.cuts_years[{i}]", MIN_AGE_YEARS + 1, MAX_AGE_YEARS)
    return problems


def _check_bands(value: Any, where: str) -> list[Problem]:
    if not isinstance(value, dict):
        return [Problem(where, "must be a table of state = [months at which a band starts]", value)]
    problems = []
    for state, starts in value.items():
        if not isinstance(starts, list) or not starts:
            problems.append(Problem(f"{where}.{state}", "must be a list of months at which a band starts", starts))
            continue
        for i, month in enumerate(starts):
            problems += _whole(month, f"{where}.{state}[{i}]", 0, CALENDAR_MONTHS)
    return problems


def _check_hazards(value: Any, where: str) -> list[Problem]:
    if not isinstance(value, dict):
        return [Problem(where, "must be a table of origin state = { destination = hazard }", value)]
    problems = []
    for origin, row in value.items():
        if not isinstance(row, dict):
            problems.append(Problem(f"{where}.{origin}", "must be a table of destination = hazard", row))
            continue
        for destination, monthly in row.items():
            path = f"{where}.{origin}.{destination}"
            if isinstance(monthly, list) and 0 < len(monthly) <= CALENDAR_MONTHS + 1:
                for j, hazard in enumerate(monthly):
                    problems += _number(hazard, f"{path}[{j}]", -math.inf, MAX_MONTHLY_HAZARD)
            elif isinstance(monthly, list):
                problems.append(Problem(path, f"must give 1 to {CALENDAR_MONTHS + 1} hazards (one per duration "
                                              f"band); got {len(monthly):,}"))
            else:
                problems += _number(monthly, path, -math.inf, MAX_MONTHLY_HAZARD,
                                    "must be a monthly hazard or a list of them (one per duration band)")
    return problems


def _check_effects(value: Any, where: str) -> list[Problem]:
    problems: list[Problem] = []
    for _, row, path in _rows(value, where, problems):
        problems += _check_names(row, path)
        for key in ("attribute", "level"):
            if key in row and not isinstance(row[key], str):
                problems.append(Problem(f"{path}.{key}", "must be a name (text)", row[key]))
        if "multiplier" in row:
            problems += _number(row["multiplier"], f"{path}.multiplier", -math.inf, MAX_HAZARD_RATIO)
    return problems


def _check_cycle(value: Any, where: str) -> list[Problem]:
    problems: list[Problem] = []
    for _, row, path in _rows(value, where, problems):
        problems += _check_names(row, path)
        if "elasticity" in row:
            problems += _number(row["elasticity"], f"{path}.elasticity", -MAX_ELASTICITY, MAX_ELASTICITY)
    return problems


def merge_patch(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """``patch``'s tables over ``base`` (:func:`~labsim.io.text.merge_tables`), but their ``[[balance]]`` rows
    together: each fit on a balanced model carries the balance it was fitted on top of, and a fit on top of a
    balanced fit adds its own."""
    merged = merge_tables(base, patch)
    if isinstance(base.get("balance"), list) and isinstance(patch.get("balance"), list):
        merged["balance"] = [*base["balance"], *patch["balance"]]
    return merged


def _check_balance(value: Any, where: str) -> list[Problem]:
    problems: list[Problem] = []
    low, high = MULTIPLIER_RANGE
    for _, row, path in _rows(value, where, problems):
        for key in ("band", "state"):
            if key in row and not isinstance(row[key], str):
                problems.append(Problem(f"{path}.{key}", "must be a name (text)", row[key]))
        for key in ("into", "out_of"):
            if key in row:
                problems += _number(row[key], f"{path}.{key}", low, high, f"must be a number in [{low:g}, {high:g}]")
    return problems


def _rows(value: Any, where: str, problems: list[Problem]) -> list[tuple[int, dict[str, Any], str]]:
    """The rows of a list section that are tables with the keys they need (``(index, row, path)``); a problem
    for each that is not, and for each unknown or missing key."""
    required, optional = _ROW_KEYS[where]
    if not isinstance(value, list):
        problems.append(Problem(where, f"must be a list of tables ([[{where}]])", value))
        return []
    rows = []
    for i, row in enumerate(value):
        path = f"{where}[{i}]"
        if not isinstance(row, dict):
            problems.append(Problem(path, "must be a table", row))
            continue
        problems += [Problem(f"{path}.{key}", f"is not a key of [[{where}]]; known: "
                                              f"{', '.join(sorted(required | optional))}")
                     for key in row if key not in required | optional]
        problems += [Problem(path, f"must give {key!r}") for key in sorted(required - set(row))]
        if "source" in row and not isinstance(row["source"], str):
            problems.append(Problem(f"{path}.source", "must be text", row["source"]))
        rows.append((i, row, path))
    return rows


def _check_names(row: dict[str, Any], path: str) -> list[Problem]:
    return [Problem(f"{path}.{key}", "must be a state name or a list of them", row[key]) for key in ("from", "to")
            if key in row and not (isinstance(row[key], str)
                                   or (isinstance(row[key], list) and all(isinstance(v, str) for v in row[key])))]


def _number(value: Any, where: str, low: float, high: float, rule: str = "") -> list[Problem]:
    """A problem unless ``value`` is a finite number in [``low``, ``high``] (``low = -inf``: the model itself
    judges the lower end, as for hazards ≥ 0 and multipliers > 0); ``rule`` words the problem instead."""
    problem = number(None if low == -math.inf else low, high).problem(value)
    if problem is not None and rule and number().problem(value) is not None:
        problem = rule  # not a number at all: the caller's words say what is wanted
    return [] if problem is None else [Problem(where, problem, value)]


def _whole(value: Any, where: str, low: int, high: int) -> list[Problem]:
    problem = whole(low, high).problem(value)
    return [] if problem is None else [Problem(where, problem, value)]


_CHECKS: dict[str, Callable[[Any, str], list[Problem]]] = {
    "meta": _check_table, "rules": _check_rules, "pension": _check_pension, "ages": _check_ages,
    "duration_bands": _check_bands, "hazards": _check_hazards, "effects": _check_effects, "cycle": _check_cycle,
    "balance": _check_balance,
}


def _rules(data: dict[str, Any]) -> LegalRules | None:
    if "rules" not in data:
        return None
    rows = data.get("pension")
    if not isinstance(rows, list) or not rows:
        raise ModelError("[[pension]] must list at least one row when [rules] is given; got none.")
    parsed = [(file_month(row["born_from"], f"pension[{i}].born_from"), float(row["folkepension_age"]),
               float(row["efterloen_age"])) for i, row in enumerate(rows)]
    return LegalRules(pension=PensionSchedule.from_years(parsed), **_table(data, "rules"))


def model_from_dict(data: dict[str, Any], catalogue: StateCatalogue | None = None) -> TransitionModel:
    """Build a model from the parsed contents of a model file; :class:`~labsim.errors.ModelError` listing the
    problems of its tables (:func:`model_problems`), or naming what the model as a whole breaks."""
    problems = model_problems(data)
    if problems:
        raise ModelError(str(problems[0]) if len(problems) == 1 else problems_line("", problems).removeprefix(": "))
    catalogue = catalogue or danish_catalogue()
    hazards = [Hazard(origin=origin, destination=destination,
                      monthly=tuple(float(v) for v in (monthly if isinstance(monthly, list) else [monthly])))
               for origin, row in _table(data, "hazards").items() for destination, monthly in row.items()]
    effects = [Effect(attribute=row["attribute"], level=row["level"], origins=_names(row["from"], f"effects[{i}].from"),
                      destinations=_names(row["to"], f"effects[{i}].to"), multiplier=float(row["multiplier"]),
                      source=str(row.get("source", ""))) for i, row in enumerate(data.get("effects", []))]
    cycle = [CycleResponse(origins=_names(row["from"], f"cycle[{i}].from"), destinations=_names(row["to"], f"cycle[{i}].to"),
                           elasticity=float(row["elasticity"]), source=str(row.get("source", "")))
             for i, row in enumerate(data.get("cycle", []))]
    model = TransitionModel.build(
        catalogue,
        hazards,
        duration_bands={name: list(value) for name, value in _table(data, "duration_bands").items()},
        effects=effects,
        cycle=cycle,
        age_cuts_years=list(_table(data, "ages").get("cuts_years", [])),
        rules=_rules(data),
    )
    return _balanced(model, data.get("balance", []))


def _balanced(model: TransitionModel, rows: list[dict[str, Any]]) -> TransitionModel:
    """``model`` with a balance's multipliers (``[[balance]]`` rows, as a calibration on a balanced model writes
    them): each row's band must be one of the model's age bands and its state one of the catalogue's. Rows for the
    same band and state multiply: a scenario's patches add their balances up (:func:`merge_patch`)."""
    if not rows:
        return model
    bands = model.ages.band_labels()
    into, out_of = np.ones((len(bands), model.n_states)), np.ones((len(bands), model.n_states))
    for i, row in enumerate(rows):
        if row["band"] not in bands:
            raise ModelError(f"balance[{i}].band must be one of the model's age bands {list(bands)}; got {row['band']!r}.")
        state = model.catalogue.code(row["state"], field=f"balance[{i}].state")
        band = bands.index(row["band"])
        into[band, state] *= float(row["into"])  # rows of stacked patches multiply (a fit on a balanced fit)
        out_of[band, state] *= float(row["out_of"])
    return with_balance(model, into, out_of)


def read_model(path: str | Path, catalogue: StateCatalogue | None = None) -> TransitionModel:
    """Read a model file; every error names the file, the entry, the rule and the bad value."""
    return _parse(read_text(path, "model file", ModelError), str(path), catalogue)


def _parse(text: str, name: str, catalogue: StateCatalogue | None) -> TransitionModel:
    data = parse_toml(text, name, ModelError)
    try:
        return model_from_dict(data, catalogue)
    except LabsimError as error:
        raise type(error)(f"{name}: {error}") from None


@cache
def default_model() -> TransitionModel:
    """labsim's default model of a Danish municipality (``labsim/data/danish_model.toml``).

    Its legal rules follow DOMAIN.md §2; its hazards and attribute effects are labelled
    assumptions, to be calibrated to a municipality's observed series.

    >>> model = default_model()
    >>> model.catalogue.name, model.catalogue.n_states
    ('danish', 19)
    >>> model.hazard.shape  # monthly hazards by (from, to, duration band)
    (19, 19, 4)
    """
    return _parse(packaged_text(DEFAULT_MODEL_FILE), DEFAULT_MODEL_FILE, None)
