"""What the commands print about a run: warnings, what was reused, what cleaning removed.

The messages are for editors: each names the file and line, and the counts say what happened
(nothing is reported "OK" that a later step contradicts).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import click

from generator.errors import Problem
from generator.model import Article
from generator.util.text import plural, shorten

PUBLISHING = "publishing runs with --strict"
"""Why a warning matters: the push hook and the GitHub workflow build with ``--strict``."""


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
    parts = done.seconds  # type: ignore[attr-defined]
    said = {key: f"{name} {parts[key]:.1f} s" for key, name in ENGINE_STEPS.items() if key in parts}
    if "mkdocs" in said and done.given is not None:  # type: ignore[attr-defined]
        read, of = done.given  # type: ignore[attr-defined]
        said["mkdocs"] += f" (given {read:,} of {of:,} files)"
    steps = ", ".join(said.values())
    click.echo(f"Site: built only what changed ({pages}; {searched}; {steps}).")


ENGINE_STEPS = {"standby": "standby copy", "mkdocs": "MkDocs", "pagefind": "Pagefind", "swap": "feeds and swap"}
"""The parts of an incremental site build, as :func:`engine` names them."""
BUILD_STEPS = {"generate": "pages generated", "site": "site built"}
"""The steps of ``archive build``, as :func:`steps` names them."""


def steps(seconds: dict[str, float]) -> str:
    """How long each step of a build took (:attr:`generator.pipeline.Generated.seconds`), in words."""
    return ", ".join(f"{BUILD_STEPS[step]} in {value:.1f} s" for step, value in seconds.items())


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


def verdict(problems: Sequence[Problem], strict: bool) -> str | None:
    """What the warnings of a run mean for publishing, counted as every command counts them (None
    without warnings; with *strict* they were errors, and the run stopped)."""
    if not problems or strict:
        return None
    them = "it" if len(problems) == 1 else "them"
    return f"{plural(len(problems), 'warning')}: a push would be refused ({PUBLISHING}); fix {them} first"


def checked(articles: int, problems: Sequence[Problem], strict: bool) -> None:
    """The last line of ``archive check``: OK only when publishing would accept the sources too."""
    line = verdict(problems, strict)
    if line:
        click.secho(f"{plural(articles, 'article')} checked, no errors; {line}.", fg="yellow")
    else:
        click.echo(f"OK: {plural(articles, 'article')} checked, no problems found.")


def verdict_line(problems: Sequence[Problem], strict: bool) -> None:
    """The verdict on the run's warnings, if any, on standard error after them."""
    line = verdict(problems, strict)
    if line:
        click.secho(line + ".", fg="yellow", err=True)


def recorded(paths: Iterable[Path], root: Path) -> None:
    """Name the anchors lock files a run wrote or removed: the editor commits them."""
    for path in paths:
        rel = relative(path, root)
        if path.is_file():
            click.echo(f"Recorded where the notes are in {rel}; commit it with the notes file.")
        else:
            click.echo(f"Removed {rel}: its article has no notes any more; commit the removal.")
