"""The reference page of the built-in efforts, written from the efforts themselves so it cannot drift from the code."""

from __future__ import annotations

import inspect

from labsim.calendar import month_label
from labsim.policy.effort import Effort
from labsim.policy.library import BUILT_INS

__all__ = ["reference_markdown"]


def _capacity(effort: Effort) -> str:
    capacity = effort.capacity
    if capacity.seats is not None:
        return f"{capacity.seats} places"
    if capacity.caseworkers is not None:
        return f"{capacity.caseworkers:g} caseworkers × caseload {capacity.caseload:g} = {capacity.places()} persons"
    return "everyone eligible"


def _eligibility(effort: Effort) -> str:
    rule = effort.eligibility
    parts = [", ".join(f"`{s}`" for s in rule.states)]
    if rule.min_age or rule.below_age is not None:
        parts.append(f"aged {rule.min_age}" + (f"–{rule.below_age - 1}" if rule.below_age is not None else "+"))
    for name in ("sex", "education", "origin"):
        if getattr(rule, name):
            parts.append(f"{name} {', '.join(getattr(rule, name))}")
    if rule.min_months or rule.max_months is not None:
        upper = f"–{rule.max_months}" if rule.max_months is not None else "+"
        parts.append(f"month {rule.min_months}{upper} of the spell at entry")
    if rule.share < 1:
        parts.append(f"share {rule.share:g} of them (assumed target group)")
    return "; ".join(parts)


def _phases(effort: Effort) -> str:
    during = "open-ended" if effort.duration_months is None else f"{effort.duration_months} months"
    text = f"participation {during}"
    if effort.lock_in_months:
        text += f" (first {effort.lock_in_months} locked in)"
    if effort.after_months:
        text += f", then {effort.after_months} months after"
    return text


def _costs(effort: Effort) -> str:
    costs = effort.costs
    items = [(costs.per_participant_month, "per participant-month"), (costs.per_caseworker_year, "per caseworker-year"),
             (costs.fixed_per_year, "fixed per year")]
    shown = [f"{value:,.0f} DKK {label}" for value, label in items if value]
    return "; ".join(shown) or "none priced"


def reference_markdown() -> str:
    """Markdown listing every built-in effort: what it is, whom it serves, its evidence, default and range."""
    lines = [
        "# Built-in efforts",
        "",
        "Written by `python docs/make_effort_reference.py` from `labsim.policy.library`; a test checks that it",
        "matches the code. Every effect is a multiplier of monthly hazards: the default, then the range a",
        "sensitivity study should cover. *assumed* marks an effect the evidence gives no number for (the default",
        "is the geometric middle of the range). Capacities, durations and shares are assumptions to size to a",
        "municipality; each factory takes them as keyword arguments.",
        "",
        "| effort | title | effect (default, range) |",
        "|---|---|---|",
    ]
    efforts = {name: factory() for name, factory in BUILT_INS.items()}
    for name, effort in efforts.items():
        effects = "; ".join(f"{phase} {estimate.describe()}" for phase, estimate in effort.evidence.items())
        lines.append(f"| [`{name}`](#{name}) | {effort.title} | {effects} |")
    for name, effort in efforts.items():
        doc = inspect.getdoc(BUILT_INS[name]) or ""
        lines += ["", f"## {name}", "", f"**{effort.title}** — `labsim.policy.library.{name}()`", "", doc, ""]
        stop = month_label(effort.schedule.stop) if effort.schedule.stop is not None else "open"
        lines += [
            f"- **Eligible:** {_eligibility(effort)}",
            f"- **Capacity:** {_capacity(effort)}",
            f"- **Runs:** {month_label(effort.schedule.start)} to {stop}; {_phases(effort)}",
            f"- **Costs:** {_costs(effort)}",
        ]
        for phase, estimate in effort.evidence.items():
            kind = "assumed" if not estimate.measured else "measured"
            lines.append(f"- **Effect ({phase}, {kind}):** {estimate.value:.2f}, range {estimate.low:.2f}–{estimate.high:.2f}. "
                         f"{estimate.basis} Source: {estimate.source}.")
    return "\n".join(lines) + "\n"
