"""The command line: ``archive build | generate | check | serve | hooks``.

Slow imports (spaCy, MkDocs) happen inside the commands that need them, so ``--help`` is instant.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from . import __version__
from .build import Project

root_option = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The archive's folder (holding articles/, site_src/ and mkdocs.yml).",
)
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")


@click.group()
@click.version_option(__version__, prog_name="archive")
def cli() -> None:
    """Build and check an annotated reading archive."""


@cli.command()
@root_option
@strict_option
def build(root: Path, strict: bool) -> None:
    """Generate the pages and build the site into site/."""
    from .build import build_site

    started = time.perf_counter()
    loaded, report = build_site(Project(root), strict)
    _print_warnings(loaded.warnings)
    click.echo(
        f"Built {len(loaded.articles)} articles into {Project(root).site} "
        f"({len(report.written)} pages written, {report.unchanged} unchanged, {len(report.deleted)} removed) "
        f"in {time.perf_counter() - started:.1f} s."
    )


@cli.command()
@root_option
@strict_option
def generate(root: Path, strict: bool) -> None:
    """Generate the Markdown pages into site_src/ without building the site."""
    from .build import generate as run

    loaded, report = run(Project(root), strict)
    _print_warnings(loaded.warnings)
    click.echo(
        f"Generated {len(loaded.articles)} articles: {len(report.written)} pages written, "
        f"{report.unchanged} unchanged, {len(report.deleted)} removed."
    )


@cli.command()
@root_option
@strict_option
@click.option("--quiet", "-q", is_flag=True, help="Print only problems, not the cleaning report.")
def check(root: Path, strict: bool, quiet: bool) -> None:
    """Validate every source and print what cleaning removed; build nothing.

    Exits with status 1 if any problem is found (with --strict, any warning too).
    """
    from .build import load
    from .errors import ErrorList

    loaded = load(Project(root))
    if not quiet:
        for article in loaded.articles:
            click.echo(f"{article.path}: {article.words} words kept, {len(article.removals)} removals")
            for removal in article.removals:
                what = "unlinked" if removal.kept_words else "removed"
                text = removal.text if len(removal.text) <= 70 else removal.text[:69] + "…"
                click.echo(f"  line {removal.line}: {what} by {removal.rule}: {text}")
    _print_warnings(loaded.warnings)
    problems = list(loaded.errors)
    if strict:
        problems += [f"{w} (warning made an error by --strict)" for w in loaded.warnings]  # type: ignore[misc]
    if problems:
        raise ErrorList([p if not isinstance(p, str) else _plain_error(p) for p in problems])
    click.echo(f"OK: {len(loaded.articles)} articles checked, no problems found.")


@cli.command()
@root_option
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="The port to serve on.")
def serve(root: Path, port: int) -> None:
    """Preview the site on http://127.0.0.1:PORT/, rebuilt whenever a source changes.

    Watches the articles, their notes, the cleaning rules, the entity registry, the hand-written
    pages and mkdocs.yml; only the pages that changed are regenerated, and open browser tabs reload.
    """
    from .preview import serve as run

    run(Project(root), port=port)


@cli.group()
def hooks() -> None:
    """Publish from your own git server: check every push, build and publish the site."""


@hooks.command("install")
@click.argument("repo", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option(
    "--publish",
    required=True,
    type=click.Path(path_type=Path),
    help="The path the web server serves; it becomes a symbolic link to the newest good build.",
)
@click.option("--branch", default=None, help="The branch to check and publish (default: the repository's HEAD).")
@click.option("--keep", default=5, show_default=True, type=click.IntRange(min=1), help="How many builds to keep.")
def hooks_install(repo: Path, publish: Path, branch: str | None, keep: int) -> None:
    """Install pre-receive and post-receive hooks into the bare repository REPO."""
    from .publish import install_hooks

    target = install_hooks(repo, publish, branch, keep)
    click.echo(
        f"Installed the hooks into {repo.resolve() / 'hooks'}: every push to {target.branch} is checked, "
        f"and built and published at {target.publish} (builds in {target.releases}, log in {target.log})."
    )


def _hook_options(function):  # type: ignore[no-untyped-def]
    function = click.option("--keep", default=5, type=click.IntRange(min=1))(function)
    function = click.option("--branch", required=True)(function)
    function = click.option("--publish", required=True, type=click.Path(path_type=Path))(function)
    return function


@hooks.command("pre-receive")
@_hook_options
def hooks_pre_receive(publish: Path, branch: str, keep: int) -> None:
    """Run by git: check the pushed commit; a failure rejects the push."""
    import sys

    from .publish import Target, pre_receive, read_updates

    if not pre_receive(read_updates(sys.stdin), Target(publish, branch, keep)):
        raise SystemExit(1)


@hooks.command("post-receive")
@_hook_options
def hooks_post_receive(publish: Path, branch: str, keep: int) -> None:
    """Run by git: build the pushed branch and publish it; a failure keeps the last good site."""
    import sys

    from .publish import Target, post_receive, read_updates

    if not post_receive(read_updates(sys.stdin), Target(publish, branch, keep)):
        raise SystemExit(1)


def _plain_error(message: str) -> click.ClickException:
    from .errors import ArchiveError

    return ArchiveError(message)


def _print_warnings(warnings: list[str]) -> None:
    for warning in warnings:
        click.secho(f"warning: {warning}", fg="yellow", err=True)


def main() -> None:
    """Entry point of the ``archive`` console script."""
    cli(prog_name="archive")
