"""The one set of value checks: each rule's words, what it accepts and returns, and the house-style message."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np
import pytest

from labsim.errors import ModelError, ValidationError
from labsim.validation import (
    Check,
    below,
    month,
    multiplier,
    number,
    one_of,
    optional,
    probability,
    texts,
    whole,
    yes_no,
)

CASES: list[tuple[Check, list[Any], list[Any]]] = [
    (whole(0, 10), [0, 10, np.int64(3)], [-1, 11, 2.0, True, "3", None, math.nan]),
    (whole(1), [1, 10**9], [0, 1.5]),
    (number(0, 5), [0, 5, 2.5, 3, np.float64(1.0)], [-0.1, 5.1, math.inf, math.nan, True, "1"]),
    (number(0, above=True), [1e-9, 7], [0, -1]),
    (multiplier(), [0, 1, 100, 1.6], [-1, 100.5, math.inf, None, False]),
    (probability(), [0, 1, 0.5], [-0.01, 1.01, True]),
    (probability(positive=True), [1, 0.01], [0]),
    (one_of(("grid", "lhs")), ["grid", "lhs"], ["Grid", 1, None]),
    (texts(("a", "b"), at_least=1), [["a"], ("a", "b")], [[], "a", ["c"], [1]]),
    (month(), ["2024-01", date(2024, 1, 1), 1488], ["2024-13", "1899-12", "2201-01", True, 2024.0]),
    (optional(whole(1)), [None, 3], [0]),
    (yes_no(), [True, False], [0, 1, "true", None]),
    (below(number(0, above=True), 10, "below 10"), [0.5, 9.99], [0, 10, 11]),
]


@pytest.mark.parametrize(("check", "good", "bad"), CASES, ids=[c.rule for c, _, _ in CASES])
def test_a_check_accepts_its_values_and_names_the_rule_for_others(check: Check, good: list[Any],
                                                                  bad: list[Any]) -> None:
    for value in good:
        assert check.problem(value) is None, value
        check(value, "x")
    for value in bad:
        assert check.problem(value) == f"must be {check.rule}", value
        with pytest.raises(ValidationError) as caught:
            check(value, "effort 'ips'.knob")
        assert str(caught.value) == f"effort 'ips'.knob must be {check.rule}; got {value!r}."


def test_a_check_returns_the_value_in_its_own_type_and_raises_the_error_asked_for() -> None:
    assert whole()(np.int64(4), "n") == 4 and type(whole()(np.int64(4), "n")) is int
    assert number()(3, "n") == 3.0 and isinstance(number()(3, "n"), float)
    assert month()("2024-02", "m") == 1489 and month(label=True)(date(2024, 2, 1), "m") == "2024-02"
    assert texts()(["a", "b"], "t") == ("a", "b")
    with pytest.raises(ModelError, match=r"^m must be a month like '2024-01', from 1900 to 2200; got '2024-00'\.$"):
        month()("2024-00", "m", ModelError)


def test_a_check_as_a_file_validator_gives_the_bare_rule() -> None:
    validate = multiplier().validator()
    assert validate(1.5) == 1.5
    with pytest.raises(ValueError, match=r"^must be a multiplier from 0 to 100$"):
        validate(-1)


def test_the_words_of_each_rule() -> None:
    assert whole(0, 3_612).rule == "a whole number from 0 to 3,612"
    assert number(0, 1e7, above=True).rule == "a number in (0, 10,000,000]"
    assert number().rule == "a number" and whole(None).rule == "a whole number"
    assert optional(whole(1)).rule == "a whole number ≥ 1, or none"
