"""The cleaner removes publisher chrome, keeps every word of the article, and says what it removed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.errors import RulesError
from generator.inputs.articles import read_source
from generator.inputs.rules import load_rules
from generator.stages.clean import clean, clean_source

from ..conftest import REPO, run_archive

RULES = load_rules(REPO / "rules")
SEED_ARTICLES = sorted(p for p in (REPO / "articles").glob("*.md"))
GR_ARTICLE = REPO / "articles" / "2017-07-12-us-looks-to-escalate-involvement-in-libya.md"
CHROME = [
    "Global Research",
    "Disclaimer",
    "Become a Member",
    "Featured image",
    "fair use",
    "For media inquiries",
    "Region:",
    "Theme:",
    "In-depth Report",
    "View all posts",
    "Articles by",
    "original source of this article",
    "Copyright",
    "Facebook",
    "publications@globalresearch.ca",
]


def source_words(body: str) -> list[str]:
    """The words of a received article, read independently of the cleaner: link targets and
    emphasis marks dropped, split at white space."""
    text = re.sub(r"\]\([^)]*\)", "", body)
    text = text.replace("[", "").replace("]", "").replace("*", "")
    return text.split()


def test_seed_articles_are_present() -> None:
    assert len(SEED_ARTICLES) == 2


@pytest.mark.parametrize("path", SEED_ARTICLES, ids=lambda p: p.stem)
def test_cleaned_words_are_the_source_words_minus_removed_passages(path: Path) -> None:
    source = read_source(path)
    article = clean(source, RULES)
    cleaned = [w for block in article.blocks for w in block.text.split()]
    removed = [r.text.split() for r in article.removals if not r.kept_words]
    # Walk the source: every word starts the next removed passage (which must then match word
    # for word) or is the next cleaned word.
    words = source_words(source.body)
    i = j = k = 0
    while i < len(words):
        if k < len(removed) and words[i : i + len(removed[k])] == removed[k]:
            i, k = i + len(removed[k]), k + 1
            continue
        assert j < len(cleaned) and words[i] == cleaned[j], f"word {words[i]!r} (#{i}) is neither kept nor removed"
        i, j = i + 1, j + 1
    assert j == len(cleaned) and k == len(removed)


@pytest.mark.parametrize("path", SEED_ARTICLES, ids=lambda p: p.stem)
def test_no_publisher_chrome_or_dead_links_remain(path: Path) -> None:
    article = clean(read_source(path), RULES)
    for phrase in CHROME:
        assert phrase not in article.text
    assert "(#)" not in article.text and "[" not in article.text
    assert all(span.target not in ("#", "") for b in article.blocks for span in b.spans if span.kind == "link")


def test_the_body_is_the_seed_file_byte_for_byte() -> None:
    seeds = REPO.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("the seed folder is not beside the repository")
    bodies = {read_source(p).body for p in SEED_ARTICLES}
    assert bodies == {p.read_text(encoding="utf-8") for p in seeds.glob("*.txt")}


def test_report_names_each_rule_and_line() -> None:
    article = clean(read_source(GR_ARTICLE), RULES)
    report = {(r.rule, r.line, r.text) for r in article.removals}
    assert ("byline", 18, "By Jason Ditz") in report
    assert ("disclaimer", 52, article.removals[-3].text) in report
    assert ("view-all-posts", 38, "View all posts by Jason Ditz") in report
    assert ("media-inquiries", 56, "For media inquiries: publications@globalresearch.ca") in report
    assert sum(1 for r in article.removals if r.rule == "dead-link") == 2
    assert [r.rule for r in article.removals if not r.kept_words] == [
        "title", "byline", "publisher-dateline", "original-dateline",
        "topic-labels", "topic-labels", "topic-labels", "view-all-posts",
        "featured-image", "original-source", "copyright", "social-prompt",
        "membership-prompt", "articles-by", "disclaimer", "fair-use", "media-inquiries",
    ]  # fmt: skip


def test_metadata_is_read_from_the_header_when_front_matter_lacks_it(tmp_path: Path) -> None:
    body = read_source(GR_ARTICLE).body
    path = tmp_path / "no-front-matter.md"
    path.write_text(body, encoding="utf-8")
    article = clean(read_source(path), RULES)
    meta = article.meta
    assert meta.title == "US Looks to Dramatically Escalate Involvement in Libya, Setting Up a Permanent Military Base"
    assert (meta.author, meta.publisher, str(meta.date)) == ("Jason Ditz", "Global Research", "2017-07-12")
    assert (meta.original_publisher, str(meta.original_date)) == ("Antiwar.com", "2017-07-10")
    assert meta.sources == {
        "author": "byline",
        "date": "publisher-dateline",
        "original_date": "original-dateline",
        "original_publisher": "original-dateline",
        "publisher": "publisher-dateline",
        "title": "headline",
    }
    assert article.blocks[0].text == "Permanent US Military Presence Considered"


def test_front_matter_wins_over_the_header(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_text("---\ntitle: Given\nauthor: Someone Else\n---\nBy Jason Ditz\n\n" + "word " * 30, encoding="utf-8")
    article = clean(read_source(path), RULES)
    assert article.meta.author == "Someone Else" and "author" not in article.meta.sources
    assert article.removals[0].rule == "byline"


def test_emphasis_and_real_links_are_kept_dead_links_made_plain(tmp_path: Path) -> None:
    path = tmp_path / "links.md"
    path.write_text(
        "---\ntitle: Links\n---\n"
        "A *quiet* and **loud** word, a [real link](https://example.org/a) and a [dead one](#) and [another]().\n",
        encoding="utf-8",
    )
    article = clean(read_source(path), RULES)
    block = article.blocks[0]
    assert block.text == "A quiet and loud word, a real link and a dead one and another."
    kinds = [(s.kind, block.text[s.start : s.end], s.target) for s in block.spans]
    assert kinds == [("em", "quiet", ""), ("strong", "loud", ""), ("link", "real link", "https://example.org/a")]
    assert [(r.rule, r.text, r.kept_words) for r in article.removals] == [
        ("dead-link", "dead one", True),
        ("dead-link", "another", True),
    ]


def test_an_article_with_no_title_anywhere_is_shown_under_its_first_words_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "untitled.md"
    path.write_text("By Jason Ditz\n\n" + "word " * 40, encoding="utf-8")
    cleaned = clean_source(read_source(path), RULES)
    assert cleaned.article.meta.title == "word word word word word word word word word word…"
    assert [str(p) for p in cleaned.problems] == [
        f"{path}:1: the article has no title: its front matter gives none and no line of its header reads as a "
        "headline; it is shown as 'word word word word word word word word word word…' until you add 'title: …' "
        "to its front matter (or a headline line on top)"
    ]


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (
            "blocks:\n  - id: bad\n    description: d\n    match: '([a-z'\n",
            ":2: rule 'bad': invalid regular expression",
        ),
        (
            "header:\n  - id: g\n    description: d\n    match: '(?P<colour>x)'\n",
            ":2: rule 'g': unknown group 'colour'",
        ),
        ("blocks:\n  - id: Bad Id\n    description: d\n    match: x\n", ":2: blocks.0.id: 'Bad Id' is not a valid id"),
        (
            "blocks:\n  - id: x\n    description: d\n    descripton: d\n    match: x\n",
            ":4: blocks.0.descripton: unknown field (a misspelling?)",
        ),
        ("blocks: []\nblocks: []\n", ":2: 'blocks' is written twice in the file; keep one"),
    ],
)
def test_bad_rules_are_reported_with_file_and_line(tmp_path: Path, rules: str, message: str) -> None:
    path = tmp_path / "cleaning.yml"
    path.write_text(rules, encoding="utf-8")
    with pytest.raises(RulesError) as caught:
        load_rules(path)
    assert caught.value.format_message().startswith(str(path) + message)


def test_an_editor_can_add_a_rules_file_for_another_publisher(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    shutil.copytree(REPO / "rules", folder)
    (folder / "other-publisher.yml").write_text(
        "blocks:\n  - id: briefing\n    description: Daily briefing prompt\n    match: '^Read our daily briefing\\b'\n"
        "    examples: [Read our daily briefing by email!]\n",
        encoding="utf-8",
    )
    path = tmp_path / "other.md"
    path.write_text(
        "---\ntitle: Other\n---\nThe article's own words.\n\nRead our daily briefing by email!\n", encoding="utf-8"
    )
    article = clean(read_source(path), load_rules(folder))
    assert article.text == "The article's own words."
    assert [r.rule for r in article.removals] == ["briefing"]


def test_a_rule_that_backtracks_without_end_stops_the_build_at_its_line(project: Path) -> None:
    """`(a|aa)+$` takes about 2**n steps on n letters followed by a mark; Python's `re` would
    hang on this paragraph. The build stops instead, naming the rule and the paragraph, and the
    pages already generated are kept."""
    run_archive("generate", cwd=project, check=True)
    before = {p: p.read_bytes() for p in (project / "site_src" / "articles").rglob("*.md")}
    rules = project / "rules" / "runaway.yml"
    rules.write_text("# backtracks\nblocks:\n  - id: runaway\n    description: Runaway\n    match: '(a|aa)+$'\n")
    rule_line = 3
    article = project / "articles" / "2017-07-12-us-looks-to-escalate-involvement-in-libya.md"
    text = article.read_text(encoding="utf-8").rstrip("\n")
    article.write_text(text + "\n\n" + "a" * 60 + "!\n", encoding="utf-8")
    paragraph_line = len(text.splitlines()) + 2

    result = run_archive("generate", cwd=project)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"rules/runaway.yml:{rule_line}: rule 'runaway' searched the paragraph at " in result.stderr
    assert f"{article.name}:{paragraph_line} for more than 1 s and was stopped" in result.stderr
    assert before == {p: p.read_bytes() for p in (project / "site_src" / "articles").rglob("*.md")}
