"""Read a population file: one row per person, as CSV or Parquet, with the columns of
:meth:`~labsim.core.population.Population.from_frame` (:data:`COLUMNS`).

A population file comes from a register or another system, so anything may be in it. Only a regular file of at
most :data:`~labsim.files.input.DATA_LIMIT` bytes and :data:`MAX_PERSONS` rows is read, and every value is checked
before it is stored: a problem raises :class:`PopulationFileError` naming the file, the column, the line (CSV) or
row (Parquet, counted from 1) and the bad value. A file none of whose columns is a population file's is said to be
no population file, without echoing what it holds.

A CSV file follows the conventions of :func:`labsim.calibration.observed.read_table`: UTF-8 (a byte-order mark is
dropped), columns separated by ``,``, ``;`` or a tab, and with ``;`` (Danish Excel) decimal commas.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import numpy.typing as npt

from labsim.calendar import parse_month
from labsim.calibration.observed import CsvTable, parse_number, read_table
from labsim.core.population import FRAME_COLUMNS, Population
from labsim.core.population_frame import shown, shown_list
from labsim.core.rules import Rules
from labsim.errors import FileProblemsError, LabsimError, PopulationError, ValidationError
from labsim.files.input import DATA_LIMIT, regular_file
from labsim.states import StateCatalogue

__all__ = ["read_population", "PopulationFileError", "COLUMNS", "MAX_PERSONS"]

COLUMNS = FRAME_COLUMNS
"""The columns a population file may have: ``state`` and ``age`` or ``birth_month`` always, the rest if known."""

MAX_PERSONS = 10_000_000
"""The most persons a population file may hold: Denmark's six million with room to spare. A Parquet file's row
count is checked before its rows are read, so that a small, highly compressed file cannot fill memory."""

BATCH_PERSONS = 500_000
"""Persons read and checked at a time: a large file becomes the compact population batch by batch, so that memory
holds that population and one batch, not the whole file as numbers and texts."""

_NOT_FINITE = re.compile(r"[+-]?(inf|infinity|nan)", re.IGNORECASE)
"""What other programs write for a number that is not finite."""

_NUMBERS = ("id", "age", "months_in_state")
"""The columns that hold numbers."""

Batch = tuple[dict[str, npt.NDArray[Any]], Callable[[int], str]]
"""The columns of some persons, and what names the ``i``-th of them in an error (``line 7``, ``row 3``)."""


class PopulationFileError(FileProblemsError, PopulationError):
    """A population file that cannot be read or breaks a rule; the message names the file, the column, the line or
    row and the bad value."""


def read_population(path: str | os.PathLike[str], start: Any, catalogue: StateCatalogue,
                    rules: Rules | None = None) -> Population:
    """The persons of the population file ``path`` (``.csv`` or ``.parquet``), aged at the month ``start``; with
    a model's ``rules``, a person who breaks them at ``start`` is named by the line.

    Raises :class:`PopulationFileError` for anything wrong with the file (see the module)."""
    if not isinstance(start, str):
        raise ValidationError("needs scenario.start to date the persons' ages")
    parse_month(start, field="scenario.start")
    name = str(path)
    if not os.path.lexists(name):
        raise PopulationError(f"no such file: {name}")
    suffix = Path(name).suffix.lower()
    source: tuple[int | None, Iterator[Batch]]
    if suffix == ".csv":
        source = None, _csv_batches(name)
    elif suffix in (".parquet", ".pq"):
        source = _parquet_batches(name)
    else:
        raise PopulationFileError(name, [f"a population file is .csv or .parquet; got {shown(Path(name).name)}"])
    total, batches = source
    persons = _Persons(total, name)
    for columns, rows in batches:
        given = "id" in columns
        if not given:
            columns["id"] = np.arange(persons.count, persons.count + len(columns["state"]), dtype=np.int64)
        try:
            part = Population.from_frame(columns, at=start, catalogue=catalogue, rows=rows,
                                         check=rules.violation if rules is not None else None)
        except LabsimError as error:
            raise PopulationFileError(name, [str(error).removesuffix(".")]) from None
        # checked by from_frame: whole numbers within int32
        persons.add(part, np.asarray(columns["id"]).astype(np.int32) if given else None, rows)
    return persons.population()


class _Persons:
    """The persons of a file's batches joined into one population as they come: into arrays of the file's
    ``total`` persons when it is known (a Parquet file's), so that memory holds the population once, not its batches
    and their join; a column the file lacks stays one value."""

    def __init__(self, total: int | None, name: str) -> None:
        self.total, self.name = total, name
        self.count = 0
        self.first: Population | None = None
        self.arrays: dict[str, npt.NDArray[Any] | list[npt.NDArray[Any]]] = {}
        self.ids_in_file: list[npt.NDArray[np.int32]] = []
        self.places: list[tuple[int, Callable[[int], str]]] = []
        self.ordered = True
        self.last_id = -1

    def add(self, part: Population, ids_in_file: npt.NDArray[np.int32] | None, rows: Callable[[int], str]) -> None:
        """Add a batch (sorted by id); ``ids_in_file`` are its ids in the file's order when the file gives ids."""
        if int(part.ids[0]) <= self.last_id:
            self.ordered = False
        self.last_id = max(self.last_id, int(part.ids[-1]))
        if ids_in_file is not None:
            self.ids_in_file.append(ids_in_file)
        self.places.append((self.count, rows))
        if self.first is None:
            self.first = part  # one batch is the population itself
        else:
            if not self.arrays:
                self._store(self.first, 0)
            self._store(part, self.count)
        self.count += part.n_persons

    def _store(self, part: Population, offset: int) -> None:
        if self.total is not None and offset + part.n_persons > self.total:
            self._miscounted()
        for field, array in part.arrays():
            if array.strides == (0,):  # a column the file lacks: the same value in every batch
                self.arrays.setdefault(field, array[:1])
            elif self.total is None:
                stored = self.arrays.setdefault(field, [])
                assert isinstance(stored, list)
                stored.append(array)
            else:
                if field not in self.arrays:
                    self.arrays[field] = np.empty(self.total, dtype=array.dtype)
                stored = self.arrays[field]
                assert isinstance(stored, np.ndarray)
                stored[offset:offset + len(array)] = array

    def population(self) -> Population:
        """The population of every batch added, sorted by id; a :class:`PopulationFileError` naming the lines (rows)
        of an id given twice in different batches."""
        assert self.first is not None
        if self.total is not None and self.count != self.total:
            self._miscounted()
        if not self.arrays:
            return self.first
        arrays: dict[str, Any] = {}
        for field in list(self.arrays):
            stored = self.arrays.pop(field)
            array = np.concatenate(stored) if isinstance(stored, list) else stored
            arrays[field] = array if len(array) == self.count else np.broadcast_to(array, (self.count,))
        if not self.ordered:
            self._check_ids_once()
            order = np.argsort(arrays["ids"], kind="stable")
            for array in arrays.values():
                if array.strides != (0,):
                    array[:] = array[order]  # one field at a time
        return Population(self.first.catalogue, **arrays)

    def _miscounted(self) -> NoReturn:
        raise PopulationFileError(self.name, [f"is damaged: its footer says {self.total:,} rows, but it holds others"])

    def _check_ids_once(self) -> None:
        ids = np.concatenate(self.ids_in_file)
        by_id = np.argsort(ids, kind="stable")
        twice = np.flatnonzero(ids[by_id][1:] == ids[by_id][:-1])
        if twice.size:
            first, second = int(by_id[twice[0]]), int(by_id[twice[0] + 1])
            raise PopulationFileError(self.name, [f"column 'id' must give each person a different id; "
                                                  f"{self._place(first)} and {self._place(second)} both have "
                                                  f"{int(ids[first])}"])

    def _place(self, position: int) -> str:
        offset, rows = next(place for place in reversed(self.places) if place[0] <= position)
        return rows(position - offset)


def _check_header(header: list[str], name: str, where: str) -> None:
    """Raise :class:`PopulationFileError` when ``header`` is not a population file's; ``where`` says where the
    column names are (``in its first line``)."""
    if not set(header) & set(COLUMNS):
        raise PopulationFileError(name, [f"is not a population file: none of the columns {', '.join(COLUMNS)} is "
                                         f"{where}"])
    problems = []
    twice = [c for c, n in Counter(header).items() if n > 1]
    if twice:
        problems.append(f"columns {shown_list(twice)} appear more than once")
    unknown = [c for c in dict.fromkeys(header) if c not in COLUMNS]
    if unknown:
        problems.append(f"unknown columns {shown_list(unknown)} (the columns are {', '.join(COLUMNS)})")
    if "state" not in header:
        problems.append("has no 'state' column (every person needs a state)")
    if "age" in header and "birth_month" in header:
        problems.append("has both 'age' and 'birth_month'; give one of them")
    elif "age" not in header and "birth_month" not in header:
        problems.append("needs an 'age' or a 'birth_month' column")
    if problems:
        raise PopulationFileError(name, problems)


def _persons(count: int, name: str) -> None:
    if count > MAX_PERSONS:
        raise PopulationFileError(name, [f"holds {count:,} rows; a population file holds at most {MAX_PERSONS:,} "
                                         "persons"])


def _csv_batches(name: str) -> Iterator[Batch]:
    """The persons of a CSV population file in batches, numbers parsed."""
    table = read_table(name, "population file", PopulationFileError, limit=DATA_LIMIT)
    _check_header(table.header, name, "in its first line")
    known: list[dict[str, Any]] = [{} for _ in table.header]  # one copy of each distinct text or number
    numeric = [column in _NUMBERS for column in table.header]
    cells: list[list[Any]] = [[] for _ in table.header]
    lines: list[int] = []
    total = 0
    for number, row in table.rows:
        total += 1
        _persons(total, name)
        lines.append(number)
        for j, cell in enumerate(row):
            text = cell.strip()
            value = known[j].get(text)
            if value is None:
                value = _number(text, table, j, number, name) if numeric[j] else text
                if len(known[j]) < 100_000:  # ids are all different: no use keeping them
                    known[j][text] = value
            cells[j].append(value)
        if len(lines) == BATCH_PERSONS:
            yield _csv_batch(table.header, numeric, cells, lines)
            cells, lines = [[] for _ in table.header], []
    if not total:
        raise PopulationFileError(name, [f"has a header (line {table.header_line}) but no persons"])
    if lines:
        yield _csv_batch(table.header, numeric, cells, lines)


def _csv_batch(header: list[str], numeric: list[bool], cells: list[list[Any]], lines: list[int]) -> Batch:
    at = np.asarray(lines, dtype=np.int64)
    columns = {column: (np.asarray(values, dtype=np.float64 if _floats(values) else np.int64) if numeric[j]
                        else _objects(values)) for j, (column, values) in enumerate(zip(header, cells, strict=True))}
    return columns, lambda i: f"line {at[i]}"


def _number(text: str, table: CsvTable, j: int, line: int, name: str) -> int | float:
    """The number a cell writes (NaN when it is empty: the population names the missing value)."""
    if not text:
        return float("nan")
    value = parse_number(text, decimal_comma=table.decimal_comma)
    column = table.header[j]
    if value is None and _NOT_FINITE.fullmatch(text):
        raise PopulationFileError(name, [f"column {column!r} must be a finite number; line {line} has {shown(text)}"])
    if value is None:
        hint = (" (a decimal comma needs the columns separated by ';')"
                if parse_number(text, decimal_comma=True) is not None else "")
        raise PopulationFileError(name, [f"column {column!r} must be a number; line {line} has {shown(text)}{hint}"])
    if not np.isfinite(value):
        raise PopulationFileError(name, [f"column {column!r} must be a finite number; line {line} has {shown(text)}"])
    return value


def _floats(values: list[Any]) -> bool:
    """Whether a column of parsed numbers needs floats (a fraction or a missing value), not integers."""
    return any(isinstance(value, float) for value in values)


def _objects(values: list[Any]) -> npt.NDArray[np.object_]:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _parquet_batches(name: str) -> tuple[int, Iterator[Batch]]:
    """The number of persons of a Parquet population file, and the persons in batches (the row count and the
    columns' types are checked before any row is read)."""
    file = regular_file(name, "population file", PopulationError, limit=DATA_LIMIT)
    _check_parquet_marks(file, name)
    import pyarrow.parquet as pq  # only when a Parquet file is read

    try:
        parquet = pq.ParquetFile(file)
        schema, count = parquet.schema_arrow, parquet.metadata.num_rows
    except Exception as problem:  # pyarrow raises many kinds for a damaged file
        raise PopulationFileError(name, [f"is not a readable Parquet file ({_one_line(problem)})"]) from None
    index = {str(n) for n in (schema.pandas_metadata or {}).get("index_columns", []) if isinstance(n, str)}
    names = [str(n) for n in schema.names if str(n) not in index]  # pandas may store a frame's index as columns
    _check_header(names, name, "in it")
    _persons(count, name)
    problems = [said for field in schema if field.name in names and (said := _type_problem(field.name, field.type))]
    if problems:
        raise PopulationFileError(name, problems)
    if not count:
        raise PopulationFileError(name, ["holds no persons (it has columns but no rows)"])
    return count, _parquet_rows(parquet, names, name)


def _parquet_rows(parquet: Any, names: list[str], name: str) -> Iterator[Batch]:
    offset = 0
    # one thread: a reading thread's memory arena would count against the bound for as long as the process lives
    batches = parquet.iter_batches(batch_size=BATCH_PERSONS, columns=names, use_threads=False)
    while True:
        try:
            batch = next(batches, None)
            if batch is None:
                return
            columns = {column: _parquet_values(batch.column(j)) for j, column in enumerate(names)}
        except Exception as problem:  # pyarrow raises many kinds for a damaged file
            raise PopulationFileError(name, [f"cannot be read after row {offset:,} ({_one_line(problem)})"]) from None
        yield columns, _rows_from(offset)
        offset += batch.num_rows


def _rows_from(first: int) -> Callable[[int], str]:
    """Names the rows of a batch that starts at row ``first`` (from 0) of the file; rows are counted from 1."""
    return lambda i: f"row {first + i + 1}"


def _check_parquet_marks(file: Path, name: str) -> None:
    """Raise unless the file starts and ends with Parquet's mark (``PAR1``); say so when it is text instead."""
    size = file.stat().st_size
    with open(file, "rb") as handle:
        head = handle.read(4096)
        handle.seek(max(size - 4, 0))
        tail = handle.read(4)
    if size >= 12 and head.startswith(b"PAR1") and tail == b"PAR1":
        return
    try:
        head.decode("utf-8")
        text = b"\x00" not in head
    except UnicodeDecodeError:
        text = False
    raise PopulationFileError(name, ["is not a Parquet file: " + ("it holds text (a CSV file named .parquet?)" if text
                                     else "it lacks the Parquet mark PAR1 at its start and end")])


def _type_problem(column: str, kind: Any) -> str:
    """What is wrong with a Parquet column's type (empty when nothing): one plain value per cell."""
    import pyarrow as pa

    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    if pa.types.is_nested(kind):
        return f"column {column!r} holds {kind} values: a population file holds one value per cell"
    plain = (pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind)
             or pa.types.is_boolean(kind)
             or pa.types.is_null(kind) or _is_text(kind)
             or (column == "birth_month" and (pa.types.is_date(kind) or pa.types.is_timestamp(kind))))
    return "" if plain else f"column {column!r} holds {kind} values; it must hold numbers or texts"


