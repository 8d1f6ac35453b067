"""Win probability per open deal: features known on the scoring day worked out by hand, the scores by hand, the
backtest without hindsight, the fallback to historical stage rates, and the demo's measured skill."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from salesops_helpers.analyses.deals import win_probability as wp
from salesops_helpers.analyses.deals.features import deal_features, owner_win_rates
from salesops_helpers.data.loading import load_data
from salesops_helpers.paths import DEFAULT_CONFIG, DEMO_DATA

T = pd.Timestamp
FILES = {
    "reps.csv": "rep_id,name,team\nR1,Ann Lee,Enterprise\nR2,Bob Ray,SMB\n",
    "quotas.csv": "rep_id,period_start,quota\nR1,2024-01-01,1000\nR2,2024-01-01,1000\n",
    "opportunities.csv": (
        "opportunity_id,owner_id,created_date,close_date,stage,amount,segment,lead_source,deal_type\n"
        "D1,R1,2024-01-01,2024-04-30,Discovery,5000,SMB,Inbound,New Business\n"
        "D2,R1,2024-01-05,2024-02-01,Closed Won,1000,SMB,Inbound,New Business\n"
        "D3,R1,2024-01-06,2024-02-15,Closed Lost,2000,SMB,Outbound,New Business\n"
        "D4,R2,2024-01-07,2024-03-01,Closed Lost,3000,Enterprise,Outbound,Renewal\n"
    ),
    # D1: pushed out on 25 Feb, moved back to Prospecting on 10 Mar, pushed again and moved on on 20 Mar
    "opportunity_history.csv": (
        "opportunity_id,changed_at,stage,amount,close_date\n"
        "D1,2024-01-01T09:00:00,Prospecting,5000,2024-02-28\n"
        "D1,2024-01-20T09:00:00,Qualification,5000,2024-02-28\n"
        "D1,2024-02-25T09:00:00,Qualification,5000,2024-03-31\n"
        "D1,2024-03-10T09:00:00,Prospecting,5000,2024-03-31\n"
        "D1,2024-03-20T09:00:00,Discovery,5000,2024-04-30\n"
        "D2,2024-01-05T09:00:00,Prospecting,1000,2024-02-01\n"
        "D2,2024-02-01T09:00:00,Closed Won,1000,2024-02-01\n"
        "D3,2024-01-06T09:00:00,Prospecting,2000,2024-02-15\n"
        "D3,2024-02-15T09:00:00,Closed Lost,2000,2024-02-15\n"
        "D4,2024-01-07T09:00:00,Prospecting,3000,2024-03-01\n"
        "D4,2024-03-01T09:00:00,Closed Lost,3000,2024-03-01\n"
    ),
    "activities.csv": "activity_id,rep_id,occurred_at,type,opportunity_id\nA1,R1,2024-03-12T10:00:00,Call,D1\n"
    "A2,R1,2024-03-18T10:00:00,Call,D1\n",
}


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("four-deals")
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return load_data(folder, DEFAULT_CONFIG)


def test_what_was_known_of_an_open_deal_on_15_march(company):
    row = deal_features(company, T("2024-03-15")).set_index("opportunity_id").loc["D1"]
    assert row["stage"] == "Prospecting"  # moved back on 10 March; Discovery came on the 20th, after the day
    assert row["age_days"] == 74  # 1 January to 15 March 2024
    assert row["days_in_stage"] == 5  # from 10 March 09:00 to the end of 15 March: 5 whole days
    assert row["pushes"] == 1 and row["moves_back"] == 1  # the push of 20 March came later
    assert row["days_to_close"] == 16  # expected on 31 March that day
    assert row["days_since_activity"] == pytest.approx(3 + 14 / 24)  # 12 March 10:00; the call of the 18th is later
    # R1 closed D2 (won) and D3 (lost); the company 1 of 3: (1 + 5/3) / (2 + 5)
    assert row["owner_win_rate"] == pytest.approx((1 + 5 / 3) / 7)
    assert row["deal_type"] == "New Business" and row["close_month"] == "Mar"


def test_owner_rates_lean_toward_the_companys_rate(company):
    rates = owner_win_rates(company, T("2024-03-15"))
    assert rates["R1"] == pytest.approx((1 + 5 / 3) / 7) and rates["R2"] == pytest.approx((5 / 3) / 6)
    assert owner_win_rates(company, T("2024-01-31")).empty  # nothing closed yet


def test_brier_log_loss_and_skill_by_hand():
    p, won = np.array([0.8, 0.3, 0.5]), np.array([1, 0, 1])
    assert wp.brier(p, won) == pytest.approx((0.04 + 0.09 + 0.25) / 3)
    assert wp.log_loss(p, won) == pytest.approx(-(np.log(0.8) + np.log(0.7) + np.log(0.5)) / 3)
    assert wp.brier_skill(0.18, 0.20) == pytest.approx(0.10)
    assert wp.log_loss(np.array([1.0]), np.array([0])) == pytest.approx(-np.log(wp.CLIP))  # finite


def test_stage_rates_are_learnt_from_the_training_snapshots():
    train = pd.DataFrame({"stage": ["Proposal", "Proposal", "Proposal", "Discovery"], "won": [1, 1, 0, 0]})
    model = wp.stage_rates_model(train)
    rows = pd.DataFrame({"stage": ["Proposal", "Discovery", "Negotiation"]})
    assert model.predict(rows).tolist() == pytest.approx([2 / 3, wp.CLIP, 0.5])  # Negotiation unseen: company 2/4


def _coin_company(folder: Path, deals: int = 900, seed: int = 7) -> Path:
    """Deals whose outcome is a fair coin whatever their features: nothing beats the stage rates but chance."""
    rng = np.random.default_rng(seed)
    created = pd.Timestamp("2023-01-02") + pd.to_timedelta(rng.integers(0, 640, deals), unit="D")
    cycle = pd.to_timedelta(rng.integers(10, 90, deals), unit="D")
    won = rng.random(deals) < 0.5
    ids = [f"C{i:04d}" for i in range(deals)]
    frame = pd.DataFrame(
        {
            "opportunity_id": ids,
            "owner_id": rng.choice(["R1", "R2"], deals),
            "created_date": created.strftime("%Y-%m-%d"),
            "close_date": (created + cycle).strftime("%Y-%m-%d"),
            "stage": np.where(won, "Closed Won", "Closed Lost"),
            "amount": rng.integers(1, 50, deals) * 1000,
            "segment": rng.choice(["SMB", "Enterprise"], deals),
        }
    )
    history = pd.DataFrame(
        {
            "opportunity_id": ids * 2,
            "changed_at": list(created.strftime("%Y-%m-%dT09:00:00"))
            + list((created + cycle).strftime("%Y-%m-%dT09:00:00")),
            "stage": ["Prospecting"] * deals + list(frame["stage"]),
        }
    )
    folder.mkdir()
    frame.to_csv(folder / "opportunities.csv", index=False)
    history.to_csv(folder / "opportunity_history.csv", index=False)
    (folder / "reps.csv").write_text(FILES["reps.csv"], encoding="utf-8")
    (folder / "quotas.csv").write_text(FILES["quotas.csv"], encoding="utf-8")
    return folder


def test_where_nothing_beats_the_stage_rates_the_deal_gets_its_stages_rate(tmp_path):
    data = load_data(_coin_company(tmp_path / "coins"), DEFAULT_CONFIG)
    result = wp.run_backtest(data, origins=4)
    assert len(result.origins) == 4 and len(result.scored) > 100
    assert result.champion == wp.HISTORICAL
    assert set(result.accuracy["method"]) == {*wp.MODELS, wp.HISTORICAL, wp.CONFIGURED}


def test_an_origins_scores_do_not_change_when_later_outcomes_do(tmp_path):
    """No hindsight: flipping the outcome of every deal closed after the origin leaves its scores as they were."""
    folder = _coin_company(tmp_path / "coins")
    data = load_data(folder, DEFAULT_CONFIG)
    origin = T("2024-06-30")
    snaps = wp.snapshots(data, wp.month_ends(data))
    before = wp.labelled(snaps, origin)
    deals = pd.read_csv(folder / "opportunities.csv")
    later = pd.to_datetime(deals["close_date"]) > origin
    deals.loc[later, "stage"] = deals.loc[later, "stage"].map(
        {"Closed Won": "Closed Lost", "Closed Lost": "Closed Won"}
    )
    deals.to_csv(folder / "opportunities.csv", index=False)
    history = pd.read_csv(folder / "opportunity_history.csv")
    flip = history["opportunity_id"].isin(deals.loc[later, "opportunity_id"]) & history["stage"].ne("Prospecting")
    history.loc[flip, "stage"] = history.loc[flip, "stage"].map(
        {"Closed Won": "Closed Lost", "Closed Lost": "Closed Won"}
    )
    history.to_csv(folder / "opportunity_history.csv", index=False)
    changed = load_data(folder, DEFAULT_CONFIG)
    after = wp.labelled(wp.snapshots(changed, wp.month_ends(changed)), origin)
    pd.testing.assert_frame_equal(before.reset_index(drop=True), after.reset_index(drop=True))
    for method in wp.MODELS:
        open_then = snaps.rows[snaps.rows["day"] == origin]
        first = wp.fit_learner(method, before).predict(open_then)
        second = wp.fit_learner(method, after).predict(open_then)
        assert np.array_equal(first, second), method


@pytest.mark.slow
def test_on_the_demo_the_learnt_probability_beats_the_stage_rates():
    data = load_data(DEMO_DATA, DEFAULT_CONFIG, cache=True)
    result = wp.run_backtest(data)
    assert len(result.origins) == wp.BACKTEST_ORIGINS
    accuracy = result.accuracy.set_index("method")
    assert result.champion in wp.MODELS
    # measured: 3.0% with logistic regression on the demo with its planted deal signals (5.5% before them; the
    # issue's goal of 10% is not met)
    assert accuracy.loc[result.champion, "brier_skill"] > 0.02
    assert accuracy.loc[result.champion, "log_loss"] < accuracy.loc[wp.HISTORICAL, "log_loss"]
    table = wp.reliability(result.scored, result.champion)
    assert table["deals"].sum() == len(result.scored)
    assert (table["observed"] - table["predicted"]).abs().max() < 0.2  # calibrated within 20 points in every bin


def test_a_learner_sees_at_most_the_most_training_rows_the_same_ones_each_time():
    train = pd.DataFrame({"day": pd.Timestamp("2026-01-31"), "won": [i % 2 for i in range(1000)], "n": range(1000)})
    assert wp.training_rows(train, 1000) is train  # no more than the cap: all of them
    first, second = wp.training_rows(train, 300), wp.training_rows(train, 300)
    assert len(first) == 300 and first["n"].is_unique and first.index.is_monotonic_increasing
    assert first.equals(second)  # seeded
    assert first["n"].max() > 700  # drawn across the rows, not the first 300


def test_a_large_company_s_snapshots_follow_a_seeded_sample_of_its_deals(tmp_path, monkeypatch):
    data = load_data(_coin_company(tmp_path / "coins"), DEFAULT_CONFIG)
    assert wp.snapshot_deals(data) is None  # fewer deals than MOST_SNAPSHOT_DEALS: every deal is followed
    sample = wp.snapshot_deals(data, 40)
    assert len(sample) == 40 and sample.equals(wp.snapshot_deals(data, 40))
    day = T("2024-06-30")
    every = deal_features(data, day).set_index("opportunity_id")
    some = deal_features(data, day, only=sample).set_index("opportunity_id")
    assert set(some.index) == set(every.index) & set(sample) and len(some) < len(every)
    pd.testing.assert_frame_equal(some, every.loc[some.index])  # the same features, only fewer deals
    monkeypatch.setattr(wp, "MOST_SNAPSHOT_DEALS", 40)
    assert set(wp.snapshots(data).rows["opportunity_id"]) <= set(sample)
