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


# conda-forge's name for a PyPI distribution, where the two differ (environment.yml says why).
CONDA_NAMES = {"matplotlib-base": "matplotlib", "nbconvert-core": "nbconvert", "pandera-base": "pandera"}
# What the conda route needs beyond the package's own dependencies: the interpreter, pip,
# the build backend pip uses with --no-build-isolation, and Pango (WeasyPrint's text
# library, which pip cannot install on Windows).
CONDA_TOOLS = {"python", "pip", "hatchling", "pango"}


def _conda_specs() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    specs = {}
    for dep in env["dependencies"]:
        assert isinstance(dep, str), f"environment.yml: only conda-forge packages, no pip section ({dep})"
        name, _, spec = dep.partition(" ")
        specs[name] = spec.replace(" ", "")
    return specs


def test_environment_yml_is_the_runtime_list_from_conda_forge_only():
    """The conda route (Windows laptops) installs every runtime dependency of pyproject.toml,
    with the same version range, from conda-forge; no test tool; no pip package."""
    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge", "nodefaults"]
    specs = _conda_specs()
    runtime = {(r := Requirement(d)).name: str(r.specifier) for d in project["project"]["dependencies"]}
    packaged = {CONDA_NAMES.get(n, n): s for n, s in specs.items() if n not in CONDA_TOOLS}
    assert {n: sorted(s.split(",")) for n, s in packaged.items()} == \
        {n: sorted(s.split(",")) for n, s in runtime.items()}
    tests = {Requirement(d).name for d in project["project"]["optional-dependencies"]["test"]}
    assert not tests & set(packaged), "test tools belong to `pip install -e '.[test]'` only"
    assert "weasyprint" in packaged and "pango" in specs
    assert sorted(specs["python"].split(",")) == sorted(project["project"]["requires-python"].split(","))
    (backend,) = project["build-system"]["requires"]
    assert Requirement(backend).name == "hatchling"
    assert specs["hatchling"] == str(Requirement(backend).specifier)


def test_windows_install_script_installs_the_package_from_the_folder_without_pip_dependencies():
    """pasang-windows.bat: the environment from environment.yml, then this folder's package
    with --no-deps (pip never replaces a conda-forge package, WeasyPrint above all), not
    editable (the zip's folder may be moved or deleted), then the launchers."""
    raw = (ROOT / "pasang-windows.bat").read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n"), "a batch file needs CRLF line ends"
    text = raw.decode("ascii")
    name = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))["name"]
    assert "env create --file environment.yml" in text
    assert f"env update --name {name} --file environment.yml --prune" in text
    (install,) = [line for line in text.splitlines() if "pip install" in line]
    assert f"--name {name} python -m pip install --no-deps --no-build-isolation" in install
    assert install.rstrip().endswith(" .") and " -e " not in install
    assert f"--name {name} kebekerjaan pintasan" in text
    attributes = (ROOT / ".gitattributes").read_text(encoding="utf-8")
    assert "*.bat -text" in attributes


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
