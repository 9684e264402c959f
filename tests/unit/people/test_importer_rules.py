"""Pure rules of the employee import: parse_csv, parse_row, check_references, drop_dependents.

No database: units and stored employees are given as plain mappings.
"""

from __future__ import annotations

import csv
import io
import itertools
from datetime import date

import pytest

from portal.core.errors import DomainError
from portal.people.enums import EmployeeKind, Gender
from portal.people.nip import make_nip
from portal.people.services.importer import (
    COLUMNS,
    ParsedRow,
    RowError,
    check_references,
    drop_dependents,
    parse_csv,
    parse_row,
)

TODAY = date(2026, 11, 27)
HEADER = ",".join(COLUMNS)

# Born 17 March 1985, CPNS January 2010, male, sequence 001..
HEAD = make_nip(date(1985, 3, 17), date(2010, 1, 1), Gender.LAKI_LAKI, 1)
# Born 5 January 1990, CPNS March 2015, female.
STAFF = make_nip(date(1990, 1, 5), date(2015, 3, 1), Gender.PEREMPUAN, 2)
STAFF2 = make_nip(date(1991, 7, 9), date(2016, 2, 1), Gender.LAKI_LAKI, 3)
STAFF3 = make_nip(date(1992, 8, 10), date(2017, 4, 1), Gender.PEREMPUAN, 4)
STAFF4 = make_nip(date(1993, 9, 11), date(2018, 5, 1), Gender.LAKI_LAKI, 5)
STORED = make_nip(date(1975, 2, 2), date(2000, 1, 1), Gender.LAKI_LAKI, 6)
STORED2 = make_nip(date(1976, 3, 3), date(2001, 1, 1), Gender.PEREMPUAN, 7)
# 18 digits whose month (99) and day make no valid NIP: fine as a PPPK NI.
PPPK_NI = "202399991234567890"

# unit code -> (unit id, OPD id): two units in OPD 10, one in OPD 20
UNITS = {"DINKES": (1, 10), "DINKES.PKM": (2, 10), "BAPENDA": (3, 20)}


def row(
    nip: str,
    *,
    nama: str = "Pegawai Uji",
    jenis: str = "PNS",
    golongan: str = "III/a",
    jenis_jabatan: str = "Pelaksana",
    nama_jabatan: str = "Pengadministrasi Umum",
    unor: str = "DINKES",
    atasan: str = "",
) -> list[str]:
    """One CSV record in COLUMNS order."""
    return [nip, nama, jenis, golongan, jenis_jabatan, nama_jabatan, unor, atasan]


