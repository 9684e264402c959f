"""Unit tests for portal.people.nip: NIP/NI validation and rank vocabulary parsing."""

from __future__ import annotations

import pickle
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.people.enums import EmployeeKind, Gender, Golongan, JabatanKind
from portal.people.nip import (
    NIP_BIRTH_DATE,
    NIP_FORMAT,
    NIP_GENDER,
    NIP_SEQUENCE,
    NIP_TMT,
    NipError,
    NipInfo,
    decode_pppk_ni,
    make_nip,
    parse_employee_kind,
    parse_golongan,
    parse_jabatan_kind,
    parse_nip,
    validate_identifier,
    validate_pppk_ni,
)

TODAY = date(2026, 11, 27)
ALL_CODES = frozenset({NIP_FORMAT, NIP_BIRTH_DATE, NIP_TMT, NIP_GENDER, NIP_SEQUENCE})

# Born 17 March 1985, CPNS from January 2010, male, sequence 002.
VALID_MALE_NIP = "198503172010011002"
# Born 5 January 1990, CPNS from March 2015, female, sequence 001.
VALID_FEMALE_NIP = "199001052015032001"
# The valid male NIP in non-ASCII digits that str.isdigit() accepts.
ARABIC_INDIC_NIP = "".join(chr(0x0660 + int(digit)) for digit in VALID_MALE_NIP)
FULLWIDTH_NIP = "".join(chr(0xFF10 + int(digit)) for digit in VALID_MALE_NIP)


def nip_error_code(value: str, *, today: date = TODAY) -> str:
    """Parse ``value`` expecting failure and return the error code."""
    with pytest.raises(NipError) as excinfo:
        parse_nip(value, today=today)
    return excinfo.value.code


def parse_outcome(value: str) -> NipInfo | NipError:
    """Parse ``value`` at TODAY and return the result or the NipError raised."""
    try:
        return parse_nip(value, today=TODAY)
    except NipError as error:
        return error


# --- parse_nip: valid NIPs -----------------------------------------------------------------


def test_given_valid_male_nip_when_parsed_then_all_parts_are_decoded() -> None:
    # Given / When
    info = parse_nip(VALID_MALE_NIP, today=TODAY)

    # Then
    assert info == NipInfo(
        nip=VALID_MALE_NIP,
        birth_date=date(1985, 3, 17),
        tmt_cpns=date(2010, 1, 1),
        gender=Gender.LAKI_LAKI,
        sequence=2,
    )


def test_given_valid_female_nip_when_parsed_then_gender_is_perempuan() -> None:
    info = parse_nip(VALID_FEMALE_NIP, today=TODAY)

    assert info.gender is Gender.PEREMPUAN
    assert info.birth_date == date(1990, 1, 5)
    assert info.tmt_cpns == date(2015, 3, 1)
    assert info.sequence == 1


@pytest.mark.parametrize(
    ("gender_digit", "expected"),
    [("1", Gender.LAKI_LAKI), ("2", Gender.PEREMPUAN)],
)
def test_given_gender_digit_when_parsed_then_gender_follows_digit(
    gender_digit: str,
    expected: Gender,
) -> None:
    nip = f"19850317201001{gender_digit}002"

    assert parse_nip(nip, today=TODAY).gender is expected


def test_given_surrounding_whitespace_when_parsed_then_it_is_stripped() -> None:
    info = parse_nip(f" \t{VALID_MALE_NIP}\n ", today=TODAY)

    assert info.nip == VALID_MALE_NIP


def test_given_highest_sequence_when_parsed_then_sequence_is_999() -> None:
    assert parse_nip("198503172010011999", today=TODAY).sequence == 999


def test_given_no_today_when_parsed_then_the_real_current_date_is_used() -> None:
    # A NIP valid in any year from 2010 on: the default must not reject it.
    assert parse_nip(VALID_MALE_NIP).birth_date == date(1985, 3, 17)


