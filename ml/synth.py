"""Synthetic world of employees, activity logs and latent struggling episodes.

Real supervision history is small at first, so the model is trained, tested and benchmarked on
a world whose truth is known. :func:`generate` draws it with a numpy ``Generator`` seeded by
``seed`` (same seed and arguments, same frames), vectorised over an employees x days grid.

Generative process
------------------
1. **Organisation.** ``n_opds`` OPDs (default ``clip(n / 130, 3, 40)``) with sizes from a
   Dirichlet(2) draw. Each employee gets a jabatan kind (mostly Pelaksana and Fungsional, some
   Pengawas and Administrator, few JPT), a kind PNS or PPPK (45 % of Pelaksana and Fungsional
   are PPPK), a golongan consistent with both (PNS ``II/a`` ... ``IV/d``, PPPK ``V`` ... ``XI``),
   a gender (55 % ``PEREMPUAN``), and a hire date: PNS tenure ~ Gamma(2, 6) years clipped to
   [0.3, 35], PPPK 0.3-3 years, and 3 % hired during the simulated window.
2. **Habits.** Per employee: base probability of logging on a working day ~ Beta(8, 2)
   clipped to [0.3, 0.99]; activities per active day 1 + Poisson(lambda), lambda ~ Gamma(2, 0.7);
   quantity scale ~ LogNormal(log 4, 0.7); usual logging delay (mean days) ~ Exponential(0.6);
   base rejection rate ~ Beta(1, 30); week-to-week volatility sigma ~ U(0.05, 0.35).
3. **Calendar.** Only working days (Monday-Friday without the Indonesian public holidays of
   :mod:`ml.calendar`) carry activities.
4. **Struggling episodes (the latent truth).** Per employee a proneness ~ Gamma(2, 0.5) (mean
   1); episodes arrive as a Poisson process with ``episode_rate`` x proneness per
   employee-year over ``[start - 26 weeks, end + horizon]`` (never before the hire date).
   Each has a duration ~ U(4, 20) weeks, a severity ~ U(0.5, 1), an onset speed -- *abrupt*
   (40 %, full severity within 1-5 days) or *gradual* (linear ramp over 3-8 weeks) -- and a
   way it shows (people struggle differently): one main channel at full weight and the other
   three at U(0.1, 0.4) of it, among *withdrawal* (logging probability x ``1 - 0.7 s``,
   activities per day x ``1 - 0.5 s``), *output* (quantities x ``1 - 0.55 s``), *delay*
   (logging delay ``delay (1 + s) + 5 s`` days) and *quality* (rejection rate ``+ 0.4 s``),
   where ``s`` is the channel's intensity (max over overlapping episodes). After the episode
   the intensity fades over 2 weeks.
5. **Noise that is not struggle.** Annual leave: 0-2 blocks of 3-12 consecutive days per
   employee with almost no logging (x 0.03). Longer absences with no logging at all:
   maternity leave (3 months, 0.04 per woman-year) and sick leave / cuti besar (15-40 days,
   0.04 per employee-year). A reorganised unit: ``reorganised_opds`` OPDs whose logging
   probability drops to 35 % and delay rises by 2 days for 14 days from a random date.
   Individual volatility: a weekly factor ``exp(N(0, sigma))`` on the logging probability.
   Public holidays (no logging at all).
6. **Activities.** A working day is active with the resulting probability; an active day
   carries ``1 + Poisson(lambda_eff)`` activities with quantity ``max(1, round(scale_eff x
   LogNormal(0, 0.3)))`` and duration ~ N(90, 40) minutes clipped to [15, 480] (5 % empty).
   The logging delay in days is ``floor(Exponential(delay_eff))``, plus a time of day between
   08:00 and 21:00 (WIB). The supervisor decides after ``Exponential(2)`` days: rejected with
   the rejection rate, otherwise verified; 5 % are never decided. Decisions after the export
   (end of ``end``) leave the activity ``SUBMITTED``; activities logged after it are absent.
7. **Labels.** For every ``label_every_weeks`` from ``start + warmup_weeks`` to ``end``, each
   employee hired on or before ``as_of`` gets ``needs_mentoring = 1`` when an episode is
   active at ``as_of`` (onset <= as_of < onset + duration) or starts within
   ``horizon_weeks`` after it.
8. **Optional sources** (:mod:`ml.synth_signals`, with their own generator seeded by
   ``(seed, 1)``, so steps 1-7 give the same frames with or without them):

   * *Realisation of the SKP target* (``progress.csv``). The annual target is the employee's
     usual verified output per working day (from the habits of step 2) times the working
     days of the year x 0.95 (leave) x LogNormal(0, 0.15) (targets are negotiated, not
     exact). Realisation is the verified quantity of the year's activities, counted on the
     day the supervisor verified them (verified in the next year: not counted); a window
     starting mid-year carries the earlier months at U(0.85, 1.1) of the calendar's pace.
     Snapshots every Sunday: ``realised_share`` = realisation / target, ``expected_share``
     = elapsed share of the calendar year. (One quantity target: what the portal's
     ``realised_share`` means too -- the mean over the SKP's KUANTITAS indicators, whose
     targets accumulate from activities; quality, time and cost targets do not count.)
     Employees hired during the year and 4 % without an approved SKP have no rows that
     year. Struggling lowers the pace through the activities themselves (fewer days,
     smaller quantities, more rejections, later verification).
   * *Feedback threads* (``feedback.csv``). Per employee a supervisor engagement ~
     Gamma(2, 0.5), zero for 20 % (supervisors who never open threads). Threads are opened
     on working days, not during leave, at yearly rates x engagement: APPRECIATION 1.0,
     IMPROVEMENT 0.5, QUESTION 0.8, DIALOG_KINERJA 0.4. A supervisor notices 60 % of
     episodes, 1-4 weeks after onset; from then on, with the episode's intensity ``s``,
     the rates change by a factor ``1 + k s`` with k = -0.6 (appreciation), 4
     (improvement), 1.5 (question), 3 (dialog kinerja). Opened between 08:00 and 17:00.
   * *Training JP* (``training.csv``). Per employee an appetite ~ Gamma(2, 12) JP per year
     (mean 24; the norm is 20 JP). Courses of 2-40 JP (mostly 4-16) are completed as a
     Poisson process from a year before ``start`` (after the hire date) at appetite / mean
     course JP per year, times ``1 - 0.6 s`` while struggling (``s`` the overall intensity).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from ml import synth_signals
from ml.calendar import working_day_mask
from ml.schema import PNS_GOLONGAN, Dataset, read_optional_file, write_dir
from ml.synth_variants import BASE, Variant

OPD_CODES: Final = (
    "DINKES", "DISDIKBUD", "BKPSDM", "BAPENDA", "DISDUKCAPIL", "INSPEKTORAT", "DPUPR",
    "SATPOLPP", "RSUD", "BAPPEDA", "DINSOS", "DISNAKER", "DISHUB", "DLH", "DPMPTSP",
    "DISKOMINFO", "DISPORAPAR", "DKP", "DPKP", "DISPERINDAG", "DKUKM", "DP3AKB", "DISARPUS",
    "BPBD", "BPKAD", "KESBANGPOL", "SETDA", "SETWAN", "KEC_SERPONG", "KEC_SERPONG_UTARA",
    "KEC_PONDOK_AREN", "KEC_PAMULANG", "KEC_CIPUTAT", "KEC_CIPUTAT_TIMUR", "KEC_SETU",
    "DAMKAR", "DISPERTA", "BAGIAN_HUKUM", "BAGIAN_UMUM", "BAGIAN_ORGANISASI",
)  # fmt: skip

# jabatan kind -> (share, lowest and highest PNS golongan index, PPPK allowed)
_JABATAN: Final = {
    "PELAKSANA": (0.36, 4, 9, True),
    "FUNGSIONAL_PEMULA": (0.02, 4, 5, True),
    "FUNGSIONAL_TERAMPIL": (0.07, 4, 7, True),
    "FUNGSIONAL_MAHIR": (0.05, 6, 9, True),
    "FUNGSIONAL_PENYELIA": (0.03, 9, 11, True),
    "FUNGSIONAL_AHLI_PERTAMA": (0.12, 8, 9, True),
    "FUNGSIONAL_AHLI_MUDA": (0.10, 10, 11, True),
    "FUNGSIONAL_AHLI_MADYA": (0.03, 12, 14, True),
    "FUNGSIONAL_AHLI_UTAMA": (0.002, 14, 15, False),
    "PENGAWAS": (0.13, 9, 11, False),
    "ADMINISTRATOR": (0.06, 11, 13, False),
    "JPT_PRATAMA": (0.018, 13, 15, False),
}
_PPPK_GOLONGAN: Final = ("V", "VII", "IX", "X", "XI")
_PPPK_SHARE: Final = 0.45
_HIRED_IN_WINDOW: Final = 0.03
_BEFORE_START_DAYS: Final = 26 * 7
_RECOVERY_DAYS: Final = 14
_NEVER_DECIDED: Final = 0.05
_EMPTY_DURATION: Final = 0.05
_MATERNITY_RATE: Final = 0.04  # per woman-year, 3 months (cuti melahirkan)
CHANNELS: Final = ("WITHDRAWAL", "OUTPUT", "DELAY", "QUALITY")
_NOTICED_SHARE: Final = 0.6


@dataclass(frozen=True, slots=True)
class SynthWorld:
    """A synthetic data directory plus its latent truth.

    Attributes
    ----------
    dataset : Dataset
        The three frames, as a data directory would hold them.
    episodes : pandas.DataFrame
        One row per struggling episode: ``employee_id``, ``onset``, ``end`` (exclusive,
        before the 2-week fade), ``speed`` (``ABRUPT``/``GRADUAL``), ``severity`` and the
        main ``channel`` (:data:`CHANNELS`).
    reorganisations : pandas.DataFrame
        ``opd``, ``start``, ``end`` of the reorganised units' logging dips.
    params : dict
        The arguments of :func:`generate`.
    """

    dataset: Dataset
    episodes: pd.DataFrame
    reorganisations: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)


def _check_args(n_employees: int, start: date, end: date, horizon_weeks: int) -> None:
    if not 1 <= n_employees <= 100_000:  # noqa: PLR2004
        raise ValueError(f"n_employees must be in 1..100000, got {n_employees}")
    if end <= start:
        raise ValueError(f"end ({end}) must be after start ({start})")
    if horizon_weeks < 1:
        raise ValueError(f"horizon_weeks must be >= 1, got {horizon_weeks}")


def _employees(
    rng: np.random.Generator, n: int, n_opds: int, start: date, end: date
) -> tuple[pd.DataFrame, npt.NDArray[np.int64]]:
    """Employee attributes; also returns hire days relative to ``start``."""
    shares = rng.dirichlet(np.full(n_opds, 2.0))
    opd = np.asarray(OPD_CODES[:n_opds])[rng.choice(n_opds, size=n, p=shares)]
    kinds = list(_JABATAN)
    probs = np.array([_JABATAN[k][0] for k in kinds])
    kind_idx = rng.choice(len(kinds), size=n, p=probs / probs.sum())
    lo = np.array([_JABATAN[k][1] for k in kinds])[kind_idx]
    hi = np.array([_JABATAN[k][2] for k in kinds])[kind_idx]
    pppk_ok = np.array([_JABATAN[k][3] for k in kinds])[kind_idx]
    pppk = pppk_ok & (rng.random(n) < _PPPK_SHARE)
    gol_pns = np.asarray(PNS_GOLONGAN)[lo + np.floor(rng.random(n) * (hi - lo + 1)).astype(int)]
    gol_pppk = np.asarray(_PPPK_GOLONGAN)[
        np.clip((lo - 4) // 2 + rng.integers(0, 2, n), 0, len(_PPPK_GOLONGAN) - 1)
    ]
    golongan = np.where(pppk, gol_pppk, gol_pns)
    gender = np.where(rng.random(n) < 0.55, "PEREMPUAN", "LAKI_LAKI")  # noqa: PLR2004
    tenure_years = np.where(
        pppk, rng.uniform(0.3, 3.0, n), np.clip(rng.gamma(2.0, 6.0, n), 0.3, 35.0)
    )
    hire_day = -np.rint(tenure_years * 365.25).astype(np.int64)
    in_window = rng.random(n) < _HIRED_IN_WINDOW
    span = (end - start).days
    hire_day = np.where(in_window, rng.integers(0, max(span, 1), n), hire_day)
    base = np.datetime64(start, "D")
    frame = pd.DataFrame(
        {
            "employee_id": np.arange(1, n + 1, dtype=np.int64),
            "hired_on": (base + hire_day).astype("datetime64[ns]"),
            "gender": gender.astype(object),
            "golongan": golongan.astype(object),
            "jabatan_kind": np.asarray(kinds, dtype=object)[kind_idx],
            "opd": opd.astype(object),
        }
    )
    return frame, hire_day


def _episodes(
    rng: np.random.Generator,
    hire_day: npt.NDArray[np.int64],
    rate: float,
    first_day: int,
    last_day: int,
    *,
    variant: Variant = BASE,
    extra: np.random.Generator | None = None,
) -> dict[str, npt.NDArray[Any]]:
    """Struggling episodes on the day axis relative to ``start``."""
    n = hire_day.size
    proneness = rng.gamma(2.0, 0.5, n)
    years = (last_day - first_day) / 365.25
    counts = rng.poisson(rate * proneness * years)
    emp = np.repeat(np.arange(n), counts)
    onset = rng.integers(first_day, last_day, emp.size)
    keep = onset >= hire_day[emp]
    emp, onset = emp[keep], onset[keep]
    m = emp.size
    low, high = variant.duration_days
    duration = rng.integers(low, high + 1, m)
    abrupt = rng.random(m) < variant.abrupt_share
    ramp_low, ramp_high = variant.gradual_ramp_days
    ramp = np.where(abrupt, rng.integers(1, 6, m), rng.integers(ramp_low, ramp_high + 1, m))
    severity = rng.uniform(0.5, 1.0, m)
    if variant.channel_probs is None:
        channel = rng.integers(0, len(CHANNELS), m)
    else:
        probs = np.asarray(variant.channel_probs, dtype=np.float64)
        channel = rng.choice(len(CHANNELS), size=m, p=probs / probs.sum())
    weights = rng.uniform(0.1, 0.4, (m, len(CHANNELS)))
    weights[np.arange(m), channel] = 1.0
    if extra is not None and variant.quiet_share:  # the need is real, the logs barely show it
        weights[extra.random(m) < variant.quiet_share] *= variant.quiet_factor
    return {
        "emp": emp,
        "onset": onset,
        "duration": duration,
        "abrupt": abrupt,
        "ramp": ramp,
        "severity": severity,
        "channel": channel,
        "weights": weights,
    }


def _intensity(ep: dict[str, npt.NDArray[Any]], n: int, n_days: int) -> npt.NDArray[np.float32]:
    """Struggle intensity per channel, employee and day (max over overlapping episodes).

    The channels are the columns of ``ep["weights"]`` (one column of ones gives the overall
    intensity).
    """
    channels = int(ep["weights"].shape[1])
    intensity = np.zeros((channels, n, n_days), dtype=np.float32)
    if ep["emp"].size == 0:
        return intensity
    length = int((ep["duration"] + _RECOVERY_DAYS).max())
    t = np.arange(length)[None, :]
    duration = ep["duration"][:, None]
    ramp = ep["ramp"][:, None]
    level = np.minimum(1.0, (t + 1) / ramp)
    fade = np.clip(1.0 - (t - duration + 1) / _RECOVERY_DAYS, 0.0, 1.0)
    value = ep["severity"][:, None] * np.where(
        t < duration, level, fade * np.minimum(1.0, duration / ramp)
    )
    day = ep["onset"][:, None] + t
    ok = (day >= 0) & (day < n_days) & (value > 0)
    rows = np.broadcast_to(ep["emp"][:, None], day.shape)[ok]
    for c in range(channels):  # four channels at most
        weighted = (value * ep["weights"][:, c : c + 1])[ok].astype(np.float32)
        np.maximum.at(intensity[c], (rows, day[ok]), weighted)
    return intensity


def _blocks(
    rng: np.random.Generator,
    counts: npt.NDArray[np.int64],
    n_days: int,
    *,
    low: int,
    high: int,
) -> npt.NDArray[np.bool_]:
    """Boolean employees x days mask of ``counts[i]`` blocks of ``low..high`` days each."""
    n = counts.size
    mask = np.zeros((n, n_days), dtype=bool)
    emp = np.repeat(np.arange(n), counts)
    first = rng.integers(0, n_days, emp.size)
    length = rng.integers(low, high + 1, emp.size)
    t = np.arange(high)[None, :]
    day = first[:, None] + t
    ok = (t < length[:, None]) & (day < n_days)
    mask[np.broadcast_to(emp[:, None], day.shape)[ok], day[ok]] = True
    return mask


def _noticed(rng: np.random.Generator, ep: dict[str, npt.NDArray[Any]]) -> dict[str, Any]:
    """The episodes a supervisor notices, as they look from then on (step 8)."""
    m = ep["emp"].size
    noticed = rng.random(m) < _NOTICED_SHARE
    lag = rng.integers(7, 29, m)
    keep = noticed & (lag < ep["duration"])
    return {
        "emp": ep["emp"][keep],
        "onset": ep["onset"][keep] + lag[keep],
        "duration": ep["duration"][keep] - lag[keep],
        "ramp": np.ones(int(keep.sum()), dtype=np.int64),
        "severity": ep["severity"][keep],
        "weights": np.ones((int(keep.sum()), 1)),
    }


def _labels(
    ep: dict[str, npt.NDArray[Any]],
    employees: pd.DataFrame,
    *,
    hire_day: npt.NDArray[np.int64],
    as_of_days: npt.NDArray[np.int64],
    horizon_days: int,
    start: date,
) -> pd.DataFrame:
    n = hire_day.size
    positive = np.zeros((n, as_of_days.size), dtype=bool)
    if ep["emp"].size:
        a = as_of_days[None, :]
        onset = ep["onset"][:, None]
        hit = (onset <= a + horizon_days) & (onset + ep["duration"][:, None] > a)
        rows, cols = np.nonzero(hit)
        positive[ep["emp"][rows], cols] = True
    hired = hire_day[:, None] <= as_of_days[None, :]
    emp_idx, date_idx = np.nonzero(hired)
    base = np.datetime64(start, "D")
    return pd.DataFrame(
        {
            "employee_id": employees["employee_id"].to_numpy()[emp_idx],
            "as_of": (base + as_of_days[date_idx]).astype("datetime64[ns]"),
            "needs_mentoring": positive[emp_idx, date_idx].astype(np.int8),
        }
    ).sort_values(["as_of", "employee_id"], ignore_index=True)


def _variant_calendar(
    own: np.random.Generator,
    variant: Variant,
    *,
    working: npt.NDArray[np.bool_],
    available: npt.NDArray[np.bool_],
    days: npt.NDArray[np.datetime64],
    opd: npt.NDArray[np.object_],
    n_opds: int,
) -> npt.NDArray[np.bool_]:
    """Days at work under a variant: Saturday work, days off for all, short sick days."""
    n, n_days = available.shape
    out = working[None, :] & available
    if variant.saturday_share:
        saturday = (days.astype(np.int64) + 3) % 7 == 5  # noqa: PLR2004 - 1970-01-01: Thursday
        codes = np.asarray(OPD_CODES[:n_opds])
        six_day = codes[own.random(n_opds) < variant.saturday_share]
        out |= np.isin(opd, six_day)[:, None] & saturday[None, :] & available
    if variant.collective_leave_days:
        years = n_days / 365.25
        off = np.zeros(n_days, dtype=bool)
        wanted = round(variant.collective_leave_days * years)
        while (off & working).sum() < wanted:  # working days (by the feature calendar) off
            first = int(own.integers(0, n_days))
            off[first : first + int(own.integers(1, 6))] = True
        out &= ~off[None, :]
    if variant.sick_days_rate:
        years = n_days / 365.25
        sick = _blocks(own, own.poisson(variant.sick_days_rate * years, n), n_days, low=1, high=3)
        out &= ~sick
    return out


def generate(  # noqa: PLR0915 - one documented generative process, step by step
    n_employees: int,
    *,
    seed: int,
    start: date = date(2025, 1, 1),
    end: date = date(2025, 12, 31),
    episode_rate: float = 0.3,
    horizon_weeks: int = 8,
    label_every_weeks: int = 2,
    warmup_weeks: int = 12,
    n_opds: int | None = None,
    reorganised_opds: int = 1,
    optional_sources: bool = True,
    variant: Variant | None = None,
) -> SynthWorld:
    """Generate a synthetic world (see the module docstring for the process).

    Parameters
    ----------
    n_employees : int
        Number of employees (100 to 20 000 is the intended range; 1 to 100 000 accepted).
    seed : int
        Seed of the numpy ``Generator``; the same seed and arguments give identical frames.
    start, end : datetime.date
        First and last day of activity history (the export happens at the end of ``end``).
    episode_rate : float, default 0.3
        Struggling episodes per employee-year (before the per-employee proneness).
    horizon_weeks : int, default 8
        Label horizon: an episode starting within it after ``as_of`` makes the label 1.
    label_every_weeks : int, default 2
        Spacing of the label reference dates.
    warmup_weeks : int, default 12
        First label date is ``start`` plus this (the features need 12 weeks of history).
    n_opds : int, optional
        Number of OPDs; default ``clip(n_employees / 130, 3, 40)``.
    reorganised_opds : int, default 1
        OPDs whose logging dips for two weeks (noise that is not struggle).
    optional_sources : bool, default True
        Also draw ``progress``, ``feedback`` and ``training`` (step 8); without them the
        dataset's optional frames are ``None``. Either way the other frames are the same.
    variant : Variant, optional
        Changes to the process (:mod:`ml.synth_variants`); its ``horizon_weeks``,
        ``label_every_weeks`` and ``reorganised_opds`` override the arguments when set.

    Returns
    -------
    SynthWorld
        The data directory frames and the latent truth.
    """
    variant = variant or BASE
    horizon_weeks = variant.horizon_weeks or horizon_weeks
    label_every_weeks = variant.label_every_weeks or label_every_weeks
    if variant.reorganised_opds is not None:
        reorganised_opds = variant.reorganised_opds
    _check_args(n_employees, start, end, horizon_weeks)
    params = {
        "n_employees": n_employees,
        "seed": seed,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "episode_rate": episode_rate,
        "horizon_weeks": horizon_weeks,
        "label_every_weeks": label_every_weeks,
        "warmup_weeks": warmup_weeks,
        "n_opds": n_opds,
        "reorganised_opds": reorganised_opds,
        "optional_sources": optional_sources,
        "variant": variant.as_dict(),
    }
    rng = np.random.default_rng(seed)
    # draws only a variant needs: their own stream, so the base process stays the same
    own = np.random.default_rng([seed, 2]) if variant.needs_extra_draws else None
    n = n_employees
    n_opds = n_opds or int(np.clip(round(n / 130), 3, len(OPD_CODES)))
    n_opds = min(n_opds, len(OPD_CODES))
    employees, hire_day = _employees(rng, n, n_opds, start, end)
    n_days = (end - start).days + 1
    horizon_days = 7 * horizon_weeks
    base = np.datetime64(start, "D")
    days = base + np.arange(n_days)

    # 2. habits
    base_p = np.clip(rng.beta(*variant.logging_beta, n), 0.3, 0.99)
    per_day = rng.gamma(2.0, 0.7, n)
    qty_scale = rng.lognormal(np.log(4.0), 0.7, n)
    delay = rng.exponential(0.6, n) * variant.delay_scale
    reject = rng.beta(1.0, 30.0, n)
    sigma = rng.uniform(0.05, 0.35, n)

    # 4. latent struggling episodes
    ep = _episodes(
        rng,
        hire_day,
        episode_rate * variant.episode_scale,
        -_BEFORE_START_DAYS,
        n_days + horizon_days,
        variant=variant,
        extra=own,
    )
    s_freq, s_qty, s_delay, s_rej = _intensity(ep, n, n_days)

    # 5. noise: leave, reorganised units, weekly volatility
    leave_low, leave_high = variant.leave_block_days
    leave = _blocks(
        rng, rng.choice(3, n, p=list(variant.leave_probs)), n_days, low=leave_low, high=leave_high
    )
    years = n_days / 365.25
    women = (employees["gender"] == "PEREMPUAN").to_numpy()
    maternity = _blocks(
        rng, rng.poisson(_MATERNITY_RATE * years, n) * women, n_days, low=90, high=90
    )
    long_leave = _blocks(
        rng, rng.poisson(variant.long_leave_rate * years, n), n_days, low=15, high=40
    )
    absent = maternity | long_leave
    reorg_opds = rng.choice(
        np.asarray(OPD_CODES[:n_opds]), min(reorganised_opds, n_opds), replace=False
    )
    reorg_days = variant.reorg_days
    reorg_start = rng.integers(0, max(n_days - reorg_days, 1), reorg_opds.size)
    reorg = np.zeros((n, n_days), dtype=bool)
    opd = employees["opd"].to_numpy()
    for code, first in zip(reorg_opds, reorg_start, strict=True):  # a handful of OPDs
        reorg[np.ix_(opd == code, np.arange(first, min(first + reorg_days, n_days)))] = True
    week = (np.arange(n_days) + start.weekday()) // 7
    weekly = np.exp(rng.normal(0.0, 1.0, (n, int(week[-1]) + 1)) * sigma[:, None])[:, week]

    # 3 + 6. calendar and activities
    working = working_day_mask(days)
    employed = np.arange(n_days)[None, :] >= hire_day[:, None]
    p = base_p[:, None] * (1.0 - 0.7 * s_freq) * weekly
    p = np.where(leave, p * 0.03, p)
    p = np.where(reorg, p * variant.reorg_factor, p)
    at_work = working[None, :] & employed & ~absent
    batch = np.zeros(n, dtype=bool)
    if own is not None:  # variant: other calendars, short sick days, batch loggers
        at_work = _variant_calendar(
            own,
            variant,
            working=working,
            available=employed & ~absent,
            days=days,
            opd=opd,
            n_opds=n_opds,
        )
        batch = own.random(n) < variant.batch_logging_share
    p = np.clip(p, 0.0, 0.99) * at_work
    active = rng.random((n, n_days)) < p
    emp_idx, day_idx = np.nonzero(active)
    k = 1 + rng.poisson(per_day[emp_idx] * (1.0 - 0.5 * s_freq[emp_idx, day_idx]))
    emp_idx, day_idx = np.repeat(emp_idx, k), np.repeat(day_idx, k)
    m = emp_idx.size
    in_reorg = reorg[emp_idx, day_idx]
    quantity = np.maximum(
        1.0,
        np.rint(
            qty_scale[emp_idx] * (1.0 - 0.55 * s_qty[emp_idx, day_idx]) * rng.lognormal(0.0, 0.3, m)
        ),
    )
    duration = np.rint(np.clip(rng.normal(90.0, 40.0, m), 15.0, 480.0))
    duration[rng.random(m) < _EMPTY_DURATION] = np.nan
    slow = s_delay[emp_idx, day_idx]
    delay_eff = delay[emp_idx] * (1.0 + slow) + 5.0 * slow + 2.0 * in_reorg
    latency = np.floor(rng.exponential(1.0, m) * delay_eff).astype(np.int64)
    if batch.any():  # batch loggers log the week on its Friday (or the next day after it)
        weekday = (day_idx + start.weekday()) % 7
        to_friday = np.where(weekday <= 4, 4 - weekday, 0)  # noqa: PLR2004
        latency = np.where(batch[emp_idx], np.maximum(latency, to_friday), latency)
    seconds = rng.integers(8 * 3600, 21 * 3600, m)
    logged_s = (day_idx + latency) * 86_400 + seconds
    decided_s = logged_s + rng.exponential(variant.verify_days * 86_400, m)
    export_s = n_days * 86_400
    reject_p = np.clip(reject[emp_idx] + 0.4 * s_rej[emp_idx, day_idx], 0.0, 0.95)
    rejected = rng.random(m) < reject_p
    decided = (decided_s < export_s) & (rng.random(m) >= _NEVER_DECIDED)
    status = np.where(~decided, 0, np.where(rejected, 2, 1))
    keep = logged_s < export_s
    base_s = base.astype("datetime64[s]")
    activities = pd.DataFrame(
        {
            "employee_id": employees["employee_id"].to_numpy()[emp_idx[keep]],
            "activity_date": days[day_idx[keep]].astype("datetime64[ns]"),
            "logged_at": (base_s + logged_s[keep].astype("timedelta64[s]")).astype(
                "datetime64[ns]"
            ),
            "status": pd.Categorical.from_codes(
                status[keep], categories=["SUBMITTED", "VERIFIED", "REJECTED"]
            ),
            "quantity": quantity[keep],
            "duration_minutes": duration[keep],
        }
    )

    # 7. labels from the latent state
    first_label = 7 * warmup_weeks
    as_of_days = np.arange(first_label, n_days, 7 * label_every_weeks, dtype=np.int64)
    labels = _labels(
        ep,
        employees,
        hire_day=hire_day,
        as_of_days=as_of_days,
        horizon_days=horizon_days,
        start=start,
    )

    ids = employees["employee_id"].to_numpy()
    sources: dict[str, pd.DataFrame | None] = {"progress": None, "feedback": None, "training": None}
    if optional_sources:  # 8. drawn apart, so the frames above do not depend on them
        extra = np.random.default_rng([seed, 1])
        verified = (status == 1) & keep
        expected_daily = (
            base_p
            * np.exp(sigma**2 / 2)
            * (1.0 + per_day)
            * np.maximum(1.0, qty_scale * np.exp(0.045))
            * (1.0 - reject)
            * (1.0 - _NEVER_DECIDED)
        )
        history = synth_signals.TRAINING_HISTORY_DAYS
        overall = {**ep, "onset": ep["onset"] + history, "weights": np.ones((ep["emp"].size, 1))}
        sources = {
            "progress": synth_signals.progress(
                extra,
                ids=ids,
                hire_day=hire_day,
                start=start,
                n_days=n_days,
                expected_daily=expected_daily,
                verified=synth_signals.VerifiedOutput(
                    emp=emp_idx[verified],
                    day=day_idx[verified],
                    decided_day=(decided_s[verified] // 86_400).astype(np.int64),
                    quantity=quantity[verified],
                ),
            ),
            "feedback": synth_signals.feedback(
                extra,
                ids=ids,
                start=start,
                employed=employed,
                absent=absent | leave,
                noticed=_intensity(_noticed(extra, ep), n, n_days)[0],
            ),
            "training": synth_signals.training(
                extra,
                ids=ids,
                hire_day=hire_day,
                start=start,
                struggle=_intensity(overall, n, n_days + history)[0],
            ),
        }
    episodes = pd.DataFrame(
        {
            "employee_id": ids[ep["emp"]],
            "onset": (base + ep["onset"]).astype("datetime64[ns]"),
            "end": (base + ep["onset"] + ep["duration"]).astype("datetime64[ns]"),
            "speed": np.where(ep["abrupt"], "ABRUPT", "GRADUAL").astype(object),
            "channel": np.asarray(CHANNELS, dtype=object)[ep["channel"]],
            "severity": ep["severity"],
        }
    ).sort_values(["onset", "employee_id"], ignore_index=True)
    reorganisations = pd.DataFrame(
        {
            "opd": reorg_opds.astype(object),
            "start": (base + reorg_start).astype("datetime64[ns]"),
            "end": (base + reorg_start + reorg_days).astype("datetime64[ns]"),
        }
    )
    return SynthWorld(
        dataset=Dataset(employees=employees, activities=activities, labels=labels, **sources),
        episodes=episodes,
        reorganisations=reorganisations,
        params=params,
    )


EPISODES_FILE: Final = "episodes.csv"


def write_world(world: SynthWorld, path: str | Path) -> None:
    """Write the data directory and, for lead-time evaluation, ``episodes.csv``.

    ``episodes.csv`` (``employee_id,onset,end,speed,severity``) is not part of the data
    interface; only synthetic directories have it.

    Parameters
    ----------
    world : SynthWorld
        A generated world.
    path : str or pathlib.Path
        Target directory.
    """
    write_dir(world.dataset, path)
    episodes = world.episodes.copy()
    for column in ("onset", "end"):
        episodes[column] = np.datetime_as_string(
            episodes[column].to_numpy().astype("datetime64[D]")
        )
    episodes.to_csv(Path(path) / EPISODES_FILE, index=False)


def read_episodes(path: str | Path) -> pd.DataFrame | None:
    """``episodes.csv`` of the synthetic data directory ``path``, with parsed dates.

    ``None`` when the directory has no latent truth; see :func:`ml.schema.read_optional_file`.
    """

    def read(file: Path) -> pd.DataFrame:
        episodes = pd.read_csv(file)
        for column in ("onset", "end"):
            episodes[column] = pd.to_datetime(episodes[column], format="%Y-%m-%d").astype(
                "datetime64[ns]"
            )
        return episodes

    return read_optional_file(path, EPISODES_FILE, read)
