"""The performance domain's raw SQL (statements Piccolo's query builder cannot say as well).

Statements are built from fixed names and ``{}`` placeholders; lists are bound as one parameter
(:func:`portal.core.db.ids_match`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from portal.core.db import ids_match, ids_param
from portal.performance.enums import EvaluationStatus
from portal.performance.tables import Evaluation

_LATEST_EVALUATIONS = (
    'WITH "latest" AS (SELECT "evaluation"."id" AS "id", "evaluation"."employee" AS "employee_id",'
    ' "evaluation"."perilaku_rating" AS "perilaku_rating", "period"."name" AS "period_name",'
    ' ROW_NUMBER() OVER (PARTITION BY "evaluation"."employee"'
    ' ORDER BY "period"."ends_on" DESC, "evaluation"."id" DESC) AS "position"'
    ' FROM "evaluation" LEFT JOIN "period" ON "period"."id" = "evaluation"."period"'
    ' WHERE {match} AND "evaluation"."status" = {{}})'
    ' SELECT l."employee_id", l."perilaku_rating", l."period_name",'
    ' b."value", b."rating", b."note" FROM "latest" l'
    ' LEFT JOIN "evaluation_behaviour" b ON b."evaluation" = l."id"'
    ' WHERE l."position" = 1'
)


async def latest_final_behaviour(employee_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Rows of each employee's latest FINAL evaluation joined to its behaviour lines."""
    sql = _LATEST_EVALUATIONS.format(match=ids_match('"evaluation"."employee"'))
    rows: list[dict[str, Any]] = await Evaluation.raw(
        sql, ids_param(employee_ids), EvaluationStatus.FINAL.value
    )
    return rows
