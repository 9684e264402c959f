"""The adoption SQL names activity statuses with the performance domain's enum values."""

from __future__ import annotations

import re
from pathlib import Path

from portal.adoption import sql
from portal.performance.enums import ActivityStatus


def test_the_adoption_sql_names_the_withdrawn_status_of_the_performance_domain() -> None:
    assert ActivityStatus.WITHDRAWN.value == sql.WITHDRAWN_STATUS
    assert f"a.status <> '{ActivityStatus.WITHDRAWN.value}'" == sql.COUNTED
    assert f"a.status = '{ActivityStatus.VERIFIED.value}'" == sql.IS_VERIFIED


def test_every_status_literal_of_the_adoption_sql_is_an_activity_status() -> None:
    # the module's source spells no status itself: a renamed enum value cannot drift from it
    source = Path(sql.__file__).read_text(encoding="utf-8")
    assert re.findall(r"status\s*(?:=|<>|IN)\s*\(?'[A-Z_]+'", source) == []
