"""Unit tests for portal.people.demo_org: the deterministic Tangerang Selatan demo org."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date

import pytest

from portal.people.demo_org import (
    DEFAULT_TODAY,
    DEMO_PASSWORD,
    DemoEmployee,
    DemoOrg,
    build_org,
    demo_logins,
)
from portal.people.enums import EmployeeKind, Gender, JabatanKind
from portal.people.nip import parse_nip

TODAY = date(2026, 11, 27)

REQUIRED_OPD_NAMES = frozenset(
    {
        "Sekretariat Daerah",
        "Inspektorat",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "Badan Pendapatan Daerah",
        "Badan Perencanaan Pembangunan Daerah",
        "Dinas Kesehatan",
        "Dinas Pendidikan dan Kebudayaan",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        "Satuan Polisi Pamong Praja",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "Dinas Perhubungan",
        "Dinas Lingkungan Hidup",
        "Dinas Sosial",
        "RSUD Kota Tangerang Selatan",
    },
)
KECAMATAN = (
    "Serpong",
    "Serpong Utara",
    "Ciputat",
    "Ciputat Timur",
    "Pamulang",
    "Pondok Aren",
    "Setu",
)


@pytest.fixture(scope="module")
def org() -> DemoOrg:
    return build_org(600, seed=7, today=TODAY)


def supervisor_chain_root(employee: DemoEmployee, by_nip: dict[str, DemoEmployee]) -> str:
    """Follow supervisors to the top, failing on a cycle; return the root's NIP."""
    seen = {employee.nip}
    current = employee
    while current.supervisor_nip is not None:
        current = by_nip[current.supervisor_nip]
        assert current.nip not in seen, f"supervisor cycle through {current.nip}"
        seen.add(current.nip)
    return current.nip


def sekda(org: DemoOrg) -> DemoEmployee:
    return next(e for e in org.employees if e.supervisor_nip is None)


# --- determinism and defaults ---------------------------------------------------------------


def test_given_same_arguments_when_built_twice_then_orgs_are_equal() -> None:
    assert build_org(300, seed=11) == build_org(300, seed=11)


def test_given_different_seeds_when_built_then_employees_differ() -> None:
    first, second = build_org(300, seed=1), build_org(300, seed=2)
    assert first.unors == second.unors
    assert first.employees != second.employees


def test_given_no_today_when_built_then_fixed_reference_date_is_used() -> None:
    assert DEFAULT_TODAY == TODAY
    assert build_org(200) == build_org(200, seed=7, today=TODAY)


def test_demo_password_is_the_documented_one() -> None:
    assert DEMO_PASSWORD == "Tangsel#2026"


# --- sizes ----------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [600, 5000])
def test_given_target_size_when_built_then_employee_count_is_within_five_percent(n: int) -> None:
    count = len(build_org(n).employees)
    assert abs(count - n) <= 0.05 * n


def test_given_tiny_target_when_built_then_every_opd_still_has_its_head() -> None:
    tiny = build_org(60)
    opd_of = {unor.code: unor.opd_code for unor in tiny.unors}
    roots = {unor.opd_code: unor.code for unor in tiny.unors if unor.parent_code is None}
    heads_by_opd = {
        opd_of[e.unor_code]
        for e in tiny.employees
        if e.unor_code == roots[opd_of[e.unor_code]]
        and (e.jabatan_kind.is_jpt or e.jabatan_name.startswith("Camat"))
    }
    assert heads_by_opd == {opd.code for opd in tiny.opds}
    assert len(tiny.employees) >= 60


def test_given_twenty_thousand_employees_when_built_then_it_is_fast() -> None:
    start = time.perf_counter()
    big = build_org(20_000, seed=3)
    elapsed = time.perf_counter() - start
    assert abs(len(big.employees) - 20_000) <= 1_000
    assert elapsed < 3.0


def test_given_default_org_when_built_then_about_forty_percent_are_pppk(org: DemoOrg) -> None:
    share = sum(e.kind is EmployeeKind.PPPK for e in org.employees) / len(org.employees)
    assert 0.30 <= share <= 0.50


def test_given_default_org_when_built_then_service_opds_are_largest(org: DemoOrg) -> None:
    opd_of = {unor.code: unor.opd_code for unor in org.unors}
    sizes = Counter(opd_of[e.unor_code] for e in org.employees)
    kecamatan = sum(size for code, size in sizes.items() if code.startswith("KEC_"))
    assert sizes["DINDIKBUD"] > sizes["BAPPEDA"]
    assert sizes["DINKES"] > sizes["INSPEKTORAT"]
    assert kecamatan > sizes["KESBANGPOL"] * 5


# --- identifiers ----------------------------------------------------------------------------


def test_every_pns_nip_parses_and_encodes_gender_and_tmt(org: DemoOrg) -> None:
    for employee in org.employees:
        if employee.kind is not EmployeeKind.PNS:
            continue
        info = parse_nip(employee.nip, today=TODAY)
        assert info.gender is employee.gender
        assert info.tmt_cpns == employee.hired_on
        assert 1966 <= info.birth_date.year <= 2001
        age_at_tmt = info.tmt_cpns.year - info.birth_date.year
        assert 22 <= age_at_tmt <= 35
        assert employee.golongan is not None


def test_pppk_have_eighteen_digit_ni_no_golongan_and_recent_hire_date(org: DemoOrg) -> None:
    pppk = [e for e in org.employees if e.kind is EmployeeKind.PPPK]
    assert pppk
    for employee in pppk:
        assert len(employee.nip) == 18
        assert employee.nip.isascii()
        assert employee.nip.isdigit()
        assert employee.golongan is None
        assert date(2019, 1, 1) <= employee.hired_on <= date(2025, 12, 31)


def test_identifiers_are_unique() -> None:
    big = build_org(5000, seed=5)
    assert len({opd.code for opd in big.opds}) == len(big.opds)
    assert len({unor.code for unor in big.unors}) == len(big.unors)
    assert len({e.nip for e in big.employees}) == len(big.employees)


def test_heads_are_pns_with_plausible_golongan(org: DemoOrg) -> None:
    for employee in org.employees:
        if employee.jabatan_kind.is_jpt:
            assert employee.kind is EmployeeKind.PNS
            assert employee.golongan is not None
            assert employee.golongan.value in {"IV/c", "IV/d"}
        elif employee.jabatan_kind is JabatanKind.ADMINISTRATOR:
            assert employee.golongan is not None
            assert employee.golongan.value in {"IV/a", "IV/b"}


def test_titles_and_gender_fit_the_jabatan(org: DemoOrg) -> None:
    for employee in org.employees:
        if employee.jabatan_name.startswith("Dokter Ahli"):
            assert employee.name.startswith("dr. ")
        if employee.jabatan_name.startswith("Bidan"):
            assert employee.gender is Gender.PEREMPUAN


# --- units ----------------------------------------------------------------------------------


def test_unors_are_ordered_parent_first_within_one_opd(org: DemoOrg) -> None:
    opd_codes = {opd.code for opd in org.opds}
    seen: dict[str, str] = {}
    for unor in org.unors:
        assert unor.opd_code in opd_codes
        if unor.parent_code is not None:
            assert unor.parent_code in seen, f"{unor.code} comes before its parent"
            assert seen[unor.parent_code] == unor.opd_code
        seen[unor.code] = unor.opd_code


def test_every_opd_has_exactly_one_root_unit(org: DemoOrg) -> None:
    roots = Counter(unor.opd_code for unor in org.unors if unor.parent_code is None)
    assert roots == Counter({opd.code: 1 for opd in org.opds})


def test_every_employee_works_in_an_existing_unit(org: DemoOrg) -> None:
    codes = {unor.code for unor in org.unors}
    assert all(e.unor_code in codes for e in org.employees)


