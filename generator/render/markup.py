"""The renderer: the one place that turns the document model into markup.

Pages are written as Markdown files whose content is HTML blocks, so that nothing that came from
an article, a note or the registry is ever read as Markdown: every such string goes through
:func:`esc` (text) or :func:`attr` (attribute values), and every URL through :func:`safe_url`.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import itertools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from generator import paths
from generator.inputs.urls import safe_url
from generator.model import Block, Span

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# Outer first: a note mark may hold a link, a link may hold emphasis, never the other way round;
# a later entity mention (not a link) sits innermost, so it never splits emphasis.
PRIORITY = {"note": 0, "link": 1, "entity": 1, "strong": 2, "em": 3, "mention": 4}


_TEXT_SPECIAL = re.compile("[&<>\x02\x03]").search
_ATTR_SPECIAL = re.compile("[&<>\"'\x02\x03]").search
# Most strings hold none of the characters to escape; one search finds that faster than the
# replacements would (rendering 10,000 articles escapes some ten million strings).


def esc(text: str) -> str:
    """Escape article text for HTML content. Markdown never sees it: pages are HTML blocks."""
    return _keep_markers(html.escape(text, quote=False)) if _TEXT_SPECIAL(text) else text


def attr(text: str) -> str:
    """Escape a value for a double- or single-quoted HTML attribute."""
    return _keep_markers(html.escape(text, quote=True)) if _ATTR_SPECIAL(text) else text


def _keep_markers(text: str) -> str:
    # Python-Markdown deletes U+0002 and U+0003 (its placeholder markers) from every page, even
    # inside HTML blocks; as character references they reach the reader like any other character.
    return text.replace("\x02", "&#x2;").replace("\x03", "&#x3;")


def date_text(day: dt.date | None) -> str:
    """A date as readers of English news expect it: ``12 July 2017``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}" if day else "undated"


@dataclass(frozen=True)
class Links:
    """What the renderer needs to know about the targets of entity and note spans."""

    root: str
    """Relative path from the page being rendered to the site root, e.g. ``../../``."""
    entity_title: Mapping[str, str] = field(default_factory=dict)
    """Entity id → description, shown as the link's tooltip."""
    note_number: Mapping[str, int] = field(default_factory=dict)
    """Note id → its number on this page."""
    mention_ids: Mapping[tuple[int, int], str] = field(default_factory=dict)
    """(block index, start) of an entity mention → the id its element carries, for backlinks."""
    note_kind: Mapping[str, str] = field(default_factory=dict)
    """Note id → its kind (``correction``, ``context``…): the page styles each kind differently."""


def render_block(block: Block, links: Links, index: int = 0) -> str:
    """One block as an HTML element with the id ``p<number>`` (*index* is the block's position)
    and, at its end, a permalink to it.

    The permalink holds no text (the page shows it from the stylesheet), so the text of the
    article's container stays exactly :attr:`generator.model.Article.text`: the positions the Web
    Annotations publish count it, and Text Fragments match it."""
    if block.kind == "table":
        return render_table(block, links, index)
    tag = f"h{block.level}" if block.kind == "heading" else "p"
    ident = f"p{index + 1}"
    what = "this heading" if block.kind == "heading" else f"paragraph {index + 1}"
    permalink = f'<a class="archive-permalink" href="#{ident}" aria-label="Link to {what}"></a>'
    return f'<{tag} id="{ident}">{render_text(block.text, block.spans, links, index)}{permalink}</{tag}>'


def render_table(block: Block, links: Links, index: int = 0) -> str:
    """A table block as a ``<table>`` (its first row the header, ``<th scope="col">``) in a
    wrapper that scrolls sideways on a narrow screen, with the id ``p<number>`` and a permalink
    after the table, as a paragraph has.

    Cells are separated by a tab and rows by a line break, as in the block's text (white space
    between cells and rows stays where it is in an HTML table), so that the text of the article's
    container is still :attr:`generator.model.Article.text`. Each cell holds its own spans."""
    ident = f"p{index + 1}"
    rows = []
    for r, row in enumerate(block.cells):
        tag = "th" if r == 0 else "td"
        cells = []
        for start, end in row:
            spans = [
                Span(max(s.start, start) - start, min(s.end, end) - start, s.kind, s.target)
                for s in block.spans
                if s.start < end and s.end > start
            ]
            content = render_text(block.text[start:end], spans, links, index, base=start)
            cells.append(f'<th scope="col">{content}</th>' if tag == "th" else f"<td>{content}</td>")
        rows.append("<tr>" + "\t".join(cells) + "</tr>")
    head = f"<thead>{rows[0]}</thead>"
    body = "\n<tbody>" + "\n".join(rows[1:]) + "</tbody>" if len(rows) > 1 else ""
    permalink = f'<a class="archive-permalink" href="#{ident}" aria-label="Link to table {index + 1}"></a>'
    return (
        f'<div class="archive-table" id="{ident}" role="region" aria-label="Table {index + 1}" tabindex="0">'
        f'<table class="archive-table-grid">{head}{body}</table>{permalink}</div>'
    )


