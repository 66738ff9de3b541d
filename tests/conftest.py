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
