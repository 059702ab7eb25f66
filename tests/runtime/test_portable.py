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


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.name)
def test_no_calls_or_operators_that_vary_between_pythons(path: Path) -> None:
    for node in ast.walk(ast.parse(path.read_text())):
        assert not isinstance(node, ast.BinOp) or not isinstance(node.op, ast.Pow), path.name
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            assert name not in FORBIDDEN_CALLS, f"{path.name}:{node.lineno} calls {name}"
