"""A 1,000-run study of the Hjørring scenario (64,483 inhabitants, 2021–2041) and how throughput scales
from 1 to 2 local worker processes.

    python benchmarks/study_benchmark.py                 # scaling (40 runs each) and the full study
    python benchmarks/study_benchmark.py --scaling-only  # only the scaling

The full study is ``scenarios/studies/hjoerring_effects.toml`` (1,024 runs: a Sobol design of 64
points × 4 strategies × 4 replications) written to a Parquet store in a temporary folder with
``--jobs`` workers. Scaling runs the scenario's 4 strategies × 10 replications (40 runs) in memory,
serially and on 2 processes. Results go to ``benchmarks/results/study.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

import labsim

ROOT = Path(__file__).resolve().parents[1]
STUDY = ROOT / "scenarios" / "studies" / "hjoerring_effects.toml"


def timed_study(study: labsim.Study, **options: object) -> tuple[float, int, int]:
    """Seconds, runs made and runs failed."""
    started = time.perf_counter()
    results = labsim.run_study(study, **options)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    return seconds, len(results.runs), int((results.runs["status"] == "failed").sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scaling-only", action="store_true")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    out: dict[str, object] = {"machine": f"{os.cpu_count()} cores, {platform.python_version()}",
                              "labsim": labsim.__version__, "date": time.strftime("%Y-%m-%d")}
    scenario = labsim.read_scenario(ROOT / "scenarios" / "hjoerring_2022.toml")
    small = labsim.Study(scenario, replications=10)
    scaling = {}
    for jobs in (1, 2):
        seconds, runs, failed = timed_study(small, n_jobs=jobs, progress=False)
        scaling[jobs] = {"seconds": round(seconds, 1), "runs": runs, "failed": failed,
                         "runs_per_second": round(runs / seconds, 3)}
        print(f"scaling: {jobs} worker(s): {runs} runs in {seconds:.1f} s = {runs / seconds:.3f} runs/s")
    out["scaling"] = scaling
    if not args.scaling_only:
        study = labsim.read_study(STUDY)
        with tempfile.TemporaryDirectory() as folder:
            seconds, runs, failed = timed_study(study, store=Path(folder) / "store", n_jobs=args.jobs,
                                                progress=True)
            size = sum(p.stat().st_size for p in (Path(folder) / "store").rglob("*") if p.is_file())
            files = sum(1 for p in (Path(folder) / "store").rglob("*.parquet"))
        out["study"] = {"file": str(STUDY.relative_to(ROOT)), "jobs": args.jobs, "runs": runs, "failed": failed,
                        "seconds": round(seconds, 1), "runs_per_second": round(runs / seconds, 3),
                        "store_megabytes": round(size / 1e6, 1), "store_files": files}
        print(f"study: {runs} runs ({failed} failed) on {args.jobs} workers in {seconds / 60:.1f} min = "
              f"{runs / seconds:.3f} runs/s; store {size / 1e6:.1f} MB in {files} files")
    path = ROOT / "benchmarks" / "results" / "study.json"
    path.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
