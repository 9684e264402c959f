"""Benchmark: the shipped model against a plain trend baseline on a family of synthetic worlds.

Usage: ``.venv/bin/python bench/ml_variants.py [--employees 800] [--seed 3]
[--only design|held-out|all] [--grid 0,0.25,0.5,0.75,1] [--json OUT]``

For every variant of :mod:`ml.synth_variants` (15 months of history, 2025-01-01 to
2026-03-31): the data directory an export on the **cut** date (2025-12-01) would give --
activities logged before it, the optional files before it, and only the labels observable by
then (reference date + label horizon <= cut) -- is written as CSV and trained through the
documented interface (``ml.pipeline.train``, what ``portal ml train --data DIR`` runs, with its
defaults). The saved model (loaded from the registry) then scores every later reference date
against labels it never saw: the features of all the dates are built once from the full
history (``build_features`` only reads what was logged before each date) and scored with
``score_samples``; the last date also goes through ``ml.pipeline.score_frames`` (what
``portal ml score`` and the portal run) to check every HIGH employee gets reasons. The plain
baseline (:class:`ml.model.TrendBaseline`: a default ``HistGradientBoostingClassifier`` on
the eleven trend features) is trained on every labelled row of the same directory.

Reported per variant: ROC-AUC, PR-AUC and recall at the top 10 % of each reference date, for
both, and the worst held-out difference. ``--grid`` instead compares trend weights of the
blend on the **design** variants only (the choice of ``MentoringModel.trend_weight``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import sklearn
from sklearn.metrics import average_precision_score, roc_auc_score
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from ml import pipeline, registry
from ml.evaluate import flag_top_share
from ml.features import build_features, features_for_labels
from ml.model import MentoringModel, TrendBaseline
from ml.schema import Dataset, write_dir
from ml.synth import generate
from ml.synth_variants import DESIGN, HELD_OUT, Variant

START, END, CUT = date(2025, 1, 1), date(2026, 3, 31), date(2025, 12, 1)
TOP_SHARE = 0.10


def before(frame: pd.DataFrame | None, column: str, cut: date) -> pd.DataFrame | None:
    if frame is None:
        return None
    return frame[frame[column] < pd.Timestamp(cut)].reset_index(drop=True)


def export_at(dataset: Dataset, cut: date, horizon_weeks: int) -> Dataset:
    """What an export on ``cut`` holds: nothing logged later, labels observable by then."""
    acts = dataset.activities
    acts = acts[(acts["logged_at"] < pd.Timestamp(cut))].reset_index(drop=True)
    labels = dataset.labels
    observable = labels["as_of"] + pd.Timedelta(weeks=horizon_weeks) <= pd.Timestamp(cut)
    return replace(
        dataset,
        employees=dataset.employees[dataset.employees["hired_on"] < pd.Timestamp(cut)],
        activities=acts,
        labels=labels[observable].reset_index(drop=True),
        progress=before(dataset.progress, "measured_on", cut),
        feedback=before(dataset.feedback, "opened_at", cut),
        training=before(dataset.training, "completed_on", cut),
    )


def metrics(
    y: npt.NDArray[Any], scores: npt.NDArray[Any], as_of: npt.NDArray[Any]
) -> dict[str, float]:
    flags = flag_top_share(scores, as_of, TOP_SHARE)
    return {
        "roc_auc": float(roc_auc_score(y, scores)),
        "pr_auc": float(average_precision_score(y, scores)),
        "recall_at_10": float(flags[y == 1].mean()),
    }


def run_variant(variant: Variant, n: int, seed: int, grid: list[float] | None) -> dict[str, Any]:
    tick = time.perf_counter()
    world = generate(n, seed=seed, start=START, end=END, variant=variant)
    horizon = int(world.params["horizon_weeks"])
    train_data = export_at(world.dataset, CUT, horizon)
    labels = world.dataset.labels
    test_labels = labels[labels["as_of"] >= pd.Timestamp(CUT)]
    test_dates = sorted(test_labels["as_of"].unique())
    x_train, y_train = features_for_labels(train_data)
    test = build_features(world.dataset, test_dates)
    merged = test.keys.merge(test_labels, on=["employee_id", "as_of"], how="left")
    has = merged["needs_mentoring"].notna().to_numpy()
    y = merged["needs_mentoring"].to_numpy()[has].astype(int)
    as_of = merged["as_of"].to_numpy()[has]
    x_test = test.X[has]
    out: dict[str, Any] = {
        "variant": variant.name,
        "horizon_weeks": horizon,
        "train_rows": len(y_train),
        "train_dates": int(x_train.keys["as_of"].nunique()),
        "test_rows": int(has.sum()),
        "test_dates": len(test_dates),
        "test_positive_share": round(float(y.mean()), 3),
    }
    plain = TrendBaseline(random_state=0).fit(x_train.X, y_train)
    out["plain"] = metrics(y, plain.predict_proba(x_test)[:, 1], as_of)
    if grid is not None:  # design choice: members fitted once, blended in log-odds
        fit, cal = pipeline.final_masks(x_train.keys["as_of"].to_numpy())
        logits = {}
        for weight in (0.0, 1.0):
            model = MentoringModel(trend_weight=weight, random_state=0)
            model.fit(x_train.X[fit], y_train[fit], X_calib=x_train.X[cal], y_calib=y_train[cal])
            logits[weight] = model.pipeline_.decision_function(x_test)
        out["grid"] = {
            str(w): metrics(y, (1 - w) * logits[0.0] + w * logits[1.0], as_of) for w in grid
        }
    else:
        with tempfile.TemporaryDirectory() as tmp:
            write_dir(train_data, Path(tmp) / "data")
            report = pipeline.train(Path(tmp) / "data", Path(tmp) / "models")
            model, _ = registry.load(Path(tmp) / "models")
            # the last date as `portal ml score` scores it (bands, reasons); every date's
            # scores from the same model on the same features, computed once
            last = pipeline.score_frames(world.dataset, model, test_dates[-1])
        out["shipped"] = metrics(y, model.score_samples(x_test), as_of)
        out["shipped_final_fit"] = report["final_fit"]
        out["shipped_hold_out_roc_auc"] = report["model"]["roc_auc"]
        out["every_alert_explained"] = bool(
            last.loc[last["band"] == "HIGH", "reasons"].map(len).gt(0).all()
        )
    out["seconds"] = round(time.perf_counter() - tick, 1)
    return out


def table(results: list[dict[str, Any]], group: str) -> list[str]:
    lines = [
        (
            f"| {group} variant | shipped ROC / PR / recall@10 % | plain ROC / PR / recall@10 % "
            "| difference ROC / PR / recall |"
        ),
        "|---|---|---|---|",
    ]
    for r in results:
        s, p = r["shipped"], r["plain"]
        d = {k: s[k] - p[k] for k in s}
        lines.append(
            f"| {r['variant']} | {s['roc_auc']:.3f} / {s['pr_auc']:.3f} / {s['recall_at_10']:.3f} "
            f"| {p['roc_auc']:.3f} / {p['pr_auc']:.3f} / {p['recall_at_10']:.3f} "
            f"| {d['roc_auc']:+.3f} / {d['pr_auc']:+.3f} / {d['recall_at_10']:+.3f} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=800)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--only", choices=("design", "held-out", "all"), default="all")
    parser.add_argument("--grid", default=None, help="trend weights to compare (design only)")
    parser.add_argument("--json", default=None, help="also write the results here")
    args = parser.parse_args()
    grid = [float(w) for w in args.grid.split(",")] if args.grid else None
    groups = {"design": DESIGN, "held-out": HELD_OUT}
    if grid is not None:
        groups = {"design": DESIGN}
    elif args.only != "all":
        groups = {args.only: groups[args.only]}
    started = time.perf_counter()
    results: dict[str, list[dict[str, Any]]] = {}
    with threadpool_limits(limits=int(os.environ.get("BENCH_THREADS", "2"))):
        for group, variants in groups.items():
            results[group] = []
            for variant in variants:
                r = run_variant(variant, args.employees, args.seed, grid)
                results[group].append(r)
                print(json.dumps(r), flush=True)
    print()
    print(
        f"{platform.node()} ({os.cpu_count()} CPUs), Python {platform.python_version()}, "
        f"scikit-learn {sklearn.__version__}; {args.employees} employees, seed {args.seed}; "
        f"{time.perf_counter() - started:.0f} s"
    )
    if grid is not None:
        for w in grid:
            rows = [r["grid"][str(w)] for r in results["design"]]
            gaps = [
                g["roc_auc"] - r["plain"]["roc_auc"]
                for g, r in zip(rows, results["design"], strict=True)
            ]
            print(
                f"trend_weight {w}: mean ROC {np.mean([g['roc_auc'] for g in rows]):.4f} "
                f"PR {np.mean([g['pr_auc'] for g in rows]):.4f} "
                f"recall {np.mean([g['recall_at_10'] for g in rows]):.4f}; "
                f"worst ROC vs plain {min(gaps):+.4f}"
            )
        return
    for group, rs in results.items():
        print()
        print("\n".join(table(rs, group)))
        for metric in ("roc_auc", "pr_auc", "recall_at_10"):
            diff = {r["variant"]: r["shipped"][metric] - r["plain"][metric] for r in rs}
            name = min(diff, key=diff.__getitem__)
            print(f"{group} worst {metric}: {name} {diff[name]:+.3f}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
