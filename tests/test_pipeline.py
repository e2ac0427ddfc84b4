"""The archive builds end to end with real MkDocs, deterministically and atomically."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import html as lxml_html

from generator.commands.synth import make_archive
from generator.render.article import site_page as _site_page
from generator.util.forked import FAILED, in_order

from .conftest import REPO, copy_project, run_archive

GR = "2017-07-12-us-looks-to-escalate-involvement-in-libya"
NS = "us-military-considers-re-establishing-presence-in-libya"


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def article_text(site: Path, slug: str) -> str:
    page = lxml_html.parse(str(site / "articles" / slug / "index.html"))
    for marker in page.xpath("//sup[contains(@class, 'note-ref')]"):
        marker.drop_tree()  # the numbered note markers are not article text
    return page.xpath("string(//div[contains(@class, 'archive-text')])")


def test_both_articles_are_clean_pages(built_site: Path) -> None:
    site = built_site / "site"
    gr = article_text(site, GR)
    assert gr.strip().startswith("Permanent US Military Presence Considered")
    assert "whoever ends up in power becomes a US client." in gr
    for chrome in ("Global Research", "Disclaimer", "Become a Member", "(#)", "Featured image", "fair use"):
        assert chrome not in gr
    ns = article_text(site, NS)
    assert "Libya currently faces a challenge of forming a national government" in ns
    page = lxml_html.parse(str(site / "articles" / GR / "index.html"))
    assert page.xpath("string(//h1)") == (
        "US Looks to Dramatically Escalate Involvement in Libya, Setting Up a Permanent Military Base"
    )
    meta = page.xpath("string(//p[contains(@class, 'archive-meta')])")
    assert meta == "Global Research · By Jason Ditz · 12 July 2017"
    about = page.xpath("//details[contains(@class, 'archive-about')]")[0]
    assert "Line 52, removed (Publisher's disclaimer" in about.text_content()


def test_home_lists_articles_newest_first(built_site: Path) -> None:
    home = lxml_html.parse(str(built_site / "site" / "index.html"))
    links = home.xpath("//ul[contains(@class, 'archive-list')]//a/@href")
    assert links == [f"articles/{GR}/", f"articles/{NS}/"]  # the dated one first, the undated last
    for href in links:
        assert (built_site / "site" / href / "index.html").is_file()


def test_navigation_stays_small(built_site: Path) -> None:
    page = lxml_html.parse(str(built_site / "site" / "articles" / GR / "index.html"))
    nav_links = page.xpath("//nav[contains(@class, 'md-nav--primary')]//a/@href")
    assert not any(GR in href or NS in href for href in nav_links)


def test_no_request_to_another_host(built_site: Path) -> None:
    for path in (built_site / "site").rglob("*.html"):
        page = lxml_html.parse(str(path))
        # rel=canonical names the page's public address (site_url); browsers do not fetch it.
        for url in page.xpath("//script/@src | //link[not(@rel='canonical')]/@href | //img/@src"):
            assert not url.startswith(("http:", "https:", "//")), f"{path}: {url}"


def test_generate_is_deterministic(tmp_path: Path) -> None:
    one = copy_project(tmp_path / "one")
    two = copy_project(tmp_path / "two")
    run_archive("generate", cwd=one, check=True)
    run_archive("generate", cwd=two, check=True)
    assert tree_bytes(one / "site_src") == tree_bytes(two / "site_src")
    again = run_archive("generate", cwd=one, check=True)
    assert "0 pages written" in again.stdout


def test_a_failed_build_keeps_the_previous_site(built_site: Path, tmp_path: Path) -> None:
    root = copy_project(tmp_path / "archive")
    run_archive("build", cwd=root, check=True)
    before_site, before_docs = tree_bytes(root / "site"), tree_bytes(root / "site_src")
    article = root / "articles" / f"{GR}.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("date: 2017-07-12", "date: someday"), encoding="utf-8"
    )
    (root / "articles" / "stray.pdf").write_bytes(b"%PDF-1.4")
    result = run_archive("build", cwd=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"articles/{GR}.md:3: front matter: date: 'someday' is not a date; write it as YYYY-MM-DD" in result.stderr
    assert "articles/stray.pdf: not an article file" in result.stderr
    assert "2 problems found." in result.stderr
    assert tree_bytes(root / "site") == before_site
    assert tree_bytes(root / "site_src") == before_docs


def test_a_failed_mkdocs_build_keeps_the_previous_site(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "archive")
    run_archive("build", cwd=root, check=True)
    before = tree_bytes(root / "site")
    # A setting the archive's checks pass but MkDocs refuses when it builds: an extension that is not installed.
    config = (root / "mkdocs.yml").read_text()
    (root / "mkdocs.yml").write_text(config.replace("  - admonition\n", "  - admonition\n  - no_such_extension\n"))
    result = run_archive("build", cwd=root)
    assert result.returncode == 1 and "MkDocs could not build the site; the previous site is kept." in result.stderr
    assert tree_bytes(root / "site") == before
    assert not list(root.glob(".site-*"))


def test_check_reports_every_problem_and_the_cleaning(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "archive")
    ok = run_archive("check", cwd=root)
    assert ok.returncode == 0, ok.stderr
    assert f"articles/{GR}.md: " in ok.stdout and "line 18: removed by byline: By Jason Ditz" in ok.stdout
    assert "OK: 2 articles checked" in ok.stdout
    (root / "articles" / "empty.md").write_text("")
    (root / "articles" / "bad-yaml.md").write_text("---\ntitle: a\n  b: c\n---\ntext\n")
    bad = run_archive("check", "--quiet", cwd=root)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert "articles/empty.md: the file is empty" in bad.stderr
    assert "articles/bad-yaml.md:3: this line is indented differently from the line above it" in bad.stderr


def test_help_is_instant_without_heavy_imports() -> None:
    code = (
        "import sys, generator.cli; assert not {'spacy', 'mkdocs', 'rapidfuzz'} & set(sys.modules), sys.modules.keys()"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)


def test_console_script_and_module_agree() -> None:
    result = subprocess.run([sys.executable, "-m", "generator", "--help"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0 and "Usage: archive" in result.stdout
    for command in ("build", "generate", "check"):
        assert f"  {command} " in result.stdout


def _workers_render(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every page past the first goes to the worker processes; returns what they gave back."""
    from generator import pipeline

    given: list[object] = []

    def counted(*args: object, **kwargs: object) -> Iterator[tuple[object, object]]:
        for item, value in in_order(*args, **kwargs):  # type: ignore[arg-type]
            given.append(value)
            yield item, value

    monkeypatch.setattr(pipeline, "FORK_FROM", 1)
    monkeypatch.setattr(pipeline, "in_order", counted)
    monkeypatch.setenv("ARCHIVE_PROCESSES", "2")
    return given


