"""The runtime stays pure-stdlib and free of constructs whose results differ across Pythons."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

RUNTIME = Path(__file__).resolve().parents[2] / "engine" / "runtime"
SOURCES = sorted(RUNTIME.glob("*.py"))
# sum() over floats changed in 3.12; libm functions may differ in the last bit under wasm;
# only Random.random() promises the same sequence in every version.
FORBIDDEN_CALLS = {
    "sum",
    "log",
    "log2",
    "log10",
    "exp",
    "sin",
    "cos",
    "tan",
    "pow",
    "randrange",
    "randint",
    "gauss",
    "shuffle",
    "choice",
    "uniform",
    "normalvariate",
}


def typing_only(tree: ast.Module) -> set[ast.AST]:
    """The nodes under `if TYPE_CHECKING:`, which never run (in Pyodide or anywhere)."""
    return {
        inner
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")
        for statement in node.body
        for inner in ast.walk(statement)
    }


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.name)
def test_imports_only_the_standard_library(path: Path) -> None:
    tree = ast.parse(path.read_text())
    skipped = typing_only(tree)
    for node in ast.walk(tree):
        if node in skipped:
            continue
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            continue
        for name in names:
            assert name.split(".")[0] in sys.stdlib_module_names, f"{path.name} imports {name}"


# autodiff.py and dualmath.py differentiate an author's model: where the model calls
# math.sin (or uses **), the derivative needs math.cos (or **) too. They may use them only
# inside these functions, which run only when the model itself called the function (or
# used **), on the model's own numbers.
FOLLOWS_THE_MODEL = {
    "autodiff.py": {"__pow__", "__rpow__", "power_slope", "_power"},
    "dualmath.py": {"_pow", "_log", "<lambda>"},
}


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.name)
def test_no_calls_or_operators_that_vary_between_pythons(path: Path) -> None:
    allowed = FOLLOWS_THE_MODEL.get(path.name, set())
    for function, node in _nodes_by_function(ast.parse(path.read_text())):
        if function in allowed:
            continue
        assert not isinstance(node, ast.BinOp) or not isinstance(node.op, ast.Pow), path.name
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            assert name not in FORBIDDEN_CALLS, f"{path.name}:{node.lineno} calls {name}"


def test_only_the_model_decides_when_autodiff_calls_a_maths_function() -> None:
    # The exceptions above are where they belong: every call of a forbidden function, and
    # every **, in the two modules is in one of them, and a plain model's gradient calls
    # none (see test_autodiff.py for the numbers).
    for name, allowed in FOLLOWS_THE_MODEL.items():
        tree = ast.parse((RUNTIME / name).read_text())
        places = {
            function
            for function, node in _nodes_by_function(tree)
            if (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow))
            or (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", getattr(node.func, "id", "")) in FORBIDDEN_CALLS
            )
        }
        assert places == allowed, name


def _nodes_by_function(tree: ast.AST, name: str = "") -> list[tuple[str, ast.AST]]:
    """Every node of `tree` with the name of the innermost function it is in ("" for none)."""
    found: list[tuple[str, ast.AST]] = []
    for child in ast.iter_child_nodes(tree):
        inner = name
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            inner = child.name
        elif isinstance(child, ast.Lambda):
            inner = "<lambda>"
        found.append((inner, child))
        found += _nodes_by_function(child, inner)
    return found
