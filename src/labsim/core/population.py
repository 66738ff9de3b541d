"""The population as a structure of small-dtype numpy arrays (DESIGN.md §4)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from labsim.calendar import MonthLike, month_label, parse_month
from labsim.core.attributes import ATTRIBUTES, Education, Origin, Sex
from labsim.core.population_frame import PopulationFrame, more_rows, shown, shown_list
from labsim.errors import PopulationError, UnknownStateError
from labsim.rng import Purpose, SeedLike, normalise_seed
from labsim.states import StateCatalogue, danish_catalogue
from labsim.validation import whole

__all__ = ["Population", "MIN_AGE_YEARS", "MAX_AGE_YEARS", "AGE_BAND_EDGES_YEARS", "FRAME_COLUMNS", "STEP_FIELDS",
           "MUTABLE_FIELDS"]

MIN_AGE_YEARS = 16
"""labsim follows persons from age 16 (jobindsats.dk counts ages 16–66, DOMAIN.md §4)."""

MAX_AGE_YEARS = 110
"""The oldest completed age a person may have: the end of labsim's life table (:mod:`labsim.core.life_table`,
nobody lives past it)."""

FRAME_COLUMNS: tuple[str, ...] = ("id", "state", "age", "birth_month", "sex", "education", "origin",
                                  "months_in_state")
"""The columns :meth:`Population.from_frame` reads."""

AGE_BAND_EDGES_YEARS: dict[str, tuple[int, int]] = {
    "16-24": (16, 25), "25-29": (25, 30), "30-39": (30, 40), "40-49": (40, 50),
    "50-59": (50, 60), "60-66": (60, 67), "67+": (67, 100),
}
"""Age bands :meth:`Population.from_counts` understands, as ``[low, high)`` years."""

_FIELDS: dict[str, type[np.generic]] = {
    "ids": np.int32,
    "birth_month": np.int16,
    "sex": np.int8,
    "education": np.int8,
    "origin": np.int8,
    "state": np.int8,
    "months_in_state": np.int16,
    "history": np.uint64,
    "support_months": np.int8,
    "support_window": np.uint64,
    "requalify_months": np.int8,
    "extension_months": np.int8,
    "flags": np.uint8,
    "months_since_contact": np.int8,
}
MUTABLE_FIELDS = ("state", "months_in_state", "history", "support_months", "support_window", "requalify_months",
                  "extension_months", "education", "flags", "months_since_contact")
"""The arrays a run may write: the step's, the legal rules' (:attr:`labsim.core.rules.Rules.fields`) and the
events layer's (the last two)."""
STEP_FIELDS = ("state", "months_in_state")
"""What the step writes under any model; the rest of :data:`MUTABLE_FIELDS` only under legal rules or events."""


