"""labsim — discrete-event simulation of the Danish labour market as a municipality sees it.

The public API, re-exported here; see the README for a tour.
"""

# The names load lazily (PEP 562, as scikit-learn does): ``import labsim`` or ``import labsim.core`` costs numpy
# at most, and pandas, SimPy, pydantic and pyarrow load only when a name that needs them is first used.

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from labsim._version import __version__

if TYPE_CHECKING:  # the same names and homes as _HOMES below, for type checkers
    from labsim.calendar import month_label, parse_month
    from labsim.core import (
        CycleResponse,
        DurationBands,
        Education,
        Effect,
        Hazard,
        LegalRules,
        MacroPath,
        Origin,
        PensionSchedule,
        Population,
        Sex,
        TransitionModel,
        markov_model,
    )
    from labsim.core.demography import Arrivals, Demography
    from labsim.core.life_table import LifeTable
    from labsim.core.synthesis import MunicipalityProfile, synthesise
    from labsim.errors import (
        CalendarError,
        ForbiddenTransitionError,
        LabsimError,
        LabsimWarning,
        ModelError,
        PopulationError,
        StoreError,
        UnknownStateError,
        ValidationError,
    )
    from labsim.events import (
        CaseworkerTeam,
        CourseIntake,
        Events,
        Jobcenter,
        MacroShock,
        RehabTeam,
        RuleChange,
        danish_calendar,
    )
    from labsim.experiments import (
        Comparison,
        Parameter,
        Study,
        StudyResults,
        baseline_check,
        compare,
        open_results,
        run_study,
    )
    from labsim.io import default_model, default_profile, read_model, read_profile
    from labsim.io.demography_file import default_life_table, read_life_table
    from labsim.io.scenario_file import ScenarioError, read_scenario, scenario_from_text
    from labsim.io.study_file import read_study
    from labsim.policy import Capacity, Costs, Effort, Eligibility, Impact, Schedule, Strategy
    from labsim.results import BenefitRates, Measure, Observed, Period, Rate, Run, Target, danish_rates
    from labsim.simulation import AlignmentTarget, Scenario, simulate
    from labsim.states import Gate, State, StateCatalogue, StateInfo, danish_catalogue

__all__ = [
    "__version__",
    # running
    "simulate", "Run",
    # scenarios, targets, money and comparisons
    "Scenario", "read_scenario", "scenario_from_text", "ScenarioError", "compare", "Comparison", "Target", "Measure",
    "Period", "Observed", "BenefitRates", "Rate", "danish_rates", "baseline_check", "AlignmentTarget",
    # studies: sweeps, executors, stores, sensitivity
    "Study", "Parameter", "run_study", "read_study", "StudyResults", "open_results",
    # populations
    "Population", "MunicipalityProfile", "synthesise", "default_profile", "read_profile",
    # models
    "TransitionModel", "Hazard", "Effect", "CycleResponse", "DurationBands", "LegalRules", "PensionSchedule",
    "MacroPath", "markov_model", "default_model", "read_model",
    # demography
    "Demography", "Arrivals", "LifeTable", "default_life_table", "read_life_table",
    # events
    "Events", "RuleChange", "MacroShock", "danish_calendar", "Jobcenter", "CaseworkerTeam", "RehabTeam", "CourseIntake",
    # efforts and strategies
    "Strategy", "Effort", "Eligibility", "Capacity", "Schedule", "Impact", "Costs",
    # states and attributes
    "State", "StateCatalogue", "StateInfo", "Gate", "danish_catalogue", "Sex", "Education", "Origin",
    # calendar
    "parse_month", "month_label",
    # errors
    "LabsimError", "ValidationError", "UnknownStateError", "ForbiddenTransitionError", "PopulationError",
    "ModelError", "CalendarError", "StoreError", "LabsimWarning",
]

_EXPORTS: dict[str, tuple[str, ...]] = {
    "labsim.calendar": ("parse_month", "month_label"),
    "labsim.core": (
        "Population", "TransitionModel", "Hazard", "Effect", "CycleResponse", "DurationBands", "LegalRules",
        "PensionSchedule", "MacroPath", "markov_model", "Sex", "Education", "Origin",
    ),
    "labsim.core.demography": ("Demography", "Arrivals"),
    "labsim.core.life_table": ("LifeTable",),
    "labsim.core.synthesis": ("MunicipalityProfile", "synthesise"),
    "labsim.errors": (
        "LabsimError", "ValidationError", "UnknownStateError", "ForbiddenTransitionError", "PopulationError",
        "ModelError", "CalendarError", "StoreError", "LabsimWarning",
    ),
    "labsim.events": (
        "Events", "RuleChange", "MacroShock", "danish_calendar", "Jobcenter", "CaseworkerTeam", "RehabTeam",
        "CourseIntake",
    ),
    "labsim.experiments": ("compare", "Comparison", "baseline_check", "Study", "Parameter", "run_study", "StudyResults",
                           "open_results"),
    "labsim.io": ("default_profile", "read_profile", "default_model", "read_model"),
    "labsim.io.demography_file": ("default_life_table", "read_life_table"),
    "labsim.io.scenario_file": ("read_scenario", "scenario_from_text", "ScenarioError"),
    "labsim.io.study_file": ("read_study",),
    "labsim.policy": ("Strategy", "Effort", "Eligibility", "Capacity", "Schedule", "Impact", "Costs"),
    "labsim.results": ("Run", "Target", "Measure", "Period", "Observed", "BenefitRates", "Rate", "danish_rates"),
    "labsim.simulation": ("simulate", "Scenario", "AlignmentTarget"),
    "labsim.states": ("State", "StateCatalogue", "StateInfo", "Gate", "danish_catalogue"),
}
"""The module each public name is imported from, by module: the subpackage that re-exports it where one does."""

_HOMES: dict[str, str] = {name: module for module, names in _EXPORTS.items() for name in names}
"""The module to import each public name from, by name (the inverse of :data:`_EXPORTS`)."""

_SUBPACKAGES = (
    "batch", "calendar", "calibration", "core", "errors", "events", "experiments", "files", "io", "plotting", "policy",
    "report", "results", "rng", "simulation", "states", "testing",
)
"""Subpackages and modules reachable as attributes after a plain ``import labsim`` (``labsim.policy.library``),
as they were when this module imported them all."""


def __getattr__(name: str) -> Any:
    """Import a public name from its home on first use and keep it here, so later look-ups are plain."""
    home = _HOMES.get(name)
    if home is not None:
        value = getattr(importlib.import_module(home), name)
    elif name in _SUBPACKAGES:
        value = importlib.import_module(f"labsim.{name}")
    else:
        raise AttributeError(f"module 'labsim' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return [*__all__, *_SUBPACKAGES]
