"""Tables through the stages: cleaning keeps or removes a table whole, a note quotes one cell
(a quote across cells stops, naming both), names are found inside cells, the lock records the
table's block."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import NoteAnchorError
from generator.inputs.articles import read_source
from generator.inputs.blocks import read_blocks
from generator.inputs.registry import load_registry
from generator.inputs.rules import load_rules
from generator.model import Article, Meta
from generator.stages.anchor import anchor_notes, anchor_quote, record, with_note_spans
from generator.stages.clean import clean_source
from generator.stages.entities import find_entities

from ..conftest import REPO
from .test_anchor import note

RULES = load_rules(REPO / "rules")
LEAD = (
    "The three ferry routes to the western islands carried more passengers between June and August than "
    "in any summer since the harbour board began counting, the board said on Tuesday."
)
TABLE = (
    "| Route | Passengers | Change |\n|---|---|---|\n"
    "| Port Ellery – Inishmore | 148,200 | up 12% |\n| Port Ellery – Inisheer | 61,450 | up 4% |"
)


def cleaned(tmp_path: Path, body: str):  # noqa: ANN201
    path = tmp_path / "articles" / "t.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: Ferries\n---\n\n{body}\n", encoding="utf-8")
    return clean_source(read_source(path), RULES)


def table_article(*blocks: str) -> Article:
    """An article of *blocks* (Markdown) starting on line 1, as the reader reads them."""
    return Article("t", Path("articles/t.md"), Meta(title="T"), tuple(read_blocks("\n\n".join(blocks))))


# --- cleaning ------------------------------------------------------------------------------------


def test_a_table_comes_through_cleaning_whole(tmp_path: Path) -> None:
    result = cleaned(tmp_path, f"{LEAD}\n\n{TABLE}\n\nShare this article")
    lead, table = result.article.blocks
    assert table.kind == "table" and table.line == 7
    assert (
        table.text
        == "Route\tPassengers\tChange\nPort Ellery – Inishmore\t148,200\tup 12%\nPort Ellery – Inisheer\t61,450\tup 4%"
    )
    assert [r.rule for r in result.article.removals] == ["share-buttons"]


def test_inline_rules_apply_cell_by_cell_and_report_the_row(tmp_path: Path) -> None:
    body = (
        f"{LEAD}\n\n| Author | Role |\n|---|---|\n| Jason Ditz is news editor. View all posts by Jason Ditz | editor |"
    )
    result = cleaned(tmp_path, body)
    table = result.article.blocks[1]
    assert [[table.text[s:e] for s, e in row] for row in table.cells] == [
        ["Author", "Role"],
        ["Jason Ditz is news editor.", "editor"],
    ]
    (removal,) = result.article.removals
    assert (removal.rule, removal.line, removal.text) == ("view-all-posts", 9, "View all posts by Jason Ditz")


def test_a_block_rule_removes_a_table_only_when_every_cell_is_chrome(tmp_path: Path) -> None:
    chrome = "| Share this article | Tweet |\n|---|---|\n| Email | Print |"
    result = cleaned(tmp_path, f"{LEAD}\n\n{chrome}")
    assert [b.kind for b in result.article.blocks] == ["paragraph"]
    (removal,) = result.article.removals
    assert (removal.rule, removal.line) == ("share-buttons", 7)
    assert removal.description.startswith("A table whose every cell is chrome")
    assert removal.text.split() == "Share this article Tweet Email Print".split()
    # One cell of article text keeps the whole table, the chrome cells with it: no half table.
    mixed = "| Share this article | Tweet |\n|---|---|\n| Email | 148,200 passengers |"
    result = cleaned(tmp_path, f"{LEAD}\n\n{mixed}")
    assert [b.kind for b in result.article.blocks] == ["paragraph", "table"]
    assert result.article.removals == ()


def test_a_table_is_never_read_as_the_header(tmp_path: Path) -> None:
    path = tmp_path / "articles" / "t.md"
    path.parent.mkdir(parents=True)
    path.write_text(f"---\nauthor: A\n---\n\nFerry numbers\n\n{TABLE}\n\n{LEAD}\n", encoding="utf-8")
    result = clean_source(read_source(path), RULES)
    assert result.article.meta.title == "Ferry numbers"
    assert [b.kind for b in result.article.blocks] == ["table", "paragraph"]


# --- notes ---------------------------------------------------------------------------------------


def test_a_note_quoting_words_of_one_cell_is_anchored_in_that_cell() -> None:
    art = table_article(LEAD, TABLE)
    anchored, warnings, errors = anchor_notes(art, [note("148,200")])
    assert not warnings and not errors
    table = with_note_spans(art, anchored).blocks[1]
    (span,) = table.spans
    assert table.text[span.start : span.end] == "148,200"
    assert table.cell_of(span.start, span.end) == (1, 1)
    entry = record(art, note("148,200"), anchored[0].anchor)
    assert (entry.block, entry.line, entry.exact) == (1, 3, "148,200")
    assert entry.prefix.endswith("Port Ellery – Inishmore\t") and entry.suffix.startswith("\tup 12%")
    # The next build finds the recorded entry fits the text and keeps it.
    again, _ = anchor_quote(art, note("148,200"), entry)
    assert (again.start, again.end, again.method) == (anchored[0].anchor.start, anchored[0].anchor.end, "recorded")


@pytest.mark.parametrize(
    ("quote", "first", "last"),
    [
        (
            "Inishmore 148,200",
            'row 2 (line 5), column 1: "Port Ellery – Inishmore"',
            'row 2 (line 5), column 2: "148,200"',
        ),
        (
            "up 12% Port Ellery",
            'row 2 (line 5), column 3: "up 12%"',
            'row 3 (line 6), column 1: "Port Ellery – Inisheer"',
        ),
        ("board said on Tuesday. Route", "the text before the table", 'row 1 (line 3), column 1: "Route"'),
    ],
)
def test_a_quote_across_cells_stops_naming_both_cells(quote: str, first: str, last: str) -> None:
    art = table_article(LEAD, TABLE)
    anchored, warnings, errors = anchor_notes(art, [note(quote)])
    assert anchored == [] and warnings == []
    (error,) = errors
    assert isinstance(error, NoteAnchorError)
    assert (error.path, error.line, error.column) == (Path("articles/t.notes.yml"), 9, 10)
    assert f"from {first} to {last}" in error.reason
    assert "quote the words of the cell it concerns" in error.reason


def test_words_that_also_run_across_cells_are_anchored_where_they_stand_together() -> None:
    # "Inishmore 148,200" reads so across row 2's first two cells too; the paragraph is the place.
    said = "The board counted passengers to Inishmore 148,200 times this summer, its report says."
    art = table_article(LEAD, TABLE, said)
    anchored, warnings, errors = anchor_notes(art, [note("Inishmore 148,200")])
    assert not warnings and not errors
    start = art.text.index(said) + said.index("Inishmore")
    assert (anchored[0].anchor.start, anchored[0].anchor.end) == (start, start + len("Inishmore 148,200"))
    # Alone in the table, the same words stop the note, naming both cells.
    with pytest.raises(NoteAnchorError, match="runs across the cells of the table"):
        anchor_quote(table_article(LEAD, TABLE), note("Inishmore 148,200"))
    # So do words nearly as quoted that run into the next cell, though a shorter piece of them,
    # nearly as like the quote, lies within the first cell.
    row = "| Route | Passengers |\n|---|---|\n| The board counted all the passengers on the western route | 148,200 |"
    with pytest.raises(NoteAnchorError, match="runs across the cells of the table"):
        anchor_quote(table_article(LEAD, row), note("the board counted all the passengers on the western route 148"))


def test_a_quote_across_cells_that_would_anchor_approximately_stops_too() -> None:
    art = table_article(LEAD, TABLE)
    with pytest.raises(NoteAnchorError, match="runs across the cells of the table at line 3"):
        anchor_quote(art, note("Port Ellery - Inishmore 148,200 up 12 percent"))


# --- entities (the real language model) -----------------------------------------------------------


def test_names_are_found_inside_cells_never_across_them() -> None:
    registry, _ = load_registry(REPO / "entities.yml")
    art = table_article(
        "| Commander | Place |\n|---|---|\n| Khalifa Haftar | Benghazi, in the east |\n| Khalifa | Haftar |"
    )
    (annotated,), index = find_entities([art], registry)
    table = annotated.blocks[0]
    found = [(table.text[s.start : s.end], table.cell_of(s.start, s.end)) for s in table.spans]
    assert ("Khalifa Haftar", (1, 0)) in found
    assert all(cell is not None for _, cell in found)  # no name runs from one cell into the next
    assert not any(text == "Khalifa\tHaftar" for text, _ in found)
    for mention in index.mentions["t"][0]:
        s, e = mention.sentence
        assert table.cell_of(s, e) is not None  # a passage on an entity page is one cell's words
