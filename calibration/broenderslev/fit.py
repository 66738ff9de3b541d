"""Fit seven hazard factors so that Brønderslev's baseline matches its observed 2019–2020 benefit levels.

Run from the repository root::

    .venv/bin/python calibration/broenderslev/fit.py

It writes ``calibration/broenderslev/fitted_hazards.toml``, a patch of labsim's default model that
``scenarios/broenderslev_2021.toml`` (and ``hjoerring_2022.toml``) apply. The parameters:

- for akt. kontanthjælp, akt. and uddannelsesparat uddannelseshjælp, ledighedsydelse and
  ressourceforløb: one factor on every exit hazard of the state (its row of the default model);
- for jobparat kontanthjælp: one factor ``F`` split evenly between faster exits (row × √F) and fewer
  entries (every hazard into it except from education × 1/√F) — exits alone would need stays of
  under a month;
- for uddannelseshjælp: a multiplier on education → kontanthjælp for the unskilled, which under 30
  is uddannelseshjælp (the model's youth rule) — the default model's uddannelseshjælp otherwise
  drains as its recipients turn 30.

Each is found by fixed-point iteration, ``factor ← factor × (simulated / observed) ** ±1.5``, on
the average fuldtidspersoner of January 2019 to September 2020 over a few replications of the
scenario's baseline (without the investeringsstrategi), until every fitted level is within 3 %.
The observed levels are the plan's (DOMAIN.md §5.1); see README.md beside this file.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from typing import Any

import numpy as np

from labsim.io.model_file import model_from_dict
from labsim.io.scenario_file import read_scenario
from labsim.io.text import merge_tables, packaged_text
from labsim.results import Measure, Period

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SCENARIO = ROOT / "scenarios" / "broenderslev_2021.toml"
OUTPUT = HERE / "fitted_hazards.toml"

OBSERVED = {
    # state: (average fuldtidspersoner 2019, Jan–Sep 2020), source
    "kontanthjaelp_aktivitetsparat": ((203, 202), "B30 (legend order, UNSURE in DOMAIN.md)"),
    "kontanthjaelp_jobparat": ((116, 110), "B27 kontanthjælp 319 / 312 less akt. kontanthjælp 203 / 202 (B30)"),
    "uddannelseshjaelp_aktivitetsparat": ((128, 132), "B23, B30"),
    "uddannelseshjaelp_uddannelsesparat": ((76, 88), "B23"),
    "ledighedsydelse": ((177, 169), "B30 (legend order, UNSURE in DOMAIN.md)"),
    "ressourceforloeb": ((127, 115), "B30 (legend order, UNSURE in DOMAIN.md)"),
}
JOBPARAT = "kontanthjaelp_jobparat"
EXITS = tuple(state for state in OBSERVED if state != JOBPARAT)
YOUTH = ("uddannelseshjaelp_aktivitetsparat", "uddannelseshjaelp_uddannelsesparat")
PARAMETERS = (*EXITS, JOBPARAT, "youth_inflow")
PERIODS = (Period.parse("2019"), Period.parse("2020-01..2020-09"))
REPLICATIONS = 4
STEP = 1.5
TOLERANCE = 0.03
BOUNDS = (0.02, 50.0)


def _scaled(value: float | list[float], factor: float) -> float | list[float]:
    return [round(v * factor, 6) for v in value] if isinstance(value, list) else round(value * factor, 6)


def patch(factors: dict[str, float]) -> dict[str, Any]:
    """The patch of the default model for ``factors``."""
    default = tomllib.loads(packaged_text("danish_model.toml"))
    rows = default["hazards"]
    out: dict[str, dict[str, Any]] = {}
    for state in EXITS:
        out[state] = {d: _scaled(h, factors[state]) for d, h in rows[state].items()}
    root = float(np.sqrt(factors[JOBPARAT]))
    out[JOBPARAT] = {d: _scaled(h, root) for d, h in rows[JOBPARAT].items()}
    for origin, row in rows.items():
        if origin not in (JOBPARAT, "education") and JOBPARAT in row:
            out.setdefault(origin, {})[JOBPARAT] = _scaled(
                row[JOBPARAT], (factors[origin] if origin in EXITS else 1.0) / root)
    effects = [*default["effects"], {
        "attribute": "education", "level": "ufaglaert", "from": ["education"], "to": [JOBPARAT],
        "multiplier": round(factors["youth_inflow"], 6),
        "source": "fitted to Brønderslev's uddannelseshjælp 2019–2020 (calibration/broenderslev/fit.py)"}]
    return {"hazards": out, "effects": effects}


def model(factors: dict[str, float]) -> Any:
    """The default model with the patch applied, the way a scenario's ``[model] patches`` apply it."""
    return model_from_dict(merge_tables(tomllib.loads(packaged_text("danish_model.toml")), patch(factors)))


