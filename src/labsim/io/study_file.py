"""Read a study file (TOML): a scenario file, the strategies, replications and seed, and the parameters to
sweep with their ranges (format: docs/studies.md).

The file is checked in three passes, each listing every problem it finds in one
:class:`~labsim.io.scenario_file.ScenarioError` with its dotted path, the rule and the bad value: the
tables' keys and types (the overrides given to :func:`read_study` with them, as if the file held them);
each parameter's range; then the study itself (strategies, sampling, the first sweep point). The scenario
file's own problems are reported under its own name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt
from pydantic import ValidationError as PydanticError

from labsim.errors import LabsimError, ValidationError
from labsim.experiments import Parameter, Study
from labsim.experiments.parameters import MAX_POINTS, Distribution, Method
from labsim.experiments.study import MAX_REPLICATIONS, MAX_SEED
from labsim.files.input import checked_path
from labsim.io.scenario_file import Problem, ScenarioError, path_refusal, scenario_in_tree, schema_problems
from labsim.io.text import FileTree, absolute, parse_toml, read_text, toml_problems

__all__ = ["read_study"]

_Number = StrictFloat | StrictInt


class _StudySection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scenario: str = Field(min_length=1)
    name: str = ""
    strategies: list[str] | None = None
    replications: StrictInt | None = Field(default=None, ge=1, le=MAX_REPLICATIONS)
    seed: StrictInt | None = Field(default=None, ge=0, le=MAX_SEED)
    method: Method = Method.GRID
    points: StrictInt | None = Field(default=None, ge=1, le=MAX_POINTS)


class _ParameterSection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    low: _Number | None = None
    high: _Number | None = None
    values: list[Any] | None = Field(default=None, min_length=1, max_length=MAX_POINTS)
    distribution: Distribution | None = None
    mode: _Number | None = None
    mean: _Number | None = None
    sd: _Number | None = None
    integer: StrictBool | None = None
    levels: StrictInt | None = Field(default=None, ge=1, le=MAX_POINTS)
    source: str | None = None


class _StudyFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    study: _StudySection
    parameters: dict[str, _ParameterSection] = {}


_OVERRIDES = set(_StudySection.model_fields) - {"scenario"}
"""What :func:`read_study` may override: the fields of ``[study]`` but the scenario."""


def read_study(path: str | Path, *, allow_outside: bool = False, **overrides: Any) -> Study:
    """Read and check a study file; its ``scenario`` path is taken from the study file's folder.

    The scenario, and every file it names, must lie in the study file's folder tree — the working folder when the
    study file lies inside it, else its own folder — unless ``allow_outside``. ``overrides`` replace the
    ``[study]`` table's values (``replications=2``, ``points=8``) and are checked as the file's are. Raises
    :class:`~labsim.io.scenario_file.ScenarioError` listing every problem of the file.
    """
    file = checked_path(path, "study file", ValidationError)
    name = str(path)
    tree = FileTree.around(file, allow_outside=allow_outside)
    data = parse_toml(read_text(file, "study file", ValidationError), name, ValidationError)
    spec = _validated(data, overrides, name)
    parameters: list[Parameter] = []
    problems: list[Problem] = []
    for key, section in spec.parameters.items():
        fields = section.model_dump(exclude_none=True)
        if "values" in fields:
            fields["values"] = tuple(fields["values"])
        try:
            parameters.append(Parameter(path=key, **fields))
        except LabsimError as error:
            problems.append(Problem(f"parameters.{key}", str(error)))
    if problems:
        raise ScenarioError(name, problems)
    scenario_path = absolute(file.parent / spec.study.scenario)
    refusal = path_refusal(spec.study.scenario, FileTree(None)) or tree.refusal(scenario_path)
    if refusal is not None:
        raise ScenarioError(name, [Problem("study.scenario", refusal, spec.study.scenario)])
    try:
        scenario = scenario_in_tree(scenario_path, tree)
    except ScenarioError:
        raise
    except LabsimError as error:
        raise ScenarioError(name, [Problem("study.scenario", str(error))]) from None
    study = spec.study
    try:
        return Study(scenario, parameters=parameters, name=study.name or file.stem, strategies=study.strategies,
                     replications=study.replications, seed=study.seed, method=study.method, points=study.points)
    except ScenarioError:
        raise
    except LabsimError as error:
        raise ScenarioError(name, [Problem("study", str(error))]) from None


def _validated(data: dict[str, Any], overrides: dict[str, Any], name: str) -> _StudyFile:
    """The study file's tables with ``overrides`` put into ``[study]``, checked; :class:`ScenarioError` listing
    every problem (an override is named as the key it replaces)."""
    unknown = sorted(set(overrides) - _OVERRIDES)
    if unknown:
        raise ScenarioError(name, [Problem(f"study.{key}", "cannot be overridden; read_study takes "
                                           f"{', '.join(sorted(_OVERRIDES))}") for key in unknown])
    study = data.get("study")
    merged = {**data, "study": {**study, **overrides}} if isinstance(study, dict) and overrides else data
    problems = toml_problems(merged)  # an override is held to the file's rules
    if problems:
        raise ScenarioError(name, problems)
    try:
        return _StudyFile.model_validate(merged)
    except PydanticError as error:
        raise ScenarioError(name, schema_problems(error)) from None
