"""A built-in effort as its knobs: a small frozen spec whose fields are what a user may set.

Each built-in effort of :mod:`labsim.policy.library` is a subclass of :class:`EffortSpec`, say
:class:`~labsim.policy.library.IPS`. Its fields are its *knobs* — the effect, the capacity, the dates,
the durations, the unit costs — each with a default that has a source or is labelled an assumption, a
:class:`~labsim.validation.Check` and a line of documentation. :meth:`EffortSpec.build` turns the spec into the
:class:`~labsim.policy.Effort` the runner steps; the effort keeps the spec it was built from
(:attr:`Effort.recipe`), so the values used are known wherever the effort goes.

The same knob has the same name in every place a user meets it::

    scenario file   { effort = "ips", effect = 1.6 }              (the entry is generated from the spec)
    Python          labsim.policy.library.IPS(effect=1.6)
    sweep path      efforts.ips.effect                             (labsim.paths; Scenario.vary, Study)
    record          Comparison.manifest() → efforts[…]["knobs"]["effect"] = 1.6

and from there one more name reaches the monthly step: the knob sets an :class:`~labsim.policy.Impact`
phase multiplier (``during`` or ``after``), which :meth:`Effort.plan` hands over as ``EffortPlan.multipliers``.

>>> from labsim.policy.library import IPS
>>> spec = IPS(effect=1.6)
>>> spec.params()["effect"], IPS.knobs()["effect"].default
(1.6, 1.443...)
>>> spec.build().impacts[0].during
1.6
>>> IPS(effect=-1)
Traceback (most recent call last):
...
labsim.policy.spec.KnobError: effort 'ips'.effect must be a multiplier from 0 to 100; got -1.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from labsim.calendar import parse_month
from labsim.errors import LabsimError, ModelError, ValidationError
from labsim.policy.effort import Capacity, Costs, Effort, Eligibility, Impact, Schedule
from labsim.policy.estimate import Estimate
from labsim.states import StateCatalogue, danish_catalogue
from labsim.validation import Check, month, multiplier, number, optional, probability, text, texts, whole

__all__ = ["EffortSpec", "Knob", "KnobError", "knob", "MAX_PERSONS", "MAX_MONTHS", "MAX_DKK"]

MAX_PERSONS = 10_000_000
"""The most persons a capacity may count: a population's largest size
(:data:`labsim.core.synthesis.MAX_INHABITANTS`)."""

MAX_DKK = 1e12
"""*Assumption*, a bound on typos: the largest unit cost a knob takes, a million times the cost of a jobcenter position
a year (:data:`~labsim.policy.library.common.POSITION_COST_PER_YEAR`, about 0.9 mio. DKK)."""

MAX_MONTHS = 3_612
"""The most months a phase may last: labsim's calendar, 1900 to 2200."""


class KnobError(ModelError):
    """A knob's value breaks its rule: :attr:`effort`, :attr:`knob`, :attr:`rule` and :attr:`value` say which, so
    that a file's reader can put the problem at the key the user wrote."""

    def __init__(self, effort: str, knob: str, rule: str, value: Any) -> None:
        shown = repr(value) if len(repr(value)) <= 80 else f"{repr(value)[:79]}…"
        super().__init__(f"effort {effort!r}.{knob} {rule}; got {shown}.")
        self.effort, self.knob, self.rule, self.value = effort, knob, rule, value


@dataclass(frozen=True, slots=True)
class Knob:
    """What one knob of a built-in effort is.

    Attributes
    ----------
    name:
        The knob's name: the field of the spec, the key of the file, the last part of the sweep path.
    default:
        The built-in's value.
    check:
        The rule its values must meet (:mod:`labsim.validation`).
    doc:
        What it sets, and where the default comes from ("*assumption*" where nothing does).
    kind:
        The knob's type in words, for the documentation (``"multiplier"``, ``"whole number"``, …).
    evidence:
        For an effect, the estimate behind the default (value, range, basis, source).
    """

    name: str
    default: Any
    check: Check
    doc: str
    kind: str
    evidence: Estimate | None = None


def knob(default: Any, check: Check, doc: str, kind: str, *, evidence: Estimate | None = None) -> Any:
    """A field of a spec that is a knob (see :class:`Knob`)."""
    return field(default=default, metadata={"knob": (check, doc, kind, evidence)})


_TEXT = text()
_MONTH = month(label=True)


def title(default: str) -> Any:
    """The ``title`` knob: the effort's name in tables and the report."""
    return knob(default, _TEXT, "The effort's name in tables and the report (the plans' name).", "text")


