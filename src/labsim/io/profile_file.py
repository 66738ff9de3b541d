"""Read a municipality profile (TOML) into a :class:`~labsim.core.synthesis.MunicipalityProfile`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from labsim.calendar import parse_month
from labsim.core.synthesis import MunicipalityProfile
from labsim.errors import LabsimError, PopulationError
from labsim.io.demography_file import demography_from_dict
from labsim.io.text import packaged_text, parse_toml, read_text

__all__ = ["read_profile", "default_profile", "profile_from_dict"]

_KEYS = {"name", "inhabitants", "at", "male_share", "age_shares", "state_shares", "education_shares",
         "origin_shares", "sources", "demography"}


def profile_from_dict(data: dict[str, Any], base: Path | None = None) -> MunicipalityProfile:
    """Build a profile from the parsed contents of a profile file (``base``: its folder, for relative paths)."""
    unknown = set(data) - _KEYS
    if unknown:
        raise PopulationError(f"unknown keys {sorted(unknown)}; known: {', '.join(sorted(_KEYS))}.")
    missing = {"name", "inhabitants", "at", "age_shares", "state_shares", "education_shares", "origin_shares"} - set(data)
    if missing:
        raise PopulationError(f"missing keys {sorted(missing)}.")
    profile = MunicipalityProfile(
        name=str(data["name"]),
        inhabitants=data["inhabitants"],
        at=parse_month(data["at"], field="at"),
        age_shares=dict(data["age_shares"]),
        state_shares={band: dict(shares) for band, shares in data["state_shares"].items()},
        education_shares=dict(data["education_shares"]),
        origin_shares=dict(data["origin_shares"]),
        male_share=float(data.get("male_share", 0.5)),
        sources=dict(data.get("sources", {})),
    )
    if "demography" in data:
        demography = demography_from_dict(data["demography"], base=base, entry_cohorts=profile.entry_cohorts())
        profile = replace(profile, demography=demography)
    return profile


def _parse(text: str, name: str, base: Path | None = None) -> MunicipalityProfile:
    data = parse_toml(text, name, PopulationError)
    try:
        return profile_from_dict(data, base)
    except LabsimError as error:
        raise type(error)(f"{name}: {error}") from None


def read_profile(path: str | Path) -> MunicipalityProfile:
    """Read a profile file; errors name the file, the key and the bad value."""
    return _parse(read_text(path, "profile file", PopulationError), str(path), Path(path).parent)


def default_profile() -> MunicipalityProfile:
    """The synthetic municipality of 60,000 inhabitants used by ``make demo`` (all shares assumptions)."""
    return _parse(packaged_text("synthetic_municipality.toml"), "synthetic_municipality.toml")