def test_given_tmt_after_today_for_default_today_when_parsed_then_rejected() -> None:
    far_future_tmt = "198503179999011002"

    with pytest.raises(NipError) as excinfo:
        parse_nip(far_future_tmt)

    assert excinfo.value.code == NIP_TMT


def test_nip_info_is_frozen() -> None:
    info = parse_nip(VALID_MALE_NIP, today=TODAY)

    with pytest.raises(AttributeError):
        info.sequence = 3  # type: ignore[misc]


# --- parse_nip: format ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("", id="empty"),
        pytest.param("   ", id="only-whitespace"),
        pytest.param(VALID_MALE_NIP[:17], id="17-digits"),
        pytest.param(VALID_MALE_NIP + "1", id="19-digits"),
        pytest.param("19850317201001100A", id="letter"),
        pytest.param("1985-03-17-2010-01-1-002", id="hyphens"),
        pytest.param("19850317 201001 1 002", id="internal-spaces"),
        pytest.param("198503172010 011002", id="one-internal-space-19-chars"),
        pytest.param("+98503172010011002", id="sign"),
        pytest.param(ARABIC_INDIC_NIP, id="arabic-indic-digits"),
        pytest.param(FULLWIDTH_NIP, id="fullwidth-digits"),
    ],
)
def test_given_not_18_ascii_digits_when_parsed_then_format_error(value: str) -> None:
    # When
    with pytest.raises(NipError) as excinfo:
        parse_nip(value, today=TODAY)

    # Then
    assert excinfo.value.code == NIP_FORMAT
    assert excinfo.value.message == "NIP must be 18 digits"
    assert str(excinfo.value) == excinfo.value.message


def test_given_internal_space_in_18_chars_when_parsed_then_format_error() -> None:
    value = "19850317 010011002"
    assert len(value) == 18

    assert nip_error_code(value) == NIP_FORMAT


# --- parse_nip: birth date -----------------------------------------------------------------


@pytest.mark.parametrize(
    "birth",
    [
        pytest.param("19850230", id="feb-30"),
        pytest.param("19851301", id="month-13"),
        pytest.param("19850001", id="month-00"),
        pytest.param("19850300", id="day-00"),
        pytest.param("19850431", id="apr-31"),
        pytest.param("19900229", id="feb-29-non-leap-year"),
        pytest.param("19000229", id="feb-29-century-non-leap-year"),
        pytest.param("00000101", id="year-0000"),
    ],
)
def test_given_impossible_birth_date_when_parsed_then_birth_date_error(birth: str) -> None:
    assert nip_error_code(f"{birth}2015011001") == NIP_BIRTH_DATE


@pytest.mark.parametrize(
    ("nip", "birth"),
    [
        pytest.param("198802292007011001", date(1988, 2, 29), id="1988"),
        pytest.param("200002292018031001", date(2000, 2, 29), id="2000-century-leap"),
    ],
)
def test_given_feb_29_in_leap_year_when_parsed_then_valid(nip: str, birth: date) -> None:
    assert parse_nip(nip, today=TODAY).birth_date == birth


def test_given_birth_year_1939_when_parsed_then_birth_date_error() -> None:
    assert nip_error_code("193912311965011001") == NIP_BIRTH_DATE


def test_given_birth_on_1_january_1940_when_parsed_then_valid() -> None:
    assert parse_nip("194001011965011001", today=TODAY).birth_date == date(1940, 1, 1)


def test_given_birth_date_after_today_when_parsed_then_birth_date_error() -> None:
    tomorrow = TODAY + timedelta(days=1)

    assert nip_error_code(f"{tomorrow:%Y%m%d}2015011001") == NIP_BIRTH_DATE


def test_given_birth_date_in_a_future_year_when_parsed_then_birth_date_error() -> None:
    assert nip_error_code("203001012050011001") == NIP_BIRTH_DATE


def test_given_birth_date_today_when_parsed_then_birth_passes_and_tmt_fails() -> None:
    # Birth today is not "in the future"; the TMT (18 years on) then is.
    assert nip_error_code(f"{TODAY:%Y%m%d}2044111001") == NIP_TMT


