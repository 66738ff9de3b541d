"""Uncertain parameters and the sweep points drawn from them: a grid, a Latin hypercube, or a Sobol design.

A :class:`Parameter` names a scenario value by dotted path (``efforts.ips.effect``) and says what it may be:
a range (uniform, or log-uniform with ``distribution="loguniform"``), a triangular or normal distribution,
or a list of ``values``. :func:`sample` turns parameters into a :class:`Design` — one row of values per
sweep point — by one of three methods (scipy.stats.qmc):

* ``"grid"`` (:attr:`Method.GRID`): every combination of each parameter's ``levels`` (or its ``values``);
* ``"lhs"``: ``points`` points of a Latin hypercube;
* ``"sobol"``: Saltelli's design for Sobol indices from a scrambled Sobol sequence: ``points`` (a power of
  2) rows of matrices A and B and, for each parameter, A with that column taken from B — ``points × (d + 2)``
  sweep points in all, in the order A, B, AB₁ … AB_d.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from labsim.errors import ValidationError
from labsim.paths import plain_value
from labsim.rng import SeedLike
from labsim.simulation.scenario import replicate_seed
from labsim.validation import number, one_of, optional, whole, yes_no

__all__ = ["Parameter", "Design", "sample", "Method", "METHODS", "Distribution", "DISTRIBUTIONS",
           "MAX_POINTS", "MAX_DESIGN_VALUES"]


class Method(StrEnum):
    """How sweep points are drawn (see the module); a plain string such as ``"lhs"`` does as well."""

    GRID = "grid"
    LHS = "lhs"
    SOBOL = "sobol"


METHODS: tuple[Method, ...] = tuple(Method)
"""How sweep points are drawn."""


class Distribution(StrEnum):
    """What a parameter with a range may follow; a plain string such as ``"loguniform"`` does as well."""

    UNIFORM = "uniform"
    LOGUNIFORM = "loguniform"
    TRIANGULAR = "triangular"
    NORMAL = "normal"


DISTRIBUTIONS: tuple[Distribution, ...] = tuple(Distribution)
"""What a parameter with a range may follow."""

MAX_POINTS = 100_000
"""The most sweep points a design may have (a grid's combinations, a Latin hypercube's points, a Sobol design's
``points × (d + 2)``): the bound keeps a design of many parameters from filling memory before a run starts."""

MAX_DESIGN_VALUES = 1_000_000
"""The most values a design may hold (sweep points × parameters), for the same reason."""

_DESIGN_KEY = 2**32 - 1
"""The spawn key of the design's own stream: replicates count up from child 0 and never reach it."""


