"""The frames and the manifest a report is made from: from a comparison in memory, or read back from a folder.

A folder is read defensively: it may have been copied, edited or damaged since ``labsim compare --out`` wrote it.
Only regular files are read, the manifest must have the types :meth:`labsim.Comparison.manifest` writes, and each
frame the columns the report draws on, numbers where numbers belong; anything else is one
:class:`~labsim.errors.ValidationError` naming the file, the place and the bad value, before any figure is drawn.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticError

from labsim.core.population_frame import shown, shown_list
from labsim.errors import ValidationError
from labsim.experiments import Comparison
from labsim.experiments.compare import MANIFEST
from labsim.files.input import DATA_LIMIT, read_text, regular_file

__all__ = ["ReportResults", "read_results", "results_of"]

_FRAMES = ("fte", "stocks", "capacity", "teams", "waits", "target_summary", "business_case", "observed_summary",
           "baseline_check", "runs")
"""The frames a report draws on."""

_SINCE = ("teams", "waits", "baseline_check")
"""Frames a folder written before labsim wrote them lacks (its manifest does not list them): read as frames without
rows, so the report has no figure of the teams and of the waits, and no baseline check."""

_MANIFEST_KEYS = ("labsim", "scenario", "start", "end", "seed", "replications", "baseline", "strategies")
"""What a report needs of the manifest."""

_ROWS_ALWAYS, _ROWS_PER_BYTE = 1_000_000, 2
"""A Parquet frame may hold a million rows, and beyond that two per byte of the file: labsim's frames take about a
byte a row even compressed (a state and a count change from row to row; 1.1 bytes for the stocks of 50 replications
over 20 years). The bound keeps a file under 1 MB to at most 3 million rows, and a small file that claims billions
from filling memory."""

_COLUMNS: dict[str, dict[str, str]] = {
    "fte": {"strategy": "text", "replicate": "number", "period": "period", "state": "text", "fte": "number"},
    "stocks": {"strategy": "text", "replicate": "number", "month": "period", "state": "text", "persons": "number"},
    "capacity": {"strategy": "text", "replicate": "number", "month": "period", "resource": "text", "kind": "text",
                 "demand": "number", "capacity": "number", "used": "number", "waiting": "number"},
    "teams": {"strategy": "text", "replicate": "number", "month": "period", "team": "text", "caseworkers": "number",
              "caseload": "number", "contacts": "number", "multiplier": "number"},
    "waits": {"strategy": "text", "replicate": "number", "queue": "text", "closed": "period", "wait_months": "number",
              "desk_wait_months": "number", "outcome": "text"},
    "target_summary": {"strategy": "text", "target": "text", "measure": "text", "period": "text",
                       "probability": "number", "median": "number", "low": "number", "high": "number",
                       "replications": "count", "source": "text"},
    "business_case": {"strategy": "text", "period": "period", "net_cost_dkk": "number", "saving_dkk": "number",
                      "saving_low": "number", "saving_high": "number", "cumulative_saving_dkk": "number",
                      "payback_year": "text"},
    "observed_summary": {"series": "text", "source": "text"},
    "baseline_check": {"group": "text", "first_year": "count", "last_year": "count", "crude_first": "number",
                       "crude_last": "number", "crude_change": "number", "standardised_first": "number",
                       "standardised_last": "number", "standardised_change": "number",
                       "first_year_monthly_change": "number", "later_monthly_change": "number", "warning": "text"},
    "runs": {},
}
"""What the report reads of each frame: its columns and what each holds — text, a number (NaN where there is none),
a count (a whole number of at least 0), or a period (a year ``2024`` or a month ``2024-03``)."""


class _Plain(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow", allow_inf_nan=False)


class _Evidence(_Plain):
    phase: str
    used: float | list[float] | None = None
    value: float
    low: float
    high: float
    measured: bool
    basis: str
    source: str


class _Effort(_Plain):
    name: str
    title: str
    knobs: dict[str, Any] = {}
    defaults: dict[str, Any] = {}
    evidence: list[_Evidence]


class _Strategy(_Plain):
    name: str
    title: str
    efforts: list[_Effort]


class _Manifest(_Plain):
    """The manifest :meth:`labsim.Comparison.manifest` writes, as far as a report reads it."""

    labsim: str
    scenario: str
    title: str | None = None
    description: str | None = None
    start: str
    end: str
    seed: int
    replications: int
    baseline: str
    strategies: list[_Strategy]
    settings: dict[str, Any] = {}
    scenario_text: str | None = None
    baseline_method: dict[str, Any] | None = None


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

    A folder that is missing, holds no manifest, lacks a frame, or whose manifest or frames are damaged (not JSON,
    wrong types, a frame that is not CSV or Parquet, a column missing, text where a number belongs) is a
    :class:`~labsim.errors.ValidationError` naming the file and what is wrong. A folder written before labsim wrote
    ``teams``, ``waits`` and ``baseline_check`` (its manifest does not list them) is read without them.
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise ValidationError(f"results folder {folder}: does not exist or is not a folder.")
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise ValidationError(f"results folder {folder}: no {MANIFEST}; write it with `labsim compare SCENARIO --out "
                              f"{folder}` (or Comparison.write).")
    manifest = _manifest(manifest_path)
    frames = {}
    listed = manifest.get("written")
    written = {name for name in listed if isinstance(name, str)} if isinstance(listed, list) else set()
    for name in _FRAMES:
        parquet, csv = folder / f"{name}.parquet", folder / f"{name}.csv"
        path = parquet if parquet.is_file() else csv
        if name in _SINCE and not written & {parquet.name, csv.name} and not (os.path.lexists(parquet)
                                                                               or os.path.lexists(csv)):
            frames[name] = pd.DataFrame({column: [] for column in _COLUMNS[name]})
            continue
        if not path.is_file():
            raise ValidationError(f"results folder {folder}: no {name}.csv or {name}.parquet.")
        frames[name] = _checked_frame(_frame(path), name, path)
    return ReportResults(frames, manifest)


def _manifest(path: Path) -> dict[str, Any]:
    """The manifest at ``path``, its types checked."""
    text = read_text(path, "manifest", ValidationError)
    try:
        manifest = json.loads(text)
    except (ValueError, RecursionError) as error:  # JSONDecodeError, an integer of too many digits, deep nesting
        raise ValidationError(f"{path}: not valid JSON ({_one_line(error)}).") from None
    missing = [key for key in _MANIFEST_KEYS if not isinstance(manifest, dict) or key not in manifest]
    if missing:
        raise ValidationError(f"{path}: lacks {missing}; it is not a manifest Comparison.write wrote.")
    try:
        checked = _Manifest.model_validate(manifest)
    except PydanticError as error:
        problems = [_problem(problem) for problem in error.errors()[:5]]
        more = f"; and {error.error_count() - 5} more" if error.error_count() > 5 else ""
        raise ValidationError(f"{path}: not a manifest Comparison.write wrote: " + "; ".join(problems) + more
                              + ".") from None
    names = [strategy.name for strategy in checked.strategies]
    if checked.baseline not in names:
        raise ValidationError(f"{path}: the baseline {shown(checked.baseline)} is not among the strategies "
                              f"{shown_list(names)}.")
    return manifest


def _problem(problem: Any) -> str:
    """One of pydantic's errors as ``strategies[1].title: Input should be a valid string; got 5``."""
    place = _place(problem["loc"])
    if problem["type"] == "missing":
        return f"{place} is missing"
    if problem["type"] in ("model_type", "model_attributes_type", "dict_type"):
        return f"{place} must be an object; got {shown(problem.get('input'))}"
    return f"{place}: {problem['msg']}; got {shown(problem.get('input'))}"


