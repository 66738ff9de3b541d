"""Read life tables (CSV) and the ``[demography]`` section of a municipality profile."""

from __future__ import annotations

import csv
import io as _io
from pathlib import Path
from typing import Any

import numpy as np

from labsim.core.demography import Arrivals, Demography
from labsim.core.life_table import LifeTable
from labsim.core.synthesis import MAX_AGE_YEARS, MAX_INHABITANTS, parse_age_band
from labsim.errors import LabsimError, ModelError
from labsim.io.text import FileTree, absolute, packaged_text, read_text, shown
from labsim.states import danish_catalogue
from labsim.validation import number

__all__ = ["read_life_table", "default_life_table", "demography_from_dict"]

_MAX_AGE = 110
_ARRIVAL_KEYS = {"per_year", "age_years", "state_shares", "education_shares", "origin_shares", "male_share", "source"}
_DEMOGRAPHY_KEYS = {"life_table", "births_per_year", "entry", "emigration", "immigration", "refugees", "sources"}


def _parse_life_table(text: str, name: str) -> LifeTable:
    rows = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(_io.StringIO("\n".join(rows)))
    if reader.fieldnames is None or not {"age", "women", "men"} <= set(reader.fieldnames):
        raise ModelError(f"{name}: a life table needs the columns age, women, men; got {reader.fieldnames}.")
    ages, women, men = [], [], []
    for line, row in enumerate(reader, start=2):
        try:
            ages.append(int(row["age"]))
            women.append(float(row["women"]))
            men.append(float(row["men"]))
        except (TypeError, ValueError):
            raise ModelError(f"{name} row {line}: age must be a whole number and women, men probabilities; got "
                             f"{shown(dict(row))}.") from None
        if len(ages) > MAX_AGE_YEARS + 1:
            raise ModelError(f"{name}: a life table gives ages 0 to at most {MAX_AGE_YEARS}; got more rows.")
    if ages != list(range(len(ages))):
        raise ModelError(f"{name}: ages must run 0, 1, 2, … without gaps; got {ages[:5]}….")
    comments = " ".join(line.lstrip("# ").strip() for line in text.splitlines() if line.lstrip().startswith("#"))
    try:
        return LifeTable(death_probability=np.array([women, men]), source=comments or name)
    except LabsimError as error:
        raise ModelError(f"{name}: {error}") from None


def read_life_table(path: str | Path) -> LifeTable:
    """Read a life table CSV (columns ``age, women, men``: one-year death probabilities; ``#`` comments)."""
    return _parse_life_table(read_text(path, "life table", ModelError), str(path))


def default_life_table() -> LifeTable:
    """labsim's default Danish life table (see ``calibration/life_table/make_life_table.py`` for its source)."""
    return _parse_life_table(packaged_text("danish_life_table.csv"), "danish_life_table.csv")


def _number(value: Any, where: str, high: float) -> float:
    """``value`` when it is a number in [0, ``high``]; :class:`~labsim.errors.ModelError` naming ``where``."""
    return float(number(0, high)(value, where, ModelError))


def _shares_table(data: dict[str, Any], key: str, where: str, states: bool = False) -> None:
    """Raise unless ``data[key]`` (if given) is a table of name = share (of states, with ``states``)."""
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ModelError(f"{where}.{key} must be a table of name = share; got {shown(value)}.")
    for name, share in value.items():
        _number(share, f"{where}.{key}.{name}", 1.0)
        if states and name not in danish_catalogue():
            raise ModelError(f"{where}.{key}.{name} is not a state; known: {', '.join(danish_catalogue().names)}.")


