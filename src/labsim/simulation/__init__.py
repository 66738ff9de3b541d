"""One scenario into one run."""

from labsim.simulation.alignment import AlignmentTarget
from labsim.simulation.scenario import Scenario, replicate_seed, with_levels
from labsim.simulation.simulate import check_population, simulate

__all__ = ["simulate", "check_population", "Scenario", "replicate_seed", "with_levels", "AlignmentTarget"]
