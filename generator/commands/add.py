"""Adding an article to the archive from a saved web page or a text file (``archive add``).

The input is kept byte for byte under ``articles/originals/<slug>.<ext>``; the article file
``articles/<slug>.md`` gets front matter recording where the text came from (``url``), when it
was archived (``archived``) and the SHA-256 of the input as received (``sha256``). For a web page,
trafilatura extracts the article's text (:mod:`generator.inputs.extract`); a text or Markdown file is
kept as received, and the cleaner's rules apply to it at build time as to any article.

Nothing is left half-done: the new files are read back through :func:`sources.read_source` and
:func:`clean.clean`, and removed again (any file they replaced restored) if that fails.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pydantic

from generator.errors import AddError, ArchiveError
from generator.inputs.articles import (
    ARTICLE_SUFFIXES,
    MAX_ARTICLE_BYTES,
    NOTES_SUFFIX,
    ORIGINALS_DIR,
    SLUG,
    FrontMatter,
    Source,
    _split_front_matter,
    find_original,
    read_source,
)
from generator.inputs.blocks import split_blocks
from generator.inputs.rules import Rules, load_rules
from generator.model import Article
from generator.settings import Settings
from generator.stages.clean import clean
from generator.util.files import atomic_write

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
TEXT_SUFFIXES = (".md", ".markdown", ".txt", ".text")
MAX_PAGE_BYTES = 10_000_000
"""Largest saved web page accepted (10 MB); the extracted text must still fit the article limit."""
SLUG_MAX = 60
"""Longest slug made from a date and a title (a slug given with ``--slug`` may be longer)."""
FIELD_ORDER = (
    "title", "author", "date", "publisher", "url", "language",
    "original_publisher", "original_date", "original_url", "tags", "archived", "sha256",
)  # fmt: skip
"""The order of the fields in the front matter written for an added article."""
_TRAILING_WORDS = {
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "its", "of", "on", "or", "the", "to", "with",
}  # fmt: skip
_FOLD = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o", "đ": "d",
                       "Đ": "d", "ł": "l", "Ł": "l", "þ": "th", "Þ": "th", "ð": "d", "ı": "i",
                       "'": "", "’": "", "ʼ": ""})  # fmt: skip
_BINARY_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"PK\x03\x04": "a ZIP archive (or a Word/OpenDocument file)",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office document",
    b"\x1f\x8b": "a gzip archive",
}


@dataclass(frozen=True)
class Received:
    """An input exactly as received."""

    name: str
    """Where it came from, for messages: its path, or ``<stdin>``."""
    data: bytes
    """Its bytes, unchanged."""
    kind: Literal["html", "text"]
    """A saved web page, or a plain-text/Markdown article."""
    suffix: str
    """Extension for the copy kept under ``articles/originals/`` (without the dot)."""


@dataclass(frozen=True)
class Given:
    """What the editor said on the command line; each field overrides what is found."""

    title: str | None = None
    author: str | None = None
    date: dt.date | None = None
    publisher: str | None = None
    url: str | None = None
    language: str | None = None
    archived: dt.date | None = None
    """The archiving date; default: SOURCE_DATE_EPOCH's date, else today."""
    slug: str | None = None
    """The file name to use instead of one made from the date and title."""
    force: bool = False
    """Replace an article already in the archive (same slug, or the same input as received)."""


@dataclass(frozen=True)
class Added:
    """What :func:`add` did, for the report."""

    article: Article
    """The new article, as read back and cleaned."""
    path: Path
    """The article file written."""
    original: Path
    """The input as received, kept under ``articles/originals/``."""
    sha256: str
    received: Received
    found: dict[str, str] = field(default_factory=dict)
    """Metadata field → where its value came from (the page, the command line, the header)."""
    missing: tuple[str, ...] = ()
    """Metadata fields nobody could tell."""
    replaced: tuple[Path, ...] = ()
    """Files of an earlier copy that were replaced (with ``--force``)."""
    page_words: int | None = None
    """For a web page: about how many words the whole page shows."""
    text_words: int | None = None
    """For a web page: how many words the extractor kept as the article."""


