"""The GitHub Pages workflow: tests before it publishes, the site's address from GitHub,
caches, least privilege, and no deployment cancelled halfway."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

WORKFLOW = Path(__file__).resolve().parents[2] / ".github" / "workflows" / "pages.yml"


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    loaded = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    found = workflow["jobs"][job]["steps"]
    assert isinstance(found, list)
    return found


def index_of(found: list[dict[str, Any]], needle: str) -> int:
    return next(
        i
        for i, step in enumerate(found)
        if needle in f"{step.get('uses', '')} {step.get('run', '')}"
    )


def test_check_and_test_run_before_the_build_is_uploaded(workflow: dict[str, Any]) -> None:
    build = steps(workflow, "build")
    upload = index_of(build, "actions/upload-pages-artifact")
    assert index_of(build, "explainer check") < upload
    assert index_of(build, "explainer test") < upload
    assert index_of(build, "scripts/setup --test") < index_of(build, "explainer test")
    assert workflow["jobs"]["deploy"]["needs"] == "build"


def test_the_address_comes_from_configure_pages(workflow: dict[str, Any]) -> None:
    build = steps(workflow, "build")
    pages = build[index_of(build, "actions/configure-pages")]
    command = build[index_of(build, "explainer build")]["run"]
    assert f'--url "${{{{ steps.{pages["id"]}.outputs.base_url }}}}/"' in command
    assert "--strict" in command
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "repository_owner" not in text and "repository.name" not in text


def test_pip_npm_and_snapshots_are_cached(workflow: dict[str, Any]) -> None:
    build = steps(workflow, "build")
    python = build[index_of(build, "actions/setup-python")]["with"]
    node = build[index_of(build, "actions/setup-node")]["with"]
    cache = build[index_of(build, "actions/cache")]["with"]
    assert (python["cache"], node["cache"]) == ("pip", "npm")
    assert cache["path"] == "~/.cache/explainer"


def test_only_the_deploy_job_may_publish(workflow: dict[str, Any]) -> None:
    assert workflow["permissions"] == {"contents": "read"}
    assert "permissions" not in workflow["jobs"]["build"]
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_a_deployment_is_never_cancelled_halfway(workflow: dict[str, Any]) -> None:
    assert workflow["concurrency"]["cancel-in-progress"] is False


def test_the_package_metadata_installs_without_deprecation_warnings() -> None:
    """setuptools warns (about forty lines) for a license written as a table, and for an
    editable install that needs its meta path finder."""
    import tomllib

    project = tomllib.loads((WORKFLOW.parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"
    assert project["build-system"]["requires"] == ["setuptools>=77"]
    assert project["tool"]["setuptools"]["package-dir"] == {"": "."}
