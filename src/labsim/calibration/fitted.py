"""The fitted parameter file: a patch of the model that a scenario applies, carrying where it came from.

The file is TOML. ``[meta.calibration]`` records the labsim version, the method, the observed data (file,
SHA-256 of its contents, municipality), the scenario, strategy and seed, and the fit (loss, convergence,
evaluations, each multiplier with its interval, each series observed vs fitted). ``[hazards.<from>]`` gives
the fitted hazards of every move a multiplier touched, in full (one value per duration band), and ``[[balance]]``
the balance to the start the fit started from where the scenario was balanced (``meta.calibration.balanced``), so
that a scenario built on the same model runs the fitted model with::

    [model]
    patches = ["calibration/broenderslev/fitted_hazards.toml"]

(after any patches the scenario already had when it was fitted; ``meta.calibration.base_patches`` lists them).
The file is written to a temporary name and moved into place, so a failed write leaves nothing half-written.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path
from typing import Any

import numpy as np

from labsim._version import __version__
from labsim.calendar import month_label
from labsim.calibration.calibrators import ExpectedValueCalibrator, SimulatedCalibrator
from labsim.calibration.parameters import apply_multipliers
from labsim.errors import CalibrationError
from labsim.files.output import write_file

__all__ = ["write_fitted", "fitted_text", "FITTED_MARK"]


def fitted_text(calibrator: ExpectedValueCalibrator | SimulatedCalibrator, *, base_patches: list[str] | None = None,
                note: str = "", data_name: str | None = None) -> str:
    """The fitted parameter file's text for a fitted calibrator; ``data_name`` is how the file names the observed
    data (by default the path it was read from, whose contents it hashes)."""
    if not hasattr(calibrator, "params_"):
        raise CalibrationError("the calibrator has not been fitted: call fit(observed, scenario) first.")
    scenario = calibrator.scenario_
    data = calibrator.data_
    data_path = Path(data.file)
    digest = hashlib.sha256(data_path.read_bytes()).hexdigest() if data_path.is_file() else ""
    simulated = isinstance(calibrator, SimulatedCalibrator)
    lines = [
        "# Fitted hazards: a patch of the model, written by labsim.calibration.write_fitted (do not edit by hand).",
        *(f"# {line}" for line in note.splitlines()),
        "",
        "[meta.calibration]",
        f"labsim = {_toml(__version__)}",
        f"method = {_toml('simulated (expected-value fit refined on stochastic runs)' if simulated else 'expected value')}",
        f"data = {_toml(data.file if data_name is None else data_name)}",
        f"data_sha256 = {_toml(digest)}",
        f"municipality = {_toml(calibrator.municipality or ', '.join(data.municipalities()))}",
        f"scenario = {_toml(scenario.name)}",
        f"strategy = {_toml(calibrator.strategy_)}",
        f"months = {_toml(f'{month_label(scenario.start)}..{month_label(scenario.end)}')}",
        f"base_patches = {_toml(base_patches or [])}",
        f"balanced = {_toml(calibrator.balance_ is not None)}",
        f"loss = {_toml(calibrator.loss_)}",
        f"converged = {_toml(calibrator.converged_)}",
        f"evaluations = {calibrator.n_iter_}",
    ]
    if simulated:
        assert isinstance(calibrator, SimulatedCalibrator)
        lines += [f"replications = {calibrator.replications}", f"rounds = {calibrator.rounds_}",
                  f"seed = {scenario.seed if calibrator.seed is None else calibrator.seed}",
                  f"level = {calibrator.level!r}", f"observation_sd = {calibrator.observation_sd!r}"]
    for parameter in calibrator.parameters:
        lines += ["", "[[meta.calibration.parameters]]", f"name = {_toml(parameter.name)}",
                  f"moves = {{ {', '.join(f'{_toml(k)} = {v!r}' for k, v in parameter.moves.items())} }}",
                  f"estimate = {_toml(calibrator.params_[parameter.name])}"]
        if simulated:
            assert isinstance(calibrator, SimulatedCalibrator)
            interval = calibrator.intervals_.set_index("parameter").to_dict("index")[parameter.name]
            lines += [f"{key} = {_toml(float(interval[key]))}" for key in ("low", "high", "se_log")]
        if parameter.source:
            lines.append(f"source = {_toml(parameter.source)}")
    table = calibrator.diagnostics()
    for row in table.to_dict("records"):
        lines += ["", "[[meta.calibration.series]]", f"series = {_toml(row['series'])}",
                  f"observed = {_toml(float(row['observed']))}",
                  f"fitted = {_toml(float(row['simulated' if simulated else 'expected']))}",
                  f"error = {_toml(float(row['error']))}", f"source = {_toml(row['source'])}"]
    lines.append("")
    model = scenario.model
    fitted = apply_multipliers(model, calibrator.parameters, [calibrator.params_[p.name] for p in calibrator.parameters])
    touched = np.zeros(model.hazard.shape[:2], bool)
    for parameter in calibrator.parameters:
        touched |= parameter.powers(model) != 0
    names = model.catalogue.names
    for origin in range(len(names)):
        destinations = np.flatnonzero(touched[origin])
        if not destinations.size:
            continue
        n_bands = len(model.bands.starts[origin])
        lines.append(f"[hazards.{names[origin]}]")
        for destination in destinations:
            values = [float(v) for v in fitted.hazard[origin, destination, :n_bands]]
            lines.append(f"{names[destination]} = {_toml(values[0] if len(set(values)) == 1 else values)}")
        lines.append("")
    if calibrator.balance_ is not None:  # the balance the fit moved: a scenario on this file runs the fitted model
        lines.append(calibrator.balance_.patch_text())
    return "\n".join(lines)


FITTED_MARK = b"written by labsim.calibration.write_fitted"
"""What the header of every fitted parameter file holds: how labsim knows a file it may replace is one of its own."""


def write_fitted(calibrator: ExpectedValueCalibrator | SimulatedCalibrator, path: str | Path, *,
                 base_patches: list[str] | None = None, note: str = "", data_name: str | None = None,
                 overwrite: bool = False) -> Path:
    """Write the fitted parameter file to ``path`` (atomically); returns the path. An existing file is replaced
    only when it is a fitted file labsim wrote, or with ``overwrite`` (:func:`labsim.files.output.write_file`)."""
    text = fitted_text(calibrator, base_patches=base_patches, note=note, data_name=data_name)
    return write_file(path, text, mark=FITTED_MARK, overwrite=overwrite)


def _toml(value: Any) -> str:
    """A value as TOML: booleans, strings, lists, and floats to six significant digits (``nan``, ``inf``)."""
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(float(f"{value:.6g}"))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return repr(value)
