"""A resumable results store: a study's runs streamed to a hive-partitioned Parquet dataset (DESIGN.md §8–9).

Layout of a store folder::

    study.json                      what study wrote it: labsim version, scenario text and fingerprint, seed,
                                    strategies, replications, parameters, the number and hash of the points
    points.parquet                  one row per sweep point: its number and each parameter's value
    runs/part-000001.parquet        one row per run: key, seed, spawn key, status, error, seconds
    fte/scenario=…/strategy=…/point=…/part-000001.parquet    … and so on for every frame of a run

Runs arrive in batches. A batch writes its frames' files first, each to a temporary name moved into
place, and its ``runs`` file last: that file commits the batch. Reading sees committed batches only;
resuming deletes the files of a batch that never committed, then makes only the runs no committed
batch holds. Killed at any moment, a study resumed yields exactly the rows of an uninterrupted one,
none twice. Every Parquet file carries the study's identity in its schema metadata (key ``labsim``).
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from labsim.batch.job import Outcome, RunKey
from labsim.batch.summary import RUN_COLUMNS, TABLES, frames_of, runs_of
from labsim.errors import StoreError

__all__ = ["Store", "read_manifest", "plain_frame", "KEY_COLUMNS", "IDENTITY"]

KEY_COLUMNS: tuple[str, ...] = ("scenario", "strategy", "point", "replicate")
"""The columns that name a run in every table."""


IDENTITY: tuple[str, ...] = ("labsim_version", "scenario", "scenario_hash", "seed", "strategies", "replications",
                             "parameters", "points_hash")
"""The manifest fields a resumed study must match."""

_MANIFEST = "study.json"
_POINTS = "points.parquet"
_RUNS = "runs"
_PART = re.compile(r"^part-(\d{6})\.parquet$")
_TEMPORARY = re.compile(r"^\.part-\d{6}\.parquet\.tmp$")
_PARTITION_SCHEMA = pa.schema([("scenario", pa.string()), ("strategy", pa.string()), ("point", pa.int32())])
_PARTITIONING = ds.partitioning(_PARTITION_SCHEMA, flavor="hive")


class Store:
    """One study's results folder (see the module); made by :meth:`open` with the study's manifest."""

    def __init__(self, path: Path, manifest: Mapping[str, Any]) -> None:
        self.path = path
        self.manifest = dict(manifest)
        self._next = max(self.committed(), default=0) + 1
        self._done: set[RunKey] | None = None

    # --- opening -------------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, manifest: Mapping[str, Any], points: pd.DataFrame, *,
             resume: bool = False) -> Store:
        """The store at ``path`` for the study described by ``manifest``: created when the folder is new or
        empty; continued when ``resume`` and the folder holds the same study (deleting uncommitted batches).

        Raises :class:`~labsim.errors.StoreError` when the folder holds results and ``resume`` is false,
        when it holds another study's (naming each field that differs), or when it is not a store.
        """
        folder = Path(path)
        try:
            table = pa.Table.from_pandas(points, preserve_index=False).replace_schema_metadata(_metadata(manifest))
        except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
            raise StoreError(f"store {folder}: the sweep points cannot be stored ({error}); give each parameter "
                             f"values of one type.") from None
        if os.path.lexists(folder) and not folder.is_dir():
            raise StoreError(f"store {folder}: is a file, not a folder.")
        existing = folder / _MANIFEST
        if folder.exists() and any(not _own_leftover(p) for p in folder.iterdir()):
            if not existing.is_file():
                raise StoreError(f"store {folder}: the folder is not empty and holds no {_MANIFEST}; it is not a "
                                 f"labsim store. Choose an empty or new folder.")
            if not resume:
                raise StoreError(f"store {folder}: already holds a study; resume it (resume=True, --resume) or "
                                 f"choose another folder.")
            found = read_manifest(folder)
            _check_same_study(folder, found, manifest)
            _drop_uncommitted(folder)
            return cls(folder, found)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _write_atomic(folder / _POINTS, lambda tmp: pq.write_table(table, tmp))
            _write_atomic(folder / _MANIFEST, lambda tmp: tmp.write_text(json.dumps(manifest, indent=1,
                                                                                    sort_keys=True), encoding="utf-8"))
        except OSError as error:
            raise StoreError(f"store {folder}: cannot write the store ({error.strerror or error}).") from None
        return cls(folder, manifest)

    # --- what is there --------------------------------------------------------------------------------

    def committed(self) -> list[int]:
        """The numbers of the committed batches."""
        folder = self.path / _RUNS
        if not folder.is_dir():
            return []
        return sorted(int(m.group(1)) for p in folder.iterdir() if (m := _PART.match(p.name)))

    def done(self) -> set[RunKey]:
        """The runs a committed batch holds (finished or failed)."""
        if self._done is None:
            runs = self.runs()
            self._done = {RunKey(int(p), int(r), str(s)) for p, r, s in zip(runs["point"], runs["replicate"],
                                                                             runs["strategy"], strict=True)}
        return set(self._done)

    def runs(self) -> pd.DataFrame:
        """The ``runs`` table of the committed batches, sorted by key."""
        files = [self.path / _RUNS / f"part-{b:06d}.parquet" for b in self.committed()]
        if not files:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in RUN_COLUMNS})
        frame = pd.concat([pq.read_table(f).to_pandas() for f in files], ignore_index=True)
        return frame.sort_values(list(KEY_COLUMNS), kind="stable").reset_index(drop=True)

    def points(self) -> pd.DataFrame:
        """One row per sweep point: ``point`` and each parameter's value."""
        path = self.path / _POINTS
        if not path.is_file():
            raise StoreError(f"store {self.path}: {_POINTS} is missing; the store is damaged.")
        return pq.read_table(path).to_pandas()

    def files(self, table: str) -> list[Path]:
        """The committed Parquet files of ``table``."""
        _check_table(table)
        batches = set(self.committed())
        return sorted(p for p in (self.path / table).rglob("part-*.parquet")
                      if (m := _PART.match(p.name)) and int(m.group(1)) in batches)

    def dataset(self, table: str) -> ds.Dataset | None:
        """``table`` as a lazy pyarrow dataset of the committed files (``None`` if no run wrote any rows)."""
        files = self.files(table)
        if not files:
            return None
        # every file's columns (a column all empty in one file is null-typed there), then the partition keys
        schema = pa.unify_schemas([*(pq.read_schema(f) for f in files), _PARTITION_SCHEMA],
                                  promote_options="permissive")
        dataset = ds.dataset([str(f) for f in files], schema=schema, format="parquet", partitioning=_PARTITIONING,
                             partition_base_dir=str(self.path / table))
        return dataset

    # --- writing --------------------------------------------------------------------------------------

    def write(self, outcomes: Sequence[Outcome], scenario: str) -> int:
        """Write one batch of runs and commit it; returns the batch's number (0 when nothing was new).
        Runs a committed batch already holds are left out, so no run is ever stored twice."""
        done = self.done()
        outcomes = [o for o in outcomes if o.key not in done]
        if not outcomes:
            return 0
        batch = self._next
        self._next += 1
        metadata = _metadata(self.manifest)
        for table, frame in frames_of(outcomes).items():
            if frame.empty:
                continue
            frame = plain_frame(frame)
            for (name, strategy, point), rows in frame.groupby(["scenario", "strategy", "point"], sort=True):
                folder = (self.path / table / f"scenario={_escape(name)}" / f"strategy={_escape(strategy)}"
                          / f"point={int(str(point))}")
                data = pa.Table.from_pandas(rows.drop(columns=["scenario", "strategy", "point"]),
                                            preserve_index=False)
                data = _narrow(data).replace_schema_metadata(metadata)
                folder.mkdir(parents=True, exist_ok=True)
                _write_atomic(folder / f"part-{batch:06d}.parquet", lambda tmp, d=data: pq.write_table(d, tmp))
        runs = runs_of(outcomes, scenario)
        runs["spawn_key"] = [list(k) for k in runs["spawn_key"]]
        record = pa.Table.from_pandas(runs, preserve_index=False).replace_schema_metadata(metadata)
        (self.path / _RUNS).mkdir(exist_ok=True)
        _write_atomic(self.path / _RUNS / f"part-{batch:06d}.parquet", lambda tmp: pq.write_table(record, tmp))
        assert self._done is not None
        self._done.update(o.key for o in outcomes)
        return batch