@dataclass(frozen=True, slots=True)
class Parameter:
    """One uncertain scenario value, by dotted path, and what it may be.

    Give either ``values`` (a list, each equally likely) or a distribution: ``low``/``high`` for
    ``"uniform"`` and ``"loguniform"``, plus ``mode`` for ``"triangular"``; ``mean``/``sd`` for ``"normal"``.
    ``integer`` rounds drawn values (seats, caseworkers). ``levels`` is the number of grid values of a
    distribution (its range's ends and equal steps between; quantiles for triangular and normal).
    ``source`` says where the range comes from.

    >>> effect = Parameter("jobcenter.teams.aktivitetsparate.contact_effect", low=1.0, high=1.6, source="DOMAIN.md §6")
    >>> effect.grid()  # levels=3: the range's ends and its middle
    [1.0, 1.3, 1.6]
    >>> effect.from_unit([0.0, 0.5])  # quantiles of the uniform range
    [1.0, 1.3]
    >>> caseworkers = Parameter("efforts.ips.caseworkers", values=(2, 4))
    >>> len(sample([effect, caseworkers], "grid").points())  # every combination
    6
    """

    path: str
    low: float | None = None
    high: float | None = None
    values: tuple[Any, ...] = ()
    distribution: Distribution | str = Distribution.UNIFORM
    mode: float | None = None
    mean: float | None = None
    sd: float | None = None
    integer: bool = False
    levels: int = 3
    source: str = ""
    _law: Any = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        name = f"parameter {self.path!r}"
        if not isinstance(self.path, str) or not self.path or any(not p for p in self.path.split(".")):
            raise ValidationError(f"a parameter's path is dotted names like 'efforts.ips.effect'; got {self.path!r}.")
        object.__setattr__(self, "values", tuple(self.values))
        # kept as the plain text: a study's manifest and fingerprint read the same for "lhs" and Method.LHS
        object.__setattr__(self, "distribution",
                           Distribution(one_of(Distribution)(self.distribution, f"{name}.distribution")).value)
        whole(1, MAX_POINTS)(self.levels, f"{name}.levels")
        yes_no()(self.integer, f"{name}.integer")
        for key in ("low", "high", "mode", "mean", "sd"):
            optional(number())(getattr(self, key), f"{name}.{key}")
        ranged = any(v is not None for v in (self.low, self.high, self.mode, self.mean, self.sd))
        if self.values:
            if ranged:
                raise ValidationError(f"{name}: give values or a distribution, not both.")
            numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in self.values)
            kinds = {type(v).__name__ for v in self.values}
            if not numbers and len(kinds) > 1:
                raise ValidationError(f"{name}: values must be all numbers or all of one kind; got "
                                      f"{list(self.values)!r}.")
            return
        if self.distribution == Distribution.NORMAL:
            if self.mean is None or self.sd is None or not self.sd > 0:
                raise ValidationError(f"{name}: a normal distribution needs mean and sd > 0; got mean={self.mean!r}, "
                                      f"sd={self.sd!r}.")
            from scipy import stats  # here, not at the top: scipy.stats costs a second at import (CLI, workers)

            law = stats.norm(loc=self.mean, scale=self.sd)
        else:
            if self.low is None or self.high is None:
                raise ValidationError(f"{name}: give low and high (or values); got low={self.low!r}, "
                                      f"high={self.high!r}.")
            if not self.low <= self.high:
                raise ValidationError(f"{name}: low {self.low!r} is above high {self.high!r}.")
            if self.distribution == Distribution.LOGUNIFORM and not self.low > 0:
                raise ValidationError(f"{name}: a log-uniform range needs low > 0; got {self.low!r}.")
            if self.distribution == Distribution.TRIANGULAR:
                if self.mode is None or not self.low <= self.mode <= self.high:
                    raise ValidationError(f"{name}: a triangular distribution needs low ≤ mode ≤ high; got "
                                          f"low={self.low!r}, mode={self.mode!r}, high={self.high!r}.")
                from scipy import stats

                width = self.high - self.low
                law = stats.triang(c=(self.mode - self.low) / width if width else 0.5, loc=self.low, scale=width)
            else:
                law = None
        object.__setattr__(self, "_law", law)

    def from_unit(self, u: npt.ArrayLike) -> list[Any]:
        """The values at quantiles ``u`` in [0, 1)."""
        q = np.clip(np.asarray(u, dtype=np.float64), 0.0, np.nextafter(1.0, 0.0))
        if self.values:
            return [self.values[i] for i in np.minimum((q * len(self.values)).astype(np.int64), len(self.values) - 1)]
        if self.distribution == Distribution.UNIFORM:
            assert self.low is not None and self.high is not None
            drawn = self.low + q * (self.high - self.low)
        elif self.distribution == Distribution.LOGUNIFORM:
            assert self.low is not None and self.high is not None
            drawn = np.exp(math.log(self.low) + q * (math.log(self.high) - math.log(self.low)))
        else:
            drawn = self._law.ppf(q)
        return self._finish(drawn)

    def grid(self) -> list[Any]:
        """The parameter's grid values: its ``values``, or ``levels`` values over its distribution."""
        if self.values:
            return list(self.values)
        if self.distribution in (Distribution.UNIFORM, Distribution.LOGUNIFORM):
            assert self.low is not None and self.high is not None
            if self.levels == 1:
                middle = (math.sqrt(self.low * self.high) if self.distribution == Distribution.LOGUNIFORM
                          else (self.low + self.high) / 2)
                return self._finish(np.array([middle]))
            space = np.geomspace if self.distribution == Distribution.LOGUNIFORM else np.linspace
            return list(dict.fromkeys(self._finish(space(self.low, self.high, self.levels))))
        quantiles = (np.arange(self.levels) + 0.5) / self.levels
        return list(dict.fromkeys(self._finish(self._law.ppf(quantiles))))

    def _finish(self, drawn: npt.NDArray[np.float64]) -> list[Any]:
        if self.integer:
            return [int(v) for v in np.rint(drawn)]
        return [float(v) for v in drawn]

    def describe(self) -> dict[str, Any]:
        """The parameter as plain data (for a store's manifest and a study file)."""
        out: dict[str, Any] = {"path": self.path}
        if self.values:
            out["values"] = list(self.values)
        else:
            out["distribution"] = self.distribution
            for key in ("low", "high", "mode", "mean", "sd"):
                if getattr(self, key) is not None:
                    out[key] = getattr(self, key)
            out["levels"] = self.levels
        if self.integer:
            out["integer"] = True
        if self.source:
            out["source"] = self.source
        return out


