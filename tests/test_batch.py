"""Batch studies: identical results on every executor, a store that resumes exactly, Sobol indices of a
known function, PRIM, and bad input named."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

import labsim
from labsim.batch import TABLES
from labsim.cli import main as cli
from labsim.errors import LabsimError, StoreError, ValidationError
from labsim.experiments import Parameter, Study, StudyResults, discover, open_results, run_study, sample, sobol
from labsim.io.scenario_file import ScenarioError

SMALL = """
[scenario]
name = "small_study"
start = "2022-01"
end = "2023-12"
replications = 2
seed = 5

[population]
profile = "default"
inhabitants = 3000

[strategies.baseline]

[strategies.praktik]
efforts = [{ effort = "virksomhedspraktik_private", seats = 30, start = "2022-01" }]

[targets.kh_2023]
measure = "fte"
states = ["kontanthjaelp_jobparat", "kontanthjaelp_aktivitetsparat"]
comparison = "<"
threshold = 37
period = "2023"
"""

EFFECT = "efforts.virksomhedspraktik_private.effect"
SEATS = "efforts.virksomhedspraktik_private.seats"


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("study") / "small.toml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def _beside(scenario_file: Path, folder: Path) -> str:
    """A copy of the scenario in ``folder``, by its name: a study or scenario file there may name it (the files a
    file names lie in its folder tree)."""
    shutil.copy(scenario_file, folder / scenario_file.name)
    return scenario_file.name


@pytest.fixture(scope="module")
def study(scenario_file: Path) -> Study:
    scenario = labsim.read_scenario(scenario_file)
    return Study(scenario, parameters=[Parameter(EFFECT, low=1.0, high=3.0, levels=2),
                                       Parameter(SEATS, values=(10, 60))])


@pytest.fixture(scope="module")
def serial(study: Study) -> StudyResults:
    return run_study(study, progress=False)


def _same(a: StudyResults, b: StudyResults) -> None:
    """Every frame equal, dtypes included; in ``runs`` all but the wall-clock seconds."""
    for table in TABLES:
        pd.testing.assert_frame_equal(a.frame(table), b.frame(table))
    pd.testing.assert_frame_equal(a.runs.drop(columns="seconds"), b.runs.drop(columns="seconds"))


# --- replications and seeds ---------------------------------------------------------------------------------

def test_every_run_records_its_seed_and_spawn_key(serial: StudyResults, study: Study) -> None:
    runs = serial.runs
    assert len(runs) == study.runs == 4 * 2 * 2
    assert (runs["status"] == "ok").all() and (runs["seed"] == 5).all()
    assert [list(k) for k in runs["spawn_key"]] == [[r] for r in runs["replicate"]]
    # replicate k is the same child under every strategy: the baseline, untouched by the praktik's
    # parameters, is identical at every sweep point.
    base = serial.target_values("kh_2023")
    base = base[base["strategy"] == "baseline"].pivot(index="replicate", columns="point", values="value")
    assert (base.nunique(axis=1) == 1).all()
    # … and equals a plain comparison's replicate k.
    plain = labsim.compare(study.scenario, ["baseline"], replications=2)
    assert plain.targets["value"].tolist() == base[0].tolist()


def test_sweep_points_reach_the_runs(serial: StudyResults) -> None:
    values = serial.target_values("kh_2023").merge(serial.points, on="point")
    praktik = values[values["strategy"] == "praktik"]
    by_seats = praktik.groupby(SEATS)["value"].mean()
    assert by_seats[60] < by_seats[10]  # more seats, fewer on kontanthjælp
    assert sorted(serial.points[EFFECT].unique()) == [1.0, 3.0]


def test_a_business_cycle_is_swept_as_one_value(scenario_file: Path, tmp_path: Path) -> None:
    cycle = tmp_path / "cycle.toml"
    cycle.write_text(f'extends = "{_beside(scenario_file, tmp_path)}"\n[macro]\n'
                     f'recession = {{ start = "2022-03", months = 18, depth = 1.2 }}\n', encoding="utf-8")
    scenario = labsim.read_scenario(cycle)
    assert max(scenario.macro.values) == pytest.approx(1.2)  # type: ignore[union-attr]
    study = Study(scenario, parameters=[Parameter("macro.recession.depth", values=(1.0, 1.6))], strategies=["baseline"],
                  replications=2)
    results = run_study(study, progress=False)
    values = results.target_values("kh_2023").groupby("point")["value"].mean()
    assert values[1] > values[0]  # a deeper downturn, more on kontanthjælp


def test_a_sweep_of_the_jobcenter_keeps_its_teams_and_waits(scenario_file: Path, tmp_path: Path) -> None:
    center = tmp_path / "center.toml"
    center.write_text(f'extends = "{_beside(scenario_file, tmp_path)}"\n'
                      '[jobcenter.teams.aktivitetsparate]\nstates = ["kontanthjaelp_aktivitetsparat"]\ncaseworkers = 1\n'
                      '[jobcenter.rehabiliteringsteam]\ncases_per_meeting = 3\n', encoding="utf-8")
    study = Study(labsim.read_scenario(center), strategies=["baseline"], replications=1,
                  parameters=[Parameter("jobcenter.teams.aktivitetsparate.caseworkers", values=(1, 3))])
    in_memory = run_study(study, progress=False)
    on_disk = run_study(study, store=tmp_path / "store", progress=False)
    for table in ("teams", "waits", "capacity"):
        pd.testing.assert_frame_equal(in_memory.frame(table), on_disk.frame(table), check_dtype=False)
    teams = on_disk.frame("teams")
    assert teams.groupby("point")["caseworkers"].max().tolist() == [1.0, 3.0]
    assert set(on_disk.frame("capacity")["kind"]) == {"team", "rehab"}
    waits = on_disk.frame("waits")
    assert len(waits) > 0 and set(waits["queue"]) == {"rehabiliteringsteam"} and waits["desk_wait_months"].notna().any()


# --- executors ---------------------------------------------------------------------------------------------

def test_identical_results_serial_processes_and_dask(study: Study, serial: StudyResults, tmp_path: Path) -> None:
    processes = run_study(study, n_jobs=2, progress=False)
    _same(serial, processes)
    import distributed  # a dev dependency: the comparison with Dask must run, not skip

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        on_dask = run_study(study, executor=client, store=tmp_path / "dask", progress=False)
    on_disk = run_study(study, store=tmp_path / "serial", progress=False, flush_runs=3)
    _same(on_disk, on_dask)
    for table in ("fte", "targets"):
        pd.testing.assert_frame_equal(serial.frame(table), on_disk.frame(table), check_dtype=False)


def test_an_effort_defined_in_a_notebook_runs_in_worker_processes(scenario_file: Path) -> None:
    # `python -c` has no file for its __main__ module, like a notebook: the effort class exists only there.
    script = textwrap.dedent(f"""
        import dataclasses, labsim
        from labsim.policy import library

        @dataclasses.dataclass(frozen=True)
        class Doubled:
            inner: object
            name: str = "doubled_praktik"
            def plan(self, month, population, streams):
                return self.inner.plan(month, population, streams)

        scenario = labsim.read_scenario({str(scenario_file)!r})
        effort = Doubled(library.VirksomhedspraktikPrivate(start="2022-01", seats=40))
        scenario = scenario.replace(strategies={{"baseline": labsim.Strategy("baseline"),
                                                "mine": labsim.Strategy("mine", [effort])}}, targets=())
        study = labsim.Study(scenario)
        a = labsim.run_study(study, progress=False).frame("fte")
        b = labsim.run_study(study, n_jobs=2, progress=False).frame("fte")
        assert a.equals(b), "serial and processes differ"
        print("same", len(a))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("same")


