"""The documentation runs as written: every command and Python example of the README and docs/, in order.

A page's blocks run in one scratch folder in which the repository's ``scenarios/``, ``calibration/`` and
``examples/`` are at their relative paths:

* a ```python block runs in one namespace with the page's earlier Python blocks;
* a ```sh block is one command per line (a line ending in ``\\`` goes on), each run by bash and expected to exit 0
  — or, after ``! ``, to fail as a user error does: exit code 2 and one line; ``make`` targets run in the
  repository, where their Makefile is, without reinstalling the environment the suite runs in;
* a block of any language directly after ``<!-- file: PATH -->`` is written to PATH for later blocks;
* ```text blocks (output, formulas) are not run.

The reference page is generated (its ```python blocks are signatures) and checked against the code instead; its
examples are the docstrings', which run as doctests.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import matplotlib
import pytest

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"(?:<!-- file: (?P<file>\S+) -->\n)?^```(?P<lang>\w*)[^\n]*\n(?P<body>.*?)^```", re.S | re.M)
SHARED = ("scenarios", "calibration", "examples")
GENERATED = {"reference.md", "efforts.md"}
# make targets the docs name that this suite cannot run: the suite itself, the benchmarks, and a venv wipe
NOT_RUN = {"make test", "make test-all", "make bench", "make clean", "make lint", "make typecheck"}
PAGES = ["README.md", *sorted(f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md") if p.name not in GENERATED)]
SLOW_PAGES = {"docs/calibration.md", "README.md", "docs/tutorial.md"}
"""Pages that run with ``-m slow`` (make test-all): the calibration page's fits of Brønderslev's series are the ones
``examples/calibrate_broenderslev.py`` runs in the default suite; the README and the tutorial run the command line a
dozen times each, and each command solves its scenario's balance anew (about 100 s a page). This keeps ``make test``
nearer ten minutes on two cores."""


def blocks(page: str) -> list[tuple[str, str, str | None]]:
    """``(language, body, file)`` of each fenced block of ``page``, in order."""
    text = (ROOT / page).read_text(encoding="utf-8")
    return [(m["lang"], m["body"], m["file"]) for m in BLOCK.finditer(text)]


def commands(body: str) -> list[str]:
    """The commands of a ```sh block: one per line, ``\\`` continuing, comments and blank lines dropped."""
    joined = re.sub(r"\\\n\s*", " ", body)
    return [line.strip() for line in joined.splitlines() if line.strip() and not line.strip().startswith("#")]


def test_every_page_with_code_is_checked() -> None:
    assert {"README.md", "docs/tutorial.md", "docs/howto.md", "docs/model.md", "docs/reproducibility.md"} <= set(PAGES)
    for page in PAGES:
        for lang, _, file in blocks(page):
            assert file or lang in {"python", "sh", "text", "toml", "csv"}, f"{page}: a ```{lang} block is never run"


@pytest.mark.parametrize("page", [pytest.param(p, marks=pytest.mark.slow) if p in SLOW_PAGES else p for p in PAGES])
def test_the_page_runs_as_written(page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SHARED:
        (tmp_path / name).symlink_to(ROOT / name)
    monkeypatch.chdir(tmp_path)
    matplotlib.use("Agg")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", "MPLBACKEND": "Agg"}
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    ran = 0
    for lang, body, file in blocks(page):
        if file:
            target = tmp_path / file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body, encoding="utf-8")
        elif lang == "python":
            exec(compile(body, f"{page} (python block)", "exec"), namespace)  # noqa: S102 - our own docs
            ran += 1
        elif lang == "sh":
            for command in commands(body):
                if command.split("#")[0].strip() in NOT_RUN:
                    continue
                where = tmp_path
                if command.startswith("make "):  # in the repository, with the environment this suite runs in
                    where, command = ROOT, command.replace("make ", "make -o .venv/.installed-stamp ", 1)
                done = subprocess.run(["bash", "-c", command.removeprefix("! ")], cwd=where, env=env,
                                      capture_output=True, text=True, timeout=600)
                if command.startswith("! "):  # a mistake the page shows: one line and exit code 2, no traceback
                    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, (page, command,
                                                                                                 done.stderr)
                else:
                    assert done.returncode == 0, f"{page}: `{command}` exited {done.returncode}:\n{done.stderr[-3000:]}"
                ran += 1
    assert ran, f"{page} has nothing to run; leave it out of PAGES if that is right"


def test_the_reference_is_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location("make_reference", ROOT / "docs" / "make_reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    assert page == module.reference_markdown(), "run: python docs/make_reference.py"


def test_the_readme_links_every_page() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in sorted((ROOT / "docs").glob("*.md")):
        assert f"(docs/{page.name}" in readme, f"README.md does not link docs/{page.name}"
