"""Many runs arranged to answer a question: comparisons of strategies, sweeps with sensitivity analysis."""

from labsim.experiments.baseline_check import baseline_check
from labsim.experiments.compare import Comparison, compare
from labsim.experiments.parameters import Design, Distribution, Method, Parameter, sample
from labsim.experiments.results import StudyResults, open_results
from labsim.experiments.sensitivity import Discovery, bands, discover, sobol
from labsim.experiments.study import Study, run_study, scenario_fingerprint

__all__ = [
    "compare", "Comparison", "Parameter", "Design", "sample", "Study", "run_study", "StudyResults", "open_results",
    "bands", "sobol", "discover", "Discovery", "scenario_fingerprint", "Method", "Distribution", "baseline_check",
]
