"""ruff and mypy, as configured in pyproject.toml, are clean.

mypy reads packages from folders named as they import; the repository maps
its folders into `govspeech` (pyproject.toml), so the check runs over a tree
of links laid out as the installed package, and reports repository paths.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def _tool(module: str) -> None:
    try:
        __import__(module)
    except ImportError:  # pragma: no cover - the test extra installs both
        pytest.fail(f"{module} is not installed; pip install -e '.[test]'")


def test_ruff_is_clean():
    _tool("ruff")
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def _package_tree(into: Path) -> dict[str, Path]:
    """Link the mapped folders into ``into`` as the installed package lays them out; link -> folder."""
    mapping = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-dir"]
    roots = {}
    for package, folder in sorted(mapping.items(), key=lambda kv: kv[0].count(".")):
        target = into.joinpath(*package.split("."))
        target.parent.mkdir(parents=True, exist_ok=True)
        if package.count("."):
            os.symlink(ROOT / folder, target, target_is_directory=True)
        else:  # the root package: its folder's own modules only, the subpackages are linked beside them
            target.mkdir()
            for path in (ROOT / folder).glob("*.py"):
                os.symlink(path, target / path.name)
        roots[str(target)] = ROOT / folder
    return roots


def test_mypy_is_clean(tmp_path):
    _tool("mypy")
    roots = _package_tree(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), "--cache-dir",
         str(tmp_path / ".mypy_cache"), "-p", "govspeech"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600)
    report = done.stdout + done.stderr
    for link, folder in sorted(roots.items(), key=lambda kv: -len(kv[0])):  # name repository files, not links
        report = report.replace(os.path.relpath(link, tmp_path) + os.sep, str(folder.relative_to(ROOT)) + os.sep)
    assert done.returncode == 0, report
