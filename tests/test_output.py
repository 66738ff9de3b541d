"""What labsim writes never costs a user a file (labsim.files.output, docs/safety.md): a user's files beside, inside
and above ``--out`` stay as they were; a second result replaces the first whole; a failure at any step leaves the
previous result intact; single files replace only what labsim wrote."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import labsim
from labsim.cli import main as cli
from labsim.errors import OutputError, StoreError
from labsim.experiments.compare import FRAMES
from labsim.files.output import ResultsFolder, write_file
from labsim.report import read_results, write_report

SUPPORT = Path(__file__).parent / "malformed" / "_support"


def _tree(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` with its bytes (``None`` for a folder)."""
    return {str(p.relative_to(folder)): (None if p.is_dir() else p.read_bytes()) for p in sorted(folder.rglob("*"))}


def _user_files(folder: Path) -> dict[str, bytes | None]:
    """A user's files: a note, a hidden file, a folder with a file, and a folder named as labsim's old staging."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "notes.txt").write_text("the user's notes", encoding="utf-8")
    (folder / ".hidden").write_text("hidden", encoding="utf-8")
    (folder / "data").mkdir()
    (folder / "data" / "budget.xlsx").write_bytes(b"\x00budget")
    (folder / ".results.partial").mkdir()
    (folder / ".results.partial" / "keep.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    return _tree(folder)


def _result_files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


@pytest.fixture(scope="module")
def comparison() -> labsim.experiments.Comparison:
    """Two replications of the malformed corpus's small support scenario."""
    return labsim.compare(labsim.read_scenario(SUPPORT / "base.toml"), replications=2, progress=False)


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A user's project folder holding the support scenario, as the working directory."""
    for name in ("base.toml", "profile.toml"):
        (tmp_path / name).write_bytes((SUPPORT / name).read_bytes())
    monkeypatch.chdir(tmp_path)
    yield tmp_path


