"""How to cite an article: the citation files beside its page (CSL-JSON, BibTeX, RIS), the
copyable APA and Chicago lines, and the Highwire ``citation_*`` values for the page's ``<head>``.

What is cited is the archive's copy: its title, author, date and publisher are the article's
(front matter), its address is the archive page's (from ``site_url``; without one there is no
address to give, and the files say nothing about one), and the archive is named as where the copy
is kept (CSL's ``archive``). Nothing here invents what the front matter does not say: an author is
split into family and given names only when it reads as a person's name (two or more capitalised
words), and is otherwise given whole, as CSL's ``literal``.

The APA and Chicago lines are made here rather than by a CSL processor, so that the site needs no
style repository at run time; the tests render the same CSL-JSON with citeproc-py and the styles
``apa.csl`` and ``chicago-author-date-16th-edition.csl`` and compare.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from generator import paths
from generator.model import Article
from generator.render.markup import MONTHS, element, esc

PERSON_NAME = re.compile(r"^(?:[^\W\d_][\w.'’-]*\s+)+[^\W\d_][\w.'’-]*$")
"""A name that reads as a person's: words that each start with a letter, no commas or "and"."""
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
BIBLATEX_LANGUAGES = {
    "en": "english", "fr": "french", "de": "german", "es": "spanish", "it": "italian", "pt": "portuguese",
    "nl": "dutch", "ar": "arabic", "ru": "russian", "pl": "polish", "sv": "swedish", "tr": "turkish",
}  # fmt: skip
"""biblatex's ``langid`` for the language codes it knows; other languages get no ``langid``."""
_LATEX = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#", "$": r"\$",
    "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
}  # fmt: skip


def plain(text: str) -> str:
    """*text* on one line: every run of white space (line breaks too) as one space, control
    characters dropped. A value of a line-based format (RIS, BibTeX) can then start no new field."""
    return " ".join(_CONTROL.sub("", text).split())


@dataclass(frozen=True)
class Name:
    """An author as CSL names one: family and given names, or the whole name (``literal``)."""

    family: str = ""
    given: str = ""
    literal: str = ""

    @classmethod
    def read(cls, text: str) -> Name:
        text = plain(text)
        words = text.split(" ")
        if PERSON_NAME.match(text) and all(w[0].isupper() for w in words) and "and" not in words:
            return cls(family=words[-1], given=" ".join(words[:-1]))
        return cls(literal=text)

    @property
    def person(self) -> bool:
        return bool(self.family)

    def csl(self) -> dict[str, str]:
        return {"family": self.family, "given": self.given} if self.person else {"literal": self.literal}

    def inverted(self) -> str:
        """ "Ditz, Jason" (BibTeX, RIS, Highwire), or the whole name."""
        return f"{self.family}, {self.given}" if self.person else self.literal

    def initials(self) -> str:
        """ "Ditz, J." (APA), "Smith, M. A.", "Sartre, J.-P."."""
        if not self.person:
            return self.literal
        given = " ".join("-".join(part[0] + "." for part in word.split("-") if part) for word in self.given.split())
        return f"{self.family}, {given}"


@dataclass(frozen=True)
class Citation:
    """What a citation of an article says, read once from its front matter."""

    key: str
    """The article's slug: the CSL id and the BibTeX key."""
    title: str
    author: Name | None
    date: dt.date | None
    publication: str
    """Where the article was published (the front matter's ``publisher``), or empty."""
    url: str | None
    """The archive page's absolute address, when the site has a ``site_url``."""
    archive: str
    """The archive's name (``site_name``)."""
    archived: dt.date | None
    language: str
    original_publisher: str
    original_date: dt.date | None

    @classmethod
    def of(cls, article: Article, site_url: str | None, site_name: str) -> Citation:
        meta = article.meta
        return cls(
            key=article.slug,
            title=plain(meta.title),
            author=Name.read(meta.author) if meta.author and plain(meta.author) else None,
            date=meta.date,
            publication=plain(meta.publisher or ""),
            url=site_url + paths.article(article.slug) if site_url else None,
            archive=plain(site_name),
            archived=meta.archived,
            language=plain(meta.language),
            original_publisher=plain(meta.original_publisher or ""),
            original_date=meta.original_date,
        )


def _parts(day: dt.date) -> dict[str, list[list[int]]]:
    return {"date-parts": [[day.year, day.month, day.day]]}


