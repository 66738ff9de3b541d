"""Targets and observed series: what a run's counts and money are measured against (DESIGN.md §7).

A :class:`Measure` turns one run into one number for a period: fuldtidspersoner or the head-count
of some states, their share of the working-age population, the working-age population itself, an
amount of money, or the participants in some efforts. A :class:`Target` compares a measure with a
threshold; over replications it is met with a probability. An :class:`Observed` series holds the
real values of a measure, to show beside the simulated ones.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from statistics import NormalDist
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from labsim.calendar import month_label, parse_month
from labsim.errors import CalendarError, ValidationError
from labsim.results.money import MoneyItem
from labsim.states import StateCatalogue, select_states
from labsim.validation import number, one_of

if TYPE_CHECKING:
    from labsim.results.money import BenefitRates
    from labsim.results.run import Run

__all__ = ["Measure", "MeasureKind", "Period", "Target", "Observed", "ObservedValue", "MEASURES", "COMPARISONS",
           "summarise_target", "INTERVAL", "wilson"]


class MeasureKind(StrEnum):
    """What a :class:`Measure` counts (:data:`MEASURES` says it in words); a plain string such as ``"fte"`` does as
    well. The money kinds are the money items (:class:`~labsim.results.money.MoneyItem`) by the same names."""

    FTE = "fte"
    PERSONS = "persons"
    SHARE = "share"
    WORKING_AGE = "working_age"
    NET_COST = MoneyItem.NET_COST.value
    BENEFITS = MoneyItem.BENEFITS.value
    REFUND = MoneyItem.REFUND.value
    EFFORT_COST = MoneyItem.EFFORT_COST.value
    PARTICIPANTS = "participants"


MEASURES: dict[str, str] = {
    MeasureKind.FTE.value: "fuldtidspersoner of the states: their person-months ÷ the months of the period",
    MeasureKind.PERSONS.value: "head-count of the states in the period's last month",
    MeasureKind.SHARE.value: "fuldtidspersoner of the states ÷ the average working-age population (16 to folkepension "
                             "age)",
    MeasureKind.WORKING_AGE.value: "average persons from 16 to folkepension age",
    MeasureKind.NET_COST.value: "the municipality's net cost in DKK over the period: benefits − refund + effort_cost",
    MeasureKind.BENEFITS.value: "benefits paid in DKK over the period, before the refund",
    MeasureKind.REFUND.value: "the state refund in DKK over the period",
    MeasureKind.EFFORT_COST.value: "the efforts' cost in DKK over the period",
    MeasureKind.PARTICIPANTS.value: "new participants in the efforts over the period",
}
"""The measures a target or an observed series can use (each :class:`MeasureKind`), and what each counts."""

COMPARISONS: dict[str, Callable[[npt.NDArray[np.float64], float], npt.NDArray[np.bool_]]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}
"""How a measured value is compared with a target's threshold."""

INTERVAL = (0.05, 0.95)
"""Quantiles of the 90 % interval reported over replications."""

_STATE_MEASURES = {MeasureKind.FTE, MeasureKind.PERSONS, MeasureKind.SHARE}
_MONEY_MEASURES = {MeasureKind.NET_COST, MeasureKind.BENEFITS, MeasureKind.REFUND, MeasureKind.EFFORT_COST}


_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True, slots=True)
class Period:
    """A month, a calendar year, or a span of months, written ``"2021-07"``, ``"2021"`` or ``"2020-01..2020-09"``."""

    first: int
    last: int
    text: str

    @classmethod
    def parse(cls, text: str | int, *, field: str = "period") -> Period:
        """Read a period — a year ``2021``, a quarter ``2021Q3``, a month ``2021-07`` or a span
        ``2020-01..2020-09``; a bad one raises :class:`~labsim.errors.CalendarError` naming ``field``.

        >>> quarter = Period.parse("2021Q3")
        >>> month_label(quarter.first), month_label(quarter.last), quarter.n_months
        ('2021-07', '2021-09', 3)
        >>> Period.parse("2020-01..2020-09").n_months
        9
        """
        value = str(text).strip()
        if ".." in value:
            low, _, high = value.partition("..")
            first, last = parse_month(low.strip(), field=field), parse_month(high.strip(), field=field)
            if last < first:
                raise CalendarError(f"{field}: a span must end after it starts; got {value!r}.")
            return cls(first, last, value)
        quarter = _QUARTER.match(value)
        if quarter:
            first = parse_month(f"{quarter.group(1)}-{3 * int(quarter.group(2)) - 2:02d}", field=field)
            return cls(first, first + 2, value)
        if value.isdigit() and len(value) == 4:
            first = parse_month(f"{value}-01", field=field)
            return cls(first, first + 11, value)
        month = parse_month(value, field=field)
        return cls(month, month, month_label(month))

    @property
    def n_months(self) -> int:
        """Months in the period."""
        return self.last - self.first + 1


