"""The docs name only what exists: every `make` target, `kebekerjaan` command and option,
nbconvert exporter, script option, repository path, notebook, `kebekerjaan.*` module and
relative link in README.md and docs/**/*.md; the layout picture is drawn from the current
imports; the benchmark page is the one scripts/bench_all.py writes.

Only code (`spans` and fenced blocks) and links are read: prose may say anything.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import re
import sys
from pathlib import Path

import pytest

from kebekerjaan.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]

# Folders a backticked path must start with (or a top-level file it must be) to be checked.
PATH_ROOTS = ("src/", "notebooks/", "scripts/", "templates/", "docs/", "tests/", "data/",
              "outputs/", ".ci/")
TOP_FILES = ("Makefile", "pyproject.toml", "environment.yml", "README.md", ".gitignore",
             "pasang-windows.bat")
# What a run, the app or `kebekerjaan init` creates in a workspace: named in the docs, never
# in git. Each entry is a path prefix.
CREATED = (
    "data/kebekerjaan.sqlite", "data/.kebekerjaan.lock", "data/.kebekerjaan.simpan.lock",
    "data/.sebelum-proses/", "data/log/",
    "data/rekap_tersimpan/", "data/disisihkan/", "outputs/<", "outputs/formulir/", "outputs/cron.log",
)
FILE_SUFFIXES = {"toml", "sqlite", "lock", "exe", "log", "py", "ipynb", "md", "json"}


def code_of(text: str) -> list[str]:
    """Inline code spans (a span may wrap onto the next line) and the lines of fenced
    blocks."""
    chunks, prose, fenced = [], [], False

    def spans() -> None:
        joined = "\n".join(prose)
        chunks.extend(" ".join(span.split()) for span in re.findall(r"`([^`]+)`", joined))
        prose.clear()

    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            if not fenced:
                spans()
            fenced = not fenced
        elif fenced:
            chunks.append(line)
        else:
            prose.append(line)
    spans()
    return chunks


def links_of(text: str) -> list[str]:
    return re.findall(r"!?\[[^\]]*\]\(([^)\s]+)\)", text)


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w-]*):", text, re.M))


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    for action in parser._actions:  # argparse keeps the sub-parsers there
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("kebekerjaan.cli.build_parser has no sub-commands")


def _options(parser: argparse.ArgumentParser) -> set[str]:
    return {opt for action in parser._actions for opt in action.option_strings}


def check_make(code: list[str]) -> list[str]:
    targets = make_targets()
    return [f"`make {t}`: no such Makefile target" for chunk in code
            for t in re.findall(r"(?:^|[\s;&(])make\s+([a-z][\w-]*)", chunk) if t not in targets]


def check_cli(code: list[str]) -> list[str]:
    commands, problems = subcommands(), []
    for chunk in code:
        for m in re.finditer(r"(?:^|[\s/\\])kebekerjaan(?:\.exe)?((?:\s+[^\s|;&>]+)*)", chunk):
            words = [w.strip("[]\"'") for w in m.group(1).split()]
            if not words or not re.fullmatch(r"[a-z]+", words[0]):
                continue  # a name in prose inside code, e.g. `kebekerjaan` alone
            name = words[0]
            if name not in commands:
                problems.append(f"`kebekerjaan {name}`: no such command ({chunk.strip()})")
                continue
            known = _options(commands[name])
            for word in words[1:]:
                option = word.split("=")[0]
                if option.startswith("--") and option not in known:
                    problems.append(f"`kebekerjaan {name} {option}`: no such option")
    return problems


def check_exporters(code: list[str]) -> list[str]:
    from nbconvert.exporters import get_export_names

    names = set(get_export_names())
    return [f"`nbconvert --to {name}`: no such exporter" for chunk in code
            for name in re.findall(r"nbconvert\s+--to\s+([\w-]+)", chunk) if name not in names]


def check_scripts_options(code: list[str]) -> list[str]:
    problems = []
    for chunk in code:
        for m in re.finditer(r"scripts/([\w.]+\.py)((?:\s+[^\s|;&>]+)*)", chunk):
            script = ROOT / "scripts" / m.group(1)
            if not script.exists():
                continue  # reported by check_paths
            source = script.read_text(encoding="utf-8")
            for word in m.group(2).split():
                option = word.strip("[]").split("=")[0]
                if option.startswith("--") and f'"{option}"' not in source:
                    problems.append(f"`scripts/{m.group(1)} {option}`: the script has no such option")
    return problems


def _path_tokens(chunk: str) -> list[str]:
    tokens = []
    for word in re.split(r"[\s\"'(),;=]+", chunk):
        word = word.strip("[]{}:.").removeprefix("./")
        if word.startswith(PATH_ROOTS) or word in TOP_FILES:
            tokens.append(word)
    return tokens


def path_exists(token: str) -> bool:
    if token.startswith(CREATED):
        return True
    pattern = re.sub(r"<[^>]*>", "*", token).rstrip("/")
    if "*" in pattern:
        return any(ROOT.glob(pattern))
    return (ROOT / pattern).exists()


def check_paths(code: list[str]) -> list[str]:
    problems = [f"`{t}`: not in the repository" for chunk in code for t in _path_tokens(chunk)
                if not path_exists(t)]
    notebooks = {p.name for p in (ROOT / "notebooks").rglob("*.ipynb")}
    problems += [f"`{name}`: no such notebook" for chunk in code
                 for name in re.findall(r"\b\d\d_\w+\.ipynb\b", chunk) if name not in notebooks]
    return problems


def module_problem(dotted: str) -> str | None:
    """None when `dotted` is a module of the package, or an attribute of one."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        name = ".".join(parts[:cut])
        try:
            spec = importlib.util.find_spec(name)
        except ModuleNotFoundError:
            spec = None
        if spec is None:
            continue
        obj = importlib.import_module(name)
        for attr in parts[cut:]:
            if not hasattr(obj, attr):
                return f"`{dotted}`: {name} has no {attr}"
            obj = getattr(obj, attr)
        return None
    return f"`{dotted}`: no such module"