def csl_json(cite: Citation) -> str:
    """The citation as a CSL-JSON file: a list holding one ``article-newspaper`` item."""
    item: dict[str, object] = {"id": cite.key, "type": "article-newspaper", "title": cite.title}
    if cite.author:
        item["author"] = [cite.author.csl()]
    if cite.date:
        item["issued"] = _parts(cite.date)
    if cite.publication:
        item["container-title"] = cite.publication
    if cite.original_publisher:
        item["original-publisher"] = cite.original_publisher
    if cite.original_date:
        item["original-date"] = _parts(cite.original_date)
    if cite.url:
        item["URL"] = cite.url
    item["archive"] = cite.archive
    item["language"] = cite.language
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


def _latex(text: str) -> str:
    return "".join(_LATEX.get(char, char) for char in text)


def bibtex(cite: Citation) -> str:
    """The citation as a BibTeX entry (biblatex's ``@article`` with ``entrysubtype = {newspaper}``;
    classic BibTeX reads its ``journal``, ``year`` and ``month``). Every value is escaped for
    LaTeX, so no brace of a title can end its field."""
    fields: list[tuple[str, str]] = []
    if cite.author:
        # A name that is not a person's is braced whole, so that BibTeX does not split it.
        name = _latex(cite.author.inverted())
        fields.append(("author", f"{{{name}}}" if cite.author.person else f"{{{{{name}}}}}"))
    fields.append(("title", f"{{{{{_latex(cite.title)}}}}}"))  # double braces keep the capitals
    if cite.publication:
        fields += [("journal", f"{{{_latex(cite.publication)}}}"), ("journaltitle", f"{{{_latex(cite.publication)}}}")]
    fields.append(("entrysubtype", "{newspaper}"))
    if cite.date:
        fields += [("date", f"{{{cite.date.isoformat()}}}"), ("year", f"{{{cite.date.year}}}")]
        fields.append(("month", BIBTEX_MONTHS[cite.date.month - 1]))  # a macro: no braces
    if cite.original_publisher:
        fields.append(("origpublisher", f"{{{_latex(cite.original_publisher)}}}"))
    if cite.original_date:
        fields.append(("origdate", f"{{{cite.original_date.isoformat()}}}"))
    if cite.url:
        fields.append(("url", f"{{{_latex_url(cite.url)}}}"))
    if cite.language in BIBLATEX_LANGUAGES:
        fields.append(("langid", f"{{{BIBLATEX_LANGUAGES[cite.language]}}}"))
    fields.append(("note", f"{{{_latex(_kept_by(cite))}}}"))
    return f"@article{{{cite.key},\n" + ",\n".join(f"  {name} = {value}" for name, value in fields) + "\n}\n"


def _latex_url(url: str) -> str:
    # The url field is read verbatim by biblatex; only a brace or a backslash could break it, and
    # an address from site_url holds neither but percent-encoded. Encode them all the same.
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def _kept_by(cite: Citation) -> str:
    """ "Copy kept by Annotated reading archive, archived 22 November 2026"."""
    text = f"Copy kept by {cite.archive}"
    if cite.archived:
        text += f", archived {_day(cite.archived)}"
    return text


def _day(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def ris(cite: Citation) -> str:
    """The citation as a RIS record (``TY  - NEWS``), lines ending in CR LF as the format asks."""
    lines = [("TY", "NEWS"), ("TI", cite.title)]
    if cite.author:
        lines.append(("AU", cite.author.inverted()))
    if cite.date:
        lines += [("PY", f"{cite.date.year:04d}"), ("DA", cite.date.strftime("%Y/%m/%d"))]
    if cite.publication:
        lines += [("T2", cite.publication), ("PB", cite.publication)]
    if cite.url:
        lines.append(("UR", cite.url))
    lines += [("LA", cite.language), ("DB", cite.archive)]
    note = _kept_by(cite)
    if cite.original_publisher:
        note += f"; first published by {cite.original_publisher}"
        if cite.original_date:
            note += f", {_day(cite.original_date)}"
    lines += [("N1", note), ("ER", "")]
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)


def _end(text: str) -> str:
    """*text* ending in a full stop (not after another stop, question or exclamation mark)."""
    return text if text.endswith((".", "?", "!")) else text + "."


def _italic_end(text: str) -> str:
    """*text* in italics, followed by a full stop unless it ends in one."""
    return element("em", esc(text)) + ("" if text.endswith((".", "?", "!")) else ".")


