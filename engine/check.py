"""`explainer check`: validate every post and run every demo for some steps in CPython."""

from __future__ import annotations

import sys
from pathlib import Path

from engine.config import BuildOptions, load_settings
from engine.demo.block import DemoBlock
from engine.demo.preview import DemoFailed, run_steps, start
from engine.errors import BuildFailed, SourceError
from engine.reading import read_pages
from engine.render import make_environment


def check(content: Path, steps: int) -> int:
    """Exit 0 when everything validates and no demo diverges or raises within `steps`."""
    options = BuildOptions(content=content, drafts=True)
    settings = load_settings(options.project)
    env = make_environment(settings, options.project / "templates")
    pages, warnings = read_pages(options, settings, env)
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
    for warning in warnings:
        print(warning, file=sys.stderr)
    if errors:
        raise BuildFailed(errors)
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
