"""The demo's support-offer story: the model itself flags the pegawai persona (issue: alerts by
capacity), and her offer quotes the model's own reasons, while a run flags only the capacity."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import pytest

from portal import demo
from portal.accounts.tables import UserAccount
from portal.demo_stories import DEMO_ALERT_REASON, NO_SIGNAL_REASON
from portal.mentoring.tables import MentoringAlert, MentoringScore, MentoringScoringRun
from portal.people.demo_org import DEMO_PASSWORD
from support.api import Api


def _json(value: object) -> object:
    return json.loads(value) if isinstance(value, str) else value


async def test_the_model_flags_the_pegawai_persona_among_the_capacity_of_the_demo_city(
    api: Api, db: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a small demo city scored by the shipped model (installed into a registry of its own)
    monkeypatch.setenv("PORTAL_MODEL_DIR", str(tmp_path / "models"))
    await demo.seed(n_employees=60, today=date(2026, 12, 7))

    # Then the run flagged the top 5 % of the city, not everyone above a fixed threshold
    (run,) = await MentoringScoringRun.select(MentoringScoringRun.scored, MentoringScoringRun.high)
    assert run["high"] == math.ceil(0.05 * run["scored"])
    # and the pegawai, who has been struggling these last weeks, is one of them
    (persona,) = await UserAccount.select(UserAccount.employee).where(
        UserAccount.username == "pegawai"
    )
    (score,) = await MentoringScore.select(MentoringScore.band, MentoringScore.reasons).where(
        MentoringScore.employee == persona["employee"]
    )
    assert score["band"] == "HIGH"
    # and her open alert carries the model's own reasons, the ones she reads on her offer
    (alert,) = await MentoringAlert.select(MentoringAlert.reasons).where(
        MentoringAlert.employee == persona["employee"]
    )
    reasons = _json(alert["reasons"])
    assert reasons == _json(score["reasons"])
    assert reasons
    assert NO_SIGNAL_REASON not in reasons
    assert DEMO_ALERT_REASON not in reasons
    token = await api.login("pegawai", DEMO_PASSWORD)
    home = await api.data("EmployeeHome", token=token)
    (offer,) = home["mySupportOffers"]
    assert offer["reasons"] == reasons