def csv_text(*rows: list[str], header: str = HEADER) -> str:
    """A CSV file: the header line, then each row (quoted as needed)."""
    out = io.StringIO()
    out.write(header + "\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows)
    return out.getvalue()


def parse(text: str) -> tuple[list[ParsedRow], list[RowError]]:
    return parse_csv(text, today=TODAY)


def codes(errors: list[RowError]) -> list[tuple[int, str]]:
    return [(e.line, e.code) for e in errors]


def refs(
    rows: list[ParsedRow],
    stored: dict[str, str | None] | None = None,
    allowed: frozenset[int] | None = None,
) -> list[RowError]:
    return check_references(
        rows, units=UNITS, stored_supervisors=stored or {}, allowed_opds=allowed
    )


def good_rows(*records: list[str]) -> list[ParsedRow]:
    rows, errors = parse(csv_text(*records))
    assert errors == []
    return rows


# --- parse_csv: the good path -------------------------------------------------------------


def test_good_file_parses_and_decodes_every_row() -> None:
    text = csv_text(
        row(HEAD, nama="dr. Budi Santoso", golongan="IV/b", jenis_jabatan="JPT Pratama"),
        row(STAFF, nama="Siti, S.Kep", golongan="iii / c", unor="DINKES.PKM", atasan=HEAD),
        row(PPPK_NI, jenis="pppk", golongan="IX", jenis_jabatan="Fungsional Ahli Pertama"),
    )

    rows, errors = parse(text)

    assert errors == []
    assert [r.line for r in rows] == [2, 3, 4]
    head, staff, pppk = rows
    assert head == ParsedRow(
        line=2,
        nip=HEAD,
        name="dr. Budi Santoso",
        kind=EmployeeKind.PNS,
        golongan="IV/b",
        jabatan_kind="JPT_PRATAMA",
        jabatan_name="Pengadministrasi Umum",
        unor_code="DINKES",
        supervisor_nip=None,
        gender="LAKI_LAKI",
        birth_date=date(1985, 3, 17),
        tmt_cpns=date(2010, 1, 1),
        hired_on=date(2010, 1, 1),
    )
    assert staff.name == "Siti, S.Kep"  # a quoted comma stays in the name
    assert staff.golongan == "III/c"  # normalised spelling
    assert staff.gender == "PEREMPUAN"
    assert staff.birth_date == date(1990, 1, 5)
    assert staff.tmt_cpns == date(2015, 3, 1)
    assert staff.unor_code == "DINKES.PKM"
    assert staff.supervisor_nip == HEAD
    assert pppk.kind is EmployeeKind.PPPK
    assert pppk.jabatan_kind == "FUNGSIONAL_AHLI_PERTAMA"
    assert pppk.golongan == "IX"


def test_header_only_file_has_no_rows_and_no_errors() -> None:
    assert parse(csv_text()) == ([], [])


def test_cells_are_trimmed() -> None:
    rows = good_rows(row(f" {STAFF} ", nama="  Siti  ", unor=" DINKES ", atasan=f" {HEAD} "))
    assert (rows[0].nip, rows[0].name, rows[0].unor_code) == (STAFF, "Siti", "DINKES")
    assert rows[0].supervisor_nip == HEAD


@pytest.mark.parametrize("column", COLUMNS)
def test_header_missing_a_column_is_invalid_csv(column: str) -> None:
    header = ",".join(c for c in COLUMNS if c != column)
    with pytest.raises(DomainError) as caught:
        parse(csv_text(header=header))
    assert [e.code for e in caught.value.errors] == ["INVALID_CSV"]
    assert column in caught.value.errors[0].message


@pytest.mark.parametrize("text", ["", "\n", "\ufeff"])
def test_empty_file_is_invalid_csv(text: str) -> None:
    with pytest.raises(DomainError) as caught:
        parse(text)
    assert caught.value.errors[0].code == "INVALID_CSV"


def test_bom_and_header_case_and_whitespace_are_tolerated() -> None:
    header = ", ".join(f" {c.upper()} " for c in COLUMNS)
    text = "\ufeff" + csv_text(row(HEAD), row(STAFF, atasan=HEAD), header=header)

    rows, errors = parse(text)

    assert errors == []
    assert [(r.line, r.nip, r.supervisor_nip) for r in rows] == [(2, HEAD, None), (3, STAFF, HEAD)]


def test_extra_columns_and_column_order_do_not_matter() -> None:
    reordered = list(reversed(COLUMNS))
    values = dict(zip(COLUMNS, row(STAFF, atasan=HEAD), strict=True))
    header = ",".join([*reordered, "keterangan"])
    text = csv_text([*[values[c] for c in reordered], "catatan"], header=header)

    rows, errors = parse(text)

    assert errors == []
    assert (rows[0].nip, rows[0].supervisor_nip, rows[0].unor_code) == (STAFF, HEAD, "DINKES")


def test_blank_lines_are_skipped_and_line_numbers_stay_physical() -> None:
    text = csv_text(row(HEAD)) + "\n\n" + csv_text(row("123"), header="").lstrip("\n")
    # lines: 1 header, 2 HEAD, 3 and 4 blank, 5 the bad row
    rows, errors = parse(text)
    assert [r.line for r in rows] == [2]
    assert codes(errors) == [(5, "INVALID_NIP")]


def test_line_numbers_count_physical_lines_after_a_multiline_cell() -> None:
    text = csv_text(row(HEAD, nama_jabatan="Kepala\nDinas"), row("123"))
    # the quoted cell spans lines 2-3, so the bad row is on line 4
    rows, errors = parse(text)
    assert rows[0].jabatan_name == "Kepala\nDinas"
    assert codes(errors) == [(4, "INVALID_NIP")]


# --- parse_csv / parse_row: one bad row at a time -----------------------------------------

BAD_ROWS = {
    "nip too short": (row(HEAD[:-1]), "INVALID_NIP", "NIP_FORMAT"),
    "nip too long": (row(HEAD + "1"), "INVALID_NIP", "NIP_FORMAT"),
    "nip not digits": (row(HEAD[:-1] + "x"), "INVALID_NIP", "NIP_FORMAT"),
    "nip empty": (row(""), "INVALID_NIP", "NIP_FORMAT"),
    "nip impossible date": (row("198502302010011001"), "INVALID_NIP", "NIP_BIRTH_DATE"),
    "nip bad gender digit": (row("198503172010013001"), "INVALID_NIP", "NIP_GENDER"),
    "nip gender digit 0": (row("198503172010010001"), "INVALID_NIP", "NIP_GENDER"),
    "nip sequence 000": (row("198503172010011000"), "INVALID_NIP", "NIP_SEQUENCE"),
    "nip tmt before 18": (row("199001052007011001"), "INVALID_NIP", "NIP_TMT"),
    "nip tmt next month": (row("199001052026121001"), "INVALID_NIP", "NIP_TMT"),
    "jenis_pegawai unknown": (row(HEAD, jenis="Honorer"), "INVALID_VALUE", "jenis_pegawai"),
    "jenis_pegawai empty": (row(HEAD, jenis=""), "INVALID_VALUE", "jenis_pegawai"),
    "golongan unknown": (row(HEAD, golongan="V/a"), "INVALID_VALUE", "golongan"),
    "golongan IV/f": (row(HEAD, golongan="IV/f"), "INVALID_VALUE", "golongan"),
    "golongan empty for PNS": (row(HEAD, golongan=""), "INVALID_VALUE", "golongan"),
    "golongan PPPK style for PNS": (row(HEAD, golongan="IX"), "INVALID_VALUE", "golongan"),
    "jenis_jabatan unknown": (row(HEAD, jenis_jabatan="Kepala"), "INVALID_VALUE", "jenis_jabatan"),
    "jenis_jabatan empty": (row(HEAD, jenis_jabatan=""), "INVALID_VALUE", "jenis_jabatan"),
    "nama empty": (row(HEAD, nama=""), "INVALID_VALUE", "nama"),
    "nama blank": (row(HEAD, nama="   "), "INVALID_VALUE", "nama"),
    "nama too long": (row(HEAD, nama="x" * 151), "INVALID_VALUE", "nama"),
    "nama_jabatan empty": (row(HEAD, nama_jabatan=""), "INVALID_VALUE", "nama_jabatan"),
    "nama_jabatan too long": (row(HEAD, nama_jabatan="x" * 201), "INVALID_VALUE", "nama_jabatan"),
    "kode_unor empty": (row(HEAD, unor=""), "UNKNOWN_UNIT", "kode_unor"),
    "PPPK NI too short": (row("1" * 17, jenis="PPPK"), "INVALID_NIP", "NIP_FORMAT"),
    "PPPK golongan XX": (row(PPPK_NI, jenis="PPPK", golongan="XX"), "INVALID_VALUE", "golongan"),
    "PPPK golongan III/a": (
        row(PPPK_NI, jenis="PPPK", golongan="III/a"),
        "INVALID_VALUE",
        "golongan",
    ),
}


@pytest.mark.parametrize(("record", "code", "hint"), BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_a_bad_row_is_reported_with_its_line_and_code(
    record: list[str], code: str, hint: str
) -> None:
    # a good row before and after the bad one
    text = csv_text(row(STAFF), record, row(STAFF2))

    rows, errors = parse(text)

    assert [r.nip for r in rows] == [STAFF, STAFF2]
    assert [r.line for r in rows] == [2, 4]
    assert len(errors) == 1
    error = errors[0]
    assert (error.line, error.code) == (3, code)
    assert error.nip == (record[0].strip() or None)
    assert hint in error.message


@pytest.mark.parametrize(("record", "code", "hint"), BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_parse_row_raises_the_same_code_for_the_field(
    record: list[str], code: str, hint: str
) -> None:
    raw = dict(zip(COLUMNS, record, strict=True))
    with pytest.raises(DomainError) as caught:
        parse_row(7, raw, today=TODAY)
    (error,) = caught.value.errors
    assert error.code == code
    expected_field = "nip" if code == "INVALID_NIP" else hint
    assert error.field == expected_field


def test_parse_row_reports_the_first_problem_of_a_row() -> None:
    raw = dict(zip(COLUMNS, row("123", nama="", golongan="zz", unor=""), strict=True))
    with pytest.raises(DomainError) as caught:
        parse_row(2, raw, today=TODAY)
    assert caught.value.errors[0].code == "INVALID_NIP"


def test_parse_row_treats_missing_keys_as_blank() -> None:
    raw = {"nip": HEAD, "nama": "Budi", "jenis_pegawai": "PNS", "golongan": "III/a",
           "jenis_jabatan": "Pelaksana", "nama_jabatan": "Staf", "kode_unor": "DINKES"}  # fmt: skip
    parsed = parse_row(9, raw, today=TODAY)
    assert (parsed.line, parsed.supervisor_nip) == (9, None)


def test_nip_validity_depends_on_the_injected_today() -> None:
    nip = make_nip(date(2000, 1, 1), date(2026, 11, 1), Gender.PEREMPUAN, 1)
    assert parse_csv(csv_text(row(nip)), today=TODAY)[1] == []
    _, errors = parse_csv(csv_text(row(nip)), today=date(2026, 10, 31))
    assert codes(errors) == [(2, "INVALID_NIP")]


def test_every_bad_row_of_a_file_is_reported_in_line_order() -> None:
    text = csv_text(
        row(HEAD),
        row("12345"),
        row(STAFF, jenis="Honorer"),
        row(STAFF2),
        row(STAFF3, nama=""),
        row(HEAD),
        row(STAFF4, jenis_jabatan="Kepala"),
    )

    rows, errors = parse(text)

    assert [r.nip for r in rows] == [HEAD, STAFF2]
    assert codes(errors) == [
        (3, "INVALID_NIP"),
        (4, "INVALID_VALUE"),
        (6, "INVALID_VALUE"),
        (7, "DUPLICATE_NIP"),
        (8, "INVALID_VALUE"),
    ]


# --- PPPK ----------------------------------------------------------------------------------


def test_pppk_ni_that_is_not_a_valid_nip_is_accepted_and_decodes_nothing() -> None:
    rows = good_rows(row(PPPK_NI, jenis="PPPK", golongan=""))
    (pppk,) = rows
    assert pppk.kind is EmployeeKind.PPPK
    assert (pppk.gender, pppk.birth_date, pppk.tmt_cpns, pppk.hired_on) == (None,) * 4
    assert pppk.golongan is None


@pytest.mark.parametrize(
    ("written", "stored"),
    [("", None), ("IX", "IX"), ("ix", "IX"), (" I ", "I"), ("XVII", "XVII")],
)
def test_pppk_golongan_blank_or_roman_is_accepted(written: str, stored: str | None) -> None:
    rows = good_rows(row(PPPK_NI, jenis="PPPK", golongan=written))
    assert rows[0].golongan == stored


def test_a_valid_nip_can_also_be_a_pppk_ni() -> None:
    rows = good_rows(row(HEAD, jenis="PPPK", golongan="V"))
    assert rows[0].kind is EmployeeKind.PPPK
    assert rows[0].gender is None


# --- duplicates and malformed records ------------------------------------------------------


def test_duplicate_nip_points_at_the_earlier_line_and_keeps_the_first() -> None:
    text = csv_text(row(HEAD, nama="Pertama"), row(STAFF), row(HEAD, nama="Kedua"), row(HEAD))

    rows, errors = parse(text)

    assert [(r.line, r.name) for r in rows if r.nip == HEAD] == [(2, "Pertama")]
    assert codes(errors) == [(4, "DUPLICATE_NIP"), (5, "DUPLICATE_NIP")]
    assert all(e.nip == HEAD for e in errors)
    assert all("baris 2" in e.message for e in errors)  # Indonesian by default
    assert all("line 2" in e.english for e in errors)


def test_duplicate_detection_ignores_surrounding_whitespace() -> None:
    _, errors = parse(csv_text(row(HEAD), row(f"  {HEAD} ")))
    assert codes(errors) == [(3, "DUPLICATE_NIP")]


def test_row_with_too_many_cells_is_invalid_csv() -> None:
    text = csv_text(row(HEAD), [*row(STAFF), "extra"], row(STAFF2))

    rows, errors = parse(text)

    assert [r.nip for r in rows] == [HEAD, STAFF2]
    assert codes(errors) == [(3, "INVALID_CSV")]
    assert errors[0].nip == STAFF


def test_a_rejected_row_does_not_reserve_its_nip() -> None:
    # the first HEAD row is malformed, so the second one is not a duplicate
    text = csv_text([*row(HEAD), "extra"], row(HEAD))
    rows, errors = parse(text)
    assert codes(errors) == [(2, "INVALID_CSV")]
    assert [r.line for r in rows] == [3]


# --- check_references ----------------------------------------------------------------------


def test_references_of_a_good_file_are_fine() -> None:
    rows = good_rows(
        row(STAFF, atasan=HEAD, unor="DINKES.PKM"),  # supervisor later in the file
        row(HEAD),
        row(STAFF2, atasan=STORED),  # supervisor only stored
    )
    assert refs(rows, stored={STORED: None}) == []
    assert refs(rows, stored={STORED: None}, allowed=frozenset({10})) == []


def test_unknown_unit() -> None:
    rows = good_rows(row(HEAD), row(STAFF, unor="NOWHERE"))
    errors = refs(rows)
    assert codes(errors) == [(3, "UNKNOWN_UNIT")]
    assert errors[0].nip == STAFF
    assert "NOWHERE" in errors[0].message


def test_unit_codes_are_case_sensitive() -> None:
    assert codes(refs(good_rows(row(HEAD, unor="dinkes")))) == [(2, "UNKNOWN_UNIT")]


def test_unit_outside_the_allowed_opds() -> None:
    rows = good_rows(row(HEAD), row(STAFF, unor="BAPENDA"), row(STAFF2, unor="DINKES.PKM"))
    assert codes(refs(rows, allowed=frozenset({10}))) == [(3, "UNIT_OUT_OF_SCOPE")]
    assert codes(refs(rows, allowed=frozenset({20}))) == [
        (2, "UNIT_OUT_OF_SCOPE"),
        (4, "UNIT_OUT_OF_SCOPE"),
    ]
    assert codes(refs(rows, allowed=frozenset())) == [
        (2, "UNIT_OUT_OF_SCOPE"),
        (3, "UNIT_OUT_OF_SCOPE"),
        (4, "UNIT_OUT_OF_SCOPE"),
    ]
    assert refs(rows, allowed=None) == []


def test_unknown_supervisor() -> None:
    rows = good_rows(row(HEAD), row(STAFF, atasan=STAFF2), row(STAFF3, atasan="bukan-nip"))
    errors = refs(rows, stored={STORED: None})
    assert codes(errors) == [(3, "UNKNOWN_SUPERVISOR"), (4, "UNKNOWN_SUPERVISOR")]
    assert STAFF2 in errors[0].message


def test_a_row_gets_only_its_first_reference_error() -> None:
    rows = good_rows(row(HEAD, unor="NOWHERE", atasan=HEAD), row(STAFF, unor="BAPENDA", atasan="x"))
    assert codes(refs(rows, allowed=frozenset({10}))) == [
        (2, "UNKNOWN_UNIT"),
        (3, "UNIT_OUT_OF_SCOPE"),
    ]


def test_self_supervision_is_cyclic() -> None:
    rows = good_rows(row(HEAD), row(STAFF, atasan=STAFF))
    errors = refs(rows)
    assert codes(errors) == [(3, "CYCLIC_SUPERVISOR")]
    assert errors[0].nip == STAFF


def test_self_supervision_of_a_stored_employee_is_cyclic() -> None:
    rows = good_rows(row(STORED, atasan=STORED))
    assert codes(refs(rows, stored={STORED: None})) == [(2, "CYCLIC_SUPERVISOR")]


def test_three_cycle_within_the_file_rejects_every_member_only() -> None:
    rows = good_rows(
        row(HEAD, atasan=STAFF2),
        row(STAFF, atasan=HEAD),
        row(STAFF2, atasan=STAFF),
        row(STAFF3, atasan=HEAD),  # hangs off the cycle but is not on it
        row(STAFF4),
    )
    errors = refs(rows)
    assert codes(errors) == [
        (2, "CYCLIC_SUPERVISOR"),
        (3, "CYCLIC_SUPERVISOR"),
        (4, "CYCLIC_SUPERVISOR"),
    ]
    assert [e.nip for e in errors] == [HEAD, STAFF, STAFF2]


def test_two_separate_cycles_are_both_found() -> None:
    rows = good_rows(
        row(HEAD, atasan=STAFF), row(STAFF, atasan=HEAD), row(STAFF2, atasan=STAFF3),
        row(STAFF3, atasan=STAFF2), row(STAFF4, atasan=STAFF2),
    )  # fmt: skip
    assert [line for line, _ in codes(refs(rows))] == [2, 3, 4, 5]


def test_cycle_between_a_file_row_and_a_stored_employee() -> None:
    # stored: STORED is supervised by HEAD; the file makes HEAD report to STORED
    stored = {HEAD: None, STORED: HEAD}
    rows = good_rows(row(HEAD, atasan=STORED), row(STAFF, atasan=HEAD))
    errors = refs(rows, stored=stored)
    assert codes(errors) == [(2, "CYCLIC_SUPERVISOR")]
    assert errors[0].nip == HEAD


def test_cycle_through_a_chain_of_stored_employees() -> None:
    # stored chain STORED2 -> STORED -> HEAD; the file points HEAD at STORED2
    stored = {HEAD: None, STORED: HEAD, STORED2: STORED}
    rows = good_rows(row(HEAD, atasan=STORED2))
    assert codes(refs(rows, stored=stored)) == [(2, "CYCLIC_SUPERVISOR")]


def test_file_rows_override_stored_supervisor_links() -> None:
    # stored: HEAD reports to STAFF; the file turns that around in both rows: no cycle
    stored = {HEAD: STAFF, STAFF: None}
    rows = good_rows(row(HEAD), row(STAFF, atasan=HEAD))
    assert refs(rows, stored=stored) == []
    # without HEAD's row the stored link still holds, so the file row would close a cycle
    only_staff = good_rows(row(STAFF, atasan=HEAD))
    assert codes(refs(only_staff, stored=stored)) == [(2, "CYCLIC_SUPERVISOR")]


def test_a_long_chain_is_not_a_cycle() -> None:
    born, tmt = date(1980, 1, 1), date(2005, 1, 1)
    nips = [make_nip(born, tmt, Gender.PEREMPUAN, n) for n in range(1, 300)]
    records = [row(nips[0])] + [row(n, atasan=p) for p, n in itertools.pairwise(nips)]
    rows = good_rows(*reversed(records))
    assert refs(rows) == []


# --- drop_dependents -----------------------------------------------------------------------


def test_drop_dependents_rejects_rows_under_a_rejected_row_transitively() -> None:
    rows = good_rows(
        row(STAFF3, atasan=STAFF2),  # line 2: under line 4, which is under the bad row
        row(HEAD),  # line 3: fine
        row(STAFF2, atasan=STAFF),  # line 4: under the bad row
        row(STAFF, atasan=HEAD, unor="NOWHERE"),  # line 5: bad
        row(STAFF4, atasan=STORED),  # line 6: under a stored employee
    )
    bad = refs(rows, stored={STORED: None})
    assert codes(bad) == [(5, "UNKNOWN_UNIT")]

    extra = drop_dependents(rows, bad, {STORED: None})

    assert sorted(codes(extra)) == [(2, "UNKNOWN_SUPERVISOR"), (4, "UNKNOWN_SUPERVISOR")]
    by_line = {e.line: e for e in extra}
    assert by_line[4].nip == STAFF2
    assert STAFF in by_line[4].message
    assert STAFF2 in by_line[2].message


def test_drop_dependents_keeps_rows_whose_rejected_supervisor_is_stored() -> None:
    rows = good_rows(row(STORED, unor="NOWHERE"), row(STAFF, atasan=STORED))
    bad = refs(rows, stored={STORED: None})
    assert codes(bad) == [(2, "UNKNOWN_UNIT")]
    assert drop_dependents(rows, bad, [STORED]) == []


def test_drop_dependents_without_bad_rows_rejects_nothing() -> None:
    rows = good_rows(row(HEAD), row(STAFF, atasan=HEAD))
    assert drop_dependents(rows, [], []) == []


def test_drop_dependents_follows_a_parse_error_out_of_the_file() -> None:
    # the supervisor's own row failed to parse, so it is not among the rows at all
    rows, errors = parse(csv_text(row(HEAD, jenis="Honorer"), row(STAFF, atasan=HEAD)))
    assert codes(errors) == [(2, "INVALID_VALUE")]
    # check_references alone sees an unknown supervisor already
    assert codes(refs(rows)) == [(3, "UNKNOWN_SUPERVISOR")]
    assert drop_dependents(rows, errors, []) == [
        RowError(
            3,
            STAFF,
            "UNKNOWN_SUPERVISOR",
            f"Baris atasan {HEAD} ditolak",
            f"Supervisor {HEAD} was rejected",
        )
    ]


def test_drop_dependents_after_a_cycle_rejects_the_rows_hanging_off_it() -> None:
    rows = good_rows(row(HEAD, atasan=STAFF), row(STAFF, atasan=HEAD), row(STAFF2, atasan=HEAD))
    bad = refs(rows)
    assert codes(bad) == [(2, "CYCLIC_SUPERVISOR"), (3, "CYCLIC_SUPERVISOR")]
    assert codes(drop_dependents(rows, bad, [])) == [(4, "UNKNOWN_SUPERVISOR")]


def _partial_rejections(rows: list[ParsedRow], stored: dict[str, str | None]) -> list[RowError]:
    """What a partial import rejects (the checks of importer.import_rows)."""
    errors = refs(rows, stored=stored)
    return errors + drop_dependents(rows, errors, stored)


def _kept_links(
    rows: list[ParsedRow], rejected: list[RowError], stored: dict[str, str | None]
) -> dict[str, str | None]:
    """The supervisor links after a partial import writes the kept rows."""
    bad = {e.line for e in rejected}
    return {**stored, **{r.nip: r.supervisor_nip for r in rows if r.line not in bad}}


def _has_cycle(links: dict[str, str | None]) -> bool:
    for start in links:
        seen: set[str] = set()
        node: str | None = start
        while node is not None and node not in seen:
            seen.add(node)
            node = links.get(node)
        if node is not None:
            return True
    return False


def test_partial_import_never_keeps_a_row_that_closes_a_cycle_with_a_rejected_row() -> None:
    # stored: HEAD reports to STAFF. The file moves HEAD to the top, but HEAD's row is bad
    # (unknown unit), and makes STAFF report to HEAD.
    stored: dict[str, str | None] = {HEAD: STAFF, STAFF: None}
    rows = good_rows(row(HEAD, unor="NOWHERE"), row(STAFF, atasan=HEAD))

    rejected = _partial_rejections(rows, stored)

    assert not _has_cycle(_kept_links(rows, rejected, stored))


# --- optional jenis_kelamin and tanggal_lahir ----------------------------------------------------

PERSONAL_HEADER = HEADER + ",jenis_kelamin,tanggal_lahir"
# A PPPK NI in the common layout: born 15 July 1985, appointed 2022, female.
PPPK_LAYOUT_NI = "198507152022212001"


def personal_csv(*records: tuple[list[str], str, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PERSONAL_HEADER.split(","))
    for record, gender, born in records:
        writer.writerow([*record, gender, born])
    return out.getvalue()


def test_pppk_gender_and_birth_date_come_from_the_columns() -> None:
    rows, errors = parse_csv(
        personal_csv(
            (row(PPPK_NI, jenis="PPPK", golongan="IX"), "P", "1988-02-29"),
            (row("198001011999999999", jenis="PPPK", golongan=""), "l", "01-12-1980"),
        ),
        today=TODAY,
    )
    assert errors == []
    assert [(r.gender, r.birth_date) for r in rows] == [
        (Gender.PEREMPUAN.value, date(1988, 2, 29)),
        (Gender.LAKI_LAKI.value, date(1980, 12, 1)),
    ]


def test_a_pppk_ni_in_the_common_layout_is_decoded_and_checked_against_the_columns() -> None:
    rows, errors = parse_csv(
        personal_csv(
            (row(PPPK_LAYOUT_NI, jenis="PPPK", golongan="IX"), "", ""),
            (row(STAFF, jenis="PNS"), "P", "1990-01-05"),
        ),
        today=TODAY,
    )
    assert errors == []
    assert [(r.gender, r.birth_date) for r in rows] == [
        (Gender.PEREMPUAN.value, date(1985, 7, 15)),
        (Gender.PEREMPUAN.value, date(1990, 1, 5)),
    ]
    _, wrong = parse_csv(
        personal_csv(
            (row(PPPK_LAYOUT_NI, jenis="PPPK", golongan="IX"), "L", ""),
            (row(STAFF, jenis="PNS"), "", "1990-01-06"),
        ),
        today=TODAY,
    )
    assert [(e.code, e.message, e.english) for e in wrong] == [
        (
            "INVALID_VALUE",
            "jenis_kelamin tidak sesuai dengan NI PPPK",
            "jenis_kelamin does not match the NI PPPK",
        ),
        (
            "INVALID_VALUE",
            "tanggal_lahir tidak sesuai dengan NIP",
            "tanggal_lahir does not match the NIP",
        ),
    ]


@pytest.mark.parametrize(
    ("gender", "born", "field"),
    [
        pytest.param("X", "1988-01-01", "jenis_kelamin", id="gender X"),
        pytest.param("", "1988-01-01", "jenis_kelamin", id="gender missing for PPPK"),
        pytest.param("P", "", "tanggal_lahir", id="birth date missing for PPPK"),
        pytest.param("P", "1988-02-30", "tanggal_lahir", id="no such date"),
        pytest.param("P", "15/15/1988", "tanggal_lahir", id="unreadable"),
        pytest.param("P", "1939-12-31", "tanggal_lahir", id="before 1940"),
        pytest.param("P", "2008-11-28", "tanggal_lahir", id="not yet 18"),
    ],
)
def test_bad_personal_values_are_row_errors(gender: str, born: str, field: str) -> None:
    rows, errors = parse_csv(
        personal_csv((row(PPPK_NI, jenis="PPPK", golongan="IX"), gender, born)), today=TODAY
    )
    assert rows == []
    assert [e.code for e in errors] == ["INVALID_VALUE"]
    assert errors[0].message.startswith(field)
    assert errors[0].english.startswith(field)
    assert errors[0].message != errors[0].english  # Indonesian, with an English counterpart


def test_without_the_columns_pppk_rows_stay_valid_without_gender() -> None:
    rows, errors = parse_csv(
        "\n".join([HEADER, ",".join(row(PPPK_NI, jenis="PPPK", golongan="IX"))]), today=TODAY
    )
    assert errors == []
    assert (rows[0].gender, rows[0].birth_date) == (None, None)
