"""Read a study file (TOML): a scenario file, the strategies, replications and seed, and the parameters to
sweep with their ranges (format: docs/studies.md).

The file is checked in three passes, each listing every problem it finds in one
:class:`~labsim.io.scenario_file.ScenarioError` with its dotted path, the rule and the bad value: the
tables' keys and types; each parameter's range; then the study itself (strategies, sampling, the
first sweep point). The scenario file's own problems are reported under its own name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, StrictBool, StrictFloat, StrictInt
from pydantic import ValidationError as PydanticError

from labsim.errors import LabsimError, ValidationError
from labsim.experiments import Parameter, Study
from labsim.io.scenario_file import Problem, ScenarioError, read_scenario, schema_problems
from labsim.io.text import parse_toml, read_text

__all__ = ["read_study"]

_Number = StrictFloat | StrictInt


class _StudySection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scenario: str
    name: str = ""
    strategies: list[str] | None = None
    replications: StrictInt | None = None
    seed: StrictInt | None = None
    method: Literal["grid", "lhs", "sobol"] = "grid"  # labsim.experiments.parameters.METHODS
    points: StrictInt | None = None


class _ParameterSection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    low: _Number | None = None
    high: _Number | None = None
    values: list[Any] | None = None
    distribution: str | None = None  # checked by Parameter, which names the distributions
    mode: _Number | None = None
    mean: _Number | None = None
    sd: _Number | None = None
    integer: StrictBool | None = None
    levels: StrictInt | None = None
    source: str | None = None


class _StudyFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    study: _StudySection
    parameters: dict[str, _ParameterSection] = {}


def read_study(path: str | Path, **overrides: Any) -> Study:
    """Read and check a study file; its ``scenario`` path is taken from the study file's folder.

    ``overrides`` replace the study's fields (``replications=2``, ``points=8``). Raises
    :class:`~labsim.io.scenario_file.ScenarioError` listing every problem of the file.
    """
    file = Path(path)
    name = str(path)
    data = parse_toml(read_text(file, "study file", ValidationError), name, ValidationError)
    problems: list[Problem] = []
    try:
        spec = _StudyFile.model_validate(data)
    except PydanticError as error:
        raise ScenarioError(name, schema_problems(error)) from None
    parameters = []
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
    scenario_path = (file.parent / spec.study.scenario)
    if not scenario_path.is_file():
        raise ScenarioError(name, [Problem("study.scenario", "no such scenario file", str(scenario_path))])
    scenario = read_scenario(scenario_path)
    chosen = {"name": spec.study.name or file.stem, "strategies": spec.study.strategies,
              "replications": spec.study.replications, "seed": spec.study.seed, "method": spec.study.method,
              "points": spec.study.points, **overrides}
    try:
        return Study(scenario, parameters=parameters, **chosen)
    except ScenarioError:
        raise
    except LabsimError as error:
        raise ScenarioError(name, [Problem("study", str(error))]) from None
