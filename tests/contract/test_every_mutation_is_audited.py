"""Every mutation of the schema writes an audit entry (README: "every write is audited").

The test enumerates the schema's mutations, finds each one's resolver, and follows the calls
it makes through the portal's own code (the static call graph of ``portal`` and ``training``,
imports resolved) until it reaches :func:`portal.core.audit.record` or ``record_many``. A
mutation that cannot reach either fails the test unless :data:`EXEMPT` names it with a reason.
The behaviour is checked at run time for the writes the probe found unaudited in
``tests/integration/test_audit_of_writes.py``.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from portal.schema import build_schema

ROOT = Path(__file__).resolve().parents[2]
AUDIT = {"portal.core.audit.record", "portal.core.audit.record_many"}

EXEMPT: dict[str, str] = {
    # No mutation is exempt today. Add one here only with the reason it writes nothing worth an
    # entry, e.g. "a pure read exposed as a mutation".
}


@dataclass
class Module:
    """One parsed module: its functions (by qualified name) and what its names refer to."""

    name: str
    functions: dict[str, ast.AST] = field(default_factory=dict)
    imports: dict[str, str] = field(default_factory=dict)


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


@cache
def modules() -> dict[str, Module]:
    """Every module of portal/ and training/ (migrations aside)."""
    found: dict[str, Module] = {}
    for package in ("portal", "training"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "piccolo_migrations" in path.parts:
                continue
            module = Module(_module_name(path))
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.module:
                    base = node.module
                    if node.level:  # relative: resolve against the package
                        parts = module.name.split(".")[: -node.level]
                        base = ".".join([*parts, node.module])
                    for alias in node.names:
                        module.imports[alias.asname or alias.name] = f"{base}.{alias.name}"
                elif isinstance(node, ast.Import):
                    for alias in node.names:
                        module.imports[alias.asname or alias.name.split(".")[0]] = (
                            alias.name if alias.asname else alias.name.split(".")[0]
                        )
            _collect(module, tree.body, "")
            found[module.name] = module
    return found


def _collect(module: Module, body: list[ast.stmt], prefix: str) -> None:
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            module.functions[prefix + node.name] = node
            _collect(module, node.body, prefix + node.name + ".")
        elif isinstance(node, ast.ClassDef):
            _collect(module, node.body, prefix + node.name + ".")


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def _resolve(module: Module, dotted: str, scope: str) -> Iterator[str]:
    """Fully qualified candidates for a name used in ``module`` (inside function ``scope``)."""
    head, _, rest = dotted.partition(".")
    if head in module.imports:
        yield module.imports[head] + (f".{rest}" if rest else "")
    # a function or class of the same module, also one nested in the calling function
    parts = scope.split(".")
    for depth in range(len(parts), -1, -1):
        yield f"{module.name}." + ".".join([*parts[:depth], dotted]).strip(".")


def _lookup(qualified: str) -> tuple[Module, str] | None:
    """The module and function name of a qualified name, following re-exports once."""
    parts = qualified.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        module = modules().get(".".join(parts[:cut]))
        if module is None:
            continue
        name = ".".join(parts[cut:])
        if name in module.functions:
            return module, name
        head = parts[cut]
        if head in module.imports and module.imports[head] != qualified:
            rest = ".".join(parts[cut + 1 :])
            return _lookup(module.imports[head] + (f".{rest}" if rest else ""))
        return None
    return None


def reaches_audit(qualified: str, seen: set[str] | None = None) -> bool:
    """Whether calling ``qualified`` can reach an audit write (any branch)."""
    seen = set() if seen is None else seen
    if qualified in AUDIT:
        return True
    if qualified in seen:
        return False
    seen.add(qualified)
    found = _lookup(qualified)
    if found is None:
        return False
    module, name = found
    for node in ast.walk(module.functions[name]):
        dotted = None
        if isinstance(node, ast.Call):
            dotted = _dotted(node.func)
        elif isinstance(node, ast.Name | ast.Attribute):  # passed as a callable (run_payload)
            dotted = _dotted(node)
        if not dotted:
            continue
        for candidate in _resolve(module, dotted, name):
            if candidate in AUDIT or reaches_audit(candidate, seen):
                return True
    return False


def mutation_resolvers() -> dict[str, str]:
    """Schema mutation name -> qualified name of its resolver."""
    schema = build_schema()
    mutation = schema.get_type_by_name("Mutation")
    assert mutation is not None
    names = schema.config.name_converter
    found = {}
    for definition in mutation.fields:  # type: ignore[union-attr]
        resolver = definition.base_resolver
        assert resolver is not None, definition.name
        func = inspect.unwrap(resolver.wrapped_func)
        module = inspect.getmodule(func)
        assert module is not None
        found[names.get_graphql_name(definition)] = f"{module.__name__}.{func.__qualname__}"
    return found


def test_the_schema_has_mutations_and_each_resolver_is_found() -> None:
    resolvers = mutation_resolvers()
    assert len(resolvers) > 50
    for name, qualified in resolvers.items():
        assert _lookup(qualified) is not None, (name, qualified)
        importlib.import_module(qualified.rsplit(".", 2)[0])


def test_every_mutation_reaches_an_audit_write() -> None:
    resolvers = mutation_resolvers()
    unaudited = sorted(
        f"{name} ({qualified})"
        for name, qualified in resolvers.items()
        if name not in EXEMPT and not reaches_audit(qualified)
    )
    assert unaudited == [], "mutations that write no audit entry:\n" + "\n".join(unaudited)


def test_exemptions_name_real_mutations_with_a_reason() -> None:
    resolvers = mutation_resolvers()
    for name, reason in EXEMPT.items():
        assert name in resolvers, f"EXEMPT names {name}, which is no mutation"
        assert len(reason) > 20, f"EXEMPT[{name}] needs a reason"


def test_the_tracer_tells_an_unaudited_function_from_an_audited_one() -> None:
    # the tracer itself: a function that writes without audit is found out
    assert reaches_audit("portal.accounts.services.sessions.logout")
    assert not reaches_audit("portal.core.security.hash_password")
