"""A scenario: everything one comparison needs, built in Python or read from a TOML file (DESIGN.md §7).

A :class:`Scenario` holds the population (a municipality profile to synthesise, or a population),
the transition model, the macro path, demography and calendar events, the strategies to compare
with the one the others are measured against, the horizon, the targets and observed series, the
benefit rates, and the default replications and seed. :meth:`Scenario.run` makes one run of one
strategy; :func:`labsim.compare` runs them all, paired.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from labsim.calendar import month_label, parse_month
from labsim.core.balance import Balance, RateBalance, balance_rates
from labsim.core.demography import Arrivals, Demography
from labsim.core.macro import MacroPath
from labsim.core.model import TransitionModel
from labsim.core.population import Population
from labsim.core.steady_start import StartDurations, steady_durations
from labsim.core.synthesis import MunicipalityProfile, synthesise
from labsim.digest import digest
from labsim.errors import ValidationError
from labsim.events import Events, Jobcenter, RuleChange, danish_calendar
from labsim.paths import plain_value, set_fields, set_path
from labsim.policy import Strategy
from labsim.results import BenefitRates, Observed, Run, Target, danish_rates
from labsim.rng import SeedLike, normalise_seed
from labsim.simulation.alignment import Aligned, AlignmentTarget, align
from labsim.simulation.simulate import simulate
from labsim.validation import one_of, text, whole, yes_no

__all__ = ["Scenario", "with_levels", "replicate_seed", "MAX_REPLICATIONS", "MAX_SEED", "BALANCE_INHABITANTS"]

MAX_REPLICATIONS = 100_000
"""The most replications a scenario or study may ask for: far past the 50+ a committee needs, and a bound on what
one comparison allocates."""

MAX_SEED = 2**63 - 1
"""The largest seed: a 64-bit seed, as a study's store records it."""


_RENAMED = {"population.inhabitants": "profile.inhabitants", "population.levels": "levels",
            "rates.states": "rates.rates"}
"""Paths of the tables-based setter that the one path setter names after the objects."""

_TEXT = text()
_YES_NO = yes_no()
_REPLICATIONS = whole(1, MAX_REPLICATIONS)
_SEED = whole(0, MAX_SEED)
_DURATIONS = one_of(StartDurations)
_BALANCE = one_of(Balance)
_SOLVED: dict[str, RateBalance] = {}
"""Balances solved in this process, by a digest of what they depend on (a worker solves each once)."""
_ALIGNED: dict[str, Aligned] = {}
"""Alignments solved in this process, likewise."""
_SOLVED_KEPT = 8
_LASTING_MONTHS = 12
BALANCE_INHABITANTS = 200_000
"""The size a profile is synthesised at to find the start shares a balance holds (its sampling error is then
small; the shares do not depend on the size)."""
"""A balance is solved under the rules in force this many months after the start (temporary rules at the start,
such as the COVID-19 suspensions, do not set the steady state); an assumption."""


def _remember(cache: dict[str, Any], key: str, value: Any) -> None:
    """Keep ``value`` under ``key``, and only the latest few."""
    cache[key] = value
    while len(cache) > _SOLVED_KEPT:
        del cache[next(iter(cache))]


def with_levels(profile: MunicipalityProfile, levels: Mapping[str, float]) -> MunicipalityProfile:
    """The profile with each named state's shares rescaled in every age band so that the expected number of
    persons on it at the start is its level; ordinary employment takes up the difference in each band.

    Use it to start a run from observed counts (fuldtidspersoner at the start) when the profile's
    state shares are only assumptions.
    """
    counts = _band_counts(profile)
    shares = {band: dict(row) for band, row in profile.state_shares.items()}
    for state, level in levels.items():
        if level < 0:
            raise ValidationError(f"levels.{state}: a level is a number of persons of at least 0; got {level!r}.")
        expected = sum(counts[band] * row.get(state, 0.0) for band, row in shares.items())
        if expected == 0:
            if level == 0:
                continue
            raise ValidationError(f"levels.{state}: the profile {profile.name!r} puts nobody on {state!r}, so no "
                                  f"scaling reaches {level!r}; give it a share in [state_shares] first.")
        factor = level / expected
        for band, row in shares.items():
            if state in row:
                change = row[state] * (factor - 1.0)
                row[state] += change
                row["employed"] = row.get("employed", 0.0) - change
                if row["employed"] < -1e-12:
                    raise ValidationError(f"levels.{state}: {level!r} persons leave age band {band!r} with a "
                                          f"negative share in employment ({row['employed']:.3f}).")
                row["employed"] = max(row["employed"], 0.0)
    return replace(profile, state_shares=shares)


