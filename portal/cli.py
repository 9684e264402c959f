"""The ``portal`` command: serve, demo, migrate, import-employees, export-schema, create-admin."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import click

T = TypeVar("T")


def _run(make: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine with the process's services open for the command's duration."""

    async def main() -> T:
        from portal.core.services import command_services

        async with command_services(_settings()):
            return await make()

    return asyncio.run(main())


def _settings() -> Any:  # noqa: ANN401
    from portal.settings import SettingsError, get_settings

    try:
        return get_settings()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group()
def main() -> None:
    """Kinerja Portal - performance management for the ASN of Kota Tangerang Selatan."""


@main.command()
def migrate() -> None:
    """Apply database migrations (SQLite by default, PostgreSQL via PORTAL_DATABASE_URL)."""
    from portal.migrate import migrate as run_migrations

    settings = _settings()
    _run(lambda: run_migrations(settings))
    click.echo("Database is up to date.")


@main.command("adoption-aggregates")
def adoption_aggregates() -> None:
    """Recompute the adoption funnel's per-employee weekly aggregates from the activities.

    Readers fill in missing or stale employees by themselves; run this after a bulk load, or
    after a release that changes the holiday calendar or PORTAL_TIMEZONE.
    """
    import time

    from portal.adoption.services import aggregates

    started = time.perf_counter()
    count = _run(aggregates.rebuild)
    click.echo(f"Recomputed {count} employees in {time.perf_counter() - started:.1f} s.")


def _metrics_dir(workers: int) -> None:
    """Several workers share their Prometheus samples through one fresh directory."""
    import os
    import shutil
    import tempfile

    # named here, not imported: importing prometheus_client would create this process's files
    multiproc_env = "PROMETHEUS_MULTIPROC_DIR"
    if workers <= 1:
        return
    directory = os.environ.get(multiproc_env)
    if directory:  # the operator's (deploy/): start from an empty one, stale pids would linger
        shutil.rmtree(directory, ignore_errors=True)
        Path(directory).mkdir(parents=True, exist_ok=True)
    else:
        os.environ[multiproc_env] = tempfile.mkdtemp(prefix="portal-metrics-")


def _announce(settings: Any, message: str) -> None:  # noqa: ANN401
    """The start-up line: plain text for a person, one JSON object among the others in JSON mode."""
    if settings.log_format != "json":
        click.echo(message)
        return
    import logging

    from portal.core.logs import configure_logging

    configure_logging(settings.log_format)
    logging.getLogger("portal").info(message)


def _serve(host: str, port: int, workers: int, reload: bool) -> None:
    import uvicorn

    from portal.core.logs import logging_config

    settings = _settings()
    _metrics_dir(workers)
    url = f"http://{'localhost' if host in ('0.0.0.0', '127.0.0.1') else host}:{port}/"  # noqa: S104
    ide = "" if settings.is_production else f", GraphiQL at {url}graphql"
    _announce(settings, f"Kinerja Portal on {url} ({settings.env.value}, {workers} worker(s){ide})")
    uvicorn.run(
        "portal.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        log_level="info",
        log_config=logging_config(settings.log_format),
        proxy_headers=True,
    )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
@click.option("--reload", is_flag=True, help="Restart on code changes (development).")
def serve(host: str, port: int, workers: int, reload: bool) -> None:
    """Serve the GraphQL API (GraphiQL at /graphql in development)."""
    _settings()
    _serve(host, port, workers, reload)


@main.command()
@click.option("--concurrency", default=4, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--metrics-port",
    default=0,
    show_default=True,
    type=int,
    help="Serve this worker's Prometheus metrics on this port (0: off).",
)
@click.option("--metrics-host", default="127.0.0.1", show_default=True)
def worker(concurrency: int, metrics_port: int, metrics_host: str) -> None:
    """Run background jobs from Redis (imports, deliveries, the nightly scoring)."""
    from portal.core.logs import configure_logging
    from portal.ops.worker import build_worker
    from portal.settings import SettingsError

    settings = _settings()
    configure_logging(settings.log_format)
    try:
        job_worker = build_worker(settings, concurrency=concurrency)
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc
    if metrics_port:
        from prometheus_client import start_http_server

        from portal.core.metrics import registry

        start_http_server(metrics_port, addr=metrics_host, registry=registry())
    _announce(settings, f"Job worker on {settings.redis_prefix}jobs (concurrency {concurrency})")
    asyncio.run(job_worker.start())


