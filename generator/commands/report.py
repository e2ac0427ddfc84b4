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


def reuse(result: object) -> None:
    """Say what was reused from the last run (.archive-cache/), so a slow run explains itself."""
    from generator.pipeline import Generated, Loaded

    for notice in getattr(result, "notices", ()):
        click.echo(notice)
    if isinstance(result, Generated) and result.reused:
        click.echo(NOTHING_CHANGED)
        return
    if isinstance(result, Generated):
        total, read, analysed = result.articles, result.staged, result.analysed
    else:
        assert isinstance(result, Loaded)
        total = read = len(result.articles)
        analysed = result.analysed
    click.echo("Entities: " + _entities_line(total, read, analysed))


def _entities_line(total: int, read: int, analysed: int) -> str:
    if read == total:
        if analysed == 0:
            return f"all {total} articles from the cache; the language model not loaded."
        return f"the language model read {analysed} of {total} articles; {total - analysed} from the cache."
    if read == 0:
        return f"no article changed since the last run ({total} unchanged); the language model not loaded."
    again = f"{read} of {total} articles read again (the others unchanged)"
    if analysed == 0:
        return f"{again}, their entities all from the cache; the language model not loaded."
    return f"{again}; the language model read {analysed} of them, {read - analysed} from the cache."


def engine(done: object) -> None:
    """Say how the site was built: in full (and why), or only what changed."""
    if done is None:
        return
    rendered, removed = len(done.rendered), len(done.removed)  # type: ignore[attr-defined]
    if done.full:  # type: ignore[attr-defined]
        click.echo(f"Site: built in full ({done.why}).")  # type: ignore[attr-defined]
        return
    pages = f"{rendered} {'page' if rendered == 1 else 'pages'} rendered"
    if removed:
        pages += f", {removed} removed"
    searched = f"{done.indexed_pages} indexed by Pagefind ({done.indexed_bytes / 1000:,.0f} KB)"  # type: ignore[attr-defined]
    click.echo(f"Site: built only what changed ({pages}; {searched}).")


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
