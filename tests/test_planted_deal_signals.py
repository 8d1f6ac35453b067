"""The demo's planted deal-inspection signals (issue 18 point 6), found by the win-probability model and by the
forecast-category conversion: deals pushed out twice or more lose more often, and one team's Commit (the EMEA team
of Lukas Brandt, data/demo/README.md truth 8) closes less than the others'."""

from __future__ import annotations

import pytest

from salesops_helpers.analyses.deals import categories, story
from salesops_helpers.analyses.deals import win_probability as wp
from salesops_helpers.data.demo.deals import OPTIMISTIC_COMMIT, PUSHED_OFTEN
from salesops_helpers.data.demo.organisation import TEAMS
from salesops_helpers.data.loading import SalesData

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def labelled(demo_data: SalesData):
    """Every month-end snapshot of an open demo deal whose outcome is known, with `won`."""
    return wp.labelled(wp.snapshots(demo_data), demo_data.as_of)


def test_at_the_same_stage_deals_pushed_twice_are_won_less_often(labelled):
    often = labelled["pushes"] >= PUSHED_OFTEN[0]
    for stage in ("Proposal", "Negotiation"):
        at = labelled["stage"] == stage
        assert (at & often).sum() >= 100 and (at & ~often).sum() >= 100, stage
        gap = labelled.loc[at & ~often, "won"].mean() - labelled.loc[at & often, "won"].mean()
        assert gap > 0.1, (stage, gap)  # measured: 16 points in Proposal, 15 in Negotiation


@pytest.mark.parametrize("method", wp.MODELS)
def test_the_model_learns_that_pushes_lower_the_chance(labelled, method):
    """The same snapshots, once never pushed and once pushed three times: the learnt probability is lower."""
    model = wp.fit_learner(method, labelled)
    sample = labelled[labelled["stage"].isin(["Proposal", "Negotiation"])]
    never = model.predict(sample.assign(pushes=0))
    thrice = model.predict(sample.assign(pushes=3))
    # measured on the demo: 4.6 points lower with the trees, 2.4 with logistic regression (age and the distance to
    # the close date carry part of the pushes' signal)
    assert thrice.mean() < never.mean() - 0.01, (thrice.mean(), never.mean())


def test_the_optimistic_team_s_commit_closes_least(demo_data: SalesData):
    manager = next(team.manager for team in TEAMS if team.name == OPTIMISTIC_COMMIT[0])
    conversion = categories.category_conversion(categories.past_calls(demo_data), "manager")
    commit = conversion[conversion["category"] == categories.COMMIT].set_index("group")["share_amount"].dropna()
    assert len(commit) >= 3
    assert commit.idxmin() == manager
    assert commit.drop(manager).min() - commit[manager] > 0.05
    assert story.lowest_group_sentence(conversion, "manager").startswith(f"{manager}'s Commit closed at ")
