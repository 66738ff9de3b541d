"""Brønderslev's targets: will the investeringsstrategi keep kontanthjælp and uddannelseshjælp under the ceilings?

Runs the three strategies of ``scenarios/broenderslev_2021.toml`` (without the strategy, the
investeringsstrategi, and the strategy plus Team ALFA) on common random numbers from January 2019 to December
2022, and prints

* the probability of meeting each of the plan's targets per strategy, with the median and 90 % interval;
* the plan's observed fuldtidspersoner beside the simulated ones;
* the paired difference in persons on public support from the baseline, per year;

then saves the target figure in Danish and a fan chart of aktivitetsparate on kontanthjælp.

    python examples/broenderslev_targets.py            # 20 replications, under a minute on 2 cores
    LABSIM_EXAMPLE_REPLICATIONS=3 python examples/broenderslev_targets.py

Outputs go to ``LABSIM_EXAMPLE_OUT`` (default ``examples/output``).
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

import labsim
from labsim.plotting import plot_fan, plot_targets

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    matplotlib.use("Agg")
    replications = int(os.environ.get("LABSIM_EXAMPLE_REPLICATIONS", "20"))
    out = Path(os.environ.get("LABSIM_EXAMPLE_OUT", ROOT / "examples" / "output"))
    out.mkdir(parents=True, exist_ok=True)
    # from any folder: the repository's scenario names ../calibration (allow_outside)
    scenario = labsim.read_scenario(ROOT / "scenarios" / "broenderslev_2021.toml", allow_outside=True,
                                    replications=replications)
    result = labsim.compare(scenario, n_jobs=min(2, os.cpu_count() or 1), progress=False)

    targets = result.target_summary()
    print(f"Probability of meeting each target over {replications} replications:\n")
    print(targets.pivot(index="target", columns="strategy", values="probability").round(2).to_string())
    mine = targets[targets["strategy"] == "investeringsstrategi"]
    print("\nThe investeringsstrategi: median and 90 % interval of each target's measure\n")
    print(mine[["target", "threshold", "median", "low", "high"]].round(0).to_string(index=False))

    observed = result.observed_summary()
    observed = observed[observed["strategy"] == scenario.baseline].dropna(subset=["simulated"])  # 2018: before the start
    print("\nObserved beside simulated (baseline):\n")
    print(observed[["series", "period", "observed", "simulated", "relative_error"]].round(2).to_string(index=False))

    diff = result.differences("public_support")
    diff = diff[diff["strategy"] == "investeringsstrategi"]
    print("\nPersons on public support, the investeringsstrategi less the baseline (fuldtidspersoner per year, "
          "negative is fewer; paired 90 % interval):\n")
    diff = diff.assign(period=diff["period"].astype(str))[["period", "baseline", "value", "difference", "low", "high"]]
    print(diff.round(1).to_string(index=False))

    plot_targets(result, lang="da").figure.savefig(out / "broenderslev_targets.png", dpi=100)
    plot_fan(result, "kontanthjaelp_aktivitetsparat").figure.savefig(out / "broenderslev_kontanthjaelp.png", dpi=100)
    print(f"\nwrote broenderslev_targets.png and broenderslev_kontanthjaelp.png to {out}")


if __name__ == "__main__":
    main()
