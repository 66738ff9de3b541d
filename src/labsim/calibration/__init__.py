"""Calibration: what a municipality observed, and (to come) fitting the model's hazards to it (DESIGN.md §3)."""

from labsim.calibration.observed import CONTEXT_MEASURES, KINDS, UNITS, ObservedError, ObservedSeries

__all__ = ["ObservedSeries", "ObservedError", "KINDS", "UNITS", "CONTEXT_MEASURES"]
