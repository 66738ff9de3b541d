"""A baseline projection for a synthetic municipality of 60,000 inhabitants, 2022-01 to 2041-12.

Run with ``make demo``. It builds the population from labsim's demo profile, simulates it under
the default Danish model with the profile's demography (deaths, migration, 16-year-olds entering,
refugees), and prints fuldtidspersoner per year by Hjørring's three groups, on public support in
all, and the working-age population (16 to folkepension age).

The scenario uses labsim's defaults for a baseline that holds (docs/model.md): a steady start (months in state
drawn from the model's steady state, so the first year carries no start-up transient) and rates balanced to the
start (the age-specific rates hold; the totals move with the ages of the population and with demography).
"""

from __future__ import annotations

import time

import labsim


def main() -> None:
    model = labsim.default_model()
    profile = labsim.default_profile()
    scenario = labsim.Scenario(name="demo", model=model, profile=profile, strategies=[labsim.Strategy("baseline")],
                               start="2022-01", end="2041-12", seed=2022)
    began = time.perf_counter()
    balance = scenario.rate_balance()  # solved once, in seconds
    balanced = time.perf_counter() - began
    assert balance is not None
    population = scenario.replicate_population(0)
    began = time.perf_counter()
    run = scenario.run()
    seconds = time.perf_counter() - began
    by_group = run.fte(freq="year", by="hjoerring").pivot(index="period", columns="hjoerring", values="fte")
    support = run.fte(freq="year", by="public_support").set_index("period")["fte"]
    working_age = run.working_age(freq="year").set_index("period")["persons"]
    table = by_group.assign(public_support_total=support, working_age=working_age).round(0).astype(int)
    table.columns.name = None
    print(f"{profile.name}: {population.n_persons:,} persons aged 16+, {run.n_months} months "
          f"simulated in {seconds:.2f} s (seed 2022).")
    print(f"A steady start; rates balanced to the start in {balanced:.1f} s (largest gap "
          f"{100 * balance.error:.2f} percentage points).")
    print("Fuldtidspersoner per year by group (Hjørring's grouping), and persons of working age:\n")
    print(table.to_string())


if __name__ == "__main__":
    main()