def _arrivals(data: Any, where: str) -> Arrivals:
    if not isinstance(data, dict):
        raise ModelError(f"{where} must be a table; got {shown(data)}.")
    unknown = set(data) - _ARRIVAL_KEYS
    if unknown:
        raise ModelError(f"{where} has unknown keys {shown(sorted(unknown))}; known: {', '.join(sorted(_ARRIVAL_KEYS))}.")
    if "state_shares" not in data:
        raise ModelError(f"{where} must give state_shares.")
    _number(data.get("per_year", 0.0), f"{where}.per_year", MAX_INHABITANTS)
    _number(data.get("male_share", 0.5), f"{where}.male_share", 1.0)
    for key in ("state_shares", "education_shares", "origin_shares"):
        _shares_table(data, key, where, states=key == "state_shares")
    ages = data.get("age_years", [16, 17])
    if (not isinstance(ages, list) or len(ages) != 2
            or not all(isinstance(a, int) and not isinstance(a, bool) and 0 <= a <= MAX_AGE_YEARS for a in ages)):
        raise ModelError(f"{where}.age_years must be [low, high], two whole ages in years; got {shown(ages)}.")
    arrivals = Arrivals(
        per_year=float(data.get("per_year", 0.0)),
        age_years=(int(ages[0]), int(ages[1])),
        state_shares=dict(data["state_shares"]),
        education_shares=dict(data.get("education_shares", {"ufaglaert": 1.0})),
        origin_shares=dict(data.get("origin_shares", {"dansk": 1.0})),
        male_share=float(data.get("male_share", 0.5)),
    )
    arrivals.validate(where)
    return arrivals


def _rates_by_age(data: Any, where: str) -> np.ndarray:
    if not isinstance(data, dict):
        raise ModelError(f"{where} must be a table of age band = yearly rate; got {shown(data)}.")
    rate = np.zeros((2, _MAX_AGE + 1))
    for band, value in data.items():
        if band == "source":
            continue
        low, high = parse_age_band(band, where)
        if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 1:
            raise ModelError(f"{where}.{band} must be a yearly rate in [0, 1]; got {shown(value)}.")
        rate[:, low : min(high, _MAX_AGE + 1)] = float(value)
    return rate


def _life_table(name: Any, base: Path | None, tree: FileTree | None) -> LifeTable | None:
    """The profile's ``life_table``: none, the default, or a CSV file in ``tree``."""
    if name is None:
        return None
    if name == "danish":
        return default_life_table()
    if not isinstance(name, str) or not name.strip() or "\x00" in name:
        raise ModelError(f"demography.life_table must be 'danish' or the path of a life table; got {shown(name)}.")
    path = absolute((base or Path(".")) / name)
    refusal = (tree or FileTree(None)).refusal(path)
    if refusal is not None:
        raise ModelError(f"demography.life_table {shown(name)} {refusal}.")
    return read_life_table(path)


def demography_from_dict(data: Any, *, base: Path | None, entry_cohorts: dict[int, float],
                         tree: FileTree | None = None) -> Demography:
    """Build a :class:`~labsim.core.demography.Demography` from a profile's ``[demography]`` table.

    ``life_table`` is ``"danish"`` (the default table) or a CSV path relative to the profile file, which must lie
    in ``tree`` (anywhere by default). Without ``births_per_year``, birth years after the profile's youngest
    children take the mean yearly cohort of the children under 5 (an assumption: births stay at their recent
    level).
    """
    if not isinstance(data, dict):
        raise ModelError(f"demography must be a table; got {shown(data)}.")
    unknown = set(data) - _DEMOGRAPHY_KEYS
    if unknown:
        raise ModelError(f"demography has unknown keys {shown(sorted(unknown))}; known: {', '.join(sorted(_DEMOGRAPHY_KEYS))}.")
    if not isinstance(data.get("sources", {}), dict):
        raise ModelError(f"demography.sources must be a table; got {shown(data['sources'])}.")
    life_table = _life_table(data.get("life_table"), base, tree)
    births = data.get("births_per_year")
    if births is None:
        recent = sorted(entry_cohorts)[-5:-1]  # the last four birth years before the profile's own year
        births = float(np.mean([entry_cohorts[y] for y in recent])) if recent else 0.0
    births = _number(births, "demography.births_per_year", MAX_INHABITANTS)
    return Demography(
        life_table=life_table,
        emigration_rate=_rates_by_age(data["emigration"], "demography.emigration") if "emigration" in data else None,
        entrants_by_birth_year=entry_cohorts,
        births_per_year=float(births),
        entry=_arrivals(data["entry"], "demography.entry") if "entry" in data else None,
        immigration=_arrivals(data["immigration"], "demography.immigration") if "immigration" in data else None,
        refugees=_arrivals(data["refugees"], "demography.refugees") if "refugees" in data else None,
    )
