"""The monthly step: one pass over the population per month, in chunks, no loop over persons.

For month ``t`` the step (1) finds each person's cell, (2) brings the rule counters up to date
with the month spent, (3) counts stocks, (4) draws who moves with one 16-bit word per person
against the cell's stay threshold (ties resolved exactly), (5) draws movers' destinations, (6)
applies the legal rules after the draws (DESIGN.md §4), and (7) counts flows and writes the new
states. Chunks keep temporaries small and in cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from labsim.core.attributes import Education, profile_code
from labsim.core.cell_table import CellLayout, CellTable, build_table, competing_risks
from labsim.core.demography import DemographyStep
from labsim.core.flags import FlagEffects
from labsim.core.ledger import SUPPORT_MONTH_CAP, Ledger
from labsim.core.macro import MacroPath
from labsim.core.model import TransitionModel
from labsim.core.participation import Participation
from labsim.core.population import Population
from labsim.core.rules import LegalRules
from labsim.errors import ModelError
from labsim.rng import Purpose, RandomStreams
from labsim.states import Gate, State

__all__ = ["MonthlyStep", "CHUNK_SIZE", "HistoryBits"]

CHUNK_SIZE = 1 << 16
"""Persons per chunk of the step."""

_INT8_MAX = np.int8(127)
_SATURATE_INT16 = np.int16(32766)
_ONE64 = np.uint64(1)
_DAGPENGE, _SICK, _YOUTH, _RESSOURCE = np.int8(1), np.int8(2), np.int8(3), np.int8(4)  # kinds of state a rule acts on


@dataclass(frozen=True, slots=True)
class HistoryBits:
    """Layout of :attr:`Population.history`.

    Bits ``0 … dagpenge_bits-1`` mark a-dagpenge in the latest months (bit 0 = the month just
    spent), so a popcount is the months used in the window that month ``t + 1`` completes. The
    next ``sick_bits`` bits mark sygedagpenge in months ``t − sick_bits + 1 … t``.
    """

    dagpenge_bits: int
    sick_bits: int

    @classmethod
    def for_rules(cls, rules: LegalRules) -> HistoryBits:
        """One bit fewer than the a-dagpenge window (month t+1 completes it); one more than the
        sygedagpenge window (to see whether the count has just crossed the revurdering limit)."""
        return cls(rules.dagpenge_window_months - 1, rules.revurdering_window_months + 1)

    @property
    def dagpenge_mask(self) -> np.uint64:
        return np.uint64((1 << self.dagpenge_bits) - 1)

    @property
    def sick_shift(self) -> np.uint64:
        return np.uint64(self.dagpenge_bits)

    @property
    def sick_now_mask(self) -> np.uint64:
        """Sygedagpenge months in the window ending with month t."""
        return np.uint64(((1 << (self.sick_bits - 1)) - 1) << self.dagpenge_bits)

    @property
    def sick_before_mask(self) -> np.uint64:
        """Sygedagpenge months in the window ending with month t − 1."""
        return np.uint64(((1 << (self.sick_bits - 1)) - 1) << (self.dagpenge_bits + 1))

    @property
    def keep_mask(self) -> np.uint64:
        """Bits that survive the monthly shift (drops the oldest month of both windows)."""
        total = self.dagpenge_bits + self.sick_bits
        return np.uint64(((1 << total) - 1) & ~(1 << self.dagpenge_bits))


def seed_counters(population: Population, rules: LegalRules) -> None:
    """Fill the rule counters of a population that came without them, from ``months_in_state``.

    A person ``m`` months into an a-dagpenge or sygedagpenge spell has used those months (up to the
    window); ``m`` months on public support count as ``m`` months towards the refund bands; ``m``
    months off support as ``m`` months off. Earlier spells are unknown and count as none.
    """
    bits = HistoryBits.for_rules(rules)
    state = population.state
    months = population.months_in_state
    history = np.zeros(population.n_persons, dtype=np.uint64)
    for code, width, shift in ((State.A_DAGPENGE, bits.dagpenge_bits, np.uint64(0)),
                               (State.SYGEDAGPENGE, bits.sick_bits, bits.sick_shift)):
        on = np.flatnonzero(state == code)
        used = np.minimum(months[on], width).astype(np.uint64)
        history[on] = ((_ONE64 << used) - _ONE64) << shift
    supported = [code for code, info in enumerate(population.catalogue.states) if info.public_support]
    on_support = np.isin(state, supported)
    capped = np.minimum(months, 127).astype(np.int8)
    population.history = history
    population.support_months = np.where(on_support, capped, np.int8(0))
    population.months_off_support = np.where(on_support, np.int8(0), capped)


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
        self._rules = model.rules
        support = np.array([s.public_support for s in model.catalogue.states], dtype=np.int8)
        self._track_support = self._rules is not None and bool(support.any())
        self._support = support
        self._history = HistoryBits.for_rules(self._rules) if self._rules is not None else None
        if self._history is not None:
            bits = np.zeros(model.n_states, dtype=np.uint64)
            bits[State.A_DAGPENGE] = 1
            bits[State.SYGEDAGPENGE] = np.uint64(1) << self._history.sick_shift
            self._history_bits = bits
            kinds = np.zeros(model.n_states, dtype=np.int8)
            kinds[State.A_DAGPENGE] = _DAGPENGE
            kinds[State.SYGEDAGPENGE] = _SICK
            kinds[[State.UDDANNELSESHJAELP_UDDANNELSESPARAT, State.UDDANNELSESHJAELP_AKTIVITETSPARAT]] = _YOUTH
            kinds[State.RESSOURCEFORLOEB] = _RESSOURCE
            self._rule_kind = kinds
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
        """Continue with changed rules (a dated rule change); the history windows cannot change within a run."""
        if (model.rules is None) != (self._rules is None) or (
            model.rules is not None and self._rules is not None
            and HistoryBits.for_rules(model.rules) != HistoryBits.for_rules(self._rules)
        ):
            old = (self._rules.dagpenge_window_months, self._rules.revurdering_window_months) if self._rules else None
            new = (model.rules.dagpenge_window_months, model.rules.revurdering_window_months) if model.rules else None
            raise ModelError("a rule change cannot switch the rules on or off, nor change the a-dagpenge or sygedagpenge "
                             f"windows within a run; (dagpenge, revurdering) windows {old} would become {new}.")
        self.model = model
        self._rules = model.rules
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
        self.deferred = []
        ledger.carry_stocks(t)
        if paths is not None:
            self._record(population, paths[t])
        for start in range(0, population.n_persons, CHUNK_SIZE):
            stop = min(start + CHUNK_SIZE, population.n_persons)
            self._chunk(population, slice(start, stop), context, ledger, t)
        self.participation = None
        if self.demography is not None:
            self._demography(population, month, ledger, t, context)
        ledger.close_month(t, self._support.view(np.bool_) if self._track_support else None)

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
        if new and self._rules is not None:
            self._admit(new, context)
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

    def _admit(self, new: dict[str, npt.NDArray[Any]], context: _MonthContext) -> None:
        """New persons obey the rules from their first month: uddannelseshjælp is for the unqualified
        under 30 (kontanthjælp for the rest), past folkepension age they are pensioners."""
        state = new["state"]
        births = new["birth_month"]
        education = new["education"]
        under_30 = births > context.turns_30_birth
        kontant = (state == State.KONTANTHJAELP_JOBPARAT) | (state == State.KONTANTHJAELP_AKTIVITETSPARAT)
        to_youth = kontant & under_30 & (education == Education.UFAGLAERT)
        state[to_youth] -= np.int8(State.KONTANTHJAELP_JOBPARAT - State.UDDANNELSESHJAELP_UDDANNELSESPARAT)
        youth_benefit = (state == State.UDDANNELSESHJAELP_UDDANNELSESPARAT) | (state == State.UDDANNELSESHJAELP_AKTIVITETSPARAT)
        to_adult = youth_benefit & (~under_30 | (education != Education.UFAGLAERT))
        state[to_adult] += np.int8(State.KONTANTHJAELP_JOBPARAT - State.UDDANNELSESHJAELP_UDDANNELSESPARAT)
        state[births <= context.retired_birth] = State.FOLKEPENSION

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
        if self._history is not None:
            self._count_history(population, part, state)
        if ledger.counts_cells(t):
            ledger.add_cell_counts(t, np.bincount(cell, minlength=self.layout.n_cells))
        if self._track_support:
            self._count_support(population, part, state, ledger, t)
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
        if self._rules is None:
            changed = movers  # a destination is never the origin: its probability is zero
            new_states = destinations
        else:
            next_state = state_now.copy()
            next_state[movers] = destinations
            self._apply_rules(population, part, state_now, next_state, context)
            changed = np.flatnonzero(next_state != state_now)
            new_states = next_state[changed]
        duration = population.months_in_state[part]
        if context.saturate:
            np.minimum(duration, _SATURATE_INT16, out=duration)
        duration += np.int16(1)
        if changed.size:
            ledger.add_flows(t, self.layout.cell_group.take(cell[changed]), state_now[changed], new_states)
            duration[changed] = 0
            state_now[changed] = new_states

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

    def _count_history(self, population: Population, part: slice, state: npt.NDArray[np.intp]) -> None:
        bits = self._history
        assert bits is not None
        history = population.history[part]
        history <<= _ONE64
        history &= bits.keep_mask
        history |= self._history_bits.take(state)

    def _count_support(
        self, population: Population, part: slice, state: npt.NDArray[np.intp], ledger: Ledger, t: int
    ) -> None:
        rules = self._rules
        assert rules is not None
        on_support = self._support.take(state)  # int8 0/1: an int8 table gathers faster than a bool one
        months = population.support_months[part]
        off = population.months_off_support[part]
        months -= (months == _INT8_MAX).view(np.int8)  # saturate before counting the month
        months += on_support
        off -= (off == _INT8_MAX).view(np.int8)
        off += np.int8(1)
        off *= np.int8(1) - on_support
        np.multiply(months, (off < rules.support_reset_months).view(np.int8), out=months)
        # Only the first months of support fall in the early refund bands; the ledger takes
        # later months as the rest of the stock on support.
        chosen = np.flatnonzero(on_support.view(np.bool_) & (months < SUPPORT_MONTH_CAP))
        if chosen.size:
            ledger.add_early_support_months(t, state[chosen], months[chosen])

    def _apply_rules(
        self,
        population: Population,
        part: slice,
        state: npt.NDArray[np.int8],
        next_state: npt.NDArray[np.int8],
        context: _MonthContext,
    ) -> None:
        """Gates and forced moves of DOMAIN.md §2, applied after the draws, in order of precedence."""
        rules = self._rules
        bits = self._history
        assert rules is not None and bits is not None
        ids = population.ids[part]
        history = population.history[part]
        births = population.birth_month[part]
        kind = self._rule_kind.take(next_state.astype(np.intp))
        candidates = np.flatnonzero(kind)
        kind = kind[candidates]
        # a-dagpenge: nobody stays on or enters them with the months of the window used up.
        on_dagpenge = candidates[kind == _DAGPENGE]
        if on_dagpenge.size:
            used = np.bitwise_count(history[on_dagpenge] & bits.dagpenge_mask)
            exhausted = on_dagpenge[used >= rules.dagpenge_max_months]
            if exhausted.size:
                means_tested = self.streams.uniforms(context.exhaustion_key, ids[exhausted]) < rules.exhausted_to_kontanthjaelp
                youth = (births[exhausted] > context.turns_30_birth) & (
                    population.education[part][exhausted] == Education.UFAGLAERT
                )
                assistance = np.where(youth, State.UDDANNELSESHJAELP_UDDANNELSESPARAT, State.KONTANTHJAELP_JOBPARAT)
                next_state[exhausted] = np.where(means_tested, assistance, State.OUTSIDE)
        # Revurdering: sygedagpenge past 22 weeks within 9 months → jobafklaring unless extended.
        sick = candidates[kind == _SICK]
        sick = sick[state[sick] == State.SYGEDAGPENGE]
        if sick.size:
            limit = rules.revurdering_months
            now = np.bitwise_count(history[sick] & bits.sick_now_mask)
            before = np.bitwise_count(history[sick] & bits.sick_before_mask)
            new_spell = population.months_in_state[part][sick] == 0
            due = sick[(now >= limit) & ((before < limit) | new_spell)]
            if due.size:
                extended = self.streams.uniforms(context.revurdering_key, ids[due]) < rules.extension_probability
                if self.flags is not None and self.flags.extend_sickness:
                    extended |= (population.flags[part][due] & np.uint8(self.flags.extend_sickness)) != 0
                next_state[due[~extended]] = State.JOBAFKLARING
        # A ressourceforløb at its longest ends; the case goes back to kontanthjælp, aktivitetsparat.
        longest = rules.ressourceforloeb_max_months
        if longest is not None:
            course = candidates[kind == _RESSOURCE]
            ended = course[(state[course] == State.RESSOURCEFORLOEB)
                           & (population.months_in_state[part][course] + 1 >= longest)]
            next_state[ended] = State.KONTANTHJAELP_AKTIVITETSPARAT
        # Uddannelseshjælp ends at 30 (also for those an exhausted right just sent there).
        youth_benefit = np.flatnonzero(
            (next_state == State.UDDANNELSESHJAELP_UDDANNELSESPARAT) | (next_state == State.UDDANNELSESHJAELP_AKTIVITETSPARAT)
        ) if on_dagpenge.size else candidates[kind == _YOUTH]
        aged_out = youth_benefit[births[youth_benefit] <= context.turns_30_birth]
        if aged_out.size:
            next_state[aged_out] += np.int8(State.KONTANTHJAELP_JOBPARAT - State.UDDANNELSESHJAELP_UDDANNELSESPARAT)
        # Folkepension at the legal age for the birth month, whatever else happened. Earlier
        # cohorts are on folkepension already, and nobody leaves it.
        retiring = np.flatnonzero((births <= context.retired_birth) & (births > context.retired_before))
        next_state[retiring] = State.FOLKEPENSION


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

    __slots__ = ("month", "table", "saturate", "stay_words", "age_lookup", "tie_key", "destination_key", "exhaustion_key",
                 "revurdering_key", "turns_30_birth", "retired_birth", "retired_before")

    def __init__(self, step: MonthlyStep, month: int, table: CellTable) -> None:
        self.month = month
        self.table = table
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
        rules = step.model.rules
        if rules is not None:
            self.exhaustion_key = streams.key(month, Purpose.EXHAUSTION)
            self.revurdering_key = streams.key(month, Purpose.REVURDERING)
            # Ages at month + 1, the month the new states apply to.
            self.turns_30_birth = month + 1 - 12 * rules.uddannelseshjaelp_max_age
            self.retired_birth = rules.pension.last_birth_month_retired(month + 1, 0)
            self.retired_before = rules.pension.last_birth_month_retired(month, 0)
