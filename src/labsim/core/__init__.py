"""The numeric core: population arrays, the transition model and the monthly step (numpy only)."""

from labsim.core.age import AgeClasses
from labsim.core.attributes import Education, Origin, Sex
from labsim.core.cell_table import CellLayout, CellTable, GroupBy, build_table
from labsim.core.duration import DurationBands
from labsim.core.ledger import Ledger
from labsim.core.macro import MacroPath
from labsim.core.markov import hazards_from_probabilities, markov_model
from labsim.core.model import CycleResponse, Effect, Hazard, TransitionModel
from labsim.core.pension import PensionSchedule
from labsim.core.population import Population
from labsim.core.rules import LegalRules
from labsim.core.step import MonthlyStep

__all__ = [
    "AgeClasses", "CellLayout", "CellTable", "CycleResponse", "DurationBands", "Education", "Effect", "GroupBy", "Hazard",
    "Ledger", "LegalRules", "MacroPath", "MonthlyStep", "Origin", "PensionSchedule", "Population", "Sex",
    "TransitionModel", "build_table", "hazards_from_probabilities", "markov_model",
]