def test_files_beside_inside_and_above_out_are_never_touched(project: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    before = _user_files(project / "mine")
    assert cli(["run", "base.toml", "--no-progress", "--replications", "1", "--out", "mine/results"]) == 0
    after = _tree(project / "mine")
    assert {k: v for k, v in after.items() if not k.startswith("results")} == before
    # a second run into the result, and one naming the result's parent (the user's folder)
    assert cli(["run", "base.toml", "--no-progress", "--replications", "1", "--out", "mine/results"]) == 0
    assert cli(["run", "base.toml", "--no-progress", "--replications", "1", "--out", "mine"]) == 2
    assert "not a labsim results folder" in capsys.readouterr().err
    assert {k: v for k, v in _tree(project / "mine").items() if not k.startswith("results")} == before


def test_out_dot_is_refused_in_a_users_folder_and_force_never_replaces_a_users_file(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sibling = project.parent / f".{project.name}.partial"
    sibling.mkdir(exist_ok=True)
    (sibling / "keep").write_text("the user's", encoding="utf-8")
    before = _tree(project)
    assert cli(["run", "base.toml", "--no-progress", "--replications", "1", "--out", "."]) == 2
    assert "--force" in capsys.readouterr().err
    assert _tree(project) == before and (sibling / "keep").read_text(encoding="utf-8") == "the user's"
    (project / "money.csv").write_text("the user's own money.csv", encoding="utf-8")
    before = _tree(project)
    assert cli(["run", "base.toml", "--no-progress", "--replications", "1", "--out", ".", "--force"]) == 2
    error = capsys.readouterr().err
    assert "money.csv is there and labsim did not write it" in error and len(error.splitlines()) == 1
    assert _tree(project) == before
    (project / "money.csv").unlink()
    assert cli(["run", "base.toml", "--no-progress", "--replications", "1", "--out", ".", "--force"]) == 0
    kept = {k: v for k, v in before.items() if k != "money.csv"}
    assert {k: v for k, v in _tree(project).items() if k in kept} == kept
    assert (sibling / "keep").read_text(encoding="utf-8") == "the user's"


def test_a_second_result_replaces_the_first_whole(comparison: labsim.experiments.Comparison, tmp_path: Path) -> None:
    folder = tmp_path / "results"
    comparison.write(folder, "parquet")
    comparison.write(folder, "csv")
    names = _result_files(folder)
    assert not any(name.endswith(".parquet") for name in names)
    assert names == {f"{frame}.csv" for frame in FRAMES} | {"comparison.json"}
    assert read_results(folder).frame("runs").shape[0] == 2
    comparison.write(folder, "parquet")
    assert not any(name.endswith(".csv") for name in _result_files(folder))


def test_a_failure_while_writing_leaves_the_previous_result(comparison: labsim.experiments.Comparison,
                                                            tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "results"
    comparison.write(folder)
    (folder / "report.html").write_text("the user's report beside the result", encoding="utf-8")
    before = _tree(folder)
    calls = {"n": 0}
    original = pd.DataFrame.to_parquet

    def failing(self: pd.DataFrame, *args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError(28, "No space left on device")
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pd.DataFrame, "to_parquet", failing)
    with pytest.raises(OSError):
        comparison.write(folder, "parquet")
    assert _tree(folder) == before


@pytest.mark.parametrize("failing_rename", [1, 3, 14, 20, 27])
def test_a_failure_while_moving_into_place_puts_the_previous_result_back(
        comparison: labsim.experiments.Comparison, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        failing_rename: int) -> None:
    folder = tmp_path / "results"
    comparison.write(folder, "parquet")
    before = _tree(folder)
    calls = {"n": 0}
    original = os.rename

    def rename(source: object, target: object) -> None:
        calls["n"] += 1
        if calls["n"] == failing_rename:
            raise OSError(5, "Input/output error")
        original(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(OutputError, match="previous result is kept"):
        comparison.write(folder, "csv")
    monkeypatch.setattr(os, "rename", original)
    assert _tree(folder) == before


def test_a_folder_in_the_way_stops_the_write_before_anything_moves(comparison: labsim.experiments.Comparison,
                                                                    tmp_path: Path) -> None:
    folder = tmp_path / "results"
    comparison.write(folder)
    (folder / "targets.csv").unlink()
    (folder / "targets.csv").mkdir()
    (folder / "targets.csv" / "mine.txt").write_text("x", encoding="utf-8")
    before = _tree(folder)
    with pytest.raises(OutputError, match="targets.csv is there and labsim did not write it"):
        comparison.write(folder)
    assert _tree(folder) == before


def test_out_is_checked_before_any_run(project: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    def no_runs(*args: object, **kwargs: object) -> None:
        raise AssertionError("a run started before --out was checked")

    monkeypatch.setattr("labsim.cli.compare", no_runs)
    (project / "a_file").write_text("x", encoding="utf-8")
    for out in ("/", "a_file", "a_file/below", "/dev/null"):
        assert cli(["compare", "base.toml", "--no-progress", "--out", out]) == 2
        assert len(capsys.readouterr().err.splitlines()) == 1
    assert _result_files(project) == {"base.toml", "profile.toml", "a_file"}


def test_a_prepared_folder_that_is_abandoned_leaves_nothing(tmp_path: Path) -> None:
    folder = ResultsFolder(tmp_path / "new" / "deeper", "comparison.json", ["a.csv"], owns=lambda m: True).prepare()
    folder.abandon()
    assert list(tmp_path.iterdir()) == []


def test_single_files_replace_only_what_labsim_wrote(comparison: labsim.experiments.Comparison,
                                                     tmp_path: Path) -> None:
    mine = tmp_path / "report.html"
    mine.write_text("<html>the user's own page</html>", encoding="utf-8")
    with pytest.raises(OutputError, match="not written by labsim"):
        write_report(comparison, mine)
    assert mine.read_text(encoding="utf-8") == "<html>the user's own page</html>"
    report = write_report(comparison, tmp_path / "labsim.html")
    assert write_report(comparison, report) == report  # its own report is replaced
    write_report(comparison, mine, overwrite=True)
    assert "labsim" in mine.read_text(encoding="utf-8")


def test_a_symlink_is_followed_and_special_files_are_refused(tmp_path: Path) -> None:
    target = tmp_path / "real.txt"
    target.write_bytes(b"made by labsim v1")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_file(link, b"made by labsim v2", mark=b"made by labsim")
    assert link.is_symlink() and target.read_bytes() == b"made by labsim v2"
    for special in ("/dev/null", str(tmp_path)):
        with pytest.raises(OutputError):
            write_file(special, b"x", mark=b"made by labsim", overwrite=True)


def test_files_get_the_users_umask(comparison: labsim.experiments.Comparison, tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        report = write_report(comparison, tmp_path / "r.html")
        written = comparison.write(tmp_path / "results")
    finally:
        os.umask(old)
    assert stat.S_IMODE(report.stat().st_mode) == 0o640
    assert {stat.S_IMODE(p.stat().st_mode) for p in written} == {0o640}


def test_a_store_is_never_opened_in_a_users_folder(tmp_path: Path) -> None:
    from labsim.batch.store import Store

    points = pd.DataFrame({"point": [0]})
    for name, content in ((".hidden", b"x"), ("points.parquet", b"the user's own points")):
        folder = tmp_path / name.strip(".")
        folder.mkdir()
        (folder / name).write_bytes(content)
        with pytest.raises(StoreError, match="not a labsim store"):
            Store.open(folder, {"labsim_version": "x"}, points)
        assert [p.name for p in folder.iterdir()] == [name] and (folder / name).read_bytes() == content


@pytest.mark.parametrize("written", [["notes.txt"], ["../notes.txt", "fte.parquet"], "everything", None])
def test_an_edited_manifest_never_makes_a_users_file_labsims(comparison: labsim.experiments.Comparison,
                                                             tmp_path: Path, written: object) -> None:
    import json

    folder = tmp_path / "results"
    comparison.write(folder)
    manifest = json.loads((folder / "comparison.json").read_text(encoding="utf-8"))
    manifest["written"] = written
    (folder / "comparison.json").write_text(json.dumps(manifest), encoding="utf-8")
    (folder / "notes.txt").write_text("the user's notes", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("the user's other notes", encoding="utf-8")
    (folder / "fte.parquet").write_bytes(b"the user's own fte.parquet")
    try:
        comparison.write(folder)
    except OutputError as error:  # a listed frame name the manifest no longer vouches for stops the write
        assert "labsim did not write it" in str(error)
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "the user's notes"
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "the user's other notes"
    assert (folder / "fte.parquet").read_bytes() == b"the user's own fte.parquet"
    assert not [p for p in folder.iterdir() if p.name.startswith(".labsim-")]


JOBCENTER = """
[jobcenter.teams.aktivitetsparate]
states = ["kontanthjaelp_aktivitetsparat"]
caseworkers = 2

[jobcenter.rehabiliteringsteam]
cases_per_meeting = 5

[jobcenter.courses.kursus]
states = ["a_dagpenge"]
seats = 5
intakes = ["2022-03", "2023-03"]
duration_months = 3
"""

WAIT_COLUMNS = ["scenario", "strategy", "replicate", "queue", "person", "opened", "closed", "wait_months",
                "desk_wait_months", "outcome"]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_labsim_run_writes_a_row_per_wait_and_lists_it(project: Path, fmt: str) -> None:
    with open(project / "base.toml", "a", encoding="utf-8") as file:
        file.write(JOBCENTER)
    assert cli(["run", "base.toml", "--no-progress", "--format", fmt, "--out", "results"]) == 0
    folder = project / "results"
    assert _result_files(folder) == {f"{frame}.{fmt}" for frame in FRAMES} | {"comparison.json"}
    import json

    written = json.loads((folder / "comparison.json").read_text(encoding="utf-8"))["written"]
    assert f"waits.{fmt}" in written and f"teams.{fmt}" in written
    read = pd.read_csv if fmt == "csv" else pd.read_parquet
    waits, capacity = read(folder / f"waits.{fmt}"), read(folder / f"capacity.{fmt}")
    assert list(waits.columns) == WAIT_COLUMNS
    assert set(waits["outcome"]) <= {"decided", "lapsed", "waiting", "admitted"}
    assert (waits["outcome"] == "admitted").sum() == capacity.loc[capacity["kind"] == "course", "used"].sum() == 10
    assert (waits["outcome"] == "decided").sum() == capacity.loc[capacity["kind"] == "rehab", "used"].sum() > 0
    assert waits.loc[waits["queue"] == "kursus", "desk_wait_months"].isna().all()
    assert set(capacity["kind"]) == {"team", "rehab", "course"}


def test_a_users_waits_file_beside_an_older_result_is_never_replaced(comparison: labsim.experiments.Comparison,
                                                                     tmp_path: Path) -> None:
    """A result written before labsim wrote waits.csv does not list it: a waits.csv beside it is the user's."""
    import json

    folder = tmp_path / "results"
    comparison.write(folder)
    manifest = json.loads((folder / "comparison.json").read_text(encoding="utf-8"))
    manifest["written"] = [name for name in manifest["written"] if name not in ("waits.csv", "teams.csv")]
    (folder / "comparison.json").write_text(json.dumps(manifest), encoding="utf-8")
    (folder / "teams.csv").unlink()
    (folder / "waits.csv").write_text("the user's own waits", encoding="utf-8")
    before = _tree(folder)
    with pytest.raises(OutputError, match="waits.csv is there and labsim did not write it"):
        comparison.write(folder)
    assert _tree(folder) == before


def test_a_link_loop_is_an_output_error(tmp_path: Path) -> None:
    loop = tmp_path / "loop.html"
    loop.symlink_to(loop)
    with pytest.raises(OutputError):
        write_file(loop, b"x", mark=b"x")
