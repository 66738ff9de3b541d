"""The monthly step: one pass over the population per month, in chunks, no loop over persons.

For month ``t`` the step (1) finds each person's cell, (2) has the legal rules bring their counters
up to date with the month spent, (3) counts stocks, (4) draws who moves with one 16-bit word per
person against the cell's stay threshold (ties resolved exactly), (5) draws movers' destinations,
and, once all chunks are drawn, (6) has the legal rules force their moves on the month's drawn states
at once (DESIGN.md §4) and (7) counts flows and writes the new states. Chunks keep temporaries small
and in cache. The step knows no law: it calls
the model's rules through :class:`~labsim.core.rules.Rules`, and a model without rules has none.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import numpy as np
import numpy.typing as npt

from labsim.core.attributes import profile_code
from labsim.core.cell_table import CellLayout, CellTable, build_table, competing_risks
from labsim.core.demography import DemographyStep
from labsim.core.flags import FlagEffects
from labsim.core.ledger import SUPPORT_MONTH_CAP, Ledger
from labsim.core.macro import MacroPath
from labsim.core.model import TransitionModel
from labsim.core.participation import Participation
from labsim.core.population import Population
from labsim.core.rules import Rules
from labsim.errors import ModelError
from labsim.rng import Purpose, RandomStreams
from labsim.states import Gate

__all__ = ["MonthlyStep", "CHUNK_SIZE"]

CHUNK_SIZE = 1 << 16
"""Persons per chunk of the step."""

_SATURATE_INT16 = np.int16(32766)


class MonthlyStep:
    """Advances a population by one month under a model; holds the per-run look-up tables.

    Parameters
    ----------
    model:
        The transition model.
    layout:
        Cell layout (which dimensions the cells carry and the groups counted).
    streams:
        The run's random streams.
    highest_birth:
        Latest birth month in the population (the age look-up is indexed by birth month from 0).
    """

    def __init__(
        self,
        model: TransitionModel,
        layout: CellLayout,
        streams: RandomStreams,
        *,
        highest_birth: int,
        demography: DemographyStep | None = None,
        traced_ids: npt.NDArray[np.int32] | None = None,
        flags: FlagEffects | None = None,
        defer_rehab: bool = False,
        keep_hazards: bool = False,
    ) -> None:
        self.model = model
        self.keep_hazards = keep_hazards
        self.flags = flags
        self.defer_rehab = defer_rehab
        self._rehab_gate = (model.catalogue.gates & np.int8(int(Gate.REHAB))) != 0
        self.deferred: list[tuple[npt.NDArray[np.int32], npt.NDArray[np.int8], npt.NDArray[np.int8]]] = []
        self.demography = demography
        self.traced_ids = traced_ids
        self.layout = layout
        self.streams = streams
        self.highest_birth = highest_birth
        lookup = model.bands.band_lookup().astype(np.intp)
        self._band_width = lookup.shape[1]
        # Pre-scaled so that a cell is band_part + age_part + profile_part + flags, no further multiplication.
        self._band_lookup = (lookup * (layout.n_age_classes * layout.n_profiles * layout.n_flags)).ravel()
        self._tables: dict[float, CellTable] = {}
        self.rules: Rules | None = model.rules.bind(model.catalogue, model.ages, streams) if model.rules else None
        self._support = np.array([s.public_support for s in model.catalogue.states], dtype=np.int8)
        self.longest_duration = -1  # an upper bound on months_in_state, known after the first month
        self.participation: Participation | None = None

    def set_participation(self, participation: Participation | None) -> None:
        """Effort participants of the coming month (positions in the population as it is now); the
        step uses them for one month and then forgets them, as positions change with demography."""
        if participation is not None and not self.keep_hazards:
            raise ModelError("this step was built without the cell hazards effort participants need "
                             "(MonthlyStep(keep_hazards=True)).")
        if participation is not None and participation.multipliers.shape[1] != self.model.n_states:
            raise ModelError(f"participation multipliers must be {self.model.n_states} × {self.model.n_states} "
                             f"(the model's states); got {participation.multipliers.shape[1:]}.")
        self.participation = participation if participation is not None and participation.n_participants else None

    def set_model(self, model: TransitionModel) -> None:
        """Continue with changed rules (a dated rule change); the rules say what cannot change within a run."""
        rules = model.rules.bind(model.catalogue, model.ages, self.streams) if model.rules else None
        if (rules is None) != (self.rules is None):
            raise ModelError("a rule change cannot switch the legal rules on or off within a run.")
        same_gates = self.rules is not None and rules is not None and self.rules.hand_over(rules)
        same_hazards = all(_same(getattr(model, f.name), getattr(self.model, f.name)) for f in fields(model) if f.name != "rules")
        self.model = model
        self.rules = rules
        if not (same_gates and same_hazards):  # a change of the rules' bookkeeping alone keeps the cell tables
            self._tables.clear()

    def table(self, cycle_index: float) -> CellTable:
        """The cell table for a cycle index (built once per distinct index)."""
        table = self._tables.get(cycle_index)
        if table is None:
            table = self._tables[cycle_index] = build_table(self.model, self.layout, cycle_index, self.flags,
                                                            keep_hazards=self.keep_hazards)
        return table

    def __call__(
        self,
        population: Population,
        month: int,
        ledger: Ledger,
        t: int,
        *,
        macro: MacroPath | None = None,
        paths: npt.NDArray[np.int8] | None = None,
    ) -> None:
        """Advance ``population`` (in place) through ``month``, counting into ``ledger[t]``."""
        table = self.table(macro.at(month) if macro is not None else 1.0)
        if self.longest_duration < 0:
            self.longest_duration = int(population.months_in_state.max(initial=0))
        else:
            self.longest_duration += 1
        context = _MonthContext(self, month, table)
        if self.rules is not None:
            self.rules.begin(month)
            # The drawn states of the whole month, on which the rules then act at once (they touch few persons,
            # so one call a month costs far less than one a chunk); and each person's group, for the flows.
            context.next_state = population.state.copy()
            context.groups = np.zeros(population.n_persons, np.int8) if self.layout.n_groups > 1 else None
        self.deferred = []
        ledger.carry_stocks(t)
        if paths is not None:
            self._record(population, paths[t])
        for start in range(0, population.n_persons, CHUNK_SIZE):
            stop = min(start + CHUNK_SIZE, population.n_persons)
            self._chunk(population, slice(start, stop), context, ledger, t)
        if self.rules is not None:
            self._force(population, context, ledger, t)
        self.participation = None
        if self.demography is not None:
            self._demography(population, month, ledger, t, context)
        ledger.close_month(t, self._support.view(np.bool_) if self.rules is not None else None)

    def move(self, population: Population, positions: npt.NDArray[np.intp], destinations: npt.NDArray[np.int8],
             ledger: Ledger, t: int, month: int) -> None:
        """Move persons by a decision taken between steps (e.g. by the rehabiliteringsteam), effective
        from month ``month + 1``; counted as flows at the end of month ``t``."""
        origins = population.state[positions]
        moved = origins != destinations
        positions, origins, destinations = positions[moved], origins[moved], destinations[moved]
        if not positions.size:
            return
        ledger.add_flows(t, self._groups(population, positions, month + 1), origins, destinations)
        population.state[positions] = destinations
        population.months_in_state[positions] = 0

    def _record(self, population: Population, row: npt.NDArray[np.int8]) -> None:
        """Write each traced person's state into ``row`` (−1 for those no longer present)."""
        traced = self.traced_ids
        if traced is None or (len(traced) == population.n_persons and np.array_equal(traced, population.ids)):
            row[:] = population.state
            return
        row[:] = -1
        known = population.ids[population.ids <= traced[-1]] if len(traced) else population.ids[:0]
        row[np.searchsorted(traced, known)] = population.state[: len(known)]

    def _groups(self, population: Population, index: npt.NDArray[np.intp] | slice, month: int) -> npt.NDArray[np.intp]:
        """Group of the persons at ``index`` in ``month`` (for counting exits and entries)."""
        group_by = self.layout.group_by
        births = population.birth_month[index]
        if group_by is None:
            return np.zeros(len(births), np.intp)
        if group_by == "age_band":
            return np.searchsorted(np.asarray(self.model.ages.cuts_years) * 12, month - births.astype(np.intp), side="right")
        return getattr(population, group_by)[index].astype(np.intp)

    def _demography(self, population: Population, month: int, ledger: Ledger, t: int, context: _MonthContext) -> None:
        """Exits and entries at the end of ``month``; the population shrinks and grows in place."""
        demography = self.demography
        assert demography is not None
        leaving, dies = demography.exits(population, month, self.highest_birth)
        new = demography.arrivals(month, population.next_id)
        if new and self.rules is not None:
            self.rules.admit(new, month)
        entry_state = new.get("state", np.zeros(0, np.int8))
        ledger.add_demography(
            t,
            exit_state=population.state[leaving],
            exit_group=self._groups(population, leaving, month + 1),
            died=dies,
            entry_state=entry_state,  # type: ignore[arg-type]
            entry_group=self._groups(_Arrivals(new), slice(None), month + 1) if new else np.zeros(0, np.intp),  # type: ignore[arg-type]
        )
        population.replace_persons(leaving, new)
        if new:
            self.highest_birth = max(self.highest_birth, int(new["birth_month"].max()))

    def _cells(self, population: Population, part: slice, state: npt.NDArray[np.intp], context: _MonthContext) -> npt.NDArray[np.intp]:
        layout = self.layout
        if layout.n_bands > 1:
            duration = np.minimum(population.months_in_state[part], self._band_width - 1).astype(np.intp)
            duration += state * self._band_width
            cell = self._band_lookup.take(duration)
        elif layout.n_age_classes * layout.n_profiles * layout.n_flags > 1:
            cell = state * (layout.n_age_classes * layout.n_profiles * layout.n_flags)
        else:
            return state  # the cell is the state; nothing below writes to it
        if layout.n_age_classes > 1:
            cell += context.age_lookup.take(population.birth_month[part])
        if layout.n_profiles > 1:
            profile = profile_code(population.sex[part], population.education[part], population.origin[part])
            cell += profile.astype(np.intp) * layout.n_flags if layout.n_flags > 1 else profile
        if layout.n_flags > 1:
            cell += population.flags[part] & np.uint8(layout.n_flags - 1)
        return cell

    def _chunk(
        self,
        population: Population,
        part: slice,
        context: _MonthContext,
        ledger: Ledger,
        t: int,
    ) -> None:
        ids = population.ids[part]
        state_now = population.state[part]
        state = state_now.astype(np.intp)
        cell = self._cells(population, part, state, context)
        rules = self.rules
        if ledger.counts_cells(t):
            ledger.add_cell_counts(t, np.bincount(cell, minlength=self.layout.n_cells))
        if rules is not None:
            support_months = rules.count(population, part, state_now)
            if support_months is not None:
                self._count_support(state, support_months, ledger, t)
        table = context.table
        words = context.stay_words.for_ids(ids)
        thresholds = table.thresholds.take(cell)
        own = self._participants(part, cell, state, table, thresholds)
        # One pass finds movers and ties together; ties (a word equal to the threshold, about one
        # person in 65,536) stay when an independent uniform falls below the cell's tie fraction.
        candidates = np.flatnonzero(words >= thresholds)
        tie = words[candidates] == thresholds[candidates]
        if tie.any():
            tied = candidates[tie]
            draws = self.streams.uniforms(context.tie_key, ids[tied])
            fraction = table.tie_fraction.take(cell[tied])
            if own is not None:
                at, found = own.find(tied)
                fraction[found] = own.tie_fraction[at[found]]
            leave = draws >= fraction
            tie[tie] = ~leave
        movers = candidates[~tie]
        destinations = self._destinations(context, ids, cell, movers, own)
        if self.defer_rehab and movers.size:
            # Rehabiliteringsteam decisions are the events layer's: the person stays and queues.
            gated = self._rehab_gate[state_now[movers], destinations]
            if gated.any():
                self.deferred.append((ids[movers[gated]], state_now[movers[gated]], destinations[gated]))
                if self.flags is not None and self.flags.hold_rehab:
                    # Waiting from now on: this month's revurdering already extends them (ground 4).
                    waiting = population.flags[part]
                    waiting[movers[gated]] |= np.uint8(self.flags.hold_rehab)
                movers, destinations = movers[~gated], destinations[~gated]
        if rules is not None:
            assert context.next_state is not None
            context.next_state[part][movers] = destinations
            if context.groups is not None:
                context.groups[part] = self.layout.cell_group.take(cell)
            return
        # Without rules a destination is never the origin (its probability is zero): the movers are the changes.
        self._commit(population.state[part], population.months_in_state[part], movers, destinations,
                     self.layout.cell_group.take(cell[movers]), context, ledger, t)

    def _force(self, population: Population, context: _MonthContext, ledger: Ledger, t: int) -> None:
        """The legal rules act on the month's drawn states of everyone, then the changes are written."""
        assert self.rules is not None and context.next_state is not None
        held = None  # waiting for the rehabiliteringsteam
        if self.flags is not None and self.flags.extend_sickness:
            held = (population.flags & np.uint8(self.flags.extend_sickness)) != 0
        everyone = slice(0, population.n_persons)
        self.rules.force(population, everyone, population.state, context.next_state, held)
        changed = np.flatnonzero(context.next_state != population.state)
        groups = context.groups[changed].astype(np.intp) if context.groups is not None else np.zeros(changed.size, np.intp)
        self._commit(population.state, population.months_in_state, changed, context.next_state[changed], groups,
                     context, ledger, t)

    @staticmethod
    def _commit(state: npt.NDArray[np.int8], duration: npt.NDArray[np.int16], changed: npt.NDArray[np.intp],
                new_states: npt.NDArray[np.int8], groups: npt.NDArray[np.intp], context: _MonthContext, ledger: Ledger,
                t: int) -> None:
        """Count the moves as flows and write the new states; months in state restart for those who moved."""
        if context.saturate:
            np.minimum(duration, _SATURATE_INT16, out=duration)
        duration += np.int16(1)
        if changed.size:
            ledger.add_flows(t, groups, state[changed], new_states)
            duration[changed] = 0
            state[changed] = new_states

    def _participants(
        self, part: slice, cell: npt.NDArray[np.intp], state: npt.NDArray[np.intp], table: CellTable,
        thresholds: npt.NDArray[np.uint16],
    ) -> _OwnTable | None:
        """Effort participants of this chunk: their own probabilities from the cell hazards times their
        multipliers; their stay thresholds are written into ``thresholds``. Their draws are the same
        words and uniforms as everyone's, so common random numbers hold."""
        participation = self.participation
        if participation is None:
            return None
        offsets, combination = participation.within(part.start, part.stop)
        if not offsets.size:
            return None
        assert table.hazards is not None  # kept because the step was built with efforts
        hazards = table.hazards[cell[offsets]] * participation.multipliers[combination, state[offsets]]
        _, own_thresholds, tie_fraction, cumulative = competing_risks(hazards)
        thresholds[offsets] = own_thresholds.astype(np.uint16)
        return _OwnTable(offsets, tie_fraction, cumulative)

    def _destinations(
        self, context: _MonthContext, ids: npt.NDArray[np.int32], cell: npt.NDArray[np.intp], movers: npt.NDArray[np.intp],
        own: _OwnTable | None = None,
    ) -> npt.NDArray[np.int8]:
        """Each mover's destination: the first state whose cumulative probability exceeds its uniform."""
        if not movers.size:
            return np.zeros(0, np.int8)
        draws = self.streams.uniforms(context.destination_key, ids[movers])
        cumulative = context.table.destination_cumulative[cell[movers]]
        if own is not None:
            at, found = own.find(movers)
            cumulative[found] = own.cumulative[at[found]]
        return (cumulative <= draws[:, None]).sum(axis=1).astype(np.int8)

    def _count_support(self, state: npt.NDArray[np.intp], months: npt.NDArray[np.int8], ledger: Ledger, t: int) -> None:
        """Person-months on support by the rules' refund counter: only the first months fall in the early refund
        bands; the ledger takes later months as the rest of the stock on support."""
        chosen = np.flatnonzero(self._support.take(state).view(np.bool_) & (months < SUPPORT_MONTH_CAP))
        if chosen.size:
            ledger.add_early_support_months(t, state[chosen], months[chosen])