def _own_leftover(path: Path) -> bool:
    """Whether ``path``, in a folder without ``study.json``, is what an interrupted :meth:`Store.open` left: its
    points file (which carries the study's identity) or a temporary file of its own. Anything else is a user's."""
    if path.name in (f".{_POINTS}.tmp", f".{_MANIFEST}.tmp"):
        return path.is_file() and not path.is_symlink()
    if path.name != _POINTS or path.is_symlink() or not path.is_file():
        return False
    try:
        return b"labsim" in (pq.read_schema(path).metadata or {})
    except (OSError, pa.ArrowException):
        return False


def _drop_uncommitted(folder: Path) -> None:
    """Delete the files of batches that never committed, and temporary files of interrupted writes."""
    runs = folder / _RUNS
    batches = {int(m.group(1)) for p in runs.iterdir() if (m := _PART.match(p.name))} if runs.is_dir() else set()
    for table in (*TABLES, _RUNS):
        if not (folder / table).is_dir():
            continue
        for path in (folder / table).rglob("*"):
            if not path.is_file() or path.is_symlink():
                continue
            if _TEMPORARY.match(path.name) or ((m := _PART.match(path.name)) is not None
                                               and int(m.group(1)) not in batches):
                path.unlink()  # labsim's own: a temporary file or a part of a batch that never committed