def test_required_opds_and_the_seven_kecamatan_are_present(org: DemoOrg) -> None:
    names = {opd.name for opd in org.opds}
    assert names >= REQUIRED_OPD_NAMES
    assert names >= {f"Kecamatan {name}" for name in KECAMATAN}


def test_units_include_puskesmas_and_real_kelurahan(org: DemoOrg) -> None:
    unit_names = {unor.name for unor in org.unors}
    for puskesmas in ("Pamulang", "Ciputat", "Serpong 1", "Pondok Aren", "Setu", "Pondok Ranji"):
        assert f"Puskesmas {puskesmas}" in unit_names
    for kelurahan in ("Pamulang Barat", "Pondok Cabe Ilir", "Rempoa", "Jelupang", "Kademangan"):
        assert f"Kelurahan {kelurahan}" in unit_names
    by_code = {unor.code: unor for unor in org.unors}
    assert by_code["DINKES.PKM.PAMULANG"].parent_code == "DINKES"
    assert by_code["DINKES.SEKRET.UMPEG"].parent_code == "DINKES.SEKRET"


# --- supervisor graph -----------------------------------------------------------------------


def test_employees_are_ordered_supervisor_first(org: DemoOrg) -> None:
    seen: set[str] = set()
    for employee in org.employees:
        if employee.supervisor_nip is not None:
            assert employee.supervisor_nip in seen, f"{employee.nip} precedes its supervisor"
        seen.add(employee.nip)


def test_supervisor_graph_is_a_tree_rooted_at_the_sekda(org: DemoOrg) -> None:
    roots = [e for e in org.employees if e.supervisor_nip is None]
    assert len(roots) == 1
    root = roots[0]
    assert root.jabatan_kind is JabatanKind.JPT_MADYA
    assert root.jabatan_name == "Sekretaris Daerah"
    assert root.unor_code == "SETDA"
    by_nip = {e.nip: e for e in org.employees}
    assert all(supervisor_chain_root(e, by_nip) == root.nip for e in org.employees)


def test_opd_heads_report_to_the_sekda(org: DemoOrg) -> None:
    roots = {unor.code for unor in org.unors if unor.parent_code is None}
    top = sekda(org)
    heads = [e for e in org.employees if e.unor_code in roots and e is not top]
    camat = [e for e in heads if e.jabatan_name.startswith("Camat")]
    assert len(camat) == len(KECAMATAN)
    for head in heads:
        if head.jabatan_kind.is_jpt or head in camat:
            assert head.supervisor_nip == top.nip
    assert all(c.jabatan_kind is JabatanKind.ADMINISTRATOR for c in camat)


def test_staff_report_to_the_nearest_head_up_the_tree() -> None:
    org = build_org(5000, seed=9)
    parent = {unor.code: unor.parent_code for unor in org.unors}
    by_nip = {e.nip: e for e in org.employees}
    for employee in org.employees:
        if employee.supervisor_nip is None:
            continue
        boss_unit = by_nip[employee.supervisor_nip].unor_code
        ancestors: list[str] = []
        current = parent[employee.unor_code]
        while current is not None:
            ancestors.append(current)
            current = parent[current]
        assert boss_unit == employee.unor_code or boss_unit in ancestors or boss_unit == "SETDA"


# --- demo logins ----------------------------------------------------------------------------