@main.command()
@click.option("--employees", "n_employees", default=600, show_default=True, type=int)
@click.option("--seed", default=7, show_default=True, type=int, help="Random seed.")
@click.option("--reset", is_flag=True, help="Delete the SQLite database first.")
@click.option(
    "--history-days",
    default=365,
    show_default=True,
    type=click.IntRange(0, 366),
    help=(
        "Days of daily-activity history before today (the previous year is always seeded"
        " whole, its older weeks as weekly totals)."
    ),
)
@click.option("--no-serve", is_flag=True, help="Seed only; do not start the server.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def demo(
    n_employees: int,
    seed: int,
    reset: bool,
    history_days: int,
    no_serve: bool,
    host: str,
    port: int,
) -> None:
    """Migrate, seed a demo Tangerang Selatan (if empty) and serve it."""
    from portal import demo as demo_data
    from portal.migrate import migrate as run_migrations

    settings = _settings()
    if reset:
        if settings.is_postgres:
            raise click.ClickException(
                "--reset only deletes a SQLite file; drop PostgreSQL yourself"
            )
        for suffix in ("", "-wal", "-shm"):
            Path(f"{settings.sqlite_path}{suffix}").unlink(missing_ok=True)
    if n_employees < 1 or n_employees > 50_000:  # noqa: PLR2004
        raise click.BadParameter("must be between 1 and 50000", param_hint="--employees")

    async def go() -> demo_data.SeedResult | None:
        await run_migrations(settings)
        if await demo_data.is_seeded():
            return None
        with click.progressbar(length=n_employees, label="Seeding employees") as bar:
            return await demo_data.seed(
                n_employees=n_employees,
                seed=seed,
                progress=bar.update,
                history_days=history_days,
            )

    result = _run(go)
    if result is None:
        click.echo("Database already has data; not seeding again (use --reset to start over).")
    else:
        click.echo(
            f"Seeded {result.opds} OPD, {result.unors} units, {result.employees} employees, "
            f"{result.activities} activities, {result.evaluations} evaluations, "
            f"{result.alerts} mentoring alerts."
        )
        click.echo(f"\nDemo logins (password for all: {result.password}):")
        for login in result.logins:
            click.echo(f"  {login.role:<22} {login.username:<14} {login.description}")
    if not no_serve:
        _serve(host, port, 1, reload=False)


@main.command("import-employees")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--partial", is_flag=True, help="Import the good rows even if some rows are bad.")
@click.option("--dry-run", is_flag=True, help="Validate and report only.")
def import_employees(file: Path, partial: bool, dry_run: bool) -> None:
    """Import employees from a SIMPEG CSV export (upsert by NIP)."""
    from portal.core.errors import DomainError
    from portal.people.services import importer

    _settings()
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{file} is not UTF-8: {exc}") from exc
    try:
        rows, errors = importer.parse_csv(text)
    except DomainError as exc:  # the CLI speaks English, as its other output
        raise click.ClickException(exc.errors[0].english or str(exc)) from exc
    with click.progressbar(length=len(rows), label="Importing") as bar:
        report = _run(
            lambda: importer.import_rows(
                rows, errors, viewer=None, partial=partial, dry_run=dry_run, progress=bar.update
            )
        )
    for err in report.errors:
        click.echo(f"line {err.line}: {err.code} {err.nip or ''} - {err.text('en')}", err=True)
    summary = (
        f"{report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len(report.errors)} rejected"
    )
    if report.applied:
        click.echo(f"Imported: {summary}.")
    elif dry_run and not (report.errors and not partial):
        click.echo(f"Dry run, nothing written: {summary}.")
    else:
        click.echo(f"Nothing imported ({len(report.errors)} bad row(s)).")
    written = report.applied and (report.created or report.updated or report.unchanged)
    if report.errors and not written:
        sys.exit(1)


# the exports' --output: the file to write instead of printing
_OUTPUT = click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None
)


def _print_or_write(text: str, output: Path | None) -> None:
    """An export's text on stdout, or in the file ``--output`` names."""
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


@main.command("export-schema")
@_OUTPUT
def export_schema(output: Path | None) -> None:
    """Print the GraphQL SDL (or write it to --output)."""
    from portal.schema import sdl

    _print_or_write(sdl(), output)


@main.command("export-enum-labels")
@_OUTPUT
def export_enum_labels(output: Path | None) -> None:
    """Print the enums' Indonesian labels as JSON (or write them to --output)."""
    from portal.schema import enum_labels_json

    _print_or_write(enum_labels_json(), output)


