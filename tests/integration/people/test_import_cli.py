"""`portal import-employees FILE [--partial] [--dry-run]`: the trusted (viewer-less) import.

The command runs its own event loop (``asyncio.run``) and, on PostgreSQL, opens and closes the
engine's connection pool. Inside this test process that would reuse - and then close - the
pool the session's app opened in the pytest-asyncio loop, so commands that touch the database
run as a subprocess (`python -m portal.cli`), which sees the same database through
PORTAL_DATABASE_URL. Commands that fail before touching the database run in-process with
click's CliRunner.
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from portal.cli import main
from portal.core.audit import AuditEntry
from portal.people.enums import Gender
from portal.people.nip import make_nip
from portal.people.services import importer
from portal.people.services.importer import COLUMNS
from portal.people.tables import Employee
from support.factories import Factory

HEAD = make_nip(date(1975, 3, 17), date(2000, 1, 1), Gender.LAKI_LAKI, 1)
STAFF = make_nip(date(1990, 1, 5), date(2015, 3, 1), Gender.PEREMPUAN, 2)
STAFF2 = make_nip(date(1991, 7, 9), date(2016, 2, 1), Gender.LAKI_LAKI, 3)
PPPK_NI = "202399991234567890"
CLI_TIMEOUT = 120


def row(
    nip: str,
    *,
    jenis: str = "PNS",
    golongan: str = "III/a",
    jabatan: str = "Pengadministrasi Umum",
    unor: str = "DINKES",
    atasan: str = "",
) -> list[str]:
    return [nip, f"Pegawai {nip[-4:]}", jenis, golongan, "Pelaksana", jabatan, unor, atasan]


def csv_text(*rows: list[str], header: str = ",".join(COLUMNS)) -> str:
    out = io.StringIO()
    out.write(header + "\n")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


GOOD_FILE = csv_text(
    row(HEAD),
    row(STAFF, unor="DINKES.PKM", atasan=HEAD),
    row(PPPK_NI, jenis="PPPK", golongan="", unor="DINKES.PKM", atasan=STAFF),
)
BAD_FILE = csv_text(
    row(HEAD),  # 2 good
    row(STAFF, unor="NOWHERE", atasan=HEAD),  # 3 unknown unit
    row(STAFF2, atasan=STAFF),  # 4 good alone, but under the rejected row 3
    row("123"),  # 5 bad NIP
    row(PPPK_NI, jenis="PPPK", golongan="XX"),  # 6 bad golongan
)


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
async def org(factory: Factory) -> dict[str, int]:
    """OPD DINKES with units DINKES and DINKES.PKM in a clean database."""
    opd = await factory.opd("DINKES", "Dinas Kesehatan")
    unit = await factory.unor(opd, code="DINKES")
    pkm = await factory.unor(opd, code="DINKES.PKM", parent_id=unit)
    return {"opd": opd, "DINKES": unit, "DINKES.PKM": pkm}


def write(tmp_path: Path, text: str, name: str = "simpeg.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


async def portal(*args: str) -> Run:
    """Run `portal import-employees ARGS` as a subprocess against the test database."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "portal.cli",
        "import-employees",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ},
    )
    stdout, stderr = await asyncio.wait_for(proc.communicate(), CLI_TIMEOUT)
    assert proc.returncode is not None
    return Run(proc.returncode, stdout.decode(), stderr.decode())


async def nips() -> set[str]:
    return {r["nip"] for r in await Employee.select(Employee.nip)}


async def test_good_file_is_imported(org: dict[str, int], tmp_path: Path) -> None:
    run = await portal(str(write(tmp_path, GOOD_FILE)))

    assert run.code == 0, run
    assert "Imported: 3 created, 0 updated, 0 unchanged, 0 rejected." in run.stdout
    assert "line " not in run.stderr
    people = {
        r["nip"]: r
        for r in await Employee.select(
            Employee.nip, Employee.unor, Employee.supervisor.nip.as_alias("boss")
        )
    }
    assert set(people) == {HEAD, STAFF, PPPK_NI}
    assert (people[STAFF]["boss"], people[PPPK_NI]["boss"]) == (HEAD, STAFF)
    assert people[STAFF]["unor"] == org["DINKES.PKM"]
    # audited without an account: the CLI is a trusted caller
    created = await AuditEntry.select().where(AuditEntry.action == "EMPLOYEE_CREATED")
    assert len(created) == 3
    assert {e["account_id"] for e in created} == {None}


