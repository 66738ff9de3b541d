"""Read a scenario file (TOML) into a :class:`~labsim.simulation.scenario.Scenario` (format: docs/scenarios.md).

The file is checked with pydantic (``extra="forbid"``) and then against the state catalogue, the
built-in efforts and the run's dates. Every problem is collected first; one
:class:`ScenarioError` then lists them all, each with its dotted path, the rule and the bad value.
A scenario can ``extends = "other.toml"`` and override parts: tables merge key by key, anything
else is replaced.
"""

from __future__ import annotations

import copy
import hashlib
import inspect
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt, model_validator
from pydantic import ValidationError as PydanticError

from labsim.calendar import parse_month
from labsim.core.macro import MacroPath
from labsim.core.population import Population
from labsim.core.synthesis import MunicipalityProfile
from labsim.errors import FileProblemsError, LabsimError, ValidationError
from labsim.experiments.parameters import plain_value
from labsim.io.model_file import DEFAULT_MODEL_FILE, model_from_dict
from labsim.io.population_file import read_population
from labsim.io.profile_file import default_profile, read_profile
from labsim.io.text import merge_tables, packaged_text, parse_toml, read_text
from labsim.policy import Effort, Strategy
from labsim.policy.library import BUILT_INS
from labsim.results import BenefitRates, Measure, Observed, Period, Rate, Target, danish_rates
from labsim.results.targets import COMPARISONS, MEASURES
from labsim.simulation.scenario import Scenario, with_levels
from labsim.states import StateCatalogue, danish_catalogue

