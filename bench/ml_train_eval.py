"""Benchmark: synthetic world -> train -> evaluate -> score, printed as a markdown section.

Usage: ``.venv/bin/python bench/ml_train_eval.py [--employees 5000] [--seed 7] [--keep DIR]
[--resamples 200]``

Acceptance bar: on the time-based test slice the model beats both baselines (logistic
regression and the "active days fell by half" rule) on ROC-AUC and PR-AUC.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import sklearn
from sklearn.metrics import average_precision_score, roc_auc_score

from ml import pipeline, registry
from ml.evaluate import TimeSplit
from ml.features import features_for_labels
from ml.model import LogisticBaseline, MentoringModel
from ml.schema import Dataset
from ml.synth import generate, write_world

METRICS = ("roc_auc", "pr_auc", "recall_at_capacity", "precision_at_capacity", "brier")


def fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def metric_table(report: dict[str, Any]) -> list[str]:
    rows = {"**model** (HGB, calibrated)": report["model"]}
    rows.update(report["baselines"])
    lines = ["| scores | " + " | ".join(METRICS) + " |", "|---" * (len(METRICS) + 1) + "|"]
    for name, values in rows.items():
        lines.append(f"| {name} | " + " | ".join(fmt(values.get(m)) for m in METRICS) + " |")
    return lines


def lead_lines(report: dict[str, Any]) -> list[str]:
    header = "| scores | episodes | detected | median weeks onset -> first HIGH | before onset |"
    lines = [header, "|---|---|---|---|---|"]
    sources = {"model": report["lead_time"]}
    sources.update({n: v.get("lead_time") for n, v in report["baselines"].items()})
    for name, lead in sources.items():
        if not lead:
            continue
        lines.append(
            f"| {name} | {lead['episodes']} | {fmt(lead['detected_share'])} | "
            f"{fmt(lead['median_weeks_onset_to_first_high'])} | "
            f"{fmt(lead['flagged_before_onset_share'])} |"
        )
        for speed, sub in sorted(lead.get("by_speed", {}).items()):
            lines.append(
                f"| {name}, {speed.lower()} onset | {sub['episodes']} | "
                f"{fmt(sub['detected_share'])} | "
                f"{fmt(sub['median_weeks_onset_to_first_high'])} | "
                f"{fmt(sub['flagged_before_onset_share'])} |"
            )
    return lines


def subgroup_lines(report: dict[str, Any]) -> list[str]:
    subgroups = report["subgroups"]
    largest = subgroups.get("largest_gap", {})
    lines = []
    for attribute, block in subgroups.items():
        if attribute == "largest_gap":
            continue
        lines += [
            "",
            f"**{attribute}**",
            "",
            "| group | n | positives | " + " | ".join(METRICS) + " | flagged |",
            "|---" * (len(METRICS) + 4) + "|",
        ]
        groups = block["groups"]
        shown = sorted(groups.items(), key=lambda kv: -int(kv[1]["n"]))
        for name, m in shown[:12]:
            lines.append(
                f"| {name} | {m['n']} | {m['positives']} | "
                + " | ".join(fmt(m.get(k)) for k in METRICS)
                + f" | {fmt(m.get('flagged_share'))} |"
            )
        if len(shown) > 12:
            lines.append(f"| ... {len(shown) - 12} more groups | | | | | | | | |")
        gaps = []
        for metric, gap in block["gaps"].items():
            text = f"{metric} {fmt(gap['gap'])} ({gap['lowest']} < {gap['highest']})"
            top = largest.get(metric, {})
            if top.get("attribute") == attribute:
                text = f"**{text} - largest**"
            gaps.append(text)
        lines += ["", "Gaps (groups with >= 200 rows and >= 20 positives): " + "; ".join(gaps)]
    return lines


def lead_interval(
    dataset: Dataset, model_dir: Path, split: dict[str, Any], *, resamples: int, seed: int
) -> dict[str, tuple[float, float, float]]:
    """The model's lead over the logistic baseline on the test slice, with a 95 % interval.

    Employees (all their reference dates together) are resampled with replacement, so the
    interval accounts for the same person appearing on every date of the slice.
    """
    features, y = features_for_labels(dataset)
    as_of = features.keys["as_of"].to_numpy()
    fit_rows, cal_rows, test_rows = TimeSplit(
        np.datetime64(split["calibrate_from"]),
        np.datetime64(split["test_from"]),
        int(split["embargo_days"]),
    ).masks(as_of)
    # the saved model is refit on every labelled date (test slice included): the measured
    # recipe is refitted here on the split's training and calibration slices, as
    # `pipeline.train` measures it
    _, metadata = registry.load(model_dir)
    matrix = features.X
    model = MentoringModel(**metadata["model_params"]).fit(
        matrix[fit_rows], y[fit_rows], X_calib=matrix[cal_rows], y_calib=y[cal_rows]
    )
    scores = {
        "model": model.score_samples(matrix[test_rows]),
        "logistic": LogisticBaseline()
        .fit(matrix[fit_rows], y[fit_rows])
        .predict_proba(matrix[test_rows])[:, 1],
    }
    target = y[test_rows]
    employee = features.keys["employee_id"].to_numpy()[test_rows]
    order = np.argsort(employee, kind="stable")
    ids, starts, counts = np.unique(employee[order], return_index=True, return_counts=True)
    rng = np.random.default_rng(seed)
    metrics = {"roc_auc": roc_auc_score, "pr_auc": average_precision_score}
    draws: dict[str, list[float]] = {name: [] for name in metrics}
    for _ in range(resamples):
        pick = rng.integers(0, ids.size, ids.size)
        rows = order[np.repeat(starts[pick], counts[pick]) + _ranks(counts[pick])]
        for name, metric in metrics.items():
            draws[name].append(
                metric(target[rows], scores["model"][rows])
                - metric(target[rows], scores["logistic"][rows])
            )
    out = {}
    for name, metric in metrics.items():
        lead = metric(target, scores["model"]) - metric(target, scores["logistic"])
        low, high = np.percentile(draws[name], [2.5, 97.5])
        out[name] = (float(lead), float(low), float(high))
    return out


def _ranks(counts: np.ndarray) -> np.ndarray:
    """0, 1, ..., count - 1 for each count, concatenated."""
    ends = np.cumsum(counts)
    return np.arange(ends[-1]) - np.repeat(ends - counts, counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--employees", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, default=None, help="keep the data and model here")
    parser.add_argument(
        "--resamples", type=int, default=200, help="employee bootstrap of the model's lead"
    )
    args = parser.parse_args()

    start, end = date(2025, 1, 1), date(2025, 12, 31)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="ml-bench-") as tmp:
        root = args.keep or Path(tmp)
        data_dir, model_dir = root / "data", root / "model"
        t0 = time.perf_counter()
        world = generate(args.employees, seed=args.seed, start=start, end=end)
        gen_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        write_world(world, data_dir)
        write_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        report = pipeline.train(data_dir, model_dir, seed=args.seed)
        train_s = time.perf_counter() - t0
        as_of = end + timedelta(days=1)
        t0 = time.perf_counter()
        scores = pipeline.score(data_dir, model_dir, as_of, root / "scores.csv")
        score_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        frames_scores = pipeline.score_frames(world.dataset, model_dir, as_of)
        score_frames_s = time.perf_counter() - t0
        lead = lead_interval(
            world.dataset, model_dir, report["split"], resamples=args.resamples, seed=args.seed
        )

    data = world.dataset
    timings = report["timings_seconds"]
    model, logistic, rule = (
        report["model"],
        report["baselines"]["logistic"],
        report["baselines"]["rule"],
    )
    beats = report["comparison"]["beats_baselines"]
    bands = scores["band"].value_counts().to_dict()
    example = scores.loc[scores["band"] == "HIGH"].head(3)
    machine = (
        f"Machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, scikit-learn "
        f"{sklearn.__version__}, pandas {pd.__version__}. Seed {args.seed}; {start} to {end}. "
        f"Load average before / after: {load_before:.1f} / {os.getloadavg()[0]:.1f} "
        "(the machine is shared; times are wall-clock)."
    )
    world_text = (
        f"World: {len(data.employees)} employees, {len(data.activities):,} activities, "
        f"{len(data.labels):,} labels ({data.labels['needs_mentoring'].mean():.1%} positive), "
        f"{len(world.episodes)} struggling episodes, reorganised OPD(s) "
        f"{', '.join(world.reorganisations['opd'])}; optional files: "
        + ", ".join(
            f"{name} {len(frame):,} rows"
            for name, frame in (
                ("progress", data.progress),
                ("feedback", data.feedback),
                ("training", data.training),
            )
            if frame is not None
        )
        + "."
    )
    split = report["split"]
    rows = report["rows"]
    split_text = (
        f"Split (by reference date): train rows {rows['train']:,}, calibration rows "
        f"{rows['calibration']:,}, test rows {rows['test']:,}; calibrate from "
        f"{split['calibrate_from']}, test from {split['test_from']}, "
        f"{split['embargo_days']}-day embargo before the test slice. Capacity share (HIGH) "
        f"{report['capacity_share']:.0%} per reference date."
    )
    n_dates = data.labels["as_of"].nunique()
    acceptance = (
        "Acceptance (model beats both baselines on ROC-AUC and PR-AUC): "
        f"**{'PASS' if beats else 'FAIL'}** (ROC-AUC {fmt(model['roc_auc'])} vs "
        f"{fmt(logistic['roc_auc'])} / {fmt(rule['roc_auc'])}; PR-AUC {fmt(model['pr_auc'])} vs "
        f"{fmt(logistic['pr_auc'])} / {fmt(rule['pr_auc'])})."
    )
    lead_text = (
        f"Lead over the logistic baseline (95 % interval, {args.resamples} employee "
        "resamples): "
        + "; ".join(
            f"{name} {value:+.3f} [{low:+.3f}, {high:+.3f}]"
            for name, (value, low, high) in lead.items()
        )
        + "."
    )
    lines = [
        f"## Mentoring model: synthetic world, {args.employees} employees, one year",
        "",
        machine,
        "",
        world_text,
        "",
        split_text,
        "",
        "| step | seconds |",
        "|---|---|",
        f"| generate world | {gen_s:.1f} |",
        f"| write CSV directory | {write_s:.1f} |",
        f"| train total (`pipeline.train`) | {train_s:.1f} |",
        f"| - read + validate CSV | {timings['read']:.1f} |",
        f"| - features ({len(data.labels):,} rows, {n_dates} dates) | {timings['features']:.1f} |",
        f"| - fit + calibrate model | {timings['fit']:.1f} |",
        f"| - score test slice ({rows['test']:,} rows) | {timings['score_test']:.2f} |",
        f"| score one date from CSV, with reasons (`pipeline.score`) | {score_s:.1f} |",
        f"| score one date from frames (`pipeline.score_frames`) | {score_frames_s:.1f} |",
        "",
        "### Test-slice metrics",
        "",
        *metric_table(report),
        "",
        acceptance,
        "",
        lead_text,
        "",
        "### Lead time (latent onset -> first HIGH, reference dates every 2 weeks)",
        "",
        *lead_lines(report),
        "",
        "### Subgroups (model, test slice)",
        *subgroup_lines(report),
        "",
        f"### Scoring {as_of}",
        "",
        f"Bands: {bands}; {len(frames_scores)} employees scored from frames.",
        "",
        "Example reasons (HIGH):",
        "",
        *[f"- employee {r.employee_id}: {' | '.join(r.reasons)}" for r in example.itertuples()],
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
