"""Population files (labsim.io.population_file): what is read, in batches and within bounds, and every bad value
named with its file, column, line or row — never a numpy warning, never a wrapped-around integer."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import labsim
from labsim.errors import PopulationError
from labsim.io import population_file
from labsim.io.population_file import PopulationFileError, read_population
from labsim.states import danish_catalogue

START = "2022-01"
STATES = ["employed", "a_dagpenge", "kontanthjaelp_jobparat", "sygedagpenge", "foertidspension"]


def _read(path: Path) -> labsim.Population:
    return read_population(path, START, danish_catalogue())


def _same(one: labsim.Population, other: labsim.Population) -> None:
    for (name, a), (_, b) in zip(one.arrays(), other.arrays(), strict=True):
        np.testing.assert_array_equal(a, b, err_msg=name)


def test_a_danish_excel_export_is_read_like_a_plain_csv(tmp_path: Path) -> None:
    plain = tmp_path / "plain.csv"
    plain.write_text("id,state,age,sex\n3,employed,40.5,male\n1,a_dagpenge,29,female\n", encoding="utf-8")
    excel = tmp_path / "excel.csv"
    excel.write_bytes("\ufeffid;state;age;sex\r\n3;employed;40,5;male\r\n1;a_dagpenge;29;female\r\n".encode())
    tabs = tmp_path / "tabs.csv"
    tabs.write_text("id\tstate\tage\tsex\n3\temployed\t40.5\tmale\n1\ta_dagpenge\t29\tfemale\n", encoding="utf-8")
    population = _read(plain)
    assert list(population.ids) == [1, 3]  # sorted by id
    _same(population, _read(excel))
    _same(population, _read(tabs))


def test_csv_and_parquet_give_the_same_persons(tmp_path: Path) -> None:
    frame = pd.DataFrame({"id": [5, 2, 9], "state": ["employed", "sygedagpenge", "a_dagpenge"], "age": [40, 50, 30],
                          "months_in_state": [12, 3, 0], "education": ["faglaert", "ufaglaert", "videregaaende"]})
    frame.to_csv(tmp_path / "p.csv", index=False)
    frame.to_parquet(tmp_path / "p.parquet", index=False)
    _same(_read(tmp_path / "p.csv"), _read(tmp_path / "p.parquet"))
    _same(_read(tmp_path / "p.csv"), labsim.Population.from_frame(frame, at=START))


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_large_file_is_read_in_batches_with_ids_across_them(tmp_path: Path, suffix: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(3)
    n = 23
    frame = pd.DataFrame({"id": rng.permutation(1000)[:n], "state": rng.choice(STATES, n),
                          "age": rng.integers(20, 60, n), "sex": rng.choice(["male", "female"], n)})
    path = tmp_path / f"p{suffix}"
    frame.to_csv(path, index=False) if suffix == ".csv" else frame.to_parquet(path, index=False)
    whole = _read(path)
    monkeypatch.setattr(population_file, "BATCH_PERSONS", 5)
    _same(_read(path), whole)
    without_ids = frame.drop(columns="id")
    without_ids.to_csv(path, index=False) if suffix == ".csv" else without_ids.to_parquet(path, index=False)
    assert list(_read(path).ids) == list(range(n))
    twice = frame.assign(id=[*frame["id"][:-1], frame["id"].iloc[2]])  # the last person gets the third's id
    twice.to_csv(path, index=False) if suffix == ".csv" else twice.to_parquet(path, index=False)
    place = ("line 4", f"line {n + 1}") if suffix == ".csv" else ("row 3", f"row {n}")
    with pytest.raises(PopulationFileError, match=f"column 'id' must give each person a different id; {place[0]} and "
                                                  f"{place[1]} both have {frame['id'].iloc[2]}"):
        _read(path)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_more_rows_than_a_population_holds_are_refused(tmp_path: Path, suffix: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    frame = pd.DataFrame({"state": ["employed"] * 50, "age": [40] * 50})
    path = tmp_path / f"p{suffix}"
    frame.to_csv(path, index=False) if suffix == ".csv" else frame.to_parquet(path, index=False)
    monkeypatch.setattr(population_file, "MAX_PERSONS", 49)
    with pytest.raises(PopulationFileError, match="at most 49 persons"):
        _read(path)


BAD = {
    "blank age": ("age", ""), "infinite age": ("age", "inf"), "huge age": ("age", "1e400"), "NaN age": ("age", "nan"),
    "age 1e300": ("age", "1e300"), "age 130": ("age", "130"), "negative age": ("age", "-1"),
    "text age": ("age", "forty"), "months 70000": ("months_in_state", "70000"), "months 1e300": ("months_in_state", "1e300"),
    "id 2**32+1": ("id", str(2**32 + 1)), "id 2**63": ("id", str(2**63)), "id 1e30": ("id", "1e30"),
    "id fraction": ("id", "1.5"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_value_is_named_before_it_is_cast(case: str, tmp_path: Path) -> None:
    column, value = BAD[case]
    path = tmp_path / "population.csv"
    cells = {"id": "7", "state": "employed", "age": "40", "months_in_state": "3"} | {column: value}
    path.write_text("id,state,age,months_in_state\n1,employed,30,2\n" + ",".join(cells.values()) + "\n",
                    encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy RuntimeWarning on the way
        with pytest.raises(PopulationFileError) as caught:
            _read(path)
    message = str(caught.value)
    assert "population.csv" in message and f"column {column!r}" in message and "line 3" in message, message
    assert len(message) < 300


def test_from_frame_checks_values_before_casting_them() -> None:
    def build(**columns: object) -> labsim.Population:
        return labsim.Population.from_frame({"state": ["employed", "employed"], "age": [40, 30], **columns}, at=START)

    with pytest.raises(PopulationError, match="column 'months_in_state' must be at most the person's age in months; "
                                              "row 1 has 70000"):
        build(months_in_state=np.array([1, 70000], dtype=np.int64))
    with pytest.raises(PopulationError, match="column 'id' must be at most 2147483647; row 0 has 4294967297"):
        build(id=np.array([2**32 + 1, 1], dtype=np.int64))
    with pytest.raises(PopulationError, match="column 'id' must be at most 2147483647; row 1 has 3618502788666131"):
        build(id=np.array([1, 2**251], dtype=object))
    with pytest.raises(PopulationError, match="column 'age' must be a number; row 0 has True"):
        build(age=np.array([True, False]))
    with pytest.raises(PopulationError, match="column 'age' must be a finite number; row 1 has inf"):
        build(age=[40.0, float("inf")])
    with pytest.raises(PopulationError, match="column 'age' must be one value per person"):
        build(age=[[40, 1], [30, 2]])
    with pytest.raises(PopulationError, match=r"Population.sex must be one of female, male; got 'xxxxx.*…' "
                                              r"\(10,000 characters\)"):
        build(sex=np.array(["male", "x" * 10_000], dtype=object))
    with pytest.raises(PopulationError, match="column 'id' must give each person a different id; row 0 and row 1"):
        build(id=[4, 4])
    assert list(build(id=[9, 2]).ids) == [2, 9]


def test_an_array_that_does_not_fit_its_dtype_is_refused_not_wrapped() -> None:
    with pytest.raises(PopulationError, match="months_in_state must fit int16"):
        labsim.Population.from_arrays(state=np.array([0]), birth_month=np.array([1000]),
                                      months_in_state=np.array([70000]))
    with pytest.raises(PopulationError, match="ids must fit int32"):
        labsim.Population.from_arrays(state=np.array([0]), birth_month=np.array([1000]), ids=np.array([2**32 + 1]))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(STATES), st.integers(16, 110), st.integers(0, 191)), min_size=1,
                max_size=30, unique_by=lambda person: person),
       st.sampled_from([",", ";", "\t"]))
def test_a_written_population_reads_back_as_from_frame(persons: list[tuple[str, int, int]], separator: str) -> None:
    import tempfile

    frame = pd.DataFrame(persons, columns=["state", "age", "months_in_state"])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "population.csv"
        frame.to_csv(path, index=False, sep=separator)
        _same(_read(path), labsim.Population.from_frame(frame, at=START))