@main.command("export-persisted")
@_OUTPUT
def export_persisted(output: Path | None) -> None:
    """Print (or write to --output) the persisted-query manifest {sha256: document} as JSON."""
    import json

    from portal.core.persisted import load_manifest

    manifest = load_manifest(_settings().operations_dir)
    text = json.dumps(dict(sorted(manifest.items())), indent=2, ensure_ascii=False) + "\n"
    _print_or_write(text, output)


@main.command("create-admin")
@click.argument("username")
@click.option(
    "--role",
    type=click.Choice(["ADMIN_BKPSDM", "ADMIN_OPD", "PENGELOLA_SOSIALISASI"]),
    default="ADMIN_BKPSDM",
    show_default=True,
)
@click.option("--opd", "opd_code", default=None, help="OPD code (required for ADMIN_OPD).")
@click.password_option()
def create_admin(username: str, role: str, opd_code: str | None, password: str) -> None:
    """Create an administrator account."""
    from portal.accounts.services import sessions as accounts
    from portal.core.auth import Role
    from portal.core.errors import DomainError
    from portal.people import facts as people_facts

    _settings()

    async def go() -> int:
        opd_id = None
        if opd_code:
            opd_id = await people_facts.opd_id_by_code(opd_code)
            if opd_id is None:
                raise click.ClickException(f"Unknown OPD code {opd_code}")
        return await accounts.create_account(
            username=username, password=password, grants=((Role(role), opd_id),)
        )

    try:
        account_id = _run(go)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {role} account {username!r} (id {account_id}).")


@main.group()
def ml() -> None:
    """Mentoring-support model: train, score, evaluate, export, score the database."""


def _parse_day(value: str | None) -> Any:  # noqa: ANN401
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a YYYY-MM-DD date") from exc


@ml.command("train")
@click.option("--data", "data_dir", required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False))
@click.option("--capacity", default=0.05, show_default=True, help="Mentoring capacity share.")
@click.option("--seed", default=0, show_default=True, type=int)
@click.option(
    "--labels",
    "label_source",
    type=click.Choice(["given", "outcomes", "both"]),
    default="given",
    show_default=True,
    help="labels.csv as given, labels from supervisors' responses (outcomes.csv), or both.",
)
def ml_train(data_dir: str, out_dir: str, capacity: float, seed: int, label_source: str) -> None:
    """Measure on a time-based hold-out, refit on every labelled date, save; print both."""
    import json

    from ml.pipeline import train

    try:
        metrics = train(
            data_dir, out_dir, capacity_share=capacity, seed=seed, label_source=label_source
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(metrics, indent=2, default=str))
    for line in _train_summary(metrics):
        click.echo(line, err=True)


def _train_summary(metrics: dict[str, Any]) -> list[str]:
    """What was measured on the hold-out, and what the saved model was fitted on."""
    split, rows, final = metrics["split"], metrics["rows"], metrics["final_fit"]
    model = metrics["model"]

    def num(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f}"

    hold_out = (
        f"Hold-out (reference dates from {split['test_from']}, {rows['test']} rows; measured "
        f"with a model fitted on {rows['train']} rows, calibrated on {rows['calibration']}): "
        f"ROC-AUC {num(model.get('roc_auc'))}, PR-AUC {num(model.get('pr_auc'))}, "
        f"recall@capacity {num(model.get('recall_at_capacity'))}."
    )
    saved = (
        f"Saved model {metrics['version']}: refit on {final['rows']['fit']} rows of "
        f"{final['fit']['dates']} reference dates ({final['fit']['from']} to "
        f"{final['fit']['to']}), calibrated on {final['rows']['calibration']} rows of "
        f"{final['calibration']['dates']} dates ({final['calibration']['from']} to "
        f"{final['calibration']['to']}): all {final['labelled_dates']} labelled dates."
    )
    return [hold_out, saved]


