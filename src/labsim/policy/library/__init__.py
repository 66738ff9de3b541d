"""The built-in efforts: every measure the two employment plans name, each with its evidence (DOMAIN.md §6)."""

from labsim.policy.library.caseload import broenderslev_investment, hjoerring_caseload, team_alfa

__all__ = ["broenderslev_investment", "hjoerring_caseload", "team_alfa"]