def start(default: str) -> Any:
    """The ``start`` knob: the first month the effort runs."""
    return knob(default, _MONTH, "First month the effort runs.", "month")


def stop(default: str | None = None) -> Any:
    """The ``stop`` knob: the last month the effort runs (``None``: to the end of the run)."""
    return knob(default, optional(_MONTH), "Last month the effort runs (none: to the end of the run).", "month")


def duration(default: int | None, doc: str = "") -> Any:
    """The ``duration_months`` knob."""
    return knob(default, optional(whole(1, MAX_MONTHS)),
                "Months of participation (none: as long as the person stays eligible). " + doc, "whole number")


def after(default: int, doc: str = "") -> Any:
    """The ``after_months`` knob."""
    return knob(default, whole(0, MAX_MONTHS), "Months after participation in which the after-effect acts. " + doc,
                "whole number")


def seats(default: int, doc: str) -> Any:
    """The ``seats`` knob: persons served at once."""
    return knob(default, whole(0, MAX_PERSONS), "Places: persons served at once. " + doc, "whole number")


def caseworkers(default: float, doc: str) -> Any:
    """The ``caseworkers`` knob: full-time caseworkers (or consultants) on the effort."""
    return knob(default, number(0, MAX_PERSONS), "Full-time caseworkers on the effort. " + doc, "number")


def caseload(default: float, doc: str) -> Any:
    """The ``caseload`` knob: persons per caseworker."""
    return knob(default, number(0, MAX_PERSONS, above=True), "Persons per caseworker. " + doc, "number")


def team(default: str, doc: str) -> Any:
    """The ``team`` knob: the jobcenter's caseworker team the effort's caseworkers join."""
    return knob(default, text(), "The caseworker team of the scenario's [jobcenter] the caseworkers join. " + doc,
                "text")


def intake() -> Any:
    """The ``intake`` knob: a course intake of the jobcenter the effort's seats join (none: places of its own)."""
    return knob(None, optional(text()), "A course of the scenario's [jobcenter.courses] whose intakes the seats join: "
                "the course's effects and duration apply, and the effort pays its cost per participant-month for those "
                "admitted on its seats (none: places of its own).", "text")


def share(default: float, doc: str) -> Any:
    """The ``share`` knob: the share of the eligible who belong to the target group."""
    return knob(default, probability(positive=True),
                "Share of those meeting the rest who belong to the target group (one draw per person). " + doc,
                "share")


def effect(estimate: Estimate, doc: str) -> Any:
    """An effect knob: a hazard multiplier whose default is ``estimate``'s value."""
    return knob(estimate.value, multiplier(), doc, "multiplier", evidence=estimate)


def cost(default: float, doc: str) -> Any:
    """A unit-cost knob, in DKK."""
    return knob(default, number(0, MAX_DKK), doc, "number (DKK)")


def states(default: tuple[str, ...], doc: str) -> Any:
    """A ``states`` knob: the states of the Danish catalogue the effort serves."""
    return knob(default, texts(danish_catalogue().names, at_least=1), doc, "list of states")


