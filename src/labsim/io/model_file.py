"""Read a transition-model parameter file (TOML) into a :class:`~labsim.core.TransitionModel`."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from labsim.calendar import parse_month
from labsim.core.model import CycleResponse, Effect, Hazard, TransitionModel
from labsim.core.pension import PensionSchedule
from labsim.core.rules import LegalRules
from labsim.errors import LabsimError, ModelError
from labsim.io.text import packaged_text, parse_toml, read_text
from labsim.states import StateCatalogue, danish_catalogue

__all__ = ["read_model", "default_model", "DEFAULT_MODEL_FILE"]

DEFAULT_MODEL_FILE = "danish_model.toml"
_SECTIONS = {"meta", "rules", "pension", "ages", "duration_bands", "hazards", "effects", "cycle"}


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


def _rules(data: dict[str, Any]) -> LegalRules | None:
    if "rules" not in data:
        return None
    rows = data.get("pension")
    if not isinstance(rows, list) or not rows:
        raise ModelError("[[pension]] must list at least one row when [rules] is given; got none.")
    parsed = []
    for i, row in enumerate(rows):
        unknown = set(row) - {"born_from", "folkepension_age", "efterloen_age", "source"}
        if unknown:
            raise ModelError(f"pension[{i}] has unknown keys {sorted(unknown)}.")
        try:
            parsed.append((parse_month(row["born_from"], field=f"pension[{i}].born_from"),
                           float(row["folkepension_age"]), float(row["efterloen_age"])))
        except KeyError as missing:
            raise ModelError(f"pension[{i}] must give {missing.args[0]!r}.") from None
    rules = dict(_table(data, "rules"))
    fields = set(LegalRules.__dataclass_fields__) - {"pension"}
    unknown = set(rules) - fields
    if unknown:
        raise ModelError(f"[rules] has unknown keys {sorted(unknown)}; known: {', '.join(sorted(fields))}.")
    return LegalRules(pension=PensionSchedule.from_years(parsed), **rules)


def model_from_dict(data: dict[str, Any], catalogue: StateCatalogue | None = None) -> TransitionModel:
    """Build a model from the parsed contents of a model file."""
    unknown = set(data) - _SECTIONS
    if unknown:
        raise ModelError(f"unknown sections {sorted(unknown)}; known: {', '.join(sorted(_SECTIONS))}.")
    catalogue = catalogue or danish_catalogue()
    hazards = []
    for origin, row in _table(data, "hazards").items():
        if not isinstance(row, dict):
            raise ModelError(f"hazards.{origin} must be a table of destination = hazard; got {row!r}.")
        for destination, monthly in row.items():
            values = monthly if isinstance(monthly, list) else [monthly]
            if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
                raise ModelError(f"hazards.{origin}.{destination} must be a number or a list of numbers; got {monthly!r}.")
            hazards.append(Hazard(origin=origin, destination=destination, monthly=tuple(float(v) for v in values)))
    effects = []
    for i, row in enumerate(data.get("effects", [])):
        try:
            effects.append(Effect(attribute=str(row["attribute"]), level=str(row["level"]),
                                  origins=_names(row["from"], f"effects[{i}].from"),
                                  destinations=_names(row["to"], f"effects[{i}].to"),
                                  multiplier=float(row["multiplier"]), source=str(row.get("source", ""))))
        except KeyError as missing:
            raise ModelError(f"effects[{i}] must give {missing.args[0]!r}.") from None
    cycle = []
    for i, row in enumerate(data.get("cycle", [])):
        try:
            cycle.append(CycleResponse(origins=_names(row["from"], f"cycle[{i}].from"),
                                       destinations=_names(row["to"], f"cycle[{i}].to"),
                                       elasticity=float(row["elasticity"]), source=str(row.get("source", ""))))
        except KeyError as missing:
            raise ModelError(f"cycle[{i}] must give {missing.args[0]!r}.") from None
    bands = _table(data, "duration_bands")
    ages = _table(data, "ages")
    return TransitionModel.build(
        catalogue,
        hazards,
        duration_bands={name: list(value) for name, value in bands.items()},
        effects=effects,
        cycle=cycle,
        age_cuts_years=[int(v) for v in ages.get("cuts_years", [])],
        rules=_rules(data),
    )


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
