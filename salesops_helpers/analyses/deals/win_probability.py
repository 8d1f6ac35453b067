"""Win probability per open deal: learnt from the company's own history, calibrated and backtested without hindsight.

The backtest stands at each of the last month ends (an origin): it learns from the month-end snapshots before it of
the deals whose outcome was known by then, scores the deals open at the origin, and, once their outcomes are known,
measures the scores by Brier score and log loss against two baselines: the stage probabilities in the configuration
and the stages' historical win rates (learnt from the same snapshots). The learnt probability is calibrated on the
newest months before the origin, never on the months it is scored on. Where no model beats the historical stage
rates over the backtest, the deal's probability is its stage's historical rate, and the report says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from salesops_helpers.analyses.deals.features import (
    ACTIVITY,
    CATEGORICAL,
    NUMERIC,
    HistoryMarks,
    deal_features,
    deals_by_id,
    history_marks,
    outcomes,
)
from salesops_helpers.data.loading import SalesData
from salesops_helpers.data.validation import is_in

BACKTEST_ORIGINS = 12
# The newest month ends before an origin calibrate the probabilities; the older ones train the model.
CALIBRATION_MONTHS = 6
# Too few labelled snapshots to learn from: the origin is skipped.
MOST_FEW_ROWS = 200
# Beyond this many training snapshots a learner gains little (the demo's 9,000 are all used) and the fits of a
# 200,000-deal company's 300,000 took 80 s of its backtest.
MOST_TRAIN_ROWS = 40_000
# The snapshots of a company with more deals follow a sample of this many (the demo's 6,000 are all followed): the
# learners see at most MOST_TRAIN_ROWS rows anyway, and the backtest's accuracy stands on thousands of scored deals.
MOST_SNAPSHOT_DEALS = 60_000
SEED = 0
CLIP = 1e-4  # log loss of a probability of exactly 0 or 1 is infinite
RELIABILITY_BINS = 10
TREES, LOGISTIC = "gradient-boosted trees", "logistic regression"
CONFIGURED, HISTORICAL = "configured stage probabilities", "historical stage win rates"
MODELS = (TREES, LOGISTIC)


@dataclass
class Snapshots:
    """Month-end snapshots of the open deals (features, one row per deal and month end) and every deal's outcome."""

    rows: pd.DataFrame
    outcomes: pd.DataFrame
    days: list[pd.Timestamp]
    # each row's deal's outcome (1, 0; NaN while open or not yet known) and the day it became known, looked up once
    won: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    known_on: pd.Series = field(default_factory=lambda: pd.Series(dtype="datetime64[ns]"))

    # the rows' model inputs (_design), worked out once for every fit and score that reads them
    design: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        if len(self.won) != len(self.rows):
            ids = self.rows["opportunity_id"] if len(self.rows) else pd.Series(dtype=object)
            self.won = ids.map(self.outcomes["won"]).astype(float)
            self.known_on = ids.map(self.outcomes["known_on"])
        if self.design is None and len(self.rows):
            self.design = _design(self.rows)

    def until(self, day: pd.Timestamp) -> Snapshots:
        """What was known at the end of a day: the snapshots up to it and the outcomes known by then."""
        kept = (self.rows["day"] <= day).to_numpy() if len(self.rows) else np.zeros(0, dtype=bool)
        later = self.known_on[kept] > day
        return Snapshots(
            self.rows[kept],
            self.outcomes[self.outcomes["known_on"] <= day],
            [d for d in self.days if d <= day],
            self.won[kept].mask(later),
            self.known_on[kept].mask(later),
            self.design[kept] if self.design is not None else None,
        )


def month_ends(data: SalesData) -> list[pd.Timestamp]:
    """The month ends from the first deal's month to the data's day."""
    first = data.opportunities["created_date"].min()
    ends = pd.date_range(first + pd.offsets.MonthEnd(0), data.as_of, freq="ME")
    return [pd.Timestamp(day) for day in ends]


def _marks_of(marks: HistoryMarks, followed: pd.Series) -> HistoryMarks:
    """The marks of the followed deals only."""
    parts = (marks.entered, marks.pushed, marks.moved_back, marks.raised)
    return HistoryMarks(*(part[is_in(part["opportunity_id"], followed)] for part in parts))


