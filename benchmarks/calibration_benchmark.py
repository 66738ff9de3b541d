"""The expected-value path against stochastic runs: what one evaluation of a fit costs.

    python benchmarks/calibration_benchmark.py

Brønderslev's baseline (``scenarios/broenderslev_2021.toml``, 36,128 inhabitants, January 2019 to September
2020, 21 months): preparing the expected-value model, one expected path, and one stochastic run, each the best
of five after a warm-up. Results go to ``benchmarks/results/calibration.json``.
"""

from __future__ import annotations

import json
import platform
import time
from pathlib import Path

import labsim
from labsim.calibration import ExpectedModel

ROOT = Path(__file__).resolve().parents[1]


def best(call: object, repeat: int = 5) -> float:
    """Seconds of the fastest of ``repeat`` calls after one warm-up."""
    call()  # type: ignore[operator]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    scenario = labsim.read_scenario(ROOT / "scenarios" / "broenderslev_2021.toml")
    scenario = scenario.replace(end=labsim.parse_month("2020-09"), targets=(), observed=())
    population = scenario.replicate_population(0)
    prepared = ExpectedModel(scenario, population)
    result = {
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        "labsim": labsim.__version__,
        "persons": population.n_persons,
        "types": prepared.n_types,
        "months": scenario.months,
        "prepare_s": best(lambda: ExpectedModel(scenario, population)),
        "expected_path_s": best(prepared.path),
        "stochastic_run_s": best(lambda: scenario.run(population=population)),
    }
    out = ROOT / "benchmarks" / "results" / "calibration.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