def _place(location: tuple[int | str, ...]) -> str:
    """A pydantic error's location as ``strategies[1].efforts[0].title``."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _frame(path: Path) -> pd.DataFrame:
    """The frame in ``path`` (a regular file), read as Parquet or CSV; a Parquet file's row count is checked against
    its size (:data:`_ROWS_PER_BYTE`) before its rows are read."""
    size = regular_file(path, "results frame", ValidationError, limit=DATA_LIMIT).stat().st_size
    try:
        if path.suffix == ".parquet":
            import pyarrow.parquet as pq

            rows = pq.ParquetFile(path).metadata.num_rows
            if rows > _ROWS_ALWAYS + _ROWS_PER_BYTE * size:
                raise ValidationError(f"{path}: claims {rows:,} rows in {size:,} bytes; a frame labsim wrote takes more "
                                      f"room (it is damaged, or no results frame).")
            return pd.read_parquet(path, use_threads=False)  # a reading thread's arena would outlive the read
        return pd.read_csv(path, keep_default_na=True, dtype={"payback_year": str}, encoding="utf-8")
    except ValidationError:
        raise
    except Exception as error:  # pandas and pyarrow raise many kinds for a damaged file
        raise ValidationError(f"{path}: cannot be read as a frame ({_one_line(error)}).") from None


def _checked_frame(frame: pd.DataFrame, name: str, path: Path) -> pd.DataFrame:
    """``frame`` when it has the columns the report reads of ``name`` (:data:`_COLUMNS`), each holding what it
    should; a :class:`~labsim.errors.ValidationError` naming the file, column, row and value otherwise."""
    wanted = _COLUMNS[name]
    missing = [column for column in wanted if column not in frame.columns]
    if missing:
        raise ValidationError(f"{path}: lacks the columns {missing} (it has {shown_list(list(frame.columns))}); it is "
                              f"not a {name} frame Comparison.write wrote.")
    for column, kind in wanted.items():
        values = frame[column]
        bad = _bad(values, kind)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            rule = {"number": "a number", "count": "a whole number of at least 0",
                    "period": "a year like 2024 or a month like 2024-03"}[kind]
            raise ValidationError(f"{path}: column {column!r} must hold {rule}; row {row + 1} has "
                                  f"{shown(values.iloc[row])}" + (f" (and {int(bad.sum()) - 1:,} more rows)"
                                                                    if bad.sum() > 1 else "") + ".")
        if kind in ("number", "count") and values.dtype.kind not in "iuf":
            frame = frame.assign(**{column: pd.to_numeric(values)})  # numbers written as text (a Parquet text column)
    return frame


def _bad(values: pd.Series, kind: str) -> np.ndarray:
    """Which values are not of ``kind`` (see :data:`_COLUMNS`)."""
    if kind == "text" or values.empty:
        return np.zeros(len(values), dtype=bool)
    if kind == "period":  # a frame holds few periods: each is parsed once
        distinct = list(pd.unique(values))
        texts = pd.Series([str(value) for value in distinct], dtype=object)
        wrong = (pd.to_datetime(texts, format="mixed", errors="coerce").isna() | ~texts.str.match(r"^[0-9]{4}")).to_numpy()
        if not wrong.any():
            return np.zeros(len(values), dtype=bool)
        return np.asarray(values.isin([value for value, bad in zip(distinct, wrong, strict=True) if bad]), dtype=bool)
    if values.dtype.kind == "b":
        return np.ones(len(values), dtype=bool)
    numbers = values if values.dtype.kind in "iuf" else pd.to_numeric(values.map(_plain), errors="coerce")
    bad = np.array(numbers.isna() & values.notna(), dtype=bool)
    if kind == "count":
        floats = numbers.astype(float).to_numpy()
        bad |= ~np.isfinite(floats) | (floats < 0) | (floats != np.floor(np.where(np.isfinite(floats), floats, 0)))
    return bad


def _plain(value: Any) -> Any:
    """A value for :func:`pandas.to_numeric` to judge: a text or a number as it is, None as missing, anything else
    (a boolean, a list) as a text that is no number."""
    return value if isinstance(value, str | int | float) and not isinstance(value, bool) else (
        value if value is None else "not a number")


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 200 else f"{text[:200]}…"
