"""Text Fragment links: the directive names the quoted words with whole words of their paragraph
around them, percent-encoded so that the directive's own syntax (``-``, ``,``, ``&``) cannot occur
in a term."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

from generator.inputs.notes_file import Note
from generator.model import Article, Block, Meta
from generator.render import feeds
from generator.render.fragments import note_links, passage_link, text_directive
from generator.stages.anchor import Anchor, AnchoredNote
from generator.stages.staged import Staged
from generator.stages.summary import summarize

ATOM = "{http://www.w3.org/2005/Atom}"


def article(*blocks: str) -> Article:
    return Article("a", Path("articles/a.md"), Meta(title="A"), tuple(Block(b) for b in blocks))


def anchor(art: Article, words: str) -> Anchor:
    start = art.text.index(words)
    return Anchor(start, start + len(words), words)


def note(kind: str = "context") -> Note:
    return Note("n", kind, "q", "", "", "b", "b", (), (), "A", dt.date(2026, 1, 1), Path("x"), 1, 1, 1)  # type: ignore[arg-type]


def terms(directive: str) -> list[str]:
    assert directive.startswith("text=")
    return [unquote(term) for term in directive.removeprefix("text=").split(",")]


def test_the_words_are_named_with_whole_words_of_their_paragraph() -> None:
    art = article(
        "First paragraph ends here.", "One two three four five six-seven, the quoted words & more after them all here."
    )
    directive = text_directive(art, anchor(art, "the quoted words"))
    assert terms(directive) == ["three four five six-seven,-", "the quoted words", "-& more after them"]
    assert "-" not in directive.removeprefix("text=").replace("-,", "").replace(",-", "")  # hyphens encoded
    assert "%2C" in directive and "%26" in directive  # "," and "&" inside terms are encoded


def test_a_long_or_split_quote_is_named_by_its_ends() -> None:
    art = article("Before it " + " ".join(f"w{i}" for i in range(12)) + " after it.", "Second block.")
    long = anchor(art, " ".join(f"w{i}" for i in range(12)))
    assert terms(text_directive(art, long)) == ["Before it-", "w0 w1 w2 w3", "w8 w9 w10 w11", "-after it."]
    art = article("Some words at the end of one", "and the start of the next paragraph here.")
    split = anchor(art, "end of one\n\nand the start")
    assert terms(text_directive(art, split)) == [
        "Some words at the-",
        "end of one",
        "and the start",
        "-of the next paragraph",
    ]


def test_words_that_fill_their_paragraph() -> None:
    art = article("A heading", "A paragraph.")
    whole = anchor(art, "A heading")
    assert terms(text_directive(art, whole)) == ["A heading"]
    # A correction's words are quoted in the summary box above the text: the bare words would lead
    # there, so the link gives the id alone.
    assert text_directive(art, whole, quoted_above=True) is None
    assert passage_link("p/", art, note("correction"), whole) == "p/#anchor-n"
    assert passage_link("p/", art, note(), whole) == "p/#anchor-n:~:text=A%20heading"


def test_the_corrections_feed_links_to_the_words() -> None:
    art = article("The army held the east of the country, officials said.")
    item = AnchoredNote(note(), anchor(art, "the east of the country"), 1)
    # The feed is made from the article's summary, which holds where each note's link goes.
    summary, _ = summarize(Staged(art, (item,), (), ()))
    links = note_links(art, [item])
    summary = replace(summary, notes=tuple(replace(head, link=links[head.id]) for head in summary.notes))
    root = ET.fromstring(
        feeds.notes_feed(
            [summary],
            lambda slug: [item],
            "Archive",
            "https://archive.example.org/",
            dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        )
    )
    link = root.find(f"{ATOM}entry/{ATOM}link[@rel='alternate']").get("href")
    assert (
        link
        == "https://archive.example.org/articles/a/#anchor-n:~:text=The%20army%20held-,the%20east%20of%20the%20country,-%2C%20officials%20said."
    )
    assert root.find(f"{ATOM}entry/{ATOM}id").text == "https://archive.example.org/articles/a/#note-n"
