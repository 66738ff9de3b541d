"""labsim — discrete-event simulation of the Danish labour market as a municipality sees it.

The public API, re-exported here; see the README for a tour.
"""

from labsim._version import __version__
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
    MacroShock,
    RehabTeam,
    RuleChange,
    TeamChange,
    danish_calendar,
)
from labsim.experiments import Comparison, Parameter, Study, StudyResults, compare, open_results, run_study
from labsim.io.demography_file import default_life_table, read_life_table
from labsim.io.model_file import default_model, read_model
from labsim.io.profile_file import default_profile, read_profile
from labsim.io.scenario_file import ScenarioError, read_scenario, scenario_from_text
from labsim.io.study_file import read_study
from labsim.policy import Capacity, Costs, Effort, Eligibility, Impact, Schedule, Strategy
from labsim.results import BenefitRates, Measure, Observed, Period, Rate, Run, Target, danish_rates
from labsim.simulation import Scenario, simulate
from labsim.states import Gate, State, StateCatalogue, StateInfo, danish_catalogue

__all__ = [
    "__version__",
    # running
    "simulate", "Run",
    # scenarios, targets, money and comparisons
    "Scenario", "read_scenario", "scenario_from_text", "ScenarioError", "compare", "Comparison", "Target", "Measure",
    "Period", "Observed", "BenefitRates", "Rate", "danish_rates",
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
    "Events", "RuleChange", "MacroShock", "TeamChange", "danish_calendar", "CaseworkerTeam", "RehabTeam", "CourseIntake",
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
