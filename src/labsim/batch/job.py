"""A batch of runs, and the function a worker calls to make some of them (DESIGN.md §9).

A :class:`Job` is everything a worker needs: the scenario, the strategies, the sweep points (values by
dotted path), the replications and the seed. It travels to a worker once per task as cloudpickled
bytes, so strategies and efforts defined in a notebook travel with it. :func:`execute` makes the runs
of one task — every strategy of one sweep point and replicate, which share the replicate's persons —
and returns one :class:`Outcome` per run. A run that raises is an outcome with its error; the task
goes on with the next run.

Replicate ``k`` uses child ``k`` of ``SeedSequence(seed)`` under every strategy and at every sweep
point (common random numbers); the outcome records the seed and that spawn key.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import cloudpickle

from labsim.batch.summary import RunSummary, summarise_run
from labsim.errors import ValidationError
from labsim.simulation.scenario import Scenario, replicate_seed

__all__ = ["RunKey", "Job", "Outcome", "execute"]

Vary = Callable[[Scenario, Mapping[str, Any]], Scenario]
"""Builds a sweep point's scenario from the base scenario and the point's values by dotted path."""


@dataclass(frozen=True, slots=True, order=True)
class RunKey:
    """Which run: sweep point, replicate, strategy."""

    point: int
    replicate: int
    strategy: str


@dataclass(frozen=True, slots=True, eq=False)
class Outcome:
    """What became of one run: its frames, or the error that stopped it."""

    key: RunKey
    seed: int
    spawn_key: tuple[int, ...]
    summary: RunSummary | None
    error: str = ""
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        """Whether the run raised instead of finishing."""
        return self.summary is None


@dataclass(frozen=True, eq=False)
class Job:
    """The runs of a study: ``strategies`` × ``replications`` at each sweep point.

    ``points`` holds each point's values by dotted path (one empty point when nothing is swept);
    ``vary`` builds a point's scenario (by default :meth:`Scenario.vary <labsim.simulation.Scenario.vary>`).
    """

    scenario: Scenario
    strategies: tuple[str, ...]
    replications: int
    seed: int
    points: tuple[Mapping[str, Any], ...] = ({},)
    vary: Vary | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        unknown = [s for s in self.strategies if s not in self.scenario.strategies]
        if unknown:
            raise ValidationError(f"strategies {unknown} are not in scenario {self.scenario.name!r}; it has "
                                  f"{list(self.scenario.strategies)}.")
        if not self.strategies:
            raise ValidationError("a study runs at least one strategy; got none.")
        if isinstance(self.replications, bool) or not isinstance(self.replications, int) or self.replications < 1:
            raise ValidationError(f"replications must be an integer of at least 1; got {self.replications!r}.")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or not 0 <= self.seed < 2**63:
            raise ValidationError(f"seed must be an integer from 0 to 2**63 - 1; got {self.seed!r}.")
        if not self.points:
            raise ValidationError("a study has at least one point (an empty one when nothing is swept).")

    @staticmethod
    def strategies_of(scenario: Scenario, strategies: Sequence[str] | None) -> tuple[str, ...]:
        """The strategies to run: all of ``scenario``'s when ``strategies`` is ``None``, else those named, with
        the baseline always first (the others are measured against it)."""
        if strategies is None:
            return tuple(scenario.strategies)
        return tuple(dict.fromkeys([scenario.baseline, *strategies]))

    def spawn_key(self, replicate: int) -> tuple[int, ...]:
        """The spawn key of replicate ``replicate``'s seed (child ``replicate`` of ``SeedSequence(seed)``)."""
        return tuple(int(k) for k in replicate_seed(self.seed, replicate).spawn_key)

    def keys(self) -> list[RunKey]:
        """Every run, point by point, replicate by replicate, strategy by strategy."""
        return [RunKey(p, r, s) for p in range(len(self.points)) for r in range(self.replications)
                for s in self.strategies]

    def tasks(self, keys: Sequence[RunKey] | None = None) -> list[tuple[RunKey, ...]]:
        """``keys`` (all by default) grouped into tasks: the strategies of one point and replicate."""
        groups: dict[tuple[int, int], list[RunKey]] = {}
        for key in self.keys() if keys is None else keys:
            groups.setdefault((key.point, key.replicate), []).append(key)
        return [tuple(group) for group in groups.values()]

    def scenario_at(self, point: int) -> Scenario:
        """The scenario of sweep point ``point``."""
        values = self.points[point]
        if not values:
            return self.scenario
        return self.vary(self.scenario, values) if self.vary is not None else self.scenario.vary(values)

    def payload(self) -> bytes:
        """The job as bytes for a worker (cloudpickle: notebook-defined efforts travel by value)."""
        return cloudpickle.dumps(self)


@lru_cache(maxsize=4)
def _unpickled(payload: bytes) -> Job:
    """A worker unpickles each job once, however many tasks it is sent."""
    job = cloudpickle.loads(payload)
    if not isinstance(job, Job):
        raise ValidationError(f"a worker was sent a {type(job).__name__}, not a labsim batch job.")
    return job


def execute(job: Job | bytes, keys: Sequence[RunKey]) -> list[Outcome]:
    """Make the runs ``keys`` (one sweep point and replicate) of ``job``; a worker's whole task.

    The replicate's persons are synthesised once and shared by its strategies. Any exception in a run
    (or in building the point's scenario or persons) becomes that run's :class:`Outcome` with the error;
    ``KeyboardInterrupt`` and other non-``Exception`` errors stop the task.
    """
    if isinstance(job, bytes):
        job = _unpickled(job)
    if not keys:
        return []
    point, replicate = keys[0].point, keys[0].replicate
    if any((k.point, k.replicate) != (point, replicate) for k in keys):
        raise ValidationError(f"a task's runs must share one sweep point and replicate; got {list(keys)}.")
    sequence = replicate_seed(job.seed, replicate)
    spawn_key = job.spawn_key(replicate)
    started = time.perf_counter()
    try:
        scenario = job.scenario_at(point)
        population = scenario.replicate_population(seed=sequence)
    except Exception as error:  # noqa: BLE001 - a failed point is recorded, the study goes on
        message = _describe(error)
        return [Outcome(key, job.seed, spawn_key, None, message, time.perf_counter() - started) for key in keys]
    outcomes = []
    for key in keys:
        began = time.perf_counter()
        try:
            run = scenario.run(key.strategy, replicate=replicate, seed=sequence, population=population)
            summary = summarise_run(run, scenario)
        except Exception as error:  # noqa: BLE001 - a failed run is recorded, the study goes on
            outcomes.append(Outcome(key, job.seed, spawn_key, None, _describe(error), time.perf_counter() - began))
            continue
        outcomes.append(Outcome(key, job.seed, spawn_key, summary, "", time.perf_counter() - began))
    return outcomes


def _describe(error: Exception) -> str:
    """The error's type and message, and where it was raised."""
    where = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    place = f" (at {where.filename.rsplit('/', 1)[-1]}:{where.lineno})" if where else ""
    return f"{type(error).__name__}: {error}{place}"
