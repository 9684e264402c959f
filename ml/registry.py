"""Versioned model artefacts: skops files, metadata and a model card.

Layout under a registry root::

    root/
      v0001/
        model.skops      the fitted MentoringModel (skops format; no pickle)
        metadata.json    version, created_at, training data range, features, metrics,
                         thresholds, capacity share, library versions
        MODEL_CARD.md    intended use, out of scope, data, metrics, subgroup gaps, limitations
      v0002/ ...

Loading never unpickles: ``skops.io.load`` is called with :data:`TRUSTED_TYPES`, an explicit
list reviewed by hand (the types skops does not trust by default that a ``MentoringModel``
contains). A file holding any other type is refused before it is loaded. The list must be
reviewed again whenever the model's structure changes (``skops.io.get_untrusted_types``
shows what a file needs).

Listing versions and reading their metadata need neither scikit-learn, skops nor pandas:
those are imported inside the functions that save, load or describe a model, so a web
process can list the registry without paying for them at import time.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from ml.model import MentoringModel

MODEL_FILE: Final = "model.skops"
METADATA_FILE: Final = "metadata.json"
CARD_FILE: Final = "MODEL_CARD.md"

# Reviewed: our own estimators (the model and the blend of its two boosting members; both
# hold only scikit-learn estimators, numbers and tuples of ints) and the scikit-learn
# internals they hold (tree predictors of the boosting models, the calibration wrappers).
# Everything else a file needs is refused. Reviewed again for issue 21 (TrendBlend added).
TRUSTED_TYPES: Final[tuple[str, ...]] = (
    "ml.model.MentoringModel",
    "ml.model.TrendBlend",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
)

_VERSION = re.compile(r"^v(\d{4,})$")


class UntrustedModelError(ValueError):
    """A model file contains types outside :data:`TRUSTED_TYPES`; it was not loaded."""


def list_versions(root: str | Path) -> list[str]:
    """Saved versions, oldest first.

    Parameters
    ----------
    root : str or pathlib.Path
        Registry root.

    Returns
    -------
    list of str
        Version names like ``v0003`` that have a metadata file.
    """
    base = Path(root)
    if not base.is_dir():
        return []
    found = [
        (int(match.group(1)), entry.name)
        for entry in base.iterdir()
        if (match := _VERSION.match(entry.name)) and (entry / METADATA_FILE).is_file()
    ]
    return [name for _, name in sorted(found)]


def _check_trusted(path: Path) -> None:
    import skops.io as sio  # noqa: PLC0415 - heavy; see the module docstring

    unknown = sorted(set(sio.get_untrusted_types(file=path)) - set(TRUSTED_TYPES))
    if unknown:
        raise UntrustedModelError(f"{path} contains untrusted types: {', '.join(unknown)}")


def save(model: MentoringModel, metadata: dict[str, Any], root: str | Path) -> str:
    """Save a fitted model as the next version.

    Parameters
    ----------
    model : MentoringModel
        A fitted model.
    metadata : dict
        JSON-able facts about the run: ``training_data_range``, ``metrics``, ``split``, ...;
        ``version``, ``created_at``, ``feature_names``, ``thresholds``, ``capacity_share`` and
        ``library_versions`` are filled in.
    root : str or pathlib.Path
        Registry root, created when missing.

    Returns
    -------
    str
        The new version name (e.g. ``v0001``).

    Raises
    ------
    UntrustedModelError
        The model would need a type outside :data:`TRUSTED_TYPES` to load.
    """
    import skops.io as sio  # noqa: PLC0415 - heavy; see the module docstring

    from ml.model import MentoringModel  # noqa: PLC0415

    if not isinstance(model, MentoringModel) or not hasattr(model, "pipeline_"):
        raise TypeError("model must be a fitted MentoringModel")
    base = Path(root)
    base.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=base))
    try:
        # deflated: the tree arrays shrink about tenfold (the shipped model lives in git)
        sio.dump(model, staging / MODEL_FILE, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
        _check_trusted(staging / MODEL_FILE)
        return _publish(model, metadata, base, staging)
    finally:
        if staging.exists():  # published versions were renamed away
            shutil.rmtree(staging)


def _publish(model: MentoringModel, metadata: dict[str, Any], base: Path, staging: Path) -> str:
    """Write metadata and card into ``staging`` and rename it to the next free version."""
    import sklearn  # noqa: PLC0415 - heavy; see the module docstring
    import skops  # noqa: PLC0415

    from ml.features import FEATURE_NAMES  # noqa: PLC0415

    while True:  # another process may take a version number first: take the next one
        taken = [int(m.group(1)) for e in base.iterdir() if (m := _VERSION.match(e.name))]
        version = f"v{max(taken, default=0) + 1:04d}"
        meta = {
            **metadata,
            "version": version,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "feature_names": list(FEATURE_NAMES),
            "thresholds": {
                "high": float(model.threshold_high_),
                "medium": float(model.threshold_medium_),
            },
            "capacity_share": float(model.capacity_share),
            "calibrated": model.calibrator_ is not None,
            "library_versions": {"scikit-learn": sklearn.__version__, "skops": skops.__version__},
        }
        (staging / METADATA_FILE).write_text(
            json.dumps(meta, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
        )
        (staging / CARD_FILE).write_text(model_card(meta), encoding="utf-8")
        try:
            staging.rename(base / version)
        except OSError:
            if (base / version).exists():
                continue
            raise
        return version


def load(root: str | Path, version: str | None = None) -> tuple[MentoringModel, dict[str, Any]]:
    """Load a version (the latest by default) with the reviewed trusted types only.

    Parameters
    ----------
    root : str or pathlib.Path
        Registry root, or a version directory itself.
    version : str, optional
        Version name; default the latest.

    Returns
    -------
    model : MentoringModel
        The fitted model.
    metadata : dict
        Its metadata.

    Raises
    ------
    FileNotFoundError
        No such version.
    UntrustedModelError
        The file needs a type outside :data:`TRUSTED_TYPES`.
    """
    import skops.io as sio  # noqa: PLC0415 - heavy; see the module docstring

    from ml.features import FEATURE_NAMES  # noqa: PLC0415
    from ml.model import MentoringModel  # noqa: PLC0415

    base = Path(root)
    if version is None and (base / MODEL_FILE).is_file():
        folder = base
    else:
        versions = list_versions(base)
        if not versions:
            raise FileNotFoundError(f"no model versions under {base}")
        chosen = version or versions[-1]
        if chosen not in versions:
            raise FileNotFoundError(f"no version {chosen} under {base}")
        folder = base / chosen
    path = folder / MODEL_FILE
    _check_trusted(path)
    model = sio.load(path, trusted=list(TRUSTED_TYPES))
    if not isinstance(model, MentoringModel):
        raise UntrustedModelError(f"{path} does not hold a MentoringModel")
    metadata = json.loads((folder / METADATA_FILE).read_text(encoding="utf-8"))
    if list(metadata.get("feature_names", [])) != list(FEATURE_NAMES):
        raise ValueError(f"{folder} was trained on other features than this code computes")
    return model, metadata


def _fmt(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _metrics_table(metadata: dict[str, Any]) -> list[str]:
    metrics = metadata.get("metrics") or {}
    rows = {"model": metrics.get("model") or {}, **(metrics.get("baselines") or {})}
    names = ("roc_auc", "pr_auc", "recall_at_capacity", "precision_at_capacity", "brier")
    lines = ["| scores | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    lines += [
        f"| {who} | " + " | ".join(_fmt(values.get(n)) for n in names) + " |"
        for who, values in rows.items()
    ]
    return lines


def _gaps(metadata: dict[str, Any]) -> list[str]:
    subgroups = (metadata.get("metrics") or {}).get("subgroups") or {}
    lines = []
    for attribute, report in subgroups.items():
        if attribute == "largest_gap":
            continue
        for metric, gap in (report.get("gaps") or {}).items():
            lines.append(
                f"- {attribute}, {metric}: gap {_fmt(gap['gap'])} "
                f"(lowest {gap['lowest']}, highest {gap['highest']})"
            )
    return lines or ["- no subgroup large enough to compare"]


def model_card(metadata: dict[str, Any]) -> str:
    """Render the model card of a version.

    Parameters
    ----------
    metadata : dict
        The version's metadata.

    Returns
    -------
    str
        Markdown.
    """
    from ml.features import FEATURES  # noqa: PLC0415 - pandas; see the module docstring

    data_range = metadata.get("training_data_range") or {}
    lead = (metadata.get("metrics") or {}).get("lead_time") or {}
    rows = metadata.get("rows") or {}
    rows_text = ", ".join(f"{name} {count}" for name, count in rows.items()) or "-"
    versions = metadata.get("library_versions") or {}
    features = "\n".join(f"- `{f.name}`: {f.label}" for f in FEATURES)
    present = metadata.get("optional_sources") or {}
    sources = ", ".join(name for name, there in present.items() if there) or "none"
    final = metadata.get("final_fit") or {}
    if final:
        final_text = (
            f"every labelled date: fitted on {final['rows']['fit']} rows "
            f"({final['fit']['from']} to {final['fit']['to']}), calibrated on "
            f"{final['rows']['calibration']} rows ({final['calibration']['from']} to "
            f"{final['calibration']['to']}); the metrics below measure the same recipe on a "
            "time split (fitted before the test slice)."
        )
    else:
        final_text = "the training slice of the split below."
    header = f"""# Model card: mentoring-support model {metadata.get("version", "")}