def snapshot_deals(data: SalesData, most: int | None = None) -> pd.Series | None:
    """The deals the month-end snapshots follow: every deal (None), or a seeded random MOST_SNAPSHOT_DEALS of them
    when the company has more, so that a million-deal company's snapshots take seconds."""
    most = MOST_SNAPSHOT_DEALS if most is None else most
    ids = data.opportunities["opportunity_id"]
    return None if len(ids) <= most else ids.sample(n=most, random_state=SEED)


def snapshots(data: SalesData, days: list[pd.Timestamp] | None = None) -> Snapshots:
    """The features of the deals open at each month end (or the given days), with the deals' outcomes; of a sample
    of the deals in a large company (snapshot_deals)."""
    days = month_ends(data) if days is None else days
    marks: HistoryMarks | None = history_marks(data)
    followed = snapshot_deals(data)
    seen = data
    if followed is not None:
        # what each day reads, cut to the followed deals once: each day then reads only theirs
        if marks is not None:
            marks = _marks_of(marks, followed)
        activities = data.activities
        if activities is not None and "opportunity_id" in activities.columns:
            seen = replace(data, activities=activities[is_in(activities["opportunity_id"], followed)])
    by_id = deals_by_id(data, followed)
    parts = [deal_features(seen, day, marks, followed, by_id) for day in days]
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return Snapshots(rows, outcomes(data), days)


def labelled(snaps: Snapshots, before: pd.Timestamp) -> pd.DataFrame:
    """Snapshots taken before a day of the deals whose outcome was known by that day, with the label `won`."""
    if snaps.rows.empty:
        return snaps.rows.assign(won=pd.Series(dtype=int))
    keep = ((snaps.rows["day"] < before) & (snaps.known_on <= before)).to_numpy()
    rows = snaps.rows[keep].copy()
    rows["won"] = snaps.won[keep].astype(int).to_numpy()
    return rows


def _design(rows: pd.DataFrame) -> pd.DataFrame:
    """The model's inputs: numbers as floats (amount on a log scale), labels as categories (each label a fixed
    64-bit hash of its text: the encoders then count integers, many times faster than Python strings)."""
    frame = rows[[*NUMERIC, ACTIVITY]].astype(float).copy()
    frame["amount"] = np.log1p(frame["amount"].clip(lower=0))
    for column in CATEGORICAL:
        labels = rows[column].astype("object").fillna("(none)").astype(str).to_numpy(dtype=object)
        frame[column] = pd.util.hash_array(labels).view(np.int64)
    return frame


def _trees() -> object:
    """Gradient-boosted trees on the raw inputs (missing values and labels handled by the trees)."""
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OrdinalEncoder

    # a missing number (no activity yet) becomes -1, below every real value; a column missing everywhere (no
    # activities table) stays a column of -1, which the trees' binning needs
    missing = SimpleImputer(strategy="constant", fill_value=-1.0, keep_empty_features=True)
    encode = ColumnTransformer(
        [
            ("labels", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), CATEGORICAL),
            ("numbers", missing, [*NUMERIC, ACTIVITY]),
        ],
        verbose_feature_names_out=False,
    )
    trees = HistGradientBoostingClassifier(
        max_iter=60,
        learning_rate=0.08,
        max_leaf_nodes=15,
        min_samples_leaf=30,
        l2_regularization=1.0,
        categorical_features=list(range(len(CATEGORICAL))),
        early_stopping=False,
        random_state=SEED,
    )
    return make_pipeline(encode, trees)


