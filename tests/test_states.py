"""The state catalogue and its gates (DOMAIN.md §1)."""

from __future__ import annotations

import numpy as np
import pytest

from labsim.errors import ForbiddenTransitionError, UnknownStateError
from labsim.states import Gate, State, danish_catalogue
from labsim.states.danish import TEMPORARY_BENEFITS


def test_every_state_of_domain_1_1_is_there() -> None:
    catalogue = danish_catalogue()
    assert catalogue.n_states == 19
    assert catalogue.names == tuple(state.code_name for state in State)
    for info in catalogue.states:
        assert info.name.isascii() and info.label_da and info.label_en


def test_groupings_follow_the_plans() -> None:
    catalogue = danish_catalogue()
    hj = dict(zip(catalogue.names, catalogue.group_of("hjoerring"), strict=True))
    assert hj["a_dagpenge"] == "jobparate" and hj["sygedagpenge"] == "ikke_jobparate"
    assert hj["fleksjob"] == hj["foertidspension"] == "permanente"
    br = dict(zip(catalogue.names, catalogue.group_of("broenderslev"), strict=True))
    assert br["ledighedsydelse"] == "midlertidig" and br["fleksjob"] == "permanente"
    support = catalogue.group_of("public_support")
    assert support[State.EFTERLOEN] == "public_support" and support[State.EMPLOYED] is None


def test_gates_of_domain_1_2() -> None:
    c = danish_catalogue()
    # Jobafklaring only from sygedagpenge, and only by the revurdering rule.
    assert [c.names[o] for o in np.flatnonzero(c.gates[:, State.JOBAFKLARING])] == ["sygedagpenge"]
    assert c.gate("sygedagpenge", "jobafklaring") == Gate.RULE
    # Fleksjob, ressourceforløb and førtidspension from temporary benefits only through the rehab team.
    for target in (State.FLEKSJOB, State.RESSOURCEFORLOEB, State.FOERTIDSPENSION):
        for source in TEMPORARY_BENEFITS:
            gate = c.gate(source, target)
            visiteret = (source, target) == (State.LEDIGHEDSYDELSE, State.FLEKSJOB)  # no new decision (§1.2)
            assert not gate or bool(gate & Gate.REHAB) != visiteret, (source, target)
    assert c.gate("ledighedsydelse", "fleksjob") == Gate.HAZARD and not c.gate("employed", "fleksjob")
    # Everyone reaches folkepension by rule, nobody leaves it.
    assert all(c.gate(s, "folkepension") & Gate.RULE for s in c.names if s != "folkepension")
    assert not c.gates[State.FOLKEPENSION].any() and not c.gates[State.FOERTIDSPENSION, : State.FOLKEPENSION].any()


def test_kontanthjaelp_and_uddannelseshjaelp_share_their_sources() -> None:
    """The age-30 / qualification rule redirects one to the other, so both must be reachable."""
    c = danish_catalogue()
    pairs = [(State.KONTANTHJAELP_JOBPARAT, State.UDDANNELSESHJAELP_UDDANNELSESPARAT),
             (State.KONTANTHJAELP_AKTIVITETSPARAT, State.UDDANNELSESHJAELP_AKTIVITETSPARAT)]
    hazard = c.allowed_matrix(Gate.HAZARD)
    for adult, youth in pairs:
        outside = [s for s in range(c.n_states) if s not in (*pairs[0], *pairs[1])]
        np.testing.assert_array_equal(hazard[outside, adult], hazard[outside, youth])


def test_unknown_state_and_forbidden_move_errors() -> None:
    c = danish_catalogue()
    with pytest.raises(UnknownStateError, match="hazards\\[0\\].from must name a state.*got 'kontanthjelp'"):
        c.code("kontanthjelp", field="hazards[0].from")
    with pytest.raises(ForbiddenTransitionError, match="does not allow 'employed' → 'jobafklaring'"):
        c.check_transition("employed", "jobafklaring", field="hazards[3]")
