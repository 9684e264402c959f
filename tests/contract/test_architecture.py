"""The rules of ARCHITECTURE.md that import-linter cannot see, checked over the source text.

Import contracts (layers, tables behind each domain's door, ml pure) are `lint-imports`'s job
(pyproject ``[tool.importlinter]``); here: where raw SQL may be written, that the shared
recursive queries exist once, that no file switches a lint off wholesale, and that every domain
has the template's files.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    p
    for package in ("portal", "training", "ml")
    for p in (ROOT / package).rglob("*.py")
    if "piccolo_migrations" not in p.parts
)
DOMAINS = [
    "portal/accounts",
    "portal/people",
    "portal/feedback",
    "portal/coaching",
    "portal/notifications",
    "portal/mentoring",
    "portal/adoption",
    "portal/performance",
    "portal/processes",
    "training",
]
# the database layer itself (bulk COPY/executemany, the id-list idiom) may compose SQL too
SQL_HOMES = {"sql.py"}
SQL_EXCEPTIONS = {ROOT / "portal/core/db.py"}
RAW_SQL = re.compile(r"\.raw\(|copy_from_query|copy_records_to_table|WITH RECURSIVE")


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_raw_sql_lives_only_in_each_domains_sql_module() -> None:
    offenders = [
        _rel(p)
        for p in SOURCES
        if p.name not in SQL_HOMES and p not in SQL_EXCEPTIONS and RAW_SQL.search(p.read_text())
    ]
    assert offenders == []


def test_the_recursive_org_queries_are_written_once_in_people() -> None:
    # the recursive steps of the supervisor chain and the unit subtree; other modules compose
    # portal.people.facts.unit_subtree_cte() or read portal.people.visibility
    steps = re.compile(r"supervisor = sub\.id|u\.parent = |JOIN chain ON")
    homes = [_rel(p) for p in SOURCES if steps.search(p.read_text())]
    assert homes == ["portal/people/sql.py"]


# a lint or type check switched off for a whole file (per-module settings, with their reason,
# belong in pyproject; single lines carry their own noqa comment with a code and reason)
WHOLESALE = re.compile(r"^# (ruff: noqa|flake8: noqa|mypy: |type: ignore\s*$)", re.MULTILINE)


def test_no_file_switches_a_lint_off_wholesale() -> None:
    offenders = [_rel(p) for p in SOURCES if WHOLESALE.search(p.read_text())]
    assert offenders == []


def test_one_id_list_idiom() -> None:
    # lists of ids are bound as one parameter (core.db.ids_match / ids_param / id_in); neither
    # Piccolo's is_in with a dummy -1 nor SQL "IN (" assembled from the values
    patterns = re.compile(
        r"or \[-1\]|or \[\"\"\]|is_in\(list\(set\(|is_in\(sorted\(set\(|\.join\(\"\{\}\""
        # Piccolo's is_in over a key column (one parameter per id): id_in(column, ids) instead
        r"|\b[A-Z]\w*\.(id|employee|indicator|course|session|program|skp|opd|unor)\.is_in\("
    )
    offenders = [_rel(p) for p in SOURCES if patterns.search(p.read_text())]
    assert offenders == []


# The template's optional files, and the domains without them (ARCHITECTURE.md, "Domain
# template"): no vocabulary of its own (accounts: roles are core.auth.Role), no list field to
# batch (accounts, notifications: one viewer's own rows), nothing other domains read.
OPTIONAL_ABSENT = {
    "enums.py": {"portal/accounts", "portal/notifications"},
    "loaders.py": {"portal/accounts", "portal/notifications"},
    "facts.py": {"portal/coaching", "portal/notifications", "portal/adoption", "training"},
}


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_domain_has_the_template_files(domain: str) -> None:
    folder = ROOT / domain
    names = {p.name for p in folder.iterdir()} | {
        p.name for sub in folder.iterdir() if sub.is_dir() for p in sub.iterdir()
    }
    required = {"tables.py", "piccolo_app.py", "piccolo_migrations", "policy.py", "types.py"}
    required |= {name for name, absent in OPTIONAL_ABSENT.items() if domain not in absent}
    assert required <= names, sorted(required - names)
    assert {"service.py", "services"} & names, "a service.py or a services/ package"
    assert not {"service.py", "services"} <= names, "a service.py or a services/ package, not both"
    assert {"resolvers.py", "queries.py"} & names, "resolvers.py, or queries.py + mutations.py"
    for name, absent in OPTIONAL_ABSENT.items():
        if domain in absent:
            assert name not in names, f"{domain} has {name} now: take it off OPTIONAL_ABSENT"


# The template's module names, and what a domain keeps beside them, each with its reason. A
# second service module next to service.py is what the services/ package is for (#14).
TEMPLATE_MODULES = {
    "__init__.py", "tables.py", "piccolo_app.py", "enums.py", "rows.py", "service.py",
    "policy.py", "sql.py", "facts.py", "analytics.py", "types.py", "loaders.py",
    "resolvers.py", "queries.py", "mutations.py", "http.py", "demo.py", "exports.py",
}  # fmt: skip
BESIDE_THE_TEMPLATE = {
    "portal/people": {
        "visibility.py": "the one who-sees-whom rule (ARCHITECTURE.md)",
        "nip.py": "pure identifier parsing and rank vocabularies",
        "demo_org.py": "the demo city's organisation, seeding only",
    },
    "portal/adoption": {
        "metrics.py": "pure metric definitions over plain values",
        "charts.py": "SVG rendering of the metrics",
        "cache.py": "the metrics cache in the shared store",
    },
    "portal/performance": {"rules.py": "the pure predikat and curve rules"},
    "portal/processes": {"pdf.py": "the official document layout for WeasyPrint"},
    "training": {
        "ledger.py": "the pure 20 JP arithmetic",
        "profiles.py": "the pure competency profiles",
        "recommend.py": "the pure recommendation ranking",
    },
}


@pytest.mark.parametrize("domain", DOMAINS)
def test_a_domain_keeps_no_module_beside_the_template_without_a_reason(domain: str) -> None:
    modules = {p.name for p in (ROOT / domain).glob("*.py")}
    extra = modules - TEMPLATE_MODULES - set(BESIDE_THE_TEMPLATE.get(domain, {}))
    assert extra == set(), f"{domain}: move {sorted(extra)} into services/ or name its reason"
    for name in BESIDE_THE_TEMPLATE.get(domain, {}):
        assert name in modules, f"BESIDE_THE_TEMPLATE names {domain}/{name}, which is gone"