async def test_running_the_same_file_again_reports_unchanged_rows(
    org: dict[str, int], tmp_path: Path
) -> None:
    path = write(tmp_path, GOOD_FILE)
    assert (await portal(str(path))).code == 0

    again = await portal(str(path))
    path.write_text(GOOD_FILE.replace("Pengadministrasi Umum", "Analis", 1), encoding="utf-8")
    changed = await portal(str(path))

    assert again.code == 0, again
    assert "Imported: 0 created, 0 updated, 3 unchanged, 0 rejected." in again.stdout
    assert changed.code == 0, changed
    assert "Imported: 0 created, 1 updated, 2 unchanged, 0 rejected." in changed.stdout
    assert await AuditEntry.count().where(AuditEntry.action == "EMPLOYEE_UPDATED") == 1


async def test_bad_file_imports_nothing_and_lists_every_bad_row(
    org: dict[str, int], tmp_path: Path
) -> None:
    run = await portal(str(write(tmp_path, BAD_FILE)))

    assert run.code == 1, run
    assert "Nothing imported (3 bad row(s))." in run.stdout
    lines = [line for line in run.stderr.splitlines() if line.startswith("line ")]
    assert [line.split(" - ")[0].split()[:3] for line in lines] == [
        ["line", "3:", "UNKNOWN_UNIT"],
        ["line", "5:", "INVALID_NIP"],
        ["line", "6:", "INVALID_VALUE"],
    ]
    assert f"line 3: UNKNOWN_UNIT {STAFF} - " in run.stderr
    assert "NOWHERE" in run.stderr
    assert await Employee.count() == 0
    assert await AuditEntry.count() == 0


async def test_partial_imports_the_good_rows_and_lists_the_bad_ones(
    org: dict[str, int], tmp_path: Path
) -> None:
    run = await portal(str(write(tmp_path, BAD_FILE)), "--partial")

    assert run.code == 0, run
    assert "Imported: 1 created, 0 updated, 0 unchanged, 4 rejected." in run.stdout
    for expected in (
        "line 3: UNKNOWN_UNIT",
        "line 4: UNKNOWN_SUPERVISOR",
        "line 5: INVALID_NIP",
        "line 6: INVALID_VALUE",
    ):
        assert expected in run.stderr
    assert await nips() == {HEAD}


async def test_dry_run_writes_nothing(org: dict[str, int], tmp_path: Path) -> None:
    good = await portal(str(write(tmp_path, GOOD_FILE)), "--dry-run")
    bad = await portal(str(write(tmp_path, BAD_FILE, "bad.csv")), "--dry-run")

    assert good.code == 0, good
    assert "Dry run, nothing written: 3 created" in good.stdout
    assert bad.code == 1, bad
    assert "line 3: UNKNOWN_UNIT" in bad.stderr
    assert await Employee.count() == 0


async def test_excel_utf8_bom_file_is_accepted(org: dict[str, int], tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_text("\ufeff" + GOOD_FILE.replace("\n", "\r\n"), encoding="utf-8")

    run = await portal(str(path))

    assert run.code == 0, run
    assert "3 created" in run.stdout
    assert await nips() == {HEAD, STAFF, PPPK_NI}


async def test_the_cli_checks_supervisors_against_stored_employees(
    org: dict[str, int], factory: Factory, tmp_path: Path
) -> None:
    boss = await factory.employee(org["DINKES"])
    text = csv_text(row(STAFF, atasan=boss.nip), row(STAFF2, atasan=STAFF2))

    run = await portal(str(write(tmp_path, text)))

    assert run.code == 1, run
    assert "line 3: CYCLIC_SUPERVISOR" in run.stderr
    assert "line 2:" not in run.stderr
    assert await nips() == {boss.nip}


# --- failures before the database is touched (in-process) ---------------------------------


def test_missing_column_is_an_error(tmp_path: Path) -> None:
    header = ",".join(c for c in COLUMNS if c != "kode_unor")
    path = write(tmp_path, csv_text(header=header))

    result = CliRunner().invoke(main, ["import-employees", str(path)])

    assert result.exit_code == 1
    assert "Missing column(s): kode_unor" in result.stderr


def test_file_that_is_not_utf8_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(csv_text(row(HEAD)).replace("Pegawai", "Pégawai").encode("latin-1"))

    result = CliRunner().invoke(main, ["import-employees", str(path)])

    assert result.exit_code == 1
    assert "is not UTF-8" in result.stderr


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["import-employees", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


# --- the trusted import path the command uses, in-process -----------------------------------


async def test_trusted_import_reports_progress_for_every_row(org: dict[str, int]) -> None:
    await importer.import_csv_text(
        csv_text(row(HEAD), row(STAFF, unor="DINKES.PKM", atasan=HEAD)), viewer=None
    )
    steps: list[int] = []

    report = await importer.import_csv_text(
        GOOD_FILE.replace("Pengadministrasi Umum", "Analis", 1),
        viewer=None,
        progress=steps.append,
    )

    assert (report.applied, report.created, report.updated, report.unchanged) == (True, 1, 1, 1)
    assert sum(steps) == 3
