"""A baseline projection for a synthetic municipality of 60,000 inhabitants, 2022-01 to 2041-12.

Run with ``make demo``. It builds the population from labsim's demo profile, simulates it under
the default Danish model and prints fuldtidspersoner per year by Hjørring's three groups, and on
public support in all. The population is closed: no births, deaths or migration, so the working
age population only ages and retires.
"""

from __future__ import annotations

import time

import labsim


def main() -> None:
    model = labsim.default_model()
    profile = labsim.default_profile()
    population = labsim.synthesise(profile, pension=model.rules.pension if model.rules else None, seed=2022)
    began = time.perf_counter()
    run = labsim.simulate(population, model, start="2022-01", end="2041-12", seed=2022, scenario="demo")
    seconds = time.perf_counter() - began
    by_group = run.fte(freq="year", by="hjoerring").pivot(index="period", columns="hjoerring", values="fte")
    support = run.fte(freq="year", by="public_support").set_index("period")["fte"]
    table = by_group.assign(public_support_total=support).round(0).astype(int)
    table.columns.name = None
    print(f"{profile.name}: {population.n_persons:,} persons aged 16+, {run.n_months} months "
          f"simulated in {seconds:.2f} s (seed 2022).")
    print("Fuldtidspersoner per year by group (Hjørring's grouping; closed population):\n")
    print(table.to_string())


if __name__ == "__main__":
    main()
