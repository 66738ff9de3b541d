"""A steady start: the months in state of a start population drawn from the model's own steady state.

A population synthesised from a profile knows each person's state but not how long they have been in it. Put at
month 0 of their state, everyone employed sits in the first duration band (with its higher risk of losing the job)
and every rule counter starts at zero, so a run begins with a transient no policy caused: a-dagpenge rising for a
year, the right and the refund bands running out in waves.

Under constant hazards the persons in a state at any moment are spread over durations as the survival of a spell
(a stock fed by a constant inflow): a person ``d`` months into a spell is there with a weight proportional to
``Π_{k<d} (1 − p(k))``, where ``p(k)`` is the probability of leaving in the spell's month ``k``. :func:`steady_durations`
draws each person's months in state from that distribution for their cell (state, age class, profile) under the
model's hazards and the legal rules' forced moves (:meth:`labsim.core.rules.DanishRules.spell_survival`), no
longer than the person can have been in the state (since age 16, or since folkepension age). Given a balance's
cohort path, the months come from the path's persons of the person's year of age, profile and state instead (the
inflow is not constant over a life: most come into work young), the survival filling in the longest spells. The rule counters
then follow from the drawn months, as for any population that gives months in state
(:meth:`labsim.core.rules.DanishRules.seed`): months of a-dagpenge and sygedagpenge used, the refund counter.
Earlier spells are not known and count as none.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from labsim.core.attributes import profile_code
from labsim.core.cell_table import CellLayout, build_table
from labsim.core.cohort import StationaryStart
from labsim.core.model import TransitionModel
from labsim.core.population import MIN_AGE_YEARS, Population
from labsim.rng import Purpose, RandomStreams, SeedLike

__all__ = ["StartDurations", "steady_durations", "LONGEST_SPELL_MONTHS"]

LONGEST_SPELL_MONTHS = 95 * 12
"""The longest spell a steady start draws: from 16 to the end of the life table (110)."""


class StartDurations(StrEnum):
    """How a start population that does not give its months in state gets them."""

    STEADY = "steady"
    """Drawn from the model's steady state for each person's cell (:func:`steady_durations`); the default."""
    FRESH = "fresh"
    """Everyone at month 0 of their state, every counter at zero: labsim's start before the steady start. The
    first years then carry a transient."""


def steady_durations(population: Population, model: TransitionModel, start: int, seed: SeedLike,
                     draw: npt.NDArray[np.bool_] | None = None, stationary: StationaryStart | None = None) -> Population:
    """``population`` with the months in state of the persons ``draw`` (everyone by default) drawn from the
    steady state of ``model`` at month ``start``; the draw of a person is keyed by their id
    (:attr:`labsim.rng.Purpose.DURATION`), so a person's months do not depend on who else is drawn.

    ``model`` should carry the legal rules in force at ``start``. The hazards are those of a flat cycle. With
    ``stationary`` (a balance's cohort path, :attr:`labsim.core.balance.RateBalance.stationary`) the months are
    drawn by the path's persons of each year of age, profile and state over months in state, which know when
    persons of that age came into their state (the young into work recently); the survival above fills in the
    months beyond the path's last column of a state, and every person the path has none of.
    """
    chosen = np.ones(population.n_persons, bool) if draw is None else np.asarray(draw, bool)
    persons = np.flatnonzero(chosen)
    months = np.array(population.months_in_state, dtype=np.int16)  # a writable copy
    if not persons.size:
        return replace(population, months_in_state=months)
    layout = CellLayout.for_model(model)
    stay = build_table(model, layout).stay_probability
    rules = model.rules.bind(model.catalogue, model.ages) if model.rules is not None else None
    state = population.state[persons].astype(np.intp)
    births = population.birth_month[persons].astype(np.int64)
    earliest = (rules.spell_start_earliest(population.state[persons], births) if rules is not None
                else births + 12 * MIN_AGE_YEARS)
    longest = np.clip(start - earliest, 0, LONGEST_SPELL_MONTHS)
    per_band = layout.n_age_classes * layout.n_profiles
    group = np.zeros(persons.size, np.int64)
    if layout.n_age_classes > 1:
        low, high = int(births.min()), int(births.max())
        group += model.ages.lookup(start, low, high).astype(np.int64)[births - low] * layout.n_profiles
    if layout.n_profiles > 1:
        group += profile_code(population.sex[persons], population.education[persons],
                              population.origin[persons]).astype(np.int64)
    streams = RandomStreams(seed)
    uniform = streams.uniforms(streams.key(start, Purpose.DURATION), population.ids[persons])
    base = np.zeros(persons.size, np.int64)  # at least this many months (a path's column)
    drawn = np.zeros(persons.size, np.int64)
    if stationary is not None:
        codes = profile_code(population.sex[persons], population.education[persons], population.origin[persons])
        base, longer, uniform = stationary.draw_months(uniform, state, start - births, codes)
        base = np.minimum(base, longest)
        drawn[~longer] = base[~longer]
        persons_left = np.flatnonzero(longer)
    else:
        persons_left = np.arange(persons.size)
    rule_survival: dict[int, npt.NDArray[np.float64]] = {}
    key = state * per_band + group
    order = persons_left[np.argsort(key[persons_left], kind="stable")]
    edges = np.flatnonzero(np.diff(key[order])) + 1
    for members in np.split(order, edges) if order.size else []:
        s, g = divmod(int(key[members[0]]), per_band)
        n = int(longest[members].max()) + 1
        if s not in rule_survival:
            rule_survival[s] = (rules.spell_survival(s, LONGEST_SPELL_MONTHS + 1, start) if rules is not None
                                else np.ones(LONGEST_SPELL_MONTHS + 1))
        band = np.searchsorted(np.asarray(model.bands.starts[s]), np.arange(n), side="right") - 1
        staying = stay[(s * layout.n_bands + band) * per_band + g]
        survival = np.concatenate([[1.0], np.cumprod(staying[:-1])]) * rule_survival[s][:n]
        cumulative = np.cumsum(survival)
        below = np.where(base[members] > 0, cumulative[np.maximum(base[members] - 1, 0)], 0.0)
        target = below + uniform[members] * (cumulative[longest[members]] - below)
        drawn[members] = np.clip(np.searchsorted(cumulative, target, side="right"), base[members], longest[members])
    months[persons] = drawn
    return replace(population, months_in_state=months)
