"""The frames and the manifest a report is made from: from a comparison in memory, or read back from a folder."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from labsim.errors import ValidationError
from labsim.experiments import Comparison
from labsim.experiments.compare import MANIFEST

__all__ = ["ReportResults", "read_results", "results_of"]

_FRAMES = ("fte", "stocks", "capacity", "target_summary", "business_case", "observed_summary", "runs")
"""The frames a report draws on."""

_MANIFEST_KEYS = ("labsim", "scenario", "start", "end", "seed", "replications", "baseline", "strategies")
"""What a report needs of the manifest."""


@dataclass(frozen=True)
class ReportResults:
    """A comparison's frames by name and its manifest (:meth:`labsim.Comparison.manifest`)."""

    frames: dict[str, pd.DataFrame]
    manifest: dict[str, Any]

    def frame(self, name: str) -> pd.DataFrame:
        """The frame ``name``."""
        return self.frames[name]

    @property
    def baseline(self) -> str:
        """The baseline strategy."""
        return str(self.manifest["baseline"])


def results_of(source: Comparison | ReportResults | str | Path) -> ReportResults:
    """``source`` as report results: a comparison, results already read, or a folder to read."""
    if isinstance(source, ReportResults):
        return source
    if isinstance(source, Comparison):
        frames = source.frames()
        return ReportResults({name: frames[name] for name in _FRAMES}, source.manifest())
    return read_results(source)


def read_results(directory: str | Path) -> ReportResults:
    """Read the folder ``labsim compare --out`` wrote (CSV or Parquet, with ``comparison.json``).

    A folder that is missing, holds no manifest, or lacks a frame is a :class:`~labsim.errors.ValidationError`
    naming the folder and what is missing.
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise ValidationError(f"results folder {folder}: does not exist or is not a folder.")
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise ValidationError(f"results folder {folder}: no {MANIFEST}; write it with `labsim compare SCENARIO --out "
                              f"{folder}` (or Comparison.write).")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValidationError(f"{manifest_path}: not valid JSON ({error}).") from None
    missing = [key for key in _MANIFEST_KEYS if not isinstance(manifest, dict) or key not in manifest]
    if missing:
        raise ValidationError(f"{manifest_path}: lacks {missing}; it is not a manifest Comparison.write wrote.")
    frames = {}
    for name in _FRAMES:
        parquet, csv = folder / f"{name}.parquet", folder / f"{name}.csv"
        path = parquet if parquet.is_file() else csv
        if not path.is_file():
            raise ValidationError(f"results folder {folder}: no {name}.csv or {name}.parquet.")
        try:
            frames[name] = (pd.read_parquet(path) if path == parquet else
                            pd.read_csv(path, keep_default_na=True, dtype={"payback_year": str}))
        except (ValueError, OSError, UnicodeDecodeError) as error:  # pandas' and pyarrow's read errors
            raise ValidationError(f"{path}: cannot be read as a frame ({_one_line(error)}).") from None
    return ReportResults(frames, manifest)


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())