def receive(name: str, data: bytes) -> Received:
    """Check an input and tell a web page from a text; raise :class:`AddError` for anything else."""
    where = "<stdin>" if name == "-" else name
    if not data.strip():
        raise AddError("the input is empty; save the article's page or text and add that file", where)
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise AddError(
                f"this is {what}, not a web page or a text; save the article as HTML, or copy its text "
                "into a .txt file and add that",
                where,
            )
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise AddError(
            "the input is binary (it contains NUL bytes), not a web page or a text; save it as HTML or as UTF-8 text",
            where,
            line,
        )
    suffix = Path(name).suffix.lower() if name != "-" else ""
    if suffix in HTML_SUFFIXES:
        kind: Literal["html", "text"] = "html"
    elif suffix in TEXT_SUFFIXES:
        kind = "text"
    else:
        head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        looks_html = head.startswith(b"<") and re.search(rb"<(!doctype html|html|head|body|article|p)[\s>]", head)
        kind = "html" if looks_html else "text"
        suffix = ".html" if kind == "html" else ".txt"
    limit = MAX_PAGE_BYTES if kind == "html" else MAX_ARTICLE_BYTES
    if len(data) > limit:
        raise AddError(f"the input is {len(data):,} bytes, larger than the limit of {limit:,}", where)
    return Received(where, data, kind, suffix.lstrip(".").replace("markdown", "md").replace("text", "txt"))


def make_slug(title: str, date: dt.date | None) -> str:
    """``2017-07-12-us-looks-to-escalate-involvement``: the date, then the title's first words,
    ASCII-folded, at most :data:`SLUG_MAX` characters, not ending on a small word."""
    folded = unicodedata.normalize("NFKD", title.translate(_FOLD)).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", folded.lower())
    prefix = date.isoformat() if date else ""
    room = SLUG_MAX - len(prefix) - (1 if prefix else 0)
    kept: list[str] = []
    for word in words:
        if len("-".join([*kept, word])) > room:
            if not kept:
                kept.append(word[:room].rstrip("-"))
            break
        kept.append(word)
    while len(kept) > 1 and kept[-1] in _TRAILING_WORDS:
        kept.pop()
    return "-".join(part for part in (prefix, *kept) if part) or "article"


def _taken(folder: Path, slug: str) -> bool:
    names = [f"{slug}{suffix}" for suffix in (*ARTICLE_SUFFIXES, NOTES_SUFFIX)]
    return any((folder / name).exists() for name in names) or find_original(folder, slug) is not None


def unique_slug(folder: Path, base: str) -> str:
    """*base*, or *base*-2, -3 … : the first one no file of ``articles/`` uses."""
    slug, number = base, 1
    while _taken(folder, slug):
        number += 1
        slug = f"{base}-{number}"
    return slug


def find_copy(folder: Path, sha256: str, url: str | None) -> tuple[Path, str] | None:
    """An article already in *folder* made from the same input (same sha256) or the same address."""
    for suffix in ARTICLE_SUFFIXES:
        for path in sorted(folder.glob(f"*{suffix}")):
            try:
                data = path.read_bytes()
                # Only files that mention the sha256 or the address need their front matter read.
                if sha256.encode() not in data and not (url and url.encode() in data):
                    continue
                front = read_source(path).front
            except (ArchiveError, OSError):
                continue
            if front.sha256 == sha256:
                return path, "it has the same sha256: the same file as received"
            if url and front.url == url:
                return path, f"it has the same url, {url}"
    return None


def archived_today(epoch: str | None) -> dt.date:
    """Today's date, or the date of *epoch* (``$SOURCE_DATE_EPOCH``, UTC) when it is set
    (reproducible runs)."""
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise AddError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970") from None
    return dt.date.today()


