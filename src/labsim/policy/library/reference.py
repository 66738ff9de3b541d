"""The reference page of the built-in efforts, written from the efforts themselves so it cannot drift from the code."""

from __future__ import annotations

import inspect

from labsim.calendar import month_label
from labsim.policy.effort import Effort
from labsim.policy.library import BUILT_INS
from labsim.policy.spec import EffortSpec

__all__ = ["reference_markdown"]


def _capacity(effort: Effort) -> str:
    capacity = effort.capacity
    if capacity.team is not None:
        return (f"{capacity.caseworkers:g} caseworkers who join the jobcenter's team `{capacity.team}` (its contacts with "
                "the whole group are the effect: the team's `contact_effect`)")
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


def _default(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, tuple):
        return ", ".join(f"`{v}`" for v in value)
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    return f"`{value}`" if isinstance(value, str) else f"{value}"


def _knobs(spec: type[EffortSpec]) -> list[str]:
    rows = ["| knob | type | default | allowed | what it sets, and the source |", "|---|---|---|---|---|"]
    items = spec.knobs()
    order = sorted(items.values(), key=lambda item: (item.evidence is None, item.name in _BASE, 0))
    for item in order:
        words = item.doc.strip()
        if item.evidence is not None:
            kind = "assumed" if not item.evidence.measured else "measured"
            words += f" Evidence ({kind}): {item.evidence.describe()}. Source: {item.evidence.source}."
        rows.append(f"| `{item.name}` | {item.kind} | {_default(item.default)} | {item.check.rule} | "
                    f"{words.replace('|', '/')} |")
    return rows


_BASE = {"title", "start", "stop", "ramp_months", "duration_months", "after_months", "cost_per_participant_month",
         "fixed_cost_per_year"}


def reference_markdown() -> str:
    """Markdown listing every built-in effort: what it is, whom it serves, its evidence, and every knob with its
    type, default, allowed values and source."""
    lines = [
        "# Built-in efforts",
        "",
        "Written by `python docs/make_effort_reference.py` from `labsim.policy.library`; a test checks that it",
        "matches the code. Every effect is a multiplier of monthly hazards: the default, then the range a",
        "sensitivity study should cover. *assumed* marks an effect the evidence gives no number for (the default",
        "is the geometric middle of the range). Capacities, durations and shares are assumptions to size to a",
        "municipality.",
        "",
        "Each built-in is a spec whose fields are its **knobs**; a knob has the same name in a scenario file",
        "(`{ effort = \"ips\", effect = 1.6 }`), in Python (`labsim.policy.library.IPS(effect=1.6)`), in a sweep",
        "path (`efforts.ips.effect`) and in the record of a comparison (`comparison.json`, the report). The",
        "knob sets the effort's phase multiplier (`Impact.during` or `Impact.after`), which the effort hands the",
        "monthly step as `EffortPlan.multipliers`.",
        "",
        "| effort | Python | title | effect (default, range) |",
        "|---|---|---|---|",
    ]
    efforts = {name: spec().build() for name, spec in BUILT_INS.items()}
    for name, effort in efforts.items():
        effects = "; ".join(f"{phase} {estimate.describe()}" for phase, estimate in effort.evidence.items())
        effects = effects or "the team's `contact_effect` (1.26, range 1.00–1.60, assumed)"
        lines.append(f"| [`{name}`](#{name}) | `{BUILT_INS[name].__name__}` | {effort.title} | {effects} |")
    for name, effort in efforts.items():
        spec = BUILT_INS[name]
        doc = inspect.getdoc(spec) or ""
        lines += ["", f"## {name}", "", f"**{effort.title}** — `labsim.policy.library.{spec.__name__}`", "", doc, ""]
        stop = month_label(effort.schedule.stop) if effort.schedule.stop is not None else "open"
        lines += [
            f"- **Eligible:** {_eligibility(effort) if effort.eligibility.states else 'the group of the team it joins'}",
            f"- **Capacity:** {_capacity(effort)}",
            f"- **Runs:** {month_label(effort.schedule.start)} to {stop}; {_phases(effort)}",
            f"- **Costs:** {_costs(effort)}",
        ]
        for phase, estimate in effort.evidence.items():
            kind = "assumed" if not estimate.measured else "measured"
            lines.append(f"- **Effect ({phase}, {kind}):** {estimate.value:.2f}, range {estimate.low:.2f}–{estimate.high:.2f}. "
                         f"{estimate.basis} Source: {estimate.source}.")
        lines += ["", "Knobs:", "", *_knobs(spec)]
    return "\n".join(lines) + "\n"