def _logistic() -> object:
    """A regularised logistic regression on standardised numbers (missing ones filled and flagged) and labels."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    numbers = make_pipeline(
        SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True), StandardScaler()
    )
    prepare = ColumnTransformer(
        [
            ("numbers", numbers, [*NUMERIC, ACTIVITY]),
            ("labels", OneHotEncoder(handle_unknown="ignore", min_frequency=20), CATEGORICAL),
        ]
    )
    return make_pipeline(prepare, LogisticRegression(C=0.5, max_iter=2000))


LEARNERS: dict[str, Callable[[], object]] = {TREES: _trees, LOGISTIC: _logistic}


@dataclass
class WinModel:
    """A fitted method: a learnt model with its calibration, or a table of stage probabilities."""

    method: str
    model: object | None = None
    calibration: object | None = None
    stage_rates: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    prior: float = float("nan")

    def predict(self, rows: pd.DataFrame, design: pd.DataFrame | None = None) -> np.ndarray:
        """The win probability of each row, between CLIP and 1 - CLIP; design: the model inputs of rows and more
        (Snapshots.design), indexed as they are, when already worked out."""
        if self.model is None:
            probability = rows["stage"].astype("object").map(self.stage_rates).astype(float).fillna(self.prior)
            return probability.clip(CLIP, 1 - CLIP).to_numpy()
        inputs = _design(rows) if design is None else design.loc[rows.index]
        raw = self.model.predict_proba(inputs)[:, 1]  # type: ignore[attr-defined]
        calibrated = self.calibration.predict(raw) if self.calibration is not None else raw  # type: ignore[attr-defined]
        return np.clip(calibrated, CLIP, 1 - CLIP)


def stage_rates_model(train: pd.DataFrame) -> WinModel:
    """Each stage's historical win rate among the training snapshots (the company's rate for a stage never seen)."""
    prior = float(train["won"].mean()) if len(train) else 0.5
    rates = train.groupby(train["stage"].astype("object"))["won"].mean() if len(train) else pd.Series(dtype=float)
    return WinModel(HISTORICAL, stage_rates=rates, prior=prior)


def configured_model(data: SalesData, train: pd.DataFrame) -> WinModel:
    """The configuration's stage probabilities (the company's rate where a deal's stage is unknown)."""
    prior = float(train["won"].mean()) if len(train) else 0.5
    return WinModel(CONFIGURED, stage_rates=pd.Series(data.config.stage_probability(), dtype=float), prior=prior)


def training_rows(train: pd.DataFrame, most: int | None = None) -> pd.DataFrame:
    """The training snapshots a learner sees: all of them, or a seeded random MOST_TRAIN_ROWS of them (in their
    order) when there are more, so that a large company's fits take seconds, not minutes."""
    most = MOST_TRAIN_ROWS if most is None else most
    if len(train) <= most:
        return train
    return train.sample(n=most, random_state=SEED).sort_index()


def fit_learner(method: str, train: pd.DataFrame, design: pd.DataFrame | None = None) -> WinModel:
    """A learner fitted on the older training snapshots and calibrated (Platt) on the newest CALIBRATION_MONTHS
    month ends, or fitted on all of them uncalibrated when the newest months hold only one outcome; at most
    MOST_TRAIN_ROWS snapshots (training_rows). design: their model inputs when already worked out (Snapshots)."""
    train = training_rows(train)
    days = sorted(train["day"].unique())
    cut = days[-CALIBRATION_MONTHS] if len(days) > CALIBRATION_MONTHS else days[-1]
    fit, calibrate = train[train["day"] < cut], train[train["day"] >= cut]
    if fit["won"].nunique() < 2 or calibrate["won"].nunique() < 2:
        fit, calibrate = train, train.iloc[0:0]
    from threadpoolctl import threadpool_limits

    model = LEARNERS[method]()
    # one thread: the trees' OpenMP threads slow tenfold when another notebook of the batch shares the cores
    with threadpool_limits(limits=1):
        model.fit(_design(fit) if design is None else design.loc[fit.index], fit["won"])  # type: ignore[attr-defined]
    calibration = None
    if len(calibrate):
        inputs = _design(calibrate) if design is None else design.loc[calibrate.index]
        raw = model.predict_proba(inputs)[:, 1]  # type: ignore[attr-defined]
        calibration = Platt().fit(raw, calibrate["won"].to_numpy())
    return WinModel(method, model=model, calibration=calibration)


class Platt:
    """Platt scaling: a logistic curve on the log-odds of the raw probability, fitted to the calibration outcomes
    (smoother than isotonic steps on a few thousand deals, so it does not promise 99% where 83% win)."""

    def fit(self, raw: np.ndarray, won: np.ndarray) -> Platt:
        """Fit the curve; returns itself."""
        from sklearn.linear_model import LogisticRegression

        self.curve = LogisticRegression(C=1e6).fit(_logit(raw).reshape(-1, 1), won)
        return self

    def predict(self, raw: np.ndarray) -> np.ndarray:
        """Calibrated probabilities."""
        return self.curve.predict_proba(_logit(raw).reshape(-1, 1))[:, 1]


