"""labsim throughput and memory benchmarks (models M0 and M1 of BENCHMARK.md), through the public API.

Throughput is person-months per second of ``labsim.simulate`` (240 months, 2022-01 to 2041-12),
the median of ``--repeat`` runs; building the population is set-up and reported separately.
Memory is the population's own arrays plus the peak of everything ``simulate`` allocates (traced
with :mod:`tracemalloc` in a separate run, since tracing slows allocation), per person. The cases
"with demography" add the demo profile's deaths, migration, entries at 16 and refugees (the
population size then changes; persons are counted at the start).

    python benchmarks/run_benchmarks.py            # M0 at 100k and 1M, M1 at 60,000 inhabitants and 1M persons
    python benchmarks/run_benchmarks.py --large    # adds M0 at 10M
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np
from m0 import M0_MATRIX, M0_SHARES, M0_STATES  # beside this script

import labsim
from labsim.policy.library import BUILT_INS

START, END = "2022-01", "2041-12"
MONTHS = 240


def m0_case(n_persons: int) -> tuple[labsim.Population, labsim.TransitionModel]:
    model = labsim.markov_model(M0_STATES, M0_MATRIX)
    counts = dict(zip(M0_STATES, (round(n_persons * s) for s in M0_SHARES), strict=True))
    return labsim.Population.from_counts(counts, catalogue=model.catalogue, seed=1), model


def m1_case(inhabitants: int) -> tuple[labsim.Population, labsim.TransitionModel]:
    model = labsim.default_model()
    profile = labsim.default_profile().scaled(inhabitants)
    assert model.rules is not None
    return labsim.synthesise(profile, pension=model.rules.pension, seed=1), model


def municipality_events(model: labsim.TransitionModel) -> tuple[labsim.Events, labsim.Jobcenter]:
    """Every kind of event: the dated rule changes, two caseworker teams (one with the 8th-week
    deadline), the rehabiliteringsteam and a course with two intakes a year."""
    return labsim.Events(calendar=labsim.danish_calendar(model, START, END)), labsim.Jobcenter(
        teams=(
            labsim.CaseworkerTeam(name="kontanthjaelp", states=("kontanthjaelp_jobparat", "kontanthjaelp_aktivitetsparat"),
                                  caseworkers=12, caseload=35, cadence_months=1),
            labsim.CaseworkerTeam(name="sygedagpenge", states=("sygedagpenge",), caseworkers=8, caseload=60,
                                  cadence_months=2, first_meeting_by_month=1),
        ),
        rehabiliteringsteam=labsim.RehabTeam(),
        courses=(labsim.CourseIntake(name="opkvalificering", states=("a_dagpenge",), seats=40,
                                     intakes=[f"{year}-{month}" for year in range(2022, 2042) for month in ("03", "09")],
                                     duration_months=3, effect_during=0.8, effect_after=1.2),),
    )


def m0_exactness(run: labsim.Run) -> dict[str, float]:
    """Final shares (after the 240th step) against x0 · P^240: the largest absolute deviation and its z-score."""
    x0 = run.ledger.stocks[0, :, 0]
    n = x0.sum()
    expected = (x0 / n) @ np.linalg.matrix_power(M0_MATRIX, MONTHS)
    observed = np.bincount(run.final_population.state, minlength=len(M0_STATES)) / n
    deviation = np.abs(observed - expected)
    z = deviation / np.sqrt(np.maximum(expected * (1 - expected) / n, 1e-300))
    return {"max_abs_share_deviation": float(deviation.max()), "max_z": float(z.max())}


def measure(name: str, build: Callable[[], tuple[labsim.Population, labsim.TransitionModel]], repeat: int) -> dict:
    began = time.perf_counter()
    population, model = build()
    profile = labsim.default_profile()
    inhabitants = round(population.n_persons * profile.inhabitants / max(profile.simulated_persons, 1))
    demography = profile.scaled(inhabitants).demography if "demography" in name else None
    events, jobcenter = municipality_events(model) if "events" in name else (None, None)
    if "efforts" in name:  # the team efforts' caseworkers join these teams, sized to the population's groups
        jobcenter = labsim.Jobcenter(teams=(
            labsim.CaseworkerTeam(name="aktivitetsparate", states=("kontanthjaelp_aktivitetsparat",),
                                  caseworkers=inhabitants / 10_000),
            labsim.CaseworkerTeam(name="far_from_work", states=("uddannelseshjaelp_aktivitetsparat", "ledighedsydelse",
                                                                "ressourceforloeb"), caseworkers=inhabitants / 10_000)))
    strategy = labsim.Strategy("all built-ins", [f() for f in BUILT_INS.values()]) if "efforts" in name else ""
    setup = time.perf_counter() - began
    n = population.n_persons
    seconds, run = [], None
    for k in range(repeat):
        began = time.perf_counter()
        run = labsim.simulate(population, model, start=START, end=END, seed=k, demography=demography, events=events,
                              jobcenter=jobcenter, strategy=strategy)
        seconds.append(time.perf_counter() - began)
    tracemalloc.start()
    tracemalloc.reset_peak()
    labsim.simulate(population, model, start=START, end=END, seed=0, demography=demography, events=events,
                    jobcenter=jobcenter, strategy=strategy)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    median = statistics.median(seconds)
    result = {
        "benchmark": name,
        "n_persons": n,
        "months": MONTHS,
        "setup_seconds": round(setup, 3),
        "run_seconds_median": round(median, 3),
        "person_months_per_second": round(n * MONTHS / median),
        "population_bytes_per_person": round(population.nbytes / n, 1),
        "peak_bytes_per_person": round((population.nbytes + peak) / n, 1),
    }
    if name.startswith("M0") and run is not None:
        result.update(m0_exactness(run))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs per benchmark (median reported)")
    parser.add_argument("--large", action="store_true", help="also run M0 with 10 million persons")
    parser.add_argument("--only", default="", help="run only the benchmarks whose name contains this text")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "latest.json")
    args = parser.parse_args()
    cases: list[tuple[str, Callable[[], tuple[labsim.Population, labsim.TransitionModel]]]] = [
        ("M0 N=100k", lambda: m0_case(100_000)),
        ("M0 N=1M", lambda: m0_case(1_000_000)),
        ("M1 60,000 inhabitants", lambda: m1_case(60_000)),
        ("M1 N=1M", lambda: m1_case(1_205_000)),  # 1,205,000 inhabitants → about 1,000,000 aged 16+
        ("M1 with demography, 60,000 inhabitants", lambda: m1_case(60_000)),
        ("M1 with demography, N=1M", lambda: m1_case(1_205_000)),
        ("M1 with demography and events, 60,000 inhabitants", lambda: m1_case(60_000)),
        ("M1 with all 27 built-in efforts, 60,000 inhabitants", lambda: m1_case(60_000)),
        ("M1 with all 27 built-in efforts, N=1M", lambda: m1_case(1_205_000)),
    ]
    if args.large:
        cases.append(("M0 N=10M", lambda: m0_case(10_000_000)))
    cases = [case for case in cases if args.only in case[0]]
    results = []
    print("| benchmark | persons | person-months/s | run s (median) | set-up s | peak bytes/person |")
    print("|---|---|---|---|---|---|")
    for name, build in cases:
        result = measure(name, build, args.repeat)
        results.append(result)
        print(f"| {name} | {result['n_persons']:,} | {result['person_months_per_second'] / 1e6:.1f} million | "
              f"{result['run_seconds_median']:.2f} | {result['setup_seconds']:.2f} | {result['peak_bytes_per_person']:.1f} |",
              flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"labsim": labsim.__version__, "python": platform.python_version(),
                                    "numpy": np.__version__, "machine": platform.machine(), "results": results}, indent=2))
    for result in results:
        if "max_z" in result:
            print(f"{result['benchmark']}: final shares vs x0·P^240, max |deviation| {result['max_abs_share_deviation']:.2e} "
                  f"(z = {result['max_z']:.2f})")


if __name__ == "__main__":
    main()
