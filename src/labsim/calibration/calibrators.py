"""Fitting hazard multipliers to observed series: a fast deterministic fit, and a stochastic refinement with
honest uncertainty. Both follow the estimator contract: settings in the constructor, ``fit(observed,
scenario)`` does the work and returns the calibrator, learned values end in ``_``.

:class:`ExpectedValueCalibrator` (tier a) runs the expected-value step (:mod:`labsim.simulation.expected`)
inside ``scipy.optimize.least_squares`` on the logarithms of the multipliers, minimising the relative errors
``(simulated − observed) / max(observed, 1)``.

:class:`SimulatedCalibrator` (tier b) starts there and refines on replicated stochastic runs of the full
model. Its answer is an approximate posterior (a Laplace approximation of a synthetic likelihood, flat prior
on the log multipliers): the observed vector is taken as one draw from ``N(μ(θ), Σ)``, where ``Σ`` is the
covariance of the series over the replications (the process noise of a municipality of this size, with the
persons synthesised anew in each replicate) plus the rounding of the observed values and an optional
relative observation error; ``μ(θ)`` is the expected-value path corrected by the mean difference between the
stochastic runs and the expected path at the current estimate (which also absorbs the expected-value step's
approximations). Each round runs the replications, re-estimates the correction and ``Σ`` and refits by
generalised least squares; the covariance of the log multipliers is ``(Jᵀ Σ⁻¹ J)⁻¹`` at the optimum (``J`` the
Jacobian of ``μ``), where the runs' part of ``Σ`` is scaled by ``1 + 1/R`` for the Monte-Carlo error of the
correction from ``R`` replications. Every round runs the same ``R`` replicates (common random numbers, so that
rounds differ by the multipliers, not by noise); the check runs behind the diagnostics are ``R`` further
replicates the fit never saw. Intervals are ``exp(log θ ± z · se)``, cut at the multiplier's bounds (the flat prior lives between
them). A parameter the series cannot tell apart from others
is named in ``unidentified_``: its interval spans its whole range (or, when the Jacobian cannot see it at all,
its standard error is infinite).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from statistics import NormalDist
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from tqdm.auto import tqdm

from labsim.calibration.observed import ObservedSeries
from labsim.calibration.parameters import HazardMultiplier, apply_multipliers, as_parameters
from labsim.calibration.series import fit_series, run_arrays, series_values
from labsim.core import TransitionModel
from labsim.errors import CalibrationError, CalibrationWarning
from labsim.simulation import Scenario, replicate_seed
from labsim.simulation.expected import ExpectedModel

__all__ = ["ExpectedValueCalibrator", "SimulatedCalibrator", "ROUNDING_VARIANCE", "SETTLED"]

SETTLED = 0.5
"""The refinement has settled when no log multiplier moved in a round by more than this many of its standard errors.
Rounds are a fixed-point iteration on stochastic runs, which are not smooth in the multipliers even on common random
numbers: once the moves are this small they are jitter the intervals cannot resolve, whatever the multiplier's
absolute precision — an absolute cap keeps a multiplier with a wide interval moving from round to round."""

ROUNDING_VARIANCE = 1.0 / 12.0
"""Variance of a value rounded to a whole number (uniform error on ±½): the plans print whole fuldtidspersoner."""


class _Fit:
    """What both calibrators share: the setting up, the expected-value residuals, the result."""

    parameters: tuple[HazardMultiplier, ...]
    params_: dict[str, float]
    strategy: str | None
    municipality: str | None
    measures: Sequence[str] | None
    max_nfev: int

    def _setup(self, observed: ObservedSeries, scenario: Scenario, expected: ExpectedModel | None = None) -> None:
        if not isinstance(observed, ObservedSeries):
            raise CalibrationError(f"observed must be a labsim.calibration.ObservedSeries; got {type(observed).__name__}.")
        if not isinstance(scenario, Scenario):
            raise CalibrationError(f"scenario must be a labsim.Scenario; got {type(scenario).__name__}.")
        self.parameters = as_parameters(self.parameters)
        # A balanced scenario is fitted on top of its balance (docs/calibration.md): the multipliers move the
        # balanced model, from the balanced start, and the balance is then frozen (a new balance to the start
        # would undo what the fit moves). The runs start from the balanced scenario's persons.
        self.balance_ = scenario.rate_balance()
        self.given_ = scenario
        if self.balance_ is not None:
            scenario = scenario.replace(model=self.balance_.apply(scenario.model), balance="none")
        elif scenario.balance != "none":
            scenario = scenario.replace(balance="none")
        strategy = scenario.baseline if self.strategy is None else self.strategy
        if strategy not in scenario.strategies:
            raise CalibrationError(f"strategy {strategy!r} is not a strategy of scenario {scenario.name!r}; it has "
                                   f"{list(scenario.strategies)}.")
        for parameter in self.parameters:
            parameter.powers(scenario.model)  # a move the model lacks fails here, before any run
        self.strategy_ = strategy
        self.series_, self.left_out_ = fit_series(observed, scenario.model.catalogue, scenario.start, scenario.end,
                                                  self.municipality, self.measures)
        self.observed_ = np.array([s.value for s in self.series_])
        self.scenario_ = scenario
        self.data_ = observed
        self._expected = (ExpectedModel(scenario, self.given_.replicate_population(0)) if expected is None
                          else expected)
        self._bounds = (np.log([p.low for p in self.parameters]), np.log([p.high for p in self.parameters]))

    def expected_values(self, log_factors: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """The series on the expected-value path with multipliers ``exp(log_factors)``."""
        model = apply_multipliers(self.scenario_.model, self.parameters, np.exp(log_factors))
        path = self._expected.path(model)
        return series_values(self.series_, path.stocks, path.flows, path.start_month)

    def _least_squares(self, residuals: Any, start: npt.NDArray[np.float64]) -> Any:
        from scipy.optimize import least_squares  # here, not at the top: scipy.optimize is slow to import

        return least_squares(residuals, start, bounds=self._bounds, method="trf", x_scale=1.0, diff_step=1e-4,
                             max_nfev=self.max_nfev, xtol=1e-6, ftol=1e-8)

    def _finish(self, result: Any, what: str) -> None:
        self.converged_ = bool(result.success)
        self.message_ = str(result.message)
        if not self.converged_:
            warnings.warn(f"{what} did not converge after {result.nfev} evaluations ({result.message}); the "
                          "parameters are the last tried, not an optimum. Raise max_nfev, fit fewer parameters, or "
                          "start elsewhere (initial=).", CalibrationWarning, stacklevel=3)
        self.at_bound_ = [p.name for p, active in zip(self.parameters, result.active_mask, strict=True) if active]

    @property
    def model_(self) -> TransitionModel:
        """The scenario's model (with its balance, where the scenario balances) with the fitted multipliers."""
        return apply_multipliers(self.scenario_.model, self.parameters, [self.params_[p.name] for p in self.parameters])


