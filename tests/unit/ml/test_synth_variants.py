"""Unit tests for ml.synth_variants: the family of generative variants of ml.synth."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from ml.calendar import working_day_mask
from ml.synth import generate
from ml.synth_variants import BASE, DESIGN, HELD_OUT, VARIANTS, Variant

START, END = date(2025, 1, 1), date(2025, 8, 31)


def test_design_and_held_out_variants_are_apart():
    design = {v.name for v in DESIGN}
    held_out = {v.name for v in HELD_OUT}
    assert not design & held_out
    assert len(VARIANTS) == len(DESIGN) + len(HELD_OUT)
    assert BASE in DESIGN
    assert len(held_out) >= 5
    # every held-out variant changes the process from the base one
    assert all(v.as_dict() | {"name": "base"} != BASE.as_dict() for v in HELD_OUT)


def test_the_default_variant_is_the_original_process():
    a = generate(80, seed=4, start=START, end=END)
    b = generate(80, seed=4, start=START, end=END, variant=Variant())
    pd.testing.assert_frame_equal(a.dataset.activities, b.dataset.activities)
    pd.testing.assert_frame_equal(a.dataset.labels, b.dataset.labels)


def test_batch_loggers_log_their_week_on_friday():
    world = generate(60, seed=4, start=START, end=END, variant=Variant(batch_logging_share=1.0))
    acts = world.dataset.activities
    day = acts["activity_date"].dt.day_of_week.to_numpy()
    latency = (acts["logged_at"].dt.normalize() - acts["activity_date"]).dt.days.to_numpy()
    weekdays = day <= 4
    assert (latency[weekdays] >= 4 - day[weekdays]).all()


def test_days_off_the_feature_calendar_does_not_know_and_saturday_work():
    variant = Variant(collective_leave_days=10, saturday_share=1.0)
    world = generate(120, seed=4, start=START, end=END, variant=variant)
    acts = world.dataset.activities
    days = pd.date_range(START, END).to_numpy().astype("datetime64[D]")
    logged = set(acts["activity_date"].to_numpy().astype("datetime64[D]"))
    empty_workdays = [d for d in days[working_day_mask(days)] if d not in logged]
    assert len(empty_workdays) >= 5
    assert (acts["activity_date"].dt.day_of_week == 5).any()


def test_label_horizons_and_quiet_struggle():
    short = generate(300, seed=4, start=START, end=END, variant=Variant(horizon_weeks=2))
    long = generate(300, seed=4, start=START, end=END, variant=Variant(horizon_weeks=12))
    assert (
        long.dataset.labels["needs_mentoring"].mean()
        > short.dataset.labels["needs_mentoring"].mean()
    )
    assert short.params["horizon_weeks"] == 2
    # a quiet episode is a real need that barely shows in the logs
    loud = generate(300, seed=4, start=START, end=END)
    quiet = generate(300, seed=4, start=START, end=END, variant=Variant(quiet_share=1.0))
    assert len(quiet.dataset.activities) > len(loud.dataset.activities)
    pd.testing.assert_frame_equal(quiet.dataset.labels, loud.dataset.labels)
    assert np.isclose(
        quiet.dataset.labels["needs_mentoring"].mean(),
        loud.dataset.labels["needs_mentoring"].mean(),
    )