def _logit(p: np.ndarray) -> np.ndarray:
    """Log-odds of probabilities clipped away from 0 and 1."""
    p = np.clip(np.asarray(p, dtype=float), CLIP, 1 - CLIP)
    return np.log(p / (1 - p))


def brier(probability: np.ndarray, won: np.ndarray) -> float:
    """Brier score: the mean of (probability - outcome)², outcome 1 for won and 0 for lost; lower is better."""
    return float(np.mean((probability - won) ** 2))


def log_loss(probability: np.ndarray, won: np.ndarray) -> float:
    """Log loss: the mean of -[y·ln p + (1 - y)·ln(1 - p)], p clipped to [CLIP, 1 - CLIP]; lower is better."""
    p = np.clip(probability, CLIP, 1 - CLIP)
    return float(-np.mean(won * np.log(p) + (1 - won) * np.log(1 - p)))


def brier_skill(score: float, reference: float) -> float:
    """Brier skill score against a reference: 1 - Brier / reference Brier (0.10: a tenth better than it)."""
    return 1.0 - score / reference if reference > 0 else float("nan")


@dataclass
class WinBacktest:
    """What the backtest scored at each origin, pooled measures per method, the method to trust and why."""

    scored: pd.DataFrame  # origin, opportunity_id, stage, amount, won and one probability column per method
    accuracy: pd.DataFrame  # method, brier, log_loss, brier_skill (against historical stage rates), deals
    champion: str
    origins: list[pd.Timestamp]


def score_origins(data: SalesData, snaps: Snapshots, days: list[pd.Timestamp]) -> pd.DataFrame:
    """Every deal open at each of the days (origins) with each method's win probability, the methods learnt only
    from the snapshots before the origin of deals whose outcome was known by then; days with fewer than
    MOST_FEW_ROWS such snapshots are skipped. Columns origin, opportunity_id, stage, amount, days_to_close, won
    (1, 0, or NaN while the deal is open), known_on and one per method."""
    scored = []
    for origin in days:
        train = labelled(snaps, origin)
        if len(train) < MOST_FEW_ROWS:
            continue
        test = snaps.rows[snaps.rows["day"] == origin]
        if test.empty:
            continue
        fitted = [stage_rates_model(train), configured_model(data, train)]
        fitted += [fit_learner(method, train, snaps.design) for method in MODELS]
        frame = test[["day", "opportunity_id", "stage", "amount", "days_to_close"]].rename(columns={"day": "origin"})
        frame["won"] = snaps.won[test.index]
        frame["known_on"] = snaps.known_on[test.index]
        for model in fitted:
            frame[model.method] = model.predict(test, snaps.design)
        scored.append(frame)
    return pd.concat(scored, ignore_index=True) if scored else pd.DataFrame()


def backtest_origins(snaps: Snapshots, origins: int = BACKTEST_ORIGINS) -> list[pd.Timestamp]:
    """The last `origins` month ends before the snapshots' last one with at least MOST_FEW_ROWS labelled snapshots
    before them: the origins the backtest scores on."""
    candidates = [day for day in snaps.days[:-1] if len(labelled(snaps, day)) >= MOST_FEW_ROWS]
    return [pd.Timestamp(day) for day in candidates[-origins:]]


def run_backtest(data: SalesData, origins: int = BACKTEST_ORIGINS, snaps: Snapshots | None = None) -> WinBacktest:
    """Score the deals open at each of the last `origins` month ends whose outcome is now known, each method learnt
    only from what was known at that month end (module docstring)."""
    snaps = snapshots(data) if snaps is None else snaps
    chosen = backtest_origins(snaps, origins)
    scored = score_origins(data, snaps, chosen)
    return backtest_of(scored, chosen)


def backtest_of(scored: pd.DataFrame, origins: list[pd.Timestamp]) -> WinBacktest:
    """The backtest over the scored deals (score_origins) whose outcome is known: pooled measures and champion."""
    if not scored.empty:
        scored = scored[scored["won"].notna()].drop(columns=["days_to_close", "known_on"])
        scored = scored.assign(won=scored["won"].astype(int)).reset_index(drop=True)
    accuracy = _accuracy(scored)
    return WinBacktest(scored, accuracy, _champion(accuracy), origins)


