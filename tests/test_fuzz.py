"""A Hypothesis fuzz of the readers: the shipped scenario, profile, study and observed-series files with keys, values
and types mutated, and their raw text mutated, raise nothing but :class:`~labsim.errors.LabsimError`.

``make test`` tries a few dozen examples of each (derandomized: the same examples every run); the ``slow`` run
(``make test-all``) tries 5,000 of each, 20,000 in all.
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labsim.calibration import ObservedSeries
from labsim.errors import LabsimError
from labsim.io.profile_file import read_profile
from labsim.io.scenario_file import scenario_from_text
from labsim.io.study_file import read_study

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "broenderslev_2021.toml"
PROFILE = ROOT / "scenarios" / "profiles" / "hjoerring.toml"
STUDY = ROOT / "scenarios" / "studies" / "broenderslev_effects.toml"
SERIES = ROOT / "calibration" / "data" / "broenderslev_2021.csv"

FEW = settings(max_examples=60, deadline=None, derandomize=True, database=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
MANY = settings(FEW, max_examples=5000)


# --- values and mutations -------------------------------------------------------------------------------------

SCALARS = st.one_of(
    st.booleans(), st.integers(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0, -1, 1e308, 1e-308, 2**63 - 1, 2**63]),
    st.text(max_size=20), st.sampled_from(["", "2022-01", "2022-13", "default", "employed", "fte", "<", "../x.toml",
                                           "/dev/zero", "kontanthjaelp_jobparat", "ips", "\x00", "æøå"]),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                      max_leaves=8)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a TOML document: its keys and list indices."""
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*prefix, index))
    return found


