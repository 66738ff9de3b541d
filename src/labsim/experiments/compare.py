"""Compare a scenario's strategies over paired replications (DESIGN.md §7, §9).

Replicate ``k`` of every strategy gets the same seed — child ``k`` of ``SeedSequence(seed)`` — so
every strategy of a replicate starts from the same persons and draws the same random numbers
(common random numbers). Differences between strategies are then paired: the noise the strategies
share cancels, and their intervals are narrower than those of independent runs.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from labsim._version import __version__
from labsim.batch import ExecutorLike, Job, Outcome, frames_of, outcomes, plain_frame, runs_of
from labsim.calendar import month_label
from labsim.errors import LabsimError, LabsimWarning, ValidationError
from labsim.experiments.baseline_check import balance_warning, baseline_warning, check_run
from labsim.files.output import ResultsFolder
from labsim.policy.effort import effort_record
from labsim.results.money import MONEY_ITEMS, MoneyItem
from labsim.results.targets import INTERVAL, summarise_target
from labsim.simulation.scenario import Scenario, replicate_seed
from labsim.states.selection import SELECTION_RULE
from labsim.validation import one_of

__all__ = ["compare", "Comparison", "comparison_folder", "MANIFEST", "FRAMES", "FORMATS", "Format"]

MANIFEST = "comparison.json"
"""The file :meth:`Comparison.write` writes its :meth:`~Comparison.manifest` to; it marks the folder as labsim's
and lists the files written."""

FRAMES: tuple[str, ...] = ("fte", "stocks", "flows", "money", "efforts", "targets", "observed", "capacity", "teams",
                           "waits", "runs", "target_summary", "differences", "business_case", "observed_summary",
                           "baseline_check", "balance")
"""The frames :meth:`Comparison.frames` returns and :meth:`Comparison.write` writes, in order."""

class Format(StrEnum):
    """The file formats :meth:`Comparison.write` writes; a plain string such as ``"parquet"`` does as well."""

    CSV = "csv"
    PARQUET = "parquet"


FORMATS: tuple[Format, ...] = tuple(Format)
"""The file formats :meth:`Comparison.write` writes."""

_FORMAT = one_of(FORMATS)

_CONFIDENCE = INTERVAL[1] - INTERVAL[0]


@dataclass(frozen=True, slots=True, eq=False)
class Comparison:
    """The runs of :func:`compare`, as tidy frames, and what they say.

    Frames with one row per run and period (``fte``, ``stocks``, ``flows``, ``money``, ``efforts``,
    ``targets``, ``observed``, ``capacity``, ``teams``) and ``waits`` (one row per rehabiliteringsteam case and course
    admission) carry ``scenario, strategy, replicate``; ``runs`` has each run's seed and spawn key. Summaries: :meth:`target_summary`, :meth:`differences`, :meth:`business_case`,
    :meth:`observed_summary`, :meth:`baseline_check`.
    """

    scenario: Scenario
    strategies: tuple[str, ...]
    baseline: str
    replications: int
    seed: int
    fte: pd.DataFrame
    stocks: pd.DataFrame
    flows: pd.DataFrame
    money: pd.DataFrame
    efforts: pd.DataFrame
    targets: pd.DataFrame
    observed: pd.DataFrame
    capacity: pd.DataFrame
    teams: pd.DataFrame
    waits: pd.DataFrame
    runs: pd.DataFrame
    _checked: dict[str, pd.DataFrame] = field(default_factory=dict, init=False, repr=False)
    """The baseline check once made (:meth:`baseline_check`): it costs a run."""

    def target_summary(self) -> pd.DataFrame:
        """Per strategy and target: the probability of meeting it over the replications, the median value and
        its 90 % interval.

        Columns: ``strategy, target, measure, period, comparison, threshold, probability, median, low, high,
        replications, source``.
        """
        rows = []
        for strategy in self.strategies:
            mine = self.targets[self.targets["strategy"] == strategy]
            for target in self.scenario.targets:
                values = mine.loc[mine["target"] == target.name, "value"].to_numpy()
                rows.append({"strategy": strategy, **summarise_target(target, values)})
        columns = ["strategy", "target", "measure", "period", "comparison", "threshold", "probability", "median",
                   "low", "high", "replications", "source"]
        return pd.DataFrame(rows, columns=columns)

    def _yearly(self, what: str) -> pd.DataFrame:
        """``(replicate, period)`` × strategy key of a yearly measure: a money item in DKK, or the fuldtidspersoner
        of ``"public_support"``, a group of the catalogue's groupings, a state, or states joined by ``+``."""
        if what in MONEY_ITEMS:
            frame = self.money[self.money["item"] == str(what)]
            values = frame.groupby(["strategy", "replicate", "period"], observed=True)["dkk"].sum()
        else:
            frame = self.fte[self.fte["state"].isin(self._states(what))]
            values = frame.groupby(["strategy", "replicate", "period"], observed=True)["fte"].sum()
        return values.unstack("strategy")[list(self.strategies)]

    def _states(self, measure: str) -> list[str]:
        """The states whose fuldtidspersoner make up ``measure`` (see :meth:`differences`)."""
        catalogue = self.scenario.model.catalogue
        states = catalogue.members(measure)
        if states is None:
            raise ValidationError(f"measure {measure!r} is neither a money item ({', '.join(MONEY_ITEMS)}) nor states "
                                  f"of catalogue {catalogue.name!r} ({SELECTION_RULE}).")
        return states

    def differences(self, measure: str = "public_support") -> pd.DataFrame:
        """Each strategy minus the baseline per year, paired by replicate: the mean difference with its 90 %
        confidence interval (Student t over the paired differences), and beside it the interval the same runs
        would give unpaired (Welch), to show what common random numbers buy.

        ``measure``: fuldtidspersoner of ``"public_support"``, of a group (``"jobparate"``), of a state
        (``"sygedagpenge"``) or of states joined by ``+`` (:func:`labsim.states.select_states`); or a money item
        (:class:`~labsim.results.money.MoneyItem`: ``"net_cost"``, ``"benefits"``, ``"refund"``, ``"effort_cost"``,
        DKK).

        Columns: ``strategy, period, measure, baseline, value, difference, low, high, unpaired_low, unpaired_high``.
        """
        wide = self._yearly(measure)
        rows = []
        for strategy in self.strategies:
            if strategy == self.baseline:
                continue
            for period, block in wide.groupby(level="period"):
                a, b = block[strategy].to_numpy(), block[self.baseline].to_numpy()
                d = a - b
                rows.append({"strategy": strategy, "period": period, "measure": measure, "baseline": b.mean(),
                             "value": a.mean(), "difference": d.mean(), **_paired(d), **_unpaired(a, b)})
        columns = ["strategy", "period", "measure", "baseline", "value", "difference", "low", "high",
                   "unpaired_low", "unpaired_high"]
        return pd.DataFrame(rows, columns=columns)

    def business_case(self) -> pd.DataFrame:
        """Each strategy against the baseline per year: the municipality's net cost (benefits − refund + effort_cost)
        under both, the net saving (baseline − strategy) with its paired 90 % interval, the cumulative saving,
        and the payback year — the first year from which the mean cumulative saving stays at or above zero
        (empty when it never does) — with the share of replicates that have paid back by then.

        Columns: ``strategy, period, baseline_net_cost_dkk, net_cost_dkk, effort_cost_dkk, saving_dkk, saving_low,
        saving_high, cumulative_saving_dkk, payback_year, paid_back_share``.
        """
        net = self._yearly(MoneyItem.NET_COST)
        efforts = self._yearly(MoneyItem.EFFORT_COST)
        rows = []
        for strategy in self.strategies:
            if strategy == self.baseline:
                continue
            saving = (net[self.baseline] - net[strategy]).unstack("period")  # replicate × period
            cumulative = saving.cumsum(axis=1)
            mean_cumulative = cumulative.mean(axis=0)
            payback = _payback(mean_cumulative.to_numpy())
            payback_period = mean_cumulative.index[payback] if payback is not None else None
            paid = [_paid_back_by(row, payback) for row in cumulative.to_numpy()]
            for period in saving.columns:
                d = saving[period].to_numpy()
                rows.append({
                    "strategy": strategy, "period": period,
                    "baseline_net_cost_dkk": net[self.baseline].xs(period, level="period").mean(),
                    "net_cost_dkk": net[strategy].xs(period, level="period").mean(),
                    "effort_cost_dkk": efforts[strategy].xs(period, level="period").mean(),
                    "saving_dkk": d.mean(), **{f"saving_{k}": v for k, v in _paired(d).items()},
                    "cumulative_saving_dkk": mean_cumulative[period],
                    "payback_year": str(payback_period) if payback_period is not None else "",
                    "paid_back_share": float(np.mean(paid)),
                })
        columns = ["strategy", "period", "baseline_net_cost_dkk", "net_cost_dkk", "effort_cost_dkk", "saving_dkk",
                   "saving_low", "saving_high", "cumulative_saving_dkk", "payback_year", "paid_back_share"]
        return pd.DataFrame(rows, columns=columns)

    def observed_summary(self) -> pd.DataFrame:
        """Observed values beside the simulated median and 90 % interval, per strategy, series and period.

        Columns: ``strategy, series, period, observed, simulated, low, high, relative_error, source``.
        """
        if self.observed.empty:
            return pd.DataFrame(columns=["strategy", "series", "period", "observed", "simulated", "low", "high",
                                         "relative_error", "source"])
        grouped = self.observed.groupby(["strategy", "series", "period"], sort=False)
        frame = grouped.agg(observed=("observed", "first"), simulated=("simulated", "median"),
                            low=("simulated", lambda s: s.quantile(INTERVAL[0])),
                            high=("simulated", lambda s: s.quantile(INTERVAL[1])),
                            source=("source", "first")).reset_index()
        frame.insert(7, "relative_error", frame["simulated"] / frame["observed"] - 1.0)
        return frame

    def baseline_check(self) -> pd.DataFrame:
        """Whether the baseline holds: its drift and start-up transient per group, from one more run of the baseline
        (replicate 0, the same persons and draws as the comparison's, counted by age band), made on the first call
        only. Issues a :class:`~labsim.errors.LabsimWarning` when a group does not hold.

        Columns and thresholds: :func:`labsim.experiments.baseline_check`.
        """
        frame = self._baseline_frame()
        for message in (baseline_warning(frame, self.scenario.name),
                        balance_warning(self.scenario.rate_balance(), self.scenario.name)):
            if message:
                warnings.warn(message, LabsimWarning, stacklevel=2)
        return frame.copy()

    @property
    def balance(self) -> pd.DataFrame:
        """The balance of the hazards to the start every run used (:meth:`Scenario.rate_balance`), one row per age
        band and state with a multiplier or persons: ``band, state, into, out_of`` (the multipliers on the hazards
        into the state and out of it), ``target`` (the start's share of the band's persons below folkepension age)
        and ``balanced`` (the share the balanced model keeps); no rows for a scenario that is not balanced.
        ``write`` writes it as ``balance.csv``; :meth:`RateBalance.patch_text` writes it as a model patch."""
        solved = self.scenario.rate_balance()
        columns = ["band", "state", "into", "out_of", "target", "balanced"]
        return pd.DataFrame(solved.records() if solved is not None else [], columns=columns)

    def _baseline_frame(self) -> pd.DataFrame:
        """The baseline check, made once (no warning: :meth:`frames` writes it as a table)."""
        if "baseline" not in self._checked:
            run = self.scenario.run(self.baseline, seed=replicate_seed(self.seed, 0), group_by="age_band")
            self._checked["baseline"] = check_run(run)
        return self._checked["baseline"]

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every frame by name, as :meth:`write` writes them."""
        summaries = {"target_summary": self.target_summary, "differences": self.differences,
                     "business_case": self.business_case, "observed_summary": self.observed_summary,
                     "baseline_check": lambda: self._baseline_frame().copy()}
        return {name: summaries[name]() if name in summaries else getattr(self, name) for name in FRAMES}

    def manifest(self) -> dict[str, Any]:
        """What the frames do not say, for a report: labsim's version, the scenario's name, title, description,
        months and text, seed and replications, each strategy's title and efforts — for every effort the values the
        runs used (its knobs, and each phase's multiplier) beside the evidence behind the defaults (value, range,
        measured or assumed, basis, source); see :func:`labsim.policy.effort.effort_record` — and ``settings``, the
        values set by path after the file was read (``labsim run --set``, :meth:`Scenario.vary`), which the
        scenario text does not show."""
        scenario = self.scenario
        strategies = [{"name": name, "title": scenario.titles.get(name, ""),
                       "efforts": [effort_record(effort) for effort in scenario.strategies[name].efforts]}
                      for name in self.strategies]
        return {
            "labsim": __version__, "scenario": scenario.name, "title": scenario.title,
            "description": scenario.description, "start": month_label(scenario.start),
            "end": month_label(scenario.end), "seed": self.seed, "replications": self.replications,
            "baseline": self.baseline, "strategies": strategies, "settings": dict(scenario.settings),
            "baseline_method": scenario.baseline_record(), "scenario_text": scenario.text,
        }

    def write(self, directory: str | Path | ResultsFolder, format: Format | str = Format.CSV, *,
              overwrite: bool = False) -> list[Path]:
        """Write every frame to ``directory`` as CSV or Parquet, one file each, and :meth:`manifest` as
        ``comparison.json``; returns the paths written (what ``labsim report`` reads).

        ``directory`` is new, empty, or holds a previous result (replaced whole: no file of it is left beside the
        new ones). A folder with other files is refused unless ``overwrite``, and even then a file labsim did not
        write is never replaced. The files are written inside the folder under a name of labsim's own and moved
        in when all are written, so an error leaves the previous result as it was (:mod:`labsim.files.output`).
        ``directory`` may be the :func:`comparison_folder` checked before the runs.
        """
        folder = directory if isinstance(directory, ResultsFolder) else comparison_folder(directory, format,
                                                                                          overwrite=overwrite)
        (format,) = {name.rpartition(".")[2] for name in folder.names if name != MANIFEST}
        with folder:
            for name, frame in self.frames().items():
                path = folder.stage(f"{name}.{format}")
                tidy = plain_frame(frame)
                if format == "csv":
                    tidy.to_csv(path, index=False)
                else:
                    tidy.to_parquet(path, index=False)
            return folder.commit(self.manifest())


def comparison_folder(directory: str | Path, format: Format | str = Format.CSV, *, overwrite: bool = False,
                      option: str = "") -> ResultsFolder:
    """The results folder :meth:`Comparison.write` writes ``format`` files to; :meth:`ResultsFolder.prepare`
    checks it before any run (``labsim run|compare --out``). ``option`` names it in errors."""
    format = Format(_FORMAT(format, "format"))
    return ResultsFolder(directory, MANIFEST, [f"{name}.{format.value}" for name in FRAMES], owns=_is_manifest,
                         legacy=[f"{name}.{other.value}" for name in FRAMES for other in FORMATS],
                         overwrite=overwrite, option=option)


def _is_manifest(found: Any) -> bool:
    """Whether a ``comparison.json`` read back is one :meth:`Comparison.write` wrote."""
    return isinstance(found, dict) and all(key in found for key in ("labsim", "scenario", "strategies"))


def _paired(d: np.ndarray) -> dict[str, float]:
    n = d.size
    if n < 2:
        return {"low": float("nan"), "high": float("nan")}
    from scipy import stats  # here, not at the top: scipy.stats costs a second at import (CLI, workers)

    half = stats.t.ppf(0.5 + _CONFIDENCE / 2, n - 1) * d.std(ddof=1) / np.sqrt(n)
    return {"low": float(d.mean() - half), "high": float(d.mean() + half)}


def _unpaired(a: np.ndarray, b: np.ndarray) -> dict[str, float]:
    n = a.size
    if n < 2:
        return {"unpaired_low": float("nan"), "unpaired_high": float("nan")}
    va, vb = a.var(ddof=1) / n, b.var(ddof=1) / n
    se = np.sqrt(va + vb)
    dof = (va + vb) ** 2 / (va ** 2 / (n - 1) + vb ** 2 / (n - 1)) if va + vb > 0 else n - 1
    from scipy import stats  # here, not at the top: scipy.stats costs a second at import

    half = stats.t.ppf(0.5 + _CONFIDENCE / 2, dof) * se
    diff = a.mean() - b.mean()
    return {"unpaired_low": float(diff - half), "unpaired_high": float(diff + half)}


def _paid_back_by(cumulative: np.ndarray, year: int | None) -> bool:
    """Whether one replicate's cumulative saving has paid back by the index ``year``."""
    own = _payback(cumulative)
    return year is not None and own is not None and own <= year


