"""The import structure: no cycle, imports point down, Streamlit only in the page.

Every module of ``geo/`` and ``layers/`` is imported first, on its own, with no
other module of the project loaded, so one that works only after another was
imported (a cycle at import time, or a hidden order) fails here. A cycle kept
out of import time by an import inside a function is still a cycle: the import
graph is read from every ``import`` statement, wherever it stands.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("geo", "layers")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _project_files() -> dict[str, Path]:
    files = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.relative_to(ROOT).parts:
                continue  # Alembic scripts, loaded by Alembic from their folder
            files[_module_name(path)] = path
    return files


MODULES = _project_files()


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(path: Path, name: str) -> set[str]:
    """Every module *path* imports, wherever the ``import`` stands."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {
        id(inner)
        for node in ast.walk(tree)
        if _type_checking_only(node)
        for inner in ast.walk(node)
    }
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                # "from pkg import sub" imports the submodule, not only pkg.
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in MODULES else base)
    return found


GRAPH = {
    name: {m for m in _imports(path, name) if m in MODULES}
    for name, path in MODULES.items()
}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of *graph* as a path of names, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


_FRESH_IMPORTS = """
import importlib, json, sys, traceback
names = json.loads(sys.argv[1])
failed = {}
for name in names:
    for loaded in [m for m in sys.modules if m.split(".")[0] in ("geo", "layers")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception:
        failed[name] = traceback.format_exc(limit=-3)
print(json.dumps(failed))
"""


def test_every_module_imports_first_and_alone():
    names = sorted(MODULES)
    assert "layers.events" in names and "layers.strike_zones" in names
    run = subprocess.run(
        [sys.executable, "-c", _FRESH_IMPORTS, json.dumps(names)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
    )
    failed = json.loads(run.stdout.strip().splitlines()[-1])
    assert failed == {}, "\n".join(f"{k}:\n{v}" for k, v in failed.items())


def test_the_import_graph_has_no_cycle_even_inside_functions():
    assert _cycle(GRAPH) is None, " -> ".join(_cycle(GRAPH) or [])


def test_the_cycle_check_sees_an_import_inside_a_function():
    graph = {name: set(targets) for name, targets in GRAPH.items()}
    # The import events once made inside _cut_areas, put back.
    graph["layers.events"].add("layers.strike_zones")
    assert "layers.events" in GRAPH["layers.strike_zones"]
    assert _cycle(graph) is not None


def test_geo_imports_nothing_of_layers():
    wrong = {
        name: sorted(t for t in targets if t.startswith("layers"))
        for name, targets in GRAPH.items()
        if name.split(".")[0] == "geo"
    }
    assert {k: v for k, v in wrong.items() if v} == {}


def _third_party(name: str) -> set[str]:
    return {m.split(".")[0] for m in _imports(MODULES[name], name)}


@pytest.mark.parametrize("library", ["streamlit", "streamlit_folium"])
def test_only_the_page_script_imports_streamlit(library):
    users = sorted(name for name in MODULES if library in _third_party(name))
    assert users == []
    assert library in {
        m.split(".")[0] for m in _imports(ROOT / "dashboard.py", "dashboard")
    }


def test_layer_builders_never_import_folium():
    """Layers and the catalogue hand frames on; only map/ and page/ draw."""
    drawing = ("layers.map", "layers.page")
    users = sorted(
        name
        for name in MODULES
        if not name.startswith(drawing) and "folium" in _third_party(name)
    )
    assert users == []
