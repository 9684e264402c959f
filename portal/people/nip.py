"""Civil-servant identifiers and rank vocabularies (DESIGN.md §3 "Identifiers").

A PNS NIP is 18 ASCII digits::

    YYYYMMDD  YYYYMM  G  NNN
    birth     TMT     |  sequence (001-999)
    date      CPNS    gender (1 male, 2 female)

PPPK staff carry an 18-digit NI whose digits mean something else: its shape is checked, and
when it follows the common layout ``YYYYMMDD YYYY 21 G NNN`` (birth date, appointment year, the
PPPK marker 21, gender, sequence) :func:`decode_pppk_ni` reads the birth date and gender from
it. The module also parses the golongan, jabatan-kind and employee-kind spellings found
in SIMPEG exports. Everything here is pure: no I/O, and "today" can be injected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Final, assert_never

from portal.core import clock
from portal.people.enums import EmployeeKind, Gender, Golongan, JabatanKind

NIP_LENGTH: Final = 18
"""Number of digits in a PNS NIP and in a PPPK NI."""

MIN_BIRTH_YEAR: Final = 1940
"""Earliest birth year accepted in a NIP."""

MIN_AGE_AT_TMT: Final = 18
"""A CPNS appointment (TMT, the first of its month) cannot be earlier than the 18th birthday."""

PPPK_MARKER: Final = "21"
"""Digits 13-14 of a PPPK NI that follows the NIP layout: no month is 21, so it marks PPPK."""

NIP_FORMAT: Final = "NIP_FORMAT"
NIP_BIRTH_DATE: Final = "NIP_BIRTH_DATE"
NIP_TMT: Final = "NIP_TMT"
NIP_GENDER: Final = "NIP_GENDER"
NIP_SEQUENCE: Final = "NIP_SEQUENCE"

_ASCII_DIGITS: Final = frozenset("0123456789")
_GENDER_BY_DIGIT: Final = {"1": Gender.LAKI_LAKI, "2": Gender.PEREMPUAN}
_DIGIT_BY_GENDER: Final = {gender: digit for digit, gender in _GENDER_BY_DIGIT.items()}
_MAX_SEQUENCE: Final = 999
_MONTHS_PER_YEAR: Final = 12

_GOLONGAN_RE: Final = re.compile(r"(IV|III|II|I)\s*[/_-]?\s*([A-E])")
_JABATAN_SEPARATORS_RE: Final = re.compile(r"[\s_-]+")


class NipError(ValueError):
    """An identifier (PNS NIP or PPPK NI) failed validation.

    Attributes:
        code: Machine-readable reason: ``NIP_FORMAT``, ``NIP_BIRTH_DATE``, ``NIP_TMT``,
            ``NIP_GENDER`` or ``NIP_SEQUENCE``.
        message: Short, user-facing English explanation.
        indonesian: The same explanation in Indonesian (what users read by default).

    """

    code: str
    message: str
    indonesian: str

    def __init__(self, code: str, message: str, indonesian: str = "") -> None:
        """Create the error.

        Args:
            code: Machine-readable reason (one of the ``NIP_*`` constants).
            message: Short, user-facing English explanation.
            indonesian: The same in Indonesian (defaults to the English text).

        """
        super().__init__(message)
        self.code = code
        self.message = message
        self.indonesian = indonesian or message

    def __reduce__(self) -> tuple[type[NipError], tuple[str, str, str]]:
        """Support pickling (the constructor takes three arguments, ``args`` holds one)."""
        return (type(self), (self.code, self.message, self.indonesian))


@dataclass(frozen=True, slots=True)
class NipInfo:
    """What a valid PNS NIP encodes.

    Attributes:
        nip: The normalised NIP (surrounding whitespace removed).
        birth_date: Date of birth (digits 1-8).
        tmt_cpns: First day of the TMT CPNS month (digits 9-14).
        gender: Gender (digit 15).
        sequence: Sequence number, 1 to 999 (digits 16-18).

    """

    nip: str
    birth_date: date
    tmt_cpns: date
    gender: Gender
    sequence: int


def _today() -> date:
    return clock.today()


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February -> the birthday is reached on 1 March
        return date(day.year + years, 3, 1)


def _is_ascii_digits(value: str) -> bool:
    return len(value) == NIP_LENGTH and _ASCII_DIGITS.issuperset(value)


def _month_index(year: int, month: int) -> int:
    """Months since year 0, so that calendar months compare and subtract as integers."""
    return year * _MONTHS_PER_YEAR + (month - 1)


def _parse_birth_date(digits: str, today: date) -> date:
    try:
        birth = date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise NipError(
            NIP_BIRTH_DATE,
            "NIP birth date (digits 1-8) is not a valid date",
            "Tanggal lahir pada NIP (digit 1-8) bukan tanggal yang valid",
        ) from None
    if birth.year < MIN_BIRTH_YEAR:
        raise NipError(
            NIP_BIRTH_DATE,
            f"NIP birth year must be {MIN_BIRTH_YEAR} or later",
            f"Tahun lahir pada NIP paling awal {MIN_BIRTH_YEAR}",
        )
    if birth > today:
        raise NipError(
            NIP_BIRTH_DATE,
            "NIP birth date is in the future",
            "Tanggal lahir pada NIP ada di masa depan",
        )
    return birth


def _ymd(day: date) -> tuple[int, int, int]:
    return day.year, day.month, day.day


def _parse_tmt(digits: str, birth: date, today: date) -> date:
    year, month = int(digits[8:12]), int(digits[12:14])
    if not 1 <= month <= _MONTHS_PER_YEAR:
        raise NipError(
            NIP_TMT,
            "NIP TMT CPNS month (digits 13-14) must be 01 to 12",
            "Bulan TMT CPNS pada NIP (digit 13-14) harus 01 sampai 12",
        )
    tmt = _month_index(year, month)
    # The TMT is the first day of its month; the full 18th birthday must have come by then.
    if (year, month, 1) < _ymd(add_years(birth, MIN_AGE_AT_TMT)):
        raise NipError(
            NIP_TMT,
            f"NIP TMT CPNS is before the {MIN_AGE_AT_TMT}th birthday",
            f"TMT CPNS pada NIP sebelum usia {MIN_AGE_AT_TMT} tahun",
        )
    if tmt > _month_index(today.year, today.month):
        raise NipError(
            NIP_TMT,
            "NIP TMT CPNS is in the future",
            "TMT CPNS pada NIP ada di masa depan",
        )
    # Past the 18th-birthday check the year is at least MIN_BIRTH_YEAR + 18: a valid date.
    return date(year, month, 1)


def parse_nip(value: str, *, today: date | None = None) -> NipInfo:
    """Validate a PNS NIP and decode what it encodes.

    Checks run in this order and the first failure is raised: format, birth date, TMT CPNS,
    gender digit, sequence.

    Args:
        value: The NIP; surrounding whitespace is ignored, internal whitespace is not.
        today: Reference date for the "not in the future" checks (defaults to today).

    Returns:
        The decoded birth date, TMT CPNS (first day of the month), gender and sequence.

    Raises:
        NipError: With code ``NIP_FORMAT`` (not exactly 18 ASCII digits), ``NIP_BIRTH_DATE``
            (not a real date, year before 1940, or in the future), ``NIP_TMT`` (month not
            1-12, before the 18th birthday, or after the current month),
            ``NIP_GENDER`` (digit 15 not 1 or 2) or ``NIP_SEQUENCE`` (sequence 000).

    """
    reference = _today() if today is None else today
    nip = value.strip()
    if not _is_ascii_digits(nip):
        raise NipError(
            NIP_FORMAT,
            f"NIP must be {NIP_LENGTH} digits",
            f"NIP harus {NIP_LENGTH} digit angka",
        )
    birth = _parse_birth_date(nip, reference)
    tmt = _parse_tmt(nip, birth, reference)
    gender = _GENDER_BY_DIGIT.get(nip[14])
    if gender is None:
        raise NipError(
            NIP_GENDER,
            "NIP gender digit (digit 15) must be 1 or 2",
            "Digit jenis kelamin pada NIP (digit 15) harus 1 atau 2",
        )
    sequence = int(nip[15:18])
    if sequence == 0:
        raise NipError(
            NIP_SEQUENCE,
            "NIP sequence number (digits 16-18) must not be 000",
            "Nomor urut pada NIP (digit 16-18) tidak boleh 000",
        )
    return NipInfo(nip=nip, birth_date=birth, tmt_cpns=tmt, gender=gender, sequence=sequence)


def validate_pppk_ni(value: str) -> str:
    """Validate a PPPK NI, whose digits do not follow the NIP layout.

    Args:
        value: The NI; surrounding whitespace is ignored, internal whitespace is not.

    Returns:
        The NI with surrounding whitespace removed.

    Raises:
        NipError: With code ``NIP_FORMAT`` if it is not exactly 18 ASCII digits.

    """
    ni = value.strip()
    if not _is_ascii_digits(ni):
        raise NipError(
            NIP_FORMAT,
            f"NI PPPK must be {NIP_LENGTH} digits",
            f"NI PPPK harus {NIP_LENGTH} digit angka",
        )
    return ni


@dataclass(frozen=True, slots=True)
class PppkInfo:
    """What a PPPK NI in the common layout tells (see :func:`decode_pppk_ni`).

    Attributes:
        ni: The NI, stripped.
        birth_date: Birth date (digits 1-8).
        appointment_year: Year of the PPPK appointment (digits 9-12).
        gender: Gender (digit 15).
    """

    ni: str
    birth_date: date
    appointment_year: int
    gender: Gender


def decode_pppk_ni(value: str, *, today: date | None = None) -> PppkInfo | None:
    """Read birth date, appointment year and gender from a PPPK NI, when it follows the layout.

    A NI in the layout ``YYYYMMDD YYYY 21 G NNN`` (the marker 21 where a NIP has the TMT month)
    is decoded when every part is plausible: a real birth date from 1940 up to today, an
    appointment at 18 or older and not after this year, gender 1 or 2, sequence not 000.
    Other NIs (older or regional numbering) tell nothing, and ``None`` is returned: they are
    still valid identifiers (:func:`validate_pppk_ni`).

    Args:
        value: The NI; surrounding whitespace is ignored.
        today: Reference date (defaults to today in the deployment's time zone).

    Returns:
        The decoded parts, or ``None`` when the NI does not follow the layout.
    """
    ni = value.strip()
    if not _is_ascii_digits(ni) or ni[12:14] != PPPK_MARKER:
        return None
    reference = _today() if today is None else today
    try:
        birth = _parse_birth_date(ni, reference)
    except NipError:
        return None
    year = int(ni[8:12])
    gender = _GENDER_BY_DIGIT.get(ni[14])
    if (
        gender is None
        or int(ni[15:18]) == 0
        or year > reference.year
        or year < add_years(birth, MIN_AGE_AT_TMT).year
    ):
        return None
    return PppkInfo(ni=ni, birth_date=birth, appointment_year=year, gender=gender)


def validate_identifier(
    value: str,
    kind: EmployeeKind,
    *,
    today: date | None = None,
) -> NipInfo | None:
    """Validate an employee identifier according to the employee kind.

    Args:
        value: The NIP (PNS) or NI (PPPK).
        kind: The employee kind, which decides how ``value`` is read.
        today: Reference date for the PNS "not in the future" checks (defaults to today).

    Returns:
        The decoded NIP for a PNS; ``None`` for a PPPK (its NI encodes nothing we use).

    Raises:
        NipError: If the identifier is invalid for that kind.

    """
    match kind:
        case EmployeeKind.PNS:
            return parse_nip(value, today=today)
        case EmployeeKind.PPPK:
            validate_pppk_ni(value)
            return None
        case _:  # pragma: no cover - exhaustive
            assert_never(kind)


def make_nip(birth_date: date, tmt_cpns: date, gender: Gender, sequence: int) -> str:
    """Build a NIP from its parts (the inverse of :func:`parse_nip`, for demo data).

    Only the sequence is range-checked; pass the result to :func:`parse_nip` to validate
    the dates against each other and against today.

    Args:
        birth_date: Date of birth.
        tmt_cpns: TMT CPNS; only its year and month are encoded.
        gender: Gender.
        sequence: Sequence number, 1 to 999.

    Returns:
        The 18-digit NIP.

    Raises:
        ValueError: If ``sequence`` is not in 1..999.

    """
    if not 1 <= sequence <= _MAX_SEQUENCE:
        raise ValueError(f"NIP sequence must be between 1 and {_MAX_SEQUENCE}, got {sequence}")
    return (
        f"{birth_date.year:04d}{birth_date.month:02d}{birth_date.day:02d}"
        f"{tmt_cpns.year:04d}{tmt_cpns.month:02d}"
        f"{_DIGIT_BY_GENDER[gender]}{sequence:03d}"
    )


def parse_golongan(text: str) -> Golongan:
    """Parse a golongan/ruang as written in SIMPEG exports and forms.

    Accepts ``"III/a"`` in any letter case, with optional spaces around the slash
    (``" III / a "``), without the slash (``"IIIa"``) and the enum name (``"III_A"``).

    Args:
        text: The golongan text.

    Returns:
        The matching golongan.

    Raises:
        ValueError: If the text is not a golongan from I/a to IV/e.

    """
    match = _GOLONGAN_RE.fullmatch(text.strip().upper())
    member = None if match is None else Golongan.__members__.get(f"{match[1]}_{match[2]}")
    if member is None:
        raise ValueError(f"Unknown golongan {text!r}: expected I/a to IV/e, e.g. 'III/a'")
    return member


def parse_jabatan_kind(text: str) -> JabatanKind:
    """Parse a jabatan kind from its enum name or a SIMPEG spelling.

    Case is ignored and runs of spaces, hyphens and underscores count as one separator, so
    ``"JPT_PRATAMA"``, ``"JPT Pratama"``, ``"Fungsional Ahli Muda"`` and
    ``"fungsional-terampil"`` are all accepted.

    Args:
        text: The jabatan kind text.

    Returns:
        The matching jabatan kind.

    Raises:
        ValueError: If the text names no jabatan kind.

    """
    name = _JABATAN_SEPARATORS_RE.sub("_", text.strip()).upper()
    member = JabatanKind.__members__.get(name)
    if member is None:
        raise ValueError(
            f"Unknown jabatan kind {text!r}: expected e.g. 'Pelaksana', 'JPT Pratama' "
            "or 'Fungsional Ahli Muda'",
        )
    return member


def parse_employee_kind(text: str) -> EmployeeKind:
    """Parse an employee kind, ignoring case and surrounding whitespace.

    Args:
        text: ``"PNS"`` or ``"PPPK"`` in any letter case.

    Returns:
        The matching employee kind.

    Raises:
        ValueError: If the text is neither PNS nor PPPK.

    """
    member = EmployeeKind.__members__.get(text.strip().upper())
    if member is None:
        raise ValueError(f"Unknown employee kind {text!r}: expected 'PNS' or 'PPPK'")
    return member
