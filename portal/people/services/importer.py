"""Employee import from a SIMPEG CSV export (upsert by NIP, all-or-nothing by default).

Three steps: :func:`parse_csv` checks each row on its own (pure), :func:`check_references`
checks units, scope, supervisors and cycles against what the database already holds (pure),
and :func:`apply_rows` writes in one transaction. ``portal demo`` seeds through the same path.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from portal.core import audit, clock, error_codes
from portal.core.auth import Viewer
from portal.core.db import transaction, update_rows
from portal.core.error_codes import Language
from portal.core.errors import DomainError
from portal.people import policy
from portal.people.enums import EmployeeKind, Gender
from portal.people.nip import (
    MIN_AGE_AT_TMT,
    MIN_BIRTH_YEAR,
    NipError,
    NipInfo,
    PppkInfo,
    add_years,
    decode_pppk_ni,
    parse_employee_kind,
    parse_golongan,
    parse_jabatan_kind,
    validate_identifier,
)
from portal.people.services import moves
from portal.people.tables import Employee, Unor

COLUMNS = (
    "nip",
    "nama",
    "jenis_pegawai",
    "golongan",
    "jenis_jabatan",
    "nama_jabatan",
    "kode_unor",
    "nip_atasan",
)
# Optional columns: a PNS NIP already encodes both (a value given must agree with it); for PPPK
# they are the only source unless the NI follows the common layout (nip.decode_pppk_ni), so a
# file that has the column must fill it for PPPK rows whose NI tells nothing.
OPTIONAL_COLUMNS = ("jenis_kelamin", "tanggal_lahir")
_GENDERS = {
    "L": Gender.LAKI_LAKI,
    "LAKI-LAKI": Gender.LAKI_LAKI,
    "P": Gender.PEREMPUAN,
    "PEREMPUAN": Gender.PEREMPUAN,
}
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")
MAX_NAME = 150
MAX_JABATAN = 200
# PPPK golongan run from I to XVII (Perpres 98/2020); stored as written.
PPPK_GOLONGAN = frozenset(
    "I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII".split()  # noqa: SIM905
)
_CHUNK = 900  # stays under SQLite's bound-parameter limit

Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class RowError:
    """Why one row was rejected: ``message`` in Indonesian, ``english`` the same in English.

    Readers pick the text by the request's language (``Accept-Language``), as for every other
    user error: :meth:`text`.
    """

    line: int
    nip: str | None
    code: str
    message: str
    english: str = ""

    def text(self, language: Language | None = None) -> str:
        """The message in ``language`` (default: the request's)."""
        return error_codes.message(self.code, self.message, language, english=self.english)


def _refuse(code: str, column: str, indonesian: str, english: str) -> DomainError:
    """A row's problem, addressed to its CSV column, in both languages."""
    return DomainError.single(code, indonesian, column, english)


@dataclass(frozen=True, slots=True)
class ParsedRow:
    """A syntactically valid row, decoded."""

    line: int
    nip: str
    name: str
    kind: EmployeeKind
    golongan: str | None
    jabatan_kind: str
    jabatan_name: str
    unor_code: str
    supervisor_nip: str | None
    gender: str | None = None
    birth_date: date | None = None
    tmt_cpns: date | None = None
    hired_on: date | None = None


@dataclass(slots=True)
class ImportReport:
    """What an import did (or would do, for a dry run)."""

    applied: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    moves: list[int] = field(default_factory=list)  # employee_move ids (mutasi detected)


def _gender(text: str) -> Gender | None:
    if not text:
        return None
    gender = _GENDERS.get(text.upper())
    if gender is None:
        raise _refuse(
            "INVALID_VALUE",
            "jenis_kelamin",
            "jenis_kelamin harus L atau P",
            "jenis_kelamin must be L or P",
        )
    return gender


def _birth_date(text: str, today: date) -> date | None:
    if not text:
        return None
    for fmt in _DATE_FORMATS:
        try:
            born = datetime.strptime(text, fmt).replace(tzinfo=UTC).date()
        except ValueError:
            continue
        if born.year < MIN_BIRTH_YEAR or add_years(born, MIN_AGE_AT_TMT) > today:
            raise _refuse(
                "INVALID_VALUE",
                "tanggal_lahir",
                f"tanggal_lahir harus tahun {MIN_BIRTH_YEAR} atau sesudahnya dan paling "
                f"sedikit {MIN_AGE_AT_TMT} tahun yang lalu",
                f"tanggal_lahir must be from {MIN_BIRTH_YEAR} and at least "
                f"{MIN_AGE_AT_TMT} years ago",
            )
        return born
    raise _refuse(
        "INVALID_VALUE",
        "tanggal_lahir",
        "tanggal_lahir harus berupa tanggal seperti 1985-07-15",
        "tanggal_lahir must be a date like 1985-07-15",
    )


def _personal(
    kind: EmployeeKind,
    nip_info: NipInfo | None,
    value: Mapping[str, str],
    *,
    known: frozenset[str],
    today: date,
) -> tuple[str | None, date | None]:
    """Gender and birth date from the NIP/NI and the optional columns, which must agree."""
    gender = _gender(value["jenis_kelamin"])
    born = _birth_date(value["tanggal_lahir"], today)
    decoded: NipInfo | PppkInfo | None = (
        nip_info if kind is EmployeeKind.PNS else decode_pppk_ni(value["nip"], today=today)
    )
    label = "NIP" if kind is EmployeeKind.PNS else "NI PPPK"
    if decoded is not None:
        if gender is not None and gender != decoded.gender:
            raise _refuse(
                "INVALID_VALUE",
                "jenis_kelamin",
                f"jenis_kelamin tidak sesuai dengan {label}",
                f"jenis_kelamin does not match the {label}",
            )
        if born is not None and born != decoded.birth_date:
            raise _refuse(
                "INVALID_VALUE",
                "tanggal_lahir",
                f"tanggal_lahir tidak sesuai dengan {label}",
                f"tanggal_lahir does not match the {label}",
            )
        return decoded.gender.value, decoded.birth_date
    for column, given in (("jenis_kelamin", gender), ("tanggal_lahir", born)):
        if column in known and given is None:
            raise _refuse(
                "INVALID_VALUE",
                column,
                f"{column} wajib diisi untuk PPPK yang NI-nya tidak memuatnya",
                f"{column} is required for PPPK whose NI does not encode it",
            )
    return (gender.value if gender else None), born


def parse_row(
    line: int,
    raw: Mapping[str, str],
    *,
    today: date | None = None,
    known: frozenset[str] = frozenset(),
) -> ParsedRow:
    """Validate one CSV record on its own.

    Args:
        line: Line number (for the report).
        raw: The record, by lower-case column name.
        today: Reference date (defaults to today in the deployment's time zone).
        known: The optional columns (:data:`OPTIONAL_COLUMNS`) the file has.

    Raises:
        DomainError: with the row's first problem (codes INVALID_NIP, INVALID_VALUE).
    """
    value = {k: (raw.get(k) or "").strip() for k in (*COLUMNS, *OPTIONAL_COLUMNS)}
    reference = today or clock.today()
    try:
        kind = parse_employee_kind(value["jenis_pegawai"])
    except ValueError as exc:
        raise _refuse(
            "INVALID_VALUE",
            "jenis_pegawai",
            f"jenis_pegawai tidak dikenal: {value['jenis_pegawai']!r} (PNS atau PPPK)",
            f"jenis_pegawai: {exc}",
        ) from exc
    try:
        info = validate_identifier(value["nip"], kind, today=today)
    except NipError as exc:
        raise _refuse(
            "INVALID_NIP", "nip", f"{exc.code}: {exc.indonesian}", f"{exc.code}: {exc.message}"
        ) from exc
    if not value["nama"] or len(value["nama"]) > MAX_NAME:
        raise _refuse(
            "INVALID_VALUE",
            "nama",
            f"nama harus 1-{MAX_NAME} karakter",
            f"nama must be 1-{MAX_NAME} characters",
        )
    golongan: str | None = None
    if kind is EmployeeKind.PNS:
        try:
            golongan = parse_golongan(value["golongan"]).value
        except ValueError as exc:
            raise _refuse(
                "INVALID_VALUE",
                "golongan",
                f"golongan tidak dikenal: {value['golongan']!r} (I/a sampai IV/e, mis. III/a)",
                f"golongan: {exc}",
            ) from exc
    elif value["golongan"]:
        if value["golongan"].upper() not in PPPK_GOLONGAN:
            raise _refuse(
                "INVALID_VALUE",
                "golongan",
                "golongan PPPK harus I sampai XVII",
                "golongan PPPK must be I to XVII",
            )
        golongan = value["golongan"].upper()
    try:
        jabatan_kind = parse_jabatan_kind(value["jenis_jabatan"]).value
    except ValueError as exc:
        raise _refuse(
            "INVALID_VALUE",
            "jenis_jabatan",
            f"jenis_jabatan tidak dikenal: {value['jenis_jabatan']!r} "
            "(mis. Pelaksana, JPT Pratama, Fungsional Ahli Muda)",
            f"jenis_jabatan: {exc}",
        ) from exc
    if not value["nama_jabatan"] or len(value["nama_jabatan"]) > MAX_JABATAN:
        raise _refuse(
            "INVALID_VALUE",
            "nama_jabatan",
            f"nama_jabatan harus 1-{MAX_JABATAN} karakter",
            f"nama_jabatan must be 1-{MAX_JABATAN} characters",
        )
    if not value["kode_unor"]:
        raise _refuse("UNKNOWN_UNIT", "kode_unor", "kode_unor kosong", "kode_unor is empty")
    nip = value["nip"]
    gender, birth_date = _personal(kind, info, value, known=known, today=reference)
    return ParsedRow(
        line=line,
        nip=nip,
        name=value["nama"],
        kind=kind,
        golongan=golongan,
        jabatan_kind=jabatan_kind,
        jabatan_name=value["nama_jabatan"],
        unor_code=value["kode_unor"],
        supervisor_nip=value["nip_atasan"] or None,
        gender=gender,
        birth_date=birth_date,
        tmt_cpns=info.tmt_cpns if info else None,
        hired_on=info.tmt_cpns if info else None,
    )


def parse_csv(text: str, *, today: date | None = None) -> tuple[list[ParsedRow], list[RowError]]:
    """Parse and validate every row; duplicates of an earlier NIP are errors.

    Raises:
        DomainError: ``INVALID_CSV`` when the header lacks a required column, or when the text
            is not CSV the reader can split into fields (e.g. a field over its size limit).
    """
    # newline="": the csv module splits lines itself, so a quoted field may hold a line break
    # and a bare "\r" (old Mac files) ends a line instead of failing the whole import
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        return _parse_records(reader, today=today)
    except csv.Error as exc:
        # line_num counts the lines read before the one the reader gave up on
        line = reader.line_num + 1
        raise _refuse(
            "INVALID_CSV",
            "csv",
            f"Baris {line}: tidak dapat dibaca sebagai CSV ({exc})",
            f"Line {line}: not readable as CSV ({exc})",
        ) from exc


def _parse_records(
    reader: csv.DictReader[str], *, today: date | None
) -> tuple[list[ParsedRow], list[RowError]]:
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        names = ", ".join(missing)
        raise _refuse(
            "INVALID_CSV", "csv", f"Kolom tidak ada: {names}", f"Missing column(s): {names}"
        )
    reader.fieldnames = header
    known = frozenset(c for c in OPTIONAL_COLUMNS if c in header)
    rows: list[ParsedRow] = []
    errors: list[RowError] = []
    first_line: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        nip = (record.get("nip") or "").strip() or None
        if None in record:  # more cells than header columns
            errors.append(
                RowError(
                    line,
                    nip,
                    "INVALID_CSV",
                    "Baris memuat lebih banyak sel daripada header",
                    "Row has more cells than the header",
                )
            )
            continue
        try:
            row = parse_row(line, record, today=today, known=known)
        except DomainError as exc:
            first = exc.errors[0]
            errors.append(RowError(line, nip, first.code, first.message, first.english or ""))
            continue
        if row.nip in first_line:
            errors.append(
                RowError(
                    line,
                    row.nip,
                    "DUPLICATE_NIP",
                    f"NIP sudah ada di baris {first_line[row.nip]}",
                    f"NIP already on line {first_line[row.nip]}",
                )
            )
            continue
        first_line[row.nip] = line
        rows.append(row)
    return rows, errors


def check_references(
    rows: list[ParsedRow],
    *,
    units: Mapping[str, tuple[int, int]],
    stored_supervisors: Mapping[str, str | None],
    allowed_opds: frozenset[int] | None,
    stored_opds: Mapping[str, int] | None = None,
    cycles: bool = True,
) -> list[RowError]:
    """Check units, scope, supervisors and cycles of the rows against the stored state.

    Args:
        rows: rows that passed :func:`parse_row`.
        units: unit code -> (unit id, OPD id) of every stored unit.
        stored_supervisors: NIP -> supervisor NIP of every stored employee.
        allowed_opds: OPDs the importer may write to, or None for all.
        stored_opds: NIP -> current OPD of stored employees; an importer limited to some
            OPDs may not take over an employee of another OPD.
        cycles: whether to look for supervisor cycles as if every row were applied (a partial
            import leaves that to :func:`drop_dependents`, which knows what is kept).

    Returns:
        One error per bad row (UNKNOWN_UNIT, UNIT_OUT_OF_SCOPE, UNKNOWN_SUPERVISOR,
        CYCLIC_SUPERVISOR).
    """
    errors: dict[int, RowError] = {}
    in_file = {r.nip: r for r in rows}
    for r in rows:
        unit = units.get(r.unor_code)
        current_opd = (stored_opds or {}).get(r.nip)
        if unit is None:
            errors[r.line] = RowError(
                r.line,
                r.nip,
                "UNKNOWN_UNIT",
                f"Unit kerja {r.unor_code} tidak dikenal",
                f"Unknown unit {r.unor_code}",
            )
        elif allowed_opds is not None and unit[1] not in allowed_opds:
            errors[r.line] = RowError(
                r.line,
                r.nip,
                "UNIT_OUT_OF_SCOPE",
                f"Unit kerja {r.unor_code} di luar OPD Anda",
                f"Unit {r.unor_code} is outside your OPD",
            )
        elif (
            allowed_opds is not None and current_opd is not None and current_opd not in allowed_opds
        ):
            errors[r.line] = RowError(
                r.line,
                r.nip,
                "UNIT_OUT_OF_SCOPE",
                "Pegawai ini milik OPD lain",
                "This employee belongs to another OPD",
            )
        elif r.supervisor_nip is not None and r.supervisor_nip == r.nip:
            errors[r.line] = RowError(
                r.line,
                r.nip,
                "CYCLIC_SUPERVISOR",
                "Pegawai tidak dapat menjadi atasan dirinya sendiri",
                "An employee cannot supervise themself",
            )
        elif (
            r.supervisor_nip is not None
            and r.supervisor_nip not in in_file
            and r.supervisor_nip not in stored_supervisors
        ):
            errors[r.line] = RowError(
                r.line,
                r.nip,
                "UNKNOWN_SUPERVISOR",
                f"NIP atasan {r.supervisor_nip} tidak dikenal",
                f"Unknown supervisor NIP {r.supervisor_nip}",
            )
    if cycles:
        links = {**stored_supervisors, **{r.nip: r.supervisor_nip for r in rows}}
        for nip in _cycle_members(links, in_file):
            row = in_file[nip]
            errors.setdefault(row.line, _cycle_error(row))
    return sorted(errors.values(), key=lambda e: e.line)


def _cycle_error(row: ParsedRow) -> RowError:
    return RowError(
        row.line,
        row.nip,
        "CYCLIC_SUPERVISOR",
        "Rantai atasan membentuk siklus",
        "Supervisor chain forms a cycle",
    )


def _cycle_members(links: Mapping[str, str | None], candidates: Iterable[str]) -> set[str]:
    """Candidates that sit on a cycle of the supervisor graph ``links`` (NIP -> supervisor)."""
    wanted = set(candidates)
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    members: set[str] = set()
    for start in wanted:
        path: list[str] = []
        node: str | None = start
        while node is not None and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = links.get(node)
        if node is not None and state.get(node) == 1:
            members.update(n for n in path[path.index(node) :] if n in wanted)
        for n in path:
            state[n] = 2
    return members


def drop_dependents(
    rows: list[ParsedRow],
    bad: list[RowError],
    stored: Mapping[str, str | None] | Iterable[str],
) -> list[RowError]:
    """For a partial import: what else must be rejected once the bad rows are left out.

    Repeats until nothing changes: a row whose supervisor exists only in a rejected row is
    rejected, and so is a kept row that would close a supervisor cycle with the links that
    really result (kept rows' new links, everyone else's stored links).

    Args:
        rows: rows that passed :func:`parse_row`.
        bad: errors found so far.
        stored: stored NIPs, or NIP -> supervisor NIP when the stored links are known.
    """
    stored_links: Mapping[str, str | None] = (
        stored if isinstance(stored, Mapping) else dict.fromkeys(stored)
    )
    rejected = {e.line for e in bad}
    extra: list[RowError] = []
    changed = True
    while changed:
        changed = False
        kept = {r.nip: r for r in rows if r.line not in rejected}
        for r in kept.values():
            if (
                r.supervisor_nip is not None
                and r.supervisor_nip not in kept
                and r.supervisor_nip not in stored_links
            ):
                rejected.add(r.line)
                extra.append(
                    RowError(
                        r.line,
                        r.nip,
                        "UNKNOWN_SUPERVISOR",
                        f"Baris atasan {r.supervisor_nip} ditolak",
                        f"Supervisor {r.supervisor_nip} was rejected",
                    )
                )
                changed = True
        if changed:
            continue
        links = {**stored_links, **{nip: r.supervisor_nip for nip, r in kept.items()}}
        for nip in _cycle_members(links, kept):
            rejected.add(kept[nip].line)
            extra.append(_cycle_error(kept[nip]))
            changed = True
    return sorted(extra, key=lambda e: e.line)


@dataclass(frozen=True, slots=True)
class StoredState:
    """What the database holds that the checks need."""

    units: dict[str, tuple[int, int]]
    supervisors: dict[str, str | None]
    opds: dict[str, int]


async def _stored_state() -> StoredState:
    units = {
        r["code"]: (r["id"], r["opd"]) for r in await Unor.select(Unor.id, Unor.code, Unor.opd)
    }
    people = await Employee.select(
        Employee.nip, Employee.opd, Employee.supervisor.nip.as_alias("supervisor_nip")
    )
    return StoredState(
        units=units,
        supervisors={r["nip"]: r["supervisor_nip"] for r in people},
        opds={r["nip"]: r["opd"] for r in people},
    )


_COMPARED = (
    "name", "kind", "gender", "birth_date", "tmt_cpns", "golongan", "jabatan_kind",
    "jabatan_name", "unor", "opd", "active",
)  # fmt: skip


def _values(row: ParsedRow, units: Mapping[str, tuple[int, int]]) -> dict[str, Any]:
    unor_id, opd_id = units[row.unor_code]
    return {
        "name": row.name,
        "kind": row.kind.value,
        "gender": row.gender,
        "birth_date": row.birth_date,
        "tmt_cpns": row.tmt_cpns,
        "golongan": row.golongan,
        "jabatan_kind": row.jabatan_kind,
        "jabatan_name": row.jabatan_name,
        "unor": unor_id,
        "opd": opd_id,
        "active": True,
    }


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


async def _existing(nips: list[str]) -> dict[str, dict[str, Any]]:
    """Stored employees with these NIPs, with their supervisor's NIP."""
    columns = [Employee._meta.get_column_by_name(c) for c in _COMPARED]  # noqa: SLF001
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(nips), _CHUNK):
        for e in await Employee.select(
            Employee.id,
            Employee.nip,
            Employee.supervisor.as_alias("supervisor_id"),
            Employee.supervisor.nip.as_alias("supervisor_nip"),
            *columns,
        ).where(Employee.nip.is_in(nips[start : start + _CHUNK])):
            found[e["nip"]] = e
    return found


