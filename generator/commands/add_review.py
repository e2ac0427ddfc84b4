"""What ``archive add`` shows and asks: the metadata it read, the words it kept, every removal.

Before anything is written the editor sees the title, author, date, publisher and address, where
each came from, how many words of the article are kept and each thing removed — by the extractor
(a saved page's navigation, comments, related links) or by a rule, with its line. On a terminal
:func:`ask` then asks to add it as shown, to correct it field by field, or to cancel;
``--yes`` (or a script, whose standard input is not a terminal) skips the question, and
:func:`report` prints the same account after the article is written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click
import pydantic

from generator.commands.add import Added, Preview
from generator.commands.report import relative, removals
from generator.errors import AddError
from generator.inputs.articles import FrontMatter
from generator.model import Article
from generator.util.text import plural, shorten

FIELDS = ("title", "author", "date", "publisher", "url")
"""The fields shown and asked, in this order."""
SHORT_TEXT_WORDS = 50
"""An article extracted from a page with fewer words than this is probably not the article."""


def describe(
    article: Article, found: dict[str, str], extra: dict[str, Any], indent: str = "  "
) -> list[tuple[str, str | None]]:
    """The lines of the account, each with its colour (None for plain): every field and where it
    came from, the words kept, what was removed and by whom."""
    lines: list[tuple[str, str | None]] = []
    meta = article.meta
    for name in FIELDS:
        value = getattr(meta, name)
        if value is None:
            lines.append((f"{indent}{name + ':':<11}not found", "yellow"))
        else:
            shown = value.isoformat() if isinstance(value, dt.date) else str(value)
            source = found.get(name, "the front matter")
            lines.append((f"{indent}{name + ':':<11}{shorten(shown, 90)}  ({source})", None))
    for name in ("original_publisher", "original_date"):
        if getattr(meta, name) is not None and name in found:
            lines.append((f"{indent}{name.replace('_', ' ')}: {getattr(meta, name)}  ({found[name]})", None))
    rules = [r for r in article.removals if not r.kept_words]
    removed = sum(len(r.text.split()) for r in rules)
    parts = [f"{plural(len(rules), 'passage')} ({plural(removed, 'word')}) by the cleaner's rules and header reading"]
    page, text = extra.get("page_words"), extra.get("text_words")
    passages = extra.get("left_out") or ()
    if passages:
        left = sum(p.words for p in passages)
        parts.insert(0, f"{plural(len(passages), 'passage')} ({plural(left, 'word')}) of the page by the extractor")
    elif page is not None and text is not None:
        parts.insert(0, f"about {max(0, page - text):,} words of page chrome by the extractor")
    dropped = extra.get("dropped") or ()
    if dropped:
        parts.insert(0, f"{plural(len(dropped), 'word')} of the article by the Markdown writer")
    lines.append((f"{indent}{'words:':<11}{article.words:,} kept; removed: {', '.join(parts)}", None))
    if page is not None and text is not None:
        lines.append(
            (
                f"{indent}  extracted: {text:,} words of article text from about {page:,} words on the page; "
                "the page's navigation, comments and related links were left out by the extractor (trafilatura)",
                None,
            )
        )
    lines.extend(_left_out(passages, indent + "  "))
    if dropped:
        lines.append(
            (
                f"{indent}  the Markdown writer lost these words of the extracted text (a fault: please report it): "
                f"{shorten(' '.join(dropped), 80)}",
                "red",
            )
        )
    return lines


SHOWN_PROSE = 8
"""Left-out passages that read as sentences, shown one a line; the rest are counted."""


def _left_out(passages: tuple[Any, ...], indent: str) -> list[tuple[str, str | None]]:
    """Each passage the extractor left out: those that read as sentences one a line (an editor
    checks that none belongs to the article), the others shortened on one line."""
    if not passages:
        return []
    words = sum(p.words for p in passages)
    prose = [p for p in passages if p.reads_as_text]
    others = [p for p in passages if not p.reads_as_text]
    lines: list[tuple[str, str | None]] = [
        (f"{indent}left out by the extractor: {plural(len(passages), 'passage')} ({plural(words, 'word')})", None)
    ]
    if prose:
        lines.append(
            (f"{indent}  {len(prose)} of them read as sentences; check that none is the article's:",
             "yellow")
        )  # fmt: skip
        for passage in prose[:SHOWN_PROSE]:
            shown = _visible(shorten(passage.text, 100))
            lines.append((f"{indent}    - “{shown}” ({plural(passage.words, 'word')})", "yellow"))
        if len(prose) > SHOWN_PROSE:
            lines.append((f"{indent}    … and {len(prose) - SHOWN_PROSE} more", "yellow"))
    if others:
        shown = "; ".join(f"“{_visible(shorten(p.text, 40))}”" for p in others[:6])
        more = f"; … and {len(others) - 6} more" if len(others) > 6 else ""
        lines.append((f"{indent}  page chrome: {shown}{more}", None))
    return lines


def _visible(text: str) -> str:
    """*text* with every character a terminal would act on or hide (controls, bidirectional and
    zero-width marks) written as an escape: a saved page's chrome is printed as it is otherwise."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def _echo(lines: list[tuple[str, str | None]]) -> None:
    for text, colour in lines:
        click.secho(text, fg=colour) if colour else click.echo(text)