def backtest_on(scored: pd.DataFrame, day: pd.Timestamp, origins: int = BACKTEST_ORIGINS) -> WinBacktest:
    """The backtest as it stood at the end of day (as deal_scores runs it then): the `origins` latest origins before
    the day's last month end, scored on their deals whose outcome was known by the day (scored: score_origins over
    consecutive month ends)."""
    if scored.empty:
        return backtest_of(scored, [])
    last_end = day - pd.offsets.MonthEnd(0 if day.is_month_end else 1)
    before = sorted(scored.loc[scored["origin"] < last_end, "origin"].unique())[-origins:]
    rows = scored[scored["origin"].isin(before) & (scored["known_on"] <= day)]
    return backtest_of(rows, [pd.Timestamp(d) for d in before])


def _accuracy(scored: pd.DataFrame) -> pd.DataFrame:
    """Brier score, log loss and Brier skill against the historical stage rates, pooled over every scored deal."""
    methods = [*MODELS, HISTORICAL, CONFIGURED]
    if scored.empty:
        return pd.DataFrame({"method": methods, "brier": np.nan, "log_loss": np.nan, "brier_skill": np.nan})
    won = scored["won"].to_numpy()
    reference = brier(scored[HISTORICAL].to_numpy(), won)
    rows = []
    for method in methods:
        p = scored[method].to_numpy()
        score = brier(p, won)
        rows.append(
            {
                "method": method,
                "brier": score,
                "log_loss": log_loss(p, won),
                "brier_skill": brier_skill(score, reference),
                "deals": len(scored),
            }
        )
    return pd.DataFrame(rows)


def _champion(accuracy: pd.DataFrame) -> str:
    """The learnt method with the lowest Brier score if it beats the historical stage rates, else those rates."""
    scores = accuracy.set_index("method")["brier"]
    learnt = scores.reindex(list(MODELS)).dropna()
    if learnt.empty or scores.get(HISTORICAL) is None or not learnt.min() < scores[HISTORICAL]:
        return HISTORICAL
    return str(learnt.idxmin())


def reliability(scored: pd.DataFrame, method: str, bins: int = RELIABILITY_BINS) -> pd.DataFrame:
    """The scored deals in bins of predicted probability (tenths): deals, mean predicted and observed win rate."""
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(scored[method], edges[1:-1]), 0, bins - 1)
    grouped = scored.groupby(which)
    table = pd.DataFrame(
        {
            "deals": grouped.size(),
            "predicted": grouped[method].mean(),
            "observed": grouped["won"].mean(),
        }
    )
    table.index = [f"{edges[i]:.0%}-{edges[i + 1]:.0%}" for i in table.index]
    table.index.name = "predicted probability"
    return table


def score_open_deals(data: SalesData, day: pd.Timestamp, method: str, snaps: Snapshots | None = None) -> pd.DataFrame:
    """The deals open at the end of day with their win probability by `method`, learnt from everything known then."""
    snaps = snapshots(data) if snaps is None else snaps
    train = labelled(snaps, day + pd.Timedelta(days=1))
    if method == HISTORICAL:
        model = stage_rates_model(train)
    elif method == CONFIGURED:
        model = configured_model(data, train)
    else:
        model = fit_learner(method, train, snaps.design)
    rows = deal_features(data, day, history_marks(data))
    rows["win_probability"] = model.predict(rows) if len(rows) else []
    return rows


@dataclass
class DealScores:
    """Every deal open at a day with its win probability, the method that gave it and the backtest that chose it."""

    day: pd.Timestamp
    deals: pd.DataFrame
    backtest: WinBacktest

    @property
    def method(self) -> str:
        """The method the probabilities come from."""
        return self.backtest.champion


def deal_scores(data: SalesData, day: pd.Timestamp, origins: int = BACKTEST_ORIGINS) -> DealScores:
    """The deals open at the end of day scored by the method the backtest trusts, the backtest standing only on
    what was known that day (its origins before it, the outcomes known by then)."""
    known = snapshots(data).until(day)
    backtest = run_backtest(data, origins, known)
    return DealScores(day, score_open_deals(data, day, backtest.champion, known), backtest)
