"""Per-run arrays turned into tidy pandas frames; money, targets and observed series."""

from labsim.results.money import (
    FOERTIDSPENSION_2022,
    KONTANTHJAELP_2021,
    REFUND_SHARES,
    RESSOURCEFORLOEBSYDELSE_2022,
    SATSREGULERING_ASSUMED,
    SATSREGULERING_BY_YEAR,
    SELVFORSOERGELSESYDELSE_2021,
    UDDANNELSESHJAELP_2020,
    BenefitRates,
    Rate,
    RatePart,
    danish_rates,
)
from labsim.results.refund import REFUND_BANDS, refund_band_shares
from labsim.results.run import FREQUENCIES, Run
from labsim.results.targets import COMPARISONS, MEASURES, Measure, Observed, Period, Target, summarise_target

__all__ = ["Run", "FREQUENCIES", "REFUND_BANDS", "REFUND_SHARES", "refund_band_shares", "BenefitRates", "Rate",
           "RatePart", "danish_rates", "SATSREGULERING_BY_YEAR", "SATSREGULERING_ASSUMED", "KONTANTHJAELP_2021",
           "UDDANNELSESHJAELP_2020", "RESSOURCEFORLOEBSYDELSE_2022", "SELVFORSOERGELSESYDELSE_2021",
           "FOERTIDSPENSION_2022", "Measure", "Period", "Target", "Observed", "MEASURES", "COMPARISONS", "summarise_target"]
