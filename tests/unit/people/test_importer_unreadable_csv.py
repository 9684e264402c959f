"""CSV text the csv module cannot split is a typed INVALID_CSV error, never a crash.

Found by the schema fuzzer: ``importEmployees(input: {csv: "\\r0"})`` raised ``_csv.Error``
("new-line character seen in unquoted field") out of ``parse_csv`` and came back as an
INTERNAL_ERROR. The reader now splits lines itself (old Mac "\\r" endings work, quoted fields
may hold line breaks), and whatever it still cannot read is reported with its line.
"""

from __future__ import annotations

import csv
from datetime import date

import pytest

from portal.core.errors import DomainError
from portal.people.enums import Gender
from portal.people.nip import make_nip
from portal.people.services.importer import COLUMNS, parse_csv

TODAY = date(2026, 11, 27)
STAFF = make_nip(date(1990, 1, 5), date(2015, 3, 1), Gender.PEREMPUAN, 2)
RECORD = f"{STAFF},Siti Aminah,PNS,III/a,Pelaksana,Perawat,DINKES,"


def test_a_bare_carriage_return_is_a_missing_header_not_a_crash() -> None:
    with pytest.raises(DomainError) as raised:
        parse_csv("\r0", today=TODAY)
    assert raised.value.errors[0].code == "INVALID_CSV"


def test_old_mac_line_endings_and_quoted_line_breaks_are_read() -> None:
    text = ",".join(COLUMNS) + "\r" + RECORD.replace("Siti Aminah", '"Siti\r\nAminah"') + "\r"
    rows, errors = parse_csv(text, today=TODAY)
    assert errors == []
    assert [(r.nip, r.name) for r in rows] == [(STAFF, "Siti\r\nAminah")]


def test_a_field_over_the_reader_limit_is_reported_with_its_line() -> None:
    huge = "x" * (csv.field_size_limit() + 1)
    text = ",".join(COLUMNS) + "\n" + RECORD + "\n" + RECORD.replace("Perawat", huge) + "\n"
    with pytest.raises(DomainError) as raised:
        parse_csv(text, today=TODAY)
    error = raised.value.errors[0]
    assert (error.code, error.field) == ("INVALID_CSV", "csv")
    assert error.message.startswith("Baris 3:")
    assert (error.english or "").startswith("Line 3:")
