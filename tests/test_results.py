"""Tidy frames, fuldtidspersoner and refund bands (DESIGN.md §8, DOMAIN.md §3.1, §4)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import labsim
from labsim.results.refund import refund_band_shares

STOCK_COLUMNS = ["scenario", "strategy", "replicate", "month", "state", "group", "persons", "fte"]
FLOW_COLUMNS = ["scenario", "strategy", "replicate", "month", "group", "from_state", "to_state", "count"]


@pytest.fixture(scope="module")
def run(model: labsim.TransitionModel, small_population: labsim.Population) -> labsim.Run:
    return labsim.simulate(small_population, model, start="2022-04", end="2024-12", seed=1, group_by="age_band",
                           scenario="test", strategy="baseline", replicate=3)


def test_frames_have_the_fixed_columns(run: labsim.Run) -> None:
    stocks, flows = run.stocks(), run.flows()
    assert list(stocks.columns) == STOCK_COLUMNS and list(flows.columns) == FLOW_COLUMNS
    assert set(stocks["scenario"]) == {"test"} and set(flows["replicate"]) == {3}
    assert stocks.groupby("month")["persons"].sum().eq(run.final_population.n_persons).all()
    assert set(stocks["group"]) == set(run.group_labels) and "60+" in run.group_labels
    assert (flows["count"] > 0).all() and (flows["from_state"] != flows["to_state"]).all()


def test_fte_is_person_months_over_months_in_period(run: labsim.Run) -> None:
    stocks = run.stocks()
    yearly = run.fte(freq="year")
    by_hand = stocks[stocks["month"].dt.year == 2023].groupby("state", observed=True)["persons"].sum() / 12
    got = yearly[yearly["period"].dt.year == 2023].set_index("state")["fte"]
    np.testing.assert_allclose(got.loc[by_hand.index].to_numpy(), by_hand.to_numpy())
    # 2022 is cut short (April–December): averaged over its 9 simulated months.
    part = stocks[stocks["month"].dt.year == 2022].groupby("state", observed=True)["persons"].sum() / 9
    got22 = yearly[yearly["period"].dt.year == 2022].set_index("state")["fte"]
    np.testing.assert_allclose(got22.loc[part.index].to_numpy(), part.to_numpy())


def test_fte_by_grouping_sums_its_states(run: labsim.Run) -> None:
    by_state = run.fte(freq="quarter").set_index(["period", "state"])["fte"]
    by_group = run.fte(freq="quarter", by="hjoerring").set_index(["period", "hjoerring"])["fte"]
    groups = dict(zip(run.catalogue.names, run.catalogue.group_of("hjoerring"), strict=True))
    permanent = [s for s, g in groups.items() if g == "permanente"]
    period = by_group.index.get_level_values(0)[0]
    assert by_group.loc[(period, "permanente")] == pytest.approx(sum(by_state.loc[(period, s)] for s in permanent))
    with pytest.raises(labsim.ValidationError, match="freq must be one of month, quarter, year; got 'week'"):
        run.fte(freq="week")
    with pytest.raises(labsim.ValidationError,
                       match="by must be one of state, group, public_support, hjoerring, broenderslev; got 'odense'"):
        run.fte(by="odense")
    from labsim.results import Breakdown, Frequency

    pd.testing.assert_frame_equal(run.fte(Frequency.QUARTER, Breakdown.STATE), run.fte("quarter", "state"))
    assert list(run.fte(Frequency.YEAR, Breakdown.GROUP).columns)[-2:] == ["group", "fte"]


def test_fte_by_person_group_counts_public_support(run: labsim.Run) -> None:
    by_group = run.fte(freq="year", by="group").groupby("period")["fte"].sum()
    support = run.fte(freq="year", by="public_support").set_index("period")["fte"]
    np.testing.assert_allclose(by_group.to_numpy(), support.loc[by_group.index].to_numpy())


def test_refund_bands_split_months_by_weeks() -> None:
    """Weeks 1–4 80 %, 5–26 40 %, 27–52 30 %, 53+ 20 % (DOMAIN.md §3.1); a month is 52/12 weeks."""
    shares = refund_band_shares()
    np.testing.assert_allclose(shares[1:].sum(axis=1), 1.0)
    month = 52 / 12
    np.testing.assert_allclose(shares[1], [4 / month, 1 - 4 / month, 0, 0])
    np.testing.assert_allclose(shares[6], [0, 1, 0, 0])  # weeks 21.7–26.0
    np.testing.assert_allclose(shares[7], [0, 0, 1, 0])  # weeks 26.0–30.3
    np.testing.assert_allclose(shares[12], [0, 0, 1, 0])  # weeks 47.7–52.0
    np.testing.assert_allclose(shares[13], [0, 0, 0, 1])


def test_support_months_cover_every_person_month_on_support(run: labsim.Run) -> None:
    frame = run.support_months()
    supported = [s.name for s in run.catalogue.states if s.public_support]
    stocks = run.stocks()
    employer = run.ledger.support_months[:, :, 0].sum()  # the employer's first month of sickness: not municipal
    assert employer > 0 and run.ledger.support_months[:, [s != "sygedagpenge" for s in run.catalogue.names], 0].sum() == 0
    expected = stocks[stocks["state"].isin(supported)]["persons"].sum() - employer
    assert frame["person_months"].sum() == pytest.approx(expected)
    assert frame.loc[frame["refund_band"] == "weeks_1_4", "person_months"].sum() > 0


def test_public_namespace_is_curated() -> None:
    for name in labsim.__all__:
        assert hasattr(labsim, name), name
    assert len(set(labsim.__all__)) == len(labsim.__all__)
    public = {n for n in dir(labsim) if not n.startswith("_")} - set(labsim.__all__)
    assert public <= {"calendar", "core", "errors", "events", "io", "policy", "results", "rng", "simulation", "states",
                      "data", "testing", "cli", "experiments", "batch", "calibration", "plotting", "report", "files"}
