"""The PostgreSQL server of the tests of database sources: `make test` starts it (scripts/test-postgres)."""

from __future__ import annotations

import os

import pytest


def postgres_url() -> str:
    """The server's SQLAlchemy URL; without one, the test skips, or in CI fails (a server that `make test` did not
    start is a broken set-up, never a reason to pass)."""
    url = os.environ.get("SALESOPS_TEST_POSTGRES_URL", "")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("SALESOPS_TEST_POSTGRES_URL is not set: run the tests with `make test`")
        pytest.skip("no PostgreSQL server: run scripts/test-postgres, or the tests with `make test`")
    return url
