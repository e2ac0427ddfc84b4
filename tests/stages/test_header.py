# ruff: noqa: E501 (test data: whole articles on one line)
"""Reading how articles start: dates, bylines, the headline, chrome above it; and the guards.

Each case is a small article as it comes from a publisher's page, cleaned with the bundled rules;
the corpus (``test_corpus_gate.py``) measures the same on 38 whole articles.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.inputs.articles import read_source
from generator.inputs.rules import load_rules
from generator.stages.clean import Cleaned, clean_source
from generator.stages.dates import choose, date_line
from generator.stages.header import read_line

from ..conftest import REPO, run_archive

RULES = load_rules(REPO / "rules")
BODY = (
    "Councillors have approved a £4 million repair of the eastern harbour wall, but pushed back a long-promised "
    "refurbishment of the central library by at least a year, after a budget meeting that ran past midnight."
)


def cleaned(tmp_path: Path, text: str, rules_dir: Path | None = None) -> Cleaned:
    path = tmp_path / "probe.txt"
    path.write_text(text, encoding="utf-8")
    return clean_source(read_source(path), load_rules(rules_dir) if rules_dir else RULES)


@pytest.mark.parametrize(
    ("line", "date", "kind"),
    [
        ("March 12, 2024 6:41 AM GMT · Updated 2 hours ago", "2024-03-12", "plain"),
        ("Mon 4 Mar 2024 09.12 GMT", "2024-03-04", "plain"),
        ("Posted: 3 May 2021 | Last updated: 4 May 2021", "2021-05-03", "published"),
        ("Published: 11:32 BST, 3 May 2021 | Updated: 14:05 BST, 3 May 2021", "2021-05-03", "published"),
        ("Updated 9:41 AM EST, Tue March 5, 2024", "2024-03-05", "updated"),
        ("2022-11-30", "2022-11-30", "plain"),
        ("2024-02-20 08:47 GMT", "2024-02-20", "plain"),
        ("Saturday 9 March 2024 17:45, UK", "2024-03-09", "plain"),
        ("Sept. 12, 2023", "2023-09-12", "plain"),
        ("June 5th, 2022", "2022-06-05", "plain"),
        ("Published: 18/01/2024", "2024-01-18", "published"),
        ("March 21, 2024 at 6:15 p.m. EST", "2024-03-21", "plain"),
        ("May 15 2023", "2023-05-15", "plain"),
    ],
)
def test_dates_as_headers_write_them(line: str, date: str, kind: str) -> None:
    dates, whole = date_line(line)
    chosen = choose(dates)
    assert whole and chosen is not None
    assert (chosen.date, chosen.kind) == (dt.date.fromisoformat(date), kind)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("February 30, 2017", "not a date of the calendar"),
        ("03/04/2024", "it reads as 3 April 2024 or as 4 March 2024"),
    ],
)
def test_a_date_that_is_not_one_says_why(line: str, problem: str) -> None:
    (found,) = date_line(line)[0]
    assert found.date is None and found.problem == problem


@pytest.mark.parametrize(
    "sentence",
    ["Updated figures released on Tuesday show a sharper fall than first reported.", "In May 2019 the council met."],
)
def test_a_sentence_with_a_date_is_not_a_dateline(sentence: str) -> None:
    assert not date_line(sentence)[1]


@pytest.mark.parametrize(
    ("line", "kind", "authors", "outlets"),
    [
        ("By Anneke de Vries", "byline", ["Anneke de Vries"], []),
        ("By Lina Park, Omar Haddad and Sofia Brandt", "byline", ["Lina Park", "Omar Haddad", "Sofia Brandt"], []),
        ("By Nadia Brooks, Media Correspondent", "byline", ["Nadia Brooks"], []),
        ("By Kai Ng, Atlas Press Association", "byline", ["Kai Ng"], ["Atlas Press Association"]),
        ("By JANE OKORO | The Valley Herald", "byline", ["JANE OKORO"], ["The Valley Herald"]),
        ("Priya Raman Health policy editor", "byline", ["Priya Raman"], []),
        ("Court reporter Simon Varga", "byline", ["Simon Varga"], []),
        ("Posted on April 2, 2023 by Marta", "byline", ["Marta"], []),
        ("Words by Laura Kim · Photographs by Jonas Berg", "byline", ["Laura Kim"], []),
        ("By Oskar Lind | 14 February 2024 | 4 min read", "byline", ["Oskar Lind"], []),
        ("Staff report", "byline", [], []),
        ("Harbour Times, March 4, 2024", "dateline", [], ["Harbour Times"]),
        ("Sports Reporter", "role", [], []),
        ("Oslo Harbour Fund", "outlet", [], ["Oslo Harbour Fund"]),
        ("Ben Carter", "name", ["Ben Carter"], []),
    ],
)
def test_bylines_are_split_into_authors_roles_outlets_and_dates(
    line: str, kind: str, authors: list[str], outlets: list[str]
) -> None:
    read = read_line(line)
    assert read is not None and (read.kind, read.authors, read.outlets) == (kind, authors, outlets)


@pytest.mark.parametrize(
    "sentence",
    [
        "By midnight, more than 2,000 people had signed.",
        "By contrast, the northern districts stayed dry.",
        "The Glass Orchard by Mira Castell (Harlow Books, 352 pp., $28)",
        "Councillors chose sea defences over services after a winter of storm damage along the front.",
        "LAGOS, Nigeria (Meridian Press) — Fuel queues returned to the city on Monday.",
    ],
)
def test_sentences_that_start_like_bylines_are_not_read_as_bylines(sentence: str) -> None:
    assert read_line(sentence) is None


def test_the_issues_example_byline_over_dateline_under_navigation(tmp_path: Path) -> None:
    text = (
        "Harbour Times | News | Sport | Opinion | What's On\nSign in | Subscribe\n\nNews › Local › Politics\n\n"
        "Council backs £4m harbour wall repair\n\nCouncillors chose sea defences over services.\n\n"
        f"By Anneke de Vries\nHarbour Times, March 4, 2024\n\nShare this article\n\n{BODY}\n"
    )
    result = cleaned(tmp_path, text)
    meta = result.article.meta
    assert (meta.title, meta.author, meta.publisher, meta.date) == (
        "Council backs £4m harbour wall repair",
        "Anneke de Vries",
        "Harbour Times",
        dt.date(2024, 3, 4),
    )
    assert [b.text for b in result.article.blocks] == ["Councillors chose sea defences over services.", BODY]
    assert [(r.line, r.rule) for r in result.article.removals] == [
        (1, "navigation"),
        (2, "account-links"),
        (4, "navigation"),
        (6, "title"),
        (10, "byline"),
        (11, "dateline"),
        (13, "share-buttons"),
    ]
    assert meta.sources == {"author": "byline", "date": "dateline", "publisher": "dateline", "title": "headline"}
    assert result.problems == ()


def test_a_masthead_and_labels_above_the_headline_are_chrome(tmp_path: Path) -> None:
    text = f"THE READING ROOM\nReviews · Essays · Interviews\n\nEXCLUSIVE\n\nA saga that ripens slowly\n\nReviewed by Eleanor Voss\nDecember 1, 2023\n\n{BODY}\n"
    result = cleaned(tmp_path, text)
    meta = result.article.meta
    assert (meta.title, meta.author, meta.publisher) == (
        "A saga that ripens slowly",
        "Eleanor Voss",
        "The Reading Room",
    )
    assert [r.rule for r in result.article.removals][:3] == ["above-headline", "navigation", "banner"]


def test_a_dateline_in_the_first_paragraph_stays_in_the_text(tmp_path: Path) -> None:
    lead = "PORTO, Portugal (Meridian Press) — A strike kept container ships idling off the port for a third day."
    result = cleaned(
        tmp_path, f"Dock workers' strike halts Porto\n\nBy Tomás Ferreira\n4 min read\n\n{lead}\n\n{BODY}\n"
    )
    assert [b.text for b in result.article.blocks] == [lead, BODY]
    assert result.article.meta.author == "Tomás Ferreira"


def test_front_matter_wins_and_the_header_lines_still_go(tmp_path: Path) -> None:
    text = (
        "---\ntitle: Swing bridge to reopen\nauthor: Lena Hart\ndate: 2023-06-02\n---\n\n"
        f"Harbour Times | News | Sport | Opinion\n\nSwing bridge to reopen\n\nBy L. Hart\nJune 1, 2023\n\n{BODY}\n"
    )
    result = cleaned(tmp_path, text)
    meta = result.article.meta
    assert (meta.author, meta.date, meta.publisher) == ("Lena Hart", dt.date(2023, 6, 2), "Harbour Times")
    assert [b.text for b in result.article.blocks] == [BODY]
    assert "author" not in meta.sources and "date" not in meta.sources


def test_a_front_matter_title_with_no_headline_in_the_text_guesses_nothing(tmp_path: Path) -> None:
    text = f"---\ntitle: Birds on the estuary\n---\n\nPermanent survey planned\n\n{BODY}\n"
    result = cleaned(tmp_path, text)
    assert [b.text for b in result.article.blocks] == ["Permanent survey planned", BODY]


def test_short_paragraphs_after_the_byline_are_the_articles_text(tmp_path: Path) -> None:
    text = f"Petition to save the meadow passes 2,000\n\nWords: Ruth Alder\nPublished 2 May 2024\n\nBy midnight, more than 2,000 people had signed.\n\n{BODY}\n"
    result = cleaned(tmp_path, text)
    assert [b.text for b in result.article.blocks] == ["By midnight, more than 2,000 people had signed.", BODY]
    assert (result.article.meta.author, result.article.meta.date) == ("Ruth Alder", dt.date(2024, 5, 2))


def test_a_published_date_wins_over_an_updated_one(tmp_path: Path) -> None:
    text = f"Flood defences held\n\nBy Maria Lopez and Tom Reed\nUpdated March 5, 2024, 2:10 PM ET\nPublished March 4, 2024, 6:00 PM ET\n\n{BODY}\n"
    meta = cleaned(tmp_path, text).article.meta
    assert (meta.author, meta.date) == ("Maria Lopez and Tom Reed", dt.date(2024, 3, 4))


def test_a_box_of_chrome_lines_and_a_related_list_go_line_by_line(tmp_path: Path) -> None:
    text = (
        f"---\ntitle: T\n---\n\n{BODY}\n\nGet the Harbour Times morning briefing\n"
        "The day's local news in your inbox at 7am. Free, every weekday.\nSign up\n\n"
        "Read Next\nSpain's ports brace for delays\nContainer rates climb for second week\n"
    )
    result = cleaned(tmp_path, text)
    assert [b.text for b in result.article.blocks] == [BODY]
    assert [r.rule for r in result.article.removals] == ["newsletter-prompt"] * 3 + ["related-list"] * 3


def test_a_hard_wrapped_paragraph_is_read_whole(tmp_path: Path) -> None:
    wrapped = (
        "Oslo, 2 October 2023 -- The Oslo Harbour Fund today announced that it\n"
        "will invest NOK 200 million over the next three years in projects that\n"
        "cut emissions from ships calling at the port.\n"
    )
    result = cleaned(
        tmp_path, f"FOR IMMEDIATE RELEASE\n\nOslo Harbour Fund commits NOK 200 million\n\n{wrapped}\n-30-\n"
    )
    assert [b.text for b in result.article.blocks] == [" ".join(wrapped.split())]
    assert result.article.meta.title == "Oslo Harbour Fund commits NOK 200 million"


# --- the guards: whatever the rules say, a rule that takes the article's words is named ------------


def probe_rules(tmp_path: Path, rules: str) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "probe.yml").write_text(rules, encoding="utf-8")
    return folder


def test_an_inline_rule_inside_a_word_is_named(tmp_path: Path) -> None:
    folder = probe_rules(tmp_path, "inline:\n  - id: probe-on\n    description: d\n    match: 'on'\n")
    result = cleaned(tmp_path, f"---\ntitle: T\n---\n\n{BODY}\n", folder)
    assert str(result.problems[0]) == (
        f"{tmp_path / 'probe.txt'}:5: rule 'probe-on' ({folder / 'probe.yml'}:2) removed 'on' from inside the word "
        "'million'; a cleaning rule must remove whole words of chrome: anchor its pattern with \\b"
    )


def test_an_inline_rule_in_the_middle_of_a_sentence_is_named(tmp_path: Path) -> None:
    folder = probe_rules(tmp_path, "inline:\n  - id: probe\n    description: d\n    match: '\\bharbour wall\\b'\n")
    result = cleaned(tmp_path, f"---\ntitle: T\n---\n\n{BODY}\n", folder)
    assert "removed 'harbour wall' from the middle of a sentence" in str(result.problems[0])


def test_a_rule_taking_a_large_share_of_an_article_is_named(tmp_path: Path) -> None:
    folder = probe_rules(tmp_path, "blocks:\n  - id: probe-library\n    description: d\n    match: '\\blibrary\\b'\n")
    other = "The wall, parts of which date from the 1880s, was breached twice during the storms of January."
    result = cleaned(tmp_path, f"---\ntitle: T\n---\n\n{other}\n\n{BODY}\n", folder)
    assert [b.text for b in result.article.blocks] == [other]
    assert str(result.problems[0]) == (
        f"{tmp_path / 'probe.txt'}:7: rule 'probe-library' ({folder / 'probe.yml'}:2) removed 35 of 52 words of this "
        "article (67%); check that it matches only publisher chrome"
    )


def test_the_bundled_rules_raise_no_warning_on_the_bundled_articles() -> None:
    for path in sorted((REPO / "articles").glob("*.md")):
        assert clean_source(read_source(path), RULES).problems == (), path


def test_a_sentence_taken_for_chrome_above_the_headline_is_said(tmp_path: Path) -> None:
    text = f"The council said on Monday that it would meet again next week.\n\nCouncil to meet again\n\nBy Jo Smith\n\n{BODY}\n"
    result = cleaned(tmp_path, text)
    assert result.article.meta.title == "Council to meet again"
    assert [str(p) for p in result.problems] == [
        f"{tmp_path / 'probe.txt'}:1: 'The council said on Monday that it would meet again next we…' was taken for "
        "chrome above the headline (line 3) and left out; if it is the article's text, give the article's title in "
        "its front matter"
    ]


def test_a_text_without_a_header_does_not_stop_the_others(project: Path) -> None:
    (project / "articles" / "pasted.txt").write_text(f"{BODY}\n\n{BODY}\n", encoding="utf-8")
    result = run_archive("check", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning: articles/pasted.txt:1: the article has no title" in result.stderr
    assert "3 articles checked, no errors; 1 warning: a push would be refused" in result.stdout
    strict = run_archive("check", "--strict", cwd=project)
    assert strict.returncode == 1 and "articles/pasted.txt:1: the article has no title" in strict.stderr


@pytest.mark.parametrize(
    ("line", "authors", "outlets"),
    [
        ("By John Smith, Reuters", ["John Smith"], ["Reuters"]),
        ("By Sam Ortega in Madrid", ["Sam Ortega"], []),
    ],
)
def test_wire_bylines_name_the_agency_and_where_the_reporter_filed(
    line: str, authors: list[str], outlets: list[str]
) -> None:
    read = read_line(line)
    assert read is not None and (read.authors, read.outlets) == (authors, outlets)


def test_a_name_alone_is_a_byline_only_beside_a_dateline(tmp_path: Path) -> None:
    beside = cleaned(tmp_path, f"Harbour wall repair approved\n\nBen Carter\nMarch 4, 2024\n\n{BODY}\n")
    assert (beside.article.meta.author, beside.article.meta.date) == ("Ben Carter", dt.date(2024, 3, 4))
    alone = cleaned(tmp_path, f"---\ntitle: T\n---\n\nHarbour Walk\n\n{BODY}\n")
    assert alone.article.meta.author is None and alone.article.blocks[0].text == "Harbour Walk"
