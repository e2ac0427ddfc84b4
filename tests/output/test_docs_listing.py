"""The docs folder listed in a child process (generator.util.walk, output.docs.DocsListing): the
same answer as listing it in the build's own process, or that listing when the child fails."""

from __future__ import annotations

import marshal
import os
import sys
from pathlib import Path

import pytest

from generator.errors import SourceError
from generator.output.docs import PUBLISHED_SUFFIXES, DocsListing, scan_docs
from generator.util import walk


def _folder(root: Path) -> Path:
    docs = root / "site_src"
    for rel, text in {
        "index.md": "# Home\n",
        "articles/a/index.md": "# A\n",
        "articles/a/a.bib": "@article{a}\n",
        "assets/.hidden": "kept, listed\n",
        "guide/é accents.md": "# É\n",
    }.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text, encoding="utf-8")
    os.utime(docs / "index.md", ns=(1, 1_700_000_000_123_456_789))
    return docs


def test_the_child_lists_what_the_build_would(tmp_path: Path) -> None:
    docs = _folder(tmp_path)
    with DocsListing(docs) as listing:
        found = listing.stats()
    assert found == scan_docs(docs)
    assert sorted(found) == [
        "articles/a/a.bib",
        "articles/a/index.md",
        "assets/.hidden",
        "guide/é accents.md",
        "index.md",
    ]
    assert found["index.md"] == (7, 1_700_000_000_123_456_789)


@pytest.mark.parametrize("executable", ["/nonexistent/python", "/bin/echo", "/bin/false"])
def test_a_child_that_cannot_answer_is_replaced_by_listing_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, executable: str
) -> None:
    docs = _folder(tmp_path)
    monkeypatch.setattr(sys, "executable", executable)  # not started; text, not a listing; fails
    with walk.Background(str(docs), PUBLISHED_SUFFIXES) as listing:
        assert listing.result() == walk.walk(str(docs), PUBLISHED_SUFFIXES)
    assert listing.result()[0] == scan_docs(docs)


def test_the_childs_refusals_are_the_builds_errors(tmp_path: Path) -> None:
    docs = _folder(tmp_path)
    (docs / "page.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    with DocsListing(docs) as listing, pytest.raises(SourceError, match="files of type '.html' are not published"):
        listing.stats()
    (docs / "page.html").unlink()
    (docs / "linked.md").symlink_to(tmp_path / "elsewhere.md")
    with DocsListing(docs) as listing, pytest.raises(SourceError, match="symbolic links are not allowed") as caught:
        listing.stats()
    assert str(docs / "linked.md") in str(caught.value)


def test_a_missing_folder_has_no_files(tmp_path: Path) -> None:
    with DocsListing(tmp_path / "none") as listing:
        assert listing.stats() == {}


def test_a_listing_never_read_stops_its_child(tmp_path: Path) -> None:
    docs = _folder(tmp_path)
    with DocsListing(docs) as listing:
        child = listing._child
        assert child is not None
    assert child.returncode is not None  # waited for, not left behind
    assert listing._child is None


@pytest.mark.parametrize(
    "output",
    [
        b"",
        b"not marshal",
        marshal.dumps(({"a": (1,)}, None)),
        marshal.dumps(({"a": (1, "2")}, None)),
        marshal.dumps(([], None)),
    ],
)
def test_an_answer_not_in_the_listings_shape_is_refused(output: bytes) -> None:
    assert walk._answer(output) is None


def test_the_child_imports_nothing_from_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build runs in the archive's folder: a ``generator`` package there (pushed by anyone
    who may push articles) must not be what the child runs."""
    docs = _folder(tmp_path / "archive")
    planted = tmp_path / "archive" / "generator" / "util"
    planted.mkdir(parents=True)
    marker = tmp_path / "ran"
    for name in ("generator/__init__.py", "generator/util/__init__.py"):
        (tmp_path / "archive" / name).write_text("", encoding="utf-8")
    (planted / "walk.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "archive")
    with DocsListing(Path("site_src")) as listing:
        found = listing.stats()
    assert not marker.exists(), "the planted module ran"
    assert found == scan_docs(docs)
