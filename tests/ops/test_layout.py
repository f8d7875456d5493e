"""The code's layout as the README describes it: no import cycles, tools kept out of the product."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support import ROOT

PACKAGE = ROOT / "parkcrawl"


def module_name(path: Path) -> str:
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    return name.removesuffix(".__init__")


def imports_of(path: Path) -> set[str]:
    """Every module named by an import statement anywhere in the file (function-level too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def package_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {m for m in imports_of(path) if m in modules and m != name}
            for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_no_two_modules_import_each_other() -> None:
    assert cycles(package_graph()) == []


def test_the_cycle_finder_finds_one() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_product_never_imports_the_tools() -> None:
    for path in PACKAGE.rglob("*.py"):
        assert not {m for m in imports_of(path) if m == "tools" or m.startswith("tools.")}, path


def test_only_the_demo_server_ships_among_the_dev_tools() -> None:
    shipped = sorted(p.name for p in (PACKAGE / "devtools").glob("*.py"))
    assert shipped == ["__init__.py", "demo_server.py"]


def test_the_readme_shows_the_shipped_sites_file() -> None:
    import tomllib

    from tests.ops.readme import blocks

    (shown,) = [b for b in blocks(ROOT / "README.md") if b.language == "toml"
                and "[sites.demo]" in b.text]
    shipped = tomllib.loads((ROOT / "sites.toml").read_text(encoding="utf-8"))
    assert tomllib.loads(shown.text) == shipped
