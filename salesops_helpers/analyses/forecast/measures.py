"""The forecasting measures the metric glossary lists: each a name and the function whose docstring is its formula."""

from __future__ import annotations

from salesops_helpers.analyses.forecast import intervals
from salesops_helpers.analyses.forecast.accuracy import bias, coverage, mase, mase_scale, smape, wape
from salesops_helpers.analyses.forecast.forecast_history import error_by_method
from salesops_helpers.analyses.forecast.pipeline_forecast import (
    blend_weights,
    method_table,
    new_deal_share,
    pipeline_accuracy,
    pipeline_needed,
    stage_probabilities,
    weighted,
)
from salesops_helpers.metrics.measure import Measure
from salesops_helpers.metrics.readiness import warm_up_days

MEASURES: tuple[Measure, ...] = (
    Measure("Series warm-up", warm_up_days),
    Measure("MASE scale", mase_scale),
    Measure("MASE", mase),
    Measure("WAPE", wape),
    Measure("sMAPE", smape),
    Measure("Bias", bias),
    Measure("Interval coverage", coverage),
    Measure("Conformity score", intervals.calibrate),
    Measure("Conformal quantile", intervals.conformal_quantile),
    Measure("Adapted interval level", intervals.adapted_level),
    Measure("Weighted pipeline forecast", weighted),
    Measure("Historical stage probability", stage_probabilities),
    Measure("Share of bookings from new deals", new_deal_share),
    Measure("Pipeline forecast methods", method_table),
    Measure("Blend weights", blend_weights),
    Measure("Pipeline needed", pipeline_needed),
    Measure("Pipeline forecast accuracy", pipeline_accuracy),
    Measure("Forecast against actual", error_by_method),
)
