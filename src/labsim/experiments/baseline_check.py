"""Does the baseline hold? Drift and a start-up transient in one run with no new policy (DESIGN.md §10).

A baseline can move on its own: its rates drift although no policy changes, or it starts with a transient while
the persons settle into the model's own steady state. :func:`baseline_check` runs the scenario's baseline once,
counted by age band, and reports for persons on public support and for each group of the catalogue's main grouping:

* the **crude rate** — persons in the group per person from 16 to folkepension age (everyone not on the
  ``folkepension`` state) — in the first and the last calendar year of the run (yearly means of the monthly
  stocks; full years where the run has them), and its relative change;
* the **age-standardised rate** — the age-specific rates (group persons in an age band per person of working age
  in the band) weighted by the first year's age structure — in the same years, and its relative change, over the
  bands below :data:`LAW_AGE_YEARS` (from 60 the pension law raises the ages of efterløn, seniorpension and
  folkepension cohort by cohort, which moves those rates by law). Ageing alone moves the crude rate and leaves the
  standardised one still; a change of the standardised rate is drift;
* the largest month-on-month relative change of the group's persons in the first twelve months, beside the 90th
  percentile of those changes from month 13 on: a first year that moves far more than the later years is a
  transient.

A ``warning`` names what does not hold, judged by thresholds that are labelled assumptions (:data:`DRIFT_THRESHOLD`,
:data:`TRANSIENT_FACTOR`, :data:`MIN_PERSONS`, :data:`CHANCE_SIGMAS`) and can be changed per call.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from labsim.errors import LabsimWarning, ValidationError
from labsim.validation import number, whole

if TYPE_CHECKING:
    from labsim.core.balance import RateBalance
    from labsim.results import Run
    from labsim.simulation import Scenario
    from labsim.states import StateCatalogue

__all__ = ["baseline_check", "check_run", "baseline_warning", "main_grouping", "DRIFT_THRESHOLD", "TRANSIENT_FACTOR",
           "MIN_PERSONS", "CHANCE_SIGMAS", "LATER_QUANTILE", "LAW_AGE_YEARS", "GAP_THRESHOLD", "COLUMNS", "baseline_method",
           "balance_warning"]

DRIFT_THRESHOLD = 0.10
"""Assumption (a judgement, not a measured value): a baseline drifts when a group's age-standardised rate changes by
more than 10 % (relative) from the first to the last year of the run — movement of that size in a run with no new
policy is as large as the differences between strategies an analyst would report."""

TRANSIENT_FACTOR = 3.0
"""Assumption: a baseline starts with a transient when the largest month-on-month change of a group's persons in the
first twelve months is more than three times the :data:`LATER_QUANTILE` of the changes from month 13 on. By chance
alone the ratio stayed below 2.6 in 160 groups of stationary runs (5,000 to 50,000 persons, 3 to 20 years); at
twice, one group in twelve of a three-year run was called a transient."""

LATER_QUANTILE = 0.9
"""The quantile of the later months' month-on-month changes the first year is measured against: a large but typical
later change (the largest of many later months would grow with the horizon)."""

MIN_PERSONS = 50.0
"""Assumption: a group with fewer persons than this in the first year (yearly mean) is too small to tell drift or a
transient from chance, and gets no warning."""

CHANCE_SIGMAS = 3.0
"""Assumption: a change of the standardised rate within three standard errors of chance is not called drift, the
group's persons in a year counted as Poisson (a relative standard error of the change of
``sqrt(1/first + 1/last)``). With fewer than about 1,800 persons in a group chance, not :data:`DRIFT_THRESHOLD`,
sets the bar."""

LAW_AGE_YEARS = 60
"""From this age the pension law moves the rates cohort by cohort — the efterløn, seniorpension and folkepension ages
rise for later cohorts (DOMAIN.md §2.6) — so the age-standardised rate leaves out the age bands that start at 60 or
later: a law in force is not drift. The crude rate keeps every age to folkepension age."""

GAP_THRESHOLD = 0.01
"""Assumption: a balance whose balanced share of a state in an age band is more than one percentage point of the
band's persons from the start's could not reach the start, and :func:`balance_warning` says so (the shipped
scenarios' balances come within 0.2 points)."""

COLUMNS: tuple[str, ...] = ("group", "first_year", "last_year", "crude_first", "crude_last", "crude_change",
                            "standardised_first", "standardised_last", "standardised_change",
                            "first_year_monthly_change", "later_monthly_change", "drift", "transient", "warning")
"""The columns of the frame :func:`baseline_check` returns."""

_PENSION = "folkepension"
"""The state of persons past folkepension age, left out of every rate's denominator (as :meth:`Run.working_age`)."""

_FIRST_YEAR_MONTHS = 12
_REPLICATE = whole(0)
_DRIFT = number(0.0, above=True)
_FACTOR = number(1.0)
_PERSONS = number(0.0)


def baseline_check(scenario: Scenario, *, replicate: int = 0, run: Run | None = None, grouping: str | None = None,
                   drift_threshold: float = DRIFT_THRESHOLD, transient_factor: float = TRANSIENT_FACTOR,
                   min_persons: float = MIN_PERSONS) -> pd.DataFrame:
    """Whether the baseline of ``scenario`` holds: its drift and start-up transient per group (see the module).

    Runs the baseline strategy once (replicate ``replicate``) counted by age band; or checks ``run``, a run of the
    baseline made with ``scenario.run(group_by="age_band")``. The groups are ``public_support`` and the groups of
    ``grouping`` (by default :func:`main_grouping`: ``"hjoerring"`` in the Danish catalogue). When any group gets a
    warning, one :class:`~labsim.errors.LabsimWarning` names them all.

    Parameters
    ----------
    replicate:
        The replicate whose persons and draws the run uses (the same as a comparison's replicate of that number).
    run:
        A run to check instead of making one: a run of the baseline counted by age band.
    grouping:
        The grouping of the catalogue whose groups are checked besides public support (:func:`main_grouping` when
        ``None``).
    drift_threshold:
        The relative change of a standardised rate over the run beyond which it is drift (:data:`DRIFT_THRESHOLD`).
    transient_factor:
        How many times the later months' typical large change the first year's largest may be
        (:data:`TRANSIENT_FACTOR`).
    min_persons:
        The fewest persons (first year's mean) a group needs to be judged (:data:`MIN_PERSONS`).

    Columns
    -------
    group:
        ``public_support`` or a group of the grouping.
    first_year, last_year:
        The calendar years compared: the run's first and last full years, or its first and last years where it has
        too few full ones.
    crude_first, crude_last, crude_change:
        Persons in the group per person from 16 to folkepension age in each year, and the relative change
        (``last / first − 1``; NaN when the first is 0).
    standardised_first, standardised_last, standardised_change:
        The age-specific rates of the bands below :data:`LAW_AGE_YEARS` weighted by the first year's age structure
        (so the first is the crude rate of those ages), and the relative change.
    first_year_monthly_change, later_monthly_change:
        The largest absolute month-on-month relative change of the group's persons in the first twelve months, and
        the :data:`LATER_QUANTILE` of those from month 13 on (NaN for a run shorter than two years).
    drift, transient:
        Whether the standardised rate drifts, and whether the first year moves more than the later ones (see the
        thresholds; never for a group with fewer than ``min_persons``).
    warning:
        What does not hold, in words (``drift: …; transient: …``); empty when the group holds.

    >>> import labsim
    >>> scenario = labsim.scenario_from_text('''
    ... [scenario]
    ... name = "tiny"
    ... start = "2022-01"
    ... end = "2023-12"
    ... seed = 1
    ... [population]
    ... inhabitants = 1000
    ... [strategies.baseline]
    ... ''')
    >>> check = labsim.baseline_check(scenario)
    >>> check["group"].tolist()
    ['public_support', 'jobparate', 'ikke_jobparate', 'permanente', 'integration']
    >>> bool((check["standardised_first"] > 0).all())  # the first year's ages, 16 to 59
    True
    """
    _REPLICATE(replicate, "replicate")
    if run is None:
        run = scenario.run(replicate=replicate, group_by="age_band")
    frame = check_run(run, grouping=grouping, drift_threshold=drift_threshold, transient_factor=transient_factor,
                      min_persons=min_persons)
    for message in (baseline_warning(frame, scenario.name), balance_warning(scenario.rate_balance(), scenario.name)):
        if message:
            warnings.warn(message, LabsimWarning, stacklevel=2)
    return frame


def main_grouping(catalogue: StateCatalogue) -> str | None:
    """The grouping :func:`baseline_check` reports by default: ``"hjoerring"`` (jobparate, ikke-jobparate,
    permanente, integration; the grouping the report's figures use) when the catalogue has it, else the catalogue's
    first grouping, else ``None`` (public support alone)."""
    groupings = catalogue.groupings()
    return "hjoerring" if "hjoerring" in groupings else (groupings[0] if groupings else None)


def check_run(run: Run, *, grouping: str | None = None, drift_threshold: float = DRIFT_THRESHOLD,
              transient_factor: float = TRANSIENT_FACTOR, min_persons: float = MIN_PERSONS) -> pd.DataFrame:
    """The frame of :func:`baseline_check` for a run counted by age band (``group_by="age_band"``), without the
    warning it issues."""
    if run.ledger.layout.group_by != "age_band":
        raise ValidationError(f"run must be counted by age band (scenario.run(group_by='age_band')) for a baseline "
                              f"check; got group_by={run.ledger.layout.group_by!r}.")
    drift = _DRIFT(drift_threshold, "drift_threshold")
    factor = _FACTOR(transient_factor, "transient_factor")
    fewest = _PERSONS(min_persons, "min_persons")
    catalogue = run.catalogue
    chosen = main_grouping(catalogue) if grouping is None else grouping
    stocks = run.ledger.stocks.astype(np.float64)  # (months, states, bands)
    years = run.months.year.to_numpy()
    first, last = _compared_years(years)
    working = np.array([name != _PENSION for name in catalogue.names])
    population = stocks[:, working, :].sum(axis=1)  # (months, bands)
    by_law = np.array([_lowest_age(label) >= LAW_AGE_YEARS for label in run.ledger.layout.group_labels])
    rows = []
    for label, members in _groups(catalogue, chosen):
        persons = stocks[:, members, :].sum(axis=1)  # (months, bands)
        row = {"group": label, "first_year": first, "last_year": last,
               **_rates(persons, population, years == first, years == last, by_law),
               **_monthly(persons.sum(axis=1))}
        first_persons = float(persons[years == first].sum(axis=1).mean())
        last_persons = float(persons[years == last].sum(axis=1).mean())
        rows.append({**row, **_judged(row, first_persons, last_persons, drift, factor, fewest)})
    return pd.DataFrame(rows, columns=list(COLUMNS))


def baseline_warning(frame: pd.DataFrame, scenario: str = "") -> str:
    """The one-line warning a :func:`baseline_check` frame gives: each group with a ``warning`` and what it says;
    empty when every group holds."""
    concerned = frame[frame["warning"].astype("string").fillna("") != ""]
    if concerned.empty:
        return ""
    where = f" of scenario {scenario!r}" if scenario else ""
    groups = "; ".join(f"{row.group}: {row.warning}" for row in concerned.itertuples(index=False))
    return f"the baseline{where} does not hold in {len(concerned)} of {len(frame)} groups — {groups}."


def balance_warning(balance: RateBalance | None, scenario: str = "", threshold: float = GAP_THRESHOLD) -> str:
    """The one-line warning of a balance that could not reach the start (its balanced shares more than
    ``threshold`` from the start's, :data:`GAP_THRESHOLD`): the start is then not a steady state of the model, and
    the baseline moves towards the shares the balance reached; empty when it reached them."""
    if balance is None:
        return ""
    rows = sorted((row for row in balance.records() if row["state"] != balance.reference  # the rest, not a lever
                   and abs(float(row["balanced"]) - float(row["target"])) > threshold),  # type: ignore[arg-type]
                  key=lambda row: -abs(float(row["balanced"]) - float(row["target"])))  # type: ignore[arg-type]
    if not rows:
        return ""
    where = f" of scenario {scenario!r}" if scenario else ""
    shown = "; ".join(f"{row['band']} {row['state']}: {float(row['target']):.1%} at the start, "  # type: ignore[arg-type]
                      f"{float(row['balanced']):.1%} in the balanced steady state" for row in rows[:3])  # type: ignore[arg-type]
    more = f" (and {len(rows) - 3} more)" if len(rows) > 3 else ""
    return (f"the balance{where} could not reach its start — {shown}{more}: no hazard the balance may move gets "
            "there (a state the band's persons bring from the band before, or one only the rules fill), so the "
            "baseline moves towards the balanced shares; check the profile's shares of these bands (docs/model.md, "
            "\"A baseline that holds\").")


def _compared_years(years: npt.NDArray[np.int64]) -> tuple[int, int]:
    """The first and last calendar year of the run: its first full year (else its first year), and its last full year
    after that (else its last year, so that a run over two calendar years compares two)."""
    found, counts = np.unique(years, return_counts=True)
    full = found[counts == _FIRST_YEAR_MONTHS]
    first = full[0] if full.size else found[0]
    later = full[full > first]
    return int(first), int(later[-1] if later.size else found[-1])


def _groups(catalogue: StateCatalogue, grouping: str | None) -> list[tuple[str, list[int]]]:
    """Each group's label and state codes: public support, then the groups of ``grouping`` in catalogue order."""
    support = [code for code, state in enumerate(catalogue.states) if state.public_support]
    groups = [("public_support", support)]
    if grouping not in (None, "public_support"):  # public support comes first in any case
        labels = catalogue.group_of(grouping)
        for label in dict.fromkeys(label for label in labels if label is not None):
            groups.append((label, [code for code, other in enumerate(labels) if other == label]))
    return groups


def _lowest_age(label: str) -> float:
    """The first year of age of an age band's label (``"25-29"``, ``"60+"``)."""
    return float(label.replace("+", "-").split("-")[0])


def _rates(persons: npt.NDArray[np.float64], population: npt.NDArray[np.float64], first: npt.NDArray[np.bool_],
           last: npt.NDArray[np.bool_], by_law: npt.NDArray[np.bool_]) -> dict[str, float]:
    """Crude and age-standardised rates of the first and last year, and their relative changes; the standardised
    rate leaves out the bands ``by_law`` (:data:`LAW_AGE_YEARS`)."""
    persons_first, persons_last = persons[first].mean(axis=0), persons[last].mean(axis=0)  # (bands,)
    population_first, population_last = population[first].mean(axis=0), population[last].mean(axis=0)
    weights = _share(population_first, population_first.sum())
    weights[by_law] = np.nan
    crude_first = _share(persons_first.sum(), population_first.sum())
    crude_last = _share(persons_last.sum(), population_last.sum())
    standardised_first = _standardised(persons_first, population_first, weights)
    standardised_last = _standardised(persons_last, population_last, weights)
    return {"crude_first": float(crude_first), "crude_last": float(crude_last),
            "crude_change": _change(crude_first, crude_last),
            "standardised_first": standardised_first, "standardised_last": standardised_last,
            "standardised_change": _change(standardised_first, standardised_last)}


def _standardised(persons: npt.NDArray[np.float64], population: npt.NDArray[np.float64],
                  weights: npt.NDArray[np.float64]) -> float:
    """The age-specific rates weighted by ``weights``; a band without persons in the year is left out and the other
    weights scaled up to 1."""
    rates = _share(persons, population)
    known = np.isfinite(rates) & np.isfinite(weights)
    total = weights[known].sum()
    return float((weights[known] * rates[known]).sum() / total) if total > 0 else float("nan")


def _monthly(persons: npt.NDArray[np.float64]) -> dict[str, float]:
    """The first year's largest absolute month-on-month relative change of ``persons`` and the later months'
    :data:`LATER_QUANTILE`; a change from a month without persons is left out."""
    changes = np.abs(_share(persons[1:], persons[:-1]) - 1.0)  # changes[k]: into month k + 1
    early, later = changes[:_FIRST_YEAR_MONTHS - 1], changes[_FIRST_YEAR_MONTHS - 1:]
    if later.size < early.size:  # a quantile of a few months says little: the run is shorter than two years
        later = later[:0]
    return {"first_year_monthly_change": _finite(early, lambda v: float(v.max())),
            "later_monthly_change": _finite(later, lambda v: float(np.quantile(v, LATER_QUANTILE)))}


def _judged(row: dict[str, object], first_persons: float, last_persons: float, drift: float, factor: float,
            fewest: float) -> dict[str, object]:
    """Whether one group drifts or starts with a transient, and the warning in words (see the module); neither for
    a group too small to judge."""
    change = float(row["standardised_change"])  # type: ignore[arg-type]
    early = float(row["first_year_monthly_change"])  # type: ignore[arg-type]
    later = float(row["later_monthly_change"])  # type: ignore[arg-type]
    judged = first_persons >= fewest
    chance = CHANCE_SIGMAS * np.sqrt(1.0 / first_persons + 1.0 / last_persons) if last_persons > 0 else np.inf
    drifts = judged and abs(change) > drift and abs(change) > chance
    transient = judged and early > factor * later  # False when either is NaN
    problems = []
    if drifts:
        problems.append(f"drift: age-standardised rate {change:+.1%} from {row['first_year']} to {row['last_year']} "
                        f"(beyond ±{drift:.0%})")
    if transient:
        problems.append(f"transient: monthly changes up to {early:.1%} in the first year against {later:.1%} later "
                        f"(beyond {factor:g}×)")
    return {"drift": drifts, "transient": transient, "warning": "; ".join(problems)}


def _share(part: npt.ArrayLike, whole_: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """``part / whole_``, NaN where the whole is 0."""
    part, whole_ = np.asarray(part, dtype=np.float64), np.asarray(whole_, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(whole_ > 0, part / np.where(whole_ > 0, whole_, 1.0), np.nan)


def _change(first: float | npt.NDArray[np.float64], last: float | npt.NDArray[np.float64]) -> float:
    """``last / first − 1``; NaN when ``first`` is 0 or unknown."""
    return float(_share(last, first) - 1.0)


def _finite(values: npt.NDArray[np.float64], summary: Callable[[npt.NDArray[np.float64]], float]) -> float:
    """``summary`` of the finite ``values``, NaN when there are none."""
    kept = values[np.isfinite(values)]
    return summary(kept) if kept.size else float("nan")


def baseline_method(record: Mapping[str, Any]) -> str:
    """How the baseline was made, in one line, from :meth:`Scenario.baseline_record` (``baseline_method`` in
    ``comparison.json``; docs/model.md, "A baseline that holds")."""
    if record.get("durations") != "steady":
        start = "a fresh start (everyone at month 0 of their state)"
    elif record.get("balance") == "rates" and record.get("placed", True):
        start = ("a steady start (ages, education, origin and months in state from the balanced model's stationary "
                 "population)")
    else:
        start = "a steady start (months in state from the model's steady state)"
    gap = record.get("balance_gap")
    if record.get("balance") == "rates":
        rates = ("rates balanced to the start" + (f" (largest gap {100 * gap:.2f} percentage points)"
                                                  if isinstance(gap, int | float) else ""))
    elif record.get("balance_asked") == "none":
        rates = "rates as the model gives them (balance = \"none\")"
    elif record.get("own_fit", bool(record.get("calibrated_to"))):
        rates = f"rates as fitted to the municipality's own series (calibrated to {record['calibrated_to']}; not balanced)"
    else:
        rates = "rates as the model gives them (not balanced: a fixed population or a model without the rules)"
    aligned = sorted({str(row["target"]) for row in record.get("alignment") or []})
    words = f"; aligned to {', '.join(aligned)}" if aligned else ""
    return f"Baseline: {start}; {rates}{words}."