@dataclass(frozen=True, kw_only=True)
class EffortSpec(ABC):
    """A built-in effort as its knobs (see the module); subclasses set :attr:`name`, the knobs' defaults and
    :meth:`effort`.

    Every knob is checked when the spec is made: an error names the effort, the knob, the rule and the value.
    The base knobs every built-in has are the title, the dates and the phases' lengths; subclasses add
    capacity (``seats`` or ``caseworkers`` and ``caseload``), the target group's ``share``, the effects and
    the unit costs.
    """

    name: ClassVar[str] = ""
    """The effort's name (``snake_case``): the key of :data:`~labsim.policy.library.BUILT_INS` and of files."""

    moved: ClassVar[dict[str, str]] = {}
    """Former knobs that are set elsewhere now, and where: the hint an unknown knob's error gives."""

    title: str = title("")  # each built-in gives its own
    start: str = start("2022-01")
    stop: str | None = stop()
    ramp_months: int = knob(0, whole(0, MAX_MONTHS),
                            "Months over which capacity grows linearly to its full size (0: full from the start).",
                            "whole number")
    duration_months: int | None = duration(None)
    after_months: int = after(0)
    cost_per_participant_month: float = cost(0.0, "DKK per participant-month (lock-in and during phases).")
    fixed_cost_per_year: float = cost(0.0, "DKK a year while the effort runs, whoever is served (0 unless priced).")

    def __post_init__(self) -> None:
        for name, item in self.knobs().items():
            value = getattr(self, name)
            problem = item.check.problem(value)
            if problem is not None:
                raise KnobError(self.name, name, problem, value)
            object.__setattr__(self, name, item.check.test(value))
        if self.stop is not None and parse_month(self.stop) < parse_month(self.start):
            raise KnobError(self.name, "stop", f"must not come before start ({self.start})", self.stop)
        if self.stop is not None:
            length = parse_month(self.stop) - parse_month(self.start) + 1
            if self.ramp_months > length:
                raise KnobError(self.name, "ramp_months", f"must not be longer than the effort ({length} months, "
                                f"{self.start} to {self.stop})", self.ramp_months)

    @classmethod
    def knobs(cls) -> dict[str, Knob]:
        """Every knob of the built-in, in order, with its default, rule, words and evidence."""
        out = {}
        for item in dataclasses.fields(cls):
            check, doc, kind, evidence = item.metadata["knob"]
            out[item.name] = Knob(item.name, item.default, check, doc, kind, evidence)
        return out

    def estimate(self, knob: str) -> Estimate:
        """The evidence behind the default of the effect knob ``knob``."""
        evidence = self.knobs()[knob].evidence
        if evidence is None:
            raise ValidationError(f"effort {self.name!r}: {knob!r} is not an effect with evidence.")
        return evidence

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        """The built-in's values of its knobs, as :meth:`params` gives the spec's."""
        return {name: _plain(item.default) for name, item in cls.knobs().items()}

    def params(self) -> dict[str, Any]:
        """The knobs' values (scikit-learn's ``get_params``)."""
        return {name: _plain(getattr(self, name)) for name in self.knobs()}

    def replace(self, **changes: Any) -> EffortSpec:
        """A copy with some knobs changed (and checked again); an unknown knob is an error naming the knobs."""
        unknown = sorted(set(changes) - set(self.knobs()))
        if unknown:
            renamed = {**_RENAMED, **self.moved}
            hint = f" ({unknown[0]!r} is now {renamed[unknown[0]]!r})" if unknown[0] in renamed else ""
            raise ValidationError(f"effort {self.name!r} has no knob {unknown[0]!r}{hint}; its knobs are "
                                  f"{', '.join(self.knobs())}.")
        return dataclasses.replace(self, **changes)

    def with_value(self, path: Sequence[str], value: Any) -> EffortSpec:
        """The spec with the knob ``path`` (one name) set to ``value`` (:func:`labsim.paths.set_path`)."""
        if len(path) != 1:
            raise ValidationError(f"effort {self.name!r}: a knob is one name, like 'effect'; got {'.'.join(path)!r}.")
        return self.replace(**{path[0]: value})

    def build(self, catalogue: StateCatalogue | None = None) -> Effort:
        """The effort the runner steps, on ``catalogue`` (the Danish one unless given); it keeps this spec as its
        :attr:`~labsim.policy.Effort.recipe`."""
        return self.effort(catalogue if catalogue is not None else danish_catalogue())

    @abstractmethod
    def effort(self, catalogue: StateCatalogue) -> Effort:
        """The built-in's effort; subclasses write it with :meth:`assemble`."""

    def capacity(self) -> Capacity:
        """How many the effort serves at once (subclasses with seats or caseworkers say)."""
        return Capacity()

    def assemble(self, catalogue: StateCatalogue, *, eligibility: Eligibility, impacts: Sequence[Impact],
                 evidence: Mapping[str, Estimate]) -> Effort:
        """The effort of these parts with the base knobs (capacity, dates, phases, costs) filled in."""
        costs = Costs(per_participant_month=self.cost_per_participant_month,
                      per_caseworker_year=getattr(self, "cost_per_caseworker_year", 0.0),
                      fixed_per_year=self.fixed_cost_per_year)
        capacity = self.capacity()
        if capacity.intake is not None:  # its seats join a course of the jobcenter, whose effects apply to them
            impacts, evidence = (), {}
        try:
            effort = Effort(name=self.name, title=self.title, eligibility=eligibility, impacts=tuple(impacts),
                            capacity=capacity, costs=costs, schedule=Schedule(self.start, self.stop, self.ramp_months),
                            duration_months=self.duration_months, after_months=self.after_months,
                            evidence=dict(evidence), catalogue=catalogue)
        except LabsimError as error:
            text = str(error)
            raise ModelError(text if text.startswith(f"effort {self.name!r}") else f"effort {self.name!r}: {text}") from None
        object.__setattr__(effort, "recipe", self)  # the one place a recipe is set: it describes this effort
        return effort


_RENAMED = {"consultants": "caseworkers", "lock_in": "during_effect"}
"""Keywords of the former factories that are knobs of another name now."""


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
