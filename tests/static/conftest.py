"""The page scripts as `explainer build` ships them, for Node.js to run."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import assets


@pytest.fixture(scope="module")
def scripts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page scripts as `explainer build` ships them, contract.js included."""
    folder = tmp_path_factory.mktemp("static")
    for name, data in assets._static_files().items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder
