"""The SIMPEG import records a changed unit or supervisor as a detected mutasi."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from portal.core.audit import AuditEntry
from portal.core.auth import Role
from portal.people.enums import Gender
from portal.people.nip import make_nip
from portal.people.services.importer import COLUMNS
from support.api import Api
from support.factories import PASSWORD, Factory

HEAD = make_nip(date(1975, 3, 17), date(2000, 1, 1), Gender.LAKI_LAKI, 1)
STAFF = make_nip(date(1990, 1, 5), date(2015, 3, 1), Gender.PEREMPUAN, 2)
STAFF2 = make_nip(date(1991, 7, 9), date(2016, 2, 1), Gender.LAKI_LAKI, 3)


def row(nip: str, *, nama: str = "Pegawai", unor: str = "DINKES", atasan: str = "",
        golongan: str = "III/a", jenis_jabatan: str = "Pelaksana",
        nama_jabatan: str = "Pengadministrasi Umum") -> list[str]:  # fmt: skip
    return [nip, nama, "PNS", golongan, jenis_jabatan, nama_jabatan, unor, atasan]


def csv_text(*rows: list[str]) -> str:
    out = io.StringIO()
    out.write(",".join(COLUMNS) + "\n")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


async def run_import(api: Api, token: str, text: str) -> dict[str, Any]:
    data = await api.data("ImportEmployees", {"input": {"csv": text}}, token=token)
    payload: dict[str, Any] = data["importEmployees"]
    return payload


async def test_a_new_unit_or_supervisor_is_recorded_not_silently_moved(
    api: Api, factory: Factory
) -> None:
    # given HEAD, STAFF (at the puskesmas under HEAD) and STAFF2 imported
    dinkes = await factory.opd("DINKES", "Dinas Kesehatan")
    bapenda = await factory.opd("BAPENDA", "Badan Pendapatan Daerah")
    dinkes_unit = await factory.unor(dinkes, code="DINKES")
    await factory.unor(dinkes, code="DINKES.PKM", parent_id=dinkes_unit)
    await factory.unor(bapenda, code="BAPENDA")
    await factory.admin("admin.bkpsdm", Role.ADMIN_BKPSDM)
    token = await api.login("admin.bkpsdm", PASSWORD)
    first = csv_text(
        row(
            HEAD,
            nama="Kepala",
            golongan="IV/b",
            jenis_jabatan="JPT Pratama",
            nama_jabatan="Kepala Dinas",
        ),
        row(STAFF, nama="Siti Aminah", unor="DINKES.PKM", atasan=HEAD),
        row(STAFF2, nama="Budi", unor="DINKES", atasan=HEAD),
    )
    assert (await run_import(api, token, first))["mutasiDetected"] == 0

    # when the next export moves STAFF to Bapenda under STAFF2, and renames HEAD only
    second = csv_text(
        row(HEAD, nama="dr. Kepala", golongan="IV/b", jenis_jabatan="JPT Pratama",
            nama_jabatan="Kepala Dinas"),
        row(STAFF, nama="Siti Aminah", unor="BAPENDA", atasan=STAFF2),
        row(STAFF2, nama="Budi", unor="DINKES", atasan=HEAD),
    )  # fmt: skip
    payload = await run_import(api, token, second)

    # then one mutasi is detected (a rename is no mutasi), audited
    assert payload["mutasiDetected"] == 1
    assert await AuditEntry.count().where(AuditEntry.action == "MUTASI_DETECTED") == 1
    data = await api.data("DetectedMutasi", {"first": 10}, token=token)
    (edge,) = data["detectedMutasi"]["edges"]
    move = edge["node"]
    assert move["employee"]["name"] == "Siti Aminah"
    assert (move["oldUnit"]["code"], move["newUnit"]["code"]) == ("DINKES.PKM", "BAPENDA")
    assert move["newSupervisor"]["name"] == "Budi"
    assert move["oldSupervisor"]["name"] != "Budi"
    assert move["status"] == "DETECTED"
    # the admins of both OPDs see it, an admin of a third OPD does not
    for code, seen in (("DINKES", 1), ("BAPENDA", 1)):
        opd = dinkes if code == "DINKES" else bapenda
        await factory.admin(f"admin.{code.lower()}", Role.ADMIN_OPD, opd)
        admin = await api.login(f"admin.{code.lower()}", PASSWORD)
        listed = await api.data("DetectedMutasi", {"first": 10}, token=admin)
        assert listed["detectedMutasi"]["totalCount"] == seen, code
    other = await factory.opd("DISHUB", "Dinas Perhubungan")
    await factory.admin("admin.dishub", Role.ADMIN_OPD, other)
    outsider = await api.login("admin.dishub", PASSWORD)
    listed = await api.data("DetectedMutasi", {"first": 10}, token=outsider)
    assert listed["detectedMutasi"]["totalCount"] == 0
