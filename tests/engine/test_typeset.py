# ruff: noqa: RUF001 (the expected text holds curly quotes and dashes)
"""Text setting: curly quotes and dashes, headings that never strand a one-letter word,
maths kept with its punctuation and read as maths, code blocks that scroll."""

from __future__ import annotations

import re
from html import unescape

from engine.mathext import to_mathml
from engine.typeset import NBSP, headline, keep_together, smarten, tag_label
from tests.engine.conftest import FRONT, Project


def test_smarten_sets_quotes_apostrophes_and_dashes() -> None:
    assert smarten("When a line won't do") == "When a line won’t do"
    assert smarten('She said "go" -- then left...') == "She said “go” – then left…"
    assert smarten("'quoted' (and 'bracketed')") == "‘quoted’ (and ‘bracketed’)"
    assert smarten("pages 10--20, rock---paper") == "pages 10–20, rock—paper"


def test_one_letter_words_hold_on_to_the_next_word() -> None:
    assert (
        keep_together("Learning from our own demo: a model")
        == f"Learning from our own demo: a{NBSP}model"
    )
    assert keep_together("I think x is y") == f"I{NBSP}think x{NBSP}is y"
    # Not inside words, contractions or file names.
    assert keep_together("don't stop at e.g. ball-toss") == "don't stop at e.g. ball-toss"
    assert headline("A line won't bend") == f"A{NBSP}line won’t bend"


def test_tags_are_shown_as_words() -> None:
    assert tag_label("machine-learning") == "Machine learning"
    assert tag_label("basics") == "Basics"


def test_a_number_before_a_tex_unit_is_still_a_product() -> None:
    """latex2mathml reads "2ex" as one dimension token, squared as a whole."""
    mathml = to_mathml("2ex^2", "inline")
    assert "<mn>2ex</mn>" not in mathml
    assert "<mn>2</mn><mi>e</mi><msup><mi>x</mi><mn>2</mn></msup>" in mathml
    assert "<mn>2</mn><mi>e</mi><mi>x</mi>" in to_mathml("2 ex", "inline")
    # A real dimension in a command's argument stays one.
    assert 'width="2ex"' in to_mathml(r"\hspace{2ex} x", "inline")


def test_body_text_headings_maths_and_code_are_set(project: Project) -> None:
    project.post(
        "p",
        FRONT + "\n## A line can't bend\n\n"
        'It starts flat ($w = 0$, $b = 0$) and "learns" -- slowly.\n\n'
        "```python\nx = 1\n```\n",
    )
    project.build(snapshot=False)
    html = (project.root / "site/posts/p/index.html").read_text(encoding="utf-8")
    heading = re.search(r"<h2[^>]*>(.*?)<a", html)
    assert heading and unescape(heading[1]) == f"A{NBSP}line can’t bend"
    assert 'id="a-line-cant-bend"' in html
    assert "“learns” – slowly" in unescape(html)
    # The bracket and comma stay on the line of the formula they touch.
    assert re.search(r'<span class="nowrap">\(<math[^>]*>.*?</math>,</span>', html)
    assert re.search(r'<span class="nowrap"><math[^>]*>.*?</math>\)</span>', html)
    # A code block scrolls, so it can take keyboard focus.
    assert '<pre tabindex="0">' in html


def test_the_index_shows_a_thumbnail_of_each_post_with_a_demo(project: Project) -> None:
    demo = "```demo\nid: d\ndata:\n  synthetic: {n: 12, slope: 2.0, intercept: 1.0, seed: 3}\n```\n"
    project.post("with-demo", FRONT + "\nText.\n\n" + demo)
    project.post("plain", FRONT.replace("2026-11-26", "2026-11-25") + "\nNo demo here.\n")
    project.build(snapshot=False)
    index = (project.root / "site/index.html").read_text(encoding="utf-8")
    thumbs = re.findall(r'<svg class="post-thumb"[^>]*>.*?</svg>', index, re.S)
    assert len(thumbs) == 1  # the post without a demo has none
    assert 'aria-hidden="true"' in thumbs[0] and "<text" not in thumbs[0]
    assert thumbs[0].count('class="point"') == 12
    # The fit is drawn where the run took it: a rising line (y falls in SVG pixels).
    line = re.search(r'class="fit" points="([^"]+)"', thumbs[0])
    assert line
    first, last = line[1].split()[0], line[1].split()[-1]
    assert float(last.split(",")[1]) < float(first.split(",")[1])
    # The previous and next links join the two posts.
    newer = (project.root / "site/posts/with-demo/index.html").read_text(encoding="utf-8")
    assert 'href="/posts/plain/" rel="prev"' in newer and 'rel="next"' not in newer
