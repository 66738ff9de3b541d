"""Calibrate a municipality from its observed series: Brønderslev's kontanthjælp, 2019 to September 2020.

Fits one hazard multiplier (exits from aktivitetsparat kontanthjælp) to the plan's kontanthjælp series on the
expected-value path, then refines it on replicated stochastic runs with a 90 % interval, prints observed beside
fitted, and writes the fitted parameter file and the figure. The full fit of seven multipliers is
``calibration/broenderslev/fit.py``.

    python examples/calibrate_broenderslev.py
    LABSIM_EXAMPLE_REPLICATIONS=12 python examples/calibrate_broenderslev.py

Outputs go to ``LABSIM_EXAMPLE_OUT`` (default ``examples/output``).
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

import labsim
from labsim.calibration import HazardMultiplier, ObservedSeries, SimulatedCalibrator, write_fitted
from labsim.plotting import plot_fit

ROOT = Path(__file__).resolve().parents[1]
KONTANTHJAELP = "kontanthjaelp_jobparat+kontanthjaelp_aktivitetsparat"


def main() -> None:
    matplotlib.use("Agg")
    replications = int(os.environ.get("LABSIM_EXAMPLE_REPLICATIONS", "40"))
    out = Path(os.environ.get("LABSIM_EXAMPLE_OUT", ROOT / "examples" / "output"))
    out.mkdir(parents=True, exist_ok=True)
    observed = ObservedSeries.read_csv(ROOT / "calibration" / "data" / "broenderslev_2021.csv")
    # from any folder: the repository's scenario names ../calibration (allow_outside)
    scenario = labsim.read_scenario(ROOT / "scenarios" / "broenderslev_2021.toml", allow_outside=True)
    scenario = scenario.replace(end=labsim.parse_month("2020-09"), targets=(), observed=())
    fit = SimulatedCalibrator(HazardMultiplier("kh_aktivitetsparat_exits", "kontanthjaelp_aktivitetsparat->*"),
                              measures=[KONTANTHJAELP], replications=max(replications, 5), seed=1,
                              observation_sd=0.02).fit(observed, scenario)
    print(f"converged {fit.converged_} in {fit.rounds_} round(s)")
    print(fit.intervals_.round(3).to_string(index=False))
    table = fit.diagnostics()
    print(table[["series", "observed", "simulated", "low", "high", "error"]].round(3).to_string(index=False))
    write_fitted(fit, out / "broenderslev_fitted.toml", data_name="calibration/data/broenderslev_2021.csv")
    plot_fit(table, title="Brønderslev: kontanthjælp, observed and fitted").savefig(out / "broenderslev_fit.png",
                                                                                  dpi=100)
    print(f"wrote {out / 'broenderslev_fitted.toml'} and {out / 'broenderslev_fit.png'}")


if __name__ == "__main__":
    main()