def _missing(names: list[str]) -> None:
    if names:
        options = " ".join(f"--{name} …" for name in names)
        click.echo(f"  not found: {', '.join(names)} (give them with {options}, or edit the front matter)")


def show(preview: Preview) -> None:
    """What was read, before anything is written."""
    received = preview.received
    kind = "web page" if received.kind == "html" else "text"
    click.echo(f"Read {received.name} ({kind}, {len(received.data):,} bytes):")
    _echo(describe(preview.article, preview.found, preview.extra))
    _missing([n for n in FIELDS if getattr(preview.article.meta, n) is None])
    if preview.article.removals:
        click.echo(f"  each removal, by line of {received.name}:")
    removals(preview.article, indent="    ")
    for problem in preview.problems:
        click.secho(f"warning: {problem.message}", fg="yellow", err=True)


def ask(preview: Preview) -> dict[str, Any] | None:
    """Show what was read and ask: add it (None), correct it (the corrections), or cancel."""
    show(preview)
    answer = click.prompt(
        "Add it as shown? y = yes, e = correct the metadata, n = cancel",
        type=click.Choice(["y", "e", "n"]),
        default="y",
        show_choices=False,
    )
    if answer == "n":
        raise AddError("cancelled at the prompt; nothing was added", preview.received.name)
    if answer == "y":
        return None
    click.echo("Press Enter to keep a value, type a new one, or '-' to leave it empty.")
    corrections: dict[str, Any] = {}
    for name in FIELDS:
        current = getattr(preview.article.meta, name)
        shown = current.isoformat() if isinstance(current, dt.date) else (current or "")
        while True:
            typed = click.prompt(f"  {name}", default=shown, show_default=bool(shown)).strip()
            value, error = _value(name, typed)
            if error is None:
                break
            click.secho(f"  {error}", fg="yellow")
        if typed != shown:
            corrections[name] = value
    return corrections or None


def _value(name: str, typed: str) -> tuple[Any, str | None]:
    """The value an editor typed for *name*, or the reason it cannot be used."""
    if typed in ("-", ""):
        return (None, "an article needs a title") if name == "title" else (None, None)
    if name == "date":
        try:
            return dt.date.fromisoformat(typed), None
        except ValueError:
            return None, f"{typed!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-03-04"
    try:
        FrontMatter(**{name: typed})
    except pydantic.ValidationError as exc:
        return None, f"{typed!r}: {exc.errors()[0]['msg']}"
    return typed, None


def report(added: Added, root: Path, brief: bool = False) -> None:
    """Print what :func:`~generator.commands.add.add` did: the files and, unless *brief* (the
    editor has just seen it), the metadata, the words kept and every removal."""
    article, received = added.article, added.received
    kind = "web page" if received.kind == "html" else "text"
    click.echo(f"Added {received.name} ({kind}, {len(received.data):,} bytes) as {relative(added.path, root)}")
    click.echo(f"  kept as received: {relative(added.original, root)} (sha256 {added.sha256})")
    for path in added.replaced:
        click.echo(f"  replaced: {relative(path, root)}")
    if not brief:
        _echo(describe(article, added.found, added.extra))
        if article.removals:
            click.echo(f"  each removal, by line of {relative(added.path, root)}:")
        removals(article, indent="    ")
        _missing(list(added.missing))
        for problem in added.problems:
            click.secho(f"warning: {problem}", fg="yellow", err=True)
    if added.text_words is not None and added.text_words < SHORT_TEXT_WORDS:
        click.secho(
            f"warning: only {added.text_words} words were found as the article's text; open "
            f"{relative(added.path, root)} and check that it holds the article",
            fg="yellow",
            err=True,
        )
    click.echo(f"OK: {article.meta.title!r} is in the archive; 'archive build' publishes it.")
