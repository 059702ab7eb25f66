"""Screenshots of every demo of a built site, as a reader sees them, in headless Chromium.

    .venv/bin/python scripts/screenshots.py SITE OUT [--post SLUG] [--size 1280x900] ...

For each post, screen size (1280 by 900, 390 by 844) and colour scheme (light, dark) it takes
each demo before a step, while playing, after saving two runs, and after loading a CSV
with values in the millions; and it prints each demo's height as first shown.
`scripts/readme-picture` uses `picture()` for the README's picture.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.browser.conftest import serve_folder

Scheme = Literal["light", "dark"]
SIZES = {"wide": (1280, 900), "phone": (390, 844)}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
READY_MS = 90_000
# A CSV of a reader's own data at a scale in the millions: a city's population over a
# century (in centuries since 1950, a scale the demos' step sizes train on).
MILLIONS_CSV = "centuries,population\n" + "".join(
    f"{i / 20},{1_200_000 + 310_000 * i + (97_000 if i % 3 == 0 else -54_000)}\n" for i in range(21)
)


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """Serve `folder` on a free loopback port for the duration; its origin."""
    server, origin = serve_folder(folder)
    try:
        yield origin
    finally:
        server.shutdown()


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_post(browser: Browser, url: str, size: tuple[int, int], scheme: Scheme) -> Page:
    """A fresh page (no saved runs) at `url`, every demo ready."""
    page = browser.new_page(
        viewport={"width": size[0], "height": size[1]}, color_scheme=scheme, device_scale_factor=1
    )
    page.goto(url)
    for section in page.locator("section[data-demo]").all():
        expect(section).to_have_attribute("data-status", "ready", timeout=READY_MS)
    page.evaluate("document.fonts.ready")
    return page


def iteration(demo: Locator) -> int:
    """The demo's iteration count."""
    return int(float(demo.locator('[data-readout="iteration"]').get_attribute("data-value") or 0))


def play_until(demo: Locator, steps: int) -> None:
    """Press Play and poll until the demo has done `steps` iterations (or stopped)."""
    if iteration(demo) >= steps:
        return
    demo.locator('[data-action="play"]').click()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if demo.get_attribute("data-status") != "running" or iteration(demo) >= steps:
            return
        demo.page.wait_for_timeout(100)  # polling a live page, not synchronising a test


def pause(demo: Locator) -> None:
    """Pause a playing demo and wait until it has settled."""
    button = demo.locator('[data-action="play"]')
    if button.get_attribute("aria-pressed") == "true":
        button.click()
    expect(demo).not_to_have_attribute("data-status", "running")


def has(demo: Locator, hook: str) -> bool:
    return demo.locator(hook).count() > 0


def save_two_runs(demo: Locator) -> None:
    """Play, save; reset, switch the proportional step (if there), play, save."""
    save = demo.locator('[data-action="save-run"]')
    reset = demo.locator('[data-action="reset"]')
    play_until(demo, 300)
    pause(demo)
    save.click()
    expect(demo.locator("[data-run]")).to_have_count(1)
    reset.click()
    expect(demo).to_have_attribute("data-status", "ready")
    toggle = demo.locator('[data-control="proportional"]')
    if toggle.count():
        toggle.check()
    play_until(demo, 300)
    pause(demo)
    save.click()
    expect(demo.locator("[data-run]")).to_have_count(2)


def upload_millions(demo: Locator) -> None:
    """Load a CSV of values in the millions and train on it for a while."""
    demo.locator('[data-control="upload-csv"]').set_input_files(
        {"name": "population.csv", "mimeType": "text/csv", "buffer": MILLIONS_CSV.encode()}
    )
    expect(demo.locator('[data-readout="iteration"]')).to_have_attribute("data-value", "0")
    play_until(demo, 200)
    pause(demo)


def shoot(demo: Locator, path: Path) -> None:
    """A picture of the demo with a little of the page around it."""
    demo.scroll_into_view_if_needed()
    box = demo.bounding_box()
    assert box is not None
    page = demo.page
    scroll = page.evaluate("[scrollX, scrollY]")
    width = page.viewport_size["width"] if page.viewport_size else 1280
    margin = 12
    page.screenshot(
        path=str(path),
        full_page=True,
        clip={
            "x": max(0, box["x"] + scroll[0] - margin),
            "y": max(0, box["y"] + scroll[1] - margin),
            "width": min(width, box["width"] + 2 * margin),
            "height": box["height"] + 2 * margin,
        },
    )


