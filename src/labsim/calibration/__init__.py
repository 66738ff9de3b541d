"""Calibration: what a municipality observed, and fitting the model's hazards to it (DESIGN.md §3).

- :class:`ObservedSeries`: checked observed values (CSV), with their sources.
- :class:`HazardMultiplier`: a factor on some of the model's hazards, to fit.
- :class:`ExpectedValueCalibrator`: a fast fit on the expected-value path (no sampling).
- :class:`SimulatedCalibrator`: that fit refined on stochastic runs, with intervals for each multiplier.
- :func:`write_fitted`: the fitted parameter file a scenario applies (the plots are in :mod:`labsim.plotting`).
- :class:`ShapeSeries`: what a plan says of a series without numbers ("more than halved"), checked against runs.
"""

from labsim.calibration.calibrators import ExpectedValueCalibrator, SimulatedCalibrator
from labsim.calibration.diagnostics import diagnostics_frame
from labsim.calibration.fitted import fitted_text, write_fitted
from labsim.calibration.observed import CONTEXT_MEASURES, KINDS, UNITS, ObservedError, ObservedSeries
from labsim.calibration.parameters import HazardMultiplier, apply_multipliers
from labsim.calibration.shapes import RELATIONS, ShapeSeries
from labsim.simulation.expected import ExpectedModel, ExpectedPath, expected_path

__all__ = ["ObservedSeries", "ObservedError", "KINDS", "UNITS", "CONTEXT_MEASURES", "HazardMultiplier",
           "apply_multipliers", "ExpectedValueCalibrator", "SimulatedCalibrator", "ExpectedModel", "ExpectedPath",
           "expected_path", "diagnostics_frame", "write_fitted", "fitted_text", "ShapeSeries", "RELATIONS"]
