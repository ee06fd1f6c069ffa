"""Where a SQL query may be written: the checker behind `test_query_placement.py`.

A query is a call of SQLAlchemy's `select(...)` or `text(...)` (however imported or renamed),
or `<something>session.query(...)`. Queries belong in repositories (`repository.py`,
`repositories.py`), in named read models (a module under a `read_models` package), in the
scope rules themselves, in schema definitions and migrations, and in the engine (DuckDB SQL).
Anywhere else a query can skip tenant scoping, so it is refused unless listed in the
allowlist of files written before this rule (each with how many queries it may hold).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

QUERY_FUNCTIONS = frozenset({"select", "text"})

# Paths relative to `src/calaim`, where a query is in its place.
ALLOWED_FILE_NAMES = frozenset({"repository.py", "repositories.py"})
ALLOWED_PACKAGES = frozenset({"read_models"})
ALLOWED_PREFIXES = (
    "engine/",  # the engine's own SQL (DuckDB/Spark), never the ops database
    "ops/models/",  # schema: partial-index predicates written with text()
    "ops/migrate.py",  # migrations
)
ALLOWED_FILES = frozenset(
    {
        "ops/access/scopes.py",  # the scope rules every repository starts from
        "ops/repository_base.py",  # the scoped repository base
        "ops/paging.py",  # counts and pages a statement its caller has already scoped
    }
)


@dataclass(frozen=True)
class Query:
    """One query call in a source file."""

    line: int
    kind: str  # "select(", "text(" or "session.query("


def _sqlalchemy_names(tree: ast.AST) -> tuple[dict[str, str], set[str]]:
    """Local names bound to SQLAlchemy's query functions, and local names of its modules."""
    functions: dict[str, str] = {}
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            for alias in node.names:
                if alias.name in QUERY_FUNCTIONS:
                    functions[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "sqlalchemy":
                    modules.add(alias.asname or alias.name.split(".")[0])
    return functions, modules


def _is_session(node: ast.expr) -> bool:
    name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", "")
    return "session" in name.lower()


def queries_in(source: str) -> list[Query]:
    """Every query call in `source`, in line order."""
    tree = ast.parse(source)
    functions, modules = _sqlalchemy_names(tree)
    found: list[Query] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in functions:
            found.append(Query(node.lineno, f"{functions[func.id]}("))
        elif isinstance(func, ast.Attribute):
            if func.attr in QUERY_FUNCTIONS and _module_name(func.value) in modules:
                found.append(Query(node.lineno, f"{func.attr}("))
            elif func.attr == "query" and _is_session(func.value):
                found.append(Query(node.lineno, "session.query("))
    return sorted(found, key=lambda query: query.line)


def _module_name(node: ast.expr) -> str | None:
    # `sa.select` -> "sa"; `sqlalchemy.sql.select` -> "sqlalchemy"
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def in_place(path: str) -> bool:
    """Whether queries may be written in `path` (relative to `src/calaim`)."""
    pure = PurePosixPath(path)
    return (
        pure.name in ALLOWED_FILE_NAMES
        or bool(ALLOWED_PACKAGES & set(pure.parts[:-1]))
        or path.startswith(ALLOWED_PREFIXES)
        or path in ALLOWED_FILES
    )


def problems(sources: Mapping[str, str], allowlist: Mapping[str, int]) -> Iterator[str]:
    """A message per file that holds a query out of place beyond its allowance, and per
    allowlist entry that allows more than its file now holds (tighten it: the list only
    shrinks)."""
    for path, source in sorted(sources.items()):
        if in_place(path):
            continue
        queries = queries_in(source)
        allowed = allowlist.get(path, 0)
        if len(queries) > allowed:
            where = ", ".join(f"line {q.line} {q.kind}" for q in queries)
            yield (
                f"src/calaim/{path}: {len(queries)} queries outside a repository or read model "
                f"({where}); {allowed} allowed. Move the query into the domain's repository.py "
                f"(scoped by calaim.ops.access.scopes) or a module under ops/read_models/"
            )
        elif len(queries) < allowed:
            yield (
                f"src/calaim/{path}: holds {len(queries)} queries but the allowlist allows "
                f"{allowed}; lower its entry in tests/test_query_placement.py"
            )
    for path in sorted(set(allowlist) - set(sources)):
        yield f"src/calaim/{path} is gone: remove it from the allowlist"