def simulated(factors: dict[str, float]) -> dict[str, float]:
    """Average fuldtidspersoner per fitted level over the observed months, mean over the replications."""
    scenario = read_scenario(SCENARIO).replace(model=model(factors))
    totals = {state: 0.0 for state in OBSERVED}
    months = sum(p.n_months for p in PERIODS)
    for replicate in range(REPLICATIONS):
        run = scenario.run(replicate=replicate)
        for state in OBSERVED:
            measure = Measure("fte", (state,))
            series = measure.monthly(run)
            totals[state] += sum(measure.value(run, p, monthly=series) * p.n_months for p in PERIODS) / months
    out = {state: total / REPLICATIONS for state, total in totals.items()}
    out["youth_inflow"] = sum(out[s] for s in YOUTH)
    return out


def target(name: str) -> float:
    if name == "youth_inflow":
        return sum(target(s) for s in YOUTH)
    (y2019, y2020), _ = OBSERVED[name]
    return (y2019 * 12 + y2020 * 9) / 21


def _toml(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return repr(value)


def write(factors: dict[str, float], fit: dict[str, float]) -> None:
    lines = [
        "# Brønderslev's fitted hazards: a patch of labsim's default model (written by fit.py; do not edit).",
        "#",
        "# Fitted so that the baseline of scenarios/broenderslev_2021.toml matches the observed average",
        "# fuldtidspersoner of 2019 and January–September 2020 (DOMAIN.md §5.1); method and sources in",
        "# calibration/broenderslev/README.md.",
        "#",
    ]
    for name in PARAMETERS:
        lines.append(f"# {name}: factor {factors[name]:.4f}; fitted {fit[name]:.1f} vs observed {target(name):.1f}"
                     + (f" ({OBSERVED[name][1]})" if name in OBSERVED else " (B23, uddannelseshjælp in all)"))
    lines.append("")
    fitted = patch(factors)
    for state, row in fitted["hazards"].items():
        lines.append(f"[hazards.{state}]")
        lines += [f"{destination} = {_toml(value)}" for destination, value in row.items()]
        lines.append("")
    for effect in fitted["effects"]:
        lines.append("[[effects]]")
        lines += [f"{key} = {_toml(value)}" for key, value in effect.items()]
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    OUTPUT.write_text("# fitting in progress\n", encoding="utf-8")  # the scenario reads this patch: start from none
    factors = {name: 1.0 for name in PARAMETERS}
    fit: dict[str, float] = {}
    for iteration in range(1, 41):
        fit = simulated(factors)
        errors = {name: fit[name] / target(name) - 1.0 for name in PARAMETERS}
        worst = max(abs(e) for e in errors.values())
        print(f"iteration {iteration}: worst {worst:+.1%}  " + "  ".join(
            f"{n[:16]} {fit[n]:.0f}/{target(n):.0f}" for n in PARAMETERS), flush=True)
        if worst < TOLERANCE:
            write(factors, fit)
            print(f"wrote {OUTPUT.relative_to(ROOT)}: " + ", ".join(f"{n} {f:.3f}" for n, f in factors.items()))
            return 0
        # more than observed: faster exits, or (for the youth inflow) fewer entries
        factors = {n: float(np.clip(factors[n] * np.clip((1.0 + errors[n]) ** (-STEP if n == "youth_inflow" else STEP),
                                                        0.5, 2.0), *BOUNDS)) for n in PARAMETERS}
    write(factors, fit)
    print("did not reach the tolerance; wrote the last factors", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
