"""``archive note add``: adding a note to an article's notes file from the command line.

The quote is anchored in the cleaned article before anything is written: a quote that is
missing, ambiguous or only approximately present is refused. The new note is appended to the
file as text, so every existing line (comments, order, quoting style) stays as it was; the result
is read back and checked before it replaces the file.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from generator.errors import ErrorList, NoteAnchorError, NoteError
from generator.inputs.articles import ARTICLE_SUFFIXES, SourceError, read_source
from generator.inputs.notes_file import NOTE_ID, NoteEntry, parse_body, parse_notes, read_notes
from generator.inputs.rules import load_rules
from generator.model import Article
from generator.settings import Settings
from generator.stages.anchor import Anchor, anchor_quote, notes_path
from generator.stages.clean import clean
from generator.util.files import atomic_write

HEADER = (
    "# Editorial notes on {title!r}.\n"
    "# Each note quotes the article's exact words; see site_src/guide/adding-notes.md.\n"
)


@dataclass(frozen=True)
class Added:
    """What :func:`add_note` did."""

    path: Path
    """The notes file written."""
    note_id: str
    anchor: Anchor
    line: int
    """Line of the new note in the notes file."""


def find_article(project: Settings, ref: str) -> Path:
    """The article file named by *ref*: a slug, a file name, or a path."""
    candidates = [Path(ref), project.root / ref] + [project.articles / f"{ref}{suffix}" for suffix in ARTICLE_SUFFIXES]
    for path in candidates:
        if path.is_file() and path.suffix in ARTICLE_SUFFIXES:
            return path
    raise SourceError(f"no article {ref!r}; give its slug (the file name without .md) or its path", project.articles)


def make_id(quote: str, taken: set[str]) -> str:
    """An id made of the quote's first words, unique among *taken*."""
    words = re.findall(r"[a-z0-9]+", quote.casefold())[:5] or ["note"]
    base = "-".join(words)[:60].strip("-") or "note"
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    return ident


def _item(fields: dict[str, object]) -> str:
    """One note as YAML list item text, in the notes files' style (``- id: …``, nested lists indented)."""
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.representer.ignore_aliases = lambda data: True  # the same date twice stays written out twice
    node = CommentedMap()
    for key, value in fields.items():
        if key == "sources":
            seq = CommentedSeq()
            for source in value:  # type: ignore[attr-defined]
                entry = CommentedMap()
                entry["title"] = DoubleQuotedScalarString(source["title"])
                entry["url"] = DoubleQuotedScalarString(source["url"])
                entry["accessed"] = source["accessed"]
                seq.append(entry)
            node[key] = seq
        elif isinstance(value, str) and key in ("quote", "prefix", "suffix", "body"):
            node[key] = DoubleQuotedScalarString(value)
        else:
            node[key] = value
    out = io.StringIO()
    yaml.dump(node, out)
    lines = out.getvalue().rstrip("\n").split("\n")
    return "\n".join(["- " + lines[0]] + ["  " + line if line else line for line in lines[1:]]) + "\n"


def add_note(
    project: Settings,
    article_ref: str,
    *,
    quote: str,
    kind: str,
    body: str,
    sources: list[str],
    source_titles: list[str],
    note_id: str | None = None,
    prefix: str = "",
    suffix: str = "",
    author: str = "Archive editors",
    today: dt.date | None = None,
) -> Added:
    """Check and append one note to *article_ref*'s notes file; raise naming the problem otherwise."""
    today = today or dt.date.today()
    article_path = find_article(project, article_ref)
    article: Article = clean(read_source(article_path), load_rules(project.rules))
    path = notes_path(article)
    old_text = path.read_text(encoding="utf-8") if path.is_file() else ""
    existing, errors = read_notes(path) if path.is_file() else ([], [])
    if errors:
        raise ErrorList([*errors, NoteError("fix the notes file above before adding a note", path)])
    taken = {note.id for note in existing}
    if note_id is not None and not re.match(NOTE_ID, note_id):
        raise NoteError(f"--id {note_id!r}: use lowercase letters, digits and hyphens", path)
    if note_id in taken:
        raise NoteError(f"--id {note_id!r} is already used in this notes file; choose another id", path)
    if len(source_titles) > len(sources):
        raise NoteError("more --source-title than --source options; give one title per source (in order)", path)
    ident = note_id or make_id(quote, taken)
    fields: dict[str, object] = {"id": ident, "kind": kind, "quote": quote}
    if prefix:
        fields["prefix"] = prefix
    if suffix:
        fields["suffix"] = suffix
    fields["body"] = body
    fields["sources"] = [
        {"title": source_titles[i] if i < len(source_titles) else url, "url": url, "accessed": today}
        for i, url in enumerate(sources)
    ]
    fields["author"] = author
    fields["date"] = today
    NoteEntry.model_validate(fields)  # option values already checked by click; this checks lengths and URLs
    _, _, problem = parse_body(body)
    if problem:
        raise NoteError(f"--body: {problem}", path)

    if old_text.strip():
        new_text = old_text.rstrip("\n") + "\n\n" + _item(fields)
    else:
        new_text = HEADER.format(title=article.meta.title) + "\n" + _item(fields)
    notes, errors = parse_notes(new_text, path)
    if errors or len(notes) != len(existing) + 1 or notes[-1].id != ident:
        raise NoteError("internal error: the notes file would not read back; it was left unchanged", path)
    try:
        anchor, warning = anchor_quote(article, notes[-1])
    except NoteAnchorError as exc:
        raise NoteAnchorError(f"{exc.reason}; nothing was written", article_path) from None
    if warning:
        raise NoteAnchorError(
            f'note {ident!r}: the quote is not in the article as written (closest: "{anchor.exact}"); '
            "quote the exact words; nothing was written",
            article_path,
        )
    atomic_write(path, new_text)
    return Added(path, ident, anchor, notes[-1].line)