@dataclass(eq=False, slots=True)
class Population:
    """Persons as parallel 1-D arrays, sorted by their stable ``ids``.

    Attributes
    ----------
    catalogue:
        The states that ``state`` codes refer to.
    ids:
        Stable person ids (``int32``), strictly increasing; they key each person's random numbers.
    birth_month:
        Month number of birth (months since 1900-01, ``int16``).
    sex, education, origin:
        Attribute codes (``int8``) of :class:`~labsim.core.attributes.Sex`,
        :class:`~labsim.core.attributes.Education` and :class:`~labsim.core.attributes.Origin`.
    state:
        State code (``int8``) of the month being simulated.
    months_in_state:
        Completed months in the current state (``int16``), 0 in the first month of a spell.
    history:
        Bit windows (``uint64``) of recent months on a-dagpenge and sygedagpenge, kept by the legal
        rules; 0 means no recent months.
    support_months:
        Cumulative months on public support (``int8``, saturating at 127) for the refund bands.
    support_window:
        Bit window (``uint64``) of the months off public support since the refund counter last started (bit 0
        = the latest such month, whose month number is stored from bit 40 up); the counter restarts when the
        window holds enough of them.
    requalify_months:
        Months of ordinary work still needed to earn a used-up a-dagpenge right again, besides a job the
        person holds now (``int8``; 0 means the right is not used up).
    extension_months:
        The month of a sygedagpenge spell (its ``months_in_state``) that is the last of its extension after
        revurdering (``int8``; 0 means no extension, 127 one without a time limit).
    flags:
        Bits the events layer sets each month (contact with a caseworker, a course, waiting for
        the rehabiliteringsteam) and that shape hazards (``uint8``).
    months_since_contact:
        Months since the last meeting with a caseworker (``int8``, saturating at 127).
    next_id:
        The id the next new person gets.
    """

    catalogue: StateCatalogue
    ids: npt.NDArray[np.int32]
    birth_month: npt.NDArray[np.int16]
    sex: npt.NDArray[np.int8]
    education: npt.NDArray[np.int8]
    origin: npt.NDArray[np.int8]
    state: npt.NDArray[np.int8]
    months_in_state: npt.NDArray[np.int16]
    history: npt.NDArray[np.uint64]
    support_months: npt.NDArray[np.int8]
    support_window: npt.NDArray[np.uint64]
    requalify_months: npt.NDArray[np.int8]
    extension_months: npt.NDArray[np.int8]
    flags: npt.NDArray[np.uint8]
    months_since_contact: npt.NDArray[np.int8]
    next_id: int = field(default=-1)

    def __post_init__(self) -> None:
        n = len(self.state)
        for name, dtype in _FIELDS.items():
            array = np.asarray(getattr(self, name))
            if array.ndim != 1 or len(array) != n:
                raise PopulationError(f"Population.{name} must be a 1-D array of {n} persons; got shape {array.shape}.")
            if not np.can_cast(array.dtype, dtype, casting="same_kind") and array.size:
                raise PopulationError(f"Population.{name} must hold {np.dtype(dtype).name} values; got {array.dtype}.")
            if array.dtype != dtype and array.size:
                _check_fits(array, dtype, name)
            if array.strides == (0,) and array.dtype == dtype:
                setattr(self, name, array)  # a constant column costs one value, not one per person
            else:
                setattr(self, name, np.ascontiguousarray(array, dtype=dtype))
        if n > 1 and not bool(np.all(self.ids[1:] > self.ids[:-1])):
            i = int(np.flatnonzero(self.ids[1:] <= self.ids[:-1])[0])
            raise PopulationError("Population.ids must be strictly increasing (each person once, sorted); "
                                  f"id {int(self.ids[i + 1])} follows {int(self.ids[i])} at position {i + 1}.")
        if n and self.ids[0] < 0:
            raise PopulationError(f"Population.ids must be non-negative; got {int(self.ids[0])}.")
        if self.next_id < 0:
            self.next_id = int(self.ids[-1]) + 1 if n else 0
        elif n and self.next_id <= int(self.ids[-1]):
            raise PopulationError(f"Population.next_id must exceed every id; got {self.next_id} ≤ {int(self.ids[-1])}.")
        self._check_codes()

    def _check_codes(self) -> None:
        for name, upper, label in (("state", self.catalogue.n_states, f"state codes of catalogue {self.catalogue.name!r}"),
                                   *((name, len(enum), ", ".join(e.name.lower() for e in enum))
                                     for name, enum in ATTRIBUTES.items())):
            values = getattr(self, name)
            if values.size and (int(values.min()) < 0 or int(values.max()) >= upper):
                i = int(np.flatnonzero((values < 0) | (values >= upper))[0])
                error = UnknownStateError if name == "state" else PopulationError
                raise error(
                    f"Population.{name} codes must lie in 0–{upper - 1} ({label}); person {int(self.ids[i])} has {int(values[i])}."
                )
        for name in ("birth_month", "months_in_state", "support_months", "requalify_months", "extension_months",
                     "months_since_contact"):
            values = getattr(self, name)
            if values.size and int(values.min()) < 0:
                i = int(np.flatnonzero(values < 0)[0])
                raise PopulationError(f"Population.{name} must be non-negative; person {int(self.ids[i])} has {int(values[i])}.")

    # -- basic facts ----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.state)

    @property
    def n_persons(self) -> int:
        """Number of persons."""
        return len(self.state)

    def in_states(self, codes: Sequence[int]) -> npt.NDArray[np.bool_]:
        """Whether each person's state is one of ``codes`` (a few equality passes beat a set look-up)."""
        found = self.state == codes[0]
        for code in codes[1:]:
            found |= self.state == code
        return found

    def positions(self, ids: npt.NDArray[np.integer]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.bool_]]:
        """Positions of persons by id, and whether each is (still) in the population."""
        where = np.searchsorted(self.ids, ids)
        if not self.n_persons:
            return where, np.zeros(len(where), dtype=bool)
        present = (where < self.n_persons) & (self.ids[np.minimum(where, self.n_persons - 1)] == ids)
        return where, present

    @property
    def nbytes(self) -> int:
        """Bytes the person arrays occupy (a constant column of zeros counts one value)."""
        return sum(array.itemsize if array.strides == (0,) else array.nbytes for _, array in self.arrays())

    def arrays(self) -> Iterator[tuple[str, npt.NDArray[Any]]]:
        """``(name, array)`` for every person array."""
        for name in _FIELDS:
            yield name, getattr(self, name)

    def age_months(self, month: MonthLike) -> npt.NDArray[np.int32]:
        """Age in completed months at ``month``."""
        return parse_month(month) - self.birth_month.astype(np.int32)

    def state_counts(self) -> dict[str, int]:
        """Persons per state name (every state of the catalogue, zeros included)."""
        counts = np.bincount(self.state.astype(np.intp), minlength=self.catalogue.n_states)
        return dict(zip(self.catalogue.names, (int(c) for c in counts), strict=True))

    def check_ages(self, month: MonthLike) -> None:
        """Raise :class:`~labsim.errors.PopulationError` if anyone is younger than 16 at ``month``."""
        latest_birth = parse_month(month) - MIN_AGE_YEARS * 12
        if self.n_persons and int(self.birth_month.max()) > latest_birth:
            ages = self.age_months(month)
            i = int(np.flatnonzero(ages < MIN_AGE_YEARS * 12)[0])
            raise PopulationError(
                f"Population.birth_month: persons must be at least {MIN_AGE_YEARS} years old at {month_label(parse_month(month))}; "
                f"person {int(self.ids[i])} is {int(ages[i]) // 12} years (born {month_label(int(self.birth_month[i]))})."
            )

    def copy(self, mutable: tuple[str, ...] = MUTABLE_FIELDS) -> Population:
        """A copy whose ``mutable`` arrays are new; the others are shared, read-only.

        A run copies only what its step writes: state and duration always, the rule counters (and
        education, which a qualification changes) when the model has legal rules.
        """
        unknown = set(mutable) - set(MUTABLE_FIELDS)
        if unknown:
            raise PopulationError(f"Population.copy: only {', '.join(MUTABLE_FIELDS)} can be copied for writing; got {sorted(unknown)}.")
        copy = object.__new__(Population)
        copy.catalogue = self.catalogue
        copy.next_id = self.next_id
        for name, array in self.arrays():
            if name in mutable:
                setattr(copy, name, np.array(array, copy=True))  # materialises a constant column
            else:
                view = array.view()
                view.flags.writeable = False
                setattr(copy, name, view)
        return copy

    def replace_persons(self, leaving: npt.NDArray[np.intp], arrivals: Mapping[str, npt.NDArray[Any]]) -> None:
        """Remove the persons at positions ``leaving`` and append ``arrivals`` (arrays of ``ids``,
        ``state``, ``birth_month``, ``sex``, ``education``, ``origin``; new ids above every id).
        Counters and durations of arrivals start at zero."""
        n_new = len(arrivals["ids"]) if arrivals else 0
        if not len(leaving) and not n_new:
            return
        keep = np.ones(self.n_persons, dtype=bool)
        keep[leaving] = False
        for name, dtype in _FIELDS.items():
            array = getattr(self, name)
            kept = array[keep] if array.strides != (0,) else np.zeros(int(keep.sum()), dtype=dtype)
            if n_new:
                added = np.asarray(arrivals[name], dtype=dtype) if name in arrivals else np.zeros(n_new, dtype=dtype)
                kept = np.concatenate([kept, added])
            setattr(self, name, kept)
        if n_new:
            self.next_id = int(arrivals["ids"][-1]) + 1

    # -- constructors ---------------------------------------------------------------------------

    @classmethod
    def from_arrays(
        cls,
        *,
        state: npt.ArrayLike,
        birth_month: npt.ArrayLike,
        catalogue: StateCatalogue | None = None,
        sex: npt.ArrayLike | None = None,
        education: npt.ArrayLike | None = None,
        origin: npt.ArrayLike | None = None,
        months_in_state: npt.ArrayLike | None = None,
        ids: npt.ArrayLike | None = None,
    ) -> Population:
        """Build from arrays; states may be names or codes, missing attributes default to code 0."""
        catalogue = catalogue or danish_catalogue()
        codes = _state_codes(np.asarray(state), catalogue)
        n = len(codes)

        def column(values: npt.ArrayLike | None, enum: type | None, name: str, dtype: type[np.generic]) -> npt.NDArray[Any]:
            if values is None:
                return _zeros(n, dtype)
            array = np.asarray(values)
            if enum is not None and array.dtype.kind in "OUS":
                return _level_codes(array, enum, name).astype(dtype)
            if array.dtype.kind not in "iu":
                raise PopulationError(f"Population.{name} must hold integer codes or level names; got dtype {array.dtype}.")
            _check_fits(array, dtype, name)
            return array.astype(dtype, copy=False)

        return cls(
            catalogue,
            ids=np.arange(n, dtype=np.int32) if ids is None else np.asarray(ids),
            birth_month=column(birth_month, None, "birth_month", np.int16),
            sex=column(sex, Sex, "sex", np.int8),
            education=column(education, Education, "education", np.int8),
            origin=column(origin, Origin, "origin", np.int8),
            state=codes,
            months_in_state=column(months_in_state, None, "months_in_state", np.int16),
            history=_zeros(n, np.uint64),
            support_months=_zeros(n, np.int8),
            support_window=_zeros(n, np.uint64),
            requalify_months=_zeros(n, np.int8),
            extension_months=_zeros(n, np.int8),
            flags=_zeros(n, np.uint8),
            months_since_contact=_zeros(n, np.int8),
        )

    @classmethod
    def from_frame(cls, frame: Any, *, at: MonthLike, catalogue: StateCatalogue | None = None,
                   rows: Callable[[int], str] | None = None,
                   check: Callable[[Population, int], tuple[int, str] | None] | None = None) -> Population:
        """Build from a data frame with one row per person.

        Columns: ``state`` (name or code) and ``age`` (completed years at ``at``) or ``birth_month``
        (``'YYYY-MM'``); optional ``sex``, ``education``, ``origin`` (level names or codes),
        ``months_in_state`` and ``id``. Any object whose columns give arrays through ``frame[name]``
        works (a pandas or polars frame, a dict of arrays). An ``age`` puts the birth month in the middle
        of that year of age; persons are sorted by ``id``.

        Every value is checked before it is stored, and the first bad one raises
        :class:`~labsim.errors.PopulationError` naming the column, the row and the value: a missing,
        non-numeric or non-finite number, an age outside :data:`MIN_AGE_YEARS`–:data:`MAX_AGE_YEARS`,
        ``months_in_state`` longer than the person's life, an id that is negative, above 2³¹ − 1 or
        given twice, an unknown state or level. ``rows(i)`` names the ``i``-th row in those messages (a
        file reader passes its lines, ``"line 7"``); without it rows are counted from 0 as in ``frame.iloc``.
        ``check(population, at)`` may name a person who breaks a model's rules (as
        :meth:`labsim.core.rules.DanishRules.violation` does); the error then names that person's row.

        >>> import pandas as pd
        >>> frame = pd.DataFrame({"state": ["employed", "a_dagpenge", "sygedagpenge"], "age": [41, 29, 55],
        ...                       "sex": ["female", "male", "female"],
        ...                       "education": ["faglaert", "ufaglaert", "videregaaende"]})
        >>> persons = Population.from_frame(frame, at="2022-01")
        >>> persons.n_persons
        3
        >>> {state: n for state, n in persons.state_counts().items() if n}
        {'employed': 1, 'a_dagpenge': 1, 'sygedagpenge': 1}
        >>> month_label(int(persons.birth_month[0]))  # aged 41 in January 2022
        '1980-07'
        """
        catalogue = catalogue or danish_catalogue()
        start = parse_month(at, field="at")
        columns = PopulationFrame(frame, rows)
        if "state" not in columns.names:
            raise PopulationError(f"{columns.prefix}must have a 'state' column; got columns {shown_list(columns.names)}.")
        if "birth_month" in columns.names:
            source, births = "birth_month", columns.months("birth_month")
            too_old = start - births >= (MAX_AGE_YEARS + 1) * 12
            if too_old.any():
                columns.fail("birth_month", f"be at most {MAX_AGE_YEARS} years before {month_label(start)} (the end "
                             "of the life table)", too_old)
        elif "age" in columns.names:
            source = "age"
            ages = columns.numbers("age", high=MAX_AGE_YEARS, whole=False,
                                   unit=" years (the end of the life table)")
            births = start - np.floor(ages * 12).astype(np.int64) - 6  # mid-year of the completed age
        else:
            raise PopulationError(f"{columns.prefix}needs an 'age' or a 'birth_month' column; got columns "
                                  f"{shown_list(columns.names)}.")
        ids = (columns.numbers("id", high=_ID_LIMIT, whole=True).astype(np.int64) if "id" in columns.names
               else np.arange(columns.length, dtype=np.int64))
        young = start - births < MIN_AGE_YEARS * 12
        if young.any():
            i = int(np.flatnonzero(young)[0])
            raise PopulationError(f"{columns.prefix}column {source!r}: persons must be at least {MIN_AGE_YEARS} years "
                                  f"old at {month_label(start)}; person {int(ids[i])} is "
                                  f"{(start - int(births[i])) // 12} years ({columns.where(i)}).")
        arrays: dict[str, npt.NDArray[Any]] = {
            "ids": ids, "birth_month": births, "state": columns.codes("state", catalogue.names, exact=True, rule=f"name a state of catalogue {catalogue.name!r}")}
        for name, enum in ATTRIBUTES.items():
            if name in columns.names:
                arrays[name] = columns.codes(name, [e.name.lower() for e in enum], exact=False)
        if "months_in_state" in columns.names:
            months = columns.numbers("months_in_state", high=None, whole=True)
            longer = months > start - births
            if longer.any():
                i = int(np.flatnonzero(longer)[0])
                raise PopulationError(f"{columns.prefix}column 'months_in_state' must be at most the person's age in "
                                      f"months; {columns.where(i)} has {shown(months[i])} (the person is "
                                      f"{start - int(births[i])} months old)" + more_rows(int(longer.sum())) + ".")
            arrays["months_in_state"] = months.astype(np.int64)
        order = np.argsort(ids, kind="stable")
        if columns.length > 1 and not bool(np.all(ids[1:] > ids[:-1])):
            twice = np.flatnonzero(ids[order][1:] == ids[order][:-1])
            if twice.size:
                first, second = int(order[twice[0]]), int(order[twice[0] + 1])
                raise PopulationError(f"{columns.prefix}column 'id' must give each person a different id; "
                                      f"{columns.where(first)} and {columns.where(second)} both have {int(ids[first])}.")
            arrays = {name: array[order] for name, array in arrays.items()}
        population = cls.from_arrays(catalogue=catalogue, **arrays)
        found = check(population, start) if check is not None else None
        if found is not None:
            raise PopulationError(f"{columns.prefix}{found[1]} ({columns.where(int(order[found[0]]))}).")
        return population

    @classmethod
    def from_counts(
        cls,
        counts: Mapping[Any, int],
        *,
        at: MonthLike = "2022-01",
        catalogue: StateCatalogue | None = None,
        education_shares: Mapping[str, float] | None = None,
        origin_shares: Mapping[str, float] | None = None,
        seed: SeedLike = 0,
    ) -> Population:
        """Synthesise persons from counts.

        Keys are a state name, ``(state, age_band)`` or ``(state, age_band, sex)``; age bands are
        those of :data:`AGE_BAND_EDGES_YEARS`. Without an age band a person is 16–66; without a sex,
        each is drawn with equal odds. Birth months are drawn uniformly within the band, education
        and origin from the given shares (code 0 when no shares are given).

        >>> pop = Population.from_counts({"employed": 900, "a_dagpenge": 100})
        >>> pop.state_counts()["a_dagpenge"]
        100
        """
        catalogue = catalogue or danish_catalogue()
        start = parse_month(at, field="at")
        sequence = normalise_seed(seed)
        rng = np.random.default_rng(
            np.random.SeedSequence(sequence.entropy, spawn_key=(*sequence.spawn_key, int(Purpose.SYNTHESIS)))
        )
        states: list[npt.NDArray[np.int8]] = []
        births: list[npt.NDArray[np.int32]] = []
        sexes: list[npt.NDArray[np.int8]] = []
        for key, count in counts.items():
            parts = key if isinstance(key, tuple) else (key,)
            if not 1 <= len(parts) <= 3:
                raise PopulationError(f"from_counts: a key must be state, (state, age_band) or (state, age_band, sex); got {key!r}.")
            whole(0)(count, f"from_counts: the count for {key!r}", PopulationError)
            code = catalogue.code(parts[0], field=f"from_counts key {key!r}")
            low, high = _age_band(parts[1] if len(parts) > 1 else "16-66", key)
            age_months = rng.integers(low * 12, high * 12, size=count)
            states.append(np.full(count, code, dtype=np.int8))
            births.append((start - age_months).astype(np.int32))
            if len(parts) == 3:
                sexes.append(np.full(count, _level_codes(np.asarray([parts[2]]), Sex, "sex")[0], dtype=np.int8))
            else:
                sexes.append(rng.integers(0, len(Sex), size=count).astype(np.int8))
        n = sum(len(s) for s in states)
        education = _draw_levels(rng, education_shares, Education, "education_shares", n)
        origin = _draw_levels(rng, origin_shares, Origin, "origin_shares", n)
        return cls.from_arrays(
            state=np.concatenate(states) if states else np.zeros(0, np.int8),
            birth_month=np.concatenate(births) if births else np.zeros(0, np.int32),
            sex=np.concatenate(sexes) if sexes else np.zeros(0, np.int8),
            education=education,
            origin=origin,
            catalogue=catalogue,
        )


