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


def _serve(host: str, port: int, workers: int, reload: bool) -> None:
    import uvicorn

    settings = _settings()
    url = f"http://{'localhost' if host in ('0.0.0.0', '127.0.0.1') else host}:{port}/"  # noqa: S104
    ide = "" if settings.is_production else f", GraphiQL at {url}graphql"
    click.echo(f"Kinerja Portal on {url} ({settings.env.value}, {workers} worker(s){ide})")
    uvicorn.run(
        "portal.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        log_level="info",
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
@click.option("--employees", "n_employees", default=600, show_default=True, type=int)
@click.option("--seed", default=7, show_default=True, type=int, help="Random seed.")
@click.option("--reset", is_flag=True, help="Delete the SQLite database first.")
@click.option(
    "--history-days",
    default=365,
    show_default=True,
    type=click.IntRange(0, 366),
    help="Days of daily-activity history to generate (within the current year).",
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
    from portal.people import importer

    _settings()
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{file} is not UTF-8: {exc}") from exc
    try:
        rows, errors = importer.parse_csv(text)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    with click.progressbar(length=len(rows), label="Importing") as bar:
        report = _run(
            lambda: importer.import_rows(
                rows, errors, viewer=None, partial=partial, dry_run=dry_run, progress=bar.update
            )
        )
    for err in report.errors:
        click.echo(f"line {err.line}: {err.code} {err.nip or ''} - {err.message}", err=True)
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


@main.command("export-schema")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None)
def export_schema(output: Path | None) -> None:
    """Print the GraphQL SDL (or write it to --output)."""
    from portal.schema import sdl

    text = sdl()
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


@main.command("export-persisted")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None)
def export_persisted(output: Path | None) -> None:
    """Print (or write to --output) the persisted-query manifest {sha256: document} as JSON."""
    import json

    from portal.core.persisted import load_manifest

    manifest = load_manifest(_settings().operations_dir)
    text = json.dumps(dict(sorted(manifest.items())), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


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
    from portal.accounts import service as accounts
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
def ml_train(data_dir: str, out_dir: str, capacity: float, seed: int) -> None:
    """Train on a data directory; print metrics on a time-based hold-out."""
    import json

    from ml.pipeline import train

    try:
        metrics = train(data_dir, out_dir, capacity_share=capacity, seed=seed)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(metrics, indent=2, default=str))


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
    """Write employees.csv, activities.csv and labels.csv from the portal's database."""
    from portal.mentoring.scoring import export_dir

    _settings()
    dataset = _run(lambda: export_dir(Path(out_dir)))
    optional = (
        ("progress", dataset.progress),
        ("feedback", dataset.feedback),
        ("training", dataset.training),
    )
    extra = ", ".join(f"{len(f)} {name} rows" for name, f in optional if f is not None)
    click.echo(
        f"Exported {len(dataset.employees)} employees, {len(dataset.activities)} activities, "
        f"{len(dataset.labels)} labels, {extra} to {out_dir}"
    )


@ml.command("score-db")
@click.option("--as-of", "as_of", default=None, help="Reference date (default today).")
@click.option("--model", "model_root", default=None, type=click.Path(file_okay=False))
def ml_score_db(as_of: str | None, model_root: str | None) -> None:
    """Score every active employee from the database and raise alerts."""
    from portal.core.errors import DomainError
    from portal.mentoring.scoring import score_db

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
        "Phases (s): " + ", ".join(f"{name} {value:.2f}" for name, value in summary.phases.items())
    )


@ml.command("nightly")
@click.option("--at", "at", default="02:00", show_default=True, help="Time of day (UTC), HH:MM.")
def ml_nightly(at: str) -> None:
    """Run score-db every night at the given time (a long-running scheduler process)."""
    import time
    from datetime import UTC, datetime, timedelta

    from portal.mentoring.scoring import score_db

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
