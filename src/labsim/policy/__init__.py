"""Efforts and strategies (DESIGN.md §6): who is eligible, what an effort changes, what it costs, how many it serves."""

from labsim.policy.effort import PHASES, Capacity, Costs, Effort, EffortLike, EffortPlan, Eligibility, Impact, Schedule
from labsim.policy.estimate import Estimate, geometric_middle, hazard_ratio
from labsim.policy.spec import EffortSpec, Knob
from labsim.policy.strategy import Strategy

__all__ = [
    "PHASES", "Capacity", "Costs", "Effort", "EffortLike", "EffortPlan", "EffortSpec", "Eligibility", "Estimate",
    "Impact", "Knob", "Schedule", "Strategy", "geometric_middle", "hazard_ratio",
]
