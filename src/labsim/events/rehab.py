"""The rehabiliteringsteam: cases for fleksjob, ressourceforløb and førtidspension wait in its queue.

A rehabiliteringsteam-gated move drawn in the monthly step does not happen at once: the person stays
in their state (sygedagpenge cases stay on sygedagpenge, extension ground 4, DOMAIN.md §2.2) and a case
is opened. Each case is prepared by one of the team's caseworkers (a SimPy service desk, exponential
preparation time) and then waits for the team's next meeting, where at most ``cases_per_meeting``
cases are decided, oldest first. A decided case moves the person to the state drawn; a case whose
person has left the state meanwhile lapses.
"""

from __future__ import annotations

from dataclasses import dataclass

from labsim.errors import ModelError
from labsim.validation import number, whole

__all__ = ["RehabTeam", "RehabCase"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RehabTeam:
    """The municipality's rehabiliteringsteam.

    The defaults (a meeting a month, 40 cases a meeting, 4 preparers) are *assumptions* for a
    municipality of about 60,000 inhabitants: DOMAIN.md gives the team's composition, not its throughput.
    Set them from the municipality's own figures.

    Attributes
    ----------
    meeting_every_months:
        The team meets at the start of every this many months.
    cases_per_meeting:
        Cases decided at one meeting.
    preparers:
        Caseworkers preparing cases for the team (servers of the preparation desk).
    preparation_months:
        Mean caseworker time to prepare a case (exponential), in months: 0.1 is about two working
        days, so each preparer readies about 10 cases a month. *Assumption*; kategori 3 sick-listed
        cases must reach the team within 4 weeks of visitation (DOMAIN.md §2.2).
    """

    meeting_every_months: int = 1
    cases_per_meeting: int = 40
    preparers: int = 4
    preparation_months: float = 0.1

    def __post_init__(self) -> None:
        for name in ("meeting_every_months", "cases_per_meeting", "preparers"):
            whole(1)(getattr(self, name), f"rehabiliteringsteam.{name}", ModelError)
        number(0.0, above=True)(self.preparation_months, "rehabiliteringsteam.preparation_months", ModelError)


@dataclass(slots=True)
class RehabCase:
    """One person's case: who, from which state to which, and when it was opened, prepared and decided."""

    person: int
    origin: int
    destination: int
    opened: float
    prepared: float | None = None
    decided: float | None = None
    outcome: str = "open"
