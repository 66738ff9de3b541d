"""Many runs arranged to answer a question: comparisons of strategies."""

from labsim.experiments.compare import Comparison, RunSummary, compare, summarise_run

__all__ = ["compare", "Comparison", "RunSummary", "summarise_run"]