class ExpectedValueCalibrator(_Fit):
    """Tier (a): hazard multipliers fitted on the expected-value path by ``scipy.optimize.least_squares``.

    Parameters
    ----------
    parameters:
        The multipliers to fit (:class:`~labsim.calibration.HazardMultiplier`).
    strategy:
        The scenario's strategy whose runs the series describe (its baseline by default; the expected-value
        path has no efforts, so a strategy without efforts).
    municipality:
        Which municipality's rows to fit, when the series hold several.
    measures:
        Which measures to fit (all that can be simulated by default); the others are shown in ``left_out_``.
    max_nfev:
        Most evaluations of the path before the fit gives up (and warns).

    Attributes (after :meth:`fit`)
    -------------------------------
    params_:
        Fitted multiplier by parameter name.
    loss_:
        Half the sum of squared relative errors at the optimum.
    converged_:
        Whether ``least_squares`` reported convergence; when not, a :class:`~labsim.errors.CalibrationWarning`
        was emitted.
    n_iter_:
        Evaluations of the path.
    fitted_:
        The series on the fitted path, in the order of ``series_``.
    series_, left_out_:
        The observed rows fitted, and a frame of those left out with the reason.
    at_bound_:
        Parameters that ended on a bound.
    balance_:
        The balance the fit started from (:meth:`Scenario.rate_balance`; ``None`` where the scenario does not
        balance): the multipliers move the balanced model, and the fitted file carries the balance.
    """

    def __init__(self, parameters: HazardMultiplier | Sequence[HazardMultiplier], *, strategy: str | None = None,
                 municipality: str | None = None, measures: Sequence[str] | None = None, max_nfev: int = 200) -> None:
        self.parameters = as_parameters(parameters)
        self.strategy = strategy
        self.municipality = municipality
        self.measures = measures
        self.max_nfev = max_nfev

    def fit(self, observed: ObservedSeries, scenario: Scenario) -> ExpectedValueCalibrator:
        """Fit the multipliers so that the expected path matches ``observed``; returns ``self``."""
        self._setup(observed, scenario)
        scale = np.maximum(self.observed_, 1.0)

        def residuals(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
            return (self.expected_values(x) - self.observed_) / scale

        start = np.log([p.initial for p in self.parameters])
        result = self._least_squares(residuals, start)
        self.log_params_ = np.asarray(result.x)
        self.params_ = {p.name: float(math.exp(x)) for p, x in zip(self.parameters, result.x, strict=True)}
        self.loss_ = float(result.cost)
        self.n_iter_ = int(result.nfev)
        self.fitted_ = self.expected_values(result.x)
        self._finish(result, "the expected-value fit")
        return self

    def diagnostics(self) -> pd.DataFrame:
        """Observed vs the fitted expected path, series by series (see :func:`~labsim.calibration.diagnostics`)."""
        from labsim.calibration.diagnostics import diagnostics_frame

        return diagnostics_frame(self.series_, self.fitted_, None, None)


class SimulatedCalibrator(_Fit):
    """Tier (b): the expected-value fit refined on replicated stochastic runs, with parameter uncertainty.

    Parameters
    ----------
    parameters, strategy, municipality, measures, max_nfev:
        As for :class:`ExpectedValueCalibrator`.
    replications:
        Stochastic runs per round; more than the series fitted plus 2, for their covariance.
    rounds:
        Most rounds of simulate → correct → refit; the refinement stops earlier when no estimate moves by more
        than half its standard error (:data:`SETTLED`).
    seed:
        Seed of the replications (the scenario's by default); replicate ``k`` uses its ``k``-th child, as
        :func:`labsim.compare` does.
    level:
        Probability of the reported intervals.
    observation_sd:
        Relative standard deviation of the observed values besides rounding — differences of definition or
        extract between the source and the model (an assumption; 0 by default).
    progress:
        Show a bar of the runs.

    Attributes (after :meth:`fit`)
    -------------------------------
    params_, loss_, converged_, n_iter_, series_, left_out_, at_bound_, balance_:
        As for :class:`ExpectedValueCalibrator`; ``loss_`` is half the squared Mahalanobis distance, ``n_iter_``
        the path evaluations of all rounds.
    se_:
        Standard error of each log multiplier (∞ for an unidentified one).
    intervals_:
        Frame: parameter, estimate, low, high (cut at the bounds), se_log, at_bound.
    covariance_:
        Covariance of the log multipliers.
    unidentified_:
        Parameters the series cannot pin down: an interval at ``level`` wider than the whole range between their
        bounds, or a direction the Jacobian cannot see.
    rounds_:
        Rounds run.
    trace_:
        Frame, one row per round and parameter: round, parameter, estimate, se_log, moved_log (how far its
        logarithm moved in that round) and loss — how the refinement settled, or why it did not.
    simulated_:
        ``(replications, series)`` the series in the check runs at the final estimate: replicates ``replications`` to
        ``2 · replications − 1``, which the fit never saw.
    expected_:
        The series on the corrected expected path at the final estimate.
    start_:
        The tier-(a) calibrator the refinement started from.
    """

    def __init__(self, parameters: HazardMultiplier | Sequence[HazardMultiplier], *, replications: int = 40,
                 rounds: int = 3, seed: int | None = None, level: float = 0.9, observation_sd: float = 0.0,
                 strategy: str | None = None, municipality: str | None = None, measures: Sequence[str] | None = None,
                 max_nfev: int = 200, progress: bool = False) -> None:
        self.parameters = as_parameters(parameters)
        if isinstance(replications, bool) or not isinstance(replications, int) or replications < 3:
            raise CalibrationError(f"replications must be a whole number of at least 3; got {replications!r}.")
        if isinstance(rounds, bool) or not isinstance(rounds, int) or rounds < 1:
            raise CalibrationError(f"rounds must be a whole number of at least 1; got {rounds!r}.")
        if not 0.0 < level < 1.0:
            raise CalibrationError(f"level must lie between 0 and 1; got {level!r}.")
        if not (isinstance(observation_sd, int | float) and 0.0 <= observation_sd < 1.0):
            raise CalibrationError(f"observation_sd must be a relative error in [0, 1); got {observation_sd!r}.")
        self.replications = replications
        self.rounds = rounds
        self.seed = seed
        self.level = level
        self.observation_sd = float(observation_sd)
        self.strategy = strategy
        self.municipality = municipality
        self.measures = measures
        self.max_nfev = max_nfev
        self.progress = progress

    def fit(self, observed: ObservedSeries, scenario: Scenario) -> SimulatedCalibrator:
        """Fit on the expected path, then refine on stochastic runs; returns ``self``."""
        if isinstance(scenario, Scenario) and isinstance(observed, ObservedSeries):
            count = len(fit_series(observed, scenario.model.catalogue, scenario.start, scenario.end, self.municipality,
                                   self.measures)[0])
            if self.replications <= count + 2:
                raise CalibrationError(f"replications must exceed the series fitted plus 2 ({count + 2}) for their "
                                       f"covariance; got {self.replications}.")
        first = ExpectedValueCalibrator(self.parameters, strategy=self.strategy, municipality=self.municipality,
                                        measures=self.measures, max_nfev=self.max_nfev)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", CalibrationWarning)
            first.fit(observed, scenario)
        for warning in caught:  # others pass on; the first tier's CalibrationWarning matters only if the refinement fails
            if not issubclass(warning.category, CalibrationWarning):
                warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
        first_warnings = [w for w in caught if issubclass(w.category, CalibrationWarning)]
        self.start_ = first
        self._setup(observed, scenario, first._expected)  # the same persons: prepared once
        x = first.log_params_.copy()
        evaluations = first.n_iter_
        seed = scenario.seed if self.seed is None else self.seed
        measurement = ROUNDING_VARIANCE + (self.observation_sd * self.observed_) ** 2
        stable = False
        result = None
        trace: list[dict[str, Any]] = []
        for done in range(1, self.rounds + 1):
            self.rounds_ = done
            simulated = self._simulate(x, seed, f"round {done}")
            correction = simulated.mean(axis=0) - self.expected_values(x)
            covariance = _covariance(simulated) * (1.0 + 1.0 / self.replications) + np.diag(measurement)
            whiten = np.linalg.inv(np.linalg.cholesky(covariance))

            def residuals(z: npt.NDArray[np.float64], c: Any = correction, w: Any = whiten) -> Any:
                return w @ (self.expected_values(z) + c - self.observed_)

            result = self._least_squares(residuals, x)
            evaluations += int(result.nfev)
            se = _standard_errors(np.asarray(result.jac))[0]
            moved = np.abs(result.x - x)
            x = np.asarray(result.x)
            trace += [{"round": done, "parameter": p.name, "estimate": math.exp(v), "se_log": s, "moved_log": m,
                       "loss": float(result.cost)} for p, v, s, m in zip(self.parameters, x, se, moved, strict=True)]
            if np.all(moved <= SETTLED * se):
                stable = True
                break
        assert result is not None
        se, covariance_log, unidentified = _standard_errors(np.asarray(result.jac))
        self.log_params_ = x
        self.params_ = {p.name: float(math.exp(v)) for p, v in zip(self.parameters, x, strict=True)}
        self.se_ = {p.name: float(s) for p, s in zip(self.parameters, se, strict=True)}
        self.covariance_ = pd.DataFrame(covariance_log, index=[p.name for p in self.parameters],
                                        columns=[p.name for p in self.parameters])
        wide = z_width(self.level) * se > np.log([p.high / p.low for p in self.parameters])
        self.unidentified_ = [p.name for i, p in enumerate(self.parameters) if i in unidentified or wide[i]]
        self.loss_ = float(result.cost)
        self.n_iter_ = evaluations
        self.trace_ = pd.DataFrame(trace)
        self.expected_ = self.expected_values(x) + correction
        self.simulated_ = self._simulate(x, seed, "check runs", first=self.replications)
        z = z_width(self.level) / 2
        self._finish(result, "the stochastic refinement")
        self.intervals_ = pd.DataFrame({
            "parameter": [p.name for p in self.parameters],
            "estimate": np.exp(x),
            "low": np.maximum(np.exp(x - z * se), np.exp(self._bounds[0])),
            "high": np.minimum(np.exp(x + z * se), np.exp(self._bounds[1])),
            "se_log": se,
            "at_bound": [p.name in self.at_bound_ for p in self.parameters],
        })
        if not stable:
            self.converged_ = False
            warnings.warn(f"the stochastic refinement did not settle in {self.rounds} rounds (an estimate still "
                          f"moved by more than {SETTLED} standard errors; see trace_); raise rounds or replications.",
                          CalibrationWarning, stacklevel=2)
        if not self.converged_:
            for warning in first_warnings:
                warnings.warn(warning.message, CalibrationWarning, stacklevel=2)
        return self

    def _simulate(self, log_factors: npt.NDArray[np.float64], seed: int, what: str,
                  first: int = 0) -> npt.NDArray[np.float64]:
        """``(replications, series)`` the series of stochastic runs — replicates ``first``, ``first + 1``, … of
        ``seed`` — with the multipliers ``exp(log_factors)``."""
        scenario = self.scenario_.replace(model=apply_multipliers(self.scenario_.model, self.parameters,
                                                                  np.exp(log_factors)))
        out = np.empty((self.replications, len(self.series_)))
        for k in tqdm(range(self.replications), desc=f"calibration {what}", unit="run", disable=not self.progress,
                      leave=False):
            sequence = replicate_seed(seed, first + k)
            run = scenario.run(self.strategy_, replicate=first + k, seed=sequence,
                               population=self.given_.replicate_population(first + k, seed=sequence))
            stocks, flows = run_arrays(run)
            out[k] = series_values(self.series_, stocks, flows, run.start_month)
        return out

    def diagnostics(self) -> pd.DataFrame:
        """Observed vs simulated with intervals, series by series (see :func:`~labsim.calibration.diagnostics`)."""
        from labsim.calibration.diagnostics import diagnostics_frame

        return diagnostics_frame(self.series_, self.expected_, self.simulated_, self.observation_sd)


def z_width(level: float) -> float:
    """Width of a central normal interval of probability ``level``, in standard deviations (3.29 for 0.9)."""
    return 2.0 * NormalDist().inv_cdf(0.5 + level / 2)


def _covariance(samples: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The covariance of the columns of ``samples`` scaled by ``(R − 1) / (R − p − 2)``, so that its inverse is an
    unbiased estimate of the precision (Hartlap, Simon & Schneider 2007); needs ``R > p + 2`` replications."""
    n, p = samples.shape
    return np.atleast_2d(np.cov(samples, rowvar=False)) * (n - 1) / (n - p - 2)


def _standard_errors(jacobian: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], list[int]]:
    """Standard errors and covariance ``(JᵀJ)⁻¹`` of a whitened least-squares fit; parameters loading on directions the
    Jacobian cannot see (singular values below 1e-8 of the largest) get infinite errors."""
    _, singular, vt = np.linalg.svd(jacobian, full_matrices=False)
    seen = singular > 1e-8 * singular.max() if singular.size and singular.max() > 0 else np.zeros_like(singular, bool)
    inverse = np.where(seen, 1.0 / np.where(seen, singular, 1.0) ** 2, 0.0)
    covariance = (vt.T * inverse) @ vt
    blind = vt[~seen]
    unidentified = sorted({int(i) for row in blind for i in np.flatnonzero(np.abs(row) > 1e-3)})
    se = np.sqrt(np.diag(covariance))
    se[unidentified] = np.inf
    covariance[unidentified, :] = np.nan
    covariance[:, unidentified] = np.nan
    return se, covariance, unidentified
