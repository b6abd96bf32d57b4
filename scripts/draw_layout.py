"""Draw the package layout from the real imports: docs/dev/layout.svg.

Parses every module under src/kebekerjaan with ast (nothing is imported or run), builds
the module import graph (imports inside functions count too: they are dependencies all
the same) and draws it as SVG by hand (deterministic, no Graphviz):

- one band per floor, core at the bottom, cli at the top, each with its modules and
  sub-packages (a sub-package lists its modules);
- on the right, one arrow per pair of floors that import each other, with the number of
  module-to-module imports; an import from a lower floor into a higher one is red;
- inside steps, ui and demo, an arrow per sub-package that imports another one.

The SVG carries the sha256 of the module list and the import graph in its <metadata>;
tests/test_docs.py recomputes it and fails when the picture is older than the code.

    .venv/bin/python scripts/draw_layout.py [--out docs/dev/layout.svg]
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import re
import textwrap
from collections import Counter
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "kebekerjaan"
OUT = ROOT / "docs" / "dev" / "layout.svg"
PACKAGE = "kebekerjaan"

# Bottom to top: a module imports only from its own floor or below.
FLOORS = ("core", "io", "rules", "steps", "ui", "demo", "cli")
# Floors whose sub-packages import each other in ways worth drawing (the SOP's data flow).
ARCS_IN = ("steps", "ui", "demo")
# Reading order inside a floor (the SOP order for steps); anything new goes after, by name.
ORDER = {
    "core": ("config", "workspace", "store", "runs", "lock", "recovery", "journal", "kernels",
             "runner", "context", "merge", "errors"),
    "io": ("tables", "headers", "normalize", "intake", "schemas", "excel", "blast", "messages",
           "wilayah", "privacy", "formatting"),
    "rules": ("periods", "graduates", "statuses", "refusals", "codes", "questionnaire", "labels"),
    "steps": ("alumni", "vacancies", "outreach", "answers", "recap", "report"),
    "ui": ("widgets", "answers", "app"),
    "demo": ("sample", "answers"),
    "cli": ("cli", "__main__"),
}
HASH_RE = re.compile(r'<kebekerjaan:graph sha256="([0-9a-f]{64})"')


# --- the graph ------------------------------------------------------------------------

def module_files(src: Path = SRC) -> dict[str, Path]:
    """Dotted module name -> file, for every .py under the package."""
    found = {}
    for path in sorted(src.rglob("*.py")):
        parts = list(path.relative_to(src.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The package module `name` is, or lives in (`a.b.func` -> `a.b`)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def import_graph(src: Path = SRC) -> tuple[list[str], list[tuple[str, str]]]:
    """Every module of the package and every (importer, imported) pair between them."""
    modules = module_files(src)
    edges: set[tuple[str, str]] = set()
    for mod, path in modules.items():
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: from .x import y
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(up + ([node.module] if node.module else []))
                # `from pkg import name`: name may be a module of its own.
                targets = [f"{base}.{alias.name}" for alias in node.names] or [base]
            for target in targets:
                if target == PACKAGE or target.startswith(PACKAGE + "."):
                    found = _resolve(target, modules)
                    if found and found != mod:
                        edges.add((mod, found))
    return sorted(modules), sorted(edges)


def graph_hash(modules: list[str], edges: list[tuple[str, str]]) -> str:
    text = "\n".join(modules) + "\n--\n" + "\n".join(f"{a} {b}" for a, b in edges)
    return hashlib.sha256(text.encode()).hexdigest()


def current_hash(src: Path = SRC) -> str:
    return graph_hash(*import_graph(src))


def drawn_hash(svg: Path = OUT) -> str | None:
    match = HASH_RE.search(svg.read_text(encoding="utf-8")) if svg.exists() else None
    return match.group(1) if match else None


def floor_of(mod: str) -> str | None:
    """The floor of a module; None for the package root (a docstring and __version__)."""
    parts = mod.split(".")[1:]
    if not parts:
        return None
    return parts[0] if parts[0] in FLOORS else "cli"


def unit_of(mod: str) -> str | None:
    """The box a module is drawn in: `steps.answers`, `core.store`, `cli`; None for a floor's
    own __init__ (its imports still count for the floor)."""
    parts = mod.split(".")[1:]
    floor = floor_of(mod)
    if floor is None:
        return None
    if floor == "cli":
        return f"cli.{parts[0]}"
    return f"{floor}.{parts[1]}" if len(parts) > 1 else None


def _docline(path: Path) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    first = re.split(r"(?<=[.:])\s", " ".join(doc.split()), maxsplit=1)[0]
    return first.rstrip(".:")


# --- the drawing ------------------------------------------------------------------------

W_LABEL, X_CONTENT, CONTENT_W = 170, 190, 1000
BOX_H, SUB_W, GAP = 26, 165, 10
CHAR_W, SMALL_W = 7.3, 6.0  # px per character, 12 px monospace and 10 px sans
GUTTER_X = X_CONTENT + CONTENT_W + 16
LANE = 16


def _boxes(floor: str, modules: list[str], src: Path) -> list[dict]:
    units: dict[str, list[str]] = {}
    for mod in modules:
        unit = unit_of(mod)
        if unit and floor_of(mod) == floor:
            members = units.setdefault(unit, [])
            if mod not in (f"{PACKAGE}.{unit}", f"{PACKAGE}.{unit.partition('.')[2]}"):
                members.append(mod.rpartition(".")[2])
    preferred = ORDER.get(floor, ())
    names = sorted(units, key=lambda u: (u.split(".")[1] not in preferred,
                                         preferred.index(u.split(".")[1])
                                         if u.split(".")[1] in preferred else 0, u))
    boxes = []
    for unit in names:
        short = unit.split(".")[1]
        members = sorted(units[unit])
        if (src / unit.replace(".", "/")).is_dir():  # a sub-package: its name and modules
            lines = textwrap.wrap(" ".join(members), int((SUB_W - 12) / SMALL_W))
            boxes.append({"unit": unit, "title": short + "/", "lines": lines, "w": SUB_W,
                          "h": BOX_H + 13 * len(lines)})
        else:
            title = short + ".py"
            boxes.append({"unit": unit, "title": title, "lines": [],
                          "w": int(len(title) * CHAR_W + 16), "h": BOX_H})
    return boxes


def render(modules: list[str], edges: list[tuple[str, str]], src: Path = SRC) -> str:
    digest = graph_hash(modules, edges)
    rank = {f: i for i, f in enumerate(FLOORS)}
    floor_pairs: Counter = Counter()
    unit_pairs: Counter = Counter()
    for a, b in edges:
        fa, fb = floor_of(a), floor_of(b)
        if fa is None or fb is None:
            continue
        if fa != fb:
            floor_pairs[(fa, fb)] += 1
        elif fa in ARCS_IN and unit_of(a) and unit_of(b) and unit_of(a) != unit_of(b):
            unit_pairs[(unit_of(a), unit_of(b))] += 1

    # Place the bands top (cli) to bottom (core), wrapping boxes into rows.
    bands, place, y = [], {}, 70
    for floor in reversed(FLOORS):
        boxes = _boxes(floor, modules, src)
        arcs = [p for p in unit_pairs if floor_of(PACKAGE + "." + p[0]) == floor]
        arc_room = 14 + 12 * len(arcs) if arcs else 0
        rows, row, x = [], [], 0
        for box in boxes:
            if row and x + box["w"] > CONTENT_W:
                rows.append(row)
                row, x = [], 0
            row.append(box)
            x += box["w"] + GAP
        rows.append(row)
        top = y
        y += 12 + arc_room
        for row in rows:
            x = X_CONTENT
            for box in row:
                place[box["unit"]] = (x, y, box)
                x += box["w"] + GAP
            y += max(b["h"] for b in row) + GAP
        pkg = src / floor / "__init__.py"
        doc = textwrap.wrap(_docline(pkg if pkg.exists() else src / "cli.py"),
                            int(W_LABEL / SMALL_W))[:5]
        y = max(y + 4, top + 46 + 12 * len(doc))
        bands.append({"floor": floor, "top": top, "bottom": y, "arcs": arcs, "doc": doc})
        y += 10
    height = y + 40

    lanes = sorted(floor_pairs, key=lambda p: (abs(rank[p[0]] - rank[p[1]]), -rank[p[0]]))
    # Where each lane leaves and enters a band: arrows coming in on the upper part (outer
    # lanes higher), arrows going out on the lower part (inner lanes higher).
    ports: dict[tuple[int, str], float] = {}
    for band in bands:
        incoming = sorted((i for i, p in enumerate(lanes) if p[1] == band["floor"]), reverse=True)
        outgoing = sorted(i for i, p in enumerate(lanes) if p[0] == band["floor"])
        ends = [(i, "in") for i in incoming] + [(i, "out") for i in outgoing]
        step = (band["bottom"] - band["top"] - 16) / max(len(ends), 1)
        for k, end in enumerate(ends):
            ports[end] = band["top"] + 8 + step * (k + 0.5)
    width = GUTTER_X + LANE * (len(lanes) + 1) + 70
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:kebekerjaan="urn:kebekerjaan" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="DejaVu Sans, Arial, sans-serif">',
        "<title>kebekerjaan: package layout (floors and imports)</title>",
        f'<metadata><kebekerjaan:graph sha256="{digest}" modules="{len(modules)}" '
        f'imports="{len(edges)}"/></metadata>',
        "<defs>"
        '<marker id="a" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#444"/></marker>'
        '<marker id="r" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#c00"/></marker>'
        "</defs>",
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
        '<text x="20" y="30" font-size="18" font-weight="bold">kebekerjaan: floors and imports'
        "</text>",
        '<text x="20" y="50" font-size="11" fill="#555">Drawn by scripts/draw_layout.py from the '
        f"imports in src/kebekerjaan ({len(modules)} modules, {len(edges)} module imports). "
        "A floor imports only from itself and the floors below.</text>",
    ]
    for band in bands:
        floor, top, bottom = band["floor"], band["top"], band["bottom"]
        out.append(f'<rect x="10" y="{top}" width="{X_CONTENT + CONTENT_W - 4}" '
                   f'height="{bottom - top}" rx="6" fill="#f4f6f8" stroke="#b8c0c8"/>')
        out.append(f'<text x="20" y="{top + 22}" font-size="15" font-weight="bold">{floor}</text>')
        for i, line in enumerate(band["doc"]):
            out.append(f'<text x="20" y="{top + 38 + 12 * i}" font-size="10" fill="#555">'
                       f"{escape(line)}</text>")
    for x, y, box in place.values():
        out.append(f'<rect x="{x}" y="{y}" width="{box["w"]}" height="{box["h"]}" rx="4" '
                   f'fill="#fff" stroke="#6a7480"/>')
        out.append(f'<text x="{x + 8}" y="{y + 17}" font-size="12" font-family="DejaVu Sans Mono, '
                   f'monospace" font-weight="{"bold" if box["lines"] else "normal"}">'
                   f'{escape(box["title"])}</text>')
        for i, line in enumerate(box["lines"]):
            out.append(f'<text x="{x + 8}" y="{y + 31 + 13 * i}" font-size="10" fill="#555">'
                       f"{escape(line)}</text>")

    # Arcs between sub-packages of one floor, above the boxes; each box's arc ends spread
    # along its top edge, so two arcs never share an end.
    for band in bands:
        arcs = sorted(band["arcs"], key=lambda p: abs(place[p[0]][0] - place[p[1]][0]))
        ends: dict[str, list[tuple[int, int]]] = {}
        for i, (a, b) in enumerate(arcs):
            ends.setdefault(a, []).append((place[b][0], i))
            ends.setdefault(b, []).append((place[a][0], i))

        def end_x(unit: str, i: int, ends=ends) -> float:
            x, _, box = place[unit]
            order = [k for _, k in sorted(ends[unit])]
            return x + box["w"] * (order.index(i) + 1) / (len(order) + 1)

        for i, (a, b) in enumerate(arcs):
            xa, xb = end_x(a, i), end_x(b, i)
            ya, yb = place[a][1], place[b][1]
            lift = min(ya, yb) - 12 - 12 * i
            out.append(f'<path d="M{xa:.0f},{ya} C{xa:.0f},{lift} {xb:.0f},{lift} {xb:.0f},{yb}" '
                       f'fill="none" stroke="#444" marker-end="url(#a)"/>')

    # Arrows between floors, in the gutter on the right (short spans inside).
    for lane, (fa, fb) in enumerate(lanes):
        up = rank[fa] < rank[fb]
        colour, marker = ("#c00", "r") if up else ("#444", "a")
        ya, yb = round(ports[(lane, "out")]), round(ports[(lane, "in")])
        x0, xl = X_CONTENT + CONTENT_W + 6, GUTTER_X + LANE * (lane + 1)
        out.append(f'<path d="M{x0},{ya} H{xl} V{yb} H{x0 + 2}" fill="none" stroke="{colour}" '
                   f'marker-end="url(#{marker})"/>')
        out.append(f'<text x="{xl + 3}" y="{(ya + yb) / 2:.0f}" font-size="9" fill="{colour}">'
                   f"{floor_pairs[(fa, fb)]}</text>")
    out.append(f'<text x="20" y="{height - 18}" font-size="10" fill="#555">Right: imports between '
               "floors (arrow from importer to imported; the number counts module-to-module "
               "imports; red = a lower floor importing a higher one). Arcs: a sub-package of "
               "steps, ui or demo importing another one of its floor.</text>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def upward_imports(modules: list[str], edges: list[tuple[str, str]]) -> list[tuple[str, str]]:
    rank = {f: i for i, f in enumerate(FLOORS)}
    return [(a, b) for a, b in edges
            if floor_of(a) and floor_of(b) and rank[floor_of(a)] < rank[floor_of(b)]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    modules, edges = import_graph()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(modules, edges), encoding="utf-8")
    print(f"{args.out}: {len(modules)} modules, {len(edges)} imports, "
          f"graph sha256 {graph_hash(modules, edges)[:12]}")
    for a, b in upward_imports(modules, edges):
        print(f"  import upward: {a} -> {b}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
