"""Employee import through the `importEmployees` GraphQL mutation (upsert by NIP).

All-or-nothing by default, `partial` keeps the good rows, `dryRun` writes nothing; every
bad row is reported with its line and a code, and changes are audited.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from portal.accounts.tables import UserAccount
from portal.core.audit import AuditEntry
from portal.core.auth import Role
from portal.core.ids import decode_global_id, encode_global_id
from portal.people.enums import Gender
from portal.people.nip import make_nip
from portal.people.services.importer import COLUMNS
from portal.people.tables import Employee
from support.api import Api, operations
from support.factories import PASSWORD, Factory

# Born 17 March 1975, CPNS January 2000, male.
HEAD = make_nip(date(1975, 3, 17), date(2000, 1, 1), Gender.LAKI_LAKI, 1)
# Born 5 January 1990, CPNS March 2015, female.
STAFF = make_nip(date(1990, 1, 5), date(2015, 3, 1), Gender.PEREMPUAN, 2)
STAFF2 = make_nip(date(1991, 7, 9), date(2016, 2, 1), Gender.LAKI_LAKI, 3)
STAFF3 = make_nip(date(1992, 8, 10), date(2017, 4, 1), Gender.PEREMPUAN, 4)
PPPK_NI = "202399991234567890"  # 18 digits, not a valid NIP
GHOST = make_nip(date(1980, 1, 1), date(2005, 1, 1), Gender.LAKI_LAKI, 9)  # nobody


def row(
    nip: str,
    *,
    nama: str | None = None,
    jenis: str = "PNS",
    golongan: str = "III/a",
    jenis_jabatan: str = "Pelaksana",
    nama_jabatan: str = "Pengadministrasi Umum",
    unor: str = "DINKES",
    atasan: str = "",
) -> list[str]:
    """One CSV record in COLUMNS order."""
    name = nama if nama is not None else f"Pegawai {nip[-4:]}"
    return [nip, name, jenis, golongan, jenis_jabatan, nama_jabatan, unor, atasan]


def csv_text(*rows: list[str], header: str = ",".join(COLUMNS)) -> str:
    out = io.StringIO()
    out.write(header + "\n")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


GOOD_FILE = csv_text(
    row(HEAD, nama="dr. Budi Santoso", golongan="IV/b", jenis_jabatan="JPT Pratama",
        nama_jabatan="Kepala Dinas Kesehatan"),
    row(STAFF, nama="Siti Aminah", golongan="III/b", unor="DINKES.PKM", atasan=HEAD,
        jenis_jabatan="Fungsional Terampil", nama_jabatan="Perawat Terampil"),
    row(PPPK_NI, nama="Rina PPPK", jenis="PPPK", golongan="IX", unor="DINKES.PKM", atasan=STAFF),
)  # fmt: skip
GOOD_NIPS = {HEAD, STAFF, PPPK_NI}


@dataclass
class Org:
    dinkes: int  # OPD ids
    bapenda: int
    dinkes_unit: int  # unit ids
    pkm_unit: int
    bapenda_unit: int


async def make_org(factory: Factory) -> Org:
    dinkes = await factory.opd("DINKES", "Dinas Kesehatan")
    bapenda = await factory.opd("BAPENDA", "Badan Pendapatan Daerah")
    dinkes_unit = await factory.unor(dinkes, code="DINKES")
    pkm_unit = await factory.unor(dinkes, code="DINKES.PKM", parent_id=dinkes_unit)
    bapenda_unit = await factory.unor(bapenda, code="BAPENDA")
    return Org(dinkes, bapenda, dinkes_unit, pkm_unit, bapenda_unit)


async def bkpsdm(api: Api, factory: Factory, username: str = "admin.bkpsdm") -> str:
    await factory.admin(username, Role.ADMIN_BKPSDM)
    return await api.login(username, PASSWORD)


async def run_import(
    api: Api, token: str, text: str, *, partial: bool = False, dry_run: bool = False
) -> dict[str, Any]:
    variables = {"input": {"csv": text, "partial": partial, "dryRun": dry_run}}
    data = await api.data("ImportEmployees", variables, token=token)
    payload: dict[str, Any] = data["importEmployees"]
    return payload


async def test_row_messages_are_indonesian_unless_english_is_asked_for(
    api: Api, factory: Factory
) -> None:
    await make_org(factory)
    token = await bkpsdm(api, factory)
    text = csv_text(row(HEAD), row(STAFF, unor="NOWHERE"), row(HEAD), row("198503172010013001"))
    variables = {"input": {"csv": text, "partial": False, "dryRun": True}}
    messages = {}
    for language in ("id", "en"):
        body = await api.raw(
            operations()["ImportEmployees"],
            variables,
            token=token,
            headers={"Accept-Language": language},
        )
        errors = body["data"]["importEmployees"]["rowErrors"]
        messages[language] = [(e["line"], e["code"], e["message"]) for e in errors]
    assert messages["id"] == [
        (3, "UNKNOWN_UNIT", "Unit kerja NOWHERE tidak dikenal"),
        (4, "DUPLICATE_NIP", "NIP sudah ada di baris 2"),
        (5, "INVALID_NIP", "NIP_GENDER: Digit jenis kelamin pada NIP (digit 15) harus 1 atau 2"),
    ]
    assert messages["en"] == [
        (3, "UNKNOWN_UNIT", "Unknown unit NOWHERE"),
        (4, "DUPLICATE_NIP", "NIP already on line 2"),
        (5, "INVALID_NIP", "NIP_GENDER: NIP gender digit (digit 15) must be 1 or 2"),
    ]
    # and a refused file (a missing column) is a user error in the asked language too
    header_only = "nip,nama\n"
    for language, expected in (("id", "Kolom tidak ada: "), ("en", "Missing column(s): ")):
        body = await api.raw(
            operations()["ImportEmployees"],
            {"input": {"csv": header_only, "partial": False, "dryRun": True}},
            token=token,
            headers={"Accept-Language": language},
        )
        (error,) = body["data"]["importEmployees"]["userErrors"]
        assert (error["code"], error["path"]) == ("INVALID_CSV", ["csv"])
        assert error["message"].startswith(expected)


def counts(payload: dict[str, Any]) -> tuple[bool, int, int, int]:
    return payload["applied"], payload["created"], payload["updated"], payload["unchanged"]


def row_errors(payload: dict[str, Any]) -> list[tuple[int, str]]:
    return [(e["line"], e["code"]) for e in payload["rowErrors"]]


async def stored() -> dict[str, dict[str, Any]]:
    """NIP -> stored employee (with the supervisor's NIP)."""
    rows = await Employee.select(
        *Employee.all_columns(), Employee.supervisor.nip.as_alias("supervisor_nip")
    )
    return {r["nip"]: r for r in rows}


async def audit_count(action: str | None = None) -> int:
    query = AuditEntry.count()
    if action is not None:
        query = query.where(AuditEntry.action == action)
    return await query


async def account_id(username: str) -> int:
    account = await UserAccount.select(UserAccount.id).where(UserAccount.username == username)
    return int(account[0]["id"])


# --- the good path -------------------------------------------------------------------------


async def test_good_file_creates_employees_with_decoded_nip_and_supervisors(
    api: Api, factory: Factory
) -> None:
    org = await make_org(factory)
    token = await bkpsdm(api, factory)

    payload = await run_import(api, token, GOOD_FILE)

    assert counts(payload) == (True, 3, 0, 0)
    assert payload["rowErrors"] == []
    assert payload["userErrors"] == []
    people = await stored()
    assert set(people) == GOOD_NIPS
    head, staff, pppk = people[HEAD], people[STAFF], people[PPPK_NI]
    assert (head["name"], head["kind"], head["golongan"]) == ("dr. Budi Santoso", "PNS", "IV/b")
    assert (head["gender"], head["birth_date"]) == ("LAKI_LAKI", date(1975, 3, 17))
    assert (head["tmt_cpns"], head["hired_on"]) == (date(2000, 1, 1), date(2000, 1, 1))
    assert (head["jabatan_kind"], head["jabatan_name"]) == ("JPT_PRATAMA", "Kepala Dinas Kesehatan")
    assert (head["unor"], head["opd"]) == (org.dinkes_unit, org.dinkes)
    assert head["supervisor_nip"] is None
    assert head["active"]
    assert (staff["gender"], staff["birth_date"]) == ("PEREMPUAN", date(1990, 1, 5))
    assert (staff["jabatan_kind"], staff["golongan"]) == ("FUNGSIONAL_TERAMPIL", "III/b")
    assert (staff["unor"], staff["opd"]) == (org.pkm_unit, org.dinkes)
    assert staff["supervisor_nip"] == HEAD
    assert (pppk["kind"], pppk["golongan"], pppk["supervisor_nip"]) == ("PPPK", "IX", STAFF)
    assert (pppk["gender"], pppk["birth_date"], pppk["tmt_cpns"]) == (None, None, None)

    # every creation is audited, attributed to the admin
    admin = await account_id("admin.bkpsdm")
    created = await AuditEntry.select().where(AuditEntry.action == "EMPLOYEE_CREATED")
    assert len(created) == 3
    assert {e["account_id"] for e in created} == {admin}
    assert {e["entity_id"] for e in created} == {str(p["id"]) for p in people.values()}


async def test_imported_employees_are_visible_through_the_api(api: Api, factory: Factory) -> None:
    org = await make_org(factory)
    token = await bkpsdm(api, factory)
    await run_import(api, token, GOOD_FILE)
    people = await stored()

    node = (
        await api.data(
            "EmployeeById", {"id": encode_global_id("Employee", people[STAFF]["id"])}, token=token
        )
    )["node"]

    assert node["name"] == "Siti Aminah"
    assert node["jabatanName"] == "Perawat Terampil"
    profile = node["profile"]
    assert profile["nip"] == STAFF
    assert profile["kind"] == "PNS"
    assert profile["gender"] == "PEREMPUAN"
    assert profile["birthDate"] == "1990-01-05"
    assert profile["tmtCpns"] == "2015-03-01"
    assert profile["golongan"] == "III/b"
    assert profile["supervisor"] == {
        "id": encode_global_id("Employee", people[HEAD]["id"]),
        "name": "dr. Budi Santoso",
    }

    directory = (
        await api.data(
            "EmployeeDirectory",
            {"first": 10, "filter": {"opdId": encode_global_id("Opd", org.dinkes)}},
            token=token,
        )
    )["employees"]
    assert directory["totalCount"] == 3
    by_nip = {e["node"]["profile"]["nip"]: e["node"] for e in directory["edges"]}
    assert set(by_nip) == GOOD_NIPS
    assert by_nip[PPPK_NI]["profile"] == {
        "id": encode_global_id("EmployeeProfile", decode_global_id(by_nip[PPPK_NI]["id"])[1]),
        "nip": PPPK_NI,
        "kind": "PPPK",
        "gender": None,
        "birthDate": None,
        "golongan": "IX",
    }
    assert by_nip[HEAD]["jabatanKind"] == "JPT_PRATAMA"
    assert by_nip[STAFF]["unor"]["name"] == by_nip[PPPK_NI]["unor"]["name"]
    assert by_nip[HEAD]["opd"]["shortName"] == "DINKES"


async def test_rows_may_name_stored_employees_as_supervisors(api: Api, factory: Factory) -> None:
    org = await make_org(factory)
    boss = await factory.employee(org.dinkes_unit, name="Kepala Stored")
    token = await bkpsdm(api, factory)

    payload = await run_import(api, token, csv_text(row(STAFF, atasan=boss.nip)))

    assert counts(payload) == (True, 1, 0, 0)
    assert (await stored())[STAFF]["supervisor"] == boss.id


async def test_an_empty_file_imports_nothing(api: Api, factory: Factory) -> None:
    await make_org(factory)
    token = await bkpsdm(api, factory)
    payload = await run_import(api, token, csv_text())
    assert counts(payload)[1:] == (0, 0, 0)
    assert payload["rowErrors"] == []
    assert await Employee.count() == 0


# --- all or nothing ------------------------------------------------------------------------


async def test_any_bad_row_rejects_the_whole_file_and_reports_every_bad_row(
    api: Api, factory: Factory
) -> None:
    org = await make_org(factory)
    existing = await factory.employee(org.dinkes_unit, name="Sudah Ada")
    token = await bkpsdm(api, factory)
    before = (await Employee.count(), await audit_count(), await stored())
    text = csv_text(
        row(HEAD),  # 2 good
        row(existing.nip, nama="Nama Baru"),  # 3 good (an update)
        row("19850230201001100"),  # 4 bad NIP (17 digits)
        row(STAFF, unor="NOWHERE"),  # 5 unknown unit
        row(STAFF2, atasan=GHOST),  # 6 unknown supervisor
        row(HEAD),  # 7 duplicate of line 2
        row(STAFF3, atasan=STAFF3),  # 8 supervises themself
        row(PPPK_NI, jenis="PPPK", golongan="XX"),  # 9 bad PPPK golongan
        row("198503172010013001"),  # 10 bad gender digit
    )

    payload = await run_import(api, token, text)

    assert counts(payload) == (False, 0, 0, 0)
    assert payload["userErrors"] == []
    assert row_errors(payload) == [
        (4, "INVALID_NIP"),
        (5, "UNKNOWN_UNIT"),
        (6, "UNKNOWN_SUPERVISOR"),
        (7, "DUPLICATE_NIP"),
        (8, "CYCLIC_SUPERVISOR"),
        (9, "INVALID_VALUE"),
        (10, "INVALID_NIP"),
    ]
    by_line = {e["line"]: e for e in payload["rowErrors"]}
    assert by_line[5]["nip"] == STAFF
    assert "baris 2" in by_line[7]["message"]  # Indonesian unless Accept-Language asks for en
    assert all(e["message"] for e in payload["rowErrors"])
    # atomic: nothing written, not even the good rows
    assert (await Employee.count(), await audit_count(), await stored()) == before


async def test_a_cycle_with_stored_employees_rejects_the_file(api: Api, factory: Factory) -> None:
    await make_org(factory)
    token = await bkpsdm(api, factory)
    await run_import(api, token, csv_text(row(HEAD), row(STAFF, atasan=HEAD)))
    before = await stored()

    # HEAD would report to STAFF, who (stored) reports to HEAD
    payload = await run_import(api, token, csv_text(row(STAFF3), row(HEAD, atasan=STAFF)))

    assert counts(payload) == (False, 0, 0, 0)
    assert row_errors(payload) == [(3, "CYCLIC_SUPERVISOR")]
    assert await stored() == before


async def test_a_file_may_reverse_a_stored_supervisor_link(api: Api, factory: Factory) -> None:
    await make_org(factory)
    token = await bkpsdm(api, factory)
    await run_import(api, token, csv_text(row(HEAD), row(STAFF, atasan=HEAD)))

    payload = await run_import(api, token, csv_text(row(HEAD, atasan=STAFF), row(STAFF)))

    assert payload["rowErrors"] == []
    assert payload["applied"]
    people = await stored()
    assert (people[HEAD]["supervisor_nip"], people[STAFF]["supervisor_nip"]) == (STAFF, None)


# --- partial -------------------------------------------------------------------------------


async def test_partial_import_writes_only_the_good_rows(api: Api, factory: Factory) -> None:
    await make_org(factory)
    token = await bkpsdm(api, factory)
    text = csv_text(
        row(HEAD),  # 2 good
        row(STAFF, atasan=HEAD, unor="NOWHERE"),  # 3 unknown unit
        row(STAFF2, atasan=STAFF),  # 4 under a rejected row
        row(STAFF3, atasan=STAFF2),  # 5 under a row under a rejected row
        row("123"),  # 6 bad NIP
        row(PPPK_NI, jenis="PPPK", golongan="", atasan=HEAD),  # 7 good
    )

    payload = await run_import(api, token, text, partial=True)

    assert counts(payload) == (True, 2, 0, 0)
    assert row_errors(payload) == [
        (3, "UNKNOWN_UNIT"),
        (4, "UNKNOWN_SUPERVISOR"),
        (5, "UNKNOWN_SUPERVISOR"),
        (6, "INVALID_NIP"),
    ]
    people = await stored()
    assert set(people) == {HEAD, PPPK_NI}
    assert people[PPPK_NI]["supervisor_nip"] == HEAD
    assert await audit_count("EMPLOYEE_CREATED") == 2


async def test_partial_import_of_a_good_file_is_a_normal_import(api: Api, factory: Factory) -> None:
    await make_org(factory)
    token = await bkpsdm(api, factory)
    payload = await run_import(api, token, GOOD_FILE, partial=True)
    assert counts(payload) == (True, 3, 0, 0)
    assert payload["rowErrors"] == []


# --- upsert and audit ----------------------------------------------------------------------


async def test_reimporting_the_same_file_changes_nothing(api: Api, factory: Factory) -> None:
    await make_org(factory)
    token = await bkpsdm(api, factory)
    await run_import(api, token, GOOD_FILE)
    before = (await stored(), await audit_count())

    payload = await run_import(api, token, GOOD_FILE)

    assert counts(payload) == (True, 0, 0, 3)
    assert payload["rowErrors"] == []
    assert await audit_count("EMPLOYEE_UPDATED") == 0
    assert (await stored(), await audit_count()) == before  # not even updated_at moved


async def test_changing_one_jabatan_updates_that_employee_with_an_audit_entry(
    api: Api, factory: Factory
) -> None:
    await make_org(factory)
    token = await bkpsdm(api, factory)
    await run_import(api, token, GOOD_FILE)
    before = await stored()
    changed = GOOD_FILE.replace("Perawat Terampil", "Perawat Mahir").replace(
        "Fungsional Terampil", "Fungsional Mahir"
    )

    payload = await run_import(api, token, changed)

    assert counts(payload) == (True, 0, 1, 2)
    after = await stored()
    assert after[STAFF]["jabatan_name"] == "Perawat Mahir"
    assert after[STAFF]["jabatan_kind"] == "FUNGSIONAL_MAHIR"
    assert after[STAFF]["id"] == before[STAFF]["id"]
    assert after[STAFF]["updated_at"] > before[STAFF]["updated_at"]
    assert after[HEAD] == before[HEAD]
    entries = (
        await AuditEntry.select()
        .where(AuditEntry.action == "EMPLOYEE_UPDATED")
        .output(load_json=True)
    )
    assert len(entries) == 1
    (entry,) = entries
    assert entry["entity_type"] == "Employee"
    assert entry["entity_id"] == str(before[STAFF]["id"])
    assert entry["account_id"] == await account_id("admin.bkpsdm")
    assert entry["before"] == {
        "jabatan_kind": "FUNGSIONAL_TERAMPIL",
        "jabatan_name": "Perawat Terampil",
    }
    assert entry["after"] == {"jabatan_kind": "FUNGSIONAL_MAHIR", "jabatan_name": "Perawat Mahir"}


async def test_moving_an_employee_to_another_opd_updates_the_denormalised_opd(
    api: Api, factory: Factory
) -> None:
    org = await make_org(factory)
    token = await bkpsdm(api, factory)
    await run_import(api, token, csv_text(row(STAFF)))

    payload = await run_import(api, token, csv_text(row(STAFF, unor="BAPENDA")))

    assert counts(payload) == (True, 0, 1, 0)
    staff = (await stored())[STAFF]
    assert (staff["unor"], staff["opd"]) == (org.bapenda_unit, org.bapenda)
    (entry,) = (
        await AuditEntry.select()
        .where(AuditEntry.action == "EMPLOYEE_UPDATED")
        .output(load_json=True)
    )
    assert entry["before"] == {"unor": org.dinkes_unit, "opd": org.dinkes}
    assert entry["after"] == {"unor": org.bapenda_unit, "opd": org.bapenda}


async def test_import_corrects_a_stored_employee_from_the_nip(api: Api, factory: Factory) -> None:
    org = await make_org(factory)
    person = await factory.employee(org.dinkes_unit, name="Pegawai Lama")
    token = await bkpsdm(api, factory)

    payload = await run_import(api, token, csv_text(row(person.nip, nama="Pegawai Lama")))

    assert counts(payload) == (True, 0, 1, 0)
    employee = (await stored())[person.nip]
    # the factory stored a placeholder birth date and no TMT; the import decodes the NIP
    assert employee["birth_date"] == date(int(person.nip[:4]), int(person.nip[4:6]),
                                          int(person.nip[6:8]))  # fmt: skip
    assert employee["tmt_cpns"] == date(2010, 3, 1)


async def test_many_rows_cross_the_chunk_and_batch_sizes(api: Api, factory: Factory) -> None:
    await make_org(factory)
    token = await bkpsdm(api, factory)
    nips = [
        make_nip(date(1970, 1, 1) + timedelta(days=i), date(2000, 1, 1), Gender.PEREMPUAN, 1)
        for i in range(1100)
    ]
    text = csv_text(row(nips[0]), *(row(n, atasan=nips[0], unor="DINKES.PKM") for n in nips[1:]))

    first = await run_import(api, token, text)
    again = await run_import(api, token, text)

    assert counts(first) == (True, 1100, 0, 0)
    assert counts(again) == (True, 0, 0, 1100)
    people = await stored()
    assert len(people) == 1100
    assert {p["supervisor_nip"] for n, p in people.items() if n != nips[0]} == {nips[0]}
    assert await audit_count("EMPLOYEE_CREATED") == 1100


# --- dry run -------------------------------------------------------------------------------


async def test_dry_run_writes_nothing(api: Api, factory: Factory) -> None:
    await make_org(factory)
    token = await bkpsdm(api, factory)
    audits = await audit_count()  # logging in is audited

    payload = await run_import(api, token, GOOD_FILE, dry_run=True)

    assert payload["applied"] is False
    assert payload["rowErrors"] == []
    assert await Employee.count() == 0
    assert await audit_count() == audits


async def test_dry_run_reports_bad_rows_and_writes_nothing_even_when_partial(
    api: Api, factory: Factory
) -> None:
    await make_org(factory)
    token = await bkpsdm(api, factory)
    text = csv_text(row(HEAD), row(STAFF, unor="NOWHERE"), row(STAFF2, atasan=STAFF))

    payload = await run_import(api, token, text, dry_run=True, partial=True)

    assert payload["applied"] is False
    assert row_errors(payload) == [(3, "UNKNOWN_UNIT"), (4, "UNKNOWN_SUPERVISOR")]
    assert await Employee.count() == 0


async def test_dry_run_reports_what_it_would_do(api: Api, factory: Factory) -> None:
    await make_org(factory)
    token = await bkpsdm(api, factory)
    await run_import(api, token, csv_text(row(HEAD)))
    text = GOOD_FILE.replace("dr. Budi Santoso", "Budi")

    payload = await run_import(api, token, text, dry_run=True)

    assert counts(payload) == (False, 2, 1, 0)


# --- who may import -------------------------------------------------------------------------


async def test_admin_opd_imports_into_their_own_opd(api: Api, factory: Factory) -> None:
    org = await make_org(factory)
    await factory.admin("admin.dinkes", Role.ADMIN_OPD, org.dinkes)
    token = await api.login("admin.dinkes", PASSWORD)

    payload = await run_import(api, token, GOOD_FILE)

    assert counts(payload) == (True, 3, 0, 0)
    assert {p["opd"] for p in (await stored()).values()} == {org.dinkes}


async def test_admin_opd_cannot_import_into_another_opds_unit(api: Api, factory: Factory) -> None:
    org = await make_org(factory)
    await factory.admin("admin.dinkes", Role.ADMIN_OPD, org.dinkes)
    token = await api.login("admin.dinkes", PASSWORD)
    text = csv_text(row(HEAD), row(STAFF, unor="BAPENDA"), row(STAFF2, unor="DINKES.PKM"))

    payload = await run_import(api, token, text)

    assert counts(payload) == (False, 0, 0, 0)
    assert row_errors(payload) == [(3, "UNIT_OUT_OF_SCOPE")]
    assert payload["rowErrors"][0]["nip"] == STAFF
    assert await Employee.count() == 0

    partial = await run_import(api, token, text, partial=True)

    assert counts(partial) == (True, 2, 0, 0)
    assert row_errors(partial) == [(3, "UNIT_OUT_OF_SCOPE")]
    assert set(await stored()) == {HEAD, STAFF2}


async def test_pegawai_is_forbidden_and_nothing_is_written(api: Api, factory: Factory) -> None:
    org = await make_org(factory)
    person = await factory.employee(org.dinkes_unit)
    token = await api.login(person.username, PASSWORD)
    before = (await Employee.count(), await audit_count())

    body = await api.op(
        "ImportEmployees", {"input": {"csv": GOOD_FILE, "partial": True}}, token=token
    )

    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert body["errors"][0]["path"] == ["importEmployees"]
    assert (await Employee.count(), await audit_count()) == before


async def test_pengelola_sosialisasi_is_forbidden(api: Api, factory: Factory) -> None:
    await make_org(factory)
    await factory.admin("sosialisasi", Role.PENGELOLA_SOSIALISASI)
    token = await api.login("sosialisasi", PASSWORD)
    body = await api.op("ImportEmployees", {"input": {"csv": GOOD_FILE}}, token=token)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await Employee.count() == 0


async def test_anonymous_import_is_unauthenticated(api: Api, factory: Factory) -> None:
    await make_org(factory)
    body = await api.op("ImportEmployees", {"input": {"csv": GOOD_FILE}})
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await Employee.count() == 0


# --- malformed input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        csv_text(row(HEAD), header=",".join(c for c in COLUMNS if c != "kode_unor")),
        "",
        "nip;nama;jenis_pegawai;golongan;jenis_jabatan;nama_jabatan;kode_unor;nip_atasan\n",
    ],
    ids=["missing column", "empty", "semicolons"],
)
async def test_malformed_csv_is_a_user_error(api: Api, factory: Factory, text: str) -> None:
    await make_org(factory)
    token = await bkpsdm(api, factory)

    payload = await run_import(api, token, text)

    assert counts(payload) == (False, 0, 0, 0)
    assert payload["rowErrors"] == []
    assert [e["code"] for e in payload["userErrors"]] == ["INVALID_CSV"]
    assert payload["userErrors"][0]["message"]
    assert await Employee.count() == 0