async def apply_rows(
    rows: list[ParsedRow],
    units: Mapping[str, tuple[int, int]],
    *,
    account_id: int | None,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Upsert ``rows`` by NIP and set supervisors, in the caller's transaction.

    With ``dry_run`` only the counts are computed. A changed supervisor counts as an update.
    """
    report = ImportReport(applied=not dry_run)
    existing = await _existing([r.nip for r in rows])
    audits: list[dict[str, Any]] = []
    to_insert: list[Employee] = []
    moved: list[tuple[dict[str, Any], ParsedRow, int]] = []  # (stored, row, new unit)
    updates: list[tuple[Any, ...]] = []  # (id, *_COMPARED values, updated_at)
    now = datetime.now(UTC)
    for row in rows:
        values = _values(row, units)
        current = existing.get(row.nip)
        if current is None:
            to_insert.append(Employee(nip=row.nip, hired_on=row.hired_on, **values))
            continue
        changed = {k: v for k, v in values.items() if current[k] != v}
        supervisor_moved = current["supervisor_nip"] != row.supervisor_nip
        if not changed and not supervisor_moved:
            report.unchanged += 1
            continue
        report.updated += 1
        if dry_run:
            continue
        moved.append((current, row, values["unor"]))  # moves.record keeps unit/supervisor moves
        if changed:  # every compared column written: the unchanged ones keep their value
            updates.append((current["id"], *(values[c] for c in _COMPARED), now))
        before = {k: current[k] for k in changed}
        after = dict(changed)
        if supervisor_moved:
            before["supervisor_nip"] = current["supervisor_nip"]
            after["supervisor_nip"] = row.supervisor_nip
        audits.append(_audit(account_id, "EMPLOYEE_UPDATED", current["id"], before, after))
    report.created = len(to_insert)
    if dry_run:
        return report
    await update_rows(
        (Employee.id,),
        [*(Employee._meta.get_column_by_name(c) for c in _COMPARED), Employee.updated_at],  # noqa: SLF001
        updates,
    )
    if progress:
        progress(len(rows) - len(to_insert))
    for start in range(0, len(to_insert), 500):
        batch = to_insert[start : start + 500]
        inserted = await Employee.insert(*batch)
        for obj, ids in zip(batch, inserted, strict=True):
            existing[obj.nip] = {"id": ids["id"], "supervisor_id": None}
            after = {"nip": obj.nip, "name": obj.name}
            audits.append(_audit(account_id, "EMPLOYEE_CREATED", ids["id"], None, after))
        if progress:
            progress(len(batch))
    await _link_supervisors(rows, existing)
    await audit.record_many(audits)
    report.moves = await moves.record(moved, existing, units, account_id=account_id)
    return report


def _audit(
    account_id: int | None,
    action: str,
    employee_id: int,
    before: dict[str, Any] | None,
    after: dict[str, Any],
) -> dict[str, Any]:
    return {
        "account_id": account_id,
        "action": action,
        "entity_type": "Employee",
        "entity_id": str(employee_id),
        "before": _jsonable(before) if before is not None else None,
        "after": _jsonable(after),
    }


async def _link_supervisors(rows: list[ParsedRow], existing: dict[str, dict[str, Any]]) -> None:
    """Set each row's supervisor: one UPDATE for all of them (per 500 rows)."""
    missing = sorted(
        {r.supervisor_nip for r in rows if r.supervisor_nip and r.supervisor_nip not in existing}
    )
    for start in range(0, len(missing), _CHUNK):
        chunk = missing[start : start + _CHUNK]
        for e in await Employee.select(Employee.id, Employee.nip).where(Employee.nip.is_in(chunk)):
            existing[e["nip"]] = {"id": e["id"], "supervisor_id": None}
    wanted: dict[int | None, list[int]] = {}
    for r in rows:
        me = existing[r.nip]
        target = existing[r.supervisor_nip]["id"] if r.supervisor_nip else None
        if me.get("supervisor_id") != target:
            wanted.setdefault(target, []).append(me["id"])
    await update_rows(
        (Employee.id,),
        (Employee.supervisor,),
        [(me, target) for target, ids in wanted.items() for me in ids],
    )


async def import_rows(
    rows: list[ParsedRow],
    parse_errors: list[RowError],
    *,
    viewer: Viewer | None,
    partial: bool,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Check references and apply (atomically) unless there are errors and not ``partial``.

    ``viewer`` None means a trusted caller (the CLI); otherwise the viewer must be an admin and
    an ADMIN_OPD may only import into, and only change employees of, their own OPDs.
    """
    allowed = policy.import_scope(viewer)
    async with transaction():
        stored = await _stored_state()
        errors = parse_errors + check_references(
            rows,
            units=stored.units,
            stored_supervisors=stored.supervisors,
            allowed_opds=allowed,
            stored_opds=stored.opds,
            cycles=not partial,
        )
        if partial:
            errors += drop_dependents(rows, errors, stored.supervisors)
        errors.sort(key=lambda e: e.line)
        if errors and not partial:
            return ImportReport(applied=False, errors=errors)
        bad = {e.line for e in errors}
        report = await apply_rows(
            [r for r in rows if r.line not in bad],
            stored.units,
            account_id=viewer.account_id if viewer else None,
            progress=progress,
            dry_run=dry_run,
        )
    report.errors = errors
    return report


async def import_csv_text(
    text: str,
    *,
    viewer: Viewer | None,
    partial: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    today: date | None = None,
) -> ImportReport:
    """Parse, validate and import a SIMPEG CSV export."""
    rows, errors = parse_csv(text, today=today)
    return await import_rows(
        rows, errors, viewer=viewer, partial=partial, dry_run=dry_run, progress=progress
    )


async def record_import_queued(
    viewer: Viewer, job_key: str, *, csv_bytes: int, partial: bool, dry_run: bool
) -> None:
    """Audit that the viewer queued an import job (each imported row is audited by the job)."""
    async with transaction():
        await audit.record(
            account_id=viewer.account_id,
            action="EMPLOYEE_IMPORT_QUEUED",
            entity_type="BackgroundJob",
            entity_id=job_key,
            after={"bytes": csv_bytes, "partial": partial, "dryRun": dry_run},
        )
