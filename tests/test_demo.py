"""The demo company: reproducible byte for byte, realistic, with the planted truths it promises."""

import filecmp

import pandas as pd
import pytest

from salesops_helpers import load_config, load_data
from salesops_helpers.cli.main import main
from salesops_helpers.data.demo import generate_demo_company, write_demo_company
from salesops_helpers.paths import DEFAULT_CONFIG, DEMO_DATA

CLOSED = ["Closed Won", "Closed Lost"]


@pytest.fixture(scope="module")
def history(demo_data):
    frame = demo_data.history.merge(
        demo_data.opportunities[["opportunity_id", "segment", "owner_id"]], on="opportunity_id"
    )
    return frame


def test_regenerating_with_the_default_seed_gives_the_committed_files_byte_for_byte(tmp_path):
    write_demo_company(tmp_path, seed=42)
    committed = sorted(p.name for p in DEMO_DATA.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == committed
    _, mismatch, errors = filecmp.cmpfiles(DEMO_DATA, tmp_path, committed, shallow=False)
    assert mismatch == [] and errors == []


def test_another_seed_gives_another_company():
    a, b = generate_demo_company(seed=1, opportunities=600), generate_demo_company(seed=2, opportunities=600)
    assert not a.opportunities.equals(b.opportunities)


def test_committed_demo_is_small_enough_for_a_spreadsheet_user():
    total = sum(p.stat().st_size for p in DEMO_DATA.iterdir())
    assert total < 10 * 1024 * 1024


def test_demo_loads_cleanly_with_the_demo_configuration(demo_data):
    assert demo_data.quality.errors == [] and demo_data.quality.warnings == []
    assert demo_data.as_of == pd.Timestamp("2026-10-31")
    assert 5000 <= len(demo_data.opportunities) <= 8000
    assert demo_data.reps["team"].nunique() == 4 and len(demo_data.reps) == 25
    months = demo_data.opportunities["close_date"].dt.to_period("M")
    won_months = months[demo_data.opportunities["outcome"] == "won"].nunique()
    assert won_months >= 36  # three years of bookings


def test_the_organisation_has_new_hires_and_one_leaver(demo_data):
    reps = demo_data.reps
    assert reps["end_date"].notna().sum() == 1
    recent = reps["hire_date"] > demo_data.as_of - pd.DateOffset(months=12)
    assert recent.sum() >= 3
    leaver = reps.loc[reps["end_date"].notna(), "rep_id"].item()
    owned = demo_data.opportunities[demo_data.opportunities["owner_id"] == leaver]
    assert (owned["outcome"] != "open").all(), "a leaver's open deals should have been handed over"


def test_history_ends_where_each_deal_stands(demo_data):
    last = demo_data.history.groupby("opportunity_id").tail(1).set_index("opportunity_id")
    opps = demo_data.opportunities.set_index("opportunity_id").loc[last.index]
    assert (last["stage"].astype(str) == opps["stage"].astype(str)).all()
    assert (last["amount"] == opps["amount"]).all()
    assert (last["close_date"] == opps["close_date"]).all()
    assert demo_data.history["changed_at"].max() < demo_data.as_of + pd.Timedelta(days=1)
    first = demo_data.history.groupby("opportunity_id")["changed_at"].min().dt.normalize()
    assert (first == demo_data.opportunities.set_index("opportunity_id").loc[first.index, "created_date"]).all()


def test_history_carries_the_mess_real_crms_have(demo_data, history):
    stages = demo_data.config.stage_names
    rank = history["stage"].map({s: i for i, s in enumerate(stages)}).astype(int)
    step = rank.groupby(history["opportunity_id"]).diff()
    same = history["opportunity_id"].eq(history["opportunity_id"].shift())
    open_rank = len(demo_data.config.open_stages)
    assert ((step >= 2) & (rank < open_rank)).sum() > 50, "skipped stages"
    assert ((step < 0) & (rank.shift() < open_rank)).sum() > 20, "moves backwards"
    assert ((history["stage"].shift() == "Closed Lost") & same).sum() > 10, "reopened deals"
    assert (same & history["changed_at"].eq(history["changed_at"].shift())).sum() > 20, "same-timestamp changes"
    assert (same & history["amount"].ne(history["amount"].shift())).sum() > 200, "amount changes"
    stale = (demo_data.opportunities["outcome"] == "open") & (demo_data.opportunities["close_date"] < demo_data.as_of)
    assert stale.sum() > 5, "open deals with a close date in the past"


def test_planted_bottleneck_enterprise_deals_stall_in_proposal(demo_data, history):
    stages = demo_data.config.stage_names
    rank = history["stage"].map({s: i for i, s in enumerate(stages)}).astype(int)
    proposal, won = stages.index("Proposal"), stages.index("Closed Won")
    entered = history[rank == proposal][["opportunity_id", "segment"]].drop_duplicates()
    beyond = set(history.loc[(rank > proposal) & (rank <= won), "opportunity_id"])
    moved_on = entered.assign(on=entered["opportunity_id"].isin(beyond)).groupby("segment")["on"].mean()
    assert moved_on.idxmin() == "Enterprise"
    assert moved_on["Enterprise"] < moved_on.drop("Enterprise").min() - 0.2


def test_planted_underperformer_wins_far_less_than_team_mates(demo_data):
    opps = demo_data.opportunities.merge(
        demo_data.reps[["rep_id", "team", "hire_date"]], left_on="owner_id", right_on="rep_id"
    )
    closed = opps[opps["stage"].isin(CLOSED)]
    rate = closed.groupby("rep_id").apply(lambda g: (g["stage"] == "Closed Won").mean(), include_groups=False)
    tenured = demo_data.reps.set_index("rep_id")["hire_date"] < demo_data.as_of - pd.DateOffset(years=3)
    worst = rate[tenured[rate.index]].idxmin()
    assert demo_data.reps.set_index("rep_id").loc[worst, "name"] == "Mason Reed"
    assert rate[worst] < 0.6 * rate.drop(worst).median()


def test_planted_slipper_pushes_close_dates_most(demo_data, history):
    same = history["opportunity_id"].eq(history["opportunity_id"].shift())
    pushed = (
        same & history["stage"].eq(history["stage"].shift()) & (history["close_date"] > history["close_date"].shift())
    )
    per_deal = pushed.groupby(history["opportunity_id"]).sum()
    owner = demo_data.opportunities.set_index("opportunity_id")["owner_id"]
    per_rep = per_deal.groupby(owner[per_deal.index]).mean()
    assert demo_data.reps.set_index("rep_id").loc[per_rep.idxmax(), "name"] == "Jack Sullivan"
    assert per_rep.max() > 3 * per_rep.median()


def test_planted_yearly_seasonality_in_bookings(demo_data):
    opps = demo_data.opportunities
    won = opps[(opps["outcome"] == "won") & (opps["close_date"] > demo_data.as_of - pd.DateOffset(years=3))]
    by_month = won.groupby(won["close_date"].dt.month)["amount"].sum()
    year_end = by_month[[12, 1]].mean()
    late_summer = by_month[[8, 9]].mean()
    assert year_end > 1.5 * late_summer


def test_quotas_ramp_for_new_hires_and_end_for_the_leaver(demo_data):
    quotas = demo_data.quotas.merge(demo_data.reps[["rep_id", "hire_date", "end_date"]], on="rep_id")
    new = quotas[quotas["hire_date"] >= pd.Timestamp("2025-11-01")].sort_values("period_start")
    first_months = new.groupby("rep_id")["quota"].apply(lambda q: list(q.iloc[:4]))
    for quotas_in_order in first_months:
        assert quotas_in_order == sorted(quotas_in_order) and quotas_in_order[0] < quotas_in_order[-1]
    leaver = quotas[quotas["end_date"].notna()]
    assert leaver["period_start"].max() <= leaver["end_date"].max()


@pytest.mark.slow
def test_demo_command_writes_a_parquet_company_that_loads_like_csv(tmp_path):
    assert main(["demo", "--out", str(tmp_path / "pq"), "--opportunities", "800", "--format", "parquet"]) == 0
    assert main(["demo", "--out", str(tmp_path / "csv"), "--opportunities", "800"]) == 0
    config = load_config(DEFAULT_CONFIG)
    from_parquet, from_csv = load_data(tmp_path / "pq", config), load_data(tmp_path / "csv", config)
    assert 600 <= len(from_csv.opportunities) <= 1000
    for name in ("opportunities", "reps", "quotas", "history", "activities", "leads", "campaigns"):
        a, b = getattr(from_parquet, name), getattr(from_csv, name)
        pd.testing.assert_frame_equal(a, b, check_dtype=False, check_categorical=False)


@pytest.mark.slow
def test_scaled_company_has_about_the_asked_size():
    company = generate_demo_company(seed=7, opportunities=15000)
    assert 13500 <= len(company.opportunities) <= 16500
    assert len(company.reps) > 25


def test_demo_refuses_to_overwrite_a_folder_that_is_not_a_demo(tmp_path, capsys):
    (tmp_path / "opportunities.csv").write_text("mine\n", encoding="utf-8")
    assert main(["demo", "--out", str(tmp_path)]) == 1
    assert (tmp_path / "opportunities.csv").read_text(encoding="utf-8") == "mine\n"
    assert "not a demo company" in capsys.readouterr().err


def test_won_deals_bunch_at_quarter_ends(demo_data):
    won = demo_data.opportunities[demo_data.opportunities["outcome"] == "won"]
    close = won["close_date"]
    # Fiscal quarters end with January, April, July and October; their last five days are about 5% of the year.
    quarter_end = close.dt.month.isin([1, 4, 7, 10]) & (close.dt.days_in_month - close.dt.day < 5)
    assert won.loc[quarter_end, "amount"].sum() / won["amount"].sum() > 3 * 20 / 365


def test_some_open_deals_are_stalled_for_months(demo_data):
    history = demo_data.history
    open_ids = demo_data.opportunities.loc[demo_data.opportunities["outcome"] == "open", "opportunity_id"]
    rows = history[history["opportunity_id"].isin(open_ids)]
    entered = rows[rows["stage"] != rows.groupby("opportunity_id")["stage"].shift()]
    days_in_stage = (demo_data.as_of - entered.groupby("opportunity_id")["changed_at"].max()).dt.days
    assert (days_in_stage > 120).sum() >= 5
