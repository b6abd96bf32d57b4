"""The repository keeps its promises: notebooks clean, dependencies declared once, tests that
share through fixtures only."""

from __future__ import annotations

import ast
import json
import re
from collections import Counter
from pathlib import Path

import yaml

from kebekerjaan.core.config import tomllib

ROOT = Path(__file__).resolve().parents[1]


def _notebooks():
    return sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_step_notebooks():
    assert _notebooks(), "notebooks/ has no notebook"


def test_notebooks_committed_without_outputs_and_with_parameters_cell():
    for path in _notebooks():
        nb = json.loads(path.read_text(encoding="utf-8"))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), path
        tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1, f"{path.name}: needs exactly one cell tagged parameters"
        assert re.match(r"^\d{2}_[a-z0-9_]+\.ipynb$", path.name), path.name
        params = "".join(tagged[0]["source"])
        for name in ("workspace", "as_of", "interaktif", "run_dir"):
            assert re.search(rf"^{name}\s*:", params, re.M), f"{path.name}: parameter {name}"


def _norm(req: str) -> str:
    return re.sub(r"\s+", "", req).lower().replace('"', "'")


def test_environment_yml_installs_the_same_set_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["test"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    conda_python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert sorted(_norm(d) for d in pip_section if d != "-e .") == sorted(_norm(d) for d in declared)
    assert "-e ." in pip_section
    assert conda_python.replace("python", "") == project["requires-python"]


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and "make demo" in readme
    assert "make test" in ci


def test_no_data_or_outputs_tracked_except_gitkeep():
    import subprocess

    tracked = subprocess.run(["git", "ls-files", "data", "outputs"], cwd=ROOT, text=True,
                             capture_output=True).stdout.split()
    assert all(p.endswith(".gitkeep") for p in tracked), tracked


def _test_sources():
    return sorted((ROOT / "tests").rglob("*.py"))


def test_tests_share_helpers_only_through_conftest_fixtures():
    """A test file imports no other test module (tests.*, conftest): what several files need is a
    fixture in the conftest.py of the narrowest folder covering them."""
    offenders = []
    for path in _test_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = ["." * node.level + (node.module or "")]
            else:
                continue
            for name in names:
                if name.startswith(".") or name.split(".")[0] in ("tests", "conftest"):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    assert not offenders, "\n".join(offenders)


def test_tests_mirror_the_package_without_init_files_and_with_unique_names():
    """pytest imports test files by path (--import-mode=importlib), so tests/ holds no
    __init__.py; one name per test file keeps -k, tracebacks and search unambiguous."""
    sources = _test_sources()
    assert not [p for p in sources if p.name == "__init__.py"]
    names = Counter(p.name for p in sources if p.name.startswith("test_"))
    assert not [n for n, k in names.items() if k > 1], names
