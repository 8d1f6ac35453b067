"""The errors a user can see: one base class, so a caller can tell a user's mistake from a bug.

Each error's message names what is wrong in the user's words (the file, column or key, example rows, what to do);
the command line prints it without a traceback and exits with the code its command documents.
"""


class SalesopsError(Exception):
    """Something the user can fix: bad data, configuration, mapping, period or notebook; its message says what."""


class PeriodError(SalesopsError, ValueError):
    """A period that cannot be read or used (a month, quarter, fiscal year or TTM label, or one outside the data)."""
