"""The state catalogue and its gates (DOMAIN.md §1)."""

from __future__ import annotations

import re

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


@pytest.mark.parametrize(("selection", "states"), [
    ("sygedagpenge", ["sygedagpenge"]),
    ("broenderslev:permanente", ["fleksjob", "foertidspension", "seniorpension"]),
    ("permanente", ["fleksjob", "foertidspension", "seniorpension"]),  # the same group in both groupings
    ("jobparate+sygedagpenge", ["a_dagpenge", "kontanthjaelp_jobparat", "uddannelseshjaelp_uddannelsesparat",
                                "sygedagpenge"]),
    ("hjoerring:jobparate", ["a_dagpenge", "kontanthjaelp_jobparat", "uddannelseshjaelp_uddannelsesparat"]),
])
def test_measures_and_the_catalogue_name_states_alike(selection: str, states: list[str]) -> None:
    from labsim.results import Measure
    from labsim.states import select_states

    catalogue = danish_catalogue()
    assert [catalogue.names[c] for c in select_states(catalogue, selection)] == states
    assert catalogue.members(selection) == states
    assert [catalogue.names[c] for c in Measure("fte", (selection,)).state_codes(catalogue)] == states
    assert select_states(catalogue, "public_support") == tuple(
        c for c, s in enumerate(catalogue.states) if s.public_support)


@pytest.mark.parametrize(("selection", "why"), [
    ("kontanthjaelp", "'kontanthjaelp' is no state .* and no group .*hjoerring:jobparate"),
    ("odense:jobparate", "'odense:jobparate' names no grouping of the catalogue \\(hjoerring, broenderslev\\)"),
    ("hjoerring:midlertidig", "grouping 'hjoerring' has no group 'midlertidig' \\(its groups: jobparate, "),
    ("sygedagpenge+nope", "'nope' is no state"),
])
def test_a_selection_that_names_no_states_says_why(selection: str, why: str) -> None:
    from labsim.results import Measure
    from labsim.states import select_states

    catalogue = danish_catalogue()
    assert catalogue.members(selection) is None
    with pytest.raises(UnknownStateError, match=f"targets.x.states\\[0\\] must name states of catalogue 'danish': "
                                                 f".*; got {re.escape(repr(selection))}: {why}"):
        select_states(catalogue, selection, field="targets.x.states[0]")
    with pytest.raises(UnknownStateError, match=f"states\\[1\\] must name states .*: {why}"):
        Measure("fte", ("employed", selection)).state_codes(catalogue)


def test_a_bare_group_that_differs_between_groupings_must_name_its_grouping() -> None:
    from dataclasses import replace

    from labsim.states import StateCatalogue, select_states

    danish = danish_catalogue()
    states = [replace(s, groups={**s.groups, "other": "permanente"}) if s.name == "efterloen" else s
              for s in danish.states]
    catalogue = StateCatalogue("changed", tuple(states), danish.gates)
    with pytest.raises(UnknownStateError, match="'permanente' is a group of hjoerring and broenderslev and other "
                                                "with other states in each; write 'hjoerring:permanente' or "):
        select_states(catalogue, "permanente")
    assert [catalogue.names[c] for c in select_states(catalogue, "other:permanente")] == ["efterloen"]
