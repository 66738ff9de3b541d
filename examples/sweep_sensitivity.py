"""A sweep with sensitivity: how much does Brønderslev's investeringsstrategi depend on what nobody has measured?

The investeringsstrategi adds caseworkers to the jobcenter's team for its target group; the team's contact effect has
no Danish effect size (DOMAIN.md §6: its 1.26 is the geometric middle of an assumed range 1.0–1.6) and the strategy's
size, 11 caseworkers, is itself an assumption. This study sweeps both
with a Sobol design, runs the baseline and the strategy at every point on common random numbers, and prints

* the share of runs that meet the strategy's 2022 target for its target group (at most 550 fuldtidspersoner);
* the Sobol indices of the strategy's effect on the target group in 2022 (paired against the baseline): which
  of the two assumptions the answer depends on;
* the PRIM box: the part of the parameter ranges where the target fails;

and saves a figure of the effect at every sweep point.

    python examples/sweep_sensitivity.py     # 16 base rows × 4 = 64 points × 2 strategies × 4 replications
    LABSIM_EXAMPLE_REPLICATIONS=2 LABSIM_EXAMPLE_POINTS=4 python examples/sweep_sensitivity.py

Outputs go to ``LABSIM_EXAMPLE_OUT`` (default ``examples/output``). Give ``run_study`` a ``store=`` folder to keep
the runs in a resumable Parquet store, or ``executor=`` a Dask client to run them on a cluster (docs/studies.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure

import labsim

ROOT = Path(__file__).resolve().parents[1]
TARGET = "target_group_2022"
STRATEGY = "investeringsstrategi"

EFFECT = "jobcenter.teams.far_from_work.contact_effect"
"""The team's dose-response: the multiplier on exits to work and education at caseload 35 against 80."""
CASEWORKERS = "efforts.broenderslev_investment.caseworkers"
"""The caseworkers the investeringsstrategi adds to the team."""


def main() -> None:
    matplotlib.use("Agg")
    replications = int(os.environ.get("LABSIM_EXAMPLE_REPLICATIONS", "4"))
    points = int(os.environ.get("LABSIM_EXAMPLE_POINTS", "16"))
    out = Path(os.environ.get("LABSIM_EXAMPLE_OUT", ROOT / "examples" / "output"))
    out.mkdir(parents=True, exist_ok=True)
    # from any folder: the repository's scenario names ../calibration (allow_outside)
    scenario = labsim.read_scenario(ROOT / "scenarios" / "broenderslev_2021.toml", allow_outside=True)
    study = labsim.Study(
        scenario, strategies=[STRATEGY], replications=replications, method="sobol", points=points,
        parameters=[
            labsim.Parameter(EFFECT, low=1.0, high=1.6, distribution="loguniform",
                             source="DOMAIN.md §6: no causal size for Flere skal med; assumed range 1.0–1.6"),
            labsim.Parameter(CASEWORKERS, low=5, high=16, integer=True,
                             source="an assumption: half to one and a half times the scenario's 11 caseworkers"),
        ],
    )
    print(f"{study.runs} runs: {len(study.design.values)} sweep points × 2 strategies × {replications} replications")
    results = labsim.run_study(study, n_jobs=min(2, os.cpu_count() or 1), progress=True)

    values = results.target_values(TARGET)
    print(f"\nShare of runs meeting {TARGET} (at most 550 fuldtidspersoner in 2022):")
    print(values.groupby("strategy")["met"].mean().round(2).to_string())

    indices = results.sobol(TARGET, strategy=STRATEGY, relative_to=scenario.baseline)
    print("\nSobol indices of the strategy's effect on the target group in 2022 (90 % bootstrap intervals):")
    print(indices.round(2).to_string(index=False))

    box = results.discover(TARGET, strategy=STRATEGY)
    print(f"\nWhere the target fails (PRIM): coverage {box.coverage:.2f}, density {box.density:.2f}")
    print(box.box.round(2).to_string(index=False))

    effect = results.per_point(values, STRATEGY, relative_to=scenario.baseline)
    design = results.points.set_index("point").loc[effect.index]
    figure = Figure(figsize=(7, 4.5))
    ax = figure.subplots()
    dots = ax.scatter(design[EFFECT], effect, c=design[CASEWORKERS], cmap="viridis")
    figure.colorbar(dots, ax=ax, label="caseworkers")
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_xlabel("contact effect at caseload 35 (hazard multiplier on exits to work)")
    ax.set_ylabel("target group 2022, strategy less baseline (FTP)")
    ax.set_title("The investeringsstrategi at every sweep point (mean over replications)")
    figure.savefig(out / "broenderslev_sweep.png", dpi=100)
    print(f"\nwrote {out / 'broenderslev_sweep.png'}")


if __name__ == "__main__":
    main()
