"""GFM pipe tables in an article's Markdown: read into table blocks, or a clear error at the line.

How they come in is ``archive add`` (``tests/inputs/test_tree_markdown.py``); these are the tables
an editor writes by hand, and the odd ones.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import SourceError
from generator.inputs.blocks import read_blocks
from generator.inputs.tables import split_row, table_source

PATH = Path("articles/t.md")


def table(source: str, first_line: int = 1):  # noqa: ANN201
    (block,) = read_blocks(source, first_line, PATH)
    return block


def cells(block) -> list[list[str]]:  # noqa: ANN001
    return [[block.text[s:e] for s, e in row] for row in block.cells]


def test_a_pipe_table_is_a_table_block_with_its_cells_by_offset() -> None:
    block = table("| City | Population |\n| :--- | ---: |\n| Paris | 2.1 *million* |\n| Lyon | 0.5 million |", 7)
    assert (block.kind, block.line, block.level) == ("table", 7, 0)
    assert block.text == "City\tPopulation\nParis\t2.1 million\nLyon\t0.5 million"
    assert cells(block) == [["City", "Population"], ["Paris", "2.1 million"], ["Lyon", "0.5 million"]]
    assert [(s.kind, block.text[s.start : s.end]) for s in block.spans] == [("em", "million")]
    assert [block.row_line(r) for r in range(3)] == [7, 9, 10]
    hash(block)  # frozen and hashable, as every block


def test_outer_pipes_may_be_left_out_and_an_escaped_pipe_is_a_cell_s_text() -> None:
    block = table("Name | Note\n--- | ---\nJo | a \\| b\n\\\\ | end\\\\|")
    assert cells(block) == [["Name", "Note"], ["Jo", "a | b"], ["\\", "end\\"]]


def test_short_rows_are_padded_and_a_wide_row_keeps_every_cell() -> None:
    block = table("| a | b |\n|---|---|\n| one |\n| x | y | z |")
    assert cells(block) == [["a", "b", ""], ["one", "", ""], ["x", "y", "z"]]
    assert block.text.split() == ["a", "b", "one", "x", "y", "z"]


def test_a_row_of_empty_cells_is_left_out_an_empty_cell_stays() -> None:
    block = table("| a | b |\n|---|---|\n| | |\n| c | |")
    assert cells(block) == [["a", "b"], ["c", ""]]
    assert "\n\n" not in block.text
    # the rows keep their own lines for messages: the second row of the block is line 4 of the source
    assert [block.row_line(r) for r in range(len(block.cells))] == [1, 4]
    assert table("| a |\n|---|\n| x |", first_line=7).row_line(1) == 9


def test_a_table_of_one_column_and_a_header_only_table() -> None:
    assert cells(table("| only |\n|---|\n| one |\n| two |")) == [["only"], ["one"], ["two"]]
    assert cells(table("| a | b |\n|---|---|")) == [["a", "b"]]


def test_a_tab_inside_a_cell_is_read_as_a_space() -> None:
    block = table("| a\tb | c |\n|---|---|")
    assert block.text == "a b\tc" and cells(block) == [["a b", "c"]]


def test_a_line_break_written_as_an_entity_in_a_cell_is_read_as_a_space() -> None:
    block = table("| h1 | h2 |\n|---|---|\n| a&#10;b | c&#13;d |")
    assert block.text == "h1\th2\na b\tc d" and cells(block) == [["h1", "h2"], ["a b", "c d"]]


@pytest.mark.parametrize(
    "source",
    [
        "Prices went up | down, said the report.",
        "a | b\nc | d",
        "| a | b |\nthe second line is text",
        "| a |\n|---|x|\n| b |",
        "Title\n---",
        "a\n|---|",
    ],
)
def test_lines_with_pipes_that_are_not_a_table_stay_a_paragraph(source: str) -> None:
    (block,) = read_blocks(source, 1, PATH)
    assert block.kind == "paragraph" and block.cells == ()


def test_a_delimiter_row_of_another_width_is_an_error_at_its_line() -> None:
    with pytest.raises(SourceError) as caught:
        read_blocks("Text.\n\n| a | b | c |\n|---|---|\n| 1 | 2 | 3 |", 5, PATH)
    assert (caught.value.path, caught.value.line) == (PATH, 8)
    assert "header row (line 7) has 3 cells but the line under it has 2" in str(caught.value)
    assert "'|---|---|---|'" in str(caught.value)


def test_a_line_without_a_pipe_in_a_table_is_an_error_saying_to_leave_a_blank_line() -> None:
    with pytest.raises(SourceError) as caught:
        read_blocks("| a | b |\n|---|---|\n| 1 | 2 |\nThe text after the table.", 3, PATH)
    assert str(caught.value).startswith("articles/t.md:6: this line has no '|'")
    assert "leave a blank line before it" in str(caught.value)


def test_what_the_import_writes_reads_back_as_the_same_cells() -> None:
    rows = [["Name", "Note | x"], ["**Jo**", "a \\\\ b"], ["", "[link](https://example.org/a|b)"]]
    source = table_source(rows)
    assert source.split("\n")[1] == "|---|---|"
    block = table(source)
    assert cells(block) == [["Name", "Note | x"], ["Jo", "a \\ b"], ["", "link"]]
    assert split_row(source.split("\n")[0]) == ["Name", "Note \\| x"]


def test_check_names_the_file_and_line_of_a_malformed_table(project: Path) -> None:
    from ..conftest import run_archive

    (project / "articles" / "t.md").write_text(
        "---\ntitle: A table\n---\n\nSome words of the article before the table.\n\n| a | b |\n|---|\n| 1 | 2 |\n",
        encoding="utf-8",
    )
    result = run_archive("check", cwd=project)
    assert result.returncode == 1
    assert "articles/t.md:8: the table's header row (line 7) has 2 cells but the line under it has 1" in result.stderr
    assert "Traceback" not in result.stderr
