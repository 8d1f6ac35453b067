"""Revenue forecasting: monthly bookings series, models, their rolling-origin backtest, calibrated intervals,
pipeline-based forecasts, scenarios and the store of past forecasts."""