STATES: dict[str, tuple[str | None, Callable[[Locator], None]]] = {
    "before": (None, lambda demo: None),
    "playing": ('[data-action="play"]', lambda demo: play_until(demo, 120)),
    "saved": ('[data-action="save-run"]', save_two_runs),
    "upload": ('[data-control="upload-csv"]', upload_millions),
}


def post_slugs(site: Path) -> list[str]:
    return sorted(p.parent.name for p in (site / "posts").glob("*/index.html"))


def run(
    site: Path,
    out: Path,
    posts: list[str],
    sizes: list[str],
    schemes: list[Scheme],
    states: list[str],
) -> None:
    """Every state of every demo, at every size and scheme; print demo heights."""
    out.mkdir(parents=True, exist_ok=True)
    with served(site) as origin, chromium() as browser:
        for size_name in sizes:
            for scheme in schemes:
                size = SIZES[size_name]
                page = browser.new_page(
                    viewport={"width": size[0], "height": size[1]}, color_scheme=scheme
                )
                page.goto(origin + "/")
                page.screenshot(path=str(out / f"index-{size_name}-{scheme}.png"), full_page=True)
                page.close()
        for slug in posts:
            for size_name in sizes:
                for scheme in schemes:
                    url = f"{origin}/posts/{slug}/"
                    shoot_post(browser, url, slug, size_name, scheme, out, states)


def shoot_post(
    browser: Browser,
    url: str,
    slug: str,
    size_name: str,
    scheme: Scheme,
    out: Path,
    states: list[str],
) -> None:
    size = SIZES[size_name]
    page = open_post(browser, url, size, scheme)
    ids = [s.get_attribute("data-demo") or "" for s in page.locator("section[data-demo]").all()]
    heights = {}
    for i in ids:
        demo = page.locator(f'section[data-demo="{i}"]')
        demo.scroll_into_view_if_needed()
        heights[i] = demo.bounding_box()
    print(
        f"{slug} {size_name} {scheme}: "
        + ", ".join(f"{i} {round(b['height'])} px" for i, b in heights.items() if b)
    )
    page.screenshot(path=str(out / f"{slug}-{size_name}-{scheme}-page.png"), full_page=True)
    page.evaluate("scrollTo(0, 0)")
    page.screenshot(path=str(out / f"{slug}-{size_name}-{scheme}-top.png"))
    for state in states:
        needs, act = STATES[state]
        for demo_id in ids:
            demo = page.locator(f'section[data-demo="{demo_id}"]')
            if needs is not None and not has(demo, needs):
                continue
            act(demo)
            shoot(demo, out / f"{slug}-{demo_id}-{size_name}-{scheme}-{state}.png")
        if state == "playing":
            for demo_id in ids:
                pause(page.locator(f'section[data-demo="{demo_id}"]'))
    page.close()


def picture(site: Path, target: Path, post: str, demo_id: str) -> None:
    """The README's picture: one demo after two saved runs, wide screen, light scheme."""
    with served(site) as origin, chromium() as browser:
        page = open_post(browser, f"{origin}/posts/{post}/", SIZES["wide"], "light")
        demo = page.locator(f'section[data-demo="{demo_id}"]')
        save_two_runs(demo)
        with tempfile.TemporaryDirectory() as folder:
            raw = Path(folder) / "shot.png"
            shoot(demo, raw)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(raw, target)
        page.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--post", action="append")
    parser.add_argument("--size", action="append", choices=sorted(SIZES))
    parser.add_argument("--scheme", action="append", choices=["light", "dark"])
    parser.add_argument("--state", action="append", choices=sorted(STATES))
    args = parser.parse_args(argv)
    run(
        args.site,
        args.out,
        args.post or post_slugs(args.site),
        args.size or list(SIZES),
        args.scheme or ["light", "dark"],
        args.state or list(STATES),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
