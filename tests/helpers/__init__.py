"""Helpers shared by the test modules (never test modules themselves): the hand-made companies, one module each,
and `salesops run` started as cron starts it. The fixtures built on them are in tests/conftest.py."""
