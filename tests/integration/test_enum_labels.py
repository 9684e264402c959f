"""``enumLabels``: Indonesian display labels of enum values, so apps keep no label tables."""

from __future__ import annotations

import json
from pathlib import Path

from support.api import Api


async def test_labels_of_one_enum_and_of_all(api: Api) -> None:
    body = await api.raw('{ enumLabels(enum: "SkpStatus") { enum value label description } }')
    rows = body["data"]["enumLabels"]
    assert [r["value"] for r in rows] == ["DRAFT", "SUBMITTED", "APPROVED", "RETURNED"]
    assert {r["value"]: r["label"] for r in rows}["APPROVED"] == "Disetujui"
    assert all(r["enum"] == "SkpStatus" and r["description"] for r in rows)
    every = (await api.raw("{ enumLabels { enum value } }"))["data"]["enumLabels"]
    assert {"SkpStatus", "Predikat", "CourseForm", "Role"} <= {r["enum"] for r in every}
    unknown = await api.raw('{ enumLabels(enum: "NoSuchEnum") { value } }')
    assert unknown["data"]["enumLabels"] == []


async def test_the_committed_label_file_is_what_the_endpoint_answers(api: Api) -> None:
    # graphql/enum-labels.json, which the web app builds in, against the live query
    every = (await api.raw("{ enumLabels { enum value label } }"))["data"]["enumLabels"]
    answered: dict[str, dict[str, str]] = {}
    for row in every:
        answered.setdefault(row["enum"], {})[row["value"]] = row["label"]
    committed = json.loads((Path(__file__).parents[2] / "graphql" / "enum-labels.json").read_text())
    assert committed == answered
    assert committed["Predikat"]["BUTUH_PERBAIKAN"] == "Butuh Perbaikan"