def test_pages_rendered_in_worker_processes_are_the_pages_rendered_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here, there = tmp_path / "here", tmp_path / "there"
    for root in (here, there):
        make_archive(root, 12, REPO, words=120)
    monkeypatch.setenv("ARCHIVE_PROCESSES", "1")
    run_archive("generate", cwd=here, check=True)
    given = _workers_render(monkeypatch)
    run_archive("generate", cwd=there, check=True)
    assert len(given) > 100 and not any(value is FAILED for value in given)
    assert tree_bytes(there / "site_src") == tree_bytes(here / "site_src")


def _page_with_a_script(*args: object) -> str:
    return _site_page(*args) + "\n<script>alert(1)</script>\n"  # type: ignore[arg-type]


def test_a_page_a_worker_finds_outside_the_allow_list_stops_the_build_as_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.render import article

    said = []
    for processes in ("1", "2"):
        root = copy_project(tmp_path / processes)
        before = tree_bytes(root / "site_src")
        monkeypatch.setattr(article, "site_page", _page_with_a_script)
        given = _workers_render(monkeypatch) if processes == "2" else []
        monkeypatch.setenv("ARCHIVE_PROCESSES", processes)
        result = run_archive("generate", cwd=root)
        monkeypatch.undo()
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert tree_bytes(root / "site_src") == before
        said.append(result.stderr)
        if processes == "2":
            assert FAILED in given  # refused in a worker, then here
    assert "the page holds markup outside the sanitiser's allow-list: removed <script>" in said[0]
    assert said[1] == said[0]
