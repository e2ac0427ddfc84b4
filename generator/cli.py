"""The command line: ``archive build | generate | check``.

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
            notes = len(loaded.notes.get(article.slug, ()))
            click.echo(
                f"{article.path}: {article.words} words kept, {len(article.removals)} removals, {notes} notes anchored"
            )
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


@cli.group()
def note() -> None:
    """Work with an article's editorial notes (articles/<slug>.notes.yml)."""


@note.command("add")
@root_option
@click.argument("article")
@click.option("--quote", required=True, help="The article's exact words the note concerns.")
@click.option(
    "--kind",
    required=True,
    type=click.Choice(["correction", "spelling", "clarification", "context"]),
    help="What the note does.",
)
@click.option("--body", required=True, help="The note: one short paragraph; *emphasis* and [links](https://…) only.")
@click.option("--source", "sources", multiple=True, required=True, help="URL of a source (repeat for several).")
@click.option("--source-title", "source_titles", multiple=True, help="Title of each --source, in the same order.")
@click.option("--id", "note_id", help="The note's id (default: made from the quote's first words).")
@click.option("--prefix", default="", help="Words just before the quote, if the quote occurs more than once.")
@click.option("--suffix", default="", help="Words just after the quote, if the quote occurs more than once.")
@click.option("--author", default="Archive editors", show_default=True, help="Who wrote the note.")
def note_add(
    root: Path,
    article: str,
    quote: str,
    kind: str,
    body: str,
    sources: tuple[str, ...],
    source_titles: tuple[str, ...],
    note_id: str | None,
    prefix: str,
    suffix: str,
    author: str,
) -> None:
    """Add a note to ARTICLE (its slug or path), after checking that its quote anchors exactly."""
    from .noteadd import add_note

    added = add_note(
        Project(root),
        article,
        quote=quote,
        kind=kind,
        body=body,
        sources=list(sources),
        source_titles=list(source_titles),
        note_id=note_id,
        prefix=prefix,
        suffix=suffix,
        author=author,
    )
    click.echo(
        f"Added note {added.note_id!r} to {added.path}:{added.line}, anchored at characters "
        f"{added.anchor.start}–{added.anchor.end}: \"{added.anchor.exact}\""
    )


def _plain_error(message: str) -> click.ClickException:
    from .errors import ArchiveError

    return ArchiveError(message)


def _print_warnings(warnings: list[str]) -> None:
    for warning in warnings:
        click.secho(f"warning: {warning}", fg="yellow", err=True)


def main() -> None:
    """Entry point of the ``archive`` console script."""
    cli(prog_name="archive")