# --- the store ---------------------------------------------------------------------------------------------

def test_store_is_hive_partitioned_with_metadata_and_reads_lazily(study: Study, tmp_path: Path) -> None:
    store = tmp_path / "store"
    run_study(study, store=store, progress=False)
    partition = store / "fte" / "scenario=small_study" / "strategy=praktik" / "point=3"
    assert any(partition.glob("part-*.parquet"))
    meta = pq.read_schema(next(partition.glob("part-*.parquet"))).metadata
    identity = json.loads(meta[b"labsim"])
    assert identity["labsim_version"] == labsim.__version__ and identity["seed"] == 5
    assert identity["scenario_hash"] == labsim.experiments.scenario_fingerprint(study.scenario)
    assert [p["path"] for p in identity["parameters"]] == [EFFECT, SEATS]
    assert meta[b"labsim.scenario_text"].decode() == study.scenario.text
    results = open_results(store)
    dataset = results.dataset("fte")
    assert dataset.partitioning is not None and "point" in dataset.schema.names
    import pyarrow.dataset as ds
    only = results.frame("fte", columns=["fte"], filter=ds.field("strategy") == "praktik")
    assert set(only["strategy"]) == {"praktik"} and set(only.columns) >= {"point", "replicate", "fte"}


@pytest.fixture(scope="module")
def whole(study: Study, tmp_path_factory: pytest.TempPathFactory) -> StudyResults:
    return run_study(study, store=tmp_path_factory.mktemp("whole") / "store", progress=False, flush_runs=2)