# --- parse_nip: TMT CPNS -------------------------------------------------------------------


@pytest.mark.parametrize("month", ["00", "13", "99"])
def test_given_tmt_month_out_of_range_when_parsed_then_tmt_error(month: str) -> None:
    assert nip_error_code(f"198503172010{month}1002") == NIP_TMT


def test_given_tmt_in_month_of_18th_birthday_after_the_first_when_parsed_then_tmt_error() -> None:
    # Born 17 May 1990: the TMT of 1 May 2008 comes 16 days before the 18th birthday.
    assert nip_error_code("199005172008051001") == NIP_TMT


def test_given_tmt_in_month_after_18th_birthday_when_parsed_then_valid() -> None:
    assert parse_nip("199005172008061001", today=TODAY).tmt_cpns == date(2008, 6, 1)


def test_given_birth_on_the_first_and_tmt_on_18th_birthday_when_parsed_then_valid() -> None:
    assert parse_nip("199005012008051001", today=TODAY).tmt_cpns == date(2008, 5, 1)


def test_given_born_31_december_2008_and_tmt_december_2026_when_parsed_then_tmt_error() -> None:
    # The case of issue 17: 17 years and 11 months old on 1 December 2026.
    assert nip_error_code("200812312026121010", today=date(2026, 12, 7)) == NIP_TMT


def test_given_born_29_february_the_18th_birthday_is_1_march() -> None:
    assert nip_error_code("200802292026021001", today=date(2026, 12, 7)) == NIP_TMT
    assert parse_nip("200802292026031001", today=date(2026, 12, 7)).birth_date == date(2008, 2, 29)


def test_given_tmt_in_month_before_18th_birthday_when_parsed_then_tmt_error() -> None:
    assert nip_error_code("199005172008041001") == NIP_TMT


def test_given_january_birthday_and_tmt_previous_december_when_parsed_then_tmt_error() -> None:
    assert nip_error_code("199001052007121001") == NIP_TMT


def test_given_january_birthday_and_tmt_that_january_when_parsed_then_tmt_error() -> None:
    assert nip_error_code("199001052008011001") == NIP_TMT


def test_given_january_birthday_and_tmt_next_february_when_parsed_then_valid() -> None:
    assert parse_nip("199001052008021001", today=TODAY).tmt_cpns == date(2008, 2, 1)


def test_given_tmt_before_birth_when_parsed_then_tmt_error() -> None:
    assert nip_error_code("199001051985011001") == NIP_TMT


def test_given_tmt_year_0000_when_parsed_then_tmt_error() -> None:
    assert nip_error_code("199001050000011001") == NIP_TMT


def test_given_tmt_in_current_month_when_parsed_then_valid() -> None:
    assert parse_nip("199001052026111001", today=TODAY).tmt_cpns == date(2026, 11, 1)


def test_given_tmt_in_next_month_when_parsed_then_tmt_error() -> None:
    assert nip_error_code("199001052026121001") == NIP_TMT


def test_given_tmt_in_january_of_next_year_when_parsed_then_tmt_error() -> None:
    assert nip_error_code("199001052027011001", today=date(2026, 12, 31)) == NIP_TMT


# --- parse_nip: gender and sequence --------------------------------------------------------


@pytest.mark.parametrize("digit", ["0", "3", "9"])
def test_given_gender_digit_not_1_or_2_when_parsed_then_gender_error(digit: str) -> None:
    assert nip_error_code(f"19850317201001{digit}002") == NIP_GENDER


def test_given_sequence_000_when_parsed_then_sequence_error() -> None:
    with pytest.raises(NipError) as excinfo:
        parse_nip("198503172010011000", today=TODAY)

    assert excinfo.value.code == NIP_SEQUENCE
    assert "000" in excinfo.value.message


# --- parse_nip: order of checks ------------------------------------------------------------


