"""The demo's older history as weekly totals keeps what every rule counts: the verified sums."""

from __future__ import annotations

import random
from datetime import date, timedelta

from portal.performance import demo
from portal.performance.enums import ActivityStatus


def test_weekly_totals_keep_each_weeks_verified_and_rejected_quantity() -> None:
    # given three weeks of daily rows of two people, some rejected
    rng = random.Random(3)
    world = demo._World(
        people=[],
        skp_of={},
        indicator_of={1: (10, 2400.0, "dosis", "Imunisasi"), 2: (20, 900.0, "berkas", "Izin")},
    )
    by_id = {
        pid: demo.DemoPerson(pid, 1, "DINKES", 1, 99, "PELAKSANA", "Perawat") for pid in (1, 2)
    }
    start = date(2026, 3, 2)  # a Monday
    rows = demo._activities(
        rng, world, by_id, 5, start, start + timedelta(days=20), date(2026, 6, 1)
    )

    # when they are stored as weekly totals
    weekly = demo._weekly_totals(rows)

    # then each person's verified and rejected quantity per week is unchanged
    def sums(items: list[tuple[object, ...]]) -> dict[tuple[object, ...], float]:
        out: dict[tuple[object, ...], float] = {}
        for r in items:
            day = r[3]
            assert isinstance(day, date)
            key = (r[0], r[2], day - timedelta(days=day.weekday()), r[9])
            out[key] = out.get(key, 0.0) + float(r[5])  # type: ignore[arg-type]
        return out

    assert sums(weekly) == sums(rows)
    assert len(weekly) < len(rows)
    # and every weekly row is one of a week, with a unique idempotency key
    assert len({r[10] for r in weekly}) == len(weekly)
    statuses = {r[9] for r in weekly}
    assert statuses <= {ActivityStatus.VERIFIED.value, ActivityStatus.REJECTED.value}
