"""A study: a scenario's strategies × replications × sweep points, run on any executor, optionally into a
resumable store (DESIGN.md §9). For example::

    scenario = labsim.read_scenario("scenarios/hjoerring_2022.toml")
    study = labsim.Study(scenario, replications=5, method="lhs", points=20,
                         parameters=[labsim.Parameter("jobcenter.teams.aktivitetsparate.contact_effect", low=1.0, high=1.6)])
    results = labsim.run_study(study, store="out/effect", n_jobs=2)
    results.bands("fte")
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from labsim._version import __version__
from labsim.batch import ExecutorLike, Job, Outcome, Store, check_executor, outcomes
from labsim.batch.job import Vary
from labsim.digest import digest
from labsim.errors import ValidationError
from labsim.experiments.parameters import Design, Parameter, sample
from labsim.experiments.results import StudyResults
from labsim.policy.effort import effort_record
from labsim.simulation.scenario import MAX_REPLICATIONS, MAX_SEED, Scenario
from labsim.validation import whole

__all__ = ["Study", "run_study", "scenario_fingerprint", "MAX_REPLICATIONS", "MAX_SEED", "MAX_RUNS"]

MAX_RUNS = 10_000_000
"""The most runs a study may make (strategies × replications × sweep points): years of computing on one machine
and a list of runs that still fits in memory; more is a mistake in the design."""

FLUSH_RUNS = 64
"""A store commits a batch every this many finished runs … (an engineering default: work lost to a kill
against files written)"""
FLUSH_SECONDS = 60.0
"""… or at the first finished task after this many seconds since the last commit, whichever comes first."""


@dataclass(frozen=True, eq=False)
class Study:
    """What to run: ``scenario``'s ``strategies`` (all by default), ``replications`` each (the scenario's by
    default), at every sweep point drawn from ``parameters`` by ``method`` (``"grid"``, ``"lhs"`` or
    ``"sobol"``; ``points`` for the latter two), from ``seed`` (the scenario's by default).

    ``vary`` builds a point's scenario from the base one and the point's values by dotted path; by default
    :meth:`Scenario.vary <labsim.simulation.Scenario.vary>`. The first point is built at once, so a path
    that does not exist is an error here, not in the workers.
    """

    scenario: Scenario
    parameters: Sequence[Parameter] = ()
    method: str = "grid"
    points: int | None = None
    strategies: Sequence[str] | None = None
    replications: int | None = None
    seed: int | None = None
    name: str = ""
    vary: Vary | None = field(default=None, repr=False)
    design: Design = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.scenario, Scenario):
            raise ValidationError(f"a study needs a labsim.Scenario; got {type(self.scenario).__name__}.")
        parameters = tuple(self.parameters)
        for p in parameters:
            if not isinstance(p, Parameter):
                raise ValidationError(f"a study's parameters must be labsim.Parameter objects; got a "
                                      f"{type(p).__name__} ({p!r}).")
        object.__setattr__(self, "parameters", parameters)
        if self.strategies is not None and (isinstance(self.strategies, str) or not isinstance(self.strategies, Sequence)
                                            or not all(isinstance(s, str) for s in self.strategies)):
            raise ValidationError(f"a study's strategies must be a list of strategy names; got "
                                  f"{repr(self.strategies)[:80]}.")
        object.__setattr__(self, "strategies", Job.strategies_of(self.scenario, self.strategies))
        object.__setattr__(self, "replications", self.scenario.replications if self.replications is None
                           else self.replications)
        object.__setattr__(self, "seed", self.scenario.seed if self.seed is None else self.seed)
        whole(1, MAX_REPLICATIONS)(self.replications, "a study's replications")
        whole(0, MAX_SEED)(self.seed, "a study's seed")
        if not isinstance(self.name, str):
            raise ValidationError(f"a study's name must be text; got {repr(self.name)[:80]}.")
        object.__setattr__(self, "name", self.name or self.scenario.name)
        object.__setattr__(self, "design", sample(parameters, self.method, self.points, self.seed))
        runs = len(self.design.values) * len(self.strategies or ()) * int(self.replications or 0)
        if runs > MAX_RUNS:
            raise ValidationError(f"a study makes at most {MAX_RUNS:,} runs; this one would make {runs:,}.")
        job = self.job()  # checks strategies, replications and seed
        if parameters:
            job.scenario_at(0)  # a path that does not exist fails here

    def job(self) -> Job:
        """The batch job the executors run."""
        assert isinstance(self.replications, int) and isinstance(self.seed, int)
        return Job(self.scenario, tuple(self.strategies or ()), self.replications, self.seed,
                   self.design.points(), self.vary)

    def efforts_at(self, point: int) -> pd.DataFrame:
        """The values every effort of every strategy used at sweep point ``point``, taken from the point's own
        scenario (the study's ``vary``, :meth:`Scenario.vary` by default): one row per strategy, effort and knob
        (``strategy, effort, knob, value, default``; ``default`` is the built-in's, empty for an effort of one's
        own)."""
        points = len(self.design.values)
        whole(0, points - 1)(point, "point")
        scenario = self.job().scenario_at(point)
        rows = []
        for name in self.strategies or ():
            for effort in scenario.strategies[name].efforts:
                record = effort_record(effort)
                for knob, value in record["knobs"].items():
                    rows.append({"strategy": name, "effort": record["name"], "knob": knob, "value": value,
                                 "default": record["defaults"].get(knob)})
        return pd.DataFrame(rows, columns=["strategy", "effort", "knob", "value", "default"])

    @property
    def runs(self) -> int:
        """How many runs the study makes."""
        return len(self.design.values) * len(self.strategies or ()) * int(self.replications or 0)

    def manifest(self) -> dict[str, Any]:
        """What the study is, as a store's ``study.json`` records it: among the rest, ``efforts``, every strategy's
        efforts with the values of the base scenario (:func:`labsim.policy.effort.effort_record`), and
        ``parameters``, the paths the sweep sets; the values of each point are the store's ``points`` table
        (:meth:`efforts_at` gives every effort's values at a point, from the point's own scenario)."""
        points = self.design.values.to_json(orient="split", index=False, double_precision=15)
        return {
            "format": "labsim-store/1", "labsim_version": __version__, "study": self.name,
            "scenario": self.scenario.name, "scenario_hash": scenario_fingerprint(self.scenario),
            "scenario_text": self.scenario.text, "seed": self.seed, "strategies": list(self.strategies or ()),
            "baseline": self.scenario.baseline, "replications": self.replications,
            "parameters": [p.describe() for p in self.parameters], "method": self.method,
            "points": len(self.design.values), "base": self.design.base,
            "points_hash": hashlib.sha256(points.encode("utf-8")).hexdigest()[:16],
            "targets": [t.name for t in self.scenario.targets],
            "efforts": {name: [effort_record(e) for e in self.scenario.strategies[name].efforts]
                        for name in self.strategies or ()},
            "settings": dict(self.scenario.settings),
        }


def run_study(study: Study, *, store: str | Path | None = None, resume: bool = False, executor: ExecutorLike = None,
              n_jobs: int | None = None, progress: bool = True, flush_runs: int = FLUSH_RUNS,
              flush_seconds: float = FLUSH_SECONDS) -> StudyResults:
    """Make every run of ``study`` and return its results.

    With ``store`` the runs stream into a Parquet store (:mod:`labsim.batch.store`) in batches of at most
    ``flush_runs`` runs or ``flush_seconds`` seconds, and the results are read from it lazily; with
    ``resume`` an interrupted study in that store continues where it stopped (a store of another study or a
    changed scenario is refused). Without ``store`` the results stay in memory.

    ``executor``: ``None`` (serial, or local processes when ``n_jobs > 1``), ``"processes"``, any
    ``concurrent.futures.Executor`` or a Dask ``Client``. The results are identical whatever the executor
    and worker count. A run that raises is recorded with its error and the study goes on. ``progress``
    shows a bar with runs done, the time left and the failures; nothing is printed without it.
    """
    if not isinstance(study, Study):
        raise ValidationError(f"run_study needs a labsim.Study; got {type(study).__name__}.")
    if isinstance(flush_runs, bool) or not isinstance(flush_runs, int) or flush_runs < 1:
        raise ValidationError(f"flush_runs must be a positive integer; got {flush_runs!r}.")
    if isinstance(flush_seconds, bool) or not isinstance(flush_seconds, int | float) or not flush_seconds > 0:
        raise ValidationError(f"flush_seconds must be a positive number; got {flush_seconds!r}.")
    job = study.job()
    check_executor(job, executor, n_jobs)  # before a store folder is made
    keys = job.keys()
    manifest = study.manifest()
    opened = Store.open(store, manifest, study.design.values, resume=resume) if store is not None else None
    done = opened.done() if opened is not None else set()
    todo = [k for k in keys if k not in done]
    kept: list[Outcome] = []
    buffer: list[Outcome] = []
    failed = 0
    last = time.monotonic()
    stream = outcomes(job, job.tasks(todo), executor=executor, n_jobs=n_jobs)
    bar = tqdm(total=len(keys), initial=len(keys) - len(todo), desc=f"{study.name}: runs", unit="run",
               disable=not progress, dynamic_ncols=True)
    try:
        with bar:
            for finished in stream:
                failed += sum(o.failed for o in finished)
                bar.update(len(finished))
                if failed:
                    bar.set_postfix(failed=failed)
                if opened is None:
                    kept.extend(finished)
                    continue
                buffer.extend(finished)
                if len(buffer) >= flush_runs or time.monotonic() - last >= flush_seconds:
                    batch, buffer = buffer, []
                    opened.write(batch, study.scenario.name)
                    last = time.monotonic()
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()  # stops the workers labsim started
        if opened is not None and buffer:
            batch, buffer = buffer, []
            opened.write(batch, study.scenario.name)  # an interrupted study keeps what finished (never twice)
    if opened is not None:
        return StudyResults.from_store(opened)
    return StudyResults.from_outcomes(manifest, study.design.values, kept)


def scenario_fingerprint(scenario: Scenario) -> str:
    """A short hash of what the scenario is, a canonical digest of its fields — the model's arrays, the population
    or profile, every effort's values — so that editing the scenario file or a file it names changes it. A resumed
    study compares it with the store's."""
    return digest({f.name: getattr(scenario, f.name) for f in fields(scenario) if not f.name.startswith("_")})


