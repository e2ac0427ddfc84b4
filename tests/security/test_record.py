"""The record of the last run (``.archive-cache/record.sqlite``) is an input too: a record that
is not a database is set aside with a message, and one whose rows were tampered with cannot put
live markup on a page (every value it gives a page is escaped and the page checked)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from generator.commands.synth import make_archive

from ..conftest import REPO, run_archive


@pytest.fixture
def small(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    make_archive(root, 3, REPO, words=80)
    run_archive("generate", "--strict", cwd=root, check=True)
    return root


def pages(root: Path) -> dict[str, bytes]:
    docs = root / "site_src"
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


def test_a_record_that_is_not_a_database_is_set_aside(small: Path) -> None:
    before = pages(small)
    record = small / ".archive-cache" / "record.sqlite"
    record.write_bytes(b"not a database \x00\xff" * 100)
    result = run_archive("generate", "--strict", cwd=small, check=True)
    assert "could not be read" in result.stdout and "record.sqlite.unreadable" in result.stdout, result.stdout
    assert "Traceback" not in result.stderr
    assert (small / ".archive-cache" / "record.sqlite.unreadable").is_file()
    assert pages(small) == before
    again = run_archive("generate", "--strict", cwd=small, check=True)
    assert "Nothing changed since the last run" in again.stdout


def test_a_tampered_summary_cannot_put_markup_on_a_page(small: Path) -> None:
    db = sqlite3.connect(small / ".archive-cache" / "record.sqlite")
    with db:
        slug, text = db.execute("SELECT slug, summary FROM articles ORDER BY slug LIMIT 1").fetchone()
        head, *mentions = text.split("\n")  # JSON Lines: the summary, then a line a mention
        data = json.loads(head)
        marked = '<script>alert(1)</script><img src=x onerror="alert(2)">'

        def poison(value: object) -> object:
            if isinstance(value, dict):
                return {k: (marked if k in ("title", "lead") else poison(v)) for k, v in value.items()}
            if isinstance(value, list):
                return [poison(v) for v in value]
            return value

        # The names an entity page lists come from the mentions' lines: each wording is marked too.
        named = [json.loads(line) for line in mentions]
        assert named, "the article names no entity: the test would not reach the entity pages"
        marked_mentions = [
            json.dumps([e, count, [[marked + form, n] for form, n in forms]]) for e, count, forms in named
        ]
        tampered = "\n".join([json.dumps(poison(data)), *marked_mentions])
        db.execute("UPDATE articles SET summary = ? WHERE slug = ?", (tampered, slug))
        db.execute("DELETE FROM pages")  # every page rendered again, from the tampered row
    db.close()
    result = run_archive("generate", "--strict", cwd=small, check=True)
    assert "no article changed since the last run" in result.stdout  # the rows were used
    shown = [rel for rel, data in pages(small).items() if b"alert(1)" in data]
    assert shown, "the tampered title is on no page: the test did not reach the listings"
    assert any(rel.startswith("entities/") for rel in shown), "no entity page shows the tampered names"
    for rel, data in pages(small).items():
        if not rel.endswith(".md"):
            continue  # citation files are plain text (BibTeX, RIS, CSL-JSON): no browser renders them
        # The HTML of the page; its front matter's values (the title, the citation's fields) are
        # strings the theme escapes (tests/security/test_xss.py builds hostile titles).
        text = data.decode("utf-8", "replace").split("\n---\n", 1)[-1]
        assert "<script>alert" not in text and "<img src=x" not in text, rel
