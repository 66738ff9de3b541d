"""One scenario into one run."""

from labsim.simulation.simulate import check_population, simulate

__all__ = ["simulate", "check_population"]
