"""Markdown to HTML for one post, and the Jinja environment that renders every page."""

from __future__ import annotations

import functools
import json
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import markdown

from engine import figures
from engine.config import SiteSettings
from engine.demos import DemoBlock, DemoReader
from engine.directives import DemoCollector, DemoExtension, DemoMemo
from engine.errors import SourceError, display_path
from engine.mathext import MathError, MathExtension
from engine.runtime.trainer import MAX_STEP_SIZE, Trainer
from engine.trial import DemoFailed, run_steps, start

PREVIEW_STEPS = 200  # length of the default run drawn into the page at build time
FIGURE_POINTS = 400  # at most this many data points in a static chart
BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
MARKDOWN_EXTENSIONS: list[str | markdown.Extension] = [
    "fenced_code",
    "codehilite",
    "tables",
    "footnotes",
    "toc",
    "attr_list",
    "def_list",
    "abbr",
    "md_in_html",
    "sane_lists",
    "admonition",
]
MARKDOWN_CONFIG: dict[str, dict[str, Any]] = {
    "codehilite": {"css_class": "codehilite", "guess_lang": False},
    "toc": {
        "permalink": "#",
        "permalink_class": "headerlink",
        "permalink_title": "Link to this section",
    },
    "footnotes": {"BACKLINK_TITLE": "Back to the text"},
}


@dataclass(frozen=True)
class DemoView:
    """What the demo templates see: the block plus its state at iteration 0."""

    id: str
    show: tuple[str, ...]
    controls: tuple[str, ...]
    parameters: tuple[str, ...]
    settings: Any
    initial: dict[str, Any]
    config_json: str
    model_description: str  # an author model's docstring; empty for a built-in model
    figures: dict[str, str]  # static SVG charts by chart name, drawn at build time
    max_step_size: float  # the largest step size the step-size box accepts
    warning: str = ""  # e.g. that the default run diverges, for the build to report


@dataclass(frozen=True)
class RenderedPost:
    """A post's body as HTML, with the demos it holds."""

    html: str
    demos: tuple[DemoBlock, ...]
    toc: str


def make_environment(settings: SiteSettings, author_templates: Path | None) -> jinja2.Environment:
    """Jinja with StrictUndefined; the author's templates/ overrides the built-in ones."""
    folders = [BUILTIN_TEMPLATES]
    if (
        author_templates is not None
        and author_templates.is_dir()
        and author_templates.resolve() != BUILTIN_TEMPLATES
    ):
        folders.insert(0, author_templates.resolve())
    return _environment(settings, tuple(folders))


@functools.lru_cache(maxsize=4)
def _environment(settings: SiteSettings, folders: tuple[Path, ...]) -> jinja2.Environment:
    """One environment per settings and folders, kept across the rebuilds of `serve`, so
    templates are compiled once (Jinja recompiles a template whose file changed)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in folders]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["site"] = settings
    return env


def template_error(exc: jinja2.TemplateError) -> SourceError:
    """A template's mistake (a syntax error, a misspelt variable, a missing include) at the
    template's file and line, as far as Jinja tells."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return SourceError(display_path(Path(exc.filename)), exc.lineno, f"{exc.message}")
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".xml")) and Path(frame.filename).is_file():
            return SourceError(display_path(Path(frame.filename)), frame.lineno or 0, str(exc))
    return SourceError("templates", 0, str(exc))


def demo_view(block: DemoBlock) -> DemoView:
    """Run the demo in CPython: its state at iteration 0 (for the readouts and the live
    charts' first frame) and its default run (for the static charts in the HTML)."""
    try:
        trainer = start(block)
    except DemoFailed as exc:
        raise DemoFailed(f'demo "{block.id}" {exc}') from None
    initial = trainer.state()
    config = {"settings": block.settings.to_dict(), "initial": initial}
    drawn = static_figures(block, trainer, initial)  # runs the default run
    return DemoView(
        id=block.id,
        show=block.show,
        controls=block.controls,
        parameters=block.parameters,
        settings=block.settings,
        initial=initial,
        config_json=script_json(config),
        model_description=block.model_file.description if block.model_file else "",
        figures=drawn,
        max_step_size=MAX_STEP_SIZE,
        warning=default_run_warning(trainer),
    )