@ml.command("score")
@click.option("--data", "data_dir", required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--model", "model_dir", required=True, type=click.Path(exists=True))
@click.option("--as-of", "as_of", required=True, help="Reference date YYYY-MM-DD.")
@click.option("--out", "out_csv", required=True, type=click.Path(dir_okay=False))
def ml_score(data_dir: str, model_dir: str, as_of: str, out_csv: str) -> None:
    """Score a data directory: employee_id,score,band,reasons."""
    from ml.pipeline import score

    try:
        score(data_dir, model_dir, _parse_day(as_of), out_csv)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Scores written to {out_csv}")


@ml.command("evaluate")
@click.option("--data", "data_dir", required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--model", "model_dir", required=True, type=click.Path(exists=True))
def ml_evaluate(data_dir: str, model_dir: str) -> None:
    """Evaluate a model on a data directory; print metrics as JSON."""
    import json

    from ml.pipeline import evaluate_dir

    try:
        metrics = evaluate_dir(data_dir, model_dir)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(metrics, indent=2, default=str))


@ml.command("export")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False))
def ml_export(out_dir: str) -> None:
    """Write the data directory (and outcomes.csv: what supervisors did with alerts)."""
    from portal.mentoring.services.scoring import export_dir

    _settings()
    dataset, outcomes = _run(lambda: export_dir(Path(out_dir)))
    optional = (
        ("progress", dataset.progress),
        ("feedback", dataset.feedback),
        ("training", dataset.training),
    )
    extra = ", ".join(f"{len(f)} {name} rows" for name, f in optional if f is not None)
    click.echo(
        f"Exported {len(dataset.employees)} employees, {len(dataset.activities)} activities, "
        f"{len(dataset.labels)} labels, {extra}, {len(outcomes)} alert outcomes to {out_dir}"
    )


@ml.command("score-db")
@click.option("--as-of", "as_of", default=None, help="Reference date (default today).")
@click.option("--model", "model_root", default=None, type=click.Path(file_okay=False))
def ml_score_db(as_of: str | None, model_root: str | None) -> None:
    """Score every active employee from the database and raise alerts."""
    from portal.core.errors import DomainError
    from portal.mentoring.services.scoring import score_db

    _settings()
    try:
        summary = _run(
            lambda: score_db(
                None, as_of=_parse_day(as_of), model_root=Path(model_root) if model_root else None
            )
        )
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"Scored {summary.scored} employees as of {summary.as_of} with {summary.model_version}: "
        f"{summary.high} HIGH, {summary.medium} MEDIUM, {summary.alerts_raised} new alerts "
        f"({summary.seconds:.1f} s)."
    )
    click.echo(
        f"Bands by capacity: HIGH = top {summary.capacity_share or 0:.0%} of this run; "
        f"{summary.above_threshold} at or above the model's own HIGH threshold."
    )
    click.echo(
        "Phases (s): " + ", ".join(f"{name} {value:.2f}" for name, value in summary.phases.items())
    )
    click.echo(_drift_line(summary.drift))


def _drift_line(drift: dict[str, Any] | None) -> str:
    """One line on the run's input drift against the model's training data."""
    if not drift:
        return "Drift: not measured (the model has no training profile; retrain it)."
    worst = drift.get("max_psi")
    text = (
        f"Drift: max PSI {worst if worst is not None else '-'} ({drift.get('max_psi_feature')}), "
        f"missing inputs {drift['missing_share']:.1%} "
        f"(training {drift['training_missing_share']:.1%})"
    )
    if not drift.get("drifted"):
        return text + f"; within thresholds (PSI {drift['psi_threshold']})."
    beyond = ", ".join(drift.get("drifted_features") or []) or "-"
    rose = "; missing inputs rose" if drift.get("missing_share_rose") else ""
    return (
        text + f"; BEYOND THRESHOLD (PSI > {drift['psi_threshold']}: {beyond}{rose}) -- "
        "shown to BKPSDM; re-validate or retrain the model."
    )


@ml.command("nightly")
@click.option("--at", "at", default="02:00", show_default=True, help="Time of day (UTC), HH:MM.")
def ml_nightly(at: str) -> None:
    """Run score-db every night at the given time (a long-running scheduler process)."""
    import time
    from datetime import UTC, datetime, timedelta

    from portal.mentoring.services.scoring import score_db

    _settings()
    try:
        hour, minute = (int(x) for x in at.split(":"))
    except ValueError as exc:
        raise click.BadParameter("use HH:MM", param_hint="--at") from exc
    while True:
        now = datetime.now(UTC)
        due = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if due <= now:
            due += timedelta(days=1)
        click.echo(f"Next scoring run at {due.isoformat()}")
        time.sleep((due - now).total_seconds())
        try:
            summary = _run(lambda: score_db(None))
            click.echo(f"Scored {summary.scored}; {summary.alerts_raised} new alerts.")
        except Exception as exc:  # noqa: BLE001 - a failed night must not stop the scheduler
            click.echo(f"Scoring failed: {exc}", err=True)


if __name__ == "__main__":
    main()
