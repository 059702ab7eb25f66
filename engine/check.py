"""`explainer check`: validate every post and run every demo for some steps in CPython."""

from __future__ import annotations

import sys
from pathlib import Path

from engine.build import build
from engine.config import BuildOptions
from engine.demo.block import DemoBlock
from engine.demo.preview import DemoFailed, run_steps, start
from engine.errors import BuildFailed, SourceError


def check(content: Path, steps: int) -> int:
    """Exit 0 when everything validates (drafts too: the site builds in memory, and its
    links lead somewhere) and no demo diverges or raises within `steps`."""
    options = BuildOptions(content=content, drafts=True, snapshot=False)
    result = build(options, write=False)
    pages, warnings = result.pages, result.warnings
    errors: list[SourceError] = []
    demos = 0
    for page in pages:
        for block in page.demos:
            demos += 1
            problem = run_demo(block, steps)
            if problem:
                errors.append(
                    SourceError(page.post.shown_path, block.line, f'demo "{block.id}" {problem}')
                )
    if errors:
        raise BuildFailed(errors + warnings)
    for warning in warnings:
        print(warning, file=sys.stderr)
    print(f"checked {len(pages)} posts and {demos} demos ({steps} steps each): all fine")
    return 0


def run_demo(block: DemoBlock, steps: int) -> str:
    """Run one demo from its start; a description of what went wrong, or an empty string."""
    try:
        trainer = start(block)
        run_steps(block, trainer, steps)
    except DemoFailed as exc:
        return str(exc)
    if trainer.status == "diverged":
        return f"diverged within {steps} steps: {trainer.message}"
    return ""
