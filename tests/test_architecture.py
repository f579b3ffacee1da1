"""The package's shape: no import cycle, and no long module without a stated reason.

The import graph is read from the source with ``ast`` (nothing is imported): every import of a
``replylint`` module, at module level or inside a function or class (an import moved into a
function still makes the cycle, it only hides it), except under ``if TYPE_CHECKING:`` (those
are never executed). ``from package import name`` is an edge to ``package.name`` when that is a
module, else to ``package``. Importing a submodule also runs its parent packages'
``__init__``, but those edges are left out: a package's ``__init__`` re-exporting its
submodules is not a cycle.

A module of more than ``MAX_LINES`` lines must say why in its docstring, on a line starting
"Longer than 400 lines because".
"""

from __future__ import annotations

import ast
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import replylint

PACKAGE = Path(replylint.__file__).resolve().parent
MAX_LINES = 400
REASON = re.compile(r"^\s*Longer than 400 lines because\b", re.MULTILINE)


@dataclass(frozen=True)
class Edge:
    target: str
    line: int
    in_function: bool


def _name(path: Path) -> str:
    parts = ["replylint", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> list[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement and whether it is inside a function or class, skipping the
    bodies of ``if TYPE_CHECKING:`` (their ``else:`` runs, so it is kept)."""
    found: list[tuple[ast.Import | ast.ImportFrom, bool]] = []

    def walk(node: ast.AST, nested: bool) -> None:
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append((node, nested))
            return
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            children: list[ast.AST] = list(node.orelse)
        else:
            children = list(ast.iter_child_nodes(node))
        inner = nested or isinstance(
            node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda
        )
        for child in children:
            walk(child, inner)

    walk(tree, False)
    return found


def _base(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    package = parts if is_package else parts[:-1]
    package = package[: len(package) - (node.level - 1)]
    return ".".join([*package, *([node.module] if node.module else [])])


def _edges(modules: dict[str, Path]) -> dict[str, list[Edge]]:
    graph: dict[str, list[Edge]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        edges: list[Edge] = []
        for node, nested in _imports(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = _base(module, path.name == "__init__.py", node)
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    targets.append(sub if sub in modules else base)
            for target in targets:
                # `import replylint.a.b` names replylint.a.b; the closest module that exists
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target.startswith("replylint") and target != module:
                    edges.append(Edge(target, node.lineno, nested))
        graph[module] = list(dict.fromkeys(edges))  # one per target and line
    return graph


def _components(graph: dict[str, list[Edge]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for edge in graph[v]:
            w = edge.target
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component: list[str] = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return sorted(components)


def _cycles(graph: dict[str, list[Edge]]) -> list[list[str]]:
    """One cycle per component: a shortest one through its first module, by name."""
    return [_one_cycle(graph, set(c), c[0]) for c in _components(graph)]


def _one_cycle(graph: dict[str, list[Edge]], component: set[str], start: str) -> list[str]:
    """A shortest cycle from ``start`` back to itself inside ``component`` (breadth first)."""
    previous: dict[str, str] = {}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for edge in graph[v]:
            w = edge.target
            if w not in component:
                continue
            if w == start:
                path = [v]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [start, *reversed(path[:-1]), start]
            if w not in previous:
                previous[w] = v
                queue.append(w)
    raise AssertionError(f"no cycle through {start}")  # a component always has one


def _describe(graph: dict[str, list[Edge]], cycle: list[str], modules: dict[str, Path]) -> str:
    steps = [cycle[0]]
    for a, b in itertools.pairwise(cycle):
        edge = next(e for e in graph[a] if e.target == b)
        where = f"{modules[a].relative_to(PACKAGE.parent)}:{edge.line}"
        kind = ", inside a function" if edge.in_function else ""
        steps.append(f"-> {b} ({where}{kind})")
    return " ".join(steps)


def test_the_graph_reader_sees_every_kind_of_import() -> None:
    """The reader itself: relative and absolute imports, ``from package import module``,
    imports inside functions, and ``if TYPE_CHECKING:`` left out."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "from . import models\n"
        "from .config import Config\n"
        "import replylint.sources.base\n"
        "if TYPE_CHECKING:\n"
        "    from .engine import Hit\n"
        "else:\n"
        "    from .offsets import LineIndex\n"
        "def f():\n"
        "    from ..models import Rule\n"
    )
    tree = ast.parse(source)
    imports = _imports(tree)
    assert [(n.lineno, nested) for n, nested in imports] == [
        (1, False),
        (2, False),
        (3, False),
        (4, False),
        (8, False),
        (10, True),
    ]
    node = imports[-1][0]
    assert isinstance(node, ast.ImportFrom)
    assert _base("replylint.sources.base", False, node) == "replylint.models"
    assert _base("replylint.sources", True, node) == "replylint.models"
    here = imports[1][0]
    assert isinstance(here, ast.ImportFrom)
    assert _base("replylint.sources.base", False, here) == "replylint.sources"
    assert _base("replylint.sources", True, here) == "replylint.sources"
    graph = _edges(_modules())  # the whole package parses, and its imports are found
    assert "replylint" in graph and sum(len(edges) for edges in graph.values()) > len(graph)
    for module, edges in graph.items():
        assert all(e.target in graph and e.target != module for e in edges), module
    toy = {
        "a": [Edge("b", 1, False)],
        "b": [Edge("c", 2, True)],
        "c": [Edge("a", 3, False), Edge("d", 4, False)],
        "d": [],
    }
    assert _components(toy) == [["a", "b", "c"]]
    assert _cycles(toy) == [["a", "b", "c", "a"]]


def test_no_import_cycle() -> None:
    modules = _modules()
    graph = _edges(modules)
    found = [
        f"{_describe(graph, cycle, modules)}\n  (modules importing each other: {', '.join(c)})"
        for c, cycle in zip(_components(graph), _cycles(graph), strict=True)
    ]
    assert not found, "import cycles in replylint:\n" + "\n".join(found)


def test_no_long_module_without_a_reason() -> None:
    long = []
    for module, path in _modules().items():
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines <= MAX_LINES:
            continue
        docstring = ast.get_docstring(ast.parse(text)) or ""
        if not REASON.search(docstring):
            long.append(f"{path.relative_to(PACKAGE.parent)} ({module}): {lines} lines")
    assert not long, (
        f"modules over {MAX_LINES} lines without a line 'Longer than 400 lines because ...' "
        "in their docstring:\n" + "\n".join(long)
    )
