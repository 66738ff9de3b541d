"""Per-run arrays turned into tidy pandas frames; money, targets and observed series."""

from labsim.results.money import (
    FOERTIDSPENSION_2022,
    KONTANTHJAELP_2021,
    MONEY_ITEMS,
    REFUND_SHARES,
    RESSOURCEFORLOEBSYDELSE_2022,
    SATSREGULERING_ASSUMED,
    SATSREGULERING_BY_YEAR,
    SELVFORSOERGELSESYDELSE_2021,
    UDDANNELSESHJAELP_2020,
    BenefitRates,
    MoneyItem,
    Rate,
    RatePart,
    danish_rates,
)
from labsim.results.refund import REFUND_BANDS, RefundBand, refund_band_shares
from labsim.results.run import FREQUENCIES, Breakdown, Frequency, Run
from labsim.results.targets import (
    COMPARISONS,
    MEASURES,
    Measure,
    MeasureKind,
    Observed,
    ObservedValue,
    Period,
    Target,
    summarise_target,
)

__all__ = ["Run", "FREQUENCIES", "REFUND_BANDS", "REFUND_SHARES", "refund_band_shares", "BenefitRates", "Rate",
           "RatePart", "danish_rates", "SATSREGULERING_BY_YEAR", "SATSREGULERING_ASSUMED", "KONTANTHJAELP_2021",
           "UDDANNELSESHJAELP_2020", "RESSOURCEFORLOEBSYDELSE_2022", "SELVFORSOERGELSESYDELSE_2021",
           "FOERTIDSPENSION_2022", "Measure", "Period", "Target", "Observed", "MEASURES", "COMPARISONS", "summarise_target",
           "Frequency", "Breakdown", "MoneyItem", "MONEY_ITEMS", "MeasureKind", "ObservedValue", "RefundBand"]
