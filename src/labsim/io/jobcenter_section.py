"""The ``[jobcenter]`` section of a scenario file: its schema and how it becomes a :class:`~labsim.Jobcenter`
(format: docs/scenarios.md).

The schema checks only the shapes of the tables (a team's ``states`` a list of names, a course's ``intakes`` a
list of months, no unknown key); every other value is checked by the jobcenter's own classes
(:class:`~labsim.CaseworkerTeam`, :class:`~labsim.RehabTeam`, :class:`~labsim.CourseIntake`), in their own
words, so that each rule is written once. :func:`jobcenter_from_table` adds one :class:`Problem` per thing
wrong, at its dotted path, to the scenario reader's list (:mod:`labsim.io.scenario_file`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model
from pydantic import ValidationError as PydanticError

from labsim.calendar import month_label
from labsim.errors import LabsimError, ModelError
from labsim.events import CaseworkerTeam, CourseIntake, Jobcenter, RehabTeam
from labsim.io.text import CALENDAR_MONTHS, Problem, file_month, month_text

__all__ = ["JobcenterSection", "TeamSection", "RehabSection", "CourseSection", "TeamReference",
           "jobcenter_from_table", "MAX_TEAMS", "MAX_COURSES"]

MAX_TEAMS = 100
"""The most caseworker teams a jobcenter may have: a jobcenter has a handful; each is a process of every month."""

MAX_COURSES = 100
"""The most course intakes a jobcenter may have (bounded like the efforts of a strategy)."""

TeamReference = tuple[str, str, bool]
"""An effort's ``team``, for :func:`jobcenter_from_table` to check: the path of the effort's entry, the team it
names and whether the entry writes it (else it is the effort's default)."""

# --- the schema ---------------------------------------------------------------------------------------

_STRICT = ConfigDict(extra="forbid", frozen=True)
"""The configuration of every table of the section, as of every section of the scenario file: no unknown key."""

_UNEXPECTED = (TypeError, ValueError, LookupError, AttributeError, ArithmeticError, RecursionError)
"""What making a class from a table of an unforeseen shape may raise (as in the scenario reader): a problem."""




_Month = Annotated[str, BeforeValidator(month_text)]


def _class_fields(kind: type) -> list[dataclasses.Field[Any]]:
    """The fields of a jobcenter class that a file sets: its ``init`` fields that do not start with ``_``."""
    return [item for item in dataclasses.fields(kind) if item.init and not item.name.startswith("_")]


def _jobcenter_section(kind: type, **shapes: Any) -> type[BaseModel]:
    """The section of a jobcenter class (:class:`~labsim.CaseworkerTeam`, :class:`~labsim.RehabTeam`,
    :class:`~labsim.CourseIntake`): one key per field but ``name`` (the table's key), the class's default its default.
    The ``shapes`` are checked here; every other value is checked by the class, in its own words, when the reader
    makes the object (:meth:`_Reader.made`), so that each rule is written once."""
    fields: dict[str, Any] = {}
    for item in _class_fields(kind):
        if item.name != "name":
            default = (item.default if item.default is not dataclasses.MISSING
                       else item.default_factory() if item.default_factory is not dataclasses.MISSING else ...)
            fields[item.name] = (shapes.get(item.name, Any), default)
    return create_model(f"{kind.__name__}Section", __config__=_STRICT, **fields)


_StateNames = Annotated[list[str], Field(min_length=1)]

TeamSection = _jobcenter_section(CaseworkerTeam, states=_StateNames, changes=dict[_Month, Any], source=str)
"""``[jobcenter.teams.<name>]``: a :class:`~labsim.CaseworkerTeam`."""

RehabSection = _jobcenter_section(RehabTeam, source=str)
"""``[jobcenter.rehabiliteringsteam]``: the :class:`~labsim.RehabTeam`."""

CourseSection = _jobcenter_section(CourseIntake, states=_StateNames, source=str,
                                   intakes=Annotated[list[_Month], Field(min_length=1, max_length=CALENDAR_MONTHS)])
"""``[jobcenter.courses.<name>]``: a :class:`~labsim.CourseIntake`."""


class JobcenterSection(BaseModel):
    """``[jobcenter]``: the :class:`~labsim.Jobcenter`, its teams and courses by name."""

    model_config = _STRICT
    teams: dict[str, TeamSection] = Field(default={}, max_length=MAX_TEAMS)  # type: ignore[valid-type]
    rehabiliteringsteam: RehabSection | None = None  # type: ignore[valid-type]
    courses: dict[str, CourseSection] = Field(default={}, max_length=MAX_COURSES)  # type: ignore[valid-type]


# --- reading --------------------------------------------------------------------------------------------

def jobcenter_from_table(table: dict[str, Any], start: int | None, end: int | None,
                         team_references: Sequence[TeamReference], problems: list[Problem],
                         state: Callable[[str, Any], bool],
                         intake_references: Sequence[TeamReference] = ()) -> Jobcenter | None:
    """The :class:`~labsim.Jobcenter` of the raw ``[jobcenter]`` ``table`` (empty: an empty jobcenter), or ``None``
    with a :class:`Problem` added to ``problems`` for each thing wrong; a part the schema rejects is skipped (the
    schema reports it).

    ``start`` and ``end`` are the run's months (``None``: not known), which a course's intakes must fall within;
    each of the ``team_references`` must name one of the teams, each of the ``intake_references`` one of the
    courses; ``state(path, name)`` checks a state's name, adding the problem itself."""
    return _Reader(problems, state).jobcenter(table, start, end, team_references, intake_references)


_Made = TypeVar("_Made", CaseworkerTeam, RehabTeam, CourseIntake)

_STAND_IN = 1
"""What stands in for a rejected required number of a jobcenter class (``caseworkers``, ``seats``,
``duration_months``) while the rest of its table is checked: every such number accepts it."""


class _Reader:
    """Makes the jobcenter's objects from the raw tables, adding a :class:`Problem` for each thing wrong."""

    def __init__(self, problems: list[Problem], state: Callable[[str, Any], bool]) -> None:
        self.problems = problems
        self.state = state

    def jobcenter(self, table: dict[str, Any], start: int | None, end: int | None,
                  team_references: Sequence[TeamReference],
                  intake_references: Sequence[TeamReference] = ()) -> Jobcenter | None:
        before = len(self.problems)
        teams_raw, courses_raw = _inner(table, "teams"), _inner(table, "courses")
        for path, course, _ in intake_references:
            if course not in courses_raw:
                self.problems.append(Problem(f"{path}.intake", "must name a course of the file's [jobcenter.courses] "
                                             f"({', '.join(courses_raw) or 'it has none'})", course))
        names = list(teams_raw)
        for path, team, written in team_references:
            if team not in names:
                default = "" if written else "; the entry does not set team, so it is the effort's default"
                self.problems.append(Problem(f"{path}.team", "must name a caseworker team of the file's "
                                             f"[jobcenter.teams] ({', '.join(names) or 'it has none'}){default}",
                                             team))
        if len(teams_raw) > MAX_TEAMS or len(courses_raw) > MAX_COURSES:
            return None  # the schema reports it
        teams = [self.team(name, raw) for name, raw in teams_raw.items()]
        self.one_team_per_state(teams_raw)
        rehab_raw = table.get("rehabiliteringsteam")
        rehab = (None if rehab_raw is None else
                 self.made(RehabTeam, "jobcenter.rehabiliteringsteam", "rehabiliteringsteam", RehabSection, rehab_raw))
        courses = [self.course(name, raw, start, end) for name, raw in courses_raw.items()]
        made_teams, made_courses = [t for t in teams if t is not None], [c for c in courses if c is not None]
        if (len(self.problems) > before or len(made_teams) < len(teams) or len(made_courses) < len(courses)
                or (rehab_raw is not None and rehab is None)):
            return None
        try:
            return Jobcenter(teams=tuple(made_teams), rehabiliteringsteam=rehab, courses=tuple(made_courses))
        except LabsimError as error:
            self.problems.append(Problem("jobcenter", str(error)))
        except _UNEXPECTED as error:
            self.problems.append(Problem("jobcenter", f"cannot be used: {error}"))
        return None

    def team(self, name: str, raw: Any) -> CaseworkerTeam | None:
        path = f"jobcenter.teams.{name}"
        self.name(path, name)
        self.states(path, raw)
        return self.made(CaseworkerTeam, path, f"caseworker team {name!r}", TeamSection, raw, name=name)

    def course(self, name: str, raw: Any, start: int | None, end: int | None) -> CourseIntake | None:
        path = f"jobcenter.courses.{name}"
        self.name(path, name)
        self.states(path, raw)
        intakes: Any = raw.get("intakes") if isinstance(raw, dict) else None
        if start is not None and end is not None and isinstance(intakes, list):
            for i, at in enumerate(intakes):
                try:
                    month = file_month(at, "month")
                except LabsimError:
                    continue  # the schema reports it
                if not start <= month <= end:
                    self.problems.append(Problem(f"{path}.intakes[{i}]", f"must fall within the run "
                                                 f"({month_label(start)} to {month_label(end)})", at))
        return self.made(CourseIntake, path, f"course {name!r}", CourseSection, raw, name=name)

    def name(self, path: str, name: str) -> None:
        """A team's or course's name is a part of sweep paths (``jobcenter.teams.<name>.caseworkers``)."""
        if not name.strip() or "." in name or name.isdigit():
            self.problems.append(Problem(path, "must be a name without '.' that is not a whole number: a sweep path "
                                         "names it (jobcenter.teams.<name>.caseworkers)", name))

    def states(self, path: str, raw: Any) -> None:
        for i, state in enumerate(_state_names(raw)):
            self.state(f"{path}.states[{i}]", state)

    def one_team_per_state(self, teams_raw: dict[str, Any]) -> None:
        followed: dict[str, str] = {}
        for name, raw in teams_raw.items():
            for i, state in enumerate(_state_names(raw)):
                if state in followed:
                    other = followed[state]
                    self.problems.append(Problem(f"jobcenter.teams.{name}.states[{i}]", "is named twice in the team"
                                                 if other == name else f"is followed by team {other!r} too; each "
                                                 "state can have one team", state))
                followed.setdefault(state, name)

    def made(self, kind: type[_Made], path: str, where: str, section: type[BaseModel], raw: Any,
             **fixed: Any) -> _Made | None:
        """``kind`` made from the table ``raw`` of its ``section``; each value the class rejects is a problem at its
        key, in the class's words. A rejected value is replaced by the class's default (a required number by
        :data:`_STAND_IN`) and the object made again, so that every bad value of the table is reported at once."""
        if not isinstance(raw, dict):
            return None  # the schema reports it
        given = _shaped(section, raw)
        if given is None:
            return None  # the schema reports it: a required key missing or of the wrong shape
        values = {key: getattr(given, key) for key in given.model_fields_set}
        defaults = {item.name: item.default for item in _class_fields(kind)}
        rejected: set[str] = set()
        while True:
            try:
                made = kind(**fixed, **values)
            except ModelError as error:
                key, rule = _rejected(str(error), where)
                top, _, month = key.partition(".")
                if key in rejected:
                    return None  # what stands in for the value fails too (a rule between keys): reported already
                if top not in section.model_fields:
                    self.problems.append(Problem(path, str(error)))
                    return None
                rejected.add(key)
                value = _change(values.get(top), month) if month else values.get(top, defaults[top])
                self.problems.append(Problem(f"{path}.{key}", rule, value))
                if month:  # changes.<month>: drop the change
                    values[top] = {at: n for at, n in values[top].items() if _label(at) != month}
                elif top not in values:
                    return None  # the default is what fails (a rule between keys)
                elif defaults[top] is not dataclasses.MISSING:
                    values[top] = defaults[top]
                elif section.model_fields[top].annotation is Any:
                    values[top] = _STAND_IN
                else:
                    return None
            except _UNEXPECTED as error:
                self.problems.append(Problem(path, f"cannot be used: {error}"))
                return None
            else:
                return None if rejected else made


def _inner(table: dict[str, Any], key: str) -> dict[str, Any]:
    """The table at ``key`` of ``table`` (``{}``: none, or not a table, which the schema reports)."""
    value = table.get(key, {})
    return value if isinstance(value, dict) else {}


def _state_names(raw: Any) -> list[str]:
    """The states a team's or course's table names (``[]`` when they are not a list of names: the schema reports
    it)."""
    states: Any = raw.get("states") if isinstance(raw, dict) else None
    return states if isinstance(states, list) and all(isinstance(state, str) for state in states) else []


def _shaped(section: type[BaseModel], raw: dict[str, Any]) -> BaseModel | None:
    """``raw`` validated by ``section`` without the keys the schema reports (unknown or of the wrong shape), so that
    the class still checks the other values; ``None`` when a required key is among them."""
    known = {key: value for key, value in raw.items() if key in section.model_fields}
    try:
        return section.model_validate(known)
    except PydanticError as error:
        for item in error.errors():
            key, *inner = map(str, item["loc"])
            table = known.get(key)
            if isinstance(table, dict) and inner and inner[0] in table:  # a bad entry of a table: drop only it
                known[key] = {k: v for k, v in table.items() if k != inner[0]}
            else:
                known.pop(key, None)
    try:
        return section.model_validate(known)
    except PydanticError:
        return None


def _rejected(message: str, where: str) -> tuple[str, str]:
    """The key and the rule of a jobcenter class's error ``"<where>.<key> must …; got …."`` (``""`` and the whole
    message when it is not one)."""
    if not message.startswith(f"{where}."):
        return "", message
    key, _, rule = message[len(where) + 1:].partition(" ")
    head, got, _ = rule.partition("; got ")
    return key, head if got else rule.rstrip(".")


def _label(value: Any) -> str:
    """The label of a month a file writes (already checked by the schema)."""
    return month_label(file_month(value, "month"))


def _change(changes: Any, month: str) -> Any:
    """The caseworkers ``changes`` give from ``month`` (a label)."""
    return next((n for at, n in changes.items() if _label(at) == month), None) if isinstance(changes, dict) else None