def _parquet_values(chunked: Any) -> npt.NDArray[Any]:
    """A Parquet column (an arrow array) as a numpy array: numbers as numbers (NaN where missing), texts as objects that share one
    copy of each distinct text, dates as dates."""
    import pyarrow as pa

    if isinstance(chunked, pa.ChunkedArray):
        chunked = chunked.combine_chunks()
    kind = chunked.type.value_type if pa.types.is_dictionary(chunked.type) else chunked.type
    if _is_text(kind):
        encoded = chunked
        if not pa.types.is_dictionary(encoded.type):
            encoded = encoded.dictionary_encode()
        words = _objects([*encoded.dictionary.to_pylist(), None])
        indices = encoded.indices.fill_null(len(words) - 1).to_numpy(zero_copy_only=False)
        return words[indices]
    if pa.types.is_date(kind) or pa.types.is_timestamp(kind) or pa.types.is_null(kind):
        return _objects(chunked.to_pylist())
    if pa.types.is_dictionary(chunked.type):
        chunked = chunked.cast(kind)
    if pa.types.is_decimal(kind):
        chunked = chunked.cast(pa.float64(), safe=False)
    return np.asarray(chunked.to_numpy(zero_copy_only=False))


def _is_text(kind: Any) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind))


def _one_line(problem: BaseException) -> str:
    """pyarrow's message on one line, cut to about 200 characters."""
    text = " ".join("".join(c if c.isprintable() else " " for c in str(problem)).split()) or type(problem).__name__
    return text if len(text) <= 200 else f"{text[:200]}…"
