"""The transition model: monthly hazards by (from, to, duration band), attribute effects, the cycle, the rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from labsim.core.age import AgeClasses
from labsim.core.attributes import ATTRIBUTES, N_PROFILES, profile_levels
from labsim.core.duration import DurationBands
from labsim.core.rules import LegalRules
from labsim.errors import ForbiddenTransitionError, ModelError, UnknownStateError
from labsim.paths import set_fields
from labsim.states import Gate, StateCatalogue
from labsim.validation import Check, number

MAX_MONTHLY_HAZARD = 100.0
"""The largest monthly hazard a model file or a path may set. A hazard of 100 events per person-month moves all but
e^-100 of the persons within the month; larger ones are typos, and products of them overflow."""

_HAZARD = number(0, MAX_MONTHLY_HAZARD)
"""A monthly hazard: events per person-month."""

_MONTHLY_HAZARD = Check("a hazard ≥ 0", number(0.0).test)
"""A hazard as a model's table gives it: a rate a month, which may exceed 1."""

__all__ = ["Hazard", "Effect", "CycleResponse", "TransitionModel", "MAX_MONTHLY_HAZARD"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True, kw_only=True)
class Hazard:
    """Monthly hazard of ``origin → destination``, one value per duration band of ``origin`` (or one for all)."""

    origin: str
    destination: str
    monthly: tuple[float, ...]
    source: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Effect:
    """A multiplicative (log-linear) effect of one attribute level on some transitions.

    ``attribute`` is ``"sex"``, ``"education"``, ``"origin"`` or ``"age"`` (then ``level`` is an age
    band label such as ``"50-59"``). ``origins`` and ``destinations`` are state names, ``("*",)``
    for all.
    """

    attribute: str
    level: str
    origins: tuple[str, ...]
    destinations: tuple[str, ...]
    multiplier: float
    source: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class CycleResponse:
    """Hazards of ``origins → destinations`` scale as ``cycle_index ** elasticity``."""

    origins: tuple[str, ...]
    destinations: tuple[str, ...]
    elasticity: float
    source: str = ""


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class TransitionModel:
    """Everything that decides how persons move, frozen and valid once built.

    Build one with :meth:`build` (or read the default with ``labsim.default_model()``); arrays:

    * ``hazard`` — ``(n_states, n_states, n_duration_bands)`` monthly hazards, from × to × band.
    * ``age_log_effect`` — ``(n_age_bands, n_states, n_states)`` log-multipliers by age band.
    * ``profile_log_effect`` — ``(N_PROFILES, n_states, n_states)`` log-multipliers by profile.
    * ``cycle_elasticity`` — ``(n_states, n_states)`` elasticities to the macro index.
    * ``inflow_log_effect`` — ``(n_age_bands, n_states)`` log-multipliers on the hazards into each state after the
      legal gates, by age band (a balance, :class:`labsim.core.balance.RateBalance`); zeros by default.
    """

    catalogue: StateCatalogue
    bands: DurationBands
    hazard: FloatArray = field(repr=False)
    ages: AgeClasses
    age_log_effect: FloatArray = field(repr=False)
    profile_log_effect: FloatArray = field(repr=False)
    cycle_elasticity: FloatArray = field(repr=False)
    rules: LegalRules | None = None
    sources: Mapping[str, str] = field(default_factory=dict, repr=False)
    inflow_log_effect: FloatArray | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        n = self.catalogue.n_states
        if self.inflow_log_effect is None:
            object.__setattr__(self, "inflow_log_effect", np.zeros((self.ages.n_bands, n)))
        shapes = {
            "hazard": (n, n, self.bands.n_bands),
            "age_log_effect": (self.ages.n_bands, n, n),
            "profile_log_effect": (N_PROFILES, n, n),
            "cycle_elasticity": (n, n),
            "inflow_log_effect": (self.ages.n_bands, n),
        }
        for name, shape in shapes.items():
            array = np.array(getattr(self, name), dtype=np.float64)
            if array.shape != shape:
                raise ModelError(f"TransitionModel.{name} must have shape {shape}; got {array.shape}.")
            if not np.all(np.isfinite(array)):
                raise ModelError(f"TransitionModel.{name} must be finite; got {float(array[~np.isfinite(array)][0])!r}.")
            array.setflags(write=False)
            object.__setattr__(self, name, array)
        if len(self.bands.starts) != n:
            raise ModelError(f"TransitionModel.bands must give bands for {n} states; got {len(self.bands.starts)}.")
        negative = np.argwhere(self.hazard < 0)
        if negative.size:
            o, d, b = negative[0]
            raise ModelError(
                f"hazard {self.catalogue.names[o]} → {self.catalogue.names[d]} (duration band {b}) must be ≥ 0; "
                f"got {float(self.hazard[o, d, b])!r}."
            )
        allowed = self.catalogue.allowed_matrix(Gate.HAZARD)
        touched = (self.hazard.max(axis=2) > 0) | (self.cycle_elasticity != 0)
        touched |= np.any(self.age_log_effect != 0, axis=0) | np.any(self.profile_log_effect != 0, axis=0)
        bad = np.argwhere(touched & ~allowed)
        if bad.size:
            o, d = bad[0]
            raise ForbiddenTransitionError(
                f"the model gives {self.catalogue.names[o]} → {self.catalogue.names[d]} a hazard or effect, but "
                f"catalogue {self.catalogue.name!r} forbids that move by hazard (gates: {self.catalogue.gate(int(o), int(d))!r})."
            )
        if self.rules is not None:
            self.rules.check_catalogue(self.catalogue)

    @property
    def n_states(self) -> int:
        """Number of states."""
        return self.catalogue.n_states

    def with_value(self, path: Sequence[str], value: object) -> TransitionModel:
        """The model with the value at ``path`` set (:func:`labsim.paths.set_path`): ``hazards.<from>.<to>``, the
        monthly hazards of one move — one value for every duration band of ``<from>``, or one per band, as a model
        file writes them; any other path walks the model's fields (``rules.<rule>``)."""
        if path[0] != "hazards":
            return set_fields(self, path, value)  # type: ignore[no-any-return]
        if len(path) != 3:
            raise ModelError(f"write hazards.<from>.<to>, e.g. hazards.a_dagpenge.employed; got {'.'.join(path)!r}.")
        self.catalogue.check_transition(path[1], path[2], field=f"hazards.{path[1]}.{path[2]}")
        o, d = self.catalogue.code(path[1]), self.catalogue.code(path[2])
        n_bands = len(self.bands.starts[o])
        given = value if isinstance(value, list | tuple) else [value]
        values = [_HAZARD(v, f"hazards.{path[1]}.{path[2]}", ModelError) for v in given]
        if len(values) not in (1, n_bands):
            raise ModelError(f"hazards.{path[1]}.{path[2]} must give 1 or {n_bands} values (the duration bands of "
                             f"{path[1]}); got {len(values)}.")
        row = np.array(values * n_bands if len(values) == 1 else values)
        hazard = self.hazard.copy()
        hazard[o, d, :n_bands] = row
        hazard[o, d, n_bands:] = row[-1]
        return replace(self, hazard=hazard)

    @property
    def uses_age(self) -> bool:
        """Whether hazards depend on age (age effects or legal rules)."""
        return self.rules is not None or bool(np.any(self.age_log_effect != 0)) or bool(np.any(self.inflows != 0))

    @property
    def inflows(self) -> FloatArray:
        """``inflow_log_effect`` as an array (it is one once the model is built)."""
        assert self.inflow_log_effect is not None
        return self.inflow_log_effect

    @property
    def uses_profile(self) -> bool:
        """Whether hazards depend on sex, education or origin."""
        return self.rules is not None or bool(np.any(self.profile_log_effect != 0))

    @classmethod
    def build(
        cls,
        catalogue: StateCatalogue,
        hazards: Sequence[Hazard],
        *,
        duration_bands: Mapping[str, Sequence[int]] | None = None,
        effects: Sequence[Effect] = (),
        cycle: Sequence[CycleResponse] = (),
        age_cuts_years: Sequence[int] = (),
        rules: LegalRules | None = None,
    ) -> TransitionModel:
        """Assemble a model from named parts; every error names the part, the rule and the bad value."""
        bands = DurationBands.build(catalogue, duration_bands)
        cuts = sorted(set(age_cuts_years) | (set(rules.age_cuts_years()) if rules is not None else set()))
        ages = AgeClasses(tuple(cuts), rules)
        n = catalogue.n_states
        hazard = np.zeros((n, n, bands.n_bands))
        sources: dict[str, str] = {}
        for i, spec in enumerate(hazards):
            where = f"hazards[{i}]"
            o = catalogue.code(spec.origin, field=f"{where}.from")
            d = catalogue.code(spec.destination, field=f"{where}.to")
            catalogue.check_transition(o, d, field=where)
            values = [_MONTHLY_HAZARD(v, f"{where}.monthly[{j}] ({spec.origin} → {spec.destination})", ModelError)
                      for j, v in enumerate(spec.monthly)]
            n_bands = len(bands.starts[o])
            if len(values) not in (1, n_bands):
                raise ModelError(
                    f"{where} ({spec.origin} → {spec.destination}).monthly must give 1 or {n_bands} values "
                    f"(one per duration band of {spec.origin}); got {len(values)}."
                )
            row = np.array(values * n_bands if len(values) == 1 else values)
            hazard[o, d, :n_bands] = row
            hazard[o, d, n_bands:] = row[-1]
            sources[f"hazard:{spec.origin}->{spec.destination}"] = spec.source
        age_effect = np.zeros((ages.n_bands, n, n))
        profile_effect = np.zeros((N_PROFILES, n, n))
        levels = profile_levels()
        for i, effect in enumerate(effects):
            where = f"effects[{i}]"
            number(0.0, above=True)(effect.multiplier, f"{where}.multiplier", ModelError)
            mask = _pair_mask(catalogue, effect.origins, effect.destinations, where)
            log = np.log(effect.multiplier)
            if effect.attribute == "age":
                labels = ages.band_labels()
                if effect.level not in labels:
                    raise ModelError(f"{where}.level must be an age band of the model ({', '.join(labels)}); got {effect.level!r}.")
                age_effect[labels.index(effect.level)][mask] += log
            elif effect.attribute in ATTRIBUTES:
                enum = ATTRIBUTES[effect.attribute]
                names = [m.name.lower() for m in enum]
                if effect.level not in names:
                    raise ModelError(f"{where}.level must be one of {', '.join(names)} for {effect.attribute}; got {effect.level!r}.")
                column = list(ATTRIBUTES).index(effect.attribute)
                for p in np.flatnonzero(levels[:, column] == names.index(effect.level)):
                    profile_effect[p][mask] += log
            else:
                raise ModelError(
                    f"{where}.attribute must be one of age, {', '.join(ATTRIBUTES)}; got {effect.attribute!r}."
                )
            sources[f"effect:{effect.attribute}={effect.level}"] = effect.source
        elasticity = np.zeros((n, n))
        for i, response in enumerate(cycle):
            mask = _pair_mask(catalogue, response.origins, response.destinations, f"cycle[{i}]")
            number()(response.elasticity, f"cycle[{i}].elasticity", ModelError)
            elasticity[mask] = response.elasticity
            sources[f"cycle:{i}"] = response.source
        return cls(
            catalogue=catalogue,
            bands=bands,
            hazard=hazard,
            ages=ages,
            age_log_effect=age_effect,
            profile_log_effect=profile_effect,
            cycle_elasticity=elasticity,
            rules=rules,
            sources=sources,
        )


def _pair_mask(
    catalogue: StateCatalogue, origins: Sequence[str], destinations: Sequence[str], where: str
) -> npt.NDArray[np.bool_]:
    """Boolean (from, to) mask of the hazard-allowed pairs among ``origins × destinations``."""
    try:
        o = catalogue.codes(origins, field=f"{where}.from")
        d = catalogue.codes(destinations, field=f"{where}.to")
    except UnknownStateError:
        raise
    mask = np.zeros((catalogue.n_states, catalogue.n_states), dtype=bool)
    mask[np.ix_(o, d)] = True
    allowed = catalogue.allowed_matrix(Gate.HAZARD)
    np.fill_diagonal(allowed, False)
    explicit = list(origins) != ["*"] and list(destinations) != ["*"]
    if explicit and len(o) == 1 and len(d) == 1 and not allowed[o[0], d[0]]:
        catalogue.check_transition(o[0], d[0], field=where)
    return mask & allowed
