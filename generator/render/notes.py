"""What readers see of the editorial notes: the parts of an article page and the Corrections page.

Markup is made only with :mod:`generator.render.markup`'s helpers (``element``, ``esc``,
``render_text``), so every word of a note or an article is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from generator import paths
from generator.inputs.notes_file import KINDS, NoteKind
from generator.inputs.urls import safe_url
from generator.model import Article
from generator.render import paging
from generator.render.linked_data import JSONLD_TYPE, annotations, news_article_ld
from generator.render.markup import Links, date_text, element, esc, front_matter, join_lines, json_ld, render_text
from generator.stages.anchor import AnchoredNote
from generator.stages.staged import Staged
from generator.stages.summary import Listed, Summary
from generator.util.text import plural

KIND_LABEL: dict[NoteKind, tuple[str, str]] = {
    "correction": ("correction", "corrections"),
    "spelling": ("spelling note", "spelling notes"),
    "clarification": ("clarification", "clarifications"),
    "context": ("context note", "context notes"),
}
"""How each kind is named in running text: (singular, plural)."""


@dataclass(frozen=True)
class NoteParts:
    """The notes' share of an article page."""

    numbers: Mapping[str, int]
    """Note id → its number on the page (for :class:`generator.render.markup.Links`)."""
    kinds: Mapping[str, str]
    """Note id → its kind (for :class:`generator.render.markup.Links`)."""
    top: tuple[str, ...]
    """HTML blocks above the text: the summary box."""
    bottom: tuple[str, ...]
    """HTML blocks below the text: the numbered notes, and the page's JSON-LD."""


def one_line(text: str) -> str:
    """*text* with every run of white space (blank lines between blocks too) as one space."""
    return " ".join(text.split())


def summary_sentence(notes: Sequence[AnchoredNote]) -> str:
    """ "This article contains 2 corrections and 1 clarification." (plain text)."""
    counts = []
    for kind in KINDS:
        count = sum(1 for item in notes if item.note.kind == kind)
        if count:
            singular, plural = KIND_LABEL[kind]
            counts.append(f"{count} {singular if count == 1 else plural}")
    listed = counts[0] if len(counts) == 1 else ", ".join(counts[:-1]) + " and " + counts[-1]
    return f"This article contains {listed}."


def kind_title(kind: NoteKind) -> str:
    return KIND_LABEL[kind][0].capitalize()


def _quote(item: AnchoredNote) -> str:
    # Literal quotation marks, not <q>: Chromium does not follow a click on the generated
    # quotation mark of a <q> inside a link.
    return element("span", "“" + esc(one_line(item.anchor.exact)) + "”", class_="note-quote")


def _body(item: AnchoredNote) -> str:
    return render_text(item.note.body_text, item.note.body_spans, Links(root=""))


def _sources(item: AnchoredNote) -> str:
    links = []
    for source in item.note.sources:
        url = safe_url(source.url)
        title = esc(source.title)
        link = element("a", title, href=url, rel="nofollow noopener", class_="note-source") if url else title
        links.append(f"{link} (accessed {date_text(source.accessed)})")
    label = "Source" if len(links) == 1 else "Sources"
    return element("p", f"{label}: " + "; ".join(links), class_="note-sources")


def summary_box(notes: Sequence[AnchoredNote]) -> str:
    """The box at the top of an article with notes, linking to the corrections and to every note."""
    lines = [element("p", "Editorial notes", class_="admonition-title")]
    lines.append(element("p", esc(summary_sentence(notes)) + " " + element("a", "Read the notes", href="#notes") + "."))
    corrections = [item for item in notes if item.note.kind == "correction"]
    if corrections:
        items = [
            element("li", element("a", _quote(item), href=f"#anchor-{item.note.id}") + ": " + _body(item))
            for item in corrections
        ]
        lines.append(element("ul", "\n" + "\n".join(items) + "\n", class_="archive-corrections-list"))
    return element("div", "\n" + "\n".join(lines) + "\n", class_="admonition note archive-notes-summary", role="note")


def notes_list(notes: Sequence[AnchoredNote], annotations_href: str | None) -> str:
    """The numbered notes after the article, each linked both ways with its marker in the text."""
    items = []
    for item in notes:
        note = item.note
        head = element(
            "p", element("span", kind_title(note.kind), class_="note-kind") + " on " + _quote(item), class_="note-head"
        )
        meta = element(
            "p",
            esc(note.author) + ", " + element("time", date_text(note.date), datetime=note.date.isoformat())
            + " · " + element(
                "a", "Back to the text", href=f"#ref-{note.id}", class_="note-back",
                aria_label=f"Back to note {item.number} in the text",
            )
            + " · " + element(
                "a", "Link to this note", href=f"#note-{note.id}", class_="note-permalink",
                aria_label=f"Link to note {item.number}",
            ),
            class_="note-meta",
        )  # fmt: skip
        content = "\n".join([head, element("p", _body(item), class_="note-body"), _sources(item), meta])
        items.append(
            element(
                "li", content, id=f"note-{note.id}", class_=f"note note--{note.kind}", data_kind=kind_title(note.kind)
            )
        )
    parts = [
        element("h2", "Editorial notes", id="notes"),
        element("ol", "\n" + "\n".join(items) + "\n", class_="notes"),
    ]
    if annotations_href:
        parts.append(
            element(
                "p",
                "These notes as "
                + element("a", "W3C Web Annotations (JSON-LD)", href=annotations_href, type=JSONLD_TYPE)
                + ".",
                class_="note-annotations",
            )
        )
    return element("section", "\n" + "\n".join(parts) + "\n", class_="archive-notes", aria_labelledby="notes")