def _band_counts(profile: MunicipalityProfile) -> dict[str, float]:
    total = sum(profile.age_shares.values())
    return {band: profile.inhabitants * share / total for band, share in profile.age_shares.items()}


@dataclass(frozen=True, slots=True, eq=False)
class Scenario:
    """One municipality's question: which strategy meets the targets, at what net cost.

    Attributes
    ----------
    name:
        Short name, written into every frame.
    model:
        The transition model.
    strategies:
        The strategies to compare, by name (a mapping, or a sequence of strategies keyed by their
        names); at least one. Each is renamed to its key, which labels its runs.
    baseline:
        The strategy the others are measured against (by default the first).
    profile, population:
        Where the persons come from: a municipality profile synthesised per replicate, or a fixed
        population (exactly one of the two).
    start, end:
        First and last simulated month.
    demography:
        Deaths, migration and entries; ``None`` takes the profile's.
    macro:
        Cycle index by month (``None``: a flat cycle).
    events:
        Rule changes and macro shocks at their dates.
    jobcenter:
        The jobcenter's capacity: caseworker teams, the rehabiliteringsteam, course intakes (a scenario file's
        ``[jobcenter]``).
    danish_calendar:
        Add the dated rule changes of DOMAIN.md §2 (:func:`labsim.events.danish_calendar`) that fall in the run.
    targets, observed:
        What the runs are measured against.
    rates:
        Benefit rates and satsregulering for the money.
    replications, seed:
        Defaults for :func:`labsim.compare`.
    title, description, titles:
        Words for reports: the scenario's title and description, and each strategy's title by name.
    text:
        The scenario file's text (with what it extends), kept beside results.
    levels:
        Expected persons on named states at the start (fuldtidspersoner a plan observed): the profile's shares
        are rescaled to them when the persons are synthesised (:func:`with_levels`), so they hold whatever the
        profile's size; a scenario file's ``[population.levels]``.
    settings:
        The values set by path since the scenario was read or built (:meth:`vary`, ``labsim run --set``), in
        order, for the record beside the results.
    durations:
        How the start population gets its months in state where it does not give them
        (:class:`~labsim.core.steady_start.StartDurations`): ``"steady"`` (the default) draws them from the model's
        steady state for each person's cell, and the rule counters follow; ``"fresh"`` starts everyone at month 0
        of their state, with a transient in the first years. A scenario file's ``[population] durations``.
    balance:
        Whether the hazards are balanced to the start (:class:`~labsim.core.balance.Balance`): ``"auto"`` (the
        default) balances a scenario whose persons come from a profile and whose model has the legal rules,
        ``"rates"`` always, ``"none"`` never. The runs use :meth:`run_model`. A scenario file's ``[model] balance``
        (where ``"auto"`` is ``"none"`` for a model calibrated to the municipality's own observed series).
    calibrated_to:
        The municipalities the model's hazards were calibrated to, joined by ", " (the fitted patches'
        ``meta.calibration.municipality``, which a scenario file reads): ``"auto"`` does not balance a model one of
        whose fits is to the profile's own municipality (named as the profile's ``name``, with or without
        "Kommune"), whose fit holds its data.
    alignment:
        Yearly totals the baseline follows in expectation (:class:`~labsim.simulation.alignment.AlignmentTarget`;
        a scenario file's ``[alignment.<name>]``): solved once (:meth:`aligned`) into dated steps of the calendar
        that every strategy runs under.
    """

    name: str
    model: TransitionModel
    strategies: Mapping[str, Strategy]
    baseline: str = ""
    profile: MunicipalityProfile | None = None
    population: Population | None = None
    start: int = field(default_factory=lambda: parse_month("2022-01"))
    end: int = field(default_factory=lambda: parse_month("2041-12"))
    demography: Demography | None = None
    macro: MacroPath | None = None
    events: Events = field(default_factory=Events)
    jobcenter: Jobcenter = field(default_factory=Jobcenter)
    danish_calendar: bool = True
    targets: tuple[Target, ...] = ()
    observed: tuple[Observed, ...] = ()
    rates: BenefitRates = field(default_factory=danish_rates)
    replications: int = 20
    seed: int = 0
    title: str = ""
    description: str = ""
    titles: Mapping[str, str] = field(default_factory=dict)
    text: str = ""
    levels: Mapping[str, float] = field(default_factory=dict)
    settings: Mapping[str, Any] = field(default_factory=dict)
    durations: StartDurations = StartDurations.STEADY
    balance: Balance = Balance.AUTO
    alignment: tuple[AlignmentTarget, ...] = ()
    calibrated_to: str = ""
    _solved: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        where = f"scenario {self.name!r}"
        object.__setattr__(self, "durations", StartDurations(_DURATIONS(self.durations, f"{where}: durations")))
        object.__setattr__(self, "balance", Balance(_BALANCE(self.balance, f"{where}: balance")))
        object.__setattr__(self, "alignment", tuple(self.alignment))
        for target in self.alignment:
            if not isinstance(target, AlignmentTarget):
                raise ValidationError(f"{where}: alignment must hold labsim AlignmentTargets; got {type(target).__name__}.")
        if len({target.name for target in self.alignment}) < len(self.alignment):
            raise ValidationError(f"{where}: two alignment targets have the same name.")
        _TEXT(self.name, "scenario name")
        for key in ("title", "description", "text", "calibrated_to"):
            _TEXT(getattr(self, key), f"{where}: {key}")
        _YES_NO(self.danish_calendar, f"{where}: danish_calendar")
        _REPLICATIONS(self.replications, f"{where}: replications")
        _SEED(self.seed, f"{where}: seed")
        for key, words in dict(self.titles).items():
            _TEXT(words, f"{where}: titles.{key}")
        object.__setattr__(self, "start", parse_month(self.start, field="start"))
        object.__setattr__(self, "end", parse_month(self.end, field="end"))
        if self.end < self.start:
            raise ValidationError(f"scenario {self.name!r}: end {month_label(self.end)} is before start "
                                  f"{month_label(self.start)}.")
        if (self.profile is None) == (self.population is None):
            raise ValidationError(f"scenario {self.name!r}: give exactly one of profile and population.")
        if not self.strategies:
            raise ValidationError(f"scenario {self.name!r}: strategies must name at least one strategy.")
        given: Mapping[str, Strategy] | Sequence[Strategy] = self.strategies
        items = (list(given.items()) if isinstance(given, Mapping)
                 else [(getattr(s, "name", str(i)), s) for i, s in enumerate(given)])
        named: dict[str, Strategy] = {}
        for key, strategy in items:
            if not isinstance(strategy, Strategy):
                raise ValidationError(f"scenario {self.name!r}: strategies.{key} must be a labsim.Strategy; got "
                                      f"{type(strategy).__name__}.")
            if key in named:
                raise ValidationError(f"scenario {self.name!r}: two strategies are named {key!r}.")
            named[key] = strategy if strategy.name == key else strategy.renamed(key)
        object.__setattr__(self, "strategies", named)
        if not self.baseline:
            object.__setattr__(self, "baseline", next(iter(self.strategies)))
        if self.baseline not in self.strategies:
            raise ValidationError(f"scenario {self.name!r}: baseline {self.baseline!r} is not one of the strategies "
                                  f"{list(self.strategies)}.")
        if self.levels:
            if self.profile is None:
                raise ValidationError(f"{where}: levels rescale a profile's shares; this scenario has a population.")
            with_levels(self.profile, self.levels)  # a level the profile cannot reach is an error now
        self.check()

    def check(self) -> None:
        """Raise :class:`~labsim.errors.ValidationError` if targets, observed series or rates name unknown states
        or efforts, or fall outside the run; :class:`~labsim.errors.ModelError` if the jobcenter names an unknown
        state, has a course intake outside the run, or lacks a team an effort joins."""
        catalogue = self.model.catalogue
        self.rates.check(catalogue)
        if not isinstance(self.jobcenter, Jobcenter):
            raise ValidationError(f"jobcenter must be a labsim.Jobcenter; got {type(self.jobcenter).__name__}.")
        self.jobcenter.check(range(self.start, self.end + 1), catalogue,
                             [effort for strategy in self.strategies.values() for effort in strategy.efforts])
        for aligned in self.alignment:
            aligned.check(self.model, self.start, self.end)
        efforts = {effort.name for strategy in self.strategies.values() for effort in strategy.efforts}
        for target in self.targets:
            try:
                target.measure.check(catalogue, efforts)
                for period in (target.period, target.relative_to):
                    if period is not None and not (self.start <= period.first and period.last <= self.end):
                        raise ValidationError(f"period {period.text!r} is outside the run ({month_label(self.start)} "
                                              f"to {month_label(self.end)}).")
            except ValidationError as error:
                raise ValidationError(f"target {target.name!r}: {error}") from None
        for series in self.observed:
            try:
                series.measure.check(catalogue, efforts)
            except ValidationError as error:
                raise ValidationError(f"observed {series.name!r}: {error}") from None

    @property
    def months(self) -> int:
        """Months simulated."""
        return self.end - self.start + 1

    def replace(self, **changes: Any) -> Scenario:
        """A copy with some fields changed (checked again)."""
        return replace(self, **changes)

    def vary(self, values: Mapping[str, Any]) -> Scenario:
        """The scenario with each dotted path in ``values`` set to its value, as a study's sweep point sets them
        (:func:`labsim.paths.set_path`). A path means the same whether the scenario was read from a file or built
        in Python, before or after :meth:`replace`:

        * ``efforts.<effort>.<knob>`` — a knob of a built-in effort (``efforts.ips.effect``,
          ``efforts.hjoerring_caseload.caseworkers``) in every strategy that has the effort; for an effort of your
          own, a field (``efforts.praktik_60plus.capacity.seats``, ``efforts.praktik_60plus.impacts.0.during``);
        * ``strategies.<strategy>.efforts.<effort>.<knob>`` — in one strategy only;
        * any other field of the scenario and of what it holds: ``profile.inhabitants``, ``macro.values.0``,
          ``model.hazards.<from>.<to>`` (the duration bands' monthly hazards), ``seed``.

        Raises :class:`~labsim.errors.ValidationError` naming a path that does not exist or a value its object
        rejects.
        """
        scenario = self
        for path, value in values.items():
            old = next((old for old in _RENAMED if path == old or path.startswith(f"{old}.")), None)
            if old is not None:
                raise ValidationError(f"path {path!r}: {old!r} is now {_RENAMED[old]!r} (CHANGELOG: one parameter "
                                      "space).")
            scenario = set_path(scenario, path, plain_value(value))
        return replace(scenario, settings={**self.settings, **{path: plain_value(v) for path, v in values.items()}})

    def with_value(self, path: Sequence[str], value: Any) -> Scenario:
        """The scenario with the value at ``path`` set (see :meth:`vary`)."""
        if path[0] != "efforts":
            return set_fields(self, path, value)  # type: ignore[no-any-return]
        if len(path) < 3:
            raise ValidationError("write efforts.<effort>.<knob>, e.g. efforts.ips.effect.")
        holders = [key for key, strategy in self.strategies.items() if path[1] in strategy.names]
        if not holders:
            used = sorted({name for strategy in self.strategies.values() for name in strategy.names})
            raise ValidationError(f"no strategy of scenario {self.name!r} has an effort {path[1]!r}; the strategies "
                                  f"have {', '.join(used) or 'none'}.")
        strategies = dict(self.strategies)
        for key in holders:
            strategies[key] = strategies[key].with_value(path, value)
        return replace(self, strategies=strategies)

    def make_population(self, seed: SeedLike = None) -> Population:
        """The persons at the start: the fixed population, or the profile (rescaled to :attr:`levels`) synthesised
        with ``seed``; with :attr:`durations` ``"steady"``, months in state the persons do not give are drawn from
        the steady state of :meth:`run_model` with ``seed`` (the scenario's seed when ``None``)."""
        persons = self._persons(seed)
        if self.durations is not StartDurations.STEADY or not persons.n_persons:
            return persons
        if self.population is not None and persons.months_in_state.strides != (0,):
            return persons  # the population gives its months (a population without the column has a constant one)
        solved = self.rate_balance()
        return steady_durations(persons, self.run_model(at_start=True), self.start,
                                self.seed if seed is None else seed,
                                stationary=solved.stationary if solved is not None else None)

    def _persons(self, seed: SeedLike, *, placed: bool = True) -> Population:
        """The fixed population, or the profile (rescaled to :attr:`levels`) synthesised with ``seed``; with a steady
        start and a balance, each state's persons are placed within their age band as the balanced cohort path
        has them (``placed``)."""
        if self.population is not None:
            return self.population
        assert self.profile is not None
        profile = with_levels(self.profile, self.levels) if self.levels else self.profile
        pension = self.model.rules.pension if self.model.rules is not None else None
        solved = self.rate_balance() if placed and self.durations is StartDurations.STEADY else None
        return synthesise(profile, at=self.start, catalogue=self.model.catalogue, pension=pension, seed=seed,
                          stationary=solved.stationary if solved is not None else None)

    def model_at_start(self) -> TransitionModel:
        """The model with the dated rule changes in force at :attr:`start` (:meth:`make_events`) applied."""
        return self._at_start(self.model)

    def _at_start(self, model: TransitionModel) -> TransitionModel:
        return self._in_force(model, self.start)

    def _in_force(self, model: TransitionModel, month: int) -> TransitionModel:
        """``model`` with the dated rule changes up to ``month`` applied."""
        for event in self._dated().calendar:
            if isinstance(event, RuleChange) and event.at <= month:
                model = event.apply(model)
        return model

    @property
    def balanced(self) -> bool:
        """Whether the runs balance the hazards to the start (:attr:`balance`)."""
        if self.balance is Balance.AUTO:
            return self.profile is not None and self.model.rules is not None and not self._own_fit()
        return self.balance is Balance.RATES

    def _own_fit(self) -> bool:
        """Whether one of the model's fits is to the profile's own municipality (:attr:`calibrated_to`)."""
        places = {self.calibrated_to, *self.calibrated_to.split(", ")}  # joined by ", " (a name may hold a comma)
        return self.profile is not None and _place(self.profile.name) in {_place(p) for p in places if p.strip()}

    def rate_balance(self) -> RateBalance | None:
        """The balance of the hazards to the start (:func:`labsim.core.balance.balance_rates`), or ``None`` when
        :attr:`balanced` is false. Solved once per process for the same model, start shares and demography, with the
        states the demography's 16-year-olds enter, under the rules in force a year after the start (temporary rules
        at the start do not set it). A profile's start is that of a population of :data:`BALANCE_INHABITANTS`
        synthesised from it (rescaled to :attr:`levels`), whatever the scenario's size and seed, so every size and
        replicate of a municipality has the same balance; a fixed population's is its own."""
        if not self.balanced:
            return None
        if "balance" in self._solved:  # solved for this scenario object, here or before it was sent to a worker
            return self._solved["balance"]  # type: ignore[no-any-return]
        demography = self.demography
        profile = None
        if self.profile is not None:
            profile = with_levels(self.profile, self.levels) if self.levels else self.profile
            factor = BALANCE_INHABITANTS / profile.inhabitants if profile.inhabitants else 1.0
            profile = profile.scaled(BALANCE_INHABITANTS)
            demography = demography.scaled(factor) if demography is not None else profile.demography
            # The scaled numbers to nine digits: a profile scaled by two routes (60,000 → 200,000, or 60,000 →
            # 1,000,000 → 200,000) differs in its last bits, and the balance must be a function of its key alone.
            demography = _canonical(demography)
            profile = replace(profile, demography=_canonical(profile.demography))
        lasting_from = min(self.start + _LASTING_MONTHS, self.end)
        key = digest((self.model, profile, self.population, demography, self.events, self.start, lasting_from,
                      self.danish_calendar))
        if key in _SOLVED:
            self._solved["balance"] = _SOLVED[key]
            return _SOLVED[key]
        entry = (demography.entry.state_vector(self.model.catalogue, "demography.entry.state_shares")
                 if demography is not None and demography.entry is not None else None)
        if profile is not None:
            pension = self.model.rules.pension if self.model.rules is not None else None
            persons = synthesise(profile, at=self.start, catalogue=self.model.catalogue, pension=pension, seed=0)
        else:
            assert self.population is not None
            persons = self.population
        arrivals = [stream for stream in (getattr(demography, "immigration", None), getattr(demography, "refugees", None))
                    if stream is not None]
        # The steady state of the rules that last: those in force a year after the start (a run that starts in
        # the COVID-19 suspensions is not balanced to them).
        lasting = self._in_force(self.model, lasting_from)
        entrants = demography.entry if profile is not None and demography is not None else None
        solved = balance_rates(lasting, persons, self.start, entry, arrivals=arrivals, entrants=entrants,
                               source=f"balanced to the start of scenario {self.name!r} ({month_label(self.start)})")
        _remember(_SOLVED, key, solved)
        self._solved["balance"] = solved
        return solved

    def baseline_record(self) -> dict[str, Any]:
        """How the runs' baseline is made, for the record beside the results: the start (``durations``), the
        balance (``balance``: ``"rates"`` or ``"none"``, with the largest gap between a balanced share and the
        start's; ``own_fit``: whether the model holds a fit to the profile's own municipality; ``placed``: whether
        the persons are synthesised, and so placed by a balance), and the alignment's targets, years, values and the
        expected values reached."""
        solved = self.rate_balance()
        return {
            "durations": str(self.durations),
            "balance": "rates" if solved is not None else "none",
            "balance_asked": str(self.balance),
            "calibrated_to": self.calibrated_to,
            "own_fit": self._own_fit(),
            "placed": self.profile is not None,
            "balance_gap": solved.error if solved is not None else None,
            "alignment": [dict(row) for row in self.aligned().rows] if self.alignment else [],
        }

    def run_model(self, *, at_start: bool = False) -> TransitionModel:
        """The model every run of the scenario uses: :attr:`model`, balanced to the start when :attr:`balanced`
        (:meth:`rate_balance`); ``at_start`` applies the dated rule changes in force at :attr:`start`."""
        solved = self.rate_balance()
        model = solved.apply(self.model) if solved is not None else self.model
        return self._at_start(model) if at_start else model

    def make_events(self) -> Events:
        """The run's events: the scenario's, the Danish calendar's rule changes within the run, and the steps of
        the alignment (:meth:`aligned`)."""
        events = self._dated()
        if self.alignment:
            steps = self.aligned().events
            events = replace(events, calendar=tuple(sorted((*events.calendar, *steps), key=lambda e: e.at)))
        return events

    def _dated(self) -> Events:
        """The scenario's events and the Danish calendar's rule changes within the run."""
        if not self.danish_calendar or self.model.rules is None:
            return self.events
        dated = danish_calendar(self.model, self.start, self.end)
        names = {event.name for event in self.events.calendar}
        extra = tuple(event for event in dated if event.name not in names)
        return replace(self.events, calendar=tuple(sorted((*self.events.calendar, *extra), key=lambda e: e.at)))

    def aligned(self) -> Aligned:
        """The alignment of the baseline to :attr:`alignment`, solved once per process on the expected-value path
        (:func:`labsim.simulation.alignment.align`)."""
        if "alignment" in self._solved:
            return self._solved["alignment"]  # type: ignore[no-any-return]
        key = digest((self.model, self.profile, self.population, self.demography, self.events, self.macro,
                      self.alignment, self.start, self.end, self.seed, dict(self.levels), self.danish_calendar,
                      self.balance, self.durations, self.calibrated_to))
        if key not in _ALIGNED:
            _remember(_ALIGNED, key, align(self))
        self._solved["alignment"] = _ALIGNED[key]
        return _ALIGNED[key]

    def replicate_population(self, replicate: int = 0, seed: SeedLike = None) -> Population:
        """The persons of replicate ``replicate`` (or of ``seed``): synthesised from the first child of the
        replicate's seed, the same for every strategy."""
        return self.make_population(_child(self._replicate_sequence(replicate, seed), 0))

    def _replicate_sequence(self, replicate: int, seed: SeedLike) -> np.random.SeedSequence:
        return normalise_seed(seed) if seed is not None else replicate_seed(self.seed, replicate)

    def run(self, strategy: str | None = None, *, replicate: int = 0, seed: SeedLike = None,
            population: Population | None = None, progress: bool = False, group_by: str | None = None) -> Run:
        """One run of one strategy (the baseline by default).

        ``seed`` defaults to replicate ``replicate`` of the scenario's seed: the replicate's
        population is synthesised from its first spawned child and the run's streams from its second,
        so every strategy of a replicate meets the same persons and the same draws (common random numbers).
        ``group_by`` counts stocks and flows by a person group as well (:func:`~labsim.simulation.simulate`); the
        persons move the same either way.
        """
        name = self.baseline if strategy is None else strategy
        if name not in self.strategies:
            raise ValidationError(f"scenario {self.name!r} has no strategy {name!r}; it has {list(self.strategies)}.")
        sequence = self._replicate_sequence(replicate, seed)
        persons = population if population is not None else self.make_population(_child(sequence, 0))
        demography = self.demography if self.demography is not None else (
            self.profile.demography if self.profile is not None else None)
        return simulate(persons, self.run_model(), start=self.start, end=self.end, seed=_child(sequence, 1), macro=self.macro,
                        demography=demography, events=self.make_events(), jobcenter=self.jobcenter, progress=progress, group_by=group_by, scenario=self.name,
                        strategy=self.strategies[name], replicate=replicate)


