"""Per-run arrays turned into tidy pandas frames."""

from labsim.results.refund import REFUND_BANDS, refund_band_shares
from labsim.results.run import FREQUENCIES, Run

__all__ = ["Run", "FREQUENCIES", "REFUND_BANDS", "refund_band_shares"]
