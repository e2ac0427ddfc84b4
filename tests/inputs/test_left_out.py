"""What the extractor left out of a saved page is listed passage by passage, on made-up and real pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from generator.inputs.extract import extract_html
from generator.inputs.left_out import left_out

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"

PAGE = """<html><head><title>T</title><style>p { color: red }</style></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<article>
<h1>Council approves the new bridge</h1>
<p>The city council approved the <a href="/b">new bridge</a> on Tuesday after a long debate about its cost.</p>
<p>Work will start in the spring and should end two years later, the mayor said at a press conference.</p>
<div class="standfirst">A second vote on the tolls is expected next month, officials told reporters on Wednesday.
<p>Inner paragraph of the div that the extractor kept in full, word for word.</p>
Tail words</div>
</article>
<aside>Share: Facebook · X</aside>
<script>var hidden = "never shown to a reader";</script>
</body></html>"""

KEPT = (
    "Council approves the new bridge The city council approved the new bridge on Tuesday after a long debate "
    "about its cost. Inner paragraph of the div that the extractor kept in full, word for word."
)


def test_each_passage_the_article_lacks_is_listed_in_page_order() -> None:
    found = left_out(lxml_html.fromstring(PAGE), KEPT.split())
    texts = [p.text for p in found]
    assert texts == [
        "Home",
        "World",
        "Work will start in the spring and should end two years later, the mayor said at a press conference.",
        "A second vote on the tolls is expected next month, officials told reporters on Wednesday.",
        "Tail words",
        "Share: Facebook · X",
    ]
    prose = [p.text for p in found if p.reads_as_text]
    assert prose == texts[2:4]  # the two sentences of the article that were lost; the menu is not prose
    assert found[2].words == 19 and not found[0].reads_as_text


def test_a_page_kept_whole_leaves_nothing_out_and_case_or_punctuation_does_not_matter() -> None:
    tree = lxml_html.fromstring("<html><body><p>The Mayor said: “Yes.”</p><p>Done</p></body></html>")
    assert left_out(tree, "the mayor said yes done".split()) == ()
    assert left_out(None, ["x"]) == ()


@pytest.mark.parametrize("name", ["globalresearch-libya", "harbour-herald-tram", "valley-gazette-council"])
def test_on_saved_pages_the_chrome_is_listed_and_the_article_is_not(name: str) -> None:
    extracted = extract_html((FIXTURES / f"{name}.html").read_bytes())
    assert extracted is not None and extracted.left_out
    listed = " ".join(p.text for p in extracted.left_out)
    # every paragraph of the article as expected is kept, so none is listed as left out
    for paragraph in (FIXTURES / f"{name}.expected.txt").read_text(encoding="utf-8").strip().split("\n\n"):
        assert " ".join(paragraph.split()[:8]) not in listed, paragraph
    # what was left out adds up to the page's words the article does not hold, within the title and byline
    assert sum(p.words for p in extracted.left_out) <= extracted.page_words - extracted.text_words + 40


def test_passages_come_in_page_order_and_words_either_side_of_a_break_stay_apart() -> None:
    tree = lxml_html.fromstring(
        "<html><body><div>Intro <p>Inner</p> tail</div><p>The ferry left at noon<br>from the pier</p>"
        "<button>OK</button><button>Manage settings</button><p>Kept<wbr>word</p></body></html>"
    )
    found = [p.text for p in left_out(tree, ["kept", "word"])]
    assert found == ["Intro", "Inner", "tail", "The ferry left at noon from the pier", "OK Manage settings"]