Created {metadata.get("created_at", "-")}; scikit-learn {versions.get("scikit-learn", "-")}.

## Intended use
An early, private signal to an employee's **direct supervisor** that the employee may welcome
mentoring support (coaching, training, a conversation). The supervisor decides; the employee
can see that support was offered and why. Scores are visible only to the direct supervisor
chain and BKPSDM admins.

## Out of scope
Sanctions or discipline, ranking employees, pay or TPP, promotion, performance ratings
(predikat), or any decision about a person without a human conversation. The score is not a
judgement of the person and must never be shown as a risk label.

## Data
Training reference dates {data_range.get("from", "-")} to {data_range.get("to", "-")}; rows:
{rows_text}; source {metadata.get("data_source", "-")}; split {metadata.get("split", "-")}.
Fitted on: {final_text}
Label: `needs_mentoring` = the employee needed mentoring support within the
{metadata.get("horizon_weeks", 8)}-week horizon after the reference date. Label source:
{metadata.get("label_source", "given")} (`given`: labels.csv; `outcomes`: supervisors'
responses to alerts; `both`).

Features (trailing weeks of activity logging as of the reference date, and realisation pace,
feedback threads and training JP from the optional files; gender, golongan and OPD are not
inputs). Optional files present in training: {sources}.
{features}

