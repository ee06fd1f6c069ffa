"""No import circles in src/calaim: between modules none at all, between packages only the
one listed below.

A circle means neither side can be understood, tested or moved alone, and its import order
decides whether the program starts. `tests/import_graph.py` builds the graph with `ast`
(module-level and function-level imports alike, not `if TYPE_CHECKING:` ones).
"""

from __future__ import annotations

from pathlib import Path

from import_graph import build, cycles, imports_of

SRC = Path(__file__).parents[1] / "src"

# Package-level circles allowed for now, each with why (keep this list empty if you can).
PACKAGE_CYCLES_ALLOWED: set[tuple[str, ...]] = set()


def _render(found: list[list[str]]) -> str:
    return "\n".join(" -> ".join(cycle) for cycle in found)


def test_no_import_cycle_between_modules():
    found = cycles(build(SRC))
    assert not found, "import cycles (break each, e.g. move the shared name to a leaf):\n" + (
        _render(found)
    )


def _package(module: str) -> str:
    # calaim.ops.referrals.state -> calaim.ops.referrals; calaim.cli_admin stays itself.
    return ".".join(module.split(".")[:3])


def test_no_import_cycle_between_packages():
    packages: dict[str, set[str]] = {}
    for module, targets in build(SRC).items():
        own = _package(module)
        packages.setdefault(own, set()).update(
            _package(target) for target in targets if _package(target) != own
        )
    found = [c for c in cycles(packages) if tuple(sorted(set(c))) not in PACKAGE_CYCLES_ALLOWED]
    assert not found, "package import cycles:\n" + _render(found)


def test_the_graph_finds_a_planted_cycle_and_prints_it():
    known = {"pkg", "pkg.a", "pkg.b", "pkg.c"}
    graph = {
        "pkg": set(),
        "pkg.a": imports_of("pkg.a", "from pkg import b\n", known, is_package=False),
        "pkg.b": imports_of(
            "pkg.b", "def later():\n    from .c import thing\n", known, is_package=False
        ),
        "pkg.c": imports_of("pkg.c", "import pkg.a\n", known, is_package=False),
    }
    assert graph["pkg.b"] == {"pkg.c"}  # a function-level, relative import counts
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.c", "pkg.a"]]
    assert "pkg.a -> pkg.b -> pkg.c -> pkg.a" in _render(cycles(graph))


def test_type_checking_imports_do_not_count():
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a\n"
    assert imports_of("pkg.b", source, {"pkg", "pkg.a", "pkg.b"}, is_package=False) == set()
