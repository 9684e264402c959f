"""The one catalogue of error codes: ``UserError.code`` and every error's ``extensions.code``.

Each code names one condition, whatever the field or domain that meets it. The schema exposes
the catalogue as the ``ErrorCode`` enum (each value described by its English text), and the
README lists it. Messages are Indonesian by default; a request whose ``Accept-Language``
prefers English gets the catalogue's English text for the code instead. Domain services raise
their own, more specific Indonesian messages; the catalogue's Indonesian text is used where
the infrastructure (authentication, limits, transport) answers. ``tests/contract/
test_error_codes.py`` fails when code anywhere raises a code that is not listed here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from enum import Enum
from typing import Literal

logger = logging.getLogger("portal.errors")

Language = Literal["id", "en"]
DEFAULT_LANGUAGE: Language = "id"
# The language of the request being answered (set by the context getter from Accept-Language).
LANGUAGE: ContextVar[Language] = ContextVar("portal_language", default=DEFAULT_LANGUAGE)


@dataclass(frozen=True, slots=True)
class Entry:
    """One code: when it happens (English, also the English message) and the Indonesian text."""

    en: str
    id: str


# fmt: off
CATALOGUE: dict[str, Entry] = {
    # --- authentication and permission -------------------------------------------------------
    "UNAUTHENTICATED": Entry("Authentication required: send a valid access token", "Silakan masuk terlebih dahulu"),  # noqa: E501
    "TOKEN_EXPIRED": Entry("The access token expired: refresh it and retry", "Sesi Anda telah berakhir, silakan perbarui token"),  # noqa: E501
    "TOKEN_REVOKED": Entry("The access token was revoked (logout or password change)", "Token akses telah dicabut, silakan masuk kembali"),  # noqa: E501
    "INVALID_TOKEN": Entry("The access token is malformed or its signature is wrong", "Token akses tidak valid"),  # noqa: E501
    "INVALID_REFRESH_TOKEN": Entry("The refresh token is unknown, expired or already used", "Token penyegaran tidak valid"),  # noqa: E501
    "INVALID_CREDENTIALS": Entry("Wrong username or password", "Nama pengguna atau kata sandi salah"),  # noqa: E501
    "ACCOUNT_DISABLED": Entry("The account is disabled", "Akun dinonaktifkan"),
    "ACCOUNT_LOCKED": Entry("Too many failed logins: the account is locked for a while", "Akun dikunci sementara karena terlalu banyak percobaan masuk"),  # noqa: E501
    "TOO_MANY_ATTEMPTS": Entry("Too many failed logins from this address or for this name: wait, then retry", "Terlalu banyak percobaan masuk, silakan tunggu lalu coba lagi"),  # noqa: E501
    "WEAK_PASSWORD": Entry("The new password is too weak", "Kata sandi terlalu lemah"),
    "FORBIDDEN": Entry("Your role does not allow this", "Anda tidak berwenang melakukan ini"),
    "INVALID_ROLE": Entry("Unknown role", "Peran tidak dikenal"),
    # --- lookups and identifiers ---------------------------------------------------------------
    "NOT_FOUND": Entry("The object does not exist or you may not see it", "Data tidak ditemukan"),
    "INVALID_ID": Entry("Not a valid global ID (or an ID of another type)", "ID tidak valid"),
    "INVALID_CURSOR": Entry("Not a valid pagination cursor", "Kursor halaman tidak valid"),
    "INVALID_PAGE_SIZE": Entry("first/last must be between 1 and the page limit", "Ukuran halaman tidak valid"),  # noqa: E501
    "TOO_MANY_IDS": Entry("Too many ids in one request", "Terlalu banyak ID dalam satu permintaan"),
    "INVALID_REFERENCE": Entry("A referenced object does not belong here", "Rujukan tidak sesuai"),
    # --- input values --------------------------------------------------------------------------
    "INVALID_VALUE": Entry("A value is not one of the allowed ones", "Nilai tidak valid"),
    "INVALID_LENGTH": Entry("A text is too short or too long", "Panjang teks tidak sesuai"),
    "TEXT_TOO_LONG": Entry("A text is too long", "Teks terlalu panjang"),
    "TEXT_TOO_SHORT": Entry("A text is too short", "Teks terlalu pendek"),
    "INVALID_CHARACTER": Entry("A text holds control or invisible characters", "Teks memuat karakter yang tidak diizinkan"),  # noqa: E501
    "REQUIRED": Entry("A required value is missing", "Wajib diisi"),
    "MISSING_PARAMETER": Entry("A required parameter is missing", "Parameter wajib tidak ada"),
    "INVALID_RANGE": Entry("A range is empty or reversed", "Rentang tidak valid"),
    "INVALID_DATE": Entry("Not a valid date", "Tanggal tidak valid"),
    "FUTURE_DATE": Entry("The date lies in the future", "Tanggal tidak boleh di masa depan"),
    "BEFORE_PERIOD": Entry("The date lies before the period", "Tanggal sebelum periode"),
    "AFTER_PERIOD": Entry("The date lies after the period", "Tanggal setelah periode"),
    "INVALID_DURATION": Entry("Not a valid duration", "Durasi tidak valid"),
    "INVALID_QUANTITY": Entry("Not a valid quantity", "Jumlah tidak valid"),
    "NEGATIVE_QUANTITY": Entry("A quantity is negative", "Jumlah tidak boleh negatif"),
    "INVALID_EMAIL": Entry("Not a valid e-mail address", "Alamat e-mail tidak valid"),
    "EMAIL_REQUIRED": Entry("E-mail delivery needs an e-mail address", "Pengiriman e-mail memerlukan alamat e-mail"),  # noqa: E501
    "INVALID_TIME": Entry("Not a valid time of day (HH:MM)", "Waktu tidak valid (JJ:MM)"),
    "INVALID_ENDPOINT": Entry("Not a valid Web Push endpoint (https only)", "Endpoint Web Push tidak valid"),  # noqa: E501
    "INVALID_KEY": Entry("Not a valid Web Push subscription key", "Kunci langganan Web Push tidak valid"),  # noqa: E501
    "INVALID_URL": Entry("Not an allowed URL (https only)", "URL tidak valid"),
    "INVALID_LINK": Entry("Not an allowed evidence link", "Tautan bukti tidak valid"),
    "TOO_MANY_LINKS": Entry("Too many evidence links", "Terlalu banyak tautan bukti"),
    "INVALID_NIP": Entry("Not a valid NIP (18 digits with a consistent birth date)", "NIP tidak valid"),  # noqa: E501
    "INVALID_CSV": Entry("The CSV file cannot be read", "Berkas CSV tidak dapat dibaca"),
    "INVALID_IDEMPOTENCY_KEY": Entry("The idempotency key is malformed", "Kunci idempotensi tidak valid"),  # noqa: E501
    "IDEMPOTENCY_CONFLICT": Entry("The idempotency key was used before with other content", "Kunci idempotensi sudah dipakai untuk isian lain"),  # noqa: E501
    "BATCH_TOO_LARGE": Entry("Too many items in one batch", "Terlalu banyak item dalam satu kiriman"),  # noqa: E501
    "DUPLICATE": Entry("The object already exists", "Data sudah ada"),
    "CONFLICT": Entry("The object changed meanwhile: reload and retry", "Data telah berubah, muat ulang lalu coba lagi"),  # noqa: E501
    "INVALID_STATE": Entry("The object's status does not allow this", "Status saat ini tidak mengizinkan tindakan ini"),  # noqa: E501
    "ALREADY_DONE": Entry("This was done already", "Sudah dilakukan"),
    "REASON_REQUIRED": Entry("A reason is required", "Alasan wajib diisi"),
    "NOTE_REQUIRED": Entry("A note is required", "Catatan wajib diisi"),
    # --- people --------------------------------------------------------------------------------
    "UNKNOWN_UNIT": Entry("Unknown unit code", "Unit kerja tidak dikenal"),
    "UNIT_OUT_OF_SCOPE": Entry("The unit or employee belongs to another OPD", "Unit kerja di luar OPD Anda"),  # noqa: E501
    "UNKNOWN_SUPERVISOR": Entry("Unknown supervisor NIP", "NIP atasan tidak dikenal"),
    "DUPLICATE_NIP": Entry("The NIP appears twice in the file", "NIP muncul lebih dari sekali"),
    "CYCLIC_SUPERVISOR": Entry("The supervisor chain forms a cycle", "Rantai atasan membentuk siklus"),  # noqa: E501
    # --- performance planning ------------------------------------------------------------------
    "NO_PERIOD": Entry("No period covers this date", "Tidak ada periode untuk tanggal ini"),
    "NOT_ANNUAL": Entry("SKPs are made for annual periods", "SKP dibuat untuk periode tahunan"),
    "PERIOD_CLOSED": Entry("The period is closed", "Periode sudah ditutup"),
    "PERIOD_MISMATCH": Entry("The objects belong to different periods", "Periode tidak sesuai"),
    "SKP_LOCKED": Entry("The SKP cannot be changed in its status", "SKP tidak dapat diubah pada status ini"),  # noqa: E501
    "SKP_NOT_APPROVED": Entry("The SKP is not approved yet", "SKP belum disetujui"),
    "RATER_SKP_NOT_APPROVED": Entry("The supervisor's SKP must be approved first", "SKP atasan harus disetujui lebih dulu"),  # noqa: E501
    "TOO_MANY_RHK": Entry("Too many RHK in one SKP", "Terlalu banyak RHK"),
    "NO_RHK_UTAMA": Entry("An SKP needs at least one main RHK", "SKP memerlukan minimal satu RHK utama"),  # noqa: E501
    "RHK_WITHOUT_INDICATOR": Entry("Every RHK needs an indicator", "Setiap RHK memerlukan indikator"),  # noqa: E501
    "RHK_IN_USE": Entry("A subordinate's RHK intervenes this RHK", "RHK ini diintervensi oleh RHK bawahan"),  # noqa: E501
    "PARENT_RHK_REQUIRED": Entry("A main RHK must intervene a supervisor's RHK", "RHK utama harus mengintervensi RHK atasan"),  # noqa: E501
    "INVALID_PARENT_RHK": Entry("The intervened RHK is not in the supervisor's SKP", "RHK yang diintervensi bukan milik SKP atasan"),  # noqa: E501
    "PERSPECTIVE_REQUIRED": Entry("A JPT RHK needs a perspective", "RHK JPT memerlukan perspektif"),
    "PERSPECTIVE_NOT_ALLOWED": Entry("Perspectives are for JPT only", "Perspektif hanya untuk JPT"),
    "INVALID_INDICATORS": Entry("Wrong number of indicators", "Jumlah indikator tidak sesuai"),
    "INVALID_TARGET": Entry("A target must be above zero", "Target harus lebih dari 0"),
    "INDICATOR_NOT_IN_SKP": Entry("The indicator is not in this SKP", "Indikator bukan bagian dari SKP ini"),  # noqa: E501
    "INVALID_REALISATION": Entry("Not a valid realisation", "Realisasi tidak valid"),
    "ALREADY_SUBMITTED": Entry("Submitted already", "Sudah diajukan"),
    "ALREADY_VERIFIED": Entry("Verified already", "Sudah diverifikasi"),
    "EDIT_WINDOW_PASSED": Entry("The time to edit has passed", "Batas waktu perubahan telah lewat"),
    # --- evaluation ----------------------------------------------------------------------------
    "INVALID_RATING": Entry("Not a valid rating", "Penilaian tidak valid"),
    "INCOMPLETE": Entry("Required parts are not filled in yet", "Data belum lengkap"),
    "ALREADY_FINALISED": Entry("Finalised already", "Sudah difinalisasi"),
    "ALREADY_ACKNOWLEDGED": Entry("Acknowledged already", "Sudah ditanggapi"),
    "OPD_FINALISED": Entry("The OPD's period is finalised", "Periode OPD sudah difinalisasi"),
    "DRAFTS_REMAIN": Entry("Draft evaluations remain", "Masih ada penilaian berstatus draf"),
    "CURVE_VIOLATIONS": Entry("The distribution breaks the curve rules", "Distribusi predikat melanggar kurva"),  # noqa: E501
    "ORG_PREDIKAT_REQUIRED": Entry("Set the organisational predikat first", "Predikat organisasi belum ditetapkan"),  # noqa: E501
    "OVERRIDE_NOT_ALLOWED": Entry("Only BKPSDM may override", "Hanya BKPSDM yang dapat mengabaikan aturan ini"),  # noqa: E501
    "OVERRIDE_REASON_REQUIRED": Entry("An override needs a reason", "Pengabaian aturan memerlukan alasan"),  # noqa: E501
    "INVALID_RULES": Entry("The incentive rules are inconsistent", "Aturan insentif tidak konsisten"),  # noqa: E501
    "DUPLICATE_RULE": Entry("Two incentive rules overlap", "Aturan insentif ganda"),
    "MISSING_BASE_RULE": Entry("The base incentive rule is missing", "Aturan insentif dasar belum ada"),  # noqa: E501
    "INVALID_TPP_FACTOR": Entry("Not a valid TPP factor", "Faktor TPP tidak valid"),
    "INVALID_SHARE": Entry("Not a valid share", "Porsi tidak valid"),
    # --- feedback, coaching, mentoring ---------------------------------------------------------
    "THREAD_RESOLVED": Entry("The thread is resolved: reopen it first", "Percakapan sudah selesai; buka kembali"),  # noqa: E501
    "INVALID_COACH": Entry("Not a valid coach", "Pendamping tidak valid"),
    "COACH_REQUIRED": Entry("A coach is required", "Pendamping wajib dipilih"),
    "OUTCOME_REQUIRED": Entry("Write the coaching outcome", "Tuliskan hasil pendampingan"),
    "ALERT_CLOSED": Entry("The alert is closed", "Peringatan sudah ditutup"),
    "COURSE_REQUIRED": Entry("Choose a course from the employee's recommendations", "Pilih pelatihan dari rekomendasi pegawai"),  # noqa: E501
    "COURSE_NOT_RECOMMENDED": Entry("The course is not among the employee's recommendations", "Pelatihan ini tidak ada dalam rekomendasi pegawai"),  # noqa: E501
    "ALERT_NOT_ACTED": Entry("Only an acknowledged or acted-on alert can be resolved", "Hanya peringatan yang sudah dibaca atau ditindaklanjuti yang dapat diselesaikan"),  # noqa: E501
    "ALREADY_RESOLVED": Entry("The alert is already resolved", "Peringatan sudah diselesaikan"),
    "ALREADY_DECIDED": Entry("The objection was decided already: the decision is final", "Keberatan sudah diputuskan dan bersifat final"),  # noqa: E501
    "ALREADY_FILED": Entry("An objection to this evaluation was filed already", "Keberatan atas evaluasi ini sudah diajukan"),  # noqa: E501
    "DEADLINE_PASSED": Entry("The deadline for this has passed", "Batas waktu sudah lewat"),
    "OVERLAP": Entry("The date range overlaps an existing one", "Rentang tanggal tumpang tindih dengan yang sudah ada"),  # noqa: E501
    "UNCHANGED": Entry("A change was asked for but nothing changes", "Tidak ada yang berubah"),
    "NO_MODEL": Entry("No risk model is trained yet", "Model risiko belum tersedia"),
    # --- adoption ------------------------------------------------------------------------------
    "ALREADY_INVITED": Entry("Invited already", "Sudah diundang"),
    "ALREADY_CHECKED_IN": Entry("Checked in already", "Sudah tercatat hadir"),
    "ALREADY_ANSWERED": Entry("Answered already", "Sudah dijawab"),
    "CAPACITY_EXCEEDED": Entry("The session is full", "Kapasitas sesi penuh"),
    "SESSION_NOT_STARTED": Entry("The session has not started", "Sesi belum dimulai"),
    "NOT_ATTENDED": Entry("You did not attend this session", "Anda tidak menghadiri sesi ini"),
    "OUTSIDE_PROGRAM": Entry("Outside the program's dates", "Di luar jadwal program"),
    "SURVEY_NOT_OPEN": Entry("The survey is not open yet", "Survei belum dibuka"),
    "SURVEY_CLOSED": Entry("The survey is closed", "Survei sudah ditutup"),
    # --- training -------------------------------------------------------------------------------
    "ALREADY_ASSIGNED": Entry("The course is assigned already", "Pelatihan sudah ditugaskan"),
    "ALREADY_COMPLETED": Entry("The course is completed already", "Pelatihan sudah diselesaikan"),
    "ALREADY_DISMISSED": Entry("The recommendation is dismissed already", "Rekomendasi sudah diabaikan"),  # noqa: E501
    "ALREADY_RATED": Entry("The course is rated already", "Pelatihan sudah dinilai"),
    "NOT_COMPLETED": Entry("The course is not completed yet", "Pelatihan belum diselesaikan"),
    "COURSE_FULL": Entry("The course has no seats left", "Kuota pelatihan penuh"),
    "COURSE_NOT_OPEN": Entry("The course is not open for enrolment", "Pelatihan belum dibuka"),
    "COURSE_ARCHIVED": Entry("The course is archived", "Pelatihan sudah diarsipkan"),
    "ENROLMENT_CLOSED": Entry("Enrolment has closed", "Pendaftaran sudah ditutup"),
    "EMPLOYEE_INACTIVE": Entry("The employee is not active", "Pegawai tidak aktif"),
    "CAPACITY_BELOW_BOOKED": Entry("The capacity is below the seats booked", "Kapasitas lebih kecil dari peserta terdaftar"),  # noqa: E501
    "INVALID_CAPACITY": Entry("Not a valid capacity", "Kapasitas tidak valid"),
    "INVALID_DATES": Entry("The dates are inconsistent", "Tanggal tidak konsisten"),
    "INVALID_SCHEDULE": Entry("The schedule is inconsistent", "Jadwal tidak konsisten"),
    "INVALID_FORM": Entry("Unknown course form", "Bentuk pelatihan tidak dikenal"),
    "INVALID_JP": Entry("Not a valid number of JP hours", "Jumlah JP tidak valid"),
    "INVALID_SCORE": Entry("Not a valid score", "Nilai tidak valid"),
    "INVALID_THEMES": Entry("Unknown or too many themes", "Tema tidak valid"),
    "INVALID_INPUT": Entry("The input is inconsistent", "Masukan tidak konsisten"),
    "TOO_MANY_COMPETENCIES": Entry("Too many competencies", "Terlalu banyak kompetensi"),
    # --- request limits and transport ----------------------------------------------------------
    "RATE_LIMITED": Entry("Too many requests: retry after {retryAfter} seconds", "Terlalu banyak permintaan, coba lagi dalam {retryAfter} detik"),  # noqa: E501
    "TOO_LARGE": Entry("The request body is too large", "Permintaan terlalu besar"),
    "BAD_REQUEST": Entry("The HTTP request is malformed", "Permintaan tidak valid"),
    "INVALID_JSON": Entry("The request body is not a JSON object (or not UTF-8)", "Isi permintaan bukan objek JSON yang valid"),  # noqa: E501
    "UNSUPPORTED_CONTENT_TYPE": Entry("Send the request as application/json", "Jenis konten permintaan tidak didukung"),  # noqa: E501
    "METHOD_NOT_ALLOWED": Entry("This HTTP method is not allowed here", "Metode HTTP tidak diizinkan"),  # noqa: E501
    "GRAPHQL_VALIDATION_FAILED": Entry("The document does not parse or fit the schema", "Dokumen GraphQL tidak valid"),  # noqa: E501
    "QUERY_TOO_DEEP": Entry("The operation nests fields more than {limit} levels deep", "Kueri bersarang lebih dari {limit} tingkat"),  # noqa: E501
    "QUERY_TOO_COSTLY": Entry("Query cost {cost} exceeds the limit of {limit}: request smaller pages or fewer nested lists", "Biaya kueri {cost} melebihi batas {limit}: minta halaman lebih kecil atau lebih sedikit daftar bersarang"),  # noqa: E501
    "TOO_MANY_FIELDS": Entry("The operation expands to {fields} fields; at most {limit} are allowed", "Kueri menjadi {fields} kolom; paling banyak {limit}"),  # noqa: E501
    "TIMEOUT": Entry("The request took too long", "Permintaan melebihi batas waktu"),
    "TOO_MANY_SUBSCRIPTIONS": Entry("Too many open subscriptions", "Terlalu banyak langganan terbuka"),  # noqa: E501
    "PERSISTED_QUERY_NOT_FOUND": Entry("PersistedQueryNotFound", "PersistedQueryNotFound"),
    "PERSISTED_QUERY_HASH_MISMATCH": Entry("sha256Hash does not match the query text", "sha256Hash tidak cocok dengan teks kueri"),  # noqa: E501
    "PERSISTED_QUERY_NOT_SUPPORTED": Entry("Only persisted query version 1 is supported", "Hanya persisted query versi 1 yang didukung"),  # noqa: E501
    "PERSISTED_QUERY_REQUIRED": Entry("Only the portal's named operations may run here", "Hanya operasi bernama portal yang dapat dijalankan"),  # noqa: E501
    "SERVICE_UNAVAILABLE": Entry("A backing service is down: retry shortly", "Layanan sedang tidak tersedia, silakan coba lagi"),  # noqa: E501
    "INTERNAL_ERROR": Entry("Unexpected server error (quote extensions.requestId)", "Terjadi kesalahan pada server"),  # noqa: E501
}
# fmt: on

ErrorCode = Enum("ErrorCode", {code: code for code in CATALOGUE}, type=str)  # type: ignore[misc]
"""The catalogue as a Python enum (a ``str`` enum: members equal their code strings)."""

# Codes whose message the client matches literally (Apollo's persisted-query link)
_LITERAL = frozenset({"PERSISTED_QUERY_NOT_FOUND"})
_Q = re.compile(r"^\s*([A-Za-z]{1,8})(?:-[A-Za-z0-9]{1,8})*\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$")


def known(code: str) -> bool:
    """Whether ``code`` is in the catalogue."""
    return code in CATALOGUE


def checked(code: str) -> str:
    """``code`` itself when catalogued; otherwise logged and answered as ``INVALID_VALUE``."""
    if code in CATALOGUE:
        return code
    logger.error("error code %s is not in the catalogue (portal/core/error_codes.py)", code)
    return "INVALID_VALUE"


def preferred_language(accept_language: str | None) -> Language:
    """``en`` when ``Accept-Language`` ranks English above Indonesian, else ``id``."""
    best: tuple[float, Language] | None = None
    for part in (accept_language or "").split(","):
        match = _Q.match(part)
        if not match:
            continue
        primary = match.group(1).lower()
        try:
            quality = float(match.group(2)) if match.group(2) else 1.0
        except ValueError:
            continue
        language: Language | None = (
            "en" if primary == "en" else "id" if primary in {"id", "in"} else None
        )
        if language and quality > 0 and (best is None or quality > best[0]):
            best = (quality, language)
    return best[1] if best else DEFAULT_LANGUAGE


class _Params(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def message(
    code: str,
    specific: str | None = None,
    language: Language | None = None,
    params: Mapping[str, object] | None = None,
    english: str | None = None,
) -> str:
    """The text of an error: English from the catalogue, else the specific Indonesian text.

    Args:
        code: the error's code.
        specific: the raise site's own (Indonesian) message, if it has one.
        language: defaults to the request's (:data:`LANGUAGE`).
        params: values for the catalogue text's ``{placeholders}`` (the error's extensions).
        english: the raise site's own English message, if it has one (e.g. an importer row's
            details), used instead of the catalogue's English text.
    """
    language = language or LANGUAGE.get()
    entry = CATALOGUE.get(code)
    if entry is None:
        return specific or code
    if code in _LITERAL:
        return entry.en
    if language == "id" and specific:
        return specific
    if language == "en" and english:
        return english
    text = entry.en if language == "en" else entry.id
    return text.format_map(_Params(params or {})) if "{" in text else text


def catalogue_markdown() -> str:
    """The catalogue as the Markdown table of ``graphql/ERROR_CODES.md`` (checked by a test)."""
    lines = [
        "# Error codes",
        "",
        "Generated from `portal/core/error_codes.py` (the `ErrorCode` enum of the schema);",
        "`tests/contract/test_error_codes.py` fails when this file is stale. Messages are",
        "Indonesian unless `Accept-Language` prefers English; business rules may send a more",
        "specific Indonesian text than the one listed.",
        "",
        "| Code | Meaning (English message) | Indonesian message |",
        "|---|---|---|",
    ]
    lines += [f"| `{code}` | {e.en} | {e.id} |" for code, e in CATALOGUE.items()]
    return "\n".join(lines) + "\n"