def read_manifest(folder: Path) -> dict[str, Any]:
    """The ``study.json`` of a store folder, or :class:`~labsim.errors.StoreError` saying what is wrong."""
    path = folder / _MANIFEST
    if not path.is_file():
        raise StoreError(f"store {folder}: no {_MANIFEST}; not a labsim store.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise StoreError(f"store {folder}: {_MANIFEST} cannot be read ({error}).") from None
    missing = [field for field in IDENTITY if field not in manifest] if isinstance(manifest, dict) else list(IDENTITY)
    if missing:
        raise StoreError(f"store {folder}: {_MANIFEST} lacks the fields {missing}; not a labsim store.")
    return manifest


def _check_same_study(folder: Path, found: Mapping[str, Any], wanted: Mapping[str, Any]) -> None:
    differ = [field for field in IDENTITY if found.get(field) != wanted.get(field)]
    if not differ:
        return
    if "scenario_hash" in differ or "scenario" in differ:
        raise StoreError(f"store {folder}: was written by scenario {found.get('scenario')!r} (hash "
                         f"{found.get('scenario_hash')}), not by this study's scenario {wanted.get('scenario')!r} "
                         f"(hash {wanted.get('scenario_hash')}); results of two scenarios would mix. Choose another "
                         f"folder.")
    shown = "; ".join(f"{field}: store {_short(found.get(field))}, study {_short(wanted.get(field))}"
                      for field in differ)
    raise StoreError(f"store {folder}: holds another study ({shown}); results would mix. Choose another folder.")


def _short(value: Any) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= 80 else text[:77] + "…"


def _check_table(table: str) -> None:
    if table not in TABLES:
        raise StoreError(f"no table {table!r} in a store; there are {list(TABLES)} and 'runs'.")


def _metadata(manifest: Mapping[str, Any]) -> dict[bytes, bytes]:
    identity = {k: v for k, v in manifest.items() if k != "scenario_text"}
    return {b"labsim": json.dumps(identity, sort_keys=True).encode("utf-8"),
            b"labsim.scenario_text": str(manifest.get("scenario_text", "")).encode("utf-8")}


def _escape(value: Any) -> str:
    return urllib.parse.quote(str(value), safe="")


def plain_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Periods and categories as text, so every file of a table has one schema."""
    out = frame.copy()
    for column in out.columns:
        dtype = out[column].dtype
        if isinstance(dtype, pd.PeriodDtype | pd.CategoricalDtype):
            out[column] = out[column].astype(str)
    return out


def _narrow(table: pa.Table) -> pa.Table:
    """Large strings as strings, so files written from different frames share one schema."""
    schema = pa.schema([pa.field(f.name, pa.string()) if pa.types.is_large_string(f.type) else f
                        for f in table.schema])
    return table.cast(schema)


def _write_atomic(path: Path, write: Any) -> None:
    """Write through a temporary name beside ``path``, flush it to disk, and move it into place (then flush
    the folder), so that a file is whole or absent even after a power cut — and a batch's ``runs`` file, written
    last, is never on disk before its frames."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write(tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        _sync_folder(path.parent)
    finally:
        if tmp.exists():
            tmp.unlink()


def _sync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # a platform without folder descriptors (Windows)
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
