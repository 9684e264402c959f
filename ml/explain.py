"""Why a score is high for *this* employee, in plain Indonesian.

Local attribution (median replacement)
--------------------------------------
For an employee with features ``x`` and a fitted model ``f`` (calibrated probability), the
contribution of feature ``j`` is::

    c_j(x) = f(x) - f(x with x_j replaced by the reference value r_j)

where ``r`` is the training median of each feature (``MentoringModel.reference_``). A
positive ``c_j`` means this feature's value pushes the employee's score up compared with a
typical value. It works for any model with ``predict_proba`` (the gradient boosting model
and the baselines alike), is exact for one feature at a time, and is cheap: ``n x n_features``
extra predictions in one batch. It does not split interaction effects between features
(contributions need not add up to the score); that is acceptable for naming the top reasons.

Reasons
-------
Only behavioural features (see :data:`ml.features.FEATURES`) become reasons; tenure and
jabatan are context and never given as a reason. Features are ranked by contribution, those
above ``min_contribution`` are rendered as sentences with the employee's own numbers, and
related features (e.g. the active-days level, ratio and slope) give one sentence per topic.
A sentence is only said when its number is worth mentioning (:data:`MENTION`, e.g. at least
10 % rejected, a drop of half a day per week); otherwise the next feature is used. A share of
activities is a percentage only over :data:`MIN_ACTIVITIES_FOR_PERCENT` activities or more,
else counts ("1 dari 3 aktivitas ditolak ..."), and is not said when the count is unknown. The
wording describes the logging pattern that led to offering support -- never a "risk" label,
never a judgement of the person.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Final, Protocol, TypedDict, Unpack

import numpy as np
import numpy.typing as npt

from ml.features import DETAIL_NAMES, FEATURE_NAMES, FEATURES

FloatArray = npt.NDArray[np.float64]

DEFAULT_TOP: Final = 3
MIN_CONTRIBUTION: Final = 0.005
_BATCH_ROWS: Final = 2000
_PERCENT: Final = 100.0


class Probabilistic(Protocol):
    """Anything with scikit-learn's ``predict_proba``."""

    def predict_proba(self, X: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Class probabilities."""
        ...


def contributions(
    model: Probabilistic,
    X: npt.ArrayLike,
    reference: npt.ArrayLike | None = None,
) -> FloatArray:
    """Median-replacement contribution of each feature to each row's score.

    Parameters
    ----------
    model : estimator with ``predict_proba``
        Fitted model.
    X : array-like of shape (n_samples, n_features)
        Features of the employees to explain.
    reference : array-like of shape (n_features,), optional
        Replacement values; default ``model.reference_`` when present, else the column
        medians of ``X``.

    Returns
    -------
    numpy.ndarray of shape (n_samples, n_features)
        ``score(x) - score(x with feature j at its reference value)``.
    """
    X_arr = np.asarray(X, dtype=np.float64)
    if X_arr.ndim != 2:  # noqa: PLR2004
        raise ValueError("X must be two-dimensional")
    n, k = X_arr.shape
    if reference is None:
        reference = getattr(model, "reference_", None)
    if reference is None:
        with np.errstate(all="ignore"):
            reference = np.nan_to_num(np.nanmedian(X_arr, axis=0))
    ref = np.asarray(reference, dtype=np.float64)
    if ref.shape != (k,):
        raise ValueError(f"reference must have shape ({k},), got {ref.shape}")
    out = np.empty((n, k))
    for begin in range(0, n, _BATCH_ROWS):  # bounded memory: batch x k rows per call
        block = X_arr[begin : begin + _BATCH_ROWS]
        m = block.shape[0]
        swapped = np.repeat(block[None, :, :], k, axis=0)  # (k, m, k)
        swapped[np.arange(k), :, np.arange(k)] = ref[:, None]
        # one call for the rows and their variants: each call costs a pass over every tree
        stacked = np.concatenate([block, swapped.reshape(k * m, k)])
        scores = np.asarray(model.predict_proba(stacked))[:, 1]
        base, moved = scores[:m], scores[m:].reshape(k, m)
        out[begin : begin + m] = base[None, :].T - moved.T
    return out


def _num(value: float, digits: int = 0) -> str:
    """Indonesian number formatting: decimal comma, no trailing ``,0``."""
    if not np.isfinite(value):
        raise ValueError("no number to quote")
    text = f"{value:.{digits}f}".replace(".", ",")
    return text.removesuffix(",0") if digits == 1 else text


def _pct(share: float) -> str:
    return f"{_num(share * _PERCENT)} %"


# A share of activities is only quoted as a percentage over at least this many activities: with
# fewer, one activity moves the share by more than 10 points (the smallest rejected share worth
# mentioning, see MENTION), and "100 %" over a single activity would claim far more than it
# knows. Fewer activities are said as counts ("1 dari 3 aktivitas ...").
MIN_ACTIVITIES_FOR_PERCENT: Final = 10


def _share_of(share: float, activities: float) -> str:
    """A share of ``activities``: a percentage over enough of them, else "k dari n"."""
    if not np.isfinite(activities):  # how many is unknown: the share cannot be put fairly
        raise ValueError("no count behind the share")
    if activities >= MIN_ACTIVITIES_FOR_PERCENT:
        return _pct(share)
    return f"{_num(round(share * activities))} dari {_num(activities)}"


Row = Mapping[str, float]

# A sentence is only said when the number really points to a need for support; otherwise the
# next-strongest feature is used (a contribution can also come from an interaction that a
# sentence about one number would misdescribe).
MENTION: Final = {
    "drop_days": 0.5,  # active days per week fewer than before
    "slope": -0.05,  # active days per week lost per week
    "volatility": 0.4,
    "ratio": 0.85,  # counts / quantities below this share of before
    "opd": -0.1,  # ratio below the OPD's median by this much
    "rejected": 0.1,
    "verified": 0.8,
    "latency_days": 1.0,
    "late_share": 0.15,
    "gap_workdays": 5.0,
    "since_days": 5.0,
    "change_point": 1.0,  # weighted drop (days per week x sqrt(weeks))
    "latency_trend": 0.15,  # days later per week
    "latency_recent": 1.5,
    "pace": 0.85,  # realisation below this share of the calendar's pace
    "pace_recent": 0.7,
    "threads": 1.0,
    "jp_12m": 20.0,
}


def _activity(row: Row) -> str | None:
    before, recent = row["active_days_prev8w"], row["active_days_4w"]
    if before - recent < MENTION["drop_days"]:
        return None
    return (
        f"hari aktif melapor turun dari {_num(before, 1)} ke {_num(recent, 1)} per minggu "
        "selama 4 minggu terakhir"
    )


def _baseline(row: Row) -> str | None:
    usual, recent = row["active_days_baseline"], row["active_days_4w"]
    if usual - recent < MENTION["drop_days"]:
        return None
    return (
        f"hari aktif melapor {_num(recent, 1)} per minggu dalam 4 minggu terakhir, "
        f"biasanya {_num(usual, 1)}"
    )


def _last_week(row: Row) -> str | None:
    last, before = row["active_days_last_week"], row["active_days_prev8w"]
    if before - last < MENTION["drop_days"]:
        return None
    usual = f"(sebelumnya {_num(before, 1)} hari aktif per minggu)"
    if last == 0:
        return f"tidak ada laporan pada minggu terakhir {usual}"
    return f"hanya {_num(last, 1)} hari aktif melapor pada minggu terakhir {usual}"


def _slope(row: Row) -> str | None:
    slope = row["active_days_slope"]
    if slope > MENTION["slope"]:
        return None
    return (
        "hari aktif melapor terus menurun selama 12 minggu "
        f"(sekitar {_num(abs(slope), 1)} hari lebih sedikit tiap minggu)"
    )


def _volatility(row: Row) -> str | None:
    if row["active_days_volatility"] < MENTION["volatility"]:
        return None
    return "pola hari melapor naik-turun tajam dari minggu ke minggu"


def _vs_opd(row: Row) -> str | None:
    ratio = row["active_days_ratio"]
    if row["active_days_ratio_vs_opd"] > MENTION["opd"] or ratio >= 1.0:
        return None
    return (
        "penurunan hari aktif melapor lebih besar daripada rekan satu OPD "
        f"({_pct(1.0 - ratio)} lebih sedikit dari 8 minggu sebelumnya)"
    )


Sentence = Callable[[Row], str | None]

# Sentences said of two windows or references alike: the feature, then what it is measured
# against (or over) in the wording.


def _activities_against(feature: str, reference: str) -> Sentence:
    def activities(row: Row) -> str | None:
        ratio = row[feature]
        if ratio > MENTION["ratio"]:
            return None
        return (
            f"jumlah aktivitas yang dilaporkan {_num(row['activities_4w'], 1)} per minggu, "
            f"{_pct(ratio)} dari {reference}"
        )

    return activities


def _quantity_against(feature: str, reference: str) -> Sentence:
    def quantity(row: Row) -> str | None:
        ratio = row[feature]
        if ratio > MENTION["ratio"]:
            return None
        return f"hasil kerja per aktivitas turun {_pct(1.0 - ratio)} dibanding {reference}"

    return quantity


def _rejected_over(feature: str, settled: str, window: str) -> Sentence:
    def rejected(row: Row) -> str | None:
        share = row[feature]
        if share < MENTION["rejected"]:
            return None
        return f"{_share_of(share, row[settled])} aktivitas ditolak dalam {window}"

    return rejected


def _latency_over(feature: str, window: str) -> Sentence:
    def latency(row: Row) -> str | None:
        days = row[feature]
        if days < MENTION["latency_days"]:
            return None
        return f"biasanya terlambat melapor {_num(days)} hari{window}"

    return latency


_activities = _activities_against("activities_ratio", "8 minggu sebelumnya")
_activities_baseline = _activities_against("activities_vs_baseline", "kebiasaannya")
_quantity = _quantity_against("quantity_ratio", "8 minggu sebelumnya")
_quantity_baseline = _quantity_against("quantity_vs_baseline", "kebiasaan sebelumnya")
_rejected = _rejected_over("rejected_share_4w", "settled_activities_4w", "4 minggu terakhir")
_rejected_before = _rejected_over(
    "rejected_share_prev8w", "settled_activities_prev8w", "8 minggu sebelumnya"
)
_latency = _latency_over("latency_median_4w", "")
_latency_before = _latency_over("latency_median_prev8w", " (8 minggu sebelumnya)")


def _verified(row: Row) -> str | None:
    share = row["verified_share_12w"]
    if share >= MENTION["verified"]:
        return None
    settled = row["settled_activities_4w"] + row["settled_activities_prev8w"]  # the 12 weeks
    return f"baru {_share_of(share, settled)} aktivitas yang terverifikasi dalam 12 minggu"


def _late_share(row: Row) -> str | None:
    share = row["late_share_4w"]
    if share < MENTION["late_share"]:
        return None
    late = _share_of(share, row["logged_activities_4w"])
    return f"{late} aktivitas baru dilaporkan 2 hari atau lebih setelah dikerjakan"


def _gap(row: Row) -> str | None:
    days = row["longest_gap_workdays"]
    if days < MENTION["gap_workdays"]:
        return None
    return f"tidak ada laporan selama {_num(days)} hari kerja berturut-turut"


def _since(row: Row) -> str | None:
    days = row["days_since_last_log"]
    if days < MENTION["since_days"]:
        return None
    return f"laporan terakhir {_num(days)} hari yang lalu"


def _change_point(row: Row) -> str | None:
    before, after = row["active_days_drop_before"], row["active_days_drop_after"]
    if row["active_days_drop"] < MENTION["change_point"] or before - after < MENTION["drop_days"]:
        return None
    weeks = row["active_days_drop_weeks"]
    return (
        f"dalam {_num(weeks)} minggu terakhir hari aktif melapor turun dari "
        f"{_num(before, 1)} ke {_num(after, 1)} per minggu"
    )


def _quantity_any(row: Row) -> str | None:
    return _quantity(row) or _quantity_baseline(row)


def _latency_trend(row: Row) -> str | None:
    slope = row["latency_slope"]
    if slope < MENTION["latency_trend"]:
        return None
    return (
        "keterlambatan melapor makin panjang selama 12 minggu "
        f"(sekitar {_num(slope, 1)} hari lebih lambat tiap minggu)"
    )


def _latency_recent(row: Row) -> str | None:
    days = row["latency_mean_2w"]
    if days < MENTION["latency_recent"]:
        return None
    return f"aktivitas 2 minggu terakhir rata-rata baru dilaporkan {_num(days, 1)} hari kemudian"


def _pace(row: Row) -> str | None:
    if row["realisation_pace"] > MENTION["pace"]:
        return None
    return (
        f"realisasi target SKP baru {_pct(row['realised_share'])}, sementara "
        f"{_pct(row['expected_share'])} tahun sudah berjalan"
    )


def _pace_recent(row: Row) -> str | None:
    pace = row["realisation_pace_4w"]
    if pace > MENTION["pace_recent"]:
        return None
    return (
        f"laju realisasi target SKP dalam 4 minggu terakhir {_pct(pace)} dari laju yang diharapkan"
    )


def _threads(row: Row) -> str | None:
    count = row["feedback_threads_4w"]
    if count < MENTION["threads"]:
        return None
    return (
        f"{_num(count)} percakapan umpan balik (perbaikan, pertanyaan atau dialog kinerja) "
        "dibuka dalam 4 minggu terakhir"
    )


def _improvement(row: Row) -> str | None:
    count = row["feedback_improvement_12w"]
    if count < MENTION["threads"]:
        return None
    return f"{_num(count)} percakapan umpan balik perbaikan dalam 12 minggu terakhir"


def _appreciation(row: Row) -> str | None:
    if row["feedback_appreciation_12w"] != 0:  # also NaN: unknown is not "none"
        return None
    return "belum ada percakapan apresiasi dalam 12 minggu terakhir"


def _training_recent(row: Row) -> str | None:
    if row["training_jp_12w"] != 0:  # also NaN: unknown is not "none"
        return None
    return "belum ada pelatihan yang diselesaikan dalam 12 minggu terakhir"


def _training_norm(row: Row) -> str | None:
    jp = row["training_jp_12m"]
    if jp >= MENTION["jp_12m"]:
        return None
    text = f"{_num(jp)} JP pelatihan dalam 12 bulan terakhir (norma 20 JP per tahun)"
    year, expected = row.get("training_jp_year", np.nan), row.get("training_jp_expected", np.nan)
    if np.isfinite(year) and np.isfinite(expected) and year < expected:
        text += f"; tahun ini {_num(year)} JP, sekitar {_num(expected)} JP yang diharapkan"
    return text


# feature -> (topic, sentence); one sentence per topic, the strongest feature's
SENTENCES: Final[dict[str, tuple[str, Sentence]]] = {
    "active_days_4w": ("activity", _activity),
    "active_days_prev8w": ("activity", _activity),
    "active_days_ratio": ("activity", _activity),
    "active_days_ratio_vs_opd": ("activity", _vs_opd),
    "active_days_vs_baseline": ("activity", _baseline),
    "active_days_last_week": ("last_week", _last_week),
    "active_days_slope": ("trend", _slope),
    "active_days_volatility": ("volatility", _volatility),
    "activities_ratio": ("count", _activities),
    "quantity_ratio": ("quantity", _quantity),
    "quantity_vs_baseline": ("quantity", _quantity_baseline),
    "rejected_share_4w": ("rejected", _rejected),
    "rejected_share_prev8w": ("rejected", _rejected_before),
    "rejected_share_change": ("rejected", _rejected),
    "verified_share_12w": ("verified", _verified),
    "latency_median_4w": ("latency", _latency),
    "latency_median_prev8w": ("latency", _latency_before),
    "latency_change": ("latency", _latency),
    "late_share_4w": ("latency", _late_share),
    "longest_gap_workdays": ("gap", _gap),
    "days_since_last_log": ("gap", _since),
    "active_days_drop": ("activity", _change_point),
    "active_days_drop_weeks": ("activity", _change_point),
    "active_days_z_4w": ("activity", _baseline),
    "active_days_2w_ratio": ("last_week", _last_week),
    "activities_vs_baseline": ("count", _activities_baseline),
    "quantity_drop": ("quantity", _quantity_any),
    "latency_slope": ("latency", _latency_trend),
    "latency_mean_2w": ("latency", _latency_recent),
    "late_share_change": ("latency", _late_share),
    "latency_z_4w": ("latency", _latency),
    "quantity_z_4w": ("quantity", _quantity_any),
    "silent_block_share_4w": ("gap", _gap),
    "silent_scattered_share_4w": ("activity", _activity),
    "realisation_pace": ("pace", _pace),
    "realisation_pace_4w": ("pace", _pace_recent),
    "feedback_threads_4w": ("feedback", _threads),
    "feedback_improvement_12w": ("feedback", _improvement),
    "feedback_appreciation_12w": ("feedback", _appreciation),
    "training_jp_12w": ("training", _training_recent),
    "training_jp_12m": ("training", _training_norm),
}
_BEHAVIOURAL: Final = frozenset(f.name for f in FEATURES if f.behavioural)


def sentence(feature: str, row: Row) -> str | None:
    """The Indonesian sentence for one feature of one employee.

    Parameters
    ----------
    feature : str
        A name of :data:`ml.features.FEATURE_NAMES`.
    row : mapping of str to float
        The employee's feature values by name.

    Returns
    -------
    str or None
        The sentence; None for context features, when a number it needs is missing, or when
        the value is not worth mentioning (see :data:`MENTION`).
    """
    if feature not in _BEHAVIOURAL or feature not in SENTENCES:
        return None
    _, render = SENTENCES[feature]
    try:
        return render(row)
    except (KeyError, ValueError, OverflowError):
        return None


def reasons(
    X: npt.ArrayLike,
    contrib: npt.ArrayLike,
    *,
    feature_names: Sequence[str] = FEATURE_NAMES,
    details: npt.ArrayLike | None = None,
    detail_names: Sequence[str] = DETAIL_NAMES,
    top: int = DEFAULT_TOP,
    min_contribution: float = MIN_CONTRIBUTION,
    at_least_one: bool = False,
) -> list[list[str]]:
    """Top reasons per row, strongest first.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Feature values (used for the numbers in the sentences).
    contrib : array-like of shape (n_samples, n_features)
        Contributions from :func:`contributions`.
    feature_names : sequence of str
        Column names of ``X``.
    details : array-like of shape (n_samples, n_details), optional
        Extra numbers quoted by some sentences (``FeatureFrame.details``); sentences that
        need a missing number are skipped.
    detail_names : sequence of str
        Column names of ``details``.
    top : int, default 3
        Maximum number of reasons per row.
    min_contribution : float, default 0.005
        Contributions below this (in probability) are not reasons.

    at_least_one : bool, default False
        Give every row a reason: a row without one that passes ``min_contribution`` and is
        worth mentioning gets its strongest behavioural input in a plain sentence (every
        alert is explained).

    Returns
    -------
    list of list of str
        Sentences per row (empty only without ``at_least_one``).
    """
    values = np.asarray(X, dtype=np.float64)
    weights = np.asarray(contrib, dtype=np.float64)
    names = list(feature_names)
    extra = None if details is None else np.asarray(details, dtype=np.float64)
    order = np.argsort(-weights, axis=1, kind="stable")
    out: list[list[str]] = []
    for i in range(values.shape[0]):  # sentences are per employee by nature
        row = {name: float(values[i, j]) for j, name in enumerate(names)}
        if extra is not None:
            row.update({name: float(extra[i, j]) for j, name in enumerate(detail_names)})
        topics: set[str] = set()
        found: list[str] = []
        for j in order[i]:
            if weights[i, j] < min_contribution or len(found) >= top:
                break
            name = names[j]
            text = sentence(name, row) if np.isfinite(values[i, j]) else None
            topic = SENTENCES[name][0] if name in SENTENCES else name
            if text is None or topic in topics or text in found:
                continue
            topics.add(topic)
            found.append(text)
        if not found and at_least_one:  # every alert explained: its strongest pattern, plainly
            found = _fallback(names, values[i], weights[i], order[i])
        out.append(found)
    return out


_LABELS: Final = {f.name: f.label for f in FEATURES}


def _fallback(
    names: Sequence[str], values: FloatArray, weights: FloatArray, order: npt.NDArray[np.intp]
) -> list[str]:
    """One plain sentence for a row no rendered reason fits: its strongest behavioural input.

    Used when no contribution passes ``min_contribution`` or no sentence's number is worth
    mentioning (many small pushes together can still make a score high).
    """
    for j in order:
        name = names[j]
        if name in _BEHAVIOURAL and np.isfinite(values[j]) and weights[j] > 0:
            label, number = _LABELS[name], _num(float(values[j]), 2)
            return [f"Pola yang paling memengaruhi tawaran ini: {label} ({number})."]
    return ["Beberapa perubahan kecil pada pola pelaporan bersama-sama mendorong tawaran ini."]


class ReasonOptions(TypedDict, total=False):
    """Keyword options of :func:`reasons`, which :func:`explain` passes on (defaults there)."""

    feature_names: Sequence[str]
    details: npt.ArrayLike | None
    detail_names: Sequence[str]
    top: int
    min_contribution: float
    at_least_one: bool


def explain(
    model: Probabilistic, X: npt.ArrayLike, **options: Unpack[ReasonOptions]
) -> list[list[str]]:
    """Contributions and reasons in one call.

    Parameters
    ----------
    model : estimator with ``predict_proba``
        Fitted model (its ``reference_`` is used when present).
    X : array-like of shape (n_samples, n_features)
        Features of the employees to explain.
    **options
        Keyword options of :func:`reasons` (``feature_names``, ``details``, ``top``,
        ``min_contribution``, ``at_least_one``, ...), with its defaults.

    Returns
    -------
    list of list of str
        Indonesian sentences per employee, strongest first.
    """
    return reasons(X, contributions(model, X), **options)
