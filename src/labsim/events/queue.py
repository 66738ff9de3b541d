"""What the events layer records of its queues — the rehabiliteringsteam's open cases, the persons waiting for a
course seat: each queue's month and each finished wait."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["QueueMonth", "Wait"]


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueMonth:
    """One queue's month.

    Attributes
    ----------
    month:
        The month number.
    queue:
        The queue: ``"rehabiliteringsteam"`` or a course's name.
    kind:
        ``"rehab"`` or ``"course"``.
    length:
        Persons waiting at the end of the month (open cases; persons left waiting for a seat).
    joined:
        Persons who joined this month (new rehabiliteringsteam cases; persons admitted to a course).
    capacity:
        What could be served this month: cases the team can decide at this month's meeting (0 without one); a
        course's seats at an intake.
    used:
        What was served: cases decided; persons admitted.
    """

    month: int
    queue: str
    kind: str
    length: int
    joined: int
    capacity: int
    used: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Wait:
    """One person's wait in a queue, from the month it opened to the month it closed.

    Attributes
    ----------
    queue:
        The queue: ``"rehabiliteringsteam"`` or a course's name.
    person:
        The person's id.
    opened, closed:
        Month numbers: the wait began in ``opened`` and ended in ``closed`` (for a case still waiting when the run
        ended, the month after the last).
    wait_months:
        The wait in months (fractional for a rehabiliteringsteam case, decided at a meeting).
    outcome:
        ``"decided"``, ``"lapsed"`` (the person left the state) or ``"waiting"`` for a rehabiliteringsteam case;
        ``"admitted"`` for a course.
    desk_wait_months:
        For a rehabiliteringsteam case, the wait for a preparer (the M/M/c desk's queue), in months; NaN for a
        course and for a case that lapsed before a preparer took it.
    """

    queue: str
    person: int
    opened: int
    closed: int
    wait_months: float
    outcome: str
    desk_wait_months: float = float("nan")
