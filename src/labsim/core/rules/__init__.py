"""The Danish legal rules (DOMAIN.md §2): their parameters, the rules object that applies them, and the
small protocol through which the monthly step calls any set of rules."""

from labsim.core.rules.danish import DanishRules
from labsim.core.rules.parameters import REQUIRED_STATES, UNLIMITED_MONTHS, WEEKS_PER_MONTH, LegalRules
from labsim.core.rules.protocol import Rules
from labsim.core.rules.windows import HistoryBits

__all__ = ["DanishRules", "HistoryBits", "LegalRules", "REQUIRED_STATES", "Rules", "UNLIMITED_MONTHS", "WEEKS_PER_MONTH"]
