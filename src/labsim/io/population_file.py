"""Read a population file: CSV or Parquet with one row per person (the columns of
:meth:`~labsim.core.population.Population.from_frame`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from labsim.core.population import Population
from labsim.errors import ValidationError
from labsim.states import StateCatalogue

__all__ = ["read_population"]


def read_population(path: str | Path, start: Any, catalogue: StateCatalogue) -> Population:
    """A population file: CSV or Parquet with one row per person (columns of :meth:`Population.from_frame`)."""
    if not isinstance(start, str):
        raise ValidationError("needs scenario.start to date the persons' ages")
    if not Path(path).is_file():
        raise ValidationError(f"no such file: {path}")
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        frame = pd.read_csv(path)
    elif suffix in (".parquet", ".pq"):
        frame = pd.read_parquet(path)
    else:
        raise ValidationError(f"a population file is .csv or .parquet; got {Path(path).name!r}")
    return Population.from_frame(frame, at=start, catalogue=catalogue)