@st.composite
def mutated(draw: st.DrawFn, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with one to three places replaced, deleted, renamed or added to."""
    document: Any = json.loads(json.dumps(data))
    for _ in range(draw(st.integers(1, 3))):
        places = [p for p in _paths(document) if p]
        if not places:
            break
        place = draw(st.sampled_from(places))
        *head, last = place
        parent = document
        for part in head:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "rename", "add"]))
        if action == "replace":
            parent[last] = draw(VALUES)
        elif action == "delete":
            del parent[last]
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(st.text(max_size=12))] = parent.pop(last)
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=12))] = draw(VALUES)
        else:
            parent.append(draw(VALUES))
    return document  # type: ignore[no-any-return]


def _text_mutations(text: str) -> st.SearchStrategy[str]:
    """``text`` with a slice deleted, duplicated or replaced by other text (or bytes read as Latin-1)."""
    @st.composite
    def mutate(draw: st.DrawFn) -> str:
        out = text
        for _ in range(draw(st.integers(1, 3))):
            start = draw(st.integers(0, len(out)))
            end = draw(st.integers(start, min(len(out), start + 40)))
            action = draw(st.sampled_from(["delete", "duplicate", "replace"]))
            if action == "delete":
                out = out[:start] + out[end:]
            elif action == "duplicate":
                out = out[:end] + out[start:end] + out[end:]
            else:
                out = out[:start] + draw(st.one_of(st.text(max_size=10), st.sampled_from(
                    ["[", "]", "=", '"', "\n", "{", ",", ";", "inf", "nan", "-", "1e400", "\ufeff", "\x00"]))) + out[end:]
        return out
    return mutate()


# --- TOML out -------------------------------------------------------------------------------------------------

def _key(key: str) -> str:
    return json.dumps(key, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + "}"


def toml_text(data: dict[str, Any], prefix: tuple[str, ...] = ()) -> str:
    """``data`` as TOML: plain values first, then each table under its header."""
    lines = [f"{_key(k)} = {_value(v)}" for k, v in data.items() if not isinstance(v, dict)]
    for key, value in data.items():
        if isinstance(value, dict):
            lines += ["", "[" + ".".join(_key(p) for p in (*prefix, key)) + "]", toml_text(value, (*prefix, key))]
    return "\n".join(lines)


def test_the_toml_writer_writes_what_tomllib_reads() -> None:
    data = tomllib.loads(SCENARIO.read_text(encoding="utf-8"))
    assert tomllib.loads(toml_text(data)) == data


# --- the readers ----------------------------------------------------------------------------------------------

def _only_labsim_errors(read: Callable[[], object]) -> None:
    try:
        read()
    except LabsimError:
        pass


def _scenario(text: str) -> None:
    _only_labsim_errors(lambda: scenario_from_text(text, "fuzzed.toml", base=SCENARIO.parent, allow_outside=True))


def _in_file(folder: Path, name: str, text: str, read: Callable[[Path], object]) -> None:
    path = folder / name
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _only_labsim_errors(lambda: read(path))


def _study_text(data_or_text: dict[str, Any] | str) -> str:
    text = data_or_text if isinstance(data_or_text, str) else toml_text(data_or_text)
    return text.replace("../broenderslev_2021.toml", str(SCENARIO))


def _series_text(rows: list[list[str]]) -> str:
    return "\n".join(",".join(row) for row in rows)


SCENARIO_DATA = tomllib.loads(SCENARIO.read_text(encoding="utf-8"))
PROFILE_DATA = tomllib.loads(PROFILE.read_text(encoding="utf-8"))
STUDY_DATA = tomllib.loads(STUDY.read_text(encoding="utf-8"))
SERIES_ROWS = [line.split(",") for line in SERIES.read_text(encoding="utf-8").splitlines()
               if line and not line.startswith("#")][:12]

CELLS = st.one_of(st.text(max_size=12), st.sampled_from(["", "inf", "-1", "nan", "1e400", "1,5", "2022-13", "2022",
                                                          "fte", "level", "persons", '"', "\ufeff"]))


@st.composite
def mutated_rows(draw: st.DrawFn) -> list[list[str]]:
    rows = [list(row) for row in SERIES_ROWS]
    for _ in range(draw(st.integers(1, 4))):
        row = draw(st.integers(0, len(rows) - 1))
        action = draw(st.sampled_from(["cell", "drop_row", "drop_cell", "add_cell"]))
        if action == "cell" and rows[row]:
            rows[row][draw(st.integers(0, len(rows[row]) - 1))] = draw(CELLS)
        elif action == "drop_row" and len(rows) > 1:
            del rows[row]
        elif action == "drop_cell" and rows[row]:
            del rows[row][draw(st.integers(0, len(rows[row]) - 1))]
        else:
            rows[row].append(draw(CELLS))
    return rows


def _fuzz_cases(examples: settings) -> list[Callable[..., None]]:
    """The fuzz tests under ``examples`` (a few in ``make test``, many in the slow run)."""
    @examples
    @given(st.one_of(mutated(SCENARIO_DATA).map(toml_text), _text_mutations(SCENARIO.read_text(encoding="utf-8"))))
    def scenario(text: str) -> None:
        _scenario(text)

    @examples
    @given(st.one_of(mutated(PROFILE_DATA).map(toml_text), _text_mutations(PROFILE.read_text(encoding="utf-8"))))
    def profile(tmp_path: Path, text: str) -> None:
        _in_file(tmp_path, "profile.toml", text, read_profile)

    @examples
    @given(st.one_of(mutated(STUDY_DATA).map(_study_text),
                     _text_mutations(STUDY.read_text(encoding="utf-8")).map(_study_text)))
    def study(tmp_path: Path, text: str) -> None:
        _in_file(tmp_path, "study.toml", text, lambda path: read_study(path, allow_outside=True))

    @examples
    @given(st.one_of(mutated_rows().map(_series_text), _text_mutations(_series_text(SERIES_ROWS))))
    def series(tmp_path: Path, text: str) -> None:
        _in_file(tmp_path, "series.csv", text, ObservedSeries.read_csv)

    return [scenario, profile, study, series]


test_fuzz_scenario, test_fuzz_profile, test_fuzz_study, test_fuzz_series = _fuzz_cases(FEW)
(test_fuzz_many_scenarios, test_fuzz_many_profiles, test_fuzz_many_studies,
 test_fuzz_many_series) = (pytest.mark.slow(case) for case in _fuzz_cases(MANY))