def article_note_parts(
    article: Article, notes: Sequence[AnchoredNote], root: str = "../../", site_url: str | None = None
) -> NoteParts:
    """The summary box, the notes list and the JSON-LD for *article*'s page (*root*: path to site
    root; *site_url*: the site's address, which makes the JSON-LD's addresses absolute)."""
    ld = json_ld(news_article_ld(article, notes, site_url))
    if not notes:
        return NoteParts({}, {}, (), (ld,))
    href = root + paths.annotations(article.slug)
    return NoteParts(
        {item.note.id: item.number for item in notes},
        {item.note.id: item.note.kind for item in notes},
        (summary_box(notes),),
        (notes_list(notes, href), ld),
    )


Noted = tuple[Listed, Sequence[AnchoredNote], Sequence[tuple[str, str]]]
"""An article with notes, its notes, and where each note's link goes on the article page (note id,
the part after ``#``: :attr:`generator.stages.summary.NoteHead.link`)."""


def correction_groups(articles: Sequence[Summary]) -> list[Summary]:
    """The articles with notes, newest first by each article's latest note, then in the archive's order."""
    with_notes = [(position, article) for position, article in enumerate(articles) if article.notes]
    with_notes.sort(key=lambda pair: (-pair[1].latest_note.toordinal(), pair[0]))  # type: ignore[union-attr]
    return [article for _, article in with_notes]


def correction_entries(groups: Sequence[Noted], root: str) -> list[str]:
    """Each article's heading and its notes, newest first, each linking to its passage."""
    parts = []
    for article, items, links in groups:
        to = dict(links)
        items = sorted(items, key=lambda i: (-i.note.date.toordinal(), i.number))
        page = root + paths.article(article.slug)
        parts.append(element("h2", element("a", esc(article.title), href=page), id=article.slug))
        entries = []
        for item in items:
            note = item.note
            head = (
                element("span", kind_title(note.kind), class_="note-kind")
                + " · " + element("time", date_text(note.date), datetime=note.date.isoformat())
                + " · " + element("a", _quote(item), href=f"{page}#{to.get(note.id) or 'anchor-' + note.id}")
            )  # fmt: skip
            entries.append(
                element(
                    "li",
                    "\n".join(
                        [
                            element("p", head, class_="note-head"),
                            element("p", _body(item), class_="note-body"),
                            _sources(item),
                        ]
                    ),
                    class_=f"note note--{note.kind}",
                )
            )
        parts.append(element("ul", "\n" + "\n".join(entries) + "\n", class_="archive-corrections"))
    return parts


def corrections_page(
    total: int, articles: int, shown: Sequence[Noted], size: int, years: Sequence[paging.Period] = ()
) -> str:
    """Every note of the archive (*total* notes on *articles* articles), newest first, grouped by
    article, each linking to its passage (*shown*); with *years*, only the latest *size*
    articles' notes, then a link to each year's page."""
    paged = f" This page shows the notes on the latest {size} articles; the others are by year below."
    parts = [
        element("h1", "Corrections and notes"),
        element(
            "p",
            f"Every editorial note in the archive ({total} in {plural(articles, 'article')}), "
            "newest first, grouped by article. Each one links to the exact words it concerns."
            + (paged if years else ""),
        ),
    ]
    if not articles:
        parts.append(element("p", "No article has notes yet."))
    parts += correction_entries(shown, "../")
    if years:
        parts += [
            element("h2", "Every note, by year", id="by-year"),
            paging.period_list(years, "../", "article"),
        ]
    return front_matter(title="Corrections and notes") + join_lines(parts)


def corrections_year_page(listing: paging.Listing[Noted]) -> str:
    """One page of the notes by the year of each article's latest note."""
    title = paging.heading("Corrections and notes", listing)  # type: ignore[arg-type]
    parts = [element("h1", esc(title)), paging.pager(listing, "All corrections")]  # type: ignore[arg-type]
    parts += correction_entries(listing.items, listing.root)
    return front_matter(title=title, search=paging.NOT_SEARCHED) + join_lines(parts)


def split_corrections(
    groups: Sequence[Summary], size: int
) -> tuple[list[Summary], list[paging.Period], list[paging.Listing[Summary]]]:
    """Which articles the Corrections page shows and, when more articles have notes than a page
    lists (*size*), the years (of each article's latest note) and pages of them all."""
    if len(groups) <= size:
        return list(groups), [], []
    years, listings = paging.split(paths.CORRECTIONS, groups, lambda g: g.latest_note, size)
    return list(groups[:size]), years, listings


def corrections_pages(
    articles: Sequence[Summary], notes_of: Callable[[str], Sequence[AnchoredNote]], size: int
) -> dict[str, str]:
    """The Corrections page and its pages by year (*notes_of*: an article's notes by slug)."""
    groups = correction_groups(articles)
    total = sum(len(g.notes) for g in groups)
    shown, years, listings = split_corrections(groups, size)

    def noted(items: Sequence[Summary]) -> list[Noted]:
        return [(g.listed, tuple(notes_of(g.slug)), tuple((n.id, n.link) for n in g.notes)) for g in items]

    out = {paths.page_file(paths.CORRECTIONS): corrections_page(total, len(groups), noted(shown), size, tuple(years))}
    for listing in listings:
        out[paths.page_file(listing.path)] = corrections_year_page(paging.replace_items(listing, noted(listing.items)))
    return out


def annotations_file(staged: Staged, site_url: str | None = None) -> str:
    """The article's notes as a W3C Web Annotation collection (JSON-LD; with absolute addresses
    when the site has a *site_url*)."""
    return annotations(staged.article, staged.notes, site_url)