def _payback(cumulative: np.ndarray) -> int | None:
    """Index of the first year from which the cumulative saving stays at or above zero."""
    below = np.flatnonzero(cumulative < 0)
    if below.size == 0:
        return 0 if cumulative.size else None
    first = int(below[-1]) + 1
    return first if first < cumulative.size else None


def compare(
    scenario: Scenario,
    strategies: Sequence[str] | None = None,
    *,
    replications: int | None = None,
    seed: int | None = None,
    progress: bool = False,
    n_jobs: int | None = None,
    executor: ExecutorLike = None,
) -> Comparison:
    """Run each strategy of ``scenario`` (all by default; the baseline always) ``replications`` times with
    common random numbers and gather the results.

    Replicate ``k`` of every strategy uses the same population (synthesised from the replicate's seed)
    and the same random streams, so the differences are paired. ``replications`` and ``seed`` default
    to the scenario's. ``n_jobs`` local processes or an ``executor`` (see :func:`labsim.run_study`) share
    the runs out; the results are the same whatever makes them. A run that raises stops the comparison
    with its error (a :class:`~labsim.errors.LabsimError` naming the run) once the others have finished.

    >>> import labsim
    >>> scenario = labsim.scenario_from_text('''
    ... [scenario]
    ... name = "tiny"
    ... start = "2022-01"
    ... end = "2022-06"
    ... replications = 2
    ... seed = 1
    ... [population]
    ... inhabitants = 1000
    ... [strategies.baseline]
    ... [strategies.ips]
    ... efforts = [{ effort = "ips", caseworkers = 2 }]
    ... ''')
    >>> result = labsim.compare(scenario)
    >>> result.strategies, len(result.runs)  # 2 strategies × 2 replicates
    (('baseline', 'ips'), 4)
    >>> result.differences("public_support")["strategy"].tolist()  # each strategy against the baseline
    ['ips']
    """
    chosen = Job.strategies_of(scenario, strategies)
    scenario.run_model()  # the balance and the alignment are solved here, once, and travel with the scenario
    scenario.make_events()
    job = Job(scenario, tuple(chosen), scenario.replications if replications is None else replications,
              scenario.seed if seed is None else seed)
    finished: dict[tuple[int, str], Outcome] = {}
    bar = tqdm(total=len(job.keys()), desc=f"{scenario.name}: runs", unit="run", disable=not progress)
    with bar:
        for batch in outcomes(job, job.tasks(), executor=executor, n_jobs=n_jobs):
            for outcome in batch:
                finished[(outcome.key.replicate, outcome.key.strategy)] = outcome
            bar.update(len(batch))
    ordered = [finished[(key.replicate, key.strategy)] for key in job.keys()]
    failures = [o for o in ordered if o.failed]
    if failures:
        first = failures[0]
        raise LabsimError(f"{len(failures)} of {len(ordered)} runs of scenario {scenario.name!r} failed; the first, "
                          f"{first.key.strategy} replicate {first.key.replicate}: {first.error}")
    frames: dict[str, Any] = frames_of(ordered, point=False)
    runs = runs_of(ordered, scenario.name)[["scenario", "strategy", "replicate", "seed", "spawn_key"]]
    return Comparison(scenario=scenario, strategies=tuple(chosen), baseline=scenario.baseline,
                      replications=job.replications, seed=job.seed, runs=runs, **frames)
