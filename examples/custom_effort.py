"""Writing your own effort: a mentor scheme for long-term sick, added to Brønderslev's strategy.

A ``labsim.Effort`` is data, not a subclass: who is eligible, how many it can serve, when it runs, what it does
to which hazards during participation and after, what it costs, and the evidence behind the effect. This
script

1. writes a mentor scheme for persons on sygedagpenge for three months or more (the effect and the price are
   **assumptions**, marked as such in the effort's evidence: set them from your own evaluation and budget);
2. runs labsim's effort contract (``labsim.testing.check_effort``), the battery every built-in passes;
3. shows the error a mistake gives (an effect on a move the catalogue does not allow);
4. adds the effort to Brønderslev's investeringsstrategi and compares it with the strategy alone on common
   random numbers, 2019–2022: the effort's participants and costs per year, persons on sygedagpenge and on
   public support, and the business case.

    python examples/custom_effort.py               # 20 replications, under a minute on 2 cores
    LABSIM_EXAMPLE_REPLICATIONS=3 python examples/custom_effort.py

An effort whose rule cannot be written as these fields implements ``labsim.policy.EffortLike`` (a ``name`` and a
``plan(month, population, streams)``): see docs/reference.md.
"""

from __future__ import annotations

import os
from pathlib import Path

import labsim
from labsim.policy import Estimate
from labsim.testing import check_effort

ROOT = Path(__file__).resolve().parents[1]

MENTOR_EFFECT = Estimate(
    value=1.2, low=1.0, high=1.4, measured=False,
    basis="An assumption for the example: a modest effect on returns to work, from none to +40 %.",
    source="assumed; replace with your own evaluation (DOMAIN.md §6 holds the evidence on labsim's built-ins)",
)

mentor = labsim.Effort(
    name="mentor_sygedagpenge",
    title="Mentor for long-term sick",
    eligibility=labsim.Eligibility(states=("sygedagpenge",), min_months=3),
    schedule=labsim.Schedule("2020-01", "2022-12", ramp_months=3),
    capacity=labsim.Capacity(seats=40),
    impacts=(labsim.Impact(origins=("sygedagpenge",), destinations=("employed",), during=MENTOR_EFFECT.value,
                           after=1.1),),
    duration_months=6, after_months=6,
    costs=labsim.Costs(per_participant_month=4_000),      # an assumption: price it for your municipality
    evidence={"during": MENTOR_EFFECT},
)


def main() -> None:
    replications = int(os.environ.get("LABSIM_EXAMPLE_REPLICATIONS", "20"))
    check_effort(mentor)
    print(f"{mentor.name}: passes the effort contract")

    try:
        mentor.replace(impacts=(labsim.Impact(origins=("sygedagpenge",), destinations=("education",),
                                              during=1.2),))
    except labsim.LabsimError as error:
        print(f"a mistake is caught when the effort is made:\n  {error}")

    # from any folder: the repository's scenario names ../calibration (allow_outside)
    scenario = labsim.read_scenario(ROOT / "scenarios" / "broenderslev_2021.toml", allow_outside=True,
                                    replications=replications)
    strategy = scenario.strategies["investeringsstrategi"]
    scenario = scenario.replace(
        strategies={"investeringsstrategi": strategy,
                    "with_mentor": strategy.with_efforts(mentor, name="with_mentor")},
        baseline="investeringsstrategi", titles={**scenario.titles, "with_mentor": "Investeringsstrategi + mentor"})
    result = labsim.compare(scenario, n_jobs=min(2, os.cpu_count() or 1), progress=False)

    efforts = result.frames()["efforts"]
    mine = efforts[(efforts["strategy"] == "with_mentor") & (efforts["effort"] == mentor.name)]
    per_year = mine.assign(period=mine["period"].astype(str)).groupby("period")[["served_months", "cost_dkk"]].mean()
    print("\nThe mentor scheme per year (mean over replications):\n")
    print(per_year.round(0).astype(int).to_string())

    for measure in ("sygedagpenge", "public_support"):
        diff = result.differences(measure)
        diff = diff.assign(period=diff["period"].astype(str))[["period", "baseline", "value", "difference", "low",
                                                               "high"]]
        print(f"\n{measure}: with the mentor less without (fuldtidspersoner, paired 90 % interval):\n")
        print(diff.round(1).to_string(index=False))

    case = result.business_case()
    print("\nBusiness case against the strategy alone (mio. DKK; positive is a saving):\n")
    print(case.assign(period=case["period"].astype(str)).set_index("period")[
        ["effort_cost_dkk", "saving_dkk", "saving_low", "saving_high", "cumulative_saving_dkk"]].div(1e6).round(2)
        .to_string())
    payback = case["payback_year"].iloc[0]
    print(f"\npayback year: {payback or 'not paid back by 2022'}")


if __name__ == "__main__":
    main()
