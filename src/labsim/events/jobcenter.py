"""The jobcenter's capacity in a run: its caseworker teams, its rehabiliteringsteam and its course intakes.

A scenario file's ``[jobcenter]`` section; the sweep paths ``jobcenter.teams.<team>.caseworkers``,
``jobcenter.rehabiliteringsteam.preparers``, ``jobcenter.courses.<course>.seats`` … reach every value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from labsim.calendar import month_label
from labsim.core.flags import FlagEffects
from labsim.errors import ModelError
from labsim.events.caseworkers import CaseworkerTeam
from labsim.events.courses import CourseIntake
from labsim.events.rehab import RehabTeam
from labsim.policy import EffortLike
from labsim.states import StateCatalogue

__all__ = ["Jobcenter", "WAITING_REHAB", "team_of", "intake_of"]

WAITING_REHAB = "waiting_rehab"
"""The one flag bit: the person waits for the rehabiliteringsteam (a gate of the monthly step, not an effect)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Jobcenter:
    """What the jobcenter has to serve with.

    Attributes
    ----------
    teams:
        Caseworker teams (:class:`CaseworkerTeam`); each state has at most one.
    rehabiliteringsteam:
        The rehabiliteringsteam (:class:`RehabTeam`); ``None`` lets rehabiliteringsteam-gated moves happen at once.
    courses:
        Course intakes (:class:`CourseIntake`).

    Examples
    --------
    >>> import labsim
    >>> jobcenter = labsim.Jobcenter(
    ...     teams=(labsim.CaseworkerTeam(name="aktivitetsparate", states=("kontanthjaelp_aktivitetsparat",),
    ...                                  caseworkers=10, changes={"2025-01": 14}),),
    ...     rehabiliteringsteam=labsim.RehabTeam(cases_per_meeting=30))
    >>> jobcenter.teams[0].caseworkers_at(labsim.parse_month("2025-06"))
    14.0
    """

    teams: tuple[CaseworkerTeam, ...] = ()
    rehabiliteringsteam: RehabTeam | None = None
    courses: tuple[CourseIntake, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "teams", tuple(self.teams))
        object.__setattr__(self, "courses", tuple(self.courses))
        for label, items, kind in (("teams", self.teams, CaseworkerTeam), ("courses", self.courses, CourseIntake)):
            for i, item in enumerate(items):
                if not isinstance(item, kind):
                    raise ModelError(f"jobcenter.{label}[{i}] must be a labsim.{kind.__name__}; got {type(item).__name__}.")
            names = [item.name for item in items]
            doubled = sorted({name for name in names if names.count(name) > 1})
            if doubled:
                raise ModelError(f"jobcenter.{label} need distinct names; {doubled[0]!r} is given twice.")
        if self.rehabiliteringsteam is not None and not isinstance(self.rehabiliteringsteam, RehabTeam):
            raise ModelError(f"jobcenter.rehabiliteringsteam must be a labsim.RehabTeam or None; got "
                             f"{type(self.rehabiliteringsteam).__name__}.")
        seen: dict[str, str] = {}
        for team in self.teams:
            for state in team.states:
                if state in seen:
                    raise ModelError(f"caseworker teams {seen[state]!r} and {team.name!r} both follow {state!r}; "
                                     "each state can have one team.")
                seen[state] = team.name

    @property
    def empty(self) -> bool:
        """Whether the jobcenter has nothing the run must schedule."""
        return not self.teams and self.rehabiliteringsteam is None and not self.courses

    def check(self, months: range, catalogue: StateCatalogue, efforts: Sequence[EffortLike] = ()) -> None:
        """Raise :class:`~labsim.errors.ModelError` for a state the model lacks, an intake outside the run, or an
        effort naming a team the jobcenter does not have."""
        first, last = months.start, months.stop - 1
        for team in self.teams:
            team.codes(catalogue)
        for course in self.courses:
            course.codes(catalogue)
            outside = [m for m in course.intake_months if not first <= m <= last]
            if outside:
                raise ModelError(f"course {course.name!r} has an intake at {month_label(outside[0])}, outside the run "
                                 f"({month_label(first)} to {month_label(last)}).")
        names = [team.name for team in self.teams]
        courses = [course.name for course in self.courses]
        for effort in efforts:
            joined = team_of(effort)
            if joined is not None and joined not in names:
                raise ModelError(f"effort {effort.name!r} adds caseworkers to team {joined!r}, which the jobcenter does "
                                 f"not have; its teams: {', '.join(names) or 'none'} (add it under [jobcenter.teams]).")
            joined = intake_of(effort)
            if joined is not None and joined not in courses:
                raise ModelError(f"effort {effort.name!r} adds seats to course {joined!r}, which the jobcenter does not "
                                 f"have; its courses: {', '.join(courses) or 'none'} (add it under [jobcenter.courses]).")

    def flag_effects(self, catalogue: StateCatalogue) -> FlagEffects | None:
        """The one flag bit a gate needs: waiting for the rehabiliteringsteam (held from new gated moves, extended
        at the sygedagpenge revurdering); ``None`` without a rehabiliteringsteam."""
        if self.rehabiliteringsteam is None:
            return None
        return FlagEffects.build(catalogue, (), hold_rehab=(WAITING_REHAB,), extend_sickness=(WAITING_REHAB,))


def team_of(effort: EffortLike) -> str | None:
    """The caseworker team an effort adds its caseworkers to (``Capacity.team``), if any."""
    capacity = getattr(effort, "capacity", None)
    return getattr(capacity, "team", None)


def intake_of(effort: EffortLike) -> str | None:
    """The course intake an effort adds its seats to (``Capacity.intake``), if any."""
    capacity = getattr(effort, "capacity", None)
    return getattr(capacity, "intake", None)