@pytest.mark.parametrize(
    ("nip", "expected_code"),
    [
        pytest.param("19850230201013900", NIP_FORMAT, id="format-before-everything"),
        pytest.param("198502302010139000", NIP_BIRTH_DATE, id="birth-before-tmt"),
        pytest.param("198503172010139000", NIP_TMT, id="tmt-before-gender"),
        pytest.param("198503172010019000", NIP_GENDER, id="gender-before-sequence"),
    ],
)
def test_given_several_faults_when_parsed_then_first_in_order_is_reported(
    nip: str,
    expected_code: str,
) -> None:
    assert nip_error_code(nip) == expected_code


# --- NipError ------------------------------------------------------------------------------


def test_nip_error_is_a_value_error_with_code_and_message() -> None:
    error = NipError(NIP_GENDER, "NIP gender digit (digit 15) must be 1 or 2")

    assert isinstance(error, ValueError)
    assert error.code == NIP_GENDER
    assert error.message == "NIP gender digit (digit 15) must be 1 or 2"
    assert str(error) == error.message


def test_nip_error_survives_pickling() -> None:
    error = NipError(NIP_TMT, "NIP TMT CPNS is in the future")

    restored = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes

    assert (restored.code, restored.message) == (error.code, error.message)


# --- PPPK NI and validate_identifier -------------------------------------------------------


def test_given_pppk_ni_invalid_as_nip_when_validated_then_accepted_and_stripped() -> None:
    # Digits that break every NIP rule: birth date, TMT, gender and sequence.
    ni = "199913452099130000"
    assert nip_error_code(ni) == NIP_BIRTH_DATE

    assert validate_pppk_ni(f"  {ni}\n") == ni


@pytest.mark.parametrize(
    "value",
    ["", "12345678901234567", "1234567890123456789", "12345678901234567X", "123456789 12345678"],
)
def test_given_pppk_ni_not_18_digits_when_validated_then_format_error(value: str) -> None:
    with pytest.raises(NipError) as excinfo:
        validate_pppk_ni(value)

    assert excinfo.value.code == NIP_FORMAT


def test_given_pns_when_identifier_validated_then_nip_is_decoded() -> None:
    info = validate_identifier(VALID_FEMALE_NIP, EmployeeKind.PNS, today=TODAY)

    assert info == parse_nip(VALID_FEMALE_NIP, today=TODAY)


def test_given_pns_with_bad_nip_when_identifier_validated_then_nip_error() -> None:
    with pytest.raises(NipError) as excinfo:
        validate_identifier("198503172010011000", EmployeeKind.PNS, today=TODAY)

    assert excinfo.value.code == NIP_SEQUENCE


def test_given_pppk_when_identifier_validated_then_only_format_checked() -> None:
    assert validate_identifier("199913452099130000", EmployeeKind.PPPK, today=TODAY) is None


def test_given_pppk_with_short_ni_when_identifier_validated_then_format_error() -> None:
    with pytest.raises(NipError) as excinfo:
        validate_identifier("1234", EmployeeKind.PPPK)

    assert excinfo.value.code == NIP_FORMAT


# --- make_nip ------------------------------------------------------------------------------


def test_given_parts_when_nip_made_then_digits_follow_layout() -> None:
    nip = make_nip(date(1985, 3, 17), date(2010, 1, 20), Gender.LAKI_LAKI, 2)

    assert nip == VALID_MALE_NIP


def test_given_female_parts_when_nip_made_then_round_trips() -> None:
    nip = make_nip(date(1990, 1, 5), date(2015, 3, 1), Gender.PEREMPUAN, 1)

    assert nip == VALID_FEMALE_NIP
    assert parse_nip(nip, today=TODAY) == NipInfo(
        nip=VALID_FEMALE_NIP,
        birth_date=date(1990, 1, 5),
        tmt_cpns=date(2015, 3, 1),
        gender=Gender.PEREMPUAN,
        sequence=1,
    )


@pytest.mark.parametrize("sequence", [0, -1, 1000])
def test_given_sequence_out_of_range_when_nip_made_then_value_error(sequence: int) -> None:
    with pytest.raises(ValueError, match="sequence"):
        make_nip(date(1985, 3, 17), date(2010, 1, 1), Gender.LAKI_LAKI, sequence)


