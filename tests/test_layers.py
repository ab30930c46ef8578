"""The import layers of docs/architecture.md, read from the source: one way down, public names across packages.

Every import of every module is read (module level and inside functions), so
a deferred import cannot hide an upward one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Folder -> package, as pyproject.toml maps them.
PACKAGES = {"core": "govspeech", "features": "govspeech.features", "trainer": "govspeech.trainer",
            "predictor": "govspeech.predictor"}

# Higher imports lower, never the reverse. The root package's own modules sit at
# the top (cli, the public API) or at the bottom (errors, config, atomic writes).
LAYERS = {
    "govspeech": 5, "govspeech.cli": 5, "govspeech._arguments": 5,
    "govspeech.trainer": 4,
    "govspeech.predictor": 3,
    "govspeech.features": 2,
    "govspeech.errors": 1, "govspeech.config": 1, "govspeech._checks": 1, "govspeech.atomic": 1,
    "govspeech.version": 1,
}

# The only places a project import may sit inside a function: the training
# stack (scikit-learn) is loaded when a training verb or function is called,
# so that labelling never imports it; the CLI's verb modules do the same.
DEFERRED_OK = {"govspeech", "govspeech.cli", "govspeech._adapt_args", "govspeech._corpus_verbs"}


def _modules():
    for folder, package in PACKAGES.items():
        for path in sorted((ROOT / folder).glob("*.py")):
            name = package if path.stem == "__init__" else f"{package}.{path.stem}"
            yield name, path


def _imports(path: Path):
    """(imported module, imported names, line, inside a function) for each project import of a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nested = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
              for n in ast.walk(f) if n is not f}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "govspeech":
                    yield alias.name, (), node.lineno, id(node) in nested
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] == "govspeech":
                yield node.module, tuple(a.name for a in node.names), node.lineno, id(node) in nested
        elif isinstance(node, ast.ImportFrom) and node.level:
            yield f"<relative import {'.' * node.level}{node.module or ''}>", (), node.lineno, id(node) in nested


def _layer_key(module: str) -> str:
    """The LAYERS entry a module belongs to: the longest matching prefix."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        key = ".".join(parts[:n])
        if key in LAYERS:
            return key
    raise KeyError(module)


def _package(module: str) -> str:
    """The package a module belongs to (root modules count as the root package)."""
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 and f"{parts[0]}.{parts[1]}" in PACKAGES.values() else parts[0]


MODULES = dict(_modules())


def test_the_layer_table_covers_every_module():
    assert MODULES, "no modules found"
    for name in MODULES:
        _layer_key(name)  # raises on a module no layer holds


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_run_one_way_and_name_public_modules_only(name):
    problems = []
    for target, names, line, deferred in _imports(MODULES[name]):
        where = f"{MODULES[name].relative_to(ROOT)}:{line}"
        if target.startswith("<relative"):
            problems.append(f"{where}: {target}; import absolutely from govspeech")
            continue
        if LAYERS[_layer_key(target)] > LAYERS[_layer_key(name)]:
            problems.append(f"{where}: {name} (layer {LAYERS[_layer_key(name)]}) imports {target} "
                            f"(layer {LAYERS[_layer_key(target)]}), an upward import")
        if _package(target) != _package(name):
            private = [p for p in [*target.split("."), *names] if p.startswith("_") and not p.endswith("__")]
            if private:
                problems.append(f"{where}: {name} imports private {', '.join(private)} of {_package(target)}; "
                                "export it from the package's __init__")
        if deferred and name not in DEFERRED_OK:
            problems.append(f"{where}: {name} imports {target} inside a function; import at module level")
    assert not problems, "\n".join(problems)


# jieba is the segmenter's optional second engine (rjieba gives its tokens and is installed with govspeech;
# features/_segment.py), imported only when asked for by name.
OPTIONAL_ENGINE = ("features/_segment.py", "jieba")


def test_labelling_modules_do_not_import_the_training_stack():
    heavy = ("sklearn", "scipy", "jieba", "joblib")
    problems = []
    for name, path in MODULES.items():
        if _package(name) not in ("govspeech.features", "govspeech.predictor"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            mods = ([a.name for a in node.names] if isinstance(node, ast.Import)
                    else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            problems += [f"{path.relative_to(ROOT)}:{node.lineno}: {m}" for m in mods if m.split(".")[0] in heavy
                         and (str(path.relative_to(ROOT)), m) != OPTIONAL_ENGINE]
    assert not problems, "labelling must not need the [train] extra:\n" + "\n".join(problems)
