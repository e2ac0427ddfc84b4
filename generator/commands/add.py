"""Adding an article to the archive from a saved web page or a text file (``archive add``).

The input is kept byte for byte under ``articles/originals/<slug>.<ext>``; the article file
``articles/<slug>.md`` gets front matter with the article's metadata, where the text came from
(``url``), when it was archived (``archived``) and the SHA-256 of the input as received
(``sha256``). For a web page, trafilatura extracts the article's text
(:mod:`generator.inputs.extract`); a text or Markdown file is kept as received, and the cleaner's
rules apply to it at build time as to any article.

Before anything is written, the metadata is read as the build will read it (the page's, the
text's front matter and header, the command line's) and shown; on a terminal the editor confirms
or corrects it (:mod:`generator.commands.add_review`). The slug is made from the final title and
date. Nothing is left half-done: the new files are read back through
:func:`~generator.inputs.articles.read_source` and :func:`~generator.stages.clean.clean_source`,
and removed again (any file they replaced restored) if that fails.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pydantic

from generator.commands.slugs import _taken, check_slug, make_slug, unique_slug
from generator.errors import AddError, ArchiveError, Problem
from generator.inputs.articles import (
    ARTICLE_SUFFIXES,
    MAX_ARTICLE_BYTES,
    ORIGINALS_DIR,
    FrontMatter,
    Source,
    _split_front_matter,
    find_original,
    read_source,
)
from generator.inputs.rules import Rules, load_rules
from generator.model import Article
from generator.settings import Settings
from generator.stages import header as reader
from generator.stages.clean import clean_source
from generator.util.files import atomic_write
from generator.util.text import shorten

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
TEXT_SUFFIXES = (".md", ".markdown", ".txt", ".text")
MAX_PAGE_BYTES = 10_000_000
"""Largest saved web page accepted (10 MB); the extracted text must still fit the article limit."""
MAX_TITLE = 300
"""A title longer than this is not a headline (the front matter's limit too)."""
HEADER_FIELDS = ("title", "author", "date", "publisher", "original_publisher", "original_date")
"""Fields the cleaner may read from a text's header; what it read is written into the front matter."""
HOW = {
    "headline": "headline",
    "byline": "byline",
    "dateline": "dateline",
    "masthead": "masthead",
    "navigation": "navigation bar",
    "byline-outlet": "outlet line",
    "source-line": "source line",
}
"""How the cleaner read a field (its removal's id) → in the editor's words."""
FIELD_ORDER = (
    "title", "author", "date", "publisher", "url", "language",
    "original_publisher", "original_date", "original_url", "tags", "archived", "sha256",
)  # fmt: skip
"""The order of the fields in the front matter written for an added article."""
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
class Preview:
    """What the archive will hold, shown before anything is written."""

    received: Received
    fields: dict[str, Any]
    """The front matter to write (without ``archived`` and ``sha256``), header readings included."""
    found: dict[str, str]
    """Field → where its value came from ("the page", "the command line", "the text's byline, line 10")."""
    article: Article
    """The article as the build will clean it."""
    problems: tuple[Problem, ...] = ()
    """Warnings the build will print about it."""
    extra: dict[str, Any] = field(default_factory=dict)
    """For a web page: ``page_words``, ``text_words``, the words ``dropped`` by the Markdown writer
    and the passages ``left_out`` by the extractor."""


Review = Callable[[Preview], dict[str, Any] | None]
"""Shown what was read; returns corrections (field → value, None to leave it empty), or None."""


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
    dropped: tuple[str, ...] = ()
    """For a web page: words of the extractor's tree the article's Markdown lacks (none, normally)."""
    problems: tuple[Problem, ...] = ()
    """Warnings about the new article (the build prints them too)."""
    left_out: tuple[Any, ...] = ()
    """For a web page: the passages the extractor left out (:class:`~generator.inputs.left_out.LeftOut`)."""

    @property
    def extra(self) -> dict[str, Any]:
        """What was read of a web page, as :attr:`Preview.extra` holds it."""
        return {
            "page_words": self.page_words, "text_words": self.text_words, "dropped": self.dropped,
            "left_out": self.left_out,
        }  # fmt: skip


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


def add(settings: Settings, received: Received, given: Given, review: Review | None = None) -> Added:
    """Add *received* to the archive of *settings*; return what was done.

    The metadata is read first, as the build will read it; *review* (on a terminal: the editor)
    sees it before anything is written and may return corrections. The slug is made from the
    final title and date. Raises :class:`AddError` (nothing written) if the input has no article
    text, no plausible title, invalid metadata, or is already archived and *given.force* is not set.
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
        fields, body, found, extra = _from_text(received, given)
    while True:
        if fields.get("title"):
            check_title(str(fields["title"]), found.get("title", "the page"), received.name, rules)
        preview = _preview(received, fields, body, found, extra, rules)
        check_title(preview.fields.get("title"), preview.found.get("title", "the page"), received.name, rules)
        corrections = review(preview) if review else None
        if not corrections:
            break
        for name, value in corrections.items():
            fields[name] = value
            found[name] = "you, at the prompt"
    fields = {**preview.fields, "archived": given.archived or archived_today(settings.source_date_epoch)}
    fields["sha256"] = sha256
    found = dict(preview.found)
    if given.archived:
        found["archived"] = "the command line"
    else:
        found["archived"] = "SOURCE_DATE_EPOCH" if settings.source_date_epoch else "today's date"
    front = _front_matter(fields, received)
    meta = preview.article.meta
    slug, replacing = _choose_slug(articles, given, make_slug(meta.title, meta.date), sha256, front.url)
    text = front_matter_text(fields) + "\n" + body.rstrip("\n") + "\n"
    path = articles / f"{slug}.md"
    original = articles / ORIGINALS_DIR / f"{slug}.{received.suffix}"
    before = _write(path, text.encode("utf-8"), original, received.data, replacing)
    try:
        cleaned = clean_source(read_source(path), rules)
        if hashlib.sha256(original.read_bytes()).hexdigest() != sha256 or read_source(path).front.sha256 != sha256:
            raise AddError("the files written do not read back as received (the disk may be full)", path)
    except (ArchiveError, OSError) as exc:
        _undo(path, original, before)
        reason = exc.format_message() if isinstance(exc, ArchiveError) else str(exc)
        raise AddError(f"the article was not added, nothing was kept: {reason}", received.name) from None
    meta = cleaned.article.meta
    missing = tuple(n for n in ("title", "author", "date", "publisher", "url") if getattr(meta, n) is None)
    replaced = tuple(sorted(p for p, earlier in before.items() if earlier is not None))
    return Added(
        cleaned.article, path, original, sha256, received, found, missing, replaced,
        extra.get("page_words"), extra.get("text_words"), tuple(extra.get("dropped", ())), cleaned.problems,
        tuple(extra.get("left_out", ())),
    )  # fmt: skip


def _front_matter(fields: dict[str, Any], received: Received) -> FrontMatter:
    try:
        return FrontMatter(**{k: v for k, v in fields.items() if v is not None})
    except pydantic.ValidationError as exc:
        error = exc.errors()[0]
        name = ".".join(str(part) for part in error["loc"])
        message = f"{name} {fields.get(name)!r}: {error['msg']}; correct it with --{name}"
        raise AddError(message, received.name) from None


def _preview(
    received: Received, fields: dict[str, Any], body: str, found: dict[str, str], extra: dict[str, Any], rules: Rules
) -> Preview:
    """What the archive will hold: the body cleaned under the metadata known so far, and the
    metadata completed from what the cleaner read in the text's header."""
    front = _front_matter(fields, received)
    source = Source("new", Path(received.name), front, body, extra.get("body_line", 1), None)
    try:
        cleaned = clean_source(source, rules)
    except ArchiveError as exc:
        raise AddError(f"the text cannot be read as an article: {exc.reason}", received.name, exc.line) from None
    meta = cleaned.article.meta
    fields, found = dict(fields), dict(found)
    for name, how in meta.sources.items():
        value = getattr(meta, name)
        if name in HEADER_FIELDS and value is not None and fields.get(name) is None:
            fields[name] = value
            found[name] = f"the text's {HOW.get(how, f'header (rule {how})')}"
    return Preview(received, fields, found, cleaned.article, cleaned.problems, extra)


def check_title(title: str | None, where: str, name: str, rules: Rules) -> None:
    """Refuse an article without a title, or with one that cannot be its title (a line of page
    chrome, more than 300 characters), naming the option that gives it. *where* says where the
    title was found, *name* the input."""
    if not title:
        raise AddError(
            "no title found: the page's metadata gives none and no line of the text reads as its headline; "
            'give it with --title "…"',
            name,
        )
    if len(title) > MAX_TITLE:
        raise AddError(
            f"the title found ({where}) is {len(title):,} characters long, more than a title ({MAX_TITLE} at most): "
            f'"{shorten(title, 60)}"; give the right one with --title "…"',
            name,
        )
    chrome = next((r for r in (*rules.header, *rules.blocks) if r.pattern.search(title)), None)
    if chrome is not None or reader.navigation(title):
        what = f"rule {chrome.id!r}" if chrome else "a navigation bar"
        raise AddError(
            f'the title found ({where}), "{shorten(title, 60)}", reads as page chrome ({what}), not a headline; '
            'give the article\'s title with --title "…"',
            name,
        )


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
    extra = {
        "page_words": extracted.page_words, "text_words": extracted.text_words, "dropped": extracted.dropped,
        "left_out": extracted.left_out,
    }  # fmt: skip
    return fields, extracted.markdown, found, extra


def _from_text(received: Received, given: Given) -> tuple[dict[str, Any], str, dict[str, str], dict[str, Any]]:
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
    return fields, body, found, {"body_line": body_line}


def _apply_given(fields: dict[str, Any], found: dict[str, str], given: Given) -> None:
    for name in ("title", "author", "date", "publisher", "url", "language"):
        value = getattr(given, name)
        if value is not None:
            fields[name], found[name] = value, "the command line"


def _choose_slug(folder: Path, given: Given, base: str, sha256: str, url: str | None) -> tuple[str, bool]:
    """The slug to write, and whether an existing article is replaced."""
    if given.slug is not None:
        check_slug(given.slug)
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
