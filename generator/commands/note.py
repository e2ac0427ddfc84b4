"""``archive note``: list, add, edit, remove the notes of an article, or accept its new wording.

The commands are thin: the work is :mod:`generator.commands.notes_edit`'s (the studio calls the
same functions). Slow imports happen inside each command, so ``--help`` stays instant.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

KINDS = ("correction", "spelling", "clarification", "context")
root_option = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The archive's folder (holding articles/, site_src/ and mkdocs.yml).",
)
article_option = click.option("--article", help="The article holding the note (needed only if two use its id).")
date_type = click.DateTime(["%Y-%m-%d"])


def _settings(root: Path):  # type: ignore[no-untyped-def]
    from generator.settings import Settings

    return Settings.load(root)


def _sources(urls: tuple[str, ...], titles: tuple[str, ...]) -> list:  # type: ignore[type-arg]
    from generator.commands.notes_edit import Source
    from generator.errors import NoteError

    if len(titles) > len(urls):
        raise NoteError("more --source-title than --source options; give one title per source (in order)")
    return [Source(url, titles[i] if i < len(titles) else "") for i, url in enumerate(urls)]


def _said(change: object, root: Path) -> None:
    from generator.commands.notes_edit import Change
    from generator.commands.report import relative

    assert isinstance(change, Change)
    where = relative(change.path, root)
    if change.action == "removed":
        click.echo(f"Removed note {change.note_id!r} from {where}.")
        _recorded(change, root)
        return
    assert change.anchor is not None
    verb = {"added": "Added note", "edited": "Edited note", "accepted": "Accepted the new wording of note"}
    click.echo(
        f"{verb[change.action]} {change.note_id!r} in {where}:{change.line}, anchored at characters "
        f'{change.anchor.start}–{change.anchor.end}: "{change.anchor.exact}"'
    )
    _recorded(change, root)


def _recorded(change: object, root: Path) -> None:
    from generator.commands.report import recorded

    lock = getattr(change, "lock", None)
    if lock is not None:
        recorded([lock], root)


@click.group()
def note() -> None:
    """Work with the articles' editorial notes (articles/<slug>.notes.yml)."""


@note.command("list")
@root_option
@click.argument("article", required=False)
def note_list(root: Path, article: str | None) -> None:
    """List the notes of ARTICLE (or of every article) and how each anchors.

    Exits with status 1 if a note does not anchor (the build would stop on it)."""
    from generator.commands.notes_edit import list_notes
    from generator.util.text import plural, shorten

    listed = list_notes(_settings(root), article)
    current = None
    for item in listed:
        if item.article != current:
            current = item.article
            click.echo(f"{current}:")
        note = item.note
        click.echo(f"  {note.id}  ({note.kind}, line {note.line})  “{shorten(note.quote, 70, one_line=True)}”")
        if item.state == "approximate":
            click.secho(f"    the article's words changed: {item.message}", fg="yellow")
        elif item.state == "unanchored":
            click.secho(f"    not anchored: {item.message}", fg="red")
    problems = sum(1 for item in listed if item.state != "anchored")
    click.echo(f"{plural(len(listed), 'note')}, {plural(problems, 'needing attention', 'needing attention')}.")
    if any(item.state == "unanchored" for item in listed):
        raise SystemExit(1)


@note.command("add")
@root_option
@click.argument("article")
@click.option("--quote", required=True, help="The article's exact words the note concerns.")
@click.option("--kind", required=True, type=click.Choice(KINDS), help="What the note does.")
@click.option("--body", required=True, help="The note: one short paragraph; *emphasis* and [links](https://…) only.")
@click.option("--source", "sources", multiple=True, required=True, help="URL of a source (repeat for several).")
@click.option("--source-title", "source_titles", multiple=True, help="Title of each --source, in the same order.")
@click.option("--id", "note_id", help="The note's id (default: made from the quote's first words).")
@click.option("--prefix", default="", help="Words just before the quote, if the quote occurs more than once.")
@click.option("--suffix", default="", help="Words just after the quote, if the quote occurs more than once.")
@click.option("--author", default="Archive editors", show_default=True, help="Who wrote the note.")
@click.option("--date", type=date_type, help="The note's date (YYYY-MM-DD; default: today).")
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
    date: dt.datetime | None,
) -> None:
    """Add a note to ARTICLE (its slug), after checking that its quote anchors exactly."""
    from generator.commands import notes_edit

    change = notes_edit.add(
        _settings(root),
        article,
        quote=quote,
        kind=kind,
        body=body,
        sources=_sources(sources, source_titles),
        author=author,
        note_id=note_id,
        prefix=prefix,
        suffix=suffix,
        date=date.date() if date else None,
    )
    _said(change, root)


@note.command("edit")
@root_option
@click.argument("note_id")
@article_option
@click.option("--quote", help="New words of the article the note concerns.")
@click.option("--prefix", help="Words just before the quote ('' to drop).")
@click.option("--suffix", help="Words just after the quote ('' to drop).")
@click.option("--kind", type=click.Choice(KINDS), help="What the note does.")
@click.option("--body", help="The note's new text.")
@click.option("--source", "sources", multiple=True, help="URL of a source; replaces all the sources (repeat).")
@click.option("--source-title", "source_titles", multiple=True, help="Title of each --source, in the same order.")
@click.option("--author", help="Who wrote the note.")
@click.option("--date", type=date_type, help="The note's date (YYYY-MM-DD).")
def note_edit(
    root: Path,
    note_id: str,
    article: str | None,
    sources: tuple[str, ...],
    source_titles: tuple[str, ...],
    date: dt.datetime | None,
    **fields: str | None,
) -> None:
    """Change fields of the note NOTE_ID; the others stay as they are."""
    from generator.commands import notes_edit
    from generator.errors import NoteError

    changes: dict[str, object] = {key: value for key, value in fields.items() if value is not None}
    if sources:
        changes["sources"] = _sources(sources, source_titles)
    if date:
        changes["date"] = date.date()
    if not changes:
        raise NoteError("say what to change: --quote, --kind, --body, --source, --author, --date, --prefix or --suffix")
    _said(notes_edit.edit(_settings(root), note_id, changes, article), root)


@note.command("remove")
@root_option
@click.argument("note_id")
@article_option
def note_remove(root: Path, note_id: str, article: str | None) -> None:
    """Remove the note NOTE_ID from its notes file."""
    from generator.commands import notes_edit

    _said(notes_edit.remove(_settings(root), note_id, article), root)


@note.command("accept")
@root_option
@click.argument("note_id")
@article_option
def note_accept(root: Path, note_id: str, article: str | None) -> None:
    """Take the article's new wording for NOTE_ID (a note anchored approximately after the
    article was edited): its quote and context become the words it is anchored to."""
    from generator.commands import notes_edit

    _said(notes_edit.accept(_settings(root), note_id, article), root)
