"""A study's results, in memory or in a store on disk, and what they say (quantile bands, Sobol indices,
scenario discovery). :func:`open_results` opens a store lazily: nothing is read until a frame is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.dataset as ds

from labsim.batch import KEY_COLUMNS, TABLES, Outcome, Store, frames_of, plain_frame, read_manifest, runs_of
from labsim.errors import StoreError, ValidationError
from labsim.experiments.parameters import Design, Parameter
from labsim.experiments.sensitivity import QUANTILES, Discovery, bands, discover, sobol

__all__ = ["StudyResults", "open_results"]

_VALUES = {"fte": "fte", "stocks": "persons", "flows": "count", "money": "dkk", "efforts": "cost_dkk",
           "targets": "value", "observed": "simulated", "capacity": "used"}
"""The value column of each table (what :meth:`StudyResults.bands` summarises by default)."""


class StudyResults:
    """The runs of a study: one frame per table (``fte, stocks, flows, money, efforts, targets, observed,
    capacity``),
    ``runs`` (seed, spawn key, status and error of every run) and ``points`` (each sweep point's values).

    Every frame carries ``scenario, strategy, point, replicate`` and comes sorted by them, so two studies
    that made the same runs give equal frames whatever executor made them.
    """

    def __init__(self, manifest: dict[str, Any], points: pd.DataFrame, runs: pd.DataFrame,
                 read: Callable[[str, Sequence[str] | None, Any], pd.DataFrame], store: Store | None = None) -> None:
        self.manifest = manifest
        self.points = points
        self.runs = runs
        self._read = read
        self.store = store

    # --- making ---------------------------------------------------------------------------------------

    @classmethod
    def from_store(cls, store: Store) -> StudyResults:
        """Results read lazily from ``store``."""
        def read(table: str, columns: Sequence[str] | None, filter: Any) -> pd.DataFrame:
            dataset = store.dataset(table)
            if dataset is None:
                return pd.DataFrame(columns=list(KEY_COLUMNS))
            wanted = None if columns is None else list(dict.fromkeys([*KEY_COLUMNS, *columns]))
            return dataset.to_table(columns=wanted, filter=filter).to_pandas()
        return cls(store.manifest, store.points(), _keyed(store.runs()), read, store)

    @classmethod
    def from_outcomes(cls, manifest: dict[str, Any], points: pd.DataFrame, outcomes: Sequence[Outcome]) -> StudyResults:
        """Results held in memory."""
        frames = {table: plain_frame(frame) if not frame.empty else pd.DataFrame(columns=list(KEY_COLUMNS))
                  for table, frame in frames_of(outcomes).items()}
        runs = runs_of(outcomes, manifest["scenario"])

        def read(table: str, columns: Sequence[str] | None, filter: Any) -> pd.DataFrame:
            frame = frames[table]
            if filter is not None:
                raise ValidationError("filters apply to results in a store; select rows of the frame instead.")
            return frame if columns is None else frame[list(dict.fromkeys([*KEY_COLUMNS, *columns]))]
        return cls(manifest, points, _keyed(_sorted(runs)), read)

    # --- reading --------------------------------------------------------------------------------------

    def frame(self, table: str, columns: Sequence[str] | None = None, filter: Any = None) -> pd.DataFrame:
        """One table as a pandas frame, sorted by run; ``columns`` and a pyarrow ``filter`` (e.g.
        ``pyarrow.dataset.field("strategy") == "continue_2041"``) read only part of a store."""
        if table == "runs":
            return self.runs
        if table not in TABLES:
            raise ValidationError(f"no table {table!r}; there are {['runs', *TABLES]}.")
        frame = self._read(table, columns, filter)
        if "point" in frame.columns:
            frame = frame.astype({"point": "int64"})
        return _sorted(frame)

    def dataset(self, table: str) -> ds.Dataset:
        """One table of a store as a lazy pyarrow dataset (hive-partitioned by scenario, strategy, point)."""
        if self.store is None:
            raise StoreError("these results are in memory; run the study with store=… for datasets.")
        dataset = self.store.dataset(table)
        if dataset is None:
            raise StoreError(f"store {self.store.path}: no run wrote rows to {table!r}.")
        return dataset

    @property
    def failures(self) -> pd.DataFrame:
        """The runs that failed, with their errors."""
        return self.runs[self.runs["status"] == "failed"].reset_index(drop=True)

    @property
    def scenario_text(self) -> str:
        """The text of the scenario file the study ran."""
        return str(self.manifest.get("scenario_text", ""))

    def design(self) -> Design:
        """The study's sweep points as a :class:`~labsim.experiments.parameters.Design`."""
        parameters = tuple(Parameter(**p) for p in self.manifest["parameters"])
        return Design(parameters, self.manifest["method"], self.points, int(self.manifest.get("base", 0)))

    # --- summaries ------------------------------------------------------------------------------------

    def bands(self, table: str = "fte", value: str | None = None, by: Sequence[str] | None = None,
              quantiles: Sequence[float] = QUANTILES) -> pd.DataFrame:
        """Quantile bands over replications of ``value`` in ``table`` (by default its value column), per
        ``by`` (by default the table's every column but the run's replicate and the value)."""
        column = value or _VALUES.get(table)
        frame = self.frame(table)
        if column is None or column not in frame.columns:
            raise ValidationError(f"bands: table {table!r} has no value column {column!r}; it has "
                                  f"{list(frame.columns)}.")
        groups = list(by) if by is not None else [c for c in frame.columns if c not in ("replicate", column)
                                                  and frame[c].dtype.kind not in "fcb"]
        return bands(frame, column, groups, quantiles)

    def target_values(self, target: str) -> pd.DataFrame:
        """One target's value and whether it was met, per run (``strategy, point, replicate, value, met``)."""
        frame = self.frame("targets")
        known = sorted(set(frame["target"])) if "target" in frame.columns else []
        if target not in known:
            raise ValidationError(f"no target {target!r} in these results; there are {known}.")
        rows = frame[frame["target"] == target]
        return rows[["strategy", "point", "replicate", "value", "met"]].reset_index(drop=True)

    def per_point(self, values: pd.DataFrame, strategy: str, relative_to: str | None = None,
                  column: str = "value") -> pd.Series:
        """The mean over replicates of ``column`` per sweep point for ``strategy`` (minus ``relative_to``'s,
        paired by replicate, when given)."""
        strategies = set(values["strategy"])
        for name in (strategy, relative_to):
            if name is not None and name not in strategies:
                raise ValidationError(f"no strategy {name!r} in these results; there are {sorted(strategies)}.")
        wide = values.pivot_table(index=["point", "replicate"], columns="strategy", values=column, aggfunc="first")
        chosen = wide[strategy] if relative_to is None else wide[strategy] - wide[relative_to]
        means = chosen.groupby(level="point").mean()
        return means.reindex(range(len(self.points)))

    def sobol(self, target: str, strategy: str | None = None, relative_to: str | None = None,
              **options: Any) -> pd.DataFrame:
        """Sobol indices of a target's value (mean over replicates per sweep point) over the swept parameters,
        for ``strategy`` (the baseline by default), or of its difference from ``relative_to``."""
        chosen = strategy or str(self.manifest.get("baseline", ""))
        outputs = self.per_point(self.target_values(target), chosen, relative_to)
        return sobol(self.design(), outputs.to_numpy(), **options)

    def discover(self, target: str, strategy: str | None = None, **options: Any) -> Discovery:
        """The parameter box where ``target`` fails for ``strategy`` (the baseline by default): PRIM over every
        run, each with its sweep point's values."""
        chosen = strategy or str(self.manifest.get("baseline", ""))
        values = self.target_values(target)
        if chosen not in set(values["strategy"]):
            raise ValidationError(f"no strategy {chosen!r} in these results; there are "
                                  f"{sorted(set(values['strategy']))}.")
        rows = values[values["strategy"] == chosen].merge(self.points, on="point", how="left")
        paths = [p["path"] for p in self.manifest["parameters"]]
        if not paths:
            raise ValidationError("discover needs a study that sweeps at least one parameter.")
        return discover(rows[paths], ~rows["met"].astype(bool).to_numpy(), **options)


def open_results(path: str | Path) -> StudyResults:
    """A study's results from its store folder, read lazily (see :class:`StudyResults`)."""
    folder = Path(path)
    if not folder.is_dir():
        raise StoreError(f"store {folder}: no such folder.")
    return StudyResults.from_store(Store(folder, read_manifest(folder)))


def _keyed(runs: pd.DataFrame) -> pd.DataFrame:
    """Spawn keys as tuples of ints, however they were stored."""
    runs = runs.copy()
    runs["spawn_key"] = [tuple(int(k) for k in key) for key in runs["spawn_key"]]
    return runs


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    """Key columns first, rows sorted by run (stable: a run's rows keep their order)."""
    keys = [c for c in KEY_COLUMNS if c in frame.columns]
    if not keys:
        return frame.reset_index(drop=True)
    frame = frame[[*keys, *(c for c in frame.columns if c not in keys)]]
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)

