"""The transition model, the markov helper and the cell table (DESIGN.md §2, §4)."""

from __future__ import annotations

import numpy as np
import pytest
from m0 import M0_MATRIX as M0
from m0 import M0_STATES

import labsim
from labsim.core.cell_table import CellLayout, build_table, cell_hazards
from labsim.core.markov import hazards_from_probabilities
from labsim.errors import ForbiddenTransitionError, ModelError, UnknownStateError
from labsim.io.model_file import model_from_dict
from labsim.states import State, danish_catalogue


def test_competing_risks_invert_the_matrix_exactly() -> None:
    model = labsim.markov_model(M0_STATES, M0)
    table = build_table(model, CellLayout.for_model(model))
    probabilities = np.diff(np.concatenate([np.zeros((6, 1)), table.destination_cumulative], axis=1), axis=1)
    probabilities *= (1 - table.stay_probability)[:, None]
    probabilities[np.arange(6), np.arange(6)] += table.stay_probability
    np.testing.assert_allclose(probabilities, M0, atol=1e-12)


def test_competing_risk_formula() -> None:
    """p_leave = 1 − exp(−Σλ), p_d = p_leave · λ_d / Σλ (DESIGN.md §2)."""
    hazards = hazards_from_probabilities(M0)
    total = hazards.sum(axis=1)
    leave = 1 - np.exp(-total)
    expected = np.where(total[:, None] > 0, leave[:, None] * hazards / np.where(total > 0, total, 1)[:, None], 0)
    np.fill_diagonal(expected, 1 - leave)
    np.testing.assert_allclose(expected, M0, atol=1e-12)


def test_thresholds_quantise_the_stay_probability_exactly() -> None:
    model = labsim.default_model()
    table = build_table(model, CellLayout.for_model(model))
    rebuilt = (table.thresholds.astype(np.float64) + table.tie_fraction) / 65536
    np.testing.assert_allclose(rebuilt, table.stay_probability, rtol=0, atol=1e-15)
    assert np.all((table.tie_fraction >= 0) & (table.tie_fraction <= 1))
    assert np.all(table.destination_cumulative[:, -1] == 1.0)
    assert np.all(np.diff(table.destination_cumulative, axis=1) >= 0)


def test_gates_of_the_rules_in_the_cell_hazards() -> None:
    model = labsim.default_model()
    layout = CellLayout.for_model(model)
    hazards = cell_hazards(model, layout)[:, :, :, :, 0, :]  # (state, band, age class, profile, destination)
    ages = model.ages
    stage = ages.stage_of_class()
    young = np.array([*ages.cuts_years, 999])[ages.band_of_class()] <= 30
    education = labsim.core.attributes.profile_levels()[:, 1]
    unqualified = education == labsim.Education.UFAGLAERT
    kh, uh = State.KONTANTHJAELP_JOBPARAT, State.UDDANNELSESHJAELP_UDDANNELSESPARAT
    employed = hazards[State.EMPLOYED]
    assert np.all(employed[:, young][:, :, unqualified, kh] == 0) and np.all(employed[:, young][:, :, unqualified, uh] > 0)
    assert np.all(employed[:, ~young][..., uh] == 0) and np.all(employed[:, :, ~unqualified, uh] == 0)
    assert np.all(hazards[..., State.JOBAFKLARING] == 0)  # only by revurdering
    assert np.all(hazards[:, :, stage < 2, :, State.EFTERLOEN] == 0)
    assert np.all(hazards[:, :, stage < 1, :, State.SENIORPENSION] == 0)


def _danish_dict() -> dict:
    return {"hazards": {"employed": {"a_dagpenge": 0.01}}}


def test_negative_hazard_is_named() -> None:
    data = {"hazards": {"employed": {"a_dagpenge": -0.01}}}
    with pytest.raises(ModelError, match=r"hazards\[0\].monthly\[0\] \(employed → a_dagpenge\) must be a hazard ≥ 0; got -0.01"):
        model_from_dict(data)


def test_duration_bands_out_of_order_are_named() -> None:
    data = {"duration_bands": {"a_dagpenge": [0, 12, 6]}, **_danish_dict()}
    with pytest.raises(ModelError, match=r"duration_bands\[2\] must be strictly increasing months; got \[0, 12, 6\]"):
        model_from_dict(data)
    with pytest.raises(ModelError, match="must give 1 or 3 values"):
        model_from_dict({"duration_bands": {"employed": [0, 3, 6]}, "hazards": {"employed": {"a_dagpenge": [0.1, 0.2]}}})


def test_forbidden_and_unknown_transitions_are_named() -> None:
    with pytest.raises(ForbiddenTransitionError, match=r"hazards\[0\].*'employed' → 'jobafklaring'"):
        model_from_dict({"hazards": {"employed": {"jobafklaring": 0.01}}})
    with pytest.raises(UnknownStateError, match=r"hazards\[0\].to must name a state.*'kontanthjelp'"):
        model_from_dict({"hazards": {"employed": {"kontanthjelp": 0.01}}})
    with pytest.raises(ModelError, match="effects\\[0\\].multiplier must be a number > 0; got -1"):
        model_from_dict({**_danish_dict(), "effects": [
            {"attribute": "sex", "level": "male", "from": "employed", "to": "a_dagpenge", "multiplier": -1}]})


def test_model_file_errors_name_the_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "model.toml"
    path.write_text('[hazards.employed]\na_dagpenge = -1\n')
    with pytest.raises(ModelError, match=f"{path}: hazards"):
        labsim.read_model(path)


def test_markov_model_rejects_bad_rows() -> None:
    with pytest.raises(ModelError, match=r"row 0 \(a\) must sum to 1; got 0.9"):
        labsim.markov_model(["a", "b"], [[0.8, 0.1], [0.5, 0.5]])
    with pytest.raises(ModelError, match=r"monthly_probabilities\[1\]\[0\] \(b → a\) must lie in \[0, 1\]; got -0.5"):
        labsim.markov_model(["a", "b"], [[0.5, 0.5], [-0.5, 1.5]])


def test_default_model_cites_every_value() -> None:
    from importlib import resources

    text = resources.files("labsim.data").joinpath("danish_model.toml").read_text(encoding="utf-8")
    assert "assumption" in text and "DOMAIN.md §2.6" in text
    model = labsim.default_model()
    assert model.rules is not None and model.rules.revurdering_months == 6
    pension = model.rules.pension
    born = [labsim.parse_month(m) for m in ("1955-07", "1963-01", "1967-01", "1971-01")]
    assert list(pension.folkepension_age(born) // 12) == [67, 68, 69, 70]
    assert danish_catalogue() is model.catalogue


def test_unreadable_or_malformed_files_are_named(tmp_path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(ModelError, match=f"{missing}: no such model file"):
        labsim.read_model(missing)
    broken = tmp_path / "broken.toml"
    broken.write_text("[hazards.employed\n")
    with pytest.raises(labsim.PopulationError, match=f"{broken}: not valid TOML"):
        labsim.read_profile(broken)