_ID_LIMIT = int(np.iinfo(np.int32).max)
"""The largest person id (ids are ``int32``)."""


def _check_fits(array: npt.NDArray[Any], dtype: type[np.generic], name: str) -> None:
    """Raise when an integer array holds values its ``dtype`` cannot (they would wrap around)."""
    if array.dtype.kind not in "iu" or np.dtype(dtype).kind not in "iu":
        return
    info = np.iinfo(np.dtype(dtype))
    outside = (array < info.min) | (array > info.max)
    if outside.any():
        i = int(np.flatnonzero(outside)[0])
        raise PopulationError(f"Population.{name} must fit {np.dtype(dtype).name} ({info.min} to {info.max}); the "
                              f"person at position {i} has {int(array[i])}.")


def _zeros(n: int, dtype: type[np.generic]) -> npt.NDArray[Any]:
    """A read-only column of ``n`` zeros that stores one value."""
    return np.broadcast_to(np.zeros(1, dtype=dtype), (n,))


def _values(frame: Any, name: str) -> npt.NDArray[Any]:
    column = frame[name]
    return np.asarray(column.to_numpy() if hasattr(column, "to_numpy") else column)


def _state_codes(values: npt.NDArray[Any], catalogue: StateCatalogue) -> npt.NDArray[np.int8]:
    if values.dtype.kind in "iu":
        bad = np.flatnonzero((values < 0) | (values >= catalogue.n_states))
        if bad.size:
            raise UnknownStateError(
                f"Population.state: state codes must lie in 0–{catalogue.n_states - 1}; row {int(bad[0])} has {int(values[bad[0]])}."
            )
        return values.astype(np.int8)
    names, inverse = np.unique(values.astype(str), return_inverse=True)
    lookup = np.array([catalogue.code(str(name), field="Population.state") for name in names], dtype=np.int8)
    return lookup[inverse.reshape(-1)] if len(values) else np.zeros(0, np.int8)


