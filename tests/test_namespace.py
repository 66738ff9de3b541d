"""The public namespace (STYLE.md §11, §21): lazy, complete, and in step with its imports and docs/reference.md.

``labsim/__init__.py`` loads a public name from its home on first use, so importing labsim or its numeric core costs
numpy at most; its ``if TYPE_CHECKING:`` imports show type checkers the same names from the same homes.
"""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

import labsim

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "simpy", "pydantic", "pyarrow", "tqdm")
SUBPACKAGES = (
    "labsim.states", "labsim.core", "labsim.policy", "labsim.events", "labsim.results", "labsim.simulation",
    "labsim.batch", "labsim.experiments", "labsim.calibration", "labsim.io", "labsim.report", "labsim.plotting",
    "labsim.calendar", "labsim.rng", "labsim.errors", "labsim.testing",
)
DOCUMENTED = re.compile(r"^### `labsim\.([A-Za-z_]\w*)`$", re.M)


def loaded_by(statement: str, modules: tuple[str, ...]) -> list[str]:
    """Which of ``modules`` a fresh interpreter has loaded after running ``statement``."""
    probe = f"import sys; {statement}; print(' '.join(m for m in {modules!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return result.stdout.split()


def type_checking_imports() -> dict[str, str]:
    """``{name: module}`` of the ``from module import name`` lines under ``if TYPE_CHECKING:`` in labsim/__init__."""
    tree = ast.parse(Path(labsim.__file__ or "").read_text(encoding="utf-8"))
    blocks = [node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"]
    assert len(blocks) == 1, "labsim/__init__.py has one `if TYPE_CHECKING:` block of imports"
    homes: dict[str, str] = {}
    for node in blocks[0].body:
        assert isinstance(node, ast.ImportFrom) and node.module, "the block holds `from … import …` lines only"
        for alias in node.names:
            assert alias.asname is None and alias.name not in homes, f"{alias.name} is imported once, as itself"
            homes[alias.name] = node.module
    return homes


# ---------------------------------------------------------------------------------------------- nothing at import


def test_import_labsim_core_loads_no_dataframes_events_or_files() -> None:
    assert loaded_by("import labsim.core", HEAVY) == []


def test_import_labsim_loads_nothing_heavy() -> None:
    assert loaded_by("import labsim; labsim.__version__", (*HEAVY, "scipy", "matplotlib")) == []


def test_a_name_loads_only_its_home() -> None:
    assert loaded_by("from labsim import Population, parse_month, State", HEAVY) == []


# ---------------------------------------------------------------------------------------------- every name


@pytest.mark.parametrize("name", labsim.__all__)
def test_every_public_name_is_importable(name: str) -> None:
    value = getattr(labsim, name)
    namespace: dict[str, object] = {}
    exec(f"from labsim import {name}", namespace)
    assert namespace[name] is value
    assert vars(labsim)[name] is value, "a name once loaded is kept, so later look-ups are plain"


def test_all_lists_each_name_once_and_dir_covers_it() -> None:
    assert len(set(labsim.__all__)) == len(labsim.__all__)
    assert set(labsim.__all__) <= set(dir(labsim))


def test_an_unknown_name_raises_attribute_error_naming_it() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        labsim.no_such_name  # noqa: B018
    with pytest.raises(ImportError, match="no_such_name"):
        exec("from labsim import no_such_name", {})


def test_subpackages_are_reached_from_a_plain_import() -> None:
    assert loaded_by("import labsim; labsim.rng.normalise_seed", ("labsim.rng",)) == ["labsim.rng"]
    assert not set(labsim.__all__) & {name.rpartition(".")[2] for name in SUBPACKAGES}, "a name shadows a module"


def test_type_checkers_see_the_same_names_from_the_same_homes() -> None:
    homes = type_checking_imports()
    assert set(homes) == set(labsim.__all__) - {"__version__"}
    for name, home in homes.items():
        assert getattr(importlib.import_module(home), name) is getattr(labsim, name), f"labsim.{name} is {home}.{name}"


def test_each_name_is_imported_from_the_subpackage_that_exports_it() -> None:
    """One name, one home: where a subpackage re-exports a name, labsim imports it from there, not from inside."""
    for name, home in type_checking_imports().items():
        package = home.rpartition(".")[0]
        while package.count("."):
            exported = getattr(importlib.import_module(package), "__all__", ())
            assert name not in exported, f"labsim.{name} should come from {package}, not {home}"
            package = package.rpartition(".")[0]


# ---------------------------------------------------------------------------------------------- docs and subpackages


def test_every_public_name_is_in_the_reference_and_only_those() -> None:
    documented = DOCUMENTED.findall((ROOT / "docs" / "reference.md").read_text(encoding="utf-8"))
    assert sorted(set(labsim.__all__) - set(documented)) == [], "undocumented: run python docs/make_reference.py"
    assert sorted(set(documented) - set(labsim.__all__)) == [], "the reference documents names labsim lacks"
    for name in documented:
        getattr(labsim, name)


@pytest.mark.parametrize("module", SUBPACKAGES)
def test_each_subpackage_exports_what_its_all_lists(module: str) -> None:
    package = importlib.import_module(module)
    assert len(set(package.__all__)) == len(package.__all__), f"{module}.__all__ lists a name twice"
    missing = [name for name in package.__all__ if not hasattr(package, name)]
    assert missing == [], f"{module}.__all__ lists names it lacks"
