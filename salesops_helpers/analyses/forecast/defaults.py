"""The backtest's defaults, in a module light enough for the command line to import at start-up."""

MAX_ORIGINS = 24  # forecast origins: the last 24 months at most
HORIZON = 6  # months ahead, 1 to 6
