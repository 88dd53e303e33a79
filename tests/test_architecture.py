"""The house: every import in jaring/ runs down the floors, never up or sideways, and files stay short.

The floors are those of the project's ARCHITECTURE.md (0 at the bottom). A module may import from
its own package and from packages on lower floors; packages on one floor never import each other.
Imports inside functions count too: a lazy import upward is still a loop in the design.
"""

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import jaring.nn
import jaring.ops
from jaring.autograd.function import Function
from jaring.nn.module import Module

PACKAGE = Path(__file__).resolve().parent.parent / "jaring"
FLOORS = {
    "backend": 0, "random": 0, "memory": 0, "allocation": 0, "atomic": 0, "errors": 0, "validation": 0,
    "threads": 0, "compiler": 0, "backends": 0,
    "kernels": 1, "dtypes": 1, "cuda": 1, "generator": 1, "accelerator": 2, "autograd": 2, "ops": 3,
    "functional": 4, "linalg": 4, "testing": 4,
    "nn": 5, "distributions": 5, "optim": 6, "data": 6, "io": 7, "training": 8, "viz": 9, "models": 10,
    "utils": 7, "experiments": 11, "demo": 12, "cli": 13,
}  # fmt: skip
MAX_LINES = 400


def _room(path: Path, root: Path) -> str | None:
    """The top-level package or module of jaring/ that `path` belongs to (None: jaring/__init__.py)."""
    parts = path.relative_to(root).with_suffix("").parts
    return None if parts == ("__init__",) else parts[0]


def _imported(node: ast.AST, path: Path, root: Path) -> list[str]:
    """The dotted jaring module names an import statement reaches."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:
        package = list(path.relative_to(root.parent).with_suffix("").parts)
        base = package[: len(package) - node.level + (path.name == "__init__.py")]
        return [".".join(base + ([node.module] if node.module else []))]
    if node.module == "jaring":
        return [f"jaring.{a.name}" for a in node.names]
    return [node.module] if node.module else []


def crossings(root: Path = PACKAGE) -> list[str]:
    """Every import that goes up or sideways between floors, as 'file:line: what'."""
    found = []
    for path in sorted(root.rglob("*.py")):
        own = _room(path, root)
        if own is None:
            continue
        assert own in FLOORS, f"{path.relative_to(root)} is on no floor; add {own!r} to FLOORS"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for name in _imported(node, path, root):
                bits = name.split(".")
                if len(bits) < 2 or bits[0] != "jaring" or bits[1] == own or bits[1] not in FLOORS:
                    continue
                if FLOORS[bits[1]] >= FLOORS[own]:
                    way = "up" if FLOORS[bits[1]] > FLOORS[own] else "sideways"
                    where = f"{path.relative_to(root.parent)}:{node.lineno}"
                    found.append(f"{where}: {own} imports {way}: {name}")
    return found


def test_imports_only_run_down_the_floors():
    assert crossings() == []


def test_the_scan_sees_an_upward_and_a_sideways_import(tmp_path):
    for room in ("nn", "optim"):
        (tmp_path / "jaring" / room).mkdir(parents=True)
    (tmp_path / "jaring/nn/layer.py").write_text("def f():\n    from jaring.viz import plot_weights\n")
    (tmp_path / "jaring/optim/sgd.py").write_text("from jaring import data\nfrom jaring.ops import arith\n")
    assert crossings(tmp_path / "jaring") == [
        "jaring/nn/layer.py:2: nn imports up: jaring.viz",
        "jaring/optim/sgd.py:1: optim imports sideways: jaring.data",
    ]


def test_no_op_class_shares_a_name_with_a_layer():
    """An op whose layer has the same name carries a Function suffix, so a graph never confuses them."""
    layers = set()
    for info in pkgutil.walk_packages(jaring.nn.__path__, "jaring.nn."):
        module = importlib.import_module(info.name)
        layers |= {n.lower() for n, c in vars(module).items() if inspect.isclass(c) and issubclass(c, Module)}
    clashes = []
    for info in pkgutil.walk_packages(jaring.ops.__path__, "jaring.ops."):
        module = importlib.import_module(info.name)
        for name, cls in vars(module).items():
            if inspect.isclass(cls) and issubclass(cls, Function) and name.lower() in layers:
                clashes.append(f"{info.name}.{name}")
    assert clashes == []


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_file_is_longer_than_the_limit(path):
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {lines} lines; split it along a seam"
