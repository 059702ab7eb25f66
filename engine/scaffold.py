"""`explainer new "Title"`: write a post with a working demo that builds as it is."""

from __future__ import annotations

import datetime as dt
import re
import sys
import unicodedata
from pathlib import Path

from engine.errors import display_path

TEMPLATE = """\
---
title: {title}
date: {date}
summary: One or two sentences that say what the reader will learn.
tags: [machine-learning]
---

Write the story here. The demo below trains a line on noisy points by gradient descent;
press **Play** and watch the average loss fall.

```demo
model: linear
data:
  synthetic: {{n: 30, slope: 1.5, intercept: 2.0, noise: 1.0, seed: 7}}
train:
  step_size: 0.02
show: [samples, iteration, total_loss, average_loss, parameters, fit_chart, loss_chart]
controls: [play, step, reset, step_size]
```

Every option of the demo block is described in the README's directive reference.
"""


def slugify(title: str) -> str:
    """`Why the Loss Goes Down!` becomes `why-the-loss-goes-down`."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")


def new_post(title: str, content: Path, today: dt.date | None = None) -> int:
    """Write `content/posts/<slug>.md`; refuse to overwrite an existing post."""
    slug = slugify(title)
    if not title.strip() or not slug:
        print(
            'the title needs at least one letter or digit, e.g. explainer new "My post"',
            file=sys.stderr,
        )
        return 1
    path = content / "posts" / f"{slug}.md"
    if path.exists():
        print(f"{display_path(path)} already exists; pick another title", file=sys.stderr)
        return 1
    date = (today or dt.date.today()).isoformat()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TEMPLATE.format(title=_yaml_text(title.strip()), date=date), encoding="utf-8")
    print(f"wrote {display_path(path)}")
    return 0


def _yaml_text(text: str) -> str:
    """Quote the title when YAML would otherwise misread it."""
    if re.fullmatch(r"[A-Za-z0-9][^:#\[\]{}\"'`|>&*!%@,]*", text) and not text.endswith(" "):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
