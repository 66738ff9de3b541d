"""One run's counts as tidy pandas frames (DESIGN.md §8)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from labsim.calendar import month_label
from labsim.core.ledger import Ledger
from labsim.core.population import Population
from labsim.errors import ValidationError
from labsim.events import EventOutputs
from labsim.results.money import MONEY_ITEMS, REFUND_SHARES, BenefitRates, MoneyItem, danish_rates
from labsim.results.refund import REFUND_BANDS, refund_band_shares
from labsim.states import StateCatalogue
from labsim.validation import one_of

__all__ = ["Run", "Frequency", "FREQUENCIES", "Breakdown"]


class Frequency(StrEnum):
    """The periods a run's frames count over (``freq``): a plain string such as ``"year"`` does as well."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


FREQUENCIES: Mapping[Frequency, str] = {Frequency.MONTH: "M", Frequency.QUARTER: "Q", Frequency.YEAR: "Y"}
"""Each :class:`Frequency` and its pandas period code."""


class Breakdown(StrEnum):
    """What :meth:`Run.fte` counts fuldtidspersoner by (``by``) besides a grouping of the catalogue's states
    (``"hjoerring"``, ``"public_support"`` …): each state, or the run's person groups."""

    STATE = "state"
    GROUP = "group"


def _period_code(freq: str) -> str:
    """The pandas period code of ``freq``; anything but a :class:`Frequency` is an error listing them."""
    return FREQUENCIES[Frequency(one_of(Frequency)(freq, "freq"))]