def check_modules(code: list[str]) -> list[str]:
    problems = []
    for chunk in code:
        for dotted in re.findall(r"(?<![\w/.-])kebekerjaan(?:\.[A-Za-z_]\w*)+", chunk):
            if dotted.rsplit(".", 1)[1] in FILE_SUFFIXES:
                continue  # kebekerjaan.toml, a file
            problem = module_problem(dotted)
            if problem:
                problems.append(problem)
    return problems


def check_links(doc: Path, text: str) -> list[str]:
    problems = []
    for target in links_of(text):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue  # a web address or an anchor on the same page
        if not (doc.parent / target.split("#")[0]).exists():
            problems.append(f"link ({target}): no such file")
    return problems


def problems_of(doc: Path, text: str) -> list[str]:
    code = code_of(text)
    found = (check_make(code) + check_cli(code) + check_exporters(code) + check_scripts_options(code)
             + check_paths(code) + check_modules(code) + check_links(doc, text))
    return [f"{doc.relative_to(ROOT)}: {p}" for p in dict.fromkeys(found)]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_doc_names_only_what_exists(doc):
    problems = problems_of(doc, doc.read_text(encoding="utf-8"))
    assert not problems, "\n".join(problems)


def test_check_catches_what_does_not_exist():
    bad = "\n".join([
        "Run `make tset` and `kebekerjaan jalan` and `kebekerjaan run --tanggal 2026-01-01`.",
        "Render with `jupyter nbconvert --to laporan_word x.ipynb`.",
        "Read `src/kebekerjaan/core/guard.py`, `notebooks/10_tidak_ada.ipynb`, "
        "`kebekerjaan.guard` and `kebekerjaan.core.store.no_such_function`.",
        "```sh", "python scripts/bench_wa.py --no-such-flag", "```",
        "See [the guide](no-such-page.md).",
    ])
    problems = problems_of(ROOT / "docs" / "x.md", bad)
    for expected in ("make tset", "kebekerjaan jalan", "--tanggal", "laporan_word", "core/guard.py",
                     "10_tidak_ada.ipynb", "`kebekerjaan.guard`", "no_such_function",
                     "--no-such-flag", "no-such-page.md"):
        assert any(expected in p for p in problems), (expected, problems)
    good = ("`make test`, `kebekerjaan run --workspace D:/x --steps 1`, `data/masuk/alumni/`, "
            "`outputs/<id-proses>/manifest.json`, `kebekerjaan.core.recovery`, "
            "`kebekerjaan.toml`, `templates/pesan/lowongan_*.j2`, [dev](dev/README.md), "
            "`jupyter nbconvert --to laporan_pdf x.ipynb`")
    assert problems_of(ROOT / "docs" / "x.md", good) == []


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(f"_script_{name}", ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_layout_picture_is_drawn_from_current_imports():
    draw = _load_script("draw_layout")
    svg = ROOT / "docs" / "dev" / "layout.svg"
    assert draw.drawn_hash(svg) == draw.current_hash(), (
        "docs/dev/layout.svg is older than the imports in src/kebekerjaan: "
        "run `python scripts/draw_layout.py` and commit the picture")


def test_layout_hash_follows_the_imports(tmp_path):
    draw = _load_script("draw_layout")
    modules, edges = draw.import_graph()
    assert ("kebekerjaan.core.runner", "kebekerjaan.core.store") in edges
    assert draw.graph_hash(modules, edges[1:]) != draw.graph_hash(modules, edges)
    svg = tmp_path / "layout.svg"
    svg.write_text(draw.render(modules, edges), encoding="utf-8")
    assert draw.drawn_hash(svg) == draw.graph_hash(modules, edges)
    assert draw.upward_imports(modules, edges) == [], "a floor imports from a floor above it"


def test_benchmark_page_is_generated():
    bench = _load_script("bench_all")
    page = (ROOT / "docs" / "dev" / "benchmarks.md").read_text(encoding="utf-8")
    assert "Generated by scripts/bench_all.py" in page
    for kind in bench.SECTIONS:
        assert f"<!-- bench:{kind} start -->" in page and f"<!-- bench:{kind} end -->" in page
    for b in bench.QUICK:
        assert f"`{b.command}`" in page, f"{b.command} has no figures on the page"
