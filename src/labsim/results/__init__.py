"""Per-run arrays turned into tidy pandas frames; money, targets and observed series."""

from labsim.results.money import REFUND_SHARES, SATSREGULERING, BenefitRates, Rate, danish_rates
from labsim.results.refund import REFUND_BANDS, refund_band_shares
from labsim.results.run import FREQUENCIES, Run
from labsim.results.targets import COMPARISONS, MEASURES, Measure, Observed, Period, Target, summarise_target

__all__ = ["Run", "FREQUENCIES", "REFUND_BANDS", "REFUND_SHARES", "refund_band_shares", "BenefitRates", "Rate",
           "danish_rates", "SATSREGULERING", "Measure", "Period", "Target", "Observed", "MEASURES", "COMPARISONS",
           "summarise_target"]