def apa(cite: Citation) -> str:
    """The APA (7th edition) reference, as HTML (the publication's name in italics)."""
    when = f"({cite.date.year}, {MONTHS[cite.date.month - 1]} {cite.date.day})" if cite.date else "(n.d.)"
    title = _end(esc(cite.title))
    parts = [f"{_end(esc(cite.author.initials()))} {when}." if cite.author else f"{title} {when}."]
    if cite.author:
        parts.append(title)
    if cite.publication:
        parts.append(_italic_end(cite.publication))
    parts.append(_end(esc(cite.archive)))
    if cite.url:
        parts.append(esc(cite.url))
    line = " ".join(parts)
    if cite.original_date:
        line += f" (Original work published {cite.original_date.year}" + (
            f", {esc(cite.original_publisher)})" if cite.original_publisher else ")"
        )
    return line


def chicago(cite: Citation) -> str:
    """The Chicago (author-date) reference list entry, as HTML. Without an author the publication
    takes the author's place, and without either the title does."""
    year = str(cite.date.year) if cite.date else "n.d."
    if cite.original_date:
        year = f"({cite.original_date.year}) {year}"
    title = esc(cite.title)
    quoted = f"“{title}”" if title.endswith((".", "?", "!")) else f"“{title}.”"
    publication = element("em", esc(cite.publication)) if cite.publication else ""
    if cite.author:
        parts = [f"{_end(esc(cite.author.inverted()))} {_end(year)}", quoted]
    elif publication:
        parts, publication = [f"{publication}. {_end(year)}", quoted], ""
    else:
        parts = [quoted, _end(year)]
    where = ", ".join(
        x for x in (publication, f"{MONTHS[cite.date.month - 1]} {cite.date.day}" if cite.date else "") if x
    )
    if where:
        parts.append(where + ".")
    parts.append(_end(esc(cite.archive)))
    if cite.url:
        parts.append(esc(cite.url) + ".")
    return " ".join(parts)


def highwire(cite: Citation) -> dict[str, object]:
    """The values of the page's Highwire ``citation_*`` tags (the theme template writes them; see
    ``overrides/main.html``), as Zotero's embedded-metadata translator reads them: one date tag
    only, and no ``citation_author`` for a name that is not a person's (Zotero would make it one)."""
    data: dict[str, object] = {"title": cite.title, "language": cite.language}
    if cite.author and cite.author.person:
        data["authors"] = [cite.author.inverted()]
    if cite.date:
        data["date"] = cite.date.strftime("%Y/%m/%d")
    if cite.publication:
        data["publisher"] = cite.publication
    if cite.url:
        data["url"] = cite.url
    return data


def citation_file(cite: Citation, extension: str) -> str:
    """One citation file of an article, in the format of *extension* (see
    :data:`generator.paths.CITATION_FORMATS`)."""
    writers = {"json": csl_json, "bib": bibtex, "ris": ris}
    return writers[extension](cite)


def citation_files(cite: Citation) -> dict[str, str]:
    """The three citation files of an article, by their path in the docs folder."""
    writers = {"json": csl_json, "bib": bibtex, "ris": ris}
    return {paths.citation(cite.key, ext): writers[ext](cite) for ext, _, _ in paths.CITATION_FORMATS}


def cite_box(cite: Citation) -> str:
    """The folded "Cite this article" box: the APA and Chicago lines, each with its style named,
    and links to the citation files (beside the page, so relative to it)."""
    lines = [
        element(
            "p",
            element("span", style, class_="archive-cite-style")
            + " "
            + element("span", text, class_="archive-cite-text"),
            class_="archive-cite-line",
        )
        for style, text in (("APA", apa(cite)), ("Chicago", chicago(cite)))
    ]
    files = " · ".join(
        element("a", name, href=paths.citation(cite.key, ext).rsplit("/", 1)[-1], type=media)
        for ext, name, media in paths.CITATION_FORMATS
    )
    lines.append(element("p", "For a reference manager: " + files + ".", class_="archive-cite-files"))
    if not cite.url:
        lines.append(
            element(
                "p",
                "The site has no address set (site_url), so these citations give none.",
                class_="archive-cite-files",
            )
        )
    return '<details class="archive-cite">\n<summary>Cite this article</summary>\n' + "\n".join(lines) + "\n</details>"
