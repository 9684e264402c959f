"""The one clock: "today" is the date in the deployment's time zone, not in UTC or the machine's.

Given an instant near the day boundary, when the date is asked in WIB, WITA or WIT, then it is
the local one (23:30 UTC is already 06:30 the next morning in Jakarta).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from portal.core import clock
from portal.people import nip
from portal.settings import SettingsError, load_settings

LATE_EVENING_UTC = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "local_day", "hour"),
    [
        ("Asia/Jakarta", date(2026, 12, 7), 6),  # WIB, UTC+7
        ("Asia/Makassar", date(2026, 12, 7), 7),  # WITA, UTC+8
        ("Asia/Jayapura", date(2026, 12, 7), 8),  # WIT, UTC+9
        ("UTC", date(2026, 12, 6), 23),
    ],
)
def test_today_is_the_local_date(zone: str, local_day: date, hour: int) -> None:
    with clock.frozen(LATE_EVENING_UTC, tz=zone):
        assert clock.today() == local_day
        assert clock.local_now().hour == hour
        assert clock.now() == LATE_EVENING_UTC
        assert clock.local_date(LATE_EVENING_UTC) == local_day


def test_day_bounds_are_local_midnights_in_utc() -> None:
    with clock.frozen(LATE_EVENING_UTC, tz="Asia/Jakarta"):
        assert clock.start_of_day(date(2026, 12, 7)) == datetime(2026, 12, 6, 17, tzinfo=UTC)
        assert clock.end_of_day(date(2026, 12, 7)) == datetime(2026, 12, 7, 17, tzinfo=UTC)
        assert clock.at_local(date(2026, 12, 7), 9) == datetime(2026, 12, 7, 2, tzinfo=UTC)
        assert clock.utc_offset_hours() == 7
    with clock.frozen(LATE_EVENING_UTC, tz="Asia/Jayapura"):
        assert clock.utc_offset_hours() == 9


def test_the_clock_is_restored_after_the_block() -> None:
    with clock.frozen(LATE_EVENING_UTC, tz="Asia/Jayapura"):
        pass
    assert clock.zone().key == "Asia/Jakarta"
    assert abs((clock.now() - datetime.now(UTC)).total_seconds()) < 60


def test_a_naive_instant_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"), clock.frozen(datetime(2026, 1, 1)):  # noqa: DTZ001
        pass


def test_nip_checks_the_tmt_against_the_local_today() -> None:
    # TMT CPNS December 2026 is "in the future" in UTC on 30 Nov 23:30, but not in WIB (1 Dec).
    value = "199001012026121001"
    with clock.frozen(datetime(2026, 11, 30, 23, 30, tzinfo=UTC), tz="Asia/Jakarta"):
        assert nip.parse_nip(value).tmt_cpns == date(2026, 12, 1)
    with (
        clock.frozen(datetime(2026, 11, 30, 23, 30, tzinfo=UTC), tz="UTC"),
        pytest.raises(nip.NipError),
    ):
        nip.parse_nip(value)


@pytest.mark.parametrize("value", ["Asia/Makassar", "Asia/Jayapura", ""])
def test_the_setting_accepts_indonesian_zones(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("PORTAL_TIMEZONE", value)
    assert load_settings().timezone == (value or "Asia/Jakarta")


@pytest.mark.parametrize("value", ["Mars/Olympus", "WIB", "../etc/passwd", "Asia/Jakarta'"])
def test_the_setting_refuses_unknown_zones(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("PORTAL_TIMEZONE", value)
    with pytest.raises(SettingsError, match="PORTAL_TIMEZONE"):
        load_settings()
