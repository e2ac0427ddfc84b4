"""The citation files beside each article page are read by the programs citers use: the CSL-JSON
by citeproc-py (a CSL processor, with the APA and Chicago styles vendored in
``tests/fixtures/csl``), the BibTeX by bibtexparser, the RIS by rispy. The copyable APA and Chicago
lines say what citeproc-py says from the same CSL-JSON.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import warnings

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware

from generator.pipeline import load, render_site
from generator.render import citation
from generator.settings import Settings

from ..conftest import REPO

STYLES = REPO / "tests" / "fixtures" / "csl"
SLUG_003 = "2017-07-12-us-looks-to-escalate-involvement-in-libya"
SLUG_000 = "us-military-considers-re-establishing-presence-in-libya"
HOSTILE = 'A } title = {x}, note = {injected} \\ % & # $ _ ^ ~ {"}\nER  - \r\nTY  - JOUR\u2028<script>'


@pytest.fixture(scope="module")
def site() -> tuple[object, dict[str, str]]:
    settings = Settings.load(REPO)
    loaded = load(settings)
    assert not loaded.errors
    return loaded, render_site(loaded, settings)


def cite(site, slug: str) -> citation.Citation:
    loaded, _ = site
    article = next(a for a in loaded.articles if a.slug == slug)
    return citation.Citation.of(article, "https://archive.example.org/", "Annotated reading archive")


def render(item: dict, style: str) -> str:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    source = CiteProcJSON(json.loads(json.dumps([item])))  # it changes what it is given
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # it warns about CSL features it does not know
        bibliography = CitationStylesBibliography(
            CitationStylesStyle(str(STYLES / f"{style}.csl"), validate=False), source, formatter.plain
        )
        bibliography.register(Citation([CitationItem(item["id"])]))
        return str(bibliography.bibliography()[0])


def text_of(html: str) -> str:
    from lxml import html as lxml_html

    return lxml_html.fragment_fromstring(html, create_parent="span").text_content()


def test_every_article_has_its_three_files_beside_its_page(site) -> None:
    loaded, pages = site
    for article in loaded.articles:
        folder = f"articles/{article.slug}/"
        assert {f"{folder}{article.slug}.{ext}" for ext in ("json", "bib", "ris")} <= set(pages)
        page = pages[f"{folder}index.md"]
        for ext in ("json", "bib", "ris"):
            assert f'href="{article.slug}.{ext}"' in page


@pytest.mark.parametrize("slug", [SLUG_003, SLUG_000])
def test_csl_json_is_rendered_by_citeproc(site, slug: str) -> None:
    _, pages = site
    (item,) = json.loads(pages[f"articles/{slug}/{slug}.json"])
    assert item["type"] == "article-newspaper" and item["URL"] == f"https://archive.example.org/articles/{slug}/"
    apa = render(item, "apa")
    chicago = render(item, "chicago-author-date-16th-edition")
    for line in (apa, chicago):
        assert item["title"].casefold() in line.casefold() and item["URL"] in line
        assert item["container-title"] in line and "Annotated reading archive" in line


def segments(line: str) -> list[str]:
    """A reference as comparable pieces: citeproc-py 0.11's known defects undone (it repeats a
    variable that stands in for a missing author, writes "Retrieved" before an address when there
    is no date, and leaves a full stop outside closing quotation marks), case folded."""
    line = line.replace(".”", "”.").replace("Retrieved ", "").casefold()
    out: list[str] = []
    for piece in re.split(r"(?<=[.?!”])\s+", line):
        if piece.rstrip(".") not in (p.rstrip(".") for p in out):
            out.append(piece)
    return out


def test_the_apa_and_chicago_lines_say_what_citeproc_says(site) -> None:
    # The article with every field: the same words, character for character.
    full = cite(site, SLUG_003)
    (item,) = json.loads(citation.csl_json(full))
    assert text_of(citation.apa(full)) == render(item, "apa")
    assert text_of(citation.chicago(full)).replace(".”", "”.") == render(item, "chicago-author-date-16th-edition")
    # The undated article without an author: the same pieces in the same order.
    bare = cite(site, SLUG_000)
    (item,) = json.loads(citation.csl_json(bare))
    assert "author" not in item and "issued" not in item
    assert segments(text_of(citation.apa(bare))) == segments(render(item, "apa"))
    assert segments(text_of(citation.chicago(bare))) == segments(render(item, "chicago-author-date-16th-edition"))
    assert text_of(citation.apa(bare)).startswith(
        "The U.S Military considers re-establishing its Presence in Libya. (n.d.)."
    )


def test_bibtex_is_parsed_by_bibtexparser(site) -> None:
    _, pages = site
    library = bibtexparser.parse_string(pages[f"articles/{SLUG_003}/{SLUG_003}.bib"])
    assert not library.failed_blocks
    (entry,) = library.entries
    fields = entry.fields_dict
    assert entry.entry_type == "article" and entry.key == SLUG_003
    assert fields["author"].value == "Ditz, Jason"
    assert (
        fields["title"].value
        == "{US Looks to Dramatically Escalate Involvement in Libya, Setting Up a Permanent Military Base}"
    )
    assert fields["journal"].value == "Global Research" and fields["entrysubtype"].value == "newspaper"
    assert (fields["year"].value, fields["month"].value, fields["date"].value) == ("2017", "jul", "2017-07-12")
    assert fields["url"].value == f"https://archive.example.org/articles/{SLUG_003}/"
    bare = bibtexparser.parse_string(pages[f"articles/{SLUG_000}/{SLUG_000}.bib"])
    assert (
        not bare.failed_blocks
        and "author" not in bare.entries[0].fields_dict
        and "year" not in bare.entries[0].fields_dict
    )


def test_ris_is_parsed_by_rispy(site) -> None:
    _, pages = site
    text = pages[f"articles/{SLUG_003}/{SLUG_003}.ris"]
    assert text.endswith("ER  - \r\n") and "\n" not in text.replace("\r\n", "")
    (record,) = rispy.loads(text)
    assert record["type_of_reference"] == "NEWS"
    assert record["title"].startswith("US Looks to Dramatically Escalate")
    assert record["authors"] == ["Ditz, Jason"]
    assert (record["year"], record["date"]) == ("2017", "2017/07/12")
    assert record["secondary_title"] == "Global Research" and record["publisher"] == "Global Research"
    assert record["urls"] == [f"https://archive.example.org/articles/{SLUG_003}/"]
    assert record["name_of_database"] == "Annotated reading archive"
    assert "first published by Antiwar.com, 10 July 2017" in record["notes"][0]
    assert rispy.loads(rispy.dumps([record]))[0]["urls"] == record["urls"]


def test_a_name_is_split_only_when_it_reads_as_a_persons() -> None:
    read = citation.Name.read
    assert read("Jason Ditz") == citation.Name(family="Ditz", given="Jason")
    assert read("Mary Ann O'Neil").initials() == "O'Neil, M. A."
    assert read("Jean-Paul Sartre").initials() == "Sartre, J.-P."
    for whole in ("Reuters", "Staff and agencies", "Ditz, Jason", "the editors", "UN News 2"):
        assert read(whole) == citation.Name(literal=whole), whole


def test_hostile_metadata_cannot_break_out_of_a_field(site) -> None:
    loaded, _ = site
    article = next(a for a in loaded.articles if a.slug == SLUG_003)
    meta = dataclasses.replace(article.meta, title=HOSTILE, author=HOSTILE, publisher=HOSTILE)
    hostile = citation.Citation.of(dataclasses.replace(article, meta=meta), "https://archive.example.org/", HOSTILE)
    one_line = citation.plain(HOSTILE)
    assert "\n" not in one_line and "\u2028" not in one_line
    library = bibtexparser.parse_string(citation.bibtex(hostile), append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks and len(library.entries) == 1
    fields = library.entries[0].fields_dict
    assert sorted(fields) == sorted(
        ["author", "title", "journal", "journaltitle", "entrysubtype", "date", "year", "month", "origpublisher",
         "origdate", "url", "langid", "note"]
    )  # fmt: skip
    # Decoded from LaTeX, each value is the text as given (pylatexenc reads \textasciicircum as "ˆ").
    for name in ("author", "title", "journal"):
        assert fields[name].value == one_line.replace("^", "ˆ"), name
    records = rispy.loads(citation.ris(hostile))
    assert len(records) == 1 and records[0]["type_of_reference"] == "NEWS" and records[0]["title"] == one_line
    (item,) = json.loads(citation.csl_json(hostile))
    assert item["title"] == one_line
    for html in (citation.apa(hostile), citation.chicago(hostile), citation.cite_box(hostile)):
        assert "<script>" not in html
    assert citation.highwire(hostile)["title"] == one_line  # the template escapes it (overrides/main.html)


def test_without_site_url_the_citations_give_no_address(site) -> None:
    loaded, _ = site
    article = next(a for a in loaded.articles if a.slug == SLUG_003)
    bare = citation.Citation.of(article, None, "Annotated reading archive")
    assert "URL" not in json.loads(citation.csl_json(bare))[0]
    assert "url" not in citation.highwire(bare) and "UR  -" not in citation.ris(bare)
    assert "no address set (site_url)" in citation.cite_box(bare)


def test_the_page_head_values_follow_zoteros_rules(site) -> None:
    data = citation.highwire(cite(site, SLUG_003))
    assert data == {
        "title": "US Looks to Dramatically Escalate Involvement in Libya, Setting Up a Permanent Military Base",
        "language": "en",
        "authors": ["Ditz, Jason"],
        "date": "2017/07/12",
        "publisher": "Global Research",
        "url": f"https://archive.example.org/articles/{SLUG_003}/",
    }
    # An author that is not a person's name is no citation_author (Zotero would make a person of it).
    loaded, _ = site
    article = next(a for a in loaded.articles if a.slug == SLUG_003)
    desk = dataclasses.replace(article, meta=dataclasses.replace(article.meta, author="Reuters"))
    assert "authors" not in citation.highwire(citation.Citation.of(desk, None, "x"))
    assert dt.date(2017, 7, 12) == article.meta.date
