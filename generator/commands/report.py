"""What the commands print about a run: warnings, what was reused, what cleaning removed.

The messages are for editors: each names the file and line, and the counts say what happened
(nothing is reported "OK" that a later step contradicts).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import click

from generator.errors import Problem
from generator.model import Article
from generator.util.text import shorten


def warnings(problems: Iterable[Problem]) -> None:
    """Each warning on standard error, in yellow."""
    for problem in problems:
        click.secho(f"warning: {problem}", fg="yellow", err=True)


def reuse(loaded: object) -> None:
    """Say what was reused from the last run (.archive-cache/), so a slow run explains itself."""
    from generator.pipeline import Loaded

    assert isinstance(loaded, Loaded)
    if loaded.reused is not None:
        click.echo(NOTHING_CHANGED)
        return
    total, analysed = len(loaded.articles), loaded.entities.analysed
    if analysed == 0:
        click.echo(f"Entities: all {total} articles from the cache; the language model not loaded.")
    else:
        click.echo(
            f"Entities: the language model read {analysed} of {total} articles; {total - analysed} from the cache."
        )


NOTHING_CHANGED = "Nothing changed since the last run: no page recomputed, the language model not loaded."


def removals(article: Article, indent: str = "  ") -> None:
    """Every removal of the cleaner, one line each: where, by which rule, what."""
    for removal in article.removals:
        what = "unlinked" if removal.kept_words else "removed"
        click.echo(f"{indent}line {removal.line}: {what} by {removal.rule}: {shorten(removal.text, 70)}")


def relative(path: Path, root: Path) -> str:
    """*path* relative to *root* when it is inside it, else as given."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
