"""The same archive builds with Zensical, Material's successor, and reads the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from ..conftest import copy_project, run_archive

pytestmark = pytest.mark.slow


def reader_view(site: Path, rel: str) -> dict[str, object]:
    """What a reader gets from a page: the article text, its links, its note markers."""
    page = lxml_html.parse(str(site / rel))
    body = page.xpath("//article")[0]
    return {
        "h1": page.xpath("string(//article//h1)"),
        "text": " ".join(body.xpath("string(.//div[contains(@class, 'archive-text')])").split()),
        "entity_links": [
            (a.text_content(), a.get("href"), a.get("title")) for a in body.xpath(".//a[@class='entity']")
        ],
        "note_refs": [a.get("href") for a in body.xpath(".//sup[@class='note-ref']/a")],
        "marks": [m.text_content() for m in body.xpath(".//mark")],
    }


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("engines")
    mk = copy_project(base / "mkdocs")
    zen = copy_project(base / "zensical")
    run_archive("build", "--strict", cwd=mk, check=True)
    run_archive("build", "--strict", "--engine", "zensical", cwd=zen, check=True)
    return mk / "site", zen / "site"


def test_both_engines_give_readers_the_same_pages(both: tuple[Path, Path]) -> None:
    mk, zen = both
    pages = sorted(p.relative_to(mk).as_posix() for p in (mk / "articles").rglob("index.html"))
    assert len(pages) == 3
    for rel in pages:
        assert (zen / rel).is_file(), rel
        assert reader_view(mk, rel) == reader_view(zen, rel), rel


def test_zensical_search_index_holds_the_articles(both: tuple[Path, Path]) -> None:
    _, zen = both
    index = (zen / "search.json").read_text(encoding="utf-8")
    assert "Tobruk parliament" in index and "Benghazi" in index


def test_zensical_failure_keeps_the_previous_site(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "archive")
    run_archive("build", "--engine", "zensical", cwd=root, check=True)
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    (root / "mkdocs.yml").write_text("site_name: [broken\n")
    result = run_archive("build", "--engine", "zensical", cwd=root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()} == before
    assert not list(root.glob(".zensical-*")) and not list(root.glob(".site-*"))


def test_both_engines_keep_the_text_the_annotations_count(both: tuple[Path, Path]) -> None:
    # The Web Annotations' positions count the text of the article's container: either engine must
    # publish it as the archive's text, with nothing added before, between or inside the blocks.
    import json

    for site in both:
        for path in sorted((site / "annotations").glob("*.jsonld")):
            slug = path.stem
            page = lxml_html.parse(str(site / "articles" / slug / "index.html"))
            (container,) = page.xpath("//div[@class='archive-text']")
            text = container.text_content()
            for item in json.loads(path.read_text(encoding="utf-8"))["first"]["items"]:
                quote, css = item["target"]["selector"]
                position = css["refinedBy"]
                assert text[position["start"] : position["end"]] == quote["exact"], (site.parent.name, item["id"])