def default_run_warning(trainer: Trainer) -> str:
    """What to warn about a demo after its default run: that it diverged, if it did."""
    facts = trainer.divergence
    if facts is None:
        return ""
    return (
        f"diverges after {facts['iteration']} steps of its default run of {PREVIEW_STEPS}; "
        f"on its data a step size of {facts['stable_step']:g} or less is stable, "
        f"not {facts['step_size']:g}"
    )


def static_figures(block: DemoBlock, trainer: Trainer, initial: dict[str, Any]) -> dict[str, str]:
    """SVG charts of the data with the starting fit, and of the default run's loss curve."""
    points = initial["points"]
    stride = max(1, len(points["xs"]) // FIGURE_POINTS)
    shown = (points["xs"][::stride], points["ys"][::stride])
    params = ", ".join(f"{name} = {value:g}" for name, value in initial["params"].items())
    fit = figures.fit_chart(
        shown,
        (initial["fit"]["xs"], initial["fit"]["ys"]),
        f"{initial['data_label']}, with the model's starting fit ({params}).",
        (initial["columns"]["x"], initial["columns"]["y"]),
    )
    start = trainer.average_loss
    try:
        run_steps(block, trainer, PREVIEW_STEPS)
    except DemoFailed as exc:
        raise DemoFailed(
            f'demo "{block.id}" {exc} during its default run of {PREVIEW_STEPS} steps'
        ) from None
    run = trainer.save_run()
    outcome = (
        f"diverges after {trainer.iteration} steps"
        if trainer.status == "diverged"
        else f"falls from {start:.4g} to {trainer.average_loss:.4g} over {trainer.iteration} steps"
    )
    loss = figures.loss_chart(
        run["curve"]["iterations"],
        run["curve"]["losses"],
        f"With the default settings the average loss {outcome}.",
    )
    return {"fit": fit, "loss": loss}


def render_demo(env: jinja2.Environment, block: DemoBlock) -> tuple[str, str]:
    """The widget's HTML, from templates/demo/demo.html and the part templates it includes,
    and what the build should warn about the demo (empty for nothing)."""
    view = demo_view(block)
    return env.get_template("demo/demo.html").render(demo=view), view.warning


def script_json(value: object) -> str:
    """JSON safe inside `<script type="application/json">`: no `<`, `>` or `&` left raw."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_post_body(
    body: str,
    first_line: int,
    reader: DemoReader,
    env: jinja2.Environment,
    demos: DemoMemo | None = None,
) -> RenderedPost | None:
    """Markdown (with demos and maths) to HTML; errors go to the reader's log. `demos`
    offers demos rendered before and records those of this post."""
    memo = demos if demos is not None else DemoMemo()
    collector = DemoCollector(reader, first_line, lambda block: render_demo(env, block), memo=memo)
    md = markdown.Markdown(
        extensions=[*MARKDOWN_EXTENSIONS, DemoExtension(collector), MathExtension()],
        extension_configs=MARKDOWN_CONFIG,
        output_format="html",
    )
    try:
        html = md.convert(body)
    except MathError as exc:
        reader.log.add(_line_of(body, exc.tex, first_line), str(exc))
        return None
    toc = str(getattr(md, "toc", ""))
    return RenderedPost(html=html, demos=tuple(collector.blocks), toc=toc)


def _line_of(body: str, needle: str, first_line: int) -> int:
    """The file line where `needle` first appears in the body (the body's first line if nowhere)."""
    index = body.find(needle)
    return first_line + (body.count("\n", 0, index) if index >= 0 else 0)
