"""The package's shape: steps as subpackages, no import cycle, no private imports across modules,
a light ``import framing``, and one table contract that the README lists."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from conftest import REPO

from framing.tables import LONG_TABLES, SUMMARY_TABLES, TABLES, columns, row_columns

PACKAGE = REPO / "framing"
STEPS = ("read", "text", "lexicon", "extract", "crossdoc", "stats", "output")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, ast.Module]:
    return {_module_name(p): ast.parse(p.read_text(encoding="utf-8")) for p in sorted(PACKAGE.rglob("*.py"))}


def _top_level_imports(tree: ast.Module) -> list[ast.ImportFrom | ast.Import]:
    """Imports that run when the module is imported (not inside functions or TYPE_CHECKING)."""
    out = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            out.append(node)
    return out


def _internal_targets(node, modules) -> list[str]:
    names = []
    if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("framing"):
        for alias in node.names:
            sub = f"{node.module}.{alias.name}"
            names.append(sub if sub in modules else node.module)
    elif isinstance(node, ast.Import):
        names += [a.name for a in node.names if a.name.startswith("framing")]
    return [n for n in names if n in modules]


def test_every_step_is_a_subpackage_and_the_readme_maps_it():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    for step in STEPS:
        assert (PACKAGE / step / "__init__.py").is_file(), step
        assert f"`{step}/`" in layout, f"README layout does not map {step}/"
    modules = sorted(p.name for p in PACKAGE.rglob("*.py") if p.name != "__init__.py")
    for name in modules:
        assert f"`{name}`" in layout, f"README layout does not mention {name}"


def test_no_import_cycle_among_modules():
    modules = _modules()
    graph = {m: {t for node in _top_level_imports(tree) for t in _internal_targets(node, modules) if t != m}
             for m, tree in modules.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in sorted(graph[m]):
            # a package's __init__ re-exporting its own modules is not a cycle of the data path
            if m.startswith(t + ".") or t.startswith(m + "."):
                continue
            if state.get(t) == 1:
                raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(t):] + [t]))
            if t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)


def test_no_module_imports_a_private_name_of_another():
    offenders = []
    for name, tree in _modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("framing"):
                private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
                if private or any(part.startswith("_") for part in node.module.split(".")):
                    offenders.append(f"{name}: from {node.module} import {', '.join(a.name for a in node.names)}")
    assert offenders == []


def test_internal_imports_are_at_module_level():
    lazy = []
    for name, tree in _modules().items():
        top = set(map(id, _top_level_imports(tree)))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("framing") \
                    and id(node) not in top and name != "framing":
                lazy.append(f"{name}:{node.lineno} from {node.module}")
    assert lazy == []


def test_importing_framing_loads_no_scikit_learn_scipy_or_matplotlib():
    code = ("import sys, framing; heavy = sorted(m for m in ('sklearn', 'scipy', 'matplotlib', 'statsmodels', "
            "'dask', 'distributed') if m in sys.modules); print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == ""


def test_the_table_contract_is_the_readme_table_list():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## What it measures (tables)", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        m = re.match(r"\| `(\w+)` \| (.+?) \| (.+) \|$", line)
        if m:
            rows[m.group(1)] = m.group(2)
    assert list(rows) == list(TABLES), "README lists the tables in the contract's output order"
    assert rows == {name: t.unit for name, t in TABLES.items()}


def test_long_tables_start_with_their_keys_and_summaries_have_captions():
    for name in LONG_TABLES:
        assert columns(name)[0] == "article_id"
        assert set(row_columns(name)).isdisjoint({"article_id", "outlet"})
    assert set(SUMMARY_TABLES) <= set(TABLES) and all(SUMMARY_TABLES.values())