def _level_codes(values: npt.NDArray[Any], enum: type, name: str) -> npt.NDArray[np.int8]:
    levels = {member.name.lower(): int(member) for member in enum}  # type: ignore[attr-defined]
    names, inverse = np.unique(values.astype(str), return_inverse=True)
    codes = []
    for level in names:
        if str(level).lower() not in levels:
            raise PopulationError(f"Population.{name} must be one of {', '.join(levels)}; got {str(level)!r}.")
        codes.append(levels[str(level).lower()])
    return np.asarray(codes, dtype=np.int8)[inverse.reshape(-1)] if len(values) else np.zeros(0, np.int8)


def _age_band(label: Any, key: Any) -> tuple[int, int]:
    if label == "16-66":
        return 16, 67
    if label not in AGE_BAND_EDGES_YEARS:
        raise PopulationError(
            f"from_counts: age band of key {key!r} must be one of {', '.join(AGE_BAND_EDGES_YEARS)}; got {label!r}."
        )
    return AGE_BAND_EDGES_YEARS[label]


def _draw_levels(
    rng: np.random.Generator, shares: Mapping[str, float] | None, enum: type, name: str, n: int
) -> npt.NDArray[np.int8]:
    if shares is None:
        return _zeros(n, np.int8)
    levels = [member.name.lower() for member in enum]  # type: ignore[attr-defined]
    unknown = set(shares) - set(levels)
    if unknown:
        raise PopulationError(f"{name} must name levels of {', '.join(levels)}; got {sorted(unknown)}.")
    p = np.array([float(shares.get(level, 0.0)) for level in levels])
    if np.any(p < 0) or not np.isclose(p.sum(), 1.0, atol=1e-9):
        raise PopulationError(f"{name} must be non-negative and sum to 1; got {dict(shares)} (sum {p.sum():.6g}).")
    return rng.choice(len(levels), size=n, p=p).astype(np.int8)
