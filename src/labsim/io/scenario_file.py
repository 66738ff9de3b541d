"""Read a scenario file (TOML) into a :class:`~labsim.simulation.scenario.Scenario` (format: docs/scenarios.md).

The file is checked with pydantic (``extra="forbid"``) and then against the state catalogue, the
built-in efforts, the jobcenter's classes and the run's dates. Every problem is collected first; one
:class:`ScenarioError` then lists them all, each with its dotted path, the rule and the bad value.
A scenario can ``extends = "other.toml"`` and override parts: tables merge key by key, anything
else is replaced.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt, create_model, model_validator
from pydantic import ValidationError as PydanticError

from labsim.calendar import month_year
from labsim.core.balance import Balance
from labsim.core.macro import MAX_RECESSION_MONTHS, MacroPath
from labsim.core.population import Population
from labsim.core.rules import Rules
from labsim.core.steady_start import StartDurations
from labsim.core.synthesis import MAX_INHABITANTS, MunicipalityProfile
from labsim.errors import FileProblemsError, LabsimError, ModelError, UnknownStateError, ValidationError
from labsim.experiments.study import MAX_REPLICATIONS, MAX_SEED
from labsim.files.input import checked_path, regular_file
from labsim.io.jobcenter_section import JobcenterSection, TeamReference, jobcenter_from_table
from labsim.io.model_file import DEFAULT_MODEL_FILE, MAX_HAZARD_RATIO, merge_patch, model_from_dict, model_problems
from labsim.io.population_file import read_population
from labsim.io.profile_file import default_profile, profile_in_tree
from labsim.io.text import (
    CALENDAR_MONTHS,
    YEARS,
    FileTree,
    Problem,
    absolute,
    file_month,
    merge_tables,
    month_text,
    packaged_text,
    parse_toml,
    problems_line,
    read_text,
    toml_problems,
)
from labsim.policy import Effort, EffortSpec, Strategy
from labsim.policy.library import BUILT_INS
from labsim.policy.spec import KnobError
from labsim.results import BenefitRates, Measure, Observed, Period, Rate, Target, danish_rates
from labsim.results.targets import COMPARISONS, MEASURES
from labsim.simulation.alignment import AlignmentTarget
from labsim.simulation.scenario import Scenario, with_levels
from labsim.states import StateCatalogue, danish_catalogue, select_states
from labsim.validation import number

__all__ = ["read_scenario", "scenario_from_text", "ScenarioError", "Problem", "schema_problems", "effort_entry"]


class ScenarioError(FileProblemsError):
    """A scenario (or study) file breaks one or more rules; :attr:`problems` lists each :class:`Problem`, the
    message the first twenty of them, each value shortened to a line."""

    def __init__(self, file: str, problems: Sequence[object]) -> None:
        super().__init__(file, problems)
        self.args = (problems_line(file, self.problems),)


_HIDDEN = {"extra_forbidden", "missing", "too_long"}
"""pydantic errors whose input is not shown: a key labsim does not know (the file may not be labsim's, and its
values may be secret), a missing key and a table or list that is too long (whose input is the whole of it)."""

_TAG = re.compile(r"^[\w-]+\[.*\]$|^(str|int|float|bool|list|dict)$|^\[key\]$")
"""A part of pydantic's error location that names a branch of a type, not a key of the file."""


def schema_problems(error: PydanticError, schema: type[BaseModel] | None = None) -> list[Problem]:
    """pydantic's errors as :class:`Problem` s with dotted paths (shared by the scenario and study readers); the
    branches of a union report one problem. With the ``schema`` validated, an unknown key's problem lists the keys
    its table takes."""
    problems: dict[str, Problem] = {}
    for item in error.errors(include_url=False):
        loc = tuple(p for p in item["loc"] if not (isinstance(p, str) and _TAG.match(p)))
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "is not a key labsim knows (extra inputs are not permitted)"
            keys = _keys_at(schema, loc[:-1]) if schema is not None else None
            if keys:
                message += f"; the keys here are {', '.join(keys)}"
        value = None if item["type"] in _HIDDEN else item.get("input")
        problems.setdefault(_dotted(loc), Problem(_dotted(loc), message[:1].lower() + message[1:], value))
    return list(problems.values())


def _keys_at(schema: type[BaseModel], loc: tuple[int | str, ...]) -> list[str] | None:
    """The keys of the table of ``schema`` at ``loc`` (through sections, tables of sections and lists), or ``None``
    when no model is there."""
    node: Any = schema
    for part in loc:
        node = _unwrapped(node)
        if isinstance(node, type) and issubclass(node, BaseModel):
            field = node.model_fields.get(part) if isinstance(part, str) else None
            node = field.annotation if field is not None else None
        elif get_origin(node) in (dict, list):
            node = get_args(node)[-1]  # a table's value, a list's item
        else:
            return None
    node = _unwrapped(node)
    return list(node.model_fields) if isinstance(node, type) and issubclass(node, BaseModel) else None


