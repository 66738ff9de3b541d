"""The ledger: what the monthly step counts, month by month (nothing per person per month)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from labsim.core.cell_table import CellLayout

__all__ = ["Ledger", "SUPPORT_MONTH_CAP"]

SUPPORT_MONTH_CAP = 13
"""Cumulative months on support are counted 1, 2, …, 12 and 13+; the refund bands of DOMAIN.md §3.1
(weeks 1–4, 5–26, 27–52, 53+) all fall within the first 13 months."""


@dataclass(slots=True, eq=False)
class Ledger:
    """Counts of one run, indexed by the month's position ``t`` (0 = the start month).

    Attributes
    ----------
    stocks:
        ``(n_months, n_states, n_groups)`` persons in each state during month ``t``.
    flows:
        ``(n_months, n_groups, n_states, n_states)`` moves at the end of month ``t``, from × to,
        by the mover's group in month ``t``.
    entries:
        ``(n_months, n_states, n_groups)`` persons joining at the end of month ``t`` (16-year-olds,
        immigrants, refugees) by their first state.
    exits:
        ``(n_months, n_states, n_groups, 2)`` persons leaving at the end of month ``t`` by their
        state after the month's moves, and reason (0 death, 1 emigration).
    support_months:
        ``(n_months, n_states, SUPPORT_MONTH_CAP + 1)`` person-months in each state on public
        support by the person's cumulative months on support (1 … 12, and 13 for 13 or more;
        index 0 holds months the municipality does not pay, such as the employer's first month of sickness).
    """

    layout: CellLayout
    n_months: int
    stocks: npt.NDArray[np.int64] = field(init=False)
    flows: npt.NDArray[np.int64] = field(init=False)
    support_months: npt.NDArray[np.int64] = field(init=False)
    entries: npt.NDArray[np.int64] = field(init=False)
    exits: npt.NDArray[np.int64] = field(init=False)
    _state_group: npt.NDArray[np.intp] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        s, g = self.layout.n_states, self.layout.n_groups
        self.stocks = np.zeros((self.n_months, s, g), dtype=np.int64)
        self.flows = np.zeros((self.n_months, g, s, s), dtype=np.int64)
        self.support_months = np.zeros((self.n_months, s, SUPPORT_MONTH_CAP + 1), dtype=np.int64)
        self.entries = np.zeros((self.n_months, s, g), dtype=np.int64)
        self.exits = np.zeros((self.n_months, s, g, 2), dtype=np.int64)
        self._state_group = self.layout.cell_state * g + self.layout.cell_group

    @property
    def groups_change(self) -> bool:
        """Whether a person's group can change without a move (age bands do; sex, education and origin do not)."""
        return self.layout.group_by == "age_band"

    def counts_cells(self, t: int) -> bool:
        """Whether month ``t``'s stocks must be counted from cells; otherwise :meth:`carry_stocks` gave them."""
        return t == 0 or self.groups_change

    def carry_stocks(self, t: int) -> None:
        """Month ``t``'s stocks from month ``t − 1``'s stocks and flows, when groups cannot change."""
        if self.counts_cells(t):
            return
        flows = self.flows[t - 1]  # (group, from, to)
        self.stocks[t] = (self.stocks[t - 1] + (flows.sum(axis=1) - flows.sum(axis=2)).T
                          + self.entries[t - 1] - self.exits[t - 1].sum(axis=2))

    def add_cell_counts(self, t: int, counts: npt.NDArray[np.intp]) -> None:
        """Add persons per cell to month ``t``'s stocks."""
        s, g = self.layout.n_states, self.layout.n_groups
        by_state_group = np.bincount(self._state_group, weights=counts, minlength=s * g)
        self.stocks[t] += np.rint(by_state_group).astype(np.int64).reshape(s, g)

    def add_flows(
        self, t: int, group: npt.NDArray[np.intp], origin: npt.NDArray[np.int8], destination: npt.NDArray[np.int8]
    ) -> None:
        """Add moves of month ``t``."""
        s, g = self.layout.n_states, self.layout.n_groups
        index = (group * s + origin.astype(np.intp)) * s + destination.astype(np.intp)
        self.flows[t] += np.bincount(index, minlength=g * s * s).reshape(g, s, s)

    def add_demography(
        self,
        t: int,
        *,
        exit_state: npt.NDArray[np.int8],
        exit_group: npt.NDArray[np.intp],
        died: npt.NDArray[np.bool_],
        entry_state: npt.NDArray[np.int8],
        entry_group: npt.NDArray[np.intp],
    ) -> None:
        """Add month ``t``'s exits (by state, group and reason) and entries (by state and group)."""
        s, g = self.layout.n_states, self.layout.n_groups
        index = (exit_state.astype(np.intp) * g + exit_group) * 2 + (~died).astype(np.intp)
        self.exits[t] += np.bincount(index, minlength=s * g * 2).reshape(s, g, 2)
        index = entry_state.astype(np.intp) * g + entry_group
        self.entries[t] += np.bincount(index, minlength=s * g).reshape(s, g)

    def add_early_support_months(self, t: int, state: npt.NDArray[np.intp], months: npt.NDArray[np.int8]) -> None:
        """Add person-months on support in their first ``SUPPORT_MONTH_CAP - 1`` cumulative months (0: not paid
        by the municipality)."""
        width = SUPPORT_MONTH_CAP + 1
        index = state * width + months
        self.support_months[t] += np.bincount(index, minlength=self.layout.n_states * width).reshape(-1, width)

    def close_month(self, t: int, support_states: npt.NDArray[np.bool_] | None) -> None:
        """Finish month ``t``: person-months on support beyond the early months are the rest of the stock."""
        if support_states is None:
            return
        early = self.support_months[t, :, :SUPPORT_MONTH_CAP].sum(axis=1)
        rest = self.stocks[t].sum(axis=1) - early
        self.support_months[t, :, SUPPORT_MONTH_CAP] = np.where(support_states, rest, 0)
