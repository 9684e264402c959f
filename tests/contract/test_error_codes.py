"""Every error code the code base raises is in the one catalogue (portal/core/error_codes.py).

The scan reads the source (no import side effects): the code argument of the constructors that
carry codes (``FieldError``, ``DomainError.single``, ``AuthenticationError``,
``PersistedQueryError``, ``UserError``, import row errors, WebSocket refusals) and every
``{"code": …}`` literal, resolving module-level string constants. A new code fails here until it
is added to the catalogue, with its meaning and its Indonesian text.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from graphql import GraphQLEnumType

from portal.core.error_codes import CATALOGUE, catalogue_markdown, message, preferred_language
from portal.schema import build_schema

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [*sorted((ROOT / "portal").rglob("*.py")), *sorted((ROOT / "training").rglob("*.py"))]
_CODE = re.compile(r"^[A-Z][A-Z0-9_]{2,}$")
# constructor -> position of its code argument (``code=`` keywords are read for all of them)
_CODE_ARGUMENT = {
    "FieldError": 0,
    "single": 0,
    "AuthenticationError": 1,
    "PersistedQueryError": 0,
    "RowError": 2,
    "_refuse": 1,
}


def _raised_codes(path: Path) -> set[tuple[str, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    constants = {
        node.targets[0].id: node.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }

    def value(node: ast.expr) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name):
            return constants.get(node.id)
        return None

    found: set[tuple[str, str]] = set()
    for node in ast.walk(tree):
        candidates: list[ast.expr] = []
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            position = _CODE_ARGUMENT.get(name)
            if position is not None and len(node.args) > position:
                candidates.append(node.args[position])
            if name in _CODE_ARGUMENT or name in {"UserError", "ImportRowError"}:
                candidates += [k.value for k in node.keywords if k.arg == "code"]
        elif isinstance(node, ast.Dict):
            candidates += [
                v
                for k, v in zip(node.keys, node.values, strict=True)
                if isinstance(k, ast.Constant) and k.value == "code"
            ]
        for candidate in candidates:
            code = value(candidate)
            if code and _CODE.match(code):
                found.add((code, f"{path.relative_to(ROOT)}:{node.lineno}"))  # type: ignore[attr-defined]
    return found


def test_every_code_raised_in_the_code_base_is_in_the_catalogue() -> None:
    raised = set().union(*(_raised_codes(path) for path in SOURCES))
    assert len({code for code, _ in raised}) > 50, "the scan found too little: is it broken?"
    missing = sorted(f"{code} ({where})" for code, where in raised if code not in CATALOGUE)
    assert missing == []


def test_the_schema_enum_is_the_catalogue_with_a_description_per_value() -> None:
    enum = build_schema()._schema.type_map["ErrorCode"]
    assert isinstance(enum, GraphQLEnumType)
    assert set(enum.values) == set(CATALOGUE)
    assert all(v.description for v in enum.values.values())


def test_every_code_has_an_indonesian_and_an_english_text() -> None:
    for code, entry in CATALOGUE.items():
        assert entry.id.strip(), code
        assert entry.en.strip(), code
        assert message(code, language="en") == entry.en
        if code != "PERSISTED_QUERY_NOT_FOUND":  # Apollo clients match that text literally
            assert message(code, "Teks khusus", language="id") == "Teks khusus"


def test_accept_language_picks_english_only_when_preferred() -> None:
    assert preferred_language(None) == "id"
    assert preferred_language("en") == "en"
    assert preferred_language("en-US,en;q=0.9") == "en"
    assert preferred_language("id-ID,id;q=0.9,en;q=0.8") == "id"
    assert preferred_language("fr, en;q=0.5, id;q=0.7") == "id"
    assert preferred_language("de, en;q=0.2") == "en"
    assert preferred_language("en;q=0, id;q=0.1") == "id"
    assert preferred_language("*") == "id"


def test_the_documented_catalogue_is_current() -> None:
    documented = (ROOT / "graphql" / "ERROR_CODES.md").read_text(encoding="utf-8")
    assert documented == catalogue_markdown(), (
        "graphql/ERROR_CODES.md is stale: python -c 'from portal.core.error_codes import "
        'catalogue_markdown as m; print(m(), end="")\' > graphql/ERROR_CODES.md'
    )
