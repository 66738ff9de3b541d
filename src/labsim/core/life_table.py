"""Mortality by sex and age: a period life table of one-year death probabilities."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from labsim.errors import ModelError

__all__ = ["LifeTable", "gompertz_makeham"]


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class LifeTable:
    """One-year death probabilities ``q[sex, age]`` for ages 0, 1, …, ``max_age`` (``q = 1`` beyond).

    Attributes
    ----------
    death_probability:
        ``(2, max_age + 1)`` array, row 0 women, row 1 men: the probability of dying before the next
        birthday, as in Danmarks Statistik's *dødshyppighed* (DOMAIN.md cites the definition).
    source:
        Where the table comes from.
    """

    death_probability: npt.NDArray[np.float64] = field(repr=False)
    source: str = ""

    def __post_init__(self) -> None:
        q = np.array(self.death_probability, dtype=np.float64)
        if q.ndim != 2 or q.shape[0] != 2 or q.shape[1] < 2:
            raise ModelError(f"life table must have 2 rows (women, men) and an age column each; got shape {q.shape}.")
        bad = np.argwhere(~np.isfinite(q) | (q < 0) | (q > 1))
        if bad.size:
            sex, age = bad[0]
            raise ModelError(
                f"life table: the death probability of {('women', 'men')[sex]} aged {age} must lie in [0, 1]; got {float(q[sex, age])!r}."
            )
        q.setflags(write=False)
        object.__setattr__(self, "death_probability", q)

    @property
    def max_age(self) -> int:
        """Oldest age in the table."""
        return int(self.death_probability.shape[1] - 1)

    def monthly_probability(self) -> npt.NDArray[np.float64]:
        """``(2, max_age + 2)`` probability of dying within a month, constant within each year of age;
        the last column (past ``max_age``) is 1."""
        q = self.death_probability
        monthly = 1.0 - (1.0 - q) ** (1.0 / 12.0)
        return np.concatenate([monthly, np.ones((2, 1))], axis=1)

    def life_expectancy(self, age: int = 0) -> tuple[float, float]:
        """Period life expectancy (women, men) at ``age``, deaths at mid-year."""
        q = self.death_probability[:, age:]
        survivors = np.concatenate([np.ones((2, 1)), np.cumprod(1.0 - q, axis=1)], axis=1)
        years_lived = 0.5 * (survivors[:, :-1] + survivors[:, 1:])
        return tuple(float(x) for x in years_lived.sum(axis=1))  # type: ignore[return-value]


def gompertz_makeham(
    life_expectancy: tuple[float, float],
    *,
    slope: float = 0.1,
    background: float = 0.0002,
    infant: float = 0.003,
    max_age: int = 110,
    source: str = "",
) -> LifeTable:
    """A life table from a Gompertz–Makeham law ``μ(x) = background + a · e^{slope·x}`` whose level ``a``
    is solved, per sex, to give the stated period life expectancies at birth (women, men).

    ``infant`` is the death probability in the first year of life, where the law does not hold.
    """
    ages = np.arange(max_age + 1, dtype=np.float64)
    rows = []
    for target in life_expectancy:
        low, high = 1e-9, 1e-1
        for _ in range(200):  # bisection on log a: life expectancy falls as a rises
            level = np.sqrt(low * high)
            hazard = background + level * np.exp(slope * (ages + 0.5))
            q = 1.0 - np.exp(-hazard)
            q[0] = infant
            q[-1] = 1.0
            e0 = LifeTable(death_probability=np.vstack([q, q])).life_expectancy()[0]
            low, high = (level, high) if e0 > target else (low, level)
        rows.append(q)
    return LifeTable(death_probability=np.vstack(rows), source=source)
