"""The SimPy layer: the clock, dated events, and the jobcenter's capacity — caseworker teams, the
rehabiliteringsteam and course intakes."""

from labsim.events.caseworkers import CaseworkerTeam, TeamMonth
from labsim.events.clock import Clock, EventOutputs
from labsim.events.courses import CourseIntake
from labsim.events.dated import Alignment, Events, MacroShock, RuleChange, danish_calendar
from labsim.events.desk import ServiceDesk
from labsim.events.jobcenter import Jobcenter
from labsim.events.log import EventLog, EventRecord
from labsim.events.queue import QueueMonth, Wait
from labsim.events.rehab import RehabTeam

__all__ = [
    "Events", "Clock", "EventOutputs", "RuleChange", "MacroShock", "Alignment", "danish_calendar", "Jobcenter", "CaseworkerTeam",
    "RehabTeam", "CourseIntake", "ServiceDesk", "EventLog", "EventRecord", "TeamMonth", "QueueMonth", "Wait",
]
