"""The `explainer` command line: build, serve, new, check, test."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from engine.errors import BuildFailed


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; user mistakes print `path:line: message` and give exit code 1."""
    args = _parser().parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.run
    try:
        return command(args)
    except BuildFailed as exc:
        report(exc)
        return 1
    except KeyboardInterrupt:
        return 130


def report(failure: BuildFailed) -> None:
    """Print every error and warning, then how many there were."""
    for error in failure.errors:
        print(error, file=sys.stderr)
    print(failure.summary(), file=sys.stderr)


def _build(args: argparse.Namespace) -> int:
    from engine.build import build
    from engine.config import BuildOptions
    from engine.errors import display_path

    started = time.perf_counter()
    options = BuildOptions(
        content=args.content,
        out=args.out,
        base_url=args.base_url,
        url=args.url,
        strict=args.strict,
        drafts=args.drafts,
        snapshot=args.snapshot,
    )
    result = build(options)
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    seconds = time.perf_counter() - started
    print(
        f"built {len(result.pages)} post{'s' if len(result.pages) != 1 else ''} "
        f"into {display_path(result.out)}/ ({result.files} files, {seconds:.2f} s)"
    )
    return 0


def _serve(args: argparse.Namespace) -> int:
    from engine.serve import serve

    return serve(args.content, args.port, args.out, drafts=args.drafts)


def _new(args: argparse.Namespace) -> int:
    from engine.scaffold import new_post

    return new_post(args.title, args.content)


def _check(args: argparse.Namespace) -> int:
    from engine.check import check

    return check(args.content, steps=args.steps)


def _test(args: argparse.Namespace) -> int:
    from engine.browsertest import test_site

    return test_site(args.content, drafts=args.drafts)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="explainer", description="Build interactive explainer posts into a static site."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build content/ into site/")
    _content(build)
    build.add_argument("--out", type=Path, default=Path("site"), help="output folder (site)")
    build.add_argument("--base-url", help="path prefix for a project site, e.g. /my-repo/")
    build.add_argument(
        "--url", help="the site's absolute address, e.g. https://me.github.io/my-repo/"
    )
    build.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings (broken links, missing summaries, no --url, ...) as errors",
    )
    build.add_argument(
        "--no-snapshot",
        dest="snapshot",
        action="store_false",
        help="do not make a runtime snapshot with Node.js (pages start Python more slowly)",
    )
    build.set_defaults(run=_build)

    serve = commands.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on change")
    _content(serve)
    serve.add_argument("--port", type=int, default=8000, help="port (8000; 0 picks a free one)")
    serve.add_argument("--out", type=Path, default=Path("site"), help="output folder (site)")
    serve.set_defaults(run=_serve)

    new = commands.add_parser("new", help="write a new post with a working demo")
    new.add_argument("title", help='the post title, e.g. "Why the loss goes down"')
    new.add_argument("--content", type=Path, default=Path("content"), help="content folder")
    new.set_defaults(run=_new)

    check = commands.add_parser("check", help="validate posts and run every demo in CPython")
    _content(check)
    check.add_argument("--steps", type=int, default=50, help="steps per demo (50)")
    check.set_defaults(run=_check)

    test = commands.add_parser(
        "test", help="build, then drive every demo of every page in headless Chromium"
    )
    _content(test)
    test.set_defaults(run=_test)
    return parser


def _content(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), help="content folder")
    parser.add_argument("--drafts", action="store_true", help="include posts marked draft")