async def test_bom_and_sloppy_header_are_accepted(api: Api, factory: Factory) -> None:
    await make_org(factory)
    token = await bkpsdm(api, factory)
    header = ",".join(f" {c.upper()} " for c in COLUMNS)
    text = "\ufeff" + GOOD_FILE.replace(",".join(COLUMNS), header, 1)

    payload = await run_import(api, token, text)

    assert counts(payload) == (True, 3, 0, 0)


async def test_a_row_with_too_many_cells_is_reported(api: Api, factory: Factory) -> None:
    await make_org(factory)
    token = await bkpsdm(api, factory)
    payload = await run_import(api, token, csv_text(row(HEAD), [*row(STAFF), "extra"]))
    assert counts(payload) == (False, 0, 0, 0)
    assert row_errors(payload) == [(3, "INVALID_CSV")]


# --- known bugs ----------------------------------------------------------------------------


async def test_changing_only_the_supervisor_is_an_audited_update(
    api: Api, factory: Factory
) -> None:
    await make_org(factory)
    token = await bkpsdm(api, factory)
    await run_import(api, token, csv_text(row(HEAD), row(STAFF2), row(STAFF, atasan=HEAD)))

    payload = await run_import(
        api, token, csv_text(row(HEAD), row(STAFF2), row(STAFF, atasan=STAFF2))
    )

    assert (await stored())[STAFF]["supervisor_nip"] == STAFF2  # the write does happen
    assert counts(payload) == (True, 0, 1, 2)
    assert await audit_count("EMPLOYEE_UPDATED") == 1


