"""Display labels (Indonesian) and descriptions of the schema's enum values.

Every enum value of the API gets a description (English, for the SDL and codegen) and a display
label (Indonesian, for screens): apps read the labels with ``enumLabels(enum:)`` instead of
keeping label tables of their own. A domain's vocabularies declare both with each value
(:class:`portal.core.vocabulary.Vocabulary`); the table below documents the enums that are no
vocabulary, and this module puts both into the schema. ``tests/contract/test_schema_contract.py``
fails when an enum value has neither. ``ErrorCode`` is documented by the error catalogue
(``portal/core/error_codes.py``).
"""

from __future__ import annotations

import json
from typing import Annotated

import strawberry
from graphql import GraphQLEnumType, GraphQLSchema

from portal.core.context import Info
from portal.core.vocabulary import Vocabulary

# The schema's enums that are no Vocabulary: those the GraphQL layer makes (the orderings'
# fields and direction, exports, notification categories) and Role.
# enum -> value -> (description, Indonesian label)
# fmt: off
ENUM_VALUES: dict[str, dict[str, tuple[str, str]]] = {
    "ActivityOrderField": {
        "ACTIVITY_DATE": ("The day the work was done.", "Tanggal kegiatan"),
    },
    "AuditEntryOrderField": {
        "AT": ("When it happened.", "Waktu"),
        "ACTION": ("The action's name.", "Tindakan"),
    },
    "EvaluationOrderField": {
        "STATUS": ("The evaluation's status (DRAFT before FINAL).", "Status"),
    },
    "EmployeeOrderField": {
        "NAME": ("The employee's name.", "Nama"),
        "NIP": ("The employee's NIP.", "NIP"),
    },
    "TeamMemberOrderField": {
        "NAME": ("The subordinate's name.", "Nama"),
        "AVERAGE_PROGRESS": ("Mean progress over the SKP's indicators.", "Rata-rata capaian"),
        "INDICATORS_BEHIND": ("Indicators trailing the pace.", "Indikator tertinggal"),
        "PENDING_VERIFICATIONS": ("Activities awaiting verification.", "Menunggu verifikasi"),
        "LAST_ACTIVITY_DATE": ("Latest logged work day.", "Aktivitas terakhir"),
    },
    "OrderDirection": {
        "ASC": ("Ascending: A to Z, oldest first.", "Naik (A-Z, terlama dulu)"),
        "DESC": ("Descending: Z to A, newest first.", "Turun (Z-A, terbaru dulu)"),
    },
    "ExportFormat": {
        "CSV": ("Comma-separated values (UTF-8).", "CSV"),
        "XLSX": ("An Excel workbook.", "Excel (XLSX)"),
    },
    "ExportKind": {
        "INCENTIVES": ("The incentive lines of an OPD for a period.", "Insentif kinerja"),
        "ADOPTION_FUNNEL": ("The adoption funnel per OPD and week.", "Corong adopsi"),
    },
    "NotificationCategory": {
        "MENTORING": ("Mentoring alerts and their follow-up.", "Peringatan mentoring"),
        "VERIFICATION": ("Activities logged, verified or rejected.", "Verifikasi aktivitas"),
        "FEEDBACK": ("Feedback threads and performance dialogues.", "Umpan balik"),
        "TRAINING": ("Training, coaching and sessions.", "Pelatihan dan pendampingan"),
        "PERFORMANCE": ("SKP, evaluations and objections.", "SKP dan penilaian"),
        "OTHER": ("Everything else (e.g. acting appointments, moves).", "Lainnya"),
    },
    "Role": {
        "PEGAWAI": ("Every employee.", "Pegawai"),
        "ATASAN": ("Has subordinates.", "Atasan"),
        "ADMIN_OPD": ("Administers one OPD.", "Admin OPD"),
        "ADMIN_BKPSDM": ("Administers the whole city (BKPSDM).", "Admin BKPSDM"),
        "PENGELOLA_SOSIALISASI": ("Runs the adoption programme.", "Pengelola sosialisasi"),
    },
}

