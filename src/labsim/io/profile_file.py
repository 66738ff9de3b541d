"""Read a municipality profile (TOML) into a :class:`~labsim.core.synthesis.MunicipalityProfile`.

Every key is checked before the profile is built, and every problem is listed at once — the key's dotted path,
the rule and the bad value — in one :class:`~labsim.errors.PopulationError` naming the file. The profile then
checks what needs all of it (age bands that meet, a state share for every simulated band).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from labsim.core.synthesis import MAX_INHABITANTS, MunicipalityProfile, parse_age_band
from labsim.errors import LabsimError, PopulationError
from labsim.files.input import checked_path
from labsim.io.demography_file import demography_from_dict
from labsim.io.text import (
    MONTH_RULE,
    FileTree,
    Problem,
    file_month,
    packaged_text,
    parse_toml,
    problems_line,
    read_text,
)
from labsim.states import StateCatalogue, danish_catalogue
from labsim.validation import probability

__all__ = ["read_profile", "default_profile", "profile_from_dict", "profile_in_tree", "profile_problems"]

_KEYS = {"name", "inhabitants", "at", "male_share", "age_shares", "state_shares", "education_shares",
         "origin_shares", "sources", "demography"}
_REQUIRED = ("name", "inhabitants", "at", "age_shares", "state_shares", "education_shares", "origin_shares")


def profile_problems(data: Mapping[str, Any], catalogue: StateCatalogue | None = None) -> list[Problem]:
    """What is wrong with the keys of a profile file, each on its own: unknown or missing keys, text where a
    number belongs, shares outside [0, 1], age bands that do not parse, states ``catalogue`` does not have."""
    catalogue = catalogue or danish_catalogue()
    problems = [Problem(key, f"is not a key of a profile; known: {', '.join(sorted(_KEYS))}") for key in data
                if key not in _KEYS]
    problems += [Problem(key, "is missing") for key in _REQUIRED if key not in data]
    if "name" in data and (not isinstance(data["name"], str) or not data["name"].strip()):
        problems.append(Problem("name", "must be the municipality's name (text)", data["name"]))
    inhabitants = data.get("inhabitants", 1)
    if isinstance(inhabitants, bool) or not isinstance(inhabitants, int) or not 1 <= inhabitants <= MAX_INHABITANTS:
        problems.append(Problem("inhabitants", f"must be a whole number from 1 to {MAX_INHABITANTS:,}", inhabitants))
    if "at" in data:
        try:
            file_month(data["at"], "at")
        except LabsimError:
            problems.append(Problem("at", MONTH_RULE, data["at"]))
    if "male_share" in data:
        problems += _share(data["male_share"], "male_share")
    problems += _shares(data.get("age_shares", {}), "age_shares", _band_problem)
    problems += _shares(data.get("education_shares", {}), "education_shares", None)
    problems += _shares(data.get("origin_shares", {}), "origin_shares", None)
    problems += _state_shares(data.get("state_shares", {}), catalogue)
    sources = data.get("sources", {})
    if not isinstance(sources, dict) or not all(isinstance(v, str) for v in sources.values()):
        problems.append(Problem("sources", "must be a table of key = where the figure comes from (text)", sources))
    return problems


def _share(value: Any, where: str) -> list[Problem]:
    problem = probability().problem(value)
    return [] if problem is None else [Problem(where, problem, value)]


def _shares(value: Any, where: str, key_problem: Any) -> list[Problem]:
    """A table of name = share: each a share in [0, 1]; ``key_problem(key, where)`` judges the names."""
    if not isinstance(value, dict):
        return [Problem(where, "must be a table of name = share", value)]
    problems = []
    for key, share in value.items():
        problems += _share(share, f"{where}.{key}")
        problem = key_problem(key, where) if key_problem is not None else None
        if problem is not None:
            problems.append(problem)
    return problems


def _band_problem(label: str, where: str) -> Problem | None:
    try:
        parse_age_band(label, f"{where}.{label}")
    except LabsimError:
        return Problem(f"{where}.{label}", "is not an age band like '16-24' or '67+' (years 0 to 110)")
    return None


def _state_shares(value: Any, catalogue: StateCatalogue) -> list[Problem]:
    if not isinstance(value, dict):
        return [Problem("state_shares", "must be a table of age band = { state = share }", value)]
    problems = []
    for band, shares in value.items():
        problem = _band_problem(band, "state_shares")
        problems += [problem] if problem is not None else []
        problems += _shares(shares, f"state_shares.{band}",
                            lambda state, where: None if state in catalogue else
                            Problem(f"{where}.{state}", f"is not a state; known: {', '.join(catalogue.names)}"))
    return problems


def profile_from_dict(data: dict[str, Any], base: Path | None = None, *, tree: FileTree | None = None,
                      catalogue: StateCatalogue | None = None) -> MunicipalityProfile:
    """Build a profile from the parsed contents of a profile file (``base``: its folder, for relative paths, which
    must lie in ``tree``; anywhere by default)."""
    problems = profile_problems(data, catalogue)
    if problems:
        raise PopulationError(problems_line("", problems).removeprefix(": "))
    profile = MunicipalityProfile(
        name=data["name"],
        inhabitants=data["inhabitants"],
        at=file_month(data["at"], "at"),
        age_shares=dict(data["age_shares"]),
        state_shares={band: dict(shares) for band, shares in data["state_shares"].items()},
        education_shares=dict(data["education_shares"]),
        origin_shares=dict(data["origin_shares"]),
        male_share=float(data.get("male_share", 0.5)),
        sources=dict(data.get("sources", {})),
    )
    if "demography" in data:
        demography = demography_from_dict(data["demography"], base=base, entry_cohorts=profile.entry_cohorts(),
                                          tree=tree)
        profile = replace(profile, demography=demography)
    return profile


def _parse(text: str, name: str, base: Path | None = None, tree: FileTree | None = None) -> MunicipalityProfile:
    data = parse_toml(text, name, PopulationError)
    try:
        return profile_from_dict(data, base, tree=tree)
    except LabsimError as error:
        raise type(error)(f"{name}: {error}") from None


def read_profile(path: str | Path, *, allow_outside: bool = False) -> MunicipalityProfile:
    """Read a profile file; errors name the file, the key and the bad value. The life table it names must lie in
    its folder tree (see :func:`~labsim.io.scenario_file.read_scenario`) unless ``allow_outside``."""
    file = checked_path(path, "profile file", PopulationError)
    return profile_in_tree(file, FileTree.around(file, allow_outside=allow_outside))


def profile_in_tree(path: str | Path, tree: FileTree) -> MunicipalityProfile:
    """:func:`read_profile` with the files the profile names kept in ``tree`` (a scenario's)."""
    return _parse(read_text(path, "profile file", PopulationError), str(path), Path(path).parent, tree)


def default_profile() -> MunicipalityProfile:
    """The synthetic municipality of 60,000 inhabitants used by ``make demo`` (all shares assumptions)."""
    return _parse(packaged_text("synthetic_municipality.toml"), "synthetic_municipality.toml")