def _unwrapped(node: Any) -> Any:
    """``X`` of ``Annotated[X, …]`` and of ``X | None``."""
    while get_origin(node) in (Annotated, Union, UnionType):
        args = [a for a in get_args(node) if a is not type(None)]
        if get_origin(node) is not Annotated and len(args) != 1:
            return None  # a union of several types: no one table
        node = args[0]
    return node


# --- the schema ---------------------------------------------------------------------------------------

MAX_STRATEGIES = 100
"""The most strategies a scenario may compare: a committee weighs a handful; each is built when the file is read
and run in every replication, so the bound is also on what reading and running allocate."""

MAX_EFFORTS = 100
"""The most efforts a strategy may list (the built-ins are fewer than thirty)."""

MAX_MONTHLY_DKK = 1_000_000.0
"""The largest monthly benefit rate a file may write: 1 mio. DKK, fifty times the highest Danish rate
(DOMAIN.md §3); a larger one is a yearly amount or a typo."""



def _period(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    rule = f"a period is 'YYYY', 'YYYYQ1', 'YYYY-MM' or 'YYYY-MM..YYYY-MM', in the years {YEARS[0]}–{YEARS[1]}"
    if not isinstance(value, str) or len(value) > len("2024-01..2024-12") + 2:
        raise ValueError(rule)
    try:
        period = Period.parse(value)
    except LabsimError as error:
        raise ValueError(f"{rule}; {error}") from None
    if not YEARS[0] <= month_year(period.first) <= month_year(period.last) <= YEARS[1]:
        raise ValueError(rule)
    return value


_number = number().validator()
"""A finite number (not a bool), for the schema."""


Month = Annotated[str, BeforeValidator(month_text)]
PeriodText = Annotated[str, BeforeValidator(_period)]
Number = Annotated[float, BeforeValidator(_number)]
Persons = Annotated[Number, Field(ge=0, le=MAX_INHABITANTS)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScenarioSection(_Strict):
    name: str = Field(min_length=1)
    title: str = ""
    description: str = ""
    start: Month
    end: Month
    replications: StrictInt = Field(default=20, ge=1, le=MAX_REPLICATIONS)
    seed: StrictInt = Field(default=0, ge=0, le=MAX_SEED)
    baseline: str = ""
    danish_calendar: StrictBool = True


class PopulationSection(_Strict):
    profile: str | None = None
    file: str | None = None
    inhabitants: StrictInt | None = Field(default=None, ge=1, le=MAX_INHABITANTS)
    levels: dict[str, Persons] = {}
    levels_source: str = ""
    demography: StrictBool = True
    durations: StartDurations = StartDurations.STEADY


class ModelSection(_Strict):
    file: str = "default"
    patches: list[str] = []
    balance: Balance = Balance.AUTO
    rules: dict[str, Any] = {}
    hazards: dict[str, dict[str, Number | list[Number]]] = {}


class RecessionSection(_Strict):
    start: Month
    months: StrictInt = Field(ge=1, le=MAX_RECESSION_MONTHS)  # and at most the run's months (_Builder._macro)
    depth: Annotated[Number, Field(gt=0, le=MAX_HAZARD_RATIO)]


class MacroSection(_Strict):
    start: Month | None = None
    values: list[Annotated[Number, Field(gt=0, le=MAX_HAZARD_RATIO)]] | None = Field(default=None, min_length=1,
                                                                                   max_length=CALENDAR_MONTHS)
    recession: RecessionSection | None = None
    source: str = ""

    @model_validator(mode="after")
    def _one_shape(self) -> MacroSection:
        if (self.recession is None) == (self.values is None) or (self.values is not None) != (self.start is not None):
            raise ValueError("give either start and values, or a recession (start, months, depth)")
        return self


class RateSection(_Strict):
    dkk: Annotated[Number, Field(ge=0, le=MAX_MONTHLY_DKK)]
    year: StrictInt = Field(ge=YEARS[0], le=YEARS[1])
    source: str = ""
    refunded: StrictBool = True


class RatesSection(_Strict):
    indexation: Annotated[Number, Field(gt=-0.5, lt=0.5)] | None = None
    indexation_source: str = ""
    states: dict[str, RateSection] = {}


class EffortEntry(BaseModel):
    """``{ effort = "<built-in name>", <knob> = <value>, … }``: a built-in effort and the knobs the file sets. Here
    only ``effort`` is checked; the knobs are checked by the effort's own entry, :func:`effort_entry`."""

    model_config = ConfigDict(extra="allow", frozen=True)
    effort: str


def effort_entry(spec: type[EffortSpec]) -> type[BaseModel]:
    """The pydantic entry of a built-in effort in a scenario file, generated from its spec: one field per knob with
    the knob's check, ``extra="forbid"``; the same rules as the spec in Python."""
    made = _ENTRIES.get(spec)
    if made is None:
        fields: dict[str, Any] = {"effort": (Literal[spec.name], ...)}
        for name, item in spec.knobs().items():
            fields[name] = (Annotated[Any, BeforeValidator(item.check.validator())], item.default)
        made = _ENTRIES[spec] = create_model(f"{spec.__name__}Entry",
                                             __config__=ConfigDict(extra="forbid", frozen=True), **fields)
    return made


_ENTRIES: dict[type[EffortSpec], type[BaseModel]] = {}
"""The entries made so far, one per built-in."""


class StrategySection(_Strict):
    title: str = ""
    base: str | None = None
    remove: list[str] = []
    efforts: list[EffortEntry] = Field(default=[], max_length=MAX_EFFORTS)


class MeasureFields(_Strict):
    measure: Literal[tuple(MEASURES)]  # type: ignore[valid-type]
    states: list[str] = []
    efforts: list[str] = []
    source: str = ""
    title: str = ""


class TargetSection(MeasureFields):
    comparison: Literal[tuple(COMPARISONS)]  # type: ignore[valid-type]
    threshold: Number
    period: PeriodText
    relative_to: PeriodText | None = None


class ObservedSection(MeasureFields):
    values: dict[PeriodText, Annotated[Number, Field(ge=0)]] = Field(min_length=1)


class AlignmentSection(_Strict):
    states: str = Field(min_length=1)
    age_band: str = ""
    values: dict[Annotated[int, BeforeValidator(lambda year: _year(year))], Annotated[Number, Field(gt=0)]] = Field(
        min_length=1)
    source: str = ""


def _year(value: Any) -> int:
    """A table key ``"2024"`` as the year 2024."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) == 4:
        return int(value)
    raise ValueError(f"a year is written as four digits, e.g. \"2024\"; got {value!r}")


class ScenarioFile(_Strict):
    extends: str | None = None
    scenario: ScenarioSection
    population: PopulationSection = PopulationSection()
    model: ModelSection = ModelSection()
    macro: MacroSection | None = None
    rates: RatesSection = RatesSection()
    jobcenter: JobcenterSection = JobcenterSection()
    strategies: dict[str, StrategySection] = Field(min_length=1, max_length=MAX_STRATEGIES)
    targets: dict[str, TargetSection] = {}
    observed: dict[str, ObservedSection] = {}
    alignment: dict[str, AlignmentSection] = {}


# --- reading --------------------------------------------------------------------------------------------

_PATH_KEYS = (("population", "profile"), ("population", "file"), ("model", "file"))


def _resolve_paths(data: dict[str, Any], base: Path) -> None:
    """Make the file's relative paths absolute, so an inheriting file elsewhere still finds them (``..`` taken
    out, links kept: whether a path leaves the file's tree is judged as it is written)."""
    for section, key in _PATH_KEYS:
        table = data.get(section)
        if isinstance(table, dict) and isinstance(table.get(key), str) and table[key] != "default":
            table[key] = str(absolute(base / table[key]))
    model = data.get("model")
    if isinstance(model, dict) and isinstance(model.get("patches"), list):
        model["patches"] = [str(absolute(base / p)) if isinstance(p, str) else p for p in model["patches"]]
    if isinstance(data.get("extends"), str):
        data["extends"] = str(absolute(base / data["extends"]))


def path_refusal(value: str, tree: FileTree) -> str | None:
    """Why a path a file names may not be read (a NUL character, outside ``tree``), or ``None`` when it may."""
    if not value.strip():
        return "must be the path of a file; got an empty one"
    if "\x00" in value:
        return "contains a NUL character, which no path may hold"
    return tree.refusal(absolute(value))


def _load(path: Path, seen: tuple[Path, ...], tree: FileTree) -> tuple[dict[str, Any], list[str]]:
    """The file's data merged over what it extends, and the texts read (for the scenario hash)."""
    name = str(path)
    if path in seen:
        chain = " → ".join(str(p) for p in (*seen, path))
        raise ScenarioError(name, [Problem("extends", f"scenarios extend each other in a circle: {chain}")])
    text = read_text(path, "scenario file", ValidationError)
    data = parse_toml(text, name, ValidationError)
    _resolve_paths(data, path.parent)
    if "extends" not in data:
        return data, [text]
    parent_data, texts = _load_parent(data["extends"], name, (*seen, path), tree)
    return merge_tables(parent_data, data), [*texts, text]


def _load_parent(parent: Any, name: str, seen: tuple[Path, ...], tree: FileTree) -> tuple[dict[str, Any], list[str]]:
    """What a file ``extends``: the tables of ``parent`` (and of what it extends)."""
    if not isinstance(parent, str):
        raise ScenarioError(name, [Problem("extends", "must be the path of another scenario file", parent)])
    refusal = path_refusal(parent, tree)
    if refusal is not None:
        raise ScenarioError(name, [Problem("extends", refusal, parent)])
    try:
        regular_file(parent, "scenario file", ValidationError)
    except ValidationError as error:  # "PATH: no such scenario file." as a problem of this file's extends
        raise ScenarioError(name, [Problem("extends", str(error).removeprefix(f"{parent}: ").rstrip("."),
                                           parent)]) from None
    try:
        parent_data, texts = _load(Path(parent), seen, tree)
    except ScenarioError:
        raise
    except ValidationError as error:
        raise ScenarioError(name, [Problem("extends", str(error))]) from None
    parent_data.pop("extends", None)
    return parent_data, texts


def read_scenario(path: str | Path, *, allow_outside: bool = False, **overrides: Any) -> Scenario:
    """Read and check a scenario file; raise :class:`ScenarioError` listing every problem.

    The paths the file names (``extends``, the profile, the population, model and patch files) must lie in its
    folder tree — the working folder when the file lies inside it, else the file's own folder — unless
    ``allow_outside``. ``overrides`` replace fields of the resulting
    :class:`~labsim.simulation.scenario.Scenario` (e.g. ``replications=5``).
    """
    file = checked_path(path, "scenario file", ValidationError)
    return scenario_in_tree(file, FileTree.around(file, allow_outside=allow_outside), **overrides)


def scenario_in_tree(path: Path, tree: FileTree, **overrides: Any) -> Scenario:
    """:func:`read_scenario` with the paths the file names kept in ``tree`` (a study's)."""
    data, texts = _load(absolute(path), (), tree)
    return _build(data, str(path), "\n".join(texts), overrides, tree)


def scenario_from_text(text: str, name: str = "<scenario>", base: str | Path = ".", *, allow_outside: bool = False,
                       **overrides: Any) -> Scenario:
    """A scenario from TOML text; relative paths are taken from ``base`` and must lie below it unless
    ``allow_outside``."""
    tree = FileTree.at(checked_path(base, "base folder", ValidationError), allow_outside=allow_outside)
    data = parse_toml(text, name, ValidationError)
    _resolve_paths(data, absolute(base))
    if "extends" in data:
        parent, texts = _load_parent(data["extends"], name, (), tree)
        data = merge_tables(parent, {k: v for k, v in data.items() if k != "extends"})
        text = "\n".join([*texts, text])
    return _build(data, name, text, overrides, tree)


def _unique(schema: list[Problem], found: list[Problem]) -> list[Problem]:
    """Every problem once: the builder's are dropped where a problem already kept is at the same place, inside it
    or around it (``a.b`` and ``a.b[0].c``)."""
    out = list(schema)
    places = {p.path for p in out}  # the paths kept …
    around = {prefix for p in out for prefix in _prefixes(p.path)}  # … and every path they lie inside
    for problem in found:
        if problem.path in around or any(prefix in places for prefix in _prefixes(problem.path)):
            continue
        out.append(problem)
        places.add(problem.path)
        around.update(_prefixes(problem.path))
    return out


def _prefixes(path: str) -> list[str]:
    """``"a.b[0]"`` → ``["a", "a.b", "a.b[0]"]``: the path and every path it lies inside."""
    return [path[:i] for i, char in enumerate(path) if char in ".[" and i] + [path]


def _dotted(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _year_or_none(value: Any) -> int | None:
    try:
        return _year(value)
    except ValueError:
        return None


def _build(data: dict[str, Any], name: str, text: str, overrides: Mapping[str, Any], tree: FileTree) -> Scenario:
    problems: list[Problem] = toml_problems(data)
    spec: ScenarioFile | None = None
    try:
        spec = ScenarioFile.model_validate(data)
    except PydanticError as error:
        problems.extend(schema_problems(error, ScenarioFile))
    problems += _override_problems(overrides)
    schema = list(problems)
    builder = _Builder(data, name, problems, tree)
    try:
        scenario = builder.build(spec, text, dict(overrides))
    except _UNEXPECTED as error:  # a shape no check foresaw: a problem of the file, not a crash
        if not schema:
            problems.append(Problem("", f"cannot be built ({type(error).__name__}: {error})"))
        scenario = None
    if problems or scenario is None:
        raise ScenarioError(name, _unique(schema, problems[len(schema):]))
    return scenario


_OVERRIDE_BOUNDS = {"replications": (1, MAX_REPLICATIONS), "seed": (0, MAX_SEED)}
"""Overrides held to the bounds of the ``[scenario]`` keys of the same name."""


def _override_problems(overrides: Mapping[str, Any]) -> list[Problem]:
    """A problem for each override of ``replications`` or ``seed`` that the file itself could not write."""
    problems = []
    for key, (low, high) in _OVERRIDE_BOUNDS.items():
        value = overrides.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high):
            problems.append(Problem(f"scenario.{key}", f"must be a whole number from {low:,} to {high:,} (an override)",
                                    value))
    return problems


_UNEXPECTED = (TypeError, ValueError, LookupError, AttributeError, ArithmeticError, RecursionError)
"""What building from tables of an unforeseen shape may raise; the builder reports it as a problem."""


class _Builder:
    """Turns the raw (or validated) file into labsim objects, adding a :class:`Problem` for each thing wrong."""

    def __init__(self, data: dict[str, Any], name: str, problems: list[Problem], tree: FileTree) -> None:
        self.data = data
        self.name = name
        self.problems = problems
        self.tree = tree
        self.catalogue: StateCatalogue = danish_catalogue()
        self.levels: dict[str, float] = {}
        self.calibrated_for: list[str] = []  # the municipalities the model's fitted patches were calibrated to
        self.team_efforts: list[TeamReference] = []
        self.intake_efforts: list[TeamReference] = []

    @contextmanager
    def at(self, path: str, value: Any = None) -> Iterator[None]:
        try:
            yield
        except LabsimError as error:
            self.problems.append(Problem(path, str(error), value))
        except _UNEXPECTED as error:
            self.problems.append(Problem(path, f"cannot be used: {error}", value))
        except OSError as error:
            self.problems.append(Problem(path, f"cannot be read ({error.strerror or error})", value))

    def file(self, path: str, value: Any) -> str | None:
        """``value`` when it names a file the scenario may read (no NUL, inside the tree); else a problem."""
        if not isinstance(value, str):
            return None  # the schema reports it
        refusal = path_refusal(value, self.tree)
        if refusal is not None:
            self.problems.append(Problem(path, refusal, value))
            return None
        return value

    def table(self, *keys: str) -> dict[str, Any]:
        value: Any = self.data
        for key in keys:
            value = value.get(key, {}) if isinstance(value, dict) else {}
        return value if isinstance(value, dict) else {}

    def state(self, path: str, state: Any) -> bool:
        if isinstance(state, str) and state in self.catalogue:
            return True
        self.problems.append(Problem(path, f"unknown state; known: {', '.join(self.catalogue.names)}", state))
        return False

    # Each part is built from the raw data defensively, so that a problem in one part does not hide
    # problems in another; parts the schema already rejected are skipped.

    def build(self, spec: ScenarioFile | None, text: str, overrides: dict[str, Any]) -> Scenario | None:
        section = self.table("scenario")
        start = self._month(section.get("start"))
        end = self._month(section.get("end"))
        if start is not None and end is not None and end < start:
            self.problems.append(Problem("scenario.end", "must not be before scenario.start", section.get("end")))
        model = self._model()
        strategies = self._strategies()
        jobcenter = jobcenter_from_table(self.table("jobcenter"), start, end, self.team_efforts, self.problems,
                                         self.state, self.intake_efforts)
        efforts = {e.name for s in strategies.values() for e in s.efforts}
        targets = self._targets(start, end, efforts)
        observed = self._observed(efforts)
        alignment = self._alignment()
        rates = self._rates()
        population, profile = self._population(model.rules.bind(self.catalogue, model.ages)
                                               if model is not None and model.rules is not None else None)
        baseline = section.get("baseline", "")
        if baseline and isinstance(baseline, str) and baseline not in self.table("strategies"):
            self.problems.append(Problem("scenario.baseline", f"must name one of the strategies "
                                         f"{list(self.table('strategies'))}", baseline))
        macro = self._macro(spec, start, end)
        if self.problems or spec is None or model is None or jobcenter is None:
            return None
        keep_demography = spec.population.demography
        fields_ = dict(
            name=spec.scenario.name, title=spec.scenario.title, description=spec.scenario.description,
            model=model, strategies=strategies, baseline=spec.scenario.baseline, profile=profile,
            population=population, start=spec.scenario.start, end=spec.scenario.end, macro=macro,
            danish_calendar=spec.scenario.danish_calendar, jobcenter=jobcenter, targets=targets, observed=observed,
            rates=rates, replications=spec.scenario.replications, seed=spec.scenario.seed, text=text, levels=self.levels,
            durations=spec.population.durations,
            balance=spec.model.balance, calibrated_to=", ".join(dict.fromkeys(self.calibrated_for)), alignment=alignment,
            titles={key: section.title or key for key, section in spec.strategies.items()},
        )
        if profile is not None and not keep_demography:
            fields_["profile"] = replace(profile, demography=None)
        fields_.update(overrides)
        with self.at("scenario"):
            return Scenario(**fields_)
        return None

    def _month(self, value: Any) -> int | None:
        try:
            return file_month(value, "month")
        except LabsimError:
            return None  # the schema reports it

    def _macro(self, spec: ScenarioFile | None, start: int | None, end: int | None) -> MacroPath | None:
        if spec is None or spec.macro is None:
            return None
        shape = spec.macro.recession
        if shape is not None and start is not None and end is not None and shape.months > end - start + 1:
            self.problems.append(Problem("macro.recession.months", f"must be at most the run's {end - start + 1} "
                                         "months", shape.months))
            return None
        with self.at("macro"):
            return (MacroPath.recession(shape.start, shape.months, shape.depth) if shape is not None
                    else MacroPath(str(spec.macro.start), spec.macro.values or ()))
        return None

    def _model_tables(self, path: str, file: str, what: str) -> dict[str, Any] | None:
        """The checked tables of a model file or patch ``file``; ``None`` and a problem at ``path`` if bad."""
        with self.at(path):  # the messages name the file
            text = packaged_text(DEFAULT_MODEL_FILE) if file == "default" else read_text(file, what, ValidationError)
            tables = parse_toml(text, file, ValidationError)
            problems = model_problems(tables)
            if problems:
                raise ModelError(problems_line(file, problems))
            return tables
        return None

    def _model(self) -> Any:
        section = self.table("model")
        before = len(self.problems)
        file = section.get("file", "default")
        if not isinstance(file, str) or (file != "default" and self.file("model.file", file) is None):
            return None
        base = self._model_tables("model.file", file, "model file")
        patches = section.get("patches", [])
        for i, patch in enumerate(patches if isinstance(patches, list) else []):
            if self.file(f"model.patches[{i}]", patch) is not None:
                tables = self._model_tables(f"model.patches[{i}]", patch, "model patch") or {}
                fitted = tables.get("meta", {}).get("calibration", {}) if isinstance(tables.get("meta"), dict) else {}
                if isinstance(fitted, dict) and isinstance(fitted.get("municipality"), str):
                    self.calibrated_for.append(fitted["municipality"])
                base = merge_patch(base or {}, tables)
        inline = {k: section[k] for k in ("rules", "hazards") if isinstance(section.get(k), dict)}
        self.problems += [Problem(f"model.{p.path}", p.message, p.value) for p in model_problems(inline)]
        for origin, row in inline.get("hazards", {}).items():
            self.state(f"model.hazards.{origin}", origin)
            for destination in row if isinstance(row, dict) else ():
                self.state(f"model.hazards.{origin}.{destination}", destination)
        if len(self.problems) > before or base is None:
            return None
        with self.at("model"):
            model = model_from_dict(merge_tables(base, inline), self.catalogue)
            return model if len(self.problems) == before else None
        return None

    def _strategies(self) -> dict[str, Strategy]:
        raw = self.table("strategies")
        built: dict[str, Strategy] = {}
        if len(raw) > MAX_STRATEGIES:
            return built  # the schema reports it
        order = list(raw)

        def make(key: str, chain: tuple[str, ...]) -> Strategy | None:
            if key in built:
                return built[key]
            section = raw.get(key)
            if not isinstance(section, dict):
                return None
            efforts: dict[str, Effort] = {}
            base = section.get("base")
            if isinstance(base, str):
                if base not in raw:
                    self.problems.append(Problem(f"strategies.{key}.base", f"must name another strategy of "
                                                 f"{order}", base))
                elif base == key or base in chain:
                    self.problems.append(Problem(f"strategies.{key}.base", "strategies build on each other in a "
                                                 "circle: " + " → ".join((*chain, key, base)), base))
                else:
                    parent = make(base, (*chain, key))
                    if parent is not None:
                        efforts = {e.name: e for e in parent.efforts}  # type: ignore[misc]
            for i, name in enumerate(section.get("remove", []) if isinstance(section.get("remove"), list) else []):
                if not isinstance(name, str):
                    continue  # the schema reports it
                if name not in efforts:
                    self.problems.append(Problem(f"strategies.{key}.remove[{i}]", "names no effort of the base "
                                                 f"strategy ({', '.join(efforts) or 'none'})", name))
                efforts.pop(name, None)
            entries = section.get("efforts", [])
            for i, entry in enumerate(entries if isinstance(entries, list) and len(entries) <= MAX_EFFORTS else []):
                effort = self._effort(entry, f"strategies.{key}.efforts[{i}]")
                if effort is not None:
                    efforts[effort.name] = effort
            with self.at(f"strategies.{key}"):
                built[key] = Strategy(key, list(efforts.values()))
                return built[key]
            return None

        for key in order:
            make(key, ())
        return built

    def _effort(self, entry: Any, path: str) -> Effort | None:
        if not isinstance(entry, dict) or not isinstance(entry.get("effort"), str):
            return None  # the schema reports it
        name = entry["effort"]
        spec = BUILT_INS.get(name)
        if spec is None:
            self.problems.append(Problem(f"{path}.effort", f"unknown effort; built-in efforts: {', '.join(BUILT_INS)}",
                                         name))
            return None
        knobs = spec.knobs()
        unknown = [key for key in entry if key != "effort" and key not in knobs]
        moved: Mapping[str, str] = getattr(spec, "moved", {})  # former knobs set elsewhere now
        for key in unknown:
            hint = f" (it is set at {moved[key]} now)" if key in moved else ""
            self.problems.append(Problem(f"{path}.{key}", f"is not a knob of {name}{hint}; its knobs are "
                                         f"{', '.join(knobs)}", entry[key]))
        try:
            checked = effort_entry(spec).model_validate({k: v for k, v in entry.items() if k not in unknown})
        except PydanticError as error:
            self.problems += [Problem(f"{path}.{p.path}", p.message, p.value) for p in schema_problems(error)]
            return None
        if unknown:
            return None
        values = {key: getattr(checked, key) for key in checked.model_fields_set if key != "effort"}
        try:
            made = spec(**values)
        except KnobError as error:  # a rule between knobs (stop before start): at the knob the user wrote
            self.problems.append(Problem(f"{path}.{error.knob}", error.rule, error.value))
            return None
        with self.at(path):
            effort = made.build(self.catalogue)
            if effort.capacity.team is not None:  # checked against [jobcenter.teams] by jobcenter_from_table
                self.team_efforts.append((path, effort.capacity.team, "team" in entry))
            if effort.capacity.intake is not None:  # and its intake against [jobcenter.courses]
                self.intake_efforts.append((path, effort.capacity.intake, True))
            return effort
        return None

    def _measure(self, section: dict[str, Any], path: str, efforts: set[str]) -> Measure | None:
        kind = section.get("measure")
        states = section.get("states", [])
        effort_names = section.get("efforts", [])
        if not (isinstance(kind, str) and kind in MEASURES and _texts(states) and _texts(effort_names)):
            return None  # the schema reports it
        with self.at(path):
            measure = Measure(kind, tuple(states), tuple(effort_names))
            for i, state in enumerate(states):
                try:
                    select_states(self.catalogue, state, field="it")
                except UnknownStateError as error:  # the problem's place names the key; the words start at the rule
                    self.problems.append(Problem(f"{path}.states[{i}]", str(error).removeprefix("it "), state))
            for i, effort in enumerate(effort_names):
                if effort not in efforts:
                    self.problems.append(Problem(f"{path}.efforts[{i}]", "names no effort of any strategy "
                                                 f"({', '.join(sorted(efforts)) or 'none'})", effort))
            return measure
        return None

    def _targets(self, start: int | None, end: int | None, efforts: set[str]) -> tuple[Target, ...]:
        out = []
        for key, section in self.table("targets").items():
            if not isinstance(section, dict):
                continue
            path = f"targets.{key}"
            measure = self._measure(section, path, efforts)
            periods: dict[str, Period | None] = {}
            for field_ in ("period", "relative_to"):
                value = section.get(field_)
                if value is None:
                    periods[field_] = None
                    continue
                period = _parsed_period(value)
                if period is None:
                    continue  # the schema reports it
                if start is not None and end is not None and not (start <= period.first and period.last <= end):
                    self.problems.append(Problem(f"{path}.{field_}", "must fall within the run "
                                                 f"({self.table('scenario').get('start')} to "
                                                 f"{self.table('scenario').get('end')})", value))
                periods[field_] = period
            threshold, comparison = section.get("threshold"), section.get("comparison")
            if (measure is None or periods.get("period") is None or not isinstance(comparison, str)
                    or comparison not in COMPARISONS or not _is_number(threshold)):
                continue  # the schema reports it
            with self.at(path):
                out.append(Target(key, measure, comparison, float(threshold), periods["period"],  # type: ignore[arg-type]
                                  periods.get("relative_to"), str(section.get("source", "")),
                                  str(section.get("title", ""))))
        return tuple(out)

    def _observed(self, efforts: set[str]) -> tuple[Observed, ...]:
        out = []
        for key, section in self.table("observed").items():
            if not isinstance(section, dict):
                continue
            path = f"observed.{key}"
            measure = self._measure(section, path, efforts)
            values = section.get("values")
            if measure is None or not isinstance(values, dict):
                continue
            if all(_parsed_period(k) is not None and _is_number(v) and math.isfinite(v) and v >= 0
                   for k, v in values.items()):  # else the schema reports it
                with self.at(path):
                    out.append(Observed(key, measure, {k: float(v) for k, v in values.items()},
                                        str(section.get("source", ""))))
        return tuple(out)

    def _alignment(self) -> tuple[AlignmentTarget, ...]:
        """The ``[alignment.<name>]`` targets (the schema checks their types; the scenario their states, band and
        years, at the key)."""
        out = []
        for key, section in self.table("alignment").items():
            if not isinstance(section, dict) or not isinstance(section.get("values"), dict):
                continue
            values = {_year_or_none(year): value for year, value in section["values"].items()}
            if None in values or not all(_is_number(v) and v > 0 for v in values.values()):
                continue  # the schema reports it
            with self.at(f"alignment.{key}"):
                out.append(AlignmentTarget(key, str(section.get("states", "")), values,  # type: ignore[arg-type]
                                           str(section.get("age_band", "")), str(section.get("source", ""))))
        return tuple(out)

    def _rates(self) -> BenefitRates:
        section = self.table("rates")
        rates = danish_rates()
        changes: dict[str, Rate] = {}
        for state, row in self.table("rates", "states").items():
            if (self.state(f"rates.states.{state}", state) and isinstance(row, dict)
                    and _is_number(row.get("dkk")) and isinstance(row.get("year"), int)):
                with self.at(f"rates.states.{state}"):
                    changes[state] = Rate(float(row["dkk"]), int(row["year"]), str(row.get("source", "")),
                                          bool(row.get("refunded", True)))
        rates = rates.with_rates(**changes)
        raw = section.get("indexation")
        indexation = float(raw) if raw is not None and _is_number(raw) else None
        if indexation is not None and -0.5 < indexation < 0.5:
            with self.at("rates.indexation", indexation):
                rates = BenefitRates(rates.rates, indexation,
                                     str(section.get("indexation_source", "")) or "scenario file")
        return rates

    def _population(self, rules: Rules | None) -> tuple[Population | None, MunicipalityProfile | None]:
        section = self.table("population")
        profile_path, file = section.get("profile"), section.get("file")
        for state in self.table("population", "levels"):
            if state == "employed":
                self.problems.append(Problem("population.levels.employed", "employment takes up the difference "
                                             "and cannot be given a level", self.table("population", "levels")[state]))
            else:
                self.state(f"population.levels.{state}", state)
        if profile_path is not None and file is not None:
            self.problems.append(Problem("population", "give either profile or file, not both", None))
            return None, None
        if isinstance(file, str):
            for key in ("inhabitants", "levels"):
                if key in section:
                    self.problems.append(Problem(f"population.{key}", "applies to a profile, not to a population "
                                                 "file", section[key]))
            if self.file("population.file", file) is None:
                return None, None
            with self.at("population.file", file):
                return read_population(file, self.table("scenario").get("start"), self.catalogue, rules), None
            return None, None
        if profile_path not in (None, "default") and self.file("population.profile", profile_path) is None:
            return None, None
        profile: MunicipalityProfile | None = None
        with self.at("population.profile"):  # the profile's messages name it
            profile = (default_profile() if profile_path in (None, "default")
                       else profile_in_tree(str(profile_path), self.tree))
        if profile is None:
            return None, None
        inhabitants = section.get("inhabitants")
        if isinstance(inhabitants, int) and not isinstance(inhabitants, bool) and 0 < inhabitants <= MAX_INHABITANTS:
            profile = profile.scaled(inhabitants)
        levels = {k: float(v) for k, v in self.table("population", "levels").items()
                  if k in self.catalogue and k != "employed" and _is_number(v) and 0 <= v <= MAX_INHABITANTS}
        if levels:
            with self.at("population.levels"):
                with_levels(profile, levels)  # a level the profile cannot reach is a problem at its key
            self.levels = levels
        return None, profile


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _texts(value: Any) -> bool:
    """Whether ``value`` is a list of strings."""
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _parsed_period(value: Any) -> Period | None:
    """The period ``value`` writes, or ``None`` when it is not one the schema accepts."""
    try:
        return Period.parse(_period(value))
    except (ValueError, LabsimError):
        return None