def test_ctrl_c_during_a_commit_loses_that_batch_only_and_resume_adds_exactly_the_rest(
        study: Study, whole: StudyResults, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from labsim.batch import store as store_module
    original = store_module._write_atomic

    def interrupted(path: Path, write: object) -> None:
        if path.name == "part-000003.parquet" and path.parent.name == "runs":
            raise KeyboardInterrupt  # Ctrl-C while batch 3 commits
        original(path, write)  # type: ignore[arg-type]

    monkeypatch.setattr(store_module, "_write_atomic", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_study(study, store=tmp_path / "cut", progress=False, flush_runs=2)
    monkeypatch.setattr(store_module, "_write_atomic", original)
    cut = open_results(tmp_path / "cut")
    assert len(cut.runs) == 4  # batches 1 and 2; batch 3 wrote its frames but never committed
    assert not cut.runs.duplicated(["strategy", "point", "replicate"]).any()
    with pytest.raises(StoreError, match="resume"):
        run_study(study, store=tmp_path / "cut", progress=False)
    resumed = run_study(study, store=tmp_path / "cut", resume=True, progress=False, flush_runs=2)
    assert len(resumed.runs) == study.runs
    assert not resumed.runs.duplicated(["strategy", "point", "replicate"]).any()
    _same(whole, resumed)


def test_a_hard_kill_before_a_commit_leaves_files_that_resume_discards(
        scenario_file: Path, study: Study, whole: StudyResults, tmp_path: Path) -> None:
    store = tmp_path / "killed"
    # The process dies (no clean-up of any kind) after batch 3 wrote its frames and before its commit.
    script = textwrap.dedent(f"""
        import os, labsim
        from labsim.batch import store as store_module
        original = store_module._write_atomic
        def dying(path, write):
            if path.name == "part-000003.parquet" and path.parent.name == "runs":
                os._exit(9)
            original(path, write)
        store_module._write_atomic = dying
        scenario = labsim.read_scenario({str(scenario_file)!r})
        study = labsim.Study(scenario, parameters=[
            labsim.Parameter({EFFECT!r}, low=1.0, high=3.0, levels=2), labsim.Parameter({SEATS!r}, values=(10, 60))])
        labsim.run_study(study, store={str(store)!r}, progress=False, flush_runs=2)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 9, done.stderr[-2000:]
    orphans = list(store.rglob("part-000003.parquet"))
    assert orphans and not (store / "runs" / "part-000003.parquet").exists()
    assert len(open_results(store).runs) == 4  # readers see committed batches only
    resumed = run_study(study, store=store, resume=True, progress=False, flush_runs=2)
    assert len(resumed.runs) == study.runs
    _same(whole, resumed)  # the orphaned frames of batch 3 were discarded: no row twice


def test_a_killed_sweep_resumes_from_the_command_line(scenario_file: Path, tmp_path: Path) -> None:
    study_file = tmp_path / "study.toml"
    study_file.write_text(f"""
[study]
scenario = "{_beside(scenario_file, tmp_path)}"
replications = 3
method = "lhs"
points = 6

[parameters."{EFFECT}"]
low = 1.0
high = 3.0
""", encoding="utf-8")
    store = tmp_path / "store"
    command = [sys.executable, "-m", "labsim", "sweep", str(study_file), "--out", str(store), "--no-progress",
               "--flush-runs", "2"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list((store / "runs").glob("part-*.parquet")):
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    killed = open_results(store)
    assert 0 < len(killed.runs) < 36, "the sweep finished before it could be killed"
    assert cli(["sweep", str(study_file), "--out", str(store), "--resume", "--no-progress"]) == 0
    assert cli(["sweep", str(study_file), "--out", str(tmp_path / "whole"), "--no-progress"]) == 0
    _same(open_results(tmp_path / "whole"), open_results(store))
    assert len(open_results(store).runs) == 36


def test_a_failing_run_is_recorded_and_the_study_goes_on(scenario_file: Path) -> None:
    scenario = labsim.read_scenario(scenario_file)
    study = Study(scenario, parameters=[Parameter(SEATS, values=(20, -5))], strategies=["praktik"], replications=1)
    results = run_study(study, progress=False)
    assert len(results.runs) == 4 and len(results.failures) == 2
    failed = results.failures
    assert set(failed["point"]) == {1} and failed["error"].str.contains("seats").all()
    assert set(results.frame("fte")["point"]) == {0}


def test_a_worker_that_dies_fails_its_runs_and_the_study_goes_on(study: Study) -> None:
    def vary(scenario: labsim.Scenario, values: dict) -> labsim.Scenario:
        if values["x"] == 2:
            os._exit(3)  # the worker process dies
        return scenario

    # point 1 kills its worker at once; the tasks in flight then (at most two per worker: 4) are lost with it,
    # and the rest run on a new pool. (The study builds point 0 when it is made, in this process.)
    dying = Study(study.scenario, parameters=[Parameter("x", values=tuple(range(1, 13)))], strategies=["baseline"],
                  replications=1, vary=vary)
    results = run_study(dying, n_jobs=2, progress=False)
    assert len(results.runs) == 12
    failed = results.failures
    assert 1 in set(failed["point"]) and len(failed) <= 4
    assert failed["error"].str.contains("worker process died").all()
    ok = results.runs[results.runs["status"] == "ok"]
    assert 11 in set(ok["point"]) and len(ok) >= 8  # the last points ran on the new pool


def test_progress_bar_only_when_asked(study: Study, capsys: pytest.CaptureFixture[str]) -> None:
    small = Study(study.scenario, strategies=["baseline"], replications=1)
    run_study(small, progress=False)
    quiet = capsys.readouterr()
    assert quiet.out == "" and quiet.err == ""
    run_study(small, progress=True)
    assert "runs" in capsys.readouterr().err


# --- sensitivity -------------------------------------------------------------------------------------------

def test_sobol_indices_of_one_parameter_and_of_a_tiny_design() -> None:
    design = sample([Parameter("x", low=0.0, high=1.0)], "sobol", 256, seed=3)
    alone = sobol(design, design.values["x"].to_numpy() ** 2).iloc[0]
    assert alone["first_order"] == pytest.approx(1.0, abs=0.05) and alone["total_order"] == pytest.approx(1.0, abs=0.05)
    tiny = sample([Parameter("x", low=0.0, high=1.0), Parameter("y", low=0.0, high=1.0)], "sobol", 2, seed=3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sobol(tiny, tiny.values["x"].to_numpy())  # two base rows: indices, perhaps NaN intervals, and no warnings
    with pytest.raises(labsim.ValidationError, match="at least 2"):
        sample([Parameter("x", low=0.0, high=1.0)], "sobol", 1)


def test_sobol_indices_of_the_ishigami_function_match_the_analytic_values() -> None:
    a, b = 7.0, 0.1
    parameters = [Parameter(f"x{i}", low=-np.pi, high=np.pi) for i in (1, 2, 3)]
    design = sample(parameters, "sobol", 2**12, seed=1)
    x = design.values[[p.path for p in parameters]].to_numpy()
    y = np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])
    variance = a**2 / 8 + b * np.pi**4 / 5 + b**2 * np.pi**8 / 18 + 0.5
    v1 = 0.5 * (1 + b * np.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * np.pi**8 * (1 / 18 - 1 / 50)
    first = np.array([v1, v2, 0.0]) / variance
    total = np.array([v1 + v13, v2, v13]) / variance
    indices = sobol(design, y, resamples=20)
    # Saltelli's estimator at 4,096 base rows: errors of about 0.01; tolerance 0.03.
    assert indices["first_order"].to_numpy() == pytest.approx(first, abs=0.03)
    assert indices["total_order"].to_numpy() == pytest.approx(total, abs=0.03)
    assert (indices["first_low"] <= indices["first_order"]).all()


def test_prim_finds_the_box_where_the_outcome_fails() -> None:
    rng = np.random.default_rng(2)
    inputs = pd.DataFrame(rng.random((3000, 3)), columns=["a", "b", "c"])
    fails = ((inputs["a"] > 0.7) & (inputs["b"] < 0.3)).to_numpy()
    found = discover(inputs, fails)
    box = found.box.set_index("parameter")
    assert box.loc["a", "low"] == pytest.approx(0.7, abs=0.03) and box.loc["b", "high"] == pytest.approx(0.3, abs=0.03)
    assert not box.loc["c", "restricted"]
    assert found.density > 0.9 and found.coverage > 0.8
    assert found.base_rate == pytest.approx(fails.mean())


def test_prim_when_everything_or_nothing_fails_and_for_text_values() -> None:
    inputs = pd.DataFrame({"x": np.linspace(0, 1, 50), "month": ["2022-01", "2023-01"] * 25})
    none = discover(inputs, np.zeros(50, dtype=bool))
    assert none.base_rate == 0 and not none.box["restricted"].any()
    every = discover(inputs, np.ones(50, dtype=bool))
    assert every.base_rate == 1 and every.density == 1
    months = discover(inputs, (inputs["month"] == "2023-01").to_numpy())
    box = months.box.set_index("parameter")
    assert box.loc["month", "low"] == 1 and months.density == 1  # the later month, by rank


def test_bands_and_discovery_on_a_study(serial: StudyResults) -> None:
    fan = serial.bands("fte")
    assert {"q05", "q50", "q95", "runs"} <= set(fan.columns) and (fan["runs"] == 2).all()
    assert (fan["q05"] <= fan["q50"]).all() and (fan["q50"] <= fan["q95"]).all()
    found = serial.discover("kh_2023", "praktik")
    assert found.coverage >= 0.5 and found.density >= found.base_rate
    with pytest.raises(ValidationError, match="sobol"):
        serial.sobol("kh_2023", "praktik")


# --- bad input ---------------------------------------------------------------------------------------------

def test_bad_sweeps_and_stores_are_named(study: Study, scenario_file: Path, tmp_path: Path) -> None:
    scenario = study.scenario
    with pytest.raises(ValidationError, match="efforts.ips.effect"):
        Study(scenario, parameters=[Parameter("efforts.ips.effect", low=1, high=2)])
    with pytest.raises(LabsimError, match="profile.inhabitans"):
        Study(scenario, parameters=[Parameter("profile.inhabitans", low=1000, high=2000, integer=True)])
    with pytest.raises(ValidationError, match="low 3.0 is above high 1.0"):
        Parameter(EFFECT, low=3.0, high=1.0)
    with pytest.raises(ValidationError, match="power of 2"):
        Study(scenario, parameters=[Parameter(EFFECT, low=1, high=2)], method="sobol", points=10)
    with pytest.raises(ValidationError, match="do not give points"):
        Study(scenario, parameters=[Parameter(EFFECT, low=1, high=2)], points=10)
    small = Study(scenario, strategies=["baseline"], replications=1)
    run_study(small, store=tmp_path / "s", progress=False)
    other = tmp_path / "other.toml"
    other.write_text(SMALL.replace("inhabitants = 3000", "inhabitants = 3100"), encoding="utf-8")
    changed = Study(labsim.read_scenario(other), strategies=["baseline"], replications=1)
    with pytest.raises(StoreError, match="scenario 'small_study' \\(hash"):
        run_study(changed, store=tmp_path / "s", resume=True, progress=False)
    replaced = Study(scenario.replace(danish_calendar=False), strategies=["baseline"], replications=1)
    with pytest.raises(StoreError, match="hash"):
        run_study(replaced, store=tmp_path / "s", resume=True, progress=False)
    more = Study(scenario, strategies=["baseline"], replications=2)
    with pytest.raises(StoreError, match="replications: store 1, study 2"):
        run_study(more, store=tmp_path / "s", resume=True, progress=False)
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "x.txt").write_text("x")
    with pytest.raises(StoreError, match="not a labsim store"):
        run_study(small, store=tmp_path / "junk", progress=False)
    with pytest.raises(StoreError, match="no such folder"):
        open_results(tmp_path / "nowhere")


def test_bad_study_file_lists_its_problems_and_the_cli_exits_2(scenario_file: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(f"""
[study]
scenario = "{_beside(scenario_file, tmp_path)}"
method = "grids"
replicatons = 2

[parameters."{EFFECT}"]
low = 3
high = 1
""", encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        labsim.read_study(bad)
    assert "study.method" in str(caught.value) and "study.replicatons" in str(caught.value)
    out = tmp_path / "out"
    assert cli(["sweep", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and not out.exists()
    ok = tmp_path / "ok.toml"
    ok.write_text(f'[study]\nscenario = "{_beside(scenario_file, tmp_path)}"\n'
                  f'[parameters."efforts.nope.effect"]\nlow = 1\nhigh = 2\n', encoding="utf-8")
    assert cli(["sweep", str(ok), "--out", str(out)]) == 2
    assert "efforts.nope.effect" in capsys.readouterr().err and not out.exists()


def test_cli_sweep_reports_failures_and_sensitivity(scenario_file: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    study_file = tmp_path / "study.toml"
    study_file.write_text(f"""
[study]
scenario = "{_beside(scenario_file, tmp_path)}"
replications = 1
strategies = ["praktik"]

[parameters."{SEATS}"]
values = [40, -5]
""", encoding="utf-8")
    assert cli(["sweep", str(study_file), "--out", str(tmp_path / "out"), "--no-progress"]) == 0
    text = capsys.readouterr().out
    assert "2 failed" in text and "first failure: baseline point 1" in text  # the point cannot be built
    assert "Target 'kh_2023', strategy 'praktik'" in text


def test_cli_sweep_tries_a_smaller_design_and_fewer_strategies(scenario_file: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    study_file = tmp_path / "study.toml"
    study_file.write_text(f"""
[study]
scenario = "{_beside(scenario_file, tmp_path)}"
replications = 1
method = "sobol"
points = 8

[parameters."{EFFECT}"]
low = 1.0
high = 3.0
""", encoding="utf-8")
    assert cli(["sweep", str(study_file), "--out", str(tmp_path / "out"), "--no-progress", "--points", "2",
                "--strategies", "praktik"]) == 0
    out = capsys.readouterr()
    assert "12 runs" in out.out and "(2 strategies × 1 replications × 6 points, sobol)" in out.out  # 2 × (1 + 2)
    assert "Warning" not in out.err  # a two-row design's degenerate bootstrap is not the analyst's noise
    assert labsim.open_results(tmp_path / "out").points["point"].tolist() == list(range(6))
    assert cli(["sweep", str(study_file), "--out", str(tmp_path / "bad"), "--points", "3"]) == 2
    assert "needs points a power of 2" in capsys.readouterr().err