async def test_partial_import_never_stores_a_supervisor_cycle(api: Api, factory: Factory) -> None:
    await make_org(factory)
    token = await bkpsdm(api, factory)
    # stored: HEAD reports to STAFF
    await run_import(api, token, csv_text(row(STAFF), row(HEAD, atasan=STAFF)))

    # HEAD's row is rejected (unknown supervisor); STAFF's row makes STAFF report to HEAD
    payload = await run_import(
        api, token, csv_text(row(HEAD, atasan=GHOST), row(STAFF, atasan=HEAD)), partial=True
    )

    people = await stored()
    links = {nip: p["supervisor_nip"] for nip, p in people.items()}
    assert not (links[HEAD] == STAFF and links[STAFF] == HEAD), (payload, links)


async def test_admin_opd_cannot_take_over_another_opds_employee(api: Api, factory: Factory) -> None:
    org = await make_org(factory)
    other = await factory.employee(org.bapenda_unit, name="Pegawai Bapenda")
    await factory.admin("admin.dinkes", Role.ADMIN_OPD, org.dinkes)
    token = await api.login("admin.dinkes", PASSWORD)

    payload = await run_import(api, token, csv_text(row(other.nip, nama="Diambil Alih")))

    employee = (await stored())[other.nip]
    assert (employee["name"], employee["opd"]) == ("Pegawai Bapenda", org.bapenda), payload
    assert row_errors(payload) == [(2, "UNIT_OUT_OF_SCOPE")]
