"""Unit tests for ml.explain: local contributions and Indonesian reasons."""

from __future__ import annotations

import numpy as np
import pytest

from ml.explain import (
    MIN_ACTIVITIES_FOR_PERCENT,
    SENTENCES,
    contributions,
    explain,
    reasons,
    sentence,
)
from ml.features import DETAIL_NAMES, FEATURE_INDEX, FEATURE_NAMES, FEATURES
from ml.model import LogisticBaseline, MentoringModel

N_FEATURES = len(FEATURE_NAMES)


def typical_rows(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = np.empty((n, N_FEATURES))
    x[:] = rng.normal(size=(n, N_FEATURES)) * 0.1
    typical = {
        "active_days_4w": 4.0,
        "active_days_prev8w": 4.0,
        "active_days_ratio": 1.0,
        "rejected_share_4w": 0.03,
        "latency_median_4w": 0.0,
        "longest_gap_workdays": 3.0,
    }
    for name, value in typical.items():
        x[:, FEATURE_INDEX[name]] += value
    return x


def details(**values: float) -> np.ndarray:
    """One row of ``FeatureFrame.details``: the given numbers, the rest unknown."""
    row = np.full((1, len(DETAIL_NAMES)), np.nan)
    for name, value in values.items():
        row[0, DETAIL_NAMES.index(name)] = value
    return row


@pytest.fixture(scope="module")
def trained() -> tuple[MentoringModel, np.ndarray]:
    """A model where rejections and a drop in active days both matter."""
    rng = np.random.default_rng(0)
    x = typical_rows(2500, seed=1)
    rejected = FEATURE_INDEX["rejected_share_4w"]
    ratio = FEATURE_INDEX["active_days_ratio"]
    x[:, rejected] = rng.uniform(0.0, 0.6, 2500)
    x[:, ratio] = rng.uniform(0.2, 1.5, 2500)
    logit = 8.0 * x[:, rejected] - 3.0 * x[:, ratio] - 1.0
    y = (rng.random(2500) < 1 / (1 + np.exp(-logit))).astype(int)
    model = MentoringModel(max_iter=50, min_samples_leaf=40, random_state=0).fit(
        x[:2000], y[:2000], X_calib=x[2000:], y_calib=y[2000:]
    )
    return model, x


def test_manipulated_feature_ranks_first(trained):
    model, _ = trained
    row = model.reference_.copy()[None, :]
    row[0, FEATURE_INDEX["rejected_share_4w"]] = 0.55
    contrib = contributions(model, row)
    assert int(np.argmax(contrib[0])) == FEATURE_INDEX["rejected_share_4w"]
    first = explain(model, row, details=details(settled_activities_4w=40.0))[0][0]
    assert first == "55 % aktivitas ditolak dalam 4 minggu terakhir"

    other = model.reference_.copy()[None, :]
    other[0, FEATURE_INDEX["active_days_ratio"]] = 0.25
    other[0, FEATURE_INDEX["active_days_prev8w"]] = 5.0
    other[0, FEATURE_INDEX["active_days_4w"]] = 1.25
    assert int(np.argmax(contributions(model, other)[0])) == FEATURE_INDEX["active_days_ratio"]
    assert explain(model, other)[0][0] == (
        "hari aktif melapor turun dari 5 ke 1,2 per minggu selama 4 minggu terakhir"
    )


def test_contributions_match_manual_replacement(trained):
    model, x = trained
    rows = x[:7]
    contrib = contributions(model, rows)
    j = FEATURE_INDEX["rejected_share_4w"]
    swapped = rows.copy()
    swapped[:, j] = model.reference_[j]
    expected = model.score_samples(rows) - model.score_samples(swapped)
    np.testing.assert_allclose(contrib[:, j], expected)
    assert contrib.shape == (7, N_FEATURES)


def test_contributions_of_a_reference_row_are_zero(trained):
    model, _ = trained
    contrib = contributions(model, model.reference_[None, :])
    np.testing.assert_allclose(contrib, 0.0)
    assert explain(model, model.reference_[None, :]) == [[]]


def test_works_for_any_probabilistic_model(trained):
    _, x = trained
    y = (x[:, FEATURE_INDEX["rejected_share_4w"]] > 0.4).astype(int)
    logistic = LogisticBaseline().fit(x, y)
    contrib = contributions(logistic, x[:3])  # reference: medians of the rows given
    assert contrib.shape == (3, N_FEATURES)


def test_context_features_are_never_reasons():
    x = np.zeros((1, N_FEATURES))
    contrib = np.zeros((1, N_FEATURES))
    contrib[0, FEATURE_INDEX["tenure_years"]] = 0.5
    contrib[0, FEATURE_INDEX["jabatan_PELAKSANA"]] = 0.4
    assert reasons(x, contrib) == [[]]


def test_one_sentence_per_topic_and_top_limit():
    row = np.zeros((1, N_FEATURES))
    values = {
        "active_days_4w": 2.0,
        "active_days_prev8w": 5.0,
        "active_days_ratio": 0.4,
        "rejected_share_4w": 0.38,
        "latency_median_4w": 3.0,
        "longest_gap_workdays": 9.0,
    }
    for name, value in values.items():
        row[0, FEATURE_INDEX[name]] = value
    contrib = np.zeros((1, N_FEATURES))
    order = ["active_days_ratio", "active_days_4w", "rejected_share_4w", "latency_median_4w"]
    for rank, name in enumerate(order):
        contrib[0, FEATURE_INDEX[name]] = 0.2 - rank * 0.01
    contrib[0, FEATURE_INDEX["longest_gap_workdays"]] = 0.001  # below the minimum
    counts = details(settled_activities_4w=50.0)
    assert reasons(row, contrib, details=counts, top=5) == [
        [
            "hari aktif melapor turun dari 5 ke 2 per minggu selama 4 minggu terakhir",
            "38 % aktivitas ditolak dalam 4 minggu terakhir",
            "biasanya terlambat melapor 3 hari",
        ]
    ]
    assert len(reasons(row, contrib, details=counts, top=2)[0]) == 2


ENOUGH = float(MIN_ACTIVITIES_FOR_PERCENT)


@pytest.mark.parametrize(
    ("feature", "values", "expected"),
    [
        # few activities: counts, never "100 %" over one activity
        (
            "rejected_share_4w",
            {"rejected_share_4w": 1.0, "settled_activities_4w": 1.0},
            "1 dari 1 aktivitas ditolak dalam 4 minggu terakhir",
        ),
        (
            "rejected_share_prev8w",
            {"rejected_share_prev8w": 2 / 3, "settled_activities_prev8w": 3.0},
            "2 dari 3 aktivitas ditolak dalam 8 minggu sebelumnya",
        ),
        (
            "rejected_share_4w",
            {"rejected_share_4w": 1 / (ENOUGH - 1), "settled_activities_4w": ENOUGH - 1},
            f"1 dari {ENOUGH - 1:.0f} aktivitas ditolak dalam 4 minggu terakhir",
        ),
        (  # verified over the 12 weeks: the 4 and the 8 weeks' settled activities together
            "verified_share_12w",
            {
                "verified_share_12w": 0.4,
                "settled_activities_4w": 2.0,
                "settled_activities_prev8w": 3.0,
            },
            "baru 2 dari 5 aktivitas yang terverifikasi dalam 12 minggu",
        ),
        (
            "late_share_4w",
            {"late_share_4w": 0.5, "logged_activities_4w": 4.0},
            "2 dari 4 aktivitas baru dilaporkan 2 hari atau lebih setelah dikerjakan",
        ),
        # enough activities: the percentage, as before
        (
            "rejected_share_4w",
            {"rejected_share_4w": 0.3, "settled_activities_4w": ENOUGH},
            "30 % aktivitas ditolak dalam 4 minggu terakhir",
        ),
        (
            "verified_share_12w",
            {
                "verified_share_12w": 0.55,
                "settled_activities_4w": 8.0,
                "settled_activities_prev8w": 32.0,
            },
            "baru 55 % aktivitas yang terverifikasi dalam 12 minggu",
        ),
        (
            "late_share_4w",
            {"late_share_4w": 0.25, "logged_activities_4w": 40.0},
            "25 % aktivitas baru dilaporkan 2 hari atau lebih setelah dikerjakan",
        ),
    ],
)
def test_shares_are_percentages_only_over_enough_activities(feature, values, expected):
    row = dict.fromkeys((*FEATURE_NAMES, *DETAIL_NAMES), 1.0) | values
    assert sentence(feature, row) == expected


def test_a_share_without_its_count_gives_way_to_the_next_reason():
    row = np.zeros((1, N_FEATURES))
    row[0, FEATURE_INDEX["rejected_share_4w"]] = 1.0
    row[0, FEATURE_INDEX["latency_median_4w"]] = 3.0
    contrib = np.zeros((1, N_FEATURES))
    contrib[0, FEATURE_INDEX["rejected_share_4w"]] = 0.3
    contrib[0, FEATURE_INDEX["latency_median_4w"]] = 0.1
    assert reasons(row, contrib, details=details()) == [["biasanya terlambat melapor 3 hari"]]
    assert reasons(row, contrib, details=details(settled_activities_4w=1.0)) == [
        ["1 dari 1 aktivitas ditolak dalam 4 minggu terakhir", "biasanya terlambat melapor 3 hari"]
    ]


def test_sentences_never_speak_of_risk():
    row = dict.fromkeys(FEATURE_NAMES, 0.5)
    texts = [sentence(name, row) for name in FEATURE_NAMES]
    assert all(text is None or "risiko" not in text.lower() for text in texts)
    assert sentence("tenure_years", row) is None


def test_every_behavioural_feature_has_a_sentence():
    assert {f.name for f in FEATURES if f.behavioural} <= set(SENTENCES)


def test_last_week_sentences():
    row = dict.fromkeys(FEATURE_NAMES, 1.0) | {"active_days_prev8w": 4.0}
    assert sentence("active_days_last_week", row | {"active_days_last_week": 0.0}) == (
        "tidak ada laporan pada minggu terakhir (sebelumnya 4 hari aktif per minggu)"
    )
    assert sentence("active_days_last_week", row | {"active_days_last_week": 1.5}) == (
        "hanya 1,5 hari aktif melapor pada minggu terakhir (sebelumnya 4 hari aktif per minggu)"
    )
    assert sentence("active_days_last_week", row | {"active_days_last_week": 3.8}) is None


def test_sentences_of_the_optional_sources_quote_the_numbers():
    row = dict.fromkeys((*FEATURE_NAMES, *DETAIL_NAMES), 1.0) | {
        "realisation_pace": 0.6,
        "realised_share": 0.48,
        "expected_share": 0.8,
        "realisation_pace_4w": 0.35,
        "feedback_threads_4w": 2.0,
        "feedback_improvement_12w": 3.0,
        "feedback_appreciation_12w": 0.0,
        "training_jp_12w": 0.0,
        "training_jp_12m": 6.0,
        "training_jp_year": 4.0,
        "training_jp_expected": 18.3,
    }
    assert sentence("realisation_pace", row) == (
        "realisasi target SKP baru 48 %, sementara 80 % tahun sudah berjalan"
    )
    assert sentence("realisation_pace_4w", row) == (
        "laju realisasi target SKP dalam 4 minggu terakhir 35 % dari laju yang diharapkan"
    )
    assert sentence("feedback_threads_4w", row) == (
        "2 percakapan umpan balik (perbaikan, pertanyaan atau dialog kinerja) dibuka dalam "
        "4 minggu terakhir"
    )
    assert sentence("feedback_improvement_12w", row) == (
        "3 percakapan umpan balik perbaikan dalam 12 minggu terakhir"
    )
    assert sentence("feedback_appreciation_12w", row) == (
        "belum ada percakapan apresiasi dalam 12 minggu terakhir"
    )
    assert sentence("training_jp_12w", row) == (
        "belum ada pelatihan yang diselesaikan dalam 12 minggu terakhir"
    )
    assert sentence("training_jp_12m", row) == (
        "6 JP pelatihan dalam 12 bulan terakhir (norma 20 JP per tahun); tahun ini 4 JP, "
        "sekitar 18 JP yang diharapkan"
    )


def test_optional_sentences_are_quiet_when_nothing_is_worth_saying():
    row = dict.fromkeys((*FEATURE_NAMES, *DETAIL_NAMES), 1.0) | {
        "feedback_threads_4w": 0.0,
        "feedback_improvement_12w": 0.0,
        "feedback_appreciation_12w": 2.0,
        "training_jp_12w": 8.0,
        "training_jp_12m": 24.0,
    }
    names = [n for n in FEATURE_NAMES if n.startswith(("realisation", "feedback", "training"))]
    assert [sentence(name, row) for name in names] == [None] * len(names)
    missing = dict.fromkeys((*FEATURE_NAMES, *DETAIL_NAMES), float("nan"))
    assert [sentence(name, missing) for name in names] == [None] * len(names)


def test_change_point_and_latency_trend_sentences():
    row = dict.fromkeys((*FEATURE_NAMES, *DETAIL_NAMES), 1.0) | {
        "active_days_drop": 4.9,
        "active_days_drop_weeks": 4.0,
        "active_days_drop_before": 5.0,
        "active_days_drop_after": 2.0,
        "latency_slope": 0.25,
        "latency_mean_2w": 3.5,
    }
    assert sentence("active_days_drop", row) == (
        "dalam 4 minggu terakhir hari aktif melapor turun dari 5 ke 2 per minggu"
    )
    assert sentence("latency_slope", row) == (
        "keterlambatan melapor makin panjang selama 12 minggu "
        "(sekitar 0,2 hari lebih lambat tiap minggu)"
    )
    assert sentence("latency_mean_2w", row) == (
        "aktivitas 2 minggu terakhir rata-rata baru dilaporkan 3,5 hari kemudian"
    )
    assert sentence("active_days_drop", row | {"active_days_drop_after": 4.8}) is None


def test_every_row_gets_a_reason_when_asked():
    # a row whose pushes are all too small to be a reason on their own
    names = ("active_days_ratio", "tenure_years")
    x = np.array([[0.97, 4.0]])
    contrib = np.array([[0.002, 0.001]])
    assert reasons(x, contrib, feature_names=names) == [[]]
    (found,) = reasons(x, contrib, feature_names=names, at_least_one=True)
    assert len(found) == 1
    assert "rasio hari aktif" in found[0]
    assert "0,97" in found[0]
    assert "masa kerja" not in found[0]  # context is never a reason