@st.composite
def valid_nip_parts(draw: st.DrawFn) -> tuple[date, date, Gender, int]:
    """Birth date, TMT (first of month), gender and sequence that make a valid NIP at TODAY."""
    # Only the month of the 18th birthday matters, so anyone born in November 2008 qualifies.
    latest_birth = date(2008, 11, 1)
    birth = draw(st.dates(min_value=date(1940, 1, 1), max_value=latest_birth))
    # The first TMT month whose first day is on or after the 18th birthday.
    first_month = (birth.year + 18) * 12 + birth.month - 1 + (0 if birth.day == 1 else 1)
    last_month = TODAY.year * 12 + TODAY.month - 1
    tmt_month = draw(st.integers(min_value=first_month, max_value=last_month))
    tmt = date(tmt_month // 12, tmt_month % 12 + 1, 1)
    gender = draw(st.sampled_from(Gender))
    sequence = draw(st.integers(min_value=1, max_value=999))
    return birth, tmt, gender, sequence


@given(valid_nip_parts())
def test_property_make_nip_then_parse_nip_round_trips(
    parts: tuple[date, date, Gender, int],
) -> None:
    birth, tmt, gender, sequence = parts

    nip = make_nip(birth, tmt, gender, sequence)
    info = parse_nip(nip, today=TODAY)

    assert info == NipInfo(
        nip=nip,
        birth_date=birth,
        tmt_cpns=tmt,
        gender=gender,
        sequence=sequence,
    )
    assert make_nip(info.birth_date, info.tmt_cpns, info.gender, info.sequence) == nip


@given(st.text(alphabet="0123456789", min_size=18, max_size=18))
def test_property_any_18_digits_parse_or_raise_nip_error(value: str) -> None:
    outcome = parse_outcome(value)

    if isinstance(outcome, NipError):
        assert outcome.code in ALL_CODES - {NIP_FORMAT}
    else:
        rebuilt = make_nip(outcome.birth_date, outcome.tmt_cpns, outcome.gender, outcome.sequence)
        assert rebuilt == value


@given(st.text(max_size=30))
def test_property_any_text_parses_or_raises_nip_error(value: str) -> None:
    outcome = parse_outcome(value)

    if isinstance(outcome, NipError):
        assert outcome.code in ALL_CODES
    else:
        assert outcome.nip == value.strip()


# --- parse_golongan ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["III/a", "iii/a", "III/A", " III / a ", "IIIa", "III_A", "iii_a", "III a", "III-a"],
)
def test_given_golongan_spelling_when_parsed_then_iii_a(text: str) -> None:
    assert parse_golongan(text) is Golongan.III_A


@pytest.mark.parametrize("golongan", list(Golongan))
def test_given_every_golongan_in_each_form_when_parsed_then_recognised(
    golongan: Golongan,
) -> None:
    roman, letter = golongan.value.split("/")
    forms = [
        golongan.value,
        golongan.value.lower(),
        golongan.value.upper(),
        f" {roman} / {letter} ",
        f"{roman}{letter}",
        golongan.name,
    ]

    assert {parse_golongan(form) for form in forms} == {golongan}


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "III",
        "a",
        "III/f",
        "I/e",
        "II/e",
        "III/e",
        "V/a",
        "IIII/a",
        "3/a",
        "III/ab",
        "III//a",
        "I I I/a",
        "Penata Muda",
    ],
)
def test_given_unknown_golongan_when_parsed_then_value_error(text: str) -> None:
    with pytest.raises(ValueError, match="Unknown golongan"):
        parse_golongan(text)


def test_given_iv_e_when_parsed_then_accepted() -> None:
    assert parse_golongan("IV/e") is Golongan.IV_E