## Metrics (time-based test slice)
"""
    lead_text = (
        f"Lead time: median {_fmt(lead.get('median_weeks_onset_to_first_high'))} weeks from "
        f"onset to first HIGH; {_fmt(lead.get('detected_share'))} of episodes detected "
        "(synthetic data only)."
    )
    limitations = """## Limitations
- Trained on a synthetic world until enough real supervision outcomes exist; real behaviour
  differs and the model must be re-validated on real labels.
- Logging behaviour is a proxy: low logging can mean leave, field work, a reorganisation or
  system trouble rather than a need for support.
- Statuses are the current ones; features only use statuses of activities logged at least
  7 days before the reference date to limit look-ahead. Jabatan and OPD are the current
  values, not those at the reference date.
- Scores reflect logging patterns over the trailing 12 weeks (and the optional sources); a
  need for support that does not show in them (or starts after the reference date) is not
  visible to the model. A model trained with an optional file scores less well where that
  file is absent (its features are then missing for everyone).
- Feedback threads and training partly reflect the supervisor (how often they open threads,
  whether they send people to training), not only the employee.
- Labels from supervisors' responses (`portal ml train --labels outcomes|both`) carry their
  biases: (1) they exist only for employees an earlier model flagged, so they teach the model
  about its own top ranks and nothing about whom it missed (a feedback loop: retrain with
  `both` and keep the given labels); (2) "coached" or "training recommended" records what a
  supervisor chose to do, not a measured need, and "resolved" is the supervisor's judgement;
  (3) supervisors differ in how readily they coach or dismiss (engagement, workload, their
  relation to the employee), and those differences follow units and, possibly, gender or
  golongan; (4) a dismissal because of leave, illness or field work says the logging pattern
  had another cause, not that the employee needed nothing; (5) alerts not yet answered give
  no label, and quick answers may differ from slow ones. The subgroup gaps above must be
  monitored at every retraining.
- Inputs drift: every scoring run compares each feature with its training distribution
  (population stability index) and the share of missing inputs; BKPSDM sees runs beyond the
  threshold (`mentoringDrift`), `portal ml score-db` prints them. Retrain or re-validate then.
"""
    lines = [
        header,
        *_metrics_table(metadata),
        "",
        (
            f"Capacity share (HIGH band): {_fmt(metadata.get('capacity_share'))}; "
            f"thresholds {metadata.get('thresholds', {})}. The portal's scoring runs flag the "
            "top capacity share of each run (MEDIUM: up to 3x that); the thresholds band "
            "`portal ml score` and tell how far a run's population drifted."
        ),
        lead_text,
        "",
        "## Subgroup gaps",
        *_gaps(metadata),
        "",
        limitations,
    ]
    return "\n".join(lines)