@dataclass(frozen=True, slots=True)
class Measure:
    """What to measure: ``kind`` (a :class:`MeasureKind`), over ``states`` or ``efforts`` where the kind needs them.

    Each of ``states`` names states in the grammar of :func:`labsim.states.select_states`: a state of the
    catalogue, ``"public_support"`` (every state on public support), a group of a grouping as ``"grouping:group"``
    (``"broenderslev:permanente"``) or a bare group name (``"jobparate"``), or such parts joined by ``+``.
    """

    kind: str
    states: tuple[str, ...] = ()
    efforts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", MeasureKind(one_of(MeasureKind)(self.kind, "measure")).value)
        if self.kind in _STATE_MEASURES and not self.states:
            raise ValidationError(f"measure {self.kind!r} needs states; got none.")
        if self.kind not in _STATE_MEASURES and self.states:
            raise ValidationError(f"measure {self.kind!r} counts no states; got states {list(self.states)}.")
        if self.kind == MeasureKind.PARTICIPANTS and not self.efforts:
            raise ValidationError("measure 'participants' needs efforts; got none.")
        if self.kind != MeasureKind.PARTICIPANTS and self.efforts:
            raise ValidationError(f"measure {self.kind!r} counts no efforts; got efforts {list(self.efforts)}.")

    def state_codes(self, catalogue: StateCatalogue, *, field: str = "states") -> tuple[int, ...]:
        """The codes of the states measured, each once; a name that names no states raises
        :class:`~labsim.errors.UnknownStateError` (a :class:`~labsim.errors.ValidationError`) naming it as
        ``field[i]``."""
        codes: dict[int, None] = {}
        for i, name in enumerate(self.states):
            codes.update(dict.fromkeys(select_states(catalogue, name, field=f"{field}[{i}]")))
        return tuple(codes)

    def check(self, catalogue: StateCatalogue, efforts: Iterable[str] | None = None) -> None:
        """Raise :class:`~labsim.errors.ValidationError` for unknown states or efforts."""
        self.state_codes(catalogue)
        if efforts is not None:
            unknown = sorted(set(self.efforts) - set(efforts))
            if unknown:
                raise ValidationError(f"efforts: unknown efforts {unknown}; the strategies run "
                                      f"{', '.join(sorted(set(efforts))) or 'none'}.")

    def monthly(self, run: Run, rates: BenefitRates | None = None) -> npt.NDArray[np.float64]:
        """The measure's value in each month of the run (summed or averaged over a period by :meth:`value`)."""
        if self.kind in _STATE_MEASURES:
            codes = list(self.state_codes(run.catalogue))
            # for a share, divided by the working-age average in value()
            return run.ledger.stocks[:, codes, :].sum(axis=(1, 2)).astype(np.float64)
        if self.kind == MeasureKind.WORKING_AGE:
            return _working_age(run)
        if self.kind in _MONEY_MEASURES:
            return _money_by_month(run, rates)[self.kind]
        frame = run.efforts()
        chosen = frame[frame["effort"].isin(self.efforts)]
        by_month = chosen.groupby(chosen["month"].map(lambda p: parse_month(str(p))))["new"].sum()
        out = np.zeros(run.n_months)
        for month, count in zip(by_month.index.tolist(), by_month.tolist(), strict=True):
            out[int(month) - run.start_month] = float(count)
        return out

    def value(self, run: Run, period: Period, rates: BenefitRates | None = None,
              monthly: npt.NDArray[np.float64] | None = None) -> float:
        """The measure over ``period``: an average for counts, the last month for head-counts, a sum for money
        and participants. A period outside the run raises :class:`~labsim.errors.ValidationError`."""
        first, last = period.first - run.start_month, period.last - run.start_month
        if first < 0 or last >= run.n_months:
            raise ValidationError(f"period {period.text!r} is outside the run ({month_label(run.start_month)} to "
                                  f"{month_label(run.start_month + run.n_months - 1)}).")
        series = self.monthly(run, rates) if monthly is None else monthly
        window = series[first:last + 1]
        if self.kind == MeasureKind.PERSONS:
            return float(window[-1])
        if self.kind in (MeasureKind.FTE, MeasureKind.WORKING_AGE):
            return float(window.mean())
        if self.kind == MeasureKind.SHARE:
            working = _working_age(run)[first:last + 1].mean()
            return float(window.mean() / working) if working > 0 else float("nan")
        return float(window.sum())


def _working_age(run: Run) -> npt.NDArray[np.float64]:
    return run.working_age(freq="month")["persons"].to_numpy(dtype=np.float64)


def _money_by_month(run: Run, rates: BenefitRates | None) -> dict[str, npt.NDArray[np.float64]]:
    frame = run.money(rates, freq="month")
    wide = frame.set_index(["period", "item"])["dkk"].unstack("item")
    return {str(item): wide[str(item)].to_numpy() for item in MoneyItem}


