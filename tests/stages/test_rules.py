"""The bundled rules against text they have to leave alone and chrome they have to catch.

Every rule of ``rules/`` carries examples (checked when the rules are read, so an example a rule
does not match stops the run at the rule's line). Here: every bundled rule has examples; no rule
matches a paragraph that belongs to an article — the corpus's expected paragraphs, the paragraphs
of the saved pages of ``tests/fixtures/import/`` (written out by hand), the body sentences of the
chrome catalogue; and the catalogue's chrome, which is worded unlike the corpus, is all removed
(by a rule, or read by the header reader as a byline or a dateline).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from generator.errors import RulesError
from generator.inputs.articles import read_source
from generator.inputs.blocks import read_blocks
from generator.inputs.rules import load_rules
from generator.stages import header as reader

from ..conftest import REPO

RULES = load_rules(REPO / "rules")
CATALOGUE = yaml.safe_load((REPO / "tests" / "fixtures" / "chrome_catalogue.yml").read_text(encoding="utf-8"))
"""Chrome of 25 kinds in 3–7 wordings each, and body sentences of the same look (all invented)."""
UNSEEN = yaml.safe_load((REPO / "tests" / "fixtures" / "chrome_unseen.yml").read_text(encoding="utf-8"))
"""Chrome and body sentences written after the rules, as a check on wording they had not seen."""
READ_BY_THE_HEADER = ("timestamps-and-updates", "bylines")
"""Catalogue kinds the header reader takes (with their metadata), not a rule."""


def article_paragraphs() -> list[tuple[str, str]]:
    """(where, paragraph) for every paragraph known to be an article's own text."""
    found = []
    for path in sorted((REPO / "tests" / "fixtures" / "corpus").glob("*.expected.json")):
        found += [(path.name, p) for p in json.loads(path.read_text(encoding="utf-8"))["kept"]]
    for path in sorted((REPO / "tests" / "fixtures" / "import").glob("*.expected.txt")):
        found += [(path.name, p) for p in path.read_text(encoding="utf-8").strip().split("\n\n")]
    for kind, entry in CATALOGUE.items():
        found += [(f"catalogue {kind}", p) for p in entry.get("keep") or []]
    found += [("chrome_unseen.yml", p) for p in UNSEEN["keep"]]
    # The bundled NewsSpan article is its title line and paragraphs of its own text only.
    newsspan = read_source(REPO / "articles" / "us-military-considers-re-establishing-presence-in-libya.md")
    found += [(newsspan.path.name, block.text) for block in read_blocks(newsspan.body)[1:]]
    return found


def test_every_bundled_rule_has_examples_and_says_what_it_removes() -> None:
    assert {path.name for path in RULES.files} >= {"newsroom.yml", "globalresearch.yml"}
    assert RULES.problems == ()
    for rule in RULES.all:
        assert rule.examples, f"{rule.place}: rule {rule.id!r} has no examples"
        assert rule.description.strip()


def test_no_rule_matches_an_articles_own_paragraph() -> None:
    paragraphs = article_paragraphs()
    assert len(paragraphs) > 250
    hits = [
        f"{where}: {paragraph[:80]!r} is matched by {rule.id!r} ({rule.place})"
        for where, paragraph in paragraphs
        for rule in (*RULES.blocks, *RULES.inline)
        if rule.pattern.search(paragraph)
    ]
    assert not hits, "\n".join(hits)


@pytest.mark.parametrize("kind", [k for k in CATALOGUE if k not in READ_BY_THE_HEADER and k != "datelines-stay"])
def test_the_catalogues_chrome_is_removed_by_a_rule(kind: str) -> None:
    entry = CATALOGUE[kind]
    missed = [
        line
        for line in (*(entry.get("fixed") or []), *(entry.get("remove") or []))
        if not any(rule.pattern.search(line) for rule in (*RULES.header, *RULES.blocks))
    ]
    assert not missed, missed


def test_chrome_worded_unlike_the_rules_examples_is_removed() -> None:
    missed = [
        line for line in UNSEEN["remove"] if not any(r.pattern.search(line) for r in (*RULES.header, *RULES.blocks))
    ]
    assert not missed, missed


@pytest.mark.parametrize("kind", READ_BY_THE_HEADER)
def test_the_catalogues_bylines_and_timestamps_are_read_by_the_header_reader(kind: str) -> None:
    for line in CATALOGUE[kind]["remove"]:
        read = reader.read_line(line)
        assert read is not None and read.kind in ("byline", "dateline"), line
    for sentence in CATALOGUE[kind]["keep"]:
        assert reader.read_line(sentence) is None, sentence


def test_a_rules_file_is_checked_against_its_examples(tmp_path: Path) -> None:
    (tmp_path / "x.yml").write_text(
        "blocks:\n  - id: promo\n    description: d\n    match: '^Promo$'\n    examples: [Promo code]\n",
        encoding="utf-8",
    )
    with pytest.raises(RulesError) as caught:
        load_rules(tmp_path)
    assert caught.value.format_message() == (
        f"{tmp_path / 'x.yml'}:2: rule 'promo' does not match its own example 'Promo code'; fix the pattern"
    )
    (tmp_path / "x.yml").write_text(
        "blocks:\n  - id: promo\n    description: d\n    match: '^Promo'\n    keep: [Promotion was refused.]\n",
        encoding="utf-8",
    )
    with pytest.raises(RulesError, match="matches 'Promotion was refused.', which it must keep"):
        load_rules(tmp_path)


def test_rules_files_apply_in_the_order_of_their_names(tmp_path: Path) -> None:
    for name, rule in (("b.yml", "second"), ("a.yml", "first")):
        (tmp_path / name).write_text(f"blocks:\n  - id: {rule}\n    description: d\n    match: '^X$'\n")
    (tmp_path / "notes.txt").write_text("not rules\n")
    rules = load_rules(tmp_path)
    assert [r.id for r in rules.blocks] == ["first", "second"]
    assert [path.name for path in rules.files] == ["a.yml", "b.yml"]
    assert [str(p) for p in rules.problems] == [
        f"{tmp_path / 'notes.txt'}: not a rules file (rules files are .yml files); it is not read"
    ]


def test_the_combined_pre_check_finds_the_same_first_rule_as_trying_each() -> None:
    """Most paragraphs are tried against one alternation of the rules anchored at their start; a
    paragraph it passes over must be one that no rule matches, and the first rule is the same."""
    assert RULES.prefilter is not None and RULES.prefilter.pattern is not None
    texts = [p for _, p in article_paragraphs()]
    for entry in (*CATALOGUE.values(), UNSEEN):
        texts += [*(entry.get("remove") or []), *(entry.get("fixed") or [])]
    texts += [
        line
        for path in (REPO / "tests" / "fixtures" / "corpus").glob("*.txt")
        for line in path.read_text().splitlines()
    ]
    for text in texts:
        naive = next((rule for rule in RULES.blocks if rule.pattern.search(text)), None)
        found = RULES.first(RULES.blocks, text, Path("x"), 1)
        assert (found[0] if found else None) is naive, text