def _canonical(demography: Demography | None) -> Demography | None:
    """``demography`` with its scaled numbers (cohorts, births and yearly inflows) rounded to nine significant
    digits."""
    if demography is None:
        return None

    def rounded(value: float) -> float:
        return float(f"{value:.9g}")

    def arrivals(stream: Arrivals | None) -> Arrivals | None:
        return replace(stream, per_year=rounded(stream.per_year)) if stream is not None else None

    return replace(demography, births_per_year=rounded(demography.births_per_year),
                   entrants_by_birth_year={year: rounded(n) for year, n in demography.entrants_by_birth_year.items()},
                   immigration=arrivals(demography.immigration), refugees=arrivals(demography.refugees))


def _place(name: str) -> str:
    """A municipality's name without 'Kommune' and case: 'Brønderslev Kommune' and 'brønderslev' are one place."""
    return " ".join(word for word in name.casefold().split() if word != "kommune")


def replicate_seed(seed: SeedLike, replicate: int) -> np.random.SeedSequence:
    """The seed of replicate ``replicate``: child ``replicate`` of ``SeedSequence(seed).spawn`` (DESIGN.md §9)."""
    return _child(normalise_seed(seed), replicate)


def _child(sequence: np.random.SeedSequence, index: int) -> np.random.SeedSequence:
    """Child ``index`` of ``sequence``, the same on every call (unlike ``spawn``, which counts its calls)."""
    return np.random.SeedSequence(entropy=sequence.entropy, spawn_key=(*sequence.spawn_key, index))
