"""Leakage-free features of the trailing weeks of activity logging, as of given dates.

For every reference date ``as_of`` and every employee hired on or before it (an unknown hire
date counts as hired), :func:`build_features` looks only at activities with
``activity_date < as_of`` **and** ``logged_at < as_of`` (midnight WIB starting ``as_of``);
statuses (verified / rejected) only count for activities logged at least ``status_lag_days``
before ``as_of``, because the status in the data is the current one and a supervisor's
decision made after ``as_of`` must not leak into the past. Employees hired after ``as_of``
get no row.

The weekly series cover the trailing ``weeks`` (default 12) calendar weeks ending the day
before ``as_of``; week 0 is the oldest. "Active days per week" counts distinct days with at
least one activity, scaled to a 5-working-day week (``active * 5 / working days``, public
holidays from :mod:`ml.calendar`), so a holiday week is not a dip. Weeks that start before
the hire date or before the first activity in the data are missing (NaN), never zero, and
are ignored by means, slopes and ratios. The ``baseline_weeks`` (default 26) before the
window describe the employee's usual habits (``*_vs_baseline``, and the ``*_z_4w`` scores:
the last 4 weeks' change over the usual week-to-week spread).

The model inputs (:data:`FEATURES`) are changes, shares, latencies, gaps and context
(tenure in completed years capped at 10, jabatan group); gender, golongan and OPD are never
inputs (only used to report subgroup metrics). Ratios are "safe": see :func:`safe_ratio`.
Shapes of a decline the boosting model can combine: the strongest single drop of the weekly
active days and how long ago it happened (:func:`ml.series.change_point`), the last two
weeks against the ten before, the trend of logging latency, and whether the last 4 weeks'
silent working days come in blocks of a week or more (leave looks like that) or scattered
between logging days. The optional files add realisation pace, feedback threads and
training JP (:mod:`ml.signals`, NaN when a file is absent).

Everything is computed with sorting, ``searchsorted`` and ``bincount`` over whole arrays: one
Python iteration per reference date, none per employee or day. The same function serves the
CSV path (:func:`ml.schema.read_dir`) and the database path (frames with the same columns).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd

from ml import signals
from ml.calendar import working_day_mask
from ml.schema import STATUSES, Dataset, golongan_group, validate_frames
from ml.series import (
    change_point,
    group_median,
    longest_run,
    nanmean,
    nanstd,
    run_lengths,
    safe_ratio,
    slope,
    volatility,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
AsOf: TypeAlias = date | datetime | np.datetime64 | pd.Timestamp | str

DEFAULT_WEEKS: Final = 12
DEFAULT_BASELINE_WEEKS: Final = 26
LOOKBACK_DAYS: Final = 7 * (DEFAULT_WEEKS + DEFAULT_BASELINE_WEEKS)
"""Days of activity before ``as_of`` the default features look at (a database reads these)."""
_DAY_NS: Final = 86_400 * 10**9
_DAYS_SINCE_CAP: Final = 182
_RECENT_WEEKS: Final = 4
_LAST_WEEKS: Final = 2
_BLOCK_DAYS: Final = 5  # working days: a silent week is a block (leave), shorter is scattered
_Z_FLOOR: Final = 0.5  # active days per week: a floor on the usual spread before dividing
_QPA_FLOOR: Final = 0.1  # quantity per activity: the floor is a tenth of the usual level
_LATE_DAYS: Final = 2
_BASELINE, _PREVIOUS, _RECENT = 0, 1, 2
_NO_DAY: Final = np.iinfo(np.int64).min


@dataclass(frozen=True, slots=True)
class Feature:
    """One model feature and how to talk about it.

    Attributes
    ----------
    name : str
        Column name.
    label : str
        Indonesian human label, used in explanations and the model card.
    behavioural : bool
        True when it describes logging behaviour (it may then be given as a reason for
        offering support); context features (tenure, jabatan) are never given as reasons.
    """

    name: str
    label: str
    behavioural: bool = True


JABATAN_GROUPS: Final = {
    "JPT": ("JPT_UTAMA", "JPT_MADYA", "JPT_PRATAMA"),
    "ADMINISTRATOR": ("ADMINISTRATOR",),
    "PENGAWAS": ("PENGAWAS",),
    "PELAKSANA": ("PELAKSANA",),
    "FUNGSIONAL_AHLI": (
        "FUNGSIONAL_AHLI_UTAMA",
        "FUNGSIONAL_AHLI_MADYA",
        "FUNGSIONAL_AHLI_MUDA",
        "FUNGSIONAL_AHLI_PERTAMA",
    ),
    "FUNGSIONAL_KETERAMPILAN": (
        "FUNGSIONAL_PENYELIA",
        "FUNGSIONAL_MAHIR",
        "FUNGSIONAL_TERAMPIL",
        "FUNGSIONAL_PEMULA",
    ),
}

FEATURES: Final[tuple[Feature, ...]] = (
    Feature("active_days_4w", "hari aktif melapor per minggu, 4 minggu terakhir"),
    Feature("active_days_prev8w", "hari aktif melapor per minggu, 8 minggu sebelumnya"),
    Feature("active_days_ratio", "rasio hari aktif 4 minggu terakhir terhadap 8 minggu sebelumnya"),
    Feature("active_days_last_week", "hari aktif melapor pada minggu terakhir"),
    Feature("active_days_slope", "tren hari aktif melapor per minggu selama 12 minggu"),
    Feature("active_days_volatility", "ketidakteraturan hari aktif dari minggu ke minggu"),
    Feature("active_days_ratio_vs_opd", "rasio hari aktif dibandingkan rekan satu OPD"),
    Feature("active_days_vs_baseline", "rasio hari aktif 4 minggu terakhir terhadap kebiasaan"),
    Feature("activities_ratio", "rasio jumlah aktivitas 4 minggu terakhir terhadap 8 sebelumnya"),
    Feature("quantity_ratio", "rasio hasil kerja per aktivitas 4 minggu terakhir"),
    Feature("quantity_vs_baseline", "rasio hasil kerja per aktivitas terhadap kebiasaan"),
    Feature("rejected_share_4w", "bagian aktivitas yang ditolak, 4 minggu terakhir"),
    Feature("rejected_share_prev8w", "bagian aktivitas yang ditolak, 8 minggu sebelumnya"),
    Feature("rejected_share_change", "perubahan bagian aktivitas ditolak terhadap kebiasaan"),
    Feature("verified_share_12w", "bagian aktivitas yang diverifikasi, 12 minggu"),
    Feature("latency_median_4w", "median keterlambatan melapor (hari), 4 minggu terakhir"),
    Feature("latency_median_prev8w", "median keterlambatan melapor (hari), 8 minggu sebelumnya"),
    Feature("latency_change", "perubahan median keterlambatan melapor terhadap kebiasaan"),
    Feature("late_share_4w", "bagian aktivitas yang dilaporkan 2 hari atau lebih kemudian"),
    Feature("longest_gap_workdays", "jeda terpanjang tanpa laporan (hari kerja), 12 minggu"),
    Feature("days_since_last_log", "hari sejak laporan terakhir"),
    Feature("active_days_drop", "penurunan hari aktif terbesar (titik perubahan), 12 minggu"),
    Feature("active_days_drop_weeks", "minggu sejak titik perubahan hari aktif"),
    Feature("active_days_z_4w", "hari aktif 4 minggu terakhir dibanding kebiasaan (skor z)"),
    Feature("active_days_2w_ratio", "rasio hari aktif 2 minggu terakhir terhadap 10 sebelumnya"),
    Feature(
        "activities_vs_baseline", "rasio jumlah aktivitas 4 minggu terakhir terhadap kebiasaan"
    ),
    Feature("quantity_drop", "penurunan hasil kerja per aktivitas terbesar, 12 minggu"),
    Feature("latency_slope", "tren keterlambatan melapor per minggu selama 12 minggu"),
    Feature("latency_mean_2w", "rata-rata keterlambatan melapor (hari), 2 minggu terakhir"),
    Feature("late_share_change", "perubahan bagian laporan terlambat terhadap kebiasaan"),
    Feature("latency_z_4w", "keterlambatan melapor 4 minggu terakhir dibanding kebiasaan (z)"),
    Feature("quantity_z_4w", "hasil kerja per aktivitas 4 minggu terakhir dibanding kebiasaan (z)"),
    Feature("silent_block_share_4w", "bagian hari kerja tanpa laporan dalam blok seminggu lebih"),
    Feature("silent_scattered_share_4w", "bagian hari kerja tanpa laporan yang tersebar"),
    Feature(
        "baseline_worst_4w_ratio",
        "4 minggu terendah dalam 26 minggu sebelumnya dibanding kebiasaan",
        behavioural=False,
    ),
    Feature("realisation_pace", "capaian realisasi target SKP dibanding laju yang diharapkan"),
    Feature("realisation_pace_4w", "laju realisasi target SKP 4 minggu terakhir"),
    Feature("feedback_threads_4w", "percakapan umpan balik (bukan apresiasi), 4 minggu terakhir"),
    Feature("feedback_improvement_12w", "percakapan umpan balik perbaikan, 12 minggu"),
    Feature("feedback_appreciation_12w", "percakapan apresiasi, 12 minggu"),
    Feature(
        "feedback_threads_baseline",
        "percakapan umpan balik (bukan apresiasi) per 4 minggu, 26 minggu sebelum itu",
        behavioural=False,
    ),
    Feature("training_jp_12w", "JP pelatihan yang diselesaikan, 12 minggu"),
    Feature("training_jp_12m", "JP pelatihan yang diselesaikan, 12 bulan (norma 20 JP/tahun)"),
    Feature("tenure_years", "masa kerja (tahun penuh, paling banyak 10)", behavioural=False),
    *(
        Feature(
            f"jabatan_{group}",
            f"jenis jabatan {group.replace('_', ' ').lower()}",
            behavioural=False,
        )
        for group in JABATAN_GROUPS
    ),
)
"""Model inputs. Levels in an employee's own units (quantity per activity, usual active days,
exact tenure) are deliberately *not* inputs: they identify individuals, and a model that can
recognise who struggled during its training period generalises worse to later periods (seen
on the development worlds). They are kept as :data:`DETAILS` for the explanations."""

DETAILS: Final[tuple[Feature, ...]] = (
    Feature("activities_4w", "jumlah aktivitas per minggu, 4 minggu terakhir"),
    Feature("quantity_per_activity_4w", "hasil kerja per aktivitas, 4 minggu terakhir"),
    Feature("logged_activities_4w", "jumlah aktivitas yang dilaporkan, 4 minggu terakhir"),
    Feature("settled_activities_4w", "jumlah aktivitas yang statusnya dihitung, 4 minggu terakhir"),
    Feature(
        "settled_activities_prev8w",
        "jumlah aktivitas yang statusnya dihitung, 8 minggu sebelumnya",
    ),
    Feature("active_days_baseline", "hari aktif melapor per minggu, 26 minggu sebelum itu"),
    Feature("active_days_drop_before", "hari aktif per minggu sebelum titik perubahan"),
    Feature("active_days_drop_after", "hari aktif per minggu sesudah titik perubahan"),
    Feature("realised_share", "realisasi target SKP tahunan pada snapshot terakhir"),
    Feature("expected_share", "bagian tahun yang sudah berjalan pada snapshot terakhir"),
    Feature("training_jp_year", "JP pelatihan yang diselesaikan tahun ini"),
    Feature("training_jp_expected", "JP yang diharapkan sampai tanggal ini (20 JP setahun)"),
)
"""Numbers quoted in the explanations but not given to the model. The activity counts are
the denominators of the shares (``late_share_4w``; ``rejected_share_*`` and
``verified_share_12w`` over settled activities, see :func:`build_features`): a share over a
handful of activities is quoted as counts, not as a percentage."""

FEATURE_NAMES: Final[tuple[str, ...]] = tuple(f.name for f in FEATURES)
FEATURE_INDEX: Final[dict[str, int]] = {name: i for i, name in enumerate(FEATURE_NAMES)}
DETAIL_NAMES: Final[tuple[str, ...]] = tuple(f.name for f in DETAILS)
GROUP_COLUMNS: Final = ("gender", "golongan_group", "jabatan_group", "opd")
TENURE_CAP_YEARS: Final = 10


@dataclass(frozen=True, slots=True)
class FeatureFrame:
    """Features of employees as of dates.

    Attributes
    ----------
    keys : pandas.DataFrame
        One row per (employee, as_of): ``employee_id``, ``as_of`` and the subgroup columns
        :data:`GROUP_COLUMNS` (for fairness metrics only; never model inputs).
    X : numpy.ndarray of shape (n_rows, n_features)
        Features in the order of :data:`FEATURE_NAMES`; NaN when undefined.
    details : numpy.ndarray of shape (n_rows, n_details)
        :data:`DETAIL_NAMES` columns, quoted by the explanations, not model inputs.
    weekly_active_days : numpy.ndarray of shape (n_rows, weeks)
        Active days per (5-working-day) week, oldest first; NaN before the hire date or
        the start of the data.
    feature_names : tuple of str
        Column names of ``X``.
    """

    keys: pd.DataFrame
    X: FloatArray
    details: FloatArray
    weekly_active_days: FloatArray
    feature_names: tuple[str, ...] = FEATURE_NAMES

    def __len__(self) -> int:
        return int(self.X.shape[0])

    def to_frame(self) -> pd.DataFrame:
        """Keys and features as one data frame.

        Returns
        -------
        pandas.DataFrame
            ``keys`` columns, one column per feature, then the details.
        """
        features = pd.DataFrame(self.X, columns=list(self.feature_names), index=self.keys.index)
        details = pd.DataFrame(self.details, columns=list(DETAIL_NAMES), index=self.keys.index)
        return pd.concat([self.keys, features, details], axis=1)

    def values(self, row: int) -> dict[str, float]:
        """Features and details of one row by name (for the explanations).

        Parameters
        ----------
        row : int
            Position.

        Returns
        -------
        dict
            Name to value.
        """
        names = (*self.feature_names, *DETAIL_NAMES)
        numbers = np.concatenate([self.X[row], self.details[row]])
        return {name: float(v) for name, v in zip(names, numbers, strict=True)}

    def take(self, rows: npt.NDArray[np.bool_] | IntArray) -> FeatureFrame:
        """Subset of rows (a boolean mask or positions).

        Parameters
        ----------
        rows : numpy.ndarray
            Boolean mask of length ``len(self)`` or integer positions.

        Returns
        -------
        FeatureFrame
            The selected rows, keys re-indexed from 0.
        """
        return FeatureFrame(
            keys=self.keys.iloc[rows].reset_index(drop=True),
            X=self.X[rows],
            details=self.details[rows],
            weekly_active_days=self.weekly_active_days[rows],
            feature_names=self.feature_names,
        )


def _as_dataset(data: Dataset | Mapping[str, pd.DataFrame] | Sequence[pd.DataFrame]) -> Dataset:
    if isinstance(data, Dataset):
        return data
    if isinstance(data, Mapping):
        return validate_frames(
            data["employees"],
            data["activities"],
            data.get("labels"),
            progress=data.get("progress"),
            feedback=data.get("feedback"),
            training=data.get("training"),
        )
    return validate_frames(*data)


def as_of_days(as_of: AsOf | Iterable[AsOf]) -> IntArray:
    """Reference dates as sorted unique day numbers (days since 1970-01-01).

    Parameters
    ----------
    as_of : date-like or iterable of date-like
        ``datetime.date``, ``numpy.datetime64``, ``pandas.Timestamp`` or ``YYYY-MM-DD``.

    Returns
    -------
    numpy.ndarray of int64
        Sorted unique days.
    """
    values = [as_of] if isinstance(as_of, AsOf) else list(as_of)
    if not values:
        raise ValueError("as_of is empty")
    stamps = pd.to_datetime(pd.Series(values), format="mixed")
    days = stamps.to_numpy().astype("datetime64[D]").astype(np.int64)
    return np.asarray(np.unique(days), dtype=np.int64)


def _days(values: pd.Series) -> IntArray:
    """Day numbers of a datetime column; NaT becomes the minimum int64."""
    days = np.asarray(values.to_numpy(), dtype="datetime64[ns]").astype("datetime64[D]")
    return days.astype(np.int64)


@dataclass(frozen=True, slots=True)
class _Prepared:
    """Activities as sorted arrays, employees as aligned arrays (computed once)."""

    ids: IntArray
    hire_day: IntArray  # INT64_MIN when unknown
    jabatan: npt.NDArray[np.object_]
    opd_index: IntArray
    data_start: int  # first activity day in the data: nothing before it is observed
    keys: pd.DataFrame
    pos: IntArray
    act_day: IntArray
    log_ns: IntArray
    status: npt.NDArray[np.int8]
    quantity: FloatArray
    latency: FloatArray
    sources: signals.Prepared


def _prepare(data: Dataset) -> _Prepared:
    employees = data.employees.sort_values("employee_id", ignore_index=True)
    ids = employees["employee_id"].to_numpy(dtype=np.int64)
    acts = data.activities
    act_ids = acts["employee_id"].to_numpy(dtype=np.int64)
    pos = np.searchsorted(ids, act_ids)
    known = (pos < ids.size) & (ids[np.minimum(pos, max(ids.size - 1, 0))] == act_ids)
    act_day = _days(acts["activity_date"])[known]
    order = np.argsort(act_day, kind="stable")
    log_ns = acts["logged_at"].to_numpy().astype("datetime64[ns]").astype(np.int64)[known][order]
    act_day = act_day[order]
    status = pd.Categorical(acts["status"], categories=STATUSES).codes[known][order]
    latency = np.maximum(np.floor_divide(log_ns, _DAY_NS) - act_day, 0).astype(np.float64)
    group_of = {kind: group for group, kinds in JABATAN_GROUPS.items() for kind in kinds}
    keys = pd.DataFrame(
        {
            "employee_id": ids,
            "gender": employees["gender"].astype(str).replace("", "NA").to_numpy(dtype=object),
            "golongan_group": golongan_group(employees["golongan"]).to_numpy(dtype=object),
            "jabatan_group": employees["jabatan_kind"]
            .map(group_of)
            .fillna("LAINNYA")
            .to_numpy(dtype=object),
            "opd": employees["opd"].astype(str).to_numpy(dtype=object),
        }
    )
    return _Prepared(
        ids=ids,
        hire_day=_days(employees["hired_on"]),
        jabatan=np.asarray(keys["jabatan_group"].to_numpy(), dtype=object),
        opd_index=np.unique(keys["opd"].to_numpy(dtype=str), return_inverse=True)[1].astype(
            np.int64
        ),
        data_start=int(act_day.min()) if act_day.size else 0,
        keys=keys,
        pos=pos[known][order],
        act_day=act_day,
        log_ns=log_ns,
        status=np.asarray(status, dtype=np.int8),
        quantity=acts["quantity"].to_numpy(dtype=np.float64)[known][order],
        latency=latency,
        sources=signals.prepare(data, ids),
    )


def _features_at(  # noqa: PLR0915 - one flat list of feature definitions
    prep: _Prepared, day: int, weeks: int, baseline_weeks: int, status_lag_days: int
) -> tuple[npt.NDArray[np.bool_], FloatArray, FloatArray, FloatArray]:
    """Features, details and weekly series of all employees at one day, with eligibility."""
    n = prep.ids.size
    span = 7 * (weeks + baseline_weeks)
    first = day - span
    window_from = 7 * baseline_weeks
    recent_from = span - 7 * _RECENT_WEEKS
    eligible = prep.hire_day <= day  # NaT is INT64_MIN: unknown hire date counts as hired

    # activities of the look-back, logged before as_of
    lo, hi = np.searchsorted(prep.act_day, [first, day], side="left")
    logged = prep.log_ns[lo:hi] < day * _DAY_NS
    pos = prep.pos[lo:hi][logged]
    rel = prep.act_day[lo:hi][logged] - first
    status = prep.status[lo:hi][logged]
    quantity = prep.quantity[lo:hi][logged]
    latency = prep.latency[lo:hi][logged]
    last_log = prep.log_ns[lo:hi][logged] // _DAY_NS
    settled = prep.log_ns[lo:hi][logged] < (day - status_lag_days) * _DAY_NS
    part = np.where(rel >= recent_from, _RECENT, np.where(rel >= window_from, _PREVIOUS, _BASELINE))

    # day grid: observed from the hire date and the start of the data on
    per_day = np.bincount(pos * span + rel, minlength=n * span).reshape(n, span)
    calendar = (np.datetime64(0, "D") + np.arange(first, day)).astype("datetime64[D]")
    working = working_day_mask(calendar)
    work_per_week = working.reshape(-1, 7).sum(axis=1).astype(np.float64)
    scale = np.where(work_per_week > 0, 5.0 / np.maximum(work_per_week, 1.0), np.nan)
    unknown_hire = prep.hire_day == _NO_DAY
    observed_from = np.maximum(np.where(unknown_hire, first, prep.hire_day), prep.data_start)
    observed_day = np.arange(first, day)[None, :] >= observed_from[:, None]
    observed_week = observed_day[:, ::7]  # observed from the week's first day on

    def weekly(values: FloatArray) -> FloatArray:
        series = values.reshape(n, -1, 7).sum(axis=2) * scale[None, :]
        return np.where(observed_week, series, np.nan)

    active_all = weekly((per_day > 0).astype(np.float64))
    counts_all = weekly(per_day.astype(np.float64))
    active = active_all[:, baseline_weeks:]
    counts = counts_all[:, baseline_weeks:]
    split = weeks - _RECENT_WEEKS
    act_recent, act_before = nanmean(active[:, split:]), nanmean(active[:, :split])
    baseline_seen = (~np.isnan(active_all[:, :baseline_weeks])).sum(axis=1)
    enough_baseline = baseline_seen >= _RECENT_WEEKS
    act_baseline = np.where(enough_baseline, nanmean(active_all[:, :baseline_weeks]), np.nan)
    act_spread = np.where(enough_baseline, nanstd(active_all[:, :baseline_weeks]), np.nan)
    cnt_recent, cnt_before = nanmean(counts[:, split:]), nanmean(counts[:, :split])
    cnt_baseline = np.where(enough_baseline, nanmean(counts_all[:, :baseline_weeks]), np.nan)

    # weekly sums per employee of the window (unscaled): activities, quantity, latency
    week_of = (rel - window_from) // 7
    in_window = part != _BASELINE
    cell = pos[in_window] * weeks + week_of[in_window]

    def window_weekly(values: FloatArray) -> FloatArray:
        sums = np.bincount(cell, weights=values[in_window], minlength=n * weeks)
        return sums.astype(np.float64).reshape(n, weeks)

    with np.errstate(invalid="ignore", divide="ignore"):
        week_n = window_weekly(np.ones(pos.size))
        qpa_weekly = np.where(week_n > 0, window_weekly(quantity) / week_n, np.nan)
        latency_weekly = np.where(week_n > 0, window_weekly(latency) / week_n, np.nan)
        last_n = week_n[:, -_LAST_WEEKS:].sum(axis=1)
        latency_last = np.where(
            last_n > 0, window_weekly(latency)[:, -_LAST_WEEKS:].sum(axis=1) / last_n, np.nan
        )

    # the same weekly means over the baseline weeks, for z-scores against usual variation
    base_rows = part == _BASELINE
    base_cell = pos[base_rows] * baseline_weeks + rel[base_rows] // 7

    def baseline_weekly(values: FloatArray) -> FloatArray:
        sums = np.bincount(base_cell, weights=values[base_rows], minlength=n * baseline_weeks)
        return sums.astype(np.float64).reshape(n, baseline_weeks)

    with np.errstate(invalid="ignore", divide="ignore"):
        base_n = baseline_weekly(np.ones(pos.size))
        base_latency_spread = nanstd(
            np.where(base_n > 0, baseline_weekly(latency) / base_n, np.nan)
        )
        base_qpa_spread = nanstd(np.where(base_n > 0, baseline_weekly(quantity) / base_n, np.nan))
    rolling = np.lib.stride_tricks.sliding_window_view(
        active_all[:, :baseline_weeks], _RECENT_WEEKS, axis=1
    )
    rolling_mean = np.where(np.isnan(nanmean(rolling, axis=2)), np.inf, nanmean(rolling, axis=2))
    worst = rolling_mean.min(axis=1, initial=np.inf)
    worst_4w = np.where(enough_baseline & np.isfinite(worst), worst, np.nan)

    def per_part(values: FloatArray | IntArray, which: int) -> FloatArray:
        mask = part == which
        return np.bincount(pos[mask], weights=values[mask], minlength=n).astype(np.float64)

    ones = np.ones(pos.size)
    parts = (_BASELINE, _PREVIOUS, _RECENT)
    logged_in = {k: per_part(ones, k) for k in parts}
    with np.errstate(invalid="ignore", divide="ignore"):
        qpa = {
            k: np.where(logged_in[k] > 0, per_part(quantity, k) / logged_in[k], np.nan)
            for k in parts
        }

    def share(mask: npt.NDArray[np.bool_], of: npt.NDArray[np.bool_]) -> FloatArray:
        num = np.bincount(pos[mask & of], minlength=n).astype(np.float64)
        den = np.bincount(pos[of], minlength=n).astype(np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(den > 0, num / np.maximum(den, 1.0), np.nan)

    def median(which: int) -> FloatArray:
        mask = part == which
        return group_median(pos[mask], latency[mask], n)

    latency_median = {k: median(k) for k in parts}
    with np.errstate(invalid="ignore", divide="ignore"):
        latency_mean = {
            k: np.where(logged_in[k] > 0, per_part(latency, k) / logged_in[k], np.nan)
            for k in (_BASELINE, _RECENT)
        }
        latency_z = (latency_mean[_RECENT] - latency_mean[_BASELINE]) / (
            base_latency_spread + _Z_FLOOR
        )
        quantity_z = (qpa[_RECENT] - qpa[_BASELINE]) / (
            base_qpa_spread + _QPA_FLOOR * qpa[_BASELINE]
        )
    rejected = status == STATUSES.index("REJECTED")
    verified = status == STATUSES.index("VERIFIED")
    late = latency >= _LATE_DAYS
    rejected_recent = share(rejected, settled & (part == _RECENT))
    settled_in = {  # the denominators of the status shares, quoted by the explanations
        k: np.bincount(pos[settled & (part == k)], minlength=n).astype(np.float64)
        for k in (_PREVIOUS, _RECENT)
    }
    late_recent = share(late, part == _RECENT)

    # longest run of working days without a log within the window, while observed
    inactive = (per_day == 0) & observed_day & working[None, :]
    in_window_day = np.arange(span) >= window_from
    longest = longest_run(inactive[:, in_window_day & working]).astype(np.float64)
    # the last 4 weeks' silent working days: in blocks of a week or more (leave looks like
    # this) or scattered between logging days (a struggle that thins logging looks like this)
    recent_day = np.arange(span) >= recent_from
    silent_run = run_lengths(inactive[:, in_window_day & working])[
        :, -int(working[recent_day].sum()) :
    ]
    seen_recent = (observed_day & working[None, :])[:, recent_day].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        block_share = np.where(
            seen_recent > 0, (silent_run >= _BLOCK_DAYS).sum(axis=1) / seen_recent, np.nan
        )
        scattered_share = np.where(
            seen_recent > 0,
            ((silent_run > 0) & (silent_run < _BLOCK_DAYS)).sum(axis=1) / seen_recent,
            np.nan,
        )

    # days since the last logging (capped), counted from when observation began if never
    last = np.full(n, _NO_DAY)
    np.maximum.at(last, pos, last_log)
    since = np.where(last > _NO_DAY, day - last, day - np.maximum(observed_from, first))
    since = np.minimum(since, _DAYS_SINCE_CAP).astype(np.float64)

    ratio = safe_ratio(act_recent, act_before)
    years = np.floor((day - prep.hire_day) / 365.25)
    tenure = np.where(unknown_hire, np.nan, np.minimum(years, TENURE_CAP_YEARS))
    usable = eligible & ~np.isnan(ratio)
    opd_median = group_median(prep.opd_index[usable], ratio[usable], int(prep.opd_index.max()) + 1)
    drop = change_point(active)
    quantity_drop = change_point(qpa_weekly).drop
    with np.errstate(invalid="ignore", divide="ignore"):
        z_active = (act_recent - act_baseline) / (act_spread + _Z_FLOOR)
    last_split = weeks - _LAST_WEEKS
    columns = {
        "active_days_4w": act_recent,
        "active_days_prev8w": act_before,
        "active_days_ratio": ratio,
        "active_days_last_week": active[:, -1],
        "active_days_slope": slope(active),
        "active_days_volatility": volatility(active),
        "active_days_ratio_vs_opd": ratio - opd_median[prep.opd_index],
        "active_days_baseline": act_baseline,
        "active_days_vs_baseline": safe_ratio(act_recent, act_baseline),
        "activities_4w": cnt_recent,
        "activities_ratio": safe_ratio(cnt_recent, cnt_before),
        "quantity_per_activity_4w": qpa[_RECENT],
        "logged_activities_4w": logged_in[_RECENT],
        "settled_activities_4w": settled_in[_RECENT],
        "settled_activities_prev8w": settled_in[_PREVIOUS],
        "quantity_ratio": safe_ratio(qpa[_RECENT], qpa[_PREVIOUS]),
        "quantity_vs_baseline": safe_ratio(qpa[_RECENT], qpa[_BASELINE]),
        "rejected_share_4w": rejected_recent,
        "rejected_share_prev8w": share(rejected, settled & (part == _PREVIOUS)),
        "rejected_share_change": rejected_recent - share(rejected, settled & (part == _BASELINE)),
        "latency_change": latency_median[_RECENT] - latency_median[_BASELINE],
        "verified_share_12w": share(verified, settled & in_window),
        "latency_median_4w": latency_median[_RECENT],
        "latency_median_prev8w": latency_median[_PREVIOUS],
        "late_share_4w": late_recent,
        "longest_gap_workdays": longest,
        "days_since_last_log": since,
        "active_days_drop": drop.drop,
        "active_days_drop_weeks": drop.weeks_since,
        "active_days_drop_before": drop.before,
        "active_days_drop_after": drop.after,
        "active_days_z_4w": z_active,
        "active_days_2w_ratio": safe_ratio(
            nanmean(active[:, last_split:]), nanmean(active[:, :last_split])
        ),
        "activities_vs_baseline": safe_ratio(cnt_recent, cnt_baseline),
        "quantity_drop": quantity_drop,
        "latency_slope": slope(latency_weekly),
        "latency_mean_2w": latency_last,
        "late_share_change": late_recent - share(late, part == _BASELINE),
        "latency_z_4w": latency_z,
        "quantity_z_4w": quantity_z,
        "silent_block_share_4w": block_share,
        "silent_scattered_share_4w": scattered_share,
        "baseline_worst_4w_ratio": safe_ratio(worst_4w, act_baseline),
        "tenure_years": tenure,
        **{
            f"jabatan_{group}": (prep.jabatan == group).astype(np.float64)
            for group in JABATAN_GROUPS
        },
        **signals.columns_at(prep.sources, day, n, weeks=weeks, baseline_weeks=baseline_weeks),
    }
    matrix = np.column_stack([columns[name] for name in FEATURE_NAMES])
    details = np.column_stack([columns[name] for name in DETAIL_NAMES])
    return eligible, matrix, details, active


def build_features(
    data: Dataset | Mapping[str, pd.DataFrame] | Sequence[pd.DataFrame],
    as_of: AsOf | Iterable[AsOf],
    *,
    weeks: int = 12,
    baseline_weeks: int = 26,
    status_lag_days: int = 7,
) -> FeatureFrame:
    """Features of every employee hired by each reference date.

    Parameters
    ----------
    data : Dataset or mapping or sequence of pandas.DataFrame
        A validated :class:`~ml.schema.Dataset`, or the frames (``{"employees": ...,
        "activities": ...}`` or ``(employees, activities)``) with the interface's columns,
        which are validated first.
    as_of : date-like or iterable of date-like
        Reference date(s); only what was logged before midnight starting ``as_of`` counts.
    weeks : int, default 12
        Length of the trailing window; must be more than 4 (the recent part).
    baseline_weeks : int, default 26
        Weeks before the window that describe the employee's usual habits (features
        ``*_baseline``); NaN where fewer than 4 of them are observed.
    status_lag_days : int, default 7
        Statuses count only for activities logged this many days before ``as_of``.

    Returns
    -------
    FeatureFrame
        Rows ordered by ``as_of`` then ``employee_id``.
    """
    if weeks <= _RECENT_WEEKS:
        raise ValueError(f"weeks must be more than {_RECENT_WEEKS}, got {weeks}")
    if baseline_weeks < _RECENT_WEEKS:
        raise ValueError(f"baseline_weeks must be at least {_RECENT_WEEKS}, got {baseline_weeks}")
    if status_lag_days < 0:
        raise ValueError(f"status_lag_days must be >= 0, got {status_lag_days}")
    prep = _prepare(_as_dataset(data))
    keys, matrices, extras, series = [], [], [], []
    for day in as_of_days(as_of):  # one iteration per reference date
        eligible, matrix, details, active = _features_at(
            prep, int(day), weeks, baseline_weeks, status_lag_days
        )
        extras.append(details[eligible])
        frame = prep.keys.loc[eligible].copy()
        frame.insert(1, "as_of", np.datetime64(int(day), "D").astype("datetime64[ns]"))
        keys.append(frame)
        matrices.append(matrix[eligible])
        series.append(active[eligible])
    return FeatureFrame(
        keys=pd.concat(keys, ignore_index=True),
        X=np.vstack(matrices),
        details=np.vstack(extras),
        weekly_active_days=np.vstack(series),
    )


def features_for_labels(
    data: Dataset, *, weeks: int = 12, baseline_weeks: int = 26, status_lag_days: int = 7
) -> tuple[FeatureFrame, npt.NDArray[np.int8]]:
    """Features at the labels' reference dates, aligned with the labels.

    Labels of employees without a feature row (hired after ``as_of`` or unknown) are dropped.

    Parameters
    ----------
    data : Dataset
        Validated frames with labels.
    weeks, baseline_weeks, status_lag_days : int
        As in :func:`build_features`.

    Returns
    -------
    features : FeatureFrame
        One row per usable label, ordered by ``as_of`` then ``employee_id``.
    y : numpy.ndarray of int8
        ``needs_mentoring`` of each row.
    """
    if data.labels.empty:
        raise ValueError("the dataset has no labels")
    features = build_features(
        data,
        data.labels["as_of"],
        weeks=weeks,
        baseline_weeks=baseline_weeks,
        status_lag_days=status_lag_days,
    )
    labels = data.labels.loc[:, ["employee_id", "as_of", "needs_mentoring"]]
    merged = features.keys.loc[:, ["employee_id", "as_of"]].merge(
        labels, on=["employee_id", "as_of"], how="left", validate="one_to_one"
    )
    has = merged["needs_mentoring"].notna().to_numpy()
    return features.take(has), merged["needs_mentoring"].to_numpy()[has].astype(np.int8)
