"""Random streams keyed by (replicate seed, month, purpose), indexed by a person's stable id.

This is what makes *common random numbers* work: person ``i``'s draw for month ``t`` and purpose
``p`` depends on nothing but the seed, ``t``, ``p`` and ``i``. Two strategies run with the same seed
therefore give the same draws to the same person, and their results differ only where their
hazards differ. New persons get new ids, never reused ones, so adding a person changes nobody
else's draws.

Two kinds of draw serve the monthly step:

* :meth:`RandomStreams.words16` — dense 16-bit words for a contiguous range of ids, taken from a
  PCG64 stream (4 words per 64-bit output) that is advanced to the first id. Cheap enough to give
  every person one word a month.
* :meth:`RandomStreams.uniforms` — 53-bit uniforms for an arbitrary, sparse set of ids from a
  counter-based hash (the SplitMix64 finaliser of ``key + id · γ``). Used for the few persons who
  move, tie, or meet a rule.

Changing either recipe changes every result; such a change is a named entry in CHANGELOG.md.
"""

from __future__ import annotations

import zlib
from enum import IntEnum
from typing import Final

import numpy as np
import numpy.typing as npt

from labsim.errors import ValidationError

__all__ = ["Purpose", "RandomStreams", "WordSource", "SeedLike", "normalise_seed"]

SeedLike = int | np.random.SeedSequence | None
"""A seed as users give it: an int, a :class:`numpy.random.SeedSequence`, or ``None`` for fresh entropy."""

_GAMMA: Final = np.uint64(0x9E3779B97F4A7C15)
_MIX1: Final = np.uint64(0xBF58476D1CE4E5B9)
_MIX2: Final = np.uint64(0x94D049BB133111EB)
_S30: Final = np.uint64(30)
_S27: Final = np.uint64(27)
_S31: Final = np.uint64(31)
_S11: Final = np.uint64(11)
_WORDS_PER_OUTPUT: Final = 4  # 16-bit words in one 64-bit PCG64 output
_WORD_GAP: Final = 64  # ids further apart than this are read as separate runs of words


class Purpose(IntEnum):
    """What a draw is for; each purpose has its own stream so that uses never share numbers."""

    STAY = 1
    """The dense draw that decides stay or move."""
    TIE = 2
    """Exact resolution when a 16-bit word equals the quantised stay threshold."""
    DESTINATION = 3
    """Which destination a mover goes to."""
    EXHAUSTION = 4
    """Where a person goes whose a-dagpenge are exhausted."""
    SYNTHESIS = 5
    """Building a synthetic population."""
    REVURDERING = 6
    """Whether an extension ground applies at the sygedagpenge revurdering."""
    EXIT = 7
    """Who leaves the population (dies or emigrates) this month."""
    EXIT_TIE = 8
    """Exact resolution of an exit word equal to its threshold."""
    EXIT_KIND = 9
    """Whether a person who leaves dies or emigrates."""
    ARRIVAL_AGE = 10
    """Ages of arriving migrants and refugees."""
    ARRIVAL_STATE = 11
    """First state of a new person."""
    ARRIVAL_SEX = 12
    """Sex of a new person."""
    ARRIVAL_EDUCATION = 13
    """Education of a new person."""
    ARRIVAL_ORIGIN = 14
    """Origin of a new person."""
    REHAB = 15
    """Preparation times of rehabiliteringsteam cases."""
    EFFORT_GROUP = 16
    """Whether a person belongs to an effort's target group (a draw per person and effort, the same every month)."""
    RENEWAL = 17
    """Whether a jobafklaringsforløb at its longest is followed by a new one."""
    REHAB_ARRIVAL = 18
    """When within the month a rehabiliteringsteam case reaches the preparation desk."""
    DURATION = 19
    """How long a person of the start population has been in their state (a steady start)."""