# --- parse_jabatan_kind --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pelaksana", JabatanKind.PELAKSANA),
        ("PELAKSANA", JabatanKind.PELAKSANA),
        (" Pelaksana ", JabatanKind.PELAKSANA),
        ("JPT_PRATAMA", JabatanKind.JPT_PRATAMA),
        ("jpt_pratama", JabatanKind.JPT_PRATAMA),
        ("JPT Pratama", JabatanKind.JPT_PRATAMA),
        ("JPT-Madya", JabatanKind.JPT_MADYA),
        ("jpt  utama", JabatanKind.JPT_UTAMA),
        ("Administrator", JabatanKind.ADMINISTRATOR),
        ("pengawas", JabatanKind.PENGAWAS),
        ("Fungsional Ahli Muda", JabatanKind.FUNGSIONAL_AHLI_MUDA),
        ("fungsional-ahli-pertama", JabatanKind.FUNGSIONAL_AHLI_PERTAMA),
        ("Fungsional - Ahli Utama", JabatanKind.FUNGSIONAL_AHLI_UTAMA),
        ("fungsional-terampil", JabatanKind.FUNGSIONAL_TERAMPIL),
        ("Fungsional Penyelia", JabatanKind.FUNGSIONAL_PENYELIA),
    ],
)
def test_given_jabatan_spelling_when_parsed_then_kind_recognised(
    text: str,
    expected: JabatanKind,
) -> None:
    assert parse_jabatan_kind(text) is expected


@pytest.mark.parametrize("kind", list(JabatanKind))
def test_given_every_jabatan_kind_in_each_form_when_parsed_then_recognised(
    kind: JabatanKind,
) -> None:
    words = kind.name.split("_")
    forms = [
        kind.name,
        kind.name.lower(),
        " ".join(words).title(),
        "-".join(words).lower(),
        f"  {' '.join(words)}  ",
    ]

    assert {parse_jabatan_kind(form) for form in forms} == {kind}


@pytest.mark.parametrize(
    "text",
    ["", "   ", "JPT", "Fungsional", "Fungsional Ahli", "Ahli Muda", "Kepala Dinas", "Eselon II"],
)
def test_given_unknown_jabatan_kind_when_parsed_then_value_error(text: str) -> None:
    with pytest.raises(ValueError, match="Unknown jabatan kind"):
        parse_jabatan_kind(text)


# --- parse_employee_kind -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PNS", EmployeeKind.PNS),
        ("pns", EmployeeKind.PNS),
        (" Pns ", EmployeeKind.PNS),
        ("PPPK", EmployeeKind.PPPK),
        ("pppk", EmployeeKind.PPPK),
        ("\tPppK\n", EmployeeKind.PPPK),
    ],
)
def test_given_employee_kind_spelling_when_parsed_then_recognised(
    text: str,
    expected: EmployeeKind,
) -> None:
    assert parse_employee_kind(text) is expected


@pytest.mark.parametrize("text", ["", "CPNS", "P3K", "honorer", "P N S", "PNS/PPPK"])
def test_given_unknown_employee_kind_when_parsed_then_value_error(text: str) -> None:
    with pytest.raises(ValueError, match="Unknown employee kind"):
        parse_employee_kind(text)


# --- decode_pppk_ni ------------------------------------------------------------------------


def test_given_pppk_ni_in_the_common_layout_when_decoded_then_birth_and_gender() -> None:
    info = decode_pppk_ni("198507152022212001", today=TODAY)

    assert info is not None
    assert (info.birth_date, info.appointment_year, info.gender) == (
        date(1985, 7, 15),
        2022,
        Gender.PEREMPUAN,
    )


@pytest.mark.parametrize(
    "ni",
    [
        pytest.param("198507152022011001", id="a month, not the PPPK marker"),
        pytest.param("198502302022212001", id="no such birth date"),
        pytest.param("198507152022213001", id="gender digit 3"),
        pytest.param("198507152022212000", id="sequence 000"),
        pytest.param("200807152022212001", id="appointed at 14"),
        pytest.param("198507152030212001", id="appointed in a future year"),
        pytest.param("12345678901234567", id="17 digits"),
    ],
)
def test_given_pppk_ni_outside_the_layout_when_decoded_then_nothing(ni: str) -> None:
    assert decode_pppk_ni(ni, today=TODAY) is None