@dataclass(frozen=True, slots=True)
class Target:
    """A political target: ``measure`` over ``period`` compared with ``threshold``.

    With ``relative_to`` (a period) the value is the relative change from that period,
    ``value / base − 1`` — e.g. the working-age population's fall to 2041.

    >>> t = Target("kontanthjælp under 300", Measure("fte", ("kontanthjaelp_jobparat", "kontanthjaelp_aktivitetsparat")),
    ...            "<", 300, Period.parse("2022"), source="[BR p.20] B32")
    >>> bool(t.met(np.array([280.0, 310.0])).tolist() == [True, False])
    True
    """

    name: str
    measure: Measure
    comparison: str
    threshold: float
    period: Period
    relative_to: Period | None = None
    source: str = ""
    title: str = ""

    def __post_init__(self) -> None:
        one_of(COMPARISONS)(self.comparison, f"target {self.name!r}.comparison")
        number()(self.threshold, f"target {self.name!r}.threshold")

    def value(self, run: Run, rates: BenefitRates | None = None,
              monthly: npt.NDArray[np.float64] | None = None) -> float:
        """The measured value in one run."""
        series = self.measure.monthly(run, rates) if monthly is None else monthly
        value = self.measure.value(run, self.period, rates, series)
        if self.relative_to is None:
            return value
        base = self.measure.value(run, self.relative_to, rates, series)
        return value / base - 1.0 if base else float("nan")

    def met(self, values: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
        """Whether each value meets the target."""
        return np.asarray(COMPARISONS[self.comparison](np.asarray(values, dtype=np.float64), self.threshold))

    @property
    def wording(self) -> str:
        """The target in words, e.g. ``"fte < 300 in 2022"``."""
        change = f" change from {self.relative_to.text}" if self.relative_to else ""
        return f"{self.measure.kind}{change} {self.comparison} {self.threshold:g} in {self.period.text}"


@dataclass(frozen=True, slots=True)
class Observed:
    """Observed values of a measure by period, with their source, shown beside the simulated ones."""

    name: str
    measure: Measure
    values: Mapping[str, float]
    source: str = ""
    periods: tuple[Period, ...] = field(init=False)

    def __post_init__(self) -> None:
        periods = tuple(Period.parse(p, field=f"observed {self.name!r} period") for p in self.values)
        object.__setattr__(self, "periods", periods)

    def simulated(self, run: Run, rates: BenefitRates | None = None) -> list[ObservedValue]:
        """Each observed period's value beside the run's; ``simulated`` is NaN for a period the run does not cover
        (an observed value before the start is shown for context)."""
        series = self.measure.monthly(run, rates)
        out = []
        for period, observed in zip(self.periods, self.values.values(), strict=True):
            covered = period.first >= run.start_month and period.last < run.start_month + run.n_months
            simulated = self.measure.value(run, period, rates, series) if covered else float("nan")
            out.append(ObservedValue(period=period.text, observed=float(observed), simulated=simulated))
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class ObservedValue:
    """One observed period of a series: the period as written, the observed value and the run's (NaN for a
    period the run does not cover)."""

    period: str
    observed: float
    simulated: float


def wilson(share: float, n: int) -> tuple[float, float]:
    """The Wilson interval (:data:`INTERVAL`, 90 %) of a probability estimated as ``share`` of ``n`` runs.

    Always ``0 ≤ low ≤ share ≤ high ≤ 1``: at ``share`` 0 the low bound is exactly 0 and at 1 the high bound exactly 1
    (the formula gives 0.9999999999999999 there), and rounding never puts a bound on the wrong side of ``share``.
    No runs, ``n ≤ 0``, give ``(0, 1)``; a NaN ``share`` gives NaN bounds.

    >>> [round(v, 3) for v in wilson(0.5, 20)]
    [0.327, 0.673]
    >>> wilson(1.0, 5)[1], wilson(0.0, 5)[0]
    (1.0, 0.0)
    """
    if n <= 0:
        return (0.0, 1.0)
    if math.isnan(share):
        return (math.nan, math.nan)
    p = min(max(float(share), 0.0), 1.0)
    z = NormalDist().inv_cdf(INTERVAL[1])
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n * n)) / (1 + z**2 / n)
    low = 0.0 if p == 0.0 else min(max(centre - half, 0.0), p)
    high = 1.0 if p == 1.0 else max(min(centre + half, 1.0), p)
    return (low, high)


def summarise_target(target: Target, values: Sequence[float] | npt.NDArray[np.float64]) -> dict[str, object]:
    """One row of a target table: the probability of meeting it over the replications, the median and the 90 %
    interval of the value."""
    array = np.asarray(values, dtype=np.float64)
    low, high = np.quantile(array, INTERVAL) if array.size else (np.nan, np.nan)
    return {
        "target": target.name, "measure": target.wording, "period": target.period.text,
        "comparison": target.comparison, "threshold": target.threshold,
        "probability": float(target.met(array).mean()) if array.size else float("nan"),
        "median": float(np.median(array)) if array.size else float("nan"),
        "low": float(low), "high": float(high), "replications": int(array.size), "source": target.source,
    }


def target_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Rows of :func:`summarise_target` as a frame with fixed columns."""
    columns = ["strategy", "target", "measure", "period", "comparison", "threshold", "probability", "median", "low",
               "high", "replications", "source"]
    return pd.DataFrame(rows, columns=columns)
