"""Node.js with the page scripts as a built site ships them (tests/static/load.mjs finds them)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).parent
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(
    NODE is None and os.environ.get("CI", "").lower() not in ("1", "true", "yes"),
    reason="Node.js is not installed (scripts/setup installs the npm packages with it)",
)


def node(scripts: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run Node.js with `args` (and `stdin`), the shipped page scripts in `scripts`."""
    assert NODE is not None, "Node.js is missing: run scripts/setup"
    env = {
        **os.environ,
        "EXPLAINER_STATIC": str(scripts),
        "LC_ALL": "en_US.UTF-8",
        "LANG": "en_US.UTF-8",
    }
    return subprocess.run(
        [NODE, *args],
        cwd=HERE,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def evaluate(scripts: Path, module: str, expression: str) -> object:
    """The JSON value of `expression`, evaluated with the page module `module` imported as `m`."""
    code = (
        f"const m = await import({json.dumps((scripts / module).as_uri())});"
        f"console.log(JSON.stringify({expression}));"
    )
    result = node(scripts, "--input-type=module", stdin=code)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
