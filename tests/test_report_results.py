"""A damaged results folder (a frame that is garbage, a manifest that is not an object or has wrong types) is one
clear error from read_results and one line from ``labsim report``, never a traceback."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from labsim.cli import main as cli
from labsim.errors import ValidationError
from labsim.experiments import Comparison
from labsim.report import read_results

TARGETS = "strategy,target,measure,period,comparison,threshold,probability,median,low,high,replications,source\n"


def _manifest(change: Callable[[dict[str, Any]], object]) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        path = folder / "comparison.json"
        manifest = json.loads(path.read_text(encoding="utf-8"))
        change(manifest)
        path.write_text(json.dumps(manifest), encoding="utf-8")
    return damage


def _write(name: str, data: bytes) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_bytes(data) and None


DAMAGE: dict[str, tuple[str, Callable[[Path], None], tuple[str, ...]]] = {
    "garbage frame": ("csv", _write("fte.csv", b"\x00\xffgarbage" * 50), ("fte.csv", "cannot be read as a frame")),
    "garbage parquet": ("parquet", _write("fte.parquet", b"PAR1" + bytes(200) + b"PAR1"),
                        ("fte.parquet", "cannot be read as a frame")),
    "csv named parquet": ("parquet", _write("stocks.parquet", b"a,b\n1,2\n"), ("stocks.parquet",)),
    "text for a number": ("csv", _write("stocks.csv", b"scenario,strategy,replicate,month,state,persons\n"
                                                      b"small,baseline,0,2022-01,employed,many\n"),
                          ("stocks.csv", "'persons'", "row 1", "'many'")),
    "no month": ("csv", _write("stocks.csv", b"scenario,strategy,replicate,month,state,persons\n"
                                             b"small,baseline,0,someday,employed,3\n"), ("stocks.csv", "'month'")),
    "a column missing": ("csv", _write("target_summary.csv", b"strategy,target\nbaseline,fewer\n"),
                         ("target_summary.csv", "lacks the columns", "probability")),
    "text probability": ("csv", _write("target_summary.csv", (TARGETS + "baseline,fewer,x,2024,<,1,high,1,1,1,4,s\n")
                                       .encode()), ("'probability'", "'high'")),
    "no replications": ("csv", _write("target_summary.csv", (TARGETS + "baseline,fewer,x,2024,<,1,0.5,1,1,1,,s\n")
                                      .encode()), ("'replications'", "whole number")),
    "manifest a list": ("csv", _write("comparison.json", b"[1, 2, 3]"), ("comparison.json", "lacks")),
    "manifest not JSON": ("csv", _write("comparison.json", b"{labsim: 1"), ("comparison.json", "not valid JSON")),
    "manifest nested deep": ("csv", _write("comparison.json", b"[" * 100_000 + b"]" * 100_000),
                             ("comparison.json", "not valid JSON")),
    "manifest not UTF-8": ("csv", _write("comparison.json", '{"labsim": "é"}'.encode("latin-1")),
                           ("comparison.json", "not UTF-8")),
    "seed text": ("csv", _manifest(lambda m: m.update(seed="five")), ("comparison.json", "seed", "'five'")),
    "strategies a number": ("csv", _manifest(lambda m: m.update(strategies=5)), ("comparison.json", "strategies")),
    "a strategy a name": ("csv", _manifest(lambda m: m.update(strategies=["baseline"])),
                          ("strategies[0] must be an object",)),
    "evidence text": ("csv", _manifest(lambda m: m["strategies"][1]["efforts"][0]["evidence"][0].update(value="x")),
                      ("strategies[1].efforts[0].evidence[0].value", "'x'")),
    "unknown baseline": ("csv", _manifest(lambda m: m.update(baseline="nobody")), ("baseline 'nobody'",)),
}


@pytest.mark.parametrize("case", list(DAMAGE))
def test_a_damaged_results_folder_is_one_clear_error(case: str, small_comparison: Comparison, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    fmt, damage, words = DAMAGE[case]
    folder = tmp_path / "results"
    small_comparison.write(folder, fmt)
    damage(folder)
    with pytest.raises(ValidationError) as caught:
        read_results(folder)
    for text in words:
        assert text in str(caught.value), (text, str(caught.value))
    out = tmp_path / "report.html"
    assert cli(["report", str(folder), "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and captured.err.startswith("labsim: error: ")
    assert not out.exists()


def test_a_frame_that_is_a_folder_is_refused(small_comparison: Comparison, tmp_path: Path) -> None:
    folder = tmp_path / "results"
    small_comparison.write(folder)
    (folder / "runs.csv").unlink()
    (folder / "runs.parquet").mkdir()
    with pytest.raises(ValidationError, match="no runs.csv or runs.parquet"):
        read_results(folder)


def test_numbers_written_as_text_are_read_as_numbers(small_comparison: Comparison, tmp_path: Path) -> None:
    folder = tmp_path / "results"
    small_comparison.write(folder, "parquet")
    summary = pd.read_parquet(folder / "target_summary.parquet")
    summary["replications"] = summary["replications"].astype(str)
    summary.to_parquet(folder / "target_summary.parquet", index=False)
    assert read_results(folder).frame("target_summary")["replications"].dtype.kind in "iu"


def test_a_small_parquet_frame_that_claims_millions_of_rows_is_refused(small_comparison: Comparison,
                                                                       tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path / "results"
    small_comparison.write(folder, "parquet")
    rows = 3_000_000  # in about 50 kB
    pq.write_table(pa.table({"scenario": pa.array(["small"] * rows).dictionary_encode(),
                             "persons": pa.array([1] * rows)}), folder / "stocks.parquet")
    assert (folder / "stocks.parquet").stat().st_size < 1_000_000
    with pytest.raises(ValidationError, match="stocks.parquet: claims 3,000,000 rows"):
        read_results(folder)