def normalise_seed(seed: SeedLike) -> np.random.SeedSequence:
    """Return ``seed`` as a :class:`numpy.random.SeedSequence` (the one place seeds are normalised)."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0):
        raise ValidationError(f"seed must be a non-negative integer, a SeedSequence or None; got {seed!r}.")
    return np.random.SeedSequence(None if seed is None else int(seed))


class RandomStreams:
    """All random draws of one run, keyed by month and :class:`Purpose`.

    Parameters
    ----------
    seed:
        The replicate's seed. Replicates of a study get ``SeedSequence(seed).spawn(n)`` children,
        never ``seed + i``.
    """

    __slots__ = ("_entropy", "_spawn_key", "_keys")

    def __init__(self, seed: SeedLike) -> None:
        sequence = normalise_seed(seed)
        self._entropy = sequence.entropy
        self._spawn_key = tuple(sequence.spawn_key)
        self._keys: dict[tuple[int, int], np.uint64] = {}

    def _sequence(self, month: int, purpose: Purpose) -> np.random.SeedSequence:
        # Month numbers of the 20th and 21st centuries are non-negative; shift to be safe anyway.
        return np.random.SeedSequence(self._entropy, spawn_key=(*self._spawn_key, int(month) + 2**20, int(purpose)))

    def key(self, month: int, purpose: Purpose) -> np.uint64:
        """The 64-bit key of the counter-based stream for ``month`` and ``purpose``."""
        cached = self._keys.get((month, purpose))
        if cached is None:
            if len(self._keys) > 256:
                self._keys.clear()
            cached = self._keys[(month, purpose)] = np.uint64(self._sequence(month, purpose).generate_state(1, np.uint64)[0])
        return cached

    def label_key(self, purpose: Purpose, label: str) -> np.uint64:
        """The key of a stream that belongs to no month but to a named thing (an effort), so that its
        draws stay the same however the thing is combined with others."""
        digest = zlib.crc32(label.encode("utf-8"))
        sequence = np.random.SeedSequence(self._entropy, spawn_key=(*self._spawn_key, 2**20 - 1, int(purpose), digest))
        return np.uint64(sequence.generate_state(1, np.uint64)[0])

    def words16(self, month: int, purpose: Purpose, first_id: int, count: int) -> npt.NDArray[np.uint16]:
        """Return the 16-bit words of ids ``first_id … first_id + count - 1`` for ``month``."""
        return self.word_source(month, purpose).words(first_id, count)

    def word_source(self, month: int, purpose: Purpose) -> WordSource:
        """A reusable source of one month's 16-bit words (seeded once, read in any order)."""
        return WordSource(np.random.PCG64(self._sequence(month, purpose)))

    def uniforms(self, key: np.uint64, ids: npt.NDArray[np.integer]) -> npt.NDArray[np.float64]:
        """Return one uniform on [0, 1) per id from the counter-based stream with ``key``."""
        z = ids.astype(np.uint64) * _GAMMA + key
        z ^= z >> _S30
        z *= _MIX1
        z ^= z >> _S27
        z *= _MIX2
        z ^= z >> _S31
        return (z >> _S11).astype(np.float64) * (1.0 / 9007199254740992.0)


class WordSource:
    """The 16-bit words of one (seed, month, purpose) stream; word ``i`` belongs to person id ``i``.

    The generator is seeded once; each read restores its initial state and advances it to the
    first id, so reads may come in any order and give the same words.
    """

    __slots__ = ("_generator", "_initial")

    def __init__(self, generator: np.random.PCG64) -> None:
        self._generator = generator
        self._initial = generator.state

    def for_ids(self, ids: npt.NDArray[np.integer]) -> npt.NDArray[np.uint16]:
        """The words of sorted ``ids``, read per run of nearby ids so that gaps in the ids cost nothing."""
        first, last = int(ids[0]), int(ids[-1])
        span = last - first + 1
        if span <= 2 * len(ids):
            words = self.words(first, span)
            return words if span == len(ids) else words[ids - first]
        parts = []
        for run in np.split(ids, np.flatnonzero(np.diff(ids) > _WORD_GAP) + 1):
            start = int(run[0])
            parts.append(self.words(start, int(run[-1]) - start + 1)[run - start])
        return np.concatenate(parts)

    def words(self, first_id: int, count: int) -> npt.NDArray[np.uint16]:
        """Words of ids ``first_id … first_id + count - 1``."""
        generator = self._generator
        generator.state = self._initial
        block, offset = divmod(int(first_id), _WORDS_PER_OUTPUT)
        if block:
            generator.advance(block)
        n_outputs = -(-(offset + count) // _WORDS_PER_OUTPUT)
        raw = generator.random_raw(n_outputs).astype("<u8", copy=False)
        return raw.view("<u2")[offset : offset + count]
