"""The HTML of a report: sections, tables and figures embedded as PNG, in one file."""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from labsim.events.rehab import REHAB_QUEUE
from labsim.experiments import Comparison
from labsim.experiments.baseline_check import GAP_THRESHOLD, LAW_AGE_YEARS, baseline_method
from labsim.files.output import check_file, write_file
from labsim.plotting import (
    TEAM_MEASURES,
    plot_business_case,
    plot_capacity,
    plot_fan,
    plot_intakes,
    plot_population,
    plot_queue,
    plot_stocks,
    plot_targets,
    plot_team,
    plot_waits,
)
from labsim.plotting.labels import check_lang, text
from labsim.report.results import ReportResults, results_of

__all__ = ["SECTIONS", "REPORT_MARK", "report_html", "write_report"]

SECTIONS: tuple[str, ...] = ("scenario", "strategies", "targets", "outcomes", "business-case", "capacity", "observed",
                              "baseline", "assumptions", "reproducibility")
"""Every section of a report by its HTML id, in order; its heading is ``text(f"section:{id}", lang)``
(:mod:`labsim.plotting.labels`). A folder written before labsim checked the baseline has no ``baseline`` section."""

_STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;
color:#222;line-height:1.45}
h1{margin-bottom:.2rem}h2{border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2.2rem}
table{border-collapse:collapse;font-size:.85rem;margin:.6rem 0}th,td{border:1px solid #ddd;padding:.25rem .5rem;
text-align:left;vertical-align:top}th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:1rem 0}figure img{max-width:100%}figcaption{font-size:.85rem;color:#555}
.meta{color:#555}pre{background:#f7f7f7;padding:.6rem;overflow-x:auto;font-size:.8rem}nav a{margin-right:.8rem}
"""


REPORT_MARK = b"<meta name='generator' content='labsim"
"""What every report holds near its start: how labsim knows a file it may replace is one of its reports."""


def write_report(source: Comparison | ReportResults | str | Path, path: str | Path, *, lang: str = "en",
                 overwrite: bool = False) -> Path:
    """Write the report of ``source`` (a comparison, or the folder ``labsim compare --out`` wrote) to ``path``,
    through a temporary file so that a failure leaves nothing half-written; returns the path. An existing file
    is replaced only when it is a labsim report, or with ``overwrite`` (:func:`labsim.files.output.write_file`)."""
    check_file(path, mark=REPORT_MARK, overwrite=overwrite)  # before the work
    document = report_html(source, lang=lang)
    return write_file(path, document, mark=REPORT_MARK, overwrite=overwrite)


def report_html(source: Comparison | ReportResults | str | Path, *, lang: str = "en") -> str:
    """The report of ``source`` as one HTML document (see :data:`SECTIONS`)."""
    check_lang(lang)
    results = results_of(source)
    manifest = results.manifest
    title = manifest.get("title") or manifest["scenario"]
    body = [f"<h1>{_e(title)}</h1>",
            f"<p class='meta'>labsim {_e(manifest['labsim'])} · scenario <code>{_e(manifest['scenario'])}</code> · "
            f"{_e(manifest['start'])} – {_e(manifest['end'])} · {_e(manifest['replications'])} replications per "
            f"strategy · seed {_e(manifest['seed'])}</p>"]
    sections = {key: parts for key in SECTIONS if (parts := _BUILDERS[key](results, lang))}  # empty: nothing to say
    body.append("<nav>" + "".join(f"<a href='#{key}'>{_e(text(f'section:{key}', lang))}</a>" for key in sections)
                + "</nav>")
    for key, parts in sections.items():
        body += [f"<section id='{key}'>", f"<h2>{_e(text(f'section:{key}', lang))}</h2>", *parts, "</section>"]
    return ("<!DOCTYPE html>\n<html lang='" + lang + "'><head><meta charset='utf-8'>"
            f"<meta name='generator' content='labsim {_e(manifest['labsim'])}'><title>{_e(title)}</title>"
            f"<style>{_STYLE}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


def _scenario(results: ReportResults, lang: str) -> list[str]:
    m = results.manifest
    rows = [("scenario", m["scenario"]), ("title", m.get("title", "")), ("months", f"{m['start']} – {m['end']}"),
            ("baseline", m["baseline"]), ("replications", m["replications"]), ("seed", m["seed"])]
    parts = [f"<p>{_e(m['description'])}</p>"] if m.get("description") else []
    return parts + [_table(pd.DataFrame(rows, columns=["", " "]))]


def _strategies(results: ReportResults, lang: str) -> list[str]:
    rows = [{"strategy": s["name"], "title": s["title"],
             "efforts": ", ".join(e["title"] if e["title"] == e["name"] else f"{e['title']} ({e['name']})"
                                  for e in s["efforts"]) or "–"} for s in results.manifest["strategies"]]
    return [_table(pd.DataFrame(rows))]


def _targets(results: ReportResults, lang: str) -> list[str]:
    summary = results.frame("target_summary")
    if summary.empty:
        return ["<p>The scenario sets no targets.</p>"]
    shown = summary[["strategy", "target", "measure", "period", "probability", "median", "low", "high", "source"]].copy()
    shown["probability"] = shown["probability"].map("{:.0%}".format)
    return [_figure(lambda ax: plot_targets(summary, ax=ax, lang=lang), "The probability of meeting each target with "
                    "its 90 % interval over the replications.", (8.0, 0.5 * summary["target"].nunique() + 1.8)),
            _table(shown)]


def _outcomes(results: ReportResults, lang: str) -> list[str]:
    fte, stocks = results.frame("fte"), results.frame("stocks")
    baseline = results.baseline
    parts = [_figure(lambda ax: plot_fan(fte, "public_support", ax=ax, lang=lang),
                     "Fuldtidspersoner on public support per year: median, 50 % and 90 % bands over replications.")]
    grouping = "hjoerring" if {"employed", "folkepension"} <= set(fte["state"].astype(str)) else None
    parts.append(_figure(lambda ax: plot_stocks(stocks, strategy=baseline, grouping=grouping, ax=ax, lang=lang),
                         f"Persons by group per month under {baseline}, mean over replications."))
    if "folkepension" in set(stocks["state"].astype(str)):
        parts.append(_figure(lambda ax: plot_population(stocks, strategy=baseline, ax=ax, lang=lang),
                             "The working-age population and the labour force (employed, fleksjob, a-dagpenge and "
                             "jobparat kontanthjælp, an assumption), with the 90 % band."))
    return parts


def _business_case(results: ReportResults, lang: str) -> list[str]:
    case = results.frame("business_case")
    if case.empty:
        return ["<p>Only one strategy: there is nothing to compare the baseline with.</p>"]
    parts = []
    for strategy in dict.fromkeys(case["strategy"].astype(str)):
        parts.append(_figure(lambda ax, s=strategy: plot_business_case(case, strategy=s, baseline=results.baseline,
                                                                        ax=ax, lang=lang),
                             f"{strategy} against {results.baseline}: net saving per year (of the net cost, benefits − "
                             "refund + effort cost) with its paired 90 % interval, and cumulative; payback marked."))
    shown = case[["strategy", "period", "net_cost_dkk", "saving_dkk", "saving_low", "saving_high",
                  "cumulative_saving_dkk", "payback_year"]].copy()
    for column in ("net_cost_dkk", "saving_dkk", "saving_low", "saving_high", "cumulative_saving_dkk"):
        shown[column] = (shown[column] / 1e6).map("{:,.1f}".format)
    shown.columns = ["strategy", "year", "net cost, mio. DKK", "saving", "saving low", "saving high", "cumulative",
                     "payback"]
    return parts + [_table(shown)]


_SCARCE = ["effort", "team"]
"""The kinds of capacity the per-strategy figure draws; the rehabiliteringsteam and the courses have figures of
their own."""


def _capacity(results: ReportResults, lang: str) -> list[str]:
    capacity, teams, waits = results.frame("capacity"), results.frame("teams"), results.frame("waits")
    if capacity.empty and teams.empty:
        return [_figure(lambda ax: plot_capacity(capacity, ax=ax, lang=lang), "No strategy has scarce capacity.")]
    kinds = capacity["kind"].astype(str)
    scarce = capacity[kinds.isin(_SCARCE)]
    parts = [_figure(lambda ax, s=strategy: plot_capacity(capacity, strategy=s, kinds=_SCARCE, ax=ax, lang=lang),
                     f"Places of the efforts and meetings of the caseworker teams per month under {strategy}, mean "
                     "over replications.")
             for strategy in dict.fromkeys(scarce["strategy"].astype(str))]
    for team in dict.fromkeys(teams["team"].astype(str)):
        parts.append(_panels([_team_panel(teams, team, measure, lang, legend=i == 0)
                              for i, measure in enumerate(TEAM_MEASURES)],
                             f"Caseworker team {team} per month and strategy, mean over replications: its caseworkers "
                             "(efforts that join it included), the persons it follows per caseworker, the meetings "
                             "held per person, and the multiplier these contacts give the persons' moves to work and "
                             "education (1 at the caseload the model's hazards hold at)."))
    if (capacity.loc[kinds == "rehab", "resource"].astype(str) == REHAB_QUEUE).any():
        draws = [_queue_panel(capacity, REHAB_QUEUE, lang)]
        if _served(waits, REHAB_QUEUE):
            draws.append(lambda ax: plot_waits(waits, REHAB_QUEUE, ax=ax, lang=lang))
        parts.append(_panels(draws, "The rehabiliteringsteam per month and strategy: cases open at the month's end "
                                    "(mean over replications), and the mean wait of the cases decided in the month, "
                                    "with the part they waited for a preparer."))
    for course in dict.fromkeys(capacity.loc[kinds == "course", "resource"].astype(str)):
        parts.append(_panels([_intakes_panel(capacity, course, lang), _queue_panel(capacity, course, lang)],
                             f"Course {course} at each intake and per strategy, mean over replications: seats and "
                             "persons admitted, and the eligible persons left waiting for the next intake."))
    return parts


def _team_panel(teams: pd.DataFrame, team: str, measure: str, lang: str, legend: bool) -> Callable[[Axes], Axes]:
    """A panel of a team's figure; the strategies' legend on the first only (the panels share their colours)."""
    def draw(ax: Axes) -> Axes:
        plot_team(teams, measure, team=team, ax=ax, lang=lang)
        drawn = ax.get_legend()
        if not legend and drawn is not None:
            drawn.remove()
        return ax
    return draw


def _queue_panel(capacity: pd.DataFrame, queue: str, lang: str) -> Callable[[Axes], Axes]:
    return lambda ax: plot_queue(capacity, queue, ax=ax, lang=lang)


def _intakes_panel(capacity: pd.DataFrame, course: str, lang: str) -> Callable[[Axes], Axes]:
    return lambda ax: plot_intakes(capacity, course, ax=ax, lang=lang)


def _served(waits: pd.DataFrame, queue: str) -> bool:
    """Whether ``waits`` holds a served wait (a decided case, an admission) of ``queue``."""
    return bool(((waits["queue"].astype(str) == queue) & waits["outcome"].astype(str).isin(("decided",
                                                                                          "admitted"))).any())


def _observed(results: ReportResults, lang: str) -> list[str]:
    observed = results.frame("observed_summary")
    if observed.empty:
        return ["<p>The scenario lists no observed series.</p>"]
    return [_table(observed)]


def _baseline(results: ReportResults, lang: str) -> list[str]:
    check = results.frames.get("baseline_check")
    if check is None or check.empty:  # written before labsim checked the baseline
        return []
    first, last = check["first_year"].iloc[0], check["last_year"].iloc[0]
    warning = check["warning"].astype("string").fillna("")
    shown = pd.DataFrame({
        "group": check["group"],
        **{f"crude rate, {year}": check[column].map(_percent) for year, column in ((first, "crude_first"),
                                                                                (last, "crude_last"))},
        "crude change": check["crude_change"].map(_signed),
        f"standardised rate, {first}": check["standardised_first"].map(_percent),
        f"standardised rate, {last}": check["standardised_last"].map(_percent),
        "standardised change": check["standardised_change"].map(_signed),
        "largest monthly change, first year": check["first_year_monthly_change"].map(_percent),
        "monthly change later (90th percentile)": check["later_monthly_change"].map(_percent),
        "warning": warning.where(warning != "", "–"),
    })
    record = results.manifest.get("baseline_method")
    made = [f"<p>{_e(baseline_method(record))}</p>"] if isinstance(record, dict) and "durations" in record else []
    gap = record.get("balance_gap") if isinstance(record, dict) else None
    if isinstance(gap, int | float) and gap > GAP_THRESHOLD:
        made.append(f"<p><strong>The balance could not reach the start everywhere</strong>: a share of a state in an "
                    f"age band is {100 * gap:.1f} percentage points from the start's. The start is then no steady "
                    "state of the model and the baseline moves towards the balanced shares; balance.csv beside these "
                    "results lists each band and state (target against balanced).</p>")
    return [*made,
            f"<p>Does the baseline hold with no new policy? One run of {_e(results.baseline)} (replicate 0), counted by "
            f"age band. Rates are persons in the group per person from 16 to folkepension age, as yearly means, in "
            f"{first} and {last}. Ageing moves the crude rate; the standardised rate keeps {first}'s age structure "
            f"over the ages below {LAW_AGE_YEARS} (from {LAW_AGE_YEARS} the pension law moves the rates cohort by "
            "cohort), so a change in it is drift. A first year whose monthly changes are far larger than the later "
            "months' is a start-up transient. The thresholds are assumptions (labsim.experiments.baseline_check).</p>",
            _table(shown)]


def _percent(value: float) -> str:
    return "–" if value != value else f"{value:.1%}"


def _signed(value: float) -> str:
    return "–" if value != value else f"{value:+.1%}"


def _used(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, list):
        return ", ".join(f"{v:.2f}" for v in value)
    return f"{value:.2f}"


def _shown_value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 10_000 else f"{value:,.0f}"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "none" if value is None else str(value)


def _assumptions(results: ReportResults, lang: str) -> list[str]:
    rows, changed = [], []
    for strategy in results.manifest["strategies"]:
        for effort in strategy["efforts"]:
            for e in effort["evidence"]:
                rows.append({"strategy": strategy["name"], "effort": effort["name"], "phase": e["phase"],
                             "used": _used(e.get("used")),
                             "evidence": f"{e['value']:.2f} ({e['low']:.2f}–{e['high']:.2f})",
                             "kind": "measured" if e["measured"] else "assumed", "basis": e["basis"],
                             "source": e["source"]})
            defaults = effort.get("defaults") or {}
            for knob, value in (effort.get("knobs") or {}).items():
                if knob in defaults and value != defaults[knob]:
                    changed.append({"strategy": strategy["name"], "effort": effort["name"], "knob": knob,
                                    "used": _shown_value(value), "built-in default": _shown_value(defaults[knob])})
    parts = ["<h3>Effects of the efforts</h3>",
             "<p>The multiplier each phase used in these runs, beside the evidence behind the built-in's default "
             "(estimate and range).</p>",
             _table(pd.DataFrame(rows)) if rows else "<p>No effort in these strategies states its evidence.</p>"]
    settings = results.manifest.get("settings") or {}
    if settings:
        parts += ["<h3>Values set by path</h3>",
                  "<p>Values set after the scenario file was read (<code>labsim run --set</code>, "
                  "<code>Scenario.vary</code>); the scenario text in the last section does not show them.</p>",
                  _table(pd.DataFrame([{"path": path, "value": _shown_value(value)}
                                       for path, value in settings.items()]))]
    if changed:
        parts += ["<h3>Knobs changed from the built-in defaults</h3>",
                  "<p>Knobs of the built-in efforts that these runs used at other values than the defaults, by the "
                  "scenario file or by path (docs/efforts.md lists every knob with its source).</p>",
                  _table(pd.DataFrame(changed))]
    summary = results.frame("target_summary")
    if not summary.empty:
        parts += ["<h3>Targets</h3>", _table(summary[["target", "measure", "source"]].drop_duplicates())]
    observed = results.frame("observed_summary")
    if not observed.empty:
        parts += ["<h3>Observed series</h3>", _table(observed[["series", "source"]].drop_duplicates())]
    return parts + ["<p>The scenario file, with any other values and the sources it cites, is in the last "
                    "section.</p>"]


def _reproducibility(results: ReportResults, lang: str) -> list[str]:
    m = results.manifest
    runs = results.frame("runs")
    parts = [f"<p>labsim {_e(m['labsim'])}, seed {m['seed']}: replicate <i>k</i> of every strategy runs on child "
             f"<i>k</i> of <code>SeedSequence({m['seed']})</code>, so the same version, scenario and seed give the "
             f"same results on any executor and worker count (docs/reproducibility.md says what else must match: "
             f"numpy's version for the synthesised persons). {len(runs)} runs.</p>",
             f"<pre>labsim compare SCENARIO.toml --seed {m['seed']} --replications {m['replications']} --out "
             "RESULTS</pre>"]
    if m.get("scenario_text"):
        parts.append(f"<details><summary>The scenario file</summary><pre>{_e(m['scenario_text'])}</pre></details>")
    return parts


_BUILDERS = {"scenario": _scenario, "strategies": _strategies, "targets": _targets, "outcomes": _outcomes,
             "business-case": _business_case, "capacity": _capacity, "observed": _observed, "baseline": _baseline,
             "assumptions": _assumptions, "reproducibility": _reproducibility}


def _figure(draw: Any, caption: str, size: tuple[float, float] = (8.0, 4.2)) -> str:
    """A figure drawn by ``draw(ax)`` as an embedded PNG with its caption."""
    figure = Figure(figsize=size, layout="constrained")  # no pyplot: any backend, nothing left open
    ax = figure.subplots()
    drawn: Axes = draw(ax)
    assert drawn is ax
    return _embedded(figure, caption)


def _embedded(figure: Figure, caption: str) -> str:
    """``figure`` as an embedded PNG with its caption."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f"<figure><img alt='{_e(caption)}' src='data:image/png;base64,{data}'>"
            f"<figcaption>{_e(caption)}</figcaption></figure>")


def _panels(draws: Sequence[Callable[[Axes], Axes]], caption: str, columns: int = 2,
            row_inches: float = 3.4) -> str:
    """Figures drawn by each of ``draws`` side by side, ``columns`` to a row, as one embedded PNG with its caption."""
    rows = -(-len(draws) // columns)
    figure = Figure(figsize=(9.0, row_inches * rows), layout="constrained")
    grid = figure.subplots(rows, columns, squeeze=False).ravel()
    for draw, ax in zip(draws, grid, strict=False):
        drawn = draw(ax)
        assert drawn is ax
    for ax in grid[len(draws):]:
        ax.set_visible(False)
    return _embedded(figure, caption)


def _table(frame: pd.DataFrame) -> str:
    """A frame as an HTML table, numbers right-aligned."""
    head = "".join(f"<th>{_e(c)}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = []
        for value in values:
            if value is None or value is pd.NA or value is pd.NaT:
                cells.append("<td>–</td>")
            elif isinstance(value, float):
                shown = "–" if value != value else (f"{value:,.3f}" if abs(value) < 10 else f"{value:,.0f}")
                cells.append(f"<td class='n'>{shown}</td>")
            elif isinstance(value, int) and not isinstance(value, bool):
                cells.append(f"<td class='n'>{value}</td>")
            else:
                cells.append(f"<td>{_e(value)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)
