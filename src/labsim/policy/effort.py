"""An effort (indsats): who is eligible, how many it can serve, when it runs, what it changes, what it costs.

An :class:`Effort` is a frozen description. Once a month the runner of the events layer asks it for
its :class:`EffortPlan` (the one method an effort has, :meth:`Effort.plan`): who may join, who may stay
on, how many places there are, and the hazard multipliers of its three phases. The runner then
decides who is actually served (capacity, priority) and hands the participants' multipliers to the
monthly step. Anything with a ``name`` and a ``plan`` method returning an :class:`EffortPlan` is an
effort (:class:`EffortLike`); no subclassing is needed.

A participant's months run through three phases:

* **lock-in** — the first ``lock_in_months`` of participation (activation often slows exits while it
  lasts; DOMAIN.md §6, Skipper 2010);
* **during** — the rest of the participation, ``duration_months`` in all (open-ended when ``None``: as
  long as the person stays eligible);
* **after** — ``after_months`` after the participation ends, when post-programme effects are measured.

Participation ends early when a person leaves the effort's states or age range, or the effort stops.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from labsim.calendar import MonthLike, month_label, parse_month
from labsim.core.attributes import ATTRIBUTES
from labsim.core.population import Population
from labsim.errors import ForbiddenTransitionError, LabsimError, ModelError
from labsim.paths import set_fields
from labsim.policy.estimate import Estimate
from labsim.rng import Purpose, RandomStreams
from labsim.states import Gate, StateCatalogue, danish_catalogue
from labsim.validation import multiplier, number, probability, whole

__all__ = ["Capacity", "Costs", "Effort", "EffortLike", "EffortPlan", "Eligibility", "Impact", "Recipe", "Schedule",
           "PHASES", "effort_record"]

PHASES = ("lock_in", "during", "after")
"""The phases of a participation, in the order of :attr:`EffortPlan.multipliers`."""

_MONTHS_PER_YEAR = 12


_WHOLE = whole(0)
_POSITIVE_WHOLE = whole(1)
_AMOUNT = number(0)


def _whole(value: object, where: str, lowest: int = 0) -> int:
    return int((_POSITIVE_WHOLE if lowest else _WHOLE)(value, where, ModelError))


def _number(value: object, where: str, *, positive: bool = False) -> float:
    return float((number(0, above=True) if positive else _AMOUNT)(value, where, ModelError))


@dataclass(frozen=True, slots=True, kw_only=True)
class Eligibility:
    """Who may take part.

    Attributes
    ----------
    states:
        The states the effort serves; participation ends when a person leaves them.
    min_age, below_age:
        Age in whole years: at least ``min_age`` and below ``below_age`` (``None``: no upper limit).
    sex, education, origin:
        Attribute levels (lower-case names of :class:`~labsim.Sex`, :class:`~labsim.Education`,
        :class:`~labsim.Origin`); empty means any.
    min_months, max_months:
        Months already spent in the current state at entry (``max_months=None``: no limit). Only
        entry depends on them.
    share:
        Share of the persons meeting the rest who belong to the target group — for groups the model
        has no attribute for (severe mental illness for IPS, a handicap). Each person's membership is
        one draw per effort, the same every month. An assumption wherever it is not 1.
    """

    states: tuple[str, ...]
    min_age: int = 0
    below_age: int | None = None
    sex: tuple[str, ...] = ()
    education: tuple[str, ...] = ()
    origin: tuple[str, ...] = ()
    min_months: int = 0
    max_months: int | None = None
    share: float = 1.0

    def _check(self, where: str, catalogue: StateCatalogue) -> tuple[int, ...]:
        if isinstance(self.states, str) or not self.states:
            raise ModelError(f"{where}.states must name at least one state; got {self.states!r}.")
        codes = catalogue.codes(self.states, field=f"{where}.states")
        _whole(self.min_age, f"{where}.min_age")
        if self.below_age is not None and _whole(self.below_age, f"{where}.below_age") <= self.min_age:
            raise ModelError(f"{where}.below_age must exceed min_age ({self.min_age}); got {self.below_age!r}.")
        for name, enum in ATTRIBUTES.items():
            levels = [member.name.lower() for member in enum]
            for i, level in enumerate(getattr(self, name)):
                if level not in levels:
                    raise ModelError(f"{where}.{name}[{i}] must be one of {', '.join(levels)}; got {level!r}.")
        _whole(self.min_months, f"{where}.min_months")
        if self.max_months is not None and _whole(self.max_months, f"{where}.max_months") < self.min_months:
            raise ModelError(f"{where}.max_months must be ≥ min_months ({self.min_months}); got {self.max_months!r}.")
        probability(positive=True)(self.share, f"{where}.share", ModelError)
        return codes


@dataclass(frozen=True, slots=True, kw_only=True)
class Capacity:
    """How many the effort can serve at once.

    Give ``seats`` (course places, praktik places, partner firms' places), or ``caseworkers`` with
    their ``caseload`` (persons per caseworker), or neither for an effort open to everyone eligible.
    An effort can instead use the jobcenter's capacity (:class:`labsim.Jobcenter`) and serve nobody itself:

    - ``caseworkers`` with the ``team`` they join (:class:`labsim.CaseworkerTeam`): they raise the team's
      contacts with its whole group while the effort runs, and their caseworker-years are the cost;
    - ``seats`` with the course ``intake`` they join (:class:`labsim.CourseIntake`): the course admits that
      many more at each intake while the effort runs, its effects apply to them, and the effort pays
      ``Costs.per_participant_month`` for each of them while in the course.
    """

    seats: int | None = None
    caseworkers: float | None = None
    caseload: float | None = None
    team: str | None = None
    intake: str | None = None

    def _check(self, where: str) -> None:
        if self.seats is not None and self.caseworkers is not None:
            raise ModelError(f"{where} takes seats or caseworkers, not both; got seats={self.seats!r}, "
                             f"caseworkers={self.caseworkers!r}.")
        if self.seats is not None:
            _whole(self.seats, f"{where}.seats")
        if self.intake is not None:
            if not isinstance(self.intake, str) or not self.intake:
                raise ModelError(f"{where}.intake must name a course intake; got {self.intake!r}.")
            if self.seats is None or self.team is not None:
                raise ModelError(f"{where}: an intake takes seats only; got seats={self.seats!r}, team={self.team!r}.")
            return
        if self.team is not None:
            if not isinstance(self.team, str) or not self.team:
                raise ModelError(f"{where}.team must name a caseworker team; got {self.team!r}.")
            if self.caseworkers is None or self.caseload is not None or self.seats is not None:
                raise ModelError(f"{where}: a team takes caseworkers only (the team has the caseload); got "
                                 f"caseworkers={self.caseworkers!r}, caseload={self.caseload!r}, seats={self.seats!r}.")
            _number(self.caseworkers, f"{where}.caseworkers")
            return
        if (self.caseworkers is None) != (self.caseload is None):
            raise ModelError(f"{where}: caseworkers and caseload go together; got caseworkers={self.caseworkers!r}, "
                             f"caseload={self.caseload!r}.")
        if self.caseworkers is not None:
            _number(self.caseworkers, f"{where}.caseworkers")
            _number(self.caseload, f"{where}.caseload", positive=True)

    @property
    def joins(self) -> str | None:
        """The team or course intake of the jobcenter this capacity joins, if any."""
        return self.team if self.team is not None else self.intake

    @property
    def unlimited(self) -> bool:
        """Whether everyone eligible is served."""
        return self.seats is None and self.caseworkers is None and self.team is None and self.intake is None

    def places(self, fraction: float = 1.0) -> int | None:
        """Persons served at once when ``fraction`` of the capacity is up (``None``: unlimited; 0 for capacity that
        joins the jobcenter's)."""
        if self.joins is not None:
            return 0
        if self.seats is not None:
            return math.floor(self.seats * fraction + 1e-9)
        if self.caseworkers is not None and self.caseload is not None:
            return math.floor(self.caseworkers * fraction * self.caseload + 1e-9)
        return None


@dataclass(frozen=True, slots=True, kw_only=True, init=False)
class Schedule:
    """When the effort runs: from ``start`` to ``stop`` (both included; ``None`` = to the end of the run),
    with capacity growing linearly over the first ``ramp_months`` (month ``k`` of the ramp has
    ``(k + 1) / ramp_months`` of it)."""

    start: int
    stop: int | None
    ramp_months: int

    def __init__(self, start: MonthLike, stop: MonthLike | None = None, ramp_months: int = 0) -> None:
        object.__setattr__(self, "start", parse_month(start, field="Schedule.start"))
        object.__setattr__(self, "stop", None if stop is None else parse_month(stop, field="Schedule.stop"))
        object.__setattr__(self, "ramp_months", ramp_months)

    def _check(self, where: str) -> None:
        ramp = _whole(self.ramp_months, f"{where}.ramp_months")
        if self.stop is not None:
            if self.stop < self.start:
                raise ModelError(f"{where}.stop must not come before start ({month_label(self.start)}); "
                                 f"got {month_label(self.stop)}.")
            length = self.stop - self.start + 1
            if ramp > length:
                raise ModelError(f"{where}.ramp_months must not be longer than the effort ({length} months, "
                                 f"{month_label(self.start)} to {month_label(self.stop)}); got {ramp}.")

    def active(self, month: int) -> bool:
        """Whether the effort runs in ``month``."""
        return self.start <= month and (self.stop is None or month <= self.stop)

    def fraction(self, month: int) -> float:
        """Share of the capacity up in ``month``: 0 outside the schedule, rising over the ramp, then 1."""
        if not self.active(month):
            return 0.0
        if self.ramp_months == 0:
            return 1.0
        return min(1.0, (month - self.start + 1) / self.ramp_months)


@dataclass(frozen=True, slots=True, kw_only=True)
class Impact:
    """What the effort does to the hazards of some transitions, phase by phase.

    Multipliers act on the monthly hazards from each of ``origins`` to each of ``destinations``: 1
    changes nothing, 1.84 raises the hazard by 84 %, 0 closes the transition. ``lock_in`` applies in
    the first ``Effort.lock_in_months`` of participation (``None``: the ``during`` value).
    """

    origins: tuple[str, ...]
    destinations: tuple[str, ...]
    during: float = 1.0
    after: float = 1.0
    lock_in: float | None = None

    def _check(self, where: str, catalogue: StateCatalogue) -> list[tuple[int, int]]:
        for name in ("origins", "destinations"):
            value = getattr(self, name)
            if isinstance(value, str) or not value:
                raise ModelError(f"{where}.{name} must name at least one state; got {value!r}.")
        origins = catalogue.codes(self.origins, field=f"{where}.origins")
        destinations = catalogue.codes(self.destinations, field=f"{where}.destinations")
        for name, codes in (("origins", origins), ("destinations", destinations)):
            if len(set(codes)) != len(codes):
                raise ModelError(f"{where}.{name} must name each state once; got {getattr(self, name)!r}.")
        for name in ("during", "after", "lock_in"):
            value = getattr(self, name)
            if value is not None:
                multiplier()(value, f"{where}.{name}", ModelError)
        pairs = []
        for o in origins:
            for d in destinations:
                if o == d or not catalogue.allows(o, d, Gate.HAZARD):
                    raise ForbiddenTransitionError(
                        f"{where}: an effect on {catalogue.names[o]!r} → {catalogue.names[d]!r}, which catalogue "
                        f"{catalogue.name!r} does not allow by a monthly hazard.")
                pairs.append((o, d))
        return pairs


@dataclass(frozen=True, slots=True, kw_only=True)
class Costs:
    """What the effort costs the municipality, in DKK (before any state refund)."""

    per_participant_month: float = 0.0
    per_caseworker_year: float = 0.0
    fixed_per_year: float = 0.0

    def _check(self, where: str) -> None:
        for name in ("per_participant_month", "per_caseworker_year", "fixed_per_year"):
            _number(getattr(self, name), f"{where}.{name}")


@dataclass(frozen=True, slots=True, eq=False)
class EffortPlan:
    """What an effort offers in one month; the runner of the events layer decides who is served.

    Attributes
    ----------
    active:
        Whether the effort runs this month; when not, participations end and nobody joins.
    eligible:
        ``(n_persons,)`` who may join this month.
    remains:
        ``(n_persons,)`` who may go on taking part (a participant outside it ends the participation).
    places:
        Persons the effort can serve at once this month; ``None`` for everyone eligible.
    multipliers:
        ``(3, n_states, n_states)`` hazard multipliers in the lock-in, during and after phases.
    lock_in_months, duration_months, after_months:
        Length of the phases (``duration_months=None``: open-ended).
    cost_per_participant_month:
        DKK per person-month served (lock-in and during phases).
    cost_this_month:
        DKK this month whoever is served: caseworkers and fixed costs.
    """

    active: bool
    eligible: npt.NDArray[np.bool_]
    remains: npt.NDArray[np.bool_]
    places: int | None
    multipliers: npt.NDArray[np.float64]
    lock_in_months: int = 0
    duration_months: int | None = None
    after_months: int = 0
    cost_per_participant_month: float = 0.0
    cost_this_month: float = 0.0

    def check(self, name: str, n_persons: int, n_states: int) -> None:
        """Raise :class:`~labsim.errors.ModelError` naming the effort if the plan is malformed."""
        where = f"effort {name!r} plan"
        for label in ("eligible", "remains"):
            array = getattr(self, label)
            if not isinstance(array, np.ndarray) or array.dtype != np.bool_ or array.shape != (n_persons,):
                raise ModelError(f"{where}.{label} must be a boolean array of {n_persons} persons; got "
                                 f"{getattr(array, 'dtype', type(array).__name__)} of shape {getattr(array, 'shape', None)}.")
        if self.places is not None:
            _whole(self.places, f"{where}.places")
        shape = (len(PHASES), n_states, n_states)
        if not isinstance(self.multipliers, np.ndarray) or self.multipliers.shape != shape:
            raise ModelError(f"{where}.multipliers must have shape {shape}; got {getattr(self.multipliers, 'shape', None)}.")
        bad = ~np.isfinite(self.multipliers) | (self.multipliers < 0)
        if bad.any():
            raise ModelError(f"{where}.multipliers must be finite and ≥ 0; got {float(self.multipliers[bad][0])!r}.")
        _whole(self.lock_in_months, f"{where}.lock_in_months")
        if self.duration_months is not None:
            _whole(self.duration_months, f"{where}.duration_months", 1)
        _whole(self.after_months, f"{where}.after_months")
        _number(self.cost_per_participant_month, f"{where}.cost_per_participant_month")
        _number(self.cost_this_month, f"{where}.cost_this_month")


class Recipe(Protocol):
    """What an effort keeps of the spec it was built from (:class:`~labsim.policy.spec.EffortSpec`)."""

    def params(self) -> dict[str, Any]:
        """The knobs' values."""

    def with_value(self, path: Sequence[str], value: Any) -> Recipe:
        """The spec with one knob set."""

    def replace(self, **changes: Any) -> Recipe:
        """The spec with some knobs set."""

    def defaults(self) -> dict[str, Any]:
        """The built-in's values of the same knobs."""

    def build(self, catalogue: StateCatalogue | None = None) -> Effort:
        """The effort of the spec."""


@runtime_checkable
class EffortLike(Protocol):
    """What the runner needs of an effort: a name and a monthly plan."""

    @property
    def name(self) -> str:
        """Short ``snake_case`` name, unique within a strategy; it labels the effort's rows in :meth:`labsim.Run.efforts`."""

    def plan(self, month: int, population: Population, streams: RandomStreams) -> EffortPlan:
        """The effort's offer for ``month``: who may join, who may stay on, the places and the multipliers.

        Called once a month by the runner of the events layer. It must only read ``population`` and draw
        from ``streams`` (never from global random state), so that the same seed gives the same plan; the
        plan must pass :meth:`EffortPlan.check`. :func:`labsim.testing.check_effort` runs the whole contract.
        """


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Effort:
    """A jobcenter effort: eligibility, capacity, schedule, effects on hazards, and costs.

    Every field is checked when the effort is made; an error names the effort, the field and the bad
    value. States are names of ``catalogue`` (the Danish catalogue unless given).

    Attributes
    ----------
    name:
        Short ``snake_case`` name, unique within a strategy.
    eligibility, capacity, schedule, impacts, costs:
        See :class:`Eligibility`, :class:`Capacity`, :class:`Schedule`, :class:`Impact`, :class:`Costs`.
    duration_months:
        Months of participation (``None``: as long as the person stays eligible).
    lock_in_months:
        The first months of participation in which :attr:`Impact.lock_in` applies.
    after_months:
        Months after participation in which :attr:`Impact.after` applies.
    title:
        The effort's name in the plans, for tables.
    evidence:
        The estimates behind the defaults, by phase (``"during"``, ``"after"``): what the report sets beside the
        values used.
    recipe:
        The spec a built-in effort was built from (:class:`~labsim.policy.spec.EffortSpec`): its knobs are the
        values used, and a sweep path sets them; ``None`` for an effort made directly. Only the spec sets it, so
        that it always describes the effort.

    Examples
    --------
    An effort of your own, no subclassing (the README's): 25 praktik places for a-dagpenge recipients
    aged 60 or more, ramped up over six months.

    >>> import labsim
    >>> praktik = labsim.Effort(
    ...     name="praktik_60plus",
    ...     eligibility=labsim.Eligibility(states=("a_dagpenge",), min_age=60),
    ...     schedule=labsim.Schedule("2023-01", "2025-12", ramp_months=6),
    ...     impacts=(labsim.Impact(origins=("a_dagpenge",), destinations=("employed",), during=0.9, after=1.3),),
    ...     capacity=labsim.Capacity(seats=25), duration_months=3, after_months=12,
    ...     costs=labsim.Costs(per_participant_month=2_500),  # an assumption: price it for your municipality
    ... )
    >>> [praktik.schedule.fraction(labsim.parse_month(m)) for m in ("2022-12", "2023-03", "2023-06")]
    [0.0, 0.5, 1.0]
    >>> praktik.capacity.places(0.5)  # places in March 2023, half-way up the ramp
    12
    >>> from labsim.testing import check_effort
    >>> check_effort(praktik)  # the contract every built-in passes
    """

    name: str
    eligibility: Eligibility
    schedule: Schedule
    impacts: tuple[Impact, ...]
    capacity: Capacity = field(default_factory=Capacity)
    costs: Costs = field(default_factory=Costs)
    duration_months: int | None = None
    lock_in_months: int = 0
    after_months: int = 0
    title: str = ""
    evidence: dict[str, Estimate] = field(default_factory=dict)
    catalogue: StateCatalogue = field(default_factory=danish_catalogue, repr=False)
    recipe: Recipe | None = field(default=None, init=False, repr=False)
    _codes: tuple[int, ...] = field(init=False, repr=False)
    _multipliers: npt.NDArray[np.float64] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.isidentifier():
            raise ModelError(f"effort name must be a snake_case identifier; got {self.name!r}.")
        where = f"effort {self.name!r}"
        object.__setattr__(self, "impacts", tuple(self.impacts))
        self.capacity._check(f"{where}.capacity")
        joins = self.capacity.joins is not None
        codes = () if joins and not self.eligibility.states else self.eligibility._check(
            f"{where}.eligibility", self.catalogue)
        self.schedule._check(f"{where}.schedule")
        self.costs._check(f"{where}.costs")
        if self.duration_months is not None:
            _whole(self.duration_months, f"{where}.duration_months", 1)
        lock_in = _whole(self.lock_in_months, f"{where}.lock_in_months")
        if self.duration_months is not None and lock_in > self.duration_months:
            raise ModelError(f"{where}.lock_in_months must not exceed duration_months ({self.duration_months}); got {lock_in}.")
        _whole(self.after_months, f"{where}.after_months")
        if joins and self.impacts:
            raise ModelError(f"{where}.impacts must be empty: capacity that joins the jobcenter's "
                             f"{self.capacity.joins!r} acts through it (the team's contact_effect, the course's effects).")
        if not self.impacts and not joins:
            raise ModelError(f"{where}.impacts must give at least one effect on hazards.")
        n = self.catalogue.n_states
        multipliers = np.ones((len(PHASES), n, n))
        for i, impact in enumerate(self.impacts):
            if not isinstance(impact, Impact):
                raise ModelError(f"{where}.impacts[{i}] must be an Impact; got {type(impact).__name__}.")
            pairs = impact._check(f"{where}.impacts[{i}]", self.catalogue)
            if impact.lock_in is not None and lock_in == 0:
                raise ModelError(f"{where}.impacts[{i}].lock_in is {impact.lock_in!r}, but lock_in_months is 0: "
                                 "give the lock-in period its months.")
            lock = impact.during if impact.lock_in is None else impact.lock_in
            for o, d in pairs:
                multipliers[:, o, d] *= (lock, impact.during, impact.after)
        multipliers.setflags(write=False)
        object.__setattr__(self, "_codes", codes)
        object.__setattr__(self, "_multipliers", multipliers)

    def replace(self, **changes: Any) -> Effort:
        """A copy with some fields changed (and checked again). For a built-in, changes that are all knobs of its
        recipe (``title``, ``duration_months``, ``after_months``) change the recipe, which builds the copy; any
        other change makes the copy an effort of its own, without a recipe."""
        if self.recipe is not None and changes and set(changes) <= set(self.recipe.params()):
            return self.recipe.replace(**changes).build(self.catalogue)
        try:
            return replace(self, **changes)
        except LabsimError:
            raise
        except (TypeError, ValueError) as error:
            raise ModelError(f"effort {self.name!r}: {error}") from None

    def with_value(self, path: Sequence[str], value: Any) -> Effort:
        """The effort with the value at ``path`` set (:func:`labsim.paths.set_path`): a knob of its recipe, built
        again on the same catalogue; for an effort without a recipe, a field (``capacity.seats``, ``impacts.0.during``)."""
        if self.recipe is not None:
            return self.recipe.with_value(path, value).build(self.catalogue)
        return set_fields(self, path, value)

    def params(self) -> dict[str, Any]:
        """The values that make the effort: its recipe's knobs, or for an effort without one, what its impacts,
        capacity, dates and phases are (for the record beside the results)."""
        if self.recipe is not None:
            return self.recipe.params()
        return {
            "impacts": [{"origins": list(i.origins), "destinations": list(i.destinations), "during": i.during,
                         "after": i.after, **({"lock_in": i.lock_in} if i.lock_in is not None else {})}
                        for i in self.impacts],
            **{k: v for k, v in (("seats", self.capacity.seats), ("caseworkers", self.capacity.caseworkers),
                                 ("caseload", self.capacity.caseload), ("team", self.capacity.team),
                                 ("intake", self.capacity.intake)) if v is not None},
            "start": month_label(self.schedule.start),
            "stop": None if self.schedule.stop is None else month_label(self.schedule.stop),
            "ramp_months": self.schedule.ramp_months, "duration_months": self.duration_months,
            "lock_in_months": self.lock_in_months, "after_months": self.after_months,
        }

    @property
    def multipliers(self) -> npt.NDArray[np.float64]:
        """``(3, n_states, n_states)`` hazard multipliers of the lock-in, during and after phases."""
        return self._multipliers

    def plan(self, month: int, population: Population, streams: RandomStreams) -> EffortPlan:
        """The effort's offer for ``month`` (see :class:`EffortPlan`); reads ``population``, changes nothing."""
        n = population.n_persons
        fraction = self.schedule.fraction(month)
        active = self.schedule.active(month)
        if active and self.capacity.joins is None:
            remains = self._remains(month, population, streams)
            eligible = remains & (population.months_in_state >= self.eligibility.min_months)
            if self.eligibility.max_months is not None:
                eligible &= population.months_in_state <= self.eligibility.max_months
        else:
            remains = eligible = np.zeros(n, dtype=bool)
        places = self.capacity.places(fraction)
        if places is None and self.schedule.ramp_months and fraction < 1:
            places = math.floor(fraction * int(np.count_nonzero(remains)) + 1e-9)  # an open effort ramps by take-up
        monthly = 0.0
        if active and self.capacity.intake is None:  # a course intake's seats cost as they are used (CourseProcess)
            caseworkers = (self.capacity.caseworkers or 0.0) * fraction
            monthly = (caseworkers * self.costs.per_caseworker_year + self.costs.fixed_per_year) / _MONTHS_PER_YEAR
        return EffortPlan(
            active=active,
            eligible=eligible,
            remains=remains,
            places=places,
            multipliers=self._multipliers,
            lock_in_months=self.lock_in_months,
            duration_months=self.duration_months,
            after_months=self.after_months,
            cost_per_participant_month=self.costs.per_participant_month,
            cost_this_month=monthly,
        )

    def _remains(self, month: int, population: Population, streams: RandomStreams) -> npt.NDArray[np.bool_]:
        """Who meets the eligibility apart from the entry durations: one pass over the states, then the
        other rules on those in the states only."""
        rule = self.eligibility
        found = population.in_states(self._codes)
        members = np.flatnonzero(found)
        keep = np.ones(len(members), dtype=bool)
        if rule.min_age > 0 or rule.below_age is not None:
            age = month - population.birth_month[members].astype(np.int32)
            keep &= age >= 12 * rule.min_age
            if rule.below_age is not None:
                keep &= age < 12 * rule.below_age
        for name, enum in ATTRIBUTES.items():
            levels = getattr(rule, name)
            if levels:
                allowed = np.zeros(len(enum), dtype=bool)
                allowed[[int(enum[level.upper()]) for level in levels]] = True
                keep &= allowed.take(getattr(population, name)[members])
        if rule.share < 1:  # each person's draw is the same every month
            key = streams.label_key(Purpose.EFFORT_GROUP, self.name)
            keep &= streams.uniforms(key, population.ids[members]) < rule.share
        found[members[~keep]] = False
        return found


def effort_record(effort: EffortLike) -> dict[str, Any]:
    """What a run used of ``effort``, as plain data for a comparison's manifest, a store's metadata and the report:
    its name and title; ``knobs``, the values that made it (a built-in's knobs, or an own effort's impacts,
    capacity and dates); ``defaults``, a built-in's defaults of the same knobs; and ``evidence``, one row per phase
    with the multiplier ``used`` beside the estimate (value, range, measured or assumed, basis, source)."""
    params = getattr(effort, "params", None)
    recipe = getattr(effort, "recipe", None)
    defaults = getattr(recipe, "defaults", None)
    evidence: Mapping[str, Estimate] = getattr(effort, "evidence", {}) or {}
    impacts: Sequence[Impact] = getattr(effort, "impacts", ())
    rows = []
    for phase, estimate in evidence.items():
        used = sorted({_phase_value(impact, phase) for impact in impacts})
        rows.append({"phase": phase, "used": used[0] if len(used) == 1 else used, "value": estimate.value,
                     "low": estimate.low, "high": estimate.high, "measured": estimate.measured,
                     "basis": estimate.basis, "source": estimate.source})
    return {
        "name": effort.name, "title": getattr(effort, "title", "") or effort.name,
        "knobs": params() if callable(params) else {},
        "defaults": defaults() if callable(defaults) else {},
        "evidence": rows,
    }


def _phase_value(impact: Impact, phase: str) -> float:
    if phase == "lock_in":
        return impact.during if impact.lock_in is None else impact.lock_in
    return float(getattr(impact, phase))


def check_names(efforts: Sequence[EffortLike], where: str) -> None:
    """Raise :class:`~labsim.errors.LabsimError` unless the efforts' names are distinct."""
    names = [effort.name for effort in efforts]
    doubled = sorted({name for name in names if names.count(name) > 1})
    if doubled:
        raise LabsimError(f"{where}: effort names must be distinct; {', '.join(map(repr, doubled))} appear more than once.")
