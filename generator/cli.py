"""The command line: ``archive build | generate | check | entities``.

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
@click.option("--unlinked", is_flag=True, help="List names the model found that the registry does not know.")
@click.option("--stubs", is_flag=True, help="Print registry entries (YAML) for them, to paste in.")
def entities(root: Path, unlinked: bool, stubs: bool) -> None:
    """Show the entity registry with mention counts, or what it is missing.

    Reads entities.yml and the articles, runs the entity finder, and prints each entity with
    its number of mentions. Exits with status 1 if a source has a problem.
    """
    from .build import load
    from .entities import unlinked as find_unlinked
    from .entity_commands import print_counts, print_stubs, print_unlinked
    from .errors import ErrorList

    loaded = load(Project(root))
    if loaded.errors:
        raise ErrorList(loaded.errors)
    if unlinked or stubs:
        missing = find_unlinked(loaded.articles, loaded.entities)
        if unlinked:
            print_unlinked(missing)
        if stubs:
            print_stubs(missing)
    else:
        print_counts(loaded.entities)


def _plain_error(message: str) -> click.ClickException:
    from .errors import ArchiveError

    return ArchiveError(message)


def _print_warnings(warnings: list[str]) -> None:
    for warning in warnings:
        click.secho(f"warning: {warning}", fg="yellow", err=True)


def main() -> None:
    """Entry point of the ``archive`` console script."""
    cli(prog_name="archive")
