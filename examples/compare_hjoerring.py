"""Compare Hjørringmodellen's variants and write the committee's report.

Runs the four strategies of ``scenarios/hjoerring_2022.toml`` (stop in 2024, continue to 2041, without
Hjørringmodellen, Ungegarantien with 200 seats) on common random numbers, prints the probability of meeting each
political target and the business case against the baseline, saves three figures and writes the HTML report.

    python examples/compare_hjoerring.py            # 20 replications, about 2 minutes on 2 cores
    LABSIM_EXAMPLE_REPLICATIONS=2 python examples/compare_hjoerring.py

Outputs go to ``LABSIM_EXAMPLE_OUT`` (default ``examples/output``).
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

import labsim
from labsim.plotting import plot_business_case, plot_fan, plot_targets
from labsim.report import write_report

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    matplotlib.use("Agg")
    replications = int(os.environ.get("LABSIM_EXAMPLE_REPLICATIONS", "20"))
    out = Path(os.environ.get("LABSIM_EXAMPLE_OUT", ROOT / "examples" / "output"))
    out.mkdir(parents=True, exist_ok=True)
    # from any folder: the repository's scenario names ../calibration (allow_outside)
    scenario = labsim.read_scenario(ROOT / "scenarios" / "hjoerring_2022.toml", allow_outside=True)
    result = labsim.compare(scenario, replications=replications, n_jobs=min(2, os.cpu_count() or 1), progress=True)
    targets = result.target_summary()
    print(targets.pivot(index="target", columns="strategy", values="probability").round(2).to_string())
    case = result.business_case()
    print(case.groupby("strategy")[["saving_dkk"]].sum().div(1e6).round(1).rename(
        columns={"saving_dkk": "saving 2021-2041, mio. DKK"}).to_string())
    plot_fan(result, "public_support").figure.savefig(out / "hjoerring_public_support.png", dpi=100)
    plot_targets(result).figure.savefig(out / "hjoerring_targets.png", dpi=100)
    plot_business_case(result, strategy="continue_2041").figure.savefig(out / "hjoerring_business_case.png", dpi=100)
    result.write(out / "hjoerring", "parquet")
    report = write_report(out / "hjoerring", out / "hjoerring.html")
    print(f"wrote {report} ({report.stat().st_size / 1e6:.1f} MB) and three figures to {out}")


if __name__ == "__main__":
    main()
