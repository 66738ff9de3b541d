"""Shared fixtures: small populations and models that tests build on."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import labsim

# The benchmark models (benchmarks/m0.py) double as correctness references.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))


@pytest.fixture(scope="session")
def model() -> labsim.TransitionModel:
    return labsim.default_model()


@pytest.fixture(scope="session")
def small_population(model: labsim.TransitionModel) -> labsim.Population:
    """About 4,000 persons aged 16+ from the demo profile (a 5,000-inhabitant municipality)."""
    from dataclasses import replace

    profile = replace(labsim.default_profile(), inhabitants=5000)
    assert model.rules is not None
    return labsim.synthesise(profile, pension=model.rules.pension, seed=7)


@pytest.fixture(scope="session")
def small_comparison(model: labsim.TransitionModel) -> labsim.experiments.Comparison:
    """Two strategies over 2022–2024 in a municipality of 4,000 inhabitants, 4 replications, seed 5; the praktik
    has 60 seats and an after-effect of 1.6 (not the built-in's 1.84); two targets. For the figures and the report."""
    from labsim.policy import Strategy, library
    from labsim.results import Measure, Period, Target

    kontanthjaelp = ("kontanthjaelp_jobparat", "kontanthjaelp_aktivitetsparat")
    praktik = library.VirksomhedspraktikPrivate(start="2022-01", seats=60, effect=1.6)
    scenario = labsim.Scenario(
        name="small", model=model, profile=labsim.default_profile().scaled(4000), start="2022-01", end="2024-12",
        strategies={"baseline": Strategy("baseline"), "praktik": Strategy("praktik", [praktik])},
        targets=(Target("fewer", Measure("fte", kontanthjaelp), "<", 120, Period.parse("2024"), source="a test target"),
                 Target("cost", Measure("net_cost"), ">", 0, Period.parse("2024"), source="another test target")),
        replications=4, seed=5, title="Testby 2022")
    return labsim.compare(scenario)
