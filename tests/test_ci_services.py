"""Under CI=true a test whose service (a PostgreSQL server) is missing fails; elsewhere it skips."""

from __future__ import annotations

import pytest

from conftest import skip_or_fail


def test_a_missing_service_fails_under_ci_and_skips_elsewhere(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="no server"):
        skip_or_fail("no server")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="no server"):
        skip_or_fail("no server")
