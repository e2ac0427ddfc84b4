"""The docs folder's writer (generator.output.docs.DocsWriter): a page is written aside and put
in place with the others at the end; a run stopped at any point leaves the folder as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.output.docs import DocsWriter, scan_docs


def _writer(docs: Path) -> DocsWriter:
    return DocsWriter(docs, {}, scan_docs(docs), lambda rel, page: None)


def test_pages_written_aside_are_put_in_place_at_the_end(tmp_path: Path) -> None:
    docs = tmp_path / "site_src"
    (docs / "articles").mkdir(parents=True)
    (docs / "articles" / "one.md").write_text("old")
    writer = _writer(docs)
    for rel, words in (("articles/one.md", "new"), ("articles/two.md", "second")):
        assert writer.wanted(rel, "key")
        writer.put(rel, "key", words)
    assert (docs / "articles" / "one.md").read_text() == "old"
    writer.finish()
    assert (docs / "articles" / "one.md").read_text() == "new"
    assert (docs / "articles" / "two.md").read_text() == "second"
    assert sorted(os.listdir(docs / "articles")) == ["one.md", "two.md"]


def test_a_run_stopped_as_a_page_is_written_leaves_the_docs_folder_as_it_was(
    tmp_path: Path, stopped_as_made: None
) -> None:
    docs = tmp_path / "site_src"
    (docs / "articles").mkdir(parents=True)
    (docs / "articles" / "one.md").write_text("old")
    writer = _writer(docs)
    assert writer.wanted("articles/one.md", "key")
    with pytest.raises(KeyboardInterrupt):
        writer.put("articles/one.md", "key", "new")
    writer.abort()
    assert os.listdir(docs / "articles") == ["one.md"]
    assert (docs / "articles" / "one.md").read_text() == "old"
