"""The scripts in examples/ run as a user runs them (with few replications), so they cannot rot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("script", "outputs"), [
    ("baseline_projection.py", []),
    ("compare_hjoerring.py", ["hjoerring.html", "hjoerring_targets.png", "hjoerring/comparison.json"]),
    ("calibrate_broenderslev.py", ["broenderslev_fitted.toml", "broenderslev_fit.png"]),
    ("broenderslev_targets.py", ["broenderslev_targets.png", "broenderslev_kontanthjaelp.png"]),
    ("sweep_sensitivity.py", ["broenderslev_sweep.png"]),
    ("custom_effort.py", []),
    ("caseload_levels.py", ["caseload_levels.png"]),
])
def test_the_example_runs(script: str, outputs: list[str], tmp_path: Path) -> None:
    replications = {"compare_hjoerring.py": "2", "calibrate_broenderslev.py": "6", "caseload_levels.py": "2"}.get(script, "3")
    env = {**os.environ, "LABSIM_EXAMPLE_REPLICATIONS": replications, "LABSIM_EXAMPLE_POINTS": "4",
           "LABSIM_EXAMPLE_OUT": str(tmp_path), "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, str(ROOT / "examples" / script)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    for name in outputs:
        assert (tmp_path / name).exists(), name


NOTEBOOKS = sorted(p.stem for p in (ROOT / "examples").glob("*.ipynb"))
SLOW_NOTEBOOKS = {"calibrate_broenderslev", "caseload_levels", "compare_hjoerring", "sweep_sensitivity"}
"""Notebooks whose script twin runs the same work in the default suite; they run with ``-m slow`` (make test-all),
which keeps ``make test`` near ten minutes on two cores."""


def test_every_topic_has_a_script_and_a_notebook() -> None:
    scripts = {p.stem for p in (ROOT / "examples").glob("*.py")}
    # the first projection is baseline_projection.py (make demo) and first_projection.ipynb
    assert scripts - {"baseline_projection"} == set(NOTEBOOKS) - {"first_projection"}
    assert len(NOTEBOOKS) == 7


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.slow) if n in SLOW_NOTEBOOKS else n
                                  for n in NOTEBOOKS])
def test_the_notebook_runs(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(ROOT / "examples" / f"{name}.ipynb", as_version=4)
    assert not any(cell.get("outputs") for cell in notebook.cells), "commit notebooks without their outputs"
    monkeypatch.setenv("LABSIM_EXAMPLE_REPLICATIONS", "2")
    monkeypatch.setenv("LABSIM_EXAMPLE_POINTS", "2")
    monkeypatch.setenv("LABSIM_EXAMPLE_OUT", str(tmp_path))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "examples")}}).execute()
    errors = [o for cell in notebook.cells for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    images = sum("image/png" in o.get("data", {}) for cell in notebook.cells for o in cell.get("outputs", []))
    assert images >= 1, "each notebook shows at least one figure"