# argument name -> description, for arguments every field uses in the same sense
ARGUMENTS: dict[str, str] = {
    "input": "The operation's input (fields described on its input type).",
    "first": "Page size: how many edges to return (1-100).",
    "after": "Cursor: return the edges after this one (`pageInfo.endCursor` of the last page).",
    "last": "Page size going backward: how many edges before `before` (or at the end) (1-100); "
    "not together with `first`/`after`.",
    "before": "Cursor: return the edges before this one (`pageInfo.startCursor` of the page "
    "after).",
    "orderBy": "Ordering of the list (default: the order its description gives); cursors "
    "belong to one ordering.",
    "periodId": "The period (default: the current one).",
    "filter": "Narrows the list; every field given must match.",
    "employeeId": "The employee (default: the viewer).",
    "directOnly": "Only direct subordinates (false: the whole supervisor subtree).",
    "status": "Only items in this status.",
    "id": "Global ID of the object.",
    "ids": "Global IDs of the objects.",
    "year": "The calendar year.",
    "asCoach": "True: assignments where the viewer is the coach; false: where they are coached.",
    "unreadOnly": "Only unread notifications.",
    "threadId": "Global ID of the feedback thread.",
    "enum": "Name of an enum of the schema (e.g. SkpStatus); null for every enum.",
    "evaluationId": "Global ID of the evaluation.",
    "toDecide": "True: only the objections the viewer is to decide.",
    "opdId": "Global ID of the OPD (default: every OPD the viewer may see).",
    "activeOn": "Only appointments in force on this date (city time).",
    "endpoint": "The Web Push endpoint URL of the browser's subscription.",
    "driftedOnly": "Only scoring runs whose input drift passed the threshold.",
}
# fmt: on


@strawberry.type(description="The display label of one enum value.")
class EnumLabel:
    """One row of ``enumLabels``."""

    enum: str = strawberry.field(description="Name of the enum, e.g. SkpStatus.")
    value: str = strawberry.field(description="The enum value, e.g. APPROVED.")
    label: str = strawberry.field(description="Indonesian display label, e.g. Disetujui.")
    description: str = strawberry.field(description="What the value means (English).")


@strawberry.type
class EnumLabelsQuery:
    """``enumLabels``."""

    @strawberry.field(
        description="Indonesian display labels of enum values, so apps keep no label tables: "
        "one enum by name, or every enum. Public (no login needed), cacheable."
    )
    def enum_labels(
        self,
        info: Info,
        enum: Annotated[str | None, strawberry.argument(description=ARGUMENTS["enum"])] = None,
    ) -> list[EnumLabel]:
        """Labels, in declaration order."""
        types = info.schema.schema_converter.type_map
        names = [enum] if enum is not None else sorted(types)
        enums = [types[name].implementation for name in names if name in types]
        return [
            EnumLabel(enum=gql_type.name, value=value, label=label, description=description)
            for gql_type in enums
            if isinstance(gql_type, GraphQLEnumType)
            for value, (description, label) in labelled_values(gql_type).items()
        ]


def labelled_values(enum: GraphQLEnumType) -> dict[str, tuple[str, str]]:
    """Value -> (description, Indonesian label) of one of the schema's enums, in order.

    Empty for the enums documented elsewhere (``ErrorCode``) or not at all (introspection's).
    """
    wrapped = getattr(enum, "wrapped_cls", None)  # the Python enum strawberry made it from
    if isinstance(wrapped, type) and issubclass(wrapped, Vocabulary):
        return {member.name: (member.description, member.label) for member in wrapped}
    return ENUM_VALUES.get(enum.name, {})


def label_tables(schema: GraphQLSchema) -> str:
    """Every enum's labels as ``graphql/enum-labels.json``: ``{enum: {value: label}}``.

    The answer of ``enumLabels`` committed beside the SDL, so a web app builds its labels in
    and asks for them on no slow network (``tests/contract`` fails when it drifts).
    """
    tables = {
        name: {value: label for value, (_, label) in labelled_values(gql_type).items()}
        for name, gql_type in sorted(schema.type_map.items())
        if isinstance(gql_type, GraphQLEnumType) and labelled_values(gql_type)
    }
    return json.dumps(tables, indent=2, ensure_ascii=False) + "\n"


def document(schema: GraphQLSchema) -> None:
    """Fill the descriptions of enum values and common arguments the domains left empty."""
    for name, gql_type in schema.type_map.items():
        if isinstance(gql_type, GraphQLEnumType):
            described = labelled_values(gql_type)
            for value_name, value in gql_type.values.items():
                if not value.description and value_name in described:
                    value.description = described[value_name][0]
        fields = getattr(gql_type, "fields", None)
        if name.startswith("__") or not isinstance(fields, dict):
            continue
        for field in fields.values():
            for arg_name, arg in getattr(field, "args", {}).items():
                if not arg.description and arg_name in ARGUMENTS:
                    arg.description = ARGUMENTS[arg_name]
