"""Wire one population and one model into one run."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from labsim.calendar import MonthLike, month_range
from labsim.core.cell_table import CellLayout
from labsim.core.demography import Demography, DemographyStep
from labsim.core.ledger import Ledger
from labsim.core.macro import MacroPath
from labsim.core.model import TransitionModel
from labsim.core.population import STEP_FIELDS, Population
from labsim.core.step import MonthlyStep
from labsim.errors import ModelError, ValidationError
from labsim.events import Clock, Events, Jobcenter
from labsim.policy import EffortLike, Strategy
from labsim.results.run import Run
from labsim.rng import RandomStreams, SeedLike, normalise_seed
from labsim.states import StateCatalogue

__all__ = ["simulate", "check_population"]


def check_population(population: Population, model: TransitionModel, start: int) -> None:
    """Raise :class:`~labsim.errors.PopulationError` if the population breaks the model's rules at ``start``."""
    if population.catalogue.names != model.catalogue.names:
        raise ValidationError(
            f"population and model must use the same state catalogue; got {population.catalogue.name!r} "
            f"and {model.catalogue.name!r}."
        )
    if model.rules is not None:
        model.rules.bind(model.catalogue, model.ages).check(population, start)


def check_efforts(efforts: tuple[EffortLike, ...], catalogue: StateCatalogue) -> None:
    """Raise :class:`~labsim.errors.ModelError` if an effort is written for another state catalogue."""
    for effort in efforts:
        own = getattr(effort, "catalogue", None)
        if isinstance(own, StateCatalogue) and own.names != catalogue.names:
            raise ModelError(f"effort {effort.name!r} names the states of catalogue {own.name!r}; the model uses "
                             f"{catalogue.name!r}.")


def simulate(
    population: Population,
    model: TransitionModel,
    *,
    start: MonthLike = "2022-01",
    end: MonthLike = "2041-12",
    seed: SeedLike = None,
    macro: MacroPath | None = None,
    group_by: str | None = None,
    demography: Demography | None = None,
    events: Events | None = None,
    jobcenter: Jobcenter | None = None,
    trace: bool = False,
    progress: bool = False,
    scenario: str = "",
    strategy: Strategy | str = "",
    replicate: int = 0,
) -> Run:
    """Simulate ``population`` under ``model`` month by month from ``start`` to ``end`` (both included).

    Parameters
    ----------
    population:
        The persons at the start month; it is not changed (the run works on a copy).
    model:
        The transition model, e.g. :func:`labsim.default_model` or :func:`labsim.markov_model`.
    start, end:
        First and last simulated month, ``"YYYY-MM"``.
    seed:
        Seed of the run's random streams; the same seed gives identical results.
    macro:
        Cycle index by month that scales hazards with the model's elasticities.
    group_by:
        Count stocks and flows by ``"age_band"``, ``"sex"``, ``"education"`` or ``"origin"`` as well as by state.
    demography:
        Deaths, emigration, 16-year-olds entering, immigrants and refugees; ``None`` keeps the
        population closed (it only ages).
    events:
        Rule changes and macro shocks at their dates (:class:`labsim.events.Events`); the run goes through the SimPy
        clock either way.
    jobcenter:
        Caseworker teams, the rehabiliteringsteam and course intakes (:class:`labsim.events.Jobcenter`).
    trace:
        Keep the state of every person of the start population in every month (``Run.paths``, −1
        once a person has left); for small populations.
    progress:
        Show a progress bar of the months (tqdm; in a notebook a widget). Off by default; nothing is
        printed when off.
    strategy:
        The efforts to run (:class:`labsim.policy.Strategy`), or only a label; its name is written into
        every frame of the result.
    scenario, replicate:
        Labels written into every frame of the result.

    Examples
    --------
    >>> import labsim
    >>> model = labsim.markov_model(["working", "unemployed"], [[0.95, 0.05], [0.30, 0.70]])
    >>> pop = labsim.Population.from_counts({"working": 900, "unemployed": 100}, catalogue=model.catalogue)
    >>> run = labsim.simulate(pop, model, start="2022-01", end="2022-12", seed=1)
    >>> float(run.fte(freq="year")["fte"].sum())  # everyone is somewhere: 1,000 fuldtidspersoner in 2022
    1000.0
    """
    months = month_range(start, end)
    check_population(population, model, months.start)
    events = events if events is not None else Events()
    events.check(months, model.catalogue)
    jobcenter = jobcenter if jobcenter is not None else Jobcenter()
    if not isinstance(strategy, Strategy | str):
        raise ValidationError(f"strategy must be a labsim.Strategy (efforts to run) or a str label; got "
                              f"{type(strategy).__name__}. Wrap efforts in labsim.Strategy(name, [...]).")
    efforts = strategy.efforts if isinstance(strategy, Strategy) else ()
    check_efforts(efforts, model.catalogue)
    jobcenter.check(months, model.catalogue, efforts)
    flags = jobcenter.flag_effects(model.catalogue)
    sequence = normalise_seed(seed)
    streams = RandomStreams(sequence)
    # A run copies what its step writes; counters the input lacks are derived instead of copied.
    seed = model.rules is not None and population.history.strides == (0,)
    writes: tuple[str, ...] = STEP_FIELDS
    if model.rules is not None:
        rules = model.rules.bind(model.catalogue, model.ages)
        writes = (*writes, *(name for name in rules.fields if not (seed and name in rules.counters)))
    if flags is not None:
        writes = (*writes, "flags")
    if jobcenter.teams:
        writes = (*writes, "months_since_contact")
    working = population.copy(writes)
    layout = CellLayout.for_model(model, group_by, flag_bits=flags.n_bits if flags is not None else 0)
    ledger = Ledger(layout, len(months))
    births = working.birth_month
    highest = int(births.max()) if len(births) else months.start
    demography_step = (
        DemographyStep(demography, {name: code for code, name in enumerate(model.catalogue.names)}, streams)
        if demography is not None
        else None
    )
    step = MonthlyStep(model, layout, streams, highest_birth=highest, demography=demography_step,
                       traced_ids=working.ids.copy() if trace else None, flags=flags,
                       defer_rehab=jobcenter.rehabiliteringsteam is not None,
                       keep_hazards=bool(efforts or jobcenter.teams or jobcenter.courses))
    if seed and step.rules is not None:
        step.rules.seed(working, months.start)
    paths: npt.NDArray[np.int8] | None = np.empty((len(months), working.n_persons), dtype=np.int8) if trace else None
    outputs = None
    if working.n_persons or demography is not None:
        clock = Clock(population=working, step=step, ledger=ledger, months=months, events=events, streams=streams,
                      macro=macro, paths=paths, progress=progress, efforts=efforts, jobcenter=jobcenter)
        outputs = clock.run()
    return Run(
        catalogue=model.catalogue,
        start_month=months.start,
        ledger=ledger,
        final_population=working,
        seed={"entropy": sequence.entropy, "spawn_key": tuple(sequence.spawn_key)},
        scenario=scenario,
        strategy=strategy.name if isinstance(strategy, Strategy) else strategy,
        replicate=replicate,
        paths=paths,
        event_outputs=outputs,
    )
