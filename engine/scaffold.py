"""`explainer new "Title"`: write a post with a working demo that builds as it is."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sys
import unicodedata
from pathlib import Path

import yaml
from anyascii import anyascii

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


def clean_title(title: str) -> str:
    """The title as one line of text: tabs, line breaks and other control characters
    become spaces, characters no file can hold are dropped, runs of spaces are one."""
    kept = []
    for character in title:
        category = unicodedata.category(character)
        if category == "Cc" or character in "\u2028\u2029":
            kept.append(" ")
        elif category not in ("Cs", "Cn"):  # lone surrogates, non-characters
            kept.append(character)
    return " ".join("".join(kept).split())


def slugify(title: str) -> str:
    """A file name for any title: `Why the Loss Goes Down!` becomes
    `why-the-loss-goes-down`, `Straße` `strasse`, `機械学習` `ji-xie-xue-xi`; a title with
    no letters or digits at all gets `post-` and a short hash of it."""
    ascii_title = anyascii(re.sub(r"(?<=[^\W\d_])(?=[\u3000-\u9fff])", " ", title))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    if not slug:
        slug = "post-" + hashlib.sha256(title.encode("utf-8", "replace")).hexdigest()[:8]
    return slug[:80].rstrip("-")


def new_post(title: str, content: Path, today: dt.date | None = None) -> int:
    """Write `content/posts/<slug>.md`; refuse to overwrite an existing post."""
    title = clean_title(title)
    if not title:
        print('the title is empty, e.g. explainer new "My post"', file=sys.stderr)
        return 1
    slug = slugify(title)
    path = content / "posts" / f"{slug}.md"
    if path.exists():
        print(f"{display_path(path)} already exists; pick another title", file=sys.stderr)
        return 1
    date = (today or dt.date.today()).isoformat()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TEMPLATE.format(title=yaml_text(title), date=date), encoding="utf-8")
    print(f"wrote {display_path(path)}")
    return 0


def yaml_text(text: str) -> str:
    """`text` as a YAML value that reads back as exactly `text`: plain when it can be,
    else double-quoted (with escapes, at worst)."""
    for written in (text, json.dumps(text, ensure_ascii=False), json.dumps(text)):
        try:
            if yaml.safe_load(f"title: {written}\n") == {"title": text}:
                return written
        except yaml.YAMLError:
            continue
    raise ValueError(f"cannot write {text!r} as YAML")  # json.dumps's ASCII form always can