@dataclass(frozen=True, eq=False)
class Design:
    """The sweep points: ``values`` has one row per point (``point`` 0, 1, …) and one column per parameter.

    ``base`` is the number of rows of A (and of B) in a Sobol design, 0 for other methods.
    """

    parameters: tuple[Parameter, ...]
    method: Method | str
    values: pd.DataFrame
    base: int = 0

    @property
    def paths(self) -> list[str]:
        """The parameters' dotted paths, in order."""
        return [p.path for p in self.parameters]

    def points(self) -> tuple[dict[str, Any], ...]:
        """Each point's values by dotted path (one empty point when nothing is swept)."""
        if not self.parameters:
            return ({},)
        rows = self.values[self.paths].to_dict("records")
        return tuple({str(k): plain_value(v) for k, v in row.items()} for row in rows)

    def sobol_blocks(self, outputs: npt.ArrayLike) -> dict[str, npt.NDArray[np.float64]]:
        """Split one output per point into Saltelli's blocks ``f_A, f_B (1, n)`` and ``f_AB (d, 1, n)``
        (the form :func:`scipy.stats.sobol_indices` takes)."""
        if self.method != Method.SOBOL:
            raise ValidationError(f"Sobol indices need a study sampled with method 'sobol'; this one used "
                                  f"{self.method!r}.")
        y = np.asarray(outputs, dtype=np.float64)
        n, d = self.base, len(self.parameters)
        if y.shape != (n * (d + 2),):
            raise ValidationError(f"a Sobol design of {n} × ({d} + 2) points needs {n * (d + 2)} outputs; got "
                                  f"{y.shape}.")
        return {"f_A": y[:n][None, :], "f_B": y[n:2 * n][None, :], "f_AB": y[2 * n:].reshape(d, 1, n)}


def _check_size(points: int, parameters: int, what: str) -> None:
    """Raise unless a design of ``points`` sweep points of ``parameters`` values each is within the bounds."""
    if points > MAX_POINTS or points * parameters > MAX_DESIGN_VALUES:
        raise ValidationError(f"{what} makes {points:,} sweep points of {parameters} parameter"
                              f"{'s' if parameters != 1 else ''}; a design has at most {MAX_POINTS:,} points and "
                              f"{MAX_DESIGN_VALUES:,} values.")


def sample(parameters: Sequence[Parameter], method: Method | str = Method.GRID, points: int | None = None,
           seed: SeedLike = 0) -> Design:
    """The sweep points of ``parameters`` by ``method`` (a :class:`Method`, see the module); ``points`` is the number
    of points (``"lhs"``) or of base rows, a power of 2 (``"sobol"``); the grid takes none. ``seed`` fixes the
    draw: a study passes its own, so that its points are the same on every machine."""
    parameters = tuple(parameters)
    paths = [p.path for p in parameters]
    twice = sorted({p for p in paths if paths.count(p) > 1})
    if twice:
        raise ValidationError(f"each parameter path may appear once; {twice} appear more than once.")
    method = Method(one_of(Method)(method, "method")).value  # the plain text, as the manifest keeps it
    if not parameters:
        return Design((), method, pd.DataFrame({"point": [0]}), 0)
    d = len(parameters)
    rng = np.random.default_rng(replicate_seed(seed, _DESIGN_KEY))
    base = 0
    if method == Method.GRID:
        if points is not None and points != 0:
            raise ValidationError(f"a grid takes every combination of the parameters' levels; do not give points "
                                  f"(got {repr(points)[:80]}).")
        _check_size(math.prod(len(p.values) if p.values else p.levels for p in parameters), d,
                    "a grid of these parameters (fewer levels or values, or method 'lhs')")
        rows = list(itertools.product(*(p.grid() for p in parameters)))
        columns = {path: [row[i] for row in rows] for i, path in enumerate(paths)}
    else:
        points = whole(1)(points, f"method {method!r}: points")
        _check_size(points * (d + 2) if method == Method.SOBOL else points, d,
                    f"method {method!r} with points={points:,}")
        from scipy.stats import qmc  # here, not at the top: scipy.stats costs a second at import

        if method == Method.LHS:
            unit = qmc.LatinHypercube(d=d, rng=rng).random(points)
        else:
            if points < 2 or points & (points - 1):
                raise ValidationError(f"method 'sobol' needs points a power of 2, at least 2 (e.g. "
                                      f"{max(2, 1 << points.bit_length())}); "
                                      f"got {points}.")
            both = qmc.Sobol(d=2 * d, scramble=True, rng=rng).random_base2(int(math.log2(points)))
            a, b = both[:, :d], both[:, d:]
            blocks = [a, b]
            for i in range(d):
                ab = a.copy()
                ab[:, i] = b[:, i]
                blocks.append(ab)
            unit = np.vstack(blocks)
            base = points
        columns = {path: p.from_unit(unit[:, i]) for i, (path, p) in enumerate(zip(paths, parameters, strict=True))}
    n = len(next(iter(columns.values())))
    frame = pd.DataFrame({"point": np.arange(n, dtype=np.int64), **columns})
    return Design(parameters, method, frame, base)