def front_matter_text(fields: dict[str, Any]) -> str:
    """Front matter for *fields* in :data:`FIELD_ORDER`, plain YAML where that reads back the same."""
    lines = ["---"]
    for key in FIELD_ORDER:
        value = fields.get(key)
        if value is None or value == []:
            continue
        if isinstance(value, dt.date):
            text = value.isoformat()
        elif isinstance(value, list):
            text = "[" + ", ".join(_yaml_string(str(item)) for item in value) + "]"
        else:
            text = _yaml_string(str(value))
        lines.append(f"{key}: {text}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def _yaml_string(value: str) -> str:
    import json

    plain = (
        re.fullmatch(r"[A-Za-z][^\x00-\x1f\x7f\"\\`#]*", value)
        and ": " not in value
        and not value.endswith((":", " "))
        and value.lower() not in ("yes", "no", "true", "false", "null", "on", "off", "y", "n")
        and all(ch.isprintable() for ch in value)
    )
    return value if plain else json.dumps(value, ensure_ascii=False)


def add(settings: Settings, received: Received, given: Given) -> Added:
    """Add *received* to the archive of *settings*; return what was done.

    Raises :class:`AddError` (nothing written) if the input has no article text, its metadata is
    invalid, or the article is already archived and *given.force* is not set.
    """
    articles = settings.articles
    rules = load_rules(settings.rules)
    if not articles.is_dir():
        raise AddError(
            "the articles folder does not exist; run 'archive add' in the archive's folder or give --root", articles
        )
    sha256 = hashlib.sha256(received.data).hexdigest()
    if received.kind == "html":
        fields, body, found, extra = _from_page(received, given)
    else:
        fields, body, found, extra = _from_text(received, given, rules)
    fields["archived"] = given.archived or archived_today(settings.source_date_epoch)
    fields["sha256"] = sha256
    if given.archived:
        found["archived"] = "the command line"
    else:
        found["archived"] = "SOURCE_DATE_EPOCH" if settings.source_date_epoch else "today's date"
    try:
        front = FrontMatter(**{k: v for k, v in fields.items() if v is not None})
    except pydantic.ValidationError as exc:
        error = exc.errors()[0]
        name = ".".join(str(part) for part in error["loc"])
        message = f"{name} {fields.get(name)!r}: {error['msg']}; correct it with --{name}"
        raise AddError(message, received.name) from None

    title, date = extra.get("title") or front.title, extra.get("date") or front.date
    if not title:
        raise AddError("no title found in the page; give one with --title", received.name)
    slug, replacing = _choose_slug(articles, given, make_slug(title, date), sha256, front.url)
    text = front_matter_text(fields) + "\n" + body.rstrip("\n") + "\n"
    path = articles / f"{slug}.md"
    original = articles / ORIGINALS_DIR / f"{slug}.{received.suffix}"
    before = _write(path, text.encode("utf-8"), original, received.data, replacing)
    try:
        article = clean(read_source(path), rules)
        if hashlib.sha256(original.read_bytes()).hexdigest() != sha256 or read_source(path).front.sha256 != sha256:
            raise AddError("the files written do not read back as received (the disk may be full)", path)
    except (ArchiveError, OSError) as exc:
        _undo(path, original, before)
        reason = exc.format_message() if isinstance(exc, ArchiveError) else str(exc)
        raise AddError(f"the article was not added, nothing was kept: {reason}", received.name) from None
    missing = tuple(
        name for name in ("title", "author", "date", "publisher", "url")
        if getattr(article.meta, name) is None and name not in found
    )  # fmt: skip
    for name, rule in article.meta.sources.items():
        found.setdefault(name, f"the text's header (rule {rule})")
    replaced = tuple(sorted(p for p, earlier in before.items() if earlier is not None))
    return Added(
        article, path, original, sha256, received, found, missing, replaced,
        extra.get("page_words"), extra.get("text_words"),
    )  # fmt: skip


def _from_page(received: Received, given: Given) -> tuple[dict[str, Any], str, dict[str, str], dict[str, Any]]:
    from generator.inputs.extract import extract_html

    extracted = extract_html(received.data, url=given.url)
    if extracted is None:
        raise AddError(
            "no article text found in the page; save the page again (as 'Web page, HTML only') "
            "or copy the article's text into a .txt file and add that",
            received.name,
        )
    fields: dict[str, Any] = {}
    found: dict[str, str] = {}
    for name, value in extracted.metadata.items():
        if value is not None:
            fields[name], found[name] = value, "the page"
    _apply_given(fields, found, given)
    extra = {"page_words": extracted.page_words, "text_words": extracted.text_words}
    return fields, extracted.markdown, found, extra


def _from_text(
    received: Received, given: Given, rules: Rules
) -> tuple[dict[str, Any], str, dict[str, str], dict[str, Any]]:
    from generator.errors import SourceError

    try:
        text = received.data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = received.data[: exc.start].count(b"\n") + 1
        raise AddError(f"invalid UTF-8 at byte {exc.start}; save the text as UTF-8", received.name, line) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    try:
        node, body, body_line = _split_front_matter(text, Path(received.name))
    except SourceError as exc:
        raise AddError(exc.reason, received.name, exc.line) from None
    fields: dict[str, Any] = {}
    found: dict[str, str] = {}
    if isinstance(node, dict):
        for name, value in node.items():
            if name not in ("sha256", "archived") and value is not None:
                fields[str(name)], found[str(name)] = value, "the text's front matter"
    _apply_given(fields, found, given)
    if not body.strip():
        raise AddError("the text has front matter but no article below it", received.name, body_line)
    if "title" not in fields:
        # A Markdown heading on top is the title (the cleaner takes only a plain first line).
        first = split_blocks(body, body_line)[0][1].strip()
        heading = re.fullmatch(r"#{1,6}[ \t]+(.+?)[ \t#]*", first)
        if heading and "\n" not in first:
            from generator.inputs.inline import parse_inline

            fields["title"], found["title"] = parse_inline(heading.group(1))[0], "the text's first heading"
    # What the cleaner will read from the header at build time names the new file.
    try:
        front = FrontMatter(**fields)
    except pydantic.ValidationError:
        front = FrontMatter()
    try:
        meta = clean(Source("new", Path(received.name), front, body, body_line, None), rules).meta
    except ArchiveError as exc:
        raise AddError(f"the text cannot be read as an article: {exc.reason}", received.name, exc.line) from None
    return fields, body, found, {"title": meta.title, "date": meta.date}


def _apply_given(fields: dict[str, Any], found: dict[str, str], given: Given) -> None:
    for name in ("title", "author", "date", "publisher", "url", "language"):
        value = getattr(given, name)
        if value is not None:
            fields[name], found[name] = value, "the command line"


def _choose_slug(folder: Path, given: Given, base: str, sha256: str, url: str | None) -> tuple[str, bool]:
    """The slug to write, and whether an existing article is replaced."""
    if given.slug is not None:
        if not SLUG.match(given.slug):
            raise AddError(
                f"--slug {given.slug!r}: use lowercase letters, digits and single hyphens, e.g. 2017-07-12-libya"
            )
        if _taken(folder, given.slug):
            if not given.force:
                raise AddError(
                    f"articles/{given.slug}.md already exists; choose another --slug, or add --force to replace it"
                )
            return given.slug, True
        return given.slug, False
    copy = find_copy(folder, sha256, url)
    if copy:
        path, why = copy
        if not given.force:
            raise AddError(
                f"this article is already in the archive as {path.as_posix()} — {why}; add --force to replace it"
            )
        return path.stem, True
    return unique_slug(folder, base), False


def _write(path: Path, text: bytes, original: Path, data: bytes, replacing: bool) -> dict[Path, bytes | None]:
    """Write the article and its original; return every path touched → its earlier bytes (None if new)."""
    folder = path.parent
    before: dict[Path, bytes | None] = {}
    stale = []
    if replacing:
        stale = [folder / f"{path.stem}{suffix}" for suffix in ARTICLE_SUFFIXES]
        old_original = find_original(folder, path.stem)
        if old_original:
            stale.append(old_original)
    for target in {*stale, path, original}:
        before[target] = target.read_bytes() if target.is_file() else None
    for target in stale:
        if target.is_file():
            target.unlink()
    try:
        original.parent.mkdir(exist_ok=True)
        atomic_write(original, data)
        atomic_write(path, text)
    except OSError as exc:
        _undo(path, original, before)
        raise AddError(f"cannot write the article: {exc.strerror}", exc.filename or path) from None
    return before


def _undo(path: Path, original: Path, before: dict[Path, bytes | None]) -> None:
    """Remove what was written and put back what it replaced."""
    for target in (path, original, *before):
        earlier = before.get(target)
        if earlier is None:
            target.unlink(missing_ok=True)
        else:
            atomic_write(target, earlier)


SHORT_TEXT_WORDS = 50
"""An article extracted from a page with fewer words than this is probably not the article."""


def report(added: Added, root: Path) -> None:
    """Print what :func:`add` did: the files, the words extracted, the metadata and where each
    field came from, what is missing, and what cleaning removed."""
    import click

    from generator.commands.report import relative, removals

    article, received = added.article, added.received
    kind = "web page" if received.kind == "html" else "text"
    click.echo(f"Added {received.name} ({kind}, {len(received.data):,} bytes) as {relative(added.path, root)}")
    click.echo(f"  kept as received: {relative(added.original, root)} (sha256 {added.sha256})")
    for path in added.replaced:
        click.echo(f"  replaced: {relative(path, root)}")
    if added.page_words is not None and added.text_words is not None:
        dropped = max(0, added.page_words - added.text_words)
        click.echo(
            f"  extracted: {added.text_words:,} words of article text from about {added.page_words:,} words "
            f"on the page; about {dropped:,} words of page chrome (navigation, comments, related links …) left out"
        )
        if added.text_words < SHORT_TEXT_WORDS:
            click.secho(
                f"warning: only {added.text_words} words were found as the article's text; open "
                f"{relative(added.path, root)} and check that it holds the article",
                fg="yellow",
                err=True,
            )
    order = sorted(added.found, key=lambda name: FIELD_ORDER.index(name) if name in FIELD_ORDER else len(FIELD_ORDER))
    found = ", ".join(f"{name} from {added.found[name]}" for name in order)
    click.echo(f"  metadata: {found}")
    if added.missing:
        options = " ".join(f"--{name} …" for name in added.missing)
        click.echo(f"  not found: {', '.join(added.missing)} (give them with {options}, or edit the front matter)")
    click.echo(f"  cleaning: {article.words} words kept, {len(article.removals)} removals")
    removals(article, indent="    ")
    click.echo(f"OK: {article.meta.title!r} is in the archive; 'archive build' publishes it.")
