"""Lighthouse's performance score of a page, on its mobile preset (a mid-range phone on a
slow 4G link, simulated), run with the pinned dev dependency `lighthouse` and Chromium."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from engine.browsertest import CHROMIUM_ARGS, chromium_path

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"


@dataclass(frozen=True)
class Score:
    """The performance score (0-100) and the metrics it is made of (ms; CLS unitless)."""

    performance: float
    fcp: float
    lcp: float
    tbt: float
    cls: float
    speed_index: float


def available() -> bool:
    """Whether the dev dependency is installed (npm ci)."""
    return CLI.is_file()


def score(url: str) -> Score:
    """Run Lighthouse once on `url` (mobile, performance only)."""
    with tempfile.TemporaryDirectory(prefix="explainer-lighthouse-") as tmp:
        report = Path(tmp) / "report.json"
        flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
        command = [
            "node",
            str(CLI),
            url,
            "--only-categories=performance",
            "--output=json",
            f"--output-path={report}",
            f"--chrome-flags={flags}",
            "--quiet",
        ]
        env = {**os.environ, "CHROME_PATH": chromium_path() or "chromium"}
        subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)
        data = json.loads(report.read_text(encoding="utf-8"))
    audits = data["audits"]

    def metric(name: str) -> float:
        return float(audits[name]["numericValue"])

    return Score(
        performance=100 * float(data["categories"]["performance"]["score"]),
        fcp=metric("first-contentful-paint"),
        lcp=metric("largest-contentful-paint"),
        tbt=metric("total-blocking-time"),
        cls=metric("cumulative-layout-shift"),
        speed_index=metric("speed-index"),
    )