def _same(a: Any, b: Any) -> bool:
    """Whether two fields of a model are the same (arrays by value: a model copies its arrays when it is built)."""
    return a is b or (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and np.array_equal(a, b))


class _OwnTable:
    """Probabilities of one chunk's effort participants (at chunk offsets ``offsets``, increasing)."""

    __slots__ = ("offsets", "tie_fraction", "cumulative")

    def __init__(self, offsets: npt.NDArray[np.intp], tie_fraction: npt.NDArray[np.float64],
                 cumulative: npt.NDArray[np.float64]) -> None:
        self.offsets = offsets
        self.tie_fraction = tie_fraction
        self.cumulative = cumulative

    def find(self, offsets: npt.NDArray[np.intp]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.bool_]]:
        """For increasing chunk ``offsets``: where each is among the participants, and whether it is one."""
        at = np.minimum(np.searchsorted(self.offsets, offsets), len(self.offsets) - 1)
        return at, self.offsets[at] == offsets


class _Arrivals:
    """New persons' arrays seen through the attribute names of a population."""

    def __init__(self, arrays: dict[str, npt.NDArray[Any]]) -> None:
        self.__dict__.update(arrays)


class _MonthContext:
    """What every chunk of one month shares: the table, look-ups and stream keys."""

    __slots__ = ("month", "table", "saturate", "stay_words", "age_lookup", "tie_key", "destination_key", "next_state",
                 "groups")

    def __init__(self, step: MonthlyStep, month: int, table: CellTable) -> None:
        self.month = month
        self.table = table
        self.next_state: npt.NDArray[np.int8] | None = None
        self.groups: npt.NDArray[np.int8] | None = None
        # Durations can only overflow int16 if some spell could pass 32,766 months this month.
        self.saturate = step.longest_duration + 1 >= _SATURATE_INT16
        streams = step.streams
        self.stay_words = streams.word_source(month, Purpose.STAY)
        self.tie_key = streams.key(month, Purpose.TIE)
        self.destination_key = streams.key(month, Purpose.DESTINATION)
        # Indexed by birth month itself (month numbers are non-negative); pre-scaled by the profiles.
        # Ages are those of month + 1, the month a new state applies to, so that the age gates
        # (efterløn, seniorpension, førtidspension from 40) open in the month the law says.
        self.age_lookup = (
            step.model.ages.lookup(month + 1, 0, step.highest_birth).astype(np.intp)
            * (step.layout.n_profiles * step.layout.n_flags)
            if step.layout.n_age_classes > 1
            else np.zeros(1, np.intp)
        )
