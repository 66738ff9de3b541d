"""The SimPy layer: the clock, dated events, jobcenter capacity, the rehabiliteringsteam and course intakes."""

from labsim.events.caseworkers import CaseworkerTeam, TeamMonth
from labsim.events.clock import Clock, EventOutputs, Events
from labsim.events.courses import CourseIntake
from labsim.events.dated import MacroShock, RuleChange, TeamChange, danish_calendar
from labsim.events.desk import ServiceDesk
from labsim.events.log import EventLog, EventRecord
from labsim.events.queue import QueueMonth, Wait
from labsim.events.rehab import RehabTeam

__all__ = [
    "Events", "Clock", "EventOutputs", "RuleChange", "MacroShock", "TeamChange", "danish_calendar", "CaseworkerTeam",
    "RehabTeam", "CourseIntake", "ServiceDesk", "EventLog", "EventRecord", "TeamMonth", "QueueMonth", "Wait",
]