@dataclass(frozen=True, slots=True, eq=False)
class Run:
    """The outcome of one simulated run.

    Frames have fixed ``snake_case`` columns: ``scenario, strategy, replicate`` identify the run,
    ``month`` is a monthly :class:`pandas.Period`.

    Attributes
    ----------
    catalogue:
        The states counted.
    start_month:
        Month number of the first simulated month.
    ledger:
        The raw counts.
    final_population:
        The persons after the last month.
    seed:
        Entropy and spawn key of the run's seed.
    paths:
        ``(n_months, n_persons)`` state codes by month when the run was traced, else ``None``.
    """

    catalogue: StateCatalogue
    start_month: int
    ledger: Ledger
    final_population: Population
    seed: Mapping[str, Any]
    scenario: str = ""
    strategy: str = ""
    replicate: int = 0
    paths: npt.NDArray[np.int8] | None = field(default=None, repr=False)
    event_outputs: EventOutputs | None = field(default=None, repr=False)

    @property
    def n_months(self) -> int:
        """Months simulated."""
        return self.ledger.n_months

    @property
    def months(self) -> pd.PeriodIndex:
        """The simulated months."""
        return pd.period_range(month_label(self.start_month), periods=self.n_months, freq="M")

    @property
    def group_labels(self) -> tuple[str, ...]:
        """Labels of the person groups counted (``("all",)`` when ungrouped)."""
        return self.ledger.layout.group_labels

    def _identity(self, frame: pd.DataFrame) -> pd.DataFrame:
        frame.insert(0, "replicate", self.replicate)
        frame.insert(0, "strategy", self.strategy)
        frame.insert(0, "scenario", self.scenario)
        return frame

    def stocks(self) -> pd.DataFrame:
        """Persons per month, state and group; ``fte`` equals ``persons`` for a single month.

        Columns: ``scenario, strategy, replicate, month, state, group, persons, fte``. The first month's
        stocks are the start population.

        >>> import labsim
        >>> model = labsim.markov_model(["working", "unemployed"], [[0.95, 0.05], [0.30, 0.70]])
        >>> pop = labsim.Population.from_counts({"working": 900, "unemployed": 100}, catalogue=model.catalogue)
        >>> run = labsim.simulate(pop, model, start="2022-01", end="2022-03", seed=1)
        >>> stocks = run.stocks()
        >>> stocks.shape  # 3 months × 2 states, one group
        (6, 8)
        >>> stocks["persons"].tolist()
        [900, 100, 882, 118, 865, 135]
        """
        t, s, g = self.ledger.stocks.shape
        index = pd.MultiIndex.from_product(
            [self.months, pd.CategoricalIndex(self.catalogue.names, categories=self.catalogue.names),
             pd.CategoricalIndex(self.group_labels, categories=self.group_labels)],
            names=["month", "state", "group"],
        )
        persons = self.ledger.stocks.reshape(-1)
        frame = pd.DataFrame({"persons": persons, "fte": persons.astype(np.float64)}, index=index).reset_index()
        return self._identity(frame)

    def flows(self) -> pd.DataFrame:
        """Moves at the end of each month, by the mover's group; only non-zero rows.

        Columns: ``scenario, strategy, replicate, month, group, from_state, to_state, count``.
        """
        return self._flows_frame()

    def _flows_frame(self) -> pd.DataFrame:
        month, group, origin, destination = np.nonzero(self.ledger.flows)
        names = np.asarray(self.catalogue.names, dtype=object)
        frame = pd.DataFrame({
            "month": self.months[month],
            "group": pd.Categorical(np.asarray(self.group_labels, dtype=object)[group], categories=self.group_labels),
            "from_state": pd.Categorical(names[origin], categories=self.catalogue.names),
            "to_state": pd.Categorical(names[destination], categories=self.catalogue.names),
            "count": self.ledger.flows[month, group, origin, destination],
        })
        return self._identity(frame)

    def fte(self, freq: Frequency | str = Frequency.YEAR, by: Breakdown | str = Breakdown.STATE) -> pd.DataFrame:
        """Fuldtidspersoner per period the way jobindsats.dk counts them (DOMAIN.md §4).

        A person's months on a benefit within the period, divided by the months in the period,
        summed over persons. ``freq`` is a :class:`Frequency`. ``by`` is ``"state"``, a grouping of the
        catalogue (``"hjoerring"``, ``"broenderslev"``, ``"public_support"``) or ``"group"``: fuldtidspersoner
        on public support by the person groups of the run (age band, sex …) — see :class:`Breakdown`.
        Periods cut short by the run are averaged over their simulated months.

        Columns: ``scenario, strategy, replicate, period, <by>, fte``.

        >>> import labsim
        >>> model = labsim.markov_model(["working", "unemployed"], [[0.95, 0.05], [0.30, 0.70]])
        >>> pop = labsim.Population.from_counts({"working": 900, "unemployed": 100}, catalogue=model.catalogue)
        >>> run = labsim.simulate(pop, model, start="2022-01", end="2022-03", seed=1)
        >>> quarter = run.fte(freq="quarter")  # the mean of the three months' stocks
        >>> quarter["state"].tolist(), quarter["fte"].round(2).tolist()
        (['working', 'unemployed'], [882.33, 117.67])
        >>> run.fte(freq="month").shape
        (6, 6)
        """
        code = _period_code(freq)
        by = str(one_of((*Breakdown, "public_support", *self.catalogue.groupings()))(by, "by"))
        if by == Breakdown.GROUP:
            supported = np.array([state.public_support for state in self.catalogue.states])
            stocks = self.ledger.stocks[:, supported, :].sum(axis=1)
        else:
            stocks = self.ledger.stocks.sum(axis=2)
        if by == Breakdown.STATE:
            labels: list[str | None] = list(self.catalogue.names)
        elif by == Breakdown.GROUP:
            labels = list(self.group_labels)
        else:
            labels = list(self.catalogue.group_of(by))
        periods = self.months.asfreq(code)
        frame = pd.DataFrame(stocks, index=periods, columns=pd.Index(range(stocks.shape[1])))
        monthly = frame.T.groupby(pd.Series(labels, dtype=object), sort=False, dropna=True).sum().T
        average = monthly.groupby(level=0, sort=True).mean()
        order = list(dict.fromkeys(label for label in labels if label is not None))
        average = average[order]
        average.index.name = "period"
        long = average.reset_index().melt(id_vars="period", var_name=by, value_name="fte")
        long[by] = pd.Categorical(long[by], categories=order)
        return self._identity(long.sort_values(["period", by], kind="stable").reset_index(drop=True))

    def demography(self) -> pd.DataFrame:
        """Persons joining and leaving at the end of each month, by state and group.

        Columns: ``scenario, strategy, replicate, month, state, group, entries, deaths, emigrations``.
        """
        index = pd.MultiIndex.from_product(
            [self.months, pd.CategoricalIndex(self.catalogue.names, categories=self.catalogue.names),
             pd.CategoricalIndex(self.group_labels, categories=self.group_labels)],
            names=["month", "state", "group"],
        )
        exits = self.ledger.exits
        frame = pd.DataFrame({
            "entries": self.ledger.entries.reshape(-1),
            "deaths": exits[..., 0].reshape(-1),
            "emigrations": exits[..., 1].reshape(-1),
        }, index=index).reset_index()
        return self._identity(frame)

    def working_age(self, freq: Frequency | str = Frequency.YEAR) -> pd.DataFrame:
        """Persons from 16 to folkepension age (everyone not on folkepension), averaged per period.

        Columns: ``scenario, strategy, replicate, period, persons``.
        """
        code = _period_code(freq)
        stocks = self.ledger.stocks.sum(axis=2)
        pensioners = [i for i, name in enumerate(self.catalogue.names) if name == "folkepension"]
        persons = stocks.sum(axis=1) - stocks[:, pensioners].sum(axis=1)
        series = pd.Series(persons, index=self.months.asfreq(code), dtype=np.float64)
        frame = series.groupby(level=0).mean().rename_axis("period").rename("persons").reset_index()
        return self._identity(frame)

    def event_log(self) -> pd.DataFrame:
        """Every dated, named event of the run: rule changes, macro shocks, rehabiliteringsteam meetings,
        course intakes.

        Columns: ``scenario, strategy, replicate, month, kind, name, details``.
        """
        records = self.event_outputs.log.records if self.event_outputs is not None else []
        frame = pd.DataFrame({
            "month": pd.PeriodIndex([month_label(r.month) for r in records], freq="M"),
            "kind": [r.kind for r in records],
            "name": [r.name for r in records],
            "details": [dict(r.details) for r in records],
        })
        return self._identity(frame)

    def teams(self) -> pd.DataFrame:
        """Caseworker teams per month: the persons each follows (``group``), its caseworkers (efforts that join it
        included) and the realised ``caseload`` (``group / caseworkers``; NaN without caseworkers); its meetings in
        the capacity convention of the run summary's ``capacity`` table (:func:`labsim.batch.capacity_frame`) —
        meetings due (``demand``), meetings it can hold (``capacity``), meetings held (``used``), ``used /
        capacity`` (``utilisation``); the meetings held per person in the group (``contacts``), the hazard
        multiplier they give the group's moves to work and education (``multiplier``, caseload as a dose:
        :mod:`labsim.events.caseworkers`), and first-meeting deadlines due and missed.

        Columns: ``scenario, strategy, replicate, month, team, group, caseworkers, caseload, demand, capacity, used,
        utilisation, contacts, multiplier, deadlines_due, deadlines_missed``.
        """
        rows = self.event_outputs.team_months if self.event_outputs is not None else []
        caseworkers = np.array([r.caseworkers for r in rows], dtype=np.float64)
        group = np.array([r.group for r in rows], dtype=np.int64)
        frame = pd.DataFrame({
            "month": pd.PeriodIndex([month_label(r.month) for r in rows], freq="M"),
            "team": [r.team for r in rows],
            "group": group,
            "caseworkers": caseworkers,
            "caseload": group / np.where(caseworkers > 0, caseworkers, np.nan),
            "demand": np.array([r.demand for r in rows], dtype=np.int64),
            "capacity": np.array([r.capacity for r in rows], dtype=np.int64),
            "used": np.array([r.used for r in rows], dtype=np.int64),
            "contacts": np.array([r.contacts for r in rows], dtype=np.float64),
            "multiplier": np.array([r.multiplier for r in rows], dtype=np.float64),
            "deadlines_due": np.array([r.deadlines_due for r in rows], dtype=np.int64),
            "deadlines_missed": np.array([r.deadlines_missed for r in rows], dtype=np.int64),
        })
        frame.insert(list(frame.columns).index("used") + 1, "utilisation",
                     frame["used"] / frame["capacity"].where(frame["capacity"] > 0))
        return self._identity(frame)

    def queues(self) -> pd.DataFrame:
        """Queues per month. ``kind`` ``"rehab"``: the rehabiliteringsteam — open cases at the month's end
        (``length``), new cases (``joined``), cases its meeting could decide (``capacity``, 0 in a month without a
        meeting) and cases decided (``used``). ``kind`` ``"course"``: a course, in its intake months only — persons
        left waiting for a seat (``length``), seats (``capacity``) and persons admitted (``joined`` and ``used``).

        Columns: ``scenario, strategy, replicate, month, queue, kind, length, joined, capacity, used``.
        """
        rows = self.event_outputs.queue_months if self.event_outputs is not None else []
        frame = pd.DataFrame({
            "month": pd.PeriodIndex([month_label(r.month) for r in rows], freq="M"),
            "queue": [r.queue for r in rows],
            "kind": [r.kind for r in rows],
            "length": np.array([r.length for r in rows], dtype=np.int64),
            "joined": np.array([r.joined for r in rows], dtype=np.int64),
            "capacity": np.array([r.capacity for r in rows], dtype=np.int64),
            "used": np.array([r.used for r in rows], dtype=np.int64),
        })
        return self._identity(frame)

    def waits(self) -> pd.DataFrame:
        """Waits: one row per rehabiliteringsteam case (``outcome`` decided, lapsed, or still waiting when the run
        ended, ``closed`` then being the month after the last) and per course admission (``admitted``).
        ``wait_months`` is the whole wait; ``desk_wait_months`` the part a rehabiliteringsteam case waited for a
        preparer (NaN for a course, and for a case that lapsed before a preparer took it).

        Columns: ``scenario, strategy, replicate, queue, person, opened, closed, wait_months, desk_wait_months,
        outcome``.
        """
        rows = self.event_outputs.waits if self.event_outputs is not None else []
        frame = pd.DataFrame({
            "queue": [r.queue for r in rows],
            "person": np.array([r.person for r in rows], dtype=np.int64),
            "opened": pd.PeriodIndex([month_label(r.opened) for r in rows], freq="M"),
            "closed": pd.PeriodIndex([month_label(r.closed) for r in rows], freq="M"),
            "wait_months": np.array([r.wait_months for r in rows], dtype=np.float64),
            "desk_wait_months": np.array([r.desk_wait_months for r in rows], dtype=np.float64),
            "outcome": [r.outcome for r in rows],
        })
        return self._identity(frame)

    def efforts(self) -> pd.DataFrame:
        """Each effort's month: persons who meet its entry rules this month (participants among them while they still do), places (``NaN``: unlimited), persons served, new
        participants, persons in the after phase, and the month's cost in DKK (participant-months × unit
        cost + caseworkers + fixed costs, before any state refund).

        Columns: ``scenario, strategy, replicate, month, effort, eligible, places, served, new, after, cost_dkk``.
        """
        rows = self.event_outputs.effort_months if self.event_outputs is not None else []
        frame = pd.DataFrame({
            "month": pd.PeriodIndex([month_label(r.month) for r in rows], freq="M"),
            "effort": [r.effort for r in rows],
            "eligible": np.array([r.eligible for r in rows], dtype=np.int64),
            "places": np.array([np.nan if r.places is None else r.places for r in rows], dtype=np.float64),
            "served": np.array([r.served for r in rows], dtype=np.int64),
            "new": np.array([r.new for r in rows], dtype=np.int64),
            "after": np.array([r.after for r in rows], dtype=np.int64),
            "cost_dkk": np.array([r.cost_dkk for r in rows], dtype=np.float64),
        })
        return self._identity(frame)

    def effort_costs(self, freq: Frequency | str = Frequency.YEAR) -> pd.DataFrame:
        """Each effort's cost and person-months served per period (a :class:`Frequency`).

        Columns: ``scenario, strategy, replicate, period, effort, served_months, cost_dkk``.
        """
        code = _period_code(freq)
        months = self.efforts()
        months["period"] = months["month"].dt.asfreq(code)
        frame = (months.groupby(["period", "effort"], sort=False, observed=True)
                 .agg(served_months=("served", "sum"), cost_dkk=("cost_dkk", "sum")).reset_index())
        return self._identity(frame)

    def _by_band(self) -> npt.NDArray[np.float64]:
        """``(n_months, n_states, n_bands)`` person-months on support by refund band."""
        return np.einsum("tsk,kb->tsb", self.ledger.support_months, refund_band_shares())

    def benefits(self, rates: BenefitRates | None = None, freq: Frequency | str = Frequency.YEAR) -> pd.DataFrame:
        """Benefit payments and the state refund per period and state, in DKK (DOMAIN.md §3, §3.1).

        A person-month costs the state's monthly rate in its calendar year (``rates``, by default
        :func:`labsim.results.money.danish_rates`); the state refunds 80 / 40 / 30 / 20 % of it by the
        person's cumulative time on support. Only states the municipality pays (or co-finances) appear;
        ``net_cost_dkk`` is the state's part of the net cost, ``benefits − refund`` (efforts are not by state).

        Columns: ``scenario, strategy, replicate, period, state, person_months, benefits_dkk, refund_dkk,
        net_cost_dkk``.
        """
        code = _period_code(freq)
        rates = rates if rates is not None else danish_rates()
        dkk = rates.matrix(self.catalogue, self.months.year.to_numpy().astype(np.int64))  # (t, s)
        paid = dkk.any(axis=0)
        by_band = self._by_band()
        person_months = by_band.sum(axis=2)
        if person_months[:, paid].sum() == 0 and self.ledger.stocks[:, paid, :].sum() > 0:
            raise ValidationError("money needs months on support by refund band, which the monthly step counts only "
                                  "for a model with legal rules (TransitionModel.rules); this run's model has none.")
        benefits = person_months * dkk
        refund = np.einsum("tsb,b->ts", by_band, np.asarray(REFUND_SHARES)) * dkk
        names = [self.catalogue.names[i] for i in np.flatnonzero(paid)]
        index = pd.MultiIndex.from_product([self.months.asfreq(code), names], names=["period", "state"])
        frame = pd.DataFrame({
            "person_months": person_months[:, paid].reshape(-1),
            "benefits_dkk": benefits[:, paid].reshape(-1),
            "refund_dkk": refund[:, paid].reshape(-1),
        }, index=index).groupby(level=[0, 1], sort=False).sum()
        frame["net_cost_dkk"] = frame["benefits_dkk"] - frame["refund_dkk"]
        frame = frame.reset_index()
        frame["state"] = pd.Categorical(frame["state"], categories=names)
        return self._identity(frame)

    def money(self, rates: BenefitRates | None = None, freq: Frequency | str = Frequency.YEAR) -> pd.DataFrame:
        """The municipality's money per period, in DKK: the items of :class:`~labsim.results.money.MoneyItem` —
        benefits paid, the state refund, the efforts' cost and the net cost
        ``net_cost = benefits − refund + effort_cost`` (DESIGN.md §7).

        Columns: ``scenario, strategy, replicate, period, item, dkk``; items ``benefits, refund, effort_cost,
        net_cost``.
        """
        by_state = self.benefits(rates, freq)
        totals = by_state.groupby("period", sort=True)[["benefits_dkk", "refund_dkk"]].sum()
        totals.columns = pd.Index([MoneyItem.BENEFITS.value, MoneyItem.REFUND.value])
        efforts = self.effort_costs(freq).groupby("period")["cost_dkk"].sum()
        totals[MoneyItem.EFFORT_COST.value] = efforts.reindex(totals.index, fill_value=0.0)
        totals[MoneyItem.NET_COST.value] = (totals[MoneyItem.BENEFITS.value] - totals[MoneyItem.REFUND.value]
                                            + totals[MoneyItem.EFFORT_COST.value])
        items = [item.value for item in MONEY_ITEMS]
        long = totals[items].rename_axis("period").reset_index().melt(id_vars="period", var_name="item",
                                                                      value_name="dkk")
        long["item"] = pd.Categorical(long["item"], categories=items)
        return self._identity(long.sort_values(["period", "item"], kind="stable").reset_index(drop=True))

    def support_months(self) -> pd.DataFrame:
        """Person-months on public support by state and refund band (DOMAIN.md §3.1).

        Columns: ``scenario, strategy, replicate, month, state, refund_band, person_months``.
        """
        by_band = self._by_band()
        bands = [band.name for band in REFUND_BANDS]
        index = pd.MultiIndex.from_product(
            [self.months, pd.CategoricalIndex(self.catalogue.names, categories=self.catalogue.names),
             pd.CategoricalIndex(bands, categories=bands)],
            names=["month", "state", "refund_band"],
        )
        frame = pd.DataFrame({"person_months": by_band.reshape(-1)}, index=index).reset_index()
        supported = [s.name for s in self.catalogue.states if s.public_support]
        frame = frame[frame["state"].isin(supported)].reset_index(drop=True)
        return self._identity(frame)
