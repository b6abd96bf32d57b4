"""The package's layout holds: no import runs back up and none loops.

Every module of src/kebekerjaan is read with `ast` (nothing is imported), and every absolute
`kebekerjaan` import in it, at the top or inside a function, is an edge of the module graph.
Floors, bottom to top: core < io < rules < steps < ui < demo < cli. A module imports only
from its own floor or below. Inside steps/, the step sub-packages keep an order as well:
today answers (what comes back: answers, refusals, delivery reports) is used by outreach and
vacancies, which read it before making their lists, outreach by vacancies, answers and
outreach by recap, recap by report, and alumni (step 1) by none of them; no step package may
come to depend on one that depends on it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import kebekerjaan

PACKAGE = Path(kebekerjaan.__file__).parent
FLOORS = ("core", "io", "rules", "steps", "ui", "demo", "cli")
ROOT_MODULES = {"__init__.py", "__main__.py", "cli.py"}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the module imported (a package's __init__ when a name comes from it)
    where: str  # path:line

    def __str__(self) -> str:
        return f"{self.where} imports {self.target}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


@cache
def imports() -> tuple[Import, ...]:
    known = modules()

    def resolve(name: str) -> str:
        while name not in known:  # `import kebekerjaan.x.y` of a name: its module
            name = name.rpartition(".")[0]
        return name

    found = []
    for source, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                # `from pkg import sub` imports the module pkg.sub; `from mod import name`, mod
                names = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in known
                         else node.module for a in node.names]
            else:
                continue
            where = f"{path.relative_to(PACKAGE.parents[1])}:{node.lineno}"
            for name in names:
                if name == "kebekerjaan" or name.startswith("kebekerjaan."):
                    target = resolve(name)
                    if target != source:
                        found.append(Import(source, target, where))
    return tuple(found)


def floor(module: str) -> int:
    """The floor index of a module; the package root's __init__ counts as the lowest."""
    parts = module.split(".")
    if len(parts) == 1:
        return 0
    name = "cli" if parts[1] == "__main__" else parts[1]
    return FLOORS.index(name)


def step_package(module: str) -> str | None:
    """steps.<name> of a module under steps/ (alumni is a module of its own), else None."""
    parts = module.split(".")
    return ".".join(parts[:3]) if parts[1] == "steps" and len(parts) > 2 else None


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle of a directed graph as [a, b, ..., a], or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt, path)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state and (cycle := visit(start, [])):
            return cycle
    return None


def _cycle_message(cycle: list[str], lines: dict[tuple[str, str], list[Import]], what: str) -> str:
    steps = [f"  {lines[(a, b)][0]}" for a, b in zip(cycle, cycle[1:])]
    return f"{what} loop: {' -> '.join(cycle)}\n" + "\n".join(steps)


def test_the_scan_sees_the_package():
    # A scan that found nothing would let every test below pass.
    assert len(modules()) > 50 and len(imports()) > 100
    assert any(i.source == "kebekerjaan.steps.report.laporan" and
               i.target == "kebekerjaan.steps.recap" for i in imports())


def test_the_package_root_holds_only_init_main_and_cli():
    stray = sorted(p.name for p in PACKAGE.glob("*.py") if p.name not in ROOT_MODULES)
    assert not stray, f"modules at the package root, outside every floor: {stray}"
    packages = {p.parent.relative_to(PACKAGE).parts[0] for p in PACKAGE.rglob("*.py")
                if p.parent != PACKAGE}
    assert packages <= set(FLOORS), f"folders that are no floor: {sorted(packages - set(FLOORS))}"


def test_no_import_runs_up_a_floor():
    upward = [f"{i} ({FLOORS[floor(i.target)]} is above {FLOORS[floor(i.source)]})"
              for i in imports() if floor(i.target) > floor(i.source)]
    assert not upward, "imports from a higher floor:\n" + "\n".join(upward)


def test_no_module_imports_itself_back():
    edges: dict[str, set[str]] = {}
    lines: dict[tuple[str, str], list[Import]] = {}
    for i in imports():
        edges.setdefault(i.source, set()).add(i.target)
        lines.setdefault((i.source, i.target), []).append(i)
    cycle = find_cycle(edges)
    assert cycle is None, _cycle_message(cycle, lines, "import")


def test_step_packages_keep_an_order():
    edges: dict[str, set[str]] = {}
    lines: dict[tuple[str, str], list[Import]] = {}
    for i in imports():
        a, b = step_package(i.source), step_package(i.target)
        if a and b and a != b:
            edges.setdefault(a, set()).add(b)
            lines.setdefault((a, b), []).append(i)
    cycle = find_cycle(edges)
    assert cycle is None, _cycle_message(cycle, lines, "step package")


def test_find_cycle_finds_one_and_only_one_that_is_there():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"x": {"a"}, "a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]
