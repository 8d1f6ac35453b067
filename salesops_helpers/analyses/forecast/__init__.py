"""Revenue forecasting: monthly bookings series, models, their rolling-origin backtest, calibrated intervals,
pipeline-based forecasts, scenarios and the store of past forecasts; and the revenue forecast report (notebook 04):
everything its page shows (page.py), its tables (tables.py) and its sentences (story.py)."""