@pytest.mark.parametrize("n", [60, 600])
def test_demo_logins_reference_existing_employees_and_roles(n: int) -> None:
    built = build_org(n)
    logins = {login.username: login for login in demo_logins(built)}
    assert set(logins) == {"pegawai", "atasan", "admin.opd", "admin.bkpsdm", "sosialisasi"}
    by_nip = {e.nip: e for e in built.employees}
    for login in logins.values():
        assert login.description
        if login.employee_nip is not None:
            assert login.employee_nip in by_nip

    pegawai = by_nip[logins["pegawai"].employee_nip or ""]
    assert logins["pegawai"].role == "PEGAWAI"
    assert pegawai.kind is EmployeeKind.PNS
    assert pegawai.unor_code == "DINKES.PKM.PAMULANG"
    assert logins["atasan"].role == "ATASAN"
    assert logins["atasan"].employee_nip == pegawai.supervisor_nip
    assert logins["admin.opd"].role == "ADMIN_OPD"
    assert logins["admin.opd"].opd_code == "DINKES"
    assert logins["admin.opd"].employee_nip is None
    assert logins["admin.bkpsdm"].role == "ADMIN_BKPSDM"
    assert logins["admin.bkpsdm"].employee_nip is None
    assert logins["admin.bkpsdm"].opd_code is None
    sosialisasi = logins["sosialisasi"]
    assert sosialisasi.role == "PENGELOLA_SOSIALISASI"
    assert sosialisasi.opd_code is None
    opd_of = {unor.code: unor.opd_code for unor in built.unors}
    assert opd_of[by_nip[sosialisasi.employee_nip or ""].unor_code] == "BKPSDM"


def test_demo_logins_are_deterministic_and_describe_the_person(org: DemoOrg) -> None:
    logins = demo_logins(org)
    assert logins == demo_logins(build_org(600, seed=7, today=TODAY))
    by_nip = {e.nip: e for e in org.employees}
    for login in logins:
        if login.employee_nip is not None:
            employee = by_nip[login.employee_nip]
            assert employee.name in login.description
            assert employee.jabatan_name in login.description


@pytest.mark.parametrize("n", [600, 5000])
def test_teachers_and_puskesmas_staff_are_rated_by_the_head_of_their_own_unit(n: int) -> None:
    built = build_org(n)
    by_nip = {e.nip: e for e in built.employees}
    kinds = {unor.code: unor.name for unor in built.unors}
    for employee in built.employees:
        in_school = kinds[employee.unor_code].startswith(("SD Negeri", "SMP Negeri"))
        in_puskesmas = kinds[employee.unor_code].startswith("Puskesmas")
        if not (in_school or in_puskesmas) or employee.supervisor_nip is None:
            continue
        boss = by_nip[employee.supervisor_nip]
        if boss.unor_code == employee.unor_code:
            continue
        # only the head of the unit itself reports upwards
        assert employee.jabatan_name.startswith(("Kepala", "Kepala UPTD")), employee


def test_the_pegawai_login_is_a_fungsional_nurse_rated_by_the_kepala_puskesmas(
    org: DemoOrg,
) -> None:
    logins = {login.username: login for login in demo_logins(org)}
    by_nip = {e.nip: e for e in org.employees}
    pegawai = by_nip[logins["pegawai"].employee_nip or ""]
    assert pegawai.jabatan_kind.value.startswith("FUNGSIONAL")
    assert pegawai.jabatan_name.startswith("Perawat")
    assert by_nip[pegawai.supervisor_nip or ""].jabatan_name.startswith("Kepala UPTD Puskesmas")


@pytest.mark.parametrize("n", [600, 13_000])
def test_puskesmas_pamulang_has_a_full_team_and_never_dwarfs_the_others(n: int) -> None:
    # the atasan login's puskesmas is staffed for the default demo; in the city-sized one every
    # puskesmas has a full team and Pamulang is one of them, not ten times any other
    org = build_org(n)
    names = {u.code: u.name for u in org.unors}
    staff = Counter(e.unor_code for e in org.employees)
    sizes = {names[code]: count for code, count in staff.items() if "Puskesmas" in names[code]}
    others = sorted(count for name, count in sizes.items() if name != "Puskesmas Pamulang")
    median = others[len(others) // 2]
    assert 30 <= sizes["Puskesmas Pamulang"] <= 100
    if n > 600:
        assert median >= 30
        assert sizes["Puskesmas Pamulang"] <= 1.5 * median
