"""A saved page with a table, end to end: ``archive add`` writes a pipe table, a note quotes the
words of one cell, ``archive build`` (MkDocs, the real language model) publishes a ``<table>``
holding every word with the note's mark in its cell; a note across two cells stops the build,
naming both cells."""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html

from generator.inputs.anchors_file import read_anchors

from ..conftest import REPO, copy_project, run_archive

PAGE = REPO / "tests" / "fixtures" / "import" / "harbour-herald-ferries.html"
SLUG = "2024-10-02-island-ferries-carried-more-passengers-than-ever"
NOTE = """- id: {ident}
  kind: context
  quote: "{quote}"
  body: The board counted each crossing, so a passenger making a return trip counts twice.
  sources:
    - title: Harbour board, passenger counts 2024
      url: https://harbourboard.example/counts-2024
      accessed: 2024-10-03
  author: Archive editors
  date: 2024-10-03
"""


def test_a_saved_page_with_a_table_is_published_as_a_table_with_a_note_in_a_cell(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "archive")
    added = run_archive("add", str(PAGE), "--yes", cwd=root)
    assert added.returncode == 0, added.stderr
    source = (root / "articles" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert (
        "| Route | Passengers | Change on 2023 |\n|---|---|---|\n"
        "| Port Ellery – Inishmore | 148,200 | up 12% \\| a record |\n"
    ) in source
    line = source.split("\n").index("| Route | Passengers | Change on 2023 |") + 1

    notes = root / "articles" / f"{SLUG}.notes.yml"
    notes.write_text(NOTE.format(ident="across", quote="Inishmore 148,200"), encoding="utf-8")
    refused = run_archive("check", cwd=root)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert f"articles/{SLUG}.notes.yml:3:" in refused.stderr
    assert (
        f"the quote runs across the cells of the table at line {line}, from row 2 (line {line + 2}), column 1: "
        f'"Port Ellery – Inishmore" to row 2 (line {line + 2}), column 2: "148,200"'
    ) in refused.stderr

    notes.write_text(NOTE.format(ident="passengers", quote="148,200"), encoding="utf-8")
    built = run_archive("build", "--strict", cwd=root)
    assert built.returncode == 0, built.stdout + built.stderr
    html = (root / "site" / "articles" / SLUG / "index.html").read_text(encoding="utf-8")
    tree = lxml.html.fromstring(html)
    (table,) = tree.xpath("//div[@class='archive-text']//div[@class='archive-table']/table")
    assert [th.text_content() for th in table.xpath("./thead/tr/th")] == ["Route", "Passengers", "Change on 2023"]
    assert [[td.text_content() for td in tr.xpath("./td")] for tr in table.xpath("./tbody/tr")] == [
        ["Port Ellery – Inishmore", "148,200", "up 12% | a record"],
        ["Port Ellery – Inisheer", "61,450", "up 4%"],
        ["Rossaveal – Inishmaan", "23,900", ""],
    ]
    (mark,) = table.xpath(".//td/mark[@class='note-anchor']")
    assert (mark.text_content(), mark.get("id")) == ("148,200", "anchor-passengers")
    # Every word of the page's article text is on the page, in order, the table's among them.
    expected = (REPO / "tests" / "fixtures" / "import" / "harbour-herald-ferries.expected.txt").read_text("utf-8")
    (container,) = tree.xpath("//div[@class='archive-text']")
    assert container.text_content().split() == expected.split()
    # The lock file records the table's block; the Web Annotation quotes the cell's words.
    entries, errors = read_anchors(root / "articles" / f"{SLUG}.anchors.yml")
    assert not errors and (entries["passengers"].block, entries["passengers"].line) == (2, line)
    annotations = json.loads((root / "site" / "annotations" / f"{SLUG}.jsonld").read_text(encoding="utf-8"))
    assert re.search(r'"exact":\s*"148,200"', json.dumps(annotations))
