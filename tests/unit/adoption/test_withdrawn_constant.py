"""The adoption SQL leaves withdrawn activities out with a literal that must match the enum."""

from __future__ import annotations

from portal.adoption import sql
from portal.performance.enums import ActivityStatus


def test_the_adoption_sql_names_the_withdrawn_status_of_the_performance_domain() -> None:
    assert ActivityStatus.WITHDRAWN.value == sql.WITHDRAWN_STATUS
    assert f"a.status <> '{ActivityStatus.WITHDRAWN.value}'" == sql.COUNTED
