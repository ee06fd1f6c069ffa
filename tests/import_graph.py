"""The module import graph of src/calaim, and the cycles in it (for `test_import_cycles.py`).

Every `import` and `from ... import` counts, at module level and inside functions alike (an
import inside a function is still a dependency, only a later one); imports under
`if TYPE_CHECKING:` do not, since they never run. `from package import name` is an edge to
`package.name` when that is a module, else to `package`. Importing `a.b.c` also runs the
`__init__` of `a` and `a.b`, so those are edges too (except the importer's own packages,
which are already running when it is imported).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

Graph = dict[str, set[str]]


def module_name(path: Path, root: Path) -> str:
    """`calaim.ops.models` for `<root>/calaim/ops/models/__init__.py`."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports_of(module: str, source: str, known: Iterable[str], *, is_package: bool) -> set[str]:
    """The modules of `known` that `source` (the text of `module`) imports."""
    known = set(known)
    tree = ast.parse(source)
    skipped = _type_checking_lines(tree)
    targets: set[str] = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skipped:
            continue
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, is_package, node)
            for alias in node.names:
                child = f"{base}.{alias.name}"
                targets.add(child if child in known else base)
    with_parents = set(targets)
    own = {".".join(module.split(".")[:i]) for i in range(1, module.count(".") + 1)}
    for target in targets:
        parts = target.split(".")
        with_parents.update(".".join(parts[:i]) for i in range(1, len(parts)))
    return {t for t in with_parents if t in known and t != module and t not in own}


def build(root: Path, package: str = "calaim") -> Graph:
    """The import graph of every module under `root/package`."""
    paths = {module_name(p, root): p for p in sorted((root / package).rglob("*.py"))}
    return {
        name: imports_of(
            name, path.read_text(encoding="utf-8"), paths, is_package=path.name == "__init__.py"
        )
        for name, path in paths.items()
    }


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """One cycle (as a closed path) per strongly connected group of modules, sorted."""
    found = []
    for group in _strongly_connected(graph):
        if len(group) > 1:
            found.append(_cycle_in(graph, group))
    return sorted(found)


def _strongly_connected(graph: Mapping[str, set[str]]) -> list[set[str]]:
    # Tarjan's algorithm, iterative (the graph is a few hundred modules deep at most).
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                groups.append(group)
    return groups


def _cycle_in(graph: Mapping[str, set[str]], group: set[str]) -> list[str]:
    # The shortest cycle through the group's first module (breadth-first within the group).
    start = min(group)
    parents: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(graph[node] & group):
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(parents[path[-1]])
                    return [*reversed(path), start]
                if child not in parents:
                    parents[child] = node
                    following.append(child)
        frontier = following
    raise AssertionError(f"no cycle in {sorted(group)}")
