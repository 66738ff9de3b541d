"""The Danish legal rules (DOMAIN.md §2) as one object built against a catalogue.

Read from top to bottom this module is the list of rules, each a small method with its legal source,
in the order the monthly step applies them:

Gates on the hazards (:meth:`DanishRules.gate`, in the cell table)
    uddannelseshjælp or kontanthjælp by age and qualification · førtidspension from 40 · seniorpension
    and efterløn at their ages · no ressourceforløb near folkepension age · no hazard past folkepension age.
Counters (:meth:`DanishRules.count`, for the month just spent)
    a-dagpenge months used · sygedagpenge months towards revurdering · the refund counter and its restart.
Forced moves (:meth:`DanishRules.force`, after the draws, in order of precedence)
    work done towards a used-up a-dagpenge right (counted when a job ends) · the a-dagpenge right ·
    revurdering (which stores the last month of an extension) · the end of a sickness extension · the end of
    a jobafklaringsforløb · the end of a ressourceforløb · a qualification gained in education ·
    uddannelseshjælp or kontanthjælp · folkepension.
New persons (:meth:`DanishRules.admit`) and the start population (:meth:`DanishRules.check`).

The numbers are :class:`~labsim.core.rules.LegalRules` fields; their sources are there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from labsim.calendar import month_label
from labsim.core.attributes import Education
from labsim.core.population import MIN_AGE_YEARS, Population
from labsim.core.rules.parameters import UNLIMITED_MONTHS, LegalRules
from labsim.core.rules.windows import ONE, HistoryBits
from labsim.errors import ModelError, PopulationError
from labsim.rng import Purpose
from labsim.states import Gate, StateCatalogue

if TYPE_CHECKING:
    from labsim.core.age import AgeClasses
    from labsim.rng import RandomStreams

__all__ = ["DanishRules"]

_SATURATED = np.int8(127)
_UNLIMITED = np.int8(UNLIMITED_MONTHS)
_GATE_PARAMETERS = ("pension", "uddannelseshjaelp_max_age", "foertidspension_min_age", "foertidspension_exception_factor",
                    "seniorpension_window_years", "ressourceforloeb_near_pension_factor")
"""The parameters :meth:`DanishRules.gate` reads."""
_MONTH_SHIFT = np.uint64(40)  # a support window keeps its month from bit 40 (its bits are at most 40, LegalRules)


class DanishRules:
    """The rules of DOMAIN.md §2 for populations of ``catalogue`` (satisfies :class:`~labsim.core.rules.Rules`).

    State codes are resolved by name once; ``adult_benefit_of`` and ``youth_benefit_of`` map each social
    assistance state to its kontanthjælp or uddannelseshjælp counterpart of the same readiness (other
    states to themselves).
    """

    counters: tuple[str, ...] = ("history", "support_months", "support_window", "requalify_months", "extension_months")
    fields: tuple[str, ...] = (*counters, "education")

    def __init__(self, parameters: LegalRules, catalogue: StateCatalogue, ages: AgeClasses,
                 streams: RandomStreams | None = None) -> None:
        self.parameters = parameters
        self.catalogue = catalogue
        self.ages = ages
        self.streams = streams
        code = catalogue.code
        self.employed, self.education = code("employed"), code("education")
        self.dagpenge, self.sick, self.outside = code("a_dagpenge"), code("sygedagpenge"), code("outside")
        self.jobafklaring, self.ressourceforloeb = code("jobafklaring"), code("ressourceforloeb")
        self.kontanthjaelp_jobparat = code("kontanthjaelp_jobparat")
        self.kontanthjaelp_aktivitetsparat = code("kontanthjaelp_aktivitetsparat")
        self.folkepension = code("folkepension")
        self.foertidspension, self.seniorpension, self.efterloen = (
            code("foertidspension"), code("seniorpension"), code("efterloen"))
        n = catalogue.n_states
        self.adult_benefit_of = np.arange(n, dtype=np.int8)
        self.youth_benefit_of = np.arange(n, dtype=np.int8)
        self.assistance = np.zeros(n, dtype=bool)
        for adult, youth in (("kontanthjaelp_jobparat", "uddannelseshjaelp_uddannelsesparat"),
                             ("kontanthjaelp_aktivitetsparat", "uddannelseshjaelp_aktivitetsparat")):
            self.adult_benefit_of[code(youth)] = code(adult)
            self.youth_benefit_of[code(adult)] = code(youth)
            self.assistance[[code(adult), code(youth)]] = True
        self.on_support = np.array([s.public_support for s in catalogue.states], dtype=np.int8)
        # States whose persons a forced move may touch while they stay (movers are looked at anyway).
        self.watched = (self.dagpenge, self.sick, self.jobafklaring, self.ressourceforloeb,
                        *(int(code) for code in np.flatnonzero(self.adult_benefit_of != np.arange(n))))
        self.windows = HistoryBits.for_rules(parameters)
        self.history_bit = np.zeros(n, dtype=np.uint64)
        self.history_bit[self.dagpenge] = ONE
        self.history_bit[self.sick] = ONE << self.windows.sick_shift
        if parameters.dagpenge_consumption_suspended:
            self.history_bit[self.dagpenge] = 0  # COVID-19: the months do not count (§ 55 stk. 7)
        self.support_mask = np.uint64((1 << parameters.support_reset_window_months) - 1)
        p = parameters
        self.extension_limits = (p.extension_months(p.work_testing_weeks), p.extension_months(p.treatment_weeks))
        self.month = -1
        # What the gates need of the age classes: each class's band's upper edge (years) and pension stage.
        self.band_upper = np.array([*ages.cuts_years, 999])[ages.band_of_class()]
        self.stage = ages.stage_of_class()
        self.hazard_allowed = catalogue.allowed_matrix(Gate.HAZARD)
        self.youth_pairs = tuple((int(youth), int(self.adult_benefit_of[youth]))
                                 for youth in np.flatnonzero(self.adult_benefit_of != np.arange(n)))

    # -- the month ---------------------------------------------------------------------------

    def begin(self, month: int) -> None:
        """Ages of month ``month + 1`` (the month a new state applies to) and the month's random keys."""
        p = self.parameters
        self.month = month
        self.turns_30_birth = month + 1 - 12 * p.uddannelseshjaelp_max_age
        self.retired_birth = p.pension.last_birth_month_retired(month + 1, 0)
        self.retired_before = p.pension.last_birth_month_retired(month, 0)
        if self.streams is not None:
            self.exhaustion_key = self.streams.key(month, Purpose.EXHAUSTION)
            self.revurdering_key = self.streams.key(month, Purpose.REVURDERING)
            self.renewal_key = self.streams.key(month, Purpose.RENEWAL)

    def hand_over(self, successor: Any) -> bool:
        """A dated change keeps the history windows (they are sized once per run); the cell tables hold while the
        parameters :meth:`gate` reads stay the same."""
        if not isinstance(successor, DanishRules) or successor.windows != self.windows:
            old = (self.parameters.dagpenge_window_months, self.parameters.revurdering_window_months)
            new = ((successor.parameters.dagpenge_window_months, successor.parameters.revurdering_window_months)
                   if isinstance(successor, DanishRules) else None)
            raise ModelError("a rule change cannot switch the rules off, nor change the a-dagpenge or sygedagpenge "
                             f"windows within a run; (dagpenge, revurdering) windows {old} would become {new}.")
        if successor.parameters.support_reset_window_months != self.parameters.support_reset_window_months:
            raise ModelError("a rule change cannot change support_reset_window_months within a run; got "
                             f"{self.parameters.support_reset_window_months} → "
                             f"{successor.parameters.support_reset_window_months}.")
        return all(getattr(self.parameters, name) == getattr(successor.parameters, name) for name in _GATE_PARAMETERS)

    # -- gates on the hazards ----------------------------------------------------------------

    def gate(self, origin: int, hazards: npt.NDArray[np.float64], education: npt.NDArray[np.int8]) -> None:
        """Age and qualification gates on one origin's cell hazards ``(B, A, P, F, S)``, in place."""
        p, upper, stage = self.parameters, self.band_upper, self.stage
        self._gate_youth_benefit(origin, hazards, (upper <= p.uddannelseshjaelp_max_age)[:, None]
                                 & (education == Education.UFAGLAERT)[None, :])
        # Førtidspension from 40; under 40 only where working capacity obviously cannot improve (DOMAIN.md §1.2).
        hazards[:, upper <= p.foertidspension_min_age, ..., self.foertidspension] *= p.foertidspension_exception_factor
        # Seniorpension within 6 years of folkepension age, efterløn from efterløn age (DOMAIN.md §1.2, §2.6).
        hazards[:, stage < 1, ..., self.seniorpension] = 0.0
        hazards[:, stage < 2, ..., self.efterloen] = 0.0
        # No new ressourceforløb within 6 years of folkepension age unless asked (from 2022, LAB § 112 stk. 3).
        hazards[:, stage >= 1, ..., self.ressourceforloeb] *= p.ressourceforloeb_near_pension_factor
        hazards[:, stage >= 3, ...] = 0.0  # past folkepension age the rules move everyone

    def _gate_youth_benefit(self, origin: int, hazards: npt.NDArray[np.float64], youth: npt.NDArray[np.bool_]) -> None:
        """Uddannelseshjælp under 30 without a qualification, kontanthjælp for everyone else (DOMAIN.md §1.2):
        a hazard into one is a hazard into the other, for the cells ``youth`` (age class × profile) or not."""
        for youth_state, adult_state in self.youth_pairs:
            for source, target, cells in ((adult_state, youth_state, youth), (youth_state, adult_state, ~youth)):
                if origin == target or not self.hazard_allowed[origin, target]:
                    continue
                hazards[:, cells, ..., target] += hazards[:, cells, ..., source]
                hazards[:, cells, ..., source] = 0.0

    # -- counters ----------------------------------------------------------------------------

    def count(self, population: Population, part: slice, state: npt.NDArray[np.int8]) -> npt.NDArray[np.int8]:
        """The counters for the month persons ``part`` spend in ``state``; returns the refund counter."""
        employer = np.zeros(0, np.intp)
        if self.parameters.employer_period_months:
            sick = np.flatnonzero(state == self.sick)
            employer = sick[population.months_in_state[part][sick] < self.parameters.employer_period_months]
        self._count_windows(population, part, state, employer)
        return self._count_support(population, part, state, employer)

    def _count_windows(self, population: Population, part: slice, state: npt.NDArray[np.int8],
                       employer: npt.NDArray[np.intp]) -> None:
        """a-dagpenge months towards 24 in 36 (not in a COVID-19 suspension), sygedagpenge months towards 22
        weeks in 9 months (not the employer's first month, sygedagpengeloven § 24)."""
        history = population.history[part]
        history <<= ONE
        history &= self.windows.keep_mask
        history |= self.history_bit.take(state)
        history[employer] &= ~(ONE << self.windows.sick_shift)

    def _count_support(self, population: Population, part: slice, state: npt.NDArray[np.int8],
                       employer: npt.NDArray[np.intp]) -> npt.NDArray[np.int8]:
        """Cumulative months on public support for the refund bands (refusionsreform, DOMAIN.md §3.1), restarting
        after 12 months of self-support within the last 36 since the count started (LKF § 6)."""
        paid = self.on_support.take(state)  # int8 0/1: an int8 table gathers faster than a bool one
        paid[employer] = 0  # the employer pays the first month of sickness
        counter = population.support_months[part]
        counter -= (counter == _SATURATED).view(np.int8)  # saturate before counting the month
        counter += paid
        months = counter * paid
        self._restart_support(population, part, counter, np.flatnonzero(months != counter))
        return months

    def _restart_support(self, population: Population, part: slice, counter: npt.NDArray[np.int8],
                         off: npt.NDArray[np.intp]) -> None:
        """Mark a month of self-support (``off``: persons off support with a count running) in their window; 12
        within the last 36 restart the count. A window stores the month of its latest bit above its 36 bits, so
        that months on support (zeros) need no writing."""
        if not off.size:
            return
        window = population.support_window[part]
        stored = window[off]
        gap = np.minimum(np.uint64(self.month) - (stored >> _MONTH_SHIFT), np.uint64(63))
        bits = ((stored & self.support_mask) << gap) & self.support_mask | ONE
        restart = np.bitwise_count(bits) >= self.parameters.support_reset_months
        bits[restart] = 0
        counter[off[restart]] = 0
        window[off] = (np.uint64(self.month) << _MONTH_SHIFT) | bits

    # -- forced moves ------------------------------------------------------------------------

    def force(self, population: Population, part: slice, state: npt.NDArray[np.int8], next_state: npt.NDArray[np.int8],
              waiting: npt.NDArray[np.bool_] | None) -> None:
        """The forced moves in order of precedence, on the drawn ``next_state`` (in place). All but folkepension
        act on the few persons a rule can touch (``_Chunk``), gathered once."""
        chunk = _Chunk(population, part, state, next_state, waiting, self.watched)
        self._work_done(chunk)
        self._dagpenge_right(chunk)
        self._revurdering(chunk)
        self._extension_end(chunk)
        self._jobafklaring_end(chunk)
        self._ressourceforloeb_end(chunk)
        self._qualification(chunk)
        self._youth_benefit(chunk)
        next_state[chunk.at] = chunk.next
        self._folkepension(population.birth_month[part], next_state)

    def _work_done(self, c: _Chunk) -> None:
        """A spell of ordinary work that ends counts towards earning a used-up a-dagpenge right again; a sickness
        spell that ends ends its extension."""
        worked = c.at[c.moved[c.state[c.moved] == self.employed]]
        needed = c.population.requalify_months[c.part]
        worked = worked[needed[worked] > 0]
        self._requalify(c, worked, c.population.months_in_state[c.part][worked].astype(np.int64) + 1)
        c.population.extension_months[c.part][c.at[c.moved[c.state[c.moved] == self.sick]]] = 0

    def _requalify(self, c: _Chunk, persons: npt.NDArray[np.intp], months: npt.NDArray[np.int64]) -> None:
        """Count ``months`` of ordinary work towards a used-up right (genoptjening, § 53 stk. 8: 1,924 hours
        within 3 years); with the last month a full new period starts."""
        needed = c.population.requalify_months[c.part]
        left = np.maximum(needed[persons] - months, 0)
        needed[persons] = left.astype(np.int8)
        c.population.history[c.part][persons[left == 0]] &= ~self.windows.dagpenge_window_mask

    def _dagpenge_right(self, c: _Chunk) -> None:
        """The right is used up with 24 months of the last 36 on a-dagpenge (DOMAIN.md §2.1; not in a COVID-19
        suspension), and must then be earned again by 12 months of work; until then nobody stays on or enters
        a-dagpenge. The means-tested share moves to social assistance, the rest are self-supported."""
        p = self.parameters
        on = np.flatnonzero((c.state == self.dagpenge) | (c.next == self.dagpenge))  # in, into or out of it
        if not on.size:
            return
        persons = c.at[on]
        needed = c.population.requalify_months[c.part]  # a job just left was counted by _work_done
        if not p.dagpenge_consumption_suspended:
            history = c.population.history[c.part][persons]
            used_up = np.bitwise_count(history & self.windows.dagpenge_window_mask) >= p.dagpenge_max_months
            used_up &= (c.state[on] == self.dagpenge) | (np.bitwise_count(history & self.windows.dagpenge_mask)
                                                         >= p.dagpenge_max_months)
            needed[persons[used_up & (needed[persons] == 0)]] = np.int8(p.dagpenge_requalify_months)
        lost = on[(needed[persons] > 0) & (c.next[on] == self.dagpenge)]
        if lost.size:
            assert self.streams is not None
            means_tested = self.streams.uniforms(self.exhaustion_key, c.ids(lost)) < p.exhausted_to_kontanthjaelp
            c.next[lost] = np.where(means_tested, self.kontanthjaelp_jobparat, self.outside)

    def _revurdering(self, c: _Chunk) -> None:
        """Sygedagpenge past 22 weeks within 9 months → jobafklaring unless an extension ground applies
        (sygedagpengeloven § 24, § 27; DOMAIN.md §2.2); the ground, drawn from its share, sets the extension's
        limit (69 or 134 weeks from revurdering, or none). A person waiting for the rehabiliteringsteam is
        extended until the team decides (§ 27 stk. 1 nr. 4)."""
        p, bits = self.parameters, self.windows
        sick = c.staying(self.sick)
        history = c.population.history[c.part][c.at[sick]]
        now = np.bitwise_count(history & bits.sick_now_mask)
        before = np.bitwise_count(history & bits.sick_before_mask)
        due = sick[(now >= p.revurdering_months) & ((before < p.revurdering_months) | (c.months[sick] == 0))]
        if not due.size:
            return
        assert self.streams is not None
        draw = self.streams.uniforms(self.revurdering_key, c.ids(due))
        extended = draw < p.extension_probability
        held = c.waiting[c.at[due]] if c.waiting is not None else np.zeros(due.size, dtype=bool)
        c.next[due[~(extended | held)]] = self.jobafklaring
        ground = draw / max(p.extension_probability, 1e-300)  # uniform on [0, 1) among the extended
        months = self._ground_months(ground)
        months[held] = UNLIMITED_MONTHS
        chosen = extended | held
        # the month of the spell that is the extension's last (UNLIMITED_MONTHS: no limit)
        last = np.where(months < UNLIMITED_MONTHS, c.months[due] + months, UNLIMITED_MONTHS)
        c.population.extension_months[c.part][c.at[due[chosen]]] = np.minimum(last[chosen], UNLIMITED_MONTHS)

    def _ground_months(self, ground: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
        """The months an extension may run from revurdering, by the ground a uniform on [0, 1) picks with the
        grounds' shares: clarifying the working capacity, medical treatment, or none of the limited ones."""
        p = self.parameters
        short, long = self.extension_limits
        return np.where(ground < p.work_testing_share, short,
                        np.where(ground < p.work_testing_share + p.treatment_share, long, UNLIMITED_MONTHS))

    def _extension_end(self, c: _Chunk) -> None:
        """An extension ends at its ground's limit, and the person moves to jobafklaring (§ 27 stk. 1 nr. 2–3) —
        not while the COVID-19 extensions run, nor while the rehabiliteringsteam is yet to decide."""
        if self.parameters.extension_limits_suspended:
            return
        last = c.population.extension_months[c.part]
        sick = c.staying(self.sick)
        limit = last[c.at[sick]]
        ending = sick[(limit > 0) & (limit < _UNLIMITED) & (c.months[sick] >= limit)]
        if c.waiting is not None:
            ending = ending[~c.waiting[c.at[ending]]]
        c.next[ending] = self.jobafklaring
        last[c.at[ending]] = 0

    def _jobafklaring_end(self, c: _Chunk) -> None:
        """A jobafklaringsforløb runs at most 2 years; a new one may follow after a new assessment (LAB kapitel
        18; DOMAIN.md §2.2). The share not renewed moves to kontanthjælp, aktivitetsparat."""
        p = self.parameters
        if p.jobafklaring_max_months is None:
            return
        on = c.staying(self.jobafklaring)
        ending = on[(c.months[on].astype(np.intp) + 1) % p.jobafklaring_max_months == 0]
        if ending.size:
            assert self.streams is not None
            renewed = self.streams.uniforms(self.renewal_key, c.ids(ending)) < p.jobafklaring_renewal_share
            c.next[ending[~renewed]] = self.kontanthjaelp_aktivitetsparat

    def _ressourceforloeb_end(self, c: _Chunk) -> None:
        """A ressourceforløb at its longest ends — 5 years, or 3 for a forløb started from 2022 (lov nr. 1160 af
        8.6.2021; DOMAIN.md §2.3) — and the case goes back to kontanthjælp, aktivitetsparat."""
        p = self.parameters
        if p.ressourceforloeb_max_months is None:
            return
        on = c.staying(self.ressourceforloeb)
        spell = c.months[on].astype(np.intp) + 1
        longest = np.full(on.size, p.ressourceforloeb_max_months)
        if p.ressourceforloeb_max_from is not None:  # a forløb granted before keeps the earlier limit, or none
            started_before = self.month + 1 - spell < p.ressourceforloeb_max_from
            longest[started_before] = p.ressourceforloeb_earlier_max_months or np.iinfo(np.int32).max
        c.next[on[spell >= longest]] = self.kontanthjaelp_aktivitetsparat

    def _qualification(self, c: _Chunk) -> None:
        """A person without a qualification who leaves education after ``qualification_months`` has gained one
        (*assumption*), and is no longer in uddannelseshjælp's group (DOMAIN.md §1.2)."""
        months = self.parameters.qualification_months
        if months is None:
            return
        leaving = c.moved[c.state[c.moved] == self.education]
        education = c.population.education[c.part]
        persons = c.at[leaving[c.months[leaving] + 1 >= months]]
        education[persons[education[persons] == Education.UFAGLAERT]] = Education.FAGLAERT

    def _youth_benefit(self, c: _Chunk) -> None:
        """Social assistance is uddannelseshjælp under 30 without a qualification and kontanthjælp for everyone
        else (DOMAIN.md §1.2, §2.4), whatever path led there: a hazard, a forced move, the 30th birthday."""
        on = np.flatnonzero(self.assistance.take(c.next.astype(np.intp)))
        persons = c.at[on]
        c.next[on] = self.benefit_for(c.next[on], c.population.birth_month[c.part][persons],
                                      c.population.education[c.part][persons])

    def benefit_for(self, benefit: npt.NDArray[np.int8], births: npt.NDArray[Any],
                    education: npt.NDArray[np.int8]) -> npt.NDArray[np.int8]:
        """The social assistance state of the same readiness that persons born ``births`` with ``education`` get
        in month ``month + 1`` (of :meth:`begin`)."""
        youth = (births > self.turns_30_birth) & (education == Education.UFAGLAERT)
        return np.where(youth, self.youth_benefit_of.take(benefit.astype(np.intp)),
                        self.adult_benefit_of.take(benefit.astype(np.intp))).astype(np.int8)

    def _folkepension(self, births: npt.NDArray[np.int16], next_state: npt.NDArray[np.int8]) -> None:
        """Folkepension at the legal age for the birth month, whatever else happened (DOMAIN.md §2.6). Earlier
        cohorts are on folkepension already, and nobody leaves it."""
        retiring = np.flatnonzero((births <= self.retired_birth) & (births > self.retired_before))
        next_state[retiring] = self.folkepension

    # -- new persons and the start -----------------------------------------------------------

    def admit(self, arrivals: Mapping[str, npt.NDArray[Any]], month: int) -> None:
        """New persons obey the rules from their first month: social assistance by age and qualification, and
        folkepension past its age."""
        self.begin(month)
        state, births = arrivals["state"], arrivals["birth_month"]
        on = np.flatnonzero(self.assistance.take(state.astype(np.intp)))
        state[on] = self.benefit_for(state[on], births[on], arrivals["education"][on])
        state[births <= self.retired_birth] = self.folkepension

    def check(self, population: Population, start: int) -> None:
        """Raise :class:`~labsim.errors.PopulationError` if the start population breaks a rule at ``start``."""
        population.check_ages(start)
        found = self.violation(population, start)
        if found is not None:
            raise PopulationError(f"{found[1]}.")

    def violation(self, population: Population, start: int) -> tuple[int, str] | None:
        """The first person (position) of the start population who breaks a rule at ``start``, and what is wrong:
        social assistance by age and qualification, and everyone past folkepension age on folkepension."""
        if not population.n_persons:
            return None
        self.begin(start - 1)
        on = np.flatnonzero(self.assistance.take(population.state.astype(np.intp)))
        wrong = on[self.benefit_for(population.state[on], population.birth_month[on], population.education[on])
                   != population.state[on]]
        if wrong.size:
            i = int(wrong[0])
            age = (start - int(population.birth_month[i])) // 12
            return i, (f"Population.state: uddannelseshjælp is for persons under {self.parameters.uddannelseshjaelp_max_age} "
                       f"without a vocational qualification, kontanthjælp for everyone else; person "
                       f"{int(population.ids[i])} is {age} years old at {month_label(start)}, "
                       f"{Education(int(population.education[i])).name.lower()}, on {self.catalogue.names[population.state[i]]}")
        births = population.birth_month
        retired_by = self.parameters.pension.last_birth_month_retired(start, int(births.min()))
        working = np.flatnonzero((births <= retired_by) & (population.state != self.folkepension))
        if working.size:
            i = int(working[0])
            return i, (f"Population.state: persons past folkepension age must be on folkepension; person "
                       f"{int(population.ids[i])} (born {month_label(int(births[i]))}) is on "
                       f"{self.catalogue.names[population.state[i]]} at {month_label(start)}")
        return None

    def seed(self, population: Population, start: int) -> None:
        """Counters for a population that came without them. A person ``m`` months into an a-dagpenge or
        sygedagpenge spell has used those months (up to the window; the employer's first month not); a
        sygedagpenge spell past revurdering was extended on a ground drawn as at revurdering; ``m`` months on
        public support count towards the refund bands. Earlier spells are unknown and count as none."""
        p, bits = self.parameters, self.windows
        state, months, n = population.state, population.months_in_state, population.n_persons
        history = np.zeros(n, dtype=np.uint64)
        on = np.flatnonzero(state == self.dagpenge)
        history[on] = (ONE << np.minimum(months[on], bits.dagpenge_bits).astype(np.uint64)) - ONE
        sick = np.flatnonzero(state == self.sick)
        counted = np.clip(months[sick].astype(np.int64) - p.employer_period_months, 0, bits.sick_bits - 1)
        history[sick] = ((ONE << counted.astype(np.uint64)) - ONE) << bits.sick_shift
        population.history = history
        population.extension_months = self._seed_extensions(population, sick, counted, start)
        support = np.minimum(months, 127).astype(np.int8)
        support *= self.on_support.take(state.astype(np.intp))
        population.support_months = support
        population.support_window = np.zeros(n, dtype=np.uint64)
        population.requalify_months = np.zeros(n, dtype=np.int8)

    def spell_ends(self, state: int, months: int) -> npt.NDArray[np.float64]:
        """``(months,)``: the share of the spells of ``state`` still running in their month ``d`` (months in state
        ``d``) that the forced moves end after it, within one spell as the expected path counts them: the
        a-dagpenge right after 24 months on it, revurdering for those not extended and each extension ground at
        its limit, a jobafklaringsforløb at 2 years unless renewed, a ressourceforløb granted now at its limit."""
        p = self.parameters
        ended = np.zeros(months)
        if state == self.dagpenge and not p.dagpenge_consumption_suspended:
            ended[min(p.dagpenge_max_months - 1, months):] = 1.0
        elif state == self.sick:
            due = p.revurdering_months + p.employer_period_months - 1
            if due < months:
                ended[due] = 1.0 - p.extension_probability
            left = 1.0
            for share, weeks in ((p.work_testing_share, p.work_testing_weeks), (p.treatment_share, p.treatment_weeks)):
                end = due + p.extension_months(weeks)
                if not p.extension_limits_suspended and left > 0 and end < months:
                    ended[end] = share / left
                left -= share
        elif state == self.jobafklaring and p.jobafklaring_max_months is not None:
            ended[p.jobafklaring_max_months - 1::p.jobafklaring_max_months] = 1.0 - p.jobafklaring_renewal_share
        elif state == self.ressourceforloeb and p.ressourceforloeb_max_months is not None:
            ended[min(p.ressourceforloeb_max_months - 1, months):] = 1.0
        return ended

    def spell_survival(self, state: int, months: int, start: int) -> npt.NDArray[np.float64]:
        """``(months,)``: the share of the spells of ``state`` that the forced moves let reach each month ``0 …
        months − 1``, for spells that are that long at ``start`` (:meth:`spell_ends`; a steady start's duration
        distribution is this times the hazards' survival). A ressourceforløb ``d`` months long at ``start``
        started at ``start − d`` and has the limit of that month."""
        p = self.parameters
        survival = np.concatenate([[1.0], np.cumprod(1.0 - self.spell_ends(state, months)[:-1])])[:months]
        if state == self.ressourceforloeb and p.ressourceforloeb_max_months is not None:
            spell = np.arange(months)
            limit = np.full(months, p.ressourceforloeb_max_months)
            if p.ressourceforloeb_max_from is not None:
                limit[start - spell < p.ressourceforloeb_max_from] = (p.ressourceforloeb_earlier_max_months
                                                                      or np.iinfo(np.int32).max)
            survival = np.where(spell >= limit, 0.0, 1.0)
        return survival

    def spell_start_earliest(self, state: npt.NDArray[np.int8], births: npt.NDArray[Any]) -> npt.NDArray[np.int64]:
        """The earliest month each person's spell in ``state`` can have started: the month they reached the age of
        folkepension, of efterløn or of the seniorpension window for those states, the month they turned 16 for
        every other state."""
        p = self.parameters
        births = births.astype(np.int64)
        earliest = births + 12 * MIN_AGE_YEARS
        for code, age in ((self.folkepension, p.pension.folkepension_age),
                          (self.efterloen, p.pension.efterloen_age),
                          (self.seniorpension,
                           lambda born: p.pension.folkepension_age(born) - 12 * p.seniorpension_window_years)):
            on = state == code
            earliest[on] = births[on] + age(births[on])
        return earliest

    def _seed_extensions(self, population: Population, sick: npt.NDArray[np.intp],
                         counted: npt.NDArray[np.int64], start: int) -> npt.NDArray[np.int8]:
        """The last month of the extension of each sick person past revurdering at the start (their revurdering
        was in the spell's 7th month; a limit already passed ends the spell in the first month)."""
        p = self.parameters
        last = np.zeros(population.n_persons, dtype=np.int8)
        past = sick[counted >= p.revurdering_months]
        if not past.size or self.streams is None:
            return last
        # Everyone past revurdering at the start was extended; a draw of the month before the start picks the ground.
        ground = self.streams.uniforms(self.streams.key(start - 1, Purpose.REVURDERING), population.ids[past])
        limit = self._ground_months(ground)
        revurdering = p.revurdering_months + p.employer_period_months - 1
        last[past] = np.minimum(np.where(limit < UNLIMITED_MONTHS, revurdering + limit, UNLIMITED_MONTHS),
                                UNLIMITED_MONTHS).astype(np.int8)
        return last


class _Chunk:
    """The persons of one chunk a rule can touch this month: those drawn to another state and those in a state a
    rule watches (found in one pass of ``int8`` comparisons, several times faster than a look-up table). ``at``
    holds their positions in the chunk; ``state``, ``next`` (written back by :meth:`DanishRules.force`) and
    ``months`` their values, gathered once; rules index these with local positions (``moved`` among them)."""

    __slots__ = ("population", "part", "waiting", "at", "state", "next", "months", "moved")

    def __init__(self, population: Population, part: slice, state: npt.NDArray[np.int8],
                 next_state: npt.NDArray[np.int8], waiting: npt.NDArray[np.bool_] | None,
                 watched: tuple[int, ...]) -> None:
        self.population, self.part, self.waiting = population, part, waiting
        touched = next_state != state
        for code in watched:
            touched |= state == code
        self.at = np.flatnonzero(touched)
        self.state, self.next = state[self.at], next_state[self.at]
        self.months = population.months_in_state[part][self.at]
        self.moved = np.flatnonzero(self.next != self.state)

    def ids(self, local: npt.NDArray[np.intp]) -> npt.NDArray[np.int32]:
        """The ids of the persons at local positions ``local`` (their draws are keyed by them)."""
        return self.population.ids[self.part][self.at[local]]

    def staying(self, code: int) -> npt.NDArray[np.intp]:
        """Local positions of the persons in state ``code`` drawn to stay in it."""
        return np.flatnonzero((self.state == code) & (self.next == code))
