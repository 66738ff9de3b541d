"""Calendar months, random streams and errors."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from labsim.calendar import month_label, month_range, month_year, parse_month
from labsim.errors import CalendarError, LabsimError, ValidationError
from labsim.rng import Purpose, RandomStreams, normalise_seed


def test_months_round_trip() -> None:
    assert parse_month("1900-01") == 0
    assert parse_month("2022-01") == 1464
    assert parse_month(date(2041, 12, 31)) == parse_month("2041-12")
    assert month_label(parse_month("2030-07")) == "2030-07"
    assert month_year(parse_month("2035-12")) == 2035


@pytest.mark.parametrize("bad", ["2024-13", "2024-00", "24-01", "2024/01", "", True, 3.5])
def test_bad_month_names_field_and_value(bad: object) -> None:
    with pytest.raises(CalendarError, match=r"scenario\.start must be a month like '2024-01'; got"):
        parse_month(bad, field="scenario.start")  # type: ignore[arg-type]


def test_start_after_end_is_an_error() -> None:
    with pytest.raises(CalendarError, match="start must not be after end.*2030-01.*2029-12"):
        month_range("2030-01", "2029-12")
    assert len(month_range("2022-01", "2041-12")) == 240


def test_errors_are_labsim_and_builtin() -> None:
    assert issubclass(CalendarError, LabsimError) and issubclass(CalendarError, ValueError)


def test_words_depend_only_on_seed_month_purpose_and_id() -> None:
    streams = RandomStreams(42)
    whole = streams.words16(1500, Purpose.STAY, 0, 1000)
    for first, count in [(0, 1), (3, 10), (4, 4), (997, 3), (123, 456)]:
        np.testing.assert_array_equal(streams.words16(1500, Purpose.STAY, first, count), whole[first : first + count])
    assert not np.array_equal(whole, streams.words16(1501, Purpose.STAY, 0, 1000))
    assert not np.array_equal(whole, streams.words16(1500, Purpose.TIE, 0, 1000))
    assert not np.array_equal(whole, RandomStreams(43).words16(1500, Purpose.STAY, 0, 1000))


def test_uniforms_are_per_id_and_uniform() -> None:
    streams = RandomStreams(1)
    key = streams.key(1464, Purpose.DESTINATION)
    ids = np.arange(200_000)
    u = streams.uniforms(key, ids)
    np.testing.assert_array_equal(streams.uniforms(key, ids[::-7]), u[::-7])
    assert 0.0 <= u.min() and u.max() < 1.0
    # Mean and decile counts of 200,000 uniforms: 4 standard errors.
    assert abs(u.mean() - 0.5) < 4 * np.sqrt(1 / 12 / len(u))
    counts = np.histogram(u, bins=10, range=(0, 1))[0]
    assert np.all(np.abs(counts - 20_000) < 4 * np.sqrt(20_000 * 0.9))


def test_seed_is_normalised_once() -> None:
    sequence = np.random.SeedSequence(5)
    assert normalise_seed(sequence) is sequence
    assert normalise_seed(5).entropy == 5
    with pytest.raises(ValidationError, match="seed must be a non-negative integer.*-1"):
        normalise_seed(-1)


def test_sparse_ids_read_the_same_words_as_dense_ones() -> None:
    source = RandomStreams(3).word_source(1500, Purpose.STAY)
    ids = np.array([0, 5, 6, 100, 10_000_000, 10_000_003], dtype=np.int64)
    expected = [source.words(int(i), 1)[0] for i in ids]
    np.testing.assert_array_equal(source.for_ids(ids), expected)
    dense = np.arange(1000, 1100)
    np.testing.assert_array_equal(source.for_ids(dense), source.words(1000, 100))