__all__ = ["read_scenario", "scenario_from_text", "ScenarioError", "Problem", "ScenarioDocument", "schema_problems"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a scenario file: where (dotted path), what rule, and the bad value."""

    path: str
    message: str
    value: Any = None

    def __str__(self) -> str:
        shown = "" if self.value is None or repr(self.value) in self.message else f" (got {self.value!r})"
        return f"{self.path or '<file>'}: {self.message}{shown}"


class ScenarioError(FileProblemsError):
    """A scenario (or study) file breaks one or more rules; :attr:`problems` lists each :class:`Problem`, the
    message all of them."""


def schema_problems(error: PydanticError) -> list[Problem]:
    """pydantic's errors as :class:`Problem` s with dotted paths (shared by the scenario and study readers)."""
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(p for p in item["loc"] if not (isinstance(p, str) and p.startswith(("function-", "literal["))))
        message = item["msg"].removeprefix("Value error, ")
        problems.append(Problem(_dotted(loc), message[:1].lower() + message[1:], item.get("input")))
    return problems


# --- the schema ---------------------------------------------------------------------------------------

def _month(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("a month is written 'YYYY-MM'")
    parse_month(value)
    return value


def _period(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError("a period is 'YYYY', 'YYYY-MM' or 'YYYY-MM..YYYY-MM'")
    Period.parse(value)
    return value


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a number")
    return float(value)


Month = Annotated[str, BeforeValidator(_month)]
PeriodText = Annotated[str, BeforeValidator(_period)]
Number = Annotated[float, BeforeValidator(_number)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScenarioSection(_Strict):
    name: str = Field(min_length=1)
    title: str = ""
    description: str = ""
    start: Month
    end: Month
    replications: StrictInt = Field(default=20, ge=1)
    seed: StrictInt = Field(default=0, ge=0)
    baseline: str = ""
    danish_calendar: StrictBool = True


class PopulationSection(_Strict):
    profile: str | None = None
    file: str | None = None
    inhabitants: StrictInt | None = Field(default=None, ge=1)
    levels: dict[str, Annotated[Number, Field(ge=0)]] = {}
    levels_source: str = ""
    demography: StrictBool = True


class ModelSection(_Strict):
    file: str = "default"
    patches: list[str] = []
    rules: dict[str, Any] = {}
    hazards: dict[str, dict[str, Number | list[Number]]] = {}


class RecessionSection(_Strict):
    start: Month
    months: StrictInt = Field(ge=1)
    depth: Annotated[Number, Field(gt=0)]


class MacroSection(_Strict):
    start: Month | None = None
    values: list[Annotated[Number, Field(gt=0)]] | None = Field(default=None, min_length=1)
    recession: RecessionSection | None = None
    source: str = ""

    @model_validator(mode="after")
    def _one_shape(self) -> MacroSection:
        if (self.recession is None) == (self.values is None) or (self.values is not None) != (self.start is not None):
            raise ValueError("give either start and values, or a recession (start, months, depth)")
        return self


class RateSection(_Strict):
    dkk: Annotated[Number, Field(ge=0)]
    year: StrictInt = Field(ge=1900, le=2200)
    source: str = ""
    refunded: StrictBool = True


class RatesSection(_Strict):
    indexation: Annotated[Number, Field(gt=-0.5, lt=0.5)] | None = None
    indexation_source: str = ""
    states: dict[str, RateSection] = {}


class EffortEntry(BaseModel):
    """``{ effort = "<built-in name>", <keyword> = <value>, … }``: a built-in effort with its keyword arguments."""

    model_config = ConfigDict(extra="allow", frozen=True)
    effort: str


class StrategySection(_Strict):
    title: str = ""
    base: str | None = None
    remove: list[str] = []
    efforts: list[EffortEntry] = []


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
    values: dict[str, Number] = Field(min_length=1)


class ScenarioFile(_Strict):
    extends: str | None = None
    scenario: ScenarioSection
    population: PopulationSection = PopulationSection()
    model: ModelSection = ModelSection()
    macro: MacroSection | None = None
    rates: RatesSection = RatesSection()
    strategies: dict[str, StrategySection] = Field(min_length=1)
    targets: dict[str, TargetSection] = {}
    observed: dict[str, ObservedSection] = {}


# --- reading --------------------------------------------------------------------------------------------

_PATH_KEYS = (("population", "profile"), ("population", "file"), ("model", "file"))


def _resolve_paths(data: dict[str, Any], base: Path) -> None:
    """Make the file's relative paths absolute, so an inheriting file elsewhere still finds them."""
    for section, key in _PATH_KEYS:
        table = data.get(section)
        if isinstance(table, dict) and isinstance(table.get(key), str) and table[key] != "default":
            table[key] = str((base / table[key]).resolve())
    model = data.get("model")
    if isinstance(model, dict) and isinstance(model.get("patches"), list):
        model["patches"] = [str((base / p).resolve()) if isinstance(p, str) else p for p in model["patches"]]
    if isinstance(data.get("extends"), str):
        data["extends"] = str((base / data["extends"]).resolve())


def _load(path: Path, seen: tuple[Path, ...]) -> tuple[dict[str, Any], list[str]]:
    """The file's data merged over what it extends, and the texts read (for the scenario hash)."""
    name = str(path)
    if path in seen:
        chain = " → ".join(str(p) for p in (*seen, path))
        raise ScenarioError(name, [Problem("extends", f"scenarios extend each other in a circle: {chain}")])
    text = read_text(path, "scenario file", ValidationError)
    data = parse_toml(text, name, ValidationError)
    _resolve_paths(data, path.parent)
    parent = data.get("extends")
    if parent is None:
        return data, [text]
    if not isinstance(parent, str):
        raise ScenarioError(name, [Problem("extends", "must be the path of another scenario file", parent)])
    if not Path(parent).is_file():
        raise ScenarioError(name, [Problem("extends", "no such scenario file", parent)])
    parent_data, texts = _load(Path(parent), (*seen, path))
    parent_data.pop("extends", None)
    return merge_tables(parent_data, data), [*texts, text]


def read_scenario(path: str | Path, **overrides: Any) -> Scenario:
    """Read and check a scenario file; raise :class:`ScenarioError` listing every problem.

    ``overrides`` replace fields of the resulting :class:`~labsim.simulation.scenario.Scenario`
    (e.g. ``replications=5``).
    """
    file = Path(path)
    data, texts = _load(file.resolve(), ())
    return ScenarioDocument(data, str(path), "\n".join(texts), overrides).build()


def scenario_from_text(text: str, name: str = "<scenario>", base: str | Path = ".", **overrides: Any) -> Scenario:
    """A scenario from TOML text; relative paths are taken from ``base``."""
    data = parse_toml(text, name, ValidationError)
    _resolve_paths(data, Path(base).resolve())
    if isinstance(data.get("extends"), str):
        if not Path(data["extends"]).is_file():
            raise ScenarioError(name, [Problem("extends", "no such scenario file", data["extends"])])
        parent, texts = _load(Path(data["extends"]), ())
        data = merge_tables(parent, {k: v for k, v in data.items() if k != "extends"})
        text = "\n".join([*texts, text])
    return ScenarioDocument(data, name, text, overrides).build()


@dataclass(frozen=True, eq=False)
class ScenarioDocument:
    """A scenario file's tables — what it extends merged in, relative paths made absolute — which build the
    scenario, and build it again with values changed by dotted path (a study's sweep points).

    Paths walk the tables key by key; in a list, a part is an index or, for efforts, the effort's name
    (``strategies.continue_2041.efforts.hjoerring_caseload.caseworkers``). ``efforts.<effort>.<keyword>``
    sets the keyword in every strategy that lists the effort. The last key may be one the file leaves
    out (``efforts.ips.effect``); the scenario's own checks then judge it.
    """

    data: Mapping[str, Any]
    name: str
    text: str
    overrides: Mapping[str, Any]

    def build(self, data: Mapping[str, Any] | None = None, name: str | None = None) -> Scenario:
        """The scenario of these tables (or of ``data``), with this document as its source."""
        tables = copy.deepcopy(dict(self.data if data is None else data))
        return _build(tables, self.name if name is None else name, self.text, dict(self.overrides), self)

    def fingerprint(self) -> str:
        """A hash of what builds the scenario: the tables, the overrides, and the contents of the files they
        name (profile, population file, model file, patches), so that editing any of them changes it."""
        digest = hashlib.sha256(json.dumps(self.data, sort_keys=True, default=repr).encode("utf-8"))
        digest.update(repr(sorted((k, repr(v)) for k, v in self.overrides.items())).encode("utf-8"))
        named = [self.data.get(section, {}).get(key) for section, key in _PATH_KEYS
                 if isinstance(self.data.get(section), dict)]
        model = self.data.get("model")
        if isinstance(model, dict) and isinstance(model.get("patches"), list):
            named += model["patches"]
        for path in named:
            if isinstance(path, str) and path != "default" and Path(path).is_file():
                digest.update(Path(path).read_bytes())
        return digest.hexdigest()

    def vary(self, values: Mapping[str, Any]) -> Scenario:
        """The scenario built with each dotted path set to its value (see the class); an unknown path or a
        value the file's rules reject raises :class:`~labsim.errors.ValidationError` naming it."""
        data = copy.deepcopy(dict(self.data))
        for path, value in values.items():
            _set_in_tables(data, path, plain_value(value))
        shown = ", ".join(f"{path}={plain_value(value)!r}" for path, value in values.items())
        return self.build(data, f"{self.name} [{shown}]")


def _set_in_tables(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    if parts[0] == "efforts" and "efforts" not in data:
        if len(parts) != 3:
            raise ValidationError(f"sweep path {path!r}: write efforts.<effort>.<keyword>, e.g. efforts.ips.effect.")
        strategies = data.get("strategies", {})
        entries = [entry for section in strategies.values() if isinstance(section, dict)
                   for entry in section.get("efforts", []) if isinstance(entry, dict) and entry.get("effort") == parts[1]]
        if not entries:
            used = sorted({str(entry.get("effort")) for section in strategies.values() if isinstance(section, dict)
                           for entry in section.get("efforts", []) if isinstance(entry, dict)})
            raise ValidationError(f"sweep path {path!r}: no strategy lists the effort {parts[1]!r}; the strategies "
                                  f"list {used}.")
        for entry in entries:
            entry[parts[2]] = value
        return
    node: Any = data
    for depth, part in enumerate(parts):
        where = ".".join(parts[:depth]) or "the scenario"
        last = depth == len(parts) - 1
        if isinstance(node, dict):
            if last:
                node[part] = value
                return
            if part not in node:
                raise ValidationError(f"sweep path {path!r}: {where} has no {part!r}; it has {sorted(node)}.")
            node = node[part]
        elif isinstance(node, list):
            index = _list_index(node, part)
            if index is None:
                raise ValidationError(f"sweep path {path!r}: {part!r} is neither an index of {where} (0 to "
                                      f"{len(node) - 1}) nor the name of one of its efforts.")
            if last:
                node[index] = value
                return
            node = node[index]
        else:
            raise ValidationError(f"sweep path {path!r}: {where} is a value ({node!r}), not a table.")


def _list_index(items: list[Any], part: str) -> int | None:
    if part.isdigit():
        return int(part) if int(part) < len(items) else None
    named = [i for i, item in enumerate(items) if isinstance(item, dict) and item.get("effort") == part]
    return named[0] if named else None


def _unique(schema: list[Problem], found: list[Problem]) -> list[Problem]:
    """Every problem once: the builder's are dropped where the schema already reported the same place."""
    def related(a: str, b: str) -> bool:
        return a == b or a.startswith((b + ".", b + "[")) or b.startswith((a + ".", a + "["))

    out = list(schema)
    for problem in found:
        if not any(related(problem.path, seen.path) for seen in out):
            out.append(problem)
    return out


def _dotted(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _build(data: dict[str, Any], name: str, text: str, overrides: dict[str, Any],
           source: ScenarioDocument) -> Scenario:
    problems: list[Problem] = []
    spec: ScenarioFile | None = None
    try:
        spec = ScenarioFile.model_validate(data)
    except PydanticError as error:
        problems.extend(schema_problems(error))
    schema = list(problems)
    builder = _Builder(data, name, problems)
    scenario = builder.build(spec, text, {"source": source, **overrides})
    if problems:
        raise ScenarioError(name, _unique(schema, problems[len(schema):]))
    assert scenario is not None
    return scenario


class _Builder:
    """Turns the raw (or validated) file into labsim objects, adding a :class:`Problem` for each thing wrong."""

    def __init__(self, data: dict[str, Any], name: str, problems: list[Problem]) -> None:
        self.data = data
        self.name = name
        self.problems = problems
        self.catalogue: StateCatalogue = danish_catalogue()

    @contextmanager
    def at(self, path: str, value: Any = None) -> Iterator[None]:
        try:
            yield
        except LabsimError as error:
            self.problems.append(Problem(path, str(error), value))
        except (TypeError, ValueError, KeyError, AttributeError) as error:
            self.problems.append(Problem(path, f"cannot be used: {error}", value))
        except OSError as error:
            self.problems.append(Problem(path, f"cannot be read ({error.strerror or error})", value))

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
        efforts = {e.name for s in strategies.values() for e in s.efforts}
        targets = self._targets(start, end, efforts)
        observed = self._observed(efforts)
        rates = self._rates()
        population, profile = self._population()
        baseline = section.get("baseline", "")
        if baseline and isinstance(baseline, str) and baseline not in self.table("strategies"):
            self.problems.append(Problem("scenario.baseline", f"must name one of the strategies "
                                         f"{list(self.table('strategies'))}", baseline))
        macro = None
        if spec is not None and spec.macro is not None:
            with self.at("macro"):
                shape = spec.macro.recession
                macro = (MacroPath.recession(shape.start, shape.months, shape.depth) if shape is not None
                         else MacroPath(str(spec.macro.start), spec.macro.values or ()))
        if self.problems or spec is None or model is None:
            return None
        keep_demography = spec.population.demography
        fields_ = dict(
            name=spec.scenario.name, title=spec.scenario.title, description=spec.scenario.description,
            model=model, strategies=strategies, baseline=spec.scenario.baseline, profile=profile,
            population=population, start=spec.scenario.start, end=spec.scenario.end, macro=macro,
            danish_calendar=spec.scenario.danish_calendar, targets=targets, observed=observed, rates=rates,
            replications=spec.scenario.replications, seed=spec.scenario.seed, text=text,
            titles={key: section.title or key for key, section in spec.strategies.items()},
        )
        if profile is not None and not keep_demography:
            fields_["profile"] = replace(profile, demography=None)
        fields_.update(overrides)
        with self.at("scenario"):
            return Scenario(**fields_)
        return None

    def _month(self, value: Any) -> int | None:
        if not isinstance(value, str):
            return None  # the schema reports it
        try:
            return parse_month(value)
        except LabsimError:
            return None  # the schema reports it

    def _model(self) -> Any:
        section = self.table("model")
        file = section.get("file", "default")
        if not isinstance(file, str):
            return None
        with self.at("model.file", file):
            base = parse_toml(packaged_text(DEFAULT_MODEL_FILE) if file == "default"
                              else read_text(file, "model file", ValidationError), file, ValidationError)
            for i, patch in enumerate(section.get("patches", []) if isinstance(section.get("patches"), list) else []):
                if isinstance(patch, str):
                    with self.at(f"model.patches[{i}]", patch):
                        base = merge_tables(base, parse_toml(read_text(patch, "model patch", ValidationError), patch,
                                                       ValidationError))
            inline = {k: section[k] for k in ("rules", "hazards") if isinstance(section.get(k), dict)}
            checked = len(self.problems)
            for origin, row in inline.get("hazards", {}).items():
                self.state(f"model.hazards.{origin}", origin)
                if isinstance(row, dict):
                    for destination in row:
                        self.state(f"model.hazards.{origin}.{destination}", destination)
            if len(self.problems) > checked:
                return None
            base = merge_tables(base, inline)
            before = len(self.problems)
            with self.at("model"):
                model = model_from_dict(base, self.catalogue)
                return model if len(self.problems) == before else None
        return None

    def _strategies(self) -> dict[str, Strategy]:
        raw = self.table("strategies")
        built: dict[str, Strategy] = {}
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
            for i, entry in enumerate(entries if isinstance(entries, list) else []):
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
        factory = BUILT_INS.get(name)
        if factory is None:
            self.problems.append(Problem(f"{path}.effort", f"unknown effort; built-in efforts: {', '.join(BUILT_INS)}",
                                         name))
            return None
        allowed = _keywords(factory)
        kwargs: dict[str, Any] = {}
        for key, value in entry.items():
            if key == "effort":
                continue
            if key not in allowed:
                self.problems.append(Problem(f"{path}.{key}", f"{name} takes no keyword {key!r}; it takes "
                                             f"{', '.join(sorted(allowed))}", value))
                continue
            kwargs[key] = tuple(value) if isinstance(value, list) else value
        before = len(self.problems)
        with self.at(path, None):
            effort = factory(**kwargs)
            return effort if len(self.problems) == before else None
        return None

    def _measure(self, section: dict[str, Any], path: str, efforts: set[str]) -> Measure | None:
        kind = section.get("measure")
        if kind not in MEASURES:
            return None  # the schema reports it
        states = section.get("states", [])
        effort_names = section.get("efforts", [])
        if not isinstance(states, list) or not isinstance(effort_names, list):
            return None
        with self.at(path):
            measure = Measure(kind, tuple(states), tuple(effort_names))
            for i, state in enumerate(states):
                with self.at(f"{path}.states[{i}]", state):
                    Measure("fte", (state,)).state_codes(self.catalogue)
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
                try:
                    period = Period.parse(value)
                except LabsimError:
                    continue  # the schema reports it
                if start is not None and end is not None and not (start <= period.first and period.last <= end):
                    self.problems.append(Problem(f"{path}.{field_}", "must fall within the run "
                                                 f"({self.table('scenario').get('start')} to "
                                                 f"{self.table('scenario').get('end')})", value))
                periods[field_] = period
            threshold, comparison = section.get("threshold"), section.get("comparison")
            if (measure is None or periods.get("period") is None or comparison not in COMPARISONS
                    or not isinstance(threshold, int | float) or isinstance(threshold, bool)):
                continue
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
            good = True
            for period in values:
                try:
                    Period.parse(period)
                except LabsimError as error:
                    good = False
                    self.problems.append(Problem(f"{path}.values.{period}", str(error), period))
            if good and all(isinstance(v, int | float) for v in values.values()):
                out.append(Observed(key, measure, {k: float(v) for k, v in values.items()},
                                    str(section.get("source", ""))))
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

    def _population(self) -> tuple[Population | None, MunicipalityProfile | None]:
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
            with self.at("population.file", file):
                return read_population(file, self.table("scenario").get("start"), self.catalogue), None
            return None, None
        profile: MunicipalityProfile | None = None
        with self.at("population.profile", profile_path):
            profile = default_profile() if profile_path in (None, "default") else read_profile(str(profile_path))
        if profile is None:
            return None, None
        inhabitants = section.get("inhabitants")
        if isinstance(inhabitants, int) and not isinstance(inhabitants, bool) and inhabitants > 0:
            profile = profile.scaled(inhabitants)
        levels = {k: float(v) for k, v in self.table("population", "levels").items()
                  if k in self.catalogue and k != "employed" and isinstance(v, int | float) and not isinstance(v, bool) and v >= 0}
        if levels:
            with self.at("population.levels"):
                profile = with_levels(profile, levels)
        return None, profile


_PLAIN_FIELDS = ("title", "duration_months", "lock_in_months", "after_months")
"""Fields of an effort a scenario file can set beside a built-in's own keywords: those TOML can write."""


def _keywords(factory: Callable[..., Effort]) -> set[str]:
    """What a built-in effort's factory accepts in a scenario file: its own keywords and the plain fields."""
    own = {name for name, p in inspect.signature(factory).parameters.items() if p.kind is p.KEYWORD_ONLY}
    return own | set(_PLAIN_FIELDS)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)