def render_text(text: str, spans: Iterable[Span], links: Links, index: int = 0, base: int = 0) -> str:
    """*text* as escaped HTML with its spans as nested, properly closed elements.

    Spans may overlap: an element is closed and reopened where another one starts or ends.
    Entity mentions inside a link are dropped (a link is never nested in a link), and a note's
    marker comes straight after its anchored words. *base*: the offset of *text* in its block
    (a table cell's), by which entity mentions are known.
    """
    spans = _drop_nested_links(list(spans))
    markers: dict[int, list[Span]] = {}
    for span in spans:
        if span.kind == "note":
            markers.setdefault(span.end, []).append(span)
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out: list[str] = []
    stack: list[Span] = []
    opened: set[Span] = set()
    for start, end in itertools.pairwise(cuts):
        if start in markers:
            _close(out, stack, 0)
            out.extend(_marker(span, links) for span in markers[start])
        wanted = sorted(
            (s for s in spans if s.start <= start and s.end >= end),
            key=lambda s: (PRIORITY[s.kind], s.start, -s.end, s.kind, s.target),
        )
        keep = 0
        while keep < len(stack) and keep < len(wanted) and stack[keep] == wanted[keep]:
            keep += 1
        _close(out, stack, keep)
        for span in wanted[keep:]:
            out.append(_open(span, links, first=span not in opened, index=index, base=base))
            opened.add(span)
            stack.append(span)
        out.append(esc(text[start:end]))
    _close(out, stack, 0)
    if len(text) in markers:
        out.extend(_marker(span, links) for span in markers[len(text)])
    return "".join(out)


def _drop_nested_links(spans: list[Span]) -> list[Span]:
    linkish = [s for s in spans if s.kind in ("link", "entity")]
    result = []
    for span in spans:
        if span.kind == "entity" and any(
            o is not span and o.start < span.end and span.start < o.end and (o.kind == "link" or o.start < span.start)
            for o in linkish
        ):
            continue
        result.append(span)
    return result


def _close(out: list[str], stack: list[Span], keep: int) -> None:
    while len(stack) > keep:
        out.append(_CLOSE[stack.pop().kind])


_CLOSE = {"em": "</em>", "strong": "</strong>", "link": "</a>", "entity": "</a>", "note": "</mark>"}
_CLOSE["mention"] = "</span>"


def _open(span: Span, links: Links, first: bool, index: int, base: int = 0) -> str:
    if span.kind in ("em", "strong"):
        return f"<{span.kind}>"
    if span.kind == "link":
        url = safe_url(span.target)
        if url is None:
            return '<a class="archive-nolink">'
        return f'<a href="{attr(url)}" rel="nofollow noopener">'
    if span.kind == "entity":
        ident = links.mention_ids.get((index, base + span.start)) if first else None
        id_attr = f' id="{attr(ident)}"' if ident else ""
        title = links.entity_title.get(span.target, "")
        return (
            f'<a class="entity"{id_attr} href="{attr(links.root + paths.entity(span.target))}" title="{attr(title)}">'
        )
    if span.kind == "mention":
        # A later mention of an entity: not a link, but a target for the entity page's backlinks.
        ident = links.mention_ids.get((index, base + span.start)) if first else None
        id_attr = f' id="{attr(ident)}"' if ident else ""
        return f'<span class="mention"{id_attr} data-entity="{attr(span.target)}">'
    # a note anchor
    number = links.note_number.get(span.target, 0)
    id_attr = f' id="anchor-{attr(span.target)}"' if first else ""
    return f'<mark class="note-anchor"{id_attr} data-note="{number}"{_kind(span, links)}>'


def _kind(span: Span, links: Links) -> str:
    kind = links.note_kind.get(span.target)
    return f' data-kind="{attr(kind)}"' if kind else ""


def _marker(span: Span, links: Links) -> str:
    # The number is shown from the stylesheet (``attr(data-note)``), not written as text: text
    # here would sit inside the article's words, where page readers, Text Fragments and the
    # Web Annotations' positions look for them. The accessible name carries number and kind.
    number = links.note_number.get(span.target, 0)
    ident = attr(span.target)
    kind = links.note_kind.get(span.target)
    label = f"Editorial note {number}" + (f": {kind}" if kind else "")
    return (
        f'<sup class="note-ref"><a id="ref-{ident}" href="#note-{ident}" aria-label="{attr(label)}" '
        f'data-note="{number}"{_kind(span, links)}></a></sup>'
    )


def element(tag: str, content: str, **attrs: str | None) -> str:
    """An HTML element; *content* must already be markup, attribute values are escaped here."""
    if not attrs:
        return f"<{tag}>{content}</{tag}>"
    rendered = "".join(
        f' {_attribute_name(name)}="{attr(value)}"' for name, value in attrs.items() if value is not None
    )
    return f"<{tag}{rendered}>{content}</{tag}>"


@functools.cache
def _attribute_name(keyword: str) -> str:
    # class_ → class, aria_label → aria-label
    return keyword.rstrip("_").replace("_", "-")


def join_lines(parts: Iterable[str]) -> str:
    """HTML blocks separated by blank lines, as Python-Markdown expects raw HTML blocks."""
    return "\n\n".join(part for part in parts if part) + "\n"


def json_ld(data: object) -> str:
    """A JSON-LD block (structured data for search engines) holding *data*.

    ``<``, ``>`` and ``&`` are written as ``\\u`` escapes, so no value can close the script
    element or open a comment; the sanitiser keeps a block only in this form.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f'<script type="application/ld+json">{text}</script>'


def front_matter(**fields: object) -> str:
    """A YAML front matter block. Values are JSON strings (valid YAML), HTML-escaped because the
    theme prints some of them (the title) without escaping."""
    lines = ["---"]
    for key, value in fields.items():
        if isinstance(value, str):
            value = attr(value)
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"
